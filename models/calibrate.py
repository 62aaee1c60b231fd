"""Choose answer/staff thresholds from labelled scores for a target wrong-answer rate (pure numpy), and fit the
confidence model those thresholds apply to.

Inputs are the scores of held-out *answerable* questions (with whether the top-1 was right) and the scores of
*negatives* (questions the bot must not answer). For a threshold t the bot answers everything scoring ≥ t;
wrong answers are answerable questions matched to the wrong FAQ plus negatives answered at all. Negatives may carry
a weight (``negative_weight``): how many live comments one of them stands for, so that the wrong-answer rate is
estimated at the share of out-of-scope comments the bot expects, not at whatever share the calibration drew.

``ConfidenceModel``: a logistic regression P(the top-ranked FAQ is the right answer | match features), fitted on
out-of-fold rows of the catalog itself (``bot/calibration.py``). Its output is what the live thresholds apply to.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields

import numpy as np

from models.faq_linear import FaqLinear


@dataclass(frozen=True, slots=True)
class ConfidenceModel:
    """P(right) = sigmoid(bias + Σ weights·features). Pure Python on the hot path (a handful of features)."""

    names: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    # the per-catalog linear scorer whose output two of the features are (models/faq_linear.py), when calibration
    # chose one: the live path computes its scores and re-ranks with them
    linear: FaqLinear | None = None

    def probability(self, features: Sequence[float]) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        z = self.bias + np.asarray(features, dtype=np.float64) @ np.asarray(self.weights, dtype=np.float64)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -60, 60)))

    def as_dict(self) -> dict:
        out = {"bias": round(self.bias, 4), **{n: round(w, 4) for n, w in zip(self.names, self.weights, strict=True)}}
        if self.linear is not None:
            out["linear_faqs"] = len(self.linear.faq_ids)
        return out


def fit_confidence(
    features, labels, weights=None, *, names: Sequence[str] = (), l2: float = 1e-2, monotone: bool = True
) -> ConfidenceModel:
    """Weighted L2-regularised logistic regression by Newton's method (features standardised inside, weights
    returned on the raw scale). Deterministic; a few ms for thousands of rows.

    ``monotone``: every feature is evidence *for* the answer (a higher cosine, margin or lexical overlap never
    makes it less likely right), so a feature fitted with a negative weight is dropped and the rest refitted.
    Without this a correlated feature can get a negative weight that holds inside the calibration rows and
    extrapolates badly outside them (a comment typed exactly like an example has a lexical score no held-out row
    has, and was scored *down*)."""
    x = np.asarray(features, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    if x.ndim != 2 or len(x) != len(y) or len(y) == 0:
        raise ValueError(f"need (n, f) features and n labels, got {x.shape} and {y.shape}")
    keep = np.ones(x.shape[1], dtype=bool)
    while True:
        coef_kept, bias = _newton(x[:, keep], y, w, l2)
        if not monotone or (coef_kept >= 0).all() or keep.sum() == 1:
            break
        keep[np.flatnonzero(keep)[int(np.argmin(coef_kept))]] = False  # drop the most negative one, refit
    coef = np.zeros(x.shape[1])
    coef[keep] = np.maximum(coef_kept, 0.0) if monotone else coef_kept
    return ConfidenceModel(
        names=tuple(names) or tuple(f"x{i}" for i in range(x.shape[1])), weights=tuple(float(c) for c in coef), bias=bias
    )


def _newton(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float, iterations: int = 50) -> tuple[np.ndarray, float]:
    mean = np.average(x, axis=0, weights=w)
    std = np.sqrt(np.average((x - mean) ** 2, axis=0, weights=w))
    std = np.where(std > 1e-9, std, 1.0)
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / std])
    beta = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2 * w.sum())
    reg[0] = 0.0  # the intercept is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ beta, -60, 60)))
        grad = z.T @ (w * (p - y)) + reg * beta
        hess = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(reg) + 1e-9 * np.eye(z.shape[1])
        step = np.linalg.solve(hess, grad)
        beta -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    coef = beta[1:] / std
    return coef, float(beta[0] - np.sum(coef * mean))


@dataclass(frozen=True, slots=True)
class OperatingPoint:
    threshold: float  # answer at or above
    staff_threshold: float  # ask staff between staff_threshold and threshold
    target_wrong_rate: float
    wrong_rate: float  # wrong answers / all answers at `threshold`
    coverage: float  # share of answerable questions answered correctly at `threshold`
    negatives_answered: float  # share of negatives answered at `threshold`
    n_positive: int
    n_negative: int
    met_target: bool
    staff_share: float = 0.0  # estimated share of comments in the staff band (negatives weighted like the wrong rate)
    negative_share: float = 0.0  # share of out-of-scope comments the wrong rate is estimated at (0: unweighted)
    scorer: ConfidenceModel | None = None  # what the thresholds apply to; None = the built-in confidence
    unseen_answered: float | None = None  # share of questions of held-out FAQs answered (in-domain out of scope)
    # per query language: rows, top-1 rate, coverage / wrong rate at `threshold`, the threshold its own rows would
    # choose (bot/calibration.language_report); and the highest-scoring wrong rows (bot/calibration.confident_errors)
    by_lang: dict[str, dict[str, float | int | None]] = field(default_factory=dict)
    confident_errors: tuple[dict, ...] = ()
    # what the same rule's threshold does on rows it was not chosen on (``cross_fitted``); None = not computed
    cross_fitted: CrossFitted | None = None

    def as_dict(self) -> dict:
        out = {
            k: (round(v, 4) if isinstance(v, float) else v)
            for k, v in asdict(self).items()
            if k not in ("scorer", "cross_fitted")
        }
        out["scorer"] = self.scorer.as_dict() if self.scorer is not None else None
        out["cross_fitted"] = self.cross_fitted.as_dict() if self.cross_fitted is not None else None
        return out


@dataclass(frozen=True, slots=True)
class CrossFitted:
    """The operating point's figures read on rows the threshold was not chosen on (``cross_fitted``): per group, the
    threshold is chosen by the same rule on the other groups and read on the left-out one; the counts are pooled.

    ``coverage`` / ``wrong_rate`` / ``negatives_answered`` / ``unseen_answered`` mean what they mean in
    ``OperatingPoint``; ``*_ci95``: two-sided 95 % Wilson intervals on the pooled counts (the rows as a sample; the
    spread of the per-group thresholds is in ``thresholds``, not in the interval)."""

    folds: int
    coverage: float
    wrong_rate: float
    negatives_answered: float
    unseen_answered: float | None
    n_positive: int
    n_unseen: int
    coverage_ci95: tuple[float, float]
    unseen_ci95: tuple[float, float] | None
    thresholds: tuple[float, ...]  # the threshold chosen without each group, in group order

    def as_dict(self) -> dict:
        def r(v):
            if isinstance(v, float):
                return round(v, 4)
            if isinstance(v, tuple):
                return [r(x) for x in v]
            return v

        return {f.name: r(getattr(self, f.name)) for f in fields(self)}


Gate = tuple[np.ndarray, np.ndarray]  # per row (offset, floor): answered only when score ≥ t + offset and ≥ floor


def answered_at(t: float, scores: np.ndarray, gate: Gate | None = None) -> np.ndarray:
    """Which rows are answered at threshold ``t``; a ``gate`` (``bot.pipeline.intent_gate`` per row) holds some back:
    offset ``inf`` never answers, a floor asks for at least that score."""
    if gate is None:
        return scores >= t
    offset, floor = gate
    return (scores >= t + offset) & (scores >= floor)


def rates_at(
    t: float, pos_scores: np.ndarray, pos_correct: np.ndarray, neg_scores: np.ndarray, negative_weight: float = 1.0,
    pos_gate: Gate | None = None, neg_gate: Gate | None = None,
) -> tuple[float, float, float]:
    """(wrong_rate, coverage, negatives_answered) when answering every score ≥ t (and its gate, if any)."""
    answered_pos = answered_at(t, pos_scores, pos_gate)
    answered_neg = answered_at(t, neg_scores, neg_gate)
    right = int(np.sum(answered_pos & pos_correct))
    wrong = int(np.sum(answered_pos & ~pos_correct)) + negative_weight * int(np.sum(answered_neg))
    answered = right + wrong
    wrong_rate = wrong / answered if answered else 0.0
    coverage = right / len(pos_scores) if len(pos_scores) else 0.0
    neg_rate = float(np.mean(answered_neg)) if len(neg_scores) else 0.0
    return wrong_rate, coverage, neg_rate


RULES = ("lowest", "stable", "bound", "isotonic", "isotonic_raw")


@dataclass(frozen=True, slots=True)
class Curve:
    """Per candidate threshold (ascending): weighted right and wrong answers, the weighted sum of squared weights of
    the answered rows (for an effective sample size), and the isotonic expected wrong answers."""

    thresholds: np.ndarray
    right: np.ndarray
    wrong: np.ndarray
    sq_weights: np.ndarray
    expected_wrong: np.ndarray

    @property
    def answered(self) -> np.ndarray:
        return self.right + self.wrong

    def raw_rate(self) -> np.ndarray:
        a = self.answered
        return np.divide(self.wrong, a, out=np.zeros_like(a), where=a > 0)


def isotonic_increasing(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted isotonic (non-decreasing in ``x``) least-squares fit of ``y`` by pool-adjacent-violators; equal
    ``x`` share one value. Returns the fitted value per input row."""
    order = np.argsort(x, kind="stable")
    xs, ys, ws = x[order], y[order], w[order]
    # pool ties first: one block per distinct x
    starts = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])
    sums = np.add.reduceat(ws * ys, starts) if len(xs) else np.zeros(0)
    weights = np.add.reduceat(ws, starts) if len(xs) else np.zeros(0)
    counts = np.diff(np.r_[starts, len(xs)])
    value: list[float] = []
    weight: list[float] = []
    size: list[int] = []
    for s_, w_, c_ in zip(sums.tolist(), weights.tolist(), counts.tolist(), strict=True):
        v = s_ / w_ if w_ > 0 else 0.0
        value.append(v)
        weight.append(w_)
        size.append(c_)
        while len(value) > 1 and value[-2] > value[-1]:  # a violation: pool the last two blocks
            w2 = weight[-2] + weight[-1]
            v2 = (value[-2] * weight[-2] + value[-1] * weight[-1]) / w2 if w2 > 0 else 0.0
            c2 = size[-2] + size[-1]
            del value[-2:], weight[-2:], size[-2:]
            value.append(v2)
            weight.append(w2)
            size.append(c2)
    fitted_sorted = np.repeat(np.asarray(value), np.asarray(size, dtype=np.int64))
    out = np.empty_like(fitted_sorted)
    out[order] = fitted_sorted
    return out


