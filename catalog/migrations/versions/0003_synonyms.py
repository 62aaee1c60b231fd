"""Catalog vocabulary: synonyms of variant values and attribute names (catalog_meta.synonyms).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("catalog_meta") as batch:
        batch.add_column(sa.Column("synonyms", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("catalog_meta") as batch:
        batch.drop_column("synonyms")
