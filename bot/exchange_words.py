"""Exchange and return words in the room languages (zh, en, ja, ko, th, vi, id, es): one list per kind, for every
reading of an exchange or a return (bot/exchange_ask.py: a size, fit or stock answer given to it; bot/answer_checks.py
``faq_of_kind``: a question the matcher left unsure) and for finding the catalog's exchange and returns FAQs by their
example questions (bot/faq_kinds.py). Data and pure functions; written for this project.

Texts are matched folded without Latin marks ("đổi" = "doi", "devolución" = "devolucion"). Words that look alike but
are not an exchange are left out: 换季 (the season), "主播换个颜色看看" (show another colour), "có bị đổi màu không" /
"ซักแล้วเปลี่ยนสีไหม" / "¿cambia de color?" (does it fade), "주소 바꿀 수 있나요" (change the address), "when will XL
return" (restock); a bare "đổi màu" / "เปลี่ยนสี" is a colour that changes unless it is asked whether it can be done.
"""

from __future__ import annotations

import re
import unicodedata

from bot.slots import reads_as_question
from catalog.text import fold_text, strip_latin_marks

__all__ = [
    "EXCHANGE", "MAX_CHARS", "RETURN", "asks_exchange", "asks_if_exchangeable", "folded", "names_size_or_colour",
]

EXCHANGE = "exchange"
RETURN = "return"
MAX_CHARS = 60  # a longer comment says more than one thing: the matcher decides (the unsure reading)

_EXCHANGE = re.compile(
    # zh
    r"换货|换码|换尺码|换个码|换一个码|换一下码|换大|换小|换成|换颜色|换个颜色|换一个颜色|换色|能换|可以换|能不能换|可不可以换"
    r"|包换|退换|调换|换吗|换一双|换一件|换43|换4\d|换[sml]码|换xl"
    # en
    r"|\bexchange\w*|\bswap(?:ping)?\b|\btrade (?:it |them )?for\b"
    r"|\bchange (?:the |my )?size\b|\bchange it for\b|\bchange (?:it|them) to\b"
    # ja, ko
    r"|交換|取り替え|取替|取り換え|サイズ変更|교환|(?:사이즈|색상|컬러|색|치수)(?:를|을|는|은)?\s*(?:바꿀|바꿔|바꾸)"
    # th
    r"|เปลี่ยนไซส์|เปลี่ยนไซซ์|เปลี่ยนไซด์|เปลี่ยนขนาด|เปลี่ยนได้|เปลี่ยนสินค้า|เปลี่ยนของ|ขอเปลี่ยน|เปลี่ยนเป็น|เปลี่ยนตัว|เปลี่ยนคู่"
    r"|เปลี่ยนสี(?=ได้|ยังไง|อย่างไร)"
    # vi
    r"|\bdoi (?:size|sang|hang|tra|duoc|dc|co|so|lai|mau khac|cai khac|kich co)\b|\b(?:duoc|dc|cho|co) doi\b"
    # id
    r"|\btuker\w*|\btukar\w*|\bnukar\w*|\bditukar\w*|\bdituker\w*|\bganti (?:ukuran|size|warna|nomor|yang)\b"
    # es
    r"|\bcambiar\w*|\bcambio de (?:talla|color|numero)\b|\bun cambio\b|\bhacer cambio\b|\bcambiarme\b"
)
_RETURN = re.compile(
    r"退货|退款|能退|可以退|退吗|退不退|退回|无理由|退换|包退|退了"
    r"|\b(?:can|could|may) (?:i|we|u|you) return\b|\breturn (?:it|them|this|the item|if)\b|\breturns? policy\b"
    r"|\breturnable\b|\bfree returns\b|\bsend (?:it|them) back\b|\brefund\w*"
    r"|返品|返金|返却|반품|환불|คืนสินค้า|คืนของ|คืนได้|ส่งคืน|ขอคืน|คืนเงิน"
    r"|\btra hang\b|\btra lai\b|\bhoan tien\b|\bdoi tra\b"
    r"|\bretur(?:nya|an)?\b|\bdiretur\w*|\bbisa (?:di)?return\b|\bbalikin\b|\bdikembalikan\b|\bkembalikan\b"
    r"|\bdevolver\w*|\bdevolucion\w*|\breembols\w*"
)
# ... not those: the season, showing another colour on stage, a colour that fades, an address
_NOT_EXCHANGE = re.compile(
    r"换季|换个角度|换.{0,6}(?:看看|试试|展示|给我们看)|主播换|\bdoi mau (?:khong|ko|k)\b|\bbi doi mau\b|ซัก.{0,12}เปลี่ยนสี"
    r"|สีเปลี่ยน|\bcambia de color\b|\bcambian de color\b|주소|\baddress\b|\bdireccion\b|\balamat\b|\bdia chi\b|ที่อยู่|住所|地址"
)
# a size, a fit or a colour said: what an exchange asked "about a size" names
_SIZE_OR_COLOUR = re.compile(
    r"码|尺码|尺寸|大小|小了|大了|合身|合适|合脚|颜色|サイズ|色|사이즈|작으|크면|크게|작게|색상|ไซส์|ไซด์|ขนาด|เล็ก|ใหญ่|สี"
    r"|\bsize\b|\bfit\b|too (?:small|big|tight|large)|\bcolou?r\b|\bchat\b(?! lieu)|\brong\b|\bvua\b|\bmau\b"
    r"|\bukuran\b|\bnomor\b|\bkekecilan\b|\bkebesaran\b|\bmuat\b|\bwarna\b|\btalla\b|\bnumero\b|\bchic[oa]\b|\bgrande\b"
    r"|\bqued[ae]\b|\bcolor\b"
)
# Whether it can be done, or how: "能换吗", "can I", "できますか", "돼요", "ได้ไหม", "được không", "bisa", "se puede",
# "怎么换", "how do" (matched with Latin marks: "como" and "cómo" both listed). "换货要多久到" asks how long a delivery
# takes, which the exchange FAQ does not say.
_CAN_OR_HOW = re.compile(
    r"能|可以|可不可以|行吗|行不行|怎么|如何"
    r"|\b(?:can|could|may)\s+(?:i|we|u|you)\b|\bis it possible\b|\bhow (?:do|does|can|to)\b|\bpossible\b"
    r"|できます|できる|出来|可能|どうやって|方法"
    r"|돼요|되나요|될까요|되요|돼\?|가능|할 수 있|어떻게"
    r"|ได้ไหม|ได้มั้ย|ได้หรือเปล่า|ได้ป่าว|ได้ไม|ยังไง|อย่างไร"
    r"|\b(?:được không|duoc khong|được ko|duoc ko|đc không|đc ko|dc ko|dc khong|được chứ|được hông|được hem|được k"
    r"|có được|co duoc|làm sao|lam sao|thế nào|the nao|như nào|nhu nao)\b"
    r"|\b(?:bisa|boleh|gimana|bagaimana|caranya)\b"
    r"|\b(?:se puede|puedo|podría|podria|pueden|posible|cómo|como)\b"
)


