"""Posting danmaku into a Bilibili live room: ``POST https://api.live.bilibili.com/msg/send`` with a logged-in session.

    creds = BilibiliCredentials.load("~/.config/livereply/credentials")   # or env LIVEREPLY_BILI_SESSDATA / _JCT
    poster = BilibiliPoster(21452505, creds, max_len=20)
    client = BilibiliRoomClient(DEFAULT_URL, 21452505, post_reply=poster)  # the websocket client's post hook
    ...
    await client.close(); await poster.aclose()

The request (form-encoded) carries ``bubble=0, msg, color=16777215, mode=1, fontsize=25, rnd=<unix s>, roomid,
csrf=<bili_jct>, csrf_token=<bili_jct>`` and the cookies ``SESSDATA`` and ``bili_jct``. Bilibili answers JSON
``{"code": ..., "message": ...}``; a message is posted only when ``code == 0`` *and* the message is empty (``code 0``
with ``"msg in 1s"``, ``"msg repeat"``, ``"f"`` or ``"k"`` means refused). How each answer is handled:

==========================================  ================================================================
rate limited (10030/10031, "msg in 1s")     pause ``retry_after_s``, retry once, then unsent ``rate_limited``
too long (1003212, "超出限制长度")            shorten with :func:`fit_reply`, retry once, then ``too_long``
blocked word ("f", "k", 10032, "屏蔽词")      dropped, logged: ``sensitive``
repeat ("msg repeat")                        dropped: ``duplicate``
muted (10024, "禁言")                         posting stops for this room: ``muted``
not logged in (-101), CSRF mismatch (-111)   posting stops, error says to refresh SESSDATA / bili_jct: ``auth``
HTML or non-JSON body                         "Bilibili returned HTML instead of JSON (status N)": ``bad_response``
==========================================  ================================================================

Pacing: at most ``rate.messages`` posts per ``rate.per_s`` seconds (default one per second), counted from the
moment each request *completed*, so the server never sees two posts closer than that. A reply longer than
``max_len`` (20, 30 or 40 characters depending on the account's level; default 20) is split at clause boundaries
into at most ``max_parts`` messages, else cut to one with :func:`fit_reply`. Codes and messages come from the
community-maintained bilibili-API-collect documentation and open-source clients; Bilibili publishes none.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Final, Self

import httpx

from bot.adapters.capabilities import Capabilities, RateLimit, fit_reply, split_reply
from bot.adapters.credentials import CredentialError, Secret, load_credentials
from bot.adapters.posting import PostResult, Unsent, looks_like_html
from bot.adapters.ratelimit import SlidingWindow
from bot.cli_i18n import N_
from bot.messages import ModerationAction, ModerationResult, Reply

__all__ = [
    "ACCOUNT_MAX_LENS",
    "DEFAULT_API",
    "DEFAULT_MAX_LEN",
    "ENV_BILI_JCT",
    "ENV_SESSDATA",
    "BilibiliCredentials",
    "BilibiliPostStats",
    "BilibiliPoster",
    "Outcome",
    "bilibili_capabilities",
    "bilibili_poster",
    "classify",
]

log = logging.getLogger(__name__)

DEFAULT_API: Final = "https://api.live.bilibili.com"
SEND_PATH: Final = "/msg/send"
# 禁言 (mute a viewer in the room; the account must be the streamer or a room admin 房管). Path and form as in the
# maintained client bilibili-api-python (bilibili_api/data/api/live.json "add_block", LiveRoom.ban_user):
# room_id, tuid, mobile_app=web, type (1 = for `hour` hours), hour, visit_id, csrf, csrf_token.
MUTE_PATH: Final = "/xlive/web-ucenter/v1/banned/AddSilentUser"
ENV_SESSDATA: Final = "LIVEREPLY_BILI_SESSDATA"
ENV_BILI_JCT: Final = "LIVEREPLY_BILI_JCT"
DEFAULT_MAX_LEN: Final = 20  # characters per danmaku for an ordinary account; higher levels get 30 or 40
ACCOUNT_MAX_LENS: Final = (20, 30, 40)
DEFAULT_RATE: Final = RateLimit(1, 1.0)
WHITE: Final = 16777215
USER_AGENT: Final = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) LiveReply/0.1"


@dataclass(frozen=True, slots=True)
class BilibiliCredentials:
    """The two cookies of a logged-in web session. Their repr is redacted (see :class:`Secret`)."""

    sessdata: Secret
    bili_jct: Secret

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None, *, env: dict[str, str] | None = None) -> Self:
        """From ``LIVEREPLY_BILI_SESSDATA`` / ``LIVEREPLY_BILI_JCT`` (these win), else the credentials file, whose
        keys are the same names (the cookie names ``SESSDATA`` / ``bili_jct`` are accepted too)."""
        found = load_credentials(
            {"sessdata": (ENV_SESSDATA, "SESSDATA"), "bili_jct": (ENV_BILI_JCT, "bili_jct")},
            path,
            env=env,
            what=N_("Bilibili posting credentials (cookies SESSDATA and bili_jct of the bot's logged-in account)"),
        )
        return cls(found["sessdata"], found["bili_jct"])


class Outcome(Enum):
    """What a ``/msg/send`` answer means."""

    OK = "ok"
    RATE_LIMITED = "rate_limited"
    DUPLICATE = "duplicate"
    MUTED = "muted"
    TOO_LONG = "too_long"
    SENSITIVE = "sensitive"
    NOT_LOGGED_IN = "not_logged_in"
    CSRF = "csrf"
    OTHER = "other"


_OK_MESSAGES: Final = frozenset({"", "0", "ok", "success"})
_RATE_CODES: Final = frozenset({10030, 10031})  # sources disagree which of the two is "too fast" and which "repeat"
_RATE_WORDS: Final = ("msg in 1s", "max limit", "频率", "过快", "频繁", "too fast", "too frequent")
_SENSITIVE_WORDS: Final = ("屏蔽", "敏感", "非法", "违规", "blocked", "sensitive")


def classify(code: int, message: str) -> Outcome:
    """Map a ``/msg/send`` answer to an :class:`Outcome`. The message text is looked at first: Bilibili reuses codes
    (1003 is "muted" and "blocked word" alike) and reports some refusals with ``code 0``."""
    msg = message.strip()
    low = msg.lower()
    if code == -101 or "未登录" in msg or "not logged" in low:
        return Outcome.NOT_LOGGED_IN
    if code == -111 or "csrf" in low:
        return Outcome.CSRF
    if code == 10024 or "禁言" in msg:
        return Outcome.MUTED
    if code == 1003212 or "超出限制长度" in msg or "too long" in low:
        return Outcome.TOO_LONG
    if "repeat" in low or "重复" in msg:
        return Outcome.DUPLICATE
    if code in _RATE_CODES or any(w in low for w in _RATE_WORDS):
        return Outcome.RATE_LIMITED
    if low in ("f", "k") or code == 10032 or any(w in low for w in _SENSITIVE_WORDS):
        return Outcome.SENSITIVE
    if code == 0 and low in _OK_MESSAGES:
        return Outcome.OK
    return Outcome.OTHER


@dataclass(frozen=True, slots=True)
class _Answer:
    outcome: Outcome | None  # None: no usable JSON answer (see reason)
    detail: str
    reason: Unsent | None = None


@dataclass(slots=True)
class BilibiliPostStats:
    requests: int = 0  # HTTP requests made to /msg/send (retries included)
    messages_sent: int = 0  # danmaku accepted (a split reply counts each part)
    replies_sent: int = 0
    replies_unsent: int = 0
    retries: int = 0  # rate-limit and too-long retries
    unsent_reasons: Counter[str] = field(default_factory=Counter)


class BilibiliPoster:
    """Posts replies into one Bilibili room. Awaitable as ``post_reply`` (``await poster(reply)``) for
    :class:`bot.adapters.bilibili.BilibiliRoomClient`; every call returns a :class:`PostResult`, never raises for
    a platform refusal. Replies are posted one at a time, in call order, their parts consecutively."""

    def __init__(
        self,
        room_id: int,
        credentials: BilibiliCredentials,
        *,
        base_url: str = DEFAULT_API,
        max_len: int = DEFAULT_MAX_LEN,
        max_parts: int = 3,
        rate: RateLimit = DEFAULT_RATE,
        retry_after_s: float = 1.5,
        timeout: float = 10.0,
        max_results: int = 1000,
        transport: httpx.AsyncBaseTransport | None = None,
        user_agent: str = USER_AGENT,
        moderates: bool = False,
    ) -> None:
        if isinstance(room_id, bool) or not isinstance(room_id, int) or room_id <= 0:
            raise ValueError(f"room_id must be a positive integer, got {room_id!r}")
        if max_len < 1 or max_parts < 1:
            raise ValueError("max_len and max_parts must be >= 1")
        if not retry_after_s >= 0 or not timeout > 0 or max_results < 1:
            raise ValueError("need retry_after_s >= 0, timeout > 0 and max_results >= 1")
        if not credentials.sessdata or not credentials.bili_jct:
            raise CredentialError("Bilibili posting credentials: SESSDATA and bili_jct must both be non-empty")
        self.room_id = room_id
        self.base_url = base_url.rstrip("/")
        self.max_len = max_len
        self.max_parts = max_parts
        self.rate = rate
        self.retry_after_s = retry_after_s
        self.moderates = moderates  # the account is the streamer or a room admin (房管): it may mute viewers
        self.stats = BilibiliPostStats()
        self._credentials = credentials
        self._window = SlidingWindow(rate)
        self._lock = asyncio.Lock()
        self._stopped: tuple[Unsent, str] | None = None
        self._closed = False
        self._results: deque[PostResult] = deque(maxlen=max_results)
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=timeout,
            transport=transport,
            headers={
                "User-Agent": user_agent,
                "Origin": "https://live.bilibili.com",
                "Referer": f"https://live.bilibili.com/{room_id}",
                "Accept": "application/json, text/plain, */*",
            },
        )

    # ------------------------------------------------------------------ state

    @property
    def capabilities(self) -> Capabilities:
        return bilibili_capabilities(self)

    @property
    def stopped(self) -> str | None:
        """Why posting stopped (muted, logged out), or None while the poster still posts."""
        return self._stopped[1] if self._stopped else None

    @property
    def results(self) -> tuple[PostResult, ...]:
        """The most recent results (at most ``max_results``), oldest first."""
        return tuple(self._results)

    @property
    def unsent(self) -> tuple[PostResult, ...]:
        return tuple(r for r in self._results if not r.sent)

    def __repr__(self) -> str:
        state = f"stopped={self._stopped[0].value!r}" if self._stopped else "posting"
        return f"BilibiliPoster(room_id={self.room_id}, base_url={self.base_url!r}, max_len={self.max_len}, {state})"

    # ------------------------------------------------------------------ posting

    async def __call__(self, reply: Reply) -> PostResult:
        return await self.post(reply)

    async def post(self, reply: Reply) -> PostResult:
        """Post ``reply`` (split or shortened to fit), waiting for the rate limit; return what happened."""
        async with self._lock:
            if self._closed:
                return self._finish(reply, Unsent.CLOSED, "the poster is closed")
            if self._stopped is not None:
                stop_reason, stop_detail = self._stopped
                return self._finish(reply, stop_reason, f"posting stopped earlier: {stop_detail}")
            if not reply.text.strip():
                return self._finish(reply, Unsent.REJECTED, "empty reply text")
            posted: list[str] = []
            for part in self._parts(reply.text):
                sent, reason, detail = await self._post_part(part)
                if sent is None:
                    return self._finish(reply, reason, detail, posted)
                posted.append(sent)
            return self._finish(reply, None, "", posted)

    def _parts(self, text: str) -> list[str]:
        text = text.strip()
        if len(text) <= self.max_len:
            return [text]
        return split_reply(text, self.max_len, max_parts=self.max_parts) or [fit_reply(text, self.max_len)]

    async def _post_part(self, text: str) -> tuple[str | None, Unsent | None, str]:
        """Post one message (with at most one retry per kind of refusal): (posted text, None, "") or (None, reason,
        detail)."""
        retried_rate = retried_long = False
        while True:
            answer = await self._send(text)
            outcome = answer.outcome
            if outcome is Outcome.OK:
                self.stats.messages_sent += 1
                return text, None, ""
            if outcome is Outcome.RATE_LIMITED and not retried_rate:
                retried_rate = True
                self.stats.retries += 1
                log.info(
                    "room %s: Bilibili says too fast (%s); retrying in %.1f s", self.room_id, answer.detail, self.retry_after_s
                )
                self._window.pause(time.monotonic() + self.retry_after_s)
                continue
            if outcome is Outcome.TOO_LONG and not retried_long:
                shorter = self._shorten(text)
                if shorter and shorter != text:
                    retried_long = True
                    self.stats.retries += 1
                    log.info(
                        "room %s: message too long for Bilibili (%s); retrying shortened to %d",
                        self.room_id,
                        answer.detail,
                        len(shorter),
                    )
                    text = shorter
                    continue
            return None, *self._refusal(answer)

    def _shorten(self, text: str) -> str:
        if len(text) > DEFAULT_MAX_LEN:
            if self.max_len > DEFAULT_MAX_LEN:
                log.warning(
                    "room %s: Bilibili refused a %d-character message: the account's limit is below max_len=%d; now using %d",
                    self.room_id,
                    len(text),
                    self.max_len,
                    DEFAULT_MAX_LEN,
                )
                self.max_len = DEFAULT_MAX_LEN
            return fit_reply(text, DEFAULT_MAX_LEN)
        return fit_reply(text, max(1, len(text) * 3 // 4))

    def _refusal(self, answer: _Answer) -> tuple[Unsent, str]:
        """The reason for an answer that is not OK (after retries); stops posting when the account cannot post."""
        outcome, detail = answer.outcome, answer.detail
        if outcome is None:
            log.error("room %s: %s", self.room_id, detail)
            return answer.reason or Unsent.BAD_RESPONSE, detail
        if outcome is Outcome.NOT_LOGGED_IN:
            return self._stop(
                Unsent.AUTH,
                f"Bilibili says the bot account is not logged in ({detail}): the SESSDATA cookie has expired or was "
                f"revoked. Log in to bilibili.com again, copy the new SESSDATA and bili_jct cookies into {ENV_SESSDATA} / "
                f"{ENV_BILI_JCT} (or the credentials file) and restart. Posting to room {self.room_id} stopped.",
            )
        if outcome is Outcome.CSRF:
            return self._stop(
                Unsent.AUTH,
                f"Bilibili rejected the CSRF token ({detail}): bili_jct must come from the same login as SESSDATA. "
                f"Copy both cookies again into {ENV_SESSDATA} / {ENV_BILI_JCT}. Posting to room {self.room_id} stopped.",
            )
        if outcome is Outcome.MUTED:
            return self._stop(
                Unsent.MUTED,
                f"Bilibili: the bot account is muted in room {self.room_id} ({detail}). Posting stopped; replies are "
                "kept as unsent. Lift the mute (or make the account a room admin) and restart.",
            )
        reason = {
            Outcome.RATE_LIMITED: Unsent.RATE_LIMITED,
            Outcome.DUPLICATE: Unsent.DUPLICATE,
            Outcome.TOO_LONG: Unsent.TOO_LONG,
            Outcome.SENSITIVE: Unsent.SENSITIVE,
        }.get(outcome, Unsent.REJECTED)
        log.warning("room %s: Bilibili refused a message (%s): %s", self.room_id, reason.value, detail)
        return reason, detail

    def _stop(self, reason: Unsent, detail: str) -> tuple[Unsent, str]:
        self._stopped = (reason, detail)
        log.error("%s", detail)
        return reason, detail

    async def _send(self, text: str) -> _Answer:
        """One HTTP request, made when the rate limit allows; the window counts it when it completes."""
        wait = self._window.delay(time.monotonic())  # one sleep is enough: the lock keeps other posts out meanwhile
        if wait > 0:
            await asyncio.sleep(wait)
        jct = self._credentials.bili_jct.reveal()
        form = {
            "bubble": "0",
            "msg": text,
            "color": str(WHITE),
            "mode": "1",
            "fontsize": "25",
            "rnd": str(int(time.time())),
            "roomid": str(self.room_id),
            "csrf": jct,
            "csrf_token": jct,
        }
        cookie = f"SESSDATA={self._credentials.sessdata.reveal()}; bili_jct={jct}"
        self.stats.requests += 1
        try:
            response = await self._http.post(SEND_PATH, data=form, headers={"Cookie": cookie})
        except httpx.TimeoutException:
            return _Answer(None, "Bilibili did not answer in time (the message may or may not have been posted)", Unsent.NETWORK)
        except httpx.HTTPError as exc:
            return _Answer(None, f"cannot reach Bilibili at {self.base_url}: {type(exc).__name__}: {exc}", Unsent.NETWORK)
        finally:
            self._window.record(time.monotonic())
        return self._read(response)

    def _read(self, response: httpx.Response) -> _Answer:
        status = response.status_code
        body = response.content
        try:
            obj = json.loads(body)
        except ValueError:
            if looks_like_html(body, response.headers.get("content-type", "")):
                return _Answer(None, f"Bilibili returned HTML instead of JSON (status {status})", Unsent.BAD_RESPONSE)
            return _Answer(None, f"Bilibili returned a non-JSON body (status {status})", Unsent.BAD_RESPONSE)
        code = obj.get("code") if isinstance(obj, dict) else None
        if isinstance(code, bool) or not isinstance(code, int):
            if status >= 400:
                return _Answer(None, f"Bilibili answered HTTP {status}", Unsent.HTTP_ERROR)
            return _Answer(None, f"Bilibili returned JSON without an integer code (status {status})", Unsent.BAD_RESPONSE)
        raw_message = obj.get("message") or obj.get("msg") or ""
        message = raw_message if isinstance(raw_message, str) else str(raw_message)
        outcome = classify(code, message)
        detail = f"code {code}" + (f" {message.strip()[:200]!r}" if message.strip() else "")
        if outcome is Outcome.OK and status >= 400:
            return _Answer(None, f"Bilibili answered HTTP {status} ({detail})", Unsent.HTTP_ERROR)
        return _Answer(outcome, detail)

    def _finish(self, reply: Reply, reason: Unsent | None, detail: str, posted: list[str] | None = None) -> PostResult:
        result = PostResult(reply, reason is None, reason, detail, tuple(posted or ()))
        self._results.append(result)
        if result.sent:
            self.stats.replies_sent += 1
        else:
            self.stats.replies_unsent += 1
            self.stats.unsent_reasons[str(reason)] += 1
        return result

    # ------------------------------------------------------------------ moderation

    async def moderate(self, action: ModerationAction) -> ModerationResult:
        """``timeout``: mute the viewer (禁言) for ``ceil(duration_s / 3600)`` hours through ``AddSilentUser`` (the
        web API counts whole hours). ``delete``: not supported — Bilibili offers no documented call to delete a
        viewer's live danmaku. Paced with posts (same window, same lock). Never raises for a refusal."""
        if action.action != "timeout":
            return ModerationResult(action, False, "Bilibili has no API to delete a viewer's live danmaku")
        if not action.user.isascii() or not action.user.isdigit():
            return ModerationResult(action, False, "no Bilibili uid for this comment (the danmaku carried none)")
        hours = max(1, -(-int(action.duration_s or 1) // 3600))
        async with self._lock:
            if self._closed:
                return ModerationResult(action, False, "the poster is closed")
            wait = self._window.delay(time.monotonic())
            if wait > 0:
                await asyncio.sleep(wait)
            jct = self._credentials.bili_jct.reveal()
            form = {
                "room_id": str(self.room_id), "tuid": action.user, "mobile_app": "web", "type": "1", "hour": str(hours),
                "visit_id": "", "csrf": jct, "csrf_token": jct,
            }
            cookie = f"SESSDATA={self._credentials.sessdata.reveal()}; bili_jct={jct}"
            try:
                response = await self._http.post(MUTE_PATH, data=form, headers={"Cookie": cookie})
            except httpx.HTTPError as exc:
                return ModerationResult(action, False, f"cannot reach Bilibili at {self.base_url}: {type(exc).__name__}")
            finally:
                self._window.record(time.monotonic())
        answer = self._read(response)
        if answer.outcome is Outcome.OK:
            return ModerationResult(action, True, "")
        log.warning("Bilibili room %d: muting uid %s failed: %s", self.room_id, action.user, answer.detail)
        return ModerationResult(action, False, answer.detail)

    # ------------------------------------------------------------------ close

    async def aclose(self) -> None:
        """Close the HTTP client. Later posts return unsent ``closed``."""
        self._closed = True
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def bilibili_poster(
    room_id: int,
    credentials: BilibiliCredentials | None = None,
    *,
    credentials_file: str | os.PathLike[str] | None = None,
    env: dict[str, str] | None = None,
    **options: Any,
) -> BilibiliPoster:
    """A poster for ``room_id``, to pass as ``post_reply=`` to :class:`~bot.adapters.bilibili.BilibiliRoomClient`.
    Credentials: given, else from the environment / ``credentials_file`` (:meth:`BilibiliCredentials.load`).
    ``options`` are :class:`BilibiliPoster`'s keyword arguments (base_url, max_len, rate, ...)."""
    creds = credentials if credentials is not None else BilibiliCredentials.load(credentials_file, env=env)
    return BilibiliPoster(room_id, creds, **options)


def bilibili_capabilities(poster: BilibiliPoster | None = None) -> Capabilities:
    """What the bot can do in a Bilibili room: read comments always; post only with a poster (credentials)."""
    if poster is None:
        return Capabilities("bilibili", can_post=False, max_len=DEFAULT_MAX_LEN, rate=DEFAULT_RATE, events=frozenset({"comment"}))
    return Capabilities(
        "bilibili", can_post=poster.stopped is None, max_len=poster.max_len, rate=poster.rate, events=frozenset({"comment"}),
        can_moderate=frozenset({"timeout"}) if poster.moderates else frozenset(),
    )
