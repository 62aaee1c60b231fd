"""What staff read for a FAQ in choices and charts: one of its example questions in their UI language ("包邮吗"
rather than `shipping-free`); the id stays beside it, secondary.

Pure: works on a `catalog.snapshot.FaqInfo` (or anything with `id`, `questions` and `question_langs`).
"""

from __future__ import annotations

import re
from typing import Any

from bot.console import i18n
from catalog.langs import primary

__all__ = ["MAX_LABEL_CHARS", "faq_choice", "faq_label"]

MAX_LABEL_CHARS = 24
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _ui_lang(ui: str | None) -> str:
    return "zh" if (ui or i18n.current()).lower().startswith("zh") else "en"


def faq_label(faq: Any, ui: str | None = None, *, limit: int = MAX_LABEL_CHARS) -> str:
    """The FAQ's first example question in the UI language (zh for zh_CN, else en; by the language it was filed
    under, else by its script), else its first example, else its id; cut to `limit` characters."""
    if faq is None:
        return ""
    lang = _ui_lang(ui)
    questions = [q.strip() for q in getattr(faq, "questions", ()) if q and q.strip()]
    langs = tuple(getattr(faq, "question_langs", ()) or ())
    chosen = None
    if len(langs) == len(getattr(faq, "questions", ())):
        chosen = next(
            (q.strip() for q, ql in zip(faq.questions, langs, strict=True) if q and q.strip() and ql and primary(ql) == lang),
            None,
        )
    if chosen is None:
        wanted = (lambda q: bool(_HAN.search(q))) if lang == "zh" else (lambda q: not _HAN.search(q))
        chosen = next((q for q in questions if wanted(q)), questions[0] if questions else None)
    if not chosen:
        return str(faq.id)
    return chosen if len(chosen) <= limit else chosen[: limit - 1] + "…"


def faq_choice(faq: Any, ui: str | None = None) -> str:
    """A FAQ in a drop-down: "包邮吗 · shipping-free" (the question first, the id after it)."""
    label = faq_label(faq, ui)
    return label if label == faq.id else f"{label} · {faq.id}"
