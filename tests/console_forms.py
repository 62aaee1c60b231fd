"""Read a console page's own form (fields, hidden values, CSRF token) so tests post exactly what a browser would."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any


class _FormReader(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.found = False
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == self.form_id:
            self.inside, self.found, self.action = True, True, a.get("action")
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:  # an unticked box is not sent
                    self.fields[name] = a.get("value", "on")
            elif kind != "file":
                self.fields[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select is not None and (self._select not in self.fields or "selected" in a):
            self.fields[self._select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.fields[self._textarea] = text[1:] if text.startswith("\n") else text
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.inside:
            self.inside = False


def page_form(html: str, form_id: str) -> tuple[str, dict[str, Any]]:
    """(action, fields) of the form with id `form_id` as the browser would submit it untouched."""
    reader = _FormReader(form_id)
    reader.feed(html)
    assert reader.found, f"page has no form #{form_id}"
    return reader.action or "", reader.fields


def signed_in_client(app: Any, username: str, password: str, *, language: str = "en") -> Any:
    """A Starlette TestClient signed in through the real login form (its CSRF token read from the page)."""
    from starlette.testclient import TestClient

    client = TestClient(app, base_url="http://127.0.0.1", headers={"Accept-Language": language})
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token, "the login page has no CSRF token"
    r = client.post("/login", data={"username": username, "password": password, "csrf_token": token.group(1)},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return client
