"""The room rules' forms (keyword rules, scheduled messages, word lists): reading them into the YAML shape that
`catalog.room_rules` validates (the same checks as the files), showing refusals in the staff member's language, and
every save through `RoomRules` into the audit log with the object before and after.

No HTTP here (views/room_rules.py); pure parsing plus the audited writes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.console import catalog_text
from bot.console.editing import Actor
from bot.console.i18n import N_, labelled
from bot.console.i18n import gettext as _
from bot.console.lang_names import unidentifiable_problem
from catalog import room_rules as rr
from catalog.accounts import Accounts
from catalog.room_rules import RoomRuleError, RoomRules, RuleSpec, ScheduleSpec, StoredRule, StoredSchedule, WordEntry
from catalog.wordfilter import WordFilter

log = logging.getLogger(__name__)

LANGS = ("zh", "en")
BLANK_MESSAGE_ROWS = 3  # empty rotation rows under the schedule's messages
BLANK_WORD_ROWS = 5  # empty rows of the "add words" form
MAX_BULK_LINES = rr.MAX_WORDS  # a pasted list longer than the list's bound is refused before anything is read

# catalog.room_rules' reasons, marked for translation (tests/test_room_rules_console.py checks the list is complete)
REASONS = {
    rr.MSG_ID: N_("an id of lowercase letters, digits, '-' and '_' (at most 64 characters)"),
    rr.MSG_DUPLICATE: N_("'%(id)s' already exists"),
    rr.MSG_MAPPING: N_("a mapping with %(keys)s"),
    rr.MSG_MATCH_KEYS: N_("match: exact: [...], contains: [...] and/or regex: '...'"),
    rr.MSG_WORDS: N_("a list of at most %(max)d words"),
    rr.MSG_EMPTY_WORD: N_("an empty word would match every comment"),
    rr.MSG_REGEX_LEN: N_("a pattern of 1–%(max)d characters"),
    rr.MSG_NESTED: N_("nested quantifier like (a+)+ (catastrophic backtracking): rewrite it"),
    rr.MSG_REGEX_COMPILE: N_("does not compile: %(error)s"),
    rr.MSG_MATCH_ALL: N_("matches every comment"),
    rr.MSG_NO_MATCH: N_("match needs at least one word or a regex"),
    rr.MSG_REPLY: N_("{zh: ..., en: ...} with at least one non-empty text"),
    rr.MSG_TEMPLATE_LONG: N_("a text of at most %(max)d characters"),
    rr.MSG_TEMPLATE: "%(error)s",
    rr.MSG_BANNED: N_("contains the banned word 「%(word)s」 at character %(position)d"),
    rr.MSG_BANNED_SUGGEST: N_("contains the banned word 「%(word)s」 at character %(position)d; write 「%(suggest)s」 instead"),
    rr.MSG_BETWEEN: N_("two times like 19:00 and 23:30"),
    rr.MSG_WHEN: N_("when: {stage: <product id>, between: ['HH:MM', 'HH:MM']}"),
    rr.MSG_NUMBER: N_("must be a number"),
    rr.MSG_COOLDOWN: N_("cooldowns between 0 and 86400 s"),
    rr.MSG_EVERY_MIN: N_("every_min between 1 and 1440 minutes (a schedule of 0 minutes would flood the room)"),
    rr.MSG_MIN_COMMENTS: N_("min_comments: a whole number >= 0"),
    rr.MSG_MESSAGES: N_("a rotation list of 1–%(max)d messages {zh: ..., en: ...} with non-empty texts"),
    rr.MSG_LIST: N_("'%(what)s' must be a list of at most %(max)d entries"),
    rr.MSG_WORD: N_("a word of 1–%(max)d characters"),
    rr.MSG_WORD_TWICE: N_("「%(word)s」 is already in the list"),
    rr.MSG_LIST_FULL: N_("the list would have %(n)d entries; at most %(max)d are allowed"),
    rr.MSG_UNKNOWN_LIST: N_("unknown word list '%(name)s'"),
}

# Python's words for the usual regex mistakes (re.error), said in the staff member's language; others stay as they are
REGEX_ERRORS = {
    "missing ), unterminated subpattern": N_("a ( without its )"),
    "unbalanced parenthesis": N_("a ) without its ("),
    "nothing to repeat": N_("a *, + or ? with nothing before it to repeat"),
    "multiple repeat": N_("two repeats in a row, like ** or +*"),
    "unterminated character set": N_("a [ without its ]"),
    "bad escape (end of pattern)": N_("a \\ at the end with nothing after it"),
    "min repeat greater than max repeat": N_("a {m,n} with m greater than n"),
}
_REGEX_ERROR = re.compile(r"(?P<what>.+?)(?: at position (?P<pos>\d+))?")


def regex_error(error: str) -> str:
    """`re.error`'s text ("missing ), unterminated subpattern at position 0") in the staff member's language
    ("「(」没有对应的「)」（第 1 个字符处）"); one it does not know stays as Python says it."""
    found = _REGEX_ERROR.fullmatch(error.strip())
    what = REGEX_ERRORS.get(found.group("what")) if found else None
    if found is None or what is None:
        return error
    said = _(what)
    if found.group("pos") is not None:
        said += _(" (at character %(n)d)") % {"n": int(found.group("pos")) + 1}
    return said


FIELD_LABELS = {
    "id": N_("id"), "match": N_("Match"), "exact": N_("Exact words"), "contains": N_("Contained words"),
    "regex": N_("Regular expression"), "reply": N_("Reply"), "when": N_("When"), "between": N_("Between"),
    "cooldown_s": N_("Room cooldown (s)"), "viewer_cooldown_s": N_("Viewer cooldown (s)"), "every_min": N_("Every (minutes)"),
    "min_comments": N_("Only after (comments)"), "messages": N_("Messages"), "word": N_("Word"),
    "suggest": N_("Suggestion"), "position": N_("Order"), "list": N_("Word list"),
}

LIST_TITLES = {
    "banned": N_("Banned words (outbound)"), "allow": N_("Allowed phrases"), "blocked": N_("Blocked words (inbound)"),
}


# the audit log's actions and targets of these pages (shown through the `word` filter, like the catalog's)
AUDIT_WORDS = (
    N_("rule.create"), N_("rule.update"), N_("rule.delete"), N_("schedule.create"), N_("schedule.update"),
    N_("schedule.delete"), N_("words.add"), N_("word.update"), N_("word.delete"), N_("keyword_rule"), N_("schedule"),
    N_("word_list"),
)


def field_label(name: str) -> str:
    """reply_zh → "Reply (zh)", message2_en → "Message 2 (en)", cooldown_s → "Room cooldown (s)"."""
    for prefix, label in (("reply_", N_("Reply")), ("message", N_("Message"))):
        if name.startswith(prefix) and name[-3:-2] == "_" and re.fullmatch(r"[a-z]{2}", name[-2:]):
            number = name[len(prefix):-3]
            head = _(label) + (f" {number}" if number else "")
            return f"{head} ({name[-2:]})"
    return _(FIELD_LABELS[name]) if name in FIELD_LABELS else name


def explain(exc: RoomRuleError) -> str:
    """A refusal in the staff member's language: "<field>: <reason>"."""
    params = dict(exc.params)
    if exc.template == rr.MSG_TEMPLATE:
        reason = catalog_text.translate(str(params.get("error", "")))
    elif exc.template == rr.MSG_REGEX_COMPILE:
        reason = _(REASONS[exc.template]) % {"error": regex_error(str(params.get("error", "")))}
    else:
        template = REASONS.get(exc.template)
        reason = (_(template) % params if params else _(template)) if template else exc.reason
    return labelled(field_label(exc.field), reason) if exc.field else reason


