"""A garment of another kind is not the apparel product's own (issue 15, branch h/left15): "แจ็คเก็ตตัวนี้ผ้าอะไร",
"de qué material es la chaqueta", "ジャケットの素材は何ですか", "자켓 소재가 뭐예요?", "áo khoác này chất liệu gì",
"bahan jaketnya apa", "外套什么面料" with the tee on stage ask about a jacket, and the tee's fabric does not answer them:
staff. A word for one kind of garment is a product's own only when the catalog's own words for it (names, aliases, tags,
FAQ examples, or a Chinese / English gloss of the word in them) name that kind: the tee's own "camiseta", "เสื้อยืด",
"Tシャツ" stay answered, and the down jacket's "แจ็คเก็ต", "chaqueta", "자켓" are its own. Pure: the demo catalog."""

from __future__ import annotations

import pytest

from bot.attribute_subject import about_another_thing, garment_kind
from bot.guards import about_own_product
from bot.pipeline import ANSWER, STAFF
from tests.demo_view import SNAPSHOT, room_decision

OTHER_GARMENT = [  # the tee on stage
    ("แจ็คเก็ตตัวนี้ผ้าอะไร", "th"),
    ("แจ็คเก็ตผ้าอะไรคะ", "th"),
    ("เสื้อกันหนาวตัวนั้นผ้าอะไรคะ", "th"),
    ("เสื้อโค้ทข้างหลังผ้าอะไร", "th"),
    ("de qué material es la chaqueta", "es"),
    ("esa chaqueta de qué tela es", "es"),
    ("el abrigo de atrás de qué material es", "es"),
    ("jaket itu bahannya apa kak", "id"),
    ("bahan jaketnya apa", "id"),
    ("cái áo khoác này chất liệu gì vậy", "vi"),
    ("ジャケットの素材は何ですか", "ja"),
    ("자켓 소재가 뭐예요?", "ko"),
    # read after part B of data/probe_left15.jsonl: a shirt is not the tee's "t-shirt"; a garment anywhere in a
    # Vietnamese comment; a Japanese topic before 何 + the attribute word
    ("เสื้อเชิ้ตตัวนั้นผ้าอะไรคะ", "th"),
    ("áo khoác đen phía sau chất liệu gì", "vi"),
    ("後ろのジャケットは何素材？", "ja"),
]


@pytest.mark.parametrize("text, lang", OTHER_GARMENT)
def test_a_garment_of_another_kind_goes_to_staff(text, lang):
    assert about_another_thing(text, lang, "tee-classic", SNAPSHOT)
    for faq in (None, "tee-fabric"):  # the structured reading, and the tee's own fabric FAQ matched
        d, read = room_decision(text, "tee-classic", faq)
        assert read == lang
        if faq is None and d.band != STAFF:  # no structured reading ("bahan jaketnya apa"): nothing to hand over
            assert d.band != ANSWER, d
        else:
            assert d.band == STAFF and "attribute" in d.reason, (faq, d)


OWN_GARMENT = [
    ("เสื้อยืดตัวนี้ผ้าอะไรคะ", "th", "tee-classic"),
    ("de qué tela es la camiseta?", "es", "tee-classic"),
    ("kaosnya bahannya apa kak", "id", "tee-classic"),
    ("áo thun này chất liệu gì", "vi", "tee-classic"),
    ("Tシャツの素材は何ですか", "ja", "tee-classic"),
    ("티셔츠 소재가 뭐예요?", "ko", "tee-classic"),
    # the down jacket's own: its aliases (puffer jacket, 羽绒外套) and names (Chaqueta, Jaket, ダウンジャケット)
    ("แจ็คเก็ตตัวนี้ผ้าอะไร", "th", "down-jacket"),
    ("de qué material es la chaqueta", "es", "down-jacket"),
    ("bahan jaketnya apa", "id", "down-jacket"),
    ("cái áo khoác này chất liệu gì vậy", "vi", "down-jacket"),
    ("ジャケットの素材は何ですか", "ja", "down-jacket"),
    ("자켓 소재가 뭐예요?", "ko", "down-jacket"),
    ("áo khoác đen phía sau chất liệu gì", "vi", "down-jacket"),
    ("áo thun trắng chất liệu gì", "vi", "tee-classic"),
    ("mặc với áo khoác có ấm không", "vi", "tee-classic"),  # with a jacket: what with, not what
]


@pytest.mark.parametrize("text, lang, stage", OWN_GARMENT)
def test_the_products_own_kind_of_garment_is_not_another_thing(text, lang, stage):
    assert not about_another_thing(text, lang, stage, SNAPSHOT)


@pytest.mark.parametrize("text, lang", [("เสื้อยืดตัวนี้ผ้าอะไรคะ", "th"), ("áo thun này chất liệu gì", "vi"),
                                        ("티셔츠 소재가 뭐예요?", "ko")])
def test_the_tees_own_fabric_faq_still_answers(text, lang):
    d, read = room_decision(text, "tee-classic", "tee-fabric")
    assert read == lang and d.band == ANSWER and d.faq_id == "tee-fabric", d


def test_chinese_outerwear_is_the_down_jackets_not_the_tees():
    assert not about_own_product(("外套",), "tee-classic", SNAPSHOT)
    assert about_own_product(("外套",), "down-jacket", SNAPSHOT)  # its alias 羽绒外套
    assert about_own_product(("衣服",), "tee-classic", SNAPSHOT)  # any garment's word stays the apparel's own


@pytest.mark.parametrize("word, lang, kind", [
    ("áo khoác đen", "vi", "áo khoác"),
    ("áo thun trắng", "vi", "áo thun"),
    ("quần áo", "vi", None),  # clothes: any garment
    ("デニムジャケット", "ja", "ジャケット"),
    ("jaketnya", "id", "jaket"),
    ("ropa", "es", None),
    ("chaquetas", "es", "chaquetas"),
    ("เสื้อแจ็คเก็ต", "th", "เสื้อแจ็คเก็ต"),
    ("เสื้อ", "th", None),
])
def test_garment_kind(word, lang, kind):
    assert garment_kind(word, lang) == kind
