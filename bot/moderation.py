"""Inbound moderation: links, contact details, blocked words and floods are never answered.

Pure rules from ``data/moderation.yaml`` plus one small bounded state (recent texts per viewer and per text) for floods.
A flagged comment is still recorded, with the reason (``moderation: …``) that the console shows to staff.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from collections import OrderedDict, deque
from collections.abc import Sequence
from dataclasses import dataclass

from bot.cli_i18n import N_
from bot.datafiles import read_yaml_mapping
from bot.errors import InputFileError

__all__ = ["Moderator", "load_moderator"]

MAX_PATTERN_CHARS = 200
MAX_PATTERNS = 500
MIN_PASTED_CHARS = 15  # a text this long repeated is pasted (an ad), not asked
MAX_TRACKED = 20_000  # distinct texts / viewers remembered for flood detection (oldest forgotten first)


@dataclass(frozen=True, slots=True)
class FloodRule:
    same_viewer: int = 3
    many_viewers: int = 4
    window_s: float = 60.0


class Moderator:
    def __init__(self, contact: Sequence[str] = (), blocked: Sequence[str] = (), flood: FloodRule | None = None) -> None:
        self.contact = [re.compile(p, re.I) for p in contact]
        self.set_blocked(blocked)
        self.flood = flood or FloodRule()
        self._by_text: OrderedDict[str, deque[tuple[float, str]]] = OrderedDict()

    def set_blocked(self, blocked: Sequence[str]) -> None:
        """Replace the blocked words (staff edited them in the console); flood state is kept."""
        self.blocked = [unicodedata.normalize("NFKC", w).casefold().strip() for w in blocked if w.strip()]

    def check(self, user: str, text: str, now: float | None = None) -> str | None:
        """Why this comment must not be answered ("contact details or a link", "blocked word …", "flood …"), or None."""
        now = time.monotonic() if now is None else now
        folded = unicodedata.normalize("NFKC", text or "").casefold()[:500]
        if not folded.strip():
            return None
        flood = self._flood(user, folded.strip(), now)
        if any(p.search(folded) for p in self.contact):
            return "contact details or a link"
        word = next((w for w in self.blocked if w in folded), None)
        if word is not None:
            return f"blocked word 「{word}」"
        return flood

    def _flood(self, user: str, text: str, now: float) -> str | None:
        seen = self._by_text.get(text)
        if seen is None:
            seen = deque(maxlen=64)
            self._by_text[text] = seen
            while len(self._by_text) > MAX_TRACKED:
                self._by_text.popitem(last=False)
        else:
            self._by_text.move_to_end(text)
        window = self.flood.window_s
        while seen and now - seen[0][0] > window:
            seen.popleft()
        seen.append((now, user))
        if len(text) < MIN_PASTED_CHARS:
            return None  # short repeats ("XL还有吗" asked again, "上链接") are impatience, not spam
        same = sum(1 for _, u in seen if u == user)
        viewers = len({u for _, u in seen})
        if same >= self.flood.same_viewer:
            return f"flood: the same text {same}× from one viewer within {window:g} s"
        # Many viewers asking the same short question ("多少钱") is a busy room, not a flood: only long pasted texts count.
        if viewers >= self.flood.many_viewers:
            return f"flood: the same text from {viewers} viewers within {window:g} s"
        return None


def load_moderator(path: str | os.PathLike[str]) -> Moderator:
    """Read ``data/moderation.yaml``. A broken file, a pattern that does not compile, is too long, or matches the
    empty text (it would silence every comment) is a clear error."""
    p, doc = read_yaml_mapping(path, N_("moderation rules"), "contact / blocked / flood")
    contact = doc.get("contact") or []
    blocked = doc.get("blocked") or []
    if not isinstance(contact, list) or not isinstance(blocked, list) or len(contact) + len(blocked) > MAX_PATTERNS:
        raise InputFileError(p, None, f"contact and blocked must be lists (at most {MAX_PATTERNS} entries)")
    for i, pattern in enumerate(contact, 1):
        if not isinstance(pattern, str) or not pattern or len(pattern) > MAX_PATTERN_CHARS:
            raise InputFileError(p, None, f"contact pattern {i}: a regular expression of 1–{MAX_PATTERN_CHARS} characters")
        try:
            compiled = re.compile(pattern, re.I)
        except re.error as exc:
            raise InputFileError(p, None, f"contact pattern {i} does not compile: {exc}") from None
        if compiled.search(""):
            raise InputFileError(p, None, f"contact pattern {i} matches every comment")
    flood = doc.get("flood") or {}
    try:
        rule = FloodRule(int(flood.get("same_viewer", 3)), int(flood.get("many_viewers", 4)), float(flood.get("window_s", 60)))
    except (TypeError, ValueError, AttributeError):
        raise InputFileError(p, None, "flood: same_viewer, many_viewers (integers) and window_s (seconds)") from None
    if rule.same_viewer < 2 or rule.many_viewers < 2 or not 0 < rule.window_s <= 3600:
        raise InputFileError(p, None, "flood: counts of at least 2 and a window of 0–3600 s")
    return Moderator([str(c) for c in contact], [str(b) for b in blocked], rule)
