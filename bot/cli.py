"""`livereply` command line: demo, run, gateway, worker, room, catalog, eval, console, staff, train."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import json
import logging
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from bot import cli_i18n
from bot.cli_errors import LocalizedArgumentParser, error_text, room_language_error, ui_lang_in
from bot.cli_i18n import N_, ljust, ngettext, rjust, width
from bot.cli_i18n import gettext as _
from bot.config import (
    DEMO_DB,
    DEMO_INDEX_DIR,
    ENV_PREFIX,
    Settings,
    SettingValueError,
    explicitly_set,
    flag_of,
    main_lang_problem,
    parse_bool,
    settings_for,
    shown_default,
    source_of,
)
from bot.errors import LiveReplyError

if TYPE_CHECKING:
    from bot.adapters.bilibili import BilibiliRoomClient
    from bot.adapters.generic import RoomClient
    from bot.scale.gateway import GatewayStats
    from bot.service import SessionStats
    from catalog.io import CatalogImport

log = logging.getLogger("livereply")


class CliError(LiveReplyError):
    """A clear, user-facing failure: printed without a traceback, exit code 2."""


_PROGRESS = sys.stdout  # set to stderr when a command prints JSON, so stdout holds only the JSON


def _say(msg: str = "") -> None:
    print(msg, file=_PROGRESS, flush=True)


def _pad(text: str, columns: int) -> str:
    """Left-justify for a terminal, counting CJK characters as two columns."""
    return ljust(text, columns)


def _zh_en(zh: str, en: str, sep: str = " / ", alone: str | None = None) -> str:
    """A line about the Chinese shop consoles (browser platforms, login, fake console), said Chinese-first in both
    languages: "<中文> / <English>"; a Chinese terminal (bot/cli_i18n.py) gets the Chinese alone (``alone`` when the
    Chinese half leaves a detail to the English one)."""
    if cli_i18n.current() == cli_i18n.CHINESE:
        return alone if alone is not None else zh
    return f"{zh}{sep}{en}"


def _item(label: str, text: str) -> str:
    """A start line, "• <label> <text>": the label (a msgid, translated here) in a column of 10."""
    return f"• {ljust(_(label), 10)} {text}"


# ---------------------------------------------------------------------------------------------- helpers
def _add_settings_flags(p: argparse.ArgumentParser, command: str) -> None:
    """The settings of ``command``'s groups become flags (``--field-name``, help from Settings); others stay out
    of its --help."""
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    defaults = Settings()
    for f in settings_for(command):
        name, flag = f.name, flag_of(f.name)
        if flag in p._option_string_actions or any(a.dest == name for a in p._actions):
            continue
        value = getattr(defaults, name)
        help_text = f"{f.metadata.get('help', '')} (default {shown_default(value)}; env {ENV_PREFIX}{name.upper()})"
        kind = type(value)
        if value is None:  # tri-state bool (secure_cookies): --flag [BOOL|auto], --no-flag; absent = auto
            p.add_argument(flag, dest=name, nargs="?", const=True, type=_tristate, metavar="BOOL|auto", help=help_text)
            p.add_argument(
                "--no-" + flag.removeprefix("--"), dest=name, action="store_const", const=False, help=f"same as {flag} false"
            )
        elif kind is bool:
            p.add_argument(flag, dest=name, type=_bool, metavar="BOOL", help=help_text)
        else:
            p.add_argument(flag, dest=name, type=kind, metavar=kind.__name__.upper(), help=help_text)


def _bool(value: str) -> bool:
    try:
        return parse_bool(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("%(value)s is not a yes/no value (1/0, true/false, yes/no, on/off)") % {"value": repr(value)}
        ) from None


def _tristate(value: str) -> bool | None:
    return None if value.strip().lower() in {"auto", "none", ""} else _bool(value)


def _settings(args: argparse.Namespace, **extra: Any) -> Settings:
    overrides = {k: v for k, v in vars(args).items() if k in Settings.__dataclass_fields__}
    overrides.update(extra)
    try:
        settings = Settings.load(overrides)
    except ValueError as exc:
        raise CliError(_setting_error(exc)) from exc
    settings = _checked(settings)
    cli_i18n.use(cli_i18n.resolve(settings.ui_lang))  # what follows is printed in the terminal's language
    return settings


def _setting_error(exc: ValueError) -> str:
    """A LIVEREPLY_* value that does not parse, in the terminal's language (`bot.config.SettingValueError`)."""
    if isinstance(exc, SettingValueError):
        return _("%(variable)s=%(value)s: expected %(expected)s") % {
            "variable": exc.variable, "value": repr(exc.raw), "expected": _(exc.expected),
        }
    return str(exc)


