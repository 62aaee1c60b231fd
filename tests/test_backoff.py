"""Reconnect backoff shared by the room clients."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.adapters.backoff import backoff_delay, check_backoff, sleep_unless_closed


def test_delay_grows_exponentially_with_equal_jitter_and_is_capped():
    for attempt, full in [(0, 0.2), (1, 0.4), (3, 1.6), (10, 5.0)]:
        delays = [backoff_delay(attempt, 0.2, 5.0) for _ in range(200)]
        assert all(full / 2 <= d <= full for d in delays)
        assert max(delays) - min(delays) > 0  # jittered, so reconnecting clients do not stampede


def test_bad_bounds_are_rejected():
    with pytest.raises(ValueError):
        check_backoff(0, 1)
    with pytest.raises(ValueError):
        check_backoff(2, 1)


def test_sleep_wakes_early_when_closed():
    async def main() -> float:
        closing = asyncio.Event()
        asyncio.get_running_loop().call_later(0.05, closing.set)
        start = time.monotonic()
        await sleep_unless_closed(closing, 5.0)
        return time.monotonic() - start

    assert asyncio.run(main()) < 1.0
