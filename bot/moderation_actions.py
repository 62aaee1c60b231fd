"""Which flagged comments the live loop asks the platform to delete or time out. Pure: no I/O.

Off by default (``Settings.moderation_action = "off"``). When on, only comments the inbound moderator flagged
(decision ``silent`` with reason ``moderation: …``: a link, contact details, a blocked word, a flood) are acted on —
never a comment handed to staff, never a complaint, never an ordinary silent comment (chit-chat, thanks). A viewer
already timed out is not timed out again while the timeout lasts (a flood would otherwise send one ban per line).
What happened is appended to the comment's reason: ``; deleted``, ``; timed out 600 s``,
``; delete failed: 401 Missing scope …``, ``; delete skipped: …``.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from bot.messages import ModerationAction, ModerationResult
from bot.pipeline import SILENT, Decision

__all__ = ["MODERATION_MODES", "ModerationPolicy", "outcome_note"]

MODERATION_MODES = ("off", "delete", "timeout")
MODERATION_PREFIX = "moderation: "
MAX_TIMEOUT_S = 14 * 24 * 3600  # the longest any supported platform allows (Twitch: 1,209,600 s)
_MAX_REMEMBERED = 10_000  # viewers whose timeout is remembered (oldest forgotten first)


@dataclass
class ModerationPolicy:
    action: str = "off"
    timeout_s: int = 600

    def __post_init__(self) -> None:
        if self.action not in MODERATION_MODES:
            raise ValueError(f"moderation_action must be one of {' | '.join(MODERATION_MODES)}, not {self.action!r}")
        if isinstance(self.timeout_s, bool) or not isinstance(self.timeout_s, int) or not 1 <= self.timeout_s <= MAX_TIMEOUT_S:
            raise ValueError(f"moderation_timeout_s must be an integer of 1–{MAX_TIMEOUT_S} seconds")
        self._timed_out: OrderedDict[tuple[str, str], float] = OrderedDict()  # (room, user) -> until (monotonic)

    @property
    def on(self) -> bool:
        return self.action != "off"

    def wants(
        self, comment_id: str, user: str, room: str, decision: Decision, now: float
    ) -> ModerationAction | None:
        """The action to request for this decided comment, or None (off, not flagged, staff/complaint, or the viewer
        is still timed out from an earlier action)."""
        if not self.on or decision.band != SILENT or not decision.reason.startswith(MODERATION_PREFIX):
            return None
        if decision.intent == "complaint":
            return None
        if self.action == "timeout":
            until = self._timed_out.get((room, user))
            if until is not None and until > now:
                return None
        duration = self.timeout_s if self.action == "timeout" else None
        return ModerationAction(comment_id, user, self.action, duration, decision.reason, room)

    def done(self, result: ModerationResult, now: float) -> None:
        """Remember a successful timeout so the same viewer is not timed out again while it lasts."""
        action = result.action
        if result.ok and action.action == "timeout" and action.duration_s:
            key = (action.room, action.user)
            self._timed_out[key] = now + action.duration_s
            self._timed_out.move_to_end(key)
            while len(self._timed_out) > _MAX_REMEMBERED:
                self._timed_out.popitem(last=False)


def outcome_note(result: ModerationResult) -> str:
    """What is appended to the comment's reason: "; deleted", "; timed out 600 s", "; delete failed: …"."""
    action = result.action
    if result.ok:
        return "; deleted" if action.action == "delete" else f"; timed out {action.duration_s} s"
    return f"; {action.action} failed: {result.detail or 'unknown reason'}"[:300]
