"""The per-catalog linear scorer (models/faq_linear.py) and how calibration and the engine use it.

Pure parts: the closed-form out-of-fold scores equal a refit without the left-out rows (for those rows and for other
queries), the fit is deterministic, a catalog too large for it is refused. With the model: calibration scores its
rows with the linear scorer out of fold, falls back to the matcher alone on a large catalog or in a room whose
languages no fixed negative is written in, the confidence stays monotone in the linear inputs, and a hot reload
refits the scorer on the new FAQs from the vectors the index holds.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

import models.faq_linear as faq_linear
from bot.calibration import calibrate_catalog, calibration_rows
from bot.engine import indexable_faqs
from bot.messages import Comment
from bot.pipeline import FEATURES, CatalogView, MatchSettings, match_scores, understand
from models.faq_linear import RidgeFit, fit_faq_linear, fits
from tests import factories

ROOT = Path(__file__).resolve().parents[1]
NEGATIVES = ["主播唱首歌", "来了来了", "666", "关注了", "hello everyone", "lol", "晚上好", "哈哈哈哈"]


def _toy(seed: int = 0, n: int = 90, dim: int = 12, classes: int = 5):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(classes, dim))
    labels = rng.integers(0, classes, n)
    x = centres[labels] + 0.3 * rng.normal(size=(n, dim))
    return x / np.linalg.norm(x, axis=1, keepdims=True), labels


def _refit_scores(x, labels, classes, rows, queries, l2=faq_linear.L2):
    keep = np.setdiff1d(np.arange(len(x)), rows)
    model = fit_faq_linear(x[keep], labels[keep], [f"f{i}" for i in range(classes)], l2)
    return model.scores(queries)


@pytest.mark.parametrize("rows", [[3], [0, 7, 19, 40], list(range(0, 90, 5))])
def test_out_of_fold_scores_equal_a_refit_without_the_rows(rows):
    x, labels = _toy()
    fit = RidgeFit(x, labels, 5)
    idx = np.asarray(rows)
    assert np.allclose(fit.scores_without(idx), _refit_scores(x, labels, 5, idx, x[idx]), atol=1e-5)
    queries = np.random.default_rng(1).normal(size=(6, x.shape[1]))
    assert np.allclose(fit.scores_without(idx, queries), _refit_scores(x, labels, 5, idx, queries), atol=1e-5)


def test_a_whole_class_left_out_scores_its_rows_without_it():
    x, labels = _toy()
    fit = RidgeFit(x, labels, 5)
    rows = np.flatnonzero(labels == 2)
    held = fit.scores_without(rows)
    assert np.allclose(held, _refit_scores(x, labels, 5, rows, x[rows]), atol=1e-5)
    # with its class gone, its rows get about nothing for it (in fold they are ranked first)
    assert np.abs(held[:, 2]).max() < 0.2
    assert (fit.model([f"f{i}" for i in range(5)]).scores(x[rows]).argmax(axis=1) == 2).mean() > 0.9


def test_fit_is_deterministic_and_separates_the_classes():
    x, labels = _toy(seed=4)
    ids = [f"f{i}" for i in range(5)]
    a, b = fit_faq_linear(x, labels, ids), fit_faq_linear(x, labels, ids)
    assert np.array_equal(a.weights, b.weights) and a.faq_ids == tuple(ids)
    assert (a.scores(x).argmax(axis=1) == labels).mean() > 0.9


def test_only_small_catalogs_get_a_linear_scorer():
    assert fits(180, 16) and fits(faq_linear.MAX_EXAMPLES, faq_linear.MAX_FAQS)
    assert not fits(faq_linear.MAX_EXAMPLES + 1, 20)
    assert not fits(400, faq_linear.MAX_FAQS + 1)
    assert not fits(10, 1) and not fits(0, 3)


def test_linear_score_re_ranks_candidates_monotonically():
    """Raising one FAQ's linear score never lowers its fused score nor raises another's."""
    snap = factories.snapshot()
    view = CatalogView.build(snap)
    settings = MatchSettings()
    u = understand(Comment("c", "u", "多少钱", 0.0), view, "tee", settings)

    @dataclasses.dataclass(frozen=True)
    class H:
        faq_id: str
        example: str
        score: float

    ids = list(snap.faqs)[:3]
    hits = [H(ids[0], "x", 0.8), H(ids[1], "y", 0.78), H(ids[2], "z", 0.5)]
    low = match_scores(hits, u, view, settings, linear={ids[0]: 0.1, ids[1]: 0.6, ids[2]: 0.0})
    high = match_scores(hits, u, view, settings, linear={ids[0]: 0.9, ids[1]: 0.6, ids[2]: 0.0})
    assert high.fused[ids[0]] > low.fused[ids[0]] and high.fused[ids[1]] == low.fused[ids[1]]
    assert low.ranked()[0][0] == ids[1] and high.ranked()[0][0] == ids[0]


def _catalog(embedder):
    from models.index import FaqIndex

    snap = factories.snapshot()
    view = CatalogView.build(snap)
    return snap, view, FaqIndex.build(embedder, indexable_faqs(snap))


def test_calibration_scores_rows_out_of_fold_with_the_linear_scorer(embedder):
    _snap, view, index = _catalog(embedder)
    settings = MatchSettings()
    rows = calibration_rows(view, index, embedder.encode, NEGATIVES, settings, linear=True)
    plain = calibration_rows(view, index, embedder.encode, NEGATIVES, settings)
    assert rows.linear is not None and rows.linear.faq_ids == view.faq_ids and plain.linear is None
    assert rows.features.shape[1] == len(FEATURES) and len(rows.kind) == len(plain.kind)
    lin = FEATURES.index("linear")
    assert not plain.features[:, lin].any() and rows.features[:, lin].any()
    # out of fold: a held-out FAQ's questions score clearly lower on the linear scorer than k-fold paraphrases
    kinds = np.asarray(rows.kind)
    assert rows.features[kinds == "faq", lin].mean() < rows.features[kinds == "fold", lin].mean() - 0.1
    point = calibrate_catalog(view, index, embedder.encode, NEGATIVES, settings, target_wrong_rate=0.1)
    if point.scorer is not None and point.scorer.linear is not None:  # monotone: every input is evidence for
        assert min(point.scorer.weights) >= 0.0


def test_large_catalog_or_uncovered_room_languages_fall_back_to_the_matcher(embedder, monkeypatch):
    _snap, view, index = _catalog(embedder)
    settings = MatchSettings()
    multi = dataclasses.replace(settings, room_languages=("zh", "en", "th"))
    point = calibrate_catalog(view, index, embedder.encode, NEGATIVES, multi, target_wrong_rate=0.1)
    assert point.scorer is None or point.scorer.linear is None  # no Thai chit-chat to measure it on
    monkeypatch.setattr(faq_linear, "MAX_EXAMPLES", len(view.examples) - 1)
    rows = calibration_rows(view, index, embedder.encode, NEGATIVES, settings, linear=True)
    assert rows.linear is None and not rows.features[:, FEATURES.index("linear")].any()
    point = calibrate_catalog(view, index, embedder.encode, NEGATIVES, settings, target_wrong_rate=0.1)
    assert point.scorer is None or point.scorer.linear is None


def test_hot_reload_refits_the_linear_scorer_on_the_new_faqs(tmp_path, embedder):
    from bot.engine import Engine
    from catalog.io import import_catalog
    from catalog.store import CatalogStore
    from models.calibrate import ConfidenceModel

    store = CatalogStore(f"sqlite:///{tmp_path}/c.db")
    import_catalog(store, ROOT / "data/catalog.yaml")
    engine = Engine(store, embedder, None, settings=MatchSettings(), index_dir=str(tmp_path / "index"))
    view = engine.state.view
    vectors = engine.state.index.vectors(view.examples)
    assert np.allclose(vectors, embedder.encode([q for _, q in view.examples]), atol=1e-5)
    linear = fit_faq_linear(vectors, view.example_faq.tolist(), view.faq_ids)
    scorer = ConfidenceModel(FEATURES, (1.0,) * len(FEATURES), -3.0, linear=linear)
    engine.set_thresholds(0.5, 0.4, scorer)

    faq = next(iter(store.snapshot().faqs.values()))
    store.upsert_faq(dataclasses.replace(faq, id="new-faq", questions=("能开发票吗", "可以开发票吗", "发票怎么开")))
    assert engine.reload_if_changed()
    refit = engine.state.settings.scorer
    assert refit is not None and refit.linear is not None and refit.linear is not linear
    assert "new-faq" in refit.linear.faq_ids and refit.linear.faq_ids == engine.state.view.faq_ids
    assert refit.weights == scorer.weights  # the confidence weights stay; only the scorer is refitted
    (out,) = engine.process([Comment("c1", "u1", "可以开发票吗", 0.0)], record=False)
    assert out.decision.faq_id == "new-faq"
    store.close()
