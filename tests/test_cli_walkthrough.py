"""What a new user trips over on the command line: evaluations and the demo leave the shop's database alone, bad replay
logs are one clear line, a replayed log that is already recorded says so, room URLs are checked up front, and the
eval / room flags say what they do."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import re
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bot.cli import build_parser, main
from bot.messages import Comment
from bot.room import LocalRoom
from catalog.store import CatalogStore
from tests.cli_inprocess import CliResult, run_livereply

ROOT = Path(__file__).resolve().parents[1]

# a labelled show of three comments: the stage, a question with its answer, a greeting and a question for staff
SHOW = [
    {"ts": 0.0, "type": "stage", "product_id": "stroller-a1"},
    {"ts": 1.0, "id": "w1", "user": "u1", "text": "这款推车承重多少", "expect": "stroller-max-load"},
    {"ts": 2.0, "id": "w2", "user": "u2", "text": "晚上好呀主播", "expect": None},
    {"ts": 3.0, "id": "w3", "user": "u3", "text": "这款推车承重多少呀", "expect": "stroller-max-load"},
]


@pytest.fixture(autouse=True)
def _no_livereply_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The user's environment must not decide these tests (LIVEREPLY_DB set would be "explicit")."""
    for name in list(os.environ):
        if name.startswith("LIVEREPLY_"):
            monkeypatch.delenv(name)


