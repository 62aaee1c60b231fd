"""The wording of structured answers (bot/structured.py), and of the stock placeholders of staff-written FAQ answers
in languages other than zh/en (catalog/templates.py), in the viewer's language, from the built-in phrasebook
(catalog/phrases.py) and the product as read live. Pure.

Names come from the catalog in the reply's language: a product name, a colour or an attribute value is used only in a
version fit for that language (catalog.snapshot ``name_in`` / ``label_in`` / ``attribute_in``: the text filed under the
language, a code such as "XL" or "42", or a Latin-script text in a Latin-script language). When one is missing the
renderer raises ``MissingText`` rather than mixing scripts; the engine then applies the room's fallback policy.
zh and en keep the catalog's lenient choice (both are required in a catalog file).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from catalog.langs import LATIN, foreign_script, lang_script, scripts_of
from catalog.phrases import MissingText, attr_name, phrase
from catalog.snapshot import ProductInfo, VariantInfo
from catalog.templates import format_number

__all__ = ["PLENTY", "joined", "render_text", "then", "variant_label"]

PLENTY = 10  # at or above this many units the answer says "in good supply" instead of a number
_ATTR_ORDER = ("colour", "spec", "flavour", "size")
_LENIENT = ("zh", "en")


def render_text(
    qtype: str | None,
    attribute: str | None,
    asked: Mapping[str, str],
    product: ProductInfo,
    lang: str,
    *,
    currency: Mapping[str, str],
    last_restock: float | None = None,
    restock_note: str | None = None,
) -> str | None:
    """The reply in ``lang``; None when nothing exact can be said; ``MissingText`` when a needed text is missing.
    ``restock_note``: when sold-out goods come back, in the shop's words (bot/restock_note.py), said after a restock
    answer about a variant that is sold out (or about several, some of them sold out)."""
    asked = dict(asked)
    if qtype == "attribute":
        return _attribute(product, attribute or "", lang)
    if qtype == "which":
        return _which(product, attribute or "", asked, lang)
    variants = [v for v in product.variants if all(str(v.attrs.get(a)) == val for a, val in asked.items())]
    label = variant_label(asked, product, lang) if asked else product_name(product, lang)
    if not variants:
        left = _left_of_absent(product, asked, lang) or _in_stock_labels(product, lang)
        text = phrase("not_offered", lang, product.wording, label=label)
        return text + (phrase("not_offered.left", lang, left=phrase("list_sep", lang).join(left)) if left else "")
    total = sum(v.stock for v in variants)
    if qtype == "price":
        return _price(product, variants, label, currency, lang, "price" if asked else "price.product")
    if total <= 0:
        sold_out = _sold_out(product, asked, label, lang)
        return then(sold_out, restock_note, lang) if qtype == "restock" and restock_note else sold_out
    breakdown = _breakdown(product, variants, asked, lang)
    if qtype == "count":
        if breakdown:
            return phrase("count.breakdown", lang, product.wording, label=label, total=total, breakdown=breakdown)
        return phrase("count", lang, product.wording, label=label, total=total)
    if qtype == "restock" and last_restock is None and breakdown and any(v.stock <= 0 for v in variants):
        # "XL补货了吗" with the black XL sold out and the white one in stock, none restocked: not "XL码一直有货" — which
        # are left, which are sold out, and when the sold-out ones come back (a restock that happened is still said so)
        listed = phrase("stock.breakdown", lang, product.wording, label=label, breakdown=breakdown)
        return then(listed, restock_note, lang) if restock_note else listed
    if qtype == "restock":
        key = "restock.done" if last_restock is not None else "restock.in_stock"
        return phrase(key, lang, product.wording, label=label, total=total)
    if breakdown:  # the viewer named part of a variant: say which of its variants are left, never a blanket "yes"
        return phrase("stock.breakdown", lang, product.wording, label=label, breakdown=breakdown)
    return phrase("stock.plenty" if total >= PLENTY else "stock.few", lang, product.wording, label=label, total=total)


_ENDS = "。.!！;；,，、 "


def then(first: str, second: str, lang: str) -> str:
    """Two sentences of one reply: ``first`` ended as ``lang`` ends a sentence, then ``second``."""
    return phrase("then", lang, first=first.rstrip(_ENDS), then=second)


def joined(answers: Sequence[str], lang: str) -> str:
    """The answers to the questions of one comment in one reply ("黑色79元；XL码目前有货:…"), in ``lang``."""
    parts = [a.rstrip(_ENDS) for a in answers[:-1]] + list(answers[-1:])
    return phrase("answers_sep", lang).join(parts)


def product_name(product: ProductInfo, lang: str) -> str:
    if lang in _LENIENT:
        return product.display_name(lang)
    name = product.name_in(lang)
    if name is None:
        raise MissingText(lang, f"no {lang} name for product '{product.id}'")
    return name


def variant_label(asked: Mapping[str, str], product: ProductInfo, lang: str) -> str:
    """How a viewer would say the asked variant: "黑色L码" / "black, size L" / "ブラックのLサイズ"."""
    parts: list[str] = []
    size = asked.get("size")
    for attr in _ATTR_ORDER:
        if attr == "size" or attr not in asked:
            continue
        parts.append(_value_label(product, attr, asked[attr], lang))
    for attr, value in asked.items():
        if attr not in _ATTR_ORDER:
            parts.append(_value_label(product, attr, value, lang))
    text = phrase("variant.parts_sep", lang).join(parts)
    if size:
        shown = size if lang in _LENIENT else _value_label(product, "size", size, lang)
        sized = phrase("variant.size", lang, size=shown)
        text = phrase("variant.with_size", lang, parts=text, size=sized) if text else sized
    if lang == "zh":
        return text
    return text or product_name(product, lang)


def _value_label(product: ProductInfo, attr: str, value: str, lang: str) -> str:
    if lang in _LENIENT:
        for v in product.variants:
            if str(v.attrs.get(attr)) == value:
                label = (v.labels.get(attr) or {}).get(lang)
                if label:
                    return label
        return value
    for v in product.variants:
        if str(v.attrs.get(attr)) == value:
            label = v.label_in(attr, lang)
            if label is None:
                raise MissingText(lang, f"no {lang} name for {attr} '{value}' of product '{product.id}'")
            return label
    probe = VariantInfo(sku="", product_id=product.id, attrs={attr: value}, stock=0)
    label = probe.label_in(attr, lang)  # a value the product does not have: only a code can be said as is …
    if label is None and _values_of(product, attr) and _written_for(value, lang):
        # … or, asked of an attribute the product has and written in the reply's script, as the reading worded it
        # ("สีชมพู" for a thermos in cream and haze blue, bot/absent_value.py)
        return value
    if label is None:
        raise MissingText(lang, f"no {lang} name for {attr} '{value}'")
    return label


def _variant_name(product: ProductInfo, v: VariantInfo, lang: str) -> str:
    return variant_label({a: str(x) for a, x in v.attrs.items()}, product, lang)


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
    text = phrase("breakdown.sep", lang).join(phrase("breakdown.item", lang, name=name(v), n=v.stock) for v in left)
    if gone:
        text += phrase("breakdown.gone", lang, names=phrase("list_sep", lang).join(name(v) for v in gone))
    return text


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
    if not alternatives:
        return phrase("sold_out.none", lang, product.wording, label=label)
    alts = phrase("alt_sep", lang).join(
        phrase("alt", lang, name=_variant_name(product, v, lang), n=v.stock) for v in alternatives
    )
    return phrase("sold_out.alts", lang, product.wording, label=label, alts=alts)


def _price(
    product: ProductInfo, variants: Sequence[VariantInfo], label: str, currency: Mapping[str, str], lang: str,
    key: str = "price",
) -> str:
    prices = sorted({v.price if v.price is not None else product.price for v in variants})
    if lang in _LENIENT:
        unit = currency.get(lang) or ("元" if lang == "zh" else "CNY")
    else:  # the shop's currency in this language, else its English name (a code such as CNY reads everywhere)
        unit = currency.get(lang) or currency.get("en") or "CNY"
    shown = _money(prices[0]) if len(prices) == 1 else f"{_money(prices[0])}-{_money(prices[-1])}"
    return phrase(key, lang, product.wording, label=label, price=shown, unit=unit)


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
    name = attr_name(attr, lang)
    if name is None:
        if lang not in _LENIENT:
            raise MissingText(lang, f"no {lang} word for the attribute '{attr}'")
        name = attr
    prefix = variant_label(others, product, lang) if others else ""
    if not values:
        if prefix:
            return phrase("which.none_for", lang, product.wording, prefix=prefix)
        return phrase("which.none", lang, product.wording)
    listed = phrase("list_sep", lang).join(values)
    if prefix:
        return phrase("which.some_for", lang, product.wording, prefix=prefix, name=name, values=listed)
    return phrase("which.some", lang, product.wording, name=name, Name=name.capitalize(), values=listed)


def _written_for(value: str, lang: str) -> bool:
    """Is ``value`` written in ``lang``'s own script and in no script foreign to it?"""
    own = bool(scripts_of(value) - {LATIN}) or lang_script(lang) == LATIN  # "rojo" in Spanish, "ピンク" in Japanese
    return own and foreign_script(value, lang) is None


