"""Reply scheduler: merging, cooldowns, rate limit, ordering, overflow — all with explicit time."""

from __future__ import annotations

import random

import pytest

from bot.messages import Reply
from bot.replies import ReplyCandidate, ReplyScheduler

pytestmark = pytest.mark.timeout(60)


def cand(comment_id: str, user: str = "u1", key: str = "k", *, priority: int = 0, room: str = "local") -> ReplyCandidate:
    return ReplyCandidate(
        comment_id=comment_id,
        user=user,
        key=key,
        text=f"answer for {key}",
        lang="zh",
        room=room,
        priority=priority,
    )


def sched(**kwargs) -> ReplyScheduler:
    defaults = dict(rate_per_s=2.0, burst=5, merge_window_s=1.5, viewer_cooldown_s=20.0, max_queue=500)
    defaults.update(kwargs)
    return ReplyScheduler(**defaults)


# ------------------------------------------------------------------------------------ merging


def test_single_candidate_is_released_when_its_window_closes():
    s = sched()
    assert s.offer(cand("c1"), 10.0).status == "queued"
    assert s.pending == 1
    assert s.due(10.0) == []
    assert s.due(11.49) == []
    (reply,) = s.due(11.5)
    assert reply == Reply(reply_to=("c1",), text="answer for k", lang="zh", room="local", ts=11.5, users=("u1",))
    assert s.pending == 0
    assert s.due(100.0) == []


def test_a_released_reply_keeps_the_priority_it_was_queued_with():
    """The console's outbox names a reply dropped after a pause by its kind (rule, staff, …), not always "answer"."""
    from bot.announcements import RULE_PRIORITY
    from bot.outbox import kind_of

    s = sched(merge_window_s=0.0)
    s.offer(cand("c1", key="rule", priority=RULE_PRIORITY), 0.0)
    (reply,) = s.due(0.0)
    assert reply.priority == RULE_PRIORITY and kind_of(reply.priority) == "rule"


def test_same_key_inside_window_merges_into_one_reply_listing_every_comment_and_user():
    s = sched()
    assert s.offer(cand("c1", "u1"), 0.0).status == "queued"
    assert s.offer(cand("c2", "u2"), 0.5).status == "merged"
    assert s.offer(cand("c3", "u1"), 1.0).status == "merged"  # same viewer asking twice before the answer
    assert s.offer(cand("c4", "u3"), 1.4).status == "merged"
    assert s.due(1.4) == []
    (reply,) = s.due(1.5)  # the window is measured from the first comment
    assert reply.reply_to == ("c1", "c2", "c3", "c4")
    assert reply.users == ("u1", "u2", "u3")
    assert s.stats.merged == 3 and s.stats.queued == 1


def test_different_keys_and_rooms_are_not_merged():
    s = sched()
    s.offer(cand("c1", key="price"), 0.0)
    s.offer(cand("c2", key="size"), 0.0)
    s.offer(cand("c3", key="price", room="other-room"), 0.0)
    replies = s.due(2.0)
    assert sorted(r.reply_to for r in replies) == [("c1",), ("c2",), ("c3",)]
    assert {r.room for r in replies} == {"local", "other-room"}


def test_after_release_the_same_key_opens_a_new_reply():
    s = sched()
    s.offer(cand("c1", "u1"), 0.0)
    assert [r.reply_to for r in s.due(1.5)] == [("c1",)]
    assert s.offer(cand("c2", "u2"), 1.6).status == "queued"
    assert s.due(2.0) == []
    assert [r.reply_to for r in s.due(3.1)] == [("c2",)]


def test_late_candidates_merge_into_a_reply_still_waiting_for_a_token():
    s = sched(rate_per_s=1.0, burst=1, merge_window_s=0.0)
    s.offer(cand("c1", key="a"), 0.0)
    s.offer(cand("c2", key="b"), 0.0)
    assert [r.reply_to for r in s.due(0.0)] == [("c1",)]  # "b" waits for a token
    assert s.offer(cand("c3", "u2", key="b"), 0.5).status == "merged"
    (reply,) = s.due(1.0)
    assert reply.reply_to == ("c2", "c3")


def test_zero_merge_window_releases_immediately():
    s = sched(merge_window_s=0.0)
    s.offer(cand("c1"), 3.0)
    assert [r.reply_to for r in s.due(3.0)] == [("c1",)]


