"""Safe edits in the staff console during a show, through the pages' own forms (TestClient, real SQLite store):

- two staff members edit the same FAQ / product: the second save is refused (409) with a diff, nothing half-applied;
- a stock CSV is previewed (every SKU old → new) and written only when the preview's confirm form is posted,
  bound to the file's content by its digest and re-validated on confirm; set and delta (+/-) modes;
- a set-mode import of an exported CSV never undoes the orders that came in after the export;
- a 10 MB CSV is refused cleanly; unknown SKUs / negative stock are refused in the staff member's language;
- replacing the whole catalog and deleting a product / FAQ need a confirmation the server checks.
"""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

import yaml
from starlette.testclient import TestClient

from catalog.accounts import Accounts
from catalog.store import CatalogStore
from tests import test_console
from tests.console_forms import page_form
from tests.test_console import PASSWORDS, login, token_of

# the console test fixtures: a migrated SQLite copy of the demo catalog with three accounts, and the app on it
template_db = test_console.template_db
store = test_console.store
app = test_console.app

FAQ_ID = "shipping-free"


def login_zh(app, username: str) -> TestClient:  # type: ignore[no-untyped-def]
    """A client with no Accept-Language: the console's default language, Chinese."""
    client = TestClient(app, base_url="http://127.0.0.1")
    page = client.get("/login")
    r = client.post("/login", data={"username": username, "password": PASSWORDS[username],
                                    "csrf_token": token_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    return client


def open_form(client: TestClient, path: str, form_id: str) -> tuple[str, dict[str, str]]:
    r = client.get(path)
    assert r.status_code == 200, r.text
    return page_form(r.text, form_id)


def upload(client: TestClient, body: bytes, *, mode: str = "set", name: str = "stock.csv", fmt: str = ""):  # type: ignore[no-untyped-def]
    action, fields = open_form(client, "/io", "import-form")
    fields.update({"stock_mode": mode, "format": fmt})
    return client.post(action, data=fields, files={"file": (name, body, "text/csv")}, follow_redirects=False)


def preview_rows(page: str) -> dict[str, tuple[int, int]]:
    """sku -> (now, after import) from the preview table."""
    rows = {}
    for line in page.split("<tr data-sku=")[1:]:
        sku = html.unescape(line.split('"')[1])
        old = int(line.split('class="num old">')[1].split("<")[0])
        new = int(line.split('class="num new">')[1].split("<")[0])
        rows[sku] = (old, new)
    return rows


def answer(form: dict[str, str], lang: str) -> str:
    """The field of the FAQ editor's answer row in `lang` (one row per language: answer-<i>-lang / -text)."""
    return next(k.replace("-lang", "-text") for k, v in form.items()
                if k.startswith("answer-") and k.endswith("-lang") and v == lang)


def confirm(client: TestClient, page: str):  # type: ignore[no-untyped-def]
    action, fields = page_form(page, "confirm-form")
    return client.post(action, data=fields, follow_redirects=False)


# ------------------------------------------------------------------------------------------ optimistic concurrency


def test_concurrent_faq_edit_is_refused_with_a_diff_and_nothing_half_applied(app, store: CatalogStore) -> None:
    alice, bob = login(app, "ed"), login(app, "admin1")
    action, a_form = open_form(alice, f"/faqs/{FAQ_ID}", "faq-form")
    _, b_form = open_form(bob, f"/faqs/{FAQ_ID}", "faq-form")
    assert a_form["edit_version"] and a_form["edit_version"] == b_form["edit_version"]
    before = store.snapshot().faqs[FAQ_ID]

    a_form[answer(a_form, "zh")] = "爱丽丝的新回答：全国包邮。"
    r = alice.post(action, data=a_form, follow_redirects=False)
    assert r.status_code == 303, r.text

    b_form[answer(b_form, "en")] = "Bob's answer: free shipping."
    b_form["intent"] = "ask_shipping_bob"
    r = bob.post(action, data=b_form, follow_redirects=False)
    assert r.status_code == 409, r.text
    assert "Someone else saved this since you opened it" in r.text
    faq = store.snapshot().faqs[FAQ_ID]  # Alice's save is there, nothing of Bob's
    assert faq.answers["zh"] == "爱丽丝的新回答：全国包邮。"
    assert faq.answers.get("en") == before.answers.get("en") and faq.intent == before.intent
    # the diff: field, Bob's value, the current value — only the fields that differ
    diff = html.unescape(r.text.split('id="edit-conflict"')[1].split("</section>")[0])
    assert "Answer (zh)" in diff and "爱丽丝的新回答：全国包邮。" in diff
    assert "Answer (en)" in diff and "Bob's answer: free shipping." in diff
    assert "Intent" in diff and "Example questions" not in diff
    # the form still holds Bob's values and is now at the current version: merged and saved again, it goes through
    _, merged = page_form(r.text, "faq-form")
    assert merged[answer(merged, "en")] == "Bob's answer: free shipping." and merged["edit_version"] != b_form["edit_version"]
    merged[answer(merged, "zh")] = "爱丽丝的新回答：全国包邮。"
    r = bob.post(action, data=merged, follow_redirects=False)
    assert r.status_code == 303, r.text
    faq = store.snapshot().faqs[FAQ_ID]
    others = {k: v for k, v in before.answers.items() if k not in ("zh", "en")}  # ja, ko, … are left as they were
    assert faq.answers == {"zh": "爱丽丝的新回答：全国包邮。", "en": "Bob's answer: free shipping.", **others}


def test_stale_faq_save_message_is_in_the_staff_members_language(app, store: CatalogStore) -> None:
    zh = login_zh(app, "ed")
    action, form = open_form(zh, f"/faqs/{FAQ_ID}", "faq-form")
    store.add_example(FAQ_ID, "包邮到新疆吗")  # another write of the row (e.g. from the review queue)
    form[answer(form, "zh")] = "改了"
    r = zh.post(action, data=form, follow_redirects=False)
    assert r.status_code == 409 and "其他人已保存了这一项" in r.text and "你的内容" in r.text
    assert store.snapshot().faqs[FAQ_ID].answers["zh"] != "改了"


def test_concurrent_product_edit_is_refused_and_stock_is_not_a_conflict(app, store: CatalogStore) -> None:
    alice, bob = login(app, "ed"), login(app, "admin1")
    action, a_form = open_form(alice, "/products/stroller-a1", "product-form")
    _, b_form = open_form(bob, "/products/stroller-a1", "product-form")
    store.apply_order("o-during-edit", "A1-GREY", 1)  # orders do not make an open editor stale
    a_form["category"] = "baby-gear"
    assert alice.post(action, data=a_form, follow_redirects=False).status_code == 303
    b_form["price"] = "1.00"
    r = bob.post(action, data=b_form, follow_redirects=False)
    assert r.status_code == 409
    product = store.product("stroller-a1")
    assert product is not None and product.category == "baby-gear" and str(product.price) != "1.00"
    assert "Price" in r.text.split('id="edit-conflict"')[1].split("</section>")[0]


def test_saving_the_product_form_unchanged_changes_nothing(app, store: CatalogStore) -> None:
    """Save pressed with nothing edited: no new catalog version (every running bot would reload), no audit entry.
    (It found that a save dropped the attributes' texts in languages other than zh/en.)"""
    client = login(app, "ed")
    version = store.catalog_version()
    audits = len(Accounts(store).audit_entries(target_type="product", target_id="stroller-a1"))
    action, form = open_form(client, "/products/stroller-a1", "product-form")
    r = client.post(action, data=form, follow_redirects=False)
    assert r.status_code == 303
    assert "Nothing changed" in client.get(r.headers["location"]).text.split('class="flash ok"')[1].split("</p>")[0]
    assert store.catalog_version() == version
    assert len(Accounts(store).audit_entries(target_type="product", target_id="stroller-a1")) == audits
    action, form = open_form(client, "/products/stroller-a1", "product-form")
    form["category"] = "baby-gear"  # a real edit still saves, bumps the version and is audited
    assert client.post(action, data=form, follow_redirects=False).status_code == 303
    assert store.catalog_version() == version + 1
    assert len(Accounts(store).audit_entries(target_type="product", target_id="stroller-a1")) == audits + 1
    kept = store.product("stroller-a1")  # the form shows attributes in zh/en only; the other languages survive a save
    assert kept is not None and kept.attributes["age_range"]["ja"].startswith("0〜36")


# ------------------------------------------------------------------------------------------ stock CSV import


def test_csv_preview_lists_changes_and_writes_nothing_until_confirmed(app, store: CatalogStore) -> None:
    client = login(app, "ed")
    version = store.catalog_version()
    r = upload(client, b"sku,stock\nA1-GREY,7\nA1-PINK,5\nTEE-WHT-S,0\n")
    assert r.status_code == 200
    assert preview_rows(r.text) == {"A1-GREY": (30, 7), "TEE-WHT-S": (18, 0)}  # A1-PINK stays at 5: not listed
    assert "1 SKUs change" not in r.text and "Nothing has been written yet" in r.text
    assert store.variant("A1-GREY").stock == 30 and store.variant("TEE-WHT-S").stock == 18  # type: ignore[union-attr]
    assert store.catalog_version() == version

    # the preview is bound to the file: other content with the old digest is refused, nothing written
    action, fields = page_form(r.text, "confirm-form")
    tampered = dict(fields, content=fields["content"].replace("A1-GREY,7", "A1-GREY,0"))
    bad = client.post(action, data=tampered)
    assert bad.status_code == 400 and "does not match the file" in bad.text
    assert store.variant("A1-GREY").stock == 30  # type: ignore[union-attr]

    r = client.post(action, data=fields, follow_redirects=False)  # the real confirm (multipart like the browser)
    assert r.status_code == 303 and "2%20SKUs%20changed" in r.headers["location"]
    assert store.variant("A1-GREY").stock == 7 and store.variant("TEE-WHT-S").stock == 0  # type: ignore[union-attr]


def test_csv_delta_mode_adjusts_by_plus_and_minus(app, store: CatalogStore) -> None:
    client = login(app, "ed")
    r = upload(client, b"sku,stock\nA1-GREY,+5\nA1-PINK,-2\nTEE-WHT-S,3\nTEE-WHT-M,0\n", mode="delta")
    assert r.status_code == 200 and "adjust by delta" in r.text
    assert preview_rows(r.text) == {"A1-GREY": (30, 35), "A1-PINK": (5, 3), "TEE-WHT-S": (18, 21)}
    store.apply_order("o-between", "A1-GREY", 1)  # an order between preview and confirm: shown again, not written
    r = confirm(client, r.text)
    assert r.status_code == 200 and 'id="preview-notice"' in r.text
    assert preview_rows(r.text)["A1-GREY"] == (29, 34) and store.variant("A1-PINK").stock == 5  # type: ignore[union-attr]
    assert confirm(client, r.text).status_code == 303
    assert [store.variant(s).stock for s in ("A1-GREY", "A1-PINK", "TEE-WHT-S")] == [34, 3, 21]  # type: ignore[union-attr]
    # a change taking stock below zero is refused with the reason
    r = upload(client, b"sku,stock\nA1-PINK,-4\n", mode="delta")
    assert r.status_code == 400 and "stock.csv:2" in r.text and "would be -1" in r.text
    assert store.variant("A1-PINK").stock == 3  # type: ignore[union-attr]


def test_set_mode_import_does_not_undo_orders_placed_after_the_export(app, store: CatalogStore) -> None:
    client = login(app, "ed")
    exported = client.get("/io/export.csv")
    assert exported.status_code == 200
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert all(row["exported_at"] for row in rows)
    # while staff edit the file, viewers buy 3 strollers and 1 pink one; staff restock grey to 40 in the file
    assert store.apply_order("o-after-1", "A1-GREY", 2).ok and store.apply_order("o-after-2", "A1-GREY", 1).ok
    assert store.apply_order("o-after-3", "A1-PINK", 1).ok
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "stock": {"A1-GREY": "40", "A1-KHAKI": "9"}.get(row["sku"], row["stock"])})
    r = upload(client, out.getvalue().encode("utf-8"))
    assert r.status_code == 200 and "Exported at" in r.text
    # grey: 40 in the file, 3 sold since the export → 37; pink untouched in the file keeps its order (4, not 5)
    changes = preview_rows(r.text)
    assert changes["A1-GREY"] == (27, 37) and "A1-PINK" not in changes and changes["A1-KHAKI"][1] == 9
    assert "-3 since the export" in r.text
    assert confirm(client, r.text).status_code == 303
    assert store.variant("A1-GREY").stock == 37 and store.variant("A1-PINK").stock == 4  # type: ignore[union-attr]
    # importing the same file again changes nothing (an earlier import is not an order since the export)
    r = upload(client, out.getvalue().encode("utf-8"))
    assert r.status_code == 200 and 'id="no-changes"' in r.text and 'id="confirm-form"' not in r.text


