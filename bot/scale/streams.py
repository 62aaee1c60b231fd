"""Redis Streams layout and the (sans-I/O) encoding of events and replies to stream fields.

    <prefix>:in      room → workers: one entry per inbound event, written by the room's gateway (XADD, MAXLEN ~)
                     fields: e = the event as a generic-protocol frame (docs/protocol.md, without ``seq``),
                             room = the room name, at = the gateway's receive time (wall clock)
                     consumer group ``workers``
    <prefix>:out     workers → room: one entry per reply (field r = JSON), consumer group ``gateway``
    <prefix>:posted:<who>:<comment id>
                     a comment the gateway posted a reply to (SET NX per comment id of the reply, right before the
                     send; expires ``posted_mark_ttl_s`` later): a reply all of whose comments are marked is not
                     posted — neither its entry read again nor the same reply XADDed twice (a worker's retried XADD).
                     ``who`` keeps apart the replies that may legitimately answer one comment twice: ``bot``, a staff
                     "answer now" (``staff-`` + a digest of its text) and announcements (``ann-`` + the release time),
                     see ``posted_keys``
    <prefix>:stage   the newest stage event any worker read: {"id": sortable entry id, "product_id": …}, so every
                     worker serving the room answers about the product on stage, not only the one that read it

Nothing here does I/O: ``GatewaySpool`` below is the one exception (a small append-only file).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import math
import os
import time
from collections import deque
from collections.abc import Mapping
from pathlib import Path

from bot.announcements import GREETING_PRIORITY, SCHEDULED_PRIORITY, STAFF_PRIORITY
from bot.messages import EndOfStream, InboundEvent, ProtocolError, Reply
from bot.protocol import Hello, encode_inbound, inbound_from_dict
from catalog.files import write_atomically

log = logging.getLogger(__name__)

WORKERS_GROUP = "workers"
GATEWAY_GROUP = "gateway"
DEFAULT_MAXLEN = 100_000  # approximate cap of a room's inbound stream (XADD MAXLEN ~): hours of a busy room

# Stage compare-and-set: only a newer stream entry may replace the stage a worker published.
STAGE_CAS = """
local cur = redis.call('HGET', KEYS[1], 'id')
if (not cur) or cur < ARGV[1] then
  redis.call('HSET', KEYS[1], 'id', ARGV[1], 'product_id', ARGV[2], 'ts', ARGV[3])
  return 1
end
return 0
"""

# Forget the consumers of a group that hold no entry and have been idle at least ARGV[3] ms (stopped or dead workers:
# XINFO CONSUMERS would list them forever), except ARGV[2] (the caller). Checked and deleted in one script, so no read
# can slip in between (XGROUP DELCONSUMER drops a consumer's pending entries with it). Returns the names deleted.
FORGET_IDLE_CONSUMERS = """
local gone = {}
for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local f = {}
  for i = 1, #c, 2 do f[c[i]] = c[i + 1] end
  if f['name'] ~= ARGV[2] and tonumber(f['pending']) == 0 and tonumber(f['idle']) >= tonumber(ARGV[3]) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], f['name'])
    table.insert(gone, f['name'])
  end
