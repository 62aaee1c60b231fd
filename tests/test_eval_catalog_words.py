"""`livereply eval catalog` without --json on a Chinese terminal (issue 15): a summary in Chinese words, as
`eval replay`'s, not the result's English keys (bot/cli_eval_catalog.py); --json stays one JSON object with its
English keys; an English terminal gets the same summary in English."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot import cli_i18n
from tests.cli_inprocess import run_livereply
from tests.test_eval_catalog import TINY_TOPICS

CJK = re.compile(r"[\u4e00-\u9fff]")
# the result's keys a summary must not show raw
RAW_KEYS = ("answered_right", "in_scope", "accuracy_all", "wrong_answer_rate", "oos_not_answered", "staff_per_minute",
            "separation_auc", "engine_ms_p50", "ci95", "gap_points", "held_out_intents", "n_train")
TOPICS = TINY_TOPICS
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    cli_i18n.use(cli_i18n.ENGLISH)


@pytest.fixture
def train(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.tsv"
    lines = ["split\ttext\tlabel"] + [f"train\t{t}\t{label}" for label, texts in TOPICS.items() for t in texts]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(*argv: str, env: dict[str, str], monkeypatch, capfd, embedder):  # type: ignore[no-untyped-def]
    return run_livereply(*argv, cwd=ROOT, env={"OPENBLAS_NUM_THREADS": "1", **env}, embedder=embedder,
                         monkeypatch=monkeypatch, capfd=capfd)


def test_eval_catalog_speaks_chinese_on_a_chinese_terminal(train: Path, monkeypatch, capfd, embedder) -> None:
    out = _run("eval", "catalog", "--train", str(train), env={"LANG": "zh_CN.UTF-8"}, monkeypatch=monkeypatch,
               capfd=capfd, embedder=embedder)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "意图文件作为商品目录的评估" in text
    for label in ("训练文件", "测试方式", "测试问法", "目录能答的", "目录外的", "总准确率", "错答率", "人工负担", "速度"):
        assert re.search(rf"^{label}\s", text, re.M), (label, text)
    assert "冻结切分" in text and "个意图中有 1 个不放进目录" in text
    assert re.search(r"^目录能答的\s+答对 \d+ · 答错 \d+ · 转人工 \d+ · 不回复 \d+$", text, re.M), text
    for key in RAW_KEYS:
        assert key not in text, (key, text)
    assert not text.lstrip().startswith("{")
    # every row's label is Chinese
    rows = [line for line in text.splitlines() if line and not line.startswith("═")]
    assert all(CJK.search(line.split()[0]) or line.startswith("--json") for line in rows), rows


def test_eval_catalog_json_and_the_english_summary(train: Path, tmp_path: Path, monkeypatch, capfd, embedder) -> None:
    test = tmp_path / "test.tsv"
    test.write_text("split\ttext\tlabel\ntest\thow much for this\tPRICE\ntest\twhat is your favourite colour\toos\n")
    out = _run("eval", "catalog", "--train", str(train), "--test", str(test), "--json", env={"LANG": "zh_CN.UTF-8"},
               monkeypatch=monkeypatch, capfd=capfd, embedder=embedder)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)  # one object, English keys, on a Chinese terminal too
    assert (result["n"], result["in_scope"], result["out_of_scope"]) == (2, 1, 1) and result["split"] is None
    out = _run("eval", "catalog", "--train", str(train), "--test", str(test), env={"LIVEREPLY_UI_LANG": "en"},
               monkeypatch=monkeypatch, capfd=capfd, embedder=embedder)
    assert out.returncode == 0, out.stderr
    assert not CJK.search(out.stdout), out.stdout
    assert re.search(rf"^test\s+catalog from every train row, scored on {re.escape(str(test))}$", out.stdout, re.M)
    assert re.search(r"^test rows\s+2: 1 in scope, 1 out of scope$", out.stdout, re.M), out.stdout
    for key in RAW_KEYS:
        assert key not in out.stdout, (key, out.stdout)
