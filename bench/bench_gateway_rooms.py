"""Memory of one `livereply gateway` process serving N rooms (docs/scale.md, "1,000 rooms: the arithmetic").

    .venv/bin/python bench/bench_gateway_rooms.py [--rooms 1,10,50] [--no-write]

For each N: N local rooms (bot.room.LocalRoom) replay a short show; one gateway process (`--room URL --stream-prefix P`
repeated N times, `--keep-running`, Redis at 127.0.0.1:6379, no worker) streams them into Redis. Once every room's
show is in its stream, the gateway's VmRSS is read from /proc, then it is stopped with SIGTERM. Prints one row per N
and writes the "Gateway rooms per process" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.bench_scale import REDIS_URL, delete_streams, multi_room_gateway_command, spawn  # noqa: E402
from bench.chaos import show  # noqa: E402
from bench.results import machine_line, write_section  # noqa: E402
from bot.room import LocalRoom  # noqa: E402

SECTION = "Gateway rooms per process"
SHOW_COMMENTS = 20


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def measure(n_rooms: int, spool_dir: Path) -> dict[str, float]:
    """One gateway process for ``n_rooms`` local rooms: its RSS once every show is in Redis, and how long that took."""
    from redis.asyncio import Redis

    tag = uuid.uuid4().hex[:6]
    prefixes = [f"lr:bgw{tag}{i}" for i in range(n_rooms)]
    shows = [show(SHOW_COMMENTS, 0.5) for _ in range(n_rooms)]
    rooms = [LocalRoom(events, speed=0.0, drain_s=60.0) for events in shows]
    redis = Redis.from_url(REDIS_URL, decode_responses=True)
    proc = None
    try:
        for room in rooms:
            await room.start()
        cmd = multi_room_gateway_command([room.url for room in rooms], prefixes, REDIS_URL, spool_dir)
        started = time.monotonic()
        proc = spawn(cmd, spool_dir / f"gateway-{n_rooms}.log")
        deadline = started + 120
        while time.monotonic() < deadline:
            lengths = [await redis.xlen(f"{p}:in") for p in prefixes]
            if all(n >= len(events) for n, events in zip(lengths, shows, strict=True)):
                break
            await asyncio.sleep(0.2)
        else:
            raise RuntimeError(f"{n_rooms} rooms: not every show reached Redis within 120 s")
        streamed_s = time.monotonic() - started
        await asyncio.sleep(1.0)  # settle
        rss = _rss_mb(proc.pid)
        proc.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(proc.wait, 30)
        if code != 0:
            raise RuntimeError(f"gateway exited with {code}")
        return {"rooms": n_rooms, "rss_mb": rss, "streamed_s": streamed_s}
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
        for room in rooms:
            await room.stop()
        await delete_streams(redis, prefixes)
        await redis.aclose()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rooms", default="1,10,50", help="comma-separated room counts")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    head = machine_line()
    print(head, flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.rooms.split(",") if x):
            row = asyncio.run(measure(n, Path(tmp)))
            rows.append(row)
            print(f"{n} rooms: RSS {row['rss_mb']:.1f} MB, shows in Redis after {row['streamed_s']:.1f} s", flush=True)
    base = rows[0]
    lines = [
        head,
        "",
        "`python bench/bench_gateway_rooms.py`: one `livereply gateway` process serving N local rooms (`--room` /",
        f"`--stream-prefix` repeated), each room replaying a {SHOW_COMMENTS}-comment show into Redis; RSS of the gateway",
        "process once every show is in its stream (no worker running, `--keep-running`).",
        "",
        "| rooms in the process | RSS | per room beyond the first | shows in Redis after |",
        "|---|---|---|---|",
    ]
    for row in rows:
        extra = (row["rss_mb"] - base["rss_mb"]) / (row["rooms"] - base["rooms"]) if row["rooms"] > base["rooms"] else 0.0
        per_room = f"{extra * 1024:.0f} kB" if row["rooms"] > base["rooms"] else "—"
        lines.append(f"| {row['rooms']} | {row['rss_mb']:.1f} MB | {per_room} | {row['streamed_s']:.1f} s |")
    body = "\n".join(lines) + "\n"
    print(body)
    if not args.no_write:
        write_section(ROOT / "bench/RESULTS.md", SECTION, body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
