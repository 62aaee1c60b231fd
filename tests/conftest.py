"""Shared fixtures: a real PostgreSQL schema per test, and one warmed-up USE-m3 model per test session."""

from __future__ import annotations

import asyncio
import os
import uuid
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


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL whose connections use a fresh, empty schema of the `test` database (dropped afterwards).

    PostgreSQL is required (CI starts it): an unreachable server fails the test instead of skipping it.
    """
    schema = f"lr_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    except OperationalError as exc:
        admin.dispose()
        pytest.fail(f"PostgreSQL is required at {PG_URL} (set LIVEREPLY_TEST_PG_URL): {exc}")
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


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
_MARK_BY_FIXTURE = {"embedder": "slow", "postgres_url": "postgres"}
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
