"""Keyword rules (关键词回复): staff-written replies that win over matching when they fire.

Data in ``data/rules.yaml``::

    rules:
      - id: how-to-buy
        match: {contains: [怎么买, 在哪买, 链接在哪, how to buy]}     # or exact: [...] / regex: '...'
        reply: {zh: "点下方小黄车就能下单哦", en: "Tap the cart below to order."}
        when: {stage: tee-classic, between: ["19:00", "23:30"]}    # optional
        cooldown_s: 30           # the rule fires at most once per 30 s in a room
        viewer_cooldown_s: 300   # and at most once per viewer per 5 min

Replies use the catalog's placeholder grammar (``{product}``, ``{price}``, ``{stock_summary}`` … of the product on
stage, read live). Matching is pure and bounded: texts are cut to ``MAX_TEXT`` characters, regexes to ``MAX_PATTERN``
characters, and patterns with nested quantifiers (catastrophic backtracking) or that match the empty text (a rule that
matches everything) are refused when the file is loaded.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as dtime
from pathlib import Path

from bot.announcements import Schedule
from bot.datafiles import read_yaml_mapping
from bot.errors import InputFileError
from catalog.templates import TemplateError, parse_template

__all__ = ["KeywordRule", "RuleBook", "load_rules"]

MAX_TEXT = 300
MAX_PATTERN = 200
MAX_RULES = 1000
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold().strip()[:MAX_TEXT]


@dataclass(frozen=True)
class KeywordRule:
    id: str
    reply: Mapping[str, str]  # lang -> template
    exact: frozenset[str] = frozenset()
    contains: tuple[str, ...] = ()
    regex: re.Pattern[str] | None = None
    stage: str | None = None  # only while this product is on stage
    between: tuple[dtime, dtime] | None = None  # only between these local times (may wrap midnight)
    room: str | None = None
    cooldown_s: float = 30.0
    viewer_cooldown_s: float = 300.0

    def matches(self, folded: str) -> bool:
        if folded in self.exact or any(word in folded for word in self.contains):
            return True
        return bool(self.regex is not None and self.regex.search(folded))

    def active(self, *, room: str, stage: str | None, clock: dtime) -> bool:
        if self.room is not None and self.room != room:
            return False
        if self.stage is not None and self.stage != stage:
            return False
        if self.between is not None:
            start, end = self.between
            inside = start <= clock < end if start <= end else (clock >= start or clock < end)
            if not inside:
                return False
        return True


@dataclass
class RuleBook:
    """The rules in file order (the first that fires wins) and their cooldown state (bounded)."""

    rules: Sequence[KeywordRule] = ()
    schedules: Sequence[Schedule] = ()
    _last_fired: dict[tuple[str, str], float] = field(default_factory=dict)
    _viewer_fired: OrderedDict[tuple[str, str, str], float] = field(default_factory=OrderedDict)

    def get(self, rule_id: str) -> KeywordRule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def fire(
        self, *, room: str, user: str, text: str, stage: str | None, now: float, wall: datetime | None = None
    ) -> KeywordRule | None:
        """The rule that answers this comment now (and start its cooldowns), or None."""
        if not self.rules:
            return None
        folded = _fold(text)
        if not folded:
            return None
        clock = (wall or datetime.now()).time()
        for rule in self.rules:
            if not rule.active(room=room, stage=stage, clock=clock) or not rule.matches(folded):
                continue
            if now - self._last_fired.get((room, rule.id), float("-inf")) < rule.cooldown_s:
                return None  # the rule fired moments ago: the room already has the answer
            if now - self._viewer_fired.get((room, rule.id, user), float("-inf")) < rule.viewer_cooldown_s:
                return None
            self._last_fired[(room, rule.id)] = now
            self._viewer_fired[(room, rule.id, user)] = now
            while len(self._viewer_fired) > 50_000:
                self._viewer_fired.popitem(last=False)
            return rule
        return None


def load_rules(path: str | os.PathLike[str]) -> RuleBook:
    """Read ``data/rules.yaml``; every problem is an InputFileError naming the rule and the reason."""
    p, doc = read_yaml_mapping(path, "rules file", "'rules:' and/or 'schedules:'")
    schedules = tuple(_schedule(p, i, item) for i, item in enumerate(_list(p, doc.get("schedules"), "schedules"), 1))
    if len({s.id for s in schedules}) != len(schedules):
        raise InputFileError(p, None, "schedules: duplicate id")
    items = doc.get("rules")
    if items is None:
        return RuleBook((), schedules)
    if not isinstance(items, list) or len(items) > MAX_RULES:
        raise InputFileError(p, None, f"'rules' must be a list of at most {MAX_RULES} rules")
    rules: list[KeywordRule] = []
    seen: set[str] = set()
    for i, item in enumerate(items, 1):
        rule = _rule(p, i, item)
        if rule.id in seen:
            raise InputFileError(p, None, f"rule {i}: duplicate id '{rule.id}'")
        seen.add(rule.id)
        rules.append(rule)
    return RuleBook(tuple(rules), schedules)


def _list(p: Path, value: object, what: str) -> list[object]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_RULES:
        raise InputFileError(p, None, f"'{what}' must be a list of at most {MAX_RULES} entries")
    return value


def _schedule(p: Path, i: int, item: object) -> Schedule:
    def fail(reason: str) -> InputFileError:
        return InputFileError(p, None, f"schedule {i}: {reason}")

    if not isinstance(item, dict):
        raise fail("a mapping with id, every_min and messages")
    sched_id = str(item.get("id") or "").strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", sched_id):
        raise fail("an id of lowercase letters, digits, '-' and '_'")
    try:
        every_min = float(item.get("every_min", 0))
        min_comments = int(item.get("min_comments", 0))
    except (TypeError, ValueError):
        raise fail("every_min (minutes) and min_comments (a count) must be numbers") from None
    if not 1 <= every_min <= 24 * 60:
        raise fail("every_min between 1 and 1440 (a schedule of 0 minutes would flood the room)")
    if min_comments < 0:
        raise fail("min_comments must be >= 0")
    messages = item.get("messages")
    if not isinstance(messages, list) or not messages:
        raise fail("messages: a rotation list of {zh: ..., en: ...}")
    checked: list[dict[str, str]] = []
    for k, message in enumerate(messages, 1):
        if isinstance(message, str):
            message = {"zh": message}
        if not isinstance(message, dict) or not message or not all(isinstance(v, str) and v.strip() for v in message.values()):
            raise fail(f"message {k}: {{zh: ..., en: ...}} with non-empty texts")
        for lang, text in message.items():
            try:
                parse_template(text)
            except TemplateError as exc:
                raise fail(f"message {k} ({lang}): {exc}") from None
        checked.append({str(k2): v for k2, v in message.items()})
    stage = item.get("stage")
    return Schedule(id=sched_id, every_s=every_min * 60, messages=tuple(checked), min_comments=min_comments,
                    stage=str(stage) if stage else None)


def _rule(p: Path, i: int, item: object) -> KeywordRule:
    def fail(reason: str) -> InputFileError:
        return InputFileError(p, None, f"rule {i}: {reason}")

    if not isinstance(item, dict):
        raise fail("a mapping with id, match and reply")
    rule_id = str(item.get("id") or "").strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", rule_id):
        raise fail("an id of lowercase letters, digits, '-' and '_'")
    match = item.get("match")
    if not isinstance(match, dict) or not set(match) <= {"exact", "contains", "regex"} or not match:
        raise fail("match: exact: [...], contains: [...] and/or regex: '...'")
    exact = _words(match.get("exact"), fail, "match.exact")
    contains = _words(match.get("contains"), fail, "match.contains")
    regex = None
    if match.get("regex") is not None:
        pattern = match["regex"]
        if not isinstance(pattern, str) or not pattern or len(pattern) > MAX_PATTERN:
            raise fail(f"match.regex: a pattern of 1–{MAX_PATTERN} characters")
        if _NESTED_QUANTIFIER.search(pattern):
            raise fail("match.regex has a nested quantifier like (a+)+ (catastrophic backtracking): rewrite it")
        try:
            regex = re.compile(pattern, re.I)
        except re.error as exc:
            raise fail(f"match.regex does not compile: {exc}") from None
        if regex.search(""):
            raise fail("match.regex matches every comment")
    if not exact and not contains and regex is None:
        raise fail("match needs at least one word or a regex")
    reply = item.get("reply")
    if isinstance(reply, str):
        reply = {"zh": reply}
    if not isinstance(reply, dict) or not reply or not all(isinstance(v, str) and v.strip() for v in reply.values()):
        raise fail("reply: {zh: ..., en: ...} with at least one non-empty text")
    for lang, text in reply.items():
        try:
            parse_template(text)
        except TemplateError as exc:
            raise fail(f"reply ({lang}): {exc}") from None
    when = item.get("when") or {}
    if not isinstance(when, dict):
        raise fail("when: {stage: <product id>, between: ['HH:MM', 'HH:MM']}")
    between = None
    if when.get("between") is not None:
        try:
            start, end = (dtime.fromisoformat(str(t)) for t in when["between"])
        except (TypeError, ValueError):
            raise fail("when.between: two times like ['19:00', '23:30']") from None
        between = (start, end)
    try:
        cooldown = float(item.get("cooldown_s", 30))
        viewer_cooldown = float(item.get("viewer_cooldown_s", 300))
    except (TypeError, ValueError):
        raise fail("cooldown_s / viewer_cooldown_s must be numbers of seconds") from None
    if not 0 <= cooldown <= 86_400 or not 0 <= viewer_cooldown <= 86_400:
        raise fail("cooldowns between 0 and 86400 s")
    return KeywordRule(
        id=rule_id, reply={str(k): v for k, v in reply.items()}, exact=frozenset(exact), contains=tuple(contains),
        regex=regex, stage=str(when["stage"]) if when.get("stage") else None, between=between,
        room=str(item["room"]) if item.get("room") else None, cooldown_s=cooldown, viewer_cooldown_s=viewer_cooldown,
    )


def _words(value: object, fail: Callable[[str], InputFileError], what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise fail(f"{what}: a list of words")
    words = [_fold(w) for w in value]
    if any(not w for w in words):
        raise fail(f"{what}: an empty word would match every comment")
    return words
