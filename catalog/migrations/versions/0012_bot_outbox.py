"""The bot's outbox in its heartbeat: `bot_status.outbox` (JSON: replies waiting and messages given up, by kind —
answers, staff, rules, scheduled messages, greetings; bot/outbox.py), shown on the console's live page.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("bot_status") as batch:
        batch.add_column(sa.Column("outbox", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bot_status") as batch:
        batch.drop_column("outbox")
