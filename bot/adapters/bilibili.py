"""Websocket adapter for Bilibili live danmaku (thin I/O around :mod:`bot.adapters.bilibili_codec`).

    client = BilibiliRoomClient(DEFAULT_URL, 21452505)
    async for comment in client.events():     # connects, enters the room, heartbeats, reconnects
        ...
        await client.send(reply)               # see below: Bilibili does not take replies on this socket
    await client.close()

Inbound only: the danmaku websocket is read-only. Bilibili posts danmaku through an authenticated
HTTP API (``/msg/send`` with a logged-in session cookie and CSRF token), not over this socket. So
:meth:`BilibiliRoomClient.send` is a documented no-op that logs the reply and counts it in
``stats.unsent`` (keeping the last ``max_unsent`` replies in :attr:`unsent`) — unless a
``post_reply`` coroutine function is injected, which is then awaited for every reply.

Same surface as :class:`bot.adapters.generic.RoomClient`: ``events()``, ``send()``, ``close()``,
``connected``, ``stats``, ``unsent``, async context manager.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Self

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

from bot.adapters.backoff import ReconnectLoop, check_backoff
from bot.adapters.bilibili_codec import (
    MAX_PACKET_BYTES,
    VER_ZLIB,
    AuthReply,
    HeartbeatReply,
    Ignored,
    auth_packet,
    decode_packets,
    heartbeat_packet,
    interpret,
)
from bot.adapters.reachability import Reachability
from bot.adapters.wsconnect import open_websocket
from bot.messages import Comment, InboundEvent, ModerationAction, ModerationResult, ProtocolError, Reply

__all__ = ["DEFAULT_URL", "BilibiliAuthError", "BilibiliRoomClient", "BilibiliStats"]

log = logging.getLogger(__name__)

DEFAULT_URL = "wss://broadcastlv.chat.bilibili.com/sub"

# May return a result: one whose ``sent`` attribute is False (bot.adapters.posting.PostResult) counts as unsent.
PostReply = Callable[[Reply], Awaitable[object]]


class BilibiliAuthError(ProtocolError):
    """The server rejected the enter-room packet (op 8 with a non-zero code) or never answered it."""


MAX_IGNORED_CMDS = 200  # distinct command names counted one by one; the rest under "(other)"


@dataclass(slots=True)
class BilibiliStats:
    connects: int = 0  # successful connections whose auth was accepted (the first one included)
    reconnects: int = 0  # successful connections after a drop
    connect_failures: int = 0  # refused / failed handshakes / timeouts / rejected or missing auth
    received: int = 0  # comments yielded
    malformed: int = 0  # websocket messages or packets rejected by the codec (logged, skipped)
    ignored: int = 0  # well-formed notifications the bot does not use (SEND_GIFT, INTERACT_WORD, ...)
    ignored_cmds: Counter[str] = field(default_factory=Counter)  # the same, per cmd
    heartbeats_sent: int = 0
    heartbeat_replies: int = 0
    popularity: int | None = None  # last value from a heartbeat reply (op 3)
    sent: int = 0  # replies handed to post_reply successfully
    unsent: int = 0  # replies not posted: no post_reply injected, or post_reply failed (logged)
    send_failures: int = 0  # post_reply raised (also counted in unsent)


class BilibiliRoomClient:
    """Connects to a Bilibili live room's danmaku server and yields its comments."""

    def __init__(
        self,
        url: str,
        room_id: int,
        *,
        room: str | None = None,
        uid: int = 0,
        key: str | None = None,
        buvid: str | None = None,
        protover: int = VER_ZLIB,
        reconnect: bool = True,
        heartbeat_s: float = 30.0,
        auth_timeout: float = 10.0,
        backoff_initial: float = 0.5,
        backoff_max: float = 30.0,
        open_timeout: float = 10.0,
        post_reply: PostReply | None = None,
        max_unsent: int = 1000,
    ) -> None:
        if isinstance(room_id, bool) or not isinstance(room_id, int) or room_id <= 0:
            raise ValueError(f"room_id must be a positive integer, got {room_id!r}")
        if heartbeat_s <= 0 or auth_timeout <= 0:
            raise ValueError("heartbeat_s and auth_timeout must be > 0")
        check_backoff(backoff_initial, backoff_max)
        if max_unsent < 1:
            raise ValueError("max_unsent must be >= 1")
        self.url = url
        self.room_id = room_id
        self.room = room if room is not None else f"bili-{room_id}"
        self.reconnect = reconnect
        self.heartbeat_s = heartbeat_s
        self.auth_timeout = auth_timeout
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.open_timeout = open_timeout
        self.stats = BilibiliStats()
        self.reachability = Reachability()  # its listener: `livereply run`'s line when the room cannot be entered
        self._auth = auth_packet(room_id, uid, key, protover=protover, buvid=buvid)
        self._post_reply = post_reply
        self._unsent: deque[Reply] = deque(maxlen=max_unsent)
        self._ws: ClientConnection | None = None
        self._heartbeat: asyncio.Task[None] | None = None
        self._closing = asyncio.Event()
        self._running = False

    # ------------------------------------------------------------------ state

    @property
    def connected(self) -> bool:
        return self._ws is not None and self._ws.state is State.OPEN

    @property
    def unsent(self) -> tuple[Reply, ...]:
        """The most recent replies that were not posted (at most ``max_unsent``)."""
        return tuple(self._unsent)

    # ------------------------------------------------------------------ events

    async def events(self) -> AsyncIterator[InboundEvent]:
        """Yield the room's comments until :meth:`close` (Bilibili has no end-of-stream).

        Per connection: send the auth packet, wait up to ``auth_timeout`` for the auth reply, then
        send a heartbeat immediately and every ``heartbeat_s``. With ``reconnect=True`` failures and
        drops are retried forever with exponential backoff and equal jitter; with ``reconnect=False``
        connection errors and a rejected auth (:class:`BilibiliAuthError`) are raised, and a clean
        close by the server ends the iteration.
        """
        if self._running:
            raise RuntimeError("events() is already being iterated")
        self._running = True
        reconnect = ReconnectLoop(self._closing, self.backoff_initial, self.backoff_max)
        try:
            async with contextlib.aclosing(reconnect.sessions(self._open)) as sessions:
                async for ws, pending in sessions:
                    try:
                        for comment in pending:
                            self.stats.received += 1
                            yield comment
                        async for message in ws:
                            for comment in self._comments(message):
                                self.stats.received += 1
                                yield comment
                        reason = f"closed by the server ({ws.close_code} {ws.close_reason or ''})".strip()
                    except ConnectionClosed as exc:
                        if self._closing.is_set():
                            return
                        if not self.reconnect:
                            raise
                        reason = f"lost ({exc})"
                    finally:
                        await self._drop(ws)
                    if self._closing.is_set():
                        return
                    log.warning("connection to %s %s", self.url, reason)
                    if not self.reconnect:
                        return
        finally:
            self._running = False
            await self._stop_heartbeat()

    async def _open(self, attempt: int) -> tuple[ClientConnection, list[Comment]] | None:
        """Connect and authenticate: a ready session with the comments that arrived before the auth reply, or None."""
        ws = await self._connect(attempt)
        if ws is None:
            if not self._closing.is_set():
                self.reachability.failed()
            return None
        try:
            pending = await self._authenticate(ws)
        except BilibiliAuthError as exc:
            await self._drop(ws)
            self.stats.connect_failures += 1
            if not self.reconnect:
                raise
            log.error("room %s: %s", self.room_id, exc.reason)
            self.reachability.failed()  # a room id the server does not take: said like a room that cannot be reached
            return None
        except ConnectionClosed as exc:
            await self._drop(ws)
            self.stats.connect_failures += 1
            if self._closing.is_set():
                return None
            if not self.reconnect:
                raise
            log.warning("connection to %s lost before auth reply: %s", self.url, exc)
            self.reachability.failed()
            return None
        self._on_connected(ws)
        self.reachability.connected()
        return ws, pending

    async def _connect(self, attempt: int) -> ClientConnection | None:
        return await open_websocket(
            self.url, attempt=attempt, closing=self._closing, reconnect=self.reconnect, stats=self.stats,
            open_timeout=self.open_timeout, max_size=MAX_PACKET_BYTES, compression=None,
        )

    async def _authenticate(self, ws: ClientConnection) -> list[Comment]:
        """Send the auth packet and read until the auth reply. Comments that arrive in the same
        messages are returned so nothing is lost."""
        await ws.send(self._auth)
        deadline = time.monotonic() + self.auth_timeout
        pending: list[Comment] = []
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BilibiliAuthError(f"no auth reply within {self.auth_timeout:g} s")
            try:
                message = await asyncio.wait_for(ws.recv(), timeout=remaining)
            except TimeoutError:
                raise BilibiliAuthError(f"no auth reply within {self.auth_timeout:g} s") from None
            replies: list[AuthReply] = []
            pending.extend(self._comments(message, auth_replies=replies))
            if replies:
                code = replies[0].code
                if code != 0:
                    raise BilibiliAuthError(f"enter-room rejected by the server (code {code})")
                return pending

    def _on_connected(self, ws: ClientConnection) -> None:
        self._ws = ws
        if self.stats.connects:
            self.stats.reconnects += 1
            log.info("reconnected to %s (room %s)", self.url, self.room_id)
        else:
            log.info("connected to %s (room %s)", self.url, self.room_id)
        self.stats.connects += 1
        self._heartbeat = asyncio.create_task(self._heartbeat_loop(ws), name=f"bilibili-heartbeat-{self.room_id}")

    async def _drop(self, ws: ClientConnection) -> None:
        await self._stop_heartbeat()
        if self._ws is ws:
            self._ws = None
        if ws.state is not State.CLOSED:
            with contextlib.suppress(Exception):
                await ws.close()

    def _comments(self, message: str | bytes, auth_replies: list[AuthReply] | None = None) -> list[Comment]:
        """Decode one websocket message; malformed messages/packets are logged and counted."""
        if isinstance(message, str):
            self.stats.malformed += 1
            log.warning("text frame from %s skipped: the danmaku protocol is binary; frame=%r", self.url, message[:200])
            return []
        try:
            packets = decode_packets(message)
        except ProtocolError as exc:
            self.stats.malformed += 1
            log.warning("malformed message from %s skipped: %s; bytes=%r", self.url, exc.reason, message[:64])
            return []
        comments: list[Comment] = []
        for packet in packets:
            try:
                notice = interpret(packet, self.room)
            except ProtocolError as exc:
                self.stats.malformed += 1
                log.warning(
                    "malformed packet (op %d) from %s skipped: %s; body=%r", packet.op, self.url, exc.reason, packet.body[:200]
                )
                continue
            if isinstance(notice, Comment):
                comments.append(notice)
            elif isinstance(notice, HeartbeatReply):
                self.stats.heartbeat_replies += 1
                self.stats.popularity = notice.popularity
            elif isinstance(notice, AuthReply):
                if auth_replies is not None:
                    auth_replies.append(notice)
                else:
                    log.debug("extra auth reply (code %d) ignored", notice.code)
            elif isinstance(notice, Ignored):
                self.stats.ignored += 1
                cmds = self.stats.ignored_cmds
                # bounded: a server inventing command names must not grow this forever
                key = notice.cmd if notice.cmd in cmds or len(cmds) < MAX_IGNORED_CMDS else "(other)"
                cmds[key] += 1
        return comments

    async def _heartbeat_loop(self, ws: ClientConnection) -> None:
        packet = heartbeat_packet()
        try:
            while ws.state is State.OPEN:
                await ws.send(packet)
                self.stats.heartbeats_sent += 1
                await asyncio.sleep(self.heartbeat_s)
        except ConnectionClosed:
            pass  # the reader notices the drop and reconnects

    async def _stop_heartbeat(self) -> None:
        task, self._heartbeat = self._heartbeat, None
        if task is not None and not task.done():
            task.cancel()
            await asyncio.wait([task])  # never raises the task's CancelledError; ours propagates

    # ------------------------------------------------------------------ send

    async def send(self, reply: Reply) -> None:
        """Post a reply through the injected ``post_reply``; without one this is a no-op that logs
        the reply and counts it in ``stats.unsent`` (the danmaku websocket cannot carry replies).
        A failing ``post_reply`` is logged and counted (``stats.send_failures``), never raised."""
        if not reply.reply_to:
            raise ProtocolError("reply has no reply_to comment ids", None)
        if not reply.text.strip():
            raise ProtocolError("reply text is empty", None)
        if self._post_reply is None:
            self._unsent.append(reply)
            self.stats.unsent += 1
            log.info(
                "room %s: reply to %s not posted (no post_reply configured): %s",
                self.room_id,
                ", ".join(reply.reply_to),
                reply.text,
            )
            return
        try:
            result = await self._post_reply(reply)
        except Exception:
            self._unsent.append(reply)
            self.stats.unsent += 1
            self.stats.send_failures += 1
            log.exception("room %s: post_reply failed for reply to %s", self.room_id, ", ".join(reply.reply_to))
            return
        if getattr(result, "sent", True) is False:  # refused by the platform (the poster logged why)
            self._unsent.append(reply)
            self.stats.unsent += 1
            return
        self.stats.sent += 1

    # ------------------------------------------------------------------ moderation

    @property
    def can_moderate(self) -> frozenset[str]:
        """What ``moderate`` can do: the poster's (a :class:`~bot.adapters.bilibili_send.BilibiliPoster` made with
        ``moderates=True`` mutes viewers), else nothing."""
        caps = getattr(self._post_reply, "capabilities", None)
        return frozenset(getattr(caps, "can_moderate", frozenset()))

    async def moderate(self, action: ModerationAction) -> ModerationResult:
        """Mute the sender (禁言) through the poster's logged-in HTTP API; the danmaku websocket cannot moderate."""
        moderate = getattr(self._post_reply, "moderate", None)
        if moderate is None or action.action not in self.can_moderate:
            return ModerationResult(action, False, f"Bilibili {action.action} is not available with this room's poster")
        result: ModerationResult = await moderate(action)
        return result

    # ------------------------------------------------------------------ close

    async def close(self) -> None:
        """Stop :meth:`events` and close the connection."""
        self._closing.set()
        await self._stop_heartbeat()
        ws, self._ws = self._ws, None
        if ws is not None:
            await ws.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
