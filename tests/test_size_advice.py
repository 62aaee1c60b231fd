"""Size advice (issue 10 point 3): measurements read from comments, the size chart rule at its boundaries, live
stock in the answer, size charts in the catalog file (file:line errors, round trip through the store), and one
show through the real engine over a real socket."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot.measures import Body, cn_number, is_size_question, parse_body
from bot.messages import Comment
from bot.pipeline import ANSWER, SILENT, STAFF, CatalogView, Decision, MatchSettings, understand
from bot.replay import replay
from bot.size_advice import ADVICE, advise, body_slots, render_advice
from bot.slots import Recogniser
from bot.structured import render_structured, structured_decision
from catalog.errors import Invalid
from catalog.io import CatalogFileError, dump_catalog, parse_catalog
from catalog.size_chart import MAX_ROWS, SizeRow, chart_problems
from catalog.snapshot import CatalogSnapshot, ProductInfo, VariantInfo
from catalog.store import CatalogStore
from tests.factories import demo_catalog
from tests.runtimes import live_runtime

ROOT = Path(__file__).resolve().parents[1]
DATA = demo_catalog()
PRODUCTS = {p.id: p for p in DATA.products}
SNAPSHOT = CatalogSnapshot(version=1, products=PRODUCTS, faqs={f.id: f for f in DATA.faqs}, synonyms=DATA.synonyms)
VIEW = CatalogView.build(SNAPSHOT)
RECOGNISER = Recogniser.build(SNAPSHOT)

# the tee's chart in data/catalog.yaml
TEE = PRODUCTS["tee-classic"]
CHART = TEE.size_chart


def _row(size: str, **ranges: tuple[float, float]) -> SizeRow:
    return SizeRow(size=size, ranges=ranges)


# ------------------------------------------------------------------------------------------ reading measurements


@pytest.mark.parametrize(
    ("text", "height", "weight", "foot"),
    [
        ("175 120斤穿什么码", 175, 60, None),
        ("米七五穿啥码", 175, None, None),
        ("一米七五 一百二十斤", 175, 60, None),
        ("1米75 60kg", 175, 60, None),
        ("1米7 一百斤能穿吗", 170, 50, None),
        ("1.75m 70公斤", 175, 70, None),
        ("身高175体重130斤", 175, 65, None),
        ("身高1.68", 168, None, None),
        ("I'm 180cm 75kg what size", 180, 75, None),
        ("5'10\" 160 lbs what size", 177.8, 72.6, None),
        ("I am 6 ft 1, 190 lbs", 185.4, 86.2, None),
        ("脚长24.5穿多大", None, None, 245),
        ("脚长245mm", None, None, 245),
        ("foot length 26cm which size", None, None, 260),
        ("一米八 一百六十斤", 180, 80, None),
    ],
)
def test_measurements_are_read_with_their_units(text, height, weight, foot):
    body = parse_body(text)
    got = body.dimensions()
    for dim, want in (("height_cm", height), ("weight_kg", weight), ("foot_mm", foot)):
        if want is None:
            assert dim not in got, (text, got)
        else:
            assert got[dim] == pytest.approx((want, want), abs=0.05), (text, got)


def test_approximate_numbers_are_ranges_not_points():
    body = parse_body("120多斤一米七几")
    assert body.weight_kg == (60.0, 64.5) and body.height_cm == (170, 179)


@pytest.mark.parametrize(
    "text",
    ["体重60穿什么码",  # 60 kg or 60斤? never a guessed unit
     "大米一斤多少钱", "米白色还有吗", "这个多少钱 199元", "44码还有吗", "i wear 42 eu, which size?"],
)
def test_numbers_without_a_body_unit_are_not_measurements(text):
    assert not parse_body(text)


def test_two_different_heights_are_not_one_body():
    assert parse_body("170还是175").height_cm is None


def test_a_number_left_unread_is_reported():
    body = parse_body("175 65 穿多大")  # 65 kg or 65斤?
    assert body.height_cm == (175, 175) and body.unread == ("65",)
    assert parse_body("175 120斤穿2xl可以吗").unread == ()  # a size code is no unread number


def test_chinese_numbers():
    assert [cn_number(t) for t in ("一百二十", "一百二", "一百零五", "九十", "两百", "十", "六十五")] == [
        120, 120, 105, 90, 200, 10, 65]
    assert cn_number("百") is None and cn_number("abc") is None


@pytest.mark.parametrize(
    ("text", "asks"),
    [("175 120斤穿什么码", True), ("I'm 180cm 75kg what size", True), ("我175 120斤", True),
     ("180的穿xl可以吗", True), ("my foot is 26 cm", True),
     ("175/120", False), ("42码 脚长26", False), ("主播多高", False)],
)
def test_size_questions(text, asks):
    assert is_size_question(text, parse_body(text)) is asks


# ------------------------------------------------------------------------------------------ the chart rule


@pytest.mark.parametrize(
    ("body", "size"),
    [
        ({"height_cm": (155, 155)}, "S"),  # the chart's lowest edge
        ({"height_cm": (175, 175)}, "L"),  # inside a row
        ({"height_cm": (172, 172)}, "L"),  # the edge M and L share: the larger
        ({"height_cm": (195, 195)}, "XXL"),  # the chart's highest edge
        ({"height_cm": (175, 175), "weight_kg": (70, 70)}, "L"),  # both agree
        ({"height_cm": (175, 175), "weight_kg": (60, 60)}, "L"),  # one neighbouring size apart (L / M): the larger
        ({"height_cm": (165, 165), "weight_kg": (50, 50)}, "S"),  # on the S/M edge, the weight says S: S
        ({"height_cm": (178, 178), "weight_kg": (75, 75)}, "XL"),  # both on the L/XL edge
        ({"height_cm": (172, 177), "weight_kg": (66, 66)}, "L"),  # a range inside one row
    ],
)
def test_advice_at_the_boundaries(body, size):
    assert advise(CHART, body).size == size


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ({"height_cm": (154, 154)}, "outside"),  # just below the chart
        ({"height_cm": (196, 196)}, "outside"),  # just above
        ({"height_cm": (90, 90)}, "outside"),  # a child
        ({"height_cm": (175, 175), "weight_kg": (120, 120)}, "outside"),  # one dimension fits, the other does not
        ({"height_cm": (160, 160), "weight_kg": (80, 80)}, "different sizes"),  # S by height, XL by weight
        ({"foot_mm": (250, 250)}, "has no"),  # a foot length for a tee
        ({"height_cm": (150, 200)}, "spans"),
        ({"height_cm": (170, 179), "weight_kg": (66, 66)}, "spans"),  # 一米七几: M, L or XL — the weight cannot say
    ],
)
def test_advice_hands_to_staff_instead_of_guessing(body, why):
    advice = advise(CHART, body)
    assert advice.size is None and why in advice.why


def test_between_two_rows_that_do_not_touch_is_staff():
    chart = (_row("S", height_cm=(150, 160)), _row("M", height_cm=(165, 175)))
    assert advise(chart, {"height_cm": (162, 162)}).size is None
    assert "between" in advise(chart, {"height_cm": (162, 162)}).why
    assert advise(chart, {"height_cm": (160, 160)}).size == "S"
    assert advise(chart, {"height_cm": (165, 165)}).size == "M"


def test_a_range_spanning_three_sizes_is_staff():
    chart = (_row("S", height_cm=(160, 163)), _row("M", height_cm=(163, 166)), _row("L", height_cm=(166, 170)))
    assert advise(chart, {"height_cm": (160, 169)}).size is None


# ------------------------------------------------------------------------------------------ answers with live stock


def _with_stock(product: ProductInfo, stock: dict[str, int]) -> ProductInfo:
    return replace(product, variants=tuple(replace(v, stock=stock.get(v.sku, v.stock)) for v in product.variants))


def _asked(text: str) -> dict[str, str]:
    return body_slots(parse_body(text))


def test_the_answer_names_the_size_and_its_live_stock():
    text = render_advice(TEE, _asked("175 120斤穿什么码"), "zh")
    assert text is not None and "建议L码" in text and "L码还有12件" in text and "黑色已售罄" in text
    en = render_advice(TEE, _asked("I'm 180cm 80kg"), "en")
    assert en is not None and "size XL" in en and "6 left" in en


def test_sold_out_advised_size_offers_the_next_size_up():
    sold = _with_stock(TEE, {"TEE-WHT-L": 0, "TEE-BLK-L": 0, "TEE-WHT-XL": 3})
    text = render_advice(sold, _asked("175 120斤穿什么码"), "zh")
    assert text is not None and "L码刚售罄" in text and "XL码还有3件" in text and "建议L码" in text
    en = render_advice(sold, _asked("I'm 175cm 60kg"), "en")
    assert en is not None and "sold out" in en and "XL has 3 left" in en


def test_sold_out_with_nothing_one_size_up_says_so():
    sold = _with_stock(TEE, {"TEE-WHT-L": 0, "TEE-BLK-L": 0, "TEE-WHT-XL": 0, "TEE-BLK-XL": 0})
    text = render_advice(sold, _asked("175 120斤"), "zh")
    assert text is not None and "售罄" in text and "大一码也没货" in text and "还有" not in text
    top = render_advice(_with_stock(TEE, {"TEE-WHT-XXL": 0, "TEE-BLK-XXL": 0}), _asked("190 90kg"), "zh")
    assert top is not None and "XXL码刚售罄" in top and "还有" not in top  # no size above the largest


def test_a_named_colour_is_kept():
    asked = {"colour": "黑色", **_asked("175 120斤")}
    text = render_advice(TEE, asked, "zh")  # black L sold out, black XL sold out
    assert text is not None and "黑色L码刚售罄" in text and "大一码也没货" in text


def test_outside_the_chart_renders_nothing():
    assert render_advice(TEE, _asked("身高150"), "zh") is None


# ------------------------------------------------------------------------------------------ decisions


def _decide(text: str, stage: str, base: Decision | None = None) -> Decision | None:
    c = Comment(id="t", user="u", text=text, ts=0.0)
    u = understand(c, VIEW, stage, MatchSettings())
    d = base or Decision(comment_id="t", band=SILENT, reason="below threshold", lang=u.lang, product_id=u.product_id)
    return structured_decision(u, d, RECOGNISER.recognise(text), VIEW)


def test_a_size_question_with_measurements_is_answered_from_the_chart():
    d = _decide("175 120斤穿什么码", "tee-classic")
    assert d is not None and d.band == ANSWER and d.qtype == ADVICE and d.product_id == "tee-classic"
    # the transcript shows what was read and the size advised (a log's slot label checks it)
    assert dict(d.asked) == {"size": "L", "height_cm": "175", "weight_kg": "60"}
    text = render_structured(d, TEE, currency={})
    assert text is not None and "建议L码" in text


def test_the_chart_beats_a_generic_size_faq():
    faq = Decision(comment_id="t", band=ANSWER, reason="match", lang="zh", faq_id="tee-size-advice",
                   product_id="tee-classic", score=0.9)
    d = _decide("米七五穿啥码", "tee-classic", faq)
    assert d is not None and d.qtype == ADVICE and d.band == ANSWER


@pytest.mark.parametrize(
    ("text", "stage"),
    [("190 220斤穿什么码", "tee-classic"),  # outside the chart (110 kg)
     ("175 65 穿多大", "tee-classic"),  # 65 unread: kg or 斤?
     ("宝宝90cm穿什么码", "tee-classic"),
     ("身高175穿什么码", "stroller-a1")],  # no size chart, no FAQ answered
)
def test_numbers_the_chart_cannot_answer_go_to_staff(text, stage):
    d = _decide(text, stage)
    assert d is not None and d.band == STAFF and d.reason.startswith("size advice:")


def test_without_a_chart_a_matching_faq_still_answers():
    faq = Decision(comment_id="t", band=ANSWER, reason="match", lang="zh", faq_id="stroller-age-range",
                   product_id="stroller-a1", score=0.9)
    assert _decide("身高90cm穿什么码", "stroller-a1", faq) is None


def test_a_weight_in_chinese_numerals_is_not_read_as_a_shoe_size():
    slots = RECOGNISER.recognise("一米七八 一百四十斤穿啥码")  # "四十" is no size 40 of the running shoes
    assert not slots.values and slots.size_question
    d = _decide("一米七八 一百四十斤穿啥码", "tee-classic")
    assert d is not None and d.product_id == "tee-classic" and dict(d.asked)["size"] == "L"


def test_an_unread_chinese_number_is_staff():
    assert parse_body("米八的个子 一百五穿啥").unread == ("一百五",)  # 150斤 or 150 kg: not guessed
    assert parse_body("十分喜欢 175 穿啥码").unread == ()


def test_questions_about_the_host_are_not_size_advice():
    d = _decide("主播175穿什么码", "tee-classic")
    assert d is None or d.qtype != ADVICE


# ------------------------------------------------------------------------------------------ the catalog file

PRODUCT = """\
version: 1
products:
  - id: tee
    name: {{zh: T恤, en: Tee}}
    price: 79
    variants:
      - {{sku: T-S, attrs: {{size: S}}, stock: 1}}
      - {{sku: T-M, attrs: {{size: M}}, stock: 1}}
      - {{sku: T-L, attrs: {{size: L}}, stock: 1}}
    size_chart:
{rows}
"""


def _chart_file(rows: str) -> str:
    return PRODUCT.format(rows=rows)


def _error(rows: str) -> CatalogFileError:
    with pytest.raises(CatalogFileError) as exc:
        parse_catalog(_chart_file(rows), "c.yaml")
    return exc.value


def test_a_valid_chart_loads():
    data = parse_catalog(_chart_file(
        "      - {size: S, height_cm: [150, 160]}\n      - {size: M, height_cm: [160, 170]}\n"
    ), "c.yaml")
    assert [r.size for r in data.products[0].size_chart] == ["S", "M"]


@pytest.mark.parametrize(
    ("rows", "line", "words"),
    [
        ("      - {size: S, height_cm: [150, 165]}\n      - {size: M, height_cm: [160, 170]}\n", 12, "overlaps"),
        ("      - {size: S, height_cm: [165, 150]}\n", 11, "inverted"),
        ("      - {size: XS, height_cm: [140, 150]}\n", 11, "not a size"),
        ("      - {size: S, height_cm: [150, 160]}\n      - {size: S, height_cm: [160, 170]}\n", 12, "twice"),
        ("      - {size: M, height_cm: [150, 160]}\n      - {size: S, height_cm: [160, 170]}\n", 12, "smallest"),
        ("      - {size: S, height_cm: [1.5, 1.6]}\n", 11, "centimetres"),
        ("      - {size: S, height_cm: [150, 160]}\n      - {size: M, weight_kg: [50, 60]}\n", 12, "same dimensions"),
        ("      - {size: S, height_cm: [150]}\n", 11, "two numbers"),
        ("      - {size: S, height_cm: [150, .inf]}\n", 11, "finite"),
        ("      - {size: S}\n", 11, "at least one"),
        ("      - {size: S, hieght_cm: [150, 160]}\n", 11, "unknown key"),
        ("      - {size: M, weight_kg: [60, 70]}\n      - {size: L, weight_kg: [50, 55]}\n", 12, "below"),
    ],
)
def test_bad_charts_are_file_line_errors(rows, line, words):
    err = _error(rows)
    assert err.errors[0][0] == line, err
    assert words in str(err), err
    assert f"c.yaml:{line}:" in str(err)


def test_an_empty_chart_is_an_error():
    err = _error("      []\n")
    assert "empty" in str(err) and err.errors[0][0] == 11


def test_a_huge_chart_is_refused_before_reading_its_rows():
    rows = "".join(f"      - {{size: S, height_cm: [{i}, {i}]}}\n" for i in range(MAX_ROWS + 1))
    err = _error(rows)
    assert f"at most {MAX_ROWS}" in str(err) and len(err.errors) == 1


def test_a_product_without_sizes_cannot_have_a_chart():
    text = _chart_file("      - {size: S, height_cm: [150, 160]}\n").replace("size: S}", "colour: red}")
    text = text.replace("size: M}", "colour: blue}").replace("size: L}", "colour: green}")
    with pytest.raises(CatalogFileError, match="has none"):
        parse_catalog(text, "c.yaml")


def test_chart_problems_list_every_problem():
    problems = chart_problems(
        [_row("S", height_cm=(170, 160)), _row("Q", height_cm=(150, 160)), _row("M", height_cm=(160, 170))],
        ["S", "M", "L"],
    )
    assert [i for i, _ in problems] == [0, 1]


# ------------------------------------------------------------------------------------------ store and round trip


@pytest.fixture
def store(tmp_path: Path):
    s = CatalogStore(f"sqlite:///{tmp_path / 'c.db'}")
    yield s
    s.close()


def test_charts_round_trip_through_the_store_and_export(store: CatalogStore, tmp_path: Path):
    store.load_catalog(DATA.products, DATA.faqs, examples=DATA.examples, currency=DATA.currency, synonyms=DATA.synonyms)
    live = store.snapshot().products
    for pid in ("tee-classic", "down-jacket", "running-shoes"):
        assert live[pid].size_chart == PRODUCTS[pid].size_chart and live[pid].size_chart
    assert store.product("stroller-a1").size_chart == ()  # type: ignore[union-attr]
    exported = dump_catalog(store)
    assert "size_chart:" in exported and "{size: L, height_cm: [172, 178], weight_kg: [65, 75]}" in exported
    again = parse_catalog(exported, "export.yaml")
    assert {p.id: p.size_chart for p in again.products} == {p.id: p.size_chart for p in DATA.products}


def test_the_store_refuses_a_bad_chart(store: CatalogStore):
    product = ProductInfo(
        id="p", name={"en": "P"}, aliases=(), category="", description={}, price=1,  # type: ignore[arg-type]
        tags=(), attributes={},
        variants=(VariantInfo(sku="P-S", product_id="p", attrs={"size": "S"}, stock=1),),
        size_chart=(_row("S", height_cm=(180, 170)),),
    )
    with pytest.raises(Invalid, match="inverted"):
        store.upsert_product(product)
    store.upsert_product(replace(product, size_chart=(_row("S", height_cm=(170, 180)),)))
    assert store.product("p").size_chart == (_row("S", height_cm=(170.0, 180.0)),)  # type: ignore[union-attr]


def test_a_console_edit_keeps_the_chart(store: CatalogStore):
    from bot.console.forms import format_variants, product_from_form

    existing = PRODUCTS["tee-classic"]
    kept = [v for v in existing.variants if v.attrs["size"] != "XXL"]  # the editor removes the XXL variants
    form = {"name_zh": "T恤", "price": "79", "variants": format_variants(tuple(kept))}
    edited = product_from_form(form, existing)
    assert [r.size for r in edited.size_chart] == ["S", "M", "L", "XL"]


def test_size_chart_rows_serialise_without_float_noise():
    assert _row("L", height_cm=(172.0, 178.5)).to_json() == {"size": "L", "height_cm": [172, 178.5]}
    assert SizeRow.from_json({"size": "L", "height_cm": [172, 178.5]}) == _row("L", height_cm=(172.0, 178.5))


def test_body_is_falsy_without_measurements():
    assert not Body() and Body(height_cm=(170, 170))


# ------------------------------------------------------------------------------------------ through the engine

SHOW = [
    {"ts": 0.0, "type": "stage", "product_id": "tee-classic"},
    {"ts": 0.1, "id": "advice", "user": "u1", "text": "175 120斤穿什么码"},
    {"ts": 0.2, "id": "advice-en", "user": "u2", "text": "I'm 180cm 80kg what size"},
    {"ts": 0.3, "type": "order", "order_id": "o1", "sku": "TEE-WHT-L", "qty": 12, "user": "u9"},
    {"ts": 0.4, "id": "advice-sold", "user": "u3", "text": "米七五穿啥码"},
    {"ts": 0.5, "id": "outside", "user": "u4", "text": "身高150穿什么码"},
]


def test_size_advice_through_the_real_engine(tmp_path: Path, embedder):
    runtime = live_runtime(tmp_path, embedder)
    log = tmp_path / "show.jsonl"
    log.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in SHOW) + "\n", encoding="utf-8")
    asyncio.run(replay(runtime, log, speed=20.0))
    replies = {cid: r.text for r in runtime.store.replies() for cid in r.reply_to}
    stored = {c.comment_id: c for c in runtime.store.comments(limit=None)}
    assert "建议L码" in replies["advice"] and "L码还有12件" in replies["advice"]
    assert "size XL" in replies["advice-en"]
    # white L sold out in between, black L never had stock: the next size up, read live
    assert "L码刚售罄" in replies["advice-sold"] and "XL码还有" in replies["advice-sold"]
    assert "outside" not in replies and stored["outside"].status == "staff"
    assert "size advice" in (stored["outside"].reason or "")
