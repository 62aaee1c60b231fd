"""CatalogReads: reading the catalog: the snapshot (incremental: only FAQs and products whose `edit_version`
moved are read again), products with **live** stock, the stock clock for `catalog/live.py`, versions."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, select
from sqlalchemy.exc import NoResultFound

from catalog.schema import CatalogMeta, Faq, FaqChange, FaqQuestion, Product, ProductChange, StockClock, Variant
from catalog.snapshot import CatalogSnapshot, FaqInfo, ProductInfo, VariantInfo
from catalog.store.base import StoreBase
from catalog.store.rows import _faq_info, _lang_ordered, _load_product, _product_info, _variant_info

# Above this many FAQs changed since the last snapshot, ``_faqs`` reads them all (two queries) instead of by id.
FAQ_FULL_READ_ABOVE = 500
PRODUCT_FULL_READ_ABOVE = 200  # the same for products (``_snapshot_products``)
T = TypeVar("T")
_QUESTION_COLUMNS = (FaqQuestion.faq_id, FaqQuestion.text, FaqQuestion.lang, FaqQuestion.source)  # what _faq_info reads


class CatalogReads(StoreBase):
    """Catalog reads (no writes); each one transaction, retried like every store call."""

    def catalog_version(self) -> int:
        return self._read_one(
            "catalog_version",
            lambda conn: int(conn.execute(select(CatalogMeta.version).where(CatalogMeta.id == 1)).scalar_one()),
        )

    def stock_clock(self) -> int:
        """The stock clock (migration 0009): moves on every write to products or variants, by anyone. Read before
        every batch of comments (catalog/live.py): on SQLite through the driver directly."""
        if self._sqlite_direct:
            return self._read_one_sqlite("stock_clock", _read_stock_clock)
        return self._read_one(
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
            return {pid: info for pid, (_, info, _) in _products_by_ids(conn, ids).items()}

        return self._read("products_by_id", run)

    def currency(self) -> dict[str, str]:
        return self._read(
            "currency",
            lambda conn: dict(conn.execute(select(CatalogMeta.currency).where(CatalogMeta.id == 1)).scalar_one()),
        )

    def snapshot(self, pause: Callable[[], None] | None = None) -> CatalogSnapshot:
        """The whole catalog (with stock as of now) in five queries, read in one consistent transaction.
        ``pause``: called between the reads and passes over every row (a hot reload lets decisions go first there)."""
        with self._snapshot_lock:
            return self._read("snapshot", lambda conn: self._snapshot(conn, pause), consistent=True)

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

    def _snapshot(self, conn: Connection, pause: Callable[[], None] | None = None) -> CatalogSnapshot:
        meta = conn.execute(
            select(CatalogMeta.version, CatalogMeta.currency, CatalogMeta.synonyms).where(CatalogMeta.id == 1)
        ).one()
        pause = pause or _no_pause
        version = int(meta.version)
        tick = int(conn.execute(select(StockClock.ticks).where(StockClock.id == 1)).scalar_one())
        changed = self._changed_since_last(conn, version, tick)
        if changed is not None:
            products, faqs = changed
        else:
            product_order = self._ids_and_versions(conn, Product)
            products = self._snapshot_products(conn, version, pause, [(i, v) for i, v, _ in product_order])
            pause()
            faq_order = self._ids_and_versions(conn, Faq)
            faqs = self._faqs(conn, version, pause, [(i, v) for i, v, _ in faq_order])
            self._marks = _Marks(
                version, tick, {i: p for i, _, p in faq_order}, max((p for _, _, p in faq_order), default=-1),
                {i: p for i, _, p in product_order}, max((p for _, _, p in product_order), default=-1),
            )
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

    def _ids_and_versions(self, conn: Connection, table: Any) -> list[tuple[str, int, int]]:
        """(id, edit_version, position) of every row of ``table`` (Faq or Product) in position order."""
        packed = self._packed_rows(conn, table.__tablename__, ("id", "position", "edit_version"))
        if packed is None:
            query = select(table.id, table.edit_version, table.position).order_by(table.position, table.id)
            return [(str(i), int(v), int(p)) for i, v, p in conn.execute(query)]
        return [(i, int(v), int(p)) for i, p, v in sorted(packed, key=lambda r: (int(r[1]), r[0]))]

    def _changed_since_last(
        self, conn: Connection, version: int, tick: int
    ) -> tuple[dict[str, ProductInfo], dict[str, FaqInfo]] | None:
        """Products and FAQs from the previous snapshot with those changed since re-read — the ones whose
        ``product_changes`` / ``faq_changes`` tick (migrations 0009 and 0014: database triggers, whoever writes, on
        the stock clock) is past the clock as that snapshot read it — in time proportional to the change: no read of
        every row's id and version. None when there is no usable previous snapshot, when many changed, or when a
        change moved rows in the order (a new row not after every other one, a position changed): then the caller
        reads everything."""
        marks = self._marks
        faq_version, faq_cache = self._faq_cache
        product_version, product_cache = self._product_cache
        if marks is None or not marks.version == faq_version == product_version or version < marks.version:
            return None
        if tick < marks.tick:
            return None
        faq_ids = list(conn.execute(select(FaqChange.faq_id).where(FaqChange.tick > marks.tick)).scalars())
        product_ids = list(conn.execute(select(ProductChange.product_id).where(ProductChange.tick > marks.tick)).scalars())
        if len(faq_ids) > FAQ_FULL_READ_ABOVE or len(product_ids) > PRODUCT_FULL_READ_ABOVE:
            return None
        faq_rows = _faqs_by_ids(conn, faq_ids)
        product_rows = _products_by_ids(conn, product_ids)
        faqs = _merged(faq_cache, marks.faq_pos, marks.faq_tail, faq_ids, faq_rows)
        products = _merged(product_cache, marks.product_pos, marks.product_tail, product_ids, product_rows)
        if faqs is None or products is None:
            return None
        (faq_current, faq_pos, faq_tail), (product_current, product_pos, product_tail) = faqs, products
        self._faq_cache = (version, faq_current)
        self._product_cache = (version, product_current)
        self._marks = _Marks(version, tick, faq_pos, faq_tail, product_pos, product_tail)
        return (
            {pid: info for pid, (_, info) in product_current.items()},
            {fid: info for fid, (_, info) in faq_current.items()},
        )

    def _snapshot_products(
        self, conn: Connection, version: int, pause: Callable[[], None] | None = None,
        order: list[tuple[str, int]] | None = None,
    ) -> dict[str, ProductInfo]:
        """Every product in position order with its stock as of now. As for FAQs (``_faqs``), a product whose
        ``edit_version`` did not move since this store read it is taken from that read, its variants' stock
        refreshed from one light query (orders and stock events change only ``stock``, never the edit_version);
        a product with a variant that vanished meanwhile is read again. Above ``PRODUCT_FULL_READ_ABOVE`` changed
        products, all are read (two queries). ``order``: (id, edit_version) of every product, when already read."""
        if order is None:
            order = [(i, v) for i, v, _ in self._ids_and_versions(conn, Product)]
        if pause is not None:
            pause()
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
            fresh.update((pid, (ev, info)) for pid, (ev, info, _) in _products_by_ids(conn, stale).items())
        current = {pid: fresh.get(pid) or cache[pid] for pid, _ in order}
        self._product_cache = (version, current)
        return {pid: info for pid, (_, info) in current.items()}

    def _faqs(
        self, conn: Connection, version: int, pause: Callable[[], None] | None = None,
        order: list[tuple[str, int]] | None = None,
    ) -> dict[str, FaqInfo]:
        """Every FAQ in position order. A FAQ whose ``edit_version`` is the one this store read it at before is
        taken from that earlier read: every write of a FAQ or of its example questions bumps it (and a FAQ created
        again gets a version above any it had), so (id, edit_version) names one content. A reload after one edit
        reads one FAQ and its questions, not 10,000 FAQs and 30,000 questions (~0.5 s at that size). A catalog
        version below the one of the earlier read (a database restored or recreated) forgets that read."""
        if order is None:
            order = [(i, v) for i, v, _ in self._ids_and_versions(conn, Faq)]
        if pause is not None:
            pause()
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
            fresh = {fid: (ev, info) for fid, (ev, info, _) in _faqs_by_ids(conn, stale).items()}
        if pause is not None:
            pause()
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

    def edit_version(self, kind: str, item_id: str) -> int | None:
        """The `edit_version` of a product (`kind` "product") or FAQ ("faq"); None when there is no such row.
        `kind` "synonyms": the version of the catalog's synonyms (migration 0013; `item_id` is not used).

        Every write of the row changes it (migration 0005); the console's editors carry the version they were opened
        at and pass it back as `expected_version`, so a save over someone else's newer save is refused.
        """
        if kind == "synonyms":
            return self._read("edit_version", lambda conn: int(conn.execute(
                select(CatalogMeta.synonyms_version).where(CatalogMeta.id == 1)).scalar_one()))
        table: Any = {"product": Product, "faq": Faq}[kind]

        def run(conn: Connection) -> int | None:
            value = conn.execute(select(table.edit_version).where(table.id == item_id)).scalar_one_or_none()
            return int(value) if value is not None else None

        return self._read("edit_version", run)


BY_ID_CHUNK = 500  # ids per IN (...) query


def _faqs_by_ids(conn: Connection, ids: Sequence[str]) -> dict[str, tuple[int, FaqInfo, int]]:
    """(edit_version, FAQ with its example questions, position) of the FAQs ``ids`` that exist."""
    found: dict[str, tuple[int, FaqInfo, int]] = {}
    for start in range(0, len(ids), BY_ID_CHUNK):
        chunk = ids[start : start + BY_ID_CHUNK]
        questions: dict[str, list[Any]] = {}
        for q in conn.execute(select(*_QUESTION_COLUMNS).where(FaqQuestion.faq_id.in_(chunk)).order_by(FaqQuestion.id)):
            questions.setdefault(q.faq_id, []).append(q)
        for row in conn.execute(select(Faq).where(Faq.id.in_(chunk))):
            found[row.id] = (int(row.edit_version), _faq_info(row, questions.get(row.id, [])), int(row.position))
    return found


def _products_by_ids(conn: Connection, ids: Sequence[str]) -> dict[str, tuple[int, ProductInfo, int]]:
    """(edit_version, product with its variants and live stock, position) of the products ``ids`` that exist."""
    found: dict[str, tuple[int, ProductInfo, int]] = {}
    for start in range(0, len(ids), BY_ID_CHUNK):
        chunk = ids[start : start + BY_ID_CHUNK]
        variants: dict[str, list[VariantInfo]] = {}
        for vrow in conn.execute(
            select(Variant).where(Variant.product_id.in_(chunk)).order_by(Variant.position, Variant.sku)
        ):
            variants.setdefault(vrow.product_id, []).append(_variant_info(vrow))
        for prow in conn.execute(select(Product).where(Product.id.in_(chunk))):
            found[prow.id] = (int(prow.edit_version), _product_info(prow, variants.get(prow.id, [])), int(prow.position))
    return found


@dataclasses.dataclass(frozen=True)
class _Marks:
    """What ``_changed_since_last`` reads a snapshot's changes against: the catalog version and stock clock tick of
    the previous snapshot, and the position of each FAQ and product in it (and the largest one)."""

    version: int
    tick: int
    faq_pos: dict[str, int]
    faq_tail: int
    product_pos: dict[str, int]
    product_tail: int


def _merged(
    cache: dict[str, tuple[int, T]], positions: dict[str, int], tail: int, changed: list[str],
    rows: dict[str, tuple[int, T, int]],
) -> tuple[dict[str, tuple[int, T]], dict[str, int], int] | None:
    """``cache`` (id -> (edit_version, item), in position order) with the ``changed`` ids re-read as ``rows`` (id ->
    (edit_version, item, position); an id missing from it was deleted). None when the order would change otherwise
    than by deleting rows or adding rows after every other one."""
    current = dict(cache)  # a copy: the cache it replaces may be read by a concurrent snapshot
    pos = dict(positions)
    new: list[tuple[int, str]] = []
    for key in dict.fromkeys(changed):
        row = rows.get(key)
        if row is None:
            current.pop(key, None)
            pos.pop(key, None)
        elif key in current:
            if pos.get(key) != row[2]:
                return None
            current[key] = (row[0], row[1])
        else:
            new.append((row[2], key))
    for position, key in sorted(new):
        if position <= tail:
            return None
        current[key] = (rows[key][0], rows[key][1])
        pos[key] = tail = position
    return current, pos, tail


def _read_stock_clock(con: sqlite3.Connection) -> int:
    row = con.execute(f"SELECT ticks FROM {StockClock.__tablename__} WHERE id = 1").fetchone()
    if row is None:
        raise NoResultFound("the stock clock row is missing")  # as scalar_one() on the SQLAlchemy path (a migration
        # creates the row: never here)
    return int(row[0])


def _no_pause() -> None:
    return None
