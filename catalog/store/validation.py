"""Checks of a product or FAQ before the store writes it: ids, SKUs, prices and stock follow `catalog.rules`
(finite prices up to 10^9 with 2 decimals, stock 0..2^31-1), wording overrides, size charts and answer templates.
A value outside them is a `CatalogError` (`Invalid`, or `TemplateError` for a template), never an overflow or
database error."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from catalog import rules
from catalog.errors import Invalid
from catalog.langs import canonical_tag
from catalog.phrases import override_problem
from catalog.rules import RuleError, clip, shown
from catalog.size_chart import chart_problems, chart_sizes
from catalog.snapshot import FaqInfo, ProductInfo
from catalog.templates import TemplateError, validate_global_template, validate_template


def _check_id(value: object, what: str) -> None:
    """Ids, SKUs, categories, intents: text that fits a VARCHAR(64) column on every database."""
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"{what} is empty")
    if len(value) > rules.ID_MAX_LENGTH:
        raise Invalid(f"{what} '{clip(value)}' is longer than {rules.ID_MAX_LENGTH} characters")
    if "\x00" in value:
        raise Invalid(f"{what} {value!r} contains a NUL character")


def _check_rule(check: Callable[[Any], Any], value: Any, what: str) -> None:
    try:
        check(value)
    except RuleError as exc:
        raise Invalid(f"{what} {exc.reason}") from None


def _check_product(product: ProductInfo) -> None:
    _check_id(product.id, "product id")
    _check_rule(rules.check_id, product.id, "product id")
    if product.category:
        _check_id(product.category, f"product '{product.id}': category")
    _check_rule(rules.check_price, product.price, f"product '{product.id}': price")
    seen: set[str] = set()
    for variant in product.variants:
        _check_id(variant.sku, f"product '{product.id}': SKU")
        _check_rule(rules.check_sku, variant.sku, f"product '{product.id}': SKU")
        if variant.sku in seen:
            raise Invalid(f"product '{product.id}': duplicate SKU '{variant.sku}'")
        seen.add(variant.sku)
        if variant.product_id != product.id:
            raise Invalid(f"variant '{variant.sku}' says product '{variant.product_id}', not '{product.id}'")
        try:
            rules.check_stock(variant.stock)
        except RuleError:
            raise Invalid(
                f"variant '{variant.sku}': stock must be {rules.STOCK_RULE}, got {shown(variant.stock)}"
            ) from None
        if variant.price is not None:
            _check_rule(rules.check_price, variant.price, f"variant '{variant.sku}': price")
    for key, texts in product.wording.items():
        for lang, template in texts.items():
            problem = override_problem(key, template)
            if problem is not None:
                raise Invalid(f"product '{product.id}': {problem} ({lang})")
    if product.size_chart:
        problems = chart_problems(product.size_chart, chart_sizes([v.attrs for v in product.variants]))
        if problems:
            raise Invalid(f"product '{product.id}': {problems[0][1]}")


def _check_faq(faq: FaqInfo) -> None:
    _check_id(faq.id, "FAQ id")
    _check_rule(rules.check_id, faq.id, "FAQ id")
    if not faq.intent:
        raise Invalid(f"FAQ '{faq.id}' has no intent")
    _check_id(faq.intent, f"FAQ '{faq.id}' intent")
    unknown = [lang for lang in faq.answers if canonical_tag(lang) != lang or len(lang) > 8]
    if unknown:
        raise Invalid(f"FAQ '{faq.id}': unknown answer language {', '.join(map(repr, unknown))} (zh, en, ja, pt-BR …)")
    if not any((text or "").strip() for text in faq.answers.values()):
        raise Invalid(f"FAQ '{faq.id}' has no answer")
    if not any(q and q.strip() for q in faq.questions):
        raise Invalid(f"FAQ '{faq.id}' has no example questions")


def _check_global_answers(faq_id: str, answers: Mapping[str, str], products: Iterable[ProductInfo]) -> None:
    """A global FAQ's templates: a `{stock:v}` / `{attr:k}` that no product of the catalog can fill is a typo
    (`TemplateError`, as a catalog file import reports it)."""
    products = list(products)
    for lang, template in answers.items():
        try:
            validate_global_template(template, products)
        except TemplateError as exc:
            raise TemplateError(f"FAQ '{faq_id}' answer ({lang}): {exc.message}", exc.position) from exc


def _check_answers(
    faq_id: str, answers: Mapping[str, str], product: ProductInfo | None, error: type[Exception] | None
) -> None:
    for lang, template in answers.items():
        try:
            validate_template(template, product)
        except TemplateError as exc:
            message = f"FAQ '{faq_id}' answer ({lang}): {exc.message}"
            if error is None:
                raise TemplateError(message, exc.position) from exc
            raise error(f"{message} (at character {exc.position + 1})") from exc
