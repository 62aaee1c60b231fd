"""Chromium (Playwright) against a real console (uvicorn thread, SQLite): a catalog YAML uploaded through the import
form with a FAQ answer under "kr" (ISO 639-1 for Kanuri, typed for Korean; the bot never identifies it, so the answer
would never be sent) is refused as a whole, with the file's line, "did you mean ko (Korean)?" and the supported codes,
as the FAQ editor says it (Chinese first); the same file with "ko" is imported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

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

Console = tuple[CatalogStore, Any, Path, str, int]  # store, console handle, tmp dir, edited file text, FAQ line
ROOT = Path(__file__).resolve().parents[1]
EDITOR = ("langs", "editor-pass-9")
NEW_FAQ = """\
  - id: stroller-rain-cover
    product: stroller-a1
    intent: ask_spec
    questions: [送雨罩吗, 有没有雨罩, does it come with a rain cover]
    answer:
      zh: "{product}送防雨罩。"
      kr: "{product} 방수 커버 포함"
"""


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    tmp = tmp_path_factory.mktemp("import-langs")
    settings = Settings(db=f"sqlite:///{tmp / 'console.db'}", console_port=free_port())
    store = CatalogStore(settings.db)
    import_catalog(store, ROOT / "data" / "catalog.yaml")
    add_staff(store, *EDITOR, "editor")
    handle = start_console_thread(store, settings)
    text = (ROOT / "data" / "catalog.yaml").read_text(encoding="utf-8")
    edited = text.replace("\nsynonyms:", "\n" + NEW_FAQ + "synonyms:", 1)
    assert "stroller-rain-cover" in edited
    line = next(n for n, row in enumerate(edited.splitlines(), 1) if row == "  - id: stroller-rain-cover")
    yield store, handle, tmp, edited, line
    handle.stop()
    store.close()


def upload(page: Page, base: str, path: Path) -> None:
    page.goto(base + "/io")
    page.set_input_files("#import-form input[name=file]", str(path))
    page.click("#import-form button[type=submit]")
    page.wait_for_load_state()


def test_an_upload_with_an_answer_under_kr_is_refused(console: Console, browser: Browser) -> None:
    store, handle, tmp, edited, line = console
    path = tmp / "shop.yaml"
    path.write_text(edited, encoding="utf-8")
    version = store.snapshot().version
    page = browser_sign_in(browser, handle.url, *EDITOR, locale="zh-CN")
    upload(page, handle.url, path)
    error = page.inner_text("#import-error")
    assert f"shop.yaml 第 {line} 行" in error or f"shop.yaml:{line}" in error, error
    assert "不是机器人能识别的评论语言；是不是要填 ko（韩语）？" in error, error
    assert "支持：af, ar, " in error and ", ko, " in error
    snap = store.snapshot()
    assert "stroller-rain-cover" not in snap.faqs and snap.version == version  # nothing written

    page = browser_sign_in(browser, handle.url, *EDITOR, locale="en-US")
    upload(page, handle.url, path)
    error = page.inner_text("#import-error")
    assert f"shop.yaml:{line}: FAQ 'stroller-rain-cover' answer (kr): " in error, error
    assert "is not a language the bot recognises in comments; did you mean ko (Korean)? Supported: " in error


def test_the_same_upload_with_ko_is_imported(console: Console, browser: Browser) -> None:
    store, handle, tmp, edited, _line = console
    path = tmp / "shop-ko.yaml"
    path.write_text(edited.replace("      kr: ", "      ko: ", 1), encoding="utf-8")
    page = browser_sign_in(browser, handle.url, *EDITOR, locale="zh-CN")
    upload(page, handle.url, path)
    assert page.locator("#import-error").count() == 0
    assert set(store.snapshot().faqs["stroller-rain-cover"].answers) == {"zh", "ko"}
