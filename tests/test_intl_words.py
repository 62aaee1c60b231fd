"""The cross-border room languages' built-in words: question words (bot/question_words.py), basic colours
(bot/colour_words.py) and attribute words (bot/attribute_words.py) as the recogniser reads them. Pure: no model, no
database. The sentences are written for these tests, not taken from the evaluation logs."""

from __future__ import annotations

import pytest

from bot.attribute_words import ATTRIBUTE_WORDS, attribute_words
from bot.colour_words import BASIC_COLOURS, colour_aliases, colour_concepts
from bot.messages import Comment
from bot.pipeline import ANSWER, RECOMMEND, SILENT, Decision, MatchSettings, understand
from bot.question_words import INTL_WORDS, intl_question
from bot.slots import Recogniser, question_type
from bot.structured import render_structured, structured_decision
from catalog.io import parse_catalog
from catalog.langs import foreign_script
from catalog.snapshot import CatalogSnapshot
from tests.demo_view import RECOGNISER, SNAPSHOT, VIEW

LANGS = ("ja", "ko", "th", "vi", "id", "es")


def _decide(text: str, stage: str, lang: str, band: str = SILENT) -> Decision | None:
    c = Comment(id="t", user="u", text=text, ts=0.0)
    u = understand(c, VIEW, stage, MatchSettings())
    d = Decision(comment_id="t", band=band, reason="below threshold", lang=lang, product_id=u.product_id)
    return structured_decision(u, d, RECOGNISER.recognise(text), VIEW)


# ------------------------------------------------------------------------------------------ question words, per language

QUESTIONS = {
    "ja": [("再販の予定はありますか", "restock"), ("あと何枚残ってますか", "count"), ("どんな色がありますか", "which"),
           ("お値段は?", "price"), ("まだ残ってますか", "stock"), ("完売ですか", "stock")],
    "ko": [("언제 다시 들어와요?", "restock"), ("몇 벌 남았어요?", "count"), ("어떤 컬러 있어요?", "which"),
           ("몇 원이에요?", "price"), ("아직 남아있어요?", "stock"), ("매진인가요", "stock")],
    "th": [("จะมีเข้าอีกไหม", "restock"), ("เหลืออยู่กี่ชิ้น", "count"), ("มีกี่สีคะ", "which"), ("กี่บาทคะ", "price"),
           ("ยังเหลือไหมคะ", "stock"), ("มีปะ", "stock")],
    "vi": [("bao giờ về hàng vậy", "restock"), ("còn mấy cái shop", "count"), ("có mấy màu vậy", "which"),
           ("nhiêu tiền vậy shop", "price"), ("còn size m k shop", "stock"), ("hết hàng chưa", "stock")],
    "id": [("kapan ready lagi?", "restock"), ("stoknya berapa kak", "count"), ("pilihan warnanya apa aja", "which"),
           ("hrg nya brp", "price"), ("masih ready kak?", "stock"), ("ukuran m kosong ya?", "stock")],
    "es": [("¿cuándo vuelve a haber?", "restock"), ("¿cuántas hay?", "count"), ("¿en qué tallas viene?", "which"),
           ("¿a cuánto está?", "price"), ("¿todavía hay?", "stock"), ("¿les queda en M?", "stock")],
}


@pytest.mark.parametrize("lang", LANGS)
def test_question_words_of_each_language(lang):
    for text, qtype in QUESTIONS[lang]:
        assert question_type(text) == qtype, (lang, text)
        assert intl_question(text) or qtype, (lang, text)


def test_every_language_has_every_question_type_and_latin_words_stand_alone():
    for lang in LANGS:
        assert set(INTL_WORDS[lang]) == {"restock", "count", "which", "price", "stock"}, lang
    assert question_type("hayden says hi") is None  # "hay" (es) only as a word
    assert question_type("greetings from canada") is None  # "ada" (id) only as a word
    assert question_type("hasta cuántos kilos aguanta") is None  # "a cuánto" (es: price) only as words
    assert question_type("¿a cuánto lo dejas?") == "price"


@pytest.mark.parametrize(
    ("text", "lang"),
    [("ตัวนี้หนักเท่าไหร่", "th"), ("xe nặng bao nhiêu", "vi"), ("¿cuánto pesa?", "es")],
)
def test_a_how_much_about_an_attribute_is_not_a_price_question(text, lang):
    slots = RECOGNISER.recognise(text)
    assert slots.qtype == "attribute" and slots.attributes == ("weight",), (lang, slots)


