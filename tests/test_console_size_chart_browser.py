"""Chromium (Playwright): the size chart in the staff console, with a bot running.

The product page shows the chart the bot advises sizes from (it is edited in the catalog file: the page says how).
An editor renames the tee's size XL to 1XL in the variant rows: the chart row goes along (before, the editor dropped
every chart row whose size the variants no longer had, so a rename silently ended size advice for that size) and the
running bot (a real BotService over an in-memory room, the console's SQLite file) advises 1XL for 180 cm / 80 kg
without a restart."""

from __future__ import annotations

import time
from pathlib import Path

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
EDITOR = ("ed-size-chart", "editor-pass-size-chart")
QUESTION = "T恤180cm 80kg穿什么码"


def test_the_size_chart_is_shown_and_follows_a_renamed_size(tmp_path: Path, browser) -> None:
    settings = Settings(db=f"sqlite:///{tmp_path / 'size-chart.db'}", console_port=free_port())
    store = CatalogStore(settings.db)
    import_catalog(store, ROOT / "data" / "catalog.yaml")
    add_staff(store, *EDITOR, "editor")
    console = start_console_thread(store, settings)
    bot = BotThread(store, str(tmp_path / "spool.jsonl"))
    try:
        assert "XL码" in bot.ask("c1", QUESTION)
        page = browser_sign_in(browser, console.url, *EDITOR)
        page.goto(console.url + "/products/tee-classic")
        chart = page.locator("#size-chart")
        expect(chart.locator("h2")).to_have_text("尺码表")
        expect(chart.locator("thead th")).to_have_text(["尺码", "身高（厘米）", "体重（公斤）"])
        expect(chart.locator("tbody tr").nth(3)).to_have_text("XL178–18575–85")
        expect(chart.locator(".help")).to_contain_text("商品目录文件")

        cells = page.locator("#variant-rows input[value='XL']")  # the white and the black XL
        assert cells.count() == 2
        # only the white one renamed: the kept chart would list XL after XXL; refused, said in Chinese
        cells.nth(0).fill("1XL")
        page.click("#product-form button[type=submit]")
        expect(page.locator("#form-error")).to_contain_text("尺码表的 XXL 行排在 XL 之后")
        assert "size chart" not in page.locator("#form-error").inner_text()
        cells = page.locator("#variant-rows input[value='XL']")
        for i in range(cells.count()):
            cells.nth(i).fill("1XL")
        page.click("#product-form button[type=submit]")
        expect(page.locator(".flash.ok")).to_contain_text("已保存")
        expect(chart.locator("tbody tr").nth(3)).to_have_text("1XL178–18575–85")
        tee = store.product("tee-classic")
        assert tee is not None and [r.size for r in tee.size_chart] == ["S", "M", "L", "1XL", "XXL"]
        close_pages(browser)
        deadline = time.monotonic() + 10
        reply = bot.ask("c2", QUESTION)
        while "1XL" not in reply and time.monotonic() < deadline:
            time.sleep(0.2)
            reply = bot.ask(f"c{time.monotonic_ns()}", QUESTION)
        assert "180cm/80kg建议1XL码" in reply, reply
    finally:
        bot.stop()
        console.stop()
        store.close()
