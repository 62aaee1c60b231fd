""""Try a question": run the bot's own matching path on a typed question, without logging or replying.

Reuses the running engine (same catalog state, index, thresholds, intent model):
`bot.pipeline.understand` → embed → `engine.state.index.search` → `bot.pipeline.decide` → `engine.realise`
(which renders the answer with live stock from the store). The engine's vector cache is not touched, so
this is safe to call from the console thread while the bot processes comments.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from bot.messages import Comment
from bot.pipeline import ANSWER, RECOMMEND, decide, faq_scores, understand


def try_question(engine: Any, text: str, stage_product_id: str | None = None, *, top: int = 5) -> dict[str, Any]:
    state = engine.state  # one consistent catalog version for the whole call
    stage = stage_product_id or engine.stage_product_id
    comment = Comment(id="console-try", user="console", text=text, ts=time.time(), room="console")
    u = understand(comment, state.view, stage, state.settings)
    hits: list[Any] = []
    intent = None
    if not u.empty:
        vectors = engine.embedder.encode([u.text])
        hits = state.index.search(vectors, k=24)[0]
        if engine.intent_model is not None:
            intent = engine.intent_model.predict_vectors(vectors)[0]
    decision = decide(comment, u, hits, intent, state.view, state.settings)
    answer, _key, decision = engine.realise(comment, u, decision, state, time.time())
    candidate = None  # what the best FAQ would answer, shown when the bot would not answer on its own
    if decision.band not in (ANSWER, RECOMMEND) and decision.faq_id in state.view.snapshot.faqs:
        candidate, _key, _d = engine.realise(comment, u, replace(decision, band=ANSWER), state, time.time())

    scores = faq_scores(hits, u, state.view, state.settings)
    best_example: dict[str, tuple[str, float]] = {}
    for h in hits:
        if h.faq_id not in best_example or h.score > best_example[h.faq_id][1]:
            best_example[h.faq_id] = (h.example, float(h.score))
    faqs = state.view.snapshot.faqs
    matches = [
        {
            "faq_id": faq_id,
            "score": round(float(score), 4),
            "example": best_example.get(faq_id, ("", 0.0))[0],
            "intent": faqs[faq_id].intent if faq_id in faqs else None,
            "product_id": faqs[faq_id].product_id if faq_id in faqs else None,
        }
        for faq_id, score in sorted(scores.items(), key=lambda kv: -kv[1])[:top]
    ]
    product = engine.store.product(decision.product_id) if decision.product_id else None
    return {
        "question": text,
        "normalised": u.text,
        "lang": decision.lang,
        "band": decision.band,
        "reason": decision.reason,
        "faq_id": decision.faq_id,
        "score": round(float(decision.score), 4),
        "margin": round(float(decision.margin), 4),
        "intent": decision.intent,
        "intent_score": round(float(decision.intent_score), 4),
        "product_id": decision.product_id,
        "product_how": u.product_how,
        "asked": dict(decision.asked),
        "answer": answer if decision.band in (ANSWER, RECOMMEND) else None,
        "candidate_answer": candidate,
        "stock": None
        if product is None
        else [{"sku": v.sku, "attrs": dict(v.attrs), "stock": v.stock} for v in product.variants],
        "matches": matches,
        "thresholds": {"answer": state.settings.answer_threshold, "staff": state.settings.staff_threshold},
        "catalog_version": state.version,
    }
