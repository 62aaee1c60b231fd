"""Fuzz both wire codecs at scale: the properties of tests/test_fuzz_codecs.py over 100,000 frames.

    .venv/bin/python bench/bench_fuzz.py [--frames 100000] [--seed 1] [--no-write]

Uses the same hypothesis strategies and checks as the tests (structured frames with random-typed field
values, byte mutations, valid-event round trips, Bilibili DANMU_MSG-shaped bodies, packet streams
with zlib batches and damaged headers), but with a fixed seed other than the tests' so it explores
new inputs, and without stopping at the first failure: every outcome is counted. Prints per target
the frames, outcomes (ok / ProtocolError / any other exception / failed invariant), frames per
second (generation + check) and codec-only frames per second, then writes the "Codec fuzz" section
of bench/RESULTS.md. Exits with status 1 when anything other than ProtocolError escaped or an
invariant failed.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from bench.results import machine_line, write_section  # noqa: E402
from bot.adapters.bilibili_codec import Packet  # noqa: E402
from tests import test_fuzz_codecs as fz  # noqa: E402

# share of the frames per target (sums to 1)
TARGETS: list[tuple[str, float, st.SearchStrategy[Any], Callable[[Any], Any]]] = [
    ("generic decode_inbound", 0.25, fz.INBOUND_FRAMES, fz.check_decode_inbound),
    ("generic decode_outbound", 0.12, fz.OUTBOUND_FRAMES, fz.check_decode_outbound),
    ("generic encode_inbound → decode_inbound (valid events)", 0.12, fz.VALID_INBOUND, fz.check_inbound_round_trip),
    ("generic encode_reply → decode_outbound (valid replies)", 0.06, fz.VALID_REPLY, fz.check_reply_round_trip),
    (
        "bilibili interpret/to_events (bodies)",
        0.25,
        fz.BODIES,
        lambda ob: fz.check_bili_packet(Packet(op=ob[0], body=ob[1]), Counter()),
    ),
    (
        "bilibili decode_packets → to_events (messages)",
        0.20,
        fz.bili_messages(),
        lambda data: fz.check_bili_message(data, Counter()),
    ),
]


@dataclass
class Result:
    name: str
    frames: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # first input per escaping exception / invariant
    wall_s: float = 0.0
    codec_s: float = 0.0

    @property
    def escaped(self) -> int:
        return sum(n for k, n in self.outcomes.items() if k not in ("ok", "ProtocolError"))


def _short(value: Any, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} chars)"


def run_target(name: str, strategy: st.SearchStrategy[Any], check: Callable[[Any], Any], frames: int, seed_value: int) -> Result:
    result = Result(name)

    @seed(seed_value)
    @settings(fz.FUZZ, derandomize=False, max_examples=frames, phases=[Phase.generate])
    @given(strategy)
    def fuzz(value: Any) -> None:
        start = time.perf_counter()
        try:
            outcome = check(value)
        except AssertionError as exc:
            outcome = "invariant failed"
            result.examples.setdefault(outcome, f"{_short(value)} -> {str(exc)[:160]}")
        except Exception as exc:  # noqa: BLE001 - counting escapes is the point
            outcome = f"escaped {type(exc).__name__}"
            result.examples.setdefault(outcome, f"{_short(value)} -> {str(exc)[:160]}")
        result.codec_s += time.perf_counter() - start
        result.frames += 1
        for one in outcome if isinstance(outcome, list) else [outcome]:
            result.outcomes[one] += 1

    start = time.perf_counter()
    fuzz()
    result.wall_s = time.perf_counter() - start
    return result


def _command(*args: str) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unavailable"


def report(results: list[Result], seed_value: int) -> str:
    total = sum(r.frames for r in results)
    escaped = sum(r.escaped for r in results)
    lines = [
        machine_line(),
        f"`uname -a`: {_command('uname', '-a')}; `nproc`: {_command('nproc')}; hypothesis seed {seed_value}.",
        "",
        "Written by `bench/bench_fuzz.py`: the properties of `tests/test_fuzz_codecs.py` (only `ProtocolError` may be raised;",
        "valid events round-trip exactly; Bilibili comments are valid generic comments) over generated frames.",
        "A messages frame is one websocket message; its outcome is counted per leaf packet it decodes to.",
        "frames/s includes hypothesis generation; codec frames/s counts only the time inside the checks.",
        "",
        "| target | frames | ok | ProtocolError | escaped / invariant failed | frames/s | codec frames/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        bad = ", ".join(f"{k}: {n}" for k, n in sorted(r.outcomes.items()) if k not in ("ok", "ProtocolError")) or "0"
        lines.append(
            f"| {r.name} | {r.frames} | {r.outcomes['ok']} | {r.outcomes['ProtocolError']} | {bad} | "
            f"{r.frames / r.wall_s:,.0f} | {r.frames / r.codec_s:,.0f} |"
        )
    lines.append("")
    lines.append(f"Total: {total} frames, {escaped} escaped or failed an invariant.")
    for r in results:
        for kind, text in r.examples.items():
            lines.append(f"- {r.name}, first {kind}: `{text}`")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100_000, help="total generated frames (default 100000)")
    parser.add_argument("--seed", type=int, default=1, help="hypothesis seed (default 1)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    args = parser.parse_args()

    print(f"python {platform.python_version()}, {args.frames} frames, seed {args.seed}", flush=True)
    results = []
    for name, share, strategy, check in TARGETS:
        r = run_target(name, strategy, check, max(1, round(args.frames * share)), args.seed)
        results.append(r)
        outcomes = ", ".join(f"{k} {n}" for k, n in r.outcomes.most_common())
        print(
            f"{name}: {r.frames} frames in {r.wall_s:.1f} s "
            f"({r.frames / r.wall_s:,.0f}/s; codec {r.frames / r.codec_s:,.0f}/s): {outcomes}",
            flush=True,
        )
        for kind, text in r.examples.items():
            print(f"    first {kind}: {text}")
    text = report(results, args.seed)
    if not args.no_write:
        write_section(ROOT / "bench" / "RESULTS.md", "Codec fuzz", text)
        print("wrote the 'Codec fuzz' section of bench/RESULTS.md")
    return 1 if any(r.escaped for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
