"""The matching path as pure functions: Comment + catalog view + index hits → Decision.

No I/O here. The service embeds, searches the index and renders; this module decides:
    understand()  normalise, detect language, resolve the product (named → platform tag → on stage), read asked variants
    decide()      aggregate FAQ hits, apply intent, thresholds and margin → band answer | recommend | staff | silent
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np

from bot.gloss import gloss
from bot.langid import LanguageIdentifier
from bot.match_settings import MatchSettings
from bot.messages import Comment
from bot.normalize import analyse, fold, normalize
from bot.recommend_ask import FREEBIE, YES_NO, asks_what_to_get, not_a_request
from bot.resolve import (
    ProductTerms,
    VariantTerm,
    asked_variant,
    choose_product,
    mentioned_products,
    product_terms,
    variant_terms,
)
from bot.slots import Recogniser, reads_as_question
from catalog.snapshot import CatalogSnapshot, ProductInfo
from models.intents import IntentGuess
from models.lexical import LexicalIndex, TokenCache

ANSWER = "answer"
# the reason of an answer whose comment is worded like one of its FAQ's example questions (staff wrote that question)
EXACT_MATCH = "match: worded like one of its examples"
NOT_ASKED = "not a question, and its FAQ only answers questions"
RECOMMEND = "recommend"
STAFF = "staff"
SILENT = "silent"


class Hit(Protocol):
    @property
    def faq_id(self) -> str: ...

    @property
    def score(self) -> float: ...


@dataclass(frozen=True)
class CatalogView:
    """A snapshot plus what the pure functions precompute from it. Swapped whole on hot reload."""

    snapshot: CatalogSnapshot
    terms: ProductTerms = field(default_factory=ProductTerms)  # product names + their automaton (bot/resolve.py)
    lexical: LexicalIndex | None = None  # BM25 over the normalised FAQ examples, in `examples` order
    examples: tuple[tuple[str, str], ...] = ()  # (faq_id, normalised example) per lexical document
    example_faq: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # doc -> row in faq_ids
    faq_ids: tuple[str, ...] = ()
    recogniser: Recogniser | None = None  # catalog-derived slot recogniser (bot/slots.py)
    faq_examples: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # faq_id -> its normalised examples
    # Per FAQ row (``faq_ids`` order): its lexical documents are examples[doc_start[row]:doc_end[row]] (``examples``
    # is grouped by FAQ in that order), so one FAQ's best lexical score reads only its own documents.
    faq_row: Mapping[str, int] = field(default_factory=dict)  # faq_id -> row in faq_ids
    doc_start: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    doc_end: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    faq_intents: frozenset[str | None] = frozenset()  # the intents FAQs are labelled with
    variant_terms: Mapping[str, tuple[VariantTerm, ...]] = field(default_factory=dict)  # product id -> its labels
    # built from a previous view: the FAQs whose examples may differ from its (new ones included) and the FAQs gone
    # since (what a reload syncs the FAQ index with); None: built from scratch
    changed_faqs: tuple[str, ...] | None = field(default=None, compare=False)
    removed_faqs: tuple[str, ...] = field(default=(), compare=False)
    # text -> ``lexical_best`` of it: a cache of a pure function of (this view, text), filled by the matching path
    lexical_memo: dict[str, np.ndarray] = field(default_factory=dict, compare=False, repr=False)
    # product id -> the id of the FAQ that says when sold-out goods come back (bot/restock_note.py), filled when asked
    restock_memo: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(
        cls,
        snapshot: CatalogSnapshot,
        previous: CatalogView | None = None,
        *,
        tokens: TokenCache | None = None,
        normalized: Mapping[str, str] | None = None,
        pause: Callable[[], None] | None = None,
    ) -> CatalogView:
        """The view of ``snapshot``. With ``previous`` (the view being replaced on a reload) its pieces are reused
        where their inputs did not change: the product terms and the slot recogniser when no product's names,
        variants or attributes changed (stock does not count), and the lexical index's per-example tokens
        (``tokens``: a token cache to start from when there is no previous view, e.g. one saved beside the index), and
        ``normalized``: example question -> ``normalize_example`` of it, known from a cache (bot/normalized_cache.py).
        ``pause``: called between the build's steps (a hot reload lets the batch being decided go first there).
        The result equals a build from scratch."""
        pause = pause or _no_pause
        faq_ids = tuple(snapshot.faqs)
        # the same FAQs in the same order as the view being replaced (an edit of existing FAQs): its row numbers hold
        same_rows = previous is not None and faq_ids == previous.faq_ids
        row = previous.faq_row if previous is not None and same_rows else {fid: i for i, fid in enumerate(faq_ids)}
        before = previous.snapshot.faqs if previous is not None else {}
        known = previous.faq_examples if previous is not None else {}
        per_faq: dict[str, tuple[str, ...]] = {}
        changed: list[str] = []  # FAQs whose examples were normalised again (not handed over unchanged)
        norm = normalize_example if not normalized else functools.partial(_known_or_normalized, normalized)
        for fid, faq in snapshot.faqs.items():
            reused = known.get(fid) if before.get(fid) is faq else None  # the store hands unchanged FAQs over as is
            if reused is None:
                reused = tuple(dict.fromkeys(t for t in map(norm, faq.questions) if t))
                changed.append(fid)
            per_faq[fid] = reused
        if previous is not None and same_rows and len(changed) <= SPLICE_UP_TO:
            examples = _spliced_examples(previous, per_faq, changed)
        else:
            examples = tuple((fid, q) for fid, qs in per_faq.items() for q in qs)
        counts = np.fromiter(map(len, per_faq.values()), dtype=np.int64, count=len(per_faq))
        example_faq = np.repeat(np.arange(len(faq_ids), dtype=np.int64), counts)  # grouped by FAQ, in faq_ids order
        pause()
        if previous is not None and previous.lexical is not None:
            tokens = previous.lexical.tokens
        if previous is not None and previous.examples == examples:
            lexical = previous.lexical  # the same examples (an answer or product edit): the same index, shared
        elif previous is not None and previous.lexical is not None and examples:
            lexical = _updated_lexical(
                previous, previous.lexical, per_faq, row, examples, example_faq, counts,
                changed if same_rows else None, pause,
            )
        else:
            lexical = LexicalIndex.from_pairs(examples, tokens=tokens, pause=pause) if examples else None
        pause()
        same_products = previous is not None and _products_unchanged(previous.snapshot, snapshot)
        reuse = previous if previous is not None and same_products else None
        rows = np.arange(len(faq_ids), dtype=np.int64)
        if reuse is None:
            pause()
        return cls(
            snapshot=snapshot,
            terms=reuse.terms if reuse is not None else product_terms(snapshot),
            lexical=lexical,
            examples=examples,
            example_faq=example_faq,
            faq_ids=faq_ids,
            recogniser=reuse.recogniser if reuse is not None else Recogniser.build(snapshot),
            faq_examples=per_faq,
            faq_row=row,
            doc_start=np.searchsorted(example_faq, rows, side="left"),
            doc_end=np.searchsorted(example_faq, rows, side="right"),
            faq_intents=frozenset(f.intent for f in snapshot.faqs.values()),
            variant_terms=(
                reuse.variant_terms if reuse is not None else {pid: variant_terms(p) for pid, p in snapshot.products.items()}
            ),
            changed_faqs=tuple(changed) if previous is not None else None,
            removed_faqs=() if previous is None or same_rows else tuple(f for f in previous.faq_ids if f not in row),
        )

    @property
    def version(self) -> int:
        return self.snapshot.version


SPLICE_UP_TO = 200  # changed FAQs up to which a reload splices the previous view's examples (_spliced_examples)


def _no_pause() -> None:
    return None


def _spliced_examples(
    previous: CatalogView, per_faq: Mapping[str, tuple[str, ...]], changed: Sequence[str]
) -> tuple[tuple[str, str], ...]:
    """``examples`` for the same FAQs in the same order as ``previous`` with only ``changed`` ones' examples new: the
    previous view's pairs between them reused as they are (slices, not 30k new tuples)."""
    pieces: list[tuple[tuple[str, str], ...]] = []
    at = 0
    old = previous.examples
    for r in sorted(previous.faq_row[fid] for fid in changed):
        fid = previous.faq_ids[r]
        pieces.append(old[at : int(previous.doc_start[r])])
        pieces.append(tuple((fid, q) for q in per_faq[fid]))
        at = int(previous.doc_end[r])
    pieces.append(old[at:])
    return tuple(itertools.chain.from_iterable(pieces))


