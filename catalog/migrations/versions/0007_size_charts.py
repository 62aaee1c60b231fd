"""Size charts: an optional `size_chart` per product (rows: size -> height / weight / foot-length ranges), read by
the bot's size advice (bot/size_advice.py); format and rules in catalog/size_chart.py.

Revision ID: 0007
Revises: 0005 (a parallel branch beside 0006, 0008, …: catalog.db migrates to every head)
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("size_chart", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.drop_column("size_chart")
