"""The review queue in Chromium (Playwright), through the real form: a comment that does not belong to its group is
unticked before answering the group, and stays in the queue — a wrong grouping never makes staff lose a question."""

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
from catalog.accounts import Accounts  # noqa: E402
from catalog.store import CatalogStore  # noqa: E402

PASSWORD = "review-pick-pw-1"
ROOM = "local"


@pytest.fixture()
def console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[CatalogStore, Any]]:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with demo_console(tmp_path / "pick.db") as (store, handle):
        yield store, handle


def log_comment(store: CatalogStore, cid: str, text: str, received_at: float, lang: str = "zh") -> None:
    store.record_comments([Comment(id=cid, user=f"u-{cid}", text=text, ts=received_at, room=ROOM)], received_at=[received_at])
    store.set_comment_outcomes([(ROOM, cid, {"status": "silent", "reason": "below threshold", "faq_id": "invoice",
                                             "score": 0.6, "lang": lang})])


def group_card(page: Any, text: str) -> Any:
    return page.locator("main > section.group", has=page.locator("ul.members", has_text=text))


def test_an_unticked_comment_is_left_out_of_the_answer_and_stays_in_the_queue(console, browser: Browser) -> None:
    store, handle = console
    now = time.time() - 60
    # one group (character bigrams without a model): two invoice questions and one that only looks like them
    log_comment(store, "inv1", "能开发票吗", now)
    log_comment(store, "inv2", "能开发票吗?", now + 1)
    log_comment(store, "other", "能开发票吗 还有能寄到香港吗", now + 2)

    page = browser_sign_in(browser, handle.url, "staff", PASSWORD)
    page.goto(handle.url + "/review")
    card = group_card(page, "能寄到香港吗")
    expect(card).to_have_count(1)
    expect(card.locator(".count")).to_have_text("3×")  # the three share one group
    card.locator("details > summary").first.click()
    expect(card.locator(".pick-hint")).to_contain_text("不属于这一组")
    boxes = card.locator("input.member-pick")
    expect(boxes).to_have_count(3)
    other = card.locator("input.member-pick[data-comment='other']")
    expect(other).to_be_checked()  # every comment is acted on unless unticked
    other.uncheck()
    # its wording is no longer offered as the FAQ example
    picker = card.locator("form[action='/review/example'] select[name=text]")
    expect(picker.locator("option", has_text="还有能寄到香港吗")).to_be_disabled()
    assert "香港" not in picker.input_value()

    form = card.locator("form[action='/review/answer']")
    form.locator("input[name=text]").fill("可以开发票，下单时备注抬头")
    form.get_by_role("button", name="立即回复").click()
    expect(page.locator(".flash.ok")).to_contain_text("已为 2 条评论记录人工回复")

    # the unticked comment waits in the queue, alone now; the two answered ones are gone
    left = group_card(page, "能寄到香港吗")
    expect(left).to_have_count(1)
    expect(left.locator(".count")).to_have_text("1×")
    expect(page.locator("main > section.group")).to_have_count(1)
    assert Accounts(store).reviewed() == {(ROOM, "inv1"), (ROOM, "inv2")}


def test_every_comment_a_group_action_handles_has_a_tick_box_not_only_the_12_newest(console, browser: Browser) -> None:
    """A group of 14: the two oldest comments are acted on too, so staff can see and untick them (they were listed
    nowhere and dismissed with the group)."""
    store, handle = console
    now = time.time() - 120
    for k in range(14):
        log_comment(store, f"c{k:02d}", "能开发票吗", now + k)

    page = browser_sign_in(browser, handle.url, "staff", PASSWORD)
    page.goto(handle.url + "/review")
    card = group_card(page, "能开发票吗")
    expect(card.locator(".count")).to_have_text("14×")
    card.locator("details > summary").first.click()
    boxes = card.locator("input.member-pick")
    expect(boxes).to_have_count(14)
    oldest = card.locator("input.member-pick[data-comment='c00']")
    card.locator("details.more-members > summary").click()
    oldest.uncheck()
    card.locator("form[action='/review/dismiss'] button").click()
    expect(page.locator(".flash.ok")).to_contain_text("13")
    assert Accounts(store).reviewed() == {(ROOM, f"c{k:02d}") for k in range(1, 14)}


def test_an_unticked_comment_s_wording_is_not_added_as_a_translation_example(console, browser: Browser) -> None:
    """The 'add translation' form of a group adds the group's wordings as example questions in their language: a
    comment staff unticked (not of this group) lends none, and stays in the queue."""
    store, handle = console
    now = time.time() - 60
    log_comment(store, "fr1", "facture possible ?", now, lang="fr")
    log_comment(store, "fr2", "facture possible", now + 1, lang="fr")
    log_comment(store, "other", "facture possible et livraison en Suisse ?", now + 2, lang="fr")

    page = browser_sign_in(browser, handle.url, "staff", PASSWORD)
    page.goto(handle.url + "/review")
    card = group_card(page, "Suisse")
    expect(card.locator(".count")).to_have_text("3×")
    card.locator("details > summary").first.click()
    card.locator("input.member-pick[data-comment='other']").uncheck()
    form = card.locator("form[action='/review/translate']")
    form.locator("textarea[name=answer]").fill("Oui, facture électronique sur la page de la commande.")
    form.locator("button[type=submit]").click()
    expect(page.locator(".flash.ok")).to_be_visible()

    faq = store.snapshot().faqs["invoice"]
    assert faq.answers.get("fr")
    assert "facture possible ?" in faq.questions
    assert not any("Suisse" in q for q in faq.questions)
    assert Accounts(store).reviewed() == {(ROOM, "fr1"), (ROOM, "fr2")}
