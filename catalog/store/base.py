"""StoreBase: the engine, the retrying transaction helpers and the little every part of the store shares.

- Writes and reads that fail with an OperationalError (locked database, dropped connection) are retried a few times
  with a short backoff; every retry is logged (`_retrying`, used by `_write` and `_read`).
- `_bump_version` raises `catalog_meta.version` inside the caller's transaction: a catalog write calls it in the
  same transaction as the change it makes.
- `_insert_ignore`: an INSERT that does nothing on a unique-key conflict, on SQLite and PostgreSQL alike.
- `_catalog_lock`: the lock a catalog write takes first (PostgreSQL), so a replace import and the writes racing it
  never deadlock and a write that waited for the import is applied to what it wrote.
- `_variant_rows`: the variant rows a stock write needs, by SKU, locked on PostgreSQL — one read for every stock
  write (orders, `set_stock(s)`, stock imports, the live stock a catalog load keeps), so none of them takes a
  variant that a concurrent replace import deleted and inserted again for missing. Locked rows are locked in SKU
  order (`SKU_ORDER`), as by every write that locks several.
- `_write_one` / `_read_one`: the same for work that is one SQL statement. On PostgreSQL that statement runs in
  autocommit mode: it is its own transaction (atomic, and durable when it returns, as any commit with the server's
  `synchronous_commit`), without the BEGIN and COMMIT round trips of `_write` / `_read` — the hot path's writes of
  the comment log (one multi-row statement per batch) and its one-row reads use them.

`catalog.store.CatalogStore` is composed of this class and its subclasses (one per concern); other `catalog`
modules (accounts, reports, control, room rules) use `_read` / `_write` / `_insert_ignore` of a store too.
"""

from __future__ import annotations

import contextlib
import logging
import math
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, Self, TypeVar

from sqlalchemy import Connection, insert, select, text, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from catalog.db import SQLITE_BUSY_TIMEOUT_MS, make_engine, migrate, sqlite_writer, write_transaction
from catalog.schema import CatalogMeta, Variant
from catalog.snapshot import FaqInfo, ProductInfo

log = logging.getLogger("catalog.store")  # the store's one logger, named as before it was split into modules

T = TypeVar("T")


