"""What a running room's bot does with languages, in the staff member's words: the languages viewers write in, the
room's main language and the fallback policy when no answer exists in the viewer's language.

From the bot's heartbeat (``bot_status.settings``, catalog/control.py ``room_settings``). A bot that predates it sends
no settings: its room is shown with "unknown", never with a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.console.i18n import gettext as _
from bot.console.lang_names import lang_name

__all__ = ["RoomLanguages", "fallback_words", "main_option_words", "policy_words", "room_languages",
           "saved_room_languages"]


@dataclass(frozen=True)
class RoomLanguages:
    room: str
    languages: str  # the room's languages by name, "中文、英语、日语"; "unknown" when the bot did not say
    main: str  # the main language by name
    fallback: str  # "no answer in the viewer's language: answer in English" (the whole sentence)
    policy: str  # the raw policy ("en" | "main" | "staff"), "" when unknown
    main_lang: str = ""  # the main language's code, "" when unknown
    # the room languages as (code, name): what the live page offers as the main language
    choices: tuple[tuple[str, str], ...] = ()
    # where the running main_lang / lang_fallback came from ("flag", "env", "default", "console"); empty from a bot
    # that does not say (older than this field, or a start that read no kept settings)
    sources: tuple[tuple[str, str], ...] = ()
    fixed: bool = False  # the bot takes no change from the console (a scale-out worker: set by its start flags)

    def as_json(self) -> dict[str, Any]:
        return {"room": self.room, "languages": self.languages, "main": self.main, "fallback": self.fallback,
                "policy": self.policy, "main_lang": self.main_lang,
                "choices": [{"code": code, "name": name} for code, name in self.choices],
                "sources": dict(self.sources), "fixed": self.fixed}

    def source(self, name: str) -> str:
        return dict(self.sources).get(name, "")


def policy_words(policy: str, main_lang: str | None = None) -> str:
    """The fallback policy in a few words: "answer in English"; "main" names the room's main language when it is
    given ("answer in the room's main language (Chinese)")."""
    if policy == "en":
        return _("answer in English")
    if policy == "main":
        return main_option_words(main_lang) if main_lang else _("answer in the room's main language")
    if policy == "staff":
        return _("hand it to staff")
    return _("unknown")


def main_option_words(main_lang: str | None) -> str:
    """The policy form's "main" choice, naming the language: "answer in the room's main language (Chinese)"."""
    return _("answer in the room's main language (%(lang)s)") % {"lang": lang_name(main_lang) if main_lang else _("unknown")}


def fallback_words(policy: str, main_lang: str | None) -> str:
    """The fallback policy as one sentence: what the bot does with a comment in a language it has no answer in."""
    what = main_option_words(main_lang) if policy == "main" else policy_words(policy)
    return _("No answer in the viewer's language: %(what)s") % {"what": what}


def _tags(codes: Any) -> list[str]:
    return [str(c) for c in codes or () if str(c).strip()] if isinstance(codes, (list, tuple)) else []


def _names(codes: Any) -> str:
    tags = _tags(codes)
    return _(", ").join(lang_name(t) for t in tags) if tags else _("unknown")


def room_languages(room: str, settings: Mapping[str, Any]) -> RoomLanguages:
    """The room's language settings from its heartbeat, named in the request's language; "unknown" where missing."""
    main = str(settings.get("main_lang") or "")
    policy = str(settings.get("lang_fallback") or "")
    return RoomLanguages(
        room=room,
        languages=_names(settings.get("room_languages")),
        main=lang_name(main) if main else _("unknown"),
        fallback=fallback_words(policy, main or None),
        policy=policy,
        main_lang=main,
        choices=tuple((t, lang_name(t)) for t in _tags(settings.get("room_languages"))),
        sources=tuple((str(k), str(v)) for k, v in (settings.get("sources") or {}).items())
        if isinstance(settings.get("sources"), Mapping) else (),
        fixed=bool(settings.get("fixed")),
    )


def saved_room_languages(
    room: str, languages: tuple[str, ...], kept: Any, *, default_main: str, default_policy: str,
) -> RoomLanguages:
    """A room no bot runs now, as its next start would set it from the console: the value saved here (`kept`,
    catalog/room_settings.py RoomLangSettings, or None), else the start configuration's (`default_*`: the console's
    own settings, i.e. the defaults and LIVEREPLY_* variables). `languages`: the room languages of its last run (or
    the configured ones); a saved main language outside them is not used, as at the start (bot/room_lang_start.py).
    ``sources`` says "console" or "default" per setting. Pure."""
    codes = tuple(dict.fromkeys(c for c in languages if c))
    stored_main = kept.get("main_lang") if kept is not None else None
    stored_policy = kept.get("lang_fallback") if kept is not None else None
    if stored_main is not None and stored_main.value in codes:
        main, main_source = stored_main.value, "console"
    else:
        main = default_main if default_main in codes or not codes else codes[0]
        main_source = "default"
    if stored_policy is not None:
        policy, policy_source = stored_policy.value, "console"
    else:
        policy, policy_source = default_policy, "default"
    return room_languages(room, {  # named as a running bot's heartbeat would name them
        "room_languages": list(codes), "main_lang": main, "lang_fallback": policy,
        "sources": {"main_lang": main_source, "lang_fallback": policy_source},
    })


# the start flag and variable of each room language setting, as `livereply run --help` and `livereply config` name them
START_FLAGS = {"main_lang": ("--main-lang", "LIVEREPLY_MAIN_LANG"), "lang_fallback": ("--lang-fallback",
                                                                                 "LIVEREPLY_LANG_FALLBACK")}


def start_overrides(room: RoomLanguages, kept: Any) -> list[str]:
    """What the live page says when a running value came from the bot's start (a flag or a variable), not from the
    console: staff who saved another value there see why it does not apply, and that a change made here holds only
    until the bot starts with that flag again. `kept`: the room's stored console values (catalog/room_settings.py
    RoomLangSettings), or None."""
    notes = []
    for name in ("main_lang", "lang_fallback"):
        source = room.source(name)
        if source not in ("flag", "env"):
            continue
        flag, variable = START_FLAGS[name]
        given = flag if source == "flag" else variable
        if name == "main_lang":
            running = lang_name(room.main_lang) if room.main_lang else _("unknown")
            what = _("The main language (%(value)s) was set by %(given)s when the bot started, not by the console.")
        else:
            running = policy_words(room.policy, room.main_lang)
            what = _("The fallback (%(value)s) was set by %(given)s when the bot started, not by the console.")
        parts = [what % {"value": running, "given": given}]
        stored = kept.get(name) if kept is not None else None
        running_code = room.main_lang if name == "main_lang" else room.policy
        if stored is not None and stored.value != running_code:
            saved = lang_name(stored.value) if name == "main_lang" else policy_words(stored.value)
            parts.append(_("The value saved here (%(saved)s, by %(who)s) applies only when the bot starts without "
                           "%(given)s.") % {"saved": saved, "who": stored.changed_by, "given": given})
        parts.append(_("A change made here applies at once, but a start with %(given)s sets it again.") % {
            "given": given})
        notes.append(join_sentences(parts))
    return notes


def join_sentences(parts: list[str]) -> str:
    """Sentences joined as their language writes them: no space after a Chinese full stop, one after a Latin one."""
    out = ""
    for part in parts:
        out += part if not out or out.endswith(("。", "！", "？", "：", "；")) else " " + part
    return out
