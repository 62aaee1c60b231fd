"""PostgreSQL: the stock clock ticks once per transaction, at commit, instead of once per row from the first write.

Migrations 0009 and 0014 bumped the clock row in a row trigger on ``products``, ``variants``, ``faqs`` and
``faq_questions``. On PostgreSQL that held the clock row's lock from a transaction's first catalog write to its commit
(how ticks stay in commit order), and updated the same row once per written row. Measured on the 10k-FAQ bench shop
(PostgreSQL 15, 2 cores): a ``catalog import`` took 18 s instead of 3.6 s without the triggers (72 s as an upsert
over an existing catalog: every update of the clock row adds a row version the same transaction must step over), and
every stock write meanwhile — an order, a stock event, a console stock edit, from any process — waited for the
whole import (68 s in one run).

Now a statement trigger per table and operation marks the rows' products / FAQs with ``PENDING`` (-1) in
``product_changes`` / ``faq_changes`` (set-based, from the statement's transition tables) and registers the
transaction once in ``clock_pending``; a deferred constraint trigger on that row runs at commit, takes the clock
row's lock, ticks it once and stamps the transaction's pending marks with the tick. The lock is held only for the
commit itself, so ticks are still handed out in commit order (a reader that saw tick ``t`` never later finds a
change committed with a tick ≤ ``t``), and a pending mark is never visible outside its own transaction (readers ask
for ``tick > t`` with ``t ≥ 0``).

SQLite is unchanged: it has one writer at a time, its row triggers already tick in commit order and update the clock
row in place. The ``clock_pending`` table exists there too (one schema for both) and stays empty.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = -1  # the tick of a change not committed yet (catalog/store/catalog_reads.py reads ticks > t, t >= 0)
# (table, the column naming the changed thing, the changes table, its id column); 0009 and 0014's triggers
TABLES = (
    ("products", "id", "product_changes", "product_id"),
    ("variants", "product_id", "product_changes", "product_id"),
    ("faqs", "id", "faq_changes", "faq_id"),
    ("faq_questions", "faq_id", "faq_changes", "faq_id"),
)
GUC = "livereply.clock_txid"  # this transaction's id once it is registered in clock_pending (transaction-local)


def _mark(changes: str, key: str, source: str, column: str) -> str:
    return (
        f"INSERT INTO {changes} ({key}, tick) SELECT DISTINCT {column}, {PENDING} FROM {source} "
        f"ON CONFLICT ({key}) DO UPDATE SET tick = {PENDING}"
    )


def upgrade() -> None:
    op.create_table(
        "clock_pending",
        sa.Column("txid", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("txid", name=op.f("pk_clock_pending")),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, _, _, _ in TABLES:
        kind = "faq" if table.startswith("faq") else "stock"
        op.execute(f"DROP TRIGGER IF EXISTS {table}_{kind}_clock ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {table}_{kind}_tick()")
    op.execute(
        "CREATE FUNCTION livereply_clock_register() RETURNS void AS $$ BEGIN "
        f"IF current_setting('{GUC}', true) IS DISTINCT FROM txid_current()::text THEN "
        f"PERFORM set_config('{GUC}', txid_current()::text, true); "
        "INSERT INTO clock_pending (txid) VALUES (txid_current()) ON CONFLICT (txid) DO NOTHING; "
        "END IF; END; $$ LANGUAGE plpgsql"
    )
    op.execute(
        "CREATE FUNCTION livereply_clock_commit() RETURNS trigger AS $$ DECLARE t BIGINT; BEGIN "
        "UPDATE stock_clock SET ticks = ticks + 1 WHERE id = 1 RETURNING ticks INTO t; "
        f"UPDATE product_changes SET tick = t WHERE tick = {PENDING}; "
        f"UPDATE faq_changes SET tick = t WHERE tick = {PENDING}; "
        "DELETE FROM clock_pending WHERE txid = NEW.txid; "
        # a write after this (SET CONSTRAINTS ALL IMMEDIATE mid-transaction) registers the transaction again
        f"PERFORM set_config('{GUC}', '', true); "
        "RETURN NULL; END; $$ LANGUAGE plpgsql"
    )
    op.execute(
        "CREATE CONSTRAINT TRIGGER clock_pending_commit AFTER INSERT ON clock_pending "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION livereply_clock_commit()"
    )
    for table, column, changes, key in TABLES:
        op.execute(
            f"CREATE FUNCTION {table}_mark_changes() RETURNS trigger AS $$ BEGIN "
            f"IF TG_OP <> 'DELETE' THEN {_mark(changes, key, 'new_rows', column)}; END IF; "
            f"IF TG_OP <> 'INSERT' THEN {_mark(changes, key, 'old_rows', column)}; END IF; "
            "PERFORM livereply_clock_register(); RETURN NULL; END; $$ LANGUAGE plpgsql"
        )
        transition = {
            "insert": "NEW TABLE AS new_rows",
            "update": "NEW TABLE AS new_rows OLD TABLE AS old_rows",
            "delete": "OLD TABLE AS old_rows",
        }
        for operation, referencing in transition.items():
            op.execute(
                f"CREATE TRIGGER {table}_changes_{operation} AFTER {operation.upper()} ON {table} "
                f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {table}_mark_changes()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, _, _, _ in TABLES:
            for operation in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_changes_{operation} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_mark_changes()")
        op.execute("DROP TRIGGER IF EXISTS clock_pending_commit ON clock_pending")
        op.execute("DROP FUNCTION IF EXISTS livereply_clock_commit()")
        op.execute("DROP FUNCTION IF EXISTS livereply_clock_register()")
        for table, column, changes, key in TABLES:  # 0009 / 0014's row triggers again
            kind = "faq" if table.startswith("faq") else "stock"
            op.execute(
                f"CREATE FUNCTION {table}_{kind}_tick() RETURNS trigger AS $$ DECLARE t BIGINT; BEGIN "
                "UPDATE stock_clock SET ticks = ticks + 1 WHERE id = 1 RETURNING ticks INTO t; "
                f"IF TG_OP <> 'DELETE' THEN INSERT INTO {changes} ({key}, tick) VALUES (NEW.{column}, t) "
                f"ON CONFLICT ({key}) DO UPDATE SET tick = EXCLUDED.tick; END IF; "
                f"IF TG_OP <> 'INSERT' THEN INSERT INTO {changes} ({key}, tick) VALUES (OLD.{column}, t) "
                f"ON CONFLICT ({key}) DO UPDATE SET tick = EXCLUDED.tick; END IF; "
                "RETURN NULL; END; $$ LANGUAGE plpgsql"
            )
            op.execute(
                f"CREATE TRIGGER {table}_{kind}_clock AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_{kind}_tick()"
            )
    op.drop_table("clock_pending")
