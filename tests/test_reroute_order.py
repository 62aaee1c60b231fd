"""The shipping-abroad reroute (bot/answer_checks.shipping_abroad) runs before the guards of other_kind: it must not
answer what a guard hands to staff. A return or an exchange naming a place abroad asks about the postage of a parcel
sent back (the international-shipping FAQ says where the shop delivers), and a question about the host beside a
shipping question asks about a person as well: both went from staff (or an unsure match) to the international FAQ.

Pure: the demo catalog, no model, no database. The sentences are written for these tests, not taken from any log."""

from __future__ import annotations

import pytest

from bot.pipeline import ANSWER, SILENT, STAFF
from tests.test_ship_abroad import _final


@pytest.mark.parametrize("text", [
    "returns shipping to Canada free?",
    "退货寄回日本运费谁出?",
    "返品はアメリカから送れますか",
    "can I exchange it if I'm in Canada, ship back?",
])
@pytest.mark.parametrize("band, reason, faq_id", [
    (ANSWER, "match", "shipping-free"), (STAFF, "low confidence", "shipping-free"), (SILENT, "below threshold", "delivery-time"),
])
def test_a_return_naming_a_place_abroad_is_not_answered_with_international_shipping(text, band, reason, faq_id):
    d = _final(text, band=band, reason=reason, faq_id=faq_id)
    assert d.faq_id != "shipping-international"
    assert d.band != ANSWER


@pytest.mark.parametrize("text", ["主播穿多大码 寄美国吗", "what size is the host wearing, ship to US?"])
@pytest.mark.parametrize("band, reason, faq_id", [
    (ANSWER, "match", "delivery-time"), (STAFF, "low confidence", "shipping-free"),
])
def test_a_question_about_the_host_is_not_answered_with_international_shipping(text, band, reason, faq_id):
    d = _final(text, band=band, reason=reason, faq_id=faq_id)
    assert d.faq_id != "shipping-international"
    assert d.band != ANSWER


@pytest.mark.parametrize("text", ["cuánto tarda en llegar a Madrid", "free shipping to Toronto?", "寄到首尔要多久"])
def test_shipping_abroad_is_still_rerouted(text):
    d = _final(text, band=STAFF, reason="low confidence", faq_id="shipping-free")
    assert d.band == ANSWER and d.faq_id == "shipping-international"


@pytest.mark.parametrize("text", ["Größe M, US free shipping?", "İyi, US shipping?", "Straße? US ok?"])
def test_us_written_in_capitals_is_a_place_after_a_letter_that_folds_longer(text):
    # casefold turns "ß" into "ss" and "İ" into two characters: the capitals of "US" were looked up at the folded
    # text's offsets in the typed text, one character off
    from bot.guards import names_place

    assert names_place(text)
    assert not names_place(text.replace("US", "us"))


def test_a_return_is_rerouted_when_the_international_faq_answers_returns_too():
    from dataclasses import replace

    from bot.pipeline import CatalogView
    from tests.demo_view import SNAPSHOT

    intl = SNAPSHOT.faqs["shipping-international"]
    with_returns = replace(intl, questions=(*intl.questions, "can I return it from Canada"))
    view = CatalogView.build(replace(SNAPSHOT, faqs={**SNAPSHOT.faqs, intl.id: with_returns}))
    d = _final("returns shipping to Canada free?", band=STAFF, reason="low confidence", faq_id="shipping-free", view=view)
    assert d.band == ANSWER and d.faq_id == "shipping-international"
