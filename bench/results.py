"""Keep bench/RESULTS.md as named sections, each rewritten by the script that owns it."""

from __future__ import annotations

import re
from pathlib import Path

TITLE = "# LiveReply benchmark results\n\nEach section is written by the script named in it; rerun the script to refresh it.\n"


def write_section(path: Path, name: str, body: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else TITLE
    start, end = f"<!-- section:{name} -->", f"<!-- /section:{name} -->"
    block = f"{start}\n## {name}\n\n{body.rstrip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
