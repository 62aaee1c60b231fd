"""Does the answer about to be given speak of what the comment asks? The texts an answer comes from
(``answer_texts``: a FAQ's example questions and answers and the attributes they quote, a structured attribute), and
the checks of branch h/older17 that read them (applied in bot/answer_checks.py ``with_structured``):

- ``stock_reading`` / ``freshness_decision``: "is it fresh stock?" is the product's shelf-life FAQ's (a kind of
  bot/faq_kinds.py), never a stock answer;
- ``one_products_answer``: which of the shop's products to get ("乾燥肌にはどれがおすすめ？") is not answered by one
  product's own attribute or FAQ;
- ``property_of_a_thing_attribute``: the packaging's material ("包装袋是什么材质的") is not the product's;
- ``speaks_of_property``: a property of the closed list asked of a variant ("白灰色的鞋底会发黄吗": yellowing) is
  answered only by an answer that speaks of it (bot/property_words.py; the care instructions speak of the washing kinds).

Pure functions of the decision and the catalog snapshot.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from bot.attribute_words import attribute_words
from bot.faq_kinds import SHELF_LIFE_KIND, kind_faq
from bot.pipeline import ANSWER, STAFF, CatalogView, Decision, Understanding
from bot.property_words import ANSWERED_BY_ATTRIBUTE
from bot.recommend_ask import asks_what_to_get
from bot.slots import Slots
from bot.structured import STRUCTURED
from bot.value_property import predicate_said
from catalog.snapshot import CatalogSnapshot, FaqInfo
from catalog.text import fold_text

__all__ = [
    "FRESHNESS", "WHICH_TO_GET", "answer_texts", "freshness_decision", "one_products_answer",
    "property_of_a_thing_attribute", "speaks_of_property", "stock_reading",
]

# freshness asked (when the goods were made), which a stock answer does not say
FRESHNESS = "asks whether the goods are fresh: the product's shelf-life FAQ"
# which of the shop's products to take, answered with one product's own attribute or FAQ
WHICH_TO_GET = "asks which product to get, which one product's own answer does not choose"

_STOCK_READINGS = frozenset({"stock", "count", "which"})
_ATTR = re.compile(r"\{attr:([^}]+)\}")


def answer_texts(d: Decision, faq: FaqInfo | None, snapshot: CatalogSnapshot) -> tuple[str, ...]:
    """The texts an answer comes from, in every language: a FAQ's example questions and answer templates and the
    product attributes those quote; a structured attribute answer's attribute; nothing for stock, price or lists."""
    product = snapshot.products.get(d.product_id) if d.product_id else None
    attributes = product.attributes if product is not None else {}
    if d.path == STRUCTURED:
        return tuple(attributes.get(d.attribute, {}).values()) if d.qtype == "attribute" and d.attribute else ()
    if faq is None:
        return ()
    quoted = {key for text in faq.answers.values() for key in _ATTR.findall(text)}
    return (
        *faq.questions, *faq.answers.values(),
        *(text for key in sorted(quoted) for text in attributes.get(key, {}).values()),
    )


def stock_reading(d: Decision, view: CatalogView) -> bool:
    """Is ``d`` an answer about stock: a structured stock reading or a stock FAQ?"""
    if d.band != ANSWER:
        return False
    if d.path == STRUCTURED:
        return d.qtype in _STOCK_READINGS
    faq = view.snapshot.faqs.get(d.faq_id) if d.faq_id else None
    return faq is not None and faq.intent == "ask_stock"


def freshness_decision(u: Understanding, d: Decision, view: CatalogView) -> Decision:
    """The product's shelf-life FAQ for a freshness question, or staff when it has none."""
    faq_id = kind_faq(view.snapshot, u.product_id, SHELF_LIFE_KIND, own_only=True) if u.product_id else None
    if faq_id is None:
        return replace(d, band=STAFF, reason=FRESHNESS)
    return replace(d, band=ANSWER, path="faq", faq_id=faq_id, reason=FRESHNESS, qtype=None, attribute=None, asked={},
                   product_id=u.product_id)


def one_products_answer(d: Decision, view: CatalogView) -> bool:
    """Is ``d`` an answer from one product's own attribute or FAQ, none of whose example questions asks what to get?"""
    if d.band != ANSWER or d.product_id is None:
        return False
    if d.path == STRUCTURED:
        return d.qtype == "attribute"
    faq = view.snapshot.faqs.get(d.faq_id) if d.faq_id else None
    return faq is not None and faq.product_id is not None and not any(asks_what_to_get(q) for q in faq.questions)


# attributes that are things of their own (how the goods come packed): another attribute asked with them is theirs
_THING_ATTRIBUTES = ("packaging", "gift_box")


def property_of_a_thing_attribute(slots: Slots, d: Decision, view: CatalogView) -> bool:
    """Does the comment ask another attribute (a material, a weight) of the packaging or the gift box, and is ``d`` an
    answer that does not speak of them (the product's own material)?"""
    things = [a for a in slots.attributes if a in _THING_ATTRIBUTES]
    if d.band != ANSWER or not things or len(set(slots.attributes)) < 2:
        return False
    if d.path == STRUCTURED:
        return d.qtype == "attribute" and d.attribute not in _THING_ATTRIBUTES
    faq = view.snapshot.faqs.get(d.faq_id) if d.faq_id else None
    if faq is None:
        return False
    texts = fold_text(" ".join(answer_texts(d, faq, view.snapshot)))
    return not any(fold_text(w) in texts for a in things for w in attribute_words(a))


def speaks_of_property(d: Decision, kinds: tuple[str, ...], view: CatalogView) -> bool:
    """Does an answer (a structured attribute or a FAQ) speak of a property of ``kinds`` in any of its texts (a care
    FAQ that says "不会缩水", an example question "会起球吗")? True for what is not an answer of those kinds."""
    if d.band != ANSWER or (d.path == STRUCTURED and d.qtype != "attribute"):
        return True
    faq = view.snapshot.faqs.get(d.faq_id) if d.path != STRUCTURED and d.faq_id else None
    if d.path != STRUCTURED and faq is None:
        return True
    if d.path == STRUCTURED:
        keys = {d.attribute}
    else:
        keys = {k for t in faq.answers.values() for k in _ATTR.findall(t)} if faq is not None else set()
    if any(set(kinds) & ANSWERED_BY_ATTRIBUTE.get(str(key), frozenset()) for key in keys):
        return True  # "does the black one fade in the wash" → the care instructions
    texts = [unicodedata.normalize("NFKC", t).casefold() for t in answer_texts(d, faq, view.snapshot)]
    return any(predicate_said(t, kind) for t in texts for kind in kinds)
