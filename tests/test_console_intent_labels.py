"""Intents as staff read them (bot/console/intent_labels.py): the FAQ list, the FAQ page and the FAQ editor show
an intent's description from the intent file in the staff language, the name secondary; without a description the
name. Descriptions are escaped, re-read when the file changes; the editor still takes a name not in the file.

Pure functions first, then HTTP (TestClient) on a real SQLite store and a tmp copy of data/intents.yaml."""

from __future__ import annotations

import html as htmllib
import os
import re
from pathlib import Path

import pytest
import yaml
from starlette.testclient import TestClient

from bot.config import Settings
from bot.console import i18n
from bot.console.intent_labels import (
    OTHER_INTENT,
    intent_actions,
    intent_choice,
    intent_descriptions,
    intent_label,
    intent_options,
    intent_tag,
    intent_warning,
    split_options,
)
from bot.console.reasons import explain
from bot.console.server import create_app
from catalog.store import CatalogStore
from tests import test_console
from tests.console_forms import signed_in_client
from tests.test_console import PASSWORDS, token_of

INTENTS = Path(__file__).resolve().parents[1] / "data" / "intents.yaml"
EVIL = '<img src=x onerror="alert(1)">&优惠'

template_db = test_console.template_db
store = test_console.store


def write_intents(path: Path, edit: dict[str, object]) -> None:
    """The demo intent file with some descriptions replaced (None: removed)."""
    data = yaml.safe_load(INTENTS.read_text(encoding="utf-8"))
    for item in data["intents"]:
        if item["name"] in edit:
            if edit[item["name"]] is None:
                item.pop("description", None)
            else:
                item["description"] = edit[item["name"]]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture()
def intents_path(tmp_path: Path) -> Path:
    path = tmp_path / "intents.yaml"
    write_intents(path, {"ask_size": None, "ask_discount": {"zh": EVIL, "en": "asks about coupons"}})
    return path


@pytest.fixture()
def app(store: CatalogStore, intents_path: Path):
    return create_app(store, Settings(db=str(store.engine.url), intents=str(intents_path)))


def login(app, username: str) -> TestClient:  # type: ignore[no-untyped-def]
    return signed_in_client(app, username, PASSWORDS[username], language="zh-CN")


def intent_cell(html: str, faq_id: str) -> str:
    # the FAQ's row: its cell carries the id (the link shows the FAQ's question, the id small after it)
    row = re.search(rf'<td class="head faq-cell" data-faq="{re.escape(faq_id)}">.*?</td>(.*?)</tr>', html, re.DOTALL)
    assert row, f"no row for {faq_id}"
    return re.search(r'<td data-label="[^"]*" class="intent-cell">(.*?)</td>', row.group(1), re.DOTALL).group(1)


# ------------------------------------------------------------------------------------------ pure (fast)


def test_label_in_the_ui_language_else_the_other_else_the_name(tmp_path: Path) -> None:
    path = tmp_path / "intents.yaml"
    write_intents(path, {"ask_size": None, "compare": {"en": "compares two products"}})
    d = intent_descriptions(path)
    assert list(d)[:2] == ["ask_price", "ask_stock"]  # file order
    assert intent_label("ask_price", d, "zh_CN") == "问价格" and intent_label("ask_price", d, "en") == "asks the price"
    assert intent_label("compare", d, "zh_CN") == "compares two products"  # only English: better than the name
    assert intent_label("ask_size", d, "zh_CN") == "ask_size" and intent_choice("ask_size", d, "zh_CN") == "ask_size"
    assert intent_label("ask_host", d, "zh_CN") == "ask_host"  # not in the file at all
    assert intent_choice("ask_price", d, "zh_CN") == "问价格 (ask_price)"
    assert str(intent_tag("ask_size", d, "zh_CN")) == '<code class="intent-id">ask_size</code>'
    options = intent_options(d, ["ask_price", "ask_host"], "ask_new", "zh_CN")
    assert options[0] == ("ask_price", "问价格 (ask_price)")
    assert [v for v, _ in options][-2:] == ["ask_host", "ask_new"]  # used by FAQs, then the current value
    assert [v for v, _ in intent_options(d, [], OTHER_INTENT, "zh_CN")] == list(d)


def test_escaped_and_reread_when_the_file_changes_and_nothing_when_it_is_broken(tmp_path: Path) -> None:
    path = tmp_path / "intents.yaml"
    write_intents(path, {"ask_price": {"zh": EVIL}})
    d = intent_descriptions(path)
    tag = str(intent_tag("ask_price", d, "zh_CN"))
    assert "<img" not in tag and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;&amp;优惠" in tag
    assert 'title="ask_price"' in tag and '<small class="intent-id">ask_price</small>' in tag
    write_intents(path, {"ask_price": {"zh": "问多少钱"}})
    os.utime(path, ns=(1, 1))  # a different mtime even on a coarse clock
    assert intent_label("ask_price", intent_descriptions(path), "zh_CN") == "问多少钱"
    path.write_text("intents: [unclosed", encoding="utf-8")
    assert intent_descriptions(path) == {}
    assert intent_descriptions(tmp_path / "missing.yaml") == {}
    assert intent_label("ask_price", {}, "zh_CN") == "ask_price"


