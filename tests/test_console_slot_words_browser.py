"""Chromium (Playwright) against a real console and a live bot (SQLite, the demo catalog): the slots chip of a
catalog-data answer names every attribute key in staff words (issue 15 point 3/5), not as the catalog's identifier:
a common key by the console's word ("问的属性：重量" / "attribute asked: weight"), a key only this shop uses by the
catalog's own synonym for it ("heel_gap: [落差, 跟差, heel drop]" → "问的属性：落差" / "attribute asked: heel drop"),
in the Chinese and the English UI; the raw slots stay on hover.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser_login import close_pages, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(150)]

require_chromium()

from playwright.sync_api import expect  # noqa: E402

from bot.console.server import PASSWORD_ENV  # noqa: E402
from catalog.io import import_catalog  # noqa: E402
from tests.browser_login import browser_sign_in, demo_console  # noqa: E402
from tests.live_bot import BotThread  # noqa: E402

PASSWORD = "slot-words-pw-1"
CATALOG = Path(__file__).resolve().parents[1] / "data" / "catalog.yaml"


def _catalog_with_a_key_of_its_own(tmp_path: Path) -> Path:
    """The demo catalog with the running shoes' `drop` renamed `heel_gap`: a key the console has no word for."""
    text = CATALOG.read_text(encoding="utf-8")
    assert text.count("      drop: {zh: 8毫米") == 1 and text.count("    drop: [落差, 跟差, heel drop") == 1
    text = text.replace("      drop: {zh: 8毫米", "      heel_gap: {zh: 8毫米").replace(
        "    drop: [落差, 跟差, heel drop", "    heel_gap: [落差, 跟差, heel drop")
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_slots_chip_names_attribute_keys_in_staff_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser,
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with demo_console(tmp_path / "slot-words.db") as (store, console):
        import_catalog(store, _catalog_with_a_key_of_its_own(tmp_path))
        bot = BotThread(store, str(tmp_path / "spool.jsonl"))
        try:
            page = browser_sign_in(browser, console.url, "staff", PASSWORD)  # zh-CN
            errors: list[object] = []
            page.on("pageerror", lambda exc: errors.append(exc))
            page.goto(console.url + "/live")
            expect(page.locator("#live")).to_have_attribute("data-connected", "1", timeout=10_000)
            bot.ask("w1", "这个推车多重")
            bot.ask("w2", "跑鞋落差多少")
            weight = page.locator('#feed li[data-key="local|w1"] .chip.slots')
            gap = page.locator('#feed li[data-key="local|w2"] .chip.slots')
            expect(weight).to_have_text("问的属性：重量", timeout=10_000)
            assert weight.get_attribute("title") == "attribute:weight"
            expect(gap).to_have_text("问的属性：落差", timeout=10_000)  # the catalog's synonyms.attributes
            assert gap.get_attribute("title") == "attribute:heel_gap"

            page.click('.lang-switch a[hreflang="en"]')
            expect(page.locator("#live")).to_have_attribute("data-connected", "1", timeout=10_000)
            expect(page.locator('#feed li[data-key="local|w1"] .chip.slots')).to_have_text(
                "attribute asked: weight", timeout=10_000)
            expect(page.locator('#feed li[data-key="local|w2"] .chip.slots')).to_have_text("attribute asked: heel drop")
            assert not errors, errors
        finally:
            close_pages(browser)
            bot.stop()
