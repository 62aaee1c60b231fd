"""Structured answers: question type × slots → an answer from the catalog's live data, with no FAQ needed.

Two pure steps:
- :func:`structured_decision` decides whether a comment is a structured question the catalog can answer exactly
  (stock / count / price of a variant, what sizes or colours are left, a product attribute, a restock) and whether a
  staff-written FAQ should win instead;
- :func:`render_structured` turns that decision and the product as read **live** (stock at answer time) into
  the reply. A sold-out variant is never answered as available: the text is computed from the stock numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace

from bot.compare_point import faq_answers_a_choice
from bot.pipeline import ANSWER, EXACT_MATCH, RECOMMEND, SILENT, STAFF, CatalogView, Decision, Understanding
from bot.size_advice import ADVICE, advice_decision, render_advice
from bot.slots import Slots
from catalog.answer_text import PLENTY, render_text, variant_label
from catalog.phrases import LANGS as PHRASE_LANGS
from catalog.phrases import has_phrases
from catalog.snapshot import ProductInfo

__all__ = ["PLENTY", "STRUCTURED", "render_structured", "structured_decision", "structured_languages", "variant_label"]

STRUCTURED = "structured"
_COLOUR_ATTRS = frozenset({"colour", "color"})


def structured_decision(u: Understanding, d: Decision, slots: Slots, view: CatalogView) -> Decision | None:
    """The structured reading of a comment, or None (the FAQ / silence / staff decision stands)."""
    if u.empty or (slots.qtype is None and not slots.size_question):
        return None
    if d.band == STAFF and d.reason.startswith("intent "):
        return None  # complaints and other never-auto-answered intents stay with staff
    products = view.snapshot.products
    pid = _product_for(u.product_id, u.product_how, slots, products)
    if pid is None:
        return None
    if pid != u.product_id and d.band == ANSWER and d.reason == EXACT_MATCH:
        # a value alone pointed at a product nobody named and not on stage ("¿es original?": the nuts' "original"
        # flavour, shoes on stage), while the comment is worded like an example staff wrote for a FAQ: the FAQ's
        return None
    if pid != u.product_id and u.product_id is not None and slots.loose:
        # only a value pointed away from the product on stage, among words the recogniser did not read, and no question
        # word asked for stock ("es original?": the nuts' "original" flavour, shoes on stage): too little to answer
        # about a product nobody named (a bare "原味的呢" still asks for the nuts' flavour)
        return None
    if slots.loose and d.band == ANSWER and d.faq_id is not None and (
        (faq_here := view.snapshot.faqs.get(d.faq_id)) is not None and faq_here.product_id == pid
    ):
        # the same weak reading beside a FAQ of that very product that matched: "¿el de 50 ml conviene más?" asks the
        # serum's 30-vs-50 FAQ, not whether the 50 ml is left (no word asked for stock)
        return None
    if (
        pid != u.product_id and u.product_how == "stage" and slots.values and not slots.by_code
        and {a for p, a, _ in slots.values if p == pid} <= _COLOUR_ATTRS
    ):
        # a colour the product on stage does not come in ("没有粉色吗", the tee on stage) is not a question about
        # another product that has it (the stroller's pink): colours are shared by too many products to say which.
        # A shade code is not a colour of many ("son màu 21", the thermos on stage: the lipstick's #21)
        return None
    product = products[pid]
    asked = slots.asked_for(pid)
    if slots.size_question:  # measurements and "穿什么码": the product's size chart answers (bot/size_advice.py)
        return advice_decision(d, slots.body, product, asked)
    q = slots.qtype
    key: str | None = None
    if q == "price" and slots.other_cost:
        return None  # "黒のLありますか？送料はいくら？": the cost asked may be the postage, not the goods
    if q in ("stock", "count", "restock", "price"):
        if not asked and not (q == "price" and slots.plain_price and d.band in (SILENT, STAFF)):
            # "还有货吗" / "多少钱" about the whole product: the catalog's FAQs answer those; a plain price question
            # no FAQ answered confidently ("このベビーカーいくらですか") gets the product's price from the catalog
            return None
    elif q == "which":
        attrs = {a for v in product.variants for a in v.attrs}
        if slots.which not in attrs:
            return None
    elif q == "attribute":
        if d.band == RECOMMEND:
            return None  # "新生儿礼物买什么好" asks for a recommendation, not the stroller's age range
        key = next((k for k in slots.attributes if k in product.attributes), None)
        if key is None:
            return None
    if d.band == ANSWER and d.faq_id is not None:
        faq = view.snapshot.faqs.get(d.faq_id)
        if (
            faq is not None and (faq.product_id == pid or q == "attribute") and _same_question(faq.intent, q)
            and not (q == "attribute" and _answers_other_attribute(faq.answers.values(), key))
            and not (q in ("stock", "count") and not slots.loose and not _quotes_stock(faq.answers.values()))
        ):
            return None  # a FAQ staff wrote for this product (or this attribute) matched the same question: it wins
        # ... unless a stock word asks for a named variant and the FAQ's answer says nothing of stock: "size 42 màu
        # đen còn không" → the shoes' size-advice FAQ (intent ask_size, "runs small, take one size up") at 0.87
        if (
            faq is not None and faq.product_id == pid and q == "stock" and slots.loose
            and (faq.intent == "compare" or faq_answers_a_choice(faq.questions))
        ):
            # "¿conviene más el de 50ml que el de 30?" → "Sí, hay stock de 50ml": a value named with a question mark and
            # words the recogniser did not read, no stock word — and the product's FAQ for a choice between its options
            # matched them (serum-30-vs-50): the choice is asked, not the value's stock
            return None
    attribute = key if q == "attribute" else slots.which
    return replace(
        d, band=ANSWER, path=STRUCTURED, qtype=q, attribute=attribute,
        asked=asked, product_id=pid, faq_id=None, reason=f"structured {q}{slots_note(q, attribute, asked)}",
    )


def slots_note(qtype: str | None, attribute: str | None, asked: Mapping[str, str]) -> str:
    """What a structured answer read, kept in its reason for the console's live page (bot/console/live.py
    `reason_details`): " slots=colour:黑色,size:43" for the variant values asked, the attribute (or the kind of
    option listed) first as "attribute:weight" / "which:size"; "" when it read none."""
    pairs = [("attribute" if qtype == "attribute" else "which", attribute)] if attribute and qtype in (
        "attribute", "which") else []
    pairs += [(k, v) for k, v in asked.items() if v]
    return " slots=" + ",".join(f"{k}:{v}" for k, v in pairs) if pairs else ""


# The FAQ intents that ask what a structured question type asks. A product FAQ of another intent ("30ml or 50ml?",
# a comparison) does not beat the stock answer to "50毫升的没了?"; a FAQ without an intent always may.
_FAQ_INTENTS: Mapping[str, frozenset[str]] = {
    "stock": frozenset({"ask_stock", "ask_size"}),
    "count": frozenset({"ask_stock"}),
    "which": frozenset({"ask_stock", "ask_size"}),
    "restock": frozenset({"ask_stock"}),
    "price": frozenset({"ask_price"}),
}


_ATTR_PLACEHOLDER = re.compile(r"\{attr:([^}]+)\}")


def _quotes_stock(answers: Iterable[str]) -> bool:
    """Does a FAQ's answer quote live stock ({asked_stock}, {stock:…}, {sizes_in_stock} …)?"""
    return any("{stock" in t or "_in_stock}" in t or "{asked_stock}" in t for t in answers)


