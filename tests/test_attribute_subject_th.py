"""The subject of a Thai attribute question (issue 15): Thai runs its words together, so the comment is split into the
words of a closed lexicon (bot/thai_segment.py) and the noun that opens the attribute word's clause is read
(bot/attribute_subject.py). Another thing in the room → staff; the stage product's own attribute → still answered; a
short word across two words is not read. Pure: the demo catalog, the decision checks, no model, no database."""

from __future__ import annotations

import pytest

from bot.attribute_subject import about_another_thing, subject_words
from bot.pipeline import ANSWER, STAFF, Decision
from bot.thai_segment import UNKNOWN, Lexicon, at_word_edges, segment
from tests.demo_view import SNAPSHOT, room_decision

OWN_FAQ = {"tee-classic": "tee-fabric", "stroller-a1": "stroller-weight", "running-shoes": "shoes-weight",
           "thermos-316": "thermos-material"}


def _decide(text: str, stage: str, *, faq: bool) -> tuple[Decision, str]:
    """The final decision for ``text`` with ``stage`` on stage in an eight-language room: the structured reading
    (``faq`` False) or the stage product's own FAQ (``faq`` True)."""
    return room_decision(text, stage, OWN_FAQ[stage] if faq else None)


# things none of the former Thai words named: read where they open the clause, or after ของ
ANOTHER_THING = [
    ("จานบนโต๊ะทำจากอะไรคะ", "tee-classic"),  # a plate (a thing of the list), on the table
    ("กระจกข้างหลังพี่วัสดุอะไรครับ", "tee-classic"),  # the mirror behind the host
    ("หม้อทอดไร้น้ำมันข้างหลังหนักกี่โลคะ", "stroller-a1"),  # an air fryer (no list names it): a place goes on after it
    ("เครื่องปั่นของพี่ทำจากอะไรจ๊ะ", "tee-classic"),  # a blender (no list names it): the host's
    ("สกู๊ตเตอร์หนักเท่าไหร่คะ", "stroller-a1"),  # a scooter, not the stroller
    ("แก้วนี้ทำจากอะไรคะ", "tee-classic"),  # a glass with the tee on stage
]


@pytest.mark.parametrize("text, stage", ANOTHER_THING)
def test_a_thai_attribute_of_another_thing_goes_to_staff(text, stage):
    assert about_another_thing(text, "th", stage, SNAPSHOT)
    for faq in (False, True):  # the structured reading, and the stage product's own FAQ matched
        d, lang = _decide(text, stage, faq=faq)
        assert lang == "th"
        assert d.band == STAFF and "attribute" in d.reason, (faq, d)


@pytest.mark.parametrize("text, words", [
    ("วัสดุของโคมระย้าคืออะไรคะ", ("โคมระย้า",)),  # after the attribute word and ของ: a chandelier
    ("ร่มคัน สีเหลือง ข้างหลังพี่ ผ้าอะไรคะ", ("ร่ม",)),  # phrases apart: the one with a noun
    ("แก้ว ที่พี่ถืออยู่ ทำจากอะไรคะ", ("แก้ว",)),  # a "ที่ …" clause goes with the noun before it
    ("ที่วางแก้วทำจากอะไรคะ", ()),  # ที่ + a verb makes a noun: the stroller's cup holder, not a glass
    ("หมอนข้างหลังผ้าอะไรคะ", ("หมอน",)),  # a word of the former list, read anywhere as before
])
def test_thai_subject_words(text, words):
    assert subject_words(text, "th", SNAPSHOT) == words


