"""ORM tables of the staff console's data: accounts, sessions, the audit log and review-queue actions.

Data only; the console itself (HTTP, templates) lives in `bot/console/` and reaches these tables through
`catalog.accounts`.

They share `catalog.schema.Base`, so Alembic's metadata comparison sees them; the tables are created by the
migration `0002_staff_console` (never by `create_all`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from catalog.schema import Base

ROLES = ("viewer", "editor", "admin")
REVIEW_ACTIONS = ("answer", "example", "translate", "new_faq", "dismiss")  # translate: since migration 0017


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(Text)  # argon2id, PHC string
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[float] = mapped_column(Float, default=0.0)
    last_login_at: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (
        UniqueConstraint("username", name="uq_staff_users_username"),
        CheckConstraint("role IN ('viewer', 'editor', 'admin')", name="role_known"),
    )


class StaffSession(Base):
    """A signed-in browser. `id` is the SHA-256 of the cookie value, so a database leak does not leak sessions."""

    __tablename__ = "staff_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float, index=True)
    last_seen_at: Mapped[float] = mapped_column(Float)
    ip: Mapped[str | None] = mapped_column(Text)


class AuditEntry(Base):
    """One console write: who, when, what, and the object before and after (JSON)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ts: Mapped[float] = mapped_column(Float, index=True)
    username: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(Text)
    before: Mapped[Any | None] = mapped_column(JSON)
    after: Mapped[Any | None] = mapped_column(JSON)
    ip: Mapped[str | None] = mapped_column(Text)


class ReviewAction(Base):
    """What staff did with a comment from the review queue (it then leaves the queue)."""

    __tablename__ = "review_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ts: Mapped[float] = mapped_column(Float)
    username: Mapped[str] = mapped_column(Text)
    room: Mapped[str] = mapped_column(Text)
    comment_id: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(16))
    faq_id: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)  # the staff answer, or the example question added
    posted: Mapped[bool] = mapped_column(Boolean, default=False)  # sent to the room through a runtime hook

    __table_args__ = (
        UniqueConstraint("room", "comment_id", name="uq_review_actions_room_comment_id"),
        CheckConstraint("action IN ('answer', 'example', 'translate', 'new_faq', 'dismiss')", name="action_known"),
    )
