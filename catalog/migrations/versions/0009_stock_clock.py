"""Stock clock: a counter bumped by the database itself (triggers) on every write to ``products`` or ``variants``,
and, per product, the tick of its last change (``product_changes``).

The bot serves product data and live stock from memory (catalog/live.py). When the counter moved — whoever wrote:
the bot's own orders and stock events, the console, another worker, raw SQL — it re-reads only the products changed
since the tick it last saw.

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

# (table, the column naming the product)
TABLES = (("products", "id"), ("variants", "product_id"))
OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        "stock_clock",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ticks", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_clock")),
        sa.CheckConstraint("id = 1", name=op.f("ck_stock_clock_single_row")),
    )
    op.create_table(
        "product_changes",
        sa.Column("product_id", sa.String(64), nullable=False),
        sa.Column("tick", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_product_changes")),
    )
    op.create_index(op.f("ix_product_changes_tick"), "product_changes", ["tick"])
    op.execute("INSERT INTO stock_clock (id, ticks) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        # Row triggers: the clock row's lock is held to commit, so ticks are in commit order.
        for table, column in TABLES:
            op.execute(
                f"CREATE FUNCTION {table}_stock_tick() RETURNS trigger AS $$ DECLARE t BIGINT; BEGIN "
                "UPDATE stock_clock SET ticks = ticks + 1 WHERE id = 1 RETURNING ticks INTO t; "
                f"IF TG_OP <> 'DELETE' THEN INSERT INTO product_changes (product_id, tick) VALUES (NEW.{column}, t) "
                "ON CONFLICT (product_id) DO UPDATE SET tick = EXCLUDED.tick; END IF; "
                f"IF TG_OP <> 'INSERT' THEN INSERT INTO product_changes (product_id, tick) VALUES (OLD.{column}, t) "
                "ON CONFLICT (product_id) DO UPDATE SET tick = EXCLUDED.tick; END IF; "
                "RETURN NULL; END; $$ LANGUAGE plpgsql"
            )
            op.execute(
                f"CREATE TRIGGER {table}_stock_clock AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_stock_tick()"
            )
    else:  # SQLite (a single writer at a time: ticks are in commit order)
        for table, column in TABLES:
            for operation in OPERATIONS:
                rows = {"INSERT": ("NEW",), "UPDATE": ("NEW", "OLD"), "DELETE": ("OLD",)}[operation]
                marks = " ".join(
                    f"INSERT OR REPLACE INTO product_changes (product_id, tick) "
                    f"VALUES ({row}.{column}, (SELECT ticks FROM stock_clock WHERE id = 1));"
                    for row in rows
                )
                op.execute(
                    f"CREATE TRIGGER {table}_stock_clock_{operation.lower()} AFTER {operation} ON {table} BEGIN "
                    f"UPDATE stock_clock SET ticks = ticks + 1 WHERE id = 1; {marks} END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, _ in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_stock_clock ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_stock_tick()")
    else:
        for table, _ in TABLES:
            for operation in OPERATIONS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_stock_clock_{operation.lower()}")
    op.drop_index(op.f("ix_product_changes_tick"), table_name="product_changes")
    op.drop_table("product_changes")
    op.drop_table("stock_clock")