def test_duplicate_comment_id_is_reported_not_double_counted():
    s = sched()
    s.offer(cand("c1"), 0.0)
    assert s.offer(cand("c1"), 0.1).status == "duplicate"
    (reply,) = s.due(2.0)
    assert reply.reply_to == ("c1",)


# ------------------------------------------------------------------------------------ cooldown


def test_viewer_cooldown_is_measured_from_the_release():
    s = sched(viewer_cooldown_s=20.0)
    s.offer(cand("c1", "u1"), 0.0)
    assert len(s.due(1.5)) == 1  # released at 1.5
    assert s.offer(cand("c2", "u1"), 10.0).status == "cooldown"
    assert s.offer(cand("c3", "u1"), 21.4).status == "cooldown"
    assert s.offer(cand("c4", "u1"), 21.5).status == "queued"
    assert s.stats.cooldown == 2


def test_cooldown_is_per_viewer_and_per_key():
    s = sched()
    s.offer(cand("c1", "u1", key="price"), 0.0)
    s.due(1.5)
    assert s.offer(cand("c2", "u1", key="size"), 2.0).status == "queued"  # other question
    assert s.offer(cand("c3", "u2", key="price"), 2.0).status == "queued"  # other viewer


def test_cooldown_wins_over_merging():
    s = sched()
    s.offer(cand("c1", "u1"), 0.0)
    s.due(1.5)
    assert s.offer(cand("c2", "u2"), 2.0).status == "queued"
    assert s.offer(cand("c3", "u1"), 2.1).status == "cooldown"  # u1 already got this answer
    (reply,) = s.due(3.5)
    assert reply.reply_to == ("c2",) and reply.users == ("u2",)


def test_flushed_replies_also_start_cooldowns():
    s = sched()
    s.offer(cand("c1", "u1"), 0.0)
    assert len(s.flush(0.1)) == 1
    assert s.offer(cand("c2", "u1"), 5.0).status == "cooldown"


# ------------------------------------------------------------------------------------ rate limit


def test_token_bucket_allows_a_burst_then_the_rate():
    s = sched(rate_per_s=1.0, burst=2, merge_window_s=0.0)
    for i in range(6):
        s.offer(cand(f"c{i}", key=f"k{i}"), 0.0)
    assert [r.reply_to for r in s.due(0.0)] == [("c0",), ("c1",)]
    assert s.due(0.5) == []
    assert [r.reply_to for r in s.due(1.0)] == [("c2",)]
    assert s.due(1.9) == []
    assert [r.reply_to for r in s.due(4.0)] == [("c3",), ("c4",)]  # refill caps at burst
    assert [r.reply_to for r in s.due(5.0)] == [("c5",)]


def test_idle_time_refills_up_to_burst_only():
    s = sched(rate_per_s=10.0, burst=3, merge_window_s=0.0)
    s.due(0.0)
    assert s.tokens(1000.0) == 3.0
    for i in range(10):
        s.offer(cand(f"c{i}", key=f"k{i}"), 1000.0)
    assert len(s.due(1000.0)) == 3


def test_clock_going_backwards_adds_no_tokens():
    s = sched(rate_per_s=1.0, burst=1, merge_window_s=0.0)
    s.offer(cand("c1", key="a"), 10.0)
    s.offer(cand("c2", key="b"), 10.0)
    assert len(s.due(10.0)) == 1
    assert s.due(5.0) == []  # earlier time: treated as 10.0
    assert s.due(10.5) == []
    assert len(s.due(11.0)) == 1


def test_next_deadline_tracks_window_and_tokens():
    s = sched(rate_per_s=2.0, burst=1, merge_window_s=1.0)
    assert s.next_deadline() is None
    s.offer(cand("c1", key="a"), 0.0)
    s.offer(cand("c2", key="b"), 0.2)
    assert s.next_deadline() == pytest.approx(1.0)
    assert len(s.due(1.0)) == 1  # token spent
    assert s.next_deadline() == pytest.approx(1.5)  # window of "b" closed at 1.2, token back at 1.5
    assert s.due(1.49) == []
    assert [r.reply_to for r in s.due(1.5)] == [("c2",)]
    assert s.next_deadline() is None


