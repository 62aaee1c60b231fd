"""A yes/no question about a property of a variant value is not a question about that value's stock.

"白色的能用漂白剂吗" (can the white one be bleached), "L码会大吗" (is L big), "is the white one see-through?",
"블랙은 물 빠져요?", "màu trắng có bị ố không", "la negra destiñe?": a value is named inside a yes/no frame ("…吗",
"có … không", "…?"), so the recogniser reads a stock question about that value, and the structured path answered
"白色目前有货:…". The buyer asked about care, fit, fading, transparency or feel.

Narrow, by a closed list: :func:`property_kinds` finds the property predicates of bot/property_words.py (fade, bleach,
shrink, see-through, fit, yellowing, pilling, itchy, wrinkles, stains, hot, smell, loses shape; eight languages) in the
clause that names the value. A word that is not in the list changes nothing: the stock reading stays. Pure functions
of the text; the patterns are compiled once at import.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from bot.property_words import PROPERTY_PREDICATES

__all__ = ["VALUE_PROPERTY", "clauses", "predicate_said", "property_kinds", "tells_of_own_goods"]

VALUE_PROPERTY = "asks a yes/no question about a property of a variant (care, fit, colour fastness …), not its stock"

# where a clause ends: punctuation, or a sentence-final question particle ("黑色XL还有吗，另外包邮吗", "สีดำไซส์ L มีไหม
# ส่งฟรีไหม", "hitam L ada? ongkir gratis ga"): a second question is not a property of the value the first one names.
# 么 of 什么 / 怎么 / 这么 / 那么 / 多么 asks nothing at the end of a clause.
_CLAUSE_END = re.compile(
    r"[,，。.!！?？;；\n]|(?:吗|(?<![什怎这那多])么|呢|ไหม|มั้ย|มั๊ย|ですか|ますか"
    r"|(?<![a-z\u00c0-\u024f\u1e00-\u1eff])(?:không|khong|gak|ga|nggak)(?![a-z\u00c0-\u024f\u1e00-\u1eff]))"
)
_LATIN = re.compile(r"[a-z\u00c0-\u024f\u1e00-\u1eff]", re.I)  # Latin letters with their marks (not Thai: U+0E00)
_CLAUSE_TAIL = r"(?=[\s,，。.!！?？;；~～…]*$)"  # "$" of an entry: only punctuation and spaces follow in the clause


def _fragment(entry: str) -> str:
    """One entry of bot/property_words.py as a pattern: a Latin one as a whole word, a space of another script as any
    run of spaces or none, a final "$" as the end of the clause."""
    entry = unicodedata.normalize("NFKC", entry)  # as the recogniser reads the comment ("น้ำ" → "น้ํา"); written in lower case
    tail = entry.endswith("$")
    body = entry[:-1] if tail else entry
    # a Latin entry stands alone ("pill" is not in "pillow"); in other scripts a space may be there or not
    body = rf"(?<![^\W\d_])(?:{body})(?![^\W\d_])" if _LATIN.search(body) else body.replace(" ", r"\s*")
    return body + (_CLAUSE_TAIL if tail else "")


def _compile(table: Mapping[str, Mapping[str, tuple[str, ...]]]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (kind, re.compile("|".join(_fragment(e) for words in by_lang.values() for e in words), re.I))
        for kind, by_lang in table.items()
    )


_PREDICATES = _compile(PROPERTY_PREDICATES)
_BY_KIND = dict(_PREDICATES)


def predicate_said(text: str, kind: str) -> bool:
    """Is a predicate of ``kind`` said anywhere in ``text`` (case-folded), whatever value it names, or none
    ("실물이 더 진해요?" with no colour read: "true_colour")?"""
    pattern = _BY_KIND.get(kind)
    return pattern is not None and pattern.search(text) is not None


def clauses(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of ``text``'s clauses, each ending after its punctuation or final question particle."""
    spans: list[tuple[int, int]] = []
    start = 0
    for end in [*(m.end() for m in _CLAUSE_END.finditer(text)), len(text)]:
        if end > start:
            spans.append((start, end))
            start = end
    return spans


def property_kinds(
    text: str, anchors: Iterable[int], named: Iterable[tuple[int, int]] = ()
) -> tuple[str, ...]:
    """The kinds of property predicate (bot/property_words.py) said in the clauses of ``text`` (the case-folded
    comment) that hold one of the ``anchors`` (offsets of the variant values named), in list order. A predicate inside
    a term the catalog names (``named``: the spans of a product's name or a value, "透明色" of a colour) is that term,
    not a predicate; one around it is ("发黄" with 黄 of a flavour). "白色的能用漂白剂吗" with the value at 0 →
    ("bleach",), "is the l big?" → ("fit",), "白色的还有吗" → (), "白色还有吗，会掉色吗" → () (another clause)."""
    marks = sorted(set(anchors))
    spans = list(named)
    said = [(s, e) for s, e in clauses(text) if any(s <= a < e for a in marks)]
    found: list[str] = []
    for kind, pattern in _PREDICATES:
        for start, end in said:
            if any(
                not any(s <= m.start() and m.end() <= e for s, e in spans)
                for m in pattern.finditer(text, start, end)
            ):
                found.append(kind)
                break
    return tuple(found)


# A viewer telling of goods they have (bought, received, washed) or of what already happened to them: a first person,
# a purchase, a past form of a property predicate. "my white tee shrank after washing, is that normal?" reports a
# problem; "does the white one shrink after washing" asks before buying. Only the second is a question the product's
# data answers.
_OWN_GOODS = re.compile(
    r"\b(?:my|mine|i|i'm|i've|i'd|we|our|ours)\b|\b(?:shrank|shrunk|faded|bled|went|turned|got|became)\b|\balready\b"
    r"|我|俺|买的|收到|到手|已经|(?:缩水|掉色|褪色|变形|起球|发黄|变小|透了)了"
    r"|私|僕|買った|届いた|縮んだ|縮みました|色落ちした|色落ちしました"
    r"|제가|내가|저는|샀|받았|줄었|빠졌|늘어났"
    r"|ฉัน|เรา|ซื้อมา|ได้ของ|แล้ว"
    r"|\b(?:mình|em|tôi|tui)\s+(?:mua|đặt|giặt)|đã mua|mua rồi|rồi\b"
    r"|\b(?:aku|saya|sy|gue|gw)\b|\b(?:udah|sudah|dah)\b"
    r"|\b(?:mi|mis|compré|compre|lavé|lave)\b|encogió|destiñó|se puso",
    re.I,
)


def tells_of_own_goods(text: str) -> bool:
    """Does ``text`` tell of goods the viewer has or of something that already happened to them (a first person, a
    purchase, a past form)? Then a property it names is a report (after-sales), not a question before buying."""
    return _OWN_GOODS.search(unicodedata.normalize("NFKC", text or "").casefold()) is not None
