"""Shared fixtures: a real PostgreSQL schema per test (migrated, or empty), and one warmed-up USE-m3 model per test session."""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
import warnings
from asyncio import events as asyncio_events
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# The terminal's language follows the locale (bot/cli_i18n.py): the tests read the CLI's English lines, also on a
# Chinese desktop (tests/test_cli_language.py sets the locale it tests). C.UTF-8: English messages, UTF-8 text.
for _name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"

PG_URL = os.environ.get("LIVEREPLY_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(autouse=True)
def _cli_language_reset() -> Iterator[None]:
    """`bot.cli.main` sets the terminal's language once per command (bot/cli_i18n.py, a module global, as one process
    runs one command); a test that calls `main(argv)` in-process must not leave it to the next test on the worker
    (a transcript test read Chinese after a Chinese `staff` command ran before it)."""
    yield
    from bot import cli_i18n

    cli_i18n.use(cli_i18n.ENGLISH)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashes() -> Iterator[None]:
    """The staff accounts the tests create and sign in with are hashed with argon2id at its lowest cost (1 pass over
    1 MiB) instead of the library's recommended 64 MiB: each hash or sign-in cost ~0.1-0.25 s of CPU, and the console
    tests create and sign in hundreds. Still argon2id through the same `hash_password` / sign-in code; a hash made with
    the real parameters (a `livereply staff add` subprocess) still verifies, and is re-hashed on sign-in as an
    upgrade would be. Commands run as subprocesses hash with the real parameters."""
    from argon2 import PasswordHasher

    from bot.console import auth

    real = auth._hasher
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    try:
        yield
    finally:
        auth._hasher = real


class _PgSchemas:
    """Schemas of the `test` database for one test process (xdist worker): empty ones, and migrated ones restored from
    one schema migrated once per process.

    Migrating a new schema (19 Alembic revisions) cost 0.4-1 s per test; replaying the migrated schema's
    `pg_dump --schema-only`-like dump (DDL plus the rows the migrations insert: alembic_version, the clock's row ...)
    under a new name costs ~30 ms. The dump is taken once, with the name replaced, so each test still gets a schema
    of its own that nothing else has written to. Without a usable pg_dump (missing, older than the server) each
    migrated schema is migrated again, as before (with a warning).
    """

    _PLACEHOLDER = "lr_schema_placeholder"

    def __init__(self, url: str) -> None:
        self.url = url
        self.admin = create_engine(url, isolation_level="AUTOCOMMIT")
        self._dump: str | None = None
        self._dump_tried = False

    def schema_url(self, schema: str) -> str:
        url = make_url(self.url).update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    def create_empty(self) -> str:
        schema = f"lr_test_{uuid.uuid4().hex[:12]}"
        try:
            with self.admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        except OperationalError as exc:
            pytest.fail(f"PostgreSQL is required at {self.url} (set LIVEREPLY_TEST_PG_URL): {exc}")
        return schema

    def create_migrated(self) -> str:
        dump = self._migrated_dump()
        if dump is None:
            schema = self.create_empty()
            self.migrate(schema)
            return schema
        schema = f"lr_test_{uuid.uuid4().hex[:12]}"
        self.run_script(dump.replace(self._PLACEHOLDER, schema))
        return schema

    def migrate(self, schema: str) -> None:
        from catalog.db import make_engine, migrate

        engine = make_engine(self.schema_url(schema))
        try:
            migrate(engine)
        finally:
            engine.dispose()

    def run_script(self, sql: str) -> None:
        """Run a dump's statements in one round trip (psycopg runs several statements when given no parameters)."""
        raw = self.admin.raw_connection()
        try:
            with raw.cursor() as cursor:
                cursor.execute(sql)
        finally:
            raw.close()

    def dump(self, schema: str) -> str:
        """`pg_dump` of one schema: its DDL and rows (as INSERTs), with the schema's name replaced by a placeholder and
        without psql's meta-commands (\\restrict ...), ready for `run_script`. Raises when pg_dump fails."""
        parsed = make_url(self.url)
        env = dict(os.environ)
        if parsed.password is not None:
            env["PGPASSWORD"] = str(parsed.password)
        cmd = ["pg_dump", "--no-owner", "--no-privileges", "--no-comments", "--inserts", "--schema", schema,
               "--host", parsed.host or "127.0.0.1", "--port", str(parsed.port or 5432),
               "--username", parsed.username or "postgres", parsed.database or "test"]
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60, check=True).stdout
        lines = [line for line in out.splitlines() if not line.startswith("\\")]
        return "\n".join(lines).replace(schema, self._PLACEHOLDER) + "\n"

    def _migrated_dump(self) -> str | None:
        if not self._dump_tried:
            self._dump_tried = True
            template = self.create_empty()
            try:
                self.migrate(template)
                self._dump = self.dump(template)
            except (OSError, subprocess.SubprocessError) as exc:
                warnings.warn(f"pg_dump unusable ({exc}): each PostgreSQL test migrates its own schema", stacklevel=1)
            finally:
                self.drop(template)
        return self._dump

    def drop(self, schema: str) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    def close(self) -> None:
        self.admin.dispose()


@pytest.fixture(scope="session")
def _pg_schemas() -> Iterator[_PgSchemas]:
    schemas = _PgSchemas(PG_URL)
    try:
        yield schemas
    finally:
        schemas.close()


@pytest.fixture
def postgres_url(_pg_schemas: _PgSchemas) -> Iterator[str]:
    """A URL whose connections use a fresh schema of the `test` database, migrated to the heads of
    catalog/migrations (restored from a schema migrated once per test process), dropped afterwards.
    tests/test_pg_fixture.py checks that it equals a schema just migrated and that no rows pass from one to the next.

    PostgreSQL is required (CI starts it): an unreachable server fails the test instead of skipping it.
    """
    schema = _pg_schemas.create_migrated()
    try:
        yield _pg_schemas.schema_url(schema)
    finally:
        _pg_schemas.drop(schema)


