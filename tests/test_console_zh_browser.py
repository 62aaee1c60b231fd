"""The Chinese console as a Chinese staff member meets it: no English UI words on the pages they use every day.

Real Chromium (zh-CN) signs in through the login form, opens a set of pages — with comments the bot stayed silent on,
handed over or blocked, so the live feed shows its reasons — and submits broken things through the real forms (an
answer template with an unknown placeholder, a catalog file with several problems, a stock CSV with an unknown SKU).
Every visible text node, tooltip, placeholder and aria-label is read; what the shop wrote (the catalog's own strings,
comment texts, user names, what the test typed), code samples (<code>, <pre> but for messages) and text marked as
another language (`lang=`) are taken out, and any Latin word left that is not a code from a small allow-list is a
failure, reported with the page and its text. About 10 s.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.console.server import ConsoleHandle
from bot.messages import Comment
from catalog.io import dump_catalog
from catalog.store import CatalogStore
from tests import test_console
from tests.browser_login import close_pages, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.console]

require_chromium()

from playwright.sync_api import Page  # noqa: E402

from tests.browser_login import fill_login  # noqa: E402
from tests.live_bot import serve_console  # noqa: E402

store = test_console.store
template_db = test_console.template_db

# codes and names that are meant to stay as they are in the Chinese UI
ALLOWED = {
    "LiveReply", "SKU", "FAQ", "CSV", "YAML", "CNY", "ms", "XL", "XXL", "p50", "p99", "argon2id",
    "zh", "en", "ja", "ko", "th", "vi", "id", "es",  # language codes next to their names
    "UTC", "CST", "GMT",  # the server's time zone after a time (bot/console/web.py format_ts)
}
# intent names (ask_price), phrase keys (stock.plenty), catalog / rules versions (v12)
IDENTIFIER = re.compile(r"^(?:[a-z0-9]+(?:[_.][a-z0-9]+)+|v\d+)$")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.'’-]*[A-Za-z0-9]|[A-Za-z]{2,}")
# the catalog file's own keys (its strings are the shop's data, its keys are not)
SCHEMA_KEYS = {"version", "currency", "products", "faqs", "id", "name", "aliases", "category", "price", "tags",
               "description", "attributes", "variants", "sku", "attrs", "stock", "labels", "size_chart", "wording",
               "product", "intent", "questions", "answer", "synonyms", "values", "exported_at"}

# comments with what the bot decided and why (its English reasons, as the pipeline writes them)
COMMENTS = [
    ("z1", "这个颜色显白吗", "silent", "below threshold"),
    ("z2", "能便宜点吗", "staff", "low confidence"),
    ("z3", "我要投诉你们的客服", "staff", "intent complaint: never auto-answered"),
    ("z4", "主播今天好美", "silent", "intent chit_chat"),
    ("z5", "🎉🎉", "silent", "emoji only"),
    ("z6", "加我微信领红包", "silent", "moderation: contact details or a link"),
    ("z7", "刷单返现了解一下", "silent", "moderation: blocked word 「刷单」"),
    ("z8", "两个都想要哪个好", "staff", "ambiguous between two FAQs"),
]
# what the test types into the forms (ids, file names, a SKU): the staff member's own words, not UI
TYPED = {"broken.yaml", "stock.csv", "tee-x", "cup-x", "NOPE-1", "prise"}
BROKEN_YAML = """products:
  - id: tee-x
    name: {zh: 测试T恤}
    price: abc
    colour: red
  - id: cup-x
    price: 10
"""
TEXT_JS = """() => {
  const skip = 'code, pre:not(.flash), kbd, samp, script, style, template, .lang-switch, [lang]:not(html)';
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest(skip) || !n.textContent.trim()) continue;
    if (!el.closest('svg') && !el.getClientRects().length && !el.closest('details, [hidden]')) continue;
    out.push(n.textContent.trim());
  }
  for (const el of document.querySelectorAll('[title], [placeholder], [aria-label]')) {
    if (el.closest(skip)) continue;
    for (const a of ['title', 'placeholder', 'aria-label']) { const v = el.getAttribute(a); if (v) out.push(v); }
  }
  return out;
}"""


@pytest.fixture()
def live(store: CatalogStore, monkeypatch: pytest.MonkeyPatch) -> Iterator[ConsoleHandle]:
    yield from serve_console(store, monkeypatch, "zh-ui-test-pw-1")


def shop_strings(store: CatalogStore) -> re.Pattern[str]:
    """Everything the shop wrote (catalog strings, comment texts, user names) as whole words, longest first."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if str(key) not in SCHEMA_KEYS:
                    found.add(str(key))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str | int | float) and not isinstance(node, bool):
            found.add(str(node))

    walk(yaml.safe_load(dump_catalog(store)))
    found |= {text for _, text, _, _ in COMMENTS} | {"admin1", "staff", "ed", "vi"}
    found |= {"local"}  # the console's room name (its --room-name), shown on the live page's room settings
    found |= {f"viewer{i}" for i in range(len(COMMENTS))} | TYPED
    words = sorted((s for s in found if s.strip()), key=len, reverse=True)
    return re.compile("|".join(f"(?<![A-Za-z0-9_]){re.escape(w)}(?![A-Za-z0-9_])" for w in words))


