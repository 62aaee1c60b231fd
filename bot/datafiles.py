"""Reading the staff-edited YAML data files of the live bot (rules, moderation): one reader, one set of guards."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from bot.cli_i18n import N_
from bot.errors import InputFileError

MAX_DATA_FILE_BYTES = 1_000_000


def read_yaml_mapping(path: str | os.PathLike[str], what: str, expected: str) -> tuple[Path, dict[str, Any]]:
    """The YAML mapping in ``path`` (an empty file is ``{}``). Clear InputFileErrors for a missing, oversized or
    broken file, YAML aliases (refused before anything is expanded), or a document that is not a mapping."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputFileError(p, None, N_("%(what)s not found"), what=what) from None
    if len(raw) > MAX_DATA_FILE_BYTES:
        raise InputFileError(p, None, N_("larger than %(bytes)d bytes"), bytes=MAX_DATA_FILE_BYTES)
    try:
        text = raw.decode("utf-8-sig")
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                raise InputFileError(p, mark.line + 1 if mark else None, N_("YAML aliases/anchors are not allowed"))
        doc = yaml.safe_load(text) or {}
    except UnicodeDecodeError as exc:
        raise InputFileError(p, None, N_("not valid UTF-8 (%(why)s)"), why=exc.reason) from None
    except yaml.YAMLError as exc:
        raise InputFileError(p, None, N_("not valid YAML (%(why)s)"), why=str(exc)[:200]) from None
    if not isinstance(doc, dict):
        raise InputFileError(p, None, N_("expected a mapping with %(keys)s"), keys=expected)
    return p, doc
