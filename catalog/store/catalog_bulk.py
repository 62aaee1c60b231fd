"""Whole-catalog writes in set-based statements (``load_catalog``), and the row values every catalog write uses.

- ``_insert_all``: a whole catalog into empty tables, one multi-row INSERT per table (``replace=True``).
- ``_insert_new_products`` / ``_merge_faqs``: a file over a stored catalog (``replace=False``): new products and FAQs
  in multi-row inserts, changed FAQs in one executemany, what the file leaves as stored not written at all.
- ``_stored_stock``: the live stock of the data's variants that are stored, read in the load's transaction: what
  ``keep_stock`` keeps (``_insert_all(live=...)``) and what the load reports as differing from the file.
- ``_product_values`` / ``_faq_values`` / ``_question_row`` / ...: the rows, the same for the per-item writes of
  ``catalog.store.catalog_writes``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from catalog import rules
from catalog.errors import Conflict, NotFound
from catalog.schema import CatalogMeta, Faq, FaqQuestion, Product, StockLog, Variant
from catalog.snapshot import FaqInfo, ProductInfo, VariantInfo, guess_lang
from catalog.store.base import _variant_rows
from catalog.store.catalog_reads import _faqs_by_ids
from catalog.store.rows import _extra, _load_product
from catalog.store.validation import _check_answers

BULK_ROWS = 5_000  # rows per executemany of a whole-catalog load (bounded memory per statement)


def _first_edit_version(conn: Connection) -> int:
    """The edit_version of a new row: the catalog version this write is making, so a product or FAQ deleted and
    created again never gets back a version an open editor still holds (edit versions never pass the catalog's)."""
    current = conn.execute(select(CatalogMeta.version).where(CatalogMeta.id == 1)).scalar_one_or_none()
    return int(current or 0) + 1


def _product_values(product: ProductInfo, now: float) -> dict[str, Any]:
    """A product's row values besides id, position and edit_version."""
    return {
        "name_zh": product.name.get("zh"),
        "name_en": product.name.get("en"),
        "aliases": list(product.aliases),
        "category": product.category or "",
        "description_zh": product.description.get("zh"),
        "description_en": product.description.get("en"),
        "names_extra": _extra(product.name),
        "descriptions_extra": _extra(product.description),
        "price": rules.check_price(product.price),  # checked by _check_product; normalised here
        "tags": list(product.tags),
        "attributes": {k: dict(v) for k, v in product.attributes.items()},
        "size_chart": [row.to_json() for row in product.size_chart] or None,
        "wording": {k: dict(v) for k, v in product.wording.items()} or None,
        "updated_at": now,
    }


def _variant_fields(variant: VariantInfo, position: int) -> dict[str, Any]:
    """A variant's row values besides sku, product_id and stock."""
    return {
        "position": position,
        "attrs": dict(variant.attrs),
        "labels": {k: dict(v) for k, v in variant.labels.items()},
        "price": rules.check_price(variant.price) if variant.price is not None else None,
    }


def _faq_values(faq: FaqInfo, now: float) -> dict[str, Any]:
    """A FAQ's row values besides id, position and edit_version."""
    return {
        "product_id": faq.product_id,
        "intent": faq.intent,
        "answer_zh": faq.answers.get("zh"),
        "answer_en": faq.answers.get("en"),
        "answers_extra": _extra(faq.answers),
        "updated_at": now,
    }


def _question_row(faq_id: str, text: str, langs: Mapping[str, str], source: str, now: float) -> dict[str, Any]:
    return {"faq_id": faq_id, "text": text, "lang": langs.get(text) or guess_lang(text), "source": source,
            "created_at": now}


def _stored_stock(conn: Connection, skus: Sequence[str], *, lock: bool = False) -> dict[str, tuple[int, int]]:
    """sku -> (stock, initial_stock) of the ``skus`` that are stored; ``lock`` (PostgreSQL) holds their rows until
    the transaction ends, so no order changes a stock the load is about to keep between this read and its write.
    Read like every stock write's (`_variant_rows`): a load that waited for another replace load keeps the stock of
    that load's rows instead of finding none and taking the file's."""
    rows = _variant_rows(conn, skus, Variant.stock, Variant.initial_stock, lock=lock)
    return {sku: (int(stock), int(initial)) for sku, (stock, initial) in rows.items()}


def _insert_all(
    conn: Connection,
    products: Sequence[ProductInfo],
    faqs: Sequence[FaqInfo],
    examples: Mapping[str, Sequence[tuple[str, str]]],
    live: Mapping[str, tuple[int, int]] | None = None,
) -> None:
    """Write a whole catalog into empty catalog tables (``load_catalog(replace=True)``): one multi-row INSERT per
    table instead of ~5 statements per product and FAQ (a 10k-FAQ shop: 17.8 s -> about a second, bench_catalog_scale).
    The same rows and checks as the per-item path: positions in the given order, every variant's stock logged.
    ``live``: sku -> (stock, session-start stock) the variants had before the load, kept instead of the data's
    (``keep_stock``); a kept stock is not logged again."""
    now = time.time()
    edit_version = _first_edit_version(conn)
    by_id = {p.id: p for p in products}
    if len(by_id) != len(products):
        dup = next(p.id for i, p in enumerate(products) if any(q.id == p.id for q in products[:i]))
        raise Conflict(f"product '{dup}' appears twice")
    product_rows, variant_rows, stock_rows = _new_product_rows(products, 0, edit_version, now, live)
    faq_rows: list[dict[str, Any]] = []
    question_rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for position, faq in enumerate(faqs):
        if faq.id in seen:
            raise Conflict(f"FAQ '{faq.id}' appears twice")
        seen.add(faq.id)
        owner = by_id.get(faq.product_id) if faq.product_id else None
        if faq.product_id and owner is None:
            raise NotFound(f"FAQ '{faq.id}' refers to unknown product '{faq.product_id}'")
        _check_answers(faq.id, faq.answers, owner, error=None)
        faq_rows.append({"id": faq.id, "position": position, "edit_version": edit_version, **_faq_values(faq, now)})
        langs = dict(examples.get(faq.id, ()))
        question_rows.extend(
            _question_row(faq.id, text, langs, "catalog", now)
            for text in _dedupe(q.strip() for q in faq.questions if q and q.strip())
        )
    for table, rows in ((Product, product_rows), (Variant, variant_rows), (StockLog, stock_rows), (Faq, faq_rows),
                        (FaqQuestion, question_rows)):
        for start in range(0, len(rows), BULK_ROWS):
            conn.execute(insert(table), rows[start:start + BULK_ROWS])


def _new_product_rows(
    products: Sequence[ProductInfo],
    first_position: int,
    edit_version: int,
    now: float,
    live: Mapping[str, tuple[int, int]] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of new ``products`` (positions from ``first_position`` in the given order), their variants and a stock
    log row per variant whose stock is not kept from ``live`` (sku -> (stock, initial_stock)); a SKU given to two of
    them is a ``Conflict``."""
    live = live or {}
    product_rows: list[dict[str, Any]] = []
    variant_rows: list[dict[str, Any]] = []
    stock_rows: list[dict[str, Any]] = []
    owner_of: dict[str, str] = {}
    for position, product in enumerate(products, start=first_position):
        product_rows.append({"id": product.id, "position": position, "edit_version": edit_version,
                             **_product_values(product, now)})
        for vpos, variant in enumerate(product.variants):
            if variant.sku in owner_of:
                raise Conflict(f"SKU '{variant.sku}' already belongs to product '{owner_of[variant.sku]}'")
            owner_of[variant.sku] = product.id
            kept = live.get(variant.sku)
            stock, initial = kept if kept is not None else (variant.stock, variant.stock)
            variant_rows.append({"sku": variant.sku, "product_id": product.id, "stock": stock,
                                 "initial_stock": initial, **_variant_fields(variant, vpos)})
            if kept is None:
                stock_rows.append({"sku": variant.sku, "delta": variant.stock, "stock_after": variant.stock,
                                   "reason": "catalog", "ts": now})
    return product_rows, variant_rows, stock_rows


def _insert_new_products(conn: Connection, products: Sequence[ProductInfo]) -> None:
    """``products``, none of them stored yet, in one multi-row insert per table (``load_catalog(replace=False)``),
    after every stored product in the given order — the rows ``_upsert_product`` would write for each in turn. A SKU
    a stored product holds is a ``Conflict``."""
    if not products:
        return
    skus = [v.sku for p in products for v in p.variants]
    for start in range(0, len(skus), BULK_ROWS):
        chunk = skus[start : start + BULK_ROWS]
        taken = conn.execute(select(Variant.sku, Variant.product_id).where(Variant.sku.in_(chunk))).first()
        if taken is not None:
            raise Conflict(f"SKU '{taken.sku}' already belongs to product '{taken.product_id}'")
    position = conn.execute(select(func.coalesce(func.max(Product.position) + 1, 0))).scalar_one()
    rows = _new_product_rows(products, int(position), _first_edit_version(conn), time.time())
    for table, table_rows in zip((Product, Variant, StockLog), rows, strict=True):
        for start in range(0, len(table_rows), BULK_ROWS):
            conn.execute(insert(table), table_rows[start : start + BULK_ROWS])


def _merge_faqs(
    conn: Connection,
    faqs: Sequence[FaqInfo],
    examples: Mapping[str, Sequence[tuple[str, str]]],
    products: Mapping[str, ProductInfo],
) -> None:
    """Upsert ``faqs`` (``load_catalog(replace=False)``) in a few set-based statements instead of ~5 per FAQ: one read
    of the stored FAQs, multi-row inserts of the new FAQs and of every new example question, one executemany each for
    the changed FAQs and the removed example questions (a 10k-FAQ file over a stored catalog took 66 s on PostgreSQL,
    17 s on SQLite). A FAQ the file leaves as stored is not written at all: re-importing a file with one edit changes
    one FAQ, and a running bot re-reads just that one. Otherwise the same rows and checks as ``_upsert_faq`` in turn
    for each FAQ: a repeated id keeps its first place with its last content, new FAQs go after every stored one in
    file order, example questions not in the file are removed and new ones added (existing ones keep their row)."""
    now = time.time()
    unique: dict[str, FaqInfo] = {}
    for faq in faqs:
        unique[faq.id] = faq
    stored = _faqs_by_ids(conn, list(unique))
    owners: dict[str, ProductInfo | None] = {}
    new: list[FaqInfo] = []
    changed: list[FaqInfo] = []
    removed: list[dict[str, str]] = []
    added: list[dict[str, Any]] = []
    for faq in unique.values():
        owner = products.get(faq.product_id) if faq.product_id else None
        if faq.product_id and owner is None:
            if faq.product_id not in owners:
                owners[faq.product_id] = _load_product(conn, faq.product_id)
            owner = owners[faq.product_id]
            if owner is None:
                raise NotFound(f"FAQ '{faq.id}' refers to unknown product '{faq.product_id}'")
        _check_answers(faq.id, faq.answers, owner, error=None)
        wanted = _dedupe(q.strip() for q in faq.questions if q and q.strip())
        langs = dict(examples.get(faq.id, ()))
        known = stored.get(faq.id)
        existing = set(known[1].questions) if known is not None else set()
        if known is not None:
            old = known[1]
            if (old.product_id, old.intent, dict(old.answers), existing) == (
                faq.product_id, faq.intent, dict(faq.answers), set(wanted)
            ):
                continue
            changed.append(faq)
            removed.extend({"b_faq": faq.id, "b_text": text} for text in sorted(existing.difference(wanted)))
        else:
            new.append(faq)
        added.extend(_question_row(faq.id, text, langs, "catalog", now) for text in wanted if text not in existing)
    if new:
        position = conn.execute(select(func.coalesce(func.max(Faq.position) + 1, 0))).scalar_one()
        edit_version = _first_edit_version(conn)
        rows = [
            {"id": faq.id, "position": position + i, "edit_version": edit_version, **_faq_values(faq, now)}
            for i, faq in enumerate(new)
        ]
        for start in range(0, len(rows), BULK_ROWS):
            conn.execute(insert(Faq), rows[start : start + BULK_ROWS])
    if changed:
        columns = list(_faq_values(changed[0], now))
        statement = (
            update(Faq)
            .where(Faq.id == bindparam("b_id"))
            .values(edit_version=Faq.edit_version + 1, **{c: bindparam(f"b_{c}") for c in columns})
        )
        params = [{"b_id": faq.id, **{f"b_{c}": v for c, v in _faq_values(faq, now).items()}} for faq in changed]
        for start in range(0, len(params), BULK_ROWS):
            conn.execute(statement, params[start : start + BULK_ROWS])
    if removed:
        removal = delete(FaqQuestion).where(
            FaqQuestion.faq_id == bindparam("b_faq"), FaqQuestion.text == bindparam("b_text")
        )
        for start in range(0, len(removed), BULK_ROWS):
            conn.execute(removal, removed[start : start + BULK_ROWS])
    for start in range(0, len(added), BULK_ROWS):
        conn.execute(insert(FaqQuestion), added[start : start + BULK_ROWS])


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
