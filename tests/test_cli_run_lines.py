"""What `livereply run` tells the person starting it, in the terminal's language (the new-user walkthrough): where the
staff console is and how to open it; and, when the room cannot be reached, one clear line (and one when it is back)
instead of relying on the English reconnect warnings, which are rate-limited."""

from __future__ import annotations

import asyncio
import logging
import socket
from pathlib import Path

import pytest

from bot.cli import main

NO_INTENTS = "/no/such/intents.yaml"  # `run` stops at its first loading step: what it said before that is the start


def _start_of_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str):
    monkeypatch.chdir(tmp_path)
    for var in ("LIVEREPLY_DB", "LIVEREPLY_CONSOLE_HOST", "LIVEREPLY_UI_LANG"):
        monkeypatch.delenv(var, raising=False)
    code = main(["run", *argv, "--intents", NO_INTENTS, "--no-encoder-process"])
    out, err = capsys.readouterr()
    assert code == 2 and "intent" in err
    return out.splitlines()


def _console_line(lines: list[str]) -> str:
    found = [line for line in lines if "livereply console" in line]
    assert len(found) == 1, lines
    return found[0]


def test_run_says_how_to_open_the_staff_console_in_chinese(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.delenv("LIVEREPLY_CONSOLE_PORT", raising=False)
    line = _console_line(_start_of_run(tmp_path, monkeypatch, capsys, "--ui-lang", "zh"))
    assert line.startswith("• 员工后台") and "另开一个终端" in line
    assert "`livereply console`" in line and "http://127.0.0.1:8080" in line  # the default database: no --db needed


def test_run_says_how_to_open_the_staff_console_in_english_with_its_database(tmp_path, monkeypatch, capsys) -> None:
    db = f"sqlite:///{tmp_path / 'shop.db'}"
    monkeypatch.setenv("LIVEREPLY_CONSOLE_PORT", "8099")  # `console` reads it too: the address it will listen on
    line = _console_line(_start_of_run(tmp_path, monkeypatch, capsys, "--ui-lang", "en", "--db", db))
    assert line.startswith("• console") and "in another terminal run" in line
    assert f"`livereply console --db {db}`" in line and "http://127.0.0.1:8099" in line


def test_the_console_line_never_shows_a_database_password(tmp_path, monkeypatch, capsys) -> None:
    line = _console_line(_start_of_run(tmp_path, monkeypatch, capsys, "--ui-lang", "en",
                                       "--db", "postgresql://shop:s3cret@db.example/live"))
    assert "s3cret" not in line and "--db postgresql://shop:***@db.example/live" in line


# ------------------------------------------------------------------------------------ a room that cannot be reached


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_room_is_told_once_then_once_when_it_answers_and_the_warnings_are_rate_limited(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from websockets.asyncio.server import serve

    from bot.adapters.generic import RoomClient

    port = _free_port()
    url = f"ws://127.0.0.1:{port}"
    told: list[bool] = []

    async def scenario() -> None:
        client = RoomClient(url, backoff_initial=0.01, backoff_max=0.02)
        client.reachability.listener = told.append

        async def read() -> None:
            async for _ in client.events():
                pass

        task = asyncio.create_task(read())
        for _ in range(500):
            if client.stats.connect_failures >= 20:
                break
            await asyncio.sleep(0.01)
        assert client.stats.connect_failures >= 20 and told == [False]  # one line for the whole run of failures

        async def hold(ws) -> None:  # type: ignore[no-untyped-def]
            await ws.wait_closed()

        async with serve(hold, "127.0.0.1", port):
            for _ in range(500):
                if client.stats.connects:
                    break
                await asyncio.sleep(0.01)
            assert client.stats.connects == 1
            await client.close()
            await asyncio.wait_for(task, 5)

    with caplog.at_level(logging.WARNING, logger="bot.adapters.wsconnect"):
        asyncio.run(scenario())
    assert told == [False, True]
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.adapters.wsconnect"]
    assert lines[0].startswith(f"the room at {url} cannot be reached (")
    assert len(lines) == 2 and lines[1].startswith(f"cannot connect to {url} (attempt 2)")  # then at most once a minute


def test_the_unreachable_room_line_follows_the_cli_language() -> None:
    from bot import cli_i18n
    from bot.cli import room_reach_line

    before = cli_i18n.current()
    try:
        cli_i18n.use(cli_i18n.resolve("zh"))
        lost, back = room_reach_line("ws://127.0.0.1:8765", False), room_reach_line("ws://127.0.0.1:8765", True)
        assert lost.startswith("• 直播间") and "连不上" in lost and "ws://127.0.0.1:8765" in lost
        assert back.startswith("• 直播间") and "已连上" in back
        cli_i18n.use(cli_i18n.resolve("en"))
        assert "cannot reach ws://127.0.0.1:8765 yet" in room_reach_line("ws://127.0.0.1:8765", False)
    finally:
        cli_i18n.use(before)
