"""Lexical (BM25) matching over FAQ example questions, and fusion of lexical with dense hits.

Terms: for CJK runs, character 1-, 2- and 3-grams; for Latin/digit runs, whole words plus character 3-grams of
each word padded with ``^``/``$`` (so "ship"/"shipping" share grams). Text is NFKC-folded and lower-cased first.

Pure numpy: postings are stored per term as (doc ids, precomputed BM25 tf weights), so a query costs one
vectorised add per distinct query term. ``Hit.score`` is the BM25 score divided by the query's score
against itself as a document, so it is roughly in [0, 1] (it can exceed 1 slightly for very short documents).
"""

from __future__ import annotations

import io
import json
import logging
import math
import os
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Literal, cast

import numpy as np

from .index import FaqLike, Hit, _atomic_write, canonical_questions

__all__ = ["LexicalIndex", "TokenCache", "fuse_hits", "tokenize"]

log = logging.getLogger(__name__)

_CACHE_FORMAT = 2  # bump when ``tokenize`` changes: a saved token cache of another format is ignored

_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
# Thai: no spaces between words, and its vowel and tone marks (category Mn) are not ``\w`` — as a "word" run Thai
# broke at every mark ("ราคาเท่าไหร่คะ" → ราคาเท / าไหร / คะ); a run of its own, indexed by character 2- and 3-grams
_THAI = r"\u0e01-\u0e4e"
_RUN = re.compile(rf"([{_CJK}]+)|([{_THAI}]+)|([^\W_{_CJK}{_THAI}]+)", re.UNICODE)


def tokenize(text: str) -> list[str]:
    """Index terms of ``text`` (with repeats; order is not meaningful)."""
    text = unicodedata.normalize("NFKC", text).lower()
    terms: list[str] = []
    for m in _RUN.finditer(text):
        cjk, thai, other = m.group(1), m.group(2), m.group(3)
        if thai:
            terms.extend(thai[i : i + 2] for i in range(len(thai) - 1))
            terms.extend(thai[i : i + 3] for i in range(len(thai) - 2))
            if len(thai) == 1:
                terms.append(thai)
        elif cjk:
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


