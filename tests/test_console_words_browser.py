"""Chromium (Playwright): staff teach the running bot a new word and a product's own sentence through the console.

On /synonyms (zh-CN, with the page's script) an editor adds 玄色 to black's words, removes a row and adds a value row
with the page's buttons; in the product editor with JavaScript off, a bad wording is refused next to its row in
Chinese, then the shop's sentence for "a few left" is saved through the server-rendered empty row. The bot (a real
BotService over an in-memory room, hashing embedder, the console's SQLite file) reloads without a restart: the
comment it answered with the size list before ("T恤玄色XXL还有吗") now gets black XXL's stock in the shop's words, shown
on /live. Screenshots at 1280 and 375 px go to test-artifacts/."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser_login import close_pages, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

require_chromium()

from playwright.sync_api import Browser, Page, expect  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.console.auth import add_staff  # noqa: E402
from bot.console.server import start_console_thread  # noqa: E402
from catalog.accounts import Accounts  # noqa: E402
from catalog.io import import_catalog  # noqa: E402
from catalog.store import CatalogStore  # noqa: E402
from tests.browser_login import browser_sign_in  # noqa: E402
from tests.live_bot import BotThread, free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
EDITOR = ("ed-words", "editor-pass-words")
QUESTION = "T恤玄色XXL还有吗"  # 玄色: black, in a word the catalog does not know yet
WORDING = "{label}只剩{total}件啦,手慢无"


def sign_in(browser: Browser, url: str, *, js: bool = True, width: int = 1280) -> Page:
    return browser_sign_in(browser, url, *EDITOR, js=js, width=width)


def wait_for(check: Any, timeout_s: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_a_new_synonym_and_wording_reach_the_running_bot(tmp_path: Path, browser) -> None:
    settings = Settings(db=f"sqlite:///{tmp_path / 'words.db'}", console_port=free_port())
    store = CatalogStore(settings.db)
    import_catalog(store, ROOT / "data" / "catalog.yaml")
    add_staff(store, *EDITOR, "editor")
    console = start_console_thread(store, settings)
    bot = BotThread(store, str(tmp_path / "spool.jsonl"))
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        before = bot.ask("w1", QUESTION)
        assert before.startswith("XXL码目前有货"), before  # 玄色 unknown: the XXL of every colour

        page = sign_in(browser, console.url)
        errors: list[Any] = []
        page.on("pageerror", lambda exc: errors.append(exc))

        # /synonyms, reached from the products list; rows edited, removed and added with the page's buttons
        page.goto(console.url + "/products")
        page.click("#synonyms-link")
        page.wait_for_url(re.compile(r".*/synonyms$"))
        values = page.locator("#value-rows")
        black = values.locator("tr[data-row]", has=page.locator("input[value='黑色']"))
        words = black.locator("input[name$='-words']")
        words.fill(words.input_value() + ", 玄色")
        values.locator("tr[data-row]", has=page.locator("input[value='驼色']")).get_by_role("button", name="删除").click()
        values.get_by_role("button", name="添加一个值").click()
        new_row = values.locator("tr[data-row]").last
        new_row.locator("input[name$='-attr']").fill("colour")
        new_row.locator("input[name$='-value']").fill("雾霾蓝")
        new_row.locator("input[name$='-words']").fill("灰蓝, 雾蓝")
        page.screenshot(path=str(ARTIFACTS / "console-synonyms-1280.png"), full_page=True)
        page.click("#save-synonyms")
        expect(page.locator(".flash.ok")).to_contain_text("同义词已保存")
        synonyms = store.snapshot().synonyms
        assert synonyms["values"]["colour"]["黑色"][-1] == "玄色" and "驼色" not in synonyms["values"]["colour"]
        assert synonyms["values"]["colour"]["雾霾蓝"] == ["灰蓝", "雾蓝"]

        # a colliding word: refused next to its row, in Chinese, nothing saved
        white = page.locator("#value-rows tr[data-row]", has=page.locator("input[value='白色']"))
        white.locator("input[name$='-words']").fill("白, 玄色")
        page.click("#save-synonyms")
        error = page.locator("#value-rows tr.row-error")
        expect(error).to_contain_text(re.compile(r"「玄色」在「[^」]+」里已经表示 黑色"))  # in the product with both
        assert store.snapshot().synonyms["values"]["colour"]["白色"] == synonyms["values"]["colour"]["白色"]

        phone = sign_in(browser, console.url, width=375)
        phone.goto(console.url + "/synonyms")
        phone.screenshot(path=str(ARTIFACTS / "console-synonyms-375.png"), full_page=True)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375 + 1, f"/synonyms scrolls sideways on a phone ({width}px)"

        # the product editor's wording rows, without JavaScript: the server's empty row is enough
        nojs = sign_in(browser, console.url, js=False)
        nojs.goto(console.url + "/products/tee-classic")
        rows = nojs.locator("#wording-rows")
        assert not rows.locator(".row-add").is_visible()
        empty = rows.locator("tr[data-row]").last
        empty.locator("select[name$='-key']").select_option("stock.few")
        assert empty.locator("select[name$='-lang']").input_value() == "zh"
        empty.locator("input[name$='-text']").fill("{label}只剩{totl}件")
        nojs.click("#product-form button[type=submit]")
        refused = nojs.locator("#wording-rows tr.row-error")
        expect(refused).to_contain_text("第 1 行")
        expect(refused).to_contain_text("{totl}")
        assert "catalog.yaml" not in refused.inner_text()
        assert store.product("tee-classic").wording == {}  # type: ignore[union-attr]
        nojs.locator("#wording-rows input[name$='-text']").first.fill(WORDING)  # the rows come back as typed
        nojs.click("#product-form button[type=submit]")
        expect(nojs.locator(".flash.ok")).to_be_visible()
        assert store.product("tee-classic").wording == {"stock.few": {"zh": WORDING}}  # type: ignore[union-attr]
        nojs.screenshot(path=str(ARTIFACTS / "console-product-wording-1280.png"), full_page=True)
        assert [e.action for e in Accounts(store).audit_entries(limit=2)] == ["product.update", "synonyms.update"]

        # the running bot reloads (no restart) and answers the same question exactly, in the shop's words
        version = store.catalog_version()
        wait_for(lambda: bot.engine.state.version >= version)
        page.goto(console.url + "/live")
        expect(page.locator("#live")).to_have_attribute("data-connected", "1", timeout=10_000)
        after = bot.ask("w2", QUESTION)
        assert after == "黑色XXL码只剩2件啦,手慢无", after
        row = page.locator('#feed li[data-key="local|w2"]')
        expect(row).to_have_attribute("data-status", "answered", timeout=10_000)
        expect(row.locator(".reply")).to_contain_text("黑色XXL码只剩2件啦")
        page.screenshot(path=str(ARTIFACTS / "console-words-live-1280.png"), full_page=True)
        assert not errors
        close_pages(browser)
    finally:
        bot.stop()
        console.stop()
        store.close()