def _lines(text: str) -> list[str]:
    return [line.strip() for line in str(text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def _get(form: Mapping[str, Any], key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


def position_of(form: Mapping[str, Any]) -> int | None:
    raw = _get(form, "position")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 7:
        raise RoomRuleError("position", rr.MSG_NUMBER)
    return int(raw)


# ------------------------------------------------------------------------------------------- keyword rules


@dataclass
class RuleForm:
    """What the rule editor shows (also re-shown with the staff member's input after a refused save)."""

    id: str = ""
    position: str = ""
    exact: str = ""
    contains: str = ""
    regex: str = ""
    reply_zh: str = ""
    reply_en: str = ""
    # replies in the room's other languages ({"ja": "…"}): shown as `reply_<lang>` fields, kept on save; a new one
    # from the `reply_new_lang` / `reply_new_text` pair (a cross-border room: docs/rules.md)
    other_replies: dict[str, str] = field(default_factory=dict)
    stage: str = ""
    between_start: str = ""
    between_end: str = ""
    room: str = ""
    cooldown_s: str = "30"
    viewer_cooldown_s: str = "300"

    @classmethod
    def from_stored(cls, stored: StoredRule) -> RuleForm:
        s = stored.spec
        return cls(
            id=s.id, position=str(stored.position), exact="\n".join(s.exact), contains="\n".join(s.contains),
            regex=s.regex or "", reply_zh=s.reply.get("zh", ""), reply_en=s.reply.get("en", ""), stage=s.stage or "",
            other_replies={lang: text for lang, text in s.reply.items() if lang not in ("zh", "en")},
            between_start=s.between[0] if s.between else "", between_end=s.between[1] if s.between else "",
            room=s.room or "", cooldown_s=f"{s.cooldown_s:g}", viewer_cooldown_s=f"{s.viewer_cooldown_s:g}",
        )

    @classmethod
    def from_form(cls, form: Mapping[str, Any], rule_id: str | None = None) -> RuleForm:
        values = {name: str(form.get(name) or "") for name in cls.__dataclass_fields__ if name != "other_replies"}
        values = {k: v if k in ("exact", "contains") else v.strip() for k, v in values.items()}
        if rule_id:
            values["id"] = rule_id
        other: dict[str, str] = {}
        for key in form:
            lang = key.removeprefix("reply_")
            if key.startswith("reply_") and lang not in ("zh", "en", "new_lang", "new_text"):
                other[lang] = str(form.get(key) or "").strip()
        new_text = str(form.get("reply_new_text") or "").strip()
        if new_text:  # an unknown language code is refused by rule_from_dict, next to the reply
            other[str(form.get("reply_new_lang") or "").strip().lower()] = new_text
        return cls(**values, other_replies=other)

    def to_dict(self) -> dict[str, Any]:
        """The rule's YAML shape (what `catalog.room_rules.rule_from_dict` validates)."""
        match: dict[str, Any] = {}
        if _lines(self.exact):
            match["exact"] = _lines(self.exact)
        if _lines(self.contains):
            match["contains"] = _lines(self.contains)
        if self.regex:
            match["regex"] = self.regex
        out: dict[str, Any] = {
            "id": self.id, "match": match or {"contains": []},
            "reply": {
                lang: text
                for lang, text in (("zh", self.reply_zh), ("en", self.reply_en), *self.other_replies.items())
                if text
            },
            "cooldown_s": self.cooldown_s, "viewer_cooldown_s": self.viewer_cooldown_s,
        }
        when: dict[str, Any] = {}
        if self.stage:
            when["stage"] = self.stage
        if self.between_start or self.between_end:
            when["between"] = [self.between_start, self.between_end]
        if when:
            out["when"] = when
        if self.room:
            out["room"] = self.room
        return out

    def labelled(self) -> dict[str, str]:
        """Field label → value, for the stale-save comparison."""
        out = {name: str(getattr(self, name)) for name in self.__dataclass_fields__ if name not in ("id", "other_replies")}
        return out | {f"reply_{lang}": text for lang, text in self.other_replies.items()}


def _check_lang(field_name: str, lang: str, text: str) -> None:
    """Refuse a text filed under a language code the bot never identifies in comments, as the FAQ editor does
    (`unidentifiable_problem`: "kr" is Kanuri's code; did you mean ko (Korean)?): it would never be sent. A key that
    is no two-letter code at all is left to `catalog.room_rules` (its own message, next to the text)."""
    if text and re.fullmatch(r"[a-z]{2}", lang) and (problem := unidentifiable_problem(lang)) is not None:
        raise RoomRuleError(field_name, "%(why)s", why=problem)


def check_reply_langs(values: RuleForm) -> None:
    """A keyword rule's replies: each in a language the bot identifies (`_check_lang`)."""
    for lang, text in values.other_replies.items():
        _check_lang("reply", lang, text)


def check_message_langs(values: ScheduleForm) -> None:
    """A schedule's messages: each in a language the bot identifies (`_check_lang`), as the rules file and the
    keyword rule editor check them; the refusal names the message ("Message 2 (kr)")."""
    for k, message in enumerate((m for m in values.messages if any(m.values())), 1):
        for lang, text in message.items():
            _check_lang(f"message{k}_{lang}", lang, text)


def reply_langs(rules: list[StoredRule]) -> list[str]:
    """The reply columns of the keyword rules list: zh, en, then every other language a rule replies in."""
    extra = sorted({lang for r in rules for lang, text in r.spec.reply.items() if text and lang not in LANGS})
    return [*LANGS, *extra]


def rule_labels() -> dict[str, str]:
    return {
        "position": field_label("position"), "exact": field_label("exact"), "contains": field_label("contains"),
        "regex": field_label("regex"), "reply_zh": field_label("reply_zh"), "reply_en": field_label("reply_en"),
        "stage": _("Product on stage"), "between_start": _("From"), "between_end": _("Until"), "room": _("Room"),
        "cooldown_s": field_label("cooldown_s"), "viewer_cooldown_s": field_label("viewer_cooldown_s"),
    }


# ------------------------------------------------------------------------------------------- schedules


@dataclass
class ScheduleForm:
    id: str = ""
    position: str = ""
    every_min: str = "5"
    min_comments: str = "0"
    stage: str = ""
    # [{zh, en, and any other language a message has (a cross-border room's ja, vi …: a column each, kept on save)}]
    messages: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def from_stored(cls, stored: StoredSchedule) -> ScheduleForm:
        s = stored.spec
        return cls(id=s.id, position=str(stored.position), every_min=f"{s.every_min:g}", min_comments=str(s.min_comments),
                   stage=s.stage or "", messages=[dict.fromkeys(LANGS, "") | dict(m) for m in s.messages])

    @classmethod
    def from_form(cls, form: Mapping[str, Any], schedule_id: str | None = None) -> ScheduleForm:
        langs = [*LANGS, *_message_langs(form)]
        rows = []
        for k in range(1, rr.MAX_MESSAGES + BLANK_MESSAGE_ROWS + 1):
            if not any(f"message{k}_{lang}" in form for lang in langs):
                break
            rows.append({lang: _get(form, f"message{k}_{lang}") for lang in langs})
        return cls(id=schedule_id or _get(form, "id"), position=_get(form, "position"), every_min=_get(form, "every_min"),
                   min_comments=_get(form, "min_comments"), stage=_get(form, "stage"), messages=rows)

    def langs(self) -> list[str]:
        """The columns of the messages table: zh, en, then every other language a message has."""
        extra = sorted({lang for m in self.messages for lang, text in m.items() if text and lang not in LANGS})
        return [*LANGS, *extra]

    def rows(self) -> list[dict[str, str]]:
        """The messages plus blank rows to add more."""
        langs = self.langs()
        filled = [dict.fromkeys(langs, "") | m for m in self.messages if any(m.values())]
        return filled + [dict.fromkeys(langs, "") for _row in range(BLANK_MESSAGE_ROWS)]

    def to_dict(self) -> dict[str, Any]:
        messages = [{lang: text for lang, text in m.items() if text} for m in self.messages if any(m.values())]
        out: dict[str, Any] = {"id": self.id, "every_min": self.every_min or 0, "min_comments": self.min_comments or 0,
                               "messages": messages}
        if self.stage:
            out["stage"] = self.stage
        return out

    def labelled(self) -> dict[str, str]:
        langs = self.langs()
        texts = "\n".join(" | ".join(m.get(lang, "") for lang in langs) for m in self.messages if any(m.values()))
        return {"position": self.position, "every_min": self.every_min, "min_comments": self.min_comments,
                "stage": self.stage, "messages": texts}


def message_langs(schedules: list[StoredSchedule]) -> list[str]:
    """The message columns of the scheduled messages list: zh, en, then every other language a message has."""
    extra = sorted({lang for s in schedules for m in s.spec.messages for lang, text in m.items() if text and lang not in LANGS})
    return [*LANGS, *extra]


def _message_langs(form: Mapping[str, Any]) -> list[str]:
    """Languages beyond zh/en the posted messages table has columns for (``message<k>_<lang>``)."""
    found = set()
    for key in form:
        head, sep, lang = str(key).partition("_")
        if sep and head.startswith("message") and head[len("message"):].isdigit() and lang not in LANGS:
            found.add(lang)
    return sorted(found)


def schedule_labels() -> dict[str, str]:
    return {"position": field_label("position"), "every_min": field_label("every_min"),
            "min_comments": field_label("min_comments"), "stage": _("Product on stage"), "messages": field_label("messages")}


# ------------------------------------------------------------------------------------------- word lists


def words_from_form(form: Mapping[str, Any], name: str) -> list[WordEntry]:
    """The "add words" form: rows word_N / suggest_N, then the pasted lines ("word | suggestion") — bounded."""
    entries: list[WordEntry] = []
    for k in range(1, BLANK_WORD_ROWS + 1):
        word = _get(form, f"word_{k}")
        if word:
            entries.append(WordEntry(word, _get(form, f"suggest_{k}") if name == "banned" else ""))
    pasted = str(form.get("bulk") or "")
    if pasted.count("\n") >= MAX_BULK_LINES:
        raise RoomRuleError("", rr.MSG_LIST_FULL, n=pasted.count("\n") + 1, max=rr.LIST_LIMITS.get(name, rr.MAX_WORDS))
    for line in _lines(pasted):
        word, _sep, suggest = line.partition("|")
        entries.append(WordEntry(word.strip(), suggest.strip() if name == "banned" else ""))
    return entries


# ------------------------------------------------------------------------------------------- audited writes


def _rule_dict(stored: StoredRule | None) -> dict[str, Any] | None:
    return None if stored is None else {**stored.spec.to_dict(), "position": stored.position}


def _schedule_dict(stored: StoredSchedule | None) -> dict[str, Any] | None:
    return None if stored is None else {**stored.spec.to_dict(), "position": stored.position}


class RulesEditor:
    """Every console write of the room rules: validated by `catalog.room_rules` (with the outbound word filter of
    the database when it is on), written in one transaction (nothing half-applied) and audited."""

    def __init__(self, store: Any, accounts: Accounts, *, check_words: bool = True) -> None:
        self.rules = RoomRules(store)
        self.accounts = accounts
        self.check_words = check_words

    def _filter(self) -> WordFilter | None:
        return self.rules.word_filter() if self.check_words else None

    def _audit(self, actor: Actor, action: str, target_type: str, target_id: str, before: Any, after: Any) -> None:
        self.accounts.audit(username=actor.username, role=actor.role, action=action, target_type=target_type,
                            target_id=target_id, before=before, after=after, ip=actor.ip)
        log.info("%s by %s: %s %s", action, actor.username, target_type, target_id)

    def save_rule(self, actor: Actor, values: RuleForm, *, create: bool, expected_version: int | None) -> StoredRule:
        check_reply_langs(values)
        word_filter = self._filter()
        spec: RuleSpec = rr.rule_from_dict(values.to_dict(), word_filter=word_filter)
        before, after = self.rules.save_rule(spec, create=create, position=position_of(vars(values)),
                                             expected_version=expected_version, by=actor.username, word_filter=word_filter)
        self._audit(actor, "rule.create" if create else "rule.update", "keyword_rule", spec.id, _rule_dict(before),
                    _rule_dict(after))
        return after

    def delete_rule(self, actor: Actor, rule_id: str, expected_version: int | None = None) -> bool:
        before = self.rules.delete_rule(rule_id, expected_version=expected_version)
        if before is not None:
            self._audit(actor, "rule.delete", "keyword_rule", rule_id, _rule_dict(before), None)
        return before is not None

    def save_schedule(
        self, actor: Actor, values: ScheduleForm, *, create: bool, expected_version: int | None
    ) -> StoredSchedule:
        check_message_langs(values)
        word_filter = self._filter()
        spec: ScheduleSpec = rr.schedule_from_dict(values.to_dict(), word_filter=word_filter)
        before, after = self.rules.save_schedule(spec, create=create, position=position_of({"position": values.position}),
                                                 expected_version=expected_version, by=actor.username,
                                                 word_filter=word_filter)
        self._audit(actor, "schedule.create" if create else "schedule.update", "schedule", spec.id,
                    _schedule_dict(before), _schedule_dict(after))
        return after

    def delete_schedule(self, actor: Actor, schedule_id: str, expected_version: int | None = None) -> bool:
        before = self.rules.delete_schedule(schedule_id, expected_version=expected_version)
        if before is not None:
            self._audit(actor, "schedule.delete", "schedule", schedule_id, _schedule_dict(before), None)
        return before is not None

    def add_words(self, actor: Actor, name: str, entries: list[WordEntry]) -> int:
        added = self.rules.add_words(name, entries)
        if added:
            self._audit(actor, "words.add", "word_list", name, None, {"words": [w.to_dict() for w in added]})
        return len(added)

    def update_word(self, actor: Actor, name: str, word_id: int, entry: WordEntry, expected_version: int | None) -> None:
        before, after = self.rules.update_word(name, word_id, entry, expected_version=expected_version)
        self._audit(actor, "word.update", "word_list", name, before.to_dict(), after.to_dict())

    def delete_word(self, actor: Actor, name: str, word_id: int, expected_version: int | None = None) -> bool:
        before = self.rules.delete_word(name, word_id, expected_version=expected_version)
        if before is not None:
            self._audit(actor, "word.delete", "word_list", name, before.to_dict(), None)
        return before is not None
