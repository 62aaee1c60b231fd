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
matches everything) are refused when the file is loaded — by the same checks (`catalog.room_rules`) as a save in the
console. The live bot reads its rules from the database (the file is imported into it, see docs/rules.md) and
rebuilds this RuleBook when staff edit them (`compile_book`, cooldowns kept).
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as dtime
from pathlib import Path

from bot.announcements import Schedule
from bot.cli_i18n import N_
from bot.datafiles import read_yaml_mapping
from bot.errors import InputFileError
from catalog.room_rules import RoomRuleError, RuleSpec, ScheduleSpec, compile_regex, fold, rules_from_document
from catalog.wordfilter import WordFilter

__all__ = ["KeywordRule", "RuleBook", "compile_book", "load_rules", "read_rules_document"]


_fold = fold  # NFKC, casefold, trimmed, at most MAX_TEXT characters


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
        rule = self.peek(room=room, text=text, stage=stage, wall=wall)
        if rule is not None:
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

    def peek(
        self, *, room: str | None, text: str, stage: str | None, wall: datetime | None = None
    ) -> KeywordRule | None:
        """The first rule whose words match ``text`` and that is active now, cooldowns aside; nothing is started
        (the console's "try a question"). ``room=None``: a rule of any room."""
        if not self.rules:
            return None
        folded = _fold(text)
        if not folded:
            return None
        clock = (wall or datetime.now()).time()
        for rule in self.rules:
            if rule.active(room=(rule.room or "") if room is None else room, stage=stage, clock=clock) and rule.matches(folded):
                return rule
        return None


def load_rules(path: str | os.PathLike[str], *, word_filter: WordFilter | None = None) -> RuleBook:
    """Read ``data/rules.yaml``; every problem is an InputFileError naming the rule and the reason (the same
    validation as the console's forms: `catalog.room_rules`)."""
    p, doc = read_yaml_mapping(path, N_("rules file"), "'rules:' and/or 'schedules:'")
    rules, schedules = read_rules_document(p, doc, word_filter=word_filter)
    return compile_book(rules, schedules)


def read_rules_document(
    p: Path, doc: dict[str, object], *, word_filter: WordFilter | None = None
) -> tuple[list[RuleSpec], list[ScheduleSpec]]:
    """The validated rules and schedules of a rules file (InputFileError naming the rule and the reason). A reply or
    scheduled message filed under a language the bot never identifies in comments ("kr") is refused with its line,
    like a FAQ answer in the catalog file (bot/rule_langs.py)."""
    from bot.rule_langs import rules_file_language_problems

    try:
        rules, schedules = rules_from_document(doc, word_filter=word_filter)
    except RoomRuleError as exc:
        raise InputFileError(p, None, str(exc)) from None
    problems = rules_file_language_problems(p, rules, schedules)
    if problems:
        more = f" (and {len(problems) - 1} more like it)" if len(problems) > 1 else ""
        raise InputFileError(p, problems[0].line, problems[0].text + more)
    return rules, schedules


def compile_rule(spec: RuleSpec) -> KeywordRule:
    """A validated rule, ready to match (words folded, regex compiled)."""
    between = None
    if spec.between is not None:
        between = (dtime.fromisoformat(spec.between[0]), dtime.fromisoformat(spec.between[1]))
    return KeywordRule(
        id=spec.id, reply=dict(spec.reply), exact=frozenset(_fold(w) for w in spec.exact),
        contains=tuple(_fold(w) for w in spec.contains), regex=compile_regex(spec.regex) if spec.regex else None,
        stage=spec.stage, between=between, room=spec.room, cooldown_s=spec.cooldown_s,
        viewer_cooldown_s=spec.viewer_cooldown_s,
    )


def compile_schedule(spec: ScheduleSpec) -> Schedule:
    return Schedule(id=spec.id, every_s=spec.every_min * 60, messages=tuple(dict(m) for m in spec.messages),
                    min_comments=spec.min_comments, stage=spec.stage)


def compile_book(
    rules: Sequence[RuleSpec], schedules: Sequence[ScheduleSpec], previous: RuleBook | None = None
) -> RuleBook:
    """A RuleBook of these rules (in firing order); with ``previous``, its cooldowns carry over (a reload after a
    staff edit does not let every rule fire again at once)."""
    book = RuleBook(tuple(compile_rule(r) for r in rules), tuple(compile_schedule(s) for s in schedules))
    if previous is not None:
        book._last_fired = previous._last_fired
        book._viewer_fired = previous._viewer_fired
    return book
