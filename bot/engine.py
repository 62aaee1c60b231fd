"""The answering engine: turns batches of comments into outcomes. Synchronous, no sockets.

It owns the swappable ``EngineState`` (catalog view + FAISS index + product vectors + thresholds). A catalog edit
builds a new state off the hot path and swaps the reference atomically, so a batch always sees one consistent
catalog version.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy.exc import SQLAlchemyError

from bot import normalized_cache
from bot.answer_checks import with_structured
from bot.gloss import gloss
from bot.heap import gc_paused, release_free_memory, short_switch_interval
from bot.keyword_rules import RuleBook
from bot.langid import normalize_lang_code
from bot.memory import StageTimeline, ViewerMemory
from bot.messages import (
    Behaviour,
    Comment,
    Follow,
    Gift,
    Like,
    Order,
    ProductClick,
    Purchase,
    Stage,
    StockUpdate,
    ViewerEnter,
    ViewerLeave,
)
from bot.moderation import Moderator
from bot.multi_question import MULTI, faq_clauses, with_faq_parts, with_multi
from bot.pipeline import (
    ANSWER,
    NEIGHBOURS_K,
    RECOMMEND,
    SILENT,
    STAFF,
    CatalogView,
    Decision,
    MatchSettings,
    Understanding,
    decide,
    faq_scores,
    linear_scores,
    needs_neighbours,
    normalize_example,
    query_texts,
    understand,
)
from bot.ports import Store
from bot.prefetch import Prefetcher
from bot.recommend import product_text, rank_products, read_constraints, render_recommendations, similarity_map
from bot.restock_note import restock_note
from bot.room_rules_live import LiveRoomRules
from bot.slots import reads_as_question
from bot.spool import Spool
from bot.stats import percentile as stats_percentile
from bot.structured import STRUCTURED, render_structured, structured_languages
from catalog.answer_text import joined
from catalog.langs import foreign_script, pick_tag
from catalog.live import LiveProducts
from catalog.phrases import LANGS as PHRASE_LANGS
from catalog.phrases import MissingText, phrase
from catalog.snapshot import CatalogSnapshot, FaqInfo, ProductInfo
from catalog.templates import RenderContext, RenderError, render
from catalog.wordfilter import WordFilter
from models.calibrate import ConfidenceModel
from models.embedders import Embedder
from models.faq_linear import fit_faq_linear, fits
from models.index import FaqIndex
from models.intents import IntentGuess, IntentModel
from models.lexical import TokenCache
from models.vector_cache import load_vectors, save_vectors

if TYPE_CHECKING:
    from bot.shared_state import SharedCatalogState

log = logging.getLogger(__name__)

STOCK_INTENTS = {"ask_stock", "ask_size", "purchase_intent"}
TOKENS_FILE = "lexical.tokens.npz"  # in index_dir: the lexical index's per-example tokens (models/lexical.TokenCache)
PRODUCT_VECTORS_FILE = "products.npz"  # in index_dir: product text -> vector (models/vector_cache)
STATUS_BY_BAND = {ANSWER: "answered", RECOMMEND: "answered", STAFF: "staff", SILENT: "silent"}


def predict_intents(
    model: IntentModel, texts: Sequence[str], vectors: np.ndarray, views: Mapping[str, np.ndarray]
) -> dict[str, IntentGuess]:
    """The intent of each comment text (keywords decide outright), and a request for advice read on its English
    gloss: USE-m3 does not know Vietnamese and the intent examples are zh/en, so "nên chọn gì" ("what should I
    choose") is recognised only on the gloss ("should choose what"). Only a recommend intent is taken from the gloss,
    and only when it scores higher than the comment's own guess: an answer intent from it would also re-rank FAQs
    (intent agreement), and a silent one could hide a question. ``views``: the vectors of the comments' other views
    (``query_texts``), by text."""
    out = dict(zip(texts, model.predict(texts, vectors), strict=True))
    glossed = {t: g for t in texts if (g := gloss(t)) and g in views}
    if glossed:
        gvecs = np.vstack([views[g] for g in glossed.values()]).astype(np.float32)
        for t, guess in zip(glossed, model.predict_vectors(gvecs), strict=True):
            own = out[t]
            if own.keyword or guess.score <= own.score:
                continue
            if guess.action == "recommend" or (guess.action == "silent" and not reads_as_question(t)):
                out[t] = guess
    return out


@dataclass(frozen=True)
class EngineState:
    view: CatalogView
    index: FaqIndex
    product_ids: tuple[str, ...]
    product_vectors: np.ndarray
    settings: MatchSettings
    product_texts: tuple[str, ...] = ()  # what each product vector was embedded from (reused on reload when unchanged)
    product_langs: tuple[str, ...] = ()  # the room languages the product texts were written for

    @property
    def version(self) -> int:
        return self.view.version


# A reload builds the new catalog state in a thread beside the batches being decided; both need the GIL, so a batch
# that overlaps a reload runs at about half speed (and waits up to a switch interval each time it gets the GIL back
# after FAISS, numpy or SQLite released it). The build is cut into steps of at most ~30 ms each (10k-FAQ shop:
# snapshot, room filter, view, 6 lexical phases, index copy, sync, save, product vectors); between two steps the
# builder lets a batch in progress finish first, waiting at most this long per step, so a reload is the low-priority
# thread: a batch shares the GIL with at most one step (10k-FAQ shop at 100 comments/s: max comment -> decision
# during reloads 187 -> 113 ms, bench/RESULTS.md "Catalog at scale").
RELOAD_YIELD_S = 0.04
# ... and at most this long in all per reload: behind back-to-back batches an edit still goes live within ~1 s
# (poll interval + the build sharing the GIL + this).
RELOAD_WAIT_BUDGET_S = 0.25
# ... and while it builds, the GIL changes hands after at most this long instead of 5 ms (bot/heap.py).
RELOAD_SWITCH_INTERVAL_S = 0.001

@dataclass(frozen=True, slots=True)
class IndexedFaq:
    """What the FAISS index sees of a FAQ: its id and its example questions, normalised like comments are."""

    id: str
    questions: tuple[str, ...]


def room_snapshot(
    snapshot: CatalogSnapshot,
    room_languages: Sequence[str],
    previous: tuple[CatalogSnapshot, CatalogSnapshot] | None = None,
) -> CatalogSnapshot:
    """The catalog as a room with these languages matches against: each FAQ's example questions filed under one of
    the room's languages (or under no known language). A zh/en room is neither matched nor calibrated against the
    Thai or Spanish examples staff wrote for a cross-border room (they shift its calibrated scale: measured on the
    demo show, docs/EVAL.md "Cross-border rooms"). Answers and products are untouched.

    ``previous``: an earlier snapshot and what this function returned for it with the same room languages. A FAQ
    handed over as the very same object (the store does so for unchanged FAQs) is taken from that result without
    looking at its languages again, so a reload after one edit of a 10k-FAQ shop checks one FAQ, not 10,000
    (0.2 s of a reload, measured), and unchanged FAQs stay the same objects for the view's reuse."""
    room = {lang.split("-")[0].lower() for lang in room_languages}
    before, before_room = (previous[0].faqs, previous[1].faqs) if previous is not None else ({}, {})
    faqs: dict[str, FaqInfo] = {}
    changed = False
    for fid, faq in snapshot.faqs.items():
        if before.get(fid) is faq and (filed := before_room.get(fid)) is not None:
            faqs[fid] = filed
            changed = changed or filed is not faq
            continue
        if len(faq.question_langs) == len(faq.questions) and any(
            lang.split("-")[0].lower() not in room for lang in faq.question_langs
        ):
            kept = [(q, lang) for q, lang in zip(faq.questions, faq.question_langs, strict=True)
                    if lang.split("-")[0].lower() in room]
            faq = replace(faq, questions=tuple(q for q, _ in kept), question_langs=tuple(lang for _, lang in kept))
            changed = True
        faqs[fid] = faq
    return replace(snapshot, faqs=faqs) if changed else snapshot


def indexable_faqs(snapshot: CatalogSnapshot) -> list[IndexedFaq]:
    return [
        IndexedFaq(f.id, tuple(dict.fromkeys(q for q in map(normalize_example, f.questions) if q)))
        for f in snapshot.faqs.values()
    ]


@dataclass(frozen=True, slots=True)
class Outcome:
    comment: Comment
    decision: Decision
    text: str | None  # the reply text when answering / recommending
    answer_key: str | None  # identifies "the same answer" for merging
    seconds: float  # processing time of this comment inside the engine (amortised over its batch)
    cached: bool = False
    # the language identified for the viewer; `decision.lang` is the reply's, which differs after a fallback
    # ("match; in en: no ja answer"). comment_log.lang records the viewer's (the console's badge, "add translation").
    viewer_lang: str | None = None


@dataclass
class EngineStats:
    batches: int = 0
    comments: int = 0
    cache_hits: int = 0
    reloads: int = 0  # catalog states built
    # reload checks that swapped in an edit (catalog, intents or room rules), whoever asked: the live loop or the
    # console's "try a question" (bot/console/web.py RuntimeSlot); a service reports these as its reloads
    edits_applied: int = 0
    stock_events: int = 0
    restocks: int = 0  # stock events that raised the stock (the others are corrections)
    orders_ok: int = 0
    orders_rejected: int = 0
    events_rejected: int = 0
    largest_batch: int = 0
    duplicates: int = 0  # comments whose (room, id) was already logged: recorded once, never answered twice
    bands: dict[str, int] = field(default_factory=dict)


class Engine:
    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        intent_model: IntentModel | None,
        *,
        settings: MatchSettings,
        index_dir: str | None = None,
        spool_path: str | None = None,
        default_lang: str | None = None,
        cache_size: int = 4096,
        shared: SharedCatalogState | None = None,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.intent_model = intent_model
        self.base_settings = settings
        self.index_dir = index_dir
        # the room's main language (hand-offs, announcements, staff replies): the settings' own unless told otherwise
        self.default_lang = default_lang or settings.default_lang
        self.stage_product_id: str | None = None
        self.word_filter: WordFilter | None = None  # outbound word filter (catalog/wordfilter.py)
        self.moderator: Moderator | None = None  # inbound moderation: links, contact details, floods (bot/moderation.py)
        self.rules: RuleBook | None = None  # staff keyword rules (bot/keyword_rules.py), they win over matching
        # the rules, schedules and word lists staff edit in the console (database), swapped in on reload
        self.room_rules: LiveRoomRules | None = None
        self.memory = ViewerMemory()
        self.stage_timeline = StageTimeline()  # which product was on stage when (room clock): viewers' watch time
        self.stats = EngineStats()
        self._vec_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        # the encoder process embedding the batch queued behind the one being decided (bot/prefetch.py), if any
        self.prefetcher: Prefetcher | None = None
        self.live = LiveProducts(store)  # products + live stock in memory, re-read when the stock clock moves
        self.spool = Spool(spool_path or (Path(index_dir).parent / "spool.jsonl" if index_dir else "var/spool.jsonl"))
        # (room languages, the last catalog snapshot read, its room_snapshot): what the next reload's room_snapshot reuses
        self._room_seen: tuple[tuple[str, ...], CatalogSnapshot, CatalogSnapshot] | None = None
        self._deciding = 0  # batches in engine.process right now (a reload lets them finish between its steps)
        self._deciding_lock = threading.Lock()
        # one reload check at a time: the live loop's and the console's ("try a question" of a console sharing this
        # engine, e.g. `livereply demo --keep-console` after the replay) never build the same state twice at once
        self._reload_lock = threading.Lock()
        self._reload_wait_left = RELOAD_WAIT_BUDGET_S  # of the reload being built (reset at each reload)
        # where reload_if_changed reads the catalog version (a worker's engines share one cached probe: SharedProbe)
        self.catalog_version_probe: Callable[[], int] = store.catalog_version
        # engines of one process serving several rooms (a worker) share the catalog state: built once, held once
        self.shared: SharedCatalogState | None = None
        if shared is not None and shared.state is not None:
            self.state: EngineState = shared.state
        else:
            self.state = self._build_state(store.snapshot(), previous=None)
            if shared is not None:
                shared.publish(self.state, self._room_seen)
        if shared is not None:
            shared.attach(self)

    # ---------------------------------------------------------------- state / hot reload
    def _build_state(self, snapshot: CatalogSnapshot, previous: EngineState | None) -> EngineState:
        languages = tuple(self.base_settings.room_languages)
        seen = self._room_seen
        room = room_snapshot(snapshot, languages, seen[1:] if seen is not None and seen[0] == languages else None)
        self._room_seen = (languages, snapshot, room)
        snapshot = room
        view = self._build_view(snapshot, previous)
        # what the index sees of each FAQ is the view's normalised examples (the same expression as indexable_faqs,
        # computed once, and reused for unchanged FAQs)
        faqs = [IndexedFaq(fid, questions) for fid, questions in view.faq_examples.items()] if previous is None else []
        if previous is None:
            if self.index_dir:
                index, how = FaqIndex.load_or_build(self.index_dir, self.embedder, faqs)
            else:
                index, how = FaqIndex.build(self.embedder, faqs), "built"
            log.info("FAQ index %s: %d FAQs, catalog v%d", how, len(faqs), snapshot.version)
        elif view.faq_examples == previous.view.faq_examples:
            # no FAQ's example questions changed (an answer, intent or product edit): the index as it is, shared by
            # the old and the new state (neither mutates it; the next change syncs a copy)
            index = previous.index
            if self.index_dir:
                self._let_batches_finish()
                index.save_changes(self.index_dir)  # "none", unless an earlier save failed: retried here
        else:
            self._let_batches_finish()
            index = previous.index.copy()
            self._let_batches_finish()
            if view.changed_faqs is not None:  # what changed since the previous view: the sync costs the change
                changed = [IndexedFaq(fid, view.faq_examples[fid]) for fid in view.changed_faqs]
                stats = index.sync_changes(changed, view.removed_faqs, pause=self._let_batches_finish)
            else:
                faqs = [IndexedFaq(fid, questions) for fid, questions in view.faq_examples.items()]
                stats = index.sync(faqs, pause=self._let_batches_finish)
            log.info("FAQ index synced to catalog v%d: %s", snapshot.version, stats)
            index.prepare()  # an index copied before its 8-bit copy was built builds it here, not in a search
            if self.index_dir:
                self._let_batches_finish()
                saved = index.save_changes(self.index_dir)  # the change appended to the index log, not 60 MB rewritten
                log.debug("FAQ index saved (%s)", saved)
        if previous is not None:
            self._let_batches_finish()
        products = list(snapshot.products.values())
        langs = tuple(self.base_settings.room_languages)
        texts = self._product_texts(products, langs, previous)
        settings = previous.settings if previous else self.base_settings
        if previous is not None and previous.view.faq_examples != view.faq_examples:
            self._let_batches_finish()
            settings = self._refit_linear(settings, view, index)
        return EngineState(
            view=view,
            index=index,
            product_ids=tuple(p.id for p in products),
            product_vectors=self._product_vectors(texts, previous),
            settings=settings,
            product_texts=texts,
            product_langs=langs,
        )

    @staticmethod
    def _product_texts(
        products: Sequence[ProductInfo], langs: tuple[str, ...], previous: EngineState | None
    ) -> tuple[str, ...]:
        """``product_text`` of each product; on a reload a product handed over unchanged (the same object, as the
        store does) keeps the text of the state it replaces."""
        if previous is None or previous.product_langs != langs or len(previous.product_texts) != len(previous.product_ids):
            return tuple(product_text(p, langs) for p in products)
        before = previous.view.snapshot.products
        old = dict(zip(previous.product_ids, previous.product_texts, strict=True))
        return tuple(old[p.id] if before.get(p.id) is p and p.id in old else product_text(p, langs) for p in products)

    def _refit_linear(self, settings: MatchSettings, view: CatalogView, index: FaqIndex) -> MatchSettings:
        """The FAQs changed: the calibrated linear scorer (if any) is refitted on the new examples, from the vectors
        the index already holds (same penalty; the confidence weights and thresholds stay). A catalog grown past
        ``faq_linear.fits`` drops it (its two confidence inputs read 0: the bot answers less, never more)."""
        scorer = settings.scorer
        if scorer is None or scorer.linear is None:
            return settings
        linear = None
        if fits(len(view.examples), len(view.faq_ids)):
            vectors = index.vectors(view.examples)
            linear = fit_faq_linear(vectors, view.example_faq.tolist(), view.faq_ids, scorer.linear.l2)
        else:
            log.warning("catalog too large for the linear scorer (%d examples): matching without it", len(view.examples))
        settings = replace(settings, scorer=replace(scorer, linear=linear))
        self.base_settings = replace(self.base_settings, scorer=settings.scorer)
        return settings

    def _build_view(self, snapshot: CatalogSnapshot, previous: EngineState | None) -> CatalogView:
        """The catalog view; a reload reuses the previous view's pieces, a start the token cache in index_dir."""
        if previous is not None:
            self._let_batches_finish()
            return CatalogView.build(snapshot, previous.view, pause=self._let_batches_finish)
        path = Path(self.index_dir) / TOKENS_FILE if self.index_dir else None
        norm_path = Path(self.index_dir) / normalized_cache.FILE if self.index_dir else None
        normalized = normalized_cache.load(norm_path, normalize_example) if norm_path else {}
        view = CatalogView.build(snapshot, tokens=TokenCache.load(path) if path else None, normalized=normalized)
        questions = [q for faq in snapshot.faqs.values() for q in faq.questions]
        if norm_path is not None and not normalized_cache.covers(normalized, questions):
            try:
                normalized_cache.save(norm_path, questions, normalize_example)
            except (OSError, ValueError) as exc:
                log.warning("could not save the normalised examples to %s: %s", norm_path, exc)
        if path is not None and view.lexical is not None and view.lexical.tokenized:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                view.lexical.tokens.save(path)
            except OSError as exc:
                log.warning("could not save the lexical token cache to %s: %s", path, exc)
        return view

    def _product_vectors(self, texts: tuple[str, ...], previous: EngineState | None) -> np.ndarray:
        """One vector per product text; on a reload only new or changed products are embedded (an edit to one
        product of a 1,000-product shop costs one sentence, not a thousand), at start only those not saved in
        index_dir/products.npz by an earlier run."""
        if not texts:
            return np.zeros((0, self.embedder.dim), np.float32)
        if previous is not None and texts == previous.product_texts and len(texts) == len(previous.product_vectors):
            return previous.product_vectors  # no product text changed: the same vectors (read-only, shared)
        known: dict[str, np.ndarray] = {}
        path = Path(self.index_dir) / PRODUCT_VECTORS_FILE if self.index_dir else None
        if previous is not None and len(previous.product_texts) == len(previous.product_vectors):
            known = dict(zip(previous.product_texts, previous.product_vectors, strict=True))
        elif previous is None and path is not None:
            known = load_vectors(path, self.embedder.model_id, int(self.embedder.dim))
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            known.update(zip(missing, np.asarray(self.embedder.encode(missing), dtype=np.float32), strict=True))
        vectors = np.vstack([known[t] for t in texts]).astype(np.float32)
        if path is not None and (missing or (previous is None and len(known) != len(set(texts)))):
            try:
                save_vectors(path, self.embedder.model_id, texts, vectors)
            except OSError as exc:
                log.warning("could not save product vectors to %s: %s", path, exc)
        return vectors

    def set_thresholds(self, answer: float, staff: float, scorer: ConfidenceModel | None = None) -> None:
        """Thresholds, and the calibrated confidence model they apply to (None: the built-in confidence)."""
        self.base_settings = replace(self.base_settings, answer_threshold=answer, staff_threshold=staff, scorer=scorer)
        self.state = replace(self.state, settings=self.base_settings)

    def set_lang_fallback(self, policy: str) -> None:
        """The room's fallback policy from now on (``en`` | ``main`` | ``staff``: no template in the viewer's language),
        as staff set it on the console while live. Kept across catalog reloads (a reload carries the state's settings
        over). Refused for an engine sharing its state with other rooms' engines (a worker): the setting is per room
        and the shared state is one for all of them."""
        if policy not in ("en", "main", "staff"):
            raise ValueError(f"lang_fallback must be en, main or staff, got {policy!r}")
        self._set_room_setting("--lang-fallback", lang_fallback=policy)
        log.info("room fallback policy is now %s", policy)

    def set_main_lang(self, code: str) -> None:
        """The room's main language from now on, as staff set it on the console while live: one of the room
        languages (a ValueError otherwise), what a comment with no confident language guess counts as written in and
        what ``lang_fallback=main`` answers in. Refused for an engine sharing its state with other rooms (a worker),
        as `set_lang_fallback`. The calibrated thresholds stay: they were measured on every room language."""
        lang = normalize_lang_code(code)
        if lang not in self.base_settings.room_languages:
            raise ValueError(f"main_lang {code!r} is not one of the room languages "
                             f"({','.join(self.base_settings.room_languages)})")
        self._set_room_setting("--main-lang", default_lang=lang)
        self.default_lang = lang
        log.info("room main language is now %s", lang)

    def _set_room_setting(self, flag: str, **changes: str) -> None:
        """One room setting changed while live (`set_lang_fallback`, `set_main_lang`): refused for an engine whose
        state other rooms share (a worker: restart it with ``flag``), applied to the base settings and the current
        state, not while a reload builds the next state from the current one (a reload carries them over)."""
        if self.shared is not None:
            raise ValueError(f"this engine shares its state with other rooms (a worker): restart it with {flag}")
        with self._reload_lock:
            self.base_settings = replace(self.base_settings, **changes)  # type: ignore[arg-type]
            self.state = replace(self.state, settings=replace(self.state.settings, **changes))  # type: ignore[arg-type]

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
        except Exception as exc:  # noqa: BLE001 - any broken intents file keeps the previous intents live (logged)
            log.error("intent file %s not reloaded, keeping the previous intents: %s", path, exc)
            return False
        self.intent_model = model  # atomic reference swap
        log.info("intents reloaded from %s", path)
        return True

    def reload_if_changed(self) -> bool:
        """Swap in the catalog (and intents / room rules) as edited since the last call; True when anything changed.
        Safe to call from several threads: a caller waits for a reload under way, then finds nothing left to do."""
        with self._reload_lock:
            changed = self._reload_if_changed()
            if changed:
                self.stats.edits_applied += 1
                log.info("catalog reloaded: now v%d", self.state.version)
            return changed

    def _reload_if_changed(self) -> bool:
        intents_changed = self._reload_intents_if_changed()
        if self.room_rules is not None:
            intents_changed = self.room_rules.refresh(self) or intents_changed
        version = self.catalog_version_probe()
        if version == self.state.version:
            return intents_changed
        if self.shared is not None:
            return self._reload_shared(version) or intents_changed
        self._reload()
        return True

    def _reload_shared(self, version: int) -> bool:
        """Build the state for ``version`` once for every engine attached to the shared state (another engine may
        have done it while this one waited: then there is nothing left to do)."""
        shared = self.shared
        assert shared is not None
        with shared.building:
            if self.state.version >= version:
                return False  # built and swapped in by another engine meanwhile
            self._reload()
            shared.publish(self.state, self._room_seen)
            return True

    def _reload(self) -> None:
        # The new state (a few hundred thousand objects on a 10k-FAQ shop, nearly all long-lived) is built beside the
        # batches being decided, without cyclic garbage collection: every automatic collection would scan it again,
        # and a full one holds the GIL for the whole heap (0.45-0.57 s measured on the 10k-FAQ bench shop, a stall
        # of every other thread). gc_paused freezes what survives without scanning it (bot/heap.py).
        self._reload_wait_left = RELOAD_WAIT_BUDGET_S
        with gc_paused(), short_switch_interval(RELOAD_SWITCH_INTERVAL_S):
            snapshot = self.store.snapshot(pause=self._let_batches_finish)
            self._let_batches_finish()
            new_state = self._build_state(snapshot, previous=self.state)
        self.state = new_state  # atomic reference swap
        self.stats.reloads += 1
        release_free_memory()  # the old state's index copy and the build's garbage back to the OS (~ms)

    def _let_batches_finish(self) -> None:
        """Between a reload's steps: wait (up to RELOAD_YIELD_S, and RELOAD_WAIT_BUDGET_S in all per reload) while a
        batch is being decided, without the GIL."""
        if not self._deciding or self._reload_wait_left <= 0:
            return
        start = time.monotonic()
        # A 1 ms poll, not a Condition: waiting on one (notified when the last batch ends) measured worse on the
        # 10k-FAQ shop at 100 comments/s, two interleaved rounds each: comment -> decision during reloads p50 28-34 vs
        # 16-18 ms, max 89-97 vs 79-80 ms (bench/RESULTS.md "Catalog at scale").
        deadline = start + min(RELOAD_YIELD_S, self._reload_wait_left)
        while self._deciding and time.monotonic() < deadline:
            time.sleep(0.001)
        self._reload_wait_left -= time.monotonic() - start

    # ---------------------------------------------------------------- non-comment events
    def apply_event(self, event: Stage | StockUpdate | Order | Behaviour) -> str:
        if isinstance(event, Stage):
            self.stage_product_id = event.product_id
            self.stage_timeline.record(event.ts, event.product_id)
            return f"stage → {event.product_id}"
        if isinstance(event, (ViewerEnter, ViewerLeave, ProductClick, Like, Follow, Gift, Purchase)):
            return self._apply_behaviour(event)
        if isinstance(event, StockUpdate):
            try:
                previous = self.store.set_stock(event.sku, event.stock)
            except (KeyError, ValueError) as exc:  # unknown SKU / out-of-range value: a clean rejection, not a crash
                self.stats.events_rejected += 1
                reason = exc.args[0] if exc.args else str(exc)
                log.warning("stock event for %r rejected: %s", event.sku, reason)
                return f"stock {event.sku} rejected: {reason}"
            self.stats.stock_events += 1
            if event.stock > previous:
                self.stats.restocks += 1
            return f"stock {event.sku} = {event.stock}"
        if isinstance(event, Order):
            result = self.store.apply_order(event.order_id, event.sku, event.qty)
            if result.ok:
                self.stats.orders_ok += 1
                return f"order {event.order_id}: {event.qty}× {event.sku}, {result.remaining} left"
            self.stats.orders_rejected += 1
            return f"order {event.order_id} rejected: {result.reason}"
        raise TypeError(f"unsupported event {event!r}")

    def _apply_behaviour(self, event: Behaviour) -> str:
        """Behaviour events feed the viewer memory (recommendations read clicks and watch time from it)."""
        now = time.time()
        if isinstance(event, ViewerEnter):
            self.memory.enter(event.user, now, event.ts)
            return f"{event.user} entered"
        if isinstance(event, ViewerLeave):
            dwell = self.memory.leave(event.user, now, event.ts, event.dwell_s, self.stage_timeline)
            return f"{event.user} left after {dwell:.0f} s"
        if isinstance(event, ProductClick):
            n = self.memory.click(event.user, now, event.product_id)
            return f"{event.user} opened {event.product_id} ({n}×)"
        if isinstance(event, Purchase):
            self.memory.act(event.user, now, "purchase", event.qty, event.product_id)
            return f"{event.user} bought {event.product_id or event.sku or 'something'}"
        kind = {Like: "like", Follow: "follow", Gift: "gift"}[type(event)]
        self.memory.act(event.user, now, kind, getattr(event, "count", 1))
        return f"{event.user}: {kind}"

    # ---------------------------------------------------------------- comments
    def prefetch(self, comments: Sequence[Comment]) -> None:
        """Submit the texts ``comments`` will need to the encoder process (the ones not cached or in flight); nothing
        when there is no prefetcher. ``process(upcoming=)`` calls it for the batch queued behind the one it decides."""
        prefetcher = self.prefetcher
        if prefetcher is None or not comments:
            return
        state = self.state
        try:
            us = [
                understand(c, state.view, self.stage_product_id, state.settings, identify_language=False)
                for c in comments
            ]
            texts = [t for u in us for t in query_texts(u, state.view)]
            prefetcher.submit(texts, self._vec_cache.__contains__)
        except Exception:
            log.warning("could not prefetch %d comments", len(comments), exc_info=True)

    def _encode(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Vectors of ``texts`` (one embedder batch for the ones not cached). The result holds every text the
        caller asked for, whatever the cache evicts meanwhile: the cache is bounded, the batch is not cut."""
        unique = list(dict.fromkeys(texts))
        out: dict[str, np.ndarray] = {}
        missing: list[str] = []
        if self.prefetcher is not None:  # what the encoder process embedded ahead goes into the cache first
            for t, ahead in self.prefetcher.take(unique, self.prefetcher.wait_for(len(unique))).items():
                self._vec_cache[t] = ahead
        for t in unique:
            v = self._vec_cache.get(t)
            if v is None:
                missing.append(t)
            else:
                self._vec_cache.move_to_end(t)
                out[t] = v
        if missing:
            vectors = np.asarray(self.embedder.encode(missing), dtype=np.float32)
            for t, v in zip(missing, vectors, strict=True):
                out[t] = v
                self._vec_cache[t] = v
        while len(self._vec_cache) > self._cache_size:  # also when every vector came from the encoder process
            self._vec_cache.popitem(last=False)
        self.stats.cache_hits += len(unique) - len(missing)
        return out

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` through the bounded cache; one row per text, in order (calibration, the console)."""
        if not texts:
            return np.zeros((0, self.embedder.dim), np.float32)
        vecs = self._encode(texts)
        return np.vstack([vecs[t] for t in texts]).astype(np.float32)

    def _record(
        self, comments: Sequence[Comment], received_at: Sequence[float] | None
    ) -> tuple[list[Comment], list[float], set[str]]:
        """Log the batch (one transaction). Returns the comments to process (duplicates dropped), their receive
        times and the ids that went to the local spool because the database failed."""
        times = list(received_at) if received_at is not None else [time.time()] * len(comments)
        try:
            inserted = self.store.record_comments(comments, received_at=times)
        except Exception as exc:  # noqa: BLE001 - whatever the database raised: spool locally, drained when it is back
            log.warning("comment log unavailable (%s): spooling %d comments", type(exc).__name__, len(comments))
            keep, keep_times, seen = [], [], set()
            for c, at in zip(comments, times, strict=True):
                if (c.room, c.id) in seen:
                    continue
                seen.add((c.room, c.id))
                self.spool.add(c, received_at=at)
                keep.append(c)
                keep_times.append(at)
            return keep, keep_times, {c.id for c in keep}
        keep, keep_times = [], []
        for c, at in zip(comments, times, strict=True):
            key = (c.room, c.id)
            if key in inserted:
                inserted.discard(key)  # a second copy in the same batch is a duplicate too
                keep.append(c)
                keep_times.append(at)
            else:
                self.stats.duplicates += 1
                log.info("duplicate comment %r in room %r: already recorded, not answered again", c.id, c.room)
        return keep, keep_times, set()

    def process(
        self,
        comments: Sequence[Comment],
        *,
        record: bool = True,
        received_at: Sequence[float] | None = None,
        upcoming: Sequence[Comment] = (),
    ) -> list[Outcome]:
        """Record, understand, embed (one batch), match, decide and render.

        Returns one Outcome per comment processed. With ``record=True`` the batch is logged first and
        comments already in the log (a duplicate id: a re-delivery, or a room reusing an id) are dropped: they
        get no outcome, so they are never answered twice and their stored row is never overwritten.
        ``received_at`` (wall clock, one per comment) is stored as the time each comment arrived.
        ``upcoming``: comments queued behind this batch; with a ``prefetcher`` their texts are embedded by the encoder
        process while this batch is decided (nothing else is done with them here).
        """
        if not comments:
            return []
        with self._deciding_lock:
            self._deciding += 1
        try:
            if upcoming:
                self.prefetch(upcoming)
            return self._process(comments, record=record, received_at=received_at)
        finally:
            with self._deciding_lock:
                self._deciding -= 1

    def _process(
        self, comments: Sequence[Comment], *, record: bool, received_at: Sequence[float] | None
    ) -> list[Outcome]:
        start = time.perf_counter()
        state = self.state  # one consistent catalog version for the whole batch
        self.live.begin_batch()  # this batch's answers see every stock change committed before it
        spooled: set[str] = set()
        if record:
            comments, _times, spooled = self._record(comments, received_at)
            if not comments:
                return []
        try:
            outcomes = self._decide_batch(comments, state, start)
        except Exception as exc:
            if not record:
                raise
            # A bug (or a broken model) after the comments were logged: they reach staff, never stay "received".
            log.exception("deciding a batch of %d comments failed; handing them to staff", len(comments))
            reason = f"internal error: {type(exc).__name__}"
            outcomes = [
                Outcome(
                    c, Decision(comment_id=c.id, band=STAFF, reason=reason, lang=c.lang or self.default_lang), None, None, 0.0
                )
                for c in comments
            ]
        for o in outcomes:
            self.stats.bands[o.decision.band] = self.stats.bands.get(o.decision.band, 0) + 1
        if record:
            self.record_outcomes(outcomes, spooled)
        return outcomes

    def _decisions(
        self, comments: Sequence[Comment], us: Sequence[Understanding], state: EngineState
    ) -> tuple[list[Decision], dict[str, np.ndarray]]:
        """Each comment's decision by the matcher, the structured path and their checks (one encoder batch), and the
        vectors of the texts embedded."""
        settings = state.settings
        views = [query_texts(u, state.view) for u in us]
        to_embed = [t for v in views for t in v]
        hits_by_text: dict[str, list] = {}
        neighbours_by_text: dict[str, list] = {}
        linear_by_text: dict[str, np.ndarray] = {}
        intents_by_text: dict[str, IntentGuess] = {}
        vecs: dict[str, np.ndarray] = {}
        if to_embed:
            vecs = self._encode(to_embed)  # one batch for the whole run of comments (cached repeats are free)
            unique = list(vecs)
            uvecs = np.vstack([vecs[t] for t in unique]).astype(np.float32)
            for t, hits in zip(unique, state.index.search(uvecs, k=24), strict=True):
                hits_by_text[t] = hits
            if needs_neighbours(settings):  # the confidence reads example-level neighbours of the comment's own text
                own = [t for t in dict.fromkeys(u.text for u in us if not u.empty) if t in vecs]
                if own:
                    ovecs = np.vstack([vecs[t] for t in own]).astype(np.float32)
                    found = state.index.search(ovecs, k=NEIGHBOURS_K, per_faq=False)
                    neighbours_by_text.update(zip(own, found, strict=True))
            linear_model = settings.scorer.linear if settings.scorer is not None else None
            if linear_model is not None:  # the per-catalog linear scorer calibration chose (models/faq_linear.py)
                linear_by_text = dict(zip(unique, linear_model.scores(uvecs), strict=True))
            if self.intent_model is not None:
                primary = [t for t in dict.fromkeys(u.text for u in us if not u.empty) if t in vecs]
                if primary:
                    pvecs = np.vstack([vecs[t] for t in primary]).astype(np.float32)
                    intents_by_text.update(predict_intents(self.intent_model, primary, pvecs, vecs))
        decided: list[Decision] = []
        for c, u, v in zip(comments, us, views, strict=True):
            hits = [h for t in v for h in hits_by_text.get(t, [])]
            intent = intents_by_text.get(u.text)
            linear = linear_scores(v, linear_by_text, settings)
            decision = with_structured(c, u, decide(
                c, u, hits, intent, state.view, settings, linear, neighbours_by_text.get(u.text, ())
            ), state.view)
            decided.append(decision)
        return decided, vecs

    def _with_clauses(
        self, comments: Sequence[Comment], us: Sequence[Understanding], decided: Sequence[Decision], state: EngineState
    ) -> list[Decision]:
        """Two or three questions in one comment (bot/multi_question.py): first every clause a structured answer
        (``with_multi``); else each clause read as a comment of its own, through the matcher too, when one may be a
        FAQ (``with_faq_parts``)."""
        out = [with_multi(c, u, d, state.view) for c, u, d in zip(comments, us, decided, strict=True)]
        todo: list[tuple[int, list[tuple[str, bool]]]] = []  # (comment index, its clauses)
        sub_comments: list[Comment] = []
        sub_us: list[Understanding] = []
        for i, (c, u, d) in enumerate(zip(comments, us, out, strict=True)):
            clauses = faq_clauses(c, u, d, state.view)
            if not clauses:
                continue
            todo.append((i, clauses))
            for k, (clause, _typed) in enumerate(clauses):
                sc = replace(c, id=f"{c.id}#{k}", text=clause)
                su = understand(sc, state.view, self.stage_product_id, state.settings, identify_language=False)
                sub_comments.append(sc)
                sub_us.append(replace(su, lang=u.lang))  # a clause is in the comment's language
        if not todo:
            return out
        sub_decided, _ = self._decisions(sub_comments, sub_us, state)
        at = 0
        for i, clauses in todo:
            matched = list(sub_decided[at:at + len(clauses)])
            out[i] = with_faq_parts(comments[i], us[i], out[i], state.view, clauses, matched)
            at += len(clauses)
        return out

    def _decide_batch(self, comments: Sequence[Comment], state: EngineState, start: float) -> list[Outcome]:
        us = [understand(c, state.view, self.stage_product_id, state.settings) for c in comments]
        decided, vecs = self._decisions(comments, us, state)
        decided = self._with_clauses(comments, us, decided, state)
        made: list[tuple[Comment, Decision, str | None, str | None, str]] = []
        now = time.time()
        for c, u, decision in zip(comments, us, decided, strict=True):
            flagged = self.moderator.check(c.user, c.text) if self.moderator is not None else None
            if flagged is not None and decision.band != STAFF:
                decision = replace(decision, band=SILENT, reason=f"moderation: {flagged}")
            elif self.rules is not None and not (decision.band == STAFF and decision.reason.startswith("intent ")):
                rule = self.rules.fire(room=c.room, user=c.user, text=c.text, stage=self.stage_product_id, now=time.monotonic())
                if rule is not None:  # a staff keyword rule wins over matching
                    decision = replace(
                        decision, band=ANSWER, path="rule", attribute=rule.id, faq_id=None, qtype=None,
                        product_id=self.stage_product_id, asked={}, reason=f"rule {rule.id}",
                    )
            try:
                text, key, decision = self.realise(c, u, decision, state, now, vecs.get(u.text))
            except SQLAlchemyError as exc:  # live data unreadable (database hiccup): never guess stock — hand to staff
                log.warning("could not render an answer for %s: %s", c.id, exc)
                reason = f"live data unavailable: {type(exc).__name__}"
                text, key, decision = None, None, replace(decision, band=STAFF, reason=reason)
            except Exception as exc:  # a bug: logged with its traceback, the buyer still reaches a human
                log.exception("rendering the answer for comment %s failed", c.id)
                text, key, decision = None, None, replace(decision, band=STAFF, reason=f"internal error: {type(exc).__name__}")
            made.append((c, decision, text, key, u.lang))
            self.memory.touch(c.user, now, lang=u.lang, product_id=decision.product_id if decision.band != SILENT else None)
        elapsed = time.perf_counter() - start
        per = elapsed / len(comments)
        outcomes = [
            Outcome(comment=c, decision=d, text=text, answer_key=key, seconds=per, viewer_lang=lang)
            for c, d, text, key, lang in made
        ]
        self.stats.batches += 1
        self.stats.comments += len(comments)
        self.stats.largest_batch = max(self.stats.largest_batch, len(comments))
        return outcomes

    def shed(
        self, comments: Sequence[Comment], received_at: Sequence[float], outcomes: Sequence[Outcome], record: bool = True
    ) -> None:
        """Log comments with ready-made outcomes (not answered: the live loop is too far behind to reply)."""
        spooled: set[str] = set()
        if record:
            kept, _, spooled = self._record(comments, received_at)
            keep = {(c.room, c.id) for c in kept}
            outcomes = [o for o in outcomes if (o.comment.room, o.comment.id) in keep]
        self.record_outcomes(outcomes, spooled)

    def record_outcomes(self, outcomes: Sequence[Outcome], spooled: set[str] | frozenset[str] = frozenset()) -> None:
        """Write the outcomes of a batch in one transaction; on a database failure they go to the spool."""
        rows: list[tuple[Comment, dict]] = []
        for o in outcomes:
            d = o.decision
            rows.append((o.comment, dict(
                status=STATUS_BY_BAND[d.band],
                faq_id=d.faq_id,
                score=round(float(d.score), 4),
                intent=d.intent,
                reply_text=o.text,
                reason=d.reason,
                # Only comments that were about something count as questions about the product.
                product_id=d.product_id if d.band != SILENT else None,
                lang=o.viewer_lang or d.lang,
            )))
        direct = [(c.room, c.id, fields) for c, fields in rows if c.id not in spooled]
        try:
            self.store.set_comment_outcomes(direct)
        except Exception as exc:  # noqa: BLE001 - whatever the database raised: the outcomes go to the spool
            log.warning("comment log unavailable (%s): spooling %d outcomes", type(exc).__name__, len(direct))
            spooled = set(spooled) | {cid for _, cid, _ in direct}
        for c, fields in rows:
            if c.id in spooled:
                self.spool.add(c, fields)

    def drain_spool(self) -> int:
        """Move comments spooled during a database hiccup into the database (called by the live loop)."""
        return self.spool.drain(self.store) if self.spool.pending() else 0

    def realise(
        self, c: Comment, u: Understanding, d: Decision, state: EngineState, now: float, query: np.ndarray | None = None
    ) -> tuple[str | None, str | None, Decision]:
        """The reply text for a decision (see :meth:`_realise`); a text containing a banned word (广告法 extreme
        words, the shop's list — e.g. through a product name) is held for staff, never posted."""
        text, key, decision = self._realise_in_language(c, u, d, state, now, query)
        if text is not None and self.word_filter is not None:
            banned = self.word_filter.find(text)
            if banned:
                log.warning("reply to %s held for staff: %s", c.id, banned[0].reason())
                return None, None, replace(decision, band=STAFF, reason=f"held: {banned[0].reason()}")
        return text, key, decision

    def _realise_in_language(
        self, c: Comment, u: Understanding, d: Decision, state: EngineState, now: float, query: np.ndarray | None = None
    ) -> tuple[str | None, str | None, Decision]:
        """:meth:`_realise` under the room's language policy (issue 15): a reply that needs a text the catalog or the
        phrasebook lacks in the chosen language (`MissingText`: a product or colour name with no version in the
        viewer's script), or that would carry letters of a script the language does not use, is never sent mixed:
        the room's ``lang_fallback`` answers in English / the main language instead, or hands it to staff. The
        reason is recorded on the comment (Decision.reason)."""
        try:
            text, key, decision = self._realise(c, u, d, state, now, query)
            script = foreign_script(text, decision.lang) if text else None
            if script is None:
                return text, key, decision
            problem = MissingText(decision.lang, f"the {decision.lang} reply would carry {script} script")
        except MissingText as exc:
            problem = exc
        fallback = fallback_language(problem.lang, state.settings)
        if fallback is None:
            return None, None, replace(d, band=STAFF, reason=f"no reply in {problem.lang}: {problem.what}")
        try:
            text, key, decision = self._realise(c, u, replace(d, lang=fallback), state, now, query)
        except MissingText as exc:
            return None, None, replace(d, band=STAFF, reason=f"no reply in {problem.lang} or {fallback}: {exc.what}")
        if text is not None and foreign_script(text, decision.lang) is not None:
            return None, None, replace(d, band=STAFF, reason=f"no reply in {problem.lang}: {problem.what}")
        if text is not None:
            decision = replace(decision, reason=f"{decision.reason}; in {decision.lang}: {problem.what}")
        return text, key, decision

    def _realise(
        self, c: Comment, u: Understanding, d: Decision, state: EngineState, now: float, query: np.ndarray | None = None
    ) -> tuple[str | None, str | None, Decision]:
        """Turn a decision into reply text with live data; may downgrade to staff when rendering is impossible.
        Returns (text, merge key, decision). ``query`` is the comment's vector (used to rank recommendations)."""
        snapshot = state.view.snapshot
        if d.band == ANSWER and d.path == "rule":
            return self._rule_reply(d)
        if d.band == ANSWER:
            available = (
                multi_languages(d, snapshot) if d.path == MULTI
                else structured_languages(d) if d.path == STRUCTURED
                else set(snapshot.faqs[d.faq_id].answers) if d.faq_id else set()
            )
            d = _in_reply_language(d, available, state.settings)
            if d.band == STAFF:
                return None, None, d
        if d.band == ANSWER and d.path == STRUCTURED:
            text, problem = self._structured_text(d, state)
            if text is None:
                return None, None, replace(d, band=STAFF, reason=problem)
            return text, f"structured|{d.product_id}|{d.lang}|{text}", d
        if d.band == ANSWER and d.path == MULTI:
            # two or three questions of one comment (bot/multi_question.py): each part from live data, one reply; a part
            # with nothing exact to say hands the whole comment to staff (never half an answer)
            texts = []
            for part in d.parts:
                text, problem = (
                    self._faq_part_text(replace(part, lang=d.lang), state) if part.path == "faq"
                    else self._structured_text(replace(part, lang=d.lang), state)
                )
                if text is None:
                    return None, None, replace(d, band=STAFF, reason=problem)
                texts.append(text)
            text = joined(texts, d.lang)
            return text, f"multi|{d.product_id}|{d.lang}|{text}", d
        if d.band == ANSWER and d.faq_id is not None:
            faq = snapshot.faqs[d.faq_id]
            template = faq.answers.get(faq.answer_tag(d.lang) or d.lang) or next(iter(faq.answers.values()), None)
            if template is None:
                return None, None, replace(d, band=STAFF, reason="FAQ has no answer template")
            product = self.live.product(d.product_id) if d.product_id else None
            try:
                text = render(template, RenderContext(product=product, lang=d.lang, asked=d.asked))
            except RenderError as exc:
                if product is None and self._wants_recommendation(d):
                    # "有推荐的吗" with nothing on stage: the FAQ needs a product the viewer did not name — recommend.
                    text = self._recommend_text(c, u, replace(d, band=RECOMMEND), state, query)
                    if text is not None:
                        reason = "recommend: no product named"
                        return text, f"rec|{d.lang}|{text}", replace(d, band=RECOMMEND, faq_id=None, reason=reason)
                return None, None, replace(d, band=STAFF, reason=f"cannot render: {exc}")
            if product is not None and faq.intent in STOCK_INTENTS and sum(v.stock for v in product.variants) == 0:
                alt = self._recommend_text(c, u, replace(d, asked={}), state, query, exclude=(product.id,))
                if alt:
                    text = f"{text}{phrase('sentence_sep', d.lang)}{alt}"
            key = f"{d.faq_id}|{d.product_id}|{d.lang}|{text}"
            return text, key, d
        if d.band == RECOMMEND:
            d = _in_reply_language(d, set(PHRASE_LANGS), state.settings)
            if d.band == STAFF:
                return None, None, d
            text = self._recommend_text(c, u, d, state, query)
            if text is None:
                return None, None, replace(d, band=STAFF, reason="nothing in stock fits the request")
            return text, f"rec|{d.lang}|{text}", d
        return None, None, d

    def _faq_part_text(self, d: Decision, state: EngineState) -> tuple[str | None, str]:
        """One FAQ part of an answer to several questions (bot/multi_question.py), in ``d.lang`` only (never another
        script in one reply), or (None, why it cannot be said)."""
        faq = state.view.snapshot.faqs.get(d.faq_id or "")
        tag = faq.answer_tag(d.lang) if faq is not None else None
        if faq is None or tag is None:
            return None, f"no {d.lang} answer for FAQ {d.faq_id}"
        product = self.live.product(d.product_id) if d.product_id else None
        try:
            return render(faq.answers[tag], RenderContext(product=product, lang=d.lang, asked=d.asked)), ""
        except RenderError as exc:
            return None, f"cannot render: {exc}"

    def _structured_text(self, d: Decision, state: EngineState) -> tuple[str | None, str]:
        """A structured decision's reply from live data, or (None, why it cannot be said); `MissingText` as
        ``render_structured``. A restock question about a sold-out variant is told when it comes back, in the words
        of the shop's restock FAQ (bot/restock_note.py)."""
        product = self.live.product(d.product_id) if d.product_id else None  # live stock (stock clock checked this batch)
        if product is None:
            return None, "structured question about an unknown product"
        restocked = None
        note = None
        if d.qtype == "restock":
            skus = [v.sku for v in product.variants if all(str(v.attrs.get(a)) == x for a, x in d.asked.items())]
            restocked = self.store.last_restock(skus)
            if any(v.stock <= 0 for v in product.variants if v.sku in skus):  # one of them sold out: when it is back
                note = restock_note(state.view, product, d.lang, d.asked)
        text = render_structured(
            d, product, currency=state.view.snapshot.currency, last_restock=restocked, restock_note=note
        )
        if text is None:
            return None, f"structured {d.qtype}: nothing exact to say"
        return text, ""

    def explain(self, text: str, stage_product_id: str | None = None, *, top: int = 5) -> dict[str, Any]:
        """What the bot would do with ``text`` and why, without logging or replying (the console's "try a question").

        understand → embed (the comment and its other views, ``query_texts``, as live) → FAISS → decide →
        ``realise`` (live stock from the store), on one consistent catalog state. Embeds with the embedder
        directly: the vector cache, the viewer memory and the stats are not touched, so this is safe to call from
        another thread while the bot processes comments. Returns plain JSON-able data: band, reason, scores, intent,
        product, the answer (or the best FAQ's candidate answer when the bot would not answer on its own), live stock
        of the product and the top ``top`` FAQ matches.
        """
        state = self.state  # one consistent catalog version for the whole call
        self.live.begin_batch()  # staff try a question after editing stock: show what the bot would say now
        stage = stage_product_id or self.stage_product_id
        comment = Comment(id="console-try", user="console", text=text, ts=time.time(), room="console")
        u = understand(comment, state.view, stage, state.settings)
        hits: list = []
        neighbours: list = []
        intent = None
        linear = None
        if not u.empty:
            texts = query_texts(u, state.view)  # as the live path: the comment and its other views (generic, gloss)
            vectors = np.asarray(self.embedder.encode(list(texts)), dtype=np.float32)
            hits = [h for found in state.index.search(vectors, k=24) for h in found]
            if needs_neighbours(state.settings):
                neighbours = state.index.search(vectors[:1], k=NEIGHBOURS_K, per_faq=False)[0]
            if self.intent_model is not None:
                # with keywords and the gloss's request for advice, as the live path
                views = dict(zip(texts, vectors, strict=True))
                intent = predict_intents(self.intent_model, [u.text], vectors[:1], views)[u.text]
            scorer = state.settings.scorer
            if scorer is not None and scorer.linear is not None:
                by_text = dict(zip(texts, scorer.linear.scores(vectors), strict=True))
                linear = linear_scores(texts, by_text, state.settings)
        decision = with_structured(
            comment, u, decide(comment, u, hits, intent, state.view, state.settings, linear, neighbours), state.view
        )
        decision = with_multi(comment, u, decision, state.view)
        rule = None
        if self.rules is not None and not (decision.band == STAFF and decision.reason.startswith("intent ")):
            # as the live path: a staff keyword rule wins over matching (any room's rule, cooldowns aside)
            rule = self.rules.peek(room=None, text=text, stage=stage)
            if rule is not None:
                decision = replace(
                    decision, band=ANSWER, path="rule", attribute=rule.id, faq_id=None, qtype=None,
                    product_id=stage, asked={}, reason=f"rule {rule.id}",
                )
        answer, _key, decision = self.realise(comment, u, decision, state, time.time())
        candidate = None  # what the best FAQ would answer, shown when the bot would not answer on its own
        if decision.band not in (ANSWER, RECOMMEND) and decision.faq_id in state.view.snapshot.faqs:
            candidate, _key, _d = self.realise(comment, u, replace(decision, band=ANSWER), state, time.time())

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
        product = self.live.product(decision.product_id) if decision.product_id else None
        return {
            "question": text,
            "normalised": u.text,
            "lang": decision.lang,  # the reply's language (the fallback's when the viewer's had no answer)
            "viewer_lang": u.lang,  # the language the viewer wrote in
            "band": decision.band,
            "reason": decision.reason,
            "faq_id": decision.faq_id,
            "rule": rule.id if rule is not None else None,
            "score": round(float(decision.score), 4),
            "margin": round(float(decision.margin), 4),
            "intent": decision.intent,
            "intent_score": round(float(decision.intent_score), 4),
            "product_id": decision.product_id,
            "product_how": u.product_how,
            "asked": dict(decision.asked),
            # a comment of two or three questions answered in one reply: what each part read
            "parts": [{"reason": p.reason, "qtype": p.qtype, "attribute": p.attribute, "asked": dict(p.asked)}
                      for p in decision.parts],
            "answer": answer if decision.band in (ANSWER, RECOMMEND) else None,
            "candidate_answer": candidate,
            "stock": None
            if product is None
            else [{"sku": v.sku, "attrs": dict(v.attrs), "stock": v.stock} for v in product.variants],
            "matches": matches,
            "thresholds": {"answer": state.settings.answer_threshold, "staff": state.settings.staff_threshold},
            "catalog_version": state.version,
        }

    def announcement_text(self, templates: Mapping[str, str], *, literal: bool = False) -> tuple[str, str] | None:
        """A scheduled message / greeting in the room's language, filled with the product on stage (read live).
        None when it cannot be said now (nothing on stage, a placeholder the product cannot fill, a banned word)."""
        lang = self.default_lang if self.default_lang in templates else next(iter(templates), None)
        if lang is None:
            return None
        text = templates[lang]
        if not literal:
            self.live.begin_batch()
            product = self.live.product(self.stage_product_id) if self.stage_product_id else None
            if product is None:
                return None
            try:
                text = render(text, RenderContext(product=product, lang=lang, asked={}))
            except (RenderError, MissingText) as exc:  # MissingText: e.g. a Japanese message, no Japanese name
                log.info("scheduled message skipped: %s", exc)
                return None
        if self.word_filter is not None and (banned := self.word_filter.find(text)):
            log.warning("announcement held: %s", banned[0].reason())
            return None
        return text, lang

    def _wants_recommendation(self, d: Decision) -> bool:
        """The comment's intent is a recommendation request (an intent whose action is "recommend")."""
        model = self.intent_model
        intent = getattr(model, "intents", {}).get(d.intent) if model is not None and d.intent else None
        return bool(intent is not None and intent.action == RECOMMEND)

    def _rule_reply(self, d: Decision) -> tuple[str | None, str | None, Decision]:
        """A keyword rule's reply in the viewer's language, rendered with the live product on stage."""
        rule = self.rules.get(d.attribute or "") if self.rules is not None else None
        if rule is None:  # the rules were reloaded in between
            return None, None, replace(d, band=STAFF, reason="keyword rule no longer exists")
        lang = reply_language(d.lang, set(rule.reply), self.state.settings)
        if lang is None:
            return None, None, replace(d, band=STAFF, reason=f"rule {rule.id}: no reply in the viewer's language")
        product = self.live.product(d.product_id) if d.product_id else None
        try:
            text = render(rule.reply[lang], RenderContext(product=product, lang=lang, asked={}))
        except RenderError as exc:
            return None, None, replace(d, band=STAFF, reason=f"rule {rule.id}: cannot render: {exc}")
        return text, f"rule|{rule.id}|{d.product_id}|{lang}|{text}", replace(d, lang=lang)

    def _recommend_text(
        self, c: Comment, u: Understanding, d: Decision, state: EngineState, query: np.ndarray | None, exclude: Sequence[str] = ()
    ) -> str | None:
        live = self.live.products()  # live stock (in-memory copy, checked against the stock clock each batch)
        products = list(live.values())
        current = live.get(d.product_id) if d.product_id else None
        constraints = read_constraints(u.text, asked=d.asked, current_price=Decimal(current.price) if current else None)
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
            clicks=viewer.clicks if viewer else None,
            watched_s=self.memory.watched(viewer, self.stage_timeline, c.ts) if viewer else None,
        )
        return render_recommendations(recs, live, d.lang)


percentile = stats_percentile  # re-exported for older callers


def multi_languages(d: Decision, snapshot: CatalogSnapshot) -> set[str]:
    """The languages an answer to several questions can be worded in: the phrasebook's, and for each FAQ part the
    languages its FAQ has a template for."""
    langs = set(PHRASE_LANGS)
    for part in d.parts:
        if part.path == "faq":
            faq = snapshot.faqs.get(part.faq_id or "")
            langs &= {lang for lang in langs if faq is not None and faq.answer_tag(lang) is not None}
    return langs


def fallback_language(failed: str, settings: MatchSettings) -> str | None:
    """The language to answer in when a reply in ``failed`` cannot be made: the room's ``lang_fallback`` ("en", or
    "main" = the room's main language, ``default_lang``), or None (``staff``, or the fallback is the language that failed)."""
    if settings.lang_fallback == "staff":
        return None
    wanted = settings.default_lang if settings.lang_fallback == "main" else "en"
    return None if wanted == failed else wanted


def _in_reply_language(d: Decision, available: set[str], settings: MatchSettings) -> Decision:
    """``d`` in the language to answer in (:func:`reply_language`), the fallback noted in its reason; a STAFF
    decision when the policy hands it over."""
    lang = reply_language(d.lang, available, settings)
    if lang is None:
        return replace(d, band=STAFF, reason=f"no answer in the viewer's language ({d.lang})")
    if lang != d.lang:
        return replace(d, lang=lang, reason=f"{d.reason}; in {lang}: no {d.lang} answer")
    return d


def reply_language(viewer: str, available: set[str], settings: MatchSettings) -> str | None:
    """The language to answer in: the viewer's when a template exists, else the room's fallback policy
    (``lang_fallback``: "en", "main" = the room's main language, "staff" = None, hand the comment over)."""
    tag = pick_tag(available, viewer)  # "pt" is answered by a "pt-BR" template
    if tag is not None:
        return tag
    if settings.lang_fallback == "staff":
        return None
    wanted = settings.default_lang if settings.lang_fallback == "main" else "en"
    if (tag := pick_tag(available, wanted)) is not None:
        return tag
    return next(iter(sorted(available)), None)
