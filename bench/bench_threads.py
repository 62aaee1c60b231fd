"""Thread budget: the whole engine (record → embed → FAISS → decide → render, SQLite) with 1 vs 2 threads, on a
quiet machine and on one loaded by two CPU-bound processes (what a shared 2-core box looks like).

    python bench/bench_threads.py [--comments 3000] [--threads 1 2] [--no-write]

Each configuration runs in its own process (the thread cap is process-wide). Reports comments/s (wall) and CPU
milliseconds per comment (user + system of the bot process), and rewrites the "threads" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.results import machine_line, write_section  # noqa: E402

STREAM = ROOT.parent / "shared/data/streams/zh_bilibili_live_danmaku_asoul_20201211.tsv"


def _texts(n: int) -> list[str]:
    texts: list[str] = []
    lines = (ROOT / "data/demo_comments.jsonl").read_text(encoding="utf-8").splitlines()
    demo = [json.loads(line) for line in lines if line.strip()]
    texts += [d["text"] for d in demo if d.get("type", "comment") == "comment"]
    with STREAM.open(encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            parts = line.rstrip("\n").split("\t", 3)
            if len(parts) == 4:
                texts.append(parts[3])
            if len(texts) >= n:
                break
    return texts[:n]


def _worker(threads: int, n: int, out: str) -> None:
    """One configuration, in a fresh process: build the runtime, process n comments in batches of 64."""
    from bot.bootstrap import build_runtime, ensure_catalog, open_store
    from bot.config import Settings
    from bot.messages import Comment

    tmp = tempfile.mkdtemp()
    settings = Settings.load(
        {"db": f"sqlite:///{tmp}/t.db", "index_dir": f"{tmp}/index", "threads": threads,
         "catalog": str(ROOT / "data/catalog.yaml"), "intents": str(ROOT / "data/intents.yaml"),
         "answer_threshold": 0.6, "staff_threshold": 0.5},
        env={},
    )
    store = open_store(settings)
    ensure_catalog(store, settings, replace=True)
    runtime = build_runtime(settings, store=store)
    engine = runtime.engine
    engine.stage_product_id = "tee-classic"
    texts = _texts(n)
    comments = [Comment(id=f"t{i}", user=f"u{i % 500}", text=t, ts=float(i)) for i, t in enumerate(texts)]
    engine.process(comments[:64])  # warm caches and code paths
    engine._vec_cache.clear()  # measure embedding, not the cache
    r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    for start in range(64, len(comments), 64):
        engine.process(comments[start : start + 64])
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    done = len(comments) - 64
    Path(out).write_text(json.dumps({"threads": threads, "comments": done, "per_s": done / wall, "cpu_ms": cpu / done * 1000}))


def _burn() -> None:
    x = 0
    while True:
        x += 1


def run_config(threads: int, n: int, loaded: bool) -> dict:
    burners = [mp.Process(target=_burn, daemon=True) for _ in range(2 if loaded else 0)]
    for b in burners:
        b.start()
    try:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
            out = fh.name
        code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); from bench.bench_threads import _worker; "
                f"_worker({threads}, {n}, {out!r})")
        subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
        return json.loads(Path(out).read_text())
    finally:
        for b in burners:
            b.terminate()
            b.join()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--comments", type=int, default=3000)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    head = machine_line()
    rows = []
    for loaded in (False, True):
        for threads in args.threads:
            r = run_config(threads, args.comments, loaded)
            label = "loaded (2 busy processes)" if loaded else "quiet"
            rows.append(f"| {label} | {threads} | {r['comments']} | {r['per_s']:.0f} | {r['cpu_ms']:.2f} |")
            print(rows[-1], flush=True)
    body = "\n".join([
        head,
        (
            "`python bench/bench_threads.py`: the whole engine per batch of 64 (SQLite log + USE-m3 + FAISS + decide + render), "
            "each configuration in a fresh process with the thread cap of `--threads` (BLAS, OpenMP, FAISS; models/threads.py). "
            "'loaded' runs two CPU-bound Python processes beside it, like the other jobs of a shared 2-core box. "
            "The first row of each pair is the default (`threads = 1`)."
        ),
        "",
        "| machine state | threads | comments | comments/s | CPU ms per comment |",
        "|---|---|---|---|---|",
        *rows,
    ])
    if not args.no_write:
        write_section(Path(__file__).resolve().parent / "RESULTS.md", "threads", body)
    print(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