def _updated_lexical(
    previous: CatalogView,
    lexical: LexicalIndex,
    per_faq: Mapping[str, tuple[str, ...]],
    row: Mapping[str, int],
    examples: tuple[tuple[str, str], ...],
    example_faq: np.ndarray,
    counts: np.ndarray,
    changed: Sequence[str] | None,
    pause: Callable[[], None],
) -> LexicalIndex:
    """The lexical index of ``examples`` from the previous view's (``LexicalIndex.updated``): the documents of a FAQ
    whose examples did not change move to the FAQ's new place; those of changed and new FAQs are added. Equal to a
    build from scratch; falls back to one when the FAQs were reordered. ``changed``: with the same FAQs in the same
    order as the previous view, those whose examples may differ (the others are the same rows)."""
    known = previous.faq_examples
    if changed is not None:
        target = np.arange(len(previous.faq_ids), dtype=np.int64)
        target[[row[fid] for fid in changed if per_faq[fid] != known.get(fid)]] = -1
    else:
        target = np.fromiter(  # old FAQ row -> its new row when its examples are the same, else -1
            ((row.get(fid, -1) if (qs := per_faq.get(fid)) is not None and qs == known.get(fid) else -1)
             for fid in previous.faq_ids),
            dtype=np.int64, count=len(previous.faq_ids),
        )
    new_start = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    old_rows = previous.example_faq
    moved = target[old_rows]
    docs = np.arange(len(old_rows), dtype=np.int64)
    remap = np.where(moved >= 0, new_start[np.maximum(moved, 0)] + docs - previous.doc_start[old_rows], -1)
    covered = np.zeros(len(counts), dtype=bool)
    covered[target[target >= 0]] = True
    added = np.flatnonzero(~covered[example_faq])
    try:
        return lexical.updated(examples, remap, added, pause=pause)
    except ValueError:  # FAQs moved past each other: the kept documents changed order
        return LexicalIndex.from_pairs(examples, tokens=lexical.tokens, pause=pause)


