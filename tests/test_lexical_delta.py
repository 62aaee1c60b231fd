"""The lexical index of a reloaded catalog view (bot/pipeline.py ``_updated_lexical`` / models/lexical.py
``LexicalIndex.updated``): after random sequences of FAQ edits, each view built from the previous one as a hot reload
does, the BM25 postings, weights, idf and every query's scores are exactly those of a view built from scratch."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest

from bot.pipeline import CatalogView
from catalog.snapshot import CatalogSnapshot, FaqInfo
from models.lexical import LexicalIndex

WORDS = ["多少钱", "好好好 price price", "尺码", "发货", "包邮", "颜色", "size", "shipping", "price", "red", "退货", "质量",
         "what", "how much"]


def _faq(rng: random.Random, fid: str, n: int) -> FaqInfo:
    qs = tuple(" ".join(rng.sample(WORDS, rng.randint(1, 4))) + f" {fid}" for _ in range(n))
    return FaqInfo(id=fid, product_id=None, intent="other", questions=qs, answers={"zh": "答"})


def _snapshot(version: int, faqs: dict[str, FaqInfo]) -> CatalogSnapshot:
    return CatalogSnapshot(version=version, products={}, faqs=dict(faqs))


def _same_lexical(a: LexicalIndex, b: LexicalIndex, queries: list[str]) -> None:
    assert a._doc_faq == b._doc_faq and a._doc_text == b._doc_text
    assert a._avgdl == b._avgdl
    np.testing.assert_array_equal(a._lengths, b._lengths)
    for x in (a, b):  # the weights are BM25's, posting by posting, in float64 then float32
        tf = x._post_tf.astype(np.float64)
        norm = x.k1 * (1.0 - x.b + x.b * x._lengths[x._post_docs] / x._avgdl)
        np.testing.assert_array_equal(x._post_w, (tf * (x.k1 + 1.0) / (tf + norm)).astype(np.float32))
        assert x._avgdl == float(x._lengths.mean())
    # term ids depend on the vocabulary's history: compare each term's postings by the term
    terms = {t for t in b.tokens.vocab if b._postings(t) is not None}
    assert terms == {t for t in a.tokens.vocab if a._postings(t) is not None}
    for t in terms:
        (ta, sa, ea), (tb, sb, eb) = a._postings(t), b._postings(t)  # type: ignore[misc]
        np.testing.assert_array_equal(a._post_docs[sa:ea], b._post_docs[sb:eb])
        np.testing.assert_array_equal(a._post_w[sa:ea], b._post_w[sb:eb])  # bit for bit
        assert a._idf[ta] == b._idf[tb]
    for q in queries:
        np.testing.assert_array_equal(a.scores(q), b.scores(q))
        assert a.search([q], k=5) == b.search([q], k=5)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_reloaded_views_score_like_a_fresh_build(seed: int) -> None:
    rng = random.Random(seed)
    faqs = {f"f{i}": _faq(rng, f"f{i}", rng.randint(0, 4)) for i in range(60)}
    view = CatalogView.build(_snapshot(1, faqs))
    queries = ["多少钱", "size red", "how much shipping", "尺码 发货 f3", "f7", "nothing here"]
    incremental = 0
    for step in range(40):
        kind = rng.choice(["add", "remove", "reword", "delete", "new", "answer", "empty"])
        fid = rng.choice(sorted(faqs))
        faq = faqs[fid]
        if kind == "add":
            faqs[fid] = dataclasses.replace(faq, questions=(*faq.questions, f"新 问题 {step} price"))
        elif kind == "remove" and faq.questions:
            faqs[fid] = dataclasses.replace(faq, questions=faq.questions[1:])
        elif kind == "reword" and faq.questions:
            faqs[fid] = dataclasses.replace(faq, questions=(f"改 {step} shipping", *faq.questions[1:]))
        elif kind == "delete" and len(faqs) > 3:
            del faqs[fid]
        elif kind == "new":
            faqs[f"n{step}"] = _faq(rng, f"n{step}", rng.randint(1, 3))
        elif kind == "answer":
            faqs[fid] = dataclasses.replace(faq, answers={"zh": f"答 {step}"})
        elif kind == "empty":
            faqs[fid] = dataclasses.replace(faq, questions=())
        previous = view
        view = CatalogView.build(_snapshot(step + 2, faqs), previous)
        fresh = CatalogView.build(_snapshot(step + 2, faqs))
        assert view.examples == fresh.examples
        # what the reload syncs the FAQ index with: every FAQ whose examples differ, and the FAQs gone
        assert view.changed_faqs is not None
        assert {f for f, qs in fresh.faq_examples.items() if previous.faq_examples.get(f) != qs} <= set(view.changed_faqs)
        assert set(view.removed_faqs) == set(previous.faq_ids) - set(fresh.faq_ids)
        np.testing.assert_array_equal(view.example_faq, fresh.example_faq)
        np.testing.assert_array_equal(view.doc_start, fresh.doc_start)
        np.testing.assert_array_equal(view.doc_end, fresh.doc_end)
        if fresh.lexical is None:
            assert view.lexical is None or len(view.lexical) == 0
            continue
        assert view.lexical is not None
        incremental += view.lexical is not previous.lexical and view.lexical.tokenized <= 3
        _same_lexical(view.lexical, fresh.lexical, queries)
        # the view being replaced still scores its own examples (``updated`` changed nothing of it)
        _same_lexical(previous.lexical, CatalogView.build(previous.snapshot).lexical, queries[:2])
    assert incremental >= 10


def test_updated_refuses_kept_documents_out_of_order() -> None:
    lex = LexicalIndex.from_pairs([("a", "x y"), ("b", "y z")])
    with pytest.raises(ValueError):
        lex.updated([("b", "y z"), ("a", "x y")], np.array([1, 0]), np.array([], dtype=np.int64))
    with pytest.raises(ValueError):
        lex.updated([("a", "x y")], np.array([0, 0]), np.array([], dtype=np.int64))
