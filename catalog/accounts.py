"""Staff accounts, sessions, the audit log and review-queue actions: the SQL behind the staff console.

`Accounts(store)` works through the `CatalogStore`'s transactions (`_read` / `_write`), so it gets the same
retries on a locked database or a dropped connection as every other query, and BEGIN IMMEDIATE on SQLite for
writes. No HTTP here; only plain dataclasses leave this module. Errors are `catalog.errors` kinds: `Invalid`
(unknown role or review action, a ValueError), `NotFound` (unknown account, a KeyError), `Conflict` (account
created concurrently, a ValueError).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from catalog.errors import Conflict, Invalid, NotFound
from catalog.staff_schema import REVIEW_ACTIONS, ROLES, AuditEntry, ReviewAction, StaffSession, StaffUser

if TYPE_CHECKING:
    from catalog.store import CatalogStore

SESSION_TTL_S = 12 * 3600


@dataclass(frozen=True, slots=True)
class StaffAccount:
    id: int
    username: str
    role: str
    active: bool
    password_hash: str
    created_at: float
    last_login_at: float | None


@dataclass(frozen=True, slots=True)
class SessionInfo:
    id: str  # SHA-256 of the cookie value
    user: StaffAccount
    csrf_token: str
    expires_at: float


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    ts: float
    username: str
    role: str
    action: str
    target_type: str
    target_id: str | None
    before: Any
    after: Any
    ip: str | None


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    ts: float
    username: str
    room: str
    comment_id: str
    action: str
    faq_id: str | None
    text: str | None
    posted: bool


def session_key(token: str) -> str:
    """The database key of a session cookie value."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _account(row: Row[*tuple[Any, ...]]) -> StaffAccount:
    return StaffAccount(
        id=row.id,
        username=row.username,
        role=row.role,
        active=bool(row.active),
        password_hash=row.password_hash,
        created_at=row.created_at,
        last_login_at=row.last_login_at,
    )