# Vietnamese words that fold to "doi" like đổi (exchange) but are not it: đôi (a pair), đời (life, "ngoài đời" = in
# real life), đói, đồi, dời, dơi; written with their marks, they are blanked before the marks are dropped
_NOT_DOI = re.compile(r"(?<![^\W\d_])(?:đôi|đời|đói|đồi|dời|dơi)(?![^\W\d_])")


def folded(text: str) -> str:
    """The matching form of these lists: NFKC, casefold, no Latin marks ("đôi" / "đời" are not "doi")."""
    return strip_latin_marks(_NOT_DOI.sub("_", unicodedata.normalize("NFKC", text or "").casefold()))


def asks_exchange(text: str) -> str | None:
    """``EXCHANGE`` or ``RETURN`` when ``text`` speaks of exchanging or returning goods, else None (an exchange
    word wins: "退换" and "đổi trả" ask both)."""
    f = folded(text)
    kind = EXCHANGE if _EXCHANGE.search(f) else RETURN if _RETURN.search(f) else None
    return None if kind is None or _NOT_EXCHANGE.search(f) else kind


def asks_if_exchangeable(text: str) -> bool:
    """Does a short ``text`` ask whether (or how) a size, a colour or the item can be exchanged ("đổi size được
    không", "可以换码吗", "how do exchanges work")?"""
    if len(text or "") > MAX_CHARS or asks_exchange(text) != EXCHANGE:
        return False
    return _CAN_OR_HOW.search(fold_text(text)) is not None and reads_as_question(text, types_count=False)


def names_size_or_colour(text: str) -> bool:
    """Does ``text`` name a size, a fit or a colour ("사이즈 잘못 시켰는데", "kekecilan", "talla")? The 色 of a bare
    "换色" (recoloured, in chat: "你是不是安柏换色") is the verb's, not a colour named; "换颜色" / "颜色能换吗" name one."""
    return _SIZE_OR_COLOUR.search(_RECOLOURED.sub(" ", folded(text))) is not None


_RECOLOURED = re.compile(r"换色")
