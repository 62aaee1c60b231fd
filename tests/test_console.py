"""Staff console over HTTP (Starlette TestClient) on a real SQLite store: auth, roles, CSRF, audit, edits,
import/export, review queue and dashboard figures."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.routing import Route
from starlette.testclient import TestClient

from bot.config import Settings
from bot.console import csrf
from bot.console.auth import add_staff
from bot.console.editing import CatalogEditor
from bot.console.review import group_comments, queued_comments
from bot.console.server import create_app
from bot.console.web import SESSION_COOKIE
from bot.messages import Comment, Reply
from catalog.accounts import Accounts
from catalog.db import schema_diff
from catalog.io import import_catalog
from catalog.staff_schema import AuditEntry, StaffUser
from catalog.store import CatalogStore
from tests.console_forms import page_form, signed_in_client

CATALOG = Path(__file__).resolve().parents[1] / "data" / "catalog.yaml"
PASSWORDS = {"admin1": "admin-pw-1", "ed": "editor-pw-1", "vi": "viewer-pw-1"}
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
ENGLISH = {"Accept-Language": "en"}  # these tests read the English UI (tests/test_console_i18n.py covers zh_CN, the default)


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with the demo catalog and three accounts, built once (argon2 hashing is slow on purpose)."""
    path = tmp_path_factory.mktemp("console") / "template.db"
    s = CatalogStore(f"sqlite:///{path}")
    import_catalog(s, CATALOG)
    add_staff(s, "admin1", PASSWORDS["admin1"], "admin")
    add_staff(s, "ed", PASSWORDS["ed"], "editor")
    add_staff(s, "vi", PASSWORDS["vi"], "viewer")
    s.close()  # last connection closed: the WAL is checkpointed into the file
    return path


@pytest.fixture()
def store(template_db: Path, tmp_path: Path) -> CatalogStore:
    path = tmp_path / "console.db"
    shutil.copyfile(template_db, path)
    s = CatalogStore(f"sqlite:///{path}")
    yield s
    s.close()


@pytest.fixture()
def app(store: CatalogStore):
    return create_app(store, Settings(db=str(store.engine.url)), login_max_failures=3, login_window_s=60)


def token_of(html: str) -> str:
    match = TOKEN_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def login(app, username: str, password: str | None = None) -> TestClient:
    return signed_in_client(app, username, password or PASSWORDS[username])


def page_token(client: TestClient, path: str = "/dashboard") -> str:
    r = client.get(path)
    assert r.status_code == 200
    return token_of(r.text)


def faq_form(store: CatalogStore, faq_id: str, **changes: str) -> dict[str, str]:
    faq = store.snapshot().faqs[faq_id]
    form = {
        "product_id": faq.product_id or "",
        "intent": faq.intent,
        "questions": "\n".join(faq.questions),
        "answer_zh": faq.answers.get("zh", ""),
        "answer_en": faq.answers.get("en", ""),
    }
    form.update(changes)
    return form


# ------------------------------------------------------------------------------------------------ auth


def test_migration_matches_console_models(store: CatalogStore) -> None:
    diff = [d for d in schema_diff(store.engine) if any(t in str(d) for t in ("staff_", "audit_log", "review_actions"))]
    assert diff == []


