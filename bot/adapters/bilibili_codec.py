"""Sans-I/O codec for the Bilibili live danmaku (弹幕) websocket protocol.

Only bytes and plain values go in and out of this module: no sockets, no asyncio. The websocket
adapter is :mod:`bot.adapters.bilibili`; the wire format is summarised in ``docs/protocol.md``
("Bilibili live (inbound)").

Every websocket message is one or more concatenated *packets*. A packet is a 16-byte big-endian
header followed by its body::

    u32 packet length (header + body)   u16 header length (always 16)
    u16 protocol version                u32 operation            u32 sequence

Versions: 0 = JSON body, 1 = heartbeat / raw int32 body, 2 = zlib-compressed body, 3 =
brotli-compressed body. A compressed body is itself one or more concatenated packets;
:func:`decode_packets` expands it, so callers only ever see leaf packets (version 0 or 1).

Operations: 2 heartbeat (client → server), 3 heartbeat reply (int32 "popularity"), 5 notification
(JSON object with a ``cmd``), 7 auth / enter room (client → server, JSON), 8 auth reply (JSON
``{"code": 0}``).

Every decoding failure raises :class:`~bot.messages.ProtocolError` whose ``reason`` says what is
wrong and whose ``frame`` carries the offending bytes (capped), so the caller can log and continue.
No other exception leaves :func:`decode_packets`, :func:`interpret` or :func:`to_events` for any
input bytes: values are bounded (JSON integers of at most :data:`MAX_INT_DIGITS` digits, no
``NaN``/``Infinity``, timestamps up to :data:`MAX_TS_MS`, uids up to :data:`MAX_UID`, texts up to
:data:`MAX_TEXT_CHARS` characters) and, as a last resort, an unexpected ``ValueError``,
``TypeError``, ... from a decoder bug is reported as a ProtocolError whose reason starts with
"unexpected decoder failure" (the fuzz tests check that this never happens).
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.messages import Comment, InboundEvent, ProtocolError
from bot.protocol import MAX_ID_CHARS, clean_text

try:  # optional: Bilibili only uses brotli when the client asks for protover 3
    import brotli as _brotli  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the environment
    _brotli = None

__all__ = [
    "BROTLI_AVAILABLE",
    "HEADER",
    "HEADER_LEN",
    "MAX_INT_DIGITS",
    "MAX_NESTING",
    "MAX_PACKET_BYTES",
    "MAX_TEXT_CHARS",
    "MAX_TS_MS",
    "MAX_UID",
    "OP_AUTH",
    "OP_AUTH_REPLY",
    "OP_HEARTBEAT",
    "OP_HEARTBEAT_REPLY",
    "OP_MESSAGE",
    "VER_BROTLI",
    "VER_HEARTBEAT",
    "VER_JSON",
    "VER_ZLIB",
    "AuthReply",
    "HeartbeatReply",
    "Ignored",
    "Notice",
    "Packet",
    "auth_packet",
    "comment_from_danmu",
    "decode_packets",
    "encode_batch",
    "encode_packet",
    "heartbeat_packet",
    "heartbeat_reply_packet",
    "interpret",
    "stable_comment_id",
    "to_events",
]

HEADER = struct.Struct(">IHHII")
HEADER_LEN = HEADER.size  # 16

VER_JSON = 0
VER_HEARTBEAT = 1
VER_ZLIB = 2
VER_BROTLI = 3
_VERSIONS = (VER_JSON, VER_HEARTBEAT, VER_ZLIB, VER_BROTLI)

OP_HEARTBEAT = 2
OP_HEARTBEAT_REPLY = 3
OP_MESSAGE = 5
OP_AUTH = 7
OP_AUTH_REPLY = 8

MAX_PACKET_BYTES = 4 * 1024 * 1024
"""Largest accepted packet (declared length) and largest decompressed body. Real notifications are
a few KiB; anything above this is treated as corrupt rather than allocated."""

MAX_NESTING = 2
"""Compressed bodies may contain compressed packets at most this deep (the server uses depth 1)."""

MAX_INT_DIGITS = 32
"""Longest JSON integer literal accepted in a body (digits, plus a sign). Bilibili ids are 64-bit
(at most 20 digits; larger ids are sent as strings such as ``id_str``), so a longer literal is
corrupt or hostile; rejecting it while parsing keeps int conversion cheap whatever
``sys.int_max_str_digits`` is and never raises Python's own "Exceeds the limit" ValueError."""

