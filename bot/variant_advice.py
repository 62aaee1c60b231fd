"""A choice or advice between a product's variants is not a question about a variant's stock (pure).

"my nephew turns 6 next week, castle or dino?" → "castle: 24 left", "처음 써보는데 30ml부터 사는 게 나을까요?" → "30ml
in stock", "da ngam nen chon mau nao shop" → "colours: #01, #05 …", "05 rosewood 웜톤한테 괜찮아요?" → "#05 in stock",
"캐멀 색상 실물이 더 진해요?" → the colours-in-stock FAQ: a value is named (or a kind of value asked for) inside a
question, so the recogniser reads a stock or list question, or the global stock / colours FAQ matches. The viewer asks
which to take or whether one is worth it (bot/advice_words.py ``CHOICE``, ``OR_WORDS``), whether a shade suits a skin
tone (``SKIN_TONE``), or how a colour looks in real life against the photos (the "true_colour" predicates of
bot/property_words.py). A FAQ of the product written for that (the serum's 30-vs-50, the lipstick's shade advice)
answers; the stock of one value, its price or the list of what is left does not (bot/answer_checks.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from bot.advice_words import CHOICE, OR_WORDS, SKIN_TONE, STOCK_WORDS
from bot.value_property import predicate_said
from catalog.text import fold_text, strip_latin_marks

__all__ = [
    "CHOICE_ASKED", "MEASURES_GIVEN", "SKIN_TONE_ASKED", "TRUE_COLOUR_ASKED", "asks_choice", "names_skin_tone",
    "variant_advice",
]

CHOICE_ASKED = "asks which variant to take or whether one is worth it: one variant's stock or price does not answer"
SKIN_TONE_ASKED = "asks whether a shade suits a skin tone: its stock or the list of shades does not answer"
TRUE_COLOUR_ASKED = "asks how a colour looks in real life against the photos: its stock or the colours left do not answer"
# "여자 235 신는데 여성용 맞죠?" (the socks: no size chart to advise from): the viewer's measurements ask whether it fits
MEASURES_GIVEN = "gives the viewer's measurements: asks whether it fits, not whether a variant is left"

_LATIN = re.compile(r"[a-z\u00c0-\u024f\u1e00-\u1eff]", re.I)


def _compile(entries: Iterable[str]) -> re.Pattern[str]:
    """Entries as one pattern: a Latin one as a whole word, a space of another script as any run of spaces or none."""
    parts = []
    for entry in entries:
        entry = unicodedata.normalize("NFKC", entry).replace("\u0e4d\u0e32", "\u0e33")
        latin = _LATIN.search(re.sub(r"\\.", "", entry))  # a letter of the words, not of an escape ("\\S")
        parts.append(rf"(?<![^\W\d_])(?:{entry})(?![^\W\d_])" if latin else entry.replace(" ", r"\s*"))
    return re.compile("|".join(parts))


def _all(table: Mapping[str, tuple[str, ...]]) -> list[str]:
    return [e for words in table.values() for e in words]


_CHOICE = _compile(_all(CHOICE))
_OR = _compile(_all(OR_WORDS))
_STOCK = _compile(_all(STOCK_WORDS))
_SKIN = _compile(_all(SKIN_TONE))


def _forms(text: str) -> tuple[str, str]:
    folded = fold_text(text)
    return folded, strip_latin_marks(folded)


def _said(pattern: re.Pattern[str], forms: tuple[str, str]) -> bool:
    return any(pattern.search(f) for f in forms)


def asks_choice(text: str) -> bool:
    """Does ``text`` ask which variant to take or whether one is worth it ("哪个划算", "should I get the 50ml?",
    "30mlの方がいいですか", "나을까요", "อันไหนดี", "nên chọn", "mending", "conviene"), or name two options with "or"
    and no stock word ("castle or dino?", "城堡款还是恐龙款", but not "any M or L left?")?"""
    forms = _forms(text)
    return _said(_CHOICE, forms) or (_said(_OR, forms) and not _said(_STOCK, forms))


def names_skin_tone(text: str) -> bool:
    """Does ``text`` name a skin tone or undertone (黄皮, warm undertone, イエベ, 웜톤, ผิวสองสี, da ngăm, sawo matang,
    piel morena)?"""
    return _said(_SKIN, _forms(text))


def variant_advice(text: str) -> str | None:
    """The reason a stock, price or list-of-what-is-left answer does not answer ``text``: a skin tone named, a colour's
    look in real life asked, or a choice or advice asked (the most specific first); None when it asks none of these."""
    if names_skin_tone(text):
        return SKIN_TONE_ASKED
    if predicate_said(unicodedata.normalize("NFKC", text or "").casefold(), "true_colour"):
        return TRUE_COLOUR_ASKED
    if asks_choice(text):
        return CHOICE_ASKED
    return None
