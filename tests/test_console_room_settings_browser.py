"""Chromium (Playwright) against a real console (uvicorn thread, SQLite) and a real running bot (`BotService` in a
thread, hashing embedder, started as `livereply run` starts it: tests/live_bot.py bot_as_run_starts_it): an editor
sets the room's main language and fallback policy on the live page's form; the running bot applies both without a
restart and the page says they are kept. A main language the room does not have (a tampered form) is refused in
Chinese. The bot stops and starts again without --lang-fallback: the console's values apply, the form shows them,
and a German comment (no German answer) goes to staff as the kept policy says."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.browser_login import close_pages, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(150)]

require_chromium()

from playwright.sync_api import expect  # noqa: E402

from bot.console.server import PASSWORD_ENV  # noqa: E402
from bot.messages import Comment  # noqa: E402
from catalog.room_settings import room_lang_settings  # noqa: E402
from tests.browser_login import browser_sign_in, demo_console  # noqa: E402
from tests.live_bot import bot_as_run_starts_it  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "room-settings-pw-1"
START = {"room_languages": "zh,en,de", "answer_threshold": 0.5, "staff_threshold": 0.4}


def _german(cid: str) -> Comment:
    """"包邮吗" tagged German by the platform: the shipping FAQ matches, it has no German answer."""
    return Comment(id=cid, user="hans", text="包邮吗", ts=time.time(), room="local", lang="de")


def test_room_settings_set_on_the_live_page_are_kept_for_the_next_start(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch, browser) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    spool = str(tmp_path / "spool.jsonl")
    with demo_console(tmp_path / "settings.db") as (store, console):
        bot = bot_as_run_starts_it(store, spool, {**START, "lang_fallback": "main"})  # --lang-fallback main
        try:
            page = browser_sign_in(browser, console.url, "staff", PASSWORD)  # zh-CN
            errors: list[object] = []
            page.on("pageerror", lambda exc: errors.append(exc))
            page.goto(console.url + "/live")
            expect(page.locator("#live")).to_have_attribute("data-connected", "1", timeout=10_000)
            room = page.locator('#room-langs li[data-room="local"]')
            expect(page.locator("#main-lang-select")).to_have_value("zh")
            expect(page.locator("#main-lang-select option")).to_have_text(["中文", "英语", "德语"])
            expect(page.locator("#fallback-select")).to_have_value("main")
            expect(page.locator("#room-langs-kept")).to_contain_text("设置会保存下来，机器人下次启动时仍然使用")
            expect(page.locator("#fallback-form .kept")).to_have_count(0)  # nothing kept yet

            # under "main" with main language zh, the German comment is answered in Chinese
            bot.say(_german("de-1"))
            first = page.locator('#feed li[data-key="local|de-1"]')
            expect(first.locator(".reply")).to_contain_text("中国大陆全场包邮", timeout=10_000)

            # main language English: the same comment is now answered in English, no restart
            page.select_option("#main-lang-select", "en")
            page.click("#fallback-button")
            expect(page.locator(".flash.ok")).to_contain_text("直播间 local 已更改。主语言：英语。")
            expect(page.locator(".flash.ok")).to_contain_text("已保存，机器人下次启动时仍然使用。")
            expect(room.locator(".main")).to_have_text("英语", timeout=10_000)
            expect(page.locator("#fallback-form .kept-main")).to_contain_text("主语言 英语（staff，")
            assert bot.engine.default_lang == "en" and bot.thread.is_alive()
            bot.say(_german("de-2"))
            second = page.locator('#feed li[data-key="local|de-2"]')
            expect(second.locator(".reply")).to_contain_text("Shipping is free anywhere in mainland China",
                                                             timeout=10_000)

            # a main language the room does not have (a tampered select): refused in Chinese, nothing kept
            page.goto(console.url + "/live")
            page.evaluate("""() => { const o = document.createElement('option'); o.value = 'vi';
                                     o.textContent = 'vi'; document.querySelector('#main-lang-select').append(o); }""")
            page.select_option("#main-lang-select", "vi")
            page.click("#fallback-button")
            expect(page.locator(".flash.error")).to_contain_text("越南语 (vi) 不是本直播间的语言（中文、英语、德语）")
            kept = room_lang_settings(store, "local")
            assert kept.main_lang is not None and kept.main_lang.value == "en" and bot.engine.default_lang == "en"

            # the policy too: hand to staff
            page.select_option("#fallback-select", "staff")
            page.click("#fallback-button")
            expect(page.locator(".flash.ok")).to_contain_text("没有该语言的回答时：转人工")

            # the bot stops, and starts again without --lang-fallback: the console's values apply
            bot.stop()
            expect(page.locator("#room-langs")).to_be_hidden(timeout=10_000)
            bot = bot_as_run_starts_it(store, spool, dict(START))
            assert (bot.engine.default_lang, bot.engine.state.settings.lang_fallback) == ("en", "staff")
            page.goto(console.url + "/live")
            expect(page.locator("#live")).to_have_attribute("data-connected", "1", timeout=10_000)
            expect(room.locator(".main")).to_have_text("英语")
            expect(room.locator(".fallback")).to_have_text("没有该语言的回答时：转人工")
            expect(page.locator("#main-lang-select")).to_have_value("en")
            expect(page.locator("#fallback-select")).to_have_value("staff")
            expect(page.locator("#fallback-form .kept-fallback")).to_contain_text("没有该语言的回答时：转人工（staff，")
            bot.say(_german("de-3"))
            third = page.locator('#feed li[data-key="local|de-3"]')
            expect(third).to_have_attribute("data-status", "staff", timeout=10_000)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "live-room-settings.png"), full_page=True)
            assert not errors, errors
            close_pages(browser)
        finally:
            bot.stop()
