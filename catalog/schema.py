"""SQL schema of the catalog and the live logs (SQLAlchemy 2 typed ORM).

Tables are created only by the Alembic migrations in `catalog/migrations/versions`; this module is the ORM
mapping the store queries with, and the target the migrations are checked against (tests compare the two).
Timestamps are Unix seconds (float), like the `ts` of the bot messages.

To change the schema: edit the models here, then add a migration (`python -m catalog.db revision -m "..."`),
writing the operations by hand or checking them with `python -m catalog.db check`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Deterministic constraint names, so later migrations (and SQLite batch mode) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

COMMENT_STATUSES = ("received", "answered", "merged", "silent", "staff", "error")
QUESTION_SOURCES = ("catalog", "staff")
PRICE = Numeric(12, 2)

class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Product(Base):
    __tablename__ = "products"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # slug
    position: Mapped[int] = mapped_column(Integer, default=0)  # order in the catalog file
    name_zh: Mapped[str | None] = mapped_column(Text)
    name_en: Mapped[str | None] = mapped_column(Text)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    category: Mapped[str] = mapped_column(String(64), default="")
    description_zh: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    # names / descriptions in languages other than zh and en (migration 0008): {"ja": ..., "pt-BR": ...}
    names_extra: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)
    descriptions_extra: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)
    price: Mapped[Decimal] = mapped_column(PRICE)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    attributes: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[float] = mapped_column(Float, default=0.0)
    # bumped by every write of the row (migration 0005): the console's editors refuse a save from a stale version
    edit_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # optional size chart (migration 0007): [{"size": "L", "height_cm": [172, 178], ...}], see catalog/size_chart.py
    size_chart: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    # the shop's wording of structured answers (migration 0011): {phrase key: {lang: template}}, catalog/phrases.py
    wording: Mapped[dict[str, dict[str, str]] | None] = mapped_column(JSON, nullable=True)

    __table_args__ = (CheckConstraint("price >= 0", name="price_nonnegative"),)


class Variant(Base):
    __tablename__ = "variants"

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    attrs: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # attr -> canonical value
    labels: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)  # attr -> {lang: label}
    stock: Mapped[int] = mapped_column(Integer, default=0)
    initial_stock: Mapped[int] = mapped_column(Integer, default=0)  # stock when the session started
    price: Mapped[Decimal | None] = mapped_column(PRICE)

    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_nonnegative"),
        CheckConstraint("initial_stock >= 0", name="initial_stock_nonnegative"),
    )


class Faq(Base):
    __tablename__ = "faqs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # slug
    product_id: Mapped[str | None] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    intent: Mapped[str] = mapped_column(String(64))
    answer_zh: Mapped[str | None] = mapped_column(Text)
    answer_en: Mapped[str | None] = mapped_column(Text)
    # answer templates in languages other than zh and en (migration 0008): {"ja": ..., "es": ...}
    answers_extra: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[float] = mapped_column(Float, default=0.0)
    edit_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # as Product.edit_version


class FaqQuestion(Base):
    __tablename__ = "faq_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    faq_id: Mapped[str] = mapped_column(ForeignKey("faqs.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(16), default="catalog")
    created_at: Mapped[float] = mapped_column(Float, default=0.0)

    __table_args__ = (
        UniqueConstraint("faq_id", "text", name="uq_faq_questions_faq_id_text"),
        CheckConstraint("source IN ('catalog', 'staff')", name="source_known"),
    )


class CatalogMeta(Base):
    """One row (id 1): the catalog version, bumped in the same transaction as every catalog write."""

    __tablename__ = "catalog_meta"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # the shop's vocabulary: {"values": {attr: {canonical: [synonym, ...]}}, "attributes": {key: [word, ...]}}
    synonyms: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)
    # moves on every write of `synonyms` (migration 0013): the console's synonym editor refuses a stale save
    synonyms_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    updated_at: Mapped[float] = mapped_column(Float, default=0.0)

    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class StockClock(Base):
    """One row (id 1): bumped by database triggers on every write to ``products`` or ``variants`` (migration 0009)
    and to ``faqs`` or ``faq_questions`` (0014), whoever writes (PostgreSQL: once per transaction, at commit, 0015);
    the bot re-reads its in-memory copy of the products when it moved (catalog/live.py), and a catalog snapshot the
    rows changed since the previous one."""

    __tablename__ = "stock_clock"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ticks: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class ClockPending(Base):
    """PostgreSQL: a transaction that wrote catalog rows and has not committed yet (migration 0015). Its deferred
    trigger ticks the stock clock once at commit and moves the transaction's ``pending_changes`` (0016) into the
    ``*_changes`` tables with that tick; the row is deleted by the same trigger, so the table is empty outside open
    transactions (and always on SQLite)."""

    __tablename__ = "clock_pending"

    txid: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


class PendingChange(Base):
    """PostgreSQL: a product (kind ``p``) or FAQ (``f``) written by an open transaction (migration 0016); moved into
    ``product_changes`` / ``faq_changes`` with the transaction's tick by its commit trigger and deleted there. Rows
    are keyed by the transaction, so writers never wait for each other here (empty on SQLite)."""

    __tablename__ = "pending_changes"

    txid: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class ProductChange(Base):
    """The stock clock's tick of each product's last change (written by the same triggers, migration 0009)."""

    __tablename__ = "product_changes"

    product_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tick: Mapped[int] = mapped_column(BigInteger, index=True)


class FaqChange(Base):
    """The stock clock's tick of each FAQ's last change (its row or its example questions; triggers of migration
    0014, which also bump the clock): what a catalog snapshot re-reads since its last one."""

    __tablename__ = "faq_changes"

    faq_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tick: Mapped[int] = mapped_column(BigInteger, index=True)


class OrderRecord(Base):
    """Every order seen, keyed by the platform's order id so a replayed order is applied once."""

    __tablename__ = "orders"

    order_id: Mapped[str] = mapped_column(Text, primary_key=True)
    sku: Mapped[str] = mapped_column(Text, index=True)  # no FK: orders for unknown SKUs are kept too
    qty: Mapped[int] = mapped_column(Integer)
    ts: Mapped[float] = mapped_column(Float, index=True)
    ok: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(Text)
    remaining: Mapped[int | None] = mapped_column(Integer)  # stock right after this order
    user_name: Mapped[str | None] = mapped_column(Text)
    room: Mapped[str | None] = mapped_column(Text)


