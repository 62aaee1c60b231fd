"""Parse and render the console's edit forms (pure functions; errors name the field and the line).

Text formats used in the product form:

    aliases / tags     comma- or newline-separated
    attributes         one per line:  key | zh text | en text
    variants           one per line:  SKU | attr=value, attr=value | price (optional)

Stock is not part of the product form: it is live and edited per SKU (`set_stock`), so a text edit never
overwrites units sold meanwhile.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from bot.console.i18n import N_, labelled, quoted, quoted_value
from bot.console.i18n import gettext as _
from bot.console.intent_labels import OTHER_INTENT
from bot.console.lang_names import code_for_name, lang_name, unidentifiable_problem
from bot.console.message_table import first_match, message_table
from bot.errors import LiveReplyError
from bot.langid import LOOKALIKE_CODES
from catalog import rules
from catalog.langs import canonical_tag
from catalog.size_chart import SIZE_ATTR, SizeRow
from catalog.snapshot import FaqInfo, ProductInfo, VariantInfo
from catalog.store.synonym_follow import renamed_values

_SPLIT_RE = re.compile(r"[,\n，、]")

# the form fields an error can name, as staff see them (translated where the error is raised)
FIELD_LABELS = {
    "id": N_("id"), "name": N_("name"), "price": N_("price"), "stock": N_("stock"), "attributes": N_("attributes"),
    "variants": N_("variants"), "intent": N_("intent"), "questions": N_("questions"), "answers": N_("answers"),
    "wording": N_("wording of the answers"),
}


# catalog.rules' reasons (English), shown translated: (pattern of the reason, message with the same wording)
_RULE_REASONS = message_table(
    (
        (r"must be a number, not (?P<got>.+)", N_("must be a number, not %(got)s")),
        (r"must be a finite number, not (?P<got>.+)", N_("must be a finite number, not %(got)s")),
        (r"must be >= 0, got (?P<got>.+)", N_("must be >= 0, got %(got)s")),
        (r"must be at most (?P<max>[0-9.,]+), got (?P<got>.+)", N_("must be at most %(max)s, got %(got)s")),
        (
            r"must have at most (?P<n>\d+) decimal places, got (?P<got>.+)",
            N_("must have at most %(n)s decimal places, got %(got)s"),
        ),
        (r"must be a whole number, not (?P<got>.+)", N_("must be a whole number, not %(got)s")),
        (r"must be a whole number >= 0, got (?P<got>.+)", N_("must be a whole number >= 0, got %(got)s")),
        (
            r"(?P<value>'.*') is not a valid id \(lowercase letters, digits, '-' and '_', at most (?P<max>\d+) characters\)",
            N_("%(value)s is not a valid id (lowercase letters, digits, '-' and '_', at most %(max)s characters)"),
        ),
        (
            r"(?P<value>'.*') is not a valid SKU \(no spaces, at most (?P<max>\d+) characters\)",
            N_("%(value)s is not a valid SKU (no spaces, at most %(max)s characters)"),
        ),
    ),
    re.DOTALL,
)


def requote(value: str) -> str:
    """A value the catalog quoted as Python does ('abc') in the console language's quotation marks (「abc」)."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return quoted(value[1:-1])
    return value


def rule_reason(reason: str) -> str:
    """A `catalog.rules.RuleError` reason in the console's language (unchanged when it is not one of the above)."""
    hit = first_match(_RULE_REASONS, reason)
    if hit is None:
        return reason
    message, values = hit
    return _(message) % {k: requote(v) for k, v in values.items()}


class FormError(LiveReplyError, ValueError):
    """A form field could not be read. `field` names it; the message says why (and on which line)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(labelled(_(FIELD_LABELS[field]) if field in FIELD_LABELS else field, message))
        self.field = field
        self.message = message


def _get(form: Mapping[str, object], key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


def slug(value: str, field: str = "id") -> str:
    """A product / FAQ id by the catalog's one rule (what the console saves, export → import accepts)."""
    value = value.strip()
    try:
        return rules.check_id(value)
    except rules.RuleError as exc:
        raise FormError(field, rule_reason(exc.reason)) from None


def split_list(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in _SPLIT_RE.split(text) if part.strip()))


