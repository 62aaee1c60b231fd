"""The review queue: silent / handed-to-staff comments grouped by question, with one-click actions."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console import catalog_text
from bot.console.editing import EditError
from bot.console.faq_labels import faq_named
from bot.console.forms import FaqForm
from bot.console.i18n import gettext as _
from bot.console.i18n import ngettext
from bot.console.lang_names import lang_name
from bot.console.live import bot_state, post_answer
from bot.console.review import DEFAULT_SORT, SORTS, group_comments, queued_comments, translation_offer
from bot.console.views.catalog_pages import _expected_version, faq_editor, review_pairs, stale_message
from bot.console.web import actor, context, endpoint, redirect, render, short_error
from catalog.errors import CatalogError
from catalog.store import StaleEdit

log = logging.getLogger(__name__)
MAX_GROUPS = 60


def current_groups(request: Request, sort: str = DEFAULT_SORT, *, fallback: bool = False) -> list[Any]:
    """The queue's groups; `fallback=True`: the groups of comments answered in a fallback language instead."""
    ctx = context(request)
    handled = ctx.accounts.reviewed()
    comments = queued_comments(ctx.store, handled, fallback=fallback)
    runtime = ctx.runtime.get()
    if runtime is None:  # no model at hand (yet): character bigrams
        return group_comments(comments, sort=sort)
    # the engine's encode goes through its vector cache: comments the bot embedded cost nothing here
    recogniser = runtime.engine.state.view.recogniser
    return group_comments(comments, runtime.engine.encode, sort=sort,
                          recognise=recogniser.recognise if recogniser is not None else None)


def _pairs(form: Any) -> list[tuple[str, str]]:
    """The comments a form acts on: field `comments`, a JSON list of [room, comment_id]."""
    return review_pairs(str(form.get("comments") or ""))


@endpoint("viewer")
def review_page(request: Request) -> Response:
    ctx = context(request)
    sort = request.query_params.get("sort", DEFAULT_SORT)
    sort = sort if sort in SORTS else DEFAULT_SORT
    only_handoffs = request.query_params.get("only") == "handoffs"
    groups = current_groups(request, sort)
    shown = [g for g in groups if not g.folded and (g.handoff or not only_handoffs)]
    folded = [] if only_handoffs else [g for g in groups if g.folded]
    snap = ctx.store.snapshot()
    shown = shown[:MAX_GROUPS]
    # answered in another language than the viewer's: only the groups a translation would fix
    fallback = [g for g in current_groups(request, sort, fallback=True) if translation_offer(g, snap.faqs)]
    fallback = [] if only_handoffs else fallback[:MAX_GROUPS]
    bot = bot_state(ctx.store)
    return render(
        request,
        "review.html",
        {
            "groups": shown,
            "fallback": fallback,
            "fallback_comments": sum(g.count for g in fallback),
            "translations": _offers(ctx.store, [*shown, *fallback], snap.faqs),
            "folded": folded[:MAX_GROUPS],
            "folded_comments": sum(g.count for g in folded),
            "sort": sort,
            "only_handoffs": only_handoffs,
            "handoff_groups": sum(1 for g in groups if g.handoff),
            "total_groups": len(groups),
            "total_comments": sum(g.count for g in groups),
            "faqs": snap.faqs,
            "products": snap.products,
            "recent": ctx.accounts.review_records(limit=15),
            "can_post": bot.running,
            "room_langs": bot.langs,  # each running room's fallback policy, said beside the fallback-language groups
        },
    )


@endpoint("editor", write=True)
def review_answer(request: Request, form: Any) -> Response:
    ctx = context(request)
    pairs = _pairs(form)
    text = str(form.get("text") or "").strip()
    if not pairs or not text:
        return redirect("/review", error=_("Pick a group and write the answer."))
    # through the database outbox to the running bot, if any (bot/console/live.py; docs/console.md)
    posted_rooms, _queued = post_answer(ctx.store, pairs, text, lang=str(form.get("lang") or "zh"),
                                        created_by=actor(request).username)
    posted_pairs = {p for p in pairs if p[0] in posted_rooms}  # a comment of a room no bot serves is only recorded
    ctx.editor.review(actor(request), pairs, "answer", text=text, posted=posted_pairs)
    posted, n_posted = bool(posted_pairs), len(posted_pairs)
    if posted and n_posted < len(pairs):
        done = _("Answer recorded for %(num)d comments; posted for the %(posted)d in a room the bot is running in.")
        return redirect("/review", ok=done % {"num": len(pairs), "posted": n_posted})
    if posted:
        done = ngettext(
            "Answer recorded for %(num)d comment and posted.", "Answer recorded for %(num)d comments and posted.", len(pairs)
        )
    else:
        done = ngettext("Answer recorded for %(num)d comment.", "Answer recorded for %(num)d comments.", len(pairs))
    return redirect("/review", ok=done % {"num": len(pairs)})