def _write_show(path: Path, rows: list[dict] = SHOW) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _cli(*argv: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "livereply"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LIVEREPLY_")}
    return subprocess.run(
        [str(exe), *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env={**clean, "HF_HUB_OFFLINE": "1", "OPENBLAS_NUM_THREADS": "1", **(env or {})},
    )


def _shop(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A shop's default database (var/livereply.db under the working directory) with a comment in its log; returns
    the database path and the hash of every file of it."""
    db = tmp_path / "var" / "livereply.db"
    with CatalogStore(f"sqlite:///{db}") as store:
        store.record_comments([Comment(id="shop-1", user="viewer", text="还有货吗", ts=1.0)])
    return db, _hashes(db)


def _hashes(db: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(db.parent.glob(db.name + "*"))}


# ------------------------------------------------------------------------------------- the shop's database is safe


@pytest.fixture
def cli_here(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, capfd):  # type: ignore[no-untyped-def]
    """As `_cli`, through main(argv) in this process with the session's model (tests/cli_inprocess.py): for the
    checks of what a command did with its flags; each command here also runs as a subprocess in another test."""

    def run(*argv: str, cwd: Path, env: dict[str, str] | None = None) -> CliResult:
        return run_livereply(*argv, cwd=cwd, env={"OPENBLAS_NUM_THREADS": "1", **(env or {})},
                             embedder=request.getfixturevalue("embedder"), monkeypatch=monkeypatch, capfd=capfd,
                             clear_locale=False)

    return run


@pytest.mark.slow  # the CLI in a subprocess with the real model
def test_eval_replay_without_db_runs_on_a_scratch_database_and_leaves_the_shop_alone(tmp_path: Path) -> None:
    db, before = _shop(tmp_path)
    scratch_root = tmp_path / "tmp"
    scratch_root.mkdir()
    log = _write_show(tmp_path / "show.jsonl")
    result = _cli("eval", "replay", "--log", str(log), "--json", cwd=tmp_path, env={"TMPDIR": str(scratch_root)})
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["comments"] == 3 and report["accuracy"]["labelled"] == 3
    assert _hashes(db) == before  # not opened at all: no catalog import, no session reset, no migration
    with CatalogStore(f"sqlite:///{db}") as store:
        assert [c.comment_id for c in store.comments()] == ["shop-1"]
    assert "sqlite:////" in result.stderr and "livereply.db" not in result.stderr
    # says that the console's edits are not what it scored
    assert "• scratch    the catalog file " in result.stderr and "data/catalog.yaml, not the shop's database" in result.stderr
    assert list(scratch_root.iterdir()) == []  # the scratch database (and its index) removed afterwards
    assert not (tmp_path / "var" / "index").exists()

    stream = tmp_path / "stream.tsv"
    stream.write_text("text\n今天天气真好\n哈哈哈\n", encoding="utf-8")
    result = _cli("eval", "silence", "--stream", str(stream), "--json", cwd=tmp_path, env={"TMPDIR": str(scratch_root)})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["n_comments"] == 2
    assert _hashes(db) == before and list(scratch_root.iterdir()) == []


@pytest.mark.slow  # the CLI in this process with the real model (as a subprocess: the test above)
def test_eval_replay_with_an_explicit_db_uses_it(tmp_path: Path, cli_here) -> None:  # type: ignore[no-untyped-def]
    log = _write_show(tmp_path / "show.jsonl")
    db = tmp_path / "eval.db"
    result = cli_here("eval", "replay", "--log", str(log), "--json", cwd=tmp_path, env={"LIVEREPLY_DB": f"sqlite:///{db}"})
    assert result.returncode == 0, result.stderr
    assert "• scratch" not in result.stderr
    with CatalogStore(f"sqlite:///{db}") as store:
        assert sorted(c.comment_id for c in store.comments()) == ["w1", "w2", "w3"]


@pytest.mark.slow  # the CLI in a subprocess with the real model
def test_demo_without_db_uses_its_own_database_and_never_resets_the_shops(tmp_path: Path) -> None:
    db, before = _shop(tmp_path)
    log = _write_show(tmp_path / "show.jsonl")
    result = _cli("demo", "--log", str(log), "--speed", "0", "--no-console", "--quiet", "--no-encoder-process", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _hashes(db) == before
    demo_db = tmp_path / "var" / "demo" / "demo.db"
    with CatalogStore(f"sqlite:///{demo_db}") as store:
        assert sorted(c.comment_id for c in store.comments()) == ["w1", "w2", "w3"]
    assert (tmp_path / "var" / "demo" / "index").is_dir() and not (tmp_path / "var" / "index").exists()
    assert "• database   sqlite:///var/demo/demo.db" in result.stdout
    assert "livereply console --db sqlite:///var/demo/demo.db" in result.stdout  # where to look at it afterwards


# ------------------------------------------------------------------------------------------------ bad replay logs

BROKEN = '{"ts": 1.0, "user": "u1", "text": "hi"}\n{"ts": 2.0, "user": \n'


@pytest.mark.parametrize(
    ("command", "extra"),
    [(["eval", "replay"], ["--json"]), (["demo"], ["--no-console"]), (["room"], ["--port", "0"])],
)
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "comment log not found: "),
        (BROKEN, "log.jsonl:2: not valid JSON"),
        ("", "no comments in "),
        ('{"ts": 0.0, "type": "stage", "product_id": "stroller-a1"}\n\n', "no comments in "),
    ],
)
def test_a_bad_log_is_one_clear_line_before_anything_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command, extra, content, message
) -> None:
    monkeypatch.chdir(tmp_path)
    log = tmp_path / "log.jsonl"
    if content is not None:
        log.write_text(content, encoding="utf-8")
    assert main([*command, "--log", str(log), *extra]) == 2  # an exception here would be the traceback
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("livereply: error: ") and message in err[0], err
    assert not (tmp_path / "var").exists()  # no database opened, no catalog imported, no model loaded


# ---------------------------------------------------------------------------------- a log replayed a second time


class _RoomThread:
    """A LocalRoom replaying ``log`` on its own event loop and thread (a real socket for a `livereply run`)."""

    def __init__(self, log: Path) -> None:
        self.room = LocalRoom(str(log), speed=0, drain_s=5.0)
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        assert self.ready.wait(10)

    def _run(self) -> None:
        async def serve() -> None:
            await self.room.start()
            self.ready.set()
            try:
                await self.room.wait_finished()
            finally:
                await self.room.stop()

        self.loop.run_until_complete(serve())

    def join(self) -> None:
        self.thread.join(30)
        assert not self.thread.is_alive()


def _run_against(log: Path, db: Path, cwd: Path, *extra: str, cli=_cli) -> subprocess.CompletedProcess[str] | CliResult:  # type: ignore[no-untyped-def]
    room = _RoomThread(log)
    result = cli("run", "--room", room.room.url, "--db", f"sqlite:///{db}", "--quiet", "--no-encoder-process", *extra, cwd=cwd)
    room.join()
    return result


@pytest.mark.slow  # `livereply run` with the real model three times: a subprocess, then twice in this process
def test_run_says_how_many_comments_were_already_recorded_and_how_to_replay_again(tmp_path: Path, cli_here) -> None:  # type: ignore[no-untyped-def]
    log = _write_show(tmp_path / "show.jsonl")
    db = tmp_path / "shop.db"
    first = _run_against(log, db, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "received 3 comments" in first.stdout and "skipped" not in first.stdout

    again = _run_against(log, db, tmp_path, cli=cli_here)
    assert again.returncode == 0, again.stderr
    assert "received 3 comments; 0 replies delivered" in again.stdout  # idempotent: nothing answered twice
    assert "3 of them skipped: already recorded in this database for room 'local'" in again.stdout
    assert "--room-name" in again.stdout

    renamed = _run_against(log, db, tmp_path, "--room-name", "rerun", cli=cli_here)  # the hint works
    assert renamed.returncode == 0, renamed.stderr
    assert "received 3 comments" in renamed.stdout and "skipped" not in renamed.stdout
    assert "0 replies delivered" not in renamed.stdout


# ---------------------------------------------------------------------------------------------------- room URLs


@pytest.mark.parametrize("url", ["http://127.0.0.1:18080", "127.0.0.1:8765"])
def test_a_room_url_that_is_not_a_websocket_is_refused_before_the_model_loads(tmp_path: Path, url: str) -> None:
    result = _cli("run", "--room", url, cwd=tmp_path, timeout=60)
    assert result.returncode == 2, result.stderr
    expected = f"livereply: error: --room {url}: not a websocket URL (scheme isn't ws or wss); e.g. ws://127.0.0.1:8765"
    assert result.stderr.strip().splitlines() == [expected + " or wss://host/path"]
    assert "• model" not in result.stdout and not (tmp_path / "var").exists()


def test_an_unreachable_room_says_so_on_the_first_failure_and_keeps_retrying(caplog: pytest.LogCaptureFixture) -> None:
    from bot.adapters.generic import RoomClient

    with socket.socket() as sock:  # a port nobody listens on: connections are refused
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"ws://127.0.0.1:{port}"

    async def scenario() -> None:
        client = RoomClient(url, backoff_initial=0.02, backoff_max=0.05)

        async def read() -> None:
            async for _ in client.events():
                pass

        task = asyncio.create_task(read())
        for _ in range(200):
            if client.stats.connect_failures >= 3:
                break
            await asyncio.sleep(0.02)
        await client.close()
        await asyncio.wait_for(task, 5)
        assert client.stats.connect_failures >= 3  # the reconnect policy is unchanged: it retries

    with caplog.at_level(logging.WARNING, logger="bot.adapters.wsconnect"):
        asyncio.run(scenario())
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.adapters.wsconnect"]
    assert lines[0].startswith(f"the room at {url} cannot be reached (")
    assert lines[0].endswith("retrying until it answers (Ctrl-C to stop)")
    assert lines[1].startswith(f"cannot connect to {url} (attempt 2)")


# ------------------------------------------------------------------------------------------------------ help texts


EVAL_MODE_FLAGS = {
    "matching": {"--faq", "--queries", "--method"},
    "pairs": {"--dev", "--test"},
    "intents": {"--train", "--test"},
    "silence": {"--stream", "--limit"},
    "catalog": {"--train", "--test", "--split"},
    "replay": {"--log", "--speed"},
}


@pytest.mark.parametrize("command", [*(f"eval {mode}" for mode in sorted(EVAL_MODE_FLAGS)), "room", "run", "demo"])
def test_every_flag_of_eval_room_run_and_demo_is_described(command: str) -> None:
    sub = build_parser()
    for word in command.split():
        sub = sub._subparsers._group_actions[0].choices[word]  # type: ignore[union-attr]
    undescribed = [a.option_strings[0] for a in sub._actions if a.option_strings and not a.help]
    assert undescribed == []


@pytest.mark.parametrize("mode", sorted(EVAL_MODE_FLAGS))
def test_each_eval_mode_help_lists_only_its_own_options(mode: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`eval replay --help` used to list every mode's options (one shared parser): --faq, --stream, --dev … next to
    --log, with nothing saying which apply to a replay."""
    with pytest.raises(SystemExit):
        main(["eval", mode, "--help"])
    shown = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", capsys.readouterr().out))
    assert EVAL_MODE_FLAGS[mode] <= shown
    others = set().union(*EVAL_MODE_FLAGS.values()) - EVAL_MODE_FLAGS[mode]
    assert not shown & others, sorted(shown & others)
    if mode in ("matching", "pairs", "intents"):  # no database, catalog or room: their flags are not offered
        assert not shown & {"--db", "--catalog", "--room-languages", "--rate-per-s", "--log"}, sorted(shown)
    assert "--json" in shown and "--model" in shown


def test_eval_help_lists_the_modes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["eval", "--help"])
    out = capsys.readouterr().out
    assert all(mode in out for mode in EVAL_MODE_FLAGS)
    assert "--faq" not in out and "--log" not in out


def test_eval_replay_help_describes_log_and_speed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["eval", "replay", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--log LOG labelled comment log (JSONL)" in out
    assert "--speed SPEED speed multiplier (default 0 = as fast as possible)" in out
    assert "scratch database" in out


# ------------------------------------------------------------------------- `livereply run`: the room and the platform

NO_INTENTS = "/no/such/intents.yaml"  # `run` stops at its first loading step: what it said before that is the start


def _start_of_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str):
    """`livereply run ARGV` in this process, stopped right after its start lines by a missing intent file (nothing
    loads: no database, no catalog, no model, no encoder child); returns (exit code, stdout lines, stderr)."""
    monkeypatch.chdir(tmp_path)
    code = main(["run", *argv, "--intents", NO_INTENTS, "--no-encoder-process"])
    out, err = capsys.readouterr()
    assert not (tmp_path / "var").exists()
    return code, out.splitlines(), err


@pytest.mark.slow  # `livereply run` in this process with the real model
def test_run_takes_the_room_from_livereply_room_url(tmp_path: Path, cli_here) -> None:  # type: ignore[no-untyped-def]
    """`LIVEREPLY_ROOM_URL=ws://… livereply run` used to stop at "--room URL is required"."""
    log = _write_show(tmp_path / "show.jsonl")
    room = _RoomThread(log)
    result = cli_here("run", "--db", f"sqlite:///{tmp_path / 'shop.db'}", "--quiet", "--no-encoder-process", cwd=tmp_path,
                  env={"LIVEREPLY_ROOM_URL": room.room.url})
    room.join()
    assert result.returncode == 0, result.stderr
    assert f"• room       {room.room.url}\n" in result.stdout and "received 3 comments" in result.stdout


def test_run_without_a_room_uses_the_documented_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.config import Settings, settings_markdown

    code, out, err = _start_of_run(tmp_path, monkeypatch, capsys)
    assert code == 2 and "--room URL is required" not in err and "intent file not found" in err
    default = Settings().room_url
    assert default == "ws://127.0.0.1:8765"
    assert f"• room       {default} (the default: a local `livereply room`)" in out
    # README (its generated table), `run --help` and `room --help` say the same
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"| `LIVEREPLY_ROOM_URL` | `--room` | `{default!r}` |" in settings_markdown() and settings_markdown() in readme
    assert f"else `{default}` (a local `livereply room`)" in readme
    run_help = " ".join(build_parser()._subparsers._group_actions[0].choices["run"].format_help().split())  # type: ignore[union-attr]
    said = f"--room ROOM_URL room websocket URL (default {default!r}, a local `livereply room`, for --platform generic; "
    assert said + "env LIVEREPLY_ROOM_URL)" in run_help


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--platform", "bilibili", "--room-id", "21452505"],
         "--platform bilibili needs --room wss://broadcastlv.chat.bilibili.com/sub (or LIVEREPLY_ROOM_URL)"),
        (["--platform", "bilibili"],
         "--platform bilibili needs --room wss://broadcastlv.chat.bilibili.com/sub (or LIVEREPLY_ROOM_URL) and --room-id N"),
        (["--platform", "twitch", "--twitch-channel", "shop", "--twitch-nick", "bot"],
         "--platform twitch needs --room wss://irc-ws.chat.twitch.tv:443 (or LIVEREPLY_ROOM_URL)"),
        # checked before the catalog, the model and the encoder child: they used to load first
        (["--platform", "bilibili", "--room", "wss://broadcastlv.chat.bilibili.com/sub"],
         "--platform bilibili needs --room-id N"),
        (["--platform", "bilibili", "--room", "wss://broadcastlv.chat.bilibili.com/sub", "--room-id", "5", "--bili-post"],
         "LIVEREPLY_BILI_SESSDATA"),
        (["--platform", "youtube"], "--platform youtube needs --youtube-chat LIVE_CHAT_ID"),
        (["--platform", "youtube", "--youtube-chat", "chat-1"], "LIVEREPLY_YOUTUBE_TOKEN"),
    ],
)
def test_platform_flags_and_credentials_are_checked_before_anything_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))  # no credentials file of the developer's
    assert main(["run", *argv]) == 2
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("livereply: error: ") and message in lines[0], lines
    assert "• database" not in out and "• model" not in out and not (tmp_path / "var").exists()


