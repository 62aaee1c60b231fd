"""The product page's stock table names each variant by its values ("S / 白色"), as staff say it, with the attribute
key in the tooltip — not the catalog's raw "size=S colour=白色". Chromium (Playwright)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_login import browser_sign_in, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

require_chromium()

from playwright.sync_api import Browser  # noqa: E402

from bot.console.auth import add_staff  # noqa: E402
from tests.live_bot import free_port, serve_catalog_console  # noqa: E402
from tests.runtimes import test_settings  # noqa: E402

STAFF = ("variants-staff", "variants-pass")


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    tmp: Path = tmp_path_factory.mktemp("product-variants")
    settings = test_settings(tmp, console_port=free_port())
    for store, handle in serve_catalog_console(settings):
        add_staff(store, *STAFF, "viewer")
        yield handle, store


def test_the_stock_table_names_variants_by_their_values(console: Any, browser: Browser) -> None:
    handle, store = console
    tee = store.snapshot().products["tee-classic"]
    variant = next(v for v in tee.variants if len(v.attrs) >= 2)
    page = browser_sign_in(browser, handle.url, *STAFF, locale="zh-CN")
    page.goto(handle.url + "/products/tee-classic")
    row = page.locator("tr", has=page.locator(f"code:text-is('{variant.sku}')"))
    cell = row.locator("td.variant-values")
    assert cell.inner_text() == " / ".join(variant.attrs.values())
    assert "=" not in cell.inner_text()
    assert cell.locator("span").first.get_attribute("title") == next(iter(variant.attrs))
