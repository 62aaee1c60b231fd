"""The answering engine: turns batches of comments into outcomes. Synchronous, no sockets.

It owns the swappable ``EngineState`` (catalog view + FAISS index + product vectors + thresholds). A catalog edit
builds a new state off the hot path and swaps the reference atomically, so a batch always sees one consistent
catalog version.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Callable, Sequence

import numpy as np

from bot.memory import ViewerMemory
from bot.messages import Comment, Order, Stage, StockUpdate
from bot.normalize import normalize
from bot.spool import Spool
from bot.pipeline import (
    ANSWER,
    RECOMMEND,
    SILENT,
    STAFF,
    CatalogView,
    Decision,
    MatchSettings,
    Understanding,
    decide,
    query_texts,
    understand,
)
from bot.recommend import product_text, rank_products, read_constraints, render_recommendations, similarity_map
from catalog.snapshot import CatalogSnapshot
from catalog.store import CatalogStore
from catalog.templates import RenderContext, RenderError, render
from models.embedders import Embedder
from models.index import FaqIndex
from models.intents import IntentGuess, IntentModel

log = logging.getLogger(__name__)

STOCK_INTENTS = {"ask_stock", "ask_size", "purchase_intent"}
STATUS_BY_BAND = {ANSWER: "answered", RECOMMEND: "answered", STAFF: "staff", SILENT: "silent"}


@dataclass(frozen=True)
class EngineState:
    view: CatalogView
    index: FaqIndex
    product_ids: tuple[str, ...]
    product_vectors: np.ndarray
    settings: MatchSettings

    @property
    def version(self) -> int:
        return self.view.version


@dataclass(frozen=True, slots=True)
class IndexedFaq:
    """What the FAISS index sees of a FAQ: its id and its example questions, normalised like comments are."""

    id: str
    questions: tuple[str, ...]


def indexable_faqs(snapshot: CatalogSnapshot) -> list[IndexedFaq]:
    return [IndexedFaq(f.id, tuple(dict.fromkeys(q for q in map(normalize, f.questions) if q))) for f in snapshot.faqs.values()]


@dataclass(frozen=True, slots=True)
class Outcome:
    comment: Comment
    decision: Decision
    text: str | None  # the reply text when answering / recommending
    answer_key: str | None  # identifies "the same answer" for merging
    seconds: float  # processing time of this comment inside the engine (amortised over its batch)
    cached: bool = False


@dataclass
class EngineStats:
    batches: int = 0
    comments: int = 0
    cache_hits: int = 0
    reloads: int = 0
    stock_events: int = 0
    orders_ok: int = 0
    orders_rejected: int = 0
    bands: dict[str, int] = field(default_factory=dict)


class Engine:
    def __init__(
        self,
        store: CatalogStore,
        embedder: Embedder,
        intent_model: IntentModel | None,
        *,
        settings: MatchSettings,
        index_dir: str | None = None,
        spool_path: str | None = None,
        default_lang: str = "zh",
        cache_size: int = 4096,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.intent_model = intent_model
        self.base_settings = settings
        self.index_dir = index_dir
        self.default_lang = default_lang
        self.stage_product_id: str | None = None
        self.memory = ViewerMemory()
        self.stats = EngineStats()
        self._vec_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self.spool = Spool(spool_path or (Path(index_dir).parent / "spool.jsonl" if index_dir else "var/spool.jsonl"))
        self.state: EngineState = self._build_state(store.snapshot(), previous=None)

    # ---------------------------------------------------------------- state / hot reload
    def _build_state(self, snapshot: CatalogSnapshot, previous: EngineState | None) -> EngineState:
        faqs = indexable_faqs(snapshot)
        if previous is None:
            if self.index_dir:
                index, how = FaqIndex.load_or_build(self.index_dir, self.embedder, faqs)
            else:
                index, how = FaqIndex.build(self.embedder, faqs), "built"
            log.info("FAQ index %s: %d FAQs, catalog v%d", how, len(faqs), snapshot.version)
        else:
            index = previous.index.copy()
            stats = index.sync(faqs)
            log.info("FAQ index synced to catalog v%d: %s", snapshot.version, stats)
            if self.index_dir:
                index.save(self.index_dir)
        products = list(snapshot.products.values())
        product_vectors = (
            self.embedder.encode([product_text(p) for p in products]) if products else np.zeros((0, self.embedder.dim), np.float32)
        )
        return EngineState(
            view=CatalogView.build(snapshot),
            index=index,
            product_ids=tuple(p.id for p in products),
            product_vectors=product_vectors,
            settings=previous.settings if previous else self.base_settings,
        )

    def set_thresholds(self, answer: float, staff: float) -> None:
        self.base_settings = replace(self.base_settings, answer_threshold=answer, staff_threshold=staff)
        self.state = replace(self.state, settings=self.base_settings)

    def watch_intents(self, path: str | Path, refit: Callable[[str], IntentModel | None]) -> None:
        """Reload the intent set when its file changes (staff add an intent or examples while live)."""
        self._intents_path = Path(path)
        self._intents_refit = refit
        self._intents_mtime = self._intents_path.stat().st_mtime_ns if self._intents_path.exists() else None

    def _reload_intents_if_changed(self) -> bool:
        path = getattr(self, "_intents_path", None)
        if path is None or not path.exists():
            return False
        mtime = path.stat().st_mtime_ns
        if mtime == self._intents_mtime:
            return False
        self._intents_mtime = mtime
        try:
            model = self._intents_refit(str(path))
        except Exception as exc:  # a broken file keeps the previous intents live, with a clear log line
            log.error("intent file %s not reloaded, keeping the previous intents: %s", path, exc)
            return False
        self.intent_model = model  # atomic reference swap
        log.info("intents reloaded from %s", path)
        return True

    def reload_if_changed(self) -> bool:
        intents_changed = self._reload_intents_if_changed()
        version = self.store.catalog_version()
        if version == self.state.version:
            return intents_changed
        new_state = self._build_state(self.store.snapshot(), previous=self.state)
        self.state = new_state  # atomic reference swap
        self.stats.reloads += 1
        return True

    # ---------------------------------------------------------------- non-comment events
    def apply_event(self, event: Stage | StockUpdate | Order) -> str:
        if isinstance(event, Stage):
            self.stage_product_id = event.product_id
            return f"stage → {event.product_id}"
        if isinstance(event, StockUpdate):
            self.store.set_stock(event.sku, event.stock)
            self.stats.stock_events += 1
            return f"stock {event.sku} = {event.stock}"
        if isinstance(event, Order):
            result = self.store.apply_order(event.order_id, event.sku, event.qty)
            if result.ok:
                self.stats.orders_ok += 1
                return f"order {event.order_id}: {event.qty}× {event.sku}, {result.remaining} left"
            self.stats.orders_rejected += 1
            return f"order {event.order_id} rejected: {result.reason}"
        raise TypeError(f"unsupported event {event!r}")

    # ---------------------------------------------------------------- comments
    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vec_cache]
        if missing:
            vectors = self.embedder.encode(missing)
            for t, v in zip(missing, vectors):
                self._vec_cache[t] = v
                if len(self._vec_cache) > self._cache_size:
                    self._vec_cache.popitem(last=False)
        self.stats.cache_hits += len(texts) - len(missing)
        out = []
        for t in texts:
            self._vec_cache.move_to_end(t)
            out.append(self._vec_cache[t])
        return np.vstack(out).astype(np.float32) if out else np.zeros((0, self.embedder.dim), np.float32)

    def process(self, comments: Sequence[Comment], *, record: bool = True) -> list[Outcome]:
        """Record, understand, embed (one batch), match, decide and render. Returns one Outcome per comment."""
        if not comments:
            return []
        start = time.perf_counter()
        state = self.state  # one consistent catalog version for the whole batch
        spooled: set[str] = set()
        if record:
            for c in comments:
                try:
                    self.store.record_comment(c, raise_errors=True)
                except Exception:  # database hiccup: keep the comment locally, drained when the database is back
                    self.spool.add(c)
                    spooled.add(c.id)
        settings = state.settings
        us = [understand(c, state.view, self.stage_product_id, settings) for c in comments]
        views = [query_texts(u, state.view) for u in us]
        to_embed = [t for v in views for t in v]
        hits_by_text: dict[str, list] = {}
        intents_by_text: dict[str, IntentGuess] = {}
        if to_embed:
            self._encode(to_embed)  # one batch for the whole run of comments (cached repeats are free)
            unique = list(dict.fromkeys(to_embed))
            uvecs = np.vstack([self._vec_cache[t] for t in unique]).astype(np.float32)
            for t, hits in zip(unique, state.index.search(uvecs, k=24)):
                hits_by_text[t] = hits
            if self.intent_model is not None:
                primary = list(dict.fromkeys(u.text for u in us if not u.empty))
                pvecs = np.vstack([self._vec_cache[t] for t in primary]).astype(np.float32)
                for t, g in zip(primary, self.intent_model.predict(primary, pvecs)):
                    intents_by_text[t] = g
        outcomes: list[Outcome] = []
        now = time.time()
        for c, u, v in zip(comments, us, views):
            hits = [h for t in v for h in hits_by_text.get(t, [])]
            intent = intents_by_text.get(u.text)
            decision = decide(c, u, hits, intent, state.view, settings)
            try:
                text, key, decision = self._realise(c, u, decision, state, now)
            except Exception as exc:  # live data unreadable (database hiccup): never guess stock — hand to staff
                log.warning("could not render an answer for %s: %s", c.id, exc)
                text, key, decision = None, None, replace(decision, band=STAFF, reason=f"live data unavailable: {type(exc).__name__}")
            outcomes.append(Outcome(comment=c, decision=decision, text=text, answer_key=key, seconds=0.0))
            self.memory.touch(c.user, now, lang=u.lang, product_id=decision.product_id if decision.band != SILENT else None)
        elapsed = time.perf_counter() - start
        per = elapsed / len(comments)
        outcomes = [replace(o, seconds=per) for o in outcomes]
        self.stats.batches += 1
        self.stats.comments += len(comments)
        for o in outcomes:
            self.stats.bands[o.decision.band] = self.stats.bands.get(o.decision.band, 0) + 1
            if record:
                outcome = dict(
                    status=STATUS_BY_BAND[o.decision.band],
                    faq_id=o.decision.faq_id,
                    score=round(float(o.decision.score), 4),
                    intent=o.decision.intent,
                    reply_text=o.text,
                    reason=o.decision.reason,
                    # Only comments that were about something count as questions about the product.
                    product_id=o.decision.product_id if o.decision.band != SILENT else None,
                    lang=o.decision.lang,
                )
                try:
                    if o.comment.id in spooled:
                        raise RuntimeError("comment is spooled")
                    self.store.set_comment_outcome(o.comment.id, room=o.comment.room, **outcome)
                except Exception:
                    self.spool.add(o.comment, outcome)
        return outcomes

    def drain_spool(self) -> int:
        """Move comments spooled during a database hiccup into the database (called by the live loop)."""
        return self.spool.drain(self.store) if self.spool.pending() else 0

    def _realise(self, c: Comment, u: Understanding, d: Decision, state: EngineState, now: float):
        """Turn a decision into reply text with live data; may downgrade to staff when rendering is impossible."""
        snapshot = state.view.snapshot
        if d.band == ANSWER:
            faq = snapshot.faqs[d.faq_id]
            template = faq.answers.get(d.lang) or next(iter(faq.answers.values()), None)
            if template is None:
                return None, None, replace(d, band=STAFF, reason="FAQ has no answer template")
            product = self.store.product(d.product_id) if d.product_id else None
            try:
                text = render(template, RenderContext(product=product, lang=d.lang, asked=d.asked))
            except RenderError as exc:
                return None, None, replace(d, band=STAFF, reason=f"cannot render: {exc}")
            if product is not None and faq.intent in STOCK_INTENTS and sum(v.stock for v in product.variants) == 0:
                alt = self._recommend_text(c, u, replace(d, asked={}), state, exclude=(product.id,))
                if alt:
                    text = f"{text} {alt}" if d.lang == "en" else f"{text}{alt}"
            key = f"{d.faq_id}|{d.product_id}|{d.lang}|{text}"
            return text, key, d
        if d.band == RECOMMEND:
            text = self._recommend_text(c, u, d, state)
            if text is None:
                return None, None, replace(d, band=STAFF, reason="nothing in stock fits the request")
            return text, f"rec|{d.lang}|{text}", d
        return None, None, d

    def _recommend_text(self, c: Comment, u: Understanding, d: Decision, state: EngineState, exclude: Sequence[str] = ()) -> str | None:
        live = self.store.products()  # live stock, without re-reading the FAQs
        products = list(live.values())
        current = live.get(d.product_id) if d.product_id else None
        constraints = read_constraints(u.text, asked=d.asked, current_price=Decimal(current.price) if current else None)
        query = self._vec_cache.get(u.text)
        sims = similarity_map(query, state.product_ids, state.product_vectors) if query is not None else {}
        viewer = self.memory.get(c.user, time.time())
        excl = list(exclude)
        if constraints.cheaper_than is not None and current is not None:
            excl.append(current.id)
        recs = rank_products(
            products,
            sims,
            constraints,
            stage_product_id=self.stage_product_id,
            exclude=excl,
            asked_before=viewer.products if viewer else (),
        )
        return render_recommendations(recs, live, d.lang)


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    return float(np.percentile(np.asarray(values, dtype=np.float64), q))

