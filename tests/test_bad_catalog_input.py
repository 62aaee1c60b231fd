"""Hostile or broken catalog input: YAML bombs, huge files, non-finite and out-of-range numbers, unknown SKUs.

Every case must end in a clear, short error (`CatalogFileError` with file and line, `FormError`, `CatalogError`,
or a rejected `OrderResult`), never a traceback from YAML, Decimal, int() or the database.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

import catalog.io as catalog_io
from bot.console.forms import FormError, decimal, parse_variants, product_from_form, whole_number
from catalog import rules
from catalog.io import (
    CatalogFileError,
    dump_catalog,
    export_products_csv,
    import_catalog,
    import_stock_csv,
    load_catalog_file,
    parse_catalog,
)
from catalog.snapshot import ProductInfo, VariantInfo
from catalog.store import CatalogError, CatalogStore
from catalog.templates import RenderContext, RenderError, format_number, render

MESSAGE_LIMIT = 400  # a message line may quote a value of ~200 characters, never more


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CatalogStore]:
    url = f"sqlite:///{tmp_path / 'store.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    s = CatalogStore(url)
    s.upsert_product(product())
    yield s
    s.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[CatalogStore]:
    s = CatalogStore(f"sqlite:///{tmp_path / 'store.db'}")
    s.upsert_product(product())
    yield s
    s.close()


def product(price: object = Decimal("99"), stock: object = 10, variant_price: object = None, **changes: object) -> ProductInfo:
    fields: dict[str, object] = dict(
        id="tee", name={"zh": "T恤", "en": "tee"}, aliases=(), category="", description={}, price=price, tags=(),
        attributes={}, variants=(VariantInfo("TEE-M", "tee", {"size": "M"}, stock, variant_price),),  # type: ignore[arg-type]
    )
    fields.update(changes)
    return ProductInfo(**fields)  # type: ignore[arg-type]


def catalog_text(price: str = "99", stock: str = "10", variant_price: str | None = None) -> str:
    return (
        "version: 1\n"
        "products:\n"
        "  - id: tee\n"
        "    name: {zh: T恤, en: tee}\n"
        f"    price: {price}\n"  # line 5
        "    variants:\n"
        "      - sku: TEE-M\n"
        f"        stock: {stock}\n"  # line 8
        + (f"        price: {variant_price}\n" if variant_price is not None else "")  # line 9
    )


def assert_short(message: str) -> None:
    for line in message.splitlines():
        assert len(line) <= MESSAGE_LIMIT, f"message line of {len(line)} characters: {line[:120]}..."


# ------------------------------------------------------------------------------------------- YAML bombs


def billion_laughs(levels: int, width: int = 9) -> str:
    """The classic entity-expansion bomb: each level is a list of `width` aliases of the previous one."""
    parts = ["&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    parts += [f"&a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels)]
    return "version: [" + ", ".join(parts) + "]\nproducts: []\n"


def test_billion_laughs_is_refused_before_anything_is_expanded(tmp_path: Path, sqlite_store: CatalogStore) -> None:
    # 7 levels already expand to 9**7 (4.8 million) strings; today's code would be stopped by the assertions
    # below, the real 9-level bomb is checked in the next test.
    path = tmp_path / "bomb.yaml"
    path.write_text(billion_laughs(7), encoding="utf-8")
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(CatalogFileError) as exc:
            import_catalog(sqlite_store, path)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 50 * 1024 * 1024
    assert str(exc.value) == f"{path}:1: YAML aliases/anchors are not allowed"
    assert sqlite_store.snapshot().products.keys() == {"tee"}  # nothing written


def test_real_486_byte_billion_laughs_fails_fast() -> None:
    text = billion_laughs(9)
    assert len(text.encode()) < 500
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(CatalogFileError, match="YAML aliases/anchors are not allowed"):
            parse_catalog(text, "bomb.yaml")
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 1.0 and peak < 50 * 1024 * 1024


@pytest.mark.parametrize(
    ("yaml_text", "line"),
    [
        ("version: 1\ncurrency: &c {zh: 元, en: CNY}\nproducts: []\n", 2),  # an anchor alone
        ("version: 1\nproducts: []\nfaqs: *nothing\n", 3),  # an alias alone (even an undefined one)
        ("version: 1\nproducts:\n  - &p {id: a}\n  - {<<: *p, id: b}\n", 3),  # merge keys use aliases too
    ],
)
def test_any_alias_or_anchor_is_refused_with_its_line(yaml_text: str, line: int) -> None:
    with pytest.raises(CatalogFileError) as exc:
        parse_catalog(yaml_text, "c.yaml")
    assert str(exc.value) == f"c.yaml:{line}: YAML aliases/anchors are not allowed"


def test_deep_nesting_is_an_error_not_a_recursion_crash() -> None:
    with pytest.raises(CatalogFileError, match=r"c.yaml:1: .*nested too deeply"):
        parse_catalog("version: " + "[" * 2000 + "]" * 2000 + "\nproducts: []\n", "c.yaml")


def test_catalog_file_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    MAX_CATALOG_BYTES = catalog_io.MAX_CATALOG_BYTES
    assert MAX_CATALOG_BYTES == 20 * 1024 * 1024
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_CATALOG_BYTES + 1)  # sparse: cheap to create
    started = time.perf_counter()
    with pytest.raises(CatalogFileError) as exc:
        load_catalog_file(path)
    assert time.perf_counter() - started < 1.0
    assert str(exc.value) == f"{path}: the file is larger than 20 MB ({MAX_CATALOG_BYTES + 1} bytes)"
    with pytest.raises(CatalogFileError, match="larger than 20 MB"):
        parse_catalog("#" * (MAX_CATALOG_BYTES + 1), "big.yaml")


def test_stock_csv_over_the_size_limit_is_refused(tmp_path: Path, sqlite_store: CatalogStore) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)
    with pytest.raises(CatalogFileError, match="larger than 20 MB"):
        import_stock_csv(sqlite_store, path)


def test_yaml_values_python_cannot_build_are_errors_with_a_line() -> None:
    # an int of 5000 digits (int() refuses it), an impossible date, invalid base64
    for bad, what in [("9" * 5000, "price"), ("2024-13-45", "category"), ("!!binary '@@@'", "category")]:
        source = catalog_text().replace(
            "    price: 99\n", f"    {what}: {bad}\n" + ("    price: 99\n" if what != "price" else "")
        )
        with pytest.raises(CatalogFileError) as exc:
            parse_catalog(source, "c.yaml")
        assert str(exc.value).startswith("c.yaml:5: "), str(exc.value)[:300]
        assert_short(str(exc.value))


def test_error_messages_quote_at_most_about_200_characters_of_a_value(tmp_path: Path, sqlite_store: CatalogStore) -> None:
    long = "X" * 100_000
    cases = [
        catalog_text().replace("id: tee", f"id: {long}"),  # invalid id
        catalog_text(price=f"'{long}'"),  # not a number
        catalog_text(stock=long),  # not a whole number
        catalog_text().replace("version: 1", f"version: {long}"),  # unsupported version
        catalog_text().replace("    price: 99\n", f"    price: 99\n    ? {long}\n    : 1\n"),  # unknown key
        catalog_text().replace("name: {zh: T恤, en: tee}", f"name:\n      zh: T恤\n      ? {long}\n      : x"),  # lang code
        catalog_text() + "faqs:\n  - {id: f, product: tee, intent: ask, questions: [q1, q2, q3],\n"
        f'     answer: {{zh: "{{{long}}}"}}}}\n',  # unknown placeholder in an answer template
    ]
    for source in cases:
        with pytest.raises(CatalogFileError) as exc:
            parse_catalog(source, "c.yaml")
        assert_short(str(exc.value))
        assert "…" in str(exc.value)

    csv_path = tmp_path / "stock.csv"
    csv_path.write_text(f"sku,stock\n{long},1\nTEE-M,{long}\n", encoding="utf-8")
    with pytest.raises(CatalogFileError) as exc:
        import_stock_csv(sqlite_store, csv_path)
    assert_short(str(exc.value))
    assert [line for line, _ in exc.value.errors] == [2, 3]


def test_a_csv_field_longer_than_the_csv_module_allows_is_a_file_error(tmp_path: Path, sqlite_store: CatalogStore) -> None:
    path = tmp_path / "stock.csv"
    path.write_text("sku,stock\nTEE-M,1\n\"" + "x" * 300_000 + "\",1\n", encoding="utf-8")
    with pytest.raises(CatalogFileError, match=r"stock.csv:3: "):
        import_stock_csv(sqlite_store, path)


def test_thousands_of_bad_rows_give_a_bounded_message(tmp_path: Path, sqlite_store: CatalogStore) -> None:
    path = tmp_path / "stock.csv"
    path.write_text("sku,stock\n" + "".join(f"NOPE-{i},1\n" for i in range(20_000)), encoding="utf-8")
    with pytest.raises(CatalogFileError) as exc:
        import_stock_csv(sqlite_store, path)
    message = str(exc.value)
    assert len(message.splitlines()) <= 101 and "and 19900 more problems" in message.splitlines()[-1]


# ---------------------------------------------------------------------------------------------- the rules


@pytest.mark.parametrize(
    "value",
    [Decimal("Infinity"), Decimal("-Infinity"), Decimal("NaN"), Decimal("sNaN"), float("inf"), float("nan"),
     Decimal("1e400"), 10**30, Decimal(10**9) + Decimal("0.01"), Decimal("-1"), -1, Decimal("1.234"), "abc", True,
     None, [1]],
)
def test_price_rule_rejects(value: object) -> None:
    with pytest.raises(rules.RuleError):
        rules.check_price(value)


def test_price_rule_accepts_and_normalises() -> None:
    assert rules.check_price(Decimal("199.50")) == Decimal("199.5")
    assert rules.check_price(19.9) == Decimal("19.9")  # the float YAML gives, not 19.899999...
    assert rules.check_price(0) == 0 and str(rules.check_price(Decimal("-0"))) == "0"
    assert rules.check_price(10**9) == 10**9 and rules.check_price("12.30") == Decimal("12.3")
    assert rules.PRICE_PLACES == 2  # catalog.schema.PRICE is Numeric(12, 2)


@pytest.mark.parametrize("value", [-1, 2**31, 2**63, 10**30, 1.0, float("inf"), float("nan"), True, "5", None])
def test_stock_rule_rejects(value: object) -> None:
    with pytest.raises(rules.RuleError):
        rules.check_stock(value)


def test_stock_and_qty_rules_accept_the_edges() -> None:
    assert rules.check_stock(0) == 0 and rules.check_stock(2**31 - 1) == 2**31 - 1
    assert rules.qty_problem(1) is None and rules.qty_problem(10**6) is None
    for qty in (0, -1, 10**6 + 1, 2**31, 10**30, True, 1.5, "2", None):
        assert rules.qty_problem(qty) is not None


@pytest.mark.parametrize(
    ("text", "reason"),
    [("-1", ">= 0"), ("abc", "whole number"), ("1.5", "whole number"), ("1e3", "whole number"), ("inf", "whole number"),
     ("2147483648", "at most 2147483647"), ("9" * 30, "at most 2147483647"), ("9" * 100_000, "at most 2147483647"),
     ("", "whole number")],
)
def test_parse_stock_text(text: str, reason: str) -> None:
    with pytest.raises(rules.RuleError, match=reason) as exc:
        rules.parse_stock(text)
    assert len(str(exc.value)) <= MESSAGE_LIMIT


# ------------------------------------------------------------------------------------------- YAML import


@pytest.mark.parametrize(
    ("price", "reason"),
    [
        (".inf", "must be a finite number, not .inf"),
        ("-.inf", "must be a finite number, not -.inf"),
        (".nan", "must be a finite number, not .nan"),
        (".NaN", "must be a finite number, not .NaN"),
        ("1.0e+400", "must be a finite number, not 1.0e+400"),
        ("1e400", "must be a number, not '1e400'"),  # YAML 1.1 reads this as text
        (str(10**30), "must be at most 1000000000, got 1000000000000000000000000000000"),
        ("1000000000.5", "must be at most 1000000000, got 1000000000.5"),
        ("-1", "must be >= 0, got -1"),
        ("abc", "must be a number, not 'abc'"),
        ("1.234", "must have at most 2 decimal places, got 1.234"),
    ],
)
def test_yaml_price_rules(price: str, reason: str) -> None:
    with pytest.raises(CatalogFileError) as exc:
        parse_catalog(catalog_text(price=price), "c.yaml")
    assert str(exc.value) == f"c.yaml:5: product 'tee' price {reason}"
    with pytest.raises(CatalogFileError) as exc:
        parse_catalog(catalog_text(variant_price=price), "c.yaml")
    assert str(exc.value) == f"c.yaml:9: variant 'TEE-M' price {reason}"


@pytest.mark.parametrize(
    ("stock", "reason"),
    [
        (".inf", "must be a whole number, not .inf"),
        (".nan", "must be a whole number, not .nan"),
        ("1e400", "must be a whole number, not '1e400'"),
        ("2.5", "must be a whole number, not 2.5"),
        (str(2**31), "must be at most 2147483647, got 2147483648"),
        (str(10**30), "must be at most 2147483647, got 1000000000000000000000000000000"),
        ("-3", "must be >= 0, got -3"),
        ("abc", "must be a whole number, not 'abc'"),
    ],
)
def test_yaml_stock_rules(stock: str, reason: str) -> None:
    with pytest.raises(CatalogFileError) as exc:
        parse_catalog(catalog_text(stock=stock), "c.yaml")
    assert str(exc.value) == f"c.yaml:8: variant 'TEE-M' stock {reason}"


def test_yaml_edge_values_import(sqlite_store: CatalogStore, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(catalog_text(price="1000000000", stock=str(2**31 - 1), variant_price="0.01"), encoding="utf-8")
    import_catalog(sqlite_store, path)
    tee = sqlite_store.product("tee")
    assert tee is not None and tee.price == 10**9 and tee.variants[0].stock == 2**31 - 1
    assert tee.variants[0].price == Decimal("0.01")


def test_non_finite_numbers_used_as_text_do_not_crash() -> None:
    source = catalog_text().replace("name: {zh: T恤, en: tee}", "name: {zh: T恤, en: tee}\n    aliases: [.inf, .nan]")
    data = parse_catalog(source, "c.yaml")
    assert data.products[0].aliases == (".inf", ".nan")


# -------------------------------------------------------------------------------------------- CSV import


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("inf", "must be a whole number >= 0, got 'inf'"),
        ("nan", "must be a whole number >= 0, got 'nan'"),
        ("1e400", "must be a whole number >= 0, got '1e400'"),
        ("1.5", "must be a whole number >= 0, got '1.5'"),
        ("-1", "must be >= 0, got -1"),
        ("abc", "must be a whole number >= 0, got 'abc'"),
        ("2147483648", "must be at most 2147483647, got 2147483648"),
        (str(10**30), "must be at most 2147483647, got 1000000000000000000000000000000"),
    ],
)
def test_csv_stock_rules(sqlite_store: CatalogStore, tmp_path: Path, raw: str, reason: str) -> None:
    path = tmp_path / "stock.csv"
    path.write_text(f"sku,stock\nTEE-M,{raw}\n", encoding="utf-8")
    with pytest.raises(CatalogFileError) as exc:
        import_stock_csv(sqlite_store, path)
    assert str(exc.value) == f"{path}:2: stock for 'TEE-M' {reason}"
    assert sqlite_store.variant("TEE-M").stock == 10  # type: ignore[union-attr]


def test_csv_with_a_5000_digit_stock_is_a_file_error(sqlite_store: CatalogStore, tmp_path: Path) -> None:
    path = tmp_path / "stock.csv"
    path.write_text("sku,stock\nTEE-M," + "9" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(CatalogFileError, match=r"stock.csv:2: stock for 'TEE-M' must be at most 2147483647") as exc:
        import_stock_csv(sqlite_store, path)
    assert_short(str(exc.value))


def test_csv_max_stock_imports(sqlite_store: CatalogStore, tmp_path: Path) -> None:
    path = tmp_path / "stock.csv"
    path.write_text(f"sku,stock\nTEE-M,{2**31 - 1}\n", encoding="utf-8")
    assert import_stock_csv(sqlite_store, path) == {"TEE-M": (10, 2**31 - 1)}


# ------------------------------------------------------------------------------------------ console forms


@pytest.mark.parametrize(
    "text", ["inf", "-inf", "Infinity", "nan", "NaN", "sNaN", "1e400", "1" + "0" * 30, "-1", "abc", "1.234",
             "1000000000.01", "9" * 100_000],
)
def test_form_price_rules(text: str) -> None:
    with pytest.raises(FormError) as exc:
        decimal(text, "price")
    assert exc.value.field == "price" and len(str(exc.value)) <= MESSAGE_LIMIT
    with pytest.raises(FormError):
        parse_variants(f"TEE-M | size=M | {text}", "tee", {})
    with pytest.raises(FormError, match="price"):
        product_from_form({"name_zh": "T恤", "price": text, "variants": "TEE-M | size=M"}, None, "tee")


def test_form_price_accepts_edges() -> None:
    assert decimal("1000000000", "price") == 10**9 and decimal("0.01", "price") == Decimal("0.01")
    assert decimal("", "price", optional=True) is None


@pytest.mark.parametrize("text", ["-1", "abc", "1.5", "2147483648", "9" * 30, "9" * 100_000, "inf", ""])
def test_form_stock_rules(text: str) -> None:
    with pytest.raises(FormError) as exc:
        whole_number(text, "stock")
    assert exc.value.field == "stock" and len(str(exc.value)) <= MESSAGE_LIMIT


def test_form_stock_accepts_the_int32_maximum() -> None:
    assert whole_number("2147483647", "stock") == 2**31 - 1  # used to stop at 999,999,999


# ---------------------------------------------------------------------------------- store (SQLite + PostgreSQL)


@pytest.mark.parametrize(
    "changes",
    [
        {"price": Decimal("Infinity")}, {"price": Decimal("-Infinity")}, {"price": Decimal("NaN")},
        {"price": Decimal("1e400")}, {"price": Decimal(10**30)}, {"price": Decimal("-1")}, {"price": "abc"},
        {"price": Decimal("1.234")}, {"variant_price": Decimal("Infinity")}, {"variant_price": Decimal(10**30)},
        {"stock": 10**30}, {"stock": 2**31}, {"stock": -1}, {"stock": True},
        {"id": "p" * 65}, {"category": "c" * 65},
    ],
    ids=lambda c: ",".join(f"{k}={str(v)[:12]}" for k, v in c.items()),
)
def test_upsert_product_rejects_bad_values_with_a_catalog_error(tmp_path: Path, changes: dict[str, object]) -> None:
    s = CatalogStore(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        bad = product(**changes)
        if "id" in changes:
            bad = product(id=changes["id"], variants=(VariantInfo("X-1", str(changes["id"]), {}, 1, None),))
        with pytest.raises(CatalogError):
            s.upsert_product(bad)
        with pytest.raises(CatalogError):
            s.load_catalog([bad], [])
    finally:
        s.close()


def test_store_numeric_rules_on_both_databases(store: CatalogStore) -> None:
    for bad in (product(price=Decimal("Infinity")), product(price=Decimal(10**30)), product(stock=2**31),
                product(variant_price=Decimal("NaN")), product(variants=(VariantInfo("S" * 65, "tee", {}, 1, None),))):
        with pytest.raises(CatalogError):
            store.upsert_product(bad)
    for stock in (2**31, 2**63, 10**30, -1, True, 1.5, float("inf"), "5"):
        with pytest.raises(CatalogError, match="stock"):
            store.set_stock("TEE-M", stock)  # type: ignore[arg-type]
    with pytest.raises(CatalogError, match="stock"):
        store.set_stocks({"TEE-M": 10**30})
    assert store.set_stock("TEE-M", 2**31 - 1) == 10
    assert store.variant("TEE-M").stock == 2**31 - 1  # type: ignore[union-attr]
    for i, qty in enumerate((10**6 + 1, 2**31, 2**63, 10**30, 0, -1)):
        result = store.apply_order(f"o-{i}", "TEE-M", qty)
        assert (result.ok, result.reason, result.remaining) == (False, "invalid quantity", 2**31 - 1)
    assert store.apply_order("o-big", "TEE-M", 10**6).remaining == 2**31 - 1 - 10**6
    assert store.product("tee").price == 99  # type: ignore[union-attr]


def test_unknown_skus_are_clean_rejections(store: CatalogStore) -> None:
    with pytest.raises(CatalogError) as exc:
        store.set_stock("NOPE", 1)
    assert str(exc.value) == "unknown SKU 'NOPE'"
    assert isinstance(exc.value, KeyError)  # callers catching KeyError keep working
    with pytest.raises(CatalogError, match="unknown SKU 'NOPE'"):
        store.set_stocks({"TEE-M": 1, "NOPE": 2})
    assert store.variant("TEE-M").stock == 10  # type: ignore[union-attr]  # all or nothing
    for sku in ("A\x00B", "S" * 100_000, 123):
        with pytest.raises(CatalogError, match="unknown SKU") as exc:
            store.set_stock(sku, 1)  # type: ignore[arg-type]
        assert len(str(exc.value)) <= MESSAGE_LIMIT
    for i, (sku, qty) in enumerate((("NOPE", 1), ("NOPE", 10**30), ("A\x00B", 1), (123, 1))):
        result = store.apply_order(f"o-{i}", sku, qty)  # type: ignore[arg-type]
        assert result.ok is False and result.reason in ("unknown sku", "invalid quantity")
    result = store.apply_order("o\x00nul", "TEE-M", 1)
    assert result.ok and result.remaining == 9
    assert store.apply_order("o\x00nul", "TEE-M", 1).duplicate


# ---------------------------------------------------------------------------- legacy rows and rendering


def test_legacy_infinite_price_in_the_database_does_not_break_export_or_answers(
    sqlite_store: CatalogStore, tmp_path: Path
) -> None:
    # a SQLite database written before the rules existed may hold an infinite price (stored as REAL Inf)
    with sqlite_store.engine.begin() as conn:
        conn.execute(text("UPDATE products SET price = 9e999 WHERE id = 'tee'"))
        conn.execute(text("UPDATE variants SET price = 9e999 WHERE sku = 'TEE-M'"))
    dumped = dump_catalog(sqlite_store)
    assert dumped.count("price: .inf") == 2
    (tmp_path / "out.yaml").write_text(dumped, encoding="utf-8")
    with pytest.raises(CatalogFileError, match="price must be a finite number"):
        load_catalog_file(tmp_path / "out.yaml")  # re-importing says what is wrong
    assert export_products_csv(sqlite_store, tmp_path / "out.csv") == 1
    tee = sqlite_store.product("tee")
    assert tee is not None
    with pytest.raises(RenderError, match="price"):
        render("{product}: {price}", RenderContext(product=tee, lang="zh"))
    assert render("{product}", RenderContext(product=tee, lang="zh")) == "T恤"


def test_format_number_refuses_non_finite_values_clearly() -> None:
    for value in (Decimal("Infinity"), Decimal("NaN"), float("inf"), float("nan")):
        with pytest.raises(ValueError, match="not a finite number"):
            format_number(value)
