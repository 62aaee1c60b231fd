"""Each product's own words in a catalog snapshot, and a cache of what is built from them once per snapshot.

Pure. Several checks of the matching path ask "is this word the product's own?" (bot/guards.py: a plain price
question's leftover words, an attribute question's subject; bot/attribute_subject.py: another thing's attribute) and
each keeps one folded text per product, built once per catalog snapshot. The texts they gather and the cache are
here: ``per_snapshot`` keeps a function's result per snapshot object (by identity; the engine builds a new snapshot on
every catalog change, so a result never outlives the catalog it was built from).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from catalog.snapshot import CatalogSnapshot, ProductInfo

__all__ = ["KEPT_SNAPSHOTS", "attribute_texts", "per_snapshot", "product_texts", "texts_by_product"]

T = TypeVar("T")
KEPT_SNAPSHOTS = 8  # results kept per function: the live snapshot, a few being built or replayed beside it


def per_snapshot(build: Callable[[CatalogSnapshot], T]) -> Callable[[CatalogSnapshot], T]:
    """``build(snapshot)`` computed once per snapshot object. Keyed by ``id`` (a snapshot holds dicts: it has no hash)
    and checked by identity, so a new snapshot that reuses a dropped one's id is built again; past ``KEPT_SNAPSHOTS``
    the results are all dropped. Callers must not change the result."""
    cache: dict[int, tuple[object, T]] = {}

    @functools.wraps(build)
    def cached(snapshot: CatalogSnapshot) -> T:
        hit = cache.get(id(snapshot))
        if hit is not None and hit[0] is snapshot:
            return hit[1]
        result = build(snapshot)
        if len(cache) > KEPT_SNAPSHOTS:
            cache.clear()
        cache[id(snapshot)] = (snapshot, result)
        return result

    return cached


def product_texts(p: ProductInfo) -> list[str]:
    """The product's names, aliases, descriptions (every language), category and tags."""
    return [*p.name.values(), *p.aliases, *p.description.values(), p.category, *p.tags]


def attribute_texts(p: ProductInfo, snapshot: CatalogSnapshot) -> list[str]:
    """Per attribute of the product: its texts (every language) and the shop's words for its key (synonyms)."""
    attribute_words = (snapshot.synonyms or {}).get("attributes", {}) or {}
    texts: list[str] = []
    for key, by_lang in p.attributes.items():
        texts.extend(str(t) for t in by_lang.values())
        texts.extend(str(w) for w in attribute_words.get(key, ()) or ())
    return texts


def texts_by_product(snapshot: CatalogSnapshot, *, attributes: bool = False, variants: bool = False) -> dict[str, list[str]]:
    """Product id → ``product_texts``, then (when asked) ``attribute_texts`` and its variants' option values and
    labels, then the example questions of the FAQs written for it (where staff wrote "xe đẩy", "ベビーカー")."""
    words: dict[str, list[str]] = {}
    for pid, p in snapshot.products.items():
        texts = product_texts(p)
        if attributes:
            texts.extend(attribute_texts(p, snapshot))
        if variants:
            for variant in p.variants:
                texts.extend(str(v) for v in variant.attrs.values())
                texts.extend(str(w) for labels in variant.labels.values() for w in (labels or {}).values())
        words[pid] = texts
    for faq in snapshot.faqs.values():
        if faq.product_id in words:
            words[faq.product_id].extend(faq.questions)
    return words
