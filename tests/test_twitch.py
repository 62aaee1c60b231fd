"""Twitch chat: the sans-I/O IRC codec, and TwitchRoomClient against a real local IRC-over-WebSocket server on
127.0.0.1 (built here with the websockets library) that speaks Twitch's documented login and chat lines.

The fake checks what the client sends (CAP REQ, PASS before NICK, JOIN only after the welcome, one line per
websocket message, no CRLF) and records every PRIVMSG with its arrival time, so the rate-limit test measures
what a server would see. No live Twitch server is contacted."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from bot.adapters.capabilities import RateLimit
from bot.adapters.posting import Unsent
from bot.adapters.twitch import MODERATOR_RATE, USER_RATE, TwitchAuthError, TwitchRoomClient
from bot.adapters.twitch_codec import (
    MAX_LINE_BYTES,
    MAX_MESSAGE_CHARS,
    CapAck,
    CapNak,
    Ignored,
    IrcMessage,
    Notice,
    Ping,
    Reconnect,
    Welcome,
    escape_tag_value,
    format_line,
    interpret,
    join_line,
    login_lines,
    normalize_token,
    parse_line,
    pong_line,
    privmsg_line,
    redact,
    split_lines,
    unescape_tag_value,
)
from bot.messages import Comment, ProtocolError, Reply
from bot.ports import RoomConnection

pytestmark = pytest.mark.timeout(60)

DEADLINE = 30.0
CHANNEL = "shopchan"
NICK = "shopbot"
SECRET = "s3cretT0kenXYZ"
TOKEN = "oauth:" + SECRET
ROOM = "twitch-shop"

SAMPLE = (
    "@badge-info=;badges=moderator/1;display-name=Foo;id=abc;tmi-sent-ts=1700000000000;user-id=123 "
    ":foo!foo@foo.tmi.twitch.tv PRIVMSG #chan :hello"
)


def run(coro: Awaitable[Any]) -> Any:
    async def guarded() -> Any:
        return await asyncio.wait_for(coro, DEADLINE)

    return asyncio.run(guarded())


async def until(cond: Callable[[], bool], within: float = 10.0, what: str = "condition") -> None:
    deadline = time.monotonic() + within
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


def privmsg(
    msg_id: str,
    text: str,
    *,
    user_id: str | None = "123",
    login: str = "foo",
    ts_ms: int = 1_700_000_000_000,
    channel: str = CHANNEL,
    **extra: str,
) -> str:
    tags = {"badge-info": "", "badges": "", "display-name": login.title(), "id": msg_id, "tmi-sent-ts": str(ts_ms)}
    if user_id is not None:
        tags["user-id"] = user_id
    tags.update({k.replace("_", "-"): v for k, v in extra.items()})
    return format_line(IrcMessage("PRIVMSG", (f"#{channel}", text), tags, f"{login}!{login}@{login}.tmi.twitch.tv"))


def notice(msg_id: str, text: str, channel: str = CHANNEL) -> str:
    return f"@msg-id={msg_id} :tmi.twitch.tv NOTICE #{channel} :{text}"


# ============================================================================================ codec


def test_parses_the_documented_privmsg():
    msg = parse_line(SAMPLE)
    assert msg.command == "PRIVMSG"
    assert msg.params == ("#chan", "hello")
    assert msg.prefix == "foo!foo@foo.tmi.twitch.tv" and msg.nick == "foo"
    assert msg.tags == {
        "badge-info": "",
        "badges": "moderator/1",
        "display-name": "Foo",
        "id": "abc",
        "tmi-sent-ts": "1700000000000",
        "user-id": "123",
    }
    assert interpret(msg, ROOM) == Comment(id="twitch-abc", user="123", text="hello", ts=1_700_000_000.0, room=ROOM, lang=None)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (r"a\sb", "a b"),
        (r"semi\:colon", "semi;colon"),
        (r"back\\slash", "back\\slash"),
        (r"cr\rlf\n", "cr\rlf\n"),
        (r"\q", "q"),  # an unknown escape drops the backslash
        ("trailing\\", "trailing"),  # a lone trailing backslash is dropped
        (r"\\s", "\\s"),  # escaped backslash followed by a plain 's'
        ("", ""),
        ("ünï 表情", "ünï 表情"),
    ],
)
def test_tag_values_are_unescaped(raw, value):
    assert unescape_tag_value(raw) == value


def test_tag_parsing_rules():
    msg = parse_line(r"@a=x\sy;b;c=;a=last;+example.com/vendor-key=v\:1;; PING :tmi.twitch.tv")
    assert msg.tags == {"a": "last", "b": "", "c": "", "+example.com/vendor-key": "v;1"}  # last repeat wins
    assert parse_line("@reply-parent-msg-id=885196de PRIVMSG #c :hi").tags == {"reply-parent-msg-id": "885196de"}


@pytest.mark.parametrize(
    "msg",
    [
        IrcMessage("PRIVMSG", ("#chan", "hello world"), {"id": "abc", "display-name": "Foo"}, "foo!foo@foo.tmi.twitch.tv"),
        IrcMessage("PRIVMSG", ("#chan", ":starts with a colon")),
        IrcMessage("PING", ("tmi.twitch.tv",)),
        IrcMessage("PING", ("",)),
        IrcMessage("RECONNECT", (), {}, "tmi.twitch.tv"),
        IrcMessage("CAP", ("*", "ACK", "twitch.tv/tags twitch.tv/commands"), {}, "tmi.twitch.tv"),
        IrcMessage("001", ("shopbot", "Welcome, GLHF!"), {}, "tmi.twitch.tv"),
        IrcMessage("NOTICE", ("#c", "x"), {"msg-id": "msg_ratelimit", "k": "a;b c\\d\re\nf", "empty": ""}),
        IrcMessage("USERNOTICE", ("#c",), {"system-msg": "Foo\\ssubscribed; yay"}),
        IrcMessage("PRIVMSG", ("#c", "表情 🎉 ünïcode"), {"display-name": "名前"}),
    ],
)
def test_round_trip(msg):
    assert parse_line(format_line(msg)) == msg


def test_escape_round_trip_and_nul():
    for value in ["", " ", ";", "\\", "\r\n", "a\\sb", "x\\", "\\:", "; ;\\\\ \r"]:
        assert unescape_tag_value(escape_tag_value(value)) == value
    assert escape_tag_value("a b;c\\") == "a\\sb\\:c\\\\"
    with pytest.raises(ProtocolError):
        escape_tag_value("nul\0")


def test_split_lines():
    assert split_lines("PING :a\r\nPING :b\r\n") == ["PING :a", "PING :b"]
    assert split_lines(b"PING :a\nPING :b") == ["PING :a", "PING :b"]  # bare LF tolerated, bytes as UTF-8
    assert split_lines("\r\n\r\n") == []
    with pytest.raises(ProtocolError, match="not UTF-8"):
        split_lines(b"\xff\xfePING")
    with pytest.raises(ProtocolError, match="text or bytes"):
        split_lines(12)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("", "empty line"),
        ("   ", "empty line"),
        ("@a=b", "no command"),
        ("@a=b ", "no command"),
        (": PRIVMSG #c :x", "empty prefix"),
        (":prefix", "no command"),
        ("@bad_key=1 PING", "invalid tag key"),
        ("@a=1;=2 PING", "invalid tag key"),
        ("12 foo", "invalid command"),
        ("PRIV-MSG #c :x", "invalid command"),
        ("PRIVMSG #c :a\x00b", "NUL"),
        ("PRIVMSG #c :a\rb", "CR"),
        ("PRIVMSG #c", "a target and a text"),
        ("NOTICE * ", "a target and a text"),
        ("PRIVMSG #c :no tags", "no id tag"),
        ("@id=x;tmi-sent-ts=1 :tmi.twitch.tv PRIVMSG #c :no user", "neither a user-id"),
        ("@id=x;user-id=1;tmi-sent-ts=-5 PRIVMSG #c :x", "tmi-sent-ts"),
        ("@id=x;user-id=1;tmi-sent-ts=99999999999999999999 PRIVMSG #c :x", "tmi-sent-ts"),
        ("@id=x;user-id=1;tmi-sent-ts=١٢٣ PRIVMSG #c :x", "tmi-sent-ts"),
        ("@id=x;user-id=1\\s2;tmi-sent-ts=1 PRIVMSG #c :x", "spaces or control"),
        ("@id=" + "i" * 300 + ";user-id=1;tmi-sent-ts=1 PRIVMSG #c :x", "longer than 256"),
    ],
)
def test_malformed_lines_raise_protocol_error(line, reason):
    with pytest.raises(ProtocolError, match=reason):
        interpret(parse_line(line), ROOM)


def test_non_text_and_non_utf8_lines():
    with pytest.raises(ProtocolError, match="not UTF-8"):
        parse_line(b"PING :\xff")
    with pytest.raises(ProtocolError, match="text or bytes"):
        parse_line(None)  # type: ignore[arg-type]
    with pytest.raises(ProtocolError, match="not valid Unicode"):
        parse_line("PING :\ud800")


def test_line_length_limit_counts_utf8_bytes():
    head = "PRIVMSG #c :"
    assert parse_line(head + "x" * (MAX_LINE_BYTES - len(head))).params[1] == "x" * (MAX_LINE_BYTES - len(head))
    with pytest.raises(ProtocolError, match="longer than 8191"):
        parse_line(head + "x" * (MAX_LINE_BYTES - len(head) + 1))
    accented = head + "é" * ((MAX_LINE_BYTES - len(head)) // 2 + 1)
    assert len(accented) < MAX_LINE_BYTES
    with pytest.raises(ProtocolError, match=r"\(8192 bytes\)"):
        parse_line(accented)  # fewer characters than the limit, too many bytes
    with pytest.raises(ProtocolError, match="longer than 8191"):
        format_line(IrcMessage("PRIVMSG", ("#c", "x" * MAX_LINE_BYTES)))


def test_interpret_every_kind():
    assert interpret(parse_line("PING :tmi.twitch.tv"), ROOM) == Ping("tmi.twitch.tv")
    assert interpret(parse_line("PING"), ROOM) == Ping("")
    assert interpret(parse_line(":tmi.twitch.tv RECONNECT"), ROOM) == Reconnect()
    assert interpret(parse_line(":tmi.twitch.tv 001 shopbot :Welcome, GLHF!"), ROOM) == Welcome("shopbot")
    assert interpret(parse_line(":tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands"), ROOM) == CapAck(
        ("twitch.tv/tags", "twitch.tv/commands")
    )
    assert interpret(parse_line(":tmi.twitch.tv CAP * NAK :twitch.tv/tags"), ROOM) == CapNak(("twitch.tv/tags",))
    rl = interpret(parse_line(notice("msg_ratelimit", "Your message was not sent because you are sending too quickly.")), ROOM)
    assert rl == Notice("msg_ratelimit", "#shopchan", "Your message was not sent because you are sending too quickly.")
    failed = interpret(parse_line(":tmi.twitch.tv NOTICE * :Login authentication failed"), ROOM)
    assert isinstance(failed, Notice) and failed.login_failed and failed.msg_id is None
    assert isinstance(bad := interpret(parse_line(":tmi.twitch.tv NOTICE * :Improperly formatted auth"), ROOM), Notice)
    assert bad.login_failed
    timed = interpret(parse_line(notice("msg_timedout", "You are timed out for 597 more seconds.")), ROOM)
    assert isinstance(timed, Notice) and timed.timeout_seconds == 597 and not timed.login_failed
    for line in [
        "@msg-id=sub;system-msg=Foo\\ssubscribed :tmi.twitch.tv USERNOTICE #c :great stream",
        "@ban-duration=600;room-id=1;target-user-id=9 :tmi.twitch.tv CLEARCHAT #c :spammer",
        "@login=foo;target-msg-id=abc :tmi.twitch.tv CLEARMSG #c :deleted",
        "@emote-only=0;room-id=1 :tmi.twitch.tv ROOMSTATE #c",
        ":shopbot!shopbot@shopbot.tmi.twitch.tv JOIN #c",
        ":shopbot.tmi.twitch.tv 353 shopbot = #c :shopbot",
        ":tmi.twitch.tv CAP * LS :twitch.tv/tags",
    ]:
        assert isinstance(interpret(parse_line(line), ROOM), Ignored)
    assert interpret(parse_line(SAMPLE), ROOM, channel="other") == Ignored("PRIVMSG")  # another channel
    assert interpret(parse_line("@id=x;user-id=1;tmi-sent-ts=1 :a!a@a PRIVMSG bob :whisper-ish"), ROOM) == Ignored("PRIVMSG")


def test_comment_details():
    action = interpret(parse_line(privmsg("m1", "\x01ACTION waves at chat\x01")), ROOM)
    assert isinstance(action, Comment) and action.text == "waves at chat"  # "/me waves at chat"
    by_login = interpret(parse_line(privmsg("m2", "hi", user_id=None, login="viewer_1")), ROOM)
    assert isinstance(by_login, Comment) and by_login.user == "viewer_1"
    ts = interpret(parse_line(privmsg("m3", "x", ts_ms=1_700_000_000_123)), ROOM)
    assert isinstance(ts, Comment) and ts.ts == pytest.approx(1_700_000_000.123)
    empty = interpret(parse_line(privmsg("m4", "")), ROOM)
    assert isinstance(empty, Comment) and empty.text == ""
    clean = interpret(parse_line(privmsg("m5", "tab\there\x07bell")), ROOM)
    assert isinstance(clean, Comment) and clean.text == "tab herebell"


def test_privmsg_line():
    assert privmsg_line("#ShopChan", "hello there", "abc-123") == "@reply-parent-msg-id=abc-123 PRIVMSG #shopchan :hello there"
    assert privmsg_line(CHANNEL, "line one\nline two\r\nthree") == "PRIVMSG #shopchan :line one line two three"
    assert privmsg_line(CHANNEL, "/ban someone").endswith(":\u200b/ban someone")  # never read as a chat command
    assert privmsg_line(CHANNEL, ".timeout x").endswith(":\u200b.timeout x")
    assert privmsg_line(CHANNEL, "x" * MAX_MESSAGE_CHARS).endswith("x" * MAX_MESSAGE_CHARS)
    with pytest.raises(ProtocolError, match="at most 500"):
        privmsg_line(CHANNEL, "x" * (MAX_MESSAGE_CHARS + 1))
    with pytest.raises(ProtocolError, match="empty"):
        privmsg_line(CHANNEL, " \n ")
    assert parse_line(privmsg_line(CHANNEL, "a", "id with;odd chars")).tags["reply-parent-msg-id"] == "id with;odd chars"


def test_login_lines_order_and_redaction():
    lines = login_lines("ShopBot", SECRET)
    assert lines == ["CAP REQ :twitch.tv/tags twitch.tv/commands", f"PASS {TOKEN}", "NICK shopbot"]
    assert join_line("#ShopChan") == "JOIN #shopchan"
    assert pong_line("tmi.twitch.tv") == "PONG :tmi.twitch.tv"
    assert parse_line(pong_line("tmi.twitch.tv")).params == ("tmi.twitch.tv",)
    assert redact(f"PASS {TOKEN}") == "PASS ***"
    assert redact(f"> TEXT 'PASS {TOKEN}' [30 bytes]") == "> TEXT 'PASS *** [30 bytes]"  # whole word: over, never under
    assert SECRET not in redact(f"token={TOKEN} and pass {SECRET}")
    assert normalize_token(SECRET) == normalize_token(TOKEN) == TOKEN
    for bad in ["", "oauth:", "has space", "tab\tinside"]:
        with pytest.raises(ValueError) as info:
            normalize_token(bad)
        assert bad not in str(info.value) or not bad


# ------------------------------------------------------------------------ property tests

_KEYS = st.from_regex(r"\+?([a-z0-9.-]{1,8}/)?[a-zA-Z0-9-]{1,10}", fullmatch=True)
_VALUES = st.text(st.characters(codec="utf-8", exclude_characters="\0"), max_size=20)
_MIDDLE = st.text(st.characters(codec="utf-8", exclude_characters="\0\r\n :"), min_size=1, max_size=12)
_TRAILING = st.text(st.characters(codec="utf-8", exclude_characters="\0\r\n"), max_size=40)
_MESSAGES = st.builds(
    lambda cmd, middle, trailing, tags, prefix: IrcMessage(
        cmd, tuple(middle) + ((trailing,) if trailing is not None else ()), tags, prefix
    ),
    st.one_of(st.from_regex(r"[A-Za-z]{1,12}", fullmatch=True), st.from_regex(r"[0-9]{3}", fullmatch=True)),
    st.lists(_MIDDLE, max_size=4),
    st.none() | _TRAILING,
    st.dictionaries(_KEYS, _VALUES, max_size=5),
    st.none() | _MIDDLE,
)


@pytest.mark.slow  # a property search over hundreds of examples: make test, not test-fast
@settings(max_examples=400, derandomize=True, database=None, deadline=None)
@given(_MESSAGES)
def test_round_trip_property(msg):
    assert parse_line(format_line(msg)) == msg


_PIECES = st.sampled_from(
    ["@", ";", "=", "\\", "\\s", ":", " ", "  ", "\r", "\n", "\r\n", "\0", "PRIVMSG", "#c", "NOTICE", "PING", "001", "CAP",
     "ACK", "NAK", "*", "id=", "user-id=", "tmi-sent-ts=", "msg-id=", "1700000000000", "x", "é", "🎉", "\x01ACTION ",
     "\x01", "RECONNECT", "!", "a@b", "99999999999999999999999", "-1", "+k/", "USERNOTICE"]
)  # fmt: skip


@pytest.mark.slow  # a property search over 1,500 inputs: make test, not test-fast
@settings(max_examples=1500, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(_PIECES, max_size=30).map("".join), st.text(max_size=200), st.binary(max_size=200)))
def test_random_input_only_raises_protocol_error(data):
    try:
        lines = split_lines(data)
    except ProtocolError:
        return
    for line in lines:
        try:
            event = interpret(parse_line(line), ROOM, CHANNEL if line.startswith("@") else None)
        except ProtocolError as exc:
            assert not exc.reason.startswith("unexpected decoder failure"), exc.reason
            continue
        if isinstance(event, Comment):
            assert event.id.startswith("twitch-") and event.user and event.room == ROOM


# ============================================================================================ fake server

_FAKE_LOG = logging.getLogger("tests.fake_twitch")  # quiet: it sees the token (a real server does too)
_FAKE_LOG.setLevel(logging.WARNING)
_FAKE_LOG.propagate = False

WELCOME = [
    ":tmi.twitch.tv 001 {nick} :Welcome, GLHF!",
    ":tmi.twitch.tv 002 {nick} :Your host is tmi.twitch.tv",
    ":tmi.twitch.tv 003 {nick} :This server is rather new",
    ":tmi.twitch.tv 004 {nick} :-",
    ":tmi.twitch.tv 375 {nick} :-",
    ":tmi.twitch.tv 372 {nick} :You are in a maze of twisty passages, all alike.",
    ":tmi.twitch.tv 376 {nick} :>",
]
JOINED = [
    ":{nick}!{nick}@{nick}.tmi.twitch.tv JOIN #{chan}",
    ":{nick}.tmi.twitch.tv 353 {nick} = #{chan} :{nick}",
    ":{nick}.tmi.twitch.tv 366 {nick} #{chan} :End of /NAMES list",
    "@badge-info=;badges=;color=;display-name={nick};emote-sets=0;mod=0;subscriber=0;user-type= :tmi.twitch.tv USERSTATE #{chan}",
    "@emote-only=0;followers-only=-1;r9k=0;room-id=1;slow=0;subs-only=0 :tmi.twitch.tv ROOMSTATE #{chan}",
]


class Session:
    def __init__(self, index: int, ws: ServerConnection) -> None:
        self.index = index
        self.ws = ws
        self.token: str | None = None
        self.nick: str | None = None

    async def send(self, *lines: str) -> None:
        """Several lines in one websocket message, each ending in CRLF (as Twitch sends them)."""
        await self.ws.send("".join(line + "\r\n" for line in lines))


Hook = Callable[[Session], Coroutine[Any, Any, None]]


class FakeTwitch:
    """A Twitch IRC-over-WebSocket server reduced to what the bot uses, checking the client's side of it."""

    def __init__(self, *, token: str = TOKEN, channel: str = CHANNEL) -> None:
        self.token = token
        self.channel = channel
        self.errors: list[str] = []  # protocol violations by the client
        self.lines: list[tuple[int, float, str]] = []  # (session, arrival, line) of every client line
        self.privmsgs: list[tuple[float, IrcMessage]] = []
        self.pongs: list[IrcMessage] = []
        self.sessions: list[Session] = []
        self.joins = 0
        self.silent_logins = 0  # this many logins get no welcome (login timeout)
        self.on_join: Hook | None = None
        self.on_privmsg: Callable[[Session, IrcMessage], Coroutine[Any, Any, None]] | None = None
        self._server: Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def connections(self) -> int:
        return len(self.sessions)

    @property
    def url(self) -> str:
        assert self._server is not None
        port = next(iter(self._server.sockets)).getsockname()[1]
        return f"ws://127.0.0.1:{port}"

    def texts(self) -> list[str]:
        return [m.params[1] for _, m in self.privmsgs]

    async def __aenter__(self) -> FakeTwitch:
        self._server = await serve(self._handler, "127.0.0.1", 0, logger=_FAKE_LOG)
        return self

    async def __aexit__(self, *exc: object) -> None:
        for task in self._tasks:
            task.cancel()
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _handler(self, ws: ServerConnection) -> None:
        session = Session(len(self.sessions), ws)
        self.sessions.append(session)
        step = "cap"
        try:
            async for message in ws:
                now = time.monotonic()
                if not isinstance(message, str):
                    self.errors.append(f"binary frame {message!r}")
                    continue
                if "\r" in message or "\n" in message:
                    self.errors.append(f"CR/LF in a client message (one line per message, no CRLF): {message!r}")
                msg = parse_line(message)
                self.lines.append((session.index, now, message))
                if msg.command == "CAP":
                    if step != "cap" or msg.params != ("REQ", "twitch.tv/tags twitch.tv/commands"):
                        self.errors.append(f"unexpected CAP at step {step}: {msg.params}")
                    step = "pass"
                    await session.send(":tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands")
                elif msg.command == "PASS":
                    if step != "pass":
                        self.errors.append(f"PASS at step {step}")
                    session.token, step = msg.params[0], "nick"
                elif msg.command == "NICK":
                    if step != "nick":  # documented reply when NICK comes before PASS
                        await session.send(":tmi.twitch.tv NOTICE * :Improperly formatted auth")
                        await ws.close()
                        return
                    if session.token != self.token:
                        await session.send(":tmi.twitch.tv NOTICE * :Login authentication failed")
                        await ws.close()
                        return
                    session.nick, step = msg.params[0], "join"
                    if self.silent_logins > 0:
                        self.silent_logins -= 1
                        continue
                    await session.send(*(line.format(nick=session.nick) for line in WELCOME))
                elif msg.command == "JOIN":
                    if step != "join" or msg.params != (f"#{self.channel}",):
                        self.errors.append(f"JOIN {msg.params} at step {step}")
                    step = "chat"
                    self.joins += 1
                    await session.send(*(line.format(nick=session.nick, chan=self.channel) for line in JOINED))
                    if self.on_join is not None:
                        task = asyncio.create_task(self.on_join(session))
                        self._tasks.add(task)
                        task.add_done_callback(self._tasks.discard)
                elif msg.command == "PRIVMSG":
                    if step != "chat":
                        self.errors.append(f"PRIVMSG before JOIN: {message!r}")
                    if msg.params[0] != f"#{self.channel}" or len(msg.params[1]) > MAX_MESSAGE_CHARS:
                        self.errors.append(f"bad PRIVMSG {message!r}")
                    self.privmsgs.append((now, msg))
                    if self.on_privmsg is not None:
                        await self.on_privmsg(session, msg)
                elif msg.command == "PONG":
                    self.pongs.append(msg)
                else:
                    self.errors.append(f"unexpected command {message!r}")
        except ConnectionClosed:
            pass


