"""One settings object: defaults < LIVEREPLY_* environment < command-line flags; every listed flag exists."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from bot.cli import _checked, build_parser
from bot.config import COMMAND_GROUPS, Settings, flag_of, settings_for, settings_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_env_overrides_defaults_and_flags_override_env():
    env = {"LIVEREPLY_RATE_PER_S": "7.5", "LIVEREPLY_MODEL": "e5-small", "LIVEREPLY_TRANSCRIPT": "no"}
    s = Settings.load(env=env)
    assert (s.rate_per_s, s.model, s.transcript) == (7.5, "e5-small", False)
    s = Settings.load({"rate_per_s": 2.0, "model": None}, env=env)
    assert s.rate_per_s == 2.0 and s.model == "e5-small"  # None = flag not given


def test_bad_env_value_is_a_clear_error():
    with pytest.raises(ValueError, match="LIVEREPLY_BURST='lots': expected int"):
        Settings.load(env={"LIVEREPLY_BURST": "lots"})


@pytest.mark.parametrize("command", sorted(COMMAND_GROUPS))
def test_each_command_takes_exactly_the_settings_of_its_groups(command):
    parser = build_parser()
    sub = _subparser(parser, command)
    defaults = Settings()
    own = {f.name for f in settings_for(command)}
    assert own, command
    for name in own:
        if name == "transcript":
            continue  # --quiet on demo/run
        value = getattr(defaults, name)
        argv = [*command.split(), *_positional(command), flag_of(name), "auto" if value is None else str(value)]
        if command == "run" and name != "room_url":
            argv += ["--room", "ws://x"]
        args = parser.parse_args(argv)
        assert getattr(args, name) == value, (command, name)
    others = {f.name for f in fields(Settings)} - own
    # flags of a command's own with a setting's name: demo's --log / --speed, the gateway's repeatable --room / --room-name
    own_flags = {"demo": {"log", "speed"}, "gateway": {"room_url", "room_name"}}.get(command, set())
    for name in others:  # --help of a command lists only its own flags
        flag = sub._option_string_actions.get(flag_of(name))
        # every command takes --ui-lang (bot/cli.py _accept_ui_lang_everywhere), read before parsing when not a setting
        generic = flag is not None and name == "ui_lang" and flag.dest == "ui_lang_given"
        assert flag is None or name in own_flags or generic, (command, name)


def _subparser(parser, command: str):
    """The parser of ``command`` ("run", or "eval replay" for a mode of eval)."""
    for word in command.split():
        parser = parser._subparsers._group_actions[0].choices[word]
    return parser


def _positional(command: str) -> list[str]:
    return {
        "catalog": ["import", "x.yaml"], "staff": ["add", "alice"],
        "gateway": ["--room", "ws://x", "--stream-prefix", "lr:x"], "worker": ["--stream-prefix", "lr:x"],
    }.get(command, [])


def test_defaults_live_in_one_place():
    from bot.pipeline import MatchSettings
    from bot.replies import ReplyScheduler

    s, m, r = Settings(), MatchSettings(), ReplyScheduler()
    assert (s.intent_threshold, s.recommend_intent_threshold, s.min_margin, s.lexical_weight) == (
        m.intent_threshold, m.recommend_intent_threshold, m.min_margin, m.lexical_weight)
    assert (s.rate_per_s, s.burst, s.merge_window_s, s.viewer_cooldown_s) == (
        r.rate_per_s, r.burst, r.merge_window_s, r.viewer_cooldown_s)


def test_readme_settings_table_is_generated_from_settings():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert settings_markdown() in readme, "regenerate with: livereply config --markdown"


def _cli(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "livereply"
    return subprocess.run([str(exe), *argv], capture_output=True, text=True, timeout=120, cwd=cwd,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"})


@pytest.mark.slow  # starts the CLI in a subprocess
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "--room", "ws://x", "--db", "foo://bar"], "unknown database kind"),
        (["run", "--room", "ws://x", "--db", "not a url"], "is not a database URL"),
        (["run", "--room", "ws://x", "--db", "sqlite:////no/such/dir/x.db"], "does not exist"),
        (["run", "--room", "ws://x", "--db", "postgresql+psycopg://postgres@127.0.0.1:1/test"], "cannot open the database"),
        (["run", "--room", "ws://x", "--intents", "/no/such/intents.yaml"], "intent file not found"),
        (["catalog", "import", "/no/such/catalog.yaml"], "catalog file not found"),
        (["eval", "matching"], "needs --faq"),
        (["eval", "intents"], "needs --train"),
        (["room", "--log", "/no/such/log.jsonl"], "comment log not found"),
        # a country code for a language: was a lingua ValueError traceback while calibrating
        (["demo", "--no-console", "--room-languages", "zh,en,jp,vi,es"],
         "'jp' is not a language code the bot can identify; did you mean 'ja' (Japanese)?"),
        (["run", "--room", "ws://x", "--room-languages", "zh,en,kr"],
         "'kr' (Kanuri) is not a language code the bot can identify; did you mean 'ko' (Korean)? Supported: af, ar,"),
    ],
)
def test_cli_errors_are_one_clear_line_and_a_nonzero_exit(tmp_path, argv, message):
    result = _cli(*argv, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("livereply: error:") and message in last
    assert "Traceback" not in result.stderr


def test_relative_data_defaults_work_from_another_directory(tmp_path):
    settings = _checked(Settings.load(env={}))
    assert Path(settings.catalog).is_file() and Path(settings.intents).is_file()


@pytest.mark.slow  # starts the CLI in a subprocess
def test_port_in_use_is_a_clear_error(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        log = ROOT / "data/demo_comments.jsonl"
        result = _cli("room", "--log", str(log), "--port", str(port), cwd=tmp_path)
    assert result.returncode == 2 and "address already in use" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow  # starts the CLI in a subprocess
def test_eval_json_is_valid_json_on_stdout(tmp_path):
    # a tiny intent file written here (no dependency on ../shared): 4 intents x 6 examples
    examples = {
        "price": ["how much is it", "what is the price", "price please", "how much does it cost", "cost?", "what's it cost"],
        "shipping": ["do you ship abroad", "shipping time?", "when will it arrive", "how long is delivery", "ship to canada?",
                     "delivery fee?"],
        "size": ["what size should i get", "does it run small", "size chart?", "is xl available", "which size fits me",
                 "true to size?"],
        "greeting": ["hello", "hi everyone", "good evening", "hey there", "hi host", "hello from brazil"],
    }
    small = ["split\ttext\tlabel"] + [f"train\t{text}\t{label}" for label, texts in examples.items() for text in texts]
    train = tmp_path / "train.tsv"
    train.write_text("\n".join(small) + "\n", encoding="utf-8")
    result = _cli("eval", "intents", "--train", str(train), "--threads", "1", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    json.loads(result.stdout)


@pytest.mark.parametrize(
    ("argv", "port", "host"),
    [
        (["console", "--console-port", "8097"], 8097, "127.0.0.1"),  # the documented flag (it used to be ignored)
        (["console", "--port", "8098", "--host", "0.0.0.0"], 8098, "0.0.0.0"),  # the short forms
        (["console"], 8080, "127.0.0.1"),
    ],
)
def test_console_port_and_host_flags(argv, port, host, monkeypatch):
    from bot.cli import console_settings

    for var in ("LIVEREPLY_CONSOLE_PORT", "LIVEREPLY_CONSOLE_HOST"):
        monkeypatch.delenv(var, raising=False)
    settings = console_settings(build_parser().parse_args(argv))
    assert (settings.console_port, settings.console_host) == (port, host)


def test_staff_and_catalog_take_only_the_settings_they_use():
    """`staff` only opens the database; `catalog import` also imports the moderation / rules / banned-words files —
    neither lists the model, intents or index settings of the store group in its --help."""
    assert {f.name for f in settings_for("staff")} == {"db", "ui_lang"}  # ui_lang: what it prints, in zh or en
    assert {f.name for f in settings_for("catalog")} == {"db", "moderation", "rules", "banned_words", "ui_lang"}
    parser = build_parser()
    staff_help = parser._subparsers._group_actions[0].choices["staff"].format_help()
    assert "--db" in staff_help and "--intents" not in staff_help and "--catalog" not in staff_help


@pytest.fixture()
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith("LIVEREPLY_"):
            monkeypatch.delenv(name)
    return monkeypatch


def test_config_shows_the_effective_values_and_where_they_came_from(clean_env, capsys, tmp_path):
    from bot.cli import main

    clean_env.chdir(tmp_path)
    clean_env.setenv("LIVEREPLY_RATE_PER_S", "1")
    clean_env.setenv("LIVEREPLY_GREETINGS", "yes")
    clean_env.setenv("LIVEREPLY_BURST", "4")
    clean_env.setenv("LIVEREPLY_DB", "postgresql+psycopg://bot:hunter2@db.example:5432/shop")
    assert main(["config", "--burst", "9"]) == 0
    out = capsys.readouterr().out
    assert "hunter2" not in out  # the database password is not printed
    header, *lines = out.splitlines()
    assert header.split()[:5] == ["env", "var", "flag", "value", "from"]
    rows = {line.split()[0]: line for line in lines if line.startswith("LIVEREPLY_")}
    assert rows["LIVEREPLY_RATE_PER_S"].split()[1:4] == ["--rate-per-s", "1.0", "env"]
    assert rows["LIVEREPLY_RATE_PER_S"].endswith("(default 3.0)")
    assert rows["LIVEREPLY_GREETINGS"].split()[1:4] == ["--greetings", "True", "env"]
    assert rows["LIVEREPLY_BURST"].split()[1:4] == ["--burst", "9", "flag"]  # the flag wins over the variable
    assert rows["LIVEREPLY_THREADS"].split()[1:4] == ["--threads", "1", "default"]
    assert rows["LIVEREPLY_ENCODER_PROCESS"].split()[1:4] == ["--encoder-process", "auto", "default"]
    assert rows["LIVEREPLY_DB"].split()[1:4] == ["--db", "'postgresql+psycopg://bot:***@db.example:5432/shop'", "env"]
    assert len(rows) == len(fields(Settings))


@pytest.mark.parametrize(
    ("var", "value", "message"),
    [
        ("LIVEREPLY_THREADS", "abc", "LIVEREPLY_THREADS='abc': expected int"),
        ("LIVEREPLY_RATE_PER_S", "fast", "LIVEREPLY_RATE_PER_S='fast': expected float"),
        ("LIVEREPLY_GREETINGS", "maybe", "LIVEREPLY_GREETINGS='maybe': expected 1/0, true/false, yes/no or on/off"),
        ("LIVEREPLY_ENCODER_PROCESS", "sometimes", "LIVEREPLY_ENCODER_PROCESS='sometimes': expected auto, 1/0"),
    ],
)
@pytest.mark.parametrize(
    "argv",
    [["config"], ["run"], ["eval", "matching", "--faq", "faq.tsv", "--queries", "q.jsonl"], ["catalog", "export", "x.yaml"],
     ["staff", "list"], ["console"]],
)
def test_a_bad_livereply_variable_is_one_clear_error_in_every_command(clean_env, capsys, tmp_path, var, value, message,
                                                                      argv):
    from bot.cli import main

    clean_env.chdir(tmp_path)
    (tmp_path / "faq.tsv").write_text("f1\thow much\n", encoding="utf-8")
    (tmp_path / "q.jsonl").write_text('{"query": "price?", "gold": ["f1"]}\n', encoding="utf-8")
    clean_env.setenv(var, value)
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("livereply: error: ") and message in err[0], err
    assert not (tmp_path / "var").exists() and not (tmp_path / "x.yaml").exists()


def test_a_yes_no_flag_refuses_what_is_not_yes_or_no(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--greetings", "maybe"])
    assert "'maybe' is not a yes/no value" in capsys.readouterr().err
    assert build_parser().parse_args(["run", "--greetings", "off"]).greetings is False


def test_help_shows_an_auto_default_as_auto():
    run_help = " ".join(build_parser()._subparsers._group_actions[0].choices["run"].format_help().split())
    assert "(default auto; env LIVEREPLY_ENCODER_PROCESS)" in run_help and "default None" not in run_help


def test_the_docs_say_what_the_cli_does():
    """docs/platforms.md and docs/protocol.md once said `run` had no YouTube platform and did not post on Bilibili, and
    docs/console.md that the bot polls the catalog every 0.25 s (that is the console's command outbox)."""
    import re

    platforms = (ROOT / "docs/platforms.md").read_text(encoding="utf-8")
    protocol = (ROOT / "docs/protocol.md").read_text(encoding="utf-8")
    console = (ROOT / "docs/console.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    choices = build_parser()._subparsers._group_actions[0].choices["run"]._option_string_actions["--platform"].choices
    assert {"bilibili", "youtube"} <= set(choices)
    for stale in ("still reads only", "has no YouTube platform yet", "which LiveReply does not implement"):
        assert stale not in platforms + protocol, stale
    assert "livereply run --platform bilibili --room wss://broadcastlv.chat.bilibili.com/sub --room-id" in platforms
    assert "--bili-post" in platforms and "livereply run --platform youtube --youtube-chat" in platforms
    assert "`livereply run --platform bilibili --bili-post`" in protocol
    reload_s = Settings().reload_interval_s
    (console_said,) = re.findall(r"the running bot polls it every ([\d.]+) s", console)
    (readme_said,) = re.findall(r"the bot polls the catalog version every ([\d.]+) s", readme)
    assert float(console_said) == float(readme_said) == reload_s
    assert "every 0.25 s (`BotService` control task, `control_interval_s`)" in console  # the outbox: a different task


# ------------------------------------------------------------------- `livereply config`: the room's console settings

KEPT_AT = 1_764_750_000.0  # 2025-12-03, local time: when_text() says it as the start line does


def _kept_db(tmp_path: Path) -> tuple[str, Path]:
    """A database where staff kept room "local"'s main language (en) and fallback (main) on the live page, and room
    "show2"'s fallback (staff)."""
    from catalog.room_settings import save_room_setting
    from catalog.store import CatalogStore

    path = tmp_path / "shop.db"
    url = f"sqlite:///{path}"
    with CatalogStore(url) as store:
        save_room_setting(store, "local", "main_lang", "en", changed_by="alice", at=KEPT_AT)
        save_room_setting(store, "local", "lang_fallback", "main", changed_by="alice", at=KEPT_AT)
        save_room_setting(store, "show2", "lang_fallback", "staff", changed_by="bob", at=KEPT_AT)
    return url, path


def _config_rows(out: str) -> dict[str, str]:
    return {line.split()[0]: line for line in out.splitlines() if line.startswith("LIVEREPLY_")}


def test_config_shows_the_room_settings_staff_kept_in_the_console(clean_env, capsys, tmp_path):
    """`livereply config` listed only defaults, variables and flags: a main language or fallback staff kept on the
    live page (what `livereply run` starts with) was shown as the default."""
    from bot.cli import main
    from bot.room_lang_start import when_text

    clean_env.chdir(tmp_path)
    url, path = _kept_db(tmp_path)
    before = path.read_bytes()
    assert main(["config", "--db", url, "--room-languages", "zh,en"]) == 0
    out = capsys.readouterr().out
    rows = _config_rows(out)
    assert rows["LIVEREPLY_MAIN_LANG"].split()[1:4] == ["--main-lang", "'en'", "console-kept"]
    assert f"(kept in the console {when_text(KEPT_AT)} by alice)" in rows["LIVEREPLY_MAIN_LANG"]
    assert rows["LIVEREPLY_LANG_FALLBACK"].split()[1:4] == ["--lang-fallback", "'main'", "console-kept"]
    assert "(default 'en')" in rows["LIVEREPLY_LANG_FALLBACK"]
    assert "room 'local'" in out and "show2" in out  # which room was read, and that another one has kept settings
    assert path.read_bytes() == before  # read only

    # a flag given for the start wins; the row says what the console kept and when it applies
    assert main(["config", "--db", url, "--room-languages", "zh,en", "--main-lang", "zh"]) == 0
    row = _config_rows(capsys.readouterr().out)["LIVEREPLY_MAIN_LANG"]
    assert row.split()[1:4] == ["--main-lang", "'zh'", "flag"]
    assert "the console's 'en'" in row and "alice" in row

    # another room: its own kept values
    assert main(["config", "--db", url, "--room-name", "show2"]) == 0
    rows = _config_rows(capsys.readouterr().out)
    assert rows["LIVEREPLY_LANG_FALLBACK"].split()[1:4] == ["--lang-fallback", "'staff'", "console-kept"]
    assert rows["LIVEREPLY_MAIN_LANG"].split()[1:4] == ["--main-lang", "'zh'", "default"]


def test_config_says_the_console_settings_in_chinese(clean_env, capsys, tmp_path):
    from bot.cli import main

    clean_env.chdir(tmp_path)
    url, _path = _kept_db(tmp_path)
    assert main(["config", "--db", url, "--room-languages", "zh,en", "--ui-lang", "zh"]) == 0
    row = _config_rows(capsys.readouterr().out)["LIVEREPLY_MAIN_LANG"]
    assert row.split()[3] == "控制台保存" and "由 alice 在控制台保存）（默认 'zh'）" in row


def test_config_with_a_database_not_created_yet_creates_nothing(clean_env, capsys, tmp_path):
    from bot.cli import main

    clean_env.chdir(tmp_path)
    assert main(["config"]) == 0  # the default sqlite:///var/livereply.db
    out = capsys.readouterr().out
    assert not (tmp_path / "var").exists()
    assert _config_rows(out)["LIVEREPLY_MAIN_LANG"].split()[1:4] == ["--main-lang", "'zh'", "default"]
    assert "does not exist yet" in out
    assert main(["config", "--db", f"sqlite:///{tmp_path}/no/such/dir/x.db"]) == 2  # as every command says it
    assert "does not exist (create it first)" in capsys.readouterr().err
    assert not (tmp_path / "no").exists()


def test_config_with_an_empty_or_old_database_file(clean_env, capsys, tmp_path):
    """A database file without the room settings table (empty, or older than migration 0019): nothing kept, nothing
    migrated."""
    import sqlite3

    from bot.cli import main

    clean_env.chdir(tmp_path)
    path = tmp_path / "old.db"
    sqlite3.connect(path).close()
    assert main(["config", "--db", f"sqlite:///{path}"]) == 0
    out = capsys.readouterr().out
    assert _config_rows(out)["LIVEREPLY_LANG_FALLBACK"].split()[1:4] == ["--lang-fallback", "'en'", "default"]
    assert path.stat().st_size == 0
