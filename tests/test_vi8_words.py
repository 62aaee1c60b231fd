"""Vietnamese, Indonesian and Spanish words of the matching path (branch h/vi8): the catalog's per-language product
names, Indonesian "-nya" on a product word, "VN" as a place, and the gloss words added for discounts, places,
temperatures and food. Sentences written for these tests (not from any log)."""

from __future__ import annotations

import pytest

from bot.gloss import gloss
from bot.guards import names_only, names_place
from bot.pipeline import ANSWER
from bot.resolve import mentioned_products, product_terms
from tests.demo_view import SNAPSHOT, final_decision

TERMS = product_terms(SNAPSHOT)


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("kaos putihnya tebal ga", "tee-classic"),
        ("kaosnya ada warna lain?", "tee-classic"),  # Indonesian "-nya" on the product's word
        ("sepatunya enak dipakai lari?", "running-shoes"),
        ("el plumas abriga mucho?", "down-jacket"),
        ("la playera encoge al lavarla?", "tee-classic"),
        ("áo phao có mũ không", "down-jacket"),
        ("bình giữ nhiệt có rò nước không", "thermos-316"),
        ("패딩 기장이 어느 정도예요?", "down-jacket"),
        ("양말 몇 켤레 들어 있어요?", "socks-5pack"),
        ("kaus kaki ini tebal?", "socks-5pack"),  # the longer name wins over "kaus" (the tee)
    ],
)
def test_per_language_product_words_name_their_product(text: str, product: str) -> None:
    assert mentioned_products(text.casefold(), TERMS) == [product]


@pytest.mark.parametrize("text", ["punya warna lain?", "kaosnyanya", "dianya lagi live?", "sombong banget"])
def test_nya_needs_a_whole_product_word_before_it(text: str) -> None:
    assert mentioned_products(text, TERMS) == []


def test_nya_on_a_product_word_is_the_products_own_word_in_a_price_question() -> None:
    assert names_only(("kaosnya",), "tee-classic", SNAPSHOT)
    assert names_only(("jaketnya",), "down-jacket", SNAPSHOT)
    assert not names_only(("tasnya",), "tee-classic", SNAPSHOT)  # a bag: another thing's price
    assert not names_only(("sepatunya",), "tee-classic", SNAPSHOT)  # another product's word


def test_a_price_asked_with_a_per_language_name_is_answered() -> None:
    for text, stage in [("harga kaosnya brp", "tee-classic"), ("cuánto vale el plumífero", "down-jacket")]:
        d = final_decision(text, stage, band=ANSWER, faq_id="price")
        assert d.band == ANSWER, (text, d.reason)


@pytest.mark.parametrize(
    ("text", "place"),
    [("ship ra VN mất bao lâu", True), ("gửi về vn được không", True), ("kirim ke indo berapa hari", True),
     ("ship nội thành bao lâu", False), ("vnd hay usd", False)],
)
def test_vn_and_indo_are_places(text: str, place: bool) -> None:
    assert names_place(text) is place


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mua 2 cái có giảm ko", "buy 2 discount?"),
        ("gửi qua Úc được không", "can I ship to australia?"),
        ("có túi giấy ko, mình mua làm quà", "bag giấy?, I buy as a gift"),  # the particle ends its clause
        ("áo này âm độ mặc được không", "can I top this below zero wear?"),
        ("isinya bulu angsa?", "contents goose down?"),
    ],
)
def test_gloss_words_for_discounts_places_temperatures_and_fillings(text: str, expected: str) -> None:
    assert gloss(text) == expected


def test_a_particle_inside_a_clause_is_not_a_question_mark() -> None:
    out = gloss("không cần hộp, mua tặng bạn")
    assert out is not None and not out.startswith("?")
