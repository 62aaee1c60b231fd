"""The optional confidence inputs (``bot.pipeline.OPTIONAL_FEATURES``, issue 10 point 5): what each one computes, that
the live path computes exactly what the fitted model names, and that calibration's out-of-fold rows compute them
without the held-out examples, as the live path would on the catalog without them."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import bot.pipeline as pipeline
from bot.calibration import SEED, _assign_folds, _context, calibration_rows
from bot.engine import indexable_faqs
from bot.pipeline import FEATURES, CatalogView, MatchScores, MatchSettings, match_scores, query_texts
from models.calibrate import ConfidenceModel
from models.index import FaqIndex
from tests import factories


def _scores(**kw) -> MatchScores:
    base = {
        "fused": {"a": 0.9, "b": 0.8, "c": 0.5},
        "dense": {"a": 0.80, "b": 0.83, "c": 0.79},  # the dense ranking names b, the fused one a
        "lexical": {"a": 0.6, "c": 0.2},
        "linear": {"a": 0.4, "b": 0.1, "c": 0.7},
        "neighbours": (("a", 0.9), ("b", 0.85), ("a", 0.84), ("c", 0.8), ("b", 0.7)),
    }
    base.update(kw)
    return MatchScores(**base)


def _extras(s: MatchScores, *names: str, best: str = "a") -> tuple[float, ...]:
    ranked = s.ranked()
    return s.features(best, ranked, 0.0, FEATURES + names)[len(FEATURES):]


def test_agreement_features_say_which_rankings_name_the_chosen_faq():
    s = _scores()
    assert _extras(s, "dense_agree", "lexical_agree", "linear_agree", "agree") == (0.0, 1.0, 0.0, pytest.approx(1 / 3))
    assert _extras(s, "dense_agree", "linear_agree", "agree", best="c") == (0.0, 1.0, pytest.approx(1 / 3))
    # no lexical / linear evidence at all: those rankings do not agree
    bare = _scores(lexical={}, linear={})
    assert _extras(bare, "lexical_agree", "linear_agree", "agree", best="b") == (0.0, 0.0, pytest.approx(1 / 3))


def test_isolation_counts_the_faqs_within_the_band_of_the_chosen_cosine():
    s = _scores()
    assert _extras(s, "isolation") == (pytest.approx(1 / 3),)  # b (0.83) and c (0.79) are within 0.05 of a (0.80)
    alone = _scores(dense={"a": 0.9, "b": 0.7, "c": 0.5})
    assert _extras(alone, "isolation") == (1.0,)


def test_vote_and_top3_read_the_example_level_neighbours(monkeypatch):
    s = _scores()
    monkeypatch.setattr(pipeline, "VOTE_K", 4)
    assert _extras(s, "vote") == (0.5,)  # a holds 2 of the 4 nearest examples
    # a's best two examples, the third unseen: at most the last neighbour's cosine (0.7)
    assert _extras(s, "top3") == (pytest.approx((0.9 + 0.84 + 0.7) / 3),)
    assert _extras(_scores(neighbours=()), "vote", "top3") == (0.0, 0.80)  # none searched: no vote, its cosine
    with pytest.raises(ValueError, match="unknown confidence feature"):
        _extras(s, "nonsense")


def test_the_base_features_are_unchanged_and_the_switch_is_checked(monkeypatch):
    s = _scores()
    assert len(s.features("a", s.ranked(), 0.0)) == len(FEATURES) == len(s.features("a", s.ranked(), 0.0, FEATURES))
    assert pipeline.EXTRA_FEATURES == ()  # off until measured better (docs/EVAL.md §2b "Round 5")
    monkeypatch.setattr(pipeline, "EXTRA_FEATURES", ("vote", "agree", "vote"))
    assert pipeline.feature_names() == (*FEATURES, "vote", "agree")
    monkeypatch.setattr(pipeline, "EXTRA_FEATURES", ("votes",))
    with pytest.raises(ValueError, match="unknown confidence features"):
        pipeline.feature_names()


def test_the_live_confidence_reads_what_its_model_names():
    """``best`` feeds the model the features it was fitted on: a model over the base features ignores the extras, one
    naming ``vote`` is moved by the neighbours; the live path searches neighbours only for such a model."""
    names = (*FEATURES, "vote")
    weights = (0.0,) * len(FEATURES)
    voting = ConfidenceModel(names, (*weights, 4.0), -2.0)
    base = ConfidenceModel(FEATURES, weights, -2.0)
    many = _scores(neighbours=(("a", 0.9),) * 10)
    few = _scores(neighbours=(("b", 0.9),) * 10)
    with_vote = MatchSettings(scorer=voting)
    assert many.best(with_vote)[1] == pytest.approx(voting.probability((0,) * 6 + (1.0,)))
    assert few.best(with_vote)[1] == pytest.approx(voting.probability((0,) * 7))
    assert many.best(MatchSettings(scorer=base))[1] == few.best(MatchSettings(scorer=base))[1]
    assert pipeline.needs_neighbours(with_vote) and not pipeline.needs_neighbours(MatchSettings(scorer=base))
    assert not pipeline.needs_neighbours(MatchSettings())


def test_out_of_fold_rows_compute_the_extras_as_the_live_path_on_the_catalog_without_the_fold(embedder, monkeypatch):
    """Leak-free: a k-fold row's neighbour and agreement features equal those the live path computes (per-FAQ
    search, its own raw NEIGHBOURS_K search) on a catalog built without the row's fold; a held-out-FAQ row's
    neighbours never include its own FAQ."""
    extras = ("dense_agree", "isolation", "vote", "top3")
    monkeypatch.setattr(pipeline, "EXTRA_FEATURES", extras)
    snap = factories.snapshot()
    view = CatalogView.build(snap)
    index = FaqIndex.build(embedder, indexable_faqs(snap))
    settings = MatchSettings()
    folds = 3
    rows = calibration_rows(view, index, embedder.encode, ["666", "lol"], settings, folds=folds)
    assert rows.names == (*FEATURES, *extras) and rows.features.shape[1] == len(FEATURES) + len(extras)

    # the examples and their folds as calibration deals them
    indexed = {f.id: f.questions for f in indexable_faqs(snap)}
    examples = [(fid, q, snap.faqs[fid].product_id) for fid, qs in indexed.items() for q in qs]
    fold_of = _assign_folds(examples, folds, SEED)
    stages = sorted(snap.products)
    position = {(fid, q): i for i, (fid, q, _) in enumerate(examples)}

    def live_extras(gone: set[tuple[str, str]], r: int) -> tuple[float, ...]:
        """The extras of row ``r`` as the live path computes them on the catalog without ``gone``."""
        kept = {
            fid: dataclasses.replace(faq, questions=qs, question_langs=())
            for fid, faq in snap.faqs.items()
            if (qs := tuple(q for q in indexed[fid] if (fid, q) not in gone))
        }
        small = dataclasses.replace(snap, faqs=kept)
        small_view = CatalogView.build(small)
        small_index = FaqIndex.build(embedder, indexable_faqs(small))
        query, own = rows.query[r], rows.own[r]
        i = position[(own, query)]
        u = _context(query, snap.faqs[own].product_id, stages[i % len(stages)], view)
        texts = query_texts(u, small_view)
        vectors = np.asarray(embedder.encode(list(texts)), dtype=np.float32)
        hits = [h for found in small_index.search(vectors, k=24) for h in found]
        near = small_index.search(vectors[:1], k=pipeline.NEIGHBOURS_K, per_faq=False)[0]
        assert not any((h.faq_id, h.example) in gone for h in near)
        live = match_scores(hits, u, small_view, settings, neighbours=near)
        return live.features(rows.top[r], live.ranked(), 0.0, rows.names)[len(FEATURES):]

    checked = {"fold": 0, "faq": 0}
    for r, (kind, query, own) in enumerate(zip(rows.kind, rows.query, rows.own, strict=True)):
        if kind == "fold":  # without the row's whole fold
            f = int(fold_of[position[(own, query)]])
            gone = {(fid, q) for (fid, q, _), g in zip(examples, fold_of.tolist(), strict=True) if g == f}
        elif kind == "faq":  # without the row's FAQ
            gone = {(own, q) for q in indexed[own]}
        else:
            continue
        got = live_extras(gone, r)
        assert got == pytest.approx(tuple(rows.features[r, len(FEATURES):]), abs=1e-5), (kind, query, rows.top[r])
        checked[kind] += 1
    assert checked["fold"] >= 20 and checked["faq"] >= 10


def test_linear_peak_is_one_for_a_sure_linear_scorer_and_zero_for_a_flat_one():
    sure = _scores(linear={"a": 5.0, "b": 0.0, "c": 0.0})
    flat = _scores(linear={"a": 0.3, "b": 0.3, "c": 0.3})
    assert _extras(sure, "linear_peak") == (pytest.approx(1.0, abs=1e-6),)
    assert _extras(flat, "linear_peak") == (pytest.approx(0.0, abs=1e-9),)
    assert 0.0 < _extras(_scores(), "linear_peak")[0] < 1.0
    assert _extras(_scores(linear={}), "linear_peak") == (0.0,)  # no linear scorer


def test_separation_auc_is_the_chance_a_right_answer_outscores_a_wrong_one():
    from bot.eval_catalog import separation_auc

    assert separation_auc([(0.9, True), (0.1, False)]) == 1.0
    assert separation_auc([(0.1, True), (0.9, False)]) == 0.0
    assert separation_auc([(0.5, True), (0.5, False)]) == 0.5  # a tie counts half
    assert separation_auc([(0.9, True), (0.8, False), (0.7, True), (0.2, False)]) == 0.75
    assert separation_auc([(0.9, True)]) is None