def client_for(server: FakeTwitch, **kwargs: Any) -> TwitchRoomClient:
    options: dict[str, Any] = {"room": ROOM, "backoff_initial": 0.05, "backoff_max": 0.2, "login_timeout": 5.0}
    options.update(kwargs)
    return TwitchRoomClient(server.url, CHANNEL, nick=NICK, token=TOKEN, **options)


class Reader:
    """Iterates client.events() in a task, collecting what it yields."""

    def __init__(self, client: TwitchRoomClient) -> None:
        self.client = client
        self.comments: list[Comment] = []
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:  # an exception ends the task and is raised again by stop()
        async for event in self.client.events():
            assert isinstance(event, Comment)
            self.comments.append(event)

    def texts(self) -> list[str]:
        return [c.text for c in self.comments]

    async def stop(self) -> None:
        await self.client.close()
        await asyncio.wait_for(self.task, 5)


def reply(to: str, text: str) -> Reply:
    return Reply(reply_to=(to,), text=text, lang="en", room=ROOM)


# ============================================================================================ client


def test_client_shape_and_capabilities():
    client = TwitchRoomClient("ws://127.0.0.1:9", "#ShopChan", nick="ShopBot", token=SECRET)
    assert isinstance(client, RoomConnection)
    assert client.channel == "shopchan" and client.nick == "shopbot" and client.room == "twitch-shopchan"
    caps = client.capabilities
    assert (caps.platform, caps.can_post, caps.max_len, caps.can_reply_to) == ("twitch", True, 500, True)
    assert caps.events == frozenset({"comment"}) and caps.rate == USER_RATE == RateLimit(20, 30.0)
    assert TwitchRoomClient("ws://x", "c", nick="n", token=TOKEN, moderator=True).capabilities.rate == MODERATOR_RATE
    assert RateLimit(100, 30.0) == MODERATOR_RATE
    assert SECRET not in repr(client) and "oauth:***" in repr(client)
    with pytest.raises(ValueError, match="channel"):
        TwitchRoomClient("ws://x", "not a channel", nick="n", token=TOKEN)
    with pytest.raises(ValueError, match="empty"):
        TwitchRoomClient("ws://x", "c", nick="n", token="oauth:")


