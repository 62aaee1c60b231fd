"""A report of goods received (bot/after_sales.py) against the questions before buying that share its words: a delivery to
a different address, a conditional (的话, 場合, หาก), "does it scratch?" (có bị), "sampai" as "to", "kurang lebih", and a
pleased buyer asking for another colour ("다른 색도", "in a different colour"). Pure functions of the text."""

from __future__ import annotations

import pytest

from bot.after_sales import reports_received_problem

NOT_REPORTS = [
    "can it be delivered to a different address?",  # a delivery question, nothing received yet
    "收到坏了的话能退吗",  # 的话: a conditional, the returns FAQ answers it
    "寄到北京几天能收到？会不会压坏",  # a delivery worry before buying
    "届いた商品が写真と違う場合は返品できますか",  # 場合: in case
    "หากได้ของแล้วแตกเคลมได้ไหม",  # หาก: if
    "nhẫn có bị xước không",  # "does the ring scratch?": nhẫn (a ring) folds to nhan (received)
    "nhân viên ơi áo trắng có dễ bị bẩn không",
    "paketnya sampai jakarta berapa hari kak, kurang lebih?",  # sampai: to; kurang lebih: about
    # a pleased buyer asking for another colour: "different" / "other" is the one they want next, not what came
    "받았는데 너무 좋아요 다른 색도 살게요",
    "received it, love it! do you have it in a different colour?",
    "got it, thanks! is the navy one different in size?",
    "届いたよ！すごく可愛い、違う色も欲しい",
    "udah sampai kak bagus, ada warna beda?",
    "nhận hàng rồi đẹp lắm, có khác màu không",
    "收到了 很喜欢 再拍一个不一样的颜色",
    "ได้ของแล้ว เสียงดีมากค่ะ",  # เสียง (a sound), not เสีย (broken)
    "ได้ของแล้ว ใช้แล้วสิวหายเลย",  # the spots are gone, nothing is missing
]


@pytest.mark.parametrize("text", NOT_REPORTS)
def test_questions_before_buying_are_not_reports(text):
    assert not reports_received_problem(text)


REPORTS = [
    "it was delivered yesterday and the box is damaged",
    "收到了 瓶子是漏的",
    "收到的颜色不对，是不是发错了",
    "nhận hàng bị móp 1 góc shop ơi",
    "nhan hang roi ma ao bi ban",
    "paketnya udah sampai tapi kurang 1",
    "받았는데 다른 색이 왔어요",
    "받았는데 색이 달라요",
    "received it but a different colour came",
    "got it today and it looks different from the photo",
    "届いたTシャツ、注文した色と違うんですが",
    "barang yang aku terima warnanya beda",
    "nhận hàng giao khác màu shop ơi",
    "收到的颜色和直播间不一样",
    "ได้ของแล้วแต่ของหายไปหนึ่งชิ้น",
    "ได้ของแล้ว เสียตั้งแต่แกะกล่อง",
]


@pytest.mark.parametrize("text", REPORTS)
def test_reports_are_still_read(text):
    assert reports_received_problem(text)


@pytest.mark.parametrize("text", ["received了但是broken", "receivedแล้วแต่brokenค่ะ"])
def test_latin_words_glued_to_other_scripts_are_read(text):
    assert reports_received_problem(text)


@pytest.mark.parametrize("text", [
    "收到！会不会坏",  # 收到! is "roger" to the host, then a question before buying
    "收到 会不会漏",
    "收到!会不会起球",
    "got it! will it stain?",
    "got it thanks, is the zipper broken easily?",
    "got it, does it leak?",
])
def test_an_acknowledgement_then_a_question_is_not_a_report(text):
    assert not reports_received_problem(text)


@pytest.mark.parametrize("text", [
    "收到！是坏的",
    "收到 瓶子是漏的",
    "got it yesterday, zipper already broke. refund??",
    "got it today, will it always smell like this? it is dirty",  # "got it today": received, not "roger"
])
def test_received_then_a_problem_is_still_a_report(text):
    assert reports_received_problem(text)
