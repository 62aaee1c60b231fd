"""A bot runtime on a fresh SQLite file with the demo catalog and a fixed operating point, for tests of the live path
(sockets, SQL, rendering) rather than of calibration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.bootstrap import Runtime, build_runtime, ensure_catalog, open_store
from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_settings(tmp_path: Path, **overrides: Any) -> Settings:
    base: dict[str, Any] = {
        "db": f"sqlite:///{tmp_path}/bot.db",
        "index_dir": str(tmp_path / "index"),
        "catalog": str(ROOT / "data/catalog.yaml"),
        "intents": str(ROOT / "data/intents.yaml"),
        "merge_window_s": 0.2,
        "rate_per_s": 50.0,
        "burst": 50,
        "answer_threshold": 0.6,
        "staff_threshold": 0.5,
    }
    base.update(overrides)
    return Settings.load(base, env={})


test_settings.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def live_runtime(tmp_path: Path, embedder: Any, **overrides: Any) -> Runtime:
    settings = test_settings(tmp_path, **overrides)
    store = open_store(settings)
    ensure_catalog(store, settings, replace=True)
    store.reset_session()
    return build_runtime(settings, store=store, embedder=embedder)


EIGHT = ("zh", "en", "ja", "ko", "th", "vi", "id", "es")


def calibrated_runtime(tmp_path: Path, embedder: Any, **overrides: Any) -> Runtime:
    """The demo catalog as shipped (thresholds from calibration, not fixed) in a room of the eight languages: what
    `eval replay --room-languages zh,en,ja,ko,th,vi,id,es` runs. Close ``runtime.store`` when done."""
    values: dict[str, Any] = {
        "db": f"sqlite:///{tmp_path}/e.db", "index_dir": str(tmp_path / "index"),
        "catalog": str(ROOT / "data/catalog.yaml"), "intents": str(ROOT / "data/intents.yaml"),
        "room_languages": ",".join(EIGHT),
    }
    values.update(overrides)
    settings = Settings.load(values, env={})
    store = open_store(settings)
    ensure_catalog(store, settings, replace=True)
    store.reset_session()
    return build_runtime(settings, store=store, embedder=embedder)
