"""A yes/no question about a property of a variant value ("白色的能用漂白剂吗", "is the L big?", "블랙은 물 빠져요?",
"màu trắng có bị ố không") is not a question about that value's stock: the structured stock line ("白色还有18件") is
never the answer (bot/value_property.py, bot/slots.py, bot/answer_checks.with_structured). A FAQ of the product that
matched (its care or size advice) still answers; else staff, with a reason staff can read.

Pure: the demo catalog, no model, no database. The sentences are written for these tests, not taken from any log."""

from __future__ import annotations

import pytest

from bot.console.reasons import explain
from bot.pipeline import ANSWER, SILENT, STAFF
from bot.slots import Recogniser
from bot.value_property import VALUE_PROPERTY, clauses_with, property_words
from tests.demo_view import SNAPSHOT, final_decision

PROPERTY_QUESTIONS = [
    ("白色的能用漂白剂吗", "zh"),
    ("L码会大吗", "zh"),
    ("黑色的容易起皱吗", "zh"),
    ("does the black one bleed?", "en"),
    ("is the L snug?", "en"),
    ("블랙은 물 빠져요?", "ko"),
    ("L 사이즈 작아요?", "ko"),
    ("màu trắng có bị ố không", "vi"),
    ("màu đen mặc có nóng không", "vi"),
    ("yang hitam luntur gak?", "id"),
    ("la negra destiñe?", "es"),
    ("la talla L es grande?", "es"),
]

STOCK_QUESTIONS = [
    ("白色的还有吗", "zh"),
    ("L码有吗", "zh"),
    ("黑色L码还有货吗", "zh"),
    ("黑色XL还有吗，另外包邮吗", "zh"),  # a second question after the first is not a property of the black XL
    ("is the white one available", "en"),
    ("is this the last one in white M?", "en"),
    ("the white one?", "en"),
    ("블랙 M 있어요?", "ko"),
    ("화이트 L 3개 있어요?", "ko"),
    ("สีขาวยังมีไหม", "th"),
    ("màu trắng còn không shop", "vi"),
    ("yang putih masih ada kak?", "id"),
    ("hitam L ada? ongkir gratis ga", "id"),
    ("no quiero la negra, la blanca hay?", "es"),
]


@pytest.fixture(scope="module")
def recogniser() -> Recogniser:
    return Recogniser.build(SNAPSHOT)


@pytest.mark.parametrize("text,lang", PROPERTY_QUESTIONS)
def test_a_property_of_a_value_leaves_property_words(recogniser, text, lang):
    slots = recogniser.recognise(text)
    assert slots.qtype in ("stock", "count") and slots.values, (slots.qtype, slots.values)
    assert slots.property_words, text


@pytest.mark.parametrize("text,lang", STOCK_QUESTIONS)
def test_a_stock_question_leaves_no_property_words(recogniser, text, lang):
    assert recogniser.recognise(text).property_words == ()


@pytest.mark.parametrize("text,lang", PROPERTY_QUESTIONS)
def test_a_property_question_is_not_answered_with_the_stock(text, lang):
    d = final_decision(text, "tee-classic", band=SILENT, lang=lang)
    assert not (d.band == ANSWER and d.qtype in ("stock", "count")), (d.band, d.qtype, d.reason)
    assert d.band == STAFF and d.reason == VALUE_PROPERTY


@pytest.mark.parametrize("text,lang", STOCK_QUESTIONS)
def test_a_stock_question_is_still_answered_with_the_stock(text, lang):
    d = final_decision(text, "tee-classic", band=SILENT, lang=lang)
    assert d.band == ANSWER and d.qtype in ("stock", "count"), (d.band, d.qtype, d.reason)


def test_the_products_own_faq_still_answers():
    # the tee's care FAQ matched "白色的能用漂白剂吗" confidently: it answers (the care text), not staff
    d = final_decision("白色的能用漂白剂吗", "tee-classic", band=ANSWER, faq_id="tee-care", lang="zh")
    assert d.band == ANSWER and d.faq_id == "tee-care", (d.band, d.faq_id, d.reason)


def test_the_global_stock_faq_does_not_answer_a_property():
    # the sizes-in-stock FAQ matched "L码会大吗": that is a stock list again, so staff
    d = final_decision("L码会大吗", "tee-classic", band=ANSWER, faq_id="sizes-in-stock", lang="zh")
    assert d.band == STAFF and d.reason == VALUE_PROPERTY


def test_a_word_of_the_products_own_name_is_not_a_property():
    # "sepatu" (shoes) is the running shoes' own word: which thing, not what about it
    d = final_decision("sepatu 44 warna putih masih ada?", "running-shoes", band=SILENT, lang="id")
    assert d.band == ANSWER and d.qtype == "stock", (d.band, d.qtype, d.reason)


def test_only_the_clause_naming_the_value_counts():
    rest = "    还有吗，另外包邮吗"  # "黑色xl还有吗，另外包邮吗" with the catalog's terms blanked
    assert clauses_with(rest, [0]).strip() == "还有吗"
    assert property_words(rest, [0]) == ()
    assert property_words(rest) == ("另外包邮",)


def test_the_reason_is_explained_to_staff_in_both_languages():
    assert explain(VALUE_PROPERTY, "zh_CN") == (
        "问的是某个颜色或尺码的特性（能否漂白、偏大偏小、会不会掉色等），它的库存答不了：已转人工"
    )
    assert explain(VALUE_PROPERTY, "en") == (
        "asks about a property of a colour or size (washing, fit, fading …), which its stock does not answer: "
        "handed to staff"
    )
