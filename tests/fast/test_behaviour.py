"""Behaviour events (viewer_enter / viewer_leave / product_click / like / follow / gift / purchase): the generic
protocol codec, the local room's log, the per-viewer memory, and recommendations that change with them — through
the real engine and live loop over the fast-tier fakes (tests/fast/fakes.py)."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import numpy as np
import pytest

from bot.engine import Engine
from bot.memory import StageTimeline, ViewerMemory
from bot.messages import (
    Comment,
    Follow,
    Gift,
    Like,
    ProductClick,
    ProtocolError,
    Purchase,
    Stage,
    ViewerEnter,
    ViewerLeave,
)
from bot.pipeline import MatchSettings
from bot.protocol import decode_inbound, encode_inbound
from bot.replies import ReplyScheduler
from bot.room import load_log
from bot.service import BotService
from models.intents import IntentGuess
from tests.fast.fakes import HashEmbedder, MemoryRoom, MemoryStore

pytestmark = pytest.mark.timeout(30)

BEHAVIOUR = [
    ViewerEnter(user="u1", ts=1.0, seq=1),
    ViewerLeave(user="u1", ts=61.5, seq=2),
    ViewerLeave(user="u1", ts=61.5, dwell_s=60.5, seq=3),
    ProductClick(user="u1", product_id="down-jacket", ts=2.0, seq=4),
    Like(user="u1", ts=3.0, count=12, seq=5),
    Follow(user="u1", ts=4.0),
    Gift(user="u1", ts=5.0, gift="小心心", count=3, seq=7),
    Gift(user="u1", ts=5.0),
    Purchase(user="u1", ts=6.0, product_id="down-jacket", sku="DJ-BLK-M", qty=2, seq=9),
    Purchase(user="u1", ts=6.0),
]


@pytest.mark.parametrize("event", BEHAVIOUR, ids=lambda e: type(e).__name__)
def test_behaviour_frames_round_trip(event):
    frame = encode_inbound(event)
    assert decode_inbound(frame) == event
    assert json.loads(frame)["type"] in {
        "viewer_enter",
        "viewer_leave",
        "product_click",
        "like",
        "follow",
        "gift",
        "purchase",
    }


def test_behaviour_frames_ignore_unknown_fields_and_default_optional_ones():
    frame = '{"type":"like","user":"u9","ts":3,"seq":4,"avatar":"https://x/y.png","extra":{"a":[1]}}'
    assert decode_inbound(frame, room="shop") == Like(user="u9", ts=3.0, count=1, room="shop", seq=4)
    assert decode_inbound('{"type":"viewer_leave","user":"u9","ts":3,"dwell_s":null}') == ViewerLeave(user="u9", ts=3.0)


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        ('{"type":"viewer_enter","ts":1}', "missing field 'user'"),
        ('{"type":"product_click","user":"u","ts":1}', "missing field 'product_id'"),
        ('{"type":"like","user":"u","ts":1,"count":0}', "'count' must be >= 1"),
        ('{"type":"gift","user":"u","ts":1,"count":"3"}', "'count' must be an integer"),
        ('{"type":"viewer_leave","user":"u","ts":1,"dwell_s":-5}', "'dwell_s' must be in"),
        ('{"type":"purchase","user":"u","ts":1,"qty":-1}', "'qty' must be >= 1"),
        ('{"type":"follow","user":"","ts":1}', "must not be empty"),
        ('{"type":"follow","user":"u","ts":1,"seq":0}', "'seq' must be >= 1"),
    ],
)
def test_bad_behaviour_frames_are_rejected_with_the_field(frame, reason):
    with pytest.raises(ProtocolError) as err:
        decode_inbound(frame)
    assert reason in err.value.reason and err.value.frame == frame


def test_the_local_room_log_carries_behaviour_events(tmp_path):
    log = tmp_path / "show.jsonl"
    lines = [
        {"type": "viewer_enter", "user": "u1", "ts": 1},
        {"type": "product_click", "user": "u1", "product_id": "down-jacket", "ts": 2},
        {"user": "u1", "text": "有推荐的吗", "ts": 3},
    ]
    log.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    events = load_log(log, room="r")
    assert events[:2] == [ViewerEnter(user="u1", ts=1.0, room="r"), ProductClick("u1", "down-jacket", 2.0, room="r")]
    assert isinstance(events[2], Comment)


def test_memory_measures_dwell_and_watch_time_per_product_on_stage():
    stage = StageTimeline()
    stage.record(0.0, "tee-classic")
    stage.record(100.0, "down-jacket")
    stage.record(160.0, None)
    memory = ViewerMemory()
    memory.enter("u1", 1000.0, ts=50.0)
    assert memory.leave("u1", 1001.0, ts=200.0, dwell_s=None, stage=stage) == 150.0
    state = memory.get("u1", 1002.0)
    assert state is not None and state.dwell_s == 150.0 and state.comments == 0
    assert state.dwell_by_product == {"tee-classic": 50.0, "down-jacket": 60.0}
    # the platform's own dwell wins; a viewer still in the room counts up to "now" (room clock)
    memory.leave("u2", 1003.0, ts=130.0, dwell_s=20.0, stage=stage)
    assert memory.get("u2", 1003.0).dwell_by_product == {"down-jacket": 20.0}  # type: ignore[union-attr]
    memory.enter("u3", 1004.0, ts=90.0)
    assert memory.watched(memory.get("u3", 1004.0), stage, ts=120.0) == {"tee-classic": 10.0, "down-jacket": 20.0}  # type: ignore[arg-type]
    # clicks per product, purchases
    assert memory.click("u3", 1005.0, "down-jacket") == 1 and memory.click("u3", 1005.0, "down-jacket") == 2
    memory.act("u3", 1006.0, "purchase", 1, "down-jacket")
    assert memory.get("u3", 1006.0).purchased == ["down-jacket"]  # type: ignore[union-attr]


class _WantsRecommendation:
    """The intent model's part, pinned: every comment asks for a recommendation (the hashing embedder of the fast
    tier cannot tell intents apart; the ranking below it is the real one)."""

    def predict(self, texts, query_vectors):
        return [IntentGuess(label="want_recommendation", score=0.95, action="recommend") for _ in texts]

    def predict_vectors(self, query_vectors: np.ndarray):
        return self.predict([""] * len(query_vectors), query_vectors)


def _engine(tmp_path: Path) -> Engine:
    settings = MatchSettings(answer_threshold=0.5, staff_threshold=0.4)
    return Engine(MemoryStore(), HashEmbedder(), _WantsRecommendation(), settings=settings, spool_path=str(tmp_path / "s.jsonl"))  # type: ignore[arg-type]


def _first_pick(text: str | None) -> str:
    assert text is not None and text.startswith("推荐你看看:"), text
    return text.removeprefix("推荐你看看:").split("(")[0]


JACKET = "90白鸭绒短款羽绒服"


def test_opening_the_down_jacket_twice_puts_it_first(tmp_path):
    engine = _engine(tmp_path)
    before = engine.process([Comment(id="a1", user="someone", text="有推荐的吗", ts=10.0)])[0]
    assert before.decision.band == "recommend"
    assert _first_pick(before.text) != JACKET  # without behaviour, the jacket is not the first pick
    for ts in (5.0, 7.0):
        assert "down-jacket" in engine.apply_event(ProductClick(user="u7", product_id="down-jacket", ts=ts))
    after = engine.process([Comment(id="a2", user="u7", text="有推荐的吗", ts=10.0)])[0]
    assert _first_pick(after.text) == JACKET and "你点开看过它" in (after.text or "")
    # another viewer's clicks change nothing for this one
    other = engine.process([Comment(id="a3", user="u8", text="有推荐的吗", ts=10.0)])[0]
    assert _first_pick(other.text) == _first_pick(before.text)


def test_watching_a_product_presented_makes_it_the_pick(tmp_path):
    engine = _engine(tmp_path)
    engine.apply_event(Stage(product_id="scarf-cashmere", ts=0.0))
    engine.apply_event(ViewerEnter(user="u5", ts=0.0))
    engine.apply_event(Stage(product_id=None, ts=150.0))  # the scarf was presented for 150 s while u5 watched
    watched = engine.process([Comment(id="w1", user="u5", text="有推荐的吗", ts=200.0)])[0]
    fresh = engine.process([Comment(id="w2", user="u6", text="有推荐的吗", ts=200.0)])[0]
    scarf = engine.store.product("scarf-cashmere").display_name("zh")  # type: ignore[union-attr]
    assert _first_pick(fresh.text) != scarf and "你刚才看了它的讲解" not in (fresh.text or "")
    assert _first_pick(watched.text) == scarf and "你刚才看了它的讲解" in (watched.text or "")
    assert "left after 200 s" in engine.apply_event(ViewerLeave(user="u5", ts=200.0))


def test_behaviour_events_flow_through_the_live_loop(tmp_path):
    engine = _engine(tmp_path)
    room = MemoryRoom(
        [
            ViewerEnter(user="u7", ts=1.0),
            ProductClick(user="u7", product_id="down-jacket", ts=2.0),
            Like(user="u7", ts=2.5, count=3),
            ProductClick(user="u7", product_id="down-jacket", ts=3.0),
            Comment(id="c1", user="u7", text="有推荐的吗", ts=4.0),
        ]
    )
    room.end()
    scheduler = ReplyScheduler(rate_per_s=1000, burst=1000, merge_window_s=0.0, viewer_cooldown_s=0.0)
    service = BotService(engine, scheduler, reload_interval_s=0.05)
    asyncio.run(asyncio.wait_for(service.run(room), 20))
    assert [r.reply_to for r in room.sent] == [("c1",)] and _first_pick(room.sent[0].text) == JACKET
    assert room.acks[-1] == 5  # behaviour frames are acknowledged like the others
    state = engine.memory.get("u7", time.time())
    assert state is not None and state.clicks["down-jacket"] == 2 and state.actions["like"] == 3
