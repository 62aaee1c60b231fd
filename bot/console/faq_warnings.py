"""What the console warns about a FAQ it saves or imports without refusing it: a FAQ of no product whose answer uses
product details ({product}, {price} …) is answered only when the comment names a product or one is on stage, and
handed to staff otherwise (catalog.templates.render) — it saves fine, then never answers before a product is shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.console.i18n import gettext as _
from bot.console.i18n import ngettext
from catalog.templates import product_placeholders

__all__ = ["faqs_needing_a_product", "import_warning", "product_warning"]


def product_warning(faq: Any) -> str:
    """The FAQ page's warning for a FAQ of no product whose answer needs one ("" when it does not)."""
    if faq is None:
        return ""
    names = product_placeholders(faq.answers, faq.product_id)
    if not names:
        return ""
    return _(
        "This FAQ belongs to no product, but its answer uses product details (%(placeholders)s): it is answered only "
        "when the comment names a product or one is on stage; otherwise the comment is handed to staff. Choose a "
        "product above if it is about one, or answer without those details."
    ) % {"placeholders": _(", ").join(names)}


def faqs_needing_a_product(faqs: Iterable[Any]) -> list[tuple[str, tuple[str, ...]]]:
    """(id, placeholders) of every FAQ of no product whose answer uses product details, by id."""
    found = [(f.id, product_placeholders(f.answers, f.product_id)) for f in faqs]
    return sorted((fid, names) for fid, names in found if names)


def import_warning(faqs: Iterable[Any]) -> str:
    """The import's note on those FAQs ("" when there are none)."""
    found = faqs_needing_a_product(faqs)
    if not found:
        return ""
    listed = _(", ").join(fid for fid, _names in found)  # the FAQ's own page says which details (product_warning)
    return ngettext(
        "Note: %(num)d FAQ belongs to no product but its answer uses product details (%(faqs)s): when the comment "
        "names no product and nothing is on stage, it is handed to staff instead of answered.",
        "Note: %(num)d FAQs belong to no product but their answers use product details (%(faqs)s): when the comment "
        "names no product and nothing is on stage, they are handed to staff instead of answered.",
        len(found),
    ) % {"num": len(found), "faqs": listed}
