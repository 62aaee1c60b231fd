"""English messages (the bot's decision reasons, the catalog's errors) matched against a table of patterns, each
with the message that says the same in the console's language (a gettext msgid with %(group)s for each named group).
Shared by bot/console/reasons.py, forms.py and catalog_text.py."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["MessageTable", "first_match", "message_table"]

MessageTable = list[tuple[re.Pattern[str], str]]


def message_table(pairs: Iterable[tuple[str, str]], flags: int = 0) -> MessageTable:
    """(pattern, msgid) pairs with their patterns compiled once."""
    return [(re.compile(pattern, flags), message) for pattern, message in pairs]


def first_match(table: MessageTable, text: str) -> tuple[str, dict[str, str]] | None:
    """The msgid of the first pattern matching the whole of ``text`` and the named groups it matched, or None."""
    for pattern, message in table:
        found = pattern.fullmatch(text)
        if found:
            return message, found.groupdict()
    return None
