"""Console hardening: client address behind proxies, Secure cookies, CSV formula injection, attribute-safe
escaping on the review page (TestClient and real Chromium), upload names and sizes, capped import errors."""

from __future__ import annotations

import asyncio
import csv
import html
import io
import json
import os
import re
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from bot.cli import build_parser
from bot.config import Settings
from bot.console.server import ConsoleHandle, create_app
from bot.console.web import SESSION_COOKIE
from catalog.accounts import Accounts
from catalog.snapshot import ProductInfo, VariantInfo
from catalog.staff_schema import AuditEntry, StaffSession
from catalog.store import CatalogStore
from tests import test_console
from tests.browser_login import close_pages
from tests.console_forms import page_form
from tests.live_bot import serve_console
from tests.test_console import ENGLISH, PASSWORDS, token_of

# The same staff accounts and per-test SQLite copy as the console tests.
template_db = test_console.template_db
store = test_console.store

TEMPLATES = Path(__file__).resolve().parents[1] / "catalog" / "console" / "templates"
CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "demo-admin-pw-1"
HOSTILE_IDS = ["q\"'<>&id", 'x" onmouseover="alert(1)']



def make_app(store: CatalogStore, **settings: Any):  # type: ignore[no-untyped-def]
    return create_app(store, Settings(db=str(store.engine.url), **settings))