@pytest.fixture
def postgres_empty_url(_pg_schemas: _PgSchemas) -> Iterator[str]:
    """A URL whose connections use a fresh, empty schema (no migration applied), dropped afterwards: for the tests of
    the migrations themselves."""
    schema = _pg_schemas.create_empty()
    try:
        yield _pg_schemas.schema_url(schema)
    finally:
        _pg_schemas.drop(schema)


@pytest.fixture(scope="session")
def embedder():
    """The default USE-m3 embedder (2 threads), loaded and warmed up once per session, with a memo of the vectors it
    has computed (tests/memo_embedder.py: the model tests build the same demo index again and again)."""
    from models.embedders import get_embedder
    from tests.memo_embedder import MemoEmbedder

    e = get_embedder("use-m3", threads=2)
    e.warmup()
    return MemoEmbedder(e)


class _Chromium:
    """Debian's Chromium driven by Playwright, launched at most once per test process (xdist worker).

    The sync API marks its event loop as the thread's running loop after every call (playwright's wait_for_future), so
    while it is alive `asyncio.run()` in the same thread refuses to start. Other tests of the worker run between the
    browser tests: the loop is marked running only while a test holds the `browser` fixture (and for the launch and
    the shutdown), and cleared otherwise; the playwright calls all happen inside those windows.
    """

    def __init__(self) -> None:
        self._manager: Any = None
        self._browser: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def acquire(self) -> Any:
        from playwright.sync_api import sync_playwright

        from tests.browser_login import CHROMIUM, CHROMIUM_ARGS

        if self._loop is not None:
            asyncio_events._set_running_loop(self._loop)
        if self._browser is not None and not self._browser.is_connected():  # chromium died: a new one
            self._stop()
        if self._browser is None:
            self._manager = sync_playwright()
            playwright = self._manager.start()
            self._browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            self._loop = asyncio_events._get_running_loop()
        return self._browser

    def release(self) -> None:
        """Close the contexts (pages) the test opened, then unmark the loop."""
        try:
            if self._browser is not None and self._browser.is_connected():
                for context in list(self._browser.contexts):
                    context.close()
        finally:
            asyncio_events._set_running_loop(None)

    def _stop(self) -> None:
        manager, browser = self._manager, self._browser
        self._manager = self._browser = self._loop = None
        try:
            if browser is not None and browser.is_connected():
                browser.close()
        finally:
            if manager is not None:
                manager.__exit__()
            asyncio_events._set_running_loop(None)

    def shutdown(self) -> None:
        if self._manager is None:
            return
        if self._loop is not None:
            asyncio_events._set_running_loop(self._loop)
        self._stop()


@pytest.fixture(scope="session")
def _chromium() -> Iterator[_Chromium]:
    chromium = _Chromium()
    try:
        yield chromium
    finally:
        chromium.shutdown()


@pytest.fixture
def browser(_chromium: _Chromium) -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never `playwright install`), launched once per test process and shared;
    each test makes its own contexts (tests/browser_login.py: browser_sign_in), closed when it ends, before the
    fixtures it was given after this one stop (a console waits for its open /live streams). Browser test modules skip
    themselves first when Chromium is missing (tests/browser_login.py: require_chromium).

    Measured (2026-12-03, shared 2-core box): one launch per test module cost ~1 s of playwright driver + Chromium
    start per module, and a page left open on /live kept its console's stop waiting 5 s."""
    try:
        yield _chromium.acquire()
    finally:
        _chromium.release()


# Tiers: `make test-fast` deselects the marks slow, postgres, browser, console and integration. Tests that use the
# real model or PostgreSQL are marked here from their fixtures (or, for a database-kind parameter, from its value),
# so a new test cannot slip into the fast tier by forgetting a mark.
_MARK_BY_FIXTURE = {"embedder": "slow", "postgres_url": "postgres", "postgres_empty_url": "postgres"}
# Whole files outside the fast tier: heavy by design (fuzzing, training) or the console's HTTP app.
_MARK_BY_FILE = {
    "test_fuzz_codecs.py": "slow",
    "test_train.py": "slow",
    "test_encoder_process.py": "slow",  # starts encoder child processes with the real model
    "test_chaos.py": "slow",
    "test_orders_concurrency.py": "slow",  # spawns processes that race for the same stock
    "test_platform_moderation.py": "integration",  # whole live loops against local platform servers
    "test_adapter_room.py": "integration",  # the local websocket room with its drain and reconnect timing
    "test_console.py": "console",
    "test_console_security.py": "console",
    "test_console_intents.py": "console",
    "test_console_roundtrip.py": "console",
    "test_console_browser.py": "browser",
    "test_console_safe_edits.py": "console",
    "test_live_console.py": "console",
    "test_live_browser.py": "browser",
}


def _parametrized_with_postgres(item) -> bool:
    """A test (or a fixture it uses, e.g. a `store` over ["sqlite", "postgresql"]) parametrized over database kinds:
    the PostgreSQL case may fetch the server itself (`request.getfixturevalue("postgres_url")`), so no fixture name
    marks it; its parameter value does."""
    callspec = getattr(item, "callspec", None)
    return callspec is not None and any(value in ("postgres", "postgresql") for value in callspec.params.values())


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _parametrized_with_postgres(item):
            item.add_marker(pytest.mark.postgres)
        file_mark = _MARK_BY_FILE.get(item.path.name)
        if file_mark:
            item.add_marker(getattr(pytest.mark, file_mark))
        for fixture, mark in _MARK_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(getattr(pytest.mark, mark))