def test_a_10_mb_csv_is_refused_cleanly(app, store: CatalogStore) -> None:
    client = login(app, "ed")
    body = b"sku,stock\n" + b"A1-GREY,5\n" * (1024 * 1024)  # 10 MB
    r = upload(client, body)
    assert r.status_code == 413 and "Traceback" not in r.text
    assert store.variant("A1-GREY").stock == 30  # type: ignore[union-attr]
    assert client.get("/io").status_code == 200  # the console carries on


def test_unknown_skus_and_negative_stock_refused_in_chinese(app, store: CatalogStore) -> None:
    client = login_zh(app, "ed")
    r = upload(client, b"sku,stock\nA1-GREY,5\nNOPE-1,3\nA1-PINK,-2\n")
    assert r.status_code == 400
    text = html.unescape(r.text)
    assert "stock.csv 第 3 行：未知 SKU「NOPE-1」" in text  # line, colon and quotes the Chinese way
    assert "stock.csv 第 4 行：「A1-PINK」的库存不能小于 0" in text
    assert 'id="confirm-form"' not in r.text
    assert store.variant("A1-GREY").stock == 30 and store.variant("A1-PINK").stock == 5  # type: ignore[union-attr]
    r = upload(client, b"sku,stock\nA1-PINK,-9\n", mode="delta")
    assert r.status_code == 400 and "「A1-PINK」的库存将变为 -4" in html.unescape(r.text)


