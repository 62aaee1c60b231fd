"""Import and export the catalog from the console: YAML (whole catalog) and CSV (one row per variant / stock)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from catalog.console.web import actor, context, endpoint, redirect, render
from catalog.io import CatalogFileError, dump_catalog, export_products_csv, import_catalog, import_stock_csv
from catalog.store import CatalogError
from catalog.templates import TemplateError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024


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
        body = path.read_bytes()
    name = time.strftime("stock-%Y%m%d-%H%M%S.csv")
    return Response(body, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@endpoint("editor", write=True)
def import_upload(request: Request, form: Any) -> Response:
    ctx = context(request)
    upload = form.get("file")
    fmt = str(form.get("format") or "").lower()
    if not isinstance(upload, UploadFile) or not upload.filename:
        return render(request, "io.html", {"error": "Choose a file to import."}, status_code=400)
    filename = Path(upload.filename).name
    if fmt not in ("yaml", "csv"):
        fmt = "csv" if filename.lower().endswith(".csv") else "yaml"
    data = upload.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return render(request, "io.html", {"error": f"{filename}: larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"}, status_code=400)
    replace = form.get("mode") == "replace"
    with tempfile.TemporaryDirectory(prefix="livereply-import-") as tmp:
        path = Path(tmp) / filename  # errors then name the uploaded file
        path.write_bytes(data)
        try:
            if fmt == "csv":
                version = ctx.editor.import_file(actor(request), path, lambda store, p: import_stock_csv(store, p), "csv")
                message = f"Stock imported from {filename}."
            else:
                version = ctx.editor.import_file(
                    actor(request), path, lambda store, p: import_catalog(store, p, replace=replace), "yaml"
                )
                message = f"Catalog imported from {filename} ({'replaced' if replace else 'merged'}, catalog v{version})."
        except (CatalogFileError, CatalogError, TemplateError, KeyError, ValueError) as exc:
            text = str(exc.args[0]) if isinstance(exc, KeyError) else str(exc)
            return render(request, "io.html", {"error": text}, status_code=400)
    return redirect("/io", ok=message)


routes = [
    Route("/io", io_page, methods=["GET"]),
    Route("/io/export.yaml", export_yaml, methods=["GET"]),
    Route("/io/export.csv", export_csv, methods=["GET"]),
    Route("/io/import", import_upload, methods=["POST"]),
]
