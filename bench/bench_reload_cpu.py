"""CPU of one catalog reload per edit kind on the synthetic shop of bench/bench_catalog_scale.py (run its import and
first-start steps first: they leave WORKDIR/shop.db and WORKDIR/index).

    python bench/bench_reload_cpu.py [--workdir var/bench-catalog-scale] [--rounds 5] [--profile examples]

Starts like `livereply run` (bot.bootstrap.build_runtime, fixed thresholds, threads 1), then for each edit kind makes
``--rounds`` edits through the store, each followed by ``engine.reload_if_changed()`` in this thread, nothing else
running. Reported per kind: the reload's thread CPU (``time.thread_time``, what a reload takes from the thread that
decides comments) and wall time, min / median / max. ``--profile KIND`` prints a cProfile of one more reload of KIND.
Prints only; writes nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

KINDS = ("examples", "answers", "remove_example", "product", "delete_faq")


def _edit(store: Any, kind: str, k: int, faq: Any, product: Any) -> None:
    mark = f"cpu {k} {time.time_ns()}"
    if kind == "examples":  # one more example question (one FAQ re-embedded)
        store.upsert_faq(dataclasses.replace(faq, questions=(*faq.questions, f"{faq.questions[0]} 请问 {mark}")))
    elif kind == "answers":
        store.upsert_faq(dataclasses.replace(faq, answers={lang: f"{t} ({mark})" for lang, t in faq.answers.items()}))
    elif kind == "remove_example":
        store.upsert_faq(dataclasses.replace(faq, questions=faq.questions[:-1], question_langs=faq.question_langs[:-1]))
    elif kind == "product":
        store.upsert_product(dataclasses.replace(product, description={**product.description, "en": mark}))
    elif kind == "delete_faq":
        store.delete_faq(faq.id)
    else:
        raise ValueError(kind)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workdir", type=Path, default=ROOT / "var/bench-catalog-scale")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--profile", help="an edit kind to profile once more (cProfile, cumulative)")
    ap.add_argument("--profile-lines", type=int, default=40)
    args = ap.parse_args(argv)

    import bot.bootstrap as bootstrap
    from bot.config import Settings

    work = args.workdir
    settings = Settings.load(
        {
            "db": f"sqlite:///{work / 'shop.db'}",
            "catalog": str(work / "shop.yaml"),
            "index_dir": str(work / "index"),
            "threads": 1,
            "model": "use-m3",
            "intents": str(ROOT / "data/intents.yaml"),
            "answer_threshold": 0.6,
            "staff_threshold": 0.5,
        },
        env={},
    )
    runtime = bootstrap.build_runtime(settings)
    engine, store = runtime.engine, runtime.store
    snap = store.snapshot()
    faq_ids = [f for f in snap.faqs if f.startswith("p0") and len(snap.faqs[f].questions) >= 2]
    product_ids = list(snap.products)
    used = 0
    out: dict[str, Any] = {"load": os.getloadavg()[0]}

    def one(kind: str) -> tuple[float, float]:
        nonlocal used
        fid = faq_ids[-1 - used]
        used += 1
        cur = store.snapshot()
        _edit(store, kind, used, cur.faqs[fid], cur.products[product_ids[used % len(product_ids)]])
        w, c = time.perf_counter(), time.thread_time()
        assert engine.reload_if_changed()
        return time.thread_time() - c, time.perf_counter() - w

    engine.reload_if_changed()
    one("answers")  # warm-up: first reload after start
    for kind in args.kinds.split(","):
        cpu, wall = zip(*(one(kind) for _ in range(args.rounds)), strict=True)
        out[kind] = {
            "cpu_ms": [round(min(cpu) * 1e3, 1), round(statistics.median(cpu) * 1e3, 1), round(max(cpu) * 1e3, 1)],
            "wall_ms": [round(min(wall) * 1e3, 1), round(statistics.median(wall) * 1e3, 1), round(max(wall) * 1e3, 1)],
        }
        print(kind, "thread CPU ms min/median/max", out[kind]["cpu_ms"], "wall ms", out[kind]["wall_ms"], flush=True)
    if args.profile:
        fid = faq_ids[-1 - used]
        used += 1
        cur = store.snapshot()
        _edit(store, args.profile, used, cur.faqs[fid], cur.products[product_ids[0]])
        prof = cProfile.Profile()
        prof.enable()
        engine.reload_if_changed()
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(args.profile_lines)
        print(buf.getvalue())
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(25)
        print(buf.getvalue())
    out["load_end"] = os.getloadavg()[0]
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
