"""Group paraphrases: average-linkage agglomerative clustering over sentence vectors, with side signals.

Pure functions over numpy arrays (no I/O, no model): the caller embeds the texts and describes each one with a
`GroupItem` (its lane, the products it can be about, the variant values it names, the bot's closest FAQ and score).

Pair similarity = cosine of the two vectors
  + `topic_bonus` when the bot matched both to the same FAQ with at least `topic_min_score` each,
  - `topic_penalty` when it matched them to different FAQs with at least that score each,
and two wordings never share a group (a "cannot link") when they sit in different lanes, are written in different
languages, can only be about different products, or name different values of the same variant attribute
("XL还有吗" / "L还有吗"). In the languages of `lexical_langs` (where the embedder puts unrelated comments close
together: Vietnamese, Thai, Indonesian, Korean with USE-m3) the cosine is blended with the wordings' bigram
overlap (`lexical_similarity`), `lexical_weight` of it, and a pair sharing less than `lexical_min` never groups:
two comments must also share words.
Clusters merge, most similar first, while the average similarity between them (average linkage) stays at or
above the lane's threshold; a cannot-link pair keeps its two clusters apart for good. Lanes in `whole_lanes`
are one group each (e.g. spam: nothing in it needs a separate answer).

Defaults were chosen on the replayed demo show (data/demo_comments.jsonl, USE-m3): the threshold with the best
pairwise F1 against the log's FAQ labels; docs/console.md gives the figures and the check on other logs.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["GroupItem", "GroupParams", "agglomerate", "attach", "cross_similarity", "group_items", "lexical_similarity",
           "lexical_tokens", "pair_similarity"]

CANNOT = -np.inf  # similarity of a pair that must never share a group
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class GroupItem:
    """One distinct wording to group."""

    lane: str = ""
    lang: str = ""  # the language it is written in ("" unknown): never grouped with another language
    grams: frozenset[str] = frozenset()  # its character bigrams (`lexical_tokens`), for `lexical_langs`
    products: frozenset[str] = frozenset()  # the products it can be about (empty: any)
    values: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (product, attribute) -> value named
    topic: str | None = None  # the bot's closest FAQ
    topic_score: float = 0.0


@dataclass(frozen=True, slots=True)
class GroupParams:
    threshold: float = 0.45  # average-linkage stop: clusters less similar than this stay apart
    lane_thresholds: Mapping[str, float] = field(default_factory=dict)  # per-lane override of `threshold`
    whole_lanes: frozenset[str] = frozenset()  # lanes grouped as one, whatever the wording
    lexical_langs: frozenset[str] = frozenset()  # languages whose similarity blends in the bigram overlap
    lexical_weight: float = 0.5
    lexical_min: float = 0.0  # in `lexical_langs`, pairs sharing less than this (`lexical_similarity`) never group
    topic_bonus: float = 0.3
    topic_penalty: float = 0.4
    topic_min_score: float = 0.5
    max_clustered: int = 600  # per lane: items past this many (in the order given) join their closest cluster

    def threshold_for(self, lane: str) -> float:
        return self.lane_thresholds.get(lane, self.threshold)


def lexical_tokens(text: str) -> frozenset[str]:
    """The character bigrams of a comment with case, accents, spaces and punctuation dropped ("trả hàng" and
    "Tra hang" share them all; Thai needs no word breaks)."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))
    joined = _NON_WORD.sub("", plain.replace("đ", "d"))
    return frozenset(joined[i : i + 2] for i in range(len(joined) - 1)) or frozenset({joined})


def lexical_similarity(a: Sequence[GroupItem], b: Sequence[GroupItem]) -> np.ndarray:
    """Cosine of the items' bigram sets (`lexical_tokens`) weighted by inverse document frequency over `a` and `b`
    together: what most wordings share (Vietnamese "được không", "shop") counts little, what names the subject
    counts."""
    items = [*a, *b]
    df = Counter(g for x in items for g in x.grams)
    vocab = {g: k for k, g in enumerate(sorted(df))}
    idf = np.log((1 + len(items)) / np.array([df[g] for g in sorted(df)], dtype=np.float64))

    def matrix(xs: Sequence[GroupItem]) -> np.ndarray:
        m = np.zeros((len(xs), max(1, len(vocab))))
        for i, x in enumerate(xs):
            cols = [vocab[g] for g in x.grams]
            m[i, cols] = idf[cols]
        return _unit(m)

    return matrix(a) @ matrix(b).T


def _unit(vectors: np.ndarray) -> np.ndarray:
    v = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return v / np.where(norms == 0, 1.0, norms)


def _codes(labels: Sequence[object]) -> np.ndarray:
    """Integer codes of hashable labels (same label, same code)."""
    seen: dict[object, int] = {}
    return np.array([seen.setdefault(x, len(seen)) for x in labels], dtype=np.int64)


