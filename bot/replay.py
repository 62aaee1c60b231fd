"""Replay a recorded comment log through a local room and the real bot over a real socket, and report.

Used by `livereply demo`, `livereply eval replay`, the benchmarks and the end-to-end tests.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bot import cli_i18n
from bot.adapters.generic import RoomClient
from bot.bootstrap import Runtime, make_scheduler, service_options
from bot.cli_i18n import N_, gettext, ljust, width
from bot.cli_room_langs import lang_label
from bot.console.message_table import first_match, message_table
from bot.engine import Outcome, percentile
from bot.messages import Comment
from bot.normalize import analyse
from bot.pipeline import ANSWER, RECOMMEND, SILENT, STAFF, Decision, MatchSettings, identifier_for
from bot.restock_note import is_restock_faq
from bot.room import LocalRoom, load_expectations, load_lang_labels, load_slot_labels
from bot.service import BotService, SessionStats
from catalog.snapshot import FaqInfo

log = logging.getLogger(__name__)


@dataclass
class ReplayReport:
    comments: int = 0
    events: int = 0
    bands: dict[str, int] = field(default_factory=dict)
    replies_sent: int = 0
    comments_answered: int = 0  # comments covered by a posted reply (merged replies count every comment)
    merged: int = 0
    cooldown: int = 0
    errors: int = 0
    malformed_frames: int = 0
    reconnects: int = 0
    shed: int = 0  # recorded without an answer: waited longer than stale_after_s
    duplicates: int = 0  # re-delivered frames / repeated comment ids recognised and not answered again
    resent: int = 0  # events the room sent again after a reconnect (not acknowledged before it)
    room_latencies_ms: list[float] = field(default_factory=list)  # room sent comment → room received reply
    bot_latencies_ms: list[float] = field(default_factory=list)  # bot received → reply sent
    decision_ms: list[float] = field(default_factory=list)  # bot received → decided (batch wait + engine)
    engine_ms: list[float] = field(default_factory=list)  # per comment processing inside the engine
    accuracy: dict[str, Any] = field(default_factory=dict)
    wall_seconds: float = 0.0

    def figure(self, name: str, q: float) -> float:
        return round(percentile(getattr(self, name), q), 2)

    def as_dict(self) -> dict:
        return {
            "comments": self.comments,
            "events": self.events,
            "answered": self.bands.get(ANSWER, 0),
            "recommended": self.bands.get(RECOMMEND, 0),
            "staff": self.bands.get(STAFF, 0),
            "silent": self.bands.get(SILENT, 0),
            "replies_sent": self.replies_sent,
            "comments_covered_by_replies": self.comments_answered,
            "merged": self.merged,
            "cooldown": self.cooldown,
            "errors": self.errors,
            "malformed_frames": self.malformed_frames,
            "reconnects": self.reconnects,
            "shed": self.shed,
            "duplicates": self.duplicates,
            "resent": self.resent,
            "latency_ms": {
                "room_p50": self.figure("room_latencies_ms", 50),
                "room_p99": self.figure("room_latencies_ms", 99),
                "bot_p50": self.figure("bot_latencies_ms", 50),
                "bot_p99": self.figure("bot_latencies_ms", 99),
                "decision_p50": self.figure("decision_ms", 50),
                "decision_p99": self.figure("decision_ms", 99),
                "engine_p50": self.figure("engine_ms", 50),
                "engine_p99": self.figure("engine_ms", 99),
            },
            "accuracy": self.accuracy,
            "wall_seconds": round(self.wall_seconds, 2),
        }


# Structured answers (bot/structured.py) answer the question a FAQ of these intents answers.
_QTYPE_INTENTS = {
    "stock": {"ask_stock", "ask_size", "purchase_intent"},
    "count": {"ask_stock", "ask_size", "purchase_intent"},
    "which": {"ask_stock", "ask_size"},
    "restock": {"ask_stock", "ask_restock"},
    "price": {"ask_price"},
    "size_advice": {"ask_size"},
}


# a label of several questions answered in one reply ("@price+@stock"): each part is a label of one question
COMPOUND = "+"


def decision_key(d: Decision) -> str | None:
    """What answered, as a label: the FAQ id, "@<qtype>" / "@attribute:<key>" / "@which:<attr>" for structured answers,
    the parts' labels joined by "+" for an answer to several questions ("@price+@stock")."""
    if d.parts:
        return COMPOUND.join(str(decision_key(p)) for p in d.parts)
    if d.path == "structured" and d.qtype:
        return f"@{d.qtype}:{d.attribute}" if d.qtype in ("attribute", "which") else f"@{d.qtype}"
    return d.faq_id


