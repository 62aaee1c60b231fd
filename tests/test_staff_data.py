"""The console's data layer without HTTP: staff accounts / audit (catalog.accounts) and the log reports
(catalog.reports), through the store's retrying transactions, on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator

import pytest

from bot.messages import Comment, Reply
from catalog.accounts import Accounts
from catalog.errors import Conflict, Invalid, NotFound
from catalog.reports import log_figures, review_candidates
from catalog.store import CatalogStore


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[CatalogStore]:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'staff.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    s = CatalogStore(url)
    yield s
    s.close()


def test_accounts_sessions_audit_and_review_actions(store: CatalogStore) -> None:
    accounts = Accounts(store)
    assert accounts.count_users() == 0 and accounts.get_user("ana") is None
    before, ana = accounts.save_user("ana", "hash-1", "editor")
    assert before is None and (ana.username, ana.role, ana.active) == ("ana", "editor", True)
    with pytest.raises(Invalid):
        accounts.save_user("bob", "h", "owner")
    with pytest.raises(NotFound):
        accounts.set_role("nobody", "viewer")
    assert isinstance(NotFound("x"), KeyError) and isinstance(Conflict("x"), ValueError)  # older callers still catch

    token, info = accounts.create_session(ana, "10.0.0.1")
    live = accounts.session(token)
    assert live is not None and live.user.username == "ana" and live.csrf_token == info.csrf_token
    assert accounts.get_user("ana").last_login_at is not None  # type: ignore[union-attr]
    accounts.set_role("ana", "admin")
    assert accounts.session(token).user.role == "admin"  # type: ignore[union-attr]
    accounts.save_user("ana", "hash-2", "admin")  # a new password signs every browser out
    assert accounts.session(token) is None
    token, _ = accounts.create_session(accounts.get_user("ana"), None, ttl_s=-1)  # type: ignore[arg-type]
    assert accounts.session(token) is None  # expired
    token, _ = accounts.create_session(accounts.get_user("ana"), None)  # type: ignore[arg-type]
    accounts.delete_session(token)
    assert accounts.session(token) is None

    accounts.audit(username="ana", role="admin", action="faq.update", target_type="faq", target_id="f1",
                   before={"price": 1}, after={"price": 2}, ip="10.0.0.1")
    [entry] = accounts.audit_entries(target_type="faq")
    assert (entry.action, entry.target_id, entry.before, entry.after) == ("faq.update", "f1", {"price": 1}, {"price": 2})

    pairs = [("r", "c1"), ("r", "c2"), ("r", "c1")]
    assert accounts.record_review(username="ana", comments=pairs, action="dismiss") == 2
    assert accounts.record_review(username="ana", comments=[("r", "c2"), ("r", "c3")], action="answer", text="hi") == 1
    assert accounts.reviewed() == {("r", "c1"), ("r", "c2"), ("r", "c3")}
    assert accounts.reviewed([("r", "c3")]) == {("r", "c3")}
    assert [r.comment_id for r in accounts.review_records()] == ["c3", "c2", "c1"]
    with pytest.raises(Invalid):
        accounts.record_review(username="ana", comments=pairs, action="shrug")
    assert [u.username for u in accounts.users()] == ["ana"]


def test_staff_writes_are_retried_while_the_database_is_locked(tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "locked.db"
    store = CatalogStore(f"sqlite:///{path}", busy_timeout_ms=50, retries=6, retry_delay=0.1)
    accounts = Accounts(store)
    blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock for a while
    releaser = threading.Timer(0.4, blocker.execute, args=("COMMIT",))
    releaser.start()
    with caplog.at_level(logging.WARNING, logger="catalog.store"):
        accounts.audit(username="cli", role="admin", action="x", target_type="t", target_id=None, before=None, after=None)
    releaser.join()
    blocker.close()
    assert len(accounts.audit_entries()) == 1
    assert any("staff.audit failed (attempt 1/6), retrying" in rec.getMessage() for rec in caplog.records)
    store.close()


def test_review_candidates_and_log_figures(store: CatalogStore) -> None:
    now = time.time()
    comments = [Comment(id=f"c{i}", user=f"u{i}", text=f"q{i}", ts=now, room="r") for i in range(6)]
    store.record_comments(comments, received_at=[now - 100, now - 50, now - 5, now - 4, now - 3, now - 2])
    statuses = ["answered", "silent", "staff", "merged", "silent", "error"]
    for c, status in zip(comments, statuses, strict=True):
        faq = "f-ship" if status in ("answered", "merged") else None
        store.set_comment_outcome(c.id, status, faq_id=faq, room="r")
    store.record_reply(Reply(reply_to=("c0", "c3"), text="yes", lang="zh", room="r", ts=now))

    queue = review_candidates(store)
    assert [(c.comment_id, c.status) for c in queue] == [("c1", "silent"), ("c2", "staff"), ("c4", "silent")]
    assert [c.comment_id for c in review_candidates(store, limit=2)] == ["c2", "c4"]  # the newest, oldest first
    assert [c.comment_id for c in review_candidates(store, ("error",))] == ["c5"]

    figures = log_figures(store, since=now - 60)
    assert sorted(figures.recent_received) == pytest.approx([now - 50, now - 5, now - 4, now - 3, now - 2])
    assert figures.status_counts == {"answered": 1, "silent": 2, "staff": 1, "merged": 1, "error": 1}
    assert figures.top_faqs == [("f-ship", 2)]
    assert figures.first_received == pytest.approx(now - 100)
    assert figures.reply_count == 1
    assert figures.latency_source == "reply" and sorted(figures.latencies) == pytest.approx([4.0, 100.0])

    monotonic = log_figures(store, since=now - 60, wall_clock_min=now + 1)  # replies not on the wall clock
    assert monotonic.latency_source == "decision" and len(monotonic.latencies) == 2
