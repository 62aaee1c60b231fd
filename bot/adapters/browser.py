"""Chinese live-commerce consoles through the browser: 抖音 巨量百应/抖店, 淘宝直播, 快手小店 (the way existing
live-console tools do it — these platforms offer third parties no chat API).

    config = load_platform("douyin-web")                     # data/platforms/douyin-web.yaml
    client = BrowserRoomClient(config, profile_dir="var/profiles/douyin")
    async for event in client.events():   # launches Chromium with the logged-in profile, opens the console
        ...
        await client.send(reply)           # typed into the console's comment box, split to max_len, rate-limited
    await client.close()

Reading: a persistent Chromium profile (``launch_persistent_context(user_data_dir=…)``) keeps the login made once
with ``livereply login --platform douyin-web --profile DIR`` (a headed window: scan the QR code), which leaves
``LOGIN_MARK`` in the profile; ``livereply run`` refuses a profile without it for that platform. The console page
gets ``bot/adapters/browser_bridge.js`` as an init script: a MutationObserver on the comment list hands each new
comment to Python through ``expose_binding`` (no screenshots, no polling of the comments). Where the page's DOM is
is data, not code: ``data/platforms/<name>.yaml`` names the selectors (list container, one comment, user, text, the
comment box, the send button), the message length, the posting rate and the login hint.

Ids: the platform's id attribute when the YAML names one (``id_attribute``); otherwise a hash of user + text (+ the
comment's time text when the YAML names a ``time`` selector). Without a time, the same user writing the same text
again within ``dedupe_window_s`` (10 s) is taken for a re-render of the same comment (a virtual list redraws items)
and skipped; after that window it is a new comment. The bot's own posts show up in the console's list too: a comment
whose text is one the bot posted in the last ``echo_window_s`` is skipped (``stats.own_echoes``).

Failure modes: a comment list that is not on the page within ``ready_timeout_s`` raises :class:`BrowserSelectorError`
from :meth:`BrowserRoomClient.events` naming the platform, the selector and the file to update (what was received
before stays recorded: the live loop handles the error like any room that gave up). An item whose user/text part no
longer matches is logged as an error with the selector (``stats.selector_misses``) and skipped. A reply that cannot
be typed or sent (comment box missing, the page kept the text, timeout, page closed) is recorded as unsent with the
reason (:attr:`BrowserRoomClient.unsent`, :class:`~bot.adapters.posting.PostResult`), never raised.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import shutil
import sys
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self

import yaml

from bot.adapters.capabilities import Capabilities, RateLimit, fit_reply, split_reply
from bot.adapters.posting import PostResult, Unsent
from bot.adapters.ratelimit import SlidingWindow
from bot.adapters.reachability import Reachability
from bot.errors import LiveReplyError
from bot.messages import Comment, InboundEvent, ProtocolError, Purchase, Reply, ViewerEnter

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Page, Playwright

__all__ = [
    "BROWSER_ARGS",
    "LOGIN_MARK",
    "PLATFORMS_DIR",
    "BrowserError",
    "BrowserRoomClient",
    "BrowserSelectorError",
    "BrowserStats",
    "LoginOutcome",
    "PlatformConfig",
    "Selectors",
    "chromium_problem",
    "find_chromium",
    "has_display",
    "load_platform",
    "logged_in_platforms",
    "login",
    "login_outcome",
    "mark_logged_in",
    "platform_names",
    "wait_for_login",
]

log = logging.getLogger(__name__)

PLATFORMS_DIR = Path(__file__).resolve().parents[2] / "data" / "platforms"
BROWSER_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
_BINDING = "__livereplyEmit"
_REQUIRED = ("comment_list", "comment", "user", "text", "input")
_OPTIONAL = ("send_button", "id_attribute", "time", "viewer_enter", "viewer_enter_user", "purchase", "purchase_user")

_Why = tuple[Unsent, str]
_CLOSED: _Why = (Unsent.CLOSED, "the client was closed before it could be posted")


class BrowserError(LiveReplyError):
    """The console page cannot be used (browser failed to start, page closed or crashed, bad platform file)."""


class BrowserSelectorError(BrowserError):
    """The console page does not (or no longer) match the platform file's selectors."""

    def __init__(self, platform: str, key: str, selector: str, source: Path | None, what: str) -> None:
        where = source if source is not None else f"data/platforms/{platform}.yaml"
        super().__init__(
            f"{platform}: 页面上找不到 {key}({selector!r}):中控台页面可能已改版,或当前不是直播中控台 / 未登录,"
            f"请更新 {where} / {what} — selector {key}: {selector!r} matches nothing on the page. The console's page "
            f"has probably changed (or is not the live console / not logged in): update {where}"
        )
        self.platform, self.key, self.selector = platform, key, selector


