"""CatalogWrites: editing the catalog: products, FAQs and their example questions, currency, synonyms, whole-catalog
loads.

- Every catalog write (`upsert_product`, `upsert_faq`, `add_example`, `delete_faq`, `set_synonyms`, `load_catalog`, ...) bumps
  `catalog_meta.version` in the same transaction, so `catalog_version()` tells the bot when to reload.
- Input is checked first (`catalog.store.validation`): a value outside `catalog.rules` is a `CatalogError`.
- `expected_version` (the row's `edit_version` an editor started from, or the synonyms version) refuses a save over a
  newer one (`StaleEdit`).
- Product and FAQ edits and imports take `_catalog_lock` first (PostgreSQL): a replace import runs alone, so an edit
  saved during one waits for it and is then refused as stale (or, without an opened-at version, applied to the
  imported row), and neither deadlocks with it.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from catalog.errors import CatalogError, Conflict, Invalid, NotFound
from catalog.schema import QUESTION_SOURCES, CatalogMeta, Faq, FaqQuestion, Product, StockLog, Variant
from catalog.snapshot import FaqInfo, ProductInfo, guess_lang
from catalog.store.base import SKU_ORDER, StoreBase, _catalog_lock
from catalog.store.catalog_bulk import (
    _dedupe,
    _faq_values,
    _first_edit_version,
    _insert_all,
    _insert_new_products,
    _merge_faqs,
    _product_values,
    _question_row,
    _stored_stock,
    _variant_fields,
)
from catalog.store.catalog_reads import CatalogReads, _products_by_ids
from catalog.store.records import StaleEdit, StockDifference
from catalog.store.rows import _answers, _load_product
from catalog.store.synonym_follow import SynonymChange, follow_edit, renamed_values
from catalog.store.validation import _check_answers, _check_faq, _check_global_answers, _check_product
from catalog.synonyms import SynonymError, Vocabulary, clean, synonym_problems

log = logging.getLogger("catalog.store")  # the store's one logger, named as before it was split into modules

class CatalogWrites(StoreBase):
    """Catalog writes, each one transaction that bumps the catalog version."""

    def _check_edit_version(self, conn: Connection, table: Any, item_id: str, expected: int | None) -> None:
        """`StaleEdit` when the row's edit_version is not `expected` (None: no check); the row is locked on PostgreSQL."""
        if expected is None:
            return
        query = select(table.edit_version).where(table.id == item_id)
        if self._dialect == "postgresql":
            query = query.with_for_update()
        current = conn.execute(query).scalar_one_or_none()
        if current is None:
            raise NotFound(f"'{item_id}' no longer exists")
        if int(current) != int(expected):
            raise StaleEdit(item_id, int(expected), int(current))

    def upsert_product(
        self, product: ProductInfo, *, keep_stock: bool = False, expected_version: int | None = None,
        synonym_changes: list[SynonymChange] | None = None,
    ) -> int:
        """Insert or replace a product and its variants; returns the new catalog version.

        `expected_version`: the product's `edit_version` the edit started from; `StaleEdit` (a `Conflict`), with
        nothing written, when the product was saved since.

        A product equal to the stored one (stock aside with `keep_stock`) is not written: the version stays.

        Variants missing from `product.variants` are deleted. With `keep_stock`, variants that already exist keep
        their live stock (staff editing text while orders come in). FAQs attached to the product are re-validated:
        an edit that would break one of their templates raises `CatalogError`.

        The catalog's synonyms follow the edit (catalog/store/synonym_follow.py): a renamed value's words move to
        its new name, the words of a value or attribute key no product has any more are dropped (each listed in
        `synonym_changes` when given), and an edit that would make a word mean two values of the product raises
        `SynonymError`, nothing written.
        """
        _check_product(product)

        def run(conn: Connection) -> int:
            _catalog_lock(conn)  # after a replace import under way, not interleaved with it (no deadlock, no lost edit)
            self._check_edit_version(conn, Product, product.id, expected_version)
            stored = _load_product(conn, product.id)
            if stored is not None and _same_product(stored, product, keep_stock=keep_stock):
                # a save with nothing changed (staff pressing Save twice): no write, no reload of every running bot
                return int(conn.execute(select(CatalogMeta.version).where(CatalogMeta.id == 1)).scalar_one())
            followed[:] = self._follow_synonyms(conn, stored, product, product.id)  # a retried transaction: its own
            self._upsert_product(conn, product, keep_stock=keep_stock)
            for faq in conn.execute(select(Faq).where(Faq.product_id == product.id)):
                _check_answers(faq.id, _answers(faq), product, error=CatalogError)
            return self._bump_version(conn)

        followed: list[SynonymChange] = []
        version = self._write("upsert_product", run)
        if synonym_changes is not None:
            synonym_changes.extend(followed)
        return version

    def delete_product(self, product_id: str, *, synonym_changes: list[SynonymChange] | None = None) -> bool:
        """Delete a product and its variants. Refused while FAQs refer to it. The words of values and attribute keys
        only this product had are dropped from the synonyms (listed in `synonym_changes` when given)."""

        def run(conn: Connection) -> bool:
            _catalog_lock(conn)
            faq_ids = conn.execute(select(Faq.id).where(Faq.product_id == product_id)).scalars().all()
            if faq_ids:
                raise Conflict(f"product '{product_id}' is used by FAQs: {', '.join(faq_ids)}")
            stored = _load_product(conn, product_id)
            followed[:] = self._follow_synonyms(conn, stored, None, product_id) if stored is not None else []
            self._lock_variants_of(conn, product_id)
            conn.execute(delete(Variant).where(Variant.product_id == product_id))
            if conn.execute(delete(Product).where(Product.id == product_id)).rowcount == 0:
                return False
            self._bump_version(conn)
            return True

        followed: list[SynonymChange] = []
        deleted = bool(self._write("delete_product", run))
        if synonym_changes is not None:
            synonym_changes.extend(followed)
        return deleted

    def upsert_faq(
        self,
        faq: FaqInfo,
        *,
        question_langs: Mapping[str, str] | None = None,
        expected_version: int | None = None,
        question_source: str = "catalog",
    ) -> int:
        """Insert or replace a FAQ; its example questions become exactly `faq.questions`. Returns the new version.

        `expected_version`: as for `upsert_product` (`StaleEdit` when the FAQ was saved since).

        Answer templates are validated against the FAQ's product (`TemplateError`, message prefixed with the
        language). Questions keep their stored language and source; new ones get `question_langs[text]` or a
        guessed language, and `question_source` ("catalog", or "staff" for questions staff added from the review
        queue).
        """
        _check_faq(faq)
        if question_source not in QUESTION_SOURCES:
            raise Invalid(f"unknown question source '{question_source}' (expected one of {', '.join(QUESTION_SOURCES)})")

        def run(conn: Connection) -> int:
            _catalog_lock(conn)
            self._check_edit_version(conn, Faq, faq.id, expected_version)
            product = _load_product(conn, faq.product_id) if faq.product_id else None
            if faq.product_id and product is None:
                raise NotFound(f"FAQ '{faq.id}' refers to unknown product '{faq.product_id}'")
            _check_answers(faq.id, faq.answers, product, error=None)
            if product is None and any("{stock:" in t or "{attr:" in t for t in faq.answers.values()):
                # a global FAQ is rendered for whatever product is asked about: some product must fill these
                _check_global_answers(faq.id, faq.answers, CatalogReads._products(conn).values())
            self._upsert_faq(conn, faq, question_langs or {}, source=question_source)
            return self._bump_version(conn)

        return self._write("upsert_faq", run)

    def add_example(self, faq_id: str, text: str, lang: str | None = None, source: str = "staff") -> bool:
        """Add an example question to a FAQ (False if it already has it). Bumps the version when added."""
        text = (text or "").strip()
        if not text:
            raise Invalid("example question is empty")
        if source not in QUESTION_SOURCES:
            raise Invalid(f"unknown question source '{source}' (expected one of {', '.join(QUESTION_SOURCES)})")

        def run(conn: Connection) -> bool:
            _catalog_lock(conn)
            if conn.execute(select(Faq.id).where(Faq.id == faq_id)).scalar_one_or_none() is None:
                raise KeyError(f"unknown FAQ '{faq_id}'")
            added = self._insert_ignore(
                conn,
                FaqQuestion,
                {"faq_id": faq_id, "text": text, "lang": lang or guess_lang(text), "source": source,
                 "created_at": time.time()},
            )
            if added:
                conn.execute(
                    update(Faq).where(Faq.id == faq_id).values(updated_at=time.time(), edit_version=Faq.edit_version + 1)
                )
                self._bump_version(conn)
            return added

        return self._write("add_example", run)

    def delete_faq(self, faq_id: str) -> bool:
        def run(conn: Connection) -> bool:
            _catalog_lock(conn)
            conn.execute(delete(FaqQuestion).where(FaqQuestion.faq_id == faq_id))
            if conn.execute(delete(Faq).where(Faq.id == faq_id)).rowcount == 0:
                return False
            self._bump_version(conn)
            return True

        return self._write("delete_faq", run)

    def set_currency(self, currency: Mapping[str, str]) -> int:
        def run(conn: Connection) -> int:
            conn.execute(update(CatalogMeta).where(CatalogMeta.id == 1).values(currency=dict(currency)))
            return self._bump_version(conn)

        return self._write("set_currency", run)

    def set_synonyms(self, synonyms: Mapping[str, Any], *, expected_version: int | None = None) -> int:
        """Replace the catalog's synonyms (`catalog.synonyms`, stored shape); returns the new catalog version.

        Checked by `catalog.synonyms.synonym_problems` against the products as they are in this transaction
        (`SynonymError` listing every problem, nothing written). `expected_version`: the synonyms version the edit
        started from (`edit_version("synonyms", ...)`); `StaleEdit` when they were saved since.
        """
        cleaned = clean(synonyms)

        def run(conn: Connection) -> int:
            query = select(CatalogMeta.synonyms_version).where(CatalogMeta.id == 1)
            if self._dialect == "postgresql":
                query = query.with_for_update()
            current = int(conn.execute(query).scalar_one())
            if expected_version is not None and current != int(expected_version):
                raise StaleEdit("synonyms", int(expected_version), current)
            vocabulary = Vocabulary.of(
                ((row.product_id, row.attrs, row.labels)
                 for row in conn.execute(select(Variant.product_id, Variant.attrs, Variant.labels))),
                (key for (attributes,) in conn.execute(select(Product.attributes)) for key in (attributes or {})),
            )
            problems = synonym_problems(cleaned, vocabulary)
            if problems:
                raise SynonymError(problems)
            conn.execute(update(CatalogMeta).where(CatalogMeta.id == 1).values(
                synonyms=cleaned, synonyms_version=CatalogMeta.synonyms_version + 1))
            return self._bump_version(conn)

        return self._write("set_synonyms", run)

    def load_catalog(
        self,
        products: Sequence[ProductInfo],
        faqs: Sequence[FaqInfo],
        *,
        examples: Mapping[str, Sequence[tuple[str, str]]] | None = None,
        currency: Mapping[str, str] | None = None,
        replace: bool = True,
        synonyms: Mapping[str, Any] | None = None,
        keep_stock: bool = False,
        stock_differences: list[StockDifference] | None = None,
    ) -> int:
        """Write a whole catalog in one transaction; returns the new version.

        `replace=True` deletes every product and FAQ first (stock and session start stock come from the data);
        `replace=False` upserts, keeping products and FAQs the data does not mention.
        `keep_stock`: variants already stored keep their live stock (with `replace`, their session start stock too)
        instead of the data's — what sold or was set since the file was written is not undone; new variants take the
        data's stock. `stock_differences`, when given, is filled with the variants both stored and in the data whose
        live stock differs from the data's, read in the load's own transaction (kept, or overwritten without
        `keep_stock`).
        `examples`: faq_id -> [(text, lang)] giving the language of each example question.
        """
        by_id = {p.id: p for p in products}
        for product in products:
            _check_product(product)
        for faq in faqs:
            _check_faq(faq)
        examples = examples or {}
        skus = list(dict.fromkeys(v.sku for p in by_id.values() for v in p.variants))

        def run(conn: Connection) -> int:
            # a replace import writes alone: writes under way finish first, those that come wait for its commit
            _catalog_lock(conn, replace=replace)
            # replace deletes every variant anyway: its rows are locked first (PostgreSQL), so no stock write lands
            # between this read and the kept stock's write, and the differences listed are those written over (a
            # merge keeping stock never writes the stock column). A stock write that comes later waits for this
            # transaction and is applied to the new rows (`_variant_rows`).
            wanted = keep_stock or stock_differences is not None
            live = _stored_stock(conn, skus, lock=replace) if wanted else {}
            if stock_differences is not None:
                stock_differences[:] = [
                    StockDifference(v.sku, p.id, live[v.sku][0], v.stock)
                    for p in by_id.values() for v in p.variants if v.sku in live and live[v.sku][0] != v.stock
                ]
            if replace:
                for table in (FaqQuestion, Faq, Variant, Product):
                    conn.execute(delete(table))
                _insert_all(conn, products, faqs, examples, live if keep_stock else None)
            else:
                merge(conn)
            if currency is not None:
                conn.execute(update(CatalogMeta).where(CatalogMeta.id == 1).values(currency=dict(currency)))
            if synonyms is not None:
                conn.execute(update(CatalogMeta).where(CatalogMeta.id == 1).values(
                    synonyms=dict(synonyms), synonyms_version=CatalogMeta.synonyms_version + 1))
            return self._bump_version(conn)

        def merge(conn: Connection) -> None:
            stored = _products_by_ids(conn, list(by_id))
            fresh: dict[str, ProductInfo] = {}
            for product in by_id.values():  # a product given twice: the first one's place, the last one's content
                known = stored.get(product.id)
                if known is None:  # new: inserted below with the others, after the stored ones
                    fresh[product.id] = product
                elif not _same_product(known[1], product, keep_stock=keep_stock):
                    self._upsert_product(conn, product, keep_stock=keep_stock)
                # else nothing new: not written, so a running bot has nothing to re-read for it
            _insert_new_products(conn, list(fresh.values()))
            _merge_faqs(conn, faqs, examples, by_id)

        version = self._write("load_catalog", run)
        log.info("catalog loaded: %d products, %d FAQs, version %d", len(products), len(faqs), version)
        return version

    def _upsert_product(self, conn: Connection, product: ProductInfo, *, keep_stock: bool) -> None:
        now = time.time()
        values = _product_values(product, now)
        exists = conn.execute(select(Product.id).where(Product.id == product.id)).scalar_one_or_none()
        if exists is None:
            position = conn.execute(select(func.coalesce(func.max(Product.position) + 1, 0))).scalar_one()
            conn.execute(insert(Product).values(
                id=product.id, position=position, edit_version=_first_edit_version(conn), **values
            ))
        else:
            conn.execute(
                update(Product).where(Product.id == product.id).values(edit_version=Product.edit_version + 1, **values)
            )

        skus = [v.sku for v in product.variants]
        owners = dict(conn.execute(select(Variant.sku, Variant.product_id).where(Variant.sku.in_(skus))).all())
        stolen = {sku: owner for sku, owner in owners.items() if owner != product.id}
        if stolen:
            sku, owner = next(iter(stolen.items()))
            raise Conflict(f"SKU '{sku}' already belongs to product '{owner}'")
        current = self._lock_variants_of(conn, product.id)
        gone = [sku for sku in current if sku not in skus]
        if gone:
            conn.execute(delete(Variant).where(Variant.sku.in_(gone)))
        for position, variant in enumerate(product.variants):
            fields = _variant_fields(variant, position)
            if variant.sku not in current:
                conn.execute(
                    insert(Variant).values(
                        sku=variant.sku, product_id=product.id, stock=variant.stock,
                        initial_stock=variant.stock, **fields,
                    )
                )
                conn.execute(insert(StockLog).values(
                    sku=variant.sku, delta=variant.stock, stock_after=variant.stock, reason="catalog", ts=now
                ))
                continue
            if not keep_stock and current[variant.sku] != variant.stock:
                fields["stock"] = variant.stock
                conn.execute(insert(StockLog).values(
                    sku=variant.sku, delta=variant.stock - current[variant.sku], stock_after=variant.stock,
                    reason="catalog", ts=now,
                ))
            conn.execute(update(Variant).where(Variant.sku == variant.sku).values(**fields))

    def _follow_synonyms(
        self, conn: Connection, stored: ProductInfo | None, product: ProductInfo | None, product_id: str,
    ) -> list[SynonymChange]:
        """The synonyms after `stored` becomes `product` (None: deleted): written when an entry moved or was dropped;
        `SynonymError` when the edit breaks a rule it did not break before (catalog/store/synonym_follow.py)."""
        query = select(CatalogMeta.synonyms).where(CatalogMeta.id == 1)
        if self._dialect == "postgresql":
            query = query.with_for_update()
        synonyms = clean(conn.execute(query).scalar_one_or_none())
        if not any(synonyms.values()):
            return []
        others = [(str(pid), attrs, labels) for pid, attrs, labels in conn.execute(
            select(Variant.product_id, Variant.attrs, Variant.labels).where(Variant.product_id != product_id))]
        other_keys = [str(k) for (attributes,) in conn.execute(select(Product.attributes).where(Product.id != product_id))
                      for k in (attributes or {})]

        def vocabulary(p: ProductInfo | None) -> Vocabulary:
            own = [(p.id, v.attrs, v.labels) for v in p.variants] if p is not None else []
            return Vocabulary.of([*others, *own], [*other_keys, *(p.attributes if p is not None else ())])

        after, changes, problems = follow_edit(synonyms, vocabulary(stored), vocabulary(product),
                                               renamed_values(stored, product))
        if problems:
            raise SynonymError(problems)
        if changes:
            conn.execute(update(CatalogMeta).where(CatalogMeta.id == 1).values(
                synonyms=after, synonyms_version=CatalogMeta.synonyms_version + 1))
        return changes

    def _lock_variants_of(self, conn: Connection, product_id: str) -> dict[str, int]:
        """sku -> stock of the product's variants, their rows locked in `SKU_ORDER` on PostgreSQL before the caller
        writes them in its own order (the edit's variant order): a stock write locking several of them in SKU order
        deadlocked with an edit that held one and waited for another."""
        query = select(Variant.sku, Variant.stock).where(Variant.product_id == product_id)
        if self._dialect == "postgresql":
            query = query.order_by(SKU_ORDER).with_for_update()
        return {str(sku): int(stock) for sku, stock in conn.execute(query).all()}

    def _upsert_faq(
        self, conn: Connection, faq: FaqInfo, question_langs: Mapping[str, str], *, source: str = "catalog"
    ) -> None:
        now = time.time()
        values = _faq_values(faq, now)
        if conn.execute(select(Faq.id).where(Faq.id == faq.id)).scalar_one_or_none() is None:
            position = conn.execute(select(func.coalesce(func.max(Faq.position) + 1, 0))).scalar_one()
            conn.execute(insert(Faq).values(id=faq.id, position=position, edit_version=_first_edit_version(conn), **values))
        else:
            conn.execute(update(Faq).where(Faq.id == faq.id).values(edit_version=Faq.edit_version + 1, **values))
        wanted = _dedupe(q.strip() for q in faq.questions if q and q.strip())
        existing = set(conn.execute(select(FaqQuestion.text).where(FaqQuestion.faq_id == faq.id)).scalars())
        removed = existing.difference(wanted)
        if removed:
            conn.execute(
                delete(FaqQuestion).where(FaqQuestion.faq_id == faq.id, FaqQuestion.text.in_(sorted(removed)))
            )
        new_rows = [_question_row(faq.id, text, question_langs, source, now) for text in wanted if text not in existing]
        if new_rows:
            conn.execute(insert(FaqQuestion), new_rows)


def _same_product(stored: ProductInfo, product: ProductInfo, *, keep_stock: bool) -> bool:
    """`product` would write nothing new over `stored` (with `keep_stock`, the variants' stock is not compared)."""
    if keep_stock:
        stock = {v.sku: v.stock for v in stored.variants}
        product = dataclasses.replace(
            product, variants=tuple(dataclasses.replace(v, stock=stock.get(v.sku, v.stock)) for v in product.variants)
        )
    return stored == product
