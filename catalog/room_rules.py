"""Room rules in the database: keyword rules, scheduled messages and the word lists (banned words with suggestions,
the allow list, the moderation's blocked words). Migration ``0006_room_rules``.

One set of validation rules for every way in: the YAML files (``data/rules.yaml``, ``data/banned_words.yaml``, the
``blocked:`` of ``data/moderation.yaml``) and the console's forms both go through :func:`rule_from_dict`,
:func:`schedule_from_dict` and :func:`check_word`, so a catastrophic regex, a rule matching every comment, a schedule
of 0 minutes, a template with a banned word or an oversized list are refused the same way everywhere
(:class:`RoomRuleError`, which names the field and carries an English message template and its values, so the
console can show it in the staff member's language).

Every write bumps ``room_rules_meta.version`` in the same transaction; the running bot polls it with the catalog
version (``bot/engine.py`` ``reload_if_changed``) and swaps its rules, word filter and blocked words in place.
Each row carries an ``edit_version`` (optimistic concurrency, as for products and FAQs): a save from a stale one
raises `catalog.store.StaleEdit` and writes nothing.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time as dtime
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    Float,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column

from catalog.errors import Invalid, NotFound
from catalog.schema import Base
from catalog.store import CatalogStore, StaleEdit
from catalog.templates import TemplateError, parse_template
from catalog.wordfilter import MAX_WORDS, WordFilter

__all__ = [
    "MAX_PATTERN",
    "MAX_RULES",
    "MAX_WORDS",
    "WORD_LISTS",
    "RoomRuleError",
    "RoomRules",
    "RoomRulesData",
    "RuleSpec",
    "ScheduleSpec",
    "StoredRule",
    "StoredSchedule",
    "StoredWord",
    "WordEntry",
    "check_word",
    "rule_from_dict",
    "rules_from_document",
    "schedule_from_dict",
    "words_from_document",
]

MAX_TEXT = 300  # comments are matched on their first 300 characters
MAX_PATTERN = 200
MAX_RULES = 1000  # keyword rules; also scheduled messages
MAX_RULE_WORDS = 200  # words of one rule
MAX_MESSAGES = 50  # messages of one schedule's rotation
MAX_TEMPLATE_CHARS = 2000
MAX_WORD_CHARS = 64
MAX_BLOCKED = 5000
WORD_LISTS = ("banned", "allow", "blocked")  # banned (with suggestions) + allow: outbound filter; blocked: moderation
LIST_LIMITS = {"banned": MAX_WORDS, "allow": MAX_WORDS, "blocked": MAX_BLOCKED}
_ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]")

# Every reason a save is refused, in English with %(name)s values (the console translates the template).
MSG_ID = "an id of lowercase letters, digits, '-' and '_' (at most 64 characters)"
MSG_DUPLICATE = "'%(id)s' already exists"
MSG_MAPPING = "a mapping with %(keys)s"
MSG_MATCH_KEYS = "match: exact: [...], contains: [...] and/or regex: '...'"
MSG_WORDS = "a list of at most %(max)d words"
MSG_EMPTY_WORD = "an empty word would match every comment"
MSG_REGEX_LEN = "a pattern of 1–%(max)d characters"
MSG_NESTED = "nested quantifier like (a+)+ (catastrophic backtracking): rewrite it"
MSG_REGEX_COMPILE = "does not compile: %(error)s"
MSG_MATCH_ALL = "matches every comment"
MSG_NO_MATCH = "match needs at least one word or a regex"
MSG_REPLY = "{zh: ..., en: ...} with at least one non-empty text"
MSG_TEMPLATE_LONG = "a text of at most %(max)d characters"
MSG_TEMPLATE = "%(error)s"
MSG_BANNED = "contains the banned word 「%(word)s」 at character %(position)d"
MSG_BANNED_SUGGEST = "contains the banned word 「%(word)s」 at character %(position)d; write 「%(suggest)s」 instead"
MSG_BETWEEN = "two times like 19:00 and 23:30"
MSG_WHEN = "when: {stage: <product id>, between: ['HH:MM', 'HH:MM']}"
MSG_NUMBER = "must be a number"
MSG_COOLDOWN = "cooldowns between 0 and 86400 s"
MSG_EVERY_MIN = "every_min between 1 and 1440 minutes (a schedule of 0 minutes would flood the room)"
MSG_MIN_COMMENTS = "min_comments: a whole number >= 0"
MSG_MESSAGES = "a rotation list of 1–%(max)d messages {zh: ..., en: ...} with non-empty texts"
MSG_LIST = "'%(what)s' must be a list of at most %(max)d entries"
MSG_WORD = "a word of 1–%(max)d characters"
MSG_WORD_TWICE = "「%(word)s」 is already in the list"
MSG_LIST_FULL = "the list would have %(n)d entries; at most %(max)d are allowed"
MSG_UNKNOWN_LIST = "unknown word list '%(name)s'"


class RoomRuleError(Invalid):
    """A rule, schedule or word refused. ``field`` names the form field ("regex", "reply_zh", "every_min", …);
    ``template % params`` is the English reason; ``item`` says which rule / schedule / entry of a file."""

    def __init__(self, field: str, template: str, item: str = "", **params: Any) -> None:
        self.field, self.template, self.params, self.item = field, template, params, item
        reason = template % params if params else template
        where = f"{item}: " if item else ""
        super().__init__(f"{where}{_label(field)}: {reason}" if field else f"{where}{reason}")

    @property
    def reason(self) -> str:
        return self.template % self.params if self.params else self.template


def _label(field: str) -> str:
    """A field as the file's author knows it: reply_zh → "reply (zh)", message2_en → "message 2 (en)"."""
    found = re.fullmatch(r"([a-z]+?)(\d*)_([a-z]{2})", field)
    if found is None:
        return field
    name, number, lang = found.groups()
    return f"{name} {number} ({lang})" if number else f"{name} ({lang})"


