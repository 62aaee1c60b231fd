"""Offline evaluation of FAQ matching and pair similarity. Plain functions returning JSON-able dicts.

File formats (as in ``shared/data/matching``):

* FAQ TSV: header ``faq_id<TAB>question``, then one example question per line (a FAQ may have several lines).
* queries JSONL: ``{"qid", "query", "gold_faq_ids", "gold_faq_ids_closure", "hard_negative_faq_ids", "answerable"}``.
  A retrieved FAQ counts as correct when it is in ``gold_faq_ids_closure``.
* pairs TSV: header ``text_a<TAB>text_b<TAB>label`` with label 0/1.

Bad input raises ``EvalFileError`` naming the file and line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from bot.errors import InputFileError
from bot.jsonl import iter_jsonl

log = logging.getLogger(__name__)

__all__ = [
    "EvalFaq",
    "EvalFileError",
    "EvalQuery",
    "best_abstention_threshold",
    "best_pair_threshold",
    "eval_matching",
    "eval_pairs",
    "read_faq_tsv",
    "read_pairs_tsv",
    "read_queries_jsonl",
]

Method = Literal["dense", "lexical", "hybrid", "hybrid-rrf"]
METHODS: tuple[str, ...] = ("dense", "lexical", "hybrid", "hybrid-rrf")
RANK_DEPTH = 10  # MRR@10 and top-k lists are computed over the first 10 distinct FAQs
HYBRID_WEIGHT = 0.2  # lexical share in score fusion (0.1-0.2 best on BQ/LCQMC dev with use-m3)


class EvalFileError(InputFileError):
    """An evaluation input file is malformed; the message names file and line."""


@dataclass(frozen=True, slots=True)
class EvalFaq:
    id: str
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EvalQuery:
    qid: str
    query: str
    gold: frozenset[str]  # gold_faq_ids_closure
    answerable: bool


# ---------------------------------------------------------------------------------------------------- readers


def _open_lines(path: str | Path) -> list[str]:
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise EvalFileError(p, None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise EvalFileError(p, None, f"not UTF-8 ({exc})") from None


def read_faq_tsv(path: str | Path) -> list[EvalFaq]:
    lines = _open_lines(path)
    if not lines or lines[0].split("\t")[:2] != ["faq_id", "question"]:
        raise EvalFileError(path, 1, "expected header 'faq_id<TAB>question'")
    grouped: dict[str, list[str]] = {}
    for no, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise EvalFileError(path, no, f"expected 'faq_id<TAB>question', got {line[:80]!r}")
        grouped.setdefault(parts[0].strip(), []).append(parts[1].strip())
    if not grouped:
        raise EvalFileError(path, None, "no FAQ rows")
    return [EvalFaq(fid, tuple(qs)) for fid, qs in grouped.items()]


def read_queries_jsonl(path: str | Path) -> list[EvalQuery]:
    out: list[EvalQuery] = []
    if not Path(path).is_file():
        raise EvalFileError(path, None, "file not found")
    for no, obj in iter_jsonl(path, EvalFileError):
        missing = [k for k in ("qid", "query", "gold_faq_ids_closure", "answerable") if k not in obj]
        if missing:
            raise EvalFileError(path, no, f"missing field(s) {', '.join(missing)}")
        gold, query = obj["gold_faq_ids_closure"], obj["query"]
        if not isinstance(query, str) or not isinstance(gold, list) or not isinstance(obj["answerable"], bool):
            raise EvalFileError(path, no, "query must be a string, gold_faq_ids_closure a list, answerable a bool")
        if obj["answerable"] and not gold:
            raise EvalFileError(path, no, "answerable query without gold FAQ ids")
        out.append(EvalQuery(str(obj["qid"]), query, frozenset(map(str, gold)), obj["answerable"]))
    if not out:
        raise EvalFileError(path, None, "no queries")
    return out


def read_pairs_tsv(path: str | Path) -> list[tuple[str, str, int]]:
    lines = _open_lines(path)
    if not lines or lines[0].split("\t")[:3] != ["text_a", "text_b", "label"]:
        raise EvalFileError(path, 1, "expected header 'text_a<TAB>text_b<TAB>label'")
    out: list[tuple[str, str, int]] = []
    for no, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[2].strip() not in ("0", "1"):
            raise EvalFileError(path, no, f"expected 'text_a<TAB>text_b<TAB>0|1', got {line[:80]!r}")
        out.append((parts[0], parts[1], int(parts[2])))
    if not out:
        raise EvalFileError(path, None, "no pairs")
    return out


# ---------------------------------------------------------------------------------------------------- metrics


def best_abstention_threshold(top_scores: np.ndarray, correct: np.ndarray, answerable: np.ndarray) -> dict[str, float]:
    """Threshold on the top-1 score that maximises accuracy with abstention.

    A query is *answered* when its top-1 score >= threshold. It counts as right when it is answerable, answered and
    the top-1 FAQ is gold, or unanswerable and not answered. Every distinct score is tried (plus "answer nothing");
    the returned threshold is the midpoint between the last answered and the first silenced score.
    """
    s = np.asarray(top_scores, dtype=np.float64)
    ok = np.asarray(correct, dtype=bool)
    ans = np.asarray(answerable, dtype=bool)
    n = len(s)
    if n == 0:
        raise ValueError("no queries")
    order = np.argsort(-s, kind="stable")
    s_sorted, ok_sorted, unans_sorted = s[order], ok[order], ~ans[order]
    # answering the first i queries (i = 0..n); a cut is only valid between distinct scores
    right_answered = np.concatenate([[0], np.cumsum(ok_sorted & ~unans_sorted)])
    unans_answered = np.concatenate([[0], np.cumsum(unans_sorted)])
    n_unans = int(unans_sorted.sum())
    acc = (right_answered + (n_unans - unans_answered)) / n
    valid = np.ones(n + 1, dtype=bool)
    valid[1:n] = s_sorted[:-1] != s_sorted[1:]
    acc_valid = np.where(valid, acc, -1.0)
    i = int(np.argmax(acc_valid))
    if i == 0:
        threshold = float(s_sorted[0]) + 1e-6
    elif i == n:
        threshold = float(s_sorted[-1]) - 1e-6
    else:
        threshold = float((s_sorted[i - 1] + s_sorted[i]) / 2)
    answered = s >= threshold
    n_ans = int(ans.sum())
    answered_ans = answered & ans
    wrong = answered_ans & ~ok
    return {
        "threshold": threshold,
        "accuracy_with_abstention": float(acc[i]),
        "silence_on_unanswerable": float((~answered & ~ans).sum() / n_unans) if n_unans else float("nan"),
        "answered_on_unanswerable": float((answered & ~ans).sum() / n_unans) if n_unans else float("nan"),
        "answered_share_answerable": float(answered_ans.sum() / n_ans) if n_ans else float("nan"),
        "wrong_answer_rate": float(wrong.sum() / answered_ans.sum()) if answered_ans.any() else 0.0,
        "precision_answered": float((answered & ans & ok).sum() / answered.sum()) if answered.any() else 0.0,
    }


def best_pair_threshold(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """(threshold, accuracy) maximising accuracy of ``score >= threshold`` ⇔ label 1."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=bool)
    n = len(s)
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    tp = np.concatenate([[0], np.cumsum(y_sorted)])  # positives predicted among the first i
    fp = np.concatenate([[0], np.cumsum(~y_sorted)])
    n_neg = int((~y).sum())
    acc = (tp + (n_neg - fp)) / n
    valid = np.ones(n + 1, dtype=bool)
    valid[1:n] = s_sorted[:-1] != s_sorted[1:]
    i = int(np.argmax(np.where(valid, acc, -1.0)))
    if i == 0:
        thr = float(s_sorted[0]) + 1e-6
    elif i == n:
        thr = float(s_sorted[-1]) - 1e-6
    else:
        thr = float((s_sorted[i - 1] + s_sorted[i]) / 2)
    return thr, float(acc[i])


