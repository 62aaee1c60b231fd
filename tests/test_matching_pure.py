"""Pure functions of the matching path: normalisation, language, product/variant resolution, decision bands."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

from bot.messages import Comment
from bot.normalize import analyse, detect_language, normalize
from bot.pipeline import (
    ANSWER,
    NOT_ASKED,
    RECOMMEND,
    SILENT,
    STAFF,
    CatalogView,
    MatchSettings,
    _examples_all_ask,
    best_lexical,
    decide,
    lexical_best,
    own_example,
    understand,
)
from bot.resolve import _is_latin, asked_variant, mentioned_products, product_terms, variant_terms
from bot.slots import reads_as_question
from models.index import Hit
from models.intents import IntentGuess
from tests import factories


def C(text: str, **kw) -> Comment:
    return Comment(id=kw.pop("id", "c1"), user=kw.pop("user", "u1"), text=text, ts=0.0, **kw)


def test_normalize_width_case_emoji_and_repeats():
    assert normalize("有ＸＬ码吗😂😂") == "有XL码吗?"
    assert normalize("有xl码吗") == "有XL码吗?"  # size codes are canonical upper case (the model is case-sensitive)
    assert normalize("Do you ship to Canada") == "Do you ship to Canada?"  # other case is kept
    assert normalize("small") == "small?"
    assert normalize("多少钱钱钱！！！") == "多少钱?"  # one canonical question mark
    assert normalize("1000以内") == "1000以内?"  # digits are never collapsed
    assert normalize("a\u0000b\u200bc") == "abc?"
    assert len(normalize("问价" * 10_000, max_chars=200)) == 201
    assert normalize("问" * 10_000) == "问?"  # a flood of one character collapses
    assert normalize("。。。") == ""


def test_size_codes_are_not_letters_of_accented_latin_words():
    # an "m" or "l" next to an accented letter belongs to the word (Vietnamese, Spanish, ...): never upper-cased
    assert normalize("có màu gì") == "có màu gì?"
    assert normalize("giảm giá không") == "giảm giá không?"
    assert normalize("ngả nằm được không") == "ngả nằm được không?"
    assert normalize("lại") == "lại?"
    assert normalize("más barato") == "más barato?"
    assert normalize("what's the price") == "what's the price?"  # a contraction, not size S
    assert normalize("I’m not sure we'll like it") == "I’m not sure we'll like it?"
    # a size code standing alone is still canonical, whatever the script around it
    assert normalize("áo size m còn không") == "áo size M còn không?"
    assert normalize("la talla m por favor") == "la talla M por favor?"
    assert normalize("要m码") == "要M码?"
    assert normalize("ไซส์ l") == "ไซส์ L?"


def test_analyse_flags_empty_and_emoji_only():
    assert analyse("🔥🔥🔥").emoji_only and analyse("🔥🔥🔥").empty
    assert analyse("。。。").empty
    assert analyse("   ").empty
    assert not analyse("666").empty


def test_language_detection():
    assert detect_language("do you ship to canada?") == "en"
    assert detect_language("有xl码吗") == "zh"
    assert detect_language("xl还有吗") == "zh"
    assert detect_language("ok 好的") == "zh"
    assert analyse("有货吗", declared_lang="en").lang == "en"  # the platform's language wins


def test_product_mentions_longest_first_and_latin_boundaries():
    view = CatalogView.build(factories.snapshot())
    assert mentioned_products("这款推车承重多少", view.terms) == ["stroller"]
    assert mentioned_products("婴儿车和t恤哪个好", view.terms) == ["stroller", "tee"]
    assert mentioned_products("teenager", view.terms) == []  # "tee" must not match inside a word


def _regex(term: str) -> re.Pattern[str]:
    """A name as a regex: Latin words and size codes stand alone ("xl" not inside "xxl"), numbers too."""
    if _is_latin(term):
        return re.compile(rf"(?<![0-9a-z]){re.escape(term)}(?![0-9a-z])")
    if term.isdigit():
        return re.compile(rf"(?<!\d){re.escape(term)}(?!\d)")
    return re.compile(re.escape(term))


def _mentioned_by_regex(text: str, terms) -> list[str]:
    """The specification of ``mentioned_products``: one regex per name (``_regex``), names longest first, each
    name's ``finditer`` matches left to right, overlaps with earlier ones dropped."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str]] = []
    for t in terms:
        for m in _regex(t.term).finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            found.append((s, t.key))
    return list(dict.fromkeys(pid for _, pid in sorted(found)))


