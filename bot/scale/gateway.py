"""The gateway: one per platform room. Room → ``<prefix>:in`` and ``<prefix>:out`` → room; no model, no database.

    inbound   RoomClient.events() → XADD <prefix>:in (MAXLEN ~) → RoomClient.ack(seq): the room is acknowledged only
              once the event is in Redis (or fsynced to the local spool), so the delivery contract holds end to end
    spool     while Redis is away, events go to a bounded local JSONL spool (acknowledged once fsynced) and are
              drained into the stream, in order, when Redis is back; the lag is logged
    outbound  XREADGROUP <prefix>:out (group ``gateway``) → mark posted + XACK (one MULTI) → RoomClient.send, at
              most ``rate`` posts per window: N workers each run the reply scheduler, the platform limit is enforced
              here, once per room. Each comment is answered at most once (per kind of reply), across restarts and
              duplicate entries: a reply all of whose comments carry a ``<prefix>:posted:<who>:<comment id>`` mark
              is acknowledged and skipped (see ``_post``)
              A reply older than ``max_reply_age_s`` (by the Redis server's clock: its entry id against ``TIME``) is
              acknowledged and dropped, never posted: a restarted gateway must not post the last show's answers
    end       after the room's EndOfStream: stop once the workers have consumed and acknowledged every inbound entry,
              the spool is empty and no reply came for ``end_idle_s``
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import signal
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from redis import exceptions as redis_errors
from redis.asyncio import Redis

from bot.adapters.capabilities import RateLimit
from bot.adapters.ratelimit import SlidingWindow
from bot.messages import EndOfStream, InboundEvent, ProtocolError, Reply
from bot.replies import MAX_REPLY_AGE_S
from bot.scale.streams import (
    DEFAULT_MAXLEN,
    GATEWAY_GROUP,
    WORKERS_GROUP,
    GatewaySpool,
    decode_reply,
    encode_event,
    entry_age_s,
    in_key,
    out_key,
    posted_keys,
    posted_mark_ttl_s,
)

log = logging.getLogger(__name__)

REDIS_DOWN = (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError)
REDIS_DOWN_LOG_EVERY_S = 5.0  # a Redis outage is logged when it starts, then at most this often (with the count)
# Test hook, off by default: the gateway kills itself (SIGKILL) right after its N-th post, before anything else runs
# for that reply's entry: a crash right after a post (tests/test_scale_walkthrough.py; before the posted marks, the
# entry was still unacknowledged there and a restarted gateway posted it again).
KILL_AFTER_POSTS_ENV = "LIVEREPLY_TEST_GATEWAY_KILL_AFTER_POSTS"


class GatewayRoom(Protocol):
    """What the gateway needs from a room client (``RoomClient`` satisfies it)."""

    def events(self) -> AsyncIterator[InboundEvent]: ...

    async def send(self, reply: Reply) -> None: ...

    async def ack(self, seq: int) -> None: ...

    async def close(self) -> None: ...


@dataclass
class GatewayStats:
    received: int = 0  # events read from the room
    streamed: int = 0  # events XADDed directly
    spooled: int = 0  # events that went through the local spool (Redis away)
    drained: int = 0  # spooled events later written to the stream
    replies_posted: int = 0
    stale_replies: int = 0  # acknowledged and not posted: older than max_reply_age_s (e.g. left by the last show)
    already_posted: int = 0  # acknowledged and not posted: every comment it answers is marked as answered already
    partly_posted: int = 0  # posted to only the comments of its reply_to that were not answered yet
    bad_replies: int = 0
    redis_errors: int = 0
    max_lag_s: float = 0.0  # the oldest spooled event's age when it reached Redis


async def ensure_group(redis: Redis, key: str, group: str, start: str = "0") -> None:
    try:
        await redis.xgroup_create(key, group, id=start, mkstream=True)
    except redis_errors.ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


class Gateway:
    def __init__(
        self,
        room: GatewayRoom,
        redis: Redis,
        prefix: str,
        *,
        spool: GatewaySpool,
        maxlen: int = DEFAULT_MAXLEN,
        rate: RateLimit | None = None,
        consumer: str = "gateway-1",
        end_idle_s: float = 3.0,
        block_ms: int = 500,
        stop_at_end: bool = True,
        max_reply_age_s: float = MAX_REPLY_AGE_S,
    ) -> None:
        self.room = room
        self.redis: Any = redis  # redis-py's stubs type stream replies loosely: read as plain data
        self.prefix = prefix
        self.spool = spool
        self.maxlen = maxlen
        self.window = SlidingWindow(rate) if rate else None
        self.consumer = consumer
        self.end_idle_s = end_idle_s
        self.block_ms = block_ms
        self.stop_at_end = stop_at_end
        self.max_reply_age_s = max_reply_age_s
        self.mark_ttl_s = posted_mark_ttl_s(max_reply_age_s)  # ValueError for an age limit that cannot bound it
        self.address = redis_address(redis)
        self.stats = GatewayStats()
        self._lock = asyncio.Lock()  # XADD-or-spool decisions and drains: keeps the stream in room order
        self._ended = asyncio.Event()
        self._stop = asyncio.Event()
        self._last_reply = time.monotonic()
        self._stopping = False
        self._redis_down_since: float | None = None
        self._leftover = len(spool)  # spooled by an earlier run (Redis was away when it stopped): drained first
        self._clock: tuple[float, float] = (0.0, 0.0)  # (Redis TIME in ms, time.monotonic()) at the last read
        self._kill_after_posts = int(os.environ.get(KILL_AFTER_POSTS_ENV) or 0)  # test hook, 0 = off

    # ------------------------------------------------------------------ run

    async def run(self) -> GatewayStats:
        if self._leftover:
            log.warning("gateway spool %s holds %d events left by an earlier run (oldest %.0f s): writing them to "
                        "%s first", self.spool.path, self._leftover, self.spool.oldest_age(), in_key(self.prefix))
        inbound = asyncio.create_task(self._inbound(), name="gateway-inbound")
        outbound = asyncio.create_task(self._outbound(), name="gateway-outbound")
        drainer = asyncio.create_task(self._drain_loop(), name="gateway-drain")
        until = asyncio.create_task((self._ended if self.stop_at_end else self._stop).wait())
        try:
            await asyncio.wait({until, inbound, outbound, drainer}, return_when=asyncio.FIRST_COMPLETED)
            for task in (inbound, outbound, drainer):
                if task.done() and not task.cancelled() and task.exception() is not None:
                    error = task.exception()
                    log.error("gateway %s task failed: %r", task.get_name(), error, exc_info=error)
                    raise RuntimeError(f"gateway {task.get_name()} failed: {error!r}") from error
            if inbound.done() and not self._ended.is_set():
                log.warning("the room connection ended without an end of stream")
                self._ended.set()
            if self.stop_at_end:
                await self._wait_consumed()
            else:
                await self._stop.wait()
        finally:
            until.cancel()
            self._stopping = True  # the loops check it too: on Python 3.11 a cancel racing a timeout can be swallowed
            for task in (inbound, outbound, drainer):
                task.cancel()
            await asyncio.wait({inbound, outbound, drainer}, timeout=5.0)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(10.0):
                    await self.room.close()
        return self.stats

    def stop(self) -> None:
        """Stop now (SIGTERM): what is not acknowledged is re-sent by the room / re-read from the stream."""
        self._ended.set()
        self._stop.set()
        self.end_idle_s = 0.0
        self._stopping = True

    async def _wait_consumed(self) -> None:
        last_report = time.monotonic()
        while not self._stopping:
            await asyncio.sleep(0.25)
            if time.monotonic() - last_report >= 5.0:
                last_report = time.monotonic()
                log.info("room ended; waiting for the workers (spool %d, last reply %.1f s ago)", len(self.spool),
                         time.monotonic() - self._last_reply)
            if len(self.spool):
                continue
            try:
                groups = await self.redis.xinfo_groups(in_key(self.prefix))
            except REDIS_DOWN:
                continue
            except redis_errors.ResponseError:
                groups = []
            workers = next((g for g in groups if _s(g.get("name")) == WORKERS_GROUP), None)
            if workers is None or workers.get("pending") or workers.get("lag"):
                continue
            if time.monotonic() - self._last_reply >= self.end_idle_s:
                return

    # ------------------------------------------------------------------ inbound

    async def _inbound(self) -> None:
        async for event in self.room.events():
            self.stats.received += 1
            if isinstance(event, EndOfStream):
                if event.seq is not None:
                    await self.room.ack(event.seq)
                log.info("room ended: %d events read", self.stats.received)
                self._ended.set()
                return
            while self.spool.full:  # stop reading the room: it keeps what we have not acknowledged
                log.warning("gateway spool full (%d events, oldest %.1f s): not reading the room", len(self.spool),
                            self.spool.oldest_age())
                await asyncio.sleep(1.0)
            await self._store(encode_event(event))
            if event.seq is not None:
                await self.room.ack(event.seq)

    async def _store(self, fields: dict[str, str]) -> None:
        async with self._lock:
            if not len(self.spool):
                try:
                    await self.redis.xadd(in_key(self.prefix), fields, maxlen=self.maxlen, approximate=True)
                    self.stats.streamed += 1
                    return
                except REDIS_DOWN as exc:
                    self._redis_down(exc)
            await asyncio.to_thread(self.spool.add, fields)
            self.stats.spooled += 1

    def _redis_down(self, exc: BaseException) -> None:
        self.stats.redis_errors += 1
        if self._redis_down_since is None:
            self._redis_down_since = time.monotonic()
            log.warning("Redis %s unavailable (%s: %s): spooling inbound events to %s", self.address,
                        type(exc).__name__, exc, self.spool.path)

    async def _drain_loop(self) -> None:
        last_report = 0.0
        while not self._stopping:
            await asyncio.sleep(0.2)
            if not len(self.spool):
                continue
            try:
                await self._drain_once()
            except REDIS_DOWN as exc:
                self._redis_down(exc)
                now = time.monotonic()
                if now - last_report >= 5.0:
                    last_report = now
                    log.warning("Redis %s still unavailable: %d events spooled, oldest %.1f s (lag)", self.address,
                                len(self.spool), self.spool.oldest_age())

    async def _drain_once(self, chunk: int = 500) -> None:
        while len(self.spool):
            async with self._lock:
                lag = self.spool.oldest_age()
                batch = self.spool.head(chunk)
                pipe = self.redis.pipeline(transaction=False)
                for fields in batch:
                    pipe.xadd(in_key(self.prefix), fields, maxlen=self.maxlen, approximate=True)
                await pipe.execute()
                await asyncio.to_thread(self.spool.pop, len(batch))
                self.stats.drained += len(batch)
                self.stats.max_lag_s = max(self.stats.max_lag_s, lag)
        if self._leftover:
            log.warning("gateway spool left by an earlier run drained: %d events written to %s", self._leftover,
                        in_key(self.prefix))
            self._leftover = 0
        if self._redis_down_since is not None:
            log.warning("Redis is back after %.1f s: spool drained (%d events so far, lag up to %.1f s)",
                        time.monotonic() - self._redis_down_since, self.stats.drained, self.stats.max_lag_s)
            self._redis_down_since = None

    # ------------------------------------------------------------------ outbound

    async def _outbound(self) -> None:
        key = out_key(self.prefix)
        start = "0"  # first our own pending replies (a previous run died after reading them, before posting), then new
        failures, failing_since, logged_at = 0, 0.0, -float("inf")
        while not self._stopping:
            try:
                await ensure_group(self.redis, key, GATEWAY_GROUP)
                while not self._stopping:
                    resp = await self.redis.xreadgroup(GATEWAY_GROUP, self.consumer, {key: start}, count=100, block=self.block_ms)
                    if failures:
                        log.warning("gateway reads replies from Redis %s again (after %d failed attempts in %.0f s)",
                                    self.address, failures, time.monotonic() - failing_since)
                        failures, logged_at = 0, -float("inf")
                    entries = resp[0][1] if resp else []
                    if start == "0" and not entries:
                        start = ">"
                        continue
                    if entries:
                        await self._read_clock()
                    stale: list[tuple[float, Reply]] = []
                    again: list[Reply] = []
                    for entry_id, fields in entries:
                        await self._post(key, entry_id, fields, stale, again)
                    if stale:
                        self._log_stale(stale)
                    if again:
                        log.warning("not posted again: %d replies already posted (a gateway stopped before "
                                    "acknowledging them, or a worker sent one twice), e.g. to %s: %r", len(again),
                                    ",".join(again[0].reply_to), again[0].text)
            except REDIS_DOWN as exc:
                self.stats.redis_errors += 1
                now = time.monotonic()
                if not failures:
                    failing_since = now
                failures += 1
                if now - logged_at >= REDIS_DOWN_LOG_EVERY_S:
                    logged_at = now
                    log.warning("gateway cannot read replies from Redis %s (%s: %s); retrying every 0.5 s (%d failed "
                                "attempts in %.0f s)", self.address, type(exc).__name__, exc, failures, now - failing_since)
                start = "0"
                await asyncio.sleep(0.5)
            except redis_errors.ResponseError as exc:  # NOGROUP: the stream was deleted under us
                log.warning("reply stream: %s; re-creating the group", exc)
                await asyncio.sleep(0.5)

    async def _read_clock(self) -> None:
        """The Redis server's clock now (``TIME``): a reply's age is its entry id against it, one clock for all."""
        seconds, micros = await self.redis.time()
        self._clock = (int(seconds) * 1000 + int(micros) / 1000, time.monotonic())

    def _age_s(self, entry_id: Any) -> float:
        server_ms, at = self._clock
        return entry_age_s(entry_id, server_ms + (time.monotonic() - at) * 1000)

    async def _post(
        self, key: str, entry_id: Any, fields: dict[Any, Any], stale: list[tuple[float, Reply]], again: list[Reply]
    ) -> None:
        """Post one reply entry at the platform rate and acknowledge it; a bad one is skipped, a too old one added
        to ``stale``, one whose comments were all answered already (their marks exist) to ``again``: all three
        acknowledged, never posted.

        At most once per comment: every comment id the reply answers is marked (``SET <prefix>:posted:<who>:<comment
        id> NX EX ttl``, ``streams.posted_keys``) and the entry acknowledged in one MULTI right *before* the send; the
        reply is posted only if this call set at least one mark. So a gateway killed after a post never posts it
        again (restart, re-read of its pending entries, a re-created group), a Redis error after the send cannot make
        it re-read and repost the entry, and the same reply XADDed twice (a worker retrying an XADD that had in fact
        reached Redis) is posted once. ``who`` keeps a staff "answer now" and the bot's answer to one comment apart
        (``streams.posted_who``). Partly answered (a merged reply to [a, b] when a was answered already): posted with
        ``reply_to`` cut to the comments not answered yet (b's viewer gets the answer, a's is not answered twice).
        The price: a gateway killed between that MULTI and the
        send (or a send that fails) loses that one reply. That is the right side to err on in a live room: a second
        answer to one comment is visible noise to every viewer, a missing one is rarely noticed (the viewer asks
        again, staff see the comment decided), and it would have been dropped anyway once older than
        ``max_reply_age_s``. Round trips: the MULTI replaces the XACK that followed the send, so still one per
        posted reply (the platform allows a few posts per second per room; a round trip is ~0.1 ms on a LAN).
        """
        try:
            reply = decode_reply(fields)
        except ProtocolError as exc:
            self.stats.bad_replies += 1
            log.error("bad reply entry %s skipped: %s", entry_id, exc.reason)
            await self.redis.xack(key, GATEWAY_GROUP, entry_id)
            return
        if self.window is not None:
            for _ in range(1000):  # a sliding window: one sleep is normally enough
                wait = self.window.delay(time.monotonic())
                if wait <= 0 or self._age_s(entry_id) > self.max_reply_age_s:
                    break
                await asyncio.sleep(wait)
        age = self._age_s(entry_id)  # after any wait for the rate limit: a backlog ages too
        if age > self.max_reply_age_s:
            self.stats.stale_replies += 1
            stale.append((age, reply))
            await self.redis.xack(key, GATEWAY_GROUP, entry_id)
            return
        marks = posted_keys(self.prefix, reply) or [f"{self.prefix}:posted:entry:{_s(entry_id)}"]  # no reply_to
        pipe = self.redis.pipeline(transaction=True)
        for mark in marks:
            pipe.set(mark, self.consumer, nx=True, ex=self.mark_ttl_s)
        pipe.xack(key, GATEWAY_GROUP, entry_id)
        *marked, _ = await pipe.execute()
        if not any(marked):
            self.stats.already_posted += 1
            again.append(reply)
            return
        if not all(marked) and reply.reply_to:  # some of its comments were answered already: post it for the others
            answered = [cid for cid, new in zip(reply.reply_to, marked, strict=True) if not new]
            reply = dataclasses.replace(reply, reply_to=tuple(c for c, new in zip(reply.reply_to, marked, strict=True) if new))
            self.stats.partly_posted += 1
            log.warning("reply posted for %s only: %s answered already (%r)", ",".join(reply.reply_to),
                        ",".join(answered), reply.text)
        if self.window is not None:
            self.window.record(time.monotonic())
        await self.room.send(reply)
        self.stats.replies_posted += 1
        self._last_reply = time.monotonic()
        if self._kill_after_posts and self.stats.replies_posted >= self._kill_after_posts:  # test hook (off by default)
            await asyncio.sleep(0.3)  # let the room read the frame; nothing else of this reply runs meanwhile
            os.kill(os.getpid(), signal.SIGKILL)

    def _log_stale(self, stale: list[tuple[float, Reply]]) -> None:
        oldest, example = max(stale, key=lambda item: item[0])
        log.warning("not posted: %d replies older than %g s (oldest %.0f s, e.g. to %s: %r); %d so far",
                    len(stale), self.max_reply_age_s, oldest, ",".join(example.reply_to), example.text,
                    self.stats.stale_replies)


def _s(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def redis_address(redis: Any) -> str:
    """Where a Redis client connects, for logs: host:port/db or the socket path, never the password."""
    kw = getattr(getattr(redis, "connection_pool", None), "connection_kwargs", None) or {}
    if kw.get("path"):
        return f"unix://{kw['path']}"
    return f"{kw.get('host', '?')}:{kw.get('port', 6379)}/{kw.get('db', 0)}"


def check_redis_url(url: str) -> str:
    """``url``'s address for messages (no password); ValueError with the reason when it is not a Redis URL."""
    from redis.connection import parse_url

    try:
        kw = parse_url(url)
    except ValueError as exc:
        raise ValueError(f"not a Redis URL ({exc}); e.g. redis://127.0.0.1:6379/0") from None
    if kw.get("path"):
        return f"unix://{kw['path']}"
    return f"{kw.get('host', '127.0.0.1')}:{kw.get('port', 6379)}/{kw.get('db', 0)}"


