"""The application's errors: one base. Wire formats, recorded logs, evaluation files, the command line.

Domain errors of the data layer are `catalog.errors.CatalogError` (NotFound / Invalid / Conflict) and of the
models `models.errors.ModelError`; code in `bot/` catches those and its own, never bare Exception, except at the
outermost edge of a long-running loop, where it logs the traceback and carries on.

A message the command line shows people can be a template: an English msgid of the terminal's gettext domain ``cli``
(marked ``N_``, bot/cli_i18n.py) with named ``%(…)s`` parameters. ``str(err)`` (and so every log line) is the English
text; the command line says it in the terminal's language (``bot.cli_errors.say_error``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any


class LiveReplyError(Exception):
    """Base of every error the bot package raises on purpose."""


def fill(template: str, params: Mapping[str, Any]) -> str:
    """``template % params``; a template without parameters is the text itself (a literal ``%`` stays)."""
    return template % params if params else template


class TemplatedError(LiveReplyError):
    """An error whose message is ``template % params``: ``template`` is a msgid of the ``cli`` domain (the English
    text), so the command line can say it in Chinese; ``str(err)`` stays English."""

    def __init__(self, template: str, **params: Any) -> None:
        self.template = template
        self.params = params
        super().__init__(fill(template, params))


class InputFileError(LiveReplyError, ValueError):
    """A file given to the bot (replay log, evaluation data) is unusable. ``str(err)`` is ``"path:line: reason"``
    (``"path: reason"`` when no line applies). ``reason`` may be a template (a msgid, see the module docstring) filled
    from ``params``: ``template`` keeps it, ``reason`` is the English text."""

    def __init__(self, path: str | os.PathLike[str], line: int | None, reason: str, **params: Any) -> None:
        self.path = os.fspath(path)
        self.line = line
        self.template = reason
        self.params = params
        self.reason = fill(reason, params)
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {self.reason}")