@endpoint("editor", write=True)
def review_example(request: Request, form: Any) -> Response:
    ctx = context(request)
    pairs = _pairs(form)
    faq_id = str(form.get("faq_id") or "").strip()
    text = str(form.get("text") or "").strip()
    if not pairs or not faq_id or not text:
        return redirect("/review", error=_("Pick a FAQ to add the question to."))
    try:
        ctx.editor.add_example(actor(request), faq_id, text)
    except (EditError, CatalogError) as exc:
        return redirect("/review", error=short_error(str(exc)))
    ctx.editor.review(actor(request), pairs, "example", faq_id=faq_id, text=text)
    faq = ctx.store.snapshot().faqs.get(faq_id)  # named by its question, as in the list staff picked it from
    return redirect("/review", ok=_("“%(text)s” added to FAQ %(faq)s; the bot answers it from now on.")
        % {"text": text, "faq": faq_named(faq, faq_id=faq_id)})


@endpoint("editor", write=True)
def review_new_faq(request: Request, form: Any) -> Response:
    """Open the FAQ editor pre-filled with the group's wordings; saving it marks the group handled."""
    pairs = _pairs(form)
    texts = [str(t).strip() for t in form.getlist("texts") if str(t).strip()]
    values = FaqForm(id="", product_id=str(form.get("product_id") or ""), intent=str(form.get("intent") or ""),
                     questions="\n".join(dict.fromkeys(texts)), answer_zh="", answer_en="")
    return faq_editor(request, values, faq=None, review_comments=json.dumps(pairs, ensure_ascii=False))


# ------------------------------------------------------------------------------------------ add translation
@dataclass(frozen=True)
class TranslationForm:
    """What the "add translation" form shows: the FAQ's answer for reference and the one to write."""

    comments: str  # JSON [[room, comment_id], …]: the group, marked handled on save
    lang: str
    faq_id: str
    edit_version: int | str
    texts: tuple[str, ...]  # the group's wordings in `lang`: added as example questions
    reference_lang: str = ""
    reference: str = ""
    answer: str = ""


def _reference(faq: Any) -> tuple[str, str]:
    """The FAQ's existing answer shown for reference: Chinese, else English, else the first one."""
    for lang in ("zh", "en", *faq.answers):
        if faq.answers.get(lang):
            return lang, faq.answers[lang]
    return "", ""


def _translation_form(store: Any, faq: Any, *, comments: str, lang: str, texts: Sequence[str], answer: str = "",
                      edit_version: int | None = None) -> TranslationForm:
    ref_lang, ref = _reference(faq)
    version = edit_version if edit_version is not None else store.edit_version("faq", faq.id)
    return TranslationForm(comments=comments, lang=lang, faq_id=faq.id, edit_version=version or "",
                           texts=tuple(texts), reference_lang=ref_lang, reference=ref, answer=answer)


