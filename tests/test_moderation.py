"""Inbound moderation: links, contact details, blocked words and floods are recorded and never answered."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.errors import InputFileError
from bot.messages import Comment
from bot.moderation import load_moderator
from bot.pipeline import SILENT, MatchSettings
from models.intents import IntentModel, load_intents
from tests.fast.fakes import ROOT, HashEmbedder, MemoryStore

MOD = load_moderator(ROOT / "data/moderation.yaml")


@pytest.mark.parametrize(
    "text",
    ["加vx看福利 abc12345", "wx: shop_888888", "详情 http://x.cn/a", "www.example.com", "13812345678 联系我", "私聊我",
     "ｖｘ：abc123456", "兼职日结 在家就能做"],
)
def test_contact_details_links_and_blocked_words_are_flagged(text):
    assert MOD.check("u1", text, 0.0) is not None


@pytest.mark.parametrize("text", ["L码还有吗", "这个多少钱", "有XL码吗", "推车承重多少", "do you ship to Canada?", "主播好美"])
def test_ordinary_comments_pass(text):
    assert MOD.check("u1", text, 0.0) is None


def test_a_viewer_repeating_is_a_flood_but_a_busy_room_asking_is_not():
    m = load_moderator(ROOT / "data/moderation.yaml")
    pasted = "点关注不迷路 每天都有新福利 快来"
    assert [m.check("u1", pasted, t) for t in (0.0, 1.0, 2.0)][-1] is not None
    assert [m.check("u2", "XL还有吗", t) for t in (0.0, 1.0, 2.0)][-1] is None  # impatience, answered (cooldown merges)
    # twenty viewers asking the same short question: merged by the reply scheduler, never silenced here
    assert all(m.check(f"v{i}", "这个多少钱", float(i)) is None for i in range(20))
    # many viewers pasting the same long text: an ad
    ad = "今晚八点直播间全场一折起快来抢购吧宝宝们"
    flags = [m.check(f"w{i}", ad, float(i)) for i in range(5)]
    assert flags[-1] is not None and flags[-1].startswith("flood")
    # outside the window the count starts again
    assert m.check("u1", pasted, 200.0) is None


def test_flagged_comments_are_recorded_silent_with_the_reason(tmp_path):
    embedder = HashEmbedder()
    store = MemoryStore()
    engine = Engine(
        store, embedder, IntentModel.fit(load_intents(ROOT / "data/intents.yaml"), embedder.encode),
        settings=MatchSettings(answer_threshold=0.5, staff_threshold=0.4), spool_path=str(tmp_path / "spool.jsonl"),
    )
    engine.stage_product_id = "tee-classic"
    engine.moderator = MOD
    outcomes = engine.process([Comment(id="ad", user="u", text="L码还有吗 加vx abc12345 便宜", ts=0.0)])
    assert outcomes[0].decision.band == SILENT and outcomes[0].text is None
    assert store.rows[("local", "ad")].reason == "moderation: contact details or a link"


@pytest.mark.parametrize(
    ("content", "message"),
    [("contact: ['(']", "does not compile"), ("contact: ['.*']", "matches every comment"),
     ("contact: ['" + "a" * 201 + "']", "1–200 characters"), ("flood: {same_viewer: 1}", "at least 2"), ("[", "not valid YAML")],
)
def test_broken_rules_are_refused_with_a_reason(tmp_path, content, message):
    path = tmp_path / "moderation.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputFileError, match=message):
        load_moderator(path)


def test_staff_data_files_refuse_yaml_aliases_and_oversized_files(tmp_path):
    from bot.keyword_rules import load_rules

    bomb = tmp_path / "rules.yaml"
    bomb.write_text("a: &a [x, x, x]\nb: [*a, *a, *a]\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="aliases/anchors are not allowed"):
        load_rules(bomb)
    big = tmp_path / "moderation.yaml"
    big.write_text("blocked: [" + ", ".join(["x"] * 400_000) + "]\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="larger than"):
        load_moderator(big)
