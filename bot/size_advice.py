"""Size advice: the size a product's size chart gives for the viewer's measurements, answered with live stock. Pure.

"175 120斤穿什么码" → "175cm/60kg建议L码,目前L码还有12件". The rule (documented in docs/catalog-format.md):

- every measurement the chart has a dimension for is looked up; a value fits the rows whose inclusive range it
  touches (on an edge two neighbouring rows share, both);
- the sizes all measurements agree on → the largest of them; when they disagree by one neighbouring size
  (height says L, weight says M) → the larger one; by more → staff;
- a measurement outside every row (or between two rows that do not touch), no dimension the chart knows, a number
  in the comment that could not be read ("175 65": 65 kg or 65斤?), or no chart at all → staff. Never a guess.

Stock is read live: the advised size sold out → the next size up when it is in stock ("L码刚售罄,建议XL码,还有3件"),
else the answer says that the size that fits is sold out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from bot.measures import Body
from bot.pipeline import ANSWER, STAFF, Decision
from catalog.answer_text import render_text
from catalog.phrases import has_phrases, phrase
from catalog.size_chart import SIZE_ATTR, SizeRow
from catalog.snapshot import ProductInfo, VariantInfo

__all__ = ["ADVICE", "Advice", "advice_decision", "advise", "body_from_asked", "body_slots", "render_advice"]

ADVICE = "size_advice"  # the structured question type (Decision.qtype) and the replay label "@size_advice"
_NAMES = {"height_cm": ("身高", "height"), "weight_kg": ("体重", "weight"), "foot_mm": ("脚长", "foot length")}
_UNITS = {"height_cm": "cm", "weight_kg": "kg", "foot_mm": "mm"}


@dataclass(frozen=True)
class Advice:
    """The size the chart gives (None: hand to staff) and why, in words for the decision's reason."""

    size: str | None
    why: str
    index: int = -1  # the advised row's position in the chart


def advise(chart: Sequence[SizeRow], body: Mapping[str, tuple[float, float]]) -> Advice:
    """The chart's size for ``body`` (dimension -> (low, high)), or Advice(None, why) — see the module rule."""
    if not chart:
        return Advice(None, "no size chart")
    dims = [d for d in body if d in chart[0].ranges]
    if not dims:
        return Advice(None, f"the size chart has no {'/'.join(body) or 'measurement'} to compare")
    fits: dict[str, list[int]] = {}
    for dim in dims:
        low, high = body[dim]
        rows = [i for i, row in enumerate(chart) if row.ranges[dim][0] <= high and low <= row.ranges[dim][1]]
        if not rows:
            first, last = chart[0].ranges[dim], chart[-1].ranges[dim]
            where = "outside" if high < first[0] or low > last[1] else "between two rows of"
            return Advice(None, f"{dim} {_value(body[dim])} is {where} the size chart")
        if rows[-1] - rows[0] > 1:  # a range so wide it spans three sizes ("一米七几" on a fine chart)
            return Advice(None, f"{dim} {_value(body[dim])} spans several sizes")
        fits[dim] = rows
    common = set.intersection(*(set(r) for r in fits.values()))
    said = "; ".join(f"{d} {_value(body[d])} → {'/'.join(chart[i].size for i in fits[d])}" for d in dims)
    if common:
        index = max(common)
    else:
        every = sorted({i for rows in fits.values() for i in rows})
        if every[-1] - every[0] > 1:
            return Advice(None, f"the measurements point to different sizes ({said})")
        index = every[-1]  # one neighbouring size apart: the larger
    return Advice(chart[index].size, said, index)


def _value(r: tuple[float, float]) -> str:
    low, high = (int(x) if float(x).is_integer() else x for x in r)
    return f"{low}" if low == high else f"{low}-{high}"


def body_slots(body: Body) -> dict[str, str]:
    """The measurements as decision slots ("height_cm": "175", "weight_kg": "60-64.5"): they travel in
    ``Decision.asked``, so the transcript and the console show what was read."""
    return {dim: _value(value) for dim, value in body.dimensions().items()}


def body_from_asked(asked: Mapping[str, str]) -> dict[str, tuple[float, float]]:
    """The inverse of :func:`body_slots` (the other entries of ``asked`` are variant values, ignored)."""
    out: dict[str, tuple[float, float]] = {}
    for dim in _UNITS:
        text = asked.get(dim)
        if text:
            low, _, high = text.partition("-")
            out[dim] = (float(low), float(high or low))
    return out


def _said(body: Mapping[str, tuple[float, float]], lang: str) -> str:
    parts = [f"{_value(v)}{_UNITS[d]}" for d, v in body.items() if d in _UNITS]
    return "/".join(parts) if lang == "zh" else " / ".join(parts)


def _label(product: ProductInfo, attrs: Mapping[str, str], size: str, lang: str) -> str:
    """"黑色L码" / "L" / "black, size L"."""
    words = []
    for attr, value in attrs.items():
        if attr == SIZE_ATTR:
            continue
        label = next(((v.labels.get(attr) or {}).get(lang) for v in product.variants
                      if str(v.attrs.get(attr)) == value and (v.labels.get(attr) or {}).get(lang)), None)
        words.append(label or value)
    if lang == "zh":
        return "".join(words) + f"{size}码"
    return (", ".join(words) + f", size {size}") if words else f"size {size}"


