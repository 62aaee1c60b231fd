"""Size charts: which size of a product fits which body. Pure data and its rules, no I/O.

A chart is an optional list of rows per product (catalog file key `size_chart`, column `products.size_chart`,
migration 0007), one row per size, from the smallest size to the largest::

    size_chart:
      - {size: M, height_cm: [165, 172], weight_kg: [55, 65]}
      - {size: L, height_cm: [172, 178], weight_kg: [65, 75]}

Each dimension is an inclusive range. Two neighbouring rows may share an edge (172 above): a body exactly on it
fits both rows and the bot advises the larger one (bot/size_advice.py). The rules, checked by the file loader
(catalog/io.py, with file:line) and by the store (every other way in), are in :func:`chart_problems`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from catalog.rules import clip

__all__ = ["DIMENSIONS", "MAX_ROWS", "SIZE_ATTR", "SizeRow", "chart_problems", "chart_sizes"]

SIZE_ATTR = "size"  # the variant attribute a chart's `size` names
# dimension -> (smallest, largest) plausible value and what it is measured in
DIMENSIONS: Mapping[str, tuple[float, float, str]] = {
    "height_cm": (40.0, 250.0, "heights are in centimetres"),
    "weight_kg": (2.0, 300.0, "weights are in kilograms (120斤 = 60 kg)"),
    "foot_mm": (80.0, 350.0, "foot lengths are in millimetres (24.5 cm = 245 mm)"),
}
MAX_ROWS = 50  # a chart has one row per size; more is a mistake (or hostile) and is refused


@dataclass(frozen=True)
class SizeRow:
    """One size of a chart: ``ranges`` maps a dimension (see DIMENSIONS) to its inclusive (low, high)."""

    size: str
    ranges: Mapping[str, tuple[float, float]]

    def to_json(self) -> dict[str, Any]:
        """The row as stored (JSON column) and exported: {"size": "L", "height_cm": [172, 178], ...}."""
        out: dict[str, Any] = {"size": self.size}
        for dim in DIMENSIONS:
            if dim in self.ranges:
                low, high = self.ranges[dim]
                out[dim] = [_number(low), _number(high)]
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SizeRow:
        """The inverse of :meth:`to_json`; ValueError/TypeError/KeyError on a malformed row."""
        ranges: dict[str, tuple[float, float]] = {}
        for dim in DIMENSIONS:
            if dim in data:
                low, high = data[dim]
                ranges[dim] = (float(low), float(high))
        return cls(size=str(data["size"]), ranges=ranges)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def chart_sizes(variant_attrs: Sequence[Mapping[str, str]]) -> list[str]:
    """The product's sizes in the order they first appear among its variants."""
    sizes: list[str] = []
    for attrs in variant_attrs:
        value = attrs.get(SIZE_ATTR)
        if value is not None and str(value) not in sizes:
            sizes.append(str(value))
    return sizes


def _show(low: float, high: float) -> str:
    return f"{_number(low)}-{_number(high)}"


def chart_problems(rows: Sequence[SizeRow], sizes: Sequence[str]) -> list[tuple[int | None, str]]:
    """Every problem of a chart as (row index or None for the whole chart, message); empty when it is valid.

    - at least one row and at most MAX_ROWS; the product must have variants with a `size`;
    - every row names a size of the product's variants, each size once;
    - every row has the same dimensions (at least one), each a finite (low, high) with low <= high, within the
      plausible bounds of DIMENSIONS (a height of 1.75 is metres, not centimetres: refused);
    - rows go from the smallest size to the largest, in the order the variants list the sizes, and in every
      dimension a row starts at or above where the previous one ends (sharing an edge is allowed; an overlap or
      a row below the previous one contradicts the chart and is refused).
    """
    if not rows:
        return [(None, "the size chart is empty: give one row per size, or leave size_chart out")]
    if len(rows) > MAX_ROWS:
        return [(None, f"the size chart has {len(rows)} rows; at most {MAX_ROWS} (one per size)")]
    if not sizes:
        return [(None, f"the size chart needs variants with a '{SIZE_ATTR}' attribute; this product has none")]
    problems: list[tuple[int | None, str]] = []
    seen: dict[str, int] = {}
    first_dims: tuple[str, ...] | None = None
    good: list[int] = []  # rows that passed the per-row checks, compared with each other below
    for i, row in enumerate(rows):
        what = f"size chart row '{clip(row.size)}'"
        if row.size not in sizes:
            problems.append((i, (f"{what}: '{clip(row.size)}' is not a size of this product's variants "
                                f"(sizes: {clip(', '.join(sizes))})")))
            continue
        if row.size in seen:
            problems.append((i, f"{what}: size '{clip(row.size)}' is listed twice in the size chart"))
            continue
        seen[row.size] = i
        dims = tuple(d for d in DIMENSIONS if d in row.ranges)
        unknown = [d for d in row.ranges if d not in DIMENSIONS]
        if unknown:
            problems.append((i, f"{what}: unknown dimension '{clip(unknown[0])}' (known: {', '.join(DIMENSIONS)})"))
            continue
        if not dims:
            problems.append((i, f"{what} needs at least one of {', '.join(DIMENSIONS)}"))
            continue
        if first_dims is None:
            first_dims = dims
        elif dims != first_dims:
            problems.append((i, (f"{what} gives {', '.join(dims)} but the first row gives {', '.join(first_dims)}: "
                                "every row needs the same dimensions")))
            continue
        ok = True
        for dim in dims:
            low, high = row.ranges[dim]
            smallest, largest, unit = DIMENSIONS[dim]
            if not (math.isfinite(low) and math.isfinite(high)):
                problems.append((i, f"{what}: {dim} must be finite numbers"))
                ok = False
            elif low > high:
                problems.append((i, f"{what}: {dim} range {_show(low, high)} is inverted (low above high)"))
                ok = False
            elif low < smallest or high > largest:
                problems.append((i, (f"{what}: {dim} {_show(low, high)} is outside "
                                    f"{_show(smallest, largest)} ({unit})")))
                ok = False
        if ok:
            good.append(i)
    order = {size: n for n, size in enumerate(sizes)}
    for before, after in itertools.pairwise(good):
        a, b = rows[before], rows[after]
        what = f"size chart row '{clip(b.size)}'"
        if order[b.size] < order[a.size]:
            problems.append((after, (f"{what} comes after '{clip(a.size)}' but the variants list {clip(b.size)} "
                                    f"first: rows go from the smallest size to the largest")))
            continue
        for dim in first_dims or ():
            (a_low, a_high), (b_low, b_high) = a.ranges[dim], b.ranges[dim]
            if b_low < a_high:
                problems.append((after, (f"{what}: {dim} {_show(b_low, b_high)} overlaps or is below the row for "
                                        f"'{clip(a.size)}' ({_show(a_low, a_high)}); rows go from the smallest size "
                                        "to the largest and may share only an edge")))
                break
    return sorted(problems, key=lambda p: -1 if p[0] is None else p[0])
