"""The subject of an attribute question in es, vi, id, ja, ko and th: is it the product on stage, or something else in
the room? ("¿de qué material es tu micrófono?", "cái bàn chất liệu gì vậy", "mic kakak bahannya apa", "マイクの素材は
何ですか", "마이크 소재가 뭐예요", "ไมค์ทำจากอะไร" with the tee on stage.) Chinese and English subjects are read by
bot/slots.py (``attribute_rest``) and bot/guards.py (``about_own_product``); this module reads the other six room
languages from the word lists of bot/other_thing_words.py.

A comment asks about another thing when it names one of the language's ``OTHER_THINGS`` (not after a preposition or
before a particle of place: "con la luz", "照明で"), when a Spanish determiner introduces another noun ("tu silla",
"la botella"), when a Vietnamese or Indonesian noun phrase sits right before or after the attribute word ("cái đồng hồ
chất liệu gì", "bahan dari lemari itu apa"), or when it asks about what the host is wearing ("váy chị đang mặc") —
unless the word is the product's own: its names, aliases, descriptions, attribute texts, its FAQs' example questions
(in every language the catalog writes), or a word for its kind of goods ("ropa", "áo", "baju" for apparel); a noun
phrase is the product's when any of its words is. A Thai comment is first split into words (bot/thai_segment.py) and
its subject is the noun that opens the attribute word's clause ("แก้วที่พี่ถืออยู่ทำจากอะไร", a glass), read at the end
of this module. Pure functions of the text and the catalog snapshot.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.attribute_words import ATTRIBUTE_WORDS
from bot.other_thing_words import (
    ANY_GOODS,
    CLITIC,
    DETERMINERS,
    GARMENT_KINDS,
    HOST_GARMENT,
    HOST_WEARS,
    LANGS,
    NOT_A_THING,
    NOT_A_WORD_AFTER,
    NOT_SUBJECT,
    NP_ABORT,
    NP_ADDRESS,
    NP_AFTER,
    NP_BEFORE,
    NP_FILLER,
    OTHER_THINGS,
    OWN_KIND,
    TH_ASK_COLOUR,
    TH_THINGS,
    TH_WORDS,
    TOPIC_NOT_A_THING,
)
from bot.product_words import per_snapshot, texts_by_product
from bot.thai_segment import OTHER, UNKNOWN, Lexicon, at_word_edges, segment
from catalog.text import fold_text, strip_latin_marks

if TYPE_CHECKING:
    from catalog.snapshot import CatalogSnapshot

__all__ = ["about_another_thing", "garment_kind", "host_wears", "subject_words"]

_KANA = "ァ-ヺー"
_HANGUL = "가-힣"
_THAI_LEADING = "เแโใไ"  # Thai vowels written before the consonant they follow in speech
# how far a preposition or a particle of place is looked for around a word ("con la ", "สำหรับ", "에서"): a window, so
# that a long comment is read in linear time
_LOOK_BEFORE = 40
_LOOK_AFTER = 12
# what may follow a Korean noun for it to be the word itself: nothing, or a particle ("마이크가", "책상은", "언니의")
_KO_PARTICLE = re.compile(r"(?:은|는|이|가|을|를|의|도|만|요|이랑|랑|에|에서|으로|로|하고|보다|처럼|같이|용)?(?![가-힣])")
@functools.lru_cache(maxsize=16)
def _things(lang: str) -> re.Pattern[str] | None:
    """One pattern for the language's ``OTHER_THINGS``, longest first, with the language's word edges."""
    words = sorted({fold_text(w) for w in OTHER_THINGS.get(lang, ())}, key=len, reverse=True)
    if not words:
        return None
    parts = []
    for w in words:
        body = re.escape(w)
        if re.search(r"[a-zà-ÿđ\u0100-\u024f\u1e00-\u1eff]", w):  # Latin: a whole word ("kursinya" too, in Indonesian)
            parts.append(rf"(?<![^\W\d_]){body}{'(?:nya)?' if lang == 'id' else ''}(?![^\W\d_])")
        elif re.fullmatch(f"[{_KANA}]+", w):  # katakana: not inside a longer katakana word
            parts.append(rf"(?<![{_KANA}]){body}(?![{_KANA}])")
        elif re.fullmatch(f"[{_HANGUL}]+", w):  # Korean: starts a word
            parts.append(rf"(?<![{_HANGUL}]){body}")
        else:  # Thai: not after a leading vowel, which starts a longer word ("หมา", a dog, in "เหมาะ", suitable)
            after = NOT_A_WORD_AFTER.get(w)
            before = f"(?<![{_THAI_LEADING}])" if re.match("[\u0e01-\u0e2e]", w) else ""
            parts.append(before + body + (f"(?!{after})" if after else ""))
    return re.compile("|".join(parts))


def subject_words(text: str, lang: str, snapshot: CatalogSnapshot | None = None) -> tuple[str, ...]:
    """The words of ``text`` (a comment in ``lang``) that may name what an attribute question is about, besides the
    product: the language's words for other things, where they are not what for or where ("¿de qué material es tu
    micrófono?" → ("micrófono",), "¿se transparenta con la luz?" → ()), in Spanish the noun after a determiner
    ("tu silla" → ("silla",), "la botella" → ("botella",)), in Japanese and Korean the topic of the attribute word
    ("時計の素材は" → ("時計",), "시계 소재가 뭐예요" → ("시계",)), in Vietnamese and Indonesian the noun phrase
    before or after the attribute word ("cái đồng hồ chất liệu gì" → ("đồng hồ",), "bahan tas kakak apa" → ("tas",)),
    in Thai the noun that opens the attribute word's clause ("แก้วที่พี่ถืออยู่ทำจากอะไร" → ("แก้ว",)); ``snapshot`` adds
    the catalog's own Thai words to the Thai lexicon."""
    if lang not in LANGS:
        return ()
    folded = fold_text(text)
    if lang == "th":
        return tuple(dict.fromkeys(_thai_subjects(folded, _th_lexicon(snapshot))))
    found: list[str] = []
    pattern = _things(lang)
    not_subject = re.compile(NOT_SUBJECT[lang]) if lang in NOT_SUBJECT else None
    for m in pattern.finditer(folded) if pattern else ():
        word = m.group()
        before, after = _window(folded, m.start(), m.end())
        if lang == "ko" and _KO_PARTICLE.match(after) is None:
            continue  # "방수" (waterproof) is not "방" (a room)
        if lang == "id" and word.endswith("nya") and word[:-3] in OTHER_THINGS["id"]:
            word = word[:-3]
        if not_subject is not None and (
            not_subject.search(before) if lang in ("es", "vi", "id", "th") else not_subject.match(after)
        ):
            continue
        found.append(word)
    if lang in ("vi", "id"):  # a kind of garment anywhere, as a thing of the lists ("áo khoác đen phía sau chất liệu gì")
        found.extend(_garments(folded, lang, not_subject))
    found.extend(_after_determiners(folded, lang, not_subject))
    found.extend(_topic(folded, lang))
    found.extend(_noun_phrases(folded, lang))
    return tuple(dict.fromkeys(found))


