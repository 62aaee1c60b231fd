"""Four leftovers of issue 15, each fixed by its kind (branch h/left16, docs/EVAL.md "two questions in one comment").
Pure: the demo catalog, the recogniser, the structured path and the matcher's decision over given hits; no model, no
database. Sentences written for this test.

- How many pieces a set holds is not how many are left: "set dinosaurusnya berapa pcs isinya?", "bộ lâu đài có mấy
  chi tiết?", "how many pieces are inside the castle set?" → the pieces (an attribute), not "dinosaurus sisa 16".
- An open request for what to get ("엄마 선물로 뭐가 좋아요?", "¿qué le regalo a mi abuela?") is answered by the
  recommendation, not by a product's FAQ that answers whether it is a nice gift.
- A choice between the product's own options worded without a stock word ("¿conviene más el de 50ml que el de 30?")
  is the product's choice FAQ, not the 50 ml's stock.
- A property of a variant asked before buying ("does the white one shrink after washing") is not a complaint guessed
  by similarity: the product's care answers it; a viewer telling of goods they have stays with staff.
"""

from __future__ import annotations

import pytest

from bot.answer_checks import with_structured
from bot.messages import Comment
from bot.pipeline import ANSWER, RECOMMEND, SILENT, STAFF, Decision, MatchSettings, decide, understand
from bot.recommend_ask import asks_what_to_get
from bot.value_property import tells_of_own_goods
from models.index import Hit
from models.intents import IntentGuess
from tests.demo_view import RECOGNISER, ROOM, VIEW

# ------------------------------------------------------------------------------------------------ pieces in a set


@pytest.mark.parametrize(
    "text",
    [
        "set dinosaurusnya berapa pcs isinya?",
        "berapa pcs isinya yang kastil?",
        "bộ lâu đài có mấy chi tiết?",
        "bộ khủng long bao nhiêu chi tiết vậy shop",
        "how many pieces are inside the castle set?",
        "the dinosaur set, how many pieces?",
        "¿cuántas piezas trae el de dinosaurios?",
        "恐竜セットは何ピースですか",
    ],
)
def test_how_many_pieces_a_set_holds_is_not_a_stock_count(text: str) -> None:
    slots = RECOGNISER.recognise(text)
    assert slots.qtype not in ("count", "stock"), (text, slots.qtype)
    d = _structured(text, "blocks-giftset")
    assert d.band != ANSWER or (d.qtype == "attribute" and d.attribute == "pieces"), (text, d.reason)


@pytest.mark.parametrize(
    "text",
    ["yang dinosaurus sisa berapa pcs?", "dinosaurus berapa pcs lagi kak", "how many pieces left?",
     "castle set, how many left?", "恐龙款还剩几套", "bộ lâu đài còn mấy bộ"],
)
def test_how_many_are_left_stays_a_stock_count(text: str) -> None:
    assert RECOGNISER.recognise(text).qtype in ("count", "stock"), text


def _structured(text: str, stage: str) -> Decision:
    c = Comment(id="t", user="u", text=text, ts=0.0)
    u = understand(c, VIEW, stage, ROOM)
    d = Decision(comment_id="t", band=SILENT, reason="below threshold", lang=u.lang, product_id=u.product_id)
    return with_structured(c, u, d, VIEW)


# ------------------------------------------------------------------------------------------------ what to get

SETTINGS = MatchSettings(answer_threshold=0.6, staff_threshold=0.45, min_margin=0.05)
RECOMMENDATION = IntentGuess("want_recommendation", 0.55, "recommend")


def _decide(text: str, faq_id: str, stage: str, score: float = 0.95) -> Decision:
    c = Comment(id="t", user="u", text=text, ts=0.0)
    u = understand(c, VIEW, stage, SETTINGS)
    hits = [Hit(faq_id, "", score), Hit("price", "", 0.3)]
    return decide(c, u, hits, RECOMMENDATION, VIEW, SETTINGS)


@pytest.mark.parametrize(
    "text",
    ["엄마 선물로 뭐가 좋아요?", "어버이날 선물로 뭐 사면 좋을까요?", "¿qué le regalo a mi abuela?", "送妈妈买什么好",
     "what should I get my mom?", "お母さんへのプレゼント、何がいい?", "kado apa yang bagus buat ibu?",
     "tặng mẹ mua gì hợp?", "ให้แม่ซื้ออะไรดี"],
)
def test_an_open_request_for_what_to_get_is_recommended(text: str) -> None:
    assert asks_what_to_get(text), text
    assert _decide(text, "nuts-gift-packaging", "nuts-giftbox").band == RECOMMEND, text


