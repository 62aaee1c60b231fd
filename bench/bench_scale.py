"""Scale-out benchmark (docs/scale.md): 4 local rooms replaying demo comments at full speed, 4 `livereply gateway`
processes, 1 or 2 `livereply worker` processes on Redis Streams, PostgreSQL as the shared catalog and log.

    python bench/bench_scale.py [--rooms 4] [--comments 300] [--pg URL] [--redis URL] [--no-write]

Prints comments/s for 1 and 2 workers side by side and writes the "Scale-out" section of bench/RESULTS.md. The helpers
(process commands, the show, the exactly-once check) are shared with tests/test_scale.py.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.chaos import show
from bench.invariants import check
from bench.results import machine_line, write_section
from bot.room import LocalRoom
from catalog.io import import_catalog
from catalog.store import CatalogStore

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
EXE = str(Path(sys.executable).parent / "livereply")
REDIS_URL = os.environ.get("LIVEREPLY_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def prepare_db(db_url: str) -> None:
    """Schema and catalog once, before any worker starts (two workers must not import the catalog concurrently)."""
    store = CatalogStore(db_url)
    try:
        if not store.snapshot().products:
            import_catalog(store, ROOT / "data/catalog.yaml")
    finally:
        store.close()


def worker_command(
    redis_url: str, prefixes: list[str], db_url: str, workdir: Path, consumer: str, claim_idle_s: float = 10.0,
    *, quiet: bool = True,
) -> list[str]:
    """`livereply worker` as the bench runs it: without the transcript (--quiet) unless asked, so that printing a line
    per comment is not measured."""
    cmd = [EXE, "worker", "--redis", redis_url, *(["--quiet"] if quiet else [])]
    for p in prefixes:
        cmd += ["--stream-prefix", p]
    return [
        *cmd, "--db", db_url, "--index-dir", str(workdir / "index"), "--spool-dir", str(workdir),
        "--catalog", str(ROOT / "data/catalog.yaml"), "--intents", str(ROOT / "data/intents.yaml"),
        "--answer-threshold", "0.6", "--staff-threshold", "0.5", "--threads", "1",
        "--rate-per-s", "200", "--burst", "200", "--merge-window-s", "0.1",
        "--consumer", consumer, "--claim-idle-s", str(claim_idle_s),
    ]


def gateway_command(room_url: str, redis_url: str, prefix: str, workdir: Path, *, end_idle: bool = True) -> list[str]:
    return [
        EXE, "gateway", *(["-v"] if os.environ.get("LR_BENCH_VERBOSE") else []),
        "--room", room_url, "--redis", redis_url, "--stream-prefix", prefix,
        "--spool", str(workdir / f"gateway-{prefix.replace(':', '_')}.jsonl"), "--rate-per-s", "200", "--burst", "200",
    ]


def multi_room_gateway_command(room_urls: list[str], prefixes: list[str], redis_url: str, spool_dir: Path) -> list[str]:
    """One `livereply gateway` process for several rooms, running until SIGTERM (no worker needed to end it)."""
    cmd = [EXE, "gateway", "--redis", redis_url, "--spool-dir", str(spool_dir), "--keep-running"]
    for url, prefix in zip(room_urls, prefixes, strict=True):
        cmd += ["--room", url, "--stream-prefix", prefix]
    return cmd


def spawn(cmd: list[str], log_path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    with open(log_path, "ab") as logs:
        return subprocess.Popen(cmd, stdout=logs, stderr=subprocess.STDOUT, env=env)


def stop(proc: subprocess.Popen[bytes], timeout: float = 30.0) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
    return proc.wait()


async def wait_consumers(redis, prefixes: list[str], n: int, wait_s: float = 120.0, procs=()) -> None:
    """Until ``n`` consumers of the workers group read each room's stream (the workers are loaded)."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        for p in procs:
            if p.poll() is not None:
                raise RuntimeError(f"a worker exited with {p.returncode} while starting")
        try:
            counts = [len(await redis.xinfo_consumers(f"{p}:in", "workers")) for p in prefixes]
        except Exception:  # noqa: BLE001 - the group does not exist yet
            counts = [0]
        ok = min(counts) >= n
        if ok:
            return
        await asyncio.sleep(0.2)
    raise TimeoutError("workers did not start")


