"""New-user walkthrough, round 6 (Chromium through the real forms; docs/EVAL.md "Follow-up: new-user walkthrough,
round 6"): the live page shows the slots a catalog-data answer read beside its path (issue 10), in staff words
(颜色：黑色，尺码：L, not the catalog's keys); right-to-left text
(Arabic) reads right to left in the live feed and in the FAQ editor, whose language box shows a whole BCP-47 tag;
a language typed by its name without accents ("espanol") is told its code (es); an answer in the room's fallback
language says so on the live page (备用语言：用英语回答); the review queue's one-step translation names the FAQ in
Chinese ("打开这条问答", not "打开该 FAQ"). A real BotService
(hashing embedder, in-memory room) on the console's SQLite file."""

from __future__ import annotations

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
from tests.browser_login import browser_sign_in, demo_console  # noqa: E402
from tests.factories import keep_only_languages  # noqa: E402
from tests.live_bot import BotThread  # noqa: E402

PASSWORD = "newuser6-pw-1"
ARABIC = "هل يوجد كوبون؟"  # "is there a coupon?"
CROSS_BORDER = MatchSettings(answer_threshold=0.5, staff_threshold=0.4, room_languages=("zh", "en", "es"),
                             lang_fallback="en")


def _rtl(locator) -> bool:  # type: ignore[no-untyped-def]
    return bool(locator.evaluate("e => e.matches(':dir(rtl)')"))


def test_live_feed_shows_the_slots_of_a_catalog_data_answer_and_rtl_comments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser,
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with demo_console(tmp_path / "slots.db") as (store, console):
        bot = BotThread(store, str(tmp_path / "spool.jsonl"))
        try:
            page = browser_sign_in(browser, console.url, "staff", PASSWORD)
            page.goto(console.url + "/live")
            expect(page.locator("#live")).to_have_attribute("data-connected", "1", timeout=10_000)
            reply = bot.ask("s1", "T恤黑色L码还有吗")
            assert "黑色" in reply
            row = page.locator('#feed li[data-key="local|s1"]')
            expect(row).to_have_attribute("data-status", "answered", timeout=10_000)
            expect(row.locator(".chip.path")).to_have_text("商品数据")
            # what the answer was about, in staff words (the catalog's raw keys on hover)
            expect(row.locator(".chip.slots")).to_have_text("颜色：黑色，尺码：L")
            assert row.locator(".chip.slots").get_attribute("title") == "colour:黑色,size:L"
            # a FAQ answer reads no slots: no empty chip
            bot.say(Comment(id="s2", user="v2", text="包邮吗", ts=time.time(), room="local"))
            faq_row = page.locator('#feed li[data-key="local|s2"]')
            expect(faq_row).to_have_attribute("data-status", "answered", timeout=10_000)
            assert faq_row.locator(".chip.slots").count() == 0

            # an order report answered with the thank-you FAQ: its own path, the reason on hover in Chinese
            bot.say(Comment(id="s4", user="v4", text="已拍 T恤 黑色L", ts=time.time(), room="local"))
            report = page.locator('#feed li[data-key="local|s4"] .chip.path')
            expect(report).to_have_text("按问题类型选的问答", timeout=10_000)
            assert report.get_attribute("title") == "报告已下单：已用感谢下单的常见问题回答"
            bot.say(Comment(id="s3", user="v3", text=ARABIC, ts=time.time(), room="local"))
            arabic = page.locator('#feed li[data-key="local|s3"] .q')
            expect(arabic).to_have_text(ARABIC, timeout=10_000)
            assert _rtl(arabic), "an Arabic comment is laid out left to right"
            assert not _rtl(page.locator('#feed li[data-key="local|s1"] .q'))
        finally:
            close_pages(browser)
            bot.stop()


def test_faq_editor_right_to_left_answer_and_a_whole_language_tag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser,
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with demo_console(tmp_path / "rtl.db") as (store, console):
        try:
            page = browser_sign_in(browser, console.url, "staff", PASSWORD)
            page.goto(console.url + "/faqs/coupon")
            # a language typed by its name without accents ("espanol"): the error names the code to write
            page.click("#answer-rows button.row-add")
            typed = page.locator("#answer-rows .answer-row").last
            typed.locator("input.lang").fill("espanol")
            typed.locator("textarea").fill("¿Hay cupones? Sí.")
            page.click("#faq-form button[type=submit]")
            expect(page.locator(".row-error")).to_contain_text("「espanol」不是语言代码：西班牙语请填 es")
            page.goto(console.url + "/faqs/coupon")
            page.click("#answer-rows button.row-add")
            row = page.locator("#answer-rows .answer-row").last
            row.locator("input.lang").fill("ar-EG")
            row.locator("textarea").fill(ARABIC)
            code = row.locator("input.lang")
            assert code.evaluate("e => e.scrollWidth <= e.clientWidth"), "the language tag is cut off in its box"
            assert _rtl(row.locator("textarea")), "an Arabic answer is edited left to right"
            assert not _rtl(page.locator("#answer-rows .answer-row").first.locator("textarea"))  # the Chinese one
            page.click("#faq-form button[type=submit]")
            expect(page.locator(".flash.ok").first).to_contain_text("已保存")
            assert store.snapshot().faqs["coupon"].answers.get("ar-EG") == ARABIC
            saved = page.locator('#answer-rows .answer-row:has(input.lang[value="ar-EG"]) textarea')
            expect(saved).to_have_value(ARABIC)
            assert _rtl(saved)
            # an example question in Arabic reads right to left too
            page.click("#question-rows button.row-add")
            question = page.locator("#question-rows li").last.locator("input")
            question.fill(ARABIC)
            assert _rtl(question)
        finally:
            close_pages(browser)


def test_the_one_step_translation_names_the_faq_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser,
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with demo_console(tmp_path / "translate.db") as (store, console):
        keep_only_languages(store, "shipping-free")  # zh + en answers only: a Spanish viewer gets English
        bot = BotThread(store, str(tmp_path / "spool.jsonl"), settings=CROSS_BORDER)
        try:
            bot.say(Comment(id="e1", user="ana", text="包邮吗", ts=time.time(), room="local", lang="es"))
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not (bot.room and bot.room.sent):
                time.sleep(0.05)
            page = browser_sign_in(browser, console.url, "staff", PASSWORD)
            # the live page says the answer went out in the room's fallback language, not the viewer's
            page.goto(console.url + "/live")
            row = page.locator('#feed li[data-key="local|e1"]')
            expect(row.locator('.chip.lang[data-lang="es"]')).to_have_text("西班牙语", timeout=10_000)
            expect(row.locator(".chip.fallback")).to_have_text("备用语言：用英语回答")
            assert row.locator(".chip.fallback").get_attribute("data-lang") == "en"
            page.goto(console.url + "/review")
            section = page.locator("#fallback")
            expect(section).to_have_count(1, timeout=10_000)
            section.locator("summary").first.click()
            group = section.locator("section.group").first
            group.locator("details.translate-box summary").click()
            form = group.locator("form.translate")
            expect(form.locator('a[href="/faqs/shipping-free"]')).to_have_text("打开这条问答")
            expect(form).not_to_contain_text("FAQ")
        finally:
            close_pages(browser)
            bot.stop()