def fold(text: str) -> str:
    """How comments and words are compared: NFKC (full width → ASCII), casefold, trimmed, at most MAX_TEXT."""
    return unicodedata.normalize("NFKC", text or "").casefold().strip()[:MAX_TEXT]


# ------------------------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class RuleSpec:
    """A keyword rule as staff wrote it (validated). ``to_dict`` is its YAML shape."""

    id: str
    reply: Mapping[str, str]
    exact: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    regex: str | None = None
    stage: str | None = None
    between: tuple[str, str] | None = None  # "HH:MM" local times, may wrap midnight
    room: str | None = None
    cooldown_s: float = 30.0
    viewer_cooldown_s: float = 300.0

    def to_dict(self) -> dict[str, Any]:
        match: dict[str, Any] = {}
        if self.exact:
            match["exact"] = list(self.exact)
        if self.contains:
            match["contains"] = list(self.contains)
        if self.regex:
            match["regex"] = self.regex
        out: dict[str, Any] = {"id": self.id, "match": match, "reply": dict(self.reply)}
        when: dict[str, Any] = {}
        if self.stage:
            when["stage"] = self.stage
        if self.between:
            when["between"] = list(self.between)
        if when:
            out["when"] = when
        if self.room:
            out["room"] = self.room
        out["cooldown_s"] = _num(self.cooldown_s)
        out["viewer_cooldown_s"] = _num(self.viewer_cooldown_s)
        return out


@dataclass(frozen=True)
class ScheduleSpec:
    id: str
    every_min: float
    messages: tuple[Mapping[str, str], ...]
    min_comments: int = 0
    stage: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "every_min": _num(self.every_min), "min_comments": self.min_comments}
        if self.stage:
            out["stage"] = self.stage
        out["messages"] = [dict(m) for m in self.messages]
        return out


@dataclass(frozen=True)
class WordEntry:
    word: str
    suggest: str = ""


@dataclass(frozen=True)
class StoredRule:
    spec: RuleSpec
    position: int
    edit_version: int
    updated_at: float
    updated_by: str


@dataclass(frozen=True)
class StoredSchedule:
    spec: ScheduleSpec
    position: int
    edit_version: int
    updated_at: float
    updated_by: str


@dataclass(frozen=True)
class StoredWord:
    id: int
    list_name: str
    word: str
    suggest: str
    edit_version: int

    def to_dict(self) -> dict[str, Any]:
        return {"list": self.list_name, "word": self.word, "suggest": self.suggest}


@dataclass(frozen=True)
class RoomRulesData:
    """Everything the bot reads, from one consistent read."""

    version: int
    rules: tuple[RuleSpec, ...] = ()
    schedules: tuple[ScheduleSpec, ...] = ()
    banned: tuple[WordEntry, ...] = ()
    allow: tuple[str, ...] = ()
    blocked: tuple[str, ...] = ()
    seeded: Mapping[str, Any] = field(default_factory=dict)

    def word_filter(self) -> WordFilter:
        return WordFilter(((e.word, e.suggest) for e in self.banned), self.allow)


