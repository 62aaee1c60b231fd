"""Sans-I/O reply scheduler: merge duplicate answers, per-viewer cooldowns, platform rate limit.

Time is always passed in (seconds, any monotonic clock); nothing here sleeps or touches asyncio.
Use one scheduler per room: the token bucket models the platform's per-room posting limit.

Life of a candidate::

    offer(candidate, now) ──▶ "queued"   opens a pending reply for candidate.key
                         ├─▶ "merged"   joins the pending reply with the same key (reply_to grows)
                         ├─▶ "cooldown" this viewer got this answer less than viewer_cooldown_s ago
                         ├─▶ "duplicate" this comment id is already pending
                         └─▶ "dropped"  queue full and this candidate was the oldest lowest-priority one

    due(now)   releases pending replies whose merge window closed, highest priority first, then
               oldest first, as long as the token bucket (rate_per_s, burst) has a token.
    flush(now) releases everything pending, ignoring windows and the rate limit (end of show).

A pending reply keeps accepting same-key candidates until it is released, even after its merge
window closed (while it waits for a rate-limit token): merging then only saves posts.
"""

from __future__ import annotations

import heapq
import logging
import math
from dataclasses import dataclass, field
from typing import Literal

from bot.messages import Reply

__all__ = ["MAX_REPLY_AGE_S", "DroppedReply", "OfferResult", "ReplyCandidate", "ReplyScheduler", "SchedulerStats"]

log = logging.getLogger(__name__)

_EPS = 1e-9  # float slack so that due(next_deadline()) always releases

OfferStatus = Literal["queued", "merged", "cooldown", "duplicate", "dropped"]


@dataclass(frozen=True, slots=True)
class SchedulerDefaults:
    """The scheduler's default limits — the one place they are defined (Settings reads them from here)."""

    rate_per_s: float = 3.0
    burst: int = 6
    merge_window_s: float = 1.0
    viewer_cooldown_s: float = 20.0
    max_queue: int = 500


_DEFAULTS = SchedulerDefaults()

# A reply older than this is not posted: the bot's after a pause (BotService.resume_max_age_s: its newest comment's
# wait), the scale-out gateway's (its age in <prefix>:out) — a stale answer in a live room is noise, or wrong.
MAX_REPLY_AGE_S = 60.0


@dataclass(frozen=True, slots=True)
class ReplyCandidate:
    """One comment's answer, before merging. ``key`` identifies "the same answer", e.g.
    ``f"{faq_id}|{product_id}|{lang}|{text}"``; candidates with equal keys must have equal text."""

    comment_id: str
    user: str
    key: str
    text: str
    lang: str
    room: str = "local"
    priority: int = 0  # higher is more important; the lowest is dropped first on overflow


@dataclass(frozen=True, slots=True)
class DroppedReply:
    """A pending reply thrown away because the queue overflowed. Its comments got no answer."""

    key: str
    room: str
    comment_ids: tuple[str, ...]
    users: tuple[str, ...]
    priority: int
    opened_at: float
    reason: str = "queue_full"
    text: str = ""


@dataclass(frozen=True, slots=True)
class OfferResult:
    status: OfferStatus
    key: str
    dropped: tuple[DroppedReply, ...] = ()  # replies evicted by this offer (may include this candidate)


@dataclass(slots=True)
class SchedulerStats:
    offered: int = 0
    queued: int = 0
    merged: int = 0
    cooldown: int = 0
    duplicate: int = 0
    dropped_replies: int = 0
    dropped_comments: int = 0
    released: int = 0
    flushed: int = 0


@dataclass(slots=True)
class _Pending:
    seq: int
    key: str
    room: str
    text: str
    lang: str
    opened_at: float
    priority: int
    comment_ids: list[str] = field(default_factory=list)
    users: dict[str, None] = field(default_factory=dict)  # insertion-ordered set

    def to_reply(self, now: float) -> Reply:
        return Reply(
            reply_to=tuple(self.comment_ids),
            text=self.text,
            lang=self.lang,
            room=self.room,
            ts=now,
            users=tuple(self.users),
            priority=self.priority,
        )

    def to_dropped(self) -> DroppedReply:
        return DroppedReply(
            key=self.key,
            room=self.room,
            comment_ids=tuple(self.comment_ids),
            users=tuple(self.users),
            priority=self.priority,
            opened_at=self.opened_at,
            text=self.text,
        )


