"""Recommendations (stock-aware, constraints) and threshold calibration — pure functions."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from bot.memory import ViewerMemory
from bot.recommend import rank_products, read_constraints, render_recommendations
from models.calibrate import choose_threshold, rates_at
from tests import factories


def test_read_constraints_price_caps_and_audience():
    assert read_constraints("200以内有什么推荐").price_cap == Decimal("200")
    assert read_constraints("预算100").price_cap == Decimal("100")
    assert read_constraints("anything under $50?").price_cap == Decimal("360")  # USD → CNY
    assert "男朋友" in read_constraints("送男朋友买什么好").audience_tags
    assert read_constraints("有没有便宜点的", current_price=Decimal("899")).cheaper_than == Decimal("899")
    assert read_constraints("有没有便宜点的").cheaper_than is None


def test_price_cap_is_respected_and_sold_out_never_recommended():
    products = [factories.tee(), factories.stroller(), factories.cream()]
    sims = {"stroller": 0.9, "tee": 0.2, "cream": 0.3}  # the stroller is the closest match but too expensive
    recs = rank_products(products, sims, read_constraints("200以内"))
    assert recs and all(r.price <= 200 for r in recs)
    assert "stroller" not in [r.product_id for r in recs]
    # A product whose every variant is sold out never appears.
    sold_out = factories.stroller(stock=0)
    recs = rank_products([sold_out, factories.cream()], {"stroller": 0.99, "cream": 0.1}, read_constraints("推荐一个"))
    assert [r.product_id for r in recs] == ["cream"]


def test_asked_size_filters_to_in_stock_variant():
    tee = factories.tee(xl_stock=0)
    recs = rank_products([tee], {"tee": 0.9}, read_constraints("xl", asked={"size": "XL"}))
    assert recs == []  # XL sold out: the T-shirt cannot be recommended "in XL"
    recs = rank_products([tee], {"tee": 0.9}, read_constraints("l", asked={"size": "L"}))
    assert recs[0].variant_sku == "TEE-L"


def test_audience_boost_stage_and_memory_and_explanation():
    products = [factories.tee(), factories.cream()]
    sims = {"tee": 0.4, "cream": 0.4}
    recs = rank_products(products, sims, read_constraints("油皮用哪个"))
    assert recs[0].product_id == "cream" and recs[0].reasons[0].startswith("audience:")
    recs = rank_products(products, sims, read_constraints("推荐一下"), stage_product_id="tee")
    assert recs[0].product_id == "tee"
    recs = rank_products(products, sims, read_constraints("推荐一下"), asked_before=["cream"])
    assert recs[0].product_id == "cream"
    text = render_recommendations(recs, {p.id: p for p in products}, "zh")
    assert text.startswith("推荐你看看") and "控油保湿面霜" in text
    assert render_recommendations(recs, {p.id: p for p in products}, "en").startswith("You might like")
    assert render_recommendations([], {}, "zh") is None


def test_calibration_meets_target_on_held_out_scores():
    rng = np.random.default_rng(7)
    # Right matches score high, wrong matches and negatives score lower, with overlap.
    pos = np.concatenate([rng.normal(0.75, 0.08, 400), rng.normal(0.5, 0.08, 100)])
    correct = np.array([True] * 400 + [False] * 100)
    neg = rng.normal(0.35, 0.1, 300)
    order = rng.permutation(len(pos))
    pos, correct = pos[order], correct[order]
    point = choose_threshold(pos[:250], correct[:250], neg[:150], target_wrong_rate=0.05)
    assert point.met_target and point.wrong_rate <= 0.05
    assert point.staff_threshold <= point.threshold
    # The threshold chosen on one half keeps the wrong-answer rate near the target on the other half.
    held_wrong, coverage, _ = rates_at(point.threshold, pos[250:], correct[250:], neg[150:])
    assert held_wrong <= 0.08 and coverage > 0.5


def test_calibration_reports_when_target_cannot_be_met():
    point = choose_threshold([0.9, 0.9], [False, False], [0.95], target_wrong_rate=0.01)
    assert not point.met_target


def test_viewer_memory_is_bounded_and_expires():
    m = ViewerMemory(max_viewers=2, ttl_s=10)
    m.touch("a", 0, product_id="tee")
    m.touch("b", 1)
    m.touch("c", 2)
    assert len(m) == 2 and m.get("a", 2) is None
    assert m.get("b", 20) is None  # expired
    m.touch("c", 3, product_id="cream")
    assert m.get("c", 4).products == ["cream"]
    m.mark_answered("c", "k", 4)
    assert m.answered_recently("c", "k", 5, cooldown_s=20) and not m.answered_recently("c", "k", 30, cooldown_s=20)
