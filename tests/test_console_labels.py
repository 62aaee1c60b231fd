"""FAQs and products as staff read them (bot/console/faq_labels.py, bot/console/product_labels.py): the name or question
in the UI language first, the id secondary; escaped; unknown ids shown as they are. Pure and fast."""

from __future__ import annotations

from types import SimpleNamespace

from bot.console.faq_labels import faq_named, faq_tag
from bot.console.product_labels import product_choice, product_label, product_tag
from bot.console.reasons import explain

STROLLER = SimpleNamespace(id="stroller-a1", name={"zh": "轻便婴儿推车A1", "en": "A1 Lightweight Stroller"})
ZH_ONLY = SimpleNamespace(id="tea-1", name={"zh": "龙井茶"})
TW_ONLY = SimpleNamespace(id="tea-2", name={"zh-TW": "烏龍茶", "ja": "ウーロン茶"})
NAMELESS = SimpleNamespace(id="bare", name={})
EVIL = SimpleNamespace(id='x"><b>', name={"zh": "<script>alert(1)</script>"})
MULTI_BUY = SimpleNamespace(id="multi-buy", questions=("买两件有优惠吗", "discount if I buy two"), question_langs=("zh", "en"))
NO_QUESTIONS = SimpleNamespace(id="empty", questions=(), question_langs=())


def test_product_label_in_the_ui_language_then_the_other_then_any_then_the_id() -> None:
    assert product_label(STROLLER, "zh_CN") == "轻便婴儿推车A1"
    assert product_label(STROLLER, "en") == "A1 Lightweight Stroller"
    assert product_label(ZH_ONLY, "en") == "龙井茶"  # no English name: the Chinese one, not the id
    assert product_label(TW_ONLY, "zh_CN") == "烏龍茶"  # filed under zh-TW: still Chinese
    assert product_label(TW_ONLY, "en") == "烏龍茶"  # any name rather than the id
    assert product_label(NAMELESS, "zh_CN") == "bare"
    assert product_label(None) == ""


def test_product_choice_and_tag_keep_the_id_secondary() -> None:
    assert product_choice(STROLLER, "zh_CN") == "轻便婴儿推车A1 · stroller-a1"
    assert product_choice(NAMELESS, "zh_CN") == "bare"
    tag = str(product_tag(STROLLER, "en"))
    assert tag == ('<span class="product-name" title="stroller-a1">A1 Lightweight Stroller</span> '
                   '<small class="product-id">stroller-a1</small>')
    assert str(product_tag(None, product_id="gone-1")) == '<code class="product-id">gone-1</code>'
    assert str(product_tag(None)) == ""
    evil = str(product_tag(EVIL, "zh_CN"))
    assert "<script>" not in evil and "&lt;script&gt;" in evil and 'title="x&#34;&gt;&lt;b&gt;"' in evil


def test_faq_named_and_tag() -> None:
    assert faq_named(MULTI_BUY, "zh_CN") == "“买两件有优惠吗” (multi-buy)"
    assert faq_named(MULTI_BUY, "en") == "“discount if I buy two” (multi-buy)"
    assert faq_named(NO_QUESTIONS, "zh_CN") == "empty"
    assert faq_named(None, faq_id="deleted-1") == "deleted-1"
    assert str(faq_tag(MULTI_BUY, "zh_CN")) == (
        '<span class="faq-label" title="multi-buy">买两件有优惠吗</span> <small class="faq-id">multi-buy</small>'
    )
    assert str(faq_tag(None, faq_id="deleted-1")) == '<code class="faq-id">deleted-1</code>'
    evil = SimpleNamespace(id="e", questions=("<img src=x onerror=alert(1)>",), question_langs=("en",))
    assert "<img" not in str(faq_tag(evil, "en"))


def test_a_reason_naming_a_product_shows_its_name() -> None:
    reason = "size advice: stroller-a1 has no size chart"
    names = {"stroller-a1": "轻便婴儿推车A1"}
    assert "轻便婴儿推车A1 (stroller-a1)" in explain(reason, "zh_CN", products=names)
    assert "stroller-a1" in explain(reason, "zh_CN")  # without names: the id, as before
    assert "gone (" not in explain("size advice: gone has no size chart", "zh_CN", products=names)
