"""What a catalog file accepts, its export accepts again, whatever way it came in.

- A product named in one language only (the console saves a Chinese name alone): read, exported and read again
  unchanged; a reply in another language goes through the fallback (`MissingText`), never a KeyError on `name.en`.
- A variant value that is also a synonym of another value: refused only when one product has both values (the
  recogniser reads values per product, catalog/synonyms.py), with the same verdict for a merge import (the store's
  synonyms kept) and a full import of the merged catalog.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.recommend import Recommendation, render_recommendations
from bot.slots import Recogniser
from catalog.io import CatalogFileError, export_catalog, import_catalog, parse_catalog
from catalog.phrases import MissingText
from catalog.store import CatalogStore
from catalog.synonyms import SynonymError

ZH_ONLY = """\
version: 1
products:
  - id: tea-cup
    name: {zh: 青瓷茶杯}
    price: 39
    variants:
      - {sku: CUP-1, attrs: {colour: 青色}, stock: 3}
  - id: fan
    name: {ja: 扇子}
    price: 20
    variants:
      - {sku: FAN-1, stock: 2}
"""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CatalogStore]:
    s = CatalogStore(f"sqlite:///{tmp_path}/c.db")
    yield s
    s.close()


def test_a_product_named_in_one_language_is_read_exported_and_read_again(store: CatalogStore, tmp_path: Path) -> None:
    data = parse_catalog(ZH_ONLY, "catalog.yaml")
    assert {p.id: p.name for p in data.products} == {"tea-cup": {"zh": "青瓷茶杯"}, "fan": {"ja": "扇子"}}
    source = tmp_path / "catalog.yaml"
    source.write_text(ZH_ONLY, encoding="utf-8")
    import_catalog(store, source)
    exported = tmp_path / "exported.yaml"
    export_catalog(store, exported)
    again = CatalogStore(f"sqlite:///{tmp_path}/again.db")
    import_catalog(again, exported)
    assert again.snapshot().products == store.snapshot().products
    again.close()

    snapshot = store.snapshot()
    cup = snapshot.products["tea-cup"]
    assert cup.name_in("th") is None and cup.display_name("en") == "青瓷茶杯"  # what the fallback policy has
    assert Recogniser.build(snapshot).recognise("青瓷茶杯还有吗").products == ("tea-cup",)  # found by its one name
    pick = [Recommendation("tea-cup", "CUP-1", cup.price, 3, 1.0, ("default",))]
    assert "青瓷茶杯" in (render_recommendations(pick, snapshot.products, "zh") or "")
    with pytest.raises(MissingText):  # a Thai reply has no name to carry: the fallback policy decides, no crash
        render_recommendations(pick, snapshot.products, "th")


@pytest.mark.parametrize("name", ["{}", "{zh: ''}", "''"])
def test_a_product_without_any_name_is_still_refused(name: str) -> None:
    text = ZH_ONLY.replace("name: {zh: 青瓷茶杯}", f"name: {name}")
    with pytest.raises(CatalogFileError) as refused:
        parse_catalog(text, "catalog.yaml")
    assert "catalog.yaml:4: product 'tea-cup' name" in str(refused.value)


SCARF = """\
version: 1
products:
  - id: scarf
    name: {zh: 羊绒围巾, en: Cashmere scarf}
    price: 199
    variants:
      - {sku: SCARF-WINE, attrs: {colour: 酒红色}, stock: 5}
      - {sku: SCARF-GREY, attrs: {colour: 灰色}, stock: 5}
synonyms:
  values:
    colour: {酒红色: [红色, 酒红]}
"""
MUG = """\
version: 1
products:
  - id: mug
    name: {zh: 马克杯}
    price: 29
    variants:
      - {sku: MUG-RED, attrs: {colour: 红色}, stock: 8}
"""
SCARF_WITH_RED = """\
version: 1
products:
  - id: scarf
    name: {zh: 羊绒围巾, en: Cashmere scarf}
    price: 199
    variants:
      - {sku: SCARF-WINE, attrs: {colour: 酒红色}, stock: 5}
      - {sku: SCARF-RED, attrs: {colour: 红色}, stock: 5}
