"""The sans-I/O sliding-window limiter (bot/adapters/ratelimit.py): exact delays, a window that slides (not a bucket
that refills at fixed instants), pauses, and a property test: whatever the request times, no window holds more
posts than the limit, and no post waits longer than it has to."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.capabilities import RateLimit
from bot.adapters.ratelimit import SlidingWindow

pytestmark = pytest.mark.timeout(60)


def test_allows_the_limit_at_once_then_waits_exactly_for_the_oldest_post():
    w = SlidingWindow(RateLimit(3, 10.0))
    for t in (0.0, 1.0, 2.0):
        assert w.delay(t) == 0.0
        w.record(t)
    assert w.delay(2.0) == pytest.approx(8.0)
    assert w.delay(9.5) == pytest.approx(0.5)
    assert w.delay(10.0) == 0.0  # the post at 0.0 has left the window (0, 10]
    w.record(10.0)
    assert w.delay(10.0) == pytest.approx(1.0)  # now the post at 1.0 is the oldest that counts
    assert w.in_window(10.0) == 3


def test_the_window_slides_rather_than_refilling_at_fixed_instants():
    w = SlidingWindow(RateLimit(2, 10.0))
    w.record(0.0)
    w.record(9.0)
    # a bucket refilled every 10 s would allow two posts at t=10; the sliding window allows one (t=9 still counts)
    assert w.delay(10.0) == 0.0
    w.record(10.0)
    assert w.delay(10.0) == pytest.approx(9.0)


def test_margin_widens_the_window():
    w = SlidingWindow(RateLimit(1, 1.0), margin=0.25)
    w.record(0.0)
    assert w.delay(1.0) == pytest.approx(0.25)
    assert w.window == pytest.approx(1.25)
    with pytest.raises(ValueError):
        SlidingWindow(RateLimit(1, 1.0), margin=-1)
    with pytest.raises(ValueError):
        SlidingWindow(RateLimit(1, 1.0), margin=float("nan"))


def test_pause_holds_every_post_and_never_shortens():
    w = SlidingWindow(RateLimit(5, 1.0))
    w.pause(30.0)
    w.pause(10.0)  # an earlier end does not shorten the pause
    assert w.paused_until == 30.0
    assert w.delay(0.0) == pytest.approx(30.0)
    assert w.delay(30.0) == 0.0


def test_records_beyond_the_limit_keep_only_what_matters():
    w = SlidingWindow(RateLimit(2, 1.0))
    for t in (0.0, 0.1, 0.2, 0.3):  # the caller posted without asking: still counted
        w.record(t)
    assert w.delay(0.3) == pytest.approx(0.9)  # held back by the 2nd newest post (0.2)
    assert "2 per 1 s" in repr(w)


@pytest.mark.slow  # a property search over hundreds of examples: make test, not test-fast
@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(
    messages=st.integers(1, 6),
    per_s=st.sampled_from([0.5, 1.0, 2.5, 30.0]),
    margin=st.sampled_from([0.0, 0.1]),
    gaps=st.lists(st.floats(0.0, 3.0, allow_nan=False), min_size=1, max_size=60),
)
def test_no_window_ever_holds_more_than_the_limit(messages, per_s, margin, gaps):
    limit = RateLimit(messages, per_s)
    w = SlidingWindow(limit, margin=margin)
    now, request, posts = 0.0, 0.0, []
    for gap in gaps:  # one poster: each post is requested `gap` s after the previous one was made
        request = now + gap
        wait = w.delay(request)
        now = request + wait
        assert w.delay(now) == 0.0
        if wait > 1e-6:  # it did not wait longer than needed: a moment earlier was too early
            assert w.delay(now - 1e-7) > 0
        w.record(now)
        posts.append(now)
    for i in range(len(posts) - messages):
        # any half-open window (t - per_s, t] holds at most `messages` posts
        assert posts[i + messages] - posts[i] >= per_s + margin - 1e-9


def test_a_post_counts_from_when_it_was_delivered():
    w = SlidingWindow(RateLimit(1, 1.0))
    w.record(0.0)
    w.delivered(0.3)  # the click took 0.3 s to reach the page
    assert w.delay(1.0) == pytest.approx(0.3)
    w.delivered(0.1)  # never moves a post earlier
    assert w.delay(1.0) == pytest.approx(0.3)


@settings(max_examples=200, deadline=None)
@given(
    messages=st.integers(1, 4),
    latencies=st.lists(st.floats(0.0, 0.5, allow_nan=False), min_size=2, max_size=12),
)
def test_delivered_posts_are_spaced_by_the_window_whatever_their_latency(messages, latencies):
    """The platform sees a post when it is delivered: any ``messages`` + 1 consecutive deliveries span the window."""
    w = SlidingWindow(RateLimit(messages, 1.0), margin=0.1)
    now, arrived = 0.0, []
    for latency in latencies:
        now += w.delay(now)
        w.record(now)
        now += latency
        w.delivered(now)
        arrived.append(now)
    assert all(arrived[i + messages] - arrived[i] >= w.window - 1e-9 for i in range(len(arrived) - messages))
