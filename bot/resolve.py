"""Pure resolution of what a comment is about: which product(s) it names and which variant values it asks for."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import ahocorasick

from bot.quantity_words import counted_number
from catalog.snapshot import CatalogSnapshot, ProductInfo


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().strip()


def _is_latin(term: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-z .'\-+/&]+", term))


_LATIN = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")
_DIGIT = re.compile(r"\d")


def _boundary(term: str) -> str:
    """What must not touch ``term`` on either side: Latin words and size codes stand alone ("latin": no [0-9a-z]
    before or after, so "xl" is not found inside "xxl" or "xlarge"), other numbers too ("digit": no \\d), the rest
    ("") is found anywhere."""
    if _is_latin(term):
        return "latin"
    return "digit" if term.isdigit() else ""


def _stands_alone(text: str, start: int, end: int, boundary: str) -> bool:
    """Is text[start:end] (an occurrence of a term with this ``boundary``) untouched on both sides?"""
    if not boundary:
        return True
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if boundary == "latin":
        return before not in _LATIN and (after not in _LATIN or _enclitic_nya(text, end))  # "" (an edge) is in no set
    return not (before and _DIGIT.match(before)) and not (after and _DIGIT.match(after))


def _enclitic_nya(text: str, end: int) -> bool:
    """Does Indonesian "-nya" (the, its) end the word at ``end``? "kaosnya", "sepatunya" name "kaos", "sepatu"."""
    return text.startswith("nya", end) and (end + 3 == len(text) or text[end + 3] not in _LATIN)


def _occurrences(text: str, term: str, boundary: str) -> Iterator[int]:
    """Starts of ``term`` standing alone in ``text``, left to right, never overlapping each other (what
    ``re.finditer`` of the term with its boundary as lookarounds finds)."""
    n = len(term)
    pos = text.find(term)
    while pos >= 0:
        if _stands_alone(text, pos, pos + n, boundary):
            yield pos
            pos = text.find(term, pos + n)
        else:
            pos = text.find(term, pos + 1)


@dataclass(frozen=True, slots=True)
class _Term:
    term: str
    key: str  # product id
    boundary: str  # "latin" | "digit" | "": what must not touch the term on either side (see ``_boundary``)


@dataclass(frozen=True)
class ProductTerms:
    """Every product name and alias (folded, longest first) and one Aho–Corasick automaton over them: a comment is
    scanned once whatever the size of the catalog. Built once per catalog view; iterating yields the terms."""

    terms: tuple[_Term, ...] = ()
    automaton: Any = None  # ahocorasick.Automaton: term -> its index in ``terms``; None when there are no terms

    @classmethod
    def build(cls, terms: Iterable[_Term]) -> ProductTerms:
        ordered = tuple(terms)
        if not ordered:
            return cls()
        automaton = ahocorasick.Automaton()
        for i, t in enumerate(ordered):
            automaton.add_word(t.term, i)
        automaton.make_automaton()
        return cls(ordered, automaton)

    def __iter__(self) -> Iterator[_Term]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)


# A model code inside a product name: Latin letters and digits mixed, starting with a letter ("A1", "X5", "S20",
# "K3Pro"), standing alone among Latin letters and digits ("轻便婴儿推车A1", "A1 Lightweight Stroller"). A number
# with a unit ("500ml", "2kg") starts with its digits and is not one.
_LATIN_RUN = re.compile(r"[0-9a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+")
_MODEL_CODE = re.compile(r"[a-z][0-9a-z]*[0-9][0-9a-z]*")


@dataclass(frozen=True, slots=True)
class ModelCodes:
    """The model codes of a catalog's product names: ``codes`` maps a (folded) code to the one product whose names
    carry it; ``shared`` maps a code two or more products carry (in their names, or as a variant value of another
    product: a size "S20") to those products (not used)."""

    codes: Mapping[str, str]
    shared: Mapping[str, tuple[str, ...]]


def model_codes(snapshot: CatalogSnapshot) -> ModelCodes:
    """The model codes in every product's names and aliases, in any language. A code names its product only when no
    other product's names carry it: "A1" of "轻便婴儿推车A1" names the stroller in "A1多少钱" / "轻便推车A1"."""
    owners: dict[str, list[str]] = {}
    for product in snapshot.products.values():
        for name in [*product.name.values(), *product.aliases]:
            for run in _LATIN_RUN.findall(_fold(name)):
                if _MODEL_CODE.fullmatch(run):
                    pids = owners.setdefault(run, [])
                    if product.id not in pids:
                        pids.append(product.id)
    for product in snapshot.products.values():
        for variant in product.variants:
            for attr, value in variant.attrs.items():
                for word in [value, *(variant.labels.get(attr, {}) or {}).values()]:
                    carriers = owners.get(_fold(str(word)))
                    if carriers is not None and product.id not in carriers:
                        carriers.append(product.id)
    return ModelCodes(
        codes={code: pids[0] for code, pids in owners.items() if len(pids) == 1},
        shared={code: tuple(pids) for code, pids in owners.items() if len(pids) > 1},
    )


