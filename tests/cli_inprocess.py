"""`livereply ARGV` run in the test process: the same entry point (bot.cli.main) as the console script, with the
environment, working directory and output a subprocess would have, but with the session's model (tests/conftest.py:
`embedder`) instead of loading its own.

A subprocess of `livereply demo` / `eval replay` spends ~3-4 s of CPU starting Python, importing the bot and loading
and calibrating the model before it reads its first comment; the tests that check what such a command says (its
language, its figures) get the same lines from `main(argv)`. Each command keeps at least one test that runs it as a
real subprocess, where the process boundary is what is checked (exit status, start lines of a fresh process, signals).

Output is captured at the file-descriptor level (pytest's capfd), so a library that writes to fd 1 / 2 directly
would show up on stdout / stderr here as it would in a subprocess.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@dataclass
class CliResult:
    """What subprocess.CompletedProcess gives the tests: the exit status and the two streams."""

    returncode: int
    stdout: str
    stderr: str


def run_livereply(
    *argv: str,
    cwd: Path,
    env: Mapping[str, str],
    embedder: Any | None,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    clear_locale: bool = True,
) -> CliResult:
    """`main(argv)` in `cwd` with the caller's environment minus LIVEREPLY_* (and, with `clear_locale`, the locale
    variables), plus `env`; the `use-m3` model any part of the command asks for is the session's `embedder` (None: for
    commands that stop before a model is loaded, which then load none)."""
    import models.embedders
    from bot import bootstrap, cli_i18n
    from bot.cli import main

    real_get_embedder = models.embedders.get_embedder

    def session_model(name: str = models.embedders.DEFAULT_EMBEDDER, threads: int | None = None) -> Any:
        if embedder is None:
            raise AssertionError(f"this command was expected to stop before loading a model, it asked for {name!r}")
        return embedder if (name or "").strip() == "use-m3" else real_get_embedder(name, threads)

    with monkeypatch.context() as m:
        for name in list(os.environ):
            if name.startswith("LIVEREPLY_") or (clear_locale and name in LOCALE_VARS):
                m.delenv(name)
        m.setenv("HF_HUB_OFFLINE", "1")
        for name, value in env.items():
            m.setenv(name, value)
        m.setattr(tempfile, "tempdir", None)  # TMPDIR as given, as a new process would read it
        m.setattr(bootstrap, "get_embedder", session_model)
        m.setattr(models.embedders, "get_embedder", session_model)
        m.chdir(cwd)
        capfd.readouterr()
        try:
            try:
                code = main(list(argv))
            except SystemExit as exc:  # argparse's own errors and --help
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            cli_i18n.use(cli_i18n.ENGLISH)
        out, err = capfd.readouterr()
    return CliResult(code, out, err)
