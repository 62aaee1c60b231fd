"""The replay's scoring: a structured stock / "which sizes are left" answer does not count as answering a product's own
size-advice FAQ ("平时穿40 拍41吗" answered "40码有货" is a wrong answer, not a right one), while it still answers the
global stock / sizes FAQs and a product FAQ whose answer is itself stock. Pure: the demo catalog's FAQs."""

from __future__ import annotations

import pytest

from bot.pipeline import ANSWER, Decision
from bot.replay import answers_label
from tests.demo_view import SNAPSHOT


def _structured(qtype: str, product_id: str, attribute: str | None = None) -> Decision:
    return Decision(comment_id="t", band=ANSWER, reason=f"structured {qtype}", lang="es", product_id=product_id,
                    path="structured", qtype=qtype, attribute=attribute)


@pytest.mark.parametrize("qtype,attribute", [("stock", None), ("count", None), ("which", "size")])
@pytest.mark.parametrize("label,product", [("shoes-size-advice", "running-shoes"), ("tee-size-advice", "tee-classic")])
def test_stock_does_not_answer_a_size_advice_faq(qtype, attribute, label, product):
    assert not answers_label(_structured(qtype, product, attribute), label, SNAPSHOT.faqs)


@pytest.mark.parametrize("label", ["stock", "sizes-in-stock", ["shoes-size-advice", "stock"]])
def test_stock_still_answers_the_stock_faqs(label):
    assert answers_label(_structured("stock", "running-shoes"), label, SNAPSHOT.faqs)


def test_size_advice_still_answers_a_size_advice_faq():
    assert answers_label(_structured("size_advice", "tee-classic"), "tee-size-advice", SNAPSHOT.faqs)


def test_the_colours_left_still_answer_the_colours_faq():
    assert answers_label(_structured("which", "thermos-316", "colour"), "colours-in-stock", SNAPSHOT.faqs)


def _faq(faq_id: str, product_id: str | None = None) -> Decision:
    return Decision(comment_id="t", band=ANSWER, reason="match", lang="ja", faq_id=faq_id, product_id=product_id)


def test_the_price_faq_answers_a_structured_price_label():
    """"Tシャツいくら？" answered by the shop's price FAQ ("…のライブ価格は79元です") answers "@price" (blind set fresh13)."""
    assert answers_label(_faq("price", "tee-classic"), "@price", SNAPSHOT.faqs)
    assert answers_label(_faq("price", "tee-classic"), ["@price", "@stock"], SNAPSHOT.faqs)


@pytest.mark.parametrize("faq_id", ["shipping-free", "coupon", "stock", "shoes-weight"])
def test_other_faqs_do_not_answer_a_price_label(faq_id):
    assert not answers_label(_faq(faq_id), "@price", SNAPSHOT.faqs)
    assert not answers_label(_faq("price"), "@stock", SNAPSHOT.faqs)


def test_size_advice_answers_which_size_and_is_it_in_stock():
    """"175cm 68kg, which size? and is navy in stock?" → "L is advised; navy L is in stock": the size-advice answer
    always quotes the advised size's stock (bot/size_advice.py), so it answers both questions of the label."""
    advice = _structured("size_advice", "down-jacket")
    assert answers_label(advice, "@size_advice+@stock", SNAPSHOT.faqs)
    assert answers_label(advice, "@stock+@size_advice", SNAPSHOT.faqs)
    assert not answers_label(advice, "@size_advice+@price", SNAPSHOT.faqs)
    assert not answers_label(_structured("stock", "down-jacket"), "@size_advice+@stock", SNAPSHOT.faqs)


def test_the_restock_faq_answers_a_restock_label():
    """"黒の43は売り切れでしょうか?再入荷の予定は…" → "sold out, 42 left…; sold-out items usually come back within 3–5
    days": the stock part and the shop's restock FAQ answer "@stock+@restock" (blind set fresh12)."""
    assert answers_label(_faq("restock", "running-shoes"), "@restock", SNAPSHOT.faqs)
    assert not answers_label(_faq("stock", "running-shoes"), "@restock", SNAPSHOT.faqs)
    assert not answers_label(_faq("delivery-time"), "@restock", SNAPSHOT.faqs)
