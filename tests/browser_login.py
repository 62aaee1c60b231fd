"""What the browser tests share: Debian's Chromium (found or the module skipped) and signing in to the staff console
through its real login form."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # playwright is imported by the browser tests themselves, after their chromium check
    from playwright.sync_api import Browser, Page

    from bot.console.server import ConsoleHandle
    from catalog.store import CatalogStore

CHROMIUM = "/usr/bin/chromium"  # Debian's chromium (apt); never `playwright install`
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


def require_chromium() -> None:
    """Skip the calling test module (before it imports playwright) when this machine has no Chromium."""
    if not os.path.exists(CHROMIUM):  # pragma: no cover - depends on the machine
        pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)


def fill_login(page: Page, base_url: str, username: str, password: str) -> Page:
    """Type the credentials into /login on `page` and wait for the dashboard."""
    page.goto(base_url + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/dashboard$"))
    return page


def browser_sign_in(
    browser: Browser,
    base_url: str,
    username: str,
    password: str,
    *,
    locale: str = "zh-CN",
    width: int = 1280,
    js: bool = True,
) -> Page:
    """A fresh browser context (its own cookies, `locale`, `width` px wide, JavaScript on or off), signed in."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale, java_script_enabled=js)
    return fill_login(context.new_page(), base_url, username, password)


def close_pages(browser: Browser) -> None:
    """Close every context (page) the test opened on the shared browser (tests/conftest.py: `browser`), before the
    console it shows stops (a page left on /live keeps the console's stop waiting); Chromium itself stays up."""
    for context in list(browser.contexts):
        context.close()


@contextmanager
def demo_console(db: Path, **settings: Any) -> Iterator[tuple[CatalogStore, ConsoleHandle]]:
    """The staff console in a thread on a free port, over a new SQLite file `db` with the demo catalog imported (no bot
    running); `settings` are passed to `Settings`. The first sign-in creates the admin from `PASSWORD_ENV`."""
    from bot.config import Settings
    from bot.console.server import start_console_thread
    from catalog.io import import_catalog
    from catalog.store import CatalogStore
    from tests.live_bot import free_port

    config = Settings(db=f"sqlite:///{db}", console_port=free_port(), **settings)
    store = CatalogStore(config.db)
    import_catalog(store, Path(__file__).resolve().parents[1] / "data" / "catalog.yaml")
    handle = start_console_thread(store, config)
    try:
        yield store, handle
    finally:
        handle.stop()
        store.close()
