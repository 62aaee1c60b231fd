"""The one place that finds the catalog's FAQ of a kind, for the questions a shop answers with one FAQ it names itself:

- ``MULTI_BUY_KIND``: a discount for buying several ("买两件有优惠吗", "beli 2 lebih murah?") — the FAQ of intent
  ``ask_discount`` whose example questions mostly ask that way (bot/multi_buy.asks_multi_buy), not the coupon FAQ;
- ``EXCHANGE`` / ``RETURN``: an exchange ("可以换码吗", "サイズ交換できますか") or a return ("能退吗", "반품 돼요?") —
  the FAQ of intent ``ask_return`` whose example questions mostly say so (bot/exchange_words.asks_exchange);
- ``SHELF_LIFE_KIND``: whether the goods are fresh, when they were made ("is it fresh stock?", "是新货吗") — the product's
  own FAQ of intent ``ask_spec`` some of whose example questions ask the shelf life or the production date
  (bot/fresh_words.py);
- ``SIZE_ADVICE_KIND``: which size to take, the viewer's usual size or feet given — the product's own FAQ of intent
  ``ask_size`` whose answer advises rather than quoting stock.

Its callers: bot/multi_buy.py and bot/exchange_ask.py (a discount for several items or an exchange read from the
comment's words and slots, whatever the matcher chose) and bot/answer_checks.py ``faq_of_kind`` / ``size_advice`` (a
question the matcher left unsure). The reasons of that unsure reroute are named here (the transcript and the console
read them as "a FAQ picked by its kind": bot/replay.py REROUTE_WORDS, bot/console/live.py). The FAQs are indexed once
per snapshot; the comment path reads a dict.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.exchange_words import EXCHANGE, RETURN, asks_exchange
from bot.fresh_words import names_shelf_life
from bot.multi_buy_words import asks_multi_buy
from bot.product_words import per_snapshot

if TYPE_CHECKING:
    from catalog.snapshot import CatalogSnapshot, FaqInfo

__all__ = [
    "EXCHANGE", "EXCHANGE_REASON", "MULTI_BUY", "MULTI_BUY_KIND", "RETURN", "SHELF_LIFE_KIND", "SIZE_ADVICE",
    "SIZE_ADVICE_KIND",
    "kind_faq", "kind_intent",
]

MULTI_BUY_KIND = "multi_buy"
SIZE_ADVICE_KIND = "size_advice"
SHELF_LIFE_KIND = "shelf_life"

# the reasons of the unsure reroute (bot/answer_checks.faq_of_kind, size_advice)
MULTI_BUY = "asks a discount for buying several: the discount FAQ that names several"
EXCHANGE_REASON = "asks to exchange a size or colour: the return FAQ that names an exchange"
SIZE_ADVICE = "gives the viewer's usual size or feet: the product's size FAQ that advises"


def _most(questions: tuple[str, ...], asks: Callable[[str], bool]) -> bool:
    return bool(questions) and 2 * sum(asks(q) for q in questions) >= len(questions)


def _advises(faq: FaqInfo) -> bool:
    """A product's own size FAQ whose answer advises (the fit, a size guide), not one that quotes stock."""
    return faq.product_id is not None and not any(
        "{stock" in t or "_in_stock}" in t or "{asked_stock}" in t for t in faq.answers.values()
    )


# kind -> (the FAQ's intent, does a FAQ of that intent answer that kind)
_KINDS: dict[str, tuple[str, Callable[[FaqInfo], bool]]] = {
    MULTI_BUY_KIND: ("ask_discount", lambda faq: _most(tuple(faq.questions), asks_multi_buy)),
    EXCHANGE: ("ask_return", lambda faq: _most(tuple(faq.questions), lambda q: asks_exchange(q) == EXCHANGE)),
    RETURN: ("ask_return", lambda faq: _most(tuple(faq.questions), lambda q: asks_exchange(q) == RETURN)),
    SIZE_ADVICE_KIND: ("ask_size", _advises),
    SHELF_LIFE_KIND: ("ask_spec", lambda faq: faq.product_id is not None and any(map(names_shelf_life, faq.questions))),
}


def kind_intent(kind: str) -> str:
    """The intent of the FAQs of ``kind`` ("ask_discount", "ask_return", "ask_size")."""
    return _KINDS[kind][0]


@per_snapshot
def _kind_faqs(snapshot: CatalogSnapshot) -> dict[tuple[str, str | None], tuple[str, ...]]:
    """(kind, product id or None) → the FAQs of that kind, built once per snapshot."""
    out: dict[tuple[str, str | None], list[str]] = {}
    for faq in snapshot.faqs.values():
        for kind, (intent, fits) in _KINDS.items():
            if faq.intent == intent and fits(faq):
                out.setdefault((kind, faq.product_id), []).append(faq.id)
    return {key: tuple(ids) for key, ids in out.items()}


def kind_faq(snapshot: CatalogSnapshot, product_id: str | None, kind: str, *, own_only: bool = False) -> str | None:
    """The catalog's one FAQ of ``kind``: the product's own first, else (unless ``own_only``) one for every product;
    None when there is none or more than one."""
    found = _kind_faqs(snapshot)
    keys: list[tuple[str, str | None]] = [(kind, product_id)] if product_id is not None else []
    if not own_only:
        keys.append((kind, None))
    for key in keys:
        ids = found.get(key, ())
        if ids:
            return ids[0] if len(ids) == 1 else None
    return None
