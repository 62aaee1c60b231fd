"""The console's Intents page over HTTP (TestClient) on a real SQLite store and a tmp copy of data/intents.yaml:
roles, CSRF, validation before the atomic replace, audit rows."""

from __future__ import annotations

import html as htmllib
import re
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bot.config import Settings
from bot.console.server import create_app
from catalog.accounts import Accounts
from catalog.store import CatalogStore
from models.intents import load_intents
from tests import test_console
from tests.test_console import login, token_of

INTENTS = Path(__file__).resolve().parents[1] / "data" / "intents.yaml"
DIGEST_RE = re.compile(r'name="digest" value="([^"]*)"')

# The same staff accounts and per-test SQLite copy as the console tests.
template_db = test_console.template_db
store = test_console.store


@pytest.fixture()
def intents_path(tmp_path: Path) -> Path:
    path = tmp_path / "intents.yaml"
    shutil.copyfile(INTENTS, path)
    return path


@pytest.fixture()
def app(store: CatalogStore, intents_path: Path):
    return create_app(store, Settings(db=str(store.engine.url), intents=str(intents_path)))


def edit_form(client: TestClient, name: str) -> dict[str, str]:
    """The editor form of `name` as the page renders it (textareas, selected action, hidden fields)."""
    page = client.get(f"/intents/{name}")
    assert page.status_code == 200
    html = page.text
    form = {"csrf_token": token_of(html), "digest": DIGEST_RE.search(html).group(1)}
    for field in ("examples_zh", "examples_en", "keywords"):
        m = re.search(rf'<textarea name="{field}"[^>]*>(.*?)</textarea>', html, re.DOTALL)
        form[field] = htmllib.unescape(m.group(1))
    for field in ("description_zh", "description_en"):
        form[field] = htmllib.unescape(re.search(rf'name="{field}" value="([^"]*)"', html).group(1))
    form["action"] = re.search(r'<option value="(\w+)" selected>', html).group(1)
    return form


def by_name(path: Path) -> dict:
    return {d.name: d for d in load_intents(path)}


def intent_audit(store: CatalogStore) -> list:
    return Accounts(store).audit_entries(target_type="intent")


def test_viewer_sees_list_and_intent_but_cannot_save(app, store: CatalogStore, intents_path: Path) -> None:
    client = login(app, "vi")
    page = client.get("/intents")
    assert page.status_code == 200
    assert 'href="/intents"' in page.text  # nav link
    for d in load_intents(intents_path):
        assert f'href="/intents/{d.name}"' in page.text
    assert "New intent" not in page.text
    row = re.search(r'<td class="head" data-intent="ask_price">.*?</tr>', page.text, re.DOTALL).group(0)
    # the description in the UI's language (English here) is the link's text, the name small after it; the Chinese
    # one only as the tooltip
    link = re.search(r'<a class="intent" href="/intents/ask_price" title="([^"]*)">([^<]*)</a> <small class="intent-id">'
                     r'ask_price</small>', row)
    assert link and link.groups() == ("问价格", "asks the price"), row
    counts = re.findall(r'<td class="num"[^>]*>(\d+)', row)
    assert counts == ["12", "8"], row  # zh / en example counts
    detail = client.get("/intents/complaint")
    assert detail.status_code == 200 and 'id="intent-readonly"' in detail.text and "开胶" in detail.text
    assert 'id="intent-form"' not in detail.text
    before = intents_path.read_bytes()
    r = client.post("/intents/ask_price", data={"csrf_token": token_of(detail.text), "action": "silent",
                                                 "examples_zh": "x", "examples_en": ""})
    assert r.status_code == 403 and "editor" in r.text
    r = client.post(
        "/intents/new", data={"csrf_token": token_of(detail.text), "name": "x", "action": "answer", "examples_en": "x"}
    )
    assert r.status_code == 403
    assert intents_path.read_bytes() == before and intent_audit(store) == []
    assert client.get("/intents/nope").status_code == 404


