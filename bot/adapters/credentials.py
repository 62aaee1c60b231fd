"""Platform credentials (session cookies, access tokens): read from the environment or a private file, never shown.

    creds = load_credentials({"sessdata": "LIVEREPLY_BILI_SESSDATA", "bili_jct": "LIVEREPLY_BILI_JCT"}, path)
    creds["sessdata"].reveal()   # the only way to get the value out; repr/str/format print "Secret('********')"

Sources, in order: environment variables win, key by key; then the credentials file, if one is given. The file is
refused when its mode lets the group or others read or write it (``mode & 0o077``): a session cookie is as good as
the account's password. The file is either a JSON object of strings or ``KEY=VALUE`` lines (``#`` comments, blank
lines, optional ``export`` and surrounding quotes), with the same key names as the environment variables, e.g.::

    # ~/.config/livereply/credentials   (chmod 600)
    LIVEREPLY_BILI_SESSDATA=...
    LIVEREPLY_BILI_JCT=...
    LIVEREPLY_YOUTUBE_TOKEN=...

Nothing here logs a value; errors name the key and the file, never the secret.
"""

from __future__ import annotations

import hmac
import json
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Final, NoReturn, final

from bot.cli_i18n import N_
from bot.errors import TemplatedError

__all__ = ["CredentialError", "Secret", "load_credentials", "read_credentials_file"]

_REDACTED: Final = "Secret('********')"
MAX_FILE_BYTES: Final = 64 * 1024  # a credentials file is a few lines; anything bigger is the wrong file


class CredentialError(TemplatedError, ValueError):
    """A credential is missing, or its file is unusable or unsafe. The message says which and how to fix it (a
    template of the ``cli`` domain: the command line says it in the terminal's language)."""


@final
class Secret:
    """A string that does not print itself. ``reveal()`` is the one way to read it (at the point of use)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("a Secret wraps a str")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return _REDACTED

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return _REDACTED

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret is not pickled (it would be written out in clear)")


def read_credentials_file(path: str | os.PathLike[str]) -> dict[str, Secret]:
    """Every key of a private credentials file (see the module docstring for the format).

    Raises :class:`CredentialError` when the file is missing, not a regular file, readable or writable by the group
    or others, too large, or malformed (the message gives the line number, never the line)."""
    p = Path(path).expanduser()
    try:
        fd = os.open(p, os.O_RDONLY)  # a symlink is followed: the mode checked is the target's
    except FileNotFoundError:
        raise CredentialError(N_("credentials file %(path)s does not exist"), path=p) from None
    except OSError as exc:
        raise CredentialError(f"cannot open credentials file {p}: {exc.strerror}") from None
    try:
        st = os.fstat(fd)  # the file actually opened, not whatever the path points to a moment later
        if not stat.S_ISREG(st.st_mode):
            raise CredentialError(f"credentials file {p} is not a regular file")
        mode = stat.S_IMODE(st.st_mode)
        if os.name == "posix" and mode & 0o077:
            raise CredentialError(
                N_(
                    "credentials file %(path)s is accessible by other users (mode %(mode)s); it holds account secrets: "
                    "run `chmod 600 %(path)s` and try again"
                ),
                path=p, mode=f"{mode:04o}",
            )
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as fh:
        raw = fh.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise CredentialError(f"credentials file {p} is larger than {MAX_FILE_BYTES} bytes: is it the right file?")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CredentialError(f"credentials file {p} is not UTF-8 text") from None
    if text.lstrip().startswith("{"):
        return _parse_json(text, p)
    return _parse_lines(text, p)


def _parse_json(text: str, p: Path) -> dict[str, Secret]:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CredentialError(f"credentials file {p}: invalid JSON at line {exc.lineno}") from None
    if not isinstance(obj, dict):
        raise CredentialError(f"credentials file {p}: expected a JSON object")
    # Non-string values (numbers, expiry dates, scopes lists) are not secrets the adapters read: skipped.
    return {str(k): Secret(v) for k, v in obj.items() if isinstance(v, str)}


def _parse_lines(text: str, p: Path) -> dict[str, Secret]:
    out: dict[str, Secret] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or any(c.isspace() for c in key):
            raise CredentialError(f"credentials file {p}:{lineno}: expected KEY=VALUE")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        out[key] = Secret(value)
    return out


def load_credentials(
    keys: Mapping[str, str | tuple[str, ...]],
    path: str | os.PathLike[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    what: str = "credentials",
) -> dict[str, Secret]:
    """Look up each credential: ``keys`` maps a field name to the environment variable (or several accepted
    names, the first being the environment variable) holding it. The environment wins; the file (if given) fills
    in the rest. The file is only opened when the environment does not provide everything.

    Raises :class:`CredentialError` naming the missing variables (and the file) when a field is found nowhere or
    is empty."""
    env = os.environ if env is None else env
    names = {field: (n,) if isinstance(n, str) else tuple(n) for field, n in keys.items()}
    found: dict[str, Secret] = {}
    for field, aliases in names.items():
        value = env.get(aliases[0])
        if value:
            found[field] = Secret(value)
    missing = [f for f in names if f not in found]
    if missing and path is not None:
        from_file = read_credentials_file(path)
        for field in missing:
            for alias in names[field]:
                secret = from_file.get(alias)
                if secret:
                    found[field] = secret
                    break
    missing = [f for f in names if f not in found]
    if missing:
        wanted = ", ".join(names[f][0] for f in missing)
        if path is not None:
            raise CredentialError(
                N_("%(what)s: %(wanted)s not set (looked in the environment or the credentials file %(path)s)"),
                what=what, wanted=wanted, path=Path(path).expanduser(),
            )
        raise CredentialError(N_("%(what)s: %(wanted)s not set (looked in the environment)"), what=what, wanted=wanted)
    return found
