"""Websocket adapter for Twitch chat (thin I/O around :mod:`bot.adapters.twitch_codec`).

    client = TwitchRoomClient(DEFAULT_URL, "somechannel", nick="shopbot", token=os.environ["LIVEREPLY_TWITCH_TOKEN"])
    async for comment in client.events():   # connects, logs in, joins, answers PINGs, reconnects
        ...
        await client.send(reply)             # threaded reply, fitted to 500 characters, rate-limited
    await client.close()

Per connection: ``CAP REQ :twitch.tv/tags twitch.tv/commands``, ``PASS oauth:…``, ``NICK``; after the ``001``
welcome, ``JOIN #channel``. ``PING`` is answered with ``PONG``; ``RECONNECT`` or a dropped connection makes the
client reconnect with the shared backoff (:mod:`bot.adapters.backoff`). A refused login (``NOTICE * :Login
authentication failed``) is final: :class:`TwitchAuthError` is raised from :meth:`TwitchRoomClient.events`, with
no retry. Twitch does not replay chat after a reconnect; comments whose id was already yielded are skipped.

Posting: a reply becomes at most two PRIVMSGs of at most 500 characters (``split_reply``; a longer text is
shortened with ``fit_reply``), each tagged ``reply-parent-msg-id`` with the Twitch id of the first comment it
answers. Posts go through a :class:`~bot.adapters.ratelimit.SlidingWindow` (20 per 30 s, 100 per 30 s for a
moderator or the broadcaster): :meth:`TwitchRoomClient.send` waits for its turn and never exceeds the limit.
Twitch's NOTICEs about posting are honoured: ``msg_ratelimit`` pauses posting for a window, ``msg_banned`` (and
the other "you cannot post here" ids) stop posting, ``msg_timedout`` stops it for the stated time,
``msg_duplicate``/slow mode/followers-only... drop the reply. A NOTICE does not say which message it is about; it
is attributed to the most recent post. Replies not posted are kept as :class:`~bot.adapters.posting.PostResult`
with an :class:`~bot.adapters.posting.Unsent` reason (:attr:`TwitchRoomClient.unsent`, counted in ``stats.unsent``
and ``stats.unsent_reasons``), as the other posting adapters do.

The OAuth token is never logged: it is held in a :class:`~bot.adapters.credentials.Secret` and revealed only to
write the PASS line, outbound lines are logged through :func:`~bot.adapters.twitch_codec.redact`, the websockets
library logs through a redacting logger, and ``repr(client)`` shows ``oauth:***``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter, deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Self

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

from bot.adapters.backoff import ReconnectLoop, check_backoff, sleep_unless_closed
from bot.adapters.capabilities import Capabilities, RateLimit, fit_reply, split_reply
from bot.adapters.credentials import Secret
from bot.adapters.posting import PostResult, Unsent
from bot.adapters.ratelimit import SlidingWindow
from bot.adapters.reachability import Reachability
from bot.adapters.twitch_codec import (
    COMMENT_ID_PREFIX,
    DEFAULT_URL,
    MAX_MESSAGE_CHARS,
    REQUESTED_CAPS,
    CapAck,
    CapNak,
    Ignored,
    Notice,
    Ping,
    Reconnect,
    TwitchEvent,
    Welcome,
    command_safe_len,
    interpret,
    join_line,
    login_lines,
    normalize_login,
    normalize_token,
    parse_line,
    pong_line,
    privmsg_line,
    redact,
    split_lines,
)
from bot.adapters.twitch_helix import TwitchModeration
from bot.adapters.wsconnect import open_websocket
from bot.errors import LiveReplyError
from bot.messages import Comment, InboundEvent, ModerationAction, ModerationResult, ProtocolError, Reply

__all__ = [
    "DEFAULT_URL",
    "MODERATOR_RATE",
    "USER_RATE",
    "TwitchAuthError",
    "TwitchError",
    "TwitchRoomClient",
    "TwitchStats",
]

log = logging.getLogger(__name__)

USER_RATE = RateLimit(20, 30.0)  # documented: PRIVMSGs per 30 s in a channel where the bot is not a moderator
MODERATOR_RATE = RateLimit(100, 30.0)  # ... where it is a moderator or the broadcaster

MAX_COUNTED_KEYS = 100  # distinct commands / notice ids counted one by one; the rest under "(other)"
_WS_MAX_SIZE = 1024 * 1024  # one websocket message may carry many lines (a big channel's NAMES list)
_MAX_PARTS = 2

# Twitch NOTICE msg-ids about our own posts (docs: "NOTICE Message IDs"). Posting stops for the session:
_STOPS_POSTING: dict[str, tuple[Unsent, str]] = {
    "msg_banned": (Unsent.MUTED, "the bot account is banned in this channel"),
    "msg_channel_suspended": (Unsent.FORBIDDEN, "the channel is suspended"),
    "msg_requires_verified_phone_number": (Unsent.FORBIDDEN, "the bot account needs a verified phone number to chat here"),
    "msg_verified_email": (Unsent.FORBIDDEN, "the bot account needs a verified e-mail address to chat here"),
}
# ... only the reply concerned is dropped:
_DROPS_REPLY: dict[str, tuple[Unsent, str]] = {
    "msg_duplicate": (Unsent.DUPLICATE, "Twitch does not take the same message twice within 30 seconds"),
    "msg_slowmode": (Unsent.RATE_LIMITED, "the channel is in slow mode"),
    "msg_followersonly": (Unsent.FORBIDDEN, "the channel is in followers-only mode"),
    "msg_followersonly_followed": (Unsent.FORBIDDEN, "the channel is in followers-only mode"),
    "msg_followersonly_zero": (Unsent.FORBIDDEN, "the channel is in followers-only mode"),
    "msg_subsonly": (Unsent.FORBIDDEN, "the channel is in subscribers-only mode"),
    "msg_emoteonly": (Unsent.REJECTED, "the channel is in emote-only mode"),
    "msg_r9k": (Unsent.DUPLICATE, "the channel is in unique-chat mode and the message is not unique"),
    "msg_rejected": (Unsent.SENSITIVE, "Twitch's AutoMod held the message"),
    "msg_rejected_mandatory": (Unsent.SENSITIVE, "the message contains a term the channel blocks"),
}

_Why = tuple[Unsent, str]  # why a reply is not posted: the shared reason, and a sentence for people
_CLOSED: _Why = (Unsent.CLOSED, "the client was closed before it could be posted")


class _RedactingFilter(logging.Filter):
    """Rewrites a record's message through :func:`redact` (the websockets library logs every frame at DEBUG)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_WS_LOG = logging.getLogger(__name__ + ".websocket")