@pytest.mark.parametrize(("text", "value"), [("size M bao nhiêu", "M"), ("ukuran L berapa", "L")])
def test_a_how_much_about_a_named_variant_asks_its_price(text, value):
    slots = RECOGNISER.recognise(text)
    assert slots.qtype == "price" and ("tee-classic", "size", value) in slots.values


# ------------------------------------------------------------------------------------------ basic colours


@pytest.mark.parametrize(
    ("text", "lang"),
    [("ピンクはまだありますか", "ja"), ("핑크 있어요?", "ko"), ("สีชมพูยังมีไหม", "th"), ("màu hồng còn không", "vi"),
     ("yang merah muda ada?", "id"), ("¿hay rosa?", "es")],
)
def test_a_basic_colour_word_names_the_catalog_colour_in_every_language(text, lang):
    # the stroller's colour is 樱花粉 / "blossom pink" / さくらピンク: the plain word for pink finds it
    assert ("stroller-a1", "colour", "樱花粉") in RECOGNISER.recognise(text).values, lang
    d = _decide(text, "stroller-a1", lang)
    assert d is not None and d.qtype == "stock" and dict(d.asked) == {"colour": "樱花粉"}
    reply = render_structured(d, SNAPSHOT.products["stroller-a1"], currency=SNAPSHOT.currency)
    assert reply and foreign_script(reply, lang) is None


def test_colour_concepts_prefer_the_english_label_and_the_most_specific_word():
    assert colour_concepts("blossom pink", ["樱花粉", "さくらピンク"]) == {"pink"}
    assert colour_concepts("navy blue", []) == {"navy"}
    assert colour_concepts("cream white", []) == {"cream"}
    assert colour_concepts(None, ["雾霾灰"]) == {"grey"}
    assert colour_concepts("oatmeal", []) == {"oatmeal"}
    assert colour_concepts("seafoam", ["海沫"]) == set()


def test_a_basic_colour_shared_by_two_colours_of_a_product_names_neither():
    aliases = colour_aliases({"白色": ("white", ["白色"]), "珍珠白": ("pearl white", ["珍珠白"]), "黑色": ("black", ["黑色"])})
    assert "白色" not in aliases and "珍珠白" not in aliases
    assert "ブラック" in aliases["黑色"] and "negro" in aliases["黑色"]
    assert "黑" not in aliases["黑色"]  # Chinese words are read, never added


def test_a_latin_colour_word_with_diacritics_stands_alone():
    # "đỏ" (red: the lipstick's "#01 true red") is a word of its own, not the start of "đỏng đảnh" (fussy)
    assert RECOGNISER.recognise("son đỏ còn không").values == (("lipstick-velvet", "colour", "#01正红"),)
    assert RECOGNISER.recognise("cô ấy đỏng đảnh quá").values == ()
    assert ("tee-classic", "colour", "黑色") in RECOGNISER.recognise("áo đen size L còn không").values


def test_an_indonesian_nya_is_read_with_its_word():
    assert ("tee-classic", "colour", "黑色") in RECOGNISER.recognise("hitamnya masih ada?").values
    assert ("tee-classic", "size", "XL") in RECOGNISER.recognise("xlnya ready kak?").values
    assert RECOGNISER.recognise("hitamnyaman").values == ()


def test_the_colour_lists_have_every_room_language():
    for concept, words in BASIC_COLOURS.items():
        assert {"zh", "en", *LANGS} <= set(words), concept


# ------------------------------------------------------------------------------------------ attribute words


@pytest.mark.parametrize(
    ("text", "lang", "key"),
    [("本体の重さは?", "ja", "weight"), ("무게가 어떻게 돼요?", "ko", "weight"), ("รับน้ำหนักได้เท่าไหร่", "th", "max_load"),
     ("xe chịu tải bao nhiêu", "vi", "max_load"), ("bahannya apa ya", "id", "material"), ("¿es reclinable?", "es", "recline")],
)
def test_attribute_words_of_each_language(text, lang, key):
    slots = RECOGNISER.recognise(text)
    assert slots.qtype == "attribute" and slots.attributes[0] == key, (lang, slots)
    d = _decide(text, "stroller-a1", lang)
    assert d is not None and d.qtype == "attribute" and d.attribute == key


