"""FaqIndex over a real embedder (use-m3) and real FAISS; LexicalIndex and fusion."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest

from models.embedders import Embedder, get_embedder
from models.index import INDEX_FILE, SIDECAR_FILE, FaqIndex, Hit, IndexFileError
from models.lexical import LexicalIndex, fuse_hits, tokenize


@dataclass(frozen=True)
class Faq:  # same shape as catalog.snapshot.FaqInfo, which models/ must not import
    id: str
    questions: tuple[str, ...]
    product_id: str | None = None
    intent: str = "other"


class CountingEmbedder:
    """Wraps a real embedder and records every text it is asked to encode."""

    def __init__(self, inner: Embedder, model_id: str | None = None) -> None:
        self.inner = inner
        self.model_id = model_id or inner.model_id
        self.dim = inner.dim
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        return self.inner.encode(texts)

    def warmup(self) -> None:
        self.inner.warmup()


FAQS = [
    Faq("size", ("有XL码吗", "有没有大码", "M码还有吗", "do you have size XL?")),
    Faq("price", ("多少钱", "这个什么价格", "how much is it?")),
    Faq("ship", ("什么时候发货", "几天能到", "do you ship to Canada?")),
    Faq("return", ("可以退货吗", "七天无理由退换吗")),
    Faq("material", ("是什么材质的", "是纯棉的吗")),
]
N_EXAMPLES = 14


@pytest.fixture(scope="module")
def use() -> Embedder:
    emb = get_embedder("use-m3", threads=2)
    emb.warmup()
    return emb


@pytest.fixture()
def counting(use: Embedder) -> CountingEmbedder:
    return CountingEmbedder(use)


@pytest.fixture(scope="module")
def built(use: Embedder) -> FaqIndex:
    return FaqIndex.build(use, FAQS)


def test_build_and_search_finds_right_faq(built: FaqIndex, use: Embedder) -> None:
    assert len(built) == sum(len(f.questions) for f in FAQS) == N_EXAMPLES
    assert built.faq_ids == {f.id for f in FAQS}
    queries = ["XL码还有没有", "这件衣服多少钱啊", "几号发货", "能退吗", "纯棉吗", "shipping to canada?"]
    expected = ["size", "price", "ship", "return", "material", "ship"]
    results = built.search(use.encode(queries), k=3)
    assert [r[0].faq_id for r in results] == expected
    for hits in results:
        assert len(hits) == 3
        assert len({h.faq_id for h in hits}) == 3  # per_faq: distinct FAQs
        assert all(isinstance(h, Hit) for h in hits)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # the example reported is one of that FAQ's questions
    top = results[0][0]
    assert top.example in {f.id: f.questions for f in FAQS}["size"]
    assert -1.0 <= top.score <= 1.0 + 1e-5


def test_search_variants(built: FaqIndex, use: Embedder) -> None:
    v = use.encode(["有XL码吗"])
    one = built.search(v[0], k=2)  # 1-D vector accepted
    assert one[0][0] == Hit("size", "有XL码吗", pytest.approx(1.0, abs=1e-4))
    raw = built.search(v, k=4, per_faq=False)[0]
    assert [h.faq_id for h in raw[:2]] == ["size", "size"]  # several examples of the same FAQ
    assert built.search(v, k=100)[0].__len__() == len(FAQS)  # k larger than the FAQ count
    assert built.search_texts(["有XL码吗"], k=1) == [[one[0][0]]]
    assert built.search(np.zeros((0, use.dim), np.float32)) == []
    with pytest.raises(ValueError, match="shape"):
        built.search(np.zeros((1, 7), np.float32))
    empty = FaqIndex.build(use, [])
    assert empty.search(v, k=3) == [[]]


def test_per_faq_fetches_deeper_when_one_faq_crowds_the_top(use: Embedder) -> None:
    crowd = Faq("crowd", tuple(f"有没有{s}码的" for s in ("S", "M", "L", "XL", "XXL", "XXXL", "均", "大", "小", "加大")))
    other = [Faq(f"o{i}", (t,)) for i, t in enumerate(["多少钱", "发货", "退货", "颜色"])]
    idx = FaqIndex.build(use, [crowd, *other])
    hits = idx.search_texts(["有没有XL码"], k=3)[0]
    assert hits[0].faq_id == "crowd"
    assert len(hits) == 3 and len({h.faq_id for h in hits}) == 3


def test_per_faq_hits_are_each_faqs_first_raw_hit_also_after_a_sync(use: Embedder) -> None:
    idx = FaqIndex.build(use, FAQS)
    queries = use.encode(["XL码还有没有", "这件衣服多少钱啊", "几号发货", "纯棉吗"])

    def reference(index: FaqIndex) -> list[list[Hit]]:  # per FAQ = its first hit in the full raw ranking
        out = []
        for raw in index.search(queries, k=len(index), per_faq=False):
            first: dict[str, Hit] = {}
            for h in raw:
                first.setdefault(h.faq_id, h)
            out.append(list(first.values())[:4])
        return out

    assert idx.search(queries, k=4) == reference(idx)
    idx.sync([*(f for f in FAQS if f.id != "price"), Faq("price2", ("多少钱呀", "价格是多少"))])
    hits = idx.search(queries, k=4)
    assert hits == reference(idx)  # the vector id -> FAQ table follows the sync
    assert all(h.faq_id != "price" for row in hits for h in row) and hits[1][0].faq_id == "price2"


def test_sync_is_incremental(counting: CountingEmbedder) -> None:
    idx = FaqIndex.build(counting, FAQS)
    assert len(counting.seen) == len(idx) == N_EXAMPLES
    counting.seen.clear()

    # nothing changed: nothing re-encoded
    stats = idx.sync(FAQS)
    assert (stats.added, stats.removed, stats.unchanged, stats.changed, stats.encoded) == (0, 0, 5, 0, 0)
    assert counting.seen == []

    # one example added to "price", "return" deleted, a new FAQ, "ship" loses an example
    fp_before = idx.fingerprint
    new = [
        FAQS[0],
        replace(FAQS[1], questions=(*FAQS[1].questions, "怎么卖")),
        replace(FAQS[2], questions=("什么时候发货", "do you ship to Canada?")),
        FAQS[4],
        Faq("colour", ("有黑色吗", "有哪些颜色")),
    ]
    stats = idx.sync(new)
    assert sorted(counting.seen) == sorted(["怎么卖", "有黑色吗", "有哪些颜色"])
    assert (stats.added, stats.removed, stats.unchanged, stats.changed) == (1, 1, 2, 2)
    assert stats.encoded == 3 and stats.deleted_vectors == 2 + 1  # return's 2 examples + "几天能到"
    assert idx.fingerprint != fp_before
    assert idx.faq_ids == {"size", "price", "ship", "material", "colour"}
    assert set(idx.examples("ship")) == {"什么时候发货", "do you ship to Canada?"}
    assert len(idx) == N_EXAMPLES + 3 - 3
    assert idx.search_texts(["有什么颜色"], k=1)[0][0].faq_id == "colour"
    assert idx.search_texts(["怎么卖的"], k=1)[0][0].faq_id == "price"
    assert all(h.faq_id != "return" for h in idx.search_texts(["可以退货吗"], k=10)[0])

    # the synced index equals a fresh build of the same catalog
    fresh = FaqIndex.build(counting.inner, new)
    assert fresh.fingerprint == idx.fingerprint
    q = counting.inner.encode(["发货快吗", "黑色有吗"])
    assert [[h.faq_id for h in r] for r in idx.search(q, 5)] == [[h.faq_id for h in r] for r in fresh.search(q, 5)]


def test_example_order_and_blanks_do_not_change_fingerprint(use: Embedder) -> None:
    a = FaqIndex.build(use, [Faq("x", ("多少钱", "什么价格"))])
    b = FaqIndex.build(use, [Faq("x", (" 什么价格", "多少钱", "", "多少钱"))])
    assert a.fingerprint == b.fingerprint and len(b) == 2
    with pytest.raises(ValueError, match="duplicate FAQ id"):
        FaqIndex.build(use, [Faq("x", ("a",)), Faq("x", ("b",))])


def test_copy_is_independent(built: FaqIndex) -> None:
    clone = built.copy()
    before = (len(built), built.fingerprint)
    stats = clone.sync([f for f in FAQS if f.id != "size"])
    assert stats.removed == 1
    assert (len(built), built.fingerprint) == before
    assert built.search_texts(["有XL码吗"], k=1)[0][0].faq_id == "size"
    assert clone.search_texts(["有XL码吗"], k=1)[0][0].faq_id != "size"


def test_save_load_round_trip(tmp_path: Path, counting: CountingEmbedder) -> None:
    idx = FaqIndex.build(counting, FAQS)
    idx.save(tmp_path)
    assert (tmp_path / INDEX_FILE).is_file() and (tmp_path / SIDECAR_FILE).is_file()
    assert not list(tmp_path.glob("*.tmp"))
    counting.seen.clear()

    loaded, how = FaqIndex.load_or_build(tmp_path, counting, FAQS)
    assert how == "loaded" and counting.seen == []
    assert loaded.fingerprint == idx.fingerprint and len(loaded) == len(idx)
    q = counting.inner.encode(["XL码还有没有", "多少钱呀"])
    assert loaded.search(q, 3) == idx.search(q, 3)

    # ids keep growing after a reload (no id reuse)
    loaded.sync([*FAQS, Faq("new", ("送运费险吗",))])
    assert len(loaded) == len(idx) + 1


def test_partial_change_on_disk_syncs(tmp_path: Path, counting: CountingEmbedder) -> None:
    FaqIndex.build(counting, FAQS).save(tmp_path)
    counting.seen.clear()
    changed = [*FAQS[:4], replace(FAQS[4], questions=(*FAQS[4].questions, "会起球吗"))]
    idx, how = FaqIndex.load_or_build(tmp_path, counting, changed)
    assert how == "synced" and counting.seen == ["会起球吗"]
    # synced result was saved: the next load is a plain load
    counting.seen.clear()
    again, how = FaqIndex.load_or_build(tmp_path, counting, changed)
    assert how == "loaded" and counting.seen == [] and again.fingerprint == idx.fingerprint


def test_save_changes_appends_to_a_log_that_a_load_replays(tmp_path: Path, counting: CountingEmbedder) -> None:
    base = FaqIndex.build(counting, FAQS)
    assert base.save_changes(tmp_path) == "full"  # no base on disk yet
    size = (tmp_path / INDEX_FILE).stat().st_size
    live = base
    catalogs = [
        [*FAQS[:4], replace(FAQS[4], questions=(*FAQS[4].questions, "会起球吗"))],  # one example added
        [*FAQS[1:4], replace(FAQS[4], questions=("会起球吗",))],  # a FAQ removed, examples dropped
        [*FAQS[1:4], replace(FAQS[4], questions=("会起球吗",)), Faq("gift", ("有赠品吗", "送什么"))],  # a FAQ added
    ]
    for catalog in catalogs:
        live = live.copy()
        live.sync(catalog)
        assert live.save_changes(tmp_path) == "log"
        assert (tmp_path / INDEX_FILE).stat().st_size == size  # the 60 MB file of a big shop is not rewritten
        counting.seen.clear()
        loaded, how = FaqIndex.load_or_build(tmp_path, counting, catalog)
        assert how == "loaded" and counting.seen == []
        assert loaded.fingerprint == live.fingerprint and len(loaded) == len(live)
        q = counting.inner.encode(["XL码还有没有", "起球吗", "有什么赠品"])
        assert loaded.search(q, 3) == live.search(q, 3)
    assert live.save_changes(tmp_path) == "none"


def test_a_torn_log_record_is_ignored_and_the_sync_fills_the_gap(tmp_path: Path, counting: CountingEmbedder) -> None:
    from models.index import LOG_FILE

    FaqIndex.build(counting, FAQS).save(tmp_path)
    first = [*FAQS[:4], replace(FAQS[4], questions=(*FAQS[4].questions, "会起球吗"))]
    second = [*first, Faq("gift", ("有赠品吗",))]
    live, _ = FaqIndex.load_or_build(tmp_path, counting, FAQS)
    live.sync(first)
    live.save_changes(tmp_path)
    live.sync(second)
    live.save_changes(tmp_path)
    log_path = tmp_path / LOG_FILE
    log_path.write_bytes(log_path.read_bytes()[:-40])  # a crash in the middle of the second append
    counting.seen.clear()
    idx, how = FaqIndex.load_or_build(tmp_path, counting, second)
    assert how == "synced" and counting.seen == ["有赠品吗"]  # the first record was replayed, the torn one not
    assert idx.fingerprint == live.fingerprint
    assert not log_path.exists()  # the synced index was saved whole
    counting.seen.clear()
    assert FaqIndex.load_or_build(tmp_path, counting, second)[1] == "loaded" and counting.seen == []


def test_log_records_of_another_base_are_not_applied(tmp_path: Path, counting: CountingEmbedder) -> None:
    from models.index import LOG_FILE

    live = FaqIndex.build(counting, FAQS)
    live.save(tmp_path)
    live.sync([*FAQS, Faq("gift", ("有赠品吗",))])
    live.save_changes(tmp_path)
    stale_log = (tmp_path / LOG_FILE).read_bytes()
    FaqIndex.build(counting, FAQS[:3]).save(tmp_path)  # another base written (e.g. a rebuild); a crash kept the old log
    (tmp_path / LOG_FILE).write_bytes(stale_log)
    idx = FaqIndex.read(tmp_path, counting)
    assert idx.faq_ids == {f.id for f in FAQS[:3]}


def test_other_model_triggers_rebuild(tmp_path: Path, use: Embedder, caplog: pytest.LogCaptureFixture) -> None:
    FaqIndex.build(use, FAQS).save(tmp_path)
    other = CountingEmbedder(use, model_id="use-m3@other-weights")
    with caplog.at_level(logging.WARNING, logger="models.index"):
        idx, how = FaqIndex.load_or_build(tmp_path, other, FAQS)
    assert how == "built" and len(other.seen) == N_EXAMPLES
    assert "use-m3@other-weights" in caplog.text
    assert json.loads((tmp_path / SIDECAR_FILE).read_text())["model_id"] == "use-m3@other-weights"
    assert FaqIndex.load(tmp_path, other, FAQS).fingerprint == idx.fingerprint


@pytest.mark.parametrize(
    "damage",
    ["truncate_index", "garbage_sidecar", "sidecar_missing", "entries_mismatch", "stale_sidecar_fingerprint"],
)
def test_corrupt_files_trigger_rebuild(
    tmp_path: Path, counting: CountingEmbedder, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    FaqIndex.build(counting.inner, FAQS).save(tmp_path)
    index_path, side_path = tmp_path / INDEX_FILE, tmp_path / SIDECAR_FILE
    if damage == "truncate_index":
        index_path.write_bytes(index_path.read_bytes()[:100])
    elif damage == "garbage_sidecar":
        side_path.write_text("{not json")
    elif damage == "sidecar_missing":
        side_path.unlink()
    else:
        side = json.loads(side_path.read_text())
        if damage == "entries_mismatch":
            side["entries"].pop(next(iter(side["entries"])))
        else:
            side["fingerprint"] = "0" * 64
        side_path.write_text(json.dumps(side))
    with pytest.raises(IndexFileError):
        FaqIndex.read(tmp_path, counting)
    with caplog.at_level(logging.WARNING, logger="models.index"):
        idx, how = FaqIndex.load_or_build(tmp_path, counting, FAQS)
    assert how == "built" and len(counting.seen) == N_EXAMPLES
    assert "rebuilding FAQ index" in caplog.text
    assert idx.search_texts(["多少钱"], k=1)[0][0].faq_id == "price"
    # and the rebuilt files are healthy again
    assert FaqIndex.read(tmp_path, counting.inner).fingerprint == idx.fingerprint


def test_missing_dir_builds_without_warning(tmp_path: Path, use: Embedder, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="models.index"):
        _, how = FaqIndex.load_or_build(tmp_path / "new", use, FAQS)
    assert how == "built" and caplog.text == ""
    assert (tmp_path / "new" / INDEX_FILE).is_file()


# ---------------------------------------------------------------------------------------------- lexical


def test_tokenize_cjk_and_latin() -> None:
    terms = tokenize("有XL码吗？Shipping")
    assert {"有", "码", "吗", "码吗", "w:xl", "w:shipping", "^sh", "ng$"} <= set(terms)
    assert "有xl" not in terms
    assert set(tokenize("多少钱")) == {"多", "少", "钱", "多少", "少钱", "多少钱"}
    assert tokenize("ＸＬ") == tokenize("xl")  # NFKC + lower


def test_tokenize_keeps_a_thai_run_whole_across_its_vowel_and_tone_marks() -> None:
    """Thai marks are not word characters: as a word run "ราคาเท่าไหร่คะ" (how much) broke at every mark into
    unrelated pieces. It is one run, indexed by character 2- and 3-grams, and a Thai question shares the grams of
    the same words in an example ("ราคาเท่าไหร่" ⊂ the comment)."""
    terms = tokenize("ราคาเท่าไหร่คะ")
    assert not any(t.startswith("w:") for t in terms)
    assert {"ท่", "เท่", "ท่า", "ไหร", "หร่"} <= set(terms)  # grams across the tone mark ่
    assert set(tokenize("ราคาเท่าไหร่")) < set(terms)
    assert tokenize("ก") == ["ก"]
    assert "w:size" in tokenize("ไซส์ size")  # Latin beside Thai: a word as before


def test_lexical_search() -> None:
    lex = LexicalIndex.build(FAQS)
    assert len(lex) == N_EXAMPLES
    res = lex.search(["XL码还有吗", "多少钱一件", "ship to canada", "主播好漂亮"], k=3)
    assert res[0][0].faq_id == "size"
    assert res[1][0].faq_id == "price"
    assert res[2][0].faq_id == "ship" and res[2][0].example == "do you ship to Canada?"
    assert res[3] == []  # no shared term: no hits at all
    for hits in res[:3]:
        assert len({h.faq_id for h in hits}) == len(hits)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    exact = lex.search(["多少钱"], k=1)[0][0]
    assert exact.example == "多少钱" and exact.score == pytest.approx(1.0, abs=0.3)
    raw = lex.search(["码"], k=5, per_faq=False)[0]
    assert {h.faq_id for h in raw} == {"size"} and len(raw) == 3


def test_lexical_per_faq_looks_past_a_crowding_faq() -> None:
    crowd = Faq("crowd", tuple(f"有没有{s}码" for s in ("S", "M", "L", "XL", "XXL", "XXXL", "均", "大", "小", "加大")))
    lex = LexicalIndex.build([crowd, Faq("a", ("M码偏大吗",)), Faq("b", ("尺码怎么选",)), Faq("c", ("多少钱",))])
    hits = lex.search(["有没有M码"], k=3)[0]
    assert hits[0].faq_id == "crowd" and hits[0].example == "有没有M码"
    assert [h.faq_id for h in hits[1:]] == ["a", "b"]


def test_fuse_hits() -> None:
    dense = [Hit("a", "qa", 0.9), Hit("b", "qb", 0.8)]
    lexical = [Hit("b", "lb", 1.0), Hit("c", "lc", 0.5)]
    by_score = fuse_hits(dense, lexical, method="score", weight=0.5)
    assert [h.faq_id for h in by_score] == ["b", "a", "c"]
    assert by_score[0] == Hit("b", "qb", pytest.approx(0.9))  # dense example kept
    assert by_score[2].example == "lc"
    rrf = fuse_hits(dense, lexical, method="rrf", k=2)
    assert [h.faq_id for h in rrf] == ["b", "a"]
    with pytest.raises(ValueError):
        fuse_hits(dense, lexical, weight=2)


def test_a_batch_search_stays_within_the_process_thread_budget(built: FaqIndex, use: Embedder) -> None:
    """A backlog batch (> SMALL_SEARCH vectors) used to switch FAISS to every core whatever `threads` said: the
    default read at import time, before the budget was applied (2 threads on these 2-core boxes)."""
    import faiss

    from models.threads import cap_threads, thread_budget

    previous = thread_budget()
    cap_threads(1)
    try:
        vectors = use.encode([f"这个多少钱 {i}" for i in range(32)])
        built.search(vectors, k=5)
        assert faiss.omp_get_max_threads() == 1
    finally:
        cap_threads(previous or 1)


def test_sync_skips_a_faq_handed_the_same_tuple_but_not_a_list_changed_in_place(counting: CountingEmbedder) -> None:
    questions = ("多少钱", "这个什么价格")
    idx = FaqIndex.build(counting, [Faq("price", questions)])
    assert idx.sync([Faq("price", questions)]).unchanged == 1  # the very tuple synced before
    mutable = ["多少钱", "这个什么价格"]
    idx.sync([Faq("price", mutable)])  # type: ignore[arg-type]
    mutable.append("贵不贵")  # the same list object, changed in place
    counting.seen.clear()
    stats = idx.sync([Faq("price", mutable)])  # type: ignore[arg-type]
    assert stats.changed == 1 and counting.seen == ["贵不贵"]


# ---------------------------------------------------------------------------------------- FAISS search paths


class SeededEmbedder:
    """A unit vector per text, from a hash of the text: no model, the same vector every time."""

    model_id = "seeded-512"
    dim = 512

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        raw = b"".join(hashlib.shake_256(t.encode("utf-8")).digest(self.dim) for t in texts)
        out = np.frombuffer(raw, dtype=np.uint8).reshape(len(texts), self.dim).astype(np.float32) - 127.5
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def warmup(self) -> None:
        pass


@pytest.mark.parametrize("per_faq", [True, False])
def test_blas_and_scalar_search_paths_return_the_same_hits(monkeypatch, per_faq):
    """A batch of queries is scored as one BLAS matrix product, a query or two by FAISS's own loop: the choice is
    speed only. Both give the same FAQs in the same order with the same scores (to float rounding), for queries far
    from every example, near one, and equal to one."""
    import faiss

    import models.index as index_module

    emb = SeededEmbedder()
    faqs = [Faq(f"f{i}", (f"q{i}a", f"q{i}b", f"q{i % 97}c")) for i in range(800)]
    index = FaqIndex.build(emb, faqs)
    rng = np.random.default_rng(3)
    stored = emb.encode(["q7a", "q500b", "q5c", "q799a"])
    near = stored + 0.05 * rng.standard_normal(stored.shape).astype(np.float32)
    far = rng.standard_normal((8, emb.dim)).astype(np.float32)
    queries = np.vstack([stored, near, far])
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)

    results = {}
    for name, blas_from in (("blas", 1), ("scalar", 10**9)):
        monkeypatch.setattr(index_module, "BLAS_FROM", blas_from)
        results[name] = index.search(queries, k=24, per_faq=per_faq)
        assert (faiss.cvar.distance_compute_blas_threshold == 0) == (name == "blas")  # the path really was switched
    for blas, scalar in zip(results["blas"], results["scalar"], strict=True):
        assert len(blas) == len(scalar) == 24
        np.testing.assert_allclose([h.score for h in blas], [h.score for h in scalar], atol=1e-5)
        for a, b in zip(blas, scalar, strict=True):
            # a swap is only allowed between hits whose scores tie to float rounding
            assert (a.faq_id, a.example) == (b.faq_id, b.example) or abs(a.score - b.score) < 1e-5
    top = results["blas"][0][0]
    assert (top.faq_id, top.example) == ("f7", "q7a") and top.score == pytest.approx(1.0, abs=1e-5)


def test_search_picks_blas_for_a_batch_and_the_scalar_loop_for_a_query_or_two():
    import faiss

    import models.index as index_module

    emb = SeededEmbedder()
    index = FaqIndex.build(emb, [Faq(f"f{i}", (f"q{i}",)) for i in range(50)])
    index.search(emb.encode(["a"] * (index_module.BLAS_FROM - 1)), k=3)
    assert faiss.cvar.distance_compute_blas_threshold != 0
    index.search(emb.encode(["a"] * index_module.BLAS_FROM), k=3)
    assert faiss.cvar.distance_compute_blas_threshold == 0


def _same_hits(got: list[list[Hit]], want: list[list[Hit]]) -> None:
    for a_row, b_row in zip(got, want, strict=True):
        assert len(a_row) == len(b_row)
        np.testing.assert_allclose([h.score for h in a_row], [h.score for h in b_row], atol=1e-5)
        for a, b in zip(a_row, b_row, strict=True):
            assert (a.faq_id, a.example) == (b.faq_id, b.example) or abs(a.score - b.score) < 1e-5


def _exact(index: FaqIndex, queries: np.ndarray, k: int, per_faq: bool) -> list[list[Hit]]:
    scan, index._scan = index._scan, None
    try:
        return index.search(queries, k=k, per_faq=per_faq)
    finally:
        index._scan = scan


def _queries(emb: SeededEmbedder, texts: Sequence[str], seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    stored = emb.encode(texts)
    near = stored + 0.05 * rng.standard_normal(stored.shape).astype(np.float32)
    far = rng.standard_normal((6, emb.dim)).astype(np.float32)
    out = np.vstack([stored, near, far])
    return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.mark.parametrize("per_faq", [True, False])
def test_the_8bit_scan_of_a_big_index_returns_the_exact_hits(monkeypatch, per_faq):
    """From SCAN_FROM vectors on, a query or two reads an 8-bit copy and re-scores its candidates: the same hits and
    scores as the exact index — for queries equal to an example, near one and far from all (random vectors in 512
    dimensions: the scores crowd together, where 8-bit rounding matters most) — and it stays in step through a sync
    that removes and adds vectors, a copy, and a save + read."""
    import models.index as index_module

    monkeypatch.setattr(index_module, "SCAN_FROM", 1500)
    emb = SeededEmbedder()
    faqs = [Faq(f"f{i}", (f"q{i}a", f"q{i}b", f"q{i % 97}c")) for i in range(600)]
    index = FaqIndex.build(emb, faqs)
    assert index._scan is not None and len(index._scan) == len(index) == 1800

    def check(idx: FaqIndex, texts: Sequence[str], seed: int) -> None:
        queries = _queries(emb, texts, seed)
        for row in range(len(queries)):  # one query at a time: the hot path's size
            q = queries[row : row + 1]
            _same_hits(idx.search(q, k=24, per_faq=per_faq), _exact(idx, q, 24, per_faq))

    check(index, ["q7a", "q500b", "q5c"], 1)

    edited = index.copy()
    changed = [Faq(f"f{i}", (f"q{i}a", f"new{i}")) for i in range(50)] + faqs[60:] + [Faq("g", ("brand new",))]
    edited.sync(changed)
    # the copy shares the base and its 8-bit copy; the change sits in its delta and tombstones
    assert edited._index is index._index and edited._scan is index._scan and edited._delta.ntotal and edited._dead
    assert index._scan is not None and len(index._scan) == len(index) == 1800  # the copy's sync left the original alone
    assert not index._dead and not index._delta.ntotal
    check(edited, ["new3", "q7a", "brand new", "q500b"], 2)
    top = edited.search(emb.encode(["q55a"]), k=3, per_faq=per_faq)[0]
    assert all(h.faq_id != "f55" for h in top)  # a removed FAQ is gone from the 8-bit copy too


def test_the_8bit_copy_follows_save_read_and_size(tmp_path: Path, monkeypatch) -> None:
    import models.index as index_module

    monkeypatch.setattr(index_module, "SCAN_FROM", 1500)
    emb = SeededEmbedder()
    small = FaqIndex.build(emb, [Faq(f"f{i}", (f"q{i}a", f"q{i}b")) for i in range(700)])
    assert small._scan is None  # 1,400 vectors: the exact index alone
    big_faqs = [Faq(f"f{i}", (f"q{i}a", f"q{i}b")) for i in range(800)]
    small.sync(big_faqs)
    assert small._scan is None  # the 200 new vectors wait in the delta, searched exactly
    small.save(tmp_path)  # the file gets them folded into its base (1,600 vectors, past SCAN_FROM) ...
    assert small._scan is None  # ... the index itself is left as it is: a save may run on the index being searched
    saved = FaqIndex.read(tmp_path, emb)
    saved.search(emb.encode(["q1a"]), k=3)
    assert saved._scan is not None and len(saved._scan) == 1600
    small.sync([*big_faqs[:790], Faq("x", ("x1", "x2"))])
    assert small.save_changes(tmp_path) == "log"
    loaded = FaqIndex.read(tmp_path, emb)
    assert loaded._scan is None  # built after start-up's memory trim (prepare), not by read
    loaded.search(_queries(emb, ["x1"], 4)[:8], k=3)  # a batch reads the exact index: nothing built
    assert loaded._scan is None
    loaded.search(emb.encode(["x1"]), k=3)  # a single query of a big index builds it when nobody prepared it
    assert loaded._scan is not None and len(loaded._scan) == 1600 and len(loaded) == 1582  # the base's 1,600
    q = _queries(emb, ["x1", "q3a"], 5)
    for row in range(len(q)):
        _same_hits(loaded.search(q[row : row + 1], k=10), _exact(loaded, q[row : row + 1], 10, True))
    loaded.sync(big_faqs[:700])
    loaded.save(tmp_path)  # written compacted: the base shrunk below SCAN_FROM
    shrunk = FaqIndex.read(tmp_path, emb)
    shrunk.search(emb.encode(["x1"]), k=3)
    assert shrunk._scan is None and len(shrunk) == 1400  # below SCAN_FROM: no 8-bit copy


def test_the_8bit_copy_is_retrained_by_the_change_that_makes_it_stale(monkeypatch) -> None:
    """A sync that adds many vectors folds them into a new base whose 8-bit copy is trained on them; one vector with
    a value outside the range the copy was trained on waits in the delta, searched exactly (never clipped), until a
    compaction retrains the copy on it."""
    import models.index as index_module

    monkeypatch.setattr(index_module, "SCAN_FROM", 1000)
    emb = SeededEmbedder()
    faqs = [Faq(f"f{i}", (f"q{i}a", f"q{i}b")) for i in range(600)]
    index = FaqIndex.build(emb, faqs)
    first = index._scan
    assert first is not None and not first.stale()
    index.sync([*faqs, *(Faq(f"g{i}", (f"n{i}",)) for i in range(500))])  # +500 on 1,200: past RETRAIN_AFTER
    assert index._scan is not None and index._scan is not first and not index._scan.stale()

    class Spiky(SeededEmbedder):
        def encode(self, texts: Sequence[str]) -> np.ndarray:
            out = super().encode(texts)
            out[:, 0] = 0.9  # far outside the range of the hash vectors' components
            return out / np.linalg.norm(out, axis=1, keepdims=True)

    before = index._scan
    index.embedder = Spiky()
    index.sync([*faqs, *(Faq(f"g{i}", (f"n{i}",)) for i in range(500)), Faq("spike", ("s",))])
    assert index._scan is before and index._delta.ntotal == 1  # in the delta: exact scores, nothing clipped
    q = index.embedder.encode(["s"])
    _same_hits(index.search(q, k=5), _exact(index, q, 5, True))
    assert index.search(q, k=1)[0][0].faq_id == "spike"
    index._compact()
    assert index._scan is not before and index._scan is not None and not index._scan.stale()
    _same_hits(index.search(q, k=5), _exact(index, q, 5, True))
