"""What the host has on right now — the lipstick shade on her lips, the colour she is wearing — is a question about a
person, not the stock (bot/guards.asks_about_person): "kakak lagi pake warna apa?" got the lipstick's colours left.
The verbs of make-up (涂, 塗る / つける, 바르다, ทา, tô / đánh, pakai, llevar puesto) and a "now" between the host word
and the verb (lagi, đang, 今, 지금, อยู่) are read in the eight room languages.

Pure: the demo catalog, no model, no database. The sentences are written for these tests, not taken from any log."""

from __future__ import annotations

import pytest

from bot.guards import PERSON, asks_about_person
from bot.pipeline import ANSWER, STAFF
from tests.demo_view import final_decision

HOST_WEARING = [
    ("主播涂的是哪个色号呀", "zh"),
    ("小姐姐嘴上涂的什么颜色", "zh"),
    ("お姉さん今塗ってるのは何色？", "ja"),
    ("配信者さんがつけてるリップは何番ですか", "ja"),
    ("언니 지금 바르신 거 무슨 색이에요?", "ko"),
    ("언니가 바른 립 몇 호예요?", "ko"),
    ("พี่ทาสีอะไรอยู่คะ", "th"),
    ("แม่ค้าทาเบอร์ไหนคะ", "th"),
    ("chị đang tô son màu gì thế", "vi"),
    ("chi dang danh son so may vay", "vi"),
    ("kak lagi pake lipstik warna apa sih", "id"),
    ("kakak sekarang pake shade apa", "id"),
    ("qué labial llevas puesto?", "es"),
    ("¿qué color traes puesto hoy?", "es"),
]


@pytest.mark.parametrize("text,lang", HOST_WEARING)
def test_what_the_host_has_on_is_a_person_question(text, lang):
    assert asks_about_person(text)


@pytest.mark.parametrize("text,lang", HOST_WEARING)
def test_what_the_host_has_on_is_not_answered_with_the_stock(text, lang):
    d = final_decision(text, "lipstick-velvet", band=ANSWER, faq_id="colours-in-stock", lang=lang)
    assert d.band == STAFF and d.reason == PERSON, (d.band, d.qtype, d.reason)


# the product's own questions, worded with the same verbs or forms of address: not a person
PRODUCT = [
    "口红涂了会拔干吗",
    "これ塗ってもマスクにつかない？",
    "언니 이거 바르면 건조해요?",
    "พี่คะ ทาแล้วติดทนไหม",
    "chị ơi son này tô lên có khô môi không",
    "shop đang dùng bên ship nào vậy",
    "kak ada warna apa aja",
    "kak lagi ada promo ga",
    "qué colores tienen puestos en oferta?",
]


@pytest.mark.parametrize("text", PRODUCT)
def test_the_products_own_questions_are_not_about_a_person(text):
    assert not asks_about_person(text)
