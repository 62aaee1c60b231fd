"""Try a question (Chromium, the real form): the size chart's reason is said wholly in the staff member's language,
its dimensions by the names the product page's chart uses — 身高（厘米） / height (cm) — never the catalog keys
`height_cm` / `weight_kg` the reason is written with."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser_login import browser_sign_in, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

require_chromium()

from playwright.sync_api import Browser, Page, expect  # noqa: E402

from bot.bootstrap import build_runtime, ensure_catalog, open_store  # noqa: E402
from bot.console.server import PASSWORD_ENV, start_console_thread  # noqa: E402
from tests.fast.fakes import HashEmbedder  # noqa: E402
from tests.live_bot import free_port  # noqa: E402
from tests.runtimes import test_settings  # noqa: E402

PASSWORD = "reason-words-pw-1"
ROOT = Path(__file__).resolve().parents[1]
QUESTION = "T恤180cm 80kg穿什么码"  # the tee's chart: height → XL, weight → XL


def _ask(page: Page, question: str) -> str:
    page.fill("#try-form input[name=q]", question)
    page.click("#try-form button[type=submit]")
    band = page.locator("#try-result p.band")
    expect(band).to_be_visible()
    return band.inner_text()


def test_the_size_advice_reason_names_the_charts_dimensions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser: Browser
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    settings = test_settings(tmp_path, console_port=free_port(), catalog=str(ROOT / "data" / "catalog.yaml"))
    store = open_store(settings)
    ensure_catalog(store, settings, replace=True)
    runtime = build_runtime(settings, store=store, embedder=HashEmbedder())
    handle = start_console_thread(store, settings, runtime)
    try:
        page = browser_sign_in(browser, handle.url, "staff", PASSWORD)
        page.goto(handle.url + "/try")
        said = _ask(page, QUESTION)
        raw = page.locator("#try-result p.band").get_attribute("data-reason") or ""
        assert raw.startswith("structured size_advice height_cm 180"), raw  # the database keeps the keys
        assert "按尺码表给出尺码建议：身高（厘米） 180 → XL；体重（公斤） 80 → XL；建议 XL" in said, said
        assert "height_cm" not in said and "weight_kg" not in said
        page.click(".lang-switch a[hreflang=en]")
        page.goto(handle.url + "/try")
        said = _ask(page, QUESTION)
        assert "size advice from the size chart: height (cm) 180 → XL; weight (kg) 80 → XL; advised size XL" in said, said
        assert "height_cm" not in said and "建议" not in said
    finally:
        handle.stop()
        store.close()
