"""An attribute question about something else than the stage product, in es, vi, id, ja, ko and th (issue 15): the
host's mic, the curtains, a pet → staff; the stage product's own attribute, asked as viewers ask it → still answered.
Pure: the demo catalog, the decision checks (bot/answer_checks.py), the language identifier of an eight-language room;
no model, no database."""

from __future__ import annotations

import pytest

from bot.attribute_subject import about_another_thing, host_wears, subject_words
from bot.pipeline import ANSWER, STAFF, Decision
from tests.demo_view import SNAPSHOT, room_decision

OWN_FAQ = {"tee-classic": "tee-fabric", "stroller-a1": "stroller-weight", "running-shoes": "shoes-weight",
           "down-jacket": "dj-warmth"}


def _decide(text: str, stage: str, *, faq: bool) -> tuple[Decision, str]:
    """The final decision for ``text`` with ``stage`` on stage in an eight-language room: the structured reading
    (``faq`` False) or the stage product's own FAQ (``faq`` True)."""
    return room_decision(text, stage, OWN_FAQ[stage] if faq else None)


OTHER_THINGS = [
    ("¿de qué está hecho tu micrófono?", "tee-classic", "es"),
    ("¿qué tela tienen las cortinas?", "tee-classic", "es"),
    ("¿cuánto pesa tu gato?", "stroller-a1", "es"),
    ("đèn phía sau làm bằng gì vậy", "tee-classic", "vi"),
    ("ốp lưng điện thoại chất liệu gì thế", "tee-classic", "vi"),
    ("con mèo nặng bao nhiêu vậy", "stroller-a1", "vi"),
    ("karpet di belakang bahannya apa kak", "tee-classic", "id"),
    ("kamera kakak beratnya berapa", "running-shoes", "id"),
    ("カメラの素材は何ですか", "tee-classic", "ja"),
    ("ソファーは何でできてますか", "tee-classic", "ja"),
    ("猫ちゃんの重さは？", "stroller-a1", "ja"),
    ("카메라 재질이 뭐예요?", "tee-classic", "ko"),
    ("커튼 소재 뭐예요", "tee-classic", "ko"),
    ("강아지 무게 몇 키로예요?", "stroller-a1", "ko"),
    ("โต๊ะทำจากอะไรคะ", "tee-classic", "th"),
    ("หูฟังวัสดุอะไรครับ", "tee-classic", "th"),
    ("แมวหนักเท่าไหร่คะ", "stroller-a1", "th"),
]


@pytest.mark.parametrize("text, stage, lang", OTHER_THINGS)
def test_an_attribute_of_another_thing_goes_to_staff(text, stage, lang):
    for faq in (False, True):  # the structured reading, and the stage product's own FAQ matched
        d, detected = _decide(text, stage, faq=faq)
        assert detected == lang
        assert d.band == STAFF and "attribute" in d.reason, (faq, d)


@pytest.mark.parametrize("text, stage, lang", [
    ("¿de qué tela es el vestido que llevas puesto?", "tee-classic", "es"),
    ("áo chị đang mặc chất liệu gì vậy", "tee-classic", "vi"),
    ("jaket yg kakak pake bahannya apa", "tee-classic", "id"),
])
def test_what_the_host_is_wearing_goes_to_staff(text, stage, lang):
    d, detected = _decide(text, stage, faq=True)
    # either reading may say why: the attribute of another thing, or (guards.asks_about_person: a wearing verb + "now")
    # a question about the host as a person; both hand the comment to staff
    assert detected == lang and d.band == STAFF and ("attribute" in d.reason or "person (the host)" in d.reason)


