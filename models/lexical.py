"""Lexical (BM25) matching over FAQ example questions, and fusion of lexical with dense hits.

Terms: for CJK runs, character 1-, 2- and 3-grams; for Latin/digit runs, whole words plus character 3-grams of
each word padded with ``^``/``$`` (so "ship"/"shipping" share grams). Text is NFKC-folded and lower-cased first.

Pure numpy: postings are stored per term as (doc ids, precomputed BM25 tf weights), so a query costs one
vectorised add per distinct query term. ``Hit.score`` is the BM25 score divided by the query's score
against itself as a document, so it is roughly in [0, 1] (it can exceed 1 slightly for very short documents).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np

from .index import FaqLike, Hit, canonical_questions

__all__ = ["LexicalIndex", "fuse_hits", "tokenize"]

_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_RUN = re.compile(rf"([{_CJK}]+)|([^\W_{_CJK}]+)", re.UNICODE)


def tokenize(text: str) -> list[str]:
    """Index terms of ``text`` (with repeats; order is not meaningful)."""
    text = unicodedata.normalize("NFKC", text).lower()
    terms: list[str] = []
    for m in _RUN.finditer(text):
        cjk, other = m.group(1), m.group(2)
        if cjk:
            n = len(cjk)
            terms.extend(cjk)
            terms.extend(cjk[i : i + 2] for i in range(n - 1))
            terms.extend(cjk[i : i + 3] for i in range(n - 2))
        else:
            terms.append("w:" + other)
            if len(other) > 2:
                padded = f"^{other}$"
                terms.extend(padded[i : i + 3] for i in range(len(padded) - 2))
    return terms


class LexicalIndex:
    """BM25 over FAQ example questions; ``search`` returns the same ``Hit`` as the dense ``FaqIndex``."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = float(k1), float(b)
        self._doc_faq: list[str] = []
        self._doc_text: list[str] = []
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._idf: dict[str, float] = {}
        self._avgdl = 1.0

    @classmethod
    def build(cls, faqs: Iterable[FaqLike], *, k1: float = 1.2, b: float = 0.75) -> LexicalIndex:
        pairs = [(faq.id, q) for faq in faqs for q in canonical_questions(faq.questions)]
        return cls.from_pairs(pairs, k1=k1, b=b)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]], *, k1: float = 1.2, b: float = 0.75) -> LexicalIndex:
        """Build from (faq_id, example question) pairs."""
        self = cls(k1, b)
        doc_terms: list[Counter[str]] = []
        for fid, text in pairs:
            self._doc_faq.append(fid)
            self._doc_text.append(text)
            doc_terms.append(Counter(tokenize(text)))
        n = len(doc_terms)
        lengths = np.asarray([sum(c.values()) for c in doc_terms], dtype=np.float64)
        self._avgdl = float(lengths.mean()) if n and lengths.mean() > 0 else 1.0

        docs_by_term: dict[str, list[int]] = {}
        tfs_by_term: dict[str, list[int]] = {}
        for d, counts in enumerate(doc_terms):
            for term, tf in counts.items():
                docs_by_term.setdefault(term, []).append(d)
                tfs_by_term.setdefault(term, []).append(tf)
        for term, docs in docs_by_term.items():
            d_arr = np.asarray(docs, dtype=np.int64)
            tfs = np.asarray(tfs_by_term[term], dtype=np.float64)
            norm = self.k1 * (1.0 - self.b + self.b * lengths[d_arr] / self._avgdl)
            self._postings[term] = (d_arr, (tfs * (self.k1 + 1.0) / (tfs + norm)).astype(np.float32))
            df = len(docs)
            self._idf[term] = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        return self

    def __len__(self) -> int:
        return len(self._doc_faq)

    def _self_score(self, counts: Counter[str]) -> float:
        """Score of the query against itself as a document: the normaliser that puts an exact match near 1."""
        dl = sum(counts.values())
        norm = self.k1 * (1.0 - self.b + self.b * dl / self._avgdl)
        total = 0.0
        for term, tf in counts.items():
            idf = self._idf.get(term)
            if idf is not None:
                total += idf * (1.0 + math.log(tf)) * tf * (self.k1 + 1.0) / (tf + norm)
        return total

    def scores(self, text: str) -> np.ndarray:
        """Normalised BM25 score of ``text`` against every example (float32, one per example)."""
        scores = np.zeros(len(self._doc_faq), dtype=np.float32)
        counts = Counter(tokenize(text))
        for term, qtf in counts.items():
            post = self._postings.get(term)
            if post is None:
                continue
            docs, weights = post
            # A term repeated in the query counts with weight 1 + log(qtf) (sublinear query-side tf).
            scores[docs] += np.float32(self._idf[term] * (1.0 + math.log(qtf))) * weights
        denom = self._self_score(counts)
        if denom > 0:
            scores /= np.float32(denom)
        return scores

    def search(self, texts: Sequence[str], k: int = 20, *, per_faq: bool = True) -> list[list[Hit]]:
        """Top-``k`` hits per text, one per FAQ by default (its best example), zero-score documents excluded."""
        if isinstance(texts, str):
            raise TypeError("search() takes a sequence of strings, not a single string")
        if k < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        out: list[list[Hit]] = []
        for text in texts:
            s = self.scores(text)
            positive = int(np.count_nonzero(s > 0))
            fetch = min(positive, max(4 * k, k + 8) if per_faq else k)
            while True:
                if fetch == 0:
                    top: np.ndarray = np.zeros(0, dtype=np.int64)
                elif fetch < len(s):
                    part = np.argpartition(-s, fetch - 1)[:fetch]
                    top = part[np.argsort(-s[part], kind="stable")]
                else:
                    top = np.argsort(-s, kind="stable")[:fetch]
                hits: list[Hit] = []
                seen: set[str] = set()
                for d in top.tolist():
                    fid = self._doc_faq[d]
                    if per_faq:
                        if fid in seen:
                            continue
                        seen.add(fid)
                    hits.append(Hit(fid, self._doc_text[d], float(s[d])))
                    if len(hits) == k:
                        break
                if len(hits) == k or fetch >= positive:
                    break
                fetch = min(positive, fetch * 4)  # one FAQ's many examples crowded the top: look deeper
            out.append(hits)
        return out


