"""The console ↔ bot channel's SQL side (catalog/control.py, migration 0004) and the live feed query
(catalog.reports.recent_activity), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from bot.messages import Comment, Reply
from catalog import control
from catalog.control import BotStatusRecord, ConsoleChannel
from catalog.db import schema_diff
from catalog.reports import recent_activity
from catalog.store import CatalogStore


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[CatalogStore]:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'store.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    s = CatalogStore(url)
    yield s
    s.close()


def test_migration_matches_the_orm(store):
    assert [d for d in schema_diff(store.engine) if "console_commands" in str(d) or "bot_status" in str(d)] == []


def test_commands_are_claimed_once_by_the_bot_of_their_room(store):
    answer = control.enqueue_command(store, "answer", {"text": "马上安排", "comment_ids": ["c1", 2]}, room="r1",
                                     created_by="ed")
    pause = control.enqueue_command(store, "pause", created_by="ed")  # any bot
    other = control.enqueue_command(store, "answer", {"text": "x", "comment_ids": ["z"]}, room="r2")
    a, b = ConsoleChannel(store), ConsoleChannel(store)
    got = a.claim_commands("r1")
    assert [c.id for c in got] == [answer, pause]
    assert got[0].payload == {"text": "马上安排", "comment_ids": ["c1", "2"]} and got[0].created_by == "ed"
    assert b.claim_commands("r1") == []  # already taken
    assert [c.id for c in b.claim_commands("r2", kinds=("pause", "resume"))] == []
    a.finish_command(answer, "posted to room r1")
    a.finish_command(pause, "could not", ok=False)
    done = control.command(store, answer)
    assert done is not None and done.status == "done" and done.done_at and done.result == "posted to room r1"
    assert control.command(store, pause).status == "failed"  # type: ignore[union-attr]
    assert control.command(store, other).status == "pending"  # type: ignore[union-attr]
    assert [c.id for c in control.recent_commands(store)] == [other, pause, answer]


def test_concurrent_claims_never_hand_a_command_to_two_bots(store):
    ids = [control.enqueue_command(store, "pause") for _ in range(20)]
    taken: list[int] = []
    lock = threading.Lock()

    def bot() -> None:
        channel = ConsoleChannel(store)
        for _ in range(10):
            got = channel.claim_commands("r1", limit=3)
            with lock:
                taken.extend(c.id for c in got)

    threads = [threading.Thread(target=bot) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(taken) == ids


def test_old_commands_expire_instead_of_running_late(store):
    old = control.enqueue_command(store, "answer", {"text": "late", "comment_ids": ["c1"]}, room="r1")
    channel = ConsoleChannel(store, max_age_s=0.05)
    time.sleep(0.1)
    assert channel.claim_commands("r1") == []
    expired = control.command(store, old)
    assert expired is not None and expired.status == "expired" and expired.result and "expired" in expired.result


def test_bad_commands_are_refused(store):
    with pytest.raises(ValueError):
        control.enqueue_command(store, "reboot")
    with pytest.raises(ValueError):
        control.enqueue_command(store, "answer", {"text": "", "comment_ids": ["c1"]}, room="r1")
    with pytest.raises(ValueError):
        control.enqueue_command(store, "answer", {"text": "hi", "comment_ids": ["c1"]})  # no room


def test_heartbeat_is_one_row_per_room(store):
    channel = ConsoleChannel(store)
    channel.heartbeat(BotStatusRecord("r1", 11, True, None, 0, 0, False, 100.0))
    channel.heartbeat(BotStatusRecord("r1", 11, True, 99.5, 2, 1, True, 101.0))
    channel.heartbeat(BotStatusRecord("r2", 12, False, None, 0, 0, False, 50.0))
    rows = control.bot_statuses(store)
    assert [r.room for r in rows] == ["r1", "r2"]
    assert rows[0] == BotStatusRecord("r1", 11, True, 99.5, 2, 1, True, 101.0)


def test_the_heartbeat_keeps_the_outbox(store):
    from bot.console.live import bot_state

    box = {"pending": {"answer": 2, "greeting": 1}, "dropped": {"scheduled": 1},
           "recent": [{"at": 1.0, "kind": "scheduled", "text": "现在上架的是…", "why": "cannot_say"}]}
    ConsoleChannel(store).heartbeat(BotStatusRecord("r1", 11, True, None, 0, 0, False, time.time(), outbox=box))
    assert control.bot_statuses(store)[0].outbox == box
    state = bot_state(store).as_json()
    assert state["outbox"]["pending"] == {"answer": 2, "greeting": 1} and state["outbox"]["recent"][0]["why"] == "cannot_say"


def test_the_heartbeat_carries_the_room_languages_and_the_console_names_them(store):
    """The bot reports its room's languages, main language and fallback policy (migration 0018); the console names
    them in the staff member's language, the policy as a sentence."""
    from bot.console import i18n
    from bot.console.live import bot_state

    settings = control.room_settings(["zh", "en", "ja"], "zh", "main")
    channel = ConsoleChannel(store)
    channel.heartbeat(BotStatusRecord("r1", 11, True, None, 0, 0, False, time.time(), settings=settings))
    channel.heartbeat(BotStatusRecord("r2", 12, True, None, 0, 0, False, time.time()))  # a bot from before 0018
    rows = {r.room: r for r in control.bot_statuses(store)}
    assert rows["r1"].settings == {"room_languages": ["zh", "en", "ja"], "main_lang": "zh", "lang_fallback": "main"}
    assert rows["r2"].settings == {}
    channel.heartbeat(BotStatusRecord("r1", 11, True, None, 0, 0, False, time.time(),
                                      settings=control.room_settings(["zh", "en", "ja"], "zh", "staff")))
    assert control.bot_statuses(store)[0].settings["lang_fallback"] == "staff"  # replaced with the row
    with i18n.language("zh_CN"):
        langs = {r["room"]: r for r in bot_state(store).as_json()["langs"]}
    assert langs["r1"] == {"room": "r1", "languages": "中文、英语、日语", "main": "中文",
                           "fallback": "没有该语言的回答时：转人工", "policy": "staff", "main_lang": "zh",
                           "choices": [{"code": "zh", "name": "中文"}, {"code": "en", "name": "英语"},
                                       {"code": "ja", "name": "日语"}],  # what the live page offers as main language
                           "sources": {}, "fixed": False}
    assert langs["r2"] == {"room": "r2", "languages": "未知", "main": "未知", "fallback": "没有该语言的回答时：未知",
                           "policy": "", "main_lang": "", "choices": [], "sources": {}, "fixed": False}


