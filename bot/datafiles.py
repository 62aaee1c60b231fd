"""Reading the staff-edited YAML data files of the live bot (rules, moderation): one reader, one set of guards."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from bot.errors import InputFileError

MAX_DATA_FILE_BYTES = 1_000_000


def read_yaml_mapping(path: str | os.PathLike[str], what: str, expected: str) -> tuple[Path, dict[str, Any]]:
    """The YAML mapping in ``path`` (an empty file is ``{}``). Clear InputFileErrors for a missing, oversized or
    broken file, YAML aliases (refused before anything is expanded), or a document that is not a mapping."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputFileError(p, None, f"{what} not found") from None
    if len(raw) > MAX_DATA_FILE_BYTES:
        raise InputFileError(p, None, f"larger than {MAX_DATA_FILE_BYTES} bytes")
    try:
        text = raw.decode("utf-8-sig")
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                raise InputFileError(p, mark.line + 1 if mark else None, "YAML aliases/anchors are not allowed")
        doc = yaml.safe_load(text) or {}
    except UnicodeDecodeError as exc:
        raise InputFileError(p, None, f"not valid UTF-8 ({exc.reason})") from None
    except yaml.YAMLError as exc:
        raise InputFileError(p, None, f"not valid YAML ({str(exc)[:200]})") from None
    if not isinstance(doc, dict):
        raise InputFileError(p, None, f"expected a mapping with {expected}")
    return p, doc
