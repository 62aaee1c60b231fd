"""Two or three shop questions in one comment, answered in one reply (bot/multi_question.py): the gate, the splitter in
the eight room languages, and the strict rule — every clause a confident structured answer about one product, or the
comment keeps its decision (never half an answer). Pure: the demo catalog, the recogniser and the structured path; no
model, no database. Sentences written for this test."""

from __future__ import annotations

import pytest

from bot.answer_checks import with_structured
from bot.messages import Comment
from bot.multi_question import MULTI, may_ask_several, split_clauses, with_multi
from bot.pipeline import ANSWER, SILENT, STAFF, Decision, understand
from tests.demo_view import ROOM, VIEW


def _decision(text: str, stage: str, *, band: str = SILENT, reason: str = "below threshold", faq_id: str | None = None,
              intent: str | None = None) -> Decision:
    """The decision the engine makes for ``text`` when the matcher said ``band`` / ``reason``: the structured checks,
    then the several-questions reading (as bot/engine.py)."""
    c = Comment(id="t", user="u", text=text, ts=0.0)
    u = understand(c, VIEW, stage, ROOM)
    d = Decision(comment_id="t", band=band, reason=reason, lang=u.lang, product_id=u.product_id, faq_id=faq_id,
                 intent=intent, score=0.95 if band == ANSWER else 0.3)
    return with_multi(c, u, with_structured(c, u, d, VIEW), VIEW)


# ------------------------------------------------------------------------------------------------------------ gate


@pytest.mark.parametrize("text", ["黑色多少钱？有XL吗", "how much and do you have it in black?", "얼마예요? XL 있어요?",
                                  "giá bao nhiêu, còn size L không?", "ราคาเท่าไหร่คะ มีไซส์ XL ไหม"])
def test_the_gate_lets_comments_with_two_markers_through(text: str) -> None:
    assert may_ask_several(text)


@pytest.mark.parametrize("text", ["多少钱", "XL", "黑色XL码", "how much", "好看", "still live", "😍😍😍", ""])
def test_the_gate_stops_comments_with_one_marker_or_none(text: str) -> None:
    assert not may_ask_several(text)


# -------------------------------------------------------------------------------------------------------- splitter


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        # zh: question marks, commas, a space between two Chinese words
        ("黑色多少钱？有XL吗", ["黑色多少钱？", "有XL吗"]),
        ("多少钱 有没有XL", ["多少钱", "有没有XL"]),
        ("白色XL还有吗，黑色M多少钱", ["白色XL还有吗，", "黑色M多少钱"]),
        ("请问 黑色 XL 多少钱 另外有没有M", ["请问 黑色 XL 多少钱", "有没有M"]),
        # en: question marks and "and"
        ("how much and do you have it in black?", ["how much", "do you have it in black?"]),
        ("how much is it? any XL left? what colours do you have?",
         ["how much is it?", "any XL left?", "what colours do you have?"]),
        # ja, ko: question marks, a Japanese space
        ("いくらですか？XLありますか？", ["いくらですか？", "XLありますか？"]),
        ("いくらですか XLありますか", ["いくらですか", "XLありますか"]),
        ("얼마예요? XL 있어요?", ["얼마예요?", "XL 있어요?"]),
        # th: a space between two Thai words, the question's words gathered across it ("มีไซส์" + "XL ไหม")
        ("ราคาเท่าไหร่คะ มีไซส์ XL ไหม", ["ราคาเท่าไหร่คะ", "มีไซส์ XL ไหม"]),
        # vi, id, es: commas, question marks, "và" / "terus" / "y"
        ("giá bao nhiêu, còn size L không?", ["giá bao nhiêu,", "còn size L không?"]),
        ("giá bao nhiêu và còn size L không", ["giá bao nhiêu", "còn size L không"]),
        ("harganya berapa kak? ukuran XL ada gak?", ["harganya berapa kak?", "ukuran XL ada gak?"]),
        ("harganya berapa terus ukuran XL ada gak", ["harganya berapa", "ukuran XL ada gak"]),
        ("¿cuánto cuesta? ¿hay talla M en negro?", ["¿cuánto cuesta?", "¿hay talla M en negro?"]),
        ("¿cuánto cuesta y hay talla M en negro?", ["¿cuánto cuesta", "hay talla M en negro?"]),
    ],
)
def test_the_questions_of_a_comment(text: str, clauses: list[str]) -> None:
    assert split_clauses(text, VIEW) == clauses


@pytest.mark.parametrize(
    "text",
    [
        "黑色多少钱，白色的呢",  # "and the white one?" leans on the question before it
        "how much is the black one and the white one?",
        "do you have it in black and white?",
        "¿cuánto cuesta el negro y el blanco?",
        "有没有XL吗？",  # one question, several markers
        "这件T恤怎么样？好看吗？",  # no question of a type at all
        "哈哈哈哈 主播好美？？",
        "XL？？？",
        # a question the catalog data does not answer, before, between or after typed ones: not split at all
        "黑色多少钱？包邮吗",
        "多少钱？包邮吗 有XL吗",
        "where do you ship from, how much? any XL?",
        "how much? any XL left? where do you ship from",
    ],
)
def test_no_question_of_its_own_is_no_clause(text: str) -> None:
    assert len(split_clauses(text, VIEW)) < 2