def _num(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


# ------------------------------------------------------------------------------------------- validation


def _texts(value: object, field_prefix: str, item: str, template: str, **params: Any) -> dict[str, str]:
    """{lang: text} with at least one non-empty text (a bare string is Chinese); each text a valid template."""
    if isinstance(value, str):
        value = {"zh": value}
    if not isinstance(value, dict) or not value:
        raise RoomRuleError(field_prefix, template, item, **params)
    out: dict[str, str] = {}
    for lang, text in value.items():
        if text is None or (isinstance(text, str) and not text.strip()):
            continue
        if not isinstance(text, str) or not re.fullmatch(r"[a-z]{2}", str(lang)):
            raise RoomRuleError(field_prefix, template, item, **params)
        where = f"{field_prefix}_{lang}"
        if len(text) > MAX_TEMPLATE_CHARS:
            raise RoomRuleError(where, MSG_TEMPLATE_LONG, item, max=MAX_TEMPLATE_CHARS)
        try:
            parse_template(text)
        except TemplateError as exc:
            raise RoomRuleError(where, MSG_TEMPLATE, item, error=str(exc)) from None
        out[str(lang)] = text.strip()
    if not out:
        raise RoomRuleError(field_prefix, template, item, **params)
    return out


def check_banned(texts: Mapping[str, str], word_filter: WordFilter | None, field_prefix: str, item: str = "") -> None:
    """Refuse a reply / message text containing a banned word (the word, its position, the suggested wording)."""
    if word_filter is None:
        return
    for lang, text in texts.items():
        found = word_filter.find(text)
        if found:
            hit = found[0]
            if hit.suggest:
                raise RoomRuleError(f"{field_prefix}_{lang}", MSG_BANNED_SUGGEST, item, word=hit.word,
                                    position=hit.position + 1, suggest=hit.suggest)
            raise RoomRuleError(f"{field_prefix}_{lang}", MSG_BANNED, item, word=hit.word, position=hit.position + 1)


def _check_id(value: object, item: str) -> str:
    text = str(value or "").strip()
    if not _ID_RE.fullmatch(text):
        raise RoomRuleError("id", MSG_ID, item)
    return text


def _words(value: object, what: str, item: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or len(value) > MAX_RULE_WORDS or not all(isinstance(w, str) for w in value):
        raise RoomRuleError(what, MSG_WORDS, item, max=MAX_RULE_WORDS)
    words: list[str] = []
    for w in value:
        if not fold(w):
            raise RoomRuleError(what, MSG_EMPTY_WORD, item)
        if len(w.strip()) > MAX_WORD_CHARS:
            raise RoomRuleError(what, MSG_WORD, item, max=MAX_WORD_CHARS)
        words.append(w.strip())
    return tuple(dict.fromkeys(words))


def compile_regex(pattern: object, item: str = "") -> re.Pattern[str]:
    """A rule's regex, refused when too long, catastrophic (nested quantifiers), broken, or matching every text."""
    if not isinstance(pattern, str) or not pattern or len(pattern) > MAX_PATTERN:
        raise RoomRuleError("regex", MSG_REGEX_LEN, item, max=MAX_PATTERN)
    if _NESTED_QUANTIFIER.search(pattern):
        raise RoomRuleError("regex", MSG_NESTED, item)
    try:
        compiled = re.compile(pattern, re.I)
    except re.error as exc:
        raise RoomRuleError("regex", MSG_REGEX_COMPILE, item, error=str(exc)) from None
    if compiled.search(""):
        raise RoomRuleError("regex", MSG_MATCH_ALL, item)
    return compiled


def _seconds(item_dict: Mapping[str, Any], key: str, default: float, item: str) -> float:
    raw = item_dict.get(key, default)
    try:
        value = float(default if raw is None or raw == "" else raw)
    except (TypeError, ValueError):
        raise RoomRuleError(key, MSG_NUMBER, item) from None
    if not 0 <= value <= 86_400:  # also NaN
        raise RoomRuleError(key, MSG_COOLDOWN, item)
    return value


def rule_from_dict(item_dict: object, *, word_filter: WordFilter | None = None, item: str = "") -> RuleSpec:
    """A keyword rule from its YAML shape (``id, match {exact, contains, regex}, reply {zh, en}, when {stage,
    between}, room, cooldown_s, viewer_cooldown_s``), validated; with a word filter, replies with a banned word
    are refused too."""
    if not isinstance(item_dict, dict):
        raise RoomRuleError("", MSG_MAPPING, item, keys="id, match and reply")
    rule_id = _check_id(item_dict.get("id"), item)
    match = item_dict.get("match")
    if not isinstance(match, dict) or not match or not set(match) <= {"exact", "contains", "regex"}:
        raise RoomRuleError("match", MSG_MATCH_KEYS, item)
    exact = _words(match.get("exact"), "exact", item)
    contains = _words(match.get("contains"), "contains", item)
    regex = match.get("regex")
    if regex is not None:
        compile_regex(regex, item)
    if not exact and not contains and regex is None:
        raise RoomRuleError("match", MSG_NO_MATCH, item)
    reply = _texts(item_dict.get("reply"), "reply", item, MSG_REPLY)
    check_banned(reply, word_filter, "reply", item)
    when = item_dict.get("when") or {}
    if not isinstance(when, dict):
        raise RoomRuleError("when", MSG_WHEN, item)
    between = None
    if when.get("between") is not None:
        try:
            start, end = (dtime.fromisoformat(str(t).strip()) for t in when["between"])
        except (TypeError, ValueError):
            raise RoomRuleError("between", MSG_BETWEEN, item) from None
        between = (start.strftime("%H:%M"), end.strftime("%H:%M"))
    stage = str(when["stage"]).strip() if when.get("stage") else None
    room = str(item_dict["room"]).strip() if item_dict.get("room") else None
    return RuleSpec(
        id=rule_id, reply=reply, exact=exact, contains=contains, regex=regex, stage=stage or None, between=between,
        room=room or None, cooldown_s=_seconds(item_dict, "cooldown_s", 30.0, item),
        viewer_cooldown_s=_seconds(item_dict, "viewer_cooldown_s", 300.0, item),
    )


def schedule_from_dict(item_dict: object, *, word_filter: WordFilter | None = None, item: str = "") -> ScheduleSpec:
    """A scheduled message from its YAML shape (``id, every_min, min_comments, stage, messages``), validated."""
    if not isinstance(item_dict, dict):
        raise RoomRuleError("", MSG_MAPPING, item, keys="id, every_min and messages")
    sched_id = _check_id(item_dict.get("id"), item)
    try:
        every_min = float(item_dict.get("every_min") or 0)
    except (TypeError, ValueError):  # not "between 1 and 1440 (… 0 minutes would flood the room)": nobody typed 0
        raise RoomRuleError("every_min", MSG_NUMBER, item) from None
    if not 1 <= every_min <= 24 * 60:
        raise RoomRuleError("every_min", MSG_EVERY_MIN, item)
    raw_min = item_dict.get("min_comments") or 0
    try:
        min_comments = int(str(raw_min).strip()) if not isinstance(raw_min, int) else raw_min
    except ValueError:
        raise RoomRuleError("min_comments", MSG_MIN_COMMENTS, item) from None
    if not 0 <= min_comments <= 1_000_000:
        raise RoomRuleError("min_comments", MSG_MIN_COMMENTS, item)
    messages = item_dict.get("messages")
    if not isinstance(messages, list) or not messages or len(messages) > MAX_MESSAGES:
        raise RoomRuleError("messages", MSG_MESSAGES, item, max=MAX_MESSAGES)
    checked: list[dict[str, str]] = []
    for k, message in enumerate(messages, 1):
        texts = _texts(message, f"message{k}", item, MSG_MESSAGES, max=MAX_MESSAGES)
        check_banned(texts, word_filter, f"message{k}", item)
        checked.append(texts)
    stage = str(item_dict["stage"]).strip() if item_dict.get("stage") else None
    return ScheduleSpec(id=sched_id, every_min=every_min, messages=tuple(checked), min_comments=min_comments,
                        stage=stage or None)


def rules_from_document(
    doc: Mapping[str, Any], *, word_filter: WordFilter | None = None
) -> tuple[list[RuleSpec], list[ScheduleSpec]]:
    """The ``rules:`` and ``schedules:`` of a rules file, each validated; ids unique."""
    out: list[list[Any]] = []
    for key, parse, what in (("rules", rule_from_dict, "rule"), ("schedules", schedule_from_dict, "schedule")):
        items = doc.get(key)
        if items is None:
            out.append([])
            continue
        if not isinstance(items, list) or len(items) > MAX_RULES:
            raise RoomRuleError("", MSG_LIST, what=key, max=MAX_RULES)
        specs: list[Any] = []
        seen: set[str] = set()
        for i, entry in enumerate(items, 1):
            spec = parse(entry, word_filter=word_filter, item=f"{what} {i}")
            if spec.id in seen:
                raise RoomRuleError("id", MSG_DUPLICATE, f"{what} {i}", id=spec.id)
            seen.add(spec.id)
            specs.append(spec)
        out.append(specs)
    return out[0], out[1]


def check_word(word: object, suggest: object = "", *, item: str = "") -> WordEntry:
    """One entry of a word list: a word of 1–64 characters and an optional suggestion of at most 64."""
    if not isinstance(word, str) or not fold(word) or len(word.strip()) > MAX_WORD_CHARS:
        raise RoomRuleError("word", MSG_WORD, item, max=MAX_WORD_CHARS)
    suggest_text = "" if suggest is None else str(suggest).strip()
    if len(suggest_text) > MAX_WORD_CHARS:
        raise RoomRuleError("suggest", MSG_WORD, item, max=MAX_WORD_CHARS)
    return WordEntry(word.strip(), suggest_text)


def words_from_document(items: object, name: str) -> list[WordEntry]:
    """A word list from a file (``[{word, suggest}]`` or plain strings), bounded and without repeats."""
    limit = LIST_LIMITS.get(name, MAX_WORDS)
    if items is None:
        return []
    if not isinstance(items, list):
        raise RoomRuleError("", MSG_LIST, what=name, max=limit)
    if len(items) > limit:
        raise RoomRuleError("", MSG_LIST_FULL, n=len(items), max=limit)
    out: dict[str, WordEntry] = {}
    for i, entry in enumerate(items, 1):
        if isinstance(entry, dict):
            checked = check_word(entry.get("word"), entry.get("suggest"), item=f"{name} {i}")
        else:
            checked = check_word(entry, item=f"{name} {i}")
        out.setdefault(fold(checked.word), checked)
    return list(out.values())


# ------------------------------------------------------------------------------------------- tables


class RoomRulesMeta(Base):
    """One row (id 1): the version of the room rules, bumped by every write; which files were imported (seeded)."""

    __tablename__ = "room_rules_meta"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    seeded: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # kind -> {"source": file, "at": ts}
    updated_at: Mapped[float] = mapped_column(Float, default=0.0)


class KeywordRuleRow(Base):
    __tablename__ = "room_keyword_rules"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)  # lower fires first
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)  # the rule's YAML shape (RuleSpec.to_dict)
    edit_version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[float] = mapped_column(Float)
    updated_by: Mapped[str] = mapped_column(Text)


