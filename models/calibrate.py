"""Choose answer/staff thresholds from labelled scores for a target wrong-answer rate (pure numpy).

Inputs are the top-1 scores of held-out *answerable* questions (with whether the top-1 was right) and the top-1
scores of *negatives* (questions the bot must not answer). For a threshold t the bot answers everything scoring ≥ t;
wrong answers are answerable questions matched to the wrong FAQ plus negatives answered at all.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


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

    def as_dict(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def rates_at(t: float, pos_scores: np.ndarray, pos_correct: np.ndarray, neg_scores: np.ndarray) -> tuple[float, float, float]:
    """(wrong_rate, coverage, negatives_answered) when answering every score ≥ t."""
    answered_pos = pos_scores >= t
    answered_neg = neg_scores >= t
    right = int(np.sum(answered_pos & pos_correct))
    wrong = int(np.sum(answered_pos & ~pos_correct)) + int(np.sum(answered_neg))
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
) -> OperatingPoint:
    """The lowest threshold whose wrong-answer rate is within target (maximum coverage under the target).

    If no threshold meets the target while answering something, the one with the lowest wrong rate is returned
    with ``met_target=False``.
    The staff threshold is the lowest one meeting the looser ``staff_wrong_rate``.
    """
    pos = np.asarray(pos_scores, dtype=np.float64)
    correct = np.asarray(pos_correct, dtype=bool)
    neg = np.asarray(neg_scores, dtype=np.float64)
    candidates = np.unique(np.clip(np.concatenate([pos, neg, [floor, ceiling]]), floor, ceiling))
    best: tuple[float, float, float, float] | None = None
    fallback: tuple[float, float, float, float] | None = None
    staff: float | None = None
    for t in candidates:  # ascending
        wrong_rate, coverage, neg_rate = rates_at(float(t), pos, correct, neg)
        if staff is None and wrong_rate <= staff_wrong_rate:
            staff = float(t)
        if fallback is None or wrong_rate < fallback[1] - 1e-12:
            fallback = (float(t), wrong_rate, coverage, neg_rate)
        if best is None and wrong_rate <= target_wrong_rate and coverage > 0:  # answering nothing meets no target
            best = (float(t), wrong_rate, coverage, neg_rate)
    met = best is not None
    t, wrong_rate, coverage, neg_rate = best if best is not None else fallback  # type: ignore[misc]
    staff_t = min(staff if staff is not None else t, t)
    return OperatingPoint(
        threshold=round(t, 4),
        staff_threshold=round(staff_t, 4),
        target_wrong_rate=target_wrong_rate,
        wrong_rate=wrong_rate,
        coverage=coverage,
        negatives_answered=neg_rate,
        n_positive=len(pos),
        n_negative=len(neg),
        met_target=met,
    )
