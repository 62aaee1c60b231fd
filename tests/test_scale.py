"""Scale-out (bot/scale, docs/scale.md): stream encoding, the gateway's spool while Redis is away, and real
`livereply gateway` / `livereply worker` processes on Redis Streams + PostgreSQL, one worker killed with SIGKILL.

Needs Redis at 127.0.0.1:6379 (LIVEREPLY_TEST_REDIS_URL) for all but the first tests; every test uses its own stream
prefix and deletes its streams afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import signal
import time
import uuid
from pathlib import Path

import pytest

from bench.bench_scale import (
    REDIS_URL,
    check,
    delete_streams,
    gateway_command,
    prepare_db,
    spawn,
    stop,
    wait_consumers,
    worker_command,
)
from bench.chaos import show
from bot.announcements import SCHEDULED_PRIORITY, STAFF_PRIORITY
from bot.messages import Comment, EndOfStream, Order, Reply, Stage, StockUpdate
from bot.room import LocalRoom
from bot.scale.streams import (
    GatewaySpool,
    decode_event,
    decode_reply,
    encode_event,
    encode_reply,
    posted_keys,
    room_of,
    sortable_id,
)

# --------------------------------------------------------------------------------------------- sans-I/O


@pytest.mark.parametrize(
    "event",
    [
        Comment(id="c1", user="u1", text="XL还有吗？😀\n第二行", ts=1700000000.25, room="shop-1", lang="zh", product_id="tee"),
        Comment(id="c2", user="u2", text="", ts=0.0, room="shop-1"),
        Stage(product_id="tee-classic", ts=3.0, room="shop-1"),
        Stage(product_id=None, ts=4.0, room="shop-1"),
        StockUpdate(sku="TEE-BLK-M", stock=12, ts=5.0, room="shop-1"),
        Order(order_id="o1", sku="TEE-BLK-M", qty=2, ts=6.0, user="u3", room="shop-1"),
        EndOfStream(ts=7.0, room="shop-1"),
    ],
)
def test_event_fields_round_trip(event) -> None:
    import dataclasses

    fields = encode_event(dataclasses.replace(event, seq=41), received_at=123.5)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in fields.items())
    decoded, at = decode_event(fields)
    assert decoded == event  # the room's seq is not carried past the gateway
    assert at == 123.5
    # redis-py without decode_responses hands back bytes
    assert decode_event({k.encode(): v.encode() for k, v in fields.items()})[0] == event


def test_reply_fields_round_trip_and_helpers(tmp_path: Path) -> None:
    reply = Reply(reply_to=("c1", "c2"), text="有的，XL还有3件", lang="zh", room="shop-1", ts=9.5, users=("u1", "u2"))
    assert decode_reply(encode_reply(reply)) == reply
    assert room_of("lr:shop-1") == "shop-1"
    # the scheduler priority travels in the entry (not part of Reply equality): the gateway's posted marks need it
    staff = dataclasses.replace(reply, priority=STAFF_PRIORITY)
    assert decode_reply(encode_reply(staff)).priority == STAFF_PRIORITY
    older: dict[str | bytes, str | bytes] = {"r": '{"reply_to": ["c1"], "text": "x", "lang": "zh", "room": "r"}'}
    assert decode_reply(older).priority == 0  # an entry written before the priority travelled: a bot reply
    assert posted_keys("lr:shop-1", reply) == ["lr:shop-1:posted:bot:c1", "lr:shop-1:posted:bot:c2"]
    staff_keys = posted_keys("lr:shop-1", staff)
    assert staff_keys[0].startswith("lr:shop-1:posted:staff-") and staff_keys[0].endswith(":c1")
    assert staff_keys != posted_keys("lr:shop-1", dataclasses.replace(staff, text="另一个回答"))
    sched = Reply(reply_to=("sched:1:1",), text="包邮", lang="zh", ts=5.25, priority=SCHEDULED_PRIORITY)
    assert posted_keys("p", sched) == ["p:posted:ann-5.25:sched:1:1"]
    assert sortable_id("1700000000000-2") < sortable_id("1700000000000-10") < sortable_id("1700000000001-0")
    spool = GatewaySpool(tmp_path / "s.jsonl", max_entries=2)
    spool.add({"e": "1"})
    spool.add({"e": "2"})
    assert spool.full
    again = GatewaySpool(tmp_path / "s.jsonl")  # a restarted gateway finds what it spooled
    assert again.head(5) == [{"e": "1"}, {"e": "2"}]
    again.pop(1)
    assert GatewaySpool(tmp_path / "s.jsonl").head(5) == [{"e": "2"}]
    again.pop(1)
    assert not (tmp_path / "s.jsonl").exists()


# --------------------------------------------------------------------------------------------- Redis away


class Proxy:
    """A TCP proxy in front of Redis that can be switched off (every connection cut, port closed) and on again."""

    def __init__(self, port: int) -> None:
        self.target_port = port
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for w in self._writers:
            w.transport.abort()
        self._writers.clear()
        await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_r, up_w = await asyncio.open_connection("127.0.0.1", self.target_port)
        self._writers += [writer, up_w]

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.transport.abort()

        await asyncio.gather(pipe(reader, up_w), pipe(up_r, writer))


@pytest.mark.slow  # needs a Redis server: not in the fast tier
def test_gateway_spools_while_redis_is_away_and_drains_in_order(tmp_path: Path, caplog) -> None:
    from redis.asyncio import Redis

    from bot.adapters.generic import RoomClient
    from bot.scale.gateway import Gateway

    prefix = f"lr:t{uuid.uuid4().hex[:8]}"
    n = 150
    events = [Comment(id=f"c{i:04d}", user=f"u{i % 7}", text=f"第{i}条", ts=i * 0.02) for i in range(n)]

    async def main() -> tuple[list[str], object]:
        direct = Redis.from_url(REDIS_URL, decode_responses=True)
        proxy = Proxy(6379)
        await proxy.start()
        redis = Redis.from_url(f"redis://127.0.0.1:{proxy.port}/0", decode_responses=True, socket_connect_timeout=1.0,
                               socket_timeout=2.0)
        room = LocalRoom(events, speed=1.0, drain_s=1.0)
        await room.start()
        gateway = Gateway(RoomClient(room.url, room=room_of(prefix)), redis, prefix,
                          spool=GatewaySpool(tmp_path / "spool.jsonl"), stop_at_end=False)
        task = asyncio.create_task(gateway.run())
        try:
            while room.cursor < n // 4:
                await asyncio.sleep(0.02)
            await proxy.stop()  # Redis "goes away" for the gateway: port closed, connections cut
            await asyncio.sleep(1.0)
            assert len(gateway.spool) > 0
            await proxy.start()  # back on the same port
            deadline = time.monotonic() + 30
            # the acknowledgement of the last event follows its XADD over the room's socket: wait for it too
            while time.monotonic() < deadline and (
                await direct.xlen(f"{prefix}:in") < n or len(gateway.spool) or room.acked_seq < n
            ):
                await asyncio.sleep(0.1)
            entries = await direct.xrange(f"{prefix}:in")
            assert room.acked_seq >= n  # every event acknowledged to the room: in Redis or in the fsynced spool
            return [decode_event(f)[0].id for _, f in entries], gateway.stats  # type: ignore[union-attr]
        finally:
            try:
                gateway.stop()
                await asyncio.wait_for(task, 10)
                await room.stop()
            finally:
                await delete_streams(direct, [prefix])
                await redis.aclose()
                await direct.aclose()
                with contextlib.suppress(Exception):
                    await proxy.stop()

    with caplog.at_level(logging.WARNING, logger="bot.scale.gateway"):
        ids, stats = asyncio.run(main())
    assert ids == [e.id for e in events]  # all of them, once each, in room order
    assert stats.spooled > 0 and stats.drained == stats.spooled  # type: ignore[attr-defined]
    assert "spooling inbound events" in caplog.text and "spool drained" in caplog.text


# --------------------------------------------------------------------------------------------- real processes


async def _serve(
    postgres_url: str, workdir: Path, *, comments: int, seconds: float, workers: int, kill: bool, quiet: bool = True
) -> dict:
    from redis.asyncio import Redis

    prefix = f"lr:t{uuid.uuid4().hex[:8]}"
    room_name = room_of(prefix)
    redis = Redis.from_url(REDIS_URL, decode_responses=True)
    events = show(comments, seconds)
    room = LocalRoom(events, speed=1.0, drain_s=20.0)
    procs = []
    gateway = None
    info: dict = {"prefix": prefix, "killed_pending": 0}
    try:
        await asyncio.to_thread(prepare_db, postgres_url)
        for i in range(workers):
            cmd = worker_command(REDIS_URL, [prefix], postgres_url, workdir, f"w{i}", claim_idle_s=2.0, quiet=quiet)
            procs.append(spawn(cmd, workdir / f"worker{i}.log"))
        await wait_consumers(redis, [prefix], workers, procs=procs)
        await room.start()
        gateway = spawn(gateway_command(room.url, REDIS_URL, prefix, workdir), workdir / "gateway.log")
        if kill:
            victim = procs[1]
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:  # kill it while it holds entries it has not acknowledged
                pending = await redis.xpending_range(f"{prefix}:in", "workers", "-", "+", 100, consumername="w1")
                if pending and room.cursor > len(events) // 4:
                    # freeze it first, then look again: between a look and a kill it could still acknowledge them
                    victim.send_signal(signal.SIGSTOP)
                    pending = await redis.xpending_range(f"{prefix}:in", "workers", "-", "+", 100, consumername="w1")
                    if pending:
                        info["killed_pending"] = len(pending)
                        break
                    victim.send_signal(signal.SIGCONT)
                await asyncio.sleep(0.01)
            victim.send_signal(signal.SIGKILL)
            victim.wait()
        await asyncio.wait_for(asyncio.to_thread(gateway.wait), 120)
        assert gateway.returncode == 0, (workdir / "gateway.log").read_text()
        await asyncio.wait_for(room.wait_finished(), 30)
        for p in procs:
            if p.poll() is None:
                assert await asyncio.to_thread(stop, p) == 0
        info["room_replies"] = [r for _, r in room.replies]
        info["expected"] = {(room_name, e.id) for e in events if isinstance(e, Comment)}
        groups = await redis.xinfo_groups(f"{prefix}:in")
        info["pending_left"] = sum(g["pending"] for g in groups)
        return info
    finally:
        for p in [*procs, *([gateway] if gateway else [])]:
            if p.poll() is None:
                p.kill()
        await room.stop()
        await delete_streams(redis, [prefix])
        await redis.aclose()


def test_gateway_worker_gateway_end_to_end(postgres_url: str, tmp_path: Path) -> None:
    info = asyncio.run(_serve(postgres_url, tmp_path, comments=80, seconds=2.0, workers=1, kill=False, quiet=False))
    result = check(postgres_url, info["expected"])
    assert not result.problems(), result.problems()
    assert result.recorded == 80 and info["pending_left"] == 0
    assert result.replies > 0
    # every reply the worker logged came back to the room through the gateway
    assert sorted(r.reply_to for r in info["room_replies"]) == sorted(_logged_replies(postgres_url))
    # the worker prints the transcript as `livereply run` does (LIVEREPLY_TRANSCRIPT / --quiet)
    transcript = (tmp_path / "worker0.log").read_text()
    assert "[ANSWER   ]" in transcript and "  →  " in transcript, transcript[-3000:]


def test_worker_killed_mid_stream_entries_claimed_by_survivor(postgres_url: str, tmp_path: Path) -> None:
    info = asyncio.run(_serve(postgres_url, tmp_path, comments=300, seconds=6.0, workers=2, kill=True))
    result = check(postgres_url, info["expected"])
    assert not result.problems(), result.problems()  # recorded exactly once, none undecided, none answered twice
    assert result.recorded == 300 and info["pending_left"] == 0
    assert info["killed_pending"] > 0
    survivor = (tmp_path / "worker0.log").read_text()
    assert "claimed" in survivor, survivor[-3000:]


def _logged_replies(db_url: str) -> list[tuple[str, ...]]:
    from catalog.store import CatalogStore

    store = CatalogStore(db_url)
    try:
        return [tuple(r.reply_to) for r in store.replies(limit=None)]
    finally:
        store.close()


os.environ.setdefault("HF_HUB_OFFLINE", "1")


def test_a_staff_edit_reaches_every_room_a_worker_serves(postgres_url: str, tmp_path: Path, embedder) -> None:
    """One worker serving two rooms holds one catalog state; a FAQ edited in PostgreSQL while it runs is built once
    and answers in both rooms (replies read back from each room's reply stream)."""
    import dataclasses

    from redis.asyncio import Redis

    from bot.bootstrap import build_runtime, make_scheduler, service_options
    from bot.config import Settings
    from bot.scale.streams import in_key, out_key
    from bot.scale.worker import build_worker_rooms, serve_worker

    prepare_db(postgres_url)
    settings = Settings.load({
        "db": postgres_url, "index_dir": str(tmp_path / "index"), "answer_threshold": 0.6, "staff_threshold": 0.5,
        "threads": 1, "merge_window_s": 0.0, "rate_per_s": 100.0, "burst": 100, "intents": "data/intents.yaml",
    }, env={})
    runtime = build_runtime(settings, embedder=embedder)
    tag = uuid.uuid4().hex[:8]
    prefixes = [f"lr:e{tag}a", f"lr:e{tag}b"]
    new_answer = f"中国大陆全场包邮(新说法{tag})"

    async def main() -> dict[str, list[str]]:
        redis = Redis.from_url(REDIS_URL, decode_responses=True)
        rooms = build_worker_rooms(runtime, lambda: make_scheduler(settings), dict(service_options(settings)), prefixes,
                                   redis, consumer="t0", claim_idle_s=10.0, spool_dir=tmp_path, block_ms=100)
        engines = [r.service.engine for r in rooms]
        assert engines[0].state is engines[1].state  # one catalog state for both rooms
        task = asyncio.create_task(serve_worker(rooms, redis))
        try:
            faq = runtime.store.snapshot().faqs["shipping-free"]
            await asyncio.to_thread(runtime.store.upsert_faq, dataclasses.replace(faq, answers={**faq.answers, "zh": new_answer}))
            version = runtime.store.catalog_version()
            deadline = time.monotonic() + 20
            while any(e.state.version != version for e in engines) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            assert all(e.state is engines[0].state and e.state.version == version for e in engines)
            for i, prefix in enumerate(prefixes):
                comment = Comment(id=f"c{i}", user=f"u{i}", text="包邮吗", ts=time.time(), room=room_of(prefix))
                await redis.xadd(in_key(prefix), encode_event(comment))
            texts: dict[str, list[str]] = {}
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and len(texts) < len(prefixes):
                for prefix in prefixes:
                    entries = await redis.xrange(out_key(prefix))
                    if entries:
                        texts[prefix] = [decode_reply(f).text for _, f in entries]
                await asyncio.sleep(0.1)
            return texts
        finally:
            for r in rooms:
                r.connection.stop_reading()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, 30)
            await delete_streams(redis, prefixes)
            await redis.aclose()

    texts = asyncio.run(main())
    assert set(texts) == set(prefixes), texts
    assert all(any(new_answer in t for t in room_texts) for room_texts in texts.values()), texts


