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
