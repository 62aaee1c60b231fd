"""Database rows to the frozen snapshot values (`ProductInfo`, `VariantInfo`, `FaqInfo`) and the per-language text
columns (zh / en columns plus a JSON column for other languages, migration 0008) in both directions."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, select

from catalog.rules import clip
from catalog.schema import Product, Variant
from catalog.size_chart import SizeRow
from catalog.snapshot import FaqInfo, ProductInfo, VariantInfo

log = logging.getLogger("catalog.store")  # the store's one logger, named as before it was split into modules

ANSWER_LANGS = ("zh", "en")


def _texts(extra: Mapping[str, Any] | None = None, **texts: str | None) -> dict[str, str]:
    out = {lang: text for lang, text in texts.items() if text is not None}
    for lang, text in (extra or {}).items():  # languages other than zh/en (migration 0008)
        if isinstance(lang, str) and isinstance(text, str) and text and lang not in out:
            out[lang] = text
    return out


def _extra(texts: Mapping[str, str]) -> dict[str, str] | None:
    """The texts in languages other than zh and en (stored as JSON beside the zh/en columns), or None."""
    extra = {lang: text for lang, text in texts.items() if lang not in ("zh", "en") and text}
    return extra or None


def _lang_ordered(items: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Example questions grouped by language (zh, en, others), keeping insertion order inside a group."""
    order = {lang: i for i, lang in enumerate(ANSWER_LANGS)}
    return sorted(items, key=lambda item: (order.get(item[1], len(order)), item[1]))


def _variant_info(row: Row[Any]) -> VariantInfo:
    return VariantInfo(
        sku=row.sku,
        product_id=row.product_id,
        attrs=dict(row.attrs or {}),
        stock=int(row.stock),
        price=Decimal(row.price) if row.price is not None else None,
        labels={k: dict(v) for k, v in (row.labels or {}).items()},
    )


def _product_info(row: Row[Any], variants: Sequence[VariantInfo]) -> ProductInfo:
    return ProductInfo(
        id=row.id,
        name=_texts(row.names_extra, zh=row.name_zh, en=row.name_en),
        aliases=tuple(row.aliases or ()),
        category=row.category or "",
        description=_texts(row.descriptions_extra, zh=row.description_zh, en=row.description_en),
        price=Decimal(row.price),
        tags=tuple(row.tags or ()),
        attributes={k: dict(v) for k, v in (row.attributes or {}).items()},
        variants=tuple(variants),
        size_chart=_size_chart(row.id, row.size_chart),
        wording={k: dict(v) for k, v in (row.wording or {}).items()},
    )


def _size_chart(product_id: str, data: Any) -> tuple[SizeRow, ...]:
    """The stored chart; a malformed one (written around the store) is dropped with a warning, never a crash of the
    snapshot: the bot then hands size questions about the product to staff."""
    if not data:
        return ()
    try:
        return tuple(SizeRow.from_json(item) for item in data)
    except (TypeError, ValueError, KeyError) as exc:
        log.warning("product %r: unreadable size chart ignored (%s)", product_id, clip(str(exc)))
        return ()


def _answers(row: Row[Any]) -> dict[str, str]:
    return _texts(row.answers_extra, zh=row.answer_zh, en=row.answer_en)


def _faq_info(row: Row[Any], questions: Sequence[Row[Any]]) -> FaqInfo:
    ordered = _lang_ordered([(q.text, q.lang, q.source) for q in questions])
    return FaqInfo(
        id=row.id,
        product_id=row.product_id,
        intent=row.intent,
        questions=tuple(text for text, _, _ in ordered),
        answers=_answers(row),
        question_langs=tuple(lang for _, lang, _ in ordered),
    )


def _load_product(conn: Connection, product_id: str) -> ProductInfo | None:
    row = conn.execute(select(Product).where(Product.id == product_id)).one_or_none()
    if row is None:
        return None
    variants = conn.execute(
        select(Variant).where(Variant.product_id == product_id).order_by(Variant.position, Variant.sku)
    )
    return _product_info(row, [_variant_info(v) for v in variants])
