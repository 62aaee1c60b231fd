""""Try a question": the bot's own matching path on a typed question, without logging or replying.

The work is `Engine.explain` (bot/engine.py): same catalog state, index, thresholds and intent model as the
running bot, the answer rendered with live stock; safe to call from the console thread while the bot
processes comments. The view (views/tryout.py) adds the calibration point next to the result.
"""

from __future__ import annotations

from typing import Any


def try_question(engine: Any, text: str, stage_product_id: str | None = None, *, top: int = 5) -> dict[str, Any]:
    """`engine.explain(...)`: band, reason, scores, intent, product, answer and top matches as plain data."""
    return engine.explain(text, stage_product_id, top=top)
