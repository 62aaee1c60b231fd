"""Bounded per-viewer memory (LRU + TTL): products asked about, language, last answers."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field


@dataclass
class ViewerState:
    user: str
    lang: str | None = None
    products: list[str] = field(default_factory=list)  # most recent last, bounded
    answered: dict[str, float] = field(default_factory=dict)  # answer key → time answered
    last_seen: float = 0.0
    comments: int = 0


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
