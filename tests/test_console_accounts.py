"""Staff accounts during a real show: the demo admin is made once and kept, `livereply staff reset-password / list /
deactivate / activate`, changing one's own password and (de)activating accounts through the console's forms."""

from __future__ import annotations

import os
import re
import socket
from typing import Any

import pytest
from starlette.testclient import TestClient

from bot.cli import main
from bot.config import Settings
from bot.console import server as console_server
from bot.console.auth import Authenticator, ensure_demo_admin
from bot.console.server import DEMO_USER, PASSWORD_ENV, start_console_thread
from catalog.accounts import Accounts, LastAdmin
from catalog.store import CatalogStore
from tests import test_console
from tests.browser_login import close_pages
from tests.live_bot import free_port
from tests.test_console import ENGLISH, PASSWORDS, login, page_token, token_of

pytestmark = pytest.mark.console

template_db = test_console.template_db
store = test_console.store
app = test_console.app
CHINESE = {"Accept-Language": "zh-CN"}



def settings_for(store: CatalogStore, port: int) -> Settings:
    return Settings(db=str(store.engine.url), console_port=port)


def can_sign_in(store: CatalogStore, username: str, password: str) -> bool:
    return Authenticator(Accounts(store)).login(username, password, ip="192.0.2.1").ok


def signed_out(client: TestClient) -> bool:
    """True when the client's session is gone (pages send it to the login form)."""
    r = client.get("/dashboard", follow_redirects=False)
    return r.status_code == 303 and r.headers["location"].startswith("/login")


def cli(store: CatalogStore, *args: str) -> int:
    return main(["staff", *args, "--db", str(store.engine.url)])


# ------------------------------------------------------------------------------------------ the demo's admin


