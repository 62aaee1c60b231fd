"""Pure resolution of what a comment is about: which product(s) it names and which variant values it asks for."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import ahocorasick

from catalog.snapshot import CatalogSnapshot, ProductInfo


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().strip()


def _is_latin(term: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-z .'\-+/&]+", term))


def _compile(term: str) -> re.Pattern[str]:
    escaped = re.escape(term)
    if _is_latin(term):
        # Latin words and size codes must stand alone: "xl" must not match inside "xxl" or "xlarge".
        return re.compile(rf"(?<![0-9a-z]){escaped}(?![0-9a-z])")
    if term.isdigit():
        return re.compile(rf"(?<!\d){escaped}(?!\d)")
    return re.compile(escaped)


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
        return before not in _LATIN and after not in _LATIN  # "" (an edge) is in no set
    return not (before and _DIGIT.match(before)) and not (after and _DIGIT.match(after))


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


def product_terms(snapshot: CatalogSnapshot) -> ProductTerms:
    """Every product name and alias once per snapshot (the service keeps the result with the snapshot)."""
    terms: dict[str, str] = {}
    for product in snapshot.products.values():
        names = [*product.name.values(), *product.aliases]
        for name in names:
            folded = _fold(name)
            if len(folded) < 2 and not _is_latin(folded):
                continue
            # An alias shared by two products is ambiguous; keep the first and let the stage decide.
            terms.setdefault(folded, product.id)
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


def _variant_terms(product: ProductInfo) -> list[tuple[str, str, str]]:
    """(folded label, attr, canonical value) for every variant attribute value and its labels."""
    out: dict[tuple[str, str], str] = {}
    for variant in product.variants:
        for attr, value in variant.attrs.items():
            labels = {str(value)}
            labels.update(str(v) for v in (variant.labels.get(attr, {}) or {}).values())
            for label in labels:
                folded = _fold(label)
                if folded:
                    out[(folded, attr)] = str(value)
    return sorted(((label, attr, value) for (label, attr), value in out.items()), key=lambda t: -len(t[0]))


def asked_variant(text: str, product: ProductInfo | None) -> dict[str, str]:
    """Variant attribute values named in the text, e.g. {"size": "XL"} or {"colour": "黑色"}; longest match wins."""
    if product is None:
        return {}
    asked: dict[str, str] = {}
    taken: list[tuple[int, int]] = []
    for label, attr, value in _variant_terms(product):
        if attr in asked:
            continue
        pattern = _compile(label)
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            # A lone single-letter size ("s", "m", "l") only counts when followed by 码/号 or standing alone.
            if len(label) == 1 and label.isalpha():
                tail = text[e : e + 4]
                if not (tail.startswith(_SIZE_SUFFIX) or text.strip() == label):
                    continue
            asked[attr] = value
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
