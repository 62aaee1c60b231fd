"""What staff read for an intent: its description in their UI language ("问价格") rather than its name
(`ask_price`); the name stays beside it, secondary. Without a description the name is all there is.

    descriptions = intent_descriptions("data/intents.yaml")   # {name: {lang: text}}, file order; re-read on change
    intent_label("ask_price", descriptions, "zh_CN")          # "问价格"
    intent_choice("ask_price", descriptions, "zh_CN")         # "问价格 (ask_price)"
    intent_tag("ask_price", descriptions, "zh_CN")            # escaped HTML: the description, the name small
    intent_actions("data/intents.yaml")                       # {name: action}: what the bot does with each intent

Intents whose action is silent or staff (chit_chat, spam, complaint) are never auto-answered (bot/pipeline.py): the
FAQ editor lists them apart (`split_options`) and warns about a FAQ filed under one (`intent_warning`).

The intent file is staff-editable (the console's Intents page), so everything taken from it is escaped here or by
Jinja's autoescape. A missing or broken file gives no descriptions (names only); the Intents page reports the error.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from markupsafe import Markup

from bot.console import i18n
from bot.console.i18n import N_
from bot.console.i18n import gettext as _
from models.intents import IntentFileError, read_intent_file

__all__ = [
    "NOT_ANSWERED_ACTIONS",
    "OTHER_INTENT",
    "intent_actions",
    "intent_choice",
    "intent_descriptions",
    "intent_label",
    "intent_options",
    "intent_tag",
    "intent_warning",
    "split_options",
]

log = logging.getLogger(__name__)

# the FAQ editor's "other…" choice: the intent name is then taken from the text field next to the list
OTHER_INTENT = "*other*"
# what the bot does with a comment of such an intent instead of answering it (models/intents.py ACTIONS)
NOT_ANSWERED_ACTIONS = {"silent": N_("stays silent"), "staff": N_("hands to staff")}
_WARNINGS = {
    "silent": N_(
        "This FAQ is filed under “%(intent)s”, an intent the bot stays silent on: comments it takes for that intent "
        "get no automatic answer, so this FAQ is rarely answered. Choose what the question asks (e.g. asks the price) "
        "for the bot to answer it."
    ),
    "staff": N_(
        "This FAQ is filed under “%(intent)s”, an intent the bot hands to staff: comments it takes for that intent "
        "get no automatic answer, so this FAQ is rarely answered. Choose what the question asks (e.g. asks the price) "
        "for the bot to answer it."
    ),
}

Descriptions = Mapping[str, Mapping[str, str]]
Options = list[tuple[str, str]]
_Read = tuple[dict[str, dict[str, str]], dict[str, str]]  # descriptions, actions

_cache: dict[str, tuple[tuple[int, int], _Read]] = {}
_lock = threading.Lock()


def _description(item: Mapping[str, Any]) -> dict[str, str]:
    raw = item.get("description") or {}
    if not isinstance(raw, Mapping):  # a plain string is read as English, as on the Intents page
        raw = {"en": raw}
    return {str(lang): str(text).strip() for lang, text in raw.items() if text is not None and str(text).strip()}


def _read(path: str | Path) -> _Read:
    """The intent file's descriptions and actions; cached until the file's mtime or size changes."""
    key = str(path)
    try:
        st = os.stat(key)
    except OSError:
        return {}, {}
    stamp = (st.st_mtime_ns, st.st_size)
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
    try:
        items = [item for item in read_intent_file(key)["intents"] if isinstance(item, Mapping) and "name" in item]
    except (IntentFileError, OSError) as exc:
        log.debug("intent descriptions unavailable: %s", exc)
        return {}, {}
    out = (
        {str(item["name"]): _description(item) for item in items},
        {str(item["name"]): str(item.get("action") or "answer") for item in items},
    )
    with _lock:
        _cache[key] = (stamp, out)
    return out


def intent_descriptions(path: str | Path) -> dict[str, dict[str, str]]:
    """{intent name: {lang: description}} in file order; cached until the file's mtime or size changes."""
    return _read(path)[0]


def intent_actions(path: str | Path) -> dict[str, str]:
    """{intent name: action} (answer / recommend / staff / silent; answer where the file names none)."""
    return _read(path)[1]


def _ui_lang(ui: str | None) -> str:
    return "zh" if (ui or i18n.current()).lower().startswith("zh") else "en"


def intent_label(name: str, descriptions: Descriptions, ui: str | None = None) -> str:
    """The intent's description in the UI language (zh for zh_CN, else en), else in the other of the two, else its name."""
    texts = descriptions.get(name) or {}
    lang = _ui_lang(ui)
    other = "en" if lang == "zh" else "zh"
    return texts.get(lang) or texts.get(other) or name


def intent_choice(name: str, descriptions: Descriptions, ui: str | None = None) -> str:
    """An intent in a drop-down: "问价格 (ask_price)"; just the name when it has no description."""
    label = intent_label(name, descriptions, ui)
    return name if label == name else f"{label} ({name})"


def intent_tag(name: str | None, descriptions: Descriptions, ui: str | None = None) -> Markup:
    """An intent in a table or a fact list: the description, the name small after it (and as its tooltip)."""
    if not name:
        return Markup("")
    label = intent_label(name, descriptions, ui)
    if label == name:
        return Markup('<code class="intent-id">{}</code>').format(name)
    return Markup('<span class="intent" title="{}">{}</span> <small class="intent-id">{}</small>').format(name, label, name)


def intent_options(
    descriptions: Descriptions, used: Iterable[str], current: str = "", ui: str | None = None
) -> list[tuple[str, str]]:
    """(value, label) for the FAQ editor's intent list: the intent file's intents in file order, then names FAQs
    use that the file lacks, then the current value if it is neither (a new name typed under "other…")."""
    names = list(descriptions)
    names += sorted(set(used) - set(names))
    if current and current not in names and current != OTHER_INTENT:
        names.append(current)
    return [(n, intent_choice(n, descriptions, ui)) for n in names if n]


def split_options(options: Options, actions: Mapping[str, str]) -> tuple[Options, Options]:
    """`intent_options` split for the FAQ editor: the intents the bot answers (or whose action is unknown), and the
    ones it never auto-answers, each label followed by what the bot does instead ("… (complaint) · 转人工")."""
    answered: Options = []
    never: Options = []
    for value, label in options:
        action = actions.get(value, "answer")
        if action in NOT_ANSWERED_ACTIONS:
            never.append((value, f"{label} · {_(NOT_ANSWERED_ACTIONS[action])}"))
        else:
            answered.append((value, label))
    return answered, never


def intent_warning(name: str | None, descriptions: Descriptions, actions: Mapping[str, str]) -> str:
    """For a FAQ filed under an intent the bot never auto-answers: why it will rarely be answered (in the console's
    language); else ""."""
    action = actions.get(name or "", "answer")
    if not name or action not in _WARNINGS:
        return ""
    return _(_WARNINGS[action]) % {"intent": intent_label(name, descriptions)}
