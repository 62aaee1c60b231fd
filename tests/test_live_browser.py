"""The live show page in Chromium (Playwright): a comment the bot records appears without a reload (Server-Sent
Events), a hand-off gets an inline "answer now" form, and the real pause / resume buttons reach the bot through the
database outbox (its status on the page turns to paused, then live). The bot is a real BotService on the same
SQLite file (hashing embedder, in-memory room, in a thread); the console is uvicorn in a thread."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser_login import CHROMIUM, CHROMIUM_ARGS, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]

require_chromium()

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.console.server import PASSWORD_ENV, start_console_thread  # noqa: E402
from bot.messages import Comment  # noqa: E402
from catalog.io import import_catalog  # noqa: E402
from catalog.store import CatalogStore  # noqa: E402
from tests.live_bot import BotThread, free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
LIVE_CHROMIUM_ARGS = [*CHROMIUM_ARGS, "--autoplay-policy=no-user-gesture-required"]
PASSWORD = "live-browser-pw-1"


def test_live_page_streams_comments_and_pauses_the_bot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    settings = Settings(db=f"sqlite:///{tmp_path / 'live.db'}", console_port=free_port(), handoff_alert_s=1)
    store = CatalogStore(settings.db)
    import_catalog(store, ROOT / "data" / "catalog.yaml")
    console = start_console_thread(store, settings)
    bot = BotThread(store, str(tmp_path / "spool.jsonl"))
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LIVE_CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US").new_page()
            errors: list[Any] = []
            page.on("pageerror", lambda exc: errors.append(exc))
            page.goto(console.url + "/login")
            page.fill("input[name=username]", "staff")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(re.compile(r".*/dashboard$"))
            page.goto(console.url + "/live")
            expect(page.locator("#live")).to_have_attribute("data-connected", "1", timeout=10_000)
            expect(page.locator("#bot-status")).to_have_attribute("data-state", "live", timeout=10_000)
            loaded_at = page.evaluate("performance.timeOrigin")
            # the outbox: what waits to be posted and what was given up, by kind (from the bot's heartbeat)
            expect(page.locator("#outbox")).to_be_visible(timeout=10_000)
            expect(page.locator("#outbox-pending")).to_contain_text("answers 0 · staff answers 0 · keyword rules 0")

            # a comment arrives while the page is open: it shows up without a reload, with its outcome
            bot.say(Comment(id="b1", user="amy", text="包邮吗", ts=time.time(), room="local"))
            row = page.locator('#feed li[data-key="local|b1"]')
            expect(row).to_have_attribute("data-status", "answered", timeout=10_000)
            expect(row.locator(".reply")).to_be_visible()
            # a hand-off: highlighted, with an inline "answer now" form, and an alert once it waits too long
            bot.say(Comment(id="b2", user="bob", text="我要投诉你们的客服", ts=time.time(), room="local"))
            handoff = page.locator('#feed li[data-key="local|b2"]')
            expect(handoff).to_have_class(re.compile(r"\bhandoff\b"), timeout=10_000)
            expect(handoff.locator("form.answer-now input[name=text]")).to_be_visible()
            # the bot's reason is English log text; staff read it in their language, the raw text stays in data-reason
            expect(handoff.locator(".reason")).to_have_text("complaint: always handed to staff")
            assert (handoff.locator(".reason").get_attribute("data-reason") or "").startswith("intent complaint")
            expect(handoff).to_have_class(re.compile(r"\boverdue\b"), timeout=10_000)
            expect(page.locator("#alert-badge")).to_be_visible()
            assert page.title().startswith("(1⚠)")
            page.check("#only-handoffs")
            expect(row).to_be_hidden()
            expect(handoff).to_be_visible()
            page.uncheck("#only-handoffs")
            assert page.evaluate("performance.timeOrigin") == loaded_at  # still the same page: no reload
            page.screenshot(path=str(ARTIFACTS / "live-feed.png"), full_page=True)

            # the real pause button: the bot takes the command and says so in its heartbeat
            page.click("#pause-button")
            expect(page.locator(".flash.ok")).to_contain_text("Pausing")
            expect(page.locator("#bot-status")).to_have_attribute("data-state", "paused", timeout=10_000)
            assert bot.service.paused
            page.click("#resume-button")
            expect(page.locator("#bot-status")).to_have_attribute("data-state", "live", timeout=10_000)
            assert not bot.service.paused and not errors

            # the same feed for a Chinese-speaking staff member: reasons and paths in Chinese
            zh = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
            zh.goto(console.url + "/login")
            zh.fill("input[name=username]", "staff")
            zh.fill("input[name=password]", PASSWORD)
            zh.click("button[type=submit]")
            zh.wait_for_url(re.compile(r".*/dashboard$"))
            zh.goto(console.url + "/live")
            expect(zh.locator('#feed li[data-key="local|b2"] .reason')).to_have_text("投诉，一律转人工", timeout=10_000)
            expect(zh.locator("#outbox h2")).to_contain_text("发送队列")
            expect(zh.locator("#outbox-dropped")).to_contain_text("定时发言 0")
            browser.close()
    finally:
        bot.stop()
        console.stop()
        store.close()
