"""Sans-I/O pieces of the YouTube live chat adapter (Data API v3, ``liveChatMessages``): parse a list page, build an
insert body, read a Google API error, account for quota. No sockets, no asyncio; :mod:`bot.adapters.youtube` does I/O.

Wire format (https://developers.google.com/youtube/v3/live/docs/liveChatMessages):

* ``GET /liveChat/messages?liveChatId=…&part=snippet,authorDetails[&pageToken=…]`` →
  ``{"nextPageToken": str, "pollingIntervalMillis": int, "offlineAt"?: datetime, "items": [liveChatMessage]}``,
  items oldest first; a ``liveChatMessage`` is ``{"id", "snippet": {"type", "publishedAt", "displayMessage",
  "textMessageDetails": {"messageText"}, ...}, "authorDetails": {"channelId", "displayName", ...}}``.
* ``POST /liveChat/messages?part=snippet`` with ``{"snippet": {"liveChatId", "type": "textMessageEvent",
  "textMessageDetails": {"messageText"}}}`` → the inserted ``liveChatMessage``.
* Errors: ``{"error": {"code": 403, "message": …, "errors": [{"domain", "reason": "liveChatEnded", "message"}]}}``.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.adapters.posting import looks_like_html
from bot.messages import Comment
from bot.protocol import MAX_ID_CHARS, clean_text

__all__ = [
    "DEFAULT_DAILY_QUOTA",
    "INSERT_COST",
    "LIST_COST",
    "MAX_MESSAGE_LEN",
    "ApiError",
    "ChatPage",
    "QuotaBudget",
    "insert_body",
    "pacific_day",
    "parse_error",
    "parse_page",
    "parse_published_at",
]

# Quota units per call, from the method reference pages ("Quota impact: A call to this method has a quota cost of
# N units", developers.google.com/youtube/v3/live/docs/liveChatMessages/list and …/insert) and the quota table at
# developers.google.com/youtube/v3/determine_quota_cost. Every request counts, including invalid ones. Older
# revisions of the table listed 50 for liveChatMessages.insert; the adapter takes the costs as parameters.
LIST_COST: Final = 5
INSERT_COST: Final = 20
DEFAULT_DAILY_QUOTA: Final = 10_000  # a new Google Cloud project's default allocation, reset at midnight Pacific time
MAX_MESSAGE_LEN: Final = 200  # snippet.textMessageDetails.messageText: at most 200 characters


@dataclass(frozen=True, slots=True)
class ChatPage:
    """One ``liveChatMessages.list`` answer, reduced to what the bot uses."""

    comments: tuple[Comment, ...]
    next_page_token: str | None
    polling_interval_s: float | None
    offline: bool  # offlineAt is set: the chat is no longer live
    author_ids: tuple[str, ...] = ()  # channelId of each comment, same order (to skip the bot's own messages)
    ignored: Counter[str] = field(default_factory=Counter)  # well-formed items the bot does not use, per snippet.type
    problems: tuple[str, ...] = ()  # one reason per malformed item (skipped)


@dataclass(frozen=True, slots=True)
class ApiError:
    """A Google API error answer: HTTP status, the first ``errors[].reason`` (e.g. ``quotaExceeded``,
    ``liveChatEnded``), the message. ``html`` is True when the body was an HTML page, not JSON."""

    status: int
    reason: str
    message: str
    html: bool = False


def parse_published_at(value: object) -> float:
    """RFC 3339 ``publishedAt`` (``2026-12-01T15:04:05.123Z``) → Unix seconds. A value without offset is UTC."""
    if not isinstance(value, str) or not value:
        raise ValueError("publishedAt is missing")
    dt = datetime.fromisoformat(value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


def _item_comment(item: Mapping[str, Any], room: str) -> tuple[Comment, str] | str:
    """A textMessageEvent item → (Comment, author channel id); any other well-formed item → its type."""
    item_id = item.get("id")
    snippet = item.get("snippet")
    author = item.get("authorDetails")
    if not isinstance(item_id, str) or not item_id or len(item_id) > MAX_ID_CHARS:
        raise ValueError("id is missing or not a string")
    if not isinstance(snippet, dict):
        raise ValueError("snippet is missing")
    kind = snippet.get("type")
    if not isinstance(kind, str):
        raise ValueError("snippet.type is missing")
    if kind != "textMessageEvent":
        return kind
    text = snippet.get("displayMessage")
    if not isinstance(text, str):
        details = snippet.get("textMessageDetails")
        text = details.get("messageText") if isinstance(details, dict) else None
    if not isinstance(text, str):
        raise ValueError("snippet.displayMessage is missing")
    channel = author.get("channelId") if isinstance(author, dict) else None
    if not isinstance(channel, str) or not channel:
        channel = snippet.get("authorChannelId")  # present in snippet too; authorDetails needs part=authorDetails
    if not isinstance(channel, str) or not channel:
        raise ValueError("authorDetails.channelId is missing")
    ts = parse_published_at(snippet.get("publishedAt"))
    return Comment(id=f"yt-{item_id}", user=channel, text=clean_text(text), ts=ts, room=room, lang=None), channel


def parse_page(obj: object, room: str) -> ChatPage:
    """Parse a list answer. Malformed items are skipped and described in ``problems``; a body that is not a list
    answer at all raises ValueError."""
    if not isinstance(obj, dict):
        raise ValueError("expected a JSON object")
    items = obj.get("items", [])
    if not isinstance(items, list):
        raise ValueError("items is not a list")
    token = obj.get("nextPageToken")
    interval = obj.get("pollingIntervalMillis")
    interval_s = None
    if isinstance(interval, int | float) and not isinstance(interval, bool) and math.isfinite(interval) and interval >= 0:
        interval_s = interval / 1000.0
    comments: list[Comment] = []
    authors: list[str] = []
    ignored: Counter[str] = Counter()
    problems: list[str] = []
    for index, item in enumerate(items):
        try:
            if not isinstance(item, dict):
                raise ValueError("not an object")
            got = _item_comment(item, room)
        except (ValueError, TypeError, OverflowError) as exc:
            problems.append(f"item {index}: {exc}")
            continue
        if isinstance(got, str):
            ignored[got] += 1
        else:
            comments.append(got[0])
            authors.append(got[1])
    return ChatPage(
        comments=tuple(comments),
        next_page_token=token if isinstance(token, str) and token else None,
        polling_interval_s=interval_s,
        offline=bool(obj.get("offlineAt")),
        author_ids=tuple(authors),
        ignored=ignored,
        problems=tuple(problems),
    )


def insert_body(live_chat_id: str, text: str) -> dict[str, Any]:
    return {"snippet": {"liveChatId": live_chat_id, "type": "textMessageEvent", "textMessageDetails": {"messageText": text}}}


def parse_error(status: int, body: bytes, content_type: str = "") -> ApiError:
    """Read a Google API error body (any status >= 400, or a 2xx body that is not the expected JSON)."""
    try:
        obj = json.loads(body)
    except ValueError:
        return ApiError(status, "", "", html=looks_like_html(body, content_type))
    error = obj.get("error") if isinstance(obj, dict) else None
    if not isinstance(error, dict):
        return ApiError(status, "", "")
    message = error.get("message")
    reason = ""
    errors = error.get("errors")
    if isinstance(errors, list):
        for entry in errors:
            if isinstance(entry, dict) and isinstance(entry.get("reason"), str):
                reason = entry["reason"]
                break
    if not reason and isinstance(error.get("status"), str):
        reason = error["status"]  # newer error format: {"status": "PERMISSION_DENIED", "details": [...]}
    return ApiError(status, reason, message if isinstance(message, str) else "")


# ---------------------------------------------------------------------------------------------------- quota

_PACIFIC_FALLBACK = timezone(timedelta(hours=-8), "PST")


def pacific_day() -> date:
    """Today in Pacific time: YouTube's daily quota resets at midnight there."""
    try:
        tz: ZoneInfo | timezone = ZoneInfo("America/Los_Angeles")
    except ZoneInfoNotFoundError:  # no tz database: an hour off during daylight saving time
        tz = _PACIFIC_FALLBACK
    return datetime.now(tz).date()


