"""Chromium (Playwright) against a real console (uvicorn thread, SQLite): the live page open with NO bot running
shows the saved rooms' "no bot running" section; a bot that starts meanwhile (as `livereply run` starts it,
tests/live_bot.py) turns it into the running room's form by itself, without a reload (the feed's status events,
live.js `redrawRoomSettings`); when the bot stops, the saved section comes back, its form working (issue 10 point 6).
Waits on conditions only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser_login import close_pages, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(150)]

require_chromium()

from playwright.sync_api import expect  # noqa: E402

from bot.console.server import PASSWORD_ENV  # noqa: E402
from catalog.room_settings import room_lang_settings  # noqa: E402
from tests.browser_login import browser_sign_in, demo_console  # noqa: E402
from tests.live_bot import bot_as_run_starts_it  # noqa: E402

PASSWORD = "room-settings-refresh-pw-1"
WAIT_MS = 20_000  # a stopped bot's heartbeat turns stale after 5 s (bot/console/live.py STALE_S)


def test_open_live_page_switches_to_the_running_view_when_a_bot_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser,
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    spool = str(tmp_path / "spool.jsonl")
    with demo_console(tmp_path / "refresh.db", room_languages="zh,en") as (store, console):
        page = browser_sign_in(browser, console.url, "staff", PASSWORD)  # zh-CN
        errors: list[object] = []
        page.on("pageerror", lambda exc: errors.append(exc))
        page.goto(console.url + "/live")
        expect(page.locator("#live")).to_have_attribute("data-connected", "1")
        expect(page.locator("#room-langs-saved")).to_be_visible()
        expect(page.locator("#room-langs-no-bot")).to_have_text("当前没有运行中的机器人，保存后下次开播生效。")
        expect(page.locator("#room-langs")).to_be_hidden()
        expect(page.locator("#fallback-form")).to_have_count(0)
        page.evaluate("window.__sameDocument = 'yes'")  # gone if the page reloaded
        page.check("#only-handoffs")  # a filter staff set stays set: the page is not reloaded

        bot = bot_as_run_starts_it(store, spool, {"room_languages": "zh,en,ja"})
        try:
            # the running room's form replaces the saved section, with the running bot's languages
            expect(page.locator("#room-langs-saved")).to_have_count(0, timeout=WAIT_MS)
            expect(page.locator("#room-settings")).to_have_attribute("data-rooms", "local:p")
            expect(page.locator("#room-langs")).to_be_visible()
            expect(page.locator('#room-langs-list li[data-room="local"] .langs')).to_have_text("中文、英语、日语")
            expect(page.locator("#main-lang-select option")).to_have_text(["中文", "英语", "日语"])
            expect(page.locator("#fallback-button")).to_have_text("保存并立即生效")
            expect(page.locator("#bot-status")).to_have_attribute("data-state", "live")
            # the bot is live: "pause" only, the "resume" button hidden (its form.inline flex box once showed it anyway)
            expect(page.locator("#pause-button")).to_be_visible()
            expect(page.locator("#resume-button")).to_be_hidden()
            assert page.evaluate("window.__sameDocument") == "yes"
            expect(page.locator("#only-handoffs")).to_be_checked()
        finally:
            bot.stop()

        # the bot stopped: the saved section is back by itself, with the languages of its last run
        form = page.locator('#room-langs-saved form.saved-room-form[data-room="local"]')
        expect(form).to_be_visible(timeout=WAIT_MS)
        expect(page.locator("#room-settings")).to_have_attribute("data-rooms", "")
        expect(page.locator("#room-langs-no-bot")).to_have_text("当前没有运行中的机器人，保存后下次开播生效。")
        expect(form.locator(".main-lang-select option")).to_have_text(["中文", "英语", "日语"])
        expect(form.locator(".chip")).to_have_count(0)  # one room: named in the list above, not again in its form
        expect(page.locator("#resume-button")).to_be_visible()  # no bot: both, the request waits for one
        assert page.evaluate("window.__sameDocument") == "yes"
        # the redrawn form works: its "main" choice names the main language picked beside it, and it saves
        form.locator(".main-lang-select").select_option("ja")
        expect(form.locator('.fallback-select option[value="main"]')).to_have_text("用直播间主语言（日语）回答")
        form.locator(".fallback-select").select_option("main")
        form.locator("button.room-langs-button").click()
        expect(page.locator(".flash.ok")).to_contain_text("直播间 local 已保存。主语言：日语。")
        kept = room_lang_settings(store, "local")
        assert kept.main_lang is not None and kept.main_lang.value == "ja"
        assert kept.lang_fallback is not None and kept.lang_fallback.value == "main"
        assert not errors, errors
        close_pages(browser)
