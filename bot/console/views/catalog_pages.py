"""Catalog editing: products, variants and live stock; FAQs with example questions and answer templates."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console import catalog_text
from bot.console.editing import EditError
from bot.console.faq_labels import faq_named
from bot.console.faq_warnings import product_warning
from bot.console.forms import (
    FaqForm,
    FormError,
    RowError,
    VariantRows,
    attribute_rows,
    attribute_rows_from_form,
    format_attribute_rows,
    format_variant_rows,
    has_rows,
    product_from_form,
    variant_rows,
    variant_rows_from_form,
    whole_number,
)
from bot.console.i18n import gettext as _
from bot.console.i18n import labelled
from bot.console.intent_labels import (
    OTHER_INTENT,
    intent_actions,
    intent_descriptions,
    intent_options,
    intent_warning,
    split_options,
)
from bot.console.product_labels import product_choice
from bot.console.synonym_rows import followed_text, product_edit_problem
from bot.console.web import actor, context, endpoint, redirect, render, short_error
from bot.console.wording_rows import (
    WordingRow,
    form_wording,
    format_wording_rows,
    languages,
    sentences,
    wording_rows,
    wording_rows_from_form,
)
from catalog.errors import CatalogError
from catalog.size_chart import DIMENSIONS
from catalog.store import StaleEdit
from catalog.store.synonym_follow import SynonymChange
from catalog.synonyms import SynonymError
from catalog.templates import PLACEHOLDERS

# What a refused edit raises (template errors and unknown SKUs are CatalogErrors); the message is shown to staff
# next to the form they submitted. Anything else is a bug: Starlette logs it with its traceback.
EDIT_ERRORS = (FormError, EditError, CatalogError)


def review_pairs(text: str) -> list[tuple[str, str]]:
    """[room, comment_id] pairs from a JSON list (hidden form field); anything else yields none."""
    try:
        items = json.loads(text or "[]")
    except json.JSONDecodeError:
        return []
    if not isinstance(items, list):
        return []
    return [(str(i[0]), str(i[1])) for i in items if isinstance(i, (list, tuple)) and len(i) == 2]


def _message(exc: Exception) -> str:
    """What staff see (capped: a message may quote a long value)."""
    return short_error(catalog_text.translate(str(exc)))


def _expected_version(form: Any) -> int | None:
    """The `edit_version` hidden field: the version of the product / FAQ the editor was opened at (None: absent)."""
    raw = str(form.get("edit_version") or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else None


def confirmed(form: Any) -> bool:
    """A destructive action's `confirm` checkbox was ticked (the server requires it, not only the browser)."""
    return str(form.get("confirm") or "") == "yes"


def stale_message() -> str:
    return _("Someone else saved this since you opened it. Nothing of yours was saved. Compare your values with "
             "the current ones below, merge them in the form and save again.")


def edit_diff(labels: dict[str, str], theirs: dict[str, str], current: dict[str, str]) -> list[dict[str, str]]:
    """The fields where the staff member's form differs from the current row: [{field, yours, current}]."""
    def norm(text: str) -> str:
        return "\n".join(line.rstrip() for line in str(text).replace("\r\n", "\n").strip().splitlines())

    return [
        {"field": label, "yours": theirs.get(key, ""), "current": current.get(key, "")}
        for key, label in labels.items()
        if norm(theirs.get(key, "")) != norm(current.get(key, ""))
    ]


def _product_labels() -> dict[str, str]:
    return {
        "name_zh": _("Name (zh)"), "name_en": _("Name (en)"), "category": _("Category"), "price": _("Price"),
        "aliases": _("Aliases"), "tags": _("Tags"), "description_zh": _("Description (zh)"),
        "description_en": _("Description (en)"), "attributes": _("Attributes"), "variants": _("Variants"),
        "wording": _("Wording of the answers"),
    }


def _faq_labels() -> dict[str, str]:
    return {
        "product_id": _("Product"), "intent": _("Intent"), "questions": _("Example questions"),
        "answer_zh": _("Answer (zh)"), "answer_en": _("Answer (en)"),
    }


def _placeholder_help() -> list[str]:
    out = []
    for name, arg in PLACEHOLDERS.items():
        out.append({"no": f"{{{name}}}", "optional": f"{{{name}}} / {{{name}:value}}", "required": f"{{{name}:key}}"}[arg])
    return out


# ---------------------------------------------------------------------------------------------- products
@endpoint("viewer")
def products_page(request: Request) -> Response:
    snap = context(request).store.snapshot()
    return render(request, "products.html", {"products": list(snap.products.values()), "version": snap.version})