def english_words(texts: list[str], shop: re.Pattern[str], allowed: frozenset[str] = frozenset()) -> list[str]:
    """The texts that still carry a Latin word once the shop's own strings are taken out."""
    bad = []
    for text in texts:
        rest = shop.sub(" ", text)
        rest = re.sub(r"\{[^{}]*\}", " ", rest)  # answer-template placeholders ({product}, {stock:XL})
        words = [w for w in WORD.findall(rest) if w not in ALLOWED | allowed and not IDENTIFIER.match(w)]
        if words:
            bad.append(f"{text!r} -> {words}")
    return bad


def seed(store: CatalogStore) -> None:
    now = time.time()
    for i, (cid, text, status, reason) in enumerate(COMMENTS):
        store.record_comment(Comment(id=cid, user=f"viewer{i}", text=text, ts=now + i), received_at=now + i * 0.01)
        store.set_comment_outcome(cid, status=status, reason=reason, lang="zh")


def read(
    page: Page, label: str, shop: re.Pattern[str], found: dict[str, list[str]], allowed: frozenset[str] = frozenset()
) -> None:
    assert page.get_attribute("html", "lang") == "zh-CN", label
    bad = english_words(page.evaluate(TEXT_JS), shop, allowed)
    if bad:
        found[label] = bad


def upload(page: Page, base: str, tmp: Path, name: str, content: str) -> None:
    path = tmp / name
    path.write_text(content, encoding="utf-8")
    page.goto(base + "/io")
    page.set_input_files("#import-form input[name=file]", str(path))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#import-error")


def test_chinese_pages_show_no_english_ui_words(live: ConsoleHandle, store: CatalogStore, tmp_path: Path, browser) -> None:
    seed(store)
    shop = shop_strings(store)
    snap = store.snapshot()
    product_id = next(iter(snap.products))
    faq_id = next(f.id for f in snap.faqs.values() if "zh" in f.answers)
    found: dict[str, list[str]] = {}
    try:
        page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
        page.goto(live.url + "/login")
        read(page, "/login", shop, found)
        fill_login(page, live.url, "admin1", test_console.PASSWORDS["admin1"])
        for path in ["/dashboard", "/products", f"/products/{product_id}", "/faqs", f"/faqs/{faq_id}", "/review",
                     "/try", "/io", "/audit", "/staff", "/account", "/rules", "/schedules", "/words/banned",
                     "/no-such-page"]:
            page.goto(live.url + path)
            read(page, path, shop, found)
        # the live feed: every seeded comment with the bot's reason in Chinese
        page.goto(live.url + "/live")
        page.wait_for_selector('#feed li[data-key="local|z8"] .reason, #feed li[data-key="|z8"] .reason', timeout=10_000)
        read(page, "/live", shop, found)
        # broken input through the real forms: the messages staff get back
        page.goto(live.url + f"/faqs/{faq_id}")
        page.fill("#answer_zh", "{prise}元")
        page.click("#faq-form button.primary")
        page.wait_for_selector(".flash.error")
        read(page, "FAQ saved with {prise}", shop, found)
        upload(page, live.url, tmp_path, "broken.yaml", BROKEN_YAML)
        read(page, "broken catalog YAML", shop, found, frozenset(SCHEMA_KEYS))  # the file's keys are named as they are
        shown = page.inner_text("#import-error")  # one problem per line, with its line number, the Chinese way
        assert "broken.yaml 第 5 行：商品：不认识的键「colour」" in shown
        assert "broken.yaml 第 6 行：商品「cup-x」缺少必填项「name」" in shown
        upload(page, live.url, tmp_path, "stock.csv", "sku,stock\nNOPE-1,3\n")
        read(page, "stock CSV with an unknown SKU", shop, found)
        # on a phone the FAQ list is one card per FAQ (table.stack), each value labelled: nothing scrolls sideways
        page.set_viewport_size({"width": 375, "height": 740})
        for path in ("/faqs", "/products", "/intents"):  # the FAQ, product and intent lists
            page.goto(live.url + path)
            table = page.locator("table.stack")
            assert table.evaluate("t => t.closest('.scroll').scrollWidth <= t.closest('.scroll').clientWidth + 1"), path
            label = page.evaluate(
                "getComputedStyle(document.querySelector('table.stack td[data-label]'), '::before').content"
            )
            assert "：" in label, (path, label)
    finally:
        close_pages(browser)
    report = "\n".join(f"{label}:\n  " + "\n  ".join(lines) for label, lines in found.items())
    assert not found, f"English UI words on Chinese pages:\n{report}"
