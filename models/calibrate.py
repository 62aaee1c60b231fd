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
from dataclasses import asdict, dataclass, field

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

    def as_dict(self) -> dict:
        out = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items() if k != "scorer"}
        out["scorer"] = self.scorer.as_dict() if self.scorer is not None else None
        return out


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
) -> OperatingPoint:
    """The lowest threshold whose wrong-answer rate is within target (maximum coverage under the target).

    If no threshold meets the target while answering something, the one with the lowest wrong rate is returned
    with ``met_target=False``.
    The staff threshold is the lowest one meeting the looser ``staff_wrong_rate``; with ``staff_max_share`` it is
    raised until the staff band (between it and the answer threshold) holds at most that share of all comments
    (positives + weighted negatives): a queue people can keep up with.
    ``pos_gate`` / ``neg_gate``: rows the live path's intent route holds back (``answered_at``) — a positive the
    intent set sends to staff is never covered, a negative it sends to staff is never a wrong answer.
    """
    pos = np.asarray(pos_scores, dtype=np.float64)
    correct = np.asarray(pos_correct, dtype=bool)
    neg = np.asarray(neg_scores, dtype=np.float64)
    candidates = np.unique(np.clip(np.concatenate([pos, neg, [floor, ceiling]]), floor, ceiling))
    best: tuple[float, float, float, float] | None = None
    fallback: tuple[float, float, float, float] | None = None
    staff: float | None = None
    for t in candidates:  # ascending
        wrong_rate, coverage, neg_rate = rates_at(float(t), pos, correct, neg, negative_weight, pos_gate, neg_gate)
        if staff is None and wrong_rate <= staff_wrong_rate:
            staff = float(t)
        if fallback is None or wrong_rate < fallback[1] - 1e-12:
            fallback = (float(t), wrong_rate, coverage, neg_rate)
        if best is None and wrong_rate <= target_wrong_rate and coverage > 0:  # answering nothing meets no target
            best = (float(t), wrong_rate, coverage, neg_rate)
    met = best is not None
    t, wrong_rate, coverage, neg_rate = best if best is not None else fallback  # type: ignore[misc]
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
