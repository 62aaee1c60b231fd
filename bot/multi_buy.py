"""A discount asked for several items is the multi-buy question, not a stock, size or coupon question.

"buat parsel kantor 40 box ada diskon?" (forty boxes for office parcels, any discount?) was answered with shoe size
40's stock, "kalo beli 2 set (kastil + dino) ada potongan ga kak?" with the castle set's stock: the recogniser read
a number or a variant, the stock frame ("ada … ga") and nothing of the discount. A comment that asks for a discount
(bot/quantity_words.py: diskon, potongan, giảm, 优惠, 打折, 便宜点, 할인, ลด, descuento, discount, 割引) and says
how many it buys (a number and a count noun, a buying verb and a number, "several" / "bulk" / "borong") or joins
several variants or products bought together ("kastil + dino", "grey and pink in one order") asks what several items
cost: the catalog's multi-buy FAQ answers it — the one FAQ of intent ``ask_discount`` whose example questions mostly
ask that way ("买两件有优惠吗", "beli 2 lebih murah?"; the coupon FAQ's "能便宜点吗" names no quantity). A catalog
without one keeps the matcher's decision. A coupon or a shipping cost named ("买两件能用券吗", "ongkir ada potongan
kalau beli 2?") is another question; a complaint or chit-chat the intent model named keeps its route.
"""

from __future__ import annotations

from dataclasses import replace

from bot.faq_kinds import MULTI_BUY_KIND, kind_faq
from bot.multi_buy_words import asks_multi_buy
from bot.pipeline import ANSWER, RECOMMEND, STAFF, CatalogView, Decision, Understanding
from bot.quantity_words import names_discount
from bot.slots import Slots
from bot.structured import STRUCTURED

__all__ = ["DISCOUNT_NOT_STOCK", "MULTI_BUY", "discount_read_as_stock", "multi_buy"]

MULTI_BUY = "a discount asked for several items: the multi-buy FAQ"
DISCOUNT_NOT_STOCK = "a discount asked, which a variant's stock does not answer"

def multi_buy(c_text: str, u: Understanding, d: Decision, slots: Slots, view: CatalogView) -> Decision | None:
    """The multi-buy FAQ's answer to a discount asked for several items, or None (``d`` stands)."""
    if u.empty or d.band == RECOMMEND or d.reason.startswith("intent "):
        return None
    if not asks_multi_buy(c_text, slots.values, slots.products):
        return None
    faq_id = kind_faq(view.snapshot, d.product_id or u.product_id, MULTI_BUY_KIND)
    if faq_id is None or (d.band == ANSWER and d.path == "faq" and d.faq_id == faq_id):
        return None
    return replace(
        d, band=ANSWER, path="faq", faq_id=faq_id, reason=MULTI_BUY, qtype=None, attribute=None,
        product_id=d.product_id or u.product_id, asked={},
    )


_STOCK_READINGS = frozenset({"stock", "count", "which"})


def discount_read_as_stock(c_text: str, d: Decision) -> Decision | None:
    """Staff for a discount asked of one variant that was read as its stock ("size 40 ada diskon?", "mua size 40
    có giảm không" → "size 40: 14 left"): the "ada … ?" / "có … không" frame, not the question. None: ``d`` stands."""
    if d.band != ANSWER or d.path != STRUCTURED or d.qtype not in _STOCK_READINGS or not names_discount(c_text):
        return None
    return replace(d, band=STAFF, reason=DISCOUNT_NOT_STOCK)
