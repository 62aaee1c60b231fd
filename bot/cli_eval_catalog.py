"""`livereply eval catalog` without ``--json``: its report for a person, in the terminal's language (as `eval replay`'s,
bot/cli.py `_print_eval_replay`): the protocol, the catalog built, what happened to the in-scope and out-of-scope
test rows, the rates with their 95 % intervals next to what calibration expected, the staff load, speed.
``--json`` keeps every figure under its English key for scripts. Pure: `report_lines` returns the lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.cli_i18n import N_, ljust, width
from bot.cli_i18n import gettext as _

__all__ = ["LABELS", "report_lines"]

# the report's row labels (a column as wide as the longest in the terminal's language)
LABELS = (
    N_("train file"), N_("test"), N_("catalog"), N_("test rows"), N_("in scope"), N_("out of scope"),
    N_("accuracy, all rows"), N_("accuracy in scope"), N_("out of scope left alone"), N_("wrong-answer rate"),
    N_("answers"), N_("staff load"), N_("separation (AUC)"), N_("speed"),
)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.1%}"


def _rate(result: Mapping[str, Any], key: str, note: str = "") -> str:
    """A rate (and what it counts, ``note``), its 95 % interval, and what calibration expected (``estimate``) with the
    gap in points."""
    said = _pct(result.get(key)) + (" " + note if note else "")
    ci = (result.get("ci95") or {}).get(key)
    if result.get(key) is not None and ci:
        said += "   " + _("95%% interval %(low)s – %(high)s") % {"low": _pct(ci[0]), "high": _pct(ci[1])}
    expected = (result.get("estimate") or {}).get(key)
    gap = (result.get("gap_points") or {}).get(key)
    if expected is not None and gap is not None:
        said += "   " + _("(calibration expected %(expected)s: %(gap)+.1f points)") % {
            "expected": _pct(expected), "gap": gap}
    return said


def _protocol(result: Mapping[str, Any]) -> str:
    split = result.get("split")
    if result.get("test_file") or not split:
        return _("catalog from every train row, scored on %(file)s") % {"file": result.get("test_file") or "–"}
    return _(
        "frozen split of the train file (seed %(seed)s): %(share)s of the questions are test rows; %(held)d of "
        "%(intents)d intents are kept out of the catalog (their test rows are out of scope)"
    ) % {"seed": split["seed"], "share": f"{split['dev_share']:.0%}", "held": len(result.get("held_out_intents") or ()),
         "intents": split["intents"]}


def _staff_load(per_minute: Mapping[str, float]) -> str:
    """{"at 30/min": 3.6, …} → "handed to staff a minute: 3.6 at 30 comments/min · …"."""
    parts = []
    for key, value in per_minute.items():
        rate = key.removeprefix("at ").removesuffix("/min")
        parts.append(_("%(n)s at %(rate)s comments/min") % {"n": f"{value:g}", "rate": rate})
    return _("handed to staff a minute: %(parts)s") % {"parts": " · ".join(parts)}


def report_lines(result: Mapping[str, Any], labels: Sequence[str] = LABELS) -> list[str]:
    d = result
    column = max(width(_(label)) for label in labels) + 2
    lines = ["", "══════════ " + _("intent file as a catalog") + " ══════════"]

    def row(label: str, text: str) -> None:
        lines.append(ljust(_(label), column) + text)

    row(N_("train file"), str(d.get("train_file")))
    row(N_("test"), _protocol(d))
    row(N_("catalog"), _(
        "%(faqs)d FAQs (one per intent), %(examples)d example questions, model %(model)s; answer threshold "
        "%(answer).3f, staff threshold %(staff).3f (calibrated on the catalog)"
    ) % {"faqs": d["faqs"], "examples": d["examples"], "model": d["model"], "answer": d["answer_threshold"],
         "staff": d["staff_threshold"]})
    row(N_("test rows"), _("%(n)d: %(in_scope)d in scope, %(oos)d out of scope") % {
        "n": d["n"], "in_scope": d["in_scope"], "oos": d["out_of_scope"]})
    row(N_("in scope"), _(
        "answered right %(right)d · answered wrong %(wrong)d · handed to staff %(staff)d · silent %(silent)d"
    ) % {"right": d["answered_right"], "wrong": d["answered_wrong"], "staff": d["in_scope_staff"],
         "silent": d["in_scope_silent"]})
    if d["out_of_scope"]:
        row(N_("out of scope"), _(
            "answered %(answered)d (should be 0) · handed to staff %(staff)d · silent %(silent)d"
        ) % {"answered": d["answered_out_of_scope"], "staff": d["out_of_scope_staff"],
             "silent": d["out_of_scope_silent"]})
    row(N_("accuracy, all rows"), _rate(d, "accuracy_all", _("(right answers + out of scope left alone)")))
    row(N_("accuracy in scope"), _rate(d, "accuracy_in_scope"))
    if d.get("oos_not_answered") is None:
        row(N_("out of scope left alone"), _("not measured: the test rows have no out-of-scope question"))
    else:
        row(N_("out of scope left alone"), _rate(d, "oos_not_answered"))
    row(N_("wrong-answer rate"), _rate(d, "wrong_answer_rate", _("(wrong answers / all answers)")))
    row(N_("answers"), _("%(answered)s of the test rows answered, %(staff)s handed to staff") % {
        "answered": _pct(d.get("answered_share")), "staff": _pct(d.get("staff_share"))})
    if d.get("staff_per_minute"):
        row(N_("staff load"), _staff_load(d["staff_per_minute"]))
    if d.get("separation_auc") is not None:
        row(N_("separation (AUC)"), _(
            "%(auc).3f   (how well the confidence ranks right answers above wrong ones; 1 = always, 0.5 = chance)"
        ) % {"auc": d["separation_auc"]})
    row(N_("speed"), _("start %(start).1f s (model, index, calibration); engine p50 %(p50).1f ms per question") % {
        "start": d["startup_seconds"], "p50": d["engine_ms_p50"]})
    lines.append("")
    lines.append(_("--json prints every figure for scripts (the decision reasons, both calibration estimates)"))
    lines.append(_("wall time %(seconds).1fs") % {"seconds": d.get("wall_seconds") or 0.0})
    return lines
