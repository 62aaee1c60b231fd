"""Request plumbing shared by the views: the console context, sessions, role checks, CSRF, rendering.

Every view is declared with `@endpoint(role, write=...)`:
  - no valid session → redirect to /login (pages) or 401 JSON (/api/*)
  - a POST must carry the session's CSRF token (form field or X-CSRF-Token header) → else 403
  - the staff member's role must be at least `role` (viewer < editor < admin) → else 403
  - an uploaded file needs a plain file name (→ else 400) and at most `max_upload_bytes` (→ else 413)
The view itself is a plain function run in a worker thread (the store is synchronous).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import threading
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import pass_context
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from bot.console import csrf, i18n, reasons
from bot.console.auth import Authenticator, has_role
from bot.console.editing import Actor, CatalogEditor
from bot.console.faq_labels import faq_choice, faq_label, faq_named, faq_tag
from bot.console.i18n import gettext as _
from bot.console.intent_labels import intent_descriptions, intent_label, intent_tag
from bot.console.lang_names import lang_name
from bot.console.product_labels import product_choice, product_label, product_tag
from bot.console.proxies import TrustedProxies
from bot.console.review import wording_key
from bot.console.room_langs import main_option_words, policy_words
from bot.console.uploads import UploadRejected, check_uploads
from catalog import rules as catalog_rules
from catalog.accounts import Accounts, SessionInfo

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "lr_session"
DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ERROR_CHARS = 500  # error messages shown to staff are cut here (an import error may quote a huge value)

View = Callable[..., Response]


class RuntimeSlot:
    """The bot runtime used by "try a question" and review grouping: given, or built lazily in the background."""

    def __init__(self, runtime: Any = None, factory: Callable[[], Any] | None = None) -> None:
        self._runtime = runtime
        self._factory = factory
        self.error: str | None = None
        self._lock = threading.Lock()
        self._reload_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def status(self) -> str:
        if self._runtime is not None:
            return "ready"
        if self.error:
            return f"error: {self.error}"
        if self._factory is None:
            return "unavailable"
        return "loading"

    def start(self) -> None:
        with self._lock:
            if self._runtime is not None or self._factory is None or self._thread is not None:
                return
            self._thread = threading.Thread(target=self._build, name="console-runtime", daemon=True)
            self._thread.start()

    def _build(self) -> None:
        try:
            assert self._factory is not None
            runtime = self._factory()
        except Exception as exc:  # shown on the page; the console keeps working without it
            log.exception("could not build the bot runtime for the console")
            self.error = str(exc) or type(exc).__name__
            return
        self._runtime = runtime

    def get(self) -> Any:
        """The runtime if ready (starting the background build on first use), else None."""
        if self._runtime is None:
            self.start()
        return self._runtime

    def wait(self, timeout: float | None = None) -> Any:
        self.start()
        if self._thread is not None:
            self._thread.join(timeout)
        return self._runtime

    def fresh_engine(self) -> Any:
        """The engine, reloaded first when the catalog changed since its state was built.

        Whether the runtime is the console's own or a bot's handed to it (`livereply demo --keep-console`: once the
        replay ends, no live loop reloads it any more), "try a question" answers from the current catalog. With a
        live loop polling too, the engine's own lock makes one of them build the state and the other find it done."""
        runtime = self.get()
        if runtime is None:
            return None
        with self._reload_lock:
            runtime.engine.reload_if_changed()
        return runtime.engine


@dataclass
class ConsoleContext:
    store: Any
    settings: Any
    accounts: Accounts
    auth: Authenticator
    editor: CatalogEditor
    templates: Jinja2Templates
    runtime: RuntimeSlot
    secure_cookies: bool = False
    trusted_proxies: TrustedProxies = field(default_factory=TrustedProxies)
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    stats_cache: dict[str, Any] = field(default_factory=dict)


def context(request: Request) -> ConsoleContext:
    return request.app.state.console


def client_ip(request: Request) -> str | None:
    """The client's address: the TCP peer, or what a trusted proxy says in X-Forwarded-For (see proxies.py)."""
    peer = request.client.host if request.client else None
    return context(request).trusted_proxies.client_address(peer, request.headers.getlist("x-forwarded-for"))


def short_error(message: str, limit: int = MAX_ERROR_CHARS) -> str:
    """`message` cut to about `limit` characters, saying how much was left out."""
    if len(message) <= limit:
        return message
    return _("%(text)s … (%(n)d more characters not shown)") % {"text": message[:limit].rstrip(), "n": len(message) - limit}


def current_session(request: Request) -> SessionInfo | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    return context(request).accounts.session(token)


def actor(request: Request) -> Actor:
    session: SessionInfo = request.state.session
    return Actor(username=session.user.username, role=session.user.role, ip=client_ip(request))


