"""At a bot's start the room's language settings kept from the console apply, unless the operator gave the setting
for this start (flag or LIVEREPLY_* variable): bot/room_lang_start.py decides, bot/cli_room_langs.py says where each
value came from on the start lines, as `livereply config` names the sources. A stored main language that is no longer
a room language is ignored with a warning; the start goes on.

The end-to-end test runs `livereply room` and `livereply run` (real model) twice on one database: the console's
values apply to a start without the flags, and a flag given at the next start wins over them."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot import cli_i18n
from bot.bootstrap import match_settings
from bot.cli_room_langs import room_lang_lines
from bot.config import Settings
from bot.room_lang_start import SettingOrigin, room_langs_at_start, when_text
from catalog.control import bot_statuses
from catalog.room_settings import RoomLangSettings, StoredSetting, room_lang_settings, save_room_setting
from catalog.store import CatalogStore
from tests.live_bot import free_port
from tests.shipping_catalog import SHIPPING_CATALOG

ROOT = Path(__file__).resolve().parents[1]
AT = time.mktime((2026, 12, 3, 10, 40, 0, 0, 0, -1))  # 2026-12-03 10:40 local time
KEPT = RoomLangSettings("local", lang_fallback=StoredSetting("staff", "alice", AT), main_lang=StoredSetting("en", "bob", AT))
ROOM = {"room_languages": "zh,en,ja"}


def test_the_console_s_values_apply_when_the_start_does_not_give_them() -> None:
    settings = Settings.load(ROOM, env={})
    start = room_langs_at_start(settings, KEPT, given=ROOM, env={})
    assert (start.settings.main_lang, start.settings.lang_fallback) == ("en", "staff")
    assert start.origins == (SettingOrigin("main_lang", "en", "console", KEPT.main_lang),
                             SettingOrigin("lang_fallback", "staff", "console", KEPT.lang_fallback))
    assert match_settings(start.settings).default_lang == "en"  # what the engine is built with
    nothing = room_langs_at_start(settings, RoomLangSettings("local"), given=ROOM, env={})
    assert nothing.settings == settings and [o.source for o in nothing.origins] == ["default", "default"]


def test_a_flag_or_a_variable_given_for_this_start_wins() -> None:
    given = {**ROOM, "lang_fallback": "en"}
    env = {"LIVEREPLY_MAIN_LANG": "ja"}
    start = room_langs_at_start(Settings.load(given, env=env), KEPT, given=given, env=env)
    assert (start.settings.main_lang, start.settings.lang_fallback) == ("ja", "en")
    assert [(o.name, o.value, o.source) for o in start.origins] == [("main_lang", "ja", "env"), ("lang_fallback", "en", "flag")]
    lines = room_lang_lines(start)
    assert lines[0] == (f"• main lang  Japanese (ja) (variable LIVEREPLY_MAIN_LANG); the console's English (en) "
                        f"({when_text(AT)} by bob) applies when started without it")
    assert lines[1] == ("• fallback   answer in English (flag --lang-fallback); the console's hand it to staff "
                        "(2026-12-03 10:40 by alice) applies when started without it")


def test_a_stored_main_language_no_longer_in_the_room_is_ignored_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    given = {"room_languages": "zh,ja"}  # the room was started with other languages since
    settings = Settings.load(given, env={})
    with caplog.at_level(logging.WARNING, logger="bot.room_lang_start"):
        start = room_langs_at_start(settings, KEPT, given=given, env={})
    assert start.settings.main_lang == "zh" and start.settings.lang_fallback == "staff"  # the policy still applies
    assert start.ignored == (("main_lang", "en"),)
    assert "the console's main_lang=en for this room is not used" in caplog.text
    match_settings(start.settings)  # starts: no ValueError
    assert room_lang_lines(start)[0] == ("• main lang  Chinese (zh) (default); the console's English (en) is not one of "
                                         "the room languages: not used")


def test_the_start_lines_say_the_source_in_chinese() -> None:
    start = room_langs_at_start(Settings.load(ROOM, env={}), KEPT, given=ROOM, env={})
    cli_i18n.use(cli_i18n.CHINESE)
    try:
        lines = room_lang_lines(start)
    finally:
        cli_i18n.use(cli_i18n.ENGLISH)
    assert lines == ["• 主语言     英语 (en)（控制台设置，2026-12-03 10:40 由 bob 修改）",
                     "• 回退策略   转人工（控制台设置，2026-12-03 10:40 由 alice 修改）"]


def test_run_reads_the_room_s_stored_settings_and_says_them(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's step between opening the database and building the engine (bot/cli.py), on a real SQLite file."""
    from bot import cli
    from bot.cli import _room_langs_from_console

    monkeypatch.setattr(cli, "_PROGRESS", sys.stdout)  # the captured stdout of this test

    with CatalogStore(f"sqlite:///{tmp_path / 'shop.db'}") as store:
        save_room_setting(store, "local", "lang_fallback", "main", changed_by="alice", at=AT)
        settings, sources = _room_langs_from_console(store, Settings.load(ROOM, env={}), "local", ROOM)
        other, other_sources = _room_langs_from_console(store, Settings.load(ROOM, env={}), "other-room", ROOM)
    assert settings.lang_fallback == "main" and other.lang_fallback == "en"  # per room
    assert sources["lang_fallback"] == "console" and other_sources["lang_fallback"] == "default"  # for the heartbeat
    out = capsys.readouterr().out.splitlines()
    assert "• fallback   answer in the main language (console setting, 2026-12-03 10:40 by alice)" in out
    assert "• fallback   answer in English (default)" in out


