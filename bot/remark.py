"""A remark asks nothing: "¡Ese rojo se ve precioso!", "Qué bien le queda la blanca al chico del directo",
"양말까지팔아ㅋㅋㅋ", "ミルクティーの色、売り切れなんですね。残念です。" were answered with the red's price, the white's stock,
the socks' material and the sold-out notice, because they name a variant or the product (and "queda", "売り切れ" are
stock words). A comment is a remark when it says a reaction — admiration, exclamation, regret, written laughter
(bot/remark_words.py) — and has no question cue at all: no question mark, question word, asking particle, stock /
price / size word that asks, request. Such a comment is never answered.

A bare variant ("white L", "黑色M", "XL呢") carries no reaction word and is read as before: asking for it is the likely
intent, and the stock answer is what the viewer wanted (when the same viewer follows with "have?", the answer is
already there). Pure function of the text.
"""

from __future__ import annotations

import unicodedata

from bot.remark_words import QUESTION_CUES, REACTIONS

__all__ = ["REMARK", "is_remark"]

REMARK = "a remark (admiration, regret, laughter) with no question cue"


def is_remark(text: str) -> bool:
    """Does ``text`` react (admire, regret, laugh) and ask nothing?"""
    folded = unicodedata.normalize("NFKC", text or "").casefold().strip()
    if not folded or REACTIONS.search(folded) is None:
        return False
    return QUESTION_CUES.search(folded) is None
