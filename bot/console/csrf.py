"""CSRF protection: a per-session token for signed-in staff, a double-submit cookie before sign-in.

Every state-changing request (POST) must carry the token in the form field `csrf_token` or in the
`X-CSRF-Token` header (small JS calls); a missing or wrong token is refused with 403 before any handler runs.
Tokens are compared in constant time. Together with SameSite=Strict cookies this stops cross-site form posts.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping

from bot.console.i18n import gettext as _
from bot.errors import LiveReplyError

FIELD = "csrf_token"
HEADER = "x-csrf-token"
ANON_COOKIE = "lr_csrf"  # pre-login double-submit cookie (HttpOnly; the login form carries its value)


class CsrfError(LiveReplyError):
    """The request has no valid CSRF token."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def submitted_token(form: Mapping[str, object] | None, headers: Mapping[str, str]) -> str | None:
    """The token a request carries: form field first, then header."""
    if form is not None:
        value = form.get(FIELD)
        if isinstance(value, str) and value:
            return value
    value = headers.get(HEADER)
    return value or None


def check(expected: str | None, submitted: str | None) -> None:
    """Raise CsrfError unless `submitted` equals `expected` (constant-time)."""
    if not expected or not submitted:
        raise CsrfError(_("missing CSRF token"))
    if not hmac.compare_digest(expected.encode("utf-8"), submitted.encode("utf-8")):
        raise CsrfError(_("invalid CSRF token"))
