"""RoomClient ⇄ LocalRoom over real websockets on 127.0.0.1, plus the replay-log reader."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import time
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from bot import __version__
from bot.adapters.generic import RoomClient
from bot.messages import Comment, EndOfStream, InboundEvent, Order, ProtocolError, Reply, Stage, StockUpdate
from bot.protocol import MAX_FRAME_BYTES, Hello, encode_reply
from bot.room import LocalRoom, LogFileError, load_expectations, load_log, serve_room
from tests.live_bot import free_port

pytestmark = pytest.mark.timeout(60)

DEADLINE = 20.0  # seconds: no single scenario may take longer


def run(coro):
    async def guarded():
        return await asyncio.wait_for(coro, DEADLINE)

    return asyncio.run(guarded())


def comments(n: int, *, spacing: float = 0.0, start: float = 0.0) -> list[Comment]:
    return [Comment(id=f"c{i:03d}", user=f"u{i % 3}", text=f"多少钱 {i}", ts=start + i * spacing) for i in range(n)]


def reply_to(comment: Comment, text: str = "199元") -> Reply:
    return Reply(reply_to=(comment.id,), text=text, lang="zh", users=(comment.user,), ts=comment.ts)


async def consume(client: RoomClient, *, answer: bool = True, on_event=None, ack: bool = True) -> list[InboundEvent]:
    """Iterate client.events() like the service does, answering every comment and acknowledging it.
    Events are returned without their delivery ``seq`` (compared with the events the test built)."""
    got: list[InboundEvent] = []
    async for event in client.events():
        seq = event.seq
        event = dataclasses.replace(event, seq=None)
        got.append(event)
        if on_event is not None:
            await on_event(event, got)
        if answer and isinstance(event, Comment):
            await client.send(reply_to(event))
        if ack and seq is not None:
            await client.ack(seq)
    return got



async def wait_until(predicate, within_s: float = 5.0) -> None:
    deadline = time.monotonic() + within_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.005)


# ------------------------------------------------------------------------------------ replay end to end


def test_room_replays_a_log_and_collects_replies_with_latency(tmp_path):
    log_file = tmp_path / "show.jsonl"
    log_file.write_text(
        "\n".join(
            [
                '{"ts": 0, "type": "stage", "product_id": "tee"}',
                '{"ts": 0.02, "user": "u017", "text": "有XL码吗", "expect": "faq:tee-size"}',
                '{"ts": 0.04, "user": "u018", "text": "do you ship to Canada?", "lang": "en", "id": "ship-1"}',
                '{"ts": 0.05, "type": "stock", "sku": "TEE-WHT-XL", "stock": 0}',
                '{"ts": 0.06, "type": "order", "order_id": "o1", "sku": "TEE-BLK-M", "qty": 2, "user": "u4"}',
                '{"ts": 0.03, "user": "u019", "text": "多少钱"}',
            ]
        )
        + "\n",
        encoding="utf-8",
    )

    async def scenario():
        room = LocalRoom(log_file, speed=1.0, drain_s=5.0, room="shop-1")
        port = await room.start()
        assert room.url == f"ws://127.0.0.1:{port}"
        client = RoomClient(room.url, room="shop-1")
        got = await consume(client)
        await client.close()  # the room stops draining as soon as the bot leaves
        started = time.monotonic()
        await room.wait_finished()
        assert time.monotonic() - started < 2.0
        await room.stop()
        return room, client, got

    room, client, got = run(scenario())

    # events arrive in ts order, stamped with the client's room, ending with EndOfStream
    assert [type(e).__name__ for e in got] == ["Stage", "Comment", "Comment", "Comment", "StockUpdate", "Order", "EndOfStream"]
    assert [e.id for e in got if isinstance(e, Comment)] == ["c00002", "c00006", "ship-1"]
    assert got[0] == Stage(product_id="tee", ts=0.0, room="shop-1")
    assert got[4] == StockUpdate(sku="TEE-WHT-XL", stock=0, ts=0.05, room="shop-1")
    assert got[5] == Order(order_id="o1", sku="TEE-BLK-M", qty=2, ts=0.06, user="u4", room="shop-1")
    assert got[-1] == EndOfStream(ts=0.06, room="shop-1")

    # the room got the bot's hello and one reply per comment, with a measured latency
    assert room.hellos == [Hello(client="livereply", version=__version__, room="shop-1", features=("ack",))]
    assert [r.reply_to for _, r in room.replies] == [("c00002",), ("c00006",), ("ship-1",)]
    assert all(r.room == "shop-1" and r.text == "199元" for _, r in room.replies)
    latencies = room.latencies()
    assert set(latencies) == {"c00002", "c00006", "ship-1"}
    assert all(0 <= v < 2.0 for v in latencies.values())
    assert room.malformed == 0 and room.connections == 1 and room.cursor == len(room.events)

    # the client ignored the room's hello and counted everything
    assert client.peer_hello is not None and client.peer_hello.room == "shop-1"
    assert client.stats.received == 7 and client.stats.sent == 3 and client.stats.malformed == 0
    assert client.stats.ignored == 1 and client.stats.reconnects == 0


def test_replay_honours_speed():
    events = [Comment(id=name, user="u", text="x", ts=ts) for name, ts in (("a", 10.0), ("b", 10.3), ("c", 10.6))]

    async def scenario():
        room = LocalRoom(events, speed=2.0, drain_s=0.2)
        await room.start()
        client = RoomClient(room.url)
        connected_at = time.monotonic()  # the show clock starts when the bot connects, not earlier
        await consume(client, answer=False)
        await client.close()
        await room.wait_finished()
        await room.stop()
        return {cid: t - connected_at for cid, t in room.sent_at.items()}

    offsets = run(scenario())
    # at 2x, 0.3 s and 0.6 s of show time are 0.15 s and 0.3 s: never earlier, not much later
    assert offsets["a"] < offsets["b"] < offsets["c"]
    assert offsets["b"] >= 0.15 and offsets["c"] >= 0.3
    assert offsets["c"] < 1.5


def test_room_waits_drain_s_for_late_replies_after_end():
    events = comments(2)

    async def scenario():
        room = LocalRoom(events, speed=0, drain_s=1.0)
        await room.start()
        client = RoomClient(room.url)
        got = await consume(client, answer=False)
        assert isinstance(got[-1], EndOfStream)
        await asyncio.sleep(0.3)  # "thinking" after the end of the show
        assert not room.finished
        await client.send(reply_to(events[0], "late answer"))
        await room.wait_finished()  # ends after drain_s although the bot stays connected
        await client.close()
        await room.stop()
        return room

    room = run(scenario())
    assert [r.text for _, r in room.replies] == ["late answer"]
    assert room.latencies()["c000"] >= 0.3


# ------------------------------------------------------------------------------------ reconnect


def _bulky_comments(n: int) -> list[Comment]:
    filler = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(1500))  # ~4.5 KB of UTF-8
    return [Comment(id=f"c{i:04d}", user=f"u{i % 7}", text=f"{i} {filler}", ts=0.0) for i in range(n)]


@pytest.mark.parametrize(
    ("events", "speed", "drop_at"),
    [
        # paced replay: the drops happen while the room sleeps between events
        (comments(40, spacing=0.01), 1.0, (10, 25)),
        # flooding replay (~7 MB): the room is blocked on a full socket when the drop happens, so
        # its next sends fail on the closing connection and must be retried on the next one
        (_bulky_comments(1500), 0.0, (10,)),
    ],
    ids=["paced", "flooding"],
)
def test_room_drop_mid_stream_client_reconnects_and_replay_resumes_exactly_once(events, speed, drop_at):
    async def scenario():
        room = LocalRoom(events, speed=speed, drain_s=0.5)
        await room.start()
        client = RoomClient(room.url, backoff_initial=0.05, backoff_max=0.2)

        drops = []

        async def drop_twice(event, got):
            # drop at (at least) the drop_at-th events, each time on a live connection
            if len(drops) < len(drop_at) and len(got) >= drop_at[len(drops)] and client.connected and room.connected:
                drops.append(room.cursor)  # events the room had sent when it dropped us
                await room.drop_client()

        got = await consume(client, on_event=drop_twice)
        await client.close()
        await room.wait_finished()
        await room.stop()
        return room, client, got, drops

    room, client, got, drops = run(scenario())
    assert got[:-1] == events  # every event exactly once, in order
    assert isinstance(got[-1], EndOfStream)
    assert len(drops) == len(drop_at) and all(10 <= sent < len(events) for sent in drops)  # really mid-stream
    assert client.stats.reconnects == len(drop_at) and room.connections == len(drop_at) + 1
    assert len(room.hellos) == len(drop_at) + 1  # hello on every connect
    assert sorted(cid for _, r in room.replies for cid in r.reply_to) == [c.id for c in events]


def test_abrupt_network_failure_client_reconnects_and_replay_resumes():
    events = comments(12, spacing=0.03)

    async def scenario():
        room = LocalRoom(events, speed=1.0, drain_s=0.5)
        await room.start()
        client = RoomClient(room.url, backoff_initial=0.05, backoff_max=0.2)

        async def abort(event, got):
            if isinstance(event, Comment) and event.id == "c004":
                await room.drop_client(abrupt=True)  # TCP abort, no closing handshake

        # no replies: with unread data in the room's socket the kernel would answer the abort with
        # a RST, which may discard frames still unread on the client side
        got = await consume(client, answer=False, on_event=abort)
        await client.close()
        await room.wait_finished()
        await room.stop()
        return room, client, got

    room, client, got = run(scenario())
    assert got[:-1] == events
    assert room.sent_at.keys() == {c.id for c in events}
    assert client.stats.reconnects == 1 and room.connections == 2


def test_replies_sent_while_disconnected_are_queued_and_flushed_after_reconnect():
    events = comments(6, spacing=0.05)

    async def scenario():
        room = LocalRoom(events, speed=1.0, drain_s=1.0)
        await room.start()
        client = RoomClient(room.url, backoff_initial=0.3, backoff_max=0.3)  # leaves time to send while down

        async def drop_then_answer(event, got):
            if isinstance(event, Comment) and event.id == "c002":
                await room.drop_client()
                await wait_until(lambda: not client.connected)
                await client.send(reply_to(event, "queued while offline"))
                assert client.unsent and client.stats.queued == 1

        got = await consume(client, answer=False, on_event=drop_then_answer)
        assert not client.unsent
        await client.close()
        await room.wait_finished()
        await room.stop()
        return room, client, got

    room, client, got = run(scenario())
    assert got[:-1] == events
    assert [(r.reply_to, r.text) for _, r in room.replies] == [(("c002",), "queued while offline")]
    assert client.stats.sent == 1 and client.stats.reconnects == 1


def test_client_retries_until_the_room_comes_up():
    port = free_port()
    events = comments(3)

    async def scenario():
        client = RoomClient(f"ws://127.0.0.1:{port}", backoff_initial=0.05, backoff_max=0.1)
        consumer = asyncio.create_task(consume(client))
        await wait_until(lambda: client.stats.connect_failures >= 2)
        room = LocalRoom(events, port=port, speed=0, drain_s=0.5)
        await room.start()
        got = await consumer
        await client.close()
        await room.wait_finished()
        await room.stop()
        return client, got

    client, got = run(scenario())
    assert got[:-1] == events
    assert client.stats.connect_failures >= 2 and client.stats.connects == 1


def test_without_reconnect_connection_errors_are_raised():
    async def scenario():
        client = RoomClient(f"ws://127.0.0.1:{free_port()}", reconnect=False)
        with pytest.raises(OSError):
            await consume(client)

    run(scenario())


def test_close_interrupts_backoff_and_ends_events():
    async def scenario():
        client = RoomClient(f"ws://127.0.0.1:{free_port()}", backoff_initial=5.0, backoff_max=5.0)
        consumer = asyncio.create_task(consume(client))
        await wait_until(lambda: client.stats.connect_failures >= 1)
        started = time.monotonic()
        await client.close()
        got = await consumer
        assert got == []
        assert time.monotonic() - started < 1.0

    run(scenario())


def test_outbox_is_bounded_and_reports_what_it_drops(caplog):
    async def scenario():
        client = RoomClient("ws://127.0.0.1:9", max_outbox=2)  # never connected
        cs = comments(3)
        with caplog.at_level(logging.ERROR, logger="bot.adapters.generic"):
            for c in cs:
                await client.send(reply_to(c))
        assert [r.reply_to for r in client.unsent] == [("c001",), ("c002",)]
        assert client.stats.dropped == 1 and client.stats.queued == 3
        assert "dropped reply to c000" in caplog.text
        with pytest.raises(ProtocolError):
            await client.send(Reply(reply_to=(), text="x", lang="zh"))
        assert len(client.unsent) == 2
        await client.close()

    run(scenario())


# ------------------------------------------------------------------------------------ malformed frames


def test_malformed_frames_from_the_room_are_counted_and_skipped():
    events = comments(8, spacing=0.04)
    bad_frames: list[str | bytes] = [
        "not json at all",
        '{"type":"poll","ts":1}',
        '{"type":"comment","user":"u1","text":"no id","ts":1}',
        '{"type":"order","order_id":"o9","sku":"S","qty":-3,"ts":1}',
        b'{"type":"comment","id":"c9","user":"u","text":"\xff","ts":1}',  # binary frame, invalid UTF-8
        json.dumps({"type": "comment", "id": "big", "user": "u", "text": "x" * MAX_FRAME_BYTES, "ts": 1}),
        "[1, 2, 3]",
    ]

    async def scenario():
        room = LocalRoom(events, speed=1.0, drain_s=0.5)
        await room.start()
        client = RoomClient(room.url)

        async def inject(event, got):
            if isinstance(event, Comment) and event.id == "c001":
                for frame in bad_frames:
                    await room.send_raw(frame)
                await room.send_raw('{"type":"hello","client":"platform-x"}')

        got = await consume(client, on_event=inject)
        await client.close()
        await room.wait_finished()
        await room.stop()
        return room, client, got

    room, client, got = run(scenario())
    assert got[:-1] == events  # nothing lost, nothing invented
    assert client.stats.malformed == len(bad_frames)
    assert client.stats.ignored == 2  # the room's own hello + the injected one
    assert client.peer_hello == Hello(client="platform-x")
    assert client.stats.reconnects == 0  # malformed frames never cost the connection
    assert len(room.replies) == len(events)


def test_malformed_frames_from_the_bot_are_logged_not_fatal(caplog):
    events = comments(3, spacing=0.1)

    async def scenario():
        room = LocalRoom(events, speed=1.0, drain_s=0.3)
        await room.start()
        async with connect(room.url) as ws:  # a misbehaving bot, raw websocket
            await ws.send("garbage")
            await ws.send('{"type":"reply","reply_to":[],"text":"x","lang":"zh","ts":1}')
            await ws.send(b"\xc3\x28")
            await ws.send(encode_reply(Reply(reply_to=("c000",), text="fine", lang="zh", ts=1.0)))
            received = []
            async for frame in ws:
                received.append(json.loads(frame)["type"])
                if received[-1] == "end":
                    break
        await room.wait_finished()
        await room.stop()
        return room, received

    with caplog.at_level(logging.WARNING, logger="bot.room"):
        room, received = run(scenario())
    assert received == ["hello", "comment", "comment", "comment", "end"]
    assert room.malformed == 3
    assert [r.text for _, r in room.replies] == ["fine"]
    assert "malformed frame from the bot" in caplog.text


def test_a_new_connection_replaces_the_previous_one():
    events = comments(30, spacing=0.02)

    async def scenario():
        room = LocalRoom(events, speed=1.0, drain_s=0.3)
        room.hello_timeout_s = 0.3  # the first "bot" is a raw socket that never says hello
        await room.start()
        first = await connect(room.url)
        frames = [json.loads(await first.recv()) for _ in range(3)]  # hello + two comments
        client = RoomClient(room.url)
        got = await consume(client, answer=False)
        try:  # whatever reached the first bot before it was replaced
            async for frame in first:
                frames.append(json.loads(frame))
        except ConnectionClosed:
            pass
        await client.close()
        await room.wait_finished()
        await room.stop()
        return frames, got, first.close_code

    frames, got, close_code = run(scenario())
    assert close_code == 1008
    assert [f["type"] for f in frames[:3]] == ["hello", "comment", "comment"]
    seen_first = [f["id"] for f in frames[1:]]
    seen_second = [e.id for e in got if isinstance(e, Comment)]
    assert seen_first and seen_first == [c.id for c in events][: len(seen_first)]
    # the first bot acknowledged nothing, so the acknowledging second bot gets everything again, in order
    assert seen_second == [c.id for c in events]


# ------------------------------------------------------------------------------------ serve_room


def test_serve_room_runs_a_log_to_completion(tmp_path):
    log_file = tmp_path / "mini.jsonl"
    log_file.write_text('{"ts": 0, "user": "u1", "text": "多少钱"}\n{"ts": 0.01, "user": "u2", "text": "有M码吗"}\n')
    port = free_port()
    seen: list[tuple[float, Reply]] = []

    async def scenario():
        server = asyncio.create_task(
            serve_room(log_file, 0, "127.0.0.1", port, on_reply=lambda t, r: seen.append((t, r)), drain_s=3.0)
        )
        client = RoomClient(f"ws://127.0.0.1:{port}", backoff_initial=0.05, backoff_max=0.1)
        got = await consume(client)
        await client.close()
        room = await server
        return room, got

    room, got = run(scenario())
    assert [e.id for e in got if isinstance(e, Comment)] == ["c00001", "c00002"]
    assert room.finished and len(room.replies) == 2
    assert seen == room.replies


# ------------------------------------------------------------------------------------ log files


def write(tmp_path: Path, *lines: str | bytes) -> Path:
    path = tmp_path / "log.jsonl"
    path.write_bytes(b"\n".join(line if isinstance(line, bytes) else line.encode("utf-8") for line in lines) + b"\n")
    return path


def test_load_log_reads_every_event_kind_with_default_ids(tmp_path):
    path = write(
        tmp_path,
        '{"ts":0,"type":"stage","product_id":"stroller-a1"}',
        '{"ts": 3.2, "user": "u017", "text": "这个推车多重", "expect": "faq:weight"}',
        "",
        '{"ts": 3.5, "user": "u018", "text": "ship to Canada?", "lang": "en", "id": "x1", "product_id": "tee"}',
        '{"ts": 4, "type": "order", "order_id": "o1", "sku": "TEE-BLK-M", "qty": 1}',
        '{"ts": 5, "type": "stock", "sku": "TEE-BLK-M", "stock": 7}',
        '{"ts": 5.5, "user": "u019", "text": "👍"}',
        '{"ts": 9, "type": "end"}',
    )
    events = load_log(path, room="r")
    assert events == [
        Stage(product_id="stroller-a1", ts=0.0, room="r"),
        Comment(id="c00002", user="u017", text="这个推车多重", ts=3.2, room="r"),
        Comment(id="x1", user="u018", text="ship to Canada?", ts=3.5, room="r", lang="en", product_id="tee"),
        Order(order_id="o1", sku="TEE-BLK-M", qty=1, ts=4.0, room="r"),
        StockUpdate(sku="TEE-BLK-M", stock=7, ts=5.0, room="r"),
        Comment(id="c00007", user="u019", text="👍", ts=5.5, room="r"),
        EndOfStream(ts=9.0, room="r"),
    ]
    assert load_expectations(path) == {"c00002": "faq:weight"}
    # the room sorts by ts, keeps one end, and uses the log's end time
    room = LocalRoom(path)
    assert room.events[-1] == EndOfStream(ts=9.0, seq=len(room.events))
    assert sum(isinstance(e, EndOfStream) for e in room.events) == 1


def test_local_room_sorts_events_by_ts_stably():
    a = Comment(id="a", user="u", text="1", ts=2.0)
    b = Comment(id="b", user="u", text="2", ts=1.0)
    c = Comment(id="c", user="u", text="3", ts=2.0)
    room = LocalRoom([a, b, c])
    assert [e.id for e in room.events[:-1]] == ["b", "a", "c"]
    assert room.events[-1] == EndOfStream(ts=2.0, seq=4)
    assert [e.seq for e in room.events] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("lines", "line_no", "reason"),
    [
        (['{"ts": 0, "user": "u1", "text": "ok"}', '{"ts": 1, "user": "u2", "text": '], 2, "not valid JSON"),
        (['["ts", 1]'], 1, "must be a JSON object"),
        (['{"ts": 0, "user": "u1", "text": "ok"}', "", '{"ts": 1, "text": "no user"}'], 3, "missing field 'user'"),
        (['{"user": "u1", "text": "no ts"}'], 1, "missing field 'ts'"),
        (['{"ts": 0, "type": "order", "order_id": "o1", "sku": "S", "qty": -1}'], 1, "'qty' must be >= 1"),
        (['{"ts": 0, "type": "refund"}'], 1, "unknown frame type 'refund'"),
        (['{"ts": 0, "type": "hello"}'], 1, "not a log event"),
        (['{"ts": 0, "type": "stage", "product_id": "p", "expect": "x"}'], 1, "'expect' is only allowed on comments"),
        (['{"ts": 0, "user": "u1", "text": "a", "id": "c00002"}', '{"ts": 1, "user": "u1", "text": "b"}'], 2,
         "duplicate comment id 'c00002' (first on line 1)"),
        ([b'{"ts": 0, "user": "u1", "text": "\xe5\xa4"}'], 1, "not valid UTF-8"),
    ],
)
def test_bad_log_lines_raise_with_file_and_line(tmp_path, lines, line_no, reason):
    path = write(tmp_path, *lines)
    with pytest.raises(LogFileError) as info:
        load_log(path)
    assert info.value.line == line_no
    assert reason in info.value.reason
    assert str(info.value).startswith(f"{path}:{line_no}: ")
    with pytest.raises(LogFileError):
        LocalRoom(path)
