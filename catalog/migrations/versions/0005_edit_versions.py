"""Optimistic concurrency for the console's editors: `edit_version` on products and FAQs, bumped by every write
of the row (catalog/store/catalog_writes.py); a save made from a stale version is refused (`catalog.errors.Conflict`).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("products", "faqs"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("edit_version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in ("faqs", "products"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("edit_version")
