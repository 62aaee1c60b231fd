"""Opening a room's websocket: the one place that decides which failures are retried (used by every client)."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Protocol

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

log = logging.getLogger(__name__)

RETRYABLE = (OSError, InvalidHandshake, TimeoutError, ConnectionClosed)
# A room that stays unreachable: the retries go on every few seconds, their warning at most once a minute (with how
# many failures it stands for), so a terminal is not filled with the same English line.
RETRY_WARNING_INTERVAL_S = 60.0
_retry_warned: dict[str, tuple[float, int]] = {}  # url → (when its retry warning was last logged, failures not logged)


def _warn_retry(url: str, attempt: int, exc: BaseException) -> None:
    """The warning of a failed retry, at most once per ``RETRY_WARNING_INTERVAL_S`` per URL, with the count of the
    failures it did not log in between."""
    now = time.monotonic()
    last, skipped = _retry_warned.get(url, (None, 0))
    if last is not None and now - last < RETRY_WARNING_INTERVAL_S:
        _retry_warned[url] = (last, skipped + 1)
        return
    _retry_warned[url] = (now, 0)
    more = f"; {skipped} more failed attempts since the last warning" if skipped else ""
    log.warning("cannot connect to %s (attempt %d): %s%s (warned at most once a minute)", url, attempt + 1, exc, more)


class _Stats(Protocol):
    connect_failures: int


async def open_websocket(
    url: str, *, attempt: int, closing: asyncio.Event, reconnect: bool, stats: _Stats, **options: Any
) -> ClientConnection | None:
    """Connect to ``url`` (``options`` go to ``websockets.connect``). A failure worth retrying is counted, logged and
    returned as None (raised when ``reconnect`` is off); a malformed URL always raises; a connection that opened after
    ``close()`` was called is closed again."""
    try:
        ws = await connect(url, **options)
    except InvalidURI:
        raise
    except RETRYABLE as exc:
        stats.connect_failures += 1
        if not reconnect:
            raise
        if attempt == 0:  # the first try of this client: say plainly what is going on (the retries go on forever)
            log.warning(
                "the room at %s cannot be reached (%s); retrying until it answers (Ctrl-C to stop)",
                url,
                exc or type(exc).__name__,
            )
        else:
            _warn_retry(url, attempt, exc)
        return None
    _retry_warned.pop(url, None)  # reached: the next run of failures warns at once again
    if closing.is_set():
        await ws.close()
        return None
    return ws
