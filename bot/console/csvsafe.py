"""CSV formula injection: cells the console exports never start a spreadsheet formula.

A cell starting with `=`, `+`, `-`, `@`, tab or carriage return is run as a formula by spreadsheet apps
(`=HYPERLINK("http://evil","click")`), so exported cells starting with one of them get a leading single quote
(OWASP "CSV injection"). So that the escaping can be undone exactly, a cell that already starts with a single
quote gets one more. On import, one leading quote is removed when what follows starts with one of those
characters or with a quote: everything the console exported reads back as it was, and a hand-written `'abc`
stays `'abc`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

__all__ = ["neutralise_cell", "neutralise_csv", "restore_cell", "restore_csv"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralise_cell(value: str) -> str:
    return QUOTE + value if value.startswith((*FORMULA_START, QUOTE)) else value


def restore_cell(value: str) -> str:
    if value.startswith(QUOTE) and value[1:].startswith((*FORMULA_START, QUOTE)):
        return value[1:]
    return value


def _rewrite(text: str, cell: Callable[[str], str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in csv.reader(io.StringIO(text, newline="")):
        writer.writerow([cell(value) for value in row])
    return out.getvalue()


def neutralise_csv(text: str) -> str:
    """The same CSV with every cell passed through `neutralise_cell`."""
    return _rewrite(text, neutralise_cell)


def restore_csv(data: bytes) -> bytes:
    """An uploaded CSV with the quotes `neutralise_cell` added removed again (UTF-8 out, BOM dropped).

    Unchanged when no cell needs it or the file is not UTF-8 / not parseable: the importer then reports the
    problem with the file's own line numbers.
    """
    try:
        text = data.decode("utf-8-sig")
        if QUOTE not in text:
            return data
        return _rewrite(text, restore_cell).encode("utf-8")
    except (UnicodeDecodeError, csv.Error):
        return data