def test_connect_read_ping_and_ignored_lines():
    async def scenario() -> None:
        async with FakeTwitch() as server:

            async def on_join(s: Session) -> None:
                await s.send(
                    privmsg("id-1", "有XL码吗", user_id="1001", login="viewer_a", ts_ms=1_700_000_000_500),
                    privmsg("id-2", "hello there", user_id="1002", login="viewer_b", badges="moderator/1"),
                    "@msg-id=sub;system-msg=viewer_c\\ssubscribed :tmi.twitch.tv USERNOTICE #shopchan :hi",
                    "@ban-duration=600;target-user-id=9 :tmi.twitch.tv CLEARCHAT #shopchan :spammer",
                    "@id=broken PRIVMSG #shopchan :no timestamp or user",
                    "PING :tmi.twitch.tv",
                )
                await s.send(privmsg("id-3", "other channel", channel="elsewhere"), privmsg("id-4", "third"))

            server.on_join = on_join
            client = client_for(server)
            reader = Reader(client)
            await until(lambda: len(reader.comments) == 3 and len(server.pongs) == 1, what="comments and PONG")
            await reader.stop()
            assert server.errors == []
            c1, c2, c3 = reader.comments
            assert c1 == Comment(id="twitch-id-1", user="1001", text="有XL码吗", ts=1_700_000_000.5, room=ROOM, lang=None)
            assert (c2.id, c2.user, c2.text) == ("twitch-id-2", "1002", "hello there")
            assert c3.id == "twitch-id-4"
            assert server.pongs[0].params == ("tmi.twitch.tv",)
            sent = [line for _, _, line in server.lines]
            assert sent[:4] == ["CAP REQ :twitch.tv/tags twitch.tv/commands", f"PASS {TOKEN}", f"NICK {NICK}", f"JOIN #{CHANNEL}"]
            s = client.stats
            assert (s.connects, s.reconnects, s.received, s.pings, s.malformed) == (1, 0, 3, 1, 1)
            assert s.ignored_cmds["USERNOTICE"] == 1 and s.ignored_cmds["CLEARCHAT"] == 1 and s.ignored_cmds["PRIVMSG"] == 1
            assert s.ignored_cmds["JOIN"] == 1 and s.ignored_cmds["ROOMSTATE"] == 1  # the join lines

    run(scenario())