def gateway_rate(rate_per_s: float, burst: int) -> RateLimit | None:
    """The platform limit as a sliding window: at most ``burst`` posts per ``burst / rate_per_s`` seconds."""
    if rate_per_s <= 0:
        return None
    n = max(1, int(burst))
    return RateLimit(n, n / rate_per_s)


# Redis connections a room may hold at once in one process (a blocking XREADGROUP, a write, the drain / lease
# loop, the occasional XINFO / HGETALL): a client shared by many rooms is sized for them, else redis-py's default pool
# of 100 connections runs out at ~100 rooms and every room stalls (MaxConnectionsError, bench_gateway_rooms.py).
REDIS_CONNECTIONS_PER_ROOM = 6


def redis_for_rooms(redis_url: str, rooms: int) -> Redis:
    """One Redis client (connection pool) for ``rooms`` rooms of this process."""
    return Redis.from_url(
        redis_url, decode_responses=True, socket_connect_timeout=2.0, socket_timeout=10.0,
        max_connections=max(100, REDIS_CONNECTIONS_PER_ROOM * rooms + 10),
    )


async def serve_gateway(room: GatewayRoom, redis_url: str, prefix: str, *, spool_path: str, **options: Any) -> GatewayStats:
    return (await serve_gateways([(room, prefix, spool_path)], redis_url, **options))[0]


