"""The live loop: room events in, replies out. Thin asyncio glue around Engine and ReplyScheduler.

    reader task   RoomClient.events() → queue (never blocks on processing, so the socket keeps draining)
    worker        takes everything queued, runs consecutive comments as one batch in a worker thread
                  (record → decide → render), applies stage/stock/order events in order, offers replies
    sender task   releases scheduled replies when due; records each reply before sending it
    reload task   polls the catalog version; a staff edit swaps the engine state within reload_interval_s
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from dataclasses import dataclass, field
from typing import Callable

from bot.engine import Engine, Outcome
from bot.messages import Comment, EndOfStream, Order, Reply, Stage, StockUpdate
from bot.pipeline import ANSWER, RECOMMEND
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
    latencies: list[float] = field(default_factory=list)  # receive → reply sent, seconds, per answered comment
    started: float = field(default_factory=time.time)
    ended: float | None = None


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
    ) -> None:
        self.engine = engine
        self.scheduler = scheduler
        self.reload_interval_s = reload_interval_s
        self.on_outcome = on_outcome
        self.on_event = on_event
        self.on_reply = on_reply
        self.stats = SessionStats()
        self._queue: asyncio.Queue = asyncio.Queue()
        self._received_at: dict[str, float] = {}
        self._wake = asyncio.Event()
        self._work_lock = asyncio.Lock()  # one engine call at a time (batch processing or reload)
        self._stopping = False

    def post_threadsafe(self, reply: Reply, timeout: float = 5.0) -> None:
        """Post a reply from another thread (the staff console's "answer now"); recorded like any reply."""
        loop, client = getattr(self, "_loop", None), getattr(self, "_client", None)
        if loop is None or client is None or loop.is_closed():
            raise RuntimeError("the bot is not connected to a room")
        asyncio.run_coroutine_threadsafe(self._post(client, reply), loop).result(timeout)

    async def run(self, client) -> SessionStats:
        """Serve one room until it ends (EndOfStream) or the client is closed."""
        self._loop, self._client = asyncio.get_running_loop(), client
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

    async def _read(self, client) -> None:
        try:
            async for event in client.events():
                self._queue.put_nowait((time.monotonic(), event))
                if isinstance(event, EndOfStream):
                    break
        except Exception:  # the client reconnects by itself; reaching here means it gave up
            log.exception("room client stopped")
        finally:
            self._queue.put_nowait((time.monotonic(), None))

    async def _work(self) -> None:
        while True:
            first = await self._queue.get()
            batch = [first]
            while not self._queue.empty():
                batch.append(self._queue.get_nowait())
            done = False
            run: list[tuple[float, Comment]] = []
            for received, event in batch:
                if isinstance(event, Comment):
                    run.append((received, event))
                    continue
                if run:
                    await self._process_comments(run)
                    run = []
                if event is None or isinstance(event, EndOfStream):
                    done = True
                    continue
                await self._apply(event)
            if run:
                await self._process_comments(run)
            if done:
                return

    async def _apply(self, event: Stage | StockUpdate | Order) -> None:
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

    async def _process_comments(self, run: list[tuple[float, Comment]]) -> None:
        comments = [c for _, c in run]
        self.stats.received += len(comments)
        for received, c in run:
            self._received_at[c.id] = received
        try:
            async with self._work_lock:
                outcomes = await asyncio.to_thread(self.engine.process, comments)
        except Exception:
            # A database hiccup or a bug must not lose comments: record them as errors (best effort) and go on.
            self.stats.errors += len(comments)
            log.exception("failed to process %d comments", len(comments))
            await asyncio.to_thread(self._record_failed, comments)
            return
        now = time.monotonic()
        for outcome in outcomes:
            if self.on_outcome:
                self.on_outcome(outcome)
            d = outcome.decision
            if d.band in (ANSWER, RECOMMEND) and outcome.text:
                c = outcome.comment
                result = self.scheduler.offer(
                    ReplyCandidate(
                        comment_id=c.id, user=c.user, key=outcome.answer_key or outcome.text, text=outcome.text, lang=d.lang, room=c.room
                    ),
                    now,
                )
                if result.status == "merged":
                    self.stats.merged += 1
                elif result.status == "cooldown":
                    self.stats.cooldown += 1
                for dropped in result.dropped:
                    self.stats.dropped += len(dropped.comment_ids)
                    log.warning("reply queue overflow: dropped answer to %s", ",".join(dropped.comment_ids))
        self._wake.set()

    def _record_failed(self, comments: list[Comment]) -> None:
        for c in comments:
            outcome = {"status": "error", "reason": "processing failed"}
            try:
                self.engine.store.record_comment(c, raise_errors=True)
                self.engine.store.set_comment_outcome(c.id, room=c.room, **outcome)
            except Exception:
                self.engine.spool.add(c, outcome)

    async def _send_loop(self, client) -> None:
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

    async def _post(self, client, reply: Reply) -> None:
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