end
return gone
"""


def in_key(prefix: str) -> str:
    return f"{prefix}:in"


def out_key(prefix: str) -> str:
    return f"{prefix}:out"


def stage_key(prefix: str) -> str:
    return f"{prefix}:stage"


def posted_who(reply: Reply) -> str:
    """Whose reply this is, for the posted marks: two replies to one comment are one reply posted twice only when
    they are the same kind of reply (``priority`` travels in the entry, ``encode_reply``):

    ``bot``          the bot's answers and keyword rules (and any entry without a priority): one per comment — a
                     comment decided twice (re-decided by a claiming worker) or its reply XADDed twice is answered once
    ``staff-<hash>`` a staff "answer now": may answer a comment the bot answered, and staff may answer one comment
                     twice with different texts; the same text twice (a retried XADD, a double click) is one reply
    ``ann-<ts>``     scheduled messages and greetings: their ids (``sched:3:1``) are a worker's counter, not unique
                     across workers and restarts; the release time (``ts``, identical in a retried XADD) is
    """
    if reply.priority == STAFF_PRIORITY:
        return "staff-" + hashlib.sha1(reply.text.encode("utf-8")).hexdigest()[:16]
    if reply.priority in (SCHEDULED_PRIORITY, GREETING_PRIORITY):
        return f"ann-{reply.ts!r}"
    return "bot"


def posted_keys(prefix: str, reply: Reply) -> list[str]:
    """The marks the gateway sets (SET NX) right before posting ``reply``: one per comment id it answers, in
    ``reply_to`` order."""
    who = posted_who(reply)
    return [f"{prefix}:posted:{who}:{cid}" for cid in reply.reply_to]


POSTED_MARK_MARGIN_S = 60  # kept this much longer than the reply age limit: clock reads, a slow batch
# How long a worker retries a reply XADD (bot/scale/worker.py ``send``): the retry is a new entry up to this much
# younger than the first, so the marks of the first must outlive it by that much.
REPLY_XADD_RETRY_S = 60.0
MAX_REPLY_AGE_LIMIT_S = 7 * 86400  # the largest age limit a gateway takes (a week): its marks live that long


def check_max_reply_age_s(max_reply_age_s: float) -> float:
    """``max_reply_age_s`` when it can bound the posted marks (finite, > 0, at most a week), else ValueError: with
    no limit (inf, NaN) every mark would have to live for ever, or expire while its reply could still be posted."""
    if not 0 < max_reply_age_s <= MAX_REPLY_AGE_LIMIT_S:  # False for NaN too
        raise ValueError(f"the reply age limit must be more than 0 and at most {MAX_REPLY_AGE_LIMIT_S} s (a week), "
                         f"got {max_reply_age_s:g}")
    return max_reply_age_s


def posted_mark_ttl_s(max_reply_age_s: float) -> int:
    """How long a posted mark is kept (seconds): ``max_reply_age_s`` + ``REPLY_XADD_RETRY_S`` +
    ``POSTED_MARK_MARGIN_S``, so never less than 121 s (ValueError for an age limit `check_max_reply_age_s` refuses).

    Why that covers every re-delivery: a reply is posted only while its entry is at most ``max_reply_age_s`` old by
    the Redis clock, so its mark is set no later than entry time + ``max_reply_age_s`` and expires after entry time
    + ``max_reply_age_s`` + ``REPLY_XADD_RETRY_S`` + margin; a worker re-sends a reply (a new entry) for at most
    ``REPLY_XADD_RETRY_S`` after the first attempt. So once the mark is gone, every entry of that reply is older
    than the age limit and is dropped by the age check, never posted; while any of them is young enough to be
    posted, the mark is there. The marks stay few: comments answered per second × this TTL per room (3/s → ≤ 540
    keys at the default 60 s)."""
    check_max_reply_age_s(max_reply_age_s)
    return math.ceil(max_reply_age_s) + math.ceil(REPLY_XADD_RETRY_S) + POSTED_MARK_MARGIN_S


def room_of(prefix: str) -> str:
    """The room name a stream prefix stands for: ``lr:shop-1`` → ``shop-1``."""
    return prefix.removeprefix("lr:") or prefix


def sortable_id(entry_id: str) -> str:
    """A stream entry id (``1700000000000-3``) as a string that sorts like the id: compared in Lua as a string."""
    ms, _, seq = entry_id.partition("-")
    return f"{int(ms):015d}-{int(seq or 0):010d}"


def entry_ms(entry_id: str | bytes) -> int:
    """When Redis added a stream entry (its server clock, milliseconds): the first part of the entry id."""
    return int(_s(entry_id).partition("-")[0])


def entry_age_s(entry_id: str | bytes, server_now_ms: float) -> float:
    """Age of a stream entry by the Redis server's own clock (``TIME``): one clock, whatever machine reads it."""
    return max(0.0, (server_now_ms - entry_ms(entry_id)) / 1000.0)


def _s(value: str | bytes) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _field(fields: Mapping[str | bytes, str | bytes], name: str) -> str | None:
    value = fields.get(name)
    if value is None:
        value = fields.get(name.encode())
    return None if value is None else _s(value)


