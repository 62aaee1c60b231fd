"""A first walk through the console as a Chinese shop's staff, in Chromium through the real forms: answering a review
group now whose comments come from two shows (an earlier one without a bot, the running one) posts to the running room
only, says so, and does not wait for a bot that is not there; the review queue and "try a question" name the product
as staff know it (轻便婴儿推车A1), not by its id."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_login import browser_sign_in, demo_console, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

require_chromium()

from playwright.sync_api import Browser, expect  # noqa: E402

from bot.bootstrap import build_runtime, ensure_catalog, open_store  # noqa: E402
from bot.console.server import PASSWORD_ENV, start_console_thread  # noqa: E402
from bot.messages import Comment  # noqa: E402
from catalog import control  # noqa: E402
from catalog.control import BotStatusRecord, ConsoleChannel  # noqa: E402
from catalog.store import CatalogStore  # noqa: E402
from tests.fast.fakes import HashEmbedder  # noqa: E402
from tests.live_bot import free_port  # noqa: E402
from tests.runtimes import test_settings  # noqa: E402

PASSWORD = "walk-browser-pw-1"


@pytest.fixture()
def console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[CatalogStore, Any]]:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with demo_console(tmp_path / "walk.db") as (store, handle):
        yield store, handle


def handoff(store: CatalogStore, room: str, cid: str, text: str, at: float, product: str = "stroller-a1") -> None:
    store.record_comments([Comment(id=cid, user=f"u-{cid}", text=text, ts=at, room=room)], received_at=[at])
    store.set_comment_outcomes([(room, cid, {"status": "staff", "reason": "low confidence", "product_id": product,
                                             "faq_id": "shipping-free", "score": 0.6, "lang": "zh"})])


class BotSide:
    """The bot's end of the console channel for one room (what `livereply run` does through ConsoleChannel):
    heartbeats and carries out the "answer now" commands of its room."""

    def __init__(self, store: CatalogStore, room: str) -> None:
        self.channel = ConsoleChannel(store)
        self.room = room
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.is_set():
            self.channel.heartbeat(BotStatusRecord(self.room, 1, True, None, 0, 0, False, time.time()))
            for cmd in self.channel.claim_commands(self.room):
                self.channel.finish_command(cmd.id, f"posted to room {self.room}")
            self.stop.wait(0.1)

    def wait_running(self, timeout_s: float = 10.0) -> None:
        """Until the console sees the room's bot running (its first heartbeat is written)."""
        from bot.console.live import bot_state

        deadline = time.monotonic() + timeout_s
        while self.room not in bot_state(self.channel.store).rooms:
            assert time.monotonic() < deadline, "no heartbeat from the bot"
            time.sleep(0.02)


def test_answer_now_for_a_group_spanning_two_shows_posts_to_the_running_room_only(console, browser: Browser) -> None:
    store, handle = console
    now = time.time()
    handoff(store, "earlier-show", "c1", "推车能带上高铁吗", now - 600)
    handoff(store, "show2", "c2", "推车能带上高铁吗", now - 5)
    bot = BotSide(store, "show2")
    bot.thread.start()
    try:
        bot.wait_running()
        page = browser_sign_in(browser, handle.url, "staff", PASSWORD)
        page.goto(handle.url + "/review")
        card = page.locator("section", has_text="推车能带上高铁吗").first
        # the product as staff know it, not its id
        expect(card.locator(".chip", has_text="轻便婴儿推车A1")).to_be_visible()
        card.get_by_role("textbox", name="人工回复").fill("可以的,折叠后能放进行李架")
        started = time.monotonic()
        card.get_by_role("button", name="立即回复").click()
        page.wait_for_url("**/review?ok=*")
        elapsed = time.monotonic() - started
        expect(page.locator(".flash, [role=alert]").first).to_contain_text("已为 2 条评论记录人工回复")
        expect(page.locator(".flash, [role=alert]").first).to_contain_text("1 条")
    finally:
        bot.stop.set()
        bot.thread.join(5)
    rooms = [c.room for c in control.recent_commands(store) if c.kind == "answer"]
    assert rooms == ["show2"], rooms  # nothing queued for the earlier show: it would go out when a bot starts there
    assert elapsed < 3.0, elapsed  # no waiting out ANSWER_WAIT_S for a bot that is not running


def test_try_a_question_names_the_product_and_language_as_staff_read_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser: Browser
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    settings = test_settings(tmp_path, console_port=free_port())
    store = open_store(settings)
    ensure_catalog(store, settings, replace=True)
    handle = start_console_thread(store, settings, build_runtime(settings, store=store, embedder=HashEmbedder()))
    try:
        page = browser_sign_in(browser, handle.url, "staff", PASSWORD)
        page.goto(handle.url + "/try")
        page.fill("input[name=q]", "粉色推车还有吗")
        page.get_by_role("button", name="试一试").click()
        facts = page.locator("dl.facts")
        expect(facts).to_contain_text("轻便婴儿推车A1")
        expect(facts).to_contain_text("中文")
        expect(page.get_by_role("heading", name="轻便婴儿推车A1 的实时库存")).to_be_visible()
    finally:
        handle.stop()
        store.close()


def test_a_new_rule_with_a_chinese_id_tells_staff_what_an_id_may_hold(console, browser: Browser) -> None:
    """Staff typing 下单提醒 as the new rule's 编号 were told only 'match the requested format'."""
    _store, handle = console
    page = browser_sign_in(browser, handle.url, "staff", PASSWORD)
    for path, field, example in (("/rules/new", "#rule-id", "how-to-order"),
                                 ("/schedules/new", "#schedule-id", "follow-reminder")):
        page.goto(handle.url + path)
        expect(page.locator("label", has=page.locator(field))).to_contain_text(f"小写英文字母、数字、- 或 _，例如 {example}")
        page.fill(field, "下单提醒")
        page.locator(f"form[action='{path}'] button[type=submit]").first.click()
        assert page.url.endswith(path)  # not sent: the browser stops it
        # Chromium's bubble shows the title under "match the requested format"
        assert "小写英文字母" in (page.locator(field).get_attribute("title") or "")


def test_the_intents_pages_action_chip_stays_on_one_line(console, browser: Browser) -> None:
    """At 1280 px the 操作 column was squeezed to one character: 回 / 答 on two lines."""
    _store, handle = console
    page = browser_sign_in(browser, handle.url, "staff", PASSWORD)
    page.goto(handle.url + "/intents")
    chip = page.locator("table tr", has_text="ask_price").locator(".chip").first
    expect(chip).to_have_text("回答")
    box = chip.bounding_box()
    assert box is not None and box["height"] < 24 and box["width"] > box["height"], box


def test_times_show_in_the_staff_members_own_time_zone(console, browser: Browser) -> None:
    """A console on a UTC server, staff in Shanghai: the review queue's times read as Beijing time (the browser's
    zone); the server's own reading with its zone stays as the tooltip."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from bot.console.web import format_ts

    store, handle = console
    at = time.time() - 90
    handoff(store, "show2", "c9", "推车能带上高铁吗", at)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    from tests.browser_login import fill_login

    page = fill_login(context.new_page(), handle.url, "staff", PASSWORD)
    page.goto(handle.url + "/review")
    shown = page.locator("section", has_text="推车能带上高铁吗").first.locator("time").first
    beijing = dt.datetime.fromtimestamp(at, ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S")
    expect(shown).to_have_text(beijing)
    assert shown.get_attribute("title") == format_ts(at)
    context.close()
