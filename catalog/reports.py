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
from catalog.staff_schema import ReviewAction
from catalog.store import CommentRecord, ReplyRecord, _comment_record

if TYPE_CHECKING:
    from catalog.store import CatalogStore

__all__ = [
    "FALLBACK_REASON",
    "LATENCY_SAMPLE",
    "WALL_CLOCK_MIN",
    "Activity",
    "ActivityComment",
    "LogFigures",
    "StaffAnswer",
    "fallback_candidates",
    "log_figures",
    "recent_activity",
    "review_candidates",
]

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


# the engine's note on a FAQ answered in a fallback language: "<reason>; in en: no ja answer" (bot/engine.py). Not
# "…; in en: no ja name for <product>": a missing product name is fixed in the product, not with a FAQ translation.
FALLBACK_REASON = "%; in %: no % answer"


def fallback_candidates(store: CatalogStore, *, limit: int = 1000) -> list[CommentRecord]:
    """The newest `limit` comments answered in a fallback language because their FAQ has no template in the
    viewer's language (`FALLBACK_REASON`), oldest first."""

    def run(conn: Connection) -> list[CommentRecord]:
        query = (
            select(CommentLog)
            .where(CommentLog.status == "answered", CommentLog.reason.like(FALLBACK_REASON))
            .order_by(CommentLog.seq.desc())
            .limit(limit)
        )
        return [_comment_record(row) for row in reversed(list(conn.execute(query)))]

    return store._read("fallback_candidates", run)


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


UPDATE_WINDOW = 2000  # comments this far behind the newest one seen are not looked at again for a new outcome


@dataclass(frozen=True)
class StaffAnswer:
    """An answer staff recorded for a comment (review queue or the live page's "answer now"): the comment is answered
    by staff whether or not a bot was running to post it (`posted`)."""

    text: str | None
    username: str
    posted: bool
    ts: float


@dataclass(frozen=True)
class ActivityComment:
    seq: int
    updated_at: float | None
    record: CommentRecord
    staff_answer: StaffAnswer | None = None
    # handled in the review queue without an answer (dismiss, example, new_faq, translate): no longer waits for staff
    review_action: str | None = None


@dataclass(frozen=True)
class Activity:
    """What happened since a cursor: new or newly decided comments, new replies, and the cursor to ask with next."""

    comments: list[ActivityComment]
    replies: list[ReplyRecord]
    last_seq: int
    last_reply_id: int
    last_updated: float
    last_review_id: int = 0


def _staff_answers(
    conn: Connection, pairs: Sequence[tuple[str, str]]
) -> tuple[dict[tuple[str, str], StaffAnswer], dict[tuple[str, str], str]]:
    """For (room, comment_id) `pairs`: the staff answers recorded (review_actions, action "answer"), and the other
    review actions (dismiss, example, …: handled in the review queue without an answer)."""
    wanted = set(pairs)
    ids = sorted({cid for _room, cid in wanted})
    out: dict[tuple[str, str], StaffAnswer] = {}
    handled: dict[tuple[str, str], str] = {}
    for chunk in range(0, len(ids), _IN_CHUNK):
        rows = conn.execute(select(ReviewAction).where(ReviewAction.comment_id.in_(ids[chunk : chunk + _IN_CHUNK])))
        for r in rows:
            if (r.room, r.comment_id) not in wanted:
                continue
            if r.action == "answer":
                out[(r.room, r.comment_id)] = StaffAnswer(text=r.text, username=r.username, posted=bool(r.posted),
                                                          ts=float(r.ts))
            else:
                handled[(r.room, r.comment_id)] = str(r.action)
    return out, handled


