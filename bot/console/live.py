"""The console's side of the live show: the bot's status, commands to the bot, and the live feed (Server-Sent Events).

The console never calls into the bot: commands go through the database outbox (`catalog.control`), which the
running bot polls (docs/console.md, "How the console reaches the bot"). The feed reads the comment and reply logs
through `catalog.reports.recent_activity`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool

from bot.console.i18n import gettext as _
from bot.console.room_langs import RoomLanguages, room_languages
from catalog import control
from catalog.reports import Activity, recent_activity

log = logging.getLogger(__name__)

STALE_S = 5.0  # a heartbeat older than this: the bot is not running (it writes one every ~1 s)
ANSWER_WAIT_S = 4.0  # "answer now" waits this long for the bot to say it posted the reply
FEED_POLL_S = 0.5
FEED_STATUS_S = 1.0
FEED_LIMIT = 200
# "path=…" / "slots=…" in a reason; a value runs to the next " key=" (a variant value may hold a space: "white grey")
# bot/ship_abroad.py SHIPS_ABROAD, bot/order_report.py ORDER_REPORTED, bot/faq_kinds.py MULTI_BUY / EXCHANGE_REASON /
# SIZE_ADVICE: answered with a FAQ picked by the question's kind
# "…; in en: no es answer" / "…; in en: <why>": answered in the room's fallback language, not the viewer's
_FALLBACK_IN = re.compile(r"; in ([\w-]+): ")
_REROUTES = (
    "asks about shipping abroad:", "reports an order:", "asks a discount for buying several:",
    "asks to exchange a size or colour:", "gives the viewer's usual size or feet:", "asks whether the goods are fresh:",
)
_TOKEN = re.compile(r"\b(path|slots?)=(.+?)(?=\s+\w+=|;|$)")
_SEVERAL = re.compile(r"\d questions: ")  # bot/multi_question.py


@dataclass(frozen=True)
class BotState:
    state: str  # "live" | "paused" | "stopped"
    rooms: tuple[str, ...]  # rooms a running bot serves
    last_seen_s: int | None  # seconds since the newest heartbeat (None: never seen)
    outbox: Mapping[str, Any] = field(default_factory=dict)  # replies waiting / given up, by kind (bot/outbox.py)
    # each running room's languages and fallback policy, named in the request's language (bot/console/room_langs.py)
    langs: tuple[RoomLanguages, ...] = ()

    @property
    def running(self) -> bool:
        return self.state != "stopped"

    def label(self) -> str:
        if self.state == "live":
            return _("● live")
        if self.state == "paused":
            return _("● paused")
        if self.last_seen_s is None:
            return _("○ not running")
        return _("○ not running (last seen %(n)d s ago)") % {"n": self.last_seen_s}

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state, "rooms": list(self.rooms), "last_seen_s": self.last_seen_s, "label": self.label(),
            "outbox": dict(self.outbox), "langs": [r.as_json() for r in self.langs],
        }


def bot_state(store: Any, now: float | None = None) -> BotState:
    """Live / paused / not running, from the bot's heartbeat rows (`catalog.control.bot_statuses`)."""
    now = time.time() if now is None else now
    rows = control.bot_statuses(store)
    fresh = [r for r in rows if r.connected and now - r.updated_at <= STALE_S]
    last = max((r.updated_at for r in rows), default=None)
    last_seen = None if last is None else max(0, int(now - last))
    if not fresh:
        return BotState("stopped", (), last_seen)
    state = "paused" if all(r.paused for r in fresh) else "live"
    langs = tuple(room_languages(r.room, r.settings) for r in sorted(fresh, key=lambda r: r.room))
    return BotState(state, tuple(r.room for r in fresh), last_seen, merged_outbox([r.outbox for r in fresh]), langs)


def rooms_with_other_languages(store: Any, languages: Sequence[str], now: float | None = None) -> tuple[RoomLanguages, ...]:
    """The running rooms whose bot tells apart other viewer languages than `languages` (what "try a question" of a
    console started on its own identifies: its --room-languages): their comments may be read differently there."""
    now = time.time() if now is None else now
    wanted = set(languages)
    rooms = [
        r for r in control.bot_statuses(store)
        if r.connected and now - r.updated_at <= STALE_S and isinstance(r.settings.get("room_languages"), list)
        and set(map(str, r.settings["room_languages"])) != wanted
    ]
    return tuple(room_languages(r.room, r.settings) for r in sorted(rooms, key=lambda r: r.room))