def fuse_hits(
    dense: Sequence[Hit],
    lexical: Sequence[Hit],
    *,
    method: Literal["rrf", "score"] = "score",
    weight: float = 0.3,
    rrf_k: int = 60,
    k: int | None = None,
) -> list[Hit]:
    """Merge one query's dense and lexical per-FAQ hit lists into one ranking.

    * ``"score"``: ``(1 - weight) * dense_score + weight * lexical_score`` (a FAQ absent from a list scores 0
      there); scores stay comparable with a threshold tuned for the same weight.
    * ``"rrf"``: reciprocal-rank fusion, ``sum 1 / (rrf_k + rank)``; ranks only, scores are not thresholdable.

    The example shown is the dense one when the FAQ has a dense hit (else the lexical one).
    """
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"weight must be in [0, 1], got {weight}")
    fused: dict[str, float] = {}
    example: dict[str, str] = {}
    for hits, w, is_dense in ((dense, 1.0 - weight, True), (lexical, weight, False)):
        for rank, h in enumerate(hits, start=1):
            part = 1.0 / (rrf_k + rank) if method == "rrf" else w * h.score
            fused[h.faq_id] = fused.get(h.faq_id, 0.0) + part
            if is_dense or h.faq_id not in example:
                example.setdefault(h.faq_id, h.example)
    if method not in ("rrf", "score"):
        raise ValueError(f"unknown fusion method {method!r}")
    ranked = sorted(fused.items(), key=lambda kv: -kv[1])
    if k is not None:
        ranked = ranked[:k]
    return [Hit(fid, example[fid], score) for fid, score in ranked]
