"""PostgreSQL: a transaction's change marks go to its own rows (``pending_changes``) and reach ``product_changes`` /
``faq_changes`` only at commit, under the clock row's lock.

Migration 0015 marked changes in place (tick -1 in the shared ``*_changes`` row of each product / FAQ). That row
stayed locked to the writer's commit, so two transactions writing different variants of the same two products in
opposite order deadlocked (each held one product's mark and wanted the other's), where 0014 had serialised them on
the clock row; every commit also stepped over every other open transaction's -1 marks in the tick index (an order's
commit 0.64 → 2.1 ms beside an import holding 20k of them); and a statement that changed no row still ticked the
clock (a refused order: ``UPDATE … WHERE stock >= qty`` matching nothing). Found by review, reproduced with real
connections.

Now the statement triggers insert ``(txid, kind, id)`` rows keyed by the writing transaction (no row shared with
another transaction, so nothing to wait for or deadlock on) and register the transaction only when the statement
touched a row; the commit trigger ticks the clock, upserts the transaction's rows into ``product_changes`` /
``faq_changes`` with the tick (only committers write those, one at a time) and deletes them. Readers are unchanged
(``tick > t``). SQLite is unchanged; the table exists there too and stays empty.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, the column naming the changed thing, kind in pending_changes); the triggers of 0015 call <table>_mark_changes
TABLES = (("products", "id", "p"), ("variants", "product_id", "p"), ("faqs", "id", "f"), ("faq_questions", "faq_id", "f"))
CHANGES = (("p", "product_changes", "product_id"), ("f", "faq_changes", "faq_id"))
GUC = "livereply.clock_txid"


def _pending(source: str, column: str, kind: str) -> str:
    return (
        f"INSERT INTO pending_changes (txid, kind, item_id) SELECT DISTINCT txid_current(), '{kind}', {column} "
        f"FROM {source} ON CONFLICT DO NOTHING; GET DIAGNOSTICS k = ROW_COUNT; n := n + k"
    )


def upgrade() -> None:
    op.create_table(
        "pending_changes",
        sa.Column("txid", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(1), nullable=False),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("txid", "kind", "item_id", name=op.f("pk_pending_changes")),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    stamps = " ".join(
        f"INSERT INTO {changes} ({key}, tick) SELECT item_id, t FROM pending_changes WHERE txid = NEW.txid "
        f"AND kind = '{kind}' ON CONFLICT ({key}) DO UPDATE SET tick = EXCLUDED.tick;"
        for kind, changes, key in CHANGES
    )
    op.execute(
        "CREATE OR REPLACE FUNCTION livereply_clock_commit() RETURNS trigger AS $$ DECLARE t BIGINT; BEGIN "
        "UPDATE stock_clock SET ticks = ticks + 1 WHERE id = 1 RETURNING ticks INTO t; "
        f"{stamps} "
        "DELETE FROM pending_changes WHERE txid = NEW.txid; "
        "DELETE FROM clock_pending WHERE txid = NEW.txid; "
        f"PERFORM set_config('{GUC}', '', true); "
        "RETURN NULL; END; $$ LANGUAGE plpgsql"
    )
    for table, column, kind in TABLES:
        op.execute(
            f"CREATE OR REPLACE FUNCTION {table}_mark_changes() RETURNS trigger AS $$ "
            "DECLARE n BIGINT := 0; k BIGINT; BEGIN "
            f"IF TG_OP <> 'DELETE' THEN {_pending('new_rows', column, kind)}; END IF; "
            f"IF TG_OP <> 'INSERT' THEN {_pending('old_rows', column, kind)}; END IF; "
            "IF n > 0 THEN PERFORM livereply_clock_register(); END IF; "
            "RETURN NULL; END; $$ LANGUAGE plpgsql"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":  # 0015's bodies
        op.execute(
            "CREATE OR REPLACE FUNCTION livereply_clock_commit() RETURNS trigger AS $$ DECLARE t BIGINT; BEGIN "
            "UPDATE stock_clock SET ticks = ticks + 1 WHERE id = 1 RETURNING ticks INTO t; "
            "UPDATE product_changes SET tick = t WHERE tick = -1; "
            "UPDATE faq_changes SET tick = t WHERE tick = -1; "
            "DELETE FROM clock_pending WHERE txid = NEW.txid; "
            f"PERFORM set_config('{GUC}', '', true); "
            "RETURN NULL; END; $$ LANGUAGE plpgsql"
        )
        changes = {kind: (table, key) for kind, table, key in CHANGES}
        for table, column, kind in TABLES:
            target, key = changes[kind]
            mark = (
                f"INSERT INTO {target} ({key}, tick) SELECT DISTINCT {column}, -1 FROM {{src}} "
                f"ON CONFLICT ({key}) DO UPDATE SET tick = -1"
            )
            op.execute(
                f"CREATE OR REPLACE FUNCTION {table}_mark_changes() RETURNS trigger AS $$ BEGIN "
                f"IF TG_OP <> 'DELETE' THEN {mark.format(src='new_rows')}; END IF; "
                f"IF TG_OP <> 'INSERT' THEN {mark.format(src='old_rows')}; END IF; "
                "PERFORM livereply_clock_register(); RETURN NULL; END; $$ LANGUAGE plpgsql"
            )
    op.drop_table("pending_changes")
