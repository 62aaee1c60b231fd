"""Reading JSON-lines files with errors that name the file and line: the one reader (replay logs, eval data)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

from bot.cli_i18n import N_
from bot.errors import InputFileError


def iter_jsonl(
    path: str | os.PathLike[str], error: type[InputFileError] = InputFileError
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line number, object)`` for each non-blank line (a UTF-8 BOM is ignored).

    Raises ``error(path, line, reason)`` for a line that is not UTF-8, not JSON, or not a JSON object.
    """
    with open(path, "rb") as fh:
        for line_no, raw in enumerate(fh, 1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise error(
                    path, line_no, N_("not valid UTF-8 (byte %(byte)d: %(why)s)"), byte=exc.start, why=exc.reason
                ) from None
            text = text.strip().lstrip("\ufeff")
            if not text:
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                raise error(
                    path, line_no, N_("not valid JSON: %(why)s at column %(column)d"), why=exc.msg, column=exc.colno
                ) from None
            except (ValueError, RecursionError) as exc:  # huge integers, absurd nesting
                raise error(path, line_no, N_("not valid JSON: %(why)s"), why=str(exc)[:120]) from None
            if not isinstance(obj, dict):
                raise error(path, line_no, N_("each line must be a JSON object"))
            yield line_no, obj