def merged_outbox(outboxes: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Every running room's outbox as one: counts added, the given-up messages newest first (at most 20)."""
    pending: dict[str, int] = {}
    dropped: dict[str, int] = {}
    recent: list[Mapping[str, Any]] = []
    for box in outboxes:
        for kind, n in (box.get("pending") or {}).items():
            pending[kind] = pending.get(kind, 0) + int(n)
        for kind, n in (box.get("dropped") or {}).items():
            dropped[kind] = dropped.get(kind, 0) + int(n)
        recent.extend(box.get("recent") or ())
    recent.sort(key=lambda m: float(m.get("at") or 0.0), reverse=True)
    return {"pending": pending, "dropped": dropped, "recent": recent[:20]}


# ------------------------------------------------------------------------------------------ commands


def post_answer(
    store: Any, pairs: Sequence[tuple[str, str]], text: str, *, lang: str, users: Sequence[str] = (),
    created_by: str, wait_s: float = ANSWER_WAIT_S,
) -> tuple[frozenset[str], list[int]]:
    """Queue an "answer now" per room for the bot; wait up to `wait_s` for it to be posted.

    Returns (posted rooms, command ids): the rooms the answer was posted to — all the rooms queued when the bot
    reported every reply as posted in time, else none. With no bot running nothing is queued (the answer would
    otherwise go out minutes later, when a bot starts); likewise for a room no running bot serves (a review group
    can hold comments of an earlier show), whose comments are only recorded and never count as posted."""
    state = bot_state(store)
    rooms = sorted({r for r, _cid in pairs} & set(state.rooms))
    if not rooms:
        return frozenset(), []
    ids: list[int] = []
    for room in rooms:
        comment_ids = [cid for r, cid in pairs if r == room]
        payload = {"text": text, "lang": lang, "comment_ids": comment_ids, "users": list(users)}
        ids.append(control.enqueue_command(store, "answer", payload, room=room, created_by=created_by))
    deadline = time.monotonic() + wait_s
    while True:
        done = [control.command(store, i) for i in ids]
        if all(c is not None and c.status == "done" for c in done):
            return frozenset(rooms), ids
        if any(c is not None and c.status in ("failed", "expired") for c in done) or time.monotonic() >= deadline:
            return frozenset(), ids
        time.sleep(0.1)


def set_paused(store: Any, paused: bool, *, created_by: str) -> list[int]:
    """Queue a pause (or resume) for every running bot; for any bot when none is running now."""
    rooms: Sequence[str | None] = bot_state(store).rooms or (None,)
    kind = "pause" if paused else "resume"
    return [control.enqueue_command(store, kind, room=room, created_by=created_by) for room in rooms]


def set_lang_fallback(store: Any, room: str, policy: str, *, created_by: str, wait_s: float = ANSWER_WAIT_S) -> str:
    """Queue the room's new fallback policy for its running bot; wait up to `wait_s` for the bot to apply it.

    Returns "done" (applied), "failed" (the bot refused it: e.g. a worker's shared engine), "queued" (not yet taken)
    or "stopped" (no running bot serves `room`: nothing is queued, the setting of the next start applies)."""
    return _room_command(store, room, "set_fallback", {"lang_fallback": policy}, created_by=created_by, wait_s=wait_s)


def set_main_lang(store: Any, room: str, code: str, *, created_by: str, wait_s: float = ANSWER_WAIT_S) -> str:
    """Queue the room's new main language for its running bot (which refuses one outside its room languages), as
    `set_lang_fallback`; the same outcomes."""
    return _room_command(store, room, "set_main_lang", {"main_lang": code}, created_by=created_by, wait_s=wait_s)


def _room_command(store: Any, room: str, kind: str, payload: dict[str, str], *, created_by: str, wait_s: float) -> str:
    if room not in bot_state(store).rooms:
        return "stopped"
    command_id = control.enqueue_command(store, kind, payload, room=room, created_by=created_by)
    deadline = time.monotonic() + wait_s
    while True:
        record = control.command(store, command_id)
        if record is not None and record.status in ("done", "failed", "expired"):
            return "done" if record.status == "done" else "failed"
        if time.monotonic() >= deadline:
            return "queued"
        time.sleep(0.1)


# ------------------------------------------------------------------------------------------ the feed


def reason_details(reason: str | None) -> dict[str, str]:
    """`path` and `slots` when the decision's reason names them ("path=structured slots=size:XL", "structured
    stock slots=colour:黑色,size:43" (bot/structured.py `slots_note`), "structured price" / "match" / "intent …")."""
    if not reason:
        return {}
    if _SEVERAL.match(reason):  # two or three questions answered in one reply: each part's slots are in the reason
        return {"path": "multi"}
    found = {("slots" if k.startswith("slot") else k): v for k, v in _TOKEN.findall(reason)}
    if "path" not in found:
        head = reason.split(":")[0].split()[0] if reason.split() else ""
        if head in ("structured", "match", "intent", "recommend"):
            found["path"] = head
        elif reason.startswith(_REROUTES):  # a FAQ chosen by the question's kind, not by matching its wording
            found["path"] = "reroute"
    return found


def activity_json(
    activity: Activity, lang_name: Callable[[str], str] | None = None, explain: Callable[[str], str] | None = None,
    slot_words: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """The `activity` event's data; `lang_name` names each comment's language for its badge ("ja" → 日语), `explain`
    puts the bot's (English) reason in the staff member's language (`reason_text`; `reason` stays the raw text),
    `slot_words` the values a structured answer read (`slots_text`: "颜色：黑色，尺码：L"; `slots` stays raw)."""
    comments = []
    for item in activity.comments:
        r = item.record
        comments.append({
            "seq": item.seq, "room": r.room, "id": r.comment_id, "user": r.user, "text": r.text, "status": r.status,
            "reply_text": r.reply_text, "reason": r.reason, "product_id": r.product_id, "faq_id": r.faq_id,
            "received_at": r.received_at, "lang": r.lang,
            "lang_name": (lang_name(r.lang) if lang_name is not None else r.lang) if r.lang else None,
            "reason_text": (explain(r.reason) if explain is not None else r.reason) if r.reason else None,
            **_reply_lang(r.reason, r.status, lang_name),
            # recorded by staff (review queue or "answer now"), posted to the room or not: answered by staff
            "staff_answer": None if item.staff_answer is None else {
                "text": item.staff_answer.text, "by": item.staff_answer.username, "posted": item.staff_answer.posted,
            },
            # handled in the review queue without an answer (dismissed, added as an example…): not waiting for staff
            "review_action": item.review_action,
            **_details(r.reason, slot_words),
        })
    replies = [{"id": r.id, "room": r.room, "reply_to": list(r.reply_to), "text": r.text, "ts": r.ts}
               for r in activity.replies]
    return {"comments": comments, "replies": replies}


def _details(reason: str | None, slot_words: Callable[[str], str] | None) -> dict[str, str]:
    found = reason_details(reason)
    if "slots" in found:
        found["slots_text"] = slot_words(found["slots"]) if slot_words is not None else found["slots"]
    return found


def _reply_lang(reason: str | None, status: str, lang_name: Callable[[str], str] | None) -> dict[str, str]:
    """The language an answer went out in when it is not the viewer's (the room's fallback policy), named for the
    staff member: {"reply_lang": "en", "reply_lang_name": "英语"}; {} for any other comment."""
    found = _FALLBACK_IN.search(reason or "") if status in ("answered", "merged") else None
    if found is None:
        return {}
    code = found.group(1)
    return {"reply_lang": code, "reply_lang_name": lang_name(code) if lang_name is not None else code}


def parse_cursor(value: str | None) -> tuple[int | None, int | None, float, int | None]:
    """The SSE event id "seq:reply_id:updated:review_id" (sent back by the browser as Last-Event-ID on a reconnect);
    an id without the review part (an older page) starts the staff answers anew."""
    parts = (value or "").split(":")
    try:
        seq, reply, updated = int(parts[0]), int(parts[1]), float(parts[2])
    except (ValueError, IndexError):
        return None, None, 0.0, None
    try:
        review = int(parts[3]) if len(parts) > 3 else None
    except ValueError:
        review = None
    return seq, reply, updated, review


def _event(kind: str, data: Any, event_id: str | None = None) -> str:
    head = f"id: {event_id}\n" if event_id else ""
    return f"{head}event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def feed_events(
    store: Any, *, cursor: str | None, is_disconnected: Callable[[], Any], once: bool = False,
    poll_s: float = FEED_POLL_S, status_s: float = FEED_STATUS_S, lang_name: Callable[[str], str] | None = None,
    explain: Callable[[str], str] | None = None, slot_words: Callable[[str], str] | None = None,
) -> AsyncIterator[str]:
    """The /live/feed stream: `activity` events (new comments, new outcomes, new replies) and `status` events."""
    seq, reply_id, updated, review_id = parse_cursor(cursor)
    last_status = -float("inf")
    yield "retry: 2000\n\n"
    while True:
        try:
            act = await run_in_threadpool(recent_activity, store, seq, after_reply_id=reply_id, updated_after=updated,
                                          after_review_id=review_id, limit=FEED_LIMIT)
        except Exception as exc:  # noqa: BLE001 - a database hiccup: say so, keep the stream open
            log.warning("live feed: could not read the logs: %s", exc)
            yield _event("problem", {"error": type(exc).__name__})
        else:
            seq, reply_id, updated, review_id = act.last_seq, act.last_reply_id, act.last_updated, act.last_review_id
            if act.comments or act.replies or once:
                cursor_id = f"{seq}:{reply_id}:{updated!r}:{review_id}"
                yield _event("activity", activity_json(act, lang_name, explain, slot_words), cursor_id)
        if time.monotonic() - last_status >= status_s:
            last_status = time.monotonic()
            state = await run_in_threadpool(bot_state, store)
            yield _event("status", state.as_json())
        if once or await is_disconnected():
            return
        await asyncio.sleep(poll_s)
