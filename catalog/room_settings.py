"""A room's language settings as staff set them on the console, kept for the bot's next start (migration 0019).

Two settings per room: ``lang_fallback`` (what the bot does with a comment in a language it has no template in:
``en`` | ``main`` | ``staff``) and ``main_lang`` (the room's main language, one of its room languages). Each is
stored with who changed it and when, so the bot's start line can say "控制台设置，2026-12-03 10:40 由 alice 修改".
A setting never changed on the console is NULL: the start configuration (flag, LIVEREPLY_* variable, default)
applies. The console writes here (bot/console/views/live.py) besides sending the change to the running bot
(catalog/control.py); the bot reads it once at start (bot/room_lang_start.py).

Every query goes through the `CatalogStore`'s retrying transactions (``_read`` / ``_write``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, Connection, Float, String, Text, create_engine, inspect, select
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import Mapped, mapped_column

from catalog.control import LANG_FALLBACKS
from catalog.schema import Base

if TYPE_CHECKING:
    from catalog.store import CatalogStore

__all__ = ["ROOM_LANG_SETTINGS", "KeptRoomSettings", "RoomLangSettings", "RoomSetting", "StoredSetting",
           "all_room_lang_settings", "kept_room_settings", "room_lang_settings", "save_room_setting"]

ROOM_LANG_SETTINGS = ("lang_fallback", "main_lang")


class RoomSetting(Base):
    """One room's stored language settings (NULL: never set on the console)."""

    __tablename__ = "room_settings"

    room: Mapped[str] = mapped_column(Text, primary_key=True)
    lang_fallback: Mapped[str | None] = mapped_column(String(8), nullable=True)
    lang_fallback_by: Mapped[str | None] = mapped_column(Text, nullable=True)
    lang_fallback_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    main_lang: Mapped[str | None] = mapped_column(String(16), nullable=True)
    main_lang_by: Mapped[str | None] = mapped_column(Text, nullable=True)
    main_lang_at: Mapped[float | None] = mapped_column(Float, nullable=True)

    __table_args__ = (
        CheckConstraint("lang_fallback IS NULL OR lang_fallback IN ('en', 'main', 'staff')", name="lang_fallback_known"),
    )


@dataclass(frozen=True)
class StoredSetting:
    value: str
    changed_by: str
    changed_at: float  # epoch seconds


@dataclass(frozen=True)
class RoomLangSettings:
    room: str
    lang_fallback: StoredSetting | None = None
    main_lang: StoredSetting | None = None

    def get(self, name: str) -> StoredSetting | None:
        if name not in ROOM_LANG_SETTINGS:
            raise KeyError(name)
        value: StoredSetting | None = getattr(self, name)
        return value


def _setting(row: Any, name: str) -> StoredSetting | None:
    value = getattr(row, name)
    if value is None:
        return None
    return StoredSetting(str(value), str(getattr(row, f"{name}_by") or ""), float(getattr(row, f"{name}_at") or 0.0))


def room_lang_settings(store: CatalogStore, room: str) -> RoomLangSettings:
    """What staff stored for `room` (both None when nothing was ever set)."""

    def run(conn: Connection) -> RoomLangSettings:
        row = conn.execute(select(RoomSetting).where(RoomSetting.room == room)).first()
        if row is None:
            return RoomLangSettings(room)
        return RoomLangSettings(room, _setting(row, "lang_fallback"), _setting(row, "main_lang"))

    return store._read("room_lang_settings", run)


def all_room_lang_settings(store: CatalogStore) -> dict[str, RoomLangSettings]:
    """Every room with a setting stored from the console, by room (the live page's rooms no bot runs now)."""

    def run(conn: Connection) -> dict[str, RoomLangSettings]:
        rows = conn.execute(select(RoomSetting).order_by(RoomSetting.room)).all()
        kept = {row.room: RoomLangSettings(row.room, _setting(row, "lang_fallback"), _setting(row, "main_lang"))
                for row in rows}
        return {room: k for room, k in kept.items() if k.lang_fallback or k.main_lang}

    return store._read("all_room_lang_settings", run)


