"""What the console accepts, the file format accepts: one set of rules (catalog/rules.py) for console, import and store.

A product and a FAQ created through the console's forms survive export → import unchanged; the values that used to
be accepted by the console and refused by its own export (id `Tee.V2`, SKU with spaces, a 2-question FAQ) are refused
by the console with a clear message.
"""

from __future__ import annotations

from pathlib import Path

from catalog.io import export_catalog, import_catalog
from catalog.store import CatalogStore
from tests import test_console
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
    "attributes": "material | 纯棉 | cotton",
    "variants": "TV2-BLK-M | colour=黑色, size=M\nTV2-BLK-L | colour=黑色, size=L | 99",
}
FAQ_FORM = {
    "id": "tee-v2-wash",
    "product_id": "tee-v2",
    "intent": "ask_spec",
    "questions": "能机洗吗\n可以用洗衣机洗吗\ncan I machine wash it",
    "answer_zh": "可以机洗,建议30度以下。",
    "answer_en": "Yes, machine wash below 30°C.",
}


def _post(client, path: str, form: dict[str, str]):
    page = client.get(path)
    return client.post(path, data={**form, "csrf_token": token_of(page.text)}, follow_redirects=False)


def test_console_created_product_and_faq_survive_export_and_import(app, store: CatalogStore, tmp_path: Path) -> None:
    client = login(app, "ed")
    assert _post(client, "/products/new", PRODUCT_FORM).status_code == 303
    assert _post(client, "/faqs/new", FAQ_FORM).status_code == 303
    before = store.snapshot()
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
        ("/products/new", {**PRODUCT_FORM, "variants": "SKU WITH SPACE | size=M"}, "not a valid SKU"),
        ("/faqs/new", {**FAQ_FORM, "product_id": "", "questions": "能机洗吗\n可以用洗衣机洗吗"}, "at least 3"),
    ]
    for path, form, message in cases:
        r = _post(client, path, form)
        assert r.status_code == 400, (form, r.status_code)
        assert message in r.text
    assert "Tee.V2" not in store.snapshot().products
