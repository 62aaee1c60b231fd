"""Whether a room client's room answers: the one signal every client (websocket, HTTP polling, browser) gives
`livereply run` for its line in the terminal's language when the room cannot be reached."""

from __future__ import annotations

from collections.abc import Callable


class Reachability:
    """Whether a client's room answers, told to `listener` on each change only: False on the first failed connect
    of a run of failures, True on the connect that ends it (never for a first connect that just works). The CLI
    turns it into one line in the terminal's language; the logs stay English."""

    def __init__(self, listener: Callable[[bool], None] | None = None) -> None:
        self.listener = listener
        self.unreachable = False

    def failed(self) -> None:
        if not self.unreachable:
            self.unreachable = True
            if self.listener is not None:
                self.listener(False)

    def connected(self) -> None:
        if self.unreachable:
            self.unreachable = False
            if self.listener is not None:
                self.listener(True)
