"""A viewer reporting an order gets the catalog's thank-you FAQ when the matcher was unsure (bot/order_report.py,
bot/answer_checks.order_reported); questions, complaints, someone else's purchase and bare "bought a …" do not.

Pure: the demo catalog, no model, no database. The sentences are written for these tests, not taken from any log."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.order_report import reports_order, thanks_faq
from bot.pipeline import ANSWER, NOT_ASKED, SILENT, STAFF, CatalogView, Decision
from catalog.snapshot import FaqInfo
from tests.demo_view import SNAPSHOT, VIEW, final_decision


def _final(text: str, *, band: str = SILENT, reason: str = "below threshold", faq_id: str | None = "colours-in-stock",
           view: CatalogView = VIEW) -> Decision:
    return final_decision(text, "tee-classic", band=band, reason=reason, faq_id=faq_id, score=0.3, view=view)


@pytest.mark.parametrize("text", [
    "已拍两件 白色XL",
    "我已下单啦",
    "刚拍了 黑色M",
    "just checked out, the black one",
    "already paid for 3",
    "黒のLを注文しました",
    "검정 L 주문했어요~",
    "สั่งแล้วนะคะ สีดำ",
    "đã đặt 2 cái size L",
    "sudah checkout yang hitam",
    "ya pedí dos negras",
])
def test_order_reports_are_recognised(text):
    assert reports_order(text)


@pytest.mark.parametrize("text", [
    "已拍 什么时候发货",  # asks: the delivery FAQ's question
    "ordered 2, when will it ship?",
    "我买了个新键盘",  # a plain "bought", about anything
    "I bought a new phone today",
    "he ordered pizza lol",  # someone else's order
    "u ordered that",
    "ordered last week and nothing came",  # after-sales: staff
    "拍了下单了还没发货",
    "还没拍",  # not yet
    "chưa đặt được",
    "belum checkout kak",
    "他拍了拍我",  # 拍了拍 = a poke
    "拍了一张照片",  # a photo
    "慢拍了宝贝",  # the beat, not an order
])
def test_other_comments_are_not_order_reports(text):
    assert not reports_order(text)


@pytest.mark.parametrize("band, reason", [(SILENT, "below threshold"), (STAFF, "low confidence"), (STAFF, NOT_ASKED)])
def test_an_unsure_order_report_gets_the_thank_you_faq(band, reason):
    d = _final("already paid for 3", band=band, reason=reason)
    assert d.band == ANSWER and d.faq_id == "order-thanks" and d.reason.startswith("reports an order")


@pytest.mark.parametrize("band, reason", [
    (STAFF, "intent complaint: never auto-answered"),
    (SILENT, "intent spam"),
    (ANSWER, "match"),
])
def test_other_routes_and_confident_answers_stay(band, reason):
    d = _final("already paid for 3", band=band, reason=reason)
    assert (d.band, d.reason) == (band, reason)


def test_a_catalog_without_a_thank_you_faq_keeps_the_decision():
    view = CatalogView.build(replace(SNAPSHOT, faqs={k: f for k, f in SNAPSHOT.faqs.items() if k != "order-thanks"}))
    assert thanks_faq(view.snapshot, "tee-classic") is None
    assert _final("already paid for 3", view=view).band == SILENT


def test_only_a_purchase_faq_of_order_reports_is_the_thank_you_faq():
    assert thanks_faq(SNAPSHOT, "tee-classic") == "order-thanks"  # not how-to-order, whose examples ask
    second = FaqInfo(id="thanks-2", product_id=None, intent="purchase_intent", questions=("已下单", "just ordered"),
                     answers={"zh": "谢谢"})
    assert thanks_faq(replace(SNAPSHOT, faqs={**SNAPSHOT.faqs, second.id: second}), "tee-classic") is None
    own = replace(second, id="tee-thanks", product_id="tee-classic")
    with_own = replace(SNAPSHOT, faqs={**SNAPSHOT.faqs, own.id: own})
    assert thanks_faq(with_own, "tee-classic") == "tee-thanks"
    assert thanks_faq(with_own, "stroller-a1") == "order-thanks"


def test_a_long_comment_is_left_to_the_matcher():
    assert reports_order("已拍 粉色L")
    assert not reports_order("裤子看了好久了，终于拍下了，等收到了再来评价一下质量怎么样，希望大小合适不要退换")
