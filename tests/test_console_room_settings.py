"""The live page's room form (bot/console/views/live.py ``/live/room-langs``) against a real running bot (`BotService`
in a thread, hashing embedder) on SQLite and PostgreSQL: an editor's main language and fallback policy are applied by
the running bot, stored for the room (catalog/room_settings.py) and audited; a main language outside the room's
languages is refused in Chinese with nothing queued or stored; viewers get 403, a post without the CSRF token too.
Then the bot stops and starts again the way `livereply run` starts (bot/room_lang_start.py): without the flags the
console's values apply; a flag given for the start wins."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.console.auth import add_staff
from bot.console.server import create_app
from catalog import control
from catalog.accounts import Accounts
from catalog.io import import_catalog
from catalog.room_settings import room_lang_settings, save_room_setting
from catalog.store import CatalogStore
from tests.console_forms import page_form, signed_in_client
from tests.live_bot import BotThread, bot_as_run_starts_it

ROOT = Path(__file__).resolve().parents[1]
PASSWORDS = {"ed": "editor-pw-1", "vi": "viewer-pw-1"}
# the operator's start configuration: three room languages, fixed thresholds (no calibration in a test)
START = {"room_languages": "zh,en,de", "answer_threshold": 0.5, "staff_threshold": 0.4}

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CatalogStore]:
    url = f"sqlite:///{tmp_path / 'live.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    s = CatalogStore(url)
    import_catalog(s, ROOT / "data" / "catalog.yaml")
    add_staff(s, "ed", PASSWORDS["ed"], "editor")
    add_staff(s, "vi", PASSWORDS["vi"], "viewer")
    yield s
    s.close()


def start_bot(store: CatalogStore, tmp_path: Path, given: dict[str, Any]) -> BotThread:
    """A bot started as `livereply run` starts one: its settings from the start configuration `given` (the flags)
    and the room's values kept from the console."""
    return bot_as_run_starts_it(store, str(tmp_path / "spool.jsonl"), given)


def heartbeat(store: CatalogStore) -> dict[str, Any]:
    return {r.room: dict(r.settings) for r in control.bot_statuses(store)}["local"]


def wait_heartbeat(store: CatalogStore, main_lang: str, lang_fallback: str) -> None:
    deadline = time.monotonic() + 10
    while (heartbeat(store).get("main_lang"), heartbeat(store).get("lang_fallback")) != (main_lang, lang_fallback):
        assert time.monotonic() < deadline, heartbeat(store)
        time.sleep(0.05)


