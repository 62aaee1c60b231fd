"""Replay comment logs through the full pipeline over a real websocket, with no artificial delay, and report.

    python bench/bench_replay.py [--model use-m3] [--stream ../shared/data/streams/zh_bilibili_live_danmaku_asoul_20201211.tsv]
    python bench/bench_replay.py --only apart0,apart200 --runs 3 --no-write   # issue 12's two figures, medians
    python bench/bench_replay.py --only apart200,apart200-inproc --runs 5     # every run, in "replay, repeated runs"

Prints comments/s, p50/p99 latencies and peak memory, and rewrites the "replay" section of bench/RESULTS.md.
Runs:
  1. demo log, speed 0 (everything at once): throughput of the whole bot (socket → SQL log → embed → FAISS → render → reply)
  2. demo log, paced at 50 comments/s: comment→reply latency as a viewer sees it (room clock)
  3. a longer demo-like run (3,000 comments, varied wordings) at speed 0, and the raw encoder alone on the same texts
     with the same thread budget: the pipeline ÷ encoder ratio
  4. the same 3,000 comments with the room in its own process, as deployed (`livereply room` + `livereply run`): the
     in-process runs charge the simulated platform (log parsing, frames, its websocket side) to the bot's GIL and core;
     `livereply run` as deployed on 2 cores runs the encoder process (bot/prefetch.py), the "-inproc" rows without it
     (the in-process runs 1-3 never have one: they build the runtime directly)
  5. optional real live-chat stream (default: the Bilibili danmaku in ../shared/data), speed 0: throughput under load
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import resource
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.results import machine_line, write_section  # noqa: E402
from bot.bootstrap import build_runtime  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.replay import replay  # noqa: E402

DEFAULT_STREAM = ROOT.parent / "shared/data/streams/zh_bilibili_live_danmaku_asoul_20201211.tsv"


def stream_to_log(tsv: Path, out: Path, limit: int) -> int:
    n = 0
    with tsv.open(encoding="utf-8") as f, out.open("w", encoding="utf-8") as w:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in reader:
            text = row.get("text") or row.get("message") or ""
            ts = float(row.get("offset_s") or n * 0.1)
            w.write(
                json.dumps(
                    {"ts": ts, "user": row.get("user_hash") or row.get("author_hash") or "u", "text": text}, ensure_ascii=False
                )
                + "\n"
            )
            n += 1
            if n >= limit:
                break
    return n


def varied_demo_log(demo: Path, out: Path, n: int) -> list[str]:
    """``n`` comments drawn from the demo log's texts with small suffix variations (seeded): a longer run than the
    348-comment show, whose texts mostly miss the vector cache like live traffic (each wording is new)."""
    import random

    texts = [json.loads(line).get("text") for line in demo.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [t for t in texts if t]
    rng = random.Random(1)
    suffixes = ["", "?", "呀", "呢", "啊", "!", "哦", " ", "吗", "~", "??", "呀呀"]
    out_texts = []
    with out.open("w", encoding="utf-8") as w:
        for i in range(n):
            text = rng.choice(texts) + rng.choice(suffixes) + rng.choice(suffixes)
            out_texts.append(text)
            w.write(json.dumps({"ts": i * 0.01, "user": f"u{i % 300}", "text": text}, ensure_ascii=False) + "\n")
    return out_texts


def encoder_rate(settings: Settings, texts: list[str], batch: int) -> float:
    """The raw encoder alone on the same texts, in the live loop's batch size, with the same thread budget:
    distinct texts/s (what the whole pipeline is compared with)."""
    from models.embedders import get_embedder
    from models.threads import cap_threads

    cap_threads(settings.threads)
    embedder = get_embedder(settings.model, threads=settings.threads)
    embedder.warmup()
    unique = list(dict.fromkeys(texts))
    t0 = time.perf_counter()
    for i in range(0, len(unique), batch):
        embedder.encode(unique[i : i + batch])
    return len(unique) / (time.perf_counter() - t0)


def _demo_rate(log: Path) -> float:
    ts = [json.loads(line).get("ts", 0.0) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    comments = sum(1 for line in log.read_text(encoding="utf-8").splitlines() if line.strip() and '"type"' not in line)
    return comments / max(ts[-1] - ts[0], 1.0)


def run(settings: Settings, log: Path, speed: float, label: str) -> dict:
    runtime = build_runtime(settings)
    runtime.store.reset_session()
    t0 = time.perf_counter()
    report = asyncio.run(replay(runtime, log, speed=speed))
    wall = time.perf_counter() - t0
    d = report.as_dict()
    row = {
        "run": label,
        "comments": d["comments"],
        "comments_per_s": round(d["comments"] / wall, 1),
        "engine_p50_ms": d["latency_ms"]["engine_p50"],
        "engine_p99_ms": d["latency_ms"]["engine_p99"],
        "decision_p50_ms": d["latency_ms"]["decision_p50"],
        "decision_p99_ms": d["latency_ms"]["decision_p99"],
        "reply_p50_ms": d["latency_ms"]["room_p50"],
        "reply_p99_ms": d["latency_ms"]["room_p99"],
        "answered": d["answered"] + d["recommended"],
        "silent": d["silent"],
        "staff": d["staff"],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(row, ensure_ascii=False), flush=True)
    return row


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def two_process_row(
    settings: Settings, log: Path, label: str, work: Path, speed: float = 0.0, encoder_process: bool = True
) -> dict:
    """`livereply room --speed SPEED` and `livereply run` as two processes (how the bot meets a platform): comments/s =
    comments / (last decided − first received), read from the bot's comment_log; decision = received → decided.
    ``encoder_process``: the bot's default on 2 cores (a child embeds ahead, bot/prefetch.py) or off (in-process)."""
    livereply = ROOT / ".venv/bin/livereply"
    port = _free_port()
    db = work / f"two-process-{port}.db"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    out = work / f"room-{port}.out"
    with out.open("w", encoding="utf-8") as room_out:
        room = subprocess.Popen(
            [str(livereply), "room", "--log", str(log), "--speed", str(speed), "--port", str(port)],
            cwd=ROOT, env=env, stdout=room_out, stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 120
            while "room listening" not in out.read_text(encoding="utf-8", errors="replace"):
                if room.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"room did not start: {out.read_text(encoding='utf-8', errors='replace')[-500:]}")
                time.sleep(0.1)
            bot = subprocess.run(
                [
                    str(livereply), "run", "--room", f"ws://127.0.0.1:{port}", "--db", f"sqlite:///{db}",
                    "--index-dir", str(settings.index_dir), "--model", settings.model, "--threads", str(settings.threads),
                    "--quiet", "--encoder-process" if encoder_process else "--no-encoder-process",
                ],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
            )
            if bot.returncode != 0:
                raise RuntimeError(f"bot exited with {bot.returncode}: {bot.stderr[-800:]}")
        finally:
            if room.poll() is None:
                room.terminate()
                room.wait(10)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT status, received_at, updated_at FROM comment_log").fetchall()
    finally:
        con.close()
    received = [r[1] for r in rows]
    decided = [r[2] for r in rows if r[2] is not None]
    waits = sorted((r[2] - r[1]) * 1000 for r in rows if r[2] is not None)
    status = [r[0] for r in rows]

    def pct(q: float) -> float:
        return round(waits[min(len(waits) - 1, int(q * len(waits)))], 2) if waits else 0.0

    row = {
        "run": label,
        "comments": len(rows),
        "comments_per_s": round(len(rows) / max(max(decided) - min(received), 1e-9), 1),
        "engine_p50_ms": "—",
        "engine_p99_ms": "—",
        "decision_p50_ms": pct(0.50),
        "decision_p99_ms": pct(0.99),
        "reply_p50_ms": "—",
        "reply_p99_ms": "—",
        "answered": sum(s in ("answered", "merged") for s in status),
        "silent": sum(s == "silent" for s in status),
        "staff": sum(s == "staff" for s in status),
        "peak_rss_mb": "—",
    }
    print(json.dumps(row, ensure_ascii=False), flush=True)
    return row


