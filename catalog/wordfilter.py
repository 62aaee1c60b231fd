"""The outbound word filter: words no reply may contain (广告法 extreme words and the shop's own list).

Data, not code: ``data/banned_words.yaml`` (``words: [{word, suggest}]``), edited by staff. One Aho–Corasick automaton
finds every listed word in linear time. Templates are checked when saved (a clear error with the word, its position
and a neutral suggestion); at send time a reply that still contains one (e.g. through a product name) is held for staff.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import ahocorasick
import yaml

from catalog.errors import Invalid
from catalog.text import fold

__all__ = ["BannedWord", "WordFilter", "WordFilterError", "load_word_filter", "read_word_list"]

MAX_WORDS = 20_000  # a list larger than this is refused (the bot must never stall on its filter)


class WordFilterError(Invalid):
    """The word list file is unusable."""


@dataclass(frozen=True, slots=True)
class BannedWord:
    word: str
    position: int  # 0-based character offset in the checked text
    suggest: str = ""

    def describe(self) -> str:
        hint = f",可改为「{self.suggest}」" if self.suggest else ""
        return f"含违禁词「{self.word}」(第{self.position + 1}个字符){hint}"

    def reason(self) -> str:
        """The English of :meth:`describe`, for a decision's reason and the logs (the console and the terminal say
        it in the staff member's language: bot/console/reasons.py)."""
        hint = f"; suggested 「{self.suggest}」" if self.suggest else ""
        return f"banned word 「{self.word}」 at character {self.position + 1}{hint}"


class WordFilter:
    def __init__(self, entries: Iterable[tuple[str, str]] = (), allow: Iterable[str] = ()) -> None:
        self._suggest: dict[str, str] = {}
        automaton = ahocorasick.Automaton()
        for word, suggest in entries:
            key = fold(word)
            if key:
                self._suggest[key] = suggest
                automaton.add_word(key, ("ban", key))
        for phrase in allow:  # ordinary phrases that contain a listed word: "第一时间", "第一次"
            key = fold(phrase)
            if key:
                automaton.add_word(key, ("allow", key))
        if self._suggest:
            automaton.make_automaton()
        self._automaton = automaton

    def __len__(self) -> int:
        return len(self._suggest)

    def find(self, text: str) -> list[BannedWord]:
        """Every listed word in ``text`` (case- and width-insensitive), in order of position."""
        if not self._suggest or not text:
            return []
        folded = unicodedata.normalize("NFKC", text).casefold()
        exact = len(folded) == len(text)  # positions map back to the text (else they are approximate)
        bans: list[tuple[int, int, str]] = []
        allowed: list[tuple[int, int]] = []
        for end, (kind, key) in self._automaton.iter(folded):
            start = end - len(key) + 1
            (bans.append((start, end, key)) if kind == "ban" else allowed.append((start, end)))
        found = []
        for start, end, key in bans:
            if any(a <= start and end <= b for a, b in allowed):
                continue  # inside an allowed phrase
            found.append(BannedWord(key, start if exact else max(0, min(start, len(text) - 1)), self._suggest.get(key, "")))
        return sorted(found, key=lambda b: b.position)


def load_word_filter(path: str | os.PathLike[str]) -> WordFilter:
    """Read ``data/banned_words.yaml``; a clear WordFilterError for a broken or oversized file."""
    entries, allow = read_word_list(path)
    return WordFilter(entries, allow)


def read_word_list(path: str | os.PathLike[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """The (word, suggestion) entries and the allow list of a word list file (WordFilterError when broken)."""
    p = Path(path)
    try:
        doc = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WordFilterError(f"{p}: word list not found") from None
    except yaml.YAMLError as exc:
        raise WordFilterError(f"{p}: not valid YAML ({str(exc)[:200]})") from None
    words = (doc or {}).get("words") if isinstance(doc, dict) else None
    if not isinstance(words, list):
        raise WordFilterError(f"{p}: expected 'words:' with a list of {{word, suggest}} entries")
    if len(words) > MAX_WORDS:
        raise WordFilterError(f"{p}: {len(words)} words; at most {MAX_WORDS} are allowed")
    entries: list[tuple[str, str]] = []
    for i, item in enumerate(words, 1):
        if isinstance(item, str):
            item = {"word": item}
        if not isinstance(item, dict) or not isinstance(item.get("word"), str) or not item["word"].strip():
            raise WordFilterError(f"{p}: entry {i} needs a non-empty 'word'")
        if len(item["word"]) > 64:
            raise WordFilterError(f"{p}: entry {i}: a word of at most 64 characters")
        entries.append((item["word"].strip(), str(item.get("suggest") or "")))
    allow = (doc or {}).get("allow") or []
    if not isinstance(allow, list) or not all(isinstance(a, str) for a in allow):
        raise WordFilterError(f"{p}: 'allow:' must be a list of phrases")
    return entries, [str(a) for a in allow]
