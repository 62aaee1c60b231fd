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


def test_the_reconnect_loop_backs_off_between_failures_and_resets_after_a_session():
    import asyncio

    from bot.adapters.backoff import ReconnectLoop

    async def scenario():
        closing = asyncio.Event()
        calls: list[int] = []
        outcomes = iter([None, None, "s1", None, "s2"])

        async def connect(attempt: int):
            calls.append(attempt)
            return next(outcomes)

        sessions = []
        async for session in ReconnectLoop(closing, 0.001, 0.004).sessions(connect):
            sessions.append(session)
            if len(sessions) == 2:
                closing.set()
        return calls, sessions

    calls, sessions = asyncio.run(scenario())
    assert sessions == ["s1", "s2"]
    # 0, 1, 2 failed attempts before s1; after a session one back-off (1), a failure (2), then s2
    assert calls == [0, 1, 2, 1, 2]


def test_closing_stops_the_reconnect_loop_during_its_back_off():
    import asyncio
    import time

    from bot.adapters.backoff import ReconnectLoop

    async def scenario():
        closing = asyncio.Event()

        async def connect(attempt: int):
            asyncio.get_running_loop().call_later(0.05, closing.set)
            return None  # always failing

        t0 = time.monotonic()
        async for _ in ReconnectLoop(closing, 10.0, 60.0).sessions(connect):
            pass
        return time.monotonic() - t0

    assert asyncio.run(scenario()) < 2.0
