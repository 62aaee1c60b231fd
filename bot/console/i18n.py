"""The console's languages: gettext catalogs (Babel) for zh_CN (the default) and en.

Source strings are English; `locale/zh_CN/LC_MESSAGES/messages.po` translates them (compiled to `.mo`,
committed; `make i18n-extract` / `make i18n-compile` regenerate them). The language of a request is, in order:

  1. the staff member's choice: the `lr_lang` cookie set by the header's switcher (`/lang/<code>`),
  2. the browser's `Accept-Language` (zh* → zh_CN, en* → en, by q-value),
  3. zh_CN.

`LanguageMiddleware` picks it once per request and puts it in a context variable, so templates (through
`jinja2.ext.i18n`), views and the console's error messages all translate with `gettext` / `_`. Outside a
request (the command line) messages stay in English.
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext as _gettext
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations
from markupsafe import Markup
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = [
    "COOKIE",
    "DEFAULT",
    "LANGUAGES",
    "N_",
    "LanguageMiddleware",
    "choose",
    "current",
    "gettext",
    "html_lang",
    "labelled",
    "language",
    "ngettext",
    "quoted",
    "quoted_value",
    "tidy",
    "translations",
    "use",
]

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
COOKIE = "lr_lang"
DEFAULT = "zh_CN"
LANGUAGES: dict[str, str] = {"zh_CN": "中文", "en": "English"}  # code → name shown in the switcher (in its own language)
_HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}

def N_(message: str) -> str:
    """Marks a string for extraction; it is translated later, where it is shown (`gettext(value)`)."""
    return message


# words the console translates from data (roles, outcomes, intent actions): marked here for extraction
WORDS = (
    N_("viewer"), N_("editor"), N_("admin"),
    N_("answer"), N_("recommend"), N_("staff"), N_("silent"),
    N_("reply"), N_("decision"),
    N_("loading"), N_("ready"), N_("unavailable"),
    N_("example"), N_("translate"), N_("new_faq"), N_("dismiss"),
    # audit log: actions and what they changed
    N_("faq.create"), N_("faq.update"), N_("faq.delete"), N_("faq.add_example"), N_("faq.translate"),
    N_("product.create"), N_("product.update"), N_("product.delete"), N_("stock.set"), N_("synonyms.update"),
    N_("catalog.import_yaml"), N_("catalog.import_csv"),
    N_("review.answer"), N_("review.example"), N_("review.translate"), N_("review.new_faq"),
    N_("review.dismiss"),
    N_("staff.create"), N_("staff.update"), N_("staff.role"), N_("intent.create"), N_("intent.update"),
    N_("faq"), N_("variant"), N_("catalog"), N_("comments"), N_("synonyms"),
    N_("staff.activate"), N_("staff.deactivate"), N_("staff.password"), N_("rule"), N_("word"),
    N_("room.setting"), N_("room"),
)

# audit log targets whose English word means something else in WORDS ("staff" is also the hand-off outcome)
TARGETS = {"staff": N_("staff account")}
# audit log authors that are not people
SYSTEM_ACTORS = {"console-start": N_("console start (automatic)"), "cli": N_("command line")}


def target_word(kind: str | None) -> str:
    """An audit entry's target type in the console's language."""
    return gettext(TARGETS.get(kind or "", kind or ""))


def actor_name(username: str | None) -> str:
    """An audit entry's author: the staff member's name, or what the console itself did."""
    return gettext(SYSTEM_ACTORS[username]) if username in SYSTEM_ACTORS else (username or "")

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("console_language", default=None)


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of `lang` (NullTranslations, i.e. the English source, when there is none)."""
    if lang not in LANGUAGES:
        return NullTranslations()
    found = Translations.load(str(LOCALE_DIR), [lang], DOMAIN)
    return found


def normalise(code: str | None) -> str | None:
    """A supported language code for `code` ("zh-cn", "zh_Hans", "EN-us" …), else None."""
    if not code:
        return None
    base = code.strip().replace("-", "_").lower()
    if base.startswith("zh"):
        return "zh_CN"
    if base.startswith("en"):
        return "en"
    return None


def from_accept_language(header: str | None) -> str | None:
    """The supported language the browser prefers most (q-values honoured; `*` and unknown ones skipped)."""
    best: tuple[float, int, str] | None = None
    for i, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        lang = normalise(tag)
        if lang is None or q <= 0:
            continue
        if best is None or (q, -i) > (best[0], best[1]):
            best = (q, -i, lang)
    return best[2] if best else None