# ---------------------------------------------------------------------------------------------------- platform files


@dataclass(frozen=True, slots=True)
class Selectors:
    comment_list: str
    comment: str
    user: str
    text: str
    input: str
    send_button: str | None = None
    id_attribute: str | None = None
    time: str | None = None
    viewer_enter: str | None = None
    viewer_enter_user: str | None = None
    purchase: str | None = None
    purchase_user: str | None = None


@dataclass(frozen=True, slots=True)
class PlatformConfig:
    """One console, as data/platforms/<name>.yaml describes it."""

    name: str
    title: str
    url: str
    selectors: Selectors
    max_len: int
    rate: RateLimit
    login_url: str | None = None
    login_hint: str = ""
    logged_in: str | None = None
    max_parts: int = 2
    send_with: Literal["click", "enter"] = "click"
    source: Path | None = None
    requires_login: bool = True  # `livereply run` refuses a profile `livereply login` never marked (false: fake-console)

    @property
    def events(self) -> frozenset[str]:
        kinds = {"comment"}
        if self.selectors.viewer_enter:
            kinds.add("viewer_enter")
        if self.selectors.purchase:
            kinds.add("purchase")
        return frozenset(kinds)


def platform_names(directory: Path = PLATFORMS_DIR) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.yaml"))


def load_platform(name_or_path: str | Path, directory: Path = PLATFORMS_DIR) -> PlatformConfig:
    """Read a platform file by name (``douyin-web``) or path. Raises BrowserError naming the file and the field."""
    path = Path(name_or_path)
    if path.suffix not in (".yaml", ".yml"):
        path = directory / f"{name_or_path}.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        known = ", ".join(platform_names(directory)) or "none"
        raise BrowserError(f"no platform file {path} (known: {known})") from None
    except (OSError, yaml.YAMLError) as exc:
        raise BrowserError(f"{path}: cannot read the platform file: {exc}") from None
    try:
        return _parse_platform(raw, path)
    except (KeyError, TypeError, ValueError) as exc:
        raise BrowserError(f"{path}: {exc}") from None


def _parse_platform(raw: Any, path: Path) -> PlatformConfig:
    if not isinstance(raw, Mapping):
        raise TypeError("the file must be a mapping")
    sel = raw.get("selectors")
    if not isinstance(sel, Mapping):
        raise KeyError("missing 'selectors' mapping")
    for key in _REQUIRED:
        if not isinstance(sel.get(key), str) or not sel[key].strip():
            raise KeyError(f"selectors.{key} is required (a CSS selector)")
    unknown = set(sel) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise KeyError(f"unknown selectors: {', '.join(sorted(unknown))}")
    send_with = raw.get("send_with", "click")
    if send_with not in ("click", "enter"):
        raise ValueError("send_with must be 'click' or 'enter'")
    if send_with == "click" and not sel.get("send_button"):
        raise KeyError("selectors.send_button is required with send_with: click")
    rate = raw.get("rate") or {}
    max_len = int(raw.get("max_len", 50))
    if max_len < 2:
        raise ValueError("max_len must be >= 2")
    return PlatformConfig(
        name=str(raw.get("name") or path.stem),
        title=str(raw.get("title") or raw.get("name") or path.stem),
        url=str(raw["url"]),
        selectors=Selectors(**{k: str(v) for k, v in sel.items() if v is not None}),
        max_len=max_len,
        rate=RateLimit(int(rate.get("messages", 1)), float(rate.get("per_s", 3.0))),
        login_url=raw.get("login_url"),
        login_hint=str(raw.get("login_hint") or ""),
        logged_in=raw.get("logged_in"),
        max_parts=int(raw.get("max_parts", 2)),
        send_with=send_with,
        source=path,
        requires_login=_flag(raw.get("requires_login", True), "requires_login"),
    )


