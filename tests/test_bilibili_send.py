"""Bilibili posting (POST /msg/send) against a fake API server on 127.0.0.1: request shape, splitting, pacing measured
on the server's clock, every refusal path, and credentials that never show up in logs or reprs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from itertools import pairwise

import pytest

from bot.adapters.bilibili import BilibiliRoomClient
from bot.adapters.bilibili_send import (
    DEFAULT_MAX_LEN,
    BilibiliCredentials,
    BilibiliPoster,
    Outcome,
    bilibili_capabilities,
    bilibili_poster,
    classify,
)
from bot.adapters.capabilities import RateLimit
from bot.adapters.credentials import CredentialError, Secret
from bot.adapters.posting import Unsent
from bot.messages import Reply
from tests.fake_http import FakeHTTPServer, FakeRequest, FakeResponse, html, json_response

pytestmark = pytest.mark.timeout(60)

ROOM = 21452505
SESSDATA = "sess-7f3a9c%2C1767225600%2Cabcd*11"
JCT = "jct0123456789abcdef0123456789abcd"
CREDS = BilibiliCredentials(Secret(SESSDATA), Secret(JCT))
FAST = RateLimit(1, 0.2)  # the real limit is 1 per 1.0 s; scaled down so the tests stay quick
OK = {"code": 0, "message": "", "msg": "", "data": {"mode_info": {}}}


def run(coro):
    async def guarded():
        return await asyncio.wait_for(coro, 30)

    return asyncio.run(guarded())


def reply(text: str, cid: str = "c1") -> Reply:
    return Reply(reply_to=(cid,), text=text, lang="zh", room=f"bili-{ROOM}", users=("u1",))


def answers(*bodies: dict | FakeResponse) -> Callable[[FakeRequest], FakeResponse]:
    """A handler answering with ``bodies`` in turn, then OK forever."""
    queue = list(bodies)

    def handler(_request: FakeRequest) -> FakeResponse:
        body = queue.pop(0) if queue else OK
        return body if isinstance(body, FakeResponse) else json_response(body)

    return handler


def poster_for(server: FakeHTTPServer, **kwargs) -> BilibiliPoster:
    kwargs.setdefault("rate", FAST)
    kwargs.setdefault("retry_after_s", 0.2)
    return BilibiliPoster(ROOM, CREDS, base_url=server.url, **kwargs)


@pytest.fixture(autouse=True)
def _debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every test runs with DEBUG logging of every logger (httpx and httpcore included) and checks that no
    credential ended up in it."""
    caplog.set_level(logging.DEBUG)
    yield
    assert SESSDATA not in caplog.text and JCT not in caplog.text


# ---------------------------------------------------------------------------------------------------- the request


def test_send_ok_posts_the_documented_form_with_the_session_cookies():
    async def scenario():
        async with FakeHTTPServer(answers(OK)) as server, poster_for(server) as poster:
            result = await poster.post(reply("有的，XL码现货充足"))
            return result, server.requests

    result, requests = run(scenario())
    assert result.sent and result.reason is None and result.posted == ("有的，XL码现货充足",)
    (req,) = requests
    assert req.method == "POST" and req.path == "/msg/send"
    assert req.headers["content-type"].startswith("application/x-www-form-urlencoded")
    form = req.form
    assert set(form) == {"bubble", "msg", "color", "mode", "fontsize", "rnd", "roomid", "csrf", "csrf_token"}
    assert form["msg"] == "有的，XL码现货充足" and form["roomid"] == str(ROOM)
    assert (form["bubble"], form["color"], form["mode"], form["fontsize"]) == ("0", "16777215", "1", "25")
    assert form["csrf"] == form["csrf_token"] == JCT
    assert form["rnd"].isdigit() and len(form["rnd"]) == 10  # unix seconds
    cookies = dict(c.strip().split("=", 1) for c in req.headers["cookie"].split(";"))
    assert cookies == {"SESSDATA": SESSDATA, "bili_jct": JCT}
    assert req.headers["referer"] == f"https://live.bilibili.com/{ROOM}"


