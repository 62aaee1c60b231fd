"""The catalog file import as the command line and the console run it: `catalog.io`'s import, plus the check only the
bot layer can make — every answer template (FAQ answers, a product's wording) is filed under a language the bot
identifies in comments (`bot.langid.identifiable_languages`). A template under "kr" (ISO 639-1 for Kanuri, typed for
Korean) would be imported and never sent; the import is refused as a whole, with the file's line, "did you mean ko
(Korean)?" and the supported codes, like the import's other validation errors (`CatalogFileError`).

`catalog/` must not import `bot/` (the identifier lives here), so the check is handed to the import as its
``check`` hook: it runs on the parsed file before anything is written (one parse).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from bot.langid import reply_language_problem
from catalog.io import CatalogData, CatalogFileError, CatalogImport, import_catalog_report

if TYPE_CHECKING:
    from catalog.store import CatalogStore
    from catalog.wordfilter import WordFilter

__all__ = ["catalog_language_problems", "import_catalog_checked", "template_language_problem"]


def template_language_problem(code: str) -> str | None:
    """Why a template filed under ``code`` would never be sent, or None (English, as the catalog's messages; the
    console translates it, bot/console/catalog_text.py): `bot.langid.reply_language_problem`."""
    return reply_language_problem(code)


def catalog_language_problems(data: CatalogData) -> list[tuple[int | None, str]]:
    """(line, message) for every FAQ answer and product wording filed under a language the bot never identifies;
    the line is the FAQ's / product's entry (as the banned-word check of `catalog.io` reports)."""
    problems: list[tuple[int | None, str]] = []
    for product in data.products:
        for key, texts in product.wording.items():
            for lang in texts:
                why = template_language_problem(lang)
                if why:
                    problems.append((data.lines.get("product:" + product.id),
                                     f"product '{product.id}' wording '{key}' ({lang}): {why}"))
    for faq in data.faqs:
        for lang in faq.answers:
            why = template_language_problem(lang)
            if why:
                problems.append((data.lines.get("faq:" + faq.id), f"FAQ '{faq.id}' answer ({lang}): {why}"))
    return sorted(problems, key=lambda problem: problem[0] or 0)


def import_catalog_checked(
    store: CatalogStore,
    path: str | os.PathLike[str],
    replace: bool = True,
    *,
    word_filter: WordFilter | None = None,
    keep_stock: bool = False,
) -> CatalogImport:
    """`catalog.io.import_catalog_report`, refused with `CatalogFileError` (nothing written) when an answer template
    is filed under a language the bot never identifies (`catalog_language_problems`)."""

    def check(data: CatalogData) -> None:
        problems = catalog_language_problems(data)
        if problems:
            raise CatalogFileError(data.path, problems)

    return import_catalog_report(store, path, replace, word_filter=word_filter, keep_stock=keep_stock, check=check)