@functools.lru_cache(maxsize=1 << 17)
def normalize_example(question: str) -> str:
    """``normalize`` of a FAQ example question, cached: a reload normalises the same 30k examples twice (index and
    lexical view) and again on every edit; only the new ones cost anything."""
    return normalize(question)


def _known_or_normalized(known: Mapping[str, str], question: str) -> str:
    text = known.get(question)
    return text if text is not None else normalize_example(question)


def _product_shape(product: ProductInfo) -> tuple:
    """What the product terms and the slot recogniser read of a product (everything but stock and prices)."""
    return (
        product.id,
        product.name,
        product.aliases,
        product.attributes,
        tuple((v.sku, v.attrs, v.labels) for v in product.variants),
    )


def _products_unchanged(old: CatalogSnapshot, new: CatalogSnapshot) -> bool:
    """True when the product terms and recogniser built from ``old`` are those ``new`` would build."""
    if old.synonyms != new.synonyms or list(old.products) != list(new.products):
        return False
    return all(
        a is b or _product_shape(a) == _product_shape(b)
        for a, b in zip(old.products.values(), new.products.values(), strict=True)
    )


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
    path: str = "faq"  # what answered: "faq", "structured" (bot/structured.py) or "recommend"
    qtype: str | None = None  # structured question type: stock / count / price / which / attribute / restock
    attribute: str | None = None  # structured: the attribute asked about (which: size/colour; attribute: its key)
    cosine: float = 0.0  # dense cosine of the chosen FAQ; `score` is the confidence the thresholds apply to
    #                      (cosine + margin bonus, see MatchSettings.margin_weight)
    # path "multi" (bot/multi_question.py): the structured decision of each question of a comment that asks two or
    # three, in the comment's order; one reply answers them all
    parts: tuple[Decision, ...] = ()
    intent_keyword: bool = False  # the intent was decided by one of its keywords (models/intents.py), not by similarity


@dataclass(frozen=True, slots=True)
class MatchScores:
    """Per-FAQ evidence for one comment, restricted to the FAQs that fit its product context."""

    fused: dict[str, float]  # ranking score: dense + lexical fusion (after the other-product penalty)
    dense: dict[str, float]  # best example cosine per FAQ (after the penalty)
    lexical: dict[str, float]  # best example BM25 score per FAQ, normalised to ~[0, 1] (after the penalty)
    linear: dict[str, float] = field(default_factory=dict)  # per-catalog linear score per candidate (after the penalty)
    # the comment's nearest examples, one entry per example (not per FAQ), best first: (faq id, cosine after the
    # penalty); only filled when the confidence model reads a neighbour feature (``NEIGHBOUR_FEATURES``)
    neighbours: tuple[tuple[str, float], ...] = ()

    def ranked(self) -> list[tuple[str, float]]:
        return sorted(self.fused.items(), key=lambda kv: (-kv[1], kv[0]))

    def best(self, settings: MatchSettings) -> tuple[str | None, float, float, str | None]:
        """(faq_id, confidence, dense margin, runner-up faq_id) of the top-ranked FAQ."""
        ranked = self.ranked()
        if not ranked:
            return None, 0.0, 0.0, None
        best_id = ranked[0][0]
        dense = self.dense[best_id]
        others = [(fid, v) for fid, v in self.dense.items() if fid != best_id]
        if not others:
            runner_id, margin = None, dense  # a lone candidate: no evidence of separation, confidence = cosine
            confidence = dense
        else:
            runner_id, runner = max(others, key=lambda kv: (kv[1], kv[0]))
            margin = dense - runner
            confidence = dense + settings.margin_weight * min(margin, settings.margin_cap)
        if settings.scorer is not None:
            confidence = settings.scorer.probability(self.features(best_id, ranked, margin, settings.scorer.names))
        return best_id, confidence, margin, runner_id

    def features(
        self, best_id: str, ranked: Sequence[tuple[str, float]], margin: float, names: Sequence[str] = ()
    ) -> tuple[float, ...]:
        """What the confidence model reads (``FEATURES``): the chosen FAQ's dense cosine, its dense margin over the
        best other FAQ (capped), its lexical score, its lead in the fused ranking, and (with a linear scorer, else
        0) its linear score and that score's lead over the best other candidate's; then, in order, any of
        ``OPTIONAL_FEATURES`` that ``names`` (the fitted model's feature names) lists after them."""
        fused_lead = ranked[0][1] - ranked[1][1] if len(ranked) > 1 else ranked[0][1]
        lin = self.linear.get(best_id, 0.0) if self.linear else 0.0
        others = [v for fid, v in self.linear.items() if fid != best_id]
        lin_lead = lin - max(others) if others else lin
        base = (
            self.dense[best_id],
            max(-0.3, min(margin, 0.3)),
            self.lexical.get(best_id, 0.0),
            max(-0.3, min(fused_lead, 0.3)),
            max(-0.5, min(lin, 1.5)),
            max(-1.0, min(lin_lead, 1.0)),
        )
        if len(names) <= len(FEATURES):
            return base
        return base + tuple(self.optional_feature(name, best_id) for name in names[len(FEATURES):])

    def optional_feature(self, name: str, best_id: str) -> float:
        """One of ``OPTIONAL_FEATURES`` for the chosen FAQ (each one is evidence *for* the answer: higher never
        means less likely right, so the monotone fit may keep it)."""
        if name in ("dense_agree", "lexical_agree", "linear_agree", "agree"):
            votes = [_top_of(self.dense) == best_id]
            if name in ("lexical_agree", "agree"):
                votes.append(bool(self.lexical) and _top_of(self.lexical) == best_id)
            if name in ("linear_agree", "agree"):
                votes.append(bool(self.linear) and _top_of(self.linear) == best_id)
            return float(votes[-1]) if name != "agree" else sum(votes) / len(votes)
        if name == "isolation":  # 1 / (1 + other FAQs whose dense cosine is within ISOLATION_BAND of the chosen one's)
            top = self.dense[best_id]
            crowd = sum(1 for fid, v in self.dense.items() if fid != best_id and v >= top - ISOLATION_BAND)
            return 1.0 / (1.0 + crowd)
        if name == "linear_peak":  # 1 − normalised entropy of softmax(linear / LINEAR_TEMPERATURE) over the FAQs
            if len(self.linear) < 2:
                return 0.0
            z = np.asarray(list(self.linear.values()), dtype=np.float64) / LINEAR_TEMPERATURE
            p = np.exp(z - z.max())
            p /= p.sum()
            return float(1.0 + np.sum(p * np.log(np.maximum(p, 1e-300))) / np.log(len(p)))
        if name == "vote":  # share of the VOTE_K nearest examples that belong to the chosen FAQ
            near = self.neighbours[:VOTE_K]
            return sum(1 for fid, _ in near if fid == best_id) / VOTE_K if near else 0.0
        if name == "top3":  # mean of the chosen FAQ's 3 best example cosines among the neighbours
            own = [v for fid, v in self.neighbours if fid == best_id][:3]
            if not own:
                return self.dense[best_id]
            floor = self.neighbours[-1][1]  # an example not listed scores at most the last listed one
            return (sum(own) + floor * (3 - len(own))) / 3
        raise ValueError(f"unknown confidence feature {name!r}")


