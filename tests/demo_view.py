"""The demo catalog (data/catalog.yaml) as the matching path sees it, for pure tests: snapshot, view and recogniser,
built once per test process. No model, no database."""

from __future__ import annotations

from pathlib import Path

from bot.answer_checks import with_structured
from bot.messages import Comment
from bot.pipeline import ANSWER, SILENT, CatalogView, Decision, MatchSettings, understand
from bot.slots import Recogniser
from catalog.io import load_catalog_file
from catalog.snapshot import CatalogSnapshot

ROOT = Path(__file__).resolve().parents[1]
DATA = load_catalog_file(ROOT / "data/catalog.yaml")
SNAPSHOT = CatalogSnapshot(
    version=1, products={p.id: p for p in DATA.products}, faqs={f.id: f for f in DATA.faqs}, synonyms=DATA.synonyms
)
VIEW = CatalogView.build(SNAPSHOT)
RECOGNISER = Recogniser.build(SNAPSHOT)


def final_decision(
    text: str, stage: str, *, band: str, reason: str | None = None, faq_id: str | None = None, lang: str = "en",
    score: float | None = None, view: CatalogView = VIEW,
) -> Decision:
    """What the decision checks (bot/answer_checks.with_structured) make of a matcher decision ``band`` / ``reason``
    (default: "match" for an answer, "below threshold" otherwise) for ``text`` with ``stage`` on stage."""
    c = Comment(id="t", user="u", text=text, ts=0.0)
    u = understand(c, view, stage, MatchSettings())
    if reason is None:
        reason = "match" if band == ANSWER else "below threshold"
    if score is None:
        score = 0.95 if band == ANSWER else 0.3
    d = Decision(comment_id="t", band=band, reason=reason, lang=lang, product_id=u.product_id, faq_id=faq_id, score=score)
    return with_structured(c, u, d, view)


ROOM = MatchSettings(room_languages=("zh", "en", "ja", "ko", "th", "vi", "id", "es"))  # an eight-language room


def room_decision(text: str, stage: str, faq_id: str | None, settings: MatchSettings = ROOM) -> tuple[Decision, str]:
    """The final decision for ``text`` with ``stage`` on stage in ``settings``' room, and the language read, when the
    matcher was unsure (``faq_id`` None: the structured reading decides) or answered with ``faq_id`` at 0.95."""
    c = Comment(id="t", user="u", text=text, ts=0.0)
    u = understand(c, VIEW, stage, settings)
    d = Decision(
        comment_id="t", band=ANSWER if faq_id else SILENT, reason="match" if faq_id else "below threshold", lang=u.lang,
        product_id=u.product_id, faq_id=faq_id, score=0.95 if faq_id else 0.3,
    )
    return with_structured(c, u, d, VIEW), u.lang
