"""A huge comment: the decision checks read only its first MAX_RECOGNISED_CHARS characters (bot/answer_checks.py).

The guards scan the text word by word; a 5,000-character comment cost ~0.8 s in them (h/review8), a flood of such
comments would stall the room. The matcher reads only ``max_embed_chars``; the checks now read a bounded prefix too.
"""

from __future__ import annotations

import pytest

import bot.answer_checks as answer_checks
from bot.pipeline import ANSWER, STAFF
from tests.demo_view import final_decision


def test_the_checks_never_see_more_than_the_cap(monkeypatch):
    seen: list[int] = []
    original = answer_checks.uncovered_topics

    def spy(text, *args, **kwargs):
        seen.append(len(text))
        return original(text, *args, **kwargs)

    monkeypatch.setattr(answer_checks, "uncovered_topics", spy)
    text = "这个推车多少钱 " + "好看" * 2500
    final_decision(text, "stroller-a1", band=ANSWER, faq_id="price", lang="zh")
    assert seen, "the topic check did not run"
    assert max(seen) <= answer_checks.MAX_RECOGNISED_CHARS


@pytest.mark.parametrize("filler", ["哈" * 5000, "la " * 2000, "🔥" * 4000])
def test_a_question_then_a_flood_is_decided_as_the_question(filler):
    question = "主播你穿的是什么码呀 "
    short = final_decision(question, "tee-classic", band=ANSWER, faq_id="sizes-in-stock", lang="zh")
    long = final_decision(question + filler, "tee-classic", band=ANSWER, faq_id="sizes-in-stock", lang="zh")
    assert short.band == STAFF
    assert long.band == short.band and long.reason == short.reason
