"""The room's language settings in the console channel (catalog/control.py):

* `bot_status.settings` (JSON): the languages viewers write in, the room's main language and the fallback policy when
  no template exists in the viewer's language, from the bot's heartbeat; shown on the console's live page and
  dashboard. Null from a bot that predates it.
* `console_commands.kind` takes ``set_fallback``: staff change the room's fallback policy from the live page and the
  running bot applies it without a restart.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ck_console_commands_kind_known"
BEFORE = "kind IN ('answer', 'pause', 'resume')"
AFTER = "kind IN ('answer', 'pause', 'resume', 'set_fallback')"


def _replace_check(condition: str) -> None:
    with op.batch_alter_table("console_commands") as batch:  # SQLite: the table is copied with the new constraint
        batch.drop_constraint(op.f(NAME), type_="check")
        batch.create_check_constraint(op.f(NAME), condition)


def upgrade() -> None:
    with op.batch_alter_table("bot_status") as batch:
        batch.add_column(sa.Column("settings", sa.JSON(), nullable=True))
    _replace_check(AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM console_commands WHERE kind = 'set_fallback'")
    _replace_check(BEFORE)
    with op.batch_alter_table("bot_status") as batch:
        batch.drop_column("settings")
