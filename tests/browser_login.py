"""Sign in to the staff console in Chromium through its real login form (the browser tests' one copy)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # playwright is imported by the browser tests themselves, after their chromium check
    from playwright.sync_api import Browser, Page


def fill_login(page: Page, base_url: str, username: str, password: str) -> Page:
    """Type the credentials into /login on `page` and wait for the dashboard."""
    page.goto(base_url + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/dashboard$"))
    return page


def browser_sign_in(
    browser: Browser,
    base_url: str,
    username: str,
    password: str,
    *,
    locale: str = "zh-CN",
    width: int = 1280,
    js: bool = True,
) -> Page:
    """A fresh browser context (its own cookies, `locale`, `width` px wide, JavaScript on or off), signed in."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale, java_script_enabled=js)
    return fill_login(context.new_page(), base_url, username, password)
