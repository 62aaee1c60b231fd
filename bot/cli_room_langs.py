"""The start lines of `livereply run` about the room's main language and fallback policy: the value and where it
came from — the console ("控制台设置，2026-12-03 10:40 由 alice 修改"), a flag, a variable or the default, as
`livereply config` names the sources (bot/room_lang_start.py decides; this module only says it, in the terminal's
language: gettext domain ``cli``)."""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

from bot import cli_i18n
from bot.cli_i18n import N_
from bot.cli_i18n import gettext as _
from bot.config import ENV_PREFIX, flag_of
from bot.room_lang_start import RoomLangStart, SettingOrigin, when_text

__all__ = ["LABELS", "lang_label", "origin_text", "room_lang_lines", "value_text"]

# the start line's label of each setting (msgids of the `cli` domain)
LABELS = {"main_lang": N_("main lang"), "lang_fallback": N_("fallback")}
POLICIES = {
    "en": N_("answer in English"),
    "main": N_("answer in the main language"),
    "staff": N_("hand it to staff"),
}


@cache
def _language_name(code: str, ui: str) -> str:
    try:
        locale = Locale.parse(ui)
    except (ValueError, UnknownLocaleError):
        return code
    name = locale.languages.get(code) or locale.languages.get(code.split("-", 1)[0])
    return str(name) if name else code


def lang_label(code: str) -> str:
    """"中文 (zh)" / "Chinese (zh)": the language's name in the terminal's language, and its code."""
    return f"{_language_name(code, cli_i18n.current())} ({code})"


def value_text(name: str, value: str) -> str:
    if name == "main_lang":
        return lang_label(value)
    return _(POLICIES[value]) if value in POLICIES else value


def origin_text(origin: SettingOrigin) -> str:
    """Where the value comes from: the console (who, when), a flag, a variable or the default."""
    if origin.source == "console" and origin.stored is not None:
        return _("console setting, %(when)s by %(who)s") % {
            "when": when_text(origin.stored.changed_at), "who": origin.stored.changed_by}
    if origin.source == "flag":
        return _("flag %(flag)s") % {"flag": flag_of(origin.name)}
    if origin.source == "env":
        return _("variable %(variable)s") % {"variable": ENV_PREFIX + origin.name.upper()}
    return _("default")


def room_lang_lines(start: RoomLangStart) -> list[str]:
    """One line per setting, "• main lang  Chinese (zh) (console setting, 2026-12-03 10:40 by alice)", and what a
    stored value that was not used is waiting for."""
    lines = []
    ignored = dict(start.ignored)
    for origin in start.origins:
        said = _("%(value)s (%(origin)s)") % {"value": value_text(origin.name, origin.value),
                                               "origin": origin_text(origin)}
        kept = origin.stored
        if origin.name in ignored:
            said += _("; the console's %(value)s is not one of the room languages: not used") % {
                "value": value_text(origin.name, ignored[origin.name])}
        elif origin.source != "console" and kept is not None and kept.value != origin.value:
            said += _("; the console's %(value)s (%(when)s by %(who)s) applies when started without it") % {
                "value": value_text(origin.name, kept.value), "when": when_text(kept.changed_at), "who": kept.changed_by}
        lines.append(f"• {cli_i18n.ljust(_(LABELS[origin.name]), 10)} {said}")
    return lines