class TokenCache:
    """Index terms of example texts, as term ids into a vocabulary, kept from one build to the next.

    Tokenising is most of a lexical build (30k examples: ~0.7 s of ~2 s before this cache). The cache is keyed by the
    text itself, so a stale cache is never wrong, only incomplete: an edit re-tokenises only its new examples, and a
    cache saved beside the FAISS index (``save``/``load``) lets a warm start skip tokenising altogether. The vocabulary
    only grows (ids are never reused); a build copies it, so the cache of a live index is never mutated.
    """

    __slots__ = ("docs", "vocab")

    def __init__(self, vocab: dict[str, int] | None = None, docs: dict[str, np.ndarray] | None = None):
        self.vocab: dict[str, int] = vocab if vocab is not None else {}
        # text -> its distinct terms as int64 ``term id << 32 | term frequency`` (one array per text: a build
        # concatenates 30k of them, and one array each concatenates 4x faster than two)
        self.docs: dict[str, np.ndarray] = docs if docs is not None else {}

    def __len__(self) -> int:
        return len(self.docs)

    def terms_of(self, text: str) -> np.ndarray:
        """The distinct terms of ``text`` (packed ``term id << 32 | tf``, first-occurrence order); cached."""
        hit = self.docs.get(text)
        if hit is None:
            counts = Counter(tokenize(text))
            vocab = self.vocab
            ids = np.fromiter((vocab.setdefault(t, len(vocab)) for t in counts), dtype=np.int64, count=len(counts))
            hit = (ids << 32) | np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
            self.docs[text] = hit
        return hit

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the cache to ``path`` atomically (numpy ``.npz``; strings as one JSON blob)."""
        texts = list(self.docs)
        packed = [self.docs[t] for t in texts]
        lens = np.fromiter(map(len, packed), dtype=np.int64, count=len(packed))
        flat = np.concatenate(packed) if packed else np.zeros(0, np.int64)
        strings = json.dumps({"format": _CACHE_FORMAT, "vocab": list(self.vocab), "texts": texts}, ensure_ascii=False)
        buf = io.BytesIO()
        np.savez(
            buf,
            strings=np.frombuffer(strings.encode("utf-8"), dtype=np.uint8),
            lens=lens,
            ids=(flat >> 32).astype(np.int32),
            tfs=(flat & 0xFFFFFFFF).astype(np.int32),
        )
        _atomic_write(Path(path), buf.getvalue())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> TokenCache | None:
        """The cache saved at ``path``, or None when it is missing, unreadable or of another format (logged)."""
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(z["strings"].tobytes().decode("utf-8"))
                lens, ids, tfs = z["lens"], z["ids"].astype(np.int32, copy=False), z["tfs"].astype(np.int32, copy=False)
            if meta.get("format") != _CACHE_FORMAT:
                raise ValueError(f"format {meta.get('format')!r}")
            vocab_list, texts = meta["vocab"], meta["texts"]
            if len(texts) != len(lens) or int(lens.sum()) != len(ids) or len(ids) != len(tfs):
                raise ValueError("lengths disagree")
            if len(ids) and (int(ids.min()) < 0 or int(ids.max()) >= len(vocab_list)):
                raise ValueError("term id out of range")
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
            log.warning("lexical token cache %s not used: %s", path, exc)
            return None
        vocab = {t: i for i, t in enumerate(vocab_list)}
        if len(vocab) != len(vocab_list):
            log.warning("lexical token cache %s not used: duplicate terms", path)
            return None
        bounds = np.concatenate([[0], np.cumsum(lens)]).tolist()
        flat = (ids.astype(np.int64) << 32) | tfs.astype(np.int64)
        docs = {t: flat[a:b] for t, a, b in zip(texts, bounds[:-1], bounds[1:], strict=True)}
        return cls(vocab, docs)


class LexicalIndex:
    """BM25 over FAQ example questions; ``search`` returns the same ``Hit`` as the dense ``FaqIndex``.

    Postings are one CSR structure over term ids (``_offsets`` into ``_post_docs`` / ``_post_w``), built with numpy
    from the per-example term ids of a ``TokenCache``: a rebuild after an edit re-tokenises only the changed
    examples and costs a few vectorised passes over the rest.
    """

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = float(k1), float(b)
        self._doc_faq: list[str] = []
        self._doc_text: list[str] = []
        self.tokens = TokenCache()
        self._offsets: list[int] = [0]
        self._post_docs = np.zeros(0, dtype=np.int64)
        self._post_w = np.zeros(0, dtype=np.float32)
        self._idf: list[float] = []
        self._avgdl = 1.0
        # what ``updated`` needs to move documents without tokenising or sorting everything again: each posting's
        # term frequency (``_post_w``'s order) and each document's length (terms with repeats)
        self._post_tf: np.ndarray = np.zeros(0, dtype=np.uint16)
        self._lengths = np.zeros(0, dtype=np.float64)
        self.tokenized = 0  # examples this build had to tokenise (not found in the token cache it started from)

    @classmethod
    def build(cls, faqs: Iterable[FaqLike], *, k1: float = 1.2, b: float = 0.75) -> LexicalIndex:
        pairs = [(faq.id, q) for faq in faqs for q in canonical_questions(faq.questions)]
        return cls.from_pairs(pairs, k1=k1, b=b)

    @classmethod
    def from_pairs(
        cls,
        pairs: Iterable[tuple[str, str]],
        *,
        k1: float = 1.2,
        b: float = 0.75,
        tokens: TokenCache | None = None,
        pause: Callable[[], None] | None = None,
    ) -> LexicalIndex:
        """Build from (faq_id, example question) pairs. ``tokens``: a cache to start from (an earlier index's
        ``tokens`` or one loaded from disk); it is not modified. ``pause``: called between the build's phases (each
        a few milliseconds at 30k examples), where a hot reload lets the comments being decided go first."""
        pause = pause or _no_pause
        self = cls(k1, b)
        old = tokens.docs if tokens is not None else {}
        cache = self.tokens = TokenCache(dict(tokens.vocab) if tokens is not None else {}, {})
        pair_list = list(pairs)
        self._doc_faq = [fid for fid, _ in pair_list]
        self._doc_text = texts = [text for _, text in pair_list]
        # map/zip run in C: an edit's rebuild of 30k examples spends no Python loop on the ones already tokenised
        found: list[np.ndarray | None] = list(map(old.get, texts))
        for i in [i for i, hit in enumerate(found) if hit is None]:
            text = texts[i]
            if text not in cache.docs:
                self.tokenized += 1
            found[i] = cache.terms_of(text)
        per_doc = cast("list[np.ndarray]", found)
        pause()
        cache.docs.update(zip(texts, per_doc, strict=True))
        n = len(per_doc)
        n_terms = len(cache.vocab)
        if n == 0:
            self._offsets = [0] * (n_terms + 1)
            self._idf = [0.0] * n_terms
            return self
        pause()
        distinct = np.fromiter(map(len, per_doc), dtype=np.int64, count=n)
        packed = np.concatenate(per_doc)
        pause()
        all_terms = packed >> 32
        all_tfs = (packed & 0xFFFFFFFF).astype(np.float64)
        all_docs = np.repeat(np.arange(n, dtype=np.int64), distinct)
        lengths = np.bincount(all_docs, weights=all_tfs, minlength=n)  # terms per document (with repeats)
        # by term, documents ascending within a term; a vocabulary below 65,536 terms (5,976 at 30k examples) sorts
        # as uint16 keys, which numpy radix-sorts (5x faster than the int64 merge sort)
        keys = all_terms.astype(np.uint16) if n_terms <= 1 << 16 else all_terms
        pause()
        order = np.argsort(keys, kind="stable")
        pause()
        self._finish(all_docs[order], all_tfs[order], lengths, np.bincount(all_terms, minlength=n_terms), pause)
        return self

    def _finish(
        self, docs_sorted: np.ndarray, tfs_sorted: np.ndarray, lengths: np.ndarray, df: np.ndarray,
        pause: Callable[[], None],
    ) -> None:
        """The BM25 weights, offsets and idf from postings sorted by term (documents ascending within a term), their
        term frequencies (float64), the documents' lengths and each term's document frequency."""
        n = len(lengths)
        self._avgdl = float(lengths.mean()) if lengths.mean() > 0 else 1.0
        # tf * (k1 + 1) / (tf + norm(doc)), in float64 then float32: for tf 1 (nearly every posting: the terms of a
        # short question rarely repeat) a value per document, gathered; the other postings computed one by one
        # (the same float64 operations on the same values as over every posting, so the same bits)
        norm_doc = self.k1 * (1.0 - self.b + self.b * lengths / self._avgdl)
        weights = ((self.k1 + 1.0) / (1.0 + norm_doc)).astype(np.float32)[docs_sorted]
        many = np.flatnonzero(tfs_sorted != 1.0)
        if len(many):
            tf = tfs_sorted[many].astype(np.float64)
            weights[many] = (tf * (self.k1 + 1.0) / (tf + norm_doc[docs_sorted[many]])).astype(np.float32)
        self._post_docs = docs_sorted
        self._post_w = weights
        small = not len(tfs_sorted) or float(tfs_sorted.max()) < 1 << 16
        self._post_tf = tfs_sorted.astype(np.uint16) if small else tfs_sorted.astype(np.float32)
        self._lengths = lengths
        pause()
        self._offsets = np.concatenate([[0], np.cumsum(df)]).tolist()
        idf_of = {d: math.log(1.0 + (n - d + 0.5) / (d + 0.5)) for d in np.unique(df).tolist() if d > 0}
        self._idf = [idf_of.get(d, 0.0) for d in df.tolist()]

    def updated(
        self,
        pairs: Sequence[tuple[str, str]],
        remap: np.ndarray,
        added: np.ndarray,
        *,
        pause: Callable[[], None] | None = None,
    ) -> LexicalIndex:
        """This index after some documents changed, equal to ``from_pairs(pairs, tokens=self.tokens)``, in a few
        vectorised passes over the postings plus tokenising the new documents: no sort of every posting, no
        concatenation of every document's terms again.

        ``pairs``: the new documents. ``remap``: for each document of this index, its number among ``pairs`` (the
        same text), or -1 when it is gone; the kept ones keep their order (``remap`` increasing over them).
        ``added``: the numbers among ``pairs`` of the other documents, ascending. This index is not modified (a live
        view keeps reading it)."""
        pause = pause or _no_pause
        n = len(pairs)
        remap = np.asarray(remap, dtype=np.int64)
        added = np.asarray(added, dtype=np.int64)
        survives = remap >= 0
        kept = remap[survives]
        if len(remap) != len(self._doc_faq) or len(kept) + len(added) != n:
            raise ValueError("remap and added do not cover the new documents")
        if (len(kept) > 1 and not bool(np.all(kept[1:] > kept[:-1]))) or (
            len(added) > 1 and not bool(np.all(added[1:] > added[:-1]))
        ):
            raise ValueError("kept and added documents must be in ascending order")
        if n == 0:
            return LexicalIndex.from_pairs((), k1=self.k1, b=self.b, tokens=self.tokens)
        out = LexicalIndex(self.k1, self.b)
        old = self.tokens
        cache = out.tokens = TokenCache(dict(old.vocab), dict(old.docs))
        out._doc_faq = [fid for fid, _ in pairs]
        out._doc_text = texts = [text for _, text in pairs]
        new_terms: list[np.ndarray] = []
        for d in added.tolist():
            text = texts[d]
            if text not in cache.docs:
                out.tokenized += 1
            new_terms.append(cache.terms_of(text))
        n_terms = len(cache.vocab)
        pause()
        # the kept postings, renumbered (still by term, then document: remap keeps the order of the kept documents)
        offsets = np.asarray(self._offsets, dtype=np.int64)
        docs = remap[self._post_docs]
        tfs = self._post_tf
        keep = docs >= 0
        gone = np.flatnonzero(~keep)  # the postings of the documents gone (a few): each term's count drops by its own
        if len(gone):
            gone_terms = np.searchsorted(offsets, gone, side="right") - 1
            dropped = np.bincount(gone_terms, minlength=len(offsets) - 1)
            offsets = offsets - np.concatenate([[0], np.cumsum(dropped)])
            docs, tfs = np.delete(docs, gone), np.delete(tfs, gone)
        offsets = np.concatenate([offsets, np.full(n_terms + 1 - len(offsets), offsets[-1], dtype=np.int64)])
        lengths = np.zeros(n, dtype=np.float64)
        lengths[kept] = self._lengths[survives]
        df = np.diff(offsets)
        pause()
        if len(added):
            counts = np.fromiter(map(len, new_terms), dtype=np.int64, count=len(new_terms))
            packed = np.concatenate(new_terms)
            add_docs = np.repeat(added, counts)
            add_terms, add_tfs = packed >> 32, packed & 0xFFFFFFFF
            lengths[added] = np.bincount(np.repeat(np.arange(len(added)), counts), weights=add_tfs.astype(np.float64),
                                         minlength=len(added))
            order = np.lexsort((add_docs, add_terms))
            add_terms, add_docs, add_tfs = add_terms[order], add_docs[order], add_tfs[order]
            # where each new posting goes: within its term's postings, before the first document after it
            at = [
                start + int(np.searchsorted(docs[start:end], d))
                for start, end, d in zip(offsets[add_terms].tolist(), offsets[add_terms + 1].tolist(), add_docs.tolist(),
                                         strict=True)
            ]
            docs = np.insert(docs, at, add_docs)
            tfs = np.insert(tfs.astype(np.float64) if add_tfs.max() >= 1 << 16 else tfs, at, add_tfs)
            df = df + np.bincount(add_terms, minlength=n_terms)
        pause()
        out._finish(docs, tfs, lengths, df, pause)
        return out

    def __len__(self) -> int:
        return len(self._doc_faq)

    def _postings(self, term: str) -> tuple[int, int, int] | None:
        """(term id, start, end) of ``term``'s postings, None when no document has it."""
        tid = self.tokens.vocab.get(term)
        if tid is None or tid + 1 >= len(self._offsets):
            return None
        start, end = self._offsets[tid], self._offsets[tid + 1]
        return (tid, start, end) if end > start else None

    def scores(self, text: str) -> np.ndarray:
        """Normalised BM25 score of ``text`` against every example (float32, one per example).

        The normaliser is the query's score against itself as a document (an exact match lands near 1), summed in
        the same pass over the query terms."""
        scores = np.zeros(len(self._doc_faq), dtype=np.float32)
        counts = Counter(tokenize(text))
        norm = self.k1 * (1.0 - self.b + self.b * sum(counts.values()) / self._avgdl)
        denom = 0.0
        for term, qtf in counts.items():
            post = self._postings(term)
            if post is None:
                continue
            tid, start, end = post
            # A term repeated in the query counts with weight 1 + log(qtf) (sublinear query-side tf).
            weight = self._idf[tid] * (1.0 + math.log(qtf))
            scores[self._post_docs[start:end]] += np.float32(weight) * self._post_w[start:end]
            denom += weight * qtf * (self.k1 + 1.0) / (qtf + norm)
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


def _no_pause() -> None:
    return None


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