def test_the_room_form_applies_keeps_and_audits_and_a_restart_takes_the_kept_values(
    store: CatalogStore, tmp_path: Path,
) -> None:
    app = create_app(store, Settings(db=str(store.engine.url)))
    bot = start_bot(store, tmp_path, {**START, "lang_fallback": "main"})
    try:
        assert (bot.engine.default_lang, bot.engine.state.settings.lang_fallback) == ("zh", "main")
        viewer = signed_in_client(app, "vi", PASSWORDS["vi"])
        page = viewer.get("/live").text
        assert 'id="fallback-form"' not in page and 'id="main-lang-select"' not in page
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        r = viewer.post("/live/room-langs", data={"csrf_token": token, "room": "local", "main_lang": "en",
                                                   "lang_fallback": "staff"})
        assert r.status_code == 403

        editor = signed_in_client(app, "ed", PASSWORDS["ed"], language="zh-CN")
        html = editor.get("/live").text
        assert "正在运行的机器人立即生效，无需重启；设置会保存下来，机器人下次启动时仍然使用" in html
        action, fields = page_form(html, "fallback-form")
        assert action == "/live/room-langs"
        assert fields == {"csrf_token": fields["csrf_token"], "room": "local", "main_lang": "zh", "lang_fallback": "main",
                          "main_lang_shown": "zh", "lang_fallback_shown": "main"}  # what the page showed
        assert editor.post(action, data={**fields, "csrf_token": ""}).status_code == 403  # no CSRF token

        # a main language the room does not have (a stale page, a tampered form): refused, in Chinese, nothing sent
        r = editor.post(action, data={**fields, "main_lang": "vi"})
        assert r.status_code == 200
        assert "越南语 (vi) 不是本直播间的语言（中文、英语、德语）：请从中选择一个。" in r.text
        assert [c.kind for c in control.recent_commands(store)] == []
        assert room_lang_settings(store, "local").main_lang is None and bot.engine.default_lang == "zh"

        # both changed at once: the running bot applies them between batches, the room keeps them, the audit says who
        r = editor.post(action, data={**fields, "main_lang": "en", "lang_fallback": "staff"})
        assert r.status_code == 200
        # the policy was the start's --lang-fallback: kept, and the message says that flag would set it again
        assert ("直播间 local 已更改。主语言：英语。没有该语言的回答时：转人工。已保存；但机器人这次是带 --lang-fallback 启动的，"
                "下次带它启动时仍以它为准。") in r.text
        assert (bot.engine.default_lang, bot.engine.state.settings.lang_fallback) == ("en", "staff")
        assert bot.thread.is_alive()  # not restarted
        assert sorted((c.kind, c.status, c.created_by) for c in control.recent_commands(store)) == [
            ("set_fallback", "done", "ed"), ("set_main_lang", "done", "ed")]
        kept = room_lang_settings(store, "local")
        assert kept.main_lang is not None and kept.lang_fallback is not None
        assert (kept.main_lang.value, kept.main_lang.changed_by, kept.lang_fallback.value, kept.lang_fallback.changed_by) \
            == ("en", "ed", "staff", "ed")
        audit = [(e.username, e.target_id, e.before, e.after) for e in Accounts(store).audit_entries(target_type="room")]
        assert sorted(audit, key=str) == sorted([("ed", "local", {"main_lang": "zh"}, {"main_lang": "en"}),
                                                 ("ed", "local", {"lang_fallback": "main"}, {"lang_fallback": "staff"})],
                                                key=str)
        wait_heartbeat(store, "en", "staff")
        html = editor.get("/live").text
        assert "控制台已保存：" in html and "主语言 英语（ed，" in html
        _action, fields = page_form(html, "fallback-form")
        assert (fields["main_lang"], fields["lang_fallback"]) == ("en", "staff")  # the form shows the current values
    finally:
        bot.stop()

    # the next start, without --lang-fallback: the console's values apply
    bot = start_bot(store, tmp_path, dict(START))
    try:
        assert (bot.engine.default_lang, bot.engine.state.settings.lang_fallback) == ("en", "staff")
        wait_heartbeat(store, "en", "staff")
    finally:
        bot.stop()

    # a start that gives --lang-fallback: the flag wins for this start, the kept value stays for later ones
    bot = start_bot(store, tmp_path, {**START, "lang_fallback": "en"})
    try:
        assert (bot.engine.default_lang, bot.engine.state.settings.lang_fallback) == ("en", "en")
        wait_heartbeat(store, "en", "en")
        kept = room_lang_settings(store, "local")
        assert kept.lang_fallback is not None and kept.lang_fallback.value == "staff"
    finally:
        bot.stop()


def test_saving_unchanged_values_changes_nothing(store: CatalogStore, tmp_path: Path) -> None:
    app = create_app(store, Settings(db=str(store.engine.url)))
    bot = start_bot(store, tmp_path, {**START, "lang_fallback": "main"})
    try:
        editor = signed_in_client(app, "ed", PASSWORDS["ed"])
        action, fields = page_form(editor.get("/live").text, "fallback-form")
        r = editor.post(action, data=fields)
        assert "Nothing changed: the room already works this way." in r.text
        assert control.recent_commands(store) == [] and Accounts(store).audit_entries(target_type="room") == []
        assert room_lang_settings(store, "local").lang_fallback is None  # the start configuration still decides
    finally:
        bot.stop()


