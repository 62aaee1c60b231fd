"""A Twitch chat, Bilibili room, YouTube API or shop console page that cannot be reached: `livereply run` says so in
one line in the terminal's language (once per run of failures, and once when it answers again), as it does for the
generic protocol (tests/test_cli_run_lines.py), instead of leaving the staff member with nothing or with the log's
English warnings. Real sockets on 127.0.0.1: a closed port, or the tests' fake servers."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot import cli_i18n
from bot.adapters.bilibili import BilibiliRoomClient
from bot.adapters.twitch import TwitchRoomClient
from bot.adapters.youtube import YouTubeError, YouTubeLiveChat
from bot.cli import room_reach_line
from tests.test_bilibili_protocol import FakeBilibiliServer, start
from tests.test_twitch import CHANNEL, NICK, TOKEN, FakeTwitch, Reader, client_for, until

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
HAN = re.compile(r"[\u4e00-\u9fff]")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _failures(client: object, at_least: int = 4) -> None:
    for _ in range(1000):
        if getattr(client, "stats").connect_failures >= at_least:  # noqa: B009 - Twitch and Bilibili stats alike
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"fewer than {at_least} connect failures")


# ------------------------------------------------------------------------------------------------ the adapters


def test_twitch_tells_once_per_run_of_failures_and_once_when_back() -> None:
    told: list[bool] = []

    async def scenario() -> None:
        url = f"ws://127.0.0.1:{_closed_port()}"
        client = TwitchRoomClient(url, CHANNEL, nick=NICK, token=TOKEN, backoff_initial=0.01, backoff_max=0.02)
        client.reachability.listener = told.append
        reader = Reader(client)
        await _failures(client)
        await reader.stop()
        assert told == [False]  # many failed connects, one line
        told.clear()
        async with FakeTwitch() as server:  # a first login that never gets its welcome, then a good one
            server.silent_logins = 1
            client = client_for(server, login_timeout=0.3)
            client.reachability.listener = told.append
            reader = Reader(client)
            await until(lambda: client.connected, what="connected")
            await reader.stop()

    asyncio.run(scenario())
    assert told == [False, True]


def test_twitch_that_connects_at_once_says_nothing() -> None:
    told: list[bool] = []

    async def scenario() -> None:
        async with FakeTwitch() as server:
            client = client_for(server)
            client.reachability.listener = told.append
            reader = Reader(client)
            await until(lambda: client.connected, what="connected")
            await reader.stop()

    asyncio.run(scenario())
    assert told == []


def test_bilibili_tells_a_closed_port_and_a_refused_room_id_once() -> None:
    told: list[bool] = []

    async def read(client: BilibiliRoomClient) -> None:
        async for _ in client.events():
            pass

    async def scenario() -> None:
        client = BilibiliRoomClient(f"ws://127.0.0.1:{_closed_port()}/sub", 7, backoff_initial=0.01, backoff_max=0.02)
        client.reachability.listener = told.append
        task = asyncio.create_task(read(client))
        await _failures(client)
        await client.close()
        await asyncio.wait_for(task, 5)
        assert told == [False]
        told.clear()

        async def script(fake, ws, conn):  # type: ignore[no-untyped-def]
            await ws.wait_closed()

        fake = FakeBilibiliServer(script, auth_code=-101)  # the server does not take this room id
        async with await start(fake):
            client = BilibiliRoomClient(fake.url, 7, backoff_initial=0.01, backoff_max=0.02)
            client.reachability.listener = told.append
            task = asyncio.create_task(read(client))
            await _failures(client, at_least=3)
            await client.close()
            await asyncio.wait_for(task, 5)

    asyncio.run(scenario())
    assert told == [False]


def test_youtube_tells_once_that_it_cannot_reach_the_api_before_giving_up() -> None:
    told: list[bool] = []

    async def scenario() -> None:
        chat = YouTubeLiveChat(
            "chat1", access_token="ya29.test", base_url=f"http://127.0.0.1:{_closed_port()}/youtube/v3",
            backoff_initial=0.01, backoff_max=0.02, max_failures=4, min_poll_s=0.0,
        )
        chat.reachability.listener = told.append
        try:
            with pytest.raises(YouTubeError, match="giving up"):
                async for _ in chat.events():
                    pass
            assert chat.stats.poll_failures == 5
        finally:
            await chat.close()

    asyncio.run(scenario())
    assert told == [False]


def test_youtube_says_a_chat_it_does_not_know_on_the_first_poll_and_not_an_ended_one() -> None:
    from tests.fake_http import FakeHTTPServer
    from tests.test_youtube import FakeYouTube, error, text_item

    async def scenario(first: list, later: list) -> tuple[bool, int]:  # type: ignore[type-arg]
        fake = FakeYouTube([text_item(0)], page_size=1, interval_ms=10)
        fake.list_overrides = list(first)
        async with FakeHTTPServer(fake) as server:
            chat = YouTubeLiveChat("nochat", access_token="ya29.test", base_url=f"{server.url}/youtube/v3",
                                   min_poll_s=0.0, backoff_initial=0.01, backoff_max=0.02)
            got = 0
            try:
                async for _ in chat.events():
                    got += 1
                    fake.list_overrides.extend(later)
            finally:
                await chat.close()
            return chat.chat_not_found, got

    assert asyncio.run(scenario([error(404, "liveChatNotFound")], [])) == (True, 0)  # a mistyped id
    assert asyncio.run(scenario([error(404, "notFound")], [])) == (True, 0)
    assert asyncio.run(scenario([error(403, "liveChatEnded")], [])) == (False, 0)  # it existed: ended
    assert asyncio.run(scenario([], [error(404, "liveChatNotFound")])) == (False, 1)  # read, then gone: ended


def test_the_youtube_not_found_line_is_in_the_terminals_language() -> None:
    from bot.cli import youtube_not_found_line

    before = cli_i18n.current()
    try:
        cli_i18n.use(cli_i18n.resolve("zh"))
        zh = youtube_not_found_line("Cg0KC2FiYw")
        cli_i18n.use(cli_i18n.resolve("en"))
        en = youtube_not_found_line("Cg0KC2FiYw")
    finally:
        cli_i18n.use(before)
    assert zh.startswith("• youtube") and "没有直播聊天 Cg0KC2FiYw" in zh and "--youtube-chat" in zh
    assert en == ("• youtube    YouTube has no live chat Cg0KC2FiYw (HTTP 404): check --youtube-chat, the broadcast's "
                  "liveChatId (not the video id)")


# ------------------------------------------------------------------------------------------------ the lines


@pytest.mark.parametrize("platform, where", [
    ("twitch", "wss://irc-ws.chat.twitch.tv:443"),
    ("bilibili", "7 (wss://broadcastlv.chat.bilibili.com/sub)"),
    ("youtube", "https://www.googleapis.com/youtube/v3"),
    ("fake-console", "http://127.0.0.1:8766/console"),
    ("douyin-web", "https://buyin.jinritemai.com/dashboard/live/control"),
])
def test_the_line_is_in_the_terminals_language(platform: str, where: str) -> None:
    before = cli_i18n.current()
    try:
        cli_i18n.use(cli_i18n.resolve("zh"))
        zh = room_reach_line(where, False, platform=platform)
        cli_i18n.use(cli_i18n.resolve("en"))
        en = room_reach_line(where, False, platform=platform)
    finally:
        cli_i18n.use(before)
    assert zh.startswith(f"• {platform}") and en.startswith(f"• {platform}")
    assert where in zh and where in en
    zh_words = HAN.sub("", zh.replace(where, "")).replace(platform, "")
    assert not re.search(r"\b(cannot|check|the|bot|network)\b", zh_words), zh  # no English sentence in Chinese
    if platform.endswith("-web") or platform == "fake-console":  # the shop consoles: Chinese first on English too
        assert en.startswith(zh.split(" / ")[0]) and "cannot open the console page" in en
    else:
        assert not HAN.search(en), en
        assert ("cannot reach" in en or "cannot enter" in en) and "check" in en


# ------------------------------------------------------------------------------------------------ `livereply run`


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVEREPLY_")}
    env.update(PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", OPENBLAS_NUM_THREADS="1")
    return env


def test_run_on_bilibili_says_in_english_that_the_room_cannot_be_entered(tmp_path: Path) -> None:
    url = f"ws://127.0.0.1:{_closed_port()}/sub"
    run = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--platform", "bilibili", "--room", url, "--room-id", "7",
         "--ui-lang", "en", "--db", f"sqlite:///{tmp_path / 'shop.db'}", "--no-encoder-process"],
        cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        lines: list[str] = []
        deadline = time.monotonic() + 120
        assert run.stdout is not None
        while time.monotonic() < deadline:
            line = run.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if "cannot enter" in line:
                time.sleep(1.0)  # more failed connects meanwhile: still one line
                break
        run.send_signal(signal.SIGINT)
        out, err = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    lines += out.splitlines()
    said = [line for line in lines if "cannot enter" in line]
    expected = (f"• bilibili   cannot enter Bilibili room 7 ({url}) yet: check --room-id, the network and --room "
                "(wss://broadcastlv.chat.bilibili.com/sub). The bot keeps retrying in the background and starts "
                "answering once it connects (Ctrl+C to stop)")
    assert said == [expected], (lines, err)


def test_run_on_a_console_page_that_does_not_open_says_so_in_chinese(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}")
    url = f"http://127.0.0.1:{_closed_port()}/console"
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run", "--platform", "fake-console", "--room", url, "--ui-lang", "zh",
         "--profile", str(tmp_path / "profile"), "--db", f"sqlite:///{tmp_path / 'shop.db'}", "--chromium", CHROMIUM,
         "--no-encoder-process"],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=180,
    )
    said = [line for line in done.stdout.splitlines() if "打不开中控台页面" in line]
    assert said == [f"• fake-console 打不开中控台页面 {url}:请检查网络和 --room 地址;机器人将停止"], (done.stdout, done.stderr)
    assert done.returncode == 2
