"""The room's main language (`--main-lang` / `LIVEREPLY_MAIN_LANG`, issue 15): a shop hosting in English for South-East
Asian buyers says so. It is what a comment with no confident language guess (emoji, digits) counts as written in, what
`--lang-fallback main` answers in, and what the heartbeat reports (the console's 主语言). It must be one of the room
languages: a main language outside them is refused at start, naming both."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.bootstrap import match_settings
from bot.cli import main
from bot.config import Settings, main_lang_problem
from bot.console.room_langs import room_languages
from bot.engine import Engine, reply_language
from bot.pipeline import MatchSettings
from catalog.control import bot_statuses
from catalog.store import CatalogStore
from tests.fast.fakes import HashEmbedder
from tests.live_bot import free_port
from tests.shipping_catalog import SHIPPING_CATALOG

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith("LIVEREPLY_"):
            monkeypatch.delenv(name)
    return monkeypatch


# ------------------------------------------------------------------------------------------ the setting


def test_main_lang_from_the_environment_and_the_flag_reaches_the_engine_settings() -> None:
    assert Settings().main_lang == MatchSettings().default_lang == "zh"  # the default is the matcher's own
    from_env = Settings.load(env={"LIVEREPLY_MAIN_LANG": "en"})
    assert from_env.main_lang == "en" and match_settings(from_env).default_lang == "en"
    flag = Settings.load({"main_lang": "vi", "room_languages": "vi,en"}, env={"LIVEREPLY_MAIN_LANG": "en"})
    assert match_settings(flag).default_lang == "vi"  # the flag wins over the variable
    typed = match_settings(Settings(main_lang="EN-us", room_languages="zh, EN"))
    assert (typed.default_lang, typed.room_languages) == ("en", ("zh", "en"))  # normalised codes


def test_a_main_language_outside_the_room_languages_is_refused_naming_both() -> None:
    problem = main_lang_problem("vi", "zh,en")
    assert problem is not None and "vi" in problem and "(zh,en)" in problem and "--room-languages zh,en,vi" in problem
    assert "did you mean 'ja' (Japanese)?" in str(main_lang_problem("jp", "zh,en"))
    assert main_lang_problem("ja", "zh,en,ja") is None and main_lang_problem("pt-BR", "en,pt") is None
    with pytest.raises(ValueError, match=r"--main-lang vi is not one of the room languages \(zh,en\)"):
        match_settings(Settings(main_lang="vi"))  # build_runtime refuses it too, not only the CLI


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (["config", "--main-lang", "vi"], {},
         "--main-lang vi is not one of the room languages (zh,en): add it, e.g. --room-languages zh,en,vi"),
        (["config", "--room-languages", "en,th"], {"LIVEREPLY_MAIN_LANG": "zh"},
         "--main-lang zh is not one of the room languages (en,th)"),
        (["run", "--room", "ws://x"], {"LIVEREPLY_MAIN_LANG": "jp"},
         "--main-lang: 'jp' is not a language code the bot can identify; did you mean 'ja' (Japanese)?"),
        (["config", "--main-lang", "xx", "--room-languages", "zh,en"], {}, "--main-lang: 'xx' is not a language code"),
    ],
)
def test_a_bad_main_language_is_one_clear_line(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    argv: list[str], env: dict[str, str], message: str,
) -> None:
    clean_env.chdir(tmp_path)
    for name, value in env.items():
        clean_env.setenv(name, value)
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("livereply: error: ") and message in err[0], err
    assert not (tmp_path / "var").exists()  # refused before anything was opened


def test_config_shows_the_main_language_and_where_it_came_from(clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                                                 tmp_path: Path) -> None:
    clean_env.chdir(tmp_path)
    clean_env.setenv("LIVEREPLY_MAIN_LANG", "en")
    assert main(["config"]) == 0
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[1:]}
    assert rows["LIVEREPLY_MAIN_LANG"].split()[1:4] == ["--main-lang", "'en'", "env"]
    assert main(["config", "--main-lang", "vi", "--room-languages", "en,vi,th"]) == 0
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[1:]}
    assert rows["LIVEREPLY_MAIN_LANG"].split()[1:4] == ["--main-lang", "'vi'", "flag"]


def test_the_engine_hands_off_and_announces_in_the_main_language(tmp_path: Path) -> None:
    settings = MatchSettings(answer_threshold=0.5, staff_threshold=0.4, default_lang="en", lang_fallback="main")
    with CatalogStore(f"sqlite:///{tmp_path / 'shop.db'}") as store:
        engine = Engine(store, HashEmbedder(), None, settings=settings, spool_path=str(tmp_path / "spool.jsonl"))
        assert engine.default_lang == "en"  # was always "zh" whatever the settings said
    assert reply_language("ja", {"zh", "en-US"}, settings) == "en-US"  # the main language's own tag, not the first one


# ------------------------------------------------------------------------------------- a real room, end to end

CATALOG = SHIPPING_CATALOG

SHOW = [
    {"ts": 0.0, "type": "stage", "product_id": "tee"},
    {"ts": 1.0, "id": "z1", "user": "u1", "text": "多久发货"},
    {"ts": 2.0, "id": "j1", "user": "u2", "text": "いつ発送されますか"},  # no ja answer: the main language's
    {"ts": 3.0, "id": "e1", "user": "u3", "text": "👍👍👍"},  # no language to tell: the main language
]


@pytest.mark.slow  # `livereply room` and `livereply run` in subprocesses, with the real model
def test_an_english_hosted_room_answers_in_english_and_counts_emoji_as_english(tmp_path: Path) -> None:
    (tmp_path / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    (tmp_path / "show.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in SHOW), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'shop.db'}"
    exe = str(Path(sys.executable).parent / "livereply")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("LIVEREPLY_")},
           "HF_HUB_OFFLINE": "1", "OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"}
    port = free_port()
    room = subprocess.Popen(
        [exe, "room", "--log", "show.jsonl", "--port", str(port), "--speed", "0", "--drain", "10"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert room.stdout is not None
        assert "room listening on" in room.stdout.readline()
        bot = subprocess.run(
            [exe, "run", "--room", f"ws://127.0.0.1:{port}", "--db", db, "--catalog", "catalog.yaml",
             "--index-dir", str(tmp_path / "index"), "--room-languages", "zh,en,ja", "--main-lang", "en",
             "--lang-fallback", "main", "--quiet", "--no-encoder-process"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
        )
        assert bot.returncode == 0, bot.stderr
        room.wait(60)
    finally:
        if room.poll() is None:
            room.kill()
            room.wait(10)
    with CatalogStore(db) as store:
        rows = {r.comment_id: r for r in store.comments()}
        statuses = bot_statuses(store)
    ja = rows["j1"]
    assert ja.status == "answered" and ja.reply_text == "We ship within 48 hours of your order.", ja
    assert ja.lang == "ja" and str(ja.reason).endswith("; in en: no ja answer")  # main = en, not Chinese
    assert rows["z1"].status == "answered" and rows["z1"].reply_text == "下单后48小时内发货。"
    assert rows["e1"].lang == "en"  # emoji only: the main language (was zh whatever the room)
    # the heartbeat reports the configured main language; the console's room-languages box reads it (主语言: 英语)
    assert [s.settings for s in statuses] == [{"room_languages": ["zh", "en", "ja"], "main_lang": "en", "lang_fallback": "main",
                                               "sources": {"main_lang": "flag", "lang_fallback": "flag"}}]
    assert room_languages(statuses[0].room, statuses[0].settings).main_lang == "en"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["config", "--main-lang", "vi"],
         ("livereply：错误：--main-lang vi 不在直播间语言（zh,en）之中："
         "请把它加进去，例如 --room-languages zh,en,vi，或者从这些语言中选一个")),
        (["config", "--main-lang", "jp"],
         "livereply：错误：--main-lang: 'jp' 不是机器人能识别的语言代码；是不是想写 'ja'？支持的代码："),
    ],
)
def test_a_bad_main_language_in_the_terminal_s_language(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], message: str,
) -> None:
    from bot import cli_i18n

    clean_env.chdir(tmp_path)
    clean_env.setenv("LIVEREPLY_UI_LANG", "zh")
    try:
        assert main(argv) == 2
    finally:
        cli_i18n.use(cli_i18n.ENGLISH)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(message), err


def test_a_room_set_up_before_main_lang_still_starts_its_first_language_the_main_one(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    """--room-languages en,es without --main-lang (a shop configured before the setting existed): not refused for a
    default nobody chose (zh); its main language is its first room language. A main language given is still checked."""
    clean_env.chdir(tmp_path)
    assert Settings.load({"room_languages": "en,es"}, env={}).main_lang == "en"
    assert Settings.load({}, env={"LIVEREPLY_ROOM_LANGUAGES": "vi, th"}).main_lang == "vi"
    assert Settings.load({"room_languages": "en,zh"}, env={}).main_lang == "zh"  # the default, a room language
    assert Settings.load({"room_languages": "en,es", "main_lang": "es"}, env={}).main_lang == "es"
    assert match_settings(Settings.load({"room_languages": "en,es"}, env={})).default_lang == "en"
    assert main(["config", "--room-languages", "en,es"]) == 0, capsys.readouterr().err
    clean_env.setenv("LIVEREPLY_MAIN_LANG", "zh")
    assert main(["config", "--room-languages", "en,es"]) == 2  # given: refused, naming both
