"""The values and errors the store hands out: order results, comment and reply records, sales figures,
`StockDifference`, `UnknownSKUError` and `StaleEdit` (frozen dataclasses and exceptions, no SQL)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from catalog.errors import Conflict, NotFound
from catalog.rules import clip


class UnknownSKUError(NotFound):
    """`set_stock(s)` named an SKU the catalog does not have ("unknown SKU 'X'").

    Also a KeyError, which is what `set_stock` raised for an unknown SKU before.
    """

    def __init__(self, skus: Sequence[str]) -> None:
        self.skus = tuple(skus)
        listed = ", ".join(f"'{clip(sku)}'" for sku in self.skus[:5])
        more = f" and {len(self.skus) - 5} more" if len(self.skus) > 5 else ""
        super().__init__(f"unknown SKU{'s' if len(self.skus) > 1 else ''} {listed}{more}")

    def __str__(self) -> str:
        return BaseException.__str__(self)  # not KeyError's repr-quoting


@dataclass(frozen=True)
class StockDifference:
    """A variant a catalog load found both stored and in the data with different stock: `live` the database's stock
    before the load, `file` the data's. `load_catalog(keep_stock=True)` kept `live`; otherwise `file` was written."""

    sku: str
    product_id: str
    live: int
    file: int


class StaleEdit(Conflict):
    """A product / FAQ edit started from `expected` but the row is now at `current`: someone saved it meanwhile.
    Nothing was written."""

    def __init__(self, item_id: str, expected: int, current: int) -> None:
        super().__init__(
            f"'{clip(item_id)}' was changed by someone else since it was opened (version {expected}, now {current})"
        )
        self.item_id = item_id
        self.expected = expected
        self.current = current


@dataclass(frozen=True)
class OrderResult:
    ok: bool
    sku: str
    remaining: int | None  # stock of the SKU after the order (None for an unknown SKU)
    reason: str | None = None  # why it failed: "insufficient stock", "unknown sku", "invalid quantity"
    duplicate: bool = False  # the order id was seen before; nothing was applied this time


@dataclass(frozen=True)
class CommentRecord:
    comment_id: str
    room: str
    user: str
    text: str
    ts: float
    received_at: float
    lang: str | None
    status: str
    faq_id: str | None
    product_id: str | None
    intent: str | None
    score: float | None
    reply_text: str | None
    reason: str | None


@dataclass(frozen=True)
class ReplyRecord:
    id: int
    room: str
    reply_to: tuple[str, ...]
    users: tuple[str, ...]
    text: str
    lang: str
    ts: float


@dataclass(frozen=True)
class ProductSales:
    product_id: str
    name: Mapping[str, str]
    units_sold: int
    orders: int
    stock_start: int  # sum of initial_stock (stock when the session started)
    stock_now: int
    sell_through: float | None  # units_sold / stock_start, None when nothing was in stock at the start
    questions: int  # comments about this product
    restocked: int = 0  # units added by restocks: stock raised by a stock event, staff or a CSV import, not a catalog load
    restocks: int = 0  # how many restocks

    @property
    def other_changes(self) -> int:
        """The net change of stock neither sold nor restocked: corrections, catalog loads, staff lowering it."""
        return self.stock_now - self.stock_start + self.units_sold - self.restocked
