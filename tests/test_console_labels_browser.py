"""Chromium (Playwright) against a real console on the demo catalog: staff of a Chinese shop read FAQs, products and
intents by what they are about, not by their ids. A "new user" walk found 加入 multi-buy (a FAQ id) in the review
banner, FAQ keys on the dashboard, product ids on the synonyms page and English intent descriptions in the Chinese
UI. Each page here is opened in zh-CN (and some in en-US) and the human label must be the primary text, the id only
small beside it or as the tooltip. Hashing embedder (no model download); screenshots go to test-artifacts/."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_login import browser_sign_in, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

require_chromium()

from playwright.sync_api import Browser, Page, expect  # noqa: E402

from bot.bootstrap import build_runtime  # noqa: E402
from bot.console.auth import add_staff  # noqa: E402
from bot.messages import Comment  # noqa: E402
from catalog.room_rules import RoomRules, RuleSpec, ScheduleSpec  # noqa: E402
from tests.fast.fakes import HashEmbedder  # noqa: E402
from tests.live_bot import free_port, serve_catalog_console  # noqa: E402
from tests.runtimes import test_settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
EDITOR = ("labels-editor", "labels-editor-pass")
ADMIN = ("labels-admin", "labels-admin-pass")  # the audit log is for admins
HANDOFF = "情侣款买两件怎么算"
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    tmp: Path = tmp_path_factory.mktemp("labels")
    settings = test_settings(tmp, console_port=free_port())
    runtimes: list[Any] = []

    def make_runtime(store: Any) -> Any:
        add_staff(store, *EDITOR, "editor")
        add_staff(store, *ADMIN, "admin")
        runtimes.append(build_runtime(settings, store=store, embedder=HashEmbedder()))
        return runtimes[0]

    for store, handle in serve_catalog_console(settings, make_runtime):
        now = time.time() - 30
        # a hand-off for the review queue, and answered questions for the dashboard's charts
        store.record_comments([Comment(id="h1", user="u-h1", text=HANDOFF, ts=now, room="show")], received_at=[now])
        store.set_comment_outcomes([("show", "h1", {"status": "staff", "reason": "low confidence",
                                                    "product_id": "stroller-a1", "faq_id": "multi-buy", "score": 0.7,
                                                    "lang": "zh"})])
        answered = [Comment(id=f"a{i}", user=f"u-a{i}", text="买两件有优惠吗", ts=now, room="show") for i in range(3)]
        store.record_comments(answered, received_at=[now] * 3)
        store.set_comment_outcomes([("show", c.id, {"status": "answered", "reason": "match", "product_id": "stroller-a1",
                                                    "faq_id": "multi-buy", "score": 0.95, "lang": "zh"}) for c in answered])
        rules = RoomRules(store)
        rules.save_rule(RuleSpec(id="stroller-fold-rule", reply={"zh": "可以折叠", "en": "it folds"}, contains=("折叠",),
                                 stage="stroller-a1"), create=True)
        rules.save_schedule(ScheduleSpec(id="stroller-hour", every_min=10, messages=({"zh": "{product}在讲解"},),
                                         stage="stroller-a1"), create=True)
        yield handle, store


def sign_in(browser: Browser, handle: Any, locale: str = "zh-CN") -> Page:
    return browser_sign_in(browser, handle.url, *EDITOR, locale=locale)


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"console-labels-{name}.png"), full_page=True)


def test_review_adds_an_example_to_a_faq_named_by_its_question(console: Any, browser: Browser) -> None:
    handle, store = console
    page = sign_in(browser, handle)
    page.goto(handle.url + "/review")
    card = page.locator("section.group", has_text=HANDOFF).first
    select = card.locator("select[name=faq_id]")
    select.select_option("multi-buy")
    assert select.locator("option:checked").inner_text() == "买两件有优惠吗 · multi-buy"  # the question first
    card.get_by_role("button", name="加为例句").click()
    page.wait_for_url(re.compile(r".*/review\?ok="))
    banner = page.locator(".flash.ok").inner_text()
    assert HANDOFF in store.snapshot().faqs["multi-buy"].questions
    assert "加入问答“买两件有优惠吗” (multi-buy)" in banner, banner  # was: 已把“…”加入 multi-buy
    assert "加入 multi-buy" not in banner
    # the "recently handled" table names the FAQ by its question, the id small
    row = page.locator("tr", has_text=HANDOFF).first
    expect(row.locator(".faq-label")).to_have_text("买两件有优惠吗")
    expect(row.locator(".faq-id")).to_have_text("multi-buy")
    shot(page, "review-banner")
    # and so does the audit log's target column
    page = browser_sign_in(browser, handle.url, *ADMIN, locale="zh-CN")
    page.goto(handle.url + "/audit")
    target = page.locator("tr", has_text="添加例句").locator("td.audit-target").first  # faq.add_example
    expect(target.locator(".faq-label")).to_have_text("买两件有优惠吗")
    expect(target.locator(".faq-id")).to_have_text("multi-buy")


def test_dashboard_names_questions_and_products_in_the_staff_language(console: Any, browser: Browser) -> None:
    handle, _store = console
    for locale, question, product in (("zh-CN", "买两件有优惠吗", "轻便婴儿推车A1"),
                                      ("en-US", "discount if I buy two", "A1 Lightweight Stroller")):
        page = sign_in(browser, handle, locale)
        page.goto(handle.url + "/dashboard")
        labels = page.locator("[data-chart=questions] text.label").all_text_contents()
        assert labels and labels[0].startswith(question), labels  # the question, not the key multi-buy
        assert not labels[0].startswith("multi-buy")
        products = page.locator("[data-chart=products] text.label").all_text_contents()
        assert products and products[0].startswith(product), products  # in the UI's language, not stroller-a1
        stock = page.locator("[data-chart=stock] text.label").all_text_contents()
        assert any(t.startswith(product[:12]) for t in stock), stock
        assert not any(t.startswith("stroller-a1") for t in [*products, *stock])
        shot(page, f"dashboard-{locale}")
        page.context.close()


def test_synonyms_page_lists_products_by_name(console: Any, browser: Browser) -> None:
    handle, store = console
    for locale, name in (("zh-CN", "轻便婴儿推车A1"), ("en-US", "A1 Lightweight Stroller")):
        page = sign_in(browser, handle, locale)
        page.goto(handle.url + "/synonyms")
        used = page.locator("#key-rows .used-product[data-product=stroller-a1]").first
        expect(used).to_have_text(name)
        assert used.get_attribute("title") == "stroller-a1"  # the id stays, as the tooltip
        shown = page.locator("#value-rows .used-product").all_inner_texts()
        ids = set(store.snapshot().products)
        assert shown and not ids & set(shown), shown  # no product shown by its id
        if locale == "zh-CN":
            assert all(CJK.search(t) for t in shown), shown
            shot(page, "synonyms")
        page.context.close()


def test_intents_page_shows_descriptions_in_the_staff_language(console: Any, browser: Browser) -> None:
    handle, _store = console
    page = sign_in(browser, handle)
    page.goto(handle.url + "/intents")
    cell = page.locator("#intents td[data-intent=ask_price]")
    expect(cell.locator("a.intent")).to_have_text("问价格")
    expect(cell.locator(".intent-id")).to_have_text("ask_price")
    links = page.locator("#intents td.head a.intent").all_inner_texts()
    assert len(links) >= 13 and all(CJK.search(t) for t in links), links  # every intent by its Chinese description
    table = page.locator("#intents").inner_text()
    assert "asks the price" not in table and "complains or reports" not in table  # no English descriptions
    shot(page, "intents")
    page.goto(handle.url + "/intents/complaint")
    expect(page.locator("h1 .intent")).to_have_text("投诉或售后问题")
    expect(page.locator("h1 .intent-id")).to_have_text("complaint")
    assert page.locator("select[name=action] option:checked").inner_text() == "转人工 · staff"
    page.context.close()
    page = sign_in(browser, handle, "en-US")
    page.goto(handle.url + "/intents")
    expect(page.locator("#intents td[data-intent=ask_price] a.intent")).to_have_text("asks the price")
    assert "问价格" not in page.locator("#intents").inner_text()
    page.context.close()


def test_faq_and_product_lists_and_pages_name_them(console: Any, browser: Browser) -> None:
    handle, _store = console
    page = sign_in(browser, handle)
    page.goto(handle.url + "/faqs")
    cell = page.locator("td.faq-cell[data-faq=stroller-max-load]")
    expect(cell.locator("a")).to_have_text("这款推车承重多少")
    expect(cell.locator(".faq-id")).to_have_text("stroller-max-load")
    row = page.locator("tr", has=cell)
    expect(row.locator("td.product-cell a")).to_have_text("轻便婴儿推车A1")
    assert row.locator("td.product-cell a").get_attribute("title") == "stroller-a1"
    shot(page, "faqs")

    page.goto(handle.url + "/faqs/stroller-max-load")
    expect(page.locator("h1 .faq-label")).to_have_text("这款推车承重多少")
    assert page.locator("select[name=product_id] option:checked").inner_text() == "轻便婴儿推车A1 · stroller-a1"

    page.goto(handle.url + "/products")
    head = page.locator("td.product-cell[data-product=stroller-a1]")
    expect(head.locator("a")).to_have_text("轻便婴儿推车A1")
    expect(head.locator(".product-id")).to_have_text("stroller-a1")

    page.goto(handle.url + "/products/stroller-a1")
    expect(page.locator("h1 .product-name")).to_have_text("轻便婴儿推车A1")
    faq = page.locator("li[data-faq=stroller-max-load]")
    expect(faq.locator("a")).to_have_text("这款推车承重多少")
    expect(faq.locator(".faq-id")).to_have_text("stroller-max-load")


def test_rules_and_schedules_name_the_product_on_stage(console: Any, browser: Browser) -> None:
    handle, _store = console
    page = sign_in(browser, handle)
    for path in ("/rules", "/schedules"):
        page.goto(handle.url + path)
        stage = page.locator("a.stage[href='/products/stroller-a1']")
        expect(stage).to_have_text("轻便婴儿推车A1")
        assert stage.get_attribute("title") == "stroller-a1"
    page.goto(handle.url + "/rules/stroller-fold-rule")
    assert page.locator("#rule-stage option:checked").inner_text() == "轻便婴儿推车A1 · stroller-a1"
    page.goto(handle.url + "/schedules/stroller-hour")
    assert page.locator("#schedule-stage option:checked").inner_text() == "轻便婴儿推车A1 · stroller-a1"


def test_try_page_names_the_faq_and_the_product(console: Any, browser: Browser) -> None:
    handle, store = console
    faqs = store.snapshot().faqs
    page = sign_in(browser, handle)
    page.goto(handle.url + "/try?q=%E6%8E%A8%E8%BD%A6%E6%89%BF%E9%87%8D%E5%A4%9A%E5%B0%91&stage=stroller-a1")  # 推车承重多少
    fact = page.locator("dd.faq-fact")
    faq_id = fact.locator(".faq-id").inner_text()
    label = fact.locator(".faq-label").inner_text()
    assert faq_id in faqs and label != faq_id
    assert any(q.startswith(label.rstrip("…")) for q in faqs[faq_id].questions) and CJK.search(label), label
    for cell in page.locator("td.faq-cell").all():  # the top matches: question first, id small
        assert cell.locator(".faq-label").inner_text() != cell.locator(".faq-id").inner_text()
    assert "轻便婴儿推车A1" in page.locator("#try-result").inner_text()
    shot(page, "try")


def test_stock_import_preview_names_the_product_of_each_sku(console: Any, browser: Browser, tmp_path: Path) -> None:
    handle, store = console
    csv = tmp_path / "stock.csv"
    csv.write_text("sku,stock\nA1-GREY,7\n", encoding="utf-8")
    for locale, name, colour in (("zh-CN", "轻便婴儿推车A1", "雾霾灰"), ("en-US", "A1 Lightweight Stroller", "haze grey")):
        page = sign_in(browser, handle, locale)
        page.goto(handle.url + "/io")
        page.set_input_files("#import-form input[name=file]", str(csv))
        page.click("#import-form button[type=submit]")
        cell = page.locator("#stock-changes tr[data-sku=A1-GREY] td.sku-product")
        expect(cell.locator(".product-name")).to_have_text(name)
        assert cell.locator(".product-name").get_attribute("title") == "stroller-a1"
        expect(cell.locator("small")).to_have_text(colour)  # the variant's value in the staff language
        if locale == "zh-CN":
            shot(page, "stock-preview")
        page.context.close()
    assert store.variant("A1-GREY").stock != 7  # type: ignore[union-attr]  # a preview writes nothing
