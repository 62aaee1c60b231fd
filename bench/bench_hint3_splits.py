"""The product path on HINT3 over five hash splits, with a train-only ("inner") mode to choose settings on.

    .venv/bin/python bench/bench_hint3_splits.py inner [--sets cure,sof] [--inner 3] [--target 0.05] [--set NAME=VALUE]
    .venv/bin/python bench/bench_hint3_splits.py outer [--sets cure,sof] [--target 0.05]

``outer``: the figures of ``livereply eval catalog`` (docs/EVAL.md §2b) on the frozen split and on hash seeds s1–s4:
the catalog is built from each split's train part, calibrated on it and the split's dev replayed through the engine.
Report these once, after every choice is made.

``inner``: nothing of any dev part is read. Each split's *train* part is split again by the same hash rule
(``freeze_split`` with seed ``<seed>-inner``, ``-inner1``, … — ``--inner`` of them): a quarter of its intents held
out, 30 % of its texts to an inner dev. The catalog comes from the inner train, the inner dev is replayed. This is the
train-only measurement that settings are chosen on (accuracy counting out of scope, wrong-answer rate, and the gap
between calibration's estimate and the inner dev).

Each run prints calibration's two estimates (``estimate_in`` / ``gap_in``: read on the rows the threshold was chosen
on; ``estimate_xfit`` / ``gap_xfit``: cross-fitted, docs/EVAL.md §2b "Round 6") and whether dev's accuracy falls in
each one's 95 % interval (``in_ci_*``); ``--data DIR`` points at the intent files when ../shared is elsewhere.

``--set NAME=VALUE`` overrides a module constant for the run (``bot.calibration`` by default, ``pipeline.NAME`` for
``bot.pipeline``), e.g. ``--set GROUP_SIMILARITY=0.8``. Prints one JSON line per run and one ``MEAN`` line per set;
writes nothing. Run with OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 (≈ 3–8 s per run).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "intents"
FILES = {"sof": "en_hint3_sofmattress_train.tsv", "cure": "en_hint3_curekart_train.tsv"}
EXTRA_SEEDS = ("s1", "s2", "s3", "s4")


def _override(assignments: list[str]) -> None:
    import bot.calibration
    import bot.pipeline

    for item in assignments:
        name, value = item.split("=", 1)
        module = bot.calibration
        if name.startswith("pipeline."):
            module, name = bot.pipeline, name.split(".", 1)[1]
        old = getattr(module, name)
        if isinstance(old, tuple):  # a comma-separated list, e.g. pipeline.EXTRA_FEATURES=agree,vote
            setattr(module, name, tuple(v for v in value.split(",") if v))
        else:
            setattr(module, name, value in ("1", "true", "True") if isinstance(old, bool) else type(old)(value))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("inner", "outer"))
    ap.add_argument("--sets", default="cure,sof")
    ap.add_argument("--inner", type=int, default=3)
    ap.add_argument("--target", type=float, default=0.05)
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--set", action="append", default=[], dest="assign")
    args = ap.parse_args()
    os.environ["LIVEREPLY_TARGET_WRONG_RATE"] = str(args.target)
    _override(args.assign)

    from bot.config import Settings
    from bot.eval_catalog import SPLIT_SEED, estimate_gap, freeze_split, run_catalog
    from bot.eval_intents import read_intent_tsv
    from bot.pipeline import OPTIONAL_FEATURES as EXTRA
    from models.embedders import get_embedder

    settings = Settings.load({})
    embedder = get_embedder(settings.model, threads=settings.threads)
    for which in args.sets.split(","):
        rows = read_intent_tsv(Path(args.data) / FILES[which])
        out = []
        for seed in (SPLIT_SEED, *EXTRA_SEEDS):
            split = freeze_split(rows, seed=seed)
            for k in range(args.inner if args.mode == "inner" else 1):
                if args.mode == "inner":
                    inner = freeze_split(split.train, seed=f"{seed}-inner{k or ''}")
                    train, test, name = inner.train, inner.dev, f"{seed}/{k}"
                else:
                    train, test, name = split.train, split.dev, seed
                t0 = time.perf_counter()
                r = run_catalog(train, test, settings, embedder=embedder)
                r.update(estimate_gap(r) or {})
                point = r["calibrated"] or {}
                est = r.get("estimate", {})
                both = r.get("estimates", {})
                ins, xf = both.get("in_sample", {}), both.get("cross_fitted", {})

                def inside(one: dict, acc: float = r["accuracy_all"]) -> bool | None:
                    ci = (one.get("ci95") or {}).get("accuracy_all")
                    return None if ci is None else bool(ci[0] <= acc <= ci[1])
                row = {
                    "split": name, "n": r["n"], "oos": r["out_of_scope"], "accuracy_all": r["accuracy_all"],
                    "in_scope": r["accuracy_in_scope"], "oos_silent": r["oos_not_answered"],
                    "wrong": r["wrong_answer_rate"], "staff": r["staff_share"], "estimate": est.get("accuracy_all"),
                    "gap": r.get("gap_points", {}).get("accuracy_all"), "promised_wrong": point.get("wrong_rate"),
                    "linear": bool((point.get("scorer") or {}).get("linear_faqs")), "threshold": point.get("threshold"),
                    "extra_weights": {k: v for k, v in (point.get("scorer") or {}).items() if k in EXTRA},
                    "auc": r.get("separation_auc"),
                    # both of calibration's estimates (bot.eval_catalog.estimate_gap): read on the rows the threshold
                    # was chosen on, and cross-fitted; whether dev's accuracy falls in each one's 95 % interval
                    "estimate_in": ins.get("estimate", {}).get("accuracy_all"),
                    "gap_in": ins.get("gap_points", {}).get("accuracy_all"), "in_ci_in": inside(ins),
                    "estimate_xfit": xf.get("estimate", {}).get("accuracy_all"),
                    "gap_xfit": xf.get("gap_points", {}).get("accuracy_all"), "in_ci_xfit": inside(xf),
                    "ci_xfit": (xf.get("ci95") or {}).get("accuracy_all"),
                    "wrong_xfit": xf.get("estimate", {}).get("wrong_answer_rate"),
                    "xfit_thresholds": (point.get("cross_fitted") or {}).get("thresholds"),
                    "seconds": round(time.perf_counter() - t0, 1),
                }
                out.append(row)
                print(json.dumps(row), flush=True)
        keys = ("accuracy_all", "in_scope", "oos_silent", "wrong", "staff", "estimate", "gap", "promised_wrong")
        mean = {k: round(sum(x[k] for x in out) / len(out), 4) for k in keys}
        mean["abs_gap"] = round(sum(abs(x["gap"]) for x in out) / len(out), 2)
        for tag in ("in", "xfit"):
            gaps = [x[f"gap_{tag}"] for x in out if x[f"gap_{tag}"] is not None]
            hits = [x[f"in_ci_{tag}"] for x in out if x[f"in_ci_{tag}"] is not None]
            mean[f"gap_{tag}"] = round(sum(gaps) / len(gaps), 2) if gaps else None
            mean[f"abs_gap_{tag}"] = round(sum(abs(g) for g in gaps) / len(gaps), 2) if gaps else None
            mean[f"in_ci_{tag}"] = round(sum(hits) / len(hits), 2) if hits else None
        wx = [x["wrong_xfit"] for x in out if x["wrong_xfit"] is not None]
        mean["promised_wrong_xfit"] = round(sum(wx) / len(wx), 4) if wx else None
        aucs = [x["auc"] for x in out if x["auc"] is not None]
        mean["auc"] = round(sum(aucs) / len(aucs), 4) if aucs else None
        print("MEAN", json.dumps({"mode": args.mode, "set": which, "target": args.target, "set_": args.assign,
                                  "runs": len(out), **mean}), flush=True)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    main()
