"""Chromium (Playwright): a Japanese comment the running bot hands to staff shows the 日语 badge on /live and in the
review queue; staff add the Japanese answer from the queue through the real form; the bot reloads the catalog and
the next identical Japanese comment gets that answer. The bot is a real BotService (hashing embedder, in-memory
room, rooms serving zh/en/ja, fallback "staff") on the same SQLite file as the console (uvicorn thread)."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser_login import close_pages, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

require_chromium()

from playwright.sync_api import expect  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.console.auth import add_staff  # noqa: E402
from bot.console.server import start_console_thread  # noqa: E402
from bot.messages import Comment  # noqa: E402
from bot.pipeline import MatchSettings  # noqa: E402
from catalog.io import import_catalog  # noqa: E402
from catalog.store import CatalogStore  # noqa: E402
from tests.factories import keep_only_languages  # noqa: E402
from tests.live_bot import BotThread, free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
EDITOR = ("ed-ja", "editor-pass-ja")
FAQ = "shipping-free"  # cut to zh + en answers and example questions below
QUESTION = "送料無料ですか"
JA_ANSWER = "中国本土は送料無料です。新疆・チベット・青海は10元かかります。"
SETTINGS = MatchSettings(answer_threshold=0.5, staff_threshold=0.4, room_languages=("zh", "en", "ja"),
                         lang_fallback="staff")


def wait_for(check: Any, timeout_s: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_ja_hand_off_badge_and_translation_answer_the_next_comment(tmp_path: Path, browser) -> None:
    settings = Settings(db=f"sqlite:///{tmp_path / 'ja.db'}", console_port=free_port())
    store = CatalogStore(settings.db)
    import_catalog(store, ROOT / "data" / "catalog.yaml")
    keep_only_languages(store, FAQ)
    add_staff(store, *EDITOR, "editor")
    assert "ja" not in store.snapshot().faqs[FAQ].answers
    console = start_console_thread(store, settings)
    bot = BotThread(store, str(tmp_path / "spool.jsonl"), SETTINGS)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
        errors: list[Any] = []
        page.on("pageerror", lambda exc: errors.append(exc))
        page.goto(console.url + "/login")
        page.fill("input[name=username]", EDITOR[0])
        page.fill("input[name=password]", EDITOR[1])
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/dashboard$"))

        # a Japanese viewer asks; the bot has no Japanese answer to give and hands the comment to staff
        page.goto(console.url + "/live")
        expect(page.locator("#live")).to_have_attribute("data-connected", "1", timeout=10_000)
        bot.say(Comment(id="j1", user="yuki", text=QUESTION, ts=time.time(), room="local"))
        row = page.locator('#feed li[data-key="local|j1"]')
        expect(row).to_have_attribute("data-status", "staff", timeout=10_000)
        expect(row.locator('.chip.lang[data-lang="ja"]')).to_have_text("日语")

        # the same queue on a phone: badge, group languages and the translation controls fit in 375 px
        phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN",
                                    storage_state=page.context.storage_state()).new_page()
        phone.on("pageerror", lambda exc: errors.append(exc))
        phone.goto(console.url + "/review")
        phone.locator('section.group[data-group="local/j1"] details.translate-box summary').click()
        expect(phone.locator("#translate-pick-local-j1")).to_be_visible()
        phone.screenshot(path=str(ARTIFACTS / "console-review-lang-375.png"), full_page=True)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375 + 1, f"the review queue scrolls sideways on a phone ({width}px)"

        # the review queue: the group shows its language; staff pick the FAQ and write the Japanese answer
        page.goto(console.url + "/review")
        group = page.locator('section.group[data-group="local/j1"]')
        expect(group.locator('header .chip.lang[data-lang="ja"]')).to_have_text("日语")
        box = group.locator("details.translate-box")
        box.locator("summary").click()
        pick = group.locator("#translate-pick-local-j1")
        pick.locator("select[name=faq_id]").select_option(FAQ)
        page.screenshot(path=str(ARTIFACTS / "console-review-lang-1280.png"), full_page=True)
        pick.locator("button[type=submit]").click()
        form = page.locator("#translate-form")
        expect(form).to_be_visible()
        expect(form.locator(".reference")).to_contain_text("中国大陆全场包邮")  # the zh answer, for reference
        expect(form).to_contain_text(QUESTION)  # becomes an example question in Japanese
        page.fill("#translate-form-answer", JA_ANSWER)
        page.screenshot(path=str(ARTIFACTS / "console-review-translate-1280.png"), full_page=True)
        version = store.catalog_version()
        form.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(r".*/review\?ok="))
        expect(page.locator(".flash.ok")).to_contain_text("日语")
        expect(page.locator('section.group[data-group="local/j1"]')).to_have_count(0)  # handled
        # "Recently handled" and the audit log say what was done: a translation, not an example (加为例句)
        handled = page.locator("section.card", has=page.locator("h2", has_text="最近处理")).locator("tbody tr")
        expect(handled.filter(has_text="j1")).to_contain_text("加为翻译")
        expect(handled.filter(has_text="j1")).not_to_contain_text("加为例句")
        page.goto(console.url + "/audit")
        expect(page.locator("main")).to_contain_text("加为翻译")
        expect(page.locator("main")).not_to_contain_text("加为例句")
        assert store.snapshot().faqs[FAQ].answers["ja"] == JA_ANSWER

        # the running bot reloads the catalog; the next identical Japanese comment gets the Japanese answer
        wait_for(lambda: bot.engine.state.version > version)
        page.goto(console.url + "/live")
        expect(page.locator("#live")).to_have_attribute("data-connected", "1", timeout=10_000)
        bot.say(Comment(id="j2", user="hana", text=QUESTION, ts=time.time(), room="local"))
        again = page.locator('#feed li[data-key="local|j2"]')
        expect(again).to_have_attribute("data-status", "answered", timeout=10_000)
        expect(again.locator(".chip.lang")).to_have_text("日语")
        expect(again.locator(".reply")).to_contain_text(JA_ANSWER)
        room = bot.room
        assert room is not None
        # the feed shows the outcome once it is recorded; the reply scheduler posts it a moment later (merge window)
        wait_for(lambda: any(JA_ANSWER in r.text for r in room.sent))

        page.screenshot(path=str(ARTIFACTS / "console-live-lang-1280.png"), full_page=True)
        phone.goto(console.url + "/live")
        expect(phone.locator('#feed li[data-key="local|j2"] .chip.lang')).to_have_text("日语", timeout=10_000)
        phone.screenshot(path=str(ARTIFACTS / "console-live-lang-375.png"), full_page=True)
        assert not errors
        close_pages(browser)
    finally:
        bot.stop()
        console.stop()
        store.close()
