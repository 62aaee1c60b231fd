"""Review-queue grouping: the pure clustering (models/grouping.py) and its measure on a replayed show.

The measure replays data/demo_comments.jsonl through the real bot (USE-m3) into SQLite, reads the queue the
console shows (silent / handed-to-staff comments) and groups it as the console does (the engine's vectors,
its slot recogniser, the logged closest FAQ). Issue 11 asks for at most 60 % as many groups as comments; the
comments the log labels with an FAQ are mostly merged with the same FAQ's comments only.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot.bootstrap import build_runtime, ensure_catalog, open_store
from bot.config import Settings
from bot.console.review import QueuedComment, group_comments, queued_comments, wording_key
from bot.replay import replay
from bot.room import load_expectations
from models.grouping import CANNOT, GroupItem, GroupParams, agglomerate, group_items, lexical_tokens, pair_similarity

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo_comments.jsonl"
DEV_MULTILINGUAL = ROOT / "data" / "demo_multilingual.jsonl"  # the development log (never the hold-out)
HARD = ROOT / "data" / "demo_questions_hard.jsonl"


# ------------------------------------------------------------------------------------------ pure (fast)


def test_average_linkage_merges_close_pairs_and_stops_at_the_threshold() -> None:
    sim = np.array([[1.0, 0.9, 0.2], [0.9, 1.0, 0.3], [0.2, 0.3, 1.0]])
    assert agglomerate(sim, 0.5) == [[0, 1], [2]]
    assert agglomerate(sim, 0.95) == [[0], [1], [2]]
    assert agglomerate(sim, 0.25) == [[0, 1, 2]]  # average of 0.2 and 0.3 reaches 0.25


def test_a_cannot_link_pair_never_shares_a_group_even_through_a_third() -> None:
    sim = np.array([[1.0, 0.9, 0.9], [0.9, 1.0, CANNOT], [0.9, CANNOT, 1.0]])
    got = agglomerate(sim, 0.5)
    assert [0, 1, 2] not in got and len(got) == 2


def test_products_variant_values_lanes_and_topics_shape_the_similarity() -> None:
    v = np.ones((2, 3))  # identical vectors: cosine 1
    params = GroupParams()

    def sim(a: GroupItem, b: GroupItem) -> float:
        return float(pair_similarity(v, [a, b], params)[0, 1])

    tee, shoes = frozenset({"tee"}), frozenset({"shoes"})
    assert sim(GroupItem(products=tee), GroupItem(products=shoes)) == CANNOT
    assert sim(GroupItem(products=tee), GroupItem()) == pytest.approx(1.0)
    assert sim(GroupItem(products=tee | shoes), GroupItem(products=shoes)) == pytest.approx(1.0)  # "XL": either
    xl, l_ = {("tee", "size"): "XL"}, {("tee", "size"): "L"}
    assert sim(GroupItem(values=xl), GroupItem(values=l_)) == CANNOT
    assert sim(GroupItem(values=xl), GroupItem(values={("tee", "colour"): "white"})) == pytest.approx(1.0)
    assert sim(GroupItem(lane="spam"), GroupItem(lane="question")) == CANNOT
    same = sim(GroupItem(topic="price", topic_score=0.8), GroupItem(topic="price", topic_score=0.6))
    other = sim(GroupItem(topic="price", topic_score=0.8), GroupItem(topic="stock", topic_score=0.6))
    unsure = sim(GroupItem(topic="price", topic_score=0.8), GroupItem(topic="stock", topic_score=0.3))
    assert same == pytest.approx(1.3) and other == pytest.approx(0.6) and unsure == pytest.approx(1.0)


def test_in_a_lexical_language_close_vectors_group_only_when_the_wordings_share_bigrams() -> None:
    v = np.ones((4, 3))  # the embedder says all four are the same
    texts = ["trả góp được không", "tra gop duoc khong shop", "giày này chạy bộ", "áo khoác giá bao nhiêu"]
    assert lexical_tokens(texts[0]) <= lexical_tokens(texts[1])  # accents and case dropped
    items = [GroupItem(lang="vi", grams=lexical_tokens(t)) for t in texts]
    params = GroupParams(lexical_langs=frozenset({"vi"}), lexical_min=0.3)
    assert group_items(v, items, params) == [[0, 1], [2], [3]]
    english = [GroupItem(lang="en", grams=lexical_tokens(t)) for t in texts]  # not a lexical language: cosine alone
    assert group_items(v, english, params) == [[0, 1, 2, 3]]


def test_whole_lanes_are_one_group_and_lanes_never_mix() -> None:
    v = np.eye(4)  # orthogonal: nothing is similar
    items = [GroupItem(lane="spam"), GroupItem(lane="question"), GroupItem(lane="spam"), GroupItem(lane="question")]
    assert group_items(v, items, GroupParams(whole_lanes=frozenset({"spam"}))) == [[0, 2], [1], [3]]


def test_items_past_the_cap_join_their_closest_cluster_or_stay_alone() -> None:
    a, b = np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])
    v = np.array([a, a, b, b, a * 0.9 + b * 0.1, np.array([0.0, 0.0, 1.0]), b])
    items = [GroupItem() for _ in range(6)] + [GroupItem(products=frozenset({"x"}))]
    items[3] = GroupItem(products=frozenset({"y"}))
    params = GroupParams(threshold=0.8, max_clustered=4)
    # 0-3 clustered; 4 joins {0, 1}; 5 is like nothing; 6 is like {2, 3} but 3 is about another product
    assert group_items(v, items, params) == [[0, 1, 4], [2, 3], [5], [6]]
    assert group_items(v, items, GroupParams(threshold=0.8)) == [[0, 1, 4], [2, 3], [5], [6]]  # same without the cap


def test_a_big_queue_groups_in_bounded_time() -> None:
    import time

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(400, 64))
    v = centres[rng.integers(0, 400, 3000)] + 0.3 * rng.normal(size=(3000, 64))
    start = time.monotonic()
    groups = group_items(v, [GroupItem() for _ in range(3000)], GroupParams(threshold=0.8))
    assert time.monotonic() - start < 10
    assert sum(map(len, groups)) == 3000 and len(groups) < 1000


def test_repeats_and_punctuation_fold_to_one_wording_but_sizes_stay_apart() -> None:
    assert wording_key("来了来了来了") == wording_key("来了来了") == wording_key("来了!")
    assert wording_key("哈哈哈哈哈") == wording_key("哈哈哈")
    assert wording_key("XXL还有吗") != wording_key("XL还有吗")


def _comment(i: int, text: str, reason: str, intent: str | None = None, lang: str | None = "zh") -> QueuedComment:
    return QueuedComment(room="local", comment_id=f"c{i}", user=f"u{i}", text=text, received_at=float(i), status="silent",
                         reason=reason, faq_id=None, score=None, product_id=None, lang=lang, intent=intent)


def test_comments_of_two_languages_never_share_a_group() -> None:
    """Same wording, same vector, same closest FAQ, same lane: still one group per detected language (spam too)."""
    comments = [
        _comment(0, "ok ok", "below threshold", lang="en"),
        _comment(1, "ok ok", "below threshold", lang="vi"),
        _comment(2, "ok ok!", "below threshold", lang="id"),
        _comment(3, "ok ok", "below threshold", lang=None),  # no language identified: on its own too
        _comment(4, "ok ok", "below threshold", lang="en"),
        _comment(5, "ok ok", "intent spam", "spam", lang="en"),
        _comment(6, "ok ok", "intent spam", "spam", lang="vi"),
    ]
    comments = [replace(c, faq_id="price", score=0.9) for c in comments]

    def same_vector(texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 4), dtype=np.float32)

    for encode in (same_vector, None):  # the console's model path, and character bigrams without a model
        groups = group_comments(comments, encode)
        assert all(len({c.lang for c in g.comments}) == 1 for g in groups), [[c.lang for c in g.comments] for g in groups]
        assert sorted(g.count for g in groups) == [1, 1, 1, 1, 1, 2]  # the two English questions are still one group


def test_spam_and_chit_chat_are_folded_lanes() -> None:
    comments = [
        _comment(0, "加群领红包 群号 556677", "intent spam", "spam"),
        _comment(1, "兼职日结 加我", "moderation: contact details or a link", "spam"),
        _comment(2, "哈哈哈", "intent chit_chat", "chit_chat"),
        _comment(3, "能开发票吗", "below threshold"),
    ]
    groups = group_comments(comments)
    lanes = {g.lane: g for g in groups}
    assert lanes["spam"].count == 2 and lanes["spam"].folded  # every spam comment in one group
    assert lanes["chit-chat"].folded and not lanes["question"].folded
    assert groups[0].lane == "question"  # newest first: c3 is the latest


# ------------------------------------------------------------------------------------------ measured (slow)

# Vietnamese comments of the development log with their labels: USE-m3 puts them all close together (cosine 0.5-0.75
# whatever they ask), so cosine alone grouped a shipping question with an installment question and a compliment.
VI_UNRELATED = {
    "trả góp được không": "payment-installment",
    "giày này chạy bộ được không": "shoes-use",
    "đổi size được không shop": "exchange",
    "hàng chính hãng k shop": "authenticity",
    "bao lâu thì nhận được hàng": "delivery-time",
    "giặt có bị co không": "tee-care",  # still grouped with "màu trắng có bị lộ không" (tee-fabric): docs/console.md
    "đặt rồi nha shop": "order-thanks",
    "đẹp quá trời luôn": "none",
}
VI_PARAPHRASES = [("mua 2 cái có giảm không", "mua 2 đôi có giảm giá không"), ("link đâu shop ơi", "shop ơi cho xin link")]


def test_unrelated_vietnamese_comments_are_not_grouped_but_paraphrases_are(embedder) -> None:  # type: ignore[no-untyped-def]
    """All the Vietnamese comments of the development log queued at once (no closest FAQ to lean on): the unrelated
    ones above stay apart, the paraphrases still share a group."""
    rows = [json.loads(line) for line in DEV_MULTILINGUAL.read_text(encoding="utf-8").splitlines()]
    texts = list(dict.fromkeys(r["text"] for r in rows if r.get("lang_expected") == "vi"))
    assert set(VI_UNRELATED) | {t for pair in VI_PARAPHRASES for t in pair} <= set(texts)
    comments = [_comment(i, text, "below threshold", lang="vi") for i, text in enumerate(texts)]
    groups = group_comments(comments, embedder.encode)
    group_of = {c.text: g.key for g in groups for c in g.comments}
    mixed = [[c.text for c in g.comments] for g in groups if len({c.text for c in g.comments} & set(VI_UNRELATED)) > 1]
    assert not mixed, mixed
    for a, b in VI_PARAPHRASES:
        assert group_of[a] == group_of[b], (a, b)
        assert all(group_of[a] != group_of[t] for t in VI_UNRELATED)


def _faq_label(expect: object) -> str | None:
    if isinstance(expect, list):  # the hard set lists the structured label and the FAQ
        expect = next((x for x in expect if isinstance(x, str) and not x.startswith("@")), None)
    return expect if isinstance(expect, str) and not expect.startswith("@") else None


@pytest.mark.skipif(not DEMO.exists(), reason="data/demo_comments.jsonl is not in this checkout")
def test_demo_show_queue_has_at_most_60_percent_as_many_groups_as_comments(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    comments, groups = _queue_after(DEMO, embedder, tmp_path)

    assert len(comments) >= 80  # the show hands a real queue to staff
    ratio = len(groups) / len(comments)
    assert ratio <= 0.60, f"{len(groups)} groups for {len(comments)} comments ({ratio:.2f})"
    # grouping that groups paraphrases, not a fold of everything: buyer questions are grouped too ...
    questions = [g for g in groups if not g.folded]
    assert sum(g.count > 1 for g in questions) >= 5
    # ... and seldom merges comments the log labels with different FAQs
    label = load_expectations(DEMO)
    of_group = {c.comment_id: i for i, g in enumerate(groups) for c in g.comments}
    labelled = [(of_group[c.comment_id], f) for c in comments if (f := _faq_label(label.get(c.comment_id)))]
    # The better the bot answers the show, the fewer labelled comments stay queued (13 after issues 10 and 15, from
    # 20+): too few pairs for a precision. The hard set's queue (data/demo_questions_hard.jsonl, labelled the same
    # way) is grouped on its own and its pairs are counted with the show's.
    labelled += _hard_set_labelled_pairs(embedder, tmp_path)
    # 23 after the seventeenth session's merges (h/recall9, h/fix10a, h/fix10b answer more of both logs): was 25+
    assert len(labelled) >= 20
    pairs = list(itertools.combinations(labelled, 2))
    wrong = [(a, b) for a, b in pairs if a[0] == b[0] and a[1] != b[1]]
    right = [(a, b) for a, b in pairs if a[0] == b[0] and a[1] == b[1]]
    # measured: 6 right, 5 wrong pairs (0.55); every wrong pair joins two FAQs that overlap by design: multi-buy
    # questions with "满减怎么算" (coupon), "还有货吗" with "补货了吗" (stock / restock). Was 0.63 on the show alone.
    # After h/fix10a the show's "精华和口红一起买有优惠吗" (multi-buy) is answered and leaves the queue: 4 right, 2 wrong.
    # After the seventeenth session's merges fewer labelled comments stay queued: 3 right, 2 wrong pairs (0.60).
    assert len(right) >= 3 and len(wrong) <= len(right), (right, wrong)  # pair precision >= 0.5


def _queue_after(log: Path, embedder, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Replay ``log`` against the demo catalog (its own SQLite file): the staff queue it leaves, and its groups."""
    settings = Settings(db=f"sqlite:///{tmp_path / (log.stem + '.db')}", catalog=str(ROOT / "data" / "catalog.yaml"),
                        intents=str(ROOT / "data" / "intents.yaml"), index_dir=str(tmp_path / "index"), threads=2)
    store = open_store(settings)
    try:
        ensure_catalog(store, settings)
        runtime = build_runtime(settings, store=store, embedder=embedder)
        asyncio.run(replay(runtime, log, speed=0))
        comments = queued_comments(store, set())
        groups = group_comments(comments, runtime.engine.encode, recognise=runtime.engine.state.view.recogniser.recognise)
    finally:
        store.close()
    return comments, groups


def _hard_set_labelled_pairs(embedder, tmp_path: Path) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    """(group number, FAQ label) of the hard set's queued comments with a FAQ label (its own show, store and
    groups; group numbers start after any the demo show could have)."""
    comments, groups = _queue_after(HARD, embedder, tmp_path)
    label = load_expectations(HARD)
    of_group = {c.comment_id: 10_000 + i for i, g in enumerate(groups) for c in g.comments}
    return [(of_group[c.comment_id], f) for c in comments if (f := _faq_label(label.get(c.comment_id)))]
