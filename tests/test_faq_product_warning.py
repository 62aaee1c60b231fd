"""A FAQ of no product whose answer uses product details ({product}, {price} …) saved without a word, then was handed
to staff whenever nothing was on stage. It is still accepted (with a product named or on stage it answers), and
`catalog import` says which FAQs behave so, in the terminal's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from catalog.templates import product_placeholders

CATALOG = """\
version: 1
products:
  - id: tee
    name: {zh: 纯棉T恤, en: Cotton tee}
    price: 59
    variants:
      - {sku: TEE-S, attrs: {size: S}, stock: 3}
faqs:
  - id: price-any
    intent: ask_price
    questions: {zh: [多少钱, 什么价, 几块钱], en: [how much]}
    answer: {zh: "{product}现在{price}元", en: "The {product} is {price} CNY"}
  - id: shipping
    intent: ask_shipping
    questions: {zh: [包邮吗, 运费多少, 免运费吗]}
    answer: {zh: "全场包邮"}
  - id: tee-price
    product: tee
    intent: ask_price
    questions: {zh: [T恤多少钱, T恤什么价, T恤几块]}
    answer: {zh: "{product}{price}元"}
"""


def test_the_placeholders_of_a_global_faq() -> None:
    assert product_placeholders({"zh": "{product}现在{price}元", "en": "The {product} is {price}"}) == (
        "{product}", "{price}")
    assert product_placeholders({"zh": "{product}{price}元"}, "tee") == ()  # a product's own FAQ: fine
    assert product_placeholders({"zh": "全场包邮"}) == () and product_placeholders({"zh": "{oops"}) == ()


@pytest.mark.parametrize(
    ("ui", "first"),
    [
        ("en", ("warning: 1 FAQ belongs to no product but its answer uses product details ({product}, {price} …); when "
               "the comment names no product and nothing is on stage it is handed to staff, not answered:")),
        ("zh", ("注意：有 1 条问答不属于任何商品，回答里却用到了商品信息（{product}、{price} 等）；评论没说是哪个商品、"
               "也没有正在讲解的商品时，会转人工，不会自动回答：")),
    ],
)
def test_catalog_import_warns_about_a_global_faq_needing_a_product(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], ui: str, first: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LIVEREPLY_UI_LANG", ui)
    (tmp_path / "c.yaml").write_text(CATALOG, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'shop.db'}"
    assert main(["catalog", "import", "c.yaml", "--db", db, "--banned-words", "", "--moderation", ""]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[1:] == [first, "  price-any"], out  # imported all the same: not refused
    assert out[0].startswith(("imported c.yaml", "已把 c.yaml"))
