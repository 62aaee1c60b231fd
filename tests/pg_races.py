"""Helpers of the tests that race catalog writes against a replace import on real PostgreSQL (READ COMMITTED).

A call under test runs in a thread (`start`); the test sees it waiting for another backend's lock
(`waiting_for`, from `pg_blocking_pids`) before it lets that backend go on, so every interleaving is deterministic
(no sleeps as synchronisation). `import_held_open` holds a replace import before its commit: a second connection
holds the `catalog_meta` row, which the import updates last (its version bump), after it has deleted and
re-inserted every product, variant and FAQ.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from catalog.io import import_catalog_report
from catalog.store import CatalogStore

CATALOG = Path(__file__).resolve().parents[1] / "data/catalog.yaml"
SKU, PRODUCT = "A1-GREY", "stroller-a1"  # a variant of the demo catalog and its product


def catalog_without_sku(directory: Path) -> Path:
    """The demo catalog without the variant SKU (its product keeps its other variants) and its colour's synonyms,
    written to `directory`."""
    lines = CATALOG.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.strip() == f"- sku: {SKU}")
    assert lines[first + 2].strip().startswith("stock:")
    kept = [line for line in lines[:first] + lines[first + 3:] if not line.strip().startswith("雾霾灰:")]
    assert len(kept) == len(lines) - 4
    path = directory / "catalog.yaml"
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


def start(fn: Callable[[], Any]) -> Running:
    running = Running(threading.Thread(target=lambda: None, daemon=True))

    def run() -> None:
        try:
            running.outcome["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test by result()
            running.outcome["error"] = exc

    running.thread = threading.Thread(target=run, daemon=True)
    running.thread.start()
    return running


def backend_pid(conn: Any) -> int:
    return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def waiting_for(engine: Engine, pid: int, running: Running) -> int:
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
        running = start(lambda: import_catalog_report(store, path, replace=True, keep_stock=keep_stock))
        held = HeldImport(waiting_for(engine, backend_pid(holder), running), running)
        try:
            yield held
        finally:
            holder.rollback()
            running.thread.join(60)