OWN = [
    ("es de algodón?", "tee-classic", "es"),
    ("¿de qué material es la camiseta negra?", "tee-classic", "es"),
    ("¿la tela de tu camiseta es gruesa?", "tee-classic", "es"),
    ("¿se transparenta con la luz?", "tee-classic", "es"),
    ("¿cuánto pesa el cochecito?", "stroller-a1", "es"),
    ("chất liệu gì vậy", "tee-classic", "vi"),
    ("vải áo này là gì vậy shop", "tee-classic", "vi"),
    ("xe này nặng bao nhiêu ký", "stroller-a1", "vi"),
    ("bahannya apa", "tee-classic", "id"),
    ("kaos hitam bahannya apa kak", "tee-classic", "id"),
    ("sepatu ini beratnya berapa", "running-shoes", "id"),
    ("素材は何ですか", "tee-classic", "ja"),
    ("黒の生地の素材は？", "tee-classic", "ja"),
    ("照明で透けますか", "tee-classic", "ja"),
    ("소재가 뭐예요", "tee-classic", "ko"),
    ("방수 소재예요?", "down-jacket", "ko"),
    ("신발 무게 얼마나 돼요?", "running-shoes", "ko"),
    ("ผ้าอะไร", "tee-classic", "th"),
    ("เสื้อสีดำผ้าอะไรคะ", "tee-classic", "th"),
    ("รองเท้าหนักเท่าไหร่คะ", "running-shoes", "th"),
]


@pytest.mark.parametrize("text, stage, lang", OWN)
def test_the_stage_products_own_attribute_is_still_answered(text, stage, lang):
    d, detected = _decide(text, stage, faq=True)
    assert d.band == ANSWER and d.product_id == stage, d
    assert not about_another_thing(text, detected, stage, SNAPSHOT)


@pytest.mark.parametrize("text, lang, words", [
    ("¿de qué material es tu micrófono?", "es", ("micrófono",)),
    ("tu silla de qué material es", "es", ("silla",)),
    ("¿la tela de tu camiseta es gruesa?", "es", ("camiseta",)),  # the product's kind: _own decides
    ("¿se transparenta con la luz?", "es", ()),  # what under, not what
    ("de qué material son las camisetas de tu tienda", "es", ("camisetas",)),  # the shop is not a thing in the room
    ("¿de qué material es la botella?", "es", ("botella",)),  # an article introduces a noun, as in English
    ("si no me queda la puedo devolver", "es", ()),  # "la" before a verb is a pronoun
    ("¿se encoge si la meto a la secadora?", "es", ()),  # a pronoun after "si": "meto" is a verb
    ("kursinya kakak terbuat dari apa", "id", ("kursi",)),
    ("cocok buat hp gak", "id", ()),
    ("ghế sofa sau lưng chị chất liệu gì", "vi", ("ghế sofa",)),
    ("マイクの素材は何ですか", "ja", ("マイク",)),
    ("照明で透けますか", "ja", ()),
    ("クラウドライトの重さは", "ja", ("クラウドライト",)),  # the topic (the shoes' name), not ライト inside it
    ("마이크가 무거워요?", "ko", ("마이크",)),
    ("방수 돼요?", "ko", ()),  # 방수 (waterproof) is not 방 (a room)
    ("조명에서 비쳐요?", "ko", ()),
    ("ไฟทำจากอะไร", "th", ("ไฟ",)),
    ("ไฟฟ้าสถิตไหม", "th", ()),  # ไฟฟ้า (electricity) is not ไฟ (a light)
    ("มีความหมายว่าอะไร", "th", ()),
    ("what is your mic made of", "en", ()),  # zh and en: bot/slots.py reads them
    ("麦克风什么材质", "zh", ()),
])
def test_subject_words(text, lang, words):
    assert subject_words(text, lang) == words


def test_what_the_host_wears_is_read_in_each_language():
    assert host_wears("váy chị đang mặc chất liệu gì", "vi")
    assert host_wears("baju yang kak pakai bahannya apa", "id")
    assert host_wears("着てる服の素材は？", "ja")
    assert host_wears("언니 입은 옷 소재 뭐예요", "ko")
    assert host_wears("เสื้อที่พี่ใส่ผ้าอะไร", "th")
    assert not host_wears("áo này mặc có nóng không", "vi")
    assert not host_wears("kaos ini bahannya apa", "id")


def test_a_word_for_another_thing_is_the_products_own_when_its_words_use_it():
    # the stroller's own words name its seat ("asiento", "dudukan", "ghế lưới"): asked of the stroller, not a chair
    assert not about_another_thing("kursinya bisa rebah?", "id", "stroller-a1", SNAPSHOT)
    assert about_another_thing("kursinya kakak terbuat dari apa", "id", "tee-classic", SNAPSHOT)


