"""Self-calibration of the answer/staff thresholds from the catalog's own example questions.

Every number is chosen on rows the matcher did not see (out of fold), scored by the same function as live comments
(``match_scores`` in the product context the live path would give them):

* **k-fold by example** (positives): the catalog's examples are dealt into ``folds`` folds, FAQ by FAQ (so a FAQ
  always keeps an example); each fold is matched against the others, as if viewers had typed those paraphrases.
  The row is right when the top-ranked FAQ is its own.
* **held-out FAQs** (negatives in the shop's own language and domain): every FAQ is removed in turn and its examples
  are matched against the rest — questions the catalog does not answer, worded like the ones it does. Any answer
  to them is wrong, except one by a sibling FAQ (same intent, same product: ``_siblings``), which is left out.
* **fixed negatives**: the intent set's chit-chat / spam / complaint examples written in the catalog's languages
  (scripts), against the full catalog.

A ``ConfidenceModel`` (logistic regression over ``bot.pipeline.feature_names()``: cosine, margin, lexical score,
fused lead, linear score and lead, and any ``EXTRA_FEATURES`` switched on)
is fitted on those rows, so the confidence is a probability that the answer is right, and the answer threshold is
the lowest whose expected wrong-answer rate on the rows is ≤ the target (``OPERATING_RULE``: P(wrong | score) fitted
isotonic in the score, so the curve crosses the target once), with the negatives weighted to stand for
``NEGATIVE_SHARE`` of comments. The staff band is capped at ``STAFF_MAX_SHARE`` of comments. Staff never tune a
number by hand.

The operating point also carries a cross-fitted estimate of itself (``crossfit_groups``,
``models.calibrate.cross_fitted``): the same rule's threshold chosen on four fifths of the rows and read on the fifth
left out. Reported next to the in-sample figures, not used to choose anything (docs/EVAL.md §2b "Round 6").
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from bot.gloss import gloss
from bot.normalize import detect_language, fold, normalize
from bot.pipeline import (
    NEIGHBOUR_FEATURES,
    NEIGHBOURS_K,
    CatalogView,
    MatchSettings,
    Understanding,
    extra_views,
    feature_names,
    identifier_for,
    intent_gate,
    match_scores,
)
from bot.resolve import mentioned_products
from catalog.snapshot import FaqInfo
from models.calibrate import OperatingPoint, answered_at, choose_threshold, cross_fitted, fit_confidence, rates_at
from models.faq_linear import FaqLinear, RidgeFit, fits

log = logging.getLogger(__name__)

FOLDS = 5
SEED = 13
# Out-of-scope comments the wrong-answer rate is estimated at: a quarter of what reaches matching (the live demo
# show has 74 of 348 labelled comments that must stay unanswered, 21 %; chosen before any held-out measurement).
NEGATIVE_SHARE = 0.25
STAFF_MAX_SHARE = 0.10  # staff band: at most this share of comments (a queue people can keep up with)
SEARCH_DEPTH = 128  # raw example hits per query before the held-out ones are removed
MAX_QUERIES = 3000  # examples used as calibration queries (a seeded sample beyond this)
# Held-out FAQs leave together with the FAQs whose example centroids are at least this similar (single link); 0: one
# FAQ at a time. Experimental (docs/EVAL.md §2b: measured on train splits, not kept).
GROUP_SIMILARITY = 0.0
# The per-language report names the threshold a language's own rows would choose only with at least this many
# answerable / out-of-scope rows of that language (fewer pin nothing).
MIN_LANG_POSITIVE = 30
MIN_LANG_NEGATIVE = 20
# How the answer threshold is read off the rows' wrong-rate curve (models.calibrate.choose_threshold ``rule``) and
# its parameters; docs/EVAL.md §2b "Round 3" (chosen on train-only inner splits).
OPERATING_RULE = "lowest"
MIN_ANSWERED = 15.0  # "stable": weighted answers below which a threshold's wrong rate is too few rows to judge
WRONG_CONFIDENCE = 0.8  # "bound": one-sided confidence of the Wilson upper bound on the wrong rate
# A richer confidence (learned over built-in, + linear scorer over without) is kept only when its coverage beats the
# simpler one's by this many standard errors of coverage (sqrt(c(1-c)/n) on the answerable rows); 0: any gain.
# Experimental (docs/EVAL.md §2b "Round 3": measured, off).
SCORER_MARGIN_SE = 0.0
CONFIDENT_ERRORS = 5  # the highest-scoring wrong rows the operating point reports (what holds the threshold up)
# Groups of the cross-fitted estimate (``crossfit_groups``, ``models.calibrate.cross_fitted``): the threshold is
# chosen on all groups but one and read on that one, for each; 0 or 1: not computed.
CROSS_FIT_GROUPS = FOLDS


@dataclass(frozen=True)
class CalibrationRows:
    """Out-of-fold rows: match features, whether the top-1 FAQ was right, whether the row must not be answered."""

    features: np.ndarray  # (n, len(names))
    legacy: np.ndarray  # the built-in confidence (cosine + margin bonus), for comparison
    correct: np.ndarray  # bool; always False for negatives
    negative: np.ndarray  # bool
    kind: tuple[str, ...]  # "fold" | "faq" | "fixed" per row
    linear: FaqLinear | None = None  # the linear scorer (fitted on every example) whose out-of-fold scores the rows read
    # the language of each row's query: the one its example was filed under, else identified like a comment's
    lang: tuple[str, ...] = ()
    # per row: its query text, the FAQ ranked first, and the query's own FAQ ("" for the fixed negatives)
    query: tuple[str, ...] = ()
    top: tuple[str, ...] = ()
    own: tuple[str, ...] = ()
    # per row (offset, floor) of the live path's intent route (``bot.pipeline.intent_gate``); None = no intent model
    gate: tuple[np.ndarray, np.ndarray] | None = None
    names: tuple[str, ...] = ()  # the columns of ``features`` (``bot.pipeline.feature_names()`` when drawn)
    row_fold: np.ndarray | None = None  # per row: the k-fold fold of a "fold" row's example, −1 for the negatives

    def gate_of(self, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        return None if self.gate is None else (self.gate[0][mask], self.gate[1][mask])


def _context(text: str, faq_product: str | None, stage: str | None, view: CatalogView) -> Understanding:
    """How the live path would see ``text``: products it names, else the FAQ's own product (as if on stage)."""
    mentioned = tuple(mentioned_products(fold(text), view.terms))
    product = mentioned[0] if mentioned else (faq_product or stage)
    how = "named" if mentioned else ("stage" if product else "none")
    return Understanding(
        text=text, lang="zh", empty=False, emoji_only=False, mentioned=mentioned, product_id=product, product_how=how
    )


