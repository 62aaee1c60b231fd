"""What staff read for a FAQ in choices and charts: one of its example questions in their UI language ("包邮吗"
rather than `shipping-free`); the id stays beside it, secondary.

Pure: works on a `catalog.snapshot.FaqInfo` (or anything with `id`, `questions` and `question_langs`).
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from bot.console import i18n
from catalog.langs import primary

__all__ = ["MAX_LABEL_CHARS", "faq_choice", "faq_label", "faq_named", "faq_tag"]

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


def faq_named(faq: Any, ui: str | None = None, *, faq_id: str = "") -> str:
    """A FAQ in a sentence (a banner, a message): "“买两件有优惠吗” (multi-buy)"; just the id when it has no example
    question (or `faq_id` alone: no such FAQ)."""
    if faq is None:
        return faq_id
    label = faq_label(faq, ui)
    return str(faq.id) if label == faq.id else f"“{label}” ({faq.id})"


def faq_tag(faq: Any, ui: str | None = None, *, faq_id: str = "") -> Markup:
    """A FAQ in a table or a fact list: its question, the id small after it (and as its tooltip). `faq_id` alone
    (no such FAQ): the id."""
    if faq is None:
        return Markup('<code class="faq-id">{}</code>').format(faq_id) if faq_id else Markup("")
    label = faq_label(faq, ui)
    if label == faq.id:
        return Markup('<code class="faq-id">{}</code>').format(faq.id)
    return Markup('<span class="faq-label" title="{}">{}</span> <small class="faq-id">{}</small>').format(
        faq.id, label, faq.id
    )