def test_a_spanish_plural_and_a_vietnamese_word_with_its_marks_are_read_as_such():
    assert not about_another_thing("de qué material son las camisetas de tu tienda", "es", "tee-classic", SNAPSHOT)
    # "đèn" (a lamp) is not "đen" (black, one of the tee's colours): typed with its marks, a word is that word
    assert about_another_thing("đèn phía sau làm bằng gì vậy", "vi", "tee-classic", SNAPSHOT)
    assert not about_another_thing("den chat lieu gi", "vi", "tee-classic", SNAPSHOT)


def test_chinese_and_english_are_left_to_their_own_reading():
    assert not about_another_thing("what is your mic made of", "en", "tee-classic", SNAPSHOT)
    assert not about_another_thing("麦克风什么材质", "zh", "tee-classic", SNAPSHOT)


@pytest.mark.parametrize("text, lang", [
    ("tóc chị màu gì vậy", "vi"), ("髪の色は何色ですか", "ja"), ("머리카락 무슨 색이에요", "ko"), ("สีผมพี่สีอะไรคะ", "th"),
])
def test_the_colour_of_the_hosts_hair_is_not_the_colours_in_stock(text, lang):
    d, detected = _decide(text, "tee-classic", faq=False)
    assert detected == lang and d.band == STAFF and d.path != "structured", d


@pytest.mark.parametrize("text", ["áo này có màu gì vậy shop", "kaos ini ada warna apa aja", "何色がありますか"])
def test_the_colours_in_stock_are_still_answered(text):
    d, _ = _decide(text, "tee-classic", faq=False)
    assert d.band == ANSWER and d.path == "structured" and d.qtype == "which"


def test_a_short_thai_word_across_two_words_is_not_read():
    assert subject_words("ผ้าพันคอมีกี่สีคะ", "th") == ()  # ผ้าพันคอ + มี, not คอม (a computer)


@pytest.mark.parametrize("text", ["chị mặc size gì vậy", "配信者さんが着てるのは何サイズ？"])
def test_the_hosts_size_keeps_the_person_reason(text):
    from bot.guards import PERSON

    d, _ = _decide(text, "tee-classic", faq=False)
    assert d.band == STAFF and d.reason == PERSON


@pytest.mark.parametrize("text, lang, words", [
    ("窓際の花瓶の素材は？", "ja", ("花瓶",)),  # the topic before the attribute word
    ("綿素材ですか", "ja", ()),  # no particle: "is it a cotton material"
    ("黒いほうの素材は何ですか", "ja", ()),
    ("화분 재질이 뭐예요?", "ko", ("화분",)),
    ("방수 소재예요?", "ko", ()),  # the predicate: "is it a waterproof material"
    ("면 100% 소재인가요?", "ko", ()),
    ("잉글레시나보다 가벼워요?", "ko", ()),  # a comparison, with an adjective
    ("유모차 자체 무게는 얼마예요?", "ko", ()),  # the stroller itself: 자체 is no thing
])
def test_the_topic_of_a_japanese_or_korean_attribute_question(text, lang, words):
    assert subject_words(text, lang) == words


@pytest.mark.parametrize("text, stage", [
    ("¿tus pulseras de qué son?", "tee-classic"),  # "de qué son": what they are made of, asked of the host's bracelets
    ("¿tu chaqueta de qué tela es?", "tee-classic"),  # the host's jacket: the tee's fabric does not answer it
])
def test_the_hosts_own_things_in_spanish_go_to_staff(text, stage):
    for faq in (False, True):  # the structured reading (it left "de qué son" silent), and the tee's own FAQ matched
        d, detected = _decide(text, stage, faq=faq)
        assert detected == "es" and d.band == STAFF and "attribute" in d.reason, (faq, d)


def test_the_hosts_tee_with_the_tee_on_stage_is_answered():
    # the host shows the tee on sale by wearing it: "tu camiseta" is the goods
    d, _ = _decide("¿tu camiseta de qué tela es?", "tee-classic", faq=True)
    assert d.band == ANSWER and d.product_id == "tee-classic", d


