"""The answer-template grammar: parsing, validation against a product, rendering with (live) stock."""

from __future__ import annotations

import itertools
import random
from decimal import Decimal

import pytest

from catalog.snapshot import ProductInfo, VariantInfo
from catalog.store import CatalogStore
from catalog.templates import (
    Placeholder,
    RenderContext,
    RenderError,
    TemplateError,
    format_number,
    parse_template,
    render,
    validate_template,
)

COLOURS = {"黑色": "black", "白色": "white"}


def tee(stock: dict[tuple[str, str], int] | None = None, price: str = "199.00") -> ProductInfo:
    """A T-shirt in black/white x S/M/L/XL; `stock` maps (colour, size) -> units."""
    stock = stock or {}
    variants = []
    for colour, size in itertools.product(COLOURS, ["S", "M", "L", "XL"]):
        variants.append(
            VariantInfo(
                sku=f"TEE-{COLOURS[colour][0].upper()}-{size}",
                product_id="tee",
                attrs={"colour": colour, "size": size},
                stock=stock.get((colour, size), 0),
                price=Decimal("219") if size == "XL" else None,
                labels={"colour": {"zh": colour, "en": COLOURS[colour]}},
            )
        )
    return ProductInfo(
        id="tee", name={"zh": "纯棉T恤", "en": "cotton tee"}, aliases=("T恤",), category="clothes",
        description={"zh": "纯棉", "en": "cotton"}, price=Decimal(price), tags=(),
        attributes={"fabric": {"zh": "100%纯棉", "en": "100% cotton"}}, variants=tuple(variants),
    )


def sizes(stock: dict[str, int], price: str = "99") -> ProductInfo:
    """A single-attribute product: one variant per size."""
    return ProductInfo(
        id="socks", name={"zh": "袜子", "en": "socks"}, aliases=(), category="", description={},
        price=Decimal(price), tags=(), attributes={},
        variants=tuple(
            VariantInfo(sku=f"SOCK-{s}", product_id="socks", attrs={"size": s}, stock=n) for s, n in stock.items()
        ),
    )


def r(text: str, product: ProductInfo | None, lang: str = "zh", **asked: str) -> str:
    return render(text, RenderContext(product, lang, asked))


# ---------------------------------------------------------------------------------------------------- parsing


def test_parse_splits_literals_and_placeholders() -> None:
    template = parse_template("{product}现在{price}元,{{包邮}} {stock:XL} {attr:max_load}")
    assert template.parts == (
        Placeholder("product", None, 0),
        "现在",
        Placeholder("price", None, 11),
        "元,{包邮} ",
        Placeholder("stock", "XL", 27),
        " ",
        Placeholder("attr", "max_load", 38),
    )
    assert template.needs_product
    assert not parse_template("plain {{text}}").needs_product


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("hi {colour_in_stock}", 3, "did you mean {colours_in_stock}"),
        ("{nope}", 0, "unknown placeholder {nope}"),
        ("ok {product", 3, "never closed"),
        ("ok } there", 3, "unmatched '}'"),
        ("{pro{duct}", 4, "inside a placeholder"),
        ("{}", 0, "empty placeholder"),
        ("{price:XL}", 0, "takes no argument"),
        ("{attr}", 0, "needs an argument"),
        ("x {stock:}", 2, "empty argument"),
        ("{product.__class__}", 0, "unknown placeholder"),
        ("{0}", 0, "unknown placeholder"),
        ("{product!r}", 0, "unknown placeholder"),
    ],
)
def test_parse_errors_name_the_position(text: str, position: int, fragment: str) -> None:
    with pytest.raises(TemplateError) as err:
        parse_template(text)
    assert err.value.position == position
    assert fragment in err.value.message
    assert f"at character {position + 1}" in str(err.value)


def test_validate_checks_the_product() -> None:
    product = tee({("黑色", "S"): 1})
    validate_template("{stock:XL} {stock:black} {stock:黑色} {attr:fabric} {sizes_in_stock}", product)
    with pytest.raises(TemplateError) as err:
        validate_template("还有{stock:XXL}件", product)
    assert err.value.position == 2 and "no variant 'XXL'" in err.value.message
    with pytest.raises(TemplateError) as err:
        validate_template("承重{attr:max_load}", product)
    assert err.value.position == 2 and "no attribute 'max_load'" in err.value.message
    with pytest.raises(TemplateError, match="no variants with a colour"):
        validate_template("{colours_in_stock}", sizes({"S": 1}))
    # a global FAQ (no product) is only checked for syntax; the product is checked at render time
    assert validate_template("{attr:max_load}", None).placeholders[0].arg == "max_load"
    with pytest.raises(RenderError, match="no attribute 'max_load'"):
        r("{attr:max_load}", product)


