"""Scale-out problems a new user's walkthrough of docs/scale.md found (real Redis at 127.0.0.1:6379, real PostgreSQL,
local websocket rooms; every test uses its own stream prefix and deletes its streams afterwards):

- a restarted gateway posted the previous show's replies left in ``<prefix>:out`` (614 s old) into the new room;
- workers answered comments that had waited minutes in Redis: ``stale_after_s`` counted from the worker's read;
- the gateway ignored LIVEREPLY_RATE_PER_S / LIVEREPLY_BURST;
- ``livereply worker`` took (and ignored) ``run``'s room flags and printed no transcript;
- gateway logs: a Redis outage logged twice a second without the address, a spool left by an earlier run drained
  silently, ``--redis HOST:PORT`` (no scheme) a traceback;
- dead worker consumers stayed in ``XINFO CONSUMERS`` forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bench.bench_scale import EXE, REDIS_URL, delete_streams, prepare_db
from bot.adapters.capabilities import RateLimit
from bot.cli import build_parser, main
from bot.messages import Comment, Reply
from bot.room import LocalRoom
from bot.scale.streams import (
    WORKERS_GROUP,
    GatewaySpool,
    decode_event,
    decode_reply,
    encode_event,
    encode_reply,
    in_key,
    out_key,
    room_of,
)


def _reply(text: str, cid: str, room: str) -> dict[str, str]:
    return encode_reply(Reply(reply_to=(cid,), text=text, lang="zh", room=room, ts=time.time(), users=("u",)))


def _one_comment_room() -> LocalRoom:
    """A room that sends one comment and then stays open for replies."""
    return LocalRoom([Comment(id="c0", user="u0", text="你好", ts=0.0)], speed=0.0, drain_s=30.0)


@contextlib.asynccontextmanager
async def _streams(prefix: str, url: str = REDIS_URL) -> AsyncIterator[Any]:
    """A Redis client; the prefix's streams are deleted afterwards, whatever happened."""
    from redis.asyncio import Redis

    redis = Redis.from_url(url, decode_responses=True, socket_connect_timeout=0.5)
    try:
        yield redis
    finally:
        with contextlib.suppress(Exception):
            await delete_streams(redis, [prefix])
        await redis.aclose()


@contextlib.asynccontextmanager
async def _open_room() -> AsyncIterator[LocalRoom]:
    room = _one_comment_room()
    await room.start()
    try:
        yield room
    finally:
        await room.stop()


@contextlib.asynccontextmanager
async def _running(gateway: Any) -> AsyncIterator[None]:
    task = asyncio.create_task(gateway.run())
    try:
        yield
    finally:
        gateway.stop()
        await asyncio.wait_for(task, 15)


async def _until(predicate, within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.05)


# --------------------------------------------------------------------------------------------- 1. stale replies


def test_entry_age_is_measured_on_the_redis_clock() -> None:
    from bot.scale.streams import entry_age_s

    assert entry_age_s("1700000000000-3", 1700000614000.0) == 614.0
    assert entry_age_s(b"1700000000000-0", 1699999999000.0) == 0.0  # never negative