def test_post_is_a_threaded_reply():
    async def scenario() -> None:
        async with FakeTwitch() as server:
            server.on_join = lambda s: s.send(privmsg("885196de-cb67", "do you ship to Canada?"))
            client = client_for(server)
            reader = Reader(client)
            await until(lambda: len(reader.comments) == 1, what="comment")
            comment = reader.comments[0]
            await client.send(Reply(reply_to=(comment.id, "twitch-other"), text="Yes, 7-10 days.", lang="en", room=ROOM))
            await client.send(Reply(reply_to=("local-c1",), text="/me is not a command here", lang="en", room=ROOM))
            await until(lambda: len(server.privmsgs) == 2, what="2 PRIVMSGs")
            await reader.stop()
            first, second = (m for _, m in server.privmsgs)
            assert format_line(first) == "@reply-parent-msg-id=885196de-cb67 PRIVMSG #shopchan :Yes, 7-10 days."
            assert first.tags == {"reply-parent-msg-id": "885196de-cb67"}
            assert second.tags == {} and second.params[1] == "\u200b/me is not a command here"  # not a Twitch comment id
            assert client.stats.sent == 2 and client.stats.replies_sent == 2 and client.unsent == ()
            assert server.errors == []

    run(scenario())


def test_long_reply_is_split_or_fitted_to_500_characters():
    sentence = "This stroller folds with one hand and fits in a small car boot. "
    two_parts = (sentence * 12).strip()  # ~770 characters: two messages
    too_long = (sentence * 30).strip()  # ~1900 characters: more than two messages would take; shortened
    no_spaces = "x" * 1200

    async def scenario() -> None:
        async with FakeTwitch() as server:
            server.on_join = lambda s: s.send(privmsg("p1", "tell me about the stroller"))
            client = client_for(server)
            reader = Reader(client)
            await until(lambda: len(reader.comments) == 1, what="comment")
            await client.send(reply("twitch-p1", two_parts))
            await client.send(reply("twitch-p1", too_long))
            await client.send(reply("twitch-p1", no_spaces))
            await until(lambda: len(server.privmsgs) == 4, what="4 PRIVMSGs")
            await reader.stop()
            texts = server.texts()
            assert all(len(t) <= MAX_MESSAGE_CHARS for t in texts)
            assert all(m.tags == {"reply-parent-msg-id": "p1"} for _, m in server.privmsgs)
            assert (texts[0] + " " + texts[1]).split() == two_parts.split()  # nothing lost, split between words
            assert too_long.startswith(texts[2]) and too_long[len(texts[2])] == " "  # one message, cut between words
            assert texts[3] == "x" * 499 + "…"
            assert client.stats.replies_sent == 3 and client.stats.sent == 4 and server.errors == []

    run(scenario())


