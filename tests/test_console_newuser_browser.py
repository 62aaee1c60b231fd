"""What a new staff member ran into, driven through the real pages in Chromium (Playwright): a hand-off answered with
no bot running shows as answered by staff on the live page too (answered from the review queue or from the live page);
the review queue puts hand-offs first, filters them, and only pre-selects a FAQ for real questions; FAQ choices and
the dashboard's top questions read as questions, not ids; latency above 1 s in seconds; the top nav on one line at
1366 px; and "try a question" of a console sharing the bot's runtime (`livereply demo --keep-console`) answers from
the catalog as edited after the replay ended."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_login import browser_sign_in, demo_console, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

require_chromium()

from playwright.sync_api import Browser, Page, expect  # noqa: E402

from bot.bootstrap import build_runtime, ensure_catalog, open_store  # noqa: E402
from bot.console.server import PASSWORD_ENV, start_console_thread  # noqa: E402
from bot.messages import Comment, Reply  # noqa: E402
from catalog.accounts import Accounts  # noqa: E402
from catalog.store import CatalogStore  # noqa: E402
from tests.fast.fakes import HashEmbedder  # noqa: E402
from tests.live_bot import free_port  # noqa: E402
from tests.runtimes import test_settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "newuser-browser-pw-1"
ROOM = "local"


@pytest.fixture()
def console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[CatalogStore, Any]]:
    """The console over the demo catalog, no bot running, hand-offs alerting after 1 s."""
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with demo_console(tmp_path / "newuser.db", handoff_alert_s=1) as (store, handle):
        yield store, handle


def log_comment(store: CatalogStore, cid: str, text: str, received_at: float, **outcome: Any) -> None:
    """A comment as the bot logs it: received, then decided (`outcome`: status, reason, faq_id, score, intent, …)."""
    store.record_comments([Comment(id=cid, user=f"u-{cid}", text=text, ts=received_at, room=ROOM)], received_at=[received_at])
    store.set_comment_outcomes([(ROOM, cid, outcome)])


def sign_in(browser: Browser, url: str, *, locale: str = "zh-CN", width: int = 1280) -> Page:
    return browser_sign_in(browser, url, "staff", PASSWORD, locale=locale, width=width)


def test_handoffs_answered_without_a_bot_show_as_answered_by_staff_everywhere(console, browser: Browser) -> None:
    store, handle = console
    old = time.time() - 120
    log_comment(
        store,
        "h1",
        "上次买的袜子少发了一双",
        old,
        status="staff",
        reason="intent complaint: never auto-answered",
        intent="complaint",
        faq_id="shipping-free",
        score=0.66,
        lang="zh",
    )
    log_comment(
        store,
        "h2",
        "宝宝推车能上飞机吗",
        old + 1,
        status="staff",
        reason="low confidence",
        intent="ask_spec",
        faq_id="shipping-free",
        score=0.55,
        lang="zh",
    )
    now = time.time()
    # newer than the hand-offs: silent chit-chat and a "question" nothing recognised (closest FAQ: invoice)
    for i, text in enumerate(["主播好美", "哈哈哈", "来了来了", "主播辛苦了"]):
        log_comment(
            store,
            f"c{i}",
            text,
            now - 30 + i,
            status="silent",
            reason="intent chit_chat",
            intent="chit_chat",
            faq_id="order-thanks",
            score=0.5,
            lang="zh",
        )
    log_comment(
        store,
        "s1",
        "看我头像 ↑↑↑ 有福利",
        now - 20,
        status="silent",
        reason="below threshold",
        faq_id="invoice",
        score=0.31,
        lang="zh",
    )
    log_comment(
        store,
        "q1",
        "明天还播吗",
        now - 10,
        status="silent",
        reason="below threshold",
        faq_id="delivery-time",
        score=0.69,
        lang="zh",
    )

    live = sign_in(browser, handle.url)
    errors: list[Any] = []
    live.on("pageerror", lambda exc: errors.append(exc))
    live.goto(handle.url + "/live")
    h1, h2 = live.locator(f'#feed li[data-key="{ROOM}|h1"]'), live.locator(f'#feed li[data-key="{ROOM}|h2"]')
    expect(h1.locator("form.answer-now")).to_be_visible(timeout=10_000)
    expect(live.locator("#live")).to_have_attribute("data-overdue", "2", timeout=10_000)

    review = sign_in(browser, handle.url)
    review.goto(handle.url + "/review")
    # hand-offs first by default, ahead of the newer silent comments
    assert review.locator("#review-sort b[data-sort=handoff]").count() == 1
    cards = review.locator("main > section.group")
    assert cards.nth(0).get_attribute("data-handoff") == "1" and cards.nth(1).get_attribute("data-handoff") == "1"
    assert {cards.nth(0).locator(".qtext").inner_text(), cards.nth(1).locator(".qtext").inner_text()} == {
        "上次买的袜子少发了一双",
        "宝宝推车能上飞机吗",
    }

    # "add as example": no FAQ chosen for a complaint or a comment nothing took for a question; kept for a real
    # low-confidence question. The choices read as questions, the id after them.
    def card(text: str) -> Any:
        return review.locator("main > section.group", has=review.locator(".qtext", has_text=text))

    assert card("看我头像").locator("form[action='/review/example'] select").input_value() == ""
    assert card("上次买的袜子").locator("form[action='/review/example'] select").input_value() == ""
    assert card("宝宝推车").locator("form[action='/review/example'] select").input_value() == "shipping-free"
    chosen = card("宝宝推车").locator("form[action='/review/example'] select option:checked").inner_text()
    assert chosen.endswith("· shipping-free") and re.search(r"[\u4e00-\u9fff]", chosen), chosen
    # clicking "add as example" with nothing chosen adds nothing (the browser asks for a FAQ)
    card("看我头像").get_by_role("button", name="加为例句").click()
    assert review.locator(".flash.ok").count() == 0
    assert "看我头像 ↑↑↑ 有福利" not in store.snapshot().faqs["invoice"].questions
    # the hand-offs-only filter
    review.click("#only-handoffs")
    expect(review.locator("main > section.group")).to_have_count(2)
    assert review.locator("main > section.group[data-handoff='0']").count() == 0
    review.screenshot(path=str(ARTIFACTS / "review-handoffs-only.png"), full_page=True)

    # answered from the review queue with no bot running: recorded, and the open live page follows without a reload
    complaint = card("上次买的袜子")
    complaint.locator("form[action='/review/answer'] input[name=text]").fill("马上给您补发一双")
    complaint.get_by_role("button", name="立即回复").click()
    expect(review.locator(".flash.ok")).to_contain_text("人工回复")
    expect(h1).to_have_attribute("data-staff-answered", "1", timeout=10_000)
    expect(h1.locator(".chip.status")).to_have_text("员工已回复")
    expect(h1.locator(".chip.pending")).to_have_text("尚未发到直播间")
    expect(h1.locator(".reply")).to_contain_text("马上给您补发一双")
    assert h1.locator("form.answer-now").count() == 0
    expect(live.locator("#live")).to_have_attribute("data-overdue", "1", timeout=10_000)

    # answered from the live page's own form, still no bot: the row turns answered by staff, no alert left
    h2.locator("form.answer-now input[name=text]").fill("可以的，折叠后能带上飞机")
    h2.locator("form.answer-now button").click()
    expect(live.locator(".flash.error")).to_contain_text("机器人没有运行")
    h2 = live.locator(f'#feed li[data-key="{ROOM}|h2"]')
    expect(h2).to_have_attribute("data-staff-answered", "1", timeout=10_000)
    expect(h2.locator(".chip.status")).to_have_text("员工已回复")
    assert h2.locator("form.answer-now").count() == 0
    expect(live.locator("#live")).to_have_attribute("data-overdue", "0", timeout=10_000)
    expect(live.locator("#alert-badge")).to_be_hidden()
    live.screenshot(path=str(ARTIFACTS / "live-staff-answered-no-bot.png"), full_page=True)
    assert not errors

    review.goto(handle.url + "/review?only=handoffs")
    assert review.locator("main > section.group").count() == 0


def test_dashboard_reads_in_chinese_and_the_nav_fits_at_1366(console, browser: Browser) -> None:
    store, handle = console
    now = time.time()
    for i in range(6):
        log_comment(
            store, f"d{i}", "包邮吗", now - 20 + i, status="answered", faq_id="shipping-free", product_id="stroller-a1", lang="zh"
        )
        # the reply posted 6.6 s later: it waited in the room's send queue
        store.record_reply(Reply(reply_to=(f"d{i}",), text="包邮", lang="zh", room=ROOM, ts=now - 20 + i + 6.6))
    page = sign_in(browser, handle.url, width=1366)
    page.goto(handle.url + "/dashboard")
    p50 = page.locator("[data-ms='latency_ms.p50']")
    expect(p50).to_have_text("6.6 秒")
    expect(page.locator("#latency-hint")).to_contain_text("限速")
    labels = page.locator("[data-chart=questions] text.label")
    first = labels.first.text_content() or ""
    assert re.match(r"[\u4e00-\u9fff]", first) and first.endswith(" shipping-free"), first  # question first, id after
    # the numbers again after the page's own poll (console.js): still seconds
    expect(page.locator("#dashboard")).to_have_attribute("data-updated", re.compile(r"\d"), timeout=10_000)
    expect(p50).to_have_text("6.6 秒")
    page.screenshot(path=str(ARTIFACTS / "dashboard-1366.png"))
    for locale in ("zh-CN", "en-US"):
        nav = sign_in(browser, handle.url, locale=locale, width=1366) if locale != "zh-CN" else page
        nav.goto(handle.url + "/staff")
        nav.screenshot(path=str(ARTIFACTS / f"nav-1366-{locale}.png"), clip={"x": 0, "y": 0, "width": 1366, "height": 120})
        tops = nav.eval_on_selector_all("header.top nav a", "els => els.map(e => e.getBoundingClientRect().top)")
        assert len(tops) == 11 and len({round(t) for t in tops}) == 1, (locale, tops)
        header = nav.eval_on_selector("header.top", "e => e.getBoundingClientRect().height")
        assert header < 60, (locale, header)


def test_try_page_of_a_console_sharing_the_bots_runtime_follows_catalog_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser: Browser
) -> None:
    """As `livereply demo --keep-console` after the replay: the console got the bot's runtime, nobody reloads it."""
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    settings = test_settings(tmp_path, console_port=free_port())
    store = open_store(settings)
    ensure_catalog(store, settings, replace=True)
    runtime = build_runtime(settings, store=store, embedder=HashEmbedder())
    handle = start_console_thread(store, settings, runtime)
    question, answer = "能寄到火星吗", "火星暂不发货，地球上全国包邮。"
    try:
        page = sign_in(browser, handle.url)
        page.goto(handle.url + "/try?q=" + question)
        expect(page.locator("#try-result")).not_to_contain_text(answer)
        # staff add the question as an example and change the answer, through the FAQ editor
        page.goto(handle.url + "/faqs/shipping-free")
        page.locator("#question-rows li").last.locator("input").fill(question)
        page.fill("#answer_zh", answer)
        page.click("#save-faq")
        expect(page.locator(".flash.ok")).to_be_visible()
        page.goto(handle.url + "/try?q=" + question)
        expect(page.locator("#try-result")).to_contain_text(answer)
        expect(page.locator("#try-result")).to_contain_text("shipping-free")
    finally:
        handle.stop()
        store.close()


