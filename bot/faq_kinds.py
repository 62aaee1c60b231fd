"""Two kinds of question a shop answers with one FAQ of a kind the catalog says itself, read from the comment's words:

- **a discount for buying several** ("mua 2 đôi có giảm ko", "beli 2 ada diskon?", "买三双有折扣吗", "2足買ったら安く
  なりますか", "두 켤레 사면 할인 돼요?", "ซื้อ 2 คู่ลดไหม", "if i buy 2 is there a discount"): a count of the thing
  (:func:`bot.sibling_kind.asks_for_several`) with a discount word, asked → the catalog's one discount FAQ
  (intent ``ask_discount``) whose example questions name several ("买两件有优惠吗", "discount if I buy two"), not its
  coupon FAQ;
- **which size to take, the viewer's usual size or feet given** ("chân mình size 40 thì lấy size nào", "giày có form
  nhỏ ko ạ, e hay đi 39", "chân bè thì lấy size nào", "normalmente calzo 40, pido 41?": bot/sibling_kind.asks_size_advice)
  → the product's own size FAQ (intent ``ask_size``) whose answer advises rather than quoting stock;
- **an exchange** ("mình muốn đổi màu khác có được không", "kalau mau tukar ukuran bisa?", "可以换码吗", "サイズ交換
  できますか", "사이즈 교환 돼요?", "เปลี่ยนไซส์ได้ไหม", "can I swap the colour", "¿puedo cambiar la talla?"): an
  exchange word, asked → the catalog's one return FAQ (intent ``ask_return``) whose example questions name an
  exchange, not its returns FAQ.

The matcher often ranks that FAQ first but below the answer threshold (Vietnamese frames "… có … không" sit close to
each other for the embedder). Only a decision it left unsure (silent or staff for low confidence), or one that
answered with another FAQ of the same intent (the coupon FAQ for a multi-buy question), is rerouted; the intent
route's complaints, spam and chit-chat and confident answers of another kind are never touched
(bot/answer_checks.py). Pure functions of the text and the catalog snapshot; the FAQ is looked up once per snapshot.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.product_words import per_snapshot
from bot.sibling_kind import asks_for_several
from bot.slots import reads_as_question
from catalog.text import fold_text

if TYPE_CHECKING:
    from catalog.snapshot import CatalogSnapshot, FaqInfo

__all__ = [
    "DISCOUNT_INTENT", "EXCHANGE", "MULTI_BUY", "RETURN_INTENT", "SIZE_ADVICE", "SIZE_INTENT", "asks_exchange",
    "asks_multi_buy", "kind_faq",
]

MULTI_BUY = "asks a discount for buying several: the discount FAQ that names several"
EXCHANGE = "asks to exchange a size or colour: the return FAQ that names an exchange"
SIZE_ADVICE = "gives the viewer's usual size or feet: the product's size FAQ that advises"
DISCOUNT_INTENT = "ask_discount"
RETURN_INTENT = "ask_return"
SIZE_INTENT = "ask_size"

MAX_CHARS = 60  # a longer comment says more than one thing: the matcher decides

# A discount, a lower price or a deal, in the room languages (Latin words stand alone).
_DISCOUNT = re.compile(
    r"优惠|便宜|打折|折扣|几折|满减|划算|減價|减价"
    r"|\b(?:discount|discounts|deal|deals|cheaper|promo|bundle|bulk|offer|offers)\b"
    r"|割引|安く|安い|お得|値引|まとめ買い"
    r"|할인|싸게|싸요|더 싸|깎아|저렴"
    r"|ส่วนลด|ลดไหม|ลดมั้ย|ลดได้|ลดราคา|ลดอีก|ถูกลง|ถูกกว่า|โปร"
    r"|\b(?:giảm|giam|bớt|bot|rẻ hơn|re hon|khuyến mãi|khuyen mai|ưu đãi|uu dai)\b"  # not "sale": "cuánto sale" costs
    r"|\b(?:diskon|potongan|murah|promo|korting)\b"
    r"|\b(?:descuento|descuentos|rebaja|rebajas|barato|más barato|mas barato|oferta|promoción|promocion)\b"
)
# An exchange of what was bought (a size, a colour, the item), in the room languages; a bare "đổi màu" / "变色" is
# a colour that changes (fades), not an exchange, so Vietnamese needs what it is changed for.
_EXCHANGE = re.compile(
    r"换码|换尺码|换个码|换大一码|换小一码|换颜色|换个颜色|换色|换货|换一下码|可以换吗|能换吗|能不能换"
    r"|\b(?:exchange|exchanges|exchanging|swap|swapping)\b"
    r"|交換|取り替え|取替"
    r"|교환"
    r"|เปลี่ยนไซส์|เปลี่ยนไซซ์|เปลี่ยนสี|เปลี่ยนสินค้า|เปลี่ยนตัว|เปลี่ยนขนาด"
    r"|\b(?:đổi size|doi size|đổi cỡ|doi co|đổi sang|doi sang|đổi màu khác|doi mau khac|đổi hàng|doi hang"
    r"|đổi cái khác|doi cai khac|đổi lại|doi lai)\b"
    r"|\b(?:tukar|tuker|nukar|ditukar|ganti ukuran|ganti warna|ganti size)\b"
    r"|\bcambiar (?:la talla|el color|de talla|de color|el número|el numero|la)\b|\bcambio de (?:talla|color|número|numero)\b"
    r"|\bcambiarlo\b|\bcambiarla\b"
)


def asks_multi_buy(text: str, own_numbers: frozenset[str] = frozenset()) -> bool:
    """Does ``text`` ask for a discount on several of the thing ("mua 2 đôi có giảm ko", "买三双有折扣吗")? A count the
    product's own name carries ("5双装") is not several (``own_numbers``, as bot/sibling_kind.asks_for_several)."""
    if len(text or "") > MAX_CHARS or not _DISCOUNT.search(fold_text(text)):
        return False
    # a question word or mark, not a price word alone: "mua 2 đôi giảm giá quá rẻ luôn" is an exclamation
    return asks_for_several(text, own_numbers) and reads_as_question(text, types_count=False)


