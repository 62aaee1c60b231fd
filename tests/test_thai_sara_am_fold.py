"""Thai ำ (sara am) under NFKC: the matching path folds comments with NFKC, which spells ำ as ํ + า, while its word
lists write ำ ("น้ำหนัก", weight; "แนะนำไซส์", recommend a size; "ประจำ", usually). A word with ำ never matched; the
shared fold (catalog.text.fold_text) keeps it one letter. Pure functions of the text."""

from __future__ import annotations

import unicodedata

import pytest

from bot.measures import is_size_question, parse_body
from bot.sibling_kind import asks_size_advice, reports_usual_size
from catalog.text import fold_text


def test_nfkc_splits_sara_am_and_the_fold_keeps_it():
    assert unicodedata.normalize("NFKC", "น้ำ") != "น้ำ"
    assert fold_text("น้ำหนัก") == "น้ำหนัก"


@pytest.mark.parametrize("text", ["สูง 160 น้ำหนัก 50 แนะนำไซส์หน่อยค่ะ", "สูง160 แนะนำไซส์ค่ะ", "น้ำหนัก 50 ค่ะ"])
def test_thai_measures_with_sara_am_ask_for_a_size(text):
    assert is_size_question(text, parse_body(text))


def test_thai_usual_size_with_sara_am():
    assert reports_usual_size("ประจำใส่ไซส์ 40 ค่ะ")
    assert asks_size_advice("ประจำใส่ไซส์ 40 ค่ะ")