def test_a_refused_staff_save_keeps_the_name_and_role_typed(console, browser: Browser) -> None:
    """An admin adds 小王 as editor with a too short password: the form came back empty with the role on the list's
    first (只读), so typing the name and a longer password again saved 小王 as a viewer."""
    store, handle = console
    page = sign_in(browser, handle.url)
    page.goto(handle.url + "/staff")
    form = page.locator("form[action='/staff']")
    form.locator("input[name=username]").fill("小王")
    form.locator("select[name=role]").select_option("editor")
    form.locator("input[name=password]").fill("abc")
    form.locator("button[type=submit]").click()
    expect(page.locator(".flash.error")).to_have_text("密码至少需要 8 个字符")
    expect(form.locator("input[name=username]")).to_have_value("小王")
    expect(form.locator("select[name=role]")).to_have_value("editor")
    expect(form.locator("input[name=password]")).to_have_value("")  # a password is never sent back
    form.locator("input[name=password]").fill("xiaowang-pw-123")
    form.locator("button[type=submit]").click()
    expect(page.locator(".flash.ok")).to_contain_text("小王")
    assert Accounts(store).get_user("小王").role == "editor"


def test_a_schedule_interval_that_is_no_number_is_said_so(console, browser: Browser) -> None:
    """"五" typed for the interval read "间隔须在 1 到 1440 分钟之间（0 分钟会刷屏直播间）", as if 0 had been typed."""
    _store, handle = console
    page = sign_in(browser, handle.url)
    page.goto(handle.url + "/schedules/new")
    page.fill("#schedule-id", "follow-reminder")
    page.fill("#schedule-every", "五")
    page.fill("#message1_zh", "喜欢主播的点个关注")
    page.click("#save-schedule")
    expect(page.locator("#form-error")).to_have_text("间隔（分钟）：必须是数字")
    expect(page.locator("#schedule-every")).to_have_value("五")
    page.fill("#schedule-every", "0")  # a number out of range still says why
    page.click("#save-schedule")
    expect(page.locator("#form-error")).to_have_text("间隔（分钟）：间隔须在 1 到 1440 分钟之间（0 分钟会刷屏直播间）")


