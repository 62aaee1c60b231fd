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
    # each thing found looked back over the whole comment before it: 16,000 characters of Spanish took 1.2 s
    def cost(n: int) -> float:  # this thread's CPU time (not the wall clock), best of five: a busy box does not decide
        text = unit * (n // len(unit))
        best = float("inf")
        for _ in range(5):
            start = time.thread_time()
            subject_words(text, lang)
            best = min(best, time.thread_time() - start)
        return best

    # eight times the text: linear is about eight times the cost; the look-backs over the whole comment made it ~30-60
    assert cost(32000) < 24 * cost(4000)


@pytest.mark.parametrize("text,lang", [
    ("chat lieu tuong tu ao kia khong", "vi"),  # tương tự (similar), not tường (a wall) typed without marks
    ("tu crees que la tela es buena?", "es"),  # tú (you) typed without its accent, then a verb
    ("携帯しやすいですか", "ja"),  # easy to carry, not a phone
])
def test_ordinary_words_are_not_another_thing(text, lang):
    assert subject_words(text, lang) == ()
    assert not about_another_thing(text, lang, "tee-classic", SNAPSHOT)


@pytest.mark.parametrize("text,lang,word", [
    ("tường phía sau màu gì vậy", "vi", "tường"), ("tu micrófono de qué material es", "es", "micrófono"),
    ("携帯の機種は何ですか", "ja", "携帯"),
])
def test_other_things_are_still_read(text, lang, word):
    assert word in subject_words(text, lang)


@pytest.mark.parametrize("text,stage", [
    ("¿tu chaqueta de qué tela es?", "tee-classic"),  # the host's jacket, not the tee on stage
    ("¿de qué material es su chaqueta?", "tee-classic"),
    ("¿de qué tela es tu camiseta?", "down-jacket"),
    ("tus zapatillas de qué son?", "tee-classic"),
    ("¿tus pulseras de qué son?", "tee-classic"),
])
def test_the_hosts_own_garment_is_another_thing(text, stage):
    assert about_another_thing(text, "es", stage, SNAPSHOT)


@pytest.mark.parametrize("text,stage", [
    ("¿tu camiseta de qué tela es?", "tee-classic"),  # the tee the host shows: its own words say "camiseta"
    ("¿tu chaqueta de qué tela es?", "down-jacket"),
    ("¿la camiseta es de puro algodón?", "tee-classic"),
    ("tus zapatillas de qué son?", "running-shoes"),
])
def test_the_garment_on_stage_is_the_goods(text, stage):
    assert not about_another_thing(text, "es", stage, SNAPSHOT)
