"""What the engines of one process share when it serves several rooms (a scale-out worker, bot/scale/worker.py):
the catalog state, built once per staff edit, and the catalog-version poll."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.engine import Engine, EngineState
    from catalog.snapshot import CatalogSnapshot

__all__ = ["SharedCatalogState", "SharedProbe"]


class SharedCatalogState:
    """The catalog state (index, view, product vectors) the engines of one process share: a worker serving several
    rooms holds one engine per room (stage, viewer memory, reply scheduler are per room) but the catalog once. A
    staff edit is built into a new state by one engine and swapped into every attached engine at once (each batch
    reads ``engine.state`` once, so a batch in progress finishes on the state it started with)."""

    def __init__(self) -> None:
        self.building = threading.Lock()  # one reload at a time; the engines that find it done have nothing to do
        self.state: EngineState | None = None
        self.room_seen: tuple[tuple[str, ...], CatalogSnapshot, CatalogSnapshot] | None = None
        self._engines: weakref.WeakSet[Engine] = weakref.WeakSet()

    @classmethod
    def of(cls, engine: Engine) -> SharedCatalogState:
        """Seeded with ``engine``'s current state (e.g. the start-up engine, calibrated), which shares it from now on."""
        shared = cls()
        shared.publish(engine.state, engine._room_seen)
        shared.attach(engine)
        return shared

    def attach(self, engine: Engine) -> None:
        engine.shared = self
        self._engines.add(engine)
        if self.state is not None:
            engine.state, engine._room_seen = self.state, self.room_seen

    def publish(
        self, state: EngineState, room_seen: tuple[tuple[str, ...], CatalogSnapshot, CatalogSnapshot] | None
    ) -> None:
        self.state, self.room_seen = state, room_seen
        for engine in list(self._engines):
            engine.state, engine._room_seen = state, room_seen  # atomic reference swaps


class SharedProbe:
    """A value read at most once per ``max_age_s`` for all its callers (thread-safe): the engines of a worker (one
    per room) poll the catalog version every reload interval each, four rooms made four database round trips where
    one answers them all."""

    def __init__(self, read: Callable[[], int], max_age_s: float) -> None:
        self._read, self._max_age_s = read, max_age_s
        self._lock = threading.Lock()
        self._value: int | None = None
        self._at = float("-inf")

    def __call__(self) -> int:
        with self._lock:
            now = time.monotonic()
            if self._value is None or now - self._at >= self._max_age_s:
                self._value, self._at = self._read(), now
            return self._value
