"""Chromium (Playwright) against a real console: a FAQ of no product whose answer uses {product} / {price} is saved
(with a product on stage it answers) and its page then says, in Chinese, that it is handed to staff while the comment
names no product and nothing is on stage; choosing a product takes the warning away. Importing a catalog file with
such a FAQ through the Import / export form says the same in its confirmation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser_login import require_chromium

pytestmark = [pytest.mark.browser]

require_chromium()

from playwright.sync_api import Browser  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.console.auth import add_staff  # noqa: E402
from bot.console.server import start_console_thread  # noqa: E402
from catalog.store import CatalogStore  # noqa: E402
from tests.browser_login import browser_sign_in  # noqa: E402
from tests.live_bot import free_port  # noqa: E402
from tests.test_faq_product_warning import CATALOG  # noqa: E402

EDITOR = ("warn-ed", "warn-editor-pass")


@pytest.fixture
def console(tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = Settings(db=f"sqlite:///{tmp_path / 'console.db'}", console_port=free_port())
    store = CatalogStore(settings.db)
    add_staff(store, *EDITOR, "editor")
    handle = start_console_thread(store, settings)
    yield store, handle
    handle.stop()
    store.close()


def test_a_global_faq_using_product_details_is_saved_with_a_warning(console, browser: Browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store, handle = console
    path = tmp_path / "catalog.yaml"
    path.write_text(CATALOG.replace("{product}现在{price}元", "{product}现在{price}元!"), encoding="utf-8")
    page = browser_sign_in(browser, handle.url, *EDITOR, locale="zh-CN")
    try:
        page.goto(handle.url + "/io")
        page.set_input_files("#import-form input[name=file]", str(path))
        page.click("#import-form button[type=submit]")
        page.wait_for_url(re.compile(r".*/io\?ok="))
        flash = page.locator(".flash.ok").inner_text()
        assert "注意：有 1 条问答不属于任何商品，回答里却用到了商品信息（price-any）" in flash, flash
        assert "也没有正在讲解的商品时，这些评论会转人工" in flash, flash
        assert "price-any" in store.snapshot().faqs  # imported: not refused

        page.goto(handle.url + "/faqs/new")
        page.fill("input[name=id]", "stock-any")
        for i, q in enumerate(("还有货吗", "还有吗", "卖完了吗")):
            if i:
                page.locator("#question-rows").get_by_role("button", name="添加问题").click()
            page.fill(f"input[name=question-{i}]", q)
        page.select_option("#intent-select", value="ask_stock")
        page.fill("#answer_zh", "{product}还有货：{sizes_in_stock}")
        page.click("#save-faq")
        page.wait_for_url(re.compile(r".*/faqs/stock-any\?ok="))
        assert store.snapshot().faqs["stock-any"].product_id is None  # saved as it was
        warning = page.locator("#product-warning").inner_text()
        assert warning.startswith("这条问答不属于任何商品，回答里却用到了商品信息（{product}、{sizes_in_stock}）"), warning
        assert "否则评论会转人工" in warning, warning

        page.select_option("select[name=product_id]", value="tee")
        page.click("#save-faq")
        page.wait_for_url(re.compile(r".*/faqs/stock-any\?ok="))
        assert store.snapshot().faqs["stock-any"].product_id == "tee"
        assert page.locator("#product-warning").count() == 0
    finally:
        page.context.close()
