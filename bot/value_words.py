"""Words viewers use for a variant value that the catalog does not spell out (for the recogniser, bot/slots.py).

Pure, per product, from the product's own variant words (canonical values, labels, the catalog's synonyms):
- a basic colour word names the product's only value of that hue: "白色" / "white" on shoes sold in 白灰 / white-grey
  and black, "白的" on a jacket in 黑色 / 奶白色 / 藏青色. Never when two values share the hue or another value is
  spelt that way;
- a product alias that starts with a value names that value too: "白T" (an alias of the tee) is the white one;
- relative capacity: "大瓶" / "小杯" / "the bigger one" name the largest / smallest value when every value of the
  attribute is a number with the same unit (30ml / 50ml);
- a shade code's name: "#21奶茶" is also "奶茶" / "奶茶色" / "#21";
- one word of a value's name after the word for its kind, when no other value of the product has that word:
  "màu kem" for the jacket's "trắng kem", "màu xanh" for the bottle's "xanh khói", "rasa madu" for "mentega madu",
  "vị mật ong" for "vị bơ mật ong", "sabor miel" for "miel y mantequilla" (``kind_words``);
- an amount said without its unit after a word that picks one of several ("loại 500", "yang 350", "500的", "el de
  500", "500짜리") when every value of the attribute is an amount of one unit, the number is not another of the
  product's values nor one of its prices (``bare_amounts``).

And, for the recogniser to read at scan time, the numbers viewers say for a shade code ("màu 21", "色号21", "warna 12",
"shade 05", "tono 01", "21番", "21호", "เบอร์ 05" for "#21 …"): ``ShadeNumbers`` rewrites such a number as the code the
catalog spells ("#21"), so the automaton's own "#21" term reads it. A colour word before the number ("màu", "warna",
色号, "shade") says it is a shade; a number word ("no.", "nomor", "số", "เบอร์", 番, 호, 号) only for a number no product
uses as a size, an amount or a price ("sepatu nomor 40" is a shoe size, "เบอร์ 42" too), and Chinese 号 not in a
comment about a date or a delivery ("21号能发货吗" is the 21st).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from catalog.text import fold, strip_latin_marks

__all__ = ["HUES", "ShadeNumbers", "bare_amounts", "derived_words", "hues_of", "kind_words", "shade_stems"]

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


def derived_words(
    words: Mapping[Value, set[str]],
    aliases: Iterable[str],
    labels: Mapping[Value, Mapping[str, str]] | None = None,
    prices: Iterable[float] = (),
) -> dict[str, set[Value]]:
    """Extra (folded) words → the values they name, for one product. ``words``: each value's own folded words;
    ``aliases``: the product's folded names and aliases; ``labels``: each value's names by language (for
    ``kind_words``); ``prices``: the product's prices (a bare number that is one does not name an amount)."""
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
    spelt_by = {w: v for v, own in words.items() for w in own}
    extra = {**kind_words(labels or {}), **bare_amounts(list(words), words, prices)}
    for word, value in extra.items():
        if spelt_by.get(word, value) == value and not out.get(word, {value}) - {value}:
            out.setdefault(word, set()).add(value)
    return out


# The word for a value's kind that comes before its name in a language whose names start with their head: Vietnamese
# "màu kem" (cream colour), "vị mật ong" (honey flavour), Indonesian "warna krem", "rasa madu", Spanish "color azul",
# "sabor miel". Per attribute and label language; words of the label that are these cues, articles and conjunctions
# are not a value's word.
KIND_CUES: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "colour": {"vi": ("màu", "mau"), "id": ("warna",), "es": ("color",)},
    "flavour": {"vi": ("vị",), "id": ("rasa",), "es": ("sabor",)},  # not "vi": Spanish "lo vi bien"
}
_KIND_OF = {"colour": "colour", "color": "colour", "flavour": "flavour", "flavor": "flavour"}
_NOT_A_NAME_WORD = frozenset({
    "màu", "mau", "vị", "vi", "warna", "rasa", "color", "sabor", "de", "del", "y", "e", "con", "la", "el", "và", "va",
    "với", "voi", "dan", "atau", "sin",
})
_KIND_WORDS = frozenset(cue for cues in KIND_CUES.values() for words in cues.values() for cue in words)
_SHADE_PREFIX = re.compile(r"^#\s*\d+\s*")
_WORD_SPLIT = re.compile(r"[\s\-/]+")


def _name_words(label: str) -> list[str]:
    """The words of a (folded) label that may name it, shade code and kind cues left out: "#21 trà sữa" → [trà, sữa]."""
    words = [w for w in _WORD_SPLIT.split(_SHADE_PREFIX.sub("", label)) if w and not w.isdigit()]
    while words and words[0] in _KIND_WORDS:  # "vị muối biển" is named "muối biển" after its cue
        words = words[1:]
    return words if all(len(w) >= 2 or w in _NOT_A_NAME_WORD for w in words) else []


