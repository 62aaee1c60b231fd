"""One settings object for LiveReply: defaults < environment (LIVEREPLY_*) < CLI flags."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping

ENV_PREFIX = "LIVEREPLY_"


def _default_threads() -> int:
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Settings:
    """Everything configurable. Field name ``foo_bar`` ↔ env ``LIVEREPLY_FOO_BAR`` ↔ flag ``--foo-bar``."""

    db: str = "sqlite:///var/livereply.db"
    catalog: str = "data/catalog.yaml"
    intents: str = "data/intents.yaml"
    log: str = "data/demo_comments.jsonl"
    model: str = "use-m3"
    threads: int = dataclasses.field(default_factory=_default_threads)
    index_dir: str = "var/index"
    room_url: str = "ws://127.0.0.1:8765"
    room_name: str = "local"
    speed: float = 20.0
    # matching
    answer_threshold: float = 0.0  # 0 = use the calibrated threshold of the catalog (see models/calibrate)
    staff_threshold: float = 0.0  # 0 = derived from the answer threshold
    min_margin: float = 0.04
    intent_threshold: float = 0.35  # kNN intent confidence to act on a silent/staff intent (see docs/EVAL.md)
    recommend_intent_threshold: float = 0.5  # intent confidence needed before recommending products
    target_wrong_rate: float = 0.05  # calibration target: wrong answers / answers on held-out catalog examples
    lexical_weight: float = 0.2  # dense + lexical fusion weight (measured on LCQMC/BQ, docs/EVAL.md)
    max_embed_chars: int = 200
    # replies
    rate_per_s: float = 3.0
    burst: int = 6
    merge_window_s: float = 1.0
    viewer_cooldown_s: float = 20.0
    # live loop (bounded: see docs/protocol.md "Delivery" and bot/service.py)
    max_batch: int = 64  # comments embedded and decided together; a backlog is worked in batches of this size
    max_queue: int = 10_000  # received events waiting for the worker; beyond it the socket stops being read
    stale_after_s: float = 60.0  # a comment that waited longer is recorded but not answered (the bot is behind)
    recover_max_age_s: float = 300.0  # at start, undecided comments older than this go to staff instead of an answer
    # console
    console_host: str = "127.0.0.1"
    console_port: int = 8080
    trusted_proxies: str = ""  # comma-separated addresses / CIDR networks whose X-Forwarded-For is believed
    secure_cookies: bool | None = None  # None = auto: Secure unless the console is bound to a loopback address
    max_upload_bytes: int = 5 * 1024 * 1024
    reload_interval_s: float = 0.25
    # output
    transcript: bool = True

    @classmethod
    def load(cls, overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> "Settings":
        """Build settings from environment variables and explicit overrides (CLI flags; ``None`` values ignored)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _coerce(f, raw)
        for key, value in (overrides or {}).items():
            if value is not None and key in {f.name for f in fields(cls)}:
                values[key] = value
        return cls(**values)

    def with_(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **changes)

    @property
    def var_dir(self) -> Path:
        return Path(self.index_dir).parent


def _coerce(f: dataclasses.Field, raw: str) -> Any:
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "bool":
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if kind == "bool | None":  # tri-state: "auto" = decided at run time
            return None if raw.strip().lower() == "auto" else raw.strip().lower() in {"1", "true", "yes", "on"}
    except ValueError as exc:
        raise ValueError(f"{ENV_PREFIX}{f.name.upper()}={raw!r}: expected {kind}") from exc
    return raw


# Settings whose command-line flag has a shorter name than the field.
FLAG_ALIASES = {"room_url": "--room"}


def settings_table() -> list[tuple[str, str, str]]:
    """(env var, flag, default) rows for the README / `livereply config`. Every field is a flag of demo/run/console."""
    rows = []
    default = Settings()
    for f in fields(Settings):
        flag = FLAG_ALIASES.get(f.name, "--" + f.name.replace("_", "-"))
        rows.append((ENV_PREFIX + f.name.upper(), flag, repr(getattr(default, f.name))))
    return rows