@pytest.mark.parametrize(
    ("text", "lang", "stage", "key"),
    [("áo khoác này có giữ ấm không", "vi", "down-jacket", "warmth"),
     ("jaketnya ada musim dingin gak", "id", "down-jacket", "warmth"),
     ("洗濯機で洗っても縮みはありますか", "ja", "tee-classic", "care"),
     ("¿hay que lavarla a máquina o se lava a mano?", "es", "tee-classic", "care"),
     ("有没有承重限制", "zh", "stroller-a1", "max_load"),
     ("size L có giữ ấm không", "vi", "down-jacket", "warmth")],  # with a variant named in the same frame
)
def test_a_yes_no_question_about_an_attribute_asks_the_attribute_not_the_stock(text, lang, stage, key):
    # "có … không", "ada … gak", "ありますか", "hay", "有没有" are also how availability is asked; with an attribute word and
    # no availability word they ask about the attribute
    slots = RECOGNISER.recognise(text)
    assert slots.qtype == "attribute" and key in slots.attributes, (lang, slots)
    d = _decide(text, stage, lang)
    assert d is not None and d.qtype == "attribute" and d.attribute == key, (lang, d)


@pytest.mark.parametrize(
    "text",
    ["áo giữ ấm này còn hàng không", "size L giữ ấm hết hàng chưa", "承重那款还有货吗", "el que abriga, ¿queda en M?"],
)
def test_availability_words_keep_a_stock_question(text):
    assert RECOGNISER.recognise(text).qtype == "stock", text


@pytest.mark.parametrize(
    ("text", "lang", "stage", "key"),
    [
        ("¿se puede reclinar del todo?", "es", "stroller-a1", "recline"),
        ("xe ngả nằm cho bé ngủ được không", "vi", "stroller-a1", "recline"),
        ("¿cuántos kilos aguanta la carriola?", "es", "stroller-a1", "max_load"),
        ("¿cuánto pesan las zapatillas?", "es", "running-shoes", "weight"),
        ("đi có êm chân không", "vi", "running-shoes", "sole"),
        ("¿qué tal la amortiguación?", "es", "running-shoes", "sole"),
    ],
)
def test_verb_forms_and_plain_words_of_an_attribute(text, lang, stage, key):
    # infinitives and plurals ("reclinar", "pesan"), and the everyday word for a part ("êm chân": soft underfoot)
    d = _decide(text, stage, lang)
    assert d is not None and d.qtype == "attribute" and d.attribute == key, (lang, d)


def test_vietnamese_without_diacritics_asks_the_price_around_the_product_word():
    d = _decide("gia doi nay la bao nhieu", "running-shoes", "vi")
    assert d is not None and d.qtype == "price", d


def test_gia_dinh_family_is_not_the_price_word():
    """Unaccented "gia" is the price only as a word of its own: "gia đình" (family) before "bao nhiêu" is not."""
    from bot.question_words import intl_question_type

    assert intl_question_type("gia dinh 4 nguoi dung size bao nhieu") != "price"
    assert intl_question_type("gia đình tôi mặc size bao nhieu") != "price"
    assert intl_question_type("gia doi nay bao nhieu") == "price"


def test_the_longest_attribute_word_wins():
    assert RECOGNISER.recognise("รับน้ำหนักได้กี่กิโล").attributes == ("max_load",)  # not น้ำหนัก (weight) inside it
    assert RECOGNISER.recognise("¿cuánto peso aguanta?").attributes == ("max_load",)


def test_attribute_words_are_unique_and_only_for_keys_products_have():
    seen: dict[str, str] = {}
    for key in ATTRIBUTE_WORDS:
        for word in set(attribute_words(key)):  # "重量" is Chinese and Japanese for the same key
            assert word not in seen, (word, key, seen.get(word))
            seen[word] = key
    assert attribute_words("no_such_key") == ()
    bare = parse_catalog(
        "products:\n  - id: cup\n    name: {zh: 杯子, en: Cup}\n    price: 10\n    attributes:\n"
        "      material: {zh: 陶瓷, en: ceramic}\n    variants:\n      - {sku: C1, attrs: {size: M}, stock: 3}\n"
    )
    snap = CatalogSnapshot(version=1, products={p.id: p for p in bare.products}, faqs={}, synonyms=bare.synonyms)
    cup = Recogniser.build(snap)
    assert cup.recognise("素材は何ですか").attributes == ("material",)
    assert cup.recognise("重さは?").attributes == ()  # the cup has no weight attribute


