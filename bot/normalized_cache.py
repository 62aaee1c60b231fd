"""FAQ example questions as the matcher normalises them, kept beside the FAISS index for the next start.

A warm start of a 10k-FAQ shop normalises its 30k example questions again (bot/normalize.py: NFKC and eight
regular expressions each, ~0.3 s) only to find the same strings. ``save`` keeps raw -> normalised text in one file;
``load`` gives it back only when it was written by this normaliser and is intact:

* keyed by the source of the modules that define the normalisation (bot/normalize.py, catalog/text.py) and the
  Unicode version of ``unicodedata`` (NFKC tables change with Python), so an edited normaliser never reads the
  pairs of the old one;
* a sha256 of the pairs in the header, so a damaged file is refused rather than half used;
* a sample of the pairs normalised again (``PROBE`` of them, spread over the file) must agree — a change the key
  does not see (a wrapper around ``normalize``) throws the file away.

A refused file is logged and rebuilt by the caller; a text missing from a good file is normalised as before. The
cache never decides anything: ``normalized[q]`` is what ``normalize_example(q)`` returns.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from catalog.files import write_atomically

log = logging.getLogger(__name__)

FILE = "examples.normalized.json"  # in index_dir
_FORMAT = 1
PROBE = 64
_SOURCES = ("bot.normalize", "catalog.text")


def normalizer_key() -> str:
    """What the normalised text depends on besides the input: the normaliser's source and Unicode's version."""
    h = hashlib.sha256(f"livereply-normalized/{_FORMAT}\0{unicodedata.unidata_version}\0".encode())
    for name in _SOURCES:
        module = sys.modules.get(name) or __import__(name, fromlist=["_"])
        h.update(name.encode() + b"\0" + Path(module.__file__ or "").read_bytes() + b"\0")
    return h.hexdigest()


def load(path: str | os.PathLike[str], normalize: Callable[[str], str]) -> dict[str, str]:
    """raw -> normalised text saved at ``path``; {} when it is missing, damaged, of another normaliser or when
    ``normalize`` disagrees with a sample of it (logged, except missing)."""
    try:
        raw = Path(path).read_bytes()
        head, _, body = raw.partition(b"\n")
        meta = json.loads(head)
        if meta.get("format") != _FORMAT or meta.get("key") != normalizer_key():
            raise ValueError("written by another normaliser")
        if hashlib.sha256(body).hexdigest() != meta.get("sha256"):
            raise ValueError("checksum does not match")
        texts, normalized = json.loads(body)
        if not (isinstance(texts, list) and isinstance(normalized, list) and len(texts) == len(normalized)):
            raise ValueError("malformed pairs")
        pairs = dict(zip(texts, normalized, strict=True))
        step = max(1, len(texts) // PROBE)
        for text in texts[::step]:
            if normalize(text) != pairs[text]:
                raise ValueError(f"{text!r} normalises differently now")
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, TypeError, KeyError, UnicodeDecodeError) as exc:
        log.warning("normalised examples cache %s not used: %s", path, exc)
        return {}
    return pairs


def save(path: str | os.PathLike[str], texts: Iterable[str], normalize: Callable[[str], str]) -> None:
    """Write ``texts`` (deduplicated, in order) and ``normalize`` of each to ``path`` atomically."""
    keys = list(dict.fromkeys(texts))
    body = json.dumps([keys, [normalize(t) for t in keys]], ensure_ascii=False).encode("utf-8")
    head = json.dumps({"format": _FORMAT, "key": normalizer_key(), "sha256": hashlib.sha256(body).hexdigest()})
    write_atomically(path, head.encode("utf-8") + b"\n" + body)  # the project's one atomic write (creates the dir)


def covers(pairs: Mapping[str, str], texts: Iterable[str]) -> bool:
    return all(t in pairs for t in texts)