def test_a_handoff_dismissed_in_the_review_queue_no_longer_alerts_on_the_live_page(console, browser: Browser) -> None:
    """Staff dismissed a hand-off in the review queue ("keren bgt jaketnya": praise, nothing to answer); the open
    live page kept it as an unanswered hand-off with its answer box, counted in the ⚠ badge (and beeping)."""
    store, handle = console
    old = time.time() - 120
    log_comment(store, "d1", "keren bgt jaketnya", old, status="staff", reason="low confidence", faq_id="dj-washing",
                score=0.70, lang="id")
    log_comment(store, "d2", "上次买的袜子少发了一双", old + 1, status="staff",
                reason="intent complaint: never auto-answered", intent="complaint", lang="zh")
    live = sign_in(browser, handle.url)
    errors: list[Any] = []
    live.on("pageerror", lambda exc: errors.append(exc))
    live.goto(handle.url + "/live")
    d1 = live.locator(f'#feed li[data-key="{ROOM}|d1"]')
    expect(d1.locator("form.answer-now")).to_be_visible(timeout=10_000)
    expect(live.locator("#live")).to_have_attribute("data-overdue", "2", timeout=10_000)

    review = sign_in(browser, handle.url)
    review.goto(handle.url + "/review")
    card = review.locator("main > section.group", has=review.locator(".qtext", has_text="keren bgt"))
    card.get_by_role("button", name="忽略").click()
    expect(review.locator(".flash.ok")).to_have_text("已忽略 1 条评论。")

    # the open page follows without a reload: handled, no answer box, one alert left (the complaint)
    expect(d1).to_have_attribute("data-reviewed", "dismiss", timeout=10_000)
    expect(d1.locator(".chip.reviewed")).to_have_text("已在待处理评论中处理")
    assert d1.locator("form.answer-now").count() == 0
    expect(live.locator("#live")).to_have_attribute("data-overdue", "1", timeout=10_000)
    live.reload()  # and so does a fresh load
    expect(live.locator(f'#feed li[data-key="{ROOM}|d1"]')).to_have_attribute("data-reviewed", "dismiss",
                                                                               timeout=10_000)
    expect(live.locator("#live")).to_have_attribute("data-overdue", "1", timeout=10_000)
    assert not errors


def test_a_regex_that_does_not_compile_is_explained_in_chinese(console, browser: Browser) -> None:
    """A keyword rule with "(券": the refusal read "正则表达式：无法编译：missing ), unterminated subpattern at position 0"."""
    _store, handle = console
    page = sign_in(browser, handle.url)
    page.goto(handle.url + "/rules/new")
    page.fill("#rule-id", "live-coupon")
    page.fill("#rule-regex", "(券")
    page.fill("#rule-reply-zh", "点小黄车领券")
    page.click("#save-rule")
    expect(page.locator("#form-error")).to_have_text("正则表达式：无法编译：「(」没有对应的「)」（第 1 个字符处）")
    expect(page.locator("#rule-regex")).to_have_value("(券")
    page.fill("#rule-regex", "券)")
    page.click("#save-rule")
    expect(page.locator("#form-error")).to_have_text("正则表达式：无法编译：「)」前面没有对应的「(」（第 2 个字符处）")
