"""Bounded per-viewer memory (LRU + TTL): products asked about, language, last answers, and behaviour (time in the
room, time spent watching each product on stage, product cards opened, purchases)."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, OrderedDict
from dataclasses import dataclass, field


@dataclass
class ViewerState:
    user: str
    lang: str | None = None
    products: list[str] = field(default_factory=list)  # most recent last, bounded
    answered: dict[str, float] = field(default_factory=dict)  # answer key → time answered
    last_seen: float = 0.0
    comments: int = 0
    entered_at: float | None = None  # room clock (event ts) of the viewer's last viewer_enter while still present
    dwell_s: float = 0.0  # seconds in the room over completed visits
    dwell_by_product: dict[str, float] = field(default_factory=dict)  # seconds watched while each product was on stage
    clicks: Counter[str] = field(default_factory=Counter)  # product cards opened, per product
    purchased: list[str] = field(default_factory=list)  # products bought (most recent last, bounded)
    actions: Counter[str] = field(default_factory=Counter)  # like / follow / gift counts


class StageTimeline:
    """When each product was on stage (room clock), bounded to the last ``max_changes`` switches: how long a viewer
    who was in the room from ``start`` to ``end`` watched each product."""

    def __init__(self, max_changes: int = 256) -> None:
        self.max_changes = max_changes
        self._ts: list[float] = []
        self._products: list[str | None] = []

    def record(self, ts: float, product_id: str | None) -> None:
        if self._ts and ts < self._ts[-1]:
            return  # an out-of-order stage event does not rewrite history
        self._ts.append(ts)
        self._products.append(product_id)
        if len(self._ts) > self.max_changes:
            del self._ts[0], self._products[0]

    def watched(self, start: float, end: float) -> dict[str, float]:
        """Seconds of ``[start, end]`` during which each product was on stage."""
        out: dict[str, float] = {}
        if end <= start or not self._ts:
            return out
        i = max(bisect_right(self._ts, start) - 1, 0)
        for j in range(i, len(self._ts)):
            seg_start = max(self._ts[j], start)
            seg_end = min(self._ts[j + 1] if j + 1 < len(self._ts) else end, end)
            product = self._products[j]
            if product is not None and seg_end > seg_start:
                out[product] = out.get(product, 0.0) + seg_end - seg_start
        return out


class ViewerMemory:
    """At most ``max_viewers`` viewers, each forgotten ``ttl_s`` after their last comment."""

    def __init__(self, *, max_viewers: int = 50_000, ttl_s: float = 3600.0, max_products: int = 8) -> None:
        self.max_viewers = max_viewers
        self.ttl_s = ttl_s
        self.max_products = max_products
        self._viewers: OrderedDict[str, ViewerState] = OrderedDict()

    def __len__(self) -> int:
        return len(self._viewers)

    def get(self, user: str, now: float) -> ViewerState | None:
        state = self._viewers.get(user)
        if state is None:
            return None
        if now - state.last_seen > self.ttl_s:
            del self._viewers[user]
            return None
        return state

    def touch(self, user: str, now: float, *, lang: str | None = None, product_id: str | None = None) -> ViewerState:
        state = self.get(user, now)
        if state is None:
            state = ViewerState(user=user)
            self._viewers[user] = state
        self._viewers.move_to_end(user)
        state.last_seen = now
        state.comments += 1
        if lang:
            state.lang = lang
        if product_id:
            if product_id in state.products:
                state.products.remove(product_id)
            state.products.append(product_id)
            del state.products[: -self.max_products]
        while len(self._viewers) > self.max_viewers:
            self._viewers.popitem(last=False)
        return state

    def _seen(self, user: str, now: float) -> ViewerState:
        """The viewer's state, created if need be, refreshed (LRU, TTL) without counting a comment."""
        state = self.get(user, now)
        if state is None:
            state = ViewerState(user=user)
            self._viewers[user] = state
        self._viewers.move_to_end(user)
        state.last_seen = now
        while len(self._viewers) > self.max_viewers:
            self._viewers.popitem(last=False)
        return state

    def enter(self, user: str, now: float, ts: float) -> ViewerState:
        """viewer_enter at room time ``ts`` (``now`` is the memory's clock, for the TTL)."""
        state = self._seen(user, now)
        state.entered_at = ts
        return state

    def leave(self, user: str, now: float, ts: float, dwell_s: float | None, stage: StageTimeline) -> float:
        """viewer_leave at room time ``ts``: adds the visit's dwell (the platform's ``dwell_s``, else measured from
        the enter) and the time each product was on stage meanwhile. Returns the visit's dwell in seconds."""
        state = self._seen(user, now)
        start = ts - dwell_s if dwell_s is not None else state.entered_at
        state.entered_at = None
        if start is None or ts < start:
            return 0.0
        state.dwell_s += ts - start
        for product, seconds in stage.watched(start, ts).items():
            state.dwell_by_product[product] = state.dwell_by_product.get(product, 0.0) + seconds
        return ts - start

    def watched(self, state: ViewerState, stage: StageTimeline, ts: float) -> dict[str, float]:
        """Seconds the viewer watched each product: completed visits plus the current one up to room time ``ts``."""
        out: dict[str, float] = dict(state.dwell_by_product)
        if state.entered_at is not None:
            for product, seconds in stage.watched(state.entered_at, ts).items():
                out[product] = out.get(product, 0.0) + seconds
        return out

    def click(self, user: str, now: float, product_id: str) -> int:
        """product_click: returns how many times this viewer opened that product's card."""
        state = self._seen(user, now)
        state.clicks[product_id] += 1
        if len(state.clicks) > 4 * self.max_products:  # bounded: keep the most-clicked
            state.clicks = Counter(dict(state.clicks.most_common(2 * self.max_products)))
        return state.clicks[product_id]

    def act(self, user: str, now: float, action: str, count: int = 1, product_id: str | None = None) -> ViewerState:
        """like / follow / gift / purchase."""
        state = self._seen(user, now)
        state.actions[action] += count
        if action == "purchase" and product_id:
            if product_id in state.purchased:
                state.purchased.remove(product_id)
            state.purchased.append(product_id)
            del state.purchased[: -self.max_products]
        return state

    def answered_recently(self, user: str, key: str, now: float, cooldown_s: float) -> bool:
        state = self.get(user, now)
        return bool(state and key in state.answered and now - state.answered[key] < cooldown_s)

    def mark_answered(self, user: str, key: str, now: float) -> None:
        state = self.get(user, now) or self.touch(user, now)
        state.answered[key] = now
        if len(state.answered) > 64:
            oldest = sorted(state.answered, key=state.answered.__getitem__)[:32]
            for k in oldest:
                del state.answered[k]
