"""`livereply staff` says which database it worked on: the demo keeps its accounts in its own database, so an
account added without `--db` while the demo runs cannot sign in to the demo's console — the message must say where
the account went and where the demo's are."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import DEMO_DB

pytestmark = pytest.mark.console


def test_staff_add_and_list_name_the_database_and_point_at_the_demos(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LIVEREPLY_DB", raising=False)
    demo = tmp_path / DEMO_DB.removeprefix("sqlite:///")
    demo.parent.mkdir(parents=True)
    demo.touch()  # a demo ran here
    shop = f"sqlite:///{tmp_path / 'shop.db'}"

    assert main(["staff", "list", "--db", shop]) == 0
    out = capsys.readouterr().out
    assert "no staff accounts in " + shop in out and f"add --db {DEMO_DB}" in out

    assert main(["staff", "add", "小李", "--password", "xiaoli-pw-1", "--db", shop]) == 0
    out = capsys.readouterr().out
    assert "'小李' (editor) saved in " + shop in out and f"add --db {DEMO_DB}" in out

    assert main(["staff", "add", "小王", "--role", "viewer", "--password", "xiaowang-pw-1", "--db", DEMO_DB]) == 0
    out = capsys.readouterr().out
    assert f"'小王' (viewer) saved in {DEMO_DB}" in out and "the demo's accounts are in" not in out


def test_no_demo_hint_where_no_demo_ran(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LIVEREPLY_DB", raising=False)
    shop = f"sqlite:///{tmp_path / 'shop.db'}"
    assert main(["staff", "add", "ana", "--role", "admin", "--password", "ana-pw-12345", "--db", shop]) == 0
    out = capsys.readouterr().out
    assert "'ana' (admin) saved in " + shop in out and "demo's accounts" not in out
