"""Vectors of the next batch, embedded by the encoder process while this batch is decided (models/encoder_process.py).

With a backlog, the live loop hands the engine the comments queued behind the batch it is deciding; the engine works out the texts
they will need (the same ``understand``/``query_texts`` as deciding them) and submits the ones it has no vector for.
When that batch comes up, ``take`` collects what the child has embedded meanwhile; anything it did not embed (a text
that changed because the stage did, a child that died) is encoded in-process as before, so the prefetch can only
save time, never change a vector (beyond float rounding: equal within 1e-5, tested) or lose a comment.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future

import numpy as np

from models.encoder_process import EncoderProcess

log = logging.getLogger(__name__)

MAX_IN_FLIGHT = 512  # texts submitted and not taken yet; beyond it nothing more is sent (a few batches' worth)
STALL_S = 5.0  # a request the child has not answered after this long: the child is given up (encoded in-process)
# how long the engine waits for texts the child is still embedding before encoding them itself: about what encoding
# them here would cost in a batch (use-m3 on one core: ~0.5 ms per text in a batch of 64)
WAIT_FIRST_S = 0.0
WAIT_PER_TEXT_S = 0.0005


class Prefetcher:
    """Texts in flight in an ``EncoderProcess``: ``submit`` ahead, ``take`` when the batch comes up."""

    def __init__(self, encoder: EncoderProcess) -> None:
        self.encoder: EncoderProcess | None = encoder
        self._inflight: dict[str, tuple[Future[np.ndarray], int, float]] = {}  # text -> (request, row, sent at)
        self._lock = threading.Lock()
        self.submitted = 0  # texts sent to the child
        self.taken = 0  # of them, vectors used
        self.late = 0  # texts wanted before the child had them (encoded in-process instead)
        self.wait_first_s = WAIT_FIRST_S

    @property
    def active(self) -> bool:
        return self.encoder is not None

    def wait_for(self, n_texts: int) -> float:
        """How long to wait for ``n_texts`` the child is embedding (about the cost of encoding them here)."""
        return self.wait_first_s + WAIT_PER_TEXT_S * n_texts

    def pending(self) -> int:
        """Texts in flight whose request the child has not answered yet."""
        encoder = self.encoder
        if encoder is not None:
            encoder.poll()
        with self._lock:
            return sum(1 for future, _, _ in self._inflight.values() if not future.done())

    @property
    def in_flight(self) -> int:
        """Texts submitted and not taken yet."""
        return len(self._inflight)

    def submit(self, texts: Iterable[str], known: Callable[[str], bool]) -> int:
        """Send the texts that are neither ``known`` (cached) nor in flight; returns how many were sent."""
        encoder = self.encoder
        if encoder is None:
            return 0
        if not encoder.usable:
            self._give_up(encoder.error or "not usable")
            return 0
        with self._lock:
            if len(self._inflight) >= MAX_IN_FLIGHT:  # batches submitted and never taken (e.g. all re-deliveries)
                return 0
            todo = [t for t in dict.fromkeys(texts) if t not in self._inflight and not known(t)]
        if not todo:
            return 0
        future = encoder.submit(todo)
        sent = time.monotonic()
        with self._lock:
            for row, text in enumerate(todo):
                self._inflight[text] = (future, row, sent)
        self.submitted += len(todo)
        return len(todo)

    def take(self, wanted: Iterable[str], wait_s: float) -> dict[str, np.ndarray]:
        """Vectors of the ``wanted`` texts the child has embedded, waiting at most ``wait_s`` for the ones still in
        flight (the caller encodes the rest itself: on a busy box a late child must not make a comment wait longer
        than encoding it here would). Every finished request leaves the table, so it never holds more than what
        was submitted ahead."""
        if not self._inflight:
            return {}
        encoder = self.encoder
        if encoder is not None:
            encoder.poll()  # whatever the child has answered meanwhile
        with self._lock:
            wanted_set = set(wanted)
            entries = [(t, e) for t, e in self._inflight.items() if t in wanted_set or e[0].done()]
        if encoder is not None:
            deadline = time.monotonic() + wait_s
            for future in {id(e[0]): e[0] for _, e in entries}.values():
                if not future.done():
                    encoder.wait(future, max(0.0, deadline - time.monotonic()))
        out: dict[str, np.ndarray] = {}
        finished: list[str] = []
        oldest_late = None
        for text, (future, row, sent) in entries:
            if not future.done():
                oldest_late = sent if oldest_late is None else min(oldest_late, sent)
                continue
            finished.append(text)
            vectors = None if future.exception() is not None else future.result()
            if vectors is not None and row < len(vectors):
                out[text] = vectors[row].copy()  # a row, not a view pinning the whole batch in the cache
        with self._lock:
            for text in finished:
                self._inflight.pop(text, None)
        self.taken += len(out)
        self.late += sum(1 for t, e in entries if t in wanted_set and not e[0].done())
        if oldest_late is not None and time.monotonic() - oldest_late > STALL_S:
            self._give_up(f"a request unanswered for more than {STALL_S:.0f} s")
        return out

    def close(self) -> None:
        encoder, self.encoder = self.encoder, None
        with self._lock:
            self._inflight.clear()
        if encoder is not None:
            encoder.close()

    def _give_up(self, why: str) -> None:
        encoder, self.encoder = self.encoder, None
        with self._lock:
            self._inflight.clear()  # nobody reads the child's replies any more
        if encoder is None:
            return
        log.warning("encoder process given up (%s): the bot encodes in its own process", why)
        threading.Thread(target=encoder.close, name="encoder-close", daemon=True).start()
