"""What the bot says on its own: scheduled messages (定时发言) and aggregated greetings / thanks. Sans-I/O.

The live loop calls :meth:`Announcer.observe` with behaviour events and :meth:`Announcer.due` about once a second; what
is due comes back as :class:`Announcement` s (templates, not text: the engine fills them with the live product on
stage). They go through the same reply scheduler as answers, at lower priorities, so they share the room's rate
budget and never starve answers: answers > staff "answer now" > keyword rules > scheduled > greetings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.messages import Follow, Gift, Purchase, ViewerEnter

__all__ = [
    "ANSWER_PRIORITY",
    "GREETING_PRIORITY",
    "RULE_PRIORITY",
    "SCHEDULED_PRIORITY",
    "STAFF_PRIORITY",
    "Announcement",
    "Announcer",
    "Schedule",
]

ANSWER_PRIORITY = 200  # answers to buying questions (FAQ, structured, recommendations)
STAFF_PRIORITY = 100  # staff "answer now" goes before the bot's own when rate-limit tokens are short
RULE_PRIORITY = 50  # keyword rules
SCHEDULED_PRIORITY = 20
GREETING_PRIORITY = 10

GREETING_WINDOW_S = 30.0  # greetings of this many seconds are merged into one message …
GREETING_MIN_INTERVAL_S = 120.0  # … and at most one greeting and one thank-you per this many seconds
MAX_NAMES = 3


@dataclass(frozen=True)
class Schedule:
    """Post ``messages`` in rotation every ``every_s`` seconds, only if ≥ ``min_comments`` arrived since the last one
    (a quiet room is not talked at), and only while ``stage`` is on stage when set."""

    id: str
    every_s: float
    messages: Sequence[Mapping[str, str]]  # each: lang -> template
    min_comments: int = 0
    stage: str | None = None


@dataclass(frozen=True, slots=True)
class Announcement:
    key: str  # unique per announcement (the reply's reply_to id)
    templates: Mapping[str, str]
    priority: int
    literal: bool = False  # plain text (greetings carry viewer names), not a template with the stage product


@dataclass
class _ScheduleState:
    last_at: float
    comments_at_last: int
    sent: int = 0


@dataclass
class Announcer:
    schedules: Sequence[Schedule] = ()
    greetings: bool = False
    _state: dict[str, _ScheduleState] = field(default_factory=dict)
    _entered: list[str] = field(default_factory=list)
    _thanked: list[tuple[str, str]] = field(default_factory=list)
    _first_pending_at: float | None = None
    _last_greeting_at: float = float("-inf")
    _n: int = 0

    def observe(self, event: object, now: float) -> None:
        """Remember a behaviour event for the next aggregated greeting / thank-you (bounded)."""
        if not self.greetings:
            return
        if isinstance(event, ViewerEnter) and event.user not in self._entered and len(self._entered) < 1000:
            self._entered.append(event.user)
        elif isinstance(event, (Follow, Gift, Purchase)) and len(self._thanked) < 1000:
            kind = {Follow: "follow", Gift: "gift", Purchase: "purchase"}[type(event)]
            self._thanked.append((event.user, kind))
        else:
            return
        if self._first_pending_at is None:
            self._first_pending_at = now

    def due(self, now: float, comments_seen: int, stage: str | None) -> list[Announcement]:
        out = [a for s in self.schedules if (a := self._scheduled(s, now, comments_seen, stage)) is not None]
        greeting = self._greeting(now)
        if greeting is not None:
            out.append(greeting)
        return out

    def _scheduled(self, s: Schedule, now: float, comments_seen: int, stage: str | None) -> Announcement | None:
        state = self._state.setdefault(s.id, _ScheduleState(last_at=now, comments_at_last=0))  # counts from the start
        if now - state.last_at < s.every_s or comments_seen - state.comments_at_last < s.min_comments:
            return None
        if s.stage is not None and s.stage != stage:
            return None
        message = s.messages[state.sent % len(s.messages)]
        state.last_at, state.comments_at_last, state.sent = now, comments_seen, state.sent + 1
        self._n += 1
        return Announcement(f"sched:{s.id}:{self._n}", message, SCHEDULED_PRIORITY)

    def _greeting(self, now: float) -> Announcement | None:
        if self._first_pending_at is None or now - self._first_pending_at < GREETING_WINDOW_S:
            return None
        if now - self._last_greeting_at < GREETING_MIN_INTERVAL_S:
            return None
        entered, thanked = self._entered, self._thanked
        self._entered, self._thanked, self._first_pending_at = [], [], None
        self._last_greeting_at = now
        self._n += 1
        if thanked:
            names = list(dict.fromkeys(u for u, _ in thanked))
            zh_more, en_more = _more(len(names))
            zh = f"感谢{'、'.join(names[:MAX_NAMES])}{zh_more}的支持!"
            en = f"Thank you {', '.join(names[:MAX_NAMES])}{en_more}!"
            return Announcement(f"thanks:{self._n}", {"zh": zh, "en": en}, GREETING_PRIORITY, literal=True)
        if entered:
            zh_more, en_more = _more(len(entered))
            zh = f"欢迎{'、'.join(entered[:MAX_NAMES])}{zh_more}进入直播间"
            en = f"Welcome {', '.join(entered[:MAX_NAMES])}{en_more}!"
            return Announcement(f"welcome:{self._n}", {"zh": zh, "en": en}, GREETING_PRIORITY, literal=True)
        return None


def _more(n: int) -> tuple[str, str]:
    """"等5位宝宝" / " and 2 more" when more viewers than the names shown."""
    if n <= MAX_NAMES:
        return "", ""
    return f"等{n}位宝宝", f" and {n - MAX_NAMES} more"