_WS_LOG.addFilter(_RedactingFilter())


class _LoginInterrupted(Exception):
    """RECONNECT arrived before the welcome: start the login over on a new connection."""


class TwitchError(LiveReplyError):
    """The Twitch session cannot go on, and reconnecting would not help (a refused login, refused capabilities)."""


class TwitchAuthError(TwitchError):
    """Twitch refused the login (expired, revoked or malformed OAuth token, or a token of another account)."""


@dataclass(slots=True)
class TwitchStats:
    connects: int = 0  # sessions whose login was accepted (the first one included)
    reconnects: int = 0  # sessions after the first
    connect_failures: int = 0  # refused connections, failed handshakes, logins that timed out or were refused
    server_reconnects: int = 0  # RECONNECT received
    received: int = 0  # comments yielded
    duplicates: int = 0  # comments whose id was already yielded (skipped)
    malformed: int = 0  # lines (or messages) rejected by the codec (logged, skipped)
    ignored: int = 0  # well-formed lines the bot does not use (USERNOTICE, CLEARCHAT, ROOMSTATE, JOIN, ...)
    ignored_cmds: Counter[str] = field(default_factory=Counter)
    notices: Counter[str] = field(default_factory=Counter)  # NOTICEs by msg-id
    pings: int = 0  # PINGs answered
    sent: int = 0  # PRIVMSG lines handed to the connection
    replies_sent: int = 0  # replies whose every part was handed to the connection
    rate_waits: int = 0  # posts that waited for the sliding window
    rate_limited: int = 0  # msg_ratelimit NOTICEs (posting paused)
    rejected: int = 0  # posted replies Twitch refused afterwards (NOTICE)
    unsent: int = 0  # replies not posted or refused (TwitchRoomClient.unsent)
    unsent_reasons: Counter[str] = field(default_factory=Counter)  # the same, per Unsent reason
    dropped: int = 0  # replies dropped because the outbox was full


