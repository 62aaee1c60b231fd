"""The terminal's language: what `livereply demo`, `run`, `eval` and `worker` print for people (start lines, the live
transcript, the session summary) in Chinese or English.

Source strings are English, marked in bot/cli.py and bot/replay.py with ``_`` / ``N_`` / ``ngettext`` of this
module; ``bot/locale/zh_CN/LC_MESSAGES/cli.po`` translates them (gettext domain ``cli``, compiled to ``cli.mo`` and
committed; the console's own catalogs, domain ``messages``, are separate). Extraction and compilation, by hand:

    pybabel extract -F babel-cli.cfg -k _ -k N_ -k ngettext:1,2 -k setting:3 --no-location --sort-output --no-wrap \
        --project=LiveReply --version=0.1 -o bot/locale/cli.pot .
    pybabel update -i bot/locale/cli.pot -d bot/locale -D cli --no-wrap --ignore-obsolete
    (translate the new msgstrs in bot/locale/zh_CN/LC_MESSAGES/cli.po)
    pybabel compile -d bot/locale -D cli

The language is the ``ui_lang`` setting (``--ui-lang`` / ``LIVEREPLY_UI_LANG``): ``zh``, ``en`` or ``auto``, the
locale of the terminal as gettext reads it (LC_ALL, else LC_MESSAGES, else LANG; LANGUAGE first unless that locale
is C): zh* → Chinese, anything else (C, POSIX, unset, en_US …) → English. Machine-readable output (``--json``) is
never translated; the decision reasons stored in the database stay English (the transcript shows them through the
console's translations, bot/console/reasons.py).
"""

from __future__ import annotations

import gettext as _gettext
import os
import unicodedata
from collections.abc import Mapping
from functools import cache
from pathlib import Path

__all__ = [
    "DOMAIN",
    "LOCALE_DIR",
    "N_",
    "UI_LANGS",
    "current",
    "gettext",
    "ljust",
    "locale_language",
    "ngettext",
    "resolve",
    "rjust",
    "use",
    "width",
]

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "cli"
UI_LANGS = ("auto", "zh", "en")  # the setting's values
CHINESE = "zh_CN"  # the catalog's language
ENGLISH = "en"  # the source strings


def N_(message: str) -> str:
    """Marks a string for extraction; it is translated where it is shown (``gettext(value)``)."""
    return message


def locale_language(env: Mapping[str, str] | None = None) -> str:
    """zh_CN when the terminal's locale for messages is Chinese, else en. The locale is LC_ALL, else LC_MESSAGES,
    else LANG (the first one set); as GNU gettext does, LANGUAGE (a colon-separated list) overrides it unless that
    locale is C / POSIX, and its first entry decides."""
    env = os.environ if env is None else env
    locale = next((env[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(name)), "")
    base = locale.split(".")[0].split("@")[0]
    if base in ("", "C", "POSIX"):
        return ENGLISH
    preferred = (env.get("LANGUAGE") or "").split(":")[0].strip()
    chosen = preferred or base
    return CHINESE if chosen.lower().startswith("zh") else ENGLISH


def resolve(setting: str, env: Mapping[str, str] | None = None) -> str:
    """The language of the ``ui_lang`` setting: zh → zh_CN, en → en, auto → the locale's (`locale_language`)."""
    value = setting.strip().lower()
    if value == "zh":
        return CHINESE
    if value == "en":
        return ENGLISH
    if value == "auto":
        return locale_language(env)
    raise ValueError(f"--ui-lang must be auto, zh or en, got {setting!r}")


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled ``cli`` catalog of ``lang`` (the English source when there is none)."""
    if lang == ENGLISH:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[lang], fallback=True)


_lang = ENGLISH  # one terminal, one language: set once by the command (bot/cli.py) from the settings


def use(lang: str) -> None:
    """Print in ``lang`` (zh_CN or en) from now on."""
    global _lang
    _lang = lang if lang in (CHINESE, ENGLISH) else ENGLISH


def current() -> str:
    return _lang


def gettext(message: str) -> str:
    return translations(_lang).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_lang).ngettext(singular, plural, n)


def _columns(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK (wide and full-width) characters take two."""
    return sum(_columns(ch) for ch in text)


def ljust(text: str, columns: int) -> str:
    """``text`` padded on the right to ``columns`` terminal columns (cut where it would overflow)."""
    out, used = [], 0
    for ch in text:
        w = _columns(ch)
        if used + w > columns:
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * (columns - used)


def rjust(text: str, columns: int) -> str:
    """``text`` padded on the left to ``columns`` terminal columns (never cut: a number must stay whole)."""
    return " " * max(columns - width(text), 0) + text
