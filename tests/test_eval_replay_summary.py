"""`livereply eval replay` without --json: what a shop runs before going live (answer rate, accuracy, latency) reads
like the demo's summary, in the terminal's language — not a dump of the JSON's snake_case keys. --json is unchanged
(tests/test_cli_language.py: test_json_output_is_never_translated)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli_inprocess import run_livereply

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
SHOW = [
    {"ts": 0.0, "type": "stage", "product_id": "tee-classic"},
    {"ts": 0.1, "id": "r1", "user": "u1", "text": "这个多少钱", "expect": "@price"},
    {"ts": 0.2, "id": "r2", "user": "u2", "text": "how much is this t-shirt?", "expect": "@price"},
    {"ts": 0.3, "id": "r3", "user": "u3", "text": "晚上好呀主播", "expect": None},
    {"ts": 0.4, "id": "r4", "user": "u4", "text": "good evening everyone", "expect": None},
]
KEYS = ("accuracy_on_answerable", "latency_ms", "room_p50", "answered_when_should_be_silent", "by_lang", "ci95")


def _log(tmp_path: Path) -> Path:
    log = tmp_path / "show.jsonl"
    log.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in SHOW), encoding="utf-8")
    return log


def test_the_replay_report_is_a_chinese_summary_on_a_chinese_terminal(
    tmp_path: Path, embedder, monkeypatch: pytest.MonkeyPatch, capfd  # type: ignore[no-untyped-def]
) -> None:
    result = run_livereply("eval", "replay", "--log", str(_log(tmp_path)), cwd=tmp_path, env={"LANG": "zh_CN.UTF-8"},
                           embedder=embedder, monkeypatch=monkeypatch, capfd=capfd)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert not any(key in out for key in KEYS), out  # was "accuracy_on_answerable      0.5" …
    assert "回放评估" in out
    assert re.search(r"处理结果\s+回答 \d+ · 推荐 \d+ · 转人工 \d+ · 不回复 \d+", out), out
    assert re.search(r"该回答的答对率\s+\d+\.\d% +95% 区间 \d+\.\d% – \d+\.\d%", out), out
    assert re.search(r"错答率\s+\d+\.\d%", out), out
    assert re.search(r"闲聊被回答\s+标注为不用回答的 2 条评论中回答了 \d 条", out), out
    assert re.search(r"单条评论耗时\s+p50 [\d.]+ ms\s+p99 [\d.]+ ms", out), out
    assert re.search(r"^英语 \(en\)\s+2\s+1\s+\d", out, re.M) and re.search(r"^中文 \(zh\)\s+2\s+1\s+\d", out, re.M), out
    assert "逐条明细" in out and "--db" in out and "--json" in out


def test_the_replay_report_in_english_names_the_database_that_keeps_each_comment(
    tmp_path: Path, embedder, monkeypatch: pytest.MonkeyPatch, capfd  # type: ignore[no-untyped-def]
) -> None:
    db = tmp_path / "eval.db"
    result = run_livereply("eval", "replay", "--log", str(_log(tmp_path)), "--db", f"sqlite:///{db}", cwd=tmp_path,
                           env={"LANG": "C"}, embedder=embedder, monkeypatch=monkeypatch, capfd=capfd)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert not CJK.search(out) and not any(key in out for key in KEYS), out
    assert "replay evaluation" in out and re.search(r"accuracy on answerable\s+\d+\.\d% +95% interval", out), out
    assert re.search(r"chit-chat answered\s+\d of 2 comments", out), out
    assert re.search(r"^English \(en\)\s+2\s+1\s+\d", out, re.M), out
    assert f"is in sqlite:///{db}" in out, out
