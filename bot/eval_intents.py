"""Intent classification with out-of-scope (OOS) abstention, evaluated by cross-validation.

Input: TSV with header ``split<TAB>text<TAB>label`` (HINT3 / CLINC150 as in ``shared/data/intents``). Labels
``NO_NODES_DETECTED`` and ``oos`` mean "the bot must stay silent".

Classifiers (``classifier=``):

* ``"linear"`` (default): ``models.intent_clf.LinearIntentClassifier`` — logistic regression on the embeddings;
  confidence = best class probability + cosine of the nearest training example. Chosen by measurement
  (docs/EVAL.md §2): against the kNN confidence it raises accuracy_all on HINT3 by 0.1–0.2 at the same target.
* ``"knn"``: the live default intent model (``models.intents.IntentModel``: per-class mean of the 3 nearest example
  cosines); confidence = best class score + 0.5 × min(margin to the runner-up class, 0.25).

Answer when confidence ≥ threshold. ``model`` may name two embedders joined by ``+`` (e.g. ``use-m3+e5-small``):
the rows are concatenated (each scaled by 1/√2, so the result stays unit length).

Protocol (no number is ever chosen on the rows it is scored on):

* ``test=None``: k-fold cross-validation on the train file. In each outer fold, the threshold is chosen by an inner
  k-fold on the outer-training rows only, as the lowest threshold whose wrong-answer rate is ≤ ``target_wrong_rate``
  (``models.calibrate.choose_threshold``, the same rule as the live calibration).
* ``test`` given: the threshold comes from k-fold on the train file; the model is fitted on all train rows and
  scored once on the test file.
* OOS: rows labelled ``oos``/``NO_NODES_DETECTED`` are used as they are. When the training side has none (the shared
  HINT3 files), OOS is simulated by holding out whole intents: in every fold a seeded ``unseen_share`` of the
  intents is removed from the examples, and their rows count as must-stay-silent. Which intents are hidden moves
  the result a lot, so the inner CV is repeated ``inner_repeats`` times with fresh draws before the threshold is
  chosen (pooled), which steadies the threshold.

Metrics: accuracy_all (in-scope right + OOS silent) / all, accuracy_in_scope, oos_recall, wrong_answer_rate
(wrong answers / all answers, OOS answered counts as wrong), answered_share, threshold (mean over folds), and ci95:
95 % bootstrap intervals of accuracy_all and wrong_answer_rate over the scored rows.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.eval import EvalFileError, _open_lines
from models.calibrate import choose_threshold
from models.intent_clf import LinearIntentClassifier

log = logging.getLogger(__name__)

OOS_LABELS = frozenset({"oos", "NO_NODES_DETECTED"})
K_NEIGHBOURS = 3
MARGIN_WEIGHT = 0.5
MARGIN_CAP = 0.25
CLASSIFIERS = ("linear", "knn")


@dataclass(frozen=True, slots=True)
class IntentRow:
    split: str
    text: str
    label: str  # "" for out of scope

    @property
    def oos(self) -> bool:
        return not self.label


def read_intent_tsv(path: str | Path) -> list[IntentRow]:
    lines = _open_lines(path)
    if not lines or lines[0].split("\t")[:3] != ["split", "text", "label"]:
        raise EvalFileError(path, 1, "expected header 'split<TAB>text<TAB>label'")
    out: list[IntentRow] = []
    for no, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not parts[1].strip() or not parts[2].strip():
            raise EvalFileError(path, no, f"expected 'split<TAB>text<TAB>label', got {line[:80]!r}")
        label = parts[2].strip()
        out.append(IntentRow(parts[0].strip(), parts[1].strip(), "" if label in OOS_LABELS else label))
    if not out:
        raise EvalFileError(path, None, "no rows")
    return out


def _confidence(qv: np.ndarray, tv: np.ndarray, tl: np.ndarray, classes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(predicted class index, confidence) per query: per-class mean of the top-k cosines + margin bonus."""
    sims = qv @ tv.T
    scores = np.full((len(qv), len(classes)), -1.0, dtype=np.float32)
    for c in range(len(classes)):
        cols = sims[:, tl == c]
        if cols.shape[1] == 0:
            continue
        k = min(K_NEIGHBOURS, cols.shape[1])
        scores[:, c] = (-np.partition(-cols, k - 1, axis=1)[:, :k]).mean(axis=1)
    if len(classes) == 1:
        return np.zeros(len(qv), dtype=np.int64), scores[:, 0]
    top2 = -np.partition(-scores, 1, axis=1)[:, :2]
    best, second = top2.max(axis=1), top2.min(axis=1)
    return scores.argmax(axis=1), best + MARGIN_WEIGHT * np.minimum(best - second, MARGIN_CAP)


