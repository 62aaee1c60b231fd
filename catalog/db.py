"""Engine creation and schema migrations (Alembic, run programmatically: no alembic.ini).

Engines of a server database (PostgreSQL) check a pooled connection before handing it out when it sat unused for
more than `PING_IDLE_S` (one round trip; a connection used a moment ago is not pinged again: if the server dropped it
since, the statement fails and the store's retry gets a fresh one, see catalog/store/base.py).

SQLite engines get WAL, a busy timeout and foreign keys; SQLAlchemy emits BEGIN itself, so reads run in a real
transaction (a consistent snapshot) and write transactions opened with `write_transaction` take the write lock
up front (BEGIN IMMEDIATE) instead of failing half way with "database is locked".

Command line::

    python -m catalog.db upgrade  [--url URL]     # apply migrations (what CatalogStore does on start)
    python -m catalog.db current  [--url URL]     # show the applied revision
    python -m catalog.db check    [--url URL]     # compare the database with catalog/schema.py
    python -m catalog.db revision -m "add staff users"   # new migration file in catalog/migrations/versions
"""

from __future__ import annotations

import argparse
import ast
import functools
import logging
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic (and the Mako and Pygments it pulls in) is imported by the functions that use it: a start whose database
# is already at the migrations' heads never needs it (``migrate`` checks that first, ~0.1 s of a warm start).

__all__ = [
    "DEFAULT_URL",
    "MIGRATIONS_DIR",
    "alembic_config",
    "current_revision",
    "head_revision",
    "make_engine",
    "migrate",
    "schema_diff",
    "sqlite_writer",
    "write_transaction",
]

log = logging.getLogger(__name__)

DEFAULT_URL = "sqlite:///var/livereply.db"  # relative to the current directory
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000
_WRITE_OPTION = "livereply_write"
_MIGRATION_LOCK_KEY = 0x4C52_4341  # "LRCA": PostgreSQL advisory lock serialising concurrent migrations
PING_IDLE_S = 1.0  # a pooled server connection idle longer than this is pinged at checkout
_RETURNED_AT = "livereply_returned_at"
_WRITER_LOCK = "livereply_writer_lock"  # Engine attribute: the in-process lock of a SQLite file's write transactions


def make_engine(url: str | None = None, *, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS, **kwargs: Any) -> Engine:
    """Create an engine for `url` (default `sqlite:///var/livereply.db`, relative to the cwd).

    For a SQLite file the parent directory is created, and every connection gets WAL journaling,
    `busy_timeout` (how long a writer waits for the lock) and `foreign_keys=ON`. Other keyword arguments go to
    `sqlalchemy.create_engine`.
    """
    parsed = make_url(url or DEFAULT_URL)
    if parsed.get_backend_name() != "sqlite":
        server_engine = create_engine(parsed, **kwargs)
        if not kwargs.get("pool_pre_ping"):
            _ping_when_idle(server_engine, PING_IDLE_S)
        return server_engine

    database = parsed.database or ""
    in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
    if not in_memory and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    connect_args = dict(kwargs.pop("connect_args", {}))
    connect_args.setdefault("timeout", busy_timeout_ms / 1000)
    connect_args.setdefault("check_same_thread", False)
    engine = create_engine(parsed, connect_args=connect_args, **kwargs)
    setattr(engine, _WRITER_LOCK, (threading.RLock(), busy_timeout_ms / 1000))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN (see _on_begin)
        cursor = dbapi_connection.cursor()
        try:
            if not in_memory:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _ping_when_idle(engine: Engine, idle_s: float) -> None:
    """``pool_pre_ping`` for connections idle longer than ``idle_s`` only. SQLAlchemy's pre-ping costs a round trip
    on every checkout — as much as the statement itself on the live loop's hot path, where a connection comes back
    to the pool and out again within milliseconds. A connection that fails its ping is replaced (the pool retries
    the checkout on DisconnectionError)."""

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get(_RETURNED_AT)
        if returned is None or time.monotonic() - returned <= idle_s:  # just connected, or used a moment ago
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)  # the dialect's ping (psycopg: SELECT 1 in autocommit)
        except Exception as exc:  # any failure: the pool drops this connection and checks out another one
            raise DisconnectionError(f"pooled connection failed its ping: {exc}") from exc
        if not alive:
            raise DisconnectionError("pooled connection failed its ping")


