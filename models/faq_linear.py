"""A per-catalog linear scorer over FAQ example embeddings (ridge regression onto one-hot FAQ targets, pure numpy).

The FAQ matcher ranks by the best example cosine of each FAQ; a linear model fitted on all of a FAQ's examples at
once weighs the directions that separate FAQs (docs/EVAL.md §2: a linear classifier ranks HINT3 queries right 0.90
of the time where nearest examples get 0.80–0.86). Ridge rather than logistic regression because it has a closed
form, and so do the scores of a model fitted *without* a group of rows (a fold, or a whole FAQ), which is what
calibration needs to score its rows out of fold — exactly, in milliseconds, without refitting:

    with A = XᵀX + λI, W = A⁻¹XᵀY, U the left-out rows (targets Y_U), P = U A⁻¹ and G = P Uᵀ,
    U · W₋U = (I − G)⁻¹ (U W − G Y_U)

(the block form of the leave-one-out identity of linear smoothers). Queries other than the left-out rows use the
Sherman–Morrison–Woodbury form in ``scores_without``.

Only small catalogs get one (``fits``): the fit is one (d+1)² solve, the out-of-fold scores one k×k solve per group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

L2 = 0.3  # ridge penalty (inputs: unit-norm sentence embeddings plus a constant 1); chosen on calibration's out-of-fold rows
MAX_EXAMPLES = 3000  # larger catalogs keep the matcher alone (calibration must stay within a second or two)
MAX_FAQS = 500


def fits(n_examples: int, n_faqs: int) -> bool:
    """Whether a catalog is small enough for a linear scorer (and has two FAQs to tell apart)."""
    return 2 <= n_faqs <= MAX_FAQS and 0 < n_examples <= MAX_EXAMPLES


def _design(vectors: np.ndarray) -> np.ndarray:
    x = np.asarray(vectors, dtype=np.float64)
    if x.ndim == 1:
        x = x.reshape(1, -1)
    return np.hstack([x, np.ones((len(x), 1))])


@dataclass(frozen=True, eq=False)  # compared by identity (holds an array)
class FaqLinear:
    """score(query, faq) = [query, 1] · weights[:, faq]: about 1 for a FAQ's own paraphrases, about 0 elsewhere."""

    faq_ids: tuple[str, ...]
    weights: np.ndarray  # (dim + 1, n_faqs) float32
    l2: float = L2

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """(n, n_faqs) scores of query vectors (rows)."""
        x = np.asarray(vectors, dtype=np.float32)
        if x.ndim == 1:
            x = x.reshape(1, -1)
        return x @ self.weights[:-1] + self.weights[-1]


class RidgeFit:
    """The fitted system (kept for out-of-fold scores): A⁻¹, W, the design rows and their one-hot targets."""

    def __init__(self, vectors: np.ndarray, labels: Sequence[int], n_classes: int, l2: float = L2) -> None:
        self.x = _design(vectors)
        self.labels = np.asarray(labels, dtype=np.int64)
        if len(self.x) != len(self.labels) or len(self.labels) == 0:
            raise ValueError(f"need n vectors and n labels, got {len(self.x)} and {len(self.labels)}")
        self.y = np.zeros((len(self.labels), n_classes))
        self.y[np.arange(len(self.labels)), self.labels] = 1.0
        a = self.x.T @ self.x + l2 * np.eye(self.x.shape[1])
        self.a_inv = np.linalg.inv(a)
        self.a_inv = (self.a_inv + self.a_inv.T) / 2
        self.w = self.a_inv @ (self.x.T @ self.y)
        self.l2 = l2

    def model(self, faq_ids: Sequence[str]) -> FaqLinear:
        return FaqLinear(tuple(faq_ids), self.w.astype(np.float32), self.l2)

    def scores_without(self, rows: np.ndarray, queries: np.ndarray | None = None) -> np.ndarray:
        """Scores of the model fitted without ``rows`` (indices into the fitted rows): for those rows themselves
        when ``queries`` is None, else for the query vectors."""
        u = self.x[rows]
        yu = self.y[rows]
        p = u @ self.a_inv
        g = p @ u.T
        m = np.eye(len(rows)) - g
        resid = u @ self.w - g @ yu  # (k, c)
        own = np.linalg.solve(m, resid)  # U · W₋U
        if queries is None:
            return own
        q = _design(queries)
        r = (q @ self.a_inv) @ u.T  # (nq, k)
        # Q (A − UᵀU)⁻¹ (B − UᵀY_U) = Q W − R Y_U + R M⁻¹ (U W − G Y_U)
        return q @ self.w - r @ yu + r @ own


def fit_faq_linear(vectors: np.ndarray, labels: Sequence[int], faq_ids: Sequence[str], l2: float = L2) -> FaqLinear:
    """The scorer fitted on every example (``labels[i]`` = row of ``faq_ids``). Deterministic."""
    return RidgeFit(vectors, labels, len(faq_ids), l2).model(faq_ids)
