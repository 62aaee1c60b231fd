"""Sign in / sign out. The login form is CSRF-protected with a double-submit cookie (no session yet)."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.console import csrf
from bot.console.i18n import gettext as _
from bot.console.web import SESSION_COOKIE, client_ip, context, current_session, endpoint, render
from catalog.accounts import SESSION_TTL_S


def _safe_next(value: str | None) -> str:
    """Only local paths: never redirect to another site after sign-in."""
    if not value or not value.startswith("/") or value.startswith("//") or urlsplit(value).netloc or "\\" in value:
        return "/dashboard"
    return value


def _login_form(request: Request, *, error: str | None = None, status_code: int = 200, username: str = "") -> Response:
    token = request.cookies.get(csrf.ANON_COOKIE) or csrf.new_token()
    request.state.anon_csrf = token
    response = render(
        request,
        "login.html",
        {"error": error, "username": username, "next": _safe_next(request.query_params.get("next"))},
        status_code=status_code,
    )
    response.set_cookie(
        csrf.ANON_COOKIE, token, httponly=True, samesite="strict", secure=context(request).secure_cookies, path="/login"
    )
    return response


async def login_page(request: Request) -> Response:
    session = await run_in_threadpool(current_session, request)
    if session is not None:
        return RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
    return _login_form(request)


async def login_submit(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=10)
    try:
        csrf.check(request.cookies.get(csrf.ANON_COOKIE), csrf.submitted_token(form, request.headers))
    except csrf.CsrfError as exc:
        return _login_form(request, error=_("Sign-in refused: %(why)s. Please try again.") % {"why": exc}, status_code=403)
    username = str(form.get("username") or "")
    password = str(form.get("password") or "")
    ctx = context(request)
    ip = client_ip(request)
    result = await run_in_threadpool(ctx.auth.login, username, password, ip)
    if not result.ok:
        status = 429 if result.retry_after else 401
        response = _login_form(request, error=result.reason, status_code=status, username=username)
        if result.retry_after:
            response.headers["Retry-After"] = str(int(result.retry_after) + 1)
        return response
    assert result.user is not None
    token, _session = await run_in_threadpool(ctx.accounts.create_session, result.user, ip)
    response = RedirectResponse(_safe_next(str(form.get("next") or "")), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_TTL_S,
        httponly=True,
        samesite="strict",
        secure=ctx.secure_cookies,
        path="/",
    )
    response.delete_cookie(csrf.ANON_COOKIE, path="/login", secure=ctx.secure_cookies, httponly=True, samesite="strict")
    return response


@endpoint("viewer", write=True)
def logout(request: Request, form: object) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        context(request).accounts.delete_session(token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=context(request).secure_cookies, httponly=True, samesite="strict")
    return response


routes = [
    Route("/login", login_page, methods=["GET"]),
    Route("/login", login_submit, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]
