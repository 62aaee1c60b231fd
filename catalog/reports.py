"""Read-only reports over the comment and reply logs: the staff review queue and the live dashboard figures.

Every query runs through the `CatalogStore`'s retrying read transactions (`_read`), like the store's own.
No HTTP and no shaping for display here: the staff console (`bot/console/`) groups and charts what these return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select

from catalog.schema import CommentLog, ReplyLog
from catalog.store import CommentRecord, _comment_record

if TYPE_CHECKING:
    from catalog.store import CatalogStore

__all__ = ["LATENCY_SAMPLE", "WALL_CLOCK_MIN", "LogFigures", "log_figures", "review_candidates"]

REVIEW_STATUSES = ("silent", "staff")  # comments the bot did not answer: what staff review
LATENCY_SAMPLE = 500  # most recent replies / answered comments used for latency percentiles
WALL_CLOCK_MIN = 1e9  # a timestamp below this is not Unix time (2001-09-09)
_IN_CHUNK = 500  # ids per IN (...) list


def review_candidates(
    store: CatalogStore, statuses: Sequence[str] = REVIEW_STATUSES, *, limit: int = 5000
) -> list[CommentRecord]:
    """The newest `limit` logged comments with one of `statuses` (default: silent / handed to staff), oldest first."""

    def run(conn: Connection) -> list[CommentRecord]:
        rows = list(
            conn.execute(
                select(CommentLog).where(CommentLog.status.in_(tuple(statuses))).order_by(CommentLog.seq.desc()).limit(limit)
            )
        )
        return [_comment_record(row) for row in reversed(rows)]

    return store._read("review_candidates", run)


@dataclass(frozen=True)
class LogFigures:
    """Raw figures of the comment and reply logs, read in one transaction."""

    recent_received: list[float]  # received_at of every comment received since `since`
    status_counts: dict[str, int]  # comment_log status -> comments
    top_faqs: list[tuple[str, int]]  # (faq_id, answered or merged comments), most asked first
    first_received: float | None  # received_at of the first logged comment
    reply_count: int
    latencies: list[float]  # seconds, see `latency_source`
    latency_source: str  # "reply": received -> reply recorded (wall-clock reply ts); "decision": received -> outcome


def log_figures(
    store: CatalogStore,
    *,
    since: float,
    top: int = 8,
    latency_sample: int = LATENCY_SAMPLE,
    wall_clock_min: float = WALL_CLOCK_MIN,
) -> LogFigures:
    """Counts, the top answered FAQs, recent arrivals and reply latencies over the comment and reply logs.

    Latency is "comment received → reply recorded" over the newest `latency_sample` replies when they carry
    wall-clock timestamps; otherwise (a monotonic clock, e.g. the scheduler's) "received → decision recorded"
    over the newest answered comments.
    """

    def run(conn: Connection) -> LogFigures:
        recent = conn.execute(select(CommentLog.received_at).where(CommentLog.received_at >= since)).scalars().all()
        counts = {str(s): int(n) for s, n in conn.execute(select(CommentLog.status, func.count()).group_by(CommentLog.status))}
        top_faqs = conn.execute(
            select(CommentLog.faq_id, func.count())
            .where(CommentLog.status.in_(("answered", "merged")), CommentLog.faq_id.is_not(None))
            .group_by(CommentLog.faq_id)
            .order_by(func.count().desc())
            .limit(top)
        ).all()
        first_received = conn.execute(select(func.min(CommentLog.received_at))).scalar()
        replies = conn.execute(
            select(ReplyLog.reply_to, ReplyLog.ts, ReplyLog.room).order_by(ReplyLog.id.desc()).limit(latency_sample)
        ).all()
        reply_count = conn.execute(select(func.count()).select_from(ReplyLog)).scalar_one()
        latencies, source = _latencies(conn, replies, latency_sample, wall_clock_min)
        return LogFigures(
            recent_received=[float(t) for t in recent],
            status_counts=counts,
            top_faqs=[(str(fid), int(n)) for fid, n in top_faqs],
            first_received=first_received,
            reply_count=int(reply_count),
            latencies=latencies,
            latency_source=source,
        )

    return store._read("log_figures", run, consistent=True)


def _latencies(conn: Connection, replies: Sequence[Any], sample: int, wall_clock_min: float) -> tuple[list[float], str]:
    wall = [r for r in replies if r.ts and r.ts >= wall_clock_min]
    if wall:
        ids = sorted({cid for r in wall for cid in (r.reply_to or ())})
        received: dict[tuple[str, str], float] = {}
        for chunk in range(0, len(ids), _IN_CHUNK):
            rows = conn.execute(
                select(CommentLog.room, CommentLog.comment_id, CommentLog.received_at).where(
                    CommentLog.comment_id.in_(ids[chunk : chunk + _IN_CHUNK])
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
    decided = conn.execute(
        select(CommentLog.received_at, CommentLog.updated_at)
        .where(CommentLog.status.in_(("answered", "merged")), CommentLog.updated_at.is_not(None))
        .order_by(CommentLog.seq.desc())
        .limit(sample)
    ).all()
    return [max(0.0, u - r) for r, u in decided if u is not None], "decision"
