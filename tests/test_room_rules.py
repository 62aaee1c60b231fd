"""Room rules in the database (catalog/room_rules.py): round trip, the file loader's validation on every save, stale
saves, bounded word lists, the seed/import of the YAML files, and the engine picking edits up on reload (fast tier:
real SQLite, the fake embedder)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.config import Settings
from bot.engine import Engine
from bot.keyword_rules import load_rules
from bot.messages import Comment
from bot.moderation import load_moderator
from bot.pipeline import ANSWER, STAFF, MatchSettings
from bot.room_rules_live import LiveRoomRules
from bot.room_rules_seed import ensure_room_rules
from catalog.room_rules import (
    RoomRuleError,
    RoomRules,
    WordEntry,
    rule_from_dict,
    rules_from_document,
    schedule_from_dict,
    words_from_document,
)
from catalog.store import CatalogStore, StaleEdit
from catalog.wordfilter import WordFilter
from tests.fast.fakes import ROOT, HashEmbedder, MemoryStore


@pytest.fixture()
def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = CatalogStore(f"sqlite:///{tmp_path / 'rules.db'}")
    yield store
    store.close()


RULE = {"id": "how-to-buy", "match": {"contains": ["怎么买"], "regex": "链接(在哪|呢)"},
        "reply": {"zh": "点下方小黄车,{product}{stock_summary}", "en": "Tap the cart."},
        "when": {"stage": "tee-classic", "between": ["19:00", "23:30"]}, "cooldown_s": 20, "viewer_cooldown_s": 300}


def test_a_rule_and_a_schedule_round_trip_through_the_database(db: CatalogStore) -> None:
    rules = RoomRules(db)
    spec = rule_from_dict(RULE)
    assert spec.to_dict() == RULE
    before, after = rules.save_rule(spec, create=True, by="ed")
    assert before is None and after.spec == spec and after.updated_by == "ed"
    sched = schedule_from_dict({"id": "on-stage", "every_min": 5, "min_comments": 30,
                                "messages": [{"zh": "现在上架的是{product}"}, "{product}到手价{price}元"]})
    rules.save_schedule(sched, create=True)
    data = rules.data()
    assert data.rules == (spec,) and data.schedules == (sched,) and data.version == rules.version() == 2
    assert sched.messages[1] == {"zh": "{product}到手价{price}元"}


def test_the_shipped_rules_file_imports_to_the_same_rules(db: CatalogStore) -> None:
    settings = Settings(db=str(db.engine.url), rules=str(ROOT / "data/rules.yaml"))
    imported = ensure_room_rules(db, settings)
    assert len(imported) == 3  # banned words, moderation's blocked words, rules
    data = RoomRules(db).data()
    from_file = load_rules(ROOT / "data/rules.yaml")
    assert [r.id for r in data.rules] == [r.id for r in from_file.rules] == ["how-to-buy", "coupon", "lucky-draw"]
    assert [s.id for s in data.schedules] == [s.id for s in from_file.schedules]
    assert len(data.banned) == 26 and "第一时间" in data.allow and "刷单" in data.blocked
    assert ensure_room_rules(db, settings) == []  # unchanged files: the database (and its console edits) is kept


@pytest.mark.parametrize(
    ("item", "field", "reason"),
    [
        ({"id": "a", "match": {"regex": "(a+)+$"}, "reply": "x"}, "regex", "nested quantifier"),
        ({"id": "a", "match": {"regex": "(x|)"}, "reply": "x"}, "regex", "matches every comment"),
        ({"id": "a", "match": {"contains": [" "]}, "reply": "x"}, "contains", "an empty word would match every comment"),
        ({"id": "a", "match": {"contains": ["x"]}, "reply": "这是最好的"}, "reply_zh", "banned word 「最好」 at character 3"),
        ({"id": "a", "match": {"contains": ["x"]}, "reply": {"en": "{nope}"}}, "reply_en", "unknown placeholder"),
        ({"id": "a", "match": {"contains": ["x"]}, "reply": "x", "viewer_cooldown_s": "soon"}, "viewer_cooldown_s", "number"),
        ({"id": "a", "match": {"contains": ["x" * 65]}, "reply": "x"}, "contains", "a word of 1–64"),
        ({"id": "A!", "match": {"contains": ["x"]}, "reply": "x"}, "id", "an id of lowercase"),
    ],
)
def test_bad_rules_are_refused_with_the_field_and_reason(item: dict, field: str, reason: str) -> None:
    word_filter = WordFilter([("最好", "很好")])
    with pytest.raises(RoomRuleError, match=reason) as caught:
        rule_from_dict(item, word_filter=word_filter)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ({"id": "s", "every_min": 0, "messages": ["x"]}, "a schedule of 0 minutes"),
        ({"id": "s", "every_min": 5, "messages": []}, "rotation list"),
        ({"id": "s", "every_min": 5, "messages": ["x"] * 51}, "rotation list of 1–50"),
        ({"id": "s", "every_min": 5, "min_comments": -3, "messages": ["x"]}, "min_comments"),
        ({"id": "s", "every_min": 5, "messages": ["{product}绝对划算"]}, "banned word 「绝对」"),
    ],
)
def test_bad_schedules_are_refused(item: dict, reason: str) -> None:
    with pytest.raises(RoomRuleError, match=reason):
        schedule_from_dict(item, word_filter=WordFilter([("绝对", "")]))


def test_a_refused_save_writes_nothing(db: CatalogStore) -> None:
    rules = RoomRules(db)
    rules.add_words("banned", [WordEntry("最好", "很好")])
    version = rules.version()
    spec = rule_from_dict({"id": "a", "match": {"contains": ["x"]}, "reply": "这是最好的"})  # checked without a filter …
    with pytest.raises(RoomRuleError, match="最好"):
        rules.save_rule(spec, create=True, word_filter=rules.word_filter())  # … the store checks again with it
    assert rules.rules() == [] and rules.version() == version
    with pytest.raises(RoomRuleError, match="already exists"):
        ok = rule_from_dict({"id": "a", "match": {"contains": ["x"]}, "reply": "好"})
        rules.save_rule(ok, create=True)
        rules.save_rule(ok, create=True)


def test_a_stale_save_raises_and_keeps_the_newer_one(db: CatalogStore) -> None:
    rules = RoomRules(db)
    _, first = rules.save_rule(rule_from_dict({**RULE, "reply": "A"}), create=True)
    rules.save_rule(rule_from_dict({**RULE, "reply": "B"}), create=False, expected_version=first.edit_version)
    with pytest.raises(StaleEdit):
        rules.save_rule(rule_from_dict({**RULE, "reply": "C"}), create=False, expected_version=first.edit_version)
    assert rules.rule("how-to-buy").spec.reply == {"zh": "B"}  # type: ignore[union-attr]
    [word] = rules.add_words("blocked", [WordEntry("刷单")])
    rules.update_word("blocked", word.id, WordEntry("刷单兼职"), expected_version=word.edit_version)
    with pytest.raises(StaleEdit):
        rules.delete_word("blocked", word.id, expected_version=word.edit_version)
    assert [w.word for w in rules.words("blocked")] == ["刷单兼职"]


def test_word_lists_are_bounded_and_all_or_nothing(db: CatalogStore) -> None:
    rules = RoomRules(db)
    rules.add_words("banned", [WordEntry("最好", "很好"), WordEntry("顶级")])
    with pytest.raises(RoomRuleError, match="already in the list"):
        rules.add_words("banned", [WordEntry("第一"), WordEntry("ＴＯＰ"), WordEntry("最好")])
    huge = [WordEntry(f"w{i}") for i in range(100_000)]
    with pytest.raises(RoomRuleError, match="at most 20000"):
        rules.add_words("banned", huge)
    with pytest.raises(RoomRuleError, match="at most 20000"):
        words_from_document([f"w{i}" for i in range(100_000)], "banned")
    with pytest.raises(RoomRuleError, match="at most 20000"):
        rules.import_words({"allow": huge}, kind="test")
    assert [w.word for w in rules.words("banned")] == ["最好", "顶级"]
    assert rules.word_filter().find("全场最好")[0].suggest == "很好"


def test_rules_documents_refuse_duplicate_ids() -> None:
    doc = {"rules": [{"id": "a", "match": {"contains": ["x"]}, "reply": "y"}] * 2}
    with pytest.raises(RoomRuleError, match="rule 2: id: 'a' already exists"):
        rules_from_document(doc)


def _engine(tmp_path: Path) -> Engine:
    engine = Engine(MemoryStore(), HashEmbedder(), None, settings=MatchSettings(answer_threshold=0.5, staff_threshold=0.4),
                    spool_path=str(tmp_path / "spool.jsonl"))
    engine.stage_product_id = "tee-classic"
    return engine


def test_the_engine_picks_up_edits_on_reload(db: CatalogStore, tmp_path: Path) -> None:
    rules = RoomRules(db)
    engine = _engine(tmp_path)
    engine.moderator = load_moderator(ROOT / "data/moderation.yaml")
    engine.room_rules = LiveRoomRules(rules)
    assert engine.reload_if_changed() is True  # the first read (version 0 → -1 seen)
    first = engine.process([Comment(id="c1", user="u1", text="福袋几点开", ts=0.0)])[0]
    assert first.decision.path != "rule"
    assert engine.reload_if_changed() is False  # nothing changed: no read of the rules
    lucky = {"id": "lucky", "match": {"contains": ["福袋"]}, "reply": "福袋每半小时开一次,{product}", "cooldown_s": 0}
    rules.save_rule(rule_from_dict(lucky), create=True)
    assert engine.reload_if_changed() is True
    hit = engine.process([Comment(id="c2", user="u2", text="福袋几点开", ts=1.0)])[0]
    assert hit.decision.band == ANSWER and hit.decision.path == "rule" and hit.text.startswith("福袋每半小时开一次")
    # a word list edit: the same rule's reply now carries a banned word → held for staff, never posted
    rules.add_words("banned", [WordEntry("半小时", "")])
    engine.reload_if_changed()
    held = engine.process([Comment(id="c3", user="u3", text="福袋几点开", ts=100.0)])[0]
    assert held.text is None and held.decision.band == STAFF and "半小时" in held.decision.reason
    # blocked words (moderation) edited the same way
    rules.add_words("blocked", [WordEntry("代购")])
    engine.reload_if_changed()
    assert engine.moderator.check("u4", "有代购吗", now=0.0) == "blocked word 「代购」"
    assert engine.moderator.check("u4", "刷单吗", now=0.0) is None  # the file's list was replaced by the database's
    # schedules follow; cooldowns survive a reload: u2 was answered by the rule moments ago (viewer cooldown 300 s)
    rules.save_schedule(schedule_from_dict({"id": "s", "every_min": 5, "messages": ["关注主播"]}), create=True)
    assert engine.reload_if_changed() and [s.id for s in engine.rules.schedules] == ["s"]  # type: ignore[union-attr]
    fire = engine.rules.fire  # type: ignore[union-attr]
    assert fire(room="local", user="u2", text="福袋", stage="tee-classic", now=time.monotonic()) is None
    assert fire(room="local", user="u9", text="福袋", stage="tee-classic", now=time.monotonic()) is not None


def test_a_changed_file_is_imported_again_and_replace_starts_from_the_files(db: CatalogStore, tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - {id: a, match: {contains: [x]}, reply: y}\n", encoding="utf-8")
    settings = Settings(db=str(db.engine.url), rules=str(path), banned_words="", moderation="")
    assert ensure_room_rules(db, settings) == [str(path)]
    rules = RoomRules(db)
    rules.save_rule(rule_from_dict({"id": "b", "match": {"contains": ["z"]}, "reply": "w"}), create=True)  # a console edit
    assert ensure_room_rules(db, settings) == [] and len(rules.rules()) == 2  # kept over a restart
    path.write_text("rules:\n  - {id: c, match: {contains: [x]}, reply: y}\n", encoding="utf-8")
    ensure_room_rules(db, settings)
    assert [r.spec.id for r in rules.rules()] == ["c"]  # the edited file wins at the next start
    ensure_room_rules(db, settings.with_(rules=""), replace=True)  # the demo / eval replay without --rules
    assert rules.rules() == []


def test_a_broken_rules_file_is_a_clear_error_and_imports_nothing(db: CatalogStore, tmp_path: Path) -> None:
    from bot.errors import InputFileError

    path = tmp_path / "rules.yaml"
    path.write_text("schedules:\n  - {id: s, every_min: 0, messages: [x]}\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"schedule 1: every_min: .*a schedule of 0 minutes"):
        ensure_room_rules(db, Settings(db=str(db.engine.url), rules=str(path), banned_words="", moderation=""))
    assert RoomRules(db).seeded("rules") is None


def test_the_store_on_postgresql(postgres_url: str) -> None:
    store = CatalogStore(postgres_url)
    try:
        rules = RoomRules(store)
        _, first = rules.save_rule(rule_from_dict(RULE), create=True, by="ed")
        with pytest.raises(StaleEdit):
            rules.save_rule(rule_from_dict({**RULE, "reply": "B"}), create=False, expected_version=first.edit_version - 1)
        rules.add_words("banned", [WordEntry("最好", "很好"), WordEntry("顶级")])
        with pytest.raises(RoomRuleError, match="already in the list"):
            rules.add_words("banned", [WordEntry("ＴＯＰ"), WordEntry("顶级")])
        rules.import_words({"blocked": [WordEntry("刷单")]}, kind="moderation", source="m.yaml", digest="x")
        data = rules.data()
        assert data.rules == (rule_from_dict(RULE),) and [e.word for e in data.banned] == ["最好", "顶级"]
        assert data.blocked == ("刷单",) and rules.seeded("moderation")["sha256"] == "x"  # type: ignore[index]
        assert [w.word for w in rules.words("banned", query="顶")] == ["顶级"]
    finally:
        store.close()