def _top_of(values: Mapping[str, float]) -> str:
    return max(values.items(), key=lambda kv: (kv[1], kv[0]))[0]


FEATURES = ("cosine", "margin", "lexical", "fused_lead", "linear", "linear_lead")
# Further confidence inputs (issue 10 point 5; docs/EVAL.md §2b "Round 5"), computed by ``MatchScores.features`` for
# a model that names them: whether the dense / lexical / linear rankings name the chosen FAQ first (0/1) and their
# mean ("agree"); how isolated its cosine is ("isolation"); how peaked the linear scores are ("linear_peak": 1 − the
# normalised entropy of their softmax; a softmax *probability* was tried before, EVAL.md §2b); the share of the
# comment's VOTE_K nearest examples that are its own ("vote") and its mean top-3 example cosine ("top3"). The last
# two read example-level neighbours: the live path searches them (NEIGHBOURS_K raw example hits of the comment's own
# text) only for a model that needs them.
OPTIONAL_FEATURES = (
    "dense_agree", "lexical_agree", "linear_agree", "agree", "isolation", "linear_peak", "vote", "top3",
)
NEIGHBOUR_FEATURES = frozenset({"vote", "top3"})
# Which optional features calibration fits (in this order, after FEATURES). Off until measured better on train.
EXTRA_FEATURES: tuple[str, ...] = ()
VOTE_K = 10
NEIGHBOURS_K = 24
ISOLATION_BAND = 0.05
LINEAR_TEMPERATURE = 0.1  # the linear scores are ridge fits of one-hot targets (≈ 0..1); set a priori, not tuned


def feature_names() -> tuple[str, ...]:
    """The features calibration fits now: ``FEATURES`` and then ``EXTRA_FEATURES`` (read at call time)."""
    unknown = [n for n in EXTRA_FEATURES if n not in OPTIONAL_FEATURES]
    if unknown:
        raise ValueError(f"unknown confidence features {unknown}; known: {OPTIONAL_FEATURES}")
    return FEATURES + tuple(dict.fromkeys(EXTRA_FEATURES))


def needs_neighbours(settings: MatchSettings) -> bool:
    """Whether the confidence model reads example-level neighbours (the live path then searches them)."""
    return settings.scorer is not None and not NEIGHBOUR_FEATURES.isdisjoint(settings.scorer.names)


@functools.lru_cache(maxsize=8)
def identifier_for(languages: tuple[str, ...], default: str) -> LanguageIdentifier:
    """One identifier per room-language set (its detector loads once, lazily)."""
    return LanguageIdentifier(languages, default if default in languages else languages[0])


def understand(
    comment: Comment,
    view: CatalogView,
    stage_product_id: str | None,
    settings: MatchSettings,
    *,
    identify_language: bool = True,
) -> Understanding:
    """What the comment asks about. ``identify_language=False`` skips the language identifier of a many-language
    room (``lang`` is then the script rule's): the texts to embed do not depend on it (the encoder prefetch)."""
    nt = analyse(comment.text, declared_lang=comment.lang, default_lang=settings.default_lang, max_chars=settings.max_embed_chars)
    if identify_language and not set(settings.room_languages) <= {"zh", "en"}:
        guess = identifier_for(settings.room_languages, settings.default_lang).identify(comment.text, hint=comment.lang)
        nt = replace(nt, lang=guess.lang)
    folded = fold(nt.text)
    mentioned = tuple(mentioned_products(folded, view.terms)) if not nt.empty else ()
    product_id, how = choose_product(mentioned, comment.product_id, stage_product_id, view.snapshot.products)
    product = view.snapshot.products.get(product_id) if product_id else None
    asked = asked_variant(folded, product, view.variant_terms.get(product.id)) if product is not None and not nt.empty else {}
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