def _garments(folded: str, lang: str, not_subject: re.Pattern[str] | None) -> list[str]:
    """The words for a kind of garment in ``folded`` (``GARMENT_KINDS``), not after a preposition ("mặc với áo khoác",
    "cocok dengan jaket": what with, not what)."""
    pattern = _garment_pattern(lang)
    found = []
    for m in pattern.finditer(folded) if pattern else ():
        if not_subject is not None and not_subject.search(_window(folded, m.start(), m.end())[0]):
            continue
        found.append(garment_kind(m.group(), lang) or m.group())
    return found


def _window(folded: str, start: int, end: int) -> tuple[str, str]:
    """The text just before ``start`` and just after ``end``, as far as a preposition or a particle reaches."""
    return folded[max(0, start - _LOOK_BEFORE):start], folded[end:end + _LOOK_AFTER]


def _after_determiners(folded: str, lang: str, not_subject: re.Pattern[str] | None) -> list[str]:
    """The nouns after the language's determiners ("la botella", "tu silla", "del sofá"), not in a prepositional phrase
    ("en la lavadora", "para el invierno") and not a colour, a size or an attribute word ("la blanca", "el material")."""
    determiners = DETERMINERS.get(lang)
    if not determiners:
        return []
    skip = frozenset(NOT_A_THING.get(lang, ()))
    clitic = re.compile(CLITIC[lang]) if lang in CLITIC else None
    found = []
    for m in re.finditer(rf"(?<![^\W\d_])(?:{'|'.join(determiners)})\s+([^\W\d_]+)", folded):
        if m.group(1) in skip or m.group(1) in determiners or (
            not_subject is not None and not_subject.search(_window(folded, m.start(), m.start())[0])
        ) or (clitic is not None and clitic.search(_window(folded, m.end(1), m.end(1))[0])):
            continue
        found.append(m.group(1))
    return found


