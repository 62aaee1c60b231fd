"""`livereply fake-console` + `--platform fake-console` (bot/adapters/fake_console.py, data/platforms/fake-console.yaml):
a shop's staff can try the browser path on their own computer, no shop account. The end-to-end test runs the real
`livereply run` (real model, real Chromium headless) against the fake console and checks the page's scripted viewers'
comments are read and the replies typed into the page's comment box and sent."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.adapters.browser import load_platform
from bot.adapters.fake_console import DEFAULT_PORT, FakeConsole

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return answer.read().decode("utf-8")


def test_the_fake_console_serves_the_page_the_login_and_records_replies():
    with FakeConsole(port=0) as console:
        page = _get(console.url + "/console?demo=1")
        assert 'id="comment-list-wrapper"' in page and "inputSuffix" in page and "goodsPanel" in page
        assert "模拟扫码登录" in _get(console.url + "/login")
        request = urllib.request.Request(console.url + "/sent", data="有的,还有货".encode(), method="POST")
        with urllib.request.urlopen(request, timeout=5) as answer:
            assert answer.status == 204
        assert console.replies() == ["有的,还有货"] and json.loads(_get(console.url + "/sent")) == ["有的,还有货"]


def test_the_platform_file_points_at_the_fake_console_and_needs_no_login():
    config = load_platform("fake-console")
    assert config.url == f"http://127.0.0.1:{DEFAULT_PORT}/console?demo=1" and not config.requires_login
    assert config.login_url == f"http://127.0.0.1:{DEFAULT_PORT}/login" and config.logged_in
    douyin = load_platform("douyin-web")
    assert config.selectors == douyin.selectors  # the page is douyin-web's DOM contract (what the tests drive)
    assert all(load_platform(name).requires_login for name in ("douyin-web", "taobao-web", "kuaishou-web"))


@pytest.mark.slow  # `livereply run` in a subprocess with the real model
@pytest.mark.browser
@pytest.mark.timeout(240)
def test_livereply_run_answers_the_fake_consoles_viewers_in_the_page(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}")
    with FakeConsole(port=0) as console:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LIVEREPLY_")}
        env.update(PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", OPENBLAS_NUM_THREADS="1")
        # a scripted comment every 2.5 s (the page's ?every=): about the platform's pace of one reply per 3 s, so
        # at Ctrl-C few replies wait to be posted (the run posts every one before it exits: "0 条未发出" below).
        # Every 1.5 s the run received all 9 comments by then and its exit waited ~18 s for 7 replies at 1 per 3 s.
        run = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run", "--platform", "fake-console",
             "--room", f"{console.url}/console?demo=1&every=2500", "--profile", str(tmp_path / "profile"),
             "--db", f"sqlite:///{tmp_path / 'shop.db'}", "--chromium", CHROMIUM, "--no-encoder-process"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            deadline = time.monotonic() + 180
            while len(console.replies()) < 3 and run.poll() is None and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(2.0)  # a moment for an echo of the last reply to come back through the page's list
            run.send_signal(signal.SIGINT)
            out, err = run.communicate(timeout=60)
        finally:
            if run.poll() is None:
                run.kill()
                run.wait()
        replies = console.replies()
    assert len(replies) >= 3, (replies, out, err)
    assert all(0 < len(text) <= 50 for text in replies), replies
    assert "轻便婴儿推车A1最大承重25公斤。" in replies, (replies, out)  # 小王: 推车承重多少 (the catalog's FAQ)
    assert "• fake-console 读取并回复 LiveReply 模拟中控台 的评论" in out, out
    assert "[ANSWER   ] 小王: 推车承重多少" in out and "主播:" not in out  # the bot's echoes are not comments
    [summary] = [line for line in out.splitlines() if line.startswith("收到 ")]
    assert "received" in summary and "0 条未发出" in summary, summary
    assert run.returncode == 0, err


def test_livereply_fake_console_prints_what_to_run_and_stops_on_ctrl_c(tmp_path):
    import socket

    with socket.socket() as probe:  # a free port (not the default: a developer may have one running)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "fake-console", "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        first, second = proc.stdout.readline(), proc.stdout.readline()
        assert first.startswith("模拟中控台已启动") and f"http://127.0.0.1:{port}/console?demo=1" in first, first
        assert "livereply run --platform fake-console" in second and f"--room http://127.0.0.1:{port}/console" in second
        assert "goodsPanel" in _get(f"http://127.0.0.1:{port}/console")
        again = subprocess.run(  # the same port again: one clear line, no traceback
            [sys.executable, "-m", "bot.cli", "fake-console", "--port", str(port)],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
        )
        assert again.returncode == 2 and again.stderr.startswith(f"livereply: error: 端口 {port} 无法使用"), again.stderr
        assert again.stderr.strip().count("\n") == 0
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0


def test_run_headed_without_a_display_says_so_before_loading_anything(tmp_path):
    """On a server (no DISPLAY) `--headed` used to load the model, then fail with "profile in use?"."""
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = str(ROOT)
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run", "--platform", "fake-console", "--headed",
         "--profile", str(tmp_path / "profile"), "--db", f"sqlite:///{tmp_path / 'x.db'}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 2, (run.returncode, run.stderr)
    assert "--headed 需要图形界面" in run.stderr and "DISPLAY" in run.stderr, run.stderr
    assert "资料目录" not in run.stderr  # not the misleading "profile in use?"
    assert "model" not in run.stdout and time.monotonic() - started < 30


def test_fake_console_suggests_headed_only_where_there_is_a_display(tmp_path):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for display, expect_headed in (("", False), (":0", True)):
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        env["PYTHONPATH"] = str(ROOT)
        if display:
            env["DISPLAY"] = display
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "fake-console", "--port", str(port)],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            assert proc.stdout is not None
            proc.stdout.readline()
            hint = proc.stdout.readline()
            assert "livereply run --platform fake-console" in hint, hint
            assert ("--headed" in hint) is expect_headed, (display, hint)
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=20)


def test_the_fake_console_gets_its_own_database_unless_one_is_named(monkeypatch):
    from bot.cli import FAKE_CONSOLE_DB, _run_settings, build_parser

    monkeypatch.delenv("LIVEREPLY_DB", raising=False)
    parse = build_parser().parse_args
    assert _run_settings(parse(["run", "--platform", "fake-console"])).db == FAKE_CONSOLE_DB
    assert _run_settings(parse(["run", "--platform", "fake-console", "--db", "sqlite:///x.db"])).db == "sqlite:///x.db"
    assert _run_settings(parse(["run", "--platform", "douyin-web"])).db != FAKE_CONSOLE_DB  # a shop's console: its own
    monkeypatch.setenv("LIVEREPLY_DB", "sqlite:///shop.db")
    assert _run_settings(parse(["run", "--platform", "fake-console"])).db == "sqlite:///shop.db"