"""


def _merge_then_full(store: CatalogStore, tmp_path: Path, merged_file: str) -> tuple[str | None, str | None]:
    """(merge import's error, full import's error of what the merge gave / would have given): None = accepted."""
    base = tmp_path / "scarf.yaml"
    base.write_text(SCARF, encoding="utf-8")
    import_catalog(store, base)
    extra = tmp_path / "extra.yaml"
    extra.write_text(merged_file, encoding="utf-8")
    version = store.catalog_version()
    merge_error = None
    try:
        import_catalog(store, extra, replace=False)
    except CatalogFileError as exc:
        merge_error = str(exc)
        assert store.catalog_version() == version  # nothing written
    # the full file of the merged catalog: the export after an accepted merge, else the two files written as one
    full = tmp_path / "full.yaml"
    if merge_error is None:
        export_catalog(store, full)
    else:
        scarf_products = SCARF.split("products:\n")[1].split("synonyms:")[0]
        new_products = merged_file.split("products:\n")[1]
        kept = scarf_products if "id: scarf" not in new_products else ""
        full.write_text(
            "version: 1\nproducts:\n" + kept + new_products + "synonyms:\n" + SCARF.split("synonyms:\n")[1],
            encoding="utf-8",
        )
    fresh = CatalogStore(f"sqlite:///{tmp_path}/fresh.db")
    try:
        import_catalog(fresh, full)
        full_error = None
        assert fresh.snapshot().products == store.snapshot().products
    except CatalogFileError as exc:
        full_error = str(exc)
    finally:
        fresh.close()
    return merge_error, full_error


def test_a_value_of_another_product_that_is_a_synonym_is_accepted_by_merge_and_full_import(
    store: CatalogStore, tmp_path: Path
) -> None:
    """The mug's 红色 and the scarf's 酒红色 (synonym 红色): per product one meaning, so both paths accept, and the
    recogniser reads 红色 as the mug's 红色 on the mug and the scarf's 酒红色 on the scarf."""
    assert _merge_then_full(store, tmp_path, MUG) == (None, None)
    slots = Recogniser.build(store.snapshot()).recognise("红色还有吗")
    assert slots.asked_for("mug") == {"colour": "红色"} and slots.asked_for("scarf") == {"colour": "酒红色"}
    assert store.snapshot().synonyms["values"]["colour"]["酒红色"] == ["红色", "酒红"]


def test_a_product_given_both_values_is_refused_by_merge_and_full_import_alike(store: CatalogStore, tmp_path: Path) -> None:
    """The scarf itself getting a 红色 variant while 红色 means its 酒红色: "红色还有吗" about the scarf would mean two
    colours. Refused by the merge (at the line of the product, naming both values and the product) as by the full
    import (at the synonym's line)."""
    merge_error, full_error = _merge_then_full(store, tmp_path, SCARF_WITH_RED)
    assert merge_error is not None and full_error is not None
    assert "extra.yaml:3: synonym '红色' means both 红色 and 酒红色 (colour) in product 'scarf'" in merge_error
    assert "full.yaml:" in full_error and "synonym '红色' means both 红色 and 酒红色 (colour) in product 'scarf'" in full_error
    assert [v.sku for v in store.snapshot().products["scarf"].variants] == ["SCARF-WINE", "SCARF-GREY"]


def test_a_merge_removing_the_last_value_a_synonym_names_is_refused_like_the_full_import(
    store: CatalogStore, tmp_path: Path
) -> None:
    no_wine = SCARF_WITH_RED.replace("      - {sku: SCARF-WINE, attrs: {colour: 酒红色}, stock: 5}\n", "")
    merge_error, full_error = _merge_then_full(store, tmp_path, no_wine)
    assert merge_error is not None and "extra.yaml:3: product 'scarf': synonyms.values.colour: '酒红色' is not" in merge_error
    assert full_error is not None and "'酒红色' is not a colour of any variant" in full_error


def test_the_store_applies_the_same_per_product_rule(store: CatalogStore, tmp_path: Path) -> None:
    """`set_synonyms` (the console's /synonyms page) agrees with the file: 红色 for 酒红色 is fine while no product
    has both, refused once one has."""
    source = tmp_path / "two.yaml"
    source.write_text(SCARF.split("synonyms:")[0] + MUG.split("products:\n")[1], encoding="utf-8")
    import_catalog(store, source)
    store.set_synonyms({"values": {"colour": {"酒红色": ["红色"]}}})
    source.write_text(SCARF_WITH_RED, encoding="utf-8")
    import_catalog(store, source)  # replace: no synonyms any more
    with pytest.raises(SynonymError) as refused:
        store.set_synonyms({"values": {"colour": {"酒红色": ["红色"]}}})
    [problem] = refused.value.problems
    assert (problem.code, problem.word, problem.other, problem.product) == ("value_clash", "红色", "红色", "scarf")
