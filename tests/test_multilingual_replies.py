"""Replies in the viewer's language (issue 15): the built-in phrasebook, per-language names, the room's fallback
policy, and never a reply in the wrong script."""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import replace
from pathlib import Path

import pytest

from bot.engine import _in_reply_language, fallback_language, reply_language
from bot.pipeline import ANSWER, STAFF, Decision, MatchSettings
from bot.recommend import Recommendation, render_recommendations
from catalog.answer_text import render_text
from catalog.langs import foreign_script, is_code, usable_in
from catalog.phrases import LANGS, PHRASES, MissingText, phrase
from catalog.snapshot import ProductInfo, VariantInfo
from catalog.templates import RenderContext, render
from tests.factories import demo_catalog

ROOT = Path(__file__).resolve().parents[1]
DEMO = demo_catalog()
FIELD = re.compile(r"\{(\w+)\}")
EIGHT = ("zh", "en", "ja", "ko", "th", "vi", "id", "es")


def test_the_phrasebook_has_every_phrase_in_eight_languages_in_their_own_script():
    assert set(EIGHT) <= set(LANGS)
    for key, texts in PHRASES.items():
        langs = set(texts)
        assert langs >= set(EIGHT) or key == "why.audience", key
        fields = {lang: set(FIELD.findall(t)) - {"Name", "name"} for lang, t in texts.items()}
        assert len({frozenset(f) for f in fields.values()}) == 1, (key, fields)  # same fields in every language
        for lang, text in texts.items():
            assert foreign_script(text, lang) is None, (key, lang, text)


def test_a_language_without_a_phrasebook_is_refused_not_answered_in_english():
    with pytest.raises(MissingText) as info:
        phrase("stock.plenty", "fr", label="x", total=3)
    assert info.value.lang == "fr" and "no built-in fr wording" in info.value.what


# ------------------------------------------------------------------ a product with names in some languages only

def _tee(**names: str) -> ProductInfo:
    colours = {"white": {"zh": "白色", "en": "white", "ja": "ホワイト", "th": "สีขาว", "es": "blanco"},
               "black": {"zh": "黑色", "en": "black", "ja": "ブラック", "th": "สีดำ", "es": "negro"}}
    stock = {("white", "M"): 12, ("white", "L"): 3, ("white", "XL"): 0, ("black", "M"): 0, ("black", "L"): 7,
             ("black", "XL"): 2}
    variants = tuple(
        VariantInfo(sku=f"T-{c}-{s}", product_id="tee", attrs={"colour": colours[c]["zh"], "size": s}, stock=n,
                    labels={"colour": colours[c]})
        for (c, s), n in stock.items()
    )
    return ProductInfo(
        id="tee", name={"zh": "纯棉T恤", "en": "Cotton Tee", **names}, aliases=(), category="apparel",
        description={}, price=DEMO.products[0].price, tags=(),
        attributes={"material": {"zh": "100%棉", "en": "100% cotton", "ja": "綿100%"}}, variants=variants,
    )


def _foreign_names(product: ProductInfo, lang: str) -> set[str]:
    """Every catalog text that may not appear in a reply in `lang` (filed under another language and not fit)."""
    texts: list[tuple[str, dict]] = [("name", dict(product.name))]
    texts += [("attr", dict(t)) for t in product.attributes.values()]
    texts += [("label", dict(labels)) for v in product.variants for labels in v.labels.values()]
    bad: set[str] = set()
    for _, by_lang in texts:
        own = by_lang.get(lang)
        for other, text in by_lang.items():
            if other != lang and text != own and not usable_in(text, lang) and not is_code(text):
                bad.add(text)
    return bad


QUESTIONS = [("stock", None), ("count", None), ("restock", None), ("price", None), ("which", "size"),
             ("which", "colour"), ("attribute", "material")]


