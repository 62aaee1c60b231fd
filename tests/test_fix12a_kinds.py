"""Kinds of wrong answers of the blind sets probe_fresh12 / probe_fresh13 (branch h/fix12a), each in the room languages:

1. a remark (admiration, regret, laughter) that names a variant but asks nothing stays silent; a bare variant and
   every question with a cue keep their answer;
2. what the host wears said with an honorific (no word for the host) is about a person; an order not shipped yet to be
   changed is staff's, not the exchange FAQ's;
3. Vietnamese without diacritics is Vietnamese, and price words alone ("bn tien") beat a product FAQ of another kind;
4. waterproof is the shell's attribute, never the fill's;
5. how many are left counted with the goods' classifier ("还有几台", "몇 대 남았") is a count.

Pure tests on the demo catalog (no model, no database). The sentences are written for these tests, not taken from any log.
"""

from __future__ import annotations

import pytest

from bot.guards import asks_about_person
from bot.how_much import BARE_PRICE
from bot.langid import LanguageIdentifier
from bot.pipeline import ANSWER, SILENT, STAFF
from bot.remark import REMARK, is_remark
from bot.staff_only import ORDER_PROBLEM, staff_only
from tests.demo_view import RECOGNISER, final_decision

ROOM = ["zh", "en", "ja", "ko", "th", "vi", "id", "es"]

# ------------------------------------------------------------------------------------------ 1. remarks


@pytest.mark.parametrize("text", [
    "黑色真好看哈哈", "the white one is gorgeous lol", "ブラック素敵すぎる", "화이트 너무 이쁘다ㅋㅋ", "สีขาวน่ารักมาก 555",
    "mau den xinh qua", "yg hitam keren bgt wkwk", "¡Qué linda la blanca!", "me encanta el negro jajaja",
    "M码卖完了 好可惜", "sold out already, such a shame", "Mサイズ売り切れ、残念", "M 품절이네 아쉽다",
    "ukuran M habis, sayang banget", "qué lástima que se agotó la M", "Qué bien le queda la negra",
])
def test_a_reaction_with_no_question_cue_is_a_remark(text):
    assert is_remark(text), text


@pytest.mark.parametrize("text", [
    "white L", "黑色M", "XL呢", "L码还有吗", "黑色好看 还有L码吗", "love it! any XL left?", "かわいい!Mありますか",
    "예쁘다 블랙 재고 있어요?", "สวยมาก สีดำมีไหม", "dep qua con size L khong", "cantik bgt, yg hitam ada?",
    "¡qué bonita! ¿queda en M?", "precioso, ¿cuánto cuesta?", "lindo, qué talla hay?", "양말까지 팔아요?",
])
def test_a_question_or_a_bare_variant_is_not_a_remark(text):
    assert not is_remark(text), text


@pytest.mark.parametrize(("text", "stage"), [
    ("黑色真好看哈哈", "tee-classic"), ("¡Qué linda la blanca!", "tee-classic"), ("M 품절이네 아쉽다", "tee-classic"),
])
def test_a_remark_is_not_answered(text, stage):
    d = final_decision(text, stage, band=SILENT)
    assert d.band == SILENT, d
    d = final_decision(text, stage, band=ANSWER, faq_id="price")
    assert d.band == SILENT and REMARK in d.reason, d


def test_a_bare_variant_keeps_its_stock_answer():
    d = final_decision("white L", "tee-classic", band=SILENT)
    assert d.band == ANSWER and d.qtype == "stock", d


# ------------------------------------------------------------------------------------------ 2. staff only


@pytest.mark.parametrize("text", [
    "今塗っていらっしゃるリップは何番ですか", "着ておられるのは何サイズですか", "지금 입고 계신 거 무슨 색이에요?",
    "바르신 색 몇 번이에요?",
])
def test_what_someone_wears_said_with_an_honorific_asks_about_a_person(text):
    assert asks_about_person(text), text


@pytest.mark.parametrize("text", [
    "ミルクティーはまだありますか?", "L 사이즈 입으면 커요?", "신발 신고 뛰어도 돼요?", "입고 싶어요",
])
def test_plain_wear_verbs_are_not_about_a_person(text):
    assert not asks_about_person(text), text