def test_product_mentions_one_automaton_pass_equals_a_regex_per_name():
    def product(pid: str, *names: str):
        return dataclasses.replace(factories.cream(), id=pid, name={"zh": names[0]}, aliases=names[1:])

    snap = factories.snapshot(
        tee=factories.tee(),
        stroller=factories.stroller(),
        aa=product("aa", "aa", "哈哈"),  # overlaps itself: "aaa" holds one "aa" for finditer, not two
        aaa=product("aaa", "aaa b", "哈哈哈"),
        num=product("num", "12", "١٢", "2号"),  # digits: "12" not inside "123"; Arabic-Indic digits not inside others
        xl=product("xl", "xl", "x-l", "xl 2"),
        shirt=product("shirt", "shirt", "t恤衫"),  # "t恤衫" is longer than the tee's "t恤"
    )
    terms = product_terms(snap)
    texts = [
        "这款推车承重多少", "婴儿车和t恤哪个好", "teenager", "tee!tee tee-shirt", "aaaa", "aaa", "aa aaa b aaa", "哈哈哈哈哈",
        "123 12 a12 12b ١٢٣ ١٢ x١٢", "xxl xl xl2 xl 2 x-l x-ll", "t恤衫和t恤", "😀t恤😀tee", "2号和12号", "", "t-shirt,tee",
        "shirt-t恤", "aaaaaa b", "١٢٣", "x١٢",
    ]
    for text in texts:
        assert mentioned_products(text, terms) == _mentioned_by_regex(text, terms), text
    assert mentioned_products("aa aaa b aaa", terms) == ["aa", "aaa"]
    assert mentioned_products("123 12", terms) == ["num"]
    assert mentioned_products("xxl", terms) == []


def test_asked_variant_xl_is_not_xxl_and_colour_labels():
    tee = factories.tee()
    assert asked_variant("有xl码吗", tee) == {"size": "XL"}
    assert asked_variant("xxl还有吗", tee) == {"size": "XXL"}
    assert asked_variant("l码有吗", tee) == {"size": "L"}
    assert asked_variant("lol", tee) == {}
    assert asked_variant("do you have it in pink", factories.stroller()) == {"colour": "粉色"}


def test_asked_variant_equals_a_regex_per_label():
    """``asked_variant`` scans with str.find; the specification is a regex per label (``_regex``), labels longest
    first, the first match of a label that overlaps nothing taken and (for a one-letter size) is followed by 码/号."""

    def by_regex(text: str, product) -> dict[str, str]:
        asked: dict[str, str] = {}
        taken: list[tuple[int, int]] = []
        for t in variant_terms(product):
            if t.attr in asked:
                continue
            for m in _regex(t.label).finditer(text):
                s, e = m.span()
                if any(s < te and ts < e for ts, te in taken):
                    continue
                sized = text[e:].startswith(("码", "号", "size")) or text.strip() == t.label
                if len(t.label) == 1 and t.label.isalpha() and not sized:
                    continue
                asked[t.attr] = t.value
                taken.append((s, e))
                break
        return asked

    texts = ["有xl码吗", "xxl还有吗", "l码有吗", "lol", "l", " m ", "xl xxl", "xxlxl", "m码和l号", "s size", "ss码",
             "do you have it in pink", "粉色和黑色", "pinkish pink", "有没有灰色的xl"]
    for product in (factories.tee(), factories.stroller(), factories.cream()):
        for text in texts:
            assert asked_variant(text, product) == by_regex(text, product), (product.id, text)
            assert asked_variant(text, product, variant_terms(product)) == by_regex(text, product), (product.id, text)


