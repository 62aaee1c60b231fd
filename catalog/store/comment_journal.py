"""CommentJournal: the live log: comments as received (batched, duplicates dropped), the bot's outcome for each,
replies, and reads of that log; `reset_session` starts a new live session.

Odd input is stored as is, changed only as far as the database needs (and the change noted in `reason`).

A batch of comments is recorded, and its outcomes written, in one statement each. On PostgreSQL that statement takes
the whole batch as arrays (`unnest`), so its text never changes (parsed and planned once per connection), and runs as
its own transaction (`_write_one`): one round trip per batch each way. SQLite gets multi-row INSERTs and executemany
in a BEGIN IMMEDIATE transaction (no round trips there). Both write the same rows (tests/test_pg_hot_path.py).
"""

from __future__ import annotations

import functools
import logging
import sqlite3
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, func, insert, select, true, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.sql.dml import ReturningInsert

from catalog.schema import COMMENT_STATUSES, CommentLog, OrderRecord, ReplyLog, StockLog, Variant
from catalog.store.base import StoreBase, _finite
from catalog.store.records import CommentRecord, ReplyRecord

log = logging.getLogger("catalog.store")  # the store's one logger, named as before it was split into modules


class CommentJournal(StoreBase):
    """The comment and reply logs."""

    def record_comment(
        self, comment: Any, status: str = "received", *, received_at: float | None = None, raise_errors: bool = False
    ) -> bool:
        """Log a comment as received. Odd input is stored as is; a failure is logged.

        Returns True when a row was written, False for a duplicate (same room and id) or a database failure.
        With ``raise_errors=True`` a database failure raises instead (the live loop then spools the comment).
        """
        try:
            values = self._comment_values(comment, status, received_at)
        except Exception:  # nothing about a comment may crash the live loop (logged)
            log.exception("could not prepare comment %r for the log", getattr(comment, "id", comment))
            return False
        try:
            inserted = self._write("record_comment", lambda conn: self._insert_ignore(conn, CommentLog, values))
        except Exception:
            log.exception("could not record comment %r", values["comment_id"])
            if raise_errors:
                raise
            return False
        if not inserted:
            log.info("comment %r in room %r already recorded", values["comment_id"], values["room"])
        return inserted

    def record_comments(
        self, comments: Sequence[Any], *, received_at: Sequence[float] | float | None = None
    ) -> set[tuple[str, str]]:
        """Log a batch of comments as received in one transaction (multi-row INSERTs … ON CONFLICT DO NOTHING).

        Returns the ``(room, comment_id)`` keys that were new; a key missing from the result is a duplicate that
        was already logged (the stored row is left untouched). Database failures raise (the live loop spools).
        ``received_at`` is one wall-clock time for all, or one per comment (spooled comments keep theirs).
        """
        if not comments:
            return set()
        if received_at is None or isinstance(received_at, (int, float)):
            times: Sequence[float | None] = [received_at] * len(comments)
        else:
            times = received_at
        rows: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for comment, at in zip(comments, times, strict=True):
            values = self._comment_values(comment, "received", at)
            key = (values["room"], values["comment_id"])
            if key in seen:  # a duplicate inside the batch: only the first one is logged
                continue
            seen.add(key)
            rows.append(values)

        if self._dialect == "postgresql":
            # One statement whatever the batch size (arrays unnested server-side; its text never changes, so it is
            # parsed and planned once per connection), run as its own transaction: one round trip per batch.
            columns = {c: [row[c] for row in rows] for c in _LOGGED_COLUMNS}
            for c in _FLOAT_COLUMNS:
                columns[c] = [None if x is None else float(x) for x in columns[c]]
            return self._write_one(
                "record_comments", lambda conn: {(room, cid) for room, cid in conn.execute(_PG_RECORD, columns).all()}
            )
        if self._sqlite_direct:
            # plain multi-row INSERTs on the driver's connection (`_write_sqlite`); RETURNING names the rows that went in
            def insert_rows(con: sqlite3.Connection) -> set[tuple[str, str]]:
                inserted: set[tuple[str, str]] = set()
                for start in range(0, len(rows), _SQLITE_ROWS_PER_INSERT):
                    chunk = rows[start : start + _SQLITE_ROWS_PER_INSERT]
                    params = [row[c] for row in chunk for c in _LOGGED_COLUMNS]
                    inserted.update(con.execute(_sqlite_record_sql(len(chunk)), params).fetchall())
                return inserted

            return self._write_sqlite("record_comments", insert_rows)
        # One statement for every batch (built and compiled once): executed with a list of rows, SQLAlchemy sends
        # them as multi-row INSERTs ("insertmanyvalues"); RETURNING names the rows that went in.
        stmt: ReturningInsert[str, str] | None = _SQLITE_RECORD if self._dialect == "sqlite" else None

        def run(conn: Connection) -> set[tuple[str, str]]:
            inserted: set[tuple[str, str]] = set()
            if stmt is None:  # pragma: no cover - other databases: row by row
                for values in rows:
                    if self._insert_ignore(conn, CommentLog, values):
                        inserted.add((values["room"], values["comment_id"]))
                return inserted
            for start in range(0, len(rows), 500):
                result = conn.execute(stmt, rows[start : start + 500])
                inserted.update((room, cid) for room, cid in result.all())
            return inserted

        return self._write("record_comments", run)

    def set_comment_outcomes(
        self, outcomes: Sequence[tuple[str, str, Mapping[str, Any]]], *, only_undecided: bool = False
    ) -> int:
        """Record many outcomes in one transaction: ``(room, comment_id, fields)`` with the keyword fields of
        :meth:`set_comment_outcome`. ``only_undecided`` leaves rows alone that already have an outcome.
        Returns how many rows were updated. Database failures raise."""
        if not outcomes:
            return 0
        rows: list[dict[str, Any]] = []
        now = time.time()
        for room, comment_id, fields in outcomes:
            status = fields["status"]
            if status not in COMMENT_STATUSES:
                raise ValueError(f"unknown comment status {status!r} (expected one of {', '.join(COMMENT_STATUSES)})")
            notes: list[str] = []
            row: dict[str, Any] = {"b_room": room, "b_comment_id": str(comment_id), "status": status, "updated_at": now}
            for key in ("faq_id", "intent", "product_id", "lang", "reason", "reply_text"):
                value = fields.get(key)
                row[key] = None if value is None else self._storable(value, notes, key)
            score = fields.get("score")
            row["score"] = None if score is None else _finite(score, None)
            rows.append(row)
        # A key given twice keeps the outcome updating row by row would leave: the last one, or with only_undecided
        # the first one; each row is updated once (and counted once).
        by_key: dict[tuple[str, str], dict[str, Any]] = {}
        for row in rows:
            row_key = (row["b_room"], row["b_comment_id"])
            if not (only_undecided and row_key in by_key):
                by_key[row_key] = row
        rows = list(by_key.values())
        if self._dialect == "postgresql":
            # One UPDATE … FROM unnest(arrays) as its own transaction: one round trip per batch.
            columns = {c: [row[c] for row in rows] for c in _OUTCOME_COLUMNS}
            stmt = _PG_OUTCOMES_UNDECIDED if only_undecided else _PG_OUTCOMES
            params = {**columns, "updated_at": now}
            return self._write_one("set_comment_outcomes", lambda conn: int(conn.execute(stmt, params).rowcount or 0))
        if self._sqlite_direct:
            sql = _SQLITE_OUTCOMES_UNDECIDED_SQL if only_undecided else _SQLITE_OUTCOMES_SQL
            values = [tuple(row[c] for c in _SQLITE_OUTCOME_ORDER) for row in rows]
            return self._write_sqlite("set_comment_outcomes", lambda con: int(con.executemany(sql, values).rowcount or 0))
        update_stmt = _OUTCOMES_UNDECIDED if only_undecided else _OUTCOMES

        def run(conn: Connection) -> int:
            result = conn.execute(update_stmt, rows)
            return int(result.rowcount or 0)

        return self._write("set_comment_outcomes", run)

    def unfinished_comments(self, room: str | None = None, limit: int = 10_000) -> list[CommentRecord]:
        """Comments still ``received`` (recorded, never decided: the bot stopped in between), oldest first."""

        def run(conn: Connection) -> list[CommentRecord]:
            query = select(CommentLog).where(CommentLog.status == "received").order_by(CommentLog.seq).limit(limit)
            if room is not None:
                query = query.where(CommentLog.room == room)
            return [_comment_record(row) for row in conn.execute(query)]

        return self._read("unfinished_comments", run)

    def _comment_values(self, comment: Any, status: str, received_at: float | None) -> dict[str, Any]:
        now = time.time() if received_at is None else received_at
        notes: list[str] = []
        if status not in COMMENT_STATUSES:
            notes.append(f"unknown status {status!r}")
            status = "error"
        comment_id = getattr(comment, "id", None)
        if comment_id is None or comment_id == "":
            comment_id = f"anon-{uuid.uuid4().hex}"
            notes.append("comment had no id")
        raw_ts = getattr(comment, "ts", None)
        ts = _finite(raw_ts, now)
        if ts != raw_ts:
            notes.append(f"bad timestamp {raw_ts!r}")
        text = getattr(comment, "text", "")
        values = {
            "comment_id": self._storable(comment_id, notes, "id"),
            "room": self._storable(getattr(comment, "room", None) or "local", notes, "room"),
            "user_name": self._storable(getattr(comment, "user", None) or "", notes, "user"),
            "text": self._storable("" if text is None else text, notes, "text"),
            "ts": ts,
            "received_at": now,
            "lang": self._optional(getattr(comment, "lang", None), notes),
            "product_id": self._optional(getattr(comment, "product_id", None), notes),
            "status": status,
            "reason": "; ".join(notes) or None,
            "updated_at": now,
        }
        return values

    def _storable(self, value: Any, notes: list[str], field: str) -> str:
        """`value` as text the database accepts, changing as little as possible (and saying what changed)."""
        text = value if isinstance(value, str) else str(value)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = text.encode("utf-8", "backslashreplace").decode("utf-8")
            notes.append(f"{field}: unencodable characters escaped")
        if self._dialect == "postgresql" and "\x00" in text:
            text = text.replace("\x00", "\ufffd")  # PostgreSQL text cannot hold NUL
            notes.append(f"{field}: NUL characters replaced by U+FFFD")
        return text

    def _optional(self, value: Any, notes: list[str]) -> str | None:
        return None if value is None else self._storable(value, notes, "field")

    def set_comment_outcome(
        self,
        comment_id: str,
        status: str,
        faq_id: str | None = None,
        score: float | None = None,
        intent: str | None = None,
        reply_text: str | None = None,
        *,
        product_id: str | None = None,
        lang: str | None = None,
        reason: str | None = None,
        room: str | None = None,
    ) -> bool:
        """Record what the bot decided for a comment. False (and a warning) when the comment is not in the log."""
        if status not in COMMENT_STATUSES:
            raise ValueError(f"unknown comment status {status!r} (expected one of {', '.join(COMMENT_STATUSES)})")
        notes: list[str] = []
        values: dict[str, Any] = {"status": status, "updated_at": time.time()}
        for key, value in (("faq_id", faq_id), ("intent", intent), ("product_id", product_id), ("lang", lang),
                           ("reason", reason), ("reply_text", reply_text)):
            if value is not None:
                values[key] = self._storable(value, notes, key)
        if score is not None:
            values["score"] = _finite(score, None)

        def run(conn: Connection) -> bool:
            stmt = update(CommentLog).where(CommentLog.comment_id == str(comment_id))
            if room is not None:
                stmt = stmt.where(CommentLog.room == room)
            return conn.execute(stmt.values(**values)).rowcount > 0

        found = self._write_one("set_comment_outcome", run)
        if not found:
            log.warning("outcome %r for unknown comment %r", status, comment_id)
        return found

    def record_reply(self, reply: Any) -> bool:
        """Log a reply (call before sending it). Never raises; False (logged) if it could not be written."""
        return self.record_replies([reply])

    def record_replies(self, replies: Sequence[Any]) -> bool:
        """Log replies about to be sent, all in one statement (one transaction). Never raises; False (logged) if
        they could not be written (then none was)."""
        if not replies:
            return True
        try:
            rows = [self._reply_values(reply) for reply in replies]
            self._write_one("record_replies", lambda conn: conn.execute(insert(ReplyLog).values(rows)))
        except Exception:  # logging must not crash the live loop (logged)
            log.exception("could not record replies to %r", [getattr(r, "reply_to", None) for r in replies])
            return False
        return True

    def _reply_values(self, reply: Any) -> dict[str, Any]:
        notes: list[str] = []
        return {
            "room": self._storable(getattr(reply, "room", None) or "local", notes, "room"),
            "reply_to": [self._storable(x, notes, "reply_to") for x in getattr(reply, "reply_to", ())],
            "users": [self._storable(x, notes, "users") for x in getattr(reply, "users", ()) or ()],
            "text": self._storable(getattr(reply, "text", ""), notes, "text"),
            "lang": self._storable(getattr(reply, "lang", None) or "", notes, "lang"),
            "ts": _finite(getattr(reply, "ts", None), time.time()),
        }

    def comments(
        self, status: str | None = None, limit: int | None = 1000, room: str | None = None
    ) -> list[CommentRecord]:
        """The most recent `limit` logged comments (all if None), oldest first."""

        def run(conn: Connection) -> list[CommentRecord]:
            query = select(CommentLog).order_by(CommentLog.seq.desc())
            if status is not None:
                query = query.where(CommentLog.status == status)
            if room is not None:
                query = query.where(CommentLog.room == room)
            if limit is not None:
                query = query.limit(limit)
            rows = list(conn.execute(query))
            return [_comment_record(row) for row in reversed(rows)]

        return self._read("comments", run)

    def replies(self, limit: int | None = 1000, room: str | None = None) -> list[ReplyRecord]:
        """The most recent `limit` logged replies, oldest first."""

        def run(conn: Connection) -> list[ReplyRecord]:
            query = select(ReplyLog).order_by(ReplyLog.id.desc())
            if room is not None:
                query = query.where(ReplyLog.room == room)
            if limit is not None:
                query = query.limit(limit)
            rows = list(conn.execute(query))
            return [
                ReplyRecord(id=r.id, room=r.room, reply_to=tuple(r.reply_to), users=tuple(r.users or ()),
                            text=r.text, lang=r.lang, ts=r.ts)
                for r in reversed(rows)
            ]

        return self._read("replies", run)

    def comment_counts(self, room: str | None = None) -> dict[str, int]:
        """status -> number of logged comments."""

        def run(conn: Connection) -> dict[str, int]:
            query = select(CommentLog.status, func.count()).group_by(CommentLog.status)
            if room is not None:
                query = query.where(CommentLog.room == room)
            return {status: int(n) for status, n in conn.execute(query).all()}

        return self._read("comment_counts", run)

    def reset_session(self, *, clear_orders: bool = True) -> None:
        """Start a new live session: clear comment/reply (and order, stock) logs, initial_stock = stock."""

        def run(conn: Connection) -> None:
            tables: list[Any] = [CommentLog, ReplyLog]
            if clear_orders:
                tables += [OrderRecord, StockLog]
            for table in tables:
                conn.execute(delete(table))
            conn.execute(update(Variant).values(initial_stock=Variant.stock))

        self._write("reset_session", run)
        log.info("session reset")


