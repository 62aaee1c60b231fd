"""IntentModel's per-batch work (run for every batch of the live loop): class scores and the keyword check are the
values and guesses of the straightforward code they replace, bit for bit (random vectors, no model)."""

from __future__ import annotations

import numpy as np

from models.intents import IntentDef, IntentModel


def _model(rng: np.random.Generator, sizes: list[int], keywords: dict[int, tuple[str, ...]], k: int = 3) -> IntentModel:
    intents = [
        IntentDef(
            name=f"i{c}",
            action="staff" if c in keywords else "answer",
            examples=tuple(f"e{c}-{j}" for j in range(n)),
            keywords=keywords.get(c, ()),
        )
        for c, n in enumerate(sizes)
    ]
    labels = np.asarray([c for c, n in enumerate(sizes) for _ in range(n)])
    vectors = rng.standard_normal((len(labels), 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    shuffled = rng.permutation(len(labels))  # examples of an intent need not be contiguous
    return IntentModel(intents, vectors[shuffled], labels[shuffled], k=k, threshold=0.2)


def _reference_class_scores(model: IntentModel, queries: np.ndarray) -> np.ndarray:
    """The class scores as written before: each intent's block of similarities (examples grouped by intent), the
    top-k averaged with ndarray.mean."""
    out = np.full((queries.shape[0], len(model.names)), -1.0, dtype=np.float32)
    sims = queries @ model._grouped
    for c in range(len(model.names)):
        cols = sims[:, model._bounds[c] : model._bounds[c + 1]]
        if cols.shape[1] == 0:
            continue
        grouped_labels = model.labels[np.argsort(model.labels, kind="stable")]
        assert set(grouped_labels[model._bounds[c] : model._bounds[c + 1]].tolist()) == {c}  # this intent's block
        k = min(model.k, cols.shape[1])
        out[:, c] = (-np.partition(-cols, k - 1, axis=1)[:, :k]).mean(axis=1)
    return out


def test_class_scores_are_the_mean_of_each_intents_k_best_cosines_bit_for_bit() -> None:
    rng = np.random.default_rng(7)
    for sizes, k in (([5, 1, 2, 40, 3], 3), ([1], 3), ([4, 0, 9], 2), ([30, 30, 30, 30], 5)):
        model = _model(rng, sizes, {}, k=k)
        for n in (1, 2, 64):
            queries = rng.standard_normal((n, 16)).astype(np.float32)
            expected = _reference_class_scores(model, queries)
            got = model.class_scores(queries)
            assert got.dtype == np.float32
            assert np.array_equal(got, expected)


def test_a_keyword_decides_its_intent_and_the_first_intent_naming_one_wins() -> None:
    rng = np.random.default_rng(3)
    model = _model(rng, [3, 3, 3], {1: ("投诉", "refund"), 2: ("加v", "退款", "refund")})
    texts = ["我要投诉", "REFUND please", "怎么退款", "有XL吗", "", "加V看看", "投诉+退款"]
    queries = rng.standard_normal((len(texts), 16)).astype(np.float32)
    plain = model.predict_vectors(queries)
    guesses = model.predict(texts, queries)
    assert [g.label if g.keyword else None for g in guesses] == ["i1", "i1", "i2", None, None, "i2", "i1"]
    for text, guess, before in zip(texts, guesses, plain, strict=True):
        if guess.keyword:
            assert (guess.score, guess.runner_up, guess.runner_up_score) == (1.0, before.label, before.score)
        else:
            assert guess == before, text  # no keyword: the similarity guess as it was