def test_room_client_posts_through_the_hook_and_counts_refusals_as_unsent():
    async def scenario():
        async with FakeHTTPServer(answers(OK, {"code": 0, "message": "f"})) as server, poster_for(server) as poster:
            client = BilibiliRoomClient("ws://127.0.0.1:9/sub", ROOM, post_reply=poster)  # send() never connects
            await client.send(reply("第一条"))
            await client.send(reply("第二条", "c2"))
            return client, poster

    client, poster = run(scenario())
    assert (client.stats.sent, client.stats.unsent, client.stats.send_failures) == (1, 1, 0)
    assert [r.reply_to for r in client.unsent] == [("c2",)]
    assert [(r.sent, r.reason) for r in poster.results] == [(True, None), (False, Unsent.SENSITIVE)]


def test_long_answer_is_split_at_clauses_each_part_within_the_limit():
    text = "有的，目前XL码现货充足。L码还有12件，M码刚售罄，建议看看黑色款。"

    async def scenario():
        async with FakeHTTPServer(answers()) as server, poster_for(server, max_len=20) as poster:
            return await poster.post(reply(text)), server.requests

    result, requests = run(scenario())
    sent = [r.form["msg"] for r in requests]
    assert result.sent and list(result.posted) == sent and 2 <= len(sent) <= 3
    assert all(len(m) <= 20 for m in sent)
    assert "".join(sent) == text
    assert sent[0].endswith("。")  # cut at the sentence end, not mid-clause


def test_answer_needing_more_than_three_parts_is_fitted_into_one():
    text = "这款外套采用三层防风面料，" * 6

    async def scenario():
        async with FakeHTTPServer(answers()) as server, poster_for(server, max_len=20) as poster:
            return await poster.post(reply(text)), server.requests

    result, requests = run(scenario())
    assert result.sent and len(requests) == 1
    assert len(requests[0].form["msg"]) <= 20 and text.startswith(requests[0].form["msg"])


def test_burst_never_exceeds_the_rate_on_the_servers_clock():
    rate = RateLimit(1, 0.25)

    async def scenario():
        async with FakeHTTPServer(answers()) as server, poster_for(server, rate=rate) as poster:
            results = await asyncio.gather(*(poster.post(reply(f"回复{i}", f"c{i}")) for i in range(6)))
            return results, server.requests

    results, requests = run(scenario())
    assert all(r.sent for r in results) and len(requests) == 6
    gaps = [b.at - a.at for a, b in pairwise(requests)]
    assert min(gaps) >= rate.per_s, gaps
    assert [r.form["msg"] for r in requests] == [f"回复{i}" for i in range(6)]  # in call order


def test_parts_of_one_reply_are_not_interleaved_with_another_reply():
    long = "第一句话比较长一些。第二句话也比较长。"

    async def scenario():
        async with FakeHTTPServer(answers()) as server, poster_for(server, max_len=10, rate=RateLimit(1, 0.05)) as poster:
            await asyncio.gather(poster.post(reply(long, "a")), poster.post(reply("短回复", "b")))
            return [r.form["msg"] for r in server.requests]

    assert run(scenario()) == ["第一句话比较长一些。", "第二句话也比较长。", "短回复"]


# ---------------------------------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("first", [{"code": 10030, "message": "msg in 1s"}, {"code": 0, "message": "msg in 1s"}])
def test_rate_limited_backs_off_and_retries_once(first):
    async def scenario():
        async with FakeHTTPServer(answers(first)) as server, poster_for(server, retry_after_s=0.3) as poster:
            return await poster.post(reply("你好")), server.requests

    result, requests = run(scenario())
    assert result.sent and len(requests) == 2
    assert requests[1].at - requests[0].at >= 0.3


def test_rate_limited_twice_gives_up_with_a_reason():
    too_fast = {"code": 10031, "message": "发送频率过快"}

    async def scenario():
        async with FakeHTTPServer(answers(too_fast, too_fast)) as server, poster_for(server) as poster:
            first = await poster.post(reply("你好"))
            second = await poster.post(reply("再来", "c2"))  # the poster still posts afterwards
            return first, second, len(server.requests)

    first, second, n = run(scenario())
    assert (first.sent, first.reason) == (False, Unsent.RATE_LIMITED) and "10031" in first.detail
    assert second.sent and n == 3


def test_muted_stops_posting_and_keeps_replies_unsent(caplog):
    muted = {"code": 1003, "message": "你在本房间被禁言至 2026-12-02 10:00"}

    async def scenario():
        async with FakeHTTPServer(answers(muted)) as server, poster_for(server) as poster:
            first = await poster.post(reply("你好"))
            second = await poster.post(reply("还在吗", "c2"))
            return first, second, len(server.requests), poster

    first, second, n, poster = run(scenario())
    assert (first.sent, first.reason, second.sent, second.reason) == (False, Unsent.MUTED, False, Unsent.MUTED)
    assert n == 1  # nothing posted after the mute
    assert poster.stopped and "muted" in poster.stopped
    assert not poster.capabilities.can_post
    assert "muted in room" in caplog.text