@pytest.mark.slow  # needs a Redis server: not in the fast tier
def test_a_restarted_gateway_drops_the_last_shows_replies_instead_of_posting_them(tmp_path: Path, caplog) -> None:
    """Replies left in <prefix>:out by the last show (614 s old) are acknowledged and dropped, with a log line and a
    count; a fresh one is posted."""
    from bot.adapters.generic import RoomClient
    from bot.scale.gateway import Gateway, ensure_group

    prefix = f"lr:t{uuid.uuid4().hex[:8]}"
    room_name = room_of(prefix)

    async def main() -> tuple[list[Reply], object, dict]:
        async with _streams(prefix) as redis, _open_room() as room:
            return await session(redis, room)

    async def session(redis: Any, room: LocalRoom) -> tuple[list[Reply], object, dict]:
        await ensure_group(redis, out_key(prefix), "gateway")  # the last show's gateway
        last_show_ms = int(time.time() * 1000) - 614_000
        for i in range(9):  # what it left behind when it stopped: 4 read but not acknowledged, 5 not read
            await redis.xadd(out_key(prefix), _reply("还有8件", f"old{i}", room_name), id=f"{last_show_ms}-{i}")
        await redis.xreadgroup("gateway", "gateway-1", {out_key(prefix): ">"}, count=4)
        last = await redis.xadd(out_key(prefix), _reply("有的，XL还有3件", "new", room_name))
        gateway = Gateway(
            RoomClient(room.url, room=room_name),
            redis,
            prefix,
            spool=GatewaySpool(tmp_path / "s.jsonl"),
            stop_at_end=False,
            block_ms=100,
        )

        async def done() -> bool:  # every entry read and acknowledged
            group = (await redis.xinfo_groups(out_key(prefix)))[0]
            return group["last-delivered-id"] == last and group["pending"] == 0

        async with _running(gateway):
            await _until(done)
            await asyncio.sleep(0.5)  # nothing else arrives
        return [r for _, r in room.replies], gateway.stats, await redis.xpending(out_key(prefix), "gateway")

    with caplog.at_level(logging.WARNING, logger="bot.scale.gateway"):
        posted, stats, pending = asyncio.run(main())
    assert [r.text for r in posted] == ["有的，XL还有3件"]
    assert stats.stale_replies == 9 and stats.replies_posted == 1  # type: ignore[attr-defined]
    assert pending["pending"] == 0  # acknowledged, not left to be posted by the next start
    # one line per batch read: the 4 the last gateway had read, then the 5 it had not
    assert "not posted: 4 replies older than 60 s (oldest 614 s" in caplog.text
    assert "not posted: 5 replies older than 60 s (oldest 614 s" in caplog.text and "9 so far" in caplog.text


@pytest.mark.slow
def test_a_reply_that_ages_while_waiting_for_the_rate_limit_is_dropped(tmp_path: Path) -> None:
    from bot.adapters.generic import RoomClient
    from bot.scale.gateway import Gateway

    prefix = f"lr:t{uuid.uuid4().hex[:8]}"

    async def main() -> tuple[list[str], object]:
        async with _streams(prefix) as redis, _open_room() as room:
            return await session(redis, room)

    async def session(redis: Any, room: LocalRoom) -> tuple[list[str], object]:
        for i in range(3):
            await redis.xadd(out_key(prefix), _reply(f"答{i}", f"c{i}", room_of(prefix)))
        gateway = Gateway(
            RoomClient(room.url, room=room_of(prefix)),
            redis,
            prefix,
            spool=GatewaySpool(tmp_path / "s.jsonl"),
            stop_at_end=False,
            block_ms=100,
            rate=RateLimit(1, 3.0),
            max_reply_age_s=1.0,
        )

        async def done() -> bool:
            return gateway.stats.replies_posted + gateway.stats.stale_replies == 3

        async with _running(gateway):
            await _until(done)
        return [r.text for _, r in room.replies], gateway.stats

    texts, stats = asyncio.run(main())
    assert texts == ["答0"]  # the other two would have gone out 3 and 6 s later: older than 1 s by then
    assert stats.stale_replies == 2  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------- 2. stale comments


