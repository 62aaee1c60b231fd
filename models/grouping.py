"""Group paraphrases: average-linkage agglomerative clustering over sentence vectors, with side signals.

Pure functions over numpy arrays (no I/O, no model): the caller embeds the texts and describes each one with a
`GroupItem` (its lane, the products it can be about, the variant values it names, the bot's closest FAQ and score).

Pair similarity = cosine of the two vectors
  + `topic_bonus` when the bot matched both to the same FAQ with at least `topic_min_score` each,
  - `topic_penalty` when it matched them to different FAQs with at least that score each,
and two wordings never share a group (a "cannot link") when they sit in different lanes, can only be about
different products, or name different values of the same variant attribute ("XL还有吗" / "L还有吗").
Clusters merge, most similar first, while the average similarity between them (average linkage) stays at or
above the lane's threshold; a cannot-link pair keeps its two clusters apart for good. Lanes in `whole_lanes`
are one group each (e.g. spam: nothing in it needs a separate answer).

Defaults were chosen on the replayed demo show (data/demo_comments.jsonl, USE-m3): the threshold with the best
pairwise F1 against the log's FAQ labels; docs/console.md gives the figures and the check on other logs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["GroupItem", "GroupParams", "agglomerate", "group_items", "pair_similarity"]

CANNOT = -np.inf  # similarity of a pair that must never share a group


@dataclass(frozen=True, slots=True)
class GroupItem:
    """One distinct wording to group."""

    lane: str = ""
    products: frozenset[str] = frozenset()  # the products it can be about (empty: any)
    values: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (product, attribute) -> value named
    topic: str | None = None  # the bot's closest FAQ
    topic_score: float = 0.0


@dataclass(frozen=True, slots=True)
class GroupParams:
    threshold: float = 0.45  # average-linkage stop: clusters less similar than this stay apart
    lane_thresholds: Mapping[str, float] = field(default_factory=dict)  # per-lane override of `threshold`
    whole_lanes: frozenset[str] = frozenset()  # lanes grouped as one, whatever the wording
    topic_bonus: float = 0.3
    topic_penalty: float = 0.4
    topic_min_score: float = 0.5

    def threshold_for(self, lane: str) -> float:
        return self.lane_thresholds.get(lane, self.threshold)


def _unit(vectors: np.ndarray) -> np.ndarray:
    v = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return v / np.where(norms == 0, 1.0, norms)


def _conflict(a: Mapping[tuple[str, str], str], b: Mapping[tuple[str, str], str]) -> bool:
    return any(key in b and b[key] != value for key, value in a.items())


def pair_similarity(vectors: np.ndarray, items: Sequence[GroupItem], params: GroupParams) -> np.ndarray:
    """The n×n pair similarity (see the module doc); `CANNOT` where two items must stay apart."""
    n = len(items)
    if len(vectors) != n:
        raise ValueError(f"{len(vectors)} vectors for {n} items")
    if n == 0:
        return np.zeros((0, 0))
    unit = _unit(vectors)
    sim = unit @ unit.T
    for i in range(n):
        a = items[i]
        for j in range(i + 1, n):
            b = items[j]
            if a.lane != b.lane or (a.products and b.products and not a.products & b.products) or _conflict(a.values, b.values):
                s = CANNOT
            else:
                s = float(sim[i, j])
                if a.topic and b.topic and min(a.topic_score, b.topic_score) >= params.topic_min_score:
                    s += params.topic_bonus if a.topic == b.topic else -params.topic_penalty
            sim[i, j] = sim[j, i] = s
    np.fill_diagonal(sim, 1.0)
    return sim


def agglomerate(similarity: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage clusters of a symmetric similarity matrix (`CANNOT` entries never link), as lists of
    indices; each cluster and the list are ordered by first index."""
    n = len(similarity)
    sim = np.array(similarity, dtype=np.float64)
    np.fill_diagonal(sim, CANNOT)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    size = np.ones(n)
    while len(members) > 1:
        flat = int(np.argmax(sim))
        i, j = divmod(flat, n)
        if not sim[i, j] >= threshold:  # also stops on CANNOT / nan
            break
        blocked = np.isneginf(sim[i]) | np.isneginf(sim[j])
        merged = (sim[i] * size[i] + sim[j] * size[j]) / (size[i] + size[j])
        merged = np.where(blocked, CANNOT, merged)
        sim[i, :] = merged
        sim[:, i] = merged
        sim[i, i] = CANNOT
        sim[j, :] = CANNOT
        sim[:, j] = CANNOT
        size[i] += size[j]
        members[i].extend(members.pop(j))
    return sorted((sorted(m) for m in members.values()), key=lambda m: m[0])


def group_items(vectors: np.ndarray, items: Sequence[GroupItem], params: GroupParams | None = None) -> list[list[int]]:
    """Clusters of `items` (indices into it), lane by lane with each lane's threshold; ordered by first index."""
    params = params or GroupParams()
    if len(vectors) != len(items):
        raise ValueError(f"{len(vectors)} vectors for {len(items)} items")
    vectors = np.asarray(vectors)
    out: list[list[int]] = []
    lanes: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        lanes.setdefault(item.lane, []).append(i)
    for lane, idx in lanes.items():
        if lane in params.whole_lanes:
            out.append(idx)
            continue
        sub = [items[i] for i in idx]
        clusters = agglomerate(pair_similarity(vectors[idx], sub, params), params.threshold_for(lane))
        out.extend([idx[k] for k in cluster] for cluster in clusters)
    return sorted(out, key=lambda c: c[0])
