"""A child's (or any load's) weight given with "can it sit / ride / hold" is the product's load limit.

"宝宝两岁 二十八斤能坐吗" was answered with the stroller's age range, "bé nhà em 16kg ngồi được không ạ" and "my son
weighs 15kg, can he ride in it?" stayed silent: the weight (bot/measures.py: 斤, kg, 公斤, キロ, 킬로, กก, ký, kilo)
is what the viewer weighs against, and only the product's ``max_load`` attribute answers it. A product without that
attribute (a tee: a body weight there asks for a size, bot/size_advice.py) is left alone, and so are a variant or
another attribute named, a FAQ that quotes the load limit, and the intent route's staff and recommendations.
Pure: the comment's slots, the decision and the catalog snapshot.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.pipeline import ANSWER, RECOMMEND, STAFF, CatalogView, Decision, Understanding
from bot.slots import Slots
from bot.structured import STRUCTURED, slots_note
from catalog.text import fold_text

__all__ = ["LOAD_ATTRIBUTE", "load_decision"]

LOAD_ATTRIBUTE = "max_load"
_QUOTES = re.compile(r"\{attr:" + LOAD_ATTRIBUTE + r"\}")
# sitting in it, riding, being carried or held, in the room languages: the weight is a load ("is it under 6kg?" asks
# the product's own weight)
_CARRIES = re.compile(
    r"坐|躺|装得下|承受|撑得住|\b(?:sit|sits|ride|rides|hold|holds|carry|carries|fit in)\b|乗|座れ|타도|탈 수|앉"
    r"|นั่ง|รับน้ำหนัก|\b(?:ngồi|ngoi|chở|cho được)\b|\b(?:duduk|naik|muat|kuat)\b|\b(?:sentar|sentarse|subir|aguanta|cabe)\b"
)


def load_decision(c_text: str, u: Understanding, d: Decision, slots: Slots, view: CatalogView) -> Decision | None:
    """The product's load limit for a weight given in a question about it, or None (``d`` stands)."""
    if u.empty or u.product_id is None or d.band == RECOMMEND or (d.band == STAFF and d.reason.startswith("intent ")):
        return None
    body = slots.body
    if body is None or body.weight_kg is None or not slots.question or slots.qtype is not None or slots.values:
        return None
    if _CARRIES.search(fold_text(c_text)) is None:
        return None
    product = view.snapshot.products.get(u.product_id)
    if product is None or LOAD_ATTRIBUTE not in product.attributes:
        return None
    faq = view.snapshot.faqs.get(d.faq_id) if d.band == ANSWER and d.faq_id else None
    if faq is not None and any(_QUOTES.search(t) for t in faq.answers.values()):
        return None  # the load FAQ matched: it answers
    return replace(
        d, band=ANSWER, path=STRUCTURED, qtype="attribute", attribute=LOAD_ATTRIBUTE, asked={}, product_id=u.product_id,
        faq_id=None, reason=f"structured attribute{slots_note('attribute', LOAD_ATTRIBUTE, {})}",
    )