def test_stage_resolution_named_then_platform_then_stage():
    view = CatalogView.build(factories.snapshot())
    s = MatchSettings()
    assert understand(C("这款多少钱"), view, "tee", s).product_id == "tee"
    assert understand(C("这款多少钱"), view, "tee", s).product_how == "stage"
    u = understand(C("推车多少钱"), view, "tee", s)
    assert (u.product_id, u.product_how) == ("stroller", "named")
    u = understand(C("多少钱", product_id="cream"), view, "tee", s)
    assert (u.product_id, u.product_how) == ("cream", "platform")
    assert understand(C("多少钱"), view, None, s).product_id is None


DEFAULT_SETTINGS = MatchSettings()


def _decide(text, hits, *, stage="tee", intent=None, settings=DEFAULT_SETTINGS):
    view = CatalogView.build(factories.snapshot())
    c = C(text)
    return decide(c, understand(c, view, stage, settings), hits, intent, view, settings)


def test_bands_answer_staff_silent_by_threshold_and_margin():
    s = MatchSettings(answer_threshold=0.6, staff_threshold=0.45, min_margin=0.05)
    d = _decide("多少钱", [Hit("price", "多少钱", 0.9), Hit("stock", "还有吗", 0.4)], settings=s)
    assert (d.band, d.faq_id, d.product_id) == (ANSWER, "price", "tee")
    d = _decide("卖多少", [Hit("price", "多少钱", 0.7), Hit("stock", "还有吗", 0.68)], settings=s)
    assert d.band == STAFF and "ambiguous" in d.reason
    d = _decide("嗯嗯", [Hit("price", "多少钱", 0.5)], settings=s)
    assert d.band == STAFF and d.reason == "low confidence"
    d = _decide("嗯嗯", [Hit("price", "多少钱", 0.3)], settings=s)
    assert d.band == SILENT and d.reason == "below threshold"
    assert _decide("🔥🔥", []).band == SILENT


def test_a_comment_worded_like_an_example_is_answered_by_that_faq():
    s = MatchSettings(answer_threshold=0.9, staff_threshold=0.45, min_margin=0.05)
    # "多少钱" is an example of the price FAQ: answered though the confidence is below the threshold and ambiguous
    d = _decide("多少钱!!", [Hit("price", "多少钱", 0.7), Hit("stock", "还有吗", 0.68)], settings=s)
    assert (d.band, d.faq_id, d.reason) == (ANSWER, "price", "match: worded like one of its examples")
    assert _decide("HOW MUCH IS IT", [Hit("price", "how much is it", 0.6)], settings=s).band == ANSWER  # case
    # not an example, or an example of a FAQ that is not the top-ranked one: the thresholds decide as before
    assert _decide("卖多少", [Hit("price", "多少钱", 0.7), Hit("stock", "还有吗", 0.68)], settings=s).band == STAFF
    d = _decide("多少钱", [Hit("stock", "还有吗", 0.95), Hit("price", "多少钱", 0.5)], settings=s)
    assert d.faq_id == "stock" and d.reason == "match"
    # an example of another product's FAQ: with a product named never borrowed, with another on stage not certain
    d = _decide("T恤最大承重是多少", [Hit("stroller-load", "最大承重是多少", 0.99)], settings=s)
    assert d.band == SILENT
    d = _decide("最大承重是多少", [Hit("stroller-load", "最大承重是多少", 0.9)], stage="tee", settings=s)
    assert d.faq_id == "stroller-load" and d.band == STAFF  # 0.9 - the other-product penalty: below 0.9
    d = _decide("最大承重是多少", [Hit("stroller-load", "最大承重是多少", 0.7)], stage="stroller", settings=s)
    assert (d.band, d.reason) == (ANSWER, "match: worded like one of its examples")
    # a complaint stays with staff, a chit-chat intent does not silence staff's own wording
    complaint = IntentGuess("complaint", 0.8, "staff")
    assert _decide("多少钱", [Hit("price", "多少钱", 0.7)], intent=complaint, settings=s).band == STAFF
    chit = IntentGuess("chit_chat", 0.9, "silent")
    assert _decide("多少钱", [Hit("price", "多少钱", 0.7)], intent=chit, settings=s).band == ANSWER