MAX_TS_MS = 4_102_444_800_000
"""Latest accepted DANMU_MSG timestamp: 2100-01-01T00:00:00Z in milliseconds. Keeps ``ts`` an exact,
finite float (a 400-digit timestamp would overflow ``ts_ms / 1000``)."""

MAX_UID = 2**63 - 1
"""Largest accepted uid (signed 64-bit, as the platform stores it)."""

MAX_TEXT_CHARS = 8192
"""Longest accepted danmaku text. Bilibili caps danmaku at a few dozen characters; this bound keeps
every Comment small enough for a generic-protocol frame (64 KiB) while a packet may hold 4 MiB."""

_MAX_CODE = 2**63  # auth reply codes must lie in [-2**63, 2**63)
_MAX_CMD_CHARS = 128  # real commands are short ASCII names ("DANMU_MSG", "SEND_GIFT", ...)

BROTLI_AVAILABLE = _brotli is not None

_PREVIEW_BYTES = 256  # ProtocolError.frame keeps at most this many bytes of the offending data


@dataclass(frozen=True, slots=True)
class Packet:
    """One decoded leaf packet. ``ver`` is the version of the packet itself (0 or 1 after
    :func:`decode_packets`; compressed containers are expanded)."""

    op: int
    body: bytes
    ver: int = VER_JSON
    seq: int = 1

    def json(self) -> dict[str, Any]:
        """The body parsed as a JSON object; raises ProtocolError when it is not one."""
        return _json_object(self.body)


# --------------------------------------------------------------------------------------------
# encoding


def encode_packet(op: int, body: bytes | Mapping[str, Any] = b"", ver: int = VER_JSON, seq: int = 1) -> bytes:
    """Encode one packet. A mapping body is JSON-encoded (UTF-8, compact).

    With ``ver=2`` (zlib) or ``ver=3`` (brotli) ``body`` must be the bytes of the inner packets
    (see :func:`encode_batch`); it is compressed here, as the server does.
    """
    if ver not in _VERSIONS:
        raise ValueError(f"unknown protocol version {ver}")
    if not 0 <= op <= 0xFFFFFFFF or not 0 <= seq <= 0xFFFFFFFF:
        raise ValueError("op and seq must fit in an unsigned 32-bit integer")
    if isinstance(body, Mapping):
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    elif isinstance(body, (bytes, bytearray, memoryview)):
        data = bytes(body)
    else:
        raise TypeError(f"body must be bytes or a mapping, got {type(body).__name__}")
    if ver == VER_ZLIB:
        data = zlib.compress(data)
    elif ver == VER_BROTLI:
        data = _brotli_module("encode").compress(data)
    total = HEADER_LEN + len(data)
    if total > MAX_PACKET_BYTES:
        raise ValueError(f"packet of {total} bytes exceeds the {MAX_PACKET_BYTES}-byte limit")
    return HEADER.pack(total, HEADER_LEN, ver, op, seq) + data


def encode_batch(packets: list[bytes], ver: int = VER_ZLIB, op: int = OP_MESSAGE, seq: int = 0) -> bytes:
    """Concatenate already-encoded packets into one compressed container packet (what the server
    sends for busy rooms). Used by tests and local fake rooms."""
    if ver not in (VER_ZLIB, VER_BROTLI):
        raise ValueError("a batch is compressed: ver must be 2 (zlib) or 3 (brotli)")
    return encode_packet(op, b"".join(packets), ver=ver, seq=seq)


def auth_packet(
    room_id: int,
    uid: int = 0,
    key: str | None = None,
    *,
    protover: int = VER_ZLIB,
    buvid: str | None = None,
) -> bytes:
    """The "enter room" packet (op 7), sent first on every connection.

    ``uid=0`` and no ``key`` is an anonymous connection: the server then masks user names and may
    report ``uid`` 0 in DANMU_MSG. ``key`` is the token from ``getDanmuInfo`` for authenticated
    connections. ``protover`` asks the server for zlib (2, default) or brotli (3) batches.
    """
    if isinstance(room_id, bool) or not isinstance(room_id, int) or room_id <= 0:
        raise ValueError(f"room_id must be a positive integer, got {room_id!r}")
    if protover == VER_BROTLI and not BROTLI_AVAILABLE:
        raise ProtocolError("protover 3 needs the 'brotli' package, which is not installed; use protover=2", None)
    body: dict[str, Any] = {"uid": uid, "roomid": room_id, "protover": protover, "platform": "web", "type": 2}
    if key is not None:
        body["key"] = key
    if buvid is not None:
        body["buvid"] = buvid
    return encode_packet(OP_AUTH, body, ver=VER_HEARTBEAT)