# PostgreSQL statements of the hot path, built once: every batch sends the same text with arrays as parameters.
_LOGGED_COLUMNS = (
    "comment_id", "room", "user_name", "text", "ts", "received_at", "lang", "product_id", "status", "reason", "updated_at",
)
_FLOAT_COLUMNS = ("ts", "received_at", "updated_at")  # one element type per array (an int among floats is a float)
_OUTCOME_COLUMNS = ("b_room", "b_comment_id", "status", "faq_id", "intent", "product_id", "lang", "reason", "reply_text", "score")


def _unnest(names: Sequence[str], types: Mapping[str, Any], *, ordinality: str | None = None) -> Any:
    """``unnest(:a::T[], :b::U[], …) AS v(a, b, …)``: the rows of a batch as a table, one array parameter a column."""
    arrays = [bindparam(name, type_=pg_dialect.ARRAY(types[name])) for name in names]
    return func.unnest(*arrays).table_valued(*names, with_ordinality=ordinality).render_derived(name="v")


def _pg_record() -> Any:
    table = CommentLog.__table__
    rows = _unnest(_LOGGED_COLUMNS, {c: table.c[c].type for c in _LOGGED_COLUMNS}, ordinality="ord")
    ordered = select(*[rows.c[c] for c in _LOGGED_COLUMNS]).order_by(rows.c.ord)  # seq follows the batch order
    return (
        pg_dialect.insert(CommentLog)
        .from_select(list(_LOGGED_COLUMNS), ordered)
        .on_conflict_do_nothing()
        .returning(CommentLog.room, CommentLog.comment_id)
    )


