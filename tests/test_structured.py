"""Catalog-derived recognisers and structured answers (pure: no model, no database)."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answer_checks import with_structured
from bot.messages import Comment
from bot.pipeline import ANSWER, RECOMMEND, SILENT, STAFF, CatalogView, Decision, MatchSettings, understand
from bot.resolve import mentioned_products, model_codes, product_terms
from bot.slots import Recogniser, canonical_numbers
from bot.structured import render_structured, structured_decision
from catalog.io import CatalogFileError, parse_catalog
from catalog.snapshot import CatalogSnapshot, ProductInfo
from catalog.text import fold
from tests.factories import demo_catalog

ROOT = Path(__file__).resolve().parents[1]
DATA = demo_catalog()
SNAPSHOT = CatalogSnapshot(
    version=1, products={p.id: p for p in DATA.products}, faqs={f.id: f for f in DATA.faqs}, synonyms=DATA.synonyms
)
VIEW = CatalogView.build(SNAPSHOT)
RECOGNISER = Recogniser.build(SNAPSHOT)


def _decide(text: str, stage: str, base: Decision | None = None) -> Decision | None:
    c = Comment(id="t", user="u", text=text, ts=0.0)
    u = understand(c, VIEW, stage, MatchSettings())
    d = base or Decision(comment_id="t", band=SILENT, reason="below threshold", lang=u.lang, product_id=u.product_id)
    return structured_decision(u, d, RECOGNISER.recognise(text), VIEW)


# ------------------------------------------------------------------------------------------ recognisers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L码还有吗", {("tee-classic", "size", "L")}),
        ("2XL有货吗", {("tee-classic", "size", "XXL")}),  # catalog synonym
        ("有没有黑的", {("tee-classic", "colour", "黑色")}),  # one-character synonym + 的
        ("粉色多少钱", {("stroller-a1", "colour", "樱花粉")}),  # synonym of another product's value
        ("any size 44 left?", {("running-shoes", "size", "44")}),
        ("四十二码还有吗", {("running-shoes", "size", "42")}),  # Chinese numerals
        ("do you have a white M", {("tee-classic", "size", "M"), ("tee-classic", "colour", "白色")}),
        ("ＸＬ还有吗", {("tee-classic", "size", "XL")}),  # full width
    ],
)
def test_variant_values_are_recognised(text, expected):
    found = set(RECOGNISER.recognise(text).values)
    assert expected <= found


@pytest.mark.parametrize("text", ["I'm here", "明白了", "主播好美", "xl is a size code inside xlarge? no: xlarge"])
def test_no_value_is_read_into_ordinary_words(text):
    values = {v for _, _, v in RECOGNISER.recognise(text).values}
    assert not values & {"M", "白色"} or text.startswith("xl")


@pytest.mark.parametrize(
    ("text", "qtype"),
    [("L码还有吗", "stock"), ("M码还剩多少", "count"), ("粉色多少钱", "price"), ("还有哪些码", "which"),
     ("T恤XL补货了吗", "restock"), ("推车多重", "attribute"), ("what sizes are left", "which"), ("黑色44码呢", "stock")],
)
def test_question_types(text, qtype):
    assert RECOGNISER.recognise(text).qtype == qtype


def test_attribute_words_come_from_the_catalog_synonyms():
    assert RECOGNISER.recognise("推车多重").attributes == ("weight",)
    assert "max_load" in RECOGNISER.recognise("承重多少").attributes
    assert RECOGNISER.recognise("好暖和的样子").qtype is None  # an exclamation, not a question


@pytest.mark.parametrize(
    ("text", "attribute"),
    [("这鞋沉不沉", "weight"), ("遛娃神器重不重啊", "weight"), ("厚不厚", "fabric_weight")],
)
def test_a_not_a_questions_ask_for_the_attribute(text, attribute):
    """沉不沉 / 重不重: the A-not-A form asks, with no question mark or 吗."""
    slots = RECOGNISER.recognise(text)
    assert slots.qtype == "attribute" and attribute in slots.attributes


@pytest.mark.parametrize(("text", "which"), [("跑鞋都有啥配色", "colour"), ("口红有哪些色号", "colour"), ("还有哪些码", "size")])
def test_which_questions_about_colour_schemes_and_shade_numbers(text, which):
    slots = RECOGNISER.recognise(text)
    assert (slots.qtype, slots.which) == ("which", which)  # the 号 of 色号 is not a size


@pytest.mark.parametrize(
    ("text", "stage", "asked"),
    [
        ("白色的41有吗", "running-shoes", {"colour": "白灰", "size": "41"}),  # the shoes' only white is 白灰
        ("white 41 available?", "running-shoes", {"colour": "白灰", "size": "41"}),
        ("白的L还有吗", "down-jacket", {"colour": "奶白色", "size": "L"}),
        ("白色L码还有吗", "tee-classic", {"colour": "白色", "size": "L"}),  # the tee's own 白色, not a hue guess
        ("白T XL码还有吗", "down-jacket", {"colour": "白色", "size": "XL"}),  # the alias 白T names the white tee
        ("大瓶多少钱", "serum-oilcontrol", {"spec": "50ml"}),
        ("小杯还有吗", "thermos-316", {"spec": "350ml"}),
        ("口红奶茶色还有吗", "lipstick-velvet", {"colour": "#21奶茶"}),  # a shade code said by its name
    ],
)
def test_values_the_catalog_does_not_spell_out(text, stage, asked):
    d = _decide(text, stage)
    assert d is not None and d.path == "structured" and dict(d.asked) == asked, d


def test_a_colour_the_product_does_not_have_is_not_read_as_another_products():
    """The stroller has no white: "白色的还有吗" on its stage is not answered with the stock of some other white thing
    (four products have one, so none is guessed)."""
    assert _decide("白色的还有吗", "stroller-a1") is None


def test_statements_and_requests():
    assert not RECOGNISER.recognise("好可爱 我家宝宝也要").request
    for text in ("推荐一个送女朋友的", "anything cheaper", "castle or dinosaur set", "有没有便宜点的"):
        assert RECOGNISER.recognise(text).request, text


def test_a_recommendation_nobody_asked_for_is_silent():
    recommend = Decision(comment_id="t", band=RECOMMEND, reason="intent want_recommendation", lang="zh",
                         product_id="stroller-a1")
    for text, band in (("好可爱 我家宝宝也要", SILENT), ("给宝宝买什么好", RECOMMEND), ("推荐一个送女朋友的", RECOMMEND)):
        c = Comment(id="t", user="u", text=text, ts=0.0)
        u = understand(c, VIEW, "stroller-a1", MatchSettings())
        assert with_structured(c, u, recommend, VIEW).band == band, text


def test_numbers_with_units():
    assert canonical_numbers("50毫升的") == "50ml的"
    assert canonical_numbers("宝宝两岁 二十八斤") == "宝宝2岁 28斤"


def test_questions_about_the_host_are_not_catalog_questions():
    assert RECOGNISER.recognise("主播穿的是什么码").qtype is None


# ------------------------------------------------------------------------------------------ decisions


def test_structured_stock_question_is_answered_without_a_faq():
    d = _decide("黑色L码还有吗", "tee-classic")
    assert d is not None and d.band == ANSWER and d.path == "structured" and d.qtype == "stock"
    assert dict(d.asked) == {"colour": "黑色", "size": "L"}


def test_a_named_product_is_never_swapped_for_another_one():
    assert _decide("袜子44码能穿吗", "running-shoes") is None


def test_a_staff_faq_for_the_product_beats_the_structured_path():
    # the tee's own stock FAQ, written by staff with the stock in its answer
    own = replace(SNAPSHOT.faqs["tee-size-advice"], id="tee-stock", intent="ask_stock",
                  answers={"zh": "{product}现在有:{sizes_in_stock}", "en": "{product} in stock: {sizes_in_stock}"})
    snapshot = replace(SNAPSHOT, faqs={**SNAPSHOT.faqs, own.id: own})
    view = CatalogView.build(snapshot)
    faq_answer = Decision(comment_id="t", band=ANSWER, reason="match", lang="zh", faq_id="tee-stock",
                          product_id="tee-classic")
    c = Comment(id="t", user="u", text="L码还有吗", ts=0.0)
    u = understand(c, view, "tee-classic", MatchSettings())
    assert structured_decision(u, faq_answer, RECOGNISER.recognise(c.text), view) is None
    generic = replace(faq_answer, faq_id="stock")  # a generic FAQ: the structured answer is more exact
    assert SNAPSHOT.faqs["stock"].product_id is None
    assert _decide("L码还有吗", "tee-classic", generic) is not None
    # (h/recall9) a product FAQ whose answer quotes no stock (the tee's size advice) does not answer "is L left?"
    advice = replace(faq_answer, faq_id="tee-size-advice")
    assert _decide("L码还有吗", "tee-classic", advice) is not None


def test_a_product_faq_about_another_question_does_not_beat_the_stock_answer():
    """serum-30-vs-50 compares the two sizes (intent compare): "50毫升的没了?" asks for stock, answered exactly."""
    compare = Decision(
        comment_id="t", band=ANSWER, reason="match", lang="zh", faq_id="serum-30-vs-50", product_id="serum-oilcontrol"
    )
    assert SNAPSHOT.faqs["serum-30-vs-50"].intent == "compare"
    d = _decide("50毫升的没了？", "serum-oilcontrol", compare)
    assert d is not None and d.qtype == "stock" and dict(d.asked) == {"spec": "50ml"}


def test_complaints_stay_with_staff():
    staff = Decision(comment_id="t", band=STAFF, reason="intent complaint: never auto-answered", lang="zh")
    assert _decide("黑色L码还有吗", "tee-classic", staff) is None


# ------------------------------------------------------------------------------------------ answers


def _answer(text: str, stage: str, stock: dict[str, int] | None = None) -> str | None:
    d = _decide(text, stage)
    assert d is not None
    product = SNAPSHOT.products[d.product_id or stage]
    if stock:
        product = replace(product, variants=tuple(replace(v, stock=stock.get(v.sku, v.stock)) for v in product.variants))
    return render_structured(d, product, currency=SNAPSHOT.currency)


def test_answers_read_the_stock_numbers():
    assert _answer("XL码还有吗", "tee-classic", {"TEE-WHT-XL": 6, "TEE-BLK-XL": 0}) == "XL码目前有货:白色6件,黑色已售罄"
    assert _answer("白色XL码还有吗", "tee-classic", {"TEE-WHT-XL": 6}) == "有的,白色XL码还有6件"
    assert _answer("白色XL码还有吗", "tee-classic", {"TEE-WHT-XL": 30}) == "有的,白色XL码现货充足"
    sold_out = _answer("黑色L码还有吗", "tee-classic", {"TEE-BLK-L": 0})
    assert sold_out is not None and sold_out.startswith("黑色L码刚售罄") and "还有" in sold_out
    assert _answer("粉色多少钱", "stroller-a1") == "樱花粉919元"
    assert _answer("还有哪些码", "tee-classic", {"TEE-WHT-XXL": 0, "TEE-BLK-XXL": 0}) == "目前有货的尺码:S、M、L、XL"


@pytest.mark.slow  # a property search over hundreds of examples: make test, not test-fast
@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.dictionaries(st.sampled_from([v.sku for v in SNAPSHOT.products["tee-classic"].variants]), st.integers(0, 40)))
def test_a_sold_out_variant_is_never_answered_as_available(stock):
    product = SNAPSHOT.products["tee-classic"]
    for v in product.variants:
        colour, size = v.attrs["colour"], v.attrs["size"]
        text = _answer(f"{colour}{size}码还有吗", "tee-classic", stock)
        assert text is not None
        if stock.get(v.sku, v.stock) == 0:
            assert "售罄" in text and not text.startswith("有的"), text
        else:
            assert text.startswith("有的"), text


def test_english_answers():
    assert _answer("any size 44 left?", "running-shoes", {"SHOE-WG-44": 0, "SHOE-BK-44": 2}) == (
        "size 44 in stock: black 2; sold out: white-grey"
    )


# ------------------------------------------------------------------------------------------ bad input


def test_colliding_synonyms_are_a_file_line_error():
    text = (
        (ROOT / "data/catalog.yaml")
        .read_text(encoding="utf-8")
        .replace("      XL: [加大码, 加大号, 1XL]", "      XL: [加大码, 加大号, 1XL, 2XL]")
    )
    with pytest.raises(CatalogFileError, match=r"synonym '2XL' means both XXL and XL"):
        parse_catalog(text, "catalog.yaml")


@pytest.mark.parametrize(
    ("entry", "word", "other"),
    [("      XXL: [2XL, 2xl, 加加大, 加加大码, xxl码]", "XL", "XL"),  # another size's own name
     ("      奶白色: [奶白, 米白, cream]", "black", "黑色")],  # another colour's label (the down jacket has both)
)
def test_a_synonym_that_names_another_value_is_a_file_line_error(entry, word, other):
    """"XL" listed for XXL would make "XL还有吗" mean two sizes: refused at the line of the entry, like a synonym listed
    for two values (the rule is catalog/synonyms.py's, shared with the store and the console)."""
    original = (ROOT / "data/catalog.yaml").read_text(encoding="utf-8")
    at = original.splitlines().index(entry) + 1
    with pytest.raises(CatalogFileError) as refused:
        parse_catalog(original.replace(entry, entry[:-1] + f", {word}]"), "catalog.yaml")
    assert f"catalog.yaml:{at}: synonym '{word}' means both {other} and " in str(refused.value)


def test_synonyms_of_unknown_values_are_refused():
    text = (ROOT / "data/catalog.yaml").read_text(encoding="utf-8").replace("      驼色: [驼, camel]", "      紫色: [紫]")
    with pytest.raises(CatalogFileError, match="'紫色' is not a colour of any variant"):
        parse_catalog(text, "catalog.yaml")


@pytest.mark.parametrize("text", ["红色警戒。", "乐府还没s啊", "s", "L"])
def test_chatter_that_happens_to_contain_a_variant_value_is_not_a_stock_question(text):
    """Real danmaku: a colour or size inside other words, or a lone letter, is not "do you have it"."""
    d = _decide(text, "tee-classic")
    assert d is None or d.path != "structured", d


@pytest.mark.parametrize("text", ["黑色L码", "白的~", "黑色44码呢", "XL"])
def test_a_bare_variant_is_still_asked_about(text):
    stage = "running-shoes" if "44" in text else "tee-classic"
    d = _decide(text, stage)
    assert d is not None and d.path == "structured" and d.qtype == "stock", (text, d)


# ------------------------------------------------------------------------------------------ model codes in names


@pytest.mark.parametrize("text", ["轻便推车A1多少钱", "推车A1多少钱", "A1推车什么价", "a1多少钱", "Ａ１多少钱"])
def test_a_model_code_in_the_name_names_the_product_and_is_no_quantity(text):
    """"A1" of "轻便婴儿推车A1": a partial name with the code ("轻便推车A1") or the code alone names the stroller,
    and its "1" is not a quantity ("买2件多少钱"): the plain price question gets the stroller's price."""
    slots = RECOGNISER.recognise(text)
    assert slots.products == ("stroller-a1",) and slots.qtype == "price" and slots.plain_price, slots
    assert mentioned_products(fold(unicodedata.normalize("NFKC", text)), VIEW.terms) == ["stroller-a1"]
    d = _decide(text, "tee-classic")  # named: the stroller, whatever is on stage
    assert d is not None and d.product_id == "stroller-a1" and d.qtype == "price", d
    reply = render_structured(d, SNAPSHOT.products["stroller-a1"], currency=SNAPSHOT.currency)
    assert reply is not None and "899" in reply, reply


@pytest.mark.parametrize("text", ["ba1多少钱", "a10多少钱", "A1B多少钱", "panda1多少钱"])
def test_a_model_code_inside_a_longer_latin_word_or_number_names_nothing(text):
    assert RECOGNISER.recognise(text).products == ()


@pytest.mark.parametrize(
    "text", ["买2件多少钱", "推车A1买2件多少钱", "A1两个多少钱", "xl2件多少钱", "x2多少钱", "two of them how much", "2个A1多少钱"]
)
def test_quantities_are_still_quantities_next_to_a_code(text):
    slots = RECOGNISER.recognise(text)
    assert slots.qtype == "price" and not slots.plain_price, (text, slots)


@pytest.mark.parametrize("text", ["iphone15多少钱", "K3Pro多少钱"])
def test_digits_glued_to_latin_letters_are_no_quantity(text):
    """A model the catalog does not know ("iphone15") is no quantity either: the price question stays plain."""
    assert RECOGNISER.recognise(text).plain_price


def _with_products(*extra: ProductInfo, version: int = 2) -> CatalogSnapshot:
    return replace(SNAPSHOT, version=version, products={**SNAPSHOT.products, **{p.id: p for p in extra}})


def _stroller_like(pid: str, zh: str, en: str) -> ProductInfo:
    base = SNAPSHOT.products["stroller-a1"]
    variants = tuple(replace(v, sku=f"{pid}-{v.sku}", product_id=pid) for v in base.variants)
    return replace(base, id=pid, name={"zh": zh, "en": en}, aliases=(), variants=variants)


def test_a_code_two_products_share_names_neither(caplog):
    """"A1" also in another product's name: "A1多少钱" no longer says which; the words of each name still do."""
    snap = _with_products(_stroller_like("stroller-a1-plus", "豪华婴儿推车A1", "A1 Deluxe Stroller"))
    with caplog.at_level("INFO", logger="bot.slots"):
        recogniser = Recogniser.build(snap)
    assert "'a1'" in caplog.text and "stroller-a1-plus" in caplog.text
    assert recogniser.recognise("a1多少钱").products == ()
    assert mentioned_products("a1多少钱", product_terms(snap)) == []
    assert model_codes(snap).shared == {"a1": ("stroller-a1", "stroller-a1-plus")}
    assert recogniser.recognise("豪华婴儿推车a1多少钱").products == ("stroller-a1-plus",)


def test_a_product_added_by_a_catalog_edit_is_named_by_its_code():
    """Hot reload: the view rebuilt from the edited catalog (reusing the previous one) knows the new product's code."""
    assert VIEW.recogniser is not None and VIEW.recogniser.recognise("X5多少钱").products == ()
    snap = _with_products(_stroller_like("stroller-x5", "折叠遛娃车X5", "X5 Folding Stroller"))
    view = CatalogView.build(snap, VIEW)
    assert view.recogniser is not None and view.recogniser is not VIEW.recogniser
    slots = view.recogniser.recognise("X5多少钱")
    assert slots.products == ("stroller-x5",) and slots.plain_price
    assert mentioned_products("x5多少钱", view.terms) == ["stroller-x5"]
    c = Comment(id="t", user="u", text="遛娃车X5多少钱", ts=0.0)
    u = understand(c, view, "tee-classic", MatchSettings())
    assert u.product_id == "stroller-x5" and u.product_how == "named"


def test_a_code_that_is_another_products_variant_value_names_nothing():
    shoes = SNAPSHOT.products["running-shoes"]
    sized = replace(shoes, variants=(replace(shoes.variants[0], attrs={**shoes.variants[0].attrs, "size": "A1"}),
                                     *shoes.variants[1:]))
    snap = _with_products(sized)
    assert model_codes(snap).shared == {"a1": ("stroller-a1", "running-shoes")}
    assert "a1" not in {t.term for t in product_terms(snap)}
    assert "a1" in {t.term for t in product_terms(SNAPSHOT)}
    assert "stroller-a1" not in Recogniser.build(snap).recognise("a1多少钱").products
