"""The catalog's own error messages (catalog/, English) as staff see them in the console's language.

The store explains a refused answer template in English, e.g.
    FAQ 'price' answer (zh): unknown placeholder {prise}; did you mean {price}? (at character 1)
`translate` rewrites the known pieces of such a message through gettext (the English msgids reproduce the catalog's
wording, so in English nothing changes); anything it does not know stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.console.forms import rule_reason
from bot.console.i18n import N_
from bot.console.i18n import gettext as _

_PH = r"\{[^{}]*\}"  # a placeholder as the catalog quotes it: {name} or {name:arg}

# (pattern, message with the same wording and %(group)s for each named group)
_PIECES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), msg)
    for p, msg in (
        (r"FAQ '(?P<id>[^']*)' answer \((?P<lang>[a-z]{2})\): ", N_("FAQ '%(id)s' answer (%(lang)s): ")),
        (
            rf"unknown placeholder (?P<ph>{_PH}); did you mean (?P<hint>{_PH})\?",
            N_("unknown placeholder %(ph)s; did you mean %(hint)s?"),
        ),
        (
            rf"unknown placeholder (?P<ph>{_PH}); known names: (?P<names>[a-z_, ]+)",
            N_("unknown placeholder %(ph)s; known names: %(names)s"),
        ),
        (
            r"'\{' is never closed \(write '\{\{' for a literal brace\)",
            N_("'{' is never closed (write '{{' for a literal brace)"),
        ),
        (
            r"'\{' inside a placeholder \(write '\{\{' for a literal brace\)",
            N_("'{' inside a placeholder (write '{{' for a literal brace)"),
        ),
        (r"unmatched '\}' \(write '\}\}' for a literal brace\)", N_("unmatched '}' (write '}}' for a literal brace)")),
        (r"empty placeholder name", N_("empty placeholder name")),
        (rf"(?P<ph>{_PH}) needs an argument, e\.g\. (?P<eg>{_PH})", N_("%(ph)s needs an argument, e.g. %(eg)s")),
        (rf"(?P<ph>{_PH}) takes no argument \(got (?P<got>{_PH})\)", N_("%(ph)s takes no argument (got %(got)s)")),
        (r"(?P<ph>\{[a-z_]+:\}) has an empty argument", N_("%(ph)s has an empty argument")),
        (
            rf"(?P<ph>{_PH}): product '(?P<id>[^']*)' has no attribute '(?P<arg>[^']*)' \(attributes: (?P<known>[^)]*)\)",
            N_("%(ph)s: product '%(id)s' has no attribute '%(arg)s' (attributes: %(known)s)"),
        ),
        (
            rf"(?P<ph>{_PH}): product '(?P<id>[^']*)' has no variant '(?P<arg>[^']*)' \(variant values: (?P<known>[^)]*)\)",
            N_("%(ph)s: product '%(id)s' has no variant '%(arg)s' (variant values: %(known)s)"),
        ),
        (
            rf"(?P<ph>{_PH}): product '(?P<id>[^']*)' has no variants with a (?P<attr>\w+)",
            N_("%(ph)s: product '%(id)s' has no variants with a %(attr)s"),
        ),
        (
            rf"(?P<ph>{_PH}): no product in the catalog has the (?P<what>[\w ]+?) '(?P<arg>[^']*)'",
            N_("%(ph)s: no product in the catalog has the %(what)s '%(arg)s'"),
        ),
        (r"(?P<space> ?)\(at character (?P<n>\d+)\)", N_("%(space)s(at character %(n)s)")),
        # a product's wording of the structured answers (catalog/phrases.py override_problem)
        (
            r"unknown wording '(?P<key>[^']*)' \(these can be reworded: (?P<keys>[^)]*)\)",
            N_("unknown wording '%(key)s' (these can be reworded: %(keys)s)"),
        ),
        (r"wording '(?P<key>[^']*)': ", N_("wording '%(key)s': ")),
        (
            rf"(?P<ph>{_PH}) is not filled here \(available: (?P<fields>[^)]*)\)",
            N_("%(ph)s is not filled here (available: %(fields)s)"),
        ),
        (r"(?P<why>.+) \(write a literal brace as \{\{ or \}\}\)", N_("%(why)s (write a literal brace as {{ or }})")),
        (r"Single '\}' encountered in format string", N_("a '}' that closes nothing")),
        (r"Single '\{' encountered in format string", N_("a '{' that is never closed")),
        (r"expected '\}' before end of string", N_("a '{' that is never closed")),
        # stock CSV import (catalog/io.py plan_stock_csv, catalog/store/stock_ledger.py import_stocks); `why` is a rule reason
        (r"unknown SKU '(?P<sku>[^']*)'", N_("unknown SKU '%(sku)s'")),
        (r"stock for '(?P<sku>[^']*)' (?P<why>must .*)$", N_("stock for '%(sku)s' %(why)s")),
        (r"SKU '(?P<sku>[^']*)' repeated \(first at line (?P<n>\d+)\)", N_("SKU '%(sku)s' repeated (first at line %(n)s)")),
        (r"^empty sku$", N_("empty sku")),
        (r"must be a change like \+5 or -2, got (?P<got>.+)$", N_("must be a change like +5 or -2, got %(got)s")),
        (
            r"stock of '(?P<sku>[^']*)' would be (?P<new>-?\d+) \((?P<old>\d+) (?P<change>[+-]\d+)\)",
            N_("stock of '%(sku)s' would be %(new)s (%(old)s %(change)s)"),
        ),
        (
            (r"stock of '(?P<sku>[^']*)' would be (?P<new>-?\d+) \((?P<value>\d+) in the file (?P<change>[+-]\d+) "
             r"from orders since the export\)"),
            N_("stock of '%(sku)s' would be %(new)s (%(value)s in the file %(change)s from orders since the export)"),
        ),
        (
            r"header must have 'sku' and 'stock' columns, got (?P<got>.+)$",
            N_("header must have 'sku' and 'stock' columns, got %(got)s"),
        ),
    )
]


def _replace(message: str) -> Callable[[re.Match[str]], str]:
    def one(found: re.Match[str]) -> str:
        values = found.groupdict()
        if values.get("why"):
            values["why"] = rule_reason(values["why"])
        return _(message) % values

    return one


def translate(text: str) -> str:
    """`text` (a message from catalog/) with every known piece in the console's language."""
    if "\n" in text:  # a file error lists one problem per line
        return "\n".join(translate(line) for line in text.split("\n"))
    whole = rule_reason(text)
    if whole != text:
        return whole
    for pattern, message in _PIECES:
        text = pattern.sub(_replace(message), text)
    return text
