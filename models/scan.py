"""A compact copy of a big flat index for the hot path's small searches, re-scored exactly.

A flat index answers a query by reading every stored vector: at 30k example questions × 512 floats that is 62 MB per
query, memory-bound, 2–2.5 ms on one core of these boxes quiet and ~4.6 ms in the bot (whose encoder evicts the
caches between searches) — more than the sentence encoder itself for the one-to-three-comment batches of a paced room.
An 8-bit copy of the same vectors (FAISS ``QT_8bit_uniform`` scalar quantizer: one value range for every component,
trained on the vectors) is a quarter of the bytes. It is read first for twice the candidates asked for; those are
scored again in float32 from the exact index and the best ``fetch`` returned, so every score is exact and the order
of hits is the exact order among the candidates.

What it can change: a hit whose exact rank is within ``fetch`` but whose 8-bit score falls below ``2 × fetch``
other candidates is missed. The 8-bit error of a cosine measured on the 10k-FAQ shop was below 0.001 (30,152
vectors, 200 queries: the same top-1 and every exact top-20 example inside the candidates); tests/test_index.py
checks identical hits on scattered random vectors, where quantisation matters most. Measured (one thread, 512
dimensions, one query, fetch 80 → 160 candidates re-scored): flat 0.4 / 1.2 / 2.1 ms at 8k / 16k / 30k vectors, this
0.35 / 0.58 / 1.04 ms; below ~8k vectors flat is as fast and exact, so the owner only keeps a copy from
``SCAN_FROM`` vectors on (models/index.py). Memory: a byte per dimension per vector (15 MB at 30k).
"""

from __future__ import annotations

import faiss
import numpy as np

__all__ = ["CANDIDATES", "CompressedScan"]

CANDIDATES = 2  # candidates read from the 8-bit copy per hit asked for, re-scored exactly
RETRAIN_AFTER = 0.25  # vectors added since training, as a share of the whole: train the value range again


class CompressedScan:
    """8-bit copies of the vectors of an exact ``IndexIDMap2`` (same ids), kept in step by its owner."""

    def __init__(self, dim: int, index: faiss.IndexIDMap2, *, trained_on: int) -> None:
        self.dim = dim
        self._index = index
        self._trained_on = trained_on
        self._added = 0
        self._outside = False  # a vector added since training had a value outside the trained range (clipped)
        quantizer = faiss.downcast_index(index.index)
        assert isinstance(quantizer, faiss.IndexScalarQuantizer)
        trained = faiss.vector_to_array(quantizer.sq.trained)  # QT_8bit_uniform: [low, width]
        self._low, self._high = (float(trained[0]), float(trained[0] + trained[1])) if len(trained) >= 2 else (-1.0, 1.0)

    @classmethod
    def of(cls, exact: faiss.IndexIDMap2) -> CompressedScan:
        """A copy of every vector of ``exact``, its value range trained on them."""
        ids = faiss.vector_to_array(exact.id_map).astype(np.int64)
        vectors = _stored_vectors(exact)
        quantizer = faiss.IndexScalarQuantizer(exact.d, faiss.ScalarQuantizer.QT_8bit_uniform, faiss.METRIC_INNER_PRODUCT)
        quantizer.train(vectors)
        index = faiss.IndexIDMap2(quantizer)
        if len(ids):
            index.add_with_ids(vectors, ids)
        return cls(int(exact.d), index, trained_on=len(ids))

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def copy(self) -> CompressedScan:
        clone = faiss.clone_index(self._index)
        assert isinstance(clone, faiss.IndexIDMap2)
        other = CompressedScan(self.dim, clone, trained_on=self._trained_on)
        other._added, other._outside = self._added, self._outside
        return other

    def remove(self, ids: np.ndarray) -> None:
        if len(ids):
            self._index.remove_ids(np.asarray(ids, dtype=np.int64))  # type: ignore[arg-type]

    def add(self, vectors: np.ndarray, ids: np.ndarray) -> None:
        """Add vectors (values outside the trained range are clipped; their exact scores come from the re-scoring)."""
        if len(ids):
            vectors = np.ascontiguousarray(vectors, dtype=np.float32)
            self._index.add_with_ids(vectors, np.asarray(ids, dtype=np.int64))
            self._added += len(ids)
            self._outside = self._outside or float(vectors.min()) < self._low or float(vectors.max()) > self._high

    def stale(self) -> bool:
        """True once many vectors were added after the value range was trained, or one with a value outside it
        (clipped: its candidates could be missed). Rebuild with ``of``."""
        return self._outside or self._added > RETRAIN_AFTER * max(self._trained_on, 1)

    def search(self, queries: np.ndarray, fetch: int, exact: faiss.IndexIDMap2) -> tuple[np.ndarray, np.ndarray]:
        """Like ``exact.search(queries, fetch)``: (scores, ids), each row best first, padded with -inf / -1."""
        n_total = len(self)
        wanted = min(n_total, fetch * CANDIDATES)
        _, labels = self._index.search(queries, wanted)
        scores_out = np.full((len(queries), fetch), -np.inf, dtype=np.float32)
        labels_out = np.full((len(queries), fetch), -1, dtype=np.int64)
        for row, (query, found) in enumerate(zip(queries, labels, strict=True)):
            found = found[found >= 0]
            if not len(found):
                continue
            exact_scores = exact.reconstruct_batch(found) @ query
            best = np.argsort(-exact_scores, kind="stable")[:fetch]
            scores_out[row, : len(best)] = exact_scores[best]
            labels_out[row, : len(best)] = found[best]
        return scores_out, labels_out


def _stored_vectors(exact: faiss.IndexIDMap2) -> np.ndarray:
    """The float32 vectors of a flat ``exact`` index, row i for ``exact.id_map[i]``, read in place (a 62 MB copy at
    30k vectors would stay in the process's heap after start; other index types are reconstructed)."""
    inner = faiss.downcast_index(exact.index)
    n, d = int(inner.ntotal), int(inner.d)
    if n == 0:
        return np.zeros((0, d), dtype=np.float32)
    if isinstance(inner, faiss.IndexFlat):
        return faiss.rev_swig_ptr(inner.get_xb(), n * d).reshape(n, d)
    return exact.reconstruct_batch(faiss.vector_to_array(exact.id_map).astype(np.int64))