def _jsonable(value: Any) -> Any:
    """Round-trip through JSON so Decimals, tuples and mappings are stored as plain JSON."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise Invalid(f"unknown role {role!r}: expected one of {', '.join(ROLES)}")


def _get_user(conn: Connection, username: str) -> StaffAccount | None:
    row = conn.execute(select(StaffUser).where(StaffUser.username == username)).first()
    return _account(row) if row else None


class LastAdmin(Conflict):
    """The change would leave no active admin (nobody could manage staff in the console any more)."""


def _guard_last_admin(conn: Connection, user: StaffAccount) -> None:
    """Raise LastAdmin when `user` is the only active admin (called before demoting or deactivating it).

    The active admins are read FOR UPDATE (PostgreSQL), so two admins demoting each other at once cannot both win;
    SQLite writes are serialised by BEGIN IMMEDIATE anyway.
    """
    if user.role != "admin" or not user.active:
        return
    admins = conn.execute(
        select(StaffUser.id).where(StaffUser.role == "admin", StaffUser.active.is_(True)).with_for_update()
    ).scalars().all()
    if [i for i in admins if i != user.id] == []:
        raise LastAdmin(f"{user.username!r} is the last active admin")


def _end_sessions(conn: Connection, user_id: int, keep: str | None = None) -> int:
    """Delete the sessions of `user_id` (except the session id `keep`); returns how many ended."""
    query = delete(StaffSession).where(StaffSession.user_id == user_id)
    if keep is not None:
        query = query.where(StaffSession.id != keep)
    return int(conn.execute(query).rowcount or 0)


def _reviewed(conn: Connection, pairs: Sequence[tuple[str, str]] | None) -> set[tuple[str, str]]:
    query = select(ReviewAction.room, ReviewAction.comment_id)
    if pairs is not None:
        ids = sorted({cid for _, cid in pairs})
        if not ids:
            return set()
        query = query.where(ReviewAction.comment_id.in_(ids))
    return {(r, c) for r, c in conn.execute(query).all()}


class Accounts:
    """The staff tables of `store` (a `catalog.store.CatalogStore`), read and written through its retrying
    transactions."""

    def __init__(self, store: CatalogStore) -> None:
        self.store = store

    # ------------------------------------------------------------------ users
    def get_user(self, username: str) -> StaffAccount | None:
        return self.store._read("staff.get_user", lambda conn: _get_user(conn, username))

    def users(self) -> list[StaffAccount]:
        return self.store._read(
            "staff.users",
            lambda conn: [_account(r) for r in conn.execute(select(StaffUser).order_by(StaffUser.username))],
        )

    def count_users(self) -> int:
        return self.store._read(
            "staff.count_users",
            lambda conn: int(conn.execute(select(func.count()).select_from(StaffUser)).scalar_one()),
        )

    def save_user(self, username: str, password_hash: str, role: str) -> tuple[StaffAccount | None, StaffAccount]:
        """Create the account or replace its password and role. Returns (before, after)."""
        _check_role(role)

        def run(conn: Connection) -> tuple[StaffAccount | None, StaffAccount]:
            before = _get_user(conn, username)
            if before is None:
                try:
                    conn.execute(
                        insert(StaffUser).values(
                            username=username, password_hash=password_hash, role=role, active=True, created_at=time.time()
                        )
                    )
                except IntegrityError as exc:  # created concurrently by another process
                    raise Conflict(f"staff user {username!r} was created concurrently; try again") from exc
            else:
                if role != "admin":
                    _guard_last_admin(conn, before)
                conn.execute(  # `active` is kept: a deactivated account stays so (`activate` turns it back on)
                    update(StaffUser).where(StaffUser.username == username).values(password_hash=password_hash, role=role)
                )
                if before.password_hash != password_hash:  # a new password signs out every browser
                    conn.execute(delete(StaffSession).where(StaffSession.user_id == before.id))
            after = _get_user(conn, username)
            assert after is not None
            return before, after

        return self.store._write("staff.save_user", run)

    def set_role(self, username: str, role: str) -> tuple[StaffAccount, StaffAccount]:
        """Change an account's role. Returns (before, after); `NotFound` (a KeyError) for an unknown account."""
        _check_role(role)

        def run(conn: Connection) -> tuple[StaffAccount, StaffAccount]:
            before = _get_user(conn, username)
            if before is None:
                raise NotFound(username)
            if role != "admin":
                _guard_last_admin(conn, before)
            conn.execute(update(StaffUser).where(StaffUser.id == before.id).values(role=role))
            after = _get_user(conn, username)
            assert after is not None
            return before, after

        return self.store._write("staff.set_role", run)

    def create_user_if_missing(self, username: str, password_hash: str, role: str) -> tuple[bool, StaffAccount]:
        """Create the account unless it exists (then it is left exactly as it is). Returns (created, account)."""
        _check_role(role)

        def run(conn: Connection) -> tuple[bool, StaffAccount]:
            existing = _get_user(conn, username)
            if existing is not None:
                return False, existing
            values = dict(username=username, password_hash=password_hash, role=role, active=True, created_at=time.time())
            created = self.store._insert_ignore(conn, StaffUser, values)  # False: created concurrently, keep that one
            account = _get_user(conn, username)
            assert account is not None
            return created, account

        return self.store._write("staff.create_user_if_missing", run)

    def delete_user(self, username: str) -> None:
        """Remove an account and its sessions (used to undo an account created by a start that then failed)."""

        def run(conn: Connection) -> None:
            user = _get_user(conn, username)
            if user is not None:
                _end_sessions(conn, user.id)
                conn.execute(delete(StaffUser).where(StaffUser.id == user.id))

        self.store._write("staff.delete_user", run)

    def set_password(
        self, username: str, password_hash: str, *, keep_session: str | None = None
    ) -> tuple[StaffAccount, StaffAccount, int]:
        """Replace the password; every session of the account ends except `keep_session` (a session id, i.e.
        `SessionInfo.id`). Returns (before, after, sessions ended); `NotFound` for an unknown account."""

        def run(conn: Connection) -> tuple[StaffAccount, StaffAccount, int]:
            before = _get_user(conn, username)
            if before is None:
                raise NotFound(username)
            conn.execute(update(StaffUser).where(StaffUser.id == before.id).values(password_hash=password_hash))
            ended = _end_sessions(conn, before.id, keep_session)
            after = _get_user(conn, username)
            assert after is not None
            return before, after, ended

        return self.store._write("staff.set_password", run)

    def set_active(self, username: str, active: bool) -> tuple[StaffAccount, StaffAccount, int]:
        """Deactivate (its sessions end at once) or reactivate an account. Returns (before, after, sessions ended);
        `NotFound` for an unknown account, `LastAdmin` (a Conflict) when it would leave no active admin."""

        def run(conn: Connection) -> tuple[StaffAccount, StaffAccount, int]:
            before = _get_user(conn, username)
            if before is None:
                raise NotFound(username)
            ended = 0
            if not active:
                _guard_last_admin(conn, before)
                ended = _end_sessions(conn, before.id)
            conn.execute(update(StaffUser).where(StaffUser.id == before.id).values(active=active))
            after = _get_user(conn, username)
            assert after is not None
            return before, after, ended

        return self.store._write("staff.set_active", run)

    def session_count(self, username: str) -> int:
        """Unexpired sessions of an account."""

        def run(conn: Connection) -> int:
            query = (
                select(func.count())
                .select_from(StaffSession)
                .join(StaffUser, StaffUser.id == StaffSession.user_id)
                .where(StaffUser.username == username, StaffSession.expires_at >= time.time())
            )
            return int(conn.execute(query).scalar_one())

        return self.store._read("staff.session_count", run)

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        """Store a re-hashed password (argon2 parameters upgraded) without touching sessions."""
        self.store._write(
            "staff.set_password_hash",
            lambda conn: conn.execute(update(StaffUser).where(StaffUser.id == user_id).values(password_hash=password_hash)),
        )

    # ------------------------------------------------------------------ sessions
    def create_session(self, user: StaffAccount, ip: str | None, ttl_s: float = SESSION_TTL_S) -> tuple[str, SessionInfo]:
        """A new session for `user`; returns (cookie value, session). Expired sessions are purged on the way."""
        token = secrets.token_urlsafe(32)
        now = time.time()
        info = SessionInfo(id=session_key(token), user=user, csrf_token=secrets.token_urlsafe(32), expires_at=now + ttl_s)

        def run(conn: Connection) -> None:
            conn.execute(delete(StaffSession).where(StaffSession.expires_at < now))
            conn.execute(
                insert(StaffSession).values(
                    id=info.id,
                    user_id=user.id,
                    csrf_token=info.csrf_token,
                    created_at=now,
                    expires_at=info.expires_at,
                    last_seen_at=now,
                    ip=ip,
                )
            )
            conn.execute(update(StaffUser).where(StaffUser.id == user.id).values(last_login_at=now))

        self.store._write("staff.create_session", run)
        return token, info

    def session(self, token: str) -> SessionInfo | None:
        """The live session for a cookie value (None when unknown, expired or the account is disabled)."""
        key = session_key(token)

        def run(conn: Connection) -> SessionInfo | None:
            row = conn.execute(
                select(
                    StaffUser,
                    StaffSession.id.label("session_id"),
                    StaffSession.csrf_token.label("session_csrf_token"),
                    StaffSession.expires_at.label("session_expires_at"),
                )
                .select_from(StaffSession)
                .join(StaffUser, StaffUser.id == StaffSession.user_id)
                .where(StaffSession.id == key)
            ).first()
            if row is None or row.session_expires_at < time.time() or not row.active:
                return None
            return SessionInfo(
                id=row.session_id, user=_account(row), csrf_token=row.session_csrf_token, expires_at=row.session_expires_at
            )

        return self.store._read("staff.session", run)

    def delete_session(self, token: str) -> None:
        key = session_key(token)
        self.store._write("staff.delete_session", lambda conn: conn.execute(delete(StaffSession).where(StaffSession.id == key)))

    # ------------------------------------------------------------------ audit log
    def audit(
        self,
        *,
        username: str,
        role: str,
        action: str,
        target_type: str,
        target_id: str | None,
        before: Any,
        after: Any,
        ip: str | None = None,
    ) -> None:
        values = dict(
            ts=time.time(),
            username=username,
            role=role,
            action=action,
            target_type=target_type,
            target_id=target_id,
            before=_jsonable(before),
            after=_jsonable(after),
            ip=ip,
        )
        self.store._write("staff.audit", lambda conn: conn.execute(insert(AuditEntry).values(**values)))

    def audit_entries(self, limit: int = 200, target_type: str | None = None, target_id: str | None = None) -> list[AuditRecord]:
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if target_type is not None:
            query = query.where(AuditEntry.target_type == target_type)
        if target_id is not None:
            query = query.where(AuditEntry.target_id == target_id)

        def run(conn: Connection) -> list[AuditRecord]:
            return [
                AuditRecord(
                    id=r.id,
                    ts=r.ts,
                    username=r.username,
                    role=r.role,
                    action=r.action,
                    target_type=r.target_type,
                    target_id=r.target_id,
                    before=r.before,
                    after=r.after,
                    ip=r.ip,
                )
                for r in conn.execute(query)
            ]

        return self.store._read("staff.audit_entries", run)

    # ------------------------------------------------------------------ review queue
    def record_review(
        self,
        *,
        username: str,
        comments: Iterable[tuple[str, str]],
        action: str,
        faq_id: str | None = None,
        text: str | None = None,
        posted: bool | AbstractSet[tuple[str, str]] = False,
    ) -> int:
        """Mark (room, comment_id) pairs as handled; comments already handled are skipped. Returns rows written.

        `posted`: True / False for every pair, or the pairs whose answer reached their room (a review group can mix
        a room the bot is running in with an earlier show's room, where nothing is posted)."""
        if action not in REVIEW_ACTIONS:
            raise Invalid(f"unknown review action {action!r}")
        pairs = list(dict.fromkeys(comments))
        if not pairs:
            return 0
        now = time.time()

        def run(conn: Connection) -> int:
            done = _reviewed(conn, pairs)
            rows = [
                dict(ts=now, username=username, room=room, comment_id=cid, action=action, faq_id=faq_id, text=text,
                     posted=posted if isinstance(posted, bool) else (room, cid) in posted)
                for room, cid in pairs
                if (room, cid) not in done
            ]
            if rows:
                conn.execute(insert(ReviewAction), rows)
            return len(rows)

        return self.store._write("staff.record_review", run)

    def reviewed(self, pairs: Sequence[tuple[str, str]] | None = None) -> set[tuple[str, str]]:
        """(room, comment_id) of every comment staff already handled (restricted to `pairs` when given)."""
        return self.store._read("staff.reviewed", lambda conn: _reviewed(conn, pairs))

    def review_records(self, limit: int = 100) -> list[ReviewRecord]:
        def run(conn: Connection) -> list[ReviewRecord]:
            rows = conn.execute(select(ReviewAction).order_by(ReviewAction.id.desc()).limit(limit))
            return [
                ReviewRecord(
                    ts=r.ts, username=r.username, room=r.room, comment_id=r.comment_id, action=r.action, faq_id=r.faq_id,
                    text=r.text, posted=bool(r.posted),
                )
                for r in rows
            ]

        return self.store._read("staff.review_records", run)
