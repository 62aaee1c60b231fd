"""Chromium (Playwright) against a real console (uvicorn thread, SQLite) with NO bot running, as after
`livereply demo --keep-console` or before a show: the live page still shows the room's languages, main language and
fallback policy with a working form (issue 15 point 3, EVAL.md "new-user walkthrough, round 6"); the editor saves a
main language and a policy; the policy's "main" choice names the main language; a bot started afterwards (as
`livereply run` starts it, tests/live_bot.py) without --main-lang / --lang-fallback uses the saved values, and the page
then shows the running bot's form. When that bot stops, the saved form comes back with the languages of its last run.
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

PASSWORD = "room-settings-no-bot-pw-1"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def test_room_settings_saved_with_no_bot_running_apply_at_the_next_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser,
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    spool = str(tmp_path / "spool.jsonl")
    with demo_console(tmp_path / "no-bot.db", room_languages="zh,en,ja") as (store, console):
        page = browser_sign_in(browser, console.url, "staff", PASSWORD)  # zh-CN
        errors: list[object] = []
        page.on("pageerror", lambda exc: errors.append(exc))
        page.goto(console.url + "/live")
        saved = page.locator("#room-langs-saved")
        expect(saved).to_be_visible()
        expect(page.locator("#room-langs-no-bot")).to_have_text("当前没有运行中的机器人，保存后下次开播生效。")
        form = saved.locator('form.saved-room-form[data-room="local"]')
        expect(form.locator(".main-lang-select option")).to_have_text(["中文", "英语", "日语"])
        expect(form.locator(".main-lang-select")).to_have_value("zh")
        expect(form.locator(".fallback-select")).to_have_value("en")
        main_choice = form.locator('.fallback-select option[value="main"]')
        expect(main_choice).to_have_text("用直播间主语言（中文）回答")
        expect(saved.locator('li[data-room="local"] .source')).to_have_text("（控制台尚未保存：按启动配置的默认值）")

        # the editor picks English as the main language: the "main" choice names it at once
        form.locator(".main-lang-select").select_option("en")
        expect(main_choice).to_have_text("用直播间主语言（英语）回答")
        form.locator(".fallback-select").select_option("main")
        form.locator("button.room-langs-button").click()
        expect(page.locator(".flash.ok")).to_contain_text("直播间 local 已保存。主语言：英语。")
        expect(page.locator(".flash.ok")).to_contain_text("当前没有运行中的机器人：下次开播生效")
        kept = room_lang_settings(store, "local")
        assert kept.main_lang is not None and kept.main_lang.value == "en" and kept.main_lang.changed_by == "staff"
        assert kept.lang_fallback is not None and kept.lang_fallback.value == "main"

        # the page now shows what was saved
        form = page.locator('#room-langs-saved form.saved-room-form[data-room="local"]')
        expect(form.locator(".main-lang-select")).to_have_value("en")
        expect(form.locator(".fallback-select")).to_have_value("main")
        expect(form.locator('.fallback-select option[value="main"]')).to_have_text("用直播间主语言（英语）回答")
        expect(form.locator(".kept-main")).to_contain_text("主语言 英语（staff，")
        # the kept policy names the main language it answers in
        expect(form.locator(".kept-fallback")).to_contain_text("用直播间主语言（英语）回答")
        expect(page.locator('#room-langs-saved li[data-room="local"] .source')).to_have_text("（控制台已保存）")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "live-room-settings-no-bot.png"), full_page=True)

        # a bot started later without --main-lang / --lang-fallback uses what was saved
        bot = bot_as_run_starts_it(store, spool, {"room_languages": "zh,en,de"})
        try:
            assert (bot.engine.default_lang, bot.engine.state.settings.lang_fallback) == ("en", "main")
            page.goto(console.url + "/live")
            expect(page.locator("#room-langs-saved")).to_have_count(0)  # the running bot's form instead
            expect(page.locator("#main-lang-select")).to_have_value("en")
            expect(page.locator("#fallback-select")).to_have_value("main")
            expect(page.locator('#fallback-select option[value="main"]')).to_have_text("用直播间主语言（英语）回答")
        finally:
            bot.stop()

        # the bot stopped: the saved form is back, with the languages of its last run
        page.goto(console.url + "/live")
        form = page.locator('#room-langs-saved form.saved-room-form[data-room="local"]')
        expect(form.locator(".main-lang-select option")).to_have_text(["中文", "英语", "德语"])
        expect(form.locator(".fallback-select")).to_have_value("main")
        # the policy only: hand to staff, the main language stays as saved
        form.locator(".fallback-select").select_option("staff")
        form.locator("button.room-langs-button").click()
        expect(page.locator(".flash.ok")).to_contain_text("没有该语言的回答时：转人工")
        kept = room_lang_settings(store, "local")
        assert kept.lang_fallback is not None and kept.lang_fallback.value == "staff"
        assert kept.main_lang is not None and kept.main_lang.value == "en"

        # in English (the header's language switch): the same section in English words
        page.click('.lang-switch a[hreflang="en"]')
        expect(page.locator("#room-langs-no-bot")).to_have_text(
            "No bot is running now: what you save applies from the bot's next start.")
        form = page.locator('#room-langs-saved form.saved-room-form[data-room="local"]')
        expect(form.locator('.fallback-select option[value="main"]')).to_have_text(
            "answer in the room's main language (English)")
        assert not errors, errors
        close_pages(browser)