def test_login_ok_sets_strict_httponly_session_cookie(app) -> None:
    client = TestClient(app, base_url="http://127.0.0.1", headers=ENGLISH)
    assert client.get("/dashboard", follow_redirects=False).headers["location"].startswith("/login")
    page = client.get("/login")
    r = client.post(
        "/login",
        data={"username": "ed", "password": PASSWORDS["ed"], "csrf_token": token_of(page.text), "next": "/faqs"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/faqs"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE + "="))
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    dash = client.get("/dashboard")
    assert dash.status_code == 200 and "ed" in dash.text and 'data-poll="/api/stats"' in dash.text


def test_login_fail_and_open_redirect_refused(app) -> None:
    client = TestClient(app, base_url="http://127.0.0.1", headers=ENGLISH)
    page = client.get("/login")
    r = client.post("/login", data={"username": "ed", "password": "nope", "csrf_token": token_of(page.text)})
    assert r.status_code == 401 and "Wrong username or password" in r.text
    r = client.post("/login", data={"username": "ghost", "password": "x", "csrf_token": token_of(page.text)})
    assert r.status_code == 401 and "Wrong username or password" in r.text  # no hint which part was wrong
    r = client.post(
        "/login",
        data={"username": "ed", "password": PASSWORDS["ed"], "csrf_token": token_of(page.text), "next": "//evil.example/x"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/dashboard"


def test_login_rate_limited_after_failures(app) -> None:
    client = TestClient(app, base_url="http://127.0.0.1", headers=ENGLISH)
    token = token_of(client.get("/login").text)
    for _ in range(3):
        assert client.post("/login", data={"username": "ed", "password": "bad", "csrf_token": token}).status_code == 401
    r = client.post("/login", data={"username": "ed", "password": PASSWORDS["ed"], "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 429 and "Too many failed logins" in r.text
    assert int(r.headers["retry-after"]) > 0
    # the limit is per account: a colleague at the same address can still sign in ...
    colleague = TestClient(app, base_url="http://127.0.0.1", headers=ENGLISH)
    r = colleague.post(
        "/login",
        data={"username": "vi", "password": PASSWORDS["vi"], "csrf_token": token_of(colleague.get("/login").text)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    # ... until the address itself has too many failures (4x the per-account limit), whatever the username
    for i in range(12 - 3):
        client.post("/login", data={"username": f"guess{i}", "password": "bad", "csrf_token": token})
    r = client.post(
        "/login", data={"username": "admin1", "password": PASSWORDS["admin1"], "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 429


def test_login_without_csrf_cookie_or_token_refused(app) -> None:
    client = TestClient(app, base_url="http://127.0.0.1", headers=ENGLISH)
    r = client.post("/login", data={"username": "ed", "password": PASSWORDS["ed"]}, follow_redirects=False)
    assert r.status_code == 403
    client.get("/login")
    r = client.post(
        "/login", data={"username": "ed", "password": PASSWORDS["ed"], "csrf_token": "forged"}, follow_redirects=False
    )
    assert r.status_code == 403
    assert SESSION_COOKIE not in client.cookies


def test_passwords_hashed_with_argon2_and_add_staff_validates(store: CatalogStore) -> None:
    with Session(store.engine) as orm:
        hashes = dict(orm.execute(select(StaffUser.username, StaffUser.password_hash)).all())
    assert all(h.startswith("$argon2id$") for h in hashes.values())
    assert PASSWORDS["ed"] not in hashes["ed"]
    with pytest.raises(ValueError, match="unknown role"):
        add_staff(store, "x", "pw", "superuser")
    with pytest.raises(ValueError, match="password"):
        add_staff(store, "x", "", "viewer")
    with pytest.raises(ValueError, match="username"):
        add_staff(store, "bad name", "pw", "viewer")


def test_logout_ends_the_session(app) -> None:
    client = login(app, "ed")
    token = page_token(client)
    assert client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert client.get("/api/stats").status_code == 401


def test_every_post_route_checks_csrf_and_role(app) -> None:
    posts = [r for r in app.routes if isinstance(r, Route) and "POST" in (r.methods or ())]
    assert len(posts) >= 10
    for route in posts:
        if route.path == "/login":
            continue  # double-submit cookie, checked in its own tests
        assert getattr(route.endpoint, "console_write", False), f"{route.path} is not wrapped by @endpoint(write=True)"


# ------------------------------------------------------------------------------------------------ roles and CSRF


def test_viewer_sees_no_edit_form_and_gets_403(app, store: CatalogStore) -> None:
    client = login(app, "vi")
    page = client.get("/faqs/shipping-free")
    assert page.status_code == 200
    assert 'id="faq-form"' not in page.text and 'id="faq-readonly"' in page.text
    token = token_of(page.text)  # the sign-out form's token: a valid token for this session
    before = store.catalog_version()
    r = client.post(
        "/faqs/shipping-free", data={**faq_form(store, "shipping-free", answer_zh="viewer edit"), "csrf_token": token}
    )
    assert r.status_code == 403 and "editor role" in r.text
    r = client.post("/stock/A1-GREY", data={"stock": "1", "csrf_token": token})
    assert r.status_code == 403
    assert store.catalog_version() == before
    assert store.variant("A1-GREY").stock == 30
    assert client.get("/staff").status_code == 403


def test_editor_can_edit_faq_and_bot_version_bumps(app, store: CatalogStore) -> None:
    client = login(app, "ed")
    page = client.get("/faqs/shipping-free")
    assert 'id="faq-form"' in page.text
    before = store.catalog_version()
    new_zh = "全国包邮,今天下单明天发货。"
    r = client.post(
        "/faqs/shipping-free",
        data={**faq_form(store, "shipping-free", answer_zh=new_zh), "csrf_token": token_of(page.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert store.snapshot().faqs["shipping-free"].answers["zh"] == new_zh
    assert store.catalog_version() > before  # the running bot reloads on this


def test_post_without_or_with_wrong_csrf_token_rejected(app, store: CatalogStore) -> None:
    client = login(app, "ed")
    form = faq_form(store, "shipping-free", answer_zh="no token")
    assert client.post("/faqs/shipping-free", data=form).status_code == 403
    assert client.post("/faqs/shipping-free", data={**form, "csrf_token": "x" * 43}).status_code == 403
    other = login(app, "admin1")  # a real token, but of another session
    assert client.post("/faqs/shipping-free", data={**form, "csrf_token": page_token(other)}).status_code == 403
    r = client.post("/stock/A1-GREY", data={"stock": "2"}, headers={"accept": "application/json"})
    assert r.status_code == 403 and "CSRF" in r.json()["error"]
    assert store.snapshot().faqs["shipping-free"].answers["zh"] != "no token"
    assert store.variant("A1-GREY").stock == 30
    # the header works for small JS calls
    r = client.post("/stock/A1-GREY", data={"stock": "2"}, headers={csrf.HEADER: page_token(client)}, follow_redirects=False)
    assert r.status_code == 303 and store.variant("A1-GREY").stock == 2


def test_views_show_domain_errors_and_let_bugs_propagate(app, store: CatalogStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """A refused edit (CatalogError / FormError / EditError) comes back as a message; a programming error is not
    turned into one: it reaches Starlette, which logs its traceback and answers 500."""
    client = login(app, "ed")
    r = client.post("/stock/NOPE-1", data={"stock": "3", "csrf_token": page_token(client)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/products?error=NOPE-1")  # NotFound
    r = client.post("/stock/A1-GREY", data={"stock": "-1", "csrf_token": page_token(client)}, follow_redirects=False)
    assert r.status_code == 303 and "error=A1-GREY" in r.headers["location"]  # FormError
    assert store.variant("A1-GREY").stock == 30

    def buggy_set_stock(*args: object, **kwargs: object) -> int:
        return {}["previous"]  # a KeyError from a bug, not a catalog NotFound

    monkeypatch.setattr(CatalogEditor, "set_stock", buggy_set_stock)
    token = page_token(client)
    with pytest.raises(KeyError, match="previous"):
        client.post("/stock/A1-GREY", data={"stock": "3", "csrf_token": token})
    quiet = TestClient(
        app, base_url="http://127.0.0.1", headers=ENGLISH, raise_server_exceptions=False, cookies=dict(client.cookies)
    )
    assert quiet.post("/stock/A1-GREY", data={"stock": "3", "csrf_token": token}).status_code == 500


def test_invalid_placeholder_rejected_with_message(app, store: CatalogStore) -> None:
    client = login(app, "ed")
    before = store.snapshot().faqs["shipping-free"]
    version = store.catalog_version()
    r = client.post(
        "/faqs/shipping-free",
        data={**faq_form(store, "shipping-free", answer_zh="运费{shiping_fee}元"), "csrf_token": page_token(client)},
    )
    assert r.status_code == 400
    assert "unknown placeholder {shiping_fee}" in r.text and "answer (zh)" in r.text
    assert "运费{shiping_fee}元" in r.text  # the staff member's input is kept in the form
    assert store.snapshot().faqs["shipping-free"] == before and store.catalog_version() == version
    # a placeholder the product lacks is refused too
    r = client.post(
        "/faqs/stroller-max-load",
        data={**faq_form(store, "stroller-max-load", answer_en="{attr:battery_life}"), "csrf_token": page_token(client)},
    )
    assert r.status_code == 400 and "battery_life" in r.text


def test_audit_log_records_who_when_before_after(app, store: CatalogStore) -> None:
    client = login(app, "ed")
    t0 = time.time()
    old_zh = store.snapshot().faqs["shipping-free"].answers["zh"]
    client.post(
        "/faqs/shipping-free",
        data={**faq_form(store, "shipping-free", answer_zh="新的回答"), "csrf_token": page_token(client)},
        follow_redirects=False,
    )
    client.post("/stock/A1-PINK", data={"stock": "9", "csrf_token": page_token(client)}, follow_redirects=False)
    client.post("/faqs/price/examples", data={"text": "到手多少钱呀", "csrf_token": page_token(client)}, follow_redirects=False)
    with Session(store.engine) as orm:
        rows = {r.action: r for r in orm.scalars(select(AuditEntry).where(AuditEntry.username == "ed"))}
    faq = rows["faq.update"]
    assert faq.target_id == "shipping-free" and faq.role == "editor" and faq.ts >= t0
    assert faq.before["answers"]["zh"] == old_zh and faq.after["answers"]["zh"] == "新的回答"
    stock = rows["stock.set"]
    assert stock.before == {"sku": "A1-PINK", "stock": 5} and stock.after == {"sku": "A1-PINK", "stock": 9}
    example = rows["faq.add_example"]
    assert "到手多少钱呀" not in example.before["questions"] and "到手多少钱呀" in example.after["questions"]
    assert ("到手多少钱呀", "zh", "staff") in store.faq_examples()["price"]
    page = client.get("/audit")
    assert page.status_code == 200 and "faq.update" in page.text and "新的回答" in page.text


def test_product_edit_keeps_live_stock(app, store: CatalogStore) -> None:
    client = login(app, "ed")
    store.apply_order("o-1", "A1-GREY", 4)  # an order arrives while staff edit the text
    page = client.get("/products/stroller-a1")
    form = {
        "name_zh": "轻便婴儿推车A1 新款",
        "name_en": "A1 Stroller",
        "category": "baby",
        "price": "888",
        "aliases": "推车, 婴儿车",
        "tags": "宝宝",
        "description_zh": "",
        "description_en": "",
        "attributes": (
            "max_load | 25公斤 | 25 kg\nweight | 5.8公斤 | 5.8 kg\nage_range | 0-36个月 | 0-36 months\n"
            "folded_size | 48×22×55厘米 | 48 × 22 × 55 cm\nrecline | 三档 | 3 positions\nmaterial | 铝合金 | aluminium\n"
            "origin | 宁波 | Ningbo"
        ),
        "variants": "A1-GREY | colour=雾霾灰\nA1-PINK | colour=樱花粉 | 919\nA1-KHAKI | colour=燕麦色\nA1-BLUE | colour=天蓝",
        "csrf_token": token_of(page.text),
    }
    r = client.post("/products/stroller-a1", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    p = store.product("stroller-a1")
    assert p.name["zh"] == "轻便婴儿推车A1 新款" and str(p.price) == "888.00"
    assert p.variant("A1-GREY").stock == 26  # not reset by the text edit
    assert p.variant("A1-BLUE").stock == 0
    assert p.variant("A1-GREY").labels["colour"]["en"] == "haze grey"  # labels kept for unchanged values
    bad = client.post("/products/stroller-a1", data={**form, "price": "-3", "csrf_token": token_of(page.text)})
    assert bad.status_code == 400 and "price" in bad.text


# ------------------------------------------------------------------------------------------------ import / export


def test_export_and_import_yaml_and_csv(app, store: CatalogStore, tmp_path: Path) -> None:
    client = login(app, "ed")
    r = client.get("/io/export.yaml")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    doc = yaml.safe_load(r.text)
    assert {p["id"] for p in doc["products"]} == set(store.snapshot().products)

    doc["faqs"][0]["answer"]["zh"] = "导入后的回答"
    faq_id = doc["faqs"][0]["id"]
    upload = yaml.safe_dump(doc, allow_unicode=True).encode("utf-8")
    version = store.catalog_version()
    r = client.post(
        "/io/import",
        data={"csrf_token": page_token(client, "/io"), "format": "yaml", "mode": "merge"},
        files={"file": ("catalog.yaml", upload, "application/x-yaml")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert store.snapshot().faqs[faq_id].answers["zh"] == "导入后的回答" and store.catalog_version() > version

    r = client.get("/io/export.csv")
    assert r.status_code == 200
    lines = r.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert "sku" in header and "stock" in header
    csv_text = "sku,stock\nA1-GREY,7\nA1-PINK,0\n"
    r = client.post(
        "/io/import",
        data={"csrf_token": page_token(client, "/io")},
        files={"file": ("stock.csv", csv_text.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert r.status_code == 200, r.text  # the preview; confirmed with its own form
    action, fields = page_form(r.text, "confirm-form")
    r = client.post(action, data=fields, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert store.variant("A1-GREY").stock == 7 and store.variant("A1-PINK").stock == 0

    with Session(store.engine) as orm:
        actions = set(orm.scalars(select(AuditEntry.action)))
    assert {"catalog.import_yaml", "catalog.import_csv"} <= actions


def test_import_errors_name_file_and_line_and_change_nothing(app, store: CatalogStore) -> None:
    client = login(app, "ed")
    version = store.catalog_version()
    r = client.post(
        "/io/import",
        data={"csrf_token": page_token(client, "/io")},
        files={"file": ("stock.csv", b"sku,stock\nA1-GREY,5\nNOPE-1,3\n", "text/csv")},
    )
    assert r.status_code == 400 and "stock.csv:3" in r.text and "NOPE-1" in r.text
    assert store.variant("A1-GREY").stock == 30
    bad_yaml = b"version: 1\nproducts:\n  - id: x\n    price: [\n"
    r = client.post(
        "/io/import",
        data={"csrf_token": page_token(client, "/io"), "format": "yaml"},
        files={"file": ("broken.yaml", bad_yaml, "application/x-yaml")},
    )
    assert r.status_code == 400 and "broken.yaml" in r.text
    assert store.catalog_version() == version
    viewer = login(app, "vi")
    r = viewer.post(
        "/io/import",
        data={"csrf_token": page_token(viewer, "/io")},
        files={"file": ("s.csv", b"sku,stock\nA1-GREY,1\n", "text/csv")},
    )
    assert r.status_code == 403 and store.variant("A1-GREY").stock == 30


# ------------------------------------------------------------------------------------------------ review queue


def _log(store: CatalogStore, items: list[tuple[str, str, str]]) -> None:
    now = time.time()
    for i, (cid, text, status) in enumerate(items):
        store.record_comment(Comment(id=cid, user=f"u{i}", text=text, ts=now + i), received_at=now + i * 0.01)
        store.set_comment_outcome(cid, status=status, reason="low confidence" if status == "staff" else "below threshold")


REVIEW_LOG = [
    ("r1", "能开发票吗", "staff"),
    ("r2", "能开发票吗?", "silent"),
    ("r3", "可以开发票吗", "staff"),
    ("r4", "主播身高多少", "silent"),
    ("r5", "主播身高多少呀", "silent"),
    ("r6", "能开发票吗", "staff"),
    ("r7", "今天有抽奖活动吗", "silent"),
    ("r8", "包邮吗", "answered"),  # answered: not in the queue
]


def test_review_queue_groups_by_question(store: CatalogStore) -> None:
    _log(store, REVIEW_LOG)
    comments = queued_comments(store, handled=set())
    assert {c.comment_id for c in comments} == {"r1", "r2", "r3", "r4", "r5", "r6", "r7"}
    groups = group_comments(comments)
    by_ids = sorted(sorted(c.comment_id for c in g.comments) for g in groups)
    assert by_ids == [["r1", "r2", "r3", "r6"], ["r4", "r5"], ["r7"]]
    assert [g.key for g in groups] == ["local/r7", "local/r1", "local/r4"]  # newest comment first (r7, r6, r5)
    assert [g.count for g in group_comments(comments, sort="count")] == [4, 2, 1]  # or largest first
    invoice = next(g for g in groups if g.count == 4)
    assert invoice.text == "能开发票吗"  # the most frequent wording names the group
    assert invoice.users == ["u5", "u2", "u1", "u0"]  # who asked, newest first


def test_review_actions_add_example_answer_and_new_faq(app, store: CatalogStore) -> None:
    _log(store, REVIEW_LOG)
    client = login(app, "ed")
    page = client.get("/review")
    assert page.status_code == 200
    assert "4×" in page.text and "能开发票吗" in page.text and "2×" in page.text

    invoice = [["local", "r1"], ["local", "r2"], ["local", "r3"], ["local", "r6"]]
    version = store.catalog_version()
    r = client.post(
        "/review/example",
        data={
            "csrf_token": token_of(page.text),
            "comments": json.dumps(invoice),
            "faq_id": "shipping-free",
            "text": "能开发票吗",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert ("能开发票吗", "zh", "staff") in store.faq_examples()["shipping-free"]
    assert store.catalog_version() > version

    r = client.post(
        "/review/answer",
        data={"csrf_token": token_of(page.text), "comments": json.dumps([["local", "r7"]]), "text": "今晚9点抽奖!"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    records = {r.comment_id: r for r in Accounts(store).review_records()}
    assert records["r7"].action == "answer" and records["r7"].text == "今晚9点抽奖!" and not records["r7"].posted

    # new FAQ from the remaining group: the editor opens pre-filled, saving it handles the group
    height = [["local", "r4"], ["local", "r5"]]
    form = client.post(
        "/review/new-faq",
        data={"csrf_token": token_of(page.text), "comments": json.dumps(height), "texts": ["主播身高多少", "主播身高多少呀"]},
    )
    assert form.status_code == 200 and "主播身高多少呀" in form.text
    r = client.post(
        "/faqs/new",
        data={
            "csrf_token": token_of(form.text),
            "id": "host-height",
            "intent": "ask_host",
            "questions": "主播身高多少\n主播身高多少呀\n主播多高",
            "answer_zh": "主播身高168厘米,穿M码。",
            "review_comments": re.search(r'name="review_comments" value="([^"]*)"', form.text).group(1).replace("&#34;", '"'),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert store.snapshot().faqs["host-height"].answers["zh"] == "主播身高168厘米,穿M码。"
    assert queued_comments(store, Accounts(store).reviewed()) == []
    assert "Nothing to review" in client.get("/review").text



def test_a_review_answer_is_marked_posted_only_in_the_room_a_bot_serves(app, store: CatalogStore) -> None:
    """A review group can hold the same question from tonight's room (a bot running) and an earlier show's room (no
    bot): the answer goes out to tonight's room only, and only that comment is recorded (and audited) as posted."""
    import threading

    from catalog.control import BotStatusRecord, ConsoleChannel

    now = time.time()
    for room, cid in (("tonight", "n1"), ("last-week", "o1")):
        store.record_comment(Comment(id=cid, user=f"u-{cid}", text="能开发票吗", ts=now, room=room), received_at=now)
        store.set_comment_outcome(cid, status="staff", reason="low confidence", room=room)
    channel = ConsoleChannel(store)
    channel.heartbeat(BotStatusRecord("tonight", 11, True, None, 0, 0, False, time.time()))
    stop = threading.Event()
    claimed: list[dict] = []

    def bot() -> None:  # the running bot of room "tonight": claims its "answer now" commands and reports them posted
        while not stop.is_set():
            for command in channel.claim_commands("tonight"):
                claimed.append(command.payload)
                channel.finish_command(command.id, "posted to room tonight")
            time.sleep(0.05)

    worker = threading.Thread(target=bot, daemon=True)
    worker.start()
    try:
        client = login(app, "ed")
        page = client.get("/review")
        r = client.post(
            "/review/answer",
            data={"csrf_token": token_of(page.text), "comments": json.dumps([["tonight", "n1"], ["last-week", "o1"]]),
                  "text": "可以开发票,下单备注抬头"},
        )
    finally:
        stop.set()
        worker.join(timeout=5)
    assert r.status_code == 200
    assert [c["comment_ids"] for c in claimed] == [["n1"]]  # nothing queued for the room no bot serves
    assert "posted for the 1 in a room the bot is running in" in r.text
    records = {(x.room, x.comment_id): x for x in Accounts(store).review_records()}
    assert records[("tonight", "n1")].posted and not records[("last-week", "o1")].posted
    with Session(store.engine) as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "review.answer")).one()
    assert entry.after["posted"] == [["tonight", "n1"]]


# ------------------------------------------------------------------------------------------------ dashboard


def test_dashboard_stats_endpoint(app, store: CatalogStore) -> None:
    now = time.time()
    for i in range(10):
        store.record_comment(Comment(id=f"d{i}", user=f"u{i}", text="包邮吗", ts=now), received_at=now - 2 + i * 0.1)
    for i in range(6):
        store.set_comment_outcome(f"d{i}", status="answered", faq_id="shipping-free", product_id="stroller-a1")
    for i in (6, 7):
        store.set_comment_outcome(f"d{i}", status="staff")
    for i in (8, 9):
        store.set_comment_outcome(f"d{i}", status="silent")
    received = {c.comment_id: c.received_at for c in store.comments()}
    for i in range(6):
        store.record_reply(Reply(reply_to=(f"d{i}",), text="ok", lang="zh", ts=received[f"d{i}"] + 0.010 * (i + 1)))
    store.apply_order("o-9", "A1-GREY", 3)

    client = login(app, "vi")
    stats = client.get("/api/stats").json()
    assert stats["comments_total"] == 10
    assert stats["counts"] == {"answered": 6, "silent": 2, "staff": 2, "other": 0}
    assert stats["rates"]["answered"] == pytest.approx(0.6)
    assert sum(stats["series_per_s"]) == 10 and stats["comments_per_s"] > 0
    assert stats["latency_ms"]["source"] == "reply"
    assert stats["latency_ms"]["p50"] == pytest.approx(35.0, abs=0.5)
    assert stats["latency_ms"]["p99"] == pytest.approx(59.5, abs=0.5)
    top = stats["top_questions"][0]
    assert {k: top[k] for k in ("faq_id", "count")} == {"faq_id": "shipping-free", "count": 6}
    assert top["label"] == "is shipping free" and top["label"] in stats["charts"]["questions"]  # a question in the UI language
    assert stats["top_products"][0]["id"] == "stroller-a1"
    a1 = next(p for p in stats["products"] if p["id"] == "stroller-a1")
    assert a1["sold"] == 3 and a1["stock"] == 30 + 5 + 12 - 3
    assert stats["charts"]["rate"].startswith("<svg") and "shipping-free" in stats["charts"]["questions"]
    html = client.get("/dashboard").text
    # every asset is served locally: no CDN host, no absolute URL in any src/href (a random CSRF token may contain "cdn")
    assets = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert "/static/console.js" in assets and "https://" not in html
    assert not [a for a in assets if "cdn" in a.lower() or a.startswith(("http:", "https:", "//"))], assets
    assert client.get("/static/console.js").status_code == 200


def test_try_question_without_runtime_says_why(app) -> None:
    client = login(app, "vi")
    r = client.get("/api/try", params={"q": "包邮吗"})
    assert r.status_code == 503 and "unavailable" in r.json()["error"]


def test_only_the_consoles_own_messages_show_as_a_banner(app, store: CatalogStore) -> None:
    """The banner after a save travels in the URL; a link someone else wrote must not put their text on the page."""
    client = login(app, "ed")
    forged = client.get("/products?ok=请加微信xx领取退款&error=账户异常")
    assert forged.status_code == 200 and "请加微信xx领取退款" not in forged.text and "账户异常" not in forged.text
    r = client.post("/stock/A1-PINK", data={"stock": "9", "csrf_token": page_token(client)}, follow_redirects=False)
    assert r.status_code == 303 and "sig=" in r.headers["location"]
    shown = client.get(r.headers["location"])
    assert 'class="flash ok"' in shown.text and "A1-PINK" in shown.text.split('class="flash ok"')[1].split("</p>")[0]
    tampered = client.get(r.headers["location"].replace("A1-PINK", "A1-GREY"))
    assert 'class="flash ok"' not in tampered.text
