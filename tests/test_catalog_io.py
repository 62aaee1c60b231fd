"""Catalog files: validation errors with file and line, import/export round trips, stock CSV, the demo catalog."""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import textwrap
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from catalog.errors import Conflict
from catalog.io import (
    CatalogFileError,
    export_catalog,
    export_products_csv,
    import_catalog,
    import_stock_csv,
    load_catalog_file,
    parse_export_time,
    spreadsheet_date,
)
from catalog.phrases import MissingText
from catalog.store import CatalogStore
from catalog.templates import RenderContext, RenderError, render

PG_URL = os.environ.get("LIVEREPLY_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DEMO_CATALOG = Path(__file__).resolve().parent.parent / "data" / "catalog.yaml"

CATALOG = textwrap.dedent(
    """\
    version: 1
    currency: {zh: 元, en: CNY}
    products:
      - id: stroller-a1
        name: {zh: 轻便婴儿推车A1, en: A1 Lightweight Stroller}
        aliases: [推车, 婴儿车, stroller, pram]
        category: baby
        price: 899
        tags: [宝宝, baby]
        description: {zh: "一键收车,可登机", en: "One-hand fold, cabin size"}
        attributes:
          max_load: {zh: 25公斤, en: 25 kg}
          weight: {zh: 5.8公斤, en: 5.8 kg}
        variants:
          - sku: A1-GREY
            attrs: {colour: {zh: 灰色, en: grey}}
            stock: 30
          - sku: A1-PINK
            attrs: {colour: {zh: 粉色, en: pink}}
            stock: 5
            price: 919.5
      - id: tee
        name: {zh: 纯棉T恤, en: Cotton tee}
        price: 99
        variants:
          - {sku: TEE-S, attrs: {size: S}, stock: 3}
          - {sku: TEE-XL, attrs: {size: XL}, stock: 0}
          - {sku: TEE-38, attrs: {size: 38}, stock: 2}
    faqs:
      - id: stroller-max-load
        product: stroller-a1
        intent: ask_spec
        questions:
          zh: [这款推车承重多少, 能承受多重的宝宝, 最大承重是多少]
          en: [what's the max weight, how heavy a kid can it hold, "weight limit?"]
        answer:
          zh: "{product}最大承重{attr:max_load}。"
          en: "The {product} holds up to {attr:max_load}."
      - id: tee-sizes
        product: tee
        intent: ask_stock
        questions:
          zh: [有XL码吗, 还有什么尺码]
          en: [do you have XL]
        answer:
          zh: "{asked_stock}"
          en: "{asked_stock}. Sizes in stock: {sizes_in_stock}"
      - id: shipping
        product: null
        intent: ask_shipping
        questions: [包邮吗, 发货快吗, "do you ship to Canada?"]
        answer:
          zh: "全国包邮,{{48小时}}内发货"
    """
)


def write(tmp_path: Path, text: str, name: str = "catalog.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in catalog")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'io.db'}"
    return request.getfixturevalue("postgres_url")


# ------------------------------------------------------------------------------------------------- loading


def test_load_valid_catalog(tmp_path: Path) -> None:
    data = load_catalog_file(write(tmp_path, CATALOG))
    assert data.currency == {"zh": "元", "en": "CNY"}
    assert [p.id for p in data.products] == ["stroller-a1", "tee"]
    stroller, tee = data.products
    assert stroller.price == Decimal("899") and stroller.variants[1].price == Decimal("919.5")
    grey = stroller.variants[0]
    assert grey.attrs == {"colour": "灰色"} and grey.label("colour", "en") == "grey"
    assert [v.attrs["size"] for v in tee.variants] == ["S", "XL", "38"]  # numbers become text
    assert [f.id for f in data.faqs] == ["stroller-max-load", "tee-sizes", "shipping"]
    assert data.faqs[2].product_id is None
    assert data.examples["tee-sizes"] == (("有XL码吗", "zh"), ("还有什么尺码", "zh"), ("do you have XL", "en"))
    assert data.examples["shipping"][2] == ("do you ship to Canada?", "en")  # language guessed for a plain list
    assert data.lines["product:tee"] == line_of(CATALOG, "id: tee")
    assert data.lines["variant:A1-PINK"] == line_of(CATALOG, "sku: A1-PINK")
    assert data.lines["faq:shipping"] == line_of(CATALOG, "id: shipping")


