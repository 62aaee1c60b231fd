"""Chromium (Playwright) against a real console (uvicorn thread, SQLite) and a real running bot (`BotService` in a
thread, hashing embedder): a cross-border room's languages, main language and fallback policy are shown in Chinese
on the dashboard and the live page (from the bot's heartbeat), and an editor changes the fallback policy on the live
page: the running bot applies it without a restart. A comment tagged German (no German answer in the catalog for
the shipping FAQ) is answered in Chinese under "main" and handed to staff after the change to "staff"; the review
queue's "answered in another language" section says the room's policy now; when the bot stops, the section goes
(nothing is shown for a room no bot serves)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.browser_login import close_pages, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

require_chromium()

from playwright.sync_api import expect  # noqa: E402

from bot.console.server import PASSWORD_ENV  # noqa: E402
from bot.messages import Comment  # noqa: E402
from bot.pipeline import MatchSettings  # noqa: E402
from catalog.accounts import Accounts  # noqa: E402
from tests.browser_login import browser_sign_in, demo_console  # noqa: E402
from tests.live_bot import BotThread  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "room-langs-pw-1"
CROSS_BORDER = MatchSettings(answer_threshold=0.5, staff_threshold=0.4, room_languages=("zh", "en", "de"),
                             lang_fallback="main")


def _german(cid: str) -> Comment:
    """"包邮吗" tagged German by the platform: the shipping FAQ matches, it has no German answer."""
    return Comment(id=cid, user="hans", text="包邮吗", ts=time.time(), room="local", lang="de")


def test_room_languages_and_fallback_are_shown_in_chinese_and_changed_live(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch, browser) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with demo_console(tmp_path / "langs.db") as (store, console):
        bot = BotThread(store, str(tmp_path / "spool.jsonl"), settings=CROSS_BORDER)
        stopped = False
        try:
            page = browser_sign_in(browser, console.url, "staff", PASSWORD)  # zh-CN, on the dashboard
            errors: list[object] = []
            page.on("pageerror", lambda exc: errors.append(exc))

            # the dashboard: filled in from /api/stats once the bot's heartbeat is there
            room = page.locator('#room-langs li[data-room="local"]')
            expect(room.locator(".langs")).to_have_text("中文、英语、德语", timeout=10_000)
            expect(room.locator(".main")).to_have_text("中文")
            expect(room.locator(".fallback")).to_have_text("没有该语言的回答时：用直播间主语言（中文）回答")
            expect(page.locator("#room-langs h2")).to_have_text("直播间语言")

            # the live page: rendered by the server, kept current by the feed's status events
            page.goto(console.url + "/live")
            expect(page.locator("#live")).to_have_attribute("data-connected", "1", timeout=10_000)
            room = page.locator('#room-langs li[data-room="local"]')
            expect(room).to_contain_text("中文、英语、德语 · 主语言 中文 · 没有该语言的回答时：用直播间主语言（中文）回答")
            expect(page.locator("#fallback-select")).to_have_value("main")

            bot.say(_german("de-1"))
            first = page.locator('#feed li[data-key="local|de-1"]')
            expect(first).to_have_attribute("data-status", "answered", timeout=10_000)
            expect(first.locator(".reply")).to_contain_text("中国大陆全场包邮")

            # staff switch the room to "hand it to staff": the running bot takes it, no restart
            page.select_option("#fallback-select", "staff")
            page.click("#fallback-button")
            expect(page.locator(".flash.ok")).to_contain_text("直播间 local 已更改。没有该语言的回答时：转人工")
            expect(room.locator(".fallback")).to_have_text("没有该语言的回答时：转人工", timeout=10_000)
            expect(page.locator("#fallback-select")).to_have_value("staff")
            assert bot.engine.state.settings.lang_fallback == "staff"
            assert bot.thread.is_alive()  # the same bot, not restarted

            bot.say(_german("de-2"))
            second = page.locator('#feed li[data-key="local|de-2"]')
            expect(second).to_have_attribute("data-status", "staff", timeout=10_000)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "live-room-langs.png"), full_page=True)
            entries = [e for e in Accounts(store).audit_entries(target_type="room") if e.action == "room.setting"]
            assert [(e.target_id, e.before, e.after) for e in entries] == [
                ("local", {"lang_fallback": "main"}, {"lang_fallback": "staff"})]

            # the review queue's "answered in another language" groups say what the room does now
            page.goto(console.url + "/review")
            page.locator("#fallback > summary").click()
            expect(page.locator('#fallback .room-fallback[data-room="local"]')).to_have_text(
                "local 当前设置：没有该语言的回答时：转人工")
            page.goto(console.url + "/live")

            # the bot stops: the live page says nothing about a room no bot serves
            bot.stop()
            stopped = True
            expect(page.locator("#room-langs")).to_be_hidden(timeout=10_000)
            expect(page.locator("#bot-status")).to_have_attribute("data-state", "stopped")
            assert not errors, errors
            assert re.search(r"未知", page.content()) is None
            close_pages(browser)
        finally:
            if not stopped:
                bot.stop()
