"""End to end through the engine (real USE-m3, real SQLite, an eight-language room): a yes/no question about a property
of a colour or size (a predicate of the closed list, bot/property_words.py) is never answered with that value's stock;
a stock question of a value still is. The sentences are written for this test, not taken from any log."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.pipeline import ANSWER, STAFF
from bot.value_property import VALUE_PROPERTY
from tests.runtimes import calibrated_runtime

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def runtime(tmp_path_factory, embedder):
    rt = calibrated_runtime(tmp_path_factory.mktemp("value-property"), embedder)
    yield rt
    rt.store.close()


def _ask(runtime, text: str, cid: str):
    from bot.messages import Comment, Stage

    runtime.engine.apply_event(Stage(product_id="tee-classic", ts=0.0))
    return runtime.engine.process([Comment(id=cid, user=cid, text=text, ts=1.0)])[0]


@pytest.mark.parametrize(
    "text",
    ["白色的可以用84消毒液泡吗", "is the black one going to fade?", "화이트 누렇게 변해요?", "màu đen mặc có bị chật không",
     "la blanca se arruga mucho?"],
)
def test_a_property_of_a_colour_or_size_is_not_answered_with_its_stock(runtime, text):
    o = _ask(runtime, text, cid=f"p-{abs(hash(text))}")
    d = o.decision
    assert not (d.band == ANSWER and d.qtype in ("stock", "count")), (d.band, d.qtype, o.text)
    if d.band == STAFF and d.reason == VALUE_PROPERTY:
        logged = {c.comment_id: c for c in runtime.store.comments(limit=None)}[o.comment.id]
        assert logged.status == "staff" and logged.reason == VALUE_PROPERTY


@pytest.mark.parametrize("text", ["黑色M码还有没有", "any white in XL?", "블랙 L 남아 있어요?", "la negra en M hay?"])
def test_a_stock_question_of_a_value_is_still_answered_with_its_stock(runtime, text):
    o = _ask(runtime, text, cid=f"s-{abs(hash(text))}")
    assert o.decision.band == ANSWER and o.decision.path == "structured", (o.decision.band, o.decision.reason)
    assert o.decision.qtype in ("stock", "count") and o.text, o.text
