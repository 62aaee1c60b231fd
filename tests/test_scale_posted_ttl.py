"""How long the gateway's posted marks (``<prefix>:posted:<who>:<comment id>``) live, against its reply age limit
(``--max-reply-age-s``): a reply entry read again — a restarted gateway, a re-created group, a worker's retried XADD —
is never posted a second time, whenever it comes back. While it is young enough to be posted its mark is there (the
mark lives age limit + 120 s, derived from the same setting); once the mark is gone it is too old and dropped.

Real Redis (127.0.0.1:6379) and a real local room. No test waits for a mark to expire: Redis expiry is emulated by
taking the elapsed time off the mark's TTL (``PEXPIRE``; deleted when nothing is left), and an entry's age by giving
it an id in the past — the gateway's decision depends on nothing else."""

from __future__ import annotations

import asyncio
import math
import uuid
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main as cli_main
from bot.room import LocalRoom
from bot.scale.streams import (
    MAX_REPLY_AGE_LIMIT_S,
    REPLY_XADD_RETRY_S,
    GatewaySpool,
    out_key,
    posted_mark_ttl_s,
    room_of,
)
from tests.test_scale_walkthrough import _delete_marks, _open_room, _reply, _running, _streams, _until


@pytest.mark.parametrize("age", [0.001, 0.5, 1.0, 59.5, 60.0, 600.0, 3600.0, float(MAX_REPLY_AGE_LIMIT_S)])
def test_a_mark_outlives_every_entry_of_its_reply_that_could_still_be_posted(age: float) -> None:
    """A mark is set when the entry is at most ``age`` old; a retried XADD is at most REPLY_XADD_RETRY_S younger.
    So the TTL must be at least age + REPLY_XADD_RETRY_S (it was a week at most, whatever the limit)."""
    ttl = posted_mark_ttl_s(age)
    assert ttl >= age + REPLY_XADD_RETRY_S and ttl > 120


@pytest.mark.parametrize("age", [0.0, -5.0, math.nan, math.inf, MAX_REPLY_AGE_LIMIT_S + 1.0])
def test_an_age_limit_that_cannot_bound_the_marks_is_refused(age: float, capsys) -> None:  # type: ignore[no-untyped-def]
    """No limit (inf, NaN: NaN never compares older) or more than a week: marks would expire while the reply could
    still be posted (they were capped at a week), so a re-delivered reply would be posted twice. Refused."""
    with pytest.raises(ValueError, match="more than 0 and at most 604800 s"):
        posted_mark_ttl_s(age)
    code = cli_main(["gateway", "--room", "ws://127.0.0.1:1", "--stream-prefix", "lr:ttl", "--max-reply-age-s", str(age)])
    assert code == 2
    assert "--max-reply-age-s: the reply age limit must be more than 0 and at most 604800 s" in capsys.readouterr().err


async def _redis_ms(redis: Any) -> int:
    seconds, micros = await redis.time()
    return int(seconds) * 1000 + int(micros) // 1000


async def _serve(redis: Any, room: LocalRoom, prefix: str, spool: Path, max_age: float, last: str) -> Any:
    """A real gateway until it has read and acknowledged every reply entry up to ``last`` (+0.5 s: anything posted
    twice arrives by then); its stats."""
    from bot.adapters.generic import RoomClient
    from bot.scale.gateway import Gateway

    gateway = Gateway(RoomClient(room.url, room=room_of(prefix)), redis, prefix, spool=GatewaySpool(spool),
                      stop_at_end=False, block_ms=100, max_reply_age_s=max_age)

    async def done() -> bool:
        groups = await redis.xinfo_groups(out_key(prefix))
        return bool(groups) and groups[0]["last-delivered-id"] == last and groups[0]["pending"] == 0

    async with _running(gateway):
        await _until(done)
        await asyncio.sleep(0.5)
    return gateway.stats


async def _later(redis: Any, mark: str, seconds: float) -> None:
    """The mark as Redis keeps it ``seconds`` from now: its TTL less that, or gone."""
    left = await redis.pttl(mark) - int(seconds * 1000)
    if left > 0:
        await redis.pexpire(mark, left)
    else:
        await redis.delete(mark)