def test_demo_start_twice_keeps_the_admin_and_its_password(
    store: CatalogStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    first = start_console_thread(store, settings_for(store, free_port()))
    try:
        name, password = first.demo_login.split(" / ")
        assert name == DEMO_USER and len(password) >= 8
        created_at = Accounts(store).get_user(DEMO_USER).created_at  # type: ignore[union-attr]
    finally:
        first.stop()
    second = start_console_thread(store, settings_for(store, free_port()))
    try:
        assert password not in second.demo_login
        # the reset names the console's database (not the default one): else it would reset another database's staff
        assert second.demo_login == (
            f"admin `staff` exists — reset with `livereply staff reset-password staff --db {settings_for(store, 0).db}`"
        )
        again = Accounts(store).get_user(DEMO_USER)
        assert again is not None and again.created_at == created_at and again.role == "admin" and again.active
        assert can_sign_in(store, DEMO_USER, password)
        # a password in the environment does not overwrite the kept one either (and the start says so)
        monkeypatch.setenv(PASSWORD_ENV, "another-pw-123")
        kept = ensure_demo_admin(store, "another-pw-123")
        assert not kept.created and "LIVEREPLY_STAFF_PASSWORD" in kept.login_hint
        assert can_sign_in(store, DEMO_USER, password) and not can_sign_in(store, DEMO_USER, "another-pw-123")
    finally:
        second.stop()
    created = Accounts(store).audit_entries(target_type="staff", target_id=DEMO_USER)
    assert [e.action for e in created] == ["staff.create"]


def test_first_start_uses_the_password_from_the_environment(store: CatalogStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "from-env-pw-1")
    handle = start_console_thread(store, settings_for(store, free_port()))
    try:
        assert handle.demo_login == "staff / from-env-pw-1"
        assert can_sign_in(store, DEMO_USER, "from-env-pw-1")
    finally:
        handle.stop()


def test_a_failed_start_creates_no_account(store: CatalogStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(RuntimeError, match="already in use"):
            start_console_thread(store, settings_for(store, port))
        assert Accounts(store).get_user(DEMO_USER) is None
        # the port taken between the check and uvicorn's bind: uvicorn itself fails, still no account
        monkeypatch.setattr(console_server, "_port_free", lambda host, port: True)
        with pytest.raises(RuntimeError, match="did not start"):
            start_console_thread(store, settings_for(store, port))
        assert Accounts(store).get_user(DEMO_USER) is None
    assert [e.target_id for e in Accounts(store).audit_entries(target_type="staff")] == ["vi", "ed", "admin1"]


# ------------------------------------------------------------------------------------------ command line


def test_cli_reset_password_list_deactivate_activate(
    app: Any, store: CatalogStore, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = login(app, "ed")
    assert cli(store, "reset-password", "ed", "--password", "new-editor-pw-1") == 0
    assert "password of 'ed' changed; 1 signed-in session(s) ended" in capsys.readouterr().out
    assert signed_out(browser)
    assert can_sign_in(store, "ed", "new-editor-pw-1") and not can_sign_in(store, "ed", PASSWORDS["ed"])
    assert cli(store, "reset-password", "ed", "--password", "short") == 2
    assert "at least 8 characters" in capsys.readouterr().err
    assert cli(store, "reset-password", "ghost", "--password", "ghost-pw-123") == 2
    assert "no staff account 'ghost'" in capsys.readouterr().err
    monkeypatch.setenv(PASSWORD_ENV, "env-editor-pw-2")  # the environment, like `staff add`
    assert cli(store, "reset-password", "ed") == 0
    monkeypatch.delenv(PASSWORD_ENV)
    assert can_sign_in(store, "ed", "env-editor-pw-2")

    browser = login(app, "vi")
    assert cli(store, "deactivate", "vi") == 0
    assert "'vi' (viewer) deactivated; 1 signed-in session(s) ended" in capsys.readouterr().out
    assert signed_out(browser) and not can_sign_in(store, "vi", PASSWORDS["vi"])
    assert cli(store, "list") == 0
    rows = {line.split()[0]: line.split()[1:] for line in capsys.readouterr().out.splitlines()[1:]}
    assert rows["vi"][:2] == ["viewer", "no"]
    assert rows["admin1"][:2] == ["admin", "yes"] and rows["ed"][:2] == ["editor", "yes"]
    assert rows["ed"][2] != "never"  # signed in above: the last login is shown
    assert cli(store, "activate", "vi") == 0
    assert can_sign_in(store, "vi", PASSWORDS["vi"])

    assert cli(store, "deactivate", "admin1") == 2  # the only admin
    assert "last active admin" in capsys.readouterr().err
    assert Accounts(store).get_user("admin1").active  # type: ignore[union-attr]
    assert cli(store, "deactivate") == 2


# ------------------------------------------------------------------------------------------ own password


def test_change_own_password_through_the_form(app: Any, store: CatalogStore) -> None:
    here = login(app, "ed")
    elsewhere = login(app, "ed")
    token = page_token(here, "/account")
    assert "Change my password" in here.get("/account").text
    r = here.post("/account/password", data={"csrf_token": token, "current": "wrong-pw-00", "new": "ed-new-pw-1",
                                             "repeat": "ed-new-pw-1"})
    assert r.status_code == 400 and "The current password is wrong." in r.text
    r = here.post("/account/password", data={"csrf_token": token, "current": PASSWORDS["ed"], "new": "ed-new-pw-1",
                                             "repeat": "ed-new-pw-2"})
    assert r.status_code == 400 and "The two new passwords differ." in r.text
    r = here.post("/account/password", data={"csrf_token": token, "current": PASSWORDS["ed"], "new": "short",
                                             "repeat": "short"})
    assert r.status_code == 400 and "at least 8 characters" in r.text
    assert can_sign_in(store, "ed", PASSWORDS["ed"])  # nothing changed so far
    assert not signed_out(elsewhere)

    r = here.post("/account/password", data={"csrf_token": token, "current": PASSWORDS["ed"], "new": "ed-new-pw-1",
                                             "repeat": "ed-new-pw-1"}, follow_redirects=False)
    assert r.status_code == 303
    assert "Password changed; 1 other signed-in sessions ended." in here.get(r.headers["location"]).text
    assert not signed_out(here) and signed_out(elsewhere)
    assert can_sign_in(store, "ed", "ed-new-pw-1") and not can_sign_in(store, "ed", PASSWORDS["ed"])
    entry = Accounts(store).audit_entries(target_type="staff", target_id="ed")[0]
    assert entry.action == "staff.password" and entry.username == "ed"
    assert entry.before == {"username": "ed", "password": "(old)"}
    assert entry.after == {"username": "ed", "password": "(changed)", "sessions_ended": 1}


def test_change_own_password_in_chinese(app: Any, store: CatalogStore) -> None:
    vi = login(app, "vi")
    token = page_token(vi, "/account")
    assert "修改我的密码" in vi.get("/account", headers=CHINESE).text
    r = vi.post("/account/password", headers=CHINESE, data={"csrf_token": token, "current": "wrong-pw-00",
                                                            "new": "vi-new-pw-1", "repeat": "vi-new-pw-1"})
    assert r.status_code == 400 and "当前密码不正确。" in r.text
    r = vi.post("/account/password", headers=CHINESE, data={"csrf_token": token, "current": PASSWORDS["vi"],
                                                            "new": "vi-new-pw-1", "repeat": "vi-new-pw-1"})
    assert r.status_code == 200 and "密码已修改；已结束其他 0 个登录会话。" in r.text


# ------------------------------------------------------------------------------------------ admins (de)activate


def test_admin_deactivates_and_reactivates_an_account(app: Any, store: CatalogStore) -> None:
    editor = login(app, "ed")
    admin = login(app, "admin1")
    token = page_token(admin, "/staff")
    r = admin.post("/staff/active", data={"csrf_token": token, "username": "ed", "active": "0"}, follow_redirects=False)
    assert r.status_code == 303
    page = admin.get(r.headers["location"]).text
    assert "ed is deactivated; 1 signed-in sessions ended." in page and "deactivated" in page
    assert signed_out(editor)  # its session ended at once
    blocked = TestClient(app, base_url="http://127.0.0.1", headers=ENGLISH)
    r = blocked.post("/login", data={"username": "ed", "password": PASSWORDS["ed"],
                                     "csrf_token": token_of(blocked.get("/login").text)})
    assert r.status_code == 401 and "Wrong username or password" in r.text
    entry = Accounts(store).audit_entries(target_type="staff", target_id="ed")[0]
    assert entry.action == "staff.deactivate" and entry.username == "admin1"
    assert entry.before == {"username": "ed", "role": "editor", "active": True}
    assert entry.after == {"username": "ed", "role": "editor", "active": False, "sessions_ended": 1}
    # saving a new password for it does not silently reactivate it
    r = admin.post("/staff", data={"csrf_token": token, "username": "ed", "role": "editor", "password": "ed-other-pw-1"},
                   follow_redirects=False)
    assert r.status_code == 303 and not Accounts(store).get_user("ed").active  # type: ignore[union-attr]

    r = admin.post("/staff/active", data={"csrf_token": token, "username": "ed", "active": "1"}, follow_redirects=False)
    assert "ed can sign in again." in admin.get(r.headers["location"]).text
    login(app, "ed", "ed-other-pw-1")
    assert Accounts(store).audit_entries(target_type="staff", target_id="ed")[0].action == "staff.activate"


def test_admin_cannot_deactivate_themselves_or_the_last_admin(app: Any, store: CatalogStore) -> None:
    admin = login(app, "admin1")
    token = page_token(admin, "/staff")
    r = admin.post("/staff/active", data={"csrf_token": token, "username": "admin1", "active": "0"})
    assert r.status_code == 409 and "You cannot deactivate your own account." in r.text
    r = admin.post("/staff", data={"csrf_token": token, "username": "admin1", "role": "editor", "password": ""})
    assert r.status_code == 409 and "admin1 is the last active admin" in r.text
    r = admin.post("/staff/active", headers=CHINESE, data={"csrf_token": token, "username": "admin1", "active": "0"})
    assert r.status_code == 409 and "不能停用自己的账号。" in r.text
    account = Accounts(store).get_user("admin1")
    assert account is not None and account.active and account.role == "admin" and not signed_out(admin)
    with pytest.raises(LastAdmin):
        Accounts(store).set_active("admin1", False)
    # with a second admin, one may deactivate the other, but then that one is the last
    r = admin.post("/staff", data={"csrf_token": token, "username": "boss", "role": "admin", "password": "boss-pw-123"},
                   follow_redirects=False)
    assert r.status_code == 303
    boss = login(app, "boss", "boss-pw-123")
    r = boss.post("/staff/active", data={"csrf_token": page_token(boss, "/staff"), "username": "admin1", "active": "0"},
                  follow_redirects=False)
    assert r.status_code == 303 and signed_out(admin)
    with pytest.raises(LastAdmin):
        Accounts(store).set_active("boss", False)
    r = boss.post("/staff/active", headers=CHINESE, data={"csrf_token": page_token(boss, "/staff"), "username": "vi",
                                                          "active": "0"})
    assert r.status_code == 200 and "vi 已停用；已结束 0 个登录会话。" in r.text


def test_staff_page_offers_deactivate_but_not_for_oneself(app: Any) -> None:
    admin = login(app, "admin1")
    page = admin.get("/staff").text
    assert page.count('action="/staff/active"') == 2  # ed and vi, not admin1
    assert 'name="username" value="admin1"' not in page and 'href="/account">my password' in page
    assert "My account" in page


# ------------------------------------------------------------------------------------------ real browser

CHROMIUM = "/usr/bin/chromium"


@pytest.mark.browser
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium at /usr/bin/chromium")
def test_account_forms_in_a_real_browser(store: CatalogStore, monkeypatch: pytest.MonkeyPatch, browser) -> None:  # type: ignore[no-untyped-def]

    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    handle = start_console_thread(store, settings_for(store, free_port()))
    try:
        _name, password = handle.demo_login.split(" / ")
        try:
            def sign_in(username: str, pw: str) -> Any:
                page = browser.new_context(locale="en-US").new_page()
                page.goto(handle.url + "/login")
                page.fill("input[name=username]", username)
                page.fill("input[name=password]", pw)
                page.click("button[type=submit]")
                page.wait_for_url(re.compile(r".*/dashboard$"))
                return page

            editor = sign_in("ed", PASSWORDS["ed"])
            admin = sign_in(DEMO_USER, password)
            admin.click("a.account-link")
            admin.fill("input[name=current]", password)
            admin.fill("input[name=new]", "staff-new-pw-1")
            admin.fill("input[name=repeat]", "staff-new-pw-1")
            admin.get_by_role("button", name="Change password").click()
            admin.wait_for_selector(".flash.ok", timeout=5000)
            assert "Password changed" in admin.inner_text(".flash.ok")

            admin.goto(handle.url + "/staff")
            admin.locator("tr", has_text="editor").get_by_role("button", name="Deactivate").click()
            admin.wait_for_selector(".flash.ok", timeout=5000)
            assert "ed is deactivated; 1 signed-in sessions ended." in admin.inner_text(".flash.ok")
            # The editor's open dashboard polls and sends itself to /login on its
            # own (a reload here raced that navigation); a fresh page in the same
            # browser context carries the ended session cookie and must be refused.
            fresh = editor.context.new_page()
            fresh.goto(handle.url + "/dashboard")
            assert "/login" in fresh.url
        finally:
            close_pages(browser)
    finally:
        handle.stop()
    assert can_sign_in(store, DEMO_USER, "staff-new-pw-1") and not can_sign_in(store, "ed", PASSWORDS["ed"])
