"""Sans-I/O codec for Twitch chat: IRC lines with IRCv3 message tags, as Twitch sends them over its websocket.

Only strings and plain values go in and out of this module: no sockets, no asyncio. The client is
:mod:`bot.adapters.twitch`; the wire format is summarised in ``docs/platforms.md`` ("Twitch").

A line is::

    ['@' tags ' '] [':' prefix ' '] command [' ' param]* [' :' trailing]

    @badge-info=;badges=moderator/1;display-name=Foo;id=abc;tmi-sent-ts=1700000000000;user-id=123
        :foo!foo@foo.tmi.twitch.tv PRIVMSG #chan :hello

Tags are ``key[=value]`` pairs separated by ``;``. Values are escaped (IRCv3 message-tags): ``\\:`` is ``;``,
``\\s`` a space, ``\\\\`` a backslash, ``\\r`` CR and ``\\n`` LF; a backslash before any other character is dropped
and a trailing lone backslash is removed. A missing value and an empty one are the same (``""``); when a key
repeats, the last value wins.

One websocket message from Twitch may hold several lines separated by CRLF (:func:`split_lines`); the bot sends
one line per websocket message, without the CRLF (:func:`format_line`).

Every decoding failure raises :class:`~bot.messages.ProtocolError` whose ``reason`` says what is wrong and whose
``frame`` carries (a preview of) the offending line. No other exception leaves :func:`split_lines`,
:func:`parse_line` or :func:`interpret` for any input; as a last resort a decoder bug is reported as a
ProtocolError whose reason starts with "unexpected decoder failure" (the property tests check it never happens).
The builders (:func:`format_line`, :func:`privmsg_line`, ...) raise ProtocolError for a message that cannot be
written as one valid line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.messages import Comment, ProtocolError
from bot.protocol import MAX_ID_CHARS, clean_text

__all__ = [
    "COMMENT_ID_PREFIX",
    "DEFAULT_URL",
    "MAX_LINE_BYTES",
    "MAX_MESSAGE_CHARS",
    "MAX_TS_MS",
    "REQUESTED_CAPS",
    "CapAck",
    "CapNak",
    "Ignored",
    "IrcMessage",
    "Notice",
    "Ping",
    "Reconnect",
    "TwitchEvent",
    "Welcome",
    "command_safe_len",
    "escape_tag_value",
    "format_line",
    "interpret",
    "join_line",
    "login_lines",
    "normalize_login",
    "normalize_token",
    "parse_line",
    "pong_line",
    "privmsg_line",
    "redact",
    "split_lines",
    "unescape_tag_value",
]

DEFAULT_URL = "wss://irc-ws.chat.twitch.tv:443"

MAX_LINE_BYTES = 8191
"""Longest accepted line in UTF-8 bytes, tags included, CRLF excluded. IRCv3 allows 8191 bytes of tags on top of
RFC 1459's 512 for the rest; Twitch's own lines (tags + up to 500 characters of text) fit well within 8191."""

MAX_MESSAGE_CHARS = 500
"""Twitch's limit for one chat message (characters of PRIVMSG text)."""

MAX_TS_MS = 4_102_444_800_000
"""Latest accepted ``tmi-sent-ts``: 2100-01-01T00:00:00Z in milliseconds."""

COMMENT_ID_PREFIX = "twitch-"
"""Comment ids are ``"twitch-" + <the message's id tag>`` (unique across platforms in the comment log)."""

REQUESTED_CAPS = ("twitch.tv/tags", "twitch.tv/commands")

_MAX_TS_DIGITS = len(str(MAX_TS_MS))
_PREVIEW_CHARS = 256  # ProtocolError.frame keeps at most this many characters of the offending line

_TAG_KEY = re.compile(r"\+?(?:[A-Za-z0-9.-]+/)?[A-Za-z0-9-]+")
_COMMAND = re.compile(r"[A-Za-z]+|[0-9]{3}")
_LOGIN = re.compile(r"[a-z0-9_]{1,25}")
_TIMEOUT_SECONDS = re.compile(r"(\d{1,9}) more seconds?")
_FORBIDDEN_IN_LINE = ("\0", "\r", "\n")

_UNESCAPES = {":": ";", "s": " ", "\\": "\\", "r": "\r", "n": "\n"}
_ESCAPES = {";": "\\:", " ": "\\s", "\\": "\\\\", "\r": "\\r", "\n": "\\n"}
_ESCAPE_RE = re.compile(r"[; \\\r\n]")