def sign_in(app: Any, username: str, *, base_url: str = "http://127.0.0.1", client: tuple[str, int] | None = None,
            headers: dict[str, str] | None = None) -> TestClient:
    kwargs: dict[str, Any] = {"client": client} if client else {}
    http = TestClient(app, base_url=base_url, raise_server_exceptions=False, headers=ENGLISH, **kwargs)
    page = http.get("/login")
    r = http.post(
        "/login",
        data={"username": username, "password": PASSWORDS[username], "csrf_token": token_of(page.text)},
        headers=headers or {},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return http


def session_ips(store: CatalogStore) -> list[str | None]:
    with Session(store.engine) as orm:
        return list(orm.scalars(select(StaffSession.ip)))


def audit_ips(store: CatalogStore, action: str) -> list[str | None]:
    with Session(store.engine) as orm:
        return list(orm.scalars(select(AuditEntry.ip).where(AuditEntry.action == action)))


@pytest.fixture()
def live(store: CatalogStore, monkeypatch: pytest.MonkeyPatch) -> Iterator[ConsoleHandle]:
    """The console served by uvicorn on 127.0.0.1 (a real TCP peer address), as `livereply demo` starts it."""
    yield from serve_console(store, monkeypatch, DEMO_PASSWORD)


# ------------------------------------------------------------------------------------------ X-Forwarded-For


def test_forwarded_for_from_an_untrusted_peer_does_not_bypass_the_login_rate_limit(live: ConsoleHandle) -> None:
    with httpx.Client(base_url=live.url, follow_redirects=False, timeout=20) as http:
        token = token_of(http.get("/login").text)
        statuses = []
        for i in range(40):  # a new username and a new "client address" every time
            r = http.post(
                "/login",
                data={"username": f"guess{i}", "password": "bad", "csrf_token": token},
                headers={"X-Forwarded-For": f"203.0.113.{i + 1}"},
            )
            statuses.append(r.status_code)
    assert statuses[:20] == [401] * 20  # 4 x the per-account limit of 5 per address
    assert set(statuses[20:]) == {429}, statuses


def test_forwarded_for_from_an_untrusted_peer_is_not_stored(live: ConsoleHandle, store: CatalogStore) -> None:
    spoof = {"X-Forwarded-For": "198.51.100.77"}
    with httpx.Client(base_url=live.url, follow_redirects=False, timeout=20) as http:
        token = token_of(http.get("/login").text)
        r = http.post("/login", data={"username": "ed", "password": PASSWORDS["ed"], "csrf_token": token}, headers=spoof)
        assert r.status_code == 303
        token = token_of(http.get("/products/stroller-a1").text)
        r = http.post("/stock/A1-GREY", data={"csrf_token": token, "stock": "11", "back": "/products"}, headers=spoof)
        assert r.status_code == 303
    assert session_ips(store) == ["127.0.0.1"]
    assert audit_ips(store, "stock.set") == ["127.0.0.1"]


def test_forwarded_for_is_used_behind_a_trusted_proxy(store: CatalogStore) -> None:
    app = make_app(store, trusted_proxies="10.0.0.0/8, 192.0.2.1")
    # the client forged the leftmost entry; the proxies appended what they saw: the rightmost untrusted address counts
    sign_in(app, "ed", client=("10.1.2.3", 40000), headers={"X-Forwarded-For": "1.1.1.1, 198.51.100.9, 192.0.2.1"})
    # a peer that is not a trusted proxy: its header is ignored
    sign_in(app, "vi", client=("198.51.100.50", 40000), headers={"X-Forwarded-For": "1.1.1.1"})
    assert sorted(session_ips(store)) == ["198.51.100.50", "198.51.100.9"]


def test_trusted_proxy_rate_limit_counts_the_real_client() -> None:
    from bot.console.proxies import TrustedProxies

    proxies = TrustedProxies.parse("10.0.0.0/8,::1")
    assert proxies.client_address("10.0.0.1", ["203.0.113.5, 10.0.0.7"]) == "203.0.113.5"
    assert proxies.client_address("10.0.0.1", ["6.6.6.6", "203.0.113.5"]) == "203.0.113.5"  # repeated header
    assert proxies.client_address("10.0.0.1", ["10.0.0.9, 10.0.0.8"]) == "10.0.0.9"  # all proxies: the farthest
    assert proxies.client_address("10.0.0.1", ["not-an-address"]) == "10.0.0.1"
    assert proxies.client_address("::1", ["[2001:db8::1]:443"]) == "2001:db8::1"
    assert proxies.client_address("203.0.113.9", ["1.2.3.4"]) == "203.0.113.9"  # untrusted peer
    assert TrustedProxies.parse("").client_address("127.0.0.1", ["1.2.3.4"]) == "127.0.0.1"
    with pytest.raises(ValueError, match="trusted_proxies"):
        TrustedProxies.parse("10.0.0.0/8, nonsense")


# ------------------------------------------------------------------------------------------ Secure cookies


def _set_cookies(response: httpx.Response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h for h in response.headers.get_list("set-cookie")}


@pytest.mark.parametrize(
    ("host", "flag", "secure"),
    [("127.0.0.1", None, False), ("localhost", None, False), ("::1", None, False), ("0.0.0.0", None, True),
     ("192.0.2.10", None, True), ("0.0.0.0", False, False), ("127.0.0.1", True, True)],
)
def test_session_cookie_secure_flag(store: CatalogStore, host: str, flag: bool | None, secure: bool) -> None:
    app = make_app(store, console_host=host, secure_cookies=flag)
    http = TestClient(app, base_url="https://testserver", headers=ENGLISH)  # Secure cookies are only sent back over https
    page = http.get("/login")
    assert ("secure" in _set_cookies(page)["lr_csrf"].lower()) is secure
    r = http.post("/login", data={"username": "ed", "password": PASSWORDS["ed"], "csrf_token": token_of(page.text)},
                  follow_redirects=False)
    assert r.status_code == 303
    cookie = _set_cookies(r)[SESSION_COOKIE]
    assert ("; secure" in cookie.lower()) is secure, cookie
    assert "httponly" in cookie.lower()


def test_security_settings_from_env_and_flags() -> None:
    s = Settings.load(env={"LIVEREPLY_SECURE_COOKIES": "yes", "LIVEREPLY_TRUSTED_PROXIES": "10.0.0.1",
                           "LIVEREPLY_MAX_UPLOAD_BYTES": "1234"})
    assert (s.secure_cookies, s.trusted_proxies, s.max_upload_bytes) == (True, "10.0.0.1", 1234)
    assert Settings.load(env={"LIVEREPLY_SECURE_COOKIES": "auto"}).secure_cookies is None
    assert Settings.load(env={"LIVEREPLY_SECURE_COOKIES": "0"}).secure_cookies is False
    assert Settings().max_upload_bytes == 5 * 1024 * 1024 and Settings().trusted_proxies == ""
    parser = build_parser()
    assert parser.parse_args(["console", "--secure-cookies"]).secure_cookies is True
    assert parser.parse_args(["console", "--no-secure-cookies"]).secure_cookies is False
    assert parser.parse_args(["console"]).secure_cookies is None
    args = parser.parse_args(["demo", "--trusted-proxies", "10.0.0.0/8", "--max-upload-bytes", "99"])
    assert (args.trusted_proxies, args.max_upload_bytes) == ("10.0.0.0/8", 99)


# ------------------------------------------------------------------------------------------ CSV export


FORMULA = '=HYPERLINK("http://x","y")'


def test_csv_export_neutralises_formulas_and_imports_back(store: CatalogStore) -> None:
    variants = (
        VariantInfo(sku="@EVIL-1", product_id="evil", attrs={"size": "-1+2"}, stock=3),
        VariantInfo(sku="'QUOTED", product_id="evil", attrs={"size": "\tM"}, stock=4),
    )
    store.upsert_product(ProductInfo(
        id="evil", name={"zh": FORMULA, "en": "+SUM(1,2)"}, aliases=(), category="x", description={},
        price=Decimal("9.9"), tags=(), attributes={}, variants=variants,
    ))
    http = sign_in(make_app(store), "ed")
    r = http.get("/io/export.csv")
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    for row in rows:
        for value in row.values():
            assert not value or value[0] not in "=+-@\t\r", (row, value)
    evil = {row["sku"]: row for row in rows if row["product_id"] == "evil"}
    assert set(evil) == {"'@EVIL-1", "''QUOTED"}
    assert evil["'@EVIL-1"]["name_zh"] == "'" + FORMULA and evil["'@EVIL-1"]["name_en"] == "'+SUM(1,2)"

    # the exported file, stock edited, imports back: the quotes we added are removed again
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "stock": "17" if row["product_id"] == "evil" else row["stock"]})
    token = token_of(http.get("/io").text)
    r = http.post("/io/import", data={"csrf_token": token}, files={"file": ("stock.csv", out.getvalue().encode(), "text/csv")},
                  follow_redirects=False)
    assert r.status_code == 200, r.text  # the preview; confirmed with its own form
    action, fields = page_form(r.text, "confirm-form")
    r = http.post(action, data=fields, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert store.variant("@EVIL-1").stock == 17 and store.variant("'QUOTED").stock == 17


def test_csv_cell_escaping_round_trips() -> None:
    from bot.console.csvsafe import neutralise_cell, restore_cell

    for value in ["", "plain", "=1+1", "+1", "-1", "@x", "\tx", "\rx", "'", "'=x", "''", "'abc", "a=b", "中文"]:
        escaped = neutralise_cell(value)
        assert not escaped or escaped[0] not in "=+-@\t\r"
        assert restore_cell(escaped) == value, value
    assert restore_cell("'abc") == "'abc"  # a hand-written leading quote we did not add is kept


# ------------------------------------------------------------------------------------------ review page escaping


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _log_comments(store: CatalogStore, items: list[tuple[str, str, str]]) -> None:
    test_console._log(store, items)


def test_review_page_escapes_comment_ids_in_attributes(store: CatalogStore) -> None:
    _log_comments(store, [(cid, text, "staff") for cid, text in zip(HOSTILE_IDS, ["能开发票吗", "主播身高多少"], strict=True)])
    http = sign_in(make_app(store), "ed")
    page = http.get("/review")
    assert page.status_code == 200
    assert "q&#34;&#39;&lt;&gt;&amp;id" in page.text
    assert HOSTILE_IDS[0] not in page.text and HOSTILE_IDS[1] not in page.text
    parser = _Inputs()
    parser.feed(page.text)
    assert not any(k.startswith("on") for _, attrs in parser.tags for k in attrs), "an injected event handler attribute"
    values = [attrs.get("value") for tag, attrs in parser.tags if tag == "input" and attrs.get("name") == "comments"]
    assert values and all(v is not None for v in values)
    got = {tuple(pair) for v in values for pair in json.loads(v or "")}
    assert got == {("local", cid) for cid in HOSTILE_IDS}


def test_no_template_puts_tojson_output_into_markup() -> None:
    """`tojson` output is not escaped for attributes (its double quotes end a value="…" early)."""
    offenders = [p.name for p in TEMPLATES.glob("*.html") if "tojson" in p.read_text(encoding="utf-8")]
    assert offenders == []


@pytest.mark.browser
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium at /usr/bin/chromium")
def test_review_buttons_work_in_a_real_browser(live: ConsoleHandle, store: CatalogStore, browser) -> None:  # type: ignore[no-untyped-def]

    _log_comments(store, [
        (HOSTILE_IDS[1], "今天有抽奖活动吗", "silent"),
        ("p1", "主播身高多少", "silent"),
        ("p2", "主播身高多少呀", "staff"),
    ])
    try:
        page = browser.new_page(locale="en-US")
        page.goto(live.url + "/login")
        page.fill("input[name=username]", "staff")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/dashboard$"))
        page.goto(live.url + "/review")
        assert page.locator("[onmouseover]").count() == 0

        raffle = page.locator("section.group", has_text="今天有抽奖活动吗")
        raffle.locator("form[action='/review/answer'] [name=text]").fill("今晚9点抽奖!")
        raffle.get_by_role("button", name="Answer now").click()
        page.wait_for_selector(".flash.ok", timeout=5000)
        assert page.locator("section.group", has_text="今天有抽奖活动吗").count() == 0

        height = page.locator("section.group", has_text="主播身高多少")
        height.get_by_role("button", name="Dismiss").click()
        page.wait_for_selector(".flash.ok", timeout=5000)
        assert "Dismissed 2 comments." in page.inner_text(".flash.ok")
        assert page.locator("section.group").count() == 0
    finally:
        close_pages(browser)
    records = {r.comment_id: r for r in Accounts(store).review_records()}
    assert records[HOSTILE_IDS[1]].action == "answer" and records[HOSTILE_IDS[1]].text == "今晚9点抽奖!"
    assert records["p1"].action == records["p2"].action == "dismiss"


# ------------------------------------------------------------------------------------------ uploads


BAD_NAMES = ["..", ".", "a" * 300 + ".csv", "../stock.csv", "dir/stock.csv", "dir\\stock.yaml", "/", "..."]


@pytest.mark.parametrize("name", BAD_NAMES)
@pytest.mark.parametrize("fmt", ["csv", "yaml"])
def test_bad_upload_names_get_a_clean_4xx(store: CatalogStore, name: str, fmt: str) -> None:
    http = sign_in(make_app(store), "ed")
    token = token_of(http.get("/io").text)
    body = b"sku,stock\nA1-GREY,5\n" if fmt == "csv" else b"version: 1\n"
    r = http.post("/io/import", data={"csrf_token": token, "format": fmt}, files={"file": (name, body, "text/plain")})
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:500])
    assert "file name" in r.text
    assert tempfile.gettempdir() not in r.text and "livereply-import" not in r.text
    assert store.variant("A1-GREY").stock == 30


