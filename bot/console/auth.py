"""Staff authentication: argon2id password hashes, roles, login rate limiting.

    add_staff(store, "ana", "s3cret", "editor")     # what `livereply staff add` calls
    auth = Authenticator(Accounts(store))
    result = auth.login("ana", "s3cret", ip="127.0.0.1")   # LoginResult(ok, user, reason, retry_after)
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
import unicodedata
from collections import deque
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from bot.console.i18n import gettext as _
from bot.console.i18n import quoted_value
from bot.errors import LiveReplyError
from catalog.accounts import Accounts, StaffAccount
from catalog.staff_schema import ROLES

__all__ = [
    "ROLES",
    "AccountError",
    "Authenticator",
    "DemoAdmin",
    "LoginRateLimiter",
    "LoginResult",
    "add_staff",
    "change_own_password",
    "ensure_demo_admin",
    "has_role",
    "hash_password",
    "normalize_username",
    "reset_password",
    "set_staff_active",
    "validate_new_account",
]

log = logging.getLogger(__name__)

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Any script's letters and digits (小王, ana, 김민수), then also . _ @ - ; NFKC-normalised first (normalize_username)
_USERNAME_RE = re.compile(r"[^\W_][\w.@-]*")
MAX_USERNAME_CHARS = 64  # the staff_users.username column is String(64)
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))  # verified against when the user does not exist (no timing oracle)
MIN_PASSWORD_LENGTH = 8
RANK = {role: i for i, role in enumerate(ROLES)}


def has_role(user_role: str, needed: str) -> bool:
    """viewer < editor < admin."""
    return RANK.get(user_role, -1) >= RANK[needed]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


class AccountError(LiveReplyError, ValueError):
    """A new staff account (or password) is refused; the message says why."""


def normalize_username(username: str) -> str:
    """NFKC, trimmed: full-width ａｎａ and ana are one account. What is stored and what sign-in looks up."""
    return unicodedata.normalize("NFKC", username or "").strip()


def _username_ok(username: str) -> bool:
    return (
        0 < len(username) <= MAX_USERNAME_CHARS
        and _USERNAME_RE.fullmatch(username) is not None
        and not any(unicodedata.category(ch)[0] == "C" for ch in username)  # control, format (zero-width), unassigned
    )


def validate_new_account(username: str, password: str, role: str) -> None:
    """Raise AccountError with a clear message for a bad username, an empty password or an unknown role.

    `username` should already be normalised (normalize_username); Chinese and other scripts are welcome.
    """
    if role not in ROLES:
        raise AccountError(_("unknown role %(role)s: expected one of %(roles)s")
            % {"role": quoted_value(role), "roles": ", ".join(ROLES)})
    if not _username_ok(username):
        raise AccountError(
            _("bad username %(name)s: 1-%(max)d characters, letters (any language), digits and . _ @ - "
              "(starting with a letter or digit)") % {"name": quoted_value(username[:80]), "max": MAX_USERNAME_CHARS}
        )
    _new_password_ok(password)


def add_staff(
    store: Any, username: str, password: str, role: str, *, actor: str = "cli", actor_role: str = "admin"
) -> StaffAccount:
    """Create a staff account or reset its password and role (audit-logged).

    Raises AccountError on bad input, catalog.errors.Invalid / Conflict when the store refuses the account.
    """
    username = normalize_username(username)
    validate_new_account(username, password, role)
    accounts = Accounts(store)
    before, after = accounts.save_user(username, hash_password(password), role)
    accounts.audit(
        username=actor,
        role=actor_role,
        action="staff.create" if before is None else "staff.update",
        target_type="staff",
        target_id=username,
        before=None if before is None else {"username": before.username, "role": before.role},
        after={"username": after.username, "role": after.role, "password": "(changed)"},
    )
    log.info("staff account %r saved (%s)", username, role)
    return after


@dataclass(frozen=True, slots=True)
class DemoAdmin:
    """What `ensure_demo_admin` did: `password` is set only when the account was created just now."""

    username: str
    created: bool
    password: str | None = None
    note: str = ""  # e.g. why $LIVEREPLY_STAFF_PASSWORD was not applied
    db_flag: str = ""  # " --db URL" when the console's database is not the default one: the reset must name it

    @property
    def login_hint(self) -> str:
        """The line `livereply demo` / `livereply console` print (the password only on the start that created it)."""
        if self.created:
            return f"{self.username} / {self.password}"
        hint = f"admin `{self.username}` exists — reset with `livereply staff reset-password {self.username}{self.db_flag}`"
        return f"{hint}; {self.note}" if self.note else hint


def ensure_demo_admin(store: Any, password: str | None = None, username: str = "staff") -> DemoAdmin:
    """Create the admin account `username` once, with `password` (random when None); an existing account is kept
    as it is (password, role, active) — `livereply staff reset-password` changes it. Audit-logged when created."""
    username = normalize_username(username)
    chosen = password or secrets.token_urlsafe(9)
    accounts = Accounts(store)
    existing = accounts.get_user(username)
    if existing is None:  # the password's rules apply to a new account only: an existing one keeps its own
        validate_new_account(username, chosen, "admin")
        created, account = accounts.create_user_if_missing(username, hash_password(chosen), "admin")
        if created:
            accounts.audit(
                username="console-start", role="admin", action="staff.create", target_type="staff", target_id=username,
                before=None, after={"username": username, "role": "admin", "active": True, "password": "(set)"},
            )
            log.info("demo admin %r created", username)
            return DemoAdmin(username, True, chosen)
        existing = account
    note = ""
    if password and not _verify(existing.password_hash, password):
        note = "its password is not $LIVEREPLY_STAFF_PASSWORD (kept)"
    if not existing.active:
        note = "; ".join(filter(None, [note, f"deactivated (`livereply staff activate {username}`)"]))
    return DemoAdmin(username, False, None, note)


def _new_password_ok(password: str) -> None:
    if not password or len(password) < MIN_PASSWORD_LENGTH or not password.strip():
        raise AccountError(_("the password must have at least %(n)d characters") % {"n": MIN_PASSWORD_LENGTH})


def reset_password(
    store: Any, username: str, password: str, *, actor: str = "cli", actor_role: str = "admin",
    keep_session: str | None = None, ip: str | None = None,
) -> tuple[StaffAccount, int]:
    """Set a new password (same rules as a new account); the account's sessions end, except `keep_session`.
    Audit-logged. Returns (account, sessions ended); `catalog.errors.NotFound` for an unknown account."""
    username = normalize_username(username)
    _new_password_ok(password)
    accounts = Accounts(store)
    before, after, ended = accounts.set_password(username, hash_password(password), keep_session=keep_session)
    accounts.audit(
        username=actor, role=actor_role, action="staff.password", target_type="staff", target_id=username,
        before={"username": before.username, "password": "(old)"},
        after={"username": after.username, "password": "(changed)", "sessions_ended": ended}, ip=ip,
    )
    log.info("password of staff account %r changed by %s (%d sessions ended)", username, actor, ended)
    return after, ended


def change_own_password(
    store: Any, user: StaffAccount, current: str, new: str, repeat: str, *, session_id: str, ip: str | None = None
) -> int:
    """A signed-in staff member changes their password: `current` must match, `new` twice; the other sessions of the
    account end (this one stays). Raises AccountError with the reason. Returns how many sessions ended."""
    fresh = Accounts(store).get_user(user.username)
    if fresh is None or not _verify(fresh.password_hash, current or ""):
        raise AccountError(_("The current password is wrong."))
    if new != repeat:
        raise AccountError(_("The two new passwords differ."))
    _new_password_ok(new)
    if new == current:
        raise AccountError(_("The new password is the same as the current one."))
    _account, ended = reset_password(
        store, user.username, new, actor=user.username, actor_role=user.role, keep_session=session_id, ip=ip
    )
    return ended


def set_staff_active(
    store: Any, username: str, active: bool, *, actor: str = "cli", actor_role: str = "admin", ip: str | None = None
) -> tuple[StaffAccount, int]:
    """Deactivate (sessions end at once; sign-in refused) or reactivate an account. Audit-logged.
    Returns (account, sessions ended). `NotFound` for an unknown account; `catalog.accounts.LastAdmin` (a Conflict)
    when it is the last active admin."""
    username = normalize_username(username)
    accounts = Accounts(store)
    before, after, ended = accounts.set_active(username, active)
    if before.active != after.active:
        after_view: dict[str, Any] = {"username": after.username, "role": after.role, "active": after.active}
        if ended:
            after_view["sessions_ended"] = ended
        accounts.audit(
            username=actor, role=actor_role, action="staff.activate" if active else "staff.deactivate",
            target_type="staff", target_id=username,
            before={"username": before.username, "role": before.role, "active": before.active}, after=after_view, ip=ip,
        )
        log.info("staff account %r %s by %s", username, "activated" if active else "deactivated", actor)
    return after, ended


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True, slots=True)
class LoginResult:
    ok: bool
    user: StaffAccount | None = None
    reason: str = ""
    retry_after: float = 0.0  # seconds, when rate limited


class LoginRateLimiter:
    """Sliding window of failed logins per username ("user:<name>") and per client address ("ip:<addr>").

    After `max_failures` failures within `window_s` for a username (`max_failures_per_ip`, default 4×, for an
    address: colleagues share one office address), further attempts are refused without checking the password
    until the oldest failure leaves the window.
    """

    def __init__(self, max_failures: int = 5, window_s: float = 300.0, max_failures_per_ip: int | None = None) -> None:
        self.max_failures = max_failures
        self.max_failures_per_ip = max_failures_per_ip or 4 * max_failures
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and q[0] <= now - self.window_s:
            q.popleft()
        return q

    def retry_after(self, keys: list[str], now: float | None = None) -> float:
        """0 when an attempt is allowed, else the seconds until it is."""
        now = time.monotonic() if now is None else now
        wait = 0.0
        with self._lock:
            for key in keys:
                q = self._recent(key, now)
                limit = self.max_failures_per_ip if key.startswith("ip:") else self.max_failures
                if len(q) >= limit:
                    wait = max(wait, q[-limit] + self.window_s - now)
        return wait

    def fail(self, keys: list[str], now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeed(self, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


class Authenticator:
    def __init__(self, accounts: Accounts, limiter: LoginRateLimiter | None = None) -> None:
        self.accounts = accounts
        self.limiter = limiter or LoginRateLimiter()

    def login(self, username: str, password: str, ip: str | None) -> LoginResult:
        username = normalize_username(username)
        keys = [f"user:{username.casefold()}", f"ip:{ip or '?'}"]
        wait = self.limiter.retry_after(keys)
        if wait > 0:
            log.warning("login for %r from %s refused: rate limited for %.0f s", username, ip, wait)
            return LoginResult(False, reason=_("Too many failed logins. Try again later."), retry_after=wait)
        user = self.accounts.get_user(username) if username else None
        ok = _verify(user.password_hash if user else _DUMMY_HASH, password or "")
        if not ok or user is None or not user.active:
            self.limiter.fail(keys)
            log.warning("failed login for %r from %s", username, ip)
            return LoginResult(False, reason=_("Wrong username or password."))
        self.limiter.succeed([keys[0]])
        if _hasher.check_needs_rehash(user.password_hash):
            self.accounts.set_password_hash(user.id, _hasher.hash(password))
        return LoginResult(True, user=user)
