"""The review queue: silent / handed-to-staff comments grouped by question, with one-click actions."""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console.editing import EditError
from bot.console.forms import FaqForm
from bot.console.i18n import gettext as _
from bot.console.i18n import ngettext
from bot.console.live import bot_state, post_answer
from bot.console.review import SORTS, group_comments, queued_comments
from bot.console.views.catalog_pages import faq_editor, review_pairs
from bot.console.web import actor, context, endpoint, redirect, render, short_error
from catalog.errors import CatalogError

log = logging.getLogger(__name__)
MAX_GROUPS = 60


def current_groups(request: Request, sort: str = "newest") -> list[Any]:
    ctx = context(request)
    handled = ctx.accounts.reviewed()
    comments = queued_comments(ctx.store, handled)
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
    sort = request.query_params.get("sort", "newest")
    sort = sort if sort in SORTS else "newest"
    groups = current_groups(request, sort)
    shown = [g for g in groups if not g.folded]
    folded = [g for g in groups if g.folded]
    snap = ctx.store.snapshot()
    return render(
        request,
        "review.html",
        {
            "groups": shown[:MAX_GROUPS],
            "folded": folded[:MAX_GROUPS],
            "folded_comments": sum(g.count for g in folded),
            "sort": sort,
            "total_groups": len(groups),
            "total_comments": sum(g.count for g in groups),
            "faqs": snap.faqs,
            "recent": ctx.accounts.review_records(limit=15),
            "can_post": bot_state(ctx.store).running,
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
    posted, _queued = post_answer(ctx.store, pairs, text, lang=str(form.get("lang") or "zh"),
                                  created_by=actor(request).username)
    ctx.editor.review(actor(request), pairs, "answer", text=text, posted=posted)
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
    return redirect("/review", ok=_("“%(text)s” added to %(faq)s; the bot answers it from now on.")
        % {"text": text, "faq": faq_id})


@endpoint("editor", write=True)
def review_new_faq(request: Request, form: Any) -> Response:
    """Open the FAQ editor pre-filled with the group's wordings; saving it marks the group handled."""
    pairs = _pairs(form)
    texts = [str(t).strip() for t in form.getlist("texts") if str(t).strip()]
    values = FaqForm(id="", product_id=str(form.get("product_id") or ""), intent=str(form.get("intent") or ""),
                     questions="\n".join(dict.fromkeys(texts)), answer_zh="", answer_en="")
    return faq_editor(request, values, faq=None, review_comments=json.dumps(pairs, ensure_ascii=False))


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
]