class ScheduleRow(Base):
    __tablename__ = "room_schedules"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)  # ScheduleSpec.to_dict
    edit_version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[float] = mapped_column(Float)
    updated_by: Mapped[str] = mapped_column(Text)


class WordRow(Base):
    __tablename__ = "room_words"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    list_name: Mapped[str] = mapped_column(String(16))
    word: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(Text)  # fold(word): one entry per word and list
    suggest: Mapped[str] = mapped_column(Text, default="")
    edit_version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[float] = mapped_column(Float)

    __table_args__ = (
        UniqueConstraint("list_name", "key", name="uq_room_words_list_key"),
        Index("ix_room_words_list_name_id", "list_name", "id"),
    )


# ------------------------------------------------------------------------------------------- the store API


def _rule_spec(data: Mapping[str, Any]) -> RuleSpec:
    return rule_from_dict(dict(data))


def _schedule_spec(data: Mapping[str, Any]) -> ScheduleSpec:
    return schedule_from_dict(dict(data))


def _stored_rule(row: Any) -> StoredRule:
    return StoredRule(_rule_spec(row.spec), int(row.position), int(row.edit_version), float(row.updated_at), str(row.updated_by))


def _stored_schedule(row: Any) -> StoredSchedule:
    return StoredSchedule(_schedule_spec(row.spec), int(row.position), int(row.edit_version), float(row.updated_at),
                          str(row.updated_by))