def render(request: Request, template: str, values: Mapping[str, Any] | None = None, status_code: int = 200) -> Response:
    session: SessionInfo | None = getattr(request.state, "session", None)
    data = {
        "user": session.user if session else None,
        "csrf_token": session.csrf_token if session else getattr(request.state, "anon_csrf", ""),
        "can_edit": bool(session and has_role(session.user.role, "editor")),
        "is_admin": bool(session and has_role(session.user.role, "admin")),
        "flash": _signed_message(request, "ok"),
        "flash_error": _signed_message(request, "error"),
        "path": request.url.path,
        "runtime_status": context(request).runtime.status,
    }
    data.update(values or {})
    return context(request).templates.TemplateResponse(request, template, data, status_code=status_code)


# The banner after a redirect ("Saved", "Deleted X") travels in the URL. It is signed with a key of this process, so
# a link someone else wrote (/products?ok=请加微信领退款) shows no banner: only messages the console itself set.
_FLASH_KEY = secrets.token_bytes(32)


def _flash_signature(kind: str, message: str) -> str:
    return hmac.new(_FLASH_KEY, f"{kind}\n{message}".encode(), hashlib.sha256).hexdigest()[:32]


def _signed_message(request: Request, kind: str) -> str | None:
    message = request.query_params.get(kind)
    signature = request.query_params.get("sig", "")
    if message and hmac.compare_digest(signature, _flash_signature(kind, message)):
        return message
    return None


def redirect(path: str, *, ok: str | None = None, error: str | None = None) -> RedirectResponse:
    sep = "&" if "?" in path else "?"
    kind, message = ("ok", ok) if ok else ("error", error)
    if message:
        path += f"{sep}{kind}={quote(message)}&sig={_flash_signature(kind, message)}"
    return RedirectResponse(path, status_code=303)


def refuse(request: Request, status_code: int, title: str, why: str) -> Response:
    if request.url.path.startswith("/api/") or request.headers.get("accept", "").startswith("application/json"):
        return JSONResponse({"error": why}, status_code=status_code)
    return render(request, "error.html", {"title": title, "message": why}, status_code=status_code)


def forbidden(request: Request, why: str) -> Response:
    return refuse(request, 403, _("Forbidden"), why)


def endpoint(role: str = "viewer", *, write: bool = False) -> Callable[[View], Callable[[Request], Awaitable[Response]]]:
    """Wrap a synchronous view with session, CSRF (for POST) and role checks. `write` views get the form."""

    def wrap(view: View) -> Callable[[Request], Awaitable[Response]]:
        async def handler(request: Request) -> Response:
            session = await run_in_threadpool(current_session, request)
            if session is None:
                if request.url.path.startswith("/api/"):
                    return JSONResponse({"error": _("not signed in")}, status_code=401)
                return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
            request.state.session = session
            form: FormData | None = None
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                form = await request.form(max_files=2, max_fields=200, max_part_size=8 * 1024 * 1024)
                try:
                    csrf.check(session.csrf_token, csrf.submitted_token(form, request.headers))
                except csrf.CsrfError as exc:
                    log.warning("%s %s by %s refused: %s", request.method, request.url.path, session.user.username, exc)
                    return forbidden(request, _("Request refused: %(why)s. Reload the page and try again.") % {"why": exc})
            if not has_role(session.user.role, role):
                return forbidden(request, _("This needs the %(role)s role; you are signed in as %(yours)s.")
                                 % {"role": _(role), "yours": _(session.user.role)})
            if form is not None:
                try:
                    check_uploads(form.multi_items(), context(request).max_upload_bytes)
                except UploadRejected as exc:
                    log.warning("%s %s by %s refused: %s", request.method, request.url.path, session.user.username, exc)
                    title = _("Upload too large") if exc.status == 413 else _("Upload refused")
                    return refuse(request, exc.status, title, exc.message)
            if write:
                return await run_in_threadpool(view, request, form)
            return await run_in_threadpool(view, request)

        handler.__name__ = view.__name__
        handler.console_role = role  # type: ignore[attr-defined]
        handler.console_write = write  # type: ignore[attr-defined]
        return handler

    return wrap


def format_ts(value: float | None) -> str:
    """The server's local time with its zone ("2026-12-02 17:08:13 CST"): staff read these beside a broadcast clock
    and a console may run on a server in another zone (UTC on a cloud box)."""
    if not value:
        return ""
    return dt.datetime.fromtimestamp(value).astimezone().strftime("%Y-%m-%d %H:%M:%S %Z").rstrip()


def local_time(value: float | None) -> Markup:
    """{{ ts | ts }}: ``format_ts`` inside ``<time data-ts>``; the console's script shows it in the staff member's own
    time zone (the browser's: a Shanghai shop's staff read Beijing time even when the server runs on UTC), keeping
    the server's reading as the tooltip. Without JavaScript the server's time with its zone stays."""
    if not value:
        return Markup("")
    iso = dt.datetime.fromtimestamp(value, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    shown = format_ts(value)
    return Markup('<time datetime="{}" data-ts="{}" title="{}">{}</time>').format(iso, f"{value:.3f}", shown, shown)


def pretty_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str)


def json_text(value: Any) -> str:
    """JSON as a plain string, so autoescaping makes it safe inside a quoted HTML attribute (unlike `tojson`)."""
    return json.dumps(value, ensure_ascii=False)


def _intent_descriptions(ctx: Any) -> Mapping[str, Mapping[str, str]]:
    request = ctx.get("request")
    return intent_descriptions(context(request).settings.intents) if request is not None else {}


