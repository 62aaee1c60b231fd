"""A database hiccup loses no comment: writes that fail are spooled locally and drained when the database is back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.bootstrap import build_runtime, ensure_catalog
from bot.config import Settings
from bot.messages import Comment
from catalog.store import CatalogStore

ROOT = Path(__file__).resolve().parents[1]


def test_locked_database_spools_comments_and_drains_them(tmp_path, embedder):
    db = tmp_path / "hiccup.db"
    settings = Settings.load(
        {
            "db": f"sqlite:///{db}",
            "index_dir": str(tmp_path / "index"),
            "catalog": str(ROOT / "data/catalog.yaml"),
            "intents": str(ROOT / "data/intents.yaml"),
            "answer_threshold": 0.6,
        },
        env={},
    )
    store = CatalogStore(settings.db, retries=1, busy_timeout_ms=50)
    ensure_catalog(store, settings, replace=True)
    engine = build_runtime(settings, store=store, embedder=embedder).engine
    engine.stage_product_id = "tee-classic"

    # Another process holds the write lock: every write of the bot fails for now.
    locker = sqlite3.connect(db, isolation_level=None, timeout=0.1)
    locker.execute("BEGIN EXCLUSIVE")
    comments = [Comment(id=f"h{i}", user=f"u{i}", text=t, ts=float(i)) for i, t in enumerate(["多少钱", "主播好美", "有XL码吗"])]
    outcomes = engine.process(comments)
    assert [o.comment.id for o in outcomes] == ["h0", "h1", "h2"]  # the bot kept deciding
    assert engine.spool.pending() >= 3
    assert engine.drain_spool() == 0  # still locked: nothing lost, nothing written

    locker.execute("ROLLBACK")
    locker.close()
    assert engine.drain_spool() == 3
    assert engine.spool.pending() == 0
    stored = {c.comment_id: c for c in store.comments(limit=None)}
    assert set(stored) == {"h0", "h1", "h2"}
    assert stored["h1"].status == "silent" and stored["h0"].status in {"answered", "staff"}