def _comments_answered_since(conn: Connection, after_review_id: int, floor: int, limit: int) -> tuple[list[Any], int]:
    """The logged comments (seq above `floor`) staff answered or handled in the review queue after review action
    `after_review_id`, and the newest review action id seen."""
    actions = conn.execute(
        select(ReviewAction.id, ReviewAction.room, ReviewAction.comment_id, ReviewAction.action)
        .where(ReviewAction.id > after_review_id)
        .order_by(ReviewAction.id)
        .limit(limit)
    ).all()
    last = max([after_review_id, *(int(a.id) for a in actions)])
    pairs = {(a.room, a.comment_id) for a in actions}
    ids = sorted({cid for _room, cid in pairs})
    rows: list[Any] = []
    for chunk in range(0, len(ids), _IN_CHUNK):
        rows.extend(
            r
            for r in conn.execute(
                select(CommentLog).where(CommentLog.seq > floor, CommentLog.comment_id.in_(ids[chunk : chunk + _IN_CHUNK]))
            )
            if (r.room, r.comment_id) in pairs
        )
    return rows, last


def recent_activity(
    store: CatalogStore,
    after_seq: int | None = None,
    *,
    after_reply_id: int | None = None,
    updated_after: float = 0.0,
    after_review_id: int | None = None,
    limit: int = 200,
) -> Activity:
    """The live show feed (the console's /live page): comments logged after `after_seq`, plus comments among the
    last `UPDATE_WINDOW` whose outcome changed after `updated_after` (a comment is logged as received, then decided)
    or that staff answered after review action `after_review_id`, and replies logged after `after_reply_id`. A cursor
    of None means "the newest `limit`" (first load). Each comment carries the answer staff recorded for it, if any
    (`staff_answer`: answered by staff even when no bot was running to post it).
    Oldest first; pass the returned `last_seq`, `last_reply_id`, `last_updated` and `last_review_id` back to get
    what follows."""

    def run(conn: Connection) -> Activity:
        if after_seq is None:
            rows = list(conn.execute(select(CommentLog).order_by(CommentLog.seq.desc()).limit(limit)))
            rows.reverse()
            floor = 0
        else:
            floor = max(0, after_seq - UPDATE_WINDOW)
            rows = list(
                conn.execute(
                    select(CommentLog)
                    .where(CommentLog.seq > floor)
                    .where((CommentLog.seq > after_seq) | (CommentLog.updated_at > updated_after))
                    .order_by(CommentLog.seq)
                    .limit(limit)
                )
            )
        if after_review_id is None:  # first load: every comment shown carries its staff answer already
            last_review = int(conn.execute(select(func.max(ReviewAction.id))).scalar() or 0)
        else:
            answered, last_review = _comments_answered_since(conn, after_review_id, floor, limit)
            seen = {int(r.seq) for r in rows}
            # a feed cut at `limit` ends at its last row: an answered comment past it comes with the next page (its
            # staff answer attached then); taking it now would move `last_seq` past the comments in between
            cut = max(seen) if len(rows) >= limit else None
            rows.extend(r for r in answered if int(r.seq) not in seen and (cut is None or int(r.seq) <= cut))
            rows.sort(key=lambda r: int(r.seq))
        if after_reply_id is None:
            reply_rows = list(conn.execute(select(ReplyLog).order_by(ReplyLog.id.desc()).limit(limit)))
            reply_rows.reverse()
        else:
            reply_rows = list(
                conn.execute(select(ReplyLog).where(ReplyLog.id > after_reply_id).order_by(ReplyLog.id).limit(limit))
            )
        staff, handled = _staff_answers(conn, [(r.room, r.comment_id) for r in rows])
        comments = [
            ActivityComment(int(r.seq), r.updated_at, _comment_record(r), staff.get((r.room, r.comment_id)),
                            handled.get((r.room, r.comment_id)))
            for r in rows
        ]
        replies = [
            ReplyRecord(id=int(r.id), room=r.room, reply_to=tuple(r.reply_to or ()), users=tuple(r.users or ()),
                        text=r.text, lang=r.lang, ts=float(r.ts))
            for r in reply_rows
        ]
        last_seq = max([after_seq or 0, *(c.seq for c in comments)])
        last_reply = max([after_reply_id or 0, *(r.id for r in replies)])
        last_updated = max([updated_after, *(c.updated_at or 0.0 for c in comments)])
        return Activity(comments, replies, last_seq, last_reply, last_updated, last_review)

    return store._read("recent_activity", run, consistent=True)
