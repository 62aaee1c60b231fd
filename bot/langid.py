"""Which language a live-chat comment is written in, among the languages a room serves.

Pure and fast; no I/O at call time except the one-time, lazy load of the detector's bundled model.

Order of evidence (docs/EVAL.md "Language identification" has the measurements behind it):
    1. the platform's hint, when it names one of the room languages;
    2. the script, where it is unambiguous: Hangul → ko, kana → ja (also with kanji), Thai → th, Arabic → ar,
       Han without kana → zh (ja in a room that has ja but not zh; in a room with both, ja when Japanese-only kanji
       forms and kanji shop words outweigh Chinese-only characters and particles: ``kanji_reads_japanese``). Latin
       words only take over when they clearly outnumber the script's characters (today's zh/en rule: ≥ 3 Latin
       words and twice the Han characters), and size codes ("XL", "M码"), units, product names and shop loan words
       ("size", "link", "ship") are not counted;
    3. Latin-script text goes to the detector (lingua, model inside its wheel) restricted to the room's Latin-script
       languages, after the same neutral words are set aside; chat spellings that no detector was trained on
       ("gak", "bgt", "ko", "dc", "jaja") weigh in as a prior;
    4. anything else (emoji, digits, one letter, a detector guess below ``min_confidence``, a script the room does not
       serve) → the room's default language, with reason "no confident guess" — except Latin-script words in a room
       whose default is written in another script (zh, ja, ko, th): the viewer certainly did not write the default,
       so the detector's best Latin-script guess is taken even when unsure ("i'm 180 80kg, M or L?" → en, not zh).

Use::

    lid = LanguageIdentifier(["zh", "en", "ja", "ko", "th", "vi", "id", "es"], default="zh", neutral_terms=names)
    guess = lid.identify(comment.text, hint=comment.lang)   # LangGuess(lang="id", confidence=0.83, reason="detector")
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from catalog.text import HAN

__all__ = [
    "CHAT_PATTERNS",
    "CHAT_WORDS",
    "FUNCTION_WORDS",
    "NO_GUESS",
    "SHOP_WORDS",
    "LangGuess",
    "LanguageIdentifier",
    "LatinDetector",
    "identifiable_languages",
    "is_identifiable",
    "lingua_detector",
    "meant_code",
    "normalize_lang_code",
    "reply_language_problem",
    "room_language_problem",
    "unidentifiable_message",
]

NO_GUESS = "no confident guess"
BEST_LATIN = "no confident guess; best latin-script guess (the room default is written in another script)"
HINT = "platform hint"
DETECTOR = "detector"
ONLY_LATIN = "only latin-script room language"
KANJI_JA = "script: han, japanese kanji"

# Languages decided by their script alone (the detector is never asked about them).
SCRIPT_LANGS = frozenset({"zh", "ja", "ko", "th", "ar"})

_HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"
# Kana. A lone katakana is a kaomoji piece ("(ツ)", "(°∀°)ﾉ"; NFKC has widened half-width forms), "・" and "ー" are
# kaomoji and punctuation, and Chinese chat borrows の for 的 ("主播の推车"): none of these alone make a comment Japanese.
_HIRAGANA = re.compile("[\u3041-\u3096\u309d\u309e]")
_KATAKANA_RUN = re.compile("[\u30a1-\u30fa\u30fd\u30fe\u31f0-\u31ff]{2,}")
_THAI = "\u0e00-\u0e7f"
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("hangul", re.compile(f"[{_HANGUL}]")),
    ("thai", re.compile(f"[{_THAI}]")),
    ("arabic", re.compile(f"[{_ARABIC}]")),
    ("han", re.compile(f"[{HAN}]")),
)
# Latin letters incl. Vietnamese (Latin Extended Additional); a word is a run of them (digits split words: "1m70").
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]+")
_NOISE = re.compile(r"https?://\S+|www\.\S+|@\S+")  # links and @mentions carry no language of the writer
_SIZE_CODE = re.compile(r"(?:x{0,3}s|m|x{0,4}l|[2-6]xl)", re.I)
# Latin "words" with no language: "hahaha", "hehe", "ww(w)", "xD" (letters held down are collapsed first: "ohhhh" → "oh").
_NO_LANGUAGE = re.compile(r"(?:h[aeiou]){2,}h?|w{2,}|x+d+", re.I)
_HELD_DOWN = re.compile(r"([^\W\d_])\1{2,}")
_VOWEL = re.compile(r"[aeiouyAEIOUY\u00c0-\u024f\u1e00-\u1eff]")

SHOP_WORDS = frozenset(
    """
    size sizes oversize oversized ok okay oke shop live livestream link cod sale checkout voucher restock
    ready stock admin promo kg cm ml mm g pcs pc unisex
    """.split()
)
"""Latin words that viewers of every language type in shop chat: size codes are added by pattern, product names by
``neutral_terms``. They never decide the language on their own; when a comment has nothing else ("link?", "size?")
they are all the detector gets."""

CHAT_WORDS: dict[str, frozenset[str]] = {
    # Informal spellings of Latin-script room languages that general-text models (Wikipedia, news, Bible
    # translations) rarely saw. Each hit multiplies that language's detector probability by CHAT_WORD_WEIGHT.
    # Only words that are not ordinary words of another language a cross-border room is likely to serve
    # (so no Malay list: Malay and Indonesian chat share most of it).
    "id": frozenset(
        """
        gak ga gk nggak ngga enggak kak kakak gan bgt banget yg aja dong deh sih nih tuh udah udh blm belom
        gmn gimana brp knp kenapa mantul kalo klo trus jg dgn utk tdk bs sy gw gue lu
        """.split()
    ),
    # "giay bn tien vay" (giày bao nhiêu tiền vậy) went to Spanish: the chat price words "bn" / "bnhieu" / "nhiu" and
    # "tien" (tiền), "giay" (giày), "nay" (này), "hem" (không) are Vietnamese without diacritics ("hong" is Hong Kong too)
    "vi": frozenset(
        "ko khong hok dc duoc ne nha nhe nhen vay roi chua nhieu dep qua minh gi bn bnhieu nhiu tien giay nay hem"
        .split()
    ),
    "es": frozenset("q xq pq porfa xfa tmb".split()),
    "en": frozenset("u ur pls plz lol omg thx ty bro tbh idk wanna gonna btw".split()),
    "pt": frozenset("vc vcs tbm blz obg pfv".split()),
}
# Short function words the detector's character n-grams weigh too little in a comment of two or three words ("es
# unisex?" → en, "ini asli cashmere 100%?" → en: a loan word outweighs them): ordinary words of one room language that
# are not words of the others. They weigh in like the chat words.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    # "any XL?", "any M": the detector's n-grams put "any" alone in Indonesian (0.72), so the reply came in Indonesian
    "en": frozenset(["any"]),
    "es": frozenset("es hay tienen".split()),
    "id": frozenset("ini itu ada bisa".split()),
}
# Written laughter is a language signal too: "jajaja" (es), "wkwkwk" (id), "kkkk" (pt); "hahaha" and "www" are not.
CHAT_PATTERNS: dict[str, re.Pattern[str]] = {
    "es": re.compile(r"(?:ja|je){2,}j?", re.I),
    "id": re.compile(r"(?:wk){2,}w?", re.I),
    "pt": re.compile(r"k{4,}", re.I),
}
CHAT_WORD_WEIGHT = 4.0


def normalize_lang_code(code: str | None) -> str | None:
    """'zh-CN' → 'zh', 'EN' → 'en', 'in' (old Indonesian code) → 'id'; None/empty → None."""
    if not code:
        return None
    base = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    return {"in": "id", "iw": "he", "jw": "jv", "zsm": "ms", "cmn": "zh", "yue": "zh"}.get(base, base) or None


# Country codes and other spellings typed for a language code ("jp" is Japan, the language is "ja").
LOOKALIKE_CODES = {"jp": "ja", "cn": "zh", "tw": "zh", "hk": "zh", "kr": "ko", "vn": "vi", "sp": "es", "mx": "es",
                   "br": "pt", "ua": "uk", "cz": "cs", "dk": "da", "gr": "el", "my": "ms", "ph": "tl"}


@functools.cache
def identifiable_languages() -> tuple[str, ...]:
    """Every language the identifier tells apart, sorted: by its script (zh, ja, ko, th, ar) or with the offline
    detector (en, vi, es, …). A viewer is only ever found writing one of these, so a room language or a FAQ answer in
    another one ("kr" is Kanuri, "aa" Afar) is never used."""
    from lingua import Language

    return tuple(sorted(SCRIPT_LANGS | {language.iso_code_639_1.name.lower() for language in Language.all()}))


def is_identifiable(code: str) -> bool:
    """Is ``code`` ("ko", "pt-BR", "EN") a language in :func:`identifiable_languages`?"""
    return normalize_lang_code(code) in identifiable_languages()


def meant_code(code: str) -> str | None:
    """The language code meant when a country code or a lookalike was typed ("jp" → "ja", "kr" → "ko"), or None."""
    return LOOKALIKE_CODES.get((normalize_lang_code(code) or "").strip())


def _english_name(code: str) -> str | None:
    from babel import Locale

    name = Locale("en").languages.get(code)
    return str(name) if name else None


def unidentifiable_message(code: str, *, reason: str, quote_meant: bool = True) -> str | None:
    """None when ``code`` is a language the identifier tells apart, else the English message every refusal of such a
    code shares (the console has its translated one, bot/console/lang_names.py): the code typed and its language's
    name, ``reason``, the code meant for a country code or lookalike ("kr" → "ko"), the supported codes."""
    if is_identifiable(code):
        return None
    typed, lang, meant = code.strip(), normalize_lang_code(code) or "", meant_code(code)
    name = _english_name(lang)
    what = f"{typed!r} ({name})" if name else repr(typed)
    shown = repr(meant) if quote_meant else meant
    hint = f"; did you mean {shown} ({_english_name(meant)})?" if meant else "."
    return f"{what} {reason}{hint} Supported: {', '.join(identifiable_languages())}"


def room_language_problem(code: str) -> str | None:
    """Why ``code`` cannot be a room language (``--room-languages``), or None: it must be a language the identifier
    tells apart (:func:`identifiable_languages`). A country code typed for a language ("jp", "vn", and "kr", which is
    the code of Kanuri) names the code meant; the error lists the supported codes."""
    return unidentifiable_message(code, reason="is not a language code the bot can identify")


def reply_language_problem(code: str) -> str | None:
    """Why a reply or message filed under ``code`` would never be sent, or None: the bot only finds viewers writing
    the languages it identifies. One English message for every file that gives a reply language (catalog answers
    and wording, keyword rule replies, scheduled messages); the console shows its translated twin
    (bot/console/lang_names.py ``unidentifiable_problem``)."""
    return unidentifiable_message(code, reason="is not a language the bot recognises in comments", quote_meant=False)


@dataclass(frozen=True, slots=True)
class LangGuess:
    lang: str
    confidence: float  # 1.0 for a hint; the winning script's share of the letters; the detector's probability
    reason: str  # "platform hint" | "script: <name>" | "detector" | "only latin-script room language" | NO_GUESS | …


class LatinDetector(Protocol):
    """Ranks a text among the languages it was built for: (code, probability), best first."""

    def rank(self, text: str) -> list[tuple[str, float]]: ...


DetectorFactory = Callable[[Sequence[str]], LatinDetector]


class _Lingua:
    def __init__(self, languages: Sequence[str]) -> None:
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        codes = [IsoCode639_1.from_str(code) for code in languages]
        self._detector = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_preloaded_language_models().build()

    def rank(self, text: str) -> list[tuple[str, float]]:
        return [
            (cv.language.iso_code_639_1.name.lower(), cv.value) for cv in self._detector.compute_language_confidence_values(text)
        ]


def lingua_detector(languages: Sequence[str]) -> LatinDetector:
    """lingua-language-detector (high-accuracy mode), restricted to ``languages`` (ISO 639-1 codes)."""
    if len(languages) < 2:
        raise ValueError("a detector needs at least two languages to choose from")
    return _Lingua(languages)


class LanguageIdentifier:
    """See the module docstring. Thread-safe; the detector is built once, on the first Latin-script comment."""

    def __init__(
        self,
        room_languages: Sequence[str],
        default: str,
        *,
        neutral_terms: Iterable[str] = (),
        shop_words: Iterable[str] = SHOP_WORDS,
        chat_prior: bool = True,
        detector: DetectorFactory = lingua_detector,
        min_confidence: float = 0.4,
        max_chars: int = 200,
    ) -> None:
        langs = tuple(dict.fromkeys(c for c in map(normalize_lang_code, room_languages) if c))
        default_code = normalize_lang_code(default)
        if not langs:
            raise ValueError("a room needs at least one language")
        if default_code not in langs:
            raise ValueError(f"default language {default!r} is not one of the room languages {list(langs)}")
        self.room_languages = langs
        self.default = default_code
        self.latin_languages = tuple(c for c in langs if c not in SCRIPT_LANGS)
        self.min_confidence = min_confidence
        self.max_chars = max_chars
        # Product names and aliases: single words, and the words of multi-word names ("A1 Lightweight Stroller").
        self._neutral = frozenset(w.casefold() for w in shop_words) | frozenset(
            w.casefold() for term in neutral_terms for w in _LATIN_WORD.findall(unicodedata.normalize("NFKC", term))
        )
        self._chat = {
            lang: CHAT_WORDS.get(lang, frozenset()) | FUNCTION_WORDS.get(lang, frozenset()) if chat_prior else frozenset()
            for lang in self.latin_languages
        }
        self._chat_patterns = {lang: CHAT_PATTERNS[lang] for lang in self.latin_languages if chat_prior and lang in CHAT_PATTERNS}
        self._factory = detector
        self._detector: LatinDetector | None = None
        self._lock = threading.Lock()

    # ---------------------------------------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load the detector now instead of on the first Latin-script comment (no-op when it is not needed)."""
        if len(self.latin_languages) >= 2:
            self._get_detector()
        if {"zh", "ja"} <= set(self.room_languages):
            _kanji_classes()

    def _get_detector(self) -> LatinDetector:
        detector = self._detector
        if detector is None:
            with self._lock:
                detector = self._detector
                if detector is None:
                    detector = self._detector = self._factory(self.latin_languages)
        return detector

    def _fallback(self, confidence: float = 0.0, reason: str = NO_GUESS) -> LangGuess:
        return LangGuess(self.default, confidence, reason)

    # ---------------------------------------------------------------------------------------------------------

    def identify(self, text: str, hint: str | None = None) -> LangGuess:
        hinted = normalize_lang_code(hint)
        if hinted in self.room_languages:
            return LangGuess(hinted, 1.0, HINT)
        text = unicodedata.normalize("NFKC", (text or "")[: self.max_chars * 2])[: self.max_chars]
        text = _HELD_DOWN.sub(r"\1", _NOISE.sub(" ", text))  # "sooo" → "so", as bot.normalize does

        words = _LATIN_WORD.findall(text)
        content = [w for w in words if not self._is_neutral(w)]
        # words of two letters or more count (as the zh/en rule always counted them); "u", "q" only help the detector
        script, script_chars = _dominant_script(text)
        if script and not _latin_dominates(script, script_chars, [w for w in content if len(w) >= 2]):
            return self._script_guess(script, script_chars, sum(map(len, content)), text)
        if not any(len(w) >= 2 for w in words):
            return self._fallback()  # emoji, digits, punctuation, single letters
        if not self.latin_languages:
            return self._fallback(reason=f"{NO_GUESS} (no latin-script room language)")
        if len(self.latin_languages) == 1:
            return LangGuess(self.latin_languages[0], 1.0, ONLY_LATIN)  # zh/en rooms: any Latin word is en, as before
        return self._detect(content, words)

    def _is_neutral(self, word: str) -> bool:
        w = word.casefold()
        return w in self._neutral or _SIZE_CODE.fullmatch(w) is not None

    def _chat_hits(self, word: str) -> list[str]:
        w = word.casefold()
        return [
            lang
            for lang, chat in self._chat.items()
            if w in chat or ((pattern := self._chat_patterns.get(lang)) is not None and pattern.fullmatch(w) is not None)
        ]

    def _telling(self, words: Sequence[str]) -> list[str]:
        """Words that say something about the language: no laughter ("hahaha", "www"), no vowel-less initialism
        ("dd", "kksk", "cbddl": pinyin initials in Chinese chat) unless it is a chat word ("bgt", "dc", "pls")."""
        return [w for w in words if not _NO_LANGUAGE.fullmatch(w) and (_VOWEL.search(w) or self._chat_hits(w))]

    def _script_guess(self, script: str, script_chars: int, latin_letters: int, text: str = "") -> LangGuess:
        lang = {"hangul": "ko", "kana": "ja", "thai": "th", "arabic": "ar", "han": "zh"}[script]
        if lang == "zh" and "ja" in self.room_languages:
            if "zh" not in self.room_languages:
                lang = "ja"  # kanji-only text in a Japanese room
            elif kanji_reads_japanese(text):
                return LangGuess("ja", round(script_chars / (script_chars + latin_letters), 3), KANJI_JA)
        if lang not in self.room_languages:
            return self._fallback(reason=f"{NO_GUESS} ({lang} is not a room language)")
        return LangGuess(lang, round(script_chars / (script_chars + latin_letters), 3), f"script: {script}")

    def _detect(self, content: Sequence[str], words: Sequence[str]) -> LangGuess:
        """Among two or more Latin-script room languages: the detector, with the chat-spelling prior."""
        told = self._telling(content)
        if not any(len(w) >= 2 for w in told):
            told = self._telling(words)  # "link?", "size M?": the shop words are all there is
        if not any(len(w) >= 2 for w in told):
            return self._fallback()
        ranked = self._get_detector().rank(" ".join(told))
        scores = {lang: p for lang, p in ranked if lang in self._chat}
        for w in told:
            for lang in self._chat_hits(w):
                if lang in scores:
                    scores[lang] *= CHAT_WORD_WEIGHT
        total = sum(scores.values())
        if total <= 0:
            return self._fallback()
        lang, p = max(scores.items(), key=lambda kv: kv[1])
        confidence = round(p / total, 3)
        if confidence < self.min_confidence:
            if self.default not in self.latin_languages:
                return LangGuess(lang, confidence, BEST_LATIN)  # Latin words: not the default's script
            return self._fallback(confidence)
        return LangGuess(lang, confidence, DETECTOR)