def _offers(store: Any, groups: Sequence[Any], faqs: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Per group key: {"offer": TranslationOffer, "form": TranslationForm when the closest FAQ is known}."""
    out: dict[str, dict[str, Any]] = {}
    versions: dict[str, int | None] = {}
    for g in groups:
        offer = translation_offer(g, faqs)
        if offer is None:
            continue
        form = None
        if offer.faq_id is not None:
            if offer.faq_id not in versions:
                versions[offer.faq_id] = store.edit_version("faq", offer.faq_id)
            form = _translation_form(store, faqs[offer.faq_id], comments=json.dumps(g.pairs, ensure_ascii=False),
                                     lang=offer.lang, texts=offer.texts, edit_version=versions[offer.faq_id])
        out[g.key] = {"offer": offer, "form": form}
    return out


def _translate_page(request: Request, form: TranslationForm, *, error: str | None = None,
                    status_code: int = 200) -> Response:
    return render(request, "review_translate.html", {"form": form, "error": error}, status_code=status_code)


def _texts(form: Any) -> list[str]:
    """The example questions to add: field `examples`, a JSON list of strings."""
    try:
        items = json.loads(str(form.get("examples") or "[]"))
    except json.JSONDecodeError:
        return []
    return [str(t).strip() for t in items if isinstance(t, str) and t.strip()] if isinstance(items, list) else []


@endpoint("editor", write=True)
def review_translate_pick(request: Request, form: Any) -> Response:
    """A group without a closest FAQ lacking its language: staff picked the FAQ; show the one-step form for it."""
    ctx = context(request)
    faq = ctx.store.snapshot().faqs.get(str(form.get("faq_id") or ""))
    lang = str(form.get("lang") or "")
    if faq is None or not _pairs(form) or not lang:
        return redirect("/review", error=_("Pick a FAQ to add the translation to."))
    values = _translation_form(ctx.store, faq, comments=str(form.get("comments") or ""), lang=lang, texts=_texts(form))
    return _translate_page(request, values)


@endpoint("editor", write=True)
def review_translate(request: Request, form: Any) -> Response:
    """Save the answer in the comments' language on the FAQ, the comments as its examples; the group is handled."""
    ctx = context(request)
    pairs = _pairs(form)
    faq_id = str(form.get("faq_id") or "").strip()
    lang = str(form.get("lang") or "").strip()
    answer = str(form.get("answer") or "").strip()
    texts = _texts(form)
    expected = _expected_version(form)
    faq = ctx.store.snapshot().faqs.get(faq_id)
    if not pairs or faq is None:
        return redirect("/review", error=_("Pick a FAQ to add the translation to."))
    values = _translation_form(ctx.store, faq, comments=str(form.get("comments") or ""), lang=lang, texts=texts,
                               answer=answer, edit_version=expected)
    try:
        version, added = ctx.editor.add_translation(actor(request), faq_id, lang, answer, texts,
                                                    expected_version=expected)
    except StaleEdit:  # saved meanwhile: nothing written; the form again with the FAQ as it is now
        current = ctx.store.snapshot().faqs.get(faq_id) or faq
        fresh = _translation_form(ctx.store, current, comments=values.comments, lang=lang, texts=texts, answer=answer)
        return _translate_page(request, fresh, error=stale_message(), status_code=409)
    except (EditError, CatalogError) as exc:
        return _translate_page(request, values, error=short_error(catalog_text.translate(str(exc))), status_code=400)
    # handled as a translation (rows before migration 0017 say "example"); the audit log's faq.translate entry has
    # the FAQ before and after
    ctx.editor.review(actor(request), pairs, "translate", faq_id=faq_id, text=answer)
    done = ngettext(
        "%(lang)s answer added to %(faq)s with %(num)d example question (catalog v%(version)s); the bot answers "
        "in %(lang)s from now on.",
        "%(lang)s answer added to %(faq)s with %(num)d example questions (catalog v%(version)s); the bot answers "
        "in %(lang)s from now on.",
        added,
    )
    named = faq_named(ctx.store.snapshot().faqs.get(faq_id) or faq, faq_id=faq_id)
    return redirect("/review", ok=done % {"lang": lang_name(lang), "faq": named, "num": added, "version": version})


@endpoint("editor", write=True)
def review_dismiss(request: Request, form: Any) -> Response:
    pairs = _pairs(form)
    if not pairs:
        return redirect("/review", error=_("Nothing selected."))
    context(request).editor.review(actor(request), pairs, "dismiss")
    done = ngettext("Dismissed %(num)d comment.", "Dismissed %(num)d comments.", len(pairs))
    return redirect("/review", ok=done % {"num": len(pairs)})


routes = [
    Route("/review", review_page, methods=["GET"]),
    Route("/review/answer", review_answer, methods=["POST"]),
    Route("/review/example", review_example, methods=["POST"]),
    Route("/review/new-faq", review_new_faq, methods=["POST"]),
    Route("/review/dismiss", review_dismiss, methods=["POST"]),
    Route("/review/translate", review_translate, methods=["POST"]),
    Route("/review/translate/pick", review_translate_pick, methods=["POST"]),
]
