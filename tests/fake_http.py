"""A tiny HTTP/1.1 server on 127.0.0.1 for the platform API fakes (Bilibili, YouTube): no framework, same event loop.

    async with FakeHTTPServer(handler) as server:      # handler(request) -> FakeResponse (or a coroutine of one)
        poster = BilibiliPoster(..., base_url=server.url)
        ...
    server.requests                                     # every request, with its arrival time (time.monotonic())

Keep-alive, Content-Length bodies only (what httpx sends for forms and JSON). Not a general server: just enough to
see exactly what the adapters put on the wire and to answer with any status, headers and body.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

__all__ = ["FakeHTTPServer", "FakeRequest", "FakeResponse", "html", "json_response"]


@dataclass(frozen=True, slots=True)
class FakeRequest:
    method: str
    target: str  # path with query string
    headers: dict[str, str]  # lower-case names
    body: bytes
    at: float  # time.monotonic() when the request (headers and body) had fully arrived

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.target).query, keep_blank_values=True).items()}

    @property
    def form(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(self.body.decode(), keep_blank_values=True).items()}

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(slots=True)
class FakeResponse:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering


def json_response(obj: Any, status: int = 200) -> FakeResponse:
    return FakeResponse(status, json.dumps(obj, ensure_ascii=False).encode(), {"Content-Type": "application/json; charset=utf-8"})


def html(status: int = 200, text: str = "<!DOCTYPE html><html><body>Please log in</body></html>") -> FakeResponse:
    return FakeResponse(status, text.encode(), {"Content-Type": "text/html; charset=utf-8"})


Handler = Callable[[FakeRequest], FakeResponse | Awaitable[FakeResponse]]

_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    412: "Precondition Failed",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class FakeHTTPServer:
    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[FakeRequest] = []
        self._server: asyncio.Server | None = None
        self._conns: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}"

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()  # a connection waiting for its next request sees EOF and ends normally
        _done, pending = await asyncio.wait(self._conns, timeout=1.0) if self._conns else (set(), set())
        for task in pending:  # stuck in a slow handler: cut off
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._conns.add(task)
        self._writers.add(writer)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, target, _version = lines[0].split(" ", 2)
                headers: dict[str, str] = {}
                for line in lines[1:]:
                    if line:
                        name, _, value = line.partition(":")
                        headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                request = FakeRequest(method, target, headers, body, time.monotonic())
                self.requests.append(request)
                answer = self.handler(request)
                response = await answer if inspect.isawaitable(answer) else answer
                if response.delay:
                    try:
                        await asyncio.sleep(response.delay)
                    except asyncio.CancelledError:  # the server is shutting down: drop this answer quietly
                        return
                out = {"Content-Length": str(len(response.body)), "Connection": "keep-alive", **response.headers}
                status_line = f"HTTP/1.1 {response.status} {_REASONS.get(response.status, 'Status')}\r\n"
                writer.write((status_line + "".join(f"{k}: {v}\r\n" for k, v in out.items()) + "\r\n").encode("latin-1"))
                writer.write(response.body)
                await writer.drain()
        finally:
            self._conns.discard(task)
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
