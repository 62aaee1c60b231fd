"""Kinds of wrong answers found by a blind probe (branch h/fix8): order reports in Vietnamese / Indonesian / Spanish
said with "just" and a count between verb and particle; a question answered by the thank-you FAQ; whether the shop
sells something; an efficacy or medical claim; a comparison with another brand's product; the host's body asked with
Vietnamese chat pronouns; short Latin-script comments in a room whose default is Chinese.

Pure: the demo catalog, no model, no database (the language tests load the offline detector). The sentences are
written for these tests, not taken from any log."""

from __future__ import annotations

import pytest

from bot.compare_other import OTHER_SIDE, compared_with
from bot.guards import PERSON, asks_about_person
from bot.langid import BEST_LATIN, LanguageIdentifier
from bot.order_report import NOT_A_REPORT, ORDER_REPORTED, asks_without_report, reports_order
from bot.pipeline import ANSWER, RECOMMEND, STAFF
from bot.sells_question import ASKS_IF_SOLD, asks_if_sold
from bot.uncovered_topic import UNCOVERED_TOPIC, named_topics
from tests.demo_view import final_decision

# ------------------------------------------------------------------------------------------------ order reports


@pytest.mark.parametrize("text", [
    "vừa đặt 3 cái nha shop", "chị ơi em mới chốt 2 hũ", "đặt 2 cái màu đen rồi nha", "baru checkout 3 kak",
    "acabo de pedir dos negras", "acabo de hacer mi pedido",
])
def test_just_ordered_reads_as_an_order_report(text):
    assert reports_order(text)


@pytest.mark.parametrize("text", ["đặt hàng sao vậy shop", "mới xem, mua ở đâu", "vừa size không"])
def test_a_question_is_not_an_order_report(text):
    assert not reports_order(text)


def test_an_order_report_answered_with_a_recommendation_gets_the_thanks_faq():
    d = final_decision("vừa đặt 2 cái rồi nha", "tee-classic", band=RECOMMEND, reason="intent compare", faq_id=None,
                       lang="vi")
    assert (d.band, d.faq_id, d.reason) == (ANSWER, "order-thanks", ORDER_REPORTED)


@pytest.mark.parametrize("text", ["checkoutnya di mana kak?", "how does checkout work?"])
def test_a_question_answered_by_the_thanks_faq_goes_to_staff(text):
    assert asks_without_report(text)
    d = final_decision(text, "tee-classic", band=ANSWER, faq_id="order-thanks")
    assert (d.band, d.reason) == (STAFF, NOT_A_REPORT)


def test_a_report_with_a_question_keeps_the_thanks_faq():
    d = final_decision("已拍 两件白色 什么时候发?", "tee-classic", band=ANSWER, faq_id="order-thanks", lang="zh")
    assert d.reason != NOT_A_REPORT


# ------------------------------------------------------------------------------------------------ does the shop sell it


@pytest.mark.parametrize("text", [
    "有没有卖卸妆水", "do you also sell hoodies?", "ada jual topi juga ga kak", "shop có bán mũ không",
    "¿venden gorras?", "帽子も売ってますか", "모자도 팔아요?", "มีขายหมวกไหม",
])
def test_asks_if_sold(text):
    assert asks_if_sold(text)


@pytest.mark.parametrize("text", ["这个卖多少钱", "卖完了吗", "do you ship to canada?", "bán chạy không"])
def test_not_asking_if_sold(text):
    assert not asks_if_sold(text)


def test_a_product_faq_does_not_answer_whether_the_shop_sells_something():
    d = final_decision("有没有卖卸妆水", "serum-oilcontrol", band=ANSWER, faq_id="serum-usage", lang="zh")
    assert (d.band, d.reason) == (STAFF, ASKS_IF_SOLD)


def test_a_shop_wide_faq_still_answers_a_sells_question():
    d = final_decision("do you sell to canada?", "tee-classic", band=ANSWER, faq_id="shipping-international")
    assert d.band == ANSWER


# ------------------------------------------------------------------------------------------------ efficacy claims


@pytest.mark.parametrize("text", [
    "có hết mụn không shop", "能淡斑吗", "does it heal eczema", "bisa menghilangkan jerawat?", "¿elimina las arrugas?",
    "シミが消えますか", "주근깨 없어지나요?", "รักษาฝ้าได้ไหม",
])
def test_efficacy_claims_are_a_topic(text):
    assert "treatment" in named_topics(text)


