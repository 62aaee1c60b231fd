"""Viewer-visible English and Spanish replies read right when the product's name is plural ("CloudLite Running
Shoes", "Calcetines … (5 pares)"): the built-in sentences never put a verb right after the name (no "The CloudLite
Running Shoes runs small" / "… is 399 CNY"); they say "Name: 399 CNY", "Yes, in stock: Name" instead, which reads
right for any name. English and Spanish are the phrasebook's languages whose verbs agree with the name."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from catalog.answer_text import render_text
from catalog.phrases import OVERRIDABLE, PHRASES
from catalog.templates import RenderContext, render
from tests.factories import demo_catalog

DEMO = demo_catalog()
PRODUCTS = {p.id: p for p in DEMO.products}
FAQS = {f.id: f for f in DEMO.faqs}
CURRENCY = {"zh": "元", "en": "CNY", "es": "yuanes"}
# a verb right after the name: "Shoes is", "Shoes has", "Zapatillas cuesta", "… está disponible", "… se agotó"
AGREEING = {
    "en": re.compile(r"^\s+(is|has|was|runs|fits|weighs|ships|holds|keeps|costs|comes)\b"),
    "es": re.compile(r"^\s+(es|está|cuesta|pesa|tiene|sale|se|ya|lleva|trae|viene|aguanta|mide)\b"),
}
SHOES = PRODUCTS["running-shoes"]
SOCKS = PRODUCTS["socks-5pack"]


def _no_verb_after_name(text: str, name: str, lang: str) -> None:
    assert name in text, (name, text)
    after = text.split(name, 1)[1]
    assert not AGREEING[lang].match(after), f"verb after a plural name: {text!r}"


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("product", [SHOES, SOCKS], ids=["shoes", "socks"])
def test_structured_answers_about_a_plural_product_have_no_verb_after_its_name(lang, product):
    name = product.name_in(lang)
    assert name
    price = render_text("price", None, {}, product, lang, currency=CURRENCY)
    _no_verb_after_name(price, name, lang)
    assert f"{name}: " in price  # "CloudLite Running Shoes: 399 CNY"
    plenty = render_text("stock", None, {}, replace(product, variants=tuple(
        replace(v, stock=50) for v in product.variants)), lang, currency=CURRENCY)
    _no_verb_after_name(plenty, name, lang)
    gone = replace(product, variants=tuple(replace(v, stock=0) for v in product.variants))
    _no_verb_after_name(render_text("stock", None, {}, gone, lang, currency=CURRENCY), name, lang)
    for restock in (None, 1.0):
        text = render_text("restock", None, {}, product, lang, currency=CURRENCY, last_restock=restock)
        _no_verb_after_name(text, name, lang)


def test_the_english_price_reads_name_colon_price():
    assert render_text("price", None, {}, SHOES, "en", currency=CURRENCY) == f"CloudLite Running Shoes: {SHOES.price:.0f} CNY"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_built_in_sentence_puts_a_verb_after_the_label(lang):
    """{label} is the product's name when the viewer names no variant: every sentence a shop may reword."""
    for key in OVERRIDABLE:
        text = PHRASES[key][lang]
        if "{label}" in text:
            assert not AGREEING[lang].match(text.split("{label}", 1)[1]), (key, lang, text)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_demo_faqs_answer_about_the_shoes_with_the_right_verb(lang):
    """The global FAQs (any product) and the shoes' own: none says "The CloudLite Running Shoes runs/is/weighs"."""
    name = SHOES.name_in(lang)
    assert name
    for fid in ("price", "order-thanks", "how-to-order", "shoes-size-advice", "shoes-weight", "shoes-use"):
        text = render(FAQS[fid].answers[lang], RenderContext(product=SHOES, lang=lang))
        assert text is not None
        _no_verb_after_name(text, name, lang)
