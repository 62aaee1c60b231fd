"""Credentials: private files only, environment first, secrets that never print themselves."""

from __future__ import annotations

import logging
import os
import pickle

import pytest

from bot.adapters.credentials import CredentialError, Secret, load_credentials, read_credentials_file

KEYS: dict[str, str | tuple[str, ...]] = {"sessdata": ("LIVEREPLY_BILI_SESSDATA", "SESSDATA"), "jct": "LIVEREPLY_BILI_JCT"}
VALUE = "s3cr3t-value-%2C-do-not-print"


def write(tmp_path, text: str, mode: int = 0o600, name: str = "credentials"):
    path = tmp_path / name
    path.write_text(text)
    path.chmod(mode)
    return path


def test_secret_never_shows_its_value(caplog):
    caplog.set_level(logging.DEBUG)
    secret = Secret(VALUE)
    logging.getLogger("test").info("token %s %r %s", secret, secret, {"k": secret})
    shown = [repr(secret), str(secret), f"{secret}", f"{secret!r}", f"{secret:>40}", str([secret]), caplog.text]
    assert not any(VALUE in s for s in shown)
    assert secret.reveal() == VALUE and secret == Secret(VALUE) and secret != Secret("other") and bool(secret)
    assert not Secret("")
    with pytest.raises(TypeError):
        pickle.dumps(secret)


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o602, 0o620])
def test_group_or_world_accessible_file_is_refused(tmp_path, mode):
    path = write(tmp_path, f"LIVEREPLY_BILI_SESSDATA={VALUE}\n", mode)
    with pytest.raises(CredentialError) as err:
        read_credentials_file(path)
    message = str(err.value)
    assert str(path) in message and f"{mode:04o}" in message and "chmod 600" in message
    assert VALUE not in message


@pytest.mark.parametrize("mode", [0o600, 0o400])
def test_private_file_is_read(tmp_path, mode):
    path = write(tmp_path, f"# bot account\nexport LIVEREPLY_BILI_SESSDATA='{VALUE}'\n\nLIVEREPLY_BILI_JCT = abc\n", mode)
    got = read_credentials_file(path)
    assert {k: v.reveal() for k, v in got.items()} == {"LIVEREPLY_BILI_SESSDATA": VALUE, "LIVEREPLY_BILI_JCT": "abc"}


def test_json_file_is_read_and_non_strings_skipped(tmp_path):
    path = write(tmp_path, f'{{"access_token": "{VALUE}", "expiry": 3600, "scopes": ["a"]}}')
    assert {k: v.reveal() for k, v in read_credentials_file(path).items()} == {"access_token": VALUE}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (f"just-a-token-{VALUE}\n", ":1: expected KEY=VALUE"),
        ("{not json", "invalid JSON at line 1"),
        ('{"a": 1}\n[2]', "invalid JSON"),
        ("[1, 2]", ":1: expected KEY=VALUE"),
    ],
)
def test_malformed_file_names_the_line_not_the_secret(tmp_path, text, reason):
    path = write(tmp_path, text)
    with pytest.raises(CredentialError, match="credentials file") as err:
        read_credentials_file(path)
    assert reason in str(err.value)
    assert VALUE not in str(err.value)


def test_missing_file_and_directory_are_clear_errors(tmp_path):
    with pytest.raises(CredentialError, match="does not exist"):
        read_credentials_file(tmp_path / "nope")
    with pytest.raises(CredentialError, match=r"cannot open|not a regular file"):
        read_credentials_file(tmp_path)


def test_environment_wins_and_the_file_fills_in(tmp_path):
    path = write(tmp_path, "SESSDATA=from-file\nLIVEREPLY_BILI_JCT=jct-file\n")
    got = load_credentials(KEYS, path, env={"LIVEREPLY_BILI_SESSDATA": "from-env"})
    assert (got["sessdata"].reveal(), got["jct"].reveal()) == ("from-env", "jct-file")


def test_environment_alone_does_not_open_the_file(tmp_path):
    path = write(tmp_path, "LIVEREPLY_BILI_JCT=x\n", 0o644)  # would be refused if it were read
    env = {"LIVEREPLY_BILI_SESSDATA": "a", "LIVEREPLY_BILI_JCT": "b"}
    got = load_credentials(KEYS, path, env=env)
    assert (got["sessdata"].reveal(), got["jct"].reveal()) == ("a", "b")


def test_missing_and_empty_values_name_the_variables(tmp_path):
    path = write(tmp_path, "LIVEREPLY_BILI_SESSDATA=\n")
    with pytest.raises(CredentialError) as err:
        load_credentials(KEYS, path, env={"LIVEREPLY_BILI_JCT": ""}, what="Bilibili cookies")
    message = str(err.value)
    assert message.startswith("Bilibili cookies:") and "LIVEREPLY_BILI_SESSDATA" in message and "LIVEREPLY_BILI_JCT" in message
    assert str(path) in message
    with pytest.raises(CredentialError, match="the environment\\)"):
        load_credentials(KEYS, None, env={})


def test_uses_os_environ_by_default(monkeypatch):
    monkeypatch.setenv("LIVEREPLY_BILI_SESSDATA", "env-a")
    monkeypatch.setenv("LIVEREPLY_BILI_JCT", "env-b")
    assert load_credentials(KEYS)["jct"].reveal() == "env-b"
    assert os.environ["LIVEREPLY_BILI_SESSDATA"] == "env-a"
