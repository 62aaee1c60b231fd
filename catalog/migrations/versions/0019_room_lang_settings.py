"""A room's language settings set on the console, kept for the bot's next start (catalog/room_settings.py):

* `room_settings`: per room, the fallback policy (``lang_fallback``: en | main | staff) and the main language
  (``main_lang``), each with who changed it and when; NULL where staff never set it (the start configuration applies).
* `console_commands.kind` takes ``set_main_lang``: staff change the room's main language from the live page and the
  running bot applies it without a restart (as ``set_fallback`` since 0018).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ck_console_commands_kind_known"
BEFORE = "kind IN ('answer', 'pause', 'resume', 'set_fallback')"
AFTER = "kind IN ('answer', 'pause', 'resume', 'set_fallback', 'set_main_lang')"


def _replace_check(condition: str) -> None:
    with op.batch_alter_table("console_commands") as batch:  # SQLite: the table is copied with the new constraint
        batch.drop_constraint(op.f(NAME), type_="check")
        batch.create_check_constraint(op.f(NAME), condition)


def upgrade() -> None:
    op.create_table(
        "room_settings",
        sa.Column("room", sa.Text(), nullable=False),
        sa.Column("lang_fallback", sa.String(8), nullable=True),
        sa.Column("lang_fallback_by", sa.Text(), nullable=True),
        sa.Column("lang_fallback_at", sa.Float(), nullable=True),
        sa.Column("main_lang", sa.String(16), nullable=True),
        sa.Column("main_lang_by", sa.Text(), nullable=True),
        sa.Column("main_lang_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("room", name=op.f("pk_room_settings")),
        sa.CheckConstraint("lang_fallback IS NULL OR lang_fallback IN ('en', 'main', 'staff')",
                           name=op.f("ck_room_settings_lang_fallback_known")),
    )
    _replace_check(AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM console_commands WHERE kind = 'set_main_lang'")
    _replace_check(BEFORE)
    op.drop_table("room_settings")
