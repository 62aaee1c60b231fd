"""A local websocket room that replays a comment log to a bot and collects its replies.

Used by the demo, the tests and replay evaluation::

    room = LocalRoom("shows/demo.jsonl", speed=2.0)
    await room.start()                     # room.url == "ws://127.0.0.1:PORT"
    ...                                    # a bot connects with RoomClient(room.url)
    await room.wait_finished()             # all events + "end" sent, late replies drained
    for comment_id, seconds in room.latencies().items(): ...
    await room.stop()

Replay keeps a cursor: when the bot disconnects mid-stream, replay pauses (the show clock stops)
and resumes from the first unsent event when a bot connects again, so every event is sent exactly
once, in timestamp order. One bot at a time: a new connection replaces the previous one.

Log files are JSONL, one event per line (see docs/protocol.md, "Replay logs").
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.frames import CloseCode

from bot.cli_i18n import N_
from bot.errors import InputFileError
from bot.jsonl import iter_jsonl
from bot.messages import Comment, EndOfStream, InboundEvent, ModerationAction, ProtocolError, Reply
from bot.protocol import (
    FEATURE_ACK,
    FEATURE_MODERATE,
    MAX_FRAME_BYTES,
    Ack,
    Hello,
    decode_outbound,
    encode_hello,
    encode_inbound,
    inbound_from_dict,
)

__all__ = ["LocalRoom", "LogFileError", "load_expectations", "load_log", "load_slot_labels", "serve_room"]

log = logging.getLogger(__name__)

ReplyCallback = Callable[[float, Reply], Any]


# ------------------------------------------------------------------------------------------------
# log files


class LogFileError(InputFileError):
    """A replay log line could not be read. ``str(err)`` is ``"path:line: reason"``."""


@dataclass(frozen=True, slots=True)
class _LogLine:
    line: int
    event: InboundEvent
    expect: Any
    labelled: bool = False  # the line has an "expect" key (null = the bot must stay silent)
    slots: Any = None  # optional "slots" label: the variant values the comment names (scored by eval replay)


def _read_log(path: str | os.PathLike[str], room: str) -> list[_LogLine]:
    out: list[_LogLine] = []
    first_line_of: dict[str, int] = {}
    for line_no, obj in iter_jsonl(path, LogFileError):
        obj = dict(obj)
        kind = obj.setdefault("type", "comment")
        labelled = "expect" in obj
        expect = obj.pop("expect", None)
        slots = obj.pop("slots", None)
        if kind == "hello":
            raise LogFileError(path, line_no, N_("'hello' is a connection frame, not a log event"))
        if kind == "comment" and "id" not in obj:
            obj["id"] = f"c{line_no:05d}"
        if expect is not None and kind != "comment":
            raise LogFileError(path, line_no, N_("'expect' is only allowed on comments, not on %(kind)s"), kind=repr(kind))
        try:
            event = inbound_from_dict(obj, room=room)
        except ProtocolError as exc:
            raise LogFileError(path, line_no, exc.template, **exc.params) from None
        assert not isinstance(event, Hello)
        if isinstance(event, Comment):
            if event.id in first_line_of:
                raise LogFileError(
                    path, line_no, N_("duplicate comment id %(id)s (first on line %(first)d)"),
                    id=repr(event.id), first=first_line_of[event.id],
                )
            first_line_of[event.id] = line_no
        out.append(_LogLine(line_no, event, expect, labelled, slots))
    return out


def load_log(path: str | os.PathLike[str], *, room: str = "local") -> list[InboundEvent]:
    """Read a JSONL replay log, in file order. Raises LogFileError (file:line: reason) on bad lines.

    A line without ``"type"`` is a comment; a comment without ``"id"`` gets ``f"c{line_no:05d}"``.
    """
    return [item.event for item in _read_log(path, room)]


def load_slot_labels(path: str | os.PathLike[str]) -> dict[str, dict[str, str]]:
    """The optional ``slots`` labels of a replay log (comment id → {attribute: canonical value})."""
    return {
        item.event.id: dict(item.slots)
        for item in _read_log(path, "local")
        if isinstance(item.event, Comment) and isinstance(item.slots, dict)
    }


def load_lang_labels(path: str | os.PathLike[str], key: str = "lang_expected") -> dict[str, str]:
    """The optional ``lang_expected`` labels of a replay log (comment id → the language the viewer wrote in); with
    ``key="group"`` the parallel-question groups (comment id → group: the same question in several languages)."""
    labels: dict[str, str] = {}
    for line_no, obj in iter_jsonl(path, LogFileError):
        if obj.get("type", "comment") == "comment" and isinstance(obj.get(key), str):
            labels[str(obj.get("id") or f"c{line_no:05d}")] = obj[key]  # the id rule of _read_log
    return labels


def load_expectations(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The ``expect`` labels of a replay log, keyed by comment id.

    ``None`` means "must stay silent"; comments without an ``expect`` key are absent.
    """
    return {item.event.id: item.expect for item in _read_log(path, "local") if isinstance(item.event, Comment) and item.labelled}