def _answers_other_attribute(answers: Iterable[str], key: str | None) -> bool:
    """Does a FAQ answer another attribute than the one asked? Its answers quote attributes ({attr:max_load}) and
    none of them is ``key``: "หนักกี่กิโล" asks the stroller's own weight, its max-load FAQ answers the load it
    carries (a sibling FAQ the embedder put first)."""
    quoted = {m for text in answers for m in _ATTR_PLACEHOLDER.findall(text)}
    return bool(quoted) and key is not None and key not in quoted


def _same_question(intent: str | None, qtype: str | None) -> bool:
    wanted = _FAQ_INTENTS.get(qtype or "")
    return intent is None or wanted is None or intent in wanted


def _product_for(resolved: str | None, how: str, slots: Slots, products: Mapping[str, ProductInfo]) -> str | None:
    """The resolved product when it has the named values; else (only when nothing was named explicitly) the one
    product that has them. "袜子44码能穿吗" names the socks: never answered with the shoes' size 44."""
    if resolved is not None and resolved in products and (slots.asked_for(resolved) or not slots.values):
        return resolved
    if how in ("named", "platform"):
        return None
    if slots.values:
        owners = {pid for pid, _, _ in slots.values}
        named = [pid for pid in slots.products if pid in owners]
        if len(named) == 1:
            return named[0]
        if len(owners) == 1:
            return next(iter(owners))
        return None
    return resolved if resolved in products else None


# ------------------------------------------------------------------------------------------ rendering (pure)


def structured_languages(d: Decision) -> set[str]:
    """The languages a structured answer can be worded in: the phrasebook's (catalog/phrases.py)."""
    return set(PHRASE_LANGS)


def render_structured(
    d: Decision, product: ProductInfo, *, currency: Mapping[str, str], last_restock: float | None = None,
    restock_note: str | None = None,
) -> str | None:
    """The reply for a structured decision, from ``product`` as read live. None when nothing exact can be said;
    `catalog.phrases.MissingText` when a name the reply needs has no version in the reply's language.
    ``restock_note``: when sold-out goods come back, in the shop's words (bot/restock_note.py)."""
    lang = "zh" if d.lang == "zh" else "en"
    asked = dict(d.asked)
    # the wording, in any language of the phrasebook (catalog/phrases.py): catalog/answer_text.py
    text_lang = d.lang if has_phrases(d.lang) else lang
    if d.qtype == ADVICE:
        return render_advice(product, asked, text_lang)
    return render_text(
        d.qtype, d.attribute, asked, product, text_lang, currency=currency, last_restock=last_restock,
        restock_note=restock_note,
    )
