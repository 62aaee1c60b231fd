"""Would a second embedder for Vietnamese comments help? Measured before building the route (issue 15).

    PYTHONPATH=. .venv/bin/python bench/bench_vi_route.py [--models use-m3,e5-small,e5-st] [--lang vi] [--json]

The room is the 8-language cross-border room of ``livereply eval replay --room-languages zh,en,ja,ko,th,vi,id,es``:
``data/catalog.yaml`` imported into a fresh SQLite file, the engine's ``room_snapshot`` / ``CatalogView`` (every
FAQ example filed under one of those languages, normalised like comments are). Each embedder gets its own exact
FAISS index over the very same examples; the intent set, the lexical index and the language identifier stay the
room's (USE-m3 intents: the route would only swap the FAQ search).

Per embedder:

* **rows**: ``bot.calibration.calibration_rows`` over its index (k-fold rows + held-out FAQs + the intent set's
  chit-chat, every language) — top-1 right of the ``--lang`` k-fold rows, and operating points read off the
  catalog's rows, never off the log: all rows at a 5 % wrong-answer target (how the room is calibrated today:
  ``calibrate_catalog``, learned confidence, linear scorer when it wins); that shared confidence with its threshold
  read off the ``--lang`` rows alone; the ``--lang`` rows alone at 5 % and 2 % (``operating_point`` on that
  language's subset: its own confidence model and threshold, what a route calibrated on its own rows would get);
  and, with ``--seeds``, the latter again with other fold seeds (how far a few dozen rows let it move).
* **log**: the ``--lang`` comments of the development log (``lang_expected``; never the hold-out): the labelled FAQ
  ranked first by the raw dense search (nearest example among all of the room's), and by the matcher's ranking
  (``match_scores``: product context, lexical fusion, linear scorer); then at each operating point the FAQ decision
  (``decide``) and the decision with structured answers (``with_structured``): right / wrong among the comments of
  that language, counted like ``eval replay`` (a "@staff" comment handed to staff is right; a wrong FAQ, or an
  out-of-scope comment answered, is wrong).
* **cost**: encode time of one comment at a time (median / p90 over the language's comments, warm model, 1 thread)
  and the index + calibration build at start. A rough figure on a shared box, not a benchmark.

Prints a table (``--json``: the figures as JSON). Nothing is written.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bot.answer_checks import with_structured  # noqa: E402
from bot.bootstrap import Runtime, build_runtime, ensure_catalog, negatives_from_intents  # noqa: E402
from bot.calibration import (  # noqa: E402
    CalibrationRows,
    calibrate_catalog,
    calibration_rows,
    negative_weight,
    operating_point,
)
from bot.config import Settings  # noqa: E402
from bot.engine import IndexedFaq  # noqa: E402
from bot.messages import Comment, Stage  # noqa: E402
from bot.pipeline import (  # noqa: E402
    ANSWER,
    RECOMMEND,
    STAFF,
    MatchSettings,
    decide,
    linear_scores,
    match_scores,
    query_texts,
    understand,
)
from bot.replay import answers_label  # noqa: E402
from bot.room import load_expectations, load_lang_labels, load_log  # noqa: E402
from catalog.store import CatalogStore  # noqa: E402
from models.calibrate import OperatingPoint, choose_threshold  # noqa: E402
from models.embedders import Embedder, get_embedder  # noqa: E402
from models.index import FaqIndex  # noqa: E402
from models.intents import IntentGuess, IntentModel  # noqa: E402

log = logging.getLogger("bench_vi_route")

LOG = ROOT / "data" / "demo_multilingual.jsonl"
ROOM = "zh,en,ja,ko,th,vi,id,es"


class IntentsOwnVectors:
    """The room's intent model, fed its own embedder's vectors whatever vectors the caller has (the calibration rows
    of a second index carry that index's vectors; the intent set is fitted on USE-m3's)."""

    def __init__(self, model: IntentModel, encode) -> None:
        self.model = model
        self.encode = encode

    def predict(self, texts: Sequence[str], _vectors: np.ndarray) -> list[IntentGuess]:
        return self.model.predict(list(texts), np.asarray(self.encode(list(texts)), dtype=np.float32))


def subset(rows: CalibrationRows, mask: np.ndarray) -> CalibrationRows:
    """The rows where ``mask`` holds (same linear scorer)."""
    idx = np.flatnonzero(mask)

    def pick(values: tuple) -> tuple:
        return tuple(values[i] for i in idx) if values else values

    gate = None if rows.gate is None else (rows.gate[0][idx], rows.gate[1][idx])
    return replace(
        rows, features=rows.features[idx], legacy=rows.legacy[idx], correct=rows.correct[idx],
        negative=rows.negative[idx], kind=pick(rows.kind), lang=pick(rows.lang), query=pick(rows.query),
        top=pick(rows.top), own=pick(rows.own), gate=gate,
    )


def memo(embedder: Embedder):
    """``embedder.encode`` remembering each text's vector (the rows of several fold seeds re-encode the catalog)."""
    known: dict[str, np.ndarray] = {}

    def encode(texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            known.update(zip(missing, np.asarray(embedder.encode(missing), dtype=np.float32), strict=True))
        if not texts:
            return np.zeros((0, embedder.dim), np.float32)
        return np.vstack([known[t] for t in texts])

    return encode


@dataclass
class Arm:
    name: str
    embedder: Embedder
    index: FaqIndex
    points: dict[str, OperatingPoint]
    rows_top1: float
    rows_lang: dict[str, int]
    build_s: float


def room_runtime(work: Path) -> Runtime:
    settings = Settings(
        db=f"sqlite:///{work / 'bench.db'}", index_dir=str(work / "index-use"), room_languages=ROOM, moderation="",
        banned_words="",
    )
    store = CatalogStore(settings.db)
    ensure_catalog(store, settings, replace=True)
    return build_runtime(settings, store=store)


def make_arm(name: str, runtime: Runtime, lang: str, seeds: Sequence[int] = ()) -> Arm:
    engine = runtime.engine
    view = engine.state.view
    settings = replace(engine.base_settings, scorer=None)
    negatives = negatives_from_intents(runtime.intents)
    t0 = time.perf_counter()
    if name == "use-m3":
        embedder, index, encode = runtime.embedder, engine.state.index, engine.encode
        intents: Any = engine.intent_model
    else:
        embedder = get_embedder(name, threads=1)
        embedder.warmup()
        faqs = [IndexedFaq(fid, qs) for fid, qs in view.faq_examples.items()]
        index = FaqIndex.build(embedder, faqs)
        encode = memo(embedder)
        intents = IntentsOwnVectors(engine.intent_model, engine.encode) if engine.intent_model is not None else None
    shared = calibrate_catalog(view, index, encode, negatives, settings, intent_model=intents)
    build_s = time.perf_counter() - t0
    with_linear = shared.scorer is not None and shared.scorer.linear is not None
    rows = calibration_rows(view, index, encode, negatives, settings, intent_model=intents, linear=with_linear)
    mine = np.asarray(rows.lang) == lang
    own = subset(rows, mine)
    folds = mine & (np.asarray(rows.kind) == "fold")
    points = {"all rows 5%": shared}
    # the shared confidence (fitted on all rows), its threshold read off this language's rows only
    scores = shared.scorer.probabilities(rows.features) if shared.scorer is not None else rows.legacy
    pos, neg = mine & ~rows.negative, mine & rows.negative
    probability = shared.scorer is not None
    picked = choose_threshold(
        scores[pos], rows.correct[pos], scores[neg], target_wrong_rate=0.05,
        negative_weight=negative_weight(int(pos.sum()), int(neg.sum())), floor=0.0 if probability else 0.2,
        ceiling=1.0 if probability else 1.25, pos_gate=rows.gate_of(pos), neg_gate=rows.gate_of(neg),
    )
    points[f"shared confidence, {lang} rows 5%"] = replace(
        picked, scorer=shared.scorer, staff_threshold=min(shared.staff_threshold, picked.threshold)
    )
    for target in (0.05, 0.02):
        points[f"{lang} rows {target:.0%}"] = operating_point(own, target_wrong_rate=target)
    for seed in seeds:  # how far the language's own operating point moves with the folds' seed
        again = calibration_rows(
            view, index, encode, negatives, settings, intent_model=intents, linear=with_linear, seed=seed
        )
        points[f"{lang} rows 5%, fold seed {seed}"] = operating_point(
            subset(again, np.asarray(again.lang) == lang), target_wrong_rate=0.05
        )
    return Arm(
        name=name, embedder=embedder, index=index, points=points,
        rows_top1=float(rows.correct[folds].mean()) if folds.any() else 0.0,
        rows_lang={"answerable": int((mine & ~rows.negative).sum()), "out_of_scope": int((mine & rows.negative).sum())},
        build_s=build_s,
    )


def comments_of(path: Path, lang: str) -> list[tuple[Comment, str | None, object]]:
    """(comment, stage product at that moment, label) of the log's comments written in ``lang``."""
    expect = load_expectations(path)
    langs = load_lang_labels(path)
    stage: str | None = None
    out = []
    for event in load_log(path):
        if isinstance(event, Stage):
            stage = event.product_id
        elif isinstance(event, Comment) and langs.get(event.id) == lang and event.id in expect:
            out.append((event, stage, expect[event.id]))
    return out


def is_faq_label(expect: object, faqs) -> bool:
    return isinstance(expect, str) and expect in faqs


def measure(arm: Arm, runtime: Runtime, comments, *, with_timing: bool) -> dict[str, Any]:
    engine = runtime.engine
    view = engine.state.view
    faqs = view.snapshot.faqs
    base: MatchSettings = engine.base_settings
    labelled = [(c, s, e) for c, s, e in comments if is_faq_label(e, faqs)]
    raw_right = ranked_right = 0
    decisions: dict[str, dict[str, int]] = {}
    for label in arm.points:
        decisions[label] = {"faq_right": 0, "faq_wrong": 0, "right": 0, "wrong": 0}
    for c, stage, expect in comments:
        u = understand(c, view, stage, base)
        texts = query_texts(u, view)
        if not texts:
            continue
        vecs = np.asarray(arm.embedder.encode(list(texts)), dtype=np.float32)
        hits = [h for found in arm.index.search(vecs, k=24) for h in found]
        use_vec = engine.encode([u.text])
        intent = engine.intent_model.predict([u.text], use_vec)[0] if engine.intent_model is not None else None
        if is_faq_label(expect, faqs):
            raw = arm.index.search(vecs[:1], k=1)[0]
            raw_right += bool(raw) and raw[0].faq_id == expect
        for label, point in arm.points.items():
            settings = replace(base, answer_threshold=point.threshold, staff_threshold=point.staff_threshold,
                               scorer=point.scorer)
            linear = None
            if point.scorer is not None and point.scorer.linear is not None:
                linear = linear_scores(texts, dict(zip(texts, point.scorer.linear.scores(vecs), strict=True)), settings)
            if label == "all rows 5%" and is_faq_label(expect, faqs):
                fused = match_scores(hits, u, view, settings, linear=linear).fused
                ranked_right += bool(fused) and max(fused, key=fused.__getitem__) == expect
            d = decide(c, u, hits, intent, view, settings, linear)
            full = with_structured(c, u, d, view)
            tally = decisions[label]
            for decision, prefix in ((d, "faq_"), (full, "")):
                answered = decision.band in (ANSWER, RECOMMEND)
                if expect is None:
                    tally[prefix + "wrong"] += answered
                elif expect == "@staff":  # a hand-off is right, an answer wrong (as `eval replay` counts)
                    tally[prefix + "right"] += decision.band == STAFF
                    tally[prefix + "wrong"] += answered
                elif expect == "@recommend":
                    tally[prefix + "right"] += decision.band == RECOMMEND
                    tally[prefix + "wrong"] += decision.band == ANSWER
                elif answered:
                    ok = decision.band == ANSWER and answers_label(decision, expect, faqs)
                    tally[prefix + ("right" if ok else "wrong")] += 1
    timing: dict[str, float] = {}
    if with_timing:
        times = []
        for c, _, _ in comments:
            t = time.perf_counter()
            arm.embedder.encode([c.text])
            times.append((time.perf_counter() - t) * 1000)
        timing = {"encode_ms_p50": statistics.median(times), "encode_ms_p90": float(np.percentile(times, 90))}
    answerable = sum(1 for _, _, e in comments if e is not None)
    return {
        "model": arm.name,
        "build_s": round(arm.build_s, 1),
        "rows": arm.rows_lang,
        "rows_top1": round(arm.rows_top1, 3),
        "log_comments": len(comments),
        "log_answerable": answerable,
        "log_faq_labelled": len(labelled),
        "raw_top1": raw_right,
        "ranked_top1": ranked_right,
        "points": {
            label: {
                "threshold": round(p.threshold, 3),
                "rows_coverage": round(p.coverage, 3),
                "rows_wrong": round(p.wrong_rate, 3),
                "met": p.met_target,
                "learned": p.scorer is not None,
                "linear": p.scorer is not None and p.scorer.linear is not None,
                **decisions[label],
            }
            for label, p in arm.points.items()
        },
        **{k: round(v, 1) for k, v in timing.items()},
    }


def table(results: list[dict[str, Any]], lang: str) -> str:
    lines = [
        (
            f"| embedder | {lang} rows (ans + oos), k-fold top-1 | log: {lang} FAQ-labelled, raw top-1, matcher top-1 "
            "| operating point (rows) | threshold, rows coverage / wrong | log: FAQ right / wrong "
            "| log: + structured right / wrong (of answerable) | encode ms p50 / p90 | build s |"
        ),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        first = True
        for label, p in r["points"].items():
            head = (
                f"| {r['model']} | {r['rows']['answerable']} + {r['rows']['out_of_scope']}, {r['rows_top1']:.2f} "
                f"| {r['log_faq_labelled']}: {r['raw_top1']} / {r['ranked_top1']} "
                if first else "| | | "
            )
            tail = (
                f"| {r.get('encode_ms_p50', '')} / {r.get('encode_ms_p90', '')} | {r['build_s']} |" if first else "| | |"
            )
            kind = ("learned" + ("+linear" if p["linear"] else "")) if p["learned"] else "built-in"
            met = "" if p["met"] else " (target not met)"
            lines.append(
                f"{head}| {label}, {kind}{met} | {p['threshold']}, {p['rows_coverage']:.2f} / {p['rows_wrong']:.3f} "
                f"| {p['faq_right']} / {p['faq_wrong']} | {p['right']} / {p['wrong']} of {r['log_answerable']} {tail}"
            )
            first = False
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default="use-m3,e5-small", help="comma-separated embedders (use-m3 first)")
    parser.add_argument("--lang", default="vi")
    parser.add_argument("--log", default=str(LOG))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--seeds", default="", help="comma-separated extra fold seeds for the language's own rows")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if "holdout" in Path(args.log).name:
        parser.error("the hold-out is replayed for totals only, never measured comment by comment")
    with tempfile.TemporaryDirectory(prefix="bench-vi-route-") as tmp:
        runtime = room_runtime(Path(tmp))
        comments = comments_of(Path(args.log), args.lang)
        results = []
        for name in [m.strip() for m in args.models.split(",") if m.strip()]:
            seeds = [int(x) for x in args.seeds.split(",") if x.strip()]
            arm = make_arm(name, runtime, args.lang, seeds)
            results.append(measure(arm, runtime, comments, with_timing=not args.no_timing))
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        print(table(results, args.lang))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