async def delete_streams(redis, prefixes: list[str]) -> None:
    for p in prefixes:
        await redis.delete(f"{p}:in", f"{p}:out", f"{p}:stage")


def decided(db_url: str) -> tuple[int, float | None]:
    """(comments decided, earliest received_at) in the log."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            n, first = conn.execute(text("SELECT count(*), min(received_at) FROM comment_log WHERE status <> 'received'")).one()
        return int(n), first
    finally:
        engine.dispose()


def pg_schema(base: str) -> tuple[str, str]:
    schema = f"lr_scale_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    admin.dispose()
    return make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False), schema


def drop_schema(base: str, schema: str) -> None:
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    admin.dispose()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a live process (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class RunResult:
    workers: int
    comments: int
    seconds: float
    replies: int
    problems: list[str]
    worker_cpu_s: float = 0.0
    gateway_cpu_s: float = 0.0
    ingest_rate: float = 0.0  # events/s the gateways wrote to the streams (first to last XADD)
    entries: int = 0

    @property
    def rate(self) -> float:
        return self.comments / self.seconds if self.seconds else 0.0


async def run_once(pg: str, redis_url: str, workdir: Path, *, workers: int, rooms: int, comments: int) -> RunResult:
    from redis.asyncio import Redis

    db_url, schema = pg_schema(pg)
    tag = uuid.uuid4().hex[:6]
    prefixes = [f"lr:bench{tag}-r{i}" for i in range(rooms)]
    redis = Redis.from_url(redis_url, decode_responses=True)
    procs: list[subprocess.Popen[bytes]] = []
    gateways: list[subprocess.Popen[bytes]] = []
    room_servers: list[LocalRoom] = []
    workdir.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - setup
    try:
        await asyncio.to_thread(prepare_db, db_url)
        expected: set[tuple[str, str]] = set()
        entries = 0
        for p in prefixes:
            events = show(comments, 1.0)
            room = LocalRoom(events, speed=0.0, drain_s=60.0)
            await room.start()
            room_servers.append(room)
            entries += len(events)
            expected |= {(p.removeprefix("lr:"), e.id) for e in events if hasattr(e, "text")}
        for p, room in zip(prefixes, room_servers, strict=True):
            gateways.append(spawn(gateway_command(room.url, redis_url, p, workdir), workdir / f"gateway-{p[3:]}.log"))
        # 1. the gateways put every room's show into Redis (no worker yet): their ingest rate
        deadline = time.monotonic() + 300
        while sum([await redis.xlen(f"{p}:in") for p in prefixes]) < entries:
            if time.monotonic() > deadline:
                raise TimeoutError("the gateways did not stream every event")
            await asyncio.sleep(0.1)
        spans = [await redis.xinfo_stream(f"{p}:in") for p in prefixes]
        first_ms = min(int(str(x["first-entry"][0]).split("-")[0]) for x in spans)
        last_ms = max(int(str(x["last-entry"][0]).split("-")[0]) for x in spans)
        ingest = entries / max(0.001, (last_ms - first_ms) / 1000)
        gateway_cpu = sum(cpu_seconds(g.pid) for g in gateways)
        # 2. the workers work the backlog: comments decided per second once every worker reads
        for i in range(workers):
            procs.append(spawn(worker_command(redis_url, prefixes, db_url, workdir, f"w{i}"), workdir / f"worker{i}.log"))
        await wait_consumers(redis, prefixes, workers, procs=procs)
        start = time.time()
        worker_cpu_start = sum(cpu_seconds(p.pid) for p in procs)  # the model load is not the comments' cost
        n0, _ = await asyncio.to_thread(decided, db_url)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            n, _ = await asyncio.to_thread(decided, db_url)
            if n >= len(expected):
                break
            await asyncio.sleep(0.1)
        end = time.time()
        worker_cpu = sum(cpu_seconds(p.pid) for p in procs) - worker_cpu_start
        n, _ = await asyncio.to_thread(decided, db_url)
        seconds = end - start
        for p, g in zip(prefixes, gateways, strict=True):
            try:
                await asyncio.to_thread(g.wait, 60)
            except subprocess.TimeoutExpired:
                groups = {k: await redis.xinfo_groups(f"{p}:{k}") for k in ("in", "out")}
                await asyncio.to_thread(stop, g)  # SIGTERM: it prints its stats on the way out
                tail = (workdir / f"gateway-{p[3:]}.log").read_text(errors="replace")[-1500:]
                raise RuntimeError(f"gateway {p} did not finish: {groups}\n{tail}") from None
        for p in procs:
            await asyncio.to_thread(stop, p)
        result = await asyncio.to_thread(check, db_url, expected)
        return RunResult(workers, n - n0, seconds, result.replies, result.problems(), worker_cpu, gateway_cpu, ingest, entries)
    finally:
        for proc in procs + gateways:
            if proc.poll() is None:
                proc.kill()
        for room in room_servers:
            await room.stop()
        await delete_streams(redis, prefixes)
        await redis.aclose()
        drop_schema(pg, schema)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rooms", type=int, default=4)
    ap.add_argument("--comments", type=int, default=300)
    ap.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    ap.add_argument("--redis", default=REDIS_URL)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=1, help="alternate the configurations this many times (noisy box)")
    ap.add_argument("--workdir", help="keep the process logs here (default: a temporary directory)")
    args = ap.parse_args()
    head = machine_line()
    results = []
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = args.workdir or tmp_dir
        for round_no, workers in enumerate(args.workers * args.repeat):
            r = asyncio.run(run_once(args.pg, args.redis, Path(tmp) / f"w{workers}-{round_no}", workers=workers,
                                     rooms=args.rooms, comments=args.comments))
            print(f"{workers} worker(s): {r.comments} comments in {r.seconds:.1f} s = {r.rate:.0f}/s, {r.replies} replies, "
                  f"worker CPU {r.worker_cpu_s:.1f} s, gateway CPU {r.gateway_cpu_s:.1f} s, "
                  f"{'OK' if not r.problems else r.problems}", flush=True)
            results.append(r)
    import statistics

    median = {w: statistics.median(r.rate for r in results if r.workers == w) for w in args.workers}
    lo, hi = min(args.workers), max(args.workers)
    ratio = median[hi] / median[lo] if median[lo] else float("nan")
    medians = ", ".join(f"{w} worker{'s' if w > 1 else ''} {m:.0f}/s" for w, m in sorted(median.items()))
    rows = "\n".join(
        f"| {r.workers} | {args.rooms} × {args.comments} | {r.comments} | {r.seconds:.1f} s | {r.rate:.0f} | {r.replies} | "
        f"{1000 * r.worker_cpu_s / max(1, r.comments):.2f} | {r.worker_cpu_s / r.seconds if r.seconds else 0:.2f} | "
        f"{r.ingest_rate:.0f} | {1000 * r.gateway_cpu_s / max(1, r.entries):.2f} | "
        f"{'OK' if not r.problems else '; '.join(r.problems)} |"
        for r in results
    )
    body = f"""{head}

