"""data/platforms/*.yaml (the Chinese consoles driven through the browser): every file loads, and a broken file is a
clear error naming the file and the field. No browser here (tests/test_browser_adapter.py drives Chromium)."""

from __future__ import annotations

import pytest

from bot.adapters.browser import BrowserError, BrowserRoomClient, load_platform, platform_names


def test_the_three_consoles_are_described():
    assert {"douyin-web", "taobao-web", "kuaishou-web"} <= set(platform_names())
    for name in ("douyin-web", "taobao-web", "kuaishou-web"):
        config = load_platform(name)
        assert config.name == name and config.url.startswith("https://") and config.login_url
        assert config.login_hint and config.max_len >= 20 and config.rate.messages >= 1
        # the shop's staff read Chinese first (printed by `livereply login`); the English follows after " / "
        chinese, english = config.login_hint.split(" / ", 1)
        assert "扫码" in chinese and "\u4e00" <= chinese[0] <= "\u9fff" and "QR code" in english, config.login_hint
        assert config.logged_in, "without a logged_in selector a closed window would count as logged in"
        s = config.selectors
        assert s.comment_list and s.comment and s.user and s.text and s.input
        assert config.send_with == "enter" or s.send_button
        assert config.source is not None and config.source.name == f"{name}.yaml"


def test_a_reply_is_split_to_the_console_length_without_a_browser(tmp_path):
    client = BrowserRoomClient(load_platform("douyin-web"), profile_dir=tmp_path / "p")
    assert client.capabilities.can_post and client.capabilities.max_len == 50 and client.room == "douyin-web"
    assert client.parts("有的,XL码还有12件") == ["有的,XL码还有12件"]
    long = "这款羽绒服是90白鸭绒,充绒量足,零下十度也不冷;XL码还有12件,黑色和白色都有货。今天下单满199减30,明天就能发货。"
    parts = client.parts(long)
    assert len(parts) == 2 and all(len(p) <= 50 for p in parts)
    very_long = "。".join(["今天下单满199减30明天就能发货"] * 10)
    [only] = client.parts(very_long)  # more than max_parts messages: shortened to one
    assert len(only) <= 50


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("name: x\nurl: https://x\n", "selectors"),
        ("url: https://x\nselectors: {comment_list: a, comment: b, user: c, text: d}\n", "selectors.input"),
        ("url: https://x\nselectors: {comment_list: a, comment: b, user: c, text: d, input: e}\n", "send_button"),
        ("url: https://x\nselectors: {comment_list: a, comment: b, user: c, text: d, input: e, sned: f}\n", "sned"),
        ("url: https://x\nsend_with: tap\nselectors: {comment_list: a, comment: b, user: c, text: d, input: e}\n", "send_with"),
        ("selectors: [", "cannot read"),
    ],
)
def test_a_broken_platform_file_names_the_file_and_the_field(tmp_path, text, needle):
    path = tmp_path / "shop.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BrowserError) as err:
        load_platform(path)
    assert str(path) in str(err.value) and needle in str(err.value)


def test_an_unknown_platform_lists_the_known_ones():
    with pytest.raises(BrowserError, match="douyin-web"):
        load_platform("pinduoduo-web")


def test_livereply_run_wires_the_browser_platforms(tmp_path, capsys, monkeypatch):
    import argparse

    monkeypatch.setenv("DISPLAY", ":99")  # a headed client is only built (not launched): pretend a desktop session

    from bot.adapters.browser import mark_logged_in
    from bot.cli import _browser_client, main

    assert main(["run", "--platform", "douyin-web"]) == 2
    err = capsys.readouterr().err
    assert "需要 --profile 目录" in err and "needs --profile DIR" in err
    (tmp_path / "tb").mkdir()
    mark_logged_in(tmp_path / "tb", "taobao-web")  # as `livereply login` leaves the profile
    args = argparse.Namespace(
        platform="taobao-web",
        profile=str(tmp_path / "tb"),
        room_url="https://liveplatform.taobao.com/restful/index/live/control?liveId=1",
        room_name=None,
        headless=False,
        chromium="/usr/bin/chromium",
    )
    client = _browser_client(args)
    assert client.url.endswith("liveId=1") and client.room == "taobao-web" and not client.headless
    assert client.config.name == "taobao-web" and client.executable_path == "/usr/bin/chromium"


