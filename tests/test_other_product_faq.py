"""Another product's own FAQ is not the answer when the comment names no product and a different one is on stage
(bot/answer_checks.other_kind): "能机洗吗" with the down jacket on stage got the tee's care FAQ, "선물 포장 돼요?" with
the tee on stage got the lipstick's gift-box FAQ. Naming the product ("口红可以刻字吗", "保温杯能泡茶吗") still
answers with its FAQ, whatever is on stage.

Pure: the demo catalog, no model, no database. The sentences are written for these tests, not taken from any log."""

from __future__ import annotations

import pytest

from bot.answer_checks import OTHER_PRODUCT_FAQ
from bot.pipeline import ANSWER, STAFF
from tests.demo_view import final_decision

# (text, stage, another product's FAQ, lang)
UNNAMED = [
    ("可以放洗衣机洗吗", "down-jacket", "tee-care", "zh"),
    ("can you gift wrap it", "tee-classic", "lipstick-gift-box", "en"),
    ("プレゼント用に包んでもらえますか", "running-shoes", "lipstick-gift-box", "ja"),
    ("선물용으로 포장해 주세요?", "thermos-316", "lipstick-gift-box", "ko"),
    ("ซักเครื่องได้ไหมคะ", "down-jacket", "tee-care", "th"),
    ("giặt máy được không shop", "scarf-cashmere", "tee-care", "vi"),
    ("berapa lama tahan panasnya", "nuts-giftbox", "thermos-heat", "id"),
    ("¿cuántas piezas trae?", "tee-classic", "blocks-pieces", "es"),
]


@pytest.mark.parametrize("text,stage,faq_id,lang", UNNAMED)
def test_another_products_faq_is_not_the_answer_when_no_product_is_named(text, stage, faq_id, lang):
    d = final_decision(text, stage, band=ANSWER, faq_id=faq_id, lang=lang)
    assert d.band == STAFF and d.reason == OTHER_PRODUCT_FAQ, (d.band, d.reason)


NAMED = [
    ("口红可以刻字吗", "nuts-giftbox", "lipstick-gift-box", "zh"),
    ("保温杯能泡茶吗", "nuts-giftbox", "thermos-tea", "zh"),
    ("is the thermos good for tea", "tee-classic", "thermos-tea", "en"),
    ("积木有多少颗粒", "scarf-cashmere", "blocks-pieces", "zh"),
]


@pytest.mark.parametrize("text,stage,faq_id,lang", NAMED)
def test_a_named_products_faq_still_answers(text, stage, faq_id, lang):
    d = final_decision(text, stage, band=ANSWER, faq_id=faq_id, lang=lang)
    assert d.band == ANSWER and d.faq_id == faq_id, (d.band, d.reason)


def test_the_stage_products_own_faq_still_answers():
    d = final_decision("能机洗吗", "tee-classic", band=ANSWER, faq_id="tee-care", lang="zh")
    assert d.band == ANSWER and d.faq_id == "tee-care"
