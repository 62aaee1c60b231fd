"""Shipping abroad, a structured question: "envían a Colombia?", "how long to Australia", "ship ra Hà Nội mất mấy ngày".

A viewer who names a country or city abroad and asks about shipping there asks the question the catalog's
international-shipping FAQ answers — the shipping FAQ whose example questions name places ("do you ship to Canada").
The matcher often ranks that FAQ first but below the answer threshold, because the place named is not one of its
examples (Singapore vs Canada), or ranks a domestic shipping FAQ first ("free shipping to US?" → free shipping in
mainland China, which :func:`bot.guards.names_destination` hands to staff). Here the comment's own words decide:

- it names a place abroad (:func:`bot.guards.names_place`),
- it has a shipping or delivery word ("ship", "envían", "kirim", "giao", "寄", "発送", "배송", "ส่ง", …) or asks how
  long ("how long to …", "cuánto tarda", "berapa lama", "多久"),
- it reads as a question (:func:`bot.slots.reads_as_question`) or asks how long ("sending love from Canada" is not
  a question),
- and the catalog has exactly one such FAQ for the product on stage or for every product.

Only a decision the matcher left unsure (silent or staff for low confidence), or one that answered with another
shipping FAQ, is rerouted; a complaint, spam or chit-chat decided by the intent route, or a confident answer of
another kind, is never touched. Pure functions of the text and the catalog snapshot.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from bot.guards import examples_name_place, names_place, one_faq
from bot.slots import reads_as_question

if TYPE_CHECKING:
    from catalog.snapshot import CatalogSnapshot

__all__ = ["SHIPS_ABROAD", "abroad_faq", "asks_shipping_abroad"]

SHIPS_ABROAD = "asks about shipping abroad: the shipping FAQ that names places"

SHIPPING_INTENT = "ask_shipping"

# How long until it arrives, in the room languages: with a place named, a question about delivery there.
_HOW_LONG = (
    r"\bhow long\b|\bhow many days\b|\bcu[aá]nto tarda|\bcu[aá]ntos d[ií]as|\bberapa (?:lama|hari)\b"
    r"|\bbao l[aâ]u\b|\bm[aấ]t m[aấ]y ng[aà]y\b|\bm[aấ]y ng[aà]y\b"
    r"|多久|几天|幾天|多少天|何日|며칠|얼마나 걸|กี่วัน"
)
# Shipping and delivery words (whole words in Latin script; CJK and Thai by substring).
_SHIPPING_WORDS = (
    r"\b(?:ship|ships|shipping|shipped|deliver|delivers|delivery|send|sends|post|postage|mail|arrive|arrives|courier"
    r"|env[ií]o|env[ií]os|env[ií]an|enviar|env[ií]as|mandan|mandar|llega|llegar|llegue|tarda|entrega|entregan"
    r"|kirim|dikirim|pengiriman|ongkir|sampai|sampe|nyampe|antar"
    r"|g[uử]i|giao|v[aậ]n chuy[eể]n|nh[aậ]n)\b"
    r"|寄|发货|發貨|发到|發到|邮|郵|送到|运到|運到|快递|快遞|物流|海运|空运"
    r"|発送|送れ|送って|送る|届|配送|配達"
    r"|배송|보내|택배|보낼"
    r"|ส่ง"
)
_SHIPPING = re.compile(_HOW_LONG + "|" + _SHIPPING_WORDS)
_HOW_LONG_RE = re.compile(_HOW_LONG)


# A longer comment says more than one thing (a review, a story with a trip abroad in it): the matcher decides.
MAX_CHARS = 60


def asks_shipping_abroad(text: str) -> bool:
    """Does ``text`` ask about shipping to a place abroad (a place named, a shipping or how-long word, a question)?"""
    if len(text or "") > MAX_CHARS:
        return False
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    if not _SHIPPING.search(folded) or not names_place(text):
        return False
    return bool(_HOW_LONG_RE.search(folded)) or reads_as_question(text)


def abroad_faq(snapshot: CatalogSnapshot, product_id: str | None) -> str | None:
    """The catalog's one shipping FAQ whose example questions name places, for ``product_id`` or for every product
    (a product's own wins over a global one); None when there is none, or more than one and nothing tells them apart."""
    return one_faq(snapshot, product_id, SHIPPING_INTENT, examples_name_place)