def _last_threshold(scores: np.ndarray, gate: Gate | None) -> np.ndarray:
    """The highest threshold at which each row is still answered (``answered_at``); −inf: never."""
    if gate is None:
        return scores
    offset, floor = gate
    finite = np.isfinite(offset)
    off = np.where(finite, offset, 0.0)
    last = scores - off
    for _ in range(4):  # exactly the largest t with t + offset ≤ score, as answered_at computes it in floating point
        last = np.where(last + off <= scores, last, np.nextafter(last, -np.inf))
        up = np.nextafter(last, np.inf)
        last = np.where(up + off <= scores, up, last)
    return np.where((scores >= floor) & finite, last, -np.inf)


def wrong_curve(
    candidates: np.ndarray, pos: np.ndarray, correct: np.ndarray, neg: np.ndarray, negative_weight: float = 1.0,
    pos_gate: Gate | None = None, neg_gate: Gate | None = None, *, isotonic: bool = True,
) -> Curve:
    """Answers at every candidate threshold (``rates_at`` for all of them at once, weighted like it); ``isotonic``:
    also the isotonic expected wrong answers (``Curve.expected_wrong``; zeros without)."""
    scores = np.concatenate([pos, neg])
    weights = np.concatenate([np.ones(len(pos)), np.full(len(neg), negative_weight)])
    is_right = np.concatenate([correct, np.zeros(len(neg), dtype=bool)])
    # a row is answered at t exactly when t ≤ its effective threshold (score − gate offset, or never below its floor)
    last = np.concatenate([_last_threshold(pos, pos_gate), _last_threshold(neg, neg_gate)])
    # P(wrong | score): isotonic in the score (a higher confidence is never more likely wrong), fitted on the rows that
    # some threshold answers (a row the intent route always holds back says nothing about the answers given)
    p_wrong = np.zeros(len(scores))
    ever = np.isfinite(last)
    if isotonic and ever.any():
        p_wrong[ever] = 1.0 - isotonic_increasing(scores[ever], is_right[ever].astype(np.float64), weights[ever])
    order = np.argsort(last, kind="stable")
    last_sorted = last[order]
    w = weights[order]
    columns = np.stack([w * is_right[order], w * ~is_right[order], w * w, w * p_wrong[order]], axis=1)
    # suffix sums: rows with last ≥ t
    suffix = np.vstack([np.flip(np.cumsum(np.flip(columns, 0), 0), 0), np.zeros((1, 4))])
    first = np.searchsorted(last_sorted, candidates, side="left")
    right, wrong, sq, expected = (suffix[first, k] for k in range(4))
    return Curve(candidates, right, wrong, sq, expected)


