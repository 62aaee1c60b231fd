"""A cross-border room set up as the docs say (`--room-languages zh,en,ja --lang-fallback en`), a FAQ with only zh and
en answers, a Japanese viewer asking it: the bot answers in English (the fallback), and the comment keeps the
viewer's language — the live page's badge says 日语 and the review queue lists it under "answered in another language
than the viewer's" with "add translation" (docs/console.md), which it never did with comments the bot recorded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from bot.console.auth import add_staff
from bot.console.server import create_app
from catalog.store import CatalogStore
from tests.console_forms import signed_in_client
from tests.shipping_catalog import SHIPPING_CATALOG

ROOT = Path(__file__).resolve().parents[1]

CATALOG = SHIPPING_CATALOG

LOG = [
    {"ts": 0.0, "type": "stage", "product_id": "tee"},
    {"ts": 1.0, "id": "z1", "user": "u1", "text": "多久发货", "expect": "shipping"},
    {"ts": 2.0, "id": "j1", "user": "u2", "text": "いつ発送されますか", "expect": "shipping"},
]


@pytest.mark.slow  # the CLI in a subprocess with the real model
def test_a_comment_answered_in_the_fallback_language_keeps_the_viewers_language(tmp_path: Path) -> None:
    (tmp_path / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    (tmp_path / "show.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in LOG), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'shop.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVEREPLY_")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "eval",
            "replay",
            "--db",
            db,
            "--catalog",
            "catalog.yaml",
            "--log",
            "show.jsonl",
            "--room-languages",
            "zh,en,ja",
            "--lang-fallback",
            "en",
            "--index-dir",
            str(tmp_path / "index"),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={**env, "HF_HUB_OFFLINE": "1", "OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    with CatalogStore(db) as store:
        rows = {r.comment_id: r for r in store.comments()}
        ja = rows["j1"]
        assert ja.status == "answered" and ja.reply_text == "We ship within 48 hours of your order."
        assert ja.reason.endswith("; in en: no ja answer")
        assert ja.lang == "ja"  # the viewer's language (was "en", the reply's)
        assert rows["z1"].lang == "zh"
        add_staff(store, "ed", "editor-pw-9", "editor")
        client = signed_in_client(create_app(store, Settings(db=db)), "ed", "editor-pw-9", language="zh-CN")
        page = client.get("/review").text
    assert 'id="fallback"' in page and 'data-group="local/j1"' in page
    card = page.split('data-group="local/j1"')[1].split("</section>")[0]
    assert "日语" in card and 'id="translate-local-j1"' in page