@pytest.mark.parametrize("lang", [lang for lang in EIGHT if lang not in ("zh", "en")])
def test_a_structured_reply_is_never_in_the_wrong_script(lang):
    """Property-style: every question type × asked variant × stock level × which names exist → either a reply with
    only texts fit for the language (no foreign script, no name of another language), or MissingText."""
    rng = random.Random(15)
    answered = refused = 0
    name_sets = [{}, {"ja": "コットンTシャツ"}, {"th": "เสื้อยืดคอตตอน", "ko": "코튼 티셔츠"}, {lang: "X" if lang == "vi" else "ok"}]
    askeds = [{}, {"size": "L"}, {"size": "XL"}, {"colour": "黑色"}, {"colour": "白色", "size": "XL"}, {"size": "XXXL"},
              {"colour": "紫色"}]
    for names, (qtype, attr), asked in itertools.product(name_sets, QUESTIONS, askeds):
        product = _tee(**names)
        if rng.random() < 0.3:  # sell some out
            product = replace(product, variants=tuple(replace(v, stock=0) if rng.random() < 0.5 else v
                                                      for v in product.variants))
        try:
            text = render_text(qtype, attr, asked, product, lang, currency={"zh": "元", "en": "CNY"}, last_restock=None)
        except MissingText as exc:
            assert exc.lang == lang
            refused += 1
            continue
        if text is None:
            continue
        answered += 1
        assert foreign_script(text, lang) is None, (lang, text)
        leaked = [n for n in _foreign_names(product, lang) if n in text]
        assert not leaked, (lang, text, leaked)
    assert answered and refused  # both paths are exercised


def test_japanese_reply_uses_japanese_names_and_never_the_chinese_ones():
    tee = _tee(ja="コットンTシャツ")
    text = render_text("stock", None, {"colour": "黑色", "size": "L"}, tee, "ja", currency={})
    assert text == "はい、ブラックのLサイズは残り7点です"
    price = f"{DEMO.products[0].price:.0f}"
    assert render_text("price", None, {}, tee, "ja", currency={"en": "CNY"}) == f"コットンTシャツは{price} CNYです"
    sold = render_text("stock", None, {"colour": "白色", "size": "XL"}, tee, "ja", currency={})
    assert sold is not None and sold.startswith("申し訳ありません、ホワイトのXLサイズは売り切れました。") and "白色" not in sold
    with pytest.raises(MissingText, match="no ko name for colour"):
        render_text("stock", None, {"colour": "黑色"}, tee, "ko", currency={})  # no Korean colour names
    with pytest.raises(MissingText, match="no th name for product 'tee'"):
        render_text("price", None, {}, tee, "th", currency={})  # a Thai reply never carries "Cotton Tee"
    assert render_text("count", None, {"size": "L"}, tee, "es", currency={}) == "De talla L quedan 10: blanco (3), negro (7)"
    assert render_text("stock", None, {"size": "L"}, tee, "es", currency={}) == "Disponible en talla L: blanco (3), negro (7)"


def test_english_names_are_borrowed_only_by_latin_script_languages():
    tee = _tee()
    assert render_text("price", None, {}, tee, "vi", currency={"en": "CNY"}).startswith("Cotton Tee giá ")
    for lang in ("ja", "ko", "th"):
        with pytest.raises(MissingText):
            render_text("price", None, {}, tee, lang, currency={})


def test_faq_templates_in_other_languages_render_strictly():
    tee = _tee(ja="コットンTシャツ")
    ctx = RenderContext(product=tee, lang="ja")
    assert render("{product}の素材は{attr:material}です", ctx) == "コットンTシャツの素材は綿100%です"
    assert render("在庫のあるカラー:{colours_in_stock}", ctx) == "在庫のあるカラー:ホワイト、ブラック"
    with pytest.raises(MissingText):
        render("{product}", RenderContext(product=tee, lang="th"))


def test_variants_in_stock_keeps_each_variant_together_in_every_language():
    """`{variants_in_stock}` lists variants separated by the language's list separator; the parts of one variant are
    joined by something else, or "blanco, M, blanco, L" (es; vi and id alike) cannot be read as variants."""
    tee = _tee(es="Camiseta de algodón")

    def listed(lang: str) -> str:
        return render("{variants_in_stock}", RenderContext(product=tee, lang=lang))

    assert listed("es") == "blanco M, blanco L, negro L, negro XL"
    assert listed("ja") == "ホワイト・M、ホワイト・L、ブラック・L、ブラック・XL"
    assert listed("en") == "white M, white L, black L, black XL"
    assert listed("zh") == "白色M、白色L、黑色L、黑色XL"
    white = {"zh": "白色", "en": "white", "ja": "ホワイト", "ko": "화이트", "th": "สีขาว", "vi": "trắng", "id": "putih",
             "es": "blanco"}
    black = {"zh": "黑色", "en": "black", "ja": "ブラック", "ko": "블랙", "th": "สีดำ", "vi": "đen", "id": "hitam", "es": "negro"}
    one = replace(tee, variants=tuple(replace(v, labels={"colour": white if v.attrs["colour"] == "白色" else black})
                                      for v in tee.variants if v.stock > 0))
    for lang in EIGHT:  # as many list items as variants in stock, whatever the language's separators
        text = render("{variants_in_stock}", RenderContext(product=one, lang=lang))
        assert len(text.split(phrase("list_sep", lang))) == len(one.variants), (lang, text)


