"""Stock writes racing a replace import on PostgreSQL (READ COMMITTED).

`load_catalog(replace=True)` (`livereply catalog import`, the console's replace upload) deletes every variant row and
inserts it again (keeping the live stock of the variants still in the file, the default). A stock write that needs a
variant row — `set_stock(s)` (console, stock events from the room), a stock CSV import, an order — and waits for the
import's row lock finds the old row deleted: a locking read skips it, although the import's new row with the same SKU
is committed by then. Each test holds the import open deterministically (tests/pg_races.py): the stock write is
started and seen waiting for the import (`pg_blocking_pids`) before the import may commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text

from catalog.io import CatalogFileError, CatalogImport, import_catalog, import_catalog_report, import_stock_csv
from catalog.store import CatalogStore, UnknownSKUError
from tests.pg_races import (
    CATALOG,
    PRODUCT,
    SKU,
    Running,
    backend_pid,
    catalog_without_sku,
    import_held_open,
    start,
    waiting_for,
)


@pytest.fixture
def store(postgres_url: str) -> Iterator[CatalogStore]:
    """The demo catalog in a fresh PostgreSQL schema."""
    s = CatalogStore(postgres_url)
    import_catalog(s, CATALOG)
    yield s
    s.close()


@pytest.fixture
def engine(postgres_url: str) -> Iterator[Engine]:
    """Connections of other writers, and for watching who waits for whom."""
    eng = create_engine(postgres_url)
    yield eng
    eng.dispose()


@pytest.fixture
def without_sku(tmp_path: Path) -> Path:
    return catalog_without_sku(tmp_path)


def _during_import(
    store: CatalogStore, engine: Engine, path: Path, write: Callable[[], Any], *, keep_stock: bool = True
) -> tuple[Running, CatalogImport]:
    """Run `write` while a replace import of `path` is open, seen waiting for the import; both finished."""
    with import_held_open(store, engine, path, keep_stock=keep_stock) as held:
        writer = start(write)
        waiting_for(engine, held.pid, writer)
    report = held.running.result()
    writer.thread.join(60)
    return writer, report


def _stock(store: CatalogStore, sku: str = SKU) -> int:
    product = store.product(PRODUCT)
    assert product is not None
    return next(v.stock for v in product.variants if v.sku == sku)


def _csv(tmp_path: Path, row: str) -> Path:
    path = tmp_path / "stock.csv"
    path.write_text(f"sku,stock\n{row}\n", encoding="utf-8")
    return path


# the stock writes that look a SKU up: (name, write(store, tmp_path), expected stock from the stock before)
WRITES: dict[str, tuple[Callable[[CatalogStore, Path], Any], Callable[[int], int]]] = {
    "set_stock": (lambda store, _tmp: store.set_stock(SKU, 0), lambda _before: 0),
    "set_stocks": (lambda store, _tmp: store.set_stocks({SKU: 0, "A1-PINK": 4}), lambda _before: 0),
    "stock_csv_delta": (lambda store, tmp: import_stock_csv(store, _csv(tmp, f"{SKU},-2"), mode="delta"),
                        lambda before: before - 2),
    "stock_csv_set": (lambda store, tmp: import_stock_csv(store, _csv(tmp, f"{SKU},0"), mode="set"),
                      lambda _before: 0),
    "order": (lambda store, _tmp: store.apply_order("o-during-import", SKU, 1), lambda before: before - 1),
}


@pytest.mark.parametrize("keep_stock", [True, False], ids=["keep-live-stock", "stock-from-file"])
@pytest.mark.parametrize("name", list(WRITES))
def test_a_stock_write_waiting_for_a_replace_import_is_applied_to_the_new_row(
    store: CatalogStore, engine: Engine, tmp_path: Path, name: str, keep_stock: bool
) -> None:
    """It was refused "unknown SKU" (an order: "insufficient stock" / "unknown sku" before yesterday's fix) although
    the import keeps the SKU: a sold-out staff set during the import was lost and the variant stayed on sale."""
    write, expected = WRITES[name]
    store.set_stock(SKU, 9)  # live stock differing from the file's 30
    writer, report = _during_import(store, engine, CATALOG, lambda: write(store, tmp_path), keep_stock=keep_stock)
    outcome = writer.result()
    # the write came after the import, on the import's row: applied over the kept stock (or the file's stock)
    before = 9 if keep_stock else 30
    if name == "order":
        assert outcome.ok and outcome.reason is None and outcome.remaining == expected(before)
    assert _stock(store) == expected(before)
    assert [(d.sku, d.live, d.file) for d in report.stock_differences if d.sku == SKU] == [(SKU, 9, 30)]


@pytest.mark.parametrize("name", ["set_stock", "set_stocks", "stock_csv_delta", "order"])
def test_a_sku_the_replace_import_removed_is_still_refused(
    store: CatalogStore, engine: Engine, tmp_path: Path, without_sku: Path, name: str
) -> None:
    write, _expected = WRITES[name]
    writer, _report = _during_import(store, engine, without_sku, lambda: write(store, tmp_path))
    if name in ("set_stock", "set_stocks"):
        with pytest.raises(UnknownSKUError, match=f"unknown SKU '{SKU}'"):
            writer.result()
        assert _stock(store, "A1-PINK") == 5  # set_stocks is all or nothing
    elif name == "order":
        result = writer.result()
        assert not result.ok and result.reason == "unknown sku" and result.remaining is None
    else:
        with pytest.raises(CatalogFileError, match=f"unknown SKU '{SKU}'"):
            writer.result()
    assert SKU not in {v.sku for v in store.snapshot().products[PRODUCT].variants}


@pytest.mark.parametrize("keep_stock", [True, False], ids=["keep-live-stock", "stock-from-file"])
def test_a_stock_write_the_import_waits_for_is_kept_or_listed(store: CatalogStore, engine: Engine, keep_stock: bool) -> None:
    """A stock write in progress when the import starts (staff setting sold-out): the import reads the live stock
    under lock, so it waits for the write and keeps its result instead of the file's 30 (the default) — or, with
    --stock-from-file, lists the sold-out it overwrote (it listed the stock from before the write)."""
    store.set_stock(SKU, 9)
    with engine.connect() as staff:
        staff.execute(text("UPDATE variants SET stock = 0 WHERE sku = :sku"), {"sku": SKU})
        staff_pid = backend_pid(staff)
        running = start(lambda: import_catalog_report(store, CATALOG, replace=True, keep_stock=keep_stock))
        waiting_for(engine, staff_pid, running)
        staff.commit()
    report = running.result()
    assert _stock(store) == (0 if keep_stock else 30)
    assert [(d.sku, d.live, d.file) for d in report.stock_differences if d.sku == SKU] == [(SKU, 0, 30)]


def test_a_replace_import_waiting_for_another_keeps_the_live_stock(store: CatalogStore, engine: Engine) -> None:
    """Two replace imports at once (the console's upload and the command line): the second one's read of the live
    stock waited for the first, found the first one's rows deleted and took the file's stock instead — a variant
    sold out during the show was on sale again."""
    store.set_stock(SKU, 0)
    with import_held_open(store, engine, CATALOG) as first:
        second = start(lambda: import_catalog_report(store, CATALOG, replace=True, keep_stock=True))
        waiting_for(engine, first.pid, second)
    first.running.result()
    report = second.result()
    assert _stock(store) == 0
    assert [(d.sku, d.live, d.file) for d in report.stock_differences if d.sku == SKU] == [(SKU, 0, 30)]


def _replace_variant(conn: Any, sku: str) -> None:
    """What a replace import does to one variant row, uncommitted: deleted and inserted again with the same SKU."""
    conn.execute(text("CREATE TEMP TABLE IF NOT EXISTS moved AS SELECT * FROM variants WITH NO DATA"))
    conn.execute(text("DELETE FROM moved"))
    conn.execute(text("INSERT INTO moved SELECT * FROM variants WHERE sku = :sku"), {"sku": sku})
    conn.execute(text("DELETE FROM variants WHERE sku = :sku"), {"sku": sku})
    conn.execute(text("INSERT INTO variants SELECT * FROM moved"))


def test_a_stock_write_whose_re_read_waited_for_a_second_import_finds_the_sku(store: CatalogStore, engine: Engine) -> None:
    """Two replace imports in a row: the stock write's first read skipped the row the first import deleted, and its
    re-read waited for the second import, which replaced that import's row again: it found nothing and gave up,
    'unknown SKU' (an order: refused for good) for a SKU both imports keep."""
    first, moved = "A1-GREY", "A1-PINK"  # the write locks `first` before `moved` (index and table order)
    with engine.connect() as staff, engine.connect() as import1, engine.connect() as import2:
        staff.execute(text("UPDATE variants SET stock = stock WHERE sku = :sku"), {"sku": first})
        staff_pid = backend_pid(staff)
        _replace_variant(import1, moved)
        writer = start(lambda: store.set_stocks({first: 3, moved: 4}))
        waiting_for(engine, staff_pid, writer)  # its first read waits on `first`; `moved`'s old row is deleted
        import1.commit()
        _replace_variant(import2, moved)  # the second import takes the first one's row before the write gets to it
        import2_pid = backend_pid(import2)
        staff.commit()  # the first read skips the deleted `moved`; its re-read waits for the second import
        waiting_for(engine, import2_pid, writer)
        import2.commit()
    assert set(writer.result()) == {first, moved}
    assert _stock(store, first) == 3 and _stock(store, moved) == 4
