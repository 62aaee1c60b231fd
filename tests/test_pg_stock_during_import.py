"""Stock writes racing a replace import on PostgreSQL (READ COMMITTED).

`load_catalog(replace=True)` (`livereply catalog import`, the console's replace upload) deletes every variant row and
inserts it again (keeping the live stock of the variants still in the file, the default). A stock write that needs a
variant row — `set_stock(s)` (console, stock events from the room), a stock CSV import, an order — and waits for the
import's row lock finds the old row deleted: a locking read skips it, although the import's new row with the same SKU
is committed by then. Each test holds the import open deterministically: a second connection holds the
`catalog_meta` row, which the import updates last (its version bump), after it has deleted and re-inserted the
variants; the stock write is started and seen waiting for the import (`pg_blocking_pids`) before the import may commit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text

from catalog.io import CatalogFileError, CatalogImport, import_catalog, import_catalog_report, import_stock_csv
from catalog.store import CatalogStore, UnknownSKUError

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "data/catalog.yaml"
SKU, PRODUCT = "A1-GREY", "stroller-a1"


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
    """The demo catalog without the variant SKU (its product keeps its other variants) and its colour's synonyms."""
    lines = CATALOG.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- sku: {SKU}")
    assert lines[start + 2].strip().startswith("stock:")
    kept = [line for line in lines[:start] + lines[start + 3:] if not line.strip().startswith("雾霾灰:")]
    assert len(kept) == len(lines) - 4
    path = tmp_path / "catalog.yaml"
    path.write_text("".join(kept), encoding="utf-8")
    return path


@dataclass
class Running:
    """A call running in a thread: its result or the exception it raised."""

    thread: threading.Thread
    outcome: dict[str, Any] = field(default_factory=dict)

    def result(self) -> Any:
        self.thread.join(60)
        assert not self.thread.is_alive(), "still waiting"
        if "error" in self.outcome:
            raise self.outcome["error"]
        return self.outcome["value"]


def _start(fn: Callable[[], Any]) -> Running:
    running = Running(threading.Thread(target=lambda: None, daemon=True))

    def run() -> None:
        try:
            running.outcome["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test by result()
            running.outcome["error"] = exc

    running.thread = threading.Thread(target=run, daemon=True)
    running.thread.start()
    return running


def _waiting_for(engine: Engine, pid: int, running: Running) -> int:
    """The backend (pid) that waits for a lock held by backend `pid`, once there is one."""
    deadline = time.monotonic() + 30
    # autocommit: within a transaction, pg_stat_activity keeps showing what it showed first
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        while time.monotonic() < deadline:
            waiter = conn.execute(
                text("SELECT pid FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"), {"pid": pid}
            ).scalar()
            if waiter is not None:
                return int(waiter)
            assert running.thread.is_alive(), f"finished without waiting: {running.outcome}"
            time.sleep(0.01)
    raise AssertionError(f"nothing waited for backend {pid}")


@dataclass
class HeldImport:
    pid: int  # the import's backend
    running: Running


@contextmanager
def import_held_open(store: CatalogStore, engine: Engine, path: Path, *, keep_stock: bool = True) -> Iterator[HeldImport]:
    """A replace import of `path` in a thread, held before its commit (variants deleted and inserted again) until
    the block ends; then it commits and the block waits for it."""
    with engine.connect() as holder:
        holder.execute(text("SELECT version FROM catalog_meta WHERE id = 1 FOR UPDATE"))
        holder_pid = int(holder.execute(text("SELECT pg_backend_pid()")).scalar_one())
        running = _start(lambda: import_catalog_report(store, path, replace=True, keep_stock=keep_stock))
        held = HeldImport(_waiting_for(engine, holder_pid, running), running)
        try:
            yield held
        finally:
            holder.rollback()
            running.thread.join(60)


def _during_import(
    store: CatalogStore, engine: Engine, path: Path, write: Callable[[], Any], *, keep_stock: bool = True
) -> tuple[Running, CatalogImport]:
    """Run `write` while a replace import of `path` is open, seen waiting for the import; both finished."""
    with import_held_open(store, engine, path, keep_stock=keep_stock) as held:
        writer = _start(write)
        _waiting_for(engine, held.pid, writer)
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
        staff_pid = int(staff.execute(text("SELECT pg_backend_pid()")).scalar_one())
        running = _start(lambda: import_catalog_report(store, CATALOG, replace=True, keep_stock=keep_stock))
        _waiting_for(engine, staff_pid, running)
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
        second = _start(lambda: import_catalog_report(store, CATALOG, replace=True, keep_stock=True))
        _waiting_for(engine, first.pid, second)
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
        staff_pid = int(staff.execute(text("SELECT pg_backend_pid()")).scalar_one())
        _replace_variant(import1, moved)
        writer = _start(lambda: store.set_stocks({first: 3, moved: 4}))
        _waiting_for(engine, staff_pid, writer)  # its first read waits on `first`; `moved`'s old row is deleted
        import1.commit()
        _replace_variant(import2, moved)  # the second import takes the first one's row before the write gets to it
        import2_pid = int(import2.execute(text("SELECT pg_backend_pid()")).scalar_one())
        staff.commit()  # the first read skips the deleted `moved`; its re-read waits for the second import
        _waiting_for(engine, import2_pid, writer)
        import2.commit()
    assert set(writer.result()) == {first, moved}
    assert _stock(store, first) == 3 and _stock(store, moved) == 4