def answers_label(d: Decision, expect: object, faqs: Mapping[str, FaqInfo] | None = None) -> bool:
    """Does an ANSWER decision answer what ``expect`` (a label or a list of labels) asked?"""
    if isinstance(expect, list):
        return any(answers_label(d, e, faqs) for e in expect)
    if isinstance(expect, str) and COMPOUND in expect:
        return _answers_each(d, expect.split(COMPOUND), faqs)
    if d.parts:  # one reply to several questions answers a label of one of them when one of its parts does
        return any(answers_label(p, expect, faqs) for p in d.parts)
    key = decision_key(d)
    if key == expect:
        return True
    if expect in ("@price", "@restock") and d.path == "faq" and faqs is not None and d.faq_id is not None and d.faq_id in faqs:
        # the shop's own price / restock FAQ answers "@price" / "@restock" as the structured answer does
        return _answers_with_price(faqs[d.faq_id]) if expect == "@price" else is_restock_faq(faqs[d.faq_id])
    if d.path != "structured" or not isinstance(expect, str) or faqs is None or expect not in faqs:
        return False
    faq = faqs[expect]  # a FAQ label: a structured answer to the same question counts
    if faq.product_id not in (None, d.product_id):
        return False
    if d.qtype == "attribute":
        return any(f"{{attr:{d.attribute}}}" in text for text in faq.answers.values())
    if d.qtype in _STOCK_QTYPES and faq.product_id is not None and not _answers_with_stock(faq):
        return False  # "normalmente calzo 40, pido 41?" → "talla 40: 14 left" does not answer the shoes' size advice
    return faq.intent in _QTYPE_INTENTS.get(d.qtype or "", set())


def _answers_each(d: Decision, labels: Sequence[str], faqs: Mapping[str, FaqInfo] | None) -> bool:
    """Does ``d`` answer each question of a compound label, one part per label (in any order), and nothing else?"""
    parts = d.parts
    if not parts and d.path == "structured" and d.qtype == "size_advice" and sorted(labels) == ["@size_advice", "@stock"]:
        return True  # size advice is always followed by the advised size's stock (bot/size_advice.py): both answered
    if len(parts) != len(labels):
        return False
    return any(
        all(answers_label(p, label, faqs) for p, label in zip(order, labels, strict=True))
        for order in itertools.permutations(parts)
    )


def partly_answers(d: Decision, expect: object, faqs: Mapping[str, FaqInfo] | None = None) -> bool:
    """Does an answer that is not right for ``expect`` answer one of the questions of a compound label in it (one of
    two questions answered: not wrong, not right)?"""
    labels = expect if isinstance(expect, list) else [expect]
    return any(
        answers_label(d, part, faqs)
        for label in labels if isinstance(label, str) and COMPOUND in label
        for part in label.split(COMPOUND)
    )


_STOCK_QTYPES = ("stock", "count", "which")


def _answers_with_price(faq: FaqInfo) -> bool:
    """Is the FAQ a price question whose answer, in every language, quotes the live price ({price})? The global
    "price" FAQ ("{product}: {price} CNY in this live room") answers "how much" exactly as the structured price does;
    a FAQ that only mentions money (coupons, shipping fees) does not."""
    return faq.intent in _QTYPE_INTENTS["price"] and bool(faq.answers) and all("{price" in t for t in faq.answers.values())


