"""Body measurements in a comment: height, weight and foot length, as viewers write them. Pure.

"175 120斤" / "一米七五" / "米七五" / "1米75" / "1.75m" / "身高175" / "5'10"" → height in cm;
"120斤" / "一百二十斤" / "60kg" / "60公斤" / "150 lbs" → weight in kg; "脚长24.5" / "脚长245mm" / "foot 26 cm" → foot
length in mm. A value is a range (low, high): "120多斤" is 120–129斤, "一米七几" is 170–179 cm; an exact value has
low == high. A number is only read with its unit (or, for a height, as a bare 140–210 that no unit follows): "体重60"
is 60 kg or 60斤 and is left unread — the size advice never guesses a unit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from catalog.text import fold_text

__all__ = ["Body", "is_size_question", "parse_body"]

Range = tuple[float, float]

_CN = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_D = "零〇一二两三四五六七八九"
_CN_1 = "一二两三四五六七八九"
# 一百二十 / 一百二 / 一百零五 / 九十五 / 十五 / 八: one number, so "一米六二一百一十斤" reads 一百一十 as the weight
_CN_NUM = rf"(?:[{_CN_1}]百(?:[零〇][{_CN_1}]|[{_CN_1}]十[{_CN_1}]?|[{_CN_1}](?!十))?|[{_CN_1}]?十[{_CN_1}]?|[{_CN_1}])"
# "多" / "几" / "来" after a round number: "120多斤", "一米七几", "六十来公斤" (that number up to the next ten)
_ABOUT = r"(?P<about>多|几|来|\+)?"
_NUM = r"(?P<n>\d{1,3}(?:\.\d{1,2})?)"
_NUM_COMMA = r"(?P<n>\d{1,3}(?:[.,]\d{1,2})?)"  # after a height word: "mido 1,68" (es, id, vi write a decimal comma)


@dataclass(frozen=True)
class Body:
    """What a comment says about the viewer's body; each value an inclusive (low, high)."""

    height_cm: Range | None = None
    weight_kg: Range | None = None
    foot_mm: Range | None = None
    spans: tuple[tuple[int, int], ...] = field(default=(), compare=False)  # where in the text they were read
    unread: tuple[str, ...] = ()  # other numbers in the text that are no size ("175 65": 65 kg or 65斤?)

    def dimensions(self) -> dict[str, Range]:
        out = {"height_cm": self.height_cm, "weight_kg": self.weight_kg, "foot_mm": self.foot_mm}
        return {k: v for k, v in out.items() if v is not None}

    def __bool__(self) -> bool:
        return bool(self.dimensions())


def cn_number(text: str) -> int | None:
    """"一百二十" → 120, "一百二" → 120 (spoken), "一百零五" → 105, "九十" → 90, "六十五" → 65; None if not a number."""
    if not text or any(ch not in _CN and ch not in "十百" for ch in text):
        return None
    total = 0
    rest = text
    if "百" in rest:
        head, _, rest = rest.partition("百")
        if len(head) != 1 or head not in _CN:
            return None
        total += _CN[head] * 100
        if rest.startswith(("零", "〇")):
            rest = rest[1:]
            return total + _CN[rest] if len(rest) == 1 and rest in _CN else (total if not rest else None)
        if len(rest) == 1 and rest in _CN:  # "一百二" = 120
            return total + _CN[rest] * 10
    if "十" in rest:
        head, _, tail = rest.partition("十")
        if len(head) > 1 or len(tail) > 1 or (head and head not in _CN) or (tail and tail not in _CN):
            return None
        return total + (_CN[head] if head else 1) * 10 + (_CN[tail] if tail else 0)
    if not rest:
        return total
    if len(rest) == 1:
        return total + _CN[rest]
    return None


def _about(value: float, about: str | None, step: float) -> Range:
    """(value, value) or, for "多/几/来" after a round number, (value, value + step - a hair)."""
    if about and value % step == 0:
        return (value, value + step - 1 * (step / 10))
    return (value, value)


def _scaled(r: Range, factor: float) -> Range:
    return (round(r[0] * factor, 2), round(r[1] * factor, 2))


# --------------------------------------------------------------------------------------------------- patterns

_UNIT_AFTER = (
    r"(?![\d.]|\s*(?:斤|公斤|kg|千克|码|号|元|块|cm|mm|厘米|毫米|公分|米|m\b|ml|g\b|克|件|个|双|岁|lb|%|w\b"
    r"|以内|以下|以上|多块|左右的价"
    r"|ซม|กก|กิโล|センチ|キロ|センチ|센티|킬로|키로|ký|kí|kilo|bath|บาท|円|원|đ|rp|€|\$))"
)

