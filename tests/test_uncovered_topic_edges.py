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


@pytest.mark.parametrize("text,topic", [
    ("유모차 바퀴 잘 나가요?", "best seller"),  # do the wheels roll well: 잘 나가 sells well only without a thing that rolls
    ("바퀴가 잘 나가나요", "best seller"),
    ("dana kembali kalau barang rusak?", "e-wallet"),  # a refund, not the DANA wallet
    ("bisa pengembalian dana kak?", "e-wallet"),
    ("pake pin apa kak", "battery"),  # Indonesian "pin" is a pin, a battery only in Vietnamese
    ("pin nya berapa kak", "battery"),
    ("is it manual or automatic?", "manual"),  # how it works, not a manual in the box
    ("¿es manual o automático?", "manual"),
])
def test_words_that_mean_something_else_there_are_not_the_topic(text, topic):
    assert topic not in named_topics(text)


@pytest.mark.parametrize("text,topic", [
    ("이거 잘 나가요?", "best seller"),
    ("제일 잘 나가는 색이 뭐예요", "best seller"),
    ("bisa bayar pakai dana?", "e-wallet"),
    ("co can pin ko shop", "battery"),
    ("có kèm pin không", "battery"),
    ("does it come with a manual?", "manual"),
])
def test_the_topic_is_still_read_beside_them(text, topic):
    assert topic in named_topics(text)
