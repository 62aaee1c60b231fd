"""The viewer's language: identified per room (bot/langid.py) and answered by the room's fallback policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import reply_language
from bot.messages import Comment
from bot.pipeline import CatalogView, MatchSettings, understand
from catalog.snapshot import CatalogSnapshot
from tests.factories import demo_catalog

ROOT = Path(__file__).resolve().parents[1]
DATA = demo_catalog()
VIEW = CatalogView.build(CatalogSnapshot(version=1, products={p.id: p for p in DATA.products}, faqs={f.id: f for f in DATA.faqs}))
ROOM = ("zh", "en", "ja", "ko", "th", "vi", "id", "es")


@pytest.mark.parametrize(
    ("text", "lang"),
    [("这个多少钱", "zh"), ("how much is it", "en"), ("いくらですか", "ja"), ("얼마예요?", "ko"), ("ราคาเท่าไหร่คะ", "th"),
     ("giá bao nhiêu vậy shop", "vi"), ("berapa harganya kak", "id"), ("¿cuánto cuesta?", "es"), ("有XL码吗", "zh")],
)
def test_room_languages_are_identified(text, lang):
    settings = MatchSettings(room_languages=ROOM)
    assert understand(Comment(id="c", user="u", text=text, ts=0.0), VIEW, None, settings).lang == lang


def test_a_zh_en_room_keeps_the_script_rule():
    settings = MatchSettings()
    assert understand(Comment(id="c", user="u", text="いくらですか", ts=0.0), VIEW, None, settings).lang in {"zh", "en"}


def test_the_platform_hint_wins_when_it_is_a_room_language():
    settings = MatchSettings(room_languages=ROOM)
    assert understand(Comment(id="c", user="u", text="ok", ts=0.0, lang="vi"), VIEW, None, settings).lang == "vi"


@pytest.mark.parametrize(
    ("policy", "viewer", "expected"),
    [("en", "ja", "en"), ("main", "ja", "zh"), ("staff", "ja", None), ("en", "zh", "zh"), ("staff", "en", "en")],
)
def test_fallback_policy(policy, viewer, expected):
    settings = MatchSettings(lang_fallback=policy, default_lang="zh")
    assert reply_language(viewer, {"zh", "en"}, settings) == expected