def test_a_worker_sheds_comments_that_waited_in_redis_and_records_the_gateways_receive_time(
    postgres_url: str, tmp_path: Path, embedder
) -> None:
    """``stale_after_s`` counts from the gateway's receive time: a comment that waited 120 s in the stream is recorded
    (with that receive time) but not answered; one stamped by a gateway whose clock runs 30 s ahead counts as just
    received (answered, recorded as received now, not in the future)."""
    from bot.bootstrap import build_runtime, make_scheduler, service_options
    from bot.config import Settings
    from bot.scale.worker import build_worker_rooms, serve_worker

    prepare_db(postgres_url)
    settings = Settings.load(
        {
            "db": postgres_url,
            "index_dir": str(tmp_path / "index"),
            "answer_threshold": 0.6,
            "staff_threshold": 0.5,
            "threads": 1,
            "merge_window_s": 0.0,
            "rate_per_s": 100.0,
            "burst": 100,
            "intents": "data/intents.yaml",
        },
        env={},
    )
    runtime = build_runtime(settings, embedder=embedder)
    prefix = f"lr:s{uuid.uuid4().hex[:8]}"
    room = room_of(prefix)
    now = time.time()
    stamped = {"waited": now - 120.0, "fresh": now - 2.0, "ahead": now + 30.0}

    async def main() -> list[str]:
        async with _streams(prefix) as redis:
            return await session(redis)

    async def session(redis: Any) -> list[str]:
        rooms = build_worker_rooms(
            runtime,
            lambda: make_scheduler(settings),
            dict(service_options(settings)),
            [prefix],
            redis,
            consumer="t0",
            claim_idle_s=10.0,
            spool_dir=tmp_path,
            block_ms=100,
        )
        task = asyncio.create_task(serve_worker(rooms, redis))
        try:
            for i, (cid, at) in enumerate(stamped.items()):
                comment = Comment(id=cid, user=f"u{i}", text="包邮吗", ts=at, room=room)
                await redis.xadd(in_key(prefix), encode_event(comment, received_at=at))

            async def decided() -> bool:
                records = await asyncio.to_thread(runtime.store.comments, room=room)
                return len(records) == 3 and all(r.status != "received" for r in records)

            await _until(decided, 30)
            await asyncio.sleep(0.5)  # the replies due are sent
            return [cid for _, f in await redis.xrange(out_key(prefix)) for cid in decode_reply(f).reply_to]
        finally:
            rooms[0].connection.stop_reading()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, 30)

    answered = asyncio.run(main())
    records = {r.comment_id: r for r in runtime.store.comments(room=room)}
    assert sorted(answered) == ["ahead", "fresh"]
    assert records["waited"].status == "silent" and records["waited"].reason.startswith("shed")
    assert records["waited"].received_at == pytest.approx(stamped["waited"], abs=0.01)
    assert records["fresh"].received_at == pytest.approx(stamped["fresh"], abs=0.01)
    assert now <= records["ahead"].received_at < stamped["ahead"]  # clamped: a gateway clock ahead counts as now


# --------------------------------------------------------------------------------------------- 3. the gateway's rate


def _start(cmd: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    with open(log_path, "wb") as out:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)


@pytest.mark.slow
def test_the_gateway_posts_at_the_rate_of_livereply_rate_per_s_and_burst(tmp_path: Path) -> None:
    """LIVEREPLY_RATE_PER_S=0.5 LIVEREPLY_BURST=1: one reply per 2 s (the built-in 3/s, burst 6, posted all three at
    once)."""
    prefix = f"lr:r{uuid.uuid4().hex[:8]}"

    async def main() -> tuple[list[float], str]:
        async with _streams(prefix) as redis, _open_room() as room:
            return await session(redis, room)

    async def session(redis: Any, room: LocalRoom) -> tuple[list[float], str]:
        for i in range(3):
            await redis.xadd(out_key(prefix), _reply(f"答{i}", f"c{i}", room_of(prefix)))
        env = {
            **os.environ,
            "HF_HUB_OFFLINE": "1",
            "PYTHONUNBUFFERED": "1",
            "LIVEREPLY_RATE_PER_S": "0.5",
            "LIVEREPLY_BURST": "1",
        }
        cmd = [
            EXE,
            "gateway",
            "--room",
            room.url,
            "--redis",
            REDIS_URL,
            "--stream-prefix",
            prefix,
            "--spool-dir",
            str(tmp_path),
            "--keep-running",
        ]
        log_path = tmp_path / "gateway.log"
        proc = _start(cmd, env, log_path)
        try:

            async def first() -> bool:
                return bool(room.replies) or proc.poll() is not None

            await _until(first, 30)
            await asyncio.sleep(1.2)
            return [t for t, _ in room.replies], log_path.read_text()
        finally:
            proc.send_signal(signal.SIGTERM)
            await asyncio.to_thread(proc.wait, 30)

    times, output = asyncio.run(main())
    assert len(times) == 1, output
    assert "at most 1 per 2 s per room" in output


# --------------------------------------------------------------------------------------------- 4. worker flags


