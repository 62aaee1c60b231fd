"""Small inline-SVG charts rendered on the server (no JS chart library, nothing from a CDN).

Every label is XML-escaped. Colours come from CSS classes (see static/console.css), so the markup stays small.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.console.i18n import gettext as _


def _fmt(value: float) -> str:
    if value >= 100 or float(value).is_integer():
        return f"{value:.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _text_w(text: str, px: int = 7) -> int:
    """About how wide `text` is at the legend's 11 px font: CJK characters are full width."""
    return sum(2 * px if ord(c) >= 0x2E80 else px for c in text)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def line_chart(values: Sequence[float], *, width: int = 480, height: int = 120, label: str = "", unit: str = "") -> str:
    """A filled line over equally spaced points (oldest left), with the max and the last value written."""
    pad_l, pad_r, pad_t, pad_b = 34, 8, 14, 16
    w, h = width - pad_l - pad_r, height - pad_t - pad_b
    top = max(max(values, default=0.0), 1e-9)
    n = max(len(values), 2)
    pts = [(pad_l + i * w / (n - 1), pad_t + h - (v / top) * h) for i, v in enumerate(values)] or [(pad_l, pad_t + h)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
    area = f"{pad_l},{pad_t + h} {path} {pts[-1][0]:.1f},{pad_t + h}"
    last = values[-1] if values else 0.0
    return (
        f'<svg class="chart line" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
        f'<line class="axis" x1="{pad_l}" y1="{pad_t + h}" x2="{pad_l + w}" y2="{pad_t + h}"/>'
        f'<text class="tick" x="{pad_l - 4}" y="{pad_t + 4}" text-anchor="end">{_fmt(top if values else 0)}</text>'
        f'<text class="tick" x="{pad_l - 4}" y="{pad_t + h}" text-anchor="end">0</text>'
        f'<polygon class="area" points="{area}"/>'
        f'<polyline class="stroke" points="{path}"/>'
        f'<text class="value" x="{pad_l + w}" y="{pad_t - 3}" text-anchor="end">{escape(_fmt(last))}{escape(unit)}</text>'
        "</svg>"
    )


def stacked_bar(parts: Sequence[tuple[str, float, str]], *, width: int = 480, height: int = 56) -> str:
    """One horizontal bar split into parts (label, value, css class) with a legend of percentages."""
    total = sum(v for _, v, _ in parts)
    bar_h = 22
    x = 0.0
    rects, legend = [], []
    lx = 0
    for label, value, css in parts:
        share = value / total if total else 0.0
        wpx = share * width
        if wpx > 0:
            rects.append(
                f'<rect class="{escape(css)}" x="{x:.1f}" y="0" width="{wpx:.1f}" height="{bar_h}">'
                f"<title>{escape(label)}: {value:.0f} ({share:.0%})</title></rect>"
            )
        x += wpx
        text = f"{label} {share:.0%}"
        legend.append(
            f'<rect class="{escape(css)}" x="{lx}" y="{bar_h + 12}" width="10" height="10"/>'
            f'<text class="legend" x="{lx + 14}" y="{bar_h + 21}">{escape(text)}</text>'
        )
        lx += 14 + _text_w(text) + 14
    aria = _("outcome rates")
    if not rects:
        rects.append(f'<rect class="empty" x="0" y="0" width="{width}" height="{bar_h}"/>')
    return (
        f'<svg class="chart stacked" viewBox="0 0 {max(width, lx)} {height}" role="img" '
        f'aria-label="{escape(aria)}">'
        + "".join(rects)
        + "".join(legend)
        + "</svg>"
    )


def _fit(text: str, px: int) -> str:
    """`text` cut (with …) to about `px` pixels at the label font."""
    if _text_w(text) <= px:
        return text
    out = ""
    for c in text:
        if _text_w(out + c + "…") > px:
            break
        out += c
    return out + "…"


def bar_chart(
    items: Sequence[tuple[str, float] | tuple[str, float, str]], *, width: int = 480, bar_h: int = 18,
    label_w: int = 190, empty: str | None = None,
) -> str:
    """Horizontal bars, one per (label, value) or (label, value, detail), largest scale = largest value. A detail
    (a FAQ's id beside its question) is written after the label, smaller, when there is room; always in the tooltip."""
    if not items:
        empty = empty or _("no data yet")
        return (
            f'<svg class="chart bars" viewBox="0 0 {width} 24" role="img">'
            f'<text class="tick" x="0" y="16">{escape(empty)}</text></svg>'
        )
    top = max(item[1] for item in items) or 1.0
    gap = 6
    height = len(items) * (bar_h + gap)
    w = width - label_w - 50
    rows = []
    for i, item in enumerate(items):
        label, value = item[0], item[1]
        detail = item[2] if len(item) > 2 else ""
        y = i * (bar_h + gap)
        room = label_w - 10
        shown = escape(_clip(label, 22)) if not detail else escape(_fit(label, room))
        if detail and label != detail and _text_w(f"{label} {detail}", 7) <= room:
            shown += f' <tspan class="detail">{escape(detail)}</tspan>'
        full = f"{label} ({detail})" if detail and detail != label else label
        rows.append(
            f'<text class="label" x="{label_w - 6}" y="{y + bar_h - 5}" text-anchor="end">{shown}</text>'
            f'<rect class="bar" x="{label_w}" y="{y}" width="{max(1.0, value / top * w):.1f}" height="{bar_h}">'
            f"<title>{escape(full)}: {_fmt(value)}</title></rect>"
            f'<text class="value" x="{label_w + value / top * w + 4:.1f}" y="{y + bar_h - 5}">{_fmt(value)}</text>'
        )
    return f'<svg class="chart bars" viewBox="0 0 {width} {height}" role="img">' + "".join(rows) + "</svg>"


def paired_bars(
    items: Sequence[tuple[str, float, float]],
    *,
    names: tuple[str, str] = ("in stock", "sold"),
    width: int = 480,
    label_w: int = 190,
) -> str:
    """Two bars per label (e.g. stock now and units sold), on one scale, with a legend."""
    if not items:
        return bar_chart([], width=width)
    bar_h, gap = 10, 8
    top = max(max(a, b) for _, a, b in items) or 1.0
    w = width - label_w - 50
    legend = (
        f'<rect class="bar" x="{label_w}" y="0" width="10" height="10"/>'
        f'<text class="legend" x="{label_w + 14}" y="9">{escape(names[0])}</text>'
        f'<rect class="bar alt" x="{label_w + 110}" y="0" width="10" height="10"/>'
        f'<text class="legend" x="{label_w + 124}" y="9">{escape(names[1])}</text>'
    )
    rows = [legend]
    for i, (label, a, b) in enumerate(items):
        y = 18 + i * (2 * bar_h + gap)
        rows.append(
            f'<text class="label" x="{label_w - 6}" y="{y + bar_h + 3}" text-anchor="end">{escape(_clip(label, 22))}</text>'
            f'<rect class="bar" x="{label_w}" y="{y}" width="{max(1.0, a / top * w):.1f}" height="{bar_h}">'
            f"<title>{escape(label)} {escape(names[0])}: {a:.0f}</title></rect>"
            f'<text class="value" x="{label_w + a / top * w + 4:.1f}" y="{y + bar_h - 1}">{a:.0f}</text>'
            f'<rect class="bar alt" x="{label_w}" y="{y + bar_h}" width="{max(1.0, b / top * w):.1f}" height="{bar_h}">'
            f"<title>{escape(label)} {escape(names[1])}: {b:.0f}</title></rect>"
            f'<text class="value" x="{label_w + b / top * w + 4:.1f}" y="{y + 2 * bar_h - 1}">{b:.0f}</text>'
        )
    height = 18 + len(items) * (2 * bar_h + gap)
    return f'<svg class="chart bars" viewBox="0 0 {width} {height}" role="img">' + "".join(rows) + "</svg>"
