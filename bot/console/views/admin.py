"""Audit log (editors and admins) and staff accounts (admins)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console.auth import ROLES, AccountError, add_staff, normalize_username
from bot.console.i18n import gettext as _
from bot.console.web import actor, context, endpoint, redirect, render
from catalog.errors import CatalogError, NotFound


@endpoint("editor")
def audit_page(request: Request) -> Response:
    entries = context(request).accounts.audit_entries(limit=300)
    return render(request, "audit.html", {"entries": entries})


@endpoint("admin")
def staff_page(request: Request) -> Response:
    return render(request, "staff.html", {"users": context(request).accounts.users(), "roles": ROLES, "error": None})


@endpoint("admin", write=True)
def staff_save(request: Request, form: Any) -> Response:
    ctx = context(request)
    username = normalize_username(str(form.get("username") or ""))
    role = str(form.get("role") or "")
    password = str(form.get("password") or "")
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
        return render(
            request,
            "staff.html",
            {
                "users": ctx.accounts.users(),
                "roles": ROLES,
                "error": _("No staff user %(name)s; give a password to create one.") % {"name": repr(username)},
            },
            status_code=400,
        )
    except (AccountError, CatalogError) as exc:
        return render(request, "staff.html", {"users": ctx.accounts.users(), "roles": ROLES, "error": str(exc)}, status_code=400)
    return redirect("/staff", ok=_("Saved %(name)s (%(role)s).") % {"name": username, "role": _(role)})


routes = [
    Route("/audit", audit_page, methods=["GET"]),
    Route("/staff", staff_page, methods=["GET"]),
    Route("/staff", staff_save, methods=["POST"]),
]