def decimal(text: str, field: str, *, optional: bool = False) -> Decimal | None:
    """A price (catalog.rules: finite, 0 to 1,000,000,000, at most 2 decimal places)."""
    text = text.strip()
    if not text:
        if optional:
            return None
        raise FormError(field, _("a price is required"))
    try:
        return rules.parse_price(text)
    except rules.RuleError as exc:
        raise FormError(field, rule_reason(exc.reason)) from None


def whole_number(text: str, field: str) -> int:
    """A stock level (catalog.rules: a whole number from 0 to 2,147,483,647)."""
    try:
        return rules.parse_stock(text)
    except rules.RuleError as exc:
        raise FormError(field, rule_reason(exc.reason)) from None


def parse_attributes(text: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2 or not parts[0]:
            raise FormError("attributes", _("line %(n)d: expected 'key | zh text | en text', got %(got)s")
                % {"n": n, "got": quoted_value(line.strip())})
        key = slug(parts[0], _("attributes line %(n)d") % {"n": n})
        texts = {lang: value for lang, value in zip(("zh", "en"), parts[1:3], strict=False) if value}
        if not texts:
            raise FormError("attributes", _("line %(n)d: attribute %(key)s has no text") % {"n": n, "key": quoted_value(key)})
        out[key] = texts
    return out


def format_attributes(attributes: Mapping[str, Mapping[str, str]]) -> str:
    return "\n".join(f"{k} | {v.get('zh', '')} | {v.get('en', '')}".rstrip(" |") for k, v in attributes.items())


def parse_variants(text: str, product_id: str, existing: Mapping[str, VariantInfo]) -> tuple[VariantInfo, ...]:
    """Variant lines -> VariantInfo (stock and labels of existing SKUs are kept; new SKUs start at 0 units)."""
    out: list[VariantInfo] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        sku = parts[0]
        if not sku:
            raise FormError("variants", _("line %(n)d: the SKU is missing") % {"n": n})
        try:
            rules.check_sku(sku)
        except rules.RuleError as exc:
            raise FormError("variants", _("line %(n)d: %(why)s") % {"n": n, "why": rule_reason(exc.reason)}) from None
        if sku in seen:
            raise FormError("variants", _("line %(n)d: SKU %(sku)s already on line %(first)d")
                % {"n": n, "sku": quoted_value(sku), "first": seen[sku]})
        seen[sku] = n
        attrs: dict[str, str] = {}
        if len(parts) > 1 and parts[1]:
            for pair in parts[1].split(","):
                if not pair.strip():
                    continue
                if "=" not in pair:
                    raise FormError("variants", _("line %(n)d: expected attr=value, got %(got)s")
                        % {"n": n, "got": quoted_value(pair.strip())})
                key, value = (s.strip() for s in pair.split("=", 1))
                if not key or not value:
                    raise FormError("variants", _("line %(n)d: expected attr=value, got %(got)s")
                        % {"n": n, "got": quoted_value(pair.strip())})
                attrs[key] = value
        price = decimal(parts[2], _("variants line %(n)d price") % {"n": n}, optional=True) if len(parts) > 2 else None
        if len(parts) > 3:
            raise FormError(
                "variants", _("line %(n)d: expected 'SKU | attr=value, ... | price', got %(count)d fields")
                    % {"n": n, "count": len(parts)}
            )
        old = existing.get(sku)
        labels = (
            {k: dict(v) for k, v in old.labels.items() if old.attrs.get(k) == attrs.get(k)} if old is not None else {}
        )
        out.append(
            VariantInfo(
                sku=sku, product_id=product_id, attrs=attrs, stock=old.stock if old else 0, price=price, labels=labels
            )
        )
    return tuple(out)


def format_variants(variants: tuple[VariantInfo, ...]) -> str:
    lines = []
    for v in variants:
        attrs = ", ".join(f"{k}={val}" for k, val in v.attrs.items())
        line = f"{v.sku} | {attrs}"
        if v.price is not None:
            line += f" | {v.price}"
        lines.append(line)
    return "\n".join(lines)


def product_from_form(form: Mapping[str, object], existing: ProductInfo | None, product_id: str | None = None) -> ProductInfo:
    pid = existing.id if existing is not None else slug(product_id or _get(form, "id"))
    names = {lang: _get(form, f"name_{lang}") for lang in ("zh", "en") if _get(form, f"name_{lang}")}
    if not names:
        raise FormError("name", _("the product needs a name (Chinese or English)"))
    descriptions = {lang: _get(form, f"description_{lang}") for lang in ("zh", "en") if _get(form, f"description_{lang}")}
    if existing is not None:  # the editor shows zh/en only: names/descriptions in other languages are kept
        names = {**{k: v for k, v in existing.name.items() if k not in ("zh", "en")}, **names}
        descriptions = {**{k: v for k, v in existing.description.items() if k not in ("zh", "en")}, **descriptions}
    old_variants = {v.sku: v for v in existing.variants} if existing is not None else {}
    variants = form_variants(form, pid, old_variants)
    return ProductInfo(
        id=pid,
        name=names,
        aliases=split_list(_get(form, "aliases")),
        category=_get(form, "category"),
        description=descriptions,
        price=decimal(_get(form, "price"), "price"),  # type: ignore[arg-type]
        tags=split_list(_get(form, "tags")),
        attributes=_with_other_languages(form_attributes(form), existing),
        variants=variants,
        size_chart=_kept_size_chart(existing, variants),
        # kept here; the editor's wording rows (bot/console/wording_rows.py) replace it in the view that saves
        wording=existing.wording if existing is not None else {},
    )


def _with_other_languages(
    attributes: dict[str, dict[str, str]], existing: ProductInfo | None
) -> dict[str, dict[str, str]]:
    """The editor's attribute rows carry zh/en only: an attribute still on the form keeps its texts in the other
    languages (ja, ko, …, from the catalog file or a translation), as names and descriptions do."""
    if existing is None:
        return attributes
    return {
        key: {**{lang: text for lang, text in existing.attributes.get(key, {}).items() if lang not in ("zh", "en")},
              **texts}
        for key, texts in attributes.items()
    }


def _kept_size_chart(existing: ProductInfo | None, variants: tuple[VariantInfo, ...]) -> tuple[SizeRow, ...]:
    """The editor has no size chart field: the product keeps its chart (catalog file); a size renamed on the same
    SKUs (XL → 1XL) keeps its row under the new name, rows for sizes its variants no longer have are dropped."""
    if existing is None or not existing.size_chart:
        return ()
    sizes = {str(v.attrs.get(SIZE_ATTR)) for v in variants if SIZE_ATTR in v.attrs}
    renamed = {old: new for (attr, old), new in renamed_values(existing, replace(existing, variants=variants)).items()
               if attr == SIZE_ATTR}
    charted = {row.size for row in existing.size_chart}
    rows = []
    for row in existing.size_chart:
        if row.size in sizes:
            rows.append(row)
        elif row.size in renamed and renamed[row.size] in sizes and renamed[row.size] not in charted:
            rows.append(replace(row, size=renamed[row.size]))
    return tuple(rows)


@dataclass(frozen=True)
class FaqForm:
    """What the FAQ editor shows (also re-shown with the user's input after a rejected save)."""

    id: str
    product_id: str
    intent: str
    questions: str  # one per line
    answer_zh: str
    answer_en: str
    other_answers: tuple[tuple[str, str], ...] = ()  # (language, template) beyond zh / en
    answer_rows: tuple[tuple[str, str], ...] | None = None  # the (language, template) rows as sent, when sent as rows

    @property
    def question_rows(self) -> list[str]:
        return [q.strip() for q in self.questions.splitlines() if q.strip()]

    @property
    def answers_shown(self) -> list[tuple[str, str]]:
        """The answer rows to show: as sent, else zh and en (even empty) then the other languages."""
        if self.answer_rows is not None:
            return list(self.answer_rows)
        return [("zh", self.answer_zh), ("en", self.answer_en), *self.other_answers]

    @classmethod
    def from_faq(cls, faq: FaqInfo) -> FaqForm:
        return cls(
            id=faq.id,
            product_id=faq.product_id or "",
            intent=faq.intent,
            questions="\n".join(faq.questions),
            answer_zh=faq.answers.get("zh", ""),
            answer_en=faq.answers.get("en", ""),
            other_answers=tuple((k, v) for k, v in faq.answers.items() if k not in ("zh", "en")),
        )

    @classmethod
    def from_form(cls, form: Mapping[str, object], faq_id: str | None = None) -> FaqForm:
        """Questions as numbered rows (question-<i>) or one per line (`questions`); answers as numbered
        (language, template) rows or the `answer_zh` / `answer_en` fields."""
        rowed = has_rows(form, "question")
        questions = "\n".join(question_rows_from_form(form)) if rowed else str(form.get("questions") or "")
        rows = answer_rows_from_form(form) if has_rows(form, "answer") else None
        if rows is not None:
            first: dict[str, str] = {}
            for lang, text in rows:
                first.setdefault(lang, text)
            zh, en = first.get("zh", ""), first.get("en", "")
            others = tuple((lang, text) for lang, text in first.items() if lang not in ("zh", "en"))
        else:
            zh, en, others = str(form.get("answer_zh") or "").strip(), str(form.get("answer_en") or "").strip(), ()
        intent = _get(form, "intent")
        if intent == OTHER_INTENT:  # "other…" in the editor's list: the name typed next to it (may be a new one)
            intent = _get(form, "intent_other")
        return cls(id=faq_id or _get(form, "id"), product_id=_get(form, "product_id"), intent=intent,
                   questions=questions, answer_zh=zh, answer_en=en, other_answers=others, answer_rows=rows)

    def to_faq(self) -> FaqInfo:
        faq_id = slug(self.id)
        if not self.intent:
            raise FormError("intent", _("the FAQ needs an intent (e.g. ask_price)"))
        questions = tuple(dict.fromkeys(q.strip() for q in self.questions.splitlines() if q.strip()))
        try:
            rules.check_questions(questions)
        except rules.RuleError:
            why = _("the FAQ has %(n)d example questions; at least %(min)d are needed (one per line)")
            raise FormError("questions", why % {"n": len(questions), "min": rules.MIN_QUESTIONS}) from None
        if self.answer_rows is not None:
            answers = parse_answer_rows(self.answer_rows)
        else:
            answers = {lang: text for lang, text in (("zh", self.answer_zh), ("en", self.answer_en), *self.other_answers)
                       if text}
        if not answers:
            raise FormError("answers", _("write an answer in at least one language"))
        return FaqInfo(id=faq_id, product_id=self.product_id or None, intent=self.intent, questions=questions, answers=answers)


# ---------------------------------------------------------------------------------------------- structured rows
# The editors send one input per value, in numbered rows (no mini-language to learn):
#   attributes   attr-<i>-key, attr-<i>-zh, attr-<i>-en
#   variants     vkey-<j> (the attribute of column j), variant-<i>-sku, variant-<i>-v<j>, variant-<i>-price,
#                variant-<i>-stock (a new SKU's first stock; an existing SKU keeps its live stock)
#   questions    question-<i>
#   answers      answer-<i>-lang, answer-<i>-text
#   wording      wording-<i>-key, wording-<i>-lang, wording-<i>-text (bot/console/wording_rows.py)
#   synonyms     val-<i>-attr, val-<i>-value, val-<i>-words; key-<i>-key, key-<i>-words (bot/console/synonym_rows.py)
# Rows are read in the order of their numbers (gaps are fine: the page's script adds and removes rows), empty rows
# are skipped; an error names the row (1-based, counting the rows that are not empty) and `RowError.row` its index.
_ROW_KEY = re.compile(r"^(?P<prefix>[a-z]+)-(?P<i>\d{1,4})(?:-(?P<part>[a-z0-9]+))?$")
MAX_ROWS = 500


class RowError(FormError):
    """A form row could not be read: `row` is its 0-based position among the non-empty rows of `field`."""

    def __init__(self, field: str, row: int, message: str) -> None:
        super().__init__(field, message)
        self.row = row


@dataclass(frozen=True)
class AttributeRow:
    key: str = ""
    zh: str = ""
    en: str = ""


@dataclass(frozen=True)
class VariantRow:
    sku: str = ""
    values: tuple[str, ...] = ()  # one per column of `VariantRows.keys`
    price: str = ""
    stock: str = ""
    live: bool = False  # the SKU exists: its stock is live (set in the stock table), not edited here


@dataclass(frozen=True)
class VariantRows:
    keys: tuple[str, ...]
    rows: tuple[VariantRow, ...]


def _indexed(form: Mapping[str, object], prefix: str) -> list[dict[str, str]]:
    """The rows `prefix-<i>[-<part>]` of a form, ordered by i: {part: value} ("" for a bare `prefix-<i>`)."""
    rows: dict[int, dict[str, str]] = {}
    for key in form:
        found = _ROW_KEY.match(str(key))
        if found is None or found["prefix"] != prefix:
            continue
        value = form.get(key)
        rows.setdefault(int(found["i"]), {})[found["part"] or ""] = value.strip() if isinstance(value, str) else ""
        if len(rows) > MAX_ROWS:
            raise FormError(prefix, _("too many rows (at most %(max)d)") % {"max": MAX_ROWS})
    return [rows[i] for i in sorted(rows) if any(rows[i].values())]


indexed_rows = _indexed  # for the row editors in other modules (wording_rows, synonym_rows)


def has_rows(form: Mapping[str, object], prefix: str) -> bool:
    return any((m := _ROW_KEY.match(str(k))) is not None and m["prefix"] == prefix for k in form)


def attribute_rows(attributes: Mapping[str, Mapping[str, str]]) -> tuple[AttributeRow, ...]:
    return tuple(AttributeRow(k, v.get("zh", ""), v.get("en", "")) for k, v in attributes.items())


def attribute_rows_from_form(form: Mapping[str, object]) -> tuple[AttributeRow, ...]:
    return tuple(AttributeRow(r.get("key", ""), r.get("zh", ""), r.get("en", "")) for r in _indexed(form, "attr"))


def parse_attribute_rows(rows: tuple[AttributeRow, ...]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for n, row in enumerate(rows):
        try:
            key = rules.check_id(row.key)
        except rules.RuleError as exc:
            raise RowError("attributes", n, _("line %(n)d: %(why)s") % {"n": n + 1, "why": rule_reason(exc.reason)}) from None
        if key in out:
            raise RowError("attributes", n, _("line %(n)d: attribute %(key)s is already on another line")
                           % {"n": n + 1, "key": quoted_value(key)})
        texts = {lang: text for lang, text in (("zh", row.zh), ("en", row.en)) if text}
        if not texts:
            raise RowError("attributes", n, _("line %(n)d: attribute %(key)s has no text")
                           % {"n": n + 1, "key": quoted_value(key)})
        out[key] = texts
    return out


def variant_rows(variants: tuple[VariantInfo, ...]) -> VariantRows:
    keys = tuple(dict.fromkeys(k for v in variants for k in v.attrs))
    return VariantRows(keys, tuple(
        VariantRow(v.sku, tuple(str(v.attrs.get(k, "")) for k in keys), "" if v.price is None else str(v.price),
                   str(v.stock), live=True)
        for v in variants
    ))


def variant_rows_from_form(form: Mapping[str, object], existing: Mapping[str, VariantInfo] | None = None) -> VariantRows:
    columns: dict[int, str] = {}
    for key in form:
        found = re.fullmatch(r"vkey-(\d{1,3})", str(key))
        if found:
            columns[int(found[1])] = str(form.get(key) or "").strip()
    order = sorted(columns)
    rows = []
    for r in _indexed(form, "variant"):
        sku = r.get("sku", "")
        rows.append(VariantRow(sku, tuple(r.get(f"v{j}", "") for j in order), r.get("price", ""), r.get("stock", ""),
                               live=bool(existing) and sku in (existing or {})))
    return VariantRows(tuple(columns[j] for j in order), tuple(rows))


def parse_variant_rows(table: VariantRows, product_id: str, existing: Mapping[str, VariantInfo]) -> tuple[VariantInfo, ...]:
    """Variant rows -> VariantInfo: existing SKUs keep their live stock and labels, new ones start at their stock
    cell (empty: 0 units)."""
    seen_keys: set[str] = set()
    for j, key in enumerate(table.keys):
        if key and key in seen_keys:
            raise FormError("variants", _("column %(n)d: attribute %(key)s is already a column")
                            % {"n": j + 1, "key": quoted_value(key)})
        seen_keys.add(key)
    out: list[VariantInfo] = []
    seen: dict[str, int] = {}
    for n, row in enumerate(table.rows):
        line = n + 1
        if not row.sku:
            raise RowError("variants", n, _("line %(n)d: the SKU is missing") % {"n": line})
        try:
            rules.check_sku(row.sku)
        except rules.RuleError as exc:
            raise RowError("variants", n, _("line %(n)d: %(why)s") % {"n": line, "why": rule_reason(exc.reason)}) from None
        if row.sku in seen:
            raise RowError("variants", n, _("line %(n)d: SKU %(sku)s already on line %(first)d")
                           % {"n": line, "sku": quoted_value(row.sku), "first": seen[row.sku]})
        seen[row.sku] = line
        attrs: dict[str, str] = {}
        for key, value in zip(table.keys, row.values, strict=False):
            if value and not key:
                raise RowError("variants", n, _("line %(n)d: the column of %(value)s has no attribute name")
                               % {"n": line, "value": quoted_value(value)})
            if value:
                attrs[key] = value
        try:
            price = rules.parse_price(row.price) if row.price else None
        except rules.RuleError as exc:
            raise RowError("variants", n, _("line %(n)d: %(why)s") % {"n": line, "why": rule_reason(exc.reason)}) from None
        old = existing.get(row.sku)
        if old is not None:
            stock = old.stock
        else:
            try:
                stock = rules.parse_stock(row.stock) if row.stock else 0
            except rules.RuleError as exc:
                raise RowError("variants", n, _("line %(n)d: %(why)s") % {"n": line, "why": rule_reason(exc.reason)}) from None
        labels = (
            {k: dict(v) for k, v in old.labels.items() if old.attrs.get(k) == attrs.get(k)} if old is not None else {}
        )
        out.append(VariantInfo(sku=row.sku, product_id=product_id, attrs=attrs, stock=stock, price=price, labels=labels))
    return tuple(out)


def format_attribute_rows(rows: tuple[AttributeRow, ...]) -> str:
    """The rows as text lines (what the stale-save diff compares)."""
    return "\n".join(f"{r.key} | {r.zh} | {r.en}".rstrip(" |") for r in rows)


def format_variant_rows(table: VariantRows) -> str:
    lines = []
    for r in table.rows:
        attrs = ", ".join(f"{k}={v}" for k, v in zip(table.keys, r.values, strict=False) if v)
        lines.append(f"{r.sku} | {attrs}" + (f" | {r.price}" if r.price else ""))
    return "\n".join(lines)


def form_attributes(form: Mapping[str, object]) -> dict[str, dict[str, str]]:
    """The product form's attributes: numbered rows, else the older `attributes` text field."""
    if has_rows(form, "attr"):
        return parse_attribute_rows(attribute_rows_from_form(form))
    return parse_attributes(_get(form, "attributes"))


def form_variants(form: Mapping[str, object], product_id: str, existing: Mapping[str, VariantInfo]) -> tuple[VariantInfo, ...]:
    """The product form's variants: numbered rows, else the older `variants` text field."""
    if has_rows(form, "variant") or any(str(k).startswith("vkey-") for k in form):
        return parse_variant_rows(variant_rows_from_form(form, existing), product_id, existing)
    return parse_variants(_get(form, "variants"), product_id, existing)


def question_rows_from_form(form: Mapping[str, object]) -> tuple[str, ...]:
    return tuple(r.get("", "") for r in _indexed(form, "question"))


def answer_rows_from_form(form: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    return tuple((r.get("lang", ""), r.get("text", "")) for r in _indexed(form, "answer"))


_LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


def parse_answer_rows(rows: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """(language, template) rows -> answers: each template needs a language code, each language once."""
    out: dict[str, str] = {}
    for n, (typed, text) in enumerate(rows):
        if not text:  # a language without a template: nothing to say in it (the zh / en rows are always shown)
            continue
        lang = canonical_tag(typed) or ""  # "JA" is ja, "pt-br" pt-BR; "jp", "日语" are no language code
        if not typed.strip():  # a new row's text typed, its language not (yet)
            raise RowError("answers", n, _("line %(n)d: write the language code of this answer (zh, en, ja, …)")
                           % {"n": n + 1})
        if not _LANG_RE.match(lang):
            meant = LOOKALIKE_CODES.get(typed.strip().lower()) or code_for_name(typed)
            if meant is not None:  # "日语" / "日文" / "jp": name the code to write
                raise RowError("answers", n, _("line %(n)d: %(lang)s is not a language code: for %(name)s write %(code)s")
                               % {"n": n + 1, "lang": quoted_value(typed), "name": lang_name(meant), "code": meant})
            raise RowError("answers", n, _("line %(n)d: %(lang)s is not a language code (zh, en, ja, …)")
                           % {"n": n + 1, "lang": quoted_value(typed)})
        if (problem := unidentifiable_problem(lang)) is not None:  # "kr" is Kanuri, not Korean
            raise RowError("answers", n, _("line %(n)d: %(why)s") % {"n": n + 1, "why": problem})
        if lang in out:
            raise RowError("answers", n, _("line %(n)d: there is already an answer in %(lang)s") % {"n": n + 1, "lang": lang})
        out[lang] = text
    return out
