"""Join the four parallel branches that grew from 0005 in one working session (0006 room rules, 0007 size charts,
0008 texts in any language, 0009 stock clock) back into one head. No schema change.

Revision ID: 0010
Revises: 0006, 0007, 0008, 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0010"
down_revision: str | tuple[str, ...] | None = ("0006", "0007", "0008", "0009")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
