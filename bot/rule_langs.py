"""The languages of the room rules' texts: a keyword rule's reply or a scheduled message filed under a language code
the bot never identifies in comments ("kr" is ISO 639-1 for Kanuri, typed for Korean) would never be sent, as a FAQ
answer under it would not. The rules file (``--rules``, e.g. data/rules.yaml) is refused with the file's line and
the message of the catalog import (`bot.langid.reply_language_problem`: "did you mean ko (Korean)?", the supported
codes); the console's rule and schedule editors refuse it with the translated one (bot/console/rules_forms.py).

`catalog/` must not import `bot/` (the identifier lives here), so this runs on what `catalog.room_rules` validated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.langid import reply_language_problem
from catalog.room_rules import RuleSpec, ScheduleSpec

__all__ = ["LangProblem", "rules_file_language_problems", "rules_language_problems"]


@dataclass(frozen=True)
class LangProblem:
    section: str  # "rules" | "schedules"
    index: int  # the item's place in its section, from 0
    message_index: int | None  # schedules: the message's place in `messages`, from 0
    lang: str
    text: str  # "rule 'how-to-buy' reply (kr): 'kr' (Kanuri) is not a language … did you mean ko (Korean)? …"
    line: int | None = None


def rules_language_problems(rules: Sequence[RuleSpec], schedules: Sequence[ScheduleSpec]) -> list[LangProblem]:
    """Every reply / message filed under a language the bot never identifies, in file order."""
    out: list[LangProblem] = []
    for i, rule in enumerate(rules):
        for lang in rule.reply:
            why = reply_language_problem(lang)
            if why:
                out.append(LangProblem("rules", i, None, lang, f"rule '{rule.id}' reply ({lang}): {why}"))
    for i, schedule in enumerate(schedules):
        for k, message in enumerate(schedule.messages):
            for lang in message:
                why = reply_language_problem(lang)
                if why:
                    out.append(LangProblem("schedules", i, k, lang,
                                           f"schedule '{schedule.id}' message {k + 1} ({lang}): {why}"))
    return out


def rules_file_language_problems(
    path: Path, rules: Sequence[RuleSpec], schedules: Sequence[ScheduleSpec]
) -> list[LangProblem]:
    """`rules_language_problems` with the line of each language key in the file at ``path`` (None when the file
    cannot be read again)."""
    problems = rules_language_problems(rules, schedules)
    if not problems:
        return problems
    try:
        root = yaml.compose(path.read_bytes().decode("utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        root = None
    return [LangProblem(p.section, p.index, p.message_index, p.lang, p.text, _line(root, p)) for p in problems]


def _value(node: Node | None, key: str) -> tuple[Node | None, Node | None]:
    """(key node, value node) of ``key`` in a mapping node, else (None, None)."""
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == key:
                return k, v
    return None, None


def _item(node: Node | None, index: int) -> Node | None:
    if isinstance(node, SequenceNode) and 0 <= index < len(node.value):
        return node.value[index]
    return None


def _line(root: Node | None, problem: LangProblem) -> int | None:
    """The line of the language key, else of the nearest node above it that was found."""
    _key, section = _value(root, problem.section)
    item = _item(section, problem.index)
    if problem.message_index is None:
        holder_key, holder = _value(item, "reply")
    else:
        holder_key, holder = None, _item(_value(item, "messages")[1], problem.message_index)
    lang_key, _text = _value(holder, problem.lang)
    for node in (lang_key, holder_key, holder, item):
        if node is not None:
            return node.start_mark.line + 1
    return None