@pytest.mark.parametrize(
    "flag",
    [
        ["--room", "ws://x"],
        ["--room-name", "x"],
        ["--log", "x.jsonl"],
        ["--speed", "2"],
        ["--encoder-process"],
        ["--transcript", "false"],
    ],
)
def test_the_worker_does_not_take_flags_it_would_ignore(flag: list[str], capsys) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["worker", "--stream-prefix", "lr:x", *flag])
    assert "unrecognized arguments" in capsys.readouterr().err


def test_the_worker_takes_quiet_and_livereply_transcript() -> None:
    args = build_parser().parse_args(["worker", "--stream-prefix", "lr:x", "--quiet"])
    assert args.transcript is False
    assert build_parser().parse_args(["worker", "--stream-prefix", "lr:x"]).transcript is None  # env, else on


# --------------------------------------------------------------------------------------------- 5. logs and errors


@pytest.mark.parametrize("command", [["gateway", "--room", "ws://127.0.0.1:1"], ["worker"]])
def test_a_redis_address_without_a_scheme_is_a_one_line_error(command: list[str], capsys) -> None:
    code = main([*command, "--stream-prefix", "lr:x", "--redis", "127.0.0.1:6379"])
    out, err = capsys.readouterr()
    assert code == 2
    assert err.startswith("livereply: error: --redis 127.0.0.1:6379: not a Redis URL") and "redis://" in err
    assert "Traceback" not in err and "model" not in out  # the worker stops before loading anything


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_a_redis_outage_is_logged_with_its_address_once_per_interval(tmp_path: Path, caplog) -> None:
    from bot.adapters.generic import RoomClient
    from bot.scale.gateway import Gateway

    port = _closed_port()

    async def main() -> None:
        async with _streams("lr:down", f"redis://:secret@127.0.0.1:{port}/0") as redis, _open_room() as room:
            spool = GatewaySpool(tmp_path / "s.jsonl")
            gateway = Gateway(RoomClient(room.url, room="x"), redis, "lr:down", spool=spool, stop_at_end=False)
            async with _running(gateway):
                await asyncio.sleep(3.0)

    with caplog.at_level(logging.WARNING, logger="bot.scale.gateway"):
        asyncio.run(main())
    lines = [r.getMessage() for r in caplog.records if "cannot read replies" in r.getMessage()]
    assert len(lines) == 1, lines  # was: one every 0.5 s
    assert f"127.0.0.1:{port}/0" in lines[0] and "secret" not in caplog.text


@pytest.mark.slow
def test_a_spool_left_by_an_earlier_run_is_drained_first_and_said_so(tmp_path: Path, caplog) -> None:
    from bot.adapters.generic import RoomClient
    from bot.scale.gateway import Gateway

    prefix = f"lr:p{uuid.uuid4().hex[:8]}"
    earlier = GatewaySpool(tmp_path / "s.jsonl")
    for i in range(3):
        earlier.add(encode_event(Comment(id=f"e{i}", user="u", text="早", ts=float(i), room=room_of(prefix))))

    async def main() -> list[str]:
        async with _streams(prefix) as redis, _open_room() as room:
            spool = GatewaySpool(tmp_path / "s.jsonl")
            gateway = Gateway(RoomClient(room.url, room=room_of(prefix)), redis, prefix, spool=spool, stop_at_end=False)

            async def drained() -> bool:  # the line is logged after the spool's last pop: wait for it too
                said = "spool left by an earlier run drained" in caplog.text
                return said and await redis.xlen(in_key(prefix)) >= 4 and not len(gateway.spool)

            async with _running(gateway):
                await _until(drained)
            return [decode_event(f)[0].id for _, f in await redis.xrange(in_key(prefix))]  # type: ignore[union-attr]

    with caplog.at_level(logging.WARNING, logger="bot.scale.gateway"):
        ids = asyncio.run(main())
    assert ids == ["e0", "e1", "e2", "c0"]  # the earlier run's events first, then the room's
    assert "holds 3 events left by an earlier run" in caplog.text
    assert "spool left by an earlier run drained: 3 events" in caplog.text


# --------------------------------------------------------------------------------------------- 6. dead consumers