class StoreBase:
    """The database engine and its retrying transactions; migrations run on creation (see `CatalogStore`)."""

    def __init__(
        self,
        url: str | None = None,
        *,
        run_migrations: bool = True,
        retries: int = 4,
        retry_delay: float = 0.05,
        busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
    ) -> None:
        self.engine = make_engine(url, busy_timeout_ms=busy_timeout_ms)
        self._retries = max(1, retries)
        self._retry_delay = retry_delay
        self._dialect = self.engine.dialect.name
        # the live loop's comment-log writes go to the driver directly (`_write_sqlite`) on the stdlib's sqlite3
        self._sqlite_direct = self._dialect == "sqlite" and self.engine.dialect.driver == "pysqlite"
        # the read caches of CatalogReads: (catalog version, id -> (edit_version, FAQ)) as last read (``_faqs``)
        self._faq_cache: tuple[int, dict[str, tuple[int, FaqInfo]]] = (0, {})
        self._product_cache: tuple[int, dict[str, tuple[int, ProductInfo]]] = (0, {})  # the same for products
        # the version, stock clock tick and row positions of the last snapshot (``CatalogReads._changed_since_last``)
        self._marks: Any = None
        # one snapshot at a time per store: the caches and marks above are updated together (a console thread and
        # the bot's reload thread of one process would otherwise interleave them and pair one's caches with the other's
        # marks)
        self._snapshot_lock = threading.RLock()
        if run_migrations:
            self._retrying("migrate", lambda: migrate(self.engine))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _retrying(self, what: str, fn: Callable[[], T]) -> T:
        for attempt in range(1, self._retries + 1):
            try:
                return fn()
            except OperationalError as exc:
                reason = _first_line(exc)
                if attempt == self._retries:
                    log.error("%s failed after %d attempts: %s", what, attempt, reason)
                    raise
                delay = self._retry_delay * 2 ** (attempt - 1)
                log.warning("%s failed (attempt %d/%d), retrying in %.2fs: %s", what, attempt, self._retries, delay, reason)
                time.sleep(delay)
        raise AssertionError("unreachable")

    def _write(self, what: str, fn: Callable[[Connection], T]) -> T:
        def attempt() -> T:
            with write_transaction(self.engine) as conn:
                return fn(conn)

        return self._retrying(what, attempt)

    def _write_one(self, what: str, fn: Callable[[Connection], T]) -> T:
        """`_write` for ``fn`` that executes exactly one statement (atomic by itself). On PostgreSQL it runs in
        autocommit mode: committed by the server when the statement completes, one round trip instead of three
        (BEGIN, the statement, COMMIT). Elsewhere the same as `_write` (SQLite's BEGIN IMMEDIATE is in-process)."""
        if self._dialect != "postgresql":
            return self._write(what, fn)
        return self._retrying(what, lambda: self._autocommit(fn))

    def _write_sqlite(self, what: str, fn: Callable[[sqlite3.Connection], T]) -> T:
        """A write transaction on SQLite's own connection (pooled like any other): BEGIN IMMEDIATE, ``fn(connection)``
        with plain SQL, COMMIT; rolled back on error. Retried like `_write`; a driver error is raised as the SQLAlchemy
        exception `_write` would raise (`OperationalError` for a locked database, …). SQLite engines only."""
        return self._on_sqlite(what, fn, transaction=True)

    def _read_one_sqlite(self, what: str, fn: Callable[[sqlite3.Connection], T]) -> T:
        """`_read_one` on SQLite's own connection: ``fn`` runs exactly one SELECT with plain SQL (its own snapshot), no
        BEGIN/COMMIT round of SQLAlchemy's around it (~20 µs instead of ~160 µs). Errors and retries as `_write_sqlite`."""
        return self._on_sqlite(what, fn, transaction=False)

    def _on_sqlite(self, what: str, fn: Callable[[sqlite3.Connection], T], *, transaction: bool) -> T:
        """``fn`` must finish every statement it runs (fetch all rows): an unfinished SELECT on a connection in
        autocommit mode keeps its read snapshot after the connection went back to the pool."""

        def attempt() -> T:
            if transaction:
                with sqlite_writer(self.engine):
                    return run()
            return run()

        def run() -> T:
            proxied = self.engine.raw_connection()  # the pool's connection: WAL, busy timeout, foreign keys set
            try:
                con = proxied.driver_connection
                assert isinstance(con, sqlite3.Connection)
                began = False
                try:
                    if not transaction:
                        return fn(con)
                    con.execute("BEGIN IMMEDIATE")
                    began = True  # only a transaction begun here is rolled back here
                    result = fn(con)
                    con.execute("COMMIT")
                except BaseException as exc:
                    if began and con.in_transaction:
                        with contextlib.suppress(sqlite3.Error):
                            con.execute("ROLLBACK")
                    if isinstance(exc, sqlite3.Error):
                        raise DBAPIError.instance(what, None, exc, sqlite3.Error) from exc
                    raise
                return result
            finally:
                proxied.close()

        return self._retrying(what, attempt)

    def _read_one(self, what: str, fn: Callable[[Connection], T]) -> T:
        """`_read` for ``fn`` that executes exactly one statement (one statement sees one snapshot by itself): on
        PostgreSQL in autocommit mode, one round trip instead of three. Elsewhere the same as `_read`."""
        if self._dialect != "postgresql":
            return self._read(what, fn)
        return self._retrying(what, lambda: self._autocommit(fn))

    def _autocommit(self, fn: Callable[[Connection], T]) -> T:
        with self.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            return fn(conn)

    def _read(self, what: str, fn: Callable[[Connection], T], consistent: bool = False) -> T:
        def attempt() -> T:
            with self.engine.connect() as conn:
                if consistent and self._dialect == "postgresql":
                    conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    return fn(conn)

        return self._retrying(what, attempt)

    def _insert_ignore(self, conn: Connection, table: Any, values: dict[str, Any]) -> bool:
        """INSERT that does nothing on a unique-key conflict. True when a row was inserted."""
        key = next(iter(table.__table__.primary_key.columns))
        stmt: sqlite_dialect.Insert | pg_dialect.Insert
        if self._dialect == "sqlite":
            stmt = sqlite_dialect.insert(table).values(**values).on_conflict_do_nothing()
        elif self._dialect == "postgresql":
            stmt = pg_dialect.insert(table).values(**values).on_conflict_do_nothing()
        else:  # pragma: no cover - other databases
            try:
                with conn.begin_nested():
                    conn.execute(insert(table).values(**values))
                return True
            except IntegrityError:
                return False
        # RETURNING tells reliably whether the row went in (rowcount of ON CONFLICT differs between drivers)
        return conn.execute(stmt.returning(key)).first() is not None

    @staticmethod
    def _bump_version(conn: Connection) -> int:
        conn.execute(
            update(CatalogMeta)
            .where(CatalogMeta.id == 1)
            .values(version=CatalogMeta.version + 1, updated_at=time.time())
        )
        return int(conn.execute(select(CatalogMeta.version).where(CatalogMeta.id == 1)).scalar_one())


