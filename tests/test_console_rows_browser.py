"""Chromium (Playwright) drives the editors' numbered rows: attributes, variants, example questions and answers
per language are added and removed with the page's buttons (bot/console/static/console.js); a bad row's error is
shown next to it in the staff member's language; with JavaScript off the rows the server renders (plus one
empty row) still save. Screenshots at 1280 and 375 px go to test-artifacts/."""

from __future__ import annotations

import pytest

from tests.browser_login import require_chromium

pytestmark = [pytest.mark.browser]

require_chromium()

from decimal import Decimal  # noqa: E402

from playwright.sync_api import Browser, Page  # noqa: E402

from bot.console.server import ConsoleHandle  # noqa: E402
from tests import test_console_safe_edits_browser as base  # noqa: E402
from tests.browser_login import browser_sign_in  # noqa: E402

# the same console (uvicorn thread, SQLite with the demo catalog and two editors) as the safe-edit tests; Chromium is
# the shared `browser` fixture of tests/conftest.py
console = base.console
ARTIFACTS, EDITOR = base.ARTIFACTS, base.EDITOR


def sign_in(browser: Browser, handle: ConsoleHandle, *, locale: str = "zh-CN", js: bool = True, width: int = 1280) -> Page:
    return browser_sign_in(browser, handle.url, *EDITOR, locale=locale, js=js, width=width)


def test_product_rows_are_added_removed_and_saved(console, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    store, handle = console
    page = sign_in(browser, handle)
    page.goto(handle.url + "/products/new")
    page.fill("input[name=id]", "rows-tee")
    page.fill("input[name=name_zh]", "行编辑T恤")
    page.fill("input[name=price]", "59")
    attrs = page.locator("#attribute-rows")
    attrs.locator("input[name=attr-0-key]").fill("material")
    attrs.locator("input[name=attr-0-zh]").fill("纯棉, 240克")  # commas and bars are plain text now
    attrs.get_by_role("button", name="添加属性").click()
    attrs.locator("input[name=attr-1-key]").fill("fit")
    attrs.locator("input[name=attr-1-en]").fill("loose | relaxed")

    variants = page.locator("#variant-rows")
    variants.locator("input[name=vkey-0]").fill("size")
    variants.locator("input[name=variant-0-sku]").fill("RT-S")
    variants.locator("input[name=variant-0-v0]").fill("S")
    variants.locator("input[name=variant-0-stock]").fill("5")
    add = variants.get_by_role("button", name="添加规格")
    add.click()
    variants.locator("input[name=variant-1-sku]").fill("RT-M")
    variants.locator("input[name=variant-1-v0]").fill("M")
    variants.locator("input[name=variant-1-price]").fill("69")
    add.click()
    variants.locator("input[name=variant-2-sku]").fill("RT-GONE")
    variants.locator("tr[data-row='2']").get_by_role("button", name="删除").click()
    assert variants.locator("input[name=variant-2-sku]").count() == 0
    page.screenshot(path=str(ARTIFACTS / "console-product-rows.png"), full_page=True)
    page.click("#product-form button[type=submit]")
    page.wait_for_selector(".flash.ok")

    product = store.product("rows-tee")
    assert product is not None
    assert product.attributes == {"material": {"zh": "纯棉, 240克"}, "fit": {"en": "loose | relaxed"}}
    assert [(v.sku, v.attrs, v.price, v.stock) for v in product.variants] == [
        ("RT-S", {"size": "S"}, None, 5), ("RT-M", {"size": "M"}, Decimal("69"), 0)]

    # a bad row: refused, the message in Chinese next to that row, the rows as typed, nothing saved
    page.goto(handle.url + "/products/rows-tee")
    page.locator("#variant-rows").get_by_role("button", name="添加规格").click()
    new_row = page.locator("#variant-rows tr[data-row]").last
    new_row.locator("input[name$='-sku']").fill("BAD SKU")
    page.click("#product-form button[type=submit]")
    error = page.locator("#variant-rows tr.row-error")
    assert error.count() == 1 and "第 3 行" in error.inner_text() and "SKU" in error.inner_text()
    assert page.locator("#variant-rows input[value='BAD SKU']").count() == 1
    assert [v.sku for v in store.product("rows-tee").variants] == ["RT-S", "RT-M"]  # type: ignore[union-attr]
    phone = sign_in(browser, handle, width=375)
    phone.goto(handle.url + "/products/rows-tee")
    phone.screenshot(path=str(ARTIFACTS / "console-product-rows-375.png"), full_page=True)


def test_faq_question_and_answer_rows(console, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    store, handle = console
    page = sign_in(browser, handle, locale="en-US")
    page.goto(handle.url + "/faqs/new")
    page.fill("input[name=id]", "rows-faq")
    page.select_option("#intent-select", "ask_spec")
    questions = page.locator("#question-rows")
    questions.locator("input[name=question-0]").fill("能机洗吗")
    for i, text in ((1, "可以用洗衣机洗吗"), (2, "can I machine wash it"), (3, "to be removed")):
        questions.get_by_role("button", name="Add question").click()
        questions.locator(f"input[name=question-{i}]").fill(text)
    questions.locator("li[data-row='3']").get_by_role("button", name="Remove").click()
    page.fill("#answer_zh", "可以机洗,30度以下。")
    answers = page.locator("#answer-rows")
    answers.get_by_role("button", name="Add language").click()
    last = answers.locator(".answer-row").last
    last.locator("input[name$='-lang']").fill("ja")
    last.locator("textarea").fill("洗濯機で洗えます。")
    page.screenshot(path=str(ARTIFACTS / "console-faq-rows.png"), full_page=True)
    page.click("#save-faq")
    page.wait_for_selector(".flash.ok")
    faq = store.snapshot().faqs["rows-faq"]
    assert faq.questions == ("能机洗吗", "可以用洗衣机洗吗", "can I machine wash it")
    assert faq.answers == {"zh": "可以机洗,30度以下。", "ja": "洗濯機で洗えます。"}

    page.goto(handle.url + "/faqs/rows-faq")  # removing a language's row removes that answer
    page.locator("#answer-rows .answer-row", has=page.locator("input[value=ja]")).get_by_role("button", name="Remove").click()
    page.click("#save-faq")
    page.wait_for_selector(".flash.ok")
    assert store.snapshot().faqs["rows-faq"].answers == {"zh": "可以机洗,30度以下。"}


def test_rows_work_without_javascript(console, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    store, handle = console
    before = {v.sku: v.stock for v in store.product("stroller-a1").variants}  # type: ignore[union-attr]
    page = sign_in(browser, handle, js=False)
    page.goto(handle.url + "/products/stroller-a1")
    assert not page.locator("#variant-rows .row-add").is_visible()  # the buttons need the script: hidden
    rows = page.locator("#variant-rows tr[data-row]")
    assert rows.count() == len(before) + 1  # the product's variants and one empty row
    empty = rows.last
    empty.locator("input[name$='-sku']").fill("A1-NOJS")
    empty.locator("input[name$='-stock']").fill("3")
    page.click("#product-form button[type=submit]")
    page.wait_for_selector(".flash.ok")
    after = {v.sku: v.stock for v in store.product("stroller-a1").variants}  # type: ignore[union-attr]
    assert after == {**before, "A1-NOJS": 3}  # existing SKUs keep their live stock