def _predict(train_idx, query_idx, rows, vectors, hidden: set[str], classifier: str = "linear"):
    """Fit on train_idx (minus OOS rows and hidden intents), score query_idx → (pred label, conf, gold label or '')."""
    fit = [i for i in train_idx if not rows[i].oos and rows[i].label not in hidden]
    classes = sorted({rows[i].label for i in fit})
    cidx = {c: j for j, c in enumerate(classes)}
    tl = np.asarray([cidx[rows[i].label] for i in fit])
    if classifier == "linear":
        pred, conf, _ = LinearIntentClassifier.fit(vectors[fit], tl, len(classes)).predict(vectors[query_idx])
    else:
        pred, conf = _confidence(vectors[query_idx], vectors[fit], tl, classes)
    gold = ["" if rows[i].oos or rows[i].label in hidden else rows[i].label for i in query_idx]
    return [classes[p] for p in pred], conf, gold


def _folds(n: int, k: int, rng: np.random.Generator) -> list[np.ndarray]:
    perm = rng.permutation(n)
    return [perm[f::k] for f in range(k)]


def _hidden(labels: list[str], share: float, rng: np.random.Generator) -> set[str]:
    n = max(1, round(share * len(labels)))
    return set(rng.choice(sorted(labels), size=n, replace=False).tolist())


def _cv_scores(idx: np.ndarray, rows, vectors, k: int, rng, simulate_oos: bool, share: float, classifier: str, repeats: int = 1):
    """Out-of-fold (pred, conf, gold) for the rows ``idx`` (each row scored once per repeat)."""
    preds: list[str] = []
    confs: list[np.ndarray] = []
    golds: list[str] = []
    labels = sorted({rows[i].label for i in idx if not rows[i].oos})
    for _ in range(max(1, repeats)):
        for fold in _folds(len(idx), k, rng):
            test = idx[fold]
            train = np.setdiff1d(idx, test)
            hidden = _hidden(labels, share, rng) if simulate_oos else set()
            p, c, g = _predict(train, test, rows, vectors, hidden, classifier)
            preds += p
            confs.append(c)
            golds += g
    return preds, np.concatenate(confs), golds


def _threshold(preds, conf, gold, target: float) -> float:
    pos = np.asarray([bool(g) for g in gold])
    correct = np.asarray([p == g for p, g in zip(preds, gold, strict=True)])
    point = choose_threshold(conf[pos], correct[pos], conf[~pos], target_wrong_rate=target, floor=-1.0, ceiling=2.5)
    return point.threshold


def _metrics(preds, conf, gold, thresholds) -> dict[str, float]:
    answered = conf >= thresholds
    gold_in = np.asarray([bool(g) for g in gold])
    right = np.asarray([p == g for p, g in zip(preds, gold, strict=True)]) & gold_in
    n = len(gold)
    wrong = answered & ~right
    return {
        "accuracy_all": float(((answered & right) | (~answered & ~gold_in)).sum() / n),
        "accuracy_in_scope": float((answered & right).sum() / gold_in.sum()) if gold_in.any() else float("nan"),
        "top1_in_scope": float(right.sum() / gold_in.sum()) if gold_in.any() else float("nan"),
        "oos_recall": float((~answered & ~gold_in).sum() / (~gold_in).sum()) if (~gold_in).any() else float("nan"),
        "wrong_answer_rate": float(wrong.sum() / answered.sum()) if answered.any() else 0.0,
        "answered_share": float(answered.mean()),
    }


def _intervals(preds, conf, gold, thresholds, resamples: int = 1000, seed: int = 7) -> dict[str, list[float]]:
    """95 % bootstrap intervals (rows resampled with replacement) of accuracy_all and wrong_answer_rate."""
    answered = conf >= thresholds
    gold_in = np.asarray([bool(g) for g in gold])
    right = np.asarray([p == g for p, g in zip(preds, gold, strict=True)]) & gold_in
    ok = (answered & right) | (~answered & ~gold_in)
    rng = np.random.default_rng(seed)
    acc, wrong = [], []
    for _ in range(resamples):
        idx = rng.integers(0, len(gold), len(gold))
        a, r = answered[idx], right[idx]
        acc.append(ok[idx].mean())
        wrong.append(float((a & ~r).sum() / a.sum()) if a.any() else 0.0)
    return {
        "accuracy_all": [round(float(np.percentile(acc, 2.5)), 4), round(float(np.percentile(acc, 97.5)), 4)],
        "wrong_answer_rate": [round(float(np.percentile(wrong, 2.5)), 4), round(float(np.percentile(wrong, 97.5)), 4)],
    }


