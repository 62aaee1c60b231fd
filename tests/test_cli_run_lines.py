"""What `livereply run` tells the person starting it, in the terminal's language (the new-user walkthrough): where the
staff console is and how to open it; and, when the room cannot be reached, one clear line (and one when it is back)
instead of relying on the English reconnect warnings, which are rate-limited."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main

NO_INTENTS = "/no/such/intents.yaml"  # `run` stops at its first loading step: what it said before that is the start


def _start_of_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str):
    monkeypatch.chdir(tmp_path)
    for var in ("LIVEREPLY_DB", "LIVEREPLY_CONSOLE_HOST", "LIVEREPLY_UI_LANG"):
        monkeypatch.delenv(var, raising=False)
    code = main(["run", *argv, "--intents", NO_INTENTS, "--no-encoder-process"])
    out, err = capsys.readouterr()
    assert code == 2 and "intent" in err
    return out.splitlines()


def _console_line(lines: list[str]) -> str:
    found = [line for line in lines if "livereply console" in line]
    assert len(found) == 1, lines
    return found[0]


def test_run_says_how_to_open_the_staff_console_in_chinese(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.delenv("LIVEREPLY_CONSOLE_PORT", raising=False)
    line = _console_line(_start_of_run(tmp_path, monkeypatch, capsys, "--ui-lang", "zh"))
    assert line.startswith("• 员工后台") and "另开一个终端" in line
    assert "`livereply console`" in line and "http://127.0.0.1:8080" in line  # the default database: no --db needed


def test_run_says_how_to_open_the_staff_console_in_english_with_its_database(tmp_path, monkeypatch, capsys) -> None:
    db = f"sqlite:///{tmp_path / 'shop.db'}"
    monkeypatch.setenv("LIVEREPLY_CONSOLE_PORT", "8099")  # `console` reads it too: the address it will listen on
    line = _console_line(_start_of_run(tmp_path, monkeypatch, capsys, "--ui-lang", "en", "--db", db))
    assert line.startswith("• console") and "staff console" in line
    assert f"`livereply console --db {db}`" in line and "http://127.0.0.1:8099" in line


def test_the_console_line_never_shows_a_database_password(tmp_path, monkeypatch, capsys) -> None:
    line = _console_line(_start_of_run(tmp_path, monkeypatch, capsys, "--ui-lang", "en",
                                       "--db", "postgresql://shop:s3cret@db.example/live"))
    assert "s3cret" not in line and "--db postgresql://shop:***@db.example/live" in line
