"""A bare "换色" in chat ("你是不是安柏换色": a game character recoloured) names no colour: the exchange reading that
answers an unsure comment only when it names a size or a colour must not answer it (real Bilibili danmaku, seen on
the stream replay of 2026-12-04). "能换颜色吗" still names one; the matcher answers "能换色吗" with the exchange FAQ."""

from __future__ import annotations

import pytest

from bot.exchange_words import names_size_or_colour
from bot.pipeline import ANSWER
from tests.demo_view import room_decision


@pytest.mark.parametrize("text", ["你是不是安柏换色", "换色了", "主播换色"])
def test_a_bare_recolour_names_no_colour(text: str) -> None:
    assert not names_size_or_colour(text)


@pytest.mark.parametrize(
    "text", ["能换颜色吗", "可以换码吗", "颜色不喜欢能换色吗", "đổi size được không", "kak bisa tuker ukuran?"]
)
def test_sizes_and_colours_named_beside_the_exchange(text: str) -> None:
    assert names_size_or_colour(text)


def test_the_recoloured_character_is_not_answered() -> None:
    d, _ = room_decision("你是不是安柏换色", "tee-classic", None)
    assert d.band != ANSWER, d.reason


@pytest.mark.parametrize("text", ["能换色吗", "可以换色吗"])
def test_asking_to_swap_the_colour_still_gets_the_exchange_faq(text: str) -> None:
    d, _ = room_decision(text, "tee-classic", None)
    assert d.band == ANSWER and d.faq_id == "exchange", d.reason
