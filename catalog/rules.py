"""The numeric catalog rules, in one place: what a price, a stock level and an order quantity may be.

Every way into the catalog checks numbers here — the YAML and CSV importers (`catalog.io`), the console forms
(`bot.console.forms`) and the store itself (`CatalogStore.upsert_product`, `set_stock(s)`, `apply_order`) —
so a value is refused with a clear reason before it reaches the database (where it would be an overflow
traceback, or worse, be stored and break export and every `{price}` answer later).

- price: a finite number, 0 <= price <= 1,000,000,000, at most 2 decimal places (the `Numeric(12, 2)` column)
- stock: a whole number, 0 <= stock <= 2,147,483,647 (an `Integer` column is 32 bits on PostgreSQL)
- order quantity: a whole number, 1 <= qty <= 1,000,000

`RuleError.reason` is a phrase to put after the field name: "price must be >= 0, got -1".
Values are quoted in messages at most `SHOWN_CHARS` characters long.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from catalog.errors import Invalid
from catalog.schema import PRICE

__all__ = [
    "ID_MAX_LENGTH",
    "PRICE_MAX",
    "PRICE_PLACES",
    "QTY_MAX",
    "SHOWN_CHARS",
    "STOCK_MAX",
    "STOCK_RULE",
    "RuleError",
    "check_price",
    "check_stock",
    "clip",
    "parse_price",
    "parse_stock",
    "qty_problem",
    "shown",
]

PRICE_PLACES: int = PRICE.scale or 0  # decimal places the price column keeps
PRICE_MAX = Decimal(10**9)
STOCK_MAX = 2**31 - 1  # fits a 32-bit INTEGER column on every database
QTY_MAX = 10**6  # units in one order
ID_MAX_LENGTH = 64  # product ids, SKUs, FAQ ids, categories, intents: String(64) columns
SHOWN_CHARS = 200  # longest piece of a value quoted in an error message
STOCK_RULE = f"a whole number from 0 to {STOCK_MAX}"  # "stock must be <STOCK_RULE>, got ..."

# the column must be able to hold every price the rules allow
assert PRICE.precision is not None and Decimal(10) ** (PRICE.precision - PRICE_PLACES) > PRICE_MAX

MIN_QUESTIONS = 3  # example questions per FAQ (all languages together): fewer cannot be calibrated or matched well
ID_RULE = f"lowercase letters, digits, '-' and '_', at most {ID_MAX_LENGTH} characters"
SKU_RULE = f"no spaces, at most {ID_MAX_LENGTH} characters"
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")  # product and FAQ ids: safe in URLs, files and every database
SKU_RE = re.compile(r"^\S+$")

_DIGITS = re.compile(r"\d+")
_QUANTUM = Decimal(1).scaleb(-PRICE_PLACES)


class RuleError(Invalid):
    """A number breaks a catalog rule. `reason` completes a sentence about the field: "must be >= 0, got -1"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_id(value: str) -> str:
    """A product or FAQ id (the file format, the console and the store all use this rule)."""
    if not isinstance(value, str) or not ID_RE.match(value) or len(value) > ID_MAX_LENGTH:
        raise RuleError(f"'{clip(str(value))}' is not a valid id ({ID_RULE})")
    return value


def check_sku(value: str) -> str:
    """A variant SKU."""
    if not isinstance(value, str) or not SKU_RE.match(value) or len(value) > ID_MAX_LENGTH:
        raise RuleError(f"'{clip(str(value))}' is not a valid SKU ({SKU_RULE})")
    return value


def check_questions(questions: tuple[str, ...] | list[str]) -> None:
    """A FAQ needs at least MIN_QUESTIONS distinct, non-empty example questions."""
    distinct = {q.strip() for q in questions if q and q.strip()}
    if len(distinct) < MIN_QUESTIONS:
        raise RuleError(f"has {len(distinct)} example questions; at least {MIN_QUESTIONS} are needed")


def clip(text: str, limit: int = SHOWN_CHARS) -> str:
    """`text`, cut to `limit` characters with a trailing … when longer."""
    return text if len(text) <= limit else text[:limit] + "…"


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """A short display of any value for an error message: numbers as they are, text quoted, all clipped."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        if value.bit_length() > 4 * limit:  # str() of a huge int is slow (and refused above 4300 digits)
            return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
        return clip(str(value), limit)
    if isinstance(value, (Decimal, float)):
        return clip(str(value), limit)
    if isinstance(value, str):
        return repr(clip(value, limit))
    return clip(repr(value), limit)


def check_price(value: object, *, source: str | None = None) -> Decimal:
    """`value` (Decimal, int, float or text) as a valid price, or `RuleError`.

    `source`: how the value was written (e.g. the YAML text), used in the message instead of the parsed value.
    """
    show = clip(source) if source is not None else None
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, float, str)):
        raise RuleError(f"must be a number, not {show or shown(value)}")
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise RuleError(f"must be a number, not {show or shown(value)}") from None
    elif isinstance(value, float):
        number = Decimal(repr(value))  # 19.9 -> Decimal("19.9"), not the binary expansion
    else:
        number = Decimal(value)
    if not number.is_finite():
        raise RuleError(f"must be a finite number, not {show or shown(value)}")
    if number < 0:
        raise RuleError(f"must be >= 0, got {show or shown(number)}")
    if number > PRICE_MAX:
        raise RuleError(f"must be at most {PRICE_MAX}, got {show or shown(number)}")
    if number != number.quantize(_QUANTUM):
        raise RuleError(f"must have at most {PRICE_PLACES} decimal places, got {show or shown(number)}")
    if number == number.to_integral_value():
        return Decimal(int(number))  # 899.00 -> 899, 1E+3 -> 1000, -0 -> 0
    return number.normalize()  # 199.50 -> 199.5


def parse_price(text: str) -> Decimal:
    """A price typed as text (console form). `RuleError` when it is not a valid price."""
    return check_price(text.strip())


def check_stock(value: object, *, source: str | None = None) -> int:
    """`value` as a valid stock level (an int, not a bool or a float), or `RuleError`."""
    show = clip(source) if source is not None else None
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleError(f"must be a whole number, not {show or shown(value)}")
    if value < 0:
        raise RuleError(f"must be >= 0, got {show or shown(value)}")
    if value > STOCK_MAX:
        raise RuleError(f"must be at most {STOCK_MAX}, got {show or shown(value)}")
    return value


def parse_stock(text: str) -> int:
    """A stock level typed as text (CSV cell, console form): digits only. `RuleError` otherwise."""
    raw = text.strip()
    negative = raw.startswith("-")
    digits = raw[1:] if negative else raw
    if not _DIGITS.fullmatch(digits):
        raise RuleError(f"must be a whole number >= 0, got {shown(raw)}")
    significant = digits.lstrip("0")
    if len(significant) > len(str(STOCK_MAX)):  # never int() a huge string
        raise RuleError(f"must be {'>= 0' if negative else f'at most {STOCK_MAX}'}, got {clip(raw)}")
    return check_stock(-int(digits) if negative else int(digits), source=raw)


def qty_problem(qty: object) -> str | None:
    """Why `qty` is not a valid order quantity, or None when it is."""
    if isinstance(qty, bool) or not isinstance(qty, int):
        return f"quantity must be a whole number, not {shown(qty)}"
    if not 1 <= qty <= QTY_MAX:
        return f"quantity must be between 1 and {QTY_MAX}, got {shown(qty)}"
    return None
