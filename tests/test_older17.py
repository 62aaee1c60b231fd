"""The older dev logs' leftover wrong answers, by kind (branch h/older17): which product to get, a property of the
closed list the answer does not speak of (yellowing), the packaging's material, things in the room, Spanish colour
agreement, a weight given for the load limit, freshness, taste comparisons, where the host is. Sentences written for
these tests; pure: the demo catalog."""

from __future__ import annotations

import pytest

from bot.compare_point import asks_comparison_point
from bot.faq_kinds import SHELF_LIFE_KIND, kind_faq
from bot.fresh_words import names_freshness
from bot.guards import asks_about_person
from bot.pipeline import ANSWER, STAFF
from bot.recommend_ask import asks_what_to_get
from tests.demo_view import RECOGNISER, SNAPSHOT, final_decision, room_decision


@pytest.mark.parametrize(
    "text",
    ["油皮用哪个", "干皮有推荐的吗", "which one should I get for oily skin?", "乾燥肌にはどれがおすすめ？",
     "지성 피부는 어떤 거 추천해요?", "ผิวมันควรใช้ตัวไหนดีคะ", "da dầu nên dùng cái nào ạ", "kulit kering cocoknya yang mana",
     "para piel grasa cuál me recomiendas?"],
)
def test_which_product_to_get_is_asked(text: str) -> None:
    assert asks_what_to_get(text)


@pytest.mark.parametrize("text", ["油皮能用吗", "is it good for oily skin?", "지성 피부도 괜찮아요?", "da dầu dùng được không"])
def test_whether_it_suits_is_not_which_to_get(text: str) -> None:
    assert not asks_what_to_get(text)


def test_which_product_to_get_is_not_one_products_skin_type_faq() -> None:
    d = final_decision("乾燥肌にはどれがおすすめ？", "serum-oilcontrol", band=ANSWER, faq_id="serum-skin-type", lang="ja")
    assert d.band == STAFF
    kept = final_decision("油皮能用吗", "serum-oilcontrol", band=ANSWER, faq_id="serum-skin-type", lang="zh")
    assert kept.band == ANSWER and kept.faq_id == "serum-skin-type"


def test_which_size_to_take_is_not_which_product() -> None:
    d = final_decision("I wear a 42 usually, which one should I get", "running-shoes", band=ANSWER,
                       faq_id="shoes-size-advice")
    assert d.band == ANSWER and d.faq_id == "shoes-size-advice"


@pytest.mark.parametrize(
    ("text", "lang"),
    [("白灰色的鞋底会发黄吗", "zh"), ("does the white sole turn yellow?", "en"), ("白いソールは黄ばみますか", "ja"),
     ("la suela blanca se pone amarilla?", "es")],
)
def test_yellowing_is_not_the_soles_material(text: str, lang: str) -> None:
    d, _ = room_decision(text, "running-shoes", None)
    assert d.band != ANSWER, (d.qtype, d.attribute, d.reason)


def test_a_care_answer_still_answers_fading() -> None:
    d, _ = room_decision("does the black one fade in the wash", "tee-classic", "tee-care")
    assert d.band == ANSWER and d.faq_id == "tee-care"


def test_the_packagings_material_is_not_the_tees() -> None:
    d = final_decision("包装袋是什么材质的", "tee-classic", band=ANSWER, faq_id="tee-fabric", lang="zh")
    assert d.band == STAFF
    kept = final_decision("这件T恤是什么材质的", "tee-classic", band=ANSWER, faq_id="tee-fabric", lang="zh")
    assert kept.band == ANSWER


@pytest.mark.parametrize(
    ("text", "stage"),
    [("cái xe đạp phía sau nặng bao nhiêu", "stroller-a1"), ("chăn sau lưng chị có ấm không", "down-jacket"),
     ("컵 재질이 뭐예요?", "tee-classic")],
)
def test_a_thing_in_the_room_is_not_the_product(text: str, stage: str) -> None:
    d, _ = room_decision(text, stage, None)
    assert d.band != ANSWER, (d.qtype, d.attribute, d.reason)


def test_the_strollers_own_weight_is_still_answered() -> None:
    d, _ = room_decision("xe đẩy nặng bao nhiêu", "stroller-a1", None)
    assert d.band == ANSWER and d.attribute == "weight"


@pytest.mark.parametrize(("text", "colour"), [("quiero dos negras talla S, quedan?", "黑色"), ("hay blancas en M?", "白色")])
def test_spanish_colour_words_agree(text: str, colour: str) -> None:
    assert RECOGNISER.recognise(text).asked_for("tee-classic").get("colour") == colour


@pytest.mark.parametrize(
    "text", ["宝宝两岁 二十八斤能坐吗", "my son is 2 and weighs 15kg, can he ride in it?", "bé nhà em 16kg ngồi được không ạ",
             "my girl is 14kg, will it hold her?"]
)
def test_a_weight_given_to_sit_is_the_load_limit(text: str) -> None:
    d, _ = room_decision(text, "stroller-a1", None)
    assert d.band == ANSWER and d.attribute == "max_load", d.reason


def test_a_weight_without_sitting_is_not_the_load_limit() -> None:
    d, _ = room_decision("is it under 6kg?", "stroller-a1", None)
    assert d.attribute != "max_load"


def test_freshness_is_the_shelf_life_faq_not_the_stock() -> None:
    assert names_freshness("is it fresh stock?") and names_freshness("是新货吗") and not names_freshness("还有货吗")
    assert kind_faq(SNAPSHOT, "nuts-giftbox", SHELF_LIFE_KIND, own_only=True) == "nuts-shelf-life"
    assert kind_faq(SNAPSHOT, "tee-classic", SHELF_LIFE_KIND, own_only=True) is None
    d = final_decision("is it fresh stock?", "nuts-giftbox", band=ANSWER, faq_id="stock")
    assert d.band == ANSWER and d.faq_id == "nuts-shelf-life"
    tee = final_decision("is it fresh stock?", "tee-classic", band=ANSWER, faq_id="stock")
    assert tee.band == STAFF


@pytest.mark.parametrize(
    "text", ["どの味が一番甘い？", "海盐和蜂蜜黄油哪个咸一点", "哪个口味最甜", "어떤 맛이 제일 짜요?",
             "rasa mana yang paling manis?", "vị nào ngọt hơn", "which flavour is saltier?"],
)
def test_a_taste_compared_is_a_comparison_point(text: str) -> None:
    assert asks_comparison_point(text)


@pytest.mark.parametrize("text", ["哪个码最大", "어떤 맛이 있어요?", "どの色がありますか"])
def test_no_comparison_without_a_property(text: str) -> None:
    assert not asks_comparison_point(text)


@pytest.mark.parametrize(
    "text", ["where are you streaming from", "主播哪里人", "どこから配信してますか", "chị ở đâu vậy", "kak asli dari mana",
             "¿de dónde eres?"],
)
def test_where_the_host_is_asks_about_the_person(text: str) -> None:
    assert asks_about_person(text)


@pytest.mark.parametrize(
    "text", ["where do you ship from", "发货地在哪", "kak dari mana kirimnya", "where are you shipping from"]
)
def test_where_the_goods_ship_from_is_not_about_the_person(text: str) -> None:
    assert not asks_about_person(text)