@pass_context
def intent_text_filter(ctx: Any, name: str | None) -> str:
    """{{ name | intent_text }}: the intent's description in the staff language, else its name (plain text)."""
    return intent_label(name, _intent_descriptions(ctx)) if name else ""


@pass_context
def intent_tag_filter(ctx: Any, name: str | None) -> Markup:
    """{{ name | intent_tag }}: the description with the name small after it (escaped HTML)."""
    return intent_tag(name, _intent_descriptions(ctx))


@pass_context
def explain_reason(ctx: Any, reason: str | None) -> str:
    """{{ explain_reason(reason) }}: the bot's English decision reason in the staff language, intents by description,
    products by name."""
    names = None
    if reason and reasons.NAMES_PRODUCT in reason:  # the catalog is read only for a reason that names a product
        names = {pid: product_label(p) for pid, p in _catalog_items(ctx, "products").items()}
    return reasons.explain(reason, intents=_intent_descriptions(ctx), products=names)


def _catalog_items(ctx: Any, kind: str) -> Mapping[str, Any]:
    """The page's `products` / `faqs` mapping when the view passed one, else the catalog snapshot's (read once per
    request and kept on it)."""
    given = ctx.get(kind)
    if isinstance(given, Mapping):
        return given
    request = ctx.get("request")
    if request is None:
        return {}
    snap = getattr(request.state, "catalog_snapshot", None)
    if snap is None:
        snap = request.state.catalog_snapshot = context(request).store.snapshot()
    return snap.products if kind == "products" else snap.faqs


def _lookup(ctx: Any, kind: str, item: Any) -> tuple[Any, str]:
    """(the catalog object or None, its id) for an object or an id."""
    if item is None or item == "":
        return None, ""
    if isinstance(item, str):
        return _catalog_items(ctx, kind).get(item), item
    return item, str(item.id)


@pass_context
def faq_tag_filter(ctx: Any, faq: Any) -> Markup:
    """{{ faq_or_id | faq_tag }}: the FAQ's question in the staff language, the id small after it; an unknown id as is."""
    found, faq_id = _lookup(ctx, "faqs", faq)
    return faq_tag(found, faq_id=faq_id)


@pass_context
def faq_named_filter(ctx: Any, faq: Any) -> str:
    """{{ faq_or_id | faq_named }}: “包邮吗” (shipping-free), for a sentence; an unknown id as is."""
    found, faq_id = _lookup(ctx, "faqs", faq)
    return faq_named(found, faq_id=faq_id)


@pass_context
def product_tag_filter(ctx: Any, product: Any) -> Markup:
    """{{ product_or_id | product_tag }}: the product's name in the staff language, the id small after it."""
    found, product_id = _lookup(ctx, "products", product)
    return product_tag(found, product_id=product_id)


@pass_context
def product_name_filter(ctx: Any, product: Any) -> str:
    """{{ product_or_id | product_name }}: the product's name in the staff language (plain text); an unknown id as is."""
    found, product_id = _lookup(ctx, "products", product)
    return product_label(found) if found is not None else product_id


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["ts"] = local_time
    templates.env.filters["pretty"] = pretty_json
    templates.env.filters["json_text"] = json_text
    templates.env.filters["wording_key"] = wording_key  # "能开发票吗?" and "能开发票吗" are one wording (review queue)
    templates.env.filters["lang_name"] = lang_name  # "ja" -> 日语 / Japanese (the staff member's UI language)
    templates.env.filters["main_option_words"] = main_option_words  # "answer in the room's main language (中文)"
    templates.env.filters["policy_words"] = policy_words  # a room's fallback policy: "en" -> answer in English
    templates.env.filters["faq_label"] = faq_label  # a FAQ as staff read it: an example question in their language
    templates.env.filters["faq_choice"] = faq_choice  # "包邮吗 · shipping-free"
    templates.env.filters["faq_tag"] = faq_tag_filter  # "包邮吗 <small>shipping-free</small>" (a FAQ or its id)
    templates.env.filters["faq_named"] = faq_named_filter  # “包邮吗” (shipping-free), inside a sentence
    templates.env.filters["product_name"] = product_name_filter  # 轻便婴儿推车A1 / A1 Lightweight Stroller, not stroller-a1
    templates.env.filters["product_tag"] = product_tag_filter  # the name, the id small after it
    templates.env.filters["product_choice"] = product_choice  # "轻便婴儿推车A1 · stroller-a1" (a drop-down option)
    templates.env.filters["intent_text"] = intent_text_filter  # an intent as staff read it: "问价格", not ask_price
    templates.env.filters["intent_tag"] = intent_tag_filter  # "问价格 <small>ask_price</small>"
    i18n.install(templates.env)
    templates.env.globals["explain_reason"] = explain_reason  # the bot's English decision reasons, translated
    templates.env.globals["band_label"] = reasons.band_label
    templates.env.globals["min_questions"] = catalog_rules.MIN_QUESTIONS  # the FAQ form shows that many rows
    templates.env.globals["product_how_label"] = reasons.product_how_label
    return templates
