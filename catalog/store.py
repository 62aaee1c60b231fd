"""CatalogStore: every SQL query LiveReply makes (catalog, live stock, orders, comment and reply logs).

Nothing outside `catalog/` writes SQL; callers get and give the frozen dataclasses of `catalog.snapshot`.

- Catalog writes (`upsert_product`, `upsert_faq`, `add_example`, `delete_faq`, `load_catalog`, ...) bump
  `catalog_meta.version` in the same transaction, so `catalog_version()` tells the bot when to reload.
- Stock changes (`apply_order`, `set_stock`) do not bump the version: the bot reads live stock with
  `product(id)` at answer time.
- `apply_order` is one conditional UPDATE (`stock >= qty`) plus a row in `orders` keyed by the order id, so
  stock never goes negative, never oversells and a replayed order is applied once.
- Prices, stock levels and order quantities follow `catalog.rules` (finite prices up to 10^9 with 2 decimals,
  stock 0..2^31-1, quantities 1..10^6): a value outside them is a `CatalogError` (or a refused order), never
  an overflow or database error.
- Writes that fail with an OperationalError (locked database, dropped connection) are retried a few times
  with a short backoff; every retry is logged.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Connection, Row, bindparam, delete, func, insert, select, true, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.sql.dml import ReturningInsert

from catalog import rules
from catalog.db import SQLITE_BUSY_TIMEOUT_MS, make_engine, migrate, write_transaction
from catalog.errors import CatalogError, Conflict, Invalid, NotFound
from catalog.langs import canonical_tag
from catalog.phrases import override_problem
from catalog.rules import RuleError, clip, shown
from catalog.schema import (
    COMMENT_STATUSES,
    QUESTION_SOURCES,
    CatalogMeta,
    CommentLog,
    Faq,
    FaqQuestion,
    OrderRecord,
    Product,
    ProductChange,
    ReplyLog,
    StockClock,
    StockLog,
    Variant,
)
from catalog.size_chart import SizeRow, chart_problems, chart_sizes
from catalog.snapshot import CatalogSnapshot, FaqInfo, ProductInfo, VariantInfo, guess_lang
from catalog.templates import TemplateError, validate_template

__all__ = [
    "CatalogError",
    "CatalogStore",
    "CommentRecord",
    "OrderResult",
    "ProductSales",
    "ReplyRecord",
    "StaleEdit",
    "UnknownSKUError",
]

log = logging.getLogger(__name__)

T = TypeVar("T")
ANSWER_LANGS = ("zh", "en")


class UnknownSKUError(NotFound):
    """`set_stock(s)` named an SKU the catalog does not have ("unknown SKU 'X'").

    Also a KeyError, which is what `set_stock` raised for an unknown SKU before.
    """

    def __init__(self, skus: Sequence[str]) -> None:
        self.skus = tuple(skus)
        listed = ", ".join(f"'{clip(sku)}'" for sku in self.skus[:5])
        more = f" and {len(self.skus) - 5} more" if len(self.skus) > 5 else ""
        super().__init__(f"unknown SKU{'s' if len(self.skus) > 1 else ''} {listed}{more}")

    def __str__(self) -> str:
        return BaseException.__str__(self)  # not KeyError's repr-quoting


class StaleEdit(Conflict):
    """A product / FAQ edit started from `expected` but the row is now at `current`: someone saved it meanwhile.
    Nothing was written."""

    def __init__(self, item_id: str, expected: int, current: int) -> None:
        super().__init__(
            f"'{clip(item_id)}' was changed by someone else since it was opened (version {expected}, now {current})"
        )
        self.item_id = item_id
        self.expected = expected
        self.current = current


# stock log reasons of bulk loads a set-mode CSV import overrides (not "changes since the export")
BULK_STOCK_REASONS = ("catalog", "csv")


@dataclass(frozen=True)
class OrderResult:
    ok: bool
    sku: str
    remaining: int | None  # stock of the SKU after the order (None for an unknown SKU)
    reason: str | None = None  # why it failed: "insufficient stock", "unknown sku", "invalid quantity"
    duplicate: bool = False  # the order id was seen before; nothing was applied this time


@dataclass(frozen=True)
class CommentRecord:
    comment_id: str
    room: str
    user: str
    text: str
    ts: float
    received_at: float
    lang: str | None
    status: str
    faq_id: str | None
    product_id: str | None
    intent: str | None
    score: float | None
    reply_text: str | None
    reason: str | None


@dataclass(frozen=True)
class ReplyRecord:
    id: int
    room: str
    reply_to: tuple[str, ...]
    users: tuple[str, ...]
    text: str
    lang: str
    ts: float


@dataclass(frozen=True)
class ProductSales:
    product_id: str
    name: Mapping[str, str]
    units_sold: int
    orders: int
    stock_start: int  # sum of initial_stock (stock when the session started)
    stock_now: int
    sell_through: float | None  # units_sold / stock_start, None when nothing was in stock at the start
    questions: int  # comments about this product


# Above this many FAQs changed since the last snapshot, ``_faqs`` reads them all (two queries) instead of by id.
FAQ_FULL_READ_ABOVE = 500
PRODUCT_FULL_READ_ABOVE = 200  # the same for products (``_snapshot_products``)
_QUESTION_COLUMNS = (FaqQuestion.faq_id, FaqQuestion.text, FaqQuestion.lang, FaqQuestion.source)  # what _faq_info reads


class CatalogStore:
    """The catalog database. `url` defaults to `sqlite:///var/livereply.db`; migrations run on creation."""

    def __init__(
        self,
        url: str | None = None,
        *,
        run_migrations: bool = True,
        retries: int = 4,
        retry_delay: float = 0.05,
        busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
    ) -> None:
        self.engine = make_engine(url, busy_timeout_ms=busy_timeout_ms)
        self._retries = max(1, retries)
        self._retry_delay = retry_delay
        self._dialect = self.engine.dialect.name
        # (catalog version, id -> (edit_version, FAQ)) as last read (``_faqs``)
        self._faq_cache: tuple[int, dict[str, tuple[int, FaqInfo]]] = (0, {})
        self._product_cache: tuple[int, dict[str, tuple[int, ProductInfo]]] = (0, {})  # the same for products
        if run_migrations:
            self._retrying("migrate", lambda: migrate(self.engine))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> CatalogStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------------------------- plumbing

    def _retrying(self, what: str, fn: Callable[[], T]) -> T:
        for attempt in range(1, self._retries + 1):
            try:
                return fn()
            except OperationalError as exc:
                reason = _first_line(exc)
                if attempt == self._retries:
                    log.error("%s failed after %d attempts: %s", what, attempt, reason)
                    raise
                delay = self._retry_delay * 2 ** (attempt - 1)
                log.warning("%s failed (attempt %d/%d), retrying in %.2fs: %s", what, attempt, self._retries, delay, reason)
                time.sleep(delay)
        raise AssertionError("unreachable")

    def _write(self, what: str, fn: Callable[[Connection], T]) -> T:
        def attempt() -> T:
            with write_transaction(self.engine) as conn:
                return fn(conn)

        return self._retrying(what, attempt)

    def _read(self, what: str, fn: Callable[[Connection], T], consistent: bool = False) -> T:
        def attempt() -> T:
            with self.engine.connect() as conn:
                if consistent and self._dialect == "postgresql":
                    conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    return fn(conn)

        return self._retrying(what, attempt)

    def _insert_ignore(self, conn: Connection, table: Any, values: dict[str, Any]) -> bool:
        """INSERT that does nothing on a unique-key conflict. True when a row was inserted."""
        key = next(iter(table.__table__.primary_key.columns))
        stmt: sqlite_dialect.Insert | pg_dialect.Insert
        if self._dialect == "sqlite":
            stmt = sqlite_dialect.insert(table).values(**values).on_conflict_do_nothing()
        elif self._dialect == "postgresql":
            stmt = pg_dialect.insert(table).values(**values).on_conflict_do_nothing()
        else:  # pragma: no cover - other databases
            try:
                with conn.begin_nested():
                    conn.execute(insert(table).values(**values))
                return True
            except IntegrityError:
                return False
        # RETURNING tells reliably whether the row went in (rowcount of ON CONFLICT differs between drivers)
        return conn.execute(stmt.returning(key)).first() is not None

    @staticmethod
    def _bump_version(conn: Connection) -> int:
        conn.execute(
            update(CatalogMeta)
            .where(CatalogMeta.id == 1)
            .values(version=CatalogMeta.version + 1, updated_at=time.time())
        )
        return int(conn.execute(select(CatalogMeta.version).where(CatalogMeta.id == 1)).scalar_one())

    # ------------------------------------------------------------------------------------- catalog reads

    def catalog_version(self) -> int:
        return self._read(
            "catalog_version",
            lambda conn: int(conn.execute(select(CatalogMeta.version).where(CatalogMeta.id == 1)).scalar_one()),
        )

    def stock_clock(self) -> int:
        """The stock clock (migration 0009): moves on every write to products or variants, by anyone."""
        return self._read(
            "stock_clock", lambda conn: int(conn.execute(select(StockClock.ticks).where(StockClock.id == 1)).scalar_one())
        )

    def products_changed_since(self, tick: int) -> list[str]:
        """Ids of the products written (themselves or a variant) after stock clock ``tick``; deleted ones included."""
        return self._read(
            "products_changed_since",
            lambda conn: list(conn.execute(select(ProductChange.product_id).where(ProductChange.tick > tick)).scalars()),
        )

    def products_by_id(self, product_ids: Sequence[str]) -> dict[str, ProductInfo]:
        """These products with live stock (two queries); ids that do not exist (any more) are left out."""
        ids = list(dict.fromkeys(product_ids))

        def run(conn: Connection) -> dict[str, ProductInfo]:
            variants: dict[str, list[VariantInfo]] = {}
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                for row in conn.execute(
                    select(Variant).where(Variant.product_id.in_(chunk)).order_by(Variant.position, Variant.sku)
                ):
                    variants.setdefault(row.product_id, []).append(_variant_info(row))
            found: dict[str, ProductInfo] = {}
            for start in range(0, len(ids), 500):
                for product in conn.execute(select(Product).where(Product.id.in_(ids[start : start + 500]))):
                    found[product.id] = _product_info(product, variants.get(product.id, []))
            return found

        return self._read("products_by_id", run)

    def currency(self) -> dict[str, str]:
        return self._read(
            "currency",
            lambda conn: dict(conn.execute(select(CatalogMeta.currency).where(CatalogMeta.id == 1)).scalar_one()),
        )

    def snapshot(self) -> CatalogSnapshot:
        """The whole catalog (with stock as of now) in five queries, read in one consistent transaction."""
        return self._read("snapshot", self._snapshot, consistent=True)

    def products(self) -> dict[str, ProductInfo]:
        """Every product with **live** stock, in two queries (no FAQs): for recommendations at answer time."""
        return self._read("products", self._products)

    @staticmethod
    def _products(conn: Connection) -> dict[str, ProductInfo]:
        variants: dict[str, list[VariantInfo]] = {}
        for row in conn.execute(select(Variant).order_by(Variant.position, Variant.sku)):
            variants.setdefault(row.product_id, []).append(_variant_info(row))
        return {
            row.id: _product_info(row, variants.get(row.id, []))
            for row in conn.execute(select(Product).order_by(Product.position, Product.id))
        }

    def _snapshot(self, conn: Connection) -> CatalogSnapshot:
        meta = conn.execute(
            select(CatalogMeta.version, CatalogMeta.currency, CatalogMeta.synonyms).where(CatalogMeta.id == 1)
        ).one()
        products = self._snapshot_products(conn, int(meta.version))
        faqs = self._faqs(conn, int(meta.version))
        return CatalogSnapshot(
            version=int(meta.version), products=products, faqs=faqs, currency=dict(meta.currency or {}),
            synonyms=dict(meta.synonyms or {}),
        )

    def _packed_rows(self, conn: Connection, table: str, columns: Sequence[str]) -> list[list[str]] | None:
        """Every row of ``columns`` as strings, fetched as ONE result row (SQLite ``group_concat``); None on other
        databases or when a value holds a separator (then the caller reads rows). A reload runs beside the thread
        that decides comments: sqlite3 releases the GIL at every row it steps, and getting it back from a busy
        thread costs up to a switch interval each time — 17k rows of ids and stock took 2.9 s instead of 0.05 s
        next to a busy thread (measured); one row takes 0.04 s."""
        if self._dialect != "sqlite":
            return None
        expr = " || char(31) || ".join(columns)
        count, value = conn.exec_driver_sql(f"SELECT count(*), group_concat({expr}, char(30)) FROM {table}").one()
        if value is None:
            return [] if count == 0 else None
        rows = [record.split("\x1f") for record in str(value).split("\x1e")]
        # a NULL drops its row from group_concat, a separator inside a value splits one: either way, read rows
        return rows if len(rows) == count and all(len(r) == len(columns) for r in rows) else None

    def _ids_and_versions(self, conn: Connection, table: Any) -> list[tuple[str, int]]:
        """(id, edit_version) of every row of ``table`` (Faq or Product) in position order."""
        packed = self._packed_rows(conn, table.__tablename__, ("id", "position", "edit_version"))
        if packed is None:
            query = select(table.id, table.edit_version).order_by(table.position, table.id)
            return [(str(i), int(v)) for i, v in conn.execute(query)]
        return [(i, int(v)) for i, _, v in sorted(packed, key=lambda r: (int(r[1]), r[0]))]

    def _snapshot_products(self, conn: Connection, version: int) -> dict[str, ProductInfo]:
        """Every product in position order with its stock as of now. As for FAQs (``_faqs``), a product whose
        ``edit_version`` did not move since this store read it is taken from that read, its variants' stock
        refreshed from one light query (orders and stock events change only ``stock``, never the edit_version);
        a product with a variant that vanished meanwhile is read again. Above ``PRODUCT_FULL_READ_ABOVE`` changed
        products, all are read (two queries)."""
        order = self._ids_and_versions(conn, Product)
        seen_version, cache = self._product_cache
        if version < seen_version:
            cache = {}
        stale = [pid for pid, ev in order if (hit := cache.get(pid)) is None or hit[0] != ev]
        fresh: dict[str, tuple[int, ProductInfo]] = {}
        if len(stale) > PRODUCT_FULL_READ_ABOVE:
            versions = dict(order)
            fresh = {pid: (int(versions[pid]), info) for pid, info in self._products(conn).items()}
        else:
            stock: dict[str, int] = {}
            skus_of: dict[str, set[str]] = {}
            packed = self._packed_rows(conn, "variants", ("sku", "product_id", "stock"))
            rows = packed if packed is not None else conn.execute(select(Variant.sku, Variant.product_id, Variant.stock))
            for sku, owner, n in rows:
                stock[sku] = int(n)
                skus_of.setdefault(owner, set()).add(sku)
            for pid, ev in order:
                hit = cache.get(pid)
                if hit is None or hit[0] != ev:
                    continue
                product = hit[1]
                if {v.sku for v in product.variants} != skus_of.get(pid, set()):
                    stale.append(pid)  # variants added or deleted around the store: read the product again
                elif any(v.stock != stock[v.sku] for v in product.variants):
                    variants = tuple(dataclasses.replace(v, stock=stock[v.sku]) for v in product.variants)
                    fresh[pid] = (int(ev), dataclasses.replace(product, variants=variants))
            versions = dict(order)
            for start in range(0, len(stale), 500):
                chunk = stale[start : start + 500]
                variants_of: dict[str, list[VariantInfo]] = {}
                for vrow in conn.execute(
                    select(Variant).where(Variant.product_id.in_(chunk)).order_by(Variant.position, Variant.sku)
                ):
                    variants_of.setdefault(vrow.product_id, []).append(_variant_info(vrow))
                for prow in conn.execute(select(Product).where(Product.id.in_(chunk))):
                    fresh[prow.id] = (int(versions[prow.id]), _product_info(prow, variants_of.get(prow.id, [])))
        current = {pid: fresh.get(pid) or cache[pid] for pid, _ in order}
        self._product_cache = (version, current)
        return {pid: info for pid, (_, info) in current.items()}

    def _faqs(self, conn: Connection, version: int) -> dict[str, FaqInfo]:
        """Every FAQ in position order. A FAQ whose ``edit_version`` is the one this store read it at before is
        taken from that earlier read: every write of a FAQ or of its example questions bumps it (and a FAQ created
        again gets a version above any it had), so (id, edit_version) names one content. A reload after one edit
        reads one FAQ and its questions, not 10,000 FAQs and 30,000 questions (~0.5 s at that size). A catalog
        version below the one of the earlier read (a database restored or recreated) forgets that read."""
        order = self._ids_and_versions(conn, Faq)
        seen_version, cache = self._faq_cache
        if version < seen_version:
            cache = {}
        stale = [fid for fid, ev in order if (hit := cache.get(fid)) is None or hit[0] != ev]
        fresh: dict[str, tuple[int, FaqInfo]] = {}
        questions: dict[str, list[Any]] = {}  # faq_id -> its question rows (_QUESTION_COLUMNS)
        if len(stale) > FAQ_FULL_READ_ABOVE:
            for q in conn.execute(select(*_QUESTION_COLUMNS).order_by(FaqQuestion.id)):
                questions.setdefault(q.faq_id, []).append(q)
            for row in conn.execute(select(Faq)):
                fresh[row.id] = (int(row.edit_version), _faq_info(row, questions.get(row.id, [])))
        else:
            for start in range(0, len(stale), 500):
                chunk = stale[start : start + 500]
                for q in conn.execute(
                    select(*_QUESTION_COLUMNS).where(FaqQuestion.faq_id.in_(chunk)).order_by(FaqQuestion.id)
                ):
                    questions.setdefault(q.faq_id, []).append(q)
                for row in conn.execute(select(Faq).where(Faq.id.in_(chunk))):
                    fresh[row.id] = (int(row.edit_version), _faq_info(row, questions.get(row.id, [])))
        current = {fid: fresh.get(fid) or cache[fid] for fid, _ in order}
        self._faq_cache = (version, current)  # swapped whole: a concurrent snapshot reads the old or the new dict, both exact
        return {fid: info for fid, (_, info) in current.items()}

    def product(self, product_id: str) -> ProductInfo | None:
        """One product with **live** stock (read at answer time)."""
        return self._read("product", lambda conn: _load_product(conn, product_id))

    def variant(self, sku: str) -> VariantInfo | None:
        def run(conn: Connection) -> VariantInfo | None:
            row = conn.execute(select(Variant).where(Variant.sku == sku)).one_or_none()
            return _variant_info(row) if row is not None else None

        return self._read("variant", run)

    def faq_examples(self) -> dict[str, list[tuple[str, str, str]]]:
        """faq_id -> [(text, lang, source)] in snapshot order (used by export to keep the languages)."""

        def run(conn: Connection) -> dict[str, list[tuple[str, str, str]]]:
            out: dict[str, list[tuple[str, str, str]]] = {}
            for q in conn.execute(select(FaqQuestion).order_by(FaqQuestion.id)):
                out.setdefault(q.faq_id, []).append((q.text, q.lang, q.source))
            return {faq_id: _lang_ordered(items) for faq_id, items in out.items()}

        return self._read("faq_examples", run)

    # ------------------------------------------------------------------------------------ catalog writes

    def edit_version(self, kind: str, item_id: str) -> int | None:
        """The `edit_version` of a product (`kind` "product") or FAQ ("faq"); None when there is no such row.

        Every write of the row changes it (migration 0005); the console's editors carry the version they were opened
        at and pass it back as `expected_version`, so a save over someone else's newer save is refused.
        """
        table: Any = {"product": Product, "faq": Faq}[kind]

        def run(conn: Connection) -> int | None:
            value = conn.execute(select(table.edit_version).where(table.id == item_id)).scalar_one_or_none()
            return int(value) if value is not None else None

        return self._read("edit_version", run)

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
        self, product: ProductInfo, *, keep_stock: bool = False, expected_version: int | None = None
    ) -> int:
        """Insert or replace a product and its variants; returns the new catalog version.

        `expected_version`: the product's `edit_version` the edit started from; `StaleEdit` (a `Conflict`), with
        nothing written, when the product was saved since.

        Variants missing from `product.variants` are deleted. With `keep_stock`, variants that already exist keep
        their live stock (staff editing text while orders come in). FAQs attached to the product are re-validated:
        an edit that would break one of their templates raises `CatalogError`.
        """
        _check_product(product)

        def run(conn: Connection) -> int:
            self._check_edit_version(conn, Product, product.id, expected_version)
            self._upsert_product(conn, product, keep_stock=keep_stock)
            for faq in conn.execute(select(Faq).where(Faq.product_id == product.id)):
                _check_answers(faq.id, _answers(faq), product, error=CatalogError)
            return self._bump_version(conn)

        return self._write("upsert_product", run)

    def delete_product(self, product_id: str) -> bool:
        """Delete a product and its variants. Refused while FAQs refer to it."""

        def run(conn: Connection) -> bool:
            faq_ids = conn.execute(select(Faq.id).where(Faq.product_id == product_id)).scalars().all()
            if faq_ids:
                raise Conflict(f"product '{product_id}' is used by FAQs: {', '.join(faq_ids)}")
            conn.execute(delete(Variant).where(Variant.product_id == product_id))
            if conn.execute(delete(Product).where(Product.id == product_id)).rowcount == 0:
                return False
            self._bump_version(conn)
            return True

        return self._write("delete_product", run)

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
            self._check_edit_version(conn, Faq, faq.id, expected_version)
            product = _load_product(conn, faq.product_id) if faq.product_id else None
            if faq.product_id and product is None:
                raise NotFound(f"FAQ '{faq.id}' refers to unknown product '{faq.product_id}'")
            _check_answers(faq.id, faq.answers, product, error=None)
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

    def load_catalog(
        self,
        products: Sequence[ProductInfo],
        faqs: Sequence[FaqInfo],
        *,
        examples: Mapping[str, Sequence[tuple[str, str]]] | None = None,
        currency: Mapping[str, str] | None = None,
        replace: bool = True,
        synonyms: Mapping[str, Any] | None = None,
    ) -> int:
        """Write a whole catalog in one transaction; returns the new version.

        `replace=True` deletes every product and FAQ first (stock and session start stock come from the data);
        `replace=False` upserts, keeping products and FAQs the data does not mention.
        `examples`: faq_id -> [(text, lang)] giving the language of each example question.
        """
        by_id = {p.id: p for p in products}
        for product in products:
            _check_product(product)
        for faq in faqs:
            _check_faq(faq)
        examples = examples or {}

        def run(conn: Connection) -> int:
            if replace:
                for table in (FaqQuestion, Faq, Variant, Product):
                    conn.execute(delete(table))
            for product in products:
                self._upsert_product(conn, product, keep_stock=False)
            for faq in faqs:
                owner = by_id.get(faq.product_id) if faq.product_id else None
                if faq.product_id and owner is None:
                    owner = _load_product(conn, faq.product_id)
                    if owner is None:
                        raise NotFound(f"FAQ '{faq.id}' refers to unknown product '{faq.product_id}'")
                _check_answers(faq.id, faq.answers, owner, error=None)
                langs = dict(examples.get(faq.id, ()))
                self._upsert_faq(conn, faq, langs)
            if currency is not None:
                conn.execute(update(CatalogMeta).where(CatalogMeta.id == 1).values(currency=dict(currency)))
            if synonyms is not None:
                conn.execute(update(CatalogMeta).where(CatalogMeta.id == 1).values(synonyms=dict(synonyms)))
            return self._bump_version(conn)

        version = self._write("load_catalog", run)
        log.info("catalog loaded: %d products, %d FAQs, version %d", len(products), len(faqs), version)
        return version

    def _upsert_product(self, conn: Connection, product: ProductInfo, *, keep_stock: bool) -> None:
        now = time.time()
        values = {
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
        current = dict(
            conn.execute(select(Variant.sku, Variant.stock).where(Variant.product_id == product.id)).all()
        )
        gone = [sku for sku in current if sku not in skus]
        if gone:
            conn.execute(delete(Variant).where(Variant.sku.in_(gone)))
        for position, variant in enumerate(product.variants):
            fields = {
                "position": position,
                "attrs": dict(variant.attrs),
                "labels": {k: dict(v) for k, v in variant.labels.items()},
                "price": rules.check_price(variant.price) if variant.price is not None else None,
            }
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

    def _upsert_faq(
        self, conn: Connection, faq: FaqInfo, question_langs: Mapping[str, str], *, source: str = "catalog"
    ) -> None:
        now = time.time()
        values = {
            "product_id": faq.product_id,
            "intent": faq.intent,
            "answer_zh": faq.answers.get("zh"),
            "answer_en": faq.answers.get("en"),
            "answers_extra": _extra(faq.answers),
            "updated_at": now,
        }
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
        new_rows = [
            {"faq_id": faq.id, "text": text, "lang": question_langs.get(text) or guess_lang(text),
             "source": source, "created_at": now}
            for text in wanted
            if text not in existing
        ]
        if new_rows:
            conn.execute(insert(FaqQuestion), new_rows)

    # -------------------------------------------------------------------------------------------- stock

    def apply_order(
        self,
        order_id: str,
        sku: str,
        qty: int,
        *,
        ts: float | None = None,
        user: str | None = None,
        room: str | None = None,
    ) -> OrderResult:
        """Take `qty` units of `sku` for order `order_id`: all or nothing, never below zero, once per order id.

        Never raises for bad input: an unknown SKU or a quantity outside 1..10^6 (`catalog.rules`) is a refused
        order with reason "unknown sku" / "invalid quantity" (logged with its order id like any order).
        """
        order_id, sku = str(order_id), str(sku)
        if self._dialect == "postgresql":  # PostgreSQL text cannot hold NUL; such an id or SKU is still logged
            order_id, sku = _without_nul(order_id), _without_nul(sku)
            user = _without_nul(user) if isinstance(user, str) else user
            room = _without_nul(room) if isinstance(room, str) else room
        now = time.time()
        qty_problem = rules.qty_problem(qty)
        valid_qty = qty_problem is None

        def run(conn: Connection) -> OrderResult:
            claimed = self._insert_ignore(
                conn,
                OrderRecord,
                {"order_id": str(order_id), "sku": str(sku), "qty": qty if valid_qty else 0,
                 "ts": _finite(ts, now), "ok": False, "reason": "pending", "user_name": user, "room": room},
            )
            if not claimed:
                row = conn.execute(select(OrderRecord).where(OrderRecord.order_id == str(order_id))).one()
                stock = conn.execute(select(Variant.stock).where(Variant.sku == row.sku)).scalar_one_or_none()
                return OrderResult(ok=row.ok, sku=row.sku, remaining=stock, reason=row.reason, duplicate=True)
            reason: str | None = None
            if valid_qty:
                updated = conn.execute(
                    update(Variant)
                    .where(Variant.sku == sku, Variant.stock >= qty)
                    .values(stock=Variant.stock - qty)
                ).rowcount
            else:
                updated, reason = 0, "invalid quantity"
            remaining = conn.execute(select(Variant.stock).where(Variant.sku == sku)).scalar_one_or_none()
            if updated == 1:
                conn.execute(insert(StockLog).values(
                    sku=sku, delta=-qty, stock_after=remaining, reason=f"order:{order_id}", ts=now
                ))
            elif reason is None:
                reason = "unknown sku" if remaining is None else "insufficient stock"
            conn.execute(
                update(OrderRecord)
                .where(OrderRecord.order_id == str(order_id))
                .values(ok=updated == 1, reason=reason, remaining=remaining)
            )
            return OrderResult(ok=updated == 1, sku=sku, remaining=remaining, reason=reason)

        result = self._write("apply_order", run)
        if not result.ok and not result.duplicate:
            log.info(
                "order %s for %s x%s refused: %s%s", clip(order_id), clip(sku), shown(qty), result.reason,
                f" ({qty_problem})" if qty_problem else "",
            )
        return result

    def set_stock(self, sku: str, stock: int, *, reason: str = "set") -> int:
        """Set a variant's stock to an absolute value; returns the previous stock.

        `UnknownSKUError` (a `CatalogError`, also a KeyError) for an unknown SKU, `CatalogError` for a stock
        outside `catalog.rules` (0..2^31-1).
        """
        return self.set_stocks({str(sku): stock}, reason=reason)[str(sku)]

    def set_stocks(self, stocks: Mapping[str, int], *, reason: str = "set") -> dict[str, int]:
        """Set several variants' stock in one transaction (all or nothing); returns sku -> previous stock.

        Raises like `set_stock`, before anything is written.
        """
        stocks = {str(sku): stock for sku, stock in stocks.items()}
        for sku, stock in stocks.items():
            try:
                rules.check_stock(stock)
            except RuleError:
                raise Invalid(f"stock for '{clip(sku)}' must be {rules.STOCK_RULE}, got {shown(stock)}") from None
        now = time.time()
        # what a PostgreSQL VARCHAR(64) without NUL can hold (SQLite compares anything, so it is asked as is)
        lookup = [sku for sku in stocks if self._dialect != "postgresql" or _possible_sku(sku)]

        def run(conn: Connection) -> dict[str, int]:
            query = select(Variant.sku, Variant.stock).where(Variant.sku.in_(lookup))
            if self._dialect == "postgresql":
                query = query.with_for_update()
            previous = dict(conn.execute(query).all())
            missing = [sku for sku in stocks if sku not in previous]
            if missing:
                raise UnknownSKUError(missing)
            for sku, stock in stocks.items():
                if previous[sku] == stock:
                    continue
                conn.execute(update(Variant).where(Variant.sku == sku).values(stock=stock))
                conn.execute(insert(StockLog).values(
                    sku=sku, delta=stock - previous[sku], stock_after=stock, reason=reason, ts=now
                ))
            return previous

        return self._write("set_stock", run)

    def import_stocks(
        self,
        values: Mapping[str, int],
        *,
        delta: bool = False,
        since: Mapping[str, float] | None = None,
        write: bool = True,
        reason: str = "csv",
    ) -> tuple[dict[str, tuple[int, int, int]], dict[str, str]]:
        """A bulk stock import computed (and with `write`, applied) in one transaction, all or nothing.

        `values`: sku -> new stock (`delta=False`) or sku -> change (+/-, `delta=True`). In set mode, `since` gives
        per SKU the time the file was exported: orders and stock events logged after it (`stock_changes_since`) are
        added to the file's value, so an import never undoes an order that came in after the export.
        Returns (sku -> (current stock, new stock, change since the export), sku -> problem): unknown SKUs and a
        resulting stock outside `catalog.rules` are problems, and nothing is written when there is any.
        """
        values = {str(sku): int(v) for sku, v in values.items()}
        since = dict(since or {})
        lookup = [sku for sku in values if self._dialect != "postgresql" or _possible_sku(sku)]
        now = time.time()

        def run(conn: Connection) -> tuple[dict[str, tuple[int, int, int]], dict[str, str]]:
            query = select(Variant.sku, Variant.stock).where(Variant.sku.in_(lookup))
            if write and self._dialect == "postgresql":
                query = query.with_for_update()
            current = {str(sku): int(stock) for sku, stock in conn.execute(query).all()}
            later: dict[str, int] = {}
            dated = [sku for sku in values if sku in since and sku in current]
            if not delta and dated:
                rows = conn.execute(
                    select(StockLog.sku, StockLog.delta, StockLog.ts).where(
                        StockLog.sku.in_(dated), StockLog.ts > min(since[sku] for sku in dated),
                        StockLog.reason.not_in(list(BULK_STOCK_REASONS)),
                    )
                ).all()
                for sku, change, ts in rows:
                    if ts > since[sku]:
                        later[sku] = later.get(sku, 0) + int(change)
            plan: dict[str, tuple[int, int, int]] = {}
            problems: dict[str, str] = {}
            for sku, value in values.items():
                if sku not in current:
                    problems[sku] = f"unknown SKU '{clip(sku)}'"
                    continue
                old = current[sku]
                new = old + value if delta else value + later.get(sku, 0)
                if new < 0:
                    problems[sku] = (
                        f"stock of '{clip(sku)}' would be {new} ({old} {value:+d})" if delta else
                        f"stock of '{clip(sku)}' would be {new} ({value} in the file "
                        f"{later.get(sku, 0):+d} from orders since the export)"
                    )
                elif new > rules.STOCK_MAX:
                    problems[sku] = f"stock of '{clip(sku)}' would be {new}, more than {rules.STOCK_MAX}"
                else:
                    plan[sku] = (old, new, later.get(sku, 0))
            if write and not problems:
                for sku, (old, new, _later) in plan.items():
                    if old == new:
                        continue
                    conn.execute(update(Variant).where(Variant.sku == sku).values(stock=new))
                    conn.execute(insert(StockLog).values(
                        sku=sku, delta=new - old, stock_after=new, reason=reason, ts=now
                    ))
            return plan, problems

        if write:
            return self._write("import_stocks", run)
        return self._read("import_stocks", run, consistent=True)

    def stock_changes_since(self, skus: Sequence[str], since: float) -> dict[str, int]:
        """Net stock change per SKU from orders and stock events logged after `since` (Unix seconds), leaving out
        catalog loads and CSV imports (which a later import overrides); SKUs without such changes are left out.

        A set-mode stock import uses it so a file exported at `since` never undoes the orders that came in after.
        """
        if not skus:
            return {}

        def run(conn: Connection) -> dict[str, int]:
            rows = conn.execute(
                select(StockLog.sku, func.sum(StockLog.delta))
                .where(
                    StockLog.sku.in_(list(skus)), StockLog.ts > since,
                    StockLog.reason.not_in(list(BULK_STOCK_REASONS)),
                )
                .group_by(StockLog.sku)
            ).all()
            return {str(sku): int(total) for sku, total in rows if total}

        return self._read("stock_changes_since", run)

    def last_restock(self, skus: Sequence[str]) -> float | None:
        """When stock of any of ``skus`` was last raised by a stock event / restock (not by a catalog edit or import);
        None when never. Answers "补货了吗" from the stock event history."""
        if not skus:
            return None

        def run(conn: Connection) -> float | None:
            ts = conn.execute(
                select(func.max(StockLog.ts)).where(
                    StockLog.sku.in_(list(skus)), StockLog.delta > 0, StockLog.reason != "catalog"
                )
            ).scalar_one_or_none()
            return float(ts) if ts is not None else None

        return self._read("last_restock", run)

    # --------------------------------------------------------------------------------------------- logs

    def record_comment(
        self, comment: Any, status: str = "received", *, received_at: float | None = None, raise_errors: bool = False
    ) -> bool:
        """Log a comment as received. Odd input is stored as is; a failure is logged.

        Returns True when a row was written, False for a duplicate (same room and id) or a database failure.
        With ``raise_errors=True`` a database failure raises instead (the live loop then spools the comment).
        """
        try:
            values = self._comment_values(comment, status, received_at)
        except Exception:  # nothing about a comment may crash the live loop (logged)
            log.exception("could not prepare comment %r for the log", getattr(comment, "id", comment))
            return False
        try:
            inserted = self._write("record_comment", lambda conn: self._insert_ignore(conn, CommentLog, values))
        except Exception:
            log.exception("could not record comment %r", values["comment_id"])
            if raise_errors:
                raise
            return False
        if not inserted:
            log.info("comment %r in room %r already recorded", values["comment_id"], values["room"])
        return inserted

    def record_comments(
        self, comments: Sequence[Any], *, received_at: Sequence[float] | float | None = None
    ) -> set[tuple[str, str]]:
        """Log a batch of comments as received in one transaction (multi-row INSERTs … ON CONFLICT DO NOTHING).

        Returns the ``(room, comment_id)`` keys that were new; a key missing from the result is a duplicate that
        was already logged (the stored row is left untouched). Database failures raise (the live loop spools).
        ``received_at`` is one wall-clock time for all, or one per comment (spooled comments keep theirs).
        """
        if not comments:
            return set()
        if received_at is None or isinstance(received_at, (int, float)):
            times: Sequence[float | None] = [received_at] * len(comments)
        else:
            times = received_at
        rows: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for comment, at in zip(comments, times, strict=True):
            values = self._comment_values(comment, "received", at)
            key = (values["room"], values["comment_id"])
            if key in seen:  # a duplicate inside the batch: only the first one is logged
                continue
            seen.add(key)
            rows.append(values)

        stmt: ReturningInsert[str, str] | None = None
        if self._dialect in ("sqlite", "postgresql"):
            dialect_insert = sqlite_dialect.insert if self._dialect == "sqlite" else pg_dialect.insert
            # One statement for every batch (compiled once, cached): executed with a list of rows, SQLAlchemy sends
            # them as multi-row INSERTs ("insertmanyvalues"); RETURNING names the rows that went in.
            stmt = dialect_insert(CommentLog).on_conflict_do_nothing().returning(CommentLog.room, CommentLog.comment_id)

        def run(conn: Connection) -> set[tuple[str, str]]:
            inserted: set[tuple[str, str]] = set()
            if stmt is None:  # pragma: no cover - other databases: row by row
                for values in rows:
                    if self._insert_ignore(conn, CommentLog, values):
                        inserted.add((values["room"], values["comment_id"]))
                return inserted
            for start in range(0, len(rows), 500):
                result = conn.execute(stmt, rows[start : start + 500])
                inserted.update((room, cid) for room, cid in result.all())
            return inserted

        return self._write("record_comments", run)

    def set_comment_outcomes(
        self, outcomes: Sequence[tuple[str, str, Mapping[str, Any]]], *, only_undecided: bool = False
    ) -> int:
        """Record many outcomes in one transaction: ``(room, comment_id, fields)`` with the keyword fields of
        :meth:`set_comment_outcome`. ``only_undecided`` leaves rows alone that already have an outcome.
        Returns how many rows were updated. Database failures raise."""
        if not outcomes:
            return 0
        rows: list[dict[str, Any]] = []
        now = time.time()
        for room, comment_id, fields in outcomes:
            status = fields["status"]
            if status not in COMMENT_STATUSES:
                raise ValueError(f"unknown comment status {status!r} (expected one of {', '.join(COMMENT_STATUSES)})")
            notes: list[str] = []
            row: dict[str, Any] = {"b_room": room, "b_comment_id": str(comment_id), "status": status, "updated_at": now}
            for key in ("faq_id", "intent", "product_id", "lang", "reason", "reply_text"):
                value = fields.get(key)
                row[key] = None if value is None else self._storable(value, notes, key)
            score = fields.get("score")
            row["score"] = None if score is None else _finite(score, None)
            rows.append(row)
        stmt = (
            update(CommentLog)
            .where(CommentLog.room == bindparam("b_room"), CommentLog.comment_id == bindparam("b_comment_id"))
            .where(CommentLog.status == "received" if only_undecided else true())
            .values(
                status=bindparam("status"), updated_at=bindparam("updated_at"), faq_id=bindparam("faq_id"),
                intent=bindparam("intent"), product_id=bindparam("product_id"), lang=bindparam("lang"),
                reason=bindparam("reason"), reply_text=bindparam("reply_text"), score=bindparam("score"),
            )
        )

        def run(conn: Connection) -> int:
            result = conn.execute(stmt, rows)
            return int(result.rowcount or 0)

        return self._write("set_comment_outcomes", run)

    def unfinished_comments(self, room: str | None = None, limit: int = 10_000) -> list[CommentRecord]:
        """Comments still ``received`` (recorded, never decided: the bot stopped in between), oldest first."""

        def run(conn: Connection) -> list[CommentRecord]:
            query = select(CommentLog).where(CommentLog.status == "received").order_by(CommentLog.seq).limit(limit)
            if room is not None:
                query = query.where(CommentLog.room == room)
            return [_comment_record(row) for row in conn.execute(query)]

        return self._read("unfinished_comments", run)

    def _comment_values(self, comment: Any, status: str, received_at: float | None) -> dict[str, Any]:
        now = time.time() if received_at is None else received_at
        notes: list[str] = []
        if status not in COMMENT_STATUSES:
            notes.append(f"unknown status {status!r}")
            status = "error"
        comment_id = getattr(comment, "id", None)
        if comment_id is None or comment_id == "":
            comment_id = f"anon-{uuid.uuid4().hex}"
            notes.append("comment had no id")
        raw_ts = getattr(comment, "ts", None)
        ts = _finite(raw_ts, now)
        if ts != raw_ts:
            notes.append(f"bad timestamp {raw_ts!r}")
        text = getattr(comment, "text", "")
        values = {
            "comment_id": self._storable(comment_id, notes, "id"),
            "room": self._storable(getattr(comment, "room", None) or "local", notes, "room"),
            "user_name": self._storable(getattr(comment, "user", None) or "", notes, "user"),
            "text": self._storable("" if text is None else text, notes, "text"),
            "ts": ts,
            "received_at": now,
            "lang": self._optional(getattr(comment, "lang", None), notes),
            "product_id": self._optional(getattr(comment, "product_id", None), notes),
            "status": status,
            "reason": "; ".join(notes) or None,
            "updated_at": now,
        }
        return values

    def _storable(self, value: Any, notes: list[str], field: str) -> str:
        """`value` as text the database accepts, changing as little as possible (and saying what changed)."""
        text = value if isinstance(value, str) else str(value)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = text.encode("utf-8", "backslashreplace").decode("utf-8")
            notes.append(f"{field}: unencodable characters escaped")
        if self._dialect == "postgresql" and "\x00" in text:
            text = text.replace("\x00", "\ufffd")  # PostgreSQL text cannot hold NUL
            notes.append(f"{field}: NUL characters replaced by U+FFFD")
        return text

    def _optional(self, value: Any, notes: list[str]) -> str | None:
        return None if value is None else self._storable(value, notes, "field")

    def set_comment_outcome(
        self,
        comment_id: str,
        status: str,
        faq_id: str | None = None,
        score: float | None = None,
        intent: str | None = None,
        reply_text: str | None = None,
        *,
        product_id: str | None = None,
        lang: str | None = None,
        reason: str | None = None,
        room: str | None = None,
    ) -> bool:
        """Record what the bot decided for a comment. False (and a warning) when the comment is not in the log."""
        if status not in COMMENT_STATUSES:
            raise ValueError(f"unknown comment status {status!r} (expected one of {', '.join(COMMENT_STATUSES)})")
        notes: list[str] = []
        values: dict[str, Any] = {"status": status, "updated_at": time.time()}
        for key, value in (("faq_id", faq_id), ("intent", intent), ("product_id", product_id), ("lang", lang),
                           ("reason", reason), ("reply_text", reply_text)):
            if value is not None:
                values[key] = self._storable(value, notes, key)
        if score is not None:
            values["score"] = _finite(score, None)

        def run(conn: Connection) -> bool:
            stmt = update(CommentLog).where(CommentLog.comment_id == str(comment_id))
            if room is not None:
                stmt = stmt.where(CommentLog.room == room)
            return conn.execute(stmt.values(**values)).rowcount > 0

        found = self._write("set_comment_outcome", run)
        if not found:
            log.warning("outcome %r for unknown comment %r", status, comment_id)
        return found

    def record_reply(self, reply: Any) -> bool:
        """Log a reply (call before sending it). Never raises; False (logged) if it could not be written."""
        notes: list[str] = []
        try:
            values = {
                "room": self._storable(getattr(reply, "room", None) or "local", notes, "room"),
                "reply_to": [self._storable(x, notes, "reply_to") for x in getattr(reply, "reply_to", ())],
                "users": [self._storable(x, notes, "users") for x in getattr(reply, "users", ()) or ()],
                "text": self._storable(getattr(reply, "text", ""), notes, "text"),
                "lang": self._storable(getattr(reply, "lang", None) or "", notes, "lang"),
                "ts": _finite(getattr(reply, "ts", None), time.time()),
            }
            self._write("record_reply", lambda conn: conn.execute(insert(ReplyLog).values(**values)))
        except Exception:  # logging must not crash the live loop (logged)
            log.exception("could not record reply to %r", getattr(reply, "reply_to", None))
            return False
        return True

    def comments(
        self, status: str | None = None, limit: int | None = 1000, room: str | None = None
    ) -> list[CommentRecord]:
        """The most recent `limit` logged comments (all if None), oldest first."""

        def run(conn: Connection) -> list[CommentRecord]:
            query = select(CommentLog).order_by(CommentLog.seq.desc())
            if status is not None:
                query = query.where(CommentLog.status == status)
            if room is not None:
                query = query.where(CommentLog.room == room)
            if limit is not None:
                query = query.limit(limit)
            rows = list(conn.execute(query))
            return [_comment_record(row) for row in reversed(rows)]

        return self._read("comments", run)

    def replies(self, limit: int | None = 1000, room: str | None = None) -> list[ReplyRecord]:
        """The most recent `limit` logged replies, oldest first."""

        def run(conn: Connection) -> list[ReplyRecord]:
            query = select(ReplyLog).order_by(ReplyLog.id.desc())
            if room is not None:
                query = query.where(ReplyLog.room == room)
            if limit is not None:
                query = query.limit(limit)
            rows = list(conn.execute(query))
            return [
                ReplyRecord(id=r.id, room=r.room, reply_to=tuple(r.reply_to), users=tuple(r.users or ()),
                            text=r.text, lang=r.lang, ts=r.ts)
                for r in reversed(rows)
            ]

        return self._read("replies", run)

    def comment_counts(self, room: str | None = None) -> dict[str, int]:
        """status -> number of logged comments."""

        def run(conn: Connection) -> dict[str, int]:
            query = select(CommentLog.status, func.count()).group_by(CommentLog.status)
            if room is not None:
                query = query.where(CommentLog.room == room)
            return {status: int(n) for status, n in conn.execute(query).all()}

        return self._read("comment_counts", run)

    def orders(self, limit: int | None = None) -> list[tuple[str, str, int, bool, str | None]]:
        """(order_id, sku, qty, ok, reason) for logged orders, oldest first."""

        def run(conn: Connection) -> list[tuple[str, str, int, bool, str | None]]:
            query = select(OrderRecord).order_by(OrderRecord.ts, OrderRecord.order_id)
            if limit is not None:
                query = query.limit(limit)
            return [(o.order_id, o.sku, o.qty, bool(o.ok), o.reason) for o in conn.execute(query)]

        return self._read("orders", run)

    def sales_summary(self, since: float | None = None) -> list[ProductSales]:
        """Per product: units sold (successful orders), stock at session start and now, sell-through, questions."""

        def run(conn: Connection) -> list[ProductSales]:
            stock = {
                pid: (int(start or 0), int(now or 0))
                for pid, start, now in conn.execute(
                    select(Variant.product_id, func.sum(Variant.initial_stock), func.sum(Variant.stock))
                    .group_by(Variant.product_id)
                ).all()
            }
            sold_query = (
                select(Variant.product_id, func.sum(OrderRecord.qty), func.count())
                .join(Variant, Variant.sku == OrderRecord.sku)
                .where(OrderRecord.ok.is_(True))
                .group_by(Variant.product_id)
            )
            questions_query = (
                select(CommentLog.product_id, func.count())
                .where(CommentLog.product_id.is_not(None))
                .group_by(CommentLog.product_id)
            )
            if since is not None:
                sold_query = sold_query.where(OrderRecord.ts >= since)
                questions_query = questions_query.where(CommentLog.ts >= since)
            sold = {pid: (int(units or 0), int(n)) for pid, units, n in conn.execute(sold_query).all()}
            asked = {pid: int(n) for pid, n in conn.execute(questions_query).all()}
            out = []
            for row in conn.execute(
                select(Product.id, Product.name_zh, Product.name_en).order_by(Product.position, Product.id)
            ).all():
                start, now = stock.get(row.id, (0, 0))
                units, n_orders = sold.get(row.id, (0, 0))
                out.append(ProductSales(
                    product_id=row.id,
                    name=_texts(zh=row.name_zh, en=row.name_en),
                    units_sold=units,
                    orders=n_orders,
                    stock_start=start,
                    stock_now=now,
                    sell_through=(units / start) if start > 0 else None,
                    questions=asked.get(row.id, 0),
                ))
            return out

        return self._read("sales_summary", run)

    def reset_session(self, *, clear_orders: bool = True) -> None:
        """Start a new live session: clear comment/reply (and order, stock) logs, initial_stock = stock."""

        def run(conn: Connection) -> None:
            tables: list[Any] = [CommentLog, ReplyLog]
            if clear_orders:
                tables += [OrderRecord, StockLog]
            for table in tables:
                conn.execute(delete(table))
            conn.execute(update(Variant).values(initial_stock=Variant.stock))

        self._write("reset_session", run)
        log.info("session reset")


# ------------------------------------------------------------------------------------------------ helpers


def _first_edit_version(conn: Connection) -> int:
    """The edit_version of a new row: the catalog version this write is making, so a product or FAQ deleted and
    created again never gets back a version an open editor still holds (edit versions never pass the catalog's)."""
    current = conn.execute(select(CatalogMeta.version).where(CatalogMeta.id == 1)).scalar_one_or_none()
    return int(current or 0) + 1


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


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _finite(value: Any, default: Any) -> Any:
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int beyond the float range
        return default
    return number if math.isfinite(number) else default


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


def _comment_record(row: Row[Any]) -> CommentRecord:
    return CommentRecord(
        comment_id=row.comment_id, room=row.room, user=row.user_name, text=row.text, ts=row.ts,
        received_at=row.received_at, lang=row.lang, status=row.status, faq_id=row.faq_id,
        product_id=row.product_id, intent=row.intent, score=row.score, reply_text=row.reply_text,
        reason=row.reason,
    )


def _without_nul(text: str) -> str:
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


def _possible_sku(sku: str) -> bool:
    return 0 < len(sku) <= rules.ID_MAX_LENGTH and "\x00" not in sku


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


def _first_line(exc: BaseException) -> str:
    """The driver's message without SQLAlchemy's multi-line decoration (for one-line logs)."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return (text.splitlines() or [type(exc).__name__])[0]