def test_a_burst_never_exceeds_the_sliding_window():
    limit = RateLimit(10, 0.5)
    count = 60

    async def scenario() -> None:
        async with FakeTwitch() as server:
            client = client_for(server, rate=limit, rate_margin_s=0.1)
            reader = Reader(client)
            await until(lambda: client.connected, what="connected")
            started = time.monotonic()
            # concurrent senders, as if many replies came due at once: posts are serialised and paced
            await asyncio.gather(*(client.send(reply(f"twitch-c{i}", f"answer number {i}")) for i in range(count)))
            await until(lambda: len(server.privmsgs) == count, what=f"{count} PRIVMSGs")
            elapsed = time.monotonic() - started
            await reader.stop()
            times = [t for t, _ in server.privmsgs]
            for i in range(len(times) - limit.messages):
                # the server never saw more than `messages` PRIVMSGs within any `per_s` seconds
                assert times[i + limit.messages] - times[i] >= limit.per_s, f"window exceeded at post {i}"
            assert sorted(server.texts(), key=lambda t: int(t.split()[-1])) == [f"answer number {i}" for i in range(count)]
            assert elapsed >= (count / limit.messages - 1) * limit.per_s  # it did wait...
            assert elapsed < (count / limit.messages) * (limit.per_s + 0.1) + 3.0  # ...but not much longer than needed
            assert client.stats.rate_waits > 0 and client.stats.sent == count and server.errors == []

    run(scenario())


