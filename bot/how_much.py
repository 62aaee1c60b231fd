"""A bare "how much" asks the price: "kak strollernya brp?", "xe day nay bn vay", "รถเข็นเท่าไหร่คะ", "¿cuánto?".

The recogniser (bot/slots.py) reads a "how much" word of the room languages (bot/question_words.py: เท่าไหร่, bao
nhiêu / bn, berapa / brp / brapa, cuánto / cnto …) as a price question only about a named variant ("XL bao nhiêu"), since
the same word asks a weight, a length or an age ("nặng bao nhiêu", "berapa kg", "cuántos meses"). When nothing else is
said — no question type, no variant value, no attribute word, no number, and no word left but the product's own names
and chat filler — the comment can only ask what the product costs. The matcher may still have ranked another FAQ of
the product first on the product's noun ("kak strollernya brp?" → the stroller's weight FAQ at 0.99), or left it
unsure ("xe day nay bn vay": staff): the product's price from the catalog answers instead. A price FAQ that matched
stays; a word that is not one of the product's names ("ongkir brp?", "umur brp", "bao nhiêu kg", "ukurannya berapa",
"tahan berapa lama" — the words of its FAQs' examples are not enough) keeps the matcher's decision.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.pipeline import ANSWER, RECOMMEND, CatalogView, Decision, Understanding
from bot.product_words import per_snapshot
from bot.slots import Slots
from bot.structured import STRUCTURED
from catalog.snapshot import CatalogSnapshot
from catalog.text import strip_latin_marks

__all__ = ["BARE_PRICE", "bare_price"]

BARE_PRICE = "structured price: a bare 'how much' about the product"
_PRICE_INTENT = "ask_price"


def bare_price(u: Understanding, d: Decision, slots: Slots, view: CatalogView) -> Decision | None:
    """The product's price for a bare "how much" about it, or None (``d`` stands)."""
    rest = slots.how_much_rest
    worded = rest is None and _price_words_only(slots)
    if worded:
        # "giay bn tien vay" (giày bao nhiêu tiền vậy): price words ("bn tiền", "多少钱", "いくら") and nothing else the
        # recogniser did not read; the matcher put the product's weight FAQ first on its noun ("giày")
        rest = slots.price_rest
    if rest is None or u.empty or u.product_id is None or u.product_id not in view.snapshot.products:
        return None
    if d.band == RECOMMEND or d.reason.startswith("intent "):
        return None  # a complaint, chit-chat or a recommendation the intent model named keeps its route
    if rest and not _names_only(rest, u.product_id, view.snapshot):
        return None
    if d.band == ANSWER:
        faq = view.snapshot.faqs.get(d.faq_id) if d.faq_id else None
        if d.path != "faq" or faq is None or faq.intent == _PRICE_INTENT:
            return None  # a price FAQ (or a rule, a structured reading) already answers
        if worded and faq.product_id != u.product_id:
            return None  # a shop-wide FAQ (a discount, shipping, payment) may answer what the price words ask
    elif worded:
        return None  # unsure or silent: the structured reading (bot/structured.py) already had its say
    return replace(
        d, band=ANSWER, path=STRUCTURED, qtype="price", attribute=None, asked={}, product_id=u.product_id,
        faq_id=None, reason=BARE_PRICE,
    )


def _price_words_only(slots: Slots) -> bool:
    """A plain price question (price words, no other cost, quantity, attribute or variant value named)."""
    return slots.qtype == "price" and slots.plain_price and not slots.values and not slots.attributes and not slots.other_cost


def _plain(text: str) -> str:
    return strip_latin_marks(text.casefold())


@per_snapshot
def _names(snapshot: CatalogSnapshot) -> dict[str, str]:
    """Each product's names and aliases in every language, folded and without Latin marks ("xe đẩy" → "xe day")."""
    return {pid: _plain("\n".join([*p.name.values(), *p.aliases])) for pid, p in snapshot.products.items()}


_LETTER = r"[^\W\d_]"


def _names_only(words: tuple[str, ...], product_id: str, snapshot: CatalogSnapshot) -> bool:
    """Is every word one of the product's names or a word of them ("stroller", "xe", "day", "kaos" of "kaosnya")?"""
    names = _names(snapshot).get(product_id, "")

    def named(word: str) -> bool:
        word = _plain(word)
        if not word.isascii():
            return word in names
        forms = {word, word[:-3] if word.endswith("nya") and len(word) > 5 else word}
        return any(re.search(rf"(?<!{_LETTER}){re.escape(w)}(?!{_LETTER})", names) for w in forms)

    return all(named(w) for w in words)
