"""The live page names the product a comment was about the way staff know it (轻便婴儿推车A1), not by its catalog
id (stroller-a1): Chromium against a real console (uvicorn thread, SQLite, no bot), comments as the bot logs them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_login import browser_sign_in, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.console, pytest.mark.timeout(90)]

require_chromium()

from playwright.sync_api import Browser, expect  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.console.server import PASSWORD_ENV  # noqa: E402
from bot.messages import Comment  # noqa: E402
from catalog.store import CatalogStore  # noqa: E402
from tests.live_bot import free_port, serve_catalog_console  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "live-names-pw-1"
ROOM = "local"


@pytest.fixture()
def console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[CatalogStore, Any]]:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    settings = Settings(db=f"sqlite:///{tmp_path / 'names.db'}", console_port=free_port())
    yield from serve_catalog_console(settings)


def log_comment(store: CatalogStore, cid: str, text: str, **outcome: Any) -> None:
    now = time.time()
    store.record_comments([Comment(id=cid, user=f"u-{cid}", text=text, ts=now, room=ROOM)], received_at=[now])
    store.set_comment_outcomes([(ROOM, cid, outcome)])


def test_the_feed_shows_product_names_not_ids(console, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    store, handle = console
    log_comment(store, "n1", "羽绒服能机洗吗", status="staff", product_id="down-jacket", reason="below threshold")
    log_comment(store, "n2", "这个多少钱", status="silent", product_id="no-longer-in-catalog", reason="below threshold")
    page = browser_sign_in(browser, handle.url, "staff", PASSWORD, locale="zh-CN")
    page.goto(handle.url + "/live")
    chip = page.locator('#feed li[data-key="local|n1"] .chip.product')
    expect(chip).to_have_text("90白鸭绒短款羽绒服", timeout=10_000)
    assert chip.get_attribute("data-product") == "down-jacket"  # the id stays on the element
    # a product the catalog no longer has: its id, rather than nothing
    expect(page.locator('#feed li[data-key="local|n2"] .chip.product')).to_have_text("no-longer-in-catalog")
    # the product filter still works on the id
    page.select_option("#product-filter", "down-jacket")
    expect(page.locator('#feed li[data-key="local|n2"]')).to_be_hidden()
    expect(page.locator('#feed li[data-key="local|n1"]')).to_be_visible()
