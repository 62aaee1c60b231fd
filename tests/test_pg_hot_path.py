"""The comment log's hot path on PostgreSQL (issue 12: PostgreSQL at ≥ 0.8× SQLite): a batch is recorded, and its
outcomes written, in one statement each that is its own transaction (no BEGIN / COMMIT round trips), a pooled
connection is pinged only after sitting idle, and the rows written are the ones the SQLite path writes."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text

import catalog.db
from bot.messages import Comment, Reply
from catalog.store import CatalogStore
from tests.conftest import PG_URL


@pytest.fixture
def pg_store(postgres_url: str) -> Iterator[CatalogStore]:
    store = CatalogStore(postgres_url)
    yield store
    store.close()


class Wire:
    """What a store's engine sends: statements (and whether in autocommit mode), transactions ended, pings."""

    def __init__(self, store: CatalogStore) -> None:
        self.statements: list[tuple[str, bool]] = []
        self.ends = 0
        self.pings = 0
        engine = store.engine
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)
        ping = engine.dialect.do_ping

        def counted(dbapi_connection: Any) -> bool:
            self.pings += 1
            return ping(dbapi_connection)

        engine.dialect.do_ping = counted  # type: ignore[method-assign]

    def _statement(self, conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        autocommit = conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT"
        self.statements.append((statement.split()[0].upper(), autocommit))

    def _end(self, conn: Any) -> None:
        if conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            self.ends += 1

    def clear(self) -> None:
        self.statements.clear()
        self.ends = self.pings = 0


def _batch(prefix: str, n: int, room: str = "r1") -> list[Comment]:
    return [Comment(id=f"{prefix}{i}", user=f"u{i}", text=f"这个多少钱 {i}", ts=1000.0 + i, room=room) for i in range(n)]


def test_a_batch_is_one_autocommit_statement_each_way_and_a_busy_connection_is_not_pinged(pg_store: CatalogStore) -> None:
    pg_store.stock_clock()  # the pool has a connection, used a moment ago
    wire = Wire(pg_store)
    comments = _batch("c", 64)
    assert len(pg_store.record_comments(comments, received_at=5.0)) == 64
    outcomes = [("r1", c.id, {"status": "answered", "faq_id": "price", "score": 0.9, "reply_text": "899元"}) for c in comments]
    assert pg_store.set_comment_outcomes(outcomes) == 64
    pg_store.stock_clock()
    assert pg_store.record_replies([Reply(reply_to=(c.id,), text="899元", lang="zh", room="r1", ts=6.0) for c in comments])
    assert wire.statements == [("INSERT", True), ("UPDATE", True), ("SELECT", True), ("INSERT", True)]
    assert wire.ends == 0 and wire.pings == 0
    assert pg_store.comment_counts() == {"answered": 64} and len(pg_store.replies(limit=None)) == 64

    # 600 comments are still one statement (arrays, not a page of VALUES per 500 rows)
    wire.clear()
    assert len(pg_store.record_comments(_batch("big", 600), received_at=7.0)) == 600
    assert wire.statements == [("INSERT", True)]


def test_a_connection_idle_longer_than_the_ping_interval_is_pinged_and_replaced_when_dead(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(catalog.db, "PING_IDLE_S", 0.0)  # every checkout after a checkin counts as idle
    store = CatalogStore(postgres_url)
    try:
        store.stock_clock()
        pid = store._read("pid", lambda conn: conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
        admin.dispose()
        wire = Wire(store)
        with caplog.at_level(logging.WARNING, logger="catalog.store"):
            assert store.record_comments(_batch("p", 3), received_at=1.0) == {("r1", "p0"), ("r1", "p1"), ("r1", "p2")}
        assert wire.pings >= 1  # the dead connection failed its ping and was replaced before the write
        assert not [r for r in caplog.records if "retrying" in r.getMessage()]  # so the write did not fail once
        new_pid = store._read("pid", lambda conn: conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
        assert new_pid != pid
    finally:
        store.close()


def test_a_connection_dropped_right_after_use_fails_once_and_the_store_retries(
    pg_store: CatalogStore, caplog: pytest.LogCaptureFixture
) -> None:
    pid = pg_store._read("pid", lambda conn: conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    admin.dispose()
    with caplog.at_level(logging.WARNING, logger="catalog.store"):  # no ping (used a moment ago): the write fails
        assert len(pg_store.record_comments(_batch("d", 5), received_at=1.0)) == 5
    assert any("record_comments failed (attempt 1/" in r.getMessage() for r in caplog.records)
    assert pg_store.comment_counts() == {"received": 5}


def _log_writes(store: CatalogStore) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[Any]]:
    """The same batches as the live loop writes them, with odd input; returns rows, replies and return values."""
    odd = [
        Comment(id="e1", user="用户😀", text="👍🏽👨‍👩‍👧 有货吗?🔥", ts=1.5, room="r1", lang="zh"),
        Comment(id="e2", user="u", text="line1\nline2\r\t\x07", ts=math.nan, room="r1", product_id="p1"),
        Comment(id="e3", user="u", text="bad \ud800 half", ts=2, room="r1"),
        Comment(id="e1", user="again", text="in-batch duplicate", ts=3.0, room="r1"),
        Comment(id="e1", user="u", text="another room", ts=4.0, room="r2"),
        Comment(id=7, user=None, text=None, ts="soon", room="r1"),  # type: ignore[arg-type]
    ]
    results: list[Any] = []
    results.append(sorted(store.record_comments(odd, received_at=[10, 11.5, 12.0, 13.0, 14.0, 15.0])))
    results.append(sorted(store.record_comments(_batch("c", 520) + odd[:1], received_at=20.0)))  # > 500 rows, a duplicate
    results.append(store.set_comment_outcomes([
        ("r1", "e1", {"status": "answered", "faq_id": "f1", "score": 0.875, "intent": "ask_price", "reply_text": "好",
                      "product_id": "p1", "lang": "zh", "reason": "match"}),
        ("r1", "e2", {"status": "silent", "score": math.inf}),
        ("r1", "missing", {"status": "staff"}),
        ("r1", "c3", {"status": "staff", "reason": "first"}),
        ("r1", "c3", {"status": "merged", "reason": "second"}),  # the same key twice: the last one stays
    ]))
    results.append(store.set_comment_outcomes([
        ("r1", "e1", {"status": "staff", "reason": "not undecided: left alone"}),
        ("r1", "c4", {"status": "silent", "reason": "first"}),
        ("r1", "c4", {"status": "staff", "reason": "second"}),  # only_undecided: the first one wins
    ], only_undecided=True))
    with pytest.raises(ValueError, match="unknown comment status"):
        store.set_comment_outcomes([("r1", "c5", {"status": "shrug"})])
    results.append(store.set_comment_outcome("c6", "answered", "f2", 0.5, room="r1"))
    results.append(store.record_replies([]))
    results.append(store.record_replies([
        Reply(reply_to=("e1", "c3"), users=("u0", "u1"), text="好 😀", lang="zh", room="r1", ts=30.0),
        Reply(reply_to=("c6",), text="hi", lang="en", room="r2", ts=31.0),
    ]))
    rows = [
        (c.room, c.comment_id, c.user, c.text, c.ts, c.received_at, c.lang, c.product_id, c.status, c.faq_id, c.intent,
         c.score, c.reply_text, c.reason)
        for c in store.comments(limit=None)
    ]
    replies = [(r.room, r.reply_to, r.users, r.text, r.lang, r.ts) for r in store.replies(limit=None)]
    return rows, replies, results


def test_batched_log_writes_store_the_same_rows_on_postgresql_as_on_sqlite(tmp_path: Any, pg_store: CatalogStore) -> None:
    lite = CatalogStore(f"sqlite:///{tmp_path / 'log.db'}")
    try:
        expected = _log_writes(lite)
    finally:
        lite.close()
    got = _log_writes(pg_store)
    assert got[1] == expected[1]
    assert got[2][:2] == expected[2][:2]  # the keys that went in
    assert got[2][2:] == expected[2][2:] == [3, 1, True, True, True]  # rows updated: e1, e2, c3 (named twice); c4
    assert got[0] == expected[0]  # every column of every row, in the order received (seq)
    assert len(got[0]) == 525
    by_key = {(r[0], r[1]): r for r in got[0]}
    assert by_key[("r1", "c3")][8:] == ("merged", None, None, None, None, "second")
    assert by_key[("r1", "c4")][8] == "silent"
    assert by_key[("r1", "e2")][4:6] == (11.5, 11.5)  # NaN platform time: the arrival time stands in
    assert by_key[("r1", "e3")][3:5] == ("bad \\ud800 half", 2.0)