def test_stock_placeholders_of_faq_answers_speak_every_phrasebook_language():
    """A staff FAQ answer "{asked_stock}" for a Japanese, Spanish … viewer: the phrasebook's stock answer for the asked
    variant (the same wording as a structured answer), a sold-out one with its alternatives, never "in stock"; names
    the catalog lacks in that language (no Korean colours here) leave it to the fallback policy."""
    tee = _tee(ja="コットンTシャツ", es="Camiseta de algodón")

    def asked_stock(lang: str, **asked: str) -> str:
        return render("{asked_stock}", RenderContext(product=tee, lang=lang, asked=asked))

    assert asked_stock("ja", colour="white", size="XL") == (
        "申し訳ありません、ホワイトのXLサイズは売り切れました。ホワイトのLサイズは残り3点、ブラックのXLサイズは残り2点"
    )
    assert asked_stock("ja", colour="white", size="M") == "はい、ホワイトのMサイズは在庫が十分あります"
    assert asked_stock("es", size="L") == "Disponible en talla L: blanco (3), negro (7)"
    assert asked_stock("es", colour="blanco", size="L") == "Sí, de blanco, talla L quedan 3"  # a colour asked in Spanish
    assert asked_stock("es", size="XXL").startswith("Este no viene en talla XXL")
    assert render("{stock_summary}", RenderContext(product=tee, lang="ja")) == (
        "コットンTシャツの在庫:ホワイトのMサイズ 12点、ホワイトのLサイズ 3点、ブラックのLサイズ 7点、ブラックのXLサイズ 2点。"
        "売り切れ:ホワイトのXLサイズ、ブラックのMサイズ"
    )
    with pytest.raises(MissingText, match="no ko name for colour"):
        asked_stock("ko", colour="black", size="L")
    for lang in ("ja", "es"):  # every sold-out variant, asked in full: a sold-out answer, never an in-stock one
        for v in tee.variants:
            text = asked_stock(lang, colour=v.attrs["colour"], size=v.attrs["size"])
            sold = text.startswith(("申し訳ありません", "Lo siento"))
            assert sold == (v.stock == 0), (lang, v.sku, text)


def test_recommendations_in_other_languages():
    tee = _tee(ja="コットンTシャツ")
    rec = Recommendation(product_id="tee", variant_sku=None, price=tee.price, stock=3, score=0.9, reasons=("on_stage",))
    text = render_recommendations([rec], {"tee": tee}, "ja")
    assert text == f"おすすめ:コットンTシャツ(¥{tee.price:.0f}、今ご紹介中の商品)"
    assert render_recommendations([rec], {"tee": tee}, "en").startswith("You might like: Cotton Tee (¥")
    with pytest.raises(MissingText):
        render_recommendations([rec], {"tee": tee}, "ko")


# ------------------------------------------------------------------ the room's fallback policy

@pytest.mark.parametrize(
    ("policy", "failed", "expected"),
    [("en", "ja", "en"), ("main", "ja", "zh"), ("staff", "ja", None), ("en", "en", None), ("main", "zh", None)],
)
def test_fallback_language(policy, failed, expected):
    assert fallback_language(failed, MatchSettings(lang_fallback=policy, default_lang="zh")) == expected


def test_no_template_in_the_viewers_language_follows_the_policy_and_says_why():
    d = Decision(comment_id="c", band=ANSWER, reason="faq shipping", lang="ja")
    en = _in_reply_language(d, {"zh", "en"}, MatchSettings(lang_fallback="en"))
    assert en.lang == "en" and en.band == ANSWER and en.reason == "faq shipping; in en: no ja answer"
    main = _in_reply_language(d, {"zh", "en"}, MatchSettings(lang_fallback="main", default_lang="zh"))
    assert main.lang == "zh"
    staff = _in_reply_language(d, {"zh", "en"}, MatchSettings(lang_fallback="staff"))
    assert staff.band == STAFF and "ja" in staff.reason
    assert _in_reply_language(d, {"zh", "ja"}, MatchSettings(lang_fallback="staff")) == d
    assert reply_language("pt", {"zh", "pt-BR"}, MatchSettings(lang_fallback="staff")) == "pt-BR"


