"""Kinds of wrong answers of the blind set probe_fresh14 (branch h/fix14), each in the room languages where it applies:

1. a sigh that a shade is sold out ("ミルクティー売り切れかぁ", "奶茶色卖完了啊 唉") is a remark: silent; "在庫あるかなぁ"
   (I wonder) still asks;
2. "không có X" / "gak ada X" (there is no X) is a negation, not the asking "không" / "gak": a praise word and a lament
   with no question is a remark;
3. bought before (เคยซื้อ, 之前买过, 前に買った, từng mua, pernah beli, ya lo compré antes, bought this before) is a past
   experience, never thanked as an order just placed; "已拍", "just ordered" still are;
4. an order placed yesterday or today whose colour, size or address is to be changed is staff's, not the exchange
   FAQ's; an own slip ("颜色拍错了能换吗") and a conditional ("can I exchange if it doesn't fit?") keep the FAQ.

Pure tests on the demo catalog (no model, no database). The sentences are written for these tests, not taken from any log.
"""

from __future__ import annotations

import pytest

from bot.order_report import BOUGHT_BEFORE, bought_before, reports_order
from bot.pipeline import ANSWER, SILENT, STAFF
from bot.remark import REMARK, is_remark
from bot.staff_only import ORDER_PROBLEM, staff_only
from tests.demo_view import final_decision

# ------------------------------------------------------------------------------------------ 1. a sigh


@pytest.mark.parametrize("text", [
    "ミルクティー売り切れかぁ", "ローズウッドも売り切れかー", "もう品切れなんだなぁ", "奶茶色卖完了啊 唉", "断货了呀",
    "밀크티 품절 ㅜㅜ", "sold out already, bummer", "oh no the milk tea is gone",
])
def test_a_sigh_with_no_question_cue_is_a_remark(text):
    assert is_remark(text), text


@pytest.mark.parametrize("text", ["在庫あるかなぁ", "まだあるかな", "奶茶色还有吗", "밀크티 재고 있나요 ㅠㅠ"])
def test_a_wondering_or_a_question_is_not_a_remark(text):
    assert not is_remark(text), text


def test_a_sigh_is_not_answered_with_the_stock():
    d = final_decision("ミルクティー売り切れかぁ", "lipstick-velvet", band=ANSWER, faq_id="lipstick-shade-advice", lang="ja")
    assert d.band == SILENT and REMARK in d.reason, d


# ------------------------------------------------------------------------------------------ 2. "there is no X"


@pytest.mark.parametrize("text", [
    "áo phao đẹp quá mà Sài Gòn không có mùa đông huhu", "ao dep ghe ma cho minh khong co tuyet",
    "jaketnya keren tapi di sini gak ada musim dingin wkwk",
])
def test_there_is_no_is_a_negation_not_a_question(text):
    assert is_remark(text), text


@pytest.mark.parametrize("text", [
    "áo đẹp quá còn size M không", "đẹp quá có màu đen không shop", "đẹp quá, ko có size L hả", "keren, ada warna hitam",
    "keren ada gak kak", "cantik, ukuran L ada ga",
])
def test_the_asking_khong_and_gak_stay_question_cues(text):
    assert not is_remark(text), text


# ------------------------------------------------------------------------------------------ 3. bought before


@pytest.mark.parametrize("text", [
    "อร่อยมาก เคยซื้อแล้ว", "之前买过好几次 很好吃", "前に買ったけど美味しかった", "전에 샀어요 맛있어요",
    "ngon lắm, mình từng mua rồi", "enak banget, aku pernah beli", "ya lo compré antes, muy ricos",
    "I've bought this before, so tasty",
])
def test_bought_before_is_no_order_report(text):
    assert bought_before(text), text
    assert not reports_order(text), text


@pytest.mark.parametrize("text", ["已拍 两盒", "just ordered 2 boxes!", "สั่งแล้วค่ะ", "mình đặt rồi nha", "ya lo compré",
                                  "udah checkout kak", "注文しました"])
def test_an_order_just_placed_is_still_a_report(text):
    assert not bought_before(text), text
    assert reports_order(text), text


def test_bought_before_is_not_thanked_for_an_order():
    d = final_decision("ya lo compré antes, muy ricos", "nuts-giftbox", band=ANSWER, faq_id="order-thanks", lang="es")
    assert d.band == SILENT and d.reason == BOUGHT_BEFORE, d
    d = final_decision("ya lo compré", "nuts-giftbox", band=ANSWER, faq_id="order-thanks", lang="es")
    assert d.band == ANSWER and d.faq_id == "order-thanks", d


# ------------------------------------------------------------------------------------------ 4. a recent order to change


@pytest.mark.parametrize("text", [
    "昨日注文したダウン、色を変更できますか?", "昨天下单的羽绒服 能改成黑色吗", "어제 주문한 패딩 색상 변경 가능할까요?",
    "I ordered the jacket yesterday, can I change the size to L?", "เมื่อวานสั่งเสื้อ เปลี่ยนสีได้ไหม",
    "hôm qua mình đặt áo phao rồi, đổi sang màu đen được không", "kak kemarin udah pesan jaket, bisa ganti warna hitam?",
    "ayer pedí la chaqueta, ¿puedo cambiar la talla a M?",
])
def test_a_recent_order_to_change_is_an_order_problem(text):
    assert staff_only(text) == ORDER_PROBLEM, text


@pytest.mark.parametrize("text", [
    "颜色拍错了能换吗", "can I exchange if it doesn't fit?", "昨天买的今天收到了 颜色能换吗", "hôm nay mua thấy đẹp màu đen",
    "今天的颜色能换吗", "I ordered it yesterday, when will it ship?",
])
def test_an_exchange_or_no_change_is_not_a_recent_order_problem(text):
    assert staff_only(text) is None, text


def test_a_recent_order_to_change_is_not_answered_with_the_exchange_faq():
    d = final_decision("昨日注文したダウン、色を変更できますか?", "down-jacket", band=ANSWER, faq_id="exchange", lang="ja")
    assert d.band == STAFF and d.reason == ORDER_PROBLEM, d