@functools.lru_cache(maxsize=16)
def _attribute_pattern(lang: str) -> re.Pattern[str] | None:
    """The built-in words of ``lang`` that ask for an attribute (bot/attribute_words.py), longest first."""
    words = sorted({fold_text(w) for by_lang in ATTRIBUTE_WORDS.values() for w in by_lang.get(lang, ())}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))) if words else None


# Japanese: the topic or owner marked by の / は / って / が right before the attribute word ("ポスターの素材", "時計は
# 何でできて"); its last word is a run of katakana or of one to three kanji. Korean: the word before the attribute word
# when the attribute word is asked about ("소재가 뭐예요", "무게 얼마", "재질 뭐예요"), not the predicate ("소재예요?").
_JA_TOPIC = re.compile(r"([ァ-ヺー]{2,}|[\u4e00-\u9fff]{1,3})(?:の|は|って|が)\s*(?:何|なに|どんな)?\s*$")  # "…は何素材"
_KO_ASKED = re.compile(r"^(?:가|이|는|은|도)?\s*(?:뭐|무엇|뭔|어때|어떻|어떤|얼마|몇|알려|[?？]|$)")
_KO_PARTICLES = re.compile(r"(?:은|는|이|가|의|도|을|를)$")
# an attribute word that is a predicate ("가벼워요", "따뜻해"), and a word that compares or says where ("…보다", "…에서")
_KO_PREDICATE = re.compile(r"(?:요|나|해|까|워|어)$")
_KO_NOT_TOPIC_END = re.compile(r"(?:보다|처럼|같이|에서|에|으로|로|랑|하고|용)$")


def _topic(folded: str, lang: str) -> list[str]:
    """The word a Japanese or Korean attribute question is about, when it names one before its attribute word."""
    pattern = _attribute_pattern(lang) if lang in TOPIC_NOT_A_THING else None
    m = pattern.search(folded) if pattern else None
    if m is None:
        return []
    skip = TOPIC_NOT_A_THING[lang]
    head = folded[:m.start()]
    if lang == "ja":
        topic = _JA_TOPIC.search(head)
        word = topic.group(1) if topic else ""
    else:
        if not _KO_ASKED.match(folded[m.end():]) or _KO_PREDICATE.search(m.group()):
            return []  # "잉글레시나보다 가벼워요?": an adjective asks about the goods, the word before it compares
        tokens = head.split()
        word = _KO_PARTICLES.sub("", tokens[-1]) if tokens and head.endswith(" ") else ""
        if not re.fullmatch("[가-힣]{2,}", word) or _KO_NOT_TOPIC_END.search(word):
            return []
    return [word] if word and word not in skip else []


# a clause before the attribute word longer than this is not read as one noun phrase; a phrase is one to three words
_NP_CLAUSE = 6
_NP_WORDS = 3