# -------------------------------------------------------------------------------------------------- rendering


def test_product_price_and_numbers() -> None:
    product = tee({("黑色", "S"): 4})
    assert r("{product}只要{price}元", product) == "纯棉T恤只要199元"
    assert r("The {product} is {price} CNY", product, "en") == "The cotton tee is 199 CNY"
    assert r("{price}", tee(price="199.50"), "en") == "199.5"
    assert r("{price}", product, size="XL") == "219"  # the asked variant's own price
    assert r("{price}", product, size="S") == "199"
    assert r("{attr:fabric}/{attr:fabric}", product, "en") == "100% cotton/100% cotton"
    assert [format_number(v) for v in (Decimal("199.00"), Decimal("0.10"), 12, 3.5)] == ["199", "0.1", "12", "3.5"]
    assert r("{{literal}} {{product}}", None) == "{literal} {product}"


def test_stock_numbers_and_lists_skip_sold_out() -> None:
    product = tee({("黑色", "S"): 3, ("白色", "S"): 2, ("黑色", "M"): 12})
    assert r("{stock}", product) == "17"
    assert r("{stock:S}", product) == "5"  # every colour in S
    assert r("{stock:black}|{stock:黑色}|{stock:白色}", product, "en") == "15|15|2"
    assert r("{stock:XL}", product) == "0"
    assert r("{sizes_in_stock}", product) == "S、M"
    assert r("{sizes_in_stock}", product, "en") == "S, M"
    assert r("{colours_in_stock}", product) == "黑色、白色"
    assert r("{colours_in_stock}", product, "en") == "black, white"
    assert r("{variants_in_stock}", product, "en") == "black S, black M, white S"


def test_stock_summary() -> None:
    socks = sizes({"S": 3, "M": 12, "L": 0, "XL": 0})
    assert r("{stock_summary}", socks) == "现货:S码3件、M码12件;L、XL已售罄"
    assert r("{stock_summary}", socks, "en") == "In stock: S (3), M (12); L, XL sold out"
    assert r("{stock_summary}", sizes({"S": 1}), "en") == "In stock: S (1)"
    assert r("{stock_summary}", sizes({"S": 0, "M": 0})) == "已售罄"
    assert r("{stock_summary}", sizes({"S": 0, "M": 0}), "en") == "Sold out"


@pytest.mark.parametrize(
    ("stock", "lang", "expected"),
    [
        (12, "zh", "有的,目前XL码现货充足"),
        (6, "zh", "有的,目前XL码现货充足"),
        (5, "zh", "有的,XL码仅剩5件"),
        (1, "zh", "有的,XL码仅剩1件"),
        (0, "zh", "XL刚售罄,L码还有12件"),
        (12, "en", "Yes, XL is in stock"),
        (3, "en", "Only 3 left in XL"),
        (0, "en", "XL just sold out; L has 12 left"),
    ],
)
def test_asked_stock(stock: int, lang: str, expected: str) -> None:
    product = sizes({"S": 30, "M": 0, "L": 12, "XL": stock, "XXL": 2})
    assert r("{asked_stock}", product, lang, size="XL") == expected


def test_asked_stock_alternative_is_the_nearest_size_in_stock() -> None:
    product = sizes({"S": 40, "M": 3, "L": 0, "XL": 0, "XXL": 1})
    assert r("{asked_stock}", product, size="L") == "L刚售罄,M码还有3件"
    assert r("{asked_stock}", product, "en", size="XL") == "XL just sold out; XXL has 1 left"
    shoes = ProductInfo(
        id="shoes", name={"zh": "跑鞋", "en": "runners"}, aliases=(), category="", description={},
        price=Decimal("399"), tags=(), attributes={},
        variants=tuple(VariantInfo(f"RUN-{s}", "shoes", {"size": s}, n) for s, n in
                       [("38", 9), ("40", 0), ("41", 2), ("44", 20)]),
    )
    assert r("{asked_stock}", shoes, size="40") == "40刚售罄,41码还有2件"