def save_room_setting(
    store: CatalogStore, room: str, name: str, value: str, *, changed_by: str, at: float | None = None,
) -> None:
    """Store `room`'s setting `name` (``lang_fallback`` | ``main_lang``) = `value`, changed by `changed_by` now (or
    `at`); the room's other setting is left as it is. A ValueError for an unknown setting or fallback policy; whether
    a main language is one of the room's languages is the caller's check (only the running bot knows them)."""
    if name not in ROOM_LANG_SETTINGS:
        raise ValueError(f"unknown room setting {name!r} (expected one of {', '.join(ROOM_LANG_SETTINGS)})")
    if name == "lang_fallback" and value not in LANG_FALLBACKS:
        raise ValueError(f"lang_fallback must be one of {', '.join(LANG_FALLBACKS)}, got {value!r}")
    if name == "main_lang" and not value.strip():
        raise ValueError("main_lang must be a language code")
    changed = {name: value, f"{name}_by": changed_by, f"{name}_at": time.time() if at is None else at}
    dialect = store.engine.dialect.name

    def run(conn: Connection) -> None:
        stmt: sqlite_dialect.Insert | pg_dialect.Insert
        if dialect == "postgresql":
            stmt = pg_dialect.insert(RoomSetting).values(room=room, **changed)
        else:
            stmt = sqlite_dialect.insert(RoomSetting).values(room=room, **changed)
        conn.execute(stmt.on_conflict_do_update(index_elements=[RoomSetting.room], set_=changed))

    store._write("save_room_setting", run)


@dataclass(frozen=True)
class KeptRoomSettings:
    """What `kept_room_settings` found in a database: ``state`` "read" (``rooms``: every room with a kept setting),
    "no-database" (a SQLite file that does not exist yet), "no-table" (a database older than migration 0019, or empty)
    or "error" (``error``: why it could not be read, e.g. a server that does not answer)."""

    state: str
    rooms: dict[str, RoomLangSettings]
    error: str = ""

    def room(self, room: str) -> RoomLangSettings:
        return self.rooms.get(room, RoomLangSettings(room))


def kept_room_settings(url: str) -> KeptRoomSettings:
    """Every room's kept language settings in the database at `url`, read only: a SQLite file is opened read-only
    and never created (nor its directory), no migration runs (`livereply config` shows them; a CatalogStore would
    create and migrate the database)."""
    import sqlite3
    from pathlib import Path

    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database or ""
            if database in ("", ":memory:") or database.startswith("file:"):
                return KeptRoomSettings("no-database", {})
            path = Path(database).expanduser()
            if not path.is_file():
                return KeptRoomSettings("no-database", {})
            uri = path.resolve().as_uri().replace("file://", "file:", 1) + "?mode=ro"
            engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
        elif parsed.get_backend_name() == "postgresql":  # a server that does not answer: a note, not a hang
            engine = create_engine(parsed, connect_args={"connect_timeout": 5})
        else:
            engine = create_engine(parsed)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        return KeptRoomSettings("error", {}, _first_line(exc))
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table(RoomSetting.__tablename__):
                return KeptRoomSettings("no-table", {})
            rows = conn.execute(select(RoomSetting).order_by(RoomSetting.room)).all()
    except (SQLAlchemyError, sqlite3.Error, ImportError) as exc:
        return KeptRoomSettings("error", {}, _first_line(exc))
    finally:
        engine.dispose()
    rooms = {
        row.room: RoomLangSettings(row.room, _setting(row, "lang_fallback"), _setting(row, "main_lang")) for row in rows
    }
    return KeptRoomSettings("read", {room: kept for room, kept in rooms.items() if kept.lang_fallback or kept.main_lang})


def _first_line(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    text = str(cause).strip()
    return text.splitlines()[0] if text else type(cause).__name__