def test_upload_name_rules() -> None:
    from bot.console.uploads import UploadRejected, check_upload_name

    for good in ["catalog.yaml", "库存 2024.csv", ".hidden.csv", "a" * 190 + ".csv"]:
        assert check_upload_name(good) == good
    for bad in ["", " ", "..", "a/b", "a\\b", "st\x00ock.csv", "st\x01ock.csv", "库" * 70]:
        with pytest.raises(UploadRejected) as caught:
            check_upload_name(bad)
        assert caught.value.status == 400 and len(caught.value.message) < 200


def test_bad_upload_name_is_refused_on_every_form_endpoint(store: CatalogStore) -> None:
    http = sign_in(make_app(store), "ed")
    token = token_of(http.get("/faqs").text)
    r = http.post("/faqs/new", data={"csrf_token": token, "id": "x"}, files={"file": ("..", b"x", "text/plain")})
    assert r.status_code == 400 and "file name" in r.text


def test_import_errors_do_not_show_server_paths(store: CatalogStore) -> None:
    http = sign_in(make_app(store), "ed")
    token = token_of(http.get("/io").text)
    r = http.post("/io/import", data={"csrf_token": token}, files={"file": ("stock.csv", b"sku,stock\nNOPE,1\n", "text/csv")})
    assert r.status_code == 400 and "stock.csv:2" in r.text
    assert tempfile.gettempdir() not in r.text and "livereply-import" not in r.text


