"""Products with live stock, served from memory and kept exact by the database's stock clock.

Answers need live stock ("XL刚售罄,L码还有12件"), and reading it per answer cost two SQL queries per comment
(a third of the engine's time on the demo show). `LiveProducts` holds every product with its variants in memory and
re-reads them only when the ``stock_clock`` counter moved (migration 0009: triggers on ``products`` and ``variants``
bump it whatever wrote — this process's orders and stock events, the console, another worker, raw SQL).

The counter is read once per batch of comments (`begin_batch` marks it due; the first product read of the batch
reads it: one single-row SELECT); when it moved, only the products changed since (``product_changes``, written by
the same triggers) are re-read — an order re-reads one product, not a 1,000-product shop (400 ms). So a change
committed before a batch starts is always seen by that batch's answers: a sold-out variant is never answered as
available from an old copy. A change committed *during* a batch is seen by the next one — the same window as
reading the row a few milliseconds before rendering.

Database errors propagate (SQLAlchemyError): the engine hands the comment to staff rather than guess stock.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from typing import Protocol

from catalog.snapshot import ProductInfo

__all__ = ["LiveProducts", "ProductSource"]

log = logging.getLogger(__name__)


class ProductSource(Protocol):
    """Where the copy comes from (`CatalogStore` in production, an in-memory fake in the fast tests)."""

    def products(self) -> Mapping[str, ProductInfo]: ...

    def stock_clock(self) -> int: ...

    def products_changed_since(self, tick: int) -> Sequence[str]: ...

    def products_by_id(self, product_ids: Sequence[str]) -> Mapping[str, ProductInfo]: ...


# Above this many changed products a whole re-read (two queries) is cheaper than re-reading them by id.
FULL_RELOAD_ABOVE = 200


class LiveProducts:
    """Every product with live stock, from memory; re-read when the stock clock moved (checked once per batch):
    only the products changed since the last check, or all of them after `invalidate` or a mass change."""

    def __init__(self, source: ProductSource) -> None:
        self._source = source
        self._lock = threading.Lock()
        self._ticks: int | None = None
        self._products: Mapping[str, ProductInfo] = {}
        self._due = True
        self.reloads = 0  # whole re-reads
        self.refreshes = 0  # partial re-reads (some products)

    def begin_batch(self) -> None:
        """The next read checks the stock clock (call before each batch of comments)."""
        self._due = True

    def invalidate(self) -> None:
        """Forget the copy: the next read re-reads every product (after a catalog reload)."""
        with self._lock:
            self._ticks = None
            self._due = True

    def products(self) -> Mapping[str, ProductInfo]:
        """Every product, as of the last clock check (read-only mapping; do not mutate)."""
        if self._due:
            self._refresh()
        return self._products

    def product(self, product_id: str) -> ProductInfo | None:
        return self.products().get(product_id)

    def _refresh(self) -> None:
        with self._lock:
            if not self._due:
                return
            # The clock first: a write committed after this read moves it again and is re-read next time. Ticks are
            # handed out under the clock row's lock, held to commit, so every change up to `ticks` is visible now.
            ticks = self._source.stock_clock()
            if ticks != self._ticks:
                changed = None if self._ticks is None else list(self._source.products_changed_since(self._ticks))
                if changed is None or len(changed) > FULL_RELOAD_ABOVE:
                    self._products = dict(self._source.products())
                    self.reloads += 1
                elif changed:
                    fresh = self._source.products_by_id(changed)
                    gone = set(changed) - set(fresh)  # deleted products
                    merged = {pid: fresh.get(pid, p) for pid, p in self._products.items() if pid not in gone}
                    merged.update((pid, p) for pid, p in fresh.items() if pid not in merged)  # new products last
                    self._products = merged
                    self.refreshes += 1
                log.debug("live products: clock %s → %d, %s", self._ticks, ticks, "all" if changed is None else changed)
                self._ticks = ticks
            self._due = False
