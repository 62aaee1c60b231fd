"""Immutable catalog data handed to the rest of LiveReply. Pure data: no ORM objects, no I/O.

Every value here is built by `catalog.store` (from SQL) or `catalog.io` (from a catalog file) and is safe to
share between threads: the bot swaps a whole `CatalogSnapshot` when staff edit the catalog.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from catalog.text import fold, guess_lang

__all__ = ["fold", "guess_lang"]  # re-exported: older callers import them from here

LANGS = ("zh", "en")


def norm_lang(lang: str | None) -> str:
    """Map any language tag to one the catalog has text for: "zh-CN" -> "zh", everything else -> "en"."""
    if lang and lang.lower().startswith("zh"):
        return "zh"
    return "en"


def _pick(texts: Mapping[str, str], lang: str, default: str = "") -> str:
    """Text in `lang`, else Chinese, else English, else any language, else `default`."""
    for key in (norm_lang(lang), "zh", "en"):
        value = texts.get(key)
        if value:
            return value
    for value in texts.values():
        if value:
            return value
    return default


@dataclass(frozen=True)
class VariantInfo:
    """One sellable variant (SKU) of a product with its stock at the time it was read."""

    sku: str
    product_id: str
    attrs: Mapping[str, str]  # canonical values, e.g. {"size": "XL", "colour": "黑色"}
    stock: int
    price: Decimal | None = None
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # attr -> {lang: label}

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    def label(self, attr: str, lang: str) -> str:
        """The value of `attr` as shown to a viewer in `lang` ("黑色" -> "black" in English)."""
        value = self.attrs.get(attr, "")
        return _pick(self.labels.get(attr, {}), lang, value)

    def values(self, attr: str) -> tuple[str, ...]:
        """Every spelling of `attr` (canonical value and per-language labels), for matching viewer text."""
        seen: list[str] = []
        for candidate in (self.attrs.get(attr), *self.labels.get(attr, {}).values()):
            if candidate and candidate not in seen:
                seen.append(candidate)
        return tuple(seen)

    def matches(self, attr: str | None, value: str) -> bool:
        """True when this variant's `attr` (or any attr when `attr` is None) is `value` in any spelling."""
        wanted = fold(value)
        attrs = [attr] if attr is not None else list(self.attrs)
        return any(fold(candidate) == wanted for key in attrs for candidate in self.values(key))


@dataclass(frozen=True)
class ProductInfo:
    id: str
    name: Mapping[str, str]  # {"zh": ..., "en": ...}
    aliases: tuple[str, ...]
    category: str
    description: Mapping[str, str]
    price: Decimal
    tags: tuple[str, ...]
    attributes: Mapping[str, Mapping[str, str]]  # key -> {"zh": .., "en": ..}
    variants: tuple[VariantInfo, ...]

    def display_name(self, lang: str) -> str:
        return _pick(self.name, lang, self.id)

    def attribute(self, key: str, lang: str) -> str | None:
        """Product attribute `key` in `lang`, or None when the product has no such attribute."""
        texts = self.attributes.get(key)
        if texts is None:
            return None
        return _pick(texts, lang)

    def variant(self, sku: str) -> VariantInfo | None:
        for variant in self.variants:
            if variant.sku == sku:
                return variant
        return None

    @property
    def total_stock(self) -> int:
        return sum(v.stock for v in self.variants)

    @property
    def sold_out(self) -> bool:
        return self.total_stock <= 0


@dataclass(frozen=True)
class FaqInfo:
    id: str
    product_id: str | None  # None: a global FAQ that applies to whatever product is asked about / on stage
    intent: str
    questions: tuple[str, ...]  # example questions, any language
    answers: Mapping[str, str]  # lang -> template

    def answer(self, lang: str) -> str | None:
        """The answer template for `lang`, falling back to the other language."""
        return _pick(self.answers, lang) or None


@dataclass(frozen=True)
class CatalogSnapshot:
    version: int
    products: Mapping[str, ProductInfo]
    faqs: Mapping[str, FaqInfo]
    currency: Mapping[str, str] = field(default_factory=dict)  # {"zh": "元", "en": "CNY"}
    # the shop's vocabulary (catalog file `synonyms:`): {"values": {attr: {canonical: [word]}}, "attributes": {key: [word]}}
    synonyms: Mapping[str, Any] = field(default_factory=dict)