def _row(
    hits, u: Understanding, view: CatalogView, settings: MatchSettings, mask: np.ndarray | None,
    linear: dict[str, float] | None = None, *, names: Sequence[str], neighbours=(),
):
    """(top faq id, features ``names``, built-in confidence) for one query; ``settings`` must carry no scorer.
    ``neighbours``: the query's own raw example hits without the held-out examples (what the live path's
    ``NEIGHBOURS_K`` search returns for a catalog without them)."""
    scores = match_scores(hits, u, view, settings, held_out_docs=mask, linear=linear, neighbours=neighbours)
    top_id, legacy, margin, _runner = scores.best(settings)
    if top_id is None:
        return None, (0.0,) * len(names), 0.0
    return top_id, scores.features(top_id, scores.ranked(), margin, names), legacy


def _siblings(a: FaqInfo, b: FaqInfo) -> bool:
    """Two FAQs staff filed under the same intent for the same product (or both global): "有优惠券吗" / "多买能便宜
    吗". With one held out, the other answering its question is a near-duplicate FAQ at work, not an out-of-scope
    question answered; confusions between siblings are measured by the k-fold rows, where both are present."""
    return a.intent == b.intent and a.product_id == b.product_id


def _in_catalog_languages(texts: list[str], examples: Sequence[tuple[str, str, str | None]]) -> list[str]:
    """The fixed negatives written in a language (script) the catalog's own examples use: Chinese chit-chat says
    nothing about an English shop, and would only dilute its out-of-scope estimate. Texts without letters stay."""
    langs = {detect_language(text, default="") for _, text, _ in examples} - {""}
    if not langs:
        return texts
    return [t for t in texts if detect_language(t, default="") in langs | {""}]


def _group_by(keys) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        out.setdefault(key, []).append(i)
    return out