def choose(cookie: str | None, accept_language: str | None) -> str:
    return (cookie if cookie in LANGUAGES else None) or from_accept_language(accept_language) or DEFAULT


def use(lang: str | None) -> contextvars.Token[str | None]:
    """Translate into `lang` from now on in this context (None: untranslated English)."""
    return _current.set(lang if lang in LANGUAGES else None)


@contextlib.contextmanager
def language(lang: str | None) -> Iterator[None]:
    """Translate into `lang` inside the block (a stream that outlives its request names the language it was asked in)."""
    token = use(lang)
    try:
        yield
    finally:
        _current.reset(token)


def current() -> str:
    """The language being rendered (English outside a console request)."""
    return _current.get() or "en"


def html_lang() -> str:
    return _HTML_LANG.get(current(), "en")


def _active() -> _gettext.NullTranslations:
    lang = _current.get()
    return translations(lang) if lang else _NULL


_NULL = NullTranslations()


def gettext(message: str) -> str:
    return _active().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active().ngettext(singular, plural, n)


def labelled(label: str, message: str) -> str:
    """"<label>: <message>" with the language's own punctuation (zh: a full-width colon, no space)."""
    return gettext("%(label)s: %(message)s") % {"label": label, "message": message}


def quoted(text: str) -> str:
    """`text` in the language's quotation marks: 'XL' in English, 「XL」 in Chinese."""
    return gettext("'%(text)s'") % {"text": text}


def quoted_value(value: object) -> str:
    """A value a message quotes (a name, a SKU someone typed), control and invisible characters escaped as repr does."""
    return quoted(repr(str(value))[1:-1])


_SPACED_QUOTE = re.compile(r"(?<=\S) (?=「)|(?<=」) (?=\S)")


def tidy(value: Any) -> Any:
    """Chinese typography for what a template prints: no space around 「…」, the full-width quotes carry their own
    (a translation written "填的是 %(got)s" shows "填的是「abc」", "SKU 「A1」在" shows "SKU「A1」在").
    Jinja's `finalize`; other languages and values pass unchanged."""
    if not isinstance(value, str) or "「" not in value or _current.get() != "zh_CN":
        return value
    tidied = _SPACED_QUOTE.sub("", value)
    return Markup(tidied) if isinstance(value, Markup) else tidied  # removing spaces adds no markup


class _CurrentTranslations:
    """What Jinja2's i18n extension is given: gettext / ngettext of the request's language."""

    def gettext(self, message: str) -> str:
        return gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return _active().pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return _active().npgettext(context, singular, plural, n)


def install(env: Any) -> None:
    """Add `jinja2.ext.i18n` to a Jinja2 environment, translating into each request's language."""
    env.add_extension("jinja2.ext.i18n")
    env.finalize = tidy
    env.install_gettext_translations(_CurrentTranslations(), newstyle=True)
    env.filters["word"] = gettext  # a word from data (role, action, status): no %-formatting, unlike `_`
    env.filters["target"] = target_word
    env.filters["actor"] = actor_name
    env.globals["html_lang"] = html_lang
    env.globals["current_language"] = current
    env.globals["languages"] = LANGUAGES


class LanguageMiddleware:
    """Pure ASGI middleware: choose the request's language (cookie, Accept-Language, zh_CN) for everything below."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        token = use(choose(conn.cookies.get(COOKIE), conn.headers.get("accept-language")))
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)


def fill_source_catalog(po_path: str | Path) -> int:
    """Give every untranslated message of a source-language catalog (en) its own text; returns how many."""
    from babel.messages.pofile import read_po, write_po

    path = Path(po_path)
    with path.open("rb") as f:
        catalog = read_po(f)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        stale = "fuzzy" in message.flags  # a guess from a similar old string: the source text is the answer
        if isinstance(message.id, tuple | list):
            if stale or not all(message.string or ()):
                message.string = tuple(message.id)
                filled += 1
        elif stale or not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog, width=0, sort_output=True)
    return filled


if __name__ == "__main__":  # python -m bot.console.i18n fill-source PO (make i18n-extract)
    import sys

    if len(sys.argv) != 3 or sys.argv[1] != "fill-source":
        sys.exit("usage: python -m bot.console.i18n fill-source PATH.po")
    print(f"{sys.argv[2]}: {fill_source_catalog(sys.argv[2])} messages filled with their source text")