@pytest.mark.parametrize(
    "text",
    ["مرحبا، هل يوجد مقاس XL؟", "שלום, יש XL?", "XL 有吗 있어요 ありますか", "\u202eXL\u202c 🙏🙏", "ไซส์ L มีไหม 有吗", "",
     "\u200f\u200e", "Ｌサイズ"],
)
def test_rtl_and_mixed_script_text_does_not_crash_the_script_checks(text):
    for lang in (*EIGHT, "ar", "he"):
        foreign_script(text, lang)
        usable_in(text, lang)
        is_code(text)


# ------------------------------------------------------------------ end to end through the engine (real model)

def _runtime(tmp_path, embedder, policy: str, catalog_text: str | None = None):
    from tests.runtimes import calibrated_runtime

    overrides = {"lang_fallback": policy}
    if catalog_text is not None:
        catalog = tmp_path / "catalog.yaml"
        catalog.write_text(catalog_text, encoding="utf-8")
        overrides["catalog"] = str(catalog)
    return calibrated_runtime(tmp_path, embedder, **overrides)


def _ask(runtime, text: str, cid: str = "c1"):
    from bot.messages import Comment, Stage

    runtime.engine.apply_event(Stage(product_id="tee-classic", ts=0.0))
    return runtime.engine.process([Comment(id=cid, user=cid, text=text, ts=1.0)])[0]


def _without_japanese(text: str) -> str:
    """The demo catalog with every Japanese text taken out (names, labels, attributes, answers, examples)."""
    text = re.sub(r', ja: "[^"]*"', "", text)
    return re.sub(r'\n +ja: (?:"[^"]*"|\[[^\]]*\])', "", text)


@pytest.fixture(scope="module")
def demo_runtime(tmp_path_factory, embedder):
    catalog = _without_japanese((ROOT / "data/catalog.yaml").read_text(encoding="utf-8"))
    assert "ヘビーウェイト" not in catalog and "ホワイト" not in catalog
    runtime = _runtime(tmp_path_factory.mktemp("ml"), embedder, "en", catalog)
    yield runtime
    runtime.store.close()


@pytest.mark.parametrize("policy", ["en", "main", "staff"])
def test_a_japanese_question_without_japanese_names_follows_the_policy_and_the_reason_is_recorded(demo_runtime, policy):
    engine = demo_runtime.engine
    engine.base_settings = replace(engine.base_settings, lang_fallback=policy)
    engine.state = replace(engine.state, settings=engine.base_settings)
    o = _ask(demo_runtime, "XLサイズの在庫は？", cid=f"c-{policy}")
    logged = {c.comment_id: c for c in demo_runtime.store.comments(limit=None)}[f"c-{policy}"]
    if policy == "staff":
        assert o.decision.band == STAFF and o.text is None
        assert logged.status == "staff" and "no reply in ja" in (logged.reason or "")
    else:
        lang = "en" if policy == "en" else "zh"
        assert o.decision.band == ANSWER and o.decision.lang == lang and o.text
        assert foreign_script(o.text, lang) is None and "no ja name" in (logged.reason or "")


def test_with_japanese_names_in_the_catalog_the_answer_is_japanese(tmp_path, embedder):
    runtime = _runtime(tmp_path, embedder, "staff")  # the demo catalog has Japanese names and colours
    o = _ask(runtime, "XLサイズの在庫は？")
    assert o.decision.band == ANSWER and o.decision.lang == "ja", o.decision
    assert o.text is not None and "ホワイト" in o.text and "白色" not in o.text and foreign_script(o.text, "ja") is None
    runtime.store.close()


