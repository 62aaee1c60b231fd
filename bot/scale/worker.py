"""The worker: N processes, one consumer group ``workers`` per room stream, the same live loop as ``livereply run``.

``RedisRoom`` is a ``RoomConnection`` (bot/ports.py) backed by Redis Streams, so ``BotService`` — the one live loop —
serves it unchanged:

    events()   XREADGROUP <prefix>:in (COUNT = max_batch) → decoded events, numbered with a local ``seq``; the
               BotService reader stops pulling (so the worker stops reading) when its bounded queue is full
    received_at(seq)  the gateway's receive time of that event: BotService measures a comment's wait (shedding,
               ``stale_after_s``) and records its receive time from it, not from when this worker read it
    ack(seq)   XACK of every entry up to that local seq (BotService calls it once the batch is recorded)
    send()     XADD <prefix>:out (the gateway posts it, at the platform rate)

A background task per room renews the lease of the entries this worker holds (XCLAIM … JUSTID resets their idle
time), XAUTOCLAIMs entries another worker has held for longer than ``claim_idle_s`` (it died) and, once a minute,
deletes consumers that hold nothing and have been idle for ``forget_idle_s`` (stopped or dead workers). Claimed comments
the dead worker had recorded but not decided (``received``) are decided here (``WorkerService.recover_claimed``);
the others go through the loop again, where the comment log's (room, id) key drops the ones already recorded, so a
redelivered comment is recorded once and never answered twice.

Stage events: the worker that reads one publishes it to ``<prefix>:stage`` (compare-and-set on the entry id); every
worker serving the room applies a newer published stage before its next batch. Stock and order events change
PostgreSQL (absolute stock, orders idempotent per order id) and answers read live stock from the database when they
are rendered, so it does not matter which worker applied them (docs/scale.md, "Ordering").
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import signal
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from redis import exceptions as redis_errors
from redis.asyncio import Redis

from bot.engine import Engine
from bot.messages import Comment, EndOfStream, InboundEvent, ProtocolError, Reply, Stage
from bot.scale.gateway import REDIS_DOWN, ensure_group
from bot.scale.streams import (
    FORGET_IDLE_CONSUMERS,
    REPLY_XADD_RETRY_S,
    STAGE_CAS,
    WORKERS_GROUP,
    decode_event,
    encode_reply,
    in_key,
    out_key,
    room_of,
    sortable_id,
    stage_key,
)
from bot.service import BotService, SessionStats, _hand_off
from bot.shared_state import SharedCatalogState, SharedProbe

log = logging.getLogger(__name__)

Entry = tuple[str, dict[str, str]]
# claimed (entry id, event) pairs → the ones still to go through the loop (the hook decides / acknowledges the rest)
RecoverHook = Callable[["RedisRoom", list[tuple[str, InboundEvent]]], Awaitable[list[tuple[str, InboundEvent]]]]


@dataclasses.dataclass
class RoomStats:
    read: int = 0
    acked: int = 0
    claimed: int = 0
    recovered: int = 0
    replies: int = 0
    bad_entries: int = 0
    redis_errors: int = 0
    forgotten_consumers: int = 0  # idle consumers without entries deleted from the group (stopped or dead workers)


class RedisRoom:
    """A room as a worker sees it: its ``<prefix>:in`` stream through the ``workers`` group."""

    def __init__(
        self,
        redis: Redis,
        prefix: str,
        *,
        consumer: str,
        count: int = 64,
        block_ms: int = 1000,
        claim_idle_s: float = 10.0,
        claim_every_s: float | None = None,
        out_maxlen: int = 100_000,
        recover: RecoverHook | None = None,
        forget_idle_s: float = 300.0,
        forget_every_s: float = 60.0,
    ) -> None:
        self.redis: Any = redis  # redis-py's stubs type stream replies loosely: read as plain data
        self.prefix = prefix
        self.room = room_of(prefix)
        self.consumer = consumer
        self.count = max(1, count)
        self.block_ms = block_ms
        self.claim_idle_s = claim_idle_s
        self.claim_every_s = claim_every_s if claim_every_s is not None else max(0.2, claim_idle_s / 4)
        self.out_maxlen = out_maxlen
        self.recover = recover
        self.forget_idle_s = forget_idle_s
        self.forget_every_s = forget_every_s
        self.stats = RoomStats()
        self._seq = 0
        self._inflight: dict[int, str] = {}  # local seq → entry id, in order
        self._entry_at: dict[str, float] = {}  # decoded, not yet yielded: entry id → the gateway's receive time
        self._seq_at: dict[int, float] = {}  # yielded, not yet acknowledged: local seq → the gateway's receive time
        self._unacked: list[str] = []  # processed entries whose XACK failed (Redis away): retried with the next ack
        self._claimed: deque[tuple[str, InboundEvent]] = deque()
        self._closing = asyncio.Event()
        self._stage_seen = ""  # sortable id of the newest stage this worker applied

    # ------------------------------------------------------------------ RoomConnection

    async def events(self) -> AsyncIterator[InboundEvent]:
        key = in_key(self.prefix)
        claimer = asyncio.create_task(self._claim_loop(), name=f"claim-{self.room}")
        registered = False
        try:
            while not self._closing.is_set():
                try:
                    if not registered:  # visible in XINFO CONSUMERS at once (a blocked XREADGROUP does not create it)
                        await ensure_group(self.redis, key, WORKERS_GROUP)
                        await self.redis.xgroup_createconsumer(key, WORKERS_GROUP, self.consumer)
                        registered = True
                    stage = await self._published_stage()
                    if self._claimed:
                        batch = [self._claimed.popleft() for _ in range(min(self.count, len(self._claimed)))]
                    else:
                        resp = await self.redis.xreadgroup(WORKERS_GROUP, self.consumer, {key: ">"}, count=self.count,
                                                           block=self.block_ms)
                        batch = self._decode(resp[0][1] if resp else [])
                    if stage is not None:
                        yield stage
                    for entry_id, event in batch:
                        if isinstance(event, Stage):
                            await self._publish_stage(entry_id, event)
                        self._seq += 1
                        self._inflight[self._seq] = entry_id
                        at = self._entry_at.pop(entry_id, None)
                        if at is not None:
                            self._seq_at[self._seq] = at
                        self.stats.read += 1
                        yield dataclasses.replace(event, seq=self._seq)
                except REDIS_DOWN as exc:
                    self.stats.redis_errors += 1
                    log.warning("room %s: Redis unavailable (%s); retrying", self.room, type(exc).__name__)
                    await self._sleep(0.5)
        finally:
            claimer.cancel()
            await asyncio.gather(claimer, return_exceptions=True)

    def received_at(self, seq: int) -> float | None:
        """When the gateway received the event yielded as ``seq`` (its wall clock, as it wrote it in the entry)."""
        return self._seq_at.get(seq)

    async def ack(self, seq: int) -> None:
        done = [s for s in self._inflight if s <= seq]
        for s in done:
            self._seq_at.pop(s, None)
        ids = self._unacked + [self._inflight.pop(s) for s in done]
        if not ids:
            return
        try:
            await self.redis.xack(in_key(self.prefix), WORKERS_GROUP, *ids)
            self._unacked = []
            self.stats.acked += len(ids)
        except (*REDIS_DOWN, asyncio.CancelledError):
            # kept for the next ack (redelivered if we die first: recognised by comment id); also when cancelled
            # mid-XACK, or those entries would stay pending with no lease of ours until another worker claims them
            self._unacked = ids
            raise

    async def send(self, reply: Reply) -> None:
        fields = encode_reply(reply)
        delay = 0.2
        deadline = time.monotonic() + REPLY_XADD_RETRY_S  # a retry is a new entry: the gateway's marks outlive it
        while True:
            try:
                await self.redis.xadd(out_key(self.prefix), fields, maxlen=self.out_maxlen, approximate=True)
                self.stats.replies += 1
                return
            except REDIS_DOWN as exc:
                if time.monotonic() > deadline:
                    log.error("reply to %s not delivered: Redis unavailable for %g s (%s)", reply.reply_to, REPLY_XADD_RETRY_S,
                              exc)
                    return
                await asyncio.sleep(delay)
                delay = min(2.0, delay * 2)

    async def close(self) -> None:
        self._closing.set()

    def stop_reading(self) -> None:
        """Stop yielding events (BotService then finishes what it queued and flushes its replies)."""
        self._closing.set()

    # ------------------------------------------------------------------ helpers

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._closing.wait()

    def _decode(self, entries: Sequence[Any]) -> list[tuple[str, InboundEvent]]:
        out: list[tuple[str, InboundEvent]] = []
        skip: list[str] = []
        for entry_id, fields in entries:
            if fields is None:  # deleted (trimmed) while pending
                skip.append(entry_id)
                continue
            try:
                event, at = decode_event(fields)
            except ProtocolError as exc:
                self.stats.bad_entries += 1
                log.error("room %s: bad stream entry %s skipped: %s", self.room, entry_id, exc.reason)
                skip.append(entry_id)
                continue
            if isinstance(event, EndOfStream):
                skip.append(entry_id)
                continue
            self._entry_at[entry_id] = at
            out.append((entry_id, event))
        if skip:
            self._unacked.extend(skip)
        return out

    async def _publish_stage(self, entry_id: str, event: Stage) -> None:
        sid = sortable_id(entry_id)
        self._stage_seen = max(self._stage_seen, sid)
        await self.redis.eval(STAGE_CAS, 1, stage_key(self.prefix), sid, event.product_id or "", repr(event.ts))

    async def _published_stage(self) -> Stage | None:
        """The newest stage another worker read, when it is newer than what this worker applied (seq None: no ack)."""
        value = await self.redis.hgetall(stage_key(self.prefix))
        sid = value.get("id") if value else None
        if not sid or sid <= self._stage_seen:
            return None
        self._stage_seen = sid
        return Stage(product_id=value.get("product_id") or None, ts=float(value.get("ts") or 0.0), room=self.room)

    async def _claim_loop(self) -> None:
        key = in_key(self.prefix)
        next_forget = time.monotonic() + self.forget_every_s
        while not self._closing.is_set():
            await self._sleep(self.claim_every_s)
            try:
                held = list(self._inflight.values())
                if held:  # lease renewal: what we hold is not idle, whatever our queue's length
                    await self.redis.xclaim(key, WORKERS_GROUP, self.consumer, 0, held, justid=True)
                await self._autoclaim(key, set(held))
                if time.monotonic() >= next_forget:
                    next_forget = time.monotonic() + self.forget_every_s
                    await self._forget_idle_consumers(key)
            except REDIS_DOWN as exc:
                log.warning("room %s: claim pass failed (%s)", self.room, type(exc).__name__)
            except redis_errors.ResponseError as exc:
                log.warning("room %s: claim pass failed: %s", self.room, exc)

    async def _autoclaim(self, key: str, held: set[str]) -> None:
        start = "0-0"
        idle_ms = int(self.claim_idle_s * 1000)
        while True:
            resp = await self.redis.xautoclaim(key, WORKERS_GROUP, self.consumer, idle_ms, start_id=start, count=100)
            start, entries = resp[0], resp[1]
            entries = [(eid, f) for eid, f in entries if eid not in held]
            if entries:
                decoded = self._decode(entries)
                self.stats.claimed += len(entries)
                log.warning("room %s: claimed %d entries idle for more than %.0f s (a worker died)", self.room,
                            len(entries), self.claim_idle_s)
                if self.recover is not None and decoded:
                    taken = {eid for eid, _ in decoded}
                    decoded = await self.recover(self, decoded)
                    for eid in taken - {eid for eid, _ in decoded}:  # decided by the hook: never yielded
                        self._entry_at.pop(eid, None)
                self._claimed.extend(decoded)
            if start in ("0-0", b"0-0"):
                return

    async def _forget_idle_consumers(self, key: str) -> None:
        """Delete the group's consumers that hold no entry and have been idle for ``forget_idle_s`` (a dead worker
        whose entries were claimed, a stopped one): checked and deleted atomically (FORGET_IDLE_CONSUMERS)."""
        gone = await self.redis.eval(FORGET_IDLE_CONSUMERS, 1, key, WORKERS_GROUP, self.consumer,
                                     int(self.forget_idle_s * 1000))
        if gone:
            self.stats.forgotten_consumers += len(gone)
            log.info("room %s: removed %d consumers idle for more than %.0f s with no entries (stopped or dead "
                     "workers): %s", self.room, len(gone), self.forget_idle_s, ", ".join(map(str, gone)))

    async def ack_ids(self, ids: Sequence[str]) -> None:
        if ids:
            await self.redis.xack(in_key(self.prefix), WORKERS_GROUP, *ids)
            self.stats.acked += len(ids)


class WorkerService(BotService):
    """BotService for a worker: no start-up recovery of the whole room (other workers are live and their comments
    are ``received`` for a moment); comments of a dead worker are recovered when its entries are claimed."""

    async def _recover(self, room: str | None) -> None:
        with contextlib.suppress(Exception):
            await asyncio.to_thread(self.engine.drain_spool)

    async def recover_claimed(self, comments: Sequence[tuple[Comment, float]]) -> None:
        """Decide claimed comments the dead worker recorded but never decided (received_at = wall clock)."""
        now_wall, now = time.time(), time.monotonic()
        fresh: list[tuple[float, float, Comment]] = []
        stale: list[Comment] = []
        for c, received_at in comments:
            age = now_wall - (received_at or now_wall)
            if age > self.recover_max_age_s:
                stale.append(c)
            else:
                fresh.append((now - age, received_at, c))
        if stale:
            reason = "not answered: the worker stopped before deciding (claimed by another, too old to answer)"
            outcomes = [_hand_off(c, reason, self.engine.default_lang) for c in stale]
            async with self._work_lock:
                await asyncio.to_thread(self.engine.record_outcomes, outcomes)
            self.stats.recovered_to_staff += len(stale)
        for start in range(0, len(fresh), self.max_batch):
            chunk = fresh[start : start + self.max_batch]
            await self._process_comments(chunk, record=False)
            self.stats.recovered += len(chunk)


def recover_hook(service: WorkerService) -> RecoverHook:
    """Claimed entries whose comment is logged but undecided are decided now and acknowledged; the rest go on."""

    async def hook(room: RedisRoom, items: list[tuple[str, InboundEvent]]) -> list[tuple[str, InboundEvent]]:
        ids = {e.id for _, e in items if isinstance(e, Comment)}
        if not ids:
            return items
        records = await asyncio.to_thread(service.engine.store.unfinished_comments, room.room)
        undecided = {r.comment_id: r for r in records if r.comment_id in ids}
        if not undecided:
            return items
        todo = [
            (Comment(id=r.comment_id, user=r.user, text=r.text, ts=r.ts, room=r.room, lang=r.lang, product_id=r.product_id),
             r.received_at)
            for r in undecided.values()
        ]
        log.warning("room %s: %d claimed comments were recorded but not decided by the dead worker: deciding them",
                    room.room, len(todo))
        await service.recover_claimed(todo)
        room.stats.recovered += len(todo)
        done = [eid for eid, e in items if isinstance(e, Comment) and e.id in undecided]
        await room.ack_ids(done)
        return [(eid, e) for eid, e in items if not (isinstance(e, Comment) and e.id in undecided)]

    return hook


@dataclasses.dataclass
class WorkerRoom:
    prefix: str
    service: WorkerService
    connection: RedisRoom


async def serve_worker(
    rooms: Sequence[WorkerRoom], redis: Redis, *, on_stop: Callable[[], None] | None = None
) -> list[SessionStats]:
    """Serve every room until SIGTERM / SIGINT: then stop reading, finish the queued batches, flush the replies."""
    loop = asyncio.get_running_loop()

    def stop() -> None:
        log.info("worker stopping: finishing queued batches")
        for r in rooms:
            r.connection.stop_reading()
        if on_stop:
            on_stop()

    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop)
    try:
        return list(await asyncio.gather(*(r.service.run(r.connection) for r in rooms)))
    finally:
        await redis.aclose()


def build_worker_rooms(
    runtime: Any, scheduler_factory: Callable[[], Any], service_options: dict[str, Any], prefixes: Sequence[str], redis: Redis,
    *, consumer: str, claim_idle_s: float, spool_dir: str | Path, block_ms: int = 1000,
) -> list[WorkerRoom]:
    """One engine + BotService per room (the stage and the reply scheduler are per room), sharing the model, the
    store, the catalog state (built once, adopted by every room's engine on a reload) and one engine lock: a worker
    process decides one batch at a time (use more processes for more cores)."""
    shared_lock = asyncio.Lock()
    # one catalog-version read per half reload interval for all the rooms' engines (not one per room per interval)
    probe = SharedProbe(runtime.store.catalog_version, float(service_options.get("reload_interval_s", 0.1)) / 2)
    # one catalog state (FAQ index, view, product vectors) for all the rooms, the start-up engine's (calibrated)
    shared = SharedCatalogState.of(runtime.engine)
    out: list[WorkerRoom] = []
    options = dict(service_options)
    # a small local queue: entries read but not decided are leased to this worker, keep them few (back-pressure)
    options["max_queue"] = max(1, min(int(options.get("max_queue", 256)), 4 * int(options.get("max_batch", 64))))
    for prefix in prefixes:
        base = runtime.engine
        engine = Engine(
            runtime.store, runtime.embedder, base.intent_model, settings=base.base_settings, index_dir=base.index_dir,
            spool_path=str(Path(spool_dir) / f"worker-{consumer}-{room_of(prefix)}.spool.jsonl"),
            default_lang=base.default_lang, shared=shared,
        )
        engine.catalog_version_probe = probe
        service = WorkerService(engine, scheduler_factory(), **options)
        service._work_lock = shared_lock
        connection = RedisRoom(redis, prefix, consumer=consumer, count=service.max_batch, claim_idle_s=claim_idle_s,
                               block_ms=block_ms, recover=recover_hook(service))
        out.append(WorkerRoom(prefix, service, connection))
    return out
