"""How many pieces, packs or pairs a set holds is an attribute of the product, not its stock.

"ชุดปราสาทมีกี่ชิ้นคะ" (how many pieces does the castle set have) was answered "castle: 24 left", and "set
dinosaurusnya berapa pcs isinya?" "dinosaur: 16 left": the count words of the recogniser (กี่ชิ้น, berapa pcs, 几个,
how many) ask how many are left as often as how many a thing holds. The catalog says which: a product whose
attribute texts count something in a unit ("320 pieces in the castle set", "320 ชิ้น", "30 packs of 25 g", "30包")
is asked that attribute when a comment asks "how many" of the same unit (pieces: 颗粒 / pieces / pcs / ピース / 피스 /
ชิ้น / chi tiết / keping / piezas; packs: 包 / packs / 袋 / 봉 / ซอง / gói / bungkus / bolsitas; pairs: 双 / pairs /
足 / 켤레 / คู่ / đôi / pasang / pares), or asks how many a box or set holds ("isinya berapa", "들어 있어요", "入って")
— and says nothing of what is left ("还剩几", "sisa berapa", "còn mấy", "เหลือกี่", "how many left": still the stock).
A product that counts the unit only in its name ("5双装", "5 pairs") and in no attribute cannot be answered from the
catalog: staff. A product that counts nothing in that unit ("มีกี่ชิ้น" of the tee: how many are there) keeps the
stock reading.

Data (the units and words) and pure functions; the engine applies ``contents_decision`` in bot/answer_checks.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import replace

from bot.pipeline import ANSWER, RECOMMEND, STAFF, CatalogView, Decision, Understanding
from bot.product_words import per_snapshot
from bot.structured import STRUCTURED, slots_note
from catalog.snapshot import CatalogSnapshot, ProductInfo

__all__ = ["CONTENTS_ASKED", "CONTENTS_UNKNOWN", "UNITS", "asked_unit", "contents_decision", "counted_attributes"]

CONTENTS_ASKED = "how many a set or box holds: its attribute, not the stock"
CONTENTS_UNKNOWN = "how many a set or box holds, which no attribute of the product says"

# unit -> the words for it in the room languages (folded). Not 块 (also money: "多少块" is the price) nor the general
# classifiers 个 / 개 / cái / buah (read only with a word for what a box holds, below).
UNITS: Mapping[str, tuple[str, ...]] = {
    "pieces": ("颗粒", "粒", "颗", "片", "pieces", "piece", "pcs", "bricks", "ピース", "パーツ", "피스", "조각", "ชิ้น",
               "chi tiết", "chi tiet", "miếng", "mieng", "mảnh", "manh", "viên", "vien", "keping", "biji", "piezas",
               "bloques"),
    "packs": ("小包", "小袋", "包", "袋", "packs", "pack", "packets", "packet", "sachets", "servings", "봉지", "봉", "팩",
              "ซอง", "ห่อ", "gói", "goi", "bungkus", "sachet", "bolsitas", "bolsas", "paquetes", "sobres", "raciones"),
    "pairs": ("双", "pairs", "pair", "足", "켤레", "คู่", "đôi", "doi", "pasang", "pares"),
}
_GENERIC = ("个", "個", "개", "อัน", "cái", "cai", "buah", "unidades", "things")
# "how many" in the room languages
_HOW_MANY = (
    r"几|多少|how many|何|몇|กี่|bao nhiêu|bao nhieu|bnhieu|\bbn\b|\bmấy\b|\bmay\b|\bberapa\b|\bbrp\b|\bbrapa\b"
    r"|cu[aá]nt[oa]s"
)
# what a box or a set holds: "isinya", "里面", "入って", "들어 있", "trong hộp", "ในกล่อง", "trae", "in the box"
_HOLDS = re.compile(
    r"里面|里头|一盒|一套|一箱|装了|入って|入り|들어 ?있|들었|\bisi\b|\bisinya\b|\bisi nya\b|\bdalam\b|trong (?:hộp|bộ|set)"
    r"|ใน(?:กล่อง|ชุด|เซ็ต)|กล่องนึง|ชุดนึง|\btrae\b|\btraen\b|\bvienen\b|\bviene\b|\bincluye|\bin (?:the|one|a|each) (?:box|set|pack)"
    r"|\bper (?:box|set|pack)\b|\binside\b|\bincluded\b|\bcome with\b|\bcomes with\b"
)
# what is left: the stock count ("还剩几", "sisa berapa", "còn mấy", "เหลือกี่", "how many left", "残り", "quedan")
_LEFT = re.compile(
    r"剩|还有(?=几|多少)|库存|现货|\bleft\b|\bremain|in stock|\bstock|\bavailable\b|\bsisa|\btinggal\b|\bstok|\bready\b"
    r"|\bcòn\b|\bcon\b|\bcon lai\b|เหลือ|สต็อก|남|재고|残り|あと|在庫|\bquedan?\b|disponible"
)

_LATIN = re.compile(r"[a-zà-ÿđ\u0100-\u024f\u1e00-\u1eff]")


def _word(word: str) -> str:
    escaped = re.escape(word)
    return rf"(?<![a-zà-ÿđ\u0100-\u024f\u1e00-\u1eff]){escaped}(?![a-zà-ÿđ\u0100-\u024f\u1e00-\u1eff])" if _LATIN.search(
        word) else escaped


def _alternation(words: tuple[str, ...]) -> str:
    return "(?:" + "|".join(_word(w) for w in sorted(words, key=lambda w: (-len(w), w))) + ")"


_UNIT_RE = {unit: _alternation(words) for unit, words in UNITS.items()}
_UNIT_RE["packs"] = _UNIT_RE["packs"].replace("|包|", "|包(?![邮装])|")  # not 包邮 ("满多少包邮": free shipping), 包装
# "how many" then the unit, a word or two between ("how many packs", "how many lego pieces", "bao nhiêu chi tiết",
# "几包", "กี่ชิ้น", "몇 피스"), or the unit first in Japanese / Korean / Indonesian chat ("ピース数", "pcs berapa")
_ASKED = {
    unit: re.compile(rf"(?:{_HOW_MANY})\s*(?:[^\W\d_]+\s+){{0,2}}?{pattern}|{pattern}\s*(?:数|berapa|brp)")
    for unit, pattern in _UNIT_RE.items()
}
_HOW_MANY_RE = re.compile(_HOW_MANY)
_GENERIC_RE = re.compile(
    rf"(?:{_HOW_MANY})\s*{_alternation(_GENERIC)}|\bisi(?:nya)?\s*(?:berapa|brp)\b|\b(?:berapa|brp)\s*isinya\b"
    r"|\bhow many\b(?!\s+(?:days|hours|weeks|months|years|colou?rs|sizes|times))"
)
# a number counted in a unit, as the catalog writes it ("320 pieces", "320颗粒", "30 packs", "25g×30包")
_COUNTED = {unit: re.compile(rf"\d+\s*{pattern}") for unit, pattern in _UNIT_RE.items()}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


# how many to eat, use or take in a period ("1日何袋食べればいい", "一天吃几包", "how many packs a day"): a dose, not
# what the box holds
_PER_PERIOD = re.compile(
    r"一天|每天|每日|1日|一日|毎日|\ba day\b|\bper day\b|\bdaily\b|\beach day\b|하루|매일|วันละ|ต่อวัน|ทุกวัน"
    r"|mỗi ngày|moi ngay|một ngày|mot ngay|1 ngày|\bsehari\b|per hari|tiap hari|al d[ií]a|por d[ií]a|cada d[ií]a"
)


def asked_unit(text: str) -> str | None:
    """The unit a comment asks "how many" of ("pieces", "packs", "pairs"), "" for how many a box or set holds in
    no unit of the list ("isinya berapa", "블록 몇 개 들어 있어요"), or None: not such a question, or it asks what is
    left."""
    folded = _fold(text)
    if not _HOW_MANY_RE.search(folded) or _LEFT.search(folded) or _PER_PERIOD.search(folded):
        return None
    for unit, pattern in _ASKED.items():
        if pattern.search(folded):
            return unit
    if _HOLDS.search(folded) and _GENERIC_RE.search(folded):
        return ""
    return None


@per_snapshot
def _counted_by_product(snapshot: CatalogSnapshot) -> dict[str, dict[str, tuple[str, ...]]]:
    return {pid: counted_attributes(product) for pid, product in snapshot.products.items()}


def counted_attributes(product: ProductInfo) -> dict[str, tuple[str, ...]]:
    """unit -> the product's attribute keys whose texts (any language) count something in that unit, and
    "name:<unit>" -> ("",) when only its names do ("5双装", "5 pairs")."""
    out: dict[str, list[str]] = {}
    for key, texts in product.attributes.items():
        joined = _fold(" ".join(str(t) for t in texts.values()))
        for unit, pattern in _COUNTED.items():
            if pattern.search(joined):
                out.setdefault(unit, []).append(key)
    names = _fold(" ".join([*product.name.values(), *product.aliases]))
    for unit, pattern in _COUNTED.items():
        if unit not in out and pattern.search(names):
            out[f"name:{unit}"] = [""]
    return {unit: tuple(keys) for unit, keys in out.items()}


def contents_decision(text: str, u: Understanding, d: Decision, view: CatalogView) -> Decision | None:
    """The product's counted attribute for "how many pieces / packs / pairs" (or staff when only its name counts
    them; ``d`` itself when a FAQ that quotes that attribute answered), or None: not such a question."""
    if u.empty or u.product_id is None or d.band == RECOMMEND or d.reason.startswith("intent "):
        return None
    unit = asked_unit(text)
    if unit is None:
        return None
    counted = _counted_by_product(view.snapshot).get(u.product_id, {})
    if unit:
        keys = counted.get(unit, ())
        if not keys:
            if f"name:{unit}" in counted:
                return replace(d, band=STAFF, reason=CONTENTS_UNKNOWN)
            return None
    else:
        keys = tuple(dict.fromkeys(k for group, ks in counted.items() if not group.startswith("name:") for k in ks))
    if len(keys) != 1:
        return None
    key = keys[0]
    faq = view.snapshot.faqs.get(d.faq_id) if d.band == ANSWER and d.path == "faq" and d.faq_id else None
    if faq is not None and any(f"{{attr:{key}}}" in answer for answer in faq.answers.values()):
        return d  # the product's own FAQ for it ("isinya berapa keping kak" → blocks-pieces) answers, not the stock
    return replace(
        d, band=ANSWER, path=STRUCTURED, qtype="attribute", attribute=key, asked={}, product_id=u.product_id,
        faq_id=None, reason=f"structured attribute{slots_note('attribute', key, {})}; {CONTENTS_ASKED}",
    )
