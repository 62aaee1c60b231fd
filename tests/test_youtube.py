"""YouTube live chat (Data API v3) against a fake API on 127.0.0.1: polling with pollingIntervalMillis and page tokens,
the insert body, quota arithmetic and refusal, the 401/403/404/HTML paths, and a token that never shows up in logs."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

import pytest

from bot.adapters.credentials import CredentialError
from bot.adapters.posting import Unsent
from bot.adapters.youtube import YouTubeAuthError, YouTubeError, YouTubeLiveChat, YouTubeQuotaError
from bot.adapters.youtube_codec import INSERT_COST, LIST_COST, QuotaBudget, insert_body, parse_error, parse_page
from bot.messages import Comment, Reply
from bot.ports import RoomConnection
from tests.fake_http import FakeHTTPServer, FakeRequest, FakeResponse, html, json_response

pytestmark = pytest.mark.timeout(60)

CHAT = "Cg0KC2xpdmVjaGF0LWlk"
TOKEN = "ya29.a0AfH6SMB-test-token-do-not-print"
BOT_CHANNEL = "UCbot0000000000000000000"


def run(coro):
    async def guarded():
        return await asyncio.wait_for(coro, 30)

    return asyncio.run(guarded())


def error(status: int, reason: str, message: str = "", domain: str = "youtube.liveChat") -> FakeResponse:
    body = {
        "error": {
            "code": status,
            "message": message or reason,
            "errors": [{"domain": domain, "reason": reason, "message": message}],
        }
    }
    return json_response(body, status)


def text_item(n: int, text: str | None = None, channel: str | None = None) -> dict[str, Any]:
    return {
        "kind": "youtube#liveChatMessage",
        "id": f"m{n}",
        "snippet": {
            "type": "textMessageEvent",
            "liveChatId": CHAT,
            "authorChannelId": channel or f"UCviewer{n % 3}",
            "publishedAt": f"2026-12-01T15:00:{n:02d}.250Z",
            "hasDisplayContent": True,
            "displayMessage": text if text is not None else f"how much is item {n}?",
            "textMessageDetails": {"messageText": text if text is not None else f"how much is item {n}?"},
        },
        "authorDetails": {"channelId": channel or f"UCviewer{n % 3}", "displayName": f"viewer {n % 3}", "isChatOwner": False},
    }


class FakeYouTube:
    """A live chat: ``messages`` in order; a page token is the index of the next message (as a string)."""

    def __init__(self, messages: list[dict[str, Any]] | None = None, *, page_size: int = 2, interval_ms: int = 100) -> None:
        self.messages = list(messages or [])
        self.page_size = page_size
        self.interval_ms = interval_ms
        self.overlap = 0  # re-serve this many already-served items at the start of every page
        self.overrides: list[FakeResponse] = []  # answered first, in turn, to any request
        self.list_overrides: list[FakeResponse] = []
        self.insert_overrides: list[FakeResponse] = []
        self.offline_after: int | None = None  # set offlineAt once this many messages were served
        self.server: FakeHTTPServer | None = None

    def __call__(self, req: FakeRequest) -> FakeResponse:
        if self.overrides:
            return self.overrides.pop(0)
        if req.path != "/youtube/v3/liveChat/messages":
            return error(404, "notFound")
        if req.method == "GET":
            if self.list_overrides:
                return self.list_overrides.pop(0)
            start = int(req.query.get("pageToken", "0"))
            end = min(len(self.messages), start + self.page_size)
            items = self.messages[max(0, start - self.overlap) : end]
            body: dict[str, Any] = {
                "kind": "youtube#liveChatMessageListResponse",
                "nextPageToken": str(end),
                "pollingIntervalMillis": self.interval_ms,
                "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)},
                "items": items,
            }
            if self.offline_after is not None and end >= self.offline_after:
                body["offlineAt"] = "2026-12-01T16:00:00Z"
            return json_response(body)
        if req.method == "POST":
            if self.insert_overrides:
                return self.insert_overrides.pop(0)
            snippet = req.json()["snippet"]
            n = len(self.messages)
            item = text_item(n, snippet["textMessageDetails"]["messageText"], BOT_CHANNEL)
            item["id"] = f"bot{n}"
            self.messages.append(item)
            return json_response(item)
        return error(405, "methodNotAllowed")

    def gets(self) -> list[FakeRequest]:
        assert self.server is not None
        return [r for r in self.server.requests if r.method == "GET"]

    def posts(self) -> list[FakeRequest]:
        assert self.server is not None
        return [r for r in self.server.requests if r.method == "POST"]


class Harness:
    def __init__(self, fake: FakeYouTube, **kwargs: Any) -> None:
        self.fake = fake
        self.kwargs = kwargs

    async def __aenter__(self) -> tuple[FakeYouTube, YouTubeLiveChat]:
        self.server = await FakeHTTPServer(self.fake).__aenter__()
        self.fake.server = self.server
        self.kwargs.setdefault("access_token", TOKEN)
        self.kwargs.setdefault("min_poll_s", 0.0)
        self.kwargs.setdefault("backoff_initial", 0.05)
        self.kwargs.setdefault("backoff_max", 0.1)
        self.kwargs.setdefault("retry_after_s", 0.05)
        self.chat = YouTubeLiveChat(CHAT, base_url=f"{self.server.url}/youtube/v3", **self.kwargs)
        return self.fake, self.chat

    async def __aexit__(self, *exc: object) -> None:
        await self.chat.close()
        await self.server.__aexit__(None, None, None)


async def collect(chat: YouTubeLiveChat, n: int | None = None, limit_s: float = 10.0) -> list[Comment]:
    """Comments from events() until ``n`` arrived (then close) or the iteration ends by itself."""
    got: list[Comment] = []

    async def consume() -> None:
        async for event in chat.events():
            assert isinstance(event, Comment)
            got.append(event)
            if n is not None and len(got) >= n:
                await chat.close()

    await asyncio.wait_for(consume(), limit_s)
    return got


def reply(text: str, cid: str = "yt-m0") -> Reply:
    return Reply(reply_to=(cid,), text=text, lang="en", room=f"yt-{CHAT}", users=("UCviewer0",))


@pytest.fixture(autouse=True)
def _debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    assert TOKEN not in caplog.text


# ---------------------------------------------------------------------------------------------------- polling


def test_polling_follows_page_tokens_and_honours_the_interval():
    fake = FakeYouTube([text_item(i) for i in range(5)], page_size=2, interval_ms=250)

    async def scenario():
        async with Harness(fake) as (_fake, chat):
            assert isinstance(chat, RoomConnection)
            return await collect(chat, 5), chat

    comments, chat = run(scenario())
    assert [c.id for c in comments] == [f"yt-m{i}" for i in range(5)]
    first = comments[0]
    assert (first.user, first.text, first.lang, first.room) == ("UCviewer0", "how much is item 0?", None, f"yt-{CHAT}")
    assert first.ts == datetime(2026, 12, 1, 15, 0, 0, 250000, tzinfo=UTC).timestamp()
    gets = fake.gets()
    assert [g.query.get("pageToken") for g in gets] == [None, "2", "4"]
    assert all(g.query["liveChatId"] == CHAT and g.query["part"] == "snippet,authorDetails" for g in gets)
    assert all(g.headers["authorization"] == f"Bearer {TOKEN}" for g in gets)
    assert min(b.at - a.at for a, b in pairwise(gets)) >= 0.25
    assert chat.stats.polls == 3 and chat.quota.used == 3 * LIST_COST


def test_overlapping_pages_never_yield_a_comment_twice():
    fake = FakeYouTube([text_item(i) for i in range(6)], page_size=2, interval_ms=20)
    fake.overlap = 1  # every page starts with the last item of the previous one

    async def scenario():
        async with Harness(fake) as (_, chat):
            return await collect(chat, 6), chat.stats

    comments, stats = run(scenario())
    assert [c.id for c in comments] == [f"yt-m{i}" for i in range(6)]
    assert stats.duplicates >= 2


def test_min_poll_floor_wins_over_a_shorter_server_interval():
    fake = FakeYouTube([text_item(i) for i in range(3)], page_size=1, interval_ms=10)

    async def scenario():
        async with Harness(fake, min_poll_s=0.2) as (_, chat):
            await collect(chat, 3)

    run(scenario())
    assert min(b.at - a.at for a, b in pairwise(fake.gets())) >= 0.2


def test_non_text_items_are_ignored_and_malformed_ones_skipped():
    superchat = {"id": "sc1", "snippet": {"type": "superChatEvent", "publishedAt": "2026-12-01T15:00:00Z"}, "authorDetails": {}}
    broken = {"id": "b1", "snippet": {"type": "textMessageEvent", "displayMessage": "hi"}}  # no author, no time
    fake = FakeYouTube([superchat, broken, text_item(1)], page_size=3)

    async def scenario():
        async with Harness(fake) as (_, chat):
            return await collect(chat, 1), chat.stats

    comments, stats = run(scenario())
    assert [c.id for c in comments] == ["yt-m1"]
    assert stats.ignored == {"superChatEvent": 1} and stats.malformed == 1


def test_skip_backlog_drops_the_first_page_only():
    fake = FakeYouTube([text_item(i) for i in range(2)], page_size=2, interval_ms=50)

    async def scenario():
        async with Harness(fake, skip_backlog=True) as (fake_, chat):
            task = asyncio.create_task(collect(chat, 1))
            await asyncio.sleep(0.02)
            fake_.messages.append(text_item(7))
            return await task, chat.stats

    comments, stats = run(scenario())
    assert [c.id for c in comments] == ["yt-m7"] and stats.backlog == 2


@pytest.mark.parametrize(
    "ending",
    [
        error(403, "liveChatEnded", "The live chat is no longer live."),
        error(403, "liveChatDisabled"),
        error(404, "liveChatNotFound"),
    ],
)
def test_ended_chat_ends_events_cleanly(ending):
    fake = FakeYouTube([text_item(0)], page_size=1, interval_ms=10)
    fake.list_overrides = []

    async def scenario():
        async with Harness(fake) as (fake_, chat):
            got = []
            async for event in chat.events():
                got.append(event)
                fake_.list_overrides.append(ending)
            return got

    assert [c.id for c in run(scenario())] == ["yt-m0"]


def test_offline_at_ends_events_after_the_last_page():
    fake = FakeYouTube([text_item(0), text_item(1)], page_size=2)
    fake.offline_after = 2

    async def scenario():
        async with Harness(fake) as (_, chat):
            return await collect(chat)

    assert [c.id for c in run(scenario())] == ["yt-m0", "yt-m1"]


def test_transient_failures_are_retried_then_given_up():
    fake = FakeYouTube([text_item(0)], page_size=1)
    fake.list_overrides = [FakeResponse(503, b"unavailable"), html(502), error(403, "rateLimitExceeded")]

    async def scenario():
        async with Harness(fake) as (_, chat):
            return await collect(chat, 1), chat.stats.poll_failures

    comments, failures = run(scenario())
    assert [c.id for c in comments] == ["yt-m0"] and failures == 3

    fake = FakeYouTube()
    fake.list_overrides = [FakeResponse(500, b"oops")] * 3

    async def giving_up():
        async with Harness(fake, max_failures=2) as (_, chat):
            await collect(chat)

    with pytest.raises(YouTubeError, match="3 failed polls in a row"):
        run(giving_up())


def test_close_during_the_poll_wait_ends_events_promptly():
    fake = FakeYouTube([text_item(0)], interval_ms=30_000)

    async def scenario():
        async with Harness(fake) as (_, chat):
            loop = asyncio.get_running_loop()
            got = []
            start = 0.0
            async for event in chat.events():
                got.append(event)
                start = loop.time()
                loop.call_later(0.1, lambda: asyncio.ensure_future(chat.close()))
            return got, loop.time() - start

    got, elapsed = run(scenario())
    assert len(got) == 1 and elapsed < 2.0


def test_close_during_a_slow_poll_ends_events_promptly():
    fake = FakeYouTube()
    slow = json_response({"items": [], "pollingIntervalMillis": 100})
    slow.delay = 5.0
    fake.list_overrides = [slow]

    async def scenario():
        async with Harness(fake) as (_, chat):
            task = asyncio.create_task(collect(chat))
            await asyncio.sleep(0.2)
            loop = asyncio.get_running_loop()
            start = loop.time()
            await chat.close()
            got = await task
            return got, loop.time() - start

    got, elapsed = run(scenario())
    assert got == [] and elapsed < 1.0


# ---------------------------------------------------------------------------------------------------- errors


def test_401_is_a_clear_auth_error():
    fake = FakeYouTube()
    fake.list_overrides = [error(401, "authError", "Invalid Credentials", domain="global")]

    async def scenario():
        async with Harness(fake) as (_, chat):
            await collect(chat)

    with pytest.raises(YouTubeAuthError, match="expired") as err:
        run(scenario())
    assert "Refresh it" in str(err.value) and TOKEN not in str(err.value)


def test_401_rereads_a_refreshed_token_file_once(tmp_path):
    path = tmp_path / "credentials"
    path.write_text("LIVEREPLY_YOUTUBE_TOKEN=old-token\n")
    path.chmod(0o600)
    fake = FakeYouTube([text_item(0)])
    fake.list_overrides = [error(401, "authError", domain="global")]

    async def scenario():
        async with Harness(fake, access_token=None, token_file=path, env={}) as (_, chat):
            path.write_text("LIVEREPLY_YOUTUBE_TOKEN=new-token\n")  # an external refresher updated it
            return await collect(chat, 1), chat.stats.token_reloads

    comments, reloads = run(scenario())
    assert [c.id for c in comments] == ["yt-m0"] and reloads == 1
    assert [g.headers["authorization"] for g in fake.gets()] == ["Bearer old-token", "Bearer new-token"]


@pytest.mark.parametrize("body", [html(200), FakeResponse(200, b"not json", {"Content-Type": "text/plain"}), html(403)])
def test_html_instead_of_json_is_a_clear_error(body):
    fake = FakeYouTube()
    fake.list_overrides = [body]

    async def scenario():
        async with Harness(fake) as (_, chat):
            await collect(chat)

    with pytest.raises(YouTubeError, match=r"YouTube returned (HTML|a non-JSON body) instead of JSON \(status (200|403)\)"):
        run(scenario())


def test_quota_exceeded_while_polling_raises_a_quota_error():
    fake = FakeYouTube()
    fake.list_overrides = [
        error(403, "quotaExceeded", "The request cannot be completed because you have exceeded your quota.", "youtube.quota")
    ]

    async def scenario():
        async with Harness(fake) as (_, chat):
            try:
                await collect(chat)
            finally:
                assert chat.quota.remaining == 0 and not chat.capabilities.can_post

    with pytest.raises(YouTubeQuotaError, match="midnight Pacific"):
        run(scenario())


def test_polling_stops_before_overspending_our_own_budget():
    async def scenario():
        async with Harness(FakeYouTube(), quota=QuotaBudget(100, used=97)) as (fake, chat):
            with pytest.raises(YouTubeQuotaError, match="3 of 100 units left"):
                await collect(chat)
            return fake.gets()

    assert run(scenario()) == []


# ---------------------------------------------------------------------------------------------------- posting


def test_insert_body_shape_and_own_messages_are_not_read_back():
    fake = FakeYouTube([text_item(0)], page_size=5, interval_ms=20)

    async def scenario():
        async with Harness(fake) as (fake_, chat):
            got = []
            async for event in chat.events():
                got.append(event)
                if isinstance(event, Comment) and event.id == "yt-m0":
                    result = await chat.post(reply("It is $19.90, in stock."))
                    assert result.sent and result.posted == ("It is $19.90, in stock.",)
                    fake_.messages.append(text_item(9))
                if len(got) == 2:
                    break
            return got, chat

    got, chat = run(scenario())
    assert [c.id for c in got] == ["yt-m0", "yt-m9"] and chat.stats.own == 1
    (post,) = fake.posts()
    assert post.path == "/youtube/v3/liveChat/messages" and post.query == {"part": "snippet"}
    assert post.headers["authorization"] == f"Bearer {TOKEN}" and post.headers["content-type"] == "application/json"
    assert post.json() == {
        "snippet": {
            "liveChatId": CHAT,
            "type": "textMessageEvent",
            "textMessageDetails": {"messageText": "It is $19.90, in stock."},
        }
    }
    assert insert_body(CHAT, "x") == {
        "snippet": {"liveChatId": CHAT, "type": "textMessageEvent", "textMessageDetails": {"messageText": "x"}}
    }


def test_long_reply_is_split_within_200_characters_and_each_part_paid_for():
    text = " ".join(f"Sentence number {i} explains one more detail about sizes, colours and shipping." for i in range(5))

    async def scenario():
        async with Harness(FakeYouTube()) as (fake, chat):
            result = await chat.post(reply(text))
            return result, [p.json()["snippet"]["textMessageDetails"]["messageText"] for p in fake.posts()], chat.quota.used

    result, sent, used = run(scenario())
    assert result.sent and 2 <= len(sent) <= 3 and all(len(m) <= 200 for m in sent)
    assert " ".join(sent) == text and used == len(sent) * INSERT_COST


def test_low_quota_merges_into_one_message_and_refuses_what_it_cannot_pay():
    text = "A long answer. " * 30

    async def scenario():
        # 25 % left of 1000: prefer_merged, so a long answer goes out as a single fitted message
        async with Harness(FakeYouTube(), quota=QuotaBudget(1000, used=750)) as (fake, chat):
            assert chat.quota.prefer_merged and chat.prefer_merged
            merged = await chat.post(reply(text))
            posts_after_merge = len(fake.posts())
            chat.quota.spend(chat.quota.remaining - 10)  # 10 units left: less than one insert
            refused = await chat.post(reply("short"))
            return merged, posts_after_merge, refused, len(fake.posts()), chat

    merged, posts_after_merge, refused, posts, chat = run(scenario())
    assert merged.sent and len(merged.posted) == 1 and len(merged.posted[0]) <= 200 and posts_after_merge == 1
    assert (refused.sent, refused.reason) == (False, Unsent.QUOTA) and "10 of 1000" in refused.detail
    assert posts == 1  # nothing sent for the refused reply
    assert chat.unsent == (refused,) and not chat.capabilities.can_post


def test_quota_exceeded_on_insert_stops_posting():
    fake = FakeYouTube()
    fake.insert_overrides = [error(403, "quotaExceeded", domain="youtube.quota")]

    async def scenario():
        async with Harness(fake) as (fake_, chat):
            first = await chat.post(reply("hello"))
            second = await chat.post(reply("again"))
            return first, second, len(fake_.posts()), chat.quota.remaining

    first, second, posts, remaining = run(scenario())
    assert (first.reason, second.reason, posts, remaining) == (Unsent.QUOTA, Unsent.QUOTA, 1, 0)


@pytest.mark.parametrize(
    ("answer", "reason", "stops"),
    [
        (error(401, "authError", domain="global"), Unsent.AUTH, True),
        (error(403, "liveChatEnded"), Unsent.CHAT_ENDED, True),
        (error(404, "liveChatNotFound"), Unsent.CHAT_ENDED, True),
        (error(403, "forbidden", "The caller does not have permission"), Unsent.FORBIDDEN, True),
        (error(400, "messageTextInvalid"), Unsent.REJECTED, False),
        (html(502), Unsent.BAD_RESPONSE, False),
        (html(200), Unsent.BAD_RESPONSE, False),
        (FakeResponse(500, b"{}", {"Content-Type": "application/json"}), Unsent.HTTP_ERROR, False),
    ],
)
def test_insert_refusals(answer, reason, stops, caplog):
    fake = FakeYouTube()
    fake.insert_overrides = [answer]

    async def scenario():
        async with Harness(fake) as (fake_, chat):
            first = await chat.post(reply("hello"))
            second = await chat.post(reply("again"))
            return first, second, len(fake_.posts()), chat

    first, second, posts, chat = run(scenario())
    assert (first.sent, first.reason) == (False, reason)
    if reason is Unsent.BAD_RESPONSE:
        assert "YouTube returned HTML instead of JSON" in first.detail
    if reason is Unsent.AUTH:
        assert "expired" in first.detail and "Refresh it" in caplog.text
    assert (second.sent, posts) == ((False, 1) if stops else (True, 2))
    assert (chat.stopped is not None) is stops


def test_rate_limited_insert_is_retried_once():
    fake = FakeYouTube()
    limited = [error(403, "rateLimitExceeded"), error(429, "rateLimitExceeded"), error(403, "rateLimitExceeded")]
    fake.insert_overrides = [*limited, error(403, "rateLimitExceeded")]

    async def scenario():
        async with Harness(fake) as (fake_, chat):
            first = await chat.post(reply("hello"))
            second = await chat.post(reply("again"))
            return first, second, len(fake_.posts())

    first, second, posts = run(scenario())
    assert (first.sent, second.reason, posts) == (False, Unsent.RATE_LIMITED, 4)
    assert first.reason is Unsent.RATE_LIMITED


def test_send_keeps_unsent_replies_and_close_refuses_further_posts():
    async def scenario():
        async with Harness(FakeYouTube()) as (_, chat):
            await chat.send(reply("before close"))
            await chat.close()
            await chat.send(reply("after close"))
            return chat

    chat = run(scenario())
    assert chat.stats.sent == 1 and [(r.reply.text, r.reason) for r in chat.unsent] == [("after close", Unsent.CLOSED)]


# ---------------------------------------------------------------------------------------------------- quota budget


def test_quota_budget_arithmetic():
    today = ["2026-12-01"]
    budget = QuotaBudget(1000, day=lambda: today[0])
    assert (budget.remaining, budget.prefer_merged) == (1000, False)
    budget.spend(LIST_COST)
    budget.spend(INSERT_COST)
    assert budget.remaining == 1000 - 25 and budget.used == 25
    budget.spend(700 - 25)  # 300 left = exactly 30 %: not yet low
    assert not budget.prefer_merged and budget.affords(300) and not budget.affords(301)
    budget.spend(1)
    assert budget.prefer_merged
    budget.exhaust()
    assert budget.remaining == 0 and not budget.affords(1)
    today[0] = "2026-12-02"  # midnight Pacific time: a new day's quota
    assert budget.remaining == 1000 and budget.used == 0


def test_poll_interval_stretches_as_the_quota_runs_low():
    budget = QuotaBudget(1000)
    assert budget.poll_interval(2.0) == 2.0
    budget.spend(850)  # 15 % left: half the low-water mark → twice the interval
    assert budget.poll_interval(2.0) == pytest.approx(4.0)
    budget.spend(145)  # 0.5 % left: stretched at most 20×, capped at max_s
    assert budget.poll_interval(2.0) == 40.0 and budget.poll_interval(2.0, max_s=10.0) == 10.0
    assert budget.poll_interval(90.0, max_s=10.0) == 90.0  # never faster than the server asked


def test_stretched_interval_is_what_the_server_sees():
    fake = FakeYouTube([text_item(i) for i in range(3)], page_size=1, interval_ms=100)

    async def scenario():
        async with Harness(fake, quota=QuotaBudget(1000, used=850)) as (_, chat):
            await collect(chat, 3)
            return chat.last_poll_interval

    interval = run(scenario())
    left = (1000 - 850 - 3 * LIST_COST) / 1000  # after the three polls
    assert interval == pytest.approx(0.1 * 0.3 / left)  # 13.5 % left: 100 ms stretched 2.2×
    assert min(b.at - a.at for a, b in pairwise(fake.gets())) >= 0.2


def test_parse_helpers():
    page = parse_page({"items": [text_item(1)], "nextPageToken": "t", "pollingIntervalMillis": 1500}, "r")
    assert (page.next_page_token, page.polling_interval_s, page.offline, page.author_ids) == ("t", 1.5, False, ("UCviewer1",))
    with pytest.raises(ValueError, match="items is not a list"):
        parse_page({"items": {}}, "r")
    quota = parse_error(
        403, json.dumps({"error": {"code": 403, "message": "m", "errors": [{"reason": "quotaExceeded"}]}}).encode()
    )
    assert (quota.reason, quota.message, quota.html) == ("quotaExceeded", "m", False)
    assert parse_error(502, b"<html>bad gateway</html>", "text/html").html


# ---------------------------------------------------------------------------------------------------- credentials


def test_token_is_never_printed(caplog):
    fake = FakeYouTube([text_item(0)])
    fake.insert_overrides = [error(401, "authError", domain="global")]

    async def scenario():
        async with Harness(fake) as (_, chat):
            await collect(chat, 1)
            result = await chat.post(reply("hi"))
            return chat, result

    chat, result = run(scenario())
    shown = " ".join([repr(chat), str(chat), repr(result), repr(chat.stats), repr(chat.unsent), caplog.text])
    assert TOKEN not in shown


def test_token_from_env_wins_and_a_readable_token_file_is_refused(tmp_path):
    path = tmp_path / "token.json"
    path.write_text(json.dumps({"access_token": "file-token", "refresh_token": "r", "expiry": 1}))
    path.chmod(0o644)
    with pytest.raises(CredentialError, match="chmod 600"):
        YouTubeLiveChat(CHAT, token_file=path, env={})
    path.chmod(0o600)

    async def tokens():
        from_file = YouTubeLiveChat(CHAT, token_file=path, env={})
        from_env = YouTubeLiveChat(CHAT, token_file=path, env={"LIVEREPLY_YOUTUBE_TOKEN": "env-token"})
        got = (from_file._token.reveal(), from_env._token.reveal())
        await from_file.close()
        await from_env.close()
        return got

    assert run(tokens()) == ("file-token", "env-token")
    with pytest.raises(CredentialError, match="LIVEREPLY_YOUTUBE_TOKEN"):
        YouTubeLiveChat(CHAT, env={})