def test_an_example_two_candidate_faqs_share_decides_nothing():
    snap = factories.snapshot()
    faqs = dict(snap.faqs)
    faqs["stock"] = dataclasses.replace(faqs["stock"], questions=(*faqs["stock"].questions, "多少钱"))
    view = CatalogView.build(dataclasses.replace(snap, faqs=faqs))
    assert not own_example("多少钱?", "price", {"price": 0.7, "stock": 0.6}, view)
    assert own_example("多少钱?", "price", {"price": 0.7, "shipping": 0.6}, view)
    assert not own_example("多少钱呢?", "price", {"price": 0.7}, view)


def test_other_product_faq_is_penalised_and_excluded_when_a_product_is_named():
    s = MatchSettings(answer_threshold=0.6, staff_threshold=0.45, other_product_penalty=0.1)
    # Tee on stage, the viewer asks a stroller question without naming it: allowed but penalised, product switches.
    d = _decide("承重多少", [Hit("stroller-load", "最大承重是多少", 0.85)], settings=s)
    assert d.band == ANSWER and d.product_id == "stroller" and abs(d.score - 0.75) < 1e-6
    # The viewer names the T-shirt: a stroller FAQ can never be the answer.
    d = _decide("T恤承重多少", [Hit("stroller-load", "最大承重是多少", 0.85)], settings=s)
    assert d.faq_id is None and d.band == SILENT


def test_intent_overrides():
    s = MatchSettings(answer_threshold=0.6, staff_threshold=0.45, intent_threshold=0.5)
    complaint = IntentGuess("complaint", 1.0, "staff", keyword=True)
    d = _decide("上次买的坏了多少钱赔", [Hit("price", "多少钱", 0.99)], intent=complaint, settings=s)
    assert d.band == STAFF  # a complaint named by a keyword is never auto-answered, even when a FAQ matches
    similar = IntentGuess("complaint", 0.8, "staff")  # guessed by similarity: yields to a FAQ well above the threshold
    assert _decide("上次买的多少钱赔", [Hit("price", "多少钱", 0.65)], intent=similar, settings=s).band == STAFF
    assert _decide("上次买的多少钱赔", [Hit("price", "多少钱", 0.9)], intent=similar, settings=s).band == ANSWER
    chit = IntentGuess("chit_chat", 0.9, "silent")
    assert _decide("主播好美", [Hit("price", "多少钱", 0.5)], intent=chit, settings=s).band == SILENT
    rec = IntentGuess("want_recommendation", 0.7, "recommend")
    assert _decide("有没有便宜点的", [Hit("price", "多少钱", 0.55)], intent=rec, settings=s).band == RECOMMEND
    abstain = IntentGuess(None, 0.2, "answer")
    assert _decide("多少钱", [Hit("price", "多少钱", 0.9)], intent=abstain, settings=s).band == ANSWER


def test_intent_gate_says_when_decide_lets_a_faq_answer():
    """Calibration counts the intent route with ``intent_gate``: for every intent guess and FAQ confidence, decide()
    answers exactly when the confidence is ≥ threshold + offset and ≥ floor."""
    from bot.pipeline import intent_gate

    s = MatchSettings(answer_threshold=0.6, staff_threshold=0.45, min_margin=0.0, intent_threshold=0.5)
    guesses = [
        None, IntentGuess(None, 0.2, "answer"), IntentGuess("complaint", 0.8, "staff"),
        IntentGuess("complaint", 1.0, "staff", keyword=True),
        IntentGuess("complaint", 0.45, "staff"),  # below the intent threshold: no effect
        IntentGuess("chit_chat", 0.9, "silent"), IntentGuess("want_recommendation", 0.75, "recommend"),
        IntentGuess("want_recommendation", 0.55, "recommend"),  # below the recommendation threshold
    ]
    seen = set()
    for guess in guesses:
        offset, floor = intent_gate(guess, s)
        for cosine in (0.5, 0.62, 0.68, 0.72, 0.8, 0.95):
            hits = [Hit("price", "多少钱", cosine)]
            confidence = _decide("这件衣服到底啥价位", hits, settings=s).score  # the FAQ's own confidence, no intent
            d = _decide("这件衣服到底啥价位", hits, intent=guess, settings=s)
            expected = confidence >= s.answer_threshold + offset and confidence >= floor
            assert (d.band == ANSWER) == expected, (guess, cosine, d.band, d.reason)
            seen.add((guess.label if guess else None, d.band == ANSWER))
    assert ("complaint", False) in seen and ("chit_chat", True) in seen and ("chit_chat", False) in seen
    assert ("want_recommendation", True) in seen and ("want_recommendation", False) in seen


