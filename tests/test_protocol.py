"""Wire codec: round trips for every frame kind, text hygiene, and malformed frames."""

from __future__ import annotations

import json

import pytest

from bot import __version__
from bot.messages import Comment, EndOfStream, Order, ProtocolError, Reply, Stage, StockUpdate
from bot.protocol import (
    MAX_COMMENT_CHARS,
    MAX_FRAME_BYTES,
    Hello,
    bot_hello,
    clean_text,
    decode_inbound,
    decode_outbound,
    encode_hello,
    encode_inbound,
    encode_reply,
    inbound_from_dict,
)

pytestmark = pytest.mark.timeout(60)

INBOUND_EVENTS = [
    Comment(id="c17", user="u3", text="有XL码吗", ts=1732540000.5, room="shop-1", lang="zh", product_id="tee"),
    Comment(id="c18", user="u4", text="do you ship to Canada? 🇨🇦", ts=12.0, room="shop-1"),
    Comment(id="c19", user="u5", text="", ts=13.25, room="shop-1", lang="en"),
    Comment(id="c20", user="u6", text="第一行\n第二行 👨‍👩‍👧 👍🏽", ts=14.0, room="shop-1"),
    Stage(product_id="stroller-a1", ts=1.0, room="shop-1"),
    Stage(product_id=None, ts=2.0, room="shop-1"),
    StockUpdate(sku="TEE-WHT-XL", stock=0, ts=3.0, room="shop-1"),
    StockUpdate(sku="TEE-BLK-M", stock=12, ts=3.5, room="shop-1"),
    Order(order_id="o1", sku="TEE-BLK-M", qty=2, ts=4.0, user="u4", room="shop-1"),
    Order(order_id="o2", sku="TEE-BLK-M", qty=1, ts=4.5, user=None, room="shop-1"),
    EndOfStream(ts=99.0, room="shop-1"),
]


@pytest.mark.parametrize("event", INBOUND_EVENTS, ids=lambda e: type(e).__name__)
def test_inbound_round_trip(event):
    frame = encode_inbound(event)
    assert isinstance(frame, str)
    assert decode_inbound(frame, room="shop-1") == event
    assert decode_inbound(frame.encode("utf-8"), room="shop-1") == event  # binary frames too


def test_room_is_stamped_from_the_connection_not_the_frame():
    frame = encode_inbound(Comment(id="c1", user="u1", text="hi", ts=1.0, room="a"))
    assert decode_inbound(frame).room == "local"
    assert decode_inbound(frame, room="b").room == "b"


@pytest.mark.parametrize(
    "reply",
    [
        Reply(reply_to=("c17", "c18"), text="有的,XL码还有12件", lang="zh", room="r", ts=5.5, users=("u3", "u9")),
        Reply(reply_to=("c1",), text="Yes 🎉 we ship to Canada", lang="en", room="r", ts=0.0, users=()),
    ],
)
def test_reply_round_trip(reply):
    assert decode_outbound(encode_reply(reply), room="r") == reply


def test_hello_round_trip_both_directions():
    hello = bot_hello("shop-1")
    assert hello == Hello(client="livereply", version=__version__, room="shop-1", features=("ack",))
    frame = encode_hello(hello)
    assert json.loads(frame) == {
        "type": "hello", "client": "livereply", "version": "0.1.0", "room": "shop-1", "features": ["ack"]
    }
    assert decode_outbound(frame) == hello
    assert decode_inbound(frame) == hello
    assert decode_inbound(encode_inbound(Hello(room="x"))) == Hello(room="x")


