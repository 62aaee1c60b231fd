"""The shop's vocabulary (`synonyms:` of a catalog file, `catalog_meta.synonyms`) and its one set of rules.

    {"values": {attr: {canonical value: [word, ...]}}, "attributes": {attribute key: [word, ...]}}

`synonym_problems` is the check every way in uses: the file import (catalog/io.py reports each problem at its line),
the store's write (`CatalogStore.set_synonyms`, in the same transaction as the products it checks against) and so the
staff console's editor. A value must be a variant value of some product and a key an attribute some product has;
words are 1–64 characters; one word may not mean two values of the same attribute of one product (another value's
synonym, its canonical name or one of its labels: "XL" listed for XXL of a product that also has XL) nor ask for two
attributes.

Why "of one product": the recogniser (bot/slots.py) files a synonym under each product that has its value and reads
values per product (`Slots.asked_for`), so a word that is a scarf's 酒红色 and a mug's own 红色 is never ambiguous: on
the scarf it means 酒红色, on the mug 红色, and with no product named, two products having the word is the same as two
products both having 黑色 (bot/structured.py `_product_for` answers only when one product has it). Only a product with
both values would not know which one a viewer means.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from catalog import rules
from catalog.errors import Invalid
from catalog.rules import clip
from catalog.snapshot import ProductInfo
from catalog.text import fold

__all__ = [
    "MAX_WORD_CHARS",
    "SynonymError",
    "SynonymProblem",
    "Vocabulary",
    "clean",
    "synonym_problems",
]

MAX_WORD_CHARS = rules.ID_MAX_LENGTH

# what a problem is about (SynonymProblem.code)
UNKNOWN_ATTR = "unknown_attr"  # values: no product has this variant attribute
UNKNOWN_VALUE = "unknown_value"  # values: no variant has this value of the attribute
BAD_WORDS = "words"  # an empty list, or a word longer than MAX_WORD_CHARS
VALUE_CLASH = "value_clash"  # a word that would mean two values of one attribute
UNKNOWN_KEY = "unknown_key"  # attributes: no product has this attribute
KEY_CLASH = "key_clash"  # a word that would ask for two attributes


@dataclass(frozen=True)
class SynonymProblem:
    """One broken rule, placed at its entry: `section` "values" (`name` the variant attribute, `value` the canonical
    value; None when the attribute itself is unknown) or "attributes" (`name` the attribute key)."""

    code: str
    section: str
    name: str
    value: str | None = None
    word: str | None = None  # the word in question (a clash)
    other: str | None = None  # the value / key that already claims `word`
    product: str | None = None  # a value clash: the product that has both values

    @property
    def message(self) -> str:
        """The problem in English, as the catalog file import reports it (with the file's line)."""
        if self.code == UNKNOWN_ATTR:
            return f"synonyms.values: no product has a variant attribute '{clip(self.name)}'"
        if self.code == UNKNOWN_VALUE:
            return f"synonyms.values.{self.name}: '{clip(self.value or '')}' is not a {self.name} of any variant"
        if self.code == BAD_WORDS:
            where = f"synonyms.{self.section}.{self.name}" + (f".{self.value}" if self.value is not None else "")
            return f"{where}: a non-empty list of words of at most {MAX_WORD_CHARS} characters"
        if self.code == VALUE_CLASH:
            where = f" in product '{self.product}'" if self.product else ""
            return f"synonym '{clip(self.word or '')}' means both {self.other} and {self.value} ({self.name}){where}"
        if self.code == UNKNOWN_KEY:
            return f"synonyms.attributes: no product has an attribute '{clip(self.name)}'"
        return f"synonym '{clip(self.word or '')}' asks for both {self.other} and {self.name}"


class SynonymError(Invalid):
    """Synonyms the rules refuse; `problems` lists every broken rule (nothing was written)."""

    def __init__(self, problems: Iterable[SynonymProblem]) -> None:
        self.problems = tuple(problems)
        shown = "; ".join(p.message for p in self.problems[:5])
        more = f"; … and {len(self.problems) - 5} more" if len(self.problems) > 5 else ""
        super().__init__(shown + more)


@dataclass(frozen=True)
class Vocabulary:
    """What synonyms may refer to: per variant attribute, every name a value goes by (folded canonical value and
    labels -> canonical values), the same per product (`by_product`: product id -> attr -> name -> values; a clash
    is within one product), and the product attribute keys."""

    values: Mapping[str, Mapping[str, frozenset[str]]] = field(default_factory=dict)
    keys: frozenset[str] = frozenset()
    by_product: Mapping[str, Mapping[str, Mapping[str, frozenset[str]]]] = field(default_factory=dict)
    holders: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)  # attr -> value -> product ids

    @classmethod
    def of(
        cls,
        variants: Iterable[tuple[str, Mapping[str, Any], Mapping[str, Mapping[str, Any]]]],
        attribute_keys: Iterable[str],
    ) -> Vocabulary:
        """From (product id, attrs, labels) of every variant and the attribute keys of every product."""
        names: dict[str, dict[str, set[str]]] = {}
        per_product: dict[str, dict[str, dict[str, set[str]]]] = {}
        holders: dict[str, dict[str, set[str]]] = {}
        for product_id, attrs, labels in variants:
            for attr, value in (attrs or {}).items():
                canonical = str(value)
                holders.setdefault(str(attr), {}).setdefault(canonical, set()).add(str(product_id))
                by_name = names.setdefault(str(attr), {})
                own = per_product.setdefault(str(product_id), {}).setdefault(str(attr), {})
                for name in (canonical, *(str(v) for v in ((labels or {}).get(attr) or {}).values())):
                    if fold(name):
                        by_name.setdefault(fold(name), set()).add(canonical)
                        own.setdefault(fold(name), set()).add(canonical)
        return cls(
            values={attr: _frozen(by_name) for attr, by_name in names.items()},
            keys=frozenset(str(k) for k in attribute_keys),
            by_product={pid: {attr: _frozen(by_name) for attr, by_name in attrs.items()} for pid, attrs in per_product.items()},
            holders={attr: {v: tuple(sorted(pids)) for v, pids in by_value.items()} for attr, by_value in holders.items()},
        )

    @classmethod
    def of_products(cls, products: Iterable[ProductInfo]) -> Vocabulary:
        products = list(products)
        return cls.of(
            ((p.id, v.attrs, v.labels) for p in products for v in p.variants), (k for p in products for k in p.attributes)
        )

    def canonical_values(self, attr: str) -> frozenset[str]:
        return frozenset().union(*self.values.get(attr, {}).values())

    def products_with(self, attr: str, canonical: str) -> list[tuple[str, Mapping[str, frozenset[str]]]]:
        """(product id, its names of `attr`) of every product with the value `canonical` of `attr`, in id order."""
        return [(pid, self.by_product[pid].get(attr, {})) for pid in self.holders.get(attr, {}).get(canonical, ())]