def _ends(words: list[str]) -> set[str]:
    """The runs of words a name starts or ends with, not the whole name, not starting or ending with a word that is not
    a name word: [bơ, mật, ong] → {bơ, bơ mật, ong, mật ong} (Vietnamese compounds span syllables: "mật ong", honey)."""
    out = set()
    for n in range(1, len(words)):
        for run in (words[:n], words[-n:]):
            if run[0] not in _NOT_A_NAME_WORD and run[-1] not in _NOT_A_NAME_WORD:
                out.add(" ".join(run))
    if len(words) == 1 and words[0] not in _NOT_A_NAME_WORD:
        out.add(words[0])
    return out


def _runs(words: list[str]) -> set[str]:
    """Every run of consecutive words of a name."""
    return {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}


def kind_words(labels: Mapping[Value, Mapping[str, str]]) -> dict[str, Value]:
    """"<kind cue> <words>" → the value, for one product: the words a value's name in a language of ``KIND_CUES``
    starts or ends with (with and without their marks), when no other value of the same attribute has those words in
    any of its names. ``labels``: (attribute, canonical value) → language → name."""
    out: dict[str, Value] = {}
    by_attr: dict[str, list[Value]] = {}
    for value in labels:
        if value[0] in _KIND_OF:
            by_attr.setdefault(value[0], []).append(value)
    for attr, values in by_attr.items():
        cues = KIND_CUES[_KIND_OF[attr]]
        owners: dict[str, set[Value]] = {}  # every run of words of every name of the attribute's values, any language
        for value in values:
            for name in (value[1], *labels[value].values()):
                words = _name_words(fold(str(name)))
                for run in _runs(words) | _runs([strip_latin_marks(w) for w in words]):
                    owners.setdefault(run, set()).add(value)
        for value in values:
            for lang, lang_cues in cues.items():
                label = labels[value].get(lang)
                words = _name_words(fold(str(label))) if label else []
                for run in _ends(words) | _ends([strip_latin_marks(w) for w in words]):
                    if owners.get(run) != {value}:
                        continue
                    for cue in lang_cues:
                        out.setdefault(f"{cue} {run}", value)
    return out


# Words that pick one of several amounts when said right before the number ("loại 500", "yang 350", "el de 500",
# "the 350", "ขนาด 350") or right after it ("500的", "500那个", "500のほう", "500짜리").
AMOUNT_BEFORE = ("loại", "loai", "cái", "cai", "bình", "binh", "chai", "yang", "ukuran", "el de", "la de", "los de",
                 "las de", "the", "ขนาด")
AMOUNT_AFTER = ("的", "那个", "那款", "款", "の", "짜리")


def bare_amounts(values: list[Value], words: Mapping[Value, set[str]], prices: Iterable[float] = ()) -> dict[str, Value]:
    """"loại 500" / "500的" … → the value "500ml", for one product: per attribute whose values are all amounts of one
    unit, each amount's number when no other value of the product is that number (a size "500") and no price of the
    product is (a 500-yuan bag), in the product's own words or its prices."""
    out: dict[str, Value] = {}
    taken: set[float] = set()
    for price in prices:
        taken.add(float(price))
    for own in words.values():  # numbers the product's other values are (sizes "42", "38")
        for word in own:
            if re.fullmatch(r"\d+(?:\.\d+)?", word):
                taken.add(float(word))
    by_attr: dict[str, list[Value]] = {}
    for value in values:
        by_attr.setdefault(value[0], []).append(value)
    for attr_values in by_attr.values():
        amounts = _amounts(attr_values)
        if amounts is None:
            continue
        for number, value in amounts.items():
            if number in taken:
                continue
            digits = f"{number:g}"
            for cue in AMOUNT_BEFORE:
                out[f"{cue} {digits}"] = value
                if _NOT_LATIN.search(cue):
                    out[f"{cue}{digits}"] = value  # Thai writes "ขนาด350" too
            for cue in AMOUNT_AFTER:
                out[f"{digits}{cue}"] = value
    return out


def _amounts(values: list[Value]) -> dict[float, Value] | None:
    """Number → value when every value is an amount of one unit and no two are the same number; else None."""
    out: dict[float, Value] = {}
    units = set()
    for value in values:
        m = _AMOUNT.match(value[1].strip().casefold())
        if m is None:
            return None
        out[float(m.group(1))] = value
        units.add(m.group(2))
    if len(out) < 2 or len(out) != len(values) or len(units) != 1:
        return None
    return out


# ------------------------------------------------------------------------- shade numbers (read at scan time)

