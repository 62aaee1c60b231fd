"""`livereply console` on a new database whose catalog file is missing (a mistyped --catalog, or started outside the
project directory) starts with no products: it says so in one start line in the terminal's language, instead of
only the log's English warning."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _console_start(tmp_path: Path, ui: str, catalog: str) -> list[str]:
    """The start lines of `livereply console` (up to its address line), then Ctrl+C."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVEREPLY_")}
    env.update(PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", OPENBLAS_NUM_THREADS="1", LANG="C.UTF-8")
    console = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "console", "--ui-lang", ui, "--catalog", catalog,
         "--db", f"sqlite:///{tmp_path / 'shop.db'}", "--port", str(_free_port())],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lines: list[str] = []
    try:
        assert console.stdout is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = console.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if "http://127.0.0.1:" in line:
                break
        console.send_signal(signal.SIGINT)
        console.communicate(timeout=30)
    finally:
        if console.poll() is None:
            console.kill()
            console.wait()
    return lines


@pytest.mark.parametrize(("ui", "expected"), [
    ("zh", "• 商品目录   数据库里还没有商品，也找不到可导入的商品目录文件 nope.yaml：后台以空的商品目录启动"),
    ("en", ("• catalog    no products in the database and no catalog file nope.yaml to import: the console starts "
            "with an empty catalog")),
])
def test_a_missing_catalog_file_on_a_new_database_is_said_in_one_line(tmp_path: Path, ui: str, expected: str) -> None:
    lines = _console_start(tmp_path, ui, "nope.yaml")
    said = [line for line in lines if "nope.yaml" in line]
    assert len(said) == 1 and said[0].startswith(expected), lines
    assert any("http://127.0.0.1:" in line for line in lines), lines


def test_a_catalog_file_that_exists_is_imported_as_before(tmp_path: Path) -> None:
    lines = _console_start(tmp_path, "en", "data/catalog.yaml")
    imported = "• catalog    the new database had no products: imported data/catalog.yaml"
    assert any(line.startswith(imported) for line in lines), lines
    assert not any("empty catalog" in line for line in lines), lines
