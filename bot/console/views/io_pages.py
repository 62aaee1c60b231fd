"""Import and export the catalog from the console: YAML (whole catalog) and CSV (one row per variant / stock).

Exported CSV cells never start a spreadsheet formula (csvsafe.py); an imported CSV has those quotes removed again.
Upload names and sizes are checked by `endpoint` (uploads.py) before the view runs.
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console.csvsafe import neutralise_csv, restore_csv
from bot.console.i18n import gettext as _
from bot.console.uploads import UploadRejected, check_upload_name, too_large_message
from bot.console.web import actor, context, endpoint, redirect, render, short_error
from catalog.errors import CatalogError
from catalog.io import dump_catalog, export_products_csv, import_catalog, import_stock_csv

log = logging.getLogger(__name__)
# What a refused import raises: CatalogFileError (file:line), rule/template errors, unknown SKUs/products and
# conflicts are all CatalogErrors. Anything else is a bug: Starlette logs it with its traceback.
IMPORT_ERRORS = (CatalogError,)


@endpoint("viewer")
def io_page(request: Request) -> Response:
    return render(request, "io.html", {"error": None})


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
        return render(request, "io.html", {"error": _("Choose a file to import.")}, status_code=400)
    try:
        filename = check_upload_name(upload.filename)  # also checked by `endpoint`; the name becomes a file name below
    except UploadRejected as exc:
        return render(request, "io.html", {"error": exc.message}, status_code=exc.status)
    if fmt not in ("yaml", "csv"):
        fmt = "csv" if filename.lower().endswith(".csv") else "yaml"
    data = upload.file.read(ctx.max_upload_bytes + 1)
    if len(data) > ctx.max_upload_bytes:
        return render(request, "io.html", {"error": f"{filename}: {too_large_message(ctx.max_upload_bytes)}"}, status_code=413)
    if fmt == "csv":
        data = restore_csv(data)
    replace = form.get("mode") == "replace"
    with tempfile.TemporaryDirectory(prefix="livereply-import-") as tmp:
        path = Path(tmp) / filename  # errors then name the uploaded file
        path.write_bytes(data)
        try:
            if fmt == "csv":
                version = ctx.editor.import_file(actor(request), path, lambda store, p: import_stock_csv(store, p), "csv")
                message = _("Stock imported from %(file)s.") % {"file": filename}
            else:
                version = ctx.editor.import_file(
                    actor(request), path, lambda store, p: import_catalog(store, p, replace=replace), "yaml"
                )
                done = (_("Catalog imported from %(file)s (replaced, catalog v%(version)s).") if replace
                        else _("Catalog imported from %(file)s (merged, catalog v%(version)s)."))
                message = done % {"file": filename, "version": version}
        except IMPORT_ERRORS as exc:
            text = str(exc).replace(str(path), filename).replace(tmp, "")  # never show the server's temporary path
            log.info("import of %s by %s refused: %s", filename, actor(request).username, short_error(text, 200))
            return render(request, "io.html", {"error": short_error(text)}, status_code=400)
    return redirect("/io", ok=message)


routes = [
    Route("/io", io_page, methods=["GET"]),
    Route("/io/export.yaml", export_yaml, methods=["GET"]),
    Route("/io/export.csv", export_csv, methods=["GET"]),
    Route("/io/import", import_upload, methods=["POST"]),
]
