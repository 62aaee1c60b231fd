"""Room rules: keyword rules (关键词回复), scheduled messages (定时发言) and the word lists (banned / allowed /
blocked words). Saved to the database; the running bot picks them up within its reload interval."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console.i18n import gettext as _
from bot.console.rules_forms import (
    BLANK_WORD_ROWS,
    LIST_TITLES,
    RuleForm,
    RulesEditor,
    ScheduleForm,
    explain,
    message_langs,
    reply_langs,
    rule_labels,
    schedule_labels,
    words_from_form,
)
from bot.console.views.catalog_pages import _expected_version, _placeholder_help, confirmed, edit_diff, stale_message
from bot.console.web import actor, context, endpoint, redirect, render, short_error
from catalog.errors import NotFound
from catalog.room_rules import WORD_LISTS, RoomRuleError, RoomRules, WordEntry
from catalog.store import StaleEdit

WORDS_PER_PAGE = 200


def _editor(request: Request) -> RulesEditor:
    ctx = context(request)
    return RulesEditor(ctx.store, ctx.accounts, check_words=bool(getattr(ctx.settings, "banned_words", "")))


def _rules(request: Request) -> RoomRules:
    return RoomRules(context(request).store)


def _not_found(request: Request, what: str) -> Response:
    return render(request, "error.html", {"title": _("Not found"), "message": what}, status_code=404)


def _common(request: Request) -> dict[str, Any]:
    ctx = context(request)
    return {"products": ctx.store.snapshot().products, "placeholders": _placeholder_help(),
            "counts": _rules(request).word_counts(), "list_titles": LIST_TITLES, "rules_version": _rules(request).version()}


# ---------------------------------------------------------------------------------------------- keyword rules
@endpoint("viewer")
def rules_page(request: Request) -> Response:
    rules = _rules(request).rules()
    return render(request, "rules.html", {"rules": rules, "reply_langs": reply_langs(rules), **_common(request)})


def _rule_editor(request: Request, values: RuleForm, *, stored: Any, error: str | None = None, status_code: int = 200,
                 edit_version: int | None = None, diff: list[dict[str, str]] | None = None) -> Response:
    ctx = context(request)
    if edit_version is None and stored is not None:
        edit_version = stored.edit_version
    history = ctx.accounts.audit_entries(limit=20, target_type="keyword_rule", target_id=stored.spec.id) if stored else []
    return render(request, "rule.html", {
        "stored": stored, "values": values, "error": error, "edit_version": edit_version or "", "diff": diff or [],
        "history": history, **_common(request),
    }, status_code=status_code)


@endpoint("viewer")
def rule_page(request: Request) -> Response:
    stored = _rules(request).rule(request.path_params["rule_id"])
    if stored is None:
        return _not_found(request, _("No such keyword rule."))
    return _rule_editor(request, RuleForm.from_stored(stored), stored=stored)


@endpoint("editor")
def new_rule_page(request: Request) -> Response:
    return _rule_editor(request, RuleForm(), stored=None)


@endpoint("editor", write=True)
def save_rule(request: Request, form: Any) -> Response:
    rule_id = request.path_params.get("rule_id")
    existing = _rules(request).rule(rule_id) if rule_id else None
    if rule_id and existing is None:
        return _not_found(request, _("No such keyword rule."))
    values = RuleForm.from_form(form, rule_id)
    expected = _expected_version(form)
    try:
        saved = _editor(request).save_rule(actor(request), values, create=existing is None, expected_version=expected)
    except StaleEdit as exc:  # saved by someone else meanwhile: nothing written, both sides shown
        current = _rules(request).rule(exc.item_id)
        theirs = RuleForm.from_stored(current).labelled() if current else {}
        diff = edit_diff(rule_labels(), values.labelled(), theirs)
        return _rule_editor(request, values, stored=current or existing, error=stale_message(), status_code=409,
                            edit_version=exc.current, diff=diff)
    except RoomRuleError as exc:
        return _rule_editor(request, values, stored=existing, error=short_error(explain(exc)), status_code=400,
                            edit_version=expected)
    except NotFound:
        return _not_found(request, _("No such keyword rule."))
    return redirect(f"/rules/{saved.spec.id}", ok=_("Saved (rules v%(version)s); the bot picks it up within a second.")
                    % {"version": saved.edit_version})


@endpoint("editor", write=True)
def delete_rule(request: Request, form: Any) -> Response:
    rule_id = request.path_params["rule_id"]
    if not confirmed(form):
        return redirect(f"/rules/{rule_id}", error=_("Tick “yes, delete it” to delete %(id)s.") % {"id": rule_id})
    try:
        deleted = _editor(request).delete_rule(actor(request), rule_id, _expected_version(form))
    except StaleEdit:
        return redirect(f"/rules/{rule_id}", error=stale_message())
    if deleted:
        return redirect("/rules", ok=_("Deleted %(id)s.") % {"id": rule_id})
    return redirect("/rules", error=_("No such keyword rule."))


# ---------------------------------------------------------------------------------------------- schedules
@endpoint("viewer")
def schedules_page(request: Request) -> Response:
    schedules = _rules(request).schedules()
    return render(request, "schedules.html", {"schedules": schedules, "message_langs": message_langs(schedules),
                                              **_common(request)})


def _schedule_editor(request: Request, values: ScheduleForm, *, stored: Any, error: str | None = None,
                     status_code: int = 200, edit_version: int | None = None,
                     diff: list[dict[str, str]] | None = None) -> Response:
    ctx = context(request)
    if edit_version is None and stored is not None:
        edit_version = stored.edit_version
    history = ctx.accounts.audit_entries(limit=20, target_type="schedule", target_id=stored.spec.id) if stored else []
    return render(request, "schedule.html", {
        "stored": stored, "values": values, "rows": values.rows(), "error": error, "edit_version": edit_version or "",
        "diff": diff or [], "history": history, **_common(request),
    }, status_code=status_code)


@endpoint("viewer")
def schedule_page(request: Request) -> Response:
    stored = _rules(request).schedule(request.path_params["schedule_id"])
    if stored is None:
        return _not_found(request, _("No such scheduled message."))
    return _schedule_editor(request, ScheduleForm.from_stored(stored), stored=stored)


@endpoint("editor")
def new_schedule_page(request: Request) -> Response:
    return _schedule_editor(request, ScheduleForm(), stored=None)


@endpoint("editor", write=True)
def save_schedule(request: Request, form: Any) -> Response:
    schedule_id = request.path_params.get("schedule_id")
    existing = _rules(request).schedule(schedule_id) if schedule_id else None
    if schedule_id and existing is None:
        return _not_found(request, _("No such scheduled message."))
    values = ScheduleForm.from_form(form, schedule_id)
    expected = _expected_version(form)
    try:
        saved = _editor(request).save_schedule(actor(request), values, create=existing is None, expected_version=expected)
    except StaleEdit as exc:
        current = _rules(request).schedule(exc.item_id)
        theirs = ScheduleForm.from_stored(current).labelled() if current else {}
        diff = edit_diff(schedule_labels(), values.labelled(), theirs)
        return _schedule_editor(request, values, stored=current or existing, error=stale_message(), status_code=409,
                                edit_version=exc.current, diff=diff)
    except RoomRuleError as exc:
        return _schedule_editor(request, values, stored=existing, error=short_error(explain(exc)), status_code=400,
                                edit_version=expected)
    except NotFound:
        return _not_found(request, _("No such scheduled message."))
    return redirect(f"/schedules/{saved.spec.id}",
                    ok=_("Saved (rules v%(version)s); the bot picks it up within a second.") % {"version": saved.edit_version})


@endpoint("editor", write=True)
def delete_schedule(request: Request, form: Any) -> Response:
    schedule_id = request.path_params["schedule_id"]
    if not confirmed(form):
        return redirect(f"/schedules/{schedule_id}",
                        error=_("Tick “yes, delete it” to delete %(id)s.") % {"id": schedule_id})
    try:
        deleted = _editor(request).delete_schedule(actor(request), schedule_id, _expected_version(form))
    except StaleEdit:
        return redirect(f"/schedules/{schedule_id}", error=stale_message())
    if deleted:
        return redirect("/schedules", ok=_("Deleted %(id)s.") % {"id": schedule_id})
    return redirect("/schedules", error=_("No such scheduled message."))


# ---------------------------------------------------------------------------------------------- word lists
def _list_name(request: Request) -> str | None:
    name = request.path_params.get("list_name", "")
    return name if name in WORD_LISTS else None


def _words_page(request: Request, name: str, *, error: str | None = None, status_code: int = 200,
                bulk: str = "") -> Response:
    query = request.query_params.get("q", "").strip()[:64]
    try:
        page = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        page = 1
    store = _rules(request)
    words = store.words(name, query=query, limit=WORDS_PER_PAGE + 1, offset=(page - 1) * WORDS_PER_PAGE)
    return render(request, "words.html", {
        "list_name": name, "title": LIST_TITLES[name], "words": words[:WORDS_PER_PAGE],
        "more": len(words) > WORDS_PER_PAGE, "page": page, "q": query, "error": error, "bulk": bulk,
        "blank_rows": range(1, BLANK_WORD_ROWS + 1), "lists": WORD_LISTS, **_common(request),
    }, status_code=status_code)


@endpoint("viewer")
def words_page(request: Request) -> Response:
    name = _list_name(request)
    if name is None:
        return _not_found(request, _("No such word list."))
    return _words_page(request, name)


@endpoint("editor", write=True)
def add_words(request: Request, form: Any) -> Response:
    name = _list_name(request)
    if name is None:
        return _not_found(request, _("No such word list."))
    try:
        entries = words_from_form(form, name)
        if not entries:
            return redirect(f"/words/{name}", error=_("Nothing to add: write a word in a row."))
        added = _editor(request).add_words(actor(request), name, entries)
    except RoomRuleError as exc:  # all or nothing: the list is unchanged
        bulk = str(form.get("bulk") or "")
        return _words_page(request, name, error=short_error(explain(exc)), status_code=400,
                           bulk=bulk if len(bulk) < 100_000 else "")
    return redirect(f"/words/{name}", ok=_("Added %(n)d; the bot uses the list within a second.") % {"n": added})


def _word_id(request: Request) -> int | None:
    raw = str(request.path_params.get("word_id", ""))
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


@endpoint("editor", write=True)
def update_word(request: Request, form: Any) -> Response:
    name, word_id = _list_name(request), _word_id(request)
    if name is None or word_id is None:
        return _not_found(request, _("No such word list."))
    entry = WordEntry(str(form.get("word") or ""), str(form.get("suggest") or ""))
    try:
        _editor(request).update_word(actor(request), name, word_id, entry, _expected_version(form))
    except StaleEdit:
        return redirect(f"/words/{name}", error=stale_message())
    except RoomRuleError as exc:
        return _words_page(request, name, error=short_error(explain(exc)), status_code=400)
    except NotFound:
        return redirect(f"/words/{name}", error=_("That entry was deleted meanwhile."))
    return redirect(f"/words/{name}", ok=_("Saved %(word)s.") % {"word": entry.word.strip()})


@endpoint("editor", write=True)
def delete_word(request: Request, form: Any) -> Response:
    name, word_id = _list_name(request), _word_id(request)
    if name is None or word_id is None:
        return _not_found(request, _("No such word list."))
    if not confirmed(form):
        return redirect(f"/words/{name}", error=_("Tick “yes, delete it” to delete an entry."))
    try:
        deleted = _editor(request).delete_word(actor(request), name, word_id, _expected_version(form))
    except StaleEdit:
        return redirect(f"/words/{name}", error=stale_message())
    return redirect(f"/words/{name}", **({"ok": _("Deleted.")} if deleted else {"error": _("That entry was deleted meanwhile.")}))


routes = [
    Route("/rules", rules_page, methods=["GET"]),
    Route("/rules/new", new_rule_page, methods=["GET"]),
    Route("/rules/new", save_rule, methods=["POST"]),
    Route("/rules/{rule_id}", rule_page, methods=["GET"]),
    Route("/rules/{rule_id}", save_rule, methods=["POST"]),
    Route("/rules/{rule_id}/delete", delete_rule, methods=["POST"]),
    Route("/schedules", schedules_page, methods=["GET"]),
    Route("/schedules/new", new_schedule_page, methods=["GET"]),
    Route("/schedules/new", save_schedule, methods=["POST"]),
    Route("/schedules/{schedule_id}", schedule_page, methods=["GET"]),
    Route("/schedules/{schedule_id}", save_schedule, methods=["POST"]),
    Route("/schedules/{schedule_id}/delete", delete_schedule, methods=["POST"]),
    Route("/words/{list_name}", words_page, methods=["GET"]),
    Route("/words/{list_name}/add", add_words, methods=["POST"]),
    Route("/words/{list_name}/{word_id}", update_word, methods=["POST"]),
    Route("/words/{list_name}/{word_id}/delete", delete_word, methods=["POST"]),
]