# ------------------------------------------------------------------------------------------ destructive actions


def test_replace_catalog_requires_confirmation(app, store: CatalogStore) -> None:
    client = login(app, "ed")
    doc = yaml.safe_load(client.get("/io/export.yaml").text)
    doc["products"] = [p for p in doc["products"] if p["id"] == "stroller-a1"]
    doc["faqs"] = [f for f in doc["faqs"] if not f.get("product") or f["product"] == "stroller-a1"]
    doc.pop("synonyms", None)  # they name attributes of the products left out
    body = yaml.safe_dump(doc, allow_unicode=True).encode("utf-8")
    products = set(store.snapshot().products)

    action, fields = open_form(client, "/io", "import-form")
    assert "confirm_replace" not in fields  # the box starts unticked
    fields.update({"format": "yaml", "mode": "replace"})
    r = client.post(action, data=fields, files={"file": ("catalog.yaml", body, "application/x-yaml")})
    assert r.status_code == 400 and "Tick the confirmation box" in r.text
    assert set(store.snapshot().products) == products

    fields["confirm_replace"] = "yes"
    r = client.post(action, data=fields, files={"file": ("catalog.yaml", body, "application/x-yaml")},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    assert set(store.snapshot().products) == {"stroller-a1"}


def test_delete_faq_and_product_require_the_confirm_box(app, store: CatalogStore) -> None:
    client = login(app, "ed")
    page = client.get(f"/faqs/{FAQ_ID}").text
    delete_token = token_of(page.split(f'action="/faqs/{FAQ_ID}/delete"')[1])
    r = client.post(f"/faqs/{FAQ_ID}/delete", data={"csrf_token": delete_token}, follow_redirects=False)
    assert r.status_code == 303 and FAQ_ID in store.snapshot().faqs
    r = client.post(f"/faqs/{FAQ_ID}/delete", data={"csrf_token": delete_token, "confirm": "yes"}, follow_redirects=False)
    assert r.status_code == 303 and FAQ_ID not in store.snapshot().faqs

    r = client.post("/products/thermos-316/delete", data={"csrf_token": delete_token}, follow_redirects=False)
    assert "thermos-316" in store.snapshot().products


def test_migration_0005_adds_edit_versions(tmp_path: Path) -> None:
    s = CatalogStore(f"sqlite:///{tmp_path / 'v.db'}")
    try:
        from catalog.snapshot import FaqInfo

        s.upsert_faq(FaqInfo(id="f1", product_id=None, intent="ask_x", questions=("a q", "b q", "c q"),
                             answers={"en": "hi"}))
        first = s.edit_version("faq", "f1")
        assert first is not None
        s.upsert_faq(FaqInfo(id="f1", product_id=None, intent="ask_y", questions=("a q", "b q", "c q"),
                             answers={"en": "hi"}), expected_version=first)
        assert s.edit_version("faq", "f1") == first + 1
        s.delete_faq("f1")
        s.upsert_faq(FaqInfo(id="f1", product_id=None, intent="ask_x", questions=("a q", "b q", "c q"),
                             answers={"en": "hi"}))
        assert (s.edit_version("faq", "f1") or 0) > first + 1  # re-created: never an old version again
        assert s.edit_version("faq", "nope") is None
    finally:
        s.close()


def test_stale_edit_and_stock_import_on_postgresql(postgres_url: str) -> None:
    import dataclasses
    import time

    import pytest

    from catalog.snapshot import FaqInfo, ProductInfo, VariantInfo
    from catalog.store import StaleEdit

    s = CatalogStore(postgres_url)
    try:
        product = ProductInfo(id="p1", name={"en": "P"}, aliases=(), category="", description={}, price=1,  # type: ignore[arg-type]
                              tags=(), attributes={}, variants=(VariantInfo(sku="P1-A", product_id="p1", attrs={}, stock=10),))
        s.upsert_product(product)
        opened = s.edit_version("product", "p1")
        s.upsert_product(dataclasses.replace(product, category="a"), keep_stock=True, expected_version=opened)
        with pytest.raises(StaleEdit):  # saved since it was opened
            s.upsert_product(dataclasses.replace(product, category="b"), keep_stock=True, expected_version=opened)
        faq = FaqInfo(id="f1", product_id="p1", intent="ask_x", questions=("a q", "b q", "c q"), answers={"en": "hi"})
        s.upsert_faq(faq)
        with pytest.raises(StaleEdit):
            s.upsert_faq(faq, expected_version=(s.edit_version("faq", "f1") or 0) + 5)
        exported = time.time()
        assert s.apply_order("pg-o1", "P1-A", 3).ok
        plan, problems = s.import_stocks({"P1-A": 20}, since={"P1-A": exported})
        assert problems == {} and plan["P1-A"] == (7, 17, -3) and s.variant("P1-A").stock == 17  # type: ignore[union-attr]
        plan, problems = s.import_stocks({"P1-A": -20, "NOPE": 1}, delta=True)
        assert set(problems) == {"P1-A", "NOPE"} and s.variant("P1-A").stock == 17  # type: ignore[union-attr]
    finally:
        s.close()