def _frozen(by_name: Mapping[str, set[str]]) -> dict[str, frozenset[str]]:
    return {name: frozenset(owners) for name, owners in by_name.items()}


def clean(synonyms: Mapping[str, Any] | None) -> dict[str, Any]:
    """`synonyms` in the stored shape: both sections, words stripped, repeats and empty words dropped (in order)."""
    synonyms = synonyms or {}
    values = {
        str(attr): {str(value): _words(words) for value, words in (entries or {}).items()}
        for attr, entries in (synonyms.get("values") or {}).items()
    }
    attributes = {str(key): _words(words) for key, words in (synonyms.get("attributes") or {}).items()}
    return {"values": values, "attributes": attributes}


def _words(words: Iterable[Any]) -> list[str]:
    return list(dict.fromkeys(str(w).strip() for w in (words or ()) if str(w).strip()))


def synonym_problems(synonyms: Mapping[str, Any], vocabulary: Vocabulary) -> list[SynonymProblem]:
    """Every rule `synonyms` (stored shape, see `clean`) breaks against `vocabulary`, in the order of the entries."""
    problems: list[SynonymProblem] = []
    for attr, entries in (synonyms.get("values") or {}).items():
        if attr not in vocabulary.values:
            problems.append(SynonymProblem(UNKNOWN_ATTR, "values", attr))
            continue
        known = vocabulary.canonical_values(attr)
        # within each product with the value, a word means the values it names there: their own names and labels
        # first, then the synonyms listed so far
        listed: dict[str, set[str]] = {}  # folded word -> the values it was listed for so far
        for canonical, words in entries.items():
            if canonical not in known:
                problems.append(SynonymProblem(UNKNOWN_VALUE, "values", attr, canonical))
                continue
            if not _words_ok(words):
                problems.append(SynonymProblem(BAD_WORDS, "values", attr, canonical))
                continue
            sharing = [(pid, own, frozenset().union(*own.values())) for pid, own in vocabulary.products_with(attr, canonical)]
            for word in words:
                key = fold(word)
                for pid, own, values_here in sharing:
                    others = (set(own.get(key, ())) | (listed.get(key, set()) & values_here)) - {canonical}
                    if others:
                        problems.append(SynonymProblem(
                            VALUE_CLASH, "values", attr, canonical, word=word, other=sorted(others)[0], product=pid))
                        break
                listed.setdefault(key, set()).add(canonical)
    owner_key: dict[str, str] = {fold(key.replace("_", " ")): key for key in sorted(vocabulary.keys)}
    for key, words in (synonyms.get("attributes") or {}).items():
        if key not in vocabulary.keys:
            problems.append(SynonymProblem(UNKNOWN_KEY, "attributes", key))
            continue
        if not _words_ok(words):
            problems.append(SynonymProblem(BAD_WORDS, "attributes", key))
            continue
        for word in words:
            claimed = owner_key.setdefault(fold(word), key)
            if claimed != key:
                problems.append(SynonymProblem(KEY_CLASH, "attributes", key, word=word, other=claimed))
    return problems


def _words_ok(words: Any) -> bool:
    return (
        isinstance(words, list) and bool(words)
        and all(isinstance(w, str) and w.strip() and len(w.strip()) <= MAX_WORD_CHARS for w in words)
    )