def test_asked_stock_with_colour_labels_and_several_attrs() -> None:
    product = tee({("黑色", "XL"): 0, ("白色", "XL"): 4, ("黑色", "L"): 8})
    # Some black sizes are gone: the answer says which ones are left and which are sold out.
    assert r("{asked_stock}", product, "en", colour="black") == "Yes — black L: 8 left; black S, black M, black XL sold out"
    assert r("{asked_stock}", product, "zh", colour="black") == "有的,黑色L码还有8件;黑色S码、黑色M码、黑色XL码已售罄"
    assert r("{asked_stock}", product, "en", size="XL") == "Yes — white XL: 4 left; black XL sold out"  # per colour
    assert r("{asked_stock}", product, "zh", colour="黑色", size="XL") == "黑色XL刚售罄,白色XL码还有4件"
    assert r("{asked_stock}", product, "en", color="BLACK", size="xl") == "black XL just sold out; white XL has 4 left"
    # a slot that is not about variants is ignored; nothing asked -> the summary
    assert r("{asked_stock}", product, "en", city="Toronto") == r("{stock_summary}", product, "en")
    assert (
        r("{asked_stock}", product, "en")
        == "In stock: black L (8), white XL (4); black S, black M, black XL, white S, white M, white L sold out"
    )


def test_asked_value_the_product_does_not_have() -> None:
    product = sizes({"S": 2, "M": 0})
    assert r("{asked_stock}", product, size="XXL") == "暂时没有XXL码,现货:S码2件;M已售罄"
    assert r("{asked_stock}", product, "en", size="XXL") == "We don't have XXL; in stock: S (2); M sold out"


def test_whole_product_sold_out() -> None:
    product = sizes({"S": 0, "M": 0})
    assert r("{asked_stock}", product, size="M") == "抱歉,已售罄"
    assert r("{asked_stock}", product, "en") == "Sorry, sold out"
    assert r("{sizes_in_stock}", product) == "已售罄"
    assert r("{variants_in_stock}", product, "en") == "sold out"
    ctx = RenderContext(product, "zh", {"size": "M"}, alternatives=("纯棉T恤", "运动袜"))
    assert render("{asked_stock}", ctx) == "抱歉,已售罄,可以看看纯棉T恤、运动袜"
    ctx = RenderContext(product, "en", {}, alternatives=("cotton tee",))
    assert render("{asked_stock}", ctx) == "Sorry, sold out; you might like cotton tee"


def test_sold_out_variants_are_never_rendered_as_available() -> None:
    rng = random.Random(7)
    size_names = ["S", "M", "L", "XL"]
    for _ in range(60):
        stock = {(c, s): rng.choice([0, 0, 1, 3, 5, 6, 20]) for c in COLOURS for s in size_names}
        product = tee(stock)
        for lang in ("zh", "en"):
            listed = r("{sizes_in_stock}|{colours_in_stock}|{variants_in_stock}", product, lang)
            in_stock_part = r("{stock_summary}", product, lang).split(";" if lang == "zh" else "; ")[0]
            for variant in product.variants:
                name = " ".join(variant.label(a, lang) for a in variant.attrs)
                if variant.stock == 0:
                    assert f"{name} (" not in in_stock_part and f"{name}码" not in in_stock_part.replace(" ", "")
                    answer = r("{asked_stock}", product, lang, colour=variant.attrs["colour"], size=variant.attrs["size"])
                    assert ("售罄" if lang == "zh" else "sold out") in answer
                    assert not answer.startswith(("有的", "Yes", "Only"))
            for size in size_names:
                total = sum(n for (c, s), n in stock.items() if s == size)
                assert (size in listed.split("|")[0].replace("、", ",").replace(" ", "").split(",")) == (total > 0)
                answer = r("{asked_stock}", product, lang, size=size)
                if total == 0:
                    assert not answer.startswith(("有的", "Yes", "Only"))


def test_render_needs_a_product_only_for_placeholders() -> None:
    assert r("全国包邮,48小时发货", None) == "全国包邮,48小时发货"
    with pytest.raises(RenderError, match=r"needs a product for \{price\}"):
        r("{price}元", None)


# ----------------------------------------------------------------------------------------- live stock (SQLite)


def test_render_with_live_stock_from_the_store(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = CatalogStore(f"sqlite:///{tmp_path / 'live.db'}")
    store.upsert_product(sizes({"L": 12, "XL": 6}))
    template = "{asked_stock}"

    def answer() -> str:
        return render(template, RenderContext(store.product("socks"), "zh", {"size": "XL"}))

    assert answer() == "有的,目前XL码现货充足"
    assert store.apply_order("o1", "SOCK-XL", 3).ok
    assert answer() == "有的,XL码仅剩3件"
    assert store.apply_order("o2", "SOCK-XL", 3).ok
    assert answer() == "XL刚售罄,L码还有12件"
    assert not store.apply_order("o3", "SOCK-XL", 1).ok
    store.set_stock("SOCK-L", 0)
    assert answer() == "抱歉,已售罄"
    store.close()
