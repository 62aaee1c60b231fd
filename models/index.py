"""FAISS index over every example question of every FAQ.

One vector per (FAQ, example question) in an exact inner-product index (``IndexIDMap2(IndexFlatIP(dim))``);
vectors are L2-normalised so scores are cosines. Each vector has a stable int64 id that maps back to
``(faq_id, example)``, which makes incremental updates cheap: ``sync`` re-embeds only the examples of FAQs whose
questions changed and removes the ids of examples/FAQs that are gone. From ``SCAN_FROM`` vectors on, a search of a
query or few reads an 8-bit copy of the vectors first and re-scores its candidates exactly (models/scan.py).

Changes: the vectors live in a base index plus a small delta index (vectors added since the base was formed) and
tombstones (ids of base vectors removed since). A search reads the base ``fetch`` + tombstones deep, drops the
tombstoned ids and merges the delta's best: the same hits as one index holding the live vectors. Once delta and
tombstones outgrow ``COMPACT_MIN`` / ``COMPACT_SHARE`` of the base they are folded into a new base (and its 8-bit copy
retrained); ``save`` does so too. ``copy`` shares the base and its 8-bit copy (neither side ever changes a shared
base), so copy + sync of a one-FAQ edit costs the edit, not a 60 MB clone and append (10k-FAQ shop).

Thread-safety: ``search``/``search_texts`` only read and may run concurrently; ``sync`` mutates in place and must
not overlap any other call. For hot reload, callers ``copy()`` the live index, ``sync`` the copy off the hot path,
then swap the reference (a single assignment) — readers never see a half-synced index.

On disk (``save``/``load_or_build``): ``faq.index`` (FAISS) + ``faq.index.json`` (sidecar: model id, fingerprint,
id → (faq_id, example), per-FAQ content hashes, sha256 of the FAISS file). Both are written to a temp file and
renamed; the sidecar is written last and names the checksum of the index file it belongs to, so a crash between
the two renames is detected as corruption and triggers a rebuild.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple, Protocol

import faiss
import numpy as np

from models.errors import ModelFileError
from models.scan import CompressedScan, _stored_vectors

from .embedders import Embedder
from .threads import thread_budget

log = logging.getLogger(__name__)

__all__ = ["INDEX_FILE", "LOG_FILE", "SIDECAR_FILE", "FaqIndex", "FaqLike", "Hit", "IndexFileError", "SyncStats"]

# FAISS parallelises a search with OpenMP. For the hot path (one comment or a handful) on a busy 2-core box,
# 2 threads measured 7x slower at p50 than 1 (threads wait at OpenMP barriers behind other processes), so small
# searches run single-threaded; big batches use the process-wide budget (models/threads.py, the `threads` setting)
# or, when nothing capped the pools (library use, evaluation), the library default. OpenMP's setting is per calling
# thread, so it is applied on every search.
SMALL_SEARCH = 8
_FAISS_DEFAULT_THREADS = max(1, faiss.omp_get_max_threads())

# FAISS scores a flat index either query by query with its own SIMD loop or, for a batch, as one BLAS matrix product;
# which one is chosen by the process-wide `faiss.cvar.distance_compute_blas_threshold`, whose meaning and default
# changed between versions (1.8: BLAS from 20 queries; 1.15: from nq * dim >= 128,000, i.e. 250 queries of 512
# dimensions). One thread, 512 dimensions, 1k / 10k / 30k vectors (faiss 1.15.1, OpenBLAS): 64 queries take 6 / 430 /
# 1,030 ms the scalar way and 3 / 70 / 130 ms with BLAS; a single query 0.1 / 2 / 8.5 ms scalar but 0.3 / 9 / 34 ms with
# BLAS; BLAS wins from about 4 queries at every size. So each search picks its path itself: the threshold is set to
# "always" (0) or "never" just before the call, under a lock because the setting is global (two threads searching at
# once would otherwise each run the other's path: slower, never different). Both paths return the same hits (the
# scores may differ in the last float bits; tests/test_index.py).
BLAS_FROM = 4
# From this many vectors a search of fewer than BLAS_FROM queries reads an 8-bit copy of the vectors first and
# re-scores its candidates exactly (models/scan.py: 1.0 vs 2.1 ms per query at 30k vectors; no gain below ~8k).
SCAN_FROM = 12_000
_NEVER_BLAS = 2**31 - 1  # the threshold is a C int; nq * dim stays below it for any batch this bot searches
_search_lock = threading.Lock()

INDEX_FILE = "faq.index"
SIDECAR_FILE = "faq.index.json"
LOG_FILE = "faq.index.log"  # changes since the two files above were written (``save_changes``)
COMPACT_AFTER = 200  # log records before ``save_changes`` writes the whole index again
# A sync adds to a small delta index and tombstones removed base vectors; both are folded into a new base once they
# hold more than this many vectors, or this share of the base (10k-FAQ shop: ~300 changed examples)
COMPACT_MIN = 256
COMPACT_SHARE = 0.01
_FORMAT = 1


class FaqLike(Protocol):
    """Anything with an id and example questions (``catalog.snapshot.FaqInfo`` fits)."""

    @property
    def id(self) -> str: ...

    @property
    def questions(self) -> Sequence[str]: ...


class Hit(NamedTuple):
    """One match: the FAQ, the example question that matched best, and its score (cosine for dense search).

    A named tuple (immutable, compared by value) rather than a frozen dataclass: a search makes ~24 per text, and a
    tuple is built 3x faster."""

    faq_id: str
    example: str
    score: float


@dataclass(frozen=True, slots=True)
class SyncStats:
    """What ``sync`` did, counted in FAQs (``encoded`` counts example texts sent to the embedder)."""

    added: int  # FAQs that were not indexed before
    removed: int  # FAQs no longer present
    unchanged: int
    changed: int = 0  # FAQs whose example questions changed
    encoded: int = 0  # example texts embedded
    deleted_vectors: int = 0  # vectors removed from FAISS


class IndexFileError(ModelFileError):
    """A saved index that cannot be used (missing, corrupt, inconsistent)."""


def canonical_questions(questions: Iterable[str]) -> tuple[str, ...]:
    """Example questions as indexed: stripped, blanks dropped, duplicates dropped (first occurrence kept)."""
    seen: dict[str, None] = {}
    for q in questions:
        if not isinstance(q, str):
            raise TypeError(f"FAQ example question must be str, got {type(q).__name__}")
        q = q.strip()
        if q and q not in seen:
            seen[q] = None
    return tuple(seen)


def _faq_hash(faq_id: str, questions: tuple[str, ...]) -> str:
    payload = json.dumps([faq_id, sorted(questions)], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _collect(faqs: Iterable[FaqLike], known: dict[str, tuple[str, ...]] | None = None) -> dict[str, tuple[str, ...]]:
    """faq_id -> canonical examples; ``known``: canonical forms already computed for some FAQs."""
    out: dict[str, tuple[str, ...]] = {}
    known = known or {}
    for faq in faqs:
        fid = faq.id
        if not isinstance(fid, str) or not fid:
            raise ValueError(f"FAQ id must be a non-empty str, got {fid!r}")
        if fid in out:
            raise ValueError(f"duplicate FAQ id {fid!r}")
        canonical = known.get(fid)
        out[fid] = canonical if canonical is not None else canonical_questions(faq.questions)
    return out


def compute_fingerprint(model_id: str, faqs: dict[str, tuple[str, ...]]) -> str:
    """sha256 over the model id and the sorted (faq_id, sorted examples) pairs."""
    h = hashlib.sha256()
    h.update(b"livereply-faq-index/1\0")
    h.update(model_id.encode("utf-8"))
    for fid in sorted(faqs):
        h.update(b"\0")
        h.update(json.dumps([fid, sorted(faqs[fid])], ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return h.hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class FaqIndex:
    """Exact cosine search over FAQ example questions. Build with ``FaqIndex.build`` or ``load_or_build``."""

    def __init__(self, embedder: Embedder, *, _index: faiss.IndexIDMap2 | None = None) -> None:
        self.embedder = embedder
        self.model_id: str = embedder.model_id
        self.dim: int = int(embedder.dim)
        self._index: faiss.IndexIDMap2 = _index if _index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))
        self._entries: dict[int, tuple[str, str]] = {}  # vector id -> (faq_id, example)
        self._rows: dict[str, dict[str, int]] = {}  # faq_id -> {example: vector id}
        self._hashes: dict[str, str] = {}  # faq_id -> content hash
        self._next_id = 0
        # journal (see ``save_changes``): the saved files this index was read from / last written to, and what
        # ``sync`` changed since, not yet appended to the log
        self._base_sha: str | None = None
        self._pending: list[dict] = []
        self._log_records = 0
        self._log_dirty = False  # the log on disk had a bad record: the next save must be a full one
        # faq_id -> (the examples tuple last synced, its canonical form): an identical tuple is an unchanged FAQ
        self._seen: dict[str, tuple[Sequence[str], tuple[str, ...]]] = {}
        # Base + delta (see "Changes" in the module docstring): ``_index`` holds the vectors as of the last compaction
        # and is never changed once ``copy`` shared it; ``_delta`` the vectors added since (ids >= ``_base_top``),
        # ``_dead`` the ids of base vectors removed since (searched past and dropped).
        self._base_shared = False
        self._base_top = 0
        self._delta: faiss.IndexIDMap2 = faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))
        self._dead: frozenset[int] = frozenset()
        self._dead_ids = np.zeros(0, dtype=np.int64)  # ``_dead`` sorted, for the search's mask
        # vector id -> FAQ number (-1: no such vector) for the per-FAQ grouping of hits, kept in step by each change;
        # a FAQ keeps its number while it exists (numbers only need to differ between FAQs)
        self._faq_of = np.zeros(0, dtype=np.int64)
        self._faq_num: dict[str, int] = {}
        self._owned_rows: set[str] = set()  # FAQs whose ``_rows`` dict this index may change (``copy`` shares them)
        self._scan: CompressedScan | None = None  # 8-bit copy of the base for small searches, from SCAN_FROM vectors on
        self._scan_due = False  # read from disk: the copy is built by ``prepare`` (or the first search), not by read
        self._prepare_lock = threading.Lock()  # two first searches at once build the copy once

    # ------------------------------------------------------------------ building

    @classmethod
    def build(cls, embedder: Embedder, faqs: Iterable[FaqLike]) -> FaqIndex:
        """Embed every example question of every FAQ (FAQs without examples are remembered but not searchable)."""
        index = cls(embedder)
        index.sync(faqs)
        return index

    def sync(self, faqs: Iterable[FaqLike], *, pause: Callable[[], None] | None = None) -> SyncStats:
        """Make the index match ``faqs`` (the complete current set), embedding only what is new.

        Unchanged FAQs are untouched; for a changed FAQ only its new example questions are embedded and the
        vectors of its dropped examples are removed. Mutates in place — see the module docstring. ``pause``: called
        between the sync's passes over every FAQ (~10-25 ms each at 10k FAQs), where a hot reload lets the batch being
        decided go first.
        """
        pause = pause or _no_pause
        faq_list = list(faqs)
        # a FAQ handed over with the very tuple of examples synced last time is unchanged: no canonicalising
        seen = self._seen
        same = {f.id for f in faq_list if isinstance(f.questions, tuple) and (hit := seen.get(f.id)) and hit[0] is f.questions}
        pause()
        wanted = _collect(faq_list, {fid: seen[fid][1] for fid in same})
        pause()
        stats = self._sync(wanted, [fid for fid in self._rows if fid not in wanted], same, pause)
        pause()
        self._seen = {f.id: (f.questions, wanted[f.id]) for f in faq_list if isinstance(f.questions, tuple)}
        return stats

    def sync_changes(
        self, changed: Iterable[FaqLike], removed: Iterable[str] = (), *, pause: Callable[[], None] | None = None
    ) -> SyncStats:
        """``sync`` told what changed since the last sync: the ``changed`` FAQs (new or edited: all their examples)
        and the ids of the ``removed`` ones; every other FAQ is as synced before. Costs the change, not the catalog
        (a one-FAQ reload of a 10k-FAQ shop: no pass over 10k FAQs)."""
        changed_list = list(changed)
        wanted = _collect(changed_list)
        gone = [fid for fid in dict.fromkeys(removed) if fid in self._rows and fid not in wanted]
        stats = self._sync(wanted, gone, set(), pause or _no_pause)
        for fid in gone:
            self._seen.pop(fid, None)
        for f in changed_list:
            if isinstance(f.questions, tuple):
                self._seen[f.id] = (f.questions, wanted[f.id])
            else:
                self._seen.pop(f.id, None)
        return stats

    def _sync(
        self, wanted: dict[str, tuple[str, ...]], gone: list[str], same: set[str], pause: Callable[[], None]
    ) -> SyncStats:
        """Make the FAQs of ``wanted`` hold exactly these examples and drop the FAQs ``gone`` (``same``: FAQs of
        ``wanted`` known to be unchanged)."""
        removed_ids: list[int] = []
        added_pairs: list[tuple[str, str]] = []
        n_added = n_removed = n_changed = n_unchanged = 0

        for fid in gone:
            removed_ids.extend(self._rows[fid].values())
            n_removed += 1

        touched: list[str] = []  # FAQs added or changed (their hashes are recomputed)
        for fid, questions in wanted.items():
            old = self._rows.get(fid)
            if old is None:
                n_added += 1
                touched.append(fid)
                added_pairs.extend((fid, q) for q in questions)
            elif fid in same and fid in self._hashes:
                n_unchanged += 1
            elif len(old) == len(questions) and all(q in old for q in questions) and fid in self._hashes:
                n_unchanged += 1  # the same set of examples: the same hash, no need to compute it
            else:
                touched.append(fid)
                n_changed += 1
                keep = set(questions)
                removed_ids.extend(vid for ex, vid in old.items() if ex not in keep)
                added_pairs.extend((fid, q) for q in questions if q not in old)

        pause()
        vectors = self.embedder.encode([q for _, q in added_pairs]) if added_pairs else None
        if vectors is not None and vectors.shape != (len(added_pairs), self.dim):
            raise ValueError(f"embedder returned shape {vectors.shape}, expected {(len(added_pairs), self.dim)}")

        # Mutate only after the (fallible) encode succeeded.
        if removed_ids:
            self._remove_vectors(removed_ids)
        dropped = gone
        for fid in dropped:
            del self._rows[fid]
            self._hashes.pop(fid, None)
        ids = np.arange(self._next_id, self._next_id + len(added_pairs), dtype=np.int64)
        if added_pairs:
            assert vectors is not None
            self._next_id += len(added_pairs)
            self._add_vectors(vectors, ids, added_pairs)
        self._maybe_compact()
        hashes = {}
        for fid in touched:
            self._own_row(fid)
            hashes[fid] = self._hashes[fid] = _faq_hash(fid, wanted[fid])
        if removed_ids or added_pairs or hashes or dropped:
            self._pending.append(
                {
                    "remove": [int(v) for v in removed_ids],
                    "add": [[vid, fid, q] for vid, (fid, q) in zip(ids.tolist(), added_pairs, strict=True)],
                    "vectors": base64.b64encode(np.ascontiguousarray(vectors, dtype="<f4").tobytes()).decode("ascii")
                    if vectors is not None
                    else "",
                    "hashes": hashes,
                    "drop": dropped,
                    "next_id": self._next_id,
                }
            )

        stats = SyncStats(
            added=n_added,
            removed=n_removed,
            unchanged=n_unchanged,
            changed=n_changed,
            encoded=len(added_pairs),
            deleted_vectors=len(removed_ids),
        )
        log.debug("faq index sync: %s", stats)
        return stats

    def copy(self) -> FaqIndex:
        """An independent copy sharing the embedder — sync it, then swap it in. The base vectors (and their 8-bit
        copy) are shared, never copied: neither index changes them afterwards (a sync adds to its own delta and
        tombstones; a compaction builds a new base). Costs what the delta and the id maps cost, not the 60 MB."""
        self._base_shared = True
        self._owned_rows = set()  # the per-FAQ dicts are shared from now on: each side copies one before changing it
        other = FaqIndex(self.embedder, _index=self._index)
        other.model_id, other.dim = self.model_id, self.dim
        other._base_shared, other._base_top = True, self._base_top
        other._delta = self._clone_delta()
        other._dead, other._dead_ids = self._dead, self._dead_ids
        other._faq_of, other._faq_num = self._faq_of.copy(), dict(self._faq_num)
        other._entries = dict(self._entries)
        other._rows = dict(self._rows)
        other._hashes = dict(self._hashes)
        other._next_id = self._next_id
        other._base_sha, other._pending, other._log_records = self._base_sha, list(self._pending), self._log_records
        other._log_dirty = self._log_dirty
        other._seen = dict(self._seen)
        other._scan = self._scan
        other._scan_due = self._scan_due
        return other

    def _clone_delta(self) -> faiss.IndexIDMap2:
        clone = faiss.clone_index(self._delta)
        assert isinstance(clone, faiss.IndexIDMap2)
        return clone

    def prepare(self) -> None:
        """Build what a search of a big index read from disk reads first (the 8-bit copy, ~30 ms at 30k vectors).
        Start-up calls it last, after handing freed memory back to the OS: built any earlier, its 15 MB block sat
        below memory the start freed and kept ~15 MB more resident (10k-FAQ shop: 401 vs 385 MB after start)."""
        with self._prepare_lock:
            if self._scan_due:
                self._scan_due = False
                self._rebuild_scan()

    def _rebuild_scan(self) -> None:
        """The 8-bit copy of the base (none below SCAN_FROM vectors), trained on it; the delta is searched exactly."""
        if self._scan_due:
            return  # built by ``prepare`` from whatever the base holds then
        self._scan = CompressedScan.of(self._index) if int(self._index.ntotal) >= SCAN_FROM else None

    # ------------------------------------------------------------------ changes: base + delta + tombstones

    def _own_row(self, fid: str) -> dict[str, int]:
        """``_rows[fid]``, a dict of this index's own (copied first when ``copy`` shared it), created if missing."""
        row = self._rows.get(fid)
        if row is None or fid not in self._owned_rows:
            row = self._rows[fid] = dict(row) if row is not None else {}
            self._owned_rows.add(fid)
        return row

    def _remove_vectors(self, removed: Sequence[int]) -> None:
        """Drop vectors: from the delta when added since the base was formed, else as tombstones over the base."""
        ids = np.asarray(removed, dtype=np.int64)
        in_delta = ids[ids >= self._base_top]
        in_base = ids[ids < self._base_top]
        if len(in_delta):
            # faiss's stub lists only remove_ids(IDSelector); its Python wrapper also takes an int64 id array
            self._delta.remove_ids(in_delta)  # type: ignore[arg-type]
        if len(in_base):
            self._dead = self._dead | frozenset(in_base.tolist())
            self._dead_ids = np.asarray(sorted(self._dead), dtype=np.int64)
        self._faq_of[ids] = -1
        for vid in removed:
            fid, ex = self._entries.pop(vid)
            self._own_row(fid).pop(ex, None)

    def _add_vectors(self, vectors: np.ndarray, ids: np.ndarray, pairs: Sequence[tuple[str, str]]) -> None:
        """Add vectors (ids above every id so far) to the delta."""
        self._delta.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)
        if len(self._faq_of) < self._next_id:
            grown = np.full(max(self._next_id, 2 * len(self._faq_of)), -1, dtype=np.int64)
            grown[: len(self._faq_of)] = self._faq_of
            self._faq_of = grown
        numbers = self._faq_num
        for vid, (fid, q) in zip(ids.tolist(), pairs, strict=True):
            self._entries[vid] = (fid, q)
            self._own_row(fid)[q] = vid
            number = numbers.get(fid)
            if number is None:
                number = numbers[fid] = len(numbers)
            self._faq_of[vid] = number

    def _maybe_compact(self) -> None:
        """Fold the delta and tombstones into a new base once they are big enough to slow a search (or the base is
        empty: a first build), retraining the 8-bit copy on it."""
        pending = int(self._delta.ntotal) + len(self._dead)
        if pending and (not self._index.ntotal or pending > max(COMPACT_MIN, COMPACT_SHARE * int(self._index.ntotal))):
            self._compact()

    def _merged_base(self, *, in_place: bool) -> faiss.IndexIDMap2:
        """The base with the tombstoned vectors removed and the delta added: the base itself changed when
        ``in_place``, else a new index (the base untouched)."""
        base = self._index
        if not self._dead and not self._delta.ntotal:
            return base
        if not in_place:
            clone = faiss.clone_index(base)
            assert isinstance(clone, faiss.IndexIDMap2)
            base = clone
        if self._dead:
            base.remove_ids(self._dead_ids)  # type: ignore[arg-type]
        if self._delta.ntotal:
            ids = faiss.vector_to_array(self._delta.id_map).astype(np.int64)
            base.add_with_ids(np.array(_stored_vectors(self._delta)), ids)
        return base

    def _compact(self) -> None:
        """One base with every live vector (a new one when the current base is shared with a copy)."""
        if not self._dead and not self._delta.ntotal:
            return
        base = self._merged_base(in_place=not self._base_shared)
        self._index, self._base_shared, self._base_top = base, False, self._next_id
        self._delta = faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))
        self._dead, self._dead_ids = frozenset(), np.zeros(0, dtype=np.int64)
        self._rebuild_scan()

    def _rebuild_faq_table(self) -> None:
        """``_faq_of`` / ``_faq_num`` from the entries (after a read)."""
        self._faq_num = {fid: i for i, fid in enumerate(self._rows)}
        self._faq_of = np.full(self._next_id, -1, dtype=np.int64)
        if self._entries:
            self._faq_of[np.fromiter(self._entries, dtype=np.int64, count=len(self._entries))] = np.fromiter(
                (self._faq_num[fid] for fid, _ in self._entries.values()), dtype=np.int64, count=len(self._entries)
            )

    # ------------------------------------------------------------------ reading

    def __len__(self) -> int:
        """Number of indexed example questions (vectors)."""
        return int(self._index.ntotal) - len(self._dead) + int(self._delta.ntotal)

    @property
    def faq_ids(self) -> frozenset[str]:
        return frozenset(self._rows)

    def examples(self, faq_id: str) -> tuple[str, ...]:
        return tuple(self._rows.get(faq_id, ()))

    def vectors(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """The stored vectors of (faq_id, example) pairs, in order (KeyError for one not indexed): what a model fitted
        on the catalog's examples reads without embedding them again."""
        out = np.zeros((len(pairs), self.dim), dtype=np.float32)
        for i, (fid, example) in enumerate(pairs):
            vid = int(self._rows[fid][example])
            out[i] = (self._delta if vid >= self._base_top else self._index).reconstruct(vid)
        return out

    def holds(self, faqs: dict[str, tuple[str, ...]]) -> bool:
        """True when the index holds exactly these FAQs with exactly these (canonical) examples — what equal
        fingerprints mean for an index of this model, without hashing 30k examples."""
        rows = self._rows
        return len(rows) == len(faqs) and all(
            (have := rows.get(fid)) is not None and len(have) == len(qs) and all(q in have for q in qs)
            for fid, qs in faqs.items()
        )

    @property
    def fingerprint(self) -> str:
        return compute_fingerprint(self.model_id, {fid: tuple(rows) for fid, rows in self._rows.items()})

    def search(self, vectors: np.ndarray, k: int = 20, *, per_faq: bool = True) -> list[list[Hit]]:
        """Top-``k`` hits for each query vector (rows of ``vectors``; a single 1-D vector is accepted).

        With ``per_faq`` (default) each FAQ appears once, with its best-matching example, so ``hits[0]`` and
        ``hits[1]`` are different FAQs (the margin between them is meaningful). Without it, raw example hits.
        Hits are sorted by descending score.
        """
        q = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32))
        if q.ndim == 1:
            q = q.reshape(1, -1)
        if q.ndim != 2 or q.shape[1] != self.dim:
            raise ValueError(f"query vectors must have shape (n, {self.dim}), got {np.shape(vectors)}")
        if k < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        n_total = len(self)
        if q.shape[0] == 0:
            return []
        if n_total == 0:
            return [[] for _ in range(q.shape[0])]

        results: list[list[Hit] | None] = [None] * q.shape[0]
        todo = np.arange(q.shape[0])
        fetch = min(n_total, k if not per_faq else max(k * 4, k + 8))
        scan = None
        if len(todo) < BLAS_FROM:  # a query or few of a big index: the 8-bit copy first
            if self._scan_due:
                self.prepare()  # not called by the owner (library use, evaluation): once, here
            scan = self._scan
        while len(todo):
            faiss.omp_set_num_threads(1 if len(todo) <= SMALL_SEARCH else (thread_budget() or _FAISS_DEFAULT_THREADS))
            scores, labels = self._search_live(q[todo], fetch, scan)
            scan = None  # a deeper retry reads the exact index
            retry: list[int] = []
            for qi, hits in zip(todo.tolist(), self._to_hits(scores, labels, k, per_faq), strict=True):
                if len(hits) < k and fetch < n_total and per_faq:
                    retry.append(qi)  # many examples of few FAQs crowded the list: fetch deeper
                else:
                    results[qi] = hits
            todo = np.asarray(retry, dtype=np.int64)
            fetch = min(n_total, fetch * 4)
        return [r if r is not None else [] for r in results]

    def _search_live(self, q: np.ndarray, fetch: int, scan: CompressedScan | None) -> tuple[np.ndarray, np.ndarray]:
        """The best ``fetch`` live vectors per query, best first, padded with -inf / -1: the base searched ``fetch``
        plus as many as it has tombstones deep (so its best ``fetch`` live ones are among them) with the tombstoned
        ones dropped, merged with the delta's best ``fetch``."""
        n_base, n_delta, n_dead = int(self._index.ntotal), int(self._delta.ntotal), len(self._dead)
        parts: list[tuple[np.ndarray, np.ndarray]] = []
        if n_base:
            deep = min(n_base, fetch + n_dead)
            if scan is not None:
                scores, labels = scan.search(q, deep, self._index)
            else:
                scores, labels = self._faiss_search(q, deep)
            if n_dead:
                dead = np.isin(labels, self._dead_ids)
                labels = np.where(dead, -1, labels)
                scores = np.where(dead, -np.inf, scores).astype(np.float32)
            parts.append((scores, labels))
        if n_delta:
            parts.append(self._faiss_search(q, min(n_delta, fetch), index=self._delta))
        if len(parts) == 1 and not n_dead:
            return parts[0]
        if not parts:
            return np.full((len(q), fetch), -np.inf, np.float32), np.full((len(q), fetch), -1, np.int64)
        scores = np.concatenate([s for s, _ in parts], axis=1)
        labels = np.concatenate([lab for _, lab in parts], axis=1)
        scores = np.where(labels >= 0, scores, -np.inf).astype(np.float32)
        order = np.argsort(-scores, axis=1, kind="stable")[:, :fetch]
        return np.take_along_axis(scores, order, axis=1), np.take_along_axis(labels, order, axis=1)

    def _faiss_search(
        self, q: np.ndarray, fetch: int, *, blas: bool | None = None, index: faiss.IndexIDMap2 | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """FAISS search (of the base, or ``index``) on the path that is faster for this many queries (``blas``
        forces one: tests)."""
        use_blas = len(q) >= BLAS_FROM if blas is None else blas
        with _search_lock:
            faiss.cvar.distance_compute_blas_threshold = 0 if use_blas else _NEVER_BLAS
            return (self._index if index is None else index).search(q, fetch)

    def _to_hits(self, scores: np.ndarray, labels: np.ndarray, k: int, per_faq: bool) -> list[list[Hit]]:
        """Hits of each row of a FAISS result, best first: its first ``k`` labels, or with ``per_faq`` the first
        label of each of its first ``k`` FAQs. Vectorised over the rows; Python touches only the kept hits."""
        valid = labels >= 0  # FAISS pads a short result with -1 at the end
        if per_faq:
            faq_of = self._faq_of
            faqs = np.where(valid, faq_of[np.where(valid, labels, 0)], -1)
            order = np.argsort(faqs, axis=1, kind="stable")  # by FAQ, best first within a FAQ
            by_faq = np.take_along_axis(faqs, order, axis=1)
            first = np.ones(by_faq.shape, dtype=bool)
            first[:, 1:] = by_faq[:, 1:] != by_faq[:, :-1]
            keep = np.zeros(valid.shape, dtype=bool)
            np.put_along_axis(keep, order, first & (by_faq >= 0), axis=1)
        else:
            keep = valid
        keep &= np.cumsum(keep, axis=1) <= k
        rows, cols = np.nonzero(keep)  # row by row, best first
        out: list[list[Hit]] = [[] for _ in range(len(labels))]
        entries = self._entries
        for row, label, score in zip(rows.tolist(), labels[rows, cols].tolist(), scores[rows, cols].tolist(), strict=True):
            fid, example = entries[label]
            out[row].append(Hit(fid, example, score))
        return out

    def search_texts(self, texts: Sequence[str], k: int = 20, *, per_faq: bool = True) -> list[list[Hit]]:
        """Encode ``texts`` with this index's embedder and search."""
        return self.search(self.embedder.encode(texts), k, per_faq=per_faq)

    # ------------------------------------------------------------------ persistence

    def save(self, directory: str | os.PathLike[str]) -> None:
        """Write ``faq.index`` and ``faq.index.json`` into ``directory`` (created if needed), each atomically."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        # one FAISS index on disk: the base with the delta folded in — into a new index, never into this one's base:
        # a save can run on the index the deciding thread is searching (a reload that retries a failed save)
        merged = self._merged_base(in_place=False)
        blob = faiss.serialize_index(merged).tobytes()
        sha = hashlib.sha256(blob).hexdigest()
        sidecar = {
            "format": _FORMAT,
            "model_id": self.model_id,
            "dim": self.dim,
            "fingerprint": self.fingerprint,
            "ntotal": int(merged.ntotal),
            "next_id": self._next_id,
            "index_sha256": sha,
            "entries": {str(vid): [fid, ex] for vid, (fid, ex) in sorted(self._entries.items())},
            "faqs": {fid: {"hash": self._hashes[fid]} for fid in sorted(self._rows)},
        }
        _atomic_write(d / INDEX_FILE, blob)
        _atomic_write(d / SIDECAR_FILE, json.dumps(sidecar, ensure_ascii=False).encode("utf-8"))
        # The log's records name the old base: a crash before this unlink leaves them ignored, never misapplied.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(d / LOG_FILE)
        self._base_sha, self._pending, self._log_records, self._log_dirty = sha, [], 0, False

    def save_changes(self, directory: str | os.PathLike[str]) -> str:
        """Persist what ``sync`` changed since this index was read or saved, in time proportional to the change:
        the changes are appended to ``faq.index.log`` (one checksummed JSON line per sync, naming the base files
        they apply to, fsynced). A full ``save`` instead when there is no base yet, the log had a bad record, or it
        holds ``COMPACT_AFTER`` records. Returns "full", "log" or "none". A crash mid-append leaves a torn last
        line that ``read`` ignores; the catalog sync at the next start re-embeds what it lacked."""
        d = Path(directory)
        if self._base_sha is None or self._log_dirty or self._log_records + len(self._pending) > COMPACT_AFTER:
            self.save(d)
            return "full"
        if not self._pending:
            return "none"
        lines = []
        for rec in self._pending:
            body = json.dumps({"base": self._base_sha, **rec}, ensure_ascii=False, sort_keys=True)
            lines.append(json.dumps({"sum": hashlib.sha256(body.encode("utf-8")).hexdigest(), "body": body}) + "\n")
        with open(d / LOG_FILE, "ab") as f:
            f.write("".join(lines).encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        self._log_records += len(self._pending)
        self._pending = []
        return "log"

    def _replay_log(self, path: Path) -> set[str]:
        """Apply the records of the log at ``path`` that belong to this base, in order, up to the first one that is
        torn, foreign or inconsistent (then ``_log_dirty``: the next save is a full one). Returns the FAQs touched."""
        touched: set[str] = set()
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return touched
        for line in raw.split(b"\n"):
            if not line:
                continue
            try:
                outer = json.loads(line)
                body = outer["body"]
                if hashlib.sha256(body.encode("utf-8")).hexdigest() != outer["sum"]:
                    raise ValueError("checksum")
                rec = json.loads(body)
                if rec["base"] != self._base_sha:
                    raise ValueError("record of another base")
                touched.update(self._apply_record(rec))
            except (ValueError, KeyError, TypeError) as exc:
                log.warning("FAQ index log %s: stopped at a bad record (%s); the catalog sync fills the gap", path, exc)
                self._log_dirty = True
                return touched
            self._log_records += 1
        return touched

    def _apply_record(self, rec: dict) -> set[str]:
        removed = [int(v) for v in rec["remove"]]
        added = [(int(vid), str(fid), str(q)) for vid, fid, q in rec["add"]]
        vectors = np.frombuffer(base64.b64decode(rec["vectors"]), dtype="<f4") if added else np.zeros(0, np.float32)
        if any(v not in self._entries for v in removed) or any(vid in self._entries for vid, _, _ in added):
            raise ValueError("ids do not fit the index")
        if vectors.size != len(added) * self.dim or int(rec["next_id"]) < self._next_id:
            raise ValueError("vectors or next_id do not fit")
        if removed:
            self._remove_vectors(removed)
        for fid in rec["drop"]:
            self._rows.pop(fid, None)
            self._hashes.pop(fid, None)
        ids = np.asarray([vid for vid, _, _ in added], dtype=np.int64)
        if added:
            self._next_id = max(self._next_id, int(ids.max()) + 1)
            added_vectors = np.ascontiguousarray(vectors.reshape(len(added), self.dim), dtype=np.float32)
            self._add_vectors(added_vectors, ids, [(fid, q) for _, fid, q in added])
        self._maybe_compact()
        for fid, h in rec["hashes"].items():
            self._own_row(fid)
            self._hashes[fid] = str(h)
        self._next_id = int(rec["next_id"])
        return {fid for _, fid, _ in added} | set(rec["hashes"])

    @classmethod
    def read(cls, directory: str | os.PathLike[str], embedder: Embedder) -> FaqIndex:
        """Load a saved index as it is (no catalog check). Raises IndexFileError when it is missing, corrupt,
        inconsistent, or was built with another model."""
        d = Path(directory)
        side_path, index_path = d / SIDECAR_FILE, d / INDEX_FILE
        if not side_path.is_file() or not index_path.is_file():
            raise IndexFileError(f"no saved index in {d}")
        # Hashed in chunks and read by FAISS from the file itself: no 60 MB bytes object and copy of it in memory
        # next to the index (a warm start's peak RSS); a file replaced in between is caught by its stat changing.
        # The hash runs in a thread beside the sidecar parse and the FAISS read (hashlib and FAISS release the GIL)
        # and is compared before anything is returned.
        before = index_path.stat()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="index-sha256") as pool:
            hashing = pool.submit(_file_sha256, index_path)
            try:
                side = json.loads(side_path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise IndexFileError(f"{side_path}: unreadable sidecar ({exc})") from exc
            if not isinstance(side, dict) or side.get("format") != _FORMAT:
                raise IndexFileError(
                    f"{side_path}: unknown sidecar format {side.get('format') if isinstance(side, dict) else None!r}"
                )
            if side.get("model_id") != embedder.model_id:
                raise IndexFileError(
                    f"{side_path}: built with model {side.get('model_id')!r}, current is {embedder.model_id!r}"
                )
            try:
                index = faiss.read_index(str(index_path))
            except Exception as exc:  # faiss raises RuntimeError with a C++ message
                raise IndexFileError(f"{index_path}: unreadable FAISS index ({exc})") from exc
            try:
                digest = hashing.result()
            except OSError as exc:
                raise IndexFileError(f"{index_path}: unreadable ({exc})") from exc
        if digest != side.get("index_sha256"):
            raise IndexFileError(f"{index_path}: checksum does not match {side_path.name}")
        after = index_path.stat()
        if (before.st_ino, before.st_size, before.st_mtime_ns) != (after.st_ino, after.st_size, after.st_mtime_ns):
            raise IndexFileError(f"{index_path}: replaced while it was read")
        if not isinstance(index, faiss.IndexIDMap2) or index.d != int(embedder.dim):
            raise IndexFileError(
                f"{index_path}: expected IndexIDMap2 of dim {embedder.dim}, got {type(index).__name__} d={index.d}"
            )
        try:
            entries = {int(vid): (str(fe[0]), str(fe[1])) for vid, fe in side["entries"].items()}
            hashes = {str(fid): str(meta["hash"]) for fid, meta in side["faqs"].items()}
            next_id = int(side["next_id"])
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise IndexFileError(f"{side_path}: malformed sidecar ({exc!r})") from exc
        ids = faiss.vector_to_array(index.id_map)
        if len(ids) != len(entries) or set(ids.tolist()) != set(entries):
            raise IndexFileError(f"{d}: FAISS ids and sidecar entries disagree ({len(ids)} vs {len(entries)})")
        if entries and next_id <= max(entries):
            raise IndexFileError(f"{side_path}: next_id {next_id} not above the largest id")

        out = cls(embedder, _index=index)
        out._entries = entries
        out._hashes = hashes
        out._rows = {fid: {} for fid in hashes}
        for vid, (fid, ex) in sorted(entries.items()):
            if fid not in out._rows:
                raise IndexFileError(f"{side_path}: entry {vid} names unknown FAQ {fid!r}")
            out._rows[fid][ex] = vid
        # The stored fingerprint (checked next) covers every entry; the per-FAQ hashes are not checked one by one
        # as well (10k sha256 at every start): sync no longer decides anything from them.
        out._next_id = out._base_top = next_id
        out._owned_rows = set(out._rows)
        out._rebuild_faq_table()
        if side.get("fingerprint") != out.fingerprint:
            raise IndexFileError(f"{side_path}: stored fingerprint does not match the entries")
        out._base_sha = str(side.get("index_sha256"))
        out._scan_due = True  # not saved: built from the exact vectors by ``prepare`` (~30 ms), after the log replay
        for fid in out._replay_log(d / LOG_FILE):  # what the log changed must be as consistent as the base
            if fid in out._rows and _faq_hash(fid, tuple(out._rows[fid])) != out._hashes.get(fid):
                raise IndexFileError(f"{d / LOG_FILE}: content hash of FAQ {fid!r} does not match after the log")
        return out

    @classmethod
    def load_or_build(
        cls,
        directory: str | os.PathLike[str],
        embedder: Embedder,
        faqs: Iterable[FaqLike],
        *,
        save: bool = True,
    ) -> tuple[FaqIndex, Literal["loaded", "synced", "built"]]:
        """The saved index if it matches ``faqs`` and the model ("loaded"); synced incrementally when only some
        FAQs differ ("synced"); rebuilt from scratch when the model differs or the files are missing/corrupt
        ("built", reason logged). With ``save`` the result is written back when it is not "loaded"."""
        faq_list = list(faqs)
        wanted = _collect(faq_list)
        how: Literal["loaded", "synced", "built"]
        try:
            index = cls.read(directory, embedder)
        except IndexFileError as exc:
            if (Path(directory) / SIDECAR_FILE).exists() or (Path(directory) / INDEX_FILE).exists():
                log.warning("rebuilding FAQ index: %s", exc)
            else:
                log.info("building FAQ index: %s", exc)
            index, how = cls.build(embedder, faq_list), "built"
        else:
            if index.holds(wanted):  # same model (read checked it) and the same examples: the same fingerprint
                if save and index._log_dirty:
                    with contextlib.suppress(OSError):
                        index.save(directory)
                return index, "loaded"
            stats = index.sync(faq_list)
            log.info("FAQ index in %s synced with the catalog: %s", directory, stats)
            how = "synced"
        if save:
            try:
                index.save(directory)
            except OSError as exc:
                log.warning("could not save FAQ index to %s: %s", directory, exc)
        return index, how

    @classmethod
    def load(cls, directory: str | os.PathLike[str], embedder: Embedder, faqs: Iterable[FaqLike]) -> FaqIndex:
        """Contract name: ``load_or_build`` without the how."""
        return cls.load_or_build(directory, embedder, faqs)[0]

    def __repr__(self) -> str:
        return f"<FaqIndex {self.model_id} faqs={len(self._rows)} vectors={len(self)}>"


def _no_pause() -> None:
    return None