ROWS = (
    "demo0", "demo50", "demo50-raw", "varied0", "apart0", "apart0-inproc", "paced200", "apart200", "apart200-inproc",
    "stream",
)


def _median_row(rows: list[dict]) -> dict:
    """The median of each numeric column over repeated runs of one row (other columns from the first run)."""
    import statistics

    out = dict(rows[0])
    for key, value in rows[0].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = round(statistics.median(r[key] for r in rows), 2)
    out["run"] = f"{rows[0]['run']} (median of {len(rows)})"
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="use-m3")
    ap.add_argument("--threads", type=int, default=Settings().threads, help="default: the bot's own default (1)")
    ap.add_argument("--stream", default=str(DEFAULT_STREAM))
    ap.add_argument("--stream-limit", type=int, default=3000)
    ap.add_argument("--varied", type=int, default=3000, help="comments in the varied demo-like run")
    ap.add_argument(
        "--only", default=",".join(ROWS),
        help=f"comma-separated rows to run (default all: {','.join(ROWS)}); apart0 = speed 0 with the room in its own "
        "process, apart200 = paced 200 comments/s with the room in its own process (issue 12's two figures); "
        "-inproc = the same with the encoder process off",
    )
    ap.add_argument("--runs", type=int, default=1, help="run each selected row this many times and report the medians")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    if unknown := only - set(ROWS):
        ap.error(f"unknown rows {sorted(unknown)}; known: {', '.join(ROWS)}")
    write = not args.no_write and only == set(ROWS) and args.runs == 1
    if not args.no_write and not write:
        print("(a partial or repeated run: bench/RESULTS.md is not rewritten)")

    load_line = machine_line()
    tmp = Path(tempfile.mkdtemp(prefix="livereply-bench-"))
    base = Settings.load(
        {"db": f"sqlite:///{tmp}/bench.db", "index_dir": str(tmp / "index"), "model": args.model, "threads": args.threads}
    )
    from bot.bootstrap import ensure_catalog, open_store

    ensure_catalog(open_store(base), base, replace=True)
    rows: list[dict] = []
    repeats: list[tuple[str, list[dict]]] = []  # with --runs N: every run of each row (the "replay, repeated" section)

    def measure(name: str, make: Callable[[], dict]) -> dict | None:
        if name not in only:
            return None
        runs = [make() for _ in range(max(1, args.runs))]
        row = runs[0] if len(runs) == 1 else _median_row(runs)
        if len(runs) > 1:
            print(json.dumps(row, ensure_ascii=False), flush=True)
            repeats.append((runs[0]["run"], runs))
        rows.append(row)
        return row

    demo = ROOT / "data/demo_comments.jsonl"
    measure("demo0", lambda: run(base, demo, 0.0, "demo log, speed 0 (throughput)"))
    rate = _demo_rate(demo)
    speed = 50.0 / rate
    measure("demo50", lambda: run(base, demo, speed, "demo log, paced 50 comments/s"))
    unthrottled = base.with_(rate_per_s=10_000.0, burst=10_000, merge_window_s=0.0)
    measure("demo50-raw", lambda: run(unthrottled, demo, speed, "same, no merge window / rate limit (pipeline latency)"))
    varied = tmp / "varied.jsonl"
    texts = varied_demo_log(demo, varied, args.varied)
    pipeline = measure("varied0", lambda: run(base, varied, 0.0, f"demo-like {args.varied} comments (varied wordings), speed 0"))
    ratio_line = ""
    encoder = 0.0
    if only & {"varied0", "apart0", "apart0-inproc"}:
        encoder = encoder_rate(base, texts, base.max_batch)
        distinct = len(set(texts))
        ratio_line = (
            f"Side by side in this run: the raw encoder alone embeds {encoder:.0f} distinct texts/s (batches of "
            f"{base.max_batch}, {distinct} distinct of {len(texts)})"
        )
        ratio_line += (
            f"; the whole bot processed {pipeline['comments_per_s']} comments/s on them = "
            f"**{pipeline['comments_per_s'] / encoder:.2f}×** the encoder (issue 12's goal: ≥ 0.60×).\n"
            if pipeline else ".\n"
        )
        print(ratio_line, flush=True)
    apart_label = f"demo-like {args.varied} comments, speed 0, room in its own process"
    apart = measure("apart0", lambda: two_process_row(base, varied, apart_label, tmp))
    inproc = measure("apart0-inproc", lambda: two_process_row(
        base, varied, apart_label + ", encoder process off", tmp, encoder_process=False
    ))
    if apart:
        ratio_line += (
            f"With the simulated room in its own process (as deployed: `livereply room` + `livereply run`, rate = "
            f"comments / (last decided − first received) from comment_log): {apart['comments_per_s']} comments/s = "
            f"**{apart['comments_per_s'] / encoder:.2f}×** the encoder"
        )
        ratio_line += (
            f" (encoder process off: {inproc['comments_per_s']} comments/s = {inproc['comments_per_s'] / encoder:.2f}×).\n"
            if inproc else ".\n"
        )
        print(ratio_line, flush=True)
    # issue 12: comment → decision p99 at 200 comments/s paced (the varied log is 100 comments/s at speed 1): the
    # decision columns; no merge window / rate limit, so the room's reply clock shows the pipeline too (reply ≥ decision)
    paced_label = f"demo-like {args.varied} comments, paced 200 comments/s, no merge window"
    measure("paced200", lambda: run(unthrottled, varied, 2.0, paced_label))
    # the same pace with the room in its own process: the in-process row charges the simulated platform (its
    # websocket, replay clock and reply bookkeeping) to the bot's GIL, the deployed bot shares its GIL with no room
    apart200_label = f"demo-like {args.varied} comments, paced 200 comments/s, room in its own process"
    measure("apart200", lambda: two_process_row(base, varied, apart200_label, tmp, speed=2.0))
    measure("apart200-inproc", lambda: two_process_row(
        base, varied, apart200_label + ", encoder process off", tmp, speed=2.0, encoder_process=False
    ))
    stream = Path(args.stream)
    if "stream" in only:
        if stream.exists():
            log = tmp / "stream.jsonl"
            n = stream_to_log(stream, log, args.stream_limit)
            measure("stream", lambda: run(base, log, 0.0, f"{stream.name} first {n}, speed 0"))
        else:
            print(f"(stream {stream} not found; skipped)")

    header = (
        f"{load_line} Model {args.model}, threads={args.threads}.\n"
        "engine = per-comment processing inside the bot (batch time / batch size: SQL log + embed + FAISS + decide + render);\n"
        "decision = bot received the comment → its decision was made (waiting for its batch + the batch's processing);\n"
        "reply = room clock, comment sent → reply received over the socket. With the defaults it includes the 1 s merge window\n"
        "and the per-room rate limit of 3 replies/s (a backlog when 50 comments/s arrive); "
        "the unthrottled run shows the pipeline itself.\n"
    )
    cols = list(rows[0])
    table = "| " + " | ".join(cols) + " |\n|" + "---|" * len(cols) + "\n"
    table += "".join("| " + " | ".join(str(r[c]) for c in cols) + " |\n" for r in rows)
    if write:
        write_section(ROOT / "bench/RESULTS.md", "replay", header + "\n" + table + "\n" + ratio_line)
        print("wrote bench/RESULTS.md")
    if repeats and not args.no_write:
        write_section(ROOT / "bench/RESULTS.md", "replay, repeated runs", _repeats_text(load_line, args, repeats))
        print("wrote bench/RESULTS.md (replay, repeated runs)")


def _repeats_text(load_line: str, args: argparse.Namespace, repeats: list[tuple[str, list[dict]]]) -> str:
    """Each run of the rows run several times (``--runs N``): a p99 read off one run moves by several ms between
    runs on a shared VM, so the spread is part of the figure."""
    intro = (
        f"{load_line} Model {args.model}, threads={args.threads}. `python bench/bench_replay.py --only "
        f"{args.only} --runs {args.runs}`: the rows of the \"replay\" section run {args.runs} times back to back "
        "(comment → decision in ms; comments/s)."
    )
    lines = [
        intro,
        "",
        "| run | comments/s per run | decision p50 per run | decision p99 per run | p99 median (min–max) |",
        "|---|---|---|---|---|",
    ]
    for label, runs in repeats:
        p99 = [r["decision_p99_ms"] for r in runs]
        lines.append(
            f"| {label} | {', '.join(str(r['comments_per_s']) for r in runs)} | "
            f"{', '.join(str(r['decision_p50_ms']) for r in runs)} | {', '.join(str(v) for v in p99)} | "
            f"{sorted(p99)[len(p99) // 2]} ({min(p99)}–{max(p99)}) |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
