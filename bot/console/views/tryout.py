""""Try a question": the bot's top matches, scores, intent and rendered answer (with live stock)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.config import room_language_codes
from bot.console.i18n import gettext as _
from bot.console.lang_names import lang_name
from bot.console.live import rooms_with_other_languages
from bot.console.tryout import try_question
from bot.console.web import context, endpoint, render

MAX_QUESTION_CHARS = 500


def _run(request: Request) -> tuple[dict[str, Any] | None, str | None]:
    q = (request.query_params.get("q") or "").strip()[:MAX_QUESTION_CHARS]
    stage = (request.query_params.get("stage") or "").strip() or None
    if not q:
        return None, None
    slot = context(request).runtime
    engine = slot.fresh_engine()
    if engine is None:
        return None, _("The matching model is %(status)s; try again in a few seconds.") % {"status": _(slot.status)}
    result = try_question(engine, q, stage)
    runtime = slot.get()
    point = getattr(runtime, "operating_point", None) if runtime is not None else None
    result["calibration"] = point.as_dict() if point is not None else None
    return result, None


@endpoint("viewer")
def try_page(request: Request) -> Response:
    result, error = _run(request)
    snap = context(request).store.snapshot()
    # with no product chosen the try uses the one the live room has on stage (`demo --keep-console` shares its engine)
    runtime = context(request).runtime.get()
    live_stage = getattr(getattr(runtime, "engine", None), "stage_product_id", None)
    # a console started on its own identifies its own --room-languages, maybe not those of the bot running the show
    settings = getattr(runtime, "settings", None) or context(request).settings
    own = room_language_codes(str(getattr(settings, "room_languages", "") or ""))
    return render(
        request,
        "try.html",
        {"result": result, "error": error, "q": request.query_params.get("q", ""), "stage": request.query_params.get("stage", ""),
         "products": snap.products, "faqs": snap.faqs, "live_stage": snap.products.get(live_stage) if live_stage else None,
         "other_rooms": rooms_with_other_languages(context(request).store, own),
         "own_languages": _(", ").join(lang_name(code) for code in own), "own_flag": ",".join(own)},
    )


@endpoint("viewer")
def api_try(request: Request) -> Response:
    result, error = _run(request)
    if error:
        return JSONResponse({"error": error}, status_code=503)
    if result is None:
        return JSONResponse({"error": _("empty question")}, status_code=400)
    return JSONResponse(result)


routes = [
    Route("/try", try_page, methods=["GET"]),
    Route("/api/try", api_try, methods=["GET"]),
]
