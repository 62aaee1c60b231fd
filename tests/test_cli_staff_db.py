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

    assert main(["staff", "list", "--db", shop]) == 0  # shop.db does not exist yet: not created by a list
    out = capsys.readouterr().out
    assert f"the database {shop} does not exist yet: no staff accounts" in out and f"add --db {DEMO_DB}" in out

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


def test_a_too_short_staff_password_variable_is_one_clear_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`LIVEREPLY_STAFF_PASSWORD=x livereply console` on a new database: refused with the variable named (was a
    traceback from the server's start). A database whose admin already exists keeps it: the variable's rules do not
    apply to it (it was a traceback there too)."""
    from bot.console.auth import ensure_demo_admin
    from catalog.store import CatalogStore
    from tests.live_bot import free_port

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LIVEREPLY_STAFF_PASSWORD", "x")
    monkeypatch.setenv("LIVEREPLY_UI_LANG", "en")
    db = f"sqlite:///{tmp_path / 'shop.db'}"
    assert main(["console", "--db", db, "--console-port", str(free_port())]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [("livereply: error: the console did not start: LIVEREPLY_STAFF_PASSWORD must have at least 8 "
                    "characters (or leave it unset: a password is generated and shown once)")], err

    with CatalogStore(db) as store:
        first = ensure_demo_admin(store, "a-good-password")
        again = ensure_demo_admin(store, "x")  # the account exists: kept, the short variable is only noted
    assert first.created and not again.created and "not $LIVEREPLY_STAFF_PASSWORD" in again.note


ROOT = Path(__file__).resolve().parents[1]


def test_staff_list_never_creates_the_default_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`staff list` without --db created an empty var/livereply.db (a new user meant the demo's): a list reads, so a
    database that does not exist yet is said, and left uncreated (as `catalog export` does)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LIVEREPLY_DB", raising=False)
    monkeypatch.setenv("LIVEREPLY_UI_LANG", "en")
    demo = tmp_path / DEMO_DB.removeprefix("sqlite:///")
    demo.parent.mkdir(parents=True)
    demo.touch()  # a demo ran here
    assert main(["staff", "list"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == ("the database sqlite:///var/livereply.db does not exist yet: no staff accounts (livereply staff add "
                   f"NAME --role admin creates it) (the demo's accounts are in {DEMO_DB}: add --db {DEMO_DB})"), out
    assert not (tmp_path / "var" / "livereply.db").exists()

    monkeypatch.setenv("LIVEREPLY_UI_LANG", "zh")
    assert main(["staff", "list"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("数据库 sqlite:///var/livereply.db 还不存在：没有员工账号"), out
    assert not (tmp_path / "var" / "livereply.db").exists()


def test_catalog_import_says_which_database_it_wrote_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`catalog import` on the default path quietly created var/livereply.db: its one line names the database, and
    says when it was created just now (with where the demo's catalog is, when a demo ran here)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LIVEREPLY_DB", raising=False)
    monkeypatch.setenv("LIVEREPLY_UI_LANG", "en")
    demo = tmp_path / DEMO_DB.removeprefix("sqlite:///")
    demo.parent.mkdir(parents=True)
    demo.touch()
    catalog = str(ROOT / "data" / "catalog.yaml")
    assert main(["catalog", "import", catalog, "--banned-words", "", "--moderation", ""]) == 0
    out = capsys.readouterr().out.strip().splitlines()  # then the warning on its global FAQs (tests/test_faq_product_warning.py)
    assert out[0].startswith(f"imported {catalog} into sqlite:///var/livereply.db: "), out
    assert out[0].endswith(f" — a new database, created now (the demo's catalog is in {DEMO_DB}: add --db {DEMO_DB})")

    monkeypatch.setenv("LIVEREPLY_UI_LANG", "zh")
    assert main(["catalog", "import", catalog, "--banned-words", "", "--moderation", ""]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert "sqlite:///var/livereply.db" in out[0] and "新建" not in out[0] and "已把" in out[0], out


def test_roles_are_said_in_chinese_as_the_console_says_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """员工账号 '小李'（编辑）, never （editor） in a Chinese terminal: the console's words (编辑 / 管理员 / 只读)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LIVEREPLY_DB", raising=False)
    shop = f"sqlite:///{tmp_path / 'shop.db'}"
    monkeypatch.setenv("LIVEREPLY_UI_LANG", "zh")
    zh = ["--db", shop]
    assert main(["staff", "add", "小李", "--password", "xiaoli-pw-1", *zh]) == 0
    assert "员工账号 '小李'（编辑）已保存" in capsys.readouterr().out
    assert main(["staff", "add", "老板", "--role", "admin", "--password", "laoban-pw-1", *zh]) == 0
    assert "'老板'（管理员）" in capsys.readouterr().out
    assert main(["staff", "add", "看看", "--role", "viewer", "--password", "kankan-pw-1", *zh]) == 0
    assert "'看看'（只读）" in capsys.readouterr().out
    assert main(["staff", "list", *zh]) == 0
    listed = capsys.readouterr().out
    assert "编辑" in listed and "管理员" in listed and "只读" in listed and "editor" not in listed
    assert main(["staff", "deactivate", "小李", *zh]) == 0
    assert "员工账号 '小李'（编辑）已停用" in capsys.readouterr().out
    monkeypatch.setenv("LIVEREPLY_UI_LANG", "en")
    assert main(["staff", "add", "ana", "--password", "ana-pw-12345", "--db", shop]) == 0
    assert "'ana' (editor) saved" in capsys.readouterr().out  # English stays the role's own word
