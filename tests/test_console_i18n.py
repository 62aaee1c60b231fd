"""The console's languages: zh_CN by default, en on request (Accept-Language or the header's switcher),
translated messages, the catalogs themselves, and staff accounts with Chinese names.

The catalog and name checks are plain functions (fast tier); the HTTP ones drive the app with TestClient.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from starlette.testclient import TestClient

from bot.console import i18n
from bot.console.auth import AccountError, normalize_username, validate_new_account
from catalog.accounts import Accounts
from catalog.store import CatalogStore
from tests import test_console
from tests.test_console import login, token_of

LOCALE = Path(i18n.__file__).resolve().parent / "locale"
HTML_LANG_RE = re.compile(r'<html lang="([^"]+)">')

app = test_console.app
store = test_console.store
template_db = test_console.template_db


# ------------------------------------------------------------------------------------------ catalogs (fast)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_catalog_is_complete_consistent_and_compiled(lang: str) -> None:
    po_path = LOCALE / lang / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as f:
        catalog = read_po(f)
    messages = [m for m in catalog if m.id]
    assert len(messages) > 200
    untranslated = [m.id for m in messages if m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string])]
    assert not untranslated, f"{lang}: untranslated or fuzzy: {untranslated[:5]}"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not problems, f"{lang}: placeholders differ from the source: {problems[:5]}"  # %(name)s kept in translations
    with (po_path.parent / "messages.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = []
    for m in messages:
        if isinstance(m.id, tuple):
            got = compiled.ngettext(m.id[0], m.id[1], 1)
            want = m.string[0]
        else:
            got, want = compiled.gettext(m.id), m.string
        if got != want:
            stale.append(m.id)
    assert not stale, f"{lang}: messages.mo is older than messages.po (run make i18n-compile): {stale[:5]}"


@pytest.mark.console  # not in the fast tier: a string added in progress should not block unrelated work there
def test_every_string_in_the_code_is_translated() -> None:
    """What `make i18n-extract` would find (babel.cfg: templates and Python of the console) is in both catalogs."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = LOCALE.parents[2]
    with (root / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found = {msg for _file, _line, msg, _comments, _context in extract_from_dir(str(root), method_map, options_map, keywords)}
    assert len(found) > 200
    for lang in ("zh_CN", "en"):
        with (LOCALE / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
            catalog = read_po(f)
        missing = sorted(str(m) for m in found if catalog.get(m) is None or not catalog.get(m).string)
        assert not missing, f"{lang}: not in the catalog (make i18n-extract, translate, make i18n-compile): {missing[:8]}"


def test_chinese_is_the_default_and_english_is_the_source() -> None:
    i18n.use("zh_CN")
    try:
        assert i18n.gettext("Dashboard") == "数据看板"
        assert i18n.ngettext("Dismissed %(num)d comment.", "Dismissed %(num)d comments.", 3) % {"num": 3} == "已忽略 3 条评论。"
        assert i18n.html_lang() == "zh-CN"
    finally:
        i18n.use(None)
    assert i18n.gettext("Dashboard") == "Dashboard"  # outside a request (the command line): English


@pytest.mark.parametrize(
    ("cookie", "header", "expected"),
    [
        (None, None, "zh_CN"),
        (None, "", "zh_CN"),
        (None, "en-US,en;q=0.9", "en"),
        (None, "zh-CN,zh;q=0.9,en;q=0.8", "zh_CN"),
        (None, "zh-TW", "zh_CN"),
        (None, "fr-FR, en;q=0.5, zh;q=0.4", "en"),
        (None, "en;q=0.2, zh-Hans;q=0.8", "zh_CN"),
        (None, "de, fr", "zh_CN"),
        (None, "en;q=0", "zh_CN"),
        ("en", "zh-CN", "en"),
        ("zh_CN", "en", "zh_CN"),
        ("klingon", "en", "en"),
    ],
)
def test_language_choice(cookie: str | None, header: str | None, expected: str) -> None:
    assert i18n.choose(cookie, header) == expected


# ------------------------------------------------------------------------------------------ staff names (fast)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("小王", "小王"), (" 小王\u3000", "小王"), ("ａｎａ", "ana"), ("李.主播", "李.主播"), ("김민수", "김민수"),
        ("ana@shop", "ana@shop"),
    ],
)
def test_unicode_names_are_normalised_and_accepted(raw: str, stored: str) -> None:
    name = normalize_username(raw)
    assert name == stored
    validate_new_account(name, "long-enough-pw", "editor")


