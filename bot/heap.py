"""Hand freed heap memory back to the operating system (glibc ``malloc_trim``).

Start-up parses a 3 MB index sidecar, 30k catalog rows and the model files, and a reload builds a new catalog state
beside the old one; glibc keeps much of what they freed in its heap instead of returning it (10k-FAQ bench shop:
~400 MB → 388 MB RSS after start; 463 → 388 MB when the model had loaded in a second thread, whose arena glibc never
shrinks on its own). One trim costs milliseconds. A no-op where the C library has no ``malloc_trim`` (musl, macOS).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc
import logging
import sys
import threading
from collections.abc import Callable, Iterator

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim  # ctypes releases the GIL during the call
    except (OSError, AttributeError):
        return None
    return trim


def release_free_memory() -> bool:
    """Return free heap pages to the OS; True when the C library did (glibc only)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    released = bool(trim(0))
    log.debug("malloc_trim: %s", "released memory" if released else "nothing to release")
    return released


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block; what it allocated is then frozen (``gc.freeze``).

    Start-up allocates a few hundred thousand long-lived objects (catalog, view, index maps) and next to no cycles
    (~1,300 objects in cycles, measured on the 10k-FAQ bench shop); each automatic full collection on the way scans
    all of them again: ~0.4 s of a 2 s warm start. A reload builds a new catalog state of the same kind beside the
    batches being decided. ``gc.freeze`` moves everything alive to the permanent generation without scanning it:
    the first batch after start-up does not pay for one big young-generation collection, and no later full
    collection scans the catalog again. Those took 0.23-0.49 s, holding the GIL (every thread of the bot stalled),
    the first one a few seconds after start (the oldest generation had never been counted), measured on the 10k-FAQ
    shop at load 7. Frozen objects are still freed when their last reference goes (an old state after a reload);
    only garbage cycles among them are never collected: the ~1,300 of start-up once, 0-30 objects per reload
    (measured)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


_switch_lock = threading.Lock()
_switch_users = 0
_switch_saved = 0.0


@contextlib.contextmanager
def short_switch_interval(seconds: float) -> Iterator[None]:
    """The interpreter's GIL switch interval lowered to ``seconds`` inside the block (process-wide; nested and
    concurrent blocks share one saved value, the last to leave restores it).

    A thread that wants the GIL from a thread running Python waits up to the switch interval (5 ms by default) and
    then forces a hand-over. While a reload builds the new catalog state, every hand-over the deciding thread or the
    event loop needs (after FAISS, numpy or SQLite released the GIL, to take a comment off the socket, to hand a
    batch to its worker thread) can wait that long behind the builder."""
    global _switch_users, _switch_saved
    with _switch_lock:
        if _switch_users == 0:
            _switch_saved = sys.getswitchinterval()
            sys.setswitchinterval(min(seconds, _switch_saved))
        _switch_users += 1
    try:
        yield
    finally:
        with _switch_lock:
            _switch_users -= 1
            if _switch_users == 0:
                sys.setswitchinterval(_switch_saved)
