"""What waits to be posted and what was thrown away, per kind of message — for the console (issue 14.6).

All posts share the room's rate limit through one scheduler (bot/replies.py) with a priority per kind: answers (200) >
staff "answer now" (100) > keyword rules (50) > scheduled messages (20) > greetings (10). The live loop records every
message it had to give up (queue overflow, too old after a pause, a scheduled message that could not be said) here;
the heartbeat carries `snapshot()` to the console's live page.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.announcements import ANSWER_PRIORITY, GREETING_PRIORITY, RULE_PRIORITY, SCHEDULED_PRIORITY, STAFF_PRIORITY

__all__ = ["KINDS", "DroppedMessage", "OutboxLog", "kind_of"]

KINDS = ("answer", "staff", "rule", "scheduled", "greeting")
_FLOORS = (
    (ANSWER_PRIORITY, "answer"), (STAFF_PRIORITY, "staff"), (RULE_PRIORITY, "rule"), (SCHEDULED_PRIORITY, "scheduled"),
    (GREETING_PRIORITY, "greeting"),
)
RECENT = 20  # dropped messages kept for the console
TEXT_CHARS = 120


def kind_of(priority: int) -> str:
    """The kind of message a scheduler priority stands for."""
    for floor, kind in _FLOORS:
        if priority >= floor:
            return kind
    return "greeting"


@dataclass(frozen=True, slots=True)
class DroppedMessage:
    at: float
    kind: str
    text: str
    why: str  # "queue_full" | "stale_after_pause" | "cannot_say"

    def as_json(self) -> dict[str, Any]:
        return {"at": round(self.at, 3), "kind": self.kind, "text": self.text, "why": self.why}


class OutboxLog:
    """Counts and the latest few of the messages given up, by kind (bounded)."""

    def __init__(self, recent: int = RECENT) -> None:
        self.dropped_by_kind: dict[str, int] = dict.fromkeys(KINDS, 0)
        self.recent: deque[DroppedMessage] = deque(maxlen=recent)

    def dropped(self, priority: int, text: str, why: str, at: float | None = None) -> None:
        kind = kind_of(priority)
        self.dropped_by_kind[kind] = self.dropped_by_kind.get(kind, 0) + 1
        shown = text if len(text) <= TEXT_CHARS else text[: TEXT_CHARS - 1] + "…"
        self.recent.append(DroppedMessage(time.time() if at is None else at, kind, shown, why))

    def snapshot(self, pending_by_priority: Mapping[int, int]) -> dict[str, Any]:
        pending = dict.fromkeys(KINDS, 0)
        for priority, n in pending_by_priority.items():
            pending[kind_of(priority)] += n
        return {
            "pending": pending,
            "dropped": dict(self.dropped_by_kind),
            "recent": [m.as_json() for m in reversed(self.recent)],  # newest first
        }
