"""FAQ changes on the stock clock: per FAQ, the tick of its last change (``faq_changes``), written by triggers on
``faqs`` and ``faq_questions`` that also bump the stock clock (migration 0009), whoever writes.

A reload of the bot then reads the FAQs changed since the tick of its last catalog snapshot instead of every FAQ's
id and edit_version (10k-FAQ shop: one FAQ, not 10,000 rows, per edit). The clock row's lock is held to commit on
PostgreSQL, so ticks are in commit order, as for products.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, the column naming the FAQ)
TABLES = (("faqs", "id"), ("faq_questions", "faq_id"))
OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        "faq_changes",
        sa.Column("faq_id", sa.String(64), nullable=False),
        sa.Column("tick", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("faq_id", name=op.f("pk_faq_changes")),
    )
    op.create_index(op.f("ix_faq_changes_tick"), "faq_changes", ["tick"])
    if op.get_bind().dialect.name == "postgresql":
        for table, column in TABLES:
            op.execute(
                f"CREATE FUNCTION {table}_faq_tick() RETURNS trigger AS $$ DECLARE t BIGINT; BEGIN "
                "UPDATE stock_clock SET ticks = ticks + 1 WHERE id = 1 RETURNING ticks INTO t; "
                f"IF TG_OP <> 'DELETE' THEN INSERT INTO faq_changes (faq_id, tick) VALUES (NEW.{column}, t) "
                "ON CONFLICT (faq_id) DO UPDATE SET tick = EXCLUDED.tick; END IF; "
                f"IF TG_OP <> 'INSERT' THEN INSERT INTO faq_changes (faq_id, tick) VALUES (OLD.{column}, t) "
                "ON CONFLICT (faq_id) DO UPDATE SET tick = EXCLUDED.tick; END IF; "
                "RETURN NULL; END; $$ LANGUAGE plpgsql"
            )
            op.execute(
                f"CREATE TRIGGER {table}_faq_clock AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_faq_tick()"
            )
    else:  # SQLite (a single writer at a time: ticks are in commit order)
        for table, column in TABLES:
            for operation in OPERATIONS:
                rows = {"INSERT": ("NEW",), "UPDATE": ("NEW", "OLD"), "DELETE": ("OLD",)}[operation]
                marks = " ".join(
                    f"INSERT OR REPLACE INTO faq_changes (faq_id, tick) "
                    f"VALUES ({row}.{column}, (SELECT ticks FROM stock_clock WHERE id = 1));"
                    for row in rows
                )
                op.execute(
                    f"CREATE TRIGGER {table}_faq_clock_{operation.lower()} AFTER {operation} ON {table} BEGIN "
                    f"UPDATE stock_clock SET ticks = ticks + 1 WHERE id = 1; {marks} END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, _ in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_faq_clock ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_faq_tick()")
    else:
        for table, _ in TABLES:
            for operation in OPERATIONS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_faq_clock_{operation.lower()}")
    op.drop_index(op.f("ix_faq_changes_tick"), table_name="faq_changes")
    op.drop_table("faq_changes")
