"""The console app and how it is started.

    app = create_app(store, settings, runtime=None)          # a Starlette app (tests use TestClient)
    handle = start_console_thread(store, settings, runtime)   # uvicorn in a daemon thread (`livereply demo`)
    print(handle.url, handle.demo_login); handle.stop()
    serve_console(settings)                                   # blocking (`livereply console`)
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import uvicorn
from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.config import Settings
from bot.console.auth import Authenticator, DemoAdmin, LoginRateLimiter, ensure_demo_admin
from bot.console.editing import CatalogEditor
from bot.console.errors import HANDLERS as ERROR_HANDLERS
from bot.console.i18n import LanguageMiddleware
from bot.console.proxies import TrustedProxies
from bot.console.uploads import FORM_OVERHEAD_BYTES, BodyLimit
from bot.console.views import routes
from bot.console.web import DEFAULT_MAX_UPLOAD_BYTES, HERE, ConsoleContext, RuntimeSlot, make_templates
from catalog.accounts import Accounts
from catalog.snapshot import CatalogSnapshot

__all__ = ["ConsoleHandle", "PortInUse", "create_app", "serve_console", "start_console_thread"]

log = logging.getLogger(__name__)

DEMO_USER = "staff"
PASSWORD_ENV = "LIVEREPLY_STAFF_PASSWORD"
DEFAULT_DB: str = str(Settings().db)  # a reset hint names any other --db

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    # everything is served from here: no CDN, no inline script; inline styles only in SVG attributes
    (
        b"content-security-policy",
        (
            b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            b"script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        ),
    ),
]


class SecurityHeaders:
    """Pure ASGI middleware adding the headers above to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def is_loopback(host: str) -> bool:
    """127.0.0.1, ::1, localhost: only this machine can connect."""
    name = host.strip().strip("[]").lower()
    if name in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def cookies_secure(settings: Any) -> bool:
    """The `secure_cookies` setting; when unset (auto): on unless the console is bound to a loopback address."""
    explicit = getattr(settings, "secure_cookies", None)
    if explicit is not None:
        return bool(explicit)
    return not is_loopback(str(getattr(settings, "console_host", "127.0.0.1")))


def create_app(
    store: Any,
    settings: Any,
    runtime: Any = None,
    *,
    runtime_factory: Any = None,
    login_max_failures: int = 5,
    login_window_s: float = 300.0,
    secure_cookies: bool | None = None,
) -> Starlette:
    """The console as a Starlette app over `store`. `runtime` (bot.bootstrap.Runtime) powers "try a question"
    and embedding-based review grouping; `runtime_factory` builds one lazily instead (first use, background).

    Security settings come from `settings` (`trusted_proxies`, `secure_cookies`, `max_upload_bytes`; docs/console.md);
    `secure_cookies` given here overrides the setting. A bad `trusted_proxies` entry raises ValueError.
    """
    accounts = Accounts(store)
    secure = cookies_secure(settings) if secure_cookies is None else secure_cookies
    proxies = TrustedProxies.parse(getattr(settings, "trusted_proxies", ""))
    max_upload = int(getattr(settings, "max_upload_bytes", DEFAULT_MAX_UPLOAD_BYTES))
    ctx = ConsoleContext(
        store=store,
        settings=settings,
        accounts=accounts,
        auth=Authenticator(accounts, LoginRateLimiter(login_max_failures, login_window_s)),
        editor=CatalogEditor(store, accounts, check_words=bool(getattr(settings, "banned_words", ""))),
        templates=make_templates(),
        runtime=RuntimeSlot(runtime, runtime_factory),
        secure_cookies=secure,
        trusted_proxies=proxies,
        max_upload_bytes=max_upload,
    )
    app = Starlette(
        routes=[*routes(), Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static")],
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(LanguageMiddleware),
            Middleware(BodyLimit, max_body_bytes=max_upload + FORM_OVERHEAD_BYTES, shown_limit=max_upload),
        ],
        exception_handlers=ERROR_HANDLERS,  # error pages in the staff member's language (bot/console/errors.py)
    )
    log.info("console: secure cookies %s, trusted proxies %s, uploads up to %d bytes",
             "on" if secure else "off", getattr(settings, "trusted_proxies", "") or "none", max_upload)
    app.state.console = ctx
    return app


@dataclass
class ConsoleHandle:
    url: str
    demo_login: str  # "staff / <password>" on the start that created the admin, else how to reset it
    server: uvicorn.Server
    thread: threading.Thread
    app: Starlette
    admin: DemoAdmin | None = None

    def stop(self, timeout: float = 5.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)


