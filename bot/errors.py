"""The application's errors: one base. Wire formats, recorded logs, evaluation files, the command line.

Domain errors of the data layer are `catalog.errors.CatalogError` (NotFound / Invalid / Conflict) and of the
models `models.errors.ModelError`; code in `bot/` catches those and its own, never bare Exception, except at the
outermost edge of a long-running loop, where it logs the traceback and carries on.
"""

from __future__ import annotations

import os


class LiveReplyError(Exception):
    """Base of every error the bot package raises on purpose."""


class InputFileError(LiveReplyError, ValueError):
    """A file given to the bot (replay log, evaluation data) is unusable. ``str(err)`` is ``"path:line: reason"``
    (``"path: reason"`` when no line applies)."""

    def __init__(self, path: str | os.PathLike[str], line: int | None, reason: str) -> None:
        self.path = os.fspath(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")