def _catalog_lock(conn: Connection, *, replace: bool = False) -> None:
    """The first statement of every catalog write (product and FAQ edits, merge and replace imports) on PostgreSQL:
    the variants table in ROW EXCLUSIVE mode, or in EXCLUSIVE mode for a replace import. EXCLUSIVE conflicts with
    the modes of every write (ROW EXCLUSIVE, and ROW SHARE of a locking read) but not with plain reads: the bot
    reads on, edits and stock writes go on among themselves as before, and a replace import writes alone.

    A replace import deletes every FAQ, variant and product and inserts them again. A write that interleaved with it
    by row locks held some of those rows and waited for others in another order: a multi-SKU `set_stocks` holding a
    variant the import removes and waiting for one it keeps, a product edit holding the product row and waiting for a
    variant — deadlocks, one side aborted after `deadlock_timeout` and run again by `_retrying`. And an edit that
    waited for a row the import deleted found it gone (`NotFound` for a product the import inserted again, or an
    update of nothing). Now the import waits at its first statement, holding nothing, for the writes under way; a
    write that comes during the import waits at its first statement (an edit here, a stock write at its locking read
    of the variants, ROW SHARE), holding nothing, and its next statements see what the import committed: a stale edit
    is refused (`StaleEdit`), an edit without an opened-at version is applied to the imported row. SQLite's single
    writer already runs them one after another."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"LOCK TABLE {Variant.__tablename__} IN {'EXCLUSIVE' if replace else 'ROW EXCLUSIVE'} MODE"))


# The order in which every write that locks several variant rows locks them (PostgreSQL): by SKU, compared as code
# points (COLLATE "C", the order of Python's sorted(), so statements over chunks of a sorted list lock in one order).
# A write locking them in the order its plan reads them (an index scan: by SKU; a sequential scan: where the rows are
# stored) deadlocked with one locking the same rows in another order.
SKU_ORDER = Variant.sku.collate("C")
VARIANT_ROWS_PER_READ = 5_000  # SKUs per IN list of `_variant_rows` (a whole catalog's in bounded statements)
VARIANT_ROWS_ROUNDS = 20  # locking re-reads of SKUs not found (bounded: one per replace import that commits meanwhile)


def _variant_rows(
    conn: Connection, skus: Sequence[str], *columns: Any, lock: bool = False
) -> dict[str, tuple[Any, ...]]:
    """sku -> the values of `columns` of the `skus` that are stored (others left out), in the caller's transaction.

    `lock`: on PostgreSQL the rows are read FOR UPDATE and held until the transaction ends, so the stock the caller
    computes from them is still the stock when it writes (SQLite's writer holds the whole database anyway); they are
    locked in `SKU_ORDER`, as every write locking several variant rows does.

    A replace import (`load_catalog(replace=True)`) deletes every variant row and inserts it again in one
    transaction. Under READ COMMITTED a locking read that had to wait for it finds the old row deleted and skips it,
    although a new row with the same SKU was committed with it: the stock write refused a SKU that exists ("unknown
    SKU", an order "insufficient stock"), the import's kept stock took the file's. So the SKUs a locking read did not
    find are asked again by a new statement, whose snapshot has what committed while the last one waited, as long as
    that finds some of them or they exist by then (a re-read that waited for a second replace import finds its rows
    deleted again); a SKU that is really gone costs one more read and a plain one and is still left out.
    """
    locking = lock and conn.dialect.name == "postgresql"

    def read(wanted: Sequence[str]) -> dict[str, tuple[Any, ...]]:
        found: dict[str, tuple[Any, ...]] = {}
        if locking:  # in SKU order, the order of every write that locks several variant rows (no deadlock)
            wanted = sorted(set(wanted))
        for start in range(0, len(wanted), VARIANT_ROWS_PER_READ):
            query = select(Variant.sku, *columns).where(Variant.sku.in_(wanted[start : start + VARIANT_ROWS_PER_READ]))
            if locking:
                query = query.order_by(SKU_ORDER).with_for_update()
            found.update((str(sku), tuple(values)) for sku, *values in conn.execute(query).all())
        return found

    def stored(wanted: Sequence[str]) -> bool:  # any of them committed now (no lock, a new snapshot)
        return any(
            conn.execute(select(Variant.sku).where(Variant.sku.in_(wanted[start : start + VARIANT_ROWS_PER_READ]))
                         .limit(1)).first() is not None
            for start in range(0, len(wanted), VARIANT_ROWS_PER_READ)
        )

    rows = read(skus)
    missing = [sku for sku in dict.fromkeys(skus) if sku not in rows]
    for _ in range(VARIANT_ROWS_ROUNDS):
        if not (locking and missing):
            break
        again = read(missing)
        # found nothing: the read may have waited for a second import that replaced the rows again (imports in a
        # row); it is asked again while the rows exist, committed by then (each round is one more import)
        if not again and not stored(missing):
            break
        rows.update(again)
        missing = [sku for sku in missing if sku not in again]
    return rows


def _finite(value: Any, default: Any) -> Any:
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int beyond the float range
        return default
    return number if math.isfinite(number) else default


def _first_line(exc: BaseException) -> str:
    """The driver's message without SQLAlchemy's multi-line decoration (for one-line logs)."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return (text.splitlines() or [type(exc).__name__])[0]
