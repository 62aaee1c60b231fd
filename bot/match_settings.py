"""How the matching path decides (``MatchSettings``): thresholds, fusion weights, the room's languages.

A module of its own, with no heavy imports, so that the settings object (bot/config.py) and every command that only
reads settings (``livereply config``, errors before a start) load without the matching path, SQLAlchemy or numpy.
``bot.pipeline`` re-exports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.calibrate import ConfidenceModel

__all__ = ["MatchSettings"]


@dataclass(frozen=True, slots=True)
class MatchSettings:
    answer_threshold: float = 0.55  # confidence needed to answer (calibrated per catalog by bot/calibration)
    staff_threshold: float = 0.42  # between staff and answer: queue for staff instead of guessing
    min_margin: float = 0.04  # top FAQ must beat the best *other* FAQ by this much (dense cosine)
    # FAQ of a product that is neither named nor on stage. 0.2 (was 0.08): leave-one-out top-1 on the demo catalog
    # 0.685 -> 0.734 ("是纯棉的吗" with the T-shirt on stage must not land on the socks FAQ).
    other_product_penalty: float = 0.2
    # Ranking = (1 - w) * dense cosine + w * BM25 char-n-gram score (models/lexical) of each FAQ's best example.
    # 0.2 = the best weight on the public LCQMC/BQ retrieval dev sets (docs/EVAL.md).
    lexical_weight: float = 0.2
    # Confidence (what the thresholds apply to) = dense cosine of the chosen FAQ + margin_weight * its dense margin
    # over the best other FAQ (capped at margin_cap). Margin is evidence too: a 0.75 that beats everything else by 0.3
    # is safer than a 0.8 tied with another FAQ (leave-one-out coverage at 5 % wrong: 13.8 % -> 19.6 %).
    margin_weight: float = 0.5
    margin_cap: float = 0.25
    intent_threshold: float = 0.35  # intent confidence needed to act on silent/staff intents (docs/EVAL.md)
    # Recommending is speaking: it needs more confidence than staying silent or asking staff (measured on real
    # non-shopping chat: at 0.35 about 3% of Bilibili danmaku got a recommendation, at 0.5 none).
    recommend_intent_threshold: float = 0.5
    # A FAQ whose intent disagrees with a confident question intent ("how much is the stroller" is ask_price, the
    # stroller-weight FAQ is ask_spec) loses this much: price questions must not get spec answers.
    intent_mismatch_penalty: float = 0.05
    intent_agreement_threshold: float = 0.5
    max_embed_chars: int = 200
    # The room's main language (the ``main_lang`` setting, one of ``room_languages``): a comment with no confident
    # language guess (emoji, digits) counts as written in it, and lang_fallback "main" answers in it.
    default_lang: str = "zh"
    # The languages viewers of this room write in. zh/en only: the script rule of bot/normalize.detect_language;
    # more: bot/langid.LanguageIdentifier (script rules + an offline detector restricted to these languages).
    room_languages: tuple[str, ...] = ("zh", "en")
    # No answer template in the viewer's language: "en" (answer in English), "main" (``default_lang``)
    # or "staff" (hand the comment to staff). Never a reply in a third language.
    lang_fallback: str = "en"
    # Calibrated P(right answer) over the match features (``MatchScores.features``), fitted per catalog on
    # out-of-fold rows by bot/calibration.py. When set, the thresholds apply to it and the dense margin is one of
    # its inputs instead of a separate gate (``min_margin``). None: confidence = cosine + margin bonus.
    scorer: ConfidenceModel | None = None
    # Weight of the per-catalog linear score (``scorer.linear``, models/faq_linear.py) in the candidate ranking, when
    # calibration chose one.
    linear_weight: float = 0.5