def _product_values(product: Any, form: Any = None) -> dict[str, Any]:
    """What the product editor shows: the product, or the form as sent. Attributes and variants are rows
    (`attribute_rows`, `variant_table`) and, for the stale-save diff, text lines (`attributes`, `variants`)."""
    fields = ("id", "name_zh", "name_en", "category", "price", "aliases", "tags", "description_zh", "description_en")
    attrs = attribute_rows(product.attributes) if product is not None else ()
    table = variant_rows(product.variants) if product is not None else VariantRows((), ())
    wording: tuple[WordingRow, ...] = wording_rows(product.wording) if product is not None else ()
    if form is not None:
        values = {k: str(form.get(k) or "") for k in fields}
        existing = {v.sku: v for v in product.variants} if product is not None else {}
        if has_rows(form, "attr"):
            attrs = attribute_rows_from_form(form)
        if has_rows(form, "variant") or any(str(k).startswith("vkey-") for k in form):
            table = variant_rows_from_form(form, existing)
        if has_rows(form, "wording"):
            wording = wording_rows_from_form(form)
    elif product is None:
        values = dict.fromkeys(fields, "")
    else:
        values = {
            "id": product.id,
            "name_zh": product.name.get("zh", ""),
            "name_en": product.name.get("en", ""),
            "category": product.category,
            "price": str(product.price),
            "aliases": ", ".join(product.aliases),
            "tags": ", ".join(product.tags),
            "description_zh": product.description.get("zh", ""),
            "description_en": product.description.get("en", ""),
        }
    return {**values, "attribute_rows": attrs, "variant_table": table, "wording_rows": wording,
            "attributes": format_attribute_rows(attrs), "variants": format_variant_rows(table),
            "wording": format_wording_rows(wording), "wording_langs": languages(wording)}


def _error_at(exc: Exception) -> dict[str, Any] | None:
    """Where a refused form's error goes: next to the row (RowError) or the field (FormError)."""
    if isinstance(exc, RowError):
        return {"field": exc.field, "row": exc.row}
    if isinstance(exc, FormError):
        return {"field": exc.field, "row": None}
    return None


def _product_page(
    request: Request,
    product: Any,
    *,
    form: Any = None,
    error: str | None = None,
    status_code: int = 200,
    edit_version: int | None = None,
    diff: list[dict[str, str]] | None = None,
    error_at: dict[str, Any] | None = None,
) -> Response:
    ctx = context(request)
    faqs = [f for f in ctx.store.snapshot().faqs.values() if product is not None and f.product_id == product.id]
    history = ctx.accounts.audit_entries(limit=20, target_type="product", target_id=product.id) if product else []
    if edit_version is None:
        edit_version = (_expected_version(form) if form is not None else None) or (
            ctx.store.edit_version("product", product.id) if product is not None else None)
    return render(
        request,
        "product.html",
        {"product": product, "values": _product_values(product, form), "error": error, "faqs": faqs, "history": history,
         # the size chart's columns: the dimensions some row gives (catalog/size_chart.py), in their usual order
         "chart_dims": [d for d in DIMENSIONS if product is not None and any(d in r.ranges for r in product.size_chart)],
         "edit_version": edit_version or "", "diff": diff or [], "error_at": error_at or {}, "sentences": sentences()},
        status_code=status_code,
    )


@endpoint("viewer")
def product_page(request: Request) -> Response:
    product = context(request).store.product(request.path_params["product_id"])
    if product is None:
        return render(request, "error.html", {"title": _("Not found"), "message": _("No such product.")}, status_code=404)
    return _product_page(request, product)


@endpoint("editor")
def new_product_page(request: Request) -> Response:
    return _product_page(request, None)


@endpoint("editor", write=True)
def save_product(request: Request, form: Any) -> Response:
    ctx = context(request)
    product_id = request.path_params.get("product_id")
    existing = ctx.store.product(product_id) if product_id else None
    if product_id and existing is None:
        return render(request, "error.html", {"title": _("Not found"), "message": _("No such product.")}, status_code=404)
    followed: list[SynonymChange] = []
    try:
        product = product_from_form(form, existing)
        product = replace(product, wording=form_wording(form, existing.wording if existing is not None else {}))
        edit_before = ctx.store.edit_version("product", product.id) if existing is not None else None
        version = ctx.editor.save_product(
            actor(request), product, create=existing is None, expected_version=_expected_version(form),
            synonym_changes=followed,
        )
    except StaleEdit as exc:  # someone saved it meanwhile: nothing written; show both sides, the form now at theirs
        current = ctx.store.product(exc.item_id)
        diff = edit_diff(_product_labels(), _product_values(None, form), _product_values(current))
        return _product_page(request, current, form=form, error=stale_message(), status_code=409,
                             edit_version=exc.current, diff=diff)
    except SynonymError as exc:  # a word of the synonyms would name two of its values: said in the staff language
        return _product_page(request, existing, form=form, status_code=400,
                             error=product_edit_problem(exc.problems, ctx.store.snapshot().products))
    except EDIT_ERRORS as exc:
        return _product_page(request, existing, form=form, error=_message(exc), status_code=400, error_at=_error_at(exc))
    if edit_before is not None and ctx.store.edit_version("product", product.id) == edit_before:
        return redirect(f"/products/{product.id}", ok=_("Nothing changed: nothing was saved."))
    saved = _("Saved (catalog v%(version)s).") % {"version": version}
    return redirect(f"/products/{product.id}", ok=saved + followed_text(followed) if followed else saved)