def test_too_long_is_shortened_and_retried_once_and_the_limit_learned():
    text = "这件羽绒服是九十鸭绒填充，零下二十度也很暖和"  # 22 characters: fits max_len=30, not the account's 20

    async def scenario():
        long_error = {"code": 1003212, "message": "超出限制长度"}
        async with FakeHTTPServer(answers(long_error)) as server, poster_for(server, max_len=30) as poster:
            result = await poster.post(reply(text))
            return result, [r.form["msg"] for r in server.requests], poster

    result, sent, poster = run(scenario())
    assert result.sent and len(sent) == 2 and sent[0] == text
    assert len(sent[1]) <= DEFAULT_MAX_LEN and result.posted == (sent[1],)
    assert poster.max_len == DEFAULT_MAX_LEN and poster.capabilities.max_len == DEFAULT_MAX_LEN


def test_too_long_twice_is_unsent():
    long_error = {"code": -500, "message": "超出限制长度"}

    async def scenario():
        async with FakeHTTPServer(answers(long_error, long_error)) as server, poster_for(server) as poster:
            return await poster.post(reply("短一点也不行")), len(server.requests)

    result, n = run(scenario())
    assert (result.sent, result.reason, n) == (False, Unsent.TOO_LONG, 2)


@pytest.mark.parametrize(
    "answer",
    [
        {"code": 0, "message": "f"},
        {"code": 0, "message": "k"},
        {"code": 1003, "message": "弹幕包含屏蔽词"},
        {"code": 0, "message": "内容非法"},
    ],
)
def test_sensitive_word_is_dropped_with_a_logged_reason(answer, caplog):
    async def scenario():
        async with FakeHTTPServer(answers(answer)) as server, poster_for(server) as poster:
            return await poster.post(reply("敏感内容")), len(server.requests), poster

    result, n, poster = run(scenario())
    assert (result.sent, result.reason, n) == (False, Unsent.SENSITIVE, 1)
    assert poster.stopped is None  # only this message is dropped
    assert "sensitive" in caplog.text


def test_repeat_is_dropped_as_duplicate():
    async def scenario():
        async with FakeHTTPServer(answers({"code": 0, "message": "msg repeat"})) as server, poster_for(server) as poster:
            return await poster.post(reply("你好")), len(server.requests)

    result, n = run(scenario())
    assert (result.sent, result.reason, n) == (False, Unsent.DUPLICATE, 1)


@pytest.mark.parametrize(
    ("answer", "fix"),
    [({"code": -101, "message": "账号未登录"}, "SESSDATA"), ({"code": -111, "message": "csrf 校验失败"}, "bili_jct")],
)
def test_logged_out_or_bad_csrf_is_a_clear_error_and_stops_posting(answer, fix, caplog):
    async def scenario():
        async with FakeHTTPServer(answers(answer)) as server, poster_for(server) as poster:
            first = await poster.post(reply("你好"))
            second = await poster.post(reply("你好", "c2"))
            return first, second, len(server.requests), poster

    first, second, n, poster = run(scenario())
    assert (first.reason, second.reason, n) == (Unsent.AUTH, Unsent.AUTH, 1)
    assert "Bilibili" in first.detail and fix in first.detail and "stopped" in first.detail
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and "Bilibili" in errors[0].getMessage() and fix in errors[0].getMessage()
    assert not bilibili_capabilities(poster).can_post


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (html(412), "Bilibili returned HTML instead of JSON (status 412)"),
        (html(200), "Bilibili returned HTML instead of JSON (status 200)"),
        (FakeResponse(502, b"Bad Gateway", {"Content-Type": "text/plain"}), "Bilibili returned a non-JSON body (status 502)"),
        (json_response(["not", "an", "object"]), "without an integer code"),
    ],
)
def test_html_or_non_json_body_is_unsent_with_a_clear_error(response, expected, caplog):
    async def scenario():
        async with FakeHTTPServer(answers(response)) as server, poster_for(server) as poster:
            first = await poster.post(reply("你好"))
            second = await poster.post(reply("再试", "c2"))
            return first, second

    first, second = run(scenario())
    assert (first.sent, first.reason) == (False, Unsent.BAD_RESPONSE) and expected in first.detail
    assert expected in caplog.text
    assert second.sent  # not a reason to stop posting


