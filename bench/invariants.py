"""The invariants every delivery benchmark checks on the comment and reply logs (chaos, scale-out): each comment
recorded exactly once, none left undecided or in error, none answered twice."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from catalog.store import CatalogStore


@dataclass
class Check:
    expected: int = 0
    recorded: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)
    duplicated: list[tuple[str, str]] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    answered_twice: list[tuple[str, str]] = field(default_factory=list)
    replies: int = 0

    def problems(self) -> list[str]:
        out = []
        if self.missing:
            out.append(f"{len(self.missing)} comments never recorded: {self.missing[:5]}")
        if self.duplicated:
            out.append(f"{len(self.duplicated)} recorded twice: {self.duplicated[:5]}")
        for status in ("received", "error"):
            if self.statuses.get(status):
                out.append(f"{self.statuses[status]} rows left {status!r}")
        if self.answered_twice:
            out.append(f"{len(self.answered_twice)} comments answered twice: {self.answered_twice[:5]}")
        return out


def check(db_url: str, expected: set[tuple[str, str]]) -> Check:
    """comment_log holds every (room, id) once and nothing else; no comment is in two replies (reply_log)."""
    store = CatalogStore(db_url)
    try:
        rows = store.comments(limit=None)
        ids = Counter((r.room, r.comment_id) for r in rows)
        result = Check(expected=len(expected), recorded=sum(ids.values()))
        result.missing = sorted(expected - set(ids))
        result.duplicated = sorted(k for k, n in ids.items() if n > 1) + sorted(k for k in ids if k not in expected)
        result.statuses = store.comment_counts()
        seen: Counter[tuple[str, str]] = Counter()
        replies = store.replies(limit=None)
        result.replies = len(replies)
        for reply in replies:
            for cid in reply.reply_to:
                seen[(reply.room, cid)] += 1
        result.answered_twice = sorted(k for k, n in seen.items() if n > 1)
        return result
    finally:
        store.close()