@endpoint("editor", write=True)
def delete_product(request: Request, form: Any) -> Response:
    ctx = context(request)
    product_id = request.path_params["product_id"]
    if not confirmed(form):
        return redirect(f"/products/{product_id}", error=_("Tick “yes, delete it” to delete %(id)s.") % {"id": product_id})
    product = ctx.store.snapshot().products.get(product_id)  # named in the banner by its name, the id after it
    followed: list[SynonymChange] = []
    try:
        ctx.editor.delete_product(actor(request), product_id, synonym_changes=followed)
    except EDIT_ERRORS as exc:
        return redirect(f"/products/{product_id}", error=_message(exc))
    deleted = _("Deleted %(id)s.") % {"id": product_choice(product) if product else product_id}
    return redirect("/products", ok=deleted + followed_text(followed) if followed else deleted)


@endpoint("editor", write=True)
def set_stock(request: Request, form: Any) -> Response:
    ctx = context(request)
    sku = request.path_params["sku"]
    back = str(form.get("back") or "/products")
    if not back.startswith("/") or back.startswith("//"):
        back = "/products"
    try:
        stock = whole_number(str(form.get("stock") or ""), "stock")
        previous = ctx.editor.set_stock(actor(request), sku, stock)
    except EDIT_ERRORS as exc:
        return redirect(back, error=labelled(sku, _message(exc)))
    return redirect(back, ok=_("%(sku)s: stock %(before)s → %(after)s.") % {"sku": sku, "before": previous, "after": stock})


# ---------------------------------------------------------------------------------------------- FAQs
@endpoint("viewer")
def faqs_page(request: Request) -> Response:
    snap = context(request).store.snapshot()
    return render(request, "faqs.html", {"faqs": list(snap.faqs.values()), "products": snap.products, "version": snap.version})


def faq_editor(
    request: Request,
    values: FaqForm,
    *,
    faq: Any,
    error: str | None = None,
    status_code: int = 200,
    review_comments: str = "",
    edit_version: int | None = None,
    diff: list[dict[str, str]] | None = None,
    error_at: dict[str, Any] | None = None,
) -> Response:
    ctx = context(request)
    snap = ctx.store.snapshot()
    if edit_version is None and faq is not None:
        edit_version = ctx.store.edit_version("faq", faq.id)
    history = ctx.accounts.audit_entries(limit=20, target_type="faq", target_id=faq.id) if faq else []
    sources = {text: source for text, _lang, source in ctx.store.faq_examples().get(faq.id, [])} if faq else {}
    descriptions, actions = intent_descriptions(ctx.settings.intents), intent_actions(ctx.settings.intents)
    options = intent_options(descriptions, (f.intent for f in snap.faqs.values()), values.intent)
    answered, never_answered = split_options(options, actions)
    return render(
        request,
        "faq.html",
        {
            "faq": faq,
            "values": values,
            "error": error,
            "products": snap.products,
            "intent_options": answered,
            "never_answered_options": never_answered,  # chit-chat, spam, complaints: listed apart, with why
            # a FAQ stored under one of those is rarely answered: said on its page (so right after saving it)
            "intent_warning": intent_warning(faq.intent, descriptions, actions) if faq else "",
            # a FAQ of no product answering with {product} / {price} …: handed to staff while nothing is on stage
            "product_warning": product_warning(faq),
            "other_intent": OTHER_INTENT,
            "placeholders": _placeholder_help(),
            "history": history,
            "sources": sources,
            "review_comments": review_comments,
            "edit_version": edit_version or "",
            "diff": diff or [],
            "error_at": error_at or {},
        },
        status_code=status_code,
    )


@endpoint("viewer")
def faq_page(request: Request) -> Response:
    faq = context(request).store.snapshot().faqs.get(request.path_params["faq_id"])
    if faq is None:
        return render(request, "error.html", {"title": _("Not found"), "message": _("No such FAQ.")}, status_code=404)
    return faq_editor(request, FaqForm.from_faq(faq), faq=faq)