# ---------------------------------------------------------------------------------------------------- the decision


@pytest.mark.parametrize(
    ("text", "qtypes"),
    [
        ("黑色多少钱？有XL吗", ["price", "stock"]),
        ("how much and do you have it in black?", ["price", "stock"]),
        ("giá bao nhiêu, còn size L không?", ["price", "stock"]),
        ("harganya berapa kak? ukuran XL ada gak?", ["price", "stock"]),
        ("¿cuánto cuesta? ¿hay talla M en negro?", ["price", "stock"]),
        ("いくらですか？XLありますか？", ["price", "stock"]),
        ("얼마예요? XL 있어요?", ["price", "stock"]),
        ("ราคาเท่าไหร่คะ มีไซส์ XL ไหม", ["price", "stock"]),
        ("XL还有吗？多少钱？", ["stock", "price"]),
        ("还剩几件XL？什么面料？", ["count", "attribute"]),
        ("有哪些码？多少钱？", ["which", "price"]),
        ("175 70kg穿什么码？多少钱", ["size_advice", "price"]),
        ("how much is it? any XL left? what colours do you have?", ["price", "stock", "which"]),
    ],
)
def test_each_question_is_answered(text: str, qtypes: list[str]) -> None:
    d = _decision(text, "tee-classic")
    assert d.band == ANSWER and d.path == MULTI, (text, d.reason)
    assert [p.qtype for p in d.parts] == qtypes
    assert all(p.product_id == "tee-classic" and p.path == "structured" for p in d.parts)
    assert d.reason.startswith(f"{len(qtypes)} questions: structured ")  # why: which paths answered


def test_the_parts_read_their_own_values() -> None:
    d = _decision("白色XL还有吗，黑色M多少钱", "tee-classic", band=STAFF,
                  reason="names two values of one attribute: an answer about one variant answers half")
    assert d.path == MULTI
    assert [dict(p.asked) for p in d.parts] == [{"colour": "白色", "size": "XL"}, {"colour": "黑色", "size": "M"}]


@pytest.mark.parametrize(
    "text",
    [
        "黑色多少钱？包邮吗",  # the postage is no catalog data
        "how much? and how long does shipping take?",
        "有XL吗？能退货吗",
        "XL还有吗？主播多高",
        "giá bao nhiêu, có freeship không?",
        "¿hay talla L? ¿aceptan devoluciones?",
    ],
)
def test_one_question_not_understood_keeps_the_decision(text: str) -> None:
    """Never half an answer presented as the whole: the comment keeps what the single reading decided."""
    c = Comment(id="t", user="u", text=text, ts=0.0)
    u = understand(c, VIEW, "tee-classic", ROOM)
    before = with_structured(c, u, Decision(comment_id="t", band=SILENT, reason="below threshold", lang=u.lang,
                                            product_id=u.product_id), VIEW)
    assert with_multi(c, u, before, VIEW) is before


@pytest.mark.parametrize(
    ("band", "reason"),
    [
        (STAFF, "intent complaint: never auto-answered"),
        (SILENT, "intent chit_chat"),
        (STAFF, "reports a problem with goods received: after-sales, for staff"),
        (STAFF, "asks about a person (the host), not the product"),
        (ANSWER, "asks about shipping abroad: the shipping FAQ that names places"),
        ("recommend", "intent want_recommendation"),
    ],
)
def test_an_intent_a_guard_or_a_reroute_keeps_its_decision(band: str, reason: str) -> None:
    text = "多少钱？有XL吗"
    c = Comment(id="t", user="u", text=text, ts=0.0)
    u = understand(c, VIEW, "tee-classic", ROOM)
    d = Decision(comment_id="t", band=band, reason=reason, lang=u.lang, product_id=u.product_id)
    assert with_multi(c, u, d, VIEW) is d


@pytest.mark.parametrize("text", ["多少钱？多少钱？", "有XL吗？有XL吗？", "白色的透吗？会透吗？", "what is it made of? made of?"])
def test_one_question_asked_twice_is_one_question(text: str) -> None:
    assert _decision(text, "tee-classic").path != MULTI


def test_the_measurements_of_one_size_question_stay_together() -> None:
    d = _decision("i'm 5'7 and 130 lbs, what size?", "tee-classic")
    assert d.path != MULTI and d.qtype == "size_advice"


def test_questions_about_two_products_keep_the_decision() -> None:
    """Each part's reply names a variant, not the product: "T恤多少钱？推车有粉色吗" is left to the single reading."""
    assert _decision("T恤多少钱？推车有粉色吗", "tee-classic").path != MULTI


def test_four_questions_are_left_alone() -> None:
    assert _decision("多少钱？有XL吗？什么面料？能机洗吗？", "tee-classic").path != MULTI
