"""What a platform lets the bot do, and fitting a reply into its limits. Pure: no I/O.

Every adapter exposes ``capabilities: Capabilities``; the live loop and the reply scheduler read it (can the bot
post at all, how long may a message be, how many per window, which behaviour events arrive).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Capabilities", "RateLimit", "fit_reply", "split_reply"]


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most ``messages`` posts per ``per_s`` seconds (a sliding window), per room."""

    messages: int
    per_s: float

    def __post_init__(self) -> None:
        if self.messages < 1 or not self.per_s > 0:
            raise ValueError("a rate limit needs messages >= 1 and per_s > 0")

    @property
    def per_second(self) -> float:
        return self.messages / self.per_s


@dataclass(frozen=True, slots=True)
class Capabilities:
    """A platform's limits, as the adapter knows them (data, not code: a platform change is a value change)."""

    platform: str
    can_post: bool
    max_len: int | None = None  # characters per message; None = no limit the bot needs to care about
    rate: RateLimit | None = None
    events: frozenset[str] = field(default_factory=lambda: frozenset({"comment"}))
    can_reply_to: bool = False  # the platform threads a reply under the viewer's message
    # what the bot may do to a flagged comment on this platform ("delete" the message, "timeout" its sender);
    # empty: nothing (the adapter has no moderation credentials, or the platform offers no such API)
    can_moderate: frozenset[str] = field(default_factory=frozenset)


# Clause boundaries, strongest first: a split never cuts a word or a number when one of these is available.
_BOUNDARIES = (
    re.compile(r"[。！？!?]\s*"),  # sentence end
    re.compile(r"[；;]\s*"),
    re.compile(r"[，,、：:]\s*"),  # clause
    re.compile(r"\s+"),  # word (Latin scripts)
)


def split_reply(text: str, max_len: int, *, max_parts: int = 3) -> list[str]:
    """Split ``text`` into at most ``max_parts`` messages of at most ``max_len`` characters each, at the strongest
    clause boundary that fits (sentence end, then clause, then space); a part with no boundary at all is cut
    hard. Returns [] when even ``max_parts`` messages cannot hold the text (the caller shortens or drops it)."""
    if max_len < 1:
        raise ValueError("max_len must be >= 1")
    text = text.strip()
    parts: list[str] = []
    while text:
        if len(text) <= max_len:
            parts.append(text)
            break
        cut = _best_cut(text, max_len)
        parts.append(text[:cut].strip())
        text = text[cut:].strip()
    parts = [p for p in parts if p]
    return parts if len(parts) <= max_parts else []


def fit_reply(text: str, max_len: int) -> str:
    """One message of at most ``max_len`` characters: the text up to the last clause boundary that fits, else cut
    with an ellipsis. Used when the platform allows a single message per answer."""
    text = text.strip()
    if len(text) <= max_len:
        return text
    cut = _best_cut(text, max_len - 1, hard=False)
    if cut:
        return text[:cut].rstrip(" ,，、;；:：")
    return text[: max_len - 1] + "…"


def _best_cut(text: str, limit: int, *, hard: bool = True) -> int:
    window = text[: limit + 1]
    for boundary in _BOUNDARIES:
        ends = [m.end() for m in boundary.finditer(window) if 0 < m.end() <= limit]
        if ends:
            return ends[-1]
    return limit if hard else 0
