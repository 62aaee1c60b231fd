"""The comment log's hot path on SQLite: the live loop's two writes per batch (record_comments, set_comment_outcomes)
run as plain SQL on the driver's connection (`StoreBase._write_sqlite`). They must write exactly what the SQLAlchemy
statements write, roll back as a whole, and fail like them (a locked database: SQLAlchemy's OperationalError after the
store's retries, which the engine turns into the local spool)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from bot.messages import Comment
from catalog.store import CatalogStore
from tests.test_pg_hot_path import _batch, _log_writes


def test_direct_sqlite_writes_store_the_same_rows_as_sqlalchemy(tmp_path: Path) -> None:
    results = {}
    for direct in (False, True):
        store = CatalogStore(f"sqlite:///{tmp_path / f'log-{direct}.db'}")
        try:
            assert store._sqlite_direct  # the stdlib driver: the direct path is the default
            store._sqlite_direct = direct
            results[direct] = _log_writes(store)
        finally:
            store.close()
    plain, direct_rows = results[False], results[True]
    assert direct_rows[2] == plain[2]  # the keys that went in (duplicates left out), rows updated
    assert direct_rows[0] == plain[0]  # every column of every row, in the order received
    assert direct_rows[1] == plain[1]
    assert len(direct_rows[0]) == 525


def test_direct_sqlite_writes_bypass_sqlalchemy_statements(tmp_path: Path) -> None:
    store = CatalogStore(f"sqlite:///{tmp_path / 'log.db'}")
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    try:
        assert store.record_comments(_batch("a", 3), received_at=1.0) == {("r1", "a0"), ("r1", "a1"), ("r1", "a2")}
        assert store.record_comments(_batch("a", 4), received_at=2.0) == {("r1", "a3")}  # three already logged
        assert store.set_comment_outcomes([("r1", "a0", {"status": "silent"}), ("r1", "zz", {"status": "staff"})]) == 1
        assert statements == []
        rows = {c.comment_id: (c.status, c.received_at) for c in store.comments(limit=None)}
        assert rows == {"a0": ("silent", 1.0), "a1": ("received", 1.0), "a2": ("received", 1.0), "a3": ("received", 2.0)}
    finally:
        store.close()


def test_a_locked_database_fails_like_sqlalchemy_after_retries_and_writes_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "locked.db"
    store = CatalogStore(f"sqlite:///{path}", busy_timeout_ms=20, retry_delay=0.001)
    blocker = sqlite3.connect(path, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        with caplog.at_level(logging.WARNING, logger="catalog.store"), pytest.raises(OperationalError, match="locked"):
            store.record_comments(_batch("x", 2), received_at=1.0)
        assert any("record_comments failed (attempt 1/" in r.getMessage() for r in caplog.records)
        with pytest.raises(OperationalError, match="locked"):
            store.set_comment_outcomes([("r1", "x0", {"status": "silent"})])
        blocker.execute("ROLLBACK")
        assert store.record_comments(_batch("x", 2), received_at=1.0) == {("r1", "x0"), ("r1", "x1")}
    finally:
        blocker.close()
        store.close()


def test_an_error_inside_the_batch_rolls_the_whole_batch_back(tmp_path: Path) -> None:
    store = CatalogStore(f"sqlite:///{tmp_path / 'log.db'}")
    try:
        store.record_comments(_batch("ok", 1), received_at=1.0)

        def broken(con: sqlite3.Connection) -> Any:
            con.execute("UPDATE comment_log SET status = 'silent'")
            con.execute("INSERT INTO no_such_table VALUES (1)")

        with pytest.raises(OperationalError, match="no such table"):
            store._write_sqlite("broken", broken)
        assert [c.status for c in store.comments(limit=None)] == ["received"]
        # the pooled connection is usable afterwards (no transaction left open)
        assert store.record_comments([Comment(id="n1", user="u", text="t", ts=1.0, room="r1")]) == {("r1", "n1")}
    finally:
        store.close()


def test_last_restock_is_the_latest_stock_event_that_raised_stock(tmp_path: Path) -> None:
    from tests import factories

    store = CatalogStore(f"sqlite:///{tmp_path / 'log.db'}")
    try:
        tee = factories.tee()
        store.upsert_product(tee)  # a catalog write: not a restock
        xl, l_size = "TEE-XL", "TEE-L"
        assert store.last_restock([xl, l_size]) is None
        assert store.last_restock([]) is None
        store.set_stock(xl, 20)
        first = store.last_restock([xl, l_size])
        assert first is not None and store.last_restock([l_size]) is None
        store.set_stock(xl, 3)  # lowered: not a restock
        assert store.last_restock([xl]) == first
        store.set_stock(l_size, 50)
        later = store.last_restock([xl, l_size])
        assert later is not None and later >= first and store.last_restock([xl]) == first
    finally:
        store.close()


def test_the_stock_clock_read_directly_sees_another_connections_write_at_once(tmp_path: Path) -> None:
    """The stock clock is read before every batch (catalog/live.py) — on SQLite as one plain SELECT on the driver: the
    same value as the SQLAlchemy read, no SQLAlchemy statement, and a write committed by another connection (another
    process's raw SQL) is seen by the very next read."""
    path = tmp_path / "clock.db"
    store = CatalogStore(f"sqlite:///{path}")
    statements: list[str] = []
    try:
        store._sqlite_direct = False
        via_sqlalchemy = store.stock_clock()
        store._sqlite_direct = True
        event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        assert store.stock_clock() == via_sqlalchemy
        other = sqlite3.connect(path)
        with other:
            other.execute("UPDATE stock_clock SET ticks = ticks + 5 WHERE id = 1")
        other.close()
        assert store.stock_clock() == via_sqlalchemy + 5
        assert statements == []
    finally:
        store.close()


def _logged(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {row[0] for row in con.execute("SELECT comment_id FROM comment_log")}
    finally:
        con.close()


@pytest.mark.parametrize("direct", [True, False], ids=["driver", "sqlalchemy"])
def test_writers_of_one_process_queue_on_a_mutex_before_asking_sqlite(tmp_path: Path, direct: bool) -> None:
    """A write from another thread of this process waits for the writer mutex (not for SQLite's busy handler, which
    sleeps in 1-100 ms steps): while the mutex is held — and SQLite itself is free — the write does not happen;
    as soon as it is released, it does."""
    import threading

    from catalog.db import sqlite_writer

    path = tmp_path / "log.db"
    store = CatalogStore(f"sqlite:///{path}")
    store._sqlite_direct = direct
    done = threading.Event()
    try:
        with sqlite_writer(store.engine):
            writer = threading.Thread(target=lambda: (store.record_comments(_batch("w", 2), received_at=1.0), done.set()))
            writer.start()
            assert not done.wait(0.3)  # without the mutex it would have written at once (nothing holds SQLite's lock)
            assert _logged(path) == set()
        assert done.wait(10)
        writer.join(10)
        assert _logged(path) == {"w0", "w1"}
    finally:
        store.close()


def test_a_writer_mutex_held_past_the_busy_timeout_is_not_waited_for(tmp_path: Path) -> None:
    """The mutex is waited for at most the busy timeout; then the write goes to SQLite as before (which here is
    free, so it succeeds)."""
    import threading

    from catalog.db import sqlite_writer

    path = tmp_path / "log.db"
    store = CatalogStore(f"sqlite:///{path}", busy_timeout_ms=100)
    done = threading.Event()
    try:
        with sqlite_writer(store.engine):
            writer = threading.Thread(target=lambda: (store.record_comments(_batch("t", 1), received_at=1.0), done.set()))
            writer.start()
            assert done.wait(10)  # the 100 ms busy timeout, not the mutex holder, decided
            assert _logged(path) == {"t0"}
        writer.join(10)
    finally:
        store.close()