@pytest.mark.slow  # needs a Redis server: not in the fast tier
def test_a_reply_read_again_181_s_after_its_post_and_still_young_enough_is_not_posted_twice(tmp_path: Path) -> None:
    """A gateway with a 600 s age limit posts a reply that waited 200 s (and its retried XADD, 5 s younger, once).
    181 s later (past the old fixed 180 s mark) both entries come back (a restart after the group was reset): 381 s
    old, under the limit, so the age check lets them through and only the mark stops them. It is still there
    (600 + 120 s): nothing is posted again (was: the mark had expired and the reply was posted a second time)."""
    prefix = f"lr:m{uuid.uuid4().hex[:8]}"
    max_age = 600.0

    async def main() -> tuple[list[str], Any, Any, int, int]:
        async with _streams(prefix) as redis, _open_room() as room:
            try:
                written = await _redis_ms(redis) - 200_000
                fields = _reply("有的，XL还有3件", "c7", room_of(prefix))
                await redis.xadd(out_key(prefix), fields, id=f"{written}-0")
                last = await redis.xadd(out_key(prefix), fields, id=f"{written + 5_000}-0")  # the retried XADD
                first = await _serve(redis, room, prefix, tmp_path / "a.jsonl", max_age, last)
                mark = f"{prefix}:posted:bot:c7"
                expires = await _redis_ms(redis) + await redis.pttl(mark)
                await _later(redis, mark, 181.0)
                await redis.xgroup_setid(out_key(prefix), "gateway", "0")  # every entry delivered again
                again = await _serve(redis, room, prefix, tmp_path / "b.jsonl", max_age, last)
                return [r.text for _, r in room.replies], first, again, expires, written
            finally:
                await _delete_marks(redis, prefix)

    texts, first, again, expires, written = asyncio.run(main())
    assert (first.replies_posted, first.already_posted) == (1, 1)
    assert texts == ["有的，XL还有3件"]  # was: posted twice
    assert (again.replies_posted, again.already_posted, again.stale_replies) == (0, 2, 0)
    # the mark outlives the last moment any entry of the reply could be posted: its retry's time + the age limit
    assert expires >= written + 5_000 + max_age * 1000


@pytest.mark.slow
def test_once_its_mark_has_expired_a_reply_read_again_is_too_old_and_dropped(tmp_path: Path) -> None:
    """The other side, with a small age limit (1 s): a reply and its retried XADD are posted once. When their mark
    expires (here: deleted once the entries are past the limit; the real TTL, 121 s, is far longer) both entries
    come back and are dropped by the age check, acknowledged and never posted."""
    prefix = f"lr:d{uuid.uuid4().hex[:8]}"
    max_age = 1.0

    async def main() -> tuple[list[str], Any, Any, int]:
        async with _streams(prefix) as redis, _open_room() as room:
            try:
                fields = _reply("包邮", "c8", room_of(prefix))
                await redis.xadd(out_key(prefix), fields)
                last = await redis.xadd(out_key(prefix), fields)  # the retried XADD
                first = await _serve(redis, room, prefix, tmp_path / "a.jsonl", max_age, last)
                mark = f"{prefix}:posted:bot:c8"
                ttl = await redis.ttl(mark)
                await asyncio.sleep(max(0.0, max_age + 0.2 - 0.5))  # _serve waited 0.5 s: the entries are > 1 s old
                await _later(redis, mark, posted_mark_ttl_s(max_age))  # expired
                assert not await redis.exists(mark)
                await redis.xgroup_setid(out_key(prefix), "gateway", "0")
                again = await _serve(redis, room, prefix, tmp_path / "b.jsonl", max_age, last)
                pending = await redis.xpending(out_key(prefix), "gateway")
                assert pending["pending"] == 0
                return [r.text for _, r in room.replies], first, again, ttl
            finally:
                await _delete_marks(redis, prefix)

    texts, first, again, ttl = asyncio.run(main())
    assert (first.replies_posted, first.already_posted) == (1, 1)
    assert max_age + REPLY_XADD_RETRY_S < ttl <= posted_mark_ttl_s(max_age) == 121
    assert (again.replies_posted, again.already_posted, again.stale_replies) == (0, 0, 2)
    assert texts == ["包邮"]