def _allowed(faq_product: str | None, u: Understanding, settings: MatchSettings) -> float | None:
    """Penalty for a FAQ in this product context, or None when it is excluded (another product was named)."""
    if faq_product is None or faq_product == u.product_id:
        return 0.0
    if u.mentioned and faq_product not in u.mentioned:
        return None
    return settings.other_product_penalty


def best_lexical(doc_scores: np.ndarray, view: CatalogView, rows: Sequence[int]) -> np.ndarray:
    """Best document score (capped at 1, at least 0) of each FAQ row in ``rows``, reading only those FAQs' own
    documents: the same values as a maximum over every document per FAQ, at the cost of the candidates."""
    if not rows:
        return np.zeros(0, dtype=np.float32)
    idx = np.asarray(rows, dtype=np.int64)
    starts, ends = view.doc_start[idx], view.doc_end[idx]
    lengths = ends - starts
    total = int(lengths.sum())
    out = np.zeros(len(idx), dtype=np.float32)
    if total == 0:
        return out
    offsets = np.cumsum(lengths) - lengths  # where each FAQ's documents begin in the gathered array
    docs = np.arange(total, dtype=np.int64) + np.repeat(starts - offsets, lengths)
    values = np.minimum(doc_scores[docs], 1.0)
    has = lengths > 0
    out[has] = np.maximum(np.maximum.reduceat(values, offsets[has]), 0.0)
    return out


LEXICAL_MEMO_FLOATS = 2_000_000  # bound of a view's ``lexical_memo`` (8 MB): entries x FAQs


def lexical_best(view: CatalogView, text: str) -> np.ndarray:
    """Best example score of ``text`` (capped at 1, at least 0) for every FAQ row (``faq_ids`` order): for any rows,
    the values ``best_lexical`` of ``view.lexical.scores(text)`` returns. Computed once per distinct text of a
    catalog version (live chat repeats itself) and kept in the view's bounded memo; the array is read-only."""
    memo = view.lexical_memo
    best = memo.get(text)
    if best is None:
        assert view.lexical is not None
        values = np.minimum(view.lexical.scores(text), 1.0)
        best = np.zeros(len(view.faq_ids), dtype=np.float32)
        has = view.doc_end > view.doc_start  # examples are grouped by FAQ in row order: one reduceat for all rows
        if values.size and has.any():
            best[has] = np.maximum(np.maximum.reduceat(values, view.doc_start[has]), 0.0)
        best.flags.writeable = False
        if len(memo) * max(1, len(view.faq_ids)) >= LEXICAL_MEMO_FLOATS:
            memo.clear()
        memo[text] = best
    return best


