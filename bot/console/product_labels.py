"""What staff read for a product: its name in their UI language ("轻便婴儿推车A1", "A1 Lightweight Stroller") rather
than its id (`stroller-a1`); the id stays beside it, secondary (small text or tooltip).

    product_label(product, "zh_CN")    # "轻便婴儿推车A1": zh name, else en, else any, else the id
    product_choice(product, "en")      # "A1 Lightweight Stroller · stroller-a1" (a drop-down option)
    product_tag(product, "zh_CN")      # escaped HTML: the name, the id small after it (and as its tooltip)

Pure: works on a `catalog.snapshot.ProductInfo` (or anything with `id` and `name` {lang: text}); a missing product
(an id the catalog no longer has) is shown by its id.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from bot.console import i18n
from catalog.snapshot import pick_text

__all__ = ["product_choice", "product_label", "product_tag"]


def _ui_lang(ui: str | None) -> str:
    return "zh" if (ui or i18n.current()).lower().startswith("zh") else "en"


def product_label(product: Any, ui: str | None = None) -> str:
    """The product's name in the UI language (zh for zh_CN, else en), chosen as everywhere in the catalog
    (`catalog.snapshot.pick_text`: that language, else zh, else en, else any), else its id."""
    if product is None:
        return ""
    names = getattr(product, "name", None) or {}
    return pick_text(names, _ui_lang(ui)).strip() or str(product.id)


def product_choice(product: Any, ui: str | None = None) -> str:
    """A product in a drop-down: "轻便婴儿推车A1 · stroller-a1" (the name first, the id after it)."""
    label = product_label(product, ui)
    return label if label == product.id else f"{label} · {product.id}"


def product_tag(product: Any, ui: str | None = None, *, product_id: str = "") -> Markup:
    """A product in a table or a fact list: the name, the id small after it (and as its tooltip). `product_id`
    alone (no such product): the id."""
    if product is None:
        return Markup('<code class="product-id">{}</code>').format(product_id) if product_id else Markup("")
    label = product_label(product, ui)
    if label == product.id:
        return Markup('<code class="product-id">{}</code>').format(product.id)
    return Markup('<span class="product-name" title="{}">{}</span> <small class="product-id">{}</small>').format(
        product.id, label, product.id
    )