def test_the_catalog_keeps_its_own_meaning_of_a_word():
    text = (
        "products:\n  - id: cup\n    name: {zh: 杯子, en: Cup}\n    price: 10\n    attributes:\n"
        "      weight: {zh: 300克, en: 300 g}\n      material: {zh: 陶瓷, en: ceramic}\n"
        "    variants:\n      - {sku: C1, attrs: {size: M}, stock: 3}\n"
        "synonyms:\n  attributes:\n    material: [重さ]\n"
    )
    data = parse_catalog(text)
    snap = CatalogSnapshot(version=1, products={p.id: p for p in data.products}, faqs={}, synonyms=data.synonyms)
    assert Recogniser.build(snap).recognise("重さは?").attributes == ("material",)


def test_an_attribute_word_does_not_turn_a_recommendation_into_an_attribute_answer():
    assert _decide("新生児にいいプレゼントは?", "stroller-a1", "ja", band=RECOMMEND) is None
    assert _decide("新生児でも使えますか", "stroller-a1", "ja") is not None


# ------------------------------------------------------------------------------------------ the whole product's price


@pytest.mark.parametrize(
    ("text", "lang"),
    [("このベビーカーはいくらですか", "ja"), ("유모차 가격이 어떻게 돼요?", "ko"), ("รถเข็นราคาเท่าไหร่", "th"),
     ("xe đẩy giá sao shop", "vi"), ("harga strollernya?", "id"), ("¿qué precio tiene la carriola?", "es")],
)
def test_a_plain_price_question_no_faq_answered_gets_the_products_price(text, lang):
    d = _decide(text, "stroller-a1", lang)
    assert d is not None and d.qtype == "price" and not d.asked, (lang, d)
    reply = render_structured(d, SNAPSHOT.products["stroller-a1"], currency=SNAPSHOT.currency)
    assert reply and "899" in reply and foreign_script(reply, lang) is None


@pytest.mark.parametrize(
    "text",
    ["送料はいくら?", "배송비 얼마예요?", "ค่าส่งราคาเท่าไหร่", "phí ship giá bao nhiêu", "ongkir harganya berapa",
     "¿precio del envío?", "2台でいくら?", "运费多少钱", "how much does it weigh", "coupon price?"],
)
def test_other_costs_quantities_and_attributes_are_not_the_products_price(text):
    assert _decide(text, "stroller-a1", "en") is None


def test_a_confident_faq_answer_to_a_price_question_stands():
    c = Comment(id="t", user="u", text="このベビーカーはいくらですか", ts=0.0)
    u = understand(c, VIEW, "stroller-a1", MatchSettings())
    d = Decision(comment_id="t", band=ANSWER, reason="match", lang="ja", faq_id="price", product_id="stroller-a1")
    assert structured_decision(u, d, RECOGNISER.recognise(c.text), VIEW) is None


def test_an_attribute_word_inside_a_product_name_comes_after_the_others():
    # ขนเป็ด (duck down) asks for the fill, but เสื้อขนเป็ด is the Thai for a down jacket (in the product's Thai name)
    assert RECOGNISER.recognise("เสื้อขนเป็ดตัวนี้ใส่ตอนหนาวอุ่นไหม").attributes == ("warmth", "fill")
    d = _decide("เสื้อขนเป็ดตัวนี้ใส่ตอนหนาวอุ่นไหม", "down-jacket", "th")
    assert d is not None and d.attribute == "warmth"
    assert RECOGNISER.recognise("ขนเป็ดหรือขนห่าน").attributes == ("fill",)  # alone, it still asks for the fill
    assert RECOGNISER.recognise("오버핏이에요?").attributes == ("fit",)  # 오버핏 is in the tee's Korean name


def test_chinese_how_many_months_is_an_age_not_a_count():
    slots = RECOGNISER.recognise("几个月的宝宝能坐")
    assert slots.qtype == "attribute" and slots.attributes == ("age_range",)
    assert RECOGNISER.recognise("还剩几个").qtype == "count"


