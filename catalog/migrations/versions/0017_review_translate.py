"""Review queue: a comment group added as a translation of a FAQ (the answer in the comments' language, the comments
as its examples) is recorded as action ``translate``; it was recorded as ``example`` and shown as "added as example".
The CHECK constraint on ``review_actions.action`` takes the new kind. Rows written before stay ``example`` (what
they were recorded as; the audit log's ``faq.translate`` entry tells those translations apart).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ck_review_actions_action_known"
BEFORE = "action IN ('answer', 'example', 'new_faq', 'dismiss')"
AFTER = "action IN ('answer', 'example', 'translate', 'new_faq', 'dismiss')"


def _replace_check(condition: str) -> None:
    with op.batch_alter_table("review_actions") as batch:  # SQLite: the table is copied with the new constraint
        batch.drop_constraint(op.f(NAME), type_="check")
        batch.create_check_constraint(op.f(NAME), condition)


def upgrade() -> None:
    _replace_check(AFTER)


def downgrade() -> None:
    op.execute("UPDATE review_actions SET action = 'example' WHERE action = 'translate'")
    _replace_check(BEFORE)