OWN_ATTRIBUTE = [
    ("เสื้อยืดตัวนี้เนื้อผ้าเป็นยังไงคะ", "tee-classic"),
    ("แม่ค้าคะ ตัวนี้ผ้าอะไรคะ", "tee-classic"),
    ("ตัวที่พี่ถืออยู่ผ้าอะไรคะ", "tee-classic"),  # the one the host holds up: a classifier, the goods
    ("สีขาวที่พี่ถือบางไหมคะ", "tee-classic"),  # a colour of the tee (its Thai variant label)
    ("ผ้าเสื้อทำจากอะไรคะ", "tee-classic"),
    ("หลังคารถทำจากอะไรคะ", "stroller-a1"),  # the canopy: a part of a stroller (หลังคา, not หลัง + คา)
    ("ตะกร้าใต้รถรับน้ำหนักได้กี่โลคะ", "stroller-a1"),  # a basket is a thing, but the stroller's own part
    ("สีเทาหมอกหนักกี่กิโลคะ", "stroller-a1"),  # the catalog's Thai colour name
    ("รองเท้าคู่นี้หนักไหมคะ", "running-shoes"),
    ("แก้วนี้ทำจากอะไรคะ", "thermos-316"),  # a glass, and the catalog calls the thermos 保温杯 / 水杯
    # a noun no list knows, and no noun phrase goes on after it: a part of the goods as likely as another thing
    ("ลายสกรีนทำจากอะไรคะ", "tee-classic"),  # the print
    ("ฝาทำจากอะไรคะ", "thermos-316"),  # the lid
]


@pytest.mark.parametrize("text, stage", OWN_ATTRIBUTE)
def test_the_stage_products_own_thai_attribute_is_still_answered(text, stage):
    assert not about_another_thing(text, "th", stage, SNAPSHOT)
    d, lang = _decide(text, stage, faq=True)
    assert lang == "th" and d.band == ANSWER and d.product_id == stage, d


def test_a_thai_word_of_the_shade_in_a_care_question_is_no_umbrella():
    # ที่ร่ม (the shade) holds ร่ม (an umbrella); the care text of the tee says ตากในที่ร่ม, which does not make an
    # umbrella the tee's own either
    assert not about_another_thing("ซักแล้วตากในที่ร่มได้ไหมคะ", "th", "tee-classic", SNAPSHOT)
    assert about_another_thing("ร่มข้างหลังทำจากอะไรคะ", "th", "tee-classic", SNAPSHOT)


@pytest.mark.parametrize("text", ["ผ้าพันคอมีกี่สีคะ", "ผ้าพันคอมั้ยคะ", "ผ้าพันคอม่วงหนาไหมคะ"])
def test_a_short_thai_word_across_two_words_is_not_read(text):
    # ผ้าพันคอ + มี / มั้ย / ม่วง: "คอม" (a computer) would end before a vowel or tone mark of the next word
    assert "คอม" not in subject_words(text, "th", SNAPSHOT)
    assert not about_another_thing(text, "th", "scarf-cashmere", SNAPSHOT)


def test_a_thai_word_starts_and_ends_only_where_words_may():
    assert not at_word_edges("ผ้าพันคอมี", "คอม")  # before the ี of มี
    assert not at_word_edges("เหมาะมาก", "หมา")  # after the leading เ of เหมาะ
    assert at_word_edges("คอมของพี่", "คอม")
    assert at_word_edges("รถเข็นเด็กน้ำหนักเบา", "รถเข็น")


def test_the_split_leaving_fewest_letters_unknown_wins():
    lexicon = Lexicon.build({"กาต้มน้ำ": "thing", "น้ำหนักเท่าไหร่": "ask", "หนักเท่าไหร่": "ask", "คุณ": "person",
                             "คุณภาพ": "stop", "ภาพ": "thing"})
    # "กาต้ม|น้ำหนักเท่าไหร่" leaves กาต้ม unknown; "กาต้มน้ำ|หนักเท่าไหร่" leaves nothing
    assert segment("กาต้มน้ำหนักเท่าไหร่", lexicon) == [("กาต้มน้ำ", "thing"), ("หนักเท่าไหร่", "ask")]
    # then the fewest words: คุณภาพ, not คุณ + ภาพ (a picture)
    assert segment("คุณภาพดี", lexicon) == [("คุณภาพ", "stop"), ("ดี", UNKNOWN)]
    assert segment("ไมค์ 2 ตัว", lexicon) == [("ไมค์", UNKNOWN), (" 2 ", " "), ("ตัว", UNKNOWN)]
