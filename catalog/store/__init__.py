"""CatalogStore: every SQL query LiveReply makes (catalog, live stock, orders, comment and reply logs).

Nothing outside `catalog/` writes SQL; callers get and give the frozen dataclasses of `catalog.snapshot`.

This module is the facade: `CatalogStore` is composed of one class per concern, each in its own module with its
guarantees in its docstring; callers import from here only.

| module | job |
|---|---|
| `base.py` | engine, migrations, retried transactions (`_read`, `_write`, `_*_one`), `_insert_ignore`, `_bump_version` |
| `catalog_reads.py` | snapshot (incremental), products with live stock, stock clock, versions |
| `catalog_writes.py` | product / FAQ / example / currency / synonym edits and catalog loads, bumping the version |
| `validation.py` | checks of a product or FAQ before it is written (`catalog.rules`, templates, size charts) |
| `stock_ledger.py` | orders (one conditional UPDATE, once per order id), stock changes and imports, sales figures |
| `comment_journal.py` | comment and reply logs (a batch in one statement each way), outcomes, session reset |
| `records.py`, `rows.py` | the values and errors handed out; row ↔ snapshot value conversion |
"""

from __future__ import annotations

from catalog.errors import CatalogError
from catalog.store.catalog_reads import CatalogReads
from catalog.store.catalog_writes import CatalogWrites
from catalog.store.comment_journal import CommentJournal
from catalog.store.comment_journal import _comment_record as _comment_record  # used by catalog.reports
from catalog.store.records import CommentRecord, OrderResult, ProductSales, ReplyRecord, StaleEdit, UnknownSKUError
from catalog.store.stock_ledger import StockLedger

__all__ = [
    "CatalogError",
    "CatalogStore",
    "CommentRecord",
    "OrderResult",
    "ProductSales",
    "ReplyRecord",
    "StaleEdit",
    "UnknownSKUError",
]


class CatalogStore(CatalogReads, CatalogWrites, StockLedger, CommentJournal):
    """The catalog database. `url` defaults to `sqlite:///var/livereply.db`; migrations run on creation."""
