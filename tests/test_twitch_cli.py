"""``livereply run --platform twitch``: flags, and the OAuth token from LIVEREPLY_TWITCH_TOKEN or a private
credentials file (a group/world-readable file is refused). Builds the client only; no connection is made."""

from __future__ import annotations

from typing import Any

import pytest

from bot.adapters.twitch import MODERATOR_RATE, USER_RATE, TwitchRoomClient

SECRET = "s3cretT0kenXYZ"
TOKEN = "oauth:" + SECRET


def _run_args(*extra: str) -> Any:
    from bot.cli import build_parser

    return build_parser().parse_args(["run", "--room", "wss://irc-ws.chat.twitch.tv:443", "--platform", "twitch", *extra])


def test_cli_twitch_token_from_env_or_a_private_file(tmp_path, monkeypatch):
    from bot.cli import CliError, _settings, _twitch_client

    monkeypatch.delenv("LIVEREPLY_TWITCH_TOKEN", raising=False)
    args = _run_args("--twitch-channel", "ShopChan", "--twitch-nick", "shopbot", "--twitch-moderator")
    with pytest.raises(CliError, match=r"LIVEREPLY_TWITCH_TOKEN not set.*chat:read and chat:edit"):
        _twitch_client(args, _settings(args))

    creds = tmp_path / "credentials"
    creds.write_text(f"LIVEREPLY_TWITCH_TOKEN={TOKEN}\n")
    creds.chmod(0o644)
    args = _run_args("--twitch-channel", "ShopChan", "--twitch-nick", "shopbot", "--credentials", str(creds))
    with pytest.raises(CliError, match=r"accessible by other users.*chmod 600") as info:
        _twitch_client(args, _settings(args))
    assert SECRET not in str(info.value)
    creds.chmod(0o600)
    client = _twitch_client(args, _settings(args))
    assert isinstance(client, TwitchRoomClient) and client.channel == "shopchan" and client.rate == USER_RATE
    assert client.url == "wss://irc-ws.chat.twitch.tv:443"

    monkeypatch.setenv("LIVEREPLY_TWITCH_TOKEN", "oauth:from-the-env")  # the environment wins over the file
    args = _run_args("--twitch-channel", "shopchan", "--twitch-nick", "shopbot", "--twitch-moderator")
    client = _twitch_client(args, _settings(args))
    assert client._token.reveal() == "oauth:from-the-env" and client.rate == MODERATOR_RATE

    for missing in (("--twitch-channel", "shopchan"), ("--twitch-nick", "shopbot")):
        with pytest.raises(CliError, match="needs --twitch-channel and --twitch-nick"):
            _twitch_client(_run_args(*missing), _settings(_run_args(*missing)))
    bad = _run_args("--twitch-channel", "not a channel", "--twitch-nick", "shopbot")
    with pytest.raises(CliError, match="not a Twitch login"):
        _twitch_client(bad, _settings(bad))