def match_scores(
    hits: Sequence[Hit],
    u: Understanding,
    view: CatalogView,
    settings: MatchSettings,
    *,
    held_out: tuple[str, str] | None = None,
    held_out_docs: np.ndarray | None = None,
    linear: Mapping[str, float] | None = None,
    neighbours: Sequence[Hit] = (),
) -> MatchScores:
    """Dense (index hits), lexical (BM25 over the same examples) and fused score per FAQ that fits the product context.

    A FAQ of another product is excluded when the viewer named a product, and penalised otherwise
    (the viewer may be asking about something that is not on stage, e.g. "推车承重多少" while a T-shirt is shown).
    Lexical evidence re-ranks the dense candidates and never brings in a FAQ the embedding did not retrieve, so it is
    computed for those candidates only (``lexical`` holds the candidates with a lexical score > 0): the work is
    proportional to the hits, not to the catalog.
    ``held_out`` = (faq_id, example) is ignored on the lexical side (leave-one-out calibration; the caller
    removes it from the dense hits); ``held_out_docs`` (a boolean mask over ``view.examples``) does the same for
    many examples at once (k-fold calibration).
    ``linear``: the per-catalog linear score of every FAQ (``MatchSettings.faq_linear``); like the lexical score it
    re-ranks the dense candidates only (weight ``settings.linear_weight``).
    ``neighbours``: raw example hits of the comment's own text, best first (``per_faq=False``), for the
    neighbour features; examples of an excluded FAQ are dropped and the other-product penalty applies as above.
    """
    faqs = view.snapshot.faqs
    penalty: dict[str, float | None] = {}  # per distinct candidate FAQ
    dense: dict[str, float] = {}
    for hit in hits:
        fid = hit.faq_id
        if fid in penalty:
            p = penalty[fid]
        else:
            faq = faqs.get(fid)
            p = penalty[fid] = None if faq is None else _allowed(faq.product_id, u, settings)
        if p is None:
            continue
        score = float(hit.score) - p
        if score > dense.get(fid, -1.0):
            dense[fid] = score
    lexical: dict[str, float] = {}
    w = settings.lexical_weight
    if w > 0 and dense and view.lexical is not None and u.text and held_out is None and held_out_docs is None:
        candidates = list(dense)
        best = lexical_best(view, u.text)[[view.faq_row[fid] for fid in candidates]]
        for fid, value in zip(candidates, best.tolist(), strict=True):
            if value > 0:
                lexical[fid] = value - (penalty[fid] or 0.0)
    elif w > 0 and dense and view.lexical is not None and u.text:
        doc_scores = view.lexical.scores(u.text)
        if held_out is not None and held_out[0] in view.faq_row:
            row = view.faq_row[held_out[0]]
            for i in range(int(view.doc_start[row]), int(view.doc_end[row])):  # only that FAQ's documents
                if view.examples[i] == held_out:
                    doc_scores[i] = 0.0
        if held_out_docs is not None:
            doc_scores = np.where(held_out_docs, 0.0, doc_scores)
        candidates = list(dense)
        best = best_lexical(doc_scores, view, [view.faq_row[fid] for fid in candidates])
        for fid, value in zip(candidates, best.tolist(), strict=True):
            if value > 0:
                lexical[fid] = value - (penalty[fid] or 0.0)
    # Lexical evidence re-ranks the dense candidates; it never brings in a FAQ the embedding did not retrieve.
    fused = {fid: (1.0 - w) * d + w * lexical.get(fid, -(penalty[fid] or 0.0)) for fid, d in dense.items()}
    lin: dict[str, float] = {}
    if linear and dense:
        # every FAQ that fits the product context (not only the dense candidates): the lead over the best other is
        # then the same whatever the search depth (calibration searches raw examples, the live path per FAQ)
        for fid, value in linear.items():
            if fid not in penalty:
                faq = faqs.get(fid)
                penalty[fid] = None if faq is None else _allowed(faq.product_id, u, settings)
            p = penalty[fid]
            if p is not None:
                lin[fid] = float(value) - p
        lw = settings.linear_weight
        fused = {fid: v + lw * lin.get(fid, 0.0) for fid, v in fused.items()}
    near: list[tuple[str, float]] = []
    for hit in neighbours:
        fid = hit.faq_id
        if fid not in penalty:
            faq = faqs.get(fid)
            penalty[fid] = None if faq is None else _allowed(faq.product_id, u, settings)
        p = penalty[fid]
        if p is not None:
            near.append((fid, float(hit.score) - p))
    near.sort(key=lambda kv: -kv[1])
    return MatchScores(fused=fused, dense=dense, lexical=lexical, linear=lin, neighbours=tuple(near))


@functools.lru_cache(maxsize=1 << 14)
def _literal(term: str) -> re.Pattern[str]:
    """``term`` as a case-insensitive literal pattern, compiled once: ``re``'s own cache holds 512 patterns, fewer
    than a large shop's product names, so ``re.sub(re.escape(name), …)`` recompiled them on every comment."""
    return re.compile(re.escape(term), re.IGNORECASE)


_GENERIC_VALUE = {"colour": "这个颜色", "color": "这个颜色", "flavour": "这个口味", "flavor": "这个口味", "spec": "这个规格"}


def generic_view(u: Understanding, view: CatalogView) -> str | None:
    """The comment with product names → "这款" and colour/flavour/spec values → "这个颜色"/…, or None if nothing named.

    FAQ examples are mostly written without product names ("多少钱", "这个颜色还有吗"), and a product noun pulls the
    embedding away from them ("羽绒服多少钱" scored 0.70 on a size-advice FAQ). Matching takes the best of both views.
    Size codes stay: they are short and part of how stock questions are phrased ("有XL码吗").
    """
    if not u.mentioned and not u.asked:
        return None
    text = u.text
    names: list[str] = []
    for pid in u.mentioned:
        product = view.snapshot.products.get(pid)
        if product is not None:
            names.extend([*product.name.values(), *product.aliases])
    product = view.snapshot.products.get(u.product_id) if u.product_id else None
    replacements: list[tuple[str, str]] = [(n, "这款") for n in names if n]
    if product is not None:
        for attr, value in u.asked.items():
            generic = _GENERIC_VALUE.get(attr)
            if generic is None:
                continue
            for variant in product.variants:
                if str(variant.attrs.get(attr)) == value:
                    replacements.extend((label, generic) for label in variant.values(attr))
    for term, generic in sorted(replacements, key=lambda r: -len(r[0])):
        text = _literal(term).sub(generic, text)
    text = re.sub(r"(这款)+", "这款", text)
    return text if text != u.text else None


def extra_views(u: Understanding, view: CatalogView) -> tuple[str, ...]:
    """The views of a comment embedded beside its own text: the generic view when it names things, and the English
    gloss of Vietnamese or Indonesian shop chat (``bot.gloss``: a function of the text alone, gated on the
    glossary's own evidence, never on the detected language). Calibration gives its rows the same views."""
    if u.empty:
        return ()
    out: list[str] = []
    for extra in (generic_view(u, view), gloss(u.text)):
        if extra and extra != u.text and extra not in out:
            out.append(extra)
    return tuple(out)


