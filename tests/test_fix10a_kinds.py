"""Kinds of wrong answers of the blind sets probe_fresh10 / probe_fresh11 (branch h/fix10a), each in the room languages:

A. chat spellings of question words: "sisa brp" (how many left) is a count, a bare "brp?" / "bn" / "เท่าไหร" the price;
C. a number with a count noun is a quantity, never a size ("40 box"), and a discount asked for several items is the
   multi-buy FAQ, not stock;
D. how many pieces / packs / pairs a set holds is its counted attribute, not the stock count ("มีกี่ชิ้น" of the
   castle set), while "how many left" stays the stock;
G. an exchange or a return asked about a size is the exchange / returns FAQ, never the fit or the stock;
H. a free gift asked for is not a request for a recommendation.

Pure tests on the demo catalog (no model, no database), and one replay of the blind sets' own comments (part A of
data/probe_fix10a.jsonl) through the real engine. The sentences of the pure tests are written for these tests, not
taken from any log.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.contents_count import CONTENTS_UNKNOWN, asked_unit, counted_attributes
from bot.exchange_words import EXCHANGE, RETURN, asks_exchange
from bot.faq_kinds import MULTI_BUY_KIND, kind_faq
from bot.how_much import BARE_PRICE
from bot.multi_buy import DISCOUNT_NOT_STOCK, MULTI_BUY
from bot.multi_buy_words import asks_multi_buy
from bot.pipeline import ANSWER, RECOMMEND, SILENT, STAFF
from bot.quantity_words import counted_number, names_discount, names_quantity
from bot.recommend_ask import FREEBIE, not_a_request
from bot.resolve import asked_variant
from bot.uncovered_topic import named_topics
from tests.demo_view import RECOGNISER, SNAPSHOT, final_decision

ROOT = Path(__file__).resolve().parents[1]

# ------------------------------------------------------------------------------------------ A. chat spellings


@pytest.mark.parametrize("text", [
    "kak yg hitam M sisa brp?", "putih L tinggal brapa kak", "stoknya brpa yg XL", "áo trắng size M còn bnhieu",
    "size L con bao nhiu cai", "สีดำ M เหลือเท่าไหร่คะ", "สีขาว L เหลือเท่าไหร", "黒のL 残りいくつ?",
    "¿cuántas te quedan en M?",
])
def test_how_many_left_in_chat_spelling_is_a_count(text):
    assert RECOGNISER.recognise(text).qtype == "count", text


@pytest.mark.parametrize(("text", "stage"), [
    ("kak strollernya brp?", "stroller-a1"), ("kaosnya brapa kak", "tee-classic"), ("xe day nay bn vay", "stroller-a1"),
    ("ao phao bnhieu shop", "down-jacket"), ("รองเท้าคู่นี้เท่าไหรคะ", "running-shoes"), ("¿cuánto?", "thermos-316"),
])
def test_a_bare_how_much_about_the_product_is_its_price(text, stage):
    for band, faq in ((SILENT, None), (STAFF, None), (ANSWER, "stroller-weight" if stage == "stroller-a1" else "tee-fabric")):
        d = final_decision(text, stage, band=band, faq_id=faq)
        if band == ANSWER and faq == "tee-fabric" and stage != "tee-classic":
            continue  # another product's FAQ: not the case of this test
        assert d.band == ANSWER and d.path == "structured" and d.qtype == "price" and d.reason == BARE_PRICE, (band, d)


@pytest.mark.parametrize(("text", "stage"), [
    ("ongkir brp kak?", "tee-classic"), ("umur brp bisa pakai", "stroller-a1"), ("xe đẩy bao nhiêu kg", "stroller-a1"),
    ("ukurannya berapa kak", "scarf-cashmere"), ("tahan berapa lama", "nuts-giftbox"),
    ("bisa tahan dingin berapa jam kak?", "thermos-316"), ("แม่ค้าสูงเท่าไหร่", "tee-classic"),
    ("¿cuánto tarda en llegar?", "tee-classic"), ("bn 2 cái", "tee-classic"),
])
def test_how_much_of_something_else_is_not_the_price(text, stage):
    d = final_decision(text, stage, band=SILENT)
    assert d.reason != BARE_PRICE and not (d.band == ANSWER and d.qtype == "price"), d


def test_a_price_faq_that_matched_stays():
    d = final_decision("kaosnya brp kak?", "tee-classic", band=ANSWER, faq_id="price")
    assert d.band == ANSWER and d.faq_id == "price" and d.path == "faq", d


@pytest.mark.parametrize("text", ["这个T恤怎么卖", "围巾咋卖", "hw much for the scarf", "cnto cuesta el termo"])
def test_colloquial_price_words_ask_the_price(text):
    assert RECOGNISER.recognise(text).qtype == "price", text


# ------------------------------------------------------------------------------------------ C. quantities and multi-buy


@pytest.mark.parametrize(("text", "number"), [
    ("buat kantor 40 box ada diskon?", "40"), ("mau 40 pasang", "40"), ("买40盒送客户", "40"), ("40 pcs please", "40"),
    ("mua 40 đôi", "40"), ("40켤레 주문", "40"), ("ซื้อ 40 คู่", "40"), ("40 pares", "40"), ("40足まとめて", "40"),
])
def test_a_number_with_a_count_noun_is_a_quantity(text, number):
    at = text.index(number)
    assert counted_number(text.casefold(), at, at + len(number))
    shoes = SNAPSHOT.products["running-shoes"]
    assert asked_variant(text.casefold(), shoes).get("size") != number
    assert not any(v == number for _p, _a, v in RECOGNISER.recognise(text).values), text


@pytest.mark.parametrize("text", ["40码还有吗", "size 40 masih ada?", "42 còn không shop", "talla 40 hay?", "40サイズありますか"])
def test_a_size_is_still_a_size(text):
    assert any(v in ("40", "42") for _p, _a, v in RECOGNISER.recognise(text).values), text


MULTI_BUY_ASKED = [
    ("买两件有优惠吗", "zh"), ("buy 3 get a discount?", "en"), ("3つ買うと割引ありますか", "ja"), ("3개 사면 할인돼요?", "ko"),
    ("ซื้อ 3 ชิ้นลดไหม", "th"), ("mua 3 cái có giảm không", "vi"), ("beli 3 ada potongan ga", "id"),
    ("si compro 3 hay descuento?", "es"), ("buat kantor 40 box ada diskon?", "id"), ("need 30 pairs, any bulk discount?", "en"),
    ("ambil 10 pcs ada diskon ga", "id"), ("まとめ買いで安くなりますか", "ja"),
]


@pytest.mark.parametrize(("text", "lang"), MULTI_BUY_ASKED)
def test_a_discount_for_several_items_is_multi_buy(text, lang):
    assert asks_multi_buy(text), text
    for band, faq in ((SILENT, None), (ANSWER, "stock"), (ANSWER, "coupon")):
        d = final_decision(text, "nuts-giftbox", band=band, faq_id=faq, lang=lang)
        assert d.band == ANSWER and d.faq_id == "multi-buy" and d.reason == MULTI_BUY, (band, faq, d)


def test_several_variants_bought_together_with_a_discount_are_multi_buy():
    d = final_decision("kalo beli kastil + dinosaurus ada potongan ga kak?", "blocks-giftset", band=SILENT)
    assert d.band == ANSWER and d.faq_id == "multi-buy", d
    d = final_decision("grey and pink in one order, any discount?", "stroller-a1", band=SILENT)
    assert d.band == ANSWER and d.faq_id == "multi-buy", d


@pytest.mark.parametrize("text", [
    "有优惠券吗", "any coupons for 2 items?", "买两件能用券吗", "两件多少钱", "if i spend over 399 do i get the 60 off?",
    "29 yuan for 5 pairs?? thats cheaper than my coffee", "ongkir ada potongan kalau beli 2?", "能便宜点吗",
    "grey or pink, which is cheaper?",
])
def test_not_a_multi_buy_question(text):
    values = RECOGNISER.recognise(text).values
    assert not asks_multi_buy(text, values), text


def test_the_multi_buy_faq_is_found_by_its_examples():
    assert kind_faq(SNAPSHOT, "tee-classic", MULTI_BUY_KIND) == "multi-buy"


@pytest.mark.parametrize("text", ["size 40 ada diskon?", "mua size 40 có giảm không"])
def test_a_discount_read_as_one_variants_stock_goes_to_staff(text):
    d = final_decision(text, "running-shoes", band=SILENT, lang="id")
    assert d.band == STAFF and d.reason == DISCOUNT_NOT_STOCK, d


def test_quantity_and_discount_words():
    assert names_quantity("kalo beli 2 set") and names_quantity("mua nhiều") and not names_quantity("size 40 masih ada")
    assert names_discount("ada diskon?") and not names_discount("ada voucher diskon?")


# ------------------------------------------------------------------------------------------ D. pieces in a set


PIECES_ASKED = [
    ("城堡款有多少颗粒", "zh"), ("how many pieces in the dino set?", "en"), ("恐竜のセットは何ピース?", "ja"),
    ("성 세트는 몇 피스예요?", "ko"), ("ชุดปราสาทมีกี่ชิ้นคะ", "th"), ("bộ khủng long mấy chi tiết", "vi"),
    ("set dinosaurusnya berapa pcs isinya?", "id"), ("¿cuántas piezas trae el castillo?", "es"),
]


@pytest.mark.parametrize(("text", "lang"), PIECES_ASKED)
def test_how_many_pieces_in_a_set_is_its_pieces(text, lang):
    assert asked_unit(text) == "pieces", text
    for band, faq in ((SILENT, None), (ANSWER, "stock")):
        d = final_decision(text, "blocks-giftset", band=band, faq_id=faq, lang=lang)
        assert d.band == ANSWER and d.path == "structured" and d.qtype == "attribute" and d.attribute == "pieces", d
    d = final_decision(text, "blocks-giftset", band=ANSWER, faq_id="blocks-pieces", lang=lang)
    assert d.band == ANSWER and d.faq_id == "blocks-pieces", d  # the product's own FAQ for it stays


@pytest.mark.parametrize("text", [
    "城堡款还剩几个", "castle set how many left?", "ชุดไดโนเสาร์เหลือกี่ชิ้นคะ", "bộ lâu đài còn mấy bộ",
    "set kastil sisa berapa pcs", "お城 残り何個?", "공룡 세트 몇 개 남았어요?", "¿cuántos quedan del castillo?",
])
def test_how_many_left_of_a_set_is_still_the_stock(text):
    assert asked_unit(text) is None, text
    d = final_decision(text, "blocks-giftset", band=SILENT)
    assert not (d.band == ANSWER and d.qtype == "attribute"), d


@pytest.mark.parametrize(("text", "key"), [("一盒有几包", "net_weight"), ("how many packs in one box?", "net_weight"),
                                           ("กล่องนึงมีกี่ซองคะ", "net_weight"), ("cuántos sobres trae", "net_weight")])
def test_how_many_packs_in_the_nuts_box(text, key):
    d = final_decision(text, "nuts-giftbox", band=SILENT)
    assert d.band == ANSWER and d.attribute == key, d


@pytest.mark.parametrize("text", ["一盒几双", "ถุงเท้ากล่องนึงมีกี่คู่", "tất 1 hộp mấy đôi", "how many pairs in a box?"])
def test_pairs_counted_only_in_the_name_go_to_staff(text):
    d = final_decision(text, "socks-5pack", band=SILENT)
    assert d.band == STAFF and d.reason == CONTENTS_UNKNOWN, d


@pytest.mark.parametrize("text", ["มีกี่ชิ้น", "1日何袋食べればいい?", "一天吃几包", "满多少包邮"])
def test_no_counted_attribute_or_a_dose_keeps_the_reading(text):
    for stage in ("tee-classic", "nuts-giftbox"):
        d = final_decision(text, stage, band=SILENT)
        assert not (d.band == ANSWER and d.qtype == "attribute"), (stage, d)


def test_the_counted_attributes_come_from_the_catalog():
    assert counted_attributes(SNAPSHOT.products["blocks-giftset"]) == {"pieces": ("pieces",)}
    assert counted_attributes(SNAPSHOT.products["nuts-giftbox"]) == {"packs": ("net_weight",)}
    assert counted_attributes(SNAPSHOT.products["socks-5pack"]) == {"name:pairs": ("",)}
    assert counted_attributes(SNAPSHOT.products["tee-classic"]) == {}


# ------------------------------------------------------------------------------------------ G. exchange and returns


EXCHANGE_ASKED = [
    ("买小了能换大一码吗", "zh"), ("can I exchange it for a bigger size?", "en"), ("サイズ交換できますか", "ja"),
    ("작으면 사이즈 교환 돼요?", "ko"), ("ถ้าเล็กไปเปลี่ยนไซส์ได้ไหม", "th"), ("chật thì đổi size được không", "vi"),
    ("kalo kekecilan bisa tuker ukuran?", "id"), ("si me queda chica ¿puedo cambiar la talla?", "es"),
]
RETURN_ASKED = [
    ("不合身能退吗", "zh"), ("can I return it if it doesn't fit?", "en"), ("サイズが合わなければ返品できますか", "ja"),
    ("사이즈 안 맞으면 반품 돼요?", "ko"), ("ไซส์ไม่พอดีคืนสินค้าได้ไหม", "th"), ("không vừa thì trả hàng được không", "vi"),
    ("kalau gak muat bisa retur?", "id"), ("si no me queda, ¿puedo devolverla?", "es"),
]


@pytest.mark.parametrize(("text", "lang"), EXCHANGE_ASKED + RETURN_ASKED)
def test_an_exchange_or_return_with_a_size_is_the_policy_faq(text, lang):
    kind = asks_exchange(text)
    want = "exchange" if kind == EXCHANGE else "returns"
    assert kind == (EXCHANGE if (text, lang) in EXCHANGE_ASKED else RETURN), text
    for band, faq in ((SILENT, None), (ANSWER, "sizes-in-stock"), (ANSWER, "tee-size-advice")):
        d = final_decision(text, "tee-classic", band=band, faq_id=faq, lang=lang)
        assert d.band == ANSWER and d.faq_id == want, (band, faq, d)
    d = final_decision(text, "tee-classic", band=ANSWER, faq_id="returns" if want == "exchange" else "exchange", lang=lang)
    assert d.faq_id in ("returns", "exchange"), d  # the matcher's own exchange / returns FAQ stays


@pytest.mark.parametrize("text", [
    "主播换个颜色看看", "换季了", "có bị đổi màu không", "ซักแล้วเปลี่ยนสีไหม", "¿cambia de color al lavar?",
    "주소 바꿀 수 있나요?", "when will XL return?", "L码还有吗", "这件偏大吗",
])
def test_not_an_exchange_or_return(text):
    assert asks_exchange(text) is None, text


def test_the_policy_faqs_are_found_by_their_examples():
    assert kind_faq(SNAPSHOT, "tee-classic", EXCHANGE) == "exchange"
    assert kind_faq(SNAPSHOT, "tee-classic", RETURN) == "returns"


def test_a_complaint_the_intent_model_named_stays_with_staff():
    d = final_decision("尺码发错了要换货", "tee-classic", band=STAFF, reason="intent complaint: never auto-answered")
    assert d.band == STAFF, d


# ------------------------------------------------------------------------------------------ H. free gifts


FREEBIE_ASKED = [
    ("买推车送什么赠品吗", "zh"), ("does it come with a free gift?", "en"), ("おまけは付きますか", "ja"),
    ("사은품 있어요?", "ko"),
    ("มีของแถมอะไรบ้างคะ", "th"), ("mua xe đẩy có tặng kèm gì ko shop", "vi"), ("beli stroller dapet bonus apa kak", "id"),
    ("¿viene con algún regalo?", "es"),
]


@pytest.mark.parametrize(("text", "lang"), FREEBIE_ASKED)
def test_a_free_gift_asked_for_is_not_a_request_for_a_suggestion(text, lang):
    assert "free gift" in named_topics(text) and not_a_request(text) == FREEBIE, text
    d = final_decision(text, "stroller-a1", band=RECOMMEND, reason="intent want_recommendation", lang=lang)
    assert d.band == SILENT, d


@pytest.mark.parametrize("text", ["送老婆什么礼物好", "gợi ý quà tặng mẹ với shop",
                                  "un regalo para mi madre, ¿qué me recomiendas?", "what should I get my mom?",
                                  "rekomendasi kado buat bayi dong"])
def test_a_gift_to_buy_is_still_a_request(text):
    assert "free gift" not in named_topics(text) and not_a_request(text) is None, text


# ------------------------------------------------------------------------------------------ replay: the blind sets' own


def test_the_blind_sets_comments_of_these_kinds_through_the_engine(tmp_path, embedder):
    """Part A of data/probe_fix10a.jsonl (the comments of probe_fresh10 / probe_fresh11 these kinds come from) replayed
    through the engine in an eight-language room: each is answered as labelled, or (the free gift) not at all."""
    from bot.bootstrap import build_runtime, ensure_catalog, open_store
    from bot.config import Settings
    from bot.replay import answers_label, load_expectations, replay

    rows = [json.loads(line) for line in (ROOT / "data/probe_fix10a.jsonl").read_text(encoding="utf-8").splitlines()]
    part_a = [r for r in rows if r["ts"] < 1000]
    log = tmp_path / "part_a.jsonl"
    log.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part_a), encoding="utf-8")
    settings = Settings.load(
        {"db": f"sqlite:///{tmp_path}/e.db", "index_dir": str(tmp_path / "index"), "catalog": str(ROOT / "data/catalog.yaml"),
         "intents": str(ROOT / "data/intents.yaml"), "room_languages": "zh,en,ja,ko,th,vi,id,es"},
        env={},
    )
    store = open_store(settings)
    ensure_catalog(store, settings, replace=True)
    store.reset_session()
    runtime = build_runtime(settings, store=store, embedder=embedder)
    outcomes: list = []
    asyncio.run(replay(runtime, log, speed=0, on_outcome=outcomes.append))
    expected = load_expectations(log)
    faqs = runtime.engine.state.view.snapshot.faqs
    checked = 0
    for o in outcomes:
        if o.comment.id not in expected:
            continue
        want, d = expected[o.comment.id], o.decision
        if want is None:
            assert d.band not in (ANSWER, RECOMMEND), (o.comment.text, d)
        else:
            assert d.band == ANSWER and answers_label(d, want, faqs), (o.comment.text, want, d)
        checked += 1
    assert checked == len([r for r in part_a if "text" in r])
    runtime.store.close()


@pytest.mark.parametrize("text", ["màu lạc đà ngoài đời có giống hình không", "mua 2 đôi có giảm giá không"])
def test_doi_with_other_marks_is_not_an_exchange(text: str) -> None:
    # đời (life) and đôi (a pair) fold to "doi" like đổi (exchange): written with their marks they are not it
    assert asks_exchange(text) is None


def test_doi_exchange_is_read_with_or_without_marks() -> None:
    assert asks_exchange("đôi này đổi size được không") == EXCHANGE and asks_exchange("doi size duoc ko") == EXCHANGE
