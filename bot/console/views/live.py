"""The live show page: a streaming feed of comments and replies (SSE), hand-off alerts, "answer now", pause / resume.

Commands reach the bot through the database outbox (bot/console/live.py, catalog/control.py); viewers read only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from bot.config import room_language_codes
from bot.console import i18n, live, reasons
from bot.console.i18n import gettext as _
from bot.console.i18n import quoted_value
from bot.console.intent_labels import intent_descriptions
from bot.console.lang_names import lang_name
from bot.console.product_labels import product_label
from bot.console.room_langs import (
    START_FLAGS,
    RoomLanguages,
    fallback_words,
    join_sentences,
    saved_room_languages,
    start_overrides,
)
from bot.console.slot_words import known_key, slot_keys, slots_words
from bot.console.web import actor, context, endpoint, redirect, render
from bot.langid import normalize_lang_code
from catalog import control
from catalog.control import LANG_FALLBACKS
from catalog.room_settings import RoomLangSettings, all_room_lang_settings, room_lang_settings, save_room_setting

log = logging.getLogger(__name__)


@endpoint("viewer")
def live_page(request: Request) -> Response:
    ctx = context(request)
    snap = ctx.store.snapshot()
    products = sorted((pid, product_label(p)) for pid, p in snap.products.items())  # names in the staff language
    bot = live.bot_state(ctx.store)
    kept: dict[str, RoomLangSettings] = {room: room_lang_settings(ctx.store, room) for room in bot.rooms}
    # a running value a start flag or variable set, not the console: said next to the room's form
    overrides = {r.room: join_sentences(start_overrides(r, kept.get(r.room))) for r in bot.langs}
    stored = all_room_lang_settings(ctx.store)
    saved = saved_rooms(ctx, bot.rooms, stored)
    return render(
        request,
        "live.html",
        {
            "bot": bot,
            "kept": kept,
            "saved": [r.as_json() for r in saved],  # rooms no bot runs now: their settings for the next start
            "saved_kept": {r.room: stored.get(r.room) for r in saved},
            "overrides": overrides,
            "rooms_key": rooms_key(bot.langs),
            "products": products,
            "alert_s": float(getattr(ctx.settings, "handoff_alert_s", 60.0) or 60.0),
        },
    )


def rooms_key(langs: Sequence[RoomLanguages]) -> str:
    """The running rooms as the page's room settings were drawn for them: each room with what its form offers
    (``f`` scale-out workers: no form, ``p`` a form, ``-`` a bot that reports no policy). live.js (`roomsKey`) computes
    the same from each status event and redraws the section when it differs: a bot started or stopped."""
    return ",".join(f"{r.room}:{'f' if r.fixed else 'p' if r.policy else '-'}" for r in langs)


def saved_rooms(ctx: Any, running: tuple[str, ...], stored: dict[str, RoomLangSettings]) -> list[RoomLanguages]:
    """The rooms no bot runs now, as their next start would set them (`saved_room_languages`): the rooms of earlier
    runs (their last heartbeat names their languages), the rooms with settings saved here, and the console's own
    room (``--room``): staff set a room up before the show. Languages the last run did not report: the console's
    ``room_languages``."""
    settings = ctx.settings
    configured = room_language_codes(str(getattr(settings, "room_languages", "") or ""))
    last: dict[str, tuple[str, ...]] = {}
    workers = worker_rooms(ctx.store)
    for row in control.bot_statuses(ctx.store):
        if row.room in workers:
            continue
        codes = row.settings.get("room_languages")
        if isinstance(codes, list) and codes:
            last[row.room] = tuple(normalize_lang_code(str(c)) or str(c) for c in codes)
        else:
            last.setdefault(row.room, ())
    own = str(getattr(settings, "room_name", "") or "")
    rooms = sorted((set(last) | set(stored) | ({own} if own else set())) - set(running) - workers)
    return [saved_room_languages(room, last.get(room) or configured, stored.get(room), **_start_defaults(settings))
            for room in rooms]


def _start_defaults(settings: Any) -> dict[str, str]:
    """The console's own main language and fallback (defaults and LIVEREPLY_* variables): what a start without a
    saved value or a flag would use."""
    return {"default_main": normalize_lang_code(str(getattr(settings, "main_lang", "") or "")) or "",
            "default_policy": str(getattr(settings, "lang_fallback", "") or "en")}


def worker_rooms(store: Any) -> set[str]:
    """The rooms whose last bot was a scale-out worker (``settings.fixed``): a worker never reads the settings kept
    here (its start flags set them), so the page offers no form for them when they are stopped either."""
    return {row.room for row in control.bot_statuses(store) if row.settings.get("fixed")}


@endpoint("viewer")
def live_feed(request: Request) -> Response:
    """Server-Sent Events: `activity` (comments, outcomes, replies since the cursor) and `status` (the bot)."""
    ctx = context(request)
    cursor = request.headers.get("last-event-id") or request.query_params.get("cursor")
    once = request.query_params.get("once") == "1"
    ui = i18n.current()  # the stream outlives the request's language context: name languages in it now
    intents_path = ctx.settings.intents

    names: dict[str, str] = {}

    def explain(reason: str) -> str:  # intents by their description, as the intent file says now (cached by mtime)
        if reasons.NAMES_PRODUCT in reason and not names:  # products by name: the catalog read once, when needed
            names.update({pid: product_label(p, ui) for pid, p in ctx.store.snapshot().products.items()})
        return reasons.explain(reason, ui, intent_descriptions(intents_path), names)

    shop_words: list[Mapping[str, Sequence[str]]] = []

    def slot_words(slots: str) -> str:  # the shop's words for its attribute keys: the catalog read once, when needed
        if not shop_words and not all(known_key(key) for key in slot_keys(slots)):
            shop_words.append(dict((ctx.store.snapshot().synonyms or {}).get("attributes") or {}))
        return slots_words(slots, ui=ui, attribute_words=shop_words[0] if shop_words else None)

    events = live.feed_events(ctx.store, cursor=cursor, is_disconnected=request.is_disconnected, once=once,
                              lang_name=partial(lang_name, ui=ui), explain=explain, slot_words=slot_words)
    return StreamingResponse(
        events, media_type="text/event-stream", headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    )


@endpoint("viewer")
def live_status(request: Request) -> Response:
    return JSONResponse(live.bot_state(context(request).store).as_json(), headers={"Cache-Control": "no-store"})


@endpoint("editor", write=True)
def live_answer(request: Request, form: Any) -> Response:
    ctx = context(request)
    room = str(form.get("room") or "").strip()
    ids = [str(x).strip() for x in form.getlist("comment_id") if str(x).strip()]
    text = str(form.get("text") or "").strip()
    if not room or not ids or not text:
        return redirect("/live", error=_("Write the answer first."))
    pairs = [(room, cid) for cid in ids]
    users = [str(x) for x in form.getlist("user")]
    who = actor(request)
    posted_rooms, queued = live.post_answer(ctx.store, pairs, text, lang=str(form.get("lang") or "zh"), users=users,
                                          created_by=who.username)
    posted = bool(posted_rooms)
    ctx.editor.review(who, pairs, "answer", text=text, posted={p for p in pairs if p[0] in posted_rooms})
    if posted:
        return redirect("/live", ok=_("Answer posted to the room."))
    if queued:
        return redirect("/live", ok=_("Answer queued: the bot posts it as soon as it can (it is paused or busy)."))
    return redirect("/live", error=_("Answer recorded, but no bot is running: nothing was posted."))


def _pause(request: Request, paused: bool) -> Response:
    ctx = context(request)
    running = live.bot_state(ctx.store).running
    live.set_paused(ctx.store, paused, created_by=actor(request).username)
    log.warning("%s asked the bot to %s", actor(request).username, "pause" if paused else "resume")
    if not running:
        return redirect("/live", error=_("No bot is running right now; the request waits 2 minutes for one."))
    return redirect("/live", ok=_("Pausing: nothing is posted until you resume.") if paused
                    else _("Resuming: replies still worth posting go out now."))


@endpoint("editor", write=True)
def live_room_langs(request: Request, form: Any) -> Response:
    """The room's fallback policy (no answer in the viewer's language) and main language: applied by the running bot
    without a restart and kept for its next start (catalog/room_settings.py; a flag or variable given at that start
    wins). A page from before the main language was offered sends only the policy (``/live/fallback``)."""
    ctx = context(request)
    room = str(form.get("room") or "").strip()
    policy = str(form.get("lang_fallback") or "").strip()
    if policy not in LANG_FALLBACKS:
        return redirect("/live", error=_("Choose what the bot does without an answer in the viewer's language."))
    state = live.bot_state(ctx.store)
    now = next((r for r in state.langs if r.room == room), None)
    if now is None:  # no bot runs this room: kept for its next start, nothing is sent
        return _save_for_next_start(request, form, room, policy, state.rooms)
    if now.fixed:  # scale-out workers refuse it (bot/engine.py `_set_room_setting`): said before anything is kept
        return redirect("/live", error=_(
            "Room %(room)s is run by scale-out workers: its main language and fallback are set by the workers' "
            "--main-lang / --lang-fallback at their start, not here.") % {"room": room})
    if not now.policy:  # a bot older than migration 0018 would never take the command
        return redirect("/live", error=_("This room's bot does not report its settings (an older version): restart it "
                                         "with the setting to change it."))
    # A setting the editor left as the page showed it (``*_shown``, absent on a page from before) is neither sent nor
    # kept: not back over another editor's change made meanwhile, not over the kept value a start flag hides (the flag
    # wins for its start only). A page without the main language (``/live/fallback``) leaves it alone too.
    choice = _main_choice(form, policy, now)
    if isinstance(choice, Response):
        return choice
    main, untouched = choice
    who = actor(request)
    kept = room_lang_settings(ctx.store, room)
    said: list[str] = []
    overridden: list[str] = []  # the start flags / variables that set a value changed here
    wanted = (("main_lang", now.main_lang, main), ("lang_fallback", now.policy, policy))
    for name, running, value in wanted:
        if untouched[name]:
            continue
        stored = kept.get(name)
        if value == running and (stored is None or stored.value == value):
            continue  # nothing to change, nothing new to keep
        if value != running:
            outcome = (live.set_main_lang if name == "main_lang" else live.set_lang_fallback)(
                ctx.store, room, value, created_by=who.username)
            if outcome in ("stopped", "failed"):
                problem = (_("No bot is running for this room: nothing was changed.") if outcome == "stopped" and not said
                           else _("The bot stopped before it took the change.") if outcome == "stopped"
                           else _("The bot did not take the change (see its log); restart it with the setting."))
                if said:  # the main language went through before the policy failed: say so, it is kept
                    problem = sentences([problem, _("Already changed and kept: %(what)s") % {"what": sentences(said)}])
                return redirect("/live", error=problem)
            if outcome == "queued":
                said.append(_("Change sent: the bot applies it as soon as it takes the request."))
        save_room_setting(ctx.store, room, name, value, changed_by=who.username)
        ctx.editor.audit_room_setting(who, room, name, running, value)
        if name == "main_lang":
            said.append(_("Main language: %(lang)s.") % {"lang": lang_name(value)})
        else:
            said.append(_("%(policy)s.") % {"policy": fallback_words(value, main or None)})
        if now.source(name) in ("flag", "env"):  # the bot's start set it: kept, but that start would set it again
            flag, variable = START_FLAGS[name]
            overridden.append(flag if now.source(name) == "flag" else variable)
    if not said:
        return redirect("/live", ok=_("Nothing changed: the room already works this way."))
    if overridden:
        return redirect("/live", ok=_("Room %(room)s changed. %(what)s Kept, but the bot was started with %(given)s: "
                                      "a start with it sets it again.") % {
            "room": room, "what": sentences(said), "given": " / ".join(overridden)})
    return redirect("/live", ok=_("Room %(room)s changed. %(what)s Kept for the bot's next start.") % {
        "room": room, "what": sentences(said)})


def _main_choice(form: Any, policy: str, room: Any) -> tuple[str, dict[str, bool]] | Response:
    """The main language the room form asks for, and which settings the editor left as the page showed them
    (``*_shown``; ``room`` is the room as shown: running or saved). A setting left as shown is neither sent nor kept.
    A main language that is not one of the room's languages is refused (the redirect is returned)."""
    main_given = form.get("main_lang")
    shown_main, shown_policy = form.get("main_lang_shown"), form.get("lang_fallback_shown")
    main = (normalize_lang_code(str(main_given)) or "") if main_given is not None else room.main_lang
    untouched = {
        "main_lang": main_given is None or (shown_main is not None and main == normalize_lang_code(str(shown_main))),
        "lang_fallback": shown_policy is not None and policy == str(shown_policy).strip(),
    }
    if untouched["main_lang"]:
        return room.main_lang, untouched  # what the room has, for the policy's sentence
    if main not in [code for code, _name in room.choices]:
        return redirect("/live", error=_(
            "%(lang)s is not one of this room's languages (%(langs)s): choose one of them. A new room language "
            "needs a restart of the bot with --room-languages.") % {
                "lang": f"{lang_name(main)} ({main})" if main else quoted_value(str(main_given).strip()),
                "langs": room.languages})
    return main, untouched