def _noun_phrases(folded: str, lang: str) -> list[str]:
    """The noun phrase of a Vietnamese or Indonesian attribute question: right before its attribute word, at the start
    of its clause ("cái đồng hồ chất liệu gì" → "đồng hồ", "jamnya bahannya apa" → "jam"), or right after it
    ("chất liệu của cái ghế" → "ghế", "bahan dari lemari itu apa" → "lemari"). Nothing when the clause holds a
    question, colour or attribute word, a verb of use or a number ("cho em hỏi chất liệu gì" → none)."""
    if lang not in NP_BEFORE:
        return []
    found = []
    m = re.search(NP_BEFORE[lang], folded)
    if m is not None:
        tokens = re.split(r"[,.!?;:\n？！]|(?<![^\W\d_])(?:ơi|oi)(?![^\W\d_])", folded[:m.start()])[-1].split()
        words = [_np_word(t, lang) for t in tokens]
        called = len(words) == 2 and words[0] in NP_ADDRESS[lang]  # "kak rina bahannya apa": a name
        if not called and len(words) <= _NP_CLAUSE and not any(w in NP_ABORT[lang] or not w.isalpha() for w in words):
            found.append(_run(words, lang))
    a = re.search(NP_AFTER[lang], folded)
    if a is not None and all(t in NP_FILLER[lang] for t in (a.groupdict().get("tail") or "").split()):
        found.append(_run([_np_word(t, lang) for t in a.group("np").split()], lang))
    return [np for np in found if np]


def _np_word(token: str, lang: str) -> str:
    """A word of a noun phrase, without an Indonesian "-nya" ("jamnya" → "jam") and without edge punctuation."""
    token = token.strip("\"'()[]")
    return token[:-3] if lang == "id" and token.endswith("nya") and len(token) > 5 else token


def _run(words: list[str], lang: str) -> str:
    """The first run of words that are not fillers (classifiers, pronouns, owners, places, particles), ended by a
    filler, a question or attribute word or a number; "" when it starts with one of those or is longer than three."""
    run: list[str] = []
    for w in words:
        if w in NP_FILLER[lang]:
            if run:
                break
            continue
        if w in NP_ABORT[lang] or not w.isalpha():
            if run:
                break
            return ""
        run.append(w)
    return " ".join(run) if len(run) <= _NP_WORDS else ""


def host_wears(text: str, lang: str) -> bool:
    """Does ``text`` (in ``lang``) ask about what the host is wearing ("váy chị đang mặc", "baju yg kakak pake")?"""
    return any(re.search(p, fold_text(text)) for p in HOST_WEARS.get(lang, ()))


def about_another_thing(text: str, lang: str, product_id: str, snapshot: CatalogSnapshot) -> bool:
    """An attribute question in ``lang`` (es, vi, id, ja, ko, th) about something that is not ``product_id``: a thing
    in the room its own words do not name, or what the host is wearing. False for every other language."""
    if lang not in LANGS:
        return False
    if host_wears(text, lang) or _host_garment(text, lang, product_id, snapshot):
        return True
    if lang == "th":
        return any(not _own_th(w, product_id, snapshot) for w in subject_words(text, lang, snapshot))
    # a noun phrase is the product's when any of its words is ("áo thun trắng", "vỏ xe"), unless it names a kind of
    # garment ("áo khoác", a jacket: "áo" is any garment's word, the kind decides)
    # (a thing of the list is read whole: "xe đạp", a bicycle, is not the stroller's "xe")
    phrases = set(_noun_phrases(fold_text(text), lang)) - _listed_things(lang)
    return any(
        not (_own(word, lang, product_id, snapshot) or (
            word in phrases and garment_kind(word, lang) is None
            and any(_own(w, lang, product_id, snapshot) for w in word.split())
        ))
        for word in subject_words(text, lang)
    )


@functools.lru_cache(maxsize=16)
def _listed_things(lang: str) -> frozenset[str]:
    """The language's ``OTHER_THINGS`` of more than one word, folded."""
    return frozenset(fold_text(w) for w in OTHER_THINGS.get(lang, ()) if " " in w)


@functools.lru_cache(maxsize=16)
def _garment_pattern(lang: str) -> re.Pattern[str] | None:
    """The language's ``GARMENT_KINDS`` words, longest first; Latin ones stand alone (an Indonesian "-nya" may follow)."""
    words = sorted({fold_text(w) for w in GARMENT_KINDS.get(lang, ())}, key=len, reverse=True)
    if not words:
        return None
    nya = "(?:nya)?" if lang == "id" else ""
    return re.compile("|".join(
        rf"(?<![^\W\d_]){re.escape(w)}{nya}(?![^\W\d_])" if re.search("[a-zà-ỹđ]", w) else re.escape(w) for w in words
    ))


