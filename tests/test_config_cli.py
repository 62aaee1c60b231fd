"""One settings object: defaults < LIVEREPLY_* environment < command-line flags; every listed flag exists."""

from __future__ import annotations

import pytest

from bot.cli import build_parser
from bot.config import Settings, settings_table


def test_env_overrides_defaults_and_flags_override_env():
    env = {"LIVEREPLY_RATE_PER_S": "7.5", "LIVEREPLY_MODEL": "e5-small", "LIVEREPLY_TRANSCRIPT": "no"}
    s = Settings.load(env=env)
    assert (s.rate_per_s, s.model, s.transcript) == (7.5, "e5-small", False)
    s = Settings.load({"rate_per_s": 2.0, "model": None}, env=env)
    assert s.rate_per_s == 2.0 and s.model == "e5-small"  # None = flag not given


def test_bad_env_value_is_a_clear_error():
    with pytest.raises(ValueError, match="LIVEREPLY_BURST='lots': expected int"):
        Settings.load(env={"LIVEREPLY_BURST": "lots"})


@pytest.mark.parametrize("command", ["demo", "run", "console"])
def test_every_setting_listed_by_config_is_a_flag(command):
    parser = build_parser()
    defaults = Settings()
    for env, flag, default in settings_table():
        name = env.removeprefix("LIVEREPLY_").lower()
        if name == "transcript":
            continue  # --quiet on demo/run
        value = getattr(defaults, name)
        argv = [command, flag, str(value)] + (["--room", "ws://x"] if command == "run" and flag != "--room" else [])
        args = parser.parse_args(argv)
        assert getattr(args, name) == value, (command, flag)
