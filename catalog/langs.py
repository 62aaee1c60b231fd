"""Language tags of catalog texts and the script each language is written in. Pure functions, no I/O.

A catalog text (product name, variant value, FAQ answer template) is filed under a BCP-47 tag: a known ISO 639-1
primary language ("zh", "ja", "pt"), optionally followed by a script or region subtag ("zh-Hant", "pt-BR"). A tag
whose primary language is unknown ("xx", "jp", "cn") is refused when the catalog is saved.

Scripts decide which texts may appear in a reply in a given language: a reply is never allowed to carry letters of a
script its language does not use (Chinese characters in a Thai reply, Hangul in an English one), and a name is only
borrowed from another language when it is written in the viewer's script (an English name in a Spanish reply) or is a
code every shop chat uses ("XL", "42", "500ml").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping

__all__ = [
    "ISO_639_1",
    "LATIN",
    "canonical_tag",
    "foreign_script",
    "is_code",
    "lang_script",
    "pick_tag",
    "primary",
    "usable_in",
]

# Every ISO 639-1 code (the two-letter primary subtags BCP-47 uses for these languages).
ISO_639_1 = frozenset(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo
    es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka
    kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng
    nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su
    sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
    """.split()
)

LATIN = "latin"
# The script a language's replies are written in; every language not listed here is written in Latin letters.
_LANG_SCRIPT: Mapping[str, str] = {
    "zh": "han", "ja": "japanese", "ko": "hangul", "th": "thai", "lo": "lao", "km": "khmer", "my": "myanmar",
    "ar": "arabic", "fa": "arabic", "ur": "arabic", "ps": "arabic", "ug": "arabic", "sd": "arabic", "ku": "arabic",
    "he": "hebrew", "yi": "hebrew", "el": "greek", "hy": "armenian", "ka": "georgian", "am": "ethiopic",
    "ti": "ethiopic", "hi": "devanagari", "mr": "devanagari", "ne": "devanagari", "sa": "devanagari",
    "bn": "bengali", "as": "bengali", "pa": "gurmukhi", "gu": "gujarati", "or": "oriya", "ta": "tamil",
    "te": "telugu", "kn": "kannada", "ml": "malayalam", "si": "sinhala", "bo": "tibetan", "dz": "tibetan",
    "dv": "thaana", "iu": "syllabics", "cr": "syllabics", "ii": "yi",
    **dict.fromkeys("ru uk be bg mk sr kk ky tg mn ba cv ce os tt av kv".split(), "cyrillic"),
}
# Which scripts a reply in a language written in this script may contain besides Latin codes.
_ALLOWED: Mapping[str, frozenset[str]] = {
    "han": frozenset({"han"}),
    "japanese": frozenset({"han", "kana"}),  # kanji + kana; the name must still be filed as Japanese (see usable_in)
    "hangul": frozenset({"hangul", "han"}),  # hanja occur in Korean text
}
_TAG = re.compile(r"^([A-Za-z]{2})(?:[-_]([A-Za-z0-9]{2,8}))?$")
# Latin letter runs a code may contain: size codes, units, sizing systems, a single letter ("A" cup, "T" of T恤).
_CODE_WORD = re.compile(r"(?:x{0,4}[sml]|[2-6]xl|cm|mm|kg|ml|oz|lb|in|eu|us|uk|cn|[a-z])", re.IGNORECASE)
_LATIN_RUN = re.compile(r"[^\W\d_]+")


def primary(tag: str) -> str:
    """"pt-BR" → "pt", "ZH" → "zh"."""
    return re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()


def canonical_tag(tag: str) -> str | None:
    """The tag as stored ("zh", "pt-BR", "zh-Hant"), or None when it is not a known language ("xx", "jp", "zh-")."""
    match = _TAG.match(tag.strip()) if isinstance(tag, str) else None
    if match is None or match.group(1).lower() not in ISO_639_1:
        return None
    lang, sub = match.group(1).lower(), match.group(2)
    if sub is None:
        return lang
    if len(sub) == 4 and sub.isalpha():
        return f"{lang}-{sub.title()}"  # script subtag: Hant, Latn
    return f"{lang}-{sub.upper()}" if sub.isalpha() else f"{lang}-{sub}"  # region: BR, 419


