"""`livereply login` (bot/adapters/browser.py ``login`` / ``wait_for_login``, bot/cli.py ``cmd_login``) against local
login pages in real Chromium. The login window is headed in real use; here Chromium's own ``--headless`` flag (in
BROWSER_ARGS, as in tests/test_browser_adapter.py) keeps it off-screen, so no display or Xvfb is needed. "The person
closes the window" is done through Chromium's DevTools endpoint (``/json/close/<target>``, the port Chromium writes to
the profile's DevToolsActivePort): the page goes away exactly as when its window is closed.

The bug these pin: a person who closed the window WITHOUT logging in still got the profile marked as logged in
(``login`` returned "the window was closed" as success), so `livereply run` then opened a logged-out console."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import bot.adapters.browser as browser
from bot.adapters.browser import LoginOutcome, PlatformConfig, load_platform, logged_in_platforms

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

CHROMIUM = "/usr/bin/chromium"
ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--remote-debugging-port=0")

# /login: the QR code page, never logged in. /login-ok: the "scan" succeeds after a moment and the console's
# logged_in element (douyin-web.yaml: [class^="goodsPanel"]) shows, as after the redirect to 直播中控台.
LOGIN = """<!doctype html><html><head><meta charset="utf-8"><title>登录</title></head><body>
<div class="qrcode">请用抖音 App 扫码登录</div>
<script>
if (location.pathname === '/login-ok') setTimeout(() => {
  document.body.innerHTML = '<div class="goodsPanel-a1">直播中控台</div>';
}, 700);
</script></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = LOGIN.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def _headless_chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}")
    monkeypatch.setattr(browser, "BROWSER_ARGS", ARGS)
    monkeypatch.setenv("DISPLAY", ":0")  # login checks for a display; the window is headless anyway (--headless)


def _config(server: str, path: str, **changes: object) -> PlatformConfig:
    return dataclasses.replace(load_platform("douyin-web"), login_url=server + path, **changes)  # type: ignore[arg-type]


class _Closer:
    """Closes the login window (its page target) once it shows ``url``, after ``delay_s`` — a person giving up."""

    def __init__(self, profile: Path, url: str, delay_s: float = 0.8) -> None:
        self.profile, self.url, self.delay_s = profile, url, delay_s
        self.closed_at: float | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            port_file = self.profile / "DevToolsActivePort"
            try:
                port = port_file.read_text().split()[0]
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as answer:
                    targets = json.load(answer)
            except (OSError, IndexError, ValueError):
                time.sleep(0.05)
                continue
            pages = [t for t in targets if t.get("type") == "page" and t.get("url") == self.url]
            if pages:
                time.sleep(self.delay_s)
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/close/{pages[0]['id']}", timeout=5):
                    self.closed_at = time.monotonic()
                return
            time.sleep(0.05)


def test_closing_the_window_before_the_console_showed_is_not_a_login(tmp_path, server):
    """The bug: the old ``login`` returned True ("the window was closed") and the CLI marked the profile."""
    profile = tmp_path / "profile"
    config = _config(server, "/login")
    said: list[str] = []
    closer = _Closer(profile, server + "/login")
    started = time.monotonic()
    outcome = asyncio.run(browser.login(config, profile, executable_path=CHROMIUM, timeout_s=30, say=said.append))
    assert outcome is LoginOutcome.CLOSED and not outcome and not outcome.completed
    assert closer.closed_at is not None and time.monotonic() - started < 20  # it ended on the close, not the timeout
    assert said and said[0].startswith(config.title) and not any("已登录" in line for line in said), said
    assert not logged_in_platforms(profile)


def test_the_console_showing_is_a_login(tmp_path, server):
    profile = tmp_path / "profile"
    said: list[str] = []
    outcome = asyncio.run(
        browser.login(_config(server, "/login-ok"), profile, executable_path=CHROMIUM, timeout_s=30, say=said.append)
    )
    assert outcome is LoginOutcome.CONFIRMED and outcome
    assert said[-1] == f"已登录,登录状态保存在 {profile} / logged in: the session is kept in {profile}"


def test_without_a_logged_in_selector_closing_the_window_is_taken_as_done(tmp_path, server):
    """A platform file without `logged_in` gives nothing to check: the person's word (the closed window) counts."""
    profile = tmp_path / "profile"
    _Closer(profile, server + "/login")
    outcome = asyncio.run(
        browser.login(
            _config(server, "/login", logged_in=None), profile, executable_path=CHROMIUM, timeout_s=30, say=lambda _: None
        )
    )
    assert outcome is LoginOutcome.TRUSTED and outcome


def test_nothing_shows_and_nothing_is_closed_is_a_timeout(tmp_path, server):
    outcome = asyncio.run(
        browser.login(_config(server, "/login"), tmp_path / "p", executable_path=CHROMIUM, timeout_s=2, say=lambda _: None)
    )
    assert outcome is LoginOutcome.TIMEOUT and not outcome


def _cli_login(monkeypatch: pytest.MonkeyPatch, server: str, path: str, profile: Path, *extra: str) -> int:
    from bot.cli import main

    real = browser.load_platform
    monkeypatch.setattr(browser, "load_platform", lambda name: dataclasses.replace(real(name), login_url=server + path))
    return main(["login", "--platform", "douyin-web", "--profile", str(profile), "--chromium", CHROMIUM, *extra])


def test_livereply_login_says_the_login_was_not_completed_and_marks_nothing(tmp_path, server, monkeypatch, capsys):
    profile = tmp_path / "profile"
    _Closer(profile, server + "/login")
    assert _cli_login(monkeypatch, server, "/login", profile, "--timeout", "30") == 2
    out, err = capsys.readouterr()
    [line] = err.strip().splitlines()
    assert line.startswith("livereply: error: 登录未完成:窗口在 抖音 巨量百应 直播中控台 页面出现之前被关闭"), line
    assert "未标记为已登录" in line and "login not completed" in line and "was not marked as logged in" in line
    assert not logged_in_platforms(profile) and not (profile / browser.LOGIN_MARK).exists()
    assert "已就绪" not in out and "is ready" not in out


def test_livereply_login_marks_the_profile_once_the_console_showed(tmp_path, server, monkeypatch, capsys):
    profile = tmp_path / "profile"
    assert _cli_login(monkeypatch, server, "/login-ok", profile, "--timeout", "30") == 0
    out = capsys.readouterr().out
    assert "已登录" in out and f"资料目录 {profile} 已就绪" in out
    assert logged_in_platforms(profile) == {"douyin-web"}


def test_livereply_login_timeout_marks_nothing(tmp_path, server, monkeypatch, capsys):
    profile = tmp_path / "profile"
    assert _cli_login(monkeypatch, server, "/login", profile, "--timeout", "2") == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert "登录未完成:2 秒内未登录" in line and "not logged in within 2 s" in line
    assert not logged_in_platforms(profile)
