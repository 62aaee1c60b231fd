"""A decision reason that quotes languages ("faq x; in en: no vi answer", "no answer in the viewer's language (es)")
names them in the staff member's language on the try page and the live feed: a Chinese shop employee reads
"没有越南语回答，改用英语回答", not "没有 vi 回答，改用 en 回答". The raw reason (English, codes) stays in the database."""

from __future__ import annotations

import pytest

from bot.console.reasons import explain


@pytest.mark.parametrize(
    ("reason", "zh", "en"),
    [
        ("match; in en: no vi answer", "问答匹配；没有越南语回答，改用英语回答",
         "FAQ match; answered in English: no Vietnamese answer"),
        ("no answer in the viewer's language (es)", "没有观众所用语言（西班牙语）的回答",
         "no answer in the viewer's language (Spanish)"),
        # the engine's why (catalog MissingText) is said too: was "没有泰语的回复：no th name for product 'tee'"
        ("no reply in th: no th name for product 'tee'", "没有泰语的回复：商品「tee」没有泰语名称",
         "no reply in Thai: product tee has no name in Thai"),
        ("no reply in ja or en: no ja name for product 'tee'", "没有日语或英语的回复：商品「tee」没有日语名称",
         "no reply in Japanese or English: product tee has no name in Japanese"),
        ("match; in zh: no name fit for id", "问答匹配；改用中文回答：no name fit for id",
         "FAQ match; answered in Chinese: no name fit for id"),
    ],
)
def test_languages_in_reasons_are_named_in_the_staff_language(reason: str, zh: str, en: str) -> None:
    assert explain(reason, "zh_CN") == zh
    assert explain(reason, "en") == en


def test_a_code_babel_does_not_know_stays_as_it_is() -> None:
    assert explain("no answer in the viewer's language (qqx)", "zh_CN") == "没有观众所用语言（qqx）的回答"


def test_a_statement_handed_to_staff_is_explained() -> None:
    from bot.pipeline import NOT_ASKED

    assert explain(NOT_ASKED, "zh_CN") == "不是提问，而最接近的常见问题只回答提问：已转人工"
    assert explain(NOT_ASKED, "en") == "not a question, and the closest FAQ only answers questions: handed to staff"


def test_answers_of_another_kind_handed_to_staff_are_explained() -> None:
    from bot.guards import DESTINATION, OTHER_THING, PERSON

    assert explain(PERSON, "zh_CN") == "问的是主播本人，不是商品：已转人工"
    assert explain(DESTINATION, "zh_CN") == "提到海外目的地，而匹配到的物流常见问题只讲国内：已转人工"
    assert explain(OTHER_THING, "zh_CN") == "问价的东西不是讲解中商品的叫法：已转人工"
    assert explain(PERSON, "en") == "asks about the host as a person, not about the goods: handed to staff"


def test_shipping_abroad_answers_are_explained() -> None:
    from bot.ship_abroad import SHIPS_ABROAD

    assert explain(SHIPS_ABROAD, "zh_CN") == "问的是寄往海外：已用国际物流常见问题回答"
    assert explain(SHIPS_ABROAD, "en") == (
        "asks about shipping to a place abroad: answered with the international-shipping FAQ"
    )


def test_order_reports_answered_are_explained() -> None:
    from bot.order_report import ORDER_REPORTED

    assert explain(ORDER_REPORTED, "zh_CN") == "报告已下单：已用感谢下单的常见问题回答"
    assert explain(ORDER_REPORTED, "en") == "reports an order: answered with the thank-you FAQ"


def test_a_topic_the_answer_does_not_speak_of_is_explained() -> None:
    from bot.uncovered_topic import UNCOVERED_TOPIC

    assert explain(UNCOVERED_TOPIC, "zh_CN") == "问到的事（清真、保修、洗碗机、卖得最好……）匹配到的回答没有讲：已转人工"
    assert explain(UNCOVERED_TOPIC, "en") == (
        "asks about something (halal, warranty, dishwasher, best seller …) the matched answer does not speak of: "
        "handed to staff"
    )