_HEARTBEAT_BODY = b"[object Object]"  # what the official web client sends; the server ignores it


def heartbeat_packet() -> bytes:
    """The client heartbeat (op 2, version 1). Send one right after the auth reply, then every 30 s."""
    return encode_packet(OP_HEARTBEAT, _HEARTBEAT_BODY, ver=VER_HEARTBEAT)


def heartbeat_reply_packet(popularity: int) -> bytes:
    """The server's heartbeat reply (op 3, int32 body). Used by tests and local fake rooms."""
    return encode_packet(OP_HEARTBEAT_REPLY, struct.pack(">I", popularity & 0xFFFFFFFF), ver=VER_HEARTBEAT)


# --------------------------------------------------------------------------------------------
# decoding


def decode_packets(data: bytes | bytearray | memoryview) -> list[Packet]:
    """Decode one websocket message into its leaf packets, in order.

    Handles concatenated packets, zlib (version 2) containers recursively and brotli (version 3)
    containers when the ``brotli`` package is installed. Raises ProtocolError for: an empty
    message, a short header, a packet length smaller than the header or larger than the data left
    (truncated) or than :data:`MAX_PACKET_BYTES`, a header length other than 16, an unknown
    version, corrupt or oversized compressed data, and brotli data without the brotli package.
    Nothing is returned when any packet in the message is malformed (all or nothing).
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):  # bytes(12) would be 12 zero bytes
        raise ProtocolError(f"message must be bytes, got {type(data).__name__}", None)
    data = bytes(data)
    if not data:
        raise ProtocolError("empty message (no packet)", data)
    out: list[Packet] = []
    try:
        _decode_into(data, out, depth=0)
    except ProtocolError:
        raise
    except _UNEXPECTED as exc:  # a decoder bug must not end the session; the fuzz tests keep this unused
        raise _unexpected(exc, data[:_PREVIEW_BYTES]) from exc
    return out


def _decode_into(data: bytes, out: list[Packet], depth: int) -> None:
    offset = 0
    size = len(data)
    where = "" if depth == 0 else f" inside a compressed body (depth {depth})"
    while offset < size:
        left = size - offset
        if left < HEADER_LEN:
            raise ProtocolError(f"short header at byte {offset}{where}: {left} bytes, need {HEADER_LEN}", _preview(data, offset))
        length, header_len, ver, op, seq = HEADER.unpack_from(data, offset)
        if header_len != HEADER_LEN:
            raise ProtocolError(
                f"header length {header_len} at byte {offset}{where}, expected {HEADER_LEN}", _preview(data, offset)
            )
        if length < HEADER_LEN:  # includes zero: never loop on a packet that does not advance
            raise ProtocolError(
                f"packet length {length} at byte {offset}{where} is shorter than the {HEADER_LEN}-byte header",
                _preview(data, offset),
            )
        if length > MAX_PACKET_BYTES:
            raise ProtocolError(
                f"packet length {length} at byte {offset}{where} exceeds the {MAX_PACKET_BYTES}-byte limit",
                _preview(data, offset),
            )
        if length > left:
            raise ProtocolError(
                f"truncated packet at byte {offset}{where}: length {length}, only {left} bytes left", _preview(data, offset)
            )
        body = data[offset + HEADER_LEN : offset + length]
        if ver in (VER_ZLIB, VER_BROTLI):
            if depth >= MAX_NESTING:
                raise ProtocolError(f"compressed packets nested deeper than {MAX_NESTING}", _preview(data, offset))
            inner = _inflate(body, ver) if ver == VER_ZLIB else _unbrotli(body)
            if not inner:
                raise ProtocolError(
                    f"compressed packet at byte {offset}{where} is empty after decompression", _preview(data, offset)
                )
            _decode_into(inner, out, depth + 1)
        elif ver in (VER_JSON, VER_HEARTBEAT):
            out.append(Packet(op=op, body=body, ver=ver, seq=seq))
        else:
            raise ProtocolError(f"unknown protocol version {ver} at byte {offset}{where}", _preview(data, offset))
        offset += length


def _inflate(body: bytes, ver: int) -> bytes:
    decomp = zlib.decompressobj()
    try:
        inner = decomp.decompress(body, MAX_PACKET_BYTES)
    except zlib.error as exc:
        raise ProtocolError(f"corrupt zlib body: {exc}", body[:_PREVIEW_BYTES]) from None
    if decomp.unconsumed_tail:
        raise ProtocolError(f"zlib body inflates beyond the {MAX_PACKET_BYTES}-byte limit", body[:_PREVIEW_BYTES])
    if not decomp.eof:
        raise ProtocolError("corrupt zlib body: truncated stream", body[:_PREVIEW_BYTES])
    return inner


def _unbrotli(body: bytes) -> bytes:
    module = _brotli_module("decode")
    try:
        inner = module.decompress(body)
    except getattr(module, "error", ValueError) as exc:  # brotli.error (Google's binding)
        raise ProtocolError(f"corrupt brotli body: {exc}", body[:_PREVIEW_BYTES]) from None
    if len(inner) > MAX_PACKET_BYTES:
        raise ProtocolError(f"brotli body inflates beyond the {MAX_PACKET_BYTES}-byte limit", body[:_PREVIEW_BYTES])
    return inner


def _brotli_module(action: str) -> Any:
    if _brotli is None:
        raise ProtocolError(
            f"cannot {action} a brotli (protocol version 3) packet: the 'brotli' package is not installed "
            "(install it, or authenticate with protover=2 so the server sends zlib)",
            None,
        )
    return _brotli


def _preview(data: bytes, offset: int) -> bytes:
    return data[offset : offset + _PREVIEW_BYTES]


_UNEXPECTED = (TypeError, KeyError, IndexError, ValueError, OverflowError, RecursionError, UnicodeError, zlib.error)


def _unexpected(exc: BaseException, frame: bytes | None) -> ProtocolError:
    detail = str(exc)
    if len(detail) > 120:
        detail = detail[:120] + "..."
    return ProtocolError(f"unexpected decoder failure ({type(exc).__name__}: {detail})", frame)


class _JsonLimit(ValueError):
    """Internal: a JSON literal outside the accepted bounds (raised from the parse hooks)."""


def _parse_int(literal: str) -> int:
    if len(literal) > MAX_INT_DIGITS:
        raise _JsonLimit(f"integer literal of {len(literal)} characters (limit {MAX_INT_DIGITS})")
    return int(literal)


def _parse_constant(name: str) -> Any:
    raise _JsonLimit(f"{name} is not allowed")


def _loads(text: str) -> Any:
    """``json.loads`` with bounded integers and no NaN/Infinity. Raises _JsonLimit, JSONDecodeError
    or RecursionError."""
    return json.loads(text, parse_int=_parse_int, parse_constant=_parse_constant)


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        obj = _loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"body is not valid UTF-8 (byte {exc.start}: {exc.reason})", body[:_PREVIEW_BYTES]) from None
    except json.JSONDecodeError as exc:
        raise ProtocolError(
            f"body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", body[:_PREVIEW_BYTES]
        ) from None
    except _JsonLimit as exc:
        raise ProtocolError(f"body is not accepted JSON: {exc}", body[:_PREVIEW_BYTES]) from None
    except RecursionError:
        raise ProtocolError("body is not valid JSON: nested too deeply", body[:_PREVIEW_BYTES]) from None
    if not isinstance(obj, dict):
        raise ProtocolError(f"body must be a JSON object, got {type(obj).__name__}", body[:_PREVIEW_BYTES])
    return obj


def _show(value: Any) -> str:
    """A short description of a bad field value for a reason (never a huge or deep repr)."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):  # str() of a huge int is slow or raises: only print small ones
        return str(value) if -(10**40) < value < 10**40 else f"an integer of {value.bit_length()} bits"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return f"a string of {len(value)} characters" if len(value) > 40 else json.dumps(value)
    return f"a {type(value).__name__}"


