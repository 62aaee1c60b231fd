"""Whether the shop sells something ("有卖防晒霜吗", "do u guys sell basketball shoes too", "ada jual toner ga?",
"shop có bán dép không", "¿venden protector solar?", "日焼け止め売ってますか", "선크림 팔아요?", "มีขายครีมกันแดดไหม").

The words of the thing asked about pull the comment towards a FAQ or an attribute of the product on stage (the serum's
usage FAQ says "use sunscreen by day"; the running shoes' use says "not for basketball"), but the viewer asks whether
the shop sells a thing, which neither answers: the catalog has it (a stock or price answer, a recommendation) or a
person says it has not. So a product's own FAQ or a structured attribute answer to such a question goes to staff
(bot/answer_checks.other_kind); stock, price and list-of-what-is-left answers ("有卖50ml的吗", "do you sell these in
size 44?") and the shop-wide FAQs ("do you sell internationally?" → shipping abroad) are kept.

Pure functions of the text.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ASKS_IF_SOLD", "asks_if_sold"]

ASKS_IF_SOLD = "asks whether the shop sells something: a FAQ or attribute of the product does not say"

# Matched on the text folded (NFKC, casefold), diacritics kept (Vietnamese "bán" is "ban", you/table, without them).
_SELLS = re.compile(
    # Chinese: 有卖 / 有没有卖 / 卖不卖 / 有售 / 也卖 (never 卖多少钱, 卖完了, 卖得好)
    r"有(?:没有|沒有)?(?:在)?卖|有(?:没有|沒有)?(?:在)?賣|卖不卖|賣不賣|有售|也卖|也賣"
    # English: do you (guys) (also) sell / carry
    r"|\b(?:do|does|d)\s+(?:you|u|ya|y'all|yall|the shop|your shop|this shop)(?:\s+guys|\s+all)?\s+(?:also\s+|even\s+)?"
    r"(?:sell|carry)\b|\b(?:you|u)\s+(?:guys\s+)?(?:also\s+)?sell\b"
    # Japanese, Korean, Thai
    r"|売って(?:ます|いま|る)|販売して(?:ます|いま|る)|扱って(?:ます|いま|る)|取り扱い"
    r"|팔아요|파나요|파시나요|파세요\?|판매(?:하|해)(?:나요|시나요|요)"
    r"|มีขาย|ขาย(?:ด้วย)?(?:ไหม|มั้ย|มั๊ย|หรือเปล่า|รึเปล่า)"
    # Vietnamese (with diacritics; not "bán chạy", sells well), Indonesian, Spanish
    r"|\b(?:có|shop)\s+(?:có\s+)?bán\b|\bbán\s+(?!chạy|được|hết|nhiều|rồi)(?:\S+\s+){0,4}(?:không|ko|hông|k)\b"
    r"|\b(?:ada|ad)\s+(?:yang\s+|yg\s+)?jual(?:an)?\b|\bjual(?:an)?\s+(?:\S+\s+){0,4}(?:ga|gak|nggak|enggak|gk|tidak|juga|kah)\b"
    r"|\b(?:venden|vendes|tienen a la venta|manejan)\b"
)


def asks_if_sold(text: str) -> bool:
    """Does ``text`` ask whether the shop sells something?"""
    return _SELLS.search(unicodedata.normalize("NFKC", text or "").casefold()) is not None