def _save_for_next_start(request: Request, form: Any, room: str, policy: str, running: tuple[str, ...]) -> Response:
    """The room form of a room no bot runs now: the values changed from what the page showed are stored
    (catalog/room_settings.py) for the room's next start, where a --main-lang / --lang-fallback flag or variable
    given at that start still wins (bot/room_lang_start.py)."""
    ctx = context(request)
    stored = all_room_lang_settings(ctx.store)
    if not room:
        return redirect("/live", error=_("Choose what the bot does without an answer in the viewer's language."))
    if room in worker_rooms(ctx.store):
        return redirect("/live", error=_(
            "Room %(room)s is run by scale-out workers: its main language and fallback are set by the workers' "
            "--main-lang / --lang-fallback at their start, not here.") % {"room": room})
    shown = saved_room_languages_for(ctx, room, running, stored)
    choice = _main_choice(form, policy, shown)
    if isinstance(choice, Response):
        return choice
    main, untouched = choice
    who = actor(request)
    kept = stored.get(room) or RoomLangSettings(room)
    said: list[str] = []
    for name, value in (("main_lang", main), ("lang_fallback", policy)):
        before = kept.get(name)
        if untouched[name] or (before is not None and before.value == value):
            continue
        save_room_setting(ctx.store, room, name, value, changed_by=who.username)
        ctx.editor.audit_room_setting(who, room, name, before.value if before else None, value)
        if name == "main_lang":
            said.append(_("Main language: %(lang)s.") % {"lang": lang_name(value)})
        else:
            said.append(_("%(policy)s.") % {"policy": fallback_words(value, main or None)})
    if not said:
        return redirect("/live", ok=_("Nothing changed: the room already works this way."))
    return redirect("/live", ok=_("Room %(room)s saved. %(what)s No bot is running now: the bot's next start uses "
                                  "it (unless it is started with --main-lang / --lang-fallback).") % {
        "room": room, "what": sentences(said)})


