"""The name of a viewer's language in the staff member's UI language ("ja" → 日语 / Japanese), from Babel's CLDR data.

Used for the language badges of the review queue and the live feed. Pure, cached; an unknown or empty tag is shown
as it is ("xx"), never raises. Also why a language code staff typed for an answer is one the bot never answers in.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from babel import Locale, UnknownLocaleError

from bot.console import i18n
from bot.console.i18n import gettext as _
from bot.console.i18n import quoted_value
from bot.langid import identifiable_languages, is_identifiable, meant_code

__all__ = ["code_for_name", "lang_name", "lang_names", "unidentifiable_problem"]


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


# Names staff type for a language besides CLDR's (日语 / Japanese): the 文 forms, short names, the language's own name.
_MORE_NAMES = {
    "汉语": "zh", "普通话": "zh", "简体中文": "zh", "日本語": "ja", "韩文": "ko", "한국어": "ko",
    "印尼语": "id", "印尼文": "id", "马来文": "ms", "tiếng việt": "vi", "español": "es", "ภาษาไทย": "th",
    "bahasa indonesia": "id", "bahasa melayu": "ms", "português": "pt",
}


@cache
def _codes_by_name() -> dict[str, str]:
    """Typed name (case-folded) -> two-letter code, from the zh and en CLDR names and `_MORE_NAMES`; a Chinese name
    in 语 is also known in 文 (日语 / 日文)."""
    out: dict[str, str] = {}
    for ui in ("en", "zh_Hans_CN"):
        locale = _locale(ui)
        for code, name in (locale.languages.items() if locale is not None else ()):
            if len(code) == 2 and code.isalpha() and code.islower():
                out.setdefault(str(name).casefold(), code)
                if str(name).endswith("语"):
                    out.setdefault(str(name)[:-1] + "文", code)
    out.update(_MORE_NAMES)
    # typed without its accents ("espanol", "portugues", "tieng viet"): the same language
    for name, code in list(out.items()):
        out.setdefault(_plain(name), code)
    return out


def _plain(text: str) -> str:
    """``text`` without its combining accents (Vietnamese đ read as d): "español" → "espanol"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def code_for_name(text: str) -> str | None:
    """The language code staff meant when they typed its name ("日语", "日文", "Japanese" → "ja"), or None."""
    typed = text.strip().casefold()
    return _codes_by_name().get(typed) or _codes_by_name().get(_plain(typed))


def unidentifiable_problem(tag: str) -> str | None:
    """Why an answer filed under the language code ``tag`` would never be sent, or None: the bot only finds viewers
    writing the languages it identifies ("kr" is a code, Kanuri's, but never identified; Korean is "ko"). Names the
    code meant, when a country code was typed, and the supported codes."""
    if is_identifiable(tag):
        return None
    fields = {"lang": quoted_value(tag), "lang_name": lang_name(tag), "codes": ", ".join(identifiable_languages())}
    meant = meant_code(tag)
    if meant is not None:
        return _("%(lang)s (%(lang_name)s) is not a language the bot recognises in comments; did you mean %(code)s "
                 "(%(name)s)? Supported: %(codes)s") % {**fields, "code": meant, "name": lang_name(meant)}
    return _("%(lang)s (%(lang_name)s) is not a language the bot recognises in comments. Supported: %(codes)s") % fields
