"""The channel between the staff console and a running bot: an outbox of console commands and the bot's heartbeat.

`livereply console` and `livereply run` are usually two processes sharing only the database, so the console
never calls into the bot: it writes a row in ``console_commands`` (``answer`` / ``pause`` / ``resume`` /
``set_fallback``: the room's fallback policy, from migration ``0018``; ``set_main_lang``: its main language, from
``0019``, which also keeps both for the bot's next start in ``room_settings``, catalog/room_settings.py) and
the bot, which polls the table every ~0.25 s, claims it, carries it out and marks it done with a result.
The bot writes its state to ``bot_status`` (one row per room) every ~1 s; the console reads it to say
whether the bot is live, paused or not running, and which languages its room expects (``settings``: room
languages, main language, fallback policy). Both tables come from migration ``0004_console_channel``; the heartbeat's
``outbox`` column from ``0012``, its ``settings`` column from ``0018``.

Every query goes through the `CatalogStore`'s retrying transactions (``_read`` / ``_write``).

Life of a command::

    pending ──claim (one bot, conditional UPDATE)──▶ claimed ──finish──▶ done | failed
       └── not claimed within ``max_age_s`` ──▶ expired (done_at set, result says why)
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Connection, Float, Integer, String, Text, insert, or_, select, true, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import Mapped, mapped_column

from catalog.schema import Base

if TYPE_CHECKING:
    from catalog.store import CatalogStore

__all__ = [
    "COMMAND_KINDS",
    "COMMAND_STATUSES",
    "LANG_FALLBACKS",
    "BotStatus",
    "BotStatusRecord",
    "CommandRecord",
    "ConsoleChannel",
    "ConsoleCommand",
    "bot_statuses",
    "command",
    "enqueue_command",
    "recent_commands",
    "room_settings",
]

COMMAND_KINDS = ("answer", "pause", "resume", "set_fallback", "set_main_lang")
# what the bot does with a comment in a language it has no template in (bot/config.py lang_fallback)
LANG_FALLBACKS = ("en", "main", "staff")
COMMAND_STATUSES = ("pending", "claimed", "done", "failed", "expired")
DEFAULT_MAX_AGE_S = 120.0  # a command no bot took within this is expired, not carried out late
_RESULT_CHARS = 2000


class ConsoleCommand(Base):
    """One request from the console to the bot (the outbox)."""

    __tablename__ = "console_commands"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    room: Mapped[str | None] = mapped_column(Text)  # the bot serving this room takes it; None: any bot
    # answer: {text, lang, comment_ids}; set_fallback: {lang_fallback}; set_main_lang: {main_lang}
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    created_at: Mapped[float] = mapped_column(Float)
    created_by: Mapped[str] = mapped_column(Text)
    done_at: Mapped[float | None] = mapped_column(Float)
    result: Mapped[str | None] = mapped_column(Text)  # what happened, for staff ("posted to …", "expired: …")

    __table_args__ = (
        CheckConstraint("kind IN ('answer', 'pause', 'resume', 'set_fallback', 'set_main_lang')", name="kind_known"),
        CheckConstraint("status IN ('pending', 'claimed', 'done', 'failed', 'expired')", name="status_known"),
    )


class BotStatus(Base):
    """The running bot's heartbeat, one row per room, rewritten every ~1 s."""

    __tablename__ = "bot_status"

    room: Mapped[str] = mapped_column(Text, primary_key=True)
    pid: Mapped[int] = mapped_column(Integer)
    connected: Mapped[bool] = mapped_column(Boolean, default=False)
    last_comment_at: Mapped[float | None] = mapped_column(Float)
    reloads: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[float] = mapped_column(Float)
    # what waits to be posted and what was given up, by kind (bot/outbox.py; migration 0012)
    outbox: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # the room's language settings: {"room_languages": [...], "main_lang": "zh", "lang_fallback": "en"} (migration 0018)
    settings: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


@dataclass(frozen=True)
class CommandRecord:
    id: int
    kind: str
    room: str | None
    payload: Mapping[str, Any]
    status: str
    created_at: float
    created_by: str
    done_at: float | None
    result: str | None


