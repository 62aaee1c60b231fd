"""Kinds of wrong answers found by the second blind probe (branch h/fix9): a "how much" with a counted noun asks how
many pieces, not the price; "black friday" is not the colour black; a yes/no question about gift packaging and a
statement are not requests for a recommendation; warmth for a winter trip is not the fill; which size to take for a
given foot is size advice, not the sizes left.

Pure: the demo catalog, no model, no database. The sentences are written for these tests, not taken from any log."""

from __future__ import annotations

import pytest

from tests.demo_view import RECOGNISER

# ------------------------------------------------------------------------------------------ how many pieces


@pytest.mark.parametrize("text", ["bộ lâu đài bao nhiêu chi tiết vậy", "set kastil isinya berapa keping",
                                  "bộ khủng long có mấy miếng"])
def test_a_how_much_with_a_counted_noun_is_not_a_price(text):
    assert RECOGNISER.recognise(text).qtype != "price"


@pytest.mark.parametrize("text", ["bộ lâu đài bao nhiêu tiền", "bộ lâu đài bao nhiêu"])
def test_a_how_much_about_a_named_set_is_still_its_price(text):
    assert RECOGNISER.recognise(text).qtype == "price"