def test_unreachable_server_is_unsent_network():
    async def scenario():
        async with FakeHTTPServer(answers()) as server:
            url = server.url
        async with BilibiliPoster(ROOM, CREDS, base_url=url, rate=FAST) as poster:  # nothing listens there any more
            return await poster.post(reply("你好"))

    result = run(scenario())
    assert (result.sent, result.reason) == (False, Unsent.NETWORK)


def test_closed_poster_returns_unsent_closed():
    async def scenario():
        async with FakeHTTPServer(answers()) as server:
            poster = poster_for(server)
            await poster.aclose()
            return await poster.post(reply("你好")), len(server.requests)

    result, n = run(scenario())
    assert (result.reason, n) == (Unsent.CLOSED, 0)


@pytest.mark.parametrize(
    ("code", "message", "outcome"),
    [
        (0, "", Outcome.OK),
        (0, "msg in 1s", Outcome.RATE_LIMITED),
        (0, "max limit", Outcome.RATE_LIMITED),
        (10030, "", Outcome.RATE_LIMITED),
        (10031, "发送频率过快", Outcome.RATE_LIMITED),
        (0, "msg repeat", Outcome.DUPLICATE),
        (10024, "", Outcome.MUTED),
        (0, "你被禁言啦", Outcome.MUTED),
        (1003212, "", Outcome.TOO_LONG),
        (10032, "", Outcome.SENSITIVE),
        (-101, "账号未登录", Outcome.NOT_LOGGED_IN),
        (-111, "", Outcome.CSRF),
        (-400, "请求错误", Outcome.OTHER),
        (0, "something new", Outcome.OTHER),  # code 0 with a message is never taken as success
    ],
)
def test_classify(code, message, outcome):
    assert classify(code, message) is outcome


# ---------------------------------------------------------------------------------------------------- credentials


def test_credentials_are_used_on_the_wire_but_never_printed(caplog):
    async def scenario():
        errors = {"code": -101, "message": "账号未登录"}
        async with FakeHTTPServer(answers(OK, html(412), errors)) as server, poster_for(server) as poster:
            results = [await poster.post(reply(f"第{i}条", f"c{i}")) for i in range(4)]
            return results, poster, server.requests

    results, poster, requests = run(scenario())
    assert all(JCT in r.body.decode() and SESSDATA in r.headers["cookie"] for r in requests)
    shown = " ".join([repr(poster), str(poster), repr(CREDS), str(CREDS), f"{CREDS.sessdata}", *map(repr, results)])
    assert SESSDATA not in shown and JCT not in shown
    assert "Secret('********')" in repr(CREDS)


def test_credentials_from_env_win_over_the_file(tmp_path):
    path = tmp_path / "credentials"
    path.write_text("LIVEREPLY_BILI_SESSDATA=from-file\nbili_jct=jct-from-file\n")
    path.chmod(0o600)
    creds = BilibiliCredentials.load(path, env={"LIVEREPLY_BILI_SESSDATA": "from-env"})
    assert (creds.sessdata.reveal(), creds.bili_jct.reveal()) == ("from-env", "jct-from-file")
    with pytest.raises(CredentialError, match="LIVEREPLY_BILI_JCT"):
        BilibiliCredentials.load(None, env={"LIVEREPLY_BILI_SESSDATA": "x"})


def test_factory_refuses_a_world_readable_credentials_file(tmp_path):
    path = tmp_path / "credentials"
    path.write_text(f"LIVEREPLY_BILI_SESSDATA={SESSDATA}\nLIVEREPLY_BILI_JCT={JCT}\n")
    path.chmod(0o644)
    with pytest.raises(CredentialError, match="chmod 600") as err:
        bilibili_poster(ROOM, credentials_file=path, env={})
    assert SESSDATA not in str(err.value)
    path.chmod(0o600)

    async def build():
        poster = bilibili_poster(ROOM, credentials_file=path, env={}, max_len=30)
        caps = poster.capabilities
        await poster.aclose()
        return caps

    caps = run(build())
    assert (caps.platform, caps.can_post, caps.max_len, caps.rate, caps.events) == (
        "bilibili",
        True,
        30,
        RateLimit(1, 1.0),
        {"comment"},
    )
    assert not bilibili_capabilities(None).can_post