@pytest.mark.slow
def test_a_worker_forgets_idle_consumers_that_hold_nothing() -> None:
    """A consumer idle past forget_idle_s with no pending entry (a stopped or dead worker whose entries were claimed)
    is deleted from the group; one that still holds an entry is kept (its entries would go with it)."""
    from bot.scale.gateway import ensure_group
    from bot.scale.worker import RedisRoom

    prefix = f"lr:f{uuid.uuid4().hex[:8]}"
    key = in_key(prefix)

    async def main() -> tuple[set[str], int]:
        async with _streams(prefix) as redis:
            await ensure_group(redis, key, WORKERS_GROUP)
            await redis.xadd(key, encode_event(Comment(id="c1", user="u", text="在吗", ts=0.0, room=room_of(prefix))))
            await redis.xreadgroup(WORKERS_GROUP, "holds-one", {key: ">"}, count=1)
            await redis.xgroup_createconsumer(key, WORKERS_GROUP, "holds-none")
            await asyncio.sleep(1.2)
            room = RedisRoom(
                redis,
                prefix,
                consumer="live",
                block_ms=100,
                claim_idle_s=60.0,
                claim_every_s=0.1,
                forget_idle_s=1.0,
                forget_every_s=0.1,
            )

            async def read() -> None:
                async for _ in room.events():
                    pass

            reader = asyncio.create_task(read())

            async def forgotten() -> bool:
                return "holds-none" not in {c["name"] for c in await redis.xinfo_consumers(key, WORKERS_GROUP)}

            await _until(forgotten, 10)
            await room.close()
            await asyncio.wait_for(reader, 10)
            names = {c["name"] for c in await redis.xinfo_consumers(key, WORKERS_GROUP)}
            return names, room.stats.forgotten_consumers

    names, forgotten = asyncio.run(main())
    assert names == {"live", "holds-one"} and forgotten == 1


# --------------------------------------------------------------------------------------------- 7. posted once


@pytest.mark.slow
def test_a_gateway_killed_between_a_post_and_its_ack_does_not_post_it_again(tmp_path: Path) -> None:
    """Issue 12: a redelivered comment never produces a second reply. A `livereply gateway` process is killed with
    SIGKILL right after its second post (the test hook, before it acknowledged that reply's entry), then started
    again on the same reply stream: every reply reaches the room exactly once (was: the second one twice)."""
    from bot.scale.gateway import KILL_AFTER_POSTS_ENV
    from bot.scale.streams import posted_mark_ttl_s

    prefix = f"lr:o{uuid.uuid4().hex[:8]}"
    root = Path(__file__).resolve().parents[1]  # this checkout's code, not the installed script's
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}

    def command(room_url: str) -> list[str]:
        return [sys.executable, "-m", "bot.cli", "gateway", "--room", room_url, "--redis", REDIS_URL,
                "--stream-prefix", prefix, "--spool-dir", str(tmp_path), "--keep-running"]

    async def main() -> tuple[list[str], int, int, dict, str]:
        async with _streams(prefix) as redis, _open_room() as room:
            ids = [await redis.xadd(out_key(prefix), _reply(f"答{i}", f"c{i}", room_of(prefix))) for i in range(3)]
            first = _start(command(room.url), {**env, KILL_AFTER_POSTS_ENV: "2"}, tmp_path / "gateway1.log")
            killed = await asyncio.wait_for(asyncio.to_thread(first.wait), 60)
            posted_before_restart = len(room.replies)
            second = _start(command(room.url), env, tmp_path / "gateway2.log")  # the restart: same room, same stream
            try:

                async def done() -> bool:
                    group = (await redis.xinfo_groups(out_key(prefix)))[0]
                    return group["last-delivered-id"] == ids[-1] and group["pending"] == 0

                await _until(done, 30)
                await asyncio.sleep(1.0)  # anything posted twice would arrive by now
            finally:
                second.send_signal(signal.SIGTERM)
                await asyncio.to_thread(second.wait, 30)
            texts = [r.text for _, r in room.replies]
            logs = (tmp_path / "gateway1.log").read_text() + (tmp_path / "gateway2.log").read_text()
            pending = await redis.xpending(out_key(prefix), "gateway")
            ttls = [await redis.ttl(f"{prefix}:posted:bot:c{i}") for i in range(3)]
            await _delete_marks(redis, prefix)
            return texts, killed, posted_before_restart, pending, logs, ttls

    texts, killed, posted_before_restart, pending, logs, ttls = asyncio.run(main())
    assert killed == -signal.SIGKILL and posted_before_restart == 2, logs  # the hook fired after the second post
    assert texts == ["答0", "答1", "答2"], (texts, logs)  # was: 答0 答1 答1 答2
    assert pending["pending"] == 0
    # each answered comment is marked, for a little longer than the reply age limit (60 s) plus a worker's XADD
    # retries (60 s): then the age check drops every entry of that reply
    assert all(120 < ttl <= posted_mark_ttl_s(60.0) == 180 for ttl in ttls), ttls


