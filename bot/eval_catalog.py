"""Product-path evaluation: an intent file becomes a catalog, its queries are replayed through the live engine.

What ``livereply eval intents`` measures is a classifier; what a shop gets is ``livereply run``: every intent is a
global FAQ whose example questions are the intent's training sentences, and a comment is answered, handed to staff
or left alone by the engine's own decision path with the thresholds of self-calibration. This module measures that:

* the catalog is built from the training rows (one global FAQ per intent, answer ``[intent] <label>``) and imported
  into a private SQLite store; the runtime is ``bot.bootstrap.build_runtime`` (same embedder, intent set,
  moderation, calibration as ``run``); the queries go through ``Engine.process`` (``record=False``), batch by batch,
  with nothing on stage — exactly the code a live comment takes;
* an answer is right when its FAQ is the query's intent; an out-of-scope query (label ``oos`` /
  ``NO_NODES_DETECTED``, or an intent held out of the catalog) is right when it gets no answer.

Without a test file the train file is split once, deterministically (``freeze_split``): a row goes to dev when a
hash of its text falls in the dev share, and a seeded share of the intents is held out of the catalog entirely
(their dev rows are the simulated out-of-scope queries; their train rows are used nowhere). Nothing is tuned on dev:
the thresholds come from calibration on the train catalog alone, and its promise (``estimate``) is reported next to
what dev measured (``gap``).
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from bot.eval_intents import IntentRow, read_intent_tsv
from bot.messages import Comment
from bot.pipeline import ANSWER, RECOMMEND, SILENT, STAFF

log = logging.getLogger(__name__)

SPLIT_SEED = "hint3-frozen-2026-12-01"  # changing it is a new split: every figure in docs/EVAL.md §2b is on this one
DEV_SHARE = 0.30
HELD_OUT_SHARE = 0.25
BATCH = 32
BOOTSTRAP = 1000
STAFF_RATES = (30, 120, 600)  # comments per minute: a small room, a busy one, a very busy one


@dataclass(frozen=True, slots=True)
class FrozenSplit:
    """Train rows (in-scope intents only), dev rows (gold label, '' = out of scope), and the held-out intents."""

    train: tuple[IntentRow, ...]
    dev: tuple[IntentRow, ...]
    held_out: frozenset[str]
    seed: str


def _unit(seed: str, kind: str, text: str) -> float:
    """A stable number in [0, 1) from ``seed``, ``kind`` and ``text`` (sha256; no RNG state, no platform drift)."""
    digest = hashlib.sha256(f"{seed}\0{kind}\0{text}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def freeze_split(
    rows: Sequence[IntentRow], *, dev_share: float = DEV_SHARE, held_out_share: float = HELD_OUT_SHARE, seed: str = SPLIT_SEED
) -> FrozenSplit:
    """Split once, by hashes: a text always lands on the same side (duplicates never straddle train and dev), the
    held-out intents are the ``held_out_share`` with the lowest intent hash. Rows already out of scope go to dev."""
    labels = sorted({r.label for r in rows if not r.oos})
    n_held = round(held_out_share * len(labels)) if len(labels) > 1 else 0
    held = frozenset(sorted(labels, key=lambda label: _unit(seed, "intent", label))[:n_held])
    train: list[IntentRow] = []
    dev: list[IntentRow] = []
    for r in rows:
        in_dev = _unit(seed, "row", r.text) < dev_share
        if in_dev:
            dev.append(replace(r, split="dev", label="" if r.label in held else r.label))
        elif not r.oos and r.label not in held:
            train.append(replace(r, split="train"))
    return FrozenSplit(train=tuple(train), dev=tuple(dev), held_out=held, seed=seed)


def faq_id_for(label: str, taken: set[str]) -> str:
    """A catalog FAQ id (lowercase slug) for an intent label, unique among ``taken``."""
    base = re.sub(r"[^a-z0-9_-]+", "-", label.lower()).strip("-_")[:56] or "intent"
    if not base[0].isalnum():
        base = "i" + base
    fid, n = base, 2
    while fid in taken:
        fid, n = f"{base}-{n}", n + 1
    taken.add(fid)
    return fid


def catalog_yaml(rows: Sequence[IntentRow], *, min_questions: int = 3) -> tuple[str, dict[str, str]]:
    """The catalog file text (no products; one global FAQ per intent) and faq id → intent label.

    Exact duplicate sentences of an intent are kept once; an intent with fewer than ``min_questions`` distinct
    sentences cannot be imported (the catalog's own rule) and is left out — its queries then count as out of scope
    for the catalog, which is what a shop with that catalog would get."""
    by_label: dict[str, list[str]] = {}
    for r in rows:
        if not r.oos:
            by_label.setdefault(r.label, [])
            if r.text not in by_label[r.label]:
                by_label[r.label].append(r.text)
    taken: set[str] = set()
    faqs: list[dict[str, Any]] = []
    labels: dict[str, str] = {}
    for label, questions in by_label.items():
        if len(questions) < min_questions:
            log.warning("intent %r has %d distinct sentences (< %d): not in the catalog", label, len(questions), min_questions)
            continue
        fid = faq_id_for(label, taken)
        labels[fid] = label
        faqs.append({"id": fid, "intent": label, "questions": questions, "answer": {"en": f"[intent] {label}"}})
    doc = {"version": 1, "products": [], "faqs": faqs}
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), labels


def _bootstrap(values: dict[str, np.ndarray], n: int, seed: int = 7) -> dict[str, list[float]]:
    """95 % percentile intervals of the metrics, resampling queries with replacement."""
    right, oos, answered, in_scope = values["right"], values["oos_ok"], values["answered"], values["in_scope"]
    rng = np.random.default_rng(seed)
    acc_all, acc_in, wrong = [], [], []
    for _ in range(BOOTSTRAP):
        idx = rng.integers(0, n, n)
        r, o, a, s = right[idx], oos[idx], answered[idx], in_scope[idx]
        acc_all.append((r.sum() + o.sum()) / n)
        acc_in.append(r.sum() / max(1, s.sum()))
        wrong.append((a.sum() - r.sum()) / a.sum() if a.sum() else 0.0)

    def ci(xs: list[float]) -> list[float]:
        return [round(float(np.percentile(xs, 2.5)), 4), round(float(np.percentile(xs, 97.5)), 4)]

    return {"accuracy_all": ci(acc_all), "accuracy_in_scope": ci(acc_in), "wrong_answer_rate": ci(wrong)}


def score_outcomes(gold: Sequence[str], predicted: Sequence[str | None], bands: Sequence[str]) -> dict[str, Any]:
    """Counts and rates of a run: ``gold`` '' = out of scope; ``predicted`` = the answered intent (None if none)."""
    n = len(gold)
    g = np.asarray([bool(x) for x in gold])
    answered = np.asarray([b in (ANSWER, RECOMMEND) for b in bands])
    right = answered & np.asarray([p is not None and p == x for p, x in zip(predicted, gold, strict=True)]) & g
    oos_ok = ~g & ~answered
    band_arr = np.asarray(bands)
    counts = {
        "n": n,
        "in_scope": int(g.sum()),
        "out_of_scope": int((~g).sum()),
        "answered_right": int(right.sum()),
        "answered_wrong": int((answered & g & ~right).sum()),
        "answered_out_of_scope": int((answered & ~g).sum()),
        "in_scope_staff": int((g & (band_arr == STAFF)).sum()),
        "in_scope_silent": int((g & (band_arr == SILENT)).sum()),
        "out_of_scope_staff": int((~g & (band_arr == STAFF)).sum()),
        "out_of_scope_silent": int((~g & (band_arr == SILENT)).sum()),
    }
    n_answered = int(answered.sum())
    staff_share = round(float((band_arr == STAFF).mean()), 4) if n else 0.0
    rates: dict[str, float | None] = {
        "accuracy_all": round(float((right.sum() + oos_ok.sum()) / n), 4) if n else 0.0,
        "accuracy_in_scope": round(float(right.sum() / g.sum()), 4) if g.any() else 0.0,
        # None without out-of-scope rows: nothing measured (0.0 read as "answered every one of them")
        "oos_not_answered": round(float(oos_ok.sum() / (~g).sum()), 4) if (~g).any() else None,
        "wrong_answer_rate": round(float((n_answered - right.sum()) / n_answered), 4) if n_answered else 0.0,
        "answered_share": round(n_answered / n, 4) if n else 0.0,
        "staff_share": staff_share,
    }
    # the staff queue in people's terms: hand-offs per minute when the room posts this many comments a minute
    per_minute = {f"at {r}/min": round(staff_share * r, 1) for r in STAFF_RATES}
    ci = _bootstrap({"right": right, "oos_ok": oos_ok, "answered": answered, "in_scope": g}, n) if n else {}
    return {**counts, **rates, "staff_per_minute": per_minute, "ci95": ci}


def run_catalog(train: Sequence[IntentRow], test: Sequence[IntentRow], settings, *, embedder=None) -> dict[str, Any]:
    """Build the catalog from ``train``, start the live runtime on it, replay ``test``; scores + calibration.

    The catalog is imported as `livereply run` / `demo` import theirs (`bot.catalog_import.import_catalog_checked`:
    an answer under a language the bot never identifies is refused, `CatalogFileError`, before the model loads). The
    outbound word filter is not applied: the answers are placeholders (``[intent] <label>``) that are never posted,
    and a label with a banned word ("最低价") must not stop an evaluation."""
    from bot.bootstrap import build_runtime, open_store
    from bot.catalog_import import import_catalog_checked

    text, labels = catalog_yaml(train)
    with tempfile.TemporaryDirectory(prefix="livereply-eval-catalog-") as tmp:
        path = Path(tmp) / "catalog.yaml"
        path.write_text(text, encoding="utf-8")
        settings = settings.with_(db=f"sqlite:///{tmp}/eval.db", catalog=str(path), index_dir=f"{tmp}/index")
        store = open_store(settings)
        try:
            import_catalog_checked(store, path)
        except BaseException:
            store.close()
            raise
        t0 = time.perf_counter()
        runtime = build_runtime(settings, store=store, embedder=embedder)
        build_s = time.perf_counter() - t0
        engine = runtime.engine
        engine.stage_product_id = None
        gold: list[str] = []
        predicted: list[str | None] = []
        bands: list[str] = []
        ranked: list[tuple[float, bool]] = []  # (confidence, the top-ranked FAQ is right) of each query with a FAQ
        reasons: Counter[str] = Counter()
        ms: list[float] = []
        for start in range(0, len(test), BATCH):
            chunk = test[start : start + BATCH]
            comments = [
                Comment(id=f"q{start + i}", user=f"viewer{start + i}", text=r.text, ts=float(start + i))
                for i, r in enumerate(chunk)
            ]
            for r, o in zip(chunk, engine.process(comments, record=False), strict=True):
                d = o.decision
                gold.append(r.label)
                predicted.append(labels.get(d.faq_id or "") if d.band == ANSWER else None)
                bands.append(d.band)
                if d.faq_id is not None and d.path == "faq":
                    ranked.append((d.score, labels.get(d.faq_id) == r.label))
                reasons[d.reason.split(":")[0]] += 1
                ms.append(o.seconds * 1000)
        point = runtime.operating_point
        result = score_outcomes(gold, predicted, bands)
        result.update(
            {
                "model": runtime.embedder.model_id,
                "faqs": len(labels),
                "examples": sum(1 for _ in engine.state.view.examples),
                "answer_threshold": round(engine.base_settings.answer_threshold, 4),
                "staff_threshold": round(engine.base_settings.staff_threshold, 4),
                "calibrated": point.as_dict() if point is not None else None,
                "reasons": dict(reasons.most_common()),
                "startup_seconds": round(build_s, 2),
                "engine_ms_p50": round(float(np.percentile(ms, 50)), 3) if ms else 0.0,
                "separation_auc": separation_auc(ranked),
            }
        )
        store.close()
    return result


def separation_auc(ranked: Sequence[tuple[float, bool]]) -> float | None:
    """How well the confidence separates right top-ranked FAQs from wrong ones (out-of-scope queries included, whose
    top FAQ is always wrong), threshold-free: the probability that a random right one scores above a random wrong
    one (ties count half). None without both kinds."""
    scores = np.asarray([s for s, _ in ranked], dtype=np.float64)
    right = np.asarray([r for _, r in ranked], dtype=bool)
    n_right, n_wrong = int(right.sum()), int((~right).sum())
    if n_right == 0 or n_wrong == 0:
        return None
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    # average ranks over ties
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    average = first + (counts - 1) / 2.0 + 1.0
    ranks[order] = np.repeat(average, counts)
    return round(float((ranks[right].sum() - n_right * (n_right + 1) / 2) / (n_right * n_wrong)), 4)


# Which of calibration's estimates ``estimate`` / ``gap_points`` report: "in_sample" (the figures on the rows the
# threshold was chosen on) or "cross_fitted" (the same rule's threshold read on rows it was not chosen on,
# ``models.calibrate.cross_fitted``). Both are always reported under ``estimates``; docs/EVAL.md §2b "Round 6".
REPORTED_ESTIMATE = "in_sample"


def _wilson(share: float, n: int) -> tuple[float, float] | None:
    from models.calibrate import wilson_interval

    return wilson_interval(share * n, n) if n > 0 else None


def _one_estimate(
    result: dict[str, Any], coverage: float, unseen: float, wrong: float, ci_in, ci_unseen
) -> dict[str, Any]:
    share_oos = result["out_of_scope"] / result["n"]
    est_oos = 1.0 - unseen
    est_all = (1 - share_oos) * coverage + share_oos * est_oos
    ci: dict[str, list[float] | None] = {"accuracy_all": None, "accuracy_in_scope": None, "oos_not_answered": None}
    if ci_in is not None:
        ci["accuracy_in_scope"] = [round(ci_in[0], 4), round(ci_in[1], 4)]
    if ci_unseen is not None:  # answered share → silent share
        ci["oos_not_answered"] = [round(1 - ci_unseen[1], 4), round(1 - ci_unseen[0], 4)]
    if ci_in is not None and (ci_unseen is not None or share_oos == 0):
        # the two parts are independent samples of rows: their half-widths add in quadrature, side by side
        u = ci_unseen if ci_unseen is not None else (unseen, unseen)
        below = float(np.hypot((1 - share_oos) * (coverage - ci_in[0]), share_oos * (u[1] - unseen)))
        above = float(np.hypot((1 - share_oos) * (ci_in[1] - coverage), share_oos * (unseen - u[0])))
        ci["accuracy_all"] = [round(max(0.0, est_all - below), 4), round(min(1.0, est_all + above), 4)]
    return {
        "estimate": {
            "accuracy_all": round(est_all, 4),
            "accuracy_in_scope": round(coverage, 4),
            "oos_not_answered": round(est_oos, 4),
            "wrong_answer_rate": round(wrong, 4),
        },
        "gap_points": {
            "accuracy_all": round(100 * (result["accuracy_all"] - est_all), 1),
            "accuracy_in_scope": round(100 * (result["accuracy_in_scope"] - coverage), 1),
            "oos_not_answered": (None if result["oos_not_answered"] is None
                                 else round(100 * (result["oos_not_answered"] - est_oos), 1)),
            "wrong_answer_rate": round(100 * (result["wrong_answer_rate"] - wrong), 1),
        },
        "ci95": ci,
    }


def estimate_gap(result: dict[str, Any], reported: str | None = None) -> dict[str, Any] | None:
    """What calibration promised on the train catalog vs what the test rows measured (points, test − estimate).

    The estimated accuracy counting out of scope mixes the calibration's in-scope coverage and its held-out-FAQ
    silence with the test's own out-of-scope share (a property of the query mix, not something tuned).
    Two estimates: ``in_sample`` (read off the rows the threshold was chosen on) and ``cross_fitted`` (the same
    rule's threshold read on rows it was not chosen on); ``estimate`` / ``gap_points`` / ``estimate_ci95`` are the
    one named by ``reported`` (default ``REPORTED_ESTIMATE``), ``estimates`` holds both. The 95 % intervals are
    Wilson intervals on the calibration rows (answerable rows for coverage, held-out-FAQ rows for out-of-scope
    silence), combined in quadrature for the accuracy counting out of scope."""
    point = result.get("calibrated")
    if not point or result["n"] == 0:
        return None
    # out of scope here = questions of intents the catalog lacks: calibration's held-out-FAQ rows are their analogue
    # (the intent set's chit-chat negatives are not in the query mix)
    unseen = point.get("unseen_answered")
    xfit = point.get("cross_fitted")
    n_unseen = int(xfit["n_unseen"]) if xfit else 0
    in_unseen = unseen if unseen is not None else point["negatives_answered"]
    estimates = {
        "in_sample": _one_estimate(
            result, point["coverage"], in_unseen, point["wrong_rate"], _wilson(point["coverage"], point["n_positive"]),
            _wilson(in_unseen, n_unseen) if unseen is not None else None,
        )
    }
    if xfit:
        x_unseen = xfit["unseen_answered"] if xfit["unseen_answered"] is not None else xfit["negatives_answered"]
        estimates["cross_fitted"] = _one_estimate(
            result, xfit["coverage"], x_unseen, xfit["wrong_rate"], xfit["coverage_ci95"], xfit["unseen_ci95"],
        )
    kind = reported or REPORTED_ESTIMATE
    if kind not in estimates:
        kind = "in_sample"
    chosen = estimates[kind]
    return {
        "estimate": chosen["estimate"],
        "gap_points": chosen["gap_points"],
        "estimate_ci95": chosen["ci95"],
        "estimate_kind": kind,
        "estimates": estimates,
    }


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def count_rows_in_train(train: Sequence[IntentRow], test: Sequence[IntentRow]) -> int:
    """How many test rows are worded exactly like a train row (case, width and spacing folded)."""
    seen = {_folded(r.text) for r in train}
    return sum(_folded(r.text) in seen for r in test)


def eval_catalog(
    train_path: str | Path,
    test_path: str | Path | None,
    settings,
    *,
    split: str = "dev",
    embedder=None,
    split_seed: str = SPLIT_SEED,
) -> dict[str, Any]:
    """``livereply eval catalog``: with ``test_path``, catalog from all train rows, scored on the test file; without,
    the frozen split of the train file (``split="dev"``; ``split_seed`` other than the frozen one only to see how
    much the figures move with the split, never to choose anything)."""
    if split != "dev":
        raise ValueError(f"unknown split {split!r} (only 'dev')")
    wall0 = time.perf_counter()
    rows = read_intent_tsv(train_path)
    in_train: int | None = None
    split_info: dict[str, Any] | None = None  # the frozen split, for a report's words (cli_eval_catalog.py)
    if test_path is not None:
        train = tuple(r for r in rows if not r.oos)
        test: tuple[IntentRow, ...] = tuple(read_intent_tsv(test_path))
        protocol = "catalog from all train rows, scored on the test file"
        held: frozenset[str] = frozenset()
        in_train = count_rows_in_train(train, test)
    else:
        frozen = freeze_split(rows, seed=split_seed)
        train, test, held = frozen.train, frozen.dev, frozen.held_out
        n_intents = len({r.label for r in rows if not r.oos})
        split_info = {"seed": frozen.seed, "dev_share": DEV_SHARE, "intents": n_intents}
        protocol = (
            f"frozen split of the train file (seed {frozen.seed!r}): {DEV_SHARE:.0%} of texts to dev by hash, "
            f"{len(held)} of {n_intents} intents held out of the catalog (their dev rows are out of scope)"
        )
    result: dict[str, Any] = {
        "train_file": str(train_path),
        "test_file": str(test_path) if test_path is not None else None,
        "protocol": protocol,
        "split": split_info,
        "held_out_intents": sorted(held),
        "n_train": len(train),
        # test rows worded exactly like a train row (case, width and spacing folded): the catalog's own example
        # questions, answered by lookup; a test file that is the train file scores ~1.0 and says nothing (None: split)
        "test_rows_in_train": in_train,
        **run_catalog(train, test, settings, embedder=embedder),
    }
    gap = estimate_gap(result)
    if gap is not None:
        result.update(gap)
    result["wall_seconds"] = round(time.perf_counter() - wall0, 2)
    log.info("eval_catalog %s", {k: v for k, v in result.items() if k not in ("reasons",)})
    return result
