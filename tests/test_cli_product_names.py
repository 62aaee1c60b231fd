"""Product names in the terminal's language: the session summary's per-product table of `livereply demo` names each
product in the CLI language (--ui-lang) when the catalog has that name, else by its default name (Chinese, else
English, else any: `catalog.snapshot.pick_text`), as the staff console does (bot/console/product_labels.py).

Runs `main(argv)` in this process with the session's model (tests/cli_inprocess.py) over a copy of the demo catalog
in which one product has no English name and another no Chinese one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot import cli_i18n
from tests.cli_inprocess import run_livereply

ROOT = Path(__file__).resolve().parents[1]
SHOW = [
    {"ts": 0.0, "type": "stage", "product_id": "tee-classic"},
    {"ts": 0.1, "id": "r1", "user": "u1", "text": "这个多少钱"},
    {"ts": 0.2, "type": "order", "order_id": "o1", "sku": "TEE-WHT-XL", "qty": 2},
]
SERUM_EN = ", en: Niacinamide Oil-Control Serum"
STROLLER_ZH = "{zh: 轻便婴儿推车A1, "


def _catalog(tmp_path: Path) -> Path:
    """The demo catalog with the serum's English name and the stroller's Chinese name removed."""
    text = (ROOT / "data" / "catalog.yaml").read_text(encoding="utf-8")
    assert text.count(SERUM_EN) == 1 and text.count(STROLLER_ZH) == 1
    path = tmp_path / "catalog.yaml"
    path.write_text(text.replace(SERUM_EN, "").replace(STROLLER_ZH, "{"), encoding="utf-8")
    return path


def _ends(line: str) -> list[int]:
    """The terminal column where each word of ``line`` ends (CJK characters are two columns)."""
    return [cli_i18n.width(line[: m.end()]) for m in re.finditer(r"\S+", line)]


@pytest.mark.slow  # the demo command with the real model
@pytest.mark.parametrize(
    ("ui", "header", "names"),
    [
        ("en", "product", ("Heavyweight Cotton Oversized Tee", "烟酰胺控油焕亮精华", "A1 Lightweight Stroller")),
        ("zh", "商品", ("重磅纯棉宽松T恤", "烟酰胺控油焕亮精华", "A1 Lightweight Stroller")),
    ],
)
def test_the_summary_table_names_products_in_the_cli_language(
    embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str],
    ui: str, header: str, names: tuple[str, ...],
) -> None:
    log = tmp_path / "show.jsonl"
    log.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in SHOW), encoding="utf-8")
    result = run_livereply(
        "demo", "--log", str(log), "--db", f"sqlite:///{tmp_path}/demo.db", "--catalog", str(_catalog(tmp_path)),
        "--speed", "0", "--no-console", "--no-encoder-process", "--ui-lang", ui,
        cwd=tmp_path, env={"OPENBLAS_NUM_THREADS": "1"}, embedder=embedder, monkeypatch=monkeypatch, capfd=capfd,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    table = lines[next(i for i, line in enumerate(lines) if line.split()[:1] == [header]):]
    head = table[0]
    for name in names:  # the whole name (an English one is not cut), its figures under the headers
        row = next((line for line in table if line.startswith(name + " ")), None)
        assert row is not None, (name, "\n".join(table))
        assert _ends(row)[-7:] == _ends(head)[1:], (row, head)
    tee = next(line for line in table if line.startswith(names[0] + " "))
    assert tee[len(names[0]):].split()[0] == "2"  # sold
    others = ("重磅纯棉宽松T恤", "Niacinamide", "stroller-a1") if ui == "en" else ("Heavyweight", "stroller-a1")
    assert not [word for word in others if word in "\n".join(table)], "\n".join(table)