@pytest.mark.parametrize(
    ("text", "faq_id"),
    [("선물용 쇼핑백 있어요?", "nuts-gift-packaging"), ("명절 선물로 괜찮을까요?", "nuts-gift-packaging"),
     ("送礼有手提袋吗", "nuts-gift-packaging"), ("is the packaging nice enough for a gift", "nuts-gift-packaging")],
)
def test_a_question_about_the_product_keeps_its_faq(text: str, faq_id: str) -> None:
    assert not asks_what_to_get(text), text
    d = _decide(text, faq_id, "nuts-giftbox")
    assert d.band == ANSWER and d.faq_id == faq_id, (text, d.reason)


# ------------------------------------------------------------------------------- a choice of the product's options


def _after_faq(text: str, stage: str, faq_id: str) -> Decision:
    c = Comment(id="t", user="u", text=text, ts=0.0)
    u = understand(c, VIEW, stage, ROOM)
    d = Decision(comment_id="t", band=ANSWER, reason="match", lang=u.lang, product_id=u.product_id, faq_id=faq_id,
                 score=0.95)
    return with_structured(c, u, d, VIEW)


@pytest.mark.parametrize(
    ("text", "stage", "faq_id"),
    [("¿conviene más el de 50ml que el de 30?", "serum-oilcontrol", "serum-30-vs-50"),
     ("el de 500ml conviene más que el de 350?", "thermos-316", "thermos-350-vs-500"),
     ("which is better value, the 30 or the 50ml?", "serum-oilcontrol", "serum-30-vs-50")],
)
def test_a_choice_between_options_is_the_choice_faq(text: str, stage: str, faq_id: str) -> None:
    d = _after_faq(text, stage, faq_id)
    assert d.band == ANSWER and d.faq_id == faq_id and d.path == "faq", (text, d.reason)


@pytest.mark.parametrize(("text", "stage"), [("50ml还有吗", "serum-oilcontrol"), ("¿quedan de 50ml?", "serum-oilcontrol"),
                                             ("50ml没了?", "serum-oilcontrol")])
def test_a_stock_word_keeps_the_stock_answer_over_the_choice_faq(text: str, stage: str) -> None:
    d = _after_faq(text, stage, "serum-30-vs-50")
    assert d.path == "structured" and d.qtype == "stock", (text, d.reason)


# ------------------------------------------------------------------------ a property asked before buying, not a complaint


def _complaint(text: str, *, keyword: bool = False) -> Decision:
    c = Comment(id="t", user="u", text=text, ts=0.0)
    u = understand(c, VIEW, "tee-classic", ROOM)
    d = Decision(comment_id="t", band=STAFF, reason="intent complaint: never auto-answered", lang=u.lang,
                 product_id=u.product_id, faq_id="tee-care", intent="complaint", intent_score=0.39, intent_keyword=keyword)
    return with_structured(c, u, d, VIEW)


@pytest.mark.parametrize("text", ["does the white one shrink after washing", "白色洗了会缩水吗", "흰색 빨면 줄어들어요?",
                                  "la blanca encoge al lavarla?"])
def test_a_property_asked_before_buying_is_answered(text: str) -> None:
    d = _complaint(text)
    assert d.band == ANSWER and d.qtype == "attribute" and d.attribute == "care", (text, d.reason)


@pytest.mark.parametrize(
    "text",
    ["my white tee shrank after washing, is that normal?", "我买的白色洗了一次就缩水了吗",
     "i washed the white one and it shrank?", "la blanca se encogió al lavarla?"],
)
def test_goods_the_viewer_has_stay_a_complaint(text: str) -> None:
    assert tells_of_own_goods(text), text
    d = _complaint(text)
    assert d.band == STAFF and d.reason.startswith("intent complaint"), (text, d.reason)


def test_a_complaint_keyword_stays_a_complaint() -> None:
    d = _complaint("does the white one shrink after washing", keyword=True)
    assert d.band == STAFF and d.reason.startswith("intent complaint")