def _pg_outcomes(*, only_undecided: bool) -> Any:
    table = CommentLog.__table__
    types = {c: table.c[c.removeprefix("b_")].type for c in _OUTCOME_COLUMNS}
    v = _unnest(_OUTCOME_COLUMNS, types)
    stmt = update(CommentLog).where(CommentLog.room == v.c.b_room, CommentLog.comment_id == v.c.b_comment_id)
    if only_undecided:
        stmt = stmt.where(CommentLog.status == "received")
    return stmt.values(
        status=v.c.status, updated_at=bindparam("updated_at"), faq_id=v.c.faq_id, intent=v.c.intent,
        product_id=v.c.product_id, lang=v.c.lang, reason=v.c.reason, reply_text=v.c.reply_text, score=v.c.score,
    )


def _outcomes(*, only_undecided: bool) -> Any:
    """The outcome UPDATE for executemany (every database but PostgreSQL), built once: building it per batch cost
    ~0.3 ms of SQLAlchemy coercions, a tenth of a one-comment batch."""
    return (
        update(CommentLog)
        .where(CommentLog.room == bindparam("b_room"), CommentLog.comment_id == bindparam("b_comment_id"))
        .where(CommentLog.status == "received" if only_undecided else true())
        .values(
            status=bindparam("status"), updated_at=bindparam("updated_at"), faq_id=bindparam("faq_id"),
            intent=bindparam("intent"), product_id=bindparam("product_id"), lang=bindparam("lang"),
            reason=bindparam("reason"), reply_text=bindparam("reply_text"), score=bindparam("score"),
        )
    )


