"""Context clauses (bot/context_words.py): a value the viewer states about themself (a child's age with its number,
a skin type they have, a person's weight) fills the question, it is not the question. Pure: no model, no database.
The sentences are written for these tests, not taken from the evaluation logs."""

from __future__ import annotations

import pytest

from bot.context_words import CARRY, CARRY_WORDS, asks_load, order_attributes, states_value
from bot.sibling_kind import reports_usual_size
from catalog.text import fold_text
from tests.demo_view import RECOGNISER


def test_order_puts_asked_before_stated_and_load_first() -> None:
    assert order_attributes([("age_range", True), ("folded_size", False)], load=False) == ["folded_size", "age_range"]
    assert order_attributes([("age_range", True)], load=False) == ["age_range"]
    assert order_attributes([("weight", False)], load=True) == ["max_load", "weight"]


def test_states_value() -> None:
    text = "our 8-month-old"
    start = text.index("month-old")
    assert states_value(text, start, start + len("month-old"), "age_range")
    assert not states_value("how old", 0, 7, "age_range")
    assert states_value("i have oily skin", 7, 16, "skin_type")
    assert not states_value("which skin type", 6, 15, "skin_type")


@pytest.mark.parametrize("text", [
    "宝宝30斤躺得下吗", "he weighs 15kg, can he sit in it?", "15キロの子は乗れますか", "15킬로 아이 앉아도 되나요",
    "ลูก 15 กก. นั่งได้ไหม", "bé 16kg chở được không", "anak 16 kg bisa naik?", "mi hijo pesa 15 kg, ¿cabe?",
])
def test_one_carry_list_per_language_asks_the_load(text: str) -> None:
    # the words of both former lists (bot/load_asked.py and this module's) in one list per language
    assert asks_load(fold_text(text), person_weight=True)
    assert RECOGNISER.recognise(text).attributes[:1] == ("max_load",)


def test_carry_words_cover_the_room_languages() -> None:
    assert set(CARRY_WORDS) == {"zh", "en", "ja", "ko", "th", "vi", "id", "es"}
    assert not CARRY.search("is it under 6kg?") and not CARRY.search("我60公斤穿什么码")
    # the product's own weight with "easy to carry" is not a load; 能躺 asks whether it reclines
    assert not CARRY.search("it weighs 6kg, easy to carry?") and not CARRY.search("宝宝30斤能躺吗")
    assert CARRY.search("宝宝30斤躺得下吗") and CARRY.search("can it hold up to 20kg")


def test_asks_load_needs_a_weight() -> None:
    assert asks_load("anak aku 16 kg masih muat ga", person_weight=True)
    assert not asks_load("anak aku masih muat ga", person_weight=False)
    assert not asks_load("我60公斤穿什么码", person_weight=True)


@pytest.mark.parametrize(("text", "key"), [
    ("we fly with our 8-month-old, can it go in the cabin?", "folded_size"),
    ("宝宝10个月,这个推车能带上飞机吗", "folded_size"),
    ("bé 9 tháng tuổi, xe gấp lại có mang lên máy bay được không", "folded_size"),
    ("my 8 month old, is it ok for her?", "age_range"),
    ("这个推车几个月的宝宝能坐", "age_range"),
    ("anak aku 2 tahun beratnya 16 kg masih muat ga?", "max_load"),
    ("宝宝两岁了30斤,还能坐吗", "max_load"),
    ("strollernya beratnya berapa?", "weight"),
    ("我是油皮,一次用几滴?", "usage"),
    ("da dầu dùng mấy giọt ạ", "usage"),
    ("油皮能用吗", "skin_type"),
])
def test_the_question_clause_decides(text: str, key: str) -> None:
    assert RECOGNISER.recognise(text).attributes[0] == key


@pytest.mark.parametrize(("text", "usual"), [
    ("Mi esposo calza 42 en Nike, ¿qué talla le pido?", True),
    ("my husband wears a 44 in Adidas, which size?", True),
    ("chồng em đi giày Nike size 42, lấy size mấy", True),
    ("老公nike穿42", True),
    ("is it ok to wear M in winter", False),
    ("ใส่ size L ได้ไหม", False),
    ("do you have 42 in black", False),
])
def test_size_worn_elsewhere_is_usual_size(text: str, usual: bool) -> None:
    assert reports_usual_size(text) is usual


def test_a_choice_between_two_variants_is_not_a_faq_of_another_question() -> None:
    from bot.pipeline import ANSWER, STAFF
    from tests.demo_view import final_decision

    d = final_decision("anakku 4 tahun, bagusnya ambil yang kastil atau dinosaurus ya?", "blocks-giftset",
                       band=ANSWER, faq_id="blocks-age", lang="id")
    assert d.band == STAFF
    kept = final_decision("anak aku 2 tahun, udah boleh main ini belum?", "blocks-giftset", band=ANSWER,
                          faq_id="blocks-age", lang="id")
    assert kept.band == ANSWER and kept.faq_id == "blocks-age"


def test_measurements_with_two_sizes_ask_which_size() -> None:
    slots = RECOGNISER.recognise("tinggi 165 berat 60, pengen oversize banget, ambil L atau XL ya?")
    assert slots.size_question
    assert not RECOGNISER.recognise("is the fit oversized?").size_question


def test_spanish_or_between_bare_nouns_is_a_choice() -> None:
    from bot.variant_advice import asks_choice

    assert asks_choice("mi sobrina tiene 5 años, ¿castillo o dinosaurios?")
    assert not asks_choice("¿es de algodón o no?")
    assert not asks_choice("shop o dau?")
