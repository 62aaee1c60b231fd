"""Opening a room's websocket: the one place that decides which failures are retried (used by every client)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

log = logging.getLogger(__name__)

RETRYABLE = (OSError, InvalidHandshake, TimeoutError, ConnectionClosed)


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
            log.warning("cannot connect to %s (attempt %d): %s", url, attempt + 1, exc)
        return None
    if closing.is_set():
        await ws.close()
        return None
    return ws
