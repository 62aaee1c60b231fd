"""The intent set (``settings.intents``): list, view, edit and create intents. The live bot reloads the file on change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console.i18n import gettext as _
from bot.console.intent_labels import intent_label
from bot.console.intents_file import (
    ACTIONS,
    IntentEditError,
    IntentFileError,
    examples_by_lang,
    find_intent,
    intent_digest,
    read_intents,
    save_intent,
    split_lines,
)
from bot.console.web import actor, context, endpoint, redirect, render, short_error

INTENT_ERRORS = (IntentEditError, IntentFileError, OSError)


def _path(request: Request) -> Path:
    return Path(context(request).settings.intents)


def _description(item: dict[str, Any]) -> dict[str, str]:
    """{lang: description}; a plain string is read as English."""
    description = item.get("description") or {}
    if not isinstance(description, dict):
        description = {"en": description}
    return {str(lang): str(text).strip() for lang, text in description.items() if text and str(text).strip()}


def _values(item: dict[str, Any] | None, form: Any = None) -> dict[str, str]:
    """The form's field values: from a submitted form (to redisplay after an error) or from the file's item."""
    if form is not None:
        return {k: str(form.get(k) or "") for k in (
            "name", "action", "description_zh", "description_en", "examples_zh", "examples_en", "keywords", "digest")}
    if item is None:
        return {"name": "", "action": "answer", "description_zh": "", "description_en": "",
                "examples_zh": "", "examples_en": "", "keywords": "", "digest": ""}
    examples = examples_by_lang(item)
    description = item.get("description") or {}
    if not isinstance(description, dict):
        description = {"en": str(description)}
    return {
        "name": str(item["name"]),
        "action": str(item.get("action", "answer")),
        "description_zh": str(description.get("zh", "")),
        "description_en": str(description.get("en", "")),
        "examples_zh": "\n".join(examples.get("zh", [])),
        "examples_en": "\n".join(examples.get("en", [])),
        "keywords": "\n".join(str(k) for k in item.get("keywords") or []),
        "digest": intent_digest(item),
    }


def _changes(form: Any) -> dict[str, Any]:
    description = {lang: str(form.get(f"description_{lang}") or "").strip() for lang in ("zh", "en")}
    return {
        "action": str(form.get("action") or "").strip(),
        "description": {k: v for k, v in description.items() if v},
        "examples": {lang: split_lines(str(form.get(f"examples_{lang}") or "")) for lang in ("zh", "en")},
        "keywords": split_lines(str(form.get("keywords") or "")),
    }


def _editor(request: Request, item: dict[str, Any] | None, values: dict[str, str], *,
            error: str | None = None, status_code: int = 200) -> Response:
    ctx = context(request)
    history = ctx.accounts.audit_entries(limit=20, target_type="intent", target_id=str(item["name"])) if item else []
    examples = examples_by_lang(item) if item else {}
    label = intent_label(str(item["name"]), {str(item["name"]): _description(item)}) if item else ""
    return render(
        request,
        "intent.html",
        {"intent": item, "label": label, "values": values, "error": error, "actions": ACTIONS, "examples": examples,
         "history": history, "file": str(_path(request))},
        status_code=status_code,
    )


@endpoint("viewer")
def intents_page(request: Request) -> Response:
    path = _path(request)
    try:
        items = read_intents(path)
        error = None
    except IntentFileError as exc:
        items, error = [], short_error(str(exc))
    rows = []
    for item in items:
        examples = examples_by_lang(item)
        name = str(item["name"])
        description = _description(item)
        label = intent_label(name, {name: description})  # 问价格 in the Chinese UI, "asks the price" in the English one
        rows.append({
            "name": name,
            "label": label,
            "others": [text for text in description.values() if text != label],  # the tooltip: other languages
            "action": str(item.get("action", "answer")),
            "n_zh": len(examples.get("zh", [])),
            "n_en": len(examples.get("en", [])),
            "n_other": sum(len(v) for k, v in examples.items() if k not in ("zh", "en")),
            "keywords": [str(k) for k in item.get("keywords") or []],
        })
    return render(request, "intents.html", {"rows": rows, "file": str(path), "file_error": error})


@endpoint("viewer")
def intent_page(request: Request) -> Response:
    try:
        item = find_intent(_path(request), request.path_params["name"])
    except IntentFileError as exc:
        return render(
            request, "error.html", {"title": _("Intent file unreadable"), "message": short_error(str(exc))}, status_code=500
        )
    if item is None:
        return render(request, "error.html", {"title": _("Not found"), "message": _("No such intent.")}, status_code=404)
    return _editor(request, item, _values(item))


@endpoint("editor")
def new_intent_page(request: Request) -> Response:
    return _editor(request, None, _values(None))


@endpoint("editor", write=True)
def save_intent_view(request: Request, form: Any) -> Response:
    ctx = context(request)
    path_name = request.path_params.get("name")
    create = path_name is None
    name = str(form.get("name") or "").strip() if create else str(path_name)
    try:
        existing = None if create else find_intent(_path(request), name)
    except IntentFileError as exc:
        return render(
            request, "error.html", {"title": _("Intent file unreadable"), "message": short_error(str(exc))}, status_code=500
        )
    if not create and existing is None:
        return render(request, "error.html", {"title": _("Not found"), "message": _("No such intent.")}, status_code=404)
    try:
        before, after = save_intent(
            _path(request), name, _changes(form), create=create,
            expected_digest=None if create else (str(form.get("digest") or "") or None),
        )
    except INTENT_ERRORS as exc:
        return _editor(request, existing, _values(existing, form), error=short_error(str(exc)), status_code=400)
    who = actor(request)
    ctx.accounts.audit(
        username=who.username, role=who.role, action="intent.create" if create else "intent.update",
        target_type="intent", target_id=name, before=before, after=after, ip=who.ip,
    )
    return redirect(f"/intents/{name}", ok=_("Saved; the live bot reloads the intent file within a second."))


routes = [
    Route("/intents", intents_page, methods=["GET"]),
    Route("/intents/new", new_intent_page, methods=["GET"]),
    Route("/intents/new", save_intent_view, methods=["POST"]),
    Route("/intents/{name}", intent_page, methods=["GET"]),
    Route("/intents/{name}", save_intent_view, methods=["POST"]),
]
