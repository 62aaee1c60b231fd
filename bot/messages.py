"""Messages that cross module boundaries. Plain frozen dataclasses, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.errors import LiveReplyError


@dataclass(frozen=True, slots=True)
class Comment:
    """A viewer comment received from a room."""

    id: str
    user: str
    text: str
    ts: float
    room: str = "local"
    lang: str | None = None  # "zh" / "en" when the platform says so; detected otherwise
    product_id: str | None = None  # explicit product reference from the platform, if any
    seq: int | None = None  # the room's delivery sequence number (generic protocol), acknowledged once recorded


@dataclass(frozen=True, slots=True)
class Stage:
    """The host switched the featured (on-stage) product."""

    product_id: str | None
    ts: float
    room: str = "local"
    seq: int | None = None


@dataclass(frozen=True, slots=True)
class StockUpdate:
    """The order system set a variant's stock to an absolute value."""

    sku: str
    stock: int
    ts: float
    room: str = "local"
    seq: int | None = None


@dataclass(frozen=True, slots=True)
class Order:
    """A viewer bought `qty` units of a variant (decrements stock atomically, never below zero)."""

    order_id: str
    sku: str
    qty: int
    ts: float
    user: str | None = None
    room: str = "local"
    seq: int | None = None


@dataclass(frozen=True, slots=True)
class EndOfStream:
    """The room has nothing more to send (local replay room only)."""

    ts: float
    room: str = "local"
    seq: int | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """A reply posted back into the room, answering one or more comments."""

    reply_to: tuple[str, ...]
    text: str
    lang: str
    room: str = "local"
    ts: float = 0.0
    users: tuple[str, ...] = field(default_factory=tuple)


InboundEvent = Comment | Stage | StockUpdate | Order | EndOfStream


class ProtocolError(LiveReplyError, ValueError):
    """A frame could not be decoded. The message says why; the frame is never silently dropped."""

    def __init__(self, reason: str, frame: str | bytes | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.frame = frame