@pytest.mark.parametrize("text", [
    "尺码选错了 还没发货 能改成L吗", "拍错颜色了 麻烦帮我改成黑色", "picked the wrong colour, can you switch it before it ships?",
    "サイズを間違えて注文しました。発送前に変更できますか", "색상 잘못 주문했는데 발송 전에 바꿀 수 있나요?",
    "สั่งสีผิด ยังไม่ส่งใช่ไหม เปลี่ยนได้ไหม", "dat nham size, chua giao thi doi duoc khong",
    "salah pilih ukuran, belum dikirim kan? bisa ganti?",
    "pedí el color equivocado, ¿lo pueden cambiar antes de enviarlo?",
])
def test_an_unshipped_order_to_change_is_an_order_problem(text):
    assert staff_only(text) == ORDER_PROBLEM, text


@pytest.mark.parametrize("text", ["颜色拍错了能换吗", "ordered the wrong size can I swap it", "还没发货吗", "发货前会检查吗"])
def test_an_own_slip_asked_as_policy_and_a_shipping_question_stay_as_they_were(text):
    assert staff_only(text) is None, text


def test_an_unshipped_order_to_change_is_not_answered_with_the_exchange_faq():
    d = final_decision("尺码选错了 还没发货 能改成L吗", "tee-classic", band=ANSWER, faq_id="exchange")
    assert d.band == STAFF and d.reason == ORDER_PROBLEM, d


# ------------------------------------------------------------------------------------------ 3. Vietnamese price


@pytest.fixture(scope="module")
def lid() -> LanguageIdentifier:
    return LanguageIdentifier(ROOM, "zh")


@pytest.mark.parametrize("text", ["giay bn tien vay", "ao nay bn tien", "xe day nay bnhieu tien vay", "gia bn vay shop"])
def test_vietnamese_chat_without_diacritics_is_vietnamese(lid, text):
    assert lid.identify(text).lang == "vi", text


def test_price_words_alone_beat_a_product_faq_of_another_kind():
    d = final_decision("giay bn tien vay", "running-shoes", band=ANSWER, faq_id="shoes-weight")
    assert d.band == ANSWER and d.path == "structured" and d.qtype == "price" and d.reason == BARE_PRICE, d


@pytest.mark.parametrize(("text", "faq"), [("giay bn tien vay", "free-shipping"), ("giay nang bao nhieu", "shoes-weight")])
def test_a_shop_faq_or_a_weight_question_keeps_its_answer(text, faq):
    d = final_decision(text, "running-shoes", band=ANSWER, faq_id=faq)
    assert d.reason != BARE_PRICE, d


# ------------------------------------------------------------------------------------------ 4. waterproof


@pytest.mark.parametrize("text", [
    "羽绒服防水吗", "is the puffer waterproof?", "このダウン撥水ですか", "패딩 방수 돼요?", "เสื้อขนเป็ดกันน้ำได้ไหม",
    "ao phao co chong nuoc khong", "jaket bulu bebek tahan air ga?", "¿es impermeable?",
])
def test_waterproof_is_the_shell(text):
    slots = RECOGNISER.recognise(text)
    assert slots.qtype == "attribute" and slots.attributes[0] == "shell", (text, slots)


# ------------------------------------------------------------------------------------------ 5. counts


@pytest.mark.parametrize("text", [
    "粉色还有几台", "燕麦色还剩几台?", "海盐味还有几盒", "ピンクはあと何台?", "핑크 몇 대 남았어요?", "hong con may chiec",
    "¿cuántas cajas quedan?",
])
def test_how_many_left_with_a_classifier_is_a_count(text):
    assert RECOGNISER.recognise(text).qtype == "count", text


@pytest.mark.parametrize("text", ["一盒有几包", "粉色还有吗", "适合几岁"])
def test_no_classifier_after_still_is_not_a_count(text):
    assert RECOGNISER.recognise(text).qtype != "count", text


def test_the_remark_reason_is_explained_in_the_staff_language():
    from bot.console.reasons import explain

    text = explain(f"below threshold; {REMARK}", "zh_CN")
    assert "感叹或评论" in text, text


@pytest.mark.parametrize(("text", "remark"), [
    ("草莓味", False), ("草绿色 M", False), ("薰衣草的", False), ("これは草", True), ("草生えるww", True),
])
def test_japanese_laughter_is_not_inside_a_han_word(text: str, remark: bool) -> None:
    # 草 (laughter) alone; inside a Chinese word (草莓 strawberry, 草绿 grass green) it names a flavour or a colour
    assert is_remark(text) is remark
