"""Import and export the catalog from the console: YAML (whole catalog) and CSV (one row per variant / stock).

Exported CSV cells never start a spreadsheet formula (csvsafe.py); an imported CSV has those quotes removed again.
Upload names and sizes are checked by `endpoint` (uploads.py) before the view runs.

A stock CSV is never written straight away: the upload shows a preview of every SKU that changes (old → new) with
a confirm form carrying the file's content and its SHA-256 (`digest`) and a digest of the previewed changes
(`plan`). The confirm re-checks the content against its digest, re-validates the file and works the changes out
again: if they differ from the preview (orders came in meanwhile), the new preview is shown instead of writing.
Replacing the whole catalog from a YAML file needs the `confirm_replace` checkbox. A YAML import (merge or replace)
keeps the live stock of variants already stored unless `stock_from_file` is ticked, and says which differed.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import time
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.catalog_import import import_catalog_checked
from bot.console import catalog_text, i18n
from bot.console.csvsafe import neutralise_csv, restore_csv
from bot.console.faq_warnings import import_warning
from bot.console.i18n import gettext as _
from bot.console.i18n import labelled, ngettext
from bot.console.product_labels import product_label
from bot.console.uploads import UploadRejected, check_upload_name, too_large_message
from bot.console.web import actor, context, endpoint, format_ts, redirect, render, short_error
from catalog.errors import CatalogError
from catalog.io import (
    STOCK_MODES,
    CatalogFileError,
    CatalogImport,
    StockPlan,
    decode_csv,
    dump_catalog,
    export_products_csv,
    plan_stock_csv,
)

log = logging.getLogger(__name__)
# What a refused import raises: CatalogFileError (file:line), rule/template errors, unknown SKUs/products and
# conflicts are all CatalogErrors. Anything else is a bug: Starlette logs it with its traceback.
IMPORT_ERRORS = (CatalogError,)


def _io_page(request: Request, *, error: str | None = None, status_code: int = 200, **values: Any) -> Response:
    return render(request, "io.html", {"error": error, "preview": None, **values}, status_code=status_code)


@endpoint("viewer")
def io_page(request: Request) -> Response:
    return _io_page(request)


def canonical_csv(data: bytes) -> str:
    """The uploaded CSV as the text the preview carries: UTF-8 (BOM dropped), line ends as LF — browsers send a
    form field's line ends as CRLF, so the digest is taken over this form. `UnicodeDecodeError` when not UTF-8."""
    text = data.decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def content_digest(text: str, mode: str) -> str:
    return hashlib.sha256(f"{mode}\n{text}".encode()).hexdigest()


def plan_digest(plan: StockPlan) -> str:
    """What the staff member saw: every change (sku, old, new), hashed."""
    return hashlib.sha256(repr([(c.sku, c.old, c.new) for c in plan.changes]).encode()).hexdigest()


def _stock_mode(form: Any) -> str:
    mode = str(form.get("stock_mode") or "set")
    return mode if mode in STOCK_MODES else "set"


def file_problem(filename: str, line: int | None, message: str) -> str:
    """One problem of an uploaded file as staff read it: "stock.csv:3: …" like the command line (zh: "stock.csv 第 3 行：…")."""
    message = catalog_text.translate(message)
    if line is None:
        return labelled(filename, message)
    return _("%(file)s:%(line)d: %(message)s") % {"file": filename, "line": line, "message": message}


def _refused(request: Request, exc: Exception, path: Path, tmp: str, filename: str) -> Response:
    def hide(text: str) -> str:  # never show the server's temporary path
        return text.replace(str(path), filename).replace(tmp, "")

    log.info("import of %s by %s refused: %s", filename, actor(request).username, short_error(hide(str(exc)), 200))
    if isinstance(exc, CatalogFileError):  # the file's problems one per line, each with its line number
        lines = [file_problem(filename, line, hide(message)) for line, message in exc.errors]
        if exc.more:
            lines.append(labelled(filename, ngettext("… and %(num)d more problem", "… and %(num)d more problems",
                                                     exc.more) % {"num": exc.more}))
        shown = "\n".join(lines)
    else:
        shown = "\n".join(catalog_text.translate(line) for line in hide(str(exc)).splitlines())
    return _io_page(request, error=short_error(shown), status_code=400)