BILI = ["--platform", "bilibili", "--room", "wss://broadcastlv.chat.bilibili.com/sub", "--room-id", "21452505"]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([*BILI, "--moderation-action", "delete"],
         "• moderation delete will NOT happen: Bilibili reading only: moderating needs --bili-post"),
        ([*BILI, "--moderation-action", "timeout"], "• moderation timeout will NOT happen: Bilibili reading only"),
        ([*BILI, "--bili-post", "--moderation-action", "delete"],
         ("• moderation delete will NOT happen: Bilibili offers no call to delete a viewer's danmaku; "
          "--moderation-action timeout mutes (禁言) the sender; flagged comments are still never answered")),
        ([*BILI, "--bili-post", "--moderation-action", "timeout"],
         "• moderation timeout: senders of flagged comments are muted (禁言) for 1 h"),
        (["--room", "ws://127.0.0.1:9", "--moderation-action", "delete"],
         "• moderation delete: flagged comments are deleted when the room announces the `moderate` feature"),
        (["--platform", "youtube", "--youtube-chat", "chat-1", "--moderation-action", "timeout",
          "--moderation-timeout-s", "60"],
         "• moderation timeout: senders of flagged comments are timed out 60 s through the Data API"),
        ([*BILI, "--bili-post"], None),  # off: nothing to say
    ],
)
def test_run_says_at_start_what_the_moderation_action_will_and_will_not_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], expected
) -> None:
    for name in ("LIVEREPLY_BILI_SESSDATA", "LIVEREPLY_BILI_JCT", "LIVEREPLY_YOUTUBE_TOKEN"):
        monkeypatch.setenv(name, "test-secret")
    code, out, err = _start_of_run(tmp_path, monkeypatch, capsys, *argv)
    assert code == 2 and "intent file not found" in err  # stopped at the first loading step, as planned
    said = [line for line in out if line.startswith("• moderation")]
    if expected is None:
        assert said == []
        return
    assert len(said) == 1 and said[0].startswith(expected), said
    assert out.index(said[0]) < next(i for i, line in enumerate(out) if line.startswith("• database"))


