"""Stock-aware product recommendations as pure functions.

rank_products() scores every product for a comment by semantic similarity (comment vector · product vector), then
applies hard constraints read from the comment (price cap, asked size/colour) and in-stock filtering — a sold-out
variant is never recommended — and soft boosts (audience tags, product on stage, what this viewer asked before, the
product cards this viewer opened and how long they watched each product being presented).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from catalog.phrases import MissingText, phrase
from catalog.snapshot import ProductInfo, VariantInfo
from catalog.text import has_han

_CAP_PATTERNS = [
    re.compile(r"(\d+(?:\.\d+)?)\s*(?:元|块|rmb)?\s*(?:以内|以下|之内|内)"),
    re.compile(r"(?:不超过|低于|少于|别超过|预算)\s*(\d+(?:\.\d+)?)"),
    re.compile(r"(?:under|below|less than|max|within|budget(?: of)?)\s*[$¥€]?\s*(\d+(?:\.\d+)?)"),
    re.compile(r"[$¥]\s*(\d+(?:\.\d+)?)\s*(?:or less|max)"),
]
_USD_HINT = re.compile(r"\$|usd|dollars?")
USD_TO_CNY = Decimal("7.2")
_CHEAPER = re.compile(r"(便宜|平价|划算|性价比|学生党|cheaper|budget|affordable|less expensive)")

# Audience/need words → catalog tags they imply. Tags are data in the catalog; these are the viewer's words for them.
AUDIENCE_WORDS: Mapping[str, tuple[str, ...]] = {
    "男朋友": ("男朋友", "男士", "送礼", "boyfriend", "men"),
    "老公": ("男朋友", "男士", "送礼", "men"),
    "boyfriend": ("男朋友", "男士", "送礼", "boyfriend", "men", "gift"),
    "女朋友": ("女朋友", "女士", "送礼", "girlfriend", "women"),
    "老婆": ("女朋友", "女士", "送礼", "women"),
    "girlfriend": ("女朋友", "女士", "送礼", "girlfriend", "women", "gift"),
    "妈妈": ("妈妈", "长辈", "送礼", "mom"),
    "爸妈": ("长辈", "送礼"),
    "宝宝": ("宝宝", "儿童", "baby", "kids"),
    "孩子": ("宝宝", "儿童", "kids"),
    "小孩": ("宝宝", "儿童", "kids"),
    "baby": ("宝宝", "baby", "kids"),
    "kid": ("儿童", "kids", "宝宝"),
    "油皮": ("油皮", "oily skin"),
    "oily": ("油皮", "oily skin"),
    "干皮": ("干皮", "dry skin"),
    "dry skin": ("干皮", "dry skin"),
    "学生": ("学生", "平价", "student", "budget"),
    "送礼": ("送礼", "gift"),
    "礼物": ("送礼", "gift"),
    "gift": ("送礼", "gift"),
    "跑步": ("运动", "跑步", "sports", "running"),
    "运动": ("运动", "sports"),
    "running": ("运动", "跑步", "running", "sports"),
    "冬天": ("保暖", "冬季", "winter"),
    "winter": ("保暖", "冬季", "winter"),
    "零食": ("零食", "snack"),
    "snack": ("零食", "snack"),
}


@dataclass(frozen=True, slots=True)
class Constraints:
    price_cap: Decimal | None = None
    cheaper_than: Decimal | None = None
    audience_tags: frozenset[str] = frozenset()
    asked: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Recommendation:
    product_id: str
    variant_sku: str | None
    price: Decimal
    stock: int
    score: float
    reasons: tuple[str, ...]  # price_cap, cheaper, audience:<tag>, on_stage, asked_before, clicked, watched, similar


CLICK_BOOST = 0.06  # per product card the viewer opened, at most MAX_CLICKS counted
MAX_CLICKS = 3
WATCH_BOOST = 0.06  # for WATCH_FULL_S seconds spent watching the product on stage (proportionally less for less)
WATCH_FULL_S = 120.0


def read_constraints(text: str, *, asked: Mapping[str, str] | None = None, current_price: Decimal | None = None) -> Constraints:
    cap: Decimal | None = None
    for pattern in _CAP_PATTERNS:
        m = pattern.search(text)
        if m:
            cap = Decimal(m.group(1))
            if _USD_HINT.search(text):
                cap = (cap * USD_TO_CNY).quantize(Decimal("1"))
            break
    cheaper = current_price if current_price is not None and _CHEAPER.search(text) else None
    tags: set[str] = set()
    for word, implied in AUDIENCE_WORDS.items():
        if word in text:
            tags.update(implied)
    return Constraints(price_cap=cap, cheaper_than=cheaper, audience_tags=frozenset(tags), asked=dict(asked or {}))


def _variant_price(product: ProductInfo, variant: VariantInfo) -> Decimal:
    return Decimal(variant.price) if variant.price is not None else Decimal(product.price)


def _eligible_variants(product: ProductInfo, c: Constraints) -> list[VariantInfo]:
    out = []
    for v in product.variants:
        if v.stock <= 0:
            continue  # never recommend a sold-out variant
        if c.asked and any(attr in v.attrs and str(v.attrs[attr]) != value for attr, value in c.asked.items()):
            continue
        price = _variant_price(product, v)
        if c.price_cap is not None and price > c.price_cap:
            continue
        if c.cheaper_than is not None and price >= c.cheaper_than:
            continue
        out.append(v)
    return out


def rank_products(
    products: Sequence[ProductInfo],
    similarity: Mapping[str, float],
    constraints: Constraints,
    *,
    stage_product_id: str | None = None,
    exclude: Sequence[str] = (),
    asked_before: Sequence[str] = (),
    clicks: Mapping[str, int] | None = None,
    watched_s: Mapping[str, float] | None = None,
    limit: int = 3,
) -> list[Recommendation]:
    """Rank in-stock products. ``similarity`` maps product id → cosine of the comment to the product's description;
    ``clicks`` (product cards this viewer opened) and ``watched_s`` (seconds they watched each product on stage) are
    the viewer's behaviour (bot/memory.py)."""
    clicks = clicks or {}
    watched_s = watched_s or {}
    recs: list[Recommendation] = []
    for product in products:
        if product.id in exclude:
            continue
        variants = _eligible_variants(product, constraints)
        if not variants:
            continue
        best_variant = min(variants, key=lambda v: (_variant_price(product, v), -v.stock))
        score = float(similarity.get(product.id, 0.0))
        reasons: list[str] = []
        tags = {t.lower() for t in product.tags}
        matched = sorted(t for t in constraints.audience_tags if t.lower() in tags)
        if matched:
            score += 0.15 + 0.03 * min(len(matched), 3)
            reasons.extend(f"audience:{t}" for t in matched)
        if constraints.price_cap is not None:
            reasons.append("price_cap")
        if constraints.cheaper_than is not None:
            reasons.append("cheaper")
        if product.id == stage_product_id:
            score += 0.05
            reasons.append("on_stage")
        if product.id in asked_before:
            score += 0.04
            reasons.append("asked_before")
        if clicks.get(product.id, 0) > 0:
            score += CLICK_BOOST * min(clicks[product.id], MAX_CLICKS)
            reasons.append("clicked")
        if watched_s.get(product.id, 0.0) > 0:
            score += WATCH_BOOST * min(watched_s[product.id] / WATCH_FULL_S, 1.0)
            reasons.append("watched")
        if not reasons:
            reasons.append("similar")
        recs.append(
            Recommendation(
                product_id=product.id,
                variant_sku=best_variant.sku if len(product.variants) > 1 else None,
                price=_variant_price(product, best_variant),
                stock=sum(v.stock for v in variants),
                score=score,
                reasons=tuple(reasons),
            )
        )
    recs.sort(key=lambda r: (-r.score, r.price))
    return recs[:limit]


