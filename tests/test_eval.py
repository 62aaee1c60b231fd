"""bot/eval.py: file readers, metric helpers with hand-computed answers, and real runs (use-m3)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.eval import (
    EvalFileError,
    best_abstention_threshold,
    best_pair_threshold,
    eval_matching,
    eval_pairs,
    read_faq_tsv,
    read_pairs_tsv,
    read_queries_jsonl,
)
from models.embedders import get_embedder

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "matching"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/data/matching")


@pytest.fixture(scope="module")
def use_model() -> str:
    get_embedder("use-m3", threads=2).warmup()  # load once for the module; eval_matching reuses the cached instance
    return "use-m3"


FAQ_ROWS = [
    ("size", "有XL码吗"),
    ("size", "有没有大码"),
    ("price", "多少钱"),
    ("price", "这个什么价格"),
    ("ship", "什么时候发货"),
    ("ship", "几天能到"),
    ("return", "可以退货吗"),
    ("material", "是纯棉的吗"),
]
QUERIES = [
    ("q1", "XL码还有没有", ["size"], True),
    ("q2", "这件多少钱啊", ["price"], True),
    ("q3", "几号发货", ["ship"], True),
    ("q4", "能退吗", ["return"], True),
    ("q5", "面料是棉的吗", ["material"], True),
    ("q6", "主播唱首歌吧", [], False),
    ("q7", "哈哈哈哈", [], False),
]


def _write_small(tmp_path: Path) -> tuple[Path, Path]:
    faq = tmp_path / "faq.tsv"
    faq.write_text("faq_id\tquestion\n" + "".join(f"{f}\t{q}\n" for f, q in FAQ_ROWS), encoding="utf-8")
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        "".join(
            json.dumps(
                {
                    "qid": qid,
                    "query": text,
                    "gold_faq_ids": gold,
                    "gold_faq_ids_closure": gold,
                    "hard_negative_faq_ids": [],
                    "answerable": ans,
                },
                ensure_ascii=False,
            )
            + "\n"
            for qid, text, gold, ans in QUERIES
        ),
        encoding="utf-8",
    )
    return faq, queries


# ------------------------------------------------------------------------------------------ pure helpers


def test_abstention_threshold_hand_computed() -> None:
    # scores:        0.9   0.8    0.7    0.6   0.5
    # answerable:    yes   no     yes    yes   no
    # top-1 right:   yes   -      no     yes   -
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5])
    correct = np.array([True, False, False, True, False])
    answerable = np.array([True, False, True, True, False])
    r = best_abstention_threshold(scores, correct, answerable)
    # answer top-1 only: right = 1 + 2 silent unanswerable = 3/5 — best (top-4 gives 2+1 = 3/5 too; first wins)
    assert r["accuracy_with_abstention"] == pytest.approx(3 / 5)
    assert r["threshold"] == pytest.approx(0.85)
    assert r["silence_on_unanswerable"] == pytest.approx(1.0)
    assert r["answered_share_answerable"] == pytest.approx(1 / 3)
    assert r["wrong_answer_rate"] == 0.0

    # all answerable and all right: answer everything
    r = best_abstention_threshold(np.array([0.3, 0.2]), np.array([True, True]), np.array([True, True]))
    assert r["accuracy_with_abstention"] == 1.0 and r["threshold"] < 0.2
    # ties are never split by the threshold
    r = best_abstention_threshold(np.array([0.5, 0.5]), np.array([True, False]), np.array([True, False]))
    assert r["threshold"] in (pytest.approx(0.5 + 1e-6), pytest.approx(0.5 - 1e-6))


def test_pair_threshold_hand_computed() -> None:
    thr, acc = best_pair_threshold(np.array([0.9, 0.8, 0.4, 0.3]), np.array([1, 1, 0, 0]))
    assert acc == 1.0 and 0.4 < thr < 0.8
    thr, acc = best_pair_threshold(np.array([0.9, 0.8, 0.4, 0.3]), np.array([1, 0, 1, 0]))
    assert acc == pytest.approx(0.75)


# ------------------------------------------------------------------------------------------ readers


def test_readers_report_file_and_line(tmp_path: Path) -> None:
    bad_faq = tmp_path / "bad.tsv"
    bad_faq.write_text("faq_id\tquestion\nf1\tok\nf2 no tab\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match=r"bad\.tsv:3"):
        read_faq_tsv(bad_faq)
    no_header = tmp_path / "nohead.tsv"
    no_header.write_text("f1\tq\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match=r"nohead\.tsv:1: expected header"):
        read_faq_tsv(no_header)

    bad_q = tmp_path / "bad.jsonl"
    good = {"qid": "a", "query": "x", "gold_faq_ids_closure": ["f1"], "answerable": True}
    bad_q.write_text(json.dumps(good) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match=r"bad\.jsonl:2: not valid JSON"):
        read_queries_jsonl(bad_q)
    bad_q.write_text(json.dumps(good) + "\n" + json.dumps({"qid": "b", "query": "y"}) + "\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match=r"bad\.jsonl:2: missing field"):
        read_queries_jsonl(bad_q)

    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("text_a\ttext_b\tlabel\na\tb\t1\nc\td\tmaybe\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match=r"pairs\.tsv:3"):
        read_pairs_tsv(pairs)
    with pytest.raises(EvalFileError, match="file not found"):
        read_faq_tsv(tmp_path / "missing.tsv")


def test_faq_reader_groups_examples(tmp_path: Path) -> None:
    faq, queries = _write_small(tmp_path)
    faqs = {f.id: f.questions for f in read_faq_tsv(faq)}
    assert faqs["size"] == ("有XL码吗", "有没有大码") and len(faqs) == 5
    qs = read_queries_jsonl(queries)
    assert [q.answerable for q in qs].count(False) == 2 and qs[0].gold == {"size"}


# ------------------------------------------------------------------------------------------ real runs


@pytest.mark.slow
@pytest.mark.parametrize("method", ["dense", "lexical", "hybrid", "hybrid-rrf"])
def test_eval_matching_small(tmp_path: Path, use_model: str, method: str) -> None:
    faq, queries = _write_small(tmp_path)
    r = eval_matching(faq, queries, model=use_model, threads=2, method=method)
    assert r["n_queries"] == 5 and r["n_unanswerable"] == 2
    assert r["method"] == method
    assert r["model"] == ("bm25-charngram" if method == "lexical" else get_embedder("use-m3", 2).model_id)
    assert 0.0 <= r["top1"] <= r["top5"] <= 1.0 and r["top1"] <= r["mrr"] <= 1.0
    assert r["top5"] == 1.0  # only 5 FAQs, and every query shares a character with its gold FAQ
    if method != "lexical":
        assert r["top1"] >= 0.8  # easy paraphrases
        assert r["encode_seconds"] > 0
    for key in ("threshold", "silence_on_unanswerable", "wrong_answer_rate", "accuracy_with_abstention", "ms_per_query"):
        assert key in r
    assert r["accuracy_with_abstention"] >= max(2 / 7, r["top1"] * 5 / 7 - 1e-9)  # never worse than trivial policies
    json.dumps(r)  # JSON-able for the CLI


def test_eval_matching_rejects_unknown_method(tmp_path: Path) -> None:
    faq, queries = _write_small(tmp_path)
    with pytest.raises(ValueError, match="unknown method"):
        eval_matching(faq, queries, method="magic")  # type: ignore[arg-type]


@pytest.mark.slow
def test_eval_pairs_split_and_files(tmp_path: Path, use_model: str) -> None:
    rows = [
        ("有XL码吗", "XL的还有吗", 1),
        ("这个多少钱", "价格是多少", 1),
        ("什么时候发货", "几天能发货", 1),
        ("可以退货吗", "支持退换吗", 1),
        ("有XL码吗", "可以退货吗", 0),
        ("这个多少钱", "什么时候发货", 0),
        ("什么时候发货", "这件衣服是纯棉的吗", 0),
        ("可以退货吗", "主播今天好漂亮", 0),
    ]
    path = tmp_path / "pairs.tsv"
    path.write_text("text_a\ttext_b\tlabel\n" + "".join(f"{a}\t{b}\t{y}\n" for a, b, y in rows), encoding="utf-8")
    r = eval_pairs(path, None, model=use_model, threads=2)
    assert r["n_dev"] == 4 and r["n_test"] == 4
    assert r["dev_accuracy"] >= 0.75
    assert 0.0 <= r["test_accuracy"] <= 1.0
    again = eval_pairs(path, None, model=use_model, threads=2)
    assert again["threshold"] == r["threshold"]  # fixed seed → same split
    both = eval_pairs(path, path, model=use_model, threads=2)
    assert both["n_dev"] == both["n_test"] == 8
    assert both["test_accuracy"] == both["dev_accuracy"]  # same file, same threshold


@pytest.mark.slow
def test_eval_matching_on_bq_slice(tmp_path: Path, use_model: str) -> None:
    faq = SHARED / "zh_bq_dev_retrieval_faq.tsv"
    queries = SHARED / "zh_bq_dev_retrieval_queries.jsonl"
    if not (faq.is_file() and queries.is_file()):
        pytest.skip(f"shared BQ retrieval files not found under {SHARED}")
    lines = queries.read_text(encoding="utf-8").splitlines()[:200]
    sliced = tmp_path / "bq200.jsonl"
    sliced.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = eval_matching(faq, sliced, model=use_model, threads=2, method="dense")
    assert r["n_queries"] + r["n_unanswerable"] == 200
    assert r["n_faqs"] > 5000
    # BQ is hard (bank-support paraphrases): full-file use-m3 gives top1 ~0.17, top5 ~0.39
    assert 0.08 <= r["top1"] <= r["mrr"] <= 1.0
    assert r["top5"] >= 0.2
    assert 0.0 <= r["silence_on_unanswerable"] <= 1.0
    lexical = eval_matching(faq, sliced, method="lexical")
    assert lexical["top5"] >= 0.15