# --------------------------------------------------------------------------------------------
# lines


@dataclass(frozen=True, slots=True)
class IrcMessage:
    """One IRC line. ``command`` keeps the case it was sent in (compare with ``.upper()``); ``params`` holds the
    middle parameters and the trailing one (without its ``:``) in order. Not hashable (``tags`` is a dict)."""

    command: str
    params: tuple[str, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)
    prefix: str | None = None

    @property
    def nick(self) -> str | None:
        """The nick of a ``nick!user@host`` prefix (None for a server prefix such as ``tmi.twitch.tv``)."""
        if self.prefix is None or "!" not in self.prefix:
            return None
        return self.prefix.split("!", 1)[0] or None


def unescape_tag_value(value: str) -> str:
    """Undo IRCv3 tag-value escaping (see the module docstring)."""
    if "\\" not in value:
        return value
    out: list[str] = []
    chars = iter(value)
    for ch in chars:
        if ch != "\\":
            out.append(ch)
            continue
        nxt = next(chars, None)
        if nxt is None:  # a trailing lone backslash is dropped
            break
        out.append(_UNESCAPES.get(nxt, nxt))
    return "".join(out)


def escape_tag_value(value: str) -> str:
    """IRCv3 tag-value escaping. NUL cannot be escaped: a value holding it raises ProtocolError."""
    if "\0" in value:
        raise ProtocolError("a tag value cannot contain NUL", _preview(value))
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], value)


def split_lines(message: str | bytes) -> list[str]:
    """The non-empty lines of one websocket message (CRLF-separated; a bare LF is accepted too). Bytes must be
    UTF-8. Raises ProtocolError for a message that is neither text nor UTF-8."""
    if isinstance(message, (bytes, bytearray, memoryview)):
        try:
            text = bytes(message).decode("utf-8")
        except UnicodeDecodeError as exc:
            reason = f"message is not UTF-8 ({exc.reason} at byte {exc.start})"
            raise ProtocolError(reason, bytes(message[:_PREVIEW_CHARS])) from None
    elif isinstance(message, str):
        text = message
    else:
        raise ProtocolError(f"message must be text or bytes, got {type(message).__name__}", None)
    lines: list[str] = []
    for line in text.split("\n"):
        if line.endswith("\r"):
            line = line[:-1]
        if line:
            lines.append(line)
    return lines


def parse_line(line: str | bytes) -> IrcMessage:
    """Parse one line (without its CRLF). Raises ProtocolError when it is not a valid IRC line."""
    try:
        return _parse_line(line)
    except ProtocolError:
        raise
    except Exception as exc:  # last resort: only ProtocolError may leave the codec
        raise ProtocolError(f"unexpected decoder failure ({type(exc).__name__}: {exc})", _preview(line)) from exc


def _parse_line(raw: str | bytes) -> IrcMessage:
    if isinstance(raw, (bytes, bytearray, memoryview)):
        try:
            line = bytes(raw).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtocolError(f"line is not UTF-8 ({exc.reason} at byte {exc.start})", bytes(raw[:_PREVIEW_CHARS])) from None
    elif isinstance(raw, str):
        line = raw
    else:
        raise ProtocolError(f"line must be text or bytes, got {type(raw).__name__}", None)
    _check_length(line)
    for bad in _FORBIDDEN_IN_LINE:
        if bad in line:
            raise ProtocolError(f"line contains {bad!r} (NUL, CR and LF are not allowed inside a line)", _preview(line))
    if not line.strip(" "):
        raise ProtocolError("empty line", _preview(line))
    rest = line
    tags: dict[str, str] = {}
    if rest.startswith("@"):
        tag_text, _, rest = rest[1:].partition(" ")
        tags = _parse_tags(tag_text, line)
        rest = rest.lstrip(" ")
    prefix: str | None = None
    if rest.startswith(":"):
        prefix, _, rest = rest[1:].partition(" ")
        if not prefix:
            raise ProtocolError("empty prefix after ':'", _preview(line))
        rest = rest.lstrip(" ")
    command, _, rest = rest.partition(" ")
    if not command:
        raise ProtocolError("line has no command", _preview(line))
    if not _COMMAND.fullmatch(command):
        raise ProtocolError(f"invalid command {command[:32]!r} (letters or a 3-digit number)", _preview(line))
    params: list[str] = []
    while rest:
        rest = rest.lstrip(" ")
        if not rest:
            break
        if rest.startswith(":"):
            params.append(rest[1:])
            break
        param, _, rest = rest.partition(" ")
        params.append(param)
    return IrcMessage(command=command, params=tuple(params), tags=tags, prefix=prefix)