`python bench/bench_scale.py --rooms {args.rooms} --comments {args.comments} --repeat {args.repeat}`: {args.rooms} local rooms
replay {args.comments} demo comments each (plus a stage and a few orders) as fast as they can, one `livereply gateway`
process per room. First the gateways stream every event into Redis with no worker running (ingest/s = events ÷ first
to last XADD; gw ms/event = gateway CPU incl. start-up ÷ events); then 1 or 2 `livereply worker` processes (threads=1,
every worker serves every room through the `workers` group, PostgreSQL for catalog and logs) work that backlog:
comments/s = comments decided ÷ time, from the moment every worker reads (model loaded) to the last decided. Worker
CPU = user + system time of the workers over that time; "worker cores" = that ÷ the time. Afterwards every
(room, id) must be in comment_log exactly once, none undecided, none in two replies (ok).

| workers | rooms × comments | decided | time | comments/s | replies | worker CPU ms/c | worker cores | ingest/s | gw ms/ev | ok |
|---|---|---|---|---|---|---|---|---|---|---|
{rows}

Median comments/s over {args.repeat} alternating run(s): {medians}; {hi} workers ÷ {lo} = **{ratio:.2f}×** on this box
(2 shared cores that also run PostgreSQL, Redis, the gateways, the rooms and other sessions' work: a second worker
process can only add what is left of the second core; docs/scale.md has the 1,000-room arithmetic).
"""
    print(body)
    if not args.no_write:
        write_section(RESULTS, "Scale-out", body)
    return 0 if not any(r.problems for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
