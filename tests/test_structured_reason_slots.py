"""A structured answer's reason names the slots it read (" slots=colour:黑色,size:L"), which the console's live
page shows beside the path (issue 10: "for each answer the slots found and which path answered"); the console's
reading of such a reason and its Chinese wording of it (pure: no model, no database)."""

from __future__ import annotations

from bot.console.live import reason_details
from bot.console.reasons import explain
from bot.messages import Comment
from bot.pipeline import SILENT, CatalogView, Decision, MatchSettings, understand
from bot.slots import Recogniser
from bot.structured import slots_note, structured_decision
from catalog.snapshot import CatalogSnapshot
from tests.factories import demo_catalog

DATA = demo_catalog()
SNAPSHOT = CatalogSnapshot(
    version=1, products={p.id: p for p in DATA.products}, faqs={f.id: f for f in DATA.faqs}, synonyms=DATA.synonyms
)
VIEW = CatalogView.build(SNAPSHOT)
RECOGNISER = Recogniser.build(SNAPSHOT)


def _decide(text: str, stage: str) -> Decision:
    c = Comment(id="t", user="u", text=text, ts=0.0)
    u = understand(c, VIEW, stage, MatchSettings())
    d = Decision(comment_id="t", band=SILENT, reason="below threshold", lang=u.lang, product_id=u.product_id)
    out = structured_decision(u, d, RECOGNISER.recognise(text), VIEW)
    assert out is not None, text
    return out


def test_a_stock_answer_names_the_values_it_read() -> None:
    d = _decide("黑色L码还有吗", "tee-classic")
    assert d.path == "structured"
    assert d.reason == "structured stock slots=colour:黑色,size:L"
    assert reason_details(d.reason) == {"path": "structured", "slots": "colour:黑色,size:L"}


def test_an_attribute_answer_names_the_attribute() -> None:
    d = _decide("推车多重", "stroller-a1")
    assert d.reason == "structured attribute slots=attribute:weight"
    assert reason_details(d.reason)["slots"] == "attribute:weight"


def test_a_question_about_the_whole_list_names_the_option() -> None:
    d = _decide("还有哪些码", "tee-classic")
    assert d.reason == "structured which slots=which:size"


def test_no_slots_no_note() -> None:
    assert slots_note("price", None, {}) == ""
    assert reason_details("structured price") == {"path": "structured"}


def test_a_value_with_a_space_and_a_fallback_suffix() -> None:
    reason = "structured stock slots=colour:white grey,size:43; in en: no es answer"
    assert reason_details(reason) == {"path": "structured", "slots": "colour:white grey,size:43"}
    assert reason_details("path=structured slots=size:XL,color:黑") == {"path": "structured", "slots": "size:XL,color:黑"}


def test_the_console_still_says_it_in_chinese() -> None:
    assert explain("structured stock slots=colour:黑色,size:L", ui="zh") == explain("structured stock", ui="zh")
    assert explain("structured stock", ui="zh") != "structured stock"  # translated, not the raw English


def test_a_faq_picked_by_the_question_kind_has_its_own_path() -> None:
    assert reason_details("reports an order: the FAQ that thanks for orders") == {"path": "reroute"}
    assert reason_details("asks about shipping abroad: the shipping FAQ that names places; in en: no vi answer") == {
        "path": "reroute"}


def test_an_answer_in_the_fallback_language_names_it() -> None:
    from bot.console.live import _reply_lang

    reason = "match; in en: no es answer"
    assert _reply_lang(reason, "answered", {"en": "英语"}.get) == {"reply_lang": "en", "reply_lang_name": "英语"}
    assert _reply_lang(reason, "staff", None) == {}  # handed to staff: nothing went out
    assert _reply_lang("match", "answered", None) == {}
