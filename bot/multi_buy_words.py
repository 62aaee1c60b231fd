"""A discount asked for several items, read from a comment's words (the one discount list: bot/quantity_words.py).

Two readings, one list:

- ``asks_multi_buy``: a discount word with a quantity ("buat parsel kantor 40 box ada diskon?", "beli 2 ada
  potongan") or several variants or products bought together ("kastil + dino", "grey and pink in one order"), read
  whatever the matcher chose (bot/multi_buy.py); it also tells the catalog's multi-buy FAQ by its example questions
  (bot/faq_kinds.py);
- ``asks_discount_for_several``: a short question with a count of the thing itself ("mua 2 đôi có giảm ko", "买三双有
  折扣吗", "2足買ったら安くなりますか") — the reading of a question the matcher left unsure
  (bot/answer_checks.faq_of_kind). A count the product's own name carries ("5双装") is not several.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.quantity_words import names_discount, names_quantity, names_together
from bot.sibling_kind import asks_for_several
from bot.slots import reads_as_question

__all__ = ["MAX_CHARS", "asks_discount_for_several", "asks_multi_buy"]

MAX_CHARS = 60  # a longer comment says more than one thing: the matcher decides (the unsure reading)


def asks_multi_buy(text: str, values: Sequence[tuple[str, str, str]] = (), products: Sequence[str] = ()) -> bool:
    """Does ``text`` ask for a discount on several items? ``values`` / ``products``: the variant values and products
    the recogniser read in it (several of them joined by "+", "and … in one order", "一起" count as several items)."""
    if not names_discount(text):
        return False
    if names_quantity(text):
        return True
    distinct = {(pid, attr, value) for pid, attr, value in values}
    return names_together(text) and (len(distinct) >= 2 or len(set(products)) >= 2)


def asks_discount_for_several(text: str, own_numbers: frozenset[str] = frozenset()) -> bool:
    """Does a short ``text`` ask for a discount on several of the thing ("mua 2 đôi có giảm ko", "买三双有折扣吗")? A
    count the product's own name carries ("5双装") is not several (``own_numbers``, bot/sibling_kind.asks_for_several);
    a question word or mark, not a price word alone ("mua 2 đôi giảm giá quá rẻ luôn" is an exclamation)."""
    if len(text or "") > MAX_CHARS or not names_discount(text):
        return False
    return asks_for_several(text, own_numbers) and reads_as_question(text, types_count=False)
