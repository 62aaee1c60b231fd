"""The answer-template placeholder grammar: parse and validate at save time, render with live stock at answer time.

Grammar (see docs/catalog-format.md)::

    template     := (literal | "{{" | "}}" | placeholder)*
    placeholder  := "{" name [":" arg] "}"
    name         := product | price | stock | sizes_in_stock | colours_in_stock | variants_in_stock
                  | stock_summary | asked_stock | attr

`{{` and `}}` are literal braces. `stock` takes an optional argument (a variant value, `{stock:XL}`), `attr`
requires one (`{attr:max_load}`); every other name takes none. The parser is hand written: nothing in a template
is ever evaluated or passed to `str.format`.

Rendering reads the `ProductInfo` it is given (the caller passes one with live stock) and never renders a
sold-out variant as available.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from catalog.errors import CatalogError, Invalid
from catalog.langs import primary
from catalog.phrases import MissingText, phrase
from catalog.rules import clip
from catalog.snapshot import ProductInfo, VariantInfo, norm_lang

__all__ = [
    "LOW_STOCK",
    "PLACEHOLDERS",
    "Placeholder",
    "RenderContext",
    "RenderError",
    "Template",
    "TemplateError",
    "format_number",
    "parse_template",
    "product_placeholders",
    "render",
    "validate_template",
]

LOW_STOCK = 5  # at or below this many units, asked_stock says "only N left" instead of "in stock"

# name -> whether it takes an argument: "no", "optional" or "required"
PLACEHOLDERS: Mapping[str, str] = {
    "product": "no",
    "price": "no",
    "stock": "optional",
    "sizes_in_stock": "no",
    "colours_in_stock": "no",
    "variants_in_stock": "no",
    "stock_summary": "no",
    "asked_stock": "no",
    "attr": "required",
}

# Variant attribute keys a viewer's question can refer to (values of RenderContext.asked).
_ATTR_ALIASES = {"color": "colour", "flavor": "flavour"}
_STANDARD_ATTRS = frozenset({"size", "colour", "flavour", "spec"})

_SIZE_ORDER = ["XXXS", "XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL", "XXXXL"]
_SIZE_RE = re.compile(r"^(?:X*[SML]|\d?XL|\d{2,3}(?:\.5)?)$", re.IGNORECASE)
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")


class TemplateError(Invalid):
    """A template is malformed or refers to something the product does not have.

    `position` is the 0-based character offset in the template text where the problem is.
    """

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.message = message
        self.position = position


class RenderError(CatalogError):
    """A template cannot be rendered with what the caller gave (e.g. it needs a product and none is known)."""


@dataclass(frozen=True, slots=True)
class Placeholder:
    name: str
    arg: str | None
    position: int  # offset of the opening brace

    @property
    def source(self) -> str:
        return "{" + self.name + (f":{self.arg}" if self.arg is not None else "") + "}"


@dataclass(frozen=True, slots=True)
class Template:
    text: str
    parts: tuple[str | Placeholder, ...]

    @property
    def placeholders(self) -> tuple[Placeholder, ...]:
        return tuple(p for p in self.parts if isinstance(p, Placeholder))

    @property
    def needs_product(self) -> bool:
        return bool(self.placeholders)


@dataclass(frozen=True)
class RenderContext:
    """What a template is rendered with.

    `asked`: variant slots read from the viewer's comment, e.g. {"size": "XL"} or {"colour": "black"}.
    `alternatives`: display names (in `lang`) of other products the caller suggests when this one is sold out.
    """

    product: ProductInfo | None
    lang: str
    asked: Mapping[str, str] = field(default_factory=dict)
    alternatives: Sequence[str] = ()


# --------------------------------------------------------------------------------------------------------- parsing


@functools.lru_cache(maxsize=4096)
def parse_template(text: str) -> Template:
    """Parse `text` into literal parts and placeholders, or raise `TemplateError` naming the position."""
    if not isinstance(text, str):
        raise TemplateError(f"template must be text, not {type(text).__name__}", 0)
    parts: list[str | Placeholder] = []
    literal: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "{":
            if text.startswith("{{", i):
                literal.append("{")
                i += 2
                continue
            end = text.find("}", i + 1)
            reopen = text.find("{", i + 1)
            if end == -1:
                raise TemplateError("'{' is never closed (write '{{' for a literal brace)", i)
            if reopen != -1 and reopen < end:
                raise TemplateError("'{' inside a placeholder (write '{{' for a literal brace)", reopen)
            if literal:
                parts.append("".join(literal))
                literal.clear()
            parts.append(_parse_placeholder(text[i + 1 : end], i))
            i = end + 1
        elif char == "}":
            if text.startswith("}}", i):
                literal.append("}")
                i += 2
                continue
            raise TemplateError("unmatched '}' (write '}}' for a literal brace)", i)
        else:
            literal.append(char)
            i += 1
    if literal:
        parts.append("".join(literal))
    return Template(text=text, parts=tuple(parts))


def _parse_placeholder(body: str, position: int) -> Placeholder:
    name, colon, arg = body.partition(":")
    name = name.strip()
    if not name:
        raise TemplateError("empty placeholder name", position)
    kind = PLACEHOLDERS.get(name)
    if kind is None:
        hint = difflib.get_close_matches(name, list(PLACEHOLDERS), n=1)
        suggestion = f"; did you mean {{{hint[0]}}}?" if hint else f"; known names: {', '.join(PLACEHOLDERS)}"
        raise TemplateError(f"unknown placeholder {{{clip(body)}}}{suggestion}", position)
    if not colon:
        if kind == "required":
            raise TemplateError(f"{{{name}}} needs an argument, e.g. {{{name}:weight}}", position)
        return Placeholder(name, None, position)
    if kind == "no":
        raise TemplateError(f"{{{name}}} takes no argument (got {{{clip(body)}}})", position)
    arg = arg.strip()
    if not arg:
        raise TemplateError(f"{{{name}:}} has an empty argument", position)
    return Placeholder(name, arg, position)


def validate_template(text: str, product: ProductInfo | None) -> Template:
    """Parse `text` and check it against `product` (None: a global FAQ, checked at render time instead).

    Rejects unknown placeholders, `{stock:<v>}` matching no variant, `{attr:<k>}` the product lacks and
    `{sizes_in_stock}` / `{colours_in_stock}` for a product without sizes / colours.
    """
    template = parse_template(text)
    if product is None:
        return template
    for ph in template.placeholders:
        problem = _product_problem(ph, product)
        if problem:
            raise TemplateError(problem, ph.position)
    return template


def validate_global_template(text: str, products: Iterable[ProductInfo]) -> Template:
    """A global FAQ's template: every `{attr:k}` / `{stock:v}` must fit at least one product of the catalog.

    (It is rendered for whatever product is asked about; one that lacks the value hands the question to staff, but a
    placeholder no product can ever fill is a typo.)
    """
    template = parse_template(text)
    products = list(products)
    if not products:
        return template
    for ph in template.placeholders:
        if ph.name in ("attr", "stock") and ph.arg is not None and all(_product_problem(ph, p) for p in products):
            what = "attribute" if ph.name == "attr" else "variant value"
            raise TemplateError(f"{clip(ph.source)}: no product in the catalog has the {what} '{clip(ph.arg)}'", ph.position)
    return template


def _product_problem(ph: Placeholder, product: ProductInfo) -> str | None:
    if ph.name == "attr" and ph.arg is not None and ph.arg not in product.attributes:
        known = clip(", ".join(product.attributes)) or "none"
        return f"{clip(ph.source)}: product '{product.id}' has no attribute '{clip(ph.arg)}' (attributes: {known})"
    if ph.name == "stock" and ph.arg is not None and not _variants_with_value(product, ph.arg):
        known = clip(", ".join(sorted({val for v in product.variants for val in v.attrs.values()}))) or "none"
        return f"{clip(ph.source)}: product '{product.id}' has no variant '{clip(ph.arg)}' (variant values: {known})"
    if ph.name in ("sizes_in_stock", "colours_in_stock"):
        attr = "size" if ph.name == "sizes_in_stock" else "colour"
        if not any(attr in v.attrs for v in product.variants):
            return f"{ph.source}: product '{product.id}' has no variants with a {attr}"
    return None


# ------------------------------------------------------------------------------------------------------- rendering


def product_placeholders(answers: Mapping[str, str], product_id: str | None = None) -> tuple[str, ...]:
    """The placeholders ("{product}", "{price}" …, once each, in order) of a global FAQ's answers (``product_id``
    None): they need a product, so the FAQ is answered only when the comment names one or one is on stage, and handed
    to staff otherwise (`render`'s RenderError). () for a product's FAQ, plain answers, or a malformed template."""
    if product_id is not None:
        return ()
    found: list[str] = []
    for text in answers.values():
        try:
            template = parse_template(text)
        except TemplateError:
            continue
        for ph in template.placeholders:
            if ph.source not in found:
                found.append(ph.source)
    return tuple(found)


def render(text: str, ctx: RenderContext) -> str:
    """Fill the placeholders of `text` for `ctx.product` in `ctx.lang`.

    Raises `TemplateError` for a malformed template and `RenderError` when the template needs a product and
    none is given, or refers to something the product does not have.
    """
    template = parse_template(text)
    if not template.needs_product:
        return "".join(p for p in template.parts if isinstance(p, str))
    product = ctx.product
    if product is None:
        names = ", ".join(ph.source for ph in template.placeholders)
        raise RenderError(f"template needs a product for {names} but none was given")
    lang = norm_lang(ctx.lang)
    other = ctx.lang if primary(ctx.lang or "en") not in ("zh", "en") else None  # ja, th, es …: strict texts
    out: list[str] = []
    for part in template.parts:
        if isinstance(part, str):
            out.append(part)
            continue
        problem = _product_problem(part, product)
        if problem:
            raise RenderError(problem)
        out.append(_render_in(part, product, other, ctx) if other else _render_placeholder(part, product, lang, ctx))
    return "".join(out)


def _render_in(ph: Placeholder, product: ProductInfo, lang: str, ctx: RenderContext) -> str:
    """A placeholder in a template written in a language other than zh/en: only texts fit for that language
    (catalog.snapshot `name_in` / `label_in` / `attribute_in`) and the phrasebook's words, else `MissingText` (the
    bot's fallback policy applies) — never an English or Chinese name inside, say, a Thai answer."""
    if ph.name in ("price", "stock"):
        return _render_placeholder(ph, product, "en", ctx)  # numbers
    if ph.name == "product":
        name = product.name_in(lang)
        if name is None:
            raise MissingText(lang, f"no {lang} name for product '{product.id}'")
        return name
    if ph.name == "attr":
        assert ph.arg is not None
        value = product.attribute_in(ph.arg, lang)
        if value is None:
            raise MissingText(lang, f"no {lang} text for the attribute '{ph.arg}' of product '{product.id}'")
        return value
    attrs = {"sizes_in_stock": ("size",), "colours_in_stock": ("colour",)}.get(ph.name)
    if ph.name in ("sizes_in_stock", "colours_in_stock", "variants_in_stock"):
        names: list[str] = []
        for v in product.variants:
            keys = attrs if attrs is not None else tuple(v.attrs)
            if v.stock <= 0 or not all(k in v.attrs for k in keys):
                continue
            labels = [v.label_in(k, lang) for k in keys]
            if any(label is None for label in labels):
                raise MissingText(lang, f"no {lang} name for a variant of product '{product.id}' ({v.sku})")
            name = phrase("variant.list_parts_sep", lang).join(label for label in labels if label)
            if name and name not in names:
                names.append(name)
        return phrase("list_sep", lang).join(names) if names else phrase("sold_out_word", lang)
    # stock_summary / asked_stock: the structured stock answer in this language (catalog/answer_text.py): what is
    # left of the asked variant (or of the product), the sold-out alternatives, per variant when several match
    from catalog.answer_text import render_text  # it formats numbers with this module's format_number

    asked = _canonical_asked(product, ctx.asked) if ph.name == "asked_stock" else {}
    text = render_text("stock", None, asked, product, lang, currency={})
    if text is None:
        raise MissingText(lang, f"{ph.source} has no {lang} wording for product '{product.id}'")
    return text


def _canonical_asked(product: ProductInfo, asked: Mapping[str, str]) -> dict[str, str]:
    """The asked variant values as the product's own (attr, value) pairs (a colour asked as "black" becomes the
    variant's "黑色" under "colour"), for the phrasebook's stock answer. A value no variant has stays as asked (under
    its attribute, or "size" for a size code): the answer then says the product does not come in it."""
    out: dict[str, str] = {}
    keys_all = list(dict.fromkeys(k for v in product.variants for k in v.attrs))
    for attr, value in _asked_filters(product, asked):
        keys = [attr] if attr is not None else keys_all
        found = next(
            ((key, str(v.attrs[key])) for v in product.variants for key in keys if key in v.attrs and v.matches(key, value)),
            None,
        )
        if found is None:
            found = (attr or ("size" if _SIZE_RE.match(value) else (keys_all[0] if keys_all else "spec")), value)
        out[found[0]] = found[1]
    return out


def _render_placeholder(ph: Placeholder, product: ProductInfo, lang: str, ctx: RenderContext) -> str:
    if ph.name == "product":
        return product.display_name(lang)
    if ph.name == "price":
        price = _price(product, ctx.asked)
        if not price.is_finite():  # only in a database written before catalog.rules existed
            raise RenderError(f"product '{product.id}' has an invalid price ({price})")
        return format_number(price)
    if ph.name == "stock":
        if ph.arg is None:
            return str(product.total_stock)
        return str(sum(v.stock for v in _variants_with_value(product, ph.arg)))
    if ph.name == "sizes_in_stock":
        return _values_in_stock(product, "size", lang)
    if ph.name == "colours_in_stock":
        return _values_in_stock(product, "colour", lang)
    if ph.name == "variants_in_stock":
        names = _dedupe(_variant_name(v, lang) for v in product.variants if v.stock > 0)
        return _join(names, lang) if names else _sold_out(lang)
    if ph.name == "stock_summary":
        return stock_summary(product, lang)
    if ph.name == "asked_stock":
        return asked_stock(product, lang, ctx.asked, ctx.alternatives)
    if ph.name == "attr":
        assert ph.arg is not None
        return product.attribute(ph.arg, lang) or ""
    raise RenderError(f"no renderer for {ph.source}")  # unreachable: the parser rejects unknown names


def format_number(value: Decimal | int | float) -> str:
    """199 -> "199", Decimal("199.00") -> "199", Decimal("199.50") -> "199.5". ValueError for inf / nan."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"not a finite number: {number}")
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def stock_summary(product: ProductInfo, lang: str) -> str:
    """`现货:S码3件、M码12件;XL已售罄` / `In stock: S (3), M (12); XL sold out` / `已售罄` / `Sold out`."""
    lang = norm_lang(lang)
    available = [v for v in product.variants if v.stock > 0]
    sold = [v for v in product.variants if v.stock <= 0]
    if not available:
        return "已售罄" if lang == "zh" else "Sold out"
    if lang == "zh":
        text = "现货:" + "、".join(f"{_variant_name(v, lang, unit=True)}{v.stock}件" for v in available)
        if sold:
            text += ";" + "、".join(_dedupe(_variant_name(v, lang) for v in sold)) + "已售罄"
        return text
    entries = [f"{name} ({v.stock})" if (name := _variant_name(v, lang)) else str(v.stock) for v in available]
    text = "In stock: " + ", ".join(entries)
    if sold:
        text += "; " + ", ".join(_dedupe(_variant_name(v, lang) for v in sold)) + " sold out"
    return text


def asked_stock(
    product: ProductInfo, lang: str, asked: Mapping[str, str], alternatives: Sequence[str] = ()
) -> str:
    """Status of the variant the viewer asked about, or the stock summary when nothing was asked."""
    lang = norm_lang(lang)
    if product.sold_out:
        return _whole_product_sold_out(lang, alternatives)
    filters = _asked_filters(product, asked)
    if not filters:
        return stock_summary(product, lang)
    matched = [v for v in product.variants if all(v.matches(attr, value) for attr, value in filters)]
    if not matched:
        name = _asked_name_raw(filters, lang)
        summary = stock_summary(product, lang)
        if lang == "zh":
            return f"暂时没有{name},{summary}"
        return f"We don't have {name}; {summary[0].lower()}{summary[1:]}"
    attrs = [attr for attr, _ in filters if attr is not None]
    name = _name_for(matched[0], attrs, lang, unit=True) or _asked_name_raw(filters, lang)
    bare = _name_for(matched[0], attrs, lang, unit=False) or _asked_name_raw(filters, lang, unit=False)
    total = sum(v.stock for v in matched)
    sold = [v for v in matched if v.stock <= 0]
    if total > 0 and sold:
        # Some of what matches is gone (XL in white yes, in black no): say which, never a blanket "in stock".
        have = sorted((v for v in matched if v.stock > 0), key=lambda v: -v.stock)[:3]
        sold = sold[:3]
        if lang == "zh":
            left = "、".join(f"{_variant_name(v, lang, unit=True)}还有{v.stock}件" for v in have)
            gone = "、".join(_variant_name(v, lang, unit=True) for v in sold)
            return f"有的,{left};{gone}已售罄"
        left = ", ".join(f"{_variant_name(v, lang, unit=True)}: {v.stock} left" for v in have)
        gone = ", ".join(_variant_name(v, lang, unit=True) for v in sold)
        return f"Yes — {left}; {gone} sold out"
    if total > LOW_STOCK:
        return f"有的,目前{name}现货充足" if lang == "zh" else f"Yes, {name} is in stock"
    if total > 0:
        return f"有的,{name}仅剩{total}件" if lang == "zh" else f"Only {total} left in {name}"
    alt_name, alt_stock = _best_alternative(product, matched, attrs, lang)
    if lang == "zh":
        return f"{bare}刚售罄,{alt_name}还有{alt_stock}件"
    return f"{bare} just sold out; {alt_name} has {alt_stock} left"


# --------------------------------------------------------------------------------------------------------- helpers


def _price(product: ProductInfo, asked: Mapping[str, str]) -> Decimal:
    filters = _asked_filters(product, asked)
    if filters:
        matched = [v for v in product.variants if all(v.matches(a, val) for a, val in filters)]
        prices = {v.price for v in matched if v.price is not None}
        if len(prices) == 1 and all(v.price is not None for v in matched):
            return prices.pop()
    return product.price


def _asked_filters(product: ProductInfo, asked: Mapping[str, str]) -> list[tuple[str | None, str]]:
    """(attr, value) pairs from `asked` that concern this product's variants; attr None means "any attribute"."""
    variant_keys = {key for v in product.variants for key in v.attrs}
    filters: list[tuple[str | None, str]] = []
    for raw_key, value in asked.items():
        if not isinstance(value, str) or not value.strip():
            continue
        key = _ATTR_ALIASES.get(raw_key, raw_key)
        if key not in variant_keys and key not in _STANDARD_ATTRS:
            continue  # a slot that is not about variants (e.g. a destination city)
        attr: str | None = key if key in variant_keys else None
        if (
            attr is not None
            and not any(v.matches(attr, value) for v in product.variants)
            and any(v.matches(None, value) for v in product.variants)
        ):
            attr = None  # e.g. asked size "50ml" but the product files it under spec
        filters.append((attr, value.strip()))
    return filters


def _variants_with_value(product: ProductInfo, value: str) -> list[VariantInfo]:
    return [v for v in product.variants if v.matches(None, value)]


def _values_in_stock(product: ProductInfo, attr: str, lang: str) -> str:
    values = _dedupe(v.label(attr, lang) for v in product.variants if v.stock > 0 and attr in v.attrs)
    return _join(values, lang) if values else _sold_out(lang)


def _with_unit(attr: str, label: str, lang: str) -> str:
    if lang == "zh" and attr == "size" and _SIZE_RE.match(label):
        return label + "码"
    return label


def _concat(parts: list[str], lang: str) -> str:
    if lang != "zh":
        return " ".join(p for p in parts if p)
    out = ""
    for part in parts:
        if not part:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


def _name_for(variant: VariantInfo, attrs: Sequence[str], lang: str, unit: bool) -> str:
    labels = [variant.label(a, lang) for a in attrs if a in variant.attrs]
    if unit:
        labels = [_with_unit(a, variant.label(a, lang), lang) for a in attrs if a in variant.attrs]
    return _concat(labels, lang)


def _variant_name(variant: VariantInfo, lang: str, unit: bool = False) -> str:
    return _name_for(variant, list(variant.attrs), lang, unit)


def _asked_name_raw(filters: list[tuple[str | None, str]], lang: str, unit: bool = True) -> str:
    parts = [_with_unit(attr or "", value, lang) if unit else value for attr, value in filters]
    return _concat(parts, lang)


def _size_rank(value: str) -> float | None:
    label = value.upper().strip()
    match = re.fullmatch(r"(\d)XL", label)
    if match:
        label = "X" * (int(match.group(1)) - 1) + "XL"
    if label in _SIZE_ORDER:
        return float(_SIZE_ORDER.index(label))
    number = _NUMBER_RE.search(label)
    return float(number.group()) if number else None


def _best_alternative(
    product: ProductInfo, matched: list[VariantInfo], attrs: list[str], lang: str
) -> tuple[str, int]:
    """The in-stock alternative to a sold-out choice: grouped by the asked attributes, nearest size first."""
    skus = {v.sku for v in matched}
    candidates = [v for v in product.variants if v.stock > 0 and v.sku not in skus]
    groups: dict[tuple[str, ...], list[VariantInfo]] = {}
    if attrs:
        for v in candidates:
            if all(a in v.attrs for a in attrs):
                groups.setdefault(tuple(v.attrs[a] for a in attrs), []).append(v)
    if not groups:  # the alternatives differ in attributes the viewer did not ask about
        best = max(candidates, key=lambda v: v.stock)
        return _variant_name(best, lang, unit=True), best.stock

    asked_key = tuple(matched[0].attrs.get(a, "") for a in attrs)
    size_index = attrs.index("size") if "size" in attrs else None
    asked_rank = _size_rank(asked_key[size_index]) if size_index is not None else None

    def score(item: tuple[tuple[str, ...], list[VariantInfo]]) -> tuple[float, int, int]:
        # the same size first (a size is a fit, a colour a preference), then the nearest size,
        # then the fewest other differences, then the most stock
        key, members = item
        distance = 0.0
        if size_index is not None:
            rank = _size_rank(key[size_index])
            distance = abs(rank - asked_rank) if rank is not None and asked_rank is not None else 1e9
            if key[size_index] == asked_key[size_index]:
                distance = 0.0
        differing = sum(1 for a, b in zip(key, asked_key, strict=True) if a != b)
        return (distance, differing, -sum(v.stock for v in members))

    _, members = min(groups.items(), key=score)
    return _name_for(members[0], attrs, lang, unit=True), sum(v.stock for v in members)


def _whole_product_sold_out(lang: str, alternatives: Sequence[str]) -> str:
    alts = [a for a in alternatives if a]
    if lang == "zh":
        return "抱歉,已售罄" + (f",可以看看{_join(alts, lang)}" if alts else "")
    return "Sorry, sold out" + (f"; you might like {_join(alts, lang)}" if alts else "")


def _sold_out(lang: str) -> str:
    return "已售罄" if lang == "zh" else "sold out"


def _join(items: Sequence[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


def _dedupe(items: Iterable[str | None]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen
