"""When a sold-out variant comes back, as the shop says it: its restock FAQ's answer after the structured answer.

A structured restock answer said what is left ("黑色XL码刚售罄,白色XL码还有6件", "Sorry, sold out: black, size XL; …"),
not when the sold-out variant is back, which is what the viewer asked. The shop says that in its own words, in the FAQ
it wrote for restock questions ("售罄的款一般3-5天内补货,在商品页点「到货提醒」…", "Sold-out items usually come back within
3–5 days …"), edited in the console like any FAQ and written per language. That answer, in the reply's language, follows
the sold-out answer. So it is data, not code: a shop that never restocks a limited edition gives that product its own
restock FAQ ("售完不补"), which wins over the shop's global one; a shop without a restock FAQ, or without its answer in
the reply's language (never a sentence of another language inside a reply), gets the answer as before.

Which FAQ answers restock questions: one labelled with the intent ``ask_restock``, else one whose example questions are
mostly restock questions as the recogniser reads them (bot/slots.py ``question_type``: 补货, restock, come back,
再入荷, 재입고, เติมสต็อก, về hàng, kapan restock, reponen …); the demo catalog's ``restock`` FAQ (intent ask_stock) by
its examples. Found once per product and catalog version (``CatalogView.restock_memo``), reading only the global FAQs
and the product's own.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from bot.pipeline import CatalogView
from bot.slots import question_type
from catalog.errors import CatalogError
from catalog.snapshot import FaqInfo, ProductInfo
from catalog.templates import RenderContext, render

__all__ = ["RESTOCK_INTENT", "is_restock_faq", "restock_faq", "restock_note"]

RESTOCK_INTENT = "ask_restock"
_SHARE = 0.5  # at least this share of a FAQ's example questions read as restock questions


def _answers_restock(faq: FaqInfo) -> float:
    """How much ``faq`` is the shop's restock FAQ: 1 for the ask_restock intent, else the share of its example
    questions that read as restock questions (0 below ``_SHARE``)."""
    if faq.intent == RESTOCK_INTENT:
        return 1.0
    if not faq.questions:
        return 0.0
    share = sum(
        question_type(unicodedata.normalize("NFKC", q).casefold()) == "restock" for q in faq.questions
    ) / len(faq.questions)
    return share if share >= _SHARE else 0.0


def is_restock_faq(faq: FaqInfo) -> bool:
    """Is ``faq`` a FAQ that answers restock questions (the ``ask_restock`` intent, or mostly restock examples)?"""
    return _answers_restock(faq) > 0


def restock_faq(view: CatalogView, product_id: str) -> FaqInfo | None:
    """The FAQ that says when ``product_id``'s sold-out goods come back: its own restock FAQ, else the shop's global
    one (the one most of whose examples ask it; ties by id), else None."""
    memo = view.restock_memo
    if product_id not in memo:
        best: tuple[int, float, str] | None = None
        for faq in view.snapshot.faqs.values():
            if faq.product_id not in (None, product_id):
                continue
            share = _answers_restock(faq)
            if share <= 0:
                continue
            rank = (1 if faq.product_id == product_id else 0, share, faq.id)
            if best is None or rank[:2] > best[:2] or (rank[:2] == best[:2] and rank[2] < best[2]):
                best = rank
        memo[product_id] = best[2] if best is not None else None
    found = memo[product_id]
    return view.snapshot.faqs.get(found) if found is not None else None


def restock_note(view: CatalogView, product: ProductInfo, lang: str, asked: Mapping[str, str]) -> str | None:
    """The restock FAQ's answer for ``product`` in ``lang`` (rendered with the live product and the asked variant),
    or None: no restock FAQ, no answer written in ``lang``, or a template that cannot be filled."""
    faq = restock_faq(view, product.id)
    if faq is None:
        return None
    tag = faq.answer_tag(lang)
    template = faq.answers.get(tag) if tag is not None else None
    if not template:
        return None
    try:
        text = render(template, RenderContext(product=product, lang=lang, asked=asked))
    except CatalogError:  # a template that cannot be filled here (RenderError, TemplateError, MissingText)
        return None
    return text.strip() or None
