"""Fast tier: the real engine and live loop over in-memory fakes (no database, socket or model; tests/fast/fakes.py)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.console.web import RuntimeSlot
from bot.engine import Engine
from bot.messages import Comment, Reply
from bot.pipeline import MatchSettings
from bot.ports import CommentLog, LiveCatalog, RoomConnection
from bot.replies import ReplyScheduler
from bot.service import MAX_PENDING_LATENCY, BotService
from models.intents import IntentModel, load_intents
from tests.fast.fakes import ROOT, HashEmbedder, MemoryRoom, MemoryStore

pytestmark = pytest.mark.timeout(30)


def _engine(tmp_path: Path, store: MemoryStore | None = None) -> Engine:
    embedder = HashEmbedder()
    intents = IntentModel.fit(load_intents(ROOT / "data/intents.yaml"), embedder.encode)
    settings = MatchSettings(answer_threshold=0.5, staff_threshold=0.4)
    return Engine(store or MemoryStore(), embedder, intents, settings=settings, spool_path=str(tmp_path / "spool.jsonl"))


def _comments(n: int, prefix: str = "c") -> list[Comment]:
    texts = ["这个多少钱", "有XL码吗", "主播好美", "do you ship to Canada?", "黑色还有吗"]
    return [Comment(id=f"{prefix}{i:04d}", user=f"u{i % 7}", text=texts[i % len(texts)], ts=float(i)) for i in range(n)]


def _serve(engine: Engine, room: MemoryRoom, **options) -> BotService:
    scheduler = ReplyScheduler(rate_per_s=1000, burst=1000, merge_window_s=0.0, viewer_cooldown_s=0.0)
    service = BotService(engine, scheduler, reload_interval_s=0.05, **options)
    asyncio.run(asyncio.wait_for(service.run(room), 20))
    return service


def test_the_fakes_satisfy_the_protocols():
    assert isinstance(MemoryStore(), LiveCatalog) and isinstance(MemoryStore(), CommentLog)
    assert isinstance(MemoryRoom(), RoomConnection)


def test_backlog_is_processed_in_bounded_batches_and_acknowledged(tmp_path):
    engine = _engine(tmp_path)
    room = MemoryRoom(_comments(300))
    room.end()
    service = _serve(engine, room, max_batch=32)
    assert engine.stats.largest_batch <= 32 and engine.stats.comments == 300
    assert room.acks and room.acks[-1] == 300 and room.acks == sorted(room.acks)
    store = engine.store
    assert len(store.rows) == 300 and not store.unfinished_comments()
    assert service.stats.received == 300
    # every decided comment has its receive → decision time (the whole backlog arrived at once: the later batches
    # waited for the earlier ones, so the figures grow with the batch order)
    waits = list(service.stats.decision_latencies)
    assert len(waits) == 300 and all(w >= 0 for w in waits) and waits[-1] >= waits[0]


def test_database_down_spools_every_comment_and_the_drain_loses_nothing(tmp_path):
    store = MemoryStore()
    engine = _engine(tmp_path, store)
    store.down = True
    outcomes = engine.process(_comments(20))
    assert len(outcomes) == 20 and not store.rows  # decided, nothing written
    assert engine.spool.pending() >= 20
    assert engine.drain_spool() == 0  # still down
    store.down = False
    assert engine.drain_spool() == 20
    assert len(store.rows) == 20 and not store.unfinished_comments()


def test_duplicates_are_recorded_once_and_not_answered(tmp_path):
    engine = _engine(tmp_path)
    first = engine.process(_comments(5))
    again = engine.process(_comments(5) + _comments(2, prefix="n"))
    assert len(first) == 5 and [o.comment.id for o in again] == ["n0000", "n0001"]
    assert engine.stats.duplicates == 5


def test_post_threadsafe_times_out_instead_of_hanging(tmp_path):
    engine = _engine(tmp_path)
    room = MemoryRoom()
    room.send_delay = 2.0  # a room that takes its time
    service = BotService(engine, ReplyScheduler(), reload_interval_s=0.05)
    errors: list[BaseException] = []

    def staff_answer_now() -> None:
        while getattr(service, "_client", None) is None:
            time.sleep(0.01)
        try:
            service.post_threadsafe(Reply(reply_to=("c1",), text="有的", lang="zh"), timeout=0.2)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            room.end()

    thread = threading.Thread(target=staff_answer_now)
    thread.start()
    asyncio.run(asyncio.wait_for(service.run(room), 20))
    thread.join(5)
    assert errors and isinstance(errors[0], (TimeoutError, concurrent.futures.TimeoutError))


def test_post_threadsafe_without_a_room_is_a_clear_error(tmp_path):
    service = BotService(_engine(tmp_path), ReplyScheduler())
    with pytest.raises(RuntimeError, match="not connected"):
        service.post_threadsafe(Reply(reply_to=("c1",), text="x", lang="zh"))


def test_bookkeeping_is_bounded(tmp_path):
    service = BotService(_engine(tmp_path), ReplyScheduler())
    for i in range(MAX_PENDING_LATENCY + 500):
        service._remember_received(f"x{i}", 0.0)
    assert len(service._received_at) == MAX_PENDING_LATENCY
    assert service.stats.latencies.maxlen is not None and service.stats.decision_latencies.maxlen is not None


def test_undecided_comments_are_recovered_at_start(tmp_path):
    store = MemoryStore()
    now = time.time()
    store.record_comments(_comments(3), received_at=now - 1)
    store.record_comments(_comments(1, prefix="old"), received_at=now - 10_000)
    engine = _engine(tmp_path, store)
    room = MemoryRoom()
    room.end()
    service = _serve(engine, room)
    assert service.stats.recovered == 3 and service.stats.recovered_to_staff == 1
    assert not store.unfinished_comments()
    assert store.rows[("local", "old0000")].status == "staff"


def test_stale_comments_are_recorded_and_not_answered(tmp_path):
    engine = _engine(tmp_path)
    room = MemoryRoom(_comments(50))
    room.end()
    service = _serve(engine, room, stale_after_s=0.0)
    assert service.stats.shed > 0
    rows = engine.store.rows.values()
    assert len(rows) == 50 and all(r.status != "received" for r in rows)
    shed = {r.comment_id for r in rows if (r.reason or "").startswith("shed")}
    assert len(shed) == service.stats.shed
    assert not [cid for reply in room.sent for cid in reply.reply_to if cid in shed]


def test_a_console_reload_is_counted_and_logged_like_the_live_loops(tmp_path, caplog):
    """The console's "try a question" reloads the engine it may share with the running bot (RuntimeSlot.fresh_engine,
    `livereply demo --keep-console`): the bot's reload count and the "catalog reloaded" log line include it, as they
    do the live loop's own reload."""
    store = MemoryStore()
    engine = _engine(tmp_path, store)
    service = BotService(engine, ReplyScheduler(), reload_interval_s=0.02)
    console = RuntimeSlot(SimpleNamespace(engine=engine))
    caplog.set_level(logging.INFO)

    async def scenario() -> None:
        loop = asyncio.create_task(service._reload_loop())
        store.version = 2
        assert console.fresh_engine() is engine  # the console reloads first: the live loop finds nothing left to do
        await asyncio.sleep(0.1)
        store.version = 3  # then the live loop reloads
        while engine.state.version != 3:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        service._stopping = True
        await asyncio.wait_for(loop, 5)

    asyncio.run(scenario())
    assert service.stats.reloads == 2
    reloaded = [r.getMessage() for r in caplog.records if r.getMessage().startswith("catalog reloaded")]
    assert reloaded == ["catalog reloaded: now v2", "catalog reloaded: now v3"]


