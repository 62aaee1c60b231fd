"""The rule files as import format: ``--rules``, ``--banned-words`` and the ``blocked:`` of ``--moderation`` are
imported into the database (`catalog.room_rules`), which is what the running bot uses and the console edits.

A file is imported when the database has never seen it, or when its content changed since it was last imported
(its SHA-256 is kept), so console edits survive restarts and an edited file still takes effect at the next start.
``replace=True`` (the demo and ``livereply eval replay``, which also reload the catalog file) always imports, and
with ``--rules ''`` leaves no keyword rules or schedules. Every file goes through the same checks as a save in the
console; a refused file is an InputFileError naming the rule and the reason.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from bot.cli_i18n import N_
from bot.config import Settings
from bot.datafiles import read_yaml_mapping
from bot.errors import InputFileError
from bot.keyword_rules import read_rules_document
from catalog.room_rules import RoomRuleError, RoomRules, WordEntry, words_from_document
from catalog.store import CatalogStore
from catalog.wordfilter import read_word_list

log = logging.getLogger(__name__)

__all__ = ["ensure_room_rules"]


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""  # missing: the reader raises the clear error


def _due(rules: RoomRules, kind: str, path: Path, replace: bool) -> str | None:
    """The file's digest when it must be imported now, else None."""
    digest = _digest(path)
    last = rules.seeded(kind)
    if replace or last is None or last.get("sha256") != digest:
        if last is not None and not replace:
            log.warning("%s changed since it was imported: importing it replaces the %s edited in the console", path, kind)
        return digest
    return None


def ensure_room_rules(store: CatalogStore, settings: Settings, *, replace: bool = False) -> list[str]:
    """Import the rule files that are new or changed (all of them with ``replace``); returns the files imported."""
    rules = RoomRules(store)
    imported: list[str] = []
    path = Path(".")
    try:
        if settings.banned_words:
            path = Path(settings.banned_words)
            digest = _due(rules, "banned_words", path, replace)
            if digest is not None:
                entries, allow = read_word_list(path)
                rules.import_words(
                    {"banned": [WordEntry(w, s) for w, s in entries], "allow": [WordEntry(a) for a in allow]},
                    kind="banned_words", source=str(path), digest=digest,
                )
                imported.append(str(path))
        if settings.moderation:
            path = Path(settings.moderation)
            digest = _due(rules, "moderation", path, replace)
            if digest is not None:
                p, doc = read_yaml_mapping(path, N_("moderation rules"), "contact / blocked / flood")
                blocked = words_from_document(doc.get("blocked"), "blocked")
                rules.import_words({"blocked": blocked}, kind="moderation", source=str(path), digest=digest)
                imported.append(str(path))
        if settings.rules:
            path = Path(settings.rules)
            digest = _due(rules, "rules", path, replace)
            if digest is not None:
                p, doc = read_yaml_mapping(path, N_("rules file"), "'rules:' and/or 'schedules:'")
                word_filter = rules.word_filter() if settings.banned_words else None
                specs, schedules = read_rules_document(p, doc, word_filter=word_filter)
                rules.import_rules(specs, schedules, source=str(path), digest=digest)
                imported.append(str(path))
        elif replace:
            rules.import_rules([], [], source="", digest="")
    except RoomRuleError as exc:
        raise InputFileError(path, None, str(exc)) from None
    for name in imported:
        log.info("imported %s into the database (room rules v%d)", name, rules.version())
    return imported
