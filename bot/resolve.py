"""Pure resolution of what a comment is about: which product(s) it names and which variant values it asks for."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from catalog.snapshot import CatalogSnapshot, ProductInfo


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().strip()


def _is_latin(term: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-z .'\-+/&]+", term))


@dataclass(frozen=True, slots=True)
class _Term:
    term: str
    key: str  # product id, or attr value
    pattern: re.Pattern[str]


def _compile(term: str) -> re.Pattern[str]:
    escaped = re.escape(term)
    if _is_latin(term):
        # Latin words and size codes must stand alone: "xl" must not match inside "xxl" or "xlarge".
        return re.compile(rf"(?<![0-9a-z]){escaped}(?![0-9a-z])")
    if term.isdigit():
        return re.compile(rf"(?<!\d){escaped}(?!\d)")
    return re.compile(escaped)


def product_terms(snapshot: CatalogSnapshot) -> tuple[_Term, ...]:
    """Compile every product name and alias once per snapshot (the service keeps the result with the snapshot)."""
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
    return tuple(_Term(term, pid, _compile(term)) for term, pid in ordered)


def mentioned_products(text: str, terms: tuple[_Term, ...]) -> list[str]:
    """Product ids named in the (normalised) text, in order of appearance, longest names first, no overlaps."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str]] = []
    for t in terms:
        for m in t.pattern.finditer(text):
            span = m.span()
            if any(span[0] < e and s < span[1] for s, e in taken):
                continue
            taken.append(span)
            found.append((span[0], t.key))
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
