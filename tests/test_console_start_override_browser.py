"""Chromium (Playwright): the live page says when a start flag or variable, not the console, set the running room
setting. Staff keep "hand it to staff" on the live page; the engineer's next start has LIVEREPLY_LANG_FALLBACK=en (a
.env file): the bot answers in English and the page says why — the value came from LIVEREPLY_LANG_FALLBACK at the
bot's start, the saved 转人工 applies only to a start without it, and a change made here holds until such a start.
Before, the page showed "用英语回答" beside "控制台已保存：转人工" with nothing tying the two together. A change made
on the page then applies at once, its message says the start variable would set it again, and the note goes (the
running value is the console's now). A room run by scale-out workers shows no form, only where its settings come from."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.browser_login import close_pages, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(150)]

require_chromium()

from playwright.sync_api import expect  # noqa: E402

from bot.console.server import PASSWORD_ENV  # noqa: E402
from catalog.control import BotStatusRecord, ConsoleChannel, room_settings  # noqa: E402
from tests.browser_login import browser_sign_in, demo_console  # noqa: E402
from tests.live_bot import bot_as_run_starts_it  # noqa: E402

PASSWORD = "start-override-pw-1"
START = {"room_languages": "zh,en,de", "answer_threshold": 0.5, "staff_threshold": 0.4}


def test_the_live_page_says_a_start_variable_overrides_the_kept_fallback(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch, browser) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    spool = str(tmp_path / "spool.jsonl")
    with demo_console(tmp_path / "override.db") as (store, console):
        bot = bot_as_run_starts_it(store, spool, dict(START))
        try:
            page = browser_sign_in(browser, console.url, "staff", PASSWORD)  # zh-CN
            page.goto(console.url + "/live")
            expect(page.locator("#live")).to_have_attribute("data-connected", "1", timeout=10_000)
            expect(page.locator(".start-override")).to_have_count(0)  # defaults: nothing to explain
            page.select_option("#fallback-select", "staff")
            page.click("#fallback-button")
            expect(page.locator(".flash.ok")).to_contain_text("已保存，机器人下次启动时仍然使用")

            # the next start has the variable set: it wins for this start, and the page says so
            bot.stop()
            bot = bot_as_run_starts_it(store, spool, dict(START), env={"LIVEREPLY_LANG_FALLBACK": "en"})
            assert bot.engine.state.settings.lang_fallback == "en"
            page.goto(console.url + "/live")
            expect(page.locator("#live")).to_have_attribute("data-connected", "1", timeout=10_000)
            note = page.locator(".start-override")
            expect(note).to_have_count(1)
            expect(note).to_contain_text("没有该语言的回答时的做法（用英语回答）是机器人启动时由 LIVEREPLY_LANG_FALLBACK "
                                         "指定的，不是控制台的设置。")
            expect(note).to_contain_text("这里保存的「转人工」（staff 设置）要等机器人不带 LIVEREPLY_LANG_FALLBACK "
                                         "启动时才生效。")
            expect(note).to_contain_text("在这里修改会立即生效")
            assert "。 " not in note.inner_text()  # Chinese sentences follow each other without a space
            expect(page.locator("#fallback-select")).to_have_value("en")

            # a change made here applies now; the message says the variable would set it again; the note goes
            page.select_option("#fallback-select", "main")
            page.click("#fallback-button")
            flash = page.locator(".flash.ok")
            expect(flash).to_contain_text("没有该语言的回答时：用直播间主语言（中文）回答")
            expect(flash).to_contain_text("但机器人这次是带 LIVEREPLY_LANG_FALLBACK 启动的")
            assert bot.engine.state.settings.lang_fallback == "main"
            deadline = time.monotonic() + 10
            while page.locator(".start-override").count() and time.monotonic() < deadline:
                time.sleep(0.3)  # the next heartbeat says "console"
                page.goto(console.url + "/live")
            expect(page.locator(".start-override")).to_have_count(0)
            close_pages(browser)
        finally:
            bot.stop()


def test_a_room_run_by_workers_shows_where_its_settings_come_from(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch, browser) -> None:
    """A worker's heartbeat says `fixed` (its engine refuses the change): no form that could only fail."""
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with demo_console(tmp_path / "workers.db") as (store, console):
        ConsoleChannel(store).heartbeat(BotStatusRecord(
            room="pool-1", pid=1, connected=True, last_comment_at=None, reloads=0, errors=0, paused=False,
            updated_at=time.time() + 60,  # live for the whole test, however slow the box (a heartbeat lives 5 s)
            settings=room_settings(["zh", "en"], "zh", "en", sources={"lang_fallback": "flag"},
                                                           fixed=True)))
        page = browser_sign_in(browser, console.url, "staff", PASSWORD)
        page.goto(console.url + "/live")
        expect(page.locator(".room-langs-fixed")).to_contain_text("直播间 pool-1 由扩展部署的 worker 运行")
        expect(page.locator("#fallback-form")).to_have_count(0)
        expect(page.locator(".start-override")).to_contain_text("由 --lang-fallback 指定")
        close_pages(browser)
