"""The product editor's wording rows: the shop's own sentence for a structured answer about this product, per
language (`ProductInfo.wording`; the catalog file's `wording:`), checked by `catalog.phrases.override_problem` as the
file import and the store check it.

Rows (one input per value, numbered like the editor's other rows; bot/console/forms.py):
    wording-<i>-key    which sentence (one of catalog.phrases.OVERRIDABLE)
    wording-<i>-lang   its language (zh, en, ja …)
    wording-<i>-text   the shop's sentence, with the built-in sentence's fields ({label}, {total} …)
A row with no text sets nothing: emptying the text clears that wording. Errors name the row (`RowError`), never a
file or line of a file.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass

from bot.console import catalog_text
from bot.console.forms import RowError, has_rows, indexed_rows
from bot.console.i18n import N_, quoted_value
from bot.console.i18n import current as current_language
from bot.console.i18n import gettext as _
from bot.console.lang_names import unidentifiable_problem
from catalog.langs import canonical_tag
from catalog.phrases import LANGS, OVERRIDABLE, PHRASES, override_problem

FIELD = "wording"
_OWN_KEY = re.compile(r"^wording '[^']*': ")
MAX_LANG_CHARS = 8  # as the catalog file's language tags

# what each rewordable sentence says, for staff (the key stays visible next to it)
KEY_LABELS: Mapping[str, str] = {
    "stock.plenty": N_("In stock, plenty"),
    "stock.few": N_("In stock, a few left"),
    "stock.breakdown": N_("In stock, per variant"),
    "count": N_("How many are left"),
    "count.breakdown": N_("How many are left, per variant"),
    "price": N_("Price"),
    "price.product": N_("Price of the whole product"),
    "sold_out.alts": N_("Sold out, other variants left"),
    "sold_out.none": N_("Sold out, nothing else left"),
    "not_offered": N_("Not offered in that variant"),
    "restock.done": N_("Restocked"),
    "restock.in_stock": N_("Restock asked, in stock all along"),
    "which.some": N_("Which are left"),
    "which.none": N_("Which are left: none"),
    "attribute": N_("A product attribute"),
}


@dataclass(frozen=True)
class WordingRow:
    key: str = ""
    lang: str = ""
    text: str = ""

    @property
    def builtin(self) -> str:
        """The built-in sentence this row replaces (in its language, else Chinese), shown as the input's hint."""
        texts = PHRASES.get(self.key, {})
        return texts.get(self.lang) or texts.get("zh", "")


@dataclass(frozen=True)
class Sentence:
    """One rewordable sentence as the editor lists it: key, what it says, its fields and the built-in wording."""

    key: str
    label: str
    fields: str
    builtin: str  # in the staff member's UI language (zh or en)


def sentences() -> list[Sentence]:
    lang = "zh" if current_language().startswith("zh") else "en"
    out = []
    for key in OVERRIDABLE:
        names = sorted({name for text in PHRASES[key].values() for name in _field_names(text)})
        out.append(Sentence(key, _(KEY_LABELS[key]), " ".join("{" + n + "}" for n in names), PHRASES[key][lang]))
    return out


def _field_names(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def languages(rows: tuple[WordingRow, ...]) -> list[str]:
    """The languages the rows' selects offer: the phrasebook's, and any other a row already has."""
    return [*LANGS, *dict.fromkeys(r.lang for r in rows if r.lang and r.lang not in LANGS)]


def wording_rows(wording: Mapping[str, Mapping[str, str]]) -> tuple[WordingRow, ...]:
    return tuple(WordingRow(key, lang, text) for key, texts in wording.items() for lang, text in texts.items())


def wording_rows_from_form(form: Mapping[str, object]) -> tuple[WordingRow, ...]:
    """The rows sent that say something (a sentence chosen or a text typed; a language alone is the empty row)."""
    rows = (WordingRow(r.get("key", ""), r.get("lang", ""), r.get("text", "")) for r in indexed_rows(form, FIELD))
    return tuple(r for r in rows if r.key or r.text)


def parse_wording_rows(rows: tuple[WordingRow, ...]) -> dict[str, dict[str, str]]:
    """Rows -> {phrase key: {lang: template}}; `RowError` naming the row for anything the file import would refuse."""
    out: dict[str, dict[str, str]] = {}
    for n, row in enumerate(rows):
        line = {"n": n + 1}
        if not row.text:  # emptied: this wording is cleared
            continue
        if not row.key:
            raise RowError(FIELD, n, _("line %(n)d: choose the sentence this wording replaces") % line)
        if canonical_tag(row.lang) != row.lang or len(row.lang) > MAX_LANG_CHARS:
            raise RowError(FIELD, n, _("line %(n)d: %(lang)s is not a language code (zh, en, ja, …)")
                           % {**line, "lang": quoted_value(row.lang)})
        if (unknown := unidentifiable_problem(row.lang)) is not None:  # "kr" is Kanuri: never sent, as on import
            raise RowError(FIELD, n, _("line %(n)d: %(why)s") % {**line, "why": unknown})
        problem = override_problem(row.key, row.text)
        if problem is not None:  # said without "wording 'stock.few': ", which the row shows
            why = catalog_text.translate(_OWN_KEY.sub("", problem))
            raise RowError(FIELD, n, _("line %(n)d: %(why)s") % {**line, "why": why})
        if row.lang in out.get(row.key, {}):
            raise RowError(FIELD, n, _("line %(n)d: %(key)s already has a wording in %(lang)s")
                           % {**line, "key": row.key, "lang": row.lang})
        out.setdefault(row.key, {})[row.lang] = row.text
    return out


def form_wording(form: Mapping[str, object], existing: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """The product's wording from the editor's rows; a form without wording rows (an older page) keeps `existing`."""
    if has_rows(form, FIELD):
        return parse_wording_rows(wording_rows_from_form(form))
    return {key: dict(texts) for key, texts in existing.items()}


def format_wording_rows(rows: tuple[WordingRow, ...]) -> str:
    """The rows as text lines (what the stale-save diff compares)."""
    return "\n".join(f"{r.key} | {r.lang} | {r.text}" for r in rows if r.text)