def test_run_refuses_a_profile_that_livereply_login_never_logged_in(tmp_path, monkeypatch, capsys):
    """`run --platform douyin-web --profile NEWDIR` used to start an empty Chromium profile (headless, on the login
    page) after loading everything; it says to log in first, before anything loads, and creates nothing."""
    from bot.adapters import browser
    from bot.cli import main

    monkeypatch.chdir(tmp_path)
    profile = tmp_path / "profiles" / "douyin"
    run = ["run", "--platform", "douyin-web", "--profile", str(profile), "--intents", "/no/such/intents.yaml",
           "--no-encoder-process"]
    login_first = f"run `livereply login --platform douyin-web --profile {profile}` first"

    assert main(run) == 2
    err = capsys.readouterr().err.strip().splitlines()
    command = f"livereply login --platform douyin-web --profile {profile}"
    expected = (
        f"livereply: error: 浏览器资料目录 {profile} 不存在:请先运行 `{command}` 扫码登录 / browser profile {profile} "
        f"does not exist: {login_first} (scan the QR code once)"
    )
    assert err == [expected]
    assert not profile.exists() and not (tmp_path / "var").exists()

    (profile / "Default").mkdir(parents=True)  # a Chromium profile (an earlier run made one), never logged in
    assert main(run) == 2
    err = capsys.readouterr().err
    assert f"浏览器资料目录 {profile} 尚未登录 抖音 巨量百应 直播中控台:请先运行 `{command}` 扫码登录" in err
    assert f"browser profile {profile} was never logged in to " in err and login_first in err

    calls = []

    async def fake_login(config, profile_dir, **kwargs):  # the headed QR-code window, done by a person
        calls.append((config.name, str(profile_dir)))
        return browser.LoginOutcome.CONFIRMED

    monkeypatch.setattr(browser, "login", fake_login)
    assert main(["login", "--platform", "douyin-web", "--profile", str(profile)]) == 0
    assert calls == [("douyin-web", str(profile))]
    assert browser.logged_in_platforms(profile) == {"douyin-web"}
    capsys.readouterr()
    assert main(run) == 2  # past the profile check: stopped at the (missing) intent file, the first thing it loads
    out, err = capsys.readouterr()
    assert "intent file not found" in err and f"(profile {profile})" in out
    assert "读取并回复 抖音 巨量百应 直播中控台 的评论" in out and "每条 ≤ 50 字,每 3 秒最多 1 条" in out

    taobao = ["run", "--platform", "taobao-web", *run[3:]]  # a login is per console
    assert main(taobao) == 2 and "was never logged in to " in capsys.readouterr().err


def test_the_flags_a_platform_file_tells_the_user_to_pass_exist():
    """The login hint is printed by `livereply login` (and the file's comments are what a user reads): every
    `--flag` they name must be a flag of `livereply run` (taobao-web said --room-url, which argparse refuses)."""
    import argparse
    import re

    from bot.adapters.browser import PLATFORMS_DIR
    from bot.cli import build_parser

    [subcommands] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    run_flags = set(subcommands.choices["run"]._option_string_actions)
    for name in platform_names():
        text = (PLATFORMS_DIR / f"{name}.yaml").read_text(encoding="utf-8")
        for flag in re.findall(r"(?<![\w-])--[a-z][a-z-]*", text):
            assert flag in run_flags, f"{name}.yaml names {flag}, which `livereply run` does not have"


def test_the_login_decision_needs_the_logged_in_element_when_the_file_names_one():
    """`livereply login` marks the profile only for a completed login: with a `logged_in` selector, only seeing it
    counts — a window closed before it showed is not a login; without one, closing the window is the person's word."""
    from bot.adapters.browser import LoginOutcome, login_outcome

    sel = '[class^="goodsPanel"]'
    assert login_outcome(logged_in_selector=sel, seen=True, closed=False) is LoginOutcome.CONFIRMED
    assert login_outcome(logged_in_selector=sel, seen=True, closed=True) is LoginOutcome.CONFIRMED
    assert login_outcome(logged_in_selector=sel, seen=False, closed=True) is LoginOutcome.CLOSED
    assert login_outcome(logged_in_selector=None, seen=False, closed=True) is LoginOutcome.TRUSTED
    assert login_outcome(logged_in_selector=sel, seen=False, closed=False) is LoginOutcome.TIMEOUT
    assert login_outcome(logged_in_selector=None, seen=False, closed=False) is LoginOutcome.TIMEOUT
    assert [bool(o) for o in LoginOutcome] == [True, True, False, False]


def test_the_moderation_line_of_a_browser_console_is_chinese_first(tmp_path):
    import argparse

    from bot.cli import _moderation_line
    from bot.config import Settings

    client = BrowserRoomClient(load_platform("douyin-web"), profile_dir=tmp_path / "p")
    args = argparse.Namespace(platform="douyin-web")
    line = _moderation_line(args, Settings(moderation_action="delete"), client)
    assert line.startswith("• moderation delete 不会执行:浏览器中控台暂不支持删评或禁言"), line
    assert "will NOT happen: douyin-web has no moderation" in line and "\n" not in line