def _rank_metrics(rankings: Sequence[Sequence[str]], queries: Sequence[EvalQuery]) -> dict[str, float]:
    top1 = top5 = rr = 0.0
    n = 0
    for ranked, q in zip(rankings, queries, strict=True):
        if not q.answerable:
            continue
        n += 1
        rank = next((i for i, fid in enumerate(ranked[:RANK_DEPTH], start=1) if fid in q.gold), None)
        if rank is not None:
            rr += 1.0 / rank
            top1 += rank == 1
            top5 += rank <= 5
    if n == 0:
        return {"top1": float("nan"), "top5": float("nan"), "mrr": float("nan")}
    return {"top1": top1 / n, "top5": top5 / n, "mrr": rr / n}


# ---------------------------------------------------------------------------------------------------- runners


def eval_matching(
    faq_path: str | Path,
    queries_path: str | Path,
    model: str = "use-m3",
    threads: int | None = None,
    method: Method = "dense",
) -> dict[str, Any]:
    """Retrieve the FAQ for each query and score the ranking and abstention.

    ``method``: ``dense`` (FAISS cosine), ``lexical`` (BM25 char n-grams), ``hybrid`` (score fusion
    ``0.8 * dense + 0.2 * lexical`` over the top 50 of each), ``hybrid-rrf`` (reciprocal-rank fusion). For both
    hybrids the abstention threshold applies to the dense cosine of the fused top-1 FAQ. top1/top5/mrr are over
    answerable queries, MRR@10 over distinct FAQs.
    ``encode_seconds`` = FAQ + query encoding; ``ms_per_query`` = (query encoding + search) / all queries.
    The abstention threshold is chosen on the evaluated queries themselves (an oracle operating point).
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; valid: {', '.join(METHODS)}")
    from models.index import FaqIndex
    from models.lexical import LexicalIndex, fuse_hits

    wall0 = time.perf_counter()
    faqs = read_faq_tsv(faq_path)
    queries = read_queries_jsonl(queries_path)
    texts = [q.query for q in queries]
    depth = RANK_DEPTH if method in ("dense", "lexical") else 50

    encode_seconds = 0.0
    query_seconds = 0.0
    dense_hits = lex_hits = None
    model_name = model
    if method != "lexical":
        from models.embedders import get_embedder

        embedder = get_embedder(model, threads)
        embedder.warmup()
        model_name = embedder.model_id
        t = time.perf_counter()
        index = FaqIndex.build(embedder, faqs)
        encode_seconds += time.perf_counter() - t
        t = time.perf_counter()
        qv = embedder.encode(texts)
        dt = time.perf_counter() - t
        encode_seconds += dt
        t = time.perf_counter()
        dense_hits = index.search(qv, depth)
        query_seconds += dt + time.perf_counter() - t
    else:
        model_name = "bm25-charngram"
    if method != "dense":
        lex = LexicalIndex.build(faqs)
        t = time.perf_counter()
        lex_hits = lex.search(texts, depth)
        query_seconds += time.perf_counter() - t

    if method == "dense":
        hits = dense_hits
    elif method == "lexical":
        hits = lex_hits
    else:
        assert dense_hits is not None and lex_hits is not None
        fusion: Literal["rrf", "score"] = "rrf" if method == "hybrid-rrf" else "score"
        t = time.perf_counter()
        hits = [
            fuse_hits(d, lx, method=fusion, weight=HYBRID_WEIGHT, k=RANK_DEPTH)
            for d, lx in zip(dense_hits, lex_hits, strict=True)
        ]
        query_seconds += time.perf_counter() - t
    assert hits is not None

    rankings = [[h.faq_id for h in hs] for hs in hits]
    if dense_hits is not None and method != "dense":
        # Fusion decides the ranking; the dense cosine of the chosen FAQ is the better abstention signal
        # (fused scores lost 1-4 points of accuracy-with-abstention on LCQMC).
        cos = [{h.faq_id: h.score for h in hs} for hs in dense_hits]
        top_scores = np.asarray([cos[i].get(hs[0].faq_id, 0.0) if hs else -1.0 for i, hs in enumerate(hits)])
    else:
        top_scores = np.asarray([hs[0].score if hs else -1.0 for hs in hits])
    correct = np.asarray([bool(r) and r[0] in q.gold for r, q in zip(rankings, queries, strict=True)])
    answerable = np.asarray([q.answerable for q in queries])

    result: dict[str, Any] = {
        "method": method,
        "model": model_name,
        "faq_file": str(faq_path),
        "queries_file": str(queries_path),
        "n_faqs": len(faqs),
        "n_examples": sum(len(f.questions) for f in faqs),
        "n_queries": int(answerable.sum()),
        "n_unanswerable": int((~answerable).sum()),
        **_rank_metrics(rankings, queries),
        "mrr_depth": RANK_DEPTH,
        **best_abstention_threshold(top_scores, correct, answerable),
        "encode_seconds": round(encode_seconds, 3),
        "ms_per_query": round(1000 * query_seconds / len(queries), 3),
        "wall_seconds": round(time.perf_counter() - wall0, 3),
    }
    if method == "hybrid":
        result["hybrid_weight"] = HYBRID_WEIGHT
    result["abstention_score"] = "bm25" if method == "lexical" else "dense_cosine"
    log.info("eval_matching %s", result)
    return result


def eval_pairs(
    dev_path: str | Path,
    test_path: str | Path | None = None,
    model: str = "use-m3",
    threads: int | None = None,
    *,
    seed: int = 13,
) -> dict[str, Any]:
    """Cosine similarity of each pair; the threshold maximising dev accuracy is applied to test.

    With ``test_path=None`` the dev file is shuffled with ``seed`` and split in half (first half dev).
    """
    from models.embedders import get_embedder

    wall0 = time.perf_counter()
    dev = read_pairs_tsv(dev_path)
    if test_path is None:
        perm = np.random.default_rng(seed).permutation(len(dev))
        half = len(dev) // 2
        if half == 0:
            raise EvalFileError(dev_path, None, "need at least 2 pairs to split into dev and test")
        test = [dev[i] for i in perm[half:]]
        dev = [dev[i] for i in perm[:half]]
    else:
        test = read_pairs_tsv(test_path)

    embedder = get_embedder(model, threads)
    embedder.warmup()
    uniq = list(dict.fromkeys(t for a, b, _ in dev + test for t in (a, b)))
    t = time.perf_counter()
    vecs = embedder.encode(uniq)
    encode_seconds = time.perf_counter() - t
    row = {text: i for i, text in enumerate(uniq)}

    def cosines(pairs: list[tuple[str, str, int]]) -> tuple[np.ndarray, np.ndarray]:
        a = vecs[[row[p[0]] for p in pairs]]
        b = vecs[[row[p[1]] for p in pairs]]
        return np.einsum("ij,ij->i", a, b), np.asarray([p[2] for p in pairs], dtype=bool)

    dev_s, dev_y = cosines(dev)
    test_s, test_y = cosines(test)
    threshold, dev_acc = best_pair_threshold(dev_s, dev_y)
    test_acc = float(((test_s >= threshold) == test_y).mean())
    result = {
        "model": embedder.model_id,
        "dev_file": str(dev_path),
        "test_file": str(test_path) if test_path is not None else f"{dev_path} (split, seed={seed})",
        "n_dev": len(dev),
        "n_test": len(test),
        "threshold": threshold,
        "dev_accuracy": dev_acc,
        "test_accuracy": test_acc,
        "test_positive_rate": float(test_y.mean()),
        "encode_seconds": round(encode_seconds, 3),
        "wall_seconds": round(time.perf_counter() - wall0, 3),
    }
    log.info("eval_pairs %s", result)
    return result