BROKEN = [
    # (description, old text, new text, line marker (in the broken file), message fragment)
    ("bad yaml", "    price: 99\n", "    price: 99: 100\n", "price: 99: 100", "invalid YAML"),
    ("missing name", "    name: {zh: 纯棉T恤, en: Cotton tee}\n", "", "id: tee", "missing required key 'name'"),
    ("name in no language", "{zh: 纯棉T恤, en: Cotton tee}", "{}", "name: {}",
     "product 'tee' name needs text in at least one language"),  # one language is enough: test_catalog_roundtrip_rules
    ("unknown product", "product: tee\n", "product: teee\n", "product: teee", "unknown product 'teee'"),
    (
        "duplicate product",
        "id: tee\n",
        "id: stroller-a1\n",
        "- id: stroller-a1\n    name: {zh: 纯棉",
        "duplicate product id 'stroller-a1'",
    ),
    ("duplicate sku", "sku: TEE-38", "sku: TEE-S", "{sku: TEE-S, attrs: {size: 38}", "duplicate SKU 'TEE-S'"),
    ("duplicate faq", "id: shipping", "id: tee-sizes", "id: tee-sizes\n    product: null", "duplicate FAQ id"),
    (
        "unknown placeholder",
        "{attr:max_load}。",
        "{max_load}。",
        'zh: "{product}最大承重{max_load}',
        "unknown placeholder {max_load}",
    ),
    ("stock value missing", '{asked_stock}"\n      en', '{stock:XXL}"\n      en', 'zh: "{stock:XXL}', "no variant 'XXL'"),
    (
        "attr missing",
        'en: "The {product} holds up to {attr:max_load}',
        'en: "{attr:colour}',
        'en: "{attr:colour}',
        "no attribute 'colour'",
    ),
    ("negative stock", "stock: 30", "stock: -3", "stock: -3", "stock must be >= 0"),
    ("fractional stock", "stock: 30", "stock: 2.5", "stock: 2.5", "stock must be a whole number"),
    ("negative price", "price: 899", "price: -1", "price: -1", "price must be >= 0"),
    ("typo key", "stock: 30", "stok: 30", "stok: 30", "unknown key 'stok'"),
    ("too few questions", "en: [do you have XL]", "en: []", "zh: [有XL码吗", "2 example questions; at least 3"),
    ("duplicate key", "category: baby\n", "category: baby\n    category: toys\n", "category: toys", "duplicate key 'category'"),
    ("bad id", "id: tee\n", "id: Tee Shirt\n", "id: Tee Shirt", "'Tee Shirt' is not a valid id"),
    (
        "no variants",
        (
            "    variants:\n      - {sku: TEE-S, attrs: {size: S}, stock: 3}\n"
            "      - {sku: TEE-XL, attrs: {size: XL}, stock: 0}\n      - {sku: TEE-38, attrs: {size: 38}, stock: 2}\n"
        ),
        "    variants: []\n",
        "variants: []",
        "needs at least one variant",
    ),
]


