"""The catalog's own error messages (catalog/, English) as staff see them in the console's language.

The store explains a refused answer template in English, e.g.
    FAQ 'price' answer (zh): unknown placeholder {prise}; did you mean {price}? (at character 1)
`translate` rewrites the known pieces of such a message through gettext (the English msgids reproduce the catalog's
wording, so in English nothing changes); anything it does not know stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.console.forms import requote, rule_reason
from bot.console.i18n import N_
from bot.console.i18n import gettext as _
from bot.console.lang_names import unidentifiable_problem
from bot.console.message_table import message_table

_PH = r"\{[^{}]*\}"  # a placeholder as the catalog quotes it: {name} or {name:arg}

# (pattern, message with the same wording and %(group)s for each named group)
_PIECES = message_table(
    (
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
        # a product edit that reorders the sizes under the size chart it keeps (the editor has no chart field)
        (
            (r"size chart row '(?P<size>[^']*)' comes after '(?P<prev>[^']*)' but the variants list (?P<first>\S+) "
             r"first: rows go from the smallest size to the largest"),
            N_("size chart row '%(size)s' comes after '%(prev)s' but the variants list %(first)s first: rows go from the "
               "smallest size to the largest"),
        ),
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
        # product edits the store refuses (catalog/store/catalog_writes.py)
        (
            r"SKU '(?P<sku>[^']*)' already belongs to product '(?P<id>[^']*)'",
            N_("SKU '%(sku)s' already belongs to product '%(id)s': a SKU belongs to one product, use another one"),
        ),
        (
            r"product '(?P<id>[^']*)' is used by FAQs: (?P<faqs>.+)$",
            N_("product '%(id)s' is used by FAQs: %(faqs)s. Delete those FAQs or move them to another product first"),
        ),
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
            (r"exported_at '(?P<got>[^']*)' is a date a spreadsheet app turned into a number \((?P<when>[^,]*), rounded, "
             r"time zone unknown\): the orders since the export cannot be counted from it; export the stock again and "
             r"keep the exported_at column as text, or empty the exported_at column to set the file's values as they are"),
            N_("exported_at '%(got)s' is a date a spreadsheet app turned into a number (%(when)s, rounded, time zone "
               "unknown): the orders since the export cannot be counted from it; export the stock again and keep the "
               "exported_at column as text, or empty the exported_at column to set the file's values as they are"),
        ),
        (
            (r"exported_at '(?P<got>[^']*)' is not an export time this program wrote: export the stock again, or "
             r"empty the exported_at column to set the file's values as they are"),
            N_("exported_at '%(got)s' is not an export time this program wrote: export the stock again, or empty the "
               "exported_at column to set the file's values as they are"),
        ),
        (
            r"header must have 'sku' and 'stock' columns, got (?P<got>.+)$",
            N_("header must have 'sku' and 'stock' columns, got %(got)s"),
        ),
        # a catalog file (catalog/io.py load_catalog_file): the most common problems, predicate first, then the
        # subject it names ("product 'x'" …), so "product 'x' is missing required key 'name'" is translated in two pieces
        # typing slips named before YAML's own words (catalog/io.py _yaml_slip, _lang_key_hint, _quote_hint)
        (r"full-width colon '：' after '(?P<key>[^']*)' — use ':'", N_("full-width colon '：' after '%(key)s' — use ':'")),
        (r"full-width comma '，' before '(?P<key>[^']*)' — use ','", N_("full-width comma '，' before '%(key)s' — use ','")),
        (r"full-width comma '，' after '(?P<key>[^']*)' — use ':'", N_("full-width comma '，' after '%(key)s' — use ':'")),
        (r" — full-width colon '：': use ':'", N_(" — full-width colon '：': use ':'")),
        (
            r" — an unquoted ',' inside \{…\} splits the text: quote it, (?P<eg>.+)$",
            N_(" — an unquoted ',' inside {…} splits the text: quote it, %(eg)s"),
        ),
        (
            r"templates with \{placeholders\} must be quoted: (?P<eg>(?:[^\s:\"]+: )?\"[^\"]*\")",
            N_("templates with {placeholders} must be quoted: %(eg)s"),
        ),
        (r"^invalid YAML: (?P<detail>.+)$", N_("invalid YAML: %(detail)s")),
        (r"^the file is empty$", N_("the file is empty")),
        (r"^not valid UTF-8 \((?P<detail>[^)]*)\)", N_("not valid UTF-8 (%(detail)s)")),
        (r"^missing required key '(?P<key>[^']*)'", N_("missing required key '%(key)s'")),
        (r" is missing required key '(?P<key>[^']*)'", N_(" is missing required key '%(key)s'")),
        (r": unknown key '(?P<key>[^']*)' \(allowed: (?P<allowed>[^)]*)\)", N_(": unknown key '%(key)s' (allowed: %(allowed)s)")),
        (r": duplicate key '(?P<key>[^']*)' \(first at line (?P<n>\d+)\)", N_(": duplicate key '%(key)s' (first at line %(n)s)")),
        (r" must be a mapping \(key: value\), not (?P<kind>a list|a mapping|a single value)",
         N_(" must be a mapping (key: value), not %(kind)s")),
        (r" must be a list, not (?P<kind>a list|a mapping|a single value)", N_(" must be a list, not %(kind)s")),
        (r" must be non-empty text, not (?P<got>.+)$", N_(" must be non-empty text, not %(got)s")),
        (r" is longer than (?P<n>\d+) characters", N_(" is longer than %(n)s characters")),
        (r" needs (?P<langs>[a-z]{2}(?: and [a-z]{2})*) text$", N_(" needs %(langs)s text")),
        (r" needs at least one variant", N_(" needs at least one variant")),
        (r" name needs text in at least one language", N_(" name needs text in at least one language")),
        (
            (r"synonym '(?P<word>[^']*)' means both (?P<other>.+?) and (?P<value>.+?) \((?P<attr>[^()]*)\) "
             r"in product '(?P<id>[^']*)'"),
            N_("synonym '%(word)s' means both %(other)s and %(value)s (%(attr)s) in product '%(id)s'"),
        ),
        (r" \(the catalog's synonyms, kept by a merge import\)", N_(" (the catalog's synonyms, kept by a merge import)")),
        (r"'(?P<value>[^']*)' is not a (?P<attr>\S+) of any variant", N_("'%(value)s' is not a %(attr)s of any variant")),
        (r" needs an answer in at least one language \(zh, en, ja …\)", N_(" needs an answer in at least one language")),
        (r" refers to unknown product '(?P<id>[^']*)'", N_(" refers to unknown product '%(id)s'")),
        (r" has (?P<n>\d+) example questions; at least (?P<min>\d+) are needed",
         N_(" has %(n)s example questions; at least %(min)s are needed")),
        (r"duplicate product id '(?P<id>[^']*)' \(first at line (?P<n>\d+)\)",
         N_("duplicate product id '%(id)s' (first at line %(n)s)")),
        (r"duplicate FAQ id '(?P<id>[^']*)' \(first at line (?P<n>\d+)\)", N_("duplicate FAQ id '%(id)s' (first at line %(n)s)")),
        (r"duplicate SKU '(?P<sku>[^']*)' \(first at line (?P<n>\d+)\)", N_("duplicate SKU '%(sku)s' (first at line %(n)s)")),
        (
            r"(?P<code>'[^']*') is not a known language code \(BCP-47 with an ISO 639-1 language: (?P<eg>[^)]*)\)",
            N_("%(code)s is not a known language code (BCP-47 with an ISO 639-1 language: %(eg)s)"),
        ),
        (
            r"(?P<value>'[^']*') is not a valid id \(lowercase letters, digits, '-' and '_', at most (?P<max>\d+) characters\)",
            N_("%(value)s is not a valid id (lowercase letters, digits, '-' and '_', at most %(max)s characters)"),
        ),
        (r"(?P<field>\b[a-z_]+) (?P<why>must (?:be|have) .+)$", N_("%(field)s %(why)s")),
        (r"^catalog file(?![a-z])", N_("catalog file")),
        (r"\bproduct id ", N_("product id ")),
        (r"\bvariant of '(?P<id>[^']*)'", N_("variant of '%(id)s'")),
        (r"\bvariant '(?P<sku>[^']*)'", N_("variant '%(sku)s'")),
        (r"\bproduct '(?P<id>[^']*)'", N_("product '%(id)s'")),
        (r"\bFAQ '(?P<id>[^']*)' answer: ", N_("FAQ '%(id)s' answer: ")),
        (r"\bFAQ '(?P<id>[^']*)'", N_("FAQ '%(id)s'")),
        (r"^product(?=[:：])", N_("product")),
    )
)

# an answer template under a language the bot never identifies (bot/catalog_import.py template_language_problem):
# said as the FAQ editor says it, with the language names in the console's language
_UNIDENTIFIABLE = re.compile(
    r"'(?P<lang>[^']*)'(?: \([^)]*\))? is not a language the bot recognises in comments(?:; did you mean [^?]*\?|\.) "
    r"Supported: [a-z, -]+$"
)


def _unidentifiable(found: re.Match[str]) -> str:
    return unidentifiable_problem(found.group("lang")) or found.group()


# what a YAML node was instead of what was expected ("… not a list")
_KINDS = {"a list": N_("a list"), "a mapping": N_("a mapping"), "a single value": N_("a single value")}


def _replace(message: str) -> Callable[[re.Match[str]], str]:
    def one(found: re.Match[str]) -> str:
        values = {k: requote(v) for k, v in found.groupdict().items()}
        if values.get("why"):
            values["why"] = rule_reason(found.group("why"))
        if values.get("kind") in _KINDS:
            values["kind"] = _(_KINDS[values["kind"]])
        return _(message) % values

    return one


def translate(text: str) -> str:
    """`text` (a message from catalog/) with every known piece in the console's language."""
    if "\n" in text:  # a file error lists one problem per line
        return "\n".join(translate(line) for line in text.split("\n"))
    whole = rule_reason(text)
    if whole != text:
        return whole
    text = _UNIDENTIFIABLE.sub(_unidentifiable, text)
    for pattern, message in _PIECES:
        text = pattern.sub(_replace(message), text)
    return text
