"""The synonym editor's rows: the catalog's vocabulary (`synonyms:` of the catalog file) as one row per entry.

    val-<i>-attr, val-<i>-value, val-<i>-words   other words for a variant value ("colour | 黑色 | 黑, 黑的, black")
    key-<i>-key, key-<i>-words                   words that ask for a product attribute ("weight | 重量, 多重, 几斤")

Words are separated by commas (, ， 、) or new lines; a row left empty is dropped. The rules (known values and keys,
no word for two values or two attributes) are `catalog.synonyms.synonym_problems`, applied by the store when it
writes; `problem_rows` places each problem it reports on its row, in the staff member's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.console.forms import RowError, indexed_rows, split_list
from bot.console.i18n import gettext as _
from bot.console.i18n import labelled, quoted
from bot.console.product_labels import product_label
from catalog.synonyms import (
    BAD_WORDS,
    KEY_CLASH,
    MAX_WORD_CHARS,
    UNKNOWN_ATTR,
    UNKNOWN_KEY,
    UNKNOWN_VALUE,
    VALUE_CLASH,
    SynonymProblem,
)

VALUES, ATTRIBUTES = "values", "attributes"  # the form's two tables (RowError.field)
WORD_SEP = ", "


@dataclass(frozen=True)
class ValueRow:
    attr: str = ""
    value: str = ""
    words: str = ""  # as typed / shown: words separated by commas


@dataclass(frozen=True)
class KeyRow:
    key: str = ""
    words: str = ""


@dataclass(frozen=True)
class SynonymRows:
    values: tuple[ValueRow, ...] = ()
    keys: tuple[KeyRow, ...] = ()

    @classmethod
    def of(cls, synonyms: Mapping[str, Any]) -> SynonymRows:
        return cls(
            tuple(ValueRow(attr, value, WORD_SEP.join(words))
                  for attr, entries in (synonyms.get("values") or {}).items() for value, words in entries.items()),
            tuple(KeyRow(key, WORD_SEP.join(words)) for key, words in (synonyms.get("attributes") or {}).items()),
        )

    @classmethod
    def from_form(cls, form: Mapping[str, object]) -> SynonymRows:
        return cls(
            tuple(ValueRow(r.get("attr", ""), r.get("value", ""), r.get("words", "")) for r in indexed_rows(form, "val")),
            tuple(KeyRow(r.get("key", ""), r.get("words", "")) for r in indexed_rows(form, "key")),
        )

    def parse(self) -> dict[str, Any]:
        """The rows as synonyms (stored shape); `RowError` for a row without its attribute / value / key or an entry
        on two rows. Everything else is for the shared rules (`catalog.synonyms`) to say."""
        values: dict[str, dict[str, list[str]]] = {}
        first: dict[tuple[str, str], int] = {}
        for n, row in enumerate(self.values):
            line = {"n": n + 1}
            if not row.attr:
                raise RowError(VALUES, n, _("line %(n)d: name the variant attribute (e.g. colour, size)") % line)
            if not row.value:
                raise RowError(VALUES, n, _("line %(n)d: name the value the words stand for (e.g. 黑色, XL)") % line)
            if (row.attr, row.value) in first:
                raise RowError(VALUES, n, _("line %(n)d: %(attr)s %(value)s is already on line %(first)d")
                               % {**line, "attr": row.attr, "value": row.value, "first": first[(row.attr, row.value)]})
            first[(row.attr, row.value)] = n + 1
            values.setdefault(row.attr, {})[row.value] = list(split_list(row.words))
        attributes: dict[str, list[str]] = {}
        seen: dict[str, int] = {}
        for n, key_row in enumerate(self.keys):
            line = {"n": n + 1}
            if not key_row.key:
                raise RowError(ATTRIBUTES, n, _("line %(n)d: name the product attribute (e.g. weight, material)") % line)
            if key_row.key in seen:
                raise RowError(ATTRIBUTES, n, _("line %(n)d: %(key)s is already on line %(first)d")
                               % {**line, "key": key_row.key, "first": seen[key_row.key]})
            seen[key_row.key] = n + 1
            attributes[key_row.key] = list(split_list(key_row.words))
        return {"values": values, "attributes": attributes}

    def text(self) -> dict[str, str]:
        """The two tables as text lines (what the stale-save diff compares)."""
        return {
            VALUES: "\n".join(f"{r.attr} | {r.value} | {r.words}" for r in self.values),
            ATTRIBUTES: "\n".join(f"{r.key} | {r.words}" for r in self.keys),
        }

    def row_of(self, problem: SynonymProblem) -> tuple[str, int | None]:
        """(table, row index) of the row a problem is about (None when no row matches)."""
        if problem.section == ATTRIBUTES:
            return ATTRIBUTES, next((i for i, r in enumerate(self.keys) if r.key == problem.name), None)
        return VALUES, next(
            (i for i, r in enumerate(self.values)
             if r.attr == problem.name and (problem.value is None or r.value == problem.value)), None)


def problem_text(problem: SynonymProblem, products: Mapping[str, Any] | None = None) -> str:
    """What a broken rule means for staff, in their language (the file import says it in English with the line);
    a value clash names the product that has both values, by its name in the staff language (`products`: id ->
    ProductInfo), else its id."""
    product = problem.product or ""
    values = {"attr": problem.name, "key": problem.name, "value": problem.value or "", "word": f"「{problem.word}」",
              "other": problem.other or "", "max": MAX_WORD_CHARS,
              "product": product_label((products or {}).get(product)) or product}
    messages = {
        UNKNOWN_ATTR: _("no product has a variant attribute %(attr)s"),
        UNKNOWN_VALUE: _("no variant has the %(attr)s %(value)s"),
        BAD_WORDS: _("write at least one word (each at most %(max)d characters), or empty the row to remove it"),
        VALUE_CLASH: _("%(word)s already means %(other)s (%(attr)s) in %(product)s: one word cannot stand for two values "
                       "of one product"),
        UNKNOWN_KEY: _("no product has an attribute %(key)s"),
        KEY_CLASH: _("%(word)s already asks for %(other)s: one word cannot ask for two attributes"),
    }
    return messages[problem.code] % values if problem.code in messages else problem.message


def table_name(table: str) -> str:
    return _("Variant values") if table == VALUES else _("Attribute words")


def problem_rows(
    rows: SynonymRows, problems: tuple[SynonymProblem, ...], products: Mapping[str, Any] | None = None
) -> tuple[dict[str, str], list[str]]:
    """({"values-3": message next to that row}, every message with its table and line) for the problems the shared
    rules found."""
    at: dict[str, str] = {}
    listed: list[str] = []
    for problem in problems:
        table, row = rows.row_of(problem)
        text = problem_text(problem, products)
        if row is not None:
            text = _("line %(n)d: %(why)s") % {"n": row + 1, "why": text}
            at.setdefault(f"{table}-{row}", text)
        listed.append(labelled(table_name(table), text))
    return at, listed


def product_edit_problem(problems: tuple[SynonymProblem, ...], products: Mapping[str, Any] | None = None) -> str:
    """Why a product edit was refused over the synonyms (catalog/store/synonym_follow.py), and what to do, in the
    staff member's language: "未保存：同义词里「红色」是 酒红色（colour）的叫法……"."""
    problem = problems[0]
    if problem.code == VALUE_CLASH:
        return _("Not saved: in the synonyms %(word)s is another word for %(value)s (%(attr)s), and with this edit it "
                 "would also name %(other)s of %(product)s: the bot could not tell which one a viewer means. Give the "
                 "value another name, or first remove %(word)s from %(value)s on the synonyms page.") % {
            "word": quoted(problem.word or ""), "value": problem.value or "", "attr": problem.name,
            "other": problem.other or "",
            "product": product_label((products or {}).get(problem.product or "")) or (problem.product or "")}
    return _("Not saved: the synonyms would break a rule: %(why)s. Change the product or the synonyms page first.") % {
        "why": problem_text(problem, products)}


def followed_text(changes: Any) -> str:
    """What a product edit did to the synonyms (catalog/store/synonym_follow.py `SynonymChange`s), one sentence each:
    "同义词：酒红色 的叫法（酒红、红色、burgundy）已改到 勃艮第红。"."""
    said = []
    for change in changes:
        words = _("、").join(change.words) if change.words else ""
        if change.section == VALUES and change.to:
            said.append(_("Synonyms: the words for %(value)s (%(words)s) now belong to %(new)s.") % {
                "value": change.value, "words": words, "new": change.to})
        elif change.section == VALUES:
            said.append(_("Synonyms: no product has %(value)s (%(attr)s) any more, its words (%(words)s) were removed.")
                        % {"value": change.value, "attr": change.name, "words": words})
        else:
            said.append(_("Synonyms: no product has the attribute %(key)s any more, its words (%(words)s) were "
                          "removed.") % {"key": change.name, "words": words})
    return "".join(said) if all(s.endswith("。") for s in said) else " ".join(said)