# ------------------------------------------------------------------------------------ ordering


def test_only_ready_replies_leave_even_if_a_newer_one_has_higher_priority():
    s = sched(merge_window_s=0.5)
    s.offer(cand("c1", key="a", priority=0), 0.0)
    s.offer(cand("c2", key="b", priority=9), 0.3)
    assert [r.reply_to for r in s.due(0.5)] == [("c1",)]
    assert [r.reply_to for r in s.due(0.8)] == [("c2",)]


def test_ready_replies_leave_by_priority_then_age():
    s = sched(rate_per_s=1.0, burst=1, merge_window_s=0.5)
    s.offer(cand("c1", key="a", priority=0), 0.0)
    s.offer(cand("c2", key="b", priority=0), 0.1)
    s.offer(cand("c3", key="c", priority=5), 0.2)
    s.offer(cand("c4", key="d", priority=0), 0.3)
    order = []
    now = 1.0  # all four windows have closed: priority first, then age
    while s.pending:
        now = max(now, s.next_deadline())
        order += [r.reply_to[0] for r in s.due(now)]
    assert order == ["c3", "c1", "c2", "c4"]


def test_a_merge_can_raise_a_replys_priority():
    s = sched(rate_per_s=1.0, burst=1, merge_window_s=0.0)
    s.offer(cand("c0", key="z"), 0.0)
    s.due(0.0)  # spend the token
    s.offer(cand("c1", key="a"), 0.1)
    s.offer(cand("c2", key="b"), 0.2)
    s.offer(cand("c3", "u2", key="b", priority=3), 0.3)
    assert [r.reply_to for r in s.due(1.0)] == [("c2", "c3")]


def test_flush_releases_everything_ignoring_windows_and_rate():
    s = sched(rate_per_s=0.1, burst=1, merge_window_s=60.0)
    for i in range(5):
        s.offer(cand(f"c{i}", key=f"k{i}", priority=1 if i == 3 else 0), 0.0)
    assert s.due(1.0) == []
    replies = s.flush(1.0)
    assert [r.reply_to[0] for r in replies] == ["c3", "c0", "c1", "c2", "c4"]
    assert all(r.ts == 1.0 for r in replies)
    assert s.pending == 0 and s.pending_comments == 0
    assert s.next_deadline() is None
    assert s.flush(2.0) == []


# ------------------------------------------------------------------------------------ overflow


def test_overflow_drops_the_oldest_lowest_priority_reply_and_reports_it():
    s = sched(max_queue=3)
    s.offer(cand("c1", "u1", key="a"), 0.0)
    s.offer(cand("c1b", "u9", key="a"), 0.05)  # merged: dropped together with c1
    s.offer(cand("c2", key="b", priority=1), 0.1)
    s.offer(cand("c3", key="c"), 0.2)
    result = s.offer(cand("c4", key="d"), 0.3)
    assert result.status == "queued"
    (dropped,) = result.dropped
    assert dropped.key == "a"
    assert dropped.comment_ids == ("c1", "c1b")
    assert dropped.users == ("u1", "u9")
    assert dropped.reason == "queue_full"
    assert s.pending == 3
    assert s.stats.dropped_replies == 1 and s.stats.dropped_comments == 2
    released = {r.reply_to[0] for r in s.flush(1.0)}
    assert released == {"c2", "c3", "c4"}


def test_overflow_prefers_dropping_low_priority_even_if_newer():
    s = sched(max_queue=2)
    s.offer(cand("c1", key="a", priority=2), 0.0)
    s.offer(cand("c2", key="b", priority=2), 0.1)
    result = s.offer(cand("c3", key="c", priority=0), 0.2)
    assert result.status == "dropped"  # the newcomer itself is the lowest priority
    assert [d.comment_ids for d in result.dropped] == [("c3",)]
    result = s.offer(cand("c4", key="d", priority=5), 0.3)
    assert result.status == "queued"
    assert [d.comment_ids for d in result.dropped] == [("c1",)]  # oldest among the lowest (2)
    result = s.offer(cand("c5", "u2", key="a", priority=9), 0.4)  # a dropped key can open again
    assert result.status == "queued"
    assert [d.comment_ids for d in result.dropped] == [("c2",)]
    assert s.pending == 2


