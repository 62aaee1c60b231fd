"""Wire the parts together from one Settings object: store, catalog import, embedder, intents, engine, calibration."""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypedDict

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from bot.calibration import calibrate_catalog
from bot.config import Settings, main_lang_problem, room_language_codes
from bot.engine import Engine
from bot.heap import gc_paused, release_free_memory
from bot.langid import normalize_lang_code
from bot.moderation import load_moderator
from bot.pipeline import MatchSettings
from bot.prefetch import Prefetcher
from bot.replies import ReplyScheduler
from bot.room_rules_live import LiveRoomRules
from bot.room_rules_seed import ensure_room_rules
from catalog.room_rules import RoomRules
from catalog.store import CatalogStore
from catalog.wordfilter import WordFilter
from models.calibrate import OperatingPoint
from models.embedders import Embedder, get_embedder
from models.encoder_process import READY_TIMEOUT_S, EncoderProcess
from models.intents import IntentDef, IntentModel, load_intents
from models.threads import cap_threads
from models.vector_cache import encode_cached

log = logging.getLogger(__name__)

INTENT_VECTORS_FILE = "intents.npz"  # in index_dir: intent example -> vector (models/vector_cache)


@dataclass
class Runtime:
    settings: Settings
    store: CatalogStore
    embedder: Embedder
    intents: list[IntentDef]
    engine: Engine
    operating_point: OperatingPoint | None
    # where the room's main_lang / lang_fallback came from at this start (bot/room_lang_start.py SettingOrigin.source);
    # empty when the start did not read the room's kept settings (eval, a worker)
    setting_sources: dict[str, str] = field(default_factory=dict)


def open_store(settings: Settings) -> CatalogStore:
    return CatalogStore(settings.db)


def ensure_catalog(store: CatalogStore, settings: Settings, *, replace: bool = False) -> bool:
    """Import the catalog file when the database has no products yet (or always, with replace=True)."""
    if not replace and store.snapshot().products:
        return False
    # YAML, the file validator and the language identifier: only when there is a file to import
    from bot.catalog_import import import_catalog_checked

    path = Path(settings.catalog)
    if not path.exists():
        log.warning("catalog file %s not found; starting with an empty catalog", path)
        return False
    # checked like `livereply catalog import`: a template under a language the bot never identifies is refused
    import_catalog_checked(store, path, word_filter=word_filter_for(settings, store))
    return True


def word_filter_for(settings: Settings, store: CatalogStore) -> WordFilter | None:
    """The outbound word filter: the database's banned + allow lists (``settings.banned_words`` is imported into it
    first, see bot/room_rules_seed.py; '' turns the filter off)."""
    if not settings.banned_words:
        return None
    ensure_room_rules(store, settings)
    return RoomRules(store).word_filter()


def match_settings(settings: Settings) -> MatchSettings:
    """The engine's matching settings. A fixed ``answer_threshold`` without a ``staff_threshold`` gets a staff band
    just below it (the same rule calibration uses), never a value read off the dataclass itself. The room languages
    are normalised codes ("EN" → "en"); the main language (``default_lang``) is one of them, else a ValueError
    (`bot.config.main_lang_problem`)."""
    defaults = MatchSettings()
    room_languages = room_language_codes(settings.room_languages) or defaults.room_languages
    if (problem := main_lang_problem(settings.main_lang, ",".join(room_languages))) is not None:
        raise ValueError(problem)
    answer = settings.answer_threshold or defaults.answer_threshold
    if settings.staff_threshold:
        staff = settings.staff_threshold
    elif settings.answer_threshold:
        staff = min(defaults.staff_threshold, answer - 0.05)
    else:
        staff = defaults.staff_threshold
    return MatchSettings(
        answer_threshold=answer,
        staff_threshold=staff,
        min_margin=settings.min_margin,
        lexical_weight=settings.lexical_weight,
        intent_threshold=settings.intent_threshold,
        recommend_intent_threshold=settings.recommend_intent_threshold,
        max_embed_chars=settings.max_embed_chars,
        room_languages=room_languages,
        default_lang=normalize_lang_code(settings.main_lang) or defaults.default_lang,
        lang_fallback=settings.lang_fallback,
    )


def negatives_from_intents(intents: list[IntentDef]) -> list[str]:
    """Examples of intents the bot must not answer from the FAQ (chit-chat, spam, complaints)."""
    return [t for d in intents if d.action in ("silent", "staff") for t in d.examples]


def _model_and_intents(embedder: Embedder, settings: Settings) -> tuple[list[IntentDef], IntentModel | None]:
    """Load the model (one dummy encode) and fit the intents on it; their examples' vectors are kept in index_dir
    (INTENT_VECTORS_FILE) for the next start, which encodes only the examples added since."""
    embedder.warmup()
    intents = load_intents(settings.intents) if Path(settings.intents).exists() else []
    if not intents:
        return intents, None
    path = Path(settings.index_dir) / INTENT_VECTORS_FILE
    model = IntentModel.fit(intents, partial(encode_cached, path, embedder), threshold=settings.intent_threshold)
    return intents, model


