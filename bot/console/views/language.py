"""The header's language switcher: `/lang/<code>?next=/path` stores the choice in a cookie and goes back."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.console import i18n
from bot.console.web import context

COOKIE_MAX_AGE_S = 365 * 24 * 3600


def _safe_next(value: str | None) -> str:
    """Only local paths: never redirect to another site."""
    if not value or not value.startswith("/") or value.startswith("//") or urlsplit(value).netloc or "\\" in value:
        return "/dashboard"
    return value


async def switch_language(request: Request) -> Response:
    lang = request.path_params["code"]
    if lang not in i18n.LANGUAGES:
        lang = i18n.normalise(lang) or i18n.DEFAULT
    response = RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
    response.set_cookie(
        i18n.COOKIE, lang, max_age=COOKIE_MAX_AGE_S, httponly=True, samesite="lax",
        secure=context(request).secure_cookies, path="/",
    )
    return response


routes = [Route("/lang/{code}", switch_language, methods=["GET"])]
