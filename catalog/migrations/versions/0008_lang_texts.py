"""Texts in any language (issue 15): product names / descriptions and FAQ answer templates in languages other than
zh and en, as JSON {tag: text} beside the zh/en columns (`names_extra`, `descriptions_extra`, `answers_extra`).

Revision ID: 0008
Revises: 0005 (a branch beside 0006, 0007, 0009: catalog.db migrates to every head)
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("names_extra", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("descriptions_extra", sa.JSON(), nullable=True))
    with op.batch_alter_table("faqs") as batch:
        batch.add_column(sa.Column("answers_extra", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("faqs") as batch:
        batch.drop_column("answers_extra")
    with op.batch_alter_table("products") as batch:
        batch.drop_column("descriptions_extra")
        batch.drop_column("names_extra")