def similar_groups(faq_ids: Sequence[str], centroids: np.ndarray, similarity: float) -> dict[str, frozenset[str]]:
    """Each FAQ's group: the FAQs linked to it by a chain of centroid cosines ≥ ``similarity`` (single link), so a
    held-out FAQ leaves the catalog with its near twins. ``similarity`` ≤ 0 (or > 1): every FAQ alone."""
    parent = list(range(len(faq_ids)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if 0 < similarity <= 1 and len(faq_ids) > 1:
        c = np.asarray(centroids, dtype=np.float64)
        c = c / np.maximum(np.linalg.norm(c, axis=1, keepdims=True), 1e-12)
        sims = c @ c.T
        for i, j in zip(*np.nonzero(np.triu(sims >= similarity, k=1)), strict=True):
            parent[root(int(i))] = root(int(j))
    members: dict[int, list[str]] = {}
    for i, fid in enumerate(faq_ids):
        members.setdefault(root(i), []).append(fid)
    return {fid: frozenset(members[root(i)]) for i, fid in enumerate(faq_ids)}


def _assign_folds(examples: Sequence[tuple[str, str, str | None]], folds: int, seed: int) -> np.ndarray:
    """Fold of each example, dealt FAQ by FAQ from a seeded shuffle: a FAQ with n ≥ 2 examples never has all of
    them in one fold."""
    rng = np.random.default_rng(seed)
    out = np.zeros(len(examples), dtype=np.int64)
    by_faq: dict[str, list[int]] = {}
    for i, (fid, _, _) in enumerate(examples):
        by_faq.setdefault(fid, []).append(i)
    for fid in sorted(by_faq):
        idx = by_faq[fid]
        order = rng.permutation(len(idx))
        offset = int(rng.integers(folds))
        for j, k in enumerate(order.tolist()):
            out[idx[k]] = (offset + j) % folds
    return out


def calibration_rows(
    view: CatalogView,
    index,
    encode,
    negatives: Sequence[str],
    settings: MatchSettings,
    *,
    folds: int = FOLDS,
    seed: int = SEED,
    linear: bool = False,
    intent_model=None,
) -> CalibrationRows:
    """The out-of-fold rows described in the module docstring. With ``linear`` (and a catalog small enough,
    ``models.faq_linear.fits``) every row also reads a per-catalog linear scorer, fitted without the row's fold
    (k-fold rows) or without the row's FAQ (held-out FAQs) — exact closed-form scores, no refit.

    With ``intent_model`` (the live intent set, ``models.intents.IntentModel``) each catalog question also carries
    the gate the live intent route puts on its answer (``intent_gate``): a shop question the intent set sends to
    staff ("my order has not reached" → complaint) is not covered, however well the FAQ matches it. The fixed
    negatives are the intent set's own examples, so they are not gated (the model would recognise them in-sample)."""
    settings = replace(settings, scorer=None)
    names = feature_names()
    near = not NEIGHBOUR_FEATURES.isdisjoint(names)
    stages: list[str | None] = [*sorted(view.snapshot.products)] or [None]  # live, something is always on stage
    examples: list[tuple[str, str, str | None]] = []  # (faq_id, text, product)
    example_lang: list[str] = []
    identify = _language_of(settings)
    for faq in view.snapshot.faqs.values():
        filed = faq.question_langs if len(faq.question_langs) == len(faq.questions) else ("",) * len(faq.questions)
        seen: dict[str, str] = {}
        for raw, lang in zip(faq.questions, filed, strict=True):
            q = normalize(raw)
            if q and q not in seen:
                seen[q] = lang.split("-")[0].lower() if lang else ""
        for q, lang in seen.items():
            examples.append((faq.id, q, faq.product_id))
            example_lang.append(lang if lang in settings.room_languages else identify(q))
    n_per_faq: dict[str, int] = {}
    for fid, _, _ in examples:
        n_per_faq[fid] = n_per_faq.get(fid, 0) + 1
    fold_of = _assign_folds(examples, folds, seed)
    doc_pos = {ex: i for i, ex in enumerate(view.examples)}
    doc_fold = np.full(len(view.examples), -1, dtype=np.int64)
    for (fid, text, _), f in zip(examples, fold_of.tolist(), strict=True):
        if (fid, text) in doc_pos:
            doc_fold[doc_pos[(fid, text)]] = f
    faq_row = {fid: i for i, fid in enumerate(view.faq_ids)}
    fold_masks = [doc_fold == f for f in range(folds)]
    faqs = view.snapshot.faqs
    faq_masks: dict[str, np.ndarray] = {}
    linear_model: FaqLinear | None = None

    feats: list[tuple[float, ...]] = []
    legacy: list[float] = []
    correct: list[bool] = []
    negative: list[bool] = []
    kinds: list[str] = []
    langs: list[str] = []

    queries_text: list[str] = []
    tops: list[str] = []
    owns: list[str] = []
    gates: list[tuple[float, float]] = []
    row_folds: list[int] = []
    no_gate = (0.0, float("-inf"))

    def add(features: tuple[float, ...], conf: float, right: bool, neg: bool, kind: str, lang: str,
            query: str = "", top: str = "", own: str = "", gate: tuple[float, float] = no_gate, fold_no: int = -1) -> None:
        gates.append(gate)
        row_folds.append(fold_no)
        queries_text.append(query)
        tops.append(top)
        owns.append(own)
        feats.append(features)
        legacy.append(conf)
        correct.append(right)
        negative.append(neg)
        kinds.append(kind)
        langs.append(lang)

    # A large catalog is calibrated on a seeded sample of its examples as queries (every example still counts as
    # a catalog entry that is in or out of a fold): the cost stays bounded, and thousands of rows pin a threshold.
    queries = list(range(len(examples)))
    if len(queries) > MAX_QUERIES:
        queries = sorted(np.random.default_rng(seed).choice(len(queries), MAX_QUERIES, replace=False).tolist())
    if examples:
        depth = min(len(index), SEARCH_DEPTH)
        contexts = [_context(examples[i][1], examples[i][2], stages[i % len(stages)], view) for i in queries]
        # the live path's other views: the generic view of comments naming things, the gloss of vi/id shop chat
        generic = [extra_views(u, view) for u in contexts]
        extra = list(dict.fromkeys(g for views in generic for g in views))
        extra_vecs = np.asarray(encode(extra), dtype=np.float32) if extra else np.zeros((0, 0), np.float32)
        extra_hits = dict(zip(extra, index.search(extra_vecs, k=depth, per_faq=False), strict=True)) if extra else {}
        query_vecs = np.asarray(encode([examples[i][1] for i in queries]), dtype=np.float32)
        group_of = {fid: frozenset((fid,)) for fid in n_per_faq}
        if GROUP_SIMILARITY > 0 and len(queries) == len(examples):
            ids = sorted(n_per_faq)
            pos_of = {fid: k for k, fid in enumerate(ids)}
            sums = np.zeros((len(ids), query_vecs.shape[1]))
            np.add.at(sums, [pos_of[e[0]] for e in examples], query_vecs)
            group_of = similar_groups(ids, sums, GROUP_SIMILARITY)
        query_gates = [no_gate] * len(queries)
        if intent_model is not None:
            guesses = intent_model.predict([examples[i][1] for i in queries], query_vecs)
            query_gates = [intent_gate(g, settings) for g in guesses]
        searched = index.search(query_vecs, k=depth, per_faq=False)
        lin_fold: dict[int, dict[str, float]] = {}  # query position -> linear scores without its fold
        lin_faq: dict[int, dict[str, float]] = {}  # query position -> linear scores without its FAQ
        if linear and len(queries) == len(examples) and fits(len(examples), len(view.faq_ids)):
            extra_pos = {t: k for k, t in enumerate(extra)}
            fit = RidgeFit(query_vecs, [faq_row[fid] for fid, _, _ in examples], len(view.faq_ids))
            linear_model = fit.model(view.faq_ids)
            groups_fold = [np.flatnonzero(fold_of == f) for f in range(folds)]
            groups_faq = [np.asarray(idx) for idx in _group_by(sorted(group_of[e[0]])[0] for e in examples).values()]
            for groups, out in ((groups_fold, lin_fold), (groups_faq, lin_faq)):
                for rows in groups:
                    if not len(rows):
                        continue
                    own = fit.scores_without(rows)
                    gen = [extra_pos[g] for r in rows.tolist() for g in generic[r]]
                    gen_scores = fit.scores_without(rows, extra_vecs[gen]) if gen else None
                    k = 0
                    for j, r in enumerate(rows.tolist()):
                        v = own[j]
                        if gen_scores is not None:
                            for _ in generic[r]:
                                v = np.maximum(v, gen_scores[k])
                                k += 1
                        scores = dict(zip(view.faq_ids, v.tolist(), strict=True))
                        if out is lin_faq:
                            for gone in group_of[examples[r][0]]:  # the held-out FAQs are not in the catalog
                                del scores[gone]
                        out[r] = scores
        fold_sets: list[set[tuple[str, str]]] = [set() for _ in range(folds)]
        for (fid, t, _), f in zip(examples, fold_of.tolist(), strict=True):
            fold_sets[f].add((fid, t))
        for j, (i, found) in enumerate(zip(queries, searched, strict=True)):
            faq_id = examples[i][0]
            hits = found + [h for g in generic[j] for h in extra_hits[g]]
            u = contexts[j]
            if n_per_faq[faq_id] >= 2:  # k-fold: the example's whole fold is unseen
                held = fold_sets[int(fold_of[i])]
                kept = [h for h in hits if (h.faq_id, h.example) not in held]
                nb = [h for h in found if (h.faq_id, h.example) not in held][:NEIGHBOURS_K] if near else ()
                top, f, conf = _row(
                    kept, u, view, settings, fold_masks[int(fold_of[i])], lin_fold.get(j), names=names, neighbours=nb
                )
                if top is not None:
                    add(
                        f, conf, top == faq_id, False, "fold", example_lang[i], examples[i][1], top, faq_id,
                        query_gates[j], int(fold_of[i]),
                    )
            if len(n_per_faq) >= 2:  # held-out FAQ: the catalog does not answer this question
                group = group_of[faq_id]
                if faq_id not in faq_masks:
                    faq_masks[faq_id] = np.isin(view.example_faq, [faq_row[g] for g in group])
                kept = [h for h in hits if h.faq_id not in group]
                nb = [h for h in found if h.faq_id not in group][:NEIGHBOURS_K] if near else ()
                top, f, conf = _row(
                    kept, u, view, settings, faq_masks[faq_id], lin_faq.get(j), names=names, neighbours=nb
                )
                if top is not None and not _siblings(faqs[faq_id], faqs[top]):
                    add(f, conf, False, True, "faq", example_lang[i], examples[i][1], top, faq_id, query_gates[j])
    texts = _in_catalog_languages([t for t in dict.fromkeys(normalize(t) for t in negatives) if t], examples)
    if texts and len(index):
        neg_vecs = np.asarray(encode(texts), dtype=np.float32)
        neg_lin = linear_model.scores(neg_vecs) if linear_model is not None else None
        neg_us = [_context(text, None, stages[i % len(stages)], view) for i, text in enumerate(texts)]
        # as live, a vi/id chit-chat line gets its gloss view too (the generic view stays off here, as it always was)
        neg_views = [(g,) if (g := gloss(u.text)) and g != u.text else () for u in neg_us]
        neg_extra = list(dict.fromkeys(g for views in neg_views for g in views))
        neg_extra_hits: dict[str, list] = {}
        neg_extra_lin: dict[str, np.ndarray] = {}
        if neg_extra:
            vecs = np.asarray(encode(neg_extra), dtype=np.float32)
            neg_extra_hits = dict(zip(neg_extra, index.search(vecs, k=24), strict=True))
            if linear_model is not None:
                neg_extra_lin = dict(zip(neg_extra, linear_model.scores(vecs), strict=True))
        neg_near = index.search(neg_vecs, k=NEIGHBOURS_K, per_faq=False) if near else [()] * len(texts)
        for i, (text, found) in enumerate(zip(texts, index.search(neg_vecs, k=24), strict=True)):
            u = neg_us[i]
            hits = found + [h for g in neg_views[i] for h in neg_extra_hits[g]]
            lin = None
            if neg_lin is not None:
                best = neg_lin[i]
                for g in neg_views[i]:
                    best = np.maximum(best, neg_extra_lin[g])
                lin = dict(zip(view.faq_ids, best.tolist(), strict=True))
            top, f, conf = _row(hits, u, view, settings, None, lin, names=names, neighbours=neg_near[i])
            add(f, conf, False, True, "fixed", identify(text), text, top or "")
    width = len(names)
    return CalibrationRows(
        features=np.asarray(feats, dtype=np.float64).reshape(-1, width),
        legacy=np.asarray(legacy, dtype=np.float64),
        correct=np.asarray(correct, dtype=bool),
        negative=np.asarray(negative, dtype=bool),
        kind=tuple(kinds),
        linear=linear_model,
        lang=tuple(langs),
        query=tuple(queries_text),
        top=tuple(tops),
        own=tuple(owns),
        gate=(np.asarray([g[0] for g in gates]), np.asarray([g[1] for g in gates])) if intent_model is not None else None,
        names=names,
        row_fold=np.asarray(row_folds, dtype=np.int64),
    )


def _language_of(settings: MatchSettings):
    """The language a comment with this text would be identified as in a room with ``settings`` (as
    ``bot.pipeline.understand`` does)."""
    if set(settings.room_languages) <= {"zh", "en"}:
        return lambda text: detect_language(text, settings.default_lang)
    ident = identifier_for(settings.room_languages, settings.default_lang)
    return lambda text: ident.identify(text).lang


def calibration_samples(view: CatalogView, index, encode, negatives: Sequence[str], settings: MatchSettings):
    """(pos_scores, pos_correct, neg_scores) of the built-in confidence on the out-of-fold rows."""
    rows = calibration_rows(view, index, encode, negatives, settings)
    pos = ~rows.negative
    return rows.legacy[pos], rows.correct[pos], rows.legacy[rows.negative]


def _hash_unit(kind: str, text: str) -> float:
    digest = hashlib.sha256(f"crossfit\0{kind}\0{text}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def crossfit_groups(rows: CalibrationRows, k: int = CROSS_FIT_GROUPS) -> np.ndarray:
    """The group (0 … k−1) of each row for the cross-fitted estimate, deterministic:

    * a k-fold row by its fold (mod k): new paraphrases of FAQs the catalog has, like in-scope comments;
    * a held-out-FAQ row by its FAQ — the held-out FAQs, in the order of a hash of their id, dealt into the k groups,
      so a missing FAQ's questions stay together, as those of an intent the catalog lacks do;
    * a fixed negative by its text, dealt the same way.
    Rows without a recorded fold (built by hand) are dealt by their query text."""
    n = len(rows.negative)
    out = np.zeros(n, dtype=np.int64)
    kinds = rows.kind if len(rows.kind) == n else ("",) * n
    owns = rows.own if len(rows.own) == n else ("",) * n
    queries = rows.query if len(rows.query) == n else tuple(str(i) for i in range(n))
    keys: list[tuple[str, str] | None] = []
    for i in range(n):
        if not rows.negative[i] and rows.row_fold is not None and rows.row_fold[i] >= 0:
            out[i] = int(rows.row_fold[i]) % k
            keys.append(None)
        elif kinds[i] == "faq" and owns[i]:
            keys.append(("faq", owns[i]))
        else:
            keys.append(("pos" if not rows.negative[i] else "text", queries[i] or str(i)))
    order = sorted({key for key in keys if key is not None}, key=lambda key: (_hash_unit(*key), key))
    dealt = {key: j % k for j, key in enumerate(order)}
    for i, key in enumerate(keys):
        if key is not None:
            out[i] = dealt[key]
    return out


def _cross_fit(rows: CalibrationRows, scores: np.ndarray, point: OperatingPoint) -> OperatingPoint:
    """``point`` with its cross-fitted estimate (``models.calibrate.cross_fitted``) on the confidence its threshold
    applies to; the threshold stays as chosen on all the rows."""
    if CROSS_FIT_GROUPS < 2 or len(rows.negative) == 0:
        return point
    groups = crossfit_groups(rows, CROSS_FIT_GROUPS)
    pos, neg = ~rows.negative, rows.negative
    unseen = np.asarray(rows.kind, dtype=object) == "faq" if len(rows.kind) == len(neg) else np.zeros(len(neg), bool)
    probability = point.scorer is not None
    estimate = cross_fitted(
        scores[pos], rows.correct[pos], groups[pos], scores[neg], groups[neg], neg_unseen=unseen[neg],
        negative_share=NEGATIVE_SHARE if pos.any() and neg.any() else None,
        negative_weight=negative_weight(int(pos.sum()), int(neg.sum())),
        pos_gate=rows.gate_of(pos), neg_gate=rows.gate_of(neg), target_wrong_rate=point.target_wrong_rate,
        floor=0.0 if probability else 0.2, ceiling=1.0 if probability else 1.25, **_rule(),
    )
    return replace(point, cross_fitted=estimate)


def _beats(richer: OperatingPoint, simpler: OperatingPoint) -> bool:
    """Whether ``richer`` answers more of the rows within the target than ``simpler``, by ``SCORER_MARGIN_SE``
    standard errors of the simpler one's coverage."""
    c, n = simpler.coverage, max(simpler.n_positive, 1)
    return richer.coverage > c + SCORER_MARGIN_SE * float(np.sqrt(c * (1 - c) / n))


def _rule() -> dict:
    """The operating-point rule and its parameters (read at call time, so a benchmark can override them)."""
    return {"rule": OPERATING_RULE, "min_answered": MIN_ANSWERED, "confidence": WRONG_CONFIDENCE}


def negative_weight(n_positive: int, n_negative: int, share: float = NEGATIVE_SHARE) -> float:
    """Weight of one negative row so that negatives make up ``share`` of the weighted rows."""
    if n_negative == 0 or n_positive == 0:
        return 1.0
    return share / (1 - share) * n_positive / n_negative


def operating_point(
    rows: CalibrationRows,
    *,
    target_wrong_rate: float = 0.05,
    learned: bool = True,
    staff_max_share: float | None = STAFF_MAX_SHARE,
) -> OperatingPoint:
    """The thresholds for ``rows``: on the learned confidence (``ConfidenceModel`` fitted on the rows) when it
    answers more of them within the target than the built-in confidence, else on the built-in one."""
    pos = ~rows.negative
    n_pos, n_neg = int(pos.sum()), int(rows.negative.sum())
    w_neg = negative_weight(n_pos, n_neg)
    pos_gate, neg_gate = rows.gate_of(pos), rows.gate_of(rows.negative)
    unseen = np.asarray(rows.kind, dtype=object) == "faq"

    def unseen_answered(point: OperatingPoint, scores: np.ndarray) -> OperatingPoint:
        if not unseen.any():
            return point
        answered = answered_at(point.threshold, scores[unseen], rows.gate_of(unseen))
        return replace(point, unseen_answered=float(np.mean(answered)))

    builtin = choose_threshold(
        rows.legacy[pos], rows.correct[pos], rows.legacy[rows.negative], target_wrong_rate=target_wrong_rate,
        negative_weight=w_neg, staff_max_share=staff_max_share, pos_gate=pos_gate, neg_gate=neg_gate, **_rule(),
    )
    if not learned or not rows.correct.any() or rows.correct.all():  # a model needs both outcomes to learn from
        return _with_report(unseen_answered(builtin, rows.legacy), rows, rows.legacy, target_wrong_rate)
    weights = np.where(rows.negative, w_neg, 1.0)
    names = rows.names or feature_names()
    scorer = replace(fit_confidence(rows.features, rows.correct, weights, names=names), linear=rows.linear)
    p = scorer.probabilities(rows.features)
    point = replace(
        choose_threshold(
            p[pos], rows.correct[pos], p[rows.negative], target_wrong_rate=target_wrong_rate, floor=0.0, ceiling=1.0,
            negative_weight=w_neg, staff_max_share=staff_max_share, pos_gate=pos_gate, neg_gate=neg_gate, **_rule(),
        ),
        scorer=scorer,
    )
    # The learned confidence is kept only when it answers more of the rows within the target than the built-in one
    # (a log-loss fit is not always better in the far tail the threshold lives in).
    better = point.met_target and (not builtin.met_target or _beats(point, builtin))
    if rows.linear is not None:  # the rows were ranked with the linear scorer: only the learned confidence carries it
        better = True
    log.info(
        "confidence: learned %s (coverage %.1f%%) vs built-in (%.1f%%): %s", scorer.as_dict(), 100 * point.coverage,
        100 * builtin.coverage, "learned" if better else "built-in",
    )
    chosen, scores = (point, p) if better else (builtin, rows.legacy)
    return _with_report(unseen_answered(chosen, scores), rows, scores, target_wrong_rate)


def _with_report(point: OperatingPoint, rows: CalibrationRows, scores: np.ndarray, target: float) -> OperatingPoint:
    """``point`` with its per-language report, confident errors and cross-fitted estimate (on the confidence its
    thresholds apply to)."""
    probability = point.scorer is not None
    return replace(
        _cross_fit(rows, scores, point),
        by_lang=language_report(rows, scores, point.threshold, target_wrong_rate=target, probability=probability),
        confident_errors=confident_errors(rows, scores),
    )


def language_report(
    rows: CalibrationRows,
    scores: np.ndarray,
    threshold: float,
    *,
    target_wrong_rate: float,
    min_positive: int = MIN_LANG_POSITIVE,
    min_negative: int = MIN_LANG_NEGATIVE,
    probability: bool = True,
) -> dict[str, dict[str, float | int | None]]:
    """Per query language: its rows, how often the top-ranked FAQ was right, coverage and wrong-answer rate at the
    shared ``threshold``, and the threshold its own rows alone would choose for the target (None with fewer than
    ``min_positive`` / ``min_negative`` rows); ``probability``: the scores are the learned confidence (0..1), else
    the built-in one. Reported, not applied: thresholds chosen per language on a few dozen
    rows answered wrongly live (docs/EVAL.md "Cross-border rooms")."""
    if not rows.lang:
        return {}
    langs = np.asarray(rows.lang)
    out: dict[str, dict[str, float | int | None]] = {}
    for lang in sorted(set(rows.lang) - {""}):
        mine = langs == lang
        pos, neg = mine & ~rows.negative, mine & rows.negative
        n_pos, n_neg = int(pos.sum()), int(neg.sum())
        w_neg = negative_weight(n_pos, n_neg)
        wrong_rate, coverage, _ = rates_at(threshold, scores[pos], rows.correct[pos], scores[neg], w_neg)
        own = None
        if n_pos >= min_positive and n_neg >= min_negative:
            point = choose_threshold(
                scores[pos], rows.correct[pos], scores[neg], target_wrong_rate=target_wrong_rate,
                negative_weight=w_neg, floor=0.0 if probability else 0.2, ceiling=1.0 if probability else 1.25,
                **_rule(),
            )
            own = point.threshold if point.met_target else None
        out[lang] = {
            "answerable": n_pos,
            "out_of_scope": n_neg,
            "top1": round(float(rows.correct[pos].mean()), 4) if n_pos else None,
            "coverage": round(coverage, 4),
            "wrong_rate": round(wrong_rate, 4),
            "own_threshold": own,
        }
    return out


def confident_errors(rows: CalibrationRows, scores: np.ndarray, n: int = CONFIDENT_ERRORS) -> tuple[dict, ...]:
    """The ``n`` highest-scoring wrong rows (a wrong top FAQ, or an out-of-scope question answered): the few rows
    the lowest threshold within the target has to clear. A handful of them decides it, which is why a few more
    examples can move it far (docs/EVAL.md "Cross-border rooms")."""
    if not rows.query:
        return ()
    wrong = np.flatnonzero(~rows.correct)
    order = wrong[np.argsort(-scores[wrong], kind="stable")][:n]
    return tuple(
        {
            "score": round(float(scores[i]), 4), "kind": rows.kind[i], "lang": rows.lang[i], "query": rows.query[i],
            "own": rows.own[i] or None, "top": rows.top[i] or None,
        }
        for i in order.tolist()
    )


def _negatives_cover(negatives: Sequence[str], room_languages: Sequence[str]) -> bool:
    """Whether every language of the room has fixed negatives (chit-chat / spam) to measure the linear scorer on.
    A discriminative model is over-confident off its training distribution (docs/EVAL.md §2); the held-out FAQs
    measure that for the shop's questions, the fixed negatives for chatter — in the languages they are written in.
    A room with languages no negative is written in keeps the matcher alone."""
    written = {detect_language(t, default="") for t in negatives} - {""}
    return bool(written) and set(room_languages) <= written


def calibrate_catalog(
    view: CatalogView, index, encode, negatives: Sequence[str], settings: MatchSettings, *, target_wrong_rate: float = 0.05,
    linear: bool = True, intent_model=None,
) -> OperatingPoint:
    """The operating point of the catalog (module docstring); ``intent_model``: the live intent set, whose route the
    rows then carry (``calibration_rows``)."""
    rows = calibration_rows(view, index, encode, negatives, settings, intent_model=intent_model)
    point = operating_point(rows, target_wrong_rate=target_wrong_rate)
    if linear and fits(len(view.examples), len(view.faq_ids)) and _negatives_cover(negatives, settings.room_languages):
        rows_linear = calibration_rows(view, index, encode, negatives, settings, linear=True, intent_model=intent_model)
        if rows_linear.linear is not None:
            with_linear = operating_point(rows_linear, target_wrong_rate=target_wrong_rate)
            # kept only when it answers more of the out-of-fold rows within the target than the matcher alone
            keep = with_linear.met_target and (not point.met_target or _beats(with_linear, point))
            log.info(
                "linear scorer: coverage %.1f%% vs %.1f%% without: %s", 100 * with_linear.coverage,
                100 * point.coverage, "kept" if keep else "not kept",
            )
            if keep:
                point = with_linear
    log.info(
        "calibrated on %d out-of-fold examples + %d negatives: answer ≥ %.3f, staff ≥ %.3f, wrong %.1f%%, coverage %.1f%%, "
        "staff band %.1f%% of comments",
        point.n_positive,
        point.n_negative,
        point.threshold,
        point.staff_threshold,
        100 * point.wrong_rate,
        100 * point.coverage,
        100 * point.staff_share,
    )
    if point.cross_fitted is not None:
        x = point.cross_fitted
        log.info(
            "cross-fitted estimate (%d groups): coverage %.1f%% [%.1f–%.1f], wrong %.1f%%, held-out FAQs answered %s",
            x.folds, 100 * x.coverage, 100 * x.coverage_ci95[0], 100 * x.coverage_ci95[1], 100 * x.wrong_rate,
            "—" if x.unseen_answered is None else f"{x.unseen_answered:.1%}",
        )
    for lang, figures in point.by_lang.items():
        log.info("calibration rows in %s: %s", lang, figures)
    for row in point.confident_errors:
        log.info("highest-scoring wrong row: %s", row)
    return point