def encode_event(event: InboundEvent, *, received_at: float | None = None) -> dict[str, str]:
    """Stream fields of an inbound event. The room's ``seq`` is dropped: it means nothing past the gateway."""
    frame = encode_inbound(dataclasses.replace(event, seq=None))
    return {"e": frame, "room": event.room, "at": repr(time.time() if received_at is None else received_at)}


def decode_event(fields: Mapping[str | bytes, str | bytes]) -> tuple[InboundEvent, float]:
    """Inverse of :func:`encode_event`: (event, gateway receive time). Raises ProtocolError on a bad entry."""
    frame, room = _field(fields, "e"), _field(fields, "room")
    if frame is None or room is None:
        raise ProtocolError("stream entry without 'e' or 'room'")
    try:
        obj = json.loads(frame)
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"stream entry is not JSON: {exc}", frame) from None
    if not isinstance(obj, dict):
        raise ProtocolError("stream entry is not a JSON object", frame)
    event = inbound_from_dict(obj, room=room)
    if isinstance(event, Hello):
        raise ProtocolError("a hello is not an event", frame)
    at = _field(fields, "at")
    try:
        received_at = float(at) if at is not None else time.time()
    except ValueError:
        received_at = time.time()
    return event, received_at


def encode_reply(reply: Reply) -> dict[str, str]:
    obj = {
        "reply_to": list(reply.reply_to), "text": reply.text, "lang": reply.lang, "room": reply.room,
        "ts": reply.ts, "users": list(reply.users), "priority": reply.priority,  # priority: whose reply, posted_who
    }
    return {"r": json.dumps(obj, ensure_ascii=False)}


def decode_reply(fields: Mapping[str | bytes, str | bytes]) -> Reply:
    raw = _field(fields, "r")
    if raw is None:
        raise ProtocolError("reply entry without 'r'")
    try:
        obj = json.loads(raw)
        return Reply(
            reply_to=tuple(str(x) for x in obj["reply_to"]), text=str(obj["text"]), lang=str(obj["lang"]),
            room=str(obj["room"]), ts=float(obj.get("ts") or 0.0), users=tuple(str(x) for x in obj.get("users") or ()),
            priority=int(obj.get("priority") or 0),
        )
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ProtocolError(f"bad reply entry: {exc}", raw) from None


def is_end(event: InboundEvent) -> bool:
    return isinstance(event, EndOfStream)


class GatewaySpool:
    """Inbound stream entries the gateway could not XADD (Redis away), oldest first, in memory and in a JSONL file.

    Every line is fsynced before the room is acknowledged, so the delivery contract holds while Redis is away;
    a restarted gateway loads the file and drains it first. Bounded: ``full`` tells the gateway to stop reading
    the room (the room keeps what is not acknowledged).
    """

    def __init__(self, path: str | os.PathLike[str], max_entries: int = 100_000) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be >= 1")
        self.path = Path(path)
        self.max_entries = max_entries
        self._items: deque[tuple[float, dict[str, str]]] = deque()  # (spooled at, fields)
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                    self._items.append((float(item["t"]), {str(k): str(v) for k, v in item["f"].items()}))
                except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
                    log.error("unreadable gateway spool line skipped: %.200s", line)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def full(self) -> bool:
        return len(self._items) >= self.max_entries

    def oldest_age(self, now: float | None = None) -> float:
        return ((now or time.time()) - self._items[0][0]) if self._items else 0.0

    def add(self, fields: dict[str, str]) -> None:
        at = time.time()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"t": at, "f": fields}, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
        self._items.append((at, fields))

    def head(self, n: int) -> list[dict[str, str]]:
        return [fields for _, fields in list(self._items)[:n]]

    def pop(self, n: int) -> None:
        """Forget the oldest ``n`` entries (they are in Redis now) and rewrite the file."""
        for _ in range(min(n, len(self._items))):
            self._items.popleft()
        if self._items:
            write_atomically(self.path, "".join(json.dumps({"t": t, "f": f}, ensure_ascii=False) + "\n" for t, f in self._items))
        else:
            self.path.unlink(missing_ok=True)