def build_runtime(settings: Settings, *, store: CatalogStore | None = None, embedder: Embedder | None = None) -> Runtime:
    cap_threads(settings.threads)  # one CPU budget for BLAS, OpenMP, FAISS and torch, process-wide
    embedder = embedder or get_embedder(settings.model, threads=settings.threads)
    # The model loads in a thread while this one reads the catalog and loads the index: its weights inflate and its
    # first forward pass runs in numpy and zlib, which release the GIL. The engine is built without intents and
    # gets them before anything can use it; an encode the engine needs meanwhile waits on the embedder's lock.
    with gc_paused(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="model-load") as pool:
        loading = pool.submit(_model_and_intents, embedder, settings)
        store = store or open_store(settings)
        engine = Engine(store, embedder, None, settings=match_settings(settings), index_dir=settings.index_dir)
        intents, engine.intent_model = loading.result()
        engine.moderator = load_moderator(settings.moderation) if settings.moderation else None
        ensure_room_rules(store, settings)  # the rule files, imported when new or changed (the database is what runs)
        engine.room_rules = LiveRoomRules(
            RoomRules(store), word_filter=bool(settings.banned_words), blocked=bool(settings.moderation)
        )
        engine.room_rules.refresh(engine)  # keyword rules, schedules, word filter, blocked words; again on every reload
    if Path(settings.intents).exists():
        engine.watch_intents(
            settings.intents,
            lambda path: IntentModel.fit(load_intents(path), embedder.encode, threshold=settings.intent_threshold),
        )
    point = None
    if not settings.answer_threshold:
        point = calibrate_catalog(
            engine.state.view, engine.state.index, engine.encode, negatives_from_intents(intents), engine.base_settings,
            target_wrong_rate=settings.target_wrong_rate, intent_model=engine.intent_model,
        )
        staff = settings.staff_threshold or point.staff_threshold  # the band calibration sized for staff
        engine.set_thresholds(point.threshold, staff, point.scorer)
    release_free_memory()  # what start-up parsed and freed (index sidecar, catalog rows, model files) back to the OS
    engine.state.index.prepare()  # after the trim (models/index.py FaqIndex.prepare)
    return Runtime(settings=settings, store=store, embedder=embedder, intents=intents, engine=engine, operating_point=point)


class ServiceOptions(TypedDict):
    """The keyword arguments of ``BotService`` that come from the settings."""

    reload_interval_s: float
    max_batch: int
    max_queue: int
    stale_after_s: float
    recover_max_age_s: float
    greetings: bool
    moderation_action: str
    moderation_timeout_s: int


def encoder_process_wanted(settings: Settings, *, live: bool) -> bool:
    """Whether to run the encoder process (models/encoder_process.py): the setting when given; auto = on for a live
    room (``run``/``demo``) when this process may use more cores than the BLAS budget (``threads``) takes."""
    if settings.encoder_process is not None:
        return settings.encoder_process
    if not live:
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores > settings.threads


def start_encoder_process(settings: Settings) -> EncoderProcess:
    """Start the child now (it loads its model while this process starts); ``attach_encoder_process`` it later."""
    return EncoderProcess(settings.model, settings.threads)


def attach_encoder_process(engine: Engine, encoder: EncoderProcess, timeout: float = READY_TIMEOUT_S) -> bool:
    """Give ``engine`` a prefetcher on ``encoder`` once the child is ready and runs the engine's own model (same
    model id and size: the same vectors). False (the child closed, a warning logged) when it cannot be used."""
    if not encoder.wait_ready(timeout):
        log.warning("encoder process not used: %s", encoder.error)
        encoder.close()
        return False
    if encoder.model_id != engine.embedder.model_id or encoder.dim != engine.embedder.dim:
        log.warning(
            "encoder process not used: it runs %s (%d-d), the engine %s (%d-d)",
            encoder.model_id, encoder.dim, engine.embedder.model_id, engine.embedder.dim,
        )
        encoder.close()
        return False
    engine.prefetcher = Prefetcher(encoder)
    return True


def service_options(settings: Settings) -> ServiceOptions:
    """The live loop's bounds, for ``BotService(**service_options(settings))``."""
    return ServiceOptions(
        reload_interval_s=settings.reload_interval_s,
        max_batch=settings.max_batch,
        max_queue=settings.max_queue,
        stale_after_s=settings.stale_after_s,
        recover_max_age_s=settings.recover_max_age_s,
        greetings=settings.greetings,
        moderation_action=settings.moderation_action,
        moderation_timeout_s=settings.moderation_timeout_s,
    )


def make_scheduler(settings: Settings) -> ReplyScheduler:
    return ReplyScheduler(
        rate_per_s=settings.rate_per_s,
        burst=settings.burst,
        merge_window_s=settings.merge_window_s,
        viewer_cooldown_s=settings.viewer_cooldown_s,
    )