_PATTERNS: list[tuple[str, re.Pattern[str], Callable[[re.Match[str]], Range | None]]] = []  # in order of trust


Reader = Callable[[re.Match[str]], Range | None]


def _pattern(dim: str, regex: str) -> Callable[[Reader], Reader]:
    def register(fn: Reader) -> Reader:
        _PATTERNS.append((dim, re.compile(regex), fn))
        return fn

    return register


# ---- foot length first ("脚长24.5cm" is not a height of 24.5 cm)
_SAYS = r"\s*(?:是|有|大概|约|:|:|is|of)?\s*"


@_pattern("foot_mm", rf"(?:脚长|脚掌长|foot length|foot is|feet are|foot){_SAYS}{_NUM}\s*(?P<u>mm|毫米|cm|厘米|公分)?")
def _foot(m: re.Match[str]) -> Range | None:
    value = float(m["n"])
    unit = m["u"] or ("mm" if value >= 100 else "cm")
    return (value * 10, value * 10) if unit in ("cm", "厘米", "公分") else (value, value)


# the foot words of the room languages, then a length: "足は25.5", "足26cm" (ja), "발 250", "발 사이즈 240", "발이 245"
# (ko: always mm), "เท้ายาว 25" (th), "chân em 25cm", "bàn chân dài 24 cm" (vi), "kaki aku 25 cm", "panjang kaki 24cm"
# (id), "mi pie mide 25", "pie de 26 cm" (es). A number that is an EU size ("chân mình size 40", "kaki aku 42": 40 cm)
# falls outside the bounds and is not read. Japanese 足 without a particle or unit is the counter of pairs ("2足30元").
@_pattern(
    "foot_mm",
    r"(?:足(?:の(?:サイズ|長さ|大きさ))?(?:は|が)|足(?=\s*2\d(?:\.\d)?\s*(?:cm|センチ))|足長|(?<![가-힣])발(?:\s*(?:길이|사이즈|크기))?(?:가|는|이|은)?"
    r"|เท้า(?:ยาว|ไซส์|ขนาด)?|(?<![a-z])(?:bàn )?chân(?: (?:mình|em|tôi|tớ|của mình|của em))?(?: dài)?"
    r"|(?<![a-z])(?:panjang )?kaki(?: (?:aku|saya|ku|sy|gue|gw))?(?: panjang(?:nya)?)?|(?<![a-z])pie(?: mide| de| es de)?)"
    rf"\s*{_NUM}\s*(?P<u>mm|cm|センチ|ซม|ซ\.ม\.)?(?![\d.])"
)
def _foot_word(m: re.Match[str]) -> Range | None:
    value = float(m["n"])
    unit = m["u"] or ("mm" if value >= 100 else "cm")
    return (value, value) if unit == "mm" else (value * 10, value * 10)


# ---- height
@_pattern("height_cm", rf"(?P<one>[一1])?\s*米\s*(?P<a>[{_CN_D}])(?P<b>[{_CN_D}](?![十百])|几|多)?(?![十百]|米|斤|公斤|码)")
def _cn_metres(m: re.Match[str]) -> Range | None:
    """一米七五 / 米七五 / 1米7 / 一米七几."""
    a = _CN[m["a"]]
    b = m["b"]
    if b in ("几", "多"):
        return (100 + a * 10, 100 + a * 10 + 9)
    value = float(100 + a * 10 + (_CN[b] if b else 0))
    return (value, value)


@_pattern("height_cm", r"(?<![\d.])(?P<one>1)\s*(?:米|m)\s*(?P<cm>\d{1,2})(?![\d.]|\s*(?:斤|公斤|kg|码|cm|厘米))")
def _arabic_metres(m: re.Match[str]) -> Range | None:
    """1米75 / 1m75 / 1米7 (= 170)."""
    cm = m["cm"]
    value = 100 + (int(cm) * 10 if len(cm) == 1 else int(cm))
    return (float(value), float(value))


@_pattern("height_cm", r"(?<![\d.,])(?P<m>[12][.,]\d{1,2})\s*(?:米|m(?![a-z]))")
def _decimal_metres(m: re.Match[str]) -> Range | None:
    value = round(float(m["m"].replace(",", ".")) * 100, 1)  # "1.75m", "1,75 m" (a decimal comma)
    return (value, value)


@_pattern("height_cm", rf"(?<![\d.]){_NUM}{_ABOUT}\s*(?:cm|厘米|公分|ซม|センチ|센티)")
def _centimetres(m: re.Match[str]) -> Range | None:
    return _about(float(m["n"]), m["about"], 10)