def test_generic_view_replaces_names_and_colour_values_but_keeps_sizes():
    from bot.pipeline import generic_view, query_texts

    view = CatalogView.build(factories.snapshot())
    s = MatchSettings()
    u = understand(C("婴儿车多少钱"), view, "tee", s)
    assert generic_view(u, view) == "这款多少钱?"
    assert query_texts(u, view) == ("婴儿车多少钱?", "这款多少钱?")
    u = understand(C("粉色还有吗"), view, "stroller", s)
    assert generic_view(u, view) == "这个颜色还有吗?"
    u = understand(C("有XL码吗"), view, "tee", s)
    assert generic_view(u, view) is None and query_texts(u, view) == ("有XL码吗?",)
    assert query_texts(understand(C("🔥"), view, "tee", s), view) == ()


def test_a_confident_question_intent_demotes_faqs_of_another_intent():
    s = MatchSettings(answer_threshold=0.6, staff_threshold=0.45, min_margin=0.0, intent_mismatch_penalty=0.1)
    hits = [Hit("stroller-load", "最大承重是多少", 0.80), Hit("price", "多少钱", 0.76)]
    assert _decide("推车多少", hits, settings=s).faq_id == "stroller-load"
    asks_price = IntentGuess("ask_price", 0.7, "answer")
    assert _decide("推车多少", hits, intent=asks_price, settings=s).faq_id == "price"
    unsure = IntentGuess("ask_price", 0.4, "answer")  # below the agreement threshold: no effect
    assert _decide("推车多少", hits, intent=unsure, settings=s).faq_id == "stroller-load"


def test_after_sales_words_decide_a_complaint_and_no_pre_sale_question_contains_one():
    """The complaint intent's keywords hand a comment to staff outright: they name after-sales trouble (补发, cracked),
    and none of them occurs in a question the catalog or another intent answers."""
    from pathlib import Path

    from catalog.io import load_catalog_file
    from models.intents import load_intents

    root = Path(__file__).resolve().parents[1]
    intents = {d.name: d for d in load_intents(root / "data/intents.yaml")}
    keywords = intents["complaint"].keywords

    def hit(text: str) -> list[str]:
        return [k for k in keywords if k in text.casefold()]

    for text in ("积木少了几块 怎么补发", "the frame arrived cracked", "收到就裂开了", "the box came damaged"):
        assert hit(text), text
    questions = [q for f in load_catalog_file(root / "data/catalog.yaml").faqs for q in f.questions]
    questions += [q for d in intents.values() if d.action != "staff" for q in d.examples]
    assert [(q, hit(q)) for q in questions if hit(q)] == []


def test_lexical_best_is_every_faqs_best_example_score_bit_for_bit_and_memoised():
    view = CatalogView.build(factories.snapshot())
    assert view.lexical is not None
    rows = list(range(len(view.faq_ids)))
    for text in ("多少钱?", "有XL码吗?", "推车承重多少?", "zzz?"):
        best = lexical_best(view, text)
        assert np.array_equal(best, best_lexical(view.lexical.scores(text), view, rows))  # the per-document route
        assert lexical_best(view, text) is best and not best.flags.writeable  # memoised, never mutated by a caller
    assert lexical_best(view, "多少钱?").max() > 0.5 and lexical_best(view, "zzz?").max() == 0.0


