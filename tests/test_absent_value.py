"""A variant value the product does not have, asked for (bot/absent_value.py): "not offered" and what is in stock."""

from __future__ import annotations

import pytest

from bot.absent_value import absent_value
from bot.pipeline import ANSWER
from bot.structured import render_structured
from tests.demo_view import SNAPSHOT, final_decision, room_decision

P = SNAPSHOT.products


@pytest.mark.parametrize(
    ("text", "stage", "lang", "attr", "value"),
    [
        ("这个没有黑色的吗?我老公不喜欢粉的也不喜欢灰的", "stroller-a1", "zh", "colour", "黑色"),
        ("No grey one? I really wanted heather grey", "tee-classic", "en", "colour", "grey"),
        ("¿Tienen la chamarra en color rojo?", "down-jacket", "es", "colour", "rojo"),
        ("¿Y en azul?", "running-shoes", "es", "colour", "azul"),
        ("黒はありますか？", "stroller-a1", "ja", "colour", "ブラック"),
        ("핑크 있어요?", "thermos-316", "ko", "colour", "핑크"),
        ("มีสีชมพูไหมคะ", "thermos-316", "th", "colour", "สีชมพู"),
        ("xe đẩy có màu đen không shop?", "stroller-a1", "vi", "colour", "màu đen"),
        ("ada warna hitam ga kak?", "stroller-a1", "id", "colour", "hitam"),
        ("does the navy come in S? I'm pretty petite", "down-jacket", "en", "size", "S"),
        ("3XL 있어요?", "tee-classic", "ko", "size", "3XL"),
        ("¿No tienen la 37? Mi pie es pequeñito", "running-shoes", "es", "size", "37"),
        ("I'm a 45 EU, do you have anything that big?", "running-shoes", "en", "size", "45"),
        ("有36码的吗", "running-shoes", "zh", "size", "36"),
        ("Kak ada yang rasa pedas ga?", "nuts-giftbox", "id", "flavour", "rasa pedas"),
        ("มีรสเผ็ดไหมคะ", "nuts-giftbox", "th", "flavour", "รสเผ็ด"),
    ],
)
def test_absent_value_read(text: str, stage: str, lang: str, attr: str, value: str) -> None:
    found = absent_value(text, P[stage], lang)
    assert found is not None and (found.attr, found.value) == (attr, value)


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("I love grey, so pretty", "tee-classic"),  # no question
        ("my grey hair looks better with black lol", "tee-classic"),  # hair
        ("tengo el pelo rojo, ¿tienen otro color?", "down-jacket"),  # hair
        ("is there a black friday sale?", "stroller-a1"),  # Black Friday
        ("will it go with my grey coat? do you have it?", "scarf-cashmere"),  # a coat
        ("有黑色的吗", "socks-5pack"),  # no colours
        ("有粉色的吗", "lipstick-velvet"),  # shades, not a closed list of basic colours
        ("有粉色的吗", "stroller-a1"),  # the product has pink: the recogniser's
        ("ada warna navy ga kak?", "down-jacket"),
        ("do you have it in blue?", "down-jacket"),  # navy is a blue
        ("卡其色有货吗", "stroller-a1"),  # oat, a neutral of that family
        ("有42码吗", "running-shoes"),
        ("do you have red or blue?", "tee-classic"),  # two absent values: not one answer
        ("面白いですね、ありますか", "tee-classic"),  # 白 inside 面白い
        ("I paid 45 dollars, do you have a coupon?", "running-shoes"),  # no size word
        ("ada rasa original ga?", "nuts-giftbox"),
        ("U.S. shipping available?", "down-jacket"),  # an abbreviation, not size S
        ("do you ship to L.A.? is it available?", "down-jacket"),
        ("¿hay la 42 y la 45?", "running-shoes"),  # two sizes
        ("有没有红包", "stroller-a1"),  # 红 of 红包 (a red envelope)
        ("I'm 45 years old, do you have anything for me?", "running-shoes"),
    ],
)
def test_absent_value_not_read(text: str, stage: str) -> None:
    assert absent_value(text, P[stage], "en") is None


def test_not_offered_answer_lists_the_attribute_in_stock() -> None:
    d = final_decision("¿Tienen la chamarra en color rojo?", "down-jacket", band="silent", lang="es")
    assert d.band == ANSWER and d.qtype == "stock" and "not offered: colour red" in d.reason
    text = render_structured(d, P["down-jacket"], currency={})
    assert text is not None and text.startswith("Este no viene en rojo") and "azul marino" in text
    assert "talla" not in text  # the colours in stock, not every variant


def test_stage_product_without_the_size_is_not_answered_with_another_products() -> None:
    # the tee has an S, the jacket on stage (M–XXL) does not: the jacket's answer, not the tee's stock
    d = final_decision("¿La tienen en talla S?", "down-jacket", band="silent", lang="es")
    assert d.band == ANSWER and d.product_id == "down-jacket" and dict(d.asked) == {"size": "S"}
    text = render_structured(d, P["down-jacket"], currency={})
    assert text is not None and text.startswith("Este no viene en talla S")


def test_not_offered_reason_is_explained_to_staff() -> None:
    from bot.console.reasons import explain

    d = final_decision("有36码的吗", "running-shoes", band="silent", lang="zh")
    assert "not offered: shoe size 36 outside its sizes 38-44" in d.reason
    assert explain(d.reason, "zh_CN").startswith("按商品数据回答（")
    assert "商品没有所问的规格" in explain(d.reason, "zh_CN")


@pytest.mark.parametrize("text", ["áo màu tím mặc hay lắm", "màu hồng nhạt phối đồ hay ghê"])
def test_vietnamese_hay_is_not_the_spanish_cue(text: str) -> None:
    # Vietnamese "hay" (good / or) is no "¿hay…?" (is there): a remark on a colour is not answered "not offered"
    d, _ = room_decision(text, "tee-classic", None)
    assert d.band != ANSWER, d.reason


@pytest.mark.parametrize("text", ["hay en morado?", "no hay en morado?", "en morado hay?"])
def test_spanish_hay_still_asks(text: str) -> None:
    d, _ = room_decision(text, "tee-classic", None)
    assert d.band == ANSWER and "not offered" in d.reason, d.reason