# Kanji-only Japanese ("送料無料？", "日本発送可能？") in a room that also serves Chinese. Evidence for Japanese: kanji
# forms only Japanese writes (shinjitai such as 発 売 払 円 込 駅 — in JIS X 0208 but in neither GB 2312 nor Big5, so
# in neither simplified nor traditional Chinese text), the iteration mark 々, and shop words Japanese writes in kanji
# that Chinese never uses as words (送料 shipping fee, 在庫 stock, 返品 returns …; not 新作 or 到着, which Chinese
# text holds across word boundaries: 新作品, 等到着急). Evidence for Chinese: characters
# only Chinese writes (simplified or traditional forms Japanese does not have: 这 们 吗 還 們 …) and Chinese particles
# and pronouns. Japanese when its evidence outweighs Chinese; ties stay Chinese, the room's usual reading of Han text.
JA_KANJI_WORDS = frozenset(
    """
    送料 無料 在庫 返品 返金 値段 注文 割引 入荷 品切 支払 税込 税抜 着払 代引 通販 予約 取寄 配達 洗濯 本当
    何色 何枚 何個 何日 色違 送付 発送 購入済 定価 半額 再販 値下
    """.split()
)
_ZH_PARTICLES = re.compile("[了吧呢啊呀哦嘛你他她很也就是吗嗎么麼哪]|多少|可以|什么|没有|沒有|一下|请问|請問")
_JA_MARKS = re.compile("[\u3005]")  # 々


