"""A local append-only spool for comment records the database could not take (a hiccup must lose nothing).

Each line is JSON: the comment and, once decided, its outcome. ``drain`` writes them to the store when it is back and
keeps whatever still fails. The file survives a crash, so a restart drains it too.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bot.messages import Comment
from catalog.files import write_atomically

log = logging.getLogger(__name__)


class Spool:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def add(self, comment: Comment, outcome: dict[str, Any] | None = None, *, received_at: float | None = None) -> None:
        """Append a comment (and its outcome, once decided). ``received_at`` (wall clock) is kept so the drained
        row says when the comment arrived, not when the database came back."""
        item = {"comment": asdict(comment), "outcome": outcome, "received_at": received_at or time.time()}
        line = json.dumps(item, ensure_ascii=False)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(line + "\n")
                f.flush()
                os.fsync(f.fileno())
        log.warning("database unavailable: comment %s spooled to %s", comment.id, self.path)

    def pending(self) -> int:
        with self._lock:
            if not self.path.exists():
                return 0
            with self.path.open(encoding="utf-8") as f:
                return sum(1 for line in f if line.strip())

    def drain(self, store) -> int:
        """Write spooled records to the store; returns how many were written. Failing ones stay spooled."""
        with self._lock:
            if not self.path.exists():
                return 0
            lines = [line for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
            done, keep = 0, []
            # Later lines for the same comment (its outcome) supersede earlier ones.
            merged: dict[tuple[str, str], dict[str, Any]] = {}
            for line in lines:
                try:
                    item = json.loads(line)
                except json.JSONDecodeError:
                    log.error("unreadable spool line kept aside: %.200s", line)
                    keep.append(line)
                    continue
                c = item["comment"]
                key = (c.get("room", "local"), c["id"])
                if key in merged:
                    first = merged[key]
                    if item.get("outcome") is None:
                        continue
                    item = {**item, "received_at": first.get("received_at") or item.get("received_at")}
                merged[key] = item
            for item in merged.values():
                comment = Comment(**item["comment"])
                try:
                    store.record_comment(comment, raise_errors=True, received_at=item.get("received_at"))
                    outcome = item.get("outcome")
                    if outcome:
                        store.set_comment_outcome(comment.id, room=comment.room, **outcome)
                    done += 1
                except Exception:  # noqa: BLE001 - still down: keep it for the next drain
                    keep.append(json.dumps(item, ensure_ascii=False))
            write_atomically(self.path, "".join(line + "\n" for line in keep))
            if not keep:
                self.path.unlink(missing_ok=True)
        if done:
            log.info("drained %d spooled comments into the database (%d left)", done, len(keep))
        return done