@pytest.mark.parametrize(
    "raw",
    ["", "小 王", "小\u200b王", "bad\x07bell", "new\nline", "_leading", "-x", "名" * 65, "<script>", "a/b", "\u202eevil"],
)
def test_unsafe_names_are_refused(raw: str) -> None:
    with pytest.raises(AccountError, match="bad username"):
        validate_new_account(normalize_username(raw), "long-enough-pw", "editor")


def test_longest_name_fits_the_column() -> None:
    validate_new_account("名" * 64, "long-enough-pw", "viewer")


# ------------------------------------------------------------------------------------------ over HTTP


def client(app, headers: dict[str, str] | None = None) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(app, base_url="http://127.0.0.1", headers=headers or {})


def signed_in(app, username: str, headers: dict[str, str] | None = None) -> TestClient:  # type: ignore[no-untyped-def]
    http = client(app, headers)
    page = http.get("/login")
    r = http.post(
        "/login",
        data={"username": username, "password": test_console.PASSWORDS[username], "csrf_token": token_of(page.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return http


@pytest.mark.console
def test_dashboard_is_chinese_by_default(app) -> None:  # type: ignore[no-untyped-def]
    http = signed_in(app, "vi")
    page = http.get("/dashboard")
    assert page.status_code == 200
    assert HTML_LANG_RE.search(page.text).group(1) == "zh-CN"  # type: ignore[union-attr]
    for text in ("实时数据看板", "数据看板", "商品", "问答库", "待处理评论", "退出登录", "转人工"):
        assert text in page.text, text
    assert "Live dashboard" not in page.text and "Sign out" not in page.text
    stats = http.get("/api/stats").json()
    assert "已回答" in stats["charts"]["outcomes"]  # chart labels too


@pytest.mark.console
def test_english_with_accept_language(app) -> None:  # type: ignore[no-untyped-def]
    http = signed_in(app, "vi", {"Accept-Language": "en-GB,en;q=0.9"})
    page = http.get("/dashboard")
    assert HTML_LANG_RE.search(page.text).group(1) == "en"  # type: ignore[union-attr]
    assert "Live dashboard" in page.text and "Sign out" in page.text
    assert "实时数据看板" not in page.text
    assert "answered" in http.get("/api/stats").json()["charts"]["outcomes"]


@pytest.mark.console
def test_switcher_stores_the_choice_over_the_browser_language(app) -> None:  # type: ignore[no-untyped-def]
    http = signed_in(app, "vi", {"Accept-Language": "zh-CN"})
    page = http.get("/products")
    assert 'href="/lang/en?next=/products"' in page.text  # the switcher offers the other language
    r = http.get("/lang/en?next=/products", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/products"
    assert "lr_lang=en" in r.headers["set-cookie"] and "httponly" in r.headers["set-cookie"].lower()
    page = http.get("/products")
    assert HTML_LANG_RE.search(page.text).group(1) == "en" and "New product" not in page.text  # type: ignore[union-attr]
    assert "<h1>Products" in page.text
    http.get("/lang/zh_CN?next=/products")
    assert "<h1>商品" in http.get("/products").text
    # the switcher works before sign-in too, and never sends anyone to another site
    anon = client(app)
    r = anon.get("/lang/en?next=//evil.example/x", follow_redirects=False)
    assert r.headers["location"] == "/dashboard"
    assert "Staff sign-in" in anon.get("/login").text


@pytest.mark.console
def test_validation_errors_are_translated(app, store: CatalogStore) -> None:  # type: ignore[no-untyped-def]
    http = signed_in(app, "ed")
    page = http.get("/products/new")
    form = {"csrf_token": token_of(page.text), "id": "tee-2", "name_zh": "T恤", "price": "-5",
            "vkey-0": "size", "variant-0-sku": "T2-S", "variant-0-v0": "S"}
    r = http.post("/products/new", data=form)
    assert r.status_code == 400
    assert "价格：不能小于 0，填的是 -5" in r.text.replace(": ", "：")
    form["price"] = "59"
    form["vkey-0"] = ""  # a value in a column without an attribute name: the error sits next to row 1
    r = http.post("/products/new", data=form)
    assert r.status_code == 400 and "第 1 行：「S」所在的列没有属性名" in r.text.split('class="row-error"')[1]
    r = http.post("/faqs/new", data={"csrf_token": form["csrf_token"], "id": "f-new", "intent": "ask_price",
                                     "question-0": "多少钱", "answer-0-lang": "zh", "answer-0-text": "{price}元"})
    assert r.status_code == 400 and "问答只有 1 条例句，至少需要 3 条" in r.text
    r = http.post("/faqs/new", data={"csrf_token": form["csrf_token"], "id": "f-new", "intent": "ask_price",
                                     "questions": "多少钱\n几块钱\n价格", "answer_zh": "{prise}元"})
    # the store's own (English) message, translated piece by piece (bot/console/catalog_text.py)
    assert r.status_code == 400 and "不认识的占位符 {prise}；是不是想写 {price}？（第 1 个字符处）" in r.text
    bad_login = client(app)
    page = bad_login.get("/login")
    r = bad_login.post("/login", data={"username": "vi", "password": "nope", "csrf_token": token_of(page.text)})
    assert r.status_code == 401 and "用户名或密码错误。" in r.text
    assert store.product("tee-2") is None


@pytest.mark.console
def test_chinese_staff_name_round_trip(app, store: CatalogStore) -> None:  # type: ignore[no-untyped-def]
    admin = signed_in(app, "admin1")
    page = admin.get("/staff")
    r = admin.post("/staff", data={"csrf_token": token_of(page.text), "username": "\u3000小王 ", "role": "editor",
                                   "password": "xiaowang-pw-1"}, follow_redirects=False)
    assert r.status_code == 303
    listing = admin.get(r.headers["location"]).text
    assert "已保存 小王（编辑）。" in listing and "<td>小王</td>" in listing
    user = Accounts(store).get_user("小王")
    assert user is not None and user.role == "editor"
    r = admin.post("/staff", data={"csrf_token": token_of(page.text), "username": "小\u200b王", "role": "editor",
                                   "password": "xiaowang-pw-1"})
    assert r.status_code == 400 and "用户名" in r.text and "不可用" in r.text
    # the new account signs in with its Chinese name (full-width spaces around it are ignored) and sees it in the header
    wang = login(app, "\u3000小王", "xiaowang-pw-1")
    assert '<span class="user">小王 ' in wang.get("/dashboard").text


@pytest.mark.console
def test_cli_adds_a_chinese_name(store: CatalogStore, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    url = str(store.engine.url)
    assert main(["staff", "add", "小李", "--role", "viewer", "--password", "xiaoli-pw-1", "--db", url]) == 0
    assert "小李" in capsys.readouterr().out
    assert Accounts(store).get_user("小李") is not None
    assert main(["staff", "add", "小\x07李", "--role", "viewer", "--password", "xiaoli-pw-1", "--db", url]) != 0


@pytest.mark.console
def test_error_pages_are_translated(app) -> None:  # type: ignore[no-untyped-def]
    http = signed_in(app, "vi")
    r = http.get("/no-such-page")
    assert r.status_code == 404 and "没有这个页面。" in r.text and HTML_LANG_RE.search(r.text).group(1) == "zh-CN"  # type: ignore[union-attr]
    assert http.get("/no-such-page", headers={"Accept-Language": "en"}).text.count("There is no such page.") == 1
    r = http.get("/api/no-such-thing")
    assert r.status_code == 404 and r.json() == {"error": "没有这个页面。"}
    r = http.put("/dashboard")
    assert r.status_code == 405 and "不允许的操作" in r.text and "GET" in r.headers["allow"]
    r = http.get("/products/no-such-product")
    assert r.status_code == 404 and "找不到这个商品。" in r.text


@pytest.mark.console
def test_a_bug_gets_a_translated_500_page(app, store: CatalogStore, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    http = signed_in(app, "ed")
    token = token_of(http.get("/products").text)

    def boom(*args: object, **kwargs: object) -> None:
        raise KeyError("previous")

    monkeypatch.setattr(store, "set_stock", boom)
    quiet = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False, cookies=dict(http.cookies))
    r = quiet.post("/stock/A1-GREY", data={"stock": "3", "csrf_token": token})
    assert r.status_code == 500 and "出错了" in r.text and "KeyError" not in r.text


def test_console_times_carry_their_zone() -> None:
    """Review, audit and live pages show server-side times: with the zone ("… CST" on a Shanghai server, "… UTC" on
    a cloud box), not a bare clock time that staff read as their own."""
    import os
    import time as time_module

    from bot.console.web import format_ts

    saved = os.environ.get("TZ")
    try:
        os.environ["TZ"] = "Asia/Shanghai"
        time_module.tzset()
        assert format_ts(1764695000) == "2025-12-03 01:03:20 CST"
        os.environ["TZ"] = "UTC"
        time_module.tzset()
        assert format_ts(1764695000) == "2025-12-02 17:03:20 UTC"
        assert format_ts(None) == ""
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time_module.tzset()