@functools.cache
def _kanji_classes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(Japanese-only kanji, Chinese-only characters) from the national character sets, built once (~40 ms)."""
    def has(ch: str, codec: str) -> bool:
        try:
            ch.encode(codec)
        except UnicodeEncodeError:
            return False
        return True

    ja_only: list[str] = []
    zh_only: list[str] = []
    for cp in range(0x4E00, 0xA000):
        ch = chr(cp)
        jis, gb, big5 = has(ch, "shift_jis"), has(ch, "gb2312"), has(ch, "big5")
        if jis and not gb and not big5:
            ja_only.append(ch)
        elif (gb or big5) and not jis:
            zh_only.append(ch)
    return re.compile(f"[{''.join(ja_only)}]"), re.compile(f"[{''.join(zh_only)}]")


def kanji_reads_japanese(text: str) -> bool:
    """Is kana-less Han ``text`` Japanese rather than Chinese? (see ``JA_KANJI_WORDS``)"""
    ja_chars, zh_chars = _kanji_classes()
    ja = len(ja_chars.findall(text)) + len(_JA_MARKS.findall(text)) + sum(text.count(w) for w in JA_KANJI_WORDS)
    if not ja:
        return False
    zh = len(zh_chars.findall(text)) + len(_ZH_PARTICLES.findall(text))
    return ja > zh


def _latin_dominates(script: str, script_chars: int, content: Sequence[str]) -> bool:
    """Whether the Latin words outweigh the script's characters (the Latin path decides then).

    Han and kana: today's zh/en rule, at least 3 words and twice as many words as characters ("do you ship to 香港").
    Hangul (a syllable block holds 2–3 letters), Thai and Arabic (letters): more Latin letters than that.
    """
    if script in ("han", "kana"):
        return len(content) >= 3 and len(content) * 2 > script_chars
    letters = sum(map(len, content))
    return letters > (2 * script_chars if script == "hangul" else script_chars)


def _kana_count(text: str) -> int:
    hiragana = _HIRAGANA.findall(text)
    katakana = sum(map(len, _KATAKANA_RUN.findall(text)))
    if not katakana and all(ch == "の" for ch in hiragana):
        return 0
    return len(hiragana) + katakana


def _dominant_script(text: str) -> tuple[str | None, int]:
    """The non-Latin script with the most characters (kana counts its kanji too), and that count."""
    counts = {name: len(pattern.findall(text)) for name, pattern in _SCRIPTS}
    kana = _kana_count(text)
    if kana:
        counts["kana"] = kana + counts.pop("han")
    name, n = max(counts.items(), key=lambda kv: kv[1])
    return (name, n) if n else (None, 0)
