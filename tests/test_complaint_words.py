"""data/intents.yaml's complaint keywords in the cross-border languages: an after-sales report (torn, holes, cracked,
wrong item, not as pictured, refund) hands the comment to staff whatever the embedder thinks. Pure: the keyword check
of models/intents.IntentModel.predict on the real intent file; the vectors are random (the similarity guess is not
what is tested). The sentences are written for these tests, not taken from the evaluation logs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.intents import IntentModel, load_intents

ROOT = Path(__file__).resolve().parents[1]
INTENTS = load_intents(ROOT / "data/intents.yaml")


def _model() -> IntentModel:
    rng = np.random.default_rng(3)

    def encode(texts):
        v = rng.normal(size=(len(texts), 16)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    return IntentModel.fit(INTENTS, encode)


MODEL = _model()


def _keyword_intent(text: str) -> str | None:
    guess = MODEL.predict([text], np.zeros((1, 16), dtype=np.float32))[0]
    return guess.label if guess.keyword else None


@pytest.mark.parametrize(
    "text",
    [
        "quần mới mặc một lần đã bị rách đũng",  # vi: torn after one wear
        "dep nhan ve bi loi roi shop",  # vi without diacritics: defective
        "shop giao nhầm màu cho em rồi",  # vi: wrong colour sent
        "celananya robek pas baru dipakai",  # id: torn
        "warnanya gak sesuai foto kak",  # id: not as pictured
        "la mochila vino rota de la costura",  # es: arrived torn
        "la suela se despegó en una semana",  # es: sole came unglued
        "袖が破れてたんですが",  # ja: the sleeve was torn
        "違う商品が届きました",  # ja: a different item arrived
        "바지 솔기가 찢어졌어요",  # ko: the seam tore
        "주문한 거랑 다른 게 왔어요",  # ko: something else arrived
        "กางเกงขาดเป็นรูตั้งแต่วันแรก",  # th: torn with a hole from day one
        "ได้ของผิดสีค่ะ",  # th: got the wrong colour
    ],
)
def test_after_sales_reports_go_to_staff(text):
    assert _keyword_intent(text) == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "shop có trách nhiệm đổi hàng không",  # vi "trách" holds "rách": no complaint
        "giao Sài Gòn mấy ngày",
        "giao sai gon may ngay",  # "giao sai" is Saigon without diacritics
        "pedí la talla equivocada, ¿puedo cambiarla?",  # the viewer's own mistake: an exchange question
        "ขนาดนี้มีสีอะไรบ้าง",  # th "ขนาด" (size) is not "ขาด" (torn)
        "bahannya tebal gak kak",
        "破れにくいですか",  # ja: does it tear easily? a question, not a report
    ],
)
def test_questions_that_look_alike_are_not_complaints(text):
    assert _keyword_intent(text) is None
