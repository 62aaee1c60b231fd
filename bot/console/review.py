"""The review queue: comments the bot stayed silent on or handed to staff, grouped by similarity.

One group per underlying question ("XL还有吗" / "xl还有没有" / "有XL码吗" end up together), largest first.
Similarity is cosine over sentence vectors when an embedder is available (the bot's), else over character
bigram counts. Clustering is greedy "leader" clustering: each comment joins the most similar existing group
above the threshold, or starts a new one. Comments staff already handled are left out.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from catalog.reports import REVIEW_STATUSES, review_candidates

Encode = Callable[[list[str]], np.ndarray]

SKIP_REASONS = ("empty comment", "emoji only")  # nothing to answer there
EMBED_THRESHOLD = 0.65  # USE: same question 0.7-0.95, different questions mostly < 0.56
LEXICAL_THRESHOLD = 0.6
_PUNCT_RE = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class QueuedComment:
    room: str
    comment_id: str
    user: str
    text: str
    received_at: float
    status: str
    reason: str | None
    faq_id: str | None
    score: float | None
    product_id: str | None
    lang: str | None


@dataclass
class ReviewGroup:
    key: str  # stable id of the group: room/comment id of its first comment
    text: str  # the most frequent wording
    comments: list[QueuedComment] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.comments)

    @property
    def texts(self) -> list[tuple[str, int]]:
        return Counter(c.text for c in self.comments).most_common()

    @property
    def suggested_faq(self) -> str | None:
        faqs = Counter(c.faq_id for c in self.comments if c.faq_id)
        return faqs.most_common(1)[0][0] if faqs else None

    @property
    def best_score(self) -> float:
        return max((c.score or 0.0 for c in self.comments), default=0.0)

    @property
    def statuses(self) -> dict[str, int]:
        return dict(Counter(c.status for c in self.comments))

    @property
    def product_id(self) -> str | None:
        products = Counter(c.product_id for c in self.comments if c.product_id)
        return products.most_common(1)[0][0] if products else None

    @property
    def lang(self) -> str:
        langs = Counter(c.lang for c in self.comments if c.lang)
        return langs.most_common(1)[0][0] if langs else "zh"

    @property
    def last_seen(self) -> float:
        return max(c.received_at for c in self.comments)

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return [(c.room, c.comment_id) for c in self.comments]


def normalise(text: str) -> str:
    return _PUNCT_RE.sub("", unicodedata.normalize("NFKC", text).casefold())


def queued_comments(
    store: Any, handled: set[tuple[str, str]], *, limit: int = 5000, include_trivial: bool = False
) -> list[QueuedComment]:
    """Silent/staff comments not yet handled by staff, out of the newest `limit` of them; oldest first."""
    out = []
    for r in review_candidates(store, REVIEW_STATUSES, limit=limit):  # oldest first: the first comment names a group
        if (r.room, r.comment_id) in handled:
            continue
        if not include_trivial and (r.reason in SKIP_REASONS or not normalise(r.text)):
            continue
        out.append(
            QueuedComment(
                room=r.room,
                comment_id=r.comment_id,
                user=r.user,
                text=r.text,
                received_at=r.received_at,
                status=r.status,
                reason=r.reason,
                faq_id=r.faq_id,
                score=r.score,
                product_id=r.product_id,
                lang=r.lang,
            )
        )
    return out


def _bigram_vectors(texts: Sequence[str]) -> np.ndarray:
    vocab: dict[str, int] = {}
    rows: list[Counter[int]] = []
    for t in texts:
        grams = [t[i : i + 2] for i in range(len(t) - 1)] or [t]
        rows.append(Counter(vocab.setdefault(g, len(vocab)) for g in grams))
    mat = np.zeros((len(texts), max(1, len(vocab))), dtype=np.float32)
    for i, row in enumerate(rows):
        for j, n in row.items():
            mat[i, j] = n
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    return mat / np.where(norms == 0, 1, norms)


def group_comments(
    comments: Sequence[QueuedComment], encode: Encode | None = None, threshold: float | None = None
) -> list[ReviewGroup]:
    """Group comments by meaning; largest group first (ties: most recent first)."""
    if not comments:
        return []
    # identical wording (after normalisation) always shares a group; cluster the distinct wordings
    by_norm: dict[str, list[QueuedComment]] = {}
    for c in comments:
        by_norm.setdefault(normalise(c.text) or c.text, []).append(c)
    keys = list(by_norm)
    vectors: np.ndarray
    if encode is not None:
        vectors = np.asarray(encode([by_norm[k][0].text for k in keys]), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = vectors / np.where(norms == 0, 1, norms)
        threshold = EMBED_THRESHOLD if threshold is None else threshold
    else:
        vectors = _bigram_vectors(keys)
        threshold = LEXICAL_THRESHOLD if threshold is None else threshold

    leaders: list[int] = []  # index into keys of each group's first wording
    members: list[list[int]] = []
    # most frequent wordings lead their groups
    order = sorted(range(len(keys)), key=lambda i: -len(by_norm[keys[i]]))
    for i in order:
        if leaders:
            sims = vectors[leaders] @ vectors[i]
            best = int(np.argmax(sims))
            if float(sims[best]) >= threshold:
                members[best].append(i)
                continue
        leaders.append(i)
        members.append([i])

    groups = []
    for idx in members:
        cs = sorted((c for i in idx for c in by_norm[keys[i]]), key=lambda c: c.received_at)
        group = ReviewGroup(key=f"{cs[0].room}/{cs[0].comment_id}", text="", comments=cs)
        group.text = group.texts[0][0]
        groups.append(group)
    groups.sort(key=lambda g: (-g.count, -g.last_seen))
    return groups
