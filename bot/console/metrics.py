"""Live dashboard figures, read from the comment/reply logs and the catalog (read-only SQL).

`dashboard_stats(store)` returns plain JSON-able data; the view turns it into SVG charts.
Latency is "comment received → reply recorded" when replies carry wall-clock timestamps; when they carry a
monotonic clock (the scheduler's), it falls back to "received → decision recorded" and says so in
`latency_source`.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from sqlalchemy import func, select

from catalog.schema import CommentLog, ReplyLog

WINDOW_S = 60  # seconds of history in the comments/s chart
RATE_WINDOW_S = 5  # comments/s "now" is averaged over this many seconds
LATENCY_SAMPLE = 500  # most recent answered comments used for p50/p99
WALL_CLOCK_MIN = 1e9  # a timestamp below this is not Unix time (2001-09-09)


def _percentile(values: list[float], q: float) -> float | None:
    return float(np.percentile(np.asarray(values, dtype=np.float64), q)) if values else None


def dashboard_stats(store: Any, *, now: float | None = None, top: int = 8) -> dict[str, Any]:
    now = time.time() if now is None else now
    engine = store.engine
    with engine.connect() as conn:
        recent = conn.execute(
            select(CommentLog.received_at).where(CommentLog.received_at >= now - WINDOW_S)
        ).scalars().all()
        counts = dict(conn.execute(select(CommentLog.status, func.count()).group_by(CommentLog.status)).all())
        top_faqs = conn.execute(
            select(CommentLog.faq_id, func.count())
            .where(CommentLog.status.in_(("answered", "merged")), CommentLog.faq_id.is_not(None))
            .group_by(CommentLog.faq_id)
            .order_by(func.count().desc())
            .limit(top)
        ).all()
        first_received = conn.execute(select(func.min(CommentLog.received_at))).scalar()
        replies = conn.execute(
            select(ReplyLog.reply_to, ReplyLog.ts, ReplyLog.room).order_by(ReplyLog.id.desc()).limit(LATENCY_SAMPLE)
        ).all()
        reply_count = conn.execute(select(func.count()).select_from(ReplyLog)).scalar_one()
        latencies, source = _latencies(conn, replies)

    per_second = [0] * WINDOW_S
    for t in recent:
        age = int(now - t)
        if 0 <= age < WINDOW_S:
            per_second[WINDOW_S - 1 - age] += 1
    rate_now = sum(per_second[-RATE_WINDOW_S:]) / RATE_WINDOW_S

    total = sum(int(n) for n in counts.values())
    answered = int(counts.get("answered", 0)) + int(counts.get("merged", 0))
    silent = int(counts.get("silent", 0))
    staff = int(counts.get("staff", 0))
    other = total - answered - silent - staff

    sales = store.sales_summary()
    snap_faqs = store.snapshot().faqs
    products = [
        {
            "id": s.product_id,
            "name": s.name.get("zh") or s.name.get("en") or s.product_id,
            "stock": s.stock_now,
            "stock_start": s.stock_start,
            "sold": s.units_sold,
            "questions": s.questions,
        }
        for s in sales
    ]
    elapsed = max(1.0, now - first_received) if first_received else 0.0
    return {
        "now": now,
        "comments_total": total,
        "replies_total": int(reply_count),
        "comments_per_s": round(rate_now, 2),
        "comments_per_s_avg": round(total / elapsed, 2) if elapsed else 0.0,
        "series_per_s": per_second,
        "counts": {"answered": answered, "silent": silent, "staff": staff, "other": other},
        "rates": {
            "answered": answered / total if total else 0.0,
            "silent": silent / total if total else 0.0,
            "staff": staff / total if total else 0.0,
        },
        "latency_ms": {
            "p50": None if not latencies else round(_percentile(latencies, 50) * 1000, 1),  # type: ignore[operator]
            "p99": None if not latencies else round(_percentile(latencies, 99) * 1000, 1),  # type: ignore[operator]
            "n": len(latencies),
            "source": source,
        },
        "top_questions": [
            {"faq_id": fid, "count": int(n), "example": (snap_faqs[fid].questions[:1] or ("",))[0] if fid in snap_faqs else ""}
            for fid, n in top_faqs
        ],
        "top_products": sorted(
            ({"id": p["id"], "name": p["name"], "questions": p["questions"]} for p in products if p["questions"]),
            key=lambda p: -p["questions"],
        )[:top],
        "products": products,
    }


def _latencies(conn: Any, replies: list[Any]) -> tuple[list[float], str]:
    wall = [r for r in replies if r.ts and r.ts >= WALL_CLOCK_MIN]
    if wall:
        ids = sorted({cid for r in wall for cid in (r.reply_to or ())})
        received: dict[tuple[str, str], float] = {}
        for chunk in range(0, len(ids), 500):
            rows = conn.execute(
                select(CommentLog.room, CommentLog.comment_id, CommentLog.received_at).where(
                    CommentLog.comment_id.in_(ids[chunk : chunk + 500])
                )
            ).all()
            received.update({(room, cid): t for room, cid, t in rows})
        out = []
        for r in wall:
            for cid in r.reply_to or ():
                t = received.get((r.room, cid))
                if t is not None and r.ts >= t:
                    out.append(r.ts - t)
        if out:
            return out, "reply"
    rows = conn.execute(
        select(CommentLog.received_at, CommentLog.updated_at)
        .where(CommentLog.status.in_(("answered", "merged")), CommentLog.updated_at.is_not(None))
        .order_by(CommentLog.seq.desc())
        .limit(LATENCY_SAMPLE)
    ).all()
    return [max(0.0, u - r) for r, u in rows], "decision"