def wilson_upper(wrong: np.ndarray, answered: np.ndarray, sq_weights: np.ndarray, confidence: float) -> np.ndarray:
    """One-sided Wilson upper bound of the wrong-answer rate at ``confidence``, on the effective sample size of the
    weighted answers (Kish: (Σw)² / Σw²). Nothing answered: 1."""
    from statistics import NormalDist

    z = NormalDist().inv_cdf(confidence)
    n = np.divide(answered * answered, sq_weights, out=np.zeros_like(answered), where=sq_weights > 0)
    p = np.divide(wrong, answered, out=np.zeros_like(answered), where=answered > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = p + z * z / (2 * n)
        spread = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        upper = (centre + spread) / (1 + z * z / n)
    return np.where(n > 0, np.minimum(upper, 1.0), 1.0)


def choose_threshold(
    pos_scores,
    pos_correct,
    neg_scores,
    *,
    target_wrong_rate: float = 0.05,
    staff_wrong_rate: float = 0.30,
    floor: float = 0.2,
    ceiling: float = 1.25,  # confidences are cosine + a margin bonus, so they can exceed 1
    negative_weight: float = 1.0,
    staff_max_share: float | None = None,
    pos_gate: Gate | None = None,
    neg_gate: Gate | None = None,
    rule: str = "lowest",
    min_answered: float = 15.0,
    confidence: float = 0.8,
) -> OperatingPoint:
    """The threshold with the most coverage whose wrong-answer rate is within target, by ``rule``:

    * ``lowest``: the lowest threshold whose cumulative wrong-answer rate is within target. That curve is not
      monotone, so the first dip under the target is a knife edge: a few rows moving can move it far.
    * ``stable``: scanned from the top — the lowest threshold at and above which *every* threshold answering at
      least ``min_answered`` (weighted) rows is within target (fewer answers are too few to say).
    * ``bound``: the lowest threshold whose one-sided Wilson upper bound (``confidence``) of the wrong rate is within
      target.
    * ``isotonic``: the lowest threshold whose expected wrong rate is within target, with P(wrong | score) fitted
      isotonic in the score (pool-adjacent-violators); its cumulative curve is smooth where the raw one zig-zags.

    ``coverage`` is the rows' own figure at the chosen threshold; so is ``wrong_rate``, except under ``isotonic``,
    where it is the expected rate the rule met (the raw rate zig-zags around it).
    If no threshold meets the target while answering something, the one with the lowest wrong rate is returned
    with ``met_target=False``.
    The staff threshold is the lowest one meeting the looser ``staff_wrong_rate``; with ``staff_max_share`` it is
    raised until the staff band (between it and the answer threshold) holds at most that share of all comments
    (positives + weighted negatives): a queue people can keep up with.
    ``pos_gate`` / ``neg_gate``: rows the live path's intent route holds back (``answered_at``) — a positive the
    intent set sends to staff is never covered, a negative it sends to staff is never a wrong answer.
    """
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}: one of {RULES}")
    pos = np.asarray(pos_scores, dtype=np.float64)
    correct = np.asarray(pos_correct, dtype=bool)
    neg = np.asarray(neg_scores, dtype=np.float64)
    candidates = np.unique(np.clip(np.concatenate([pos, neg, [floor, ceiling]]), floor, ceiling))
    curve = wrong_curve(
        candidates, pos, correct, neg, negative_weight, pos_gate, neg_gate, isotonic=rule in ("isotonic", "isotonic_raw")
    )
    raw = curve.raw_rate()
    covered = curve.right > 0  # answering nothing meets no target
    if rule == "bound":
        within = wilson_upper(curve.wrong, curve.answered, curve.sq_weights, confidence) <= target_wrong_rate
    elif rule in ("isotonic", "isotonic_raw"):
        a = curve.answered
        expected = np.divide(curve.expected_wrong, a, out=np.zeros_like(a), where=a > 0)
        within = expected <= target_wrong_rate + 1e-12
        if rule == "isotonic_raw":  # and the rows' own rate at that threshold as well
            within &= raw <= target_wrong_rate
    else:
        within = raw <= target_wrong_rate
    if rule == "stable":
        # every threshold from here up is within target or answers too few rows to tell
        ok = within | (curve.answered < min_answered)
        suffix_ok = np.flip(np.logical_and.accumulate(np.flip(ok)))
        within = suffix_ok & within
    hits = np.flatnonzero(within & covered)
    if rule == "isotonic":  # what the rule promises is the expected rate, not the raw zig-zag around it
        a = curve.answered
        promised = np.divide(curve.expected_wrong, a, out=np.zeros_like(a), where=a > 0)
    else:
        promised = raw

    def coverage_at(i: int) -> float:
        return float(curve.right[i]) / len(pos) if len(pos) else 0.0

    # candidates ascend: the staff threshold is the first within the staff rate, the answer threshold the first hit
    staff_hits = np.flatnonzero(raw <= staff_wrong_rate)
    staff: float | None = float(candidates[staff_hits[0]]) if len(staff_hits) else None
    met = len(hits) > 0
    if met:
        i = int(hits[0])
        t, wrong_rate, coverage = float(candidates[i]), float(promised[i]), coverage_at(i)
    else:  # the lowest wrong rate, the first threshold reaching it (to 1e-12)
        fallback = 0
        for i, rate in enumerate(raw.tolist()):
            if rate < float(raw[fallback]) - 1e-12:
                fallback = i
        t, wrong_rate, coverage = float(candidates[fallback]), float(raw[fallback]), coverage_at(fallback)
    neg_rate = float(np.mean(answered_at(t, neg, neg_gate))) if len(neg) else 0.0
    staff_t = min(staff if staff is not None else t, t)
    total = len(pos) + negative_weight * len(neg)

    def band_share(lo: float) -> float:
        inside = int(np.sum((pos >= lo) & (pos < t))) + negative_weight * int(np.sum((neg >= lo) & (neg < t)))
        return inside / total if total else 0.0

    if staff_max_share is not None:
        for lo in candidates[(candidates >= staff_t) & (candidates <= t)]:  # ascending: the widest band that fits
            if band_share(float(lo)) <= staff_max_share:
                staff_t = float(lo)
                break
        else:
            staff_t = t
    n_neg = len(neg)
    return OperatingPoint(
        threshold=round(t, 4),
        staff_threshold=round(staff_t, 4),
        target_wrong_rate=target_wrong_rate,
        wrong_rate=wrong_rate,
        coverage=coverage,
        negatives_answered=neg_rate,
        n_positive=len(pos),
        n_negative=n_neg,
        met_target=met,
        staff_share=band_share(staff_t),
        negative_share=(negative_weight * n_neg / total) if total else 0.0,
    )


