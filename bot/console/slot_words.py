"""The values a structured answer read (bot/structured.py `slots_note`: "colour:黑色,size:L", "attribute:weight"), in
the staff member's words for the live page: "颜色：黑色，尺码：L" / "colour: 黑色, size: L".

A key (a variant attribute, a product attribute, or "attribute" / "which": what was asked) is said in the UI
language: the console's word for it (colour, size, spec, flavour and the common attribute keys of
docs/catalog-format.md, `KEY_WORDS` / `ATTRIBUTE_KEY_WORDS`), else the shop's own word for it in the UI's script
(the catalog's `synonyms.attributes`, first such word: "电池: [续航, battery life]" → 续航 / battery life), else a key
written in words (not an identifier: "容量") as it is, else a generic label naming it ("属性“gift box”"). The
values stay as the catalog writes them, but for "attribute" / "which", whose value is a key itself and is named the
same way ("which:size" -> "问的选项：尺码"). Pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.console import i18n
from bot.console.i18n import N_
from bot.console.i18n import gettext as _

__all__ = ["ATTRIBUTE_KEY_WORDS", "KEY_WORDS", "key_word", "known_key", "slot_keys", "slots_words"]

KEY_WORDS = {
    "colour": N_("colour"),
    "color": N_("colour"),
    "size": N_("size"),
    "spec": N_("version"),
    "flavour": N_("flavour"),
    "attribute": N_("attribute asked"),
    "which": N_("options asked"),
}


# the common attribute keys (docs/catalog-format.md "Attribute words", the demo catalog's) and other variant keys
ATTRIBUTE_KEY_WORDS = {
    "weight": N_("weight"), "net_weight": N_("net weight"), "max_load": N_("max load"), "material": N_("material"),
    "fabric_weight": N_("fabric weight"), "care": N_("care instructions"), "fit": N_("fit"), "origin": N_("origin"),
    "fill": N_("fill"), "fill_weight": N_("fill weight"), "warmth": N_("warmth"), "age_range": N_("age range"),
    "folded_size": N_("folded size"), "recline": N_("recline"), "dimensions": N_("dimensions"),
    "shelf_life": N_("shelf life"), "ingredients": N_("ingredients"), "allergens": N_("allergens"),
    "skin_type": N_("skin type"), "heat_retention": N_("heat retention"), "sole": N_("sole"), "upper": N_("upper"),
    "pieces": N_("number of pieces"), "safety": N_("safety"), "compatibility": N_("compatibility"),
    "contents": N_("contents"), "packaging": N_("packaging"), "gift_box": N_("gift box"), "storage": N_("storage"),
    "usage": N_("how to use"), "use": N_("how to use"), "size_guide": N_("size guide"), "shade_guide": N_("shade guide"),
    "finish": N_("finish"), "feature": N_("features"), "capacity": N_("capacity"), "style": N_("style"),
    "length": N_("length"), "volume": N_("volume"), "scent": N_("scent"), "pattern": N_("pattern"),
    "shell": N_("outer fabric"), "drop": N_("heel-to-toe drop"), "pilling": N_("pilling"),
    "sensitive": N_("for sensitive skin"),
}

_IDENTIFIER = re.compile(r"^[A-Za-z0-9_.-]+$")  # a key written as a code (gift_box), not in words (容量)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _shop_word(key: str, zh: bool, attribute_words: Mapping[str, Sequence[str]]) -> str | None:
    """The shop's first word for attribute `key` (catalog `synonyms.attributes`) in the UI's script: Chinese for a
    Chinese console, a word without Chinese characters for an English one; None when it has none."""
    for word in attribute_words.get(key) or ():
        word = str(word).strip()
        if word and bool(_CJK.search(word)) == zh:
            return word
    return None


def known_key(key: str) -> bool:
    """Does the console name `key` by itself (no need for the shop's words)?"""
    return key in KEY_WORDS or key in ATTRIBUTE_KEY_WORDS


def slot_keys(slots: str) -> list[str]:
    """The keys `slots` names: each part's key, and the value of "attribute" / "which" (a key itself)."""
    keys = []
    for part in (slots or "").split(","):
        key, sep, value = part.partition(":")
        if sep and key.strip():
            keys.append(key.strip())
            if key.strip() in ("attribute", "which") and value.strip():
                keys.append(value.strip())
    return keys


def key_word(key: str, ui: str | None = None, attribute_words: Mapping[str, Sequence[str]] | None = None) -> str:
    """A slot kind or attribute key in the staff member's words (the module's docstring says which)."""
    ui = ui or i18n.current()
    with i18n.language(ui):
        if key in KEY_WORDS:
            return _(KEY_WORDS[key])
        if key in ATTRIBUTE_KEY_WORDS:
            return _(ATTRIBUTE_KEY_WORDS[key])
        shop = _shop_word(key, ui.startswith("zh"), attribute_words or {})
        if shop is not None:
            return shop
        if not _IDENTIFIER.match(key):
            return key
        return _("attribute “%(key)s”") % {"key": key.replace("_", " ")}


def slots_words(slots: str, ui: str | None = None, attribute_words: Mapping[str, Sequence[str]] | None = None) -> str:
    """`slots` ("colour:黑色,size:L") in the console's language (or `ui`); a part without a key stays as it is.
    `attribute_words`: the catalog's `synonyms.attributes` (the shop's words for its attribute keys)."""
    if ui is not None:
        with i18n.language(ui):
            return slots_words(slots, attribute_words=attribute_words)
    parts = []
    for part in (p.strip() for p in (slots or "").split(",")):
        if not part:
            continue
        key, sep, value = part.partition(":")
        if not sep or not key.strip():
            parts.append(part)
            continue
        key, value = key.strip(), value.strip()
        if key in ("attribute", "which"):  # the value is itself a key: "which:size" -> 问的选项：尺码
            value = key_word(value, attribute_words=attribute_words)
        parts.append(_("%(key)s: %(value)s") % {"key": key_word(key, attribute_words=attribute_words), "value": value})
    said = parts[0] if parts else ""
    for part in parts[1:]:  # not the list comma of language names ("中文、英语"): "颜色：黑色，尺码：L"
        said = _("%(said)s, %(next)s") % {"said": said, "next": part}
    return said