# The same two statements as SQL text for SQLite's driver (`StoreBase._write_sqlite`): what SQLAlchemy compiles
# `_SQLITE_RECORD` and `_OUTCOMES` to, without its per-execution work (a test checks both paths write the same rows).
_SQLITE_ROWS_PER_INSERT = 500  # 11 parameters a row: far below SQLite's 32,766 variables per statement


@functools.lru_cache(maxsize=64)
def _sqlite_record_sql(n: int) -> str:
    """The multi-row INSERT of ``n`` comments, ignoring (room, comment_id) already logged; one text per batch size
    (the driver keeps them prepared)."""
    one = "(" + ", ".join("?" * len(_LOGGED_COLUMNS)) + ")"
    return (
        f"INSERT INTO comment_log ({', '.join(_LOGGED_COLUMNS)}) VALUES {', '.join([one] * n)} "
        "ON CONFLICT DO NOTHING RETURNING room, comment_id"
    )


_SQLITE_OUTCOME_ORDER = ("status", "updated_at", "faq_id", "intent", "product_id", "lang", "reason", "reply_text", "score",
                         "b_room", "b_comment_id")
_SQLITE_OUTCOMES_SQL = (
    "UPDATE comment_log SET status = ?, updated_at = ?, faq_id = ?, intent = ?, product_id = ?, lang = ?, reason = ?, "
    "reply_text = ?, score = ? WHERE room = ? AND comment_id = ?"
)
_SQLITE_OUTCOMES_UNDECIDED_SQL = _SQLITE_OUTCOMES_SQL + " AND status = 'received'"
_OUTCOMES = _outcomes(only_undecided=False)
_OUTCOMES_UNDECIDED = _outcomes(only_undecided=True)
_SQLITE_RECORD = sqlite_dialect.insert(CommentLog).on_conflict_do_nothing().returning(CommentLog.room, CommentLog.comment_id)
_PG_RECORD = _pg_record()
_PG_OUTCOMES = _pg_outcomes(only_undecided=False)
_PG_OUTCOMES_UNDECIDED = _pg_outcomes(only_undecided=True)


def _comment_record(row: Row[Any]) -> CommentRecord:
    return CommentRecord(
        comment_id=row.comment_id, room=row.room, user=row.user_name, text=row.text, ts=row.ts,
        received_at=row.received_at, lang=row.lang, status=row.status, faq_id=row.faq_id,
        product_id=row.product_id, intent=row.intent, score=row.score, reply_text=row.reply_text,
        reason=row.reason,
    )
