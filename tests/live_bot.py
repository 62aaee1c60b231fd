"""A running bot for browser tests: `BotService` over a `MemoryRoom` on its own event loop and thread, with the
hashing embedder (no model), so the console under test talks to a live bot in the same process."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.engine import Engine
from bot.messages import Comment
from bot.pipeline import MatchSettings
from bot.replies import ReplyScheduler
from bot.service import BotService
from catalog.store import CatalogStore
from models.intents import IntentModel, load_intents
from tests.fast.fakes import HashEmbedder, MemoryRoom

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SETTINGS = MatchSettings(answer_threshold=0.5, staff_threshold=0.4)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_console(store: CatalogStore, monkeypatch: Any, password: str) -> Iterator[Any]:
    """For a fixture (``yield from``): the console served by uvicorn on 127.0.0.1 (a real TCP peer address), as
    `livereply demo` starts it, with ``password`` for the first sign-in; stopped afterwards."""
    from bot.config import Settings
    from bot.console.server import PASSWORD_ENV, start_console_thread

    monkeypatch.setenv(PASSWORD_ENV, password)
    handle = start_console_thread(store, Settings(db=str(store.engine.url), console_port=free_port()))
    try:
        yield handle
    finally:
        handle.stop()


def serve_catalog_console(settings: Any, make_runtime: Any = None) -> Iterator[tuple[CatalogStore, Any]]:
    """For a fixture (``yield from``): a store on ``settings.db`` with the demo catalog imported and the console on it
    (uvicorn on 127.0.0.1), with ``make_runtime(store)``'s runtime when given (the try page's engine); yields
    (store, handle), stops the console and closes the store afterwards."""
    from bot.console.server import start_console_thread
    from catalog.io import import_catalog

    store = CatalogStore(settings.db)
    try:
        import_catalog(store, ROOT / "data" / "catalog.yaml")
        handle = start_console_thread(store, settings, make_runtime(store) if make_runtime is not None else None)
        try:
            yield store, handle
        finally:
            handle.stop()
    finally:
        store.close()


class BotThread:
    """A BotService serving a MemoryRoom on its own event loop; comments are pushed from the test thread."""

    def __init__(self, store: CatalogStore, spool: str, settings: MatchSettings = DEFAULT_SETTINGS,
                 setting_sources: dict[str, str] | None = None) -> None:
        embedder = HashEmbedder()
        intents = IntentModel.fit(load_intents(ROOT / "data/intents.yaml"), embedder.encode)
        self.engine = Engine(store, embedder, intents, settings=settings, spool_path=spool)
        self.service = BotService(self.engine, ReplyScheduler(merge_window_s=0.1, viewer_cooldown_s=0),
                                  setting_sources=setting_sources)
        self.loop = asyncio.new_event_loop()
        self.room: MemoryRoom | None = None
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        assert self.ready.wait(5)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)

        async def main() -> None:
            self.room = MemoryRoom()
            self.ready.set()
            await self.service.run(self.room)

        self.loop.run_until_complete(main())

    def say(self, comment: Comment) -> None:
        assert self.room is not None
        self.loop.call_soon_threadsafe(self.room.queue.put_nowait, comment)

    def ask(self, comment_id: str, text: str, timeout_s: float = 10.0) -> str:
        """Say ``text`` as viewer ``viewer-<comment_id>`` and return the next reply the bot posts (AssertionError when
        none comes within ``timeout_s``)."""
        assert self.room is not None
        sent = len(self.room.sent)
        self.say(Comment(id=comment_id, user=f"viewer-{comment_id}", text=text, ts=time.time(), room="local"))
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if len(self.room.sent) > sent:
                return self.room.sent[-1].text
            time.sleep(0.05)
        raise AssertionError(f"no reply to {text!r}")

    def stop(self) -> None:
        if self.room is not None:
            self.loop.call_soon_threadsafe(self.room.end)
        self.thread.join(10)


def bot_as_run_starts_it(store: CatalogStore, spool: str, given: dict[str, Any], room: str = "local",
                         env: dict[str, str] | None = None) -> BotThread:
    """A BotThread whose settings come as `livereply run` makes them: the start configuration `given` (the flags) and
    `env` (LIVEREPLY_* variables; none by default) with the room's language settings kept from the console
    (bot/room_lang_start.py) where they leave them out, and where each came from (the heartbeat says it); returns
    once its first heartbeat is written."""
    import time

    from bot.bootstrap import match_settings
    from bot.config import Settings
    from bot.console.live import bot_state
    from bot.room_lang_start import room_langs_at_start
    from catalog.room_settings import room_lang_settings

    env = env or {}
    start = room_langs_at_start(Settings.load(given, env=env), room_lang_settings(store, room), given=given, env=env)
    bot = BotThread(store, spool, settings=match_settings(start.settings),
                    setting_sources={o.name: o.source for o in start.origins})
    deadline = time.monotonic() + 10
    while room not in bot_state(store).rooms:
        if time.monotonic() > deadline:
            bot.stop()
            raise AssertionError("no heartbeat from the bot")
        time.sleep(0.05)
    return bot
