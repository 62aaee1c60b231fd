"""Immutable catalog data handed to the rest of LiveReply. Pure data: no ORM objects, no I/O.

Every value here is built by `catalog.store` (from SQL) or `catalog.io` (from a catalog file) and is safe to
share between threads: the bot swaps a whole `CatalogSnapshot` when staff edit the catalog.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from catalog.langs import is_code, pick_tag, usable_in
from catalog.size_chart import SizeRow
from catalog.text import fold, guess_lang

__all__ = ["fold", "guess_lang"]  # re-exported: older callers import them from here

LANGS = ("zh", "en")


def norm_lang(lang: str | None) -> str:
    """Map any language tag to one the catalog has text for: "zh-CN" -> "zh", everything else -> "en"."""
    if lang and lang.lower().startswith("zh"):
        return "zh"
    return "en"


def pick_text(texts: Mapping[str, str], lang: str, default: str = "") -> str:
    """Text in `lang` (or its primary language), else Chinese, else English, else any language, else `default`."""
    tag = pick_tag(texts, lang) if lang else None
    if tag is not None and texts[tag]:
        return texts[tag]
    for key in (norm_lang(lang), "zh", "en"):
        value = texts.get(key)
        if value:
            return value
    for value in texts.values():
        if value:
            return value
    return default


_pick = pick_text


def text_in(texts: Mapping[str, str], lang: str, default: str = "", *, borrow_words: bool = True) -> str | None:
    """The text for a reply in `lang`, or None when there is none fit to show (strict; see catalog.langs).

    zh and en keep the lenient choice of `_pick` (a catalog file always has both). Any other language: the text filed
    under it (or its primary language), else one filed under another language that is a code or written in the same
    Latin script (catalog.langs.usable_in), else `default` (the canonical value) when that is usable.
    ``borrow_words=False`` (descriptions, not names): only a code is borrowed — "100% cotton" filed under en is English
    words, not a name, and would make a Vietnamese reply an English one.
    """
    if norm_lang(lang) == lang or lang.startswith("zh"):
        return _pick(texts, lang, default)
    tag = pick_tag(texts, lang)
    if tag is not None and texts[tag]:
        return texts[tag]
    fits = usable_in if borrow_words else (lambda value, _lang: is_code(value))
    for value in (texts.get("en"), *texts.values(), default):
        if value and fits(value, lang):
            return value
    return None


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

    def label_in(self, attr: str, lang: str) -> str | None:
        """Strict `label`: None when the value has no version fit for a reply in `lang` (see `text_in`)."""
        return text_in(self.labels.get(attr, {}), lang, self.attrs.get(attr, ""))

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
    size_chart: tuple[SizeRow, ...] = ()  # optional, smallest size first (catalog/size_chart.py)
    # the shop's own wording of the structured answers for this product: {phrase key: {lang: template}}
    wording: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def display_name(self, lang: str) -> str:
        return _pick(self.name, lang, self.id)

    def name_in(self, lang: str) -> str | None:
        """Strict `display_name`: None when the product has no name fit for a reply in `lang` (see `text_in`)."""
        return text_in(self.name, lang)

    def attribute_in(self, key: str, lang: str) -> str | None:
        """Strict `attribute`: None when the product lacks it or has no version fit for `lang`."""
        texts = self.attributes.get(key)
        return None if texts is None else text_in(texts, lang, borrow_words=False)

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
    # the language each example question was filed under (parallel to `questions`; empty when unknown)
    question_langs: tuple[str, ...] = field(default=(), compare=False)

    def answer(self, lang: str) -> str | None:
        """The answer template for `lang`, falling back to the other language."""
        return _pick(self.answers, lang) or None

    def answer_tag(self, lang: str) -> str | None:
        """The tag of the template written for a viewer in `lang` ("ja" for "ja", "pt-BR" for "pt"), or None."""
        return pick_tag(self.answers, lang)


@dataclass(frozen=True)
class CatalogSnapshot:
    version: int
    products: Mapping[str, ProductInfo]
    faqs: Mapping[str, FaqInfo]
    currency: Mapping[str, str] = field(default_factory=dict)  # {"zh": "元", "en": "CNY"}
    # the shop's vocabulary (catalog file `synonyms:`): {"values": {attr: {canonical: [word]}}, "attributes": {key: [word]}}
    synonyms: Mapping[str, Any] = field(default_factory=dict)



