"""Context clauses: what a viewer says about themself before the question ("our 8-month-old", "I have oily skin",
"my 2-year-old weighs 16 kg") fills the question's slots; it is not the question (pure; data in one place).

The recogniser reads every attribute word of a comment in text order and the structured answer takes the first one
the product has. A word that *states* the viewer's own value — an age said with its number ("8-month-old",
"10个月的宝宝", "9 tháng tuổi", "2 ขวบ"), a skin type the viewer has ("油皮", "da dầu", "oily skin") — names the
context of the question, and yields to an attribute the comment asks ("can it go in the cabin", "一次用几滴"); alone
it is still the question ("my 8 month old, is it ok for her?", "油皮能用吗"). A weight the viewer gives for a person
("anak aku 2 tahun beratnya 16 kg", "宝宝30斤") with a word of sitting, riding or holding ("masih muat", "还能坐",
"まだ乗れますか") asks the load the product carries, not the product's own weight.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

__all__ = ["CARRY", "CARRY_WORDS", "MAX_LOAD", "asks_load", "order_attributes", "states_value"]

MAX_LOAD = "max_load"

# Words that name a skin type the viewer has (values, not the question "which skin type"): folded forms.
_SKIN_VALUES = (
    "油皮", "干皮", "混油", "混干", "油性皮肤", "干性皮肤", "敏感肌",
    "oily skin", "dry skin", "combination skin",
    "脂性肌", "乾燥肌", "オイリー肌", "混合肌",
    "지성 피부", "건성 피부", "지성", "건성", "복합성",
    "ผิวมัน", "ผิวแห้ง", "ผิวผสม",
    "da dầu", "da dau", "da khô", "da kho", "da hỗn hợp",
    "kulit berminyak", "kulit kering", "kulit kombinasi",
    "piel grasa", "piel seca", "piel mixta",
)
# Attribute keys whose word, said right after a number, states the viewer's value ("8-month-old", "2 ขวบ").
_NUMBERED_KEYS = frozenset({"age_range"})
_NUMBER_BEFORE = re.compile(r"\d\s*[-\s]?\s*$")

# Sitting, riding, lying or holding, said of a person whose weight is given: the product's load is asked ("宝宝30斤还能坐吗",
# "can he ride in it", "masih muat", "ngồi được không"). One list per language, folded forms; "is it under 6kg?"
# (no such word) asks the product's own weight.
CARRY_WORDS: Mapping[str, str] = {
    # 能躺 / 可以躺 / 平躺 ask whether it reclines (bot/attribute_words.py), not the load
    "zh": r"坐|(?<!能)(?<!可以)(?<!平)躺|装得下|承受|撑得住",
    # holding or carrying a person or an amount ("hold him", "carry up to 20kg"), not "easy to carry?"
    "en": r"\b(?:sit|sits|ride|rides|fit in|still fit)\b|\b(?:hold|holds|carry|carries) (?:him|her|them|a|my|up|\d)",
    "ja": r"乗|座れ|耐えられ",
    "ko": r"타도|탈 수|탈수|앉|태울 수",
    "th": r"นั่ง|รับน้ำหนัก|รับได้|รับไหว",
    "vi": r"\b(?:ngồi|ngoi|chở|cho được)\b|chịu được|chiu duoc",
    "id": r"\b(?:duduk|naik|muat|kuat)\b",
    "es": r"\b(?:sentar|sentarse|subir|aguanta|cabe|caben|soporta|puede ir)\b",
}
CARRY = re.compile("|".join(CARRY_WORDS.values()))


def states_value(folded: str, start: int, end: int, key: str) -> bool:
    """Does the attribute word ``folded[start:end]`` (read for ``key``) state the viewer's own value — an age with
    its number before it, or a skin type named — rather than ask for the attribute?"""
    if key in _NUMBERED_KEYS and _NUMBER_BEFORE.search(folded[max(0, start - 4):start]):
        return True
    return key == "skin_type" and folded[start:end] in _SKIN_VALUES


def asks_load(folded: str, person_weight: bool) -> bool:
    """A person's weight given with a word of sitting, riding or holding: the product's max load is asked."""
    return person_weight and bool(CARRY.search(folded))


def order_attributes(read: Sequence[tuple[str, bool]], load: bool) -> list[str]:
    """The attribute keys read (``(key, stated)`` in text order), asked ones first: the load when ``load``, then the
    words that ask, then those that only state the viewer's value (context)."""
    asked = [key for key, stated in read if not stated]
    context = [key for key, stated in read if stated]
    return list(dict.fromkeys([*([MAX_LOAD] if load else []), *asked, *context]))
