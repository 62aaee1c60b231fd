"""The console fixes from the new-user walkthrough, below the browser (tests/test_console_newuser_browser.py drives
the pages): staff answers in the live feed's query, the review queue's hand-offs-first order and FAQ pre-selection,
FAQ labels, chart details and one catalog reload at a time on an engine the console shares with a bot."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.console.charts import bar_chart
from bot.console.faq_labels import faq_choice, faq_label
from bot.console.live import activity_json, parse_cursor
from bot.console.review import QueuedComment, group_comments
from bot.engine import Engine
from bot.messages import Comment, Reply
from catalog.accounts import Accounts
from catalog.io import import_catalog
from catalog.reports import recent_activity
from catalog.snapshot import FaqInfo
from catalog.store import CatalogStore
from tests.fast.fakes import HashEmbedder
from tests.live_bot import DEFAULT_SETTINGS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[CatalogStore]:
    s = CatalogStore(f"sqlite:///{tmp_path / 'store.db'}")
    yield s
    s.close()


def _log(store: CatalogStore, cid: str, status: str, text: str = "q") -> None:
    store.record_comments([Comment(id=cid, user="u", text=text, ts=1.0, room="r1")])
    store.set_comment_outcomes([("r1", cid, {"status": status})])


# ------------------------------------------------------------------------------------------ live feed


def test_the_feed_carries_staff_answers_recorded_without_a_bot(store: CatalogStore) -> None:
    for i in range(3):
        _log(store, f"h{i}", "staff")
    first = recent_activity(store)
    assert [c.staff_answer for c in first.comments] == [None, None, None]
    # answered from the review queue (or "answer now") while no bot runs: recorded, not posted
    Accounts(store).record_review(username="ed", comments=[("r1", "h0")], action="answer", text="马上补发", posted=False)
    Accounts(store).record_review(username="ed", comments=[("r1", "h1")], action="dismiss")
    nxt = recent_activity(
        store,
        first.last_seq,
        after_reply_id=first.last_reply_id,
        updated_after=first.last_updated,
        after_review_id=first.last_review_id,
    )
    # the answered one comes again with its answer, the dismissed one as handled in the review queue (it waits no more)
    assert [c.record.comment_id for c in nxt.comments] == ["h0", "h1"]
    answer = nxt.comments[0].staff_answer
    assert answer is not None and (answer.text, answer.username, answer.posted) == ("马上补发", "ed", False)
    assert nxt.comments[0].review_action is None
    assert nxt.comments[1].staff_answer is None and nxt.comments[1].review_action == "dismiss"
    assert nxt.last_review_id > first.last_review_id
    quiet = recent_activity(
        store, nxt.last_seq, after_reply_id=nxt.last_reply_id, updated_after=nxt.last_updated, after_review_id=nxt.last_review_id
    )
    assert quiet.comments == []
    # a page loaded now sees it answered by staff straight away
    fresh = {c.record.comment_id: c for c in recent_activity(store).comments}
    assert fresh["h0"].staff_answer is not None and fresh["h2"].staff_answer is None
    data = activity_json(recent_activity(store))
    by_id = {c["id"]: c for c in data["comments"]}
    assert by_id["h0"]["staff_answer"] == {"text": "马上补发", "by": "ed", "posted": False}
    assert by_id["h1"]["staff_answer"] is None and by_id["h0"]["status"] == "staff"  # the bot's outcome stays
    assert by_id["h1"]["review_action"] == "dismiss" and by_id["h2"]["review_action"] is None


def test_a_feed_cut_at_its_limit_skips_no_comment_for_a_staff_answer_past_the_cut(store: CatalogStore) -> None:
    for i in range(5):
        _log(store, f"c{i}", "silent")
    first = recent_activity(store, limit=10)
    for i in range(5, 35):
        _log(store, f"c{i}", "staff")
    Accounts(store).record_review(username="ed", comments=[("r1", "c30")], action="answer", text="有的", posted=False)
    shown: list[str] = []
    cursor = first
    for _ in range(6):  # page through in feeds of 10, as the live page does when it falls behind
        cursor = recent_activity(
            store, cursor.last_seq, after_reply_id=cursor.last_reply_id, updated_after=cursor.last_updated,
            after_review_id=cursor.last_review_id, limit=10,
        )
        shown += [c.record.comment_id for c in cursor.comments if c.record.comment_id not in shown]
        if cursor.comments and cursor.comments[-1].record.comment_id == "c34":
            break
    assert shown == [f"c{i}" for i in range(5, 35)]  # c30 arrives in order, none of c15..c29 skipped
    last = {c.record.comment_id: c for c in recent_activity(store).comments}
    assert last["c30"].staff_answer is not None


def test_a_staff_answer_the_bot_posted_is_marked_posted(store: CatalogStore) -> None:
    _log(store, "h0", "staff")
    store.record_reply(Reply(reply_to=("h0",), text="马上补发", lang="zh", room="r1", ts=time.time()))
    Accounts(store).record_review(username="ed", comments=[("r1", "h0")], action="answer", text="马上补发", posted=True)
    got = recent_activity(store)
    assert got.comments[0].staff_answer is not None and got.comments[0].staff_answer.posted
    assert [r.reply_to for r in got.replies] == [("h0",)]


def test_feed_cursor_with_and_without_the_review_part() -> None:
    assert parse_cursor("12:3:1.5:7") == (12, 3, 1.5, 7)
    assert parse_cursor("12:3:1.5") == (12, 3, 1.5, None)  # a page from before: staff answers start anew
    assert parse_cursor("") == (None, None, 0.0, None)
    assert parse_cursor("x:y") == (None, None, 0.0, None)


# ------------------------------------------------------------------------------------------ review queue


def _queued(
    cid: str,
    text: str,
    at: float,
    status: str = "silent",
    reason: str | None = None,
    intent: str | None = None,
    faq_id: str | None = "invoice",
    score: float = 0.3,
) -> QueuedComment:
    return QueuedComment(
        room="r1",
        comment_id=cid,
        user=f"u{cid}",
        text=text,
        received_at=at,
        status=status,
        reason=reason,
        faq_id=faq_id,
        score=score,
        product_id=None,
        lang="zh",
        intent=intent,
    )


def test_hand_offs_first_and_the_faq_preselected_only_for_real_questions() -> None:
    comments = [
        _queued(
            "a",
            "上次买的袜子少发了一双",
            1.0,
            "staff",
            "intent complaint: never auto-answered",
            "complaint",
            "order-thanks",
            0.66,
        ),
        _queued("b", "推车能上飞机吗", 2.0, "staff", "low confidence", "ask_spec", "stroller-size", 0.55),
        _queued("c", "看我头像 ↑↑↑ 有福利", 5.0, reason="below threshold", faq_id="invoice", score=0.31),
        _queued("d", "能便宜点吗", 6.0, reason="below threshold", intent="ask_discount", faq_id="discount", score=0.5),
        _queued("e", "前排", 7.0, reason="below threshold", intent="chit_chat", faq_id="order-thanks", score=0.59),
        _queued("f", "ตามมาจากติ๊กต๊อก", 3.0, reason="below threshold", intent="ask_shipping",
                faq_id="shipping-international", score=0.10),
    ]
    newest = group_comments(comments)
    assert [g.text for g in newest][:1] == ["前排"]
    ordered = group_comments(comments, sort="handoff")
    assert [g.handoff for g in ordered] == [True, True, False, False, False, False]
    assert {g.text for g in ordered[:2]} == {"上次买的袜子少发了一双", "推车能上飞机吗"}
    by_text = {g.text: g for g in ordered}
    assert by_text["推车能上飞机吗"].preselected_faq == "stroller-size"  # a real low-confidence question
    assert by_text["能便宜点吗"].preselected_faq == "discount"  # the intent model took it for a question
    assert by_text["上次买的袜子少发了一双"].preselected_faq is None  # a complaint
    assert by_text["看我头像 ↑↑↑ 有福利"].preselected_faq is None  # nothing took it for a question
    assert by_text["前排"].preselected_faq is None  # chit-chat
    # taken for a question, but its closest FAQ far more likely wrong than right: staff pick
    assert by_text["ตามมาจากติ๊กต๊อก"].preselected_faq is None
    assert by_text["ตามมาจากติ๊กต๊อก"].suggested_faq == "shipping-international"
    assert by_text["看我头像 ↑↑↑ 有福利"].suggested_faq == "invoice"  # still shown as the closest FAQ


# ------------------------------------------------------------------------------------------ labels and charts


def test_a_faq_reads_as_its_question_in_the_ui_language() -> None:
    faq = FaqInfo(
        id="serum-30-vs-50",
        product_id=None,
        intent="compare",
        questions=("30ml和50ml有什么区别", "30 vs 50ml?"),
        answers={"zh": "…"},
        question_langs=("zh", "en"),
    )
    assert faq_label(faq, "zh_CN") == "30ml和50ml有什么区别"
    assert faq_label(faq, "en") == "30 vs 50ml?"
    assert faq_choice(faq, "zh_CN") == "30ml和50ml有什么区别 · serum-30-vs-50"
    unfiled = FaqInfo(id="dj-warmth", product_id=None, intent="ask_spec", questions=("is it warm", "暖和吗"), answers={})
    assert faq_label(unfiled, "zh_CN") == "暖和吗"  # by script when the languages are not known
    assert faq_label(FaqInfo(id="bare", product_id=None, intent="x", questions=(), answers={}), "zh_CN") == "bare"
    long = FaqInfo(id="long", product_id=None, intent="x", questions=("这" * 40,), answers={})
    assert len(faq_label(long, "zh_CN")) == 24 and faq_label(long, "zh_CN").endswith("…")


def test_bar_labels_keep_the_detail_in_the_tooltip_and_beside_when_it_fits() -> None:
    svg = bar_chart([("包邮吗", 6, "shipping-free"), ("这款精华液敏感肌孕妇能不能用呀", 3, "serum-sensitive")])
    assert '包邮吗 <tspan class="detail">shipping-free</tspan>' in svg
    assert "<title>包邮吗 (shipping-free): 6</title>" in svg
    assert "serum-sensitive" in svg.split("<title>这款")[1] and '"detail">serum-sensitive' not in svg  # no room


# ------------------------------------------------------------------------------------------ engine reload


def test_reloads_from_two_threads_build_the_new_catalog_once(tmp_path: Path) -> None:
    """The console's "try a question" and the live loop may both check an engine they share: one builds the state."""
    store = CatalogStore(f"sqlite:///{tmp_path / 'engine.db'}")
    try:
        import_catalog(store, ROOT / "data" / "catalog.yaml")
        engine = Engine(store, HashEmbedder(), None, settings=DEFAULT_SETTINGS, spool_path=str(tmp_path / "spool"))
        before = engine.stats.reloads
        assert store.add_example("shipping-free", "能寄到火星吗")
        results: list[bool] = []
        threads = [threading.Thread(target=lambda: results.append(engine.reload_if_changed())) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == [False, False, True] and engine.stats.reloads == before + 1
        assert "能寄到火星吗" in engine.state.view.snapshot.faqs["shipping-free"].questions
    finally:
        store.close()


def test_a_language_name_typed_without_its_accents_is_known() -> None:
    from bot.console.lang_names import code_for_name

    assert [code_for_name(t) for t in ("espanol", "Español", "tieng viet", "Tiếng Việt", "portugues", "日语")] == [
        "es", "es", "vi", "vi", "pt", "ja"]
    assert code_for_name("xx") is None
