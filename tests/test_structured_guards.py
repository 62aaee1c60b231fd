"""bot/structured.structured_decision's two guards against confident wrong answers (issue 15 follow-up):

- a stock reading inferred from a variant value alone, among words the recogniser did not read, does not move the
  answer to a product that is neither on stage nor named;
- an attribute question is not left to a FAQ of the product whose answer quotes *another* attribute (a sibling FAQ).

Pure: the demo catalog, no model, no database. The sentences are written for these tests, not taken from the logs."""

from __future__ import annotations

from bot.messages import Comment
from bot.pipeline import ANSWER, SILENT, Decision, MatchSettings, understand
from bot.structured import structured_decision
from tests.demo_view import RECOGNISER, VIEW


def _decide(text: str, stage: str, lang: str, *, band: str = SILENT, faq_id: str | None = None) -> Decision | None:
    c = Comment(id="t", user="u", text=text, ts=0.0)
    u = understand(c, VIEW, stage, MatchSettings())
    d = Decision(comment_id="t", band=band, reason="match" if band == ANSWER else "below threshold", lang=lang,
                 product_id=u.product_id, faq_id=faq_id)
    return structured_decision(u, d, RECOGNISER.recognise(text), VIEW)


def test_a_value_among_unread_words_does_not_move_to_an_off_stage_product():
    # "original" is the nuts' flavour; the shoes are on stage and nobody named the nuts
    assert _decide("is this one original?", "running-shoes", "en") is None
    faq = _decide("is this one original?", "running-shoes", "en", band=ANSWER, faq_id="authenticity")
    assert faq is None  # the FAQ decision stands


def test_a_bare_value_still_asks_about_the_product_that_has_it():
    d = _decide("原味呢", "running-shoes", "zh")
    assert d is not None and d.product_id == "nuts-giftbox" and d.qtype == "stock"


def test_a_value_of_the_product_on_stage_is_unaffected():
    d = _decide("and the white one?", "running-shoes", "en")
    assert d is None or d.product_id == "running-shoes"


def test_attribute_question_is_not_left_to_a_sibling_faq_quoting_another_attribute():
    # the own weight asked; the max-load FAQ (its answer quotes {attr:max_load}) was matched
    d = _decide("车子本身几斤", "stroller-a1", "zh", band=ANSWER, faq_id="stroller-max-load")
    assert d is not None and d.path == "structured" and d.attribute == "weight"


def test_attribute_question_is_left_to_a_faq_quoting_that_attribute():
    assert _decide("车子本身几斤", "stroller-a1", "zh", band=ANSWER, faq_id="stroller-weight") is None
    assert _decide("最大承重几斤", "stroller-a1", "zh", band=ANSWER, faq_id="stroller-max-load") is None