def test_documented_examples_decode():
    assert decode_inbound(
        '{"type":"comment","id":"c17","user":"u3","text":"有XL码吗","ts":1732540000.5,"lang":"zh","product_id":"tee"}'
    ) == Comment(id="c17", user="u3", text="有XL码吗", ts=1732540000.5, lang="zh", product_id="tee")
    assert decode_inbound('{"type":"stage","product_id":null,"ts":1}') == Stage(product_id=None, ts=1.0)
    assert decode_inbound('{"type":"stock","sku":"TEE-WHT-XL","stock":0,"ts":2}') == StockUpdate("TEE-WHT-XL", 0, 2.0)
    assert decode_inbound('{"type":"order","order_id":"o1","sku":"S1","qty":2,"user":"u4","ts":3}') == Order(
        "o1", "S1", 2, 3.0, "u4"
    )
    assert decode_inbound('{"type":"end","ts":4}') == EndOfStream(4.0)
    reply = decode_outbound('{"type":"reply","reply_to":["c17","c18"],"text":"有的","lang":"zh","users":["u3"],"ts":5}')
    assert reply == Reply(reply_to=("c17", "c18"), text="有的", lang="zh", ts=5.0, users=("u3",))


def test_encoding_is_compact_utf8_not_ascii_escapes():
    frame = encode_inbound(Comment(id="c1", user="u1", text="有XL码吗 😀", ts=1.0))
    assert "有XL码吗 😀" in frame
    assert ", " not in frame and ": " not in frame
    frame = encode_reply(Reply(reply_to=("c1",), text="有的", lang="zh", ts=1.0))
    assert json.loads(frame)["type"] == "reply"
    assert "有的" in frame


def test_room_hello_with_odd_fields_is_ignored_gracefully():
    assert decode_inbound('{"type":"hello"}') == Hello()
    assert decode_inbound('{"type":"hello","client":7,"version":["x"],"room":"r","extra":true}') == Hello(room="r")


def test_unknown_extra_fields_are_ignored():
    event = decode_inbound('{"type":"comment","id":"c1","user":"u1","text":"hi","ts":1,"badge":"vip","gift":{"n":3}}')
    assert event == Comment(id="c1", user="u1", text="hi", ts=1.0)


# ---------------------------------------------------------------------------------------- text


def test_empty_and_whitespace_text_are_valid_comments():
    for text in ("", "   ", "\n\t"):
        event = decode_inbound(json.dumps({"type": "comment", "id": "c1", "user": "u1", "text": text, "ts": 1}))
        assert isinstance(event, Comment)
        assert event.text.strip() == ""


def test_long_text_is_kept_whole():
    text = "有XL码吗" * 1000  # 5000 characters, ~13 KB: under the frame limit, over MAX_COMMENT_CHARS
    assert len(text) > MAX_COMMENT_CHARS
    event = decode_inbound(json.dumps({"type": "comment", "id": "c1", "user": "u1", "text": text, "ts": 1}))
    assert event.text == text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("有XL码吗", "有XL码吗"),
        ("a\x00b\x07c\x1bd\x7fe\x85f", "abcdef"),
        ("line1\r\nline2\rline3\u2028line4", "line1\nline2\nline3\nline4"),
        ("size\tXL", "size XL"),
        ("👨‍👩‍👧‍👦 👍🏽 🇨🇦 ❤️", "👨‍👩‍👧‍👦 👍🏽 🇨🇦 ❤️"),  # ZWJ, skin tone, flag, variation selector kept
        ("全角\u3000空格", "全角\u3000空格"),
        ("broken \ud83d emoji", "broken \ufffd emoji"),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_control_characters_are_stripped_on_decode_and_lone_surrogates_replaced():
    frame = '{"type":"comment","id":"c1","user":"u1","text":"多少\\u0000钱\\u001b[31m\\ud83d?\\n","ts":1}'
    event = decode_inbound(frame)
    assert event.text == "多少钱[31m\ufffd?\n"
    event.text.encode("utf-8")  # storable


# ---------------------------------------------------------------------------------------- malformed inbound


def _comment(**overrides):
    obj = {"type": "comment", "id": "c1", "user": "u1", "text": "hi", "ts": 1.0}
    obj.update(overrides)
    return {k: v for k, v in obj.items() if v is not _DELETE}