# Vietnamese and Indonesian: the noun phrase right before the attribute word or right after it ("chất liệu của …",
# "bahan dari … apa"), when it is not the product's, its kind's, a colour, an attribute, a question word or a filler.
@pytest.mark.parametrize("text, stage, lang", [
    ("cái bình hoa chất liệu gì", "tee-classic", "vi"),
    ("móc khóa của chị làm bằng gì vậy", "tee-classic", "vi"),
    ("chất liệu của cái tủ gỗ là gì", "tee-classic", "vi"),
    ("cái va li phía sau nặng bao nhiêu", "stroller-a1", "vi"),
    ("mugnya bahannya apa", "tee-classic", "id"),
    ("bahan jam tangan kakak apa", "tee-classic", "id"),
    ("bahan dari lemari itu apa", "tee-classic", "id"),
    ("koper di belakang beratnya berapa", "stroller-a1", "id"),
])
def test_an_unlisted_thing_before_or_after_the_attribute_word_goes_to_staff(text, stage, lang):
    d, detected = _decide(text, stage, faq=True)
    assert detected == lang
    assert d.band == STAFF and "attribute" in d.reason, d


@pytest.mark.parametrize("text, stage, lang", [
    ("áo thun trắng chất liệu gì vậy shop", "tee-classic", "vi"),
    ("chất liệu của áo này là gì ạ", "tee-classic", "vi"),
    ("cho em hỏi chất liệu gì vậy", "tee-classic", "vi"),
    ("shop ơi làm bằng gì vậy", "tee-classic", "vi"),
    ("xe đẩy này nặng bao nhiêu vậy", "stroller-a1", "vi"),
    ("kaos hitam ini bahannya apa kak", "tee-classic", "id"),
    ("bahan kaosnya apa ya", "tee-classic", "id"),
    ("kak bahannya apa ya", "tee-classic", "id"),
    ("bahan dari kaos ini apa kak", "tee-classic", "id"),
    ("strollernya beratnya berapa kak", "stroller-a1", "id"),
])
def test_the_stage_products_own_attribute_in_vietnamese_and_indonesian_is_still_read_as_its_own(text, stage, lang):
    assert not about_another_thing(text, lang, stage, SNAPSHOT)


@pytest.mark.parametrize("text, lang, words", [
    ("cái đồng hồ chất liệu gì", "vi", ("đồng hồ",)),
    ("vỏ đồng hồ của chị làm bằng gì", "vi", ("vỏ đồng hồ",)),
    ("chất liệu của cái tủ gỗ là gì", "vi", ("tủ gỗ",)),
    ("cho em hỏi chất liệu gì vậy", "vi", ()),
    ("jamnya bahannya apa", "id", ("jam",)),
    ("bahan tas kakak apa", "id", ("tas",)),
    ("selimut di belakang bahannya apa kak", "id", ("selimut",)),
    ("kak bahannya apa ya", "id", ()),
])
def test_the_noun_phrase_of_a_vietnamese_or_indonesian_attribute_question(text, lang, words):
    assert subject_words(text, lang) == words


@pytest.mark.parametrize("text, stage, lang", [
    ("phần thân chất liệu gì", "tee-classic", "vi"),
    ("bo cổ làm bằng gì", "tee-classic", "vi"),
    ("tổng thể nặng bao nhiêu", "stroller-a1", "vi"),
    ("isinya bahannya apa", "down-jacket", "id"),
    ("sepasang beratnya berapa", "running-shoes", "id"),
    ("totalnya beratnya berapa", "stroller-a1", "id"),
])
def test_a_part_or_the_whole_of_the_goods_is_not_another_thing(text, stage, lang):
    assert not about_another_thing(text, lang, stage, SNAPSHOT)


@pytest.mark.parametrize("text, stage, lang", [
    ("hang nay lam bang gi", "tee-classic", "vi"),
    ("mẫu này chất liệu gì", "tee-classic", "vi"),
    ("nó làm bằng gì", "tee-classic", "vi"),
    ("em muốn hỏi chất liệu gì", "tee-classic", "vi"),
    ("chị lan ơi chất liệu gì", "tee-classic", "vi"),
    ("model ini bahannya apa", "tee-classic", "id"),
    ("mau nanya bahannya apa", "tee-classic", "id"),
    ("kak rina bahannya apa", "tee-classic", "id"),
])
def test_the_goods_said_otherwise_asking_and_a_name_are_not_another_thing(text, stage, lang):
    assert not about_another_thing(text, lang, stage, SNAPSHOT)