def _of_size(product: ProductInfo, size: str, others: Mapping[str, str]) -> list[VariantInfo]:
    return [v for v in product.variants if str(v.attrs.get(SIZE_ATTR)) == size
            and all(str(v.attrs.get(a)) == val for a, val in others.items())]


def _breakdown(product: ProductInfo, variants: list[VariantInfo], others: Mapping[str, str], lang: str) -> str:
    """Per colour when the viewer named none and the size comes in several: "(白色12件,黑色已售罄)"."""
    rest = [a for a in (variants[0].attrs if variants else {}) if a != SIZE_ATTR and a not in others]
    if len(variants) < 2 or not rest:
        return ""

    def name(v: VariantInfo) -> str:
        return "".join(v.label(a, lang) for a in rest) if lang == "zh" else " ".join(v.label(a, lang) for a in rest)

    if lang == "zh":
        return "(" + ",".join(f"{name(v)}{v.stock}件" if v.stock > 0 else f"{name(v)}已售罄" for v in variants) + ")"
    return " (" + ", ".join(f"{name(v)} {v.stock}" if v.stock > 0 else f"{name(v)} sold out" for v in variants) + ")"


def render_advice(product: ProductInfo, asked: Mapping[str, str], lang: str) -> str | None:
    """The advice for the measurements in ``asked`` (see :func:`body_slots`) from ``product`` as read live (chart
    and stock); None when the chart does not give one size (the caller hands the comment to staff). In a language
    of the phrasebook other than zh/en: the advised size, then the stock answer for it (``catalog.answer_text``:
    sold out → the nearest sizes in stock); `MissingText` when a name it needs has no version in ``lang``."""
    if lang not in ("zh", "en") and has_phrases(lang):
        return _render_phrased(product, asked, lang)
    lang = "zh" if lang == "zh" else "en"
    body = body_from_asked(asked)
    advice = advise(product.size_chart, body)
    if advice.size is None:
        return None
    others = {a: v for a, v in asked.items() if a not in _UNITS and a != SIZE_ATTR}
    said = _said({d: body[d] for d in body if d in product.size_chart[0].ranges}, lang)
    size = advice.size
    variants = _of_size(product, size, others)
    label = _label(product, others, size, lang)
    total = sum(v.stock for v in variants)
    if total > 0:
        detail = _breakdown(product, variants, others, lang)
        if lang == "zh":
            return f"{said}建议{size}码,目前{label}还有{total}件{detail}"
        return f"For {said}, size {size} should fit; {label}: {total} left{detail}"
    gone = f"{label}刚售罄" if variants else f"这款没有{label}"
    gone_en = "it is sold out" if variants else f"this one doesn't come in {label}"
    if advice.index + 1 < len(product.size_chart):
        bigger = product.size_chart[advice.index + 1].size
        left = sum(v.stock for v in _of_size(product, bigger, others))
        if left > 0:
            next_label = _label(product, others, bigger, lang)
            if lang == "zh":
                return f"{said}建议{size}码,{gone},可以拍大一码:{next_label}还有{left}件"
            return f"For {said}, size {size} would fit, but {gone_en}; one size up, {next_label} has {left} left"
    if lang == "zh":
        return f"{said}建议{size}码,不过{gone},大一码也没货了"
    return f"For {said}, size {size} would fit, but {gone_en}, and the next size up is not in stock either"


def _render_phrased(product: ProductInfo, asked: Mapping[str, str], lang: str) -> str | None:
    body = body_from_asked(asked)
    advice = advise(product.size_chart, body)
    if advice.size is None:
        return None
    others = {a: v for a, v in asked.items() if a not in _UNITS and a != SIZE_ATTR}
    said = _said({d: body[d] for d in body if d in product.size_chart[0].ranges}, "en")
    head = phrase("advice.size", lang, said=said, size=advice.size)
    stock = render_text("stock", None, {**others, SIZE_ATTR: advice.size}, product, lang, currency={})
    return head + (phrase("advice.sep", lang) + stock[:1].upper() + stock[1:] if stock else "")


def advice_decision(d: Decision, body: Body, product: ProductInfo, asked: Mapping[str, str]) -> Decision | None:
    """The decision for a size question with measurements about ``product``: an answer when its chart gives one
    size, else staff with the reason. None (the FAQ decision stands) when the product has no chart and a FAQ
    answered — e.g. a hand-written size guide."""
    named = {a: v for a, v in asked.items() if a != SIZE_ATTR}  # "175穿L码可以吗": the chart decides, not the L
    slots = {**named, **body_slots(body)}
    staff = replace(d, band=STAFF, path="structured", qtype=ADVICE, attribute=SIZE_ATTR, asked=slots,
                    product_id=product.id, faq_id=None)
    if not product.size_chart:
        if d.band == ANSWER and d.faq_id is not None:
            return None
        return replace(staff, reason=f"size advice: {product.id} has no size chart")
    if body.unread:
        return replace(staff, reason=f"size advice: could not read {', '.join(body.unread[:3])} (which unit?)")
    advice = advise(product.size_chart, body.dimensions())
    if advice.size is None:
        return replace(staff, reason=f"size advice: {advice.why}")
    # the advised size travels as the decision's size slot: the transcript shows it and a log's slot label checks it
    return replace(staff, band=ANSWER, asked={**named, SIZE_ATTR: advice.size, **body_slots(body)},
                   reason=f"structured size_advice {advice.why}: {advice.size}")
