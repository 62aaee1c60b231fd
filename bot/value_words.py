"""Words viewers use for a variant value that the catalog does not spell out (for the recogniser, bot/slots.py).

Pure, per product, from the product's own variant words (canonical values, labels, the catalog's synonyms):
- a basic colour word names the product's only value of that hue: "白色" / "white" on shoes sold in 白灰 / white-grey
  and black, "白的" on a jacket in 黑色 / 奶白色 / 藏青色. Never when two values share the hue or another value is
  spelt that way;
- a product alias that starts with a value names that value too: "白T" (an alias of the tee) is the white one;
- relative capacity: "大瓶" / "小杯" / "the bigger one" name the largest / smallest value when every value of the
  attribute is a number with the same unit (30ml / 50ml);
- a shade code's name: "#21奶茶" is also "奶茶" / "奶茶色" / "#21".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

__all__ = ["HUES", "derived_words", "hues_of", "shade_stems"]

# Basic colour terms: hue -> (Chinese character, English words). Language knowledge, not catalog data.
HUES: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "white": ("白", ("white",)),
    "black": ("黑", ("black",)),
    "red": ("红", ("red",)),
    "grey": ("灰", ("grey", "gray")),
    "blue": ("蓝", ("blue",)),
    "green": ("绿", ("green",)),
    "yellow": ("黄", ("yellow",)),
    "pink": ("粉", ("pink",)),
    "purple": ("紫", ("purple",)),
    "brown": ("棕", ("brown",)),
    "orange": ("橙", ("orange",)),
}
_LATIN_WORD = re.compile(r"[a-z]+")
_AMOUNT = re.compile(r"^(\d+(?:\.\d+)?)\s*(ml|l|g|kg|oz|毫升|升|克|千克)$")
_BIGGER = ("大瓶", "大杯", "大罐", "大支", "大盒", "大袋", "大容量", "big bottle", "large bottle", "bigger one",
           "bigger bottle", "larger one", "larger bottle", "bigger size", "the big one")
_SMALLER = ("小瓶", "小杯", "小罐", "小支", "小盒", "小袋", "小容量", "small bottle", "smaller one", "smaller bottle",
            "smaller size", "the small one")
_SHADE = re.compile(r"^#\s*(\d+)\s*(.+)$")

Value = tuple[str, str]  # (attribute, canonical value)


def hues_of(words: Iterable[str]) -> frozenset[str]:
    """The basic hues named in a value's words: "白灰" / "white-grey" → {white, grey}; "奶白色" → {white}."""
    found: set[str] = set()
    for word in words:
        latin = set(_LATIN_WORD.findall(word))
        for hue, (han, english) in HUES.items():
            if han in word or latin.intersection(english):
                found.add(hue)
    return frozenset(found)


def _hue_words(hue: str) -> set[str]:
    han, english = HUES[hue]
    return {han, f"{han}色", f"{han}的", f"{han}色的", f"{han}款", *english}


def shade_stems(word: str) -> set[str]:
    """"#21奶茶" → {"奶茶", "奶茶色", "#21"}; "#01 true red" → {"true red", "#01"}; other words: nothing."""
    m = _SHADE.match(word.strip())
    if m is None:
        return set()
    number, name = m.group(1), m.group(2).strip()
    out = {f"#{number}"}
    if len(name) >= 2:
        out.add(name)
        if not name.isascii() and not name.endswith("色"):
            out.add(f"{name}色")
    return out


def derived_words(words: Mapping[Value, set[str]], aliases: Iterable[str]) -> dict[str, set[Value]]:
    """Extra (folded) words → the values they name, for one product. ``words``: each value's own folded words;
    ``aliases``: the product's folded names and aliases."""
    out: dict[str, set[Value]] = {}
    by_attr: dict[str, list[Value]] = {}
    for value in words:
        by_attr.setdefault(value[0], []).append(value)
    for values in by_attr.values():
        spelt = {w: v for v in values for w in words[v]}
        hues = {v: hues_of(words[v]) for v in values}
        for hue in set().union(*hues.values()):
            owners = [v for v in values if hue in hues[v]]
            if len(owners) != 1:
                continue  # two values of this hue (白色 and 白灰): the word says not which
            for word in _hue_words(hue):
                if spelt.get(word, owners[0]) == owners[0]:
                    out.setdefault(word, set()).add(owners[0])
        for word, value in _relative_amounts(values).items():
            if word not in spelt:
                out.setdefault(word, set()).add(value)
    for alias in aliases:
        for value, own in words.items():
            if any(alias.startswith(w) and alias != w for w in own):
                out.setdefault(alias, set()).add(value)
    return out


def _relative_amounts(values: list[Value]) -> dict[str, Value]:
    """"大瓶" → the largest of 30ml / 50ml, "小瓶" → the smallest: only when every value is an amount of one unit."""
    amounts: list[tuple[float, Value]] = []
    units = set()
    for value in values:
        m = _AMOUNT.match(value[1].strip().casefold())
        if m is None:
            return {}
        amounts.append((float(m.group(1)), value))
        units.add(m.group(2))
    if len(amounts) < 2 or len(units) != 1 or len({a for a, _ in amounts}) != len(amounts):
        return {}
    amounts.sort()
    return {**dict.fromkeys(_BIGGER, amounts[-1][1]), **dict.fromkeys(_SMALLER, amounts[0][1])}