def test_ratelimit_notice_pauses_posting():
    async def scenario() -> None:
        async with FakeTwitch() as server:

            async def on_privmsg(s: Session, msg: IrcMessage) -> None:
                if len(server.privmsgs) == 1:
                    await s.send(
                        notice("msg_ratelimit", "Your message was not sent because you are sending messages too quickly.")
                    )

            server.on_privmsg = on_privmsg
            client = client_for(server, rate=RateLimit(20, 1.0), rate_margin_s=0.0)
            reader = Reader(client)
            await until(lambda: client.connected, what="connected")
            await client.send(reply("twitch-a", "first"))
            await until(lambda: client.stats.rate_limited == 1, what="msg_ratelimit handled")
            noticed = time.monotonic()
            await client.send(reply("twitch-b", "second"))  # waits out the pause (one window)
            await until(lambda: len(server.privmsgs) == 2, what="second PRIVMSG")
            await reader.stop()
            assert server.privmsgs[1][0] - noticed >= 0.9
            (unsent,) = client.unsent
            assert unsent.reply.text == "first" and unsent.reason is Unsent.RATE_LIMITED and "msg_ratelimit" in unsent.detail
            assert not unsent.sent and unsent.posted == ()
            assert client.stats.rejected == 1 and client.stats.unsent == 1 and client.stats.notices["msg_ratelimit"] == 1

    run(scenario())


