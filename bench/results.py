"""Keep bench/RESULTS.md as named sections, each rewritten by the script that owns it."""

from __future__ import annotations

import re
from datetime import UTC
from pathlib import Path

TITLE = "# LiveReply benchmark results\n\nEach section is written by the script named in it; rerun the script to refresh it.\n"


def write_section(path: Path, name: str, body: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else TITLE
    start, end = f"<!-- section:{name} -->", f"<!-- /section:{name} -->"
    block = f"{start}\n## {name}\n\n{body.rstrip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def machine_line() -> str:
    """Machine, load and date, for the head of a results section."""
    import os
    import platform
    from datetime import datetime

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average at start {load:.2f}. Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC."
    )
