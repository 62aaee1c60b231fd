"""Room rules in the browser (Chromium via Playwright) against a running bot: the real engine (USE model) replaying
a log through a LocalRoom on the same SQLite database as a real console (uvicorn thread).

- a keyword rule created in the console form answers the room's comments without a restart;
- a reply template with 最好 is refused on save, with the reason shown in Chinese, nothing saved;
- a scheduled message is created and edited through its form and reaches the engine on reload;
- a banned word added in the word list form makes the rule's replies held for staff from then on.
Screenshots of the new pages at 1280 and 375 px go to test-artifacts/.
"""

from __future__ import annotations

import time

import pytest

from tests.test_console_browser import (
    ARTIFACTS,
    ROOT,
    BotRun,
    free_port,
    wait_for,
    write_log,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

from playwright.sync_api import Browser, Page  # noqa: E402

from bot.bootstrap import build_runtime, ensure_catalog, open_store  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.console.server import ConsoleHandle, start_console_thread  # noqa: E402
from catalog.room_rules import RoomRules  # noqa: E402
from tests.browser_login import browser_sign_in  # noqa: E402

RULE_ZH = "暗号是:宝宝们好,{product}现在{stock_summary}"
SECRET = ["暗号是什么", "今天的暗号呢", "暗号多少"]
OTHER = ["主播好漂亮", "哈哈哈", "多少钱"]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("rules-e2e")
    settings = Settings(db=f"sqlite:///{tmp / 'live.db'}", catalog=str(ROOT / "data" / "catalog.yaml"),
                        intents=str(ROOT / "data" / "intents.yaml"), index_dir=str(tmp / "index"), threads=2,
                        console_port=free_port())
    store = open_store(settings)
    ensure_catalog(store, settings)
    runtime = build_runtime(settings, store=store, embedder=embedder)  # the session model (tests/conftest.py)
    console = start_console_thread(store, settings, runtime)
    yield {"settings": settings, "store": store, "runtime": runtime, "console": console, "tmp": tmp}
    console.stop()
    store.close()


def sign_in(browser: Browser, console: ConsoleHandle, locale: str = "zh-CN", width: int = 1280) -> Page:
    username, password = console.demo_login.split(" / ")
    return browser_sign_in(browser, console.url, username, password, locale=locale, width=width)


def shots(page: Page, url: str, name: str) -> None:
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        page.screenshot(path=str(ARTIFACTS / f"console-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_rule_made_in_the_console_answers_the_running_bot_then_a_banned_word_holds_it(env, browser) -> None:  # type: ignore[no-untyped-def]
    store, runtime, console = env["store"], env["runtime"], env["console"]
    store.reset_session()
    ARTIFACTS.mkdir(exist_ok=True)
    texts = [t for pair in zip(SECRET * 30, OTHER * 30, strict=False) for t in pair]
    log_path = env["tmp"] / "show1.jsonl"
    write_log(log_path, "s", texts, n=120, spacing=0.2)
    page = sign_in(browser, console)
    bot = BotRun(runtime, log_path, speed=1.0).start()
    wait_for(lambda: len(bot.received()) > 0 or (bot.room is not None and bot.room.acked_seq > 0), 15, "the bot running")

    page.goto(console.url + "/rules/new")
    page.fill("#rule-id", "secret-word")
    page.fill("#rule-contains", "暗号")
    page.fill("#rule-reply-zh", RULE_ZH)
    page.fill("#rule-cooldown", "0")
    page.fill("#rule-viewer-cooldown", "0")
    page.click("#save-rule")
    page.wait_for_selector(".flash.ok")
    saved_at = time.monotonic()
    assert RoomRules(store).rule("secret-word") is not None
    first = wait_for(lambda: next((t for t, r in bot.received() if r.text.startswith("暗号是:宝宝们好")), None), 8,
                     "a reply from the new rule")
    assert first - saved_at < 6.0  # no restart: picked up by the running bot's reload loop

    # the word list: 宝宝们好 becomes a banned word → the rule's replies are held for staff from now on
    page.goto(console.url + "/words/banned")
    page.fill("#word_1", "宝宝们好")
    page.fill("#suggest_1", "大家好")
    page.click("#save-words")
    page.wait_for_selector(".flash.ok")
    banned_at = time.monotonic()  # the reload interval is 0.25 s: a reply a second later is one after the reload

    def held() -> bool:
        return any((c.reason or "").startswith("held:") and "宝宝们好" in (c.reason or "") for c in store.comments(limit=500))

    wait_for(held, 10, "a rule reply held for the new banned word")
    bot.join(120)
    late = [r for t, r in bot.received() if t > banned_at + 1.0 and "宝宝们好" in r.text]
    assert late == [], "a reply with the banned word was posted after the word list edit"
    shots(page, console.url + "/rules", "rules")
    shots(page, console.url + "/rules/secret-word", "rule-editor")
    shots(page, console.url + "/words/banned", "words")


def test_a_template_with_a_banned_word_is_refused_on_save_with_the_reason(env, browser) -> None:  # type: ignore[no-untyped-def]
    store, console = env["store"], env["console"]
    page = sign_in(browser, console)
    page.goto(console.url + "/rules/new")
    page.fill("#rule-id", "best")
    page.fill("#rule-contains", "好不好")
    page.fill("#rule-reply-zh", "这是全场最好的一款")
    page.click("#save-rule")
    error = page.inner_text("#form-error")
    assert "含违禁词「最好」" in error and "第 5 个字符" in error and "很好" in error  # the word, where, the suggestion
    assert page.input_value("#rule-reply-zh") == "这是全场最好的一款"  # the staff member's text is kept to fix
    assert RoomRules(store).rule("best") is None
    page.screenshot(path=str(ARTIFACTS / "console-rule-refused-1280.png"), full_page=True)


def test_a_schedule_is_created_and_edited_and_reaches_the_engine(env, browser) -> None:  # type: ignore[no-untyped-def]
    store, runtime, console = env["store"], env["runtime"], env["console"]
    page = sign_in(browser, console, locale="en-US")
    page.goto(console.url + "/schedules/new")
    page.fill("#schedule-id", "on-stage")
    page.fill("#schedule-every", "0")
    page.fill("#message1_zh", "现在上架的是{product},{stock_summary}")
    page.click("#save-schedule")
    assert "a schedule of 0 minutes would flood the room" in page.inner_text("#form-error")
    page.fill("#schedule-every", "5")
    page.fill("#schedule-min-comments", "30")
    page.fill("#message2_zh", "{product}到手价{price}元")
    page.fill("#message2_en", "{product}: {price} CNY")
    page.click("#save-schedule")
    page.wait_for_selector(".flash.ok")
    page.fill("#schedule-every", "10")
    page.click("#save-schedule")
    page.wait_for_selector(".flash.ok")
    spec = RoomRules(store).schedule("on-stage").spec  # type: ignore[union-attr]
    assert spec.every_min == 10 and spec.min_comments == 30 and len(spec.messages) == 2
    runtime.engine.reload_if_changed()  # what the running bot's reload loop does every 0.25 s
    [schedule] = [s for s in runtime.engine.rules.schedules if s.id == "on-stage"]
    assert schedule.every_s == 600 and schedule.min_comments == 30
    history = page.inner_text(".history")
    assert "schedule.update" in history and "schedule.create" in history
    shots(page, console.url + "/schedules/on-stage", "schedule-editor")
    shots(page, console.url + "/schedules", "schedules")