@contextmanager
def sqlite_writer(engine: Engine) -> Iterator[None]:
    """Threads of this process take a SQLite database's write lock one at a time, through a mutex, before they ask
    SQLite for it (a no-op for other databases).

    SQLite has one writer; a second writer's BEGIN IMMEDIATE is refused and its busy handler sleeps 1, 2, 5, 10 … ms
    before it asks again. The live loop writes a comment batch and its outcomes in transactions of ~0.2 ms while
    the reply sender, the console and the heartbeat write from other threads: a collision cost the deciding thread a
    whole sleep step (1-6 ms) where the other transaction needed a fraction of one. Waiting on the mutex, it goes on
    as soon as the other commits. Writers in other processes still meet SQLite's busy handler. A mutex held longer
    than the busy timeout (a big import) is not waited for beyond it: SQLite's own wait and "database is locked"
    then apply, as before."""
    held = getattr(engine, _WRITER_LOCK, None)
    if held is None:
        yield
        return
    lock, timeout_s = held
    acquired = lock.acquire(timeout=timeout_s)
    try:
        yield
    finally:
        if acquired:
            lock.release()


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in a write transaction, committed on success and rolled back on error.

    On SQLite the transaction starts with BEGIN IMMEDIATE (waits up to the busy timeout for the write lock), after
    this process's other writers (`sqlite_writer`).
    """
    with sqlite_writer(engine), engine.connect() as conn:
        conn.execution_options(**{_WRITE_OPTION: True})
        with conn.begin():
            yield conn


def alembic_config(url: str | None = None) -> Config:
    """An Alembic Config pointing at catalog/migrations, built in code."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(engine: Engine, revision: str = "heads") -> None:
    """Upgrade the database to `revision` (default: every head, so parallel branches of migrations all apply).
    Safe to call from many processes. Returns at once when the database is at the heads of catalog/migrations."""
    if revision == "heads" and _at_script_heads(engine):
        return
    from alembic import command

    cfg = alembic_config()
    with write_transaction(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
        before = _heads(conn)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        after = _heads(conn)
    if before != after:
        log.info("migrated %s from %s to %s", engine.url.render_as_string(hide_password=True), before, after)


_ASSIGNMENT = re.compile(r"^(revision|down_revision)\b[^=\n]*=\s*(.+?)\s*$", re.M)


@functools.lru_cache(maxsize=1)
def script_heads() -> frozenset[str] | None:
    """The head revisions of catalog/migrations/versions, read from each file's ``revision`` and ``down_revision``
    lines (no Alembic import); None when a file does not state them as plain literals (then ask Alembic)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found = {m.group(1): m.group(2) for m in _ASSIGNMENT.finditer(path.read_text(encoding="utf-8"))}
        try:
            revision = ast.literal_eval(found["revision"])
            down = ast.literal_eval(found["down_revision"])
        except (KeyError, ValueError, SyntaxError):
            return None
        downs = (down,) if isinstance(down, str) else down if isinstance(down, tuple) else () if down is None else None
        if not isinstance(revision, str) or downs is None or not all(isinstance(d, str) for d in downs):
            return None
        revisions.add(revision)
        parents.update(downs)
    return frozenset(revisions - parents) or None


def _at_script_heads(engine: Engine) -> bool:
    """True when the database's alembic_version names exactly the heads of catalog/migrations (nothing to apply)."""
    heads = script_heads()
    if heads is None:
        return False
    try:
        with engine.connect() as conn:
            stored = {str(r[0]) for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
    except SQLAlchemyError:  # no alembic_version yet: a new database
        return False
    return stored == heads


def _heads(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    heads = MigrationContext.configure(conn).get_current_heads()
    return "+".join(sorted(heads)) if heads else None


def current_revision(engine: Engine) -> str | None:
    """The database's revision ("0006+0007" while two branches of migrations are both applied)."""
    with engine.connect() as conn:
        return _heads(conn)


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    return "+".join(sorted(heads)) if heads else None


def schema_diff(engine: Engine) -> list[Any]:
    """Differences between the migrated database and `catalog.schema` (empty when they agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from catalog.schema import Base, load_all_models

    load_all_models()
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def _next_revision_id() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    numbers = [int(rev.revision) for rev in script.walk_revisions() if rev.revision.isdigit()]
    return f"{max(numbers, default=0) + 1:04d}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m catalog.db", description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["upgrade", "current", "check", "revision"])
    parser.add_argument("--url", default=DEFAULT_URL, help=f"database URL (default {DEFAULT_URL})")
    parser.add_argument("-m", "--message", help="revision message (for `revision`)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    if args.action == "revision":
        if not args.message:
            parser.error("revision needs -m MESSAGE")
        from alembic import command

        command.revision(alembic_config(), message=args.message, rev_id=_next_revision_id())
        return 0
    engine = make_engine(args.url)
    try:
        if args.action == "upgrade":
            migrate(engine)
            sys.stdout.write(f"{current_revision(engine)}\n")
        elif args.action == "current":
            sys.stdout.write(f"{current_revision(engine)} (head {head_revision()})\n")
        else:
            diff = schema_diff(engine)
            for item in diff:
                sys.stdout.write(f"{item}\n")
            return 1 if diff else 0
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
