"""Twitch chat moderation through the Helix API: delete a message, time a viewer out.

    helix = TwitchModeration(client_id="...", token=os.environ["LIVEREPLY_TWITCH_MOD_TOKEN"],
                             broadcaster_id="11111", moderator_id="44444")
    client = TwitchRoomClient(DEFAULT_URL, "somechannel", nick="shopbot", token=..., moderation=helix)
    await client.moderate(ModerationAction("twitch-abc-123", "98765", "delete", reason="moderation: link"))

IRC no longer carries ``/timeout`` or ``/delete`` (Twitch retired chat commands over IRC in 2023); both are Helix
calls made with a *user* access token of the broadcaster or one of its moderators (docs: dev.twitch.tv/docs/api/
reference, "Delete Chat Messages" and "Ban User"):

========================  =====================================================================================
delete a message          ``DELETE /helix/moderation/chat?broadcaster_id=&moderator_id=&message_id=`` → 204;
                          scope ``moderator:manage:chat_messages``; the message must be under 6 hours old and not
                          the broadcaster's or another moderator's
time a viewer out         ``POST /helix/moderation/bans?broadcaster_id=&moderator_id=`` with JSON
                          ``{"data": {"user_id", "duration", "reason"}}`` → 200; scope
                          ``moderator:manage:banned_users``; ``duration`` 1–1,209,600 s (without it: a permanent
                          ban, which this module never sends); ``reason`` at most 500 characters
========================  =====================================================================================

Both carry ``Authorization: Bearer <token>`` and ``Client-Id``; ``moderator_id`` must be the token's user. Rate:
Helix gives a user token a bucket of 800 points a minute (one per call); :class:`TwitchModeration` never makes more
than ``rate`` calls per window and a 429 pauses it until ``Ratelimit-Reset``. A 401 (expired token, missing scope,
client id mismatch) or 403 (the account is not a moderator here) stops moderation for the session: every later
action fails at once with the same reason instead of hammering the API. The token is a
:class:`~bot.adapters.credentials.Secret`; nothing here logs it, and ``repr`` does not show it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Final, Self

import httpx

from bot.adapters.backoff import sleep_unless_closed
from bot.adapters.capabilities import RateLimit
from bot.adapters.credentials import Secret
from bot.adapters.posting import looks_like_html
from bot.adapters.ratelimit import SlidingWindow
from bot.adapters.twitch_codec import COMMENT_ID_PREFIX
from bot.messages import ModerationAction, ModerationResult

__all__ = ["DEFAULT_HELIX_URL", "HELIX_RATE", "MAX_TIMEOUT_S", "TwitchModeration"]

log = logging.getLogger(__name__)

DEFAULT_HELIX_URL: Final = "https://api.twitch.tv/helix"
HELIX_RATE: Final = RateLimit(800, 60.0)  # documented token bucket: 800 points per minute per user token
MAX_TIMEOUT_S: Final = 1_209_600  # two weeks, the documented maximum
MAX_REASON_CHARS: Final = 500


class TwitchModeration:
    """Helix moderation calls for one channel (``broadcaster_id``) made as ``moderator_id``."""

    def __init__(
        self,
        *,
        client_id: str,
        token: str | Secret,
        broadcaster_id: str,
        moderator_id: str,
        base_url: str = DEFAULT_HELIX_URL,
        rate: RateLimit = HELIX_RATE,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        for name, value in (("client_id", client_id), ("broadcaster_id", broadcaster_id), ("moderator_id", moderator_id)):
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{name} must be a non-empty string")
        secret = token if isinstance(token, Secret) else Secret(token.removeprefix("oauth:"))
        if not secret:
            raise ValueError("the Twitch moderation token is empty")
        self.client_id = client_id
        self.broadcaster_id = broadcaster_id
        self.moderator_id = moderator_id
        self.base_url = base_url.rstrip("/")
        self._token = secret
        self._window = SlidingWindow(rate)
        self._lock = asyncio.Lock()
        self._closing = asyncio.Event()
        self._stopped: str | None = None  # why moderation stopped for the session (401 / 403)
        self.calls = 0
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout, transport=transport)

    def __repr__(self) -> str:
        return (
            f"TwitchModeration(base_url={self.base_url!r}, broadcaster_id={self.broadcaster_id!r}, "
            f"moderator_id={self.moderator_id!r}, token=***)"
        )

    @property
    def stopped(self) -> str | None:
        return self._stopped

    async def moderate(self, action: ModerationAction) -> ModerationResult:
        """Carry out ``action``; never raises for Twitch's refusal (the result says why, e.g. "401 Missing scope …")."""
        if self._stopped is not None:
            return ModerationResult(action, False, f"not tried: {self._stopped}")
        if action.action == "delete":
            message_id = action.comment_id.removeprefix(COMMENT_ID_PREFIX)
            if message_id == action.comment_id or not message_id:
                return ModerationResult(action, False, "not a Twitch message id")
            params = {"broadcaster_id": self.broadcaster_id, "moderator_id": self.moderator_id, "message_id": message_id}
            return await self._request(action, "DELETE", "/moderation/chat", params, None)
        if not action.user.isascii() or not action.user.isdigit():
            return ModerationResult(action, False, "no Twitch user id for this comment (only a login name)")
        duration = min(max(int(action.duration_s or 1), 1), MAX_TIMEOUT_S)
        body = {"data": {"user_id": action.user, "duration": duration, "reason": action.reason[:MAX_REASON_CHARS]}}
        params = {"broadcaster_id": self.broadcaster_id, "moderator_id": self.moderator_id}
        return await self._request(action, "POST", "/moderation/bans", params, body)

    async def _request(
        self, action: ModerationAction, method: str, path: str, params: dict[str, str], body: dict[str, Any] | None
    ) -> ModerationResult:
        async with self._lock:
            while not self._closing.is_set() and (wait := self._window.delay(time.monotonic())) > 0:
                await sleep_unless_closed(self._closing, wait)
            if self._closing.is_set():
                return ModerationResult(action, False, "closed")
            headers = {"Authorization": f"Bearer {self._token.reveal()}", "Client-Id": self.client_id}
            try:
                response = await self._http.request(method, path, params=params, json=body, headers=headers)
            except httpx.HTTPError as exc:
                return ModerationResult(action, False, f"cannot reach Twitch at {self.base_url}: {type(exc).__name__}")
            finally:
                self._window.record(time.monotonic())
                self.calls += 1
        status = response.status_code
        if 200 <= status < 300:  # documented: 204 for a delete, 200 for a ban
            return ModerationResult(action, True, "")
        detail = f"{status} {_helix_message(response)}".strip()
        if status == 429:
            reset = response.headers.get("ratelimit-reset", "")
            if reset.isdigit():
                self._window.pause(time.monotonic() + max(0.0, min(60.0, int(reset) - time.time())))
        elif status in (401, 403):
            self._stopped = detail
            log.error("Twitch moderation in channel %s stopped: %s", self.broadcaster_id, detail)
        return ModerationResult(action, False, detail)

    async def aclose(self) -> None:
        self._closing.set()
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def _helix_message(response: httpx.Response) -> str:
    """Helix errors are ``{"error": "Unauthorized", "status": 401, "message": "Missing scope: …"}``."""
    if looks_like_html(response.content, response.headers.get("content-type", "")):
        return "HTML instead of JSON"
    try:
        obj = response.json()
    except ValueError:
        return ""
    if not isinstance(obj, dict):
        return ""
    message = obj.get("message") or obj.get("error") or ""
    return str(message)[:200]
