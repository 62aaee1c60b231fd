"""Chromium (Playwright) against a real console (uvicorn thread, SQLite, a tmp copy of the intent file): a staff
member picks a FAQ's intent by its Chinese description, the FAQ is stored with the intent's name and the FAQ list
shows the description; "其他…" still takes a name the intent file lacks (the field shows only then, or always
without JavaScript). Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
import shutil
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
EDITOR = ("intent-ed", "intent-editor-pass")
QUESTIONS = ("这个多少钱一件", "现在什么价", "卖多少")


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("intent-labels")
    intents = tmp / "intents.yaml"
    shutil.copyfile(ROOT / "data" / "intents.yaml", intents)
    settings = Settings(db=f"sqlite:///{tmp / 'console.db'}", console_port=free_port(), intents=str(intents))
    store = CatalogStore(settings.db)
    import_catalog(store, ROOT / "data" / "catalog.yaml")
    add_staff(store, *EDITOR, "editor")
    handle = start_console_thread(store, settings)
    yield store, handle
    handle.stop()
    store.close()


def sign_in(browser: Browser, handle: ConsoleHandle, *, js: bool = True) -> Page:
    return browser_sign_in(browser, handle.url, *EDITOR, locale="zh-CN", js=js)


def fill_new_faq(page: Page, faq_id: str) -> None:
    page.fill("input[name=id]", faq_id)
    for i, q in enumerate(QUESTIONS):
        if i:
            page.locator("#question-rows").get_by_role("button", name="添加问题").click()
        page.fill(f"input[name=question-{i}]", q)
    page.fill("#answer_zh", "{price}元一件。")


def test_pick_an_intent_by_its_chinese_description(console, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    store, handle = console
    page = sign_in(browser, handle)
    page.goto(handle.url + "/faqs/new")
    fill_new_faq(page, "price-again")
    assert not page.locator("#intent-other").is_visible()  # the new-name field only with "其他…"
    labels = page.locator("#intent-select option").all_inner_texts()
    assert "问价格 (ask_price)" in labels and "问库存或某个规格还有没有 (ask_stock)" in labels
    page.select_option("#intent-select", label="问价格 (ask_price)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-faq-intent-pick.png"), full_page=True)
    page.click("#save-faq")
    page.wait_for_url(re.compile(r".*/faqs/price-again\?ok="))
    assert store.snapshot().faqs["price-again"].intent == "ask_price"
    assert page.locator("#intent-select option:checked").inner_text() == "问价格 (ask_price)"  # shown as chosen

    page.goto(handle.url + "/faqs")
    row = page.locator("tr", has=page.locator("a[href='/faqs/price-again']"))
    cell = row.locator("td.intent-cell")
    assert cell.locator(".intent").inner_text() == "问价格"
    assert cell.locator(".intent").get_attribute("title") == "ask_price"
    assert cell.locator(".intent-id").inner_text() == "ask_price"
    page.screenshot(path=str(ARTIFACTS / "console-faq-list-intents.png"), full_page=True)


def test_other_takes_a_new_intent_name(console, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    store, handle = console
    page = sign_in(browser, handle)
    page.goto(handle.url + "/faqs/new")
    fill_new_faq(page, "warranty")
    page.select_option("#intent-select", label="其他…（填写新的意图名）")
    assert page.locator("#intent-other").is_visible()
    page.click("#save-faq")  # the browser asks for the name first: nothing sent
    assert store.snapshot().faqs.get("warranty") is None
    page.fill("input[name=intent_other]", "ask_warranty")
    page.click("#save-faq")
    page.wait_for_url(re.compile(r".*/faqs/warranty\?ok="))
    assert store.snapshot().faqs["warranty"].intent == "ask_warranty"
    page.goto(handle.url + "/faqs")  # no description for it: the name
    row = page.locator("tr", has=page.locator("a[href='/faqs/warranty']"))
    assert row.locator("td.intent-cell").inner_text() == "ask_warranty"


def test_other_without_javascript(console, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    store, handle = console
    page = sign_in(browser, handle, js=False)
    page.goto(handle.url + "/faqs/multi-buy")
    assert page.locator("#intent-select option:checked").inner_text().endswith("(ask_discount)")
    assert page.locator("#intent-other").is_visible()  # no script to show it on demand: always there
    page.fill("input[name=intent_other]", "ask_bundle")
    page.click("#save-faq")  # "其他…" not chosen: the typed name does not count, the FAQ keeps its intent
    page.wait_for_url(re.compile(r".*/faqs/multi-buy\?ok="))
    assert store.snapshot().faqs["multi-buy"].intent == "ask_discount"
    page.select_option("#intent-select", label="其他…（填写新的意图名）")
    page.fill("input[name=intent_other]", "ask_bundle")
    page.click("#save-faq")
    page.wait_for_url(re.compile(r".*/faqs/multi-buy\?ok="))
    assert store.snapshot().faqs["multi-buy"].intent == "ask_bundle"
    assert page.locator("#intent-select option:checked").inner_text() == "ask_bundle"


def test_never_answered_intents_are_listed_apart_and_a_faq_filed_under_one_is_warned_about(  # type: ignore[no-untyped-def]
    console, browser: Browser
) -> None:
    """chit_chat / spam (silent) and complaint (staff) are never auto-answered (bot/pipeline.py): the editor lists them
    in their own group saying so, and a FAQ saved under one says, right after saving, why it will rarely be answered."""
    store, handle = console
    page = sign_in(browser, handle)
    page.goto(handle.url + "/faqs/new")
    fill_new_faq(page, "price-complaint")
    group = page.locator("#intent-select optgroup#never-answered-intents")
    assert "不自动回答" in (group.get_attribute("label") or "")
    assert group.locator("option").all_inner_texts() == [
        "投诉或售后问题 (complaint) · 转人工",
        "闲聊、打招呼、刷屏互动 (chit_chat) · 不回复",
        "广告、引流、刷粉 (spam) · 不回复",
    ]
    answered = page.locator("#intent-select > option").all_inner_texts()  # outside the group
    assert "问价格 (ask_price)" in answered and not any("complaint" in t or "chit_chat" in t for t in answered)
    page.select_option("#intent-select", label="投诉或售后问题 (complaint) · 转人工")
    page.click("#save-faq")
    page.wait_for_url(re.compile(r".*/faqs/price-complaint\?ok="))
    assert store.snapshot().faqs["price-complaint"].intent == "complaint"  # saved: a warning, not an error
    warning = page.locator("#intent-warning")
    assert warning.inner_text().startswith("注意：这条问答归在「投诉或售后问题」下，机器人把这个意图的评论转给人工")
    assert page.locator("#intent-select option:checked").inner_text() == "投诉或售后问题 (complaint) · 转人工"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-faq-intent-warning.png"), full_page=True)

    # typed under "其他…" it is the same intent: the same warning (the silent kind)
    page.select_option("#intent-select", label="其他…（填写新的意图名）")
    page.fill("input[name=intent_other]", "chit_chat")
    page.click("#save-faq")
    page.wait_for_url(re.compile(r".*/faqs/price-complaint\?ok="))
    assert page.locator("#intent-warning").inner_text().startswith("注意：这条问答归在「闲聊、打招呼、刷屏互动」下，机器人对")

    # filed under what the question asks: no warning
    page.select_option("#intent-select", label="问价格 (ask_price)")
    page.click("#save-faq")
    page.wait_for_url(re.compile(r".*/faqs/price-complaint\?ok="))
    assert store.snapshot().faqs["price-complaint"].intent == "ask_price"
    assert page.locator("#intent-warning").count() == 0


def test_a_new_faq_form_has_as_many_question_rows_as_a_faq_needs(console, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    """A FAQ needs MIN_QUESTIONS example questions: the new-FAQ form says so and shows that many rows, so it can be
    filled in and saved as it is (before: one row, the rule learnt from the error on save; without JavaScript no way
    to add a second row at all)."""
    from catalog.rules import MIN_QUESTIONS

    store, handle = console
    page = sign_in(browser, handle, js=False)
    page.goto(handle.url + "/faqs/new")
    assert page.locator("#question-rows input[name^=question-]").count() == MIN_QUESTIONS
    assert f"每条问答至少需要 {MIN_QUESTIONS} 个示例问题" in page.locator("#question-rows .help").inner_text()
    page.fill("input[name=id]", "rows-enough")
    for i, q in enumerate(QUESTIONS[:MIN_QUESTIONS]):
        page.fill(f"input[name=question-{i}]", q)
    page.fill("#answer_zh", "{price}元一件。")
    page.select_option("#intent-select", label="问价格 (ask_price)")
    page.click("#save-faq")
    page.wait_for_url(re.compile(r".*/faqs/rows-enough\?ok="))
    assert list(store.snapshot().faqs["rows-enough"].questions) == list(QUESTIONS[:MIN_QUESTIONS])
