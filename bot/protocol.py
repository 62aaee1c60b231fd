"""Sans-I/O codec for LiveReply's generic JSON websocket protocol.

Only strings and bytes go in and out of this module: no sockets, no asyncio. The wire format is
documented with examples in ``docs/protocol.md``.

Inbound frames (room → bot) decode to the messages of :mod:`bot.messages` (or :class:`Hello`);
outbound frames (bot → room) are replies and the bot's hello. Every decoding failure raises
:class:`~bot.messages.ProtocolError` whose ``reason`` says what is wrong and whose ``frame`` carries
the offending frame, so the caller can log it and carry on.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot import __version__
from bot.cli_i18n import N_
from bot.errors import fill
from bot.messages import (
    MODERATION_ACTIONS,
    Comment,
    EndOfStream,
    Follow,
    Gift,
    InboundEvent,
    Like,
    ModerationAction,
    Order,
    ProductClick,
    ProtocolError,
    Purchase,
    Reply,
    Stage,
    StockUpdate,
    ViewerEnter,
    ViewerLeave,
)

__all__ = [
    "BEHAVIOUR_TYPES",
    "CLIENT_NAME",
    "FEATURE_ACK",
    "FEATURE_MODERATE",
    "MAX_ABS_TS",
    "MAX_COMMENT_CHARS",
    "MAX_FRAME_BYTES",
    "MAX_ID_CHARS",
    "MAX_QTY",
    "MAX_SEQ",
    "MAX_STOCK",
    "Ack",
    "Hello",
    "clean_text",
    "decode_inbound",
    "decode_outbound",
    "encode_ack",
    "encode_hello",
    "encode_inbound",
    "encode_moderate",
    "encode_reply",
    "inbound_from_dict",
]

MAX_FRAME_BYTES = 64 * 1024
"""Frames larger than this (in UTF-8 bytes) are rejected, in both directions."""

MAX_COMMENT_CHARS = 2000
"""Longest comment text the pipeline should embed. The codec never truncates: the full text is
kept so it can be recorded; consumers cap what they process with ``text[:MAX_COMMENT_CHARS]``."""

MAX_ID_CHARS = 256
"""Longest identifier (comment id, user, sku, order id, product id, lang)."""

MAX_ABS_TS = 1e13
"""Largest accepted ``|ts|`` (seconds; generous enough for a millisecond clock sent by mistake)."""

MAX_STOCK = 2**31 - 1
"""Largest stock value (fits a 32-bit integer column on every database)."""

MAX_QTY = 1_000_000
"""Largest order quantity."""

MAX_SEQ = 2**53
"""Largest delivery sequence number (exact in every JSON implementation)."""

CLIENT_NAME = "livereply"

FEATURE_ACK = "ack"
"""Hello feature: the sender acknowledges inbound frames by ``seq`` (see docs/protocol.md, "Delivery")."""

FEATURE_MODERATE = "moderate"
"""Hello feature of a room: it understands ``moderate`` frames (delete a comment / time its sender out)."""

MAX_COUNT = 1_000_000
"""Largest ``count`` of a like or gift frame."""

MAX_DWELL_S = 7 * 24 * 3600.0
"""Longest ``dwell_s`` of a viewer_leave frame (a week)."""

BEHAVIOUR_TYPES = ("viewer_enter", "viewer_leave", "product_click", "like", "follow", "gift", "purchase")
"""Inbound behaviour frames (docs/protocol.md, "Behaviour events")."""

_INBOUND_TYPES = ("comment", "stage", "stock", "order", "end", "hello", *BEHAVIOUR_TYPES)
_OUTBOUND_TYPES = ("reply", "hello", "ack", "moderate")

MAX_MODERATION_S = 14 * 24 * 3600
"""Longest ``duration_s`` of a moderate frame's timeout (two weeks, Twitch's maximum)."""

MAX_REASON_CHARS = 500
"""Longest ``reason`` of a moderate frame."""

# C0 and C1 control characters except "\n" (tab and CR are normalised before this runs).
_CONTROL_RE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_BAD_ID_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Hello:
    """Greeting sent once per connection. The bot sends one on connect; a room may send one too.

    Every field is optional on decode: a peer's hello is informational and never an error.
    """

    client: str | None = None
    version: str | None = None
    room: str | None = None
    features: tuple[str, ...] = ()
    session: str | None = None  # the room's delivery session: ``seq`` numbers are unique within one session


@dataclass(frozen=True, slots=True)
class Ack:
    """Bot → room: every inbound frame with ``seq <= self.seq`` is recorded (cumulative acknowledgement)."""

    seq: int


def bot_hello(room: str) -> Hello:
    """The hello this bot sends when it connects to ``room`` (it acknowledges frames)."""
    return Hello(client=CLIENT_NAME, version=__version__, room=room, features=(FEATURE_ACK,))


# --------------------------------------------------------------------------------------------
# text hygiene


def clean_text(text: str) -> str:
    """Normalise a comment text without losing meaning.

    - ``\\r\\n`` and lone ``\\r`` (and U+2028/U+2029) become ``\\n``; tab becomes a space,
    - other C0/C1 control characters are removed,
    - lone UTF-16 surrogates (possible through JSON ``\\ud83d`` escapes) become U+FFFD,
    - everything else is kept: emoji, ZWJ sequences, CJK, full-width punctuation.
    """
    if text.isprintable():  # fast path: no control characters, no surrogates, no separators
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.replace("\t", " ")
    text = _CONTROL_RE.sub("", text)
    return _SURROGATE_RE.sub("\ufffd", text)


# --------------------------------------------------------------------------------------------
# field readers (raise ProtocolError with the field name in the reason)


class _FieldError(Exception):
    """Internal: a field failed validation; converted to ProtocolError with the frame attached. The message may be a
    template (a msgid of the ``cli`` domain, bot/errors.py) filled from ``params``."""

    def __init__(self, template: str, **params: Any) -> None:
        self.template, self.params = template, params
        super().__init__(fill(template, params))


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _ident(obj: Mapping[str, Any], key: str, *, required: bool = True) -> str | None:
    if key not in obj or (not required and obj[key] is None):
        if required:
            raise _FieldError(N_("missing field %(field)s"), field=repr(key))
        return None
    return _check_ident(obj[key], f"field {key!r}")


def _check_ident(value: Any, label: str) -> str:
    if not isinstance(value, str):
        raise _FieldError(f"{label} must be a string, got {_type_name(value)}")
    if not value.strip():
        raise _FieldError(f"{label} must not be empty")
    if len(value) > MAX_ID_CHARS:
        raise _FieldError(f"{label} is longer than {MAX_ID_CHARS} characters")
    if _BAD_ID_RE.search(value):
        raise _FieldError(f"{label} contains control characters")
    return value


def _text(obj: Mapping[str, Any], key: str) -> str:
    if key not in obj:
        raise _FieldError(N_("missing field %(field)s"), field=repr(key))
    value = obj[key]
    if not isinstance(value, str):
        raise _FieldError(N_("field %(field)s must be a string, got %(type)s"), field=repr(key), type=_type_name(value))
    return value


def _ts(obj: Mapping[str, Any], key: str = "ts") -> float:
    if key not in obj:
        raise _FieldError(N_("missing field %(field)s"), field=repr(key))
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _FieldError(N_("field %(field)s must be a number, got %(type)s"), field=repr(key), type=_type_name(value))
    if isinstance(value, int) and not -MAX_ABS_TS <= value <= MAX_ABS_TS:
        raise _FieldError(f"field {key!r} is out of range (|ts| must be <= {MAX_ABS_TS:.0e})")
    value = float(value)
    if not math.isfinite(value):
        raise _FieldError(f"field {key!r} must be finite")
    if abs(value) > MAX_ABS_TS:
        raise _FieldError(f"field {key!r} is out of range (|ts| must be <= {MAX_ABS_TS:.0e})")
    return value


def _int(obj: Mapping[str, Any], key: str, *, minimum: int, maximum: int) -> int:
    if key not in obj:
        raise _FieldError(N_("missing field %(field)s"), field=repr(key))
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise _FieldError(N_("field %(field)s must be an integer, got %(type)s"), field=repr(key), type=_type_name(value))
    if value < minimum:
        what = "negative" if value < 0 else ("zero" if value == 0 else "too small a")
        shown = value if value > -10**12 else "(huge negative)"
        raise _FieldError(f"field {key!r} must be >= {minimum}, got {what} value {shown}")
    if value > maximum:
        raise _FieldError(f"field {key!r} must be <= {maximum}")
    return value


def _seq(obj: Mapping[str, Any]) -> int | None:
    if obj.get("seq") is None:
        return None
    return _int(obj, "seq", minimum=1, maximum=MAX_SEQ)


def _optional_int(obj: Mapping[str, Any], key: str, default: int, *, maximum: int) -> int:
    if obj.get(key) is None:
        return default
    return _int(obj, key, minimum=1, maximum=maximum)


def _dwell(obj: Mapping[str, Any]) -> float | None:
    if obj.get("dwell_s") is None:
        return None
    value = _ts(obj, "dwell_s")
    if not 0 <= value <= MAX_DWELL_S:
        raise _FieldError(f"field 'dwell_s' must be in 0 … {MAX_DWELL_S:g} seconds")
    return value


def _behaviour(kind: str, obj: Mapping[str, Any], room: str) -> InboundEvent:
    user: str = _ident(obj, "user")  # type: ignore[assignment]
    ts, seq = _ts(obj), _seq(obj)
    if kind == "viewer_enter":
        return ViewerEnter(user=user, ts=ts, room=room, seq=seq)
    if kind == "viewer_leave":
        return ViewerLeave(user=user, ts=ts, dwell_s=_dwell(obj), room=room, seq=seq)
    if kind == "product_click":
        return ProductClick(user=user, product_id=_ident(obj, "product_id"), ts=ts, room=room, seq=seq)  # type: ignore[arg-type]
    if kind == "like":
        return Like(user=user, ts=ts, count=_optional_int(obj, "count", 1, maximum=MAX_COUNT), room=room, seq=seq)
    if kind == "follow":
        return Follow(user=user, ts=ts, room=room, seq=seq)
    if kind == "gift":
        return Gift(
            user=user,
            ts=ts,
            gift=_ident(obj, "gift", required=False),
            count=_optional_int(obj, "count", 1, maximum=MAX_COUNT),
            room=room,
            seq=seq,
        )
    return Purchase(
        user=user,
        ts=ts,
        product_id=_ident(obj, "product_id", required=False),
        sku=_ident(obj, "sku", required=False),
        qty=_optional_int(obj, "qty", 1, maximum=MAX_QTY),
        room=room,
        seq=seq,
    )


def _encode_behaviour(event: InboundEvent) -> dict[str, Any] | None:
    """The JSON object of a behaviour event (optional fields only when set), or None for another event."""
    if isinstance(event, ViewerEnter):
        return {"type": "viewer_enter", "user": event.user, "ts": event.ts}
    if isinstance(event, ViewerLeave):
        obj: dict[str, Any] = {"type": "viewer_leave", "user": event.user, "ts": event.ts}
        if event.dwell_s is not None:
            obj["dwell_s"] = event.dwell_s
        return obj
    if isinstance(event, ProductClick):
        return {"type": "product_click", "user": event.user, "product_id": event.product_id, "ts": event.ts}
    if isinstance(event, Like):
        return {"type": "like", "user": event.user, "count": event.count, "ts": event.ts}
    if isinstance(event, Follow):
        return {"type": "follow", "user": event.user, "ts": event.ts}
    if isinstance(event, Gift):
        obj = {"type": "gift", "user": event.user, "count": event.count, "ts": event.ts}
        if event.gift is not None:
            obj["gift"] = event.gift
        return obj
    if isinstance(event, Purchase):
        obj = {"type": "purchase", "user": event.user, "qty": event.qty, "ts": event.ts}
        for key in ("product_id", "sku"):
            if getattr(event, key) is not None:
                obj[key] = getattr(event, key)
        return obj
    return None


def _ident_list(obj: Mapping[str, Any], key: str, *, required: bool, non_empty: bool) -> tuple[str, ...]:
    if key not in obj:
        if required:
            raise _FieldError(N_("missing field %(field)s"), field=repr(key))
        return ()
    value = obj[key]
    if not isinstance(value, list):
        raise _FieldError(f"field {key!r} must be a list of strings, got {_type_name(value)}")
    if non_empty and not value:
        raise _FieldError(f"field {key!r} must not be empty")
    return tuple(_check_ident(item, f"{key}[{i}]") for i, item in enumerate(value))


def _optional_str(obj: Mapping[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return value if isinstance(value, str) else None


# --------------------------------------------------------------------------------------------
# frame → JSON object


def _load_object(frame: str | bytes | bytearray | memoryview) -> tuple[dict[str, Any], str | bytes]:
    """Size check, UTF-8 decode and JSON parse. Returns (object, original frame)."""
    if isinstance(frame, (bytearray, memoryview)):
        frame = bytes(frame)
    if isinstance(frame, bytes):
        if len(frame) > MAX_FRAME_BYTES:
            raise ProtocolError(f"frame of {len(frame)} bytes exceeds the {MAX_FRAME_BYTES}-byte limit", frame)
        try:
            text = frame.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtocolError(f"frame is not valid UTF-8 (byte {exc.start}: {exc.reason})", frame) from None
    elif isinstance(frame, str):
        # a character is at least one byte: only measure precisely when it could matter
        if len(frame) > MAX_FRAME_BYTES or len(frame) * 4 > MAX_FRAME_BYTES:
            size = len(frame.encode("utf-8", "surrogatepass"))
            if size > MAX_FRAME_BYTES:
                raise ProtocolError(f"frame of {size} bytes exceeds the {MAX_FRAME_BYTES}-byte limit", frame)
        text = frame
    else:
        raise ProtocolError(f"frame must be str or bytes, got {type(frame).__name__}", None)

    try:
        obj = json.loads(text, parse_constant=_reject_constant)
    except _FieldError as exc:
        raise ProtocolError(f"frame is not valid JSON: {exc}", frame) from None
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"frame is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", frame) from None
    except RecursionError:
        raise ProtocolError("frame is not valid JSON: nested too deeply", frame) from None
    except ValueError as exc:  # e.g. an integer literal beyond Python's 4,300-digit conversion limit
        raise ProtocolError(f"frame is not valid JSON: {str(exc)[:120]}", frame) from None
    if not isinstance(obj, dict):
        raise ProtocolError(f"frame must be a JSON object, got {_json_kind(obj)}", frame)
    return obj, frame


def _reject_constant(name: str) -> Any:
    raise _FieldError(f"{name} is not allowed")


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "null" if value is None else type(value).__name__


def _frame_type(obj: Mapping[str, Any], allowed: tuple[str, ...]) -> str:
    if "type" not in obj:
        raise _FieldError("missing field 'type'")
    kind = obj["type"]
    if not isinstance(kind, str):
        raise _FieldError(f"field 'type' must be a string, got {_type_name(kind)}")
    if kind not in allowed:
        raise _FieldError(f"unknown frame type {kind!r} (expected one of {', '.join(allowed)})")
    return kind


# --------------------------------------------------------------------------------------------
# inbound: room → bot


def inbound_from_dict(obj: Mapping[str, Any], *, room: str = "local") -> InboundEvent | Hello:
    """Build an inbound event from an already-parsed JSON object (also used by the log reader).

    Raises ProtocolError (with ``frame=None``) when a field is missing or ill-typed.
    """
    try:
        return _inbound(obj, room)
    except _FieldError as exc:
        raise ProtocolError(str(exc), None, template=exc.template, params=exc.params) from None


def _inbound(obj: Mapping[str, Any], room: str) -> InboundEvent | Hello:
    kind = _frame_type(obj, _INBOUND_TYPES)
    if kind == "comment":
        return Comment(
            id=_ident(obj, "id"),  # type: ignore[arg-type]
            user=_ident(obj, "user"),  # type: ignore[arg-type]
            text=clean_text(_text(obj, "text")),
            ts=_ts(obj),
            room=room,
            lang=_ident(obj, "lang", required=False),
            product_id=_ident(obj, "product_id", required=False),
            seq=_seq(obj),
        )
    if kind == "stage":
        if "product_id" not in obj:
            raise _FieldError("missing field 'product_id' (use null for no product on stage)")
        return Stage(product_id=_ident(obj, "product_id", required=False), ts=_ts(obj), room=room, seq=_seq(obj))
    if kind == "stock":
        return StockUpdate(
            sku=_ident(obj, "sku"),  # type: ignore[arg-type]
            stock=_int(obj, "stock", minimum=0, maximum=MAX_STOCK),
            ts=_ts(obj),
            room=room,
            seq=_seq(obj),
        )
    if kind == "order":
        return Order(
            order_id=_ident(obj, "order_id"),  # type: ignore[arg-type]
            sku=_ident(obj, "sku"),  # type: ignore[arg-type]
            qty=_int(obj, "qty", minimum=1, maximum=MAX_QTY),
            ts=_ts(obj),
            user=_ident(obj, "user", required=False),
            room=room,
            seq=_seq(obj),
        )
    if kind == "end":
        return EndOfStream(ts=_ts(obj), room=room, seq=_seq(obj))
    if kind in BEHAVIOUR_TYPES:
        return _behaviour(kind, obj, room)
    # hello: informational, never an error
    return _hello(obj)


def _hello(obj: Mapping[str, Any]) -> Hello:
    features = obj.get("features")
    clean = tuple(f for f in features if isinstance(f, str) and 0 < len(f) <= 64)[:32] if isinstance(features, list) else ()
    return Hello(
        client=_optional_str(obj, "client"),
        version=_optional_str(obj, "version"),
        room=_optional_str(obj, "room"),
        features=clean,
        session=_optional_str(obj, "session"),
    )


def decode_inbound(frame: str | bytes, *, room: str = "local") -> InboundEvent | Hello:
    """Decode one room → bot frame.

    Returns a Comment, Stage, StockUpdate, Order or EndOfStream stamped with ``room`` (the room is a
    property of the connection, not of the frame), or a :class:`Hello` that callers ignore.
    Raises ProtocolError for oversized frames, invalid UTF-8, non-JSON, non-objects, unknown types
    and missing/ill-typed fields. Unknown extra fields are ignored (forward compatibility).
    """
    obj, frame = _load_object(frame)
    try:
        return _inbound(obj, room)
    except _FieldError as exc:
        raise ProtocolError(str(exc), frame) from None


def encode_inbound(event: InboundEvent | Hello) -> str:
    """Encode a room → bot event (used by the local room). Inverse of :func:`decode_inbound`."""
    obj: dict[str, Any]
    if isinstance(event, Comment):
        obj = {"type": "comment", "id": event.id, "user": event.user, "text": event.text, "ts": event.ts}
        if event.lang is not None:
            obj["lang"] = event.lang
        if event.product_id is not None:
            obj["product_id"] = event.product_id
    elif isinstance(event, Stage):
        obj = {"type": "stage", "product_id": event.product_id, "ts": event.ts}
    elif isinstance(event, StockUpdate):
        obj = {"type": "stock", "sku": event.sku, "stock": event.stock, "ts": event.ts}
    elif isinstance(event, Order):
        obj = {"type": "order", "order_id": event.order_id, "sku": event.sku, "qty": event.qty, "ts": event.ts}
        if event.user is not None:
            obj["user"] = event.user
    elif isinstance(event, EndOfStream):
        obj = {"type": "end", "ts": event.ts}
    elif isinstance(event, Hello):
        return encode_hello(event)
    elif (behaviour := _encode_behaviour(event)) is not None:
        obj = behaviour
    else:
        raise TypeError(f"not an inbound event: {type(event).__name__}")
    if event.seq is not None:
        obj["seq"] = event.seq
    return _dump(obj)


# --------------------------------------------------------------------------------------------
# outbound: bot → room


def encode_reply(reply: Reply) -> str:
    """Encode a bot → room reply. Raises ProtocolError for a reply that could never be decoded
    (no comment ids, empty text, frame over the size limit)."""
    if not reply.reply_to:
        raise ProtocolError("reply has no reply_to comment ids", None)
    if not reply.text.strip():
        raise ProtocolError("reply text is empty", None)
    obj = {
        "type": "reply",
        "reply_to": list(reply.reply_to),
        "text": reply.text,
        "lang": reply.lang,
        "users": list(reply.users),
        "ts": reply.ts,
    }
    return _dump(obj)


def encode_hello(hello: Hello) -> str:
    """Encode a hello frame (either direction)."""
    obj: dict[str, Any] = {"type": "hello"}
    for key in ("client", "version", "room", "session"):
        value = getattr(hello, key)
        if value is not None:
            obj[key] = value
    if hello.features:
        obj["features"] = list(hello.features)
    return _dump(obj)


def encode_moderate(action: ModerationAction) -> str:
    """Encode a bot → room moderation request (delete a comment / time its sender out). Raises ProtocolError for
    an action the room would reject (bad id, duration out of range)."""
    try:
        _check_ident(action.comment_id, "comment_id")
        _check_ident(action.user, "user")
    except _FieldError as exc:
        raise ProtocolError(str(exc), None) from None
    obj: dict[str, Any] = {"type": "moderate", "action": action.action, "comment_id": action.comment_id, "user": action.user}
    if action.action == "timeout":
        if not isinstance(action.duration_s, int) or not 1 <= action.duration_s <= MAX_MODERATION_S:
            raise ProtocolError(f"timeout duration_s must be an integer in 1..{MAX_MODERATION_S}", None)
        obj["duration_s"] = action.duration_s
    obj["reason"] = action.reason[:MAX_REASON_CHARS]
    return _dump(obj)


def encode_ack(ack: Ack) -> str:
    """Encode a bot → room acknowledgement (cumulative: every frame with ``seq <= ack.seq``)."""
    if isinstance(ack.seq, bool) or not isinstance(ack.seq, int) or not 1 <= ack.seq <= MAX_SEQ:
        raise ProtocolError(f"ack seq must be an integer in 1..{MAX_SEQ}", None)
    return _dump({"type": "ack", "seq": ack.seq})


def decode_outbound(frame: str | bytes, *, room: str = "local") -> Reply | Hello | Ack | ModerationAction:
    """Decode one bot → room frame (used by the room): a Reply stamped with ``room``, the bot's
    Hello, an Ack, or a ModerationAction. Raises ProtocolError like :func:`decode_inbound`."""
    obj, frame = _load_object(frame)
    try:
        kind = _frame_type(obj, _OUTBOUND_TYPES)
        if kind == "hello":
            return _hello(obj)
        if kind == "ack":
            return Ack(seq=_int(obj, "seq", minimum=1, maximum=MAX_SEQ))
        if kind == "moderate":
            return _moderate(obj, room)
        text = _text(obj, "text")
        if not text.strip():
            raise _FieldError("field 'text' must not be empty")
        return Reply(
            reply_to=_ident_list(obj, "reply_to", required=True, non_empty=True),
            text=text,
            lang=_ident(obj, "lang"),  # type: ignore[arg-type]
            room=room,
            ts=_ts(obj),
            users=_ident_list(obj, "users", required=False, non_empty=False),
        )
    except _FieldError as exc:
        raise ProtocolError(str(exc), frame) from None


def _moderate(obj: Mapping[str, Any], room: str) -> ModerationAction:
    action = obj.get("action")
    if action not in MODERATION_ACTIONS:
        raise _FieldError(f"field 'action' must be one of {', '.join(MODERATION_ACTIONS)}")
    duration = _int(obj, "duration_s", minimum=1, maximum=MAX_MODERATION_S) if action == "timeout" else None
    reason = obj.get("reason", "")
    if not isinstance(reason, str) or len(reason) > MAX_REASON_CHARS:
        raise _FieldError(f"field 'reason' must be a string of at most {MAX_REASON_CHARS} characters")
    return ModerationAction(
        comment_id=_ident(obj, "comment_id"),  # type: ignore[arg-type]
        user=_ident(obj, "user"),  # type: ignore[arg-type]
        action=action,
        duration_s=duration,
        reason=reason,
        room=room,
    )


def _dump(obj: Mapping[str, Any]) -> str:
    try:
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        size = len(text.encode("utf-8"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise ProtocolError(f"cannot encode frame: {exc}", None) from None
    if size > MAX_FRAME_BYTES:
        raise ProtocolError(f"encoded frame of {size} bytes exceeds the {MAX_FRAME_BYTES}-byte limit", None)
    return text
