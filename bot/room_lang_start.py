"""At a bot's start: the room's language settings staff set on the console (catalog/room_settings.py) apply unless
the operator gave the setting for this start.

The rule, per setting (``lang_fallback``, ``main_lang``): a flag or a non-empty ``LIVEREPLY_*`` variable wins (the
start configuration is explicit, `bot.config.explicitly_set`); else the value stored from the console; else the
default. A stored main language that is no longer one of the room languages (the room was started with other
``--room-languages``) is ignored with a warning: the start goes on with the configured one. Pure: the caller reads
the stored settings and says the origins (`SettingOrigin`) on its start line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass

from bot.config import Settings, explicitly_set, room_language_codes, source_of
from bot.langid import normalize_lang_code
from catalog.control import LANG_FALLBACKS
from catalog.room_settings import RoomLangSettings, StoredSetting

log = logging.getLogger(__name__)

__all__ = ["ROOM_LANG_FIELDS", "RoomLangStart", "SettingOrigin", "room_langs_at_start", "when_text"]

ROOM_LANG_FIELDS = ("main_lang", "lang_fallback")  # in the order the start line says them


@dataclass(frozen=True)
class SettingOrigin:
    """Where a room language setting's value at this start comes from."""

    name: str  # "main_lang" | "lang_fallback"
    value: str
    source: str  # "flag" | "env" | "default" (`bot.config.source_of`) | "console" (stored from the console)
    stored: StoredSetting | None = None  # the console's value: who set it and when (also when a flag won over it)


@dataclass(frozen=True)
class RoomLangStart:
    settings: Settings
    origins: tuple[SettingOrigin, ...]
    # a stored value not applied because it no longer fits the room: (setting, stored value)
    ignored: tuple[tuple[str, str], ...] = ()


def when_text(at: float) -> str:
    """A stored change's time as the start line says it: "2026-12-03 10:40" (local time)."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(at))


def room_langs_at_start(
    settings: Settings, stored: RoomLangSettings, *, given: Mapping[str, object] | None = None,
    env: Mapping[str, str] | None = None, quiet: bool = False,
) -> RoomLangStart:
    """`settings` with the room's stored console values applied where the start configuration did not set them
    (`given`: the command line's values, None where a flag was not given; `env`: the environment). `quiet`: no log
    lines (`livereply config` says the same in its table)."""

    def note(level: int, message: str, *args: object) -> None:
        if not quiet:
            log.log(level, message, *args)

    changes: dict[str, str] = {}
    origins: list[SettingOrigin] = []
    ignored: list[tuple[str, str]] = []
    room = room_language_codes(settings.room_languages)
    for name in ROOM_LANG_FIELDS:
        kept = stored.get(name)
        value = str(getattr(settings, name))
        if explicitly_set(name, given, env) or kept is None:
            origins.append(SettingOrigin(name, value, source_of(name, given, env), kept))
            if kept is not None and kept.value != value:
                note(logging.INFO, "%s=%s from the start configuration (%s); the console's %s (%s, %s) waits for a "
                     "start without it", name, value, source_of(name, given, env), kept.value, kept.changed_by,
                     when_text(kept.changed_at))
            continue
        fits = (kept.value in LANG_FALLBACKS) if name == "lang_fallback" else (normalize_lang_code(kept.value) in room)
        if not fits:
            note(logging.WARNING, "the console's %s=%s for this room is not used: it is not one of the room languages "
                 "(%s); starting with %s", name, kept.value, ",".join(room), value)
            ignored.append((name, kept.value))
            origins.append(SettingOrigin(name, value, source_of(name, given, env), kept))
            continue
        changes[name] = kept.value
        origins.append(SettingOrigin(name, kept.value, "console", kept))
        note(logging.INFO, "%s=%s from the console (set by %s, %s)", name, kept.value, kept.changed_by,
             when_text(kept.changed_at))
    return RoomLangStart(settings.with_(**changes) if changes else settings, tuple(origins), tuple(ignored))