# A word before the number that says it is a colour ("màu 21", "mã màu 12", "warna 05", "color 12", "tono 01",
# "shade 21", "색상 05", "สี 12", "色号21", "カラー05") …
_SHADE_COLOUR_CUES = ("mã màu", "ma mau", "màu số", "mau so", "màu", "mau", "warna", "shade", "colour", "color", "tono",
                      "색상", "컬러", "สี", "色号", "色號", "カラー")
# … or a number word before or after it ("no. 05", "nomor 21", "número 12", "số 21", "เบอร์ 05", "21番", "21호", "21번",
# "21号"): a number word only for a number the catalog does not use otherwise
_SHADE_NUMBER_CUES = ("nomor", "nomer", "no.", "no", "nr.", "number", "número", "numero", "số", "เบอร์")
_SHADE_AFTER_COLOUR = ("号色", "號色")
_SHADE_AFTER_NUMBER = ("番", "호", "번", "号", "號")
# a Chinese comment about a date or a delivery: its "21号" is the 21st
_DATE_WORDS = re.compile(r"月|日|天|周|星期|礼拜|禮拜|发|發|到|寄|几点|幾點|点|點|开播|開播|直播|前|后|後|截止|活动|活動")


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NOT_LATIN = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
_LATIN_CUES = [w for w in (*_SHADE_COLOUR_CUES, *_SHADE_NUMBER_CUES) if not _NOT_LATIN.search(w)]
_OTHER_CUES = [w for w in (*_SHADE_COLOUR_CUES, *_SHADE_NUMBER_CUES) if w not in _LATIN_CUES]
_SHADE_BEFORE = re.compile(
    r"(?P<cue>(?<![\w.])(?:" + _alternation(_LATIN_CUES) + r")|(?:" + _alternation(_OTHER_CUES) + r"))"
    r"\s*#?\s*(?P<num>\d{1,3})(?![\d]|[.,]\d|[a-zà-ỹ%])",
    re.IGNORECASE,
)
_SHADE_AFTER = re.compile(
    r"(?<![\d#.,])(?P<num>\d{1,3})\s*(?P<cue>" + _alternation((*_SHADE_AFTER_COLOUR, *_SHADE_AFTER_NUMBER)) + ")",
    re.IGNORECASE,
)
_COLOUR_CUE_SET = frozenset((*_SHADE_COLOUR_CUES, *_SHADE_AFTER_COLOUR))


@dataclass(frozen=True)
class ShadeNumbers:
    """The catalog's shade codes by number ("#05" of "#05 hồng đất": 5 → "#05") and the numbers it uses otherwise
    (sizes, amounts, prices): built once per catalog, read once per comment (two regular expressions)."""

    codes: Mapping[int, str] = field(default_factory=dict)
    taken: frozenset[int] = frozenset()

    @classmethod
    def of(cls, codes: Iterable[str], numbers: Iterable[float]) -> ShadeNumbers:
        """``codes``: every folded shade code of the catalog ("#21"); ``numbers``: every number it uses otherwise."""
        by_number: dict[int, set[str]] = {}
        for code in codes:
            digits = code.lstrip("#").strip()
            if digits.isdigit():
                by_number.setdefault(int(digits), set()).add(code)
        return cls(
            codes={n: next(iter(c)) for n, c in by_number.items() if len(c) == 1},  # "#5" and "#05": neither
            taken=frozenset(int(n) for n in numbers if float(n).is_integer()),
        )

    def rewrite(self, text: str) -> str:
        """``text`` (folded) with a number said for a shade code written as that code: "son màu 21 còn ko" →
        "son màu #21 còn ko", "21番は" → "#21番は"; unchanged when the catalog has no shade codes."""
        if not self.codes or not any(ch.isdigit() for ch in text):
            return text
        dated = None

        def code_for(number: str, cue: str) -> str | None:
            nonlocal dated
            n = int(number)
            code = self.codes.get(n)
            if code is None:
                return None
            cue = cue.casefold()
            if cue in _COLOUR_CUE_SET:
                return code
            if n in self.taken:
                return None  # "sepatu nomor 40", "เบอร์ 42": a size
            if cue in ("号", "號"):
                if dated is None:
                    dated = bool(_DATE_WORDS.search(text))
                if dated:
                    return None
            return code

        def before(m: re.Match[str]) -> str:
            code = code_for(m.group("num"), m.group("cue"))
            return m.group(0) if code is None else f"{m.group('cue')} {code}"

        def after(m: re.Match[str]) -> str:
            code = code_for(m.group("num"), m.group("cue"))
            return m.group(0) if code is None else f"{code}{m.group('cue')}"

        return _SHADE_AFTER.sub(after, _SHADE_BEFORE.sub(before, text))


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