def query_texts(u: Understanding, view: CatalogView) -> tuple[str, ...]:
    """Texts to embed for one comment: the normalised comment, plus its generic view when it names things and its
    English gloss when it is Vietnamese or Indonesian shop chat (``extra_views``)."""
    if u.empty:
        return ()
    return (u.text, *extra_views(u, view))


def faq_scores(hits: Sequence[Hit], u: Understanding, view: CatalogView, settings: MatchSettings) -> dict[str, float]:
    """Ranking score per FAQ that fits the product context (dense + lexical fusion, see ``match_scores``)."""
    return match_scores(hits, u, view, settings).fused


def _with_intent_agreement(
    scores: MatchScores, intent: IntentGuess | None, view: CatalogView, settings: MatchSettings
) -> MatchScores:
    if (
        intent is None
        or intent.label is None
        or intent.action != "answer"
        or intent.score < settings.intent_agreement_threshold
        or settings.intent_mismatch_penalty <= 0
    ):
        return scores
    faqs = view.snapshot.faqs
    if intent.label not in view.faq_intents:
        return scores  # an intent no FAQ is labelled with says nothing about which FAQ is right

    def adjust(values: dict[str, float]) -> dict[str, float]:
        penalty = settings.intent_mismatch_penalty
        return {fid: v - (penalty if faqs[fid].intent != intent.label else 0.0) for fid, v in values.items()}

    return MatchScores(
        fused=adjust(scores.fused), dense=adjust(scores.dense), lexical=scores.lexical,
        linear=adjust(scores.linear) if scores.linear else scores.linear, neighbours=scores.neighbours,
    )


def linear_scores(views: Sequence[str], by_text: Mapping[str, np.ndarray], settings: MatchSettings) -> dict[str, float] | None:
    """Per-FAQ linear score of a comment: the best over its texts (the comment and its generic view)."""
    rows = [by_text[t] for t in views if t in by_text]
    if not rows or settings.scorer is None or settings.scorer.linear is None:
        return None
    best = np.max(np.vstack(rows), axis=0) if len(rows) > 1 else rows[0]
    return dict(zip(settings.scorer.linear.faq_ids, best.tolist(), strict=True))


SILENT_OVERRIDE = 0.1  # a FAQ overrides a silent intent (chit-chat, spam) only this far above the answer threshold
# A staff intent (complaint) named by one of its keywords always goes to staff; one guessed by similarity alone
# yields to a FAQ SILENT_OVERRIDE above the answer threshold, like a silent intent: the shop wrote that FAQ for the
# question ("I want to cancel my order" → CANCEL_ORDER, "my order has not reached" → ORDER_STATUS on HINT3, which the
# generic complaint examples also resemble). docs/EVAL.md §2b: chosen on train-only splits; demo logs unchanged.
STAFF_YIELDS = True


def intent_gate(intent: IntentGuess | None, settings: MatchSettings) -> tuple[float, float]:
    """How ``decide``'s intent route bounds a FAQ answer, as ``(offset, floor)``: with this intent guess the FAQ is
    answered only when its confidence is ≥ answer threshold + offset and ≥ floor (offset ``inf``: never — a staff
    intent; a recommendation intent yields to a FAQ at least as confident as itself). Calibration applies it to its
    rows (``bot.calibration``), so its estimate counts the questions the intent set takes away from the catalog."""
    if intent is None or intent.label is None or intent.score < settings.intent_threshold:
        return 0.0, float("-inf")
    if intent.action == STAFF:
        return (SILENT_OVERRIDE if STAFF_YIELDS and not intent.keyword else float("inf")), float("-inf")
    if intent.action == SILENT:
        return SILENT_OVERRIDE, float("-inf")
    if intent.action == RECOMMEND and intent.score >= settings.recommend_intent_threshold:
        return 0.0, intent.score
    return 0.0, float("-inf")


def own_example(text: str, faq_id: str, candidates: Mapping[str, float], view: CatalogView) -> bool:
    """Whether ``text`` (a normalised comment) is, up to case and width, one of ``faq_id``'s example questions and
    of no other candidate FAQ's (an example two FAQs share says nothing about which one is meant)."""
    key = fold(text)
    if not key or key not in (fold(q) for q in view.faq_examples.get(faq_id, ())):
        return False
    return not any(fid != faq_id and key in (fold(q) for q in view.faq_examples.get(fid, ())) for fid in candidates)


def _asks_what_the_faq_does_not(comment: Comment, faq_id: str | None, view: CatalogView) -> bool:
    """An open request for what to get ("엄마 선물로 뭐가 좋아요?", "¿qué le regalo a mi abuela?") and a FAQ none of whose
    example questions asks that ("명절 선물로 괜찮을까요?": is this fine as a gift): the recommendation answers it, not
    the FAQ (bot/recommend_ask.py)."""
    if faq_id is None or not asks_what_to_get(comment.text):
        return False
    faq = view.snapshot.faqs.get(faq_id)
    return faq is not None and not _examples_ask_what_to_get(faq.questions)


@functools.lru_cache(maxsize=4096)
def _examples_ask_what_to_get(questions: tuple[str, ...]) -> bool:
    return any(asks_what_to_get(q) for q in questions)


@functools.lru_cache(maxsize=4096)
def _examples_all_ask(questions: tuple[str, ...]) -> bool:
    """Does every example question of a FAQ read as a question (``reads_as_question``)? Cached per example tuple."""
    return bool(questions) and all(reads_as_question(q) for q in questions)


