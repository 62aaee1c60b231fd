"""Optimistic concurrency for the console's synonym editor: `catalog_meta.synonyms_version`, bumped by every write of
`catalog_meta.synonyms` (catalog/store/catalog_writes.py); a save made from a stale version is refused (`StaleEdit`).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("catalog_meta") as batch:
        batch.add_column(sa.Column("synonyms_version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("catalog_meta") as batch:
        batch.drop_column("synonyms_version")
