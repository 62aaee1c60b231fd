"""The browser console adapter (bot/adapters/browser.py) against a local page that implements the DOM contract of
data/platforms/douyin-web.yaml, driven by real Chromium (/usr/bin/chromium, headless). What this verifies: the bridge
(MutationObserver → expose_binding), de-duplication, typing and sending, splitting, the rate limit, the clear errors.
What it cannot: the real 巨量百应/淘宝/快手 consoles (their DOM, their login, their limits) — none was reachable."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.adapters.browser import BrowserRoomClient, BrowserSelectorError, PlatformConfig, load_platform
from bot.adapters.capabilities import RateLimit
from bot.adapters.fake_console import console_html
from bot.adapters.posting import Unsent
from bot.engine import Engine
from bot.messages import Comment, Reply, ViewerEnter
from bot.pipeline import MatchSettings
from bot.ports import RoomConnection
from bot.replies import ReplyScheduler
from bot.service import BotService
from models.intents import IntentModel, load_intents
from tests.fast.fakes import ROOT, HashEmbedder, MemoryStore

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

CHROMIUM = "/usr/bin/chromium"
ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

# The douyin-web DOM contract: #comment-list-wrapper > div.commentItem* > [class^=nickname] + [class^=content];
# #input-comment-block-id textarea + div.inputSuffix*. The page's own JS appends comments and "sends" replies.
CONSOLE = console_html()  # bot/adapters/fake_console.html, also served by `livereply fake-console`
BROKEN = """<!doctype html><html><head><meta charset="utf-8"></head><body><div id="new-layout">改版了</div></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = (BROKEN if self.path.startswith("/broken") else CONSOLE).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def _needs_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}")


def _config(**changes: object) -> PlatformConfig:
    config = load_platform("douyin-web")
    selectors = changes.pop("selectors", None)
    if selectors:
        changes["selectors"] = dataclasses.replace(config.selectors, **selectors)  # type: ignore[arg-type]
    return dataclasses.replace(config, **changes)  # type: ignore[arg-type]


def _client(tmp_path: Path, url: str, config: PlatformConfig | None = None, **options: object) -> BrowserRoomClient:
    options.setdefault("rate", RateLimit(50, 1.0))
    return BrowserRoomClient(
        config or _config(),
        profile_dir=tmp_path / "profile",
        url=url,
        room="test-room",
        executable_path=CHROMIUM,
        browser_args=ARGS,
        **options,  # type: ignore[arg-type]
    )


class _Reader:
    """Runs client.events() in a task, collecting what it yields (and the error it ends with)."""

    def __init__(self, client: BrowserRoomClient) -> None:
        self.client, self.events, self.error = client, [], None
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        try:
            async for event in self.client.events():
                self.events.append(event)
        except Exception as exc:  # noqa: BLE001 - kept for the test to check
            self.error = exc

    async def until(self, predicate, within: float = 15.0) -> None:
        deadline = time.monotonic() + within
        while not predicate():
            if self.error is not None:
                raise self.error
            assert time.monotonic() < deadline, f"timed out; events so far: {self.events}"
            await asyncio.sleep(0.05)

    @property
    def comments(self) -> list[Comment]:
        return [e for e in self.events if isinstance(e, Comment)]


def _reply(text: str, cid: str = "c1") -> Reply:
    return Reply(reply_to=(cid,), text=text, lang="zh", room="test-room")


async def _sent(client: BrowserRoomClient) -> list[str]:
    assert client.page is not None
    return await client.page.locator("#sent li").all_text_contents()


def test_comments_appended_by_the_page_arrive_once(tmp_path, server):
    async def main() -> None:
        client = _client(tmp_path, server + "/console")
        assert isinstance(client, RoomConnection)
        reader = _Reader(client)
        try:
            await reader.until(lambda: len(reader.comments) == 1)  # the one already on the page
            page = client.page
            assert page is not None
            await page.evaluate("addComment('小王', '有XL码吗'); addComment('小李', '有XL码吗'); addComment('小王', '多少钱')")
            await reader.until(lambda: len(reader.comments) == 4)
            await page.evaluate("rerender()")  # the same four comments drawn again as new elements
            await page.evaluate("document.querySelector('.content-z3').textContent += ''")  # a no-op text touch
            await asyncio.sleep(1.0)
            got = [(c.user, c.text) for c in reader.comments]
            assert got == [("老顾客", "昨天买的到了"), ("小王", "有XL码吗"), ("小李", "有XL码吗"), ("小王", "多少钱")]
            assert len({c.id for c in reader.comments}) == 4 and all(c.room == "test-room" for c in reader.comments)
            assert client.stats.received == 4 and client.stats.initial == 1 and client.stats.duplicates >= 4
            assert client.capabilities.platform == "douyin-web" and client.capabilities.max_len == 50
        finally:
            await client.close()
            await reader.task

    asyncio.run(main())