# ------------------------------------------------------------------------------------- a real room, end to end

SHOW = [
    {"ts": 0.0, "type": "stage", "product_id": "tee"},
    {"ts": 1.0, "id": "z1", "user": "u1", "text": "多久发货"},
]


def _run(tmp_path: Path, db: str, env: dict[str, str], *flags: str) -> subprocess.CompletedProcess[str]:
    exe = str(Path(sys.executable).parent / "livereply")
    port = free_port()
    room = subprocess.Popen(
        [exe, "room", "--log", "show.jsonl", "--port", str(port), "--speed", "0", "--drain", "3"],
        cwd=tmp_path, env={k: v for k, v in env.items() if k != "LIVEREPLY_UI_LANG"}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )
    try:
        assert room.stdout is not None
        assert "room listening on" in room.stdout.readline()
        bot = subprocess.run(
            [exe, "run", "--room", f"ws://127.0.0.1:{port}", "--db", db, "--catalog", "catalog.yaml",
             "--index-dir", str(tmp_path / "index"), "--room-languages", "zh,en,ja", "--no-encoder-process",
             "--quiet", *flags],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
        )
        assert bot.returncode == 0, bot.stderr
        room.wait(60)
        return bot
    finally:
        if room.poll() is None:
            room.kill()
            room.wait(10)


@pytest.mark.slow  # `livereply room` and `livereply run` in subprocesses, twice, with the real model
def test_a_restart_without_the_flag_takes_the_console_s_values_and_a_flag_wins(tmp_path: Path) -> None:
    (tmp_path / "catalog.yaml").write_text(SHIPPING_CATALOG, encoding="utf-8")
    (tmp_path / "show.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in SHOW), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'shop.db'}"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("LIVEREPLY_")},
           "HF_HUB_OFFLINE": "1", "OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"}
    with CatalogStore(db) as store:  # what the live page stored while an earlier bot ran (test_console_room_settings)
        save_room_setting(store, "local", "main_lang", "en", changed_by="alice", at=AT)
        save_room_setting(store, "local", "lang_fallback", "staff", changed_by="alice", at=AT)

    plain = _run(tmp_path, db, {**env, "LIVEREPLY_UI_LANG": "zh"})
    assert "• 主语言     英语 (en)（控制台设置，2026-12-03 10:40 由 alice 修改）" in plain.stdout.splitlines()
    assert "• 回退策略   转人工（控制台设置，2026-12-03 10:40 由 alice 修改）" in plain.stdout.splitlines()
    with CatalogStore(db) as store:
        assert [dict(s.settings) for s in bot_statuses(store)] == [
            {"room_languages": ["zh", "en", "ja"], "main_lang": "en", "lang_fallback": "staff",
             "sources": {"main_lang": "console", "lang_fallback": "console"}}]  # the live page: no start flag

    flagged = _run(tmp_path, db, {**env, "LIVEREPLY_MAIN_LANG": "ja"}, "--lang-fallback", "main")
    lines = flagged.stdout.splitlines()
    assert ("• fallback   answer in the main language (flag --lang-fallback); the console's hand it to staff "
            "(2026-12-03 10:40 by alice) applies when started without it") in lines
    assert any(line.startswith("• main lang  Japanese (ja) (variable LIVEREPLY_MAIN_LANG)") for line in lines), lines
    with CatalogStore(db) as store:
        assert [dict(s.settings) for s in bot_statuses(store)] == [
            {"room_languages": ["zh", "en", "ja"], "main_lang": "ja", "lang_fallback": "main",
             "sources": {"main_lang": "env", "lang_fallback": "flag"}}]  # the live page says the start set them
        assert room_lang_settings(store, "local").lang_fallback == StoredSetting("staff", "alice", AT)  # still kept
