"""Round 7 of the confident-wrong-answer kinds (docs/EVAL.md, "kinds of wrong answers, round 7"): a value negated
after it ("핑크 말고 그레이"), a comparison point between options ("which is warmer, navy or black?"), a product shown
earlier and not named ("上一个还有吗"), an order typed into the chat ("给我来两件白色S"), and topics no FAQ speaks of
(a lucky draw, a free gift, samples, a special VAT invoice). Each case can fail: the kinds were answered on main
(9400ccf) — and controls that must stay answered.

Pure: the demo catalog, no model, no database. The sentences are written for these tests, not taken from any log."""

from __future__ import annotations

import pytest

from bot.compare_point import asks_comparison_point, faq_answers_a_choice
from bot.earlier_product import refers_to_earlier_product
from bot.order_request import is_order_request
from bot.pipeline import ANSWER, RECOMMEND, SILENT, STAFF
from bot.uncovered_topic import named_topics
from tests.demo_view import RECOGNISER, SNAPSHOT, final_decision

# ---------------------------------------------------------------- a value negated after it


@pytest.mark.parametrize("text,wanted,negated", [
    ("네이비 말고 블랙 L 있나요?", "黑色", "藏青色"),
    ("크림색 빼고 네이비 XL 재고 있어요?", "藏青色", "奶白色"),
    ("ネイビーじゃなくて黒のMありますか", "黑色", "藏青色"),
    ("藏青色的不要了,黑色XL还有吗", "黑色", "藏青色"),
])
def test_a_value_negated_after_it_is_not_the_one_asked(text, wanted, negated):
    values = {v[2] for v in RECOGNISER.recognise(text).values}
    assert wanted in values and negated not in values, values


@pytest.mark.parametrize("text", ["네이비 말고 블랙 L 있나요?", "ネイビーじゃなくて黒のMありますか"])
def test_the_stock_answered_is_the_wanted_colour(text):
    d = final_decision(text, "down-jacket", band=SILENT, lang="ko")
    assert d.band == ANSWER and dict(d.asked).get("colour") == "黑色", (d.band, d.asked, d.reason)


@pytest.mark.parametrize("text", ["네이비 L 있나요?", "不要太厚的,黑色L还有吗", "ネイビーのMありますか"])
def test_a_value_without_negation_is_still_read(text):
    values = {v[2] for v in RECOGNISER.recognise(text).values}
    assert values & {"藏青色", "黑色"}, values


# ---------------------------------------------------------------- a comparison point between options

COMPARISONS = [
    ("which is warmer, the navy or the black?", "down-jacket", "en"),
    ("哪个颜色更保暖", "down-jacket", "zh"),
    ("黑色比藏青色厚吗", "down-jacket", "zh"),
    ("ネイビーと黒、どっちが暖かい？", "down-jacket", "ja"),
    ("네이비랑 블랙 중에 뭐가 더 따뜻해요?", "down-jacket", "ko"),
    ("สีดำกับสีกรมท่าอันไหนอุ่นกว่า", "down-jacket", "th"),
    ("mau den voi mau navy cai nao am hon", "down-jacket", "vi"),
    ("yang hitam atau navy, mana yang lebih hangat?", "down-jacket", "id"),
    ("cuál abriga más, la negra o la azul?", "down-jacket", "es"),
    ("41和42哪个码库存多", "running-shoes", "zh"),
]


@pytest.mark.parametrize("text,stage,lang", COMPARISONS)
def test_a_comparison_point_is_read(text, stage, lang):
    assert asks_comparison_point(text)


@pytest.mark.parametrize("text,stage,lang", COMPARISONS)
def test_a_comparison_point_is_not_answered_with_one_options_faq(text, stage, lang):
    d = final_decision(text, stage, band=ANSWER, faq_id="dj-warmth" if stage == "down-jacket" else "stock", lang=lang)
    assert d.band == STAFF, (d.band, d.reason)


@pytest.mark.parametrize("text,stage,lang", COMPARISONS[:4])
def test_a_comparison_point_is_not_answered_with_a_recommendation(text, stage, lang):
    d = final_decision(text, stage, band=RECOMMEND, reason="intent compare", lang=lang)
    assert d.band == STAFF, (d.band, d.reason)


def test_a_faq_written_for_the_choice_still_answers():
    faq = SNAPSHOT.faqs["thermos-350-vs-500"]
    assert faq_answers_a_choice(faq.questions)
    d = final_decision("which is heavier, 350 or 500?", "thermos-316", band=ANSWER, faq_id="thermos-350-vs-500")
    assert d.band == ANSWER, d.reason


@pytest.mark.parametrize("text,faq_id,stage", [
    ("羽绒服保暖吗", "dj-warmth", "down-jacket"),
    ("is it warm enough for -10?", "dj-warmth", "down-jacket"),
    ("推车比较轻吗", "stroller-weight", "stroller-a1"),
    ("哪个色号显白", "lipstick-shade-advice", "lipstick-velvet"),
])
def test_an_ordinary_question_is_not_a_comparison_point(text, faq_id, stage):
    assert not asks_comparison_point(text)
    assert final_decision(text, stage, band=ANSWER, faq_id=faq_id).band == ANSWER


# ---------------------------------------------------------------- a product shown earlier, not named

EARLIER = [
    ("上一个还有吗", "zh"),
    ("刚刚那款还有货吗", "zh"),
    ("is the previous one still in stock", "en"),
    ("先ほどの商品はまだありますか", "ja"),
    ("아까 그 상품 재고 있어요?", "ko"),
    ("อันเมื่อกี้ยังมีไหมคะ", "th"),
    ("mon hoi nay con hang ko shop", "vi"),
    ("produk sebelumnya masih ada?", "id"),
    ("el anterior todavía queda?", "es"),
]


