"""The review queue says how sure the bot was about the closest FAQ in words staff understand (把握度 低/中/高,
confidence low/medium/high), with the raw score kept in the chip's title for whoever debugs — never a bare "0.51"."""

from __future__ import annotations

import re
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

PASSWORD = "review-conf-pw-1"
ROOM = "local"


@pytest.fixture()
def console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[CatalogStore, Any]]:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with demo_console(tmp_path / "conf.db") as (store, handle):
        yield store, handle


def log_comment(store: CatalogStore, cid: str, text: str, faq: str, score: float) -> None:
    at = time.time() - 60
    store.record_comments([Comment(id=cid, user=f"u-{cid}", text=text, ts=at, room=ROOM)], received_at=[at])
    store.set_comment_outcomes([(ROOM, cid, {"status": "staff", "reason": "low confidence", "faq_id": faq,
                                             "score": score, "lang": "zh"})])


def test_the_closest_faq_chip_says_low_medium_high_in_zh_and_en(console, browser: Browser) -> None:
    store, handle = console
    log_comment(store, "low", "推车本身多重呀到底", "stroller-weight", 0.51 - 0.2)
    log_comment(store, "mid", "能开发票吗亲", "invoice", 0.51)
    log_comment(store, "high", "包邮吗亲亲", "shipping-free", 0.93)

    page = browser_sign_in(browser, handle.url, "staff", PASSWORD)
    page.goto(handle.url + "/review")
    chips = {cid: page.locator("main > section.group", has=page.locator("ul.members", has_text=text)).locator(".chip.closest")
             for cid, text in (("low", "推车本身多重呀到底"), ("mid", "能开发票吗亲"), ("high", "包邮吗亲亲"))}
    expect(chips["low"]).to_contain_text("把握度 低")
    expect(chips["mid"]).to_contain_text("把握度 中")
    expect(chips["high"]).to_contain_text("把握度 高")
    for chip in chips.values():
        assert "0.51" not in chip.inner_text() and "0.93" not in chip.inner_text()  # no bare number on screen
    expect(chips["mid"]).to_have_attribute("title", re.compile(r"0\.51"))  # raw score for debugging
    assert "把握" in (chips["mid"].get_attribute("title") or "")  # the tooltip explains the word

    page.goto(handle.url + "/lang/en?next=/review")
    chip = page.locator("main > section.group", has=page.locator("ul.members", has_text="能开发票吗亲")).locator(".chip.closest")
    expect(chip).to_contain_text("confidence medium")
    expect(chip).to_have_attribute("title", re.compile(r"raw score 0\.51"))