def test_upload_over_the_size_limit_is_413(store: CatalogStore) -> None:
    http = sign_in(make_app(store, max_upload_bytes=2000), "ed")
    token = token_of(http.get("/io").text)
    body = b"sku,stock\n" + b"A1-GREY,5\n" * 300
    r = http.post("/io/import", data={"csrf_token": token}, files={"file": ("stock.csv", body, "text/csv")})
    assert r.status_code == 413 and "2000 bytes" in r.text
    assert store.variant("A1-GREY").stock == 30
    small = b"sku,stock\nA1-GREY,6\n"
    r = http.post(
        "/io/import", data={"csrf_token": token}, files={"file": ("stock.csv", small, "text/csv")}, follow_redirects=False
    )
    assert r.status_code == 200 and store.variant("A1-GREY").stock == 30  # previewed, not written
    action, fields = page_form(r.text, "confirm-form")
    r = http.post(action, data=fields, follow_redirects=False)
    assert r.status_code == 303 and store.variant("A1-GREY").stock == 6


def test_body_limit_refuses_a_large_content_length_without_reading_the_body() -> None:
    from bot.console.uploads import BodyLimit

    called: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        called.append("app")

    async def receive() -> dict[str, Any]:
        called.append("receive")
        return {"type": "http.request", "body": b"", "more_body": False}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/io/import", "headers": [(b"content-length", b"999999999")]}
    asyncio.run(BodyLimit(app, max_body_bytes=1000)(scope, receive, send))
    assert called == []
    assert sent[0]["status"] == 413 and b"upload too large" in sent[1]["body"].lower()


