"""bot/product_words.py: the products' own texts, and the per-snapshot cache the matching checks build them into."""

from __future__ import annotations

import dataclasses

from bot import product_words
from bot.product_words import attribute_texts, per_snapshot, product_texts, texts_by_product
from catalog.snapshot import CatalogSnapshot
from tests.factories import snapshot


def test_a_result_is_built_once_per_snapshot_object() -> None:
    built: list[int] = []

    @per_snapshot
    def count(s: CatalogSnapshot) -> dict[str, int]:
        built.append(s.version)
        return {"products": len(s.products)}

    first = snapshot(version=1)
    assert count(first) is count(first)
    equal = dataclasses.replace(first)  # an equal snapshot, another object (a reload builds a new one): built again
    assert count(equal) == count(first) and count(equal) is not count(first)
    assert built == [1, 1]


def test_the_cache_keeps_a_bounded_number_of_snapshots() -> None:
    @per_snapshot
    def version(s: CatalogSnapshot) -> list[int]:
        return [s.version]

    kept = [snapshot(version=v) for v in range(3 * product_words.KEPT_SNAPSHOTS)]  # alive: no id is reused
    results = [version(s) for s in kept]
    assert [r[0] for r in results] == list(range(3 * product_words.KEPT_SNAPSHOTS))
    assert version(kept[0]) is not results[0]  # dropped since, built again
    assert version(kept[-1]) is results[-1]  # the newest is kept


def test_texts_by_product_gathers_the_products_words_then_its_faqs_examples() -> None:
    s = dataclasses.replace(snapshot(), synonyms={"attributes": {"material": ["fabric", "面料"]}})
    tee = s.products["tee"]
    plain = texts_by_product(s)
    assert plain["tee"][: len(product_texts(tee))] == product_texts(tee)
    assert plain["tee"][len(product_texts(tee)):] == ["T恤是什么面料", "纯棉的吗", "会起球吗", "what material is it"]
    full = texts_by_product(s, attributes=True, variants=True)["tee"]
    assert "fabric" in attribute_texts(tee, s) and set(attribute_texts(tee, s)) <= set(full)
    assert all(str(v) in full for variant in tee.variants for v in variant.attrs.values())
    assert full[-4:] == plain["tee"][-4:]  # the FAQs' examples come last either way
    assert set(plain) == set(s.products)
