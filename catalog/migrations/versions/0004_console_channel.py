"""Console ↔ bot channel: the console_commands outbox and the bot_status heartbeat (catalog/control.py).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "console_commands",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("room", sa.Text(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("done_at", sa.Float(), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_commands")),
        sa.CheckConstraint("kind IN ('answer', 'pause', 'resume')", name=op.f("ck_console_commands_kind_known")),
        sa.CheckConstraint(
            "status IN ('pending', 'claimed', 'done', 'failed', 'expired')", name=op.f("ck_console_commands_status_known")
        ),
    )
    op.create_index(op.f("ix_console_commands_status"), "console_commands", ["status"])
    op.create_table(
        "bot_status",
        sa.Column("room", sa.Text(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("connected", sa.Boolean(), nullable=False),
        sa.Column("last_comment_at", sa.Float(), nullable=True),
        sa.Column("reloads", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("room", name=op.f("pk_bot_status")),
    )


def downgrade() -> None:
    op.drop_table("bot_status")
    op.drop_index(op.f("ix_console_commands_status"), table_name="console_commands")
    op.drop_table("console_commands")