# --------------------------------------------------------------------------------------------
# packets → meaning


@dataclass(frozen=True, slots=True)
class AuthReply:
    """Op 8. ``code == 0`` means the room was entered; anything else is a rejection."""

    code: int

    @property
    def ok(self) -> bool:
        return self.code == 0


@dataclass(frozen=True, slots=True)
class HeartbeatReply:
    """Op 3: the server's answer to a heartbeat, carrying the room's popularity figure."""

    popularity: int


@dataclass(frozen=True, slots=True)
class Ignored:
    """A well-formed packet the bot does not use: a notification ``cmd`` other than DANMU_MSG
    (SEND_GIFT, INTERACT_WORD, LIVE, ...) or an unexpected operation (``cmd`` is then ``op:N``)."""

    cmd: str


Notice = Comment | AuthReply | HeartbeatReply | Ignored


def interpret(packet: Packet, room: str) -> Notice:
    """What one leaf packet means. Raises ProtocolError (and nothing else) for a malformed body."""
    try:
        return _interpret(packet, room)
    except ProtocolError:
        raise
    except _UNEXPECTED as exc:  # a decoder bug must not end the session; the fuzz tests keep this unused
        raise _unexpected(exc, bytes(packet.body[:_PREVIEW_BYTES])) from exc


def _interpret(packet: Packet, room: str) -> Notice:
    if packet.op == OP_MESSAGE:
        obj = packet.json()
        cmd = obj.get("cmd")
        if not isinstance(cmd, str) or not cmd:
            raise ProtocolError("notification has no string 'cmd'", packet.body[:_PREVIEW_BYTES])
        base = cmd.split(":", 1)[0]  # old servers sent e.g. "DANMU_MSG:4:0:2:2:2:0"
        if not base or len(base) > _MAX_CMD_CHARS or not base.isprintable():
            raise ProtocolError(
                f"notification 'cmd' is not a command name ({_show(base)}; at most {_MAX_CMD_CHARS} printable characters)",
                packet.body[:_PREVIEW_BYTES],
            )
        if base == "DANMU_MSG":
            return comment_from_danmu(obj, room, raw=packet.body)
        return Ignored(base)
    if packet.op == OP_HEARTBEAT_REPLY:
        if len(packet.body) < 4:
            raise ProtocolError(f"heartbeat reply body has {len(packet.body)} bytes, need 4", packet.body)
        return HeartbeatReply(popularity=int.from_bytes(packet.body[:4], "big"))
    if packet.op == OP_AUTH_REPLY:
        obj = packet.json()
        code = obj.get("code", 0)
        if isinstance(code, bool) or not isinstance(code, int):
            raise ProtocolError(f"auth reply 'code' must be an integer, got {type(code).__name__}", packet.body[:_PREVIEW_BYTES])
        if not -_MAX_CODE <= code < _MAX_CODE:
            raise ProtocolError(
                f"auth reply 'code' {_show(code)} is outside the signed 64-bit range", packet.body[:_PREVIEW_BYTES]
            )
        return AuthReply(code=code)
    return Ignored(f"op:{packet.op}")


