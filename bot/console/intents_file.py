"""Read, edit and atomically rewrite the intent file (``settings.intents``, default ``data/intents.yaml``).

    intents = read_intents(path)                       # raw items, in file order (list of dicts)
    before, after = save_intent(path, "ask_price", {"action": "answer", "examples": {...}, ...})
    before, after = save_intent(path, "gift", {...}, create=True)

A save rebuilds the whole YAML text (keeping the ``intents:`` list, every other intent untouched, and the comment
block at the top of the file; comments *inside* the list are lost), writes it to a temp file next to the real one,
validates it with ``models.intents.load_intents`` and only then ``os.replace``s the real file, so the running bot
(which reloads on mtime change) never sees a half-written or invalid file. No HTTP here.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
import re
import stat
import tempfile
import threading
from pathlib import Path
from typing import Any

import yaml

from bot.console.i18n import gettext as _
from bot.console.i18n import quoted_value
from bot.errors import LiveReplyError
from models.intents import ACTIONS, IntentFileError, load_intents, read_intent_file

__all__ = [
    "ACTIONS",
    "NAME_RE",
    "IntentEditError",
    "IntentFileError",
    "dump_intents",
    "examples_by_lang",
    "find_intent",
    "intent_digest",
    "read_intents",
    "save_intent",
    "split_lines",
]

log = logging.getLogger(__name__)

NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
LANGS = ("zh", "en")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_write_lock = threading.Lock()  # one read-modify-write at a time within this process


class IntentEditError(LiveReplyError, ValueError):
    """An intent edit was refused; the message is shown to staff as is."""


def read_intents(path: str | Path) -> list[dict[str, Any]]:
    """The raw intent items of the file, in order (only items that are mappings with a name)."""
    data = read_intent_file(path)
    return [item for item in data["intents"] if isinstance(item, dict) and "name" in item]


def find_intent(path: str | Path, name: str) -> dict[str, Any] | None:
    return next((item for item in read_intents(path) if str(item["name"]) == name), None)


def examples_by_lang(item: dict[str, Any]) -> dict[str, list[str]]:
    """{lang: [example, ...]}; a plain example list (also allowed by load_intents) is split zh / en by script."""
    examples = item.get("examples") or {}
    if isinstance(examples, dict):
        return {str(lang): [str(t) for t in texts or []] for lang, texts in examples.items()}
    out: dict[str, list[str]] = {"zh": [], "en": []}
    for t in examples:
        out["zh" if _CJK.search(str(t)) else "en"].append(str(t))
    return out


def intent_digest(item: dict[str, Any] | None) -> str:
    """A short fingerprint of one intent, carried by the edit form to refuse saving over someone else's change."""
    raw = json.dumps(item, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def split_lines(text: str) -> list[str]:
    """Non-empty stripped lines, duplicates dropped (first kept)."""
    seen: dict[str, None] = {}
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            seen.setdefault(line, None)
    return list(seen)


def _header_comments(text: str) -> str:
    """The comment / blank lines at the top of the file, kept on rewrite."""
    lines = []
    for line in text.splitlines(keepends=True):
        if line.strip() == "" or line.lstrip().startswith("#"):
            lines.append(line)
        else:
            break
    return "".join(lines)


def dump_intents(data: dict[str, Any], header: str = "") -> str:
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=120)
    return header + body


def _merge(existing: dict[str, Any] | None, name: str, changes: dict[str, Any]) -> dict[str, Any]:
    """The new item: `existing` (unknown keys and other languages kept) with `changes` applied, in a tidy key order."""
    item: dict[str, Any] = copy.deepcopy(existing) if existing else {}
    item["name"] = name
    for key in ("action", "description", "keywords"):
        if key in changes:
            item[key] = changes[key]
    if "examples" in changes:
        merged = examples_by_lang(item) if existing else {}
        merged.update(changes["examples"])
        item["examples"] = {lang: texts for lang, texts in merged.items() if texts}
    if not item.get("keywords"):
        item.pop("keywords", None)
    if not item.get("description"):
        item.pop("description", None)
    order = ["name", "action", "description", "keywords", "examples"]
    return {**{k: item[k] for k in order if k in item}, **{k: v for k, v in item.items() if k not in order}}


def save_intent(
    path: str | Path,
    name: str,
    changes: dict[str, Any],
    *,
    create: bool = False,
    expected_digest: str | None = None,
) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """Create or update intent `name` with `changes` (action, description {lang: text}, keywords [..],
    examples {lang: [..]}: a given language replaces that language's examples) and rewrite the file atomically.

    Returns (before, after) items. Raises IntentEditError (unknown / duplicate / bad name / changed meanwhile) or
    IntentFileError (the result does not load: the real file is left as it was).
    """
    path = Path(path)
    with _write_lock:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        data = read_intent_file(path)
        items = data["intents"]
        index = next((i for i, it in enumerate(items) if isinstance(it, dict) and str(it.get("name")) == name), None)
        if create:
            if not NAME_RE.match(name):
                raise IntentEditError(_("intent name %(name)s: use lowercase letters, digits and _ (start with a letter)")
                    % {"name": quoted_value(name)})
            if index is not None:
                raise IntentEditError(_("an intent named %(name)s already exists") % {"name": quoted_value(name)})
            before = None
        else:
            if index is None:
                raise IntentEditError(_("unknown intent %(name)s") % {"name": quoted_value(name)})
            before = copy.deepcopy(items[index])
            if expected_digest is not None and intent_digest(before) != expected_digest:
                raise IntentEditError(
                    _("intent %(name)s was changed by someone else since you opened it; reload the page and redo your edit")
                    % {"name": quoted_value(name)}
                )
        after = _merge(before, name, changes)
        if index is None:
            items.append(after)
        else:
            items[index] = after
        _replace_validated(path, dump_intents(data, _header_comments(text)))
    log.info("intent %s %s in %s", name, "created" if create else "updated", path)
    return before, after


def _replace_validated(path: Path, text: str) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent))
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            load_intents(tmp)
        except IntentFileError as exc:  # report against the real file name, not the temp file
            raise IntentFileError(str(exc).replace(str(tmp), str(path))) from None
        if path.exists():
            os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
