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
from tests.test_console import PASSWORDS, login, page_token, signed_in_client, token_of

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


def _import(client, upload: str, mode: str):
    data = {"csrf_token": page_token(client, "/io"), "format": "yaml", "mode": mode}
    if mode == "replace":
        data["confirm_replace"] = "yes"
    return client.post("/io/import", data=data, follow_redirects=False,
                       files={"file": ("catalog.yaml", upload.encode("utf-8"), "application/x-yaml")})


def test_a_product_named_only_in_chinese_survives_the_consoles_export_and_import(
    app, store: CatalogStore, tmp_path: Path
) -> None:
    """The console saves a product with only its Chinese name; the 导入/导出 page's export of that catalog imports
    again unchanged, replacing the catalog (the page's promise), and into a fresh database."""
    client = login(app, "ed")
    zh_only = {**PRODUCT_FORM, "name_en": "", "description_en": "", "attr-0-en": ""}
    assert _post(client, "/products/new", zh_only).status_code == 303
    before = store.snapshot()
    assert before.products["tee-v2"].name == {"zh": "纯棉T恤二代"}
    exported = client.get("/io/export.yaml")
    assert exported.status_code == 200 and "纯棉T恤二代" in exported.text

    r = _import(client, exported.text, "replace")
    assert r.status_code == 303, r.text
    after = store.snapshot()
    assert after.products == before.products and after.faqs == before.faqs and after.synonyms == before.synonyms

    path = tmp_path / "catalog.yaml"
    path.write_text(exported.text, encoding="utf-8")
    fresh = CatalogStore(f"sqlite:///{tmp_path}/fresh.db")
    import_catalog(fresh, path)
    assert fresh.snapshot().products == before.products
    fresh.close()


CLASHING_MUG = """\
version: 1
products:
  - id: mug-two
    name: {zh: 双色马克杯}
    price: 29
    variants:
      - {sku: MUG2-BLK, attrs: {colour: 黑色}, stock: 3}
      - {sku: MUG2-BLK2, attrs: {colour: 黑的}, stock: 3}
"""


def test_a_merge_import_refuses_a_value_clashing_with_a_synonym_in_chinese_first(app, store: CatalogStore) -> None:
    """黑的 is a synonym of 黑色 (data/catalog.yaml): a product with both 黑色 and 黑的 would not know which one a
    viewer means. The merge import refuses it at the product's line, naming the word, both values and the product,
    in the staff member's language; a new product with only 黑的 (another product's 黑色 keeps the synonym) is fine."""
    assert store.snapshot().synonyms["values"]["colour"]["黑色"][1] == "黑的"
    version = store.catalog_version()
    chinese = signed_in_client(app, "ed", PASSWORDS["ed"], language="zh-CN")
    r = _import(chinese, CLASHING_MUG, "merge")
    assert r.status_code == 400
    assert "catalog.yaml 第 3 行" in r.text or "catalog.yaml:3" in r.text, r.text
    assert "同义词「黑的」在商品「mug-two」里既表示 黑的 又表示 黑色（colour）" in r.text
    assert "合并导入会保留现有同义词" in r.text
    r = _import(login(app, "ed"), CLASHING_MUG, "merge")
    assert r.status_code == 400
    assert "synonym &#39;黑的&#39; means both 黑的 and 黑色 (colour) in product &#39;mug-two&#39;" in r.text
    assert store.catalog_version() == version and "mug-two" not in store.snapshot().products

    one_black = CLASHING_MUG.replace("      - {sku: MUG2-BLK, attrs: {colour: 黑色}, stock: 3}\n", "")
    assert _import(login(app, "ed"), one_black, "merge").status_code == 303
    assert [v.attrs for v in store.snapshot().products["mug-two"].variants] == [{"colour": "黑的"}]
