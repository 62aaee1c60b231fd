"""Live dashboard figures: the comment/reply log figures (`catalog.reports.log_figures`) and the sales summary
of the store, shaped into plain JSON-able data. No SQL here.

`dashboard_stats(store)` returns that data; the view turns it into SVG charts.
Latency is "comment received → reply recorded" when replies carry wall-clock timestamps; when they carry a
monotonic clock (the scheduler's), it falls back to "received → decision recorded" and says so in
`latency_source`.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from catalog.reports import LATENCY_SAMPLE, WALL_CLOCK_MIN, log_figures

__all__ = ["LATENCY_SAMPLE", "RATE_WINDOW_S", "WALL_CLOCK_MIN", "WINDOW_S", "dashboard_stats"]

WINDOW_S = 60  # seconds of history in the comments/s chart
RATE_WINDOW_S = 5  # comments/s "now" is averaged over this many seconds


def _percentile(values: list[float], q: float) -> float | None:
    return float(np.percentile(np.asarray(values, dtype=np.float64), q)) if values else None


def dashboard_stats(store: Any, *, now: float | None = None, top: int = 8) -> dict[str, Any]:
    now = time.time() if now is None else now
    figures = log_figures(store, since=now - WINDOW_S, top=top)
    recent, counts, top_faqs = figures.recent_received, figures.status_counts, figures.top_faqs
    first_received, reply_count = figures.first_received, figures.reply_count
    latencies, source = figures.latencies, figures.latency_source

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

