"""`livereply catalog import` during a show: re-importing the catalog file (say, after adding a FAQ) keeps the live
stock of the variants already in the database — what sold or staff set since the file was written — and says which
differed from the file; `--stock-from-file` takes the file's values and lists the changes; new variants take the
file's stock; `--merge` keeps the products and FAQs the file does not mention. On SQLite and PostgreSQL."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import STOCK_LINES_SHOWN, main, stock_report_lines
from catalog.io import CatalogImport
from catalog.store import CatalogStore
from catalog.store.records import StockDifference
from tests.test_catalog_io import CATALOG, write

NEW_FAQ = """\
  - id: tee-material
    product: tee
    intent: ask_material
    questions: [T恤什么料子, 是纯棉的吗, what fabric is it]
    answer: {zh: "{product}是纯棉的。", en: "The {product} is pure cotton."}
"""


@pytest.fixture(autouse=True)
def _no_livereply_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("LIVEREPLY_"):
            monkeypatch.delenv(name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shop.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(db_url: str) -> Iterator[CatalogStore]:
    s = CatalogStore(db_url)
    yield s
    s.close()


def cli(capsys: pytest.CaptureFixture[str], db_url: str, *argv: str) -> str:
    code = main(["catalog", *argv, "--db", db_url])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def stock(store: CatalogStore) -> dict[str, int]:
    return {v.sku: v.stock for p in store.snapshot().products.values() for v in p.variants}


def during_the_show(store: CatalogStore) -> None:
    """What happens after the first import: staff mark A1-GREY sold out, a viewer buys one TEE-S (3 -> 2)."""
    store.set_stock("A1-GREY", 0)
    assert store.apply_order("o1", "TEE-S", 1).ok


def test_a_reimport_keeps_the_live_stock_and_says_which(
    tmp_path: Path, db_url: str, store: CatalogStore, capsys: pytest.CaptureFixture[str]
) -> None:
    first = write(tmp_path, CATALOG)
    assert "kept" not in cli(capsys, db_url, "import", str(first))
    during_the_show(store)
    edited = write(tmp_path, CATALOG + NEW_FAQ, "edited.yaml")  # only a FAQ added; stock as in the morning's file
    out = cli(capsys, db_url, "import", str(edited))
    assert stock(store) == {"A1-GREY": 0, "A1-PINK": 5, "TEE-S": 2, "TEE-XL": 0, "TEE-38": 2}  # not 30 and 3 again
    assert "tee-material" in store.snapshot().faqs
    lines = out.splitlines()
    assert lines[0].startswith(f"imported {edited} into {db_url}: 2 products, 4 FAQs (catalog v")  # names the database
    assert lines[1] == "保留了 2 个规格的实时库存，没有用文件里的库存 (kept the live stock of 2 variants, not the file's):"
    assert lines[2:4] == ["  A1-GREY 0 (文件 file: 30)", "  TEE-S 2 (文件 file: 3)"]  # in file order
    assert "--stock-from-file" in lines[4]
    tee = next(s for s in store.sales_summary() if s.product_id == "tee")
    assert (tee.stock_start, tee.stock_now, tee.units_sold) == (5, 4, 1)  # the session's start stock is kept too


def test_stock_from_file_overwrites_and_lists_the_changes(
    tmp_path: Path, db_url: str, store: CatalogStore, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, db_url, "import", str(write(tmp_path, CATALOG)))
    during_the_show(store)
    out = cli(capsys, db_url, "import", str(write(tmp_path, CATALOG + NEW_FAQ, "edited.yaml")), "--stock-from-file")
    assert stock(store) == {"A1-GREY": 30, "A1-PINK": 5, "TEE-S": 3, "TEE-XL": 0, "TEE-38": 2}
    assert out.splitlines()[1:] == [
        "按文件改了 2 个规格的库存 (set the stock of 2 variants from the file):",
        "  A1-GREY 0 → 30",
        "  TEE-S 2 → 3",
    ]


def test_a_new_variant_takes_the_file_stock(
    tmp_path: Path, db_url: str, store: CatalogStore, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, db_url, "import", str(write(tmp_path, CATALOG)))
    during_the_show(store)
    grown = CATALOG.replace(
        "      - {sku: TEE-38, attrs: {size: 38}, stock: 2}\n",
        "      - {sku: TEE-38, attrs: {size: 38}, stock: 2}\n      - {sku: TEE-M, attrs: {size: M}, stock: 7}\n",
    )
    assert grown != CATALOG
    out = cli(capsys, db_url, "import", str(write(tmp_path, grown, "grown.yaml")))
    assert stock(store) == {"A1-GREY": 0, "A1-PINK": 5, "TEE-S": 2, "TEE-XL": 0, "TEE-38": 2, "TEE-M": 7}
    assert "TEE-M" not in out and "A1-GREY 0 (文件 file: 30)" in out
    tee = next(s for s in store.sales_summary() if s.product_id == "tee")
    assert tee.stock_start == 5 + 7


def test_an_import_that_matches_the_live_stock_says_nothing_more(
    tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, CATALOG)
    cli(capsys, db_url, "import", str(path))
    out = cli(capsys, db_url, "import", str(path))
    assert len(out.splitlines()) == 1 and out.startswith("imported ")


def test_merge_keeps_what_the_file_leaves_out_and_the_live_stock(
    tmp_path: Path, db_url: str, store: CatalogStore, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, db_url, "import", str(write(tmp_path, CATALOG)))
    during_the_show(store)
    tee_only = re.sub(r"  - id: stroller-a1\n.*?(?=  - id: tee\n)", "", CATALOG.split("faqs:")[0], flags=re.S)
    part = write(tmp_path, tee_only + "faqs:\n" + NEW_FAQ, "tee.yaml")
    out = cli(capsys, db_url, "import", str(part), "--merge")
    snap = store.snapshot()
    assert list(snap.products) == ["stroller-a1", "tee"]  # the stroller is not in the file, and stays
    assert set(snap.faqs) == {"stroller-max-load", "tee-sizes", "shipping", "tee-material"}
    assert stock(store)["TEE-S"] == 2 and stock(store)["A1-GREY"] == 0
    assert ", merged (catalog v" in out and "  TEE-S 2 (文件 file: 3)" in out and "A1-GREY" not in out
    out = cli(capsys, db_url, "import", str(part), "--merge", "--stock-from-file")
    assert stock(store)["TEE-S"] == 3 and stock(store)["A1-GREY"] == 0  # only the file's variants
    assert "  TEE-S 2 → 3" in out


def test_the_import_flags_go_with_import_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["catalog", "export", str(tmp_path / "out.yaml"), "--merge", "--db", f"sqlite:///{tmp_path}/x.db"])
    assert code == 2 and "only go with `catalog import`" in capsys.readouterr().err


def test_a_long_list_is_cut_and_counted() -> None:
    diffs = tuple(StockDifference(f"SKU-{i}", "p", i, 9) for i in range(STOCK_LINES_SHOWN + 3))
    kept = stock_report_lines(CatalogImport(version=2, keep_stock=True, stock_differences=diffs))
    assert len(kept) == 1 + STOCK_LINES_SHOWN + 2
    assert kept[-2] == "  … 还有 3 个 (and 3 more)"
    overwritten = stock_report_lines(CatalogImport(version=2, keep_stock=False, stock_differences=diffs[:1]))
    assert overwritten == ["按文件改了 1 个规格的库存 (set the stock of 1 variant from the file):", "  SKU-0 0 → 9"]
    assert stock_report_lines(CatalogImport(version=2, keep_stock=True)) == []