@functools.lru_cache(maxsize=16)
def _garment_glosses(lang: str) -> dict[str, tuple[str, ...]]:
    """The language's ``GARMENT_KINDS``, keyed by the folded word (what ``garment_kind`` returns)."""
    return {fold_text(w): glosses for w, glosses in GARMENT_KINDS.get(lang, {}).items()}


def garment_kind(word: str, lang: str) -> str | None:
    """The word for one kind of garment (``GARMENT_KINDS``) that ``word`` (a subject word or noun phrase in ``lang``)
    names, or None: "áo khoác đen" → "áo khoác", "デニムジャケット" → "ジャケット", "jaketnya" → "jaket", "ropa" → None."""
    pattern = _garment_pattern(lang)
    m = pattern.search(fold_text(word)) if pattern else None
    if m is None:
        return None
    found = m.group()
    return found[:-3] if lang == "id" and found.endswith("nya") and found not in _garment_glosses(lang) else found


def _garment_own(garment: str, lang: str, product_id: str, snapshot: CatalogSnapshot) -> bool:
    """Is the garment kind ``garment`` (in ``lang``) the product's own: does its naming text (names, aliases, tags, FAQ
    example questions, any language) hold the word or one of its Chinese / English glosses? Not its descriptions or
    attribute texts, which name other garments ("with a sweater underneath")."""
    naming = _naming(snapshot).get(product_id, "")
    words = (garment, *_garment_glosses(lang).get(garment, ()))
    for w in words:
        if re.search("[a-zà-ỹđ]", w):
            # a whole word: "shirt" is not the "t-shirt" of a tee's name
            if re.search(rf"(?<![^\W\d_])(?<!-){re.escape(w)}(?:e?s)?(?![^\W\d_])", naming):
                return True
        elif (at_word_edges(naming, w) if re.match("[\u0e01-\u0e4e]", w) else w in naming):
            return True
    return False


@per_snapshot
def _naming(snapshot: CatalogSnapshot) -> dict[str, str]:
    """Each product's naming text, folded: names, aliases, tags, category, variant values and labels and its FAQs'
    example questions, in every language (not its descriptions nor attribute texts: they are answers, and they name
    other things)."""
    naming: dict[str, list[str]] = {}
    for pid, p in snapshot.products.items():
        texts = [*p.name.values(), *p.aliases, p.category, *p.tags]
        for variant in p.variants:
            texts.extend(str(v) for v in variant.attrs.values())
            texts.extend(str(w) for labels in variant.labels.values() for w in (labels or {}).values())
        naming[pid] = texts
    for faq in snapshot.faqs.values():
        if faq.product_id in naming:
            naming[faq.product_id].extend(faq.questions)
    return {pid: fold_text("\n".join(texts)) for pid, texts in naming.items()}


def _host_garment(text: str, lang: str, product_id: str, snapshot: CatalogSnapshot) -> bool:
    """Does ``text`` ask about a garment of the host's ("tu chaqueta", ``HOST_GARMENT``) that the product's own words do
    not name ("tu chaqueta" with the tee on stage; "tu camiseta" is the tee the host shows)?"""
    if lang not in HOST_GARMENT:
        return False
    possessive, garments = HOST_GARMENT[lang]
    own = strip_latin_marks(_vocabulary(snapshot).get(product_id, ""))
    for m in re.finditer(possessive, fold_text(text)):
        word = strip_latin_marks(m.group(1))
        if not re.fullmatch(strip_latin_marks(garments), word):
            continue
        forms = {word, word[:-1] if word.endswith("s") else word, word[:-2] if word.endswith("es") else word}
        if not any(re.search(rf"(?<![^\W\d_]){re.escape(f)}(?![^\W\d_])", own) for f in forms if len(f) >= 3):
            return True
    return False


