"""Consumer-side interfaces: what the engine, the spool and the live loop need from the outside world.

`catalog.store.CatalogStore` satisfies `LiveCatalog` and `CommentLog`; `bot.adapters.generic.RoomClient` and
`bot.adapters.bilibili.BilibiliRoomClient` satisfy `RoomConnection`. The fast test tier (tests/fast/) runs the
engine and the live loop against in-memory fakes of these, with no database, socket or model.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from bot.messages import Comment, InboundEvent, ModerationAction, ModerationResult, Reply
from catalog.snapshot import CatalogSnapshot, ProductInfo


# Data the engine only reads is declared as read-only properties: frozen dataclasses (catalog.store.OrderResult,
# CommentRecord) and plain attributes both satisfy them.
class OrderOutcome(Protocol):
    @property
    def ok(self) -> bool: ...
    @property
    def remaining(self) -> int | None: ...
    @property
    def reason(self) -> str | None: ...


class UndecidedComment(Protocol):
    @property
    def comment_id(self) -> str: ...
    @property
    def room(self) -> str: ...
    @property
    def user(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def ts(self) -> float: ...
    @property
    def received_at(self) -> float: ...
    @property
    def lang(self) -> str | None: ...
    @property
    def product_id(self) -> str | None: ...


@runtime_checkable
class LiveCatalog(Protocol):
    """The catalog as the engine reads it: versioned snapshots and live stock."""

    def catalog_version(self) -> int: ...

    def snapshot(self, pause: Callable[[], None] | None = None) -> CatalogSnapshot: ...

    def products(self) -> dict[str, ProductInfo]: ...

    def product(self, product_id: str) -> ProductInfo | None: ...

    def stock_clock(self) -> int:
        """A counter that moves whenever products or stock change (the engine's in-memory copy follows it)."""
        ...

    def products_changed_since(self, tick: int) -> Sequence[str]: ...

    def products_by_id(self, product_ids: Sequence[str]) -> Mapping[str, ProductInfo]: ...

    def set_stock(self, sku: str, stock: int, *, reason: str = "set") -> int: ...

    def apply_order(self, order_id: str, sku: str, qty: int) -> OrderOutcome: ...

    def last_restock(self, skus: Sequence[str]) -> float | None: ...


@runtime_checkable
class CommentLog(Protocol):
    """Where every received comment, its outcome and every reply are recorded."""

    def record_comments(
        self, comments: Sequence[Comment], *, received_at: Sequence[float] | float | None = None
    ) -> set[tuple[str, str]]: ...

    def set_comment_outcomes(
        self, outcomes: Sequence[tuple[str, str, Mapping[str, Any]]], *, only_undecided: bool = False
    ) -> int: ...

    def record_comment(
        self, comment: Any, status: str = "received", *, received_at: float | None = None, raise_errors: bool = False
    ) -> bool: ...

    def set_comment_outcome(
        self,
        comment_id: str,
        status: str,
        *,
        faq_id: str | None = None,
        score: float | None = None,
        intent: str | None = None,
        reply_text: str | None = None,
        product_id: str | None = None,
        lang: str | None = None,
        reason: str | None = None,
        room: str | None = None,
    ) -> bool: ...

    def unfinished_comments(self, room: str | None = None, limit: int = 10_000) -> Sequence[UndecidedComment]: ...

    def record_reply(self, reply: Any) -> bool: ...

    def record_replies(self, replies: Sequence[Any]) -> bool: ...


class Store(LiveCatalog, CommentLog, Protocol):
    """Both: what the engine is given (`CatalogStore` in production)."""


@runtime_checkable
class RoomConnection(Protocol):
    """A room the live loop serves: events in, replies out. ``ack`` is optional (rooms with a delivery contract),
    and so is ``moderate`` (see :class:`Moderating`)."""

    @property
    def room(self) -> str: ...

    def events(self) -> AsyncIterator[InboundEvent]: ...

    async def send(self, reply: Reply) -> None: ...

    async def close(self) -> None: ...


@runtime_checkable
class KnowsReceiveTime(Protocol):
    """Optional, like ``ack``: a room whose events were received before this process read them (a worker's stream):
    the wall-clock time the event numbered ``seq`` was received (by the gateway), ``None`` when unknown. The live loop
    measures a comment's wait, and records its receive time, from then (bot/service.py ``_receive_times``)."""

    def received_at(self, seq: int) -> float | None: ...


@runtime_checkable
class Moderating(Protocol):
    """Optional, like ``ack``: a room that can delete a comment or time its sender out on the platform.

    ``capabilities.can_moderate`` says which actions; ``moderate`` never raises for a platform's refusal: it returns
    a result with ``ok=False`` and the platform's reason (the live loop records it on the comment)."""

    async def moderate(self, action: ModerationAction) -> ModerationResult: ...
