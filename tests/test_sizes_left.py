""""Which sizes are still left?" in the room languages (issue 15, branch h/left15): "사이즈 뭐가 더 남았어요?" was read as
a comparison ("뭐가 더 …", which one has more) and handed to staff; "사이즈 아직 뭐 남아 있어요?", "ไซส์ไหนยังมีอยู่บ้าง",
"ไซส์ที่เหลือมีอะไรบ้าง", "còn những cỡ nào" were not read as asking which sizes. Now they get the sizes in stock; a
real comparison ("뭐가 더 많이 남았어요?", which has more left) still does not. Pure: the demo catalog, no model."""

from __future__ import annotations

import pytest

from bot.compare_point import asks_comparison_point
from bot.pipeline import ANSWER, STAFF
from bot.question_words import intl_question_type, intl_which_attribute
from catalog.text import fold_text
from tests.demo_view import room_decision

SIZES_LEFT = [
    ("사이즈 뭐가 더 남았어요?", "ko"),
    ("뭐가 더 남았나요 사이즈", "ko"),
    ("사이즈 아직 뭐 남아 있어요?", "ko"),
    ("사이즈는 뭐가 남아있어요?", "ko"),
    ("ไซส์ไหนยังมีอยู่บ้าง", "th"),
    ("ไซส์ที่เหลือมีอะไรบ้าง", "th"),
    ("còn những cỡ nào", "vi"),
    # already read before: they must stay so
    ("사이즈 뭐 남았어요?", "ko"),
    ("还剩什么码", "zh"),
    ("what sizes are left", "en"),
    ("どのサイズが残ってますか", "ja"),
    ("เหลือไซส์อะไรบ้าง", "th"),
    ("còn size nào", "vi"),
    ("ukuran apa yang masih ada", "id"),
    ("qué tallas quedan", "es"),
]


@pytest.mark.parametrize("text, lang", SIZES_LEFT)
@pytest.mark.parametrize("stage", ["tee-classic", "running-shoes"])
def test_which_sizes_are_left_gets_the_sizes_in_stock(text, lang, stage):
    d, read = room_decision(text, stage, None)  # the matcher unsure: the structured reading decides
    assert read == lang
    assert d.band == ANSWER and d.qtype == "which" and d.attribute == "size" and d.product_id == stage, d
    assert not asks_comparison_point(text)


@pytest.mark.parametrize("text", [
    "블랙이랑 화이트 중에 뭐가 더 많이 남았어요?",  # which has more left: a comparison
    "블랙이랑 화이트 중에 뭐가 더 두꺼워요?",
    "어떤 게 더 가벼워요?",
])
def test_a_korean_comparison_is_still_one(text):
    assert asks_comparison_point(text)
    d, _lang = room_decision(text, "tee-classic", "sizes-in-stock")
    assert d.band == STAFF, d


@pytest.mark.parametrize("text, qtype, attr", [
    ("사이즈 아직 뭐 남아 있어요?", "which", "size"),
    ("색상은 지금 뭐 있어요?", "which", "colour"),
    ("ไซส์ไหนยังเหลือ", "which", "size"),
    ("สีที่เหลือมีอะไรบ้าง", "which", "colour"),
    ("còn mấy cỡ", "count", "size"),  # "how many left" stays a count; the size word is read
    ("cỡ gì còn vậy", "which", "size"),
    ("có cái nào rẻ hơn không", "stock", None),  # "có" is not the size word "cỡ"
])
def test_question_words(text, qtype, attr):
    folded = fold_text(text)
    assert intl_question_type(folded) == qtype
    assert intl_which_attribute(folded) == attr