def test_another_products_faq_and_after_sales_are_explained() -> None:
    from bot.after_sales import AFTER_SALES
    from bot.answer_checks import OTHER_PRODUCT_FAQ

    assert explain(OTHER_PRODUCT_FAQ, "zh_CN") == "匹配到别的商品的专属问答，但评论没提商品名（问的是讲解中的商品）：已转人工"
    assert explain(AFTER_SALES, "zh_CN") == "反映已收到的商品有问题（售后）：已转人工"
    assert explain(AFTER_SALES, "en") == "reports a problem with goods already received (after-sales): handed to staff"


def test_a_price_comparison_handed_to_staff_is_explained() -> None:
    from bot.sibling_kind import PRICE_COMPARISON

    assert explain(PRICE_COMPARISON, "zh_CN") == "问的是贵不贵（比价），规格的库存答不了：已转人工"


def test_an_attribute_of_another_thing_handed_to_staff_is_explained() -> None:
    from bot.guards import OTHER_ATTRIBUTE

    assert explain(OTHER_ATTRIBUTE, "zh_CN") == "问材质、重量等参数的东西不是讲解中商品的叫法：已转人工"
    assert explain(OTHER_ATTRIBUTE, "en") == (
        "asks an attribute (material, weight …) of something the product on stage is not called: handed to staff"
    )


@pytest.mark.parametrize(
    ("reason", "zh", "en"),
    [
        ("cannot render: template needs a product for {product}, {price} but none was given",
         "回答要用到商品信息（{product}、{price}），但评论没说是哪个商品，也没有正在讲解的商品：已转人工",
         ("the answer needs a product ({product}, {price}), but the comment names none and nothing is on stage: "
         "handed to staff")),
        ("rule r7: cannot render: template needs a product for {price} but none was given",
         "关键词回复 r7：回复要用到商品信息（{price}），但评论没说是哪个商品，也没有正在讲解的商品：已转人工",
         ("keyword rule r7: the reply needs a product ({price}), but the comment names none and nothing is on stage: "
         "handed to staff")),
    ],
)
def test_an_answer_needing_a_product_with_none_on_stage_is_said_in_the_staff_language(reason: str, zh: str,
                                                                                      en: str) -> None:
    """Was "无法填写回答（template needs a product for {product}, {price} but none was given）": the renderer's English."""
    assert explain(reason, "zh_CN") == zh
    assert explain(reason, "en") == en


@pytest.mark.parametrize(
    ("reason", "zh", "en"),
    [
        ("match; in en: no th name for product 'tee'", "问答匹配；改用英语回答：商品「tee」没有泰语名称",
         "FAQ match; answered in English: product tee has no name in Thai"),
        ("no reply in th: no th name for a variant of product 'tee' (TEE-XL)",
         "没有泰语的回复：商品「tee」的一个规格（TEE-XL）没有泰语名称",
         "no reply in Thai: a variant of product tee (TEE-XL) has no name in Thai"),
        ("no reply in vi: no vi name for colour 'white' of product 'tee'",
         "没有越南语的回复：商品「tee」的 colour「white」没有越南语名称",
         "no reply in Vietnamese: colour white of product tee has no name in Vietnamese"),
        ("no reply in ja: no ja text for the attribute 'material' of product 'tee'",
         "没有日语的回复：商品「tee」的参数「material」没有日语文字",
         "no reply in Japanese: the attribute material of product tee has no text in Japanese"),
        ("no reply in ko: no built-in ko wording for 'stock.left'",
         "没有韩语的回复：机器人没有内置的韩语说法：stock.left",
         "no reply in Korean: the bot has no built-in Korean wording for stock.left"),
        ("no reply in th: the th reply would carry Latin script",
         "没有泰语的回复：泰语回复里会夹带 Latin 文字",
         "no reply in Thai: the Thai reply would contain Latin script"),
        ("cannot render: product 'tee' has an invalid price (-1)", "无法填写回答（商品「tee」的价格无效（-1））",
         "cannot fill in the answer (product tee has an invalid price (-1))"),
    ],
)
def test_why_a_reply_could_not_be_written_is_said_in_the_staff_language(reason: str, zh: str, en: str) -> None:
    """The engine's why after "no reply in …" / "; in en:" / "cannot render:" was left in English."""
    assert explain(reason, "zh_CN") == zh
    assert explain(reason, "en") == en