def _parse_tags(text: str, line: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    for item in text.split(";"):
        if not item:
            continue  # tolerated: "a=1;;b=2", a trailing ";"
        key, _, value = item.partition("=")
        if not _TAG_KEY.fullmatch(key):
            raise ProtocolError(f"invalid tag key {key[:64]!r}", _preview(line))
        tags[key] = unescape_tag_value(value)
    return tags


def format_line(msg: IrcMessage) -> str:
    """One line (no CRLF) such that ``parse_line(format_line(msg)) == msg``. Raises ProtocolError when ``msg``
    cannot be written as a valid line (bad command, tag key or prefix; a middle parameter that is empty, holds a
    space or starts with ':'; NUL/CR/LF anywhere; longer than :data:`MAX_LINE_BYTES`)."""
    parts: list[str] = []
    if msg.tags:
        items: list[str] = []
        for key, value in msg.tags.items():
            if not isinstance(key, str) or not _TAG_KEY.fullmatch(key):
                raise ProtocolError(f"invalid tag key {key!r}", None)
            if not isinstance(value, str):
                raise ProtocolError(f"tag {key} must have a string value", None)
            items.append(f"{key}={escape_tag_value(value)}" if value else key)
        parts.append("@" + ";".join(items))
    if msg.prefix is not None:
        if not msg.prefix or " " in msg.prefix or any(c in msg.prefix for c in _FORBIDDEN_IN_LINE):
            raise ProtocolError(f"invalid prefix {msg.prefix!r}", None)
        parts.append(":" + msg.prefix)
    if not _COMMAND.fullmatch(msg.command):
        raise ProtocolError(f"invalid command {msg.command!r}", None)
    parts.append(msg.command)
    for i, param in enumerate(msg.params):
        if any(c in param for c in _FORBIDDEN_IN_LINE):
            raise ProtocolError(f"parameter {i} contains NUL, CR or LF", _preview(param))
        last = i == len(msg.params) - 1
        if last and (not param or " " in param or param.startswith(":")):
            parts.append(":" + param)
        elif not param or " " in param or param.startswith(":"):
            raise ProtocolError(f"middle parameter {i} {param[:32]!r} is empty, has a space or starts with ':'", None)
        else:
            parts.append(param)
    line = " ".join(parts)
    _check_length(line)
    return line


def _check_length(line: str) -> None:
    if len(line) > MAX_LINE_BYTES:  # characters <= UTF-8 bytes: surely too long
        raise ProtocolError(f"line longer than {MAX_LINE_BYTES} bytes ({len(line)} characters)", _preview(line))
    try:
        size = len(line.encode("utf-8"))
    except UnicodeEncodeError as exc:  # a lone surrogate: not valid Unicode text
        raise ProtocolError(f"line is not valid Unicode ({exc.reason} at {exc.start})", _preview(line)) from None
    if size > MAX_LINE_BYTES:
        raise ProtocolError(f"line longer than {MAX_LINE_BYTES} bytes ({size} bytes)", _preview(line))


def _preview(line: str | bytes) -> str | bytes:
    return line[:_PREVIEW_CHARS]


# --------------------------------------------------------------------------------------------
# what a line means to the bot


@dataclass(frozen=True, slots=True)
class Ping:
    """The server checks we are alive: answer ``PONG :<token>`` (:func:`pong_line`)."""

    token: str


@dataclass(frozen=True, slots=True)
class Reconnect:
    """The server is about to restart: reconnect (and rejoin)."""


@dataclass(frozen=True, slots=True)
class Notice:
    """A NOTICE. ``msg_id`` is the ``msg-id`` tag (``msg_ratelimit``, ``msg_banned``, ...) when present."""

    msg_id: str | None
    target: str  # "#channel", or "*" before login
    text: str

    @property
    def login_failed(self) -> bool:
        """The server refused our PASS/NICK (expired, revoked or malformed token)."""
        if self.target != "*":
            return False
        text = self.text.lower()
        return "login authentication failed" in text or "improperly formatted auth" in text or "login unsuccessful" in text

    @property
    def timeout_seconds(self) -> int | None:
        """For ``msg_timedout`` ("You are timed out for 123 more seconds."): the seconds left, when stated."""
        match = _TIMEOUT_SECONDS.search(self.text)
        return int(match.group(1)) if match else None


@dataclass(frozen=True, slots=True)
class Welcome:
    """``001``: the login was accepted."""

    nick: str


@dataclass(frozen=True, slots=True)
class CapAck:
    caps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CapNak:
    caps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Ignored:
    """A well-formed line the bot does not use (USERNOTICE, CLEARCHAT, ROOMSTATE, JOIN, numerics, ...)."""

    command: str


TwitchEvent = Comment | Ping | Reconnect | Notice | Welcome | CapAck | CapNak | Ignored


def interpret(msg: IrcMessage, room: str, channel: str | None = None) -> TwitchEvent:
    """What ``msg`` means. A PRIVMSG to ``#channel`` (any channel when ``channel`` is None) becomes a
    :class:`~bot.messages.Comment` stamped with ``room``; PRIVMSGs to other targets are :class:`Ignored`.
    Raises ProtocolError for a line that breaks Twitch's format (a PRIVMSG without an ``id`` tag, ...)."""
    try:
        return _interpret(msg, room, channel)
    except ProtocolError:
        raise
    except Exception as exc:  # last resort: only ProtocolError may leave the codec
        raise ProtocolError(f"unexpected decoder failure ({type(exc).__name__}: {exc})", None) from exc


def _interpret(msg: IrcMessage, room: str, channel: str | None) -> TwitchEvent:
    command = msg.command.upper()
    params = msg.params
    if command == "PRIVMSG":
        if len(params) != 2:
            raise ProtocolError(f"PRIVMSG needs a target and a text, got {len(params)} parameters", _frame(msg))
        target = params[0]
        if not target.startswith("#") or (channel is not None and target[1:].lower() != channel):
            return Ignored("PRIVMSG")
        return _comment(msg, room)
    if command == "PING":
        return Ping(params[-1] if params else "")
    if command == "RECONNECT":
        return Reconnect()
    if command == "NOTICE":
        if len(params) != 2:
            raise ProtocolError(f"NOTICE needs a target and a text, got {len(params)} parameters", _frame(msg))
        return Notice(msg_id=msg.tags.get("msg-id") or None, target=params[0], text=params[1])
    if command == "001":
        return Welcome(params[0] if params else "")
    if command == "CAP" and len(params) >= 3 and params[1].upper() in ("ACK", "NAK"):
        caps = tuple(params[2].split())
        return CapAck(caps) if params[1].upper() == "ACK" else CapNak(caps)
    return Ignored(command)


def _comment(msg: IrcMessage, room: str) -> Comment:
    tags = msg.tags
    msg_id = tags.get("id", "")
    if not msg_id:
        raise ProtocolError("PRIVMSG has no id tag (was the twitch.tv/tags capability granted?)", _frame(msg))
    comment_id = COMMENT_ID_PREFIX + msg_id
    _check_ident(comment_id, "id tag", msg)
    user = tags.get("user-id", "")
    if not user:
        user = msg.nick.lower() if msg.nick else ""
        if not user:
            raise ProtocolError("PRIVMSG has neither a user-id tag nor a nick!user@host prefix", _frame(msg))
    _check_ident(user, "user", msg)
    sent = tags.get("tmi-sent-ts", "")
    if not sent.isascii() or not sent.isdigit() or len(sent) > _MAX_TS_DIGITS or int(sent) > MAX_TS_MS:
        raise ProtocolError(f"PRIVMSG tmi-sent-ts {sent[:32]!r} is not milliseconds since 1970 (up to year 2100)", _frame(msg))
    text = msg.params[1]
    if text.startswith("\x01ACTION ") and text.endswith("\x01"):  # "/me waves" arrives as a CTCP ACTION
        text = text[len("\x01ACTION ") : -1]
    return Comment(id=comment_id, user=user, text=clean_text(text), ts=int(sent) / 1000, room=room, lang=None)


def _check_ident(value: str, label: str, msg: IrcMessage) -> None:
    if len(value) > MAX_ID_CHARS:
        raise ProtocolError(f"PRIVMSG {label} is longer than {MAX_ID_CHARS} characters", _frame(msg))
    if not value.isprintable() or " " in value:
        raise ProtocolError(f"PRIVMSG {label} {value[:64]!r} has spaces or control characters", _frame(msg))


def _frame(msg: IrcMessage) -> str | None:
    try:
        return format_line(msg)[:_PREVIEW_CHARS]
    except ProtocolError:
        return None


# --------------------------------------------------------------------------------------------
# what the bot sends


def normalize_login(name: str, what: str = "channel") -> str:
    """A Twitch login (channel or nick) in the form IRC uses: lower case, without '#'. Raises ValueError."""
    login = name.strip().removeprefix("#").lower()
    if not _LOGIN.fullmatch(login):
        raise ValueError(f"Twitch {what} {name!r} is not a Twitch login (1-25 letters, digits or '_')")
    return login


def normalize_token(token: str) -> str:
    """``oauth:<token>`` as PASS expects it (a bare token gets the prefix). Raises ValueError, without echoing
    the token, for an empty one or one with whitespace or control characters."""
    value = token.strip()
    if value.lower().startswith("oauth:"):
        value = value[len("oauth:") :]
    if not value:
        raise ValueError("the Twitch OAuth token is empty")
    if not value.isprintable() or any(c.isspace() for c in value):
        raise ValueError("the Twitch OAuth token contains whitespace or control characters")
    return "oauth:" + value


def login_lines(nick: str, token: str) -> list[str]:
    """The lines that open a session, in the documented order: CAP REQ, PASS (before NICK), NICK."""
    return [
        format_line(IrcMessage("CAP", ("REQ", " ".join(REQUESTED_CAPS)))),
        format_line(IrcMessage("PASS", (normalize_token(token),))),
        format_line(IrcMessage("NICK", (normalize_login(nick, "nick"),))),
    ]


def join_line(channel: str) -> str:
    return format_line(IrcMessage("JOIN", ("#" + normalize_login(channel),)))


def pong_line(token: str) -> str:
    """``PONG :<token>``, the documented answer to ``PING :<token>`` (always in trailing form, as Twitch shows it)."""
    if any(c in token for c in _FORBIDDEN_IN_LINE):
        raise ProtocolError("PING token contains NUL, CR or LF", _preview(token))
    line = "PONG :" + token
    _check_length(line)
    return line


def privmsg_line(channel: str, text: str, reply_parent: str | None = None) -> str:
    """``[@reply-parent-msg-id=<id> ]PRIVMSG #channel :text``. Line breaks become spaces and control characters
    are removed (one chat message is one line). A text starting with ``/`` or ``.`` would be read as a chat
    command: it gets a zero-width space in front. Raises ProtocolError for an empty text, a text over
    :data:`MAX_MESSAGE_CHARS` characters (after that) or a bad ``reply_parent``."""
    body = " ".join(clean_text(text).split("\n")).strip()
    if not body:
        raise ProtocolError("PRIVMSG text is empty", None)
    if body.startswith(("/", ".")):
        body = "\u200b" + body
    if len(body) > MAX_MESSAGE_CHARS:
        raise ProtocolError(f"PRIVMSG text is {len(body)} characters; Twitch takes at most {MAX_MESSAGE_CHARS}", None)
    tags: dict[str, str] = {}
    if reply_parent is not None:
        if not reply_parent or not reply_parent.isprintable():
            raise ProtocolError(f"invalid reply-parent-msg-id {reply_parent[:64]!r}", None)
        tags["reply-parent-msg-id"] = reply_parent
    return format_line(IrcMessage("PRIVMSG", ("#" + normalize_login(channel), body), tags))


def command_safe_len(text: str) -> int:
    """Characters :func:`privmsg_line` will send for ``text`` (after its clean-up and command guard)."""
    body = " ".join(clean_text(text).split("\n")).strip()
    return len(body) + (1 if body.startswith(("/", ".")) else 0)


_PASS_RE = re.compile(r"(?i)\b(PASS\s+)\S+")
_OAUTH_RE = re.compile(r"(?i)oauth:\S+")


def redact(text: str) -> str:
    """``text`` with the secret of every ``PASS <secret>`` and ``oauth:<secret>`` replaced by ``***`` (log lines,
    previews, reprs)."""
    return _OAUTH_RE.sub("oauth:***", _PASS_RE.sub(r"\1***", text))
