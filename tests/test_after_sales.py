"""A viewer reporting a problem with goods they received goes to staff, whatever the matcher made of it
(bot/after_sales.py, bot/answer_checks.other_kind): not an answer ("받았는데 더러워요" → the shoes' weight), not
silence. Questions about the policy ("if it arrives broken can I return it?") and ordinary questions are left alone.

Pure: the demo catalog, no model, no database. The sentences are written for these tests, not taken from any log."""

from __future__ import annotations

import pytest

from bot.after_sales import AFTER_SALES, reports_received_problem
from bot.pipeline import ANSWER, SILENT, STAFF
from tests.demo_view import final_decision

REPORTS = [
    ("收到的杯子盖子是裂的", "thermos-316", "zh"),
    ("got my order today and the box was crushed and the lid is cracked", "thermos-316", "en"),
    ("届いたシャツに汚れがありました", "tee-classic", "ja"),
    ("開けたらボトルがへこんでました", "thermos-316", "ja"),
    ("어제 받았는데 병이 깨져서 왔어요", "serum-oilcontrol", "ko"),
    ("택배 왔는데 색이 주문한 거랑 달라요", "tee-classic", "ko"),
    ("ได้ของแล้วแต่กล่องบุบค่ะ", "nuts-giftbox", "th"),
    ("nhận hàng rồi mà áo bị bẩn một chỗ", "tee-classic", "vi"),
    ("nhan duoc hop hat thieu 2 goi", "nuts-giftbox", "vi"),
    ("kak paketnya udah sampai tapi botolnya penyok", "thermos-316", "id"),
    ("barang yang aku terima warnanya beda", "tee-classic", "id"),
    ("me llegó la botella abollada", "thermos-316", "es"),
    ("recibí la caja pero faltan dos bolsitas", "nuts-giftbox", "es"),
]


@pytest.mark.parametrize("text,stage,lang", REPORTS)
def test_a_problem_with_received_goods_is_read(text, stage, lang):
    assert reports_received_problem(text)


@pytest.mark.parametrize("text,stage,lang", REPORTS)
def test_it_is_never_answered(text, stage, lang):
    d = final_decision(text, stage, band=ANSWER, faq_id="returns", lang=lang)
    assert d.band == STAFF and d.reason == AFTER_SALES, (d.band, d.reason)


@pytest.mark.parametrize("text,stage,lang", REPORTS)
def test_it_is_never_left_silent(text, stage, lang):
    d = final_decision(text, stage, band=SILENT, lang=lang)
    assert d.band == STAFF and d.reason == AFTER_SALES, (d.band, d.reason)


NOT_REPORTS = [
    "如果收到的是坏的能退吗",
    "if it arrives broken can I return it",
    "届いたら色違いに交換できますか",
    "もし届いて壊れてたら返品できますか",
    "언니 방송 왔는데 다른 색 있어요?",
    "ถ้าได้ของแล้วแตกเปลี่ยนได้ไหม",
    "neu nhan hang bi loi thi doi duoc khong",
    "kalau barangnya sampai rusak bisa retur?",
    "si me llega rota la puedo devolver?",
    "收到！谢谢主播",
    "my sister received one last year and loves it",
    "xe đẩy này có màu khác không",
]


@pytest.mark.parametrize("text", NOT_REPORTS)
def test_policy_questions_and_ordinary_comments_are_not_reports(text):
    assert not reports_received_problem(text)