def test_a_platform_id_attribute_is_the_comment_id(tmp_path, server):
    async def main() -> None:
        client = _client(tmp_path, server + "/console", _config(selectors={"id_attribute": "data-id"}))
        reader = _Reader(client)
        try:
            await client.ready.wait()
            assert client.page is not None
            await client.page.evaluate("addComment('小王', '1', 'm-17'); addComment('小王', '1', 'm-18')")
            await reader.until(lambda: len(reader.comments) == 3)
            await client.page.evaluate("rerender()")
            await asyncio.sleep(0.8)
            ids = [c.id for c in reader.comments]
            assert ids[1:] == ["douyin-web:m-17", "douyin-web:m-18"] and len(reader.comments) == 3
        finally:
            await client.close()
            await reader.task

    asyncio.run(main())


def test_a_reply_is_typed_sent_and_split_and_the_echo_is_not_a_comment(tmp_path, server):
    async def main() -> None:
        client = _client(tmp_path, server + "/console")
        reader = _Reader(client)
        try:
            await client.ready.wait()
            assert client.page is not None
            await client.page.evaluate("window.echo = true")
            await client.send(_reply("有的,XL码还有12件"))
            long = (
                "这款羽绒服是90白鸭绒,充绒量足,零下十度也不冷;XL码还有12件,黑色和白色都有货。"
                "今天下单满199减30,明天就能发货,顺丰包邮到家。"
            )
            assert len(long) > 50
            await client.send(_reply(long, "c2"))
            sent = await _sent(client)
            assert sent[0] == "有的,XL码还有12件"
            assert len(sent) == 3 and all(len(part) <= 50 for part in sent[1:])
            assert "".join(sent[1:]).replace(" ", "") in long.replace(" ", "")  # split at clause ends, nothing lost
            assert sent[1].endswith("。") and client.stats.sent == 3 and client.stats.replies_sent == 2
            assert await client.page.locator("#input-comment-block-id textarea").input_value() == ""
            # the page echoes the three posts into its comment list: once the client has read all three (and told
            # them apart as its own) a wrongly read echo would be among the comments
            await reader.until(lambda: client.stats.own_echoes >= 3, within=10.0)
            assert reader.comments and all(c.user != "主播" for c in reader.comments)  # the bot's own posts
            assert client.stats.own_echoes == 3 and not client.unsent
        finally:
            await client.close()
            await reader.task

    asyncio.run(main())


def test_the_rate_limit_holds_over_a_burst(tmp_path, server):
    async def main() -> None:
        client = _client(tmp_path, server + "/console", rate=RateLimit(2, 1.0), rate_margin_s=0.1)
        reader = _Reader(client)
        try:
            await client.ready.wait()
            started = time.monotonic()
            await asyncio.gather(*(client.send(_reply(f"第{i}条回复", f"c{i}")) for i in range(5)))
            elapsed = time.monotonic() - started
            assert client.page is not None
            sent_at = await client.page.evaluate("window.sentAt")
            assert len(await _sent(client)) == 5 and elapsed >= 1.9
            # page clock: any three consecutive posts span at least the 1 s window (2 per second, never 3)
            assert all(sent_at[i + 2] - sent_at[i] >= 1000 for i in range(len(sent_at) - 2)), sent_at
            assert client.stats.rate_waits >= 2
        finally:
            await client.close()
            await reader.task

    asyncio.run(main())


