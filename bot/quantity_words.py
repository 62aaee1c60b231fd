"""How many items a viewer buys, in the room languages (zh, en, ja, ko, th, vi, id, es): count nouns, buying verbs,
"several" words, and the words that ask for a discount. Data, written for this project; one place.

A number followed by a count noun is a quantity, never a size or a capacity: "40 box" (forty boxes) is not shoe size
40, "2 set" not a set size, "3 hộp", "5箱", "2켤레", "2 คู่", "4 cajas". ``counted_number`` says so for a number
the recognisers read as a variant value (bot/slots.py, bot/resolve.py).

A discount asked for several items is the multi-buy question (bot/multi_buy.py): a discount word ("diskon",
"potongan", "giảm", "优惠", "打折", "便宜点", "할인", "ลด", "descuento", "discount", "割引") with a quantity (a number
and a count noun, a buying verb and a number, "several" / "bulk" / "borong" / "まとめ買い") or several variants
bought together ("kastil + dino", "grey and pink in one order").

Texts are matched folded (NFKC + casefold). Latin words stand alone; Han, kana, hangul and Thai words are read as
they are written, glued to their number ("40盒", "2足", "2개", "2คู่").
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "COUNT_NOUNS",
    "DISCOUNT_WORDS",
    "counted_number",
    "names_discount",
    "names_quantity",
]

# count nouns (classifiers) per language: what is counted when a number comes before them
COUNT_NOUNS: dict[str, tuple[str, ...]] = {
    "zh": ("盒", "件", "个", "個", "双", "套", "瓶", "箱", "包", "袋", "条", "支", "只", "份", "罐", "组", "台", "把"),
    "en": ("boxes", "box", "pcs", "pc", "pieces", "piece", "sets", "set", "pairs", "pair", "packs", "pack", "packets",
           "packet", "units", "unit", "items", "item", "bottles", "bottle", "bags", "bag", "cases", "dozen", "of them",
           "tees", "shirts", "strollers", "scarves", "scarfs", "lipsticks", "thermoses", "bottles"),
    "ja": ("個", "箱", "足", "セット", "本", "枚", "着", "点", "袋", "缶", "つ", "台"),
    "ko": ("개", "박스", "세트", "켤레", "병", "봉", "벌", "장", "팩", "상자", "통"),
    "th": ("กล่อง", "ชิ้น", "คู่", "ชุด", "ขวด", "ตัว", "อัน", "ซอง", "แพ็ค", "แพค", "ใบ", "เซ็ต", "เซต", "คัน", "แท่ง"),
    "vi": ("hộp", "hop", "cái", "cai", "đôi", "doi", "bộ", "chai", "chiếc", "chiec", "gói", "goi", "thùng", "thung",
           "cặp", "cap", "cây", "bình", "binh", "set", "áo", "ao"),
    "id": ("box", "kotak", "pasang", "biji", "pcs", "buah", "set", "botol", "bungkus", "pak", "lusin", "dus", "lembar",
           "potong", "paket"),
    "es": ("cajas", "caja", "pares", "par", "paquetes", "paquete", "unidades", "unidad", "piezas", "pieza", "sets",
           "juegos", "botellas", "botella", "bolsas", "docenas"),
}

# numbers written as words where a buyer says how many ("two", "dua", "hai", "dos", "两", "두") — with a buying verb
_NUMBER_WORDS = (
    r"\b(?:two|three|four|five|six|ten|couple|dua|tiga|empat|lima|sepuluh|hai|mười|muoi"
    r"|dos|tres|cuatro|cinco|diez)\b|[两二三四五六七八九十几]|[두세네]|สอง|สาม|สี่|ห้า|สิบ"
)
_NUMBER = rf"(?:\d+|{_NUMBER_WORDS})"

# buying verbs before the number ("beli 2", "mua 3", "buy 2", "买两", "拍三", "compro 3", "llevo 3", "ซื้อ 2") or,
# in Japanese and Korean, after it ("2足買ったら", "2개 사면")
_BUY_BEFORE = (
    r"(?:\b(?:buy|buying|get|getting|order|ordering|take|grab|need|want)\b|买|拍|要|订|购|\bbeli\b|\bambil\b|\bborong\b"
    r"|\bpesan\b|\bmua\b|\blấy\b|\blay\b|\bđặt\b|\bdat\b|\bcompro\b|\bcompramos\b|\bllevo\b|\bllevamos\b|\bpido\b"
    r"|\bcomprar\b|\bllevar\b|\bcomprando\b|\bllevando\b|ซื้อ|เอา|สั่ง)"
)
_BUY_AFTER = r"(?:買|購入|まとめ|사면|사요|살게|구매|주문)"
# "several", "bulk", "more than one" without a number
_SEVERAL = re.compile(
    r"多买|多件|多拍|几件一起|批量|团购|一起买|一起拍|\bseveral\b|\bmultiple\b|\bbulk\b|\bmore than one\b|\bin quantity\b"
    r"|まとめ買い|まとめて|複数|여러 ?개|여러 ?벌|대량|หลายชิ้น|หลายกล่อง|หลายอัน|หลายคู่|ยกลัง|\bmua nhiều\b|\bmua nhieu\b"
    r"|\bnhiều cái\b|\bnhieu cai\b|\bsỉ\b|\bbeli banyak\b|\bborong\b|\bvarios\b|\bvarias\b|\bal por mayor\b|\bpor mayoreo\b"
)
# several variants or products bought together: "kastil + dino", "grey and my sister gets pink", "蓝色白色各买一个"
_TOGETHER = re.compile(
    r"\+|各|一起|together|\bboth\b|\bone order\b|\bsame order\b|一单|同一订单|一緒|같이|함께|ด้วยกัน|\bchung\b|\bcùng\b"
    r"|\bcung\b|\bbareng\b|\bsekaligus\b|\bjuntos\b|\bjuntas\b|\bmismo pedido\b|\bcả hai\b|\bca hai\b|\bdua-duanya\b"
)

DISCOUNT_WORDS: dict[str, tuple[str, ...]] = {
    # 便宜 asked ("便宜点", "能便宜吗"), not the adjective of an ad or a remark ("… 便宜", "好便宜")
    "zh": ("优惠", "打折", "折扣", "便宜(?:点|些|一点|吗|么|嘛|不)", "能便宜", "可以便宜", "再便宜", "减钱", "少点", "半价",
           "[0-9一二三四五六七八九]折", "让利"),
    "en": (r"\bdiscount", r"\bdeal\b", r"\bdeals\b", r"\bcheaper\b", r"\boff\b", r"\bprice break\b", r"\bbulk price\b"),
    "ja": ("割引", "安く", "値引", "お得"),
    "ko": ("할인", "싸게", "더 싸", "깎아"),
    "th": ("ลด", "ส่วนลด", "ถูกลง", "ถูกกว่า"),
    "vi": (r"\bgiảm\b", r"\bgiam\b", r"\brẻ hơn\b", r"\bre hon\b", r"\bbớt\b", r"\bbot\b", r"\bchiết khấu\b", r"\bưu đãi\b"),
    "id": (r"\bdiskon", r"\bpotongan\b", r"\bpotong harga\b", r"\blebih murah\b", r"\bmurahin\b", r"\bkorting\b"),
    "es": (r"\bdescuento", r"\brebaja", r"\bmás barato\b", r"\bmas barato\b", r"\bmás baratos\b", r"\bmas baratos\b",
           r"\bmejor precio\b"),
}
_DISCOUNT = re.compile("|".join(w for words in DISCOUNT_WORDS.values() for w in words) + r"|\d+\s*%")
# a coupon or a shipping cost asks something else than the multi-buy deal ("买两件能用券吗", "ongkir ada potongan?")
_COUPON_OR_SHIPPING = re.compile(
    r"券|クーポン|쿠폰|คูปอง|\bcoupons?\b|\bvouchers?\b|\bpromo ?code|\bkode\b|\bkupon\b|\bmã\b|\bma giam\b|\bcup[oó]n"
    r"|运费|邮费|包邮|送料|배송비|ค่าส่ง|\bshipping\b|\bpostage\b|\bongkir\b|\bship\b|\bfreeship\b|\benv[ií]o\b"
)

_LATIN = re.compile(r"[a-zà-ÿđ\u0100-\u024f\u1e00-\u1eff]")


def _noun_pattern(noun: str) -> str:
    word = re.escape(noun)
    return rf"{word}(?![a-zà-ÿđ\u0100-\u024f\u1e00-\u1eff])" if _LATIN.search(noun) else word


_NOUNS = sorted({n for nouns in COUNT_NOUNS.values() for n in nouns}, key=lambda n: (-len(n), n))
_NOUN = "(?:" + "|".join(_noun_pattern(n) for n in _NOUNS) + ")"
_AFTER_NUMBER = re.compile(rf"\s*{_NOUN}")
_COUNTED = re.compile(rf"(?<![\d.,])\d+\s*{_NOUN}|(?:{_NUMBER_WORDS})\s*{_NOUN}")
# a number that is money, a size, a capacity or a percentage is not how many items
_NOT_ITEMS = (
    r"(?![\d.,]*\s*(?:ml|g\b|kg|cm|mm|码|号|%|折|元|块|k\b|rb\b|ribu|tệ|te\b|yuan|cny|rmb|đ|円|원|บาท|pesos|d[oó]lares"
    r"|\$|€|off\b|size|talla|ukuran|サイズ|사이즈|ไซส์))"
)
_BOUGHT = re.compile(
    rf"{_BUY_BEFORE}\s*(?:(?!(?:size|talla|ukuran|nomor|số|so|cỡ|co|no)\b)\w+\s+){{0,2}}?{_NUMBER}{_NOT_ITEMS}|(?<![\d.,]){_NUMBER}\s*\w{{0,4}}\s*{_BUY_AFTER}"
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


def counted_number(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` a number with a count noun right after it ("40 box", "2set", "3 hộp", "5箱")? Then it
    counts items and is not a size or a capacity. ``text`` is folded (casefold) as the recognisers read it."""
    term = text[start:end]
    if not term.isdigit():
        return False
    return _AFTER_NUMBER.match(text, end) is not None


