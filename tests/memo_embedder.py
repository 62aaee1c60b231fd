"""The session's model with a memo of the vectors it has already computed (tests/conftest.py: `embedder`).

Most model tests build a runtime over the same demo catalog and intents, so each of them encoded the same few
thousand texts again (index build, intents, calibration: ~9 s of a ~17 s runtime build on a quiet box). USE-m3 embeds
each text on its own (no padding, no cross-sentence state: tests/test_embedders.py checks it), so a text's vector
does not depend on when or beside what it was encoded; the memo hands back the row the model gave the first time.

Only the `embedder` fixture is wrapped: the model tests of tests/test_embedders.py and every `get_embedder(...)` call
get the bare model, and so does every child process (encoder process, CLI subprocesses).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from models.embedders import Embedder


@dataclass
class MemoEmbedder:
    """`inner` with its vectors kept by text (at most `max_texts` of them; the rest are encoded every time)."""

    inner: Embedder
    max_texts: int = 60_000  # 512 float32 a row: ~120 MB at most
    _rows: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    @property
    def dim(self) -> int:
        return self.inner.dim

    def warmup(self) -> None:
        self.inner.warmup()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if isinstance(texts, str) or not all(isinstance(t, str) for t in texts):
            return self.inner.encode(texts)  # the model's own TypeError
        items = list(texts)
        if not items:
            return self.inner.encode(items)
        with self._lock:
            missing = list(dict.fromkeys(t for t in items if t not in self._rows))
        fresh: dict[str, np.ndarray] = {}
        if missing:
            fresh = dict(zip(missing, self.inner.encode(missing), strict=True))
            with self._lock:
                for text, row in fresh.items():
                    if len(self._rows) >= self.max_texts:
                        break
                    self._rows.setdefault(text, row.copy())
        with self._lock:
            rows = [fresh[t] if t in fresh else self._rows[t] for t in items]
        return np.ascontiguousarray(np.stack(rows), dtype=np.float32)
