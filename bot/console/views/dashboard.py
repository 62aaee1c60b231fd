"""The live dashboard: a page with server-rendered SVG charts, refreshed by polling /api/stats (JSON)."""

from __future__ import annotations

import threading
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.console import charts, i18n
from bot.console.faq_labels import faq_label
from bot.console.i18n import gettext as _
from bot.console.live import bot_state
from bot.console.metrics import dashboard_stats
from bot.console.product_labels import product_label
from bot.console.web import context, endpoint, render

CACHE_S = 0.5  # several open dashboards share one computation per half second
WIDE = 1000  # viewBox width of charts in full-width cards (half-width cards use the 480 default)
_cache_lock = threading.Lock()


def stats_with_charts(store: Any, cache: dict[str, Any]) -> dict[str, Any]:
    key = f"stats:{i18n.current()}"  # the charts' labels are in the request's language
    with _cache_lock:
        hit = cache.get(key)
        if hit is not None and time.monotonic() - hit[0] < CACHE_S:
            return hit[1]
        stats = dashboard_stats(store)
        snap = store.snapshot()
        faqs, products = snap.faqs, snap.products
        for q in stats["top_questions"]:  # in the request's language: 包邮吗 rather than shipping-free
            q["label"] = faq_label(faqs.get(q["faq_id"])) or q["faq_id"]
        for p in (*stats["products"], *stats["top_products"]):  # the name in the request's language, not always zh
            if p["id"] in products:
                p["name"] = product_label(products[p["id"]])
        stats["charts"] = build_charts(stats)
        cache[key] = (time.monotonic(), stats)
        return stats


def build_charts(stats: dict[str, Any]) -> dict[str, str]:
    counts = stats["counts"]
    return {
        "rate": charts.line_chart(
            stats["series_per_s"], width=WIDE, height=150, label=_("comments per second, last 60 s"), unit="/s"
        ),
        "outcomes": charts.stacked_bar(
            [
                (_("answered"), counts["answered"], "answered"),
                (_("handed to staff"), counts["staff"], "staff"),
                (_("silent"), counts["silent"], "silent"),
                (_("in progress / error"), counts["other"], "other"),
            ],
            width=WIDE,
        ),
        "questions": charts.bar_chart(  # the question staff recognise, its FAQ id beside it
            [(q.get("label") or q["faq_id"], q["count"], q["faq_id"]) for q in stats["top_questions"]],
            empty=_("no answered questions yet"),
        ),
        "products": charts.bar_chart(
            [(p["name"], p["questions"], p["id"]) for p in stats["top_products"]], empty=_("no product questions yet")
        ),
        "stock": charts.paired_bars(
            [(p["name"], p["stock"], p["sold"]) for p in stats["products"]],
            names=(_("in stock"), _("units sold")),
            width=WIDE,
            label_w=240,
        ),
    }


@endpoint("viewer")
def home(request: Request) -> Response:
    return RedirectResponse("/dashboard", status_code=303)


@endpoint("viewer")
def dashboard_page(request: Request) -> Response:
    ctx = context(request)
    return render(request, "dashboard.html", {"stats": with_bot(stats_with_charts(ctx.store, ctx.stats_cache), ctx.store)})


@endpoint("viewer")
def api_stats(request: Request) -> Response:
    ctx = context(request)
    stats = with_bot(stats_with_charts(ctx.store, ctx.stats_cache), ctx.store)
    return JSONResponse(stats, headers={"Cache-Control": "no-store"})


def with_bot(stats: dict[str, Any], store: Any) -> dict[str, Any]:
    """The figures plus the bot's state from its heartbeat (live / paused / not running), in this request's language."""
    return {**stats, "bot": bot_state(store).as_json()}


routes = [
    Route("/", home, methods=["GET"]),
    Route("/dashboard", dashboard_page, methods=["GET"]),
    Route("/api/stats", api_stats, methods=["GET"]),
]