def names_quantity(text: str) -> bool:
    """Does ``text`` say how many items are bought: a number with a count noun, a buying verb with a number, or a
    word for several ("bulk", "borong", "まとめ買い")?"""
    folded = _fold(text)
    return bool(_COUNTED.search(folded) or _BOUGHT.search(folded) or _SEVERAL.search(folded))


def names_together(text: str) -> bool:
    """Does ``text`` join things bought together ("+", "both", "together", "一起", "各", "chung", "bareng")?"""
    return _TOGETHER.search(_fold(text)) is not None


# "cheaper than my coffee", "比奶茶还便宜", "más barato que", "lebih murah dari": a comparison said, not a discount asked
_COMPARED = re.compile(
    r"\bcheaper than\b|比.{1,12}便宜|より安い|보다 (?:싸|저렴)|ถูกกว่า.{1,12}(?:อีก|เสียอีก)|\bre hon ca\b|\brẻ hơn cả\b"
    r"|\blebih murah (?:dari|daripada)\b|\bm[aá]s barat[oa]s? que\b"
)


def names_discount(text: str) -> bool:
    """Does ``text`` ask for a discount ("ada diskon", "giảm không", "能便宜点", "할인", "ลดไหม", "descuento")? Not a
    coupon or a shipping cost, which other FAQs answer, nor a comparison ("cheaper than my coffee")."""
    folded = _fold(text)
    return (
        _DISCOUNT.search(folded) is not None and _COUPON_OR_SHIPPING.search(folded) is None
        and _COMPARED.search(folded) is None
    )
