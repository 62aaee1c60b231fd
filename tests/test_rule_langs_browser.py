"""Chromium (Playwright) against a real console (uvicorn thread, SQLite): a keyword rule of a cross-border room with
replies in zh, en and ja (docs/rules.md: `reply:` per language; docs/console.md: "the reply per language"). Saving it
from the console — here only its cooldown changed — keeps the Japanese reply (it was dropped: the form knew zh and en
only), the Japanese reply is shown and editable, and a reply in another language (vi) is added through the form."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser_login import require_chromium

pytestmark = [pytest.mark.browser]

require_chromium()

from playwright.sync_api import Browser  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.console.auth import add_staff  # noqa: E402
from bot.console.server import start_console_thread  # noqa: E402
from catalog.io import import_catalog  # noqa: E402
from catalog.room_rules import RoomRules, rule_from_dict  # noqa: E402
from catalog.store import CatalogStore  # noqa: E402
from tests.browser_login import browser_sign_in  # noqa: E402
from tests.live_bot import free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EDITOR = ("ed-rule", "editor-pass-rule")
RULE = {
    "id": "how-to-buy",
    "match": {"contains": ["怎么买", "how to buy", "買い方"]},
    "reply": {"zh": "点下方小黄车下单", "en": "Tap the cart below to order.", "ja": "下のカートから注文できます。"},
    "cooldown_s": 20,
}


def test_saving_a_rule_keeps_its_other_languages_and_adds_one(tmp_path: Path, browser: Browser) -> None:
    settings = Settings(db=f"sqlite:///{tmp_path / 'rules.db'}", console_port=free_port())
    store = CatalogStore(settings.db)
    import_catalog(store, ROOT / "data" / "catalog.yaml")
    add_staff(store, *EDITOR, "editor")
    rules = RoomRules(store)
    rules.save_rule(rule_from_dict(RULE), create=True)
    handle = start_console_thread(store, settings)
    try:
        page = browser_sign_in(browser, handle.url, *EDITOR, locale="zh-CN")
        page.goto(handle.url + "/rules/how-to-buy")
        page.fill("#rule-cooldown", "30")
        page.click("#save-rule")
        page.wait_for_load_state()
        saved = rules.rule("how-to-buy")
        assert saved is not None and saved.spec.cooldown_s == 30
        assert dict(saved.spec.reply) == RULE["reply"]  # the ja reply survives a save from the console

        page.goto(handle.url + "/rules/how-to-buy")
        assert page.locator("textarea[name=reply_ja]").input_value() == RULE["reply"]["ja"]
        page.fill("input[name=reply_new_lang]", "vi")
        page.fill("textarea[name=reply_new_text]", "Bấm giỏ hàng bên dưới để đặt mua.")
        page.click("#save-rule")
        page.wait_for_load_state()
        saved = rules.rule("how-to-buy")
        assert saved is not None and saved.spec.reply.get("vi") == "Bấm giỏ hàng bên dưới để đặt mua."
        assert saved.spec.reply.get("ja") == RULE["reply"]["ja"]
    finally:
        handle.stop()
        store.close()


SCHEDULE = {
    "id": "follow-reminder",
    "every_min": 10,
    "messages": [
        {"zh": "点个关注不迷路", "en": "Follow us for more deals", "ja": "フォローしてね"},
        {"zh": "下单备注直播间", "vi": "Nhớ ghi chú livestream khi đặt hàng nhé"},
    ],
}


def test_saving_a_schedule_keeps_its_messages_in_other_languages(tmp_path: Path, browser: Browser) -> None:
    """The scheduled-message editor knew zh and en only: saving a schedule of a cross-border room from the console
    dropped its ja/vi messages. Each language a message has is a column of its own, kept and editable."""
    from catalog.room_rules import schedule_from_dict

    settings = Settings(db=f"sqlite:///{tmp_path / 'schedules.db'}", console_port=free_port())
    store = CatalogStore(settings.db)
    import_catalog(store, ROOT / "data" / "catalog.yaml")
    add_staff(store, *EDITOR, "editor")
    rules = RoomRules(store)
    rules.save_schedule(schedule_from_dict(SCHEDULE), create=True)
    handle = start_console_thread(store, settings)
    try:
        page = browser_sign_in(browser, handle.url, *EDITOR, locale="zh-CN")
        page.goto(handle.url + "/schedules/follow-reminder")
        headers = page.locator("#schedule-messages thead th").all_inner_texts()
        assert any("日语" in h for h in headers) and any("越南语" in h for h in headers)
        page.fill("#schedule-every", "15")
        page.click("#save-schedule")
        page.wait_for_load_state()
        saved = rules.schedule("follow-reminder")
        assert saved is not None and saved.spec.every_min == 15
        assert [dict(m) for m in saved.spec.messages] == SCHEDULE["messages"]  # nothing dropped

        page.goto(handle.url + "/schedules/follow-reminder")
        page.fill("#message1_ja", "フォローお願いします")
        page.click("#save-schedule")
        page.wait_for_load_state()
        saved = rules.schedule("follow-reminder")
        assert saved is not None and dict(saved.spec.messages[0])["ja"] == "フォローお願いします"
        assert dict(saved.spec.messages[1])["vi"] == SCHEDULE["messages"][1]["vi"]
    finally:
        handle.stop()
        store.close()