class ReplyScheduler:
    """Merges same-key candidates, enforces viewer cooldowns and a token-bucket rate limit."""

    def __init__(
        self,
        *,
        rate_per_s: float = _DEFAULTS.rate_per_s,
        burst: int = _DEFAULTS.burst,
        merge_window_s: float = _DEFAULTS.merge_window_s,
        viewer_cooldown_s: float = _DEFAULTS.viewer_cooldown_s,
        max_queue: int = _DEFAULTS.max_queue,
    ) -> None:
        if not rate_per_s > 0:
            raise ValueError("rate_per_s must be > 0")
        if burst < 1:
            raise ValueError("burst must be >= 1")
        if merge_window_s < 0 or viewer_cooldown_s < 0:
            raise ValueError("merge_window_s and viewer_cooldown_s must be >= 0")
        if max_queue < 1:
            raise ValueError("max_queue must be >= 1")
        self.rate_per_s = float(rate_per_s)
        self.burst = int(burst)
        self.merge_window_s = float(merge_window_s)
        self.viewer_cooldown_s = float(viewer_cooldown_s)
        self.max_queue = int(max_queue)
        self.stats = SchedulerStats()

        self._pending: dict[tuple[str, str], _Pending] = {}  # (room, key) -> pending reply
        self._pending_ids: set[str] = set()
        self._seq = 0
        self._tokens = float(burst)
        self._refilled_at: float | None = None
        self._clock: float = -math.inf  # latest `now` seen; time never runs backwards in here
        self._answered: dict[tuple[str, str, str], float] = {}  # (room, user, key) -> released at
        self._pruned_at = -math.inf

    # ---------------------------------------------------------------- inspection

    def pending_by_priority(self) -> dict[int, int]:
        """Replies waiting, by priority (the console's view of the outbox)."""
        counts: dict[int, int] = {}
        for p in self._pending.values():
            counts[p.priority] = counts.get(p.priority, 0) + 1
        return counts

    @property
    def pending(self) -> int:
        """Number of pending (not yet released) replies."""
        return len(self._pending)

    @property
    def pending_comments(self) -> int:
        return len(self._pending_ids)

    def tokens(self, now: float) -> float:
        """Tokens available at ``now`` (for tests and metrics)."""
        self._advance(now)
        return self._tokens

    # ---------------------------------------------------------------- offer

    def offer(self, candidate: ReplyCandidate, now: float) -> OfferResult:
        now = self._advance(now)
        self.stats.offered += 1
        group_key = (candidate.room, candidate.key)

        if candidate.comment_id in self._pending_ids:
            self.stats.duplicate += 1
            return OfferResult("duplicate", candidate.key)

        answered_at = self._answered.get((candidate.room, candidate.user, candidate.key))
        if answered_at is not None and now - answered_at < self.viewer_cooldown_s:
            self.stats.cooldown += 1
            return OfferResult("cooldown", candidate.key)

        pending = self._pending.get(group_key)
        if pending is not None:
            if pending.text != candidate.text:
                log.warning("key %r merges different texts; keeping the first", candidate.key)
            pending.comment_ids.append(candidate.comment_id)
            if candidate.user:  # scheduled messages and greetings answer no viewer
                pending.users.setdefault(candidate.user, None)
            pending.priority = max(pending.priority, candidate.priority)
            self._pending_ids.add(candidate.comment_id)
            self.stats.merged += 1
            return OfferResult("merged", candidate.key)

        self._seq += 1
        pending = _Pending(
            seq=self._seq,
            key=candidate.key,
            room=candidate.room,
            text=candidate.text,
            lang=candidate.lang,
            opened_at=now,
            priority=candidate.priority,
            comment_ids=[candidate.comment_id],
            users={candidate.user: None} if candidate.user else {},
        )
        self._pending[group_key] = pending
        self._pending_ids.add(candidate.comment_id)
        self.stats.queued += 1

        dropped = self._evict_overflow()
        if any(candidate.comment_id in d.comment_ids for d in dropped):
            self.stats.queued -= 1
            return OfferResult("dropped", candidate.key, dropped)
        return OfferResult("queued", candidate.key, dropped)

    def _evict_overflow(self) -> tuple[DroppedReply, ...]:
        excess = len(self._pending) - self.max_queue
        if excess <= 0:
            return ()
        # lowest priority first, then oldest first
        victims = heapq.nsmallest(excess, self._pending.values(), key=lambda p: (p.priority, p.seq))
        dropped: list[DroppedReply] = []
        for victim in victims:
            del self._pending[(victim.room, victim.key)]
            self._pending_ids.difference_update(victim.comment_ids)
            item = victim.to_dropped()
            dropped.append(item)
            self.stats.dropped_replies += 1
            self.stats.dropped_comments += len(item.comment_ids)
            log.warning(
                "reply queue over %d: dropped reply %r (priority %d) for comments %s",
                self.max_queue,
                item.key,
                item.priority,
                ", ".join(item.comment_ids),
            )
        return tuple(dropped)

    # ---------------------------------------------------------------- release

    def due(self, now: float) -> list[Reply]:
        """Replies to send now: merge window closed and a rate-limit token available."""
        now = self._advance(now)
        # no token, nothing to release: checked before the scan of every pending reply (the live loop asks after
        # every batch, and with the room's rate limit reached that is most of the time)
        ready = (
            [p for p in self._pending.values() if p.opened_at + self.merge_window_s <= now]
            if self._tokens >= 1.0 - _EPS else []
        )
        if not ready:
            self._prune(now)
            return []
        ready.sort(key=lambda p: (-p.priority, p.seq))
        released: list[Reply] = []
        for pending in ready:
            if self._tokens < 1.0 - _EPS:
                break
            self._tokens = max(0.0, self._tokens - 1.0)
            released.append(self._release(pending, now))
        self.stats.released += len(released)
        self._prune(now)
        return released

    def flush(self, now: float) -> list[Reply]:
        """Release every pending reply now (end of show), ignoring merge windows and the rate limit.

        Order: highest priority first, then oldest first. Tokens are spent (not below zero)."""
        now = self._advance(now)
        everything = sorted(self._pending.values(), key=lambda p: (-p.priority, p.seq))
        released = [self._release(p, now) for p in everything]
        self._tokens = max(0.0, self._tokens - len(released))
        self.stats.flushed += len(released)
        return released

    def _release(self, pending: _Pending, now: float) -> Reply:
        del self._pending[(pending.room, pending.key)]
        self._pending_ids.difference_update(pending.comment_ids)
        for user in pending.users:
            self._answered[(pending.room, user, pending.key)] = now
        return pending.to_reply(now)

    def next_deadline(self) -> float | None:
        """Earliest time at which :meth:`due` can return something, or None if nothing is pending.

        The event loop sleeps until then (or until a new candidate arrives)."""
        if not self._pending:
            return None
        window_closes = min(p.opened_at for p in self._pending.values()) + self.merge_window_s
        if self._tokens >= 1.0 - _EPS or self._refilled_at is None:
            return window_closes
        token_at = self._refilled_at + (1.0 - self._tokens) / self.rate_per_s
        return max(window_closes, token_at)

    # ---------------------------------------------------------------- clock

    def _advance(self, now: float) -> float:
        """Refill the bucket up to ``now``. A clock that steps backwards is treated as standing still."""
        if now < self._clock:
            now = self._clock
        self._clock = now
        if self._refilled_at is None:
            self._refilled_at = now
        elif now > self._refilled_at:
            self._tokens = min(float(self.burst), self._tokens + (now - self._refilled_at) * self.rate_per_s)
            self._refilled_at = now
        return now

    def _prune(self, now: float) -> None:
        """Forget cooldowns that expired (at most once per cooldown period)."""
        if now - self._pruned_at < max(self.viewer_cooldown_s, 1.0):
            return
        self._pruned_at = now
        horizon = now - self.viewer_cooldown_s
        self._answered = {k: t for k, t in self._answered.items() if t > horizon}