def saved_room_languages_for(
    ctx: Any, room: str, running: tuple[str, ...], stored: dict[str, RoomLangSettings],
) -> RoomLanguages:
    """`room` as the live page showed it when no bot runs it (`saved_rooms`), also for a room it did not list."""
    found = next((r for r in saved_rooms(ctx, running, stored) if r.room == room), None)
    if found is not None:
        return found
    languages = room_language_codes(str(getattr(ctx.settings, "room_languages", "") or ""))
    return saved_room_languages(room, languages, stored.get(room), **_start_defaults(ctx.settings))


sentences = join_sentences  # as the room form's messages have always called it


@endpoint("editor", write=True)
def live_pause(request: Request, form: Any) -> Response:
    return _pause(request, True)


@endpoint("editor", write=True)
def live_resume(request: Request, form: Any) -> Response:
    return _pause(request, False)


routes = [
    Route("/live", live_page, methods=["GET"]),
    Route("/live/feed", live_feed, methods=["GET"]),
    Route("/api/bot", live_status, methods=["GET"]),
    Route("/live/answer", live_answer, methods=["POST"]),
    Route("/live/pause", live_pause, methods=["POST"]),
    Route("/live/room-langs", live_room_langs, methods=["POST"]),
    Route("/live/fallback", live_room_langs, methods=["POST"]),  # a page from before the main language was offered
    Route("/live/resume", live_resume, methods=["POST"]),
]
