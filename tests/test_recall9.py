"""Answerable questions that stayed silent (branch h/recall9), by kind: a variant named by its shade number or by one
word of its name after its kind ("màu 21", "rasa madu", "màu kem"), an amount without its unit ("loại 500", "500的"),
a discount for buying several, an exchange, a child's age, what the shoes are for — with the collisions that must not
be read that way (a number that is a size, an amount, a price or a date). Sentences written for these tests; pure:
the demo catalog and small made-up products."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.exchange_words import asks_if_exchangeable as asks_exchange
from bot.faq_kinds import EXCHANGE_REASON as EXCHANGE
from bot.faq_kinds import MULTI_BUY, SIZE_ADVICE
from bot.multi_buy import MULTI_BUY as MULTI_BUY_READ
from bot.multi_buy_words import asks_discount_for_several as asks_multi_buy
from bot.order_request import is_order_request
from bot.pipeline import ANSWER, SILENT, STAFF
from bot.slots import Recogniser
from bot.structured import render_structured
from bot.value_words import ShadeNumbers, bare_amounts, kind_words
from catalog.phrases import phrase
from catalog.snapshot import CatalogSnapshot, ProductInfo, VariantInfo
from tests.demo_view import RECOGNISER, SNAPSHOT, final_decision, room_decision

LIP = "lipstick-velvet"
S01, S05, S12, S21 = "#01正红", "#05豆沙", "#12枫叶棕", "#21奶茶"


def _values(text: str, product: str) -> dict[str, str]:
    return RECOGNISER.recognise(text).asked_for(product)


# ------------------------------------------------------------------------------------------ shade numbers


@pytest.mark.parametrize(
    ("text", "shade"),
    [
        ("son màu 21 còn ko shop", S21), ("màu 05 còn không", S05), ("mã màu 12 còn không", S12),
        ("màu số 01 còn không", S01), ("warna 12 masih ada?", S12), ("nomor 21 masih ada?", S21),
        ("色号21还有吗", S21), ("21号色还有吗", S21), ("21号还有吗", S21), ("21番はまだありますか", S21),
        ("カラー05ありますか", S05), ("21호 있어요?", S21), ("05번 재고 있어요?", S05), ("เบอร์ 05 ยังมีไหม", S05),
        ("¿queda el tono 01?", S01), ("el color 12 todavía hay?", S12), ("is shade 12 still available?", S12),
        ("do you have no. 5?", S05), ("do you have #21?", S21),
    ],
)
def test_a_shade_said_by_its_number_names_it(text: str, shade: str) -> None:
    assert _values(text, LIP) == {"colour": shade}


@pytest.mark.parametrize(
    "text",
    [
        "21号能发货吗",  # the 21st: a delivery date
        "12月21号还有吗",  # a date
        "21号几点开播",
        "màu 21k hả",  # a price in thousands of dong
        "mua 21 cái",  # a count, no colour word
        "tôi 21 tuổi",
        "shade 99 còn không",  # no such shade
        "size 21 còn không",  # a size word is not a colour word
    ],
)
def test_a_number_that_is_not_said_for_a_shade_names_none(text: str) -> None:
    assert _values(text, LIP) == {}


def _product(pid: str, variants: list[tuple[str, dict[str, str], dict[str, dict[str, str]]]], price: str = "100",
             names: dict[str, str] | None = None, aliases: tuple[str, ...] = ()) -> ProductInfo:
    return ProductInfo(
        id=pid, name=names or {"zh": pid, "en": pid}, aliases=aliases, category="misc", description={},
        price=Decimal(price), tags=(), attributes={},
        variants=tuple(VariantInfo(sku=sku, product_id=pid, attrs=attrs, stock=5, labels=labels)
                       for sku, attrs, labels in variants),
    )


def _recogniser(*products: ProductInfo) -> Recogniser:
    return Recogniser.build(CatalogSnapshot(version=1, products={p.id: p for p in products}, faqs={}, synonyms={}))


def _shade(code: str, name: str) -> tuple[str, dict[str, str], dict[str, dict[str, str]]]:
    return (f"L{code}", {"colour": f"#{code}{name}"}, {"colour": {"zh": f"#{code}{name}", "vi": f"#{code} {name}"}})


def test_a_number_word_before_a_size_reads_the_size_a_colour_word_the_shade() -> None:
    # a shop with shade #38 and shoes in size 38: "nomor 38" / "เบอร์ 38" / "số 38" / "38号" are the shoe size, "màu 38"
    # and "色号38" the shade
    lipstick = _product("lip", [_shade("38", "nude"), _shade("05", "rose")], names={"zh": "口红", "en": "lipstick"})
    shoes = _product("shoes", [(f"S{n}", {"size": n}, {}) for n in ("38", "39")], names={"zh": "鞋", "en": "shoes"})
    r = _recogniser(lipstick, shoes)
    for text in ("sepatu nomor 38 ada?", "เบอร์ 38 มีไหม", "giày số 38 còn không", "38号还有吗", "38번 있어요?"):
        slots = r.recognise(text)
        assert slots.asked_for("shoes") == {"size": "38"} and slots.asked_for("lip") == {}, text
    for text in ("màu 38 còn không", "色号38还有吗", "warna 38 ada?"):
        slots = r.recognise(text)
        assert slots.asked_for("lip") == {"colour": "#38nude"}, text
    assert r.recognise("nomor 05 ada?").asked_for("lip") == {"colour": "#05rose"}  # 5 is no size: a shade


def test_a_number_word_before_a_price_or_an_amount_is_not_a_shade() -> None:
    lipstick = _product("lip", [_shade("21", "tea"), _shade("05", "rose")], price="21")  # it costs 21
    bottle = _product("bottle", [("B5", {"spec": "500ml"}, {}), ("B3", {"spec": "350ml"}, {})])
    shades = _recogniser(lipstick, bottle).shades
    assert shades.taken >= {21, 500, 350}
    assert shades.rewrite("nomor 21 ada?") == "nomor 21 ada?"  # the price, maybe
    assert shades.rewrite("màu 21 còn không") == "màu #21 còn không"  # a colour word: the shade whatever the number
    assert shades.rewrite("nomor 05 ada?") == "nomor #05 ada?"


def test_shade_numbers_of_two_spellings_name_neither() -> None:
    shades = ShadeNumbers.of(["#5", "#05", "#21"], [])
    assert shades.codes == {21: "#21"}
    assert ShadeNumbers().rewrite("màu 21") == "màu 21"  # no shade codes: nothing read


@pytest.mark.parametrize(
    ("text", "lang"),
    [("son màu 21 còn ko shop", "vi"), ("色号21还有吗", "zh"), ("21番はまだありますか", "ja"), ("21호 있어요?", "ko"),
     ("เบอร์ 21 ยังมีไหม", "th"), ("nomor 21 masih ada?", "id"), ("¿queda el tono 21?", "es"),
     ("is shade 21 still available?", "en")],
)
def test_a_sold_out_shade_asked_by_its_number_is_answered_as_sold_out(text: str, lang: str) -> None:
    # #21 has no stock in the demo catalog: the reply says so and offers the shades left, in every language
    d, read = room_decision(text, LIP, None)
    assert d.band == ANSWER and d.qtype == "stock" and dict(d.asked) == {"colour": S21}, (text, d.reason)
    reply = render_structured(d, SNAPSHOT.products[LIP], currency=SNAPSHOT.currency)
    assert reply is not None
    word = phrase("sold_out_word", read)
    assert word in reply or "売り切れ" in reply or "售罄" in reply, reply
    assert "#12" in reply and "#05" in reply  # the alternatives in stock


def test_a_shade_of_another_product_by_number_with_the_thermos_on_stage() -> None:
    d, _ = room_decision("son màu 21 còn ko shop", "thermos-316", None)
    assert d.band == ANSWER and d.product_id == LIP and dict(d.asked) == {"colour": S21}


# ------------------------------------------------------------------------------------------ a word of the name


@pytest.mark.parametrize(
    ("text", "product", "asked"),
    [
        ("rasa madu masih ada?", "nuts-giftbox", {"flavour": "蜂蜜黄油味"}),
        ("vị mật ong còn không shop", "nuts-giftbox", {"flavour": "蜂蜜黄油味"}),
        ("vị muối còn không", "nuts-giftbox", {"flavour": "海盐味"}),
        ("¿queda sabor miel?", "nuts-giftbox", {"flavour": "蜂蜜黄油味"}),
        ("màu kem size XXL hết r hả shop", "down-jacket", {"colour": "奶白色", "size": "XXL"}),
        ("màu xanh size L còn không", "down-jacket", {"colour": "藏青色", "size": "L"}),
        ("màu xanh loại 350 còn không", "thermos-316", {"colour": "雾霾蓝", "spec": "350ml"}),
        ("mau xanh loai 350 con khong", "thermos-316", {"colour": "雾霾蓝", "spec": "350ml"}),
    ],
)
def test_a_value_named_by_one_word_of_its_name_after_its_kind(text: str, product: str, asked: dict[str, str]) -> None:
    assert _values(text, product) == asked
    d, _ = room_decision(text, product, None)
    assert d.band == ANSWER and d.path == "structured" and dict(d.asked) == asked, d.reason


def test_a_word_two_values_share_names_neither() -> None:
    labels = {
        ("colour", "雾蓝"): {"vi": "xanh khói", "id": "biru kabut"},
        ("colour", "草绿"): {"vi": "xanh lá", "id": "hijau daun"},
        ("colour", "奶白"): {"vi": "trắng kem", "id": "krem"},
    }
    words = kind_words(labels)
    assert "màu xanh" not in words and "mau xanh" not in words  # both are xanh
    assert words["màu khói"] == ("colour", "雾蓝") and words["màu lá"] == ("colour", "草绿")
    assert words["màu kem"] == ("colour", "奶白") and words["mau trang"] == ("colour", "奶白")
    assert words["warna biru"] == ("colour", "雾蓝")
    assert not any(w.startswith(("rasa ", "vị ")) for w in words)  # a colour's words follow colour words only


def test_kind_words_leave_out_articles_and_conjunctions() -> None:
    words = kind_words({("flavour", "蜂蜜黄油味"): {"es": "miel y mantequilla"}, ("flavour", "海盐味"): {"es": "sal marina"}})
    assert words["sabor miel"] == ("flavour", "蜂蜜黄油味") and words["sabor mantequilla"] == ("flavour", "蜂蜜黄油味")
    assert not any(w.endswith(" y") or " y " in w for w in words)


# ------------------------------------------------------------------------------------------ an amount without its unit


@pytest.mark.parametrize(
    ("text", "asked"),
    [("yang 350 berapa harganya", "350ml"), ("500的多少钱", "500ml"), ("loại 500 giá bao nhiêu", "500ml"),
     ("¿cuánto cuesta el de 500?", "500ml"), ("how much is the 350 one", "350ml"), ("500짜리 얼마예요?", "500ml"),
     ("500のはいくらですか", "500ml"), ("ขนาด 350 ราคาเท่าไหร่", "350ml"), ("ขนาด350 ราคาเท่าไหร่", "350ml")],
)
def test_an_amount_said_without_its_unit_after_a_picking_word(text: str, asked: str) -> None:
    assert _values(text, "thermos-316") == {"spec": asked}


@pytest.mark.parametrize("text", ["1500的多少钱", "loại 500k", "mua 500 cái", "500 giá bao nhiêu", "the 5000 one"])
def test_a_number_without_a_picking_word_or_inside_another_is_no_amount(text: str) -> None:
    assert _values(text, "thermos-316") == {}


def test_an_amount_that_is_also_a_price_or_a_size_of_the_product_is_not_read_bare() -> None:
    values = [("spec", "500ml"), ("spec", "350ml")]
    words = {v: {v[1]} for v in values}
    assert bare_amounts(values, words, prices=[500])["loại 350"] == ("spec", "350ml")
    assert "loại 500" not in bare_amounts(values, words, prices=[500])  # a 500-yuan bottle: "loại 500" is its price
    sized = {**words, ("size", "350"): {"350"}}
    assert "loại 350" not in bare_amounts([*values, ("size", "350")], sized)
    mixed = [("spec", "500ml"), ("spec", "1kg")]
    assert bare_amounts(mixed, {v: {v[1]} for v in mixed}) == {}  # two units: which is "500"?


def test_the_lead_s_thermos_price_named_in_vietnamese_with_the_shoes_on_stage() -> None:
    d, _ = room_decision("quay lại cái bình giữ nhiệt lúc nãy, loại 500 giá bao nhiêu vậy", "running-shoes", None)
    assert d.band == ANSWER and d.qtype == "price" and d.product_id == "thermos-316"
    assert render_structured(d, SNAPSHOT.products["thermos-316"], currency=SNAPSHOT.currency) == "500ml giá 109 CNY"


def test_a_weak_stock_reading_yields_to_the_product_s_own_faq() -> None:
    # "el de 50 ml" names the 50 ml serum; nothing asks for stock, and the serum's 30-vs-50 FAQ matched
    d = final_decision("¿el de 50 ml conviene más?", "serum-oilcontrol", band=ANSWER, faq_id="serum-30-vs-50")
    assert d.path == "faq" and d.faq_id == "serum-30-vs-50"
    d = final_decision("¿el de 50 ml todavía hay?", "serum-oilcontrol", band=ANSWER, faq_id="serum-30-vs-50")
    assert d.path == "structured" and d.qtype == "stock"  # a stock word: the stock


# ------------------------------------------------------------------------------------------ multi-buy and exchange


@pytest.mark.parametrize(
    "text",
    ["mua 2 đôi có giảm ko", "mua 2 chai có giảm không shop", "mua 3 món có giảm thêm ko", "beli 2 ada diskon?",
     "买三双有折扣吗", "2足買ったら安くなりますか", "두 켤레 사면 할인 돼요?", "ซื้อ 2 คู่ลดไหม",
     "if i buy 2 pairs is there a discount", "si compro dos hay descuento?"],
)
def test_a_discount_for_buying_several_is_the_multi_buy_faq(text: str) -> None:
    assert asks_multi_buy(text)
    d, _ = room_decision(text, "running-shoes", None)
    # bot/multi_buy.py (h/fix10a) reads a discount for several items before bot/faq_kinds.py: either names the kind
    assert d.band == ANSWER and d.faq_id == "multi-buy" and d.reason in (MULTI_BUY, MULTI_BUY_READ)


@pytest.mark.parametrize(
    "text",
    ["cuánto sale por 3?",  # the price of three: "sale" is "costs"
     "giảm giá không shop",  # no count: the coupon FAQ's question
     "mua 2 đôi",  # no discount asked
     "mua 2 đôi giảm giá quá rẻ luôn",  # a statement
     ],
)
def test_no_multi_buy_without_a_count_a_discount_word_and_a_question(text: str) -> None:
    assert not asks_multi_buy(text)


def test_a_count_the_product_name_carries_is_not_several() -> None:
    d, _ = room_decision("mua 5 đôi có giảm không", "socks-5pack", None)  # the 5-pair pack itself
    assert d.reason != MULTI_BUY


@pytest.mark.parametrize(
    "text",
    ["mình muốn đổi màu khác có được không", "đổi size được không shop", "kalau mau tukar ukuran bisa?", "可以换码吗",
     "サイズ交換できますか", "사이즈 교환 돼요?", "เปลี่ยนไซส์ได้ไหม", "can I swap the colour?", "¿puedo cambiar la talla?"],
)
def test_an_exchange_asked_is_the_exchange_faq(text: str) -> None:
    assert asks_exchange(text)
    d, _ = room_decision(text, "scarf-cashmere", None)
    assert d.band == ANSWER and d.faq_id == "exchange" and d.reason == EXCHANGE


@pytest.mark.parametrize(
    "text",
    ["khăn này giặt có bị đổi màu không",  # does it fade
     "换货要多久到",  # how long a delivery takes
     "đổi size rồi nha",  # a statement
     ],
)
def test_no_exchange_for_a_colour_that_changes_or_a_delivery_time(text: str) -> None:
    assert not asks_exchange(text)


def test_a_confident_answer_of_another_kind_is_not_rerouted() -> None:
    d = final_decision("đôi này nặng không", "running-shoes", band=ANSWER, faq_id="shoes-weight")
    assert d.faq_id == "shoes-weight"  # no discount asked: a confident answer of another kind stays
    # a discount asked for several items is the multi-buy FAQ's even over a confident FAQ of another kind
    # (bot/multi_buy.py, h/fix10a): "buy 2 pairs, any discount?" is not answered with the shoes' weight
    d = final_decision("mua 2 đôi có giảm ko", "running-shoes", band=ANSWER, faq_id="shoes-weight")
    assert d.faq_id == "multi-buy"
    d = final_decision("mua 2 đôi có giảm ko", "running-shoes", band=ANSWER, faq_id="coupon")
    assert d.faq_id == "multi-buy"


# ------------------------------------------------------------------------------------------ age and use


@pytest.mark.parametrize(
    ("text", "stage", "key"),
    [("bé nhà mình mới 2 tháng tuổi dùng được chưa", "stroller-a1", "age_range"),
     ("is it ok for a 3 month old?", "stroller-a1", "age_range"),
     ("3个月的宝宝能坐吗", "stroller-a1", "age_range"),
     ("ลูก 2 ขวบเล่นได้ไหม", "blocks-giftset", "age_range"),
     ("giày này chạy bộ đường dài được không", "running-shoes", "use"),
     ("có chơi bóng rổ được không", "running-shoes", "use"),
     ("バスケで使えますか", "running-shoes", "use"),
     ("¿son buenos para un medio maratón?", "running-shoes", "use"),
     ("bisa dipakai main futsal?", "running-shoes", "use")],
)
def test_a_childs_age_and_a_sport_ask_the_attribute(text: str, stage: str, key: str) -> None:
    d, _ = room_decision(text, stage, None)
    assert d.band == ANSWER and d.qtype == "attribute" and d.attribute == key, d.reason


@pytest.mark.parametrize(
    ("text", "stage"), [("bé 2 tuổi rồi", "stroller-a1"), ("áo thun mặc đi tập gym được không", "tee-classic")]
)
def test_an_age_said_or_a_sport_of_a_product_without_that_attribute_is_not_answered(text: str, stage: str) -> None:
    d, _ = room_decision(text, stage, None)
    assert d.band == SILENT


# ------------------------------------------------------------------------------------------ names and neighbours


@pytest.mark.parametrize(
    ("text", "product"),
    [("さっきのスニーカー黒の43は？", "running-shoes"), ("さっきのリップの#05はまだありますか", LIP),
     ("口紅いくらですか", LIP), ("水筒いくら？", "thermos-316"), ("เสื้อยืดราคาเท่าไหร่", "tee-classic")],
)
def test_japanese_and_thai_short_names_name_their_product(text: str, product: str) -> None:
    assert product in RECOGNISER.recognise(text).products


def test_vietnamese_mau_before_a_number_orders_nothing() -> None:
    assert not is_order_request("màu 21 hết rồi hả, bao giờ về lại")
    assert is_order_request("mau 2 ya kak")  # Indonesian "want 2": still an order


def test_a_price_asked_of_a_part_of_the_named_product_goes_to_staff() -> None:
    for text in ("유모차 컵홀더 얼마예요?", "ベビーカーの日よけだけ買えますか？いくら？"):
        d, _ = room_decision(text, "stroller-a1", None)
        assert d.band == STAFF, (text, d.reason)
    for text in ("아까 그 티셔츠 얼마였죠?", "刚才那件T恤多少钱", "how much was the tee earlier"):
        d, _ = room_decision(text, "stroller-a1", None)
        assert d.band == ANSWER and d.product_id == "tee-classic", (text, d.reason)


def test_the_hot_path_reads_shades_with_two_regular_expressions_not_a_loop_over_values() -> None:
    # the rewrite is a function of the text and two dicts built with the catalog: no per-value work per comment
    shades = RECOGNISER.shades
    assert shades.codes == {1: "#01", 5: "#05", 12: "#12", 21: "#21"}
    assert {38, 44, 350, 500, 30, 50} <= shades.taken



def test_a_stock_word_for_a_named_variant_beats_a_product_faq_that_quotes_no_stock() -> None:
    # the shoes' size-advice FAQ (intent ask_size, "runs small, take one size up") matched "size 42 màu đen còn không"
    for text in ("size 42 màu đen còn không", "42码还有吗", "is size 42 in black still available?"):
        d = final_decision(text, "running-shoes", band=ANSWER, faq_id="shoes-size-advice")
        assert d.path == "structured" and d.qtype == "stock", text
    # size advice asked stays with its FAQ
    for text in ("平时穿42买多大", "bình thường đi 42 thì lấy size mấy"):
        d = final_decision(text, "running-shoes", band=ANSWER, faq_id="shoes-size-advice")
        assert d.faq_id == "shoes-size-advice", text


# ------------------------------------------------------------------------------------------ size advice, more attributes


@pytest.mark.parametrize(
    "text",
    ["chân mình size 40 thì lấy size nào", "giày có form nhỏ ko ạ, e hay đi 39", "chân bè thì lấy size nào",
     "normalmente calzo 40, pido 41?", "발볼 넓은데 사이즈 어떻게 해요", "我平常穿42的 这个拍几码"],
)
def test_a_usual_size_or_feet_given_is_answered_by_the_products_advice_faq(text: str) -> None:
    d, _ = room_decision(text, "running-shoes", None)
    assert d.band == ANSWER and d.faq_id == "shoes-size-advice", (text, d.reason)


def test_no_size_advice_for_a_foot_size_with_the_tee_on_stage_nor_for_a_size_asked() -> None:
    d, _ = room_decision("chân mình size 40 thì lấy size nào", "tee-classic", None)
    assert d.band == STAFF  # a foot size: not the tee's size guide
    d, _ = room_decision("bình thường mặc size M thì lấy size nào", "tee-classic", None)
    assert d.band == ANSWER and d.faq_id == "tee-size-advice"
    d, _ = room_decision("신발 235 있어요?", "running-shoes", None)  # 신발 is shoes, not 발 (foot) 235
    assert d.faq_id != "shoes-size-advice"


@pytest.mark.parametrize(
    ("text", "stage", "key"),
    [("hộp quà có túi xách không", "nuts-giftbox", "packaging"), ("선물용 포장 괜찮아요?", "nuts-giftbox", "packaging"),
     ("hạt này để được bao lâu", "nuts-giftbox", "shelf_life"), ("tahan berapa lama", "nuts-giftbox", "shelf_life"),
     ("bầu bí dùng được ko", "serum-oilcontrol", "sensitive"), ("임산부도 써도 되나요?", "serum-oilcontrol", "sensitive"),
     ("có đậu phộng ko, bé nhà e dị ứng", "nuts-giftbox", "allergens"),
     ("áo phao này mấy độ thì mặc đc", "down-jacket", "warmth"), ("ギフト包装できますか", LIP, "gift_box"),
     ("viene en caja de regalo?", LIP, "gift_box")],
)
def test_more_attribute_words_of_the_room_languages(text: str, stage: str, key: str) -> None:
    d, _ = room_decision(text, stage, None)
    assert d.band == ANSWER and d.qtype == "attribute" and d.attribute == key, (text, d.reason)


def test_an_attribute_word_of_a_key_the_product_lacks_is_not_answered() -> None:
    d, _ = room_decision("xe đẩy có túi xách không", "stroller-a1", None)  # the stroller has no packaging attribute
    assert d.band != ANSWER


@pytest.mark.parametrize("reason", [MULTI_BUY, EXCHANGE, SIZE_ADVICE])
def test_the_new_reroutes_are_explained_to_staff_and_not_shown_as_a_score(reason: str) -> None:
    from bot.console.live import reason_details
    from bot.console.reasons import explain
    from bot.pipeline import Decision
    from bot.replay import _why

    assert explain(reason, "zh_CN") != reason and explain(reason, "en") != reason
    assert reason_details(reason)["path"] == "reroute"
    d = Decision(comment_id="c", band=ANSWER, reason=reason, lang="vi", faq_id="multi-buy", score=0.05)
    assert "0.05" not in _why(d)