def test_an_evaluation_report_reads_as_indented_lines_not_python_dicts() -> None:
    from bot.cli import _report_lines

    lines = _report_lines(
        {"comments": 3, "accuracy": {"correct": 2, "ci95": {"wrong": [0.0, 0.2]}, "rate": 0.6667}, "runs": [{"a": 1}]}
    )
    assert lines == [
        f"{'comments':28} 3",
        "accuracy",
        f"  {'correct':26} 2",
        "  ci95",
        f"    {'wrong':24} [0.0, 0.2]",
        f"  {'rate':26} 0.6667",
        "runs",
        "  [1]",
        f"    {'a':24} 1",
    ]
    assert not any("{" in line for line in lines)


# ------------------------------------------------------------------------------------- labels that can never match

PRISE = ("第 3 行：'expect' 里的标注 'prise' 不认识：是不是想写 'price'？（应为商品目录里的问答编号，或 @stock、@count、"
         "@price、@restock、@size_advice、@attribute:<键名>、@which:<属性>、@recommend、@staff）")


@pytest.mark.slow  # the CLI in a subprocess with the real model
def test_a_label_the_catalog_does_not_have_is_one_clear_line_with_its_place(tmp_path: Path) -> None:
    """"prise" for "price": before, `eval replay` ran and counted the right answer as wrong, without a word. The demo
    (a shop trying it with its own --catalog and the demo show) still runs, and says its accuracy line means nothing."""
    rows = [*SHOW[:2], {"ts": 1.5, "id": "w9", "user": "u9", "text": "多少钱", "expect": "prise"}, *SHOW[2:]]
    log = _write_show(tmp_path / "typo.jsonl", rows)
    result = _cli("eval", "replay", "--json", "--log", str(log), cwd=tmp_path, env={"LANG": "zh_CN.UTF-8"})
    assert result.returncode == 2, result.stderr
    err = result.stderr.strip().splitlines()
    assert err[-1] == f"livereply：错误：{log} {PRISE}", err
    assert result.stdout == ""  # no report

    demo = _cli("demo", "--no-console", "--speed", "0", "--quiet", "--log", str(log), cwd=tmp_path,
                env={"LANG": "zh_CN.UTF-8"})
    assert demo.returncode == 0, demo.stderr
    said = [line for line in demo.stdout.splitlines() if line.startswith("• 标注")]
    assert said == [f"• 标注       {log} {PRISE}：本场小结里对照标注的准确率对这个商品目录没有意义"], demo.stdout


