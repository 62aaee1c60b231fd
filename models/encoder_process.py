"""The sentence encoder in a child process, fed ahead of the live loop: while the bot decides one batch of comments,
the child embeds the next one.

Why a process and not a thread: the encoder's numpy forward pass releases the GIL around each of its many small
operations, and a Python thread deciding the previous batch meanwhile takes the GIL back every time, so the two
convoy (measured on 2 cores: the encoder ran 2.5-14x slower beside a busy Python thread, whatever the switch
interval). In its own process the encoder keeps one core to itself and the decide path the other, each with one BLAS
thread (``models/threads.py``), so the CPU budget is never oversubscribed.

Only an accelerator: vectors are the same as the in-process embedder's (same model, same single BLAS thread; a test
compares them), the engine still holds its own embedder for start-up and falls back to it when the child is slow,
broken or gone (``EncoderProcess.usable`` turns false and stays false).

Wire: one ``multiprocessing`` pipe. Parent -> child: ``(request_id, [texts])`` or ``None`` (stop). Child -> parent:
``("ready", model_id, dim)`` once, then ``(request_id, vectors | None, error | None)`` per request, in order.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

READY_TIMEOUT_S = 120.0  # a child that has not loaded its model by then is given up (the bot runs without it)


def _exit_on_term(signum: int, frame: Any) -> None:  # pragma: no cover - runs in the child process
    raise SystemExit(0)  # unwinds, so a cache file being written removes its temporary file


def _serve(conn: Connection, model: str, threads: int) -> None:  # pragma: no cover - runs in the child process
    """Child main: load the model once, then answer encode requests until the parent says stop or goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops the child by closing
    signal.signal(signal.SIGTERM, _exit_on_term)  # how ``close`` stops a child still loading: clean up on the way out
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)
    from models.embedders import get_embedder
    from models.threads import cap_threads

    cap_threads(threads)
    try:
        embedder = get_embedder(model, threads=threads)
        embedder.warmup()
        conn.send(("ready", embedder.model_id, embedder.dim))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which runs without the child
        conn.send(("failed", f"{type(exc).__name__}: {exc}", 0))
        return
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the parent went away
        if message is None:
            return
        request_id, texts = message
        try:
            vectors = np.ascontiguousarray(embedder.encode(texts), dtype=np.float32)
            conn.send((request_id, vectors, None))
        except Exception as exc:  # noqa: BLE001 - one bad batch is the parent's to handle (it encodes it itself)
            conn.send((request_id, None, f"{type(exc).__name__}: {exc}"))