_DELETE = object()


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        ("hello there", "not valid JSON"),
        ("", "not valid JSON"),
        ('{"type":"comment",', "not valid JSON"),
        ("[1,2]", "JSON object, got array"),
        ('"comment"', "JSON object, got string"),
        ("42", "JSON object, got number"),
        ("null", "JSON object, got null"),
        ('{"id":"c1"}', "missing field 'type'"),
        ('{"type":3,"ts":1}', "field 'type' must be a string"),
        ('{"type":"poll","ts":1}', "unknown frame type 'poll'"),
        ('{"type":"reply","reply_to":["c1"],"text":"x","lang":"zh","ts":1}', "unknown frame type 'reply'"),
        (json.dumps(_comment(id=_DELETE)), "missing field 'id'"),
        (json.dumps(_comment(id=17)), "field 'id' must be a string, got int"),
        (json.dumps(_comment(id="")), "field 'id' must not be empty"),
        (json.dumps(_comment(id="c\n1")), "field 'id' contains control characters"),
        (json.dumps(_comment(id="c" * 300)), "field 'id' is longer than 256"),
        (json.dumps(_comment(user=_DELETE)), "missing field 'user'"),
        (json.dumps(_comment(user=None)), "field 'user' must be a string, got null"),
        (json.dumps(_comment(text=_DELETE)), "missing field 'text'"),
        (json.dumps(_comment(text=["hi"])), "field 'text' must be a string, got list"),
        (json.dumps(_comment(ts=_DELETE)), "missing field 'ts'"),
        (json.dumps(_comment(ts="now")), "field 'ts' must be a number, got str"),
        (json.dumps(_comment(ts=True)), "field 'ts' must be a number, got bool"),
        ('{"type":"comment","id":"c1","user":"u1","text":"hi","ts":NaN}', "NaN is not allowed"),
        ('{"type":"comment","id":"c1","user":"u1","text":"hi","ts":Infinity}', "Infinity is not allowed"),
        (json.dumps(_comment(lang=5)), "field 'lang' must be a string"),
        (json.dumps(_comment(product_id="")), "field 'product_id' must not be empty"),
        ('{"type":"stage","ts":1}', "missing field 'product_id'"),
        ('{"type":"stage","product_id":12,"ts":1}', "field 'product_id' must be a string"),
        ('{"type":"stock","sku":"S","stock":-1,"ts":1}', "field 'stock' must be >= 0, got negative value -1"),
        ('{"type":"stock","sku":"S","stock":1.5,"ts":1}', "field 'stock' must be an integer, got float"),
        ('{"type":"stock","stock":1,"ts":1}', "missing field 'sku'"),
        ('{"type":"order","order_id":"o1","sku":"S","qty":-2,"ts":1}', "field 'qty' must be >= 1, got negative value -2"),
        ('{"type":"order","order_id":"o1","sku":"S","qty":0,"ts":1}', "field 'qty' must be >= 1, got zero value 0"),
        ('{"type":"order","order_id":"o1","sku":"S","qty":true,"ts":1}', "field 'qty' must be an integer, got bool"),
        ('{"type":"order","order_id":"o1","sku":"S","qty":"2","ts":1}', "field 'qty' must be an integer, got str"),
        ('{"type":"order","sku":"S","qty":1,"ts":1}', "missing field 'order_id'"),
        ('{"type":"end"}', "missing field 'ts'"),
        ("[" * 5000 + "]" * 5000, "nested too deeply"),
    ],
)
def test_malformed_inbound_frames(frame, reason):
    with pytest.raises(ProtocolError) as info:
        decode_inbound(frame)
    assert reason in info.value.reason
    assert info.value.frame == frame  # the offending frame travels with the error for logging


def test_invalid_utf8_is_rejected():
    frame = b'{"type":"comment","id":"c1","user":"u1","text":"\xe6\x9c","ts":1}'
    with pytest.raises(ProtocolError, match="not valid UTF-8") as info:
        decode_inbound(frame)
    assert info.value.frame == frame