def test_ban_notice_stops_posting_and_records_unsent(caplog):
    caplog.set_level(logging.INFO, logger="bot.adapters.twitch")

    async def scenario() -> None:
        async with FakeTwitch() as server:

            async def on_privmsg(s: Session, msg: IrcMessage) -> None:
                await s.send(notice("msg_banned", "You are permanently banned from talking in shopchan."))

            server.on_privmsg = on_privmsg
            client = client_for(server)
            reader = Reader(client)
            await until(lambda: client.connected, what="connected")
            await client.send(reply("twitch-a", "first"))
            await until(lambda: client.posting_stopped is not None, what="posting stopped")
            await client.send(reply("twitch-b", "second"))
            await client.send(reply("twitch-c", "third"))
            await asyncio.sleep(0.1)
            await reader.stop()
            assert len(server.privmsgs) == 1  # nothing posted after the ban
            results = client.unsent
            assert [u.reply.text for u in results] == ["first", "second", "third"]
            assert all(u.reason is Unsent.MUTED and "banned" in u.detail for u in results)
            assert client.stats.unsent == 3 and client.stats.rejected == 1 and client.stats.unsent_reasons == {"muted": 3}
        errors = [r for r in caplog.records if r.levelno == logging.ERROR]
        assert any("banned" in r.getMessage() and "Posting stopped" in r.getMessage() for r in errors)

    run(scenario())


def test_timeout_and_duplicate_notices():
    async def scenario() -> None:
        async with FakeTwitch() as server:

            async def on_privmsg(s: Session, msg: IrcMessage) -> None:
                if msg.params[1] == "same again":
                    await s.send(
                        notice("msg_duplicate", "Your message was not sent because it is identical to the previous one.")
                    )
                elif msg.params[1] == "rude":
                    await s.send(notice("msg_timedout", "You are timed out for 1 more seconds."))

            server.on_privmsg = on_privmsg
            client = client_for(server)
            reader = Reader(client)
            await until(lambda: client.connected, what="connected")
            await client.send(reply("twitch-a", "same again"))
            await until(lambda: client.stats.rejected == 1, what="duplicate handled")
            assert client.posting_stopped is None  # a duplicate only drops that reply
            await client.send(reply("twitch-b", "fine"))
            await client.send(reply("twitch-c", "rude"))
            await until(lambda: client.posting_stopped is not None, what="timed out")
            await client.send(reply("twitch-d", "during the timeout"))
            await until(lambda: client.posting_stopped is None, within=5, what="timeout over")
            await client.send(reply("twitch-e", "after the timeout"))
            await until(lambda: len(server.privmsgs) == 4, what="4 PRIVMSGs")
            await reader.stop()
            assert server.texts() == ["same again", "fine", "rude", "after the timeout"]
            results = {u.reply.text: u for u in client.unsent}
            assert set(results) == {"same again", "rude", "during the timeout"}
            assert results["same again"].reason is Unsent.DUPLICATE and "msg_duplicate" in results["same again"].detail
            assert results["during the timeout"].reason is Unsent.MUTED and "timed out" in results["during the timeout"].detail

    run(scenario())


def test_reconnect_notice_reconnects_and_keeps_reading():
    async def scenario() -> None:
        async with FakeTwitch() as server:

            async def on_join(s: Session) -> None:
                if s.index == 0:
                    await s.send(privmsg("r1", "before the restart"), ":tmi.twitch.tv RECONNECT")
                    await asyncio.sleep(2)  # Twitch closes "after a short time"; the client leaves first
                else:
                    await s.send(privmsg("r2", "after the restart"))

            server.on_join = on_join
            client = client_for(server)
            reader = Reader(client)
            await until(lambda: len(reader.comments) == 2, what="2 comments")
            await client.send(reply("twitch-r2", "still here"))
            await until(lambda: len(server.privmsgs) == 1, what="PRIVMSG")
            await reader.stop()
            assert reader.texts() == ["before the restart", "after the restart"]
            assert server.connections == 2 and server.joins == 2 and server.errors == []
            assert server.lines[-1][0] == 1  # the reply went out on the new connection
            s = client.stats
            assert (s.server_reconnects, s.connects, s.reconnects) == (1, 2, 1)

    run(scenario())


