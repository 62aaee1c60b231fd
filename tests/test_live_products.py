"""The engine's in-memory copy of products and live stock (catalog/live.py) follows every stock change: its own
orders, and writes by another process in raw SQL (the stock clock triggers of migration 0009), on SQLite and
PostgreSQL — and it is re-read only when something changed."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import pytest

from bot.bootstrap import build_runtime, ensure_catalog, open_store
from bot.config import Settings
from bot.messages import Comment, Order, Stage
from catalog.io import import_catalog
from catalog.live import FULL_RELOAD_ABOVE, LiveProducts
from catalog.snapshot import ProductInfo, VariantInfo
from catalog.store import CatalogStore

ROOT = Path(__file__).resolve().parents[1]


class CountingSource:
    """A product source whose clock and changes the test moves by hand; counts what was read."""

    def __init__(self) -> None:
        self.ticks = 0
        self.catalog: dict[str, ProductInfo] = {}
        self.changes: dict[str, int] = {}
        self.clock_reads = 0
        self.product_reads = 0
        self.by_id_reads: list[list[str]] = []

    def products(self) -> Mapping[str, ProductInfo]:
        self.product_reads += 1
        return dict(self.catalog)

    def stock_clock(self) -> int:
        self.clock_reads += 1
        return self.ticks

    def products_changed_since(self, tick: int) -> list[str]:
        return [pid for pid, t in self.changes.items() if t > tick]

    def products_by_id(self, product_ids) -> dict[str, ProductInfo]:
        self.by_id_reads.append(sorted(product_ids))
        return {pid: self.catalog[pid] for pid in product_ids if pid in self.catalog}

    def write(self, product: ProductInfo | str) -> None:
        self.ticks += 1
        pid = product if isinstance(product, str) else product.id
        if isinstance(product, str):
            self.catalog.pop(pid, None)
        else:
            self.catalog[pid] = product
        self.changes[pid] = self.ticks


def _product(pid: str, stock: int) -> ProductInfo:
    variant = VariantInfo(sku=f"{pid}-1", product_id=pid, attrs={"size": "M"}, stock=stock)
    return ProductInfo(
        id=pid, name={"zh": pid}, aliases=(), category="", description={}, price=Decimal(10), tags=(), attributes={},
        variants=(variant,),
    )


def test_the_copy_is_re_read_only_when_the_clock_moved_and_checked_once_per_batch() -> None:
    source = CountingSource()
    live = LiveProducts(source)
    live.begin_batch()
    for _ in range(5):
        live.product("x")
    assert (source.clock_reads, source.product_reads) == (1, 1)
    live.begin_batch()
    live.products()
    live.product("y")
    assert (source.clock_reads, source.product_reads) == (2, 1)  # clock unchanged: the copy is kept
    source.write(_product("z", 3))
    assert live.product("z") is None  # not due until the next batch
    live.begin_batch()
    assert live.product("z") is not None and source.by_id_reads == [["z"]]
    live.invalidate()
    live.product("z")
    assert source.product_reads == 2


def test_only_the_changed_products_are_re_read_and_deleted_ones_disappear() -> None:
    source = CountingSource()
    for i in range(5):
        source.write(_product(f"p{i}", 10))
    live = LiveProducts(source)
    assert list(live.products()) == ["p0", "p1", "p2", "p3", "p4"] and source.product_reads == 1
    source.write(_product("p2", 0))  # sold out
    source.write("p4")  # deleted
    source.write(_product("p9", 1))  # new
    live.begin_batch()
    products = live.products()
    assert source.product_reads == 1 and source.by_id_reads == [["p2", "p4", "p9"]]
    assert list(products) == ["p0", "p1", "p2", "p3", "p9"]
    assert products["p2"].variants[0].stock == 0 and live.refreshes == 1
    for i in range(FULL_RELOAD_ABOVE + 1):  # a mass change (catalog import): one whole re-read instead
        source.write(_product(f"q{i}", 1))
    live.begin_batch()
    assert len(live.products()) == 5 + FULL_RELOAD_ABOVE + 1 and source.product_reads == 2


def test_every_kind_of_write_to_products_or_variants_moves_the_clock(tmp_path) -> None:
    store = CatalogStore(f"sqlite:///{tmp_path}/c.db")
    import_catalog(store, ROOT / "data/catalog.yaml")
    statements = {
        "update": "UPDATE variants SET stock = stock + 1 WHERE sku = 'TEE-WHT-S'",
        "insert": "INSERT INTO variants (sku, product_id, attrs, labels, stock, initial_stock, position) "
        "SELECT 'NEW-' || abs(random()), product_id, attrs, labels, 1, 1, 99 FROM variants WHERE sku = 'TEE-WHT-S'",
        "delete": "DELETE FROM variants WHERE sku = 'TEE-BLK-XXL'",
        "product": "UPDATE products SET price = price + 1 WHERE id = 'tee-classic'",
    }
    marked = {"update": "tee-classic", "insert": "tee-classic", "delete": "tee-classic", "product": "tee-classic"}
    for kind in ("update", "insert", "delete", "product"):
        before = store.stock_clock()
        with store.engine.begin() as conn:
            conn.exec_driver_sql(statements[kind])
        assert store.stock_clock() > before, kind
        assert store.products_changed_since(before) == [marked[kind]], kind
    store.close()


# ----------------------------------------------------------------------------------- through the real engine


def _runtime(db_url: str, tmp_path: Path, embedder):
    settings = Settings.load(
        # fixed thresholds: no calibration (seconds per start), the answers under test are structured stock answers
        {"db": db_url, "index_dir": str(tmp_path / "index"), "catalog": str(ROOT / "data/catalog.yaml"),
         "answer_threshold": 0.6, "staff_threshold": 0.5},
        env={},
    )
    store = open_store(settings)
    ensure_catalog(store, settings, replace=True)
    store.reset_session()
    return build_runtime(settings, store=store, embedder=embedder)


_n = 0


def _ask(runtime, text: str) -> str | None:
    global _n
    _n += 1
    return runtime.engine.process([Comment(id=f"live{_n}", user="u1", text=text, ts=float(_n))])[0].text


def _external_sql(db_url: str, sql: str) -> None:
    """Run one statement in ANOTHER process, in raw SQL: nothing of this process learns about it."""
    code = textwrap.dedent(
        f"""
        from sqlalchemy import create_engine
        engine = create_engine({db_url!r})
        with engine.begin() as conn:
            conn.exec_driver_sql({sql!r})
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def _check_external_changes_are_seen(runtime, db_url: str) -> None:
    engine = runtime.engine
    engine.apply_event(Stage(product_id="tee-classic", ts=0))
    assert _ask(runtime, "白色XL码还有吗") == "有的,白色XL码还有6件"
    reloads = engine.live.reloads
    assert _ask(runtime, "白色XL码还有吗") == "有的,白色XL码还有6件"
    assert engine.live.reloads == reloads  # nothing changed: served from memory, no re-read

    _external_sql(db_url, "UPDATE variants SET stock = 0 WHERE sku = 'TEE-WHT-XL'")
    sold_out = _ask(runtime, "白色XL码还有吗")
    assert sold_out is not None and sold_out.startswith("白色XL码刚售罄"), sold_out
    assert engine.live.reloads == reloads and engine.live.refreshes >= 1  # one product re-read, not the shop

    _external_sql(db_url, "UPDATE variants SET stock = 3 WHERE sku = 'TEE-WHT-XL'")
    assert _ask(runtime, "白色XL码还有吗") == "有的,白色XL码还有3件"

    # this process's own order moves the clock too
    assert engine.apply_event(Order(order_id="o-live-1", sku="TEE-WHT-XL", qty=3, ts=1)).startswith("order")
    sold_out = _ask(runtime, "白色XL码还有吗")
    assert sold_out is not None and sold_out.startswith("白色XL码刚售罄"), sold_out


def test_sqlite_external_stock_change_is_seen_by_the_next_answer(tmp_path, embedder) -> None:
    db_url = f"sqlite:///{tmp_path}/live.db"
    runtime = _runtime(db_url, tmp_path, embedder)
    try:
        _check_external_changes_are_seen(runtime, db_url)
    finally:
        runtime.store.close()


def test_postgres_external_stock_change_is_seen_by_the_next_answer(postgres_url, tmp_path, embedder) -> None:
    runtime = _runtime(postgres_url, tmp_path, embedder)
    try:
        _check_external_changes_are_seen(runtime, postgres_url)
    finally:
        runtime.store.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_the_clock_triggers_exist_after_migration(kind, tmp_path, request) -> None:
    url = f"sqlite:///{tmp_path}/m.db" if kind == "sqlite" else request.getfixturevalue("postgres_empty_url")
    store = CatalogStore(url)  # migrates the empty database
    try:
        before = store.stock_clock()
        import_catalog(store, ROOT / "data/catalog.yaml")
        assert store.stock_clock() > before
    finally:
        store.close()