def test_frame_size_limit_counts_utf8_bytes():
    def comment_frame(text: str) -> str:
        return json.dumps({"type": "comment", "id": "c1", "user": "u1", "text": text, "ts": 1}, ensure_ascii=False)

    overhead = len(comment_frame("").encode("utf-8"))
    fits = comment_frame("x" * (MAX_FRAME_BYTES - overhead))
    assert len(fits.encode("utf-8")) == MAX_FRAME_BYTES
    assert decode_inbound(fits).text == "x" * (MAX_FRAME_BYTES - overhead)

    over = comment_frame("x" * (MAX_FRAME_BYTES - overhead + 1))
    with pytest.raises(ProtocolError, match="exceeds the 65536-byte limit"):
        decode_inbound(over)
    with pytest.raises(ProtocolError, match="exceeds the 65536-byte limit"):
        decode_inbound(over.encode("utf-8"))

    # 22,000 CJK characters are 66,000 bytes: over the limit although under 65,536 characters
    cjk = comment_frame("码" * 22_000)
    assert len(cjk) < MAX_FRAME_BYTES
    with pytest.raises(ProtocolError, match="exceeds"):
        decode_inbound(cjk)


def test_frame_of_wrong_python_type():
    with pytest.raises(ProtocolError, match="must be str or bytes"):
        decode_inbound(42)  # type: ignore[arg-type]


def test_inbound_from_dict_reports_field_errors_without_frame():
    with pytest.raises(ProtocolError, match="missing field 'user'") as info:
        inbound_from_dict({"type": "comment", "id": "c1", "text": "x", "ts": 0})
    assert info.value.frame is None
    assert inbound_from_dict({"type": "end", "ts": 0}, room="r") == EndOfStream(0.0, room="r")


# ---------------------------------------------------------------------------------------- malformed outbound


def _reply(**overrides):
    obj = {"type": "reply", "reply_to": ["c1"], "text": "ok", "lang": "zh", "users": ["u1"], "ts": 1.0}
    obj.update(overrides)
    return json.dumps({k: v for k, v in obj.items() if v is not _DELETE})


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        (_reply(reply_to=[]), "field 'reply_to' must not be empty"),
        (_reply(reply_to="c1"), "field 'reply_to' must be a list of strings, got str"),
        (_reply(reply_to=["c1", 2]), "reply_to[1] must be a string, got int"),
        (_reply(reply_to=_DELETE), "missing field 'reply_to'"),
        (_reply(text=""), "field 'text' must not be empty"),
        (_reply(text=_DELETE), "missing field 'text'"),
        (_reply(lang=_DELETE), "missing field 'lang'"),
        (_reply(users="u1"), "field 'users' must be a list of strings"),
        (_reply(users=[""]), "users[0] must not be empty"),
        (_reply(ts=_DELETE), "missing field 'ts'"),
        (_reply(type="comment"), "unknown frame type 'comment'"),
        ("not json", "not valid JSON"),
    ],
)
def test_malformed_outbound_frames(frame, reason):
    with pytest.raises(ProtocolError) as info:
        decode_outbound(frame)
    assert reason in info.value.reason


def test_reply_without_users_field_decodes_with_no_users():
    reply = decode_outbound(_reply(users=_DELETE))
    assert reply.users == ()


def test_encode_reply_refuses_frames_the_room_would_reject():
    with pytest.raises(ProtocolError, match="no reply_to"):
        encode_reply(Reply(reply_to=(), text="ok", lang="zh"))
    with pytest.raises(ProtocolError, match="text is empty"):
        encode_reply(Reply(reply_to=("c1",), text="  ", lang="zh"))
    with pytest.raises(ProtocolError, match="exceeds"):
        encode_reply(Reply(reply_to=("c1",), text="x" * MAX_FRAME_BYTES, lang="zh"))


def test_encode_inbound_rejects_non_events():
    with pytest.raises(TypeError):
        encode_inbound(Reply(reply_to=("c1",), text="x", lang="zh"))  # type: ignore[arg-type]