class StockLog(Base):
    __tablename__ = "stock_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sku: Mapped[str] = mapped_column(Text, index=True)
    delta: Mapped[int] = mapped_column(Integer)
    stock_after: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)  # "order:<id>", "set", "import", ...
    ts: Mapped[float] = mapped_column(Float)


class CommentLog(Base):
    """Every comment received, written before any reply is sent, then updated with the outcome."""

    __tablename__ = "comment_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    comment_id: Mapped[str] = mapped_column(Text)
    room: Mapped[str] = mapped_column(Text)
    user_name: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)  # stored in full, whatever its length
    ts: Mapped[float] = mapped_column(Float)  # platform timestamp
    received_at: Mapped[float] = mapped_column(Float, index=True)
    lang: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    faq_id: Mapped[str | None] = mapped_column(Text)
    product_id: Mapped[str | None] = mapped_column(Text, index=True)
    intent: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Float)
    reply_text: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (
        UniqueConstraint("room", "comment_id", name="uq_comment_log_room_comment_id"),
        CheckConstraint(
            "status IN ('received', 'answered', 'merged', 'silent', 'staff', 'error')", name="status_known"
        ),
    )


class ReplyLog(Base):
    __tablename__ = "reply_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    room: Mapped[str] = mapped_column(Text)
    reply_to: Mapped[list[str]] = mapped_column(JSON)
    users: Mapped[list[str]] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(Text)
    ts: Mapped[float] = mapped_column(Float, index=True)


def load_all_models() -> None:
    """Import every module mapping tables on `Base`, so `Base.metadata` describes the whole database.

    `catalog.staff_schema` (staff accounts, sessions, audit log, review actions; migration 0002) and
    `catalog.control` (console commands and the bot's heartbeat; migration 0004) and `catalog.room_rules` (keyword
    rules, scheduled messages, word lists; migration 0006) and `catalog.room_settings` (migration 0019) import this
    module, so they are loaded here, lazily, rather than at the top.
    """
    import catalog.control  # console_commands, bot_status (migration 0004)
    import catalog.room_rules  # keyword rules, schedules, word lists (migration 0006)
    import catalog.room_settings  # a room's language settings set on the console (migration 0019)
    import catalog.staff_schema  # noqa: F401
