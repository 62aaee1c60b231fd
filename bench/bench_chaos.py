"""Long chaos run (the CI variant is tests/test_chaos.py): a real `livereply run` process, a local room, hundreds of
forced disconnects of every kind, pg_terminate_backend on PostgreSQL, and one kill -9 mid-show.

    python bench/bench_chaos.py [--comments 3000] [--seconds 150] [--disconnects 500] [--pg URL] [--no-write]

Writes the "chaos" section of bench/RESULTS.md; exits non-zero when an invariant fails.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from bench.chaos import run_chaos
from bench.results import machine_line, write_section

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def _pg_schema(base: str) -> tuple[str, str]:
    schema = f"lr_chaos_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    admin.dispose()
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def _drop(base: str, schema: str) -> None:
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    admin.dispose()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--comments", type=int, default=3000)
    ap.add_argument("--seconds", type=float, default=150.0)
    ap.add_argument("--disconnects", type=int, default=500)
    ap.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    head = machine_line()
    rows = []
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("sqlite", "postgresql"):
            schema = None
            if name == "sqlite":
                url = f"sqlite:///{tmp}/chaos.db"
            else:
                url, schema = _pg_schema(args.pg)
            try:
                r = asyncio.run(
                    run_chaos(url, Path(tmp) / name, comments=args.comments, seconds=args.seconds,
                              disconnects=args.disconnects, kill_at=0.5, timeout_s=args.seconds * 4 + 120)
                )
            finally:
                if schema:
                    _drop(args.pg, schema)
            problems = r.problems()
            failed = failed or bool(problems)
            kinds = ", ".join(f"{k} {v}" for k, v in sorted(r.disconnects.items()))
            rows.append(
                f"| {name} | {r.comments} | {kinds} | {r.kills} | {r.bot_starts} | {r.recorded} | "
                f"{r.statuses.get('received', 0)} | {r.statuses.get('error', 0)} | {len(r.answered_twice)} | {r.resent} | "
                f"{r.replies} | {r.seconds:.0f} s | {'OK' if not problems else '; '.join(problems)} |"
            )
            print(rows[-1], flush=True)
    body = "\n".join([
        head,
        (
            f"`python bench/bench_chaos.py --comments {args.comments} --seconds {args.seconds:g} "
            f"--disconnects {args.disconnects}`: "
            "a real `livereply run` process against a local room replaying a show (demo-show texts, unique ids, orders); "
            "disconnects rotate clean close / TCP abort / room server restart (+ pg_terminate_backend of the bot's "
            "connections on PostgreSQL); the bot is killed with SIGKILL half-way and restarted."
        ),
        "",
        (
            "| db | comments | disconnects | kill -9 | bot starts | recorded | left received | error rows | answered twice "
            "| re-sent by room | replies | wall | invariants |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        *rows,
    ])
    if not args.no_write:
        write_section(RESULTS, "chaos", body)
    print(body)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
