"""LocalRoom.pause / resume: a paused room sends nothing and its show clock stands still (real socket on 127.0.0.1)."""

from __future__ import annotations

import asyncio

from websockets.asyncio.client import connect

from bot.messages import Comment
from bot.protocol import Hello, decode_inbound, encode_hello
from bot.room import LocalRoom


def _comments(n: int) -> list[Comment]:
    return [Comment(id=f"c{i}", user="u", text=f"hi {i}", ts=i * 0.01) for i in range(n)]


def test_paused_room_sends_nothing_until_resumed():
    async def scenario() -> tuple[int, int, bool]:
        room = LocalRoom(_comments(5), speed=0, drain_s=0.5)
        room.pause()
        await room.start()
        received: list[str] = []
        async with connect(room.url) as ws:
            await ws.send(encode_hello(Hello(client="test", room="local", features=())))
            # while paused: nothing arrives, whatever the wait
            try:
                while True:
                    frame = await asyncio.wait_for(ws.recv(), 0.3)
                    event = decode_inbound(frame)
                    if isinstance(event, Comment):
                        received.append(event.id)
            except TimeoutError:
                pass
            during_pause, paused = len(received), room.paused
            room.resume()
            while len(received) < 5:
                event = decode_inbound(await asyncio.wait_for(ws.recv(), 5))
                if isinstance(event, Comment):
                    received.append(event.id)
        await room.stop()
        return during_pause, len(received), paused

    during_pause, after, paused = asyncio.run(scenario())
    assert paused
    assert during_pause == 0
    assert after == 5
