"""Self-calibration of the answer threshold from the catalog's own example questions.

Leave-one-out: every FAQ example question is matched against the index *without itself* (as if a viewer had typed
that paraphrase), scored by the same function as live comments; negatives are the intent set's non-question examples
(chit-chat / spam / complaint intents). The threshold is then
chosen for a target wrong-answer rate by ``models.calibrate.choose_threshold`` — staff never tune a number by hand.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from bot.normalize import fold, normalize
from bot.pipeline import CatalogView, MatchSettings, Understanding, generic_view, match_scores
from bot.resolve import mentioned_products
from models.calibrate import OperatingPoint, choose_threshold

log = logging.getLogger(__name__)


def _context(text: str, faq_product: str | None, stage: str | None, view: CatalogView) -> Understanding:
    """How the live path would see ``text``: products it names, else the FAQ's own product (as if on stage)."""
    mentioned = tuple(mentioned_products(fold(text), view.terms))
    product = mentioned[0] if mentioned else (faq_product or stage)
    how = "named" if mentioned else ("stage" if product else "none")
    return Understanding(
        text=text, lang="zh", empty=False, emoji_only=False, mentioned=mentioned, product_id=product, product_how=how
    )


def calibration_samples(view: CatalogView, index, encode, negatives: Sequence[str], settings: MatchSettings):
    """(pos_scores, pos_correct, neg_scores) by leave-one-out over the catalog's example questions.

    Each example is scored exactly like a live comment (``match_scores`` → ``MatchScores.best``: dense + lexical
    ranking, confidence = cosine + margin bonus) with the example itself removed from both the dense hits and the
    lexical index. Product context: the products the example names, else its FAQ's product on stage; examples of
    global FAQs and the negatives get the catalog's products on stage in turn (live, something is always on stage).
    """
    stages: list[str | None] = [*sorted(view.snapshot.products)] or [None]  # live, something is always on stage
    examples: list[tuple[str, str, str | None]] = []  # (faq_id, text, product)
    for faq in view.snapshot.faqs.values():
        if len(faq.questions) < 2:
            continue  # nothing left to match against once the example is held out
        for q in dict.fromkeys(t for t in map(normalize, faq.questions) if t):
            examples.append((faq.id, q, faq.product_id))
    pos_scores: list[float] = []
    pos_correct: list[bool] = []
    if examples:
        contexts = [_context(text, product_id, stages[i % len(stages)], view) for i, (_, text, product_id) in enumerate(examples)]
        generic = [generic_view(u, view) for u in contexts]  # the live path's second view of comments naming things
        vectors = encode([t for _, t, _ in examples])
        extra = [g for g in generic if g]
        extra_hits = dict(zip(extra, index.search(encode(extra), k=64, per_faq=False), strict=True)) if extra else {}
        searched = index.search(vectors, k=64, per_faq=False)
        for i, ((faq_id, text, _product), found) in enumerate(zip(examples, searched, strict=True)):
            second = generic[i]
            hits = found + extra_hits.get(second, []) if second else found
            held_out = [h for h in hits if not (h.faq_id == faq_id and h.example == text)]
            u = contexts[i]
            top_id, score, _margin, _runner = match_scores(held_out, u, view, settings, held_out=(faq_id, text)).best(settings)
            pos_scores.append(score)
            pos_correct.append(top_id == faq_id)
    neg_scores: list[float] = []
    texts = [t for t in dict.fromkeys(normalize(t) for t in negatives) if t]
    if texts:
        vectors = encode(texts)
        for i, (text, hits) in enumerate(zip(texts, index.search(vectors, k=24), strict=True)):
            u = _context(text, None, stages[i % len(stages)], view)
            neg_scores.append(match_scores(hits, u, view, settings).best(settings)[1])
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
