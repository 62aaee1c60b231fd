"""Shipping abroad as a structured question (bot/ship_abroad.py, bot/answer_checks.shipping_abroad): a question naming a
place abroad and a shipping word gets the catalog's international-shipping FAQ when the matcher was unsure; nothing
else is rerouted.

Pure: the demo catalog, no model, no database. The sentences are written for these tests, not taken from any log."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.guards import names_place
from bot.pipeline import ANSWER, SILENT, STAFF, CatalogView, Decision
from bot.ship_abroad import abroad_faq, asks_shipping_abroad
from catalog.snapshot import FaqInfo
from tests.demo_view import SNAPSHOT, VIEW, final_decision


def _final(text: str, *, band: str = SILENT, reason: str = "below threshold", faq_id: str | None = "delivery-time",
           view: CatalogView = VIEW, stage: str = "tee-classic") -> Decision:
    return final_decision(text, stage, band=band, reason=reason, faq_id=faq_id, score=0.4, view=view)


@pytest.mark.parametrize("text", [
    "can you send it to Melbourne?",
    "how many days to Toronto",
    "¿mandan a Bogotá?",
    "cuánto tarda en llegar a Madrid",
    "bisa kirim ke Bandung?",
    "giao đến Đà Nẵng mất mấy ngày",
    "寄到首尔要多久",
    "東京まで届きますか",
    "서울까지 배송 며칠 걸려요?",
    "ส่งไปกรุงเทพกี่วัน",
])
def test_a_shipping_question_naming_a_place_abroad_is_recognised(text):
    assert asks_shipping_abroad(text)


@pytest.mark.parametrize("text", [
    "greetings from Toronto!",  # no shipping word, no question
    "sending love from Bandung",  # a shipping word, but a statement
    "good for a Seoul winter?",  # a place, a question, nothing about shipping
    "do you ship fast?",  # shipping, no place
    "寄到上海要多久",  # a domestic city: the domestic FAQ answers
    "what does the model in Paris wear",
])
def test_other_comments_are_not_shipping_abroad(text):
    assert not asks_shipping_abroad(text)


@pytest.mark.parametrize("text", ["ship to Hà Nội?", "sampai Jakarta berapa hari", "寄到胡志明市多久", "方便寄吉隆坡吗"])
def test_large_cities_abroad_are_places(text):
    assert names_place(text)


@pytest.mark.parametrize("word", ["lima", "medan", "santiago"])
def test_city_names_that_are_common_words_are_not_places(word):
    assert not names_place(f"{word} ok?")


@pytest.mark.parametrize("band, reason", [
    (SILENT, "below threshold"), (STAFF, "low confidence"), (STAFF, "ambiguous between two FAQs"),
])
def test_an_unsure_decision_gets_the_international_faq(band, reason):
    d = _final("cuánto tarda en llegar a Madrid", band=band, reason=reason)
    assert d.band == ANSWER and d.faq_id == "shipping-international" and d.reason.startswith("asks about shipping abroad")


def test_a_domestic_shipping_answer_is_replaced():
    d = _final("free shipping to Toronto?", band=ANSWER, reason="match", faq_id="shipping-free")
    assert d.band == ANSWER and d.faq_id == "shipping-international"


@pytest.mark.parametrize("band, reason, faq_id", [
    (STAFF, "intent complaint: never auto-answered", "delivery-time"),  # the intent route decided
    (SILENT, "intent spam", "delivery-time"),
    (ANSWER, "match", "returns"),  # a confident answer of another kind
])
def test_decisions_of_another_route_or_kind_stay(band, reason, faq_id):
    d = _final("my parcel to Toronto never came, can you send it again?", band=band, reason=reason, faq_id=faq_id)
    assert (d.band, d.reason, d.faq_id) == (band, reason, faq_id)


def test_no_international_faq_keeps_the_decision():
    view = CatalogView.build(
        replace(SNAPSHOT, faqs={k: f for k, f in SNAPSHOT.faqs.items() if k != "shipping-international"})
    )
    d = _final("cuánto tarda en llegar a Madrid", view=view)
    assert d.band == SILENT and d.faq_id == "delivery-time"
    assert abroad_faq(view.snapshot, "tee-classic") is None


def _faq(faq_id: str, product_id: str | None, questions: tuple[str, ...]) -> FaqInfo:
    return FaqInfo(id=faq_id, product_id=product_id, intent="ask_shipping", questions=questions, answers={"en": "x"})


def test_a_products_own_international_faq_wins_and_two_global_ones_decide_nothing():
    own = _faq("tee-abroad", "tee-classic", ("can the tee go to Japan",))
    second = _faq("abroad-2", None, ("do you ship to Spain",))
    with_own = replace(SNAPSHOT, faqs={**SNAPSHOT.faqs, own.id: own})
    assert abroad_faq(with_own, "tee-classic") == "tee-abroad"
    assert abroad_faq(with_own, "stroller-a1") == "shipping-international"  # another product's FAQ does not count
    two_global = replace(SNAPSHOT, faqs={**SNAPSHOT.faqs, second.id: second})
    assert abroad_faq(two_global, "tee-classic") is None


def test_a_long_comment_is_left_to_the_matcher():
    story = ("去年带小孩去香港玩了一个星期，住的那家酒店前台借给我们一个推车，特别好用，回来以后一直想买一个一样的，"
             "不知道是不是同一款，你们能寄到香港吗")
    assert len(story) > 60 and not asks_shipping_abroad(story)
    assert asks_shipping_abroad("你们能寄到香港吗")