def test_a_product_named_in_the_why_is_shown_by_its_name() -> None:
    assert explain("no reply in th: no th name for product 'tee'", "zh_CN", products={"tee": "经典T恤"}) == (
        "没有泰语的回复：商品「经典T恤 (tee)」没有泰语名称"
    )


@pytest.mark.parametrize(
    ("reason", "zh", "en"),
    [
        ("size advice: height_cm 200 is outside the size chart", "尺码建议：身高（厘米） 200 超出了尺码表的范围",
         "size advice: height (cm) 200 is outside the size chart"),
        ("size advice: weight_kg 61 is between two rows of the size chart", "尺码建议：体重（公斤） 61 落在尺码表两行之间",
         "size advice: weight (kg) 61 falls between two rows of the size chart"),
        ("size advice: height_cm 170-179 spans several sizes", "尺码建议：身高（厘米） 170-179 跨了好几个尺码",
         "size advice: height (cm) 170-179 spans several sizes"),
        ("size advice: the size chart has no foot_mm to compare", "尺码建议：尺码表里没有脚长（毫米），无法比较",
         "size advice: the size chart has no foot length (mm) to compare with"),
    ],
)
def test_why_the_size_chart_gave_no_size_is_said_in_the_staff_language(reason: str, zh: str, en: str) -> None:
    """Was "尺码建议：…" only for a missing chart; the chart's other answers stayed English."""
    assert explain(reason, "zh_CN") == zh
    assert explain(reason, "en") == en


@pytest.mark.parametrize(
    ("reason", "zh", "en"),
    [
        # a reply held for a banned word (bot/engine.py realise): the reason was the filter's Chinese for everyone
        ("held: banned word 「最好」 at character 5; suggested 「很好」",
         "已扣下未发送：回复含违禁词「最好」（第 5 个字符），可改为「很好」",
         "held back: the reply contains the banned word 「最好」 (character 5); suggested instead: 「很好」"),
        ("held: banned word 「第一」 at character 2", "已扣下未发送：回复含违禁词「第一」（第 2 个字符）",
         "held back: the reply contains the banned word 「第一」 (character 2)"),
        # as recorded before the reason was English (a database kept from an earlier show)
        ("held: 含违禁词「最好」(第5个字符),可改为「很好」",
         "已扣下未发送：回复含违禁词「最好」（第 5 个字符），可改为「很好」",
         "held back: the reply contains the banned word 「最好」 (character 5); suggested instead: 「很好」"),
        # the size chart's answer and its disagreement named the dimensions by their keys (height_cm, weight_kg)
        ("structured size_advice height_cm 175 → L; weight_kg 60 → L/XL: L",
         "按尺码表给出尺码建议：身高（厘米） 175 → L；体重（公斤） 60 → L/XL；建议 L",
         "size advice from the size chart: height (cm) 175 → L; weight (kg) 60 → L/XL; advised size L"),
        ("size advice: the measurements point to different sizes (height_cm 190 → XXL; weight_kg 50 → S)",
         "尺码建议：几项身材数据对应的尺码不一样（身高（厘米） 190 → XXL；体重（公斤） 50 → S）",
         "size advice: the measurements point to different sizes (height (cm) 190 → XXL; weight (kg) 50 → S)"),
    ],
)
def test_held_and_size_advice_reasons_are_wholly_in_the_staff_language(reason: str, zh: str, en: str) -> None:
    assert explain(reason, "zh_CN") == zh
    assert explain(reason, "en") == en


def test_the_engine_writes_a_held_reason_the_console_can_say_in_either_language() -> None:
    """The reason BannedWord.reason gives is the one the console's table reads (no Chinese left for English staff
    but the word itself)."""
    import re

    from catalog.wordfilter import BannedWord

    reason = f"held: {BannedWord('全网最低', 3, '直播间优惠').reason()}"
    en = explain(reason, "en")
    assert re.sub("[「」]|全网最低|直播间优惠", "", en).isascii() and "character 4" in en
    assert explain(reason, "zh_CN") == "已扣下未发送：回复含违禁词「全网最低」（第 4 个字符），可改为「直播间优惠」"