def _values_of(product: ProductInfo, attr: str) -> set[str]:
    """The canonical values of ``attr`` among the product's variants."""
    return {str(v.attrs[attr]) for v in product.variants if attr in v.attrs}


def _left_of_absent(product: ProductInfo, asked: Mapping[str, str], lang: str) -> list[str]:
    """A value the product does not have at all asked ("rojo", size 37): the values of that attribute in stock (of the
    other values asked, "navy" of "does the navy come in S?"), not every variant in stock; [] otherwise."""
    absent = [a for a, val in asked.items() if val not in _values_of(product, a)]
    if len(absent) != 1 or not _values_of(product, absent[0]):
        return []
    attr = absent[0]
    others = {a: val for a, val in asked.items() if a != attr}
    out: list[str] = []
    for v in product.variants:
        if v.stock > 0 and attr in v.attrs and all(str(v.attrs.get(a)) == val for a, val in others.items()):
            label = _value_label(product, attr, str(v.attrs[attr]), lang)
            if attr == "size":
                label = phrase("variant.size", lang, size=label)
            if label not in out:
                out.append(label)
    return out[:8]


def _in_stock_labels(product: ProductInfo, lang: str) -> list[str]:
    return [_variant_name(product, v, lang) for v in product.variants if v.stock > 0][:6]


def _attribute(product: ProductInfo, key: str, lang: str) -> str | None:
    if lang in _LENIENT:
        value = product.attribute(key, lang)
    else:
        value = product.attribute_in(key, lang)
        if value is None and product.attribute(key, lang):
            raise MissingText(lang, f"no {lang} text for the attribute '{key}' of product '{product.id}'")
    if not value:
        return None
    return phrase("attribute", lang, product.wording, name=product_name(product, lang), value=value)
