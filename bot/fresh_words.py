"""Freshness asked, in the room languages: "is it fresh stock?", "新鲜吗", "是新货吗", "新しいですか", "신선해요?",
"ของใหม่ไหม", "hàng mới sản xuất không", "produksi baru?", "¿son frescos?". The viewer asks when the goods were made or
how long they keep — the product's shelf-life FAQ answers, never its stock ("fresh stock" says "stock"). Data and pure
functions, written for this project: ``names_freshness`` reads a comment, ``names_shelf_life`` a FAQ's example
question (bot/faq_kinds.py finds the product's shelf-life FAQ by them).
"""

from __future__ import annotations

import re

from catalog.text import fold_text

__all__ = ["names_freshness", "names_shelf_life"]

_FRESH = re.compile(
    r"新鲜|新鮮|新货|新貨|新批次|刚生产|新しい(?:です|の)?か|できたて|신선|새 ?제품(?:이에요|인가요)|갓 만든"
    r"|ของใหม่|สดใหม่|ผลิตใหม่|\bfresh(?:ly)?\b|\bnew batch\b|\brecently (?:made|packed)\b"
    r"|\btươi\b|\bhàng mới (?:sản xuất|đóng gói)\b|\bmới sản xuất\b|\bsegar\b|\bproduksi baru\b|\bbaru diproduksi\b"
    r"|\bfresc[oa]s?\b|\breciente\b"
)
_SHELF_LIFE = re.compile(
    r"保质期|生产日期|新货|能放多久|賞味期限|消費期限|製造日|유통기한|제조일|หมดอายุ|ของใหม่|เก็บได้นาน"
    r"|\bshelf life\b|\bpacked\b|\bhow long does it keep\b|\bexpir\w*|\bbest before\b"
    r"|\bhsd\b|\bhạn sử dụng\b|\bmới đóng gói\b|\bproduksi baru\b|\bkadaluarsa\b|\bkedaluwarsa\b|\bawet\b"
    r"|\bcaduc\w*|\bproducción reciente\b"
)


def names_freshness(text: str) -> bool:
    """Does ``text`` ask whether the goods are fresh or newly made ("is it fresh stock?", "是新货吗")?"""
    return _FRESH.search(fold_text(text)) is not None


def names_shelf_life(text: str) -> bool:
    """Does ``text`` (a FAQ's example question) ask the shelf life or the production date?"""
    return _SHELF_LIFE.search(fold_text(text)) is not None
