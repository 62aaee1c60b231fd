"""YouTube live chat through the official Data API v3 (``liveChatMessages.list`` / ``insert``), quota-aware.

    chat = YouTubeLiveChat(live_chat_id, token_file="~/.config/livereply/credentials")  # or env LIVEREPLY_YOUTUBE_TOKEN
    async for comment in chat.events():     # polls, honouring pollingIntervalMillis and nextPageToken
        ...
        await chat.send(reply)              # POST liveChat/messages; chat.unsent keeps refused replies with a reason
    await chat.close()

Quota: every call costs units of the project's daily quota (10,000 by default): a poll 5, a posted message 20 (see
:mod:`bot.adapters.youtube_codec`). :class:`QuotaBudget` counts them: a reply that would overspend is not posted
(reason ``quota``); below 30 % the poll interval stretches and ``prefer_merged`` tells the reply scheduler to answer
several viewers in one message. At the default 3 s floor, polling alone spends 6,000 units an hour.

Errors: 401 → :class:`YouTubeAuthError` ("refresh the token"; a token file is re-read once first, in case something
refreshed it); 403 ``quotaExceeded`` → posting stops (unsent ``quota``) and polling raises
:class:`YouTubeQuotaError`; 403 ``liveChatEnded``/``liveChatDisabled`` and 404 → :meth:`events` ends cleanly;
an HTML page instead of JSON → :class:`YouTubeError` "YouTube returned HTML instead of JSON (status N)"; 5xx,
429 and ``rateLimitExceeded`` → retried with backoff (``max_failures`` in a row, then raised).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Self

import httpx

from bot.adapters.backoff import backoff_delay, check_backoff, sleep_unless_closed
from bot.adapters.capabilities import Capabilities, fit_reply, split_reply
from bot.adapters.credentials import Secret, load_credentials
from bot.adapters.posting import PostResult, Unsent, looks_like_html
from bot.adapters.reachability import Reachability
from bot.adapters.youtube_codec import (
    DEFAULT_DAILY_QUOTA,
    INSERT_COST,
    LIST_COST,
    MAX_MESSAGE_LEN,
    ApiError,
    ChatPage,
    QuotaBudget,
    insert_body,
    parse_error,
    parse_page,
)
from bot.cli_i18n import N_
from bot.errors import LiveReplyError
from bot.messages import Comment, InboundEvent, ModerationAction, ModerationResult, Reply

__all__ = [
    "DEFAULT_BASE_URL",
    "ENV_YOUTUBE_TOKEN",
    "QuotaBudget",
    "YouTubeAuthError",
    "YouTubeError",
    "YouTubeLiveChat",
    "YouTubeQuotaError",
    "YouTubeStats",
]

log = logging.getLogger(__name__)

DEFAULT_BASE_URL: Final = "https://www.googleapis.com/youtube/v3"
MESSAGES_PATH: Final = "/liveChat/messages"
BANS_PATH: Final = "/liveChat/bans"
# liveChatMessages.delete: 20 units ("Quota impact", developers.google.com/youtube/v3/live/docs/liveChatMessages/delete).
# liveChatBans.insert: the page we read states no figure; counted as 50 (the Data API's usual write cost) so the
# budget errs on the safe side. Both are constructor arguments.
DELETE_COST: Final = 20
BAN_COST: Final = 50
MAX_BAN_S: Final = 86_400 * 7  # a temporary ban longer than a week is a staff decision, not the bot's
ENV_YOUTUBE_TOKEN: Final = "LIVEREPLY_YOUTUBE_TOKEN"
TOKEN_KEYS: Final = (ENV_YOUTUBE_TOKEN, "access_token", "token")  # env name first; JSON token files use the others
_ENDED: Final = frozenset({"liveChatEnded", "liveChatDisabled", "liveChatNotFound"})
_QUOTA: Final = frozenset({"quotaExceeded", "dailyLimitExceeded"})
_RATE: Final = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "RESOURCE_EXHAUSTED"})


class YouTubeError(LiveReplyError):
    """The YouTube API cannot be used as configured; the message says why and what to do."""


class YouTubeAuthError(YouTubeError):
    """401: the access token expired or was revoked."""


class YouTubeQuotaError(YouTubeError):
    """The project's daily quota is spent (by our count or the API's)."""


@dataclass(slots=True)
class YouTubeStats:
    polls: int = 0  # list requests answered by the API (failed ones included)
    poll_failures: int = 0  # transient failures (network, 5xx, 429, rateLimitExceeded), retried
    received: int = 0  # comments yielded
    duplicates: int = 0  # items already yielded (a page token re-served them)
    own: int = 0  # the bot's own messages, skipped
    backlog: int = 0  # items of the first page skipped with skip_backlog=True
    ignored: Counter[str] = field(default_factory=Counter)  # non-text items per snippet.type (superChatEvent, ...)
    malformed: int = 0  # items that could not be read (logged, skipped)
    messages_sent: int = 0  # messages inserted (a split reply counts each part)
    sent: int = 0  # replies fully posted
    unsent: int = 0
    unsent_reasons: Counter[str] = field(default_factory=Counter)
    token_reloads: int = 0


@dataclass(frozen=True, slots=True)
class _Call:
    response: httpx.Response | None
    detail: str = ""  # why there is no response


@dataclass(frozen=True, slots=True)
class _Retry:
    detail: str
    min_wait: float = 0.0
    unreachable: bool = False  # no answer at all (network, DNS, timeout), not a refusal


@dataclass(frozen=True, slots=True)
class _End:
    detail: str
    not_found: bool = False  # 404 liveChatNotFound: no such chat (on a first poll, most likely a mistyped id)


class _Seen:
    """The most recent ``limit`` ids (dedup across pages without growing forever)."""

    def __init__(self, limit: int) -> None:
        self._order: deque[str] = deque()
        self._ids: set[str] = set()
        self._limit = limit

    def __contains__(self, item: str) -> bool:
        return item in self._ids

    def add(self, item: str) -> None:
        if item in self._ids:
            return
        self._ids.add(item)
        self._order.append(item)
        while len(self._order) > self._limit:
            self._ids.discard(self._order.popleft())


class YouTubeLiveChat:
    """One live chat (``liveChatId``, from the broadcast's ``snippet.liveChatId``): comments in, replies out."""

    def __init__(
        self,
        live_chat_id: str,
        *,
        access_token: str | Secret | None = None,
        token_file: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        base_url: str = DEFAULT_BASE_URL,
        daily_quota: int = DEFAULT_DAILY_QUOTA,
        quota: QuotaBudget | None = None,
        room: str | None = None,
        max_len: int = MAX_MESSAGE_LEN,
        max_parts: int = 3,
        list_cost: int = LIST_COST,
        insert_cost: int = INSERT_COST,
        min_poll_s: float = 3.0,
        max_poll_s: float = 60.0,
        own_channel_id: str | None = None,
        skip_backlog: bool = False,
        retry_after_s: float = 2.0,
        backoff_initial: float = 1.0,
        backoff_max: float = 30.0,
        max_failures: int = 5,
        timeout: float = 10.0,
        max_unsent: int = 1000,
        max_seen: int = 20_000,
        transport: httpx.AsyncBaseTransport | None = None,
        moderate: bool = False,
        delete_cost: int = DELETE_COST,
        ban_cost: int = BAN_COST,
    ) -> None:
        if not isinstance(live_chat_id, str) or not live_chat_id.strip():
            raise ValueError("live_chat_id must be a non-empty string")
        if not 1 <= max_len <= MAX_MESSAGE_LEN or max_parts < 1:
            raise ValueError(f"need 1 <= max_len <= {MAX_MESSAGE_LEN} and max_parts >= 1")
        if list_cost < 0 or insert_cost < 0 or min_poll_s < 0 or max_poll_s < min_poll_s or retry_after_s < 0:
            raise ValueError("need costs >= 0, 0 <= min_poll_s <= max_poll_s and retry_after_s >= 0")
        if max_failures < 0 or max_unsent < 1 or max_seen < 1 or not timeout > 0:
            raise ValueError("need max_failures >= 0, max_unsent >= 1, max_seen >= 1 and timeout > 0")
        check_backoff(backoff_initial, backoff_max)
        self.live_chat_id = live_chat_id
        self.room = room if room is not None else f"yt-{live_chat_id}"
        self.base_url = base_url.rstrip("/")
        self.quota = quota if quota is not None else QuotaBudget(daily_quota)
        self.max_len = max_len
        self.max_parts = max_parts
        self.list_cost = list_cost
        self.insert_cost = insert_cost
        self.can_moderate = moderate  # the token's account moderates this chat (liveChatMessages.delete, liveChatBans)
        self.delete_cost = delete_cost
        self.ban_cost = ban_cost
        self.min_poll_s = min_poll_s
        self.max_poll_s = max_poll_s
        self.own_channel_id = own_channel_id
        self.skip_backlog = skip_backlog
        self.retry_after_s = retry_after_s
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.max_failures = max_failures
        self.stats = YouTubeStats()
        self.reachability = Reachability()  # its listener: `livereply run`'s line when YouTube cannot be reached
        self.chat_not_found = False  # the first poll said there is no such live chat (`livereply run` says so)
        self.last_poll_interval: float | None = None  # the wait chosen after the latest poll (seconds)
        self._token_file = token_file
        self._env = env
        self._fixed_token = Secret(access_token) if isinstance(access_token, str) else access_token
        self._token = self._load_token()
        self._page_token: str | None = None
        self._seen = _Seen(max_seen)
        self._own_ids = _Seen(max_seen)
        self._unsent: deque[PostResult] = deque(maxlen=max_unsent)
        self._stopped: tuple[Unsent, str] | None = None
        self._send_lock = asyncio.Lock()
        self._closing = asyncio.Event()
        self._running = False
        self._http = httpx.AsyncClient(
            base_url=self.base_url, timeout=timeout, transport=transport, headers={"Accept": "application/json"}
        )

    # ------------------------------------------------------------------ state

    @property
    def capabilities(self) -> Capabilities:
        can_post = self._stopped is None and not self._closing.is_set() and self.quota.affords(self.insert_cost)
        moderate = frozenset({"delete", "timeout"}) if self.can_moderate and self._stopped is None else frozenset()
        return Capabilities(
            "youtube", can_post=can_post, max_len=self.max_len, rate=None, events=frozenset({"comment"}),
            can_moderate=moderate,
        )

    @property
    def prefer_merged(self) -> bool:
        """True when the quota runs low: answer several viewers in one message (every insert costs the same)."""
        return self.quota.prefer_merged

    @property
    def unsent(self) -> tuple[PostResult, ...]:
        """The most recent replies that were not (fully) posted, with the reason."""
        return tuple(self._unsent)

    @property
    def stopped(self) -> str | None:
        return self._stopped[1] if self._stopped else None

    @property
    def page_token(self) -> str | None:
        return self._page_token

    def __repr__(self) -> str:
        return (
            f"YouTubeLiveChat(live_chat_id={self.live_chat_id!r}, room={self.room!r}, base_url={self.base_url!r}, {self.quota!r})"
        )

    # ------------------------------------------------------------------ token

    def _load_token(self) -> Secret:
        if self._fixed_token is not None:
            if not self._fixed_token:
                raise ValueError("access_token is empty")
            return self._fixed_token
        found = load_credentials(
            {"token": TOKEN_KEYS},
            self._token_file,
            env=self._env,
            what=N_("YouTube OAuth 2.0 access token (scope youtube.force-ssl)"),
        )
        return found["token"]

    def _reload_token(self) -> bool:
        """After a 401: re-read the token file (something may have refreshed it). True when the token changed."""
        if self._fixed_token is not None or self._token_file is None:
            return False
        try:
            token = self._load_token()
        except LiveReplyError as exc:
            log.warning("YouTube token reload failed: %s", exc)
            return False
        if token == self._token:
            return False
        self._token = token
        self.stats.token_reloads += 1
        log.info("YouTube access token re-read from %s after a 401", self._token_file)
        return True

    def _auth_message(self) -> str:
        where = f"{ENV_YOUTUBE_TOKEN} or the token file {self._token_file}" if self._token_file else "the access token given"
        return (
            "YouTube rejected the access token (HTTP 401): it has expired (access tokens last about an hour) or was "
            f"revoked. Refresh it and update {where}."
        )

    # ------------------------------------------------------------------ HTTP

    async def _call(
        self, method: str, params: dict[str, str], cost: int, body: dict[str, Any] | None = None,
        path: str = MESSAGES_PATH,
    ) -> _Call:
        """One API request (two when a 401 made us pick up a refreshed token); every answer is charged to the quota."""
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {self._token.reveal()}"}
            try:
                response = await self._http.request(method, path, params=params, json=body, headers=headers)
            except httpx.TimeoutException:
                return _Call(None, "YouTube did not answer in time")
            except httpx.HTTPError as exc:
                return _Call(None, f"cannot reach YouTube at {self.base_url}: {type(exc).__name__}: {exc}")
            except RuntimeError:  # httpx: "the client has been closed"
                if self._closing.is_set():
                    return _Call(None, "closed")
                raise
            self.quota.spend(cost)
            if response.status_code == 401 and attempt == 0 and self._reload_token():
                continue
            return _Call(response)
        raise AssertionError("unreachable")

    @staticmethod
    def _body_kind(response: httpx.Response) -> str:
        return "HTML" if looks_like_html(response.content, response.headers.get("content-type", "")) else "a non-JSON body"

    @staticmethod
    def _error(response: httpx.Response) -> ApiError:
        return parse_error(response.status_code, response.content, response.headers.get("content-type", ""))

    # ------------------------------------------------------------------ events

    async def events(self) -> AsyncIterator[InboundEvent]:
        """Yield the chat's text messages as comments, oldest first, each once, until the chat ends or :meth:`close`.

        Raises :class:`YouTubeAuthError` (401), :class:`YouTubeQuotaError` (quota spent) and :class:`YouTubeError`
        (HTML instead of JSON, other refusals, ``max_failures`` transient failures in a row)."""
        if self._running:
            raise RuntimeError("events() is already being iterated")
        self._running = True
        failures = 0
        first = True
        try:
            while not self._closing.is_set():
                if not self.quota.affords(self.list_cost):
                    raise YouTubeQuotaError(
                        f"YouTube quota spent: {self.quota.remaining} of {self.quota.daily} units left today, a poll costs "
                        f"{self.list_cost}. Polling stopped; the quota resets at midnight Pacific time (or raise it "
                        "in the Google Cloud console)."
                    )
                step = await self._poll()
                polled_at = time.monotonic()
                if self._closing.is_set():
                    return
                if isinstance(step, _End):
                    if step.not_found and first:  # never read: the id is wrong (or the chat was deleted)
                        self.chat_not_found = True
                        log.warning("YouTube has no live chat %s (%s): check the live chat id", self.live_chat_id,
                                    step.detail)
                        return
                    log.info("YouTube live chat %s ended: %s", self.live_chat_id, step.detail)
                    return
                if isinstance(step, _Retry):
                    if step.unreachable:
                        self.reachability.failed()
                    failures += 1
                    self.stats.poll_failures += 1
                    if failures > self.max_failures:
                        raise YouTubeError(f"{step.detail} ({failures} failed polls in a row; giving up)")
                    delay = max(step.min_wait, backoff_delay(failures - 1, self.backoff_initial, self.backoff_max))
                    log.warning("YouTube poll failed (%s); retrying in %.1f s", step.detail, delay)
                    await sleep_unless_closed(self._closing, delay)
                    continue
                failures = 0
                self.reachability.connected()
                for comment in self._fresh(step, backlog=first and self.skip_backlog):
                    self.stats.received += 1
                    yield comment
                first = False
                if step.offline:
                    log.info("YouTube live chat %s is offline (offlineAt set): no more messages", self.live_chat_id)
                    return
                base = max(self.min_poll_s, step.polling_interval_s if step.polling_interval_s is not None else 0.0)
                wait = self.quota.poll_interval(base, max_s=max(self.max_poll_s, base))
                self.last_poll_interval = wait
                await sleep_unless_closed(self._closing, polled_at + wait - time.monotonic())
        finally:
            self._running = False

    async def _poll(self) -> ChatPage | _Retry | _End:
        params = {"liveChatId": self.live_chat_id, "part": "snippet,authorDetails"}
        if self._page_token:
            params["pageToken"] = self._page_token
        call = await self._call("GET", params, self.list_cost)
        response = call.response
        if response is None:
            return _Retry(call.detail, unreachable=True)
        self.stats.polls += 1
        status = response.status_code
        if status == 200:
            try:
                obj = response.json()
            except ValueError:
                kind = self._body_kind(response)
                raise YouTubeError(
                    f"YouTube returned {kind} instead of JSON (status 200): check base_url {self.base_url}"
                ) from None
            try:
                page = parse_page(obj, self.room)
            except ValueError as exc:
                raise YouTubeError(f"unexpected liveChatMessages.list answer from YouTube: {exc}") from None
            if page.next_page_token:
                self._page_token = page.next_page_token
            return page
        err = self._error(response)
        if status == 401:
            raise YouTubeAuthError(self._auth_message())
        if err.reason in _QUOTA:
            self.quota.exhaust()
            raise YouTubeQuotaError(
                f"YouTube says the project's daily quota is exceeded (403 {err.reason}). Polling and posting stopped; "
                "the quota resets at midnight Pacific time (or raise it in the Google Cloud console)."
            )
        if err.reason in _ENDED or status == 404:
            not_found = err.reason == "liveChatNotFound" or (status == 404 and err.reason not in _ENDED)
            return _End(f"HTTP {status} {err.reason or ''} {err.message}".strip(), not_found)
        if err.html and status < 500:
            raise YouTubeError(f"YouTube returned HTML instead of JSON (status {status}): check base_url {self.base_url}")
        if err.reason in _RATE or status == 429:
            return _Retry(f"YouTube says too many requests (HTTP {status} {err.reason})", self.min_poll_s)
        if status >= 500:
            what = "HTML instead of JSON" if err.html else f"HTTP {status} {err.reason}".strip()
            return _Retry(f"YouTube returned {what} (status {status})")
        raise YouTubeError(f"YouTube refused to list chat messages (HTTP {status} {err.reason}: {err.message})")

    def _fresh(self, page: ChatPage, *, backlog: bool) -> Iterator[Comment]:
        for problem in page.problems:
            self.stats.malformed += 1
            log.warning("YouTube chat item skipped: %s", problem)
        self.stats.ignored.update(page.ignored)
        for comment, author in zip(page.comments, page.author_ids, strict=True):
            if comment.id in self._seen:
                self.stats.duplicates += 1
                continue
            self._seen.add(comment.id)
            if comment.id in self._own_ids or (self.own_channel_id is not None and author == self.own_channel_id):
                self.stats.own += 1
                continue
            if backlog:
                self.stats.backlog += 1
                continue
            yield comment

    # ------------------------------------------------------------------ send

    async def send(self, reply: Reply) -> None:
        """Post ``reply`` (see :meth:`post`); a reply that is not posted is kept in :attr:`unsent` with its reason."""
        await self.post(reply)

    async def post(self, reply: Reply) -> PostResult:
        """Post ``reply``, split into at most ``max_parts`` messages of ``max_len`` characters — one message when the
        quota runs low (``prefer_merged``) or cannot pay for more. Never raises for an API refusal."""
        async with self._send_lock:
            if self._closing.is_set():
                return self._finish(reply, Unsent.CLOSED, "the chat connection is closed")
            if self._stopped is not None:
                return self._finish(reply, self._stopped[0], f"posting stopped earlier: {self._stopped[1]}")
            text = reply.text.strip()
            if not text:
                return self._finish(reply, Unsent.REJECTED, "empty reply text")
            parts = self._parts(text)
            if not self.quota.affords(len(parts) * self.insert_cost):
                if len(parts) > 1 and self.quota.affords(self.insert_cost):
                    parts = [fit_reply(text, self.max_len)]
                else:
                    detail = (
                        f"YouTube quota: a message costs {self.insert_cost} units, {self.quota.remaining} of "
                        f"{self.quota.daily} left today"
                    )
                    log.warning("reply to %s not posted: %s", ", ".join(reply.reply_to), detail)
                    return self._finish(reply, Unsent.QUOTA, detail)
            posted: list[str] = []
            for part in parts:
                reason, detail = await self._insert(part)
                if reason is not None:
                    return self._finish(reply, reason, detail, posted)
                posted.append(part)
            return self._finish(reply, None, "", posted)

    def _parts(self, text: str) -> list[str]:
        if len(text) <= self.max_len:
            return [text]
        if self.quota.prefer_merged:
            return [fit_reply(text, self.max_len)]
        return split_reply(text, self.max_len, max_parts=self.max_parts) or [fit_reply(text, self.max_len)]

    async def _insert(self, text: str) -> tuple[Unsent | None, str]:
        for attempt in range(2):
            call = await self._call("POST", {"part": "snippet"}, self.insert_cost, insert_body(self.live_chat_id, text))
            response = call.response
            if response is None:
                return Unsent.NETWORK, call.detail
            status = response.status_code
            if status == 200:
                try:
                    obj = response.json()
                except ValueError:
                    kind = self._body_kind(response)
                    return self._refused(Unsent.BAD_RESPONSE, f"YouTube returned {kind} instead of JSON (status 200)")
                message_id = obj.get("id") if isinstance(obj, dict) else None
                if isinstance(message_id, str):
                    self._own_ids.add(f"yt-{message_id}")
                self.stats.messages_sent += 1
                return None, ""
            err = self._error(response)
            if status == 401:
                return self._stop(Unsent.AUTH, self._auth_message() + " Posting stopped.")
            if err.reason in _QUOTA:
                self.quota.exhaust()
                return self._refused(
                    Unsent.QUOTA,
                    f"YouTube says the project's daily quota is exceeded (403 {err.reason}); posting stopped until it "
                    "resets at midnight Pacific time.",
                    level=logging.ERROR,
                )
            if err.reason in _ENDED or status == 404:
                return self._stop(Unsent.CHAT_ENDED, f"the YouTube live chat has ended (HTTP {status} {err.reason})")
            if err.html:
                return self._refused(Unsent.BAD_RESPONSE, f"YouTube returned HTML instead of JSON (status {status})")
            if err.reason in _RATE or status == 429:
                if attempt == 0:
                    await asyncio.sleep(self.retry_after_s)
                    continue
                return self._refused(Unsent.RATE_LIMITED, f"YouTube says too many messages (HTTP {status} {err.reason})")
            if status == 403:
                return self._stop(
                    Unsent.FORBIDDEN,
                    f"YouTube forbids the bot's account to post in this chat (403 {err.reason}: {err.message}): is it "
                    "banned or timed out, or does the token lack the youtube.force-ssl scope? Posting stopped.",
                )
            if 400 <= status < 500:
                return self._refused(Unsent.REJECTED, f"YouTube rejected the message (HTTP {status} {err.reason}: {err.message})")
            return self._refused(Unsent.HTTP_ERROR, f"YouTube answered HTTP {status} {err.reason}".strip())
        raise AssertionError("unreachable")

    def _refused(self, reason: Unsent, detail: str, *, level: int = logging.WARNING) -> tuple[Unsent, str]:
        log.log(level, "YouTube live chat %s: %s", self.live_chat_id, detail)
        return reason, detail

    def _stop(self, reason: Unsent, detail: str) -> tuple[Unsent, str]:
        self._stopped = (reason, detail)
        return self._refused(reason, detail, level=logging.ERROR)

    def _finish(self, reply: Reply, reason: Unsent | None, detail: str, posted: list[str] | None = None) -> PostResult:
        result = PostResult(reply, reason is None, reason, detail, tuple(posted or ()))
        if result.sent:
            self.stats.sent += 1
        else:
            self.stats.unsent += 1
            self.stats.unsent_reasons[str(reason)] += 1
            self._unsent.append(result)
        return result

    # ------------------------------------------------------------------ moderation

    async def moderate(self, action: ModerationAction) -> ModerationResult:
        """``delete``: ``DELETE /liveChat/messages?id=…`` (204). ``timeout``: ``POST /liveChat/bans?part=snippet``
        with a ``temporary`` ban of ``banDurationSeconds`` for the author's channel id (200). Both are paid from the
        same daily quota as posting; an action the quota cannot pay for is not tried. Never raises for a refusal."""
        if not self.can_moderate:
            return ModerationResult(action, False, "YouTube moderation is not switched on for this chat")
        if self._closing.is_set():
            return ModerationResult(action, False, "the chat connection is closed")
        if action.action == "delete":
            message_id = action.comment_id.removeprefix("yt-")
            if message_id == action.comment_id or not message_id:
                return ModerationResult(action, False, "not a YouTube live chat message id")
            cost, method, params, body, path = self.delete_cost, "DELETE", {"id": message_id}, None, MESSAGES_PATH
        else:
            duration = min(max(int(action.duration_s or 1), 1), MAX_BAN_S)
            body = {
                "snippet": {
                    "liveChatId": self.live_chat_id,
                    "type": "temporary",
                    "banDurationSeconds": duration,
                    "bannedUserDetails": {"channelId": action.user},
                }
            }
            cost, method, params, path = self.ban_cost, "POST", {"part": "snippet"}, BANS_PATH
        if not self.quota.affords(cost):
            return ModerationResult(
                action, False,
                f"quota: a {action.action} costs {cost} units, {self.quota.remaining} of {self.quota.daily} left today",
            )
        call = await self._call(method, params, cost, body, path=path)
        response = call.response
        if response is None:
            return ModerationResult(action, False, call.detail)
        if 200 <= response.status_code < 300:
            return ModerationResult(action, True, "")
        err = self._error(response)
        if err.reason in _QUOTA:
            self.quota.exhaust()
        what = "HTML instead of JSON" if err.html else f"{err.reason}: {err.message}".strip(": ")
        detail = f"{response.status_code} {what}".strip()
        log.warning("YouTube live chat %s: %s of %s failed: %s", self.live_chat_id, action.action, action.comment_id, detail)
        return ModerationResult(action, False, detail)

    # ------------------------------------------------------------------ close

    async def close(self) -> None:
        """Stop :meth:`events` (it returns) and close the HTTP client; later sends are unsent ``closed``."""
        self._closing.set()
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
