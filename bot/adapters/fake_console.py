"""A local stand-in for a shop's live console, to try the browser path without a shop account (`livereply
fake-console`, data/platforms/fake-console.yaml). It is the page the tests drive (``fake_console.html``: the DOM
contract of douyin-web.yaml), served on 127.0.0.1:

    GET  /console          the console: comment list, comment box + send button, a form to post a viewer's comment;
                           ``?demo=1`` makes scripted viewers comment every few seconds (``&every=MS``)
    GET  /login            a login page with a "simulated QR code": its button opens /console (the logged-in page)
    POST /sent             the page reports each reply the bot sent (body: the text) — kept in :attr:`sent`
    GET  /sent             those replies, as a JSON list

Nothing here imitates a real platform's behaviour beyond that DOM contract (docs/platforms.md says what is verified).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Self

__all__ = ["DEFAULT_PORT", "LOGIN_HTML", "FakeConsole", "console_html"]

log = logging.getLogger(__name__)

DEFAULT_PORT = 8766  # data/platforms/fake-console.yaml points here

LOGIN_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>模拟登录 / fake login</title></head>
<body style="font-family: sans-serif; margin: 2em">
<h1>LiveReply 模拟中控台 · 登录 <small>fake console login</small></h1>
<div style="width: 160px; height: 160px; border: 8px solid #000; display: grid; place-items: center">模拟二维码</div>
<p>真实平台在这里显示二维码,用手机 App 扫码。/ A real platform shows its QR code here.</p>
<button id="scan" onclick="location.href='/console'">模拟扫码登录 / simulate the scan</button>
</body></html>"""

_MAX_BODY = 64 * 1024


def console_html() -> str:
    """The fake console page (also used by tests/test_browser_adapter.py)."""
    return resources.files("bot.adapters").joinpath("fake_console.html").read_text(encoding="utf-8")


class FakeConsole:
    """Serves the fake console on ``host:port`` (0 = any free port) in a background thread until :meth:`stop`."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, on_sent: Callable[[str], None] | None = None
    ) -> None:
        self.sent: list[str] = []
        self._lock = threading.Lock()
        self._on_sent = on_sent
        self._page = console_html().encode("utf-8")
        self._httpd = ThreadingHTTPServer((host, port), self._handler())
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def replies(self) -> list[str]:
        with self._lock:
            return list(self.sent)

    def start(self) -> Self:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fake-console", daemon=True)
        self._thread.start()
        log.info("fake console on %s/console", self.url)
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _record(self, text: str) -> None:
        with self._lock:
            self.sent.append(text)
        if self._on_sent is not None:
            self._on_sent(text)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        console = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path in ("/", "/console"):
                    self._reply(200, "text/html; charset=utf-8", console._page)
                elif path == "/login":
                    self._reply(200, "text/html; charset=utf-8", LOGIN_HTML.encode("utf-8"))
                elif path == "/sent":
                    body = json.dumps(console.replies(), ensure_ascii=False).encode("utf-8")
                    self._reply(200, "application/json; charset=utf-8", body)
                else:
                    self._reply(404, "text/plain; charset=utf-8", b"not found")

            def do_POST(self) -> None:
                if self.path != "/sent":
                    self._reply(404, "text/plain; charset=utf-8", b"not found")
                    return
                length = int(self.headers.get("Content-Length") or 0)
                if length > _MAX_BODY:
                    self._reply(413, "text/plain; charset=utf-8", b"too large")
                    return
                console._record(self.rfile.read(length).decode("utf-8", "replace"))
                self._reply(204, "text/plain; charset=utf-8", b"")

            def _reply(self, status: int, content_type: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler
