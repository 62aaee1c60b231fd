"""Sentence vectors saved by text, beside the FAISS index: what a warm start would otherwise embed again.

One ``.npz`` per use (the engine keeps its product vectors in ``products.npz``): the model id, the texts (one JSON
blob) and their vectors. Written to a temp file and renamed; read back only when the model id and dimension match
and the shapes agree, else ignored (logged) — the caller embeds what is missing, so a stale or broken file costs
time, never a wrong vector.
"""

from __future__ import annotations

import io
import json
import logging
import os
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .embedders import Embedder
from .index import _atomic_write

log = logging.getLogger(__name__)

_FORMAT = 1


def load_vectors(path: str | os.PathLike[str], model_id: str, dim: int) -> dict[str, np.ndarray]:
    """text -> vector saved at ``path`` by the same model; {} when missing, unreadable or of another model."""
    saved = _read(path, model_id, dim)
    return {} if saved is None else dict(zip(saved[0], saved[1], strict=True))


def _read(path: str | os.PathLike[str], model_id: str, dim: int) -> tuple[list[str], np.ndarray] | None:
    """(texts, one vector per text) saved at ``path`` by the same model; None when missing, unreadable or of
    another model (logged, except missing)."""
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(z["meta"].tobytes().decode("utf-8"))
            vectors = np.asarray(z["vectors"], dtype=np.float32)
        if meta.get("format") != _FORMAT or meta.get("model_id") != model_id:
            raise ValueError(f"format {meta.get('format')!r}, model {meta.get('model_id')!r}")
        texts = meta["texts"]
        if vectors.ndim != 2 or vectors.shape != (len(texts), dim):
            raise ValueError(f"vectors of shape {vectors.shape} for {len(texts)} texts of dim {dim}")
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, zipfile.BadZipFile) as exc:  # CRC-32 of a member
        log.warning("vector cache %s not used: %s", path, exc)
        return None
    return list(texts), vectors


def save_vectors(path: str | os.PathLike[str], model_id: str, texts: Sequence[str], vectors: np.ndarray) -> None:
    """Write ``texts`` and their ``vectors`` (one row each) to ``path`` atomically."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.shape[0] != len(texts):
        raise ValueError(f"{vectors.shape[0]} vectors for {len(texts)} texts")
    meta = json.dumps({"format": _FORMAT, "model_id": model_id, "texts": list(texts)}, ensure_ascii=False)
    buf = io.BytesIO()
    np.savez(buf, meta=np.frombuffer(meta.encode("utf-8"), dtype=np.uint8), vectors=vectors)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(target, buf.getvalue())



def encode_cached(path: str | os.PathLike[str], embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """``embedder.encode(texts)``: the matrix saved at ``path`` by an earlier call with exactly these texts (same
    model), else encoded — all of them in one call, as without a cache, so the rows are bit for bit what a start
    without the file computes — and saved."""
    texts = list(texts)
    dim = int(embedder.dim)
    saved = _read(path, embedder.model_id, dim)
    if saved is not None and saved[0] == texts:
        return saved[1]
    vectors = np.asarray(embedder.encode(texts), dtype=np.float32)
    try:
        save_vectors(path, embedder.model_id, texts, vectors)
    except OSError as exc:
        log.warning("could not save vectors to %s: %s", path, exc)
    return vectors
