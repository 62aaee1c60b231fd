"""Stock clock: one counter bumped by the database itself (triggers) on every write to ``products`` or ``variants``.

The bot serves product data and live stock from memory (catalog/live.py) and re-reads it only when this counter
moved — whoever wrote: the bot's own orders and stock events, the console, another worker, or raw SQL.

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("products", "variants")
OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        "stock_clock",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ticks", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_clock")),
        sa.CheckConstraint("id = 1", name=op.f("ck_stock_clock_single_row")),
    )
    op.execute("INSERT INTO stock_clock (id, ticks) VALUES (1, 0)")
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION stock_clock_tick() RETURNS trigger AS $$ "
            "BEGIN UPDATE stock_clock SET ticks = ticks + 1 WHERE id = 1; RETURN NULL; END; $$ LANGUAGE plpgsql"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_stock_clock AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION stock_clock_tick()"
            )
    else:  # SQLite: row-level triggers only
        for table in TABLES:
            for operation in OPERATIONS:
                op.execute(
                    f"CREATE TRIGGER {table}_stock_clock_{operation.lower()} AFTER {operation} ON {table} "
                    "BEGIN UPDATE stock_clock SET ticks = ticks + 1 WHERE id = 1; END"
                )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_stock_clock ON {table}")
        op.execute("DROP FUNCTION IF EXISTS stock_clock_tick()")
    else:
        for table in TABLES:
            for operation in OPERATIONS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_stock_clock_{operation.lower()}")
    op.drop_table("stock_clock")