def _answers_with_stock(faq: FaqInfo) -> bool:
    """Does the FAQ's own answer quote stock ({asked_stock}, {sizes_in_stock}, {stock:…} …)? A product's size-advice
    FAQ (intent ask_size, like the global sizes-in-stock FAQ) does not, so a stock answer is not an answer to it."""
    return any("{stock" in t or "_in_stock}" in t or "{asked_stock}" in t for t in faq.answers.values())


# what an "expect" label may be besides a FAQ id (score_expectations); "@attribute:<key>" / "@which:<attr>" name a
# product attribute key / a variant attribute of the catalog
PLAIN_LABELS = ("@stock", "@count", "@price", "@restock", "@size_advice", "@recommend", "@staff")
KEYED_LABELS = ("@attribute:", "@which:")


def check_labels(path: str | Path, snapshot: Any) -> None:
    """A `LogFileError` (path:line) at the first ``expect`` label of the log that can never match a decision of this
    catalog: a FAQ id it does not have (a typo, "prise" for "price", or a log labelled for another catalog), an
    unknown "@" label, an attribute no product has, a value that is not a label, a list or null. Scoring such a log
    counted every answer to that comment as wrong (or missed) without a word."""
    import difflib

    from bot.jsonl import iter_jsonl
    from bot.room import LogFileError

    faqs = set(snapshot.faqs)
    keys = {key for p in snapshot.products.values() for key in p.attributes}
    attrs = {attr for p in snapshot.products.values() for v in p.variants for attr in v.attrs}
    known = sorted(faqs | set(PLAIN_LABELS) | {f"@attribute:{k}" for k in keys} | {f"@which:{a}" for a in attrs})

    def fits(label: str) -> bool:
        if COMPOUND in label:  # "@price+@stock": two or three questions, each a label of an answer
            parts = label.split(COMPOUND)
            return 2 <= len(parts) <= 3 and all(p not in ("@recommend", "@staff") and fits(p) for p in parts)
        if label in faqs or label in PLAIN_LABELS:
            return True
        if label.startswith("@attribute:"):
            return label.removeprefix("@attribute:") in keys
        if label.startswith("@which:"):
            return label.removeprefix("@which:") in attrs
        return False

    for line_no, obj in iter_jsonl(path, LogFileError):
        if "expect" not in obj:
            continue
        expect = obj["expect"]
        labels = expect if isinstance(expect, list) else [expect]
        if expect is None:
            continue
        if not labels or not all(isinstance(label, str) for label in labels):
            raise LogFileError(path, line_no, N_("'expect' must be a label, a list of labels or null, not %(value)s"),
                               value=repr(expect))
        for label in labels:
            if fits(label):
                continue
            close = difflib.get_close_matches(label, known, n=1, cutoff=0.6)
            if close:
                raise LogFileError(path, line_no, N_("unknown label %(label)s in 'expect': did you mean %(close)s? "
                                                     "(a FAQ id of the catalog, or @stock, @count, @price, @restock, "
                                                     "@size_advice, @attribute:<key>, @which:<attr>, @recommend, "
                                                     "@staff)"), label=repr(label), close=repr(close[0]))
            raise LogFileError(path, line_no, N_("unknown label %(label)s in 'expect': not a FAQ id of the catalog "
                                                 "nor @stock, @count, @price, @restock, @size_advice, @attribute:<key>, "
                                                 "@which:<attr>, @recommend or @staff"), label=repr(label))


def viewer_language(comment: Comment, settings: MatchSettings) -> str:
    """The language the bot identifies for ``comment`` (as bot.pipeline.understand does)."""
    if set(settings.room_languages) <= {"zh", "en"}:
        return analyse(comment.text, declared_lang=comment.lang, default_lang=settings.default_lang,
                       max_chars=settings.max_embed_chars).lang
    return identifier_for(settings.room_languages, settings.default_lang).identify(comment.text, hint=comment.lang).lang


