"""End to end: a real console (uvicorn thread), a LocalRoom replaying a generated log, the real bot (USE model)
on the same SQLite database, and Chromium driven by Playwright.

- staff edit an FAQ's zh answer in the browser → replies the room receives afterwards carry the new text;
- a viewer sees no edit form and gets 403; a POST without CSRF token is refused;
- the catalog is edited over HTTP again and again while a replay runs → no comment lost, none answered twice.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser_login import require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

require_chromium()

from playwright.sync_api import Browser, Page  # noqa: E402

from bot.bootstrap import Runtime, build_runtime, ensure_catalog, open_store  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.console.auth import add_staff  # noqa: E402
from bot.console.review import QueuedComment, group_comments  # noqa: E402
from bot.console.server import ConsoleHandle, start_console_thread  # noqa: E402
from bot.replay import ReplayReport, replay  # noqa: E402
from bot.room import LocalRoom  # noqa: E402
from tests.browser_login import browser_sign_in  # noqa: E402
from tests.live_bot import free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
VIEWER = ("viewer1", "viewer-pass-1")
FAQ_ID = "shipping-free"
NEW_ZH = "【已更新】全国包邮,今天下单48小时内发货。"
SHIPPING_QUESTIONS = ["包邮吗", "要邮费吗", "运费多少", "偏远地区包邮吗", "新疆包邮吗"]
OTHER = ["多少钱", "主播好漂亮", "这个多少钱", "有哪些码", "能寄到加拿大吗", "哈哈哈", "积木适合几岁", "价格多少"]


def write_log(path: Path, prefix: str, texts: list[str], n: int, spacing: float, orders_every: int = 0) -> list[str]:
    """A replay log: the stroller on stage, then `n` comments `spacing` show-seconds apart (distinct viewers)."""
    ids = []
    lines = [{"type": "stage", "product_id": "stroller-a1", "ts": 1000.0}]
    for i in range(n):
        cid = f"{prefix}{i:04d}"
        ids.append(cid)
        lines.append(
            {"type": "comment", "id": cid, "user": f"{prefix}-u{i}", "text": texts[i % len(texts)], "ts": 1000.1 + i * spacing}
        )
        if orders_every and i % orders_every == 0:
            lines.append({"type": "order", "order_id": f"{prefix}-o{i}", "sku": "A1-GREY", "qty": 1, "ts": 1000.15 + i * spacing})
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return ids


class BotRun:
    """The real bot replaying a log through a LocalRoom, in a background thread with its own event loop."""

    def __init__(self, runtime: Runtime, log_path: Path, speed: float) -> None:
        self.runtime, self.log_path, self.speed = runtime, log_path, speed
        self.room: LocalRoom | None = None
        self.report: ReplayReport | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="bot-replay", daemon=True)

    def _hook(self, room: LocalRoom) -> None:
        self.room = room

    def _run(self) -> None:
        try:
            self.report = asyncio.run(replay(self.runtime, self.log_path, speed=self.speed, room_hook=self._hook))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread by join()
            self.error = exc

    def start(self) -> BotRun:
        self.thread.start()
        return self

    def received(self) -> list[tuple[float, Any]]:
        return list(self.room.replies) if self.room is not None else []

    def join(self, timeout: float = 60.0) -> ReplayReport:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "replay did not finish"
        if self.error is not None:
            raise self.error
        assert self.report is not None
        return self.report


def wait_for(predicate, timeout: float, what: str, interval: float = 0.05):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("console-e2e")
    settings = Settings(
        db=f"sqlite:///{tmp / 'live.db'}",
        catalog=str(ROOT / "data" / "catalog.yaml"),
        intents=str(ROOT / "data" / "intents.yaml"),
        index_dir=str(tmp / "index"),
        threads=2,
        console_port=free_port(),
    )
    store = open_store(settings)
    ensure_catalog(store, settings)
    add_staff(store, *VIEWER, "viewer")
    runtime = build_runtime(settings, store=store, embedder=embedder)  # the session model (tests/conftest.py)
    console = start_console_thread(store, settings, runtime)
    yield {"settings": settings, "store": store, "runtime": runtime, "console": console, "tmp": tmp}
    console.stop()
    store.close()


def sign_in(browser: Browser, console: ConsoleHandle, username: str, password: str) -> Page:
    return browser_sign_in(browser, console.url, username, password, locale="en-US")


POST_FORM_JS = """async ([path, fields]) => {
    const r = await fetch(path, {method: "POST", body: new URLSearchParams(fields), redirect: "manual"});
    return r.status;
}"""


def test_faq_edit_in_browser_reaches_the_running_bot(env, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    store, runtime, console = env["store"], env["runtime"], env["console"]
    store.reset_session()
    old_zh = store.snapshot().faqs[FAQ_ID].answers["zh"]
    texts = [t for pair in zip(SHIPPING_QUESTIONS * 2, OTHER, strict=False) for t in pair]
    log_path = env["tmp"] / "show1.jsonl"
    write_log(log_path, "a", texts, n=44, spacing=0.4, orders_every=5)

    admin, password = console.demo_login.split(" / ")
    page = sign_in(browser, console, admin, password)
    page.goto(console.url + f"/faqs/{FAQ_ID}")
    assert page.input_value("#answer_zh") == old_zh

    bot = BotRun(runtime, log_path, speed=1.0).start()
    wait_for(lambda: any(r.text == old_zh for _, r in bot.received()), 10, "a reply with the old answer")

    page.fill("#answer_zh", NEW_ZH)
    page.click("#save-faq")
    page.wait_for_selector(".flash.ok")
    saved_at = time.monotonic()
    assert store.snapshot().faqs[FAQ_ID].answers["zh"] == NEW_ZH
    page.screenshot(path=str(ARTIFACTS / "console-faq-editor.png"), full_page=True)

    first_new = wait_for(
        lambda: next((t for t, r in bot.received() if r.text == NEW_ZH), None), 6, "a reply with the new answer"
    )
    assert first_new - saved_at < 5.0

    # the "try a question" box answers with the new text too (same engine, rendered with live data)
    page.goto(console.url + "/try?q=" + "包邮吗")
    assert NEW_ZH in page.inner_text("#try-result")
    assert "shipping-free" in page.inner_text("#try-result")
    assert "held-out catalog examples" in page.inner_text("#try-result")  # the calibrated operating point is shown

    # live dashboard: numbers change between polls while the show runs
    page.goto(console.url + "/dashboard")
    first = page.inner_text("[data-stat=comments_total]")
    page.wait_for_function(
        "(before) => document.querySelector('[data-stat=comments_total]').textContent !== before", arg=first, timeout=6000
    )
    assert page.locator("[data-chart=rate] svg polyline").count() == 1
    page.screenshot(path=str(ARTIFACTS / "console-dashboard.png"), full_page=True)

    report = bot.join()
    assert report.errors == 0
    shipping = [(t, r) for t, r in bot.received() if r.text in (old_zh, NEW_ZH)]
    late_old = [r for t, r in shipping if r.text == old_zh and t > saved_at + 2.0]  # reload ≤0.25 s + merge window 1 s
    assert not late_old, f"old answer still sent after the edit: {late_old}"
    assert sum(r.text == NEW_ZH for _, r in shipping) >= 3
    assert runtime.engine.stats.reloads >= 1


def test_viewer_has_no_edit_form_and_posts_are_refused(env, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    store, console = env["store"], env["console"]
    before = store.snapshot().faqs[FAQ_ID]
    viewer = sign_in(browser, console, *VIEWER)
    viewer.goto(console.url + f"/faqs/{FAQ_ID}")
    assert viewer.locator("#faq-form").count() == 0
    assert viewer.locator("#faq-readonly").is_visible()
    assert viewer.locator("textarea").count() == 0
    token = viewer.get_attribute("meta[name=csrf-token]", "content")
    fields = {"csrf_token": token, "intent": "ask_shipping", "questions": "包邮吗", "answer_zh": "viewer was here"}
    assert viewer.evaluate(POST_FORM_JS, [f"/faqs/{FAQ_ID}", fields]) == 403
    viewer.goto(console.url + "/products/stroller-a1")
    assert viewer.locator("form[action^='/stock/']").count() == 0

    admin, password = console.demo_login.split(" / ")
    editor = sign_in(browser, console, admin, password)
    editor.goto(console.url + f"/faqs/{FAQ_ID}")
    no_token = {"intent": "ask_shipping", "questions": "包邮吗", "answer_zh": "forged cross-site post"}
    assert editor.evaluate(POST_FORM_JS, [f"/faqs/{FAQ_ID}", no_token]) == 403
    wrong = {**no_token, "csrf_token": "not-the-token"}
    assert editor.evaluate(POST_FORM_JS, [f"/faqs/{FAQ_ID}", wrong]) == 403
    assert store.snapshot().faqs[FAQ_ID] == before


def test_repeated_edits_during_replay_lose_and_duplicate_nothing(env) -> None:  # type: ignore[no-untyped-def]
    store, runtime, console = env["store"], env["runtime"], env["console"]
    store.reset_session()
    texts = SHIPPING_QUESTIONS + OTHER + ["XL还有吗", "推车承重多少", "保温杯能保温多久", "发什么快递", "怎么还不发货"]
    log_path = env["tmp"] / "show2.jsonl"
    ids = write_log(log_path, "b", texts, n=240, spacing=0.05, orders_every=7)
    reloads_before = runtime.engine.stats.reloads

    admin, password = console.demo_login.split(" / ")
    http = httpx.Client(base_url=console.url, follow_redirects=False, timeout=10)
    token = re.search(r'name="csrf_token" value="([^"]+)"', http.get("/login").text).group(1)
    assert http.post("/login", data={"username": admin, "password": password, "csrf_token": token}).status_code == 303
    token = re.search(r'name="csrf-token" content="([^"]+)"', http.get("/faqs/price").text).group(1)
    price = store.snapshot().faqs["price"]

    bot = BotRun(runtime, log_path, speed=2.0).start()
    edits = 0
    deadline = time.monotonic() + 30
    while bot.thread.is_alive() and time.monotonic() < deadline:
        form = {
            "csrf_token": token,
            "intent": price.intent,
            "questions": "\n".join(price.questions),
            "answer_zh": f"{{product}}直播间到手价{{price}}元(第{edits}次修改)。",
            "answer_en": price.answers["en"],
        }
        assert http.post("/faqs/price", data=form).status_code == 303
        assert http.post(f"/faqs/{FAQ_ID}/examples", data={"csrf_token": token, "text": f"包邮吗第{edits}次"}).status_code == 303
        assert http.post("/stock/A1-KHAKI", data={"csrf_token": token, "stock": str(20 + edits)}).status_code == 303
        edits += 1
        time.sleep(0.3)
    report = bot.join()
    http.close()

    assert edits >= 5, "the replay ended before the catalog was edited several times"
    assert runtime.engine.stats.reloads - reloads_before >= 3
    assert report.errors == 0 and report.comments == len(ids)
    logged = store.comments(limit=None)
    counts = Counter(c.comment_id for c in logged)
    assert set(counts) == set(ids), f"lost: {set(ids) - set(counts)}"
    assert max(counts.values()) == 1
    assert all(c.status != "received" for c in logged)  # every comment got an outcome
    replied = Counter(cid for r in store.replies(limit=None) for cid in r.reply_to)
    assert replied and max(replied.values()) == 1, [cid for cid, n in replied.items() if n > 1]
    room_replied = Counter(cid for _, r in bot.received() for cid in r.reply_to)
    assert max(room_replied.values()) == 1
    assert set(room_replied) <= set(ids)


def test_review_groups_with_the_real_embedder(env) -> None:  # type: ignore[no-untyped-def]
    texts = ["能开发票吗", "可以开发票吗", "发票能开吗", "能开发票吗", "主播多高", "主播身高多少", "主播多高呀", "今晚几点抽奖"]
    comments = [
        QueuedComment(room="local", comment_id=f"g{i}", user=f"u{i}", text=t, received_at=float(i), status="staff",
                      reason="low confidence", faq_id=None, score=0.5, product_id=None, lang="zh")
        for i, t in enumerate(texts)
    ]
    groups = group_comments(comments, env["runtime"].embedder.encode)
    got = sorted(sorted(c.text for c in g.comments) for g in groups)
    assert got == sorted([
        sorted(["能开发票吗", "可以开发票吗", "发票能开吗", "能开发票吗"]),
        sorted(["主播多高", "主播身高多少", "主播多高呀"]),
        ["今晚几点抽奖"],
    ])
    assert groups[0].text == "今晚几点抽奖"  # newest first
    assert group_comments(comments, env["runtime"].embedder.encode, sort="count")[0].count == 4


HEIGHT = ["主播多高", "主播身高多少", "主播多高呀", "主播身高是多少"]  # one question, four wordings


def test_one_action_on_a_merged_paraphrase_group_clears_all_its_members(env, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    from bot.messages import Comment
    from catalog.accounts import Accounts

    store, console = env["store"], env["console"]
    now = time.time()
    logged = [*(f"h{i}" for i in range(len(HEIGHT))), "sp0"]
    for i, (cid, text) in enumerate(zip(logged, [*HEIGHT, "加群领红包 群号 556677"], strict=True)):
        store.record_comment(Comment(id=cid, user=f"viewer{i}", text=text, ts=now + i), received_at=now + i)
        spam = cid.startswith("sp")
        store.set_comment_outcome(cid, status="silent" if spam else "staff",
                                  reason="intent spam" if spam else "low confidence", intent="spam" if spam else None)
    admin, password = console.demo_login.split(" / ")
    page = sign_in(browser, console, admin, password)
    page.goto(console.url + "/review")
    group = page.locator("section.group", has=page.locator("ul.members li", has_text="主播身高是多少"))
    assert group.count() == 1
    assert group.locator(".count").inner_text() == "4×"  # the four wordings are one group
    for text in HEIGHT:
        assert group.locator("ul.members li", has_text=text).count() >= 1
    spam = page.locator("#folded section.group", has_text="加群领红包")
    assert spam.count() == 1 and not spam.is_visible()  # spam is folded away
    page.screenshot(path=str(ARTIFACTS / "console-review-grouped.png"), full_page=True)

    group.locator("form[action='/review/answer'] [name=text]").fill("主播身高168厘米。")
    group.get_by_role("button", name="Answer now").click()
    page.wait_for_selector(".flash.ok")
    assert "4 comments" in page.inner_text(".flash.ok")
    for text in HEIGHT:
        assert page.locator("section.group", has_text=text).count() == 0
    records = {r.comment_id: r for r in Accounts(store).review_records(limit=50)}
    assert all(records[f"h{i}"].action == "answer" for i in range(len(HEIGHT)))
    assert "sp0" not in records


@pytest.fixture(scope="module", autouse=True)
def _artifacts_dir() -> None:
    ARTIFACTS.mkdir(exist_ok=True)
