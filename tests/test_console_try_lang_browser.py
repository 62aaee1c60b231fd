"""Try a question (Chromium) in a cross-border room: the language row names the language the viewer wrote in, and says
when the reply is in another one (the room's fallback) — a Japanese question answered in English read "语言：英语",
as if the viewer had written English."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.browser_login import browser_sign_in, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

require_chromium()

from playwright.sync_api import Browser, expect  # noqa: E402

from bot.bootstrap import build_runtime, ensure_catalog, open_store  # noqa: E402
from bot.console.server import PASSWORD_ENV, start_console_thread  # noqa: E402
from tests.fast.fakes import HashEmbedder  # noqa: E402
from tests.live_bot import free_port  # noqa: E402
from tests.runtimes import test_settings  # noqa: E402

PASSWORD = "try-lang-pw-1"
CATALOG = """\
version: 1
products:
  - id: tee
    name: {zh: 纯棉T恤, en: Cotton Tee}
    price: 79
    variants:
      - {sku: TEE-M, attrs: {size: M}, stock: 10}
faqs:
  - id: shipping
    intent: ask_shipping
    questions:
      zh: [多久发货, 什么时候发货]
      en: [when do you ship, shipping time?]
      ja: [いつ発送されますか]
    answer: {zh: "下单后48小时内发货。", en: "We ship within 48 hours of your order."}
"""


def test_try_names_the_viewers_language_and_the_fallback_reply_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser: Browser
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    (tmp_path / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    settings = test_settings(tmp_path, console_port=free_port(), catalog=str(tmp_path / "catalog.yaml"),
                             room_languages="zh,en,ja", lang_fallback="en")
    store = open_store(settings)
    ensure_catalog(store, settings, replace=True)
    runtime = build_runtime(settings, store=store, embedder=HashEmbedder())
    handle = start_console_thread(store, settings, runtime)
    try:
        page = browser_sign_in(browser, handle.url, "staff", PASSWORD)
        page.goto(handle.url + "/try?q=いつ発送されますか")
        expect(page.locator("#try-result blockquote.answer")).to_have_text("We ship within 48 hours of your order.")
        lang = page.locator("#try-result dl.facts dt", has_text="语言").locator("xpath=following-sibling::dd[1]")
        expect(lang).to_contain_text("日语")  # the viewer's language
        expect(lang.locator(".reply-lang")).to_have_text("用英语回复")  # the reply's, the room's fallback
        expect(page.locator("#try-result p.band")).to_contain_text("没有日语回答，改用英语回答")
        page.goto(handle.url + "/try?q=多久发货")  # same language: no second one named
        expect(lang).to_contain_text("中文")
        assert lang.locator(".reply-lang").count() == 0
    finally:
        handle.stop()
        store.close()


def test_try_warns_when_the_running_bot_tells_apart_other_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser: Browser
) -> None:
    """`livereply console` started on its own identifies its own --room-languages (zh,en by default): beside a bot
    running a cross-border room, a Vietnamese question was tried here as English and answered in English, while the
    bot answered it in Vietnamese. The page says so, for that room only (a room with the same languages is not named)."""
    from bot.console.live import STALE_S
    from catalog.control import BotStatusRecord, ConsoleChannel, room_settings
    from tests.browser_login import demo_console

    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with demo_console(tmp_path / "try-langs.db") as (store, handle):
        channel = ConsoleChannel(store)

        def beat(room: str, languages: list[str], age_s: float = 0.0) -> None:
            channel.heartbeat(BotStatusRecord(
                room=room, pid=1, connected=True, last_comment_at=None, reloads=0, errors=0, paused=False,
                updated_at=time.time() - age_s, settings=room_settings(languages, "zh", "en"),
            ))

        beat("show2", ["zh", "en", "ja", "vi"])
        beat("local", ["en", "zh"])  # the same set in another order: nothing to say
        page = browser_sign_in(browser, handle.url, "staff", PASSWORD)
        page.goto(handle.url + "/try?q=" + "chịu được bao nhiêu ký")
        warning = page.locator("p.try-langs")
        expect(warning).to_have_count(1)
        expect(warning).to_have_attribute("data-room", "show2")
        expect(warning).to_have_text(
            "直播间 show2 的机器人能识别：中文、英语、日语、越南语；"
            "这里的试问只识别：中文、英语（员工后台的 --room-languages zh,en），"
            "其他语言的评论在这里的结果可能和直播间里不一样。"
            "启动员工后台时加上和机器人相同的 --room-languages，就能按机器人的方式试问。"
        )
        # the bots stopped: their last heartbeats are older than STALE_S (as after waiting that long): nothing is said
        beat("show2", ["zh", "en", "ja", "vi"], age_s=STALE_S + 0.5)
        beat("local", ["en", "zh"], age_s=STALE_S + 0.5)
        page.goto(handle.url + "/try")
        expect(page.locator("h1")).to_have_text("试问一句")
        assert page.locator("p.try-langs").count() == 0
