"""Ordinary questions near the sixteenth session's guards that went unanswered (branch h/review8, docs/EVAL.md
"review of the sixteenth session's guards"). Pure: the demo catalog, the recogniser and the structured reading; no
model, no database. Sentences written for this test.

- "do you sell the cream one in M?", "42サイズ売ってますか": a variant asked for with "sell", as "do you have" is, is
  a stock question (bot/sells_question.py keeps a stock answer to it); without a variant it reads no value.
- "any XL?" in a zh-default eight-language room is English (it was answered in Indonesian).
- "42码挤脚吗", "这双会挤脚吗": a yes/no "does it pinch" question is the product's fit (as "偏小吗"), not staff; the
  word alone in a report ("鞋子挤脚能退吗", "挤脚怎么办") is not read as a fit question.
"""

from __future__ import annotations

import pytest

from bot.messages import Comment
from bot.pipeline import SILENT, CatalogView, Decision, MatchSettings, understand
from bot.slots import Recogniser
from bot.structured import structured_decision
from catalog.snapshot import CatalogSnapshot
from tests.factories import demo_catalog

DATA = demo_catalog()
SNAPSHOT = CatalogSnapshot(
    version=1, products={p.id: p for p in DATA.products}, faqs={f.id: f for f in DATA.faqs}, synonyms=DATA.synonyms
)
VIEW = CatalogView.build(SNAPSHOT)
RECOGNISER = Recogniser.build(SNAPSHOT)


def _decide(text: str, stage: str) -> Decision | None:
    c = Comment(id="t", user="u", text=text, ts=0.0)
    u = understand(c, VIEW, stage, MatchSettings())
    d = Decision(comment_id="t", band=SILENT, reason="below threshold", lang=u.lang, product_id=u.product_id)
    return structured_decision(u, d, RECOGNISER.recognise(text), VIEW)


@pytest.mark.parametrize(
    ("text", "stage", "values"),
    [
        ("do you sell the cream one in M", "down-jacket", {"colour": "奶白色", "size": "M"}),
        ("do you guys carry the navy in L?", "down-jacket", {"colour": "藏青色", "size": "L"}),
        ("do you sell size 44", "running-shoes", {"size": "44"}),
        ("42サイズ売ってますか", "running-shoes", {"size": "42"}),
        ("黒のMは売ってますか", "tee-classic", {"colour": "黑色", "size": "M"}),
    ],
)
def test_a_variant_asked_for_with_sell_is_a_stock_question(text: str, stage: str, values: dict[str, str]) -> None:
    d = _decide(text, stage)
    assert d is not None and d.path == "structured" and d.qtype == "stock", (text, d)
    assert RECOGNISER.recognise(text).asked_for(stage) == values


@pytest.mark.parametrize("text", ["do you sell sunscreen?", "do you sell to Canada?", "日焼け止め売ってますか"])
def test_sell_without_a_variant_reads_no_stock_answer(text: str) -> None:
    d = _decide(text, "running-shoes")
    assert d is None or d.qtype != "stock", (text, d)


@pytest.mark.parametrize("text", ["42码挤脚吗", "42码的会挤脚吗", "这双会挤脚吗", "挤不挤脚", "41码夹脚吗"])
def test_does_it_pinch_is_the_shoes_fit(text: str) -> None:
    d = _decide(text, "running-shoes")
    assert d is not None and d.path == "structured" and d.qtype == "attribute", (text, d)
    assert RECOGNISER.recognise(text).attributes == ("fit",)


@pytest.mark.parametrize("text", ["鞋子挤脚能退吗", "挤脚怎么办", "买的42码挤脚可以换43吗", "穿着有点挤脚"])
def test_a_pair_that_pinches_reported_is_not_a_fit_question(text: str) -> None:
    assert "fit" not in RECOGNISER.recognise(text).attributes, text


@pytest.mark.parametrize(("text", "lang"), [("any XL?", "en"), ("any M", "en"), ("ada XL?", "id"), ("any XL kak?", "id")])
def test_any_is_english_in_an_eight_language_room(text: str, lang: str) -> None:
    """"any XL?" in a zh-default room with all eight languages was answered in Indonesian (the detector alone puts
    "any" there); "any" weighs in for English as the es/id function words do for theirs."""
    from bot.langid import LanguageIdentifier

    li = LanguageIdentifier(["zh", "en", "ja", "ko", "th", "vi", "id", "es"], "zh")
    assert li.identify(text).lang == lang
