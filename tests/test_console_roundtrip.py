"""What the console accepts, the file format accepts: one set of rules (catalog/rules.py) for console, import and store.

A product and a FAQ created through the console's forms (their numbered rows: attributes, variants, example
questions, answers per language) survive export → import unchanged; the values that used to
be accepted by the console and refused by its own export (id `Tee.V2`, SKU with spaces, a 2-question FAQ) are refused
by the console with a clear message.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from catalog.io import export_catalog, import_catalog
from catalog.store import CatalogStore
from tests import test_console
from tests.console_forms import page_form
from tests.test_console import login, token_of

# The same staff accounts, per-test SQLite copy and app as the console tests.
template_db = test_console.template_db
store = test_console.store
app = test_console.app

PRODUCT_FORM = {
    "id": "tee-v2",
    "name_zh": "纯棉T恤二代",
    "name_en": "Cotton tee v2",
    "category": "apparel",
    "price": "89.90",
    "aliases": "T恤二代, tee v2",
    "tags": "夏季",
    "description_zh": "240克重磅纯棉",
    "description_en": "240 gsm cotton",
    # one row per attribute / variant (the page's script adds rows 1+; the server reads any row number)
    "attr-0-key": "material", "attr-0-zh": "纯棉, 240克", "attr-0-en": "cotton | 240 gsm",  # no mini-language: , and | are text
    "vkey-0": "colour", "vkey-1": "size",
    "variant-0-sku": "TV2-BLK-M", "variant-0-v0": "黑色", "variant-0-v1": "M", "variant-0-stock": "7",
    "variant-1-sku": "TV2-BLK-L", "variant-1-v0": "黑色", "variant-1-v1": "L", "variant-1-price": "99",
}
FAQ_FORM = {
    "id": "tee-v2-wash",
    "product_id": "tee-v2",
    "intent": "ask_spec",
    "question-0": "能机洗吗", "question-1": "可以用洗衣机洗吗", "question-2": "can I machine wash it",
    "answer-0-lang": "zh", "answer-0-text": "可以机洗,建议30度以下。",
    "answer-1-lang": "en", "answer-1-text": "Yes, machine wash below 30°C.",
    "answer-2-lang": "ja", "answer-2-text": "洗濯機で洗えます(30°C以下)。",
}


def _post(client, path: str, form: dict[str, str]):
    """The page's own form (every field as the browser sends it, empty rows included) with `form` typed in."""
    page = client.get(path)
    action, fields = page_form(page.text, "product-form" if path.startswith("/products") else "faq-form")
    assert action == path
    return client.post(path, data={**fields, **form, "csrf_token": token_of(page.text)}, follow_redirects=False)


def test_console_created_product_and_faq_survive_export_and_import(app, store: CatalogStore, tmp_path: Path) -> None:
    client = login(app, "ed")
    assert _post(client, "/products/new", PRODUCT_FORM).status_code == 303
    assert _post(client, "/faqs/new", FAQ_FORM).status_code == 303
    before = store.snapshot()
    tee = before.products["tee-v2"]
    assert tee.attributes == {"material": {"zh": "纯棉, 240克", "en": "cotton | 240 gsm"}}
    assert [(v.sku, v.attrs, v.price, v.stock) for v in tee.variants] == [
        ("TV2-BLK-M", {"colour": "黑色", "size": "M"}, None, 7), ("TV2-BLK-L", {"colour": "黑色", "size": "L"}, Decimal("99"), 0)]
    assert before.faqs["tee-v2-wash"].answers["ja"] == "洗濯機で洗えます(30°C以下)。"
    exported = tmp_path / "catalog.yaml"
    export_catalog(store, exported)

    fresh = CatalogStore(f"sqlite:///{tmp_path}/fresh.db")
    import_catalog(fresh, exported)
    after = fresh.snapshot()
    assert after.products["tee-v2"] == before.products["tee-v2"]
    assert after.faqs["tee-v2-wash"] == before.faqs["tee-v2-wash"]
    assert set(after.products) == set(before.products) and set(after.faqs) == set(before.faqs)


