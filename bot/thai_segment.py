"""Thai text split into the words of a closed lexicon (pure; no dictionary package). Thai runs its words together, so
a short word looked for as a substring straddles two: "คอม" (a computer) in "ผ้าพันคอ|มี" (a scarf | has), "หมา" (a dog)
in "เหมาะ" (suitable), "ภาพ" (a picture) in "คุณภาพ" (quality). Two guards, as in the usual dictionary segmenters
(maximal matching over Thai character clusters):

- a word starts and ends only where a word may: not before a vowel or tone mark written above, below or after its
  consonant (ั ิ ี ึ ื ุ ู ็ ่ ้ ๊ ๋ ์ ะ า ำ ๆ), not after a vowel written before it (เ แ โ ใ ไ), not right after ั (with or
  without its tone mark), which a final consonant always closes. "คอม" would end before the ี of "มี", so it is not a
  word of "ผ้าพันคอมี"; "นก" (a bird) would start at the final น of "ชั้น", so it is not a word of "พื้นชั้นกลาง";
- the split chosen leaves the fewest letters outside the lexicon, then has the fewest words (dynamic programming), so
  a longer known word wins over a short one inside it ("กาต้มน้ำ|หนักกี่" over "กาต้ม|น้ำหนัก…").

Letters no word of the lexicon covers become one unknown word (class ""); a run of other characters (spaces, Latin
letters, digits, punctuation, emoji) is one word of class " ". Linear in the text: each position tries only the lexicon
words it can begin (a prefix set), and no word is longer than the longest of the lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["OTHER", "UNKNOWN", "Lexicon", "at_word_edges", "segment"]

UNKNOWN = ""
OTHER = " "  # not Thai: spaces, Latin, digits, punctuation
# written above, below or after a consonant (and ๆ, written after a word): no word starts before one of these
_NOT_A_START = frozenset("\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e45\u0e46"
                         "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
_LEADING = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")  # เ แ โ ใ ไ: written before the consonant they follow in speech
_HAN_AKAT = "\u0e31"  # ั: a short vowel always closed by a final consonant ("ชั้น|กลาง" holds no "นก", a bird)
_TONES = frozenset("\u0e48\u0e49\u0e4a\u0e4b")


def _thai(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e4e"


def _edge(text: str, i: int) -> bool:
    """May a Thai word start or end at ``i``?"""
    if i <= 0 or i >= len(text):
        return True
    ch, prev = text[i], text[i - 1]
    if not (_thai(ch) and _thai(prev)):
        return True
    if prev == _HAN_AKAT or (prev in _TONES and i >= 2 and text[i - 2] == _HAN_AKAT):
        return False  # the consonant after ั (and its tone mark) closes that syllable
    return ch not in _NOT_A_START and prev not in _LEADING


def at_word_edges(text: str, word: str) -> bool:
    """Does ``word`` occur in ``text`` starting and ending where Thai words may ("รถเข็น" in "รถเข็นเด็ก", not "คอม"
    in "ผ้าพันคอมี")?"""
    start = text.find(word)
    while start >= 0:
        if _edge(text, start) and _edge(text, start + len(word)):
            return True
        start = text.find(word, start + 1)
    return False


@dataclass(frozen=True)
class Lexicon:
    """Words (folded) with a class each, what may not follow some of them ("ไฟ" before ฟ or ล: "ไฟฟ้า", "ไฟล์")."""

    classes: Mapping[str, str]
    not_before: Mapping[str, re.Pattern[str]]
    prefixes: frozenset[str]

    @classmethod
    def build(cls, classes: Mapping[str, str], not_before: Mapping[str, str] | None = None) -> Lexicon:
        words = {w: c for w, c in classes.items() if w}
        prefixes = frozenset(w[:k] for w in words for k in range(1, len(w) + 1))
        return cls(words, {w: re.compile(p) for w, p in (not_before or {}).items()}, prefixes)


def segment(text: str, lexicon: Lexicon) -> list[tuple[str, str]]:
    """``text`` (folded) as (word, class) pairs: lexicon words with their class, unknown Thai letters as one word of class
    ``UNKNOWN``, other characters as one word of class ``OTHER``."""
    n = len(text)
    edges = [_edge(text, i) for i in range(n + 1)]  # once per position, not once per candidate word
    inf = (n + 1) * (n + 2)
    cost = [inf] * (n + 1)  # letters outside the lexicon × (n + 1) + words, for the best split of text[:i]
    back: list[tuple[int, str]] = [(0, UNKNOWN)] * (n + 1)
    cost[0] = 0
    for i in range(n):
        if cost[i] == inf or not edges[i]:
            continue
        if not _thai(text[i]):
            j = i + 1
            while j < n and not _thai(text[j]):
                j += 1
            _relax(cost, back, i, j, cost[i] + 1, OTHER)
            continue
        j = i + 1
        while j <= n and text[i:j] in lexicon.prefixes:
            word = text[i:j]
            cls = lexicon.classes.get(word)
            if cls is not None and edges[j]:
                blocked = lexicon.not_before.get(word)
                if blocked is None or not blocked.match(text, j):
                    _relax(cost, back, i, j, cost[i] + 1, cls)
            j += 1
        j = i + 1  # one cluster outside the lexicon
        while j < n and not edges[j]:
            j += 1
        _relax(cost, back, i, j, cost[i] + (j - i) * (n + 1) + 1, UNKNOWN)
    words: list[tuple[str, str]] = []
    j = n
    while j > 0:
        i, cls = back[j]
        words.append((text[i:j], cls))
        j = i
    words.reverse()
    merged: list[tuple[str, str]] = []
    for word, cls in words:  # unknown clusters in a row, and runs of other characters, are one word
        if merged and cls in (UNKNOWN, OTHER) and merged[-1][1] == cls:
            merged[-1] = (merged[-1][0] + word, cls)
        else:
            merged.append((word, cls))
    return merged


def _relax(cost: list[int], back: list[tuple[int, str]], i: int, j: int, c: int, cls: str) -> None:
    if c < cost[j]:
        cost[j] = c
        back[j] = (i, cls)
