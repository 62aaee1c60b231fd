"""A variant value the product does not have, asked for: "¿Tienen la chamarra en color rojo?" (black, cream, navy),
"这个没有黑色的吗" (the stroller: pink, grey, oat), "I'm a 45 EU, do you have anything that big?" (shoes 38–44), "does
the navy come in S?" (the jacket: M–XXL), "Kak ada yang rasa pedas ga?" (the nuts: no spicy one). The catalog's own
recognisers (bot/slots.py) only know the product's values, so these stayed silent; the answer is the phrasebook's
"not offered" sentence and what is in stock (catalog/answer_text.py).

A value is read only of a KIND the product's attribute is closed over, from the data below:
- a colour: a basic colour (bot/colour_words.BASIC_COLOURS) that none of the product's colours is nor is close to
  (``NEAR``: navy is a blue, cream a white), and only when every colour of the product is a basic colour (lipstick
  shades such as "milk tea" or "rosewood" are not: "有粉色的吗" may be one of them);
- a size: a letter size of ``LETTER_SIZES`` when every size of the product is one, a shoe size (EU, ``SHOE_RANGE``) said
  with a size word ("talla 37", "45 EU", "36码") when every size of the product is a number in that range;
- a flavour: one of the closed list ``FLAVOURS`` none of the product's flavour names says.

Precision: only with a question / availability cue (``CUE``) or a bare follow-up ("¿Y en azul?"); never when the
comment names something else a colour can describe (``OTHER_THINGS``: hair, skin, a coat, a dog, Black Friday) that the
product's own names do not use, nor a shade ("#", 色号); one absent value only (two absent colours: staff's). Pure.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from bot.colour_words import BASIC_COLOURS, colour_concepts, is_latin
from bot.pipeline import ANSWER, SILENT, STAFF, CatalogView, Decision, Understanding
from bot.slots import Slots
from bot.structured import STRUCTURED, slots_note
from catalog.snapshot import ProductInfo
from catalog.text import HAN_RE, fold

__all__ = ["NOT_OFFERED", "Absent", "absent_decision", "absent_value"]

NOT_OFFERED = "not offered"

COLOUR_ATTRS = ("colour", "color")
SIZE_ATTR = "size"
FLAVOUR_ATTR = "flavour"

# basic colours close enough that "no X" would mislead: a navy jacket asked for blue, a cream one asked for white, an
# oat stroller asked for khaki (shops file such neutrals under each other's names)
NEAR_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"blue", "navy"}), frozenset({"red", "burgundy"}), frozenset({"burgundy", "purple"}),
    frozenset({"white", "cream"}), frozenset({"cream", "beige", "oatmeal", "khaki", "camel"}),
    frozenset({"brown", "camel", "khaki"}), frozenset({"khaki", "green"}),
)
NEAR: Mapping[str, frozenset[str]] = {
    c: frozenset().union(*(g for g in NEAR_GROUPS if c in g)) - {c} for g0 in NEAR_GROUPS for c in g0
}
# colour words too ambiguous alone to read as a colour asked ("abu" ash, "vino" wine, "oat" the grain, "marino" sea)
_NOT_ALONE = frozenset({"abu", "vino", "marino", "oat", "camel", "camello", "avena", "cream", "crema", "krem", "ครีม"})

# how a reply names a colour where a bare colour word reads oddly: Vietnamese "màu đen", not "đen"
_SAID_WITH: Mapping[str, str] = {"vi": "màu "}

LETTER_SIZES = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL", "2XL", "3XL", "4XL", "5XL")
_SAME_SIZE = {"2XL": "XXL", "3XL": "XXXL"}
SHOE_RANGE = (30.0, 50.0)

FLAVOURS: Mapping[str, Mapping[str, tuple[str, ...]]] = {  # the first word of a language is how a reply says it
    "spicy": {"zh": ("辣味", "辣的", "麻辣", "香辣"), "en": ("spicy",), "ja": ("辛口", "ピリ辛", "スパイシー", "辛い"),
              "ko": ("매운맛", "매운", "매콤"), "th": ("รสเผ็ด", "เผ็ด"), "vi": ("vị cay", "cay"), "id": ("rasa pedas", "pedas"),
              "es": ("picante",)},
    "chocolate": {"zh": ("巧克力味", "巧克力"), "en": ("chocolate",), "ja": ("チョコ味", "チョコ"), "ko": ("초코맛", "초코"),
                  "th": ("รสช็อกโกแลต", "ช็อกโกแลต"), "vi": ("vị socola", "socola", "sô cô la"),
                  "id": ("rasa cokelat", "cokelat", "coklat"), "es": ("chocolate",)},
    "cheese": {"zh": ("芝士味", "芝士", "奶酪"), "en": ("cheese",), "ja": ("チーズ味", "チーズ"), "ko": ("치즈맛", "치즈"),
               "th": ("รสชีส", "ชีส"), "vi": ("vị phô mai", "phô mai", "phomai"), "id": ("rasa keju", "keju"),
               "es": ("queso",)},
    "matcha": {"zh": ("抹茶味", "抹茶"), "en": ("matcha",), "ja": ("抹茶味", "抹茶"), "ko": ("말차맛", "말차"),
               "th": ("รสมัทฉะ", "มัทฉะ"), "vi": ("vị matcha", "matcha"), "id": ("rasa matcha", "matcha"),
               "es": ("matcha",)},
    "wasabi": {"zh": ("芥末味", "芥末"), "en": ("wasabi",), "ja": ("わさび味", "わさび", "ワサビ"), "ko": ("와사비맛", "와사비"),
               "th": ("รสวาซาบิ", "วาซาบิ"), "vi": ("vị wasabi", "wasabi"), "id": ("rasa wasabi", "wasabi"),
               "es": ("wasabi",)},
}

# a question / availability cue, any room language (folded text)
CUE = re.compile(
    r"有吗|有没有|有木有|有么|有嘛|有不|还有|没有.{0,12}[吗么嘛呢]|有.{0,12}[吗么嘛]|出.{0,6}[吗么嘛]"
    r"|\b(?:do|does|d)\s+(?:you|u|ya|it|they|these|this|those|the\s+\w+)\b.{0,30}\b(?:have|come|comes|sell|carry|got)\b"
    r"|\bcomes?\s+in\b|\bhave\s+you\s+got\b|\bgot\s+any\b|\bis\s+there\b|\bare\s+there\b|\bany\b.{0,30}\?"
    r"|\bno\s+\w+\s+ones?\b|\bavailable\b|\bin\s+stock\b"
    r"|あります|ありません|ある[?？か]|ない[?？かの]|ないです|出て(?:い)?ますか"
    r"|있어요|있나요|있을까요|있어[?？]|있습니까|없어요|없나요|없어[?？]|나와요|나오나요"
    r"|มี.{0,20}(?:ไหม|มั้ย|มั๊ย|ป่ะ|หรือเปล่า|รึเปล่า|ไม)|ไม่มี.{0,20}(?:หรอ|เหรอ|ไหม)"
    r"|\bc[oó]\b.{0,25}\b(?:kh[oô]ng|ko|k|hok|hông|hem)\b|\bcòn\b.{0,25}\b(?:kh[oô]ng|ko|k)\b"
    r"|\bada\b.{0,30}\b(?:ga|gak|ngga|nggak|enggak|tidak|gk|g|kah|ya)\b|\bada\b.{0,30}\?|\bada\s+yang\b"
    r"|\btien(?:en|e|es)\b|\bvienen?\s+en\b|\bmanejan\b|\bexiste\b"
    # Spanish "hay" (is there) opens the question or ends it: Vietnamese "hay" is "good" / "or" ("mặc hay lắm")
    r"|(?:^|[¿¡]\s*|\b(?:no|ya|y|si|pero|todavia|todavía|aun|aún|tambien|también)\s+)hay\b|\bhay\s*[?？]"
)
# a bare follow-up naming only the value: "¿Y en azul?", "and in red?"
_FOLLOW_UP = re.compile(r"^\W*(?:y|and|e)\s+(?:en|in)\s+(?:color\s+|colou?r\s+)?\w+(?:\s+\w+)?\W*[?？]\W*$")

# things a colour can describe that are not the goods on sale (folded; Latin words whole, others as written)
OTHER_THINGS: Mapping[str, tuple[str, ...]] = {
    "en": ("hair", "skin", "eyes", "friday", "coat", "pants", "jeans", "trousers", "shirt", "dress", "skirt", "shoes",
           "sneakers", "bag", "car", "cat", "dog", "puppy", "wall", "background", "nails", "beard", "sky", "tie", "hat",
           "lipstick", "phone", "curtain", "sofa", "couch", "outfit", "sweater", "hoodie", "suit", "eyeshadow", "tone"),
    "zh": ("头发", "发色", "皮肤", "肤色", "眼睛", "黑五", "星期五", "外套", "裤子", "裙子", "衣服", "鞋", "包包", "猫", "狗",
           "墙", "背景", "指甲", "口红", "手机", "窗帘", "沙发", "眼影"),
    "ja": ("髪", "肌", "コート", "ズボン", "スカート", "靴", "バッグ", "猫", "犬", "壁", "背景", "ネイル", "口紅", "スマホ",
           "フライデー"),
    "ko": ("머리", "피부", "코트", "바지", "치마", "신발", "가방", "고양이", "강아지", "배경", "손톱", "네일", "프라이데이"),
    "th": ("ทรงผม", "สีผม", "ผิว", "กางเกง", "กระโปรง", "รองเท้า", "กระเป๋า", "แมว", "หมา", "ผนัง", "พื้นหลัง", "เล็บ",
           "ฟรายเดย์"),
    "vi": ("tóc", "da", "mắt", "áo khoác", "quần", "váy", "giày", "túi", "mèo", "chó", "tường", "móng", "son"),
    "id": ("rambut", "kulit", "mata", "jaket", "celana", "rok", "sepatu", "tas", "kucing", "anjing", "dinding", "tembok",
           "kuku", "lipstik"),
    "es": ("pelo", "cabello", "piel", "ojos", "viernes", "abrigo", "pantalón", "pantalones", "falda", "zapatos", "bolso",
           "gato", "perro", "pared", "fondo", "uñas", "labial", "tez", "coche", "carro"),
}
_SHADE = re.compile(r"#\s*\d|色号|색상\s*번호|เบอร์|\bshade\b|\btono\b|\bm[aà]u\s+s[oố]\b")

# a letter size standing alone: not a letter of a word or an abbreviation ("I'M", "U.S.", "L.A.")
_LETTER_RE = re.compile(r"(?<![A-Za-z0-9'’.])(XXS|XS|XXXL|XXL|XL|[2-5]XL|S|M|L)(?![A-Za-z0-9'’]|\.[A-Za-z])")
_LETTER_LOWER_RE = re.compile(r"(?<![a-z0-9'’])(xxs|xs|xxxl|xxl|[2-5]xl)(?![a-z0-9'’])")
_SIZE_WORD_LETTER = re.compile(r"(?:size|talla|サイズ|사이즈|ไซส์|ไซซ์|ukuran|số)\s*(s|m|l|xl)(?![a-z0-9])")
_SHOE_BEFORE = re.compile(
    r"(?:size|talla|\bla|\bel|n[uú]mero|サイズ|사이즈|ไซส์|ไซซ์|ไซด์|\bsố|\bsize|ukuran|nomor|\bno\.?|\beu)\s*(\d{2}(?:[.,]5)?)"
    r"(?![\d.,]*\s*(?:kg|cm|ml|mm|岁|元|\$|dollars|años|tuổi|tahun|살|歳))")
_SHOE_AFTER = re.compile(r"(?<![\d.])(\d{2}(?:[.,]5)?)\s*(?:码|號|号|\beu\b|\beur\b|サイズ|사이즈)")


@dataclass(frozen=True)
class Absent:
    """An absent value asked: the attribute, the value as the reply says it (in ``lang``), and why it was read."""

    attr: str
    value: str
    why: str


def absent_value(text: str, product: ProductInfo, lang: str, *, follow_up_ok: bool = True) -> Absent | None:
    """The one value of a kind ``product``'s variants are closed over that ``text`` asks for and the product lacks,
    worded for a reply in ``lang``; None when there is none, more than one, no availability cue, or the colour word may
    describe something else."""
    folded = fold(text)
    if not (CUE.search(folded) or (follow_up_ok and _FOLLOW_UP.search(folded))):
        return None
    found = [a for a in (_colour(folded, product, lang), _size(text, folded, product), _flavour(folded, product, lang))
             if a is not None]
    return found[0] if len(found) == 1 else None


def absent_decision(text: str, u: Understanding, d: Decision, slots: Slots, view: CatalogView) -> Decision | None:
    """The structured "not offered" answer (qtype stock, the absent value in ``asked``, catalog/answer_text.py) to a
    comment no other reading answered that asks the product on stage or named for a value it lacks; None otherwise.
    Only over a silent or unsure decision or a shop-wide stock FAQ's answer (another answer stands; a
    never-auto-answered intent stays with staff), and only when the comment names no other product."""
    if u.empty or u.product_id is None or u.product_how not in ("stage", "named"):
        return None
    if d.band == STAFF and d.reason.startswith("intent "):
        return None
    if d.band not in (SILENT, STAFF) and not _global_stock_answer(d, view):
        return None
    if any(p != u.product_id for p in slots.products):
        return None
    product = view.snapshot.products.get(u.product_id)
    if product is None:
        return None
    absent = absent_value(text, product, d.lang)
    if absent is None:
        return None
    asked = {a: v for a, v in slots.asked_for(product.id).items() if a != absent.attr}
    asked[absent.attr] = absent.value
    return replace(
        d, band=ANSWER, path=STRUCTURED, qtype="stock", attribute=None, asked=asked, product_id=product.id,
        faq_id=None, reason=f"structured stock{slots_note('stock', None, asked)} {NOT_OFFERED}: {absent.why}",
    )


def _global_stock_answer(d: Decision, view: CatalogView) -> bool:
    """An answer with a shop-wide stock FAQ ("stock", "sizes in stock": every variant left), which says nothing of the
    value asked: "3XL 있어요?" → "in stock: S white, M white …"."""
    faq = view.snapshot.faqs.get(d.faq_id) if d.band == ANSWER and d.path != STRUCTURED and d.faq_id else None
    return faq is not None and faq.product_id is None and faq.intent in _STOCK_INTENTS


_STOCK_INTENTS = frozenset({"ask_stock", "ask_size"})


# ------------------------------------------------------------------------------------------------------- colours


def _colour(folded: str, product: ProductInfo, lang: str) -> Absent | None:
    attr = next((a for a in COLOUR_ATTRS if any(a in v.attrs for v in product.variants)), None)
    if attr is None or _SHADE.search(folded) or _names_other_thing(folded, product):
        return None
    kinds: set[str] = set()
    for en, names in _values(product, attr).values():
        found = colour_concepts(en, names)
        if not found:
            return None  # a colour of no basic kind (a shade "milk tea"): the product's colours are not a closed list
        kinds |= found
    asked = {c for c in _mentioned_colours(folded) if c not in kinds and not (NEAR.get(c, frozenset()) & kinds)}
    if len(asked) != 1:
        return None
    concept = next(iter(asked))
    return Absent(attr, _colour_label(concept, lang), f"colour {concept} none of its colours is")


def _values(product: ProductInfo, attr: str) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    out: dict[str, tuple[str | None, tuple[str, ...]]] = {}
    for v in product.variants:
        if attr in v.attrs:
            out.setdefault(str(v.attrs[attr]), ((v.labels.get(attr) or {}).get("en"), v.values(attr)))
    return out


def _colour_label(concept: str, lang: str) -> str:
    words = BASIC_COLOURS[concept].get(lang) or BASIC_COLOURS[concept]["en"]
    word = next((w for w in words if w.startswith(_SAID_WITH.get(lang, "\0"))), words[0])
    return word + "色" if lang == "zh" and not word.endswith("色") else word


def _mentioned_colours(folded: str) -> set[str]:
    """The basic colours a comment names: Latin words whole, a one-character Han word ("黑") before 色 / 的 / 款 / 系
    or standing alone among kana ("黒は"), katakana and hangul not inside a longer word, Thai "สี…" words whole."""
    out: set[str] = set()
    for concept, words in BASIC_COLOURS.items():
        for ws in words.values():
            for w in ws:
                fw = fold(w)
                if fw in _NOT_ALONE:
                    continue
                for m in re.finditer(re.escape(fw), folded):
                    if _stands_alone(folded, m.start(), m.end(), fw):
                        out.add(concept)
                        break
    return out


def _stands_alone(text: str, start: int, end: int, word: str) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if is_latin(word):
        return not before.isalnum() and not after.isalnum()
    if HAN_RE.fullmatch(word[-1]) and len(word) == 1:
        if after and after in "色的款系":
            return True
        return not (before and HAN_RE.fullmatch(before)) and not (after and HAN_RE.fullmatch(after))
    script = _script(word[0])
    if script in ("KATAKANA", "HANGUL") and before and _script(before) == script:
        return False  # inside a longer word
    if script == "KATAKANA" and after and _script(after) == script:
        return False
    if script == "THAI":  # "สีดำ", "น้ำเงิน" whole; "ดำ", "ขาว" too short to read alone; not "ชมพู่" (rose apple)
        return (word.startswith("สี") or len(word) >= 4) and not (after and unicodedata.category(after) == "Mn")
    return True


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    for s in ("KATAKANA", "HANGUL", "THAI", "HIRAGANA", "CJK"):
        if name.startswith(s):
            return s
    return ""


def _names_other_thing(folded: str, product: ProductInfo) -> bool:
    own = " ".join(fold(n) for n in (*product.name.values(), *product.aliases))
    for words in OTHER_THINGS.values():
        for w in words:
            fw = fold(w)
            if fw in own:
                continue
            if is_latin(fw):
                if re.search(rf"(?<![^\W\d_]){re.escape(fw)}(?![^\W\d_])", folded):
                    return True
            elif fw in folded:
                return True
    return False


# --------------------------------------------------------------------------------------------------------- sizes


def _size(text: str, folded: str, product: ProductInfo) -> Absent | None:
    sizes = {str(v.attrs[SIZE_ATTR]) for v in product.variants if SIZE_ATTR in v.attrs}
    if not sizes:
        return None
    if all(s.upper() in LETTER_SIZES for s in sizes):
        have = {_SAME_SIZE.get(s.upper(), s.upper()) for s in sizes}
        norm = unicodedata.normalize("NFKC", text)
        asked = {m.group(1) for m in _LETTER_RE.finditer(norm)}
        asked |= {m.group(1).upper() for m in _LETTER_LOWER_RE.finditer(folded)}
        asked |= {m.group(1).upper() for m in _SIZE_WORD_LETTER.finditer(folded)}
        if len(asked) == 1 and _SAME_SIZE.get(size := next(iter(asked)), size) not in have:
            return Absent(SIZE_ATTR, size, f"size {size} outside its sizes {'/'.join(_ordered(have))}")
        return None
    numbers = _numbers(sizes)
    if numbers is None or not all(SHOE_RANGE[0] <= n <= SHOE_RANGE[1] for n in numbers):
        return None
    said = {float(m.group(1).replace(",", ".")) for r in (_SHOE_BEFORE, _SHOE_AFTER) for m in r.finditer(folded)}
    said = {n for n in said if SHOE_RANGE[0] <= n <= SHOE_RANGE[1]}
    if len(said) != 1:
        return None
    n = next(iter(said))
    if n in numbers:
        return None
    size = f"{n:g}"
    return Absent(SIZE_ATTR, size, f"shoe size {size} outside its sizes {min(numbers):g}-{max(numbers):g}")


def _numbers(sizes: Iterable[str]) -> set[float] | None:
    try:
        return {float(s) for s in sizes}
    except ValueError:
        return None


def _ordered(sizes: Iterable[str]) -> list[str]:
    return sorted(sizes, key=lambda s: LETTER_SIZES.index(s) if s in LETTER_SIZES else len(LETTER_SIZES))


# ------------------------------------------------------------------------------------------------------ flavours


def _flavour(folded: str, product: ProductInfo, lang: str) -> Absent | None:
    if not any(FLAVOUR_ATTR in v.attrs for v in product.variants):
        return None
    own = " ".join(fold(x) for v in product.variants for x in v.values(FLAVOUR_ATTR))
    asked: set[str] = set()
    for concept, words in FLAVOURS.items():
        for ws in words.values():
            for w in ws:
                fw = fold(w)
                if fw in own:
                    break
                hit = (re.search(rf"(?<![^\W\d_]){re.escape(fw)}(?![^\W\d_])", folded) if is_latin(fw)
                       else fw in folded)
                if hit:
                    asked.add(concept)
    if len(asked) != 1:
        return None
    concept = next(iter(asked))
    label = (FLAVOURS[concept].get(lang) or FLAVOURS[concept]["en"])[0]
    return Absent(FLAVOUR_ATTR, label, f"flavour {concept} none of its flavours is")
