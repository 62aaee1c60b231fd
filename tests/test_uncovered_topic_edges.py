"""Topic words read at their edges (bot/uncovered_topic.py): Thai words run together ("ตัวที่อยู่บนราว" is not an address),
Vietnamese typed without marks ("ui" is an exclamation, "ủi" to iron), "売れ" in "sold out yet"; and Thai ำ, which NFKC
spells ํ + า. Pure functions of the text."""

from __future__ import annotations

import pytest

from bot.uncovered_topic import named_topics

NO_TOPIC = [
    "ตัวที่อยู่บนราวมีไซส์ M ไหม",  # "the one (that is) on the rack": ที่ + อยู่, not ที่อยู่ (an address)
    "สีที่อยู่ในไลฟ์มีกี่สี",
    "ui đẹp quá còn size M không",  # "ui": an exclamation, not ủi (to iron) typed without its mark
    "ui xinh quá chị ơi, giá bao nhiêu",
    "Mサイズはもう売れちゃいましたか",  # sold out yet: stock, not the best seller
    "黒はもう売れましたか",
]


@pytest.mark.parametrize("text", NO_TOPIC)
def test_ordinary_questions_name_no_topic(text):
    assert named_topics(text) == frozenset()


TOPIC = [
    ("ไม่มีน้ำตาลใช่ไหม", "diabetes"),  # ำ: NFKC spells it ํ + า
    ("เปลี่ยนที่อยู่จัดส่งได้ไหม", "address"),
    ("áo này ủi được không", "ironing"),
    ("ao nay ui duoc khong", "ironing"),
    ("có cần là ủi không", "ironing"),
    ("一番売れてる色はどれ", "best seller"),
    ("どの色が売れ筋ですか", "best seller"),
]


@pytest.mark.parametrize("text,topic", TOPIC)
def test_topics_are_still_read(text, topic):
    assert topic in named_topics(text)


@pytest.mark.parametrize("text,topic", [
    ("codได้ไหม", "cash on delivery"),  # Thai, Han, kana and hangul are word characters to \b
    ("ส่งcodได้มั้ยคะ", "cash on delivery"),
    ("能cod吗", "cash on delivery"),
    ("ＣＯＤ可以吗", "cash on delivery"),
    ("COD対応してますか", "cash on delivery"),
    ("cod가능한가요", "cash on delivery"),
    ("dishwasher에 넣어도 돼요?", "dishwasher"),
    ("有warranty吗", "warranty"),
])
def test_latin_words_glued_to_other_scripts_are_read(text, topic):
    assert topic in named_topics(text)


@pytest.mark.parametrize("text", ["codigo de descuento?", "encode", "pinky", "uniform"])
def test_latin_words_inside_longer_latin_words_are_not(text):
    assert named_topics(text) == frozenset()
