"""Writes that lock several variant rows on PostgreSQL lock them in one order, by SKU: no deadlock among them.

A locking read locks rows in the order its plan reads them: an index scan by SKU, a sequential scan where the rows
are stored (an updated row moves). A few SKUs of a large table are read by index, a whole stock CSV sequentially, so
two stock writes over the same variants could lock them in opposite orders and deadlock (PostgreSQL aborted one after
`deadlock_timeout`, 1 s, and the store's retry ran it again). A product edit wrote its variants in the editor's order
and deadlocked the same way with a stock write. Here the plans are chosen for the demo catalog's small table with
the planner settings of each store's connections, and the rows' stored order is checked before each test; every
step is seen waiting for the lock it must wait for (`pg_blocking_pids`, tests/pg_races.py) before the next one goes.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from catalog.io import import_catalog
from catalog.store import CatalogStore
from tests.pg_races import CATALOG, PRODUCT, backend_pid, start, waiting_for

GREY, KHAKI, PINK = "A1-GREY", "A1-KHAKI", "A1-PINK"  # the product's variants, in SKU order (stored: GREY, PINK, KHAKI)


def _with_settings(url: str, settings: str) -> str:
    parsed = make_url(url)
    options = f"{parsed.query.get('options', '')} {settings}".strip()
    return parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)


@pytest.fixture
def store(postgres_url: str) -> Iterator[CatalogStore]:
    """The demo catalog in a fresh PostgreSQL schema; its connections read the variants sequentially."""
    s = CatalogStore(_with_settings(postgres_url, "-c enable_indexscan=off -c enable_bitmapscan=off"))
    import_catalog(s, CATALOG)
    yield s
    s.close()


@pytest.fixture
def by_index(postgres_url: str, store: CatalogStore) -> Iterator[CatalogStore]:
    """The same database through connections that read the variants by index (by SKU)."""
    s = CatalogStore(_with_settings(postgres_url, "-c enable_seqscan=off -c enable_bitmapscan=off"))
    yield s
    s.close()


@pytest.fixture
def engine(postgres_url: str) -> Iterator[Engine]:
    eng = create_engine(postgres_url)
    yield eng
    eng.dispose()


@pytest.fixture
def retries(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.WARNING, logger="catalog.store")
    return caplog


def _deadlocks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "deadlock" in r.getMessage()]


def _stored_order(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT sku FROM variants WHERE product_id = :p ORDER BY ctid"), {"p": PRODUCT})
        return [str(sku) for (sku,) in rows]


def _stock(store: CatalogStore) -> dict[str, int]:
    product = store.product(PRODUCT)
    assert product is not None
    return {v.sku: v.stock for v in product.variants}


def test_two_stock_writes_over_the_same_variants_do_not_deadlock(
    store: CatalogStore, by_index: CatalogStore, engine: Engine, retries: pytest.LogCaptureFixture
) -> None:
    """A console set_stocks (read by index: GREY, KHAKI, PINK) held GREY and waited for KHAKI (an order under way);
    a stock CSV import (read sequentially: PINK, then GREY) held PINK and waited for GREY; the order ended, the
    console's write took KHAKI and waited for PINK: a deadlock."""
    before = _stock(store)
    store.set_stock(GREY, 9)  # the updated row is stored after the others
    assert _stored_order(engine) == [PINK, KHAKI, GREY]
    with engine.connect() as order:
        order.execute(text("UPDATE variants SET stock = stock - 1 WHERE sku = :sku"), {"sku": KHAKI})
        console = start(lambda: by_index.set_stocks({GREY: 1, KHAKI: 2, PINK: 3}))
        console_pid = waiting_for(engine, backend_pid(order), console)
        csv = start(lambda: store.import_stocks({PINK: 4, GREY: 5}, reason="csv"))
        waiting_for(engine, console_pid, csv)
        order.commit()
    assert console.result() == {GREY: 9, KHAKI: before[KHAKI] - 1, PINK: before[PINK]}
    plan, problems = csv.result()
    assert problems == {} and plan == {PINK: (3, 4, 0), GREY: (1, 5, 0)}  # after the console's write
    assert _stock(store) == {GREY: 5, KHAKI: 2, PINK: 4}
    assert _deadlocks(retries) == []


def test_a_product_edit_and_a_stock_write_over_its_variants_do_not_deadlock(
    store: CatalogStore, engine: Engine, retries: pytest.LogCaptureFixture
) -> None:
    """An edit writing its variants in the editor's order (PINK moved to the front) held PINK and waited for GREY,
    which a set_stocks (locking GREY, KHAKI, PINK as stored) held while it waited for KHAKI (an order under way) and
    then for PINK: a deadlock."""
    before = _stock(store)
    store.set_stock(PINK, 6)  # the updated row is stored after the others
    assert _stored_order(engine) == [GREY, KHAKI, PINK]
    product = store.product(PRODUCT)
    assert product is not None
    moved = {v.sku: v for v in product.variants}
    edited = dataclasses.replace(product, category="baby-gear", variants=(moved[PINK], moved[GREY], moved[KHAKI]))
    with engine.connect() as order:
        order.execute(text("UPDATE variants SET stock = stock - 1 WHERE sku = :sku"), {"sku": KHAKI})
        writer = start(lambda: store.set_stocks({GREY: 1, KHAKI: 2, PINK: 3}))
        writer_pid = waiting_for(engine, backend_pid(order), writer)
        editor = start(lambda: store.upsert_product(edited, keep_stock=True))
        waiting_for(engine, writer_pid, editor)
        order.commit()
    assert writer.result() == {GREY: before[GREY], KHAKI: before[KHAKI] - 1, PINK: 6}
    editor.result()
    after = store.product(PRODUCT)
    assert after is not None and after.category == "baby-gear" and [v.sku for v in after.variants] == [PINK, GREY, KHAKI]
    assert _stock(store) == {GREY: 1, KHAKI: 2, PINK: 3}
    assert _deadlocks(retries) == []

