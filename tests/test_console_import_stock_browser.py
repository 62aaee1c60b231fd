"""Chromium (Playwright) against a real console (uvicorn thread, SQLite): a catalog YAML uploaded through the import
form during a show keeps the live stock of the variants already in the catalog and says which differed from the file
(merge and replace alike); ticking "take the stock from the file" sets the file's stock and lists the changes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser_login import require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.console]

require_chromium()

from playwright.sync_api import Browser, Page  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.console.auth import add_staff  # noqa: E402
from bot.console.server import start_console_thread  # noqa: E402
from catalog.io import import_catalog  # noqa: E402
from catalog.store import CatalogStore  # noqa: E402
from tests.browser_login import browser_sign_in  # noqa: E402
from tests.live_bot import free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
EDITOR = ("stocked", "editor-pass-9")
NEW_FAQ = """\
  - id: stroller-rain-cover
    product: stroller-a1
    intent: ask_spec
    questions: [送雨罩吗, 有没有雨罩, does it come with a rain cover]
    answer: {zh: "{product}送防雨罩。", en: "The {product} comes with a rain cover."}
"""


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("import-stock")
    settings = Settings(db=f"sqlite:///{tmp / 'console.db'}", console_port=free_port())
    store = CatalogStore(settings.db)
    import_catalog(store, ROOT / "data" / "catalog.yaml")
    add_staff(store, *EDITOR, "editor")
    handle = start_console_thread(store, settings)
    edited = tmp / "catalog-edited.yaml"  # the morning's file with a FAQ added: its stock is the morning's
    text = (ROOT / "data" / "catalog.yaml").read_text(encoding="utf-8")
    edited.write_text(text.replace("\nsynonyms:", "\n" + NEW_FAQ + "synonyms:", 1), encoding="utf-8")
    assert "stroller-rain-cover" in edited.read_text(encoding="utf-8")
    yield store, handle, edited
    handle.stop()
    store.close()


def upload(page: Page, base: str, path: Path, *, replace: bool = False, stock_from_file: bool = False) -> str:
    """Import `path` through the real form; the flash message shown after it."""
    page.goto(base + "/io")
    page.set_input_files("#import-form input[name=file]", str(path))
    if replace:
        page.select_option("#import-form select[name=mode]", "replace")
        page.check("#import-form input[name=confirm_replace]")
    if stock_from_file:
        page.check("#import-form input[name=stock_from_file]")
    page.click("#import-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/io\?ok="))
    return page.inner_text("p.flash.ok")


def test_an_upload_during_the_show_keeps_the_live_stock(console, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    store, handle, edited = console
    store.set_stock("A1-GREY", 0)  # staff marked it sold out
    assert store.apply_order("b1", "A1-PINK", 2).ok  # 5 -> 3
    page = browser_sign_in(browser, handle.url, *EDITOR, locale="zh-CN")
    page.goto(handle.url + "/io")
    assert "库存以文件为准" in page.inner_text("#import-form")

    flash = upload(page, handle.url, edited)  # merge, the form's default
    assert "stroller-rain-cover" in store.snapshot().faqs
    assert (store.variant("A1-GREY").stock, store.variant("A1-PINK").stock) == (0, 3)  # type: ignore[union-attr]
    assert "保留了 2 个规格的实时库存" in flash
    assert "A1-GREY 0（文件里是 30）、A1-PINK 3（文件里是 5）" in flash and "库存以文件为准" in flash

    flash = upload(page, handle.url, edited, replace=True)  # replacing the whole catalog keeps it too
    assert (store.variant("A1-GREY").stock, store.variant("A1-PINK").stock) == (0, 3)  # type: ignore[union-attr]
    assert "替换" in flash
    assert "保留了 2 个规格的实时库存" in flash
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-import-kept-stock.png"), full_page=True)

    flash = upload(page, handle.url, edited, stock_from_file=True)
    assert (store.variant("A1-GREY").stock, store.variant("A1-PINK").stock) == (30, 5)  # type: ignore[union-attr]
    assert "已按文件修改 2 个规格的库存：A1-GREY 0 → 30、A1-PINK 3 → 5。" in flash

    flash = upload(page, handle.url, edited)  # the file and the live stock agree now: nothing to say
    assert "库存" not in flash


def test_the_message_in_english(console, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    store, handle, edited = console
    store.set_stock("TEE-WHT-M", 1)
    page = browser_sign_in(browser, handle.url, *EDITOR, locale="en-US")
    flash = upload(page, handle.url, edited)
    assert "Kept the live stock of 1 variant, not the file's:" in flash and "(file: " in flash
    assert "“take the stock from the file” ticked" in flash
