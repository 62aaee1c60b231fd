"""Chromium (Playwright) against a real console (uvicorn thread, SQLite): a stock CSV exported from the console,
edited and saved again by a spreadsheet app the way a Chinese shop's Excel / WPS does it, uploaded through the
import form during a show.

- The app rewrote the export time (`2026/12/2 16:43`): the file is refused with the reason (taking its values as
  hand-written would undo every order since the export), nothing is written.
- The app turned it into a date serial (`46357.59`, days since 1899-12-30): it was read as Unix seconds (1970) and
  the orders before the export were taken off a second time; it is refused, saying what happened and what to do.
- The app saved it as GBK ("CSV (逗号分隔)" on a Chinese Windows): it is read, the preview shows the change.
- The app (or the staff member) wrote the header as `SKU,Stock`: it is read like `sku,stock`.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.browser_login import require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.console]

require_chromium()

from playwright.sync_api import Browser, Page  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.console.auth import add_staff  # noqa: E402
from bot.console.server import start_console_thread  # noqa: E402
from catalog.io import import_catalog  # noqa: E402
from catalog.store import CatalogStore  # noqa: E402
from tests.browser_login import browser_sign_in  # noqa: E402
from tests.live_bot import free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EDITOR = ("excel", "editor-pass-9")


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("stock-csv-excel")
    settings = Settings(db=f"sqlite:///{tmp / 'console.db'}", console_port=free_port())
    store = CatalogStore(settings.db)
    import_catalog(store, ROOT / "data" / "catalog.yaml")
    add_staff(store, *EDITOR, "editor")
    handle = start_console_thread(store, settings)
    yield store, handle, tmp
    handle.stop()
    store.close()


def export_rows(page: Page, base: str) -> list[dict[str, str]]:
    """The stock CSV as the "商品和库存（CSV）" link downloads it."""
    page.goto(base + "/io")
    with page.expect_download() as download:
        page.click("a[href='/io/export.csv']")
    text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def write_csv(path: Path, rows: list[dict[str, str]], *, encoding: str, header: list[str] | None = None) -> Path:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    fields = list(rows[0])
    writer.writerow(header or fields)
    writer.writerows([row[f] for f in fields] for row in rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def upload(page: Page, base: str, path: Path) -> None:
    page.goto(base + "/io")
    page.set_input_files("#import-form input[name=file]", str(path))
    page.click("#import-form button[type=submit]")
    page.wait_for_load_state()


def test_an_export_time_rewritten_by_a_spreadsheet_is_refused_not_taken_as_hand_written(console, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    store, handle, tmp = console
    page = browser_sign_in(browser, handle.url, *EDITOR, locale="zh-CN")
    rows = export_rows(page, handle.url)
    assert store.apply_order("o-after-export", "A1-PINK", 2).ok  # 5 -> 3 while the file is open in Excel
    for row in rows:
        row["exported_at"] = "2026/12/2 16:43"  # how the spreadsheet shows (and saves) the cell
        if row["sku"] == "A1-GREY":
            row["stock"] = str(int(row["stock"]) + 10)  # the staff member's edit
    upload(page, handle.url, write_csv(tmp / "stock-excel.csv", rows, encoding="utf-8-sig"))

    error = page.inner_text("#import-error")
    assert "stock-excel.csv" in error and "2026/12/2 16:43" in error and "重新导出" in error
    assert error.count("2026/12/2 16:43") == 1  # said once, not for each of the 60 rows
    assert page.query_selector("#confirm-form") is None  # no preview to confirm
    assert store.variant("A1-PINK").stock == 3  # type: ignore[union-attr]  # the order is not undone
    assert store.variant("A1-GREY").stock == 30  # type: ignore[union-attr]

    for row in rows:  # emptying the column: the values are set as they are, as the message says
        row["exported_at"] = ""
    upload(page, handle.url, write_csv(tmp / "stock-excel.csv", rows, encoding="utf-8-sig"))
    assert "文件没有导出时间" in page.inner_text("#stock-preview")


@pytest.mark.parametrize("serial", ["46357.59", "46357,59"])
def test_an_export_time_turned_into_a_date_serial_is_refused(console, browser: Browser, serial: str) -> None:  # type: ignore[no-untyped-def]
    store, handle, tmp = console
    page = browser_sign_in(browser, handle.url, *EDITOR, locale="zh-CN")
    rows = export_rows(page, handle.url)
    before = store.variant("A1-PINK").stock  # type: ignore[union-attr]
    assert store.apply_order(f"o-serial-{serial}", "A1-PINK", 1).ok  # while the file is open in the spreadsheet
    for row in rows:
        row["exported_at"] = serial  # the cell formatted as a number: Excel's days since 1899-12-30
    upload(page, handle.url, write_csv(tmp / "stock-serial.csv", rows, encoding="utf-8-sig"))

    assert page.query_selector("#confirm-form") is None, page.inner_text("main")  # no preview of 1970's orders
    error = page.inner_text("#import-error")
    assert "stock-serial.csv 第 2 行" in error and f"「{serial}」被表格软件改成了日期数字（2026-12-01 14:09" in error
    assert "保持 exported_at 列为文本格式" in error and error.count(serial) == 1
    assert store.variant("A1-PINK").stock == before - 1  # type: ignore[union-attr]


def test_a_gbk_csv_from_excel_on_a_chinese_windows_is_read(console, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    store, handle, tmp = console
    page = browser_sign_in(browser, handle.url, *EDITOR, locale="zh-CN")
    rows = export_rows(page, handle.url)
    before = store.variant("TEE-BLK-L").stock  # type: ignore[union-attr]
    for row in rows:
        if row["sku"] == "TEE-BLK-L":
            row["stock"] = str(before + 7)
    path = write_csv(tmp / "库存-gbk.csv", rows, encoding="gbk")
    assert "重磅纯棉宽松T恤".encode("gbk") in path.read_bytes()  # really GBK, not UTF-8
    upload(page, handle.url, path)

    assert page.query_selector("#import-error") is None, page.inner_text("#import-error")
    preview = page.inner_text("#stock-preview")
    # SKU, its product by name with the variant's values, file line, now, after import
    assert re.search(rf"TEE-BLK-L\s+重磅纯棉宽松T恤 L/黑色\s+\d+\s+{before}\s+{before + 7}", preview), preview
    page.click("#confirm-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/io\?ok="))
    assert store.variant("TEE-BLK-L").stock == before + 7  # type: ignore[union-attr]


def test_a_capitalised_header_is_read(console, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    _store, handle, tmp = console
    page = browser_sign_in(browser, handle.url, *EDITOR, locale="zh-CN")
    path = tmp / "stock-typed.csv"
    path.write_text("SKU,Stock\nSOCKS-W,99\n", encoding="utf-8")
    upload(page, handle.url, path)
    assert page.query_selector("#import-error") is None, page.inner_text("#import-error")
    assert re.search(r"SOCKS-W\s+精梳棉中筒袜5双装 \S+\s+\d+\s+\d+\s+99", page.inner_text("#stock-preview"))

    path.write_text("编号,数量\nSOCKS-W,99\n", encoding="utf-8")  # still refused, with the columns it found
    upload(page, handle.url, path)
    error = page.inner_text("#import-error")
    assert "sku" in error and "编号, 数量" in error and "[" not in error
