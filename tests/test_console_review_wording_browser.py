"""The review queue's "add as example" in Chromium (Playwright), through the real form: a group can hold several
wordings (in a cross-border room a group of Vietnamese comments mixed a greeting, a returns question and a complaint),
so staff pick which wording becomes the FAQ's example instead of always the group's most frequent one (a long wording
does not widen the page on a phone); and the viewers beyond the four named read as more people in Chinese
("另有 2 人"), not as "etc., 2 people" after four names."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_login import browser_sign_in, demo_console, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

require_chromium()

from playwright.sync_api import Browser, expect  # noqa: E402

from bot.console.server import PASSWORD_ENV  # noqa: E402
from bot.messages import Comment  # noqa: E402
from catalog.store import CatalogStore  # noqa: E402

PASSWORD = "review-wording-pw-1"
ROOM = "local"


@pytest.fixture()
def console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[CatalogStore, Any]]:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with demo_console(tmp_path / "wording.db") as (store, handle):
        yield store, handle


def log_comment(store: CatalogStore, cid: str, text: str, received_at: float) -> None:
    store.record_comments([Comment(id=cid, user=f"u-{cid}", text=text, ts=received_at, room=ROOM)], received_at=[received_at])
    store.set_comment_outcomes([(ROOM, cid, {"status": "silent", "reason": "below threshold", "faq_id": "invoice",
                                             "score": 0.6, "lang": "zh"})])


def staff_examples(store: CatalogStore, faq_id: str) -> list[str]:
    return [text for text, _lang, source in store.faq_examples()[faq_id] if source == "staff"]


def test_staff_pick_the_wording_that_becomes_the_example(console, browser: Browser) -> None:
    store, handle = console
    now = time.time() - 60
    # one group (character bigrams without a model): the most frequent wording names it, the other is the one to add
    for i, text in enumerate(["能开发票吗", "能开发票吗?", "能开发票吗", "可以开发票吗", "能开发票吗", "能开发票吗"]):
        log_comment(store, f"v{i}", text, now + i)
    log_comment(store, "one", "主播身高多少", now + 10)  # a group of one wording: nothing to pick
    # long wordings: the picker must not make the page wider than a phone
    for i, text in enumerate(["公司报销需要开增值税专用发票抬头写公司名字可以吗谢谢主播",
                              "公司报销需要开增值税专用发票抬头写公司名称可以吗谢谢主播"]):
        log_comment(store, f"long{i}", text, now + 20 + i)

    page = browser_sign_in(browser, handle.url, "staff", PASSWORD)
    page.goto(handle.url + "/review")
    card = page.locator("main > section.group", has=page.locator(".qtext", has_text="能开发票吗"))
    expect(card).to_have_count(1)
    # six viewers, four named: "另有 2 人" (2 more), never "等 2 人" (which reads as 2 people in all)
    who = card.locator("p.who").inner_text()
    assert "另有 2 人" in who and "等 2 人" not in who, who

    form = card.locator("form[action='/review/example']")
    picker = form.locator("select[name=text]")
    expect(picker).to_have_count(1)
    assert picker.input_value() == "能开发票吗"  # the group's name is preselected
    options = picker.locator("option").all_inner_texts()
    assert any(o.startswith("可以开发票吗") for o in options), options
    picker.select_option("可以开发票吗")
    form.locator("select[name=faq_id]").select_option("invoice")
    before = staff_examples(store, "invoice")
    form.get_by_role("button", name="加为例句").click()
    expect(page.locator(".flash.ok")).to_contain_text("可以开发票吗")
    added = [t for t in staff_examples(store, "invoice") if t not in before]
    assert added == ["可以开发票吗"], added

    single = page.locator("main > section.group", has=page.locator(".qtext", has_text="主播身高多少"))
    assert single.locator("form[action='/review/example'] select[name=text]").count() == 0
    assert single.locator("form[action='/review/example'] input[name=text]").input_value() == "主播身高多少"

    phone = browser_sign_in(browser, handle.url, "staff", PASSWORD, width=375)
    phone.goto(handle.url + "/review")
    expect(phone.locator("main > section.group", has=phone.locator(".qtext", has_text="公司报销")).locator(
        "select[name=text]")).to_have_count(1)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
