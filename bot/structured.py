"""Structured answers: question type × slots → an answer from the catalog's live data, with no FAQ needed.

Two pure steps:
- :func:`structured_decision` decides whether a comment is a structured question the catalog can answer exactly
  (stock / count / price of a variant, what sizes or colours are left, a product attribute, a restock) and whether a
  staff-written FAQ should win instead;
- :func:`render_structured` turns that decision and the product as read **live** (stock at answer time) into
  the reply. A sold-out variant is never answered as available: the text is computed from the stock numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from bot.pipeline import ANSWER, STAFF, CatalogView, Decision, Understanding
from bot.size_advice import ADVICE, advice_decision, render_advice
from bot.slots import Slots
from catalog.snapshot import ProductInfo, VariantInfo
from catalog.templates import format_number

__all__ = ["STRUCTURED", "render_structured", "structured_decision"]

STRUCTURED = "structured"
PLENTY = 10  # at or above this many units the answer says "in good supply" instead of a number
_ATTR_ORDER = ("colour", "spec", "flavour", "size")
_WHICH_NAME = {"zh": {"size": "尺码", "colour": "颜色", "spec": "款式", "flavour": "口味"},
               "en": {"size": "sizes", "colour": "colours", "spec": "versions", "flavour": "flavours"}}


def structured_decision(u: Understanding, d: Decision, slots: Slots, view: CatalogView) -> Decision | None:
    """The structured reading of a comment, or None (the FAQ / silence / staff decision stands)."""
    if u.empty or (slots.qtype is None and not slots.size_question):
        return None
    if d.band == STAFF and d.reason.startswith("intent "):
        return None  # complaints and other never-auto-answered intents stay with staff
    products = view.snapshot.products
    pid = _product_for(u.product_id, u.product_how, slots, products)
    if pid is None:
        return None
    product = products[pid]
    asked = slots.asked_for(pid)
    if slots.size_question:  # measurements and "穿什么码": the product's size chart answers (bot/size_advice.py)
        return advice_decision(d, slots.body, product, asked)
    q = slots.qtype
    key: str | None = None
    if q in ("stock", "count", "restock", "price"):
        if not asked:
            return None  # "还有货吗" / "多少钱" about the whole product: the catalog's FAQs answer those
    elif q == "which":
        attrs = {a for v in product.variants for a in v.attrs}
        if slots.which not in attrs:
            return None
    elif q == "attribute":
        key = next((k for k in slots.attributes if k in product.attributes), None)
        if key is None:
            return None
    if d.band == ANSWER and d.faq_id is not None:
        faq = view.snapshot.faqs.get(d.faq_id)
        if faq is not None and (faq.product_id == pid or q == "attribute"):
            return None  # a FAQ staff wrote for this product (or this attribute) matched: it wins
    return replace(
        d, band=ANSWER, path=STRUCTURED, qtype=q, attribute=key if q == "attribute" else slots.which,
        asked=asked, product_id=pid, faq_id=None, reason=f"structured {q}",
    )


def _product_for(resolved: str | None, how: str, slots: Slots, products: Mapping[str, ProductInfo]) -> str | None:
    """The resolved product when it has the named values; else (only when nothing was named explicitly) the one
    product that has them. "袜子44码能穿吗" names the socks: never answered with the shoes' size 44."""
    if resolved is not None and resolved in products and (slots.asked_for(resolved) or not slots.values):
        return resolved
    if how in ("named", "platform"):
        return None
    if slots.values:
        owners = {pid for pid, _, _ in slots.values}
        named = [pid for pid in slots.products if pid in owners]
        if len(named) == 1:
            return named[0]
        if len(owners) == 1:
            return next(iter(owners))
        return None
    return resolved if resolved in products else None


# ------------------------------------------------------------------------------------------ rendering (pure)


