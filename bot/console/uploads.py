"""Uploaded files: plain file names only, and a size limit enforced while the request body is read.

    check_uploads(form, max_bytes)      # raises UploadRejected (400 bad name / 413 too large) for any file field
    Middleware(BodyLimit, max_body_bytes=n, shown_limit=m)   # 413 before reading when Content-Length is over n;
                                                             # stops reading at n; the message quotes m

The name of an uploaded file is the sender's text: it is shown in messages and used as the name of the
temporary copy the importers read (so their errors name the file), never as a path.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.console.i18n import gettext as _
from bot.console.i18n import quoted_value
from bot.errors import LiveReplyError

__all__ = ["FORM_OVERHEAD_BYTES", "MAX_NAME_BYTES", "BodyLimit", "UploadRejected", "check_upload_name", "check_uploads",
           "human_bytes", "too_large_message"]

log = logging.getLogger(__name__)

MAX_NAME_BYTES = 200  # well under the 255 bytes file systems allow, leaving room for the temporary directory
FORM_OVERHEAD_BYTES = 64 * 1024  # the other form fields and the multipart framing, on top of the file itself


class UploadRejected(LiveReplyError):
    """An uploaded file is refused; `status` is the HTTP status and the message says why (no server paths)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def human_bytes(n: int) -> str:
    for unit, size in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if n >= size:
            return _("%(n)d bytes (%(size)s %(unit)s)") % {"n": n, "size": f"{n / size:.3g}", "unit": unit}
    return _("%(n)d bytes") % {"n": n}


def too_large_message(max_bytes: int) -> str:
    return _("Upload too large: the limit is %(limit)s.") % {"limit": human_bytes(max_bytes)}


def _shown(name: str, limit: int = 40) -> str:
    return quoted_value(name[:limit] + ("…" if len(name) > limit else ""))


def check_upload_name(name: str | None) -> str:
    """The upload's file name if it is a plain, reasonable file name; else UploadRejected (400)."""
    name = name or ""
    if not name.strip():
        raise UploadRejected(400, _("The uploaded file has no file name."))
    if set(name) == {"."} or "/" in name or "\\" in name:
        raise UploadRejected(400, _("The file name %(name)s is not accepted: give a plain file name without "
                                    "folders, like catalog.yaml.") % {"name": _shown(name)})
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        why = _("The file name %(name)s is not accepted: it contains control characters.")
        raise UploadRejected(400, why % {"name": _shown(name)})
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        why = _("The file name %(name)s is too long (at most %(max)d bytes).")
        raise UploadRejected(400, why % {"name": _shown(name), "max": MAX_NAME_BYTES})
    return name


def check_uploads(items: Iterable[tuple[str, Any]], max_bytes: int) -> None:
    """Check every file of a parsed form (an empty file input, no name and no content, is left alone)."""
    for _field, value in items:
        if not isinstance(value, UploadFile):
            continue
        if not value.filename and not value.size:
            continue
        name = check_upload_name(value.filename)
        if value.size is not None and value.size > max_bytes:
            size = _("%(name)s is %(size)s.") % {"name": name, "size": human_bytes(value.size)}
            raise UploadRejected(413, f"{size} {too_large_message(max_bytes)}")


class BodyLimit:
    """Pure ASGI middleware: refuse request bodies over `max_body_bytes` with 413 without buffering them.

    A declared Content-Length over the limit is answered before the body is read; otherwise reading stops
    (HTTPException 413 from `receive`) as soon as the body read so far passes the limit. The message quotes
    `shown_limit` (the configured upload limit; default `max_body_bytes`): the body limit also allows for the form's
    other fields and framing, a number the staff member never set.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int, shown_limit: int | None = None) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.shown_limit = max_body_bytes if shown_limit is None else shown_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body_bytes
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            log.warning("%s %s refused: Content-Length %d over %d bytes", scope.get("method"), scope.get("path"),
                        declared, limit)
            await _plain(send, 413, too_large_message(self.shown_limit))
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    log.warning("%s %s refused: body over %d bytes", scope.get("method"), scope.get("path"), limit)
                    raise HTTPException(status_code=413, detail=too_large_message(self.shown_limit))
            return message

        await self.app(scope, limited_receive, send)


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