def test_the_cross_border_recognisers_answer_through_the_engine_in_the_viewers_language(tmp_path, embedder):
    """Basic colour words, a plain price question and size advice, end to end in an eight-language room with the
    "staff" policy: an answer is in the viewer's language or nothing is said."""
    from bot.messages import Comment, Stage

    runtime = _runtime(tmp_path, embedder, "staff")
    engine = runtime.engine
    asked = [
        ("stroller-a1", "ko", "핑크 아직 있나요?", "벚꽃 핑크"),
        ("stroller-a1", "ja", "このベビーカーはいくらですか", "899"),
        ("tee-classic", "th", "สูง 172 หนัก 60 กก. ใส่ไซส์อะไรดี", "แนะนำไซส์ M"),
        ("tee-classic", "es", "mido 1,68 y peso 60 kilos, ¿qué talla me recomiendas?", "talla M"),
    ]
    for i, (stage, lang, text, said) in enumerate(asked):
        engine.apply_event(Stage(product_id=stage, ts=float(i)))
        o = engine.process([Comment(id=f"x{i}", user=f"u{i}", text=text, ts=i + 0.5)])[0]
        assert o.decision.band == ANSWER and o.decision.path == "structured" and o.decision.lang == lang, o.decision
        assert o.text is not None and said in o.text and foreign_script(o.text, lang) is None, o.text
    runtime.store.close()


def test_replay_scores_per_detected_language():
    from bot.engine import Outcome
    from bot.messages import Comment
    from bot.replay import score_by_language

    def outcome(cid: str, band: str, lang: str, faq: str | None = None) -> Outcome:
        d = Decision(comment_id=cid, band=band, reason="", lang=lang, faq_id=faq)
        return Outcome(comment=Comment(id=cid, user="u", text="x", ts=0.0), decision=d, text="t", answer_key=None, seconds=0.0)

    outcomes = [
        outcome("a", ANSWER, "ja", "price"),  # right, in Japanese
        outcome("b", ANSWER, "en", "price"),  # right, but in the fallback language
        outcome("c", ANSWER, "ja", "stock"),  # wrong
        outcome("d", STAFF, "ja"),  # to staff
        outcome("e", STAFF, "ja"),  # right: a hand-over was expected
        outcome("f", "silent", "ko"),  # missed
    ]
    expect = {"a": "price", "b": "price", "c": "price", "d": "price", "e": "@staff", "f": "price"}
    detected = {"a": "ja", "b": "ja", "c": "ja", "d": "ja", "e": "ja", "f": "ko"}
    written = {"a": "ja", "b": "ja", "c": "ja", "d": "ja", "e": "ja", "f": "th"}
    by = score_by_language(outcomes, expect, detected, written)
    assert by["ja"] == {
        "comments": 5, "answerable": 5, "right": 3, "right_in_viewer_language": 2, "wrong": 1, "to_staff": 1,
        "silent": 0, "right_rate": 0.6, "right_in_viewer_language_rate": 0.4, "wrong_answer_rate": 0.25,
    }
    assert by["ko"]["silent"] == 1 and by["ko"]["right"] == 0
    assert by["_detection"] == {"labelled": 6, "right": 5}


def test_cross_lingual_agreement_compares_each_language_with_the_chinese_original():
    from bot.engine import Outcome
    from bot.messages import Comment
    from bot.replay import cross_lingual_agreement

    def outcome(cid: str, band: str, faq: str | None = None, path: str = "faq", qtype: str | None = None) -> Outcome:
        d = Decision(comment_id=cid, band=band, reason="", lang="zh", faq_id=faq, path=path, qtype=qtype)
        return Outcome(comment=Comment(id=cid, user="u", text="x", ts=0.0), decision=d, text=None, answer_key=None, seconds=0.0)

    outcomes = [outcome("zh1", ANSWER, "price"), outcome("ja1", ANSWER, "price"), outcome("ko1", "silent"),
                outcome("zh2", STAFF), outcome("ja2", STAFF), outcome("ko2", ANSWER, "returns")]
    groups = {"zh1": "g1", "ja1": "g1", "ko1": "g1", "zh2": "g2", "ja2": "g2", "ko2": "g2"}
    langs = {cid: cid[:2] for cid in groups}
    r = cross_lingual_agreement(outcomes, groups, langs, dict.fromkeys(groups, "price"))
    assert r["pairs"] == 4 and r["same_decision"] == 2 and r["rate"] == 0.5
    assert r["by_lang"] == {"ja": 1.0, "ko": 0.0} and r["groups"] == 2 and r["pivot_answered"] == 1


def test_the_parallel_questions_file_has_every_question_in_eight_languages():
    import json

    rows = [json.loads(line) for line in (ROOT / "data/demo_parallel.jsonl").read_text(encoding="utf-8").splitlines()]
    groups: dict[str, set[str]] = {}
    for row in rows:
        if "group" in row:
            groups.setdefault(row["group"], set()).add(row["lang_expected"])
    assert len(groups) >= 16 and all(langs == set(EIGHT) for langs in groups.values())