def _fmt_price(price: Decimal) -> str:
    q = price.quantize(Decimal("0.01"))
    return str(q.to_integral()) if q == q.to_integral() else str(q.normalize())


def _is_cjk(text: str) -> bool:
    return has_han(text)


_WHY = frozenset({"price_cap", "cheaper", "on_stage", "asked_before", "clicked", "watched"})


def explain(rec: Recommendation, product: ProductInfo, lang: str) -> str:
    """One short clause saying why this pick (the price is shown next to it already), from catalog/phrases.py."""
    audience = [r.split(":", 1)[1] for r in rec.reasons if r.startswith("audience:")]
    audience = [t for t in audience if _is_cjk(t) == (lang != "en")] or audience
    code = "audience" if audience else rec.reasons[0]
    if code == "audience":  # the catalog's tags are zh/en words: other languages say it without the tag
        return phrase("why.audience", lang, tag=audience[0]) if lang in ("zh", "en") else phrase("why.audience_any", lang)
    return phrase(f"why.{code}" if code in _WHY else "why.default", lang)


def render_recommendations(recs: Sequence[Recommendation], products: Mapping[str, ProductInfo], lang: str) -> str | None:
    """The recommendation sentence in ``lang``; `MissingText` when a pick has no name fit for that language."""
    if not recs:
        return None
    parts = []
    # A second pick only when it is nearly as good as the first: a weak runner-up is noise in a busy chat.
    picks = [recs[0]] + [r for r in recs[1:2] if r.score >= recs[0].score - 0.08]
    for rec in picks:
        product = products[rec.product_id]
        name = product.display_name(lang) if lang in ("zh", "en") else product.name_in(lang)
        if name is None:
            raise MissingText(lang, f"no {lang} name for product '{product.id}'")
        why = explain(rec, product, lang)
        parts.append(phrase("rec.pick", lang, name=name, price=_fmt_price(rec.price), why=why))
    return phrase("rec.picks", lang, picks=phrase("rec.sep", lang).join(parts))


def product_text(product: ProductInfo, langs: Collection[str] | None = None) -> str:
    """Text used to embed a product for semantic recommendation: its names and descriptions in ``langs`` (the room's
    languages; None = all), category and tags."""
    room = None if langs is None else {lang.split("-")[0].lower() for lang in langs}

    def texts(by_lang: Mapping[str, str]) -> list[str]:
        return [t for lang, t in by_lang.items() if room is None or lang.split("-")[0].lower() in room]

    return " ".join([*texts(product.name), product.category, *product.tags, *texts(product.description)])


def similarity_map(query_vector: np.ndarray, product_ids: Sequence[str], product_vectors: np.ndarray) -> dict[str, float]:
    if len(product_ids) == 0:
        return {}
    sims = product_vectors @ np.asarray(query_vector, dtype=np.float32)
    return {pid: float(s) for pid, s in zip(product_ids, sims, strict=True)}
