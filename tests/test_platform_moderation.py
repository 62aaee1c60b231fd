"""Platform moderation of flagged comments (issue 14 point 4): delete / timeout through each adapter against local fake
servers on 127.0.0.1 (Twitch Helix, YouTube Data API, Bilibili's web API, the generic protocol's LocalRoom), and the
live loop's policy — off by default, only moderator-flagged comments, failures recorded on the comment, never a crash,
never a credential in the logs."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.bilibili_send import MUTE_PATH, BilibiliCredentials, BilibiliPoster
from bot.adapters.capabilities import RateLimit
from bot.adapters.generic import RoomClient
from bot.adapters.twitch import TwitchRoomClient
from bot.adapters.twitch_helix import TwitchModeration
from bot.adapters.youtube import BAN_COST, DELETE_COST, YouTubeLiveChat
from bot.bootstrap import make_scheduler
from bot.messages import Comment, ModerationAction, ModerationResult, ProtocolError
from bot.moderation_actions import ModerationPolicy, outcome_note
from bot.pipeline import SILENT, STAFF, Decision
from bot.ports import Moderating
from bot.protocol import decode_outbound, encode_moderate
from bot.room import LocalRoom
from bot.service import BotService
from tests.fake_http import FakeHTTPServer, FakeRequest, FakeResponse, json_response
from tests.fast.fakes import HashEmbedder
from tests.runtimes import live_runtime

pytestmark = pytest.mark.timeout(60)

TWITCH_TOKEN = "twitch-mod-token-do-not-print-9f8e7d"
YT_TOKEN = "ya29.moderation-token-do-not-print"
SESSDATA = "sessdata-secret-do-not-print"
BILI_JCT = "bili-jct-secret-0123456789"
SECRETS = (TWITCH_TOKEN, YT_TOKEN, SESSDATA, BILI_JCT)
CHAT = "Cg0KC2xpdmVjaGF0LWlk"
AD = "加我vx abc12345 免费领取优惠券"


def run(coro):
    async def guarded():
        return await asyncio.wait_for(coro, 40)

    return asyncio.run(guarded())


@pytest.fixture(autouse=True)
def _no_secret_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    for secret in SECRETS:
        assert secret not in caplog.text


# ---------------------------------------------------------------------------------------------------- Twitch Helix


def helix_error(status: int, message: str, error: str = "Unauthorized") -> FakeResponse:
    return json_response({"error": error, "status": status, "message": message}, status)


class FakeHelix:
    def __init__(self) -> None:
        self.answers: list[FakeResponse] = []

    def __call__(self, req: FakeRequest) -> FakeResponse:
        if self.answers:
            return self.answers.pop(0)
        if req.method == "DELETE" and req.path == "/helix/moderation/chat":
            return FakeResponse(204)
        if req.method == "POST" and req.path == "/helix/moderation/bans":
            data = req.json()["data"]
            return json_response({"data": [{"broadcaster_id": "11111", "moderator_id": "44444", "user_id": data["user_id"],
                                            "created_at": "2026-12-01T19:00:00Z", "end_time": "2026-12-01T19:10:00Z"}]})
        return helix_error(404, "Not Found", "Not Found")


def helix(server: FakeHTTPServer, **kw: Any) -> TwitchModeration:
    return TwitchModeration(client_id="cid123", token=TWITCH_TOKEN, broadcaster_id="11111", moderator_id="44444",
                            base_url=f"{server.url}/helix", **kw)


def test_twitch_delete_and_timeout_are_the_documented_helix_calls():
    fake = FakeHelix()

    async def main():
        async with FakeHTTPServer(fake) as server:
            mod = helix(server)
            client = TwitchRoomClient("ws://127.0.0.1:9", "shop", nick="bot", token="oauth:irc-token", moderation=mod)
            assert isinstance(client, Moderating)
            assert client.capabilities.can_moderate == {"delete", "timeout"}
            deleted = await client.moderate(ModerationAction("twitch-abc-123", "98765", "delete", reason="moderation: link"))
            timed = await client.moderate(ModerationAction("twitch-abc-124", "98765", "timeout", 600, "moderation: flood"))
            await client.close()
            return server.requests, deleted, timed

    requests, deleted, timed = run(main())
    assert deleted.ok and timed.ok
    delete, ban = requests
    assert delete.method == "DELETE" and delete.path == "/helix/moderation/chat"
    assert delete.query == {"broadcaster_id": "11111", "moderator_id": "44444", "message_id": "abc-123"}
    assert delete.headers["authorization"] == f"Bearer {TWITCH_TOKEN}" and delete.headers["client-id"] == "cid123"
    assert ban.method == "POST" and ban.path == "/helix/moderation/bans"
    assert ban.query == {"broadcaster_id": "11111", "moderator_id": "44444"}
    assert ban.json() == {"data": {"user_id": "98765", "duration": 600, "reason": "moderation: flood"}}
    assert ban.headers["authorization"] == f"Bearer {TWITCH_TOKEN}"


def test_twitch_missing_scope_stops_moderation_without_hammering_the_api():
    fake = FakeHelix()
    fake.answers = [helix_error(401, "Missing scope: moderator:manage:chat_messages")]

    async def main():
        async with FakeHTTPServer(fake) as server, helix(server) as mod:
            first = await mod.moderate(ModerationAction("twitch-m1", "1", "delete"))
            second = await mod.moderate(ModerationAction("twitch-m2", "1", "delete"))
            return len(server.requests), first, second, repr(mod)

    calls, first, second, shown = run(main())
    assert calls == 1  # the second action was not sent
    assert not first.ok and first.detail == "401 Missing scope: moderator:manage:chat_messages"
    assert not second.ok and second.detail.startswith("not tried: 401 Missing scope")
    assert TWITCH_TOKEN not in shown


def test_twitch_timeout_needs_a_numeric_user_id_and_a_window_bounds_the_calls():
    fake = FakeHelix()

    async def main():
        async with FakeHTTPServer(fake) as server, helix(server, rate=RateLimit(2, 0.5)) as mod:
            login_only = await mod.moderate(ModerationAction("twitch-m1", "somelogin", "timeout", 60))
            started = time.monotonic()
            for i in range(4):
                assert (await mod.moderate(ModerationAction(f"twitch-m{i}", "7", "delete"))).ok
            return login_only, time.monotonic() - started, [r.at for r in server.requests]

    login_only, elapsed, times = run(main())
    assert not login_only.ok and "user id" in login_only.detail
    assert len(times) == 4 and elapsed >= 0.45  # 4 calls at 2 per 0.5 s: the third waited for the window
    assert all(b - a >= 0.45 for a, b in zip(times, times[2:], strict=False))


def test_twitch_without_moderation_credentials_cannot_moderate():
    async def main():
        client = TwitchRoomClient("ws://127.0.0.1:9", "shop", nick="bot", token="oauth:irc-token")
        result = await client.moderate(ModerationAction("twitch-m1", "1", "delete"))
        await client.close()
        return client.capabilities.can_moderate, result

    can, result = run(main())
    assert can == frozenset() and not result.ok and "not configured" in result.detail


# ---------------------------------------------------------------------------------------------------- YouTube


def yt_error(status: int, reason: str, message: str = "") -> FakeResponse:
    body = {"error": {"code": status, "message": message or reason, "errors": [{"reason": reason, "message": message}]}}
    return json_response(body, status)


def yt_item(n: int, text: str, channel: str) -> dict[str, Any]:
    return {
        "kind": "youtube#liveChatMessage", "id": f"m{n}",
        "snippet": {"type": "textMessageEvent", "liveChatId": CHAT, "authorChannelId": channel,
                    "publishedAt": f"2026-12-01T15:00:{n:02d}.250Z", "hasDisplayContent": True, "displayMessage": text,
                    "textMessageDetails": {"messageText": text}},
        "authorDetails": {"channelId": channel, "displayName": f"viewer {n}", "isChatOwner": False},
    }


class FakeYouTube:
    """list (all messages at once, then offline), insert, liveChatMessages.delete and liveChatBans.insert."""

    def __init__(self, messages: list[dict[str, Any]] | None = None) -> None:
        self.messages = messages or []
        self.moderation_answers: list[FakeResponse] = []

    def __call__(self, req: FakeRequest) -> FakeResponse:
        if req.path == "/youtube/v3/liveChat/messages" and req.method == "GET":
            return json_response({"nextPageToken": "end", "pollingIntervalMillis": 50, "items": self.messages,
                                  "offlineAt": "2026-12-01T16:00:00Z"})
        if req.path == "/youtube/v3/liveChat/messages" and req.method == "POST":
            return json_response({"id": f"bot{len(req.body)}"})
        if self.moderation_answers:
            return self.moderation_answers.pop(0)
        if req.path == "/youtube/v3/liveChat/messages" and req.method == "DELETE":
            return FakeResponse(204)
        if req.path == "/youtube/v3/liveChat/bans" and req.method == "POST":
            return json_response({"kind": "youtube#liveChatBan", "id": "ban1", "snippet": req.json()["snippet"]})
        return yt_error(404, "notFound")


def yt_chat(server: FakeHTTPServer, **kw: Any) -> YouTubeLiveChat:
    kw.setdefault("moderate", True)
    return YouTubeLiveChat(CHAT, access_token=YT_TOKEN, base_url=f"{server.url}/youtube/v3", min_poll_s=0.0, **kw)


def test_youtube_delete_and_temporary_ban_are_the_documented_calls_and_paid_from_the_quota():
    fake = FakeYouTube()

    async def main():
        async with FakeHTTPServer(fake) as server:
            chat = yt_chat(server)
            assert chat.capabilities.can_moderate == {"delete", "timeout"}
            before = chat.quota.remaining
            deleted = await chat.moderate(ModerationAction("yt-m3", "UCspam", "delete", reason="moderation: link"))
            banned = await chat.moderate(ModerationAction("yt-m4", "UCspam", "timeout", 300, "moderation: flood"))
            spent = before - chat.quota.remaining
            await chat.close()
            return server.requests, deleted, banned, spent

    requests, deleted, banned, spent = run(main())
    assert deleted.ok and banned.ok and spent == DELETE_COST + BAN_COST
    delete, ban = requests
    assert delete.method == "DELETE" and delete.path == "/youtube/v3/liveChat/messages" and delete.query == {"id": "m3"}
    assert delete.headers["authorization"] == f"Bearer {YT_TOKEN}"
    assert ban.method == "POST" and ban.path == "/youtube/v3/liveChat/bans" and ban.query == {"part": "snippet"}
    assert ban.json() == {"snippet": {"liveChatId": CHAT, "type": "temporary", "banDurationSeconds": 300,
                                      "bannedUserDetails": {"channelId": "UCspam"}}}


def test_youtube_quota_exceeded_and_low_quota_are_refusals_not_crashes():
    fake = FakeYouTube()
    quota_message = "The request cannot be completed because you have exceeded your quota."
    fake.moderation_answers = [yt_error(403, "quotaExceeded", quota_message)]

    async def main():
        async with FakeHTTPServer(fake) as server:
            chat = yt_chat(server)
            exceeded = await chat.moderate(ModerationAction("yt-m1", "UCspam", "delete"))
            calls = len(server.requests)
            unaffordable = await chat.moderate(ModerationAction("yt-m2", "UCspam", "delete"))  # quota now spent
            await chat.close()
            return exceeded, unaffordable, calls, len(server.requests), chat.quota.remaining

    exceeded, unaffordable, calls, calls_after, remaining = run(main())
    assert not exceeded.ok and exceeded.detail.startswith("403 quotaExceeded")
    assert remaining == 0 and calls == calls_after == 1  # the second was not sent: the budget could not pay for it
    assert not unaffordable.ok and unaffordable.detail.startswith("quota: a delete costs")


def test_youtube_moderation_is_off_unless_switched_on():
    async def main():
        async with FakeHTTPServer(FakeYouTube()) as server:
            chat = yt_chat(server, moderate=False)
            result = await chat.moderate(ModerationAction("yt-m1", "UCspam", "delete"))
            await chat.close()
            return chat.capabilities.can_moderate, result, len(server.requests)

    can, result, calls = run(main())
    assert can == frozenset() and not result.ok and calls == 0


# ---------------------------------------------------------------------------------------------------- Bilibili


def test_bilibili_mutes_through_add_silent_user_and_cannot_delete():
    answers = [json_response({"code": 0, "message": "0", "data": {}}),
               json_response({"code": 1200000, "message": "你没有权限"})]

    def handler(req: FakeRequest) -> FakeResponse:
        return answers.pop(0)

    async def main():
        async with FakeHTTPServer(handler) as server:
            creds = BilibiliCredentials.load(env={"LIVEREPLY_BILI_SESSDATA": SESSDATA, "LIVEREPLY_BILI_JCT": BILI_JCT})
            async with BilibiliPoster(21452505, creds, base_url=server.url, moderates=True, rate=RateLimit(10, 1.0)) as p:
                assert p.capabilities.can_moderate == {"timeout"}
                ok = await p.moderate(ModerationAction("bili-1", "3493118", "timeout", 5400, "moderation: link"))
                refused = await p.moderate(ModerationAction("bili-2", "3493118", "timeout", 60))
                delete = await p.moderate(ModerationAction("bili-3", "3493118", "delete"))
                anonymous = await p.moderate(ModerationAction("bili-4", "name:小王", "timeout", 60))
                return server.requests, ok, refused, delete, anonymous

    requests, ok, refused, delete, anonymous = run(main())
    assert ok.ok and not refused.ok and "1200000" in refused.detail
    assert not delete.ok and "no API to delete" in delete.detail
    assert not anonymous.ok and "uid" in anonymous.detail
    assert len(requests) == 2
    mute = requests[0]
    assert mute.method == "POST" and mute.path == MUTE_PATH
    assert mute.form == {"room_id": "21452505", "tuid": "3493118", "mobile_app": "web", "type": "1", "hour": "2",
                         "visit_id": "", "csrf": BILI_JCT, "csrf_token": BILI_JCT}
    assert f"SESSDATA={SESSDATA}" in mute.headers["cookie"]


# ---------------------------------------------------------------------------------------------------- generic protocol


def test_moderate_frame_round_trip_and_bad_frames():
    action = ModerationAction("c17", "u3", "timeout", 600, "moderation: contact details or a link", room="r")
    assert decode_outbound(encode_moderate(action), room="r") == action
    delete = ModerationAction("c18", "u3", "delete")
    assert decode_outbound(encode_moderate(delete)) == delete
    for frame in ('{"type":"moderate","action":"ban","comment_id":"c1","user":"u"}',
                  '{"type":"moderate","action":"timeout","comment_id":"c1","user":"u"}',
                  '{"type":"moderate","action":"timeout","comment_id":"c1","user":"u","duration_s":0}',
                  '{"type":"moderate","action":"delete","user":"u"}'):
        with pytest.raises(ProtocolError):
            decode_outbound(frame)
    with pytest.raises(ValueError):
        ModerationAction("c1", "u", "timeout")  # a timeout needs a duration


def test_local_room_receives_the_moderate_frame_from_the_room_client():
    async def main():
        async with LocalRoom([Comment("c1", "u1", AD, 0.0)], speed=0) as room:
            client = RoomClient(room.url)
            async for _event in client.events():
                break  # the room's hello (with its features) came before the first comment
            assert client.capabilities.can_moderate == {"delete", "timeout"}
            result = await client.moderate(ModerationAction("c1", "u1", "delete", reason="moderation: link"))
            deadline = time.monotonic() + 5
            while not room.moderations and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            await client.close()
            return result, [m for _, m in room.moderations]

    result, seen = run(main())
    assert result.ok and seen == [ModerationAction("c1", "u1", "delete", reason="moderation: link", room="local")]


# ---------------------------------------------------------------------------------------------------- policy


def _decision(band: str, reason: str, intent: str | None = None) -> Decision:
    return Decision(comment_id="c1", band=band, reason=reason, lang="zh", intent=intent)


def test_policy_acts_only_on_flagged_comments_and_times_a_viewer_out_once():
    off = ModerationPolicy()
    assert off.wants("c1", "u1", "r", _decision(SILENT, "moderation: contact details or a link"), 0.0) is None
    delete = ModerationPolicy("delete")
    assert delete.wants("c1", "u1", "r", _decision(SILENT, "moderation: contact details or a link"), 0.0) is not None
    assert delete.wants("c1", "u1", "r", _decision(SILENT, "intent chit-chat"), 0.0) is None  # merely silent
    assert delete.wants("c1", "u1", "r", _decision(STAFF, "moderation: blocked word"), 0.0) is None  # staff
    assert delete.wants("c1", "u1", "r", _decision(SILENT, "moderation: flood", intent="complaint"), 0.0) is None
    timeout = ModerationPolicy("timeout", 60)
    first = timeout.wants("c1", "u1", "r", _decision(SILENT, "moderation: flood"), 0.0)
    assert first is not None and first.duration_s == 60
    timeout.done(ModerationResult(first, True), 0.0)
    assert timeout.wants("c2", "u1", "r", _decision(SILENT, "moderation: flood"), 30.0) is None  # still timed out
    assert timeout.wants("c3", "u1", "r", _decision(SILENT, "moderation: flood"), 61.0) is not None
    assert outcome_note(ModerationResult(first, False, "403 forbidden")) == "; timeout failed: 403 forbidden"
    with pytest.raises(ValueError):
        ModerationPolicy("ban")
    with pytest.raises(ValueError):
        ModerationPolicy("timeout", 0)


# ---------------------------------------------------------------------------------------------------- the live loop


def _serve_youtube(tmp_path: Path, fake: FakeYouTube, action: str) -> tuple[Any, list[FakeRequest], Any]:
    runtime = live_runtime(tmp_path, HashEmbedder(), moderation_action=action)
    settings = runtime.settings

    async def main():
        async with FakeHTTPServer(fake) as server:
            chat = yt_chat(server, own_channel_id="UCbot")
            service = BotService(runtime.engine, make_scheduler(settings), reload_interval_s=0.05,
                                 moderation_action=settings.moderation_action,
                                 moderation_timeout_s=settings.moderation_timeout_s)
            stats = await service.run(chat)
            await chat.close()
            return stats, list(server.requests)

    stats, requests = run(main())
    return stats, requests, runtime.store


def _reason(store: Any, comment_id: str) -> str:
    rows = [r for r in store.comments(limit=100) if r.comment_id == comment_id]
    assert rows, comment_id
    return rows[0].reason or ""


def _messages() -> list[dict[str, Any]]:
    return [yt_item(1, "这个多少钱", "UCbuyer"), yt_item(2, AD, "UCspam"), yt_item(3, "主播好美", "UCfan")]


def _moderation_calls(requests: list[FakeRequest]) -> list[FakeRequest]:
    return [r for r in requests if r.method == "DELETE" or r.path.endswith("/liveChat/bans")]


def test_live_loop_deletes_the_ad_on_youtube_and_records_it(tmp_path):
    stats, requests, store = _serve_youtube(tmp_path, FakeYouTube(_messages()), "delete")
    calls = _moderation_calls(requests)
    assert [(r.method, r.query) for r in calls] == [("DELETE", {"id": "m2"})]  # only the ad: not the silent "主播好美"
    assert stats.moderated == 1 and stats.moderation_failed == 0
    assert _reason(store, "yt-m2") == "moderation: contact details or a link; deleted"
    assert "deleted" not in _reason(store, "yt-m3")


def test_live_loop_records_a_platform_refusal_and_keeps_going(tmp_path):
    fake = FakeYouTube(_messages())
    fake.moderation_answers = [yt_error(403, "forbidden", "The caller does not have permission")]
    stats, _requests, store = _serve_youtube(tmp_path, fake, "delete")
    assert stats.moderation_failed == 1 and stats.received == 3
    assert _reason(store, "yt-m2") == (
        "moderation: contact details or a link; delete failed: 403 forbidden: The caller does not have permission"
    )


def test_live_loop_times_the_sender_out_with_the_configured_duration(tmp_path):
    _stats, requests, store = _serve_youtube(tmp_path, FakeYouTube(_messages()), "timeout")
    (ban,) = _moderation_calls(requests)
    assert ban.json()["snippet"]["banDurationSeconds"] == 600 and ban.json()["snippet"]["bannedUserDetails"] == {
        "channelId": "UCspam"
    }
    assert _reason(store, "yt-m2").endswith("; timed out 600 s")


def test_live_loop_with_moderation_off_sends_no_request(tmp_path):
    stats, requests, store = _serve_youtube(tmp_path, FakeYouTube(_messages()), "off")
    assert _moderation_calls(requests) == [] and stats.moderated == stats.moderation_skipped == 0
    assert _reason(store, "yt-m2") == "moderation: contact details or a link"


def test_cli_twitch_moderation_needs_the_helix_ids_and_uses_the_moderator_token(monkeypatch):
    from bot.cli import CliError, _settings, _twitch_client, build_parser

    def args(*extra: str) -> Any:
        return build_parser().parse_args(["run", "--room", "wss://irc-ws.chat.twitch.tv:443", "--platform", "twitch",
                                          "--twitch-channel", "shop", "--twitch-nick", "shopbot", *extra])

    monkeypatch.setenv("LIVEREPLY_TWITCH_TOKEN", "oauth:chat-token")
    monkeypatch.delenv("LIVEREPLY_TWITCH_MOD_TOKEN", raising=False)
    plain = args()
    assert _twitch_client(plain, _settings(plain)).capabilities.can_moderate == frozenset()  # off by default
    on = args("--moderation-action", "delete")
    with pytest.raises(CliError, match="needs --twitch-client-id, --twitch-broadcaster-id and --twitch-moderator-id"):
        _twitch_client(on, _settings(on))
    monkeypatch.setenv("LIVEREPLY_TWITCH_MOD_TOKEN", TWITCH_TOKEN)
    full = args("--moderation-action", "timeout", "--twitch-client-id", "cid", "--twitch-broadcaster-id", "1",
                "--twitch-moderator-id", "2", "--twitch-helix-url", "http://127.0.0.1:9/helix")
    client = _twitch_client(full, _settings(full))
    assert client.capabilities.can_moderate == {"delete", "timeout"}
    assert client.moderation.base_url == "http://127.0.0.1:9/helix" and client.moderation._token.reveal() == TWITCH_TOKEN
    assert TWITCH_TOKEN not in repr(client.moderation)
    run(client.close())


class _BrokenClient(RoomClient):
    async def moderate(self, action: ModerationAction) -> ModerationResult:
        raise RuntimeError("adapter bug")


@pytest.mark.parametrize("broken", [False, True])
def test_live_loop_over_the_generic_protocol_sends_a_moderate_frame(tmp_path, broken):
    runtime = live_runtime(tmp_path, HashEmbedder(), moderation_action="delete")
    events = [Comment("q1", "u1", "这个多少钱", 0.0), Comment("ad1", "spammer", AD, 0.1), Comment("q2", "u2", "有XL码吗", 0.2)]

    async def main():
        async with LocalRoom(events, speed=0) as room:
            client = (_BrokenClient if broken else RoomClient)(room.url)
            service = BotService(runtime.engine, make_scheduler(runtime.settings), reload_interval_s=0.05,
                                 moderation_action="delete")
            stats = await service.run(client)
            await asyncio.sleep(0.2)
            await client.close()
            return stats, [m for _, m in room.moderations]

    stats, seen = run(main())
    assert stats.received == 3
    reason = _reason(runtime.store, "ad1")
    if broken:  # recorded, and the loop went on to the end of the show
        assert seen == [] and stats.moderation_failed == 1
        assert reason == "moderation: contact details or a link; delete failed: RuntimeError: adapter bug"
    else:
        assert [(m.comment_id, m.action) for m in seen] == [("ad1", "delete")] and stats.moderated == 1
        assert reason == "moderation: contact details or a link; deleted"


def test_the_documented_moderate_frames_decode():
    doc = (Path(__file__).resolve().parents[1] / "docs/protocol.md").read_text(encoding="utf-8")
    frames = [line for line in doc.splitlines() if line.startswith('{"type":"moderate"')]
    assert len(frames) == 2
    assert [decode_outbound(f.replace("flood: …", "flood")).action for f in frames] == ["delete", "timeout"]


def test_twitch_429_pauses_moderation_until_ratelimit_reset():
    fake = FakeHelix()
    fake.answers = [FakeResponse(429, b'{"error":"Too Many Requests","status":429,"message":"Too Many Requests"}',
                                 {"Content-Type": "application/json", "Ratelimit-Reset": str(int(time.time()) + 2)})]

    async def main():
        async with FakeHTTPServer(fake) as server, helix(server) as mod:
            limited = await mod.moderate(ModerationAction("twitch-m1", "7", "delete"))
            started = time.monotonic()
            after = await mod.moderate(ModerationAction("twitch-m2", "7", "delete"))
            return limited, after, time.monotonic() - started

    limited, after, waited = run(main())
    assert not limited.ok and limited.detail == "429 Too Many Requests"
    assert after.ok and waited >= 0.9  # held back until the bucket's reset time (whole seconds, so at least ~1 s)


def test_live_loop_never_exceeds_its_moderation_rate_and_records_the_skips(tmp_path):
    runtime = live_runtime(tmp_path, HashEmbedder())
    ads = [Comment(f"ad{i}", f"spammer{i}", f"加我vx spam{i}abc 领券", i / 10) for i in range(4)]

    async def main():
        async with LocalRoom(ads, speed=0) as room:
            client = RoomClient(room.url)
            service = BotService(runtime.engine, make_scheduler(runtime.settings), reload_interval_s=0.05,
                                 moderation_action="delete", moderation_rate=RateLimit(2, 60.0))
            stats = await service.run(client)
            await asyncio.sleep(0.2)
            await client.close()
            return stats, [m.comment_id for _, m in room.moderations]

    stats, seen = run(main())
    assert len(seen) == 2 and stats.moderated == 2 and stats.moderation_skipped == 2
    skipped = [c.id for c in ads if c.id not in seen]
    for cid in skipped:
        assert _reason(runtime.store, cid).endswith("; delete skipped: moderation rate limit (2 per 60 s)")


def test_cli_refuses_a_bad_moderation_setting():
    from bot.cli import CliError, _settings, build_parser

    for flags, message in ((["--moderation-action", "ban"], "must be off, delete or timeout"),
                           (["--moderation-timeout-s", "0"], "must be 1–1209600 seconds")):
        args = build_parser().parse_args(["run", "--room", "ws://127.0.0.1:8765", *flags])
        with pytest.raises(CliError, match=message):
            _settings(args)


def test_live_loop_deletes_the_ad_on_twitch_through_helix_while_reading_irc(tmp_path):
    from tests.test_twitch import FakeTwitch, Session, client_for, privmsg

    runtime = live_runtime(tmp_path, HashEmbedder(), room_name="twitch-shop")
    fake = FakeHelix()

    async def main():
        async with FakeTwitch() as irc, FakeHTTPServer(fake) as api:

            async def on_join(s: Session) -> None:
                await s.send(privmsg("q-1", "这个多少钱", user_id="1001", login="buyer"),
                             privmsg("ad-1", AD, user_id="98765", login="spammer"))

            irc.on_join = on_join
            client = client_for(irc, moderation=helix(api))
            service = BotService(runtime.engine, make_scheduler(runtime.settings), reload_interval_s=0.05,
                                 moderation_action="delete")
            task = asyncio.create_task(service.run(client))
            deadline = time.monotonic() + 20
            while not api.requests and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.2)  # the outcome is written after the call returns
            await client.close()
            stats = await asyncio.wait_for(task, 10)
            return stats, list(api.requests), irc.errors

    stats, requests, irc_errors = run(main())
    assert irc_errors == [] and stats.moderated == 1
    (delete,) = requests
    assert delete.method == "DELETE" and delete.path == "/helix/moderation/chat"
    assert delete.query == {"broadcaster_id": "11111", "moderator_id": "44444", "message_id": "ad-1"}
    assert delete.headers["authorization"] == f"Bearer {TWITCH_TOKEN}"
    assert _reason(runtime.store, "twitch-ad-1") == "moderation: contact details or a link; deleted"