def test_editor_adds_example_file_updated_and_audited(app, store: CatalogStore, intents_path: Path) -> None:
    old = by_name(intents_path)
    client = login(app, "ed")
    form = edit_form(client, "ask_price")
    form["examples_en"] += "\nwhat do I pay for this"
    r = client.post("/intents/ask_price", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/intents/ask_price")
    new = by_name(intents_path)
    assert "what do I pay for this" in new["ask_price"].examples
    assert new["ask_price"].examples[: len(old["ask_price"].examples)] == old["ask_price"].examples
    assert {k: v for k, v in new.items() if k != "ask_price"} == {k: v for k, v in old.items() if k != "ask_price"}
    assert intents_path.read_text(encoding="utf-8").startswith("# LiveReply intent set.")  # header comment kept
    assert not [p for p in intents_path.parent.iterdir() if p.name.endswith(".tmp")]  # no temp file left
    [entry] = intent_audit(store)
    assert (entry.username, entry.role, entry.action, entry.target_id) == ("ed", "editor", "intent.update", "ask_price")
    assert "what do I pay for this" not in entry.before["examples"]["en"]
    assert "what do I pay for this" in entry.after["examples"]["en"]
    assert entry.ts > 0
    page = client.get("/intents/ask_price")
    assert "what do I pay for this" in page.text and "intent.update" in page.text  # history on the page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"examples_zh": "", "examples_en": "  \n"}, "has no examples"),
        ({"action": "shout"}, "action 'shout' not in"),
    ],
)
def test_invalid_edit_shows_error_and_leaves_file(app, store: CatalogStore, intents_path: Path, change, message) -> None:
    before = intents_path.read_bytes()
    client = login(app, "ed")
    form = edit_form(client, "ask_stock")
    form.update(change)
    r = client.post("/intents/ask_stock", data=form)
    assert r.status_code == 400
    text = htmllib.unescape(r.text)
    assert 'id="form-error"' in text and message in text
    assert str(intents_path) in text  # the real file is named, not the temp file
    assert intents_path.read_bytes() == before
    assert not [p for p in intents_path.parent.iterdir() if p.name.endswith(".tmp")]
    assert intent_audit(store) == []


def test_post_without_csrf_is_refused(app, store: CatalogStore, intents_path: Path) -> None:
    before = intents_path.read_bytes()
    client = login(app, "ed")
    form = edit_form(client, "ask_price")
    form.pop("csrf_token")
    form["examples_en"] += "\nsneaky"
    assert client.post("/intents/ask_price", data=form).status_code == 403
    form["csrf_token"] = "forged"
    assert client.post("/intents/ask_price", data=form).status_code == 403
    assert intents_path.read_bytes() == before and intent_audit(store) == []


def test_editor_creates_intent_and_duplicates_or_bad_names_are_refused(app, store: CatalogStore, intents_path: Path) -> None:
    client = login(app, "ed")
    page = client.get("/intents/new")
    assert page.status_code == 200 and 'name="name"' in page.text
    token = token_of(page.text)
    data = {"csrf_token": token, "name": "ask_warranty", "action": "staff",
            "examples_zh": "保修多久\n保修多久\n坏了保修吗", "examples_en": "is there a warranty", "keywords": "保修"}
    r = client.post("/intents/new", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text
    new = by_name(intents_path)["ask_warranty"]
    assert (
        new.action == "staff" and new.examples == ("保修多久", "坏了保修吗", "is there a warranty") and new.keywords == ("保修",)
    )
    [entry] = intent_audit(store)
    assert entry.action == "intent.create" and entry.before is None and entry.after["name"] == "ask_warranty"

    before = intents_path.read_bytes()
    r = client.post("/intents/new", data=data)
    assert r.status_code == 400 and "already exists" in r.text
    r = client.post("/intents/new", data={**data, "name": "Bad Name!"})
    assert r.status_code == 400 and "lowercase" in r.text
    r = client.post("/intents/new", data={**data, "name": "no_examples", "examples_zh": "", "examples_en": ""})
    assert r.status_code == 400 and "has no examples" in r.text and 'value="no_examples"' in r.text  # form kept
    assert intents_path.read_bytes() == before and len(intent_audit(store)) == 1
    assert client.get("/intents").text.count('href="/intents/ask_warranty"') == 1


def test_stale_form_is_refused_instead_of_overwriting_a_newer_edit(app, store: CatalogStore, intents_path: Path) -> None:
    client = login(app, "ed")
    first = edit_form(client, "compare")
    second = edit_form(client, "compare")
    first["keywords"] = "哪个好"
    assert client.post("/intents/compare", data=first, follow_redirects=False).status_code == 303
    after_first = intents_path.read_bytes()
    second["action"] = "silent"
    r = client.post("/intents/compare", data=second)
    assert r.status_code == 400 and "changed by someone else" in r.text
    assert intents_path.read_bytes() == after_first
    assert by_name(intents_path)["compare"].action == "recommend"
