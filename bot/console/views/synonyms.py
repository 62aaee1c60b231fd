"""The catalog's synonyms: other words viewers use for variant values (黑 / 黑的 / black for 黑色) and words that ask
for a product attribute (重量 / 多重 / 几斤 for weight). Viewed by everyone, edited by editors in one form (rows,
bot/console/synonym_rows.py); the store checks them by the catalog file's rules (`catalog.synonyms`) and bumps the
catalog version, so the running bot reads them within a second. A save over a newer one is refused (`StaleEdit`)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console.forms import RowError
from bot.console.i18n import gettext as _
from bot.console.i18n import labelled
from bot.console.synonym_rows import ATTRIBUTES, VALUES, SynonymRows, problem_rows, table_name
from bot.console.views.catalog_pages import EDIT_ERRORS, _expected_version, _message, edit_diff, stale_message
from bot.console.web import actor, context, endpoint, redirect, render
from catalog.snapshot import CatalogSnapshot
from catalog.store import StaleEdit
from catalog.synonyms import SynonymError, Vocabulary, clean, synonym_problems


def _used_by(snap: CatalogSnapshot) -> dict[str, Any]:
    """Which products have each variant value ("colour|黑色" -> ids) and attribute key (for the datalists and hints)."""
    values: dict[str, dict[str, list[str]]] = {}
    keys: dict[str, list[str]] = {}
    for product in snap.products.values():
        for variant in product.variants:
            for attr, value in variant.attrs.items():
                ids = values.setdefault(attr, {}).setdefault(str(value), [])
                if product.id not in ids:
                    ids.append(product.id)
        for key in product.attributes:
            keys.setdefault(key, []).append(product.id)
    return {"values": values, "keys": keys}


def _page(
    request: Request,
    rows: SynonymRows | None = None,
    *,
    error: str | None = None,
    problems: list[str] | None = None,
    row_errors: dict[str, str] | None = None,
    status_code: int = 200,
    edit_version: int | None = None,
    diff: list[dict[str, str]] | None = None,
) -> Response:
    ctx = context(request)
    snap = ctx.store.snapshot()
    if edit_version is None:
        edit_version = ctx.store.edit_version("synonyms", "")
    warning = None
    if rows is None:  # as stored: an entry a product edit left without its value or key is marked on its row
        rows = SynonymRows.of(snap.synonyms)
        stale = synonym_problems(clean(snap.synonyms), Vocabulary.of_products(snap.products.values()))
        if stale:
            row_errors, problems = problem_rows(rows, tuple(stale), snap.products)
            warning = _("Some words no longer fit the products (a product was changed since): change or empty the "
                        "rows marked below, or the next save and a catalog export → import are refused.")
    return render(request, "synonyms.html", {
        "rows": rows,
        "warning": warning,
        "used": _used_by(snap),
        "products": snap.products,  # the products column names them (product_name), the id as tooltip
        "version": snap.version,
        "edit_version": edit_version,
        "error": error,
        "problems": problems or [],
        "row_errors": row_errors or {},
        "diff": diff or [],
        "history": ctx.accounts.audit_entries(limit=20, target_type="synonyms"),
    }, status_code=status_code)


@endpoint("viewer")
def synonyms_page(request: Request) -> Response:
    return _page(request)


@endpoint("editor", write=True)
def save_synonyms(request: Request, form: Any) -> Response:
    ctx = context(request)
    expected = _expected_version(form)
    rows = SynonymRows.from_form(form)
    try:
        version = ctx.editor.save_synonyms(actor(request), rows.parse(), expected_version=expected)
    except StaleEdit as exc:  # someone saved them meanwhile: nothing written; both sides shown, the form keeps yours
        current = SynonymRows.of(ctx.store.snapshot().synonyms)
        labels = {VALUES: table_name(VALUES), ATTRIBUTES: table_name(ATTRIBUTES)}
        diff = edit_diff(labels, rows.text(), current.text())
        return _page(request, rows, error=stale_message(), status_code=409, edit_version=exc.current, diff=diff)
    except SynonymError as exc:  # the catalog file's rules: every problem on its row
        at, listed = problem_rows(rows, exc.problems, ctx.store.snapshot().products)
        return _page(request, rows, error=_("Not saved: the synonyms break a rule (see the rows marked below)."),
                     problems=listed, row_errors=at, status_code=400, edit_version=expected)
    except RowError as exc:  # a row without its attribute / value / key, or an entry on two rows
        return _page(request, rows, error=labelled(table_name(exc.field), exc.message),
                     row_errors={f"{exc.field}-{exc.row}": exc.message}, status_code=400, edit_version=expected)
    except EDIT_ERRORS as exc:
        return _page(request, rows, error=_message(exc), status_code=400, edit_version=expected)
    return redirect("/synonyms", ok=_("Synonyms saved (catalog v%(version)s); the bot picks them up within a second.")
                    % {"version": version})


routes = [
    Route("/synonyms", synonyms_page, methods=["GET"]),
    Route("/synonyms", save_synonyms, methods=["POST"]),
]