def _flag(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false")
    return value


def find_chromium() -> str | None:
    """A system Chromium/Chrome (Debian's /usr/bin/chromium first); None = Playwright's own browser."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_problem(executable_path: str | None) -> str | None:
    """Why no Chromium can be started for ``executable_path`` (``--chromium``; None: a system Chromium on PATH, else
    Playwright's own browser if someone installed it), or None. Checked before the model loads: without it Playwright
    fails only at launch, with a box telling the user to run `playwright install` (which downloads a browser)."""
    if executable_path:
        if Path(executable_path).is_file():
            return None
        return f"找不到 --chromium 指定的浏览器 {executable_path} / --chromium {executable_path}: no such file"
    if find_chromium():
        return None
    try:  # Playwright's own browser (`playwright install`): its path, without launching it
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            if Path(pw.chromium.executable_path).is_file():
                return None
    except Exception:  # noqa: BLE001 - no driver, no browser: the message below says what to do
        pass
    return (
        "未找到 Chromium 浏览器:请安装(Debian/Ubuntu: apt install chromium)或用 --chromium 指定路径 / "
        "no Chromium found (looked for chromium, chromium-browser, google-chrome on PATH): install one "
        "(Debian/Ubuntu: apt install chromium) or pass --chromium /path/to/chromium"
    )


def _bridge_source() -> str:
    source = resources.files("bot.adapters").joinpath("browser_bridge.js").read_text(encoding="utf-8")
    return source.strip().rstrip(";")  # one arrow-function expression, called with the config


async def _launch(
    profile_dir: str | Path, *, headless: bool, executable_path: str | None, args: tuple[str, ...]
) -> tuple[Playwright, BrowserContext]:
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        raise BrowserError(
            "浏览器中控台需要安装 Playwright / the browser consoles need Playwright: pip install 'livereply[browser]'"
        ) from None
    await asyncio.to_thread(Path(profile_dir).mkdir, parents=True, exist_ok=True)
    pw = await async_playwright().start()
    try:
        context = await pw.chromium.launch_persistent_context(
            user_data_dir=str(profile_dir),
            executable_path=executable_path,
            headless=headless,
            args=list(args),
            viewport={"width": 1440, "height": 900},
            locale="zh-CN",
        )
    except Exception as exc:  # noqa: BLE001 - any launch failure (no binary, profile locked, ...) is one clear error
        await pw.stop()
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BrowserError(
            f"无法用资料目录 {profile_dir} 启动 Chromium(该目录是否已被另一个窗口占用?)/ cannot start Chromium with "
            f"profile {profile_dir}: {first_line}"
        ) from None
    return pw, context


# ---------------------------------------------------------------------------------------------------- the client


@dataclass(slots=True)
class BrowserStats:
    received: int = 0  # comments yielded
    events: int = 0  # other events yielded (viewer_enter, purchase)
    initial: int = 0  # comments already on the page when the list was found (yielded too)
    duplicates: int = 0  # skipped: same native id, or same user + text within dedupe_window_s
    own_echoes: int = 0  # skipped: the bot's own posts shown in the list
    selector_misses: int = 0  # items whose user/text part did not match (logged with the selector)
    lost: int = 0  # the observed comment list left the page
    sent: int = 0  # messages typed and sent
    replies_sent: int = 0  # replies whose every part was sent
    rate_waits: int = 0
    unsent: int = 0
    unsent_reasons: Counter[str] = field(default_factory=Counter)


class BrowserRoomClient:
    """RoomConnection over a live-commerce console page in a logged-in Chromium profile."""

    def __init__(
        self,
        config: PlatformConfig,
        *,
        profile_dir: str | Path,
        url: str | None = None,
        room: str | None = None,
        headless: bool = True,
        executable_path: str | None = None,
        browser_args: tuple[str, ...] = BROWSER_ARGS,
        rate: RateLimit | None = None,
        rate_margin_s: float = 0.5,
        ready_timeout_s: float = 30.0,
        send_timeout_s: float = 5.0,
        dedupe_window_s: float = 10.0,
        echo_window_s: float = 120.0,
        max_unsent: int = 1000,
        max_seen: int = 20_000,
    ) -> None:
        if ready_timeout_s <= 0 or send_timeout_s <= 0:
            raise ValueError("ready_timeout_s and send_timeout_s must be > 0")
        self.config = config
        self.profile_dir = Path(profile_dir)
        self.url = url or config.url
        self.room = room if room is not None else config.name
        self.headless = headless
        self.executable_path = executable_path if executable_path is not None else find_chromium()
        self.browser_args = browser_args
        self.rate = rate if rate is not None else config.rate
        self.capabilities = Capabilities(config.name, can_post=True, max_len=config.max_len, rate=self.rate, events=config.events)
        self.ready_timeout_s = ready_timeout_s
        self.send_timeout_s = send_timeout_s
        self.dedupe_window_s = dedupe_window_s
        self.echo_window_s = echo_window_s
        self.stats = BrowserStats()
        self.reachability = Reachability()  # its listener: `livereply run`'s line when the console page cannot be opened
        self._window = SlidingWindow(self.rate, margin=rate_margin_s)
        self._send_lock = asyncio.Lock()
        self._unsent: deque[PostResult] = deque(maxlen=max_unsent)
        self._seen: deque[str] = deque(maxlen=max_seen)
        self._seen_ids: set[str] = set()
        self._recent: dict[tuple[str, str], float] = {}  # (user, text) -> monotonic time last seen (no native id)
        self._posted: deque[tuple[float, str]] = deque(maxlen=256)  # (monotonic, text) of the bot's own posts
        self._inbox: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self._pw: Playwright | None = None
        self._context: BrowserContext | None = None
        self.page: Page | None = None
        self._closing = asyncio.Event()
        self.ready = asyncio.Event()  # the comment list is found and observed
        self._running = False
        self._counter = 0

    def __repr__(self) -> str:
        return f"BrowserRoomClient(platform={self.config.name!r}, url={self.url!r}, profile={str(self.profile_dir)!r})"

    @property
    def unsent(self) -> tuple[PostResult, ...]:
        return tuple(self._unsent)

    # ------------------------------------------------------------------ start

    async def start(self) -> Page:
        """Launch the browser with the profile, install the bridge, open the console (idempotent)."""
        if self.page is not None:
            return self.page
        if self._closing.is_set():
            raise BrowserError("the client is closed")
        self._pw, self._context = await _launch(
            self.profile_dir, headless=self.headless, executable_path=self.executable_path, args=self.browser_args
        )
        context = self._context
        await context.expose_binding(_BINDING, self._on_message)
        bridge_config = {
            "platform": self.config.name,
            "selectors": {k: getattr(self.config.selectors, k) for k in (*_REQUIRED, *_OPTIONAL)},
            "readyTimeoutMs": int(self.ready_timeout_s * 1000),
        }
        await context.add_init_script(script=f"({_bridge_source()})({json.dumps(bridge_config)});")
        page = context.pages[0] if context.pages else await context.new_page()
        page.on("close", lambda _page: self._inbox.put_nowait({"kind": "page_closed"}))
        page.on("crash", lambda _page: self._inbox.put_nowait({"kind": "page_crashed"}))
        self.page = page
        try:
            await page.goto(self.url, wait_until="domcontentloaded", timeout=self.ready_timeout_s * 1000)
        except Exception as exc:  # noqa: BLE001 - DNS, TLS, timeout, net::ERR_*: one clear error naming the URL
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            self.reachability.failed()
            raise BrowserError(
                f"{self.config.name}: 打不开中控台页面 {self.url}(请检查网络或 --room 地址)/ cannot open {self.url}: "
                f"{first_line}"
            ) from None
        log.info("%s: console %s opened in profile %s", self.config.title, self.url, self.profile_dir)
        self.reachability.connected()
        return page

    def _on_message(self, _source: Any, message: Any) -> None:
        if isinstance(message, dict):
            self._inbox.put_nowait(message)

    # ------------------------------------------------------------------ events

    async def events(self) -> AsyncIterator[InboundEvent]:
        """Yield the console's comments (and viewer_enter / purchase when the platform file names them) until
        :meth:`close`. Raises BrowserSelectorError when the comment list is not on the page, BrowserError when the
        page is closed or crashes."""
        if self._running:
            raise RuntimeError("events() is already being iterated")
        self._running = True
        try:
            await self.start()
            while True:
                message = await self._inbox.get()
                if message is None or self._closing.is_set():
                    return
                event = self._handle(message)
                if event is not None:
                    yield event
        finally:
            self._running = False

    def _handle(self, message: dict[str, Any]) -> InboundEvent | None:
        kind = message.get("kind")
        if kind == "comment":
            return self._comment(message)
        if kind == "viewer_enter" and message.get("user"):
            self.stats.events += 1
            return ViewerEnter(user=str(message["user"]), ts=time.time(), room=self.room)
        if kind == "purchase" and message.get("user"):
            self.stats.events += 1
            return Purchase(user=str(message["user"]), ts=time.time(), room=self.room)
        if kind == "ready":
            self.ready.set()
            log.info("%s: comment list found (%s), observing it", self.config.name, self.config.selectors.comment_list)
        elif kind == "missing":
            raise BrowserSelectorError(
                self.config.name,
                str(message.get("key")),
                str(message.get("selector")),
                self.config.source,
                f"no comment list within {self.ready_timeout_s:g} s on {self.url}",
            )
        elif kind == "lost":
            self.ready.clear()
            self.stats.lost += 1
            log.error(
                "%s: the comment list (%s) left the page; waiting for it to come back (if it does not, update %s)",
                self.config.name,
                message.get("selector"),
                self.config.source or f"data/platforms/{self.config.name}.yaml",
            )
        elif kind == "selector_miss":
            self.stats.selector_misses += 1
            log.error(
                "%s: a comment item matched but selector %s: %r found nothing in it (update %s); item: %s",
                self.config.name,
                message.get("key"),
                message.get("selector"),
                self.config.source or f"data/platforms/{self.config.name}.yaml",
                message.get("html"),
            )
        elif kind in ("page_closed", "page_crashed"):
            if self._closing.is_set():
                return None
            what = "被关闭" if kind == "page_closed" else "崩溃了"
            raise BrowserError(
                f"{self.config.name}: 中控台页面{what} / the console page {kind.split('_')[1]} ({self.url})"
            )
        return None

    def _comment(self, message: dict[str, Any]) -> Comment | None:
        user = str(message.get("user") or "").strip()
        text = str(message.get("text") or "")
        if not user:
            return None
        now = time.monotonic()
        native = message.get("nativeId")
        if native:
            cid = f"{self.config.name}:{native}"
        else:
            stamp = message.get("time") or ""
            digest = hashlib.blake2s(f"{user}\x1f{text}\x1f{stamp}".encode(), digest_size=8).hexdigest()
            if not stamp:
                last = self._recent.get((user, text))
                self._recent[(user, text)] = now
                if len(self._recent) > 4096:
                    self._recent = {k: t for k, t in self._recent.items() if now - t <= self.dedupe_window_s}
                if last is not None and now - last <= self.dedupe_window_s:
                    self.stats.duplicates += 1
                    return None
                self._counter += 1
                digest = f"{digest}-{self._counter}"
            cid = f"{self.config.name}:{digest}"
        if cid in self._seen_ids:
            self.stats.duplicates += 1
            return None
        if self._is_echo(text, now):
            self.stats.own_echoes += 1
            return None
        if len(self._seen) == self._seen.maxlen:
            self._seen_ids.discard(self._seen[0])
        self._seen.append(cid)
        self._seen_ids.add(cid)
        self.stats.received += 1
        if message.get("initial"):
            self.stats.initial += 1
        return Comment(id=cid, user=user, text=text, ts=time.time(), room=self.room)

    def _is_echo(self, text: str, now: float) -> bool:
        return any(now - at <= self.echo_window_s and posted == text.strip() for at, posted in self._posted)

    # ------------------------------------------------------------------ send

    def parts(self, text: str) -> list[str]:
        """The messages a reply becomes: split at clause boundaries into at most max_parts, else shortened."""
        text = text.strip()
        if not text:
            raise ProtocolError("reply text is empty", None)
        return split_reply(text, self.config.max_len, max_parts=self.config.max_parts) or [fit_reply(text, self.config.max_len)]

    async def send(self, reply: Reply) -> None:
        """Type the reply into the console's comment box and send it, part by part, each when the rate limit
        allows. Failures are recorded as unsent with the reason (:attr:`unsent`), never raised."""
        parts = self.parts(reply.text)
        posted: list[str] = []
        async with self._send_lock:
            for part in parts:
                why = await self._post_part(part)
                if why is not None:
                    self._record_unsent(reply, why, tuple(posted))
                    return
                posted.append(part)
            self.stats.replies_sent += 1

    async def _post_part(self, part: str) -> _Why | None:
        await self._wait_turn()
        if self._closing.is_set():
            return _CLOSED
        page = self.page
        if page is None or page.is_closed():
            return (Unsent.CLOSED, "the console page is not open")
        sel = self.config.selectors
        where = self.config.source or f"data/platforms/{self.config.name}.yaml"
        timeout_ms = self.send_timeout_s * 1000
        from playwright.async_api import Error as PlaywrightError

        box = page.locator(sel.input).first
        try:
            if await page.locator(sel.input).count() == 0:
                return (
                    Unsent.REJECTED,
                    (
                        f"{self.config.name}: the comment box (selector input: {sel.input!r}) is not on the page "
                        f"(update {where}, or the show is not live)"
                    ),
                )
            await box.fill(part, timeout=timeout_ms)
            if self.config.send_with == "enter":
                self._sending(part)
                await box.press("Enter", timeout=timeout_ms)
                self._window.delivered(time.monotonic())
            else:
                assert sel.send_button is not None
                button = page.locator(sel.send_button).first
                if await page.locator(sel.send_button).count() == 0:
                    return (
                        Unsent.REJECTED,
                        (
                            f"{self.config.name}: the send button (selector send_button: {sel.send_button!r}) is not "
                            f"on the page (update {where})"
                        ),
                    )
                self._sending(part)
                await button.click(timeout=timeout_ms)
                self._window.delivered(time.monotonic())
            if not await self._box_cleared(box):
                return (
                    Unsent.REJECTED,
                    (
                        f"{self.config.name}: the page kept the text in the comment box after sending (not sent: "
                        "muted, a blocked word, or the send button did nothing)"
                    ),
                )
        except PlaywrightError as exc:
            if page.is_closed() or self._closing.is_set():
                return (Unsent.CLOSED, "the console page closed while typing the reply")
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return (Unsent.REJECTED, f"{self.config.name}: could not type or send the reply: {first_line}")
        self.stats.sent += 1
        return None

    def _sending(self, part: str) -> None:
        """Right before the click / Enter: the post counts for the rate limit from here on (also if it fails)."""
        now = time.monotonic()
        self._window.record(now)
        self._posted.append((now, part))

    async def _box_cleared(self, box: Any) -> bool:
        """Consoles empty the comment box once a message is sent; text still there after a moment = not sent."""
        deadline = time.monotonic() + min(self.send_timeout_s, 2.0)
        while True:
            value = await box.evaluate("el => ('value' in el ? el.value : el.textContent) || ''")
            if not str(value).strip():
                return True
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.05)

    async def _wait_turn(self) -> None:
        waited = False
        while not self._closing.is_set() and (wait := self._window.delay(time.monotonic())) > 0:
            waited = True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), wait)
        if waited:
            self.stats.rate_waits += 1

    def _record_unsent(self, reply: Reply, why: _Why, posted: tuple[str, ...] = ()) -> None:
        reason, detail = why
        self._unsent.append(PostResult(reply, sent=False, reason=reason, detail=detail, posted=posted))
        self.stats.unsent += 1
        self.stats.unsent_reasons[str(reason)] += 1
        log.warning("reply to %s not posted (%s): %s", ", ".join(reply.reply_to), reason, detail)

    # ------------------------------------------------------------------ close

    async def close(self) -> None:
        """Stop :meth:`events` and close the browser (the profile, with its login, stays on disk)."""
        self._closing.set()
        self._inbox.put_nowait(None)
        context, self._context = self._context, None
        pw, self._pw = self._pw, None
        self.page = None
        if context is not None:
            with contextlib.suppress(Exception):
                await context.close()
        if pw is not None:
            with contextlib.suppress(Exception):
                await pw.stop()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


# ---------------------------------------------------------------------------------------------------- login

# `livereply login` leaves this file in the profile when the login worked; `livereply run` refuses a profile without it
# (a new or mistyped directory would otherwise start an empty Chromium profile on the console's login page)
LOGIN_MARK = ".livereply-login.json"


def mark_logged_in(profile_dir: str | Path, platform: str, *, now: float | None = None) -> None:
    """Record in ``profile_dir`` that ``platform``'s console was logged in there (kept per platform)."""
    path = Path(profile_dir) / LOGIN_MARK
    path.parent.mkdir(parents=True, exist_ok=True)
    platforms = _login_marks(path)
    platforms[platform] = time.time() if now is None else now
    path.write_text(json.dumps({"platforms": platforms}, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def logged_in_platforms(profile_dir: str | Path) -> frozenset[str]:
    """The platforms ``livereply login`` logged in to with this profile (empty: never, or not a profile at all)."""
    return frozenset(_login_marks(Path(profile_dir) / LOGIN_MARK))


def _login_marks(path: Path) -> dict[str, float]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    platforms = data.get("platforms") if isinstance(data, dict) else None
    if not isinstance(platforms, dict):
        return {}
    return {str(k): float(v) for k, v in platforms.items() if isinstance(v, int | float)}



class LoginOutcome(StrEnum):
    """How a ``livereply login`` window ended. Only CONFIRMED and TRUSTED leave the profile marked as logged in."""

    CONFIRMED = "confirmed"  # the platform file's `logged_in` element showed in the window
    TRUSTED = "trusted"  # no `logged_in` selector in the file: the person closed the window, we take their word
    CLOSED = "closed"  # the window was closed before the `logged_in` element was seen: not logged in
    TIMEOUT = "timeout"  # neither within the time allowed

    @property
    def completed(self) -> bool:
        return self in (LoginOutcome.CONFIRMED, LoginOutcome.TRUSTED)

    def __bool__(self) -> bool:  # `if await login(...)`: True only for a completed login
        return self.completed


def login_outcome(*, logged_in_selector: str | None, seen: bool, closed: bool) -> LoginOutcome:
    """The decision "was the login completed", from what the window showed. With a ``logged_in`` selector only seeing
    it counts (closing the window before it showed is not a login — a person who gives up closes it too); without one
    there is nothing to check, so closing the window is taken as "done" (the person's word)."""
    if seen:
        return LoginOutcome.CONFIRMED
    if closed:
        return LoginOutcome.CLOSED if logged_in_selector else LoginOutcome.TRUSTED
    return LoginOutcome.TIMEOUT


async def wait_for_login(
    context: BrowserContext, logged_in_selector: str | None, *, timeout_s: float, poll_s: float = 0.25
) -> LoginOutcome:
    """Watch the login window(s) of ``context`` until the ``logged_in`` element shows in any of its pages, every page
    is closed (or the browser quits), or ``timeout_s`` passes. Works the same headless (the tests) and headed."""
    closed = asyncio.Event()

    def on_page_close(_page: Any) -> None:
        if all(p.is_closed() for p in context.pages):
            closed.set()

    def watch(page: Any) -> None:
        page.on("close", on_page_close)

    for page in context.pages:
        watch(page)
    context.on("page", watch)
    context.on("close", lambda _context: closed.set())
    if not context.pages:
        closed.set()
    seen = False
    deadline = time.monotonic() + timeout_s
    while not closed.is_set() and time.monotonic() < deadline:
        if logged_in_selector and await _shows(context, logged_in_selector):
            seen = True
            break
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(closed.wait(), min(poll_s, max(0.0, deadline - time.monotonic())))
    return login_outcome(logged_in_selector=logged_in_selector, seen=seen, closed=closed.is_set())


async def _shows(context: BrowserContext, selector: str) -> bool:
    for page in list(context.pages):
        with contextlib.suppress(Exception):  # a page navigating or closing between the check and the count
            if not page.is_closed() and await page.locator(selector).count() > 0:
                return True
    return False


def has_display() -> bool:
    return not sys.platform.startswith("linux") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


async def login(
    config: PlatformConfig,
    profile_dir: str | Path,
    *,
    executable_path: str | None = None,
    timeout_s: float = 600.0,
    say: Any = print,
) -> LoginOutcome:
    """Open a **headed** window on the platform's login page with the profile, for a person to scan the QR code once.
    Returns the :class:`LoginOutcome` (truthy only when completed): CONFIRMED when the platform file's ``logged_in``
    element showed; with such a selector, a window closed before it showed is CLOSED (not logged in); without one,
    closing the window is TRUSTED as done. TIMEOUT when neither happened within ``timeout_s``. Needs a display (the
    tests make the window headless through Chromium's own ``--headless`` flag in :data:`BROWSER_ARGS`)."""
    if not has_display():
        raise BrowserError(
            f"{config.name}: 当前会话没有图形界面(未设置 DISPLAY),无法打开显示二维码的 Chromium 窗口:请在桌面电脑上"
            f"(或通过 ssh -X)用同一个 --profile 目录运行 `livereply login` / login opens a Chromium window to show "
            "the QR code, and this session has no display (DISPLAY is not set): run `livereply login` on a desktop "
            "(or over ssh -X) with this --profile directory"
        )
    pw, context = await _launch(
        profile_dir, headless=False, executable_path=executable_path or find_chromium(), args=BROWSER_ARGS
    )
    try:
        page = context.pages[0] if context.pages else await context.new_page()
        url = config.login_url or config.url
        try:
            await page.goto(url, wait_until="domcontentloaded")
        except Exception as exc:  # noqa: BLE001 - DNS, TLS, proxy, net::ERR_*: one clear error naming the URL
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BrowserError(
                f"{config.name}: 打不开登录页 {url}(请检查网络或代理)/ cannot open the login page {url}: {first_line}"
            ) from None
        hint = config.login_hint or "请在打开的窗口中登录,完成后关闭窗口。/ Log in in the window, then close it."
        say(f"{config.title}: {hint}")
        if config.logged_in:
            say(
                f"登录成功后(看到 {config.title} 的页面)窗口会自动关闭;在此之前关闭窗口 = 未登录。/ The window closes "
                "by itself once the console shows; closing it before that means not logged in."
            )
        outcome = await wait_for_login(context, config.logged_in, timeout_s=timeout_s)
        if outcome is LoginOutcome.CONFIRMED:
            say(f"已登录,登录状态保存在 {profile_dir} / logged in: the session is kept in {profile_dir}")
        elif outcome is LoginOutcome.TRUSTED:
            log.info("%s: no logged_in selector in the platform file; the closed window is taken as logged in", config.name)
        return outcome
    finally:
        with contextlib.suppress(Exception):
            await context.close()
        await pw.stop()
