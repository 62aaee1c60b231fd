"""The catalog's synonyms follow a product edit or delete (`CatalogWrites.upsert_product` / `delete_product`).

Synonyms name variant values and attribute keys (catalog/synonyms.py). A product edit changes what they may name:

- a value no product has any more: when the edit renamed it (the same SKUs now carry one new value of the same
  attribute: 酒红色 → 勃艮第红) its words move to the new value; otherwise (the variants were deleted) the entry is
  dropped. An attribute key no product has any more is dropped too. Each move or drop is a `SynonymChange` the
  caller tells staff about; without it the entry stayed behind, and the next synonym save and a catalog export →
  import were refused over it.
- a rule the edit would break that was not broken before (a new variant value that one of the product's other
  values already has as a synonym: 红色 added to a scarf whose 酒红色 is also called 红色) refuses the edit
  (`SynonymError` with those problems), as the synonym editor and the catalog file import refuse it.

Pure: the caller reads the vocabularies in its transaction and writes the synonyms it gets back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from catalog.snapshot import ProductInfo
from catalog.synonyms import SynonymProblem, Vocabulary, clean, synonym_problems

__all__ = ["SynonymChange", "follow_edit", "renamed_values"]


@dataclass(frozen=True)
class SynonymChange:
    """One synonym entry a product edit moved or dropped."""

    section: str  # "values" | "attributes"
    name: str  # the variant attribute (values) or the attribute key (attributes)
    value: str | None  # values: the canonical value the words were listed for; attributes: None
    words: tuple[str, ...]
    to: str | None = None  # values: the value the words moved to; None: the entry was dropped


def renamed_values(stored: ProductInfo | None, product: ProductInfo | None) -> dict[tuple[str, str], str]:
    """(attribute, old value) -> new value for each value the edit renamed: every SKU of `stored` with the old value
    that `product` still has carries one and the same new value of that attribute."""
    if stored is None or product is None:
        return {}
    new_attrs = {v.sku: v.attrs for v in product.variants}
    seen: dict[tuple[str, str], set[str]] = {}
    for variant in stored.variants:
        attrs = new_attrs.get(variant.sku)
        if attrs is None:
            continue
        for attr, old in variant.attrs.items():
            new = attrs.get(attr)
            if new is not None:
                seen.setdefault((str(attr), str(old)), set()).add(str(new))
    return {key: next(iter(news)) for key, news in seen.items() if len(news) == 1 and key[1] not in news}


def follow_edit(
    synonyms: Mapping[str, Any] | None,
    before: Vocabulary,
    after: Vocabulary,
    renames: Mapping[tuple[str, str], str],
) -> tuple[dict[str, Any], list[SynonymChange], list[SynonymProblem]]:
    """(the synonyms after the edit, the entries moved or dropped, the problems the edit would add).

    Only what the edit changes is touched: an entry that already named nothing before the edit stays as it is (the
    synonym page marks it), and a problem already there before is not the edit's."""
    cleaned = clean(synonyms)
    known_before = set(synonym_problems(cleaned, before))
    changes: list[SynonymChange] = []
    values: dict[str, dict[str, list[str]]] = {}
    for attr, entries in cleaned["values"].items():
        had = before.canonical_values(attr)
        has = after.canonical_values(attr)
        kept: dict[str, list[str]] = {}
        for canonical, words in entries.items():
            if canonical in has or canonical not in had:
                kept.setdefault(canonical, [])
                kept[canonical] = list(dict.fromkeys([*kept[canonical], *words]))
                continue
            new = renames.get((attr, canonical))
            if new is not None and new in has:
                kept[new] = list(dict.fromkeys([*kept.get(new, []), *words]))
                changes.append(SynonymChange("values", attr, canonical, tuple(words), new))
            else:
                changes.append(SynonymChange("values", attr, canonical, tuple(words)))
        if kept:
            values[attr] = kept
    attributes: dict[str, list[str]] = {}
    for key, words in cleaned["attributes"].items():
        if key in before.keys and key not in after.keys:
            changes.append(SynonymChange("attributes", key, None, tuple(words)))
        else:
            attributes[key] = words
    result = {"values": values, "attributes": attributes}
    problems = [p for p in synonym_problems(result, after) if p not in known_before]
    return result, changes, problems
