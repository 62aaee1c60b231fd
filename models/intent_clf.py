"""A small linear intent classifier on sentence embeddings, with an out-of-scope confidence (numpy only).

Multinomial logistic regression on the L2-normalised embeddings (inputs scaled by ``scale``, L2 penalty ``l2``,
full-batch gradient descent with momentum — a few hundred rows train in milliseconds, 15k rows in ~25 s on one core).

Confidence for the abstain decision = max class probability + cosine of the nearest training example (range about
0..2). The probability says "which intent", the nearest-example cosine says "is this like anything we were shown":
a query from an unseen intent often gets a confident probability (softmax must pick someone) but a low cosine.
Chosen by measurement (docs/EVAL.md §2) against per-class kNN means, margins, softmax temperatures and centroids.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)

SCALE = 10.0
L2 = 1e-2
ITERS = 300
STEP = 0.5
MOMENTUM = 0.9


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


@dataclass(frozen=True, slots=True)
class LinearIntentClassifier:
    weights: np.ndarray  # (dim, n_classes)
    bias: np.ndarray  # (n_classes,)
    examples: np.ndarray  # (n_examples, dim) training vectors, for the nearest-example cosine
    scale: float = SCALE

    @classmethod
    def fit(
        cls,
        vectors: np.ndarray,
        labels: np.ndarray,
        n_classes: int,
        *,
        scale: float = SCALE,
        l2: float = L2,
        iters: int = ITERS,
    ) -> LinearIntentClassifier:
        """Fit on L2-normalised rows ``vectors`` with integer ``labels`` in ``range(n_classes)``."""
        x = np.asarray(vectors, dtype=np.float32)
        y = np.asarray(labels, dtype=np.int64)
        if x.ndim != 2 or len(x) != len(y) or len(x) == 0:
            raise ValueError(f"need (n, dim) vectors and n labels, got {x.shape} and {y.shape}")
        if n_classes < 1 or y.min() < 0 or y.max() >= n_classes:
            raise ValueError(f"labels must lie in range({n_classes})")
        xs = x * np.float32(scale)
        n, dim = xs.shape
        onehot = np.zeros((n, n_classes), dtype=np.float32)
        onehot[np.arange(n), y] = 1.0
        w = np.zeros((dim, n_classes), dtype=np.float32)
        b = np.zeros(n_classes, dtype=np.float32)
        vw = np.zeros_like(w)
        vb = np.zeros_like(b)
        for _ in range(iters):
            grad = _softmax(xs @ w + b)
            grad -= onehot
            grad /= n
            vw *= MOMENTUM
            vw -= STEP * (xs.T @ grad + l2 * w)
            vb *= MOMENTUM
            vb -= STEP * grad.sum(axis=0)
            w += vw
            b += vb
        return cls(weights=w, bias=b, examples=x, scale=scale)

    def proba(self, query_vectors: np.ndarray) -> np.ndarray:
        """(n_queries, n_classes) class probabilities."""
        q = np.asarray(query_vectors, dtype=np.float32)
        return _softmax((q * np.float32(self.scale)) @ self.weights + self.bias)

    def predict(self, query_vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(predicted class, confidence, probabilities) per query; confidence = max probability + nearest cosine."""
        q = np.asarray(query_vectors, dtype=np.float32)
        p = self.proba(q)
        nearest = (q @ self.examples.T).max(axis=1) if len(q) else np.zeros(0, dtype=np.float32)
        return p.argmax(axis=1), p.max(axis=1) + nearest, p