def product_terms(snapshot: CatalogSnapshot) -> ProductTerms:
    """Every product name and alias once per snapshot (the service keeps the result with the snapshot), and the
    model codes in them that name one product (``model_codes``)."""
    terms: dict[str, str] = {}
    for product in snapshot.products.values():
        names = [*product.name.values(), *product.aliases]
        for name in names:
            folded = _fold(name)
            if len(folded) < 2 and not _is_latin(folded):
                continue
            # An alias shared by two products is ambiguous; keep the first and let the stage decide.
            terms.setdefault(folded, product.id)
    for code, pid in model_codes(snapshot).codes.items():
        terms.setdefault(code, pid)  # a whole name or alias that is the code itself is kept as it is
    ordered = sorted(terms.items(), key=lambda kv: -len(kv[0]))
    return ProductTerms.build(_Term(term, pid, _boundary(term)) for term, pid in ordered)


def mentioned_products(text: str, terms: ProductTerms) -> list[str]:
    """Product ids named in the (normalised) text, in order of appearance, longest names first, no overlaps.

    Names are taken in ``terms`` order (longest first), each name's occurrences left to right and never overlapping
    each other (as ``re.finditer`` would find them), an occurrence overlapping one already taken dropped. One pass of
    the automaton finds every occurrence of every name; only those are looked at."""
    if terms.automaton is None or not text:
        return []
    starts: dict[int, list[int]] = {}  # term index -> where it stands alone in the text, ascending
    for end, i in terms.automaton.iter(text):
        t = terms.terms[i]
        start = end + 1 - len(t.term)
        if _stands_alone(text, start, end + 1, t.boundary):
            starts.setdefault(i, []).append(start)
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str]] = []
    for i in sorted(starts):
        t = terms.terms[i]
        resume = 0  # finditer resumes after its previous match
        for s in starts[i]:
            if s < resume:
                continue
            e = resume = s + len(t.term)
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            found.append((s, t.key))
    seen: list[str] = []
    for _, pid in sorted(found):
        if pid not in seen:
            seen.append(pid)
    return seen


_SIZE_SUFFIX = ("码", "号", "size")


@dataclass(frozen=True, slots=True)
class VariantTerm:
    label: str  # folded label of a variant value ("xl", "黑色", "black")
    attr: str
    value: str  # the canonical value it stands for
    boundary: str  # see ``_boundary``


def variant_terms(product: ProductInfo) -> tuple[VariantTerm, ...]:
    """Every variant attribute value and its labels, folded, longest first (what ``asked_variant`` looks for).
    Depends only on the product's variants: the catalog view keeps them per product."""
    out: dict[tuple[str, str], str] = {}
    for variant in product.variants:
        for attr, value in variant.attrs.items():
            labels = {str(value)}
            labels.update(str(v) for v in (variant.labels.get(attr, {}) or {}).values())
            for label in labels:
                folded = _fold(label)
                if folded:
                    out[(folded, attr)] = str(value)
    ordered = sorted(((label, attr, value) for (label, attr), value in out.items()), key=lambda t: -len(t[0]))
    return tuple(VariantTerm(label, attr, value, _boundary(label)) for label, attr, value in ordered)


def asked_variant(
    text: str, product: ProductInfo | None, terms: tuple[VariantTerm, ...] | None = None
) -> dict[str, str]:
    """Variant attribute values named in the text, e.g. {"size": "XL"} or {"colour": "黑色"}; longest match wins.
    ``terms``: ``variant_terms(product)`` when the caller has them already (the catalog view keeps them)."""
    if product is None:
        return {}
    asked: dict[str, str] = {}
    taken: list[tuple[int, int]] = []
    for t in terms if terms is not None else variant_terms(product):
        if t.attr in asked:
            continue
        label = t.label
        for s in _occurrences(text, label, t.boundary):
            e = s + len(label)
            if any(s < te and ts < e for ts, te in taken):
                continue
            if counted_number(text, s, e):
                continue  # "40 box", "2 set": a number of items (bot/quantity_words.py), not size 40
            # A lone single-letter size ("s", "m", "l") only counts when followed by 码/号 or standing alone.
            if len(label) == 1 and label.isalpha():
                tail = text[e : e + 4]
                if not (tail.startswith(_SIZE_SUFFIX) or text.strip() == label):
                    continue
            asked[t.attr] = t.value
            taken.append((s, e))
            break
    return asked


def choose_product(
    mentioned: Iterable[str], explicit: str | None, stage: str | None, products: Mapping[str, ProductInfo]
) -> tuple[str | None, str]:
    """Pick the product a comment is about and say how: 'named', 'platform', 'stage' or 'none'."""
    for pid in mentioned:
        if pid in products:
            return pid, "named"
    if explicit and explicit in products:
        return explicit, "platform"
    if stage and stage in products:
        return stage, "stage"
    return None, "none"
