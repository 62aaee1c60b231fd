"""Room rules in the database (catalog/room_rules.py): keyword rules, scheduled messages, the word lists (banned words
with suggestions, the allow list, the moderation's blocked words) and their version, polled by the running bot.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "room_rules_meta",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("seeded", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_rules_meta")),
    )
    op.execute("INSERT INTO room_rules_meta (id, version, seeded, updated_at) VALUES (1, 0, '{}', 0)")
    for table in ("room_keyword_rules", "room_schedules"):
        op.create_table(
            table,
            sa.Column("id", sa.String(64), nullable=False),
            sa.Column("position", sa.Integer(), nullable=False),
            sa.Column("spec", sa.JSON(), nullable=False),
            sa.Column("edit_version", sa.Integer(), nullable=False),
            sa.Column("updated_at", sa.Float(), nullable=False),
            sa.Column("updated_by", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        )
    op.create_table(
        "room_words",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("list_name", sa.String(16), nullable=False),
        sa.Column("word", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("suggest", sa.Text(), nullable=False),
        sa.Column("edit_version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_words")),
        sa.UniqueConstraint("list_name", "key", name="uq_room_words_list_key"),
    )
    op.create_index("ix_room_words_list_name_id", "room_words", ["list_name", "id"])


def downgrade() -> None:
    op.drop_index("ix_room_words_list_name_id", table_name="room_words")
    op.drop_table("room_words")
    op.drop_table("room_schedules")
    op.drop_table("room_keyword_rules")
    op.drop_table("room_rules_meta")
