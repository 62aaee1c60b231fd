"""Self-calibration of the answer threshold from the catalog's own example questions.

Leave-one-out: every FAQ example question is matched against the index *without itself* (as if a viewer had typed
that paraphrase); negatives are the catalog's non-question examples (chit-chat / spam intents). The threshold is then
chosen for a target wrong-answer rate by ``models.calibrate.choose_threshold`` — staff never tune a number by hand.
"""

from __future__ import annotations

import logging
from typing import Sequence

import numpy as np

from bot.normalize import normalize
from bot.pipeline import CatalogView, MatchSettings, Understanding, faq_scores
from models.calibrate import OperatingPoint, choose_threshold

log = logging.getLogger(__name__)


def _top(hits, u: Understanding, view: CatalogView, settings: MatchSettings) -> tuple[str | None, float]:
    scores = faq_scores(hits, u, view, settings)
    if not scores:
        return None, 0.0
    faq_id = max(scores, key=scores.get)
    return faq_id, scores[faq_id]


def calibration_samples(view: CatalogView, index, encode, negatives: Sequence[str], settings: MatchSettings):
    """(pos_scores, pos_correct, neg_scores) by leave-one-out over the catalog's example questions."""
    examples: list[tuple[str, str, str | None]] = []  # (faq_id, text, product)
    for faq in view.snapshot.faqs.values():
        if len(faq.questions) < 2:
            continue  # nothing left to match against once the example is held out
        for q in dict.fromkeys(normalize(q) for q in faq.questions):
            examples.append((faq.id, q, faq.product_id))
    pos_scores: list[float] = []
    pos_correct: list[bool] = []
    if examples:
        vectors = encode([t for _, t, _ in examples])
        for (faq_id, text, product_id), hits in zip(examples, index.search(vectors, k=64, per_faq=False)):
            held_out = [h for h in hits if not (h.faq_id == faq_id and h.example == text)]
            u = Understanding(text=text, lang="zh", empty=False, emoji_only=False, mentioned=(), product_id=product_id, product_how="stage")
            top_id, score = _top(held_out, u, view, settings)
            pos_scores.append(score)
            pos_correct.append(top_id == faq_id)
    neg_scores: list[float] = []
    if negatives:
        vectors = encode([normalize(t) for t in negatives])
        for hits in index.search(vectors, k=24):
            u = Understanding(text="", lang="zh", empty=False, emoji_only=False, mentioned=(), product_id=None, product_how="none")
            neg_scores.append(_top(hits, u, view, settings)[1])
    return np.asarray(pos_scores), np.asarray(pos_correct, dtype=bool), np.asarray(neg_scores)


def calibrate_catalog(
    view: CatalogView, index, encode, negatives: Sequence[str], settings: MatchSettings, *, target_wrong_rate: float = 0.05
) -> OperatingPoint:
    pos, correct, neg = calibration_samples(view, index, encode, negatives, settings)
    point = choose_threshold(pos, correct, neg, target_wrong_rate=target_wrong_rate)
    log.info(
        "calibrated on %d held-out examples + %d negatives: answer ≥ %.3f, staff ≥ %.3f, wrong %.1f%%, coverage %.1f%%",
        point.n_positive,
        point.n_negative,
        point.threshold,
        point.staff_threshold,
        100 * point.wrong_rate,
        100 * point.coverage,
    )
    return point
