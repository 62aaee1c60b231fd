"""Question words of the cross-border room languages (ja, ko, th, vi, id, es) for the structured-answer recogniser
(bot/slots.py), which has its zh/en words in its own patterns. Data, written for this project; one place.

They are consulted only when the zh/en patterns found nothing, so a zh/en comment is read exactly as before. Texts are
matched folded (NFKC + casefold). Vietnamese is listed with and without diacritics (both are common in chat).
"""

from __future__ import annotations

import re

__all__ = ["intl_question", "intl_question_type", "intl_which_attribute"]

_QTYPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("restock", (
        "再入荷", "入荷", "재입고", "입고 예정", "เติมสต็อก", "ของเข้า", "จะมีอีก", "về hàng", "ve hang",
        "khi nào có lại", "có lại không", "kapan restock", "kapan ada lagi", "bakal ada lagi", "reponen",
        "reponer", "vuelve a haber", "volverá",
    )),
    ("count", (
        "何点", "何個", "何枚", "何足", "あと何", "残り何", "몇 개", "몇개", "몇 장", "몇 켤레", "เหลือกี่",
        "กี่ชิ้น", "กี่ตัว", "กี่คู่", "còn mấy", "con may", "mấy cái", "bao nhiêu cái", "sisa berapa",
        "tinggal berapa", "cuántos quedan", "cuántas quedan", "cuantos quedan", "cuantas quedan",
    )),
    ("which", (
        "何色", "何サイズ", "どの色", "どのサイズ", "サイズは何", "色は何", "무슨 색", "어떤 색",
        "무슨 사이즈", "어떤 사이즈", "사이즈 뭐", "색상 뭐", "색 뭐", "สีอะไร", "ไซส์อะไร", "สีไหนบ้าง",
        "ไซส์ไหนบ้าง", "màu gì", "mau gi", "màu nào", "size nào", "size nao", "những màu", "những size",
        "warna apa", "ukuran apa", "size apa", "qué colores", "qué tallas", "que colores", "que tallas",
        "cuáles colores", "cuáles tallas",
    )),
    ("price", (
        "いくら", "値段", "価格", "얼마", "가격", "ราคา", "เท่าไหร่", "กี่บาท", "giá", "bao nhiêu tiền",
        "bao nhieu tien", "gia bao nhieu", "harga", "berapaan", "cuánto cuesta", "cuanto cuesta",
        "cuánto vale", "cuanto vale", "precio",
    )),
    ("stock", (
        "มี.{0,20}(?:ไหม|มั้ย)", "còn.{0,20}(?:không|ko|hông)", "con.{0,20}(?:khong|ko)", "có.{0,20}(?:không|ko)",
        "ada.{0,20}(?:\\?|gak|nggak|ga|kah)", "hay.{0,20}\\?",
        "在庫", "ありますか", "あります\\?", "ある\\?", "まだある", "売り切れ", "品切れ", "買えますか",
        "있어요", "있나요", "있어\\?", "재고", "품절", "남았", "มีไหม", "มีมั้ย", "ยังมี", "หมดแล้ว",
        "หมดยัง", "มีของ", "còn không", "còn ko", "con khong", "con ko", "còn hàng", "hết hàng", "het hang",
        "có không", "co khong", "masih ada", "ada stok", "ada ukuran", "ada size", "ada warna", "stoknya",
        "habis", "hay talla", "hay color", "tienen", "queda", "quedan", "disponible", "agotad",
    )),
)
_QTYPE_PATTERNS = tuple((name, re.compile("|".join(words))) for name, words in _QTYPES)
_WHICH = (
    ("size", re.compile("サイズ|사이즈|ไซส์|ukuran|talla")),
    ("colour", re.compile("カラー|색|สี|màu|mau|warna|colores")),
)
_QUESTION = re.compile(r"か[?？]?$|[?？¿]|까|나요|ไหม|มั้ย|ยัง|không|\bko\b|\bkah\b|\bgak\b|\bnggak\b|\bapa\b|qué|cuál|cómo")


def intl_question_type(folded: str) -> str | None:
    """The question type named by ja/ko/th/vi/id/es question words in ``folded``, or None."""
    for name, pattern in _QTYPE_PATTERNS:
        if pattern.search(folded):
            return name
    return None


def intl_which_attribute(folded: str) -> str | None:
    for attr, pattern in _WHICH:
        if pattern.search(folded):
            return attr
    return None


def intl_question(folded: str) -> bool:
    """Does ``folded`` read as a question in one of these languages?"""
    return _QUESTION.search(folded) is not None