def test_console_refuses_what_the_file_format_refuses(app, store: CatalogStore) -> None:
    client = login(app, "ed")
    cases = [
        ("/products/new", {**PRODUCT_FORM, "id": "Tee.V2"}, "not a valid id"),
        ("/products/new", {**PRODUCT_FORM, "variant-1-sku": "SKU WITH SPACE"}, "not a valid SKU"),
        ("/faqs/new", {**FAQ_FORM, "product_id": "", "question-2": ""}, "at least 3"),
    ]
    for path, form, message in cases:
        r = _post(client, path, form)
        assert r.status_code == 400, (form, r.status_code)
        assert message in r.text
    assert "Tee.V2" not in store.snapshot().products
    # the SKU error sits next to its row, and the rows come back as typed
    r = _post(client, "/products/new", {**PRODUCT_FORM, "variant-1-sku": "SKU WITH SPACE"})
    row_error = r.text.split('<tr class="row-error">', 1)[1].split("</tr>", 1)[0]
    assert "line 2" in row_error and "not a valid SKU" in row_error
    assert 'name="variant-1-sku" value="SKU WITH SPACE"' in r.text and 'name="attr-0-en" value="cotton | 240 gsm"' in r.text


def test_new_faq_from_a_review_group_saves_through_the_rows_and_handles_the_group(app, store: CatalogStore) -> None:
    from bot.console.review import group_comments, queued_comments
    from catalog.accounts import Accounts

    test_console._log(store, test_console.REVIEW_LOG)
    client = login(app, "ed")
    page = client.get("/review")
    invoice = next(g for g in group_comments(queued_comments(store, set())) if g.count == 4)
    form = client.post("/review/new-faq", data={"csrf_token": token_of(page.text), "comments": json.dumps(invoice.pairs),
                                               "texts": [t for t, _n in invoice.texts]})
    assert form.status_code == 200
    action, fields = page_form(form.text, "faq-form")
    questions = [v for k, v in fields.items() if k.startswith("question-") and v]
    assert sorted(questions) == sorted(t for t, _n in invoice.texts)  # the group's wordings, one row each
    fields.update({"id": "invoice-2", "intent": "ask_invoice", f"question-{len(questions)}": "可以开票吗",
                   "answer-0-text": "可以开发票,下单时备注抬头。"})
    r = client.post(action, data=fields, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert store.snapshot().faqs["invoice-2"].answers == {"zh": "可以开发票,下单时备注抬头。"}
    handled = Accounts(store).reviewed()
    assert all(pair in handled for pair in invoice.pairs)


def test_console_synonyms_and_wording_survive_export_and_import(app, store: CatalogStore, tmp_path: Path) -> None:
    """Synonyms saved on /synonyms and a product's wording saved in its editor are in the exported file, and importing
    that file (the file's own rules: catalog/synonyms.py, override_problem) gives them back unchanged."""
    client = login(app, "ed")
    page = client.get("/synonyms")
    action, fields = page_form(page.text, "synonyms-form")
    rows = sorted({int(k.split("-")[1]) for k in fields if k.startswith("val-")})
    black = next(i for i in rows if fields[f"val-{i}-value"] == "黑色")
    fields[f"val-{black}-words"] += ", 玄色"
    empty = rows[-1]
    fields.update({f"val-{empty}-attr": "colour", f"val-{empty}-value": "白灰", f"val-{empty}-words": "灰白, white grey"})
    care = next(i for i in sorted({int(k.split("-")[1]) for k in fields if k.startswith("key-")})
                if fields[f"key-{i}-key"] == "care")
    fields[f"key-{care}-words"] += ", 咋洗"
    assert client.post(action, data=fields, follow_redirects=False).status_code == 303, "synonyms not saved"

    page = client.get("/products/tee-classic")
    action, fields = page_form(page.text, "product-form")
    fields.update({"wording-0-key": "stock.few", "wording-0-lang": "zh", "wording-0-text": "{label}只剩{total}件啦,手慢无"})
    assert client.post(action, data=fields, follow_redirects=False).status_code == 303
    page = client.get("/products/tee-classic")  # a second row, in Japanese: one row per value, as many as needed
    action, fields = page_form(page.text, "product-form")
    fields.update({"wording-1-key": "price", "wording-1-lang": "ja", "wording-1-text": "{label}はたったの{price} {unit}"})
    assert client.post(action, data=fields, follow_redirects=False).status_code == 303

    before = store.snapshot()
    assert before.synonyms["values"]["colour"]["白灰"] == ["灰白", "white grey"]
    assert before.products["tee-classic"].wording == {
        "stock.few": {"zh": "{label}只剩{total}件啦,手慢无"}, "price": {"ja": "{label}はたったの{price} {unit}"}}
    exported = tmp_path / "catalog.yaml"
    export_catalog(store, exported)
    fresh = CatalogStore(f"sqlite:///{tmp_path}/fresh.db")
    import_catalog(fresh, exported)
    after = fresh.snapshot()
    assert after.synonyms == before.synonyms
    assert after.products["tee-classic"] == before.products["tee-classic"]  # wording included
    fresh.close()