class PortInUse(RuntimeError):
    """The console's port is taken: `address` is "host:port" (the demo says it in the terminal's language)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__(f"cannot start the console: {address} is already in use (use --console-port)")


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _serve_in_thread(
    app: Starlette, host: str, port: int, startup_timeout: float
) -> tuple[uvicorn.Server, threading.Thread, str]:
    """uvicorn serving `app` in a daemon thread; returns once it listens. RuntimeError when it does not come up."""
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, lifespan="off",
                            proxy_headers=False)  # X-Forwarded-For is handled by the app (trusted_proxies)
    server = uvicorn.Server(config)  # off the main thread uvicorn (>= 0.29) installs no signal handlers

    def run() -> None:
        try:
            asyncio.run(server.serve())
        except SystemExit as exc:  # uvicorn's way of saying it could not bind: the caller raises RuntimeError
            log.error("console on %s:%s stopped at startup (uvicorn exit %s)", host, port, exc.code)

    thread = threading.Thread(target=run, name="livereply-console", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            thread.join(2.0)
            raise RuntimeError(f"the console did not start on {host}:{port}")
        time.sleep(0.02)
    bound = port
    for srv in getattr(server, "servers", []):
        for sock in srv.sockets:
            bound = sock.getsockname()[1]
            break
    return server, thread, f"http://{host}:{bound}"


def _admin_after_start(store: Any, server: uvicorn.Server, thread: threading.Thread, db: str = DEFAULT_DB) -> DemoAdmin:
    """The demo admin, made once the console listens, so a start that fails creates no account; should making
    it fail, the server is stopped again. Its reset hint names `db` unless it is the default database."""
    try:
        admin = ensure_demo_admin(store, os.environ.get(PASSWORD_ENV) or None, DEMO_USER)
        if db == DEFAULT_DB:
            return admin
        return replace(admin, db_flag=f" --db {make_url(db).render_as_string(hide_password=True)}")
    except BaseException:
        server.should_exit = True
        thread.join(5.0)
        raise


def start_console_thread(store: Any, settings: Any, runtime: Any = None, *, startup_timeout: float = 10.0) -> ConsoleHandle:
    """Serve the console with uvicorn in a daemon thread on settings.console_host:console_port.

    Once it listens, makes sure the admin account "staff" exists: created on the first start (password from
    $LIVEREPLY_STAFF_PASSWORD, else random, shown once in `demo_login`), kept as it is on later starts.
    Raises PortInUse (a RuntimeError) when the port is taken, RuntimeError when the server does not come up (no
    account is created then).
    """
    host, port = settings.console_host, int(settings.console_port)
    if port and not _port_free(host, port):
        raise PortInUse(f"{host}:{port}")
    app = create_app(store, settings, runtime)
    server, thread, url = _serve_in_thread(app, host, port, startup_timeout)
    admin = _admin_after_start(store, server, thread, str(settings.db))
    log.info("console listening on %s", url)
    return ConsoleHandle(url=url, demo_login=admin.login_hint, server=server, thread=thread, app=app, admin=admin)


def serve_console(
    settings: Any,
    announce: Callable[[str, DemoAdmin], None] | None = None,
    imported: Callable[[CatalogSnapshot], None] | None = None,
    empty: Callable[[], None] | None = None,
) -> None:
    """`livereply console`: open the store (importing the catalog if empty) and serve until Ctrl+C.

    The bot runtime for "try a question" is built in the background on first use (loading the model takes
    a few seconds); the rest of the console works meanwhile. The admin "staff" is made as in start_console_thread.
    Once it listens, `announce(url, admin)` tells the staff where and how to sign in (the CLI says it in the
    terminal's language); without it an English line goes to stdout. A new database (no products) is filled from the
    catalog file (``settings.catalog``) first; `imported(snapshot)` is told so (the CLI says it, before the address),
    and `empty()` when there is no such file and the console starts with no products.
    """
    from bot.bootstrap import build_runtime, ensure_catalog, open_store

    store = open_store(settings)
    if ensure_catalog(store, settings):
        if imported is not None:
            imported(store.snapshot())
        else:
            log.warning("the database had no products: imported %s", settings.catalog)
    elif empty is not None and not store.snapshot().products:
        empty()
    host, port = settings.console_host, int(settings.console_port)
    if port and not _port_free(host, port):
        raise OSError(errno.EADDRINUSE, f"{host}:{port}")  # the CLI says "address already in use (host:port)"
    app = create_app(store, settings, runtime_factory=lambda: build_runtime(settings, store=store))
    server, thread, url = _serve_in_thread(app, host, port, 10.0)
    admin = _admin_after_start(store, server, thread, str(settings.db))
    app.state.console.runtime.start()
    if announce is not None:
        announce(url, admin)
    else:
        login = f"login: {admin.login_hint}" if admin.created else admin.login_hint
        sys.stdout.write(f"LiveReply staff console on {url}  ({login})\n")
        sys.stdout.flush()
    try:
        while thread.is_alive():
            thread.join(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.should_exit = True
        thread.join(5.0)
