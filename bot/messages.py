"""Messages that cross module boundaries. Plain frozen dataclasses, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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
class ViewerEnter:
    """Behaviour: a viewer entered the room."""

    user: str
    ts: float
    room: str = "local"
    seq: int | None = None


@dataclass(frozen=True, slots=True)
class ViewerLeave:
    """Behaviour: a viewer left; ``dwell_s`` is the time spent in the room when the platform says so (else the bot
    measures it from the viewer's ``viewer_enter``)."""

    user: str
    ts: float
    dwell_s: float | None = None
    room: str = "local"
    seq: int | None = None


@dataclass(frozen=True, slots=True)
class ProductClick:
    """Behaviour: a viewer opened a product card."""

    user: str
    product_id: str
    ts: float
    room: str = "local"
    seq: int | None = None


@dataclass(frozen=True, slots=True)
class Like:
    """Behaviour: a viewer liked (tapped the heart) ``count`` times."""

    user: str
    ts: float
    count: int = 1
    room: str = "local"
    seq: int | None = None


@dataclass(frozen=True, slots=True)
class Follow:
    """Behaviour: a viewer followed the host."""

    user: str
    ts: float
    room: str = "local"
    seq: int | None = None


@dataclass(frozen=True, slots=True)
class Gift:
    """Behaviour: a viewer sent ``count`` gifts named ``gift``."""

    user: str
    ts: float
    gift: str | None = None
    count: int = 1
    room: str = "local"
    seq: int | None = None


@dataclass(frozen=True, slots=True)
class Purchase:
    """Behaviour: the platform announced that a viewer bought something ("xx 刚刚下单"). A signal only: stock is
    changed by :class:`Order` (the order system), never by this."""

    user: str
    ts: float
    product_id: str | None = None
    sku: str | None = None
    qty: int = 1
    room: str = "local"
    seq: int | None = None


Behaviour = ViewerEnter | ViewerLeave | ProductClick | Like | Follow | Gift | Purchase


@dataclass(frozen=True, slots=True)
class Reply:
    """A reply posted back into the room, answering one or more comments."""

    reply_to: tuple[str, ...]
    text: str
    lang: str
    room: str = "local"
    ts: float = 0.0
    users: tuple[str, ...] = field(default_factory=tuple)
    # the scheduler priority it was queued with (bot.announcements: answer, rule, staff, …): local bookkeeping for
    # the console's outbox, on no wire format and not part of equality
    priority: int = field(default=0, compare=False)


InboundEvent = Comment | Stage | StockUpdate | Order | EndOfStream | Behaviour


MODERATION_ACTIONS = ("delete", "timeout")  # what the bot may ask a platform to do with a flagged comment


@dataclass(frozen=True, slots=True)
class ModerationAction:
    """Ask the platform to delete a comment or to time its sender out (``duration_s`` seconds); bot → platform."""

    comment_id: str
    user: str
    action: str  # one of MODERATION_ACTIONS
    duration_s: int | None = None  # timeout only
    reason: str = ""
    room: str = "local"

    def __post_init__(self) -> None:
        if self.action not in MODERATION_ACTIONS:
            raise ValueError(f"moderation action must be one of {', '.join(MODERATION_ACTIONS)}, not {self.action!r}")
        if self.action == "timeout" and (self.duration_s is None or self.duration_s < 1):
            raise ValueError("a timeout needs duration_s >= 1")


@dataclass(frozen=True, slots=True)
class ModerationResult:
    """What the platform did with a :class:`ModerationAction`: ``ok``, or not with the platform's reason
    (``detail``, e.g. "403 missing scope moderator:manage:chat_messages"; never a credential)."""

    action: ModerationAction
    ok: bool
    detail: str = ""


class ProtocolError(LiveReplyError, ValueError):
    """A frame could not be decoded. The message says why; the frame is never silently dropped."""

    def __init__(
        self, reason: str, frame: str | bytes | None = None, *, template: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.frame = frame
        # the reason as a template of the `cli` domain and its parameters (bot/errors.py), when it was made from one
        self.template = reason if template is None else template
        self.params: dict[str, Any] = dict(params or {})
