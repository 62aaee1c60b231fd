"""Catalog writes that take several rows racing a replace import on PostgreSQL: no deadlock, a defined outcome.

A replace import (`livereply catalog import`, the console's replace upload) locks the variant rows of the file, then
deletes every FAQ, variant and product and inserts them again, in one transaction. A write that locked some of those
rows in another order deadlocked with it: a multi-SKU `set_stocks` holding a variant the import removes while waiting
for one it keeps, or a product edit holding the product row while waiting for a variant. PostgreSQL aborted one of
them after `deadlock_timeout` (1 s) and the store's retry ran it again. A product edit that came while the import was
open waited for the product row the import deleted and then found it gone: "'stroller-a1' no longer exists" for a
product the import had just inserted again, or without an opened-at version, a save that changed the variants and
silently dropped the product's own fields; FAQ edits likewise ("no longer exists", an added example question a
foreign-key error). Now the import locks the variants table first (`_catalog_lock`) and edits take the same lock
first: each waits for the other holding nothing.

Each interleaving is deterministic (tests/pg_races.py): every step is seen waiting on the lock it must wait for
(`pg_blocking_pids`) before the next one is let go. "No deadlock" is asserted on the store's retry log: a retried
deadlock is logged as "... failed (attempt 1/4), retrying ...: deadlock detected".
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from bot.config import Settings
from bot.console.auth import add_staff
from bot.console.server import create_app
from catalog.io import import_catalog, import_catalog_report
from catalog.snapshot import ProductInfo
from catalog.store import CatalogStore, StaleEdit, UnknownSKUError
from tests.console_forms import page_form, signed_in_client
from tests.pg_races import CATALOG, PRODUCT, SKU, backend_pid, catalog_without_sku, import_held_open, start, waiting_for

KEPT = "A1-PINK"  # a variant of the same product that every import here keeps


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
def retries(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.WARNING, logger="catalog.store")
    return caplog


def _deadlocks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "deadlock" in r.getMessage()]


def _product(store: CatalogStore) -> ProductInfo:
    product = store.product(PRODUCT)
    assert product is not None
    return product


def _edited(store: CatalogStore) -> ProductInfo:
    """What staff save from the product editor: a new name and price, the variants as they are."""
    product = _product(store)
    return dataclasses.replace(product, name={**product.name, "zh": "A1 婴儿推车(新款)"}, price=Decimal("1299"))


def test_a_multi_sku_stock_write_and_a_replace_import_do_not_deadlock(
    store: CatalogStore, engine: Engine, tmp_path: Path, retries: pytest.LogCaptureFixture
) -> None:
    """set_stocks({removed: 0, kept: 4}) locked `removed` and waited for `kept`, which the import had locked; the
    import, deleting every variant row, then waited for `removed`: a deadlock, one of them aborted after a second
    and run again. Now the import holds the variants table from its start: the stock write waits for it holding
    nothing, then finds the removed SKU gone (all or nothing: the kept one is not written either)."""
    removed_file = catalog_without_sku(tmp_path)
    with engine.connect() as staff:
        # a FAQ row held by staff: the import stops after it locked the file's variant rows, before it deletes them
        staff.execute(text("SELECT id FROM faqs WHERE product_id = :p ORDER BY id LIMIT 1 FOR UPDATE"), {"p": PRODUCT})
        importing = start(lambda: import_catalog_report(store, removed_file, replace=True, keep_stock=True))
        import_pid = waiting_for(engine, backend_pid(staff), importing)
        writer = start(lambda: store.set_stocks({SKU: 0, KEPT: 4}))
        waiting_for(engine, import_pid, writer)
        staff.rollback()
    importing.result()
    with pytest.raises(UnknownSKUError, match=f"unknown SKU '{SKU}'"):
        writer.result()
    assert {v.sku: v.stock for v in _product(store).variants}[KEPT] == 5
    assert _deadlocks(retries) == []


def test_a_product_edit_during_a_replace_import_waits_for_it_and_is_refused_as_stale(
    store: CatalogStore, engine: Engine, retries: pytest.LogCaptureFixture
) -> None:
    """The console's save (with the version the editor was opened at) while an import is open: it said
    "'stroller-a1' no longer exists" (its locking read found the row the import deleted). Now it waits for the
    import, which replaced the product: refused as a stale edit (the console shows the imported values beside the
    staff's), nothing written over the import."""
    opened = store.edit_version("product", PRODUCT)
    edited = _edited(store)
    with import_held_open(store, engine, CATALOG) as held:
        editor = start(lambda: store.upsert_product(edited, keep_stock=True, expected_version=opened))
        waiting_for(engine, held.pid, editor)
    held.running.result()
    imported = store.edit_version("product", PRODUCT)
    with pytest.raises(StaleEdit) as stale:
        editor.result()
    assert (stale.value.expected, stale.value.current) == (opened, imported)
    assert _product(store).name["zh"] != edited.name["zh"] and _product(store).price != edited.price
    assert _deadlocks(retries) == []


def test_a_product_save_without_a_version_during_a_replace_import_is_applied_whole_after_it(
    store: CatalogStore, engine: Engine, retries: pytest.LogCaptureFixture
) -> None:
    """A save without an opened-at version (API, scripts) while an import is open: its update of the product row
    waited for the row the import deleted and updated nothing, its variant changes went to the import's new rows and
    it reported success — the name and price staff saved were silently lost. Now it waits for the import and is
    applied whole to the imported product."""
    edited = _edited(store)
    edited = dataclasses.replace(edited, variants=tuple(
        dataclasses.replace(v, price=Decimal("1199")) if v.sku == KEPT else v for v in edited.variants
    ))
    with import_held_open(store, engine, CATALOG) as held:
        editor = start(lambda: store.upsert_product(edited, keep_stock=True))
        waiting_for(engine, held.pid, editor)
    import_version = held.running.result().version
    assert editor.result() == import_version + 1
    after = _product(store)
    assert (after.name["zh"], after.price) == (edited.name["zh"], edited.price)
    assert {v.sku: v.price for v in after.variants}[KEPT] == Decimal("1199")
    assert _deadlocks(retries) == []


def test_a_product_edit_under_way_when_a_replace_import_starts_finishes_first(
    store: CatalogStore, engine: Engine, retries: pytest.LogCaptureFixture
) -> None:
    """A product edit holding the product row and waiting for a variant row (an order on it under way) when an
    import starts: the import locked the product's other variants, the edit then waited for one of them and the
    import for the product row: a deadlock, one of them aborted after a second and run again. Now the import waits
    for the edit (which holds the variants table) and then replaces the product: the edit was saved first."""
    opened = store.edit_version("product", PRODUCT)
    edited = _edited(store)
    last = edited.variants[-1].sku
    # staff moved the last variant to the front: the edit writes it first, the import locks it last
    edited = dataclasses.replace(edited, variants=(edited.variants[-1], *edited.variants[:-1]))
    with engine.connect() as order:
        order.execute(text("UPDATE variants SET stock = stock WHERE sku = :sku"), {"sku": last})
        order_pid = backend_pid(order)
        editor = start(lambda: store.upsert_product(edited, keep_stock=True, expected_version=opened))
        editor_pid = waiting_for(engine, order_pid, editor)
        importing = start(lambda: import_catalog_report(store, CATALOG, replace=True, keep_stock=True))
        waiting_for(engine, editor_pid, importing)  # for the edit's lock (the edit is first in line for the row)
        order.rollback()
    saved = editor.result()
    report = importing.result()
    assert report.version == saved + 1
    after = _product(store)
    assert after.name["zh"] != edited.name["zh"] and [v.sku for v in after.variants][-1] == last  # the file's
    assert _deadlocks(retries) == []


FAQ = "stroller-max-load"


def test_faq_edits_during_a_replace_import_wait_for_it(
    store: CatalogStore, engine: Engine, retries: pytest.LogCaptureFixture
) -> None:
    """The same for the FAQ editor's save ("no longer exists" for a FAQ the import inserted again) and for adding an
    example question from the review queue (its row referred to the FAQ row the import deleted: a foreign-key error).
    Now both wait: the save is refused as stale, the example is added to the imported FAQ."""
    opened = store.edit_version("faq", FAQ)
    faq = store.snapshot().faqs[FAQ]
    edited = dataclasses.replace(faq, answers={**faq.answers, "zh": "{product}最大承重{attr:max_load},放心坐。"})
    with import_held_open(store, engine, CATALOG) as held:
        editor = start(lambda: store.upsert_faq(edited, expected_version=opened))
        waiting_for(engine, held.pid, editor)
        example = start(lambda: store.add_example(FAQ, "最多能坐多重的宝宝", "zh"))
        waiting_for(engine, held.pid, example)
    held.running.result()
    with pytest.raises(StaleEdit):
        editor.result()
    assert example.result() is True
    after = store.snapshot().faqs[FAQ]
    assert after.answers["zh"] == faq.answers["zh"] and "最多能坐多重的宝宝" in after.questions
    assert _deadlocks(retries) == []


def test_the_console_product_editor_saving_during_a_replace_import_shows_the_imported_values(
    store: CatalogStore, engine: Engine, retries: pytest.LogCaptureFixture
) -> None:
    """Staff press Save in the product editor while a replace import runs: the page said "'stroller-a1' no longer
    exists" (400) about a product that is there. Now the save waits for the import and is refused like any save over
    a newer one (409, in Chinese): nothing of the staff member's written, their values beside the imported ones."""
    add_staff(store, "ed", "editor-pw-1", "editor")
    app = create_app(store, Settings(db=store.engine.url.render_as_string(hide_password=False)))
    client = signed_in_client(app, "ed", "editor-pw-1", language="zh-CN")
    page = client.get(f"/products/{PRODUCT}")
    assert page.status_code == 200
    action, form = page_form(page.text, "product-form")
    form["price"] = "1299"
    with import_held_open(store, engine, CATALOG) as held:
        saving = start(lambda: client.post(action, data=form, follow_redirects=False))
        waiting_for(engine, held.pid, saving)
    held.running.result()
    response = saving.result()
    assert response.status_code == 409, response.text
    assert "其他人已保存了这一项" in response.text and "no longer exists" not in response.text
    assert "1299" in response.text.split('id="edit-conflict"')[1].split("</section>")[0]  # theirs, beside the import's
    assert _product(store).price == Decimal("899")
    assert _deadlocks(retries) == []