def _checked(settings: Settings) -> Settings:
    """Catch the mistakes that used to become tracebacks or silent surprises, with one clear line each."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(settings.db)
    except ArgumentError:
        raise CliError(
            _("--db %(db)s is not a database URL (e.g. sqlite:///var/livereply.db)") % {"db": repr(settings.db)}
        ) from None
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        default_db = Settings.__dataclass_fields__["db"].default
        parent = Path(url.database).parent
        if settings.db != default_db and not parent.is_dir():
            raise CliError(
                _("--db %(db)s: directory %(dir)s does not exist (create it first)") % {"db": db_text(settings.db), "dir": parent}
            )
    if settings.threads < 1:
        raise CliError(_("--threads must be >= 1, got %(value)s") % {"value": settings.threads})
    if settings.lang_fallback not in ("en", "main", "staff"):
        raise CliError(_("--lang-fallback must be en, main or staff, got %(value)s") % {"value": repr(settings.lang_fallback)})
    for code in settings.room_languages.split(","):
        if code.strip() and (problem := room_language_error(code)) is not None:
            raise CliError(_("--room-languages: %(problem)s") % {"problem": problem})
    if (problem := main_lang_problem(settings.main_lang, settings.room_languages, translate=_,
                                     code_problem=room_language_error)) is not None:
        raise CliError(problem)  # after the room languages: it names them
    if settings.ui_lang.strip().lower() not in cli_i18n.UI_LANGS:
        raise CliError(_("--ui-lang must be auto, zh or en, got %(value)s") % {"value": repr(settings.ui_lang)})
    if settings.moderation_action not in ("off", "delete", "timeout"):
        raise CliError(
            _("--moderation-action must be off, delete or timeout, got %(value)s") % {"value": repr(settings.moderation_action)}
        )
    if not 1 <= settings.moderation_timeout_s <= 14 * 24 * 3600:
        raise CliError(
            _("--moderation-timeout-s must be 1–1209600 seconds, got %(value)s") % {"value": settings.moderation_timeout_s}
        )
    changes = {}
    for name in ("catalog", "intents", "log", "banned_words", "moderation", "rules"):
        value = getattr(settings, name)
        resolved = _resolve_data_path(value, str(Settings.__dataclass_fields__[name].default))
        if resolved != value:
            changes[name] = resolved
    return settings.with_(**changes) if changes else settings


def _resolve_data_path(value: str, default: str) -> str:
    """A relative default (data/…) that is not under the working directory is looked up in the project."""
    path = Path(value)
    if value != default or path.is_absolute() or path.exists():
        return value
    bundled = Path(__file__).resolve().parents[1] / value
    return str(bundled) if bundled.exists() else value


def _require_file(path: str, what: str, flag: str) -> None:
    """``what`` (a msgid: N_("catalog file")) must be a file at ``path``."""
    if not Path(path).is_file():
        raise CliError(
            _("%(what)s not found: %(path)s (set %(flag)s or run from the project directory)")
            % {"what": _(what), "path": path, "flag": flag}
        )


def _given(args: argparse.Namespace, name: str) -> bool:
    """The user set ``name`` (its flag or its LIVEREPLY_* variable), as opposed to the default."""
    return explicitly_set(name, vars(args))


def _check_log(path: str, flag: str = "--log") -> None:
    """Read a replay log before anything starts: a missing file, a bad line or a log without a single comment is one
    clear error (not a traceback after the catalog was imported, nor a room waiting for a show that never comes)."""
    from bot.messages import Comment
    from bot.room import LogFileError, load_log

    _require_file(path, N_("comment log"), flag)
    try:
        events = load_log(path)
    except LogFileError as exc:
        raise CliError(error_text(exc)) from None
    if not any(isinstance(e, Comment) for e in events):
        raise CliError(
            _("no comments in %(path)s (a replay log is JSONL, one comment per line: docs/protocol.md)") % {"path": path}
        )


def _check_labels(path: str, runtime: Any) -> None:
    """The log's ``expect`` labels against the catalog just imported (bot/replay.py `check_labels`): a FAQ id the
    catalog does not have, an unknown "@" label … is one clear error with its file and line."""
    from bot.replay import check_labels
    from bot.room import LogFileError

    try:
        check_labels(path, runtime.engine.state.view.snapshot)
    except LogFileError as exc:
        raise CliError(error_text(exc)) from None


def _check_room_url(url: str, flag: str = "--room") -> None:
    """A room URL the websocket client can open (ws:// or wss://), checked before the model loads."""
    from websockets.exceptions import InvalidURI
    from websockets.uri import parse_uri

    try:
        parse_uri(url)
    except InvalidURI as exc:
        raise CliError(
            _("%(flag)s %(url)s: not a websocket URL (%(why)s); e.g. ws://127.0.0.1:8765 or wss://host/path")
            % {"flag": flag, "url": url, "why": exc.msg}
        ) from None


@contextlib.contextmanager
def _eval_settings(args: argparse.Namespace) -> Iterator[Settings]:
    """An evaluation's settings. It runs on the shop's database only when --db / LIVEREPLY_DB names one: by default on
    a scratch SQLite file and index directory in a temporary directory, removed afterwards (an evaluation imports the
    catalog file and may reset the session: that must never hit the staff's edits, the comment log or the queue)."""
    settings = _settings(args)
    if _given(args, "db"):
        yield settings
        return
    _say(_item(
        N_("scratch"),
        _(
            "the catalog file %(catalog)s, not the shop's database: edits made in the console are not in this "
            "evaluation (--db to score the shop's database)"
        ) % {"catalog": settings.catalog},
    ))
    with tempfile.TemporaryDirectory(prefix="livereply-eval-") as tmp:
        changes = {"db": f"sqlite:///{tmp}/eval.db"}
        if not _given(args, "index_dir"):
            changes["index_dir"] = f"{tmp}/index"  # the engine's spool file goes next to it
        yield settings.with_(**changes)


def _build(settings: Settings, *, fresh_catalog: bool = False, live: bool | None = False, room: str | None = None,
           given: Mapping[str, Any] | None = None):
    """The runtime, with progress lines. ``live`` (run, demo): start the encoder process first when
    ``--encoder-process`` (auto) wants it, so the child loads its model while this process starts; False: only when
    set on; None: never (a worker's room engines would not use it). ``room`` (run): the room's language settings
    stored from the console apply where ``given`` (the command line) and the environment did not set them."""
    from bot.bootstrap import attach_encoder_process, encoder_process_wanted, start_encoder_process

    t0 = time.perf_counter()
    wanted = live is not None and encoder_process_wanted(settings, live=live)
    encoder = start_encoder_process(settings) if wanted else None
    try:
        runtime = _build_runtime(settings, fresh_catalog=fresh_catalog, room=room, given=given)
        if encoder is not None:
            if attach_encoder_process(runtime.engine, encoder):
                what = _("child process %(pid)s embeds the next batch while one is decided") % {"pid": encoder.pid}
            else:
                what = _("in this process only (%(error)s)") % {"error": encoder.error}
            _say(_item(N_("encoder"), what))
    except BaseException:  # a failed start or Ctrl-C while the child loads: stop it now
        if encoder is not None:
            encoder.close()
        raise
    _say(
        _("• ready in %(seconds).1fs (%(model)s, %(intents)d intents)")
        % {"seconds": time.perf_counter() - t0, "model": runtime.embedder.model_id, "intents": len(runtime.intents)}
    )
    return runtime


def _close_prefetcher(runtime: Any) -> str:
    """Stop the encoder process, if any; what it did, for the closing summary ('' when there was none)."""
    prefetcher = runtime.engine.prefetcher
    if prefetcher is None:
        return ""
    prefetcher.close()
    runtime.engine.prefetcher = None
    if not prefetcher.submitted:  # "embedded 0 of the texts ahead (0 sent)" read as broken to a new user
        return _("encoder process not needed: comments never queued up (it embeds the next batch only when they do)")
    return _("encoder process embedded %(taken)d of the texts ahead (%(submitted)d sent)") % {
        "taken": prefetcher.taken, "submitted": prefetcher.submitted,
    }


def _room_langs_from_console(
    store: Any, settings: Settings, room: str, given: Mapping[str, Any] | None
) -> tuple[Settings, dict[str, str]]:
    """The settings with the room's stored console values (bot/room_lang_start.py), said on the start lines, and
    where each came from (the heartbeat tells the console: a start flag can hide a value staff kept)."""
    from bot.cli_room_langs import room_lang_lines
    from bot.room_lang_start import room_langs_at_start
    from catalog.room_settings import room_lang_settings

    start = room_langs_at_start(settings, room_lang_settings(store, room), given=given)
    for line in room_lang_lines(start):
        _say(line)
    return start.settings, {origin.name: origin.source for origin in start.origins}


def _build_runtime(settings: Settings, *, fresh_catalog: bool, room: str | None = None,
                   given: Mapping[str, Any] | None = None):
    from bot.bootstrap import build_runtime, ensure_catalog
    from bot.errors import InputFileError
    from bot.room_rules_seed import ensure_room_rules
    from catalog.io import CatalogFileError
    from catalog.wordfilter import WordFilterError

    _say(_item(N_("database"), db_text(settings.db)))
    _require_file(settings.intents, N_("intent file"), "--intents")
    store = _open_store(settings)
    try:
        if fresh_catalog or not store.snapshot().products:
            _require_file(settings.catalog, N_("catalog file"), "--catalog")
        try:
            rule_files = ensure_room_rules(store, settings, replace=fresh_catalog)
        except (WordFilterError, InputFileError) as exc:  # a rules / word list file: it names itself (path:line)
            raise CliError(error_text(exc)) from exc
        for name in rule_files:
            _say(_item(N_("rules"), _("imported %(file)s") % {"file": name}))
        imported = ensure_catalog(store, settings, replace=fresh_catalog)
    except (CatalogFileError, WordFilterError, InputFileError) as exc:
        raise CliError(_("catalog file error: %(error)s") % {"error": error_text(exc)}) from exc
    snap = store.snapshot()
    source = _(", imported %(file)s") % {"file": settings.catalog} if imported else ""
    _say(_item(
        N_("catalog"),
        _("%(products)d products, %(faqs)d FAQs (v%(version)s%(source)s)")
        % {"products": len(snap.products), "faqs": len(snap.faqs), "version": snap.version, "source": source},
    ))
    sources: dict[str, str] = {}
    if room is not None:
        settings, sources = _room_langs_from_console(store, settings, room, given)
    _say(_item(
        N_("model"), _("%(model)s (threads=%(threads)d) — loading…") % {"model": settings.model, "threads": settings.threads}
    ))
    try:
        runtime = build_runtime(settings, store=store)
    except (InputFileError, WordFilterError) as exc:
        raise CliError(error_text(exc)) from exc
    runtime.setting_sources = sources
    point = runtime.operating_point
    if point is not None:
        _say(_item(
            N_("calibrated"),
            _(
                "answer ≥ %(answer).3f, staff ≥ %(staff).3f (held-out wrong-answer rate %(wrong_rate)s, coverage "
                "%(coverage)s, %(positive)d examples + %(negative)d negatives%(missed)s)"
            ) % {
                "answer": point.threshold, "staff": runtime.engine.base_settings.staff_threshold,
                "wrong_rate": f"{point.wrong_rate:.1%}", "coverage": f"{point.coverage:.1%}",
                "positive": point.n_positive, "negative": point.n_negative,
                "missed": "" if point.met_target else _("; target NOT met"),
            },
        ))
    else:
        _say(_item(
            N_("threshold"), _("answer ≥ %(answer).3f (fixed)") % {"answer": runtime.engine.base_settings.answer_threshold}
        ))
    return runtime


def _open_store(settings: Settings):
    """Open the database, turning driver / connection failures into one line."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

    from bot.bootstrap import open_store

    try:
        return open_store(settings)
    except NoSuchModuleError:
        raise CliError(
            _("--db %(db)s: unknown database kind (sqlite:/// or postgresql+psycopg:// are supported)")
            % {"db": db_text(settings.db)}
        ) from None
    except ArgumentError as exc:
        raise CliError(f"--db {db_text(settings.db)}: {exc}") from None
    except ModuleNotFoundError as exc:
        raise CliError(
            _("--db %(db)s: the database driver is not installed (%(module)s); pip install 'livereply[postgres]'")
            % {"db": db_text(settings.db), "module": exc.name}
        ) from None
    except OperationalError as exc:
        first = str(exc.orig or exc).strip().splitlines()[0] if (exc.orig or exc) else _("unreachable")
        # the driver's own words stay as they are (English, or the server's language): they name the cause
        raise CliError(_("cannot open the database %(db)s: %(why)s") % {"db": db_text(settings.db), "why": first}) from None


# the session summary's row labels (a column as wide as the longest in the terminal's language)
SUMMARY_LABELS = (
    N_("comments received"), N_("delivery"), N_("decisions"), N_("replies posted"), N_("comment→reply"),
    N_("engine per comment"), N_("vs. log labels"), N_("wrong-answer rate"), N_("stored in database"), N_("orders"),
)
# the rows only `eval replay` prints (its column is as wide as the longest of both)
EVAL_LABELS = (N_("accuracy on answerable"), N_("chit-chat answered"), N_("per comment"))
# the per-language table of `eval replay`: (header, column width in English)
LANG_COLUMNS = (
    (N_("language"), 16), (N_("comments"), 8), (N_("answerable"), 10), (N_("right"), 6), (N_("in their language"), 17),
    (N_("wrong"), 6), (N_("to staff"), 8), (N_("silent"), 6),
)
# comment statuses in the database (catalog.schema.COMMENT_STATUSES), as the summary's "stored" line names them
COMMENT_STATUS_WORDS = {
    "received": N_("received"), "answered": N_("answered"), "merged": N_("merged"), "silent": N_("silent"),
    "staff": N_("staff"), "error": N_("error"),
}
# the per-product table: (header, column width in English); a translated header widens its column when longer
SALES_COLUMNS = (
    (N_("product"), 28), (N_("sold"), 5), (N_("start"), 6), (N_("restock"), 8), (N_("other"), 6), (N_("end"), 5),
    (N_("sell-through"), 12), (N_("asked"), 6),
)


def _summary_column(labels: Sequence[str] = SUMMARY_LABELS) -> int:
    """The width of the summary's label column in the terminal's language."""
    return max(width(_(label)) for label in labels) + 2


def _summary_rows(d: dict, row: Callable[[str, str], None], column: int, *, speed: float | None,
                  interval: bool = False) -> None:
    """The rows `livereply demo` and `eval replay` share: decisions, latency, and what the log's labels say
    (``interval``: with the 95 % bootstrap intervals, for a shop checking a log before going live)."""
    lat = d["latency_ms"]
    row(N_("decisions"), _(
        "answered %(answered)d · recommended %(recommended)d · handed to staff %(staff)d · silent %(silent)d · "
        "errors %(errors)d"
    ) % {k: d[k] for k in ("answered", "recommended", "staff", "silent", "errors")})
    row(N_("replies posted"), _(
        "%(sent)d covering %(covered)d comments (%(merged)d merged duplicates, %(cooldown)d skipped by the per-viewer "
        "cooldown)"
    ) % {"sent": d["replies_sent"], "covered": d["comments_covered_by_replies"], "merged": d["merged"],
         "cooldown": d["cooldown"]})
    if speed:
        clock = _("wall clock; replay at %(speed)s×") % {"speed": f"{speed:g}"}
    else:
        clock = _("wall clock; replay as fast as possible, so this includes queueing")
    row(N_("comment→reply"), _(
        "p50 %(p50).0f ms   p99 %(p99).0f ms   (%(clock)s; includes the merge window and rate limit)"
    ) % {"p50": lat["room_p50"], "p99": lat["room_p99"], "clock": clock})
    wall = d.get("wall_seconds") or 0.0
    if wall and d["replies_sent"] / wall > 1.0 and lat["room_p50"] > 2000:
        # a replay faster than life queues replies behind the room's send limit: say so, not "the bot is slow"
        _say(" " * column + _(
            "%(replies)d replies in %(wall).0f s is %(rate).1f/s: the room's send limit (rate_per_s) holds them back, "
            "so this is mostly queueing; the bot's own time is the next line"
        ) % {"replies": d["replies_sent"], "wall": wall, "rate": d["replies_sent"] / wall})
    row(N_("engine per comment"), _(
        "p50 %(p50).1f ms   p99 %(p99).1f ms   (record → embed → match → render)"
    ) % {"p50": lat["engine_p50"], "p99": lat["engine_p99"]})
    acc = d["accuracy"]
    if not acc:
        return
    ci = (acc.get("ci95") or {}) if interval else {}
    row(N_("vs. log labels"), _(
        "%(correct)d/%(answerable)d right (%(accuracy)s), %(wrong)d wrong, %(missed)d missed (silent or staff); "
        "%(loud)d/%(should_be_silent)d answered that should be silent"
    ) % {
        "correct": acc["correct"], "answerable": acc["answerable"], "accuracy": f"{acc['accuracy_on_answerable']:.1%}",
        "wrong": acc["wrong"], "missed": acc["missed"], "loud": acc["answered_when_should_be_silent"],
        "should_be_silent": acc["should_be_silent"],
    })
    if ci.get("accuracy_on_answerable"):
        row(N_("accuracy on answerable"), _(
            "%(accuracy)s   95%% interval %(low)s – %(high)s (how far %(answerable)d answerable comments pin it)"
        ) % {"accuracy": f"{acc['accuracy_on_answerable']:.1%}", "low": f"{ci['accuracy_on_answerable'][0]:.1%}",
             "high": f"{ci['accuracy_on_answerable'][1]:.1%}", "answerable": acc["answerable"]})
    rate = f"{acc['wrong_answer_rate']:.1%}"
    if ci.get("wrong_answer_rate"):
        rate += "   " + _("95%% interval %(low)s – %(high)s") % {
            "low": f"{ci['wrong_answer_rate'][0]:.1%}", "high": f"{ci['wrong_answer_rate'][1]:.1%}"}
    row(N_("wrong-answer rate"), _(
        "%(rate)s   (wrong + answered-when-should-be-silent) / all answers"
    ) % {"rate": rate})
    if interval and acc["should_be_silent"]:
        row(N_("chit-chat answered"), _(
            "%(loud)d of %(should_be_silent)d comments the log marks as needing no answer (should be 0)"
        ) % {"loud": acc["answered_when_should_be_silent"], "should_be_silent": acc["should_be_silent"]})


def _print_report(report, store, *, speed: float | None = None, engine_stats=None) -> None:
    d = report.as_dict()
    column = _summary_column()

    def row(label: str, text: str) -> None:
        _say(ljust(_(label), column) + text)

    _say("")
    _say("══════════ " + _("session summary") + " ══════════")
    row(N_("comments received"), _(
        "%(comments)d   (room events %(events)d, malformed frames %(malformed)d, reconnects %(reconnects)d)"
    ) % {"comments": d["comments"], "events": d["events"], "malformed": d["malformed_frames"], "reconnects": d["reconnects"]})
    if d["shed"] or d["duplicates"] or d["resent"]:
        row(N_("delivery"), _(
            "%(resent)d events re-sent after reconnects, %(duplicates)d duplicates recognised, %(shed)d comments "
            "recorded unanswered (bot behind)"
        ) % {"resent": d["resent"], "duplicates": d["duplicates"], "shed": d["shed"]})
    _summary_rows(d, row, column, speed=speed)
    counts = store.comment_counts()
    stored = " · ".join(f"{_(COMMENT_STATUS_WORDS.get(k, k))} {v}" for k, v in sorted(counts.items()))
    row(N_("stored in database"), _(
        "%(comments)d comments (%(by_status)s; 'answered' includes recommendations), %(replies)d replies"
    ) % {"comments": sum(counts.values()), "by_status": stored, "replies": len(store.replies())})
    if engine_stats is not None and (engine_stats.orders_ok or engine_stats.orders_rejected):
        restocks, corrections = engine_stats.restocks, engine_stats.stock_events - engine_stats.restocks
        row(N_("orders"), _(
            "%(filled)d filled, %(rejected)d rejected (not enough stock), %(restocks)s, %(corrections)s"
        ) % {
            "filled": engine_stats.orders_ok, "rejected": engine_stats.orders_rejected,
            "restocks": ngettext("%(n)d restock", "%(n)d restocks", restocks) % {"n": restocks},
            "corrections": ngettext("%(n)d stock correction", "%(n)d stock corrections", corrections) % {"n": corrections},
        })
    sales = store.sales_summary()
    if sales:
        _say("")
        names = [product_name(sale.name, sale.product_id) for sale in sales]
        widths = [max(columns, width(_(header))) for header, columns in SALES_COLUMNS]
        widths[0] = max(widths[0], *(width(name) for name in names))  # a long English name whole, not cut
        headers = [_(header) for header, _columns in SALES_COLUMNS]
        _say(" ".join([ljust(headers[0], widths[0]), *(rjust(h, w) for h, w in zip(headers[1:], widths[1:], strict=True))]))
        for sale, product in zip(sales, names, strict=True):
            through = f"{sale.sell_through:.0%}" if sale.sell_through is not None else "—"
            cells = (
                str(sale.units_sold), str(sale.stock_start), f"{sale.restocked:+}", f"{sale.other_changes:+}",
                str(sale.stock_now), through, str(sale.questions),
            )
            _say(" ".join([ljust(product, widths[0]), *(rjust(c, w) for c, w in zip(cells, widths[1:], strict=True))]))
        for line in _(
            "(restock = stock raised during the show; other = corrections and catalog loads; asked = comments about the\n"
            " product that were answered, recommended on or handed to staff)"
        ).splitlines():
            _say(line)
    _say(_("wall time %(seconds).1fs") % {"seconds": d["wall_seconds"]})


def product_name(names: Mapping[str, str], product_id: str) -> str:
    """A product as the terminal names it for staff: its name in the CLI language (--ui-lang) when the catalog has one,
    else its default name (Chinese, else English, else any: `catalog.snapshot.pick_text`), else its id — as the
    console names it (bot/console/product_labels.py)."""
    from catalog.snapshot import pick_text

    lang = "zh" if cli_i18n.current() == cli_i18n.CHINESE else "en"
    return pick_text(names, lang).strip() or product_id


def _print_eval_replay(result: dict, *, speed: float | None, db: str | None) -> None:
    """`eval replay`'s report for a person, in the terminal's language: what `livereply demo` ends with (the
    decisions, latency, the log's labels), with the 95 % intervals, a table per language when the log has several, and
    where each comment's decision can be read (``db``: the database the replay wrote to, None for a scratch one)."""
    d = result
    column = _summary_column(SUMMARY_LABELS + EVAL_LABELS)

    def row(label: str, text: str) -> None:
        _say(ljust(_(label), column) + text)

    _say("")
    _say("══════════ " + _("replay evaluation") + " ══════════")
    row(N_("comments received"), _("%(comments)d   (room events %(events)d)") % {
        "comments": d["comments"], "events": d["events"]})
    _summary_rows(d, row, column, speed=speed, interval=True)
    by_lang = {k: v for k, v in ((d.get("accuracy") or {}).get("by_lang") or {}).items() if not k.startswith("_")}
    if len(by_lang) > 1:
        from bot.cli_room_langs import lang_label

        _say("")
        widths = [max(columns, width(_(header))) for header, columns in LANG_COLUMNS]
        headers = [_(header) for header, _columns in LANG_COLUMNS]
        _say(" ".join([ljust(headers[0], widths[0]), *(rjust(h, w) for h, w in zip(headers[1:], widths[1:], strict=True))]))
        for lang, figures in by_lang.items():
            cells = [str(figures[k]) for k in ("comments", "answerable", "right", "right_in_viewer_language", "wrong",
                                                "to_staff", "silent")]
            _say(" ".join([ljust(lang_label(lang), widths[0]),
                           *(rjust(c, w) for c, w in zip(cells, widths[1:], strict=True))]))
    _say("")
    if db is None:
        row(N_("per comment"), _(
            "this replay ran on a scratch database, now removed: with --db sqlite:///FILE every comment's decision "
            "and reason stays in that file (table comment_log; livereply console --db … shows the latest ones on the "
            "Live show page); --json prints all the figures for scripts"
        ))
    else:
        row(N_("per comment"), _(
            "every comment's decision and reason is in %(db)s (table comment_log; livereply console --db … shows the "
            "latest ones on the Live show page); --json prints all the figures for scripts"
        ) % {"db": db})
    _say(_("wall time %(seconds).1fs") % {"seconds": d["wall_seconds"]})


# ---------------------------------------------------------------------------------------------- commands
def cmd_demo(args: argparse.Namespace) -> int:
    from bot.replay import event_line, outcome_line, replay

    settings = _settings(args, log=args.log or Settings().log)
    _check_log(settings.log)
    if not _given(args, "db"):  # the demo resets its database: never a shop's var/livereply.db by default
        settings = settings.with_(db=DEMO_DB, index_dir=settings.index_dir if _given(args, "index_dir") else DEMO_INDEX_DIR)
    # as `run`: the room's language settings kept from the console (the demo's own database) apply unless given
    runtime = _build(settings, fresh_catalog=True, live=True, room=settings.room_name, given=vars(args))
    try:  # the summary scores the log's labels: one this catalog cannot match is said (a shop's own --catalog
        _check_labels(settings.log, runtime)  # with the demo show still runs, its accuracy line meaningless)
    except CliError as exc:
        _say(_item(N_("labels"), _("%(problem)s: the summary's accuracy against the log's labels means nothing for "
                                   "this catalog") % {"problem": exc}))
    runtime.store.reset_session()
    console = None
    if args.console:
        from bot.console.server import PortInUse, start_console_thread

        try:
            console = start_console_thread(runtime.store, settings, runtime=runtime)
            url = f"http://{settings.console_host}:{settings.console_port}"
            _say(_item(N_("console"), f"{url}  ({_console_login(console.admin, console.demo_login)})"))
        except PortInUse as exc:  # the demo still runs
            _say(_item(N_("console"), _("not started: %(address)s is already in use (use --console-port N)")
                       % {"address": exc.address}))
        except (RuntimeError, OSError, ValueError) as exc:
            _say(_item(N_("console"), _("not started: %(error)s (use --console-port N)") % {"error": exc}))
    if settings.speed:
        replaying = _("replaying %(log)s at %(speed)s× over a local websocket (127.0.0.1, a free port)")
    else:  # --speed 0
        replaying = _("replaying %(log)s as fast as possible over a local websocket (127.0.0.1, a free port)")
    _say(_item(N_("room"), replaying % {"log": settings.log, "speed": f"{settings.speed:g}"}))
    _say("")

    def show(o) -> None:
        if settings.transcript:
            _say(outcome_line(o))

    def event(e, what: str) -> None:
        if settings.transcript:
            _say(event_line(what))

    try:
        report = asyncio.run(replay(runtime, settings.log, speed=settings.speed, on_outcome=show, on_event=event))
    finally:
        prefetch_line = _close_prefetcher(runtime)
    _print_report(report, runtime.store, speed=settings.speed, engine_stats=runtime.engine.stats)
    if prefetch_line:
        _say(prefetch_line)
    if settings.db == DEMO_DB:
        _say(_("the demo's data stays in %(db)s (reset by the next demo): livereply console --db %(db)s") % {"db": DEMO_DB})
    if console is not None and args.keep_console:
        _say(_("console still running — Ctrl+C to stop"))
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


def _console_login(admin: Any, hint: str) -> str:
    """The demo's console line after its address: the login made just now, or how to reset the existing one (in the
    database the demo uses: `DemoAdmin.db_flag` names it)."""
    if admin is None:
        return hint
    if admin.created:
        return _("login: %(user)s / %(password)s") % {"user": admin.username, "password": admin.password}
    command = f"livereply staff reset-password {admin.username}{admin.db_flag}"
    said = _("admin `%(user)s` exists — reset with `%(command)s`") % {"user": admin.username, "command": command}
    return f"{said}; {admin.note}" if admin.note else said


# data/platforms/<name>.yaml, bot/adapters/browser.py; fake-console: the local stand-in of `livereply fake-console`
BROWSER_PLATFORMS = ("douyin-web", "taobao-web", "kuaishou-web", "fake-console")
FAKE_CONSOLE_DB = "sqlite:///var/fake-console.db"  # `run --platform fake-console` without --db / LIVEREPLY_DB


# the room URL each websocket platform needs; generic defaults to Settings.room_url, a local `livereply room`
ROOM_URLS = {"twitch": "wss://irc-ws.chat.twitch.tv:443", "bilibili": "wss://broadcastlv.chat.bilibili.com/sub"}


def _run_settings(args: argparse.Namespace) -> Settings:
    """``run``'s settings. The fake console is a try-out: unless a database is named (--db / LIVEREPLY_DB) it gets
    its own, not the shop's var/livereply.db."""
    if args.platform == "fake-console" and not _given(args, "db"):
        return _settings(args, db=FAKE_CONSOLE_DB)
    return _settings(args)


def cmd_run(args: argparse.Namespace) -> int:
    from bot.adapters.generic import RoomClient
    from bot.bootstrap import make_scheduler, service_options
    from bot.replay import event_line, outcome_line
    from bot.service import BotService

    settings = _run_settings(args)
    websocket = args.platform not in ("youtube", *BROWSER_PLATFORMS)
    if websocket:
        if args.platform in ROOM_URLS and not _given(args, "room_url"):  # the generic default is no Twitch/Bilibili room
            needs = {"platform": args.platform, "url": ROOM_URLS[args.platform], "env": f"{ENV_PREFIX}ROOM_URL"}
            if args.platform == "bilibili" and not args.room_id:
                message = _("--platform %(platform)s needs --room %(url)s (or %(env)s) and --room-id N (the live room's number)")
            else:
                message = _("--platform %(platform)s needs --room %(url)s (or %(env)s)")
            raise CliError(message % needs)
        _check_room_url(settings.room_url)
    # every platform's flags and credentials are checked here, before the catalog, the model or the encoder load
    platform_client = _platform_client(args, settings)
    if websocket:
        default = "" if _given(args, "room_url") else _(" (the default: a local `livereply room`)")
        _say(_item(N_("room"), f"{settings.room_url}{default}"))
    moderation = _moderation_line(args, settings, platform_client)
    if moderation:
        _say(moderation)
    _say(_item(N_("console"), _console_hint(args, settings)))
    # the room's language settings kept from the console apply unless given for this start (flag or variable)
    room_key = str(getattr(platform_client, "room", None) or settings.room_name)
    runtime = _build(settings, live=True, room=room_key, given=vars(args))
    service = BotService(
        runtime.engine,
        make_scheduler(settings),
        **service_options(settings),
        setting_sources=runtime.setting_sources,
        on_outcome=(lambda o: _say(outcome_line(o))) if settings.transcript else None,
        on_event=(lambda e, what: _say(event_line(what))) if settings.transcript else None,
    )

    unsent: list = []

    async def main() -> None:
        client: RoomClient | BilibiliRoomClient  # or a Twitch / YouTube / browser client (built by helpers typed Any)
        client = platform_client if platform_client is not None else RoomClient(settings.room_url, room=settings.room_name)
        where = _reach_target(args.platform, client)
        client.reachability.listener = lambda reached: _say(room_reach_line(where, reached, platform=args.platform))
        try:
            await service.run(client)
        finally:
            await client.close()
            unsent.extend(client.unsent)

    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(main())
    finally:
        prefetch_line = _close_prefetcher(runtime)
    if getattr(platform_client, "chat_not_found", False):  # a mistyped --youtube-chat: not "0 comments" alone
        _say(youtube_not_found_line(platform_client.live_chat_id))
    s = service.stats
    browser = args.platform in BROWSER_PLATFORMS
    delivered, received, errors = s.replies_sent - len(unsent), s.received, s.errors
    said = _(
        "received %(received)d comments; %(delivered)d replies delivered to the room, %(undelivered)d not delivered "
        "(room gone); errors %(errors)d"
    ) % {"received": received, "delivered": delivered, "undelivered": len(unsent), "errors": errors}
    if browser:  # a shop console: the line says 中控台, as the platform's own lines do
        said = _zh_en(f"收到 {received} 条评论,{delivered} 条回复已发到中控台,{len(unsent)} 条未发出;出错 {errors} 次", said)
    _say(said + (_("; ") + prefetch_line if prefetch_line else ""))
    duplicates = runtime.engine.stats.duplicates
    if duplicates:  # dropped by design (a comment is answered once); say so instead of a silent "0 replies"
        room = getattr(platform_client, "room", None) or settings.room_name
        _say(duplicates_line(duplicates, str(room), platform=platform_client is not None))
    if s.room_error:
        gave_up = _("the room connection gave up: %(error)s") % {"error": s.room_error}
        raise CliError(_zh_en("中控台连接已停止", gave_up, alone=f"中控台连接已停止:{s.room_error}") if browser else gave_up)
    return 0


def youtube_not_found_line(chat: str) -> str:
    """`run`'s line, in the terminal's language, when YouTube's first answer is that the live chat does not exist."""
    return _item("youtube", _(
        "YouTube has no live chat %(chat)s (HTTP 404): check --youtube-chat, the broadcast's liveChatId (not the video id)"
    ) % {"chat": chat})


def _reach_target(platform: str, client: Any) -> str:
    """What the unreachable-room line names: the URL the client connects to (YouTube: its API; Bilibili: the room id
    too, the likeliest typo)."""
    if platform == "youtube":
        return str(client.base_url)
    if platform == "bilibili":
        return f"{client.room_id} ({client.url})"
    return str(client.url)


def room_reach_line(where: str, reached: bool, *, platform: str = "generic") -> str:
    """`run`'s one line, in the terminal's language, when the room (Twitch chat, Bilibili room, YouTube, a shop
    console page) cannot be reached — once per run of failures, the English reconnect warnings of the log go on at
    most once a minute — and when it answers again. ``where``: the URL (Bilibili: "room id (URL)")."""
    if platform in BROWSER_PLATFORMS:  # the page is opened once: a console that does not open stops the run
        return f"• {platform:10} " + _zh_en(
            f"打不开中控台页面 {where}:请检查网络和 --room 地址;机器人将停止",
            f"cannot open the console page {where}: check the network and --room; the bot stops",
        )
    label = platform if platform in ("twitch", "bilibili", "youtube") else N_("room")
    if reached:
        return _item(label, _("connected to %(url)s: the bot is answering") % {"url": where})
    if platform == "twitch":
        lost = _("cannot reach Twitch chat at %(url)s yet: check the network and --room (wss://irc-ws.chat.twitch.tv:443).")
    elif platform == "bilibili":
        lost = _("cannot enter Bilibili room %(url)s yet: check --room-id, the network and --room "
                 "(wss://broadcastlv.chat.bilibili.com/sub).")
    elif platform == "youtube":
        lost = _("cannot reach YouTube at %(url)s yet: check the network. The bot tries a few more times, then stops.")
        return _item(label, lost % {"url": where})
    else:
        lost = _("cannot reach %(url)s yet: is the room running (e.g. `livereply room`)?")
    return _item(label, _(
        "%(problem)s The bot keeps retrying in the background and starts answering once it connects (Ctrl+C to stop)"
    ) % {"problem": lost % {"url": where}})


def _console_hint(args: argparse.Namespace, settings: Settings) -> str:
    """`run`'s start line about the staff console (review queue, stock, pause): it is its own command, started in
    another terminal on the same database; the command to type and the address to open. The database is named when
    `console` would not find it by itself (a --db flag, or the fake console's own database)."""
    command = "livereply console"
    if settings.db != Settings.load({}).db:
        command += f" --db {db_text(settings.db)}"
    url = f"http://{settings.console_host}:{settings.console_port}"
    return _("in another terminal run `%(command)s`, then open %(url)s (review queue, stock, pausing replies)") % {
        "command": command, "url": url}


def duplicates_line(duplicates: int, room: str, *, platform: bool) -> str:
    """The end-of-run line about comments dropped as already recorded, for ``room`` (the client's: a browser console
    records under its platform's name, not --room-name). Replaying a log (`livereply room`), the same ids again mean
    the same log again; a live platform re-shows the comments already on its page or in its history after a restart."""
    why = (
        _("(comments the platform showed again after a restart, already decided)")
        if platform
        else _("Replaying the same log again? give it a new room: --room-name NAME")
    )
    return _(
        "%(n)d of them skipped: already recorded in this database for room %(room)s (same comment ids), so not "
        "answered again. %(why)s"
    ) % {"n": duplicates, "room": repr(room), "why": why}


def _platform_client(args: argparse.Namespace, settings: Settings) -> Any:
    """The room client of --platform (None: the generic protocol, connected inside the event loop), with its
    progress line; a missing flag or credential is a CliError here, before anything loads."""
    if args.platform == "bilibili":
        bili = _bilibili_client(args, settings)
        if not args.bili_post:
            _say(_item("bilibili", _("reading only: replies are recorded, not posted (add --bili-post and credentials to post)")))
        else:
            _say(_item("bilibili", _(
                "posting as the logged-in account, ≤ %(chars)d characters, ≤ 1 message/s"
            ) % {"chars": args.bili_max_len}))
        return bili
    if args.platform == "youtube":
        youtube = _youtube_client(args, settings)
        _say(_item("youtube", _("live chat %(chat)s, daily quota %(quota)d units") % {
            "chat": args.youtube_chat, "quota": args.youtube_daily_quota,
        }))
        return youtube
    if args.platform == "twitch":
        twitch = _twitch_client(args, settings)
        rate = twitch.rate
        _say(_item("twitch", ngettext(
            "#%(channel)s as %(nick)s, at most %(n)d message per %(seconds)s s",
            "#%(channel)s as %(nick)s, at most %(n)d messages per %(seconds)s s",
            rate.messages,
        ) % {"channel": twitch.channel, "nick": twitch.nick, "n": rate.messages, "seconds": f"{rate.per_s:g}"}))
        return twitch
    if args.platform in BROWSER_PLATFORMS:
        browser = _browser_client(args)
        rate = browser.rate
        _say(f"• {browser.config.name:10} " + _zh_en(
            f"读取并回复 {browser.config.title} 的评论:{browser.url}(资料目录 {browser.profile_dir}),每条 ≤ "
            f"{browser.config.max_len} 字,每 {rate.per_s:g} 秒最多 {rate.messages} 条",
            f"reading and posting (profile {browser.profile_dir}), ≤ {browser.config.max_len} characters, at most "
            f"{rate.messages} message{'s' if rate.messages != 1 else ''} per {rate.per_s:g} s",
        ))
        return browser
    return None


def _bilibili_client(args: argparse.Namespace, settings: Settings) -> BilibiliRoomClient:
    """--platform bilibili: the danmaku websocket of --room-id; with --bili-post, replies (and moderation=timeout)
    through the logged-in HTTP API, credentials from the environment or --credentials FILE."""
    from bot.adapters.bilibili import BilibiliRoomClient

    if not args.room_id:
        raise CliError(_("--platform bilibili needs --room-id N (the live room's number, live.bilibili.com/N)"))
    poster = _bilibili_poster(args, moderates=settings.moderation_action == "timeout") if args.bili_post else None
    try:
        return BilibiliRoomClient(settings.room_url, args.room_id, room=settings.room_name, post_reply=poster)
    except ValueError as exc:
        raise CliError(_("Bilibili: %(error)s") % {"error": exc}) from None


def _moderation_line(args: argparse.Namespace, settings: Settings, client: Any) -> str:
    """What --moderation-action will and will not do on this platform, said once at start ('' when off): a platform
    that cannot carry it out would otherwise only say so per flagged comment, in the log."""
    action = settings.moderation_action
    if action == "off":
        return ""
    seconds = settings.moderation_timeout_s
    if action == "delete":
        does = _("flagged comments are deleted")
    else:
        does = _("senders of flagged comments are timed out %(seconds)d s") % {"seconds": seconds}
    kept = _("flagged comments are still never answered and are marked in the comment log, but stay in the room")

    def line(text: str) -> str:
        return "• " + _("moderation %(action)s: %(text)s") % {"action": action, "text": text}

    if client is None:  # the generic protocol: the room says in its hello whether it moderates
        return line(_(
            "%(does)s when the room announces the `moderate` feature in its hello; a room without it only records them "
            "(docs/protocol.md)"
        ) % {"does": does})
    from bot.service import _moderation_support  # what the live loop will let through, asked the same way

    allowed, _reasons = _moderation_support(client)
    platform = args.platform
    if action in allowed:
        if platform == "bilibili":
            hours = max(1, -(-seconds // 3600))
            return line(_(
                "senders of flagged comments are muted (禁言) for %(hours)d h (Bilibili counts whole hours) through the "
                "logged-in account, which must be the streamer or a room admin (房管); a danmaku that arrives without the "
                "sender's uid (this connection is anonymous) cannot be muted: the comment records why"
            ) % {"hours": hours})
        how = {
            "twitch": _("through Twitch Helix as the moderator account"),
            "youtube": _("through the Data API (each call is paid from the quota; the token's channel must moderate the chat)"),
        }.get(platform) or _("on %(platform)s") % {"platform": platform}
        return line(_("%(does)s %(how)s") % {"does": does, "how": how})
    if platform == "bilibili" and not args.bili_post:
        why = _("Bilibili reading only: moderating needs --bili-post and the credentials of the streamer or a room admin")
    elif platform == "bilibili":
        why = _("Bilibili offers no call to delete a viewer's danmaku; --moderation-action timeout mutes (禁言) the sender")
    else:
        why = _("%(platform)s has no moderation in LiveReply (docs/platforms.md)") % {"platform": platform}
    if platform in BROWSER_PLATFORMS:
        return "• " + _("moderation %(action)s") % {"action": action} + " " + _zh_en(
            "不会执行:浏览器中控台暂不支持删评或禁言,被标记的评论仍不会回复,并记在评论记录里",
            f"will NOT happen: {why}; {kept}",
        )
    return "• " + _("moderation %(action)s will NOT happen: %(why)s; %(kept)s") % {"action": action, "why": why, "kept": kept}


def _browser_client(args: argparse.Namespace) -> Any:
    """--platform douyin-web|taobao-web|kuaishou-web: the console page in a logged-in Chromium profile."""
    from bot.adapters.browser import (
        BrowserError,
        BrowserRoomClient,
        chromium_problem,
        has_display,
        load_platform,
        logged_in_platforms,
    )

    try:
        config = load_platform(args.platform)
    except BrowserError as exc:
        raise CliError(str(exc)) from exc
    if not args.profile and not config.requires_login:  # the fake console: any profile will do
        args.profile = str(Path("var") / "profiles" / config.name)
    if not args.profile:
        raise CliError(_zh_en(
            f"--platform {args.platform} 需要 --profile 目录(先登录一次:livereply login --platform {args.platform} "
            "--profile 目录)",
            f"--platform {args.platform} needs --profile DIR (log in once: livereply login --platform {args.platform} "
            "--profile DIR)",
            sep="/ ",
        ))
    # a new or mistyped directory would start an empty Chromium profile on the console's login page, headless
    command = f"livereply login --platform {args.platform} --profile {args.profile}"
    login_first = f"run `{command}` first (scan the QR code once)"
    if config.requires_login and not Path(args.profile).is_dir():
        raise CliError(_zh_en(
            f"浏览器资料目录 {args.profile} 不存在:请先运行 `{command}` 扫码登录",
            f"browser profile {args.profile} does not exist: {login_first}",
        ))
    if config.requires_login and args.platform not in logged_in_platforms(args.profile):
        raise CliError(_zh_en(
            f"浏览器资料目录 {args.profile} 尚未登录 {config.title}:请先运行 `{command}` 扫码登录",
            f"browser profile {args.profile} was never logged in to {config.title}: {login_first}",
        ))
    if problem := chromium_problem(args.chromium):
        raise CliError(problem)
    if not args.headless and not has_display():  # else Chromium dies at launch, read as "profile in use?"
        raise CliError(_zh_en(
            "--headed 需要图形界面,当前会话没有(未设置 DISPLAY):去掉 --headed 在后台运行(回复照样发到中控台),或在"
            "桌面电脑上运行",
            "--headed needs a display and this session has none (DISPLAY is not set): leave out --headed to run "
            "without a window (replies are posted all the same), or run it on a desktop",
        ))
    return BrowserRoomClient(
        config,
        profile_dir=args.profile,
        url=args.room_url or None,
        room=args.room_name or config.name,
        headless=args.headless,
        executable_path=args.chromium,
    )


def cmd_login(args: argparse.Namespace) -> int:
    """Open a headed Chromium window with the profile on the console's login page (scan the QR code once)."""
    from bot.adapters.browser import BrowserError, LoginOutcome, chromium_problem, load_platform, login, mark_logged_in

    try:
        config = load_platform(args.platform)
        if problem := chromium_problem(args.chromium):
            raise BrowserError(problem)
        outcome = asyncio.run(
            login(config, args.profile, executable_path=args.chromium, timeout_s=args.timeout, say=_say)
        )
    except BrowserError as exc:
        raise CliError(str(exc)) from exc
    if outcome is LoginOutcome.CLOSED:  # the window was closed before the console showed: nothing is marked
        raise CliError(_zh_en(
            f"登录未完成:窗口在 {config.title} 页面出现之前被关闭,资料目录未标记为已登录;请重新运行 livereply login",
            f"login not completed: the window was closed before the console showed; profile {args.profile} was not "
            "marked as logged in: run the command again",
        ))
    if not outcome.completed:
        raise CliError(_zh_en(
            f"登录未完成:{args.timeout:g} 秒内未登录,资料目录未标记为已登录;请重新运行 livereply login",
            f"not logged in within {args.timeout:g} s; profile {args.profile} was not marked as logged in: run the "
            "command again",
        ))
    mark_logged_in(args.profile, args.platform)  # `livereply run` checks for it
    if outcome is LoginOutcome.TRUSTED:
        _say(_zh_en(
            f"{config.name} 的平台文件没有 logged_in 选择器,无法核实登录:按窗口已关闭视为登录完成",
            "the platform file has no logged_in selector: the closed window is taken as logged in (not verified)",
        ))
    _say(
        _zh_en(f"资料目录 {args.profile} 已就绪,开播后运行", f"profile {args.profile} is ready")
        + f": livereply run --platform {args.platform} --profile {args.profile}"
    )
    return 0


def cmd_fake_console(args: argparse.Namespace) -> int:
    """Serve the tests' fake console page (bot/adapters/fake_console.py) until Ctrl+C, printing each reply posted."""
    from bot.adapters.browser import has_display
    from bot.adapters.fake_console import DEFAULT_PORT, FakeConsole

    try:
        console = FakeConsole(args.host, args.port, on_sent=lambda text: _say(f"[{_zh_en('回复', 'reply')}] {text}"))
    except OSError as exc:
        why = exc.strerror or exc
        cannot = f"cannot listen on {args.host}:{args.port}: {why}"
        # the OS's reason is English: a Chinese terminal gets it only when it is not the usual one, a port in use
        taken = exc.errno == errno.EADDRINUSE
        alone = f"端口 {args.port} 已被占用,请换一个 --port" if taken else f"端口 {args.port} 无法使用:{why}"
        raise CliError(_zh_en(f"端口 {args.port} 无法使用", cannot, alone=alone)) from None
    with console:
        room = "" if args.port == DEFAULT_PORT else f" --room {console.url}/console?demo=1"
        started = _zh_en("模拟中控台已启动(不是真实平台)", "fake console (not a real platform)", sep="/ ")
        _say(f"{started}: {console.url}/console?demo=1")
        _say(
            _zh_en("另开一个终端运行", "in another terminal run") + ": livereply run --platform fake-console "
            f"--profile var/profiles/fake-console{' --headed' if has_display() else ''}{room}"
        )
        _say(_zh_en("机器人发出的回复会显示在这里;按 Ctrl+C 停止", "replies the bot posts are shown here; Ctrl+C to stop"))
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
    return 0


def _bilibili_poster(args: argparse.Namespace, *, moderates: bool = False) -> Any:
    """--bili-post: Bilibili's send API with SESSDATA + bili_jct from the environment or --credentials FILE."""
    from bot.adapters.bilibili_send import bilibili_poster
    from bot.adapters.credentials import CredentialError

    try:
        return bilibili_poster(args.room_id, credentials_file=args.credentials, max_len=args.bili_max_len, moderates=moderates)
    except CredentialError as exc:
        raise CliError(
            _("%(error)s (LIVEREPLY_BILI_SESSDATA and LIVEREPLY_BILI_JCT, or --credentials FILE)") % {"error": error_text(exc)}
        ) from None


def _youtube_client(args: argparse.Namespace, settings: Settings) -> Any:
    """--platform youtube: the Data API live chat (token from LIVEREPLY_YOUTUBE_TOKEN or --credentials FILE)."""
    from bot.adapters.credentials import CredentialError
    from bot.adapters.youtube import YouTubeLiveChat

    if not args.youtube_chat:
        raise CliError(_("--platform youtube needs --youtube-chat LIVE_CHAT_ID"))
    try:
        return YouTubeLiveChat(
            args.youtube_chat, token_file=args.credentials, daily_quota=args.youtube_daily_quota, room=settings.room_name,
            skip_backlog=args.youtube_skip_backlog, own_channel_id=args.youtube_own_channel,
            moderate=settings.moderation_action != "off",
        )
    except CredentialError as exc:
        raise CliError(_("YouTube: %(error)s") % {"error": error_text(exc)}) from None
    except ValueError as exc:
        raise CliError(_("YouTube: %(error)s") % {"error": exc}) from None


def _twitch_client(args: argparse.Namespace, settings: Settings) -> Any:
    """--platform twitch: channel, nick, and the OAuth token from LIVEREPLY_TWITCH_TOKEN or --credentials FILE (a
    private file: refused when group/world accessible)."""
    from bot.adapters.credentials import CredentialError, load_credentials
    from bot.adapters.twitch import TwitchRoomClient

    if not args.twitch_channel or not args.twitch_nick:
        raise CliError(_("--platform twitch needs --twitch-channel and --twitch-nick (the bot's Twitch login)"))
    try:
        token = load_credentials({"token": "LIVEREPLY_TWITCH_TOKEN"}, args.credentials, what=N_("Twitch OAuth token"))["token"]
    except CredentialError as exc:
        raise CliError(
            _("%(error)s (a user access token with the chat:read and chat:edit scopes)") % {"error": error_text(exc)}
        ) from None
    moderation = None
    if settings.moderation_action != "off":
        from bot.adapters.twitch_helix import TwitchModeration

        ids = (args.twitch_client_id, args.twitch_broadcaster_id, args.twitch_moderator_id)
        if not all(ids):
            raise CliError(_(
                "--moderation-action %(action)s on Twitch needs --twitch-client-id, --twitch-broadcaster-id and "
                "--twitch-moderator-id (Helix calls; IRC no longer carries /timeout)"
            ) % {"action": settings.moderation_action})
        # LIVEREPLY_TWITCH_MOD_TOKEN if given (scopes moderator:manage:chat_messages, moderator:manage:banned_users),
        # else the chat token, which then needs those scopes too
        try:
            mod_token = load_credentials(
                {"token": "LIVEREPLY_TWITCH_MOD_TOKEN"}, args.credentials, what=N_("Twitch moderator token")
            )
        except CredentialError:
            mod_token = {"token": token}
        try:
            moderation = TwitchModeration(
                client_id=args.twitch_client_id, token=mod_token["token"], broadcaster_id=args.twitch_broadcaster_id,
                moderator_id=args.twitch_moderator_id, base_url=args.twitch_helix_url,
            )
        except ValueError as exc:
            raise CliError(_("Twitch moderation: %(error)s") % {"error": exc}) from None
    try:
        return TwitchRoomClient(
            settings.room_url,
            args.twitch_channel,
            nick=args.twitch_nick,
            token=token,
            room=settings.room_name,
            moderator=args.twitch_moderator,
            moderation=moderation,
        )
    except ValueError as exc:
        raise CliError(str(exc)) from None


def _check_redis_url(url: str) -> str:
    """A Redis URL the client can open, checked before anything starts; its address (no password) for messages."""
    import re

    try:
        from bot.scale.gateway import check_redis_url
    except ModuleNotFoundError as exc:
        raise CliError(
            _("scale-out needs the Redis client (%(module)s is missing): pip install 'livereply[scale]'") % {"module": exc.name}
        ) from None
    try:
        return check_redis_url(url)
    except ValueError as exc:
        shown = re.sub(r":[^:@/]*@", ":***@", url)  # a malformed URL may still hold a password
        raise CliError(_("--redis %(url)s: %(error)s") % {"url": shown, "error": exc}) from None


def cmd_gateway(args: argparse.Namespace) -> int:
    """Scale-out: rooms ↔ Redis Streams, one or many per process (docs/scale.md)."""
    from bot.adapters.generic import RoomClient
    from bot.scale.gateway import gateway_rate, serve_gateways
    from bot.scale.streams import check_max_reply_age_s, room_of

    urls, prefixes, names = args.room_url, args.stream_prefix, args.room_name or []
    try:  # it bounds how long the posted marks live: an unbounded one could post a reply twice (docs/scale.md)
        check_max_reply_age_s(args.max_reply_age_s)
    except ValueError as exc:
        raise CliError(_("--max-reply-age-s: %(error)s") % {"error": exc}) from None
    if len(urls) != len(prefixes):
        raise CliError(
            _("give one --stream-prefix per --room (%(rooms)d rooms, %(prefixes)d prefixes)")
            % {"rooms": len(urls), "prefixes": len(prefixes)}
        )
    if names and len(names) != len(urls):
        raise CliError(
            _("give --room-name for every --room or for none (%(rooms)d rooms, %(names)d names)")
            % {"rooms": len(urls), "names": len(names)}
        )
    if args.spool and len(urls) > 1:
        raise CliError(_("--spool names one room's spool file; with several rooms use --spool-dir"))
    for url in urls:
        _check_room_url(url)
    address = _check_redis_url(args.redis)
    try:  # the posting limit: --rate-per-s / --burst, else LIVEREPLY_RATE_PER_S / LIVEREPLY_BURST, else the bot's
        settings = Settings.load({"rate_per_s": args.rate_per_s, "burst": args.burst})
    except ValueError as exc:
        raise CliError(_setting_error(exc)) from exc
    rate = gateway_rate(settings.rate_per_s, settings.burst)
    rooms = []
    for i, (url, prefix) in enumerate(zip(urls, prefixes, strict=True)):
        room = names[i] if names else room_of(prefix)
        spool = args.spool or str(Path(args.spool_dir) / f"gateway-{room}.spool.jsonl")
        _say(_item(N_("gateway"), _("%(url)s ↔ %(redis)s %(prefix)s:in/out (spool %(spool)s)") % {
            "url": url, "redis": address, "prefix": prefix, "spool": spool,
        }))
        rooms.append((room, url, prefix, spool))
    if rate:
        limit = _("at most %(n)d per %(seconds)s s per room") % {"n": rate.messages, "seconds": f"{rate.per_s:g}"}
    else:
        limit = _("no rate limit per room")
    _say(_item(N_("posting"), _("%(limit)s; replies older than %(age)s s are dropped, not posted") % {
        "limit": limit, "age": f"{args.max_reply_age_s:g}",
    }))

    async def main():
        return await serve_gateways(
            [(RoomClient(url, room=room), prefix, spool) for room, url, prefix, spool in rooms], args.redis,
            maxlen=args.maxlen, rate=rate, consumer=args.consumer, stop_at_end=not args.keep_running,
            max_reply_age_s=args.max_reply_age_s,
        )

    for (room, *_rest), stats in zip(rooms, asyncio.run(main()), strict=True):
        _say(gateway_line(room, stats))
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """Scale-out: the live loop on Redis Streams, PostgreSQL shared (docs/scale.md)."""
    import socket

    from bot.bootstrap import make_scheduler, service_options
    from bot.replay import event_line, outcome_line
    from bot.scale.gateway import redis_for_rooms
    from bot.scale.worker import build_worker_rooms, serve_worker

    address = _check_redis_url(args.redis)  # before the model loads
    settings = _settings(args)
    runtime = _build(settings, live=None)
    consumer = args.consumer or f"{socket.gethostname()}-{os.getpid()}"
    _say(_item(N_("worker"), _("%(consumer)s: %(prefixes)s on %(redis)s") % {
        "consumer": consumer, "prefixes": ", ".join(args.stream_prefix), "redis": address,
    }))
    options: dict[str, Any] = dict(service_options(settings))
    if settings.transcript:  # like `run`; with several rooms each line starts with its room
        several = len(args.stream_prefix) > 1

        def line(room: str, text: str) -> None:
            _say(f"{room}: {text}" if several else text)

        options["on_outcome"] = lambda o: line(o.comment.room, outcome_line(o))
        options["on_event"] = lambda e, what: line(getattr(e, "room", ""), event_line(what))

    async def main():
        redis = redis_for_rooms(args.redis, len(args.stream_prefix))
        rooms = build_worker_rooms(
            runtime, lambda: make_scheduler(settings), options, args.stream_prefix, redis,
            consumer=consumer, claim_idle_s=args.claim_idle_s, spool_dir=args.spool_dir,
        )
        return await serve_worker(rooms, redis)

    for prefix, s in zip(args.stream_prefix, asyncio.run(main()), strict=True):
        _say(worker_line(consumer, prefix, s))
    return 0


def gateway_line(room: str, stats: GatewayStats) -> str:
    """A gateway's closing line for ``room`` (`bot.scale.gateway.GatewayStats`)."""
    return _(
        "gateway %(room)s: %(received)d events from the room (%(streamed)d straight to Redis, %(spooled)d through the "
        "spool, %(drained)d of them written later, at most %(lag).1f s late); %(posted)d replies posted (%(partly)d "
        "to only part of their comments); not posted: %(stale)d too old, %(already)d already answered, %(bad)d "
        "unreadable; Redis errors %(redis_errors)d"
    ) % {
        "room": room, "received": stats.received, "streamed": stats.streamed, "spooled": stats.spooled,
        "drained": stats.drained, "lag": stats.max_lag_s, "posted": stats.replies_posted, "stale": stats.stale_replies,
        "already": stats.already_posted, "partly": stats.partly_posted, "bad": stats.bad_replies,
        "redis_errors": stats.redis_errors,
    }


def worker_line(consumer: str, prefix: str, stats: SessionStats) -> str:
    """A worker's closing line for one room's stream ``prefix`` (`bot.service.SessionStats` of that room's loop)."""
    return _(
        "worker %(consumer)s %(prefix)s: received %(received)d, replies %(replies)d, recovered %(recovered)d, "
        "errors %(errors)d"
    ) % {
        "consumer": consumer, "prefix": prefix, "received": stats.received, "replies": stats.replies_sent,
        "recovered": stats.recovered, "errors": stats.errors,
    }


def cmd_room(args: argparse.Namespace) -> int:
    from bot.room import LocalRoom, LogFileError

    _check_log(args.log)  # read the whole log first: a bad line or an empty log is one clear error
    try:
        LocalRoom(args.log, speed=args.speed)
    except LogFileError as exc:
        raise CliError(error_text(exc)) from None
    except ValueError as exc:
        raise CliError(str(exc)) from None

    async def main() -> None:
        room = LocalRoom(args.log, speed=args.speed, host=args.host, port=args.port, drain_s=args.drain)
        await room.start()
        _say(_("room listening on %(url)s, replaying %(log)s at %(speed)s×") % {
            "url": room.url, "log": args.log, "speed": f"{args.speed:g}",
        })
        await room.wait_finished()
        _say(_("room finished: %(n)d replies received") % {"n": len(room.replies)})
        await room.stop()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
    return 0


def cmd_catalog(args: argparse.Namespace) -> int:
    from bot.errors import InputFileError
    from catalog.io import CatalogFileError, export_catalog
    from catalog.wordfilter import WordFilterError

    settings = _settings(args)
    if args.action == "import":
        _require_file(args.file, N_("catalog file"), "FILE")
    elif args.merge or args.stock_from_file:
        raise CliError("--merge / --stock-from-file 只用于 import (only go with `catalog import`)")
    _refuse_csv(args.action, args.file)
    if args.action == "export" and _sqlite_file_missing(settings.db):  # not created just to export nothing
        raise CliError(_("the database %(db)s does not exist yet: no catalog to export, %(file)s left as it was")
                       % {"db": db_text(settings.db), "file": args.file} + _demo_catalog_hint(settings))
    created = args.action == "import" and _sqlite_file_missing(settings.db)  # said: the user may have meant another
    store = _open_store(settings)
    try:
        if args.action == "import":
            from bot.bootstrap import word_filter_for
            from bot.catalog_import import import_catalog_checked

            result = import_catalog_checked(
                store, args.file, replace=not args.merge, word_filter=word_filter_for(settings, store),
                keep_stock=not args.stock_from_file,
            )
            snap = store.snapshot()
            if args.merge:
                imported = _("imported %(file)s into %(db)s: %(products)d products, %(faqs)d FAQs, merged (catalog "
                             "v%(version)s)")
            else:
                imported = _("imported %(file)s into %(db)s: %(products)d products, %(faqs)d FAQs (catalog v%(version)s)")
            new_db = (_(" — a new database, created now") + _demo_catalog_hint(settings)) if created else ""
            _say(imported % {
                "file": args.file, "db": db_text(settings.db), "products": len(snap.products), "faqs": len(snap.faqs),
                "version": snap.version,
            } + new_db)
            for line in stock_report_lines(result):
                _say(line)
            for line in product_faq_lines(snap.faqs.values()):
                _say(line)
        else:
            snap = store.snapshot()
            if not snap.products and not snap.faqs:  # an empty file over the staff's own (or data/catalog.yaml)
                raise CliError(_("the database %(db)s has no products or FAQs: nothing to export, %(file)s left as it "
                                 "was") % {"db": db_text(settings.db), "file": args.file} + _demo_catalog_hint(settings))
            export_catalog(store, args.file)
            _say(_("exported catalog to %(file)s: %(products)d products, %(faqs)d FAQs") % {
                "file": args.file, "products": len(snap.products), "faqs": len(snap.faqs)})
    except (CatalogFileError, WordFilterError, InputFileError) as exc:
        raise CliError(error_text(exc)) from exc
    finally:
        store.close()
    return 0


def product_faq_lines(faqs: Any) -> list[str]:
    """The import's warning on FAQs of no product whose answer uses product details ({product}, {price} …): imported
    (with a product on stage they work), and said, since they are handed to staff while nothing is on stage."""
    from bot.console.faq_warnings import faqs_needing_a_product

    found = faqs_needing_a_product(faqs)
    if not found:
        return []
    return [
        ngettext(
            "warning: %(num)d FAQ belongs to no product but its answer uses product details ({product}, {price} …); "
            "when the comment names no product and nothing is on stage it is handed to staff, not answered:",
            "warning: %(num)d FAQs belong to no product but their answers use product details ({product}, {price} …); "
            "when the comment names no product and nothing is on stage they are handed to staff, not answered:",
            len(found),
        ) % {"num": len(found)},
        "  " + ", ".join(fid for fid, _names in found),
    ]


def _sqlite_file_missing(url: str) -> bool:
    """A SQLite database file that does not exist yet (opening it would create it)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return False
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        return False
    return not Path(database).expanduser().exists()


def _demo_catalog_hint(settings: Settings) -> str:
    """Where the demo's catalog is, when the command read another database and the demo's exists."""
    if settings.db == DEMO_DB or not Path(DEMO_DB.removeprefix("sqlite:///")).exists():
        return ""
    return _(" (the demo's catalog is in %(demo)s: add --db %(demo)s)") % {"demo": DEMO_DB}


def _refuse_csv(action: str, file: str) -> None:
    """`catalog import` / `export` take the YAML catalog only. The console's stock CSV given to import was read as
    YAML ("catalog file must be a mapping (key: value), not a single value"), and export wrote YAML into a .csv."""
    if Path(file).suffix.lower() != ".csv":
        return
    if action == "import":
        raise CliError(_(
            "%(file)s is a CSV file: `catalog import` reads a YAML catalog (docs/catalog-format.md); a stock CSV "
            "(sku, stock) is imported on the staff console's Import / export page"
        ) % {"file": file})
    raise CliError(_(
        "`catalog export` writes a YAML catalog: name the file .yaml, not %(file)s; the products-and-stock CSV is "
        "exported on the staff console's Import / export page"
    ) % {"file": file})


STOCK_LINES_SHOWN = 20  # variants listed one per line after an import; the rest are counted


def stock_report_lines(result: CatalogImport) -> list[str]:
    """What `catalog import` says about the variants whose live stock differed from the file's
    (`catalog.io.CatalogImport`): kept (the default) or overwritten (--stock-from-file), one variant per line."""
    diffs = result.stock_differences
    if not diffs:
        return []
    n = len(diffs)
    plural = "s" if n > 1 else ""
    if result.keep_stock:  # Chinese-first in both languages; a Chinese terminal gets the Chinese alone (_zh_en)
        lines = [_zh_en(
            f"保留了 {n} 个规格的实时库存，没有用文件里的库存", f"(kept the live stock of {n} variant{plural}, not the file's):",
            sep=" ", alone=f"保留了 {n} 个规格的实时库存，没有用文件里的库存：",
        )]
        lines += [
            f"  {d.sku} {d.live}" + _zh_en(" (文件", f"file: {d.file})", sep=" ", alone=f"（文件：{d.file}）")
            for d in diffs[:STOCK_LINES_SHOWN]
        ]
    else:
        lines = [_zh_en(
            f"按文件改了 {n} 个规格的库存", f"(set the stock of {n} variant{plural} from the file):",
            sep=" ", alone=f"按文件改了 {n} 个规格的库存：",
        )]
        lines += [f"  {d.sku} {d.live} → {d.file}" for d in diffs[:STOCK_LINES_SHOWN]]
    if n > STOCK_LINES_SHOWN:
        more = n - STOCK_LINES_SHOWN
        lines.append("  " + _zh_en(f"… 还有 {more} 个", f"(and {more} more)", sep=" "))
    if result.keep_stock:
        lines.append("  " + _zh_en(
            "要用文件里的库存，加 --stock-from-file", "(use --stock-from-file to take the file's stock)", sep=" "
        ))
    return lines


def _emit(result: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for line in _report_lines(result):
            _say(line)


def _report_lines(result: dict, indent: int = 0) -> list[str]:
    """An evaluation's report for a terminal: one value per line, nested sections indented under their name
    (``accuracy`` / ``correct  258``) instead of a Python dict on one line; short lists of numbers stay inline."""
    lines: list[str] = []
    pad = "  " * indent
    for k, v in result.items():
        if isinstance(v, dict) and v:
            lines.append(f"{pad}{k}")
            lines.extend(_report_lines(v, indent + 1))
        elif isinstance(v, (list, tuple)) and v and all(isinstance(x, dict) for x in v):  # records (a tuple too)
            lines.append(f"{pad}{k}")
            for i, item in enumerate(v, 1):
                lines.append(f"{pad}  [{i}]")
                lines.extend(_report_lines(item, indent + 2))
        else:
            shown = f"{v:g}" if isinstance(v, float) else v
            lines.append(f"{pad}{k:{max(28 - len(pad), 1)}} {shown}")
    return lines


def cmd_eval(args: argparse.Namespace) -> int:
    from bot import eval as ev

    needs = {
        "matching": ("faq", "queries"), "pairs": ("dev",), "intents": ("train",), "silence": ("stream",), "catalog": ("train",),
    }
    for name in needs.get(args.kind, ()):
        value = getattr(args, name)
        if not value:
            raise CliError(_("eval %(kind)s needs --%(name)s FILE") % {"kind": args.kind, "name": name})
        _require_file(value, _("--%(name)s file") % {"name": name}, f"--{name}")
    loaded = _settings(args)  # --threads / --model, else LIVEREPLY_THREADS / LIVEREPLY_MODEL (a bad value is one line)
    threads, model = loaded.threads, loaded.model
    if args.kind == "matching":
        result = ev.eval_matching(args.faq, args.queries, model=model, threads=threads, method=args.method)
    elif args.kind == "pairs":
        result = ev.eval_pairs(args.dev, args.test, model=model, threads=threads)
    elif args.kind == "intents":
        from bot.eval_intents import eval_intents

        result = eval_intents(args.train, args.test, model=model, threads=threads)
    elif args.kind == "silence":
        from bot.eval_silence import eval_silence

        with _eval_settings(args) as settings:
            result = eval_silence(args.stream, settings, limit=args.limit)
    elif args.kind == "catalog":
        from bot.eval_catalog import eval_catalog

        if args.test:
            _require_file(args.test, _("--%(name)s file") % {"name": "test"}, "--test")
        result = eval_catalog(args.train, args.test, _settings(args), split=args.split)
        if result.get("test_rows_in_train"):  # on stderr: the JSON on stdout stays one object
            print(_warning_test_in_train(result["test_rows_in_train"], result["n"]), file=sys.stderr)
        if not args.json:  # for a person, in the terminal's language (as eval replay's summary)
            from bot.cli_eval_catalog import report_lines

            for line in report_lines(result):
                _say(line)
            return 0
    elif args.kind == "replay":
        from bot.replay import replay

        log_path = _settings(args).log  # --log, else LIVEREPLY_LOG, else the demo show
        _check_log(log_path)  # before anything is built or imported
        with _eval_settings(args) as settings:
            runtime = _build(settings, fresh_catalog=True)
            runtime.store.reset_session()  # only ever a scratch database, unless --db named one
            try:
                _check_labels(log_path, runtime)  # a label no decision can match: an error, not a silent "wrong"
                report = asyncio.run(replay(runtime, log_path, speed=args.speed))
            finally:
                _close_prefetcher(runtime)  # only when --encoder-process was set on
                runtime.store.close()
        result = report.as_dict()
        # what calibration promised on the catalog's own rows, next to what the log measured (accuracy.ci95)
        result["calibrated"] = runtime.operating_point.as_dict() if runtime.operating_point is not None else None
        if not args.json:
            _print_eval_replay(result, speed=args.speed, db=db_text(settings.db) if _given(args, "db") else None)
            return 0
    else:  # pragma: no cover - argparse restricts choices
        raise CliError(f"unknown eval {args.kind}")  # not reached: argparse checks the choice
    _emit(result, args.json)
    return 0


def _warning_test_in_train(same: int, n: int) -> str:
    """`eval catalog --test F`: test rows that are train rows are the catalog's own examples, not new questions."""
    return _(
        "note: %(same)d of the %(n)d test rows are worded exactly like a train row: the catalog answers them from its "
        "own examples, so the figures say little about new questions (a test file that is the train file scores "
        "about 1.0). Use a test file with other rows, or leave --test out for the frozen split of the train file."
    ) % {"same": same, "n": n}


def console_settings(args: argparse.Namespace) -> Settings:
    """`--host` / `--port` are short for `--console-host` / `--console-port`; an unset one never hides the long flag."""
    short = {"console_port": args.port, "console_host": args.host}
    return _settings(args, **{k: v for k, v in short.items() if v is not None})


def cmd_console(args: argparse.Namespace) -> int:
    from bot.console.proxies import TrustedProxies
    from bot.console.server import serve_console

    settings = console_settings(args)
    try:
        TrustedProxies.parse(settings.trusted_proxies)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    from bot.console.auth import MIN_PASSWORD_LENGTH, AccountError
    from bot.console.server import PASSWORD_ENV

    said_import: list[str] = []  # the catalog line, said between the database's and the address's

    def imported(snap: Any) -> None:
        said_import.append(_item(N_("catalog"), _("the new database had no products: %(imported)s") % {
            "imported": _("imported %(file)s: %(products)d products, %(faqs)d FAQs (catalog v%(version)s)") % {
                "file": settings.catalog, "products": len(snap.products), "faqs": len(snap.faqs), "version": snap.version,
            }}))

    def empty() -> None:  # a mistyped --catalog, or started outside the project directory
        said_import.append(_item(N_("catalog"), _(
            "no products in the database and no catalog file %(file)s to import: the console starts with an empty "
            "catalog (give --catalog FILE, or import a file on the console's Import / export page)"
        ) % {"file": settings.catalog}))

    try:
        serve_console(settings, announce=lambda url, admin: _announce_console(url, admin, settings.db, said_import),
                      imported=imported, empty=empty)
    except AccountError as exc:  # the first start's admin account: only its password from the variable can be refused
        raise CliError(_("the console did not start: %(variable)s must have at least %(n)d characters (or leave it "
                         "unset: a password is generated and shown once)") % {"variable": PASSWORD_ENV,
                                                                               "n": MIN_PASSWORD_LENGTH}) from exc
    return 0


def _announce_console(url: str, admin: Any, db: str, before: list[str] | None = None) -> None:
    """`livereply console` listens: the database it shows (the demo's is another one), what it imported into it
    (`before`: a new database is filled from the catalog file) and its address and login, said like the demo's start
    lines (in the terminal's language)."""
    _say(_item(N_("database"), db_text(db)))
    for line in before or ():
        _say(line)
    _say(_item(N_("console"), f"{url}  ({_console_login(admin, admin.login_hint)})"))


def _staff_password(args: argparse.Namespace) -> str:
    """--password, else $LIVEREPLY_STAFF_PASSWORD, else asked twice on the terminal."""
    password = args.password or os.environ.get("LIVEREPLY_STAFF_PASSWORD")
    if password:
        return password
    import getpass

    if not sys.stdin.isatty():
        raise CliError(_("no password given: use --password or LIVEREPLY_STAFF_PASSWORD (no terminal to prompt on)"))
    try:
        password = getpass.getpass(_("password for %(user)s: ") % {"user": args.username})
        if args.action == "reset-password" and getpass.getpass(_("again: ")) != password:
            raise CliError(_("the two passwords differ; nothing changed"))
    except (EOFError, KeyboardInterrupt) as exc:
        raise CliError(_("no password entered")) from exc
    return password


def _when(ts: float | None) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M") if ts else _("never")


def cmd_staff(args: argparse.Namespace) -> int:
    from bot.console.auth import normalize_username
    from catalog.accounts import Accounts

    if args.action != "list" and not args.username:
        raise CliError(_("staff %(action)s needs a username") % {"action": args.action})
    settings = _settings(args)
    demo_hint = ""
    if settings.db != DEMO_DB and Path(DEMO_DB.removeprefix("sqlite:///")).exists():
        demo_hint = _(" (the demo's accounts are in %(demo)s: add --db %(demo)s)") % {"demo": DEMO_DB}
    if args.action == "list" and _sqlite_file_missing(settings.db):  # a list never creates the database it reads
        _say(_("the database %(db)s does not exist yet: no staff accounts (livereply staff add NAME --role admin "
               "creates it)") % {"db": db_text(settings.db)} + demo_hint)
        return 0
    store = _open_store(settings)
    where = _("in %(db)s") % {"db": db_text(settings.db)} + demo_hint  # the demo's accounts live in its own database
    if args.action == "list":
        users = Accounts(store).users()
        if not users:
            _say(_("no staff accounts %(where)s (add one: livereply staff add NAME --role admin)") % {"where": where})
            return 0
        header = (_("name"), _("role"), _("active"))
        _say(" ".join(_pad(title, w) for title, w in zip(header, (24, 7, 6), strict=True)) + " " + _("last login"))
        for u in users:
            active_word = _("yes") if u.active else _("no")
            _say(f"{_pad(u.username, 24)} {_pad(_role(u.role), 7)} {_pad(active_word, 6)} {_when(u.last_login_at)}")
        return 0
    name = normalize_username(args.username)
    # the account rules (bot/console/auth.py) say why a name or password is refused with the console's gettext: in
    # the terminal's language here
    from bot.console import i18n as console_i18n

    with console_i18n.language(console_i18n.normalise(cli_i18n.current())):
        return _staff_change(args, store, name, where)


# the staff roles as the console names them (编辑 / 管理员 / 只读 in Chinese); the --role values stay English
ROLE_WORDS = {"viewer": N_("viewer"), "editor": N_("editor"), "admin": N_("admin")}


def _role(role: str) -> str:
    return _(ROLE_WORDS[role]) if role in ROLE_WORDS else role


def _staff_change(args: argparse.Namespace, store: Any, name: str, where: str) -> int:
    """`staff add / reset-password / activate / deactivate NAME`."""
    from bot.console.auth import add_staff, reset_password, set_staff_active
    from catalog.accounts import Accounts, LastAdmin
    from catalog.errors import NotFound

    try:
        if args.action == "add":
            account = add_staff(store, args.username, _staff_password(args), args.role)
            state = "" if account.active else _(" — deactivated: `livereply staff activate` to let it sign in")
            _say(_("staff account %(name)s (%(role)s) saved %(where)s%(state)s") % {
                "name": repr(account.username), "role": _role(account.role), "where": where, "state": state,
            })
        elif args.action == "reset-password":
            if Accounts(store).get_user(name) is None:
                raise NotFound(name)
            account, ended = reset_password(store, args.username, _staff_password(args))
            _say(_("password of %(name)s changed; %(n)d signed-in session(s) ended") % {
                "name": repr(account.username), "n": ended,
            })
        else:
            if args.action == "activate":
                account, ended = set_staff_active(store, args.username, True)
                said = _("staff account %(name)s (%(role)s) active")
            else:
                account, ended = set_staff_active(store, args.username, False)
                said = _("staff account %(name)s (%(role)s) deactivated; %(n)d signed-in session(s) ended")
            _say(said % {"name": repr(account.username), "role": _role(account.role), "n": ended})
    except NotFound:
        raise CliError(_("no staff account %(name)s (livereply staff list shows them)") % {"name": repr(name)}) from None
    except LastAdmin:
        raise CliError(_("%(name)s is the last active admin: make another admin first") % {"name": repr(name)}) from None
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from models.train import train_from_store

    settings = _settings(args)
    from bot.bootstrap import ensure_catalog

    store = _open_store(settings)
    ensure_catalog(store, settings)
    result = train_from_store(store, base=args.base, out_dir=args.out, epochs=args.epochs)
    _emit(result, args.json)
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    """Every setting's effective value and where it came from (default, env or flag), loaded as the other commands
    load them: a LIVEREPLY_* value that does not parse is the same one-line error. The room's main language and
    fallback policy kept from the console (in the configured database, read only: `livereply run` starts with them
    unless a flag or variable sets them) are shown as `run` would apply them. --markdown: the README's table."""
    if args.markdown:
        from bot.config import settings_markdown

        _say(settings_markdown())
        return 0
    from dataclasses import fields

    from bot.room_lang_start import room_langs_at_start
    from catalog.room_settings import kept_room_settings

    settings = _settings(args)
    defaults = Settings()
    given = vars(args)
    kept = kept_room_settings(settings.db)  # never creates nor migrates the database
    start = room_langs_at_start(settings, kept.room(settings.room_name), given=given, quiet=True)
    settings, origins, ignored = start.settings, {o.name: o for o in start.origins}, dict(start.ignored)
    source_width = max(7, *(width(_(word)) for word in CONFIG_SOURCES.values()))
    header = (_("env var"), _("flag"), _("value"), _("from"))
    _say(" ".join(ljust(title, w) for title, w in zip(header, (38, 30, 28, source_width), strict=True)) + " " + _("meaning"))
    for f in fields(Settings):
        value, default = getattr(settings, f.name), getattr(defaults, f.name)
        shown = _db_shown(value) if f.name == "db" else shown_default(value)
        origin = origins.get(f.name)
        source = origin.source if origin is not None else source_of(f.name, given)
        note = _(" (default %(value)s)") % {"value": shown_default(default)} if source != "default" else ""
        if origin is not None:
            note = _console_note(origin, ignored.get(f.name)) + note
        help_text = _(f.metadata["help"]) if f.metadata.get("help") else ""  # msgids (bot/config.py `setting`)
        _say(
            f"{ENV_PREFIX + f.name.upper():38} {flag_of(f.name):30} {shown:28} "
            f"{ljust(_(CONFIG_SOURCES[source]), source_width)} {help_text}{note}"
        )
    for line in _kept_room_lines(kept, settings):
        _say(line)
    return 0


def _console_note(origin: Any, ignored: str | None) -> str:
    """What a room language row adds about the console: who kept the value it shows and when, or the kept value a
    flag or variable hides (used at a start without it), or a kept main language that is not a room language."""
    from bot.room_lang_start import when_text

    stored = origin.stored
    if stored is None:
        return ""
    if origin.source == "console":
        return _(" (kept in the console %(when)s by %(who)s)") % {
            "when": when_text(stored.changed_at), "who": stored.changed_by}
    if ignored is not None:
        return _("; the console's %(value)s is not one of the room languages: not used") % {"value": repr(ignored)}
    if stored.value != origin.value:
        return _("; the console's %(value)s (%(when)s by %(who)s) applies when started without it") % {
            "value": repr(stored.value), "when": when_text(stored.changed_at), "who": stored.changed_by}
    return ""


def _kept_room_lines(kept: Any, settings: Settings) -> list[str]:
    """Below the table (no blank line: a script reading the rows by their first word keeps working): which database
    and room the console's settings were read from, and the other rooms that have some (--room-name NAME shows one)."""
    db = db_text(settings.db)
    room = settings.room_name
    if kept.state == "no-database":
        line = _("console-kept room settings: none, the database %(db)s does not exist yet") % {"db": db}
        if settings.db != DEMO_DB and Path(DEMO_DB.removeprefix("sqlite:///")).exists():
            line += _(" (the demo's are in %(demo)s: add --db %(demo)s)") % {"demo": DEMO_DB}
        return [line]
    if kept.state == "error":
        return [_("console-kept room settings: not read from %(db)s (%(why)s)") % {"db": db, "why": kept.error}]
    lines: list[str] = []
    if room in kept.rooms:
        lines.append(_("console-kept room settings: room %(room)s in %(db)s (`livereply run` starts with them unless "
                       "a flag or variable sets them)") % {"room": repr(room), "db": db})
    else:
        lines.append(_("console-kept room settings: none for room %(room)s in %(db)s") % {"room": repr(room), "db": db})
    others = [name for name in kept.rooms if name != room]
    if others:
        lines.append(_("other rooms with console-kept settings: %(rooms)s (see one with --room-name NAME)") % {
            "rooms": ", ".join(repr(name) for name in others)})
    return lines


# where a setting's value came from (`bot.config.source_of`; "console": kept from the console for the room, the
# main language and fallback policy, bot/room_lang_start.py), as `livereply config` says it
CONFIG_SOURCES = {"default": N_("default"), "env": N_("env"), "flag": N_("flag"), "console": N_("console-kept")}


def _db_shown(url: str) -> str:
    """A database URL without its password, quoted (`livereply config` output gets pasted into chats and issues)."""
    return repr(db_text(url))


def db_text(url: str) -> str:
    """A database URL as the start lines and errors say it: without its password (``***``), which terminal output
    and screenshots of it must not carry."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


# ---------------------------------------------------------------------------------------------- parser
def _eval_matching_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--faq", help="FAQ TSV (faq_id<TAB>question)")
    p.add_argument("--queries", help="queries JSONL with gold FAQ ids")
    p.add_argument("--method", default="dense", choices=["dense", "lexical", "hybrid"], help="retrieval method (default dense)")


def _eval_pairs_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dev", help="dev TSV (text_a<TAB>text_b<TAB>label); the threshold is chosen on it")
    p.add_argument("--test", help="test TSV (default: a split of the dev file)")


def _eval_intents_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--train", help="intent TSV (split<TAB>text<TAB>label)")
    p.add_argument("--test", help="test TSV (default: the train file's test split)")


def _eval_silence_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--stream", help="chat stream TSV with a text column")
    p.add_argument("--limit", type=int, default=0, help="read at most this many rows (default 0 = all)")


def _eval_catalog_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--train", help="intent TSV (split<TAB>text<TAB>label), each intent becomes one global FAQ")
    p.add_argument("--test", help="test TSV (default: a frozen hash split of the train file)")
    p.add_argument("--split", default="dev", choices=["dev"], help="without --test: the frozen dev split")


def _eval_replay_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--log",
        help=("labelled comment log (JSONL) replayed end to end (default: the demo show, data/demo_comments.jsonl); "
              "its 'expect' labels are described in docs/protocol.md, \"Replay logs\", and checked against the "
              "catalog before the replay"),
    )
    p.add_argument("--speed", type=float, default=0.0, help="speed multiplier (default 0 = as fast as possible)")


_SCRATCH = (
    " It runs on a scratch database (removed afterwards) unless --db / LIVEREPLY_DB names one"
)
# `livereply eval MODE`: (help in `eval --help`, description in `eval MODE --help`, the mode's own flags); the settings
# flags each mode takes are bot/config.py COMMAND_GROUPS["eval MODE"]
EVAL_MODES: dict[str, tuple[str, str, Callable[[argparse.ArgumentParser], None]]] = {
    "matching": ("retrieval metrics of a FAQ file and queries (top1, top5, mrr …)",
                 "Retrieval metrics (top1, top5, mrr …) of queries against a FAQ file; no database.",
                 _eval_matching_flags),
    "pairs": ("pair classification by similarity, threshold chosen on dev only",
              "Pair classification by similarity; the threshold is chosen on the dev file only; no database.",
              _eval_pairs_flags),
    "intents": ("intent accuracy with out-of-scope (docs/EVAL.md)",
                "Intent accuracy with out-of-scope queries (docs/EVAL.md); no database.", _eval_intents_flags),
    "silence": ("replay a real chat stream: how much the bot answers (should be about 0)",
                "Replays a real chat stream through the engine and reports how much the bot answers (should be about "
                "0)." + _SCRATCH + ".", _eval_silence_flags),
    "catalog": ("an intent file as a catalog through the live engine and its calibration",
                ("An intent file as a catalog (one global FAQ per intent) through the live engine and its "
                 "calibration (docs/EVAL.md §2b); always on its own scratch database."), _eval_catalog_flags),
    "replay": ("replay a labelled comment log end to end: answer rate, accuracy, latency",
               "Replays a labelled comment log end to end and reports answer rate, accuracy and latency." + _SCRATCH
               + ": replay then re-imports the catalog and resets the session (comment log and review queue) of "
               "that database.", _eval_replay_flags),
}


def build_parser() -> argparse.ArgumentParser:
    parser = LocalizedArgumentParser(prog="livereply", description="Live-commerce comment bot.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="replay the demo log against the bot over a local websocket room and summarise")
    p.add_argument("--log", help="comment log to replay (JSONL)")
    p.add_argument("--speed", type=float, help="replay speed multiplier (0 = as fast as possible)")
    p.add_argument("--quiet", dest="transcript", action="store_false", default=None, help="no live transcript")
    p.add_argument("--no-console", dest="console", action="store_false", default=True, help="do not start the staff console")
    p.add_argument("--keep-console", action="store_true", help="keep the console running after the replay")
    p.add_argument("--console-port", dest="console_port", type=int, help="staff console port (default 8080)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("run", help="run the bot against a live room")
    p.add_argument(
        "--room",
        dest="room_url",
        help=f"room websocket URL (default {Settings().room_url!r}, a local `livereply room`, for --platform generic; env "
        f"{ENV_PREFIX}ROOM_URL); twitch: {ROOM_URLS['twitch']}, bilibili: {ROOM_URLS['bilibili']}; browser consoles: "
        "the console page (default: the platform's); not used by youtube",
    )
    p.add_argument(
        "--platform",
        choices=["generic", "bilibili", "twitch", "youtube", *BROWSER_PLATFORMS],
        default="generic",
        help="wire protocol of the room (docs/protocol.md, docs/platforms.md)",
    )
    p.add_argument("--profile", help="browser consoles: the Chromium profile directory logged in with `livereply login`")
    p.add_argument(
        "--headless",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="browser consoles: run Chromium without a window (--headed to watch it)",
    )
    p.add_argument("--headed", dest="headless", action="store_false", help="browser consoles: show the Chromium window")
    p.add_argument("--chromium", help="browser consoles: Chromium/Chrome binary (default: chromium on PATH)")
    p.add_argument("--room-id", dest="room_id", type=int, help="Bilibili live room id (with --platform bilibili)")
    p.add_argument("--twitch-channel", help="Twitch channel to join (--platform twitch; --room wss://irc-ws.chat.twitch.tv:443)")
    p.add_argument("--twitch-nick", help="the bot's Twitch login (the token in LIVEREPLY_TWITCH_TOKEN must be this account's)")
    p.add_argument("--twitch-moderator", action="store_true", help="the bot moderates the channel: 100, not 20 messages / 30 s")
    p.add_argument("--twitch-client-id", help="--moderation-action on Twitch: the app's Client-Id for Helix")
    p.add_argument("--twitch-broadcaster-id", help="--moderation-action on Twitch: the channel's user id")
    p.add_argument("--twitch-moderator-id", help="--moderation-action on Twitch: the token account's user id")
    p.add_argument("--twitch-helix-url", default="https://api.twitch.tv/helix", help="Helix base URL (tests: a local fake)")
    p.add_argument("--credentials", help="private credentials file (chmod 600) for platform tokens not set in the environment")
    p.add_argument("--bili-post", action="store_true", help="Bilibili: post replies through the logged-in HTTP API")
    p.add_argument(
        "--bili-max-len", type=int, choices=[20, 30, 40], default=20, help="Bilibili message length (by account level)"
    )
    p.add_argument("--youtube-chat", help="YouTube liveChatId (--platform youtube)")
    p.add_argument("--youtube-daily-quota", type=int, default=10_000, help="YouTube Data API units per day for this bot")
    p.add_argument("--youtube-skip-backlog", action="store_true", help="YouTube: ignore messages posted before the bot started")
    p.add_argument("--youtube-own-channel", help="YouTube: the bot's channel id (its own messages are not answered)")
    p.add_argument(
        "--room-name",
        dest="room_name",
        help="room name stamped on comments; comment ids are unique per room, so replaying a log again needs a new one",
    )
    p.add_argument("--quiet", dest="transcript", action="store_false", default=None, help="no live transcript")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("login", help="log in to a Chinese shop console once (headed window: scan the QR code)")
    p.add_argument("--platform", required=True, choices=BROWSER_PLATFORMS)
    p.add_argument("--profile", required=True, help="Chromium profile directory that keeps the login")
    p.add_argument("--chromium", help="Chromium/Chrome binary (default: chromium on PATH)")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for the login")
    p.set_defaults(func=cmd_login)

    p = sub.add_parser(
        "fake-console",
        help="serve a local fake shop console on 127.0.0.1 to try --platform fake-console (no shop account needed)",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer only)")
    p.add_argument("--port", type=int, default=8766, help="port (data/platforms/fake-console.yaml expects 8766)")
    p.set_defaults(func=cmd_fake_console)

    p = sub.add_parser("room", help="local websocket room replaying a recorded log")
    p.add_argument("--log", required=True, help="recorded show to replay (JSONL, one event per line: docs/protocol.md)")
    p.add_argument(
        "--speed", type=float, default=1.0, help="replay speed multiplier (default 1 = real time; 0 = as fast as possible)"
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument(
        "--port", type=int, default=8765, help="port to listen on (default 8765; the bot runs with --room ws://HOST:PORT)"
    )
    p.add_argument(
        "--drain",
        type=float,
        default=30.0,
        help="seconds to wait for late replies after the log ends (ends early when the bot disconnects)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    p.set_defaults(func=cmd_room)

    from bot.replies import MAX_REPLY_AGE_S

    # no abbreviated flags: `--room` must not pass for `--room-languages` (allow_abbrev)
    p = sub.add_parser("gateway", help="scale-out: one room ↔ Redis Streams (docs/scale.md)", allow_abbrev=False)
    p.add_argument("--room", dest="room_url", action="append", required=True,
                   help="room websocket URL (repeat with --stream-prefix for several rooms in one process)")
    p.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="Redis URL: redis://[:PASSWORD@]HOST:PORT/DB, "
                   "rediss://… (TLS) or unix:///PATH (default %(default)s)")
    p.add_argument("--stream-prefix", action="append", required=True,
                   help="lr:<room>: streams <prefix>:in and <prefix>:out (one per --room, in the same order)")
    p.add_argument("--room-name", action="append", help="room name stamped on comments (default: the prefix without lr:)")
    p.add_argument("--maxlen", type=int, default=100_000, help="approximate length cap of <prefix>:in")
    p.add_argument("--spool", help="one room's JSONL spool while Redis is away (default <spool-dir>/gateway-<room>.spool.jsonl)")
    p.add_argument("--spool-dir", default="var", help="where the rooms' spool files go")
    p.add_argument("--max-reply-age-s", type=float, default=MAX_REPLY_AGE_S,
                   help="a reply waiting longer in <prefix>:out is dropped, not posted (e.g. left from the last show; "
                        "the bot's own limit after a pause); default %(default)g")
    p.add_argument("--consumer", default="gateway-1")
    p.add_argument("--keep-running", action="store_true", help="do not stop when the room ends")
    _add_settings_flags(p, "gateway")  # --rate-per-s / --burst: the platform's posting limit (LIVEREPLY_*)
    p.set_defaults(func=cmd_gateway)

    p = sub.add_parser("worker", help="scale-out: the live loop on Redis Streams (docs/scale.md)", allow_abbrev=False)
    p.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="Redis URL: redis://[:PASSWORD@]HOST:PORT/DB, "
                   "rediss://… (TLS) or unix:///PATH (default %(default)s)")
    p.add_argument("--stream-prefix", action="append", required=True, help="a room's prefix (repeat for several rooms)")
    p.add_argument("--consumer", help="consumer name (default host-pid)")
    p.add_argument("--claim-idle-s", type=float, default=10.0, help="claim a dead worker's entries idle this long")
    p.add_argument("--spool-dir", default="var", help="where the per-room database spool files go")
    p.add_argument("--quiet", dest="transcript", action="store_false", default=None, help="no live transcript")
    _add_settings_flags(p, "worker")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser(
        "catalog",
        help="import or export the catalog file",
        description="Import or export the catalog file. An import keeps the live stock of variants already in the "
        "database (what sold or was set during a show) and lists those whose stock differs from the file; new "
        "variants take the file's stock.",
    )
    p.add_argument("action", choices=["import", "export"])
    p.add_argument("file")
    p.add_argument(
        "--merge", action="store_true",
        help="import: add and update the file's products and FAQs, keep those not in the file (as the console's "
        "merge import); without it the catalog becomes exactly the file",
    )
    p.add_argument(
        "--stock-from-file", action="store_true",
        help="import: set every variant's stock to the file's value, overwriting live stock (lists the changes)",
    )
    p.set_defaults(func=cmd_catalog)

    p = sub.add_parser(
        "eval",
        help="evaluate matching, pairs, intents, silence, a replay or an intent file as a catalog",
        description="Evaluate matching, pairs, intents, silence, a replay or an intent file as a catalog. Each mode "
        "takes its own options: livereply eval MODE --help.",
    )
    modes = p.add_subparsers(dest="kind", required=True, metavar="MODE")
    for kind, (help_text, description, add_own) in EVAL_MODES.items():
        m = modes.add_parser(kind, help=help_text, description=description)
        add_own(m)
        m.add_argument("--json", action="store_true", help=(
            "print one JSON object for scripts (without it: a summary in the terminal's language, --ui-lang)"
            if kind in ("catalog", "replay") else "print one JSON object"))
        _add_settings_flags(m, f"eval {kind}")
        m.set_defaults(func=cmd_eval)

    p = sub.add_parser("console", help="staff web console")
    p.add_argument("--host", default=None, help="same as --console-host")
    p.add_argument("--port", type=int, default=None, help="same as --console-port")
    p.set_defaults(func=cmd_console)

    p = sub.add_parser(
        "staff",
        help="manage staff accounts: add NAME, reset-password NAME, list, deactivate NAME, activate NAME",
    )
    p.add_argument("action", choices=["add", "reset-password", "list", "deactivate", "activate"])
    p.add_argument("username", nargs="?")
    p.add_argument("--role", choices=["viewer", "editor", "admin"], default="editor", help="add: the role (default editor)")
    p.add_argument("--password", help="add / reset-password: the password (or env LIVEREPLY_STAFF_PASSWORD, else prompted)")
    p.set_defaults(func=cmd_staff)

    p = sub.add_parser("train", help="fine-tune a sentence-transformers model on the catalog")
    p.add_argument("--base", default=None, help="base model directory (default: assembled multilingual-e5-small)")
    p.add_argument("--out", default="var/models/finetuned")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_train)

    for name in ("demo", "run", "console", "catalog", "staff", "train"):
        _add_settings_flags(sub.choices[name], name)

    p = sub.add_parser(
        "config",
        help="list every setting: its env var, flag, effective value and where that came from (default, env or flag)",
    )
    p.add_argument("--markdown", action="store_true", help="print the README's settings table (the built-in defaults)")
    _add_settings_flags(p, "config")
    p.set_defaults(func=cmd_config)
    _accept_ui_lang_everywhere(parser)
    return parser


_BIND_ADDRESS = re.compile(r"address \('([^']*)', (\d+)")  # asyncio: "error while attempting to bind on address ('h', p): …"


def bind_address(exc: OSError) -> str:
    """What the address-in-use line says in brackets: "host:port" when the error names it (the OS's own English
    sentence around it would sit inside a Chinese line), else the error's text."""
    text = str(exc.strerror or exc)
    found = _BIND_ADDRESS.search(text)
    return f"{found.group(1)}:{found.group(2)}" if found else text


def _accept_ui_lang_everywhere(parser: argparse.ArgumentParser) -> None:
    """`--ui-lang zh|en` wherever a staff member puts it: before the command (`livereply --ui-lang zh demo`) and on
    the commands without the setting (room, login, fake-console, gateway). It was read from the command line before
    parsing (`_language_from_environment`); `main` hands a value given before the command to the command's setting."""
    if "--ui-lang" not in parser._option_string_actions:
        parser.add_argument("--ui-lang", dest="ui_lang_given", default=argparse.SUPPRESS, metavar="auto|zh|en",
                            help=f"language of what the command prints (env {ENV_PREFIX}UI_LANG)")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _accept_ui_lang_everywhere(sub)


def _language_from_environment(argv: Sequence[str] = ()) -> str:
    """The terminal's language before a command reads its settings: --ui-lang on the command line, else
    LIVEREPLY_UI_LANG, else the locale (a value that does not parse is English here; a command that takes --ui-lang
    says what is wrong with it)."""
    given = ui_lang_in(argv) or os.environ.get(ENV_PREFIX + "UI_LANG") or "auto"
    try:
        return cli_i18n.resolve(given)
    except ValueError:
        return cli_i18n.ENGLISH


def main(argv: Sequence[str] | None = None) -> int:
    # the terminal's language before the command line is parsed: its mistakes are said in it too
    cli_i18n.use(_language_from_environment(sys.argv[1:] if argv is None else argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "ui_lang_given", None) is not None and getattr(args, "ui_lang", None) is None:
        args.ui_lang = args.ui_lang_given  # `livereply --ui-lang zh demo`: the command's own setting takes it
    logging.basicConfig(
        level=logging.DEBUG if getattr(args, "verbose", False) else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    global _PROGRESS
    _PROGRESS = sys.stderr if getattr(args, "json", False) else sys.stdout
    try:
        return args.func(args)
    except CliError as exc:
        print(_("livereply: error: %(message)s") % {"message": exc}, file=sys.stderr)
        return 2
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            message = _("address already in use (%(why)s); choose another --port") % {"why": bind_address(exc)}
            print(_("livereply: error: %(message)s") % {"message": message}, file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
