"""The matching path as pure functions: Comment + catalog view + index hits → Decision.

No I/O here. The service embeds, searches the index and renders; this module decides:
    understand()  normalise, detect language, resolve the product (named → platform tag → on stage), read asked variants
    decide()      aggregate FAQ hits, apply intent, thresholds and margin → band answer | recommend | staff | silent
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Protocol, Sequence

from bot.messages import Comment
from bot.normalize import analyse, fold
from bot.resolve import asked_variant, choose_product, mentioned_products, product_terms
from catalog.snapshot import CatalogSnapshot
from models.intents import IntentGuess

ANSWER = "answer"
RECOMMEND = "recommend"
STAFF = "staff"
SILENT = "silent"


@dataclass(frozen=True, slots=True)
class MatchSettings:
    answer_threshold: float = 0.55  # top FAQ score needed to answer (calibrated per catalog by models/calibrate)
    staff_threshold: float = 0.42  # between staff and answer: queue for staff instead of guessing
    min_margin: float = 0.04  # top FAQ must beat the best *other* FAQ by this much
    other_product_penalty: float = 0.08  # FAQ of a product that is neither named nor on stage
    intent_threshold: float = 0.5  # intent confidence needed to act on silent/staff/recommend intents
    max_embed_chars: int = 200
    default_lang: str = "zh"


class Hit(Protocol):
    faq_id: str
    score: float


@dataclass(frozen=True)
class CatalogView:
    """A snapshot plus what the pure functions precompute from it. Swapped whole on hot reload."""

    snapshot: CatalogSnapshot
    terms: tuple = ()

    @classmethod
    def build(cls, snapshot: CatalogSnapshot) -> "CatalogView":
        return cls(snapshot=snapshot, terms=product_terms(snapshot))

    @property
    def version(self) -> int:
        return self.snapshot.version


@dataclass(frozen=True, slots=True)
class Understanding:
    text: str  # normalised text to embed
    lang: str
    empty: bool
    emoji_only: bool
    mentioned: tuple[str, ...]
    product_id: str | None
    product_how: str  # named | platform | stage | none
    asked: Mapping[str, str] = field(default_factory=dict)

    @property
    def cache_key(self) -> tuple:
        return (self.text, self.product_id, self.lang, tuple(sorted(self.asked.items())))


@dataclass(frozen=True, slots=True)
class Decision:
    comment_id: str
    band: str
    reason: str
    lang: str
    faq_id: str | None = None
    product_id: str | None = None
    score: float = 0.0
    margin: float = 0.0
    runner_up: str | None = None
    intent: str | None = None
    intent_score: float = 0.0
    asked: Mapping[str, str] = field(default_factory=dict)
    mentioned: tuple[str, ...] = ()


def understand(comment: Comment, view: CatalogView, stage_product_id: str | None, settings: MatchSettings) -> Understanding:
    nt = analyse(comment.text, declared_lang=comment.lang, default_lang=settings.default_lang, max_chars=settings.max_embed_chars)
    folded = fold(nt.text)
    mentioned = tuple(mentioned_products(folded, view.terms)) if not nt.empty else ()
    product_id, how = choose_product(mentioned, comment.product_id, stage_product_id, view.snapshot.products)
    product = view.snapshot.products.get(product_id) if product_id else None
    asked = asked_variant(folded, product) if not nt.empty else {}
    return Understanding(
        text=nt.text,
        lang=nt.lang,
        empty=nt.empty,
        emoji_only=nt.emoji_only,
        mentioned=mentioned,
        product_id=product_id,
        product_how=how,
        asked=asked,
    )


def faq_scores(hits: Sequence[Hit], u: Understanding, view: CatalogView, settings: MatchSettings) -> dict[str, float]:
    """Best example score per FAQ, restricted to FAQs that fit the product context.

    A FAQ of another product is excluded when the viewer named a product, and penalised otherwise
    (the viewer may be asking about something that is not on stage, e.g. "推车承重多少" while a T-shirt is shown).
    """
    faqs = view.snapshot.faqs
    named = set(u.mentioned)
    scores: dict[str, float] = {}
    for hit in hits:
        faq = faqs.get(hit.faq_id)
        if faq is None:
            continue
        score = hit.score
        if faq.product_id is not None and faq.product_id != u.product_id:
            if named and faq.product_id not in named:
                continue
            score -= settings.other_product_penalty
        if score > scores.get(faq.id, -1.0):
            scores[faq.id] = score
    return scores


def decide(
    comment: Comment,
    u: Understanding,
    hits: Sequence[Hit],
    intent: IntentGuess | None,
    view: CatalogView,
    settings: MatchSettings,
) -> Decision:
    base = dict(comment_id=comment.id, lang=u.lang, product_id=u.product_id, asked=dict(u.asked), mentioned=u.mentioned)
    if intent is not None:
        base.update(intent=intent.label, intent_score=intent.score)
    if u.empty:
        return Decision(band=SILENT, reason="emoji only" if u.emoji_only else "empty comment", **base)

    scores = faq_scores(hits, u, view, settings)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best_id, best = ranked[0] if ranked else (None, 0.0)
    runner_id, runner = ranked[1] if len(ranked) > 1 else (None, 0.0)
    margin = best - runner
    strong_faq = best >= settings.answer_threshold and margin >= settings.min_margin

    confident_intent = intent is not None and intent.label is not None and intent.score >= settings.intent_threshold
    if confident_intent and intent.action == STAFF:
        return Decision(band=STAFF, reason=f"intent {intent.label}: never auto-answered", faq_id=best_id, score=best, **base)
    if confident_intent and intent.action == SILENT and not (strong_faq and best >= settings.answer_threshold + 0.1):
        return Decision(band=SILENT, reason=f"intent {intent.label}", faq_id=best_id, score=best, **base)
    if confident_intent and intent.action == RECOMMEND and not (strong_faq and best >= intent.score):
        return Decision(band=RECOMMEND, reason=f"intent {intent.label}", faq_id=None, score=intent.score, **base)

    if best_id is None:
        return Decision(band=SILENT, reason="no FAQ candidates", **base)
    faq = view.snapshot.faqs[best_id]
    if faq.product_id is not None and faq.product_id != u.product_id:
        base["product_id"] = faq.product_id  # the FAQ itself says which product the viewer means
        product = view.snapshot.products.get(faq.product_id)
        base["asked"] = asked_variant(fold(u.text), product)
    detail = dict(faq_id=best_id, score=best, margin=margin, runner_up=runner_id)
    if strong_faq:
        return Decision(band=ANSWER, reason="match", **detail, **base)
    if best >= settings.staff_threshold:
        why = "ambiguous between two FAQs" if best >= settings.answer_threshold else "low confidence"
        return Decision(band=STAFF, reason=why, **detail, **base)
    return Decision(band=SILENT, reason="below threshold", **detail, **base)