class TwitchRoomClient:
    """Reads a Twitch channel's chat and posts threaded, rate-limited replies into it."""

    def __init__(
        self,
        url: str,
        channel: str,
        *,
        nick: str,
        token: str | Secret,
        room: str | None = None,
        moderator: bool = False,
        rate: RateLimit | None = None,
        rate_margin_s: float = 1.0,
        reconnect: bool = True,
        backoff_initial: float = 0.5,
        backoff_max: float = 30.0,
        open_timeout: float = 10.0,
        login_timeout: float = 10.0,
        close_timeout: float = 2.0,
        max_outbox: int = 100,
        max_unsent: int = 1000,
        max_seen: int = 10_000,
        moderation: TwitchModeration | None = None,
    ) -> None:
        check_backoff(backoff_initial, backoff_max)
        if login_timeout <= 0 or open_timeout <= 0:
            raise ValueError("login_timeout and open_timeout must be > 0")
        if max_outbox < 1 or max_unsent < 1 or max_seen < 1:
            raise ValueError("max_outbox, max_unsent and max_seen must be >= 1")
        self.url = url
        self.channel = normalize_login(channel, "channel")
        self.nick = normalize_login(nick, "nick")
        self._token = Secret(normalize_token(token.reveal() if isinstance(token, Secret) else token))
        self.room = room if room is not None else f"twitch-{self.channel}"
        self.moderator = moderator
        self.rate = rate if rate is not None else (MODERATOR_RATE if moderator else USER_RATE)
        self.capabilities = Capabilities(
            "twitch",
            can_post=True,
            max_len=MAX_MESSAGE_CHARS,
            rate=self.rate,
            events=frozenset({"comment"}),
            can_reply_to=True,
            can_moderate=frozenset({"delete", "timeout"}) if moderation is not None else frozenset(),
        )
        self.moderation = moderation  # Helix delete / timeout (bot.adapters.twitch_helix); None: no moderation
        self.reconnect = reconnect
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.open_timeout = open_timeout
        self.login_timeout = login_timeout
        self.close_timeout = close_timeout
        self.stats = TwitchStats()
        self.reachability = Reachability()  # its listener: `livereply run`'s line when the chat cannot be reached

        self._window = SlidingWindow(self.rate, margin=rate_margin_s)
        self._send_lock = asyncio.Lock()
        self._outbox: deque[tuple[Reply, list[str]]] = deque()
        self._max_outbox = max_outbox
        self._unsent: deque[PostResult] = deque(maxlen=max_unsent)
        self._stopped: _Why | None = None  # posting stopped for the session (banned, ...)
        self._paused_until = 0.0  # monotonic; posting stopped until then (timed out)
        self._paused_why: _Why = (Unsent.MUTED, "")
        self._last_posted: Reply | None = None
        self._last_refused = False
        self._seen: deque[str] = deque(maxlen=max_seen)
        self._seen_ids: set[str] = set()
        self._pending: list[Comment] = []
        self._ws: ClientConnection | None = None
        self._flusher: asyncio.Task[None] | None = None
        self._closing = asyncio.Event()
        self._running = False

    def __repr__(self) -> str:
        return (
            f"TwitchRoomClient(url={self.url!r}, channel={self.channel!r}, nick={self.nick!r}, token='oauth:***', "
            f"room={self.room!r}, rate={self.rate.messages}/{self.rate.per_s:g}s)"
        )

    # ------------------------------------------------------------------ state

    @property
    def connected(self) -> bool:
        return self._ws is not None and self._ws.state is State.OPEN

    @property
    def unsent(self) -> tuple[PostResult, ...]:
        """Replies that were not posted or that Twitch refused, each with its reason (the most recent ``max_unsent``).
        ``posted`` lists the parts of a two-part reply that went out before the rest failed."""
        return tuple(self._unsent)

    @property
    def pending(self) -> tuple[Reply, ...]:
        """Replies waiting in the outbox for a connection."""
        return tuple(reply for reply, _ in self._outbox)

    @property
    def posting_stopped(self) -> str | None:
        """Why posting is stopped right now (banned, timed out, ...), or None."""
        why = self._stop_reason(time.monotonic())
        return None if why is None else why[1]

    # ------------------------------------------------------------------ events

    async def events(self) -> AsyncIterator[InboundEvent]:
        """Yield the channel's comments until :meth:`close` (Twitch has no end of stream).

        With ``reconnect=True`` failures, drops and RECONNECT are retried forever with exponential backoff and
        equal jitter; with ``reconnect=False`` connection errors are raised and a closed connection ends the
        iteration. A refused login raises :class:`TwitchAuthError` either way (retrying would not help).
        """
        if self._running:
            raise RuntimeError("events() is already being iterated")
        self._running = True
        reconnect = ReconnectLoop(self._closing, self.backoff_initial, self.backoff_max)
        try:
            async with contextlib.aclosing(reconnect.sessions(self._connect)) as sessions:
                async for ws in sessions:
                    reason = ""
                    try:
                        pending, self._pending = self._pending, []
                        for comment in pending:
                            if self._first_time(comment):
                                yield comment
                        async for message in ws:
                            keep_going = True
                            for event in self._decode(message):
                                if isinstance(event, Comment):
                                    if self._first_time(event):
                                        yield event
                                elif not await self._handle(ws, event):
                                    keep_going = False
                            if not keep_going:
                                reason = "asked by the server to reconnect (RECONNECT)"
                                break
                        else:
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
                    log.warning("Twitch connection to %s %s", self.url, reason)
                    if not self.reconnect:
                        return
        finally:
            self._running = False
            await self._stop_flusher()

    def _first_time(self, comment: Comment) -> bool:
        if comment.id in self._seen_ids:
            self.stats.duplicates += 1
            log.debug("comment %s already yielded: skipped", comment.id)
            return False
        if len(self._seen) == self._seen.maxlen:
            self._seen_ids.discard(self._seen[0])
        self._seen.append(comment.id)
        self._seen_ids.add(comment.id)
        self.stats.received += 1
        return True

    def _decode(self, message: str | bytes) -> list[TwitchEvent]:
        """The events of one websocket message; malformed lines are logged, counted and skipped."""
        try:
            lines = split_lines(message)
        except ProtocolError as exc:
            self.stats.malformed += 1
            log.warning("malformed message from %s skipped: %s", self.url, exc.reason)
            return []
        events: list[TwitchEvent] = []
        for line in lines:
            try:
                events.append(interpret(parse_line(line), self.room, self.channel))
            except ProtocolError as exc:
                self.stats.malformed += 1
                log.warning("malformed line from %s skipped: %s; line=%r", self.url, exc.reason, redact(line[:200]))
        return events

    async def _handle(self, ws: ClientConnection, event: TwitchEvent) -> bool:
        """Act on a non-comment event; False when the connection should be replaced (RECONNECT)."""
        if isinstance(event, Ping):
            await self._write(ws, pong_line(event.token or "tmi.twitch.tv"))
            self.stats.pings += 1
        elif isinstance(event, Reconnect):
            self.stats.server_reconnects += 1
            return False
        elif isinstance(event, Notice):
            self._on_notice(event)
        elif isinstance(event, Ignored):
            self.stats.ignored += 1
            _count(self.stats.ignored_cmds, event.command)
        elif isinstance(event, (CapAck, CapNak, Welcome)):
            log.debug("Twitch: %s", event)
        return True

    # ------------------------------------------------------------------ connect and log in

    async def _connect(self, attempt: int) -> ClientConnection | None:
        ws = await open_websocket(
            self.url, attempt=attempt, closing=self._closing, reconnect=self.reconnect, stats=self.stats,
            open_timeout=self.open_timeout, close_timeout=self.close_timeout, max_size=_WS_MAX_SIZE, logger=_WS_LOG,
        )
        if ws is None:
            if not self._closing.is_set():
                self.reachability.failed()
            return None
        try:
            self._pending = await self._login(ws)
        except TwitchError as exc:
            await self._drop(ws)
            self.stats.connect_failures += 1
            log.error("%s", exc)  # the message is the whole story: no traceback
            raise
        except (ConnectionClosed, TimeoutError, _LoginInterrupted) as exc:
            await self._drop(ws)
            self.stats.connect_failures += 1
            if self._closing.is_set():
                return None
            if not self.reconnect:
                raise
            if isinstance(exc, TimeoutError):
                what = f"no welcome within {self.login_timeout:g} s"
            elif isinstance(exc, _LoginInterrupted):
                what = "the server asked to reconnect (RECONNECT)"
            else:
                what = f"connection lost ({exc})"
            log.warning("Twitch login at %s failed (attempt %d): %s", self.url, attempt + 1, what)
            self.reachability.failed()
            return None
        self._ws = ws
        self.reachability.connected()
        if self.stats.connects:
            self.stats.reconnects += 1
            log.info("reconnected to Twitch chat #%s as %s", self.channel, self.nick)
        else:
            log.info(
                "connected to Twitch chat #%s as %s (%d messages per %g s)",
                self.channel,
                self.nick,
                self.rate.messages,
                self.rate.per_s,
            )
        self.stats.connects += 1
        self._start_flusher()
        return ws

    async def _login(self, ws: ClientConnection) -> list[Comment]:
        """CAP REQ, PASS, NICK; read until the 001 welcome; JOIN. Raises TwitchAuthError / TwitchError for a refusal,
        TimeoutError when no welcome comes, ConnectionClosed. Comments read meanwhile are returned."""
        for line in login_lines(self.nick, self._token.reveal()):
            await self._write(ws, line)
        deadline = time.monotonic() + self.login_timeout
        pending: list[Comment] = []
        acked = welcomed = False
        while not welcomed:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            async with asyncio.timeout(remaining):
                message = await ws.recv()
            for event in self._decode(message):  # the whole message: lines after the welcome count too
                if isinstance(event, Notice) and event.login_failed:
                    raise TwitchAuthError(
                        f"Twitch refused the login of {self.nick!r} ({event.text}): the OAuth token is expired, revoked, "
                        "malformed or belongs to another account. Create a new OAuth token with the chat:read and chat:edit "
                        "scopes for this account and set it in LIVEREPLY_TWITCH_TOKEN (or the credentials file)."
                    )
                if isinstance(event, CapNak):
                    raise TwitchError(
                        f"Twitch refused the capabilities {' '.join(event.caps)}: without twitch.tv/tags comments have "
                        "no ids and replies cannot be threaded (is the URL a Twitch chat server?)"
                    )
                if isinstance(event, CapAck):
                    acked = True
                elif isinstance(event, Welcome):
                    welcomed = True
                elif isinstance(event, Comment):
                    pending.append(event)
                elif not await self._handle(ws, event):
                    raise _LoginInterrupted
        if not acked:
            log.warning("Twitch welcomed %s without acknowledging the capabilities %s", self.nick, " ".join(REQUESTED_CAPS))
        await self._write(ws, join_line(self.channel))
        return pending

    async def _drop(self, ws: ClientConnection) -> None:
        if self._ws is ws:
            self._ws = None
            await self._stop_flusher()
        if ws.state is not State.CLOSED:
            with contextlib.suppress(Exception):
                await ws.close()

    async def _write(self, ws: ClientConnection, line: str) -> None:
        await ws.send(line)
        if log.isEnabledFor(logging.DEBUG):
            log.debug("> %s", redact(line))

    # ------------------------------------------------------------------ NOTICEs about posting

    def _on_notice(self, notice: Notice) -> None:
        msg_id = notice.msg_id or "(none)"
        _count(self.stats.notices, msg_id)
        now = time.monotonic()
        if msg_id == "msg_ratelimit":
            self.stats.rate_limited += 1
            pause = self.rate.per_s
            self._window.pause(now + pause)
            self._refuse_last((Unsent.RATE_LIMITED, f"Twitch refused it as too fast (msg_ratelimit: {notice.text})"))
            log.warning(
                "Twitch says the bot posts too fast in #%s: posting paused for %g s (%s)", self.channel, pause, notice.text
            )
        elif msg_id in _STOPS_POSTING:
            reason, what = _STOPS_POSTING[msg_id]
            why = (reason, f"{what} ({msg_id}: {notice.text})")
            self._stopped = why
            self._refuse_last(why)
            self._give_up_outbox(why)
            log.error(
                "Twitch: %s (#%s, account %s). Posting stopped for this session; replies are recorded as unsent.",
                why[1],
                self.channel,
                self.nick,
            )
        elif msg_id == "msg_timedout":
            seconds = notice.timeout_seconds
            why = (Unsent.MUTED, f"the bot account is timed out in this channel (msg_timedout: {notice.text})")
            if seconds is None:
                self._stopped = why
            else:
                self._paused_until, self._paused_why = now + seconds, why
            self._refuse_last(why)
            self._give_up_outbox(why)
            log.error(
                "Twitch: %s is timed out in #%s; posting stopped %s, replies are recorded as unsent",
                self.nick,
                self.channel,
                "for this session" if seconds is None else f"for {seconds} s",
            )
        elif msg_id in _DROPS_REPLY:
            reason, what = _DROPS_REPLY[msg_id]
            self._refuse_last((reason, f"{what} ({msg_id})"))
            log.warning("Twitch dropped the last reply in #%s: %s (%s)", self.channel, what, msg_id)
        else:
            log.info("Twitch notice in %s (%s): %s", notice.target, msg_id, notice.text)

    def _refuse_last(self, why: _Why) -> None:
        reply = self._last_posted
        if reply is None or self._last_refused:
            return
        self._last_refused = True
        self.stats.rejected += 1
        self._record_unsent(reply, why)

    def _stop_reason(self, now: float) -> _Why | None:
        if self._stopped is not None:
            return self._stopped
        if now < self._paused_until:
            return self._paused_why
        return None

    def _record_unsent(self, reply: Reply, why: _Why, posted: tuple[str, ...] = ()) -> None:
        reason, detail = why
        self._unsent.append(PostResult(reply, sent=False, reason=reason, detail=detail, posted=posted))
        self.stats.unsent += 1
        self.stats.unsent_reasons[str(reason)] += 1
        log.info("reply to %s not posted (%s): %s", ", ".join(reply.reply_to), reason, detail)

    def _give_up_outbox(self, why: _Why) -> None:
        while self._outbox:
            reply, _ = self._outbox.popleft()
            self._record_unsent(reply, why)

    # ------------------------------------------------------------------ send

    async def send(self, reply: Reply) -> None:
        """Post ``reply`` as a threaded reply to its first comment: waits for the rate limit, never exceeds it.

        While disconnected the reply goes to a bounded outbox, posted after the next login. When posting is stopped
        (banned, timed out) or the client is closed, the reply is recorded as unsent with the reason. Raises
        ProtocolError for a reply that cannot be posted at all (no reply_to, empty text); nothing is recorded then.
        """
        if not reply.reply_to:
            raise ProtocolError("reply has no reply_to comment ids", None)
        lines = self._lines(reply)
        why = _CLOSED if self._closing.is_set() else self._stop_reason(time.monotonic())
        if why is not None:
            self._record_unsent(reply, why)
            return
        if self._outbox or not self.connected:
            self._enqueue(reply, lines)
            self._start_flusher()
            return
        await self._post(reply, lines)

    def _lines(self, reply: Reply) -> list[str]:
        text = reply.text.strip()
        if not text:
            raise ProtocolError("reply text is empty", None)
        parts = split_reply(text, MAX_MESSAGE_CHARS, max_parts=_MAX_PARTS) or [fit_reply(text, MAX_MESSAGE_CHARS)]
        first = reply.reply_to[0]
        parent = first[len(COMMENT_ID_PREFIX) :] if first.startswith(COMMENT_ID_PREFIX) else None
        lines: list[str] = []
        for part in parts:
            if command_safe_len(part) > MAX_MESSAGE_CHARS:  # the '/'-command guard adds a character
                part = fit_reply(part, MAX_MESSAGE_CHARS - 1)
            lines.append(privmsg_line(self.channel, part, parent or None))
        return lines

    def _enqueue(self, reply: Reply, lines: list[str]) -> None:
        if len(self._outbox) >= self._max_outbox:
            lost, _ = self._outbox.popleft()
            self.stats.dropped += 1
            self._record_unsent(lost, (Unsent.NETWORK, f"outbox full ({self._max_outbox} replies waiting for a connection)"))
        self._outbox.append((reply, lines))

    async def _post(self, reply: Reply, lines: list[str], *, from_outbox: bool = False) -> None:
        """Write the reply's lines, each when the sliding window allows it. Serialised: one post at a time. When
        the connection is gone before the first line, the reply goes back to the outbox (to its front when it came
        from there, so the order holds); once a line is out, the rest is not retried (never a double post)."""
        written: list[str] = []  # the parts that went out
        try:
            async with self._send_lock:
                for line in lines:
                    await self._wait_turn()
                    why = _CLOSED if self._closing.is_set() else self._stop_reason(time.monotonic())
                    ws = self._ws
                    lost = why is None and (ws is None or ws.state is not State.OPEN)
                    if why is None and not lost and ws is not None:
                        try:
                            await self._write(ws, line)
                        except ConnectionClosed:
                            lost = True
                    if lost and not written:
                        self._requeue(reply, lines, front=from_outbox)
                        return
                    if lost:
                        why = (Unsent.NETWORK, f"the connection was lost after part {len(written)} of {len(lines)}")
                    if why is not None:
                        self._record_unsent(reply, why, tuple(written))
                        return
                    written.append(parse_line(line).params[1])
                    self._window.record(time.monotonic())
                    self.stats.sent += 1
                    self._last_posted, self._last_refused = reply, False
                self.stats.replies_sent += 1
        except asyncio.CancelledError:
            if not written and from_outbox:
                self._requeue(reply, lines, front=True)
            else:
                why = (Unsent.CLOSED, f"posting was cancelled after part {len(written)} of {len(lines)}")
                self._record_unsent(reply, why, tuple(written))
            raise

    async def _wait_turn(self) -> None:
        waited = False
        while not self._closing.is_set() and (wait := self._window.delay(time.monotonic())) > 0:
            waited = True
            await sleep_unless_closed(self._closing, wait)
        if waited:
            self.stats.rate_waits += 1

    def _requeue(self, reply: Reply, lines: list[str], *, front: bool) -> None:
        if front:
            self._outbox.appendleft((reply, lines))
        else:
            self._enqueue(reply, lines)

    def _start_flusher(self) -> None:
        if self._outbox and self.connected and (self._flusher is None or self._flusher.done()):
            self._flusher = asyncio.create_task(self._flush(), name=f"twitch-outbox-{self.channel}")

    async def _flush(self) -> None:
        while self._outbox and self.connected and not self._closing.is_set():
            why = self._stop_reason(time.monotonic())
            if why is not None:
                self._give_up_outbox(why)
                return
            reply, lines = self._outbox.popleft()
            await self._post(reply, lines, from_outbox=True)

    async def _stop_flusher(self) -> None:
        task, self._flusher = self._flusher, None
        if task is not None and not task.done() and task is not asyncio.current_task():
            task.cancel()
            await asyncio.wait([task])

    # ------------------------------------------------------------------ moderation

    async def moderate(self, action: ModerationAction) -> ModerationResult:
        """Delete a message or time its sender out through Helix (IRC no longer can); see
        :mod:`bot.adapters.twitch_helix`. Without moderation credentials the result says so."""
        if self.moderation is None:
            return ModerationResult(action, False, "Twitch moderation is not configured (no Helix moderator token)")
        return await self.moderation.moderate(action)

    # ------------------------------------------------------------------ close

    async def close(self) -> None:
        """Stop :meth:`events`, close the connection. Replies still waiting (outbox, rate limit) are recorded as
        unsent."""
        self._closing.set()
        if self.moderation is not None:
            await self.moderation.aclose()
        await self._stop_flusher()
        ws, self._ws = self._ws, None
        if ws is not None:
            await ws.close()
        self._give_up_outbox(_CLOSED)
        if self._unsent:
            log.warning("Twitch client closed; %d replies were not posted", len(self._unsent))

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


def _count(counter: Counter[str], key: str) -> None:
    counter[key if key in counter or len(counter) < MAX_COUNTED_KEYS else "(other)"] += 1
