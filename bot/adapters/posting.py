"""What became of one reply posted through a platform's HTTP API (Bilibili ``/msg/send``, YouTube live chat).

Posting adapters return a :class:`PostResult` for every reply: sent, or unsent with a machine-readable
:class:`Unsent` reason and a human-readable detail. They never raise for a platform's refusal; the live loop
reads ``result.sent`` (and the room client counts the reply in ``stats.unsent``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.messages import Reply

__all__ = ["PostResult", "Unsent", "looks_like_html"]


class Unsent(StrEnum):
    """Why a reply (or the rest of it) was not posted."""

    RATE_LIMITED = "rate_limited"  # the platform said "too fast" again after one back-off and retry
    DUPLICATE = "duplicate"  # the platform refused a repeat of a message it had just seen
    MUTED = "muted"  # the bot account is muted / banned in the room: posting stops
    TOO_LONG = "too_long"  # still too long after one shortening retry
    SENSITIVE = "sensitive"  # a blocked / sensitive word: dropped, not retried
    AUTH = "auth"  # not logged in, expired token, CSRF mismatch: posting stops until the credential is fixed
    QUOTA = "quota"  # the API quota would be exceeded (or was): posting stops
    CHAT_ENDED = "chat_ended"  # the live chat ended, was disabled or deleted
    FORBIDDEN = "forbidden"  # the platform forbids this account from posting here
    BAD_RESPONSE = "bad_response"  # HTML, non-JSON, or JSON of an unexpected shape
    HTTP_ERROR = "http_error"  # an HTTP error status without a known platform error
    NETWORK = "network"  # connection failure or timeout (a timed-out message may still have been posted)
    REJECTED = "rejected"  # any other platform error code (kept in the detail)
    CLOSED = "closed"  # the adapter was closed


@dataclass(frozen=True, slots=True)
class PostResult:
    """One reply's outcome. ``posted`` holds the messages that reached the room (a long reply is split into a
    few; when a later part fails, the earlier ones are still listed here and ``sent`` is False)."""

    reply: Reply
    sent: bool
    reason: Unsent | None = None
    detail: str = ""
    posted: tuple[str, ...] = ()


def looks_like_html(body: bytes, content_type: str) -> bool:
    """A login page, a CDN error page, a captive portal: what a JSON API returns when something in between is wrong."""
    if "html" in content_type.lower():
        return True
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml", b"<"))