def test_overflow_logs_a_warning(caplog):
    s = sched(max_queue=1)
    s.offer(cand("c1", key="a"), 0.0)
    with caplog.at_level("WARNING", logger="bot.replies"):
        s.offer(cand("c2", key="b"), 0.1)
    assert "dropped reply 'a'" in caplog.text and "c1" in caplog.text


def test_invalid_settings_are_rejected():
    for bad in (dict(rate_per_s=0), dict(burst=0), dict(merge_window_s=-1), dict(max_queue=0)):
        with pytest.raises(ValueError):
            sched(**bad)


# ------------------------------------------------------------------------------------ simulation


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_simulated_show_never_exceeds_rate_and_accounts_for_every_comment(seed):
    """Drive the scheduler like the service loop does (sleep until next_deadline or the next
    comment) with a noisy stream, then check the invariants."""
    rng = random.Random(seed)
    rate, burst, window, cooldown = 2.0, 4, 1.0, 8.0
    s = ReplyScheduler(rate_per_s=rate, burst=burst, merge_window_s=window, viewer_cooldown_s=cooldown, max_queue=15)
    arrivals = sorted(rng.uniform(0, 60) for _ in range(600))
    offers = [
        (t, cand(f"c{i}", f"u{rng.randint(1, 40)}", f"k{rng.randint(1, 30)}", priority=rng.choice([0, 0, 0, 1])))
        for i, t in enumerate(arrivals)
    ]

    released: list[Reply] = []
    outcome: dict[str, str] = {}
    i, now = 0, 0.0
    while i < len(offers) or s.pending:
        deadline = s.next_deadline()
        next_arrival = offers[i][0] if i < len(offers) else float("inf")
        now = min(next_arrival, deadline if deadline is not None else float("inf"))
        if i < len(offers) and offers[i][0] <= now:
            t, c = offers[i]
            i += 1
            result = s.offer(c, t)
            outcome[c.comment_id] = result.status
            for d in result.dropped:
                for cid in d.comment_ids:
                    outcome[cid] = "dropped"
        out = s.due(now)
        assert deadline is None or now < deadline or out or s.pending == 0, "next_deadline promised a reply"
        released += out
        assert len(released) < 2000

    # every comment ends up answered, on cooldown or dropped (reported), exactly once
    answered = [cid for r in released for cid in r.reply_to]
    assert len(answered) == len(set(answered))
    for cid in answered:
        assert outcome[cid] in ("queued", "merged")
    not_answered = set(outcome) - set(answered)
    assert all(outcome[cid] in ("cooldown", "dropped") for cid in not_answered)
    assert len(outcome) == len(offers)
    assert s.stats.dropped_comments == sum(1 for v in outcome.values() if v == "dropped")

    # token bucket: in any interval [a, b] at most burst + rate*(b-a) posts
    times = [r.ts for r in released]
    assert times == sorted(times)
    for a in range(len(times)):
        for b in range(a, len(times)):
            assert b - a + 1 <= burst + rate * (times[b] - times[a]) + 1e-9

    # no viewer got the same answer twice within the cooldown
    last: dict[tuple[str, str], float] = {}
    key_of = {c.comment_id: c.key for _, c in offers}
    for r in released:
        key = key_of[r.reply_to[0]]
        for user in r.users:
            if (user, key) in last:
                assert r.ts - last[(user, key)] >= cooldown
            last[(user, key)] = r.ts
    # merging actually happened
    assert any(len(r.reply_to) > 1 for r in released)


def test_a_scheduled_message_names_no_viewer_and_its_frame_is_accepted_by_the_room():
    """Scheduled messages and greetings are offered with no user; they went out as users [""], which the room's
    decoder refuses ("users[0] must not be empty"): every scheduled message was dropped in a generic-protocol room."""
    from bot.protocol import decode_outbound, encode_reply

    s = sched(merge_window_s=0.0)
    s.offer(cand("sched:on-stage:1", user="", key="sched:on-stage:1"), 10.0)
    (reply,) = s.due(10.0)
    assert reply.users == ()
    decoded = decode_outbound(encode_reply(reply))
    assert isinstance(decoded, Reply) and decoded.reply_to == ("sched:on-stage:1",) and decoded.users == ()