@pytest.mark.slow
def test_replies_read_again_after_the_group_was_recreated_are_not_posted_again(tmp_path: Path, caplog) -> None:
    """The reply stream's group deleted under a running gateway (NOGROUP): the gateway re-creates it from the start
    of the stream and reads every reply again. The ones it posted (younger than the age limit) are acknowledged and
    not posted a second time, with a log line; a new reply is posted. (Before the posted marks: all posted again.)"""
    from bot.adapters.generic import RoomClient
    from bot.scale.gateway import Gateway

    prefix = f"lr:g{uuid.uuid4().hex[:8]}"

    async def main() -> tuple[list[str], object, dict]:
        async with _streams(prefix) as redis, _open_room() as room:
            ids = [await redis.xadd(out_key(prefix), _reply(f"答{i}", f"c{i}", room_of(prefix))) for i in range(2)]
            gateway = Gateway(RoomClient(room.url, room=room_of(prefix)), redis, prefix,
                              spool=GatewaySpool(tmp_path / "s.jsonl"), stop_at_end=False, block_ms=100)
            try:
                async with _running(gateway):
                    await _until(lambda: _true(len(room.replies) >= 2))
                    await redis.xgroup_destroy(out_key(prefix), "gateway")

                    async def read_again() -> bool:
                        groups = await redis.xinfo_groups(out_key(prefix))
                        return bool(groups) and groups[0]["last-delivered-id"] == ids[-1] and groups[0]["pending"] == 0

                    await _until(read_again)
                    ids.append(await redis.xadd(out_key(prefix), _reply("答2", "c2", room_of(prefix))))
                    await _until(lambda: _true(gateway.stats.replies_posted >= 3))
                    await asyncio.sleep(0.5)  # anything posted twice would arrive by now
            finally:
                await _delete_marks(redis, prefix)
            return [r.text for _, r in room.replies], gateway.stats, await redis.xpending(out_key(prefix), "gateway")

    with caplog.at_level(logging.WARNING, logger="bot.scale.gateway"):
        texts, stats, pending = asyncio.run(main())
    assert texts == ["答0", "答1", "答2"]  # was: 答0 答1 答0 答1 答2
    assert stats.already_posted == 2 and stats.replies_posted == 3  # type: ignore[attr-defined]
    assert pending["pending"] == 0
    assert "re-creating the group" in caplog.text
    assert "not posted again: 2 replies already posted" in caplog.text


async def _true(value: bool) -> bool:
    return value


async def _delete_marks(redis: Any, prefix: str) -> None:
    marks = [k async for k in redis.scan_iter(f"{prefix}:posted:*")]
    if marks:
        await redis.delete(*marks)