def test_recent_activity_follows_new_comments_outcomes_and_replies(store):
    store.record_comments([Comment(id=f"c{i}", user=f"u{i}", text=f"q{i}", ts=1.0, room="r1") for i in range(3)])
    first = recent_activity(store, limit=2)
    assert [c.record.comment_id for c in first.comments] == ["c1", "c2"]  # the newest, oldest first
    assert first.replies == [] and first.last_seq == first.comments[-1].seq
    time.sleep(0.01)
    store.set_comment_outcomes([("r1", "c0", {"status": "staff", "reason": "path=match slots=size:XL"}),
                                ("r1", "c2", {"status": "answered", "reply_text": "a2"})])
    store.record_comments([Comment(id="c3", user="u3", text="q3", ts=1.0, room="r1")])
    store.record_reply(Reply(reply_to=("c2",), text="a2", lang="zh", room="r1", ts=time.time()))
    nxt = recent_activity(store, first.last_seq, after_reply_id=first.last_reply_id, updated_after=first.last_updated)
    by_id = {c.record.comment_id: c.record for c in nxt.comments}
    assert sorted(by_id) == ["c0", "c2", "c3"]  # two decided since, one new
    assert by_id["c0"].status == "staff" and by_id["c0"].reason == "path=match slots=size:XL"
    assert [(r.reply_to, r.text) for r in nxt.replies] == [(("c2",), "a2")]
    quiet = recent_activity(store, nxt.last_seq, after_reply_id=nxt.last_reply_id, updated_after=nxt.last_updated)
    assert quiet.comments == [] and quiet.replies == []