def wilson_interval(k: float, n: float, z: float = 1.959964) -> tuple[float, float]:
    """Two-sided Wilson score interval of a proportion k / n (95 % by default); n = 0: (0, 1)."""
    if n <= 0:
        return 0.0, 1.0
    p = k / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(max(p * (1 - p), 0.0) / n + z * z / (4 * n * n))
    denom = 1 + z * z / n
    return max(0.0, (centre - spread) / denom), min(1.0, (centre + spread) / denom)


def cross_fitted(
    pos_scores,
    pos_correct,
    pos_group,
    neg_scores,
    neg_group,
    *,
    neg_unseen=None,
    negative_share: float | None = None,
    negative_weight: float = 1.0,
    pos_gate: Gate | None = None,
    neg_gate: Gate | None = None,
    **choose,
) -> CrossFitted | None:
    """What the threshold ``choose_threshold(**choose)`` picks does on rows it was not picked on.

    The rows are in groups (``pos_group`` / ``neg_group``: an int per row, 0 … K−1; the caller decides what a group
    is). For every group g the threshold is chosen by the same rule on the rows of the other groups and read on the
    rows of g; right, wrong and answered counts are pooled over the groups. The in-sample figures of
    ``choose_threshold`` are read off the rows their threshold was chosen on, so they carry the rule's selection
    optimism (``lowest`` stops where the wrong-rate curve dips just under the target); these do not. The threshold
    itself is not changed: this is an estimate of it.

    ``negative_share``: the negatives of each training part are weighted to stand for that share of its rows (as
    the full choice weighted them), else every negative weighs ``negative_weight``; the pooled wrong rate weighs
    negatives by ``negative_weight``. ``neg_unseen``: which negatives are questions of held-out FAQs (their answered
    share is ``unseen_answered``). Pure numpy; K threshold choices on rows already scored (milliseconds).
    Returns None when fewer than two groups hold positives."""
    pos = np.asarray(pos_scores, dtype=np.float64)
    correct = np.asarray(pos_correct, dtype=bool)
    neg = np.asarray(neg_scores, dtype=np.float64)
    pg = np.asarray(pos_group, dtype=np.int64)
    ng = np.asarray(neg_group, dtype=np.int64)
    unseen = np.zeros(len(neg), dtype=bool) if neg_unseen is None else np.asarray(neg_unseen, dtype=bool)
    if len(pg) != len(pos) or len(ng) != len(neg) or len(unseen) != len(neg):
        raise ValueError("one group per row")
    groups = sorted(set(pg.tolist()) | set(ng.tolist()))
    if len(set(pg.tolist())) < 2:
        return None
    choose = {k: v for k, v in choose.items() if k != "staff_max_share"}

    def sub(gate: Gate | None, mask: np.ndarray) -> Gate | None:
        return None if gate is None else (gate[0][mask], gate[1][mask])

    right = wrong_pos = neg_answered = unseen_answered = 0
    thresholds: list[float] = []
    for g in groups:
        train_p, train_n = pg != g, ng != g
        test_p, test_n = ~train_p, ~train_n
        n_p, n_n = int(train_p.sum()), int(train_n.sum())
        if n_p == 0:  # nothing to choose on (a single group of positives): its rows cannot be read out of sample
            continue
        w = negative_weight
        if negative_share is not None and n_n:
            w = negative_share / (1 - negative_share) * n_p / n_n
        point = choose_threshold(
            pos[train_p], correct[train_p], neg[train_n], negative_weight=w, pos_gate=sub(pos_gate, train_p),
            neg_gate=sub(neg_gate, train_n), **choose,
        )
        thresholds.append(point.threshold)
        on_p = answered_at(point.threshold, pos[test_p], sub(pos_gate, test_p))
        on_n = answered_at(point.threshold, neg[test_n], sub(neg_gate, test_n))
        right += int(np.sum(on_p & correct[test_p]))
        wrong_pos += int(np.sum(on_p & ~correct[test_p]))
        neg_answered += int(np.sum(on_n))
        unseen_answered += int(np.sum(on_n & unseen[test_n]))
    n_pos, n_unseen = len(pos), int(unseen.sum())
    wrong = wrong_pos + negative_weight * neg_answered
    answered = right + wrong
    return CrossFitted(
        folds=len(thresholds),
        coverage=right / n_pos if n_pos else 0.0,
        wrong_rate=wrong / answered if answered else 0.0,
        negatives_answered=neg_answered / len(neg) if len(neg) else 0.0,
        unseen_answered=unseen_answered / n_unseen if n_unseen else None,
        n_positive=n_pos,
        n_unseen=n_unseen,
        coverage_ci95=wilson_interval(right, n_pos),
        unseen_ci95=wilson_interval(unseen_answered, n_unseen) if n_unseen else None,
        thresholds=tuple(thresholds),
    )