@pytest.mark.parametrize("text,lang", EARLIER)
def test_a_product_shown_earlier_is_read(text, lang):
    assert refers_to_earlier_product(text)


@pytest.mark.parametrize("text,lang", EARLIER)
def test_the_product_on_stage_does_not_answer_for_the_earlier_one(text, lang):
    d = final_decision(text, "down-jacket", band=ANSWER, faq_id="stock", lang=lang)
    assert d.band == STAFF, (d.band, d.reason)


def test_the_earlier_product_named_is_answered():
    d = final_decision("刚刚那个推车粉色还有吗", "down-jacket", band=SILENT, lang="zh")
    assert d.band == ANSWER and d.product_id == "stroller-a1", (d.band, d.product_id, d.reason)


@pytest.mark.parametrize("text,faq_id", [
    ("刚才说的优惠券在哪领", "coupon"), ("I ordered earlier, when will it ship?", "delivery-time"),
])
def test_a_shop_answer_is_not_about_an_earlier_product(text, faq_id):
    assert final_decision(text, "down-jacket", band=ANSWER, faq_id=faq_id).band == ANSWER


# ---------------------------------------------------------------- an order typed into the chat

ORDERS = [
    ("给我来两件白色S", "zh"),
    ("白色XL拍一件", "zh"),
    ("I'll take one in black M", "en"),
    ("黒のXLを1つください", "ja"),
    ("화이트 M 한 장 주세요", "ko"),
    ("เอาสีดำไซส์ S 1 ตัว", "th"),
    ("chot 1 ao trang size S", "vi"),
    ("saya ambil 2 yang hitam M", "id"),
    ("me llevo una blanca talla S", "es"),
]


@pytest.mark.parametrize("text,lang", ORDERS)
def test_an_order_request_is_read(text, lang):
    assert is_order_request(text)


@pytest.mark.parametrize("text,lang", ORDERS)
def test_an_order_request_is_not_answered_with_stock(text, lang):
    for band, faq_id in ((SILENT, None), (ANSWER, "stock")):
        d = final_decision(text, "tee-classic", band=band, faq_id=faq_id, lang=lang)
        assert d.band != ANSWER, (text, band, d.qtype, d.reason)


@pytest.mark.parametrize("text", [
    "白色S要两件,库存够不够", "do you have 3 of the white S?", "白のSは2つありますか", "화이트 S 2개 있어요?",
    "สีขาวไซส์ S เหลือกี่ตัว", "ao trang size S con 2 cai khong", "yang putih S masih ada 2?", "¿quedan dos blancas en S?",
    "サイズを教えてください", "링크 주세요", "I'll take a look at the black",
])
def test_a_stock_question_or_a_request_for_information_is_not_an_order(text):
    assert not is_order_request(text)


def test_a_stock_question_with_a_count_is_still_answered():
    d = final_decision("白色S要两件,库存够吗", "tee-classic", band=SILENT, lang="zh")
    assert d.band == ANSWER and dict(d.asked).get("size") == "S", (d.band, d.asked, d.reason)


# ---------------------------------------------------------------- topics no FAQ speaks of


@pytest.mark.parametrize("text,faq_id,topic", [
    ("今晚几点抽奖", "delivery-time", "lucky draw"),
    ("is there a giveaway tonight?", "coupon", "lucky draw"),
    ("habrá sorteos en el directo?", "delivery-time", "lucky draw"),
    ("추첨 이벤트 있어요?", "coupon", "lucky draw"),
    ("买口红有赠品吗", "lipstick-gift-box", "free gift"),
    ("có hàng tặng kèm không", "coupon", "free gift"),
    ("能送小样吗", "coupon", "samples"),
    ("公司要增值税专票,能开吗", "invoice", "special VAT invoice"),
])
def test_a_topic_the_answer_does_not_speak_of_goes_to_staff(text, faq_id, topic):
    assert topic in named_topics(text)
    assert final_decision(text, "lipstick-velvet", band=ANSWER, faq_id=faq_id).band == STAFF


@pytest.mark.parametrize("text,faq_id", [
    ("能开电子发票吗 公司抬头", "invoice"),
    ("有优惠券可以领吗", "coupon"),
    ("口红有礼盒包装吗", "lipstick-gift-box"),
])
def test_a_covered_topic_still_answers(text, faq_id):
    assert final_decision(text, "lipstick-velvet", band=ANSWER, faq_id=faq_id).band == ANSWER


@pytest.mark.parametrize("text", ["muestra la negra por favor", "muéstrame el rosa", "送什么快递", "bonito regalo"])
def test_words_that_only_look_like_a_topic(text):
    assert not named_topics(text) & {"lucky draw", "free gift", "samples", "special VAT invoice"}


# ---------------------------------------------------------------- the console says why, in zh and en


@pytest.mark.parametrize("reason,zh", [
    ("asks which option has more of something: one product's answer does not compare them", "比较几个选项"),
    ("asks about a product shown earlier, not named: the one on stage is not it", "之前讲过的商品"),
    ("places an order in the chat: a stock answer would read as if it were taken", "在评论里下单"),
])
def test_the_new_reasons_are_explained_in_the_staff_language(reason, zh):
    from bot.compare_point import COMPARISON_POINT
    from bot.console.reasons import explain
    from bot.earlier_product import EARLIER_PRODUCT
    from bot.order_request import ORDER_REQUEST

    assert reason in (COMPARISON_POINT, EARLIER_PRODUCT, ORDER_REQUEST)
    assert zh in explain(reason, "zh_CN") and "已转人工" in explain(reason, "zh_CN")
    assert explain(reason, "en").endswith("handed to staff") and explain(reason, "en") != reason