def test_reasons_name_intents_by_their_description_unknown_ones_by_name(tmp_path: Path) -> None:
    path = tmp_path / "intents.yaml"
    write_intents(path, {"compare": {"en": "compares two products"}})
    d = intent_descriptions(path)
    assert explain("intent want_recommendation", "zh_CN", d) == "意图：让主播推荐买什么 (want_recommendation)"
    assert explain("intent want_recommendation", "en", d) == "intent asks what to buy (want_recommendation)"
    assert explain("intent compare", "zh_CN", d) == "意图：compares two products (compare)"  # only English: still better
    assert explain("intent ask_host", "zh_CN", d) == "意图：ask_host"  # not in the file: the name
    assert explain("intent ask_host: never auto-answered", "zh_CN", d) == "意图：ask_host，总是转人工"
    assert explain("intent want_recommendation; a statement, not a request", "zh_CN", d) == (
        "意图：让主播推荐买什么 (want_recommendation)；这是陈述，不是提问"
    )
    assert explain("intent want_recommendation", "zh_CN") == "意图：want_recommendation"  # no descriptions given
    assert explain("intent complaint: never auto-answered", "zh_CN", d) == "投诉，一律转人工"  # the known ones as before


def test_never_answered_intents_are_listed_apart_and_warned_about() -> None:
    d, actions = intent_descriptions(INTENTS), intent_actions(INTENTS)
    assert actions["ask_price"] == "answer" and actions["complaint"] == "staff" and actions["spam"] == "silent"
    with i18n.language("zh_CN"):
        answered, never = split_options(intent_options(d, ["ask_host"], "", "zh_CN"), actions)
        warning = intent_warning("complaint", d, actions)
        assert intent_warning("chit_chat", d, actions).startswith("注意：这条问答归在「闲聊、打招呼、刷屏互动」下，机器人对")
    assert [v for v, _ in never] == ["complaint", "chit_chat", "spam"]
    assert never[0][1] == "投诉或售后问题 (complaint) · 转人工" and never[1][1] == "闲聊、打招呼、刷屏互动 (chit_chat) · 不回复"
    assert "ask_price" in dict(answered) and "want_recommendation" in dict(answered) and "ask_host" in dict(answered)
    assert warning.startswith("注意：这条问答归在「投诉或售后问题」下") and "转给人工" in warning
    assert intent_warning("ask_price", d, actions) == "" and intent_warning("ask_host", d, actions) == ""
    assert intent_warning(None, d, actions) == ""


# ------------------------------------------------------------------------------------------ HTTP


def test_faq_list_shows_descriptions_escaped_and_falls_back_to_the_name(app, store: CatalogStore) -> None:
    client = login(app, "vi")
    page = client.get("/faqs")
    assert page.status_code == 200
    assert intent_cell(page.text, "price") == (
        '<span class="intent" title="ask_price">问价格</span> <small class="intent-id">ask_price</small>'
    )
    assert intent_cell(page.text, "sizes-in-stock") == '<code class="intent-id">ask_size</code>'  # no description
    coupon = intent_cell(page.text, "coupon")
    assert "<img" not in coupon and htmllib.unescape(re.search(r">([^<]*)</span>", coupon).group(1)) == EVIL
    english = client.get("/faqs", headers={"Accept-Language": "en"}).text
    assert ">asks the price</span>" in intent_cell(english, "price")
    readonly = client.get("/faqs/price").text  # a viewer's read-only FAQ page
    assert '<dd><span class="intent" title="ask_price">问价格</span>' in readonly


def test_faq_editor_offers_descriptions_and_still_takes_a_new_name(app, store: CatalogStore) -> None:
    client = login(app, "ed")
    form = client.get("/faqs/new")
    assert '<option value="ask_price">问价格 (ask_price)</option>' in form.text
    assert '<option value="ask_size">ask_size</option>' in form.text  # no description: the name
    assert f'<option value="{OTHER_INTENT}">' in form.text and 'name="intent_other"' in form.text
    assert "<img" not in form.text.split('id="intent-select"')[1].split("</select>")[0]
    edit = client.get("/faqs/price").text
    assert '<option value="ask_price" selected>问价格 (ask_price)</option>' in edit
    base = {"csrf_token": token_of(form.text), "questions": "保修多久\n保修几年\n有保修吗", "answer_zh": "保修一年。"}

    r = client.post(
        "/faqs/new",
        data={**base, "id": "warranty", "intent": OTHER_INTENT, "intent_other": "ask_warranty"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert store.snapshot().faqs["warranty"].intent == "ask_warranty"  # a name the intent file lacks: accepted as before
    assert '<option value="ask_warranty">ask_warranty</option>' in client.get("/faqs/new").text  # now offered

    r = client.post("/faqs/new", data={**base, "id": "warranty-2", "intent": OTHER_INTENT, "intent_other": " "})
    assert r.status_code == 400 and "warranty-2" not in store.snapshot().faqs  # "other…" with no name: refused
    r = client.post(
        "/faqs/new", data={**base, "id": "warranty-3", "intent": "ask_spec", "intent_other": "ignored"}, follow_redirects=False
    )
    assert r.status_code == 303 and store.snapshot().faqs["warranty-3"].intent == "ask_spec"


def test_intent_page_edit_shows_on_the_faq_list(app, store: CatalogStore, intents_path: Path) -> None:
    client = login(app, "vi")
    assert intent_cell(client.get("/faqs").text, "sizes-in-stock") == '<code class="intent-id">ask_size</code>'
    write_intents(intents_path, {"ask_size": {"zh": "问尺码"}})
    os.utime(intents_path, ns=(2, 2))
    assert '<span class="intent" title="ask_size">问尺码</span>' in intent_cell(client.get("/faqs").text, "sizes-in-stock")


def test_missing_intent_file_shows_names(store: CatalogStore, tmp_path: Path) -> None:
    app = create_app(store, Settings(db=str(store.engine.url), intents=str(tmp_path / "nope.yaml")))
    client: TestClient = login(app, "ed")
    assert intent_cell(client.get("/faqs").text, "price") == '<code class="intent-id">ask_price</code>'
    assert '<option value="ask_price" selected>ask_price</option>' in client.get("/faqs/price").text
