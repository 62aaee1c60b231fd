"""Chromium (Playwright) against a real console (uvicorn thread, SQLite): two staff members edit the same FAQ;
the second save shows the stale-save message and the diff, in the staff member's language, and saves nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser_login import require_chromium

pytestmark = [pytest.mark.browser]

require_chromium()

from playwright.sync_api import Browser, Page  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.console.auth import add_staff  # noqa: E402
from bot.console.server import ConsoleHandle, start_console_thread  # noqa: E402
from catalog.io import import_catalog  # noqa: E402
from catalog.store import CatalogStore  # noqa: E402
from tests.browser_login import browser_sign_in  # noqa: E402
from tests.live_bot import free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
FAQ_ID = "shipping-free"
EDITOR = ("ed2", "editor-pass-2")
OTHER_EDITOR = ("ed3", "editor-pass-3")


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("safe-edits")
    settings = Settings(db=f"sqlite:///{tmp / 'console.db'}", console_port=free_port())
    store = CatalogStore(settings.db)
    import_catalog(store, ROOT / "data" / "catalog.yaml")
    add_staff(store, *EDITOR, "editor")
    add_staff(store, *OTHER_EDITOR, "editor")
    handle = start_console_thread(store, settings)
    yield store, handle
    handle.stop()
    store.close()


def sign_in(browser: Browser, handle: ConsoleHandle, username: str, password: str, locale: str) -> Page:
    return browser_sign_in(browser, handle.url, username, password, locale=locale)


def test_stale_faq_save_shows_the_message_and_the_diff(console, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    store, handle = console
    first = sign_in(browser, handle, *OTHER_EDITOR, "en-US")
    second = sign_in(browser, handle, *EDITOR, "zh-CN")
    first.goto(handle.url + f"/faqs/{FAQ_ID}")
    second.goto(handle.url + f"/faqs/{FAQ_ID}")
    before_en = store.snapshot().faqs[FAQ_ID].answers.get("en")

    first.fill("#answer_zh", "【第一位】全国包邮。")
    first.click("#save-faq")
    first.wait_for_url(re.compile(rf".*/faqs/{FAQ_ID}\?ok="))

    second.fill("#answer_en", "Second editor's answer.")
    second.click("#save-faq")
    second.wait_for_selector("#edit-conflict")
    assert "其他人已保存了这一项" in second.inner_text("#form-error")
    diff = second.inner_text("#edit-conflict")
    assert "【第一位】全国包邮。" in diff and "Second editor's answer." in diff
    ARTIFACTS.mkdir(exist_ok=True)
    second.screenshot(path=str(ARTIFACTS / "console-stale-save.png"), full_page=True)
    faq = store.snapshot().faqs[FAQ_ID]
    assert faq.answers["zh"] == "【第一位】全国包邮。" and faq.answers.get("en") == before_en  # nothing of the second

    # merged in the form (which kept the second editor's text) and saved again: it goes through
    second.fill("#answer_zh", "【第一位】全国包邮。")
    second.click("#save-faq")
    second.wait_for_url(re.compile(rf".*/faqs/{FAQ_ID}\?ok="))
    answers = store.snapshot().faqs[FAQ_ID].answers  # the editor changed zh and en; ja, ko, … are as they were
    assert {k: answers[k] for k in ("zh", "en")} == {"zh": "【第一位】全国包邮。", "en": "Second editor's answer."}
