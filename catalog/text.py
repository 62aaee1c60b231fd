"""Text rules shared by the catalog and the bot (the bot imports them from here): one definition each.

`models/lexical.py` keeps its own, wider script class (kana and hangul too): it decides where words break for
BM25, which is a different question from "is this Chinese" (and models/ may not import catalog/).
"""

from __future__ import annotations

import re
import unicodedata

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""Han ideographs: CJK Unified Ideographs, Extension A and the Compatibility Ideographs."""

HAN_RE = re.compile(f"[{HAN}]")


def has_han(text: str) -> bool:
    """True when ``text`` contains a Han ideograph."""
    return HAN_RE.search(text) is not None


def fold(value: str) -> str:
    """Matching form of names, aliases and variant values: NFKC (full-width → ASCII), casefold, trim."""
    return unicodedata.normalize("NFKC", value).casefold().strip()


def fold_text(text: str) -> str:
    """Matching form of a comment for word lists written as typed: NFKC (full-width → ASCII), casefold, with Thai ำ
    kept one letter (NFKC spells it ํ + า, which no word list writes: "น้ำตาล", "สำหรับ" would never match)."""
    return unicodedata.normalize("NFKC", text or "").casefold().replace("\u0e4d\u0e32", "\u0e33")


def strip_latin_marks(text: str) -> str:
    """``text`` without the marks of Latin letters, đ as d ("đắt hơn" → "dat hon", "ghế" → "ghe": Vietnamese and Spanish
    viewers often type without them); kana voicing marks, hangul and Thai keep theirs."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not "\u0300" <= ch <= "\u036f"))


def guess_lang(text: str) -> str:
    """"zh" when ``text`` contains Han ideographs, else "en" (for text filed without a language)."""
    return "zh" if has_han(text) else "en"