def _own(word: str, lang: str, product_id: str, snapshot: CatalogSnapshot) -> bool:
    """Is ``word`` one of the product's own words: a word for its kind of goods or any goods, or in its vocabulary?"""
    product = snapshot.products.get(product_id)
    if product is None:
        return True
    garment = garment_kind(word, lang)
    if garment is not None:  # "chaqueta", "ジャケット", "자켓" with the tee on stage: the catalog's words decide
        return _garment_own(garment, lang, product_id, snapshot)
    kind = OWN_KIND.get(product.category.casefold(), {})
    if word in kind.get(lang, ()) or word in ANY_GOODS.get(lang, ()):
        return True
    own = _vocabulary(snapshot).get(product_id, "")
    plain = strip_latin_marks(word)
    if not re.search(r"[a-z]", plain):
        return word in own
    # a Latin word stands alone; typed without diacritics it may be any word with them ("ghe" is "ghế"), typed with
    # them it is that word ("đèn", a lamp, is not "đen", black); a Spanish plural is its singular ("camisetas")
    text = own if word != plain else strip_latin_marks(own)
    forms = {word, word[:-1] if word.endswith("s") else word, word[:-2] if word.endswith("es") else word}
    return any(re.search(rf"(?<![^\W\d_]){re.escape(f)}(?![^\W\d_])", text) for f in forms if len(f) >= 2)


@per_snapshot
def _vocabulary(snapshot: CatalogSnapshot) -> dict[str, str]:
    """Each product's own words, folded: names, aliases, descriptions, category, tags, attribute texts, the shop's words
    for its attribute keys, its variants' options and the example questions of its FAQs (every language)."""
    words = texts_by_product(snapshot, attributes=True, variants=True)
    return {pid: fold_text("\n".join(texts)) for pid, texts in words.items()}


# --- Thai ---------------------------------------------------------------------------------------------------------
# Thai runs its words together: the comment is split into the words of a closed lexicon (bot/thai_segment.py: at
# plausible word edges only, the split leaving the fewest letters unknown), then read like Japanese and Korean, a
# topic-first language: the thing asked about opens the clause of the first attribute word ("กาต้มน้ำบนโต๊ะวัสดุอะไร",
# "ร่มคันสีเหลือง ข้างหลังพี่ ผ้าอะไร"), or follows it after ของ ("น้ำหนักของจักรยาน"). Lexicon classes: the attribute
# words (bot/attribute_words.py, "which colour"), things (``TH_THINGS``, ``OTHER_THINGS["th"]``), the goods' own words
# (``OWN_KIND``, ``ANY_GOODS``, the catalog's Thai names, aliases and variant labels), and ``TH_WORDS``.
_ASK, _THING, _OWN = "ask", "thing", "own"
_TH_PUNCT = re.compile(r"[.!?,;:…\n？！。、]")
_TH_HEAD_WORDS = 12  # a clause longer than this before its attribute word is not read
_TH_NOUNISH = frozenset((_THING, _OWN, UNKNOWN, "this"))  # a phrase of only colours, places or owners names no thing


@functools.lru_cache(maxsize=1)
def _th_base() -> dict[str, str]:
    """The built-in Thai lexicon: word → class (a later class wins: own < thing < the function words < ask)."""
    classes: dict[str, str] = {}
    for kinds in OWN_KIND.values():
        classes.update((fold_text(w), _OWN) for w in kinds.get("th", ()))
    classes.update((fold_text(w), _OWN) for w in ANY_GOODS.get("th", ()))
    classes.update((fold_text(w), _THING) for w in (*OTHER_THINGS["th"], *TH_THINGS, *GARMENT_KINDS["th"]))
    for cls, words in TH_WORDS.items():
        classes.update((fold_text(w), cls) for w in words)
    for by_lang in ATTRIBUTE_WORDS.values():
        classes.update((fold_text(w), _ASK) for w in by_lang.get("th", ()))
    classes.update((fold_text(w), _ASK) for w in TH_ASK_COLOUR)
    return classes


_TH_NOT_BEFORE = {fold_text(w): p for w, p in NOT_A_WORD_AFTER.items() if re.match("[\u0e01-\u0e4e]", w)}


