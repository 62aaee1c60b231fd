"""The console and the bot as two processes sharing a SQLite file (the documented production setup): "answer now",
pause and resume go through the database outbox (catalog/control.py), the bot's status through its heartbeat.

The console is the real app (`create_app`, Starlette TestClient, real forms with CSRF tokens); the bot is a real
`BotService` in another process (multiprocessing, spawn) on the same database, connected over a websocket to a
`LocalRoom` replaying a short show. The bot uses the fast tier's hashing embedder: no model to load."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from bot.config import Settings
from bot.console.auth import add_staff
from bot.console.live import bot_state, reason_details
from bot.console.server import create_app
from bot.messages import Comment
from bot.room import LocalRoom
from catalog import control
from catalog.control import BotStatusRecord, ConsoleChannel
from catalog.io import import_catalog
from catalog.room_settings import room_lang_settings
from catalog.store import CatalogStore
from tests.console_forms import signed_in_client

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "data" / "catalog.yaml"
PASSWORDS = {"ed": "editor-pw-1", "vi": "viewer-pw-1"}
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
ENGLISH = {"Accept-Language": "en"}
STAFF_TEXT = "客服马上私信您处理"

pytestmark = pytest.mark.timeout(90)


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("live") / "template.db"
    s = CatalogStore(f"sqlite:///{path}")
    import_catalog(s, CATALOG)
    add_staff(s, "ed", PASSWORDS["ed"], "editor")
    add_staff(s, "vi", PASSWORDS["vi"], "viewer")
    s.close()
    return path


@pytest.fixture()
def db_path(template_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "live.db"
    path.write_bytes(template_db.read_bytes())
    return path


@pytest.fixture()
def store(db_path: Path):  # type: ignore[no-untyped-def]
    s = CatalogStore(f"sqlite:///{db_path}")
    yield s
    s.close()


@pytest.fixture()
def app(store: CatalogStore):  # type: ignore[no-untyped-def]
    return create_app(store, Settings(db=str(store.engine.url), handoff_alert_s=30))


def login(app: Any, username: str) -> TestClient:
    return signed_in_client(app, username, PASSWORDS[username])


def token(client: TestClient, path: str = "/live") -> str:
    found = TOKEN_RE.search(client.get(path).text)
    assert found
    return found.group(1)


def beat(store: CatalogStore, *, paused: bool = False, at: float | None = None, room: str = "local") -> None:
    ConsoleChannel(store).heartbeat(BotStatusRecord(room, 4242, True, None, 0, 0, paused, at or time.time()))


def sse_events(body: str) -> list[tuple[str, Any]]:
    out = []
    for block in body.split("\n\n"):
        kind = next((line[7:] for line in block.splitlines() if line.startswith("event: ")), None)
        data = next((line[6:] for line in block.splitlines() if line.startswith("data: ")), None)
        if kind and data:
            out.append((kind, json.loads(data)))
    return out


# ------------------------------------------------------------------------------------------------ console alone


def test_status_says_live_paused_or_not_running(store: CatalogStore) -> None:
    assert bot_state(store).state == "stopped" and bot_state(store).last_seen_s is None
    beat(store, at=1000.0)
    assert bot_state(store, now=1001.0).state == "live"
    assert bot_state(store, now=1030.0).state == "stopped" and bot_state(store, now=1030.0).last_seen_s == 30
    assert "last seen 30 s ago" in bot_state(store, now=1030.0).label()
    beat(store, paused=True, at=1000.0)
    assert bot_state(store, now=1001.0).state == "paused"


def test_dashboard_shows_the_heartbeat_not_a_permanent_live(app: Any, store: CatalogStore) -> None:
    client = login(app, "vi")
    assert "not running" in client.get("/dashboard").text
    assert client.get("/api/stats").json()["bot"]["state"] == "stopped"
    beat(store)
    # a heartbeat without the room's language settings (a bot older than migration 0018): said to be unknown
    unknown = {"room": "local", "languages": "unknown", "main": "unknown", "policy": "", "main_lang": "",
               "fallback": "No answer in the viewer's language: unknown", "choices": [], "sources": {}, "fixed": False}
    assert client.get("/api/stats").json()["bot"] == {"state": "live", "rooms": ["local"], "last_seen_s": 0,
                                                      "label": "● live", "outbox": {"pending": {}, "dropped": {}, "recent": []},
                                                      "langs": [unknown]}
    chinese = login(app, "vi")
    chinese.headers.pop("Accept-Language")  # zh_CN, the console's default language
    assert chinese.get("/api/stats").json()["bot"]["label"] == "● 直播中"
    beat(store, paused=True)
    assert "● 已暂停" in chinese.get("/dashboard").text


def test_live_page_and_feed(app: Any, store: CatalogStore) -> None:
    store.record_comments([Comment(id="k1", user="amy", text="我要投诉", ts=1.0, room="local"),
                           Comment(id="k2", user="bob", text="包邮吗", ts=1.0, room="local")])
    store.set_comment_outcomes([("local", "k1", {"status": "staff", "reason": "intent complaint: never auto-answered"}),
                                ("local", "k2", {"status": "answered", "reply_text": "包邮", "reason": "match",
                                                 "product_id": "stroller-a1"})])
    viewer = login(app, "vi")
    page = viewer.get("/live")
    assert page.status_code == 200 and 'data-feed="/live/feed"' in page.text and 'data-alert-s="30' in page.text
    assert "/live/pause" not in page.text and 'id="answer-form"' not in page.text  # read only
    r = viewer.get("/live/feed?once=1")
    assert r.headers["content-type"].startswith("text/event-stream")
    events = sse_events(r.text)
    activity = next(data for kind, data in events if kind == "activity")
    by_id = {c["id"]: c for c in activity["comments"]}
    assert by_id["k1"]["status"] == "staff" and by_id["k2"]["reply_text"] == "包邮" and by_id["k2"]["path"] == "match"
    assert any(kind == "status" and data["state"] == "stopped" for kind, data in events)
    assert viewer.post("/live/pause", data={"csrf_token": token(viewer)}).status_code == 403
    editor = login(app, "ed")
    page = editor.get("/live")
    assert 'action="/live/pause"' in page.text and 'action="/live/answer"' in page.text
    assert editor.post("/live/pause", data={}).status_code == 403  # no CSRF token
    assert control.recent_commands(store) == []


def test_room_fallback_form_is_for_editors_and_only_kept_without_a_running_bot(app: Any, store: CatalogStore) -> None:
    """The live page's fallback policy form (docs/console.md "Room languages"): viewers see the room's languages but
    not the form; an editor's change for a room no bot serves is only kept for its next start (no command waits for a
    later bot), and an unknown policy is refused before anything is queued. The change itself, on a running bot:
    test_console_room_langs_browser."""
    settings = control.room_settings(["zh", "en", "ja"], "zh", "en")
    ConsoleChannel(store).heartbeat(BotStatusRecord("local", 4242, True, None, 0, 0, False, time.time(), settings=settings))
    viewer = login(app, "vi")
    page = viewer.get("/live")
    assert "Chinese, English, Japanese" in page.text and "No answer in the viewer&#39;s language: answer in English" in page.text
    assert 'id="fallback-form"' not in page.text
    assert viewer.post("/live/fallback", data={"csrf_token": token(viewer), "room": "local",
                                               "lang_fallback": "staff"}).status_code == 403
    editor = login(app, "ed")
    assert 'id="fallback-form"' in editor.get("/live").text
    r = editor.post("/live/fallback", data={"csrf_token": token(editor), "room": "local", "lang_fallback": "fr"})
    assert r.status_code == 200 and "Choose what the bot does" in r.text
    r = editor.post("/live/fallback", data={"csrf_token": token(editor), "room": "other", "lang_fallback": "staff"})
    assert "Room other saved." in r.text and "No bot is running now: the bot&#39;s next start uses it" in r.text
    assert room_lang_settings(store, "other").lang_fallback is not None
    ConsoleChannel(store).heartbeat(BotStatusRecord("old", 4243, True, None, 0, 0, False, time.time()))  # before 0018
    assert 'value="old"' not in editor.get("/live").text  # not offered: that bot would never take the command
    r = editor.post("/live/fallback", data={"csrf_token": token(editor), "room": "old", "lang_fallback": "staff"})
    assert "does not report its settings (an older version)" in r.text
    ConsoleChannel(store).heartbeat(BotStatusRecord("local", 4242, False, None, 0, 0, False, time.time(), settings=settings))
    r = editor.post("/live/fallback", data={"csrf_token": token(editor), "room": "local", "lang_fallback": "staff"})
    assert "Room local saved." in r.text  # the bot said it stopped: kept for its next start
    kept = room_lang_settings(store, "local").lang_fallback
    assert kept is not None and kept.value == "staff" and kept.changed_by == "ed"
    assert control.recent_commands(store) == []


def test_reason_details() -> None:
    assert reason_details("path=structured slots=size:XL,color:黑") == {"path": "structured", "slots": "size:XL,color:黑"}
    assert reason_details("structured price") == {"path": "structured"}
    assert reason_details("low confidence") == {}
    assert reason_details(None) == {}


# ------------------------------------------------------------------------------------------------ two processes


def _bot_process(db_url: str, room_url: str, spool: str) -> None:
    """The bot, in its own process: a real BotService on the shared database (hashing embedder, no model)."""
    from bot.adapters.generic import RoomClient
    from bot.engine import Engine
    from bot.pipeline import MatchSettings
    from bot.replies import ReplyScheduler
    from bot.service import BotService
    from models.intents import IntentModel, load_intents
    from tests.fast.fakes import HashEmbedder

    store = CatalogStore(db_url)
    embedder = HashEmbedder()
    intents = IntentModel.fit(load_intents(ROOT / "data/intents.yaml"), embedder.encode)
    engine = Engine(store, embedder, intents, settings=MatchSettings(answer_threshold=0.5, staff_threshold=0.4),
                    spool_path=spool)
    service = BotService(engine, ReplyScheduler(rate_per_s=5, burst=5, merge_window_s=0.2, viewer_cooldown_s=0))

    async def main() -> None:
        client = RoomClient(room_url, room="local")
        try:
            await service.run(client)
        finally:
            await client.close()

    asyncio.run(main())


class RoomThread:
    """A LocalRoom served from a background event loop in this (the console's) process."""

    def __init__(self, log_path: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.room = LocalRoom(str(log_path), speed=1.0, drain_s=1.0)
        asyncio.run_coroutine_threadsafe(self.room.start(), self.loop).result(5)

    def replies(self) -> list[Any]:
        return [reply for _, reply in list(self.room.replies)]

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.room.stop(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def wait_for(predicate, timeout: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def status_of(store: CatalogStore, comment_id: str) -> str | None:
    rows = [c for c in store.comments(limit=50) if c.comment_id == comment_id]
    return rows[0].status if rows else None


def test_answer_now_pause_and_resume_reach_a_bot_in_another_process(app: Any, store: CatalogStore, db_path: Path,
                                                                    tmp_path: Path) -> None:
    show = [
        {"type": "stage", "product_id": "stroller-a1", "ts": 1000.0},
        {"type": "comment", "id": "h1", "user": "amy", "text": "我要投诉你们的客服", "ts": 1000.5},
        {"type": "comment", "id": "q1", "user": "bob", "text": "包邮吗", "ts": 1009.0},  # arrives while paused
        {"type": "comment", "id": "z9", "user": "zed", "text": "哈哈哈", "ts": 1100.0},  # keeps the show open
    ]
    log_path = tmp_path / "show.jsonl"
    log_path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in show) + "\n", encoding="utf-8")
    room = RoomThread(log_path)
    bot = multiprocessing.get_context("spawn").Process(
        target=_bot_process, args=(f"sqlite:///{db_path}", room.room.url, str(tmp_path / "spool.jsonl")), daemon=True
    )
    bot.start()
    try:
        editor = login(app, "ed")
        wait_for(lambda: bot_state(store).state == "live", 30, "the bot's heartbeat")
        wait_for(lambda: status_of(store, "h1") == "staff", 20, "the complaint handed to staff")
        assert "● live" in editor.get("/live").text

        # "answer now" through the real form: outbox → bot → room, recorded in reply_log
        r = editor.post("/live/answer", data={"csrf_token": token(editor), "room": "local", "comment_id": "h1",
                                              "user": "amy", "lang": "zh", "text": STAFF_TEXT})
        assert r.status_code == 200 and "Answer posted to the room." in r.text
        staff = [x for x in room.replies() if x.text == STAFF_TEXT]
        assert len(staff) == 1 and staff[0].reply_to == ("h1",)
        assert any(x.text == STAFF_TEXT for x in store.replies(limit=20))
        command = control.recent_commands(store)[0]
        assert command.kind == "answer" and command.status == "done" and command.created_by == "ed"

        # pause: the next comment is recorded and decided, nothing is posted
        r = editor.post("/live/pause", data={"csrf_token": token(editor)})
        assert r.status_code == 200 and "Pausing" in r.text
        wait_for(lambda: bot_state(store).state == "paused", 5, "the bot to say it is paused")
        assert "● paused" in editor.get("/live").text
        before = len(room.replies())
        wait_for(lambda: status_of(store, "q1") == "answered", 20, "q1 decided while paused")
        time.sleep(0.6)
        assert len(room.replies()) == before, "nothing is posted while paused"

        # resume: the reply still worth posting goes out
        r = editor.post("/live/resume", data={"csrf_token": token(editor)})
        assert r.status_code == 200 and "Resuming" in r.text
        wait_for(lambda: any(x.reply_to == ("q1",) for x in room.replies()), 5, "q1's reply after resume")
        wait_for(lambda: bot_state(store).state == "live", 5, "the bot live again")
        assert [c.status for c in control.recent_commands(store)] == ["done", "done", "done"]
    finally:
        bot.terminate()
        bot.join(10)
        room.stop()


def test_a_stopped_room_is_offered_for_its_next_start_but_not_a_workers(app: Any, store: CatalogStore) -> None:
    """With no bot running the live page offers each room's settings for its next start (the languages of its last
    run), except a room scale-out workers ran: a worker never reads them, and a post for it is refused."""
    stale = time.time() - 60
    ConsoleChannel(store).heartbeat(BotStatusRecord("shop", 1, True, None, 0, 0, False, stale,
                                                    settings=control.room_settings(["vi", "en"], "vi", "main")))
    ConsoleChannel(store).heartbeat(BotStatusRecord("pool-1", 2, True, None, 0, 0, False, stale,
                                                    settings=control.room_settings(["zh", "en"], "zh", "en", fixed=True)))
    editor = login(app, "ed")
    page = editor.get("/live").text
    assert 'class="inline room-langs-form saved-room-form" data-room="shop"' in page
    assert "Vietnamese, English" in page  # the languages of its last run
    assert 'data-room="pool-1"' not in page
    r = editor.post("/live/room-langs", data={"csrf_token": token(editor), "room": "pool-1", "lang_fallback": "staff",
                                              "lang_fallback_shown": "en"})
    assert "run by scale-out workers" in r.text and room_lang_settings(store, "pool-1").lang_fallback is None
    r = editor.post("/live/room-langs", data={"csrf_token": token(editor), "room": "shop", "main_lang": "en",
                                              "main_lang_shown": "vi", "lang_fallback": "en", "lang_fallback_shown": "en"})
    assert "Room shop saved. Main language: English." in r.text
    kept = room_lang_settings(store, "shop")
    assert kept.main_lang is not None and kept.main_lang.value == "en" and kept.lang_fallback is None  # untouched
    assert control.recent_commands(store) == []
