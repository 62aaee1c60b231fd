"""Property-based fuzzing of both wire codecs: hostile input may only ever raise ProtocolError.

- generic JSON codec (:mod:`bot.protocol`): ``decode_inbound`` / ``decode_outbound`` over structured
  frames (the right ``type`` with random-typed field values: huge integers, ``1e400``, NaN literals,
  lone surrogates, deep nesting, very long strings) and byte mutations of them; exact round trips
  ``encode_inbound`` → ``decode_inbound`` and ``encode_reply`` → ``decode_outbound`` for valid events;
- Bilibili codec (:mod:`bot.adapters.bilibili_codec`): ``decode_packets`` over generated messages
  (valid headers with random bodies, zlib batches, nested and corrupt containers, random headers,
  truncations) and ``interpret`` / ``to_events`` over notifications shaped like DANMU_MSG with a
  random type in every slot. Every Comment it produces must also be a valid generic-protocol Comment.

The runs are deterministic (``derandomize=True``, no example database) and generate 2,600 frames in all
(``LIVEREPLY_FUZZ_EXAMPLES`` for more). ``bench/bench_fuzz.py`` drives the same strategies and checks at
100,000 frames. The strategies build JSON *text*, not Python objects, so literals Python's ``json.dumps`` never writes
(``1e400``, ``NaN``, 5000-digit integers, ``"\\ud800"``) are covered.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import zlib
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import protocol
from bot.adapters.bilibili_codec import (
    HEADER,
    MAX_TS_MS,
    MAX_UID,
    OP_AUTH_REPLY,
    OP_HEARTBEAT_REPLY,
    OP_MESSAGE,
    VER_HEARTBEAT,
    VER_JSON,
    VER_ZLIB,
    AuthReply,
    Packet,
    decode_packets,
    encode_batch,
    encode_packet,
    interpret,
    stable_comment_id,
    to_events,
)
from bot.messages import Comment, EndOfStream, Order, ProtocolError, Reply, Stage, StockUpdate
from bot.protocol import MAX_ID_CHARS, clean_text, decode_inbound, decode_outbound, encode_inbound, encode_reply

pytestmark = pytest.mark.timeout(120)

UNEXPECTED = "unexpected decoder failure"  # the Bilibili codec's last-resort reason: must never appear

# Examples per property, in these shares of the total. The test suite runs FUZZ_TOTAL examples (CI: 2,600, ~40 s of
# the suite's CPU); LIVEREPLY_FUZZ_EXAMPLES=N runs N instead (10300: the depth the suite ran until 2026-12-03, ~3 min),
# bench/bench_fuzz.py 100,000 frames with another seed. The same derandomized examples on every run either way.
_SHARES = {
    "inbound": 2500,
    "outbound": 1500,
    "inbound_round_trip": 1500,
    "reply_round_trip": 800,
    "bili_bodies": 2500,
    "bili_messages": 1500,
}
CI_TOTAL = 2_600
FUZZ_TOTAL = int(os.environ.get("LIVEREPLY_FUZZ_EXAMPLES") or CI_TOTAL)
EXAMPLES = {name: max(1, round(share * FUZZ_TOTAL / sum(_SHARES.values()))) for name, share in _SHARES.items()}

FUZZ = settings(
    derandomize=True,  # same examples on every run and machine: CI is deterministic
    database=None,  # no .hypothesis/ example database in the checkout
    deadline=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# bounds every valid generated event stays within (the generic codec may bound numbers; never tighter)
_TS_MAX = 1e13
_STOCK_MAX = 2**31 - 1
_QTY_MAX = 1_000_000
_SEQ_MAX = 2**53


def _has_field(cls: type, name: str) -> bool:
    return name in {f.name for f in dataclasses.fields(cls)}


_HAS_SEQ = _has_field(Comment, "seq")  # delivery sequence numbers are being added to the events


# --------------------------------------------------------------------------------------------
# hostile JSON values, as text


def _dumps(value: Any, ascii_only: bool = False) -> str:
    return json.dumps(value, ensure_ascii=ascii_only)


_DIGIT_COUNTS = st.sampled_from([19, 20, 21, 32, 33, 40, 64, 309, 400, 4300, 4301, 5000, 20000])


@st.composite
def _huge_int(draw: st.DrawFn) -> str:
    digits = draw(_DIGIT_COUNTS)
    lead = draw(st.sampled_from("19"))
    fill = draw(st.sampled_from("0971"))
    return draw(st.sampled_from(["", "-"])) + lead + fill * (digits - 1)


INT_TEXT = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(
        ["0", "-0", "1", "-1", str(2**31), str(2**53 + 1), str(2**63 - 1), str(2**63), str(2**64), str(-(2**63) - 1)]
    ),
    _huge_int(),
)
FLOAT_TEXT = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(
        ["1e400", "-1e400", "1e-400", "1E+308", "2e308", "-0.0", "0e0", "1.7976931348623157e308", "4.9e-324",
         "1732540000.123", "1732540000123.0", "1e13", "1.0000001e13", "-1e13", "9007199254740993.0"]
    ),
    st.integers(300, 5000).map(lambda n: "0." + "1" * n),
    st.integers(300, 5000).map(lambda n: "1" + "0" * n + ".5"),
)
CONSTANT_TEXT = st.sampled_from(["NaN", "Infinity", "-Infinity", "true", "false", "null"])

_ANY_CHAR = st.characters(exclude_categories=())  # includes lone surrogates and control characters
STRING_TEXT = st.one_of(
    st.builds(_dumps, st.text(_ANY_CHAR, max_size=40), st.booleans()),
    st.sampled_from(
        ['"\\ud800"', '"\\udfff\\ud800"', '"a\\ud83d"', '"\\ud83d\\ude00"', '"\\u0000"', '"\\u001b[31m"', '" "', '""',
         '"\\r\\n"', '"\\u2028"', '"\\u200b"', '"\\ufeff"', '"\u00a0"', '"DANMU_MSG"', '"1732540000123"', '"abc\\\\"']
    ),
    st.builds(lambda n, c: _dumps(c * n), st.sampled_from([257, 300, 5000, 70000]), st.sampled_from(["x", "有", "😀", "\n"])),
)
SCALAR_TEXT = st.one_of(INT_TEXT, FLOAT_TEXT, CONSTANT_TEXT, STRING_TEXT)


def _array(items: list[str]) -> str:
    return "[" + ",".join(items) + "]"


def _object(pairs: list[tuple[str, str]]) -> str:
    return "{" + ",".join(f"{_dumps(k)}:{v}" for k, v in pairs) + "}"


@st.composite
def _deep(draw: st.DrawFn) -> str:
    depth = draw(st.sampled_from([50, 500, 900, 990, 1000, 1100, 3000, 100_000]))
    if draw(st.booleans()):
        return "[" * depth + "]" * depth
    return '{"a":' * depth + draw(st.sampled_from(["1", "[]", '"x"'])) + "}" * depth


NESTED_TEXT = st.recursive(
    SCALAR_TEXT,
    lambda children: st.one_of(
        st.lists(children, max_size=5).map(_array),
        st.lists(st.tuples(st.text(max_size=6), children), max_size=5).map(_object),
    ),
    max_leaves=10,
)
HOSTILE = st.one_of(SCALAR_TEXT, NESTED_TEXT, _deep())
"""Any JSON value (text), biased to values that break naive decoders."""

_SAFE_CHAR = st.characters(exclude_categories=("Cs",))
_IDENT = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=24).filter(
    lambda s: s.strip() and s.isprintable()
)


_EXTRA_KEY = st.sampled_from(["extra", "type", "ts", "x" * 300])
# hypothesis draws the first element of sampled_from (and 0 from integers) more often than uniform:
# rare events are the *last* elements here
_ONE_IN_8 = st.sampled_from([False] * 7 + [True])
_ONE_IN_16 = st.sampled_from([False] * 15 + [True])
_BAD_COUNT = st.sampled_from([0, 0, 1, 1, 1, 2, 3])  # how many fields / slots get a hostile value


def fields(schema: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """The (name, JSON text) pairs of an object: each schema field valid or, for up to three of them,
    a hostile value; fields are sometimes left out and unknown (or duplicate) fields added."""
    names = list(schema)
    pick = st.sampled_from(names) if names else st.nothing()

    @st.composite
    def draw_fields(draw: st.DrawFn) -> list[tuple[str, str]]:
        bad = {draw(pick) for _ in range(draw(_BAD_COUNT) if names else 0)}
        pairs = []
        for name in names:
            if draw(_ONE_IN_16):
                continue  # missing field
            pairs.append((name, draw(HOSTILE) if name in bad else draw(schema[name])))
        if draw(_ONE_IN_8):
            pairs.append((draw(_EXTRA_KEY), draw(HOSTILE)))
        return pairs

    return draw_fields()


# --------------------------------------------------------------------------------------------
# generic JSON codec: frames


def _text_of(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[str]:
    return strategy.map(_dumps)


_TS_TEXT = st.one_of(
    st.floats(-_TS_MAX, _TS_MAX, allow_nan=False).map(repr),
    st.integers(-int(_TS_MAX), int(_TS_MAX)).map(str),
)
_ID_TEXT = _text_of(_IDENT)
_OPT_ID_TEXT = st.one_of(_ID_TEXT, st.just("null"))
_SEQ_TEXT = st.one_of(st.integers(1, _SEQ_MAX).map(str), st.just("null"))
_TEXT_TEXT = st.builds(_dumps, st.text(_ANY_CHAR, max_size=60), st.booleans())
_ID_LIST_TEXT = st.lists(_ID_TEXT, max_size=4).map(_array)
_ID_LIST1_TEXT = st.lists(_ID_TEXT, min_size=1, max_size=4).map(_array)
_REPLY_TEXT = st.builds(_dumps, st.text(_ANY_CHAR, min_size=1, max_size=60), st.booleans())

INBOUND_SCHEMAS: dict[str, dict[str, st.SearchStrategy[str]]] = {
    "comment": {"id": _ID_TEXT, "user": _ID_TEXT, "text": _TEXT_TEXT, "ts": _TS_TEXT, "lang": _OPT_ID_TEXT,
                "product_id": _OPT_ID_TEXT, "seq": _SEQ_TEXT},
    "stage": {"product_id": _OPT_ID_TEXT, "ts": _TS_TEXT, "seq": _SEQ_TEXT},
    "stock": {"sku": _ID_TEXT, "stock": st.integers(0, _STOCK_MAX).map(str), "ts": _TS_TEXT, "seq": _SEQ_TEXT},
    "order": {"order_id": _ID_TEXT, "sku": _ID_TEXT, "qty": st.integers(1, _QTY_MAX).map(str), "ts": _TS_TEXT,
              "user": _OPT_ID_TEXT, "seq": _SEQ_TEXT},
    "end": {"ts": _TS_TEXT, "seq": _SEQ_TEXT},
    "hello": {"client": _TEXT_TEXT, "version": _TEXT_TEXT, "room": _TEXT_TEXT, "features": _ID_LIST_TEXT},
}
OUTBOUND_SCHEMAS: dict[str, dict[str, st.SearchStrategy[str]]] = {
    "reply": {"reply_to": _ID_LIST1_TEXT, "text": _REPLY_TEXT, "lang": _ID_TEXT, "users": _ID_LIST_TEXT, "ts": _TS_TEXT},
    "hello": INBOUND_SCHEMAS["hello"],
    "ack": {"seq": st.integers(-3, _SEQ_MAX + 3).map(str)},
}


_MUTATION = st.sampled_from(["flip", "cut", "insert"])
_INSERT = st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b'"', b"[", b"}", b"9" * 40, b"e999"])
_OVERSIZE = st.sampled_from([21846, 70000])  # 21846 * 3 bytes is just over 64 KiB


def _mutate(draw: st.DrawFn, frame: str) -> bytes:
    data = bytearray(frame.encode("utf-8", "surrogatepass"))
    for _ in range(draw(st.integers(1, 3))):
        op = draw(_MUTATION)
        at = draw(st.integers(0, len(data)))
        if op == "flip" and data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[at:]
        else:
            data[at:at] = draw(_INSERT)
    return bytes(data)


def generic_frames(schemas: dict[str, dict[str, st.SearchStrategy[str]]], others: list[str]) -> st.SearchStrategy[str | bytes]:
    """Frames for ``decode_inbound``/``decode_outbound``: an object with a ``type`` (one of
    ``schemas`` or ``others``) and its fields, as str, as UTF-8 bytes, or byte-mutated; a
    non-object JSON value; or a frame over the size limit."""
    kinds = st.sampled_from(sorted(schemas) * 3 + others)  # a known type 4 times in 5 or so
    by_kind = {kind: fields(schemas.get(kind, {})) for kind in sorted(schemas) + others}

    @st.composite
    def draw_frame(draw: st.DrawFn) -> str | bytes:
        choice = draw(st.integers(0, 19))
        if choice == 0:
            return draw(HOSTILE)  # a bare value: must be "not an object" (or invalid JSON)
        if choice == 1:  # over the size limit, as str and as bytes
            frame = '{"type":"comment","text":"' + "有" * draw(_OVERSIZE) + '"}'
            return frame if draw(st.booleans()) else frame.encode("utf-8")
        kind = draw(kinds)
        type_text = draw(HOSTILE) if draw(_ONE_IN_16) else _dumps(kind)
        frame = _object([("type", type_text), *draw(by_kind[kind])])
        if choice <= 4:
            return _mutate(draw, frame)
        if choice <= 9:
            return frame.encode("utf-8", "surrogatepass")  # lone surrogates become invalid UTF-8
        return frame

    return draw_frame()


INBOUND_FRAMES = generic_frames(INBOUND_SCHEMAS, ["reply", "ack", "", "COMMENT"])
OUTBOUND_FRAMES = generic_frames(OUTBOUND_SCHEMAS, ["comment", "stock", "", "Reply"])


def _rejected(exc: ProtocolError) -> None:
    assert isinstance(exc.reason, str) and exc.reason, "a ProtocolError must say why"
    assert UNEXPECTED not in exc.reason, exc.reason


def check_decode_inbound(frame: str | bytes) -> str:
    """Property: ``decode_inbound`` returns an event or raises ProtocolError, nothing else.
    Returns the outcome ("ok" / "ProtocolError"); any other exception propagates."""
    try:
        event = decode_inbound(frame, room="fuzz")
    except ProtocolError as exc:
        _rejected(exc)
        return "ProtocolError"
    if isinstance(event, (Comment, Stage, StockUpdate, Order, EndOfStream)):  # decoded numbers are bounded
        assert math.isfinite(event.ts) and event.room == "fuzz"
        assert getattr(event, "seq", None) is None or 1 <= event.seq <= _SEQ_MAX
    if isinstance(event, StockUpdate):
        assert 0 <= event.stock <= _STOCK_MAX, "stock must fit a signed 32-bit column"
    if isinstance(event, Order):
        assert 1 <= event.qty <= _QTY_MAX
    return "ok"


def check_decode_outbound(frame: str | bytes) -> str:
    """Property: ``decode_outbound`` returns a Reply/Hello/Ack or raises ProtocolError, nothing else."""
    try:
        out = decode_outbound(frame, room="fuzz")
    except ProtocolError as exc:
        _rejected(exc)
        return "ProtocolError"
    if isinstance(out, Reply):
        assert out.reply_to and out.text.strip() and math.isfinite(out.ts)
    return "ok"


# --------------------------------------------------------------------------------------------
# generic JSON codec: valid events (exact round trip)

_TS = st.one_of(st.floats(-_TS_MAX, _TS_MAX, allow_nan=False), st.integers(0, 2_000_000_000).map(float))
_CLEAN_TEXT = st.text(_ANY_CHAR, max_size=80).map(clean_text)  # decoded text is clean_text'ed
_OPT_IDENT = st.one_of(st.none(), _IDENT)
_SEQ_KW = {"seq": st.one_of(st.none(), st.integers(1, _SEQ_MAX))} if _HAS_SEQ else {}

VALID_INBOUND = st.one_of(
    st.builds(Comment, id=_IDENT, user=_IDENT, text=_CLEAN_TEXT, ts=_TS, room=st.just("fuzz"), lang=_OPT_IDENT,
              product_id=_OPT_IDENT, **_SEQ_KW),
    st.builds(Stage, product_id=_OPT_IDENT, ts=_TS, room=st.just("fuzz"), **_SEQ_KW),
    st.builds(StockUpdate, sku=_IDENT, stock=st.integers(0, _STOCK_MAX), ts=_TS, room=st.just("fuzz"), **_SEQ_KW),
    st.builds(Order, order_id=_IDENT, sku=_IDENT, qty=st.integers(1, _QTY_MAX), ts=_TS, user=_OPT_IDENT,
              room=st.just("fuzz"), **_SEQ_KW),
    st.builds(EndOfStream, ts=_TS, room=st.just("fuzz"), **_SEQ_KW),
    st.builds(protocol.Hello, client=_OPT_IDENT, version=_OPT_IDENT, room=_OPT_IDENT),
)
VALID_REPLY = st.builds(
    Reply,
    reply_to=st.lists(_IDENT, min_size=1, max_size=4).map(tuple),
    text=st.text(_SAFE_CHAR, min_size=1, max_size=120).filter(str.strip),
    lang=_IDENT,
    room=st.just("fuzz"),
    ts=_TS,
    users=st.lists(_IDENT, max_size=4).map(tuple),
)


def check_inbound_round_trip(event: Any) -> str:
    """Property: a valid event encodes without error and decodes to exactly itself (str and bytes)."""
    frame = encode_inbound(event)
    assert decode_inbound(frame, room="fuzz") == event
    assert decode_inbound(frame.encode("utf-8"), room="fuzz") == event
    return "ok"


def check_reply_round_trip(reply: Reply) -> str:
    frame = encode_reply(reply)
    assert decode_outbound(frame, room="fuzz") == reply
    return "ok"


# --------------------------------------------------------------------------------------------
# Bilibili codec: notification bodies
# (strategies are built once at import: building them inside the composites cost most of the time)

_CMD_TEXT = st.sampled_from(["DANMU_MSG"] * 6 + ["DANMU_MSG:4:0:2:2:2:0", "SEND_GIFT", "INTERACT_WORD", "LIVE"]).map(_dumps)
_BAD_CMD_TEXT = st.one_of(st.sampled_from(["", ":", ":DANMU_MSG", "DANMU_MSG\x00", "\u2028", "X" * 200]).map(_dumps), HOSTILE)
_TS_MS_TEXT = st.one_of(
    st.integers(0, MAX_TS_MS).map(str), st.sampled_from(["1732540000123"] * 4 + [str(MAX_TS_MS), str(MAX_TS_MS + 1)])
)
_UID_TEXT = st.one_of(st.integers(0, MAX_UID).map(str), st.sampled_from(["0", "0", "37089851", str(MAX_UID), str(MAX_UID + 1)]))
_CRC_TEXT = st.one_of(st.text("0123456789abcdef", min_size=1, max_size=8).map(_dumps), st.just(_dumps("a" * 300)))
_ID_OR_HOSTILE = st.one_of(_ID_TEXT, HOSTILE)
# hypothesis favours the first element of sampled_from: the first choices below are the benign ones
_DANMU_SLOT = st.sampled_from(
    ["info_tail", "ts", "ts", "uid", "uid", "text", "uname", "crc", "extra", "extra", "msg_id", "cmd", "info"]
)
_META_LEN = st.sampled_from([16] * 12 + [15, 8, 5, 4, 0])  # the codec needs 5 items
_USER_LEN = st.sampled_from([4] * 8 + [2, 1, 0])  # ... and 2
_INFO_LEN = st.sampled_from([5] * 12 + [3, 2, 0])  # ... and 3


@st.composite
def _extra_text(draw: st.DrawFn) -> str:
    """``info[0][15]``: an object whose ``extra`` is a JSON *string* holding ``id_str``."""
    inner = _object([("id_str", draw(_ID_OR_HOSTILE)), ("content", '"x"')])
    extra = _dumps(inner) if draw(st.integers(0, 4)) else draw(HOSTILE)
    return _object([("mode", "0"), ("extra", extra)])


_EXTRA_TEXT = _extra_text()


@st.composite
def danmu_body(draw: st.DrawFn) -> bytes:
    """A notification shaped like DANMU_MSG: every slot the codec reads is valid or (for up to three
    slots) a hostile value; lists are sometimes cut short."""
    bad = {draw(_DANMU_SLOT) for _ in range(draw(_BAD_COUNT))}

    def slot(name: str, valid: st.SearchStrategy[str]) -> str:
        return draw(HOSTILE) if name in bad else draw(valid)

    meta = ["0", "1", "25", "16777215", slot("ts", _TS_MS_TEXT), "1732540000", "0", slot("crc", _CRC_TEXT),
            "0", "0", "0", '""', "0", '"{}"', '"{}"', slot("extra", _EXTRA_TEXT)]
    meta = meta[: draw(_META_LEN)]
    user = [slot("uid", _UID_TEXT), slot("uname", _TEXT_TEXT), "0", "0"][: draw(_USER_LEN)]
    info = [_array(meta), slot("text", _TEXT_TEXT), _array(user)]
    info += [draw(HOSTILE) for _ in range(draw(st.integers(0, 2)))] if "info_tail" in bad else ["[21]", "0"]
    info = info[: draw(_INFO_LEN)]
    pairs = [("cmd", draw(_BAD_CMD_TEXT) if "cmd" in bad else draw(_CMD_TEXT)), ("info", slot("info", st.just(_array(info))))]
    if draw(st.booleans()):
        pairs.append(("msg_id", slot("msg_id", _ID_TEXT)))
    return _object(pairs).encode("utf-8", "surrogatepass")


_CODE_TEXT = st.one_of(st.integers(-200, 200).map(str), HOSTILE)
_OTHER_CMD_TEXT = st.one_of(_CMD_TEXT, _CMD_TEXT, STRING_TEXT, _BAD_CMD_TEXT)


@st.composite
def meta_body(draw: st.DrawFn) -> tuple[int, bytes]:
    """An op 3 / op 8 / other notification / unknown op packet body."""
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return OP_HEARTBEAT_REPLY, draw(st.binary(max_size=8))
    if kind == 1:
        return OP_AUTH_REPLY, _object([("code", draw(_CODE_TEXT))]).encode("utf-8", "surrogatepass")
    if kind == 2:
        return OP_AUTH_REPLY, draw(HOSTILE).encode("utf-8", "surrogatepass")
    if kind == 3:
        pairs = [("cmd", draw(_OTHER_CMD_TEXT)), ("data", draw(NESTED_TEXT))]  # mostly ignored commands
        return OP_MESSAGE, _object(pairs).encode("utf-8", "surrogatepass")
    return draw(st.integers(0, 2**32 - 1)), draw(st.binary(max_size=32))


_DANMU = danmu_body().map(lambda b: (OP_MESSAGE, b))
BODIES = st.one_of(_DANMU, _DANMU, meta_body())
"""(op, body) of one leaf packet: DANMU_MSG-shaped two times in three."""


def check_bili_packet(packet: Packet, counts: Counter[str] | None = None) -> str:
    """Property: ``interpret``/``to_events`` return or raise ProtocolError; every Comment is also a
    valid generic-protocol Comment (bounded id/user, finite ts, clean text)."""
    try:
        notice = interpret(packet, "fuzz")
        events = to_events(packet, "fuzz", counts)
    except ProtocolError as exc:
        _rejected(exc)
        return "ProtocolError"
    for event in events:
        assert isinstance(event, Comment) and event == notice
        assert 0 <= event.ts <= MAX_TS_MS / 1000 and math.isfinite(event.ts)
        assert 0 < len(event.id) <= MAX_ID_CHARS and 0 < len(event.user) <= MAX_ID_CHARS
        assert clean_text(event.text) == event.text
        try:  # cross-codec: a Bilibili comment is a valid generic-protocol comment
            frame = encode_inbound(event)
        except ProtocolError as exc:
            raise AssertionError(f"the generic codec cannot encode this Bilibili comment: {exc.reason}") from None
        assert decode_inbound(frame, room="fuzz") == event
    if isinstance(notice, AuthReply):
        assert -(2**63) <= notice.code < 2**63
    return "ok"


# --------------------------------------------------------------------------------------------
# Bilibili codec: whole websocket messages (framing)


_ZLIB_JUNK = st.sampled_from([zlib.compress(b"\x00" * n) for n in (15, 17, 5_000_000)])  # compressed once
_U32 = st.integers(0, 2**32 - 1)
_LEAF_VER = st.sampled_from([VER_JSON, VER_JSON, VER_HEARTBEAT])
_BATCH_VER = st.sampled_from([VER_ZLIB] * 7 + [3])  # 3 = brotli (only decodable with the package)


def _packet(op: int, body: bytes, ver: int = VER_JSON, seq: int = 0) -> bytes:
    return HEADER.pack(HEADER.size + len(body), HEADER.size, ver, op, seq) + body


@st.composite
def _leaf_packet(draw: st.DrawFn) -> bytes:
    op, body = draw(BODIES)
    return _packet(op, body, draw(_LEAF_VER), draw(_U32))


_LEAF = _leaf_packet()


@st.composite
def _zlib_packet(draw: st.DrawFn, depth: int, damaged: bool) -> bytes:
    """A zlib container of leaf packets (and sometimes a nested container; depth 3 is over the
    limit). ``damaged``: the stream may be cut, extended, flipped, junk or a bomb, the version brotli."""
    inner = [draw(_LEAF) for _ in range(draw(st.integers(1, 3)))]
    if depth < (3 if damaged else 2) and draw(st.integers(0, 5)) == 0:
        inner.append(draw(_ZLIB_AT[depth + 1, damaged]))
    data = zlib.compress(b"".join(inner))
    if not damaged:
        return _packet(OP_MESSAGE, data, VER_ZLIB)
    how = draw(st.integers(0, 9))
    if how == 0:
        data = data[: draw(st.integers(0, len(data)))]  # cut stream
    elif how == 1:
        data = data + draw(st.binary(max_size=8))  # trailing bytes after the stream
    elif how == 2 and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    elif how == 3:
        data = draw(_ZLIB_JUNK)  # inflates to a partial header, or a bomb
    return _packet(OP_MESSAGE, data, draw(_BATCH_VER))


_ZLIB_AT = {(depth, damaged): _zlib_packet(depth, damaged) for depth in (1, 2, 3) for damaged in (False, True)}
_LENGTH = st.one_of(st.integers(0, 64), _U32)
_HEADER_LEN = st.sampled_from([16, 16, 16, 0, 15, 17, 65535])
_VER = st.one_of(st.integers(0, 3), st.integers(0, 65535))


@st.composite
def _random_packet(draw: st.DrawFn) -> bytes:
    head = HEADER.pack(draw(_LENGTH), draw(_HEADER_LEN), draw(_VER), draw(_U32), draw(_U32))
    return head + draw(st.binary(max_size=48))


_GOOD_PACKET = st.one_of(_LEAF, _LEAF, _ZLIB_AT[1, False])
_ANY_PACKET = st.one_of(_LEAF, _ZLIB_AT[1, True], _random_packet())


@st.composite
def bili_messages(draw: st.DrawFn) -> bytes:
    """One websocket message of 1..4 packets: half well framed (leaf packets and zlib batches, so
    the bodies are reached), half hostile (damaged batches, random headers, cut or flipped bytes)."""
    if draw(st.booleans()):
        return b"".join(draw(_GOOD_PACKET) for _ in range(draw(st.integers(1, 4))))
    data = b"".join(draw(_ANY_PACKET) for _ in range(draw(st.integers(1, 4))))
    how = draw(st.integers(0, 5))
    if how == 0:
        data = data[: draw(st.integers(1, max(1, len(data) - 1)))]
    elif how == 1 and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    elif how == 2:
        data = data + draw(st.binary(max_size=20))
    return data


def check_bili_message(data: bytes, counts: Counter[str] | None = None) -> list[str]:
    """Property: ``decode_packets`` returns leaf packets or raises ProtocolError, and every leaf
    packet satisfies :func:`check_bili_packet`. Returns one outcome per frame (message or packet)."""
    try:
        packets = decode_packets(data)
    except ProtocolError as exc:
        _rejected(exc)
        return ["ProtocolError"]
    assert all(p.ver in (VER_JSON, VER_HEARTBEAT) for p in packets)
    return [check_bili_packet(p, counts) for p in packets] or ["ok"]


# --------------------------------------------------------------------------------------------
# the properties (CI sizes: 2,600 generated frames in all; LIVEREPLY_FUZZ_EXAMPLES for more)


@settings(FUZZ, max_examples=EXAMPLES["inbound"])
@given(INBOUND_FRAMES)
def test_decode_inbound_raises_only_protocol_error(frame):
    check_decode_inbound(frame)


@settings(FUZZ, max_examples=EXAMPLES["outbound"])
@given(OUTBOUND_FRAMES)
def test_decode_outbound_raises_only_protocol_error(frame):
    check_decode_outbound(frame)


@settings(FUZZ, max_examples=EXAMPLES["inbound_round_trip"])
@given(VALID_INBOUND)
def test_valid_inbound_events_round_trip_exactly(event):
    check_inbound_round_trip(event)


@settings(FUZZ, max_examples=EXAMPLES["reply_round_trip"])
@given(VALID_REPLY)
def test_valid_replies_round_trip_exactly(reply):
    check_reply_round_trip(reply)


@settings(FUZZ, max_examples=EXAMPLES["bili_bodies"])
@given(BODIES)
def test_bilibili_bodies_raise_only_protocol_error(op_body):
    op, body = op_body
    check_bili_packet(Packet(op=op, body=body), Counter())


@settings(FUZZ, max_examples=EXAMPLES["bili_messages"])
@given(bili_messages())
def test_bilibili_messages_raise_only_protocol_error(data):
    check_bili_message(data, Counter())


# --------------------------------------------------------------------------------------------
# regressions (bilibili_codec before its bounds: raised ValueError / OverflowError / TypeError, passed
# a hostile value through, or put a huge value in the reason; three were already rejected and are kept)


def _danmu(ts: str = "1732540000123", uid: str = "37089851", *, crc: str = '"c23b254e"', uname: str = '"n"',
           extra: str | None = None, tail: str = "", cmd: str = '"DANMU_MSG"', text: str = '"有XL码吗"') -> bytes:
    meta = f'[0,1,25,16777215,{ts},1732540000,0,{crc},0,0,0,"",0,"{{}}","{{}}"' + (f',{{"extra":{extra}}}' if extra else "") + "]"
    return f'{{"cmd":{cmd},"info":[{meta},{text},[{uid},{uname},0]{tail}]}}'.encode()


def _events(body: bytes, op: int = OP_MESSAGE) -> list:
    (packet,) = decode_packets(encode_packet(op, body))
    return to_events(packet, "r")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (_danmu(tail=",[" + "9" * 5000 + "]"), "integer literal of 5000 characters"),  # was ValueError
        (_danmu(ts="9" * 400), "integer literal of 400 characters"),  # was OverflowError in ts_ms / 1000
        (_danmu(ts="9" * 20), "after the year 2100"),  # was a Comment with ts 1e17
        (_danmu(uid="1" * 4301), "integer literal of 4301 characters"),  # was ValueError
        (_danmu(uid=str(2**63)), "does not fit in a signed 64-bit integer"),  # was accepted
        (
            _danmu(ts="[" * 500 + "]" * 500),
            r"timestamp ms\) must be a non-negative integer, got a list",
        ),  # was a 1000-char reason
        (_danmu(ts="1e400"), "got inf"),  # already rejected
        (_danmu(ts="NaN"), "NaN is not allowed"),  # was "got nan": NaN is not JSON
        (b'{"cmd":"DANMU_MSG","info":' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),  # already rejected
        (b'{"cmd":"DANMU_MSG","info":{"0":[],"1":"hi","2":[1,"n"]}}', "'info' must be a list"),  # already rejected
        (_danmu(cmd='"' + "X" * 100_000 + '"'), "not a command name"),  # was Ignored(<100,000 characters>)
        (_danmu(cmd='"\\ud800"'), "not a command name"),
        (_danmu(text='"' + "😀" * 70_000 + '"'), "has 70000 characters"),  # was a Comment no generic frame can carry
        (b'{"code":' + b"1" * 5000 + b"}", "integer literal"),  # auth reply (below): was ValueError
    ],
)
def test_hostile_bilibili_bodies_raise_protocol_error(body, reason):
    op = OP_AUTH_REPLY if body.startswith(b'{"code"') else OP_MESSAGE
    with pytest.raises(ProtocolError, match=reason) as info:
        _events(body, op)
    assert isinstance(info.value.frame, bytes) and len(info.value.frame) <= 256
    assert len(info.value.reason) < 300  # never a huge value in a log line


def test_auth_reply_code_is_bounded():
    (packet,) = decode_packets(encode_packet(OP_AUTH_REPLY, b'{"code":' + b"9" * 30 + b"}"))
    with pytest.raises(ProtocolError, match="signed 64-bit"):
        interpret(packet, "r")


@pytest.mark.parametrize("message", ["a text frame", 12, None, 10**9])
def test_decode_packets_rejects_non_bytes(message):
    # bytes(10**9) would have allocated a gigabyte of zeros; a str raised TypeError
    with pytest.raises(ProtocolError, match="message must be bytes"):
        decode_packets(message)  # type: ignore[arg-type]


def test_unreadable_optional_fields_fall_back_instead_of_failing():
    # extra (a JSON string) with a 5000-digit id_str raised ValueError; now: the stable id
    (comment,) = _events(_danmu(extra=json.dumps('{"id_str":' + "1" * 5000 + "}")))
    assert comment.id == stable_comment_id(37089851, 1732540000123, "有XL码吗")
    # a 100,000-character uid hash became a 100,004-character user; a newline reached the user key
    (anon,) = _events(_danmu(uid="0", crc='"' + "a" * 100_000 + '"', uname='"用\\n户"'))
    assert anon.user == "name:用 户"
    assert decode_inbound(encode_inbound(anon), room="r") == anon


def test_batch_of_hostile_packets_keeps_the_good_ones():
    good = encode_packet(OP_MESSAGE, _danmu())
    data = encode_batch(
        [encode_packet(OP_MESSAGE, _danmu(ts="9" * 400)), good, encode_packet(OP_MESSAGE, _danmu(uid="1" * 4301))]
    )
    outcomes = []
    for packet in decode_packets(data):
        try:
            outcomes.append([c.text for c in to_events(packet, "r")])
        except ProtocolError:
            outcomes.append("rejected")
    assert outcomes == ["rejected", ["有XL码吗"], "rejected"]


@pytest.mark.parametrize(
    ("decode", "frame"),
    [
        (decode_inbound, '{"type":"stock","sku":"a","stock":' + "9" * 5000 + ',"ts":1}'),  # was ValueError
        (decode_inbound, '{"type":"end","ts":1' + "0" * 4300 + "}"),  # was ValueError
        (decode_inbound, '{"type":"end","ts":1' + "9" * 309 + "}"),  # was OverflowError
        (decode_inbound, '{"type":"comment","id":"a","user":"u","text":"","ts":' + "9" * 400 + "}"),  # was OverflowError
        (decode_inbound, '{"type":"stock","sku":"a","stock":' + str(2**31) + ',"ts":1}'),  # was accepted
        (decode_inbound, '{"type":"end","ts":1e400}'),  # already rejected (not finite)
        (decode_outbound, '{"type":0,"extra":1' + "0" * 4300 + "}"),  # was ValueError
    ],
)
def test_generic_codec_rejects_unbounded_numbers(decode, frame):
    """What the fuzzing found in bot/protocol.py before it bounded its numbers (fixed in 2c6aa14)."""
    with pytest.raises(ProtocolError) as info:
        decode(frame)
    _rejected(info.value)


def test_the_examples_are_spread_over_the_properties_in_their_shares() -> None:
    assert abs(sum(EXAMPLES.values()) - FUZZ_TOTAL) <= len(EXAMPLES)
    if "LIVEREPLY_FUZZ_EXAMPLES" not in os.environ:  # CI's size: every property gets hundreds of frames
        assert FUZZ_TOTAL == CI_TOTAL >= 2_500 and min(EXAMPLES.values()) >= 200