def test_body_limit_stops_reading_a_chunked_body_at_the_limit(store: CatalogStore) -> None:
    app = make_app(store, max_upload_bytes=1000)
    http = sign_in(app, "ed")
    token = token_of(http.get("/io").text)

    def chunks() -> Iterator[bytes]:  # no Content-Length: Transfer-Encoding chunked
        yield f"csrf_token={token}&x=".encode()
        for _ in range(200):
            yield b"a" * 1000

    r = http.post("/faqs/new", content=chunks(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413
    assert "1000 bytes" in r.text and "66536" not in r.text  # the configured limit, not limit + the form allowance


# ------------------------------------------------------------------------------------------ import errors


def test_yaml_import_error_message_is_capped(store: CatalogStore) -> None:
    http = sign_in(make_app(store), "ed")
    token = token_of(http.get("/io").text)
    entries = "".join(f"  - id: 'Bad Id {i}'\n    name: x\n    price: 1\n    variants: []\n" for i in range(300))
    doc = f"version: 1\nproducts:\n{entries}"
    r = http.post(
        "/io/import", data={"csrf_token": token, "format": "yaml"}, files={"file": ("big.yaml", doc.encode(), "text/yaml")}
    )
    assert r.status_code == 400
    error = re.search(r'<pre class="flash error" role="alert" id="import-error">(.*?)</pre>', r.text, re.S)
    assert error, r.text[:1000]
    text = html.unescape(error.group(1))
    assert text.startswith("big.yaml:3: ")
    assert len(text) <= 600, len(text)
    assert "characters not shown" in text
