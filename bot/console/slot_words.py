"""The values a structured answer read (bot/structured.py `slots_note`: "colour:黑色,size:L", "attribute:weight"), in
the staff member's words for the live page: "颜色：黑色，尺码：L" / "colour: 黑色, size: L".

An attribute key the console names (colour, size, spec, flavour; "attribute" / "which": what was asked) is said in
the UI language; another key by the phrasebook's word for it (catalog/phrases.py `attr_name`), else as it is. The
values stay as the catalog writes them, but for "attribute" / "which", whose value is a key itself and is named the
same way ("which:size" -> "问的选项：尺码"). Pure.
"""

from __future__ import annotations

from bot.console import i18n
from bot.console.i18n import N_
from bot.console.i18n import gettext as _
from catalog.phrases import attr_name

__all__ = ["KEY_WORDS", "slots_words"]

KEY_WORDS = {
    "colour": N_("colour"),
    "color": N_("colour"),
    "size": N_("size"),
    "spec": N_("version"),
    "flavour": N_("flavour"),
    "attribute": N_("attribute asked"),
    "which": N_("options asked"),
}


def _key_word(key: str, ui: str) -> str:
    if key in KEY_WORDS:
        return _(KEY_WORDS[key])
    return attr_name(key, "zh" if ui.startswith("zh") else "en") or key


def slots_words(slots: str, ui: str | None = None) -> str:
    """`slots` ("colour:黑色,size:L") in the console's language (or `ui`); a part without a key stays as it is."""
    if ui is not None:
        with i18n.language(ui):
            return slots_words(slots)
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
            value = _key_word(value, i18n.current())
        parts.append(_("%(key)s: %(value)s") % {"key": _key_word(key, i18n.current()), "value": value})
    said = parts[0] if parts else ""
    for part in parts[1:]:  # not the list comma of language names ("中文、英语"): "颜色：黑色，尺码：L"
        said = _("%(said)s, %(next)s") % {"said": said, "next": part}
    return said