def _preview(request: Request, text: str, filename: str, mode: str, *, notice: str | None = None) -> Response:
    """Work out (never write) what importing `text` does, and show it with the confirm form."""
    ctx = context(request)
    with tempfile.TemporaryDirectory(prefix="livereply-import-") as tmp:
        path = Path(tmp) / filename
        path.write_text(text, encoding="utf-8")
        try:
            plan = plan_stock_csv(ctx.store, path, mode=mode)
        except IMPORT_ERRORS as exc:
            return _refused(request, exc, path, tmp, filename)
    lang = "zh" if i18n.current().startswith("zh") else "en"
    variants = {  # which product each SKU is, by name and variant values in the staff language, beside the SKU
        v.sku: (p.id, product_label(p), "/".join(v.label(attr, lang) for attr in v.attrs))
        for p in ctx.store.snapshot().products.values() for v in p.variants
    }
    preview = {
        "plan": plan,
        "variants": {c.sku: variants[c.sku] for c in plan.changes if c.sku in variants},
        "filename": filename,
        "mode": mode,
        "content": text,
        "digest": content_digest(text, mode),
        "plan_digest": plan_digest(plan),
        "exported_at": format_ts(plan.exported_at) if plan.exported_at else None,
        "notice": notice,
    }
    return _io_page(request, preview=preview)


@endpoint("editor", write=True)
def confirm_stock(request: Request, form: Any) -> Response:
    """Write a previewed stock CSV: only the exact content previewed, only when the changes are still the same."""
    ctx = context(request)
    mode = _stock_mode(form)
    text = str(form.get("content") or "").replace("\r\n", "\n").replace("\r", "\n")
    try:
        filename = check_upload_name(str(form.get("filename") or "stock.csv"))
    except UploadRejected as exc:
        return _io_page(request, error=exc.message, status_code=exc.status)
    if len(text.encode("utf-8")) > ctx.max_upload_bytes:
        return _io_page(request, error=labelled(filename, too_large_message(ctx.max_upload_bytes)), status_code=413)
    if not text or str(form.get("digest") or "") != content_digest(text, mode):
        return _io_page(request, error=_("The preview does not match the file any more: upload the file again."),
                        status_code=400)
    with tempfile.TemporaryDirectory(prefix="livereply-import-") as tmp:
        path = Path(tmp) / filename
        path.write_text(text, encoding="utf-8")
        try:
            plan = plan_stock_csv(ctx.store, path, mode=mode)  # re-validated against the stock as it is now
            if plan_digest(plan) != str(form.get("plan") or ""):
                return _preview(request, text, filename, mode, notice=_(
                    "Stock changed since the preview (orders or another import); nothing was written. "
                    "Check the new values and confirm again."))
            done = ctx.editor.import_stock(actor(request), path, mode)
        except IMPORT_ERRORS as exc:
            return _refused(request, exc, path, tmp, filename)
    return redirect("/io", ok=_("Stock imported from %(file)s: %(n)d SKUs changed.") % {
        "file": filename, "n": len(done.changes)})


