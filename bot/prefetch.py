"""Vectors of the next batch, embedded by the encoder process while this batch is decided (models/encoder_process.py).

The live loop hands the engine the comments queued behind the batch it is deciding; the engine works out the texts
they will need (the same ``understand``/``query_texts`` as deciding them) and submits the ones it has no vector for.
When that batch comes up, ``take`` collects what the child has embedded meanwhile; anything it did not embed (a text
that changed because the stage did, a child that died) is encoded in-process as before, so the prefetch can only
save time, never change a vector or lose a comment.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

import numpy as np

from models.encoder_process import EncoderProcess

log = logging.getLogger(__name__)

WAIT_S = 5.0  # longest wait for a batch the child is embedding; beyond it the child is given up (encoded in-process)


class Prefetcher:
    """Texts in flight in an ``EncoderProcess``: ``submit`` ahead, ``take`` when the batch comes up."""

    def __init__(self, encoder: EncoderProcess) -> None:
        self.encoder: EncoderProcess | None = encoder
        self._inflight: dict[str, tuple[Future[np.ndarray], int]] = {}
        self._lock = threading.Lock()
        self.submitted = 0  # texts sent to the child
        self.taken = 0  # of them, vectors used
        self.failed = 0  # batches the child did not deliver (encoded in-process instead)

    @property
    def active(self) -> bool:
        return self.encoder is not None

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
            todo = [t for t in dict.fromkeys(texts) if t not in self._inflight and not known(t)]
        if not todo:
            return 0
        future = encoder.submit(todo)
        with self._lock:
            for row, text in enumerate(todo):
                self._inflight[text] = (future, row)
        self.submitted += len(todo)
        return len(todo)

    def take(self, wanted: Iterable[str]) -> dict[str, np.ndarray]:
        """Vectors of the ``wanted`` texts in flight (waiting for them), plus those of any finished request: every
        finished entry leaves the table, so it never holds more than the batches submitted ahead."""
        with self._lock:
            if not self._inflight:
                return {}
            wanted_set = set(wanted)
            entries = [(t, fr) for t, fr in self._inflight.items() if t in wanted_set or fr[0].done()]
        out: dict[str, np.ndarray] = {}
        results: dict[int, np.ndarray | None] = {}
        for text, (future, row) in entries:
            key = id(future)
            if key not in results:
                results[key] = self._result(future)
            vectors = results[key]
            if vectors is not None and row < len(vectors):
                out[text] = vectors[row].copy()  # a row, not a view pinning the whole batch in the cache
        with self._lock:
            for text, _ in entries:
                self._inflight.pop(text, None)
        self.taken += len(out)
        return out

    def close(self) -> None:
        encoder, self.encoder = self.encoder, None
        with self._lock:
            self._inflight.clear()
        if encoder is not None:
            encoder.close()

    def _result(self, future: Future[np.ndarray]) -> np.ndarray | None:
        try:
            return future.result(timeout=WAIT_S)
        except FutureTimeout:
            self.failed += 1
            self._give_up(f"no vectors within {WAIT_S:.0f} s")
        except Exception as exc:  # noqa: BLE001 - the batch is encoded in-process instead
            self.failed += 1
            log.warning("prefetched batch lost (%s); encoding it in-process", exc)
        return None

    def _give_up(self, why: str) -> None:
        encoder, self.encoder = self.encoder, None
        if encoder is None:
            return
        log.warning("encoder process given up (%s): the bot encodes in its own process", why)
        threading.Thread(target=encoder.close, name="encoder-close", daemon=True).start()