def test_a_room_matches_only_against_examples_in_its_languages():
    from bot.engine import room_snapshot
    from catalog.snapshot import CatalogSnapshot, FaqInfo

    faq = FaqInfo(id="price", product_id=None, intent="ask_price", questions=("多少钱", "how much", "いくらですか", "얼마예요"),
                  answers={"zh": "{price}元"}, question_langs=("zh", "en", "ja", "ko"))
    unknown = FaqInfo(id="x", product_id=None, intent="ask_price", questions=("a", "b"), answers={"en": "x"})
    snap = CatalogSnapshot(version=1, products={}, faqs={"price": faq, "x": unknown})
    assert room_snapshot(snap, ("zh", "en")).faqs["price"].questions == ("多少钱", "how much")
    assert room_snapshot(snap, ("zh", "en", "ja")).faqs["price"].question_langs == ("zh", "en", "ja")
    assert room_snapshot(snap, ("zh", "en", "ja", "ko")) is snap  # nothing to drop: the same snapshot
    assert room_snapshot(snap, ("zh",)).faqs["x"].questions == ("a", "b")  # language unknown: kept
    assert room_snapshot(snap, ("zh", "en")).faqs["price"].answers == faq.answers


def test_room_snapshot_of_a_reload_reuses_the_unchanged_faqs_and_files_the_edited_ones_again():
    from dataclasses import replace

    from bot.engine import room_snapshot
    from catalog.snapshot import CatalogSnapshot, FaqInfo

    price = FaqInfo(id="price", product_id=None, intent="ask_price", questions=("多少钱", "いくらですか"),
                    answers={"zh": "{price}元"}, question_langs=("zh", "ja"))
    ship = FaqInfo(id="ship", product_id=None, intent="ask_shipping", questions=("发货", "送料"), answers={"zh": "48h"},
                   question_langs=("zh", "ja"))
    first = CatalogSnapshot(version=1, products={}, faqs={"price": price, "ship": ship})
    room = room_snapshot(first, ("zh",))
    edited = replace(ship, questions=("几天发货", "いつ届く", "when do you ship"), question_langs=("zh", "ja", "en"))
    second = CatalogSnapshot(version=2, products={}, faqs={"price": price, "ship": edited})  # price: the same object
    again = room_snapshot(second, ("zh",), (first, room))
    assert again.faqs["price"] is room.faqs["price"]  # not filed again
    assert again.faqs["ship"].questions == ("几天发货",)  # the edit is filed like any FAQ
    assert again == room_snapshot(second, ("zh",))  # the same as a snapshot filed from scratch
    # an earlier snapshot where nothing was dropped: its FAQs are taken as they are, the new one filed
    plain = CatalogSnapshot(version=3, products={}, faqs={"price": price})
    assert room_snapshot(plain, ("zh", "ja")) is plain
    third = CatalogSnapshot(version=4, products={}, faqs={"price": price, "ship": edited})
    assert room_snapshot(third, ("zh", "ja"), (plain, plain)).faqs["ship"].questions == ("几天发货", "いつ届く")


def test_the_demo_catalog_speaks_eight_languages_for_the_cross_border_show():
    faqs = {f.id: f for f in DEMO.faqs}
    for fid in ("price", "stock", "shipping-international", "stroller-max-load", "tee-fabric", "dj-warmth", "shoes-use"):
        assert set(EIGHT) <= set(faqs[fid].answers), fid
        assert set(EIGHT) <= set(faqs[fid].question_langs), fid
        for lang, template in faqs[fid].answers.items():
            assert foreign_script(template, lang) is None, (fid, lang)
    products = {p.id: p for p in DEMO.products}
    for pid in ("stroller-a1", "tee-classic", "down-jacket", "running-shoes"):
        for lang in EIGHT:
            assert products[pid].name_in(lang), (pid, lang)
            for v in products[pid].variants:
                assert all(v.label_in(a, lang) for a in v.attrs), (pid, v.sku, lang)