@_pattern("height_cm", r"(?<![\d.])(?P<ft>[4-7])\s*(?:'|’|ft|feet|foot)\s*(?P<inch>\d{1,2})?\s*(?:\"|”|''|in\b|inch(?:es)?)?")
def _feet(m: re.Match[str]) -> Range | None:
    inches = int(m["ft"]) * 12 + int(m["inch"] or 0)
    if m["inch"] and int(m["inch"]) >= 12:
        return None
    value = round(inches * 2.54, 1)
    return (value, value)


# the height word of the room languages: 身長 (ja), 키 (ko), สูง (th), cao / chiều cao (vi), tinggi / tb (id),
# mido / altura / estatura (es)
@_pattern(
    "height_cm",
    rf"(?:身高|个子|高|height|tall|身長|키는?|สูง|chiều cao|\bcao|tinggi(?: badan)?|\btb|mido|altura|estatura)"
    rf"{_SAYS}{_NUM_COMMA}{_ABOUT}" + _UNIT_AFTER,
)
def _height_word(m: re.Match[str]) -> Range | None:
    value = float(m["n"].replace(",", "."))
    if value < 3:  # "身高1.75"
        value = round(value * 100, 1)
    return _about(value, m["about"], 10)


# ---- weight
@_pattern("weight_kg", rf"(?<![\d.]){_NUM}{_ABOUT}\s*斤")
def _jin(m: re.Match[str]) -> Range | None:
    return _scaled(_about(float(m["n"]), m["about"], 10), 0.5)


@_pattern("weight_kg", rf"(?P<cn>{_CN_NUM}){_ABOUT}\s*斤")
def _cn_jin(m: re.Match[str]) -> Range | None:
    value = cn_number(m["cn"])
    return _scaled(_about(float(value), m["about"], 10), 0.5) if value else None


@_pattern("weight_kg", rf"(?<![\d.]){_NUM}{_ABOUT}\s*(?:kg|kgs|公斤|千克|กก|กิโล|キロ|킬로|키로|ký|kí|kilos?\b)")
def _kilos(m: re.Match[str]) -> Range | None:
    return _about(float(m["n"]), m["about"], 10)


@_pattern("weight_kg", rf"(?P<cn>{_CN_NUM}){_ABOUT}\s*(?:公斤|千克)")
def _cn_kilos(m: re.Match[str]) -> Range | None:
    value = cn_number(m["cn"])
    return _about(float(value), m["about"], 10) if value else None


# a weight word of a language that weighs people in kilograms only (not 体重: Chinese says 斤 as often as kg):
# 몸무게 / 체중 (ko), หนัก / น้ำหนัก (th), nặng / cân nặng (vi), berat / bb (id), peso (es: "I weigh", never "pesa");
# น้ำหนัก as the NFKC-folded comment spells it (ำ as ํ + า), since the spans index that form
@_pattern(
    "weight_kg",
    rf"(?:몸무게는?|체중|น้(?:ำ|\u0e4d\u0e32)หนัก|หนัก|cân nặng|nặng|berat(?: badan)?|\bbb|peso(?: de)?)"
    rf"{_SAYS}{_NUM}{_ABOUT}" + _UNIT_AFTER,
)
def _kilo_word(m: re.Match[str]) -> Range | None:
    return _about(float(m["n"]), m["about"], 10)


@_pattern("weight_kg", rf"(?<![\d.]){_NUM}\s*(?:lbs?|pounds)\b")
def _pounds(m: re.Match[str]) -> Range | None:
    value = round(float(m["n"]) * 0.4536, 1)
    return (value, value)


# ---- a bare height: "175 120斤穿什么码", "我180穿多大" (a 140–210 number no unit follows)
@_pattern("height_cm", r"(?<![\d.:/¥$])(?P<n>1[4-9]\d|20\d|210)" + _UNIT_AFTER)
def _bare_height(m: re.Match[str]) -> Range | None:
    value = float(m["n"])
    return (value, value)


_BOUNDS = {"height_cm": (50.0, 230.0), "weight_kg": (3.0, 250.0), "foot_mm": (100.0, 330.0)}


def _matches(text: str) -> Iterator[tuple[str, int, int, Range]]:
    taken: list[tuple[int, int]] = []
    for dim, pattern, read in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(start < e and s < end for s, e in taken):
                continue
            value = read(m)
            if value is None:
                continue
            low, high = _BOUNDS[dim]
            if not (low <= value[0] <= value[1] <= high):
                continue
            taken.append((start, end))
            yield dim, start, end, value


_ANY_NUMBER = re.compile(rf"[\d{_CN_D}十百]")
_EMPTY = Body()


