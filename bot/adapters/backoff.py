"""Reconnect backoff shared by the room clients: exponential with "equal jitter", interruptible by close()."""

from __future__ import annotations

import asyncio
import random


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