def decide(
    comment: Comment,
    u: Understanding,
    hits: Sequence[Hit],
    intent: IntentGuess | None,
    view: CatalogView,
    settings: MatchSettings,
    linear: Mapping[str, float] | None = None,
    neighbours: Sequence[Hit] = (),
) -> Decision:
    # Every decision is made by ``made``: the comment's fields plus what each branch says (typed, no **kwargs dicts);
    # one construction per comment (``dataclasses.replace`` of a base decision cost ~4 constructions).
    def made(
        band: str, reason: str, *, faq_id: str | None = None, score: float = 0.0, cosine: float = 0.0, margin: float = 0.0,
        runner_up: str | None = None, product_id: str | None = u.product_id, asked: Mapping[str, str] = u.asked,
    ) -> Decision:
        return Decision(
            comment_id=comment.id, band=band, reason=reason, lang=u.lang, faq_id=faq_id, product_id=product_id,
            score=score, margin=margin, runner_up=runner_up, intent=intent.label if intent is not None else None,
            intent_score=intent.score if intent is not None else 0.0, asked=dict(asked), mentioned=u.mentioned,
            intent_keyword=intent is not None and intent.keyword,
            cosine=cosine,
        )

    if u.empty:
        return made(SILENT, "emoji only" if u.emoji_only else "empty comment")

    scores = match_scores(hits, u, view, settings, linear=linear, neighbours=neighbours)
    scores = _with_intent_agreement(scores, intent, view, settings)
    best_id, best, margin, runner_id = scores.best(settings)  # best = confidence
    # A comment worded exactly like one of the top FAQ's examples (and no other candidate's), about that FAQ's
    # product, is the question staff wrote that FAQ for: answered whatever the confidence. Calibration never scores
    # such a comment (every example is held out of its own row), and a language the embedder places badly scores
    # even it low ("trả góp được không", an example of the installments FAQ, went to staff at 0.73).
    exact = (
        best_id is not None
        and view.snapshot.faqs[best_id].product_id in (None, u.product_id)  # not another product's FAQ
        and own_example(u.text, best_id, scores.dense, view)
    )
    # A calibrated scorer has already weighed the margin; the fixed gate applies to the built-in confidence only.
    strong_faq = exact or (
        best >= settings.answer_threshold and (settings.scorer is not None or margin >= settings.min_margin)
    )
    dense = scores.dense[best_id] if best_id is not None else 0.0

    if intent is not None and intent.label is not None and intent.score >= settings.intent_threshold:
        # a complaint guessed by similarity yields to a FAQ well above the threshold (not to exact wording alone);
        # one named by a keyword never does
        yields = STAFF_YIELDS and not intent.keyword and strong_faq and best >= settings.answer_threshold + SILENT_OVERRIDE
        if intent.action == STAFF and not yields:
            reason = f"intent {intent.label}: never auto-answered"
            return made(STAFF, reason, faq_id=best_id, score=best, cosine=dense)
        if intent.action == SILENT and not (strong_faq and (exact or best >= settings.answer_threshold + SILENT_OVERRIDE)):
            return made(SILENT, f"intent {intent.label}", faq_id=best_id, score=best, cosine=dense)
        if (
            intent.action == RECOMMEND
            and intent.score >= settings.recommend_intent_threshold
            and not (strong_faq and (exact or best >= intent.score) and not _asks_what_the_faq_does_not(comment, best_id, view))
            # a recommendation answers only a request for one (bot/recommend_ask.py): a yes/no question ("送妈妈 有礼盒吗")
            # or a free gift asked for ("买推车送什么赠品吗") goes on to a FAQ that matched confidently; otherwise the
            # decision checks refuse the recommendation
            # (bot/answer_checks.py), after the structured reading had its say
            and not (strong_faq and not_a_request(comment.text) in (YES_NO, FREEBIE))
        ):
            return made(RECOMMEND, f"intent {intent.label}", score=intent.score)

    if best_id is None:
        return made(SILENT, "no FAQ candidates")
    faq = view.snapshot.faqs[best_id]
    product_id, asked = u.product_id, u.asked
    if faq.product_id is not None and faq.product_id != u.product_id:
        # the FAQ itself says which product the viewer means
        product = view.snapshot.products.get(faq.product_id)
        terms = view.variant_terms.get(faq.product_id)
        product_id, asked = faq.product_id, asked_variant(fold(u.text), product, terms)
    if strong_faq and not exact and not reads_as_question(comment.text) and _examples_all_ask(faq.questions):
        # a statement ("love this stroller", "xin chào từ <city>") answered by a FAQ whose examples all ask: the product
        # noun matched, not the question; a human looks (a FAQ that answers statements — order reports — has some)
        band, why = STAFF, NOT_ASKED
    elif strong_faq:
        band, why = ANSWER, EXACT_MATCH if exact else "match"
    elif best >= settings.staff_threshold:
        band, why = STAFF, "ambiguous between two FAQs" if best >= settings.answer_threshold else "low confidence"
    else:
        band, why = SILENT, "below threshold"
    return made(
        band, why, faq_id=best_id, score=best, cosine=dense, margin=margin, runner_up=runner_id, product_id=product_id,
        asked=asked,
    )