class EncoderProcess:
    """A child process running embedder ``model`` with ``threads`` BLAS threads; ``submit`` returns a Future.

    Start it early (``EncoderProcess(model, threads)`` returns at once; the child loads its model while the parent
    starts), then ``wait_ready`` before the first use. Thread-safe; ``close`` stops the child.

    No reader thread: replies are read by whoever waits for one (``wait``/``poll``), in the order they were asked
    for. A third thread taking the GIL to read each reply convoyed with the deciding thread (measured: decision p50
    at 200 comments/s went 6.7 -> 16-19 ms); the thread that needs the vectors reads them itself.
    """

    def __init__(self, model: str, threads: int = 1) -> None:
        self.model = model
        self.threads = threads
        self.model_id: str | None = None
        self.dim = 0
        self.error: str | None = None  # why it is not usable (None while usable or not ready yet)
        self._ready = False
        self._lock = threading.Lock()  # sending and the futures table
        self._read_lock = threading.Lock()  # one reader at a time
        self._futures: dict[int, Future[np.ndarray]] = {}
        self._next_id = 0
        self._closed = False
        ctx = multiprocessing.get_context("spawn")  # never fork a process that holds threads and BLAS pools
        self._conn, child_conn = ctx.Pipe()
        self._process = ctx.Process(target=_serve, args=(child_conn, model, threads), name="livereply-encoder", daemon=True)
        self._process.start()
        child_conn.close()

    @property
    def pid(self) -> int | None:
        return self._process.pid

    @property
    def usable(self) -> bool:
        return self._ready and self.error is None and not self._closed

    def wait_ready(self, timeout: float = READY_TIMEOUT_S) -> bool:
        """True once the child has loaded its model; False when it failed or did not make it in time."""
        deadline = time.monotonic() + timeout
        while not self._ready and self.error is None:
            left = deadline - time.monotonic()
            if left <= 0:
                self._fail(f"the encoder process did not load {self.model} within {timeout:.0f} s")
                break
            self.poll(min(left, 0.5))
        return self.usable

    def submit(self, texts: Sequence[str]) -> Future[np.ndarray]:
        """Embed ``texts`` in the child: a Future of their (len, dim) float32 unit rows, or of the error. The Future
        completes when a thread reads the reply (``wait``, ``poll``)."""
        future: Future[np.ndarray] = Future()
        # read what the child has answered first: a child blocked sending a reply nobody reads stops reading
        # requests, and a send into its full buffer would then never return
        self.poll()
        with self._lock:
            if not self.usable:
                future.set_exception(RuntimeError(self.error or "the encoder process is not ready"))
                return future
            request_id = self._next_id
            self._next_id += 1
            self._futures[request_id] = future
            try:
                self._conn.send((request_id, list(texts)))
            except (OSError, ValueError) as exc:
                self._futures.pop(request_id, None)
                future.set_exception(RuntimeError(f"the encoder process is gone: {exc}"))
                self._fail_locked(f"sending to the encoder process failed: {exc}")
        return future

    def wait(self, future: Future[np.ndarray], timeout: float) -> bool:
        """Read replies until ``future`` is done or ``timeout`` seconds passed; True when it is done."""
        deadline = time.monotonic() + timeout
        while not future.done():
            left = deadline - time.monotonic()
            if left <= 0 or (self.error is not None and not future.done()):
                return future.done()
            self.poll(left)
        return True

    def poll(self, timeout: float = 0.0) -> int:
        """Read the replies that are there (waiting up to ``timeout`` for the first); how many were read."""
        read = 0
        with self._read_lock:
            wait = timeout
            while True:
                try:
                    if not self._conn.poll(wait):
                        return read
                    message: Any = self._conn.recv()
                except (EOFError, OSError, ValueError):
                    if not self._closed:
                        self._fail(f"the encoder process exited (code {self._process.exitcode})")
                    return read
                self._dispatch(message)
                read += 1
                wait = 0.0

    def encode(self, texts: Sequence[str], timeout: float = 30.0) -> np.ndarray:
        future = self.submit(texts)
        self.wait(future, timeout)
        return future.result(0)

    def close(self) -> None:
        self.poll()  # unblock a child stuck sending a reply, so that it reads the stop below
        with self._lock:
            if self._closed:
                return
            self._closed = True
            loading = not self._ready and self.error is None
            with contextlib.suppress(OSError, ValueError):
                self._conn.send(None)
        if loading:  # still loading its model, it reads the stop only once warmed up (seconds): nothing to finish
            self._process.terminate()  # (its caches are written atomically: a half-written one is never used)
        self._process.join(5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5)
        with self._read_lock:
            self._conn.close()
        self._fail("closed")

    # ------------------------------------------------------------------ internals
    def _dispatch(self, message: Any) -> None:
        if message[0] == "ready":
            self.model_id, self.dim = str(message[1]), int(message[2])
            self._ready = True
            log.info("encoder process %s ready (%s, %d-d)", self.pid, self.model_id, self.dim)
            return
        if message[0] == "failed":
            self._fail(f"the encoder process could not load {self.model}: {message[1]}")
            return
        request_id, vectors, error = message
        with self._lock:
            future = self._futures.pop(request_id, None)
        if future is None:
            return
        if error is not None:
            future.set_exception(RuntimeError(f"encoder process: {error}"))
        else:
            future.set_result(vectors)

    def _fail(self, why: str) -> None:
        with self._lock:
            self._fail_locked(why)

    def _fail_locked(self, why: str) -> None:
        if self.error is None:
            self.error = why
            if why != "closed":
                log.warning("%s; encoding in the bot's own process from now on", why)
        pending, self._futures = self._futures, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(RuntimeError(why))
