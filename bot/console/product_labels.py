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

__all__ = ["product_choice", "product_label", "product_tag"]


def _ui_lang(ui: str | None) -> str:
    return "zh" if (ui or i18n.current()).lower().startswith("zh") else "en"


def product_label(product: Any, ui: str | None = None) -> str:
    """The product's name in the UI language (zh for zh_CN, else en), else in the other of the two, else in any
    language, else its id."""
    if product is None:
        return ""
    names = getattr(product, "name", None) or {}
    lang = _ui_lang(ui)
    other = "en" if lang == "zh" else "zh"
    for key in (lang, other):
        text = str(names.get(key) or "").strip()
        if text:
            return text
    for tag, text in names.items():  # "zh-TW", "ja", …: the language filed under, or any
        if str(tag).lower().startswith(lang) and str(text or "").strip():
            return str(text).strip()
    return next((str(t).strip() for t in names.values() if str(t or "").strip()), str(product.id))


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
