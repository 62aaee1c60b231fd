"""Basic colour words in the room languages, so a viewer can name a shop's colour the plain way in their own language
("ピンク", "핑크", "ชมพู", "hồng", "rosa" for a colour the catalog calls 樱花粉 / "blossom pink"). Data, written for
this project; one place.

``colour_aliases`` reads which basic colour a catalog colour is from its own names (its English label first, else any
of its names: "blossom pink" → pink, "雾霾灰" → grey) and returns the basic words of every language for it — only
when that basic colour names exactly one colour of the product (a tee in "white" and "cream white" gets neither
from "white"). ``bot.slots.Recogniser`` adds them next to the catalog's own names and synonyms; the catalog's data
wins where a word already means something.

Spanish colour adjectives agree with what they describe ("dos negras talla S", "¿quedan blancas?"): the feminine and
plural forms are listed with the masculine.

Chinese words are used to *read* a colour's Chinese name but are not added as aliases (the shop's Chinese synonyms
are its own data, and a one-character word such as 红 sits inside too many ordinary words).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import ahocorasick

from catalog.text import fold

__all__ = ["BASIC_COLOURS", "colour_aliases", "colour_concepts", "is_latin"]

BASIC_COLOURS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "black": {
        "zh": ("黑",), "en": ("black",), "ja": ("ブラック", "黒", "くろ"), "ko": ("블랙", "검정", "검은색", "까만색"),
        "th": ("สีดำ", "ดำ"), "vi": ("đen", "màu đen", "mau den"), "id": ("hitam",), "es": ("negro", "negra", "negros", "negras"),
    },
    "white": {
        "zh": ("白",), "en": ("white",), "ja": ("ホワイト", "白", "しろ"), "ko": ("화이트", "흰색", "하얀색", "하양"),
        "th": ("สีขาว", "ขาว"), "vi": ("trắng", "màu trắng", "mau trang"), "id": ("putih",),
        "es": ("blanco", "blanca", "blancos", "blancas"),
    },
    "grey": {
        "zh": ("灰",), "en": ("grey", "gray"), "ja": ("グレー", "灰色"), "ko": ("그레이", "회색"),
        "th": ("สีเทา", "เทา"), "vi": ("xám", "màu xám", "mau xam"), "id": ("abu-abu", "abu abu", "abu"),
        "es": ("gris", "grises"),
    },
    "pink": {
        "zh": ("粉",), "en": ("pink",), "ja": ("ピンク",), "ko": ("핑크", "분홍"), "th": ("สีชมพู", "ชมพู"),
        "vi": ("hồng", "màu hồng", "mau hong"), "id": ("pink", "merah muda"),
        "es": ("rosa", "rosado", "rosada", "rosados", "rosadas"),
    },
    "red": {
        "zh": ("红",), "en": ("red",), "ja": ("レッド", "赤"), "ko": ("레드", "빨간색", "빨강"), "th": ("สีแดง", "แดง"),
        "vi": ("đỏ", "màu đỏ", "mau do"), "id": ("merah",), "es": ("rojo", "roja", "rojos", "rojas"),
    },
    "blue": {
        "zh": ("蓝",), "en": ("blue",), "ja": ("ブルー", "青"), "ko": ("블루", "파란색", "파랑"),
        "th": ("สีฟ้า", "ฟ้า", "น้ำเงิน"), "vi": ("xanh dương", "xanh duong", "xanh biển", "xanh bien"),
        "id": ("biru",), "es": ("azul", "azules"),
    },
    "navy": {
        "zh": ("藏青", "藏蓝", "深蓝"), "en": ("navy", "navy blue"), "ja": ("ネイビー", "紺"), "ko": ("네이비", "남색"),
        "th": ("กรมท่า",), "vi": ("xanh navy", "xanh than"), "id": ("navy", "dongker", "biru dongker"),
        "es": ("azul marino", "marino"),
    },
    "green": {
        "zh": ("绿",), "en": ("green",), "ja": ("グリーン", "緑"), "ko": ("그린", "초록", "녹색"),
        "th": ("สีเขียว", "เขียว"), "vi": ("xanh lá", "xanh la"), "id": ("hijau",), "es": ("verde", "verdes"),
    },
    "yellow": {
        "zh": ("黄",), "en": ("yellow",), "ja": ("イエロー", "黄色"), "ko": ("옐로", "노랑", "노란색"),
        "th": ("สีเหลือง",), "vi": ("vàng", "màu vàng", "mau vang"), "id": ("kuning",),
        "es": ("amarillo", "amarilla", "amarillos", "amarillas"),
    },
    "purple": {
        "zh": ("紫",), "en": ("purple",), "ja": ("パープル", "紫"), "ko": ("퍼플", "보라"), "th": ("สีม่วง", "ม่วง"),
        "vi": ("tím", "màu tím", "mau tim"), "id": ("ungu",), "es": ("morado", "morada", "morados", "moradas", "violeta"),
    },
    "brown": {
        "zh": ("棕", "咖啡色", "褐"), "en": ("brown",), "ja": ("ブラウン", "茶色"), "ko": ("브라운", "갈색"),
        "th": ("สีน้ำตาล",), "vi": ("nâu", "màu nâu", "mau nau"), "id": ("coklat", "cokelat"),
        "es": ("marrón", "marron", "marrones"),
    },
    "beige": {
        "zh": ("米色", "杏色"), "en": ("beige",), "ja": ("ベージュ",), "ko": ("베이지",), "th": ("สีเบจ", "เบจ"),
        "vi": ("màu be", "mau be"), "id": ("beige", "krem muda"), "es": ("beige", "beis"),
    },
    "cream": {
        "zh": ("奶白", "米白"), "en": ("cream", "cream white", "ivory", "ivory white", "off-white"),
        "ja": ("クリーム", "アイボリー", "オフホワイト"),
        "ko": ("크림", "아이보리"), "th": ("สีครีม", "ครีม"), "vi": ("màu kem", "mau kem"), "id": ("krem", "broken white"),
        "es": ("crema", "marfil"),
    },
    "camel": {
        "zh": ("驼",), "en": ("camel",), "ja": ("キャメル",), "ko": ("카멜",), "th": ("คาเมล",),
        "vi": ("màu lạc đà", "mau lac da"), "id": ("camel",), "es": ("camel", "camello"),
    },
    "burgundy": {
        "zh": ("酒红",), "en": ("burgundy", "wine red"), "ja": ("ワインレッド", "ボルドー"), "ko": ("버건디", "와인색"),
        "th": ("แดงเลือดหมู", "สีไวน์"), "vi": ("đỏ đô", "do do", "đỏ rượu"), "id": ("marun", "maroon", "merah marun"),
        "es": ("burdeos", "granate", "vino"),
    },
    "orange": {
        "zh": ("橙", "橘色"), "en": ("orange",), "ja": ("オレンジ",), "ko": ("오렌지", "주황"), "th": ("สีส้ม",),
        "vi": ("màu cam", "mau cam"), "id": ("oranye", "jingga"), "es": ("naranja",),
    },
    "oatmeal": {
        "zh": ("燕麦",), "en": ("oat", "oatmeal"), "ja": ("オートミール",), "ko": ("오트밀",), "th": ("ข้าวโอ๊ต",),
        "vi": ("yến mạch", "yen mach"), "id": ("oatmeal",), "es": ("avena",),
    },
    "khaki": {
        "zh": ("卡其",), "en": ("khaki",), "ja": ("カーキ",), "ko": ("카키",), "th": ("สีกากี", "กากี"),
        "vi": ("kaki",), "id": ("khaki",), "es": ("caqui",),
    },
}

_ALIAS_LANGS_EXCLUDED = ("zh",)


def is_latin(word: str) -> bool:
    """Only Latin letters (with or without diacritics: "rosa", "đen", "xanh dương"), digits and punctuation."""
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in word)


@functools.cache
def _automaton(english_only: bool) -> Any:
    """One automaton over the basic colour words (folded) → {(concept, word)}; built once."""
    automaton = ahocorasick.Automaton()
    table: dict[str, set[str]] = {}
    for concept, words in BASIC_COLOURS.items():
        for lang, ws in words.items():
            if english_only and lang != "en":
                continue
            for w in ws:
                table.setdefault(fold(w), set()).add(concept)
    for word, concepts in table.items():
        automaton.add_word(word, (word, frozenset(concepts), is_latin(word)))
    automaton.make_automaton()
    return automaton


def _found(text: str, english_only: bool) -> dict[str, int]:
    """Concept → longest matching word length in ``text`` (folded); a Latin word only as a whole word."""
    out: dict[str, int] = {}
    for end, (word, concepts, latin) in _automaton(english_only).iter(text):
        start = end - len(word) + 1
        if latin and ((start > 0 and text[start - 1].isalnum()) or (end + 1 < len(text) and text[end + 1].isalnum())):
            continue
        for c in concepts:
            out[c] = max(out.get(c, 0), len(word))
    return out


@functools.lru_cache(maxsize=4096)
def _concepts(english: str | None, names: tuple[str, ...]) -> frozenset[str]:
    found = _found(fold(english), True) if english else {}
    if not found:
        found = {}
        for name in names:
            for c, n in _found(fold(name), False).items():
                found[c] = max(found.get(c, 0), n)
    if not found:
        return frozenset()
    best = max(found.values())  # "navy blue" is navy, "wine red" burgundy: the longest word wins
    return frozenset(c for c, n in found.items() if n == best)


def colour_concepts(english: str | None, names: Iterable[str]) -> set[str]:
    """The basic colours a catalog colour is: those in its English label when it names any, else those in any name;
    of several, the one named by the longest word ("navy blue" → navy, "cream white" → cream)."""
    return set(_concepts(english, tuple(n for n in names if n)))


def colour_aliases(values: Mapping[str, tuple[str | None, Iterable[str]]]) -> dict[str, tuple[str, ...]]:
    """For one product's colours (canonical value → (English label, all its names)), the basic colour words of every
    language (but Chinese) to add as names of each value; a basic colour shared by two values is left out."""
    concepts = {value: colour_concepts(en, names) for value, (en, names) in values.items()}
    owners: dict[str, list[str]] = {}
    for value, found in concepts.items():
        for c in found:
            owners.setdefault(c, []).append(value)
    out: dict[str, tuple[str, ...]] = {}
    for value, found in concepts.items():
        words = [w for c in sorted(found) if len(owners[c]) == 1
                 for lang, ws in BASIC_COLOURS[c].items() if lang not in _ALIAS_LANGS_EXCLUDED for w in ws]
        if words:
            out[value] = tuple(dict.fromkeys(words))
    return out
