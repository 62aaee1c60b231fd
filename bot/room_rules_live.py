"""The running bot's copy of the room rules kept in the database (`catalog.room_rules`): keyword rules, scheduled
messages, the outbound word filter and the moderation's blocked words.

The engine's reload step (`Engine.reload_if_changed`, polled by the live loop every ``reload_interval_s``, like a
catalog edit) calls :meth:`LiveRoomRules.refresh`; when the rules' version moved, they are read in one consistent
read and swapped in: ``engine.rules`` (cooldowns carried over), ``engine.word_filter`` and the moderator's blocked
words. The live loop's announcer reads ``engine.rules.schedules`` at every tick, so schedules follow too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from bot.keyword_rules import compile_book
from catalog.room_rules import RoomRulesData

log = logging.getLogger(__name__)

__all__ = ["LiveRoomRules", "RoomRulesSource"]


class RoomRulesSource(Protocol):
    """What the bot needs from the store (`catalog.room_rules.RoomRules` satisfies it)."""

    def version(self) -> int: ...

    def data(self) -> RoomRulesData: ...


@dataclass
class LiveRoomRules:
    source: RoomRulesSource
    word_filter: bool = True  # the outbound filter is the database's banned + allow lists (False: filter off)
    blocked: bool = True  # the moderator's blocked words are the database's list (needs a moderator)
    version: int = -1

    def refresh(self, engine: Any) -> bool:
        """Swap in the stored rules when they changed since the last refresh; True when they did."""
        version = self.source.version()
        if version == self.version:
            return False
        try:
            data = self.source.data()
            book = compile_book(data.rules, data.schedules, previous=engine.rules)
            word_filter = data.word_filter() if self.word_filter else None
        except Exception:  # rules written around the console's checks (by hand in the database): keep the running ones
            log.exception("room rules v%d not loaded; keeping the previous ones", version)
            self.version = version
            return False
        engine.rules = book
        if self.word_filter:
            engine.word_filter = word_filter
        if self.blocked and engine.moderator is not None:
            engine.moderator.set_blocked(data.blocked)
        self.version = data.version
        log.info(
            "room rules v%d: %d keyword rules, %d schedules, %d banned words, %d blocked words", data.version,
            len(data.rules), len(data.schedules), len(data.banned), len(data.blocked),
        )
        return True
