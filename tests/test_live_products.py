"""The engine's in-memory copy of products and live stock (catalog/live.py) follows every stock change: its own
orders, and writes by another process in raw SQL (the stock clock triggers of migration 0009), on SQLite and
PostgreSQL — and it is re-read only when something changed."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

from bot.bootstrap import build_runtime, ensure_catalog, open_store
from bot.config import Settings
from bot.messages import Comment, Order, Stage
from catalog.io import import_catalog
from catalog.live import LiveProducts
from catalog.snapshot import ProductInfo
from catalog.store import CatalogStore

ROOT = Path(__file__).resolve().parents[1]


class CountingSource:
    """A product source whose clock the test moves by hand; counts what was read."""

    def __init__(self) -> None:
        self.ticks = 0
        self.clock_reads = 0
        self.product_reads = 0

    def products(self) -> Mapping[str, ProductInfo]:
        self.product_reads += 1
        return {}

    def stock_clock(self) -> int:
        self.clock_reads += 1
        return self.ticks


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
    source.ticks += 1
    live.product("z")
    assert source.product_reads == 1  # not due until the next batch
    live.begin_batch()
    live.product("z")
    assert (source.clock_reads, source.product_reads) == (3, 2)
    live.invalidate()
    live.product("z")
    assert source.product_reads == 3


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
    for kind in ("update", "insert", "delete", "product"):
        before = store.stock_clock()
        with store.engine.begin() as conn:
            conn.exec_driver_sql(statements[kind])
        assert store.stock_clock() > before, kind
    store.close()


# ----------------------------------------------------------------------------------- through the real engine


def _runtime(db_url: str, tmp_path: Path, embedder):
    settings = Settings.load(
        {"db": db_url, "index_dir": str(tmp_path / "index"), "catalog": str(ROOT / "data/catalog.yaml")}, env={}
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
    url = f"sqlite:///{tmp_path}/m.db" if kind == "sqlite" else request.getfixturevalue("postgres_url")
    store = CatalogStore(url)
    try:
        before = store.stock_clock()
        import_catalog(store, ROOT / "data/catalog.yaml")
        assert store.stock_clock() > before
    finally:
        store.close()