def test_a_page_that_does_not_match_the_selectors_is_a_clear_error(tmp_path, server):
    async def main() -> None:
        client = _client(tmp_path, server + "/broken", ready_timeout_s=1.5)
        reader = _Reader(client)
        try:
            await asyncio.wait_for(reader.task, 20)
        finally:
            await client.close()
        error = reader.error
        assert isinstance(error, BrowserSelectorError), error
        message = str(error)
        assert "douyin-web" in message and "#comment-list-wrapper" in message and "comment_list" in message
        assert "update" in message and "douyin-web.yaml" in message

    asyncio.run(main())


def test_an_item_part_that_no_longer_matches_is_reported_and_the_rest_goes_on(tmp_path, server):
    async def main() -> None:
        client = _client(tmp_path, server + "/console", _config(selectors={"user": ".user-name-v2"}))
        reader = _Reader(client)
        try:
            await client.ready.wait()
            await reader.until(lambda: client.stats.selector_misses >= 1)
            assert not reader.comments and reader.error is None  # nothing made up, the reader still runs
        finally:
            await client.close()
            await reader.task

    asyncio.run(main())


def test_a_reply_that_cannot_be_sent_is_unsent_with_the_reason(tmp_path, server):
    async def main() -> None:
        client = _client(tmp_path, server + "/console", send_timeout_s=1.0)
        reader = _Reader(client)
        try:
            await client.ready.wait()
            assert client.page is not None
            await client.page.evaluate("window.failSend = true")  # muted: the button does nothing
            await client.send(_reply("有的,XL码还有12件"))
            [result] = client.unsent
            assert not result.sent and result.reason is Unsent.REJECTED and "kept the text" in result.detail
            await client.page.evaluate("document.getElementById('input-comment-block-id').remove()")  # page changed
            await client.send(_reply("还有货", "c2"))
            result = client.unsent[-1]
            assert result.reason is Unsent.REJECTED and "#input-comment-block-id textarea" in result.detail
            assert "douyin-web.yaml" in result.detail and client.stats.unsent == 2 and not await _sent(client)
        finally:
            await client.close()
            await reader.task
        await client.send(_reply("晚了", "c3"))
        assert client.unsent[-1].reason is Unsent.CLOSED

    asyncio.run(main())


def test_viewer_enter_notices_become_behaviour_events_when_the_file_names_them(tmp_path, server):
    async def main() -> None:
        config = _config(selectors={"viewer_enter": 'div[class^="enterNotice"]', "viewer_enter_user": ".who"})
        client = _client(tmp_path, server + "/console", config)
        assert "viewer_enter" in client.capabilities.events
        reader = _Reader(client)
        try:
            await client.ready.wait()
            assert client.page is not None
            await client.page.evaluate("addEnter('小张'); addComment('小张', '有XL码吗')")
            await reader.until(lambda: len(reader.comments) == 2)
            enters = [e for e in reader.events if isinstance(e, ViewerEnter)]
            assert [(e.user, e.room) for e in enters] == [("小张", "test-room")]
        finally:
            await client.close()
            await reader.task

    asyncio.run(main())


def test_the_live_loop_answers_a_console_comment_in_the_console(tmp_path, server):
    """The whole path: a comment appended by the page → the bridge → BotService and the real engine (fast-tier fakes:
    hashing embedder, in-memory store) → the reply typed into the page's comment box and sent."""
    embedder = HashEmbedder()
    intents = IntentModel.fit(load_intents(ROOT / "data/intents.yaml"), embedder.encode)
    settings = MatchSettings(answer_threshold=0.5, staff_threshold=0.4)
    engine = Engine(MemoryStore(), embedder, intents, settings=settings, spool_path=str(tmp_path / "spool.jsonl"))
    scheduler = ReplyScheduler(rate_per_s=1000, burst=1000, merge_window_s=0.0, viewer_cooldown_s=0.0)
    service = BotService(engine, scheduler, reload_interval_s=0.05)

    async def main() -> None:
        client = _client(tmp_path, server + "/console")
        run = asyncio.create_task(service.run(client))
        try:
            await asyncio.wait_for(client.ready.wait(), 20)
            assert client.page is not None
            await client.page.evaluate("addComment('小王', '有推荐吗')")
            deadline = time.monotonic() + 20
            while not await _sent(client):
                assert time.monotonic() < deadline and not run.done(), "no reply reached the page"
                await asyncio.sleep(0.1)
            [posted] = await _sent(client)
            assert 0 < len(posted) <= 50 and not client.unsent
        finally:
            await client.close()
            await asyncio.wait_for(run, 20)
        rows = {row.text: row for row in engine.store.rows.values()}  # type: ignore[attr-defined]
        assert rows["有推荐吗"].status == "answered" and rows["昨天买的到了"].status in ("silent", "staff", "answered")

    asyncio.run(main())


