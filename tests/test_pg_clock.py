"""PostgreSQL's stock clock ticks once per transaction, at commit (migrations 0015 and 0016): a long catalog write (an
import during a live show) no longer holds the clock row, so orders and stock edits from other connections go on;
change marks are rows of the writing transaction until its commit, so writers of the same products never deadlock on
them; ticks stay in commit order, and no pending mark outlives its transaction."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, text

from catalog.io import import_catalog
from catalog.store import CatalogStore

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def empty_store(postgres_url: str) -> Iterator[CatalogStore]:
    store = CatalogStore(postgres_url)
    yield store
    store.close()


@pytest.fixture
def store(empty_store: CatalogStore) -> CatalogStore:
    """The demo catalog in a fresh PostgreSQL schema."""
    import_catalog(empty_store, ROOT / "data/catalog.yaml")
    return empty_store


@pytest.fixture
def engine(postgres_url: str) -> Iterator[Engine]:
    """Raw connections of other writers (another process, a console, raw SQL)."""
    eng = create_engine(postgres_url)
    yield eng
    eng.dispose()


def _new_faq(conn: Connection, faq_id: str) -> None:
    position = conn.execute(text("SELECT coalesce(max(position), 0) + 1 FROM faqs")).scalar_one()
    conn.execute(
        text(
            "INSERT INTO faqs (id, product_id, intent, answer_zh, answer_en, answers_extra, updated_at, position,"
            " edit_version) VALUES (:id, NULL, 'ask_x', '好的', 'ok', '{}', 0, :pos, 1)"
        ),
        {"id": faq_id, "pos": position},
    )
    conn.execute(
        text("INSERT INTO faq_questions (faq_id, text, lang, source, created_at) VALUES (:id, :q, 'zh', 'catalog', 0)"),
        {"id": faq_id, "q": f"{faq_id} 怎么样"},
    )


def _faqs_changed_since(engine: Engine, tick: int) -> set[str]:
    """What a catalog snapshot re-reads (catalog/store/catalog_reads.py): FAQs whose change tick is past ``tick``."""
    with engine.connect() as conn:
        return set(conn.execute(text("SELECT faq_id FROM faq_changes WHERE tick > :t"), {"t": tick}).scalars())


def test_a_stock_write_does_not_wait_for_an_open_catalog_transaction(store: CatalogStore, engine: Engine) -> None:
    products = list(store.snapshot().products.values())
    sku, other = products[0].variants[0].sku, products[1].id
    with engine.connect() as conn:
        conn.execute(text("BEGIN"))
        _new_faq(conn, "held-open")  # a catalog import in progress (other rows than the stock edit's): written, not committed
        conn.execute(text("UPDATE products SET updated_at = updated_at + 1 WHERE id = :id"), {"id": other})
        done = threading.Event()

        def stock_edit() -> None:
            store.set_stock(sku, 7)
            done.set()

        worker = threading.Thread(target=stock_edit, daemon=True)
        worker.start()
        # before 0015 the clock row was locked by the open transaction until its commit: this waited forever
        assert done.wait(30), "the stock write waited for the open catalog transaction"
        before = store.stock_clock()
        conn.execute(text("COMMIT"))
    assert store.stock_clock() > before  # the import's commit ticks the clock ...
    assert "held-open" in store.snapshot().faqs  # ... and its FAQ is in the next snapshot


def test_ticks_follow_commit_order_and_no_pending_mark_survives(store: CatalogStore, engine: Engine) -> None:
    with engine.connect() as first, engine.connect() as second:
        first.execute(text("BEGIN"))
        _new_faq(first, "first-open")  # written first, committed last
        second.execute(text("BEGIN"))
        _new_faq(second, "second")
        second.execute(text("COMMIT"))
        seen = store.stock_clock()  # a reader catches up with what is committed so far
        changed = _faqs_changed_since(engine, seen - 1)
        assert "second" in changed and "first-open" not in changed
        first.execute(text("COMMIT"))
    # the transaction that committed later has the later tick: a reader past `seen` still finds its change
    assert _faqs_changed_since(engine, seen) == {"first-open"}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM faq_changes WHERE tick < 0")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM product_changes WHERE tick < 0")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM clock_pending")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM pending_changes")).scalar_one() == 0


def test_a_whole_import_is_one_tick_and_every_mark_is_stamped(empty_store: CatalogStore, engine: Engine) -> None:
    before = empty_store.stock_clock()
    import_catalog(empty_store, ROOT / "data/catalog.yaml")
    after = empty_store.stock_clock()
    assert after == before + 1  # one transaction, one tick (was one per written row)
    with engine.connect() as conn:
        ticks = conn.execute(text("SELECT DISTINCT tick FROM faq_changes")).scalars().all()
        assert ticks == [after]
        assert conn.execute(text("SELECT DISTINCT tick FROM product_changes")).scalars().all() == [after]


def test_writes_after_an_early_constraint_check_are_stamped_too(store: CatalogStore, engine: Engine) -> None:
    """SET CONSTRAINTS ALL IMMEDIATE fires the commit trigger early; later writes of the same transaction register
    it again, so their marks are stamped at the real commit instead of staying pending (invisible) forever."""
    start = store.stock_clock()
    with engine.begin() as conn:
        _new_faq(conn, "early")
        conn.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
        _new_faq(conn, "late")
    assert {"early", "late"} <= _faqs_changed_since(engine, start)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM faq_changes WHERE tick < 0")).scalar_one() == 0


def test_writers_of_different_variants_of_the_same_products_do_not_deadlock(store: CatalogStore, engine: Engine) -> None:
    """Two transactions writing one variant of product P and one of Q each, in opposite order (an order for two
    items beside a stock event): their change marks are rows of their own (migration 0016), so neither waits for the
    other. With marks in the shared per-product row (0015) the second statements waited on each other: deadlock."""
    two = [p for p in store.snapshot().products.values() if len(p.variants) >= 2][:2]
    (p1, p2), (q1, q2) = (v.sku for v in two[0].variants[:2]), (v.sku for v in two[1].variants[:2])
    stock = text("UPDATE variants SET stock = stock + 1 WHERE sku = :sku")
    with engine.connect() as first, engine.connect() as second:
        for conn in (first, second):
            conn.execute(text("SET lock_timeout = '5s'"))  # a wait fails the test instead of hanging it
        first.execute(stock, {"sku": p1})
        second.execute(stock, {"sku": q1})
        first.execute(stock, {"sku": q2})
        second.execute(stock, {"sku": p2})
        before = store.stock_clock()
        first.commit()
        second.commit()
    assert store.stock_clock() == before + 2
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM pending_changes")).scalar_one() == 0
        ticks: dict[str, int] = dict(conn.execute(text("SELECT product_id, tick FROM product_changes")).all())
    assert ticks[two[0].id] > before and ticks[two[1].id] > before


def test_a_statement_that_changes_no_row_does_not_tick_the_clock(store: CatalogStore, engine: Engine) -> None:
    """A refused order (its stock UPDATE matches no row) must not make every bot re-read the products."""
    before = store.stock_clock()
    with engine.begin() as conn:
        conn.execute(text("UPDATE variants SET stock = stock - 1 WHERE sku = 'no-such-sku' AND stock >= 1"))
        conn.execute(text("DELETE FROM faqs WHERE id = 'no-such-faq'"))
    assert store.stock_clock() == before


def test_an_order_waiting_for_an_import_that_replaced_its_variant_is_taken(store: CatalogStore, engine: Engine) -> None:
    """A replace import deletes and re-inserts the variant rows (keeping their live stock). An order for one of them
    waits for the import's lock; when the import commits, PostgreSQL (READ COMMITTED) finds the old row gone, so the
    order's UPDATE changed nothing while the row it then read had stock: the order was recorded "insufficient stock"
    and the sale lost (the bot then announced one unit too many). It is taken from the new row."""
    sku = "A1-GREY"
    before = store.snapshot().products["stroller-a1"]
    stock = next(v.stock for v in before.variants if v.sku == sku)
    assert stock >= 1
    results: list = []
    with engine.connect() as conn:
        tx = conn.begin()
        conn.execute(text("CREATE TEMP TABLE kept AS SELECT * FROM variants WHERE sku = :sku"), {"sku": sku})
        conn.execute(text("DELETE FROM variants WHERE sku = :sku"), {"sku": sku})
        conn.execute(text("INSERT INTO variants SELECT * FROM kept"))
        order = threading.Thread(target=lambda: results.append(store.apply_order("o-during-import", sku, 1)))
        order.start()
        order.join(1.0)
        assert order.is_alive()  # waiting for the import's row lock
        tx.commit()
    order.join(30)
    assert len(results) == 1
    result = results[0]
    assert result.ok and result.reason is None and result.remaining == stock - 1
    after = store.snapshot().products["stroller-a1"]
    assert next(v.stock for v in after.variants if v.sku == sku) == stock - 1