def render_structured(
    d: Decision, product: ProductInfo, *, currency: Mapping[str, str], last_restock: float | None = None
) -> str | None:
    """The reply for a structured decision, from ``product`` as read live. None when nothing exact can be said."""
    lang = "zh" if d.lang == "zh" else "en"
    asked = dict(d.asked)
    if d.qtype == ADVICE:
        return render_advice(product, asked, lang)
    if d.qtype == "attribute":
        return _attribute(product, d.attribute or "", lang)
    if d.qtype == "which":
        return _which(product, d.attribute or "", asked, lang)
    variants = [v for v in product.variants if all(str(v.attrs.get(a)) == val for a, val in asked.items())]
    label = variant_label(asked, product, lang) if asked else product.display_name(lang)
    if not variants:
        left = _in_stock_labels(product, lang)
        if lang == "zh":
            return f"这款没有{label}哦" + (f",目前有货的是:{'、'.join(left)}" if left else "")
        return f"This one doesn't come in {label}" + (f"; in stock: {', '.join(left)}" if left else "")
    total = sum(v.stock for v in variants)
    if d.qtype == "price":
        return _price(product, variants, label, currency, lang)
    if total <= 0:
        return _sold_out(product, asked, label, lang)
    breakdown = _breakdown(product, variants, asked, lang)
    if d.qtype == "count":
        if breakdown:
            return f"{label}还剩{total}件:{breakdown}" if lang == "zh" else f"{label}: {total} left ({breakdown})"
        return f"{label}还剩{total}件" if lang == "zh" else f"{label}: {total} left"
    if d.qtype == "restock":
        if last_restock is not None:
            return f"{label}已经补货了,现在有{total}件" if lang == "zh" else f"{label} has been restocked: {total} left now"
        return f"{label}一直有货,现在还有{total}件" if lang == "zh" else f"{label} is in stock: {total} left"
    if breakdown:  # the viewer named part of a variant: say which of its variants are left, never a blanket "yes"
        return f"{label}目前有货:{breakdown}" if lang == "zh" else f"{label} in stock: {breakdown}"
    if lang == "zh":
        return f"有的,{label}现货充足" if total >= PLENTY else f"有的,{label}还有{total}件"
    return f"Yes, {label} is in stock" if total >= PLENTY else f"Yes, {label}: {total} left"


def _breakdown(product: ProductInfo, variants: list[VariantInfo], asked: Mapping[str, str], lang: str) -> str:
    """When the asked values match several variants (size L in three colours), the count per variant:
    "黑色9件、藏青色5件,奶白色已售罄" — so an unnamed colour is never answered by a blanket "in stock"."""
    if len(variants) < 2:
        return ""
    rest = [a for a in variants[0].attrs if a not in asked]
    if not rest:
        return ""

    def name(v: VariantInfo) -> str:
        return variant_label({a: str(v.attrs[a]) for a in rest if a in v.attrs}, product, lang)

    left = [v for v in variants if v.stock > 0][:5]
    gone = [v for v in variants if v.stock <= 0][:5]
    if lang == "zh":
        text = "、".join(f"{name(v)}{v.stock}件" for v in left)
        return text + (f",{'、'.join(name(v) for v in gone)}已售罄" if gone else "")
    text = ", ".join(f"{name(v)} {v.stock}" for v in left)
    return text + (f"; sold out: {', '.join(name(v) for v in gone)}" if gone else "")


def variant_label(asked: Mapping[str, str], product: ProductInfo, lang: str) -> str:
    """How a viewer would say the asked variant: "黑色L码" / "black, size L"."""
    parts: list[str] = []
    size = asked.get("size")
    for attr in _ATTR_ORDER:
        if attr == "size" or attr not in asked:
            continue
        parts.append(_value_label(product, attr, asked[attr], lang))
    for attr, value in asked.items():
        if attr not in _ATTR_ORDER:
            parts.append(_value_label(product, attr, value, lang))
    if lang == "zh":
        return "".join(parts) + (f"{size}码" if size else "")
    text = ", ".join(parts)
    if size:
        text = f"{text}, size {size}" if text else f"size {size}"
    return text or product.display_name(lang)