def test_one_gateway_process_serves_several_rooms(tmp_path: Path) -> None:
    """`livereply gateway --room A --stream-prefix PA --room B --stream-prefix PB`: each room's events in its own
    stream, all of them once and in room order, stamped with its room; SIGTERM stops both."""
    from redis.asyncio import Redis

    from bench.bench_scale import multi_room_gateway_command

    tag = uuid.uuid4().hex[:8]
    prefixes = [f"lr:g{tag}a", f"lr:g{tag}b"]
    shows = [show(40, 1.0), show(25, 1.0)]

    async def main() -> list[list[tuple[str, str | None]]]:
        rooms = [LocalRoom(events, speed=0.0, drain_s=5.0) for events in shows]
        redis = Redis.from_url(REDIS_URL, decode_responses=True)
        gateway = None
        try:
            for room in rooms:
                await room.start()
            cmd = multi_room_gateway_command([room.url for room in rooms], prefixes, REDIS_URL, tmp_path)
            gateway = spawn(cmd, tmp_path / "gateway.log")  # no worker here: it would wait for them at the end
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                lengths = [await redis.xlen(f"{p}:in") for p in prefixes]
                if lengths == [len(events) for events in shows] and all(room.finished for room in rooms):
                    break
                await asyncio.sleep(0.1)
            gateway.send_signal(signal.SIGTERM)
            await asyncio.wait_for(asyncio.to_thread(gateway.wait), 30)
            assert gateway.returncode == 0, (tmp_path / "gateway.log").read_text()
            out = []
            for prefix in prefixes:
                entries = await redis.xrange(f"{prefix}:in")
                decoded = [decode_event(f)[0] for _, f in entries]
                out.append([(type(e).__name__, getattr(e, "id", None), getattr(e, "room", None)) for e in decoded])
            return out
        finally:
            if gateway is not None and gateway.poll() is None:
                gateway.kill()
            for room in rooms:
                await room.stop()
            await delete_streams(redis, prefixes)
            await redis.aclose()

    streams = asyncio.run(main())
    for events, got, prefix in zip(shows, streams, prefixes, strict=True):
        # every event once, in room order, the comments stamped with their own room
        assert [(kind, cid) for kind, cid, _ in got] == [(type(e).__name__, getattr(e, "id", None)) for e in events]
        assert {room for kind, _, room in got if kind == "Comment"} == {room_of(prefix)}


def test_one_gateway_process_holds_a_hundred_and_twenty_rooms(tmp_path: Path) -> None:
    """120 rooms in one gateway process all reach Redis: its client is sized for them (redis-py's default pool of 100
    connections ran out at ~100 rooms — MaxConnectionsError, every room stalled)."""
    from bench.bench_gateway_rooms import measure

    row = asyncio.run(measure(120, tmp_path))
    assert row["rooms"] == 120 and row["rss_mb"] < 200  # measure raises when a room's show did not reach Redis