# Whether it can be done, or how: "能换吗", "can I", "できますか", "돼요", "ได้ไหม", "được không", "bisa", "se puede",
# "怎么换", "how do". "换货要多久到" asks how long a delivery takes, which the exchange FAQ does not say.
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


def asks_exchange(text: str) -> bool:
    """Does ``text`` ask whether (or how) a size, a colour or the item can be exchanged ("đổi size được không",
    "可以换码吗", "how do exchanges work")?"""
    if len(text or "") > MAX_CHARS:
        return False
    folded = fold_text(text)
    return bool(_EXCHANGE.search(folded)) and bool(_CAN_OR_HOW.search(folded)) and reads_as_question(
        text, types_count=False)


@functools.lru_cache(maxsize=1024)
def _names_several(questions: tuple[str, ...]) -> bool:
    return any(asks_for_several(q) for q in questions)


@functools.lru_cache(maxsize=1024)
def _names_exchange(questions: tuple[str, ...]) -> bool:
    return any(_EXCHANGE.search(fold_text(q)) for q in questions)


def _advises(faq: FaqInfo) -> bool:
    """A product's own size FAQ whose answer advises (the fit, a size guide), not one that quotes stock."""
    return faq.product_id is not None and not any(
        "{stock" in t or "_in_stock}" in t or "{asked_stock}" in t for t in faq.answers.values()
    )


_KINDS: dict[str, Callable[[FaqInfo], bool]] = {
    DISCOUNT_INTENT: lambda faq: _names_several(tuple(faq.questions)),
    RETURN_INTENT: lambda faq: _names_exchange(tuple(faq.questions)),
    SIZE_INTENT: _advises,
}


@per_snapshot
def _kind_faqs(snapshot: CatalogSnapshot) -> dict[tuple[str, str | None], tuple[str, ...]]:
    """(intent, product id or None) → the FAQs of that intent whose example questions name its kind (or, for sizes,
    whose answer advises), built once per snapshot (the comment path reads a dict, not the FAQ list)."""
    out: dict[tuple[str, str | None], list[str]] = {}
    for faq in snapshot.faqs.values():
        fits = _KINDS.get(faq.intent or "")
        if fits is not None and fits(faq):
            out.setdefault((faq.intent or "", faq.product_id), []).append(faq.id)
    return {key: tuple(ids) for key, ids in out.items()}


def kind_faq(snapshot: CatalogSnapshot, product_id: str | None, intent: str, *, own_only: bool = False) -> str | None:
    """The catalog's one FAQ of ``intent`` (``DISCOUNT_INTENT`` / ``RETURN_INTENT`` / ``SIZE_INTENT``) of its kind, the
    product's own first, else (unless ``own_only``) one for every product; None when there is none or more than one."""
    found = _kind_faqs(snapshot)
    keys: list[tuple[str, str | None]] = [(intent, product_id)] if product_id is not None else []
    if not own_only:
        keys.append((intent, None))
    for key in keys:
        ids = found.get(key, ())
        if ids:
            return ids[0] if len(ids) == 1 else None
    return None
