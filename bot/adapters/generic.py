"""Websocket adapter for the generic JSON room protocol (thin I/O around :mod:`bot.protocol`).

    client = RoomClient("ws://127.0.0.1:8765", room="shop-1")
    async for event in client.events():      # connects, says hello, reconnects on drops
        ...
        await client.send(reply)             # queued while disconnected, flushed on reconnect
    await client.close()

Delivery: frames are sent at most once over a connection; a reply that cannot be handed to an open
connection is kept in a bounded outbox and sent first after the next (re)connect. The outbox
drops its oldest reply only when full, and says so in the log and in ``stats.dropped``.

Inbound delivery contract (docs/protocol.md, "Delivery"): the bot's hello announces the ``ack``
feature; the live loop calls :meth:`RoomClient.ack` with the highest ``seq`` it has recorded, and a
room that speaks the contract re-sends every frame after the last acknowledged one on the next
connection. Frames re-sent while this client already holds them (``seq`` at or below the highest
seen in the same room session) are skipped here and counted in ``stats.duplicates``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

from bot.adapters.backoff import ReconnectLoop, check_backoff
from bot.adapters.capabilities import Capabilities
from bot.adapters.reachability import Reachability
from bot.adapters.wsconnect import open_websocket
from bot.messages import EndOfStream, InboundEvent, ModerationAction, ModerationResult, ProtocolError, Reply
from bot.protocol import (
    FEATURE_MODERATE,
    MAX_FRAME_BYTES,
    Ack,
    Hello,
    bot_hello,
    decode_inbound,
    encode_ack,
    encode_hello,
    encode_moderate,
    encode_reply,
)

__all__ = ["ClientStats", "RoomClient"]

log = logging.getLogger(__name__)

# Frames up to this size are read and then rejected by the codec (counted as malformed) instead of
# making the websockets library close the connection.
_WS_MAX_SIZE = 16 * MAX_FRAME_BYTES
PING_TIMEOUT_S = 60.0


@dataclass(slots=True)
class ClientStats:
    connects: int = 0  # successful connections (the first one included)
    reconnects: int = 0  # successful connections after a drop
    connect_failures: int = 0
    received: int = 0  # events yielded
    malformed: int = 0  # frames rejected by the codec (logged, skipped)
    ignored: int = 0  # well-formed frames the bot ignores (the room's hello)
    sent: int = 0  # replies handed to an open connection
    queued: int = 0  # replies that went through the outbox because we were disconnected
    dropped: int = 0  # replies dropped because the outbox was full (logged)
    duplicates: int = 0  # re-delivered frames (seq already seen in this room session) skipped
    acks_sent: int = 0


class RoomClient:
    """Connects to a room, yields its events, posts replies back."""

    def __init__(
        self,
        url: str,
        *,
        room: str = "local",
        reconnect: bool = True,
        backoff_initial: float = 0.2,
        backoff_max: float = 5.0,
        max_outbox: int = 1000,
        open_timeout: float = 10.0,
        close_timeout: float = 2.0,
    ) -> None:
        check_backoff(backoff_initial, backoff_max)
        if max_outbox < 1:
            raise ValueError("max_outbox must be >= 1")
        self.url = url
        self.room = room
        self.reconnect = reconnect
        self.reachability = Reachability()  # its listener: `livereply run`'s line when the room cannot be reached
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.open_timeout = open_timeout
        self.close_timeout = close_timeout  # a room that does not answer our close (its frames unread) is cut off
        self.stats = ClientStats()
        self.peer_hello: Hello | None = None

        self._outbox: deque[Reply] = deque()
        self._max_outbox = max_outbox
        self._ws: ClientConnection | None = None
        self._closing = asyncio.Event()
        self._running = False
        self._flushing = False
        self._session: str | None = None  # the room's delivery session (from its hello)
        self._max_seq = 0  # highest seq yielded in this session
        self._acked = 0  # highest seq acknowledged in this session
        self._reack = False

    # ------------------------------------------------------------------ state

    @property
    def connected(self) -> bool:
        return self._ws is not None and self._ws.state is State.OPEN

    @property
    def unsent(self) -> tuple[Reply, ...]:
        """Replies waiting in the outbox (not yet handed to a connection)."""
        return tuple(self._outbox)

    @property
    def capabilities(self) -> Capabilities:
        """Posting always; moderation when the room's hello announced the ``moderate`` feature."""
        hello = self.peer_hello
        moderates = hello is not None and FEATURE_MODERATE in hello.features
        return Capabilities(
            "generic", can_post=True, can_moderate=frozenset({"delete", "timeout"}) if moderates else frozenset()
        )

    # ------------------------------------------------------------------ events

    async def events(self) -> AsyncIterator[InboundEvent]:
        """Yield inbound events until EndOfStream (which is yielded) or :meth:`close`.

        With ``reconnect=True`` connection failures and drops are retried forever with exponential
        backoff and jitter; with ``reconnect=False`` they are raised. The connection is left open
        after EndOfStream so late replies can still be sent; call :meth:`close` when done.
        """
        if self._running:
            raise RuntimeError("events() is already being iterated")
        self._running = True
        reconnect = ReconnectLoop(self._closing, self.backoff_initial, self.backoff_max)
        try:
            async with contextlib.aclosing(reconnect.sessions(self._connect)) as sessions:
                async for ws in sessions:
                    try:
                        async for frame in ws:
                            event = self._decode(frame)
                            if event is None:
                                if self._reack:  # same room session: the last ack may have died with the old connection
                                    self._reack = False
                                    await self._send_ack()
                                continue
                            seq = event.seq
                            if seq is not None:
                                if seq <= self._max_seq:
                                    self.stats.duplicates += 1
                                    log.debug("re-delivered frame seq=%d skipped (already have up to %d)", seq, self._max_seq)
                                    continue
                                self._max_seq = seq
                            self.stats.received += 1
                            yield event
                            if isinstance(event, EndOfStream):
                                return
                        reason = f"closed by the room ({ws.close_code} {ws.close_reason or ''})".strip()
                    except ConnectionClosed as exc:
                        if self._closing.is_set():
                            return
                        if not self.reconnect:
                            raise
                        reason = f"lost ({exc})"
                    if self._closing.is_set():
                        return
                    self._ws = None
                    log.warning("connection to %s %s", self.url, reason)
                    if not self.reconnect:
                        return
        finally:
            self._running = False

    def _decode(self, frame: str | bytes) -> InboundEvent | None:
        try:
            event = decode_inbound(frame, room=self.room)
        except ProtocolError as exc:
            self.stats.malformed += 1
            log.warning("malformed frame from %s skipped: %s; frame=%s", self.url, exc.reason, _preview(frame))
            return None
        except Exception:  # a codec bug must not end the session: log it with its traceback, skip the frame
            self.stats.malformed += 1
            log.exception("frame from %s could not be decoded (codec error) and was skipped: %s", self.url, _preview(frame))
            return None
        if isinstance(event, Hello):
            self.stats.ignored += 1
            self.peer_hello = event
            if event.session != self._session:
                if self._session is not None:
                    log.info("room %s started a new delivery session", self.url)
                self._session, self._max_seq, self._acked = event.session, 0, 0
            self._reack = self._acked > 0
            log.debug("room hello: %s", event)
            return None
        return event

    async def ack(self, seq: int) -> None:
        """Acknowledge every inbound frame up to ``seq`` (recorded by the bot). Cumulative and idempotent; when
        disconnected the ack is kept and re-sent after the next connect (the room re-sends what it misses)."""
        if seq <= self._acked:
            return
        self._acked = seq
        await self._send_ack()

    async def _send_ack(self) -> None:
        ws = self._ws
        if not self._acked or ws is None or ws.state is not State.OPEN:
            return
        try:
            await ws.send(encode_ack(Ack(self._acked)))
        except ConnectionClosed:
            return
        self.stats.acks_sent += 1

    async def _connect(self, attempt: int) -> ClientConnection | None:
        # ping_timeout: while the live loop works through a backlog the socket is read slowly on purpose
        # (backpressure), so the room's pong can wait behind unread comments; the library's 20 s dropped a
        # healthy connection once in the 39k-message soak on a loaded box (recovered by resume, bench/RESULTS.md).
        ws = await open_websocket(
            self.url, attempt=attempt, closing=self._closing, reconnect=self.reconnect, stats=self.stats,
            open_timeout=self.open_timeout, close_timeout=self.close_timeout, max_size=_WS_MAX_SIZE,
            ping_interval=20, ping_timeout=PING_TIMEOUT_S,
        )
        if ws is None:
            if not self._closing.is_set():
                self.reachability.failed()
            return None
        try:
            await ws.send(encode_hello(bot_hello(self.room)))
        except ConnectionClosed as exc:
            self.stats.connect_failures += 1
            if not self.reconnect:
                raise
            log.warning("connection to %s lost during hello: %s", self.url, exc)
            return None
        self._ws = ws
        self.reachability.connected()
        if self.stats.connects:
            self.stats.reconnects += 1
            log.info("reconnected to %s", self.url)
        else:
            log.info("connected to %s", self.url)
        self.stats.connects += 1
        await self._flush_outbox()
        return ws

    # ------------------------------------------------------------------ send

    async def send(self, reply: Reply) -> None:
        """Post a reply. When disconnected (or older replies are still queued) it goes to the outbox
        and is sent, in order, right after the next (re)connect. Raises ProtocolError for a reply
        that cannot be encoded (nothing is queued then)."""
        frame = encode_reply(reply)
        if self._outbox or not self.connected:
            self._enqueue(reply)
            if self.connected and not self._flushing:
                await self._flush_outbox()  # nobody else is draining it
            return
        assert self._ws is not None
        try:
            await self._ws.send(frame)
        except ConnectionClosed:
            self._enqueue(reply)
            return
        self.stats.sent += 1

    async def moderate(self, action: ModerationAction) -> ModerationResult:
        """Send a ``moderate`` frame (docs/protocol.md). Fire-and-forget like a reply, but never queued: a moderation
        that cannot be handed to an open connection now is reported as not done."""
        if action.action not in self.capabilities.can_moderate:
            return ModerationResult(action, False, "the room did not announce the 'moderate' feature")
        try:
            frame = encode_moderate(action)
        except ProtocolError as exc:
            return ModerationResult(action, False, f"cannot encode: {exc.reason}")
        ws = self._ws
        if ws is None or ws.state is not State.OPEN:
            return ModerationResult(action, False, "not connected to the room")
        try:
            await ws.send(frame)
        except ConnectionClosed:
            return ModerationResult(action, False, "the connection closed")
        return ModerationResult(action, True, "")

    def _enqueue(self, reply: Reply) -> None:
        if len(self._outbox) >= self._max_outbox:
            lost = self._outbox.popleft()
            self.stats.dropped += 1
            log.error("outbox full (%d): dropped reply to %s", self._max_outbox, ", ".join(lost.reply_to))
        self._outbox.append(reply)
        self.stats.queued += 1

    async def _flush_outbox(self) -> None:
        """Send queued replies in order; replies queued meanwhile by send() are picked up too."""
        ws = self._ws
        self._flushing = True
        try:
            while self._outbox and ws is not None and ws.state is State.OPEN:
                reply = self._outbox.popleft()
                try:
                    await ws.send(encode_reply(reply))
                except ConnectionClosed:
                    self._outbox.appendleft(reply)
                    return
                self.stats.sent += 1
        finally:
            self._flushing = False

    # ------------------------------------------------------------------ close

    async def close(self) -> None:
        """Flush the outbox if connected, close the connection and stop :meth:`events`. Replies
        that could not be sent are reported in the log and remain readable through :attr:`unsent`."""
        self._closing.set()
        if self.connected:
            await self._flush_outbox()
        ws, self._ws = self._ws, None
        if ws is not None:
            await ws.close()
        if self._outbox:
            log.warning("closing with %d unsent replies (to %s)", len(self._outbox), [r.reply_to for r in self._outbox])

    async def __aenter__(self) -> RoomClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


def _preview(frame: str | bytes, limit: int = 200) -> str:
    text = repr(frame[:limit])
    return text + ("…" if len(frame) > limit else "")