def to_events(packet: Packet, room: str, counts: Counter[str] | None = None) -> list[InboundEvent]:
    """The bot's inbound events in one leaf packet: ``[Comment]`` for DANMU_MSG, ``[]`` otherwise.

    When ``counts`` is given it is updated: ``"comment"``, ``"auth_reply"``, ``"heartbeat_reply"``
    and ``"ignored:<cmd>"``. Meta packets (op 3 / op 8) are read with :func:`interpret`.
    Raises ProtocolError for a malformed body.
    """
    notice = interpret(packet, room)
    if isinstance(notice, Comment):
        if counts is not None:
            counts["comment"] += 1
        return [notice]
    if counts is not None:
        if isinstance(notice, AuthReply):
            counts["auth_reply"] += 1
        elif isinstance(notice, HeartbeatReply):
            counts["heartbeat_reply"] += 1
        else:
            counts[f"ignored:{notice.cmd}"] += 1
    return []


def comment_from_danmu(obj: Mapping[str, Any], room: str, *, raw: bytes | None = None) -> Comment:
    """Map a DANMU_MSG notification to a Comment.

    ``info[1]`` text, ``info[2][0]`` uid, ``info[2][1]`` user name, ``info[0][4]`` timestamp (ms).
    The comment id is the platform's message id when present (top-level ``msg_id``, or ``id_str``
    in the JSON string ``info[0][15].extra``), else :func:`stable_comment_id`. ``user`` is the uid;
    for anonymous connections (uid 0) it is ``crc:<info[0][7]>`` (the uid hash the server still
    sends), else ``name:<uname>``.
    """
    frame = raw[:_PREVIEW_BYTES] if raw is not None else None
    info = obj.get("info")
    if not isinstance(info, list) or len(info) < 3:
        raise ProtocolError("DANMU_MSG 'info' must be a list of at least 3 items", frame)
    meta, text, user = info[0], info[1], info[2]
    if not isinstance(text, str):
        raise ProtocolError(f"DANMU_MSG info[1] (text) must be a string, got {type(text).__name__}", frame)
    if len(text) > MAX_TEXT_CHARS:
        raise ProtocolError(f"DANMU_MSG info[1] (text) has {len(text)} characters, more than {MAX_TEXT_CHARS}", frame)
    if not isinstance(meta, list) or len(meta) < 5:
        raise ProtocolError("DANMU_MSG info[0] must be a list of at least 5 items", frame)
    ts_ms = meta[4]
    if isinstance(ts_ms, bool) or not isinstance(ts_ms, int) or ts_ms < 0:
        raise ProtocolError(f"DANMU_MSG info[0][4] (timestamp ms) must be a non-negative integer, got {_show(ts_ms)}", frame)
    if ts_ms > MAX_TS_MS:
        raise ProtocolError(
            f"DANMU_MSG info[0][4] (timestamp ms) {_show(ts_ms)} is after the year 2100 (limit {MAX_TS_MS})", frame
        )
    if not isinstance(user, list) or len(user) < 2:
        raise ProtocolError("DANMU_MSG info[2] (user) must be a list [uid, uname, ...]", frame)
    uid, uname = user[0], user[1]
    if isinstance(uid, bool) or not isinstance(uid, int) or uid < 0:
        raise ProtocolError(f"DANMU_MSG info[2][0] (uid) must be a non-negative integer, got {_show(uid)}", frame)
    if uid > MAX_UID:
        raise ProtocolError(f"DANMU_MSG info[2][0] (uid) {_show(uid)} does not fit in a signed 64-bit integer", frame)
    if not isinstance(uname, str):
        raise ProtocolError(f"DANMU_MSG info[2][1] (uname) must be a string, got {type(uname).__name__}", frame)

    text = clean_text(text)
    msg_id = _message_id(obj, meta)
    comment_id = msg_id if msg_id is not None else stable_comment_id(uid, ts_ms, text)
    return Comment(id=comment_id, user=_user_key(uid, uname, meta), text=text, ts=ts_ms / 1000.0, room=room)


