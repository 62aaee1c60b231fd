"""A question whether a variant costs more or less ("핑크만 더 비싸요?", "yang pink lebih mahal ya?", "la rosa es más
cara?") is about its price: the structured stock of that variant ("yes, pink: 5 left") is not the answer
(bot/sibling_kind.asks_price_comparison, bot/answer_checks.with_structured). The FAQ decision stands (a price FAQ may
answer with the variant's price).

Pure: the demo catalog, no model, no database. The sentences are written for these tests, not taken from any log."""

from __future__ import annotations

import pytest

from bot.pipeline import ANSWER, SILENT
from bot.sibling_kind import asks_price_comparison
from tests.demo_view import final_decision

COMPARISONS = [
    ("粉色的是不是贵一点", "stroller-a1", "zh"),
    ("is the pink one pricier", "stroller-a1", "en"),
    ("ピンクは高いんですか？", "stroller-a1", "ja"),
    ("핑크는 더 비싼가요?", "stroller-a1", "ko"),
    ("สีชมพูแพงกว่าไหมคะ", "stroller-a1", "th"),
    ("màu hồng đắt hơn à shop", "stroller-a1", "vi"),
    ("warna pink harganya lebih mahal?", "stroller-a1", "id"),
    ("la de color rosa cuesta más?", "stroller-a1", "es"),
    ("la gris es más barata?", "stroller-a1", "es"),
]


@pytest.mark.parametrize("text,stage,lang", COMPARISONS)
def test_a_price_comparison_is_read(text, stage, lang):
    assert asks_price_comparison(text)


@pytest.mark.parametrize("text,stage,lang", COMPARISONS)
def test_a_price_comparison_is_not_answered_with_the_variants_stock(text, stage, lang):
    d = final_decision(text, stage, band=SILENT, lang=lang)
    assert not (d.band == ANSWER and d.qtype in ("stock", "count", "which")), (d.band, d.qtype, d.reason)


@pytest.mark.parametrize("text", ["粉色还有吗", "ピンクまだありますか", "còn màu hồng không", "¿queda la rosa?",
                                  "핑크 재고 있어요?", "masih ada yang pink?", "high quality?", "高品質ですか"])
def test_a_stock_question_is_not_a_price_comparison(text):
    assert not asks_price_comparison(text)


@pytest.mark.parametrize("text", ["背が高いのでLはありますか", "身長が高いのですがLサイズ残ってますか", "ヒールは高いですか"])
def test_japanese_tall_and_high_are_not_a_price(text):
    # 高い is "tall" and "high" as well as "expensive": the viewer's height, the heel
    assert not asks_price_comparison(text)


@pytest.mark.parametrize("text", ["Lは高いですか", "ピンクは高いんですか"])
def test_japanese_dearer_is_still_a_price(text):
    assert asks_price_comparison(text)