def pick_tag(available: Iterable[str], lang: str) -> str | None:
    """The tag among ``available`` for a viewer writing ``lang``: the same tag, else the same primary language."""
    tags = list(available)
    if lang in tags:
        return lang
    base = primary(lang)
    for tag in tags:
        if primary(tag) == base:
            return tag
    return None


def lang_script(lang: str) -> str:
    """The script replies in ``lang`` are written in ("han", "japanese", "hangul", "thai", ... or "latin")."""
    return _LANG_SCRIPT.get(primary(lang), LATIN)


@functools.lru_cache(maxsize=1 << 14)
def _char_script(char: str) -> str | None:
    """The script of one letter, None for digits, punctuation, symbols and spaces."""
    if not char.isalpha():
        return None
    code = ord(char)
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9D:
        return "kana"
    if 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or code == 0x3005:
        return "han"
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    try:
        name = unicodedata.name(char)
    except ValueError:
        return "other"
    first = name.split(" ", 1)[0]
    table = {
        "LATIN": LATIN, "FULLWIDTH": LATIN, "THAI": "thai", "ARABIC": "arabic", "HEBREW": "hebrew",
        "CYRILLIC": "cyrillic", "GREEK": "greek", "DEVANAGARI": "devanagari", "LAO": "lao", "KHMER": "khmer",
        "MYANMAR": "myanmar", "ARMENIAN": "armenian", "GEORGIAN": "georgian", "ETHIOPIC": "ethiopic",
        "BENGALI": "bengali", "GURMUKHI": "gurmukhi", "GUJARATI": "gujarati", "ORIYA": "oriya", "TAMIL": "tamil",
        "TELUGU": "telugu", "KANNADA": "kannada", "MALAYALAM": "malayalam", "SINHALA": "sinhala", "TIBETAN": "tibetan",
        "THAANA": "thaana", "CANADIAN": "syllabics", "YI": "yi", "HANGUL": "hangul", "CJK": "han",
        "KATAKANA": "kana", "HIRAGANA": "kana",
    }
    return table.get(first, "other")


def scripts_of(text: str) -> set[str]:
    """The scripts of the letters in ``text`` ("XL码" → {"latin", "han"})."""
    return {s for s in map(_char_script, set(text)) if s is not None}  # each distinct letter once (cached)


def foreign_script(text: str, lang: str) -> str | None:
    """A script in ``text`` that a reply in ``lang`` must not contain, or None when the text fits.

    Latin letters are never foreign (size codes, units, brands and currency codes appear in every language's shop
    chat); which Latin *words* may appear is decided where names are chosen (:func:`usable_in`).
    """
    script = lang_script(lang)
    allowed = _ALLOWED.get(script, frozenset({script}))
    for found in sorted(scripts_of(text)):
        if found != LATIN and found not in allowed:
            return found
    return None


def is_code(text: str) -> bool:
    """A value every language writes the same way: a size code, a number, a measure ("XL", "42", "500ml", "M/L")."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if not folded or scripts_of(folded) - {LATIN}:
        return False
    return all(_CODE_WORD.fullmatch(word) for word in _LATIN_RUN.findall(folded))


def usable_in(text: str, lang: str) -> bool:
    """May a name written in *another* language appear in a reply in ``lang``?

    Only a code (:func:`is_code`), or Latin-script text in a Latin-script language (an English product name in a
    Spanish reply). A Chinese name is never borrowed for Japanese (simplified Chinese is not Japanese even where
    the characters overlap), nor an English one for Thai.
    """
    if is_code(text):
        return True
    return lang_script(lang) == LATIN and scripts_of(text) <= {LATIN}
