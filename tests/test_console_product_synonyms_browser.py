"""Chromium (Playwright): a product edit in the staff console and the catalog's synonyms, with a bot running.

An editor renames the scarf's 酒红色 to 勃艮第红 in the product form: the flash says its words (酒红, 红色,
burgundy) now belong to 勃艮第红 and the running bot (a real BotService over an in-memory room, the console's SQLite
file) answers "围巾有酒红吗" with 勃艮第红's stock without a restart; /synonyms shows no stale row. Adding a variant
named 红色 (勃艮第红's synonym) is refused in Chinese with what to do, the form keeps what was typed and nothing is
written; so is an alias that is another product's name ("推车"). Before, both were saved: the synonym page then
marked the rows, the next synonym save and an export → import were refused, and a shared alias left the bot unable
to tell the products apart."""

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
from catalog.io import import_catalog  # noqa: E402
from catalog.store import CatalogStore  # noqa: E402
from tests.browser_login import browser_sign_in  # noqa: E402
from tests.live_bot import BotThread, free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EDITOR = ("ed-product-words", "editor-pass-product-words")


def eventually(check: Any, timeout_s: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_a_product_edit_carries_its_synonyms_and_refuses_a_clash(tmp_path: Path, browser) -> None:
    settings = Settings(db=f"sqlite:///{tmp_path / 'product-words.db'}", console_port=free_port())
    store = CatalogStore(settings.db)
    import_catalog(store, ROOT / "data" / "catalog.yaml")
    add_staff(store, *EDITOR, "editor")
    console = start_console_thread(store, settings)
    bot = BotThread(store, str(tmp_path / "spool.jsonl"))
    try:
        assert "酒红色" in bot.ask("s1", "围巾有酒红吗")
        page = browser_sign_in(browser, console.url, *EDITOR)
        page.goto(console.url + "/products/scarf-cashmere")
        form = page.locator("#product-form")
        wine = form.locator("input[value='酒红色']")
        wine.fill("勃艮第红")
        page.click("#product-form button[type=submit]")
        flash = page.locator(".flash.ok")
        expect(flash).to_contain_text("已保存")
        expect(flash).to_contain_text("酒红色 的叫法（酒红、红色、burgundy）已归到 勃艮第红")
        assert store.snapshot().synonyms["values"]["colour"]["勃艮第红"] == ["酒红", "红色", "burgundy"]
        reply = eventually(lambda: (r := bot.ask(f"s{time.monotonic_ns()}", "围巾有酒红吗")) and "勃艮第红" in r and r)
        assert reply and "勃艮第红" in reply, reply
        page.goto(console.url + "/synonyms")
        assert page.locator("#stale-words").count() == 0

        # a new variant named 红色, one of 勃艮第红's words: refused, said in Chinese, the row kept as typed
        page.goto(console.url + "/products/scarf-cashmere")
        version = store.catalog_version()
        page.locator("#variant-rows").get_by_role("button", name="添加规格").click()
        row = page.locator("#variant-rows tr[data-row]").last
        row.locator("input[name$='-sku']").fill("SCARF-RED")
        row.locator("input[name$='-v0']").fill("红色")
        row.locator("input[name$='-stock']").fill("7")
        page.click("#product-form button[type=submit]")
        error = page.locator(".flash.error, .error").first
        expect(error).to_contain_text("未保存")
        expect(error).to_contain_text("「红色」")
        expect(error).to_contain_text("同义词页")
        assert page.locator("#variant-rows input[value='SCARF-RED']").count() == 1  # what was typed is kept
        assert store.catalog_version() == version and "SCARF-RED" not in {
            v.sku for v in store.product("scarf-cashmere").variants}  # type: ignore[union-attr]

        # an alias that is another product's alias: refused, naming that product
        page.goto(console.url + "/products/scarf-cashmere")
        aliases = page.locator("input[name=aliases]")
        aliases.fill(aliases.input_value() + ", 推车")
        page.click("#product-form button[type=submit]")
        error = page.locator(".flash.error, .error").first
        expect(error).to_contain_text(re.compile(r"「推车」.*轻便婴儿推车A1"))
        assert "推车" not in store.product("scarf-cashmere").aliases  # type: ignore[union-attr]
        close_pages(browser)
    finally:
        bot.stop()
        console.stop()
        store.close()