@pytest.mark.parametrize(("old", "new", "marker", "fragment"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_files_name_file_and_line(tmp_path: Path, old: str, new: str, marker: str, fragment: str) -> None:
    assert old in CATALOG
    broken = CATALOG.replace(old, new, 1)
    path = write(tmp_path, broken)
    with pytest.raises(CatalogFileError) as err:
        load_catalog_file(path)
    first_line = marker.split("\n")[0]
    candidates = [n for n, line in enumerate(broken.splitlines(), 1) if first_line in line]
    if "\n" in marker:  # disambiguate with the following line
        second = marker.split("\n")[1]
        candidates = [n for n in candidates if second in broken.splitlines()[n]]
    assert len(candidates) >= 1
    expected_line = candidates[-1] if fragment.startswith("duplicate") else candidates[0]
    messages = [m for line, m in err.value.errors if line == expected_line and fragment in m]
    assert messages, f"no error at line {expected_line} containing {fragment!r}: {err.value}"
    assert f"{path}:{expected_line}: " in str(err.value)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    broken = CATALOG.replace("stock: 30", "stock: -1").replace("product: tee\n", "product: ghost\n")
    with pytest.raises(CatalogFileError) as err:
        load_catalog_file(write(tmp_path, broken))
    lines = [line for line, _ in err.value.errors]
    assert lines == [line_of(broken, "stock: -1"), line_of(broken, "product: ghost")]
    assert err.value.line == lines[0]


# A typo in one product of the demo catalog: its FAQs, the synonyms of its colours (樱花粉, 雾霾灰) and attributes
# (max_load, folded_size, recline) refer to it; none of them may be reported again.
PRODUCT_TYPOS = [
    # (old, new, line marker, message fragment)
    ("        stock: 30\n", "        stok: 30\n", "stok: 30", "variant of 'stroller-a1': unknown key 'stok'"),
    ("    price: 899\n", "    price: abc\n", "price: abc", "product 'stroller-a1' price must be a number, not 'abc'"),
]


def _demo_with(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = DEMO_CATALOG.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return write(tmp_path, text, "cat.yaml")


@pytest.mark.parametrize(("old", "new", "marker", "fragment"), PRODUCT_TYPOS, ids=["stok", "price"])
def test_a_broken_product_is_one_error_not_one_per_reference(
    tmp_path: Path, old: str, new: str, marker: str, fragment: str
) -> None:
    path = _demo_with(tmp_path, (old, new))
    with pytest.raises(CatalogFileError) as err:
        load_catalog_file(path)
    line = line_of(path.read_text(encoding="utf-8"), marker)
    assert line == (29 if "stok" in marker else 13)
    assert [(n, fragment in m) for n, m in err.value.errors] == [(line, True)], str(err.value)
    assert str(err.value).count("\n") == 0


@pytest.mark.parametrize(("old", "new", "marker", "fragment"), PRODUCT_TYPOS, ids=["stok", "price"])
def test_wrong_references_beside_a_broken_product_are_still_reported(
    tmp_path: Path, old: str, new: str, marker: str, fragment: str
) -> None:
    path = _demo_with(
        tmp_path,
        (old, new),
        ("      燕麦色: [燕麦, oat]\n", "      燕麦色: [燕麦, oat]\n      孔雀蓝: [孔雀]\n"),  # no variant has it
        ("    recline: [", "    battery: [电池]\n    recline: ["),  # no product has it
        ('zh: "{product}最大承重{attr:max_load}。"', 'zh: "{product}最大承重{attr:max_lod}。"'),  # of the broken one
        ("{product}直播间到手价{price}元。", "{product}直播间到手价{price}元{stock:XXXXL}。"),  # a global FAQ
    )
    text = path.read_text(encoding="utf-8")
    with pytest.raises(CatalogFileError) as err:
        load_catalog_file(path)
    expected = [
        (line_of(text, marker), fragment),
        (line_of(text, "{attr:max_lod}"), "product 'stroller-a1' has no attribute 'max_lod'"),
        (line_of(text, "{stock:XXXXL}"), "no product in the catalog has the variant value 'XXXXL'"),
        (line_of(text, "孔雀蓝: [孔雀]"), "synonyms.values.colour: '孔雀蓝' is not a colour of any variant"),
        (line_of(text, "battery: [电池]"), "synonyms.attributes: no product has an attribute 'battery'"),
    ]
    got = err.value.errors  # in line order
    assert len(got) == len(expected), str(err.value)
    for (line, message), (want_line, want) in zip(got, sorted(expected), strict=True):
        assert line == want_line and want in message, (line, message)


def test_a_file_with_a_broken_product_imports_nothing(tmp_path: Path) -> None:
    store = CatalogStore(f"sqlite:///{tmp_path / 'io.db'}")
    import_catalog(store, write(tmp_path, CATALOG))
    before = store.snapshot()
    broken = CATALOG.replace("stock: 30", "stok: 30").replace("name: {zh: 纯棉T恤", "name: {zh: 纯棉长袖T恤")
    for replace in (True, False):
        with pytest.raises(CatalogFileError, match="unknown key 'stok'") as err:
            import_catalog(store, write(tmp_path, broken, "broken.yaml"), replace=replace)
        assert len(err.value.errors) == 1
        after = store.snapshot()
        assert after.products == before.products and after.faqs == before.faqs and after.version == before.version
    store.close()


def test_merging_a_broken_product_checks_its_faqs_against_the_file_not_the_store(tmp_path: Path) -> None:
    store = CatalogStore(f"sqlite:///{tmp_path / 'io.db'}")
    import_catalog(store, write(tmp_path, CATALOG))
    # the file gives the stroller a new attribute (and a bad price): its FAQ using it is not "no attribute 'fold'"
    edited = (
        CATALOG.replace("price: 899", "price: abc")
        .replace("      weight: {zh: 5.8公斤, en: 5.8 kg}\n", "      weight: {zh: 5.8公斤, en: 5.8 kg}\n      fold: 一键收车\n")
        .replace("{attr:max_load}。", "{attr:fold}。")
    )
    with pytest.raises(CatalogFileError) as err:
        import_catalog(store, write(tmp_path, edited, "edited.yaml"), replace=False)
    assert [line for line, _ in err.value.errors] == [line_of(edited, "price: abc")], str(err.value)
    store.close()


def test_references_to_a_product_whose_variants_cannot_be_read_are_not_reported(tmp_path: Path) -> None:
    # what the stroller's variants are is unknown: a colour or placeholder naming one may be right
    variants = CATALOG[CATALOG.index("    variants:\n      - sku: A1-GREY") : CATALOG.index("  - id: tee")]
    text = (
        CATALOG.replace(variants, "    variants: 灰色, 粉色\n").replace("{attr:max_load}。", "{attr:max_load}{stock:灰色}。")
        + "synonyms:\n  values:\n    colour: {灰色: [灰]}\n  attributes:\n    max_load: [承重]\n"
    )
    with pytest.raises(CatalogFileError) as err:
        load_catalog_file(write(tmp_path, text))
    assert [line for line, _ in err.value.errors] == [line_of(text, "variants: 灰色")], str(err.value)
    assert "variants must be a list" in str(err.value)
    # and once they are readable, a colour no variant has is an error again
    fixed = (
        CATALOG.replace("{attr:max_load}。", "{attr:max_load}{stock:灰色}。").replace("price: 899", "price: abc")
        + "synonyms:\n  values:\n    colour: {灰色: [灰], 紫色: [紫]}\n"
    )
    with pytest.raises(CatalogFileError) as err:
        load_catalog_file(write(tmp_path, fixed))
    assert [line for line, _ in err.value.errors] == [line_of(fixed, "price: abc"), line_of(fixed, "colour: {灰色")]
    assert "'紫色' is not a colour of any variant" in str(err.value)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(CatalogFileError, match="cannot read file"):
        load_catalog_file(tmp_path / "missing.yaml")
    with pytest.raises(CatalogFileError, match="the file is empty"):
        load_catalog_file(write(tmp_path, "# nothing\n"))
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"version: 1\nproducts: []\n# caf\xe9\n")
    with pytest.raises(CatalogFileError) as err:
        load_catalog_file(path)
    assert err.value.line == 3 and "not valid UTF-8" in str(err.value)


# --------------------------------------------------------------------------------------- import / export


def test_import_export_round_trip(tmp_path: Path, db_url: str) -> None:
    first = CatalogStore(db_url)
    assert import_catalog(first, write(tmp_path, CATALOG)) == 1
    assert first.add_example("shipping", "ship to Canada?", "en")  # a staff example survives the trip
    first.apply_order("o-1", "A1-GREY", 4)  # live stock is what gets exported
    exported = tmp_path / "exported.yaml"
    export_catalog(first, exported)

    second = CatalogStore(f"sqlite:///{tmp_path / 'second.db'}")
    import_catalog(second, exported)
    a, b = first.snapshot(), second.snapshot()
    assert a.products == b.products and a.faqs == b.faqs and a.currency == b.currency
    assert b.products["stroller-a1"].variant("A1-GREY").stock == 26  # type: ignore[union-attr]
    assert second.faq_examples()["shipping"] == [
        ("包邮吗", "zh", "catalog"), ("发货快吗", "zh", "catalog"),
        ("do you ship to Canada?", "en", "catalog"), ("ship to Canada?", "en", "catalog"),
    ]
    again = tmp_path / "again.yaml"
    export_catalog(second, again)
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")
    first.close()
    second.close()


def test_import_replace_and_merge(tmp_path: Path) -> None:
    store = CatalogStore(f"sqlite:///{tmp_path / 'merge.db'}")
    import_catalog(store, write(tmp_path, CATALOG))
    extra = textwrap.dedent(
        """\
        products:
          - id: socks
            name: {zh: 袜子, en: socks}
            price: 19.9
            variants: [{sku: SOCK-1, stock: 9}]
        faqs:
          - id: tee-price
            product: tee
            intent: ask_price
            questions: [T恤多少钱, 价格多少, how much is the tee]
            answer: {zh: "{price}元"}
        """
    )
    path = write(tmp_path, extra, "extra.yaml")
    with pytest.raises(CatalogFileError, match="unknown product 'tee'"):
        import_catalog(store, path, replace=True)  # nothing else in the file defines tee
    assert set(store.snapshot().products) == {"stroller-a1", "tee"}  # a failed import changes nothing
    import_catalog(store, path, replace=False)
    snap = store.snapshot()
    assert list(snap.products) == ["stroller-a1", "tee", "socks"] and "tee-price" in snap.faqs
    assert snap.products["socks"].price == Decimal("19.9")
    import_catalog(store, write(tmp_path, CATALOG))
    assert list(store.snapshot().products) == ["stroller-a1", "tee"]
    store.close()


def test_stock_csv(tmp_path: Path) -> None:
    store = CatalogStore(f"sqlite:///{tmp_path / 'csv.db'}")
    import_catalog(store, write(tmp_path, CATALOG))
    csv_path = tmp_path / "stock.csv"
    assert export_products_csv(store, csv_path) == 5
    lines = csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "product_id,sku,name_zh,name_en,variant,price,stock,exported_at"
    assert lines[2].startswith("stroller-a1,A1-PINK,轻便婴儿推车A1,A1 Lightweight Stroller,colour=粉色,919.5,5,20")
    assert lines[2].endswith("Z")  # the export time, UTC
    csv_path.write_text(
        "\ufeffproduct_id,sku,stock\nx,A1-GREY,12\nx,TEE-XL,4\nx,TEE-S,3\n", encoding="utf-8"
    )
    assert import_stock_csv(store, csv_path) == {"A1-GREY": (30, 12), "TEE-XL": (0, 4)}
    assert store.variant("TEE-XL").stock == 4  # type: ignore[union-attr]

    csv_path.write_text("sku,stock\nA1-GREY,1\nNOPE,3\nTEE-S,-2\nTEE-S,x\n", encoding="utf-8")
    with pytest.raises(CatalogFileError) as err:
        import_stock_csv(store, csv_path)
    assert [line for line, _ in err.value.errors] == [3, 4, 5]
    assert "unknown SKU 'NOPE'" in str(err.value) and f"{csv_path}:4:" in str(err.value)
    assert store.variant("A1-GREY").stock == 12  # type: ignore[union-attr]  # all or nothing
    store.close()


@pytest.mark.parametrize("serial", ["46357.59", "46357,59", "46357"])
def test_an_export_time_a_spreadsheet_turned_into_a_date_serial_is_refused(tmp_path: Path, serial: str) -> None:
    """Excel / WPS rewrite the export time as days since 1899-12-30 when the column is formatted as a number. It was
    read as Unix seconds (46357.59 → 1970-01-01 12:52), so every order before the export was taken off the file's
    value a second time; a date serial is rounded and has no time zone, so it is refused with the line and why."""
    store = CatalogStore(f"sqlite:///{tmp_path / 'csv.db'}")
    import_catalog(store, write(tmp_path, CATALOG))
    assert store.apply_order("o-before", "A1-PINK", 2).ok  # 5 -> 3, in the exported file
    csv_path = tmp_path / "stock.csv"
    export_products_csv(store, csv_path)
    assert store.apply_order("o-after", "A1-PINK", 1).ok  # 3 -> 2, while the file is open in the spreadsheet
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    for row in rows:
        row["exported_at"] = serial
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    csv_path.write_text(out.getvalue(), encoding="utf-8-sig")
    with pytest.raises(CatalogFileError) as err:
        import_stock_csv(store, csv_path)
    assert [line for line, _ in err.value.errors] == [2]  # said once, at the first row
    when = "2026-12-01 14:09" if serial != "46357" else "2026-12-01 00:00"
    assert (f"exported_at '{serial}' is a date a spreadsheet app turned into a number ({when}, rounded, time zone "
            "unknown)") in str(err.value)
    assert store.variant("A1-PINK").stock == 2  # type: ignore[union-attr]  # nothing written
    store.close()


def test_export_times_this_program_reads() -> None:
    assert parse_export_time("2026-12-01T14:09:36.000000Z") == 1796134176.0
    assert parse_export_time("1796134176") == 1796134176.0  # Unix seconds
    assert parse_export_time("46357.59") is None and parse_export_time("12.5") is None  # no export time of ours
    assert spreadsheet_date("46357.59") == datetime(2026, 12, 1, 14, 9, 36)
    assert spreadsheet_date("1796134176") is None and spreadsheet_date("2026/12/1 14:09") is None


# ------------------------------------------------------------------------------------------ demo catalog


def test_demo_catalog_imports_and_every_answer_renders(tmp_path: Path) -> None:
    if not DEMO_CATALOG.exists():
        pytest.skip(f"{DEMO_CATALOG} is not written yet (another engineer owns it)")
    data = load_catalog_file(DEMO_CATALOG)
    assert data.products and data.faqs
    store = CatalogStore(f"sqlite:///{tmp_path / 'demo.db'}")
    import_catalog(store, DEMO_CATALOG)
    snap = store.snapshot()
    assert len(snap.products) == len(data.products) and len(snap.faqs) == len(data.faqs)
    for faq in snap.faqs.values():
        products = [snap.products[faq.product_id]] if faq.product_id else list(snap.products.values())
        for product in products:
            for lang, template in faq.answers.items():
                try:
                    text = render(template, RenderContext(product, lang, {}))
                except RenderError:
                    assert faq.product_id is None, f"{faq.id} ({lang}) does not render for its own product"
                    continue
                except MissingText:  # a global FAQ in, say, Japanese about a product with no Japanese name yet
                    assert faq.product_id is None, f"{faq.id} ({lang}) lacks a {lang} text of its own product"
                    continue
                assert text.strip() and "{" not in text.replace("{{", ""), (faq.id, lang, text)
    store.close()


def test_global_faq_placeholder_no_product_can_fill_is_rejected_with_line(tmp_path: Path) -> None:
    source = DEMO_CATALOG.read_text(encoding="utf-8")
    bad = tmp_path / "bad_global.yaml"
    bad.write_text(
        source.replace("{product}直播间到手价{price}元。", "{product}直播间到手价{price}元{stock:XXXXL}。", 1), encoding="utf-8"
    )
    with pytest.raises(CatalogFileError) as err:
        load_catalog_file(bad)
    assert f"{bad}:{line_of(bad.read_text(encoding='utf-8'), '{stock:XXXXL}')}" in str(err.value)
    assert "no product in the catalog has the variant value 'XXXXL'" in str(err.value)


# --------------------------------------------------------------------------------------- fast paths


@pytest.fixture(params=["libyaml", "python"])
def yaml_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Catalog files are composed by libyaml when PyYAML has it, else by the pure-Python composer: both must read
    the same values and report the same problems at the same lines."""
    import yaml

    if request.param == "libyaml" and not yaml.__with_libyaml__:
        pytest.skip("PyYAML built without libyaml")
    if request.param == "python":
        monkeypatch.setattr(yaml, "__with_libyaml__", False)
    return str(request.param)


def test_both_yaml_composers_read_the_demo_catalog_alike(yaml_path: str) -> None:
    data = load_catalog_file(DEMO_CATALOG)
    assert len(data.products) >= 3 and len(data.faqs) >= 10
    import yaml

    with_c = yaml.__with_libyaml__
    try:
        yaml.__with_libyaml__ = not with_c  # the other composer
        other = load_catalog_file(DEMO_CATALOG)
    finally:
        yaml.__with_libyaml__ = with_c
    assert (data.products, data.faqs, data.examples, data.lines) == (other.products, other.faqs, other.examples,
                                                                     other.lines)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("version: 1\nproducts:\n  - &a {id: x}\n  - *a\n", 3, "aliases/anchors are not allowed"),
        ("version: 1\nproducts: " + "[" * 80 + "]" * 80 + "\n", 2, "nested too deeply"),
        ("version: 1\nproducts:\n  - id: x\n   bad: [\n", None, "invalid YAML"),
        ("version: 1\nproducts: []\n---\nversion: 1\n", None, "invalid YAML"),
        ("version: 1\nproducts:\n\t- id: x\n", 3, "(a tab at column 1)"),
        ("version: 1\nproducts:\n  - id: x\x07\n", 3, "character #x0007 is not allowed"),
    ],
    ids=["anchor", "deep", "syntax", "two documents", "tab", "control character"],
)
def test_refused_yaml_is_reported_alike_by_both_composers(
    yaml_path: str, tmp_path: Path, text: str, line: int | None, fragment: str
) -> None:
    with pytest.raises(CatalogFileError) as err:
        load_catalog_file(write(tmp_path, text))
    assert fragment in str(err.value)
    if line is not None:
        assert err.value.line == line


def test_whole_catalog_load_writes_what_item_by_item_upserts_write(tmp_path: Path) -> None:
    """load_catalog(replace=True) inserts all rows in bulk; merging the same file into an empty store goes item by
    item: the stores must hold the same catalog, examples and stock log."""
    data = load_catalog_file(DEMO_CATALOG)
    bulk = CatalogStore(f"sqlite:///{tmp_path / 'bulk.db'}")
    items = CatalogStore(f"sqlite:///{tmp_path / 'items.db'}")
    bulk.load_catalog(data.products, data.faqs, examples=data.examples, currency=data.currency, replace=True)
    items.load_catalog(data.products, data.faqs, examples=data.examples, currency=data.currency, replace=False)
    a, b = bulk.snapshot(), items.snapshot()
    assert list(a.products) == list(b.products) and list(a.faqs) == list(b.faqs)
    assert a.products == b.products and a.faqs == b.faqs
    assert bulk.faq_examples() == items.faq_examples()
    assert _stock_log(bulk) == _stock_log(items) and len(_stock_log(bulk)) == sum(len(p.variants) for p in data.products)
    bulk.close()
    items.close()


def test_whole_catalog_load_refuses_a_sku_of_two_products_and_writes_nothing(tmp_path: Path) -> None:
    data = load_catalog_file(DEMO_CATALOG)
    store = CatalogStore(f"sqlite:///{tmp_path / 'dup.db'}")
    store.load_catalog(data.products, data.faqs, examples=data.examples, replace=True)
    first, second = data.products[0], data.products[1]
    stolen = dataclasses.replace(first.variants[0], product_id=second.id)
    clash = dataclasses.replace(second, variants=(*second.variants, stolen))

    with pytest.raises(Conflict, match=f"SKU '{first.variants[0].sku}'"):
        store.load_catalog([first, clash, *data.products[2:]], data.faqs, examples=data.examples, replace=True)
    assert store.snapshot().products == {p.id: p for p in data.products}  # the failed load changed nothing
    store.close()


def _stock_log(store: CatalogStore) -> list[tuple[str, int, int, str]]:
    from sqlalchemy import select

    from catalog.schema import StockLog

    with store.engine.connect() as conn:
        rows = conn.execute(select(StockLog.sku, StockLog.delta, StockLog.stock_after, StockLog.reason)
                            .order_by(StockLog.id))
        return [tuple(r) for r in rows]
