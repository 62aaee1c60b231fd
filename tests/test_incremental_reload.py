"""A reload reuses the previous state's pieces, and what it builds equals a build from scratch (issue 12, item 2).

Pure parts (no model): the lexical index built from a token cache (an earlier index's or one saved to disk) scores
exactly like a fresh one; CatalogView.build(snapshot, previous) equals CatalogView.build(snapshot) after FAQ edits,
product edits and stock changes, and reuses the product terms / slot recogniser only when products did not change.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from bot.pipeline import CatalogView
from catalog.snapshot import CatalogSnapshot
from models.lexical import LexicalIndex, TokenCache
from models.vector_cache import load_vectors, save_vectors
from tests.factories import demo_catalog

ROOT = Path(__file__).resolve().parents[1]
DATA = demo_catalog()
SNAPSHOT = CatalogSnapshot(
    version=1,
    products={p.id: p for p in DATA.products},
    faqs={f.id: f for f in DATA.faqs},
    currency=dict(DATA.currency),
    synonyms=dict(DATA.synonyms),
)
QUERIES = ["这件T恤多少钱", "有XL码吗", "what sizes do you have", "发货要多久?", "推车承重多少", "", "!!!", "包邮吗包邮吗"]


def _pairs(snapshot: CatalogSnapshot) -> list[tuple[str, str]]:
    return [(f.id, q) for f in snapshot.faqs.values() for q in dict.fromkeys(f.questions) if q]


def _same_lexical(a: LexicalIndex, b: LexicalIndex) -> None:
    assert len(a) == len(b)
    for q in QUERIES + [text for _, text in _pairs(SNAPSHOT)[:40]]:
        assert np.array_equal(a.scores(q), b.scores(q)), q
        assert a.search([q], k=5) == b.search([q], k=5)


def _same_view(a: CatalogView, b: CatalogView) -> None:
    assert a.examples == b.examples and a.faq_ids == b.faq_ids
    assert np.array_equal(a.example_faq, b.example_faq)
    assert a.faq_row == b.faq_row and a.faq_intents == b.faq_intents and a.variant_terms == b.variant_terms
    assert np.array_equal(a.doc_start, b.doc_start) and np.array_equal(a.doc_end, b.doc_end)
    assert [(t.term, t.key, t.boundary) for t in a.terms] == [(t.term, t.key, t.boundary) for t in b.terms]
    assert a.lexical is not None and b.lexical is not None
    _same_lexical(a.lexical, b.lexical)
    assert a.recogniser is not None and b.recogniser is not None
    for q in [*QUERIES, "黑色XL还有吗", "白色的有M码吗"]:
        assert a.recogniser.recognise(q) == b.recogniser.recognise(q), q


def _edit_faqs(snapshot: CatalogSnapshot) -> CatalogSnapshot:
    faqs = dict(snapshot.faqs)
    first, second, *_ = list(faqs)
    faqs[first] = dataclasses.replace(faqs[first], questions=(*faqs[first].questions, "全新的问法 brand new wording?"))
    del faqs[second]
    extra = dataclasses.replace(faqs[first], id="added-faq", questions=("另一个全新的问题", "多少钱"))
    faqs["added-faq"] = extra
    return dataclasses.replace(snapshot, version=snapshot.version + 1, faqs=faqs)


def test_lexical_index_from_a_token_cache_scores_like_a_fresh_build():
    pairs = _pairs(SNAPSHOT)
    fresh = LexicalIndex.from_pairs(pairs)
    assert fresh.tokenized == len({t for _, t in pairs})
    # an edited set built from the old index's tokens: only the new texts are tokenised
    edited = [*pairs[5:], ("new", "一个从来没有过的问题 unseen words")]
    reused = LexicalIndex.from_pairs(edited, tokens=fresh.tokens)
    assert reused.tokenized == 1
    _same_lexical(reused, LexicalIndex.from_pairs(edited))
    # the old index is not affected by the new build (it keeps answering while the new one is built)
    _same_lexical(fresh, LexicalIndex.from_pairs(pairs))
    # an empty set, and an empty set built from a cache
    assert len(LexicalIndex.from_pairs([], tokens=fresh.tokens)) == 0
    assert not LexicalIndex.from_pairs([]).scores("多少钱").size


def test_token_cache_round_trips_through_a_file_and_ignores_a_broken_one(tmp_path):
    pairs = _pairs(SNAPSHOT)
    fresh = LexicalIndex.from_pairs(pairs)
    path = tmp_path / "tokens.npz"
    fresh.tokens.save(path)
    loaded = TokenCache.load(path)
    assert loaded is not None and len(loaded) == len(fresh.tokens)
    again = LexicalIndex.from_pairs(pairs, tokens=loaded)
    assert again.tokenized == 0
    _same_lexical(again, fresh)
    assert TokenCache.load(tmp_path / "missing.npz") is None
    path.write_bytes(b"not a numpy file")
    assert TokenCache.load(path) is None


def test_incremental_view_equals_a_full_build_after_faq_edits():
    old = CatalogView.build(SNAPSHOT)
    new_snapshot = _edit_faqs(SNAPSHOT)
    incremental = CatalogView.build(new_snapshot, old)
    _same_view(incremental, CatalogView.build(new_snapshot))
    assert incremental.lexical is not None and incremental.lexical.tokenized == 2  # the two new wordings
    assert incremental.terms is old.terms and incremental.recogniser is old.recogniser  # products untouched


def test_a_paused_build_is_cut_into_steps_and_equals_an_unpaused_one():
    """A hot reload passes ``pause`` (let the batch being decided go first): the view build calls it between its
    steps, the lexical build between its phases, and what they build is the same."""
    calls: list[int] = []
    old = CatalogView.build(SNAPSHOT)
    new_snapshot = _edit_faqs(SNAPSHOT)
    paused = CatalogView.build(new_snapshot, old, pause=lambda: calls.append(1))
    _same_view(paused, CatalogView.build(new_snapshot, old))
    assert len(calls) >= 6  # view: 3 steps; the lexical update from the old view's index: 3+ phases
    lexical_calls: list[int] = []
    lexical = LexicalIndex.from_pairs(_pairs(SNAPSHOT), pause=lambda: lexical_calls.append(1))
    _same_lexical(lexical, LexicalIndex.from_pairs(_pairs(SNAPSHOT)))
    assert len(lexical_calls) == 6


def test_stock_change_keeps_the_recogniser_a_product_edit_rebuilds_it():
    old = CatalogView.build(SNAPSHOT)
    pid, product = next(iter(SNAPSHOT.products.items()))
    restocked = dataclasses.replace(product, variants=tuple(dataclasses.replace(v, stock=v.stock + 7) for v in product.variants))
    stock_snapshot = dataclasses.replace(SNAPSHOT, version=2, products={**SNAPSHOT.products, pid: restocked})
    view = CatalogView.build(stock_snapshot, old)
    assert view.terms is old.terms and view.recogniser is old.recogniser
    _same_view(view, CatalogView.build(stock_snapshot))

    renamed = dataclasses.replace(product, aliases=(*product.aliases, "超级新别名"))
    name_snapshot = dataclasses.replace(SNAPSHOT, version=3, products={**SNAPSHOT.products, pid: renamed})
    view = CatalogView.build(name_snapshot, old)
    assert view.terms is not old.terms and view.recogniser is not old.recogniser
    assert any(t.term == "超级新别名" and t.key == pid for t in view.terms)
    assert view.recogniser is not None and old.recogniser is not None
    assert view.recogniser.recognise("超级新别名还有吗") != old.recogniser.recognise("超级新别名还有吗")
    _same_view(view, CatalogView.build(name_snapshot))

    synonyms = {**SNAPSHOT.synonyms, "attributes": {"fabric": ["料子新词"]}}
    syn_snapshot = dataclasses.replace(SNAPSHOT, version=4, synonyms=synonyms)
    assert CatalogView.build(syn_snapshot, old).recogniser is not old.recogniser


def test_vector_cache_round_trip_and_model_mismatch(tmp_path):
    path = tmp_path / "v.npz"
    vectors = np.arange(12, dtype=np.float32).reshape(3, 4)
    save_vectors(path, "m1", ["a", "b", "c"], vectors)
    got = load_vectors(path, "m1", 4)
    assert list(got) == ["a", "b", "c"] and np.array_equal(np.vstack(list(got.values())), vectors)
    assert load_vectors(path, "m2", 4) == {}  # another model: not used
    assert load_vectors(path, "m1", 8) == {}  # another dimension: not used
    assert load_vectors(tmp_path / "none.npz", "m1", 4) == {}
    path.write_bytes(b"garbage")
    assert load_vectors(path, "m1", 4) == {}
    with pytest.raises(ValueError):
        save_vectors(path, "m1", ["a"], vectors)


class _Counting:
    """The real embedder, counting what it is asked to encode."""

    def __init__(self, inner):
        self.inner, self.texts = inner, []

    @property
    def model_id(self):
        return self.inner.model_id

    @property
    def dim(self):
        return self.inner.dim

    def encode(self, texts):
        self.texts.extend(texts)
        return self.inner.encode(texts)

    def warmup(self):
        self.inner.warmup()


def test_engine_warm_start_reuses_saved_pieces_and_a_reload_equals_a_full_build(tmp_path, embedder):
    from bot.engine import PRODUCT_VECTORS_FILE, TOKENS_FILE, Engine, indexable_faqs, room_snapshot
    from bot.pipeline import MatchSettings
    from catalog.io import import_catalog
    from catalog.store import CatalogStore

    store = CatalogStore(f"sqlite:///{tmp_path}/c.db")
    import_catalog(store, ROOT / "data/catalog.yaml")
    index_dir = str(tmp_path / "index")
    first = Engine(store, embedder, None, settings=MatchSettings(), index_dir=index_dir)
    assert (tmp_path / "index" / TOKENS_FILE).is_file() and (tmp_path / "index" / PRODUCT_VECTORS_FILE).is_file()

    counting = _Counting(embedder)
    warm = Engine(store, counting, None, settings=MatchSettings(), index_dir=index_dir)
    assert counting.texts == []  # FAQ index, product vectors and lexical tokens all came from index_dir
    assert np.array_equal(warm.state.product_vectors, first.state.product_vectors)
    assert warm.state.view.lexical is not None and warm.state.view.lexical.tokenized == 0
    _same_view(warm.state.view, first.state.view)

    faq = next(iter(store.snapshot().faqs.values()))
    store.upsert_faq(dataclasses.replace(faq, questions=(*faq.questions, "这是编辑后新加的问法")))
    assert warm.reload_if_changed()
    assert len(counting.texts) == 1  # the one new example, nothing else
    snapshot = room_snapshot(store.snapshot(), MatchSettings().room_languages)
    _same_view(warm.state.view, CatalogView.build(snapshot))
    rebuilt = {f.id: set(f.questions) for f in indexable_faqs(snapshot)}
    assert {fid: set(warm.state.index.examples(fid)) for fid in rebuilt} == rebuilt
    store.close()


def test_store_snapshot_rereads_only_changed_faqs_and_equals_a_fresh_read(tmp_path):
    from catalog.io import import_catalog
    from catalog.store import CatalogStore

    url = f"sqlite:///{tmp_path}/s.db"
    store = CatalogStore(url)
    import_catalog(store, ROOT / "data/catalog.yaml")
    before = store.snapshot()

    def fresh() -> CatalogSnapshot:
        other = CatalogStore(url, run_migrations=False)  # nothing cached: reads every FAQ
        try:
            return other.snapshot()
        finally:
            other.close()

    first, second, third, *_ = list(before.faqs.values())
    edited = dataclasses.replace(first, questions=(*first.questions, "编辑后的问法"), answers={"zh": "新答案", "en": "new"})
    store.upsert_faq(edited)
    store.add_example(second.id, "另一个新问法", "zh")
    store.delete_faq(third.id)
    store.upsert_faq(dataclasses.replace(first, id="brand-new", questions=("全新FAQ的问题",)))
    after = store.snapshot()
    assert after == fresh()
    assert after.faqs[first.id].answers["zh"] == "新答案" and "另一个新问法" in after.faqs[second.id].questions
    assert third.id not in after.faqs and "brand-new" in after.faqs
    assert list(after.faqs) == list(fresh().faqs)  # position order kept
    # unchanged FAQs are the very objects of the earlier read (not read again)
    untouched = [fid for fid in before.faqs if fid not in (first.id, second.id, third.id)]
    assert untouched and all(after.faqs[fid] is before.faqs[fid] for fid in untouched)
    # the whole catalog imported again (FAQs deleted and re-created): every FAQ is read again, content equal
    import_catalog(store, ROOT / "data/catalog.yaml")
    assert store.snapshot() == fresh()
    store.close()


def test_store_snapshot_reuses_unchanged_products_with_their_live_stock(tmp_path):
    from sqlalchemy import text

    from catalog.io import import_catalog
    from catalog.store import CatalogStore

    url = f"sqlite:///{tmp_path}/p.db"
    store = CatalogStore(url)
    import_catalog(store, ROOT / "data/catalog.yaml")
    before = store.snapshot()

    def fresh() -> CatalogSnapshot:
        other = CatalogStore(url, run_migrations=False)
        try:
            return other.snapshot()
        finally:
            other.close()

    products = list(before.products.values())
    sold, renamed, raw = products[0], products[1], products[2]
    store.set_stock(sold.variants[0].sku, 0)  # a stock event: no edit_version bump
    store.upsert_product(dataclasses.replace(renamed, aliases=(*renamed.aliases, "新别名")), keep_stock=True)
    with store.engine.begin() as conn:  # around the store: stock, and a variant removed without a version bump
        conn.execute(text("UPDATE variants SET stock = 77 WHERE sku = :sku"), {"sku": raw.variants[0].sku})
        if len(raw.variants) > 1:
            conn.execute(text("DELETE FROM variants WHERE sku = :sku"), {"sku": raw.variants[-1].sku})
    after = store.snapshot()
    assert after == fresh()
    assert after.products[sold.id].variants[0].stock == 0
    assert "新别名" in after.products[renamed.id].aliases
    assert after.products[raw.id].variants[0].stock == 77
    assert len(after.products[raw.id].variants) == len(fresh().products[raw.id].variants)
    untouched = [pid for pid in before.products if pid not in (sold.id, renamed.id, raw.id)]
    assert untouched and all(after.products[pid] is before.products[pid] for pid in untouched)
    store.close()


def test_store_snapshot_reads_ids_and_stock_in_one_row_and_falls_back_on_separators(tmp_path):
    from sqlalchemy import event, text

    from catalog.io import import_catalog
    from catalog.store import CatalogStore

    url = f"sqlite:///{tmp_path}/q.db"
    store = CatalogStore(url)
    import_catalog(store, ROOT / "data/catalog.yaml")
    store.snapshot()
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    store.snapshot()  # nothing changed: the version, the stock clock and two empty change lists; no catalog row
    assert not any("group_concat" in s for s in statements) and len(statements) <= 5
    statements.clear()
    store._marks = None  # a read of everything (no previous snapshot to read the changes against)
    store.snapshot()  # ids, versions and stock as three one-row aggregates
    assert sum("group_concat" in s for s in statements) == 3
    product = next(iter(store.snapshot().products.values()))
    with store.engine.begin() as conn:  # a SKU holding the record separator, written around the store
        rename = text("UPDATE variants SET sku = :new WHERE sku = :old")
        conn.execute(rename, {"new": "odd\x1esku", "old": product.variants[0].sku})
    other = CatalogStore(url, run_migrations=False)
    after = store.snapshot()
    assert after == other.snapshot()
    assert "odd\x1esku" in {v.sku for v in after.products[product.id].variants}
    other.close()
    store.close()


def test_packed_and_row_by_row_reads_give_the_same_snapshot(tmp_path):
    from catalog.io import import_catalog
    from catalog.store import CatalogStore

    url = f"sqlite:///{tmp_path}/r.db"
    packed = CatalogStore(url)
    import_catalog(packed, ROOT / "data/catalog.yaml")
    rows = CatalogStore(url, run_migrations=False)
    rows._packed_rows = lambda *args: None  # type: ignore[method-assign]  # the path other databases take
    assert packed.snapshot() == rows.snapshot()
    packed.set_stock(next(iter(packed.snapshot().products.values())).variants[0].sku, 3)
    assert packed.snapshot() == rows.snapshot()
    for store in (packed, rows):
        store.close()


def test_incremental_snapshot_on_postgresql_equals_a_fresh_read(postgres_url):
    from sqlalchemy import text

    from catalog.io import import_catalog
    from catalog.store import CatalogStore

    store = CatalogStore(postgres_url)
    import_catalog(store, ROOT / "data/catalog.yaml")
    before = store.snapshot()
    faq = next(iter(before.faqs.values()))
    product = next(iter(before.products.values()))
    store.upsert_faq(dataclasses.replace(faq, questions=(*faq.questions, "编辑后的问法")))
    store.set_stock(product.variants[0].sku, 0)
    with store.engine.begin() as conn:  # stock written by another client
        conn.execute(text("UPDATE variants SET stock = 42 WHERE sku = :s"), {"s": product.variants[-1].sku})
    fresh = CatalogStore(postgres_url, run_migrations=False)
    after = store.snapshot()
    assert after == fresh.snapshot()
    assert "编辑后的问法" in after.faqs[faq.id].questions and after.products[product.id].variants[-1].stock == 42
    untouched = [fid for fid in before.faqs if fid != faq.id]
    assert all(after.faqs[fid] is before.faqs[fid] for fid in untouched)
    fresh.close()
    store.close()


def test_a_reload_lets_a_batch_in_progress_finish_between_its_steps_but_not_for_ever(tmp_path, monkeypatch):
    """The reload thread waits between its steps while engine.process decides a batch (both need the GIL): up to
    RELOAD_YIELD_S per step, RELOAD_WAIT_BUDGET_S in all, and no longer than the batch."""
    import threading
    import time

    import bot.engine as engine_module
    from bot.engine import Engine
    from bot.messages import Comment
    from bot.pipeline import MatchSettings
    from tests.fast.fakes import HashEmbedder, MemoryStore

    monkeypatch.setattr(engine_module, "RELOAD_YIELD_S", 0.5)
    monkeypatch.setattr(engine_module, "RELOAD_WAIT_BUDGET_S", 1.2)  # the build has more than 3 steps of 0.5 s
    store = MemoryStore()
    engine = Engine(store, HashEmbedder(), None, settings=MatchSettings(), spool_path=str(tmp_path / "spool.jsonl"))
    entered, release = threading.Event(), threading.Event()
    decide = engine._decide_batch

    def slow_decide(*args, **kwargs):  # a batch that holds on until released
        entered.set()
        release.wait(10)
        return decide(*args, **kwargs)

    monkeypatch.setattr(engine, "_decide_batch", slow_decide)

    def edit_and_reload() -> float:
        store.version += 1
        t = time.perf_counter()
        assert engine.reload_if_changed()
        return time.perf_counter() - t

    alone = edit_and_reload()  # no batch: no wait

    def start_batch(cid: str) -> threading.Thread:
        entered.clear()
        batch = threading.Thread(target=engine.process, args=([Comment(id=cid, user="u", text="多少钱", ts=0.0)],))
        batch.start()
        assert entered.wait(10)
        return batch

    stuck = start_batch("c1")
    behind_stuck_batch = edit_and_reload()  # the batch never finishes meanwhile: steps wait 0.5 s until 1.2 s are spent
    release.set()
    stuck.join(10)
    release.clear()
    short = start_batch("c2")
    threading.Timer(0.2, release.set).start()
    behind_short_batch = edit_and_reload()  # waits for the batch, released 0.2 s in, then goes on
    short.join(10)
    assert 1.2 <= behind_stuck_batch < 1.9 and engine.state.version == store.version
    assert alone < 0.5 and 0.15 <= behind_short_batch < 1.0


def test_engines_of_a_worker_share_one_catalog_state_built_once_per_edit(tmp_path, monkeypatch):
    """A worker's rooms each have an engine; the catalog state (index, view, product vectors) is one object for all
    of them, a reload builds it once and swaps it into every engine, and nothing holds the old state."""
    import gc
    import weakref

    from bot.engine import Engine
    from bot.pipeline import MatchSettings
    from bot.shared_state import SharedCatalogState
    from tests.fast.fakes import HashEmbedder, MemoryStore

    store = MemoryStore()
    embedder = HashEmbedder()
    first = Engine(store, embedder, None, settings=MatchSettings(), spool_path=str(tmp_path / "s0.jsonl"))
    shared = SharedCatalogState.of(first)
    rooms = [Engine(store, embedder, None, settings=MatchSettings(), spool_path=str(tmp_path / f"s{i}.jsonl"),
                    shared=shared) for i in range(1, 4)]
    engines = [first, *rooms]
    assert all(e.state is first.state for e in engines)  # one state, not one per room
    builds: list[int] = []
    real = Engine._build_state

    def counting(self, snapshot, previous):  # type: ignore[no-untyped-def]
        builds.append(1)
        return real(self, snapshot, previous)

    monkeypatch.setattr(Engine, "_build_state", counting)
    old = weakref.ref(first.state)
    store.version += 1
    assert rooms[1].reload_if_changed()  # the room whose reload task ticks first builds it
    assert [e.reload_if_changed() for e in engines] == [False, False, False, False]  # the others have it already
    assert len(builds) == 1 and all(e.state is rooms[1].state for e in engines)
    assert all(e.state.version == store.version for e in engines)
    gc.collect()
    assert old() is None  # no engine kept the previous state alive


def test_an_answer_edit_reuses_the_faq_and_lexical_indexes_and_an_example_edit_does_not(tmp_path, embedder):
    """Staff edit answers far more often than example questions: a reload after an answer-only edit shares the FAQ
    index and the lexical index with the state it replaces (no copy, no sync, no rebuild) and still answers with
    the new text; an edit of an example question builds new ones."""
    from bot.engine import Engine, room_snapshot
    from bot.pipeline import MatchSettings
    from catalog.io import import_catalog
    from catalog.store import CatalogStore

    store = CatalogStore(f"sqlite:///{tmp_path}/c.db")
    import_catalog(store, ROOT / "data/catalog.yaml")
    engine = Engine(store, embedder, None, settings=MatchSettings(), index_dir=str(tmp_path / "index"))
    before = engine.state
    faq = store.snapshot().faqs["price"]
    store.upsert_faq(dataclasses.replace(faq, answers={**faq.answers, "zh": "{product}今天直播间只要{price}元!"}))
    assert engine.reload_if_changed()
    after = engine.state
    assert after.version > before.version
    assert after.index is before.index and after.view.lexical is before.view.lexical
    assert after.view.snapshot.faqs["price"].answers["zh"] == "{product}今天直播间只要{price}元!"
    _same_view(after.view, CatalogView.build(room_snapshot(store.snapshot(), MatchSettings().room_languages)))

    faq = store.snapshot().faqs["price"]
    store.upsert_faq(dataclasses.replace(faq, questions=(*faq.questions, "直播价到底多少")))
    assert engine.reload_if_changed()
    edited = engine.state
    assert edited.index is not after.index and edited.view.lexical is not after.view.lexical
    def has_new(index) -> bool:  # examples are stored normalised ("…?")
        return any(e.startswith("直播价到底多少") for e in index.examples("price"))

    assert has_new(edited.index) and not has_new(after.index)
    store.close()


def test_reloads_after_random_edits_decide_like_an_engine_built_from_scratch(tmp_path, embedder):
    """Each reload syncs a copy of the FAQ index with only the changed FAQs (base + delta + tombstones) and updates
    the lexical index in place of a rebuild: after a random sequence of edits (examples added, removed and reworded,
    FAQs deleted and created, answers and products edited) every comment gets the decision an engine started from
    scratch on the same catalog gives it."""
    import random

    import models.index as index_module
    from bot.engine import Engine
    from bot.messages import Comment
    from bot.pipeline import MatchSettings
    from catalog.io import import_catalog
    from catalog.snapshot import FaqInfo
    from catalog.store import CatalogStore

    store = CatalogStore(f"sqlite:///{tmp_path}/c.db")
    import_catalog(store, ROOT / "data/catalog.yaml")
    engine = Engine(store, embedder, None, settings=MatchSettings(), index_dir=str(tmp_path / "index"))
    rng = random.Random(5)
    texts = ["多少钱", "有没有XL码", "什么时候发货", "包邮吗", "how much is it", "这个是正品吗", "能便宜点吗",
             "黑色还有吗", "质量怎么样", "可以退货吗", "新问法一号", "尺码怎么选"]
    n = 0
    old_compact = index_module.COMPACT_MIN
    index_module.COMPACT_MIN = 4  # compactions within the sequence too
    try:
        for step in range(14):
            snap = store.snapshot()
            fid = rng.choice(sorted(snap.faqs))
            faq = snap.faqs[fid]
            kind = ["add", "remove", "reword", "answer", "product", "delete", "new"][step % 7]
            if kind == "add":
                store.upsert_faq(dataclasses.replace(faq, questions=(*faq.questions, f"新问法{step}号")))
            elif kind == "remove" and len(faq.questions) > 1:
                store.upsert_faq(dataclasses.replace(faq, questions=faq.questions[1:], question_langs=faq.question_langs[1:]))
            elif kind == "reword":
                store.upsert_faq(dataclasses.replace(faq, questions=("尺码怎么选才合适", *faq.questions[1:]),
                                                     question_langs=()))
            elif kind == "answer":
                store.upsert_faq(dataclasses.replace(faq, answers={**faq.answers, "zh": f"答案 {step}"}))
            elif kind == "product":
                product = next(iter(snap.products.values()))
                store.upsert_product(dataclasses.replace(product, aliases=(*product.aliases, f"别名{step}")))
            elif kind == "delete":
                store.delete_faq(fid)
            else:
                store.upsert_faq(FaqInfo(id=f"new{step}", product_id=None, intent="other",
                                         questions=(f"新问法{step}号", "发票怎么开"), answers={"zh": f"新答案{step}"}))
            assert engine.reload_if_changed()
            fresh = Engine(store, embedder, None, settings=MatchSettings())
            comments = [Comment(id=f"c{n + i}", user="u", text=t, ts=float(n + i)) for i, t in enumerate(texts)]
            twins = [dataclasses.replace(c, id=f"f{c.id}") for c in comments]
            n += len(texts)
            got, want = engine.process(comments), fresh.process(twins)
            assert [(o.decision.band, o.decision.faq_id, o.text) for o in got] == [
                (o.decision.band, o.decision.faq_id, o.text) for o in want
            ]
            for a, b in zip(got, want, strict=True):
                assert a.decision.score == pytest.approx(b.decision.score, abs=1e-5)
    finally:
        index_module.COMPACT_MIN = old_compact
    store.close()


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_snapshots_read_by_change_equal_fresh_reads_after_random_edits(tmp_path, request, dialect):
    """The snapshot after an edit reads only the FAQs and products changed since the previous one (``faq_changes`` /
    ``product_changes`` on the stock clock, written by triggers whoever writes): after random edits through the
    store and around it (raw SQL), each snapshot equals one read from scratch, on SQLite and PostgreSQL."""
    import random

    from sqlalchemy import text

    from catalog.io import import_catalog
    from catalog.snapshot import FaqInfo
    from catalog.store import CatalogStore

    url = f"sqlite:///{tmp_path}/d.db" if dialect == "sqlite" else request.getfixturevalue("postgres_url")
    store = CatalogStore(url)
    import_catalog(store, ROOT / "data/catalog.yaml")
    store.snapshot()
    rng = random.Random(11)
    full_reads: list[str] = []
    read_all = store._ids_and_versions
    store._ids_and_versions = lambda conn, table: full_reads.append(table.__tablename__) or read_all(conn, table)  # type: ignore[method-assign]
    for step in range(30):
        snap = store.snapshot()
        faq = snap.faqs[rng.choice(sorted(snap.faqs))]
        product = snap.products[rng.choice(sorted(snap.products))]
        kind = rng.choice(["faq", "example", "delete", "new", "product", "stock", "raw_question", "raw_answer",
                           "raw_stock", "currency"])
        if kind == "faq":
            store.upsert_faq(dataclasses.replace(faq, questions=(*faq.questions[1:], f"问法{step}"), question_langs=()))
        elif kind == "example":
            store.add_example(faq.id, f"新例句{step}", "zh")
        elif kind == "delete" and len(snap.faqs) > 5:
            store.delete_faq(faq.id)
        elif kind == "new":
            store.upsert_faq(FaqInfo(id=f"new{step}", product_id=None, intent="other", questions=(f"新FAQ{step}",),
                                     answers={"zh": "答", "en": "a"}))
        elif kind == "product":
            store.upsert_product(dataclasses.replace(product, aliases=(*product.aliases, f"别名{step}")), keep_stock=True)
        elif kind == "stock":
            store.set_stock(product.variants[0].sku, rng.randint(0, 9))
        elif kind == "raw_question":  # around the store: no edit_version, no catalog version
            with store.engine.begin() as conn:
                conn.execute(text("INSERT INTO faq_questions (faq_id, text, lang, source, created_at) "
                                  "VALUES (:f, :t, 'zh', 'staff', 0)"), {"f": faq.id, "t": f"原始SQL{step}"})
        elif kind == "raw_answer":
            with store.engine.begin() as conn:
                conn.execute(text("UPDATE faqs SET answer_zh = :a WHERE id = :f"), {"a": f"改{step}", "f": faq.id})
        elif kind == "raw_stock":
            with store.engine.begin() as conn:
                conn.execute(text("UPDATE variants SET stock = :n WHERE sku = :s"),
                             {"n": step, "s": product.variants[-1].sku})
        else:
            store.set_currency({"zh": f"元{step}", "en": "CNY"})
        after = store.snapshot()
        fresh = CatalogStore(url, run_migrations=False)
        try:
            want = fresh.snapshot()
        finally:
            fresh.close()
        assert after == want
        assert list(after.faqs) == list(want.faqs) and list(after.products) == list(want.products)
    assert full_reads == []  # every snapshot read the changes only (no pass over every FAQ's and product's id)
    store.close()
