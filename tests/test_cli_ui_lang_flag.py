"""`--ui-lang zh|en` wherever a staff member types it (README: the terminal's language follows the locale, or
`--ui-lang`): before the command (`livereply --ui-lang zh demo` was "参数 command：无效的选项：'zh'") and on the commands
that had no such flag (`livereply console --ui-lang zh` / `staff list --ui-lang zh` were "无法识别的参数")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli_inprocess import CliResult, run_livereply

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def livereply(monkeypatch: pytest.MonkeyPatch, capfd):  # type: ignore[no-untyped-def]
    """`livereply ARGV` in-process on an English (C) locale, no LIVEREPLY_* variables: only the flag can say zh."""

    def run(*argv: str, cwd: Path) -> CliResult:
        return run_livereply(*argv, cwd=cwd, env={"LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1"}, embedder=None,
                             monkeypatch=monkeypatch, capfd=capfd)

    return run


@pytest.mark.parametrize("argv", [
    ("--ui-lang", "zh", "staff", "list"),
    ("staff", "list", "--ui-lang", "zh"),
    ("staff", "list", "--ui-lang=zh"),
])
def test_staff_list_takes_the_flag_before_or_after_the_command(livereply, tmp_path: Path, argv: tuple[str, ...]) -> None:
    db = f"sqlite:///{tmp_path / 'shop.db'}"
    assert livereply("staff", "add", "alice", "--role", "editor", "--password", "pw-alice-123", "--db", db,
                     cwd=tmp_path).returncode == 0
    done = livereply(*argv, "--db", db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "用户名" in done.stdout and "编辑" in done.stdout and "alice" in done.stdout, done.stdout


def test_english_after_the_command_wins_over_chinese_before_it(livereply, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'shop.db'}"
    livereply("staff", "add", "alice", "--role", "editor", "--password", "pw-alice-123", "--db", db, cwd=tmp_path)
    done = livereply("--ui-lang", "zh", "staff", "list", "--db", db, "--ui-lang", "en", cwd=tmp_path)
    assert done.returncode == 0 and "name" in done.stdout and not CJK.search(done.stdout), done.stdout


@pytest.mark.parametrize("argv", [
    ("console", "--ui-lang", "zh", "--db", "sqlite:///nope/shop.db"),  # a directory that does not exist
    ("--ui-lang", "zh", "eval", "replay", "--log", "nope.jsonl"),
    ("eval", "--ui-lang", "zh", "replay", "--log", "nope.jsonl"),
    ("room", "--ui-lang", "zh", "--log", "nope.jsonl"),
    ("catalog", "--ui-lang", "zh", "import", "nope.yaml", "--db", "sqlite:///shop.db"),
])
def test_the_flag_is_taken_by_every_command_and_its_error_is_chinese(livereply, tmp_path: Path,
                                                                     argv: tuple[str, ...]) -> None:
    done = livereply(*argv, cwd=tmp_path)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stderr.startswith("livereply：错误：") and "nope" in done.stderr, done.stderr


def test_a_bad_value_before_the_command_is_the_settings_error(livereply, tmp_path: Path) -> None:
    done = livereply("--ui-lang", "fr", "staff", "list", "--db", f"sqlite:///{tmp_path / 'shop.db'}", cwd=tmp_path)
    assert done.returncode == 2 and "--ui-lang must be auto, zh or en, got 'fr'" in done.stderr, done.stderr


# ------------------------------------------------------------------------------------ a command without what to do


@pytest.mark.parametrize(("argv", "zh", "en"), [
    ((), "livereply：错误：请指明要做什么：demo, run, login,",
     "livereply: error: say what to do: demo, run, login,"),
    (("staff",), ("livereply staff：错误：请指明要做什么：add, reset-password, list, deactivate, activate（例如 "
     "`livereply staff add`；`livereply staff -h` 查看每一项的说明）"),
     ("livereply staff: error: say what to do: add, reset-password, list, deactivate, activate (e.g. "
     "`livereply staff add`; `livereply staff -h` explains each)")),
    (("eval",), "livereply eval：错误：请指明要做什么：matching, pairs, intents, silence, catalog, replay",
     "livereply eval: error: say what to do: matching, pairs, intents, silence, catalog, replay"),
])
def test_a_command_alone_says_what_can_follow_it(livereply, tmp_path: Path, argv: tuple[str, ...], zh: str,
                                                 en: str) -> None:
    """Was "缺少必填参数：command" / "action" / "MODE": argparse's names, not words a staff member knows."""
    for ui, expected in (("zh", zh), ("en", en)):
        done = livereply(*argv, "--ui-lang", ui, cwd=tmp_path)
        last = done.stderr.strip().splitlines()[-1]
        assert done.returncode == 2 and last.startswith(expected), done.stderr
        assert "command" not in last and "action" not in last and "MODE" not in last, last


def test_a_missing_file_is_still_argparse_own_line(livereply, tmp_path: Path) -> None:
    done = livereply("catalog", "import", "--ui-lang", "zh", cwd=tmp_path)
    assert done.stderr.strip().splitlines()[-1] == "livereply catalog：错误：缺少必填参数：file", done.stderr
