"""The outbound word filter: refused when a template is saved, held for staff when a reply would still carry one."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.messages import Comment
from bot.pipeline import STAFF, MatchSettings
from catalog.io import CatalogFileError, check_banned_words, load_catalog_file
from catalog.wordfilter import WordFilter, WordFilterError, load_word_filter
from models.intents import IntentModel, load_intents
from tests.fast.fakes import ROOT, HashEmbedder, MemoryStore

FILTER = load_word_filter(ROOT / "data/banned_words.yaml")


def test_finds_listed_words_with_position_and_suggestion():
    found = FILTER.find("这款是全网最低价")
    assert [b.word for b in found][:1] == ["全网最低"] and found[0].position == 3 and found[0].suggest == "直播间优惠"
    assert "可改为「直播间优惠」" in found[0].describe()


def test_allowed_phrases_and_specs_are_not_violations():
    assert FILTER.find("补货后主播会第一时间通知大家") == []
    assert FILTER.find("最大承重25公斤") == []  # a bare 最 is a spec, not a claim
    assert [b.word for b in FILTER.find("销量第一")] == ["销量第一", "第一"]


def test_every_attribute_text_of_the_demo_catalog_can_be_said():
    """Structured answers quote attribute texts as written: one the filter holds is never said ("第一周" is a week)."""
    data = load_catalog_file(ROOT / "data/catalog.yaml")
    held = [(p.id, key, lang, b.word) for p in data.products for key, texts in p.attributes.items()
            for lang, text in texts.items() for b in FILTER.find(text)]
    assert held == []
    assert FILTER.find("第一周建议隔天用") == [] and "第一" in [b.word for b in FILTER.find("本周销量第一")]


def test_width_and_case_do_not_hide_a_word():
    assert FILTER.find("NUMBER ONE choice") and FILTER.find("ｎｕｍｂｅｒ ｏｎｅ")


def test_a_template_with_a_banned_word_is_refused_on_import(tmp_path):
    text = (ROOT / "data/catalog.yaml").read_text(encoding="utf-8").replace("直播间到手价", "全网最低,直播间到手价", 1)
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    data = load_catalog_file(path)
    with pytest.raises(CatalogFileError, match=r"catalog.yaml:\d+: FAQ '[a-z-]+' answer \(zh\): 含违禁词「全网最低」"):
        check_banned_words(data, FILTER)


def test_a_product_name_with_a_banned_word_is_held_at_send_time(tmp_path):
    original = (ROOT / "data/catalog.yaml").read_text(encoding="utf-8")
    text = original.replace("name: {zh: 轻便婴儿推车A1,", "name: {zh: 销量第一婴儿推车A1,", 1)
    assert text != original, "the demo catalog's stroller name line changed: update this test"
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    embedder = HashEmbedder()
    engine = Engine(
        MemoryStore(path), embedder, IntentModel.fit(load_intents(ROOT / "data/intents.yaml"), embedder.encode),
        settings=MatchSettings(answer_threshold=0.5, staff_threshold=0.4), spool_path=str(tmp_path / "spool.jsonl"),
    )
    engine.stage_product_id = "stroller-a1"
    engine.word_filter = FILTER
    outcome = engine.process([Comment(id="c1", user="u", text="推车多重", ts=0.0)])[0]
    assert outcome.text is None and outcome.decision.band == STAFF
    assert outcome.decision.reason.startswith("held: banned word 「销量第一」 at character ")  # English, as every reason
    engine.word_filter = None
    assert engine.process([Comment(id="c2", user="u", text="推车多重", ts=1.0)])[0].text  # the same answer, unfiltered


@pytest.mark.parametrize(
    ("content", "message"),
    [("words: 3", "expected 'words:'"), ("words: [{suggest: x}]", "needs a non-empty 'word'"), ("[", "not valid YAML"),
     ("words:\n" + "".join(f"  - w{i}\n" for i in range(20_001)), "at most 20000")],
)
def test_a_broken_word_list_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "words.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(WordFilterError, match=message):
        load_word_filter(path)


def test_an_empty_filter_finds_nothing():
    assert WordFilter().find("最好") == []
