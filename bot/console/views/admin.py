"""Audit log (editors and admins), staff accounts (admins) and every staff member's own password."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console.auth import (
    ROLES,
    AccountError,
    add_staff,
    change_own_password,
    normalize_username,
    set_staff_active,
)
from bot.console.i18n import gettext as _
from bot.console.i18n import quoted_value
from bot.console.web import actor, context, endpoint, redirect, render
from catalog.accounts import LastAdmin, SessionInfo
from catalog.errors import CatalogError, NotFound


@endpoint("editor")
def audit_page(request: Request) -> Response:
    entries = context(request).accounts.audit_entries(limit=300)
    return render(request, "audit.html", {"entries": entries})


def _staff_listing(
    request: Request, error: str | None = None, status_code: int = 200, values: dict[str, str] | None = None
) -> Response:
    """The accounts and the add / change form; after a refused save the form keeps the name and role typed
    (`values`), so a retry does not quietly save the first role of the list."""
    users = context(request).accounts.users()
    return render(request, "staff.html", {"users": users, "roles": ROLES, "error": error, "values": values or {}},
                  status_code=status_code)


def _last_admin_message(username: str) -> str:
    return _("%(name)s is the last active admin; make another account admin first.") % {"name": username}


@endpoint("admin")
def staff_page(request: Request) -> Response:
    return _staff_listing(request)


@endpoint("admin", write=True)
def staff_save(request: Request, form: Any) -> Response:
    ctx = context(request)
    username = normalize_username(str(form.get("username") or ""))
    role = str(form.get("role") or "")
    password = str(form.get("password") or "")
    typed = {"username": str(form.get("username") or ""), "role": role}  # kept on the form when refused
    try:
        if password:
            add_staff(ctx.store, username, password, role, actor=actor(request).username, actor_role=actor(request).role)
        else:  # role change only
            before, after = ctx.accounts.set_role(username, role)
            ctx.accounts.audit(
                username=actor(request).username, role=actor(request).role, action="staff.role", target_type="staff",
                target_id=username, before={"username": username, "role": before.role},
                after={"username": username, "role": after.role}, ip=actor(request).ip,
            )
    except NotFound:
        return _staff_listing(
            request, _("No staff user %(name)s; give a password to create one.") % {"name": quoted_value(username)}, 400,
            typed,
        )
    except LastAdmin:
        return _staff_listing(request, _last_admin_message(username), 409, typed)
    except (AccountError, CatalogError) as exc:
        return _staff_listing(request, str(exc), 400, typed)
    return redirect("/staff", ok=_("Saved %(name)s (%(role)s).") % {"name": username, "role": _(role)})


@endpoint("admin", write=True)
def staff_active(request: Request, form: Any) -> Response:
    """Deactivate (sessions end at once, sign-in refused) or reactivate an account; never oneself or the last admin."""
    ctx = context(request)
    who = actor(request)
    username = normalize_username(str(form.get("username") or ""))
    active = str(form.get("active") or "") == "1"
    if not active and username == who.username:
        return _staff_listing(request, _("You cannot deactivate your own account."), 409)
    try:
        account, ended = set_staff_active(ctx.store, username, active, actor=who.username, actor_role=who.role, ip=who.ip)
    except NotFound:
        return _staff_listing(request, _("No staff user %(name)s.") % {"name": quoted_value(username)}, 404)
    except LastAdmin:
        return _staff_listing(request, _last_admin_message(username), 409)
    if active:
        return redirect("/staff", ok=_("%(name)s can sign in again.") % {"name": account.username})
    return redirect("/staff", ok=_("%(name)s is deactivated; %(n)d signed-in sessions ended.")
                    % {"name": account.username, "n": ended})


@endpoint("viewer")
def account_page(request: Request) -> Response:
    return render(request, "account.html", {"error": None})


@endpoint("viewer", write=True)
def account_password(request: Request, form: Any) -> Response:
    """Change one's own password: the current one, the new one twice; the account's other sessions end."""
    session: SessionInfo = request.state.session
    try:
        ended = change_own_password(
            context(request).store, session.user, str(form.get("current") or ""), str(form.get("new") or ""),
            str(form.get("repeat") or ""), session_id=session.id, ip=actor(request).ip,
        )
    except AccountError as exc:
        return render(request, "account.html", {"error": str(exc)}, status_code=400)
    return redirect("/account", ok=_("Password changed; %(n)d other signed-in sessions ended.") % {"n": ended})


routes = [
    Route("/audit", audit_page, methods=["GET"]),
    Route("/staff", staff_page, methods=["GET"]),
    Route("/staff", staff_save, methods=["POST"]),
    Route("/staff/active", staff_active, methods=["POST"]),
    Route("/account", account_page, methods=["GET"]),
    Route("/account/password", account_password, methods=["POST"]),
]
