"""In-memory fakes of the Protocols in bot/ports.py (plus a hashing embedder): the fast tier runs the real engine
and live loop with no database, no socket and no model. Each fake keeps the contract of the real part it stands
for (tests/test_store.py and tests/test_adapter_room.py test those parts themselves)."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from bot.messages import Comment, EndOfStream, InboundEvent, Reply
from catalog.control import BotStatusRecord, CommandRecord
from catalog.io import load_catalog_file
from catalog.snapshot import CatalogSnapshot, FaqInfo, ProductInfo

ROOT = Path(__file__).resolve().parents[2]


class HashEmbedder:
    """Deterministic character-bigram hashing vectors: similar strings get similar vectors, no model needed."""

    model_id = "hash-bigrams-64"
    dim = 64

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            grams = [text[j : j + 2] for j in range(max(1, len(text) - 1))]
            for gram in grams:
                h = int.from_bytes(hashlib.blake2s(gram.encode("utf-8"), digest_size=4).digest(), "little")
                out[i, h % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    def warmup(self) -> None:
        self.encode(["warmup"])


class DatabaseDown(Exception):
    """What the fake raises while ``down`` (the real store raises SQLAlchemy's OperationalError)."""


@dataclass
class Row:
    comment_id: str
    room: str
    user: str
    text: str
    ts: float
    received_at: float
    lang: str | None
    product_id: str | None
    status: str = "received"
    reason: str | None = None
    reply_text: str | None = None


@dataclass
class OrderResult:
    ok: bool
    remaining: int | None
    reason: str | None = None


class MemoryStore:
    """LiveCatalog + CommentLog in memory, loaded from the demo catalog file. ``down = True`` fails every write."""

    def __init__(self, catalog: Path = ROOT / "data/catalog.yaml") -> None:
        data = load_catalog_file(catalog)
        self._products: dict[str, ProductInfo] = {p.id: p for p in data.products}
        self._faqs: dict[str, FaqInfo] = {
            f.id: replace(f, questions=tuple(q for q, _ in data.examples.get(f.id, ()))) for f in data.faqs
        }
        self._currency = dict(data.currency)
        self._synonyms = dict(data.synonyms)
        self.version = 1
        self.clock = 0
        self.rows: dict[tuple[str, str], Row] = {}
        self.replies: list[Reply] = []
        self.down = False
        self.restocks: dict[tuple[str, ...], float] = {}
        self.commands: list[CommandRecord] = []
        self.statuses: dict[str, BotStatusRecord] = {}

    def _check(self) -> None:
        if self.down:
            raise DatabaseDown("database unavailable")

    # LiveCatalog
    def catalog_version(self) -> int:
        return self.version

    def snapshot(self, pause: Callable[[], None] | None = None) -> CatalogSnapshot:
        if pause is not None:
            pause()
        return CatalogSnapshot(
            version=self.version, products=dict(self._products), faqs=dict(self._faqs), currency=self._currency,
            synonyms=self._synonyms,
        )

    def products(self) -> dict[str, ProductInfo]:
        return dict(self._products)

    def product(self, product_id: str) -> ProductInfo | None:
        return self._products.get(product_id)

    def products_changed_since(self, tick: int) -> list[str]:
        return list(self._products)

    def products_by_id(self, product_ids: Sequence[str]) -> dict[str, ProductInfo]:
        return {pid: self._products[pid] for pid in product_ids if pid in self._products}

    def stock_clock(self) -> int:
        self._check()
        self.clock += 1  # the fake cannot see who changed what: every check looks like a change (always re-read)
        return self.clock

    def set_stock(self, sku: str, stock: int, *, reason: str = "set") -> int:
        self._check()
        for pid, product in self._products.items():
            for i, v in enumerate(product.variants):
                if v.sku == sku:
                    variants = list(product.variants)
                    variants[i] = replace(v, stock=stock)
                    self._products[pid] = replace(product, variants=tuple(variants))
                    return v.stock
        raise KeyError(f"unknown SKU: {sku}")

    def apply_order(self, order_id: str, sku: str, qty: int) -> OrderResult:
        return OrderResult(ok=False, remaining=None, reason="not supported by the fake")

    def last_restock(self, skus: Sequence[str]) -> float | None:
        return self.restocks.get(tuple(sorted(skus)))

    # CommentLog
    def record_comments(
        self, comments: Sequence[Comment], *, received_at: Sequence[float] | float | None = None
    ) -> set[tuple[str, str]]:
        self._check()
        times = [received_at] * len(comments) if not isinstance(received_at, Sequence) else list(received_at)
        inserted = set()
        for c, at in zip(comments, times, strict=True):
            key = (c.room, c.id)
            if key in self.rows:
                continue
            self.rows[key] = Row(c.id, c.room, c.user, c.text, c.ts, at or time.time(), c.lang, c.product_id)
            inserted.add(key)
        return inserted

    def set_comment_outcomes(
        self, outcomes: Sequence[tuple[str, str, Mapping[str, Any]]], *, only_undecided: bool = False
    ) -> int:
        self._check()
        n = 0
        for room, cid, fields in outcomes:
            row = self.rows.get((room, cid))
            if row is None or (only_undecided and row.status != "received"):
                continue
            row.status, row.reason, row.reply_text = fields["status"], fields.get("reason"), fields.get("reply_text")
            n += 1
        return n

    def record_comment(
        self, comment: Any, status: str = "received", *, received_at: float | None = None, raise_errors: bool = False
    ) -> bool:
        return bool(self.record_comments([comment], received_at=received_at))

    def set_comment_outcome(self, comment_id: str, status: str, **fields: Any) -> bool:
        room = fields.pop("room", None) or "local"
        return bool(self.set_comment_outcomes([(room, comment_id, {"status": status, **fields})]))

    def unfinished_comments(self, room: str | None = None, limit: int = 10_000) -> list[Row]:
        return [r for r in self.rows.values() if r.status == "received" and (room is None or r.room == room)][:limit]

    def record_reply(self, reply: Any) -> bool:
        return self.record_replies([reply])

    def record_replies(self, replies: Sequence[Any]) -> bool:
        self._check()
        self.replies.extend(replies)
        return True

    # the console channel (catalog.control.ConsoleChannel): an outbox of commands and the bot's heartbeat
    def enqueue(self, kind: str, payload: Mapping[str, Any] | None = None, room: str | None = None) -> int:
        command = CommandRecord(len(self.commands) + 1, kind, room, dict(payload or {}), "pending", time.time(),
                                "test", None, None)
        self.commands.append(command)
        return command.id

    def claim_commands(self, room: str | None, kinds: Sequence[str] = ("answer", "pause", "resume"),
                       limit: int = 20) -> list[CommandRecord]:
        self._check()
        taken: list[CommandRecord] = []
        for i, c in enumerate(self.commands):
            if c.status == "pending" and c.kind in kinds and c.room in (None, room) and len(taken) < limit:
                self.commands[i] = replace(c, status="claimed")
                taken.append(self.commands[i])
        return taken

    def finish_command(self, command_id: int, result: str, *, ok: bool = True) -> None:
        self._check()
        i = command_id - 1
        self.commands[i] = replace(self.commands[i], status="done" if ok else "failed", done_at=time.time(), result=result)

    def heartbeat(self, status: BotStatusRecord) -> None:
        self._check()
        self.statuses[status.room] = status


class MemoryRoom:
    """RoomConnection: events pushed by the test, replies and acks collected. ``send_delay`` makes sends slow."""

    def __init__(self, events: Sequence[InboundEvent] = (), room: str = "local") -> None:
        self.room = room
        self.queue: asyncio.Queue[InboundEvent] = asyncio.Queue()
        for i, e in enumerate(events):
            self.queue.put_nowait(dataclasses.replace(e, seq=i + 1))
        self.sent: list[Reply] = []
        self.acks: list[int] = []
        self.send_delay = 0.0
        self.closed = False

    def end(self) -> None:
        self.queue.put_nowait(EndOfStream(ts=0.0, room=self.room))

    async def events(self) -> AsyncIterator[InboundEvent]:
        while True:
            event = await self.queue.get()
            yield event
            if isinstance(event, EndOfStream):
                return

    async def send(self, reply: Reply) -> None:
        if self.send_delay:
            await asyncio.sleep(self.send_delay)
        self.sent.append(reply)

    async def ack(self, seq: int) -> None:
        self.acks.append(seq)

    async def close(self) -> None:
        self.closed = True