@endpoint("viewer")
def export_yaml(request: Request) -> Response:
    text = dump_catalog(context(request).store)
    name = time.strftime("catalog-%Y%m%d-%H%M%S.yaml")
    return Response(
        text, media_type="application/x-yaml; charset=utf-8", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@endpoint("viewer")
def export_csv(request: Request) -> Response:
    with tempfile.TemporaryDirectory(prefix="livereply-export-") as tmp:
        path = Path(tmp) / "products.csv"
        export_products_csv(context(request).store, path)
        body = ("\ufeff" + neutralise_csv(path.read_text(encoding="utf-8-sig"))).encode("utf-8")  # BOM: Chinese in Excel
    name = time.strftime("stock-%Y%m%d-%H%M%S.csv")
    return Response(body, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@endpoint("editor", write=True)
def import_upload(request: Request, form: Any) -> Response:
    ctx = context(request)
    upload = form.get("file")
    fmt = str(form.get("format") or "").lower()
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _io_page(request, error=_("Choose a file to import."), status_code=400)
    try:
        filename = check_upload_name(upload.filename)  # also checked by `endpoint`; the name becomes a file name below
    except UploadRejected as exc:
        return _io_page(request, error=exc.message, status_code=exc.status)
    if fmt not in ("yaml", "csv"):
        fmt = "csv" if filename.lower().endswith(".csv") else "yaml"
    data = upload.file.read(ctx.max_upload_bytes + 1)
    if len(data) > ctx.max_upload_bytes:
        return _io_page(request, error=labelled(filename, too_large_message(ctx.max_upload_bytes)), status_code=413)
    if fmt == "csv":  # previewed first, written only by confirm_stock
        try:
            text = canonical_csv(restore_csv(decode_csv(data).encode("utf-8")))  # GBK from Excel: as UTF-8
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            return _io_page(request, error=f"{filename}:{line}: " + _("not valid UTF-8"), status_code=400)
        return _preview(request, text, filename, _stock_mode(form))
    replace = form.get("mode") == "replace"
    if replace and str(form.get("confirm_replace") or "") != "yes":
        return _io_page(request, error=_("Replacing the whole catalog deletes every product and FAQ that is not in the "
                                         "file. Tick the confirmation box to do it."), status_code=400)
    keep_stock = str(form.get("stock_from_file") or "") != "yes"
    outcome: list[CatalogImport] = []

    def importer(store: Any, p: Path) -> None:
        outcome.append(import_catalog_checked(store, p, replace=replace, keep_stock=keep_stock))

    with tempfile.TemporaryDirectory(prefix="livereply-import-") as tmp:
        path = Path(tmp) / filename  # errors then name the uploaded file
        path.write_bytes(data)
        try:
            version = ctx.editor.import_file(actor(request), path, importer, "yaml")
            done = (_("Catalog imported from %(file)s (replaced, catalog v%(version)s).") if replace
                    else _("Catalog imported from %(file)s (merged, catalog v%(version)s)."))
            message = done % {"file": filename, "version": version}
        except IMPORT_ERRORS as exc:
            return _refused(request, exc, path, tmp, filename)
    stock = stock_message(outcome[0]) if outcome else ""
    # global FAQs answering with {product} / {price} …: imported, and said (handed to staff while nothing is on stage)
    note = import_warning(ctx.store.snapshot().faqs.values())
    return redirect("/io", ok=" ".join(part for part in (message, stock, note) if part))


STOCK_SHOWN = 10  # variants named in the message after a YAML import; the rest are counted


def stock_message(result: CatalogImport) -> str:
    """The variants whose live stock differed from the file's: kept (the default) or overwritten ("stock from the
    file" ticked), as one sentence for the flash; "" when none differed."""
    diffs = result.stock_differences
    if not diffs:
        return ""
    n = len(diffs)
    if result.keep_stock:
        items = [_("%(sku)s %(live)d (file: %(file)d)") % {"sku": d.sku, "live": d.live, "file": d.file}
                 for d in diffs[:STOCK_SHOWN]]
    else:
        items = [f"{d.sku} {d.live} → {d.file}" for d in diffs[:STOCK_SHOWN]]
    if n > STOCK_SHOWN:
        items.append(_("… and %(n)d more") % {"n": n - STOCK_SHOWN})
    listed = _(", ").join(items)
    if result.keep_stock:
        return ngettext(
            "Kept the live stock of %(n)d variant, not the file's: %(list)s. To take the file's stock, import again "
            "with “take the stock from the file” ticked.",
            "Kept the live stock of %(n)d variants, not the file's: %(list)s. To take the file's stock, import again "
            "with “take the stock from the file” ticked.",
            n,
        ) % {"n": n, "list": listed}
    return ngettext(
        "Set the stock of %(n)d variant from the file: %(list)s.",
        "Set the stock of %(n)d variants from the file: %(list)s.",
        n,
    ) % {"n": n, "list": listed}


routes = [
    Route("/io", io_page, methods=["GET"]),
    Route("/io/export.yaml", export_yaml, methods=["GET"]),
    Route("/io/export.csv", export_csv, methods=["GET"]),
    Route("/io/import", import_upload, methods=["POST"]),
    Route("/io/import/confirm", confirm_stock, methods=["POST"]),
]
