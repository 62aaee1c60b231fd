"""StockLedger: live stock and orders: orders, absolute stock changes, bulk imports, the stock log, sales figures.

- Stock changes (`apply_order`, `set_stock`) do not bump the catalog version: the bot reads live stock with
  `product(id)` at answer time.
- `apply_order` is one conditional UPDATE (`stock >= qty`) of the locked variant row plus a row in `orders` keyed by
  the order id, so stock never goes negative, never oversells and a replayed order is applied once.
- Every write reads the variant rows it needs through `_variant_rows` (locked on PostgreSQL): a write that waited
  for a replace import of the catalog (variant rows deleted and inserted again) is applied to the new row, while a
  SKU the import removed is still unknown.
- Stock levels and order quantities follow `catalog.rules` (stock 0..2^31-1, quantities 1..10^6): a value outside
  them is a `CatalogError` (or a refused order), never an overflow or database error.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence

from sqlalchemy import Connection, bindparam, func, insert, select, update

from catalog import rules
from catalog.errors import Invalid
from catalog.rules import RuleError, clip, shown
from catalog.schema import CommentLog, OrderRecord, Product, StockLog, Variant
from catalog.store.base import StoreBase, _finite, _variant_rows
from catalog.store.records import OrderResult, ProductSales, UnknownSKUError
from catalog.store.rows import _texts

log = logging.getLogger("catalog.store")  # the store's one logger, named as before it was split into modules

# stock log reasons of bulk loads a set-mode CSV import overrides (not "changes since the export")
BULK_STOCK_REASONS = ("catalog", "csv")


class StockLedger(StoreBase):
    """Stock, orders and the stock log."""

    def apply_order(
        self,
        order_id: str,
        sku: str,
        qty: int,
        *,
        ts: float | None = None,
        user: str | None = None,
        room: str | None = None,
    ) -> OrderResult:
        """Take `qty` units of `sku` for order `order_id`: all or nothing, never below zero, once per order id.

        Never raises for bad input: an unknown SKU or a quantity outside 1..10^6 (`catalog.rules`) is a refused
        order with reason "unknown sku" / "invalid quantity" (logged with its order id like any order).
        """
        order_id, sku = str(order_id), str(sku)
        if self._dialect == "postgresql":  # PostgreSQL text cannot hold NUL; such an id or SKU is still logged
            order_id, sku = _without_nul(order_id), _without_nul(sku)
            user = _without_nul(user) if isinstance(user, str) else user
            room = _without_nul(room) if isinstance(room, str) else room
        now = time.time()
        qty_problem = rules.qty_problem(qty)
        valid_qty = qty_problem is None

        def run(conn: Connection) -> OrderResult:
            claimed = self._insert_ignore(
                conn,
                OrderRecord,
                {"order_id": str(order_id), "sku": str(sku), "qty": qty if valid_qty else 0,
                 "ts": _finite(ts, now), "ok": False, "reason": "pending", "user_name": user, "room": room},
            )
            if not claimed:
                row = conn.execute(select(OrderRecord).where(OrderRecord.order_id == str(order_id))).one()
                stock = conn.execute(select(Variant.stock).where(Variant.sku == row.sku)).scalar_one_or_none()
                return OrderResult(ok=row.ok, sku=row.sku, remaining=stock, reason=row.reason, duplicate=True)
            reason: str | None = None if valid_qty else "invalid quantity"
            # the row locked first (PostgreSQL): an order that waited for a replace import is taken from the
            # import's new row instead of being refused for the deleted one
            variant = _variant_rows(conn, [sku], Variant.stock, lock=valid_qty).get(sku)
            remaining = int(variant[0]) if variant is not None else None
            updated = 0
            if valid_qty and remaining is not None and remaining >= qty:
                updated = conn.execute(
                    update(Variant).where(Variant.sku == sku, Variant.stock >= qty).values(stock=Variant.stock - qty)
                ).rowcount
                if updated == 1:
                    remaining -= qty
            if updated == 1:
                conn.execute(insert(StockLog).values(
                    sku=sku, delta=-qty, stock_after=remaining, reason=f"order:{order_id}", ts=now
                ))
            elif reason is None:
                reason = "unknown sku" if remaining is None else "insufficient stock"
            conn.execute(
                update(OrderRecord)
                .where(OrderRecord.order_id == str(order_id))
                .values(ok=updated == 1, reason=reason, remaining=remaining)
            )
            return OrderResult(ok=updated == 1, sku=sku, remaining=remaining, reason=reason)

        result = self._write("apply_order", run)
        if not result.ok and not result.duplicate:
            log.info(
                "order %s for %s x%s refused: %s%s", clip(order_id), clip(sku), shown(qty), result.reason,
                f" ({qty_problem})" if qty_problem else "",
            )
        return result

    def set_stock(self, sku: str, stock: int, *, reason: str = "set") -> int:
        """Set a variant's stock to an absolute value; returns the previous stock.

        `UnknownSKUError` (a `CatalogError`, also a KeyError) for an unknown SKU, `CatalogError` for a stock
        outside `catalog.rules` (0..2^31-1).
        """
        return self.set_stocks({str(sku): stock}, reason=reason)[str(sku)]

    def set_stocks(self, stocks: Mapping[str, int], *, reason: str = "set") -> dict[str, int]:
        """Set several variants' stock in one transaction (all or nothing); returns sku -> previous stock.

        Raises like `set_stock`, before anything is written.
        """
        stocks = {str(sku): stock for sku, stock in stocks.items()}
        for sku, stock in stocks.items():
            try:
                rules.check_stock(stock)
            except RuleError:
                raise Invalid(f"stock for '{clip(sku)}' must be {rules.STOCK_RULE}, got {shown(stock)}") from None
        now = time.time()
        # what a PostgreSQL VARCHAR(64) without NUL can hold (SQLite compares anything, so it is asked as is)
        lookup = [sku for sku in stocks if self._dialect != "postgresql" or _possible_sku(sku)]

        def run(conn: Connection) -> dict[str, int]:
            previous = {sku: int(stock) for sku, (stock,) in _variant_rows(conn, lookup, Variant.stock, lock=True).items()}
            missing = [sku for sku in stocks if sku not in previous]
            if missing:
                raise UnknownSKUError(missing)
            for sku, stock in stocks.items():
                if previous[sku] == stock:
                    continue
                conn.execute(update(Variant).where(Variant.sku == sku).values(stock=stock))
                conn.execute(insert(StockLog).values(
                    sku=sku, delta=stock - previous[sku], stock_after=stock, reason=reason, ts=now
                ))
            return previous

        return self._write("set_stock", run)

    def import_stocks(
        self,
        values: Mapping[str, int],
        *,
        delta: bool = False,
        since: Mapping[str, float] | None = None,
        write: bool = True,
        reason: str = "csv",
    ) -> tuple[dict[str, tuple[int, int, int]], dict[str, str]]:
        """A bulk stock import computed (and with `write`, applied) in one transaction, all or nothing.

        `values`: sku -> new stock (`delta=False`) or sku -> change (+/-, `delta=True`). In set mode, `since` gives
        per SKU the time the file was exported: orders and stock events logged after it (`stock_changes_since`) are
        added to the file's value, so an import never undoes an order that came in after the export.
        Returns (sku -> (current stock, new stock, change since the export), sku -> problem): unknown SKUs and a
        resulting stock outside `catalog.rules` are problems, and nothing is written when there is any.
        """
        values = {str(sku): int(v) for sku, v in values.items()}
        since = dict(since or {})
        lookup = [sku for sku in values if self._dialect != "postgresql" or _possible_sku(sku)]
        now = time.time()

        def run(conn: Connection) -> tuple[dict[str, tuple[int, int, int]], dict[str, str]]:
            current = {sku: int(stock) for sku, (stock,) in _variant_rows(conn, lookup, Variant.stock, lock=write).items()}
            later: dict[str, int] = {}
            dated = [sku for sku in values if sku in since and sku in current]
            if not delta and dated:
                rows = conn.execute(
                    select(StockLog.sku, StockLog.delta, StockLog.ts).where(
                        StockLog.sku.in_(dated), StockLog.ts > min(since[sku] for sku in dated),
                        StockLog.reason.not_in(list(BULK_STOCK_REASONS)),
                    )
                ).all()
                for sku, change, ts in rows:
                    if ts > since[sku]:
                        later[sku] = later.get(sku, 0) + int(change)
            plan: dict[str, tuple[int, int, int]] = {}
            problems: dict[str, str] = {}
            for sku, value in values.items():
                if sku not in current:
                    problems[sku] = f"unknown SKU '{clip(sku)}'"
                    continue
                old = current[sku]
                new = old + value if delta else value + later.get(sku, 0)
                if new < 0:
                    problems[sku] = (
                        f"stock of '{clip(sku)}' would be {new} ({old} {value:+d})" if delta else
                        f"stock of '{clip(sku)}' would be {new} ({value} in the file "
                        f"{later.get(sku, 0):+d} from orders since the export)"
                    )
                elif new > rules.STOCK_MAX:
                    problems[sku] = f"stock of '{clip(sku)}' would be {new}, more than {rules.STOCK_MAX}"
                else:
                    plan[sku] = (old, new, later.get(sku, 0))
            if write and not problems:
                for sku, (old, new, _later) in plan.items():
                    if old == new:
                        continue
                    conn.execute(update(Variant).where(Variant.sku == sku).values(stock=new))
                    conn.execute(insert(StockLog).values(
                        sku=sku, delta=new - old, stock_after=new, reason=reason, ts=now
                    ))
            return plan, problems

        if write:
            return self._write("import_stocks", run)
        return self._read("import_stocks", run, consistent=True)

    def stock_changes_since(self, skus: Sequence[str], since: float) -> dict[str, int]:
        """Net stock change per SKU from orders and stock events logged after `since` (Unix seconds), leaving out
        catalog loads and CSV imports (which a later import overrides); SKUs without such changes are left out.

        A set-mode stock import uses it so a file exported at `since` never undoes the orders that came in after.
        """
        if not skus:
            return {}

        def run(conn: Connection) -> dict[str, int]:
            rows = conn.execute(
                select(StockLog.sku, func.sum(StockLog.delta))
                .where(
                    StockLog.sku.in_(list(skus)), StockLog.ts > since,
                    StockLog.reason.not_in(list(BULK_STOCK_REASONS)),
                )
                .group_by(StockLog.sku)
            ).all()
            return {str(sku): int(total) for sku, total in rows if total}

        return self._read("stock_changes_since", run)

    def last_restock(self, skus: Sequence[str]) -> float | None:
        """When stock of any of ``skus`` was last raised by a stock event / restock (not by a catalog edit or import);
        None when never. Answers "补货了吗" from the stock event history."""
        if not skus:
            return None

        def run(conn: Connection) -> float | None:
            ts = conn.execute(_LAST_RESTOCK, {"skus": list(skus)}).scalar_one_or_none()
            return float(ts) if ts is not None else None

        return self._read_one("last_restock", run)

    def orders(self, limit: int | None = None) -> list[tuple[str, str, int, bool, str | None]]:
        """(order_id, sku, qty, ok, reason) for logged orders, oldest first."""

        def run(conn: Connection) -> list[tuple[str, str, int, bool, str | None]]:
            query = select(OrderRecord).order_by(OrderRecord.ts, OrderRecord.order_id)
            if limit is not None:
                query = query.limit(limit)
            return [(o.order_id, o.sku, o.qty, bool(o.ok), o.reason) for o in conn.execute(query)]

        return self._read("orders", run)

    def sales_summary(self, since: float | None = None) -> list[ProductSales]:
        """Per product: units sold (successful orders), stock at session start and now, units restocked (stock raised
        by a stock event, staff or a CSV import; not by a catalog load), sell-through, questions."""

        def run(conn: Connection) -> list[ProductSales]:
            stock = {
                pid: (int(start or 0), int(now or 0))
                for pid, start, now in conn.execute(
                    select(Variant.product_id, func.sum(Variant.initial_stock), func.sum(Variant.stock))
                    .group_by(Variant.product_id)
                ).all()
            }
            sold_query = (
                select(Variant.product_id, func.sum(OrderRecord.qty), func.count())
                .join(Variant, Variant.sku == OrderRecord.sku)
                .where(OrderRecord.ok.is_(True))
                .group_by(Variant.product_id)
            )
            restock_query = (
                select(Variant.product_id, func.sum(StockLog.delta), func.count())
                .join(Variant, Variant.sku == StockLog.sku)
                .where(_IS_RESTOCK)
                .group_by(Variant.product_id)
            )
            questions_query = (
                select(CommentLog.product_id, func.count())
                .where(CommentLog.product_id.is_not(None))
                .group_by(CommentLog.product_id)
            )
            if since is not None:
                sold_query = sold_query.where(OrderRecord.ts >= since)
                restock_query = restock_query.where(StockLog.ts >= since)
                questions_query = questions_query.where(CommentLog.ts >= since)
            sold = {pid: (int(units or 0), int(n)) for pid, units, n in conn.execute(sold_query).all()}
            asked = {pid: int(n) for pid, n in conn.execute(questions_query).all()}
            restocked = {pid: (int(units or 0), int(n)) for pid, units, n in conn.execute(restock_query).all()}
            out = []
            for row in conn.execute(
                select(Product.id, Product.name_zh, Product.name_en).order_by(Product.position, Product.id)
            ).all():
                start, now = stock.get(row.id, (0, 0))
                units, n_orders = sold.get(row.id, (0, 0))
                out.append(ProductSales(
                    product_id=row.id,
                    name=_texts(zh=row.name_zh, en=row.name_en),
                    units_sold=units,
                    orders=n_orders,
                    stock_start=start,
                    stock_now=now,
                    sell_through=(units / start) if start > 0 else None,
                    questions=asked.get(row.id, 0),
                    restocked=restocked.get(row.id, (0, 0))[0],
                    restocks=restocked.get(row.id, (0, 0))[1],
                ))
            return out

        return self._read("sales_summary", run)


def _without_nul(text: str) -> str:
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


def _possible_sku(sku: str) -> bool:
    return 0 < len(sku) <= rules.ID_MAX_LENGTH and "\x00" not in sku


# A restock: a stock log row that raised the stock other than by loading the catalog (a stock event, staff in the
# console, a CSV import); what "补货了吗" is answered from and what the session summary counts as restocked.
_IS_RESTOCK = (StockLog.delta > 0) & (StockLog.reason != "catalog")
# Built once (a restock question reads it per comment; building the SELECT cost as much as running it on SQLite).
_LAST_RESTOCK = select(func.max(StockLog.ts)).where(StockLog.sku.in_(bindparam("skus", expanding=True)), _IS_RESTOCK)
