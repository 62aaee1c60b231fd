"""`catalog.store.CatalogStore` is one facade composed of a class per concern (catalog/store/*.py): the split must
not lose, add or shadow a method, and every part keeps one job (a docstring saying it) at a readable size."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import catalog.store
from catalog.store import CatalogStore
from catalog.store.base import StoreBase

# The public methods of CatalogStore as catalog/store.py had them before the split (commit 91f96cf), one per line so a
# lost method shows by name. A new public method belongs here too.
PUBLIC_METHODS = {
    "add_example",
    "apply_order",
    "catalog_version",
    "close",
    "comment_counts",
    "comments",
    "currency",
    "delete_faq",
    "delete_product",
    "edit_version",
    "faq_examples",
    "import_stocks",
    "last_restock",
    "load_catalog",
    "orders",
    "product",
    "products",
    "products_by_id",
    "products_changed_since",
    "record_comment",
    "record_comments",
    "record_replies",
    "record_reply",
    "replies",
    "reset_session",
    "sales_summary",
    "set_comment_outcome",
    "set_comment_outcomes",
    "set_currency",
    "set_stock",
    "set_stocks",
    "set_synonyms",
    "snapshot",
    "stock_changes_since",
    "stock_clock",
    "unfinished_comments",
    "upsert_faq",
    "upsert_product",
    "variant",
}
# What other catalog modules (accounts, control, reports, room_rules) call on a store.
SHARED_PLUMBING = {"_read", "_write", "_read_one", "_write_one", "_insert_ignore", "_retrying", "__enter__", "__exit__"}
EXPORTS = ["CatalogError", "CatalogStore", "CommentRecord", "OrderResult", "ProductSales", "ReplyRecord", "StaleEdit",
           "UnknownSKUError"]
PARTS_DIR = Path(catalog.store.__file__).parent
MAX_LINES = 450


def test_the_facade_has_every_public_method_of_the_old_store_and_no_other() -> None:
    public = {name for name in dir(CatalogStore) if not name.startswith("_")}
    assert PUBLIC_METHODS - public == set(), "methods lost in the split"
    assert public - PUBLIC_METHODS == set(), "new public names: list them in PUBLIC_METHODS if they are meant"
    for name in PUBLIC_METHODS | SHARED_PLUMBING:
        assert callable(getattr(CatalogStore, name)), name


def test_no_method_is_defined_by_two_parts() -> None:
    """A name defined in two mixins would be shadowed silently by the method resolution order."""
    parts = [cls for cls in CatalogStore.__mro__ if issubclass(cls, StoreBase)]
    assert len(parts) >= 5  # the base and one class per concern
    owner: dict[str, str] = {}
    for cls in parts:
        for name, value in vars(cls).items():
            if callable(value) and not name.startswith("__"):
                assert name not in owner, f"{name} in both {owner[name]} and {cls.__name__}"
                owner[name] = cls.__name__
    assert PUBLIC_METHODS | (SHARED_PLUMBING - {"__enter__", "__exit__"}) <= set(owner)
    assert set(vars(CatalogStore)) <= {"__doc__", "__module__", "__qualname__", "__firstlineno__",
                                       "__static_attributes__"}  # the facade itself adds nothing


def test_the_old_imports_still_work() -> None:
    assert sorted(catalog.store.__all__) == sorted(EXPORTS)
    for name in EXPORTS:
        assert getattr(catalog.store, name) is not None
    assert inspect.isfunction(catalog.store._comment_record)  # catalog.reports imports it from catalog.store


def test_every_part_has_one_job_said_in_a_docstring_and_stays_small() -> None:
    files = sorted(PARTS_DIR.glob("*.py"))
    assert len(files) >= 6
    for path in files:
        source = path.read_text(encoding="utf-8")
        assert ast.get_docstring(ast.parse(source)), f"{path.name} has no module docstring"
        assert len(source.splitlines()) <= MAX_LINES, f"{path.name} has more than {MAX_LINES} lines"