async def _post_all(
    redis: Any, room: LocalRoom, prefix: str, entries: list[dict[str, str]], spool: Path, room_name: str
) -> tuple[list[tuple[tuple[str, ...], str]], Any, dict]:
    """XADD ``entries`` to the reply stream, run a real gateway into ``room`` until it consumed and acknowledged every
    one (plus 0.5 s: anything posted twice arrives by then); (what the room received, the gateway's stats, XPENDING).
    The posted marks are deleted afterwards, whatever happened."""
    from bot.adapters.generic import RoomClient
    from bot.scale.gateway import Gateway

    try:
        ids = [await redis.xadd(out_key(prefix), fields) for fields in entries]
        gateway = Gateway(RoomClient(room.url, room=room_name), redis, prefix,
                          spool=GatewaySpool(spool), stop_at_end=False, block_ms=100)
        async with _running(gateway):

            async def done() -> bool:
                groups = await redis.xinfo_groups(out_key(prefix))
                return bool(groups) and groups[0]["last-delivered-id"] == ids[-1] and groups[0]["pending"] == 0

            await _until(done)
            await asyncio.sleep(0.5)
    finally:
        await _delete_marks(redis, prefix)
    pending = await redis.xpending(out_key(prefix), "gateway")
    return [(r.reply_to, r.text) for _, r in room.replies], gateway.stats, pending


@pytest.mark.slow
def test_a_reply_xadded_twice_by_a_retrying_worker_is_posted_once(tmp_path: Path, caplog) -> None:
    """Issue 12, the worker's side: a worker whose reply XADD timed out after Redis had stored it retries
    (bot/scale/worker.py ``send``), so the same reply — same fields, same comment — sits in ``<prefix>:out`` twice
    under two entry ids. A real gateway posting into a real local room answers that comment once (was: twice, the
    per-entry mark does not see that both entries are one reply); the other comment's reply is posted."""
    prefix = f"lr:x{uuid.uuid4().hex[:8]}"

    async def main() -> tuple[list[tuple[tuple[str, ...], str]], Any, dict]:
        async with _streams(prefix) as redis, _open_room() as room:
            fields = _reply("有的，XL还有3件", "c7", room_of(prefix))
            entries = [fields, fields, _reply("包邮", "c8", room_of(prefix))]  # the XADD, its retry, another reply
            return await _post_all(redis, room, prefix, entries, tmp_path / "s.jsonl", room_of(prefix))

    with caplog.at_level(logging.WARNING, logger="bot.scale.gateway"):
        posted, stats, pending = asyncio.run(main())
    assert posted == [(("c7",), "有的，XL还有3件"), (("c8",), "包邮")], posted  # was: c7 answered twice
    assert stats.replies_posted == 2 and stats.already_posted == 1  # type: ignore[attr-defined]
    assert pending["pending"] == 0  # the duplicate is acknowledged, not left pending
    assert "not posted again: 1 replies already posted" in caplog.text


