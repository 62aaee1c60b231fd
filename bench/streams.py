"""Turn the real live-chat streams in ../shared/data/streams into one JSONL replay log (docs/protocol.md, "Replay logs").

    python bench/streams.py [--out var/soak/soak_real.jsonl] [--max-gap-s 2]

Sources (tab-separated, first line is a header):

* ``zh_bilibili_live_danmaku_asoul_20201211.tsv``: ``offset_s  unix_ts  user_hash  text`` (11,023 danmaku, ~20 h
  with long idle gaps). ``unix_ts`` is whole seconds; ``offset_s`` is the same instant to the millisecond relative
  to a fixed origin, so ``ts = origin + offset_s`` with ``origin = median(unix_ts - offset_s)`` (checked: within 2 s
  of ``unix_ts`` on every row).
* ``en_youtube_livechat_ishowspeed_hk.tsv``: ``published_at  author_hash  message`` (28,013 messages, ISO times
  with offsets, 36 min).

Every row becomes a comment ``{"id", "user", "text", "ts"}`` with ids ``bili-000001`` … and ``yt-000001`` … in file
order; user = the hash, text = the message exactly as stored (empty, long or odd: all kept). The csv module is not
used (it mis-reads these files); lines are split on ``\\n`` only (never ``str.splitlines``, which would also split on
U+2028 and friends inside a message) and fields on tabs. A ``stage`` event (``tee-classic``) opens the log.

``max_gap_s`` (for timed replays): every gap longer than it between consecutive events (in time order) is shortened
to it, so a 20 h stream with hour-long pauses replays in reasonable time; the order of events is unchanged.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STREAMS = ROOT.parent / "shared/data/streams"
BILIBILI = STREAMS / "zh_bilibili_live_danmaku_asoul_20201211.tsv"
YOUTUBE = STREAMS / "en_youtube_livechat_ishowspeed_hk.tsv"
STAGE_PRODUCT = "tee-classic"
MAX_FRAME_BYTES = 65536


class StreamFormatError(ValueError):
    pass


def _rows(path: Path, columns: list[str]) -> list[list[str]]:
    """Data rows of a TSV file, each split into exactly ``len(columns)`` fields (the last one keeps any extra tabs)."""
    raw = path.read_bytes().decode("utf-8")
    lines = raw.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header = lines[0].rstrip("\r").lstrip("\ufeff").split("\t")
    if header != columns:
        raise StreamFormatError(f"{path}: header {header!r}, expected {columns!r}")
    out = []
    for n, line in enumerate(lines[1:], 2):
        line = line.removesuffix("\r")
        fields = line.split("\t", len(columns) - 1)
        if len(fields) != len(columns):
            raise StreamFormatError(f"{path}:{n}: {len(fields)} fields, expected {len(columns)}")
        out.append(fields)
    return out


def bilibili_comments(path: Path = BILIBILI, prefix: str = "bili") -> list[dict]:
    rows = _rows(path, ["offset_s", "unix_ts", "user_hash", "text"])
    offsets = [float(r[0]) for r in rows]
    unix = [int(r[1]) for r in rows]
    # unix_ts is the platform's whole second; offset_s the same instant to the millisecond from a fixed origin.
    # Both are kept: ts = origin + offset_s, with origin = median(unix_ts - offset_s) (checked below).
    origin = statistics.median(u - o for u, o in zip(unix, offsets, strict=True))
    out = []
    for i, (r, off, u) in enumerate(zip(rows, offsets, unix, strict=True), 1):
        ts = round(origin + off, 3)
        if abs(ts - u) > 2.0:
            raise StreamFormatError(f"{path}:{i + 1}: offset_s {off} is {ts - u:+.1f} s away from unix_ts {u}")
        out.append({"id": f"{prefix}-{i:06d}", "user": r[2], "text": r[3], "ts": ts})
    return out


def youtube_comments(path: Path = YOUTUBE, prefix: str = "yt") -> list[dict]:
    rows = _rows(path, ["published_at", "author_hash", "message"])
    return [
        {"id": f"{prefix}-{i:06d}", "user": r[1], "text": r[2], "ts": round(datetime.fromisoformat(r[0]).timestamp(), 6)}
        for i, r in enumerate(rows, 1)
    ]


@dataclass
class LogStats:
    path: str
    comments: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    empty_text: int = 0
    longest_text_chars: int = 0
    largest_frame_bytes: int = 0
    max_gap_s: float | None = None
    gaps_compressed: int = 0
    show_seconds: float = 0.0  # first event → last event, after compression
    seconds_removed: float = 0.0
    parts: dict[str, dict[str, float]] = field(default_factory=dict)  # per source: span before/after, gaps compressed


def build_log(
    out: Path, *, max_gap_s: float | None = None, limit: int | None = None, bilibili: Path = BILIBILI, youtube: Path = YOUTUBE
) -> LogStats:
    """Write the replay log (stage event + every comment of both streams, in time order); returns what it holds.
    ``limit``: only the first N messages of each stream (smoke tests)."""
    sources = {"bili": bilibili_comments(bilibili)[:limit], "yt": youtube_comments(youtube)[:limit]}
    comments = [c for part in sources.values() for c in part]
    ids = [c["id"] for c in comments]
    if len(set(ids)) != len(ids):
        raise StreamFormatError("comment ids are not unique")
    comments.sort(key=lambda c: c["ts"])  # stable: rows sharing a timestamp keep their file order
    source_of = {c["id"]: c["id"].split("-", 1)[0] for c in comments}
    stats = LogStats(path=str(out), max_gap_s=max_gap_s)
    stats.by_source = {k: len(v) for k, v in sources.items()}
    for name, part in sources.items():
        ts = sorted(c["ts"] for c in part)
        stats.parts[name] = {"span_s": ts[-1] - ts[0], "span_after_s": ts[-1] - ts[0], "gaps_compressed": 0}
    if max_gap_s is not None:
        shifted, prev_real, prev_new = [], None, None
        first_of = {}
        for c in comments:
            real = c["ts"]
            if prev_real is None:
                new = real
            else:
                gap = real - prev_real
                if gap > max_gap_s:
                    gap = max_gap_s
                    stats.gaps_compressed += 1
                    src = source_of[c["id"]]
                    if src in first_of:  # a gap inside this part (not the jump from one stream to the other)
                        stats.parts[src]["gaps_compressed"] += 1
                new = prev_new + gap
            prev_real, prev_new = real, new
            first_of.setdefault(source_of[c["id"]], new)
            shifted.append({**c, "ts": round(new, 6)})
        stats.seconds_removed = (comments[-1]["ts"] - comments[0]["ts"]) - (shifted[-1]["ts"] - shifted[0]["ts"])
        comments = shifted
        for name in sources:
            ts = [c["ts"] for c in comments if source_of[c["id"]] == name]
            stats.parts[name]["span_after_s"] = ts[-1] - ts[0]
    stats.show_seconds = comments[-1]["ts"] - comments[0]["ts"]
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as w:
        w.write(json.dumps({"ts": comments[0]["ts"], "type": "stage", "product_id": STAGE_PRODUCT}) + "\n")
        for c in comments:
            line = json.dumps(c, ensure_ascii=False)
            frame = len(json.dumps({"type": "comment", **c, "seq": 2**53}, ensure_ascii=False).encode("utf-8"))
            if frame > MAX_FRAME_BYTES:
                raise StreamFormatError(f"comment {c['id']} would make a {frame}-byte frame (limit {MAX_FRAME_BYTES})")
            stats.largest_frame_bytes = max(stats.largest_frame_bytes, frame)
            stats.longest_text_chars = max(stats.longest_text_chars, len(c["text"]))
            stats.empty_text += not c["text"].strip()
            w.write(line + "\n")
            stats.comments += 1
    tmp.replace(out)
    return stats


def log_ids(path: Path) -> list[str]:
    """Comment ids of a replay log written by build_log, in file order."""
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            if obj.get("type", "comment") == "comment":
                out.append(obj["id"])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ROOT / "var/soak/soak_real.jsonl"))
    ap.add_argument("--max-gap-s", type=float, default=None, help="shorten idle gaps longer than this (timed replays)")
    ap.add_argument("--check", action="store_true", help="also load the log with bot.room.load_log (the room's parser)")
    args = ap.parse_args(argv)
    stats = build_log(Path(args.out), max_gap_s=args.max_gap_s)
    print(json.dumps(stats.__dict__, ensure_ascii=False, indent=1))
    if args.check:
        sys.path.insert(0, str(ROOT))
        from bot.room import load_log

        print(f"load_log: {len(load_log(args.out))} events")
    return 0


if __name__ == "__main__":
    sys.exit(main())