def cross_similarity(
    va: np.ndarray, a: Sequence[GroupItem], vb: np.ndarray, b: Sequence[GroupItem], params: GroupParams
) -> np.ndarray:
    """The len(a)×len(b) pair similarity (see the module doc); `CANNOT` where two items must stay apart."""
    if len(va) != len(a) or len(vb) != len(b):
        raise ValueError("one vector per item")
    if not a or not b:
        return np.zeros((len(a), len(b)))
    sim = _unit(va) @ _unit(vb).T
    items = [*a, *b]
    na = len(a)
    lanes = _codes([(x.lane, x.lang) for x in items])
    blocked: np.ndarray = np.asarray(lanes[:na, None] != lanes[None, na:])
    lexical_a = np.array([x.lang in params.lexical_langs for x in a])
    if lexical_a.any():  # same language or blocked: a row of a lexical language pairs with that language only
        w = params.lexical_weight
        lexical = lexical_similarity(a, b)
        sim = np.where(lexical_a[:, None], (1 - w) * sim + w * lexical, sim)
        blocked |= lexical_a[:, None] & (lexical < params.lexical_min)
    products = sorted({p for x in items for p in x.products})
    if products:
        where = {p: k for k, p in enumerate(products)}
        member = np.zeros((len(items), len(products)), dtype=bool)
        for i, x in enumerate(items):
            member[i, [where[p] for p in x.products]] = True
        has: np.ndarray = np.asarray(member.any(axis=1))
        overlap = (member[:na].astype(np.int32) @ member[na:].T.astype(np.int32)) > 0
        blocked |= has[:na, None] & has[None, na:] & ~overlap
    for key in {k for x in items for k in x.values}:  # different values of one variant attribute ("XL" / "L")
        named = _codes([x.values.get(key) for x in items])
        present = np.array([key in x.values for x in items])
        blocked |= present[:na, None] & present[None, na:] & (named[:na, None] != named[None, na:])
    topics = _codes([x.topic for x in items])
    sure = np.array([bool(x.topic) and x.topic_score >= params.topic_min_score for x in items])
    both = sure[:na, None] & sure[None, na:]
    same = topics[:na, None] == topics[None, na:]
    sim = sim + np.where(both & same, params.topic_bonus, 0.0) - np.where(both & ~same, params.topic_penalty, 0.0)
    return np.where(blocked, CANNOT, sim)


def pair_similarity(vectors: np.ndarray, items: Sequence[GroupItem], params: GroupParams) -> np.ndarray:
    """The n×n pair similarity (see the module doc); `CANNOT` where two items must stay apart."""
    if len(vectors) != len(items):
        raise ValueError(f"{len(vectors)} vectors for {len(items)} items")
    sim = cross_similarity(vectors, items, vectors, items, params)
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


def attach(similarity: np.ndarray, clusters: Sequence[Sequence[int]], threshold: float) -> list[int | None]:
    """For each row of `similarity` (rows: new items, columns: clustered items) the cluster it is most similar to
    on average, if that is at least `threshold` and no member is a cannot-link; else None."""
    rows = len(similarity)
    if rows == 0 or not clusters:
        return [None] * rows
    member = np.zeros((similarity.shape[1], len(clusters)))
    for c, cluster in enumerate(clusters):
        member[list(cluster), c] = 1.0
    blocked = np.isneginf(similarity)
    mean = (np.where(blocked, 0.0, similarity) @ member) / member.sum(axis=0)
    mean[(blocked.astype(np.float64) @ member) > 0] = CANNOT
    best = np.argmax(mean, axis=1)
    return [int(c) if mean[r, c] >= threshold else None for r, c in enumerate(best)]


def group_items(vectors: np.ndarray, items: Sequence[GroupItem], params: GroupParams | None = None) -> list[list[int]]:
    """Clusters of `items` (indices into it), lane by lane and language by language with their threshold; ordered
    by first index.

    Average linkage costs O(n³): per lane and language the first `max_clustered` items are clustered, each later one joins the
    cluster it is most similar to on average (or stays alone). Give the items most worth grouping well first."""
    params = params or GroupParams()
    if len(vectors) != len(items):
        raise ValueError(f"{len(vectors)} vectors for {len(items)} items")
    vectors = np.asarray(vectors)
    out: list[list[int]] = []
    lanes: dict[tuple[str, str], list[int]] = {}
    for i, item in enumerate(items):
        lanes.setdefault((item.lane, item.lang), []).append(i)
    for (lane, _lang), idx in lanes.items():
        if lane in params.whole_lanes:
            out.append(idx)
            continue
        head, tail = idx[: params.max_clustered], idx[params.max_clustered :]
        threshold = params.threshold_for(lane)
        sub = [items[i] for i in head]
        clusters = agglomerate(pair_similarity(vectors[head], sub, params), threshold)
        groups = [[head[k] for k in cluster] for cluster in clusters]
        if tail:
            cross = cross_similarity(vectors[tail], [items[i] for i in tail], vectors[head], sub, params)
            for i, c in zip(tail, attach(cross, clusters, threshold), strict=True):
                if c is None:
                    groups.append([i])
                else:
                    groups[c].append(i)
        out.extend(groups)
    return sorted((sorted(c) for c in out), key=lambda c: c[0])