@pytest.mark.slow
def test_staff_answers_merged_replies_and_announcements_are_told_apart_from_duplicates(tmp_path: Path, caplog) -> None:
    """The posted marks are per comment and per kind of reply (``streams.posted_who``), so the gateway suppresses a
    reply only when it is one already posted: a staff "answer now" to a comment the bot answered is posted, and the
    bot's mark never suppresses it (nor the staff mark a bot answer); staff may answer one comment twice with
    different texts, the same staff reply sent twice is posted once; a bot reply to a comment already answered is
    not posted; a merged reply to [c1, c2] when c1 was answered is posted to c2 only; a scheduled message's id
    (``sched:1:1``, a worker's counter) repeated by another worker is posted, its retried XADD is not."""
    from bot.announcements import ANSWER_PRIORITY, SCHEDULED_PRIORITY, STAFF_PRIORITY

    prefix = f"lr:k{uuid.uuid4().hex[:8]}"
    room_name = room_of(prefix)

    def entry(ids: tuple[str, ...], text: str, priority: int, ts: float = 0.0) -> dict[str, str]:
        return encode_reply(Reply(reply_to=ids, text=text, lang="zh", room=room_name, ts=ts or time.time(),
                                  users=("u1",), priority=priority))

    staff = entry(("c1",), "XL还有2件，已帮您留", STAFF_PRIORITY)
    sched = entry(("sched:1:1",), "下单满199包邮", SCHEDULED_PRIORITY, ts=1_000.0)
    entries = [
        entry(("c0",), "staff first", STAFF_PRIORITY),  # staff answers c0 before the bot does
        entry(("c0",), "有的", ANSWER_PRIORITY),  # posted: a staff mark does not suppress the bot
        entry(("c1",), "有的，XL还有3件", ANSWER_PRIORITY),  # posted
        staff,  # posted: staff answering a comment the bot answered
        staff,  # the same staff reply again (a retried XADD): not posted
        entry(("c1",), "补充：明天发货", STAFF_PRIORITY),  # posted: a second, different staff answer
        entry(("c1",), "有的，XL还有2件", ANSWER_PRIORITY),  # c1 decided again by the bot: not posted
        entry(("c1", "c2"), "有的，XL还有3件", ANSWER_PRIORITY),  # merged, c1 answered: posted to c2 only
        sched,  # posted
        entry(("sched:1:1",), "下单满199包邮", SCHEDULED_PRIORITY, ts=2_000.0),  # another worker's: posted
        sched,  # the retried XADD: not posted
    ]

    async def main() -> tuple[list[tuple[tuple[str, ...], str]], Any, dict]:
        async with _streams(prefix) as redis, _open_room() as room:
            return await _post_all(redis, room, prefix, entries, tmp_path / "s.jsonl", room_name)

    with caplog.at_level(logging.WARNING, logger="bot.scale.gateway"):
        posted, stats, pending = asyncio.run(main())
    assert posted == [
        (("c0",), "staff first"),
        (("c0",), "有的"),
        (("c1",), "有的，XL还有3件"),
        (("c1",), "XL还有2件，已帮您留"),
        (("c1",), "补充：明天发货"),
        (("c2",), "有的，XL还有3件"),
        (("sched:1:1",), "下单满199包邮"),
        (("sched:1:1",), "下单满199包邮"),
    ], posted
    assert stats.replies_posted == 8 and stats.already_posted == 3 and stats.partly_posted == 1  # type: ignore[attr-defined]
    assert pending["pending"] == 0
    assert "reply posted for c2 only: c1 answered already" in caplog.text


# --------------------------------------------------------------------------------------------- 8. an XACK cancelled


def test_an_xack_cancelled_mid_flight_is_sent_with_the_next_ack() -> None:
    """A worker's ack cancelled while its XACK waits on Redis (here: writes paused with CLIENT PAUSE) keeps the entry
    ids for the next ack; they were dropped from the lease first and stayed pending until another worker claimed them
    (and replayed their stock/order events)."""
    from redis.asyncio import Redis

    from bot.scale.gateway import ensure_group
    from bot.scale.worker import RedisRoom

    prefix = f"lr:x{uuid.uuid4().hex[:8]}"
    key = in_key(prefix)

    async def main() -> tuple[int, int, int]:
        async with _streams(prefix) as redis:
            admin = Redis.from_url(REDIS_URL)
            try:
                await ensure_group(redis, key, WORKERS_GROUP)
                for i in range(2):
                    event = Comment(id=f"c{i}", user="u", text="在吗", ts=0.0, room=room_of(prefix))
                    await redis.xadd(key, encode_event(event))
                room = RedisRoom(redis, prefix, consumer="w1", block_ms=100, claim_idle_s=60.0)
                seqs: list[int] = []

                async def read() -> None:
                    async for event in room.events():
                        seqs.append(event.seq)
                        if len(seqs) == 2:
                            return

                await asyncio.wait_for(read(), 10)
                await admin.execute_command("CLIENT", "PAUSE", "3000", "WRITE")
                try:
                    ack = asyncio.create_task(room.ack(max(seqs)))
                    await asyncio.sleep(0.3)
                    ack.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await ack
                finally:
                    await admin.execute_command("CLIENT", "UNPAUSE")
                await asyncio.sleep(0.3)
                after_cancel = (await admin.xpending(key, WORKERS_GROUP))["pending"]
                await room.ack(max(seqs))
                after_next = (await admin.xpending(key, WORKERS_GROUP))["pending"]
                await room.close()
                return len(room._unacked), after_cancel, after_next
            finally:
                await admin.aclose()

    unacked, after_cancel, after_next = asyncio.run(main())
    assert after_cancel == 2  # the cancelled XACK did not reach Redis
    assert after_next == 0 and unacked == 0  # the next ack sent it
