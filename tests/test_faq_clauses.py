"""Branch h/left17: a clause of a two-question comment may be a FAQ (bot/multi_question.with_faq_parts), a safety
question that names a child's age asks the safety (bot/attribute_words.ranked), washing is a topic an answer must speak
of (bot/uncovered_topic.py). Pure: the demo catalog, no model, no database; sentences written for these tests."""

from __future__ import annotations

import pytest

from bot.attribute_words import ranked
from bot.multi_question import FIRST_ONLY, LATER_ONLY, MULTI, combine_parts, split_clauses
from bot.pipeline import ANSWER, SILENT, STAFF, Decision
from bot.uncovered_topic import named_topics, uncovered_topics
from tests.demo_view import VIEW


def _faq(faq_id: str, *, band: str = ANSWER, product: str = "tee-classic", lang: str = "zh") -> Decision:
    return Decision(comment_id="t", band=band, reason="match", lang=lang, faq_id=faq_id, product_id=product)


def _structured(qtype: str, attribute: str | None = None, product: str = "tee-classic") -> Decision:
    return Decision(comment_id="t", band=ANSWER, reason=f"structured {qtype}", lang="zh", path="structured",
                    qtype=qtype, attribute=attribute, product_id=product)


def test_a_faq_clause_splits_where_the_structured_reading_does_not() -> None:
    assert split_clauses("多少钱 包邮吗", VIEW) == []
    assert split_clauses("多少钱 包邮吗", VIEW, faq_ok=True) == ["多少钱", "包邮吗"]


def test_two_confident_faq_parts_are_one_answer_in_the_comments_order() -> None:
    d = combine_parts(_faq("shipping-free"), [_faq("price"), _faq("shipping-free")], VIEW)
    assert d.path == MULTI and d.band == ANSWER
    assert [p.faq_id for p in d.parts] == ["price", "shipping-free"]


def test_a_structured_and_a_faq_part() -> None:
    d = combine_parts(_faq("returns"), [_structured("stock"), _faq("returns")], VIEW)
    assert d.path == MULTI and [p.qtype or p.faq_id for p in d.parts] == ["stock", "returns"]


def test_a_faq_without_a_template_in_the_viewers_language_is_no_part() -> None:
    # the demo catalog's price FAQ has a template in each room language; a made-up language has none: no multi
    d = combine_parts(_faq("shipping-free", lang="pt"), [_faq("price", lang="pt"), _faq("shipping-free", lang="pt")],
                       VIEW)
    assert d.path != MULTI


def test_a_silent_comment_answers_its_first_question_when_the_others_are_chit_chat() -> None:
    # "多少钱？主播今天几点下播"
    silent = _faq("price", band=SILENT)
    chat = Decision(comment_id="t", band=SILENT, reason="intent chit_chat", lang="zh", faq_id="delivery-time")
    d = combine_parts(silent, [_structured("price"), chat], VIEW)
    assert d.qtype == "price" and d.band == ANSWER and FIRST_ONLY in d.reason


def test_a_silent_comment_with_a_later_shop_question_unsure_stays_silent() -> None:
    # "dino sold out?? when is it back": the stock led to the question the matcher was unsure of
    silent = _faq("stock", band=SILENT, product="blocks-giftset", lang="en")
    parts = [_faq("stock", product="blocks-giftset", lang="en"), _faq("delivery-time", band=SILENT, lang="en")]
    assert combine_parts(silent, parts, VIEW) is silent


def test_an_answer_read_from_the_whole_comment_stands() -> None:
    # "XL卖完了?那L能穿吗 我182": the first clause led to the size advice
    advice = _structured("size_advice")
    assert combine_parts(advice, [_structured("stock"), _faq("tee-size-advice", band=STAFF)], VIEW) is advice


def test_a_list_read_from_a_later_question_alone_goes_to_staff() -> None:
    colours = _structured("which", "colour", "stroller-a1")
    d = combine_parts(colours, [_faq("stroller-age-range", band=STAFF, product="stroller-a1"), colours], VIEW)
    assert d.band == STAFF and d.reason == LATER_ONLY


def test_a_faq_answer_of_a_later_question_stands() -> None:
    # "氷水入れても大丈夫？何時間冷たい？": the heat FAQ may answer both questions
    heat = _faq("thermos-heat", product="thermos-316", lang="ja")
    d = combine_parts(heat, [_faq("thermos-heat", band=SILENT, product="thermos-316", lang="ja"), heat], VIEW)
    assert d is heat


def test_parts_about_two_products_keep_the_decision() -> None:
    d0 = _faq("tee-care")
    d = combine_parts(d0, [_faq("tee-care"), _faq("socks-material", product="socks-5pack")], VIEW)
    assert d.path != MULTI


@pytest.mark.parametrize("text", [
    "두 살 아기가 입에 넣어도 괜찮아요?", "2歳の子が口に入れても大丈夫ですか", "ลูก 2 ขวบเอาเข้าปากได้ไหมคะ",
    "anak 2 tahun kalau dimasukin ke mulut aman ga kak?", "my 18 month old chews everything, are these safe?",
    "两岁宝宝放嘴里啃没事吧", "bé 2 tuổi cho vào miệng có sao không", "mi hijo de 2 años se lo mete a la boca",
])
def test_a_safety_question_with_an_age_asks_the_safety(text: str) -> None:
    slots = VIEW.recogniser.recognise(text)
    assert "safety" in slots.attributes and "age_range" not in slots.attributes, slots.attributes


@pytest.mark.parametrize("text", ["两岁能玩吗", "what age is it for?", "2살 아기도 가지고 놀 수 있어요?"])
def test_an_age_question_stays_the_age(text: str) -> None:
    slots = VIEW.recogniser.recognise(text)
    assert "safety" not in slots.attributes


def test_small_parts_named_are_not_the_safety() -> None:
    assert ranked(["safety", "age_range"]) == ["safety"]
    assert ranked(["safety", "age_range"], "怕他把小零件塞嘴里") == ["age_range"]
    assert ranked(["safety"], "¿tiene piezas chiquitas? se mete todo a la boca") == []


@pytest.mark.parametrize("text", [
    "ถุงเท้าซักเครื่องได้ไหมคะ", "袜子能机洗吗", "are these machine washable?", "靴下は洗濯機で洗えますか",
    "양말 세탁기 돌려도 돼요?", "tất giặt máy được không", "kaus kakinya bisa dicuci mesin?", "¿se pueden lavar a máquina?",
])
def test_washing_is_a_topic(text: str) -> None:
    assert "washing" in named_topics(text)
    socks = VIEW.snapshot.faqs["socks-material"]
    assert "washing" in uncovered_topics(text, [*socks.questions, *socks.answers.values()])


@pytest.mark.parametrize("text", ["洗完脸再用吗", "do I use it after washing my face?", "ซักตัวไหมคะ", "cuci muka dulu?",
                                  "입에 넣고 빨면 안 돼요?"])
def test_washing_a_face_or_thai_sak_is_no_washing(text: str) -> None:
    assert "washing" not in named_topics(text)