def test_labels_are_checked_against_the_catalog(tmp_path: Path) -> None:
    """Every kind of label `score_expectations` reads passes; each mistake is placed at its line."""
    from bot.replay import check_labels
    from bot.room import LogFileError
    from catalog.io import import_catalog

    with CatalogStore(f"sqlite:///{tmp_path / 'labels.db'}") as store:
        import_catalog(store, ROOT / "data" / "catalog.yaml")
        snap = store.snapshot()
    good = [{"text": "a", "expect": label} for label in (
        None, "price", "@stock", "@staff", "@recommend", "@attribute:weight", "@which:size", ["@stock", "tee-fabric"])]
    check_labels(_write_show(tmp_path / "good.jsonl", [*good, {"text": "no label"}]), snap)
    for expect, reason in [
        ("tee-fabrik", "unknown label 'tee-fabrik' in 'expect': did you mean 'tee-fabric'?"),
        ("@attribute:wieght", "did you mean '@attribute:weight'?"),
        ("@sizes", "unknown label '@sizes'"),
        (["@stock", "nothing-like-it-at-all"], "unknown label 'nothing-like-it-at-all' in 'expect': not a FAQ id"),
        (3, "'expect' must be a label, a list of labels or null, not 3"),
        ([], "'expect' must be a label, a list of labels or null, not []"),
    ]:
        path = _write_show(tmp_path / "bad.jsonl", [good[1], {"text": "b", "expect": expect}])
        with pytest.raises(LogFileError) as error:
            check_labels(path, snap)
        assert error.value.line == 2 and reason in str(error.value), (expect, str(error.value))


def test_an_eval_report_lists_its_records_one_value_per_line() -> None:
    """`eval replay` without --json printed calibration's confident errors (a tuple of records) as one Python repr
    line: "confident_errors  ({'score': 0.9318, 'kind': 'fold', …}, {…})"."""
    from bot.cli import _report_lines

    errors = ({"score": 0.93, "query": "多买能便宜吗?"}, {"score": 0.91, "query": "一共多少块?"})
    lines = _report_lines({"calibrated": {"confident_errors": errors, "ci95": (0.911, 0.967)}})
    assert lines[:4] == ["calibrated", "  confident_errors", "    [1]", "      score                  0.93"]
    assert "      query                  一共多少块?" in lines
    assert not any("{" in line for line in lines)
    assert lines[-1].split() == ["ci95", "(0.911,", "0.967)"]  # numbers stay inline
