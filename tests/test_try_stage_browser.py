""""试问一句" (the try page) with no product chosen uses the product the live room has on stage (the console of
`livereply demo --keep-console` shares the bot's engine): the choice said "（没有正在讲解的商品）" while the answer read
"… 正在讲解", so staff could not tell why. The empty choice now names the live room's product, and says "nothing on
stage" only when nothing is; the page's "FAQ" labels are translated. Chromium (Playwright), hashing embedder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_login import browser_sign_in, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

require_chromium()

from playwright.sync_api import Browser  # noqa: E402

from bot.bootstrap import build_runtime  # noqa: E402
from bot.console.auth import add_staff  # noqa: E402
from tests.fast.fakes import HashEmbedder  # noqa: E402
from tests.live_bot import free_port, serve_catalog_console  # noqa: E402
from tests.runtimes import test_settings  # noqa: E402

STAFF = ("try-stage-staff", "try-stage-pass")


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    tmp: Path = tmp_path_factory.mktemp("try-stage")
    settings = test_settings(tmp, console_port=free_port())
    runtimes: list[Any] = []

    def make_runtime(store: Any) -> Any:
        add_staff(store, *STAFF, "viewer")
        runtimes.append(build_runtime(settings, store=store, embedder=HashEmbedder()))
        return runtimes[0]

    for store, handle in serve_catalog_console(settings, make_runtime):
        yield handle, runtimes[0], store


def test_the_empty_stage_choice_names_what_the_live_room_has_on_stage(console: Any, browser: Browser) -> None:
    handle, runtime, store = console
    stroller = store.snapshot().products["stroller-a1"]
    page = browser_sign_in(browser, handle.url, *STAFF, locale="zh-CN")
    runtime.engine.stage_product_id = "stroller-a1"  # what a Stage event of the live room does
    page.goto(handle.url + "/try?q=%E5%8C%85%E9%82%AE%E5%90%97")  # 包邮吗
    first = page.locator("select[name=stage] option").first
    assert first.inner_text() == f"（与直播间一致：正在讲解 {stroller.name['zh']}）"
    assert "问答" in page.locator("#try-result dt").all_inner_texts()
    assert "FAQ" not in page.locator("#try-result").inner_text()
    runtime.engine.stage_product_id = None
    page.goto(handle.url + "/try")
    assert page.locator("select[name=stage] option").first.inner_text() == "（没有正在讲解的商品）"


def test_an_answer_that_needs_a_product_when_none_is_on_stage_is_said_in_chinese(console: Any, browser: Browser) -> None:
    """"多少钱" with nothing on stage: the price FAQ's answer needs {product} and {price}, so the bot hands it to
    staff — the try page (and the live feed) said why in the renderer's English: "无法填写回答（template needs a
    product for {product}, {price} but none was given）"."""
    handle, runtime, _store = console
    runtime.engine.stage_product_id = None
    page = browser_sign_in(browser, handle.url, *STAFF, locale="zh-CN")
    page.goto(handle.url + "/try")
    page.fill("#try-form input[name=q]", "多少钱")
    page.select_option("#try-form select[name=stage]", "")
    page.click("#try-form button[type=submit]")
    page.wait_for_selector("#try-result dl")
    said = page.locator("#try-result").inner_text()
    assert "转人工" in said
    assert "template needs" not in said and "none was given" not in said
    assert "回答要用到商品信息（{product}、{price}），但评论没说是哪个商品，也没有正在讲解的商品" in said
