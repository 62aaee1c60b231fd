"""Error pages for what Starlette itself refuses (unknown page, wrong method, body too large) and for bugs (500),
in the staff member's language like every other page (JSON for /api/*)."""

from __future__ import annotations

import logging
from http import HTTPStatus

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.console import i18n
from bot.console.i18n import N_
from bot.console.i18n import gettext as _
from bot.console.web import refuse

log = logging.getLogger(__name__)

TITLES = {404: N_("Not found"), 405: N_("Not allowed"), 413: N_("Upload too large")}
MESSAGES = {404: N_("There is no such page."), 405: N_("This page cannot be used that way.")}


async def http_error(request: Request, exc: Exception) -> Response:
    """An HTTPException raised by routing or middleware (413's detail is already a message in the right language)."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = str(exc.detail) if isinstance(exc, HTTPException) else ""
    title = _(TITLES[status]) if status in TITLES else _("Error %(status)d") % {"status": status}
    plain_phrase = detail == _phrase(status)
    why = _(MESSAGES[status]) if status in MESSAGES else (title if plain_phrase or not detail else detail)
    response = refuse(request, status, title, why)
    for key, value in (getattr(exc, "headers", None) or {}).items():
        response.headers[key] = value
    return response


async def server_error(request: Request, exc: Exception) -> Response:
    """A bug: a short page saying so (the traceback goes to the log, never to the browser)."""
    i18n.use(i18n.choose(request.cookies.get(i18n.COOKIE), request.headers.get("accept-language")))
    try:
        return refuse(request, 500, _("Something went wrong"), _("The console hit an error; it is in the log. Try again."))
    except Exception:  # rendering the page failed too: plain text
        log.exception("could not render the error page")
        return PlainTextResponse("Internal Server Error", status_code=500)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


HANDLERS = {HTTPException: http_error, 500: server_error}