def _encode(model: str, threads: int | None, texts: list[str]) -> tuple[str, np.ndarray, float]:
    """(model id, unit rows, encode ms per text) for one embedder or a ``+``-joined pair of them
    (``models.embedders.ConcatEmbedder``: the cosine is the mean of the two models' cosines)."""
    from models.embedders import get_embedder

    embedder = get_embedder(model, threads)
    embedder.warmup()
    t = time.perf_counter()
    vectors = embedder.encode(texts)
    ms = 1000 * (time.perf_counter() - t) / max(1, len(texts))
    return embedder.model_id, vectors.astype(np.float32), ms


def eval_intents(
    train_path: str | Path,
    test_path: str | Path | None = None,
    model: str = "use-m3",
    threads: int | None = None,
    *,
    folds: int = 5,
    target_wrong_rate: float = 0.10,
    unseen_share: float = 0.25,
    seed: int = 13,
    classifier: str = "linear",
    inner_repeats: int = 3,
) -> dict[str, Any]:
    if classifier not in CLASSIFIERS:
        raise ValueError(f"unknown classifier {classifier!r}; valid: {', '.join(CLASSIFIERS)}")
    wall0 = time.perf_counter()
    train = read_intent_tsv(train_path)
    test = read_intent_tsv(test_path) if test_path is not None else []
    rows = train + test
    simulate_oos = not any(r.oos for r in train)
    texts = list(dict.fromkeys(r.text for r in rows))
    model_id, encoded, encode_ms = _encode(model, threads, texts)
    vec_by_text = dict(zip(texts, encoded, strict=True))
    repeats = inner_repeats if simulate_oos else 1  # labelled OOS rows have no hidden-intent draw to average over
    vectors = np.vstack([vec_by_text[r.text] for r in rows]).astype(np.float32)
    rng = np.random.default_rng(seed)
    train_idx = np.arange(len(train))

    thresholds: list[float] = []
    if test_path is None:
        preds: list[str] = []
        confs: list[np.ndarray] = []
        golds: list[str] = []
        thr_rows: list[np.ndarray] = []
        labels = sorted({r.label for r in train if not r.oos})
        for fold in _folds(len(train), folds, rng):
            outer_test = train_idx[fold]
            outer_train = np.setdiff1d(train_idx, outer_test)
            ip, ic, ig = _cv_scores(outer_train, rows, vectors, folds, rng, simulate_oos, unseen_share, classifier, repeats)
            thr = _threshold(ip, ic, ig, target_wrong_rate)
            thresholds.append(thr)
            hidden = _hidden(labels, unseen_share, rng) if simulate_oos else set()
            p, c, g = _predict(outer_train, outer_test, rows, vectors, hidden, classifier)
            preds += p
            confs.append(c)
            golds += g
            thr_rows.append(np.full(len(outer_test), thr))
        conf = np.concatenate(confs)
        metrics = _metrics(preds, conf, golds, np.concatenate(thr_rows))
        ci = _intervals(preds, conf, golds, np.concatenate(thr_rows))
        protocol = f"{folds}-fold CV on train, threshold by inner {folds}-fold CV (x{repeats})"
    else:
        ip, ic, ig = _cv_scores(train_idx, rows, vectors, folds, rng, simulate_oos, unseen_share, classifier, repeats)
        thr = _threshold(ip, ic, ig, target_wrong_rate)
        thresholds.append(thr)
        test_idx = np.arange(len(train), len(rows))
        p, c, g = _predict(train_idx, test_idx, rows, vectors, set(), classifier)
        metrics = _metrics(p, c, g, np.full(len(test_idx), thr))
        ci = _intervals(p, c, g, np.full(len(test_idx), thr))
        protocol = f"fit on train, threshold by {folds}-fold CV on train (x{repeats}), scored on test"

    result: dict[str, Any] = {
        "model": model_id,
        "classifier": classifier,
        "train_file": str(train_path),
        "test_file": str(test_path) if test_path is not None else None,
        "protocol": protocol,
        "oos": f"whole intents held out ({unseen_share:.0%} per fold)" if simulate_oos else "labelled oos rows",
        "n_train": len(train),
        "n_test": len(test) if test else len(train),
        "n_intents": len({r.label for r in train if not r.oos}),
        "target_wrong_rate": target_wrong_rate,
        **{k: round(v, 4) for k, v in metrics.items()},
        "ci95": ci,
        "threshold": round(float(np.mean(thresholds)), 4),
        "encode_ms_per_text": round(encode_ms, 3),
        "wall_seconds": round(time.perf_counter() - wall0, 2),
    }
    log.info("eval_intents %s", result)
    return result