def test_drop_and_resume_without_duplicates_or_double_posts():
    async def scenario() -> None:
        async with FakeTwitch() as server:
            dropped = asyncio.Event()

            async def on_join(s: Session) -> None:
                if s.index == 0:
                    await s.send(privmsg("d1", "one"), privmsg("d2", "two"))
                    await dropped.wait()
                    s.ws.transport.abort()  # the network goes away: no close handshake
                else:  # Twitch has no replay; a line seen twice (e.g. a proxy replaying) must not be yielded twice
                    await s.send(privmsg("d2", "two"), privmsg("d3", "three"))

            server.on_join = on_join
            client = client_for(server, backoff_initial=0.4, backoff_max=0.8)
            reader = Reader(client)
            await until(lambda: len(reader.comments) == 2, what="first 2 comments")
            await client.send(reply("twitch-d1", "before the drop"))
            await until(lambda: len(server.privmsgs) == 1, what="first PRIVMSG")
            dropped.set()
            await until(lambda: not client.connected, what="drop noticed")
            await client.send(reply("twitch-d2", "while disconnected"))  # outbox, posted after the next login
            await until(lambda: len(reader.comments) == 3 and len(server.privmsgs) == 2, what="resume")
            await asyncio.sleep(0.2)
            await reader.stop()
            assert reader.texts() == ["one", "two", "three"]
            assert server.texts() == ["before the drop", "while disconnected"]  # each posted exactly once
            assert server.connections == 2 and client.stats.duplicates == 1 and client.stats.reconnects == 1
            assert client.unsent == () and server.errors == []

    run(scenario())


def test_auth_failure_is_a_clear_error_without_a_reconnect_storm(caplog):
    caplog.set_level(logging.DEBUG)

    async def scenario() -> None:
        async with FakeTwitch(token="oauth:the-right-one") as server:
            client = client_for(server)
            with pytest.raises(TwitchAuthError) as info:
                async for _ in client.events():
                    pass
            await asyncio.sleep(0.5)  # a reconnect loop would have connected again by now
            assert server.connections == 1
            message = str(info.value)
            assert "Twitch" in message and "Login authentication failed" in message
            assert "chat:read" in message and "chat:edit" in message and "new OAuth token" in message
            assert SECRET not in message
            assert client.stats.connect_failures == 1 and client.stats.connects == 0
            await client.close()

    run(scenario())
    assert SECRET not in caplog.text
    assert any(r.levelno == logging.ERROR and "Twitch refused the login" in r.getMessage() for r in caplog.records)


def test_login_timeout_is_retried():
    async def scenario() -> None:
        async with FakeTwitch() as server:
            server.silent_logins = 1  # the first login gets no welcome
            server.on_join = lambda s: s.send(privmsg("t1", "made it"))
            client = client_for(server, login_timeout=0.3)
            reader = Reader(client)
            await until(lambda: len(reader.comments) == 1, what="comment after retry")
            await reader.stop()
            assert server.connections == 2 and client.stats.connect_failures == 1 and client.stats.connects == 1

    run(scenario())


def test_token_never_appears_in_logs(caplog):
    caplog.set_level(logging.DEBUG)  # everything, the websockets library's frame logs included

    async def scenario() -> None:
        async with FakeTwitch() as server:
            server.on_join = lambda s: s.send(privmsg("k1", "hi"), "PING :tmi.twitch.tv")
            client = client_for(server)
            reader = Reader(client)
            await until(lambda: len(reader.comments) == 1 and len(server.pongs) == 1, what="session")
            await client.send(reply("twitch-k1", "hello"))
            await until(lambda: len(server.privmsgs) == 1, what="PRIVMSG")
            await reader.stop()
            assert SECRET not in repr(client)

    run(scenario())
    assert caplog.records, "debug logging was captured"
    assert any("PASS ***" in r.getMessage() for r in caplog.records)  # the login line was logged, redacted
    assert SECRET not in caplog.text


def test_close_and_send_after_close_record_unsent():
    async def scenario() -> None:
        async with FakeTwitch() as server:
            client = client_for(server, rate=RateLimit(1, 30.0), rate_margin_s=0.0)
            reader = Reader(client)
            await until(lambda: client.connected, what="connected")
            await client.send(reply("twitch-a", "posted"))
            waiting = asyncio.create_task(client.send(reply("twitch-b", "waits 30 s for the window")))
            await asyncio.sleep(0.1)
            await reader.stop()  # close() interrupts the wait
            await asyncio.wait_for(waiting, 2)
            await client.send(reply("twitch-c", "after close"))
            assert server.texts() == ["posted"]
            assert [u.reply.text for u in client.unsent] == ["waits 30 s for the window", "after close"]
            assert all(u.reason is Unsent.CLOSED and "closed" in u.detail for u in client.unsent)
            with pytest.raises(ProtocolError):
                await client.send(Reply(reply_to=(), text="x", lang="en"))
            with pytest.raises(ProtocolError):
                await client.send(reply("twitch-a", "   "))

    run(scenario())


def test_a_drop_between_two_parts_is_not_retried():
    sentence = "This stroller folds with one hand and fits in a small car boot. "
    long_text = (sentence * 12).strip()  # two parts

    async def scenario() -> None:
        async with FakeTwitch() as server:

            async def on_privmsg(s: Session, msg: IrcMessage) -> None:
                if len(server.privmsgs) == 1:
                    s.ws.transport.abort()  # gone after the first part

            server.on_privmsg = on_privmsg
            client = client_for(server, rate=RateLimit(1, 0.5), rate_margin_s=0.0, backoff_initial=2.0, backoff_max=2.0)
            reader = Reader(client)
            await until(lambda: client.connected, what="connected")
            await client.send(reply("twitch-a", long_text))  # part 2 waits 0.5 s for the window: still disconnected
            await reader.stop()
            (result,) = client.unsent
            assert result.reason is Unsent.NETWORK and "after part 1 of 2" in result.detail
            assert result.posted == (server.texts()[0],) and len(server.privmsgs) == 1  # the rest is never re-sent
            assert client.stats.sent == 1 and client.stats.replies_sent == 0

    run(scenario())