def test_login_on_an_unreachable_login_page_is_a_clear_error(tmp_path, monkeypatch):
    """`livereply login` without network (or behind a broken proxy): a BrowserError naming the URL, which the command
    prints as one line, not Playwright's traceback. Chromium is made headless through its own flag (no display here)."""
    import bot.adapters.browser as browser

    monkeypatch.setattr(browser, "BROWSER_ARGS", ARGS)
    monkeypatch.setenv("DISPLAY", ":0")  # the window is headless anyway (--headless above)
    config = _config(login_url="http://127.0.0.1:9/login")  # the discard port: nothing listens, connection refused
    said: list[str] = []
    with pytest.raises(browser.BrowserError) as err:
        asyncio.run(browser.login(config, tmp_path / "profile", executable_path=CHROMIUM, timeout_s=5, say=said.append))
    message = str(err.value)
    assert message.startswith("douyin-web: 打不开登录页 http://127.0.0.1:9/login"), message
    assert "cannot open the login page http://127.0.0.1:9/login" in message and "\n" not in message
    assert not browser.logged_in_platforms(tmp_path / "profile")


def test_login_without_a_display_says_so_in_one_line(tmp_path):
    """`livereply login` on a server over plain ssh (no DISPLAY): Playwright's answer is a boxed wall of text telling
    the user to set `headless: true`, which login cannot use (the QR code must be seen). The command says why instead."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = str(ROOT)
    profile = tmp_path / "profile"
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "login", "--platform", "douyin-web", "--profile", str(profile),
         "--chromium", CHROMIUM, "--timeout", "5"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.strip().count("\n") == 0 and "no display" in done.stderr and "headless" not in done.stderr
    assert done.stderr.startswith("livereply: error: douyin-web: 当前会话没有图形界面"), done.stderr
    assert "ssh -X" in done.stderr and not (profile / "SingletonLock").exists()


@pytest.mark.parametrize("command", ["run", "login"])
def test_no_chromium_is_one_clear_line_before_anything_loads(tmp_path, command):
    """No Chromium on PATH, no --chromium, no Playwright browser: `run` loaded the model and then failed at launch with
    Playwright's box telling the user to run `playwright install`; `login` the same. Now one line saying what to do,
    before the model loads."""
    import os
    import subprocess
    import sys

    from bot.adapters.browser import mark_logged_in

    profile = tmp_path / "profile"
    profile.mkdir()
    mark_logged_in(str(profile), "douyin-web")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PATH": str(tmp_path / "empty-bin"), "DISPLAY": ":0",
           "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "no-browsers")}
    args = ["--platform", "douyin-web", "--profile", str(profile)]
    if command == "run":
        args += ["--room", "http://127.0.0.1:9/console", "--db", f"sqlite:///{tmp_path}/c.db"]
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", command, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "no Chromium found" in done.stderr and "--chromium" in done.stderr, done.stderr
    assert done.stderr.startswith("livereply: error: 未找到 Chromium 浏览器"), done.stderr
    assert "playwright install" not in done.stderr and done.stderr.strip().count("\n") == 0, done.stderr
    assert "model" not in done.stdout.lower(), done.stdout  # refused before the model loads


def test_the_duplicates_line_names_the_platform_room_and_no_replay_advice():
    """After a restart on a browser console, comments still on the page are skipped as already recorded: the line
    named room 'local' (--room-name's default; they are stored under 'douyin-web') and advised a new --room-name as if
    a log had been replayed."""
    from bot.cli import duplicates_line

    live = duplicates_line(1, "douyin-web", platform=True)
    assert "'douyin-web'" in live and "--room-name" not in live and "restart" in live
    replay = duplicates_line(3, "local", platform=False)
    assert "'local'" in replay and "--room-name NAME" in replay