@pytest.mark.parametrize(
    "text", ["痘痘肌能用吗", "good for acne-prone skin?", "뭐가 더 나아요?", "ผ้าฝ้ายไหม", "giá trị bao nhiêu"]
)
def test_skin_types_and_comparisons_are_not_efficacy_claims(text):
    assert "treatment" not in named_topics(text)


def test_an_efficacy_question_is_not_answered_with_the_usage_faq():
    d = final_decision("dùng có hết thâm không", "serum-oilcontrol", band=ANSWER, faq_id="serum-usage", lang="vi")
    assert (d.band, d.reason) == (STAFF, UNCOVERED_TOPIC)


# ------------------------------------------------------------------------------------------------ another brand


@pytest.mark.parametrize(("text", "side"), [
    ("跟雅诗兰黛比哪个好", "雅诗兰黛"), ("better than cerave?", "cerave"), ("so với innisfree thì sao", "innisfree"),
    ("¿es mejor que el de nivea?", "nivea"),
])
def test_the_other_side_of_a_comparison(text, side):
    assert compared_with(text) == side


def test_a_choice_faq_does_not_answer_a_comparison_with_another_brand():
    d = final_decision("跟雅诗兰黛比哪个好", "serum-oilcontrol", band=ANSWER, faq_id="serum-30-vs-50", lang="zh")
    assert (d.band, d.reason) == (STAFF, OTHER_SIDE)


def test_a_choice_between_own_sizes_stays_answered():
    d = final_decision("30ml和50ml比哪个划算", "serum-oilcontrol", band=ANSWER, faq_id="serum-30-vs-50", lang="zh")
    assert d.band == ANSWER


# ------------------------------------------------------------------------------------------------ the host's body


@pytest.mark.parametrize("text", ["c ơi c nặng bao nhiêu vậy", "a cao bao nhiêu", "¿cuánto pesas?"])
def test_the_host_asked_with_chat_pronouns(text):
    assert asks_about_person(text)


def test_the_host_height_is_not_answered_with_sizes_in_stock():
    d = final_decision("c ơi c nặng bao nhiêu mặc size gì", "tee-classic", band=ANSWER, faq_id="sizes-in-stock", lang="vi")
    assert (d.band, d.reason) == (STAFF, PERSON)


# ------------------------------------------------------------------------------------------------ language


@pytest.fixture(scope="module")
def lid() -> LanguageIdentifier:
    return LanguageIdentifier(["zh", "en", "ja", "ko", "th", "vi", "id", "es"], "zh")


def test_unsure_latin_words_are_never_the_chinese_default(lid):
    guess = lid.identify("me 175 70kg, S or M?")
    assert guess.lang == "en" and guess.reason == BEST_LATIN


def test_unsure_latin_words_keep_a_latin_default():
    lid_es = LanguageIdentifier(["zh", "en", "vi", "id", "es"], "es")
    assert lid_es.identify("me 175 70kg, S or M?").lang == "es"


@pytest.mark.parametrize(("text", "lang"), [("es unisex?", "es"), ("ini asli wool?", "id"), ("is it unisex?", "en")])
def test_short_function_words_and_unisex(lid, text, lang):
    assert lid.identify(text).lang == lang


def test_digits_and_emoji_still_get_the_default(lid):
    assert lid.identify("180 80 👍").lang == "zh"


# ------------------------------------------------------------------------------------------------ two variants


def test_a_choice_between_two_variants_is_not_answered_with_a_recommendation():
    d = final_decision("黑色还是白色 配牛仔裤哪个好", "tee-classic", band=RECOMMEND, reason="intent compare", lang="zh")
    assert d.band == STAFF


def test_a_recommendation_request_naming_no_variant_stays_a_recommendation():
    d = final_decision("送男朋友的话推荐哪个", "tee-classic", band=RECOMMEND, reason="intent want_recommendation", lang="zh")
    assert d.band == RECOMMEND


def test_a_comparison_with_another_brand_is_not_answered_with_a_recommendation():
    assert compared_with("无印良品的跟这个比哪个好") == "无印良品"
    d = final_decision("无印良品的跟这个比哪个好", "tee-classic", band=RECOMMEND, reason="intent compare", lang="zh")
    assert (d.band, d.reason) == (STAFF, OTHER_SIDE)
