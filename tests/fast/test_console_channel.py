"""Fast tier: pause / resume and the console's outbox as the live loop sees them (fakes from tests/fast/fakes.py).

The channel's SQL side (catalog/control.py on SQLite and PostgreSQL) is tested in tests/test_console_channel.py,
the two processes together in tests/test_live_console.py."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.messages import Comment
from bot.pipeline import MatchSettings
from bot.replies import ReplyScheduler
from bot.service import BotService
from models.intents import IntentModel, load_intents
from tests.fast.fakes import ROOT, HashEmbedder, MemoryRoom, MemoryStore

pytestmark = pytest.mark.timeout(30)

PRICE = "包邮吗"  # answered by the hashing embedder


def _engine(tmp_path: Path, store: MemoryStore) -> Engine:
    embedder = HashEmbedder()
    intents = IntentModel.fit(load_intents(ROOT / "data/intents.yaml"), embedder.encode)
    settings = MatchSettings(answer_threshold=0.5, staff_threshold=0.4)
    return Engine(store, embedder, intents, settings=settings, spool_path=str(tmp_path / "spool.jsonl"))


def _service(tmp_path: Path, store: MemoryStore, **options) -> BotService:
    scheduler = ReplyScheduler(rate_per_s=1000, burst=1000, merge_window_s=0.0, viewer_cooldown_s=0.0)
    return BotService(_engine(tmp_path, store), scheduler, reload_interval_s=0.05, control_interval_s=0.02,
                      heartbeat_s=0.05, **options)


async def _until(predicate, limit_s: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + limit_s
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


def _comment(cid: str, text: str = PRICE, user: str = "u1") -> Comment:
    return Comment(id=cid, user=user, text=text, ts=time.time(), room="local")


def test_the_service_finds_the_channel_of_its_store(tmp_path):
    store = MemoryStore()
    assert _service(tmp_path, store).control is store
    assert BotService(_engine(tmp_path, store), ReplyScheduler(), control=None).control is None


def test_pause_holds_every_reply_and_resume_posts_them(tmp_path):
    store = MemoryStore()
    service = _service(tmp_path, store)
    room = MemoryRoom()

    async def show() -> None:
        task = asyncio.create_task(service.run(room))
        room.queue.put_nowait(_comment("a1"))
        await _until(lambda: len(room.sent) == 1)
        store.enqueue("pause")
        await _until(lambda: service.paused and store.statuses.get("local") is not None
                     and store.statuses["local"].paused)
        room.queue.put_nowait(_comment("a2", user="u2"))
        room.queue.put_nowait(_comment("a3", text="我要投诉你们的客服", user="u3"))
        await _until(lambda: store.rows.get(("local", "a2")) is not None and store.rows[("local", "a2")].status != "received")
        await asyncio.sleep(0.2)
        assert len(room.sent) == 1, "nothing is posted while paused"
        assert store.rows[("local", "a3")].status != "received", "comments are still decided while paused"
        store.enqueue("resume")
        await _until(lambda: len(room.sent) == 2)
        assert room.sent[1].reply_to == ("a2",) and not service.paused
        room.end()
        await asyncio.wait_for(task, 10)

    asyncio.run(show())
    assert [c.status for c in store.commands] == ["done", "done"]
    assert [c.result for c in store.commands] == ["paused", "resumed"]
    assert store.statuses["local"].connected is False  # the last heartbeat says the show is over
    assert len(store.replies) == 2


def test_resume_drops_replies_that_waited_too_long(tmp_path, caplog):
    store = MemoryStore()
    service = _service(tmp_path, store, resume_max_age_s=0.3)
    room = MemoryRoom()

    async def show() -> None:
        task = asyncio.create_task(service.run(room))
        service.pause()
        room.queue.put_nowait(_comment("old"))
        await _until(lambda: store.rows.get(("local", "old")) is not None and store.rows[("local", "old")].status != "received")
        await asyncio.sleep(0.5)  # older than resume_max_age_s by now
        room.queue.put_nowait(_comment("new", text="能寄到加拿大吗", user="u9"))
        await _until(lambda: store.rows.get(("local", "new")) is not None and store.rows[("local", "new")].status != "received")
        service.resume()
        await _until(lambda: len(room.sent) >= 1)
        await asyncio.sleep(0.1)
        room.end()
        await asyncio.wait_for(task, 10)

    with caplog.at_level(logging.WARNING, logger="bot.service"):
        asyncio.run(show())
    assert [r.reply_to for r in room.sent] == [("new",)]
    assert service.stats.dropped_after_pause == 1
    assert any("not posted after the pause" in r.getMessage() and "old" in r.getMessage() for r in caplog.records)


def test_answer_now_goes_through_the_normal_path_and_is_marked_done(tmp_path):
    store = MemoryStore()
    service = _service(tmp_path, store)
    room = MemoryRoom()

    async def show() -> None:
        task = asyncio.create_task(service.run(room))
        room.queue.put_nowait(_comment("h1", text="我要投诉你们的客服"))
        await _until(lambda: ("local", "h1") in store.rows and store.rows[("local", "h1")].status != "received")
        store.enqueue("answer", {"text": "客服马上联系您", "comment_ids": ["h1"], "users": ["u1"]}, room="local")
        store.enqueue("answer", {"text": "别的房间", "comment_ids": ["x1"]}, room="other-room")
        await _until(lambda: store.commands[0].status == "done")
        room.end()
        await asyncio.wait_for(task, 10)

    asyncio.run(show())
    staff = [r for r in room.sent if r.text == "客服马上联系您"]
    assert len(staff) == 1 and staff[0].reply_to == ("h1",) and staff[0].users == ("u1",)
    assert any(r.text == "客服马上联系您" for r in store.replies), "recorded in the reply log like any reply"
    assert store.commands[0].result and store.commands[0].result.startswith("posted")
    assert store.commands[1].status == "pending", "another room's command is left for its bot"
    assert service.stats.staff_answers == 1


def test_answer_now_waits_while_paused(tmp_path):
    store = MemoryStore()
    service = _service(tmp_path, store)
    room = MemoryRoom()

    async def show() -> None:
        task = asyncio.create_task(service.run(room))
        store.enqueue("pause")
        await _until(lambda: service.paused)
        store.enqueue("answer", {"text": "稍等", "comment_ids": ["h2"]}, room="local")
        await asyncio.sleep(0.2)
        assert store.commands[1].status == "pending" and not room.sent
        store.enqueue("resume")
        await _until(lambda: store.commands[1].status == "done")
        room.end()
        await asyncio.wait_for(task, 10)

    asyncio.run(show())
    assert [r.text for r in room.sent] == ["稍等"]


def test_heartbeat_failures_do_not_stop_the_show(tmp_path):
    store = MemoryStore()
    service = _service(tmp_path, store)
    room = MemoryRoom()

    async def show() -> None:
        task = asyncio.create_task(service.run(room))
        store.down = True
        room.queue.put_nowait(_comment("d1"))
        await asyncio.sleep(0.2)
        store.down = False
        await _until(lambda: "local" in store.statuses and store.statuses["local"].last_comment_at is not None)
        room.end()
        await asyncio.wait_for(task, 10)

    asyncio.run(show())
    assert ("local", "d1") in store.rows


def test_the_heartbeat_carries_the_outbox_what_waits_and_what_was_given_up_and_why(tmp_path):
    """Issue 14.6: the console shows the queue and what was dropped and why — a reply too old after a pause, and
    the queue overflowing, both reach the heartbeat with their kind and reason."""
    store = MemoryStore()
    scheduler = ReplyScheduler(rate_per_s=1000, burst=1000, merge_window_s=0.0, viewer_cooldown_s=0.0, max_queue=1)
    service = BotService(_engine(tmp_path, store), scheduler, reload_interval_s=0.05, control_interval_s=0.02,
                         heartbeat_s=0.05, resume_max_age_s=0.2)
    room = MemoryRoom()

    async def show() -> None:
        task = asyncio.create_task(service.run(room))
        service.pause()
        room.queue.put_nowait(_comment("a1"))
        await _until(lambda: store.statuses.get("local") is not None
                     and store.statuses["local"].outbox.get("pending", {}).get("answer") == 1)
        room.queue.put_nowait(_comment("a2", text="能寄到加拿大吗", user="u2"))  # max_queue 1: the older one goes
        await _until(lambda: store.statuses["local"].outbox.get("dropped", {}).get("answer") == 1)
        await asyncio.sleep(0.3)  # the one left waits longer than resume_max_age_s
        service.resume()
        await _until(lambda: store.statuses["local"].outbox.get("dropped", {}).get("answer") == 2)
        room.end()
        await asyncio.wait_for(task, 10)

    asyncio.run(show())
    box = store.statuses["local"].outbox
    assert box["pending"] == {"answer": 0, "staff": 0, "rule": 0, "scheduled": 0, "greeting": 0}
    assert [m["why"] for m in box["recent"]] == ["stale_after_pause", "queue_full"]  # newest first
    assert all(m["kind"] == "answer" and m["text"] for m in box["recent"])
    assert room.sent == []


def _zh_en_de_bot(tmp_path) -> tuple[MemoryStore, Engine, BotService, MemoryRoom]:
    """A running-bot setup for the room-language commands: zh/en/de room, fallback `main`, fast control loop."""
    store = MemoryStore()
    scheduler = ReplyScheduler(rate_per_s=1000, burst=1000, merge_window_s=0.0, viewer_cooldown_s=0.0)
    embedder = HashEmbedder()
    intents = IntentModel.fit(load_intents(ROOT / "data/intents.yaml"), embedder.encode)
    settings = MatchSettings(answer_threshold=0.5, staff_threshold=0.4, room_languages=("zh", "en", "de"),
                             lang_fallback="main")
    engine = Engine(store, embedder, intents, settings=settings, spool_path=str(tmp_path / "spool.jsonl"))
    service = BotService(engine, scheduler, reload_interval_s=0.05, control_interval_s=0.02, heartbeat_s=0.05)
    return store, engine, service, MemoryRoom()


def german(cid: str) -> Comment:  # "包邮吗" tagged German by the platform: matched, no German answer
    return Comment(id=cid, user=cid, text=PRICE, ts=time.time(), room="local", lang="de")


def test_the_heartbeat_carries_the_room_languages_and_set_fallback_applies_without_a_restart(tmp_path):
    """The room's languages, main language and fallback policy go out with every heartbeat; a `set_fallback` from
    the console changes what the running bot does with a comment in a language it has no answer in (the next
    comment is decided with it), even while paused; a policy the bot does not know is refused, nothing changed."""
    store, engine, service, room = _zh_en_de_bot(tmp_path)

    def decided(cid: str) -> bool:
        return ("local", cid) in store.rows and store.rows[("local", cid)].status != "received"

    async def show() -> None:
        task = asyncio.create_task(service.run(room))
        await _until(lambda: "local" in store.statuses)
        assert store.statuses["local"].settings == {"room_languages": ["zh", "en", "de"], "main_lang": "zh",
                                                    "lang_fallback": "main"}
        room.queue.put_nowait(german("g1"))
        await _until(lambda: decided("g1"))
        store.enqueue("pause")
        await _until(lambda: service.paused)
        store.enqueue("set_fallback", {"lang_fallback": "staff"}, room="local")
        await _until(lambda: store.commands[-1].status == "done")
        await _until(lambda: store.statuses["local"].settings["lang_fallback"] == "staff")
        store.enqueue("resume")
        room.queue.put_nowait(german("g2"))
        await _until(lambda: decided("g2"))
        store.enqueue("set_fallback", {"lang_fallback": "fr"}, room="local")
        await _until(lambda: store.commands[-1].status == "failed")
        room.end()
        await asyncio.wait_for(task, 10)

    asyncio.run(show())
    first = store.rows[("local", "g1")]
    assert first.status == "answered" and "中国大陆全场包邮" in (first.reply_text or "")  # "main": in Chinese
    assert store.rows[("local", "g2")].status == "staff"
    assert store.commands[-1].result and "lang_fallback must be en, main or staff" in store.commands[-1].result
    assert engine.state.settings.lang_fallback == "staff" and engine.base_settings.lang_fallback == "staff"


def test_a_worker_engine_sharing_its_state_refuses_a_room_fallback(tmp_path):
    """A worker's engines share one state for all their rooms: one room's policy is not set on it."""
    from bot.shared_state import SharedCatalogState

    store = MemoryStore()
    engine = _engine(tmp_path, store)
    SharedCatalogState.of(engine)
    with pytest.raises(ValueError, match="shares its state"):
        engine.set_lang_fallback("staff")
    assert engine.state.settings.lang_fallback == "en"


def test_set_main_lang_applies_without_a_restart_and_a_language_outside_the_room_is_refused(tmp_path):
    """A `set_main_lang` from the console: the policy `main` answers the next comment in the new main language and the
    heartbeat reports it; a language that is not one of the room's is refused by the bot (`failed`), nothing changed."""
    store, engine, service, room = _zh_en_de_bot(tmp_path)

    def decided(cid: str) -> bool:
        return ("local", cid) in store.rows and store.rows[("local", cid)].status != "received"

    async def show() -> None:
        task = asyncio.create_task(service.run(room))
        await _until(lambda: "local" in store.statuses)
        store.enqueue("set_main_lang", {"main_lang": "EN"}, room="local")  # a code as typed: normalised
        await _until(lambda: store.commands[-1].status == "done")
        await _until(lambda: store.statuses["local"].settings["main_lang"] == "en")
        room.queue.put_nowait(german("g1"))
        await _until(lambda: decided("g1"))
        store.enqueue("set_main_lang", {"main_lang": "vi"}, room="local")
        await _until(lambda: store.commands[-1].status == "failed")
        room.end()
        await asyncio.wait_for(task, 10)

    asyncio.run(show())
    assert store.commands[-2].result == "main_lang=en"
    first = store.rows[("local", "g1")]
    assert first.status == "answered" and "Shipping is free" in (first.reply_text or "")  # "main": now in English
    assert "not one of the room languages (zh,en,de)" in str(store.commands[-1].result)
    assert engine.default_lang == "en" and engine.state.settings.default_lang == engine.base_settings.default_lang == "en"


def test_a_worker_engine_sharing_its_state_refuses_a_room_main_language(tmp_path):
    from bot.shared_state import SharedCatalogState

    store = MemoryStore()
    engine = _engine(tmp_path, store)
    SharedCatalogState.of(engine)
    with pytest.raises(ValueError, match="shares its state"):
        engine.set_main_lang("en")
    assert engine.default_lang == "zh" and engine.state.settings.default_lang == "zh"