def test_a_stale_form_does_not_undo_another_editors_change(store: CatalogStore, tmp_path: Path) -> None:
    """Two editors with the live page open: alice changes the main language, then bob, whose page still shows the
    old one, changes only the fallback policy. Bob's form leaves the main language as his page showed it, so the
    running bot keeps alice's (it was set back to the old one), the kept value stays hers, and bob's confirmation
    names the main language the room really has."""
    app = create_app(store, Settings(db=str(store.engine.url)))
    add_staff(store, "ed2", "editor-pw-2", "editor")
    bot = start_bot(store, tmp_path, {**START, "lang_fallback": "main"})
    try:
        alice = signed_in_client(app, "ed", PASSWORDS["ed"])
        bob = signed_in_client(app, "ed2", "editor-pw-2")
        action, alice_fields = page_form(alice.get("/live").text, "fallback-form")
        _action, bob_fields = page_form(bob.get("/live").text, "fallback-form")  # both pages show zh / main
        assert (bob_fields["main_lang"], bob_fields["lang_fallback"]) == ("zh", "main")

        r = alice.post(action, data={**alice_fields, "main_lang": "de"})
        assert "Main language: German." in r.text
        wait_heartbeat(store, "de", "main")

        r = bob.post(action, data={**bob_fields, "lang_fallback": "staff"})  # his page still says zh
        assert r.status_code == 200
        assert (bot.engine.default_lang, bot.engine.state.settings.lang_fallback) == ("de", "staff")
        kept = room_lang_settings(store, "local")
        assert kept.main_lang is not None and (kept.main_lang.value, kept.main_lang.changed_by) == ("de", "ed")
        assert kept.lang_fallback is not None and (kept.lang_fallback.value, kept.lang_fallback.changed_by) == ("staff", "ed2")
        assert "Main language: Chinese" not in r.text
        assert [c.kind for c in control.recent_commands(store)].count("set_main_lang") == 1
        audit = [(e.username, e.before, e.after) for e in Accounts(store).audit_entries(target_type="room")]
        assert sorted(audit, key=str) == sorted([("ed", {"main_lang": "zh"}, {"main_lang": "de"}),
                                                 ("ed2", {"lang_fallback": "main"}, {"lang_fallback": "staff"})], key=str)
    finally:
        bot.stop()


def test_changing_one_setting_keeps_the_others_kept_value_under_a_start_flag(store: CatalogStore, tmp_path: Path) -> None:
    """The bot runs with --lang-fallback en for this start while the room keeps "staff" from the console. An editor
    changes only the main language: the fallback select (showing the flag's en) was left alone, so the kept "staff"
    stays for the next start (the flag wins for its start only) and nothing about the fallback is audited."""
    save_room_setting(store, "local", "lang_fallback", "staff", changed_by="alice", at=1_000_000.0)
    app = create_app(store, Settings(db=str(store.engine.url)))
    bot = start_bot(store, tmp_path, {**START, "lang_fallback": "en"})
    try:
        editor = signed_in_client(app, "ed", PASSWORDS["ed"])
        action, fields = page_form(editor.get("/live").text, "fallback-form")
        assert (fields["main_lang"], fields["lang_fallback"]) == ("zh", "en")  # the running values
        r = editor.post(action, data={**fields, "main_lang": "de"})
        said = r.text.split("Room local changed.", 1)[1].split("</p>", 1)[0]
        assert said == " Main language: German. Kept for the bot&#39;s next start.", said
        assert (bot.engine.default_lang, bot.engine.state.settings.lang_fallback) == ("de", "en")
        kept = room_lang_settings(store, "local")
        assert kept.lang_fallback is not None and (kept.lang_fallback.value, kept.lang_fallback.changed_by) == ("staff", "alice")
        assert [(e.before, e.after) for e in Accounts(store).audit_entries(target_type="room")] == [
            ({"main_lang": "zh"}, {"main_lang": "de"})]
    finally:
        bot.stop()
