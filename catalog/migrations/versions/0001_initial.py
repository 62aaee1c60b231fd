"""Initial catalog schema: products, variants, FAQs, orders, stock and comment/reply logs.

Revision ID: 0001
Revises:
Create Date: 2025-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRICE = sa.Numeric(12, 2)


def upgrade() -> None:
    op.create_table(
        "products",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name_zh", sa.Text(), nullable=True),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("description_zh", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("price", PRICE, nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.CheckConstraint("price >= 0", name=op.f("ck_products_price_nonnegative")),
    )
    op.create_table(
        "variants",
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("product_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("attrs", sa.JSON(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("initial_stock", sa.Integer(), nullable=False),
        sa.Column("price", PRICE, nullable=True),
        sa.PrimaryKeyConstraint("sku", name=op.f("pk_variants")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_variants_product_id_products"), ondelete="CASCADE"
        ),
        sa.CheckConstraint("stock >= 0", name=op.f("ck_variants_stock_nonnegative")),
        sa.CheckConstraint("initial_stock >= 0", name=op.f("ck_variants_initial_stock_nonnegative")),
    )
    op.create_index(op.f("ix_variants_product_id"), "variants", ["product_id"])

    op.create_table(
        "faqs",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("product_id", sa.String(64), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("intent", sa.String(64), nullable=False),
        sa.Column("answer_zh", sa.Text(), nullable=True),
        sa.Column("answer_en", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faqs")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_faqs_product_id_products"), ondelete="RESTRICT"
        ),
    )
    op.create_index(op.f("ix_faqs_product_id"), "faqs", ["product_id"])

    op.create_table(
        "faq_questions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("faq_id", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_questions")),
        sa.ForeignKeyConstraint(
            ["faq_id"], ["faqs.id"], name=op.f("fk_faq_questions_faq_id_faqs"), ondelete="CASCADE"
        ),
        sa.UniqueConstraint("faq_id", "text", name=op.f("uq_faq_questions_faq_id_text")),
        sa.CheckConstraint("source IN ('catalog', 'staff')", name=op.f("ck_faq_questions_source_known")),
    )
    op.create_index(op.f("ix_faq_questions_faq_id"), "faq_questions", ["faq_id"])

    meta = op.create_table(
        "catalog_meta",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("currency", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_meta")),
        sa.CheckConstraint("id = 1", name=op.f("ck_catalog_meta_single_row")),
    )
    op.bulk_insert(meta, [{"id": 1, "version": 0, "currency": {}, "updated_at": 0.0}])

    op.create_table(
        "orders",
        sa.Column("order_id", sa.Text(), nullable=False),
        sa.Column("sku", sa.Text(), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("ts", sa.Float(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("remaining", sa.Integer(), nullable=True),
        sa.Column("user_name", sa.Text(), nullable=True),
        sa.Column("room", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_orders")),
    )
    op.create_index(op.f("ix_orders_sku"), "orders", ["sku"])
    op.create_index(op.f("ix_orders_ts"), "orders", ["ts"])

    op.create_table(
        "stock_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sku", sa.Text(), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.Column("stock_after", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("ts", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_log")),
    )
    op.create_index(op.f("ix_stock_log_sku"), "stock_log", ["sku"])

    op.create_table(
        "comment_log",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("comment_id", sa.Text(), nullable=False),
        sa.Column("room", sa.Text(), nullable=False),
        sa.Column("user_name", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("ts", sa.Float(), nullable=False),
        sa.Column("received_at", sa.Float(), nullable=False),
        sa.Column("lang", sa.Text(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("faq_id", sa.Text(), nullable=True),
        sa.Column("product_id", sa.Text(), nullable=True),
        sa.Column("intent", sa.Text(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("reply_text", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_comment_log")),
        sa.UniqueConstraint("room", "comment_id", name=op.f("uq_comment_log_room_comment_id")),
        sa.CheckConstraint(
            "status IN ('received', 'answered', 'merged', 'silent', 'staff', 'error')",
            name=op.f("ck_comment_log_status_known"),
        ),
    )
    op.create_index(op.f("ix_comment_log_received_at"), "comment_log", ["received_at"])
    op.create_index(op.f("ix_comment_log_status"), "comment_log", ["status"])
    op.create_index(op.f("ix_comment_log_product_id"), "comment_log", ["product_id"])

    op.create_table(
        "reply_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("room", sa.Text(), nullable=False),
        sa.Column("reply_to", sa.JSON(), nullable=False),
        sa.Column("users", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lang", sa.Text(), nullable=False),
        sa.Column("ts", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reply_log")),
    )
    op.create_index(op.f("ix_reply_log_ts"), "reply_log", ["ts"])


def downgrade() -> None:
    for table in (
        "reply_log",
        "comment_log",
        "stock_log",
        "orders",
        "catalog_meta",
        "faq_questions",
        "faqs",
        "variants",
        "products",
    ):
        op.drop_table(table)