async def serve_gateways(
    rooms: Sequence[tuple[GatewayRoom, str, str]], redis_url: str, **options: Any
) -> list[GatewayStats]:
    """Several rooms in one process, each (room, stream prefix, spool path) its own `Gateway` on one Redis connection
    pool: a gateway is asyncio and mostly waits, so one process serves many rooms (docs/scale.md, 1,000 rooms).
    SIGTERM / SIGINT stop them all; returns when every room has ended (or was stopped)."""
    redis = redis_for_rooms(redis_url, len(rooms))
    gateways = [Gateway(room, redis, prefix, spool=GatewaySpool(spool), **options) for room, prefix, spool in rooms]
    loop = asyncio.get_running_loop()

    def stop_all() -> None:
        for gateway in gateways:
            gateway.stop()

    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop_all)
    try:
        # one room failing does not stop the others: each is awaited to its end, then the first failure is raised
        results = await asyncio.gather(*(gateway.run() for gateway in gateways), return_exceptions=True)
    finally:
        await redis.aclose()
    failed = [(prefix, r) for (_, prefix, _), r in zip(rooms, results, strict=True) if isinstance(r, BaseException)]
    for prefix, exc in failed:
        log.error("gateway %s failed: %r", prefix, exc)
    if failed:
        raise failed[0][1]
    return [r for r in results if isinstance(r, GatewayStats)]
