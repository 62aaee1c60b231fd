"""The gloss view of a comment: a word-by-word English gloss of Vietnamese or Indonesian shop chat (pure).

USE-m3 was not trained on Vietnamese or Indonesian and places their comments badly, but it is good at English:
"phí ship bao nhiêu vậy shop" glossed as "shipping fee how much shop" lands next to the English example questions of
the shipping FAQ. ``bot.pipeline.query_texts`` embeds the gloss as one more view of the comment, and matching takes
the best of the views.

The gloss depends on the text alone (the encoder prefetch computes the views before the language is identified), so
it is gated on the glossary's own evidence: a Latin-script text with at least two glossary phrases that are evidence
of Vietnamese or Indonesian (not ``bot.gloss_words.WEAK``), or one such phrase of several words. A Chinese, Japanese,
Korean or Thai comment has no gloss (not Latin script); an English or Spanish one only if it carries that evidence.

Phrases are found with one Aho–Corasick automaton over the folded text, longest match first, leftmost first, whole
words only ("ship" is not inside "shipping", "ko" not inside "kok"). Words the glossary does not know (product
names, sizes, numbers) are kept as they are; an Indonesian ``-nya``, ``-ku`` or ``-mu`` suffix on a known word is
glossed as the word.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import ahocorasick

from bot.gloss_words import FRONT_FINAL, ID, QUESTION_FINAL, VI, WEAK

__all__ = ["GlossEntry", "gloss", "glossary", "strip_diacritics"]

MIN_EVIDENCE = 2  # glossary phrases that are evidence of vi/id, unless one of them has several words
_SHORT = 5  # a diacritic-free form of one Vietnamese word shorter than this is weak ("con", "la", "can")


@dataclass(frozen=True, slots=True)
class GlossEntry:
    form: str  # folded surface form as matched
    gloss: str  # English, "" = dropped
    words: int
    evidence: bool  # counts towards the gate (not a weak form)
    final: bool  # a question particle: "?" at the end of the comment
    front: bool  # a question phrase ("được không" → "can I") that moves to the front at the end of the comment


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def strip_diacritics(text: str) -> str:
    """``text`` without Vietnamese diacritics ("bao nhiêu" → "bao nhieu", "đổi" → "doi")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


@functools.cache
def glossary() -> dict[str, GlossEntry]:
    """Every form of the glossary: the written entries first (Vietnamese, then Indonesian), then the diacritic-free
    forms of the Vietnamese ones that are not entries themselves."""
    table: dict[str, GlossEntry] = {}

    def add(raw: str, english: str, stripped: bool) -> None:
        form = _fold(raw)
        if not form or form in table:
            return
        words = form.split()
        weak = form in WEAK or all(w in WEAK for w in words) or (stripped and len(words) == 1 and len(form) < _SHORT)
        table[form] = GlossEntry(form, english, len(words), not weak, form in QUESTION_FINAL, form in fronted)

    fronted = {_fold(f) for f in FRONT_FINAL} | {strip_diacritics(_fold(f)) for f in FRONT_FINAL}

    for words in (VI, ID):
        for raw, english in words.items():
            add(raw, english, False)
    for raw, english in VI.items():
        add(strip_diacritics(raw), english, True)
    return table


@functools.cache
def _automaton() -> Any:
    automaton = ahocorasick.Automaton()
    for form, entry in glossary().items():
        automaton.add_word(form, entry)
    automaton.make_automaton()
    return automaton


def _latin(text: str) -> bool:
    """Every letter is Latin (ASCII, Latin-1, Extended-A/B, Vietnamese's Latin Extended Additional)."""
    return all(not ch.isalpha() or ch < "\u0250" or "\u1e00" <= ch <= "\u1eff" for ch in text)


def _alone(text: str, start: int, end: int) -> bool:
    """Is text[start:end] a whole word (or words): no letter or digit touching it on either side?"""
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


_NYA = re.compile(r"(?<![\w])(\w+?)-?(?:nya|ku|mu)(?![\w])")  # Indonesian "-nya", "-ku" (my), "-mu" (your)
_QUIET = re.compile(r"[\s?!.,~…;:]*")
_CLAUSE_END = re.compile(r"[?!.,;]")


def gloss(text: str) -> str | None:
    """The English gloss of ``text``, or None when the text is not Latin script or the glossary finds too little
    evidence of Vietnamese or Indonesian in it (see the module docstring)."""
    t = _fold(text)
    if not t or not _latin(t):
        return None
    found: list[tuple[int, int, GlossEntry]] = []
    for end, entry in _automaton().iter(t):
        start = end - len(entry.form) + 1
        if _alone(t, start, end + 1):
            found.append((start, end + 1, entry))
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    chosen: list[tuple[int, int, GlossEntry]] = []
    last = 0
    for start, end, entry in found:  # leftmost, then longest, never overlapping
        if start >= last:
            chosen.append((start, end, entry))
            last = end
    table = glossary()
    pieces: list[tuple[int, int, GlossEntry | None, str]] = []  # (start, end, entry, text)
    evidence, phrase = 0, False
    pos = 0
    for start, end, entry in [*chosen, (len(t), len(t), None)]:
        gap = t[pos:start]
        gpos = 0
        for m in _NYA.finditer(gap):  # "harganya", "link-nya", "kakiku": the known word with its suffix
            stem = table.get(m.group(1))
            if stem is None or stem.words != 1:
                continue
            pieces.append((pos + gpos, pos + m.start(), None, gap[gpos:m.start()]))
            pieces.append((pos + m.start(), pos + m.end(), stem, stem.gloss))
            evidence += stem.evidence  # "menu" is no "me" + "-nu", "doku" no evidence
            gpos = m.end()
        pieces.append((pos + gpos, start, None, gap[gpos:]))
        if entry is not None:
            pieces.append((start, end, entry, entry.gloss))
            if entry.evidence:
                evidence += 1
                phrase = phrase or entry.words > 1
        pos = end
    if evidence < MIN_EVIDENCE and not phrase:
        return None
    at_end = _at_end(pieces)
    out: list[str] = []
    front = ""
    for i, (_, _, entry, piece) in enumerate(pieces):
        if entry is not None and (entry.final or entry.front) and at_end[i]:
            if entry.front and not front:
                front = entry.gloss + " "
            piece = "?"
        elif entry is not None and entry.front:
            piece = entry.gloss.split()[0]  # "can" in the middle of a comment
        out.append(piece)
    result = " ".join((front + "".join(out)).split())
    result = re.sub(r"\s+([?!.,])", r"\1", result)
    result = re.sub(r"\?+", "?", result)
    return result if result and result != t else None


def _at_end(pieces: list[tuple[int, int, GlossEntry | None, str]]) -> list[bool]:
    """For each piece: do only dropped words, question particles and punctuation follow it? One pass from the end (a
    scan of the rest per particle was quadratic in a comment of many particles)."""
    out = [False] * len(pieces)
    quiet = True
    for i in range(len(pieces) - 1, -1, -1):
        out[i] = quiet
        _, _, entry, piece = pieces[i]
        if entry is None:
            clause = _CLAUSE_END.search(piece)  # "có hộp quà ko, e mua …": the particle ends its clause
            head = piece[: clause.start()] if clause else piece
            quiet = (quiet or clause is not None) and _QUIET.fullmatch(head) is not None
        elif entry.gloss and not (entry.final or entry.front):
            quiet = False
    return out
