"""bot/engine.predict_intents: a Vietnamese or Indonesian request for advice is recognised on the comment's English
gloss (the intent examples are zh/en; USE-m3 does not know Vietnamese). Only recommend intents are taken from the
gloss. A toy bag-of-words encoder stands in for the embedder (English words only, so the Vietnamese comment itself
says nothing); the intent model and the gloss are the real ones. Sentences written for this test."""

from __future__ import annotations

import re

import numpy as np

from bot.engine import predict_intents
from bot.gloss import gloss
from models.intents import IntentDef, IntentModel

VOCAB = ["which", "should", "buy", "choose", "gift", "price", "how", "much", "stock", "i", "want", "ask", "broken",
         "hello", "everyone", "from", "good", "evening"]


def encode(texts):
    out = np.zeros((len(texts), len(VOCAB) + 1), dtype=np.float32)
    for i, t in enumerate(texts):
        for w in re.findall(r"\w+", t.lower()):
            if w in VOCAB:
                out[i, VOCAB.index(w)] += 1.0
        out[i, -1] = 0.1  # every text shares a little, as sentence embeddings do
    return out / np.linalg.norm(out, axis=1, keepdims=True)


INTENTS = [
    IntentDef("want_recommendation", "recommend", ("which should I buy", "what should I choose as a gift")),
    IntentDef("ask_price", "answer", ("how much", "what's the price")),
    IntentDef("complaint", "staff", ("broken",), keywords=("bị rách",)),
    IntentDef("chit_chat", "silent", ("hello everyone", "good evening", "hello from Brazil")),
]
MODEL = IntentModel.fit(INTENTS, encode, k=1, threshold=0.5)


def _intents(texts: list[str]):
    views = {t: g for t in texts if (g := gloss(t))}
    vectors = encode(texts)
    view_vectors = dict(zip(views.values(), encode(list(views.values())), strict=True))
    return predict_intents(MODEL, texts, vectors, view_vectors), MODEL.predict(texts, vectors)


def test_a_request_for_advice_is_read_on_the_gloss():
    text = "nên mua cái nào làm quà"  # which one should I buy as a gift
    assert gloss(text)
    got, plain = _intents([text])
    assert plain[0].label != "want_recommendation"  # the comment's own vector knows no Vietnamese
    assert got[text].label == "want_recommendation" and got[text].action == "recommend"


def test_small_talk_is_read_on_the_gloss_when_it_asks_nothing():
    text = "chào cả nhà"  # hello everyone
    got, plain = _intents([text])
    assert plain[0].label != "chit_chat"
    assert got[text].label == "chit_chat" and got[text].action == "silent"


def test_a_question_is_never_silenced_by_the_gloss():
    text = "chào cả nhà, giá bao nhiêu"  # hello everyone, how much?
    got, plain = _intents([text])
    assert got[text] == plain[0]


def test_an_answer_intent_is_not_taken_from_the_gloss():
    text = "giá bao nhiêu vậy shop"
    got, plain = _intents([text])
    assert got[text] == plain[0]


def test_a_keyword_still_decides():
    text = "áo bị rách nên mua cái nào"
    got, _ = _intents([text])
    assert got[text].label == "complaint" and got[text].keyword