class QuotaBudget:
    """The project's daily YouTube quota as this process spends it.

    ``remaining`` units are left of ``daily``; ``prefer_merged`` turns True below ``low_fraction`` of the budget
    (answer several viewers in one message: each insert costs the same whatever its length); :meth:`affords`
    refuses spending beyond the budget; :meth:`poll_interval` stretches the wait between polls as the budget
    runs low. ``used`` starts at what the caller says was already spent today (other processes share the
    project's quota), and resets when the Pacific-time day changes."""

    def __init__(
        self,
        daily: int = DEFAULT_DAILY_QUOTA,
        *,
        used: int = 0,
        low_fraction: float = 0.3,
        day: Callable[[], object] = pacific_day,
    ) -> None:
        if daily < 1 or used < 0 or not 0 < low_fraction < 1:
            raise ValueError("need daily >= 1, used >= 0 and 0 < low_fraction < 1")
        self.daily = daily
        self.low_fraction = low_fraction
        self._used = used
        self._day_of = day
        self._day = day()

    def _roll(self) -> None:
        today = self._day_of()
        if today != self._day:
            self._day = today
            self._used = 0

    @property
    def used(self) -> int:
        self._roll()
        return self._used

    @property
    def remaining(self) -> int:
        return max(0, self.daily - self.used)

    @property
    def fraction(self) -> float:
        return self.remaining / self.daily

    @property
    def prefer_merged(self) -> bool:
        return self.fraction < self.low_fraction

    def affords(self, cost: int) -> bool:
        return cost <= self.remaining

    def spend(self, cost: int) -> None:
        """Count a request that reached the API (every one costs, failed or not)."""
        self._roll()
        self._used += cost

    def exhaust(self) -> None:
        """The API said quotaExceeded: nothing is left today, whatever our count says."""
        self._roll()
        self._used = max(self._used, self.daily)

    def poll_interval(self, base_s: float, *, max_s: float = 60.0) -> float:
        """The wait before the next poll: ``base_s`` (the server's pollingIntervalMillis, or our floor) while the
        budget is healthy; below ``low_fraction`` stretched by ``low_fraction / fraction`` (at most 20×), capped
        at ``max_s`` — but never shorter than ``base_s``."""
        fraction = self.fraction
        if fraction >= self.low_fraction:
            return base_s
        stretch = self.low_fraction / max(fraction, self.low_fraction / 20)
        return max(base_s, min(max_s, base_s * stretch))

    def __repr__(self) -> str:
        return f"QuotaBudget({self.remaining}/{self.daily} units left)"