def score_by_language(
    outcomes: list[Outcome],
    expectations: dict[str, object],
    detected: Mapping[str, str],
    written: Mapping[str, str] | None = None,
    faqs: Mapping[str, FaqInfo] | None = None,
    slots: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    """Per detected language (``detected``: comment id → language): comments, answerable, answered right, of which
    in the viewer's language (``written``, the log's ``lang_expected``, else the detected one), wrong, to staff,
    missed (silent), and the language identification accuracy where ``written`` has a label."""
    out: dict[str, dict[str, Any]] = {}
    for lang in sorted({detected[o.comment.id] for o in outcomes if o.comment.id in detected}):
        mine = [o for o in outcomes if detected.get(o.comment.id) == lang]
        scores = score_expectations(mine, expectations, faqs, slots)
        viewer = dict(written or {})
        in_lang = sum(  # right answers in the viewer's language, and right hand-overs to staff (nothing said)
            1 for o in mine
            if o.comment.id in expectations and expectations[o.comment.id] is not None
            and (
                (expectations[o.comment.id] == "@staff" and o.decision.band == STAFF)
                or (o.decision.band in (ANSWER, RECOMMEND) and _right(o, expectations[o.comment.id], faqs, slots)
                    and o.decision.lang.split("-")[0] == viewer.get(o.comment.id, lang))
            )
        )
        answerable = scores.get("answerable", 0)
        out[lang] = {
            "comments": len(mine),
            "answerable": answerable,
            "right": scores.get("correct", 0),
            "right_in_viewer_language": in_lang,
            "wrong": scores.get("wrong", 0) + scores.get("answered_when_should_be_silent", 0),
            "to_staff": sum(1 for o in mine if o.comment.id in expectations and expectations[o.comment.id] not in (None, "@staff")
                            and o.decision.band == STAFF),
            "silent": sum(1 for o in mine if o.comment.id in expectations and expectations[o.comment.id] not in (None, "@staff")
                          and o.decision.band == SILENT),
            "right_rate": round(scores.get("correct", 0) / answerable, 4) if answerable else 0.0,
            "right_in_viewer_language_rate": round(in_lang / answerable, 4) if answerable else 0.0,
            "wrong_answer_rate": scores.get("wrong_answer_rate", 0.0),
        }
    if written:
        labelled = [cid for cid in written if cid in detected]
        out["_detection"] = {
            "labelled": len(labelled),
            "right": sum(1 for cid in labelled if detected[cid] == written[cid]),
        }
    return out


def cross_lingual_agreement(
    outcomes: list[Outcome],
    groups: Mapping[str, str],
    langs: Mapping[str, str],
    expectations: Mapping[str, object],
    faqs: Mapping[str, FaqInfo] | None = None,
    pivot: str = "zh",
) -> dict[str, Any]:
    """The same question in several languages (``groups``: comment id → group, ``langs``: comment id → language):
    how often each language gets the same decision as the ``pivot`` (Chinese) original — the same band, and for an
    answer the same answer (the same FAQ / structured question, or both answering the group's label right)."""
    by_id = {o.comment.id: o for o in outcomes}
    pivots = {g: by_id[cid] for cid, g in groups.items() if langs.get(cid) == pivot and cid in by_id}
    per_lang: dict[str, list[int]] = {}
    for cid, g in groups.items():
        lang = langs.get(cid)
        if lang == pivot or cid not in by_id or g not in pivots:
            continue
        a, b = pivots[g].decision, by_id[cid].decision
        same = a.band == b.band
        if same and a.band in (ANSWER, RECOMMEND):
            expect = expectations.get(cid)
            same = decision_key(a) == decision_key(b) or (
                expect is not None and answers_label(a, expect, faqs) and answers_label(b, expect, faqs)
            )
        per_lang.setdefault(lang or "?", []).append(int(same))
    pairs = sum(len(v) for v in per_lang.values())
    agree = sum(sum(v) for v in per_lang.values())
    return {
        "groups": len(pivots),
        "pairs": pairs,
        "same_decision": agree,
        "rate": round(agree / pairs, 4) if pairs else 0.0,
        "pivot_answered": sum(1 for o in pivots.values() if o.decision.band in (ANSWER, RECOMMEND)),
        "by_lang": {lang: round(sum(v) / len(v), 4) for lang, v in sorted(per_lang.items())},
    }


def _right(o: Outcome, expect: object, faqs: Mapping[str, FaqInfo] | None, slots: Mapping[str, Mapping[str, str]] | None) -> bool:
    """Did ``o`` answer ``expect`` (an answer label, not silence or @staff) right? (the rule of score_expectations)"""
    d = o.decision
    if expect == "@recommend":
        return d.band == RECOMMEND
    wanted = (slots or {}).get(o.comment.id)
    slots_ok = not wanted or all(dict(d.asked).get(a) == v for a, v in wanted.items() if a != "product")
    return d.band == ANSWER and answers_label(d, expect, faqs) and slots_ok


def score_expectations(
    outcomes: list[Outcome],
    expectations: dict[str, object],
    faqs: Mapping[str, FaqInfo] | None = None,
    slots: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    """Compare decisions with the log's `expect` labels: a FAQ id, "@stock" / "@count" / "@price" / "@restock" /
    "@which:<attr>" / "@attribute:<key>" (structured answers), "@recommend", "@staff", None (stay silent), or a list
    of acceptable labels. With ``slots`` labels, an answer is right only if it read the named variant values too."""
    labelled = [o for o in outcomes if o.comment.id in expectations]
    if not labelled:
        return {}
    by_path: dict[str, int] = {}
    partly = 0  # comments asking several questions answered for one of them (counted as missed)
    codes: list[int] = []  # per labelled comment: _RIGHT, _WRONG, _MISSED, _SILENT_OK or _SILENT_WRONG
    for o in labelled:
        expect = expectations[o.comment.id]
        d = o.decision
        if expect is None:
            codes.append(_SILENT_WRONG if d.band in (ANSWER, RECOMMEND) else _SILENT_OK)
            continue
        if expect == "@staff":
            codes.append(_RIGHT if d.band == STAFF else _WRONG if d.band in (ANSWER, RECOMMEND) else _MISSED)
            if d.band == STAFF:  # every right decision under one path: the paths add up to `correct`
                by_path["staff"] = by_path.get("staff", 0) + 1
        elif expect == "@recommend":
            codes.append(_RIGHT if d.band == RECOMMEND else _WRONG if d.band == ANSWER else _MISSED)
            if d.band == RECOMMEND:
                by_path["recommend"] = by_path.get("recommend", 0) + 1
        else:
            wanted = (slots or {}).get(o.comment.id)
            slots_ok = not wanted or all(dict(d.asked).get(a) == v for a, v in wanted.items() if a != "product")
            if d.band == ANSWER and answers_label(d, expect, faqs) and slots_ok:
                codes.append(_RIGHT)
                by_path[d.path] = by_path.get(d.path, 0) + 1
            elif d.band == ANSWER and partly_answers(d, expect, faqs):
                codes.append(_MISSED)  # one of two questions answered: not wrong, not right
                partly += 1
            else:
                codes.append(_WRONG if d.band in (ANSWER, RECOMMEND) else _MISSED)
    right, wrong, missed, silent_ok, silent_wrong = (codes.count(k) for k in range(5))
    answerable = right + wrong + missed
    answered = right + wrong + silent_wrong
    return {
        "labelled": len(labelled),
        "answerable": answerable,
        "correct": right,
        "correct_by_path": by_path,
        "wrong": wrong,
        "missed": missed,
        "partly_answered": partly,
        "should_be_silent": silent_ok + silent_wrong,
        "answered_when_should_be_silent": silent_wrong,
        "accuracy_on_answerable": round(right / answerable, 4) if answerable else 0.0,
        "wrong_answer_rate": round((wrong + silent_wrong) / answered, 4) if answered else 0.0,
        "silence_precision": round(silent_ok / (silent_ok + silent_wrong), 4) if (silent_ok + silent_wrong) else 0.0,
        "ci95": _intervals(codes),
    }


_RIGHT, _WRONG, _MISSED, _SILENT_OK, _SILENT_WRONG = range(5)


def _intervals(codes: list[int], resamples: int = 1000, seed: int = 7) -> dict[str, list[float]]:
    """95 % bootstrap intervals (comments resampled with replacement) of accuracy_on_answerable and
    wrong_answer_rate: how far a log of this size pins them."""
    arr = np.asarray(codes, dtype=np.int64)
    if len(arr) == 0:
        return {}
    rng = np.random.default_rng(seed)
    counts = np.stack([np.bincount(arr[rng.integers(0, len(arr), len(arr))], minlength=5) for _ in range(resamples)])
    right, wrong, missed, silent_wrong = counts[:, _RIGHT], counts[:, _WRONG], counts[:, _MISSED], counts[:, _SILENT_WRONG]
    accuracy = right / np.maximum(1, right + wrong + missed)
    wrong_rate = (wrong + silent_wrong) / np.maximum(1, right + wrong + silent_wrong)

    def ci(x: np.ndarray) -> list[float]:
        return [round(float(np.percentile(x, 2.5)), 4), round(float(np.percentile(x, 97.5)), 4)]

    return {"accuracy_on_answerable": ci(accuracy), "wrong_answer_rate": ci(wrong_rate)}


async def replay(
    runtime: Runtime,
    log_path: str | Path,
    *,
    speed: float,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_event: Callable[[object, str], None] | None = None,
    on_reply=None,
    room_hook: Callable[[LocalRoom], None] | None = None,
) -> ReplayReport:
    """Run the local room replaying ``log_path`` and the bot against it over a real websocket."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    room = LocalRoom(str(log_path), speed=speed)
    await room.start()
    if room_hook:
        room_hook(room)
    client = RoomClient(room.url, room=runtime.settings.room_name)
    outcomes: list[Outcome] = []

    def collect(o: Outcome) -> None:
        outcomes.append(o)
        if on_outcome:
            on_outcome(o)

    service = BotService(
        runtime.engine,
        make_scheduler(runtime.settings),
        **service_options(runtime.settings),
        setting_sources=getattr(runtime, "setting_sources", None),
        on_outcome=collect,
        on_event=on_event,
        on_reply=on_reply,
    )
    try:
        stats: SessionStats = await service.run(client)
    finally:
        await client.close()  # closing first ends the room's drain wait at once
        try:
            await asyncio.wait_for(room.wait_finished(), timeout=5.0)
        except TimeoutError:
            log.warning("room did not finish within 5 s after the bot closed")
        await room.stop()
    report = ReplayReport()
    report.comments = stats.received
    report.events = stats.events
    for o in outcomes:
        report.bands[o.decision.band] = report.bands.get(o.decision.band, 0) + 1
        report.engine_ms.append(o.seconds * 1000)
    report.replies_sent = stats.replies_sent
    report.comments_answered = stats.comments_answered
    report.merged = stats.merged
    report.cooldown = stats.cooldown
    report.errors = stats.errors
    report.malformed_frames = client.stats.malformed
    report.reconnects = client.stats.reconnects
    report.shed = stats.shed
    report.duplicates = client.stats.duplicates + runtime.engine.stats.duplicates
    report.resent = room.resent
    report.bot_latencies_ms = [x * 1000 for x in stats.latencies]
    report.decision_ms = [x * 1000 for x in stats.decision_latencies]
    for received_at, reply in room.replies:
        for cid in reply.reply_to:
            sent = room.sent_at.get(cid)
            if sent is not None:
                report.room_latencies_ms.append((received_at - sent) * 1000)
    try:
        expectations = load_expectations(str(log_path))
        faqs = runtime.engine.state.view.snapshot.faqs
        # slot labels only matter for labelled comments: an unlabelled log is not parsed a third time
        slot_labels = load_slot_labels(str(log_path)) if expectations else {}
        report.accuracy = score_expectations(outcomes, expectations, faqs, slot_labels)
        if report.accuracy:  # per detected language (issue 15): right / in the viewer's language / wrong / to staff
            settings = runtime.engine.state.settings
            detected = {o.comment.id: viewer_language(o.comment, settings) for o in outcomes}
            written = load_lang_labels(str(log_path))
            report.accuracy["by_lang"] = score_by_language(outcomes, expectations, detected, written, faqs, slot_labels)
            groups = load_lang_labels(str(log_path), key="group")
            if groups:  # parallel questions: the same decision in every language as in Chinese?
                report.accuracy["cross_lingual"] = cross_lingual_agreement(outcomes, groups, written, expectations, faqs)
    except Exception:  # a log without labels is fine
        log.debug("no expectations in %s", log_path, exc_info=True)
    report.wall_seconds = loop.time() - started
    return report


# The transcript's tags: one per band, and the room's events. A column as wide as the longest in the terminal's language.
BAND_TAGS = {ANSWER: N_("ANSWER"), RECOMMEND: N_("RECOMMEND"), STAFF: N_("STAFF"), SILENT: N_("SILENT")}
EVENT_TAG = N_("EVENT")
# what a structured answer read ("structured <qtype>"), in the transcript's words
QTYPE_WORDS = {
    "stock": N_("stock"), "count": N_("count"), "price": N_("price"), "attribute": N_("attribute"),
    "which": N_("which"), "restock": N_("restock"), "size_advice": N_("size advice"),
}
# the measurements a size question gave (bot/size_advice.py body_slots), by name: "height=175cm", not "height_cm=175"
SLOT_WORDS = {"height_cm": N_("height"), "weight_kg": N_("weight"), "foot_mm": N_("foot length")}
SLOT_UNITS = {"height_cm": "cm", "weight_kg": "kg", "foot_mm": "mm"}
# a FAQ picked by the question's kind, not by its score (bot/ship_abroad.py, bot/order_report.py, bot/faq_kinds.py):
# the score of the match it replaced ("order-thanks, 0.05") would read as an answer given at 5 % confidence
REROUTE_WORDS = {
    "asks about shipping abroad:": N_("shipping abroad"), "reports an order:": N_("order report"),
    "asks a discount for buying several:": N_("multi-buy discount"),
    "asks to exchange a size or colour:": N_("exchange"),
    "gives the viewer's usual size or feet:": N_("size advice for the viewer's size"),
    "asks whether the goods are fresh:": N_("freshness"),
}
# what the engine says about a room event (bot/engine.py apply_event; bot/service.py on an error), matched whole
EVENT_TEXTS = message_table(
    (
        (r"stage → (?P<product>\S+)", N_("stage → %(product)s")),
        (r"stock (?P<sku>\S+) rejected: (?P<why>.+)", N_("stock %(sku)s rejected: %(why)s")),
        (r"stock (?P<sku>\S+) = (?P<stock>-?\d+)", N_("stock %(sku)s = %(stock)s")),
        (r"order (?P<order>\S+) rejected: (?P<why>.+)", N_("order %(order)s rejected: %(why)s")),
        (
            r"order (?P<order>\S+): (?P<qty>\d+)× (?P<sku>\S+), (?P<left>-?\d+) left",
            N_("order %(order)s: %(qty)s× %(sku)s, %(left)s left"),
        ),
        (r"error: (?P<what>.+)", N_("error: %(what)s")),
        (r"(?P<user>.+) left after (?P<seconds>\d+) s", N_("%(user)s left after %(seconds)s s")),
        (r"(?P<user>.+) opened (?P<product>\S+) \((?P<n>\d+)×\)", N_("%(user)s opened %(product)s (%(n)s×)")),
        (r"(?P<user>.+) bought (?P<what>.+)", N_("%(user)s bought %(what)s")),
        (r"(?P<user>.+) entered", N_("%(user)s entered")),
    ),
    re.DOTALL,
)


def _tag(tag: str) -> str:
    """``[TAG      ]``: the tag in the terminal's language, padded to the widest tag (CJK characters are two columns)."""
    column = max(width(gettext(t)) for t in (*BAND_TAGS.values(), EVENT_TAG))
    return f"[{ljust(gettext(tag), column)}]"


def outcome_line(o: Outcome) -> str:
    """One transcript line: comment → reply, or why the bot stayed silent (in the terminal's language, bot/cli_i18n.py;
    English by default)."""
    c: Comment = o.comment
    d = o.decision
    text = c.text.replace("\n", " ")
    if len(text) > 40:
        text = text[:39] + "…"
    if d.band in (ANSWER, RECOMMEND) and o.text:
        why = _why(d)
        if o.viewer_lang and d.lang and o.viewer_lang != d.lang:  # the room's fallback: say so where staff look
            # "英语 (en)": each language by its name in the terminal's language, as the start lines say it
            why += gettext("; in %(lang)s, viewer wrote %(viewer)s") % {
                "lang": lang_label(d.lang), "viewer": lang_label(o.viewer_lang)}
        return f"{_tag(BAND_TAGS[d.band])} {c.user}: {text}  →  {o.text}   ({why})"
    where = f" {d.faq_id} {d.score:.2f}" if d.faq_id else ""
    return f"{_tag(BAND_TAGS.get(d.band, d.band.upper()))} {c.user}: {text}  ({_reason(d.reason)}{where})"


def event_line(what: str) -> str:
    """One transcript line about a room event (stage, stock, order, a viewer's action), as the engine described it."""
    found = first_match(EVENT_TEXTS, what) if cli_i18n.current() != cli_i18n.ENGLISH else None
    said = gettext(found[0]) % found[1] if found else what
    return f"{_tag(EVENT_TAG)} {said}"


# reasons whose English names the size chart's dimensions by their keys ("height_cm 200 is outside the size chart"):
# an English terminal reads them as the console does ("height (cm) 200 …"), the others as they are
_KEYED_REASONS = ("size advice:", "structured size_advice")


def _reason(reason: str) -> str:
    """A decision's reason (English in the database) as the console shows it in the terminal's language."""
    if not reason or (cli_i18n.current() == cli_i18n.ENGLISH and not reason.startswith(_KEYED_REASONS)):
        return reason
    from bot.console.reasons import explain  # the console's translations of the same reasons: one wording for staff

    return explain(reason, ui=cli_i18n.current())


def _why(d: Decision) -> str:
    """Which path answered and the slots it read: "structured stock size=L", "faq price 0.91", "recommend"; for a
    comment of several questions, each part's ("2 questions: structured price … + structured stock … size=XL")."""
    if d.parts:
        return gettext("%(n)d questions: %(parts)s") % {"n": len(d.parts), "parts": " + ".join(_why(p) for p in d.parts)}
    if d.path == "structured":
        slots = " ".join(f"{gettext(SLOT_WORDS[k]) if k in SLOT_WORDS else k}={v}{SLOT_UNITS.get(k, '')}"
                         for k, v in d.asked.items())
        qtype = gettext(QTYPE_WORDS[d.qtype]) if d.qtype in QTYPE_WORDS else str(d.qtype)
        what = f"{qtype}:{d.attribute}" if d.qtype in ("attribute", "which") else qtype
        return gettext("structured %(what)s %(product)s%(slots)s") % {
            "what": what, "product": d.product_id, "slots": " " + slots if slots else "",
        }
    if d.path == "rule":
        return gettext("keyword rule %(rule)s") % {"rule": d.attribute}
    if d.band == RECOMMEND:
        return gettext("recommend %(intent)s, %(score).2f") % {"intent": d.intent, "score": d.score}
    kind = next((words for head, words in REROUTE_WORDS.items() if d.reason.startswith(head)), None)
    if kind is not None and d.faq_id:
        return gettext("faq %(faq)s, picked as: %(kind)s") % {"faq": d.faq_id, "kind": gettext(kind)}
    return gettext("faq %(faq)s, %(score).2f") % {"faq": d.faq_id or d.intent, "score": d.score}
