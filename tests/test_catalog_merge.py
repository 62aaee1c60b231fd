"""`load_catalog(replace=False)` (``livereply catalog import --merge``-style upserts) in set-based statements: the same
catalog as upserting each product and FAQ in turn, and what the file leaves as stored is not written at all."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from catalog.errors import Conflict
from catalog.snapshot import FaqInfo, ProductInfo, VariantInfo
from catalog.store import CatalogStore


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CatalogStore]:
    url = f"sqlite:///{tmp_path}/m.db" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    s = CatalogStore(url)
    yield s
    s.close()


def product(pid: str, *skus: str, stock: int = 5) -> ProductInfo:
    return ProductInfo(
        id=pid,
        name={"zh": f"商品{pid}", "en": f"item {pid}"},
        aliases=(),
        category="",
        description={},
        price=Decimal("10"),
        tags=(),
        attributes={},
        variants=tuple(VariantInfo(sku, pid, {"colour": f"c{i}"}, stock, None, {}) for i, sku in enumerate(skus)),
    )


def faq(fid: str, pid: str | None, *questions: str, answer: str = "好的") -> FaqInfo:
    return FaqInfo(id=fid, product_id=pid, intent="ask_x", questions=questions, answers={"zh": answer})


def versions(store: CatalogStore) -> dict[str, tuple[int, int]]:
    """FAQ id -> (edit_version, position)."""
    with store.engine.connect() as conn:
        return {r[0]: (int(r[1]), int(r[2])) for r in conn.execute(text("SELECT id, edit_version, position FROM faqs"))}


def test_merge_writes_what_changed_and_keeps_what_did_not(store: CatalogStore) -> None:
    store.load_catalog([product("p1", "P1-A")], [faq("f1", "p1", "贵吗"), faq("f2", None, "包邮吗", "发货吗")])
    before = versions(store)
    store.load_catalog(
        [product("p1", "P1-A"), product("p2", "P2-A", "P2-B", stock=3)],
        [
            faq("f1", "p1", "贵吗"),  # as stored: not written
            faq("f2", None, "包邮吗", "几天到", answer="包邮"),  # changed: answer, one example out, one in
            faq("f3", "p2", "p2怎么样"),
            faq("f4", None, "有赠品吗"),
        ],
        replace=False,
    )
    after = versions(store)
    assert after["f1"] == before["f1"]  # no edit_version bump for an unchanged FAQ
    assert after["f2"][0] > before["f2"][0] and after["f2"][1] == before["f2"][1]
    assert after["f3"][1] > before["f2"][1] and after["f4"][1] == after["f3"][1] + 1  # new ones after, in file order
    snap = store.snapshot()
    assert set(snap.faqs["f2"].questions) == {"包邮吗", "几天到"}
    assert snap.faqs["f2"].answers == {"zh": "包邮"}
    assert [v.stock for v in snap.products["p2"].variants] == [3, 3]
    assert list(snap.products) == ["p1", "p2"]
    with store.engine.connect() as conn:
        logged = conn.execute(text("SELECT count(*) FROM stock_log WHERE sku LIKE 'P2-%' AND reason = 'catalog'"))
        assert logged.scalar_one() == 2  # every new variant's stock logged, as the per-item path does


def test_merging_the_same_file_again_changes_no_faq(store: CatalogStore) -> None:
    products = [product("p1", "P1-A")]
    faqs = [faq("f1", "p1", "贵吗", "多少钱"), faq("f2", None, "包邮吗")]
    store.load_catalog(products, faqs)
    with store.engine.connect() as conn:
        ticks: dict[str, int] = dict(conn.execute(text("SELECT faq_id, tick FROM faq_changes")).all())
    before = versions(store)
    store.load_catalog(products, faqs, replace=False)
    assert versions(store) == before
    with store.engine.connect() as conn:  # a running bot's snapshot by change finds nothing to re-read
        assert dict(conn.execute(text("SELECT faq_id, tick FROM faq_changes")).all()) == ticks


def test_a_new_product_claiming_a_stored_sku_is_refused_and_nothing_is_written(store: CatalogStore) -> None:
    store.load_catalog([product("p1", "P1-A")], [])
    version = store.catalog_version()
    with pytest.raises(Conflict, match="P1-A"):
        store.load_catalog([product("p2", "P2-A", "P1-A")], [faq("f9", "p2", "p2呢")], replace=False)
    assert store.catalog_version() == version
    assert set(store.snapshot().products) == {"p1"}


def test_a_faq_given_twice_keeps_its_first_place_and_last_content(store: CatalogStore) -> None:
    store.load_catalog([], [faq("f1", None, "在吗")])
    store.load_catalog(
        [],
        [faq("f2", None, "第一版"), faq("f3", None, "别的"), dataclasses.replace(faq("f2", None, "第二版"))],
        replace=False,
    )
    snap = store.snapshot()
    assert list(snap.faqs) == ["f1", "f2", "f3"]
    assert snap.faqs["f2"].questions == ("第二版",)


def test_a_stored_product_given_twice_gets_its_last_content(store: CatalogStore) -> None:
    original = product("p1", "P1-A")
    store.load_catalog([original], [])
    changed = dataclasses.replace(original, name={"zh": "改过的", "en": "changed"})
    store.load_catalog([changed, original], [], replace=False)  # as upserting each in turn: the last one stays
    assert store.snapshot().products["p1"].name == original.name
