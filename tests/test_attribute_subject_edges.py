"""Other things in the room read at their edges (bot/attribute_subject.py): Thai words inside longer ones ("หมา" in "เหมาะ"),
Thai ำ under NFKC ("สำหรับ"), Spanish "esta" typed for "está"; and linear time on a long comment. Pure: the demo catalog."""

from __future__ import annotations

import time

import pytest

from bot.attribute_subject import about_another_thing, subject_words
from tests.demo_view import SNAPSHOT


@pytest.mark.parametrize("text", ["เหมาะกับผิวแพ้ง่ายไหม", "ผ้าเหมาะสำหรับหน้าร้อนไหม", "เหมาหมดได้ไหม"])
def test_thai_words_inside_longer_words_are_not_things(text):
    # หมา (a dog) inside เหมาะ (suitable) and เหมา (take all): a Thai leading vowel starts the longer word
    assert "หมา" not in subject_words(text, "th")


def test_thai_place_words_with_sara_am_say_what_for():
    # สำหรับ (for) before ห้อง (a room): what for, not what (the word is spelt ํ + า once folded)
    assert "ห้อง" not in subject_words("ใส่สำหรับห้องแอร์ได้ไหม", "th")


@pytest.mark.parametrize("text", ["de que material esta hecho?", "¿esta disponible en talla M?", "la talla M estas segura?"])
def test_spanish_esta_typed_without_its_accent_is_a_verb(text):
    # "esta hecho" is "está hecho" (it is made): no noun after a determiner
    assert subject_words(text, "es") == ()
    assert not about_another_thing(text, "es", "tee-classic", SNAPSHOT)


@pytest.mark.parametrize("lang,unit", [("es", "la camisa con la luz tu micro "), ("id", "mic di kamar "),
                                       ("th", "ไมค์ในห้อง")])
def test_long_comments_cost_linear_time(lang, unit):
    # each thing found looked back over the whole comment before it: 16,000 characters took over a second
    def cost(n: int) -> float:
        text = unit * (n // len(unit))
        start = time.perf_counter()
        subject_words(text, lang)
        return time.perf_counter() - start

    cost(500)
    assert cost(16000) < 0.15
