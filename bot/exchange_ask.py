"""An exchange or a return asked about a size is the exchange / returns question, never the size, fit or stock.

"kak bisa tuker ukuran kalo kekecilan?" (can I swap the size if it is too small?) was answered with the shoes' fit:
"kekecilan" (too small) is a fit word and "ukuran" a size word, and nothing read "tuker" (swap). A comment that says
exchange or return — 换货 / 换码 / 能换吗, 退货 / 能退吗, exchange / swap, return it, 交換, 返品, 교환, 반품, เปลี่ยนไซส์,
คืนสินค้า, đổi size, trả hàng, tuker / tukar, retur, cambiar, devolver — asks what the shop's policy is; the catalog's
exchange FAQ (for an exchange) or its returns FAQ (for a return) answers it: the FAQs of intent ``ask_return`` whose
example questions say exchange, or return, for the most part. A structured answer (stock, a size, the fit, the price)
or a stock / size / price FAQ or a product's own FAQ given to it is replaced by that FAQ; when the matcher was unsure
(silent, staff) the FAQ answers only a question that names a size, a colour or a variant ("사이즈 잘못 시켰는데 교환
돼요?"), the kind this module is about. An exchange or returns FAQ the matcher chose stays, and so do a complaint or
chit-chat the intent model named and a problem with goods received (bot/after_sales.py, applied after).

The words (and those that look alike but are not an exchange) are bot/exchange_words.py's; the FAQ is found by
bot/faq_kinds.py. Data and pure functions; the engine applies ``exchange_decision`` in bot/answer_checks.py.
"""

from __future__ import annotations

from dataclasses import replace

from bot.exchange_words import EXCHANGE, RETURN, asks_exchange, names_size_or_colour
from bot.faq_kinds import kind_faq, kind_intent
from bot.pipeline import ANSWER, RECOMMEND, SILENT, STAFF, CatalogView, Decision, Understanding
from bot.slots import Slots, reads_as_question
from bot.structured import STRUCTURED

__all__ = ["EXCHANGE", "EXCHANGE_ASKED", "RETURN", "exchange_decision"]

EXCHANGE_ASKED = "an exchange or a return asked: the catalog's exchange / returns FAQ, not the size, fit or stock"
RETURN_INTENT = kind_intent(EXCHANGE)

_WRONG_KIND_INTENTS = frozenset({"ask_stock", "ask_size", "ask_price"})


def exchange_decision(text: str, u: Understanding, d: Decision, slots: Slots, view: CatalogView) -> Decision | None:
    """The exchange / returns FAQ for an exchange or a return asked, or None (``d`` stands)."""
    if u.empty or d.band == RECOMMEND or d.reason.startswith("intent "):
        return None
    kind = asks_exchange(text)
    if kind is None:
        return None
    faq = view.snapshot.faqs.get(d.faq_id) if d.band == ANSWER and d.path == "faq" and d.faq_id else None
    if faq is not None and faq.intent == RETURN_INTENT:
        return None  # the matcher chose an exchange or returns FAQ
    if d.band == ANSWER:
        wrong_kind = d.path == STRUCTURED or (
            faq is not None and (faq.intent in _WRONG_KIND_INTENTS or faq.product_id is not None)
        )
    else:
        wrong_kind = False
    unsure = d.band in (SILENT, STAFF) and reads_as_question(text) and (
        bool(slots.values) or names_size_or_colour(text)
    )
    if not (wrong_kind or unsure):
        return None
    product_id = d.product_id or u.product_id
    other = RETURN if kind == EXCHANGE else EXCHANGE
    target = kind_faq(view.snapshot, product_id, kind) or kind_faq(view.snapshot, product_id, other)
    if target is None:
        return replace(d, band=STAFF, reason=EXCHANGE_ASKED) if wrong_kind else None
    return replace(
        d, band=ANSWER, path="faq", faq_id=target, reason=EXCHANGE_ASKED, qtype=None, attribute=None, asked={},
        product_id=product_id,
    )
