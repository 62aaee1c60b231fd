"""A sliding-window rate limiter for posting into a room. Sans-I/O: the caller passes the clock and does the waiting.

    window = SlidingWindow(RateLimit(20, 30.0))
    while (wait := window.delay(time.monotonic())) > 0:
        await asyncio.sleep(wait)
    await post(...)
    window.record(time.monotonic())

Guarantee: as long as every post is recorded and only made when :meth:`SlidingWindow.delay` returned 0 for the
same instant, no interval of ``limit.per_s`` seconds (of the caller's clock) contains more than ``limit.messages``
posts (to within a nanosecond: float rounding of "exactly now" is not a wait). ``margin`` widens the window for a
peer whose clock or receive times differ a little from ours (a platform counts posts when they arrive, not when we
sent them). It never lets a burst through: the window "slides", it is not a bucket that refills at fixed instants,
so it is safe whatever the platform's refill schedule is.

A platform that says "too fast" anyway (Twitch's ``msg_ratelimit``) is honoured with :meth:`SlidingWindow.pause`.
"""

from __future__ import annotations

import math
from collections import deque

from bot.adapters.capabilities import RateLimit

__all__ = ["SlidingWindow"]

_EPSILON = 1e-9  # a wait this short is float rounding of "exactly now" (now + delay(now) may miss by an ulp), not a wait


class SlidingWindow:
    """At most ``limit.messages`` posts in any ``limit.per_s + margin`` seconds."""

    def __init__(self, limit: RateLimit, *, margin: float = 0.0) -> None:
        if not math.isfinite(margin) or margin < 0:
            raise ValueError("margin must be a finite number >= 0")
        self.limit = limit
        self.window = limit.per_s + margin
        # Only the newest `messages` posts can hold the next one back, so older ones are not kept.
        self._posts: deque[float] = deque(maxlen=limit.messages)
        self._paused_until = -math.inf

    def delay(self, now: float) -> float:
        """Seconds to wait from ``now`` before the next post is allowed; 0.0 when it is allowed now."""
        wait = self._paused_until - now
        if len(self._posts) == self.limit.messages:
            wait = max(wait, self._posts[0] + self.window - now)
        return wait if wait > _EPSILON else 0.0

    def record(self, now: float) -> None:
        """A post was made at ``now`` (call it for every post, also one made without asking :meth:`delay`)."""
        self._posts.append(now)

    def delivered(self, now: float) -> None:
        """The newest post reached the platform at ``now`` (after :meth:`record` at its start): it counts from then,
        so the platform's own clock sees the spacing too however long delivering it took (a slow click under load
        would otherwise shrink the gap between it and a post delivered quickly a window later)."""
        if self._posts and now > self._posts[-1]:
            self._posts[-1] = now

    def pause(self, until: float) -> None:
        """Allow no post before ``until`` (e.g. the platform said we were too fast). Extends, never shortens."""
        self._paused_until = max(self._paused_until, until)

    @property
    def paused_until(self) -> float:
        return self._paused_until

    def in_window(self, now: float) -> int:
        """How many recorded posts lie in the window that ends at ``now``."""
        return sum(1 for t in self._posts if t > now - self.window)

    def __repr__(self) -> str:
        return f"SlidingWindow({self.limit.messages} per {self.window:g} s, {len(self._posts)} recent)"