def stable_comment_id(uid: int, ts_ms: int, text: str) -> str:
    """``bili-<uid>-<ts_ms>-<hash>``: the same message always gets the same id (across processes and
    reconnects), so a re-delivered danmaku is recognisable."""
    digest = hashlib.blake2s(text.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()
    return f"bili-{uid}-{ts_ms}-{digest}"


def _message_id(obj: Mapping[str, Any], meta: list[Any]) -> str | None:
    candidates: list[Any] = [obj.get("msg_id")]
    if len(meta) > 15 and isinstance(meta[15], dict):
        extra = meta[15].get("extra")
        if isinstance(extra, str):
            try:  # optional: an unreadable extra only means falling back to the stable id
                extra = _loads(extra)
            except (ValueError, RecursionError):  # JSONDecodeError and _JsonLimit are ValueErrors
                extra = None
        if isinstance(extra, dict):
            candidates.append(extra.get("id_str"))
    for value in candidates:
        if isinstance(value, str) and value.strip() and len(value) <= MAX_ID_CHARS - 5 and value.isprintable():
            return f"bili-{value}"
    return None


def _user_key(uid: int, uname: str, meta: list[Any]) -> str:
    if uid:
        return str(uid)
    if len(meta) > 7 and isinstance(meta[7], str) and len(meta[7]) <= MAX_ID_CHARS - 4 and meta[7].isalnum():
        return f"crc:{meta[7]}"
    name = " ".join(clean_text(uname).split())[: MAX_ID_CHARS - 5]  # no newline in an identifier
    return f"name:{name}" if name else "anonymous"
