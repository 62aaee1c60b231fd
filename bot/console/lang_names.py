"""The name of a viewer's language in the staff member's UI language ("ja" → 日语 / Japanese), from Babel's CLDR data.

Used for the language badges of the review queue and the live feed. Pure, cached; an unknown or empty tag is shown
as it is ("xx"), never raises.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

from bot.console import i18n

__all__ = ["lang_name", "lang_names"]


@cache
def _locale(ui: str) -> Locale | None:
    try:
        return Locale.parse(ui)
    except (ValueError, UnknownLocaleError):
        return None


@cache
def _name(tag: str, ui: str) -> str:
    locale = _locale(ui)
    if locale is None or not tag:
        return tag
    key = tag.replace("-", "_")
    name = locale.languages.get(key) or locale.languages.get(key.split("_", 1)[0].lower())
    return str(name) if name else tag


def lang_name(tag: str | None, ui: str | None = None) -> str:
    """The language's name in `ui` (default: the language of the request being rendered): "ja" → "日语" in zh_CN."""
    return _name((tag or "").strip(), ui or i18n.current())


def lang_names(tags: list[str], ui: str | None = None) -> dict[str, str]:
    """{tag: name} for every tag given."""
    return {t: lang_name(t, ui) for t in tags}
