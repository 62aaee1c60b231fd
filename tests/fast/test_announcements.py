"""Scheduled messages and greetings: posted only when due, aggregated, and never before answers."""

from __future__ import annotations

import pytest

from bot.announcements import ANSWER_PRIORITY, GREETING_PRIORITY, SCHEDULED_PRIORITY, Announcer, Schedule
from bot.errors import InputFileError
from bot.keyword_rules import load_rules
from bot.messages import Follow, ViewerEnter
from bot.replies import ReplyCandidate, ReplyScheduler

STAGE_MESSAGE = {"zh": "现在上架的是{product},{stock_summary}"}


def test_a_schedule_waits_for_its_interval_and_a_busy_room():
    rotation = (STAGE_MESSAGE, {"zh": "关注主播不迷路"})
    a = Announcer(schedules=(Schedule("stage", every_s=300, messages=rotation, min_comments=20),))
    assert a.due(0.0, 0, "tee") == []  # starts the clock
    assert a.due(301.0, 5, "tee") == []  # quiet room: only 5 comments since — skipped
    first = a.due(302.0, 25, "tee")
    assert [x.templates for x in first] == [STAGE_MESSAGE] and first[0].priority == SCHEDULED_PRIORITY
    assert a.due(400.0, 100, "tee") == []  # interval not over
    second = a.due(700.0, 130, "tee")
    assert [x.templates for x in second] == [{"zh": "关注主播不迷路"}]  # rotation


def test_a_stage_bound_schedule_waits_for_its_product():
    a = Announcer(schedules=(Schedule("jacket", every_s=60, messages=(STAGE_MESSAGE,), stage="down-jacket"),))
    a.due(0.0, 0, None)
    assert a.due(61.0, 0, "tee-classic") == []
    assert len(a.due(62.0, 0, "down-jacket")) == 1


def test_greetings_are_aggregated_rate_limited_and_off_by_default():
    off = Announcer()
    off.observe(ViewerEnter(user="小王", ts=0.0), 0.0)
    assert off.due(100.0, 0, None) == []
    a = Announcer(greetings=True)
    for i, name in enumerate(["小王", "小李", "阿May", "Tom", "小张"]):
        a.observe(ViewerEnter(user=name, ts=float(i)), float(i))
    assert a.due(10.0, 0, None) == []  # still collecting
    welcome = a.due(31.0, 0, None)
    assert len(welcome) == 1 and welcome[0].templates["zh"] == "欢迎小王、小李、阿May等5位宝宝进入直播间"
    assert welcome[0].priority == GREETING_PRIORITY and welcome[0].literal
    a.observe(Follow(user="Tom", ts=40.0), 40.0)
    assert a.due(80.0, 0, None) == []  # at most one greeting per 2 minutes
    thanks = a.due(160.0, 0, None)
    assert thanks[0].templates["zh"] == "感谢Tom的支持!"


def test_answers_go_out_before_announcements_when_the_rate_is_short():
    s = ReplyScheduler(rate_per_s=1.0, burst=2, merge_window_s=0.0, viewer_cooldown_s=0.0)
    s.offer(ReplyCandidate("sched:1", "", "sched:1", "现在上架的是T恤", "zh", priority=SCHEDULED_PRIORITY), 0.0)
    for i in range(3):
        s.offer(ReplyCandidate(f"c{i}", f"u{i}", f"k{i}", f"答案{i}", "zh", priority=ANSWER_PRIORITY), 0.0)
    first = s.due(0.0)
    assert [r.reply_to for r in first] == [("c0",), ("c1",)]  # two tokens: both to answers
    later = s.due(2.0)
    assert later and later[0].reply_to == ("c2",)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{id: s, every_min: 0, messages: [x]}", "a schedule of 0 minutes"),
        ("{id: s, every_min: 5, messages: []}", "rotation list"),
        ("{id: s, every_min: 5, messages: ['{bad}']}", "message 1"),
    ],
)
def test_bad_schedules_are_refused(tmp_path, entry, message):
    path = tmp_path / "rules.yaml"
    path.write_text(f"schedules:\n  - {entry}\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=message):
        load_rules(path)


def test_the_shipped_rules_file_has_schedules():
    from tests.fast.fakes import ROOT

    book = load_rules(ROOT / "data/rules.yaml")
    assert book.schedules and all(s.every_s >= 60 for s in book.schedules)


def _serve_with_schedule(tmp_path, n_comments: int, *, until_posted: bool = False):
    """The live loop over a room of ``n_comments`` with a 1 s schedule (at least 5 comments since the last post) for
    2.6 s, two periods (a quiet room: nothing may be posted), or with ``until_posted`` only until it was posted."""
    import asyncio

    from bot.keyword_rules import RuleBook
    from bot.messages import Comment
    from bot.service import BotService
    from tests.fast.fakes import MemoryRoom
    from tests.fast.test_live_loop import _engine

    engine = _engine(tmp_path)
    engine.stage_product_id = "tee-classic"
    engine.rules = RuleBook((), (Schedule("s", every_s=1.0, messages=({"zh": "现在上架的是{product}"},), min_comments=5),))
    room = MemoryRoom([Comment(id=f"c{i}", user=f"u{i}", text="哈哈", ts=float(i)) for i in range(n_comments)])

    async def scenario():
        loop = asyncio.get_running_loop()
        service = BotService(engine, ReplyScheduler(rate_per_s=100, burst=100, merge_window_s=0.0), reload_interval_s=0.05)
        task = asyncio.create_task(service.run(room))
        deadline = loop.time() + 2.6
        while loop.time() < deadline and not (until_posted and _scheduled(room.sent)):
            await asyncio.sleep(0.02)
        room.end()
        await asyncio.wait_for(task, 10)

    asyncio.run(scenario())
    return _scheduled(room.sent)


def _scheduled(sent):  # type: ignore[no-untyped-def]
    return [r for r in sent if r.reply_to[0].startswith("sched:")]


def test_a_scheduled_message_is_posted_in_a_busy_room_and_skipped_in_a_quiet_one(tmp_path):
    busy = _serve_with_schedule(tmp_path / "busy", 20, until_posted=True)
    assert busy and busy[0].text == "现在上架的是重磅纯棉宽松T恤"
    assert _serve_with_schedule(tmp_path / "quiet", 2) == []