@dataclass(frozen=True)
class BotStatusRecord:
    room: str
    pid: int
    connected: bool
    last_comment_at: float | None
    reloads: int
    errors: int
    paused: bool
    updated_at: float
    outbox: Mapping[str, Any] = field(default_factory=dict)  # {"pending": {kind: n}, "dropped": …, "recent": […]}
    # the room's language settings (`room_settings`); empty from a bot older than migration 0018
    settings: Mapping[str, Any] = field(default_factory=dict)


def room_settings(
    room_languages: Sequence[str], main_lang: str, lang_fallback: str, *,
    sources: Mapping[str, str] | None = None, fixed: bool = False,
) -> dict[str, Any]:
    """What the heartbeat says of the room's languages: the languages viewers write in, the main language, and the
    fallback policy when no template exists in the viewer's language (``en`` | ``main`` | ``staff``); `sources`:
    where the running value of ``main_lang`` / ``lang_fallback`` came from ("flag", "env", "default", "console":
    bot/room_lang_start.py, "console" too once staff changed it live); `fixed`: the bot cannot take a change from
    the console (a scale-out worker: its start flags set them)."""
    data: dict[str, Any] = {"room_languages": list(room_languages), "main_lang": main_lang, "lang_fallback": lang_fallback}
    if sources:
        data["sources"] = {str(k): str(v) for k, v in sources.items()}
    if fixed:
        data["fixed"] = True
    return data


def _command(row: Any) -> CommandRecord:
    return CommandRecord(
        id=int(row.id), kind=str(row.kind), room=row.room, payload=dict(row.payload or {}), status=str(row.status),
        created_at=float(row.created_at), created_by=str(row.created_by), done_at=row.done_at, result=row.result,
    )


def _status(row: Any) -> BotStatusRecord:
    return BotStatusRecord(
        room=str(row.room), pid=int(row.pid), connected=bool(row.connected), last_comment_at=row.last_comment_at,
        reloads=int(row.reloads), errors=int(row.errors), paused=bool(row.paused), updated_at=float(row.updated_at),
        outbox=dict(row.outbox or {}), settings=dict(row.settings or {}),
    )


# ------------------------------------------------------------------------------------------ console side


def enqueue_command(
    store: CatalogStore, kind: str, payload: Mapping[str, Any] | None = None, *, room: str | None = None,
    created_by: str = "console",
) -> int:
    """Write a command for the bot; returns its id. `answer` needs ``payload = {text, comment_ids[, lang]}``,
    `set_fallback` ``payload = {lang_fallback}`` (one of `LANG_FALLBACKS`), `set_main_lang` ``payload = {main_lang}``
    (a language code: the bot checks it is one of its room languages); all three need the room."""
    if kind not in COMMAND_KINDS:
        raise ValueError(f"unknown command {kind!r} (expected one of {', '.join(COMMAND_KINDS)})")
    data = dict(payload or {})
    if kind == "answer":
        if not str(data.get("text") or "").strip() or not list(data.get("comment_ids") or ()):
            raise ValueError("an answer needs text and comment_ids")
        if room is None:
            raise ValueError("an answer needs the room it goes to")
        data["comment_ids"] = [str(x) for x in data["comment_ids"]]
    if kind == "set_fallback":
        if data.get("lang_fallback") not in LANG_FALLBACKS:
            raise ValueError(f"set_fallback needs lang_fallback, one of {', '.join(LANG_FALLBACKS)}")
        if room is None:
            raise ValueError("set_fallback needs the room it applies to")
    if kind == "set_main_lang":
        if not str(data.get("main_lang") or "").strip():
            raise ValueError("set_main_lang needs main_lang, a language code")
        if room is None:
            raise ValueError("set_main_lang needs the room it applies to")
    values = {"kind": kind, "room": room, "payload": data, "status": "pending", "created_at": time.time(),
              "created_by": created_by}

    def run(conn: Connection) -> int:
        return int(conn.execute(insert(ConsoleCommand).values(**values).returning(ConsoleCommand.id)).scalar_one())

    return store._write("enqueue_command", run)


def command(store: CatalogStore, command_id: int) -> CommandRecord | None:
    def run(conn: Connection) -> CommandRecord | None:
        row = conn.execute(select(ConsoleCommand).where(ConsoleCommand.id == command_id)).first()
        return None if row is None else _command(row)

    return store._read("command", run)


def recent_commands(store: CatalogStore, limit: int = 20) -> list[CommandRecord]:
    """The newest `limit` commands, newest first."""

    def run(conn: Connection) -> list[CommandRecord]:
        rows = conn.execute(select(ConsoleCommand).order_by(ConsoleCommand.id.desc()).limit(limit))
        return [_command(row) for row in rows]

    return store._read("recent_commands", run)