# ------------------------------------------------------------------------------------------ size advice in any language

SIZE_QUESTIONS = {
    "ja": ("身長160cm、体重50キロです。何サイズがいいですか", "S", "Sサイズがおすすめです"),
    "ko": ("키 175 몸무게 70인데 어떤 사이즈 입어야 돼요?", "L", "L 사이즈를 추천해요"),
    "th": ("สูง 172 หนัก 60 กก. ใส่ไซส์อะไรดี", "M", "แนะนำไซส์ M"),
    "vi": ("em cao 1m55 nặng 48 ký mặc size gì vừa", "S", "nên chọn size S"),
    "id": ("tb 180 bb 80 pakai size apa ya", "XL", "cocoknya ukuran XL"),
    "es": ("mido 1,68 y peso 60 kilos, ¿qué talla me recomiendas?", "M", "te recomendamos la talla M"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_size_advice_reads_measurements_and_answers_in_each_language(lang):
    text, size, said = SIZE_QUESTIONS[lang]
    d = _decide(text, "tee-classic", lang)
    assert d is not None and d.qtype == "size_advice" and d.band == ANSWER, (lang, d)
    assert dict(d.asked)["size"] == size
    reply = render_structured(d, SNAPSHOT.products["tee-classic"], currency=SNAPSHOT.currency)
    assert reply is not None and said in reply and foreign_script(reply, lang) is None, reply


def test_size_advice_in_another_language_says_when_the_size_is_sold_out():
    from dataclasses import replace

    tee = SNAPSHOT.products["tee-classic"]
    tee = replace(tee, variants=tuple(replace(v, stock=0) if v.attrs.get("size") == "M" else v for v in tee.variants))
    d = _decide("สูง 170 หนัก 60 ใส่ไซส์อะไรดี", "tee-classic", "th")
    assert d is not None and dict(d.asked)["size"] == "M"
    reply = render_structured(d, tee, currency=SNAPSHOT.currency)
    assert reply is not None and "แนะนำไซส์ M" in reply and "หมดแล้ว" in reply


def test_a_weight_without_a_unit_is_kilograms_only_in_languages_that_weigh_in_kilograms():
    from bot.measures import parse_body

    assert parse_body("หนัก 55").weight_kg == (55.0, 55.0)
    assert parse_body("peso 60").weight_kg == (60.0, 60.0)
    assert parse_body("体重60").weight_kg is None  # Chinese: 60 kg or 60斤, never guessed
    assert parse_body("¿pesa 5 kg?").height_cm is None


def test_a_value_of_an_off_stage_product_does_not_override_a_faq_example_worded_alike():
    """"¿es original?" (is it genuine?) with the running shoes on stage: "original" is also the nuts' flavour, and a
    value alone may point the structured reading at the one product that has it — but the comment is worded like an
    example staff wrote for the authenticity FAQ, so that FAQ's answer stands. A value of the product on stage, or of
    a product the comment names, keeps the structured reading."""
    from bot.pipeline import EXACT_MATCH

    text = "¿es original?"
    c = Comment(id="t", user="u", text=text, ts=0.0)
    u = understand(c, VIEW, "running-shoes", MatchSettings())
    exact = Decision(comment_id="t", band=ANSWER, reason=EXACT_MATCH, lang="es", faq_id="authenticity",
                     product_id=u.product_id)
    assert structured_decision(u, exact, RECOGNISER.recognise(text), VIEW) is None
    plain = Decision(comment_id="t", band=SILENT, reason="below threshold", lang="es", product_id=u.product_id)
    # nor without the FAQ: "es" is a word the recogniser does not read, so the value alone is too little to move the
    # answer off stage (tests/test_structured_guards.py); a bare "original?" still asks for the nuts' flavour
    assert structured_decision(u, plain, RECOGNISER.recognise(text), VIEW) is None
    bare = "original?"
    u = understand(Comment(id="t", user="u", text=bare, ts=0.0), VIEW, "running-shoes", MatchSettings())
    moved = structured_decision(u, plain, RECOGNISER.recognise(bare), VIEW)
    assert moved is not None and moved.product_id == "nuts-giftbox"  # no FAQ said otherwise: the value's product