@endpoint("editor")
def new_faq_page(request: Request) -> Response:
    q = request.query_params
    values = FaqForm(id=q.get("id", ""), product_id=q.get("product_id", ""), intent=q.get("intent", ""),
                     questions=q.get("questions", ""), answer_zh="", answer_en="")
    return faq_editor(request, values, faq=None)


@endpoint("editor", write=True)
def save_faq(request: Request, form: Any) -> Response:
    ctx = context(request)
    faq_id = request.path_params.get("faq_id")
    existing = ctx.store.snapshot().faqs.get(faq_id) if faq_id else None
    if faq_id and existing is None:
        return render(request, "error.html", {"title": _("Not found"), "message": _("No such FAQ.")}, status_code=404)
    values = FaqForm.from_form(form, faq_id)
    expected = _expected_version(form)
    try:
        faq = values.to_faq()
        if existing is not None and values.answer_rows is None:  # a zh/en-only form: other languages are kept
            others = {k: v for k, v in existing.answers.items() if k not in ("zh", "en")}
            faq = replace(faq, answers={**others, **faq.answers})
        version = ctx.editor.save_faq(actor(request), faq, create=existing is None, expected_version=expected)
    except StaleEdit as exc:  # someone saved it meanwhile: nothing written; show both sides, the form now at theirs
        current = ctx.store.snapshot().faqs.get(exc.item_id)
        diff = edit_diff(_faq_labels(), vars(values), vars(FaqForm.from_faq(current)) if current else {})
        return faq_editor(
            request, values, faq=current or existing, error=stale_message(), status_code=409,
            review_comments=str(form.get("review_comments") or ""), edit_version=exc.current, diff=diff,
        )
    except EDIT_ERRORS as exc:
        return faq_editor(
            request, values, faq=existing, error=_message(exc), status_code=400,
            review_comments=str(form.get("review_comments") or ""),
            edit_version=expected, error_at=_error_at(exc),
        )
    pairs = review_pairs(str(form.get("review_comments") or ""))
    if pairs:  # created from a review-queue group: those comments are now handled
        ctx.editor.review(actor(request), pairs, "new_faq", faq_id=faq.id)
    return redirect(f"/faqs/{faq.id}", ok=_("Saved (catalog v%(version)s); the bot picks it up within a second.")
        % {"version": version})


@endpoint("editor", write=True)
def delete_faq(request: Request, form: Any) -> Response:
    faq_id = request.path_params["faq_id"]
    if not confirmed(form):
        return redirect(f"/faqs/{faq_id}", error=_("Tick “yes, delete it” to delete %(id)s.") % {"id": faq_id})
    faq = context(request).store.snapshot().faqs.get(faq_id)  # named in the banner by its question, the id after it
    if context(request).editor.delete_faq(actor(request), faq_id):
        return redirect("/faqs", ok=_("Deleted %(id)s.") % {"id": faq_named(faq, faq_id=faq_id)})
    return redirect("/faqs", error=_("No FAQ %(id)s.") % {"id": faq_id})


@endpoint("editor", write=True)
def add_example(request: Request, form: Any) -> Response:
    faq_id = request.path_params["faq_id"]
    text = str(form.get("text") or "").strip()
    try:
        added = context(request).editor.add_example(actor(request), faq_id, text)
    except EDIT_ERRORS as exc:
        return redirect(f"/faqs/{faq_id}", error=_message(exc))
    return redirect(f"/faqs/{faq_id}", ok=_("Example added.") if added else _("The FAQ already has that example."))


routes = [
    Route("/products", products_page, methods=["GET"]),
    Route("/products/new", new_product_page, methods=["GET"]),
    Route("/products/new", save_product, methods=["POST"]),
    Route("/products/{product_id}", product_page, methods=["GET"]),
    Route("/products/{product_id}", save_product, methods=["POST"]),
    Route("/products/{product_id}/delete", delete_product, methods=["POST"]),
    Route("/stock/{sku}", set_stock, methods=["POST"]),
    Route("/faqs", faqs_page, methods=["GET"]),
    Route("/faqs/new", new_faq_page, methods=["GET"]),
    Route("/faqs/new", save_faq, methods=["POST"]),
    Route("/faqs/{faq_id}", faq_page, methods=["GET"]),
    Route("/faqs/{faq_id}", save_faq, methods=["POST"]),
    Route("/faqs/{faq_id}/delete", delete_faq, methods=["POST"]),
    Route("/faqs/{faq_id}/examples", add_example, methods=["POST"]),
]