def parse_body(text: str) -> Body:
    """The measurements ``text`` gives (first of each kind wins; two different heights → the height is unread)."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    if not _ANY_NUMBER.search(folded):
        return _EMPTY  # most comments: no number at all, no pattern run
    found: dict[str, Range] = {}
    conflicting: set[str] = set()
    spans: list[tuple[int, int]] = []
    for dim, start, end, value in _matches(folded):
        spans.append((start, end))
        if dim in found and found[dim] != value:
            conflicting.add(dim)  # "170还是175" / "我175他180": no single body, nothing read
        found.setdefault(dim, value)
    values: Mapping[str, Range] = {k: v for k, v in found.items() if k not in conflicting}
    unread = tuple(
        m.group() for m in _OTHER_NUMBER.finditer(folded)
        if not any(s <= m.start() < e for s, e in spans)
    )
    return Body(
        height_cm=values.get("height_cm"), weight_kg=values.get("weight_kg"), foot_mm=values.get("foot_mm"),
        spans=tuple(sorted(spans)), unread=unread,
    )


# A number that is not a size ("42码", "xl", "2xl", "四十二码") nor part of a word: read, or the body is not fully
# known ("175 65", "米八 一百五": kg or 斤?).
_OTHER_NUMBER = re.compile(
    r"(?<![\d.a-z])\d+(?:\.\d+)?(?![\d.]|\s*(?:码|号|xl|l\b|m\b|s\b|eu\b|us\b|uk\b))"
    rf"|(?:[{_CN_D}][十百][{_CN_D}十]*|十[{_CN_D}]+)(?!码|号|件|个|双|块|元|岁|[{_CN_D}十百])"
)


# What asks which size to take (with a measurement, or as a follow-up of one).
_SIZE_QUESTION = re.compile(
    r"穿什么码|穿啥码|穿多大|穿几码|穿哪个|穿哪码|什么码|啥码|哪个码|哪个尺码|几码|多大码|多大号|什么尺码|选码|选什么|选哪个|选啥"
    r"|拍什么|拍哪个|拍多大|拍啥|拍几|买多大|买什么码|买哪个|买几码|要多大|要什么码|要哪个|适合什么|适合哪|推荐.*码|码.*推荐"
    r"|能穿吗|可以穿吗|能穿么|穿得下|穿的下|穿得了|合适吗|合不合适|能不能穿|会不会[小大短长紧]|会[大小短长紧]吗|码数|穿.{0,8}(可以|行)[吗么不]|有我.{0,4}码|能穿的|[拍穿选买要].{0,4}还是"
    r"|what size|which size|size should|size for me|size would|size do i|size to (get|order|buy)|size fits?"
    r"|will (it|they|this|that|\w+) fit|would (it|they|this|\w+) fit|fit me|recommend.*size|size recommend"
    r"|何サイズ|どのサイズ|サイズは|サイズ何|サイズどれ|着られ|入りますか"  # ja
    r"|무슨 ?사이즈|어떤 ?사이즈|몇 ?사이즈|사이즈 추천|사이즈 뭐|맞을까|맞나요|입을 수"  # ko
    r"|ไซส์ไหน|ไซส์อะไร|ใส่ไซส์|ใส่ได้ไหม|ใส่ได้มั้ย|แนะนำไซส์"  # th
    r"|size nào|size nao|size gì|size gi|mặc size|mac size|mặc vừa|mặc được|tư vấn size|tu van size"  # vi
    r"|ukuran apa|size apa|ukuran berapa|size berapa|pakai ukuran|pake ukuran|pakai size|pake size|muat gak|muat nggak"  # id
    r"|qué talla|que talla|cuál talla|cual talla|talla me|me queda|me quedaría|me quedaria"  # es
)
# Words around bare measurements that ask nothing else: "我175 120斤" is a size question on its own.
_FILLER = re.compile(
    r"[\s,，.。!！?？~～/、:：]|我|的|呢|啊|哈|男生|女生|男|女|身高|体重|脚长|大概|左右"
    r"|i'?m|im|i am|my|height|weight|and|about"
    r"|身長|体重|です|で|키|몸무게|체중|이고|에|สูง|หนัก|น้ำหนัก|ค่ะ|คะ|ครับ|cao|nặng|cân|mình|em|tinggi|berat|aku|saya"
    r"|mido|peso|y|yo"
)


def is_size_question(text: str, body: Body) -> bool:
    """Does ``text`` (with its measurements ``body``) ask which size to take?"""
    if not body:
        return False
    if _SIZE_QUESTION.search(fold_text(text)):
        return True
    rest = list(unicodedata.normalize("NFKC", text or "").casefold())  # the form parse_body's spans index
    for start, end in body.spans:
        rest[start:end] = [" "] * (end - start)
    return not _FILLER.sub("", fold_text("".join(rest)))  # nothing but measurements