@functools.lru_cache(maxsize=1)
def _th_anywhere() -> frozenset[str]:
    """The words of ``OTHER_THINGS["th"]`` (folded), read wherever they stand (built once, not once per comment)."""
    return frozenset(fold_text(w) for w in OTHER_THINGS["th"])


@dataclass(frozen=True)
class _ThaiCatalog:
    """A snapshot's Thai lexicon; each product's naming text (folded), and its names and aliases alone (folded)."""

    lexicon: Lexicon
    naming: dict[str, str]
    names: dict[str, str]


_THAI_RUN = re.compile("[\u0e01-\u0e4e]+")


@functools.lru_cache(maxsize=1)
def _th_plain() -> Lexicon:
    return Lexicon.build(_th_base(), _TH_NOT_BEFORE)


def _th_lexicon(snapshot: CatalogSnapshot | None) -> Lexicon:
    """The Thai lexicon, with the catalog's own Thai words when ``snapshot`` is given: the Thai runs of the products'
    names, aliases and variant labels (own) and of the shop's words for attribute keys (asking)."""
    if snapshot is None:
        return _th_plain()
    return _th_catalog(snapshot).lexicon


@per_snapshot
def _th_catalog(snapshot: CatalogSnapshot) -> _ThaiCatalog:
    """The snapshot's Thai lexicon and each product's naming text (folded): names, aliases, tags, category, variant
    values and labels and its FAQs' example questions, in every language. Not its attribute texts: they are answers, and
    they name other things ("ตากในที่ร่ม", dry in the shade, holds ร่ม, an umbrella)."""
    classes = dict(_th_base())
    names: dict[str, str] = {}
    for pid, p in snapshot.products.items():
        names[pid] = fold_text("\n".join((*p.name.values(), *p.aliases)))
        texts = [*p.name.values(), *p.aliases, p.category, *p.tags]
        for variant in p.variants:
            texts.extend(str(v) for v in variant.attrs.values())
            texts.extend(str(w) for labels in variant.labels.values() for w in (labels or {}).values())
        for run in _THAI_RUN.findall(fold_text(" ".join(texts))):
            classes.setdefault(run, _OWN)
    for words in ((snapshot.synonyms or {}).get("attributes", {}) or {}).values():
        for w in words or ():
            for run in _THAI_RUN.findall(fold_text(str(w))):
                classes[run] = _ASK
    return _ThaiCatalog(Lexicon.build(classes, _TH_NOT_BEFORE), _naming(snapshot), names)


def _thai_subjects(folded: str, lexicon: Lexicon) -> list[str]:
    """The things a Thai attribute question names: the words of ``OTHER_THINGS["th"]`` anywhere, not after a word of
    what for or where ("ใส่ในห้องแอร์": in a room); the noun opening the clause of the first attribute word; the noun
    after the attribute word and ของ."""
    words = segment(folded, lexicon)
    anywhere = _th_anywhere()
    not_subject = re.compile(NOT_SUBJECT["th"])
    found: list[str] = []
    pos = 0
    for word, _cls in words:
        if word in anywhere and not not_subject.search(folded[max(0, pos - _LOOK_BEFORE):pos]):
            found.append(word)
        pos += len(word)
    ask = next((i for i, (_w, cls) in enumerate(words) if cls == _ASK), None)
    if ask is not None:
        found.extend(w for w in (_th_head(words[:ask]), _th_after(words[ask + 1:])) if w)
    return found


def _space(word: str, cls: str) -> bool:
    return cls == OTHER and not word.strip()


