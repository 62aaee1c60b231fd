"""The live loop: room events in, replies out. Thin asyncio glue around Engine and ReplyScheduler.

    recovery      at start, comments a previous run recorded but never decided (it crashed) are decided now,
                  or handed to staff when they are too old to answer
    reader task   RoomClient.events() → bounded queue (when the bot falls far behind, the socket stops being
                  read and the room's own buffers push back; nothing is dropped)
    worker        takes up to ``max_batch`` queued items, runs consecutive comments as one batch in a worker
                  thread (record → decide → render), applies stage/stock/order events in order, offers
                  replies, then acknowledges the highest ``seq`` done (the room re-sends what is not acked).
                  Comments that waited longer than ``stale_after_s`` are recorded but not answered (shed).
    sender task   releases scheduled replies when due; records each reply before sending it
    reload task   polls the catalog version; a staff edit swaps the engine state within reload_interval_s
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.engine import Engine, Outcome
from bot.errors import LiveReplyError
from bot.messages import Behaviour, Comment, EndOfStream, InboundEvent, Order, Reply, Stage, StockUpdate
from bot.pipeline import ANSWER, RECOMMEND, STAFF, Decision
from bot.ports import RoomConnection
from bot.replies import ReplyCandidate, ReplyScheduler

log = logging.getLogger(__name__)


@dataclass
class SessionStats:
    received: int = 0
    events: int = 0
    replies_sent: int = 0
    comments_answered: int = 0
    merged: int = 0
    cooldown: int = 0
    dropped: int = 0
    errors: int = 0
    shed: int = 0  # recorded but not answered: they waited longer than stale_after_s (the bot was behind)
    recovered: int = 0  # left undecided by a previous run, decided at start
    recovered_to_staff: int = 0  # left undecided by a previous run and too old to answer: handed to staff
    # receive → reply sent, seconds, per answered comment (the most recent LATENCY_WINDOW: bounded memory)
    latencies: deque[float] = field(default_factory=lambda: deque(maxlen=LATENCY_WINDOW))
    started: float = field(default_factory=time.time)
    ended: float | None = None
    room_error: str | None = None  # why the room connection gave up (expired credentials, banned…), if it did


LATENCY_WINDOW = 100_000
MAX_PENDING_LATENCY = 20_000  # comments awaiting their reply whose receive time is kept for the latency figure


class BotService:
    def __init__(
        self,
        engine: Engine,
        scheduler: ReplyScheduler,
        *,
        reload_interval_s: float = 0.25,
        on_outcome: Callable[[Outcome], None] | None = None,
        on_event: Callable[[object, str], None] | None = None,
        on_reply: Callable[[Reply], None] | None = None,
        max_batch: int = 64,
        max_queue: int = 10_000,
        stale_after_s: float = 60.0,
        recover_max_age_s: float = 300.0,
    ) -> None:
        if max_batch < 1 or max_queue < 1:
            raise ValueError("max_batch and max_queue must be >= 1")
        self.engine = engine
        self.scheduler = scheduler
        self.reload_interval_s = reload_interval_s
        self.on_outcome = on_outcome
        self.on_event = on_event
        self.on_reply = on_reply
        self.max_batch = max_batch
        self.stale_after_s = stale_after_s
        self.recover_max_age_s = recover_max_age_s
        self.stats = SessionStats()
        # (monotonic receive time, wall-clock receive time, event); None marks the end of the room
        self._queue: asyncio.Queue[tuple[float, float, InboundEvent | None]] = asyncio.Queue(maxsize=max_queue)
        self._received_at: OrderedDict[str, float] = OrderedDict()
        self._wake = asyncio.Event()
        self._work_lock = asyncio.Lock()  # one engine call at a time (batch processing or reload)
        self._stopping = False
        self._loop: asyncio.AbstractEventLoop | None = None  # set while run() serves a room
        self._client: RoomConnection | None = None

    def post_threadsafe(self, reply: Reply, timeout: float = 5.0) -> None:
        """Post a reply from another thread (the staff console's "answer now"); recorded like any reply."""
        loop, client = self._loop, self._client
        if loop is None or client is None or loop.is_closed():
            raise RuntimeError("the bot is not connected to a room")
        asyncio.run_coroutine_threadsafe(self._post(client, reply), loop).result(timeout)

    async def run(self, client: RoomConnection) -> SessionStats:
        """Serve one room until it ends (EndOfStream) or the client is closed."""
        self._loop, self._client = asyncio.get_running_loop(), client
        await self._recover(getattr(client, "room", None))
        reader = asyncio.create_task(self._read(client), name="reader")
        sender = asyncio.create_task(self._send_loop(client), name="sender")
        reloader = asyncio.create_task(self._reload_loop(), name="reloader")
        try:
            await self._work()
        finally:
            self._stopping = True
            self._wake.set()
            reader.cancel()
            reloader.cancel()
            await asyncio.gather(sender, return_exceptions=True)
            # End of show: release everything still pending.
            for reply in self.scheduler.flush(time.monotonic()):
                await self._post(client, reply)
            await asyncio.gather(reader, reloader, return_exceptions=True)
            try:
                await asyncio.to_thread(self.engine.drain_spool)
            except Exception:
                log.exception("spooled comments stay in %s until the next start", self.engine.spool.path)
            self.stats.ended = time.time()
            self._client = None
        return self.stats

    # ---------------------------------------------------------------- recovery after a crash

    async def _recover(self, room: str | None) -> None:
        """Decide the comments a previous run recorded but never decided (``received``): answer the recent ones,
        hand the old ones to staff. Their replies go out once the room is connected."""
        try:
            await asyncio.to_thread(self.engine.drain_spool)
            records = await asyncio.to_thread(self.engine.store.unfinished_comments, room)
        except Exception:
            log.exception("could not look for comments left undecided by a previous run")
            return
        if not records:
            return
        now_wall, now = time.time(), time.monotonic()
        fresh: list[tuple[float, float, Comment]] = []
        stale: list[Comment] = []
        for r in records:
            comment = Comment(
                id=r.comment_id, user=r.user, text=r.text, ts=r.ts, room=r.room, lang=r.lang, product_id=r.product_id
            )
            age = now_wall - (r.received_at or now_wall)
            if age > self.recover_max_age_s:
                stale.append(comment)
            else:
                fresh.append((now - age, r.received_at, comment))
        log.warning(
            "%d comments were left undecided by a previous run: deciding %d, handing %d older than %.0f s to staff",
            len(records), len(fresh), len(stale), self.recover_max_age_s,
        )
        if stale:
            reason = "not answered: the bot stopped before deciding (recovered at start, too old to answer)"
            outcomes = [_hand_off(c, reason, self.engine.default_lang) for c in stale]
            await asyncio.to_thread(self.engine.record_outcomes, outcomes)
            self.stats.recovered_to_staff += len(stale)
        for start in range(0, len(fresh), self.max_batch):
            chunk = fresh[start : start + self.max_batch]
            await self._process_comments([(mono, wall, c) for mono, wall, c in chunk], record=False)
            self.stats.recovered += len(chunk)

    # ---------------------------------------------------------------- reading and the worker

    async def _read(self, client: RoomConnection) -> None:
        try:
            async for event in client.events():
                await self._queue.put((time.monotonic(), time.time(), event))
                if isinstance(event, EndOfStream):
                    break
        except Exception as exc:  # the client reconnects by itself; reaching here means it gave up
            self.stats.room_error = f"{type(exc).__name__}: {exc}"
            log.error("room client stopped: %s", self.stats.room_error, exc_info=not isinstance(exc, LiveReplyError))
        finally:
            await self._queue.put((time.monotonic(), time.time(), None))

    async def _work(self) -> None:
        while True:
            first = await self._queue.get()
            batch = [first]
            while len(batch) < self.max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            done = False
            max_seq = 0
            run: list[tuple[float, float, Comment]] = []
            for received, wall, event in batch:
                if isinstance(event, Comment):
                    run.append((received, wall, event))
                else:
                    if run:
                        await self._process_comments(run)
                        run = []
                    if event is None or isinstance(event, EndOfStream):
                        done = True
                    else:
                        await self._apply(event)
                if event is not None and event.seq is not None:
                    max_seq = max(max_seq, event.seq)
            if run:
                await self._process_comments(run)
            if max_seq:
                await self._ack(max_seq)
            if done:
                return

    async def _ack(self, seq: int) -> None:
        """Everything up to ``seq`` is recorded: tell the room (clients without acknowledgements ignore it)."""
        ack = getattr(self._client, "ack", None)
        if ack is None:
            return
        try:
            await ack(seq)
        except Exception:  # an ack that does not arrive only means a re-delivery, which is recognised by id
            log.warning("could not acknowledge up to seq %d", seq, exc_info=True)

    async def _apply(self, event: Stage | StockUpdate | Order | Behaviour) -> None:
        self.stats.events += 1
        try:
            async with self._work_lock:
                what = await asyncio.to_thread(self.engine.apply_event, event)
        except Exception as exc:
            self.stats.errors += 1
            log.exception("could not apply %r", event)
            what = f"error: {exc}"
        if self.on_event:
            self.on_event(event, what)

    async def _process_comments(self, run: list[tuple[float, float, Comment]], *, record: bool = True) -> None:
        now = time.monotonic()
        fresh = [item for item in run if now - item[0] <= self.stale_after_s]
        stale = [item for item in run if now - item[0] > self.stale_after_s]
        if record:
            self.stats.received += len(run)
        if stale:
            await self._shed(stale, now, record=record)
        if not fresh:
            return
        comments = [c for _, _, c in fresh]
        walls = [wall for _, wall, _ in fresh]
        received_by_id = {c.id: received for received, _, c in fresh}
        try:
            async with self._work_lock:
                if record:
                    outcomes = await asyncio.to_thread(self.engine.process, comments, received_at=walls)
                else:  # recovered from the log: already recorded
                    outcomes = await asyncio.to_thread(self.engine.process, comments, record=False)
                    await asyncio.to_thread(self.engine.record_outcomes, outcomes)
        except Exception as exc:
            # A bug must not lose comments: record them as hand-offs (best effort, spooled if need be) and go on.
            self.stats.errors += len(comments)
            log.exception("failed to process %d comments", len(comments))
            await asyncio.to_thread(self._record_failed, comments, walls, f"processing failed: {type(exc).__name__}")
            return
        now = time.monotonic()
        for outcome in outcomes:
            if self.on_outcome:
                self.on_outcome(outcome)
            d = outcome.decision
            if d.band in (ANSWER, RECOMMEND) and outcome.text:
                c = outcome.comment
                self._remember_received(c.id, received_by_id.get(c.id, now))
                result = self.scheduler.offer(
                    ReplyCandidate(
                        comment_id=c.id,
                        user=c.user,
                        key=outcome.answer_key or outcome.text,
                        text=outcome.text,
                        lang=d.lang,
                        room=c.room,
                    ),
                    now,
                )
                if result.status == "merged":
                    self.stats.merged += 1
                elif result.status == "cooldown":
                    self.stats.cooldown += 1
                    self._received_at.pop(c.id, None)
                for dropped in result.dropped:
                    self.stats.dropped += len(dropped.comment_ids)
                    for cid in dropped.comment_ids:
                        self._received_at.pop(cid, None)
                    log.warning("reply queue overflow: dropped answer to %s", ",".join(dropped.comment_ids))
        self._wake.set()

    def _remember_received(self, comment_id: str, received: float) -> None:
        self._received_at[comment_id] = received
        while len(self._received_at) > MAX_PENDING_LATENCY:
            self._received_at.popitem(last=False)

    async def _shed(self, stale: list[tuple[float, float, Comment]], now: float, *, record: bool) -> None:
        """Record comments that waited too long and do not answer them: a reply this late is noise."""
        oldest = max(now - received for received, _, _ in stale)
        log.warning("bot is %.0f s behind: %d comments recorded without an answer (shed)", oldest, len(stale))
        self.stats.shed += len(stale)
        comments = [c for _, _, c in stale]
        reason = f"shed: waited more than {self.stale_after_s:g} s (bot behind), recorded without an answer"
        outcomes = [_hand_off(c, reason, self.engine.default_lang, band="silent") for c in comments]
        try:
            async with self._work_lock:
                await asyncio.to_thread(self.engine.shed, comments, [w for _, w, _ in stale], outcomes, record)
        except Exception:
            log.exception("could not record %d shed comments", len(comments))
            await asyncio.to_thread(self._record_failed, comments, [w for _, w, _ in stale], reason)
        if self.on_outcome:
            for outcome in outcomes:
                self.on_outcome(outcome)

    def _record_failed(self, comments: list[Comment], received_at: list[float], reason: str) -> None:
        """Last resort: make sure every comment is in the log (or the spool) and that staff see it."""
        store = self.engine.store
        fields: dict[str, Any] = {"status": "staff", "reason": reason}
        try:
            store.record_comments(comments, received_at=received_at)
            store.set_comment_outcomes([(c.room, c.id, fields) for c in comments], only_undecided=True)
        except Exception:  # noqa: BLE001 - last resort: whatever the store raised, the comments go to the spool
            for c, at in zip(comments, received_at, strict=True):
                self.engine.spool.add(c, fields, received_at=at)

    async def _send_loop(self, client: RoomConnection) -> None:
        # Stopped by a flag, not by cancellation: on Python 3.11 asyncio.wait_for can swallow a cancel that races
        # with its inner future, which left this loop running forever (seen in tests).
        while not self._stopping:
            now = time.monotonic()
            for reply in self.scheduler.due(now):
                await self._post(client, reply)
            deadline = self.scheduler.next_deadline()
            timeout = 0.5 if deadline is None else max(0.0, min(0.5, deadline - time.monotonic()))
            self._wake.clear()
            if self._stopping:
                break
            try:
                async with asyncio.timeout(timeout):
                    await self._wake.wait()
            except TimeoutError:
                pass

    async def _post(self, client: RoomConnection, reply: Reply) -> None:
        reply = dataclasses.replace(reply, ts=time.time())  # wall clock, comparable with comment_log.received_at
        try:
            await asyncio.to_thread(self.engine.store.record_reply, reply)  # written before it is sent
        except Exception:
            log.exception("could not record reply to %s", reply.reply_to)
        await client.send(reply)
        now = time.monotonic()
        self.stats.replies_sent += 1
        self.stats.comments_answered += len(reply.reply_to)
        for cid in reply.reply_to:
            received = self._received_at.pop(cid, None)
            if received is not None:
                self.stats.latencies.append(now - received)
        if self.on_reply:
            self.on_reply(reply)

    async def _reload_loop(self) -> None:
        while not self._stopping:
            await asyncio.sleep(self.reload_interval_s)
            try:
                async with self._work_lock:
                    changed = await asyncio.to_thread(self.engine.reload_if_changed)
                    await asyncio.to_thread(self.engine.drain_spool)
                if changed:
                    log.info("catalog reloaded: now v%d", self.engine.state.version)
            except Exception:
                log.exception("catalog reload failed; keeping the previous catalog")


def _hand_off(comment: Comment, reason: str, default_lang: str, band: str = STAFF) -> Outcome:
    """An outcome that answers nothing: ``band`` staff (a human should look) or silent."""
    decision = Decision(comment_id=comment.id, band=band, reason=reason, lang=comment.lang or default_lang)
    return Outcome(comment=comment, decision=decision, text=None, answer_key=None, seconds=0.0)