def bot_statuses(store: CatalogStore) -> list[BotStatusRecord]:
    """Every room's last heartbeat, most recent first."""

    def run(conn: Connection) -> list[BotStatusRecord]:
        return [_status(row) for row in conn.execute(select(BotStatus).order_by(BotStatus.updated_at.desc()))]

    return store._read("bot_statuses", run)


# ------------------------------------------------------------------------------------------ bot side


class ConsoleChannel:
    """What the live loop (`bot.service.BotService`) uses: claim commands, finish them, write the heartbeat."""

    def __init__(self, store: CatalogStore, *, max_age_s: float = DEFAULT_MAX_AGE_S) -> None:
        self.store = store
        self.max_age_s = max_age_s
        self.pid = os.getpid()

    def claim_commands(self, room: str | None, kinds: Sequence[str] = COMMAND_KINDS, limit: int = 20) -> list[CommandRecord]:
        """Take the pending commands for `room` (or for any bot) of the given kinds, oldest first.

        Commands older than ``max_age_s`` are expired instead. Each command is claimed by one conditional UPDATE,
        so two bots never both carry out the same command."""
        now = time.time()
        where_room = or_(ConsoleCommand.room.is_(None), ConsoleCommand.room == room) if room else true()

        def any_pending(conn: Connection) -> bool:
            query = select(ConsoleCommand.id).where(ConsoleCommand.status == "pending", where_room).limit(1)
            return conn.execute(query).first() is not None

        # the usual answer is "nothing": a read, so the write lock (BEGIN IMMEDIATE on SQLite) is taken only for work
        if not self.store._read_one("pending_commands", any_pending):
            return []

        def run(conn: Connection) -> list[CommandRecord]:
            conn.execute(
                update(ConsoleCommand)
                .where(ConsoleCommand.status == "pending", ConsoleCommand.created_at < now - self.max_age_s, where_room)
                .values(status="expired", done_at=now,
                        result=f"expired: no bot took it within {self.max_age_s:g} s")
            )
            rows = conn.execute(
                select(ConsoleCommand.id)
                .where(ConsoleCommand.status == "pending", ConsoleCommand.kind.in_(tuple(kinds)), where_room)
                .order_by(ConsoleCommand.id)
                .limit(limit)
            ).scalars().all()
            claimed: list[CommandRecord] = []
            for command_id in rows:
                done = conn.execute(
                    update(ConsoleCommand)
                    .where(ConsoleCommand.id == command_id, ConsoleCommand.status == "pending")
                    .values(status="claimed", result=f"taken by the bot (pid {self.pid})")
                )
                if done.rowcount:
                    row = conn.execute(select(ConsoleCommand).where(ConsoleCommand.id == command_id)).one()
                    claimed.append(_command(row))
            return claimed

        return self.store._write("claim_commands", run)

    def finish_command(self, command_id: int, result: str, *, ok: bool = True) -> None:
        values = {"status": "done" if ok else "failed", "done_at": time.time(), "result": result[:_RESULT_CHARS]}
        self.store._write(
            "finish_command",
            lambda conn: conn.execute(update(ConsoleCommand).where(ConsoleCommand.id == command_id).values(**values)),
        )

    def heartbeat(self, status: BotStatusRecord) -> None:
        """Insert or replace the room's status row."""
        values = {
            "room": status.room, "pid": status.pid, "connected": status.connected,
            "last_comment_at": status.last_comment_at, "reloads": status.reloads, "errors": status.errors,
            "paused": status.paused, "updated_at": status.updated_at, "outbox": dict(status.outbox) or None,
            "settings": dict(status.settings) or None,
        }
        changed = {k: v for k, v in values.items() if k != "room"}
        dialect = self.store.engine.dialect.name

        def run(conn: Connection) -> None:
            stmt: sqlite_dialect.Insert | pg_dialect.Insert
            if dialect == "postgresql":
                stmt = pg_dialect.insert(BotStatus).values(**values)
            else:
                stmt = sqlite_dialect.insert(BotStatus).values(**values)
            conn.execute(stmt.on_conflict_do_update(index_elements=[BotStatus.room], set_=changed))

        self.store._write("bot_heartbeat", run)

