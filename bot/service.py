"""The live loop: room events in, replies out. Thin asyncio glue around Engine and ReplyScheduler.

    recovery      at start, comments a previous run recorded but never decided (it crashed) are decided now,
                  or handed to staff when they are too old to answer
    reader task   RoomClient.events() → bounded queue (when the bot falls far behind, the socket stops being
                  read and the room's own buffers push back; nothing is dropped)
    worker        takes up to ``max_batch`` queued items, runs consecutive comments as one batch in a worker
                  thread (record → decide → render), applies stage/stock/order events in order, offers
                  replies, then acknowledges the highest ``seq`` done (the room re-sends what is not acked).
                  Comments that waited longer than ``stale_after_s`` are recorded but not answered (shed); the wait
                  starts when the comment was received — by the room's gateway for a worker (``_receive_times``).
                  With an encoder process (``engine.prefetcher``) the worker takes the next batch off the queue
                  too, so that the child embeds it while this one is decided (bot/prefetch.py). Comments are not
                  sent to the child as they arrive: measured at 200 comments/s paced, that made p99 worse
                  (24.9-34.7 vs 19.4-32.3 ms without the child, 4 interleaved runs).
    sender task   releases scheduled replies when due; records each reply before sending it
    reload task   polls the catalog version; a staff edit swaps the engine state within reload_interval_s
    moderation    off by default: comments the inbound moderator flagged (links, contact details, blocked words,
                  floods) are deleted or their sender timed out where the platform allows it (bot/moderation_actions.py),
                  at most ``moderation_rate`` actions per window; what happened is appended to the comment's reason
    control task  the staff console's channel (catalog/control.py; docs/console.md "How the console reaches the
                  bot"): every control_interval_s it takes the console's commands from the database outbox
                  (answer now / pause / resume / the room's fallback policy) and every heartbeat_s it writes the
                  bot's status row (with the room's languages and fallback policy, shown on the console)

Pause: nothing is posted while ``paused`` (comments are still recorded and decided, the scheduler keeps merging);
on resume, replies whose newest comment is older than ``resume_max_age_s`` are dropped (logged), the rest go out.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.adapters.capabilities import RateLimit
from bot.adapters.ratelimit import SlidingWindow
from bot.announcements import ANSWER_PRIORITY, RULE_PRIORITY, STAFF_PRIORITY, Announcer
from bot.engine import Engine, Outcome
from bot.errors import LiveReplyError
from bot.messages import (
    Behaviour,
    Comment,
    EndOfStream,
    Follow,
    Gift,
    InboundEvent,
    ModerationAction,
    ModerationResult,
    Order,
    Purchase,
    Reply,
    Stage,
    StockUpdate,
    ViewerEnter,
)
from bot.moderation_actions import ModerationPolicy, outcome_note
from bot.outbox import OutboxLog
from bot.pipeline import ANSWER, RECOMMEND, STAFF, Decision
from bot.ports import RoomConnection
from bot.replies import MAX_REPLY_AGE_S, ReplyCandidate, ReplyScheduler
from catalog.control import BotStatusRecord, CommandRecord, ConsoleChannel, room_settings

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
    reloads: int = 0  # catalog reloads (staff edits picked up)
    dropped_after_pause: int = 0  # comments whose reply was too old to post when the bot resumed
    staff_answers: int = 0  # "answer now" commands from the console posted
    # receive → reply sent, seconds, per answered comment (the most recent LATENCY_WINDOW: bounded memory)
    latencies: deque[float] = field(default_factory=lambda: deque(maxlen=LATENCY_WINDOW))
    # receive → decision made, seconds, per decided comment (answered or not; the same bounded window): the wait for
    # a batch plus the engine, without the merge window and the room's rate limit
    decision_latencies: deque[float] = field(default_factory=lambda: deque(maxlen=LATENCY_WINDOW))
    started: float = field(default_factory=time.time)
    ended: float | None = None
    room_error: str | None = None  # why the room connection gave up (expired credentials, banned…), if it did
    announcements: int = 0  # scheduled messages and greetings offered
    moderated: int = 0  # flagged comments deleted / senders timed out on the platform
    moderation_failed: int = 0  # ... that the platform refused (the reason is on the comment)
    moderation_skipped: int = 0  # ... not tried: unsupported here, over the rate limit, the bot stopping


LATENCY_WINDOW = 100_000
MAX_PENDING_LATENCY = 20_000  # comments awaiting their reply whose receive time is kept for the latency figure
MODERATION_RATE = RateLimit(30, 60.0)  # platform moderation actions per room; the adapters add the platform's own limit
MAX_MODERATION_QUEUE = 1000  # flagged comments waiting for their action; beyond it they are recorded as skipped
MODERATION_TIMEOUT_S = 15.0  # one platform call
MODERATION_DRAIN_S = 5.0  # at the end of the show, actions still queued are tried for this long, then skipped
STATUS_SILENT = "silent"  # the comment log's status of a silent decision (bot.engine.STATUS_BY_BAND)
POST_BATCH = 32  # replies due together recorded in one write before they are sent
# Acknowledgements to the room go out at most this often (the newest recorded seq), and at the end of the show. One
# per batch cost a fifth of the event loop's time at 200 comments/s paced (a masked websocket frame each, for batches
# of one or two); a later ack only means a few more re-deliveries after a reconnect, recognised by comment id.
ACK_INTERVAL_S = 0.2
_AUTO: Any = object()


def default_control(store: Any) -> Any:
    """The console channel for ``store``: a `CatalogStore` gets `catalog.control.ConsoleChannel`; a store that
    implements the channel itself (the fast tier's MemoryStore) is used as is; anything else has none."""
    if all(hasattr(store, name) for name in ("claim_commands", "finish_command", "heartbeat")):
        return store
    if hasattr(store, "engine") and hasattr(store, "_write"):
        return ConsoleChannel(store)
    return None


class BotService:
    def __init__(
        self,
        engine: Engine,
        scheduler: ReplyScheduler,
        *,
        reload_interval_s: float = 0.1,
        on_outcome: Callable[[Outcome], None] | None = None,
        on_event: Callable[[object, str], None] | None = None,
        on_reply: Callable[[Reply], None] | None = None,
        max_batch: int = 64,
        max_queue: int = 10_000,
        stale_after_s: float = 60.0,
        recover_max_age_s: float = 300.0,
        control: Any = _AUTO,
        control_interval_s: float = 0.25,
        heartbeat_s: float = 1.0,
        resume_max_age_s: float = MAX_REPLY_AGE_S,
        greetings: bool = False,
        moderation_action: str = "off",
        moderation_timeout_s: int = 600,
        moderation_rate: RateLimit = MODERATION_RATE,
        setting_sources: Mapping[str, str] | None = None,
    ) -> None:
        if max_batch < 1 or max_queue < 1:
            raise ValueError("max_batch and max_queue must be >= 1")
        self.engine = engine
        self.scheduler = scheduler
        # where the room's main_lang / lang_fallback came from at start ("flag", "env", "default", "console":
        # bot/room_lang_start.py); a change staff make on the console while live makes it "console". The heartbeat
        # says it, so the live page can tell staff when a start flag, not their saved choice, set the running value.
        self.setting_sources: dict[str, str] = dict(setting_sources or {})
        self.reload_interval_s = reload_interval_s
        self.on_outcome = on_outcome
        self.on_event = on_event
        self.on_reply = on_reply
        self.max_batch = max_batch
        self.stale_after_s = stale_after_s
        self.recover_max_age_s = recover_max_age_s
        self.stats = SessionStats()
        self._edits_before = engine.stats.edits_applied  # stats.reloads counts this session's
        self.outbox = OutboxLog()  # what was given up, by kind, for the console (bot/outbox.py)
        # scheduled messages (the keyword-rules file's `schedules:`) and, when switched on, aggregated greetings
        self.announcer = Announcer(schedules=tuple(engine.rules.schedules) if engine.rules else (), greetings=greetings)
        # (monotonic receive time, wall-clock receive time, event); None marks the end of the room
        self._queue: asyncio.Queue[tuple[float, float, InboundEvent | None]] = asyncio.Queue(maxsize=max_queue)
        self._received_at: OrderedDict[str, float] = OrderedDict()
        self._wake = asyncio.Event()
        self._work_lock = asyncio.Lock()  # one engine call at a time (batch processing or reload)
        self._stopping = False
        self._loop: asyncio.AbstractEventLoop | None = None  # set while run() serves a room
        self._client: RoomConnection | None = None
        # the console channel (outbox + heartbeat); None: no console can reach this bot
        self.control = default_control(engine.store) if control is _AUTO else control
        self.control_interval_s = control_interval_s
        self.heartbeat_s = heartbeat_s
        self.resume_max_age_s = resume_max_age_s
        self.paused = False
        self._after_pause = False  # resumed: replies still pending from before are checked for age
        self._held: list[Reply] = []  # released by the scheduler just as a pause came in
        self._command_of: dict[str, int] = {}  # comment id -> "answer now" command whose reply is pending
        self._last_comment_at: float | None = None
        self._connected = False
        self._heartbeat_failing = False
        self._ack_due = 0  # newest seq recorded and not yet acknowledged to the room (ACK_INTERVAL_S)
        self._ack_stop = asyncio.Event()  # ends _ack_loop between two acks (it is never cancelled: see run())
        # platform moderation of flagged comments (off unless moderation_action is delete / timeout)
        self.moderation = ModerationPolicy(moderation_action, moderation_timeout_s)
        self._moderation_window = SlidingWindow(moderation_rate)
        self._moderation_queue: deque[tuple[ModerationAction, str | None]] = deque()  # (action, why skipped)
        self._moderation_wake = asyncio.Event()
        self._moderation_drain_until = float("inf")

    def post_threadsafe(self, reply: Reply, timeout: float = 5.0) -> None:
        """Post a reply from another thread (the staff console's "answer now"); recorded like any reply."""
        loop, client = self._loop, self._client
        if loop is None or client is None or loop.is_closed():
            raise RuntimeError("the bot is not connected to a room")
        asyncio.run_coroutine_threadsafe(self._post(client, reply), loop).result(timeout)

    async def run(self, client: RoomConnection) -> SessionStats:
        """Serve one room until it ends (EndOfStream) or the client is closed."""
        self._loop, self._client = asyncio.get_running_loop(), client
        self._connected = True
        await self._recover(getattr(client, "room", None))
        reader = asyncio.create_task(self._read(client), name="reader")
        sender = asyncio.create_task(self._send_loop(client), name="sender")
        reloader = asyncio.create_task(self._reload_loop(), name="reloader")
        controller = asyncio.create_task(self._control_loop(client), name="control")
        announcer = asyncio.create_task(self._announce_loop(client), name="announcer")
        moderator = asyncio.create_task(self._moderation_loop(client), name="moderation") if self.moderation.on else None
        acker = asyncio.create_task(self._ack_loop(), name="acker")
        try:
            await self._work()
        finally:
            self._stopping = True
            self._wake.set()
            reader.cancel()
            reloader.cancel()
            announcer.cancel()
            # not cancelled: an ack under way completes. Cancelled mid-ack, the seq it had taken was lost (a worker's
            # RedisRoom.ack had dropped those entries from its lease before the XACK round trip), and the flush below
            # had nothing newer to send when the room ended without an end marker (a worker told to stop)
            self._ack_stop.set()
            await asyncio.gather(acker, return_exceptions=True)
            await self._flush_ack()  # everything recorded is acknowledged before the show's end is handled
            self._moderation_drain_until = time.monotonic() + MODERATION_DRAIN_S
            self._moderation_wake.set()
            await asyncio.gather(sender, controller, *([moderator] if moderator else []), return_exceptions=True)
            # End of show: release everything still pending (unless paused: then nothing is posted).
            leftover = [*self._held, *self.scheduler.flush(time.monotonic())]
            self._held = []
            if self.paused and leftover:
                log.warning("paused at the end of the show: %d replies not posted", len(leftover))
            if leftover and not self.paused:  # the control loop has stopped: nothing pauses from here on
                await self._post_all(client, leftover)
            await self._fail_unposted_commands("not posted: the show ended while the bot was paused")
            self._connected = False
            await self._heartbeat(client)
            await asyncio.gather(reader, reloader, announcer, return_exceptions=True)
            try:
                await asyncio.to_thread(self.engine.drain_spool)
            except Exception:
                log.exception("spooled comments stay in %s until the next start", self.engine.spool.path)
            self._count_reloads()
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
                if isinstance(event, Comment):
                    self._last_comment_at = time.time()
                await self._queue.put((*_receive_times(client, event), event))
                if isinstance(event, EndOfStream):
                    break
        except Exception as exc:  # the client reconnects by itself; reaching here means it gave up
            self.stats.room_error = f"{type(exc).__name__}: {exc}"
            log.error("room client stopped: %s", self.stats.room_error, exc_info=not isinstance(exc, LiveReplyError))
        finally:
            await self._queue.put((time.monotonic(), time.time(), None))

    async def _work(self) -> None:
        ahead: deque[tuple[float, float, InboundEvent | None]] = deque()  # taken off the queue, next in line
        while True:
            if not ahead:
                ahead.append(await self._queue.get())
            prefetcher = self.engine.prefetcher
            prefetching = prefetcher is not None and prefetcher.active
            # with an encoder process, look one batch further: its comments are embedded while this one is decided
            look = 2 * self.max_batch if prefetching else self.max_batch
            while len(ahead) < look and not self._queue.empty():
                ahead.append(self._queue.get_nowait())
            batch = [ahead.popleft() for _ in range(min(self.max_batch, len(ahead)))]
            upcoming = [e for _, _, e in ahead if isinstance(e, Comment)] if prefetching else []
            done = False
            max_seq = 0
            run: list[tuple[float, float, Comment]] = []
            for received, wall, event in batch:
                if isinstance(event, Comment):
                    run.append((received, wall, event))
                else:
                    if run:
                        await self._process_comments(run, upcoming=upcoming)
                        run = []
                    if event is None or isinstance(event, EndOfStream):
                        done = True
                    else:
                        await self._apply(event)
                if event is not None and event.seq is not None:
                    max_seq = max(max_seq, event.seq)
            if run:
                await self._process_comments(run, upcoming=upcoming)
            if max_seq:
                self._ack_due = max(self._ack_due, max_seq)  # sent by _ack_loop (or at the end of the show)
            if done:
                return

    async def _ack_loop(self) -> None:
        while not self._ack_stop.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(ACK_INTERVAL_S):
                    await self._ack_stop.wait()
            if self._ack_stop.is_set():
                return  # run() sends the last ack
            await self._flush_ack()

    async def _flush_ack(self) -> None:
        seq, self._ack_due = self._ack_due, 0
        if seq:
            await self._ack(seq)

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
        if isinstance(event, (ViewerEnter, Follow, Gift, Purchase)):
            self.announcer.observe(event, time.monotonic())
        if self.on_event:
            self.on_event(event, what)

    async def _process_comments(
        self, run: list[tuple[float, float, Comment]], *, record: bool = True, upcoming: Sequence[Comment] = ()
    ) -> None:
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
                    outcomes = await asyncio.to_thread(
                        self.engine.process, comments, received_at=walls, upcoming=upcoming
                    )
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
        self.stats.decision_latencies.extend(now - received for received, _, _ in fresh)
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
                        priority=RULE_PRIORITY if d.path == "rule" else ANSWER_PRIORITY,
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
                    self.outbox.dropped(dropped.priority, dropped.text, dropped.reason)
                    for cid in dropped.comment_ids:
                        self._received_at.pop(cid, None)
                    log.warning("reply queue overflow: dropped answer to %s", ",".join(dropped.comment_ids))
        if self.moderation.on:
            self._queue_moderation(outcomes)
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
            if not self.paused:
                self._held.extend(self.scheduler.due(time.monotonic()))
                while self._held and not self.paused:
                    # the replies due now, recorded in one write (one database round trip, not one per reply:
                    # a worker serving four busy rooms spent a fifth of its time on them), then sent one by one
                    due, self._held = self._held[:POST_BATCH], self._held[POST_BATCH:]
                    due = [reply for reply in due if self._worth_posting(reply)]
                    if len(due) == 1:
                        await self._post(client, due[0])
                    elif due:
                        await self._post_all(client, due)
                if self._after_pause and not self._held and not self.scheduler.pending:
                    self._after_pause = False  # everything from before the pause is out (or dropped)
            deadline = None if self.paused else self.scheduler.next_deadline()
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
        await self._send(client, reply)

    async def _post_all(self, client: RoomConnection, replies: list[Reply]) -> None:
        """Post replies back to back (due together, or the end of the show): recorded in one write, then sent one by
        one."""
        now = time.time()
        replies = [dataclasses.replace(reply, ts=now) for reply in replies]
        try:
            await asyncio.to_thread(self.engine.store.record_replies, replies)  # written before they are sent
        except Exception:
            log.exception("could not record %d replies", len(replies))
        for reply in replies:
            await self._send(client, reply)

    async def _send(self, client: RoomConnection, reply: Reply) -> None:
        await client.send(reply)
        commands = {self._command_of.pop(cid) for cid in reply.reply_to if cid in self._command_of}
        for command_id in sorted(commands):
            self.stats.staff_answers += 1
            await self._finish(command_id, f"posted to room {reply.room} ({len(reply.reply_to)} comment(s))")
        now = time.monotonic()
        self.stats.replies_sent += 1
        self.stats.comments_answered += len(reply.reply_to)
        for cid in reply.reply_to:
            received = self._received_at.pop(cid, None)
            if received is not None:
                self.stats.latencies.append(now - received)
        if self.on_reply:
            self.on_reply(reply)

    async def _announce_loop(self, client: RoomConnection) -> None:
        """Scheduled messages and greetings, offered to the scheduler below every answer (they never starve answers)."""
        room = getattr(client, "room", "local")
        while not self._stopping:
            await asyncio.sleep(1.0)
            try:
                # schedules edited in the console reach the engine on reload (bot/room_rules_live.py): follow them
                self.announcer.schedules = tuple(self.engine.rules.schedules) if self.engine.rules else ()
                for a in self.announcer.due(time.monotonic(), self.stats.received, self.engine.stage_product_id):
                    said = await asyncio.to_thread(self.engine.announcement_text, a.templates, literal=a.literal)
                    if said is None:  # nothing on stage, a name missing in the room's language, a banned word
                        wanted = a.templates.get(self.engine.default_lang) or next(iter(a.templates.values()), "")
                        self.outbox.dropped(a.priority, wanted, "cannot_say")
                        continue
                    text, lang = said
                    result = self.scheduler.offer(
                        ReplyCandidate(
                            comment_id=a.key, user="", key=a.key, text=text, lang=lang, room=room, priority=a.priority
                        ),
                        time.monotonic(),
                    )
                    for dropped in result.dropped:
                        self.outbox.dropped(dropped.priority, dropped.text, dropped.reason)
                    self.stats.announcements += 1
                    self._wake.set()
            except Exception:
                log.exception("scheduled message / greeting failed")

    # ---------------------------------------------------------------- platform moderation (off by default)

    def _queue_moderation(self, outcomes: list[Outcome]) -> None:
        now = time.monotonic()
        for o in outcomes:
            c = o.comment
            action = self.moderation.wants(c.id, c.user, c.room, o.decision, now)
            if action is not None:
                full = len(self._moderation_queue) >= MAX_MODERATION_QUEUE
                self._moderation_queue.append((action, "moderation queue full" if full else None))
        self._moderation_wake.set()

    async def _moderation_loop(self, client: RoomConnection) -> None:
        """Carry out the queued actions one at a time; a refusal or an error is recorded, never raised."""
        while True:
            if not self._moderation_queue:
                if self._stopping:
                    return
                self._moderation_wake.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(0.5):
                        await self._moderation_wake.wait()
                continue
            action, skip = self._moderation_queue.popleft()
            allowed, platform = _moderation_support(client)
            now = time.monotonic()
            if skip is None and self._stopping and now > self._moderation_drain_until:
                skip = "the bot stopped"
            if skip is None and action.action not in allowed:
                skip = f"not supported by {platform} here"
            if skip is None and self._moderation_window.delay(now) > 0:
                limit = self._moderation_window.limit
                skip = f"moderation rate limit ({limit.messages} per {limit.per_s:g} s)"
            if skip is not None:
                self.stats.moderation_skipped += 1
                note = f"; {action.action} skipped: {skip}"
            else:
                self._moderation_window.record(now)
                try:
                    async with asyncio.timeout(MODERATION_TIMEOUT_S):
                        result = await client.moderate(action)  # type: ignore[attr-defined]
                except Exception as exc:  # noqa: BLE001 - an adapter bug or a hang must not stop the live loop
                    result = ModerationResult(action, False, f"{type(exc).__name__}: {exc}"[:200])
                self.moderation.done(result, time.monotonic())
                note = outcome_note(result)
                if result.ok:
                    self.stats.moderated += 1
                    log.info("moderation: %s %s (%s)", action.action, action.comment_id, action.reason)
                else:
                    self.stats.moderation_failed += 1
                    log.warning("moderation: %s of %s failed: %s", action.action, action.comment_id, result.detail)
            try:
                await asyncio.to_thread(
                    self.engine.store.set_comment_outcome, action.comment_id, STATUS_SILENT,
                    reason=action.reason + note, room=action.room,
                )
            except Exception:
                log.exception("could not record the moderation of %s (%s)", action.comment_id, note)

    async def _reload_loop(self) -> None:
        while not self._stopping:
            await asyncio.sleep(self.reload_interval_s)
            try:
                # Not under the work lock: the new catalog state is built beside the old one while batches keep
                # being decided, then swapped in one reference assignment (each batch reads `engine.state` once).
                await asyncio.to_thread(self._reload_tick)
            except Exception:
                log.exception("catalog reload failed; keeping the previous catalog")


    def _reload_tick(self) -> bool:
        """One poll of the reload task, in one worker thread (one hand-off per tick, not one per step): the catalog
        edit check, then the comments spooled during a database hiccup."""
        changed = self.engine.reload_if_changed()  # counted and logged by the engine, like the console's reloads
        self._count_reloads()
        self.engine.drain_spool()
        return changed

    def _count_reloads(self) -> int:
        """This session's reloads: the edits its engine swapped in, whoever asked (this loop, or the console's "try a
        question" on a runtime it shares: `livereply demo --keep-console`)."""
        self.stats.reloads = self.engine.stats.edits_applied - self._edits_before
        return self.stats.reloads

    # ---------------------------------------------------------------- pause / resume and the console channel

    def pause(self) -> None:
        """Stop posting at once. Comments are still recorded and decided; their replies wait (and merge)."""
        if not self.paused:
            log.warning("paused: nothing is posted until resumed")
        self.paused = True
        self._wake.set()

    def resume(self) -> None:
        """Post again: what is still worth posting goes out, replies older than resume_max_age_s are dropped."""
        if self.paused:
            log.warning("resumed: replies older than %g s are dropped, the rest go out", self.resume_max_age_s)
            self._after_pause = True
        self.paused = False
        self._wake.set()

    def _worth_posting(self, reply: Reply) -> bool:
        """After a pause, a reply whose newest comment waited longer than resume_max_age_s is dropped (logged)."""
        if not self._after_pause or any(cid in self._command_of for cid in reply.reply_to):
            return True
        received = [self._received_at[cid] for cid in reply.reply_to if cid in self._received_at]
        if not received:
            return True
        age = time.monotonic() - max(received)
        if age <= self.resume_max_age_s:
            return True
        for cid in reply.reply_to:
            self._received_at.pop(cid, None)
        self.stats.dropped_after_pause += len(reply.reply_to)
        self.outbox.dropped(reply.priority or ANSWER_PRIORITY, reply.text, "stale_after_pause")
        log.warning(
            "not posted after the pause: reply to %s is %.0f s old (more than %g s): %r",
            ",".join(reply.reply_to), age, self.resume_max_age_s, reply.text,
        )
        return False

    async def _control_loop(self, client: RoomConnection) -> None:
        """Take the console's commands from the outbox every control_interval_s; heartbeat every heartbeat_s."""
        if self.control is None:
            return
        room = getattr(client, "room", None)
        last_beat = -float("inf")
        while not self._stopping:
            settings = ("set_fallback", "set_main_lang")
            kinds = ("pause", "resume", *settings) if self.paused else ("answer", "pause", "resume", *settings)
            try:
                commands = await asyncio.to_thread(self.control.claim_commands, room, kinds)
            except Exception as exc:  # noqa: BLE001 - a database hiccup: try again next tick
                log.warning("could not read the console's commands: %s", exc)
                commands = []
            for command in commands:
                await self._carry_out(command)
            if commands or time.monotonic() - last_beat >= self.heartbeat_s:
                last_beat = time.monotonic()
                await self._heartbeat(client)
            await asyncio.sleep(self.control_interval_s)

    async def _carry_out(self, command: CommandRecord) -> None:
        log.info("console command %d from %s: %s", command.id, command.created_by, command.kind)
        if command.kind == "pause":
            self.pause()
            await self._finish(command.id, "paused")
        elif command.kind == "resume":
            self.resume()
            await self._finish(command.id, "resumed")
        elif command.kind == "answer":
            self._offer_staff_answer(command)
        elif command.kind == "set_fallback":
            await self._set_lang_fallback(command)
        elif command.kind == "set_main_lang":
            await self._set_main_lang(command)
        else:
            await self._finish(command.id, f"unknown command {command.kind!r}", ok=False)

    async def _set_lang_fallback(self, command: CommandRecord) -> None:
        """The room's fallback policy as staff chose it on the console: applied between two batches (the next batch
        decides with it), reported by the next heartbeat."""
        policy = str(command.payload.get("lang_fallback") or "")
        try:
            async with self._work_lock:  # not in the middle of a batch or a reload
                await asyncio.to_thread(self.engine.set_lang_fallback, policy)
        except ValueError as exc:
            await self._finish(command.id, f"not changed: {exc}", ok=False)
            return
        self.setting_sources["lang_fallback"] = "console"
        log.warning("console: %s set the room's fallback policy to %s", command.created_by, policy)
        await self._finish(command.id, f"lang_fallback={policy}")

    async def _set_main_lang(self, command: CommandRecord) -> None:
        """The room's main language as staff chose it on the console (one of the room languages, else refused):
        applied between two batches like `_set_lang_fallback`."""
        code = str(command.payload.get("main_lang") or "")
        try:
            async with self._work_lock:
                await asyncio.to_thread(self.engine.set_main_lang, code)
        except ValueError as exc:
            await self._finish(command.id, f"not changed: {exc}", ok=False)
            return
        self.setting_sources["main_lang"] = "console"
        log.warning("console: %s set the room's main language to %s", command.created_by, self.engine.default_lang)
        await self._finish(command.id, f"main_lang={self.engine.default_lang}")

    def _offer_staff_answer(self, command: CommandRecord) -> None:
        """An "answer now": offered to the scheduler like any reply (recorded, rate-limited, posted by the sender)
        with the highest priority; the command is marked done when the reply is sent."""
        payload = command.payload
        text = str(payload.get("text") or "").strip()
        ids = [str(x) for x in payload.get("comment_ids") or ()]
        users = [str(x) for x in payload.get("users") or ()]
        room = command.room or getattr(self._client, "room", None) or "local"
        if not text or not ids:
            asyncio.get_running_loop().create_task(self._finish(command.id, "nothing to post", ok=False))
            return
        now = time.monotonic()
        taken = []
        for i, cid in enumerate(ids):
            result = self.scheduler.offer(
                ReplyCandidate(comment_id=cid, user=users[i] if i < len(users) else "", key=f"staff-command:{command.id}",
                               text=text, lang=str(payload.get("lang") or self.engine.default_lang), room=room,
                               priority=STAFF_PRIORITY),
                now,
            )
            for dropped in result.dropped:
                self.outbox.dropped(dropped.priority, dropped.text, dropped.reason)
            if result.status in ("queued", "merged"):
                taken.append(cid)
        if not taken:
            asyncio.get_running_loop().create_task(
                self._finish(command.id, "not posted: the bot already has a reply pending for these comments", ok=False)
            )
            return
        for cid in taken:
            self._command_of[cid] = command.id
        self._wake.set()

    async def _finish(self, command_id: int, result: str, *, ok: bool = True) -> None:
        if self.control is None:
            return
        try:
            await asyncio.to_thread(self.control.finish_command, command_id, result, ok=ok)
        except Exception:
            log.exception("could not mark console command %d done (%s)", command_id, result)

    async def _fail_unposted_commands(self, why: str) -> None:
        for command_id in sorted(set(self._command_of.values())):
            await self._finish(command_id, why, ok=False)
        self._command_of.clear()

    def _room_settings(self) -> dict[str, Any]:
        """The room's language settings as the engine applies them now (the console shows them)."""
        settings = self.engine.state.settings
        return room_settings(settings.room_languages, settings.default_lang, settings.lang_fallback,
                             sources=self.setting_sources, fixed=getattr(self.engine, "shared", None) is not None)

    async def _heartbeat(self, client: RoomConnection) -> None:
        if self.control is None:
            return
        status = BotStatusRecord(
            room=getattr(client, "room", None) or "local", pid=os.getpid(),
            connected=self._connected and self.stats.room_error is None, last_comment_at=self._last_comment_at,
            reloads=self._count_reloads(), errors=self.stats.errors, paused=self.paused, updated_at=time.time(),
            outbox=self.outbox.snapshot(self.scheduler.pending_by_priority()),
            settings=self._room_settings(),
        )
        try:
            await asyncio.to_thread(self.control.heartbeat, status)
        except Exception as exc:  # noqa: BLE001 - the console shows a stale heartbeat; logged once per streak
            if not self._heartbeat_failing:
                log.warning("could not write the bot's status for the console: %s", exc)
            self._heartbeat_failing = True
        else:
            self._heartbeat_failing = False


def _receive_times(client: RoomConnection, event: InboundEvent) -> tuple[float, float]:
    """When ``event`` was received, (monotonic, wall clock): now, or — from a room that knows when the event reached the
    system (``received_at(seq)``: a worker's stream, the gateway's receive time) — that time, so the wait before this
    process counts towards ``stale_after_s`` and is recorded. The time comes from another machine's clock: an event
    "from the future" counts as received now."""
    mono, wall = time.monotonic(), time.time()
    source = getattr(client, "received_at", None)
    at = source(event.seq) if callable(source) and event.seq is not None else None
    if at is None:
        return mono, wall
    age = max(0.0, wall - at)
    return mono - age, wall - age


def _moderation_support(client: RoomConnection) -> tuple[frozenset[str], str]:
    """What ``client`` can do to a flagged comment (``capabilities.can_moderate``, or the client's own
    ``can_moderate``) and the platform's name; nothing when it has no ``moderate`` method."""
    caps = getattr(client, "capabilities", None)
    platform = str(getattr(caps, "platform", None) or type(client).__name__)
    if not callable(getattr(client, "moderate", None)):
        return frozenset(), platform
    allowed: Any = getattr(caps, "can_moderate", None)
    if allowed is None:
        allowed = getattr(client, "can_moderate", None) or ()
    return frozenset(allowed), platform


def _hand_off(comment: Comment, reason: str, default_lang: str, band: str = STAFF) -> Outcome:
    """An outcome that answers nothing: ``band`` staff (a human should look) or silent."""
    decision = Decision(comment_id=comment.id, band=band, reason=reason, lang=comment.lang or default_lang)
    return Outcome(comment=comment, decision=decision, text=None, answer_key=None, seconds=0.0)
