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

from sqlalchemy import CheckConstraint, Connection, Float, String, Text, select
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import Mapped, mapped_column

from catalog.control import LANG_FALLBACKS
from catalog.schema import Base

if TYPE_CHECKING:
    from catalog.store import CatalogStore

__all__ = ["ROOM_LANG_SETTINGS", "RoomLangSettings", "RoomSetting", "StoredSetting", "room_lang_settings",
           "save_room_setting"]

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