def test_query_texts_add_the_gloss_view_of_vietnamese_and_indonesian_only():
    from bot.pipeline import query_texts

    view = CatalogView.build(factories.snapshot())
    s = MatchSettings()
    u = understand(C("phí ship bao nhiêu vậy shop"), view, "tee", s)
    assert query_texts(u, view) == (u.text, "shipping fee how much?")
    u = understand(C("ongkirnya berapa kak"), view, "tee", s)
    assert query_texts(u, view) == (u.text, "the shipping cost how much?")
    # zh / en / ja comments: exactly the views they had before
    for text in ("运费多少", "how much is shipping", "送料はいくらですか", "ship to Canada?"):
        u = understand(C(text), view, "tee", s)
        assert query_texts(u, view) == (u.text,), text
    u = understand(C("婴儿车多少钱"), view, "tee", s)
    assert query_texts(u, view) == ("婴儿车多少钱?", "这款多少钱?")


def test_a_statement_is_not_answered_by_a_faq_whose_examples_all_ask():
    """"这款推车真好看" (praise) names the stroller and its max-load FAQ's examples do too; all those examples ask, the
    comment does not: staff look, nobody is told the max load. A question, or staff's own wording, is answered."""
    s = MatchSettings(answer_threshold=0.6, staff_threshold=0.45, min_margin=0.05)
    d = _decide("这款推车真好看", [Hit("stroller-load", "这款推车承重多少", 0.9)], stage="stroller", settings=s)
    assert (d.band, d.faq_id, d.reason) == (STAFF, "stroller-load", NOT_ASKED)
    d = _decide("推车能坐多重的娃", [Hit("stroller-load", "能承受多重的宝宝", 0.9)], stage="stroller", settings=s)
    assert (d.band, d.reason) == (ANSWER, "match")
    d = _decide("最大承重是多少", [Hit("stroller-load", "最大承重是多少", 0.7)], stage="stroller", settings=s)
    assert d.band == ANSWER


def test_examples_all_ask_only_when_every_example_is_a_question():
    assert _examples_all_ask(("多少钱", "how much is it", "¿cuánto cuesta?", "giá bao nhiêu", "berapa harganya"))
    assert not _examples_all_ask(("已下单", "刚买了两件", "ordered the grey one"))  # order reports are statements
    assert not _examples_all_ask(())


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("when will it ship", True), ("any coupons", True), ("link pls", True), ("ukurannya pas ga", True),
        ("bao lâu thì giao", True), ("¿hay envío a Perú", True), ("サイズを教えてください", True), ("耐荷重は？", True),
        ("최대 하중 몇 kg", True), ("ส่งไปไหนได้บ้าง", True), ("推车能坐多重的娃", True),
        ("love this stroller", False), ("la carriola está bonita", False), ("strollernya lucu banget", False),
        ("推车真好看", False), ("ベビーカーかわいい", False), ("유모차 너무 예뻐요", False), ("รถเข็นสวยมาก", False),
        ("xe đẩy đẹp quá", False),
    ],
)
def test_reads_as_question(text, asks):
    assert reads_as_question(text) is asks


def test_a_yes_no_question_goes_to_a_confident_faq_not_a_recommendation():
    """h/fix9: a yes/no question near the recommendation examples is answered by a FAQ that matched confidently,
    also when the intent scores higher; a request for a suggestion still gets the recommendation."""
    s = MatchSettings(answer_threshold=0.6, staff_threshold=0.45, intent_threshold=0.5, min_margin=0.0)
    rec = IntentGuess("want_recommendation", 0.8, "recommend")
    faq = [Hit("price", "多少钱", 0.7)]
    assert _decide("送妈妈 有礼盒吗", faq, intent=rec, settings=s).band == ANSWER
    assert _decide("送妈妈买什么好", faq, intent=rec, settings=s).band == RECOMMEND
    assert _decide("送妈妈 有礼盒吗", [Hit("price", "多少钱", 0.3)], intent=rec, settings=s).band == RECOMMEND
