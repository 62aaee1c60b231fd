"""Chromium (Playwright) against a real console (uvicorn thread, SQLite): a Chinese shop operator adds a Japanese
answer to a FAQ (docs/console.md, FAQs: *Add language*) and types the language the way she says it. "日语" and "jp"
are refused in Chinese with the code to write (ja); before, "jp" got the store's English message and "日语" no hint.
"JA" is the code ja written in capitals and is saved as ja. "kr" (a code, but Kanuri's, which the bot never finds a
viewer writing) was saved without a word; it is refused with "did you mean ko (Korean)?" and the supported codes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser_login import require_chromium

pytestmark = [pytest.mark.browser]

require_chromium()

from playwright.sync_api import Browser, Page  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.console.auth import add_staff  # noqa: E402
from bot.console.server import start_console_thread  # noqa: E402
from catalog.io import import_catalog  # noqa: E402
from catalog.store import CatalogStore  # noqa: E402
from tests.browser_login import browser_sign_in  # noqa: E402
from tests.factories import keep_only_languages  # noqa: E402
from tests.live_bot import free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FAQ = "shipping-free"  # cut to zh + en answers: a FAQ without a Japanese answer
EDITOR = ("ed-lang", "editor-pass-lang")
JA_ANSWER = "中国本土は送料無料です。"


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("answer-lang")
    settings = Settings(db=f"sqlite:///{tmp / 'console.db'}", console_port=free_port())
    store = CatalogStore(settings.db)
    import_catalog(store, ROOT / "data" / "catalog.yaml")
    keep_only_languages(store, FAQ)
    add_staff(store, *EDITOR, "editor")
    handle = start_console_thread(store, settings)
    yield store, handle
    handle.stop()
    store.close()


def _add_ja_answer(page: Page, url: str, lang: str) -> str:
    """Open the FAQ, *Add language*, type `lang` and the Japanese answer into the new row, save; the page's text."""
    page.goto(url)
    page.get_by_role("button", name="添加语言").click()
    row = page.locator("#answer-rows .answer-row").last
    row.locator("input.lang").fill(lang)
    row.locator("textarea").fill(JA_ANSWER)
    page.get_by_role("button", name="保存问答").click()
    page.wait_for_load_state()
    return page.inner_text("main")


@pytest.mark.parametrize("typed", ["日语", "jp", "日文"])
def test_a_language_name_or_country_code_is_refused_in_chinese_with_the_code_to_write(
    console, browser: Browser, typed: str
) -> None:  # type: ignore[no-untyped-def]
    store, handle = console
    page = browser_sign_in(browser, handle.url, *EDITOR, locale="zh-CN")
    text = _add_ja_answer(page, handle.url + f"/faqs/{FAQ}", typed)
    assert f"「{typed}」不是语言代码" in text and "日语请填 ja" in text, text
    assert "unknown answer language" not in text  # the store's English message never reaches the Chinese page
    assert "ja" not in store.snapshot().faqs[FAQ].answers
    # what was typed is kept: the operator corrects the code and saves again
    rows = page.locator("#answer-rows .answer-row")
    kept = [(r.locator("input.lang").input_value(), r.locator("textarea").input_value()) for r in rows.all()]
    assert (typed, JA_ANSWER) in kept, kept


def test_the_code_in_capitals_is_saved_as_the_code(console, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    store, handle = console
    page = browser_sign_in(browser, handle.url, *EDITOR, locale="zh-CN")
    _add_ja_answer(page, handle.url + f"/faqs/{FAQ}", "JA")
    assert store.snapshot().faqs[FAQ].answers.get("ja") == JA_ANSWER


def test_a_code_the_bot_never_identifies_is_refused_with_the_code_meant(console: Any, browser: Browser) -> None:
    store, handle = console
    page = browser_sign_in(browser, handle.url, *EDITOR, locale="zh-CN")
    text = _add_ja_answer(page, handle.url + f"/faqs/{FAQ}", "kr")
    assert "「kr」（卡努里语）不是机器人能识别的评论语言；是不是要填 ko（韩语）？" in text, text
    assert "支持：af, ar," in text and ", ko," in text
    assert "kr" not in store.snapshot().faqs[FAQ].answers


def test_an_answer_without_its_language_asks_for_the_language(console: Any, browser: Browser) -> None:
    """Text typed into a new row with its language left empty: "第 N 行：请填写这条回答的语言…", not "「」不是语言代码"."""
    store, handle = console
    before = store.snapshot().faqs[FAQ].answers  # the module's console: another test may have saved a ja answer
    page = browser_sign_in(browser, handle.url, *EDITOR, locale="zh-CN")
    text = _add_ja_answer(page, handle.url + f"/faqs/{FAQ}", "")
    assert "请填写这条回答的语言代码（zh、en、ja……）" in text, text
    assert "「」" not in text
    assert store.snapshot().faqs[FAQ].answers == before  # nothing saved
