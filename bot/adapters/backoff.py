"""Reconnect backoff shared by the room clients: exponential with "equal jitter", interruptible by close()."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


def check_backoff(initial: float, maximum: float) -> None:
    if initial <= 0 or maximum < initial:
        raise ValueError("need 0 < backoff_initial <= backoff_max")


def backoff_delay(attempt: int, initial: float, maximum: float) -> float:
    """Seconds to wait before retry number ``attempt`` (0-based): half fixed, half random, capped at ``maximum``."""
    delay = min(maximum, initial * (2**attempt))
    return delay / 2 + random.uniform(0, delay / 2)


async def sleep_unless_closed(closing: asyncio.Event, delay: float) -> None:
    """Sleep ``delay`` seconds, waking early when ``closing`` is set."""
    try:
        async with asyncio.timeout(delay):
            await closing.wait()
    except TimeoutError:
        pass


class ReconnectLoop:
    """The one reconnect loop of every room client::

        async with contextlib.aclosing(ReconnectLoop(closing, 0.2, 5.0).sessions(self._connect)) as sessions:
            async for ws in sessions:      # a fresh, ready connection each time the previous one ended
                ...read until it ends...

    ``connect(attempt)`` returns a ready session, or None when it failed (the adapter logs why). Before a retry the loop
    sleeps ``backoff_delay(attempt - 1)`` (exponential, equal jitter); a success resets the count, the end of a session
    counts as one attempt (back off once before reconnecting), and ``closing`` stops everything at once.
    """

    def __init__(self, closing: asyncio.Event, initial: float, maximum: float) -> None:
        check_backoff(initial, maximum)
        self.closing = closing
        self.initial = initial
        self.maximum = maximum

    async def sessions(self, connect: Callable[[int], Awaitable[T | None]]) -> AsyncGenerator[T, None]:
        attempt = 0  # consecutive failed attempts; > 0 means "back off before connecting"
        while not self.closing.is_set():
            if attempt:
                await sleep_unless_closed(self.closing, backoff_delay(attempt - 1, self.initial, self.maximum))
                if self.closing.is_set():
                    return
            session = await connect(attempt)
            if session is None:
                attempt += 1
                continue
            attempt = 0
            yield session
            attempt = 1
