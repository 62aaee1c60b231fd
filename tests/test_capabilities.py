"""Fitting replies into platform limits (pure)."""

from __future__ import annotations

import pytest

from bot.adapters.capabilities import Capabilities, RateLimit, fit_reply, split_reply


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("有的,目前XL码现货充足。L码还有12件,M码刚售罄,建议看看黑色款。", 20),
        ("Yes we ship to Canada, delivery takes about 7 to 10 days and shipping is free over 99 dollars.", 40),
        ("短句", 20),
    ],
)
def test_split_keeps_every_character_and_respects_the_limit(text, limit):
    parts = split_reply(text, limit)
    assert parts and all(0 < len(p) <= limit for p in parts)
    assert "".join(parts).replace(" ", "") == text.replace(" ", "")


def test_split_prefers_sentence_then_clause_boundaries():
    assert split_reply("有的,目前XL码现货充足。L码还有12件,M码刚售罄", 20) == ["有的,目前XL码现货充足。", "L码还有12件,M码刚售罄"]
    parts = split_reply("Yes we ship to Canada, delivery takes about 7 to 10 days.", 30)
    assert parts[0] == "Yes we ship to Canada," and not any(p.endswith("Can") for p in parts)


def test_split_gives_up_beyond_max_parts():
    assert split_reply("a" * 100, 20, max_parts=3) == []
    assert len(split_reply("a" * 60, 20, max_parts=3)) == 3


def test_fit_cuts_at_a_clause_or_with_an_ellipsis():
    assert fit_reply("有的,目前XL码现货充足。L码还有12件", 14) == "有的,目前XL码现货充足。"
    assert fit_reply("x" * 30, 10) == "x" * 9 + "…"
    assert fit_reply("short", 10) == "short"


def test_capabilities_are_plain_data():
    caps = Capabilities("twitch", can_post=True, max_len=500, rate=RateLimit(20, 30.0))
    assert caps.rate is not None and caps.rate.per_second == pytest.approx(20 / 30)
    with pytest.raises(ValueError):
        RateLimit(0, 1.0)
