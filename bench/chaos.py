"""Chaos driver: a local room replays a show to a real `livereply run` process while connections are broken.

Kinds of failure, in rotation: a clean close (1012), a TCP abort, a room server restart, and on PostgreSQL
``pg_terminate_backend`` of the bot's database connections; once during the show the bot is killed with
SIGKILL and started again. Afterwards the database must hold every comment exactly once, none left
undecided or in error, and no comment answered twice. Used by tests/test_chaos.py (short) and
bench/bench_chaos.py (long).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.invariants import check as check_log
from bot.messages import Comment, InboundEvent, Order, Stage
from bot.room import LocalRoom
from catalog.store import CatalogStore

ROOT = Path(__file__).resolve().parents[1]
APP_NAME = "livereply-chaos"

log = logging.getLogger(__name__)


@dataclass
class ChaosResult:
    comments: int = 0
    disconnects: dict[str, int] = field(default_factory=dict)
    kills: int = 0
    bot_starts: int = 0
    recorded: int = 0
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    answered_twice: list[str] = field(default_factory=list)
    replies: int = 0
    resent: int = 0
    seconds: float = 0.0

    @property
    def total_disconnects(self) -> int:
        return sum(self.disconnects.values())

    def problems(self) -> list[str]:
        out = []
        if self.missing:
            out.append(f"{len(self.missing)} comments never recorded: {self.missing[:5]}")
        if self.unexpected:
            out.append(f"{len(self.unexpected)} unexpected rows: {self.unexpected[:5]}")
        for status in ("received", "error"):
            if self.statuses.get(status):
                out.append(f"{self.statuses[status]} rows left {status!r}")
        if self.answered_twice:
            out.append(f"{len(self.answered_twice)} comments answered twice: {self.answered_twice[:5]}")
        return out


def show(n_comments: int, seconds: float) -> list[InboundEvent]:
    """A show of ``n_comments`` real demo-show texts (unique ids) spread over ``seconds``, with a few orders."""
    texts = []
    with open(ROOT / "data/demo_comments.jsonl", encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            if obj.get("type", "comment") == "comment":
                texts.append(obj["text"])
    spacing = seconds / max(1, n_comments)
    events: list[InboundEvent] = [Stage(product_id="tee-classic", ts=0.0)]
    for i in range(n_comments):
        events.append(Comment(id=f"x{i:05d}", user=f"v{i % 97}", text=texts[i % len(texts)], ts=(i + 1) * spacing))
        if i % 50 == 25:
            events.append(Order(order_id=f"o{i}", sku="TEE-BLK-M", qty=1, ts=(i + 1) * spacing, user=f"v{i % 97}"))
    return events


def bot_command(room_url: str, db_url: str, workdir: Path) -> list[str]:
    exe = Path(sys.executable).parent / "livereply"
    return [
        str(exe), "run", "--room", room_url, "--db", db_url, "--index-dir", str(workdir / "index"),
        "--catalog", str(ROOT / "data/catalog.yaml"), "--intents", str(ROOT / "data/intents.yaml"),
        "--answer-threshold", "0.6", "--staff-threshold", "0.5", "--threads", "1", "--quiet",
        "--rate-per-s", "200", "--burst", "200", "--merge-window-s", "0.1",
    ]


def with_app_name(db_url: str) -> str:
    url = make_url(db_url)
    if url.get_backend_name() == "postgresql":
        url = url.update_query_dict({"application_name": APP_NAME})
    return url.render_as_string(hide_password=False)


def terminate_bot_connections(db_url: str) -> int:
    """pg_terminate_backend every connection of the bot (found by its application_name)."""
    admin = create_engine(make_url(db_url).set(query={}), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = :a AND pid <> pg_backend_pid()"
                ),
                {"a": APP_NAME},
            ).all()
        return len(rows)
    finally:
        admin.dispose()


async def run_chaos(
    db_url: str,
    workdir: Path,
    *,
    comments: int = 400,
    seconds: float = 25.0,
    disconnects: int = 100,
    kill_at: float = 0.5,
    timeout_s: float = 240.0,
    spread: float = 0.7,
    poll_s: float = 0.02,
) -> ChaosResult:
    """Replay a show of ``comments`` over ``seconds`` while forcing ``disconnects`` failures and one kill -9.

    The failures follow the show, not the wall clock: failure ``k`` is due once the replay has reached ``k / disconnects``
    of the first ``spread`` of the show, and a failure that breaks the connection is only forced on a new connection
    (the bot came back since the previous one). A slow machine makes the run longer, not short of
    failures: the show stands still while the bot is away, and once a failure is due the room is paused
    (``LocalRoom.pause``) until it is forced, so a loaded machine's slow polling cannot let the show run past the
    failures (on a loaded box it used to end with 77–89 of 100). Ends after ``timeout_s`` at the latest.
    """
    workdir.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - setup, before the room or the bot runs
    postgres = make_url(db_url).get_backend_name() == "postgresql"
    bot_url = with_app_name(db_url)
    # Import the catalog once, so the bot's first start is like any other start.
    CatalogStore(db_url).close()
    events = show(comments, seconds)
    result = ChaosResult(comments=comments)
    started = time.monotonic()
    room = LocalRoom(events, speed=1.0, drain_s=20.0)
    await room.start()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    logs = open(workdir / "bot.log", "ab")  # noqa: SIM115, ASYNC230 - shared by every bot start; closed in the finally below

    def start_bot() -> subprocess.Popen[bytes]:
        result.bot_starts += 1
        return subprocess.Popen(bot_command(room.url, bot_url, workdir), stdout=logs, stderr=subprocess.STDOUT, env=env)

    proc = start_bot()
    kinds = ["clean", "abort", "restart"] + (["pg_terminate"] if postgres else [])
    try:
        deadline = time.monotonic() + timeout_s
        while not room.connected:
            if proc.poll() is not None:
                raise RuntimeError(f"bot exited with {proc.returncode} before connecting; see {workdir / 'bot.log'}")
            if time.monotonic() > deadline:
                raise TimeoutError("bot did not connect")
            await asyncio.sleep(0.05)
        done = 0
        killed = False
        seen = 0  # room.connections when the last connection-breaking failure was forced (0: none yet)
        while not room.finished and time.monotonic() < deadline and (done < disconnects or not killed):
            await asyncio.sleep(poll_s)
            progress = room.cursor / len(room.events)
            if not killed and progress >= kill_at:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                result.kills += 1
                killed = True
                proc = start_bot()
                continue
            if done >= disconnects or progress < spread * done / max(1, disconnects):
                room.resume()  # not due (or no longer: a reconnect rewinds the show to the last acknowledged event)
                continue
            room.pause()  # failure `done` is due: the show waits for it, so a slow machine cannot outrun the failures
            kind = kinds[done % len(kinds)]
            if not room.connected or (kind != "pg_terminate" and room.connections == seen):
                continue  # the bot is away, or still on the connection the previous failure broke
            if kind == "clean":
                await room.drop_client()
            elif kind == "abort":
                await room.drop_client(abrupt=True)
            elif kind == "restart":
                await room.restart_server()
            else:
                await asyncio.to_thread(terminate_bot_connections, db_url)
            if kind != "pg_terminate":
                seen = room.connections
            result.disconnects[kind] = result.disconnects.get(kind, 0) + 1
            done += 1
            room.resume()
        room.resume()  # the deadline may have ended the loop with a failure still due
        await asyncio.wait_for(room.wait_finished(), max(1.0, deadline - time.monotonic()))
        exit_code = await asyncio.wait_for(asyncio.to_thread(proc.wait), 60)
        if exit_code != 0:
            raise RuntimeError(f"bot exited with {exit_code}; see {workdir / 'bot.log'}")
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        logs.close()
        await room.stop()
    result.resent = room.resent
    result.seconds = time.monotonic() - started
    check(result, db_url, [e.id for e in events if isinstance(e, Comment)])
    return result


def check(result: ChaosResult, db_url: str, expected_ids: list[str]) -> None:
    """Copy the log invariants (bench/invariants.py) into the result; the room of a `livereply run` is "local"."""
    log_check = check_log(db_url, {("local", cid) for cid in expected_ids})
    result.recorded = log_check.recorded
    result.missing = [cid for _, cid in log_check.missing]
    result.unexpected = [cid for _, cid in log_check.duplicated]
    result.statuses = log_check.statuses
    result.replies = log_check.replies
    result.answered_twice = [cid for _, cid in log_check.answered_twice]
