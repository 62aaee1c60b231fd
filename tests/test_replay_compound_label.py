"""The replay's scoring of a comment that asks two or three questions ("黑色多少钱？有XL吗"), labelled "@price+@stock":
right only when one reply answers each question (path "multi", one part per label, in any order); one of them answered
is counted as missed (``partly_answered``), not as right nor wrong; anything else answered is wrong. A reply to several
questions answers a one-question label when one of its parts does. Pure: the demo catalog's FAQs."""

from __future__ import annotations

import json

import pytest

from bot.engine import Outcome
from bot.messages import Comment
from bot.pipeline import ANSWER, STAFF, Decision
from bot.replay import answers_label, check_labels, decision_key, score_expectations
from bot.room import LogFileError
from tests.demo_view import SNAPSHOT


def _structured(qtype: str, attribute: str | None = None, product_id: str = "tee-classic") -> Decision:
    return Decision(comment_id="t", band=ANSWER, reason=f"structured {qtype}", lang="zh", product_id=product_id,
                    path="structured", qtype=qtype, attribute=attribute)


def _multi(*parts: Decision) -> Decision:
    return Decision(comment_id="t", band=ANSWER, reason="2 questions", lang="zh", product_id="tee-classic",
                    path="multi", parts=parts)


PRICE, STOCK, CARE = _structured("price"), _structured("stock"), _structured("attribute", "care")


def test_each_question_answered_in_any_order():
    assert answers_label(_multi(PRICE, STOCK), "@price+@stock", SNAPSHOT.faqs)
    assert answers_label(_multi(STOCK, PRICE), "@price+@stock", SNAPSHOT.faqs)
    assert answers_label(_multi(STOCK, CARE), "@stock+tee-care", SNAPSHOT.faqs)  # a FAQ label answered by its attribute
    assert decision_key(_multi(PRICE, STOCK)) == "@price+@stock"


@pytest.mark.parametrize("decision", [PRICE, _multi(PRICE, PRICE), _multi(PRICE, STOCK, CARE), _multi(PRICE, CARE)])
def test_not_each_question(decision):
    assert not answers_label(decision, "@price+@stock", SNAPSHOT.faqs)


def test_a_reply_to_several_questions_answers_one_of_them():
    assert answers_label(_multi(PRICE, STOCK), "price", SNAPSHOT.faqs)
    assert answers_label(_multi(PRICE, STOCK), ["@stock", "stock"], SNAPSHOT.faqs)
    assert not answers_label(_multi(PRICE, STOCK), "tee-care", SNAPSHOT.faqs)


def test_one_of_two_answered_is_missed_not_wrong():
    def outcome(cid: str, d: Decision) -> Outcome:
        return Outcome(Comment(id=cid, user="u", text="x", ts=0.0), d, "reply", None, 0.0)

    staff = Decision(comment_id="t", band=STAFF, reason="low confidence", lang="zh")
    outcomes = [outcome("a", _multi(PRICE, STOCK)), outcome("b", PRICE), outcome("c", CARE), outcome("d", staff)]
    r = score_expectations(outcomes, dict.fromkeys("abcd", "@price+@stock"), SNAPSHOT.faqs)
    assert (r["correct"], r["wrong"], r["missed"], r["partly_answered"]) == (1, 1, 2, 1)


def test_compound_labels_are_checked_part_by_part(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(json.dumps({"ts": i, "user": "u", "text": "x", "expect": e}) for i, e in enumerate(
        ["@price+@stock", "@count+@attribute:material+@which:size", ["@stock+price", "@staff"]])) + "\n")
    check_labels(good, SNAPSHOT)
    for bad in ("@price+@stok", "@price+@staff", "@price+@stock+@count+@restock"):
        path = tmp_path / "bad.jsonl"
        path.write_text(json.dumps({"ts": 0, "user": "u", "text": "x", "expect": bad}) + "\n")
        with pytest.raises(LogFileError):
            check_labels(path, SNAPSHOT)