# ------------------------------------------------------------------------------------------------
# the room


class LocalRoom:
    """Websocket server replaying ``events`` to one connected bot and collecting its replies."""

    def __init__(
        self,
        events: Iterable[InboundEvent] | str | os.PathLike[str],
        *,
        speed: float = 1.0,
        host: str = "127.0.0.1",
        port: int = 0,
        drain_s: float = 30.0,
        room: str = "local",
        on_reply: ReplyCallback | None = None,
    ) -> None:
        if speed < 0:
            raise ValueError("speed must be >= 0 (0 = as fast as possible)")
        if isinstance(events, (str, os.PathLike)):
            events = load_log(events, room=room)
        events = list(events)
        ends = [e for e in events if isinstance(e, EndOfStream)]
        body = sorted((e for e in events if not isinstance(e, EndOfStream)), key=lambda e: e.ts)
        end_ts = max([e.ts for e in body[-1:]] + [e.ts for e in ends], default=0.0)
        # what gets sent, in order, each with its delivery sequence number (seq = index + 1); the cursor
        # points at the first unsent item
        self.events: list[InboundEvent] = [
            dataclasses.replace(e, seq=i + 1) for i, e in enumerate([*body, EndOfStream(ts=end_ts, room=room)])
        ]
        self.session = uuid.uuid4().hex  # seq numbers are unique within this room session
        self.speed = speed
        self.host = host
        self.port = port
        self.drain_s = drain_s
        self.room = room
        self.on_reply = on_reply

        self.cursor = 0
        self.sent_at: dict[str, float] = {}  # comment id -> time.monotonic() when sent
        self.replies: list[tuple[float, Reply]] = []  # (time.monotonic() when received, reply)
        self.moderations: list[tuple[float, ModerationAction]] = []  # moderate frames (delete / timeout requests)
        self.hellos: list[Hello] = []
        self.malformed = 0  # frames from the bot the codec rejected (logged)
        self.connections = 0
        self.acked_seq = 0  # highest seq the bot acknowledged (every event up to it is recorded by the bot)
        self.acks_received = 0  # ack frames received (the bot sends one per ACK_INTERVAL_S at most)
        self.resent = 0  # events sent again because the bot had not acknowledged them before a reconnect
        self.hello_timeout_s = 5.0
        # After the end of the log, a bot that left with events unacknowledged is waited for this long: a bot that
        # read the end (EndOfStream) finishes and does not come back, so its last ack may have died with a dropped
        # connection (it recorded everything; a bot that comes back gets the tail again, recognised by id).
        self.rejoin_grace_s = 30.0

        self._ack_mode = False  # the current connection acknowledges (its hello announced the "ack" feature)
        self._generation = 0  # bumped when a reconnect rewinds the cursor
        self._progress = asyncio.Event()  # an ack arrived or the connection changed
        self._server: Server | None = None
        self._ws: ServerConnection | None = None
        self._connected = asyncio.Event()
        self._unpaused = asyncio.Event()  # cleared by pause(): the show clock stands still until resume()
        self._unpaused.set()
        self._disconnected = asyncio.Event()
        self._disconnected.set()
        self._finished = asyncio.Event()
        self._replay_task: asyncio.Task[None] | None = None
        self._background: set[asyncio.Task[None]] = set()

    # ------------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self.port}"

    @property
    def connected(self) -> bool:
        """A bot is connected."""
        return self._ws is not None

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    async def start(self) -> int:
        """Start listening and replaying; returns the bound port."""
        if self._server is not None:
            raise RuntimeError("room already started")
        # no permessage-deflate: on a local socket it only costs CPU
        self._server = await serve(
            self._handler, self.host, self.port, max_size=16 * MAX_FRAME_BYTES, compression=None
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._replay_task = asyncio.create_task(self._replay(), name="livereply-room-replay")
        self._replay_task.add_done_callback(lambda _task: self._finished.set())
        log.info("room %r listening on %s (%d events, speed %s)", self.room, self.url, len(self.events), self.speed)
        return self.port

    @property
    def paused(self) -> bool:
        return not self._unpaused.is_set()

    def pause(self) -> None:
        """Hold the show: no further event is sent and the show clock stands still until :meth:`resume`.

        An event already being sent still goes out. Used by the chaos run (bench/chaos.py) so that a failure that is due
        is forced before the show moves on, however slow the machine.
        """
        self._unpaused.clear()

    def resume(self) -> None:
        self._unpaused.set()

    async def wait_finished(self) -> None:
        """Wait until every event and ``end`` were sent and late replies were drained."""
        await self._finished.wait()
        if self._replay_task is not None and self._replay_task.done() and not self._replay_task.cancelled():
            self._replay_task.result()  # re-raise a replay crash instead of hiding it

    async def stop(self) -> None:
        """Stop replaying, close the connection and the server."""
        if self._replay_task is not None and not self._replay_task.done():
            self._replay_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._replay_task
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        self._finished.set()

    async def __aenter__(self) -> LocalRoom:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ results

    def latencies(self) -> dict[str, float]:
        """Seconds from sending each comment to receiving the first reply that answers it."""
        out: dict[str, float] = {}
        for received_at, reply in self.replies:
            for comment_id in reply.reply_to:
                if comment_id in self.sent_at and comment_id not in out:
                    out[comment_id] = received_at - self.sent_at[comment_id]
        return out

    # ------------------------------------------------------------------ test hooks

    async def drop_client(self, *, abrupt: bool = False) -> None:
        """Close the current bot connection to make it reconnect.

        Default: close code 1012 (service restart); returns once the close frame is written, frames
        sent before it are still delivered.
        ``abrupt=True``: abort the TCP connection without a closing handshake; frames still in the
        room's buffers can be lost (this is what a real network failure looks like).
        """
        ws = self._ws
        if ws is None:
            raise RuntimeError("no bot connected")
        if abrupt:
            ws.transport.abort()
            await ws.wait_closed()
            return
        # Don't wait for the closing handshake: a bot that is not reading (e.g. blocked in this very
        # call) would only answer after close_timeout. One loop iteration writes the close frame.
        task = asyncio.create_task(ws.close(CloseCode.SERVICE_RESTART, "room restarting"))
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        await asyncio.sleep(0)

    async def restart_server(self, down_s: float = 0.0) -> None:
        """Close the listening socket and every connection (close code 1001), stay down ``down_s`` seconds, then
        listen again on the same port. The replay state survives: like a platform server restarting mid-show."""
        if self._server is None:
            raise RuntimeError("room not started")
        self._server.close()
        await self._server.wait_closed()
        if self._ws is not None:
            self._detach(self._ws)
        if down_s > 0:
            await asyncio.sleep(down_s)
        self._server = await serve(
            self._handler, self.host, self.port, max_size=16 * MAX_FRAME_BYTES, compression=None
        )

    async def send_raw(self, frame: str | bytes) -> None:
        """Send a frame as-is (str: text frame, bytes: binary frame) to the connected bot."""
        ws = self._ws
        if ws is None:
            raise RuntimeError("no bot connected")
        await ws.send(frame)

    # ------------------------------------------------------------------ internals

    async def _handler(self, ws: ServerConnection) -> None:
        hello = Hello(
            client="livereply-room", room=self.room, features=(FEATURE_ACK, FEATURE_MODERATE), session=self.session
        )
        ack_mode = False
        try:
            # greet before the replay can use this connection, so hello is always the first frame
            await ws.send(encode_hello(hello))
            # The bot's hello says whether it acknowledges; nothing is replayed before it (or a timeout).
            try:
                first = await asyncio.wait_for(ws.recv(), timeout=self.hello_timeout_s)
            except TimeoutError:
                first = None
            if first is not None:
                ack_mode = self._on_frame(first)
        except ConnectionClosed:
            return
        previous, self._ws = self._ws, ws
        self._ack_mode = ack_mode
        if ack_mode and self.cursor > self.acked_seq:
            # resume: everything after the last acknowledged event is sent again on this connection
            self.resent += self.cursor - self.acked_seq
            log.info("resuming after seq %d: re-sending %d unacknowledged events", self.acked_seq, self.cursor - self.acked_seq)
            self.cursor = self.acked_seq
            self._generation += 1
        self.connections += 1
        self._connected.set()
        self._disconnected.clear()
        self._progress.set()
        log.info("bot connected from %s (connection %d)", ws.remote_address, self.connections)
        if previous is not None:
            log.warning("a new bot connection replaces the previous one")
            task = asyncio.create_task(previous.close(CloseCode.POLICY_VIOLATION, "replaced by a newer connection"))
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        try:
            async for frame in ws:
                self._on_frame(frame)
        except ConnectionClosed as exc:
            log.warning("bot connection lost: %s", exc)
        finally:
            self._detach(ws)

    def _detach(self, ws: ServerConnection) -> None:
        if self._ws is ws:
            self._ws = None
            self._connected.clear()
            self._disconnected.set()
            self._progress.set()
            log.info("bot disconnected")

    def _on_frame(self, frame: str | bytes) -> bool:
        """Handle one frame from the bot. True when it is a hello announcing acknowledgements."""
        received_at = time.monotonic()
        try:
            message = decode_outbound(frame, room=self.room)
        except ProtocolError as exc:
            self.malformed += 1
            log.warning("malformed frame from the bot skipped: %s; frame=%r", exc.reason, frame[:200])
            return False
        if isinstance(message, Hello):
            self.hellos.append(message)
            return FEATURE_ACK in message.features
        if isinstance(message, ModerationAction):
            self.moderations.append((received_at, message))
            log.info("moderation from the bot: %s %s (%s)", message.action, message.comment_id, message.reason)
            return False
        if isinstance(message, Ack):
            self.acks_received += 1
            if message.seq > len(self.events):
                log.warning("bot acknowledged seq %d beyond the last event (%d); ignored", message.seq, len(self.events))
                return False
            if message.seq > self.acked_seq:
                self.acked_seq = message.seq
                self._progress.set()
            return False
        self.replies.append((received_at, message))
        if self.on_reply is not None:
            try:
                self.on_reply(received_at, message)
            except Exception:
                log.exception("on_reply callback failed")
        return False

    async def _replay(self) -> None:
        first_ts = self.events[0].ts
        origin: float | None = None  # monotonic time at which the show clock read first_ts
        while True:
            origin = await self._send_from_cursor(first_ts, origin)
            # With acknowledgements the replay is done only when the bot has recorded everything; a reconnect
            # meanwhile rewinds the cursor and the loop sends the unacknowledged tail again.
            if not await self._wait_for_acks():
                break
        log.info("replay done; waiting up to %.1f s for late replies", self.drain_s)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._disconnected.wait(), timeout=self.drain_s)
        self._finished.set()

    async def _wait_for_acks(self) -> bool:
        """After the last event: True when the cursor was rewound (send again), False when done."""
        deadline = time.monotonic() + self.drain_s
        while self.cursor >= len(self.events):
            if self.acked_seq >= len(self.events):
                return False
            if self._ws is not None and not self._ack_mode:
                return False  # a bot that does not acknowledge: at-most-once, as before
            if self._ws is None:
                # Unacknowledged events and no bot: wait for one (like a pause mid-show); it gets them again.
                self._progress.clear()
                try:
                    await asyncio.wait_for(self._progress.wait(), timeout=self.rejoin_grace_s)
                except TimeoutError:
                    log.warning(
                        "the bot left after the end of the log with events after seq %d of %d unacknowledged and did "
                        "not come back within %.0f s; replay finished",
                        self.acked_seq, len(self.events), self.rejoin_grace_s,
                    )
                    return False
                deadline = time.monotonic() + self.drain_s
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                log.warning(
                    "bot acknowledged only up to seq %d of %d and made no progress for %.1f s",
                    self.acked_seq, len(self.events), self.drain_s,
                )
                return False
            self._progress.clear()
            acked = self.acked_seq
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._progress.wait(), timeout=remaining)
            if self.acked_seq > acked:  # a bot working through a backlog: keep waiting while it makes progress
                deadline = time.monotonic() + self.drain_s
        return True

    async def _send_from_cursor(self, first_ts: float, origin: float | None) -> float | None:
        while self.cursor < len(self.events):
            event = self.events[self.cursor]
            if self._ws is None:
                waited_from = time.monotonic()
                if origin is not None:
                    log.info("replay paused at event %d/%d: no bot connected", self.cursor, len(self.events))
                await self._connected.wait()
                if origin is not None:
                    origin += time.monotonic() - waited_from  # the show clock stood still
            if not self._unpaused.is_set():
                paused_from = time.monotonic()
                await self._unpaused.wait()
                if origin is not None:
                    origin += time.monotonic() - paused_from  # the show clock stood still
                continue  # the bot may have left meanwhile
            if origin is None:
                origin = time.monotonic()
            if self.speed > 0:
                delay = origin + (event.ts - first_ts) / self.speed - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            ws = self._ws
            if ws is None:
                continue
            generation, index = self._generation, self.cursor
            event = self.events[index]
            try:
                await ws.send(encode_inbound(event))
            except ConnectionClosed:
                # not sent: retried on the next connection. Forget this one now (the handler may not have run
                # yet) and yield, so a closed connection never makes this loop spin.
                self._detach(ws)
                await asyncio.sleep(0)
                continue
            if isinstance(event, Comment):
                self.sent_at.setdefault(event.id, time.monotonic())
            if generation == self._generation:  # a reconnect meanwhile rewound the cursor: keep the rewind
                self.cursor = index + 1
        return origin


async def serve_room(
    log_path: str | os.PathLike[str],
    speed: float = 1.0,
    host: str = "127.0.0.1",
    port: int = 0,
    on_reply: ReplyCallback | None = None,
    *,
    drain_s: float = 30.0,
) -> LocalRoom:
    """Serve a replay log until it has been fully replayed and drained; returns the room."""
    room = LocalRoom(log_path, speed=speed, host=host, port=port, drain_s=drain_s, on_reply=on_reply)
    await room.start()
    log.info("waiting for a bot on %s", room.url)
    try:
        await room.wait_finished()
    finally:
        await room.stop()
    return room
