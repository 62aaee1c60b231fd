"""Every console write: through `CatalogStore` methods (which bump the catalog version, so the running bot
hot-reloads within its poll interval) and into the audit log with the object before and after.

No HTTP here; the views call these with the signed-in staff member as `actor`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from bot.console.i18n import gettext as _
from bot.console.i18n import quoted_value
from bot.console.lang_names import lang_name, unidentifiable_problem
from bot.console.product_labels import product_choice
from bot.errors import LiveReplyError
from catalog.accounts import Accounts
from catalog.io import StockPlan, plan_stock_csv
from catalog.langs import canonical_tag, foreign_script
from catalog.room_rules import RoomRules
from catalog.snapshot import FaqInfo, ProductInfo, VariantInfo
from catalog.store.synonym_follow import SynonymChange
from catalog.text import fold

log = logging.getLogger(__name__)
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")  # {price}, {stock:XL}: names, not words of the answer's language


@dataclass(frozen=True, slots=True)
class Actor:
    username: str
    role: str
    ip: str | None = None


class EditError(LiveReplyError, ValueError):
    """An edit was refused; the message is shown to staff as is."""


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


def faq_dict(faq: FaqInfo | None) -> dict[str, Any] | None:
    if faq is None:
        return None
    return {
        "id": faq.id,
        "product_id": faq.product_id,
        "intent": faq.intent,
        "questions": list(faq.questions),
        "answers": _plain(faq.answers),
    }


def variant_dict(v: VariantInfo) -> dict[str, Any]:
    return {"sku": v.sku, "attrs": _plain(v.attrs), "price": _plain(v.price), "stock": v.stock}


def product_dict(p: ProductInfo | None, *, with_stock: bool = True) -> dict[str, Any] | None:
    if p is None:
        return None
    out = {
        "id": p.id,
        "name": _plain(p.name),
        "aliases": list(p.aliases),
        "category": p.category,
        "description": _plain(p.description),
        "price": str(p.price),
        "tags": list(p.tags),
        "attributes": _plain(p.attributes),
        "variants": [variant_dict(v) for v in p.variants],
        "wording": _plain(p.wording),
    }
    if not with_stock:
        for v in out["variants"]:
            v.pop("stock")
    return out


class CatalogEditor:
    def __init__(self, store: Any, accounts: Accounts, *, check_words: bool = False) -> None:
        self.store = store
        self.accounts = accounts
        self.check_words = check_words  # refuse answer templates with a banned word (the database's word list)

    def _check_banned(self, faq: FaqInfo) -> None:
        """An answer template with a banned word is refused (the word, its position, the suggested wording), as the
        catalog file import and the room rules' forms do; nothing is written."""
        self._check_banned_texts(
            (_("FAQ '%(id)s' answer (%(lang)s): ") % {"id": faq.id, "lang": lang}, text)
            for lang, text in faq.answers.items()
        )

    def _check_banned_wording(self, product: ProductInfo) -> None:
        """The same for a product's own wording of the structured answers (the file import checks it too)."""
        self._check_banned_texts(
            (_("product '%(id)s' wording '%(key)s' (%(lang)s): ") % {"id": product.id, "key": key, "lang": lang}, text)
            for key, texts in product.wording.items() for lang, text in texts.items()
        )

    def _check_banned_texts(self, texts: Iterable[tuple[str, str]]) -> None:
        if not self.check_words:
            return
        word_filter = RoomRules(self.store).word_filter()
        for where, text in texts:
            found = word_filter.find(text)
            if not found:
                continue
            hit = found[0]
            values = {"word": hit.word, "position": hit.position + 1, "suggest": hit.suggest}
            if hit.suggest:
                why = _("contains the banned word 「%(word)s」 at character %(position)d; write 「%(suggest)s」 instead")
            else:
                why = _("contains the banned word 「%(word)s」 at character %(position)d")
            raise EditError(where + why % values)

    def _audit(self, actor: Actor, action: str, target_type: str, target_id: str | None, before: Any, after: Any) -> None:
        self.accounts.audit(
            username=actor.username,
            role=actor.role,
            action=action,
            target_type=target_type,
            target_id=target_id,
            before=before,
            after=after,
            ip=actor.ip,
        )
        log.info("%s by %s: %s %s", action, actor.username, target_type, target_id)

    def audit_room_setting(self, actor: Actor, room: str, setting: str, before: str | None, after: str) -> None:
        """A room setting staff changed on a running bot (the live page's fallback policy): in the audit log."""
        self._audit(actor, "room.setting", "room", room, {setting: before}, {setting: after})

    def _faq(self, faq_id: str) -> FaqInfo | None:
        return self.store.snapshot().faqs.get(faq_id)

    # ------------------------------------------------------------------ FAQs
    def save_faq(
        self, actor: Actor, faq: FaqInfo, *, create: bool = False, expected_version: int | None = None
    ) -> int:
        """Insert (create=True) or replace a FAQ. Template errors raise `catalog.templates.TemplateError`;
        a save from a stale `expected_version` (the editor's hidden field) raises `catalog.store.StaleEdit`."""
        before = self._faq(faq.id)
        if create and before is not None:
            raise EditError(_("a FAQ with id '%(id)s' already exists") % {"id": faq.id})
        if not create and before is None:
            raise EditError(_("unknown FAQ '%(id)s'") % {"id": faq.id})
        self._check_banned(faq)
        version = self.store.upsert_faq(faq, expected_version=expected_version)
        after = self._faq(faq.id)
        self._audit(actor, "faq.create" if create else "faq.update", "faq", faq.id, faq_dict(before), faq_dict(after))
        return version

    def delete_faq(self, actor: Actor, faq_id: str) -> bool:
        before = self._faq(faq_id)
        deleted = self.store.delete_faq(faq_id)
        if deleted:
            self._audit(actor, "faq.delete", "faq", faq_id, faq_dict(before), None)
        return deleted

    def add_example(self, actor: Actor, faq_id: str, text: str, lang: str | None = None) -> bool:
        before = self._faq(faq_id)
        if before is None:
            raise EditError(_("unknown FAQ '%(id)s'") % {"id": faq_id})
        added = self.store.add_example(faq_id, text, lang, source="staff")
        if added:
            self._audit(actor, "faq.add_example", "faq", faq_id, faq_dict(before), faq_dict(self._faq(faq_id)))
        return added

    def add_translation(
        self,
        actor: Actor,
        faq_id: str,
        lang: str,
        answer: str,
        questions: Iterable[str],
        *,
        expected_version: int | None = None,
    ) -> tuple[int, int]:
        """From the review queue in one step: `answer` becomes the FAQ's answer template in `lang` and `questions`
        (the group's comments in that language) its example questions filed under `lang`, in one write; audited
        as faq.translate with the FAQ before and after. Returns (catalog version, examples added).

        Checked like the FAQ editor's save (placeholders against the FAQ's product, banned words, a known language
        code), and the answer may not carry letters of a script replies in `lang` never use (Hangul in a Japanese
        answer). Refused: a FAQ that already has an answer in `lang` (edit it in the FAQ editor), a save from a
        stale `expected_version` (`catalog.store.StaleEdit`)."""
        if canonical_tag(lang) != lang:
            raise EditError(_("%(lang)s is not a language code (zh, en, ja, …)") % {"lang": quoted_value(lang)})
        if (problem := unidentifiable_problem(lang)) is not None:
            raise EditError(problem)
        answer = (answer or "").strip()
        if not answer:
            raise EditError(_("Write the answer in %(lang)s.") % {"lang": lang_name(lang)})
        before = self._faq(faq_id)
        if before is None:
            raise EditError(_("unknown FAQ '%(id)s'") % {"id": faq_id})
        if lang in before.answers:
            raise EditError(_("FAQ '%(id)s' already has an answer in %(lang)s; change it in the FAQ editor.")
                            % {"id": faq_id, "lang": lang_name(lang)})
        script = foreign_script(_PLACEHOLDER.sub("", answer), lang)
        if script is not None:
            raise EditError(_("The answer in %(lang)s contains %(script)s letters, which a reply in that language "
                              "never carries.") % {"lang": lang_name(lang), "script": script})
        known = set(before.questions)
        added = [q for q in dict.fromkeys(q.strip() for q in questions if q and q.strip()) if q not in known]
        faq = replace(before, answers={**before.answers, lang: answer}, questions=(*before.questions, *added),
                      question_langs=())
        self._check_banned(faq)
        version = self.store.upsert_faq(faq, question_langs=dict.fromkeys(added, lang),
                                        expected_version=expected_version, question_source="staff")
        self._audit(actor, "faq.translate", "faq", faq_id, faq_dict(before), faq_dict(self._faq(faq_id)))
        return version, len(added)

    # ------------------------------------------------------------------ products and stock
    def save_product(
        self, actor: Actor, product: ProductInfo, *, create: bool = False, expected_version: int | None = None,
        synonym_changes: list[SynonymChange] | None = None,
    ) -> int:
        """Create or change a product (live stock kept). Refused (`EditError`) when one of its names or aliases is
        now also another product's (a viewer using it would name two products), and by the store when the edit would
        make a synonym mean two of its values (`SynonymError`). Synonyms the edit moved or dropped (a renamed or
        removed value: catalog/store/synonym_follow.py) are listed in `synonym_changes` and audited."""
        before = self.store.product(product.id)
        if create and before is not None:
            raise EditError(_("a product with id '%(id)s' already exists") % {"id": product.id})
        if not create and before is None:
            raise EditError(_("unknown product '%(id)s'") % {"id": product.id})
        self._check_banned_wording(product)
        self._check_shared_names(product, before)
        synonyms_before = self.store.snapshot().synonyms
        changes: list[SynonymChange] = []
        version = self.store.upsert_product(product, keep_stock=True, expected_version=expected_version,
                                            synonym_changes=changes)
        self._audit_followed_synonyms(actor, changes, synonyms_before)
        if synonym_changes is not None:
            synonym_changes.extend(changes)
        after = self.store.product(product.id)
        if before is not None and product_dict(before, with_stock=False) == product_dict(after, with_stock=False):
            return version  # nothing changed: nothing to audit (the store wrote nothing either)
        self._audit(
            actor,
            "product.create" if create else "product.update",
            "product",
            product.id,
            product_dict(before, with_stock=False),
            product_dict(after, with_stock=False),
        )
        return version

    def delete_product(
        self, actor: Actor, product_id: str, *, synonym_changes: list[SynonymChange] | None = None
    ) -> bool:
        before = self.store.product(product_id)
        synonyms_before = self.store.snapshot().synonyms
        changes: list[SynonymChange] = []
        deleted = self.store.delete_product(product_id, synonym_changes=changes)
        if deleted:
            self._audit(actor, "product.delete", "product", product_id, product_dict(before), None)
            self._audit_followed_synonyms(actor, changes, synonyms_before)
            if synonym_changes is not None:
                synonym_changes.extend(changes)
        return deleted

    def _audit_followed_synonyms(self, actor: Actor, changes: list[SynonymChange], before: Any) -> None:
        if changes:
            self._audit(actor, "synonyms.update", "synonyms", "catalog", _plain(before),
                        _plain(self.store.snapshot().synonyms))

    def _check_shared_names(self, product: ProductInfo, before: ProductInfo | None) -> None:
        """`EditError` when a name or alias of `product` is now also a name or alias of another product (compared as
        the bot reads comments: `catalog.text.fold`); one the product already shared before the edit is left alone."""
        def names(p: ProductInfo | None) -> dict[str, str]:
            if p is None:
                return {}
            return {fold(n): n for n in [*p.name.values(), *p.aliases] if fold(n)}

        mine = names(product)
        old = names(before)
        for other in self.store.snapshot().products.values():
            if other.id == product.id:
                continue
            theirs = names(other)
            for folded, word in mine.items():
                if folded in theirs and folded not in old:
                    raise EditError(_(
                        "%(word)s is already a name or alias of %(product)s: a viewer writing it would name both "
                        "products, and the bot could not tell which one is meant. Use another word, or remove it "
                        "from %(product)s first.") % {"word": quoted_value(word), "product": product_choice(other)})

    def set_stock(self, actor: Actor, sku: str, stock: int) -> int:
        previous = self.store.set_stock(sku, stock, reason=f"console:{actor.username}")
        self._audit(actor, "stock.set", "variant", sku, {"sku": sku, "stock": previous}, {"sku": sku, "stock": stock})
        return previous

    # ------------------------------------------------------------------ synonyms
    def save_synonyms(self, actor: Actor, synonyms: Mapping[str, Any], *, expected_version: int | None = None) -> int:
        """Replace the catalog's synonyms (`CatalogStore.set_synonyms`: the rules of `catalog.synonyms`, refused with
        `SynonymError`; a stale `expected_version` with `StaleEdit`); audited with the synonyms before and after."""
        before = self.store.snapshot().synonyms
        version = self.store.set_synonyms(synonyms, expected_version=expected_version)
        after = self.store.snapshot().synonyms
        self._audit(actor, "synonyms.update", "synonyms", "catalog", _plain(before), _plain(after))
        return int(version)

    # ------------------------------------------------------------------ import
    def import_file(self, actor: Actor, path: Path, importer: Callable[[Any, Path], Any], fmt: str) -> int:
        """Import a catalog file with `importer(store, path)` (catalog.io); audited as a summary of ids."""
        before = _summary(self.store.snapshot())
        importer(self.store, path)
        snap = self.store.snapshot()
        after = _summary(snap)
        self._audit(actor, f"catalog.import_{fmt}", "catalog", path.name, before, after)
        return snap.version

    def import_stock(self, actor: Actor, path: Path, mode: str) -> StockPlan:
        """Apply a stock CSV (`catalog.io.plan_stock_csv`, mode "set" or "delta"); audited with every SKU's stock
        before and after. Returns the `StockPlan` written."""
        plan = plan_stock_csv(self.store, path, mode=mode, write=True)
        self._audit(
            actor, "catalog.import_csv", "stock", path.name,
            {"mode": mode, "stock": {c.sku: c.old for c in plan.changes}},
            {"mode": mode, "stock": {c.sku: c.new for c in plan.changes}},
        )
        return plan

    # ------------------------------------------------------------------ review queue
    def review(
        self,
        actor: Actor,
        comments: Iterable[tuple[str, str]],
        action: str,
        *,
        faq_id: str | None = None,
        text: str | None = None,
        posted: bool | AbstractSet[tuple[str, str]] = False,
    ) -> int:
        pairs = list(comments)
        written = self.accounts.record_review(
            username=actor.username, comments=pairs, action=action, faq_id=faq_id, text=text, posted=posted
        )
        self._audit(
            actor,
            f"review.{action}",
            "comments",
            ",".join(cid for _, cid in pairs[:20]) + (" …" if len(pairs) > 20 else ""),
            {"comments": [list(p) for p in pairs], "handled": False},
            {"comments": [list(p) for p in pairs], "handled": True, "faq_id": faq_id, "text": text,
             "posted": posted if isinstance(posted, bool) else sorted([list(p) for p in posted])},
        )
        return written


def _summary(snap: Any) -> dict[str, Any]:
    return {
        "version": snap.version,
        "products": sorted(snap.products),
        "faqs": sorted(snap.faqs),
        "examples": sum(len(f.questions) for f in snap.faqs.values()),
    }