class _SlowAckRoom(MemoryRoom):
    """An acknowledgement takes a round trip (a worker's XACK to Redis); it counts once it has completed."""

    def __init__(self, events, ack_s: float) -> None:
        super().__init__(events)
        self.ack_s = ack_s
        self.acking = asyncio.Event()

    async def ack(self, seq: int) -> None:
        self.acking.set()
        await asyncio.sleep(self.ack_s)
        self.acks.append(seq)


def test_an_ack_under_way_when_the_room_stops_completes(tmp_path):
    """The room stops (no end marker with a seq: a worker told to stop) while the coalesced ack of everything recorded
    is on its way: the show's end waits for it instead of cancelling it, so every recorded event is acknowledged."""
    engine = _engine(tmp_path)
    room = _SlowAckRoom(_comments(5), ack_s=0.5)

    async def scenario() -> None:
        scheduler = ReplyScheduler(rate_per_s=1000, burst=1000, merge_window_s=0.0, viewer_cooldown_s=0.0)
        service = BotService(engine, scheduler, reload_interval_s=0.05)
        bot = asyncio.create_task(service.run(room))
        await asyncio.wait_for(room.acking.wait(), 10)  # the acker took seq 5 (all recorded) and waits on the trip
        assert service.stats.received == 5
        room.end()  # EndOfStream without a seq: nothing newer for the last flush
        await asyncio.wait_for(bot, 20)

    asyncio.run(scenario())
    assert room.acks == [5]
