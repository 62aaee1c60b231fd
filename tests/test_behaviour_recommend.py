"""Behaviour events change recommendations with the real model (USE-m3) and the real intents: the same question, asked
by a viewer who opened the down jacket twice, gets the down jacket first. (The fast tier checks the same with the
hashing embedder: tests/fast/test_behaviour.py.)"""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.messages import Comment, ProductClick
from bot.pipeline import MatchSettings
from models.intents import IntentModel, load_intents
from tests.fast.fakes import ROOT, MemoryStore


@pytest.mark.parametrize(
    ("text", "lang"),
    [("今天推荐买啥", "zh"), ("推荐一个送人的", "zh"), ("what do you recommend", "en"), ("有推荐的吗", "zh"), ("买什么好", "zh")],
)
def test_a_viewer_who_opened_the_down_jacket_twice_gets_it_first(embedder, tmp_path, text, lang):
    intents = IntentModel.fit(load_intents(ROOT / "data/intents.yaml"), embedder.encode)
    settings = MatchSettings(answer_threshold=0.5, staff_threshold=0.4)
    engine = Engine(MemoryStore(), embedder, intents, settings=settings, spool_path=str(tmp_path / "spool.jsonl"))
    jacket = engine.store.product("down-jacket").display_name(lang)  # type: ignore[union-attr]
    first = "推荐你看看:" if lang == "zh" else "You might like: "

    before = engine.process([Comment(id="a1", user="new-viewer", text=text, ts=10.0)])[0]
    assert before.decision.band == "recommend" and before.text is not None
    assert not before.text.startswith(first + jacket)

    for ts in (3.0, 6.0):
        engine.apply_event(ProductClick(user="u7", product_id="down-jacket", ts=ts))
    after = engine.process([Comment(id="a2", user="u7", text=text, ts=10.0)])[0]
    assert after.decision.band == "recommend" and after.text is not None
    assert after.text.startswith(first + jacket), after.text