def _stored_word(row: Any) -> StoredWord:
    return StoredWord(int(row.id), str(row.list_name), str(row.word), str(row.suggest or ""), int(row.edit_version))


def _check_list(name: str) -> None:
    if name not in WORD_LISTS:
        raise RoomRuleError("list", MSG_UNKNOWN_LIST, name=name)


class RoomRules:
    """The room rules of one database, through the `CatalogStore`'s retrying transactions."""

    def __init__(self, store: CatalogStore) -> None:
        self.store = store

    # ---------------------------------------------------------------- reads
    def version(self) -> int:
        def run(conn: Connection) -> int:
            value = conn.execute(select(RoomRulesMeta.version).where(RoomRulesMeta.id == 1)).scalar_one_or_none()
            return int(value or 0)

        return self.store._read_one("room_rules_version", run)

    def data(self) -> RoomRulesData:
        """Rules (in firing order), schedules and word lists at one version."""

        def run(conn: Connection) -> RoomRulesData:
            meta = conn.execute(select(RoomRulesMeta.version, RoomRulesMeta.seeded).where(RoomRulesMeta.id == 1)).first()
            rules = conn.execute(select(KeywordRuleRow.spec).order_by(KeywordRuleRow.position, KeywordRuleRow.id)).scalars()
            schedules = conn.execute(select(ScheduleRow.spec).order_by(ScheduleRow.position, ScheduleRow.id)).scalars()
            words = conn.execute(select(WordRow.list_name, WordRow.word, WordRow.suggest).order_by(WordRow.id)).all()
            return RoomRulesData(
                version=int(meta.version) if meta else 0,
                rules=tuple(_rule_spec(s) for s in rules),
                schedules=tuple(_schedule_spec(s) for s in schedules),
                banned=tuple(WordEntry(w.word, w.suggest or "") for w in words if w.list_name == "banned"),
                allow=tuple(w.word for w in words if w.list_name == "allow"),
                blocked=tuple(w.word for w in words if w.list_name == "blocked"),
                seeded=dict(meta.seeded or {}) if meta else {},
            )

        return self.store._read("room_rules", run, consistent=True)

    def rules(self) -> list[StoredRule]:
        return self.store._read("keyword_rules", lambda conn: [
            _stored_rule(r) for r in conn.execute(select(KeywordRuleRow).order_by(KeywordRuleRow.position, KeywordRuleRow.id))
        ])

    def rule(self, rule_id: str) -> StoredRule | None:
        def run(conn: Connection) -> StoredRule | None:
            row = conn.execute(select(KeywordRuleRow).where(KeywordRuleRow.id == rule_id)).first()
            return None if row is None else _stored_rule(row)

        return self.store._read("keyword_rule", run)

    def schedules(self) -> list[StoredSchedule]:
        return self.store._read("schedules", lambda conn: [
            _stored_schedule(r) for r in conn.execute(select(ScheduleRow).order_by(ScheduleRow.position, ScheduleRow.id))
        ])

    def schedule(self, schedule_id: str) -> StoredSchedule | None:
        def run(conn: Connection) -> StoredSchedule | None:
            row = conn.execute(select(ScheduleRow).where(ScheduleRow.id == schedule_id)).first()
            return None if row is None else _stored_schedule(row)

        return self.store._read("schedule", run)

    def words(self, name: str, *, query: str = "", limit: int | None = None, offset: int = 0) -> list[StoredWord]:
        """Entries of a list in the order they were added; ``query`` filters on the folded word."""
        _check_list(name)

        def run(conn: Connection) -> list[StoredWord]:
            stmt = select(WordRow).where(WordRow.list_name == name)
            if query:
                stmt = stmt.where(WordRow.key.contains(fold(query), autoescape=True))
            stmt = stmt.order_by(WordRow.id).offset(offset)
            if limit is not None:
                stmt = stmt.limit(limit)
            return [_stored_word(r) for r in conn.execute(stmt)]

        return self.store._read("words", run)

    def word(self, name: str, word_id: int) -> StoredWord | None:
        def run(conn: Connection) -> StoredWord | None:
            row = conn.execute(select(WordRow).where(WordRow.list_name == name, WordRow.id == word_id)).first()
            return None if row is None else _stored_word(row)

        return self.store._read("word", run)

    def word_counts(self) -> dict[str, int]:
        def run(conn: Connection) -> dict[str, int]:
            rows = conn.execute(select(WordRow.list_name, func.count()).group_by(WordRow.list_name)).all()
            counts = dict.fromkeys(WORD_LISTS, 0)
            counts.update({str(r[0]): int(r[1]) for r in rows})
            return counts

        return self.store._read("word_counts", run)

    def word_filter(self) -> WordFilter:
        """The outbound filter of the banned and allow lists as stored now."""

        def run(conn: Connection) -> WordFilter:
            wanted = WordRow.list_name.in_(("banned", "allow"))
            rows = conn.execute(select(WordRow.list_name, WordRow.word, WordRow.suggest).where(wanted))
            entries, allow = [], []
            for r in rows:
                (entries.append((r.word, r.suggest or "")) if r.list_name == "banned" else allow.append(r.word))
            return WordFilter(entries, allow)

        return self.store._read("word_filter", run)

    # ---------------------------------------------------------------- plumbing
    @staticmethod
    def _bump(conn: Connection) -> int:
        now = time.time()
        done = conn.execute(update(RoomRulesMeta).where(RoomRulesMeta.id == 1)
                            .values(version=RoomRulesMeta.version + 1, updated_at=now))
        if not done.rowcount:
            conn.execute(insert(RoomRulesMeta).values(id=1, version=1, seeded={}, updated_at=now))
        return int(conn.execute(select(RoomRulesMeta.version).where(RoomRulesMeta.id == 1)).scalar_one())

    @staticmethod
    def _check_version(item_id: str, expected: int | None, current: int) -> None:
        if expected is not None and expected != current:
            raise StaleEdit(item_id, expected, current)

    # ---------------------------------------------------------------- keyword rules and schedules
    def save_rule(
        self, spec: RuleSpec, *, create: bool, position: int | None = None, expected_version: int | None = None,
        by: str = "", word_filter: WordFilter | None = None,
    ) -> tuple[StoredRule | None, StoredRule]:
        """Insert (create) or replace a rule; (before, after). Validated again here (with ``word_filter``: banned
        words in replies refused); a duplicate id on create is a RoomRuleError, an unknown id NotFound, a stale
        ``expected_version`` StaleEdit — nothing written in each case."""
        data = rule_from_dict(spec.to_dict(), word_filter=word_filter).to_dict()
        return self._save(KeywordRuleRow, _stored_rule, data, spec.id, create, position, expected_version, by, MAX_RULES)

    def save_schedule(
        self, spec: ScheduleSpec, *, create: bool, position: int | None = None, expected_version: int | None = None,
        by: str = "", word_filter: WordFilter | None = None,
    ) -> tuple[StoredSchedule | None, StoredSchedule]:
        data = schedule_from_dict(spec.to_dict(), word_filter=word_filter).to_dict()
        return self._save(ScheduleRow, _stored_schedule, data, spec.id, create, position, expected_version, by, MAX_RULES)

    def _save(self, table: Any, stored: Any, data: dict[str, Any], item_id: str, create: bool, position: int | None,
              expected: int | None, by: str, limit: int) -> tuple[Any, Any]:
        if position is not None and not 0 <= position <= 1_000_000:
            raise RoomRuleError("position", MSG_NUMBER)

        def run(conn: Connection) -> tuple[Any, Any]:
            row = conn.execute(select(table).where(table.id == item_id).with_for_update()).first()
            before = stored(row) if row is not None else None
            if create and row is not None:
                raise RoomRuleError("id", MSG_DUPLICATE, id=item_id)
            if not create and row is None:
                raise NotFound(f"no rule or schedule '{item_id}'")
            version = self._bump(conn)
            values = {"spec": data, "edit_version": version, "updated_at": time.time(), "updated_by": by}
            if row is None:
                count = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                if count >= limit:
                    raise RoomRuleError("", MSG_LIST_FULL, n=count + 1, max=limit)
                if position is None:
                    last = conn.execute(select(func.max(table.position))).scalar_one_or_none()
                    values["position"] = int(last or 0) + 10
                else:
                    values["position"] = position
                conn.execute(insert(table).values(id=item_id, **values))
            else:
                self._check_version(item_id, expected, int(row.edit_version))
                if position is not None:
                    values["position"] = position
                conn.execute(update(table).where(table.id == item_id).values(**values))
            after = stored(conn.execute(select(table).where(table.id == item_id)).one())
            return before, after

        return self.store._write("save_room_rule", run)

    def delete_rule(self, rule_id: str, *, expected_version: int | None = None) -> StoredRule | None:
        """Delete a rule; the rule as it was (None when there was none)."""
        return self._delete(KeywordRuleRow, _stored_rule, rule_id, expected_version)

    def delete_schedule(self, schedule_id: str, *, expected_version: int | None = None) -> StoredSchedule | None:
        return self._delete(ScheduleRow, _stored_schedule, schedule_id, expected_version)

    def _delete(self, table: Any, stored: Any, item_id: str, expected: int | None) -> Any:
        def run(conn: Connection) -> Any:
            row = conn.execute(select(table).where(table.id == item_id).with_for_update()).first()
            if row is None:
                return None
            self._check_version(item_id, expected, int(row.edit_version))
            conn.execute(delete(table).where(table.id == item_id))
            self._bump(conn)
            return stored(row)

        return self.store._write("delete_room_rule", run)

    # ---------------------------------------------------------------- word lists
    def add_words(self, name: str, entries: Sequence[WordEntry]) -> list[StoredWord]:
        """Add entries to a list (all or nothing): a word already in the list or a list grown past its bound is a
        RoomRuleError and nothing is written. Returns the new entries."""
        _check_list(name)
        limit = LIST_LIMITS[name]
        if len(entries) > limit:  # refused before any per-entry work: a 100k paste costs nothing
            raise RoomRuleError("", MSG_LIST_FULL, n=len(entries), max=limit)
        checked = [check_word(e.word, e.suggest if name == "banned" else "") for e in entries]
        keys = [fold(e.word) for e in checked]
        seen: set[str] = set()
        for entry, key in zip(checked, keys, strict=True):
            if key in seen:
                raise RoomRuleError("word", MSG_WORD_TWICE, word=entry.word)
            seen.add(key)

        def run(conn: Connection) -> list[StoredWord]:
            count = int(conn.execute(select(func.count()).select_from(WordRow).where(WordRow.list_name == name)).scalar_one())
            if count + len(checked) > limit:
                raise RoomRuleError("", MSG_LIST_FULL, n=count + len(checked), max=limit)
            existing = set()
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                query = select(WordRow.key).where(WordRow.list_name == name, WordRow.key.in_(chunk))
                existing |= set(conn.execute(query).scalars())
            clash = next((e for e, k in zip(checked, keys, strict=True) if k in existing), None)
            if clash is not None:
                raise RoomRuleError("word", MSG_WORD_TWICE, word=clash.word)
            if not checked:
                return []
            version = self._bump(conn)
            now = time.time()
            conn.execute(insert(WordRow), [
                {"list_name": name, "word": e.word, "key": k, "suggest": e.suggest, "edit_version": version, "updated_at": now}
                for e, k in zip(checked, keys, strict=True)
            ])
            new = select(WordRow).where(WordRow.list_name == name, WordRow.edit_version == version).order_by(WordRow.id)
            rows = conn.execute(new)
            return [_stored_word(r) for r in rows]

        return self.store._write("add_words", run)

    def update_word(
        self, name: str, word_id: int, entry: WordEntry, *, expected_version: int | None = None
    ) -> tuple[StoredWord, StoredWord]:
        _check_list(name)
        checked = check_word(entry.word, entry.suggest if name == "banned" else "")
        key = fold(checked.word)

        def run(conn: Connection) -> tuple[StoredWord, StoredWord]:
            row = conn.execute(select(WordRow).where(WordRow.list_name == name, WordRow.id == word_id).with_for_update()).first()
            if row is None:
                raise NotFound(f"no entry {word_id} in the {name} list")
            self._check_version(str(row.word), expected_version, int(row.edit_version))
            same = select(WordRow.id).where(WordRow.list_name == name, WordRow.key == key, WordRow.id != word_id)
            other = conn.execute(same).first()
            if other is not None:
                raise RoomRuleError("word", MSG_WORD_TWICE, word=checked.word)
            version = self._bump(conn)
            conn.execute(update(WordRow).where(WordRow.id == word_id).values(
                word=checked.word, key=key, suggest=checked.suggest, edit_version=version, updated_at=time.time()))
            return _stored_word(row), _stored_word(conn.execute(select(WordRow).where(WordRow.id == word_id)).one())

        return self.store._write("update_word", run)

    def delete_word(self, name: str, word_id: int, *, expected_version: int | None = None) -> StoredWord | None:
        _check_list(name)

        def run(conn: Connection) -> StoredWord | None:
            row = conn.execute(select(WordRow).where(WordRow.list_name == name, WordRow.id == word_id).with_for_update()).first()
            if row is None:
                return None
            self._check_version(str(row.word), expected_version, int(row.edit_version))
            conn.execute(delete(WordRow).where(WordRow.id == word_id))
            self._bump(conn)
            return _stored_word(row)

        return self.store._write("delete_word", run)

    # ---------------------------------------------------------------- import (the YAML files) and seeding
    def import_rules(
        self, rules: Sequence[RuleSpec], schedules: Sequence[ScheduleSpec], *, source: str = "", by: str = "import",
        digest: str = "",
    ) -> int:
        """Replace every keyword rule and schedule with these (file order = firing order); returns the version."""
        now = time.time()

        def run(conn: Connection) -> int:
            conn.execute(delete(KeywordRuleRow))
            conn.execute(delete(ScheduleRow))
            version = self._bump(conn)
            pairs: tuple[tuple[Any, Sequence[RuleSpec | ScheduleSpec]], ...] = (
                (KeywordRuleRow, rules), (ScheduleRow, schedules))
            for table, specs in pairs:
                if specs:
                    conn.execute(insert(table), [
                        {"id": s.id, "position": (i + 1) * 10, "spec": s.to_dict(), "edit_version": version,
                         "updated_at": now, "updated_by": by}
                        for i, s in enumerate(specs)
                    ])
            self._mark_seeded(conn, "rules", source, now, digest)
            return version

        return self.store._write("import_rules", run)

    def import_words(
        self, lists: Mapping[str, Iterable[WordEntry]], *, kind: str, source: str = "", digest: str = ""
    ) -> int:
        """Replace the given lists (e.g. banned + allow from ``data/banned_words.yaml``); returns the version."""
        prepared: dict[str, list[WordEntry]] = {}
        for name, given in lists.items():
            _check_list(name)
            entries = list(given)
            if len(entries) > LIST_LIMITS[name]:
                raise RoomRuleError("", MSG_LIST_FULL, n=len(entries), max=LIST_LIMITS[name])
            unique: dict[str, WordEntry] = {}
            for e in entries:
                checked = check_word(e.word, e.suggest if name == "banned" else "")
                unique.setdefault(fold(checked.word), checked)
            if len(unique) > LIST_LIMITS[name]:
                raise RoomRuleError("", MSG_LIST_FULL, n=len(unique), max=LIST_LIMITS[name])
            prepared[name] = list(unique.values())
        now = time.time()

        def run(conn: Connection) -> int:
            version = self._bump(conn)
            for name, entries in prepared.items():
                conn.execute(delete(WordRow).where(WordRow.list_name == name))
                if entries:
                    conn.execute(insert(WordRow), [
                        {"list_name": name, "word": e.word, "key": fold(e.word), "suggest": e.suggest, "edit_version": version,
                         "updated_at": now}
                        for e in entries
                    ])
            self._mark_seeded(conn, kind, source, now, digest)
            return version

        return self.store._write("import_words", run)

    def seeded(self, kind: str) -> dict[str, Any] | None:
        """The last import of ``kind`` ("rules", "banned_words", "moderation"): {source, sha256, at}, or None."""

        def run(conn: Connection) -> dict[str, Any] | None:
            value = conn.execute(select(RoomRulesMeta.seeded).where(RoomRulesMeta.id == 1)).scalar_one_or_none()
            found = (value or {}).get(kind)
            return dict(found) if isinstance(found, dict) else None

        return self.store._read("room_rules_seeded", run)

    @staticmethod
    def _mark_seeded(conn: Connection, kind: str, source: str, now: float, digest: str) -> None:
        current = conn.execute(select(RoomRulesMeta.seeded).where(RoomRulesMeta.id == 1)).scalar_one_or_none() or {}
        marked = {**dict(current), kind: {"source": source, "sha256": digest, "at": now}}
        conn.execute(update(RoomRulesMeta).where(RoomRulesMeta.id == 1).values(seeded=marked))
