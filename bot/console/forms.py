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
from dataclasses import dataclass
from decimal import Decimal

from bot.console.i18n import N_
from bot.console.i18n import gettext as _
from bot.errors import LiveReplyError
from catalog import rules
from catalog.size_chart import SIZE_ATTR, SizeRow
from catalog.snapshot import FaqInfo, ProductInfo, VariantInfo

_SPLIT_RE = re.compile(r"[,\n，、]")

# the form fields an error can name, as staff see them (translated where the error is raised)
FIELD_LABELS = {
    "id": N_("id"), "name": N_("name"), "price": N_("price"), "stock": N_("stock"), "attributes": N_("attributes"),
    "variants": N_("variants"), "intent": N_("intent"), "questions": N_("questions"), "answers": N_("answers"),
}


# catalog.rules' reasons (English), shown translated: (pattern of the reason, message with the same wording)
_RULE_REASONS = [
    (re.compile(p, re.DOTALL), msg)
    for p, msg in (
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
    )
]


def rule_reason(reason: str) -> str:
    """A `catalog.rules.RuleError` reason in the console's language (unchanged when it is not one of the above)."""
    for pattern, message in _RULE_REASONS:
        found = pattern.fullmatch(reason)
        if found:
            return _(message) % found.groupdict()
    return reason


class FormError(LiveReplyError, ValueError):
    """A form field could not be read. `field` names it; the message says why (and on which line)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{_(FIELD_LABELS[field]) if field in FIELD_LABELS else field}: {message}")
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
                % {"n": n, "got": repr(line.strip())})
        key = slug(parts[0], _("attributes line %(n)d") % {"n": n})
        texts = {lang: value for lang, value in zip(("zh", "en"), parts[1:3], strict=False) if value}
        if not texts:
            raise FormError("attributes", _("line %(n)d: attribute %(key)s has no text") % {"n": n, "key": repr(key)})
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
                % {"n": n, "sku": repr(sku), "first": seen[sku]})
        seen[sku] = n
        attrs: dict[str, str] = {}
        if len(parts) > 1 and parts[1]:
            for pair in parts[1].split(","):
                if not pair.strip():
                    continue
                if "=" not in pair:
                    raise FormError("variants", _("line %(n)d: expected attr=value, got %(got)s")
                        % {"n": n, "got": repr(pair.strip())})
                key, value = (s.strip() for s in pair.split("=", 1))
                if not key or not value:
                    raise FormError("variants", _("line %(n)d: expected attr=value, got %(got)s")
                        % {"n": n, "got": repr(pair.strip())})
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
    variants = parse_variants(_get(form, "variants"), pid, old_variants)
    return ProductInfo(
        id=pid,
        name=names,
        aliases=split_list(_get(form, "aliases")),
        category=_get(form, "category"),
        description=descriptions,
        price=decimal(_get(form, "price"), "price"),  # type: ignore[arg-type]
        tags=split_list(_get(form, "tags")),
        attributes=parse_attributes(_get(form, "attributes")),
        variants=variants,
        size_chart=_kept_size_chart(existing, variants),
    )


def _kept_size_chart(existing: ProductInfo | None, variants: tuple[VariantInfo, ...]) -> tuple[SizeRow, ...]:
    """The editor has no size chart field: the product keeps its chart (catalog file), minus rows for sizes its
    variants no longer have."""
    if existing is None or not existing.size_chart:
        return ()
    sizes = {str(v.attrs.get(SIZE_ATTR)) for v in variants if SIZE_ATTR in v.attrs}
    return tuple(row for row in existing.size_chart if row.size in sizes)


@dataclass(frozen=True)
class FaqForm:
    """What the FAQ editor shows (also re-shown with the user's input after a rejected save)."""

    id: str
    product_id: str
    intent: str
    questions: str
    answer_zh: str
    answer_en: str

    @classmethod
    def from_faq(cls, faq: FaqInfo) -> FaqForm:
        return cls(
            id=faq.id,
            product_id=faq.product_id or "",
            intent=faq.intent,
            questions="\n".join(faq.questions),
            answer_zh=faq.answers.get("zh", ""),
            answer_en=faq.answers.get("en", ""),
        )

    @classmethod
    def from_form(cls, form: Mapping[str, object], faq_id: str | None = None) -> FaqForm:
        return cls(
            id=faq_id or _get(form, "id"),
            product_id=_get(form, "product_id"),
            intent=_get(form, "intent"),
            questions=str(form.get("questions") or ""),
            answer_zh=str(form.get("answer_zh") or "").strip(),
            answer_en=str(form.get("answer_en") or "").strip(),
        )

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
        answers = {lang: text for lang, text in (("zh", self.answer_zh), ("en", self.answer_en)) if text}
        if not answers:
            raise FormError("answers", _("write an answer in at least one language"))
        return FaqInfo(id=faq_id, product_id=self.product_id or None, intent=self.intent, questions=questions, answers=answers)
