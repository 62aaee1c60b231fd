"""The console's upload limit as a staff member meets it (Chromium through the real import form): a file over
`LIVEREPLY_MAX_UPLOAD_BYTES` is refused with that limit in the message — whether the body limit refuses it before
reading (a file far over the limit) or the import page does (a file just over it). The body limit lets the form's
other fields through on top of the file; that allowance is not the limit the staff member set and is never quoted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_login import browser_sign_in, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

require_chromium()

from playwright.sync_api import Browser  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.console.server import PASSWORD_ENV  # noqa: E402
from bot.console.uploads import FORM_OVERHEAD_BYTES  # noqa: E402
from catalog.store import CatalogStore  # noqa: E402
from tests.live_bot import free_port, serve_catalog_console  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "upload-limit-pw-1"
LIMIT = 1000


@pytest.fixture()
def console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[CatalogStore, Any]]:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    monkeypatch.setenv("LIVEREPLY_MAX_UPLOAD_BYTES", str(LIMIT))  # as a shop sets it
    settings = Settings.load({"db": f"sqlite:///{tmp_path / 'upload.db'}", "console_port": free_port()})
    assert settings.max_upload_bytes == LIMIT
    yield from serve_catalog_console(settings)


@pytest.mark.parametrize(
    "size",
    [130_000, 4_600],  # far over the limit + the form allowance (refused before reading), and just over the limit
)
def test_an_upload_over_the_limit_quotes_the_configured_limit(console, browser: Browser, tmp_path: Path, size: int):
    store, handle = console
    stock = store.variant("A1-GREY").stock
    rows = "sku,stock\n" + "A1-GREY,5\n" * (size // 10)
    path = tmp_path / "stock.csv"
    path.write_text(rows[:size], encoding="utf-8")
    assert path.stat().st_size == size
    page = browser_sign_in(browser, handle.url, "staff", PASSWORD)
    try:
        page.goto(handle.url + "/io")
        page.set_input_files("#import-form input[name=file]", str(path))
        with page.expect_response(lambda r: r.url.endswith("/io/import")) as answer:
            page.click("#import-form button[type=submit]")
        assert answer.value.status == 413
        text = page.locator("body").inner_text()
        assert f"上限为 {LIMIT} 字节。" in text, text  # 1000 bytes: no "(… KiB)" after it
        assert str(LIMIT + FORM_OVERHEAD_BYTES) not in text and "65 KiB" not in text, text
    finally:
        page.context.close()
    assert store.variant("A1-GREY").stock == stock  # nothing imported
