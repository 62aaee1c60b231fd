"""Orders hammering one variant from two threads and from two processes never oversell and never go negative.

Runs against a real SQLite file and the real PostgreSQL at 127.0.0.1:5432 (database `test`, a fresh schema per
test). PostgreSQL being unreachable is a failure, not a skip: CI starts it.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from catalog.schema import OrderRecord
from catalog.snapshot import ProductInfo, VariantInfo
from catalog.store import CatalogStore

PG_URL = os.environ.get("LIVEREPLY_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
STOCK = 50
ORDERS = 200
SKU = "TEE-XL"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'orders.db'}"
    return request.getfixturevalue("postgres_url")


def _seed(url: str) -> CatalogStore:
    store = CatalogStore(url)
    store.upsert_product(
        ProductInfo(
            id="tee", name={"zh": "T恤", "en": "Tee"}, aliases=(), category="clothes", description={},
            price=Decimal("99"), tags=(), attributes={},
            variants=(
                VariantInfo(sku=SKU, product_id="tee", attrs={"size": "XL"}, stock=STOCK),
                VariantInfo(sku="TEE-L", product_id="tee", attrs={"size": "L"}, stock=7),
            ),
        )
    )
    return store


def _hammer(url: str, order_ids: list[str], barrier) -> list[tuple[bool, int | None, str | None]]:  # type: ignore[no-untyped-def]
    """One worker: its own CatalogStore (engine, connections), waiting for the others before ordering."""
    store = CatalogStore(url)
    try:
        barrier.wait(timeout=60)
        return [(r.ok, r.remaining, r.reason) for r in (store.apply_order(oid, SKU, 1) for oid in order_ids)]
    finally:
        store.close()


def _process_worker(url: str, order_ids: list[str], barrier, results) -> None:  # type: ignore[no-untyped-def]
    try:
        results.put(("ok", _hammer(url, order_ids, barrier)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent instead of dying silently
        results.put(("error", repr(exc)))


def _check(store: CatalogStore, results: list[tuple[bool, int | None, str | None]]) -> None:
    assert len(results) == ORDERS
    successes = [remaining for ok, remaining, _ in results if ok]
    failures = [reason for ok, _, reason in results if not ok]
    assert len(successes) == STOCK
    assert set(failures) == {"insufficient stock"}
    # every successful order saw a distinct stock level after its own decrement: 49, 48, ..., 0
    assert sorted(successes) == list(range(STOCK))
    assert all(remaining is not None and remaining >= 0 for _, remaining, _ in results)
    assert store.variant(SKU).stock == 0  # type: ignore[union-attr]
    assert store.variant("TEE-L").stock == 7  # type: ignore[union-attr]  # other variants untouched
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(OrderRecord)).scalar_one() == ORDERS
        ok_rows = conn.execute(select(func.count()).where(OrderRecord.ok.is_(True))).scalar_one()
        assert ok_rows == STOCK
    sales = {s.product_id: s for s in store.sales_summary()}
    assert sales["tee"].units_sold == STOCK
    assert sales["tee"].stock_start == STOCK + 7


@pytest.mark.timeout(120)
def test_two_threads_never_oversell(db_url: str) -> None:
    store = _seed(db_url)
    barrier = threading.Barrier(2)
    results: list[list[tuple[bool, int | None, str | None]]] = [[], []]
    errors: list[BaseException] = []

    def run(index: int) -> None:
        ids = [f"t{index}-{i}" for i in range(ORDERS // 2)]
        try:
            results[index] = _hammer(db_url, ids, barrier)
        except BaseException as exc:  # noqa: BLE001 - collected for the assert below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    assert not errors, errors
    _check(store, results[0] + results[1])
    store.close()


@pytest.mark.timeout(180)
def test_two_processes_never_oversell(db_url: str) -> None:
    store = _seed(db_url)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_process_worker, args=(db_url, [f"p{i}-{n}" for n in range(ORDERS // 2)], barrier, queue))
        for i in range(2)
    ]
    for p in procs:
        p.start()
    outcomes = [queue.get(timeout=150) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    _check(store, outcomes[0][1] + outcomes[1][1])
    store.close()


def test_same_order_id_from_two_threads_is_applied_once(db_url: str) -> None:
    store = _seed(db_url)
    barrier = threading.Barrier(4)
    results: list[tuple[bool, int | None, str | None]] = []
    lock = threading.Lock()

    def run() -> None:
        out = _hammer(db_url, [f"dup-{i}" for i in range(20)], barrier)
        with lock:
            results.extend(out)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 80
    assert all(ok for ok, _, _ in results)  # a replayed order reports the original outcome
    assert store.variant(SKU).stock == STOCK - 20  # type: ignore[union-attr]
    assert len(store.orders()) == 20
    store.close()
