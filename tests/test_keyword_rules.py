"""Keyword rules: staff replies that win over matching, with cooldowns, stage/time conditions and live placeholders."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.errors import InputFileError
from bot.keyword_rules import load_rules
from bot.messages import Comment
from bot.pipeline import ANSWER, MatchSettings
from models.intents import IntentModel, load_intents
from tests.fast.fakes import ROOT, HashEmbedder, MemoryStore

RULES = """
rules:
  - id: how-to-buy
    match: {contains: [怎么买, how to buy]}
    reply: {zh: "点下方小黄车下单,{product}现在{stock_summary}", en: "Tap the cart below. {product}: {stock_summary}"}
    cooldown_s: 20
    viewer_cooldown_s: 300
  - id: tee-only
    match: {exact: [尺码表]}
    reply: {zh: "尺码表在商品详情第二张图"}
    when: {stage: tee-classic}
  - id: night
    match: {regex: '发货时间'}
    reply: {zh: "晚上下单,次日发货"}
    when: {between: ["22:00", "06:00"]}
"""


def _book(tmp_path: Path, text: str = RULES):
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return load_rules(path)


def test_cooldowns_per_rule_and_per_viewer(tmp_path):
    book = _book(tmp_path)
    fire = lambda user, now: book.fire(room="r", user=user, text="这个怎么买呀", stage="tee-classic", now=now)  # noqa: E731
    assert fire("u1", 0.0) is not None
    assert fire("u2", 5.0) is None  # the room just got this answer
    assert fire("u2", 25.0) is not None
    assert fire("u1", 50.0) is None  # the same viewer, within 5 minutes
    assert fire("u1", 400.0) is not None


def test_stage_and_time_conditions(tmp_path):
    book = _book(tmp_path)
    assert book.fire(room="r", user="u", text="尺码表", stage="down-jacket", now=0.0) is None
    assert book.fire(room="r", user="u", text="ＦＵＬＬ尺码表".replace("ＦＵＬＬ", ""), stage="tee-classic", now=0.0) is not None
    late, noon = datetime(2026, 12, 1, 23, 30), datetime(2026, 12, 1, 12, 0)
    assert book.fire(room="r", user="u", text="发货时间?", stage=None, now=0.0, wall=noon) is None
    assert book.fire(room="r", user="u", text="发货时间?", stage=None, now=0.0, wall=late) is not None  # wraps midnight


def test_a_rule_beats_a_faq_and_fills_live_stock(tmp_path):
    embedder = HashEmbedder()
    engine = Engine(
        MemoryStore(), embedder, IntentModel.fit(load_intents(ROOT / "data/intents.yaml"), embedder.encode),
        settings=MatchSettings(answer_threshold=0.5, staff_threshold=0.4), spool_path=str(tmp_path / "spool.jsonl"),
    )
    engine.stage_product_id = "tee-classic"
    engine.rules = _book(tmp_path)
    outcome = engine.process([Comment(id="c1", user="u1", text="这个怎么买", ts=0.0)])[0]
    assert outcome.decision.band == ANSWER and outcome.decision.path == "rule"
    assert outcome.text is not None and outcome.text.startswith("点下方小黄车下单,") and "件" in outcome.text
    english = engine.process([Comment(id="c2", user="u2", text="how to buy this?", ts=30.0)])[0]
    assert english.decision.path in {"rule", "faq", "structured"}  # within the room cooldown of 20 s: normal matching


def test_try_a_question_shows_the_rule_the_live_bot_would_answer_with(tmp_path):
    """The console's "try a question" (Engine.explain) takes the rules into account like the live path — but never
    starts a cooldown: trying a question must not silence the rule for the room."""
    embedder = HashEmbedder()
    engine = Engine(
        MemoryStore(), embedder, IntentModel.fit(load_intents(ROOT / "data/intents.yaml"), embedder.encode),
        settings=MatchSettings(answer_threshold=0.5, staff_threshold=0.4), spool_path=str(tmp_path / "spool.jsonl"),
    )
    engine.stage_product_id = "tee-classic"
    engine.rules = _book(tmp_path)
    for _ in range(2):  # twice: no cooldown started by trying
        tried = engine.explain("这个怎么买")
        assert tried["band"] == ANSWER and tried["rule"] == "how-to-buy" and tried["reason"] == "rule how-to-buy"
        assert tried["answer"] is not None and tried["answer"].startswith("点下方小黄车下单,")
    live = engine.process([Comment(id="c1", user="u1", text="这个怎么买", ts=0.0)])[0]
    assert live.decision.path == "rule" and live.text == tried["answer"]
    assert engine.explain("尺码表", "down-jacket")["rule"] is None  # a stage condition still holds


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("{id: a, match: {regex: '(a+)+$'}, reply: x}", "nested quantifier"),
        ("{id: a, match: {regex: '.*'}, reply: x}", "matches every comment"),
        ("{id: a, match: {contains: ['']}, reply: x}", "an empty word would match every comment"),
        ("{id: a, match: {contains: [x]}, reply: '{no_such_placeholder}'}", r"reply \(zh\): unknown placeholder"),
        ("{id: A B, match: {contains: [x]}, reply: x}", "an id of lowercase"),
        ("{id: a, match: {contains: [x]}, reply: x, cooldown_s: -1}", "cooldowns between"),
        ("{id: a, match: {contains: [x]}, reply: x, when: {between: [soon, later]}}", "two times"),
    ],
)
def test_bad_rules_are_refused_with_the_reason(tmp_path, rule, message):
    with pytest.raises(InputFileError, match=message):
        _book(tmp_path, f"rules:\n  - {rule}\n")


def test_the_shipped_rules_file_loads():
    assert [r.id for r in load_rules(ROOT / "data/rules.yaml").rules] == ["how-to-buy", "coupon", "lucky-draw"]