def _th_head(head: list[tuple[str, str]]) -> str:
    """The noun opening the clause before a Thai attribute word: a thing of the lists, or an unknown noun a noun phrase
    visibly goes on after ("ดัมเบลข้างหลัง", "…ของพี่", "…ที่พี่ถือ", "…ใบนั้น"); "" when the clause opens with the goods'
    own word, a colour, a classifier or "this one", a verb, a question word or a person who uses the goods."""
    for i in range(len(head) - 1, -1, -1):  # the clause: after the last punctuation
        if head[i][1] == OTHER and _TH_PUNCT.search(head[i][0]):
            head = head[i + 1:]
            break
    chunks: list[list[tuple[str, str]]] = [[]]
    for word, cls in head:  # Thai writes a space between phrases: a chunk of only places, owners or a "ที่ …" relative
        if _space(word, cls):  # clause goes with the noun before it ("แก้ว ที่พี่ถืออยู่ ทำจากอะไร")
            chunks.append([])
        else:
            chunks[-1].append((word, cls))
    start = None
    for k in range(len(chunks) - 1, -1, -1):  # the last phrase holding a noun, not opening with ที่ / ของ
        content = [(w, c) for w, c in chunks[k] if c not in ("skip", "person")]
        if content and content[0][1] != "mark" and any(c in _TH_NOUNISH for _w, c in content):
            start = k
            break
    if start is None:
        return ""
    tokens = [t for chunk in chunks[start:] for t in chunk]
    if len(tokens) > _TH_HEAD_WORDS:
        return ""
    i = 0
    while i < len(tokens) and tokens[i][1] in ("skip", "person", "place"):
        i += 1
    if i < len(tokens) - 1 and tokens[i][1] == "classifier" and tokens[i + 1][1] == UNKNOWN:
        # a classifier opening a compound noun: "เครื่อง|ปั่น" (a blender), not "ตัว|สีดำ" (the black one)
        tokens[i:i + 2] = [(tokens[i][0] + tokens[i + 1][0], UNKNOWN)]
    if i == len(tokens):
        return ""
    word, cls = tokens[i]
    if cls == _THING or (cls == UNKNOWN and _th_phrase_goes_on(tokens[i + 1:])):
        return word
    return ""


def _th_phrase_goes_on(rest: list[tuple[str, str]]) -> bool:
    """Does a noun phrase go on after a Thai noun: a place, ของ + an owner, ที่ + a person or a verb of placing, a
    classifier + "that"?"""
    if not rest:
        return False
    (word, cls), after = rest[0], rest[1][1] if len(rest) > 1 else ""
    return (
        cls in ("place", "that")
        or (word == "ของ" and after == "person")
        or (word == "ที่" and after in ("person", "mark"))
        or (cls == "classifier" and after == "that")
    )


def _th_after(rest: list[tuple[str, str]]) -> str:
    """The noun right after a Thai attribute word: a thing of the lists ("วัสดุแก้ว"), or any noun after ของ
    ("น้ำหนักของจักรยาน", "วัสดุของกระติก")."""
    rest = [t for t in rest if not _space(*t)]
    if not rest:
        return ""
    if rest[0][0] == "ของ" and len(rest) > 1 and rest[1][1] in (_THING, UNKNOWN, _OWN):
        return rest[1][0]
    return rest[0][0] if rest[0][1] == _THING else ""


def _own_th(word: str, product_id: str, snapshot: CatalogSnapshot) -> bool:
    """Is the Thai ``word`` the product's own: a word for its kind of goods or any goods, a word of its names, aliases,
    tags, variant labels or FAQ example questions (at Thai word edges: "รถเข็น" in "รถเข็นเด็ก…"), or a thing of
    ``TH_THINGS`` its Chinese or English names call it ("แก้ว" for a "保温杯", "กระเป๋าเดินทาง" for a "suitcase")?"""
    product = snapshot.products.get(product_id)
    if product is None:
        return True
    garment = garment_kind(word, "th")
    if garment is not None:  # "แจ็คเก็ต" with the tee on stage: the catalog's words decide (``_garment_own``)
        return _garment_own(garment, "th", product_id, snapshot)
    kind = OWN_KIND.get(product.category.casefold(), {}).get("th", ())
    if word in {fold_text(w) for w in (*kind, *ANY_GOODS.get("th", ()))}:
        return True
    catalog = _th_catalog(snapshot)
    if at_word_edges(catalog.naming.get(product_id, ""), word):
        return True
    names = catalog.names.get(product_id, "")
    return any(
        gloss in names if re.match("[\u4e00-\u9fff]", gloss)
        else re.search(rf"(?<![^\W\d_]){re.escape(gloss)}(?:e?s)?(?![^\W\d_])", names) is not None
        for gloss in TH_THINGS.get(word, ())
    )