@pytest.mark.parametrize(
    ("text", "qtype"),
    [("xlサイズありますか", "stock"), ("l 사이즈 있어요?", "stock"), ("มีไซส์ l ไหม", "stock"), ("còn size l không", "stock"),
     ("ada ukuran l kak", "stock"), ("¿hay talla l?", "stock"), ("いくらですか", "price"), ("얼마예요", "price"),
     ("giá bao nhiêu", "price"), ("何色がありますか", "which"), ("¿cuántos quedan?", "count"), ("再入荷はいつ", "restock"),
     ("ready?", None), ("okay thanks", None)],
)
def test_question_words_of_the_cross_border_languages(text, qtype):
    from bot.slots import question_type

    assert question_type(text) == qtype


def test_zh_en_question_words_win_over_the_cross_border_ones():
    from bot.question_words import intl_question_type
    from bot.slots import question_type

    for text in ("有xl吗", "多少钱", "what sizes are left", "how much", "还剩几件", "什么时候补货"):
        assert question_type(text) is not None
    assert intl_question_type("多少钱") is None and intl_question_type("how much") is None


def test_a_scheduled_message_without_a_name_in_its_language_is_skipped_not_a_crash(demo_runtime):
    from bot.messages import Stage

    demo_runtime.engine.apply_event(Stage(product_id="tee-classic", ts=0.0))
    assert demo_runtime.engine.announcement_text({"ja": "{product}をご紹介中です!"}) is None  # no Japanese name here
    said = demo_runtime.engine.announcement_text({"en": "Now on stage: {product}"})
    assert said is not None and said[1] == "en"


def test_the_transcript_says_when_a_reply_fell_back_to_another_language() -> None:
    """`demo`/`run` transcript: a Japanese viewer answered in English (the room's fallback) is marked as such, so the
    operator sees it without the database; a reply in the viewer's own language is not."""
    from bot.engine import Outcome
    from bot.messages import Comment
    from bot.pipeline import ANSWER, Decision
    from bot.replay import outcome_line

    c = Comment(id="c1", user="u1", text="いつ発送されますか", ts=0.0)
    fell_back = Decision(comment_id="c1", band=ANSWER, reason="match", lang="en", faq_id="shipping", score=0.9)
    line = outcome_line(Outcome(c, fell_back, "Ships within 48 hours.", "k", 0.0, viewer_lang="ja"))
    assert line.endswith("(faq shipping, 0.90; in English (en), viewer wrote Japanese (ja))")
    from bot import cli_i18n

    before = cli_i18n.current()
    cli_i18n.use(cli_i18n.CHINESE)
    try:  # a Chinese terminal names both languages in Chinese, not by their codes alone ("用 en 回答，观众用的是 ja")
        zh_line = outcome_line(Outcome(c, fell_back, "Ships within 48 hours.", "k", 0.0, viewer_lang="ja"))
    finally:
        cli_i18n.use(before)
    assert zh_line.endswith("；用 英语 (en) 回答，观众用的是 日语 (ja))")


def test_the_transcript_names_a_faq_picked_by_the_question_kind_without_its_match_score() -> None:
    """An order report answered with the thank-you FAQ while the matcher was unsure: the transcript said
    "(faq order-thanks, 0.05)", which reads as an answer given at 5 % confidence."""
    from bot import cli_i18n
    from bot.engine import Outcome
    from bot.messages import Comment
    from bot.order_report import ORDER_REPORTED
    from bot.pipeline import ANSWER, Decision
    from bot.replay import outcome_line

    c = Comment(id="c1", user="u1", text="已拍 黑色L", ts=0.0)
    d = Decision(comment_id="c1", band=ANSWER, reason=ORDER_REPORTED, lang="zh", faq_id="order-thanks", score=0.05)
    line = outcome_line(Outcome(c, d, "谢谢支持!", "k", 0.0, viewer_lang="zh"))
    assert line.endswith("(faq order-thanks, picked as: order report)") and "0.05" not in line
    before = cli_i18n.current()
    cli_i18n.use(cli_i18n.CHINESE)
    try:
        zh_line = outcome_line(Outcome(c, d, "谢谢支持!", "k", 0.0, viewer_lang="zh"))
    finally:
        cli_i18n.use(before)
    assert zh_line.endswith("(问答 order-thanks，按问题类型选：下单报告)")
    same = Decision(comment_id="c1", band=ANSWER, reason="match", lang="ja", faq_id="shipping", score=0.9)
    assert "viewer wrote" not in outcome_line(Outcome(c, same, "48時間以内に発送します。", "k", 0.0, viewer_lang="ja"))
