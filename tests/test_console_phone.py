"""Every console page in real Chromium at phone width (375 px) and desktop width (1280 px), in Chinese (the default).

At 375 px no page may be wider than the screen: document.scrollingElement.scrollWidth <= 376 (tables scroll inside
their .scroll wrapper, forms stack, the nav wraps). Screenshots of every page at both widths go to test-artifacts/;
the Chinese dashboard at 1280 px also to docs/console-zh.png (the picture in docs/console.md) when that file is missing
or LIVEREPLY_DOC_SHOTS=1 (so a test run does not rewrite a committed file).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.console.server import ConsoleHandle
from bot.messages import Comment
from catalog.store import CatalogStore
from tests import test_console
from tests.browser_login import close_pages, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.console]

require_chromium()

from playwright.sync_api import Page  # noqa: E402

from tests.browser_login import fill_login  # noqa: E402
from tests.live_bot import serve_console  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
DOC_SHOT = ROOT / "docs" / "console-zh.png"
PHONE, DESKTOP = 375, 1280

store = test_console.store
template_db = test_console.template_db



@pytest.fixture()
def live(store: CatalogStore, monkeypatch: pytest.MonkeyPatch) -> Iterator[ConsoleHandle]:
    yield from serve_console(store, monkeypatch, "phone-test-pw-1")


def sign_in(page: Page, base: str) -> None:
    fill_login(page, base, "admin1", test_console.PASSWORDS["admin1"])


def overflow(page: Page) -> int:
    return int(page.evaluate("document.scrollingElement.scrollWidth"))


def seed_traffic(store: CatalogStore, product_id: str, faq_id: str) -> None:
    """Some answered comments and the review queue's hand-offs, so the dashboard and queue have content to lay out."""
    test_console._log(store, test_console.REVIEW_LOG)
    now = time.time()
    for i, text in enumerate(["多少钱", "这个多少钱呀", "有XL吗", "包邮吗", "几天到", "还有货吗"] * 3):
        cid = f"a{i}"
        store.record_comment(Comment(id=cid, user=f"v{i}", text=text, ts=now + i), received_at=now + i * 0.01)
        store.set_comment_outcome(cid, status="answered", faq_id=faq_id, product_id=product_id, reply_text="好的")


def test_every_page_fits_a_phone_and_is_chinese(live: ConsoleHandle, store: CatalogStore, browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    snap = store.snapshot()
    product_id = next(iter(snap.products))
    faq_id = next(iter(snap.faqs))
    seed_traffic(store, product_id, faq_id)
    try:
        context = browser.new_context(viewport={"width": DESKTOP, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.goto(live.url + "/login")
        assert page.get_attribute("html", "lang") == "zh-CN" and "员工登录" in page.inner_text("h1")
        page.set_viewport_size({"width": PHONE, "height": 740})
        assert overflow(page) <= PHONE + 1, "login page wider than a phone"
        page.screenshot(path=str(ARTIFACTS / "console-zh-login-375.png"), full_page=True)
        page.set_viewport_size({"width": DESKTOP, "height": 900})
        sign_in(page, live.url)
        # every page the nav links to (so a page added later is covered too), plus detail, editor and error pages
        nav = [urlsplit(h).path for h in page.eval_on_selector_all("header nav a", "els => els.map(e => e.href)")]
        assert {"/dashboard", "/products", "/faqs", "/review", "/staff"} <= set(nav)
        pages = [*nav, f"/products/{product_id}", "/products/new", f"/faqs/{faq_id}", "/faqs/new", "/intents/new",
                 "/try?q=" + "有XL码吗", "/products/no-such-product", "/synonyms"]
        too_wide: dict[str, int] = {}
        for path in pages:
            name = path.strip("/").split("?")[0].replace("/", "-") or "home"
            for width in (DESKTOP, PHONE):
                page.set_viewport_size({"width": width, "height": 900 if width == DESKTOP else 740})
                page.goto(live.url + path)
                assert page.get_attribute("html", "lang") == "zh-CN", path
                if width == PHONE and overflow(page) > PHONE + 1:
                    too_wide[path] = overflow(page)
                page.screenshot(path=str(ARTIFACTS / f"console-zh-{name}-{width}.png"), full_page=width == PHONE)
                if path == "/dashboard" and width == DESKTOP:
                    assert "实时数据看板" in page.inner_text("h1")
                    page.wait_for_timeout(300)  # the first /api/stats poll has drawn the charts
                    page.screenshot(path=str(ARTIFACTS / "console-zh-dashboard-doc.png"))
                    if os.environ.get("LIVEREPLY_DOC_SHOTS") == "1" or not DOC_SHOT.exists():
                        page.screenshot(path=str(DOC_SHOT))
        assert not too_wide, f"wider than {PHONE} px (scrollWidth): {too_wide}"
        # the switcher, clicked like staff would: the same page comes back in English
        page.set_viewport_size({"width": PHONE, "height": 740})
        page.goto(live.url + "/products")
        page.click(".lang-switch a[hreflang=en]")
        page.wait_for_url(live.url + "/products")
        assert page.get_attribute("html", "lang") == "en" and page.inner_text("h1").startswith("Products")
        assert overflow(page) <= PHONE + 1
        page.screenshot(path=str(ARTIFACTS / "console-en-products-375.png"), full_page=True)
        context.close()
    finally:
        close_pages(browser)