def _value_label(product: ProductInfo, attr: str, value: str, lang: str) -> str:
    for v in product.variants:
        if str(v.attrs.get(attr)) == value:
            label = (v.labels.get(attr) or {}).get(lang)
            if label:
                return label
    return value


def _variant_name(product: ProductInfo, v: VariantInfo, lang: str) -> str:
    return variant_label({a: str(x) for a, x in v.attrs.items()}, product, lang)


def _sold_out(product: ProductInfo, asked: Mapping[str, str], label: str, lang: str) -> str:
    """Sold out → the in-stock alternatives closest to what was asked (same colour other size, or same size…)."""

    order: dict[str, dict[str, int]] = {}  # attr -> value -> position in the catalog (sizes are listed in order)
    for v in product.variants:
        for a, val in v.attrs.items():
            order.setdefault(a, {}).setdefault(str(val), len(order[a]))

    def closeness(v: VariantInfo) -> tuple[int, int, int]:
        same = sum(1 for a, val in asked.items() if str(v.attrs.get(a)) == val)
        # the next size up or down before a far one: "XL刚售罄,L码还有12件"
        distance = sum(
            abs(order[a].get(str(v.attrs.get(a)), 0) - order[a].get(val, 0)) for a, val in asked.items() if a in order
        )
        return (-same, distance, -v.stock)

    alternatives = sorted((v for v in product.variants if v.stock > 0), key=closeness)[:2]
    if lang == "zh":
        text = f"{label}刚售罄"
        if alternatives:
            return text + "," + ",".join(f"{_variant_name(product, v, lang)}还有{v.stock}件" for v in alternatives)
        return text + ",这款其他规格也暂时没货了"
    text = f"Sorry, {label} is sold out"
    if alternatives:
        return text + "; " + ", ".join(f"{_variant_name(product, v, lang)} has {v.stock} left" for v in alternatives)
    return text + ", and nothing else of this one is in stock right now"


def _price(
    product: ProductInfo, variants: list[VariantInfo], label: str, currency: Mapping[str, str], lang: str
) -> str:
    prices = sorted({v.price if v.price is not None else product.price for v in variants})
    unit = currency.get(lang) or ("元" if lang == "zh" else "CNY")
    shown = _money(prices[0]) if len(prices) == 1 else f"{_money(prices[0])}-{_money(prices[-1])}"
    return f"{label}{shown}{unit}" if lang == "zh" else f"{label} is {shown} {unit}"


def _money(value: Decimal) -> str:
    return format_number(value)


def _which(product: ProductInfo, attr: str, asked: Mapping[str, str], lang: str) -> str | None:
    others = {a: v for a, v in asked.items() if a != attr}
    values: list[str] = []
    for v in product.variants:
        if v.stock > 0 and attr in v.attrs and all(str(v.attrs.get(a)) == val for a, val in others.items()):
            label = _value_label(product, attr, str(v.attrs[attr]), lang)
            if label not in values:
                values.append(label)
    name = _WHICH_NAME[lang].get(attr, attr)
    prefix = variant_label(others, product, lang) if others else ""
    if lang == "zh":
        if not values:
            return f"{prefix}目前都售罄了" if prefix else "目前都售罄了"
        return f"{prefix}目前有货的{name}:{'、'.join(values)}"
    if not values:
        return f"{prefix + ': ' if prefix else ''}all sold out right now"
    if prefix:
        return f"For {prefix}, {name} in stock now: {', '.join(values)}"
    return f"{name.capitalize()} in stock now: {', '.join(values)}"


def _in_stock_labels(product: ProductInfo, lang: str) -> list[str]:
    return [_variant_name(product, v, lang) for v in product.variants if v.stock > 0][:6]


def _attribute(product: ProductInfo, key: str, lang: str) -> str | None:
    value = product.attribute(key, lang)
    if not value:
        return None
    name = product.display_name(lang)
    return f"{name}:{value}" if lang == "zh" else f"{name}: {value}"
