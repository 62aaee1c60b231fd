"""Two or three shop questions in one comment, answered in one reply ("黑色多少钱？有XL吗", "how much and do you have it
in black?", "giá bao nhiêu, còn size L không?").

The matcher and the structured path read a comment as one question, so such a comment got one answer (the price) and
the viewer's second question none. Here, pure and small:

- :func:`may_ask_several` — a cheap gate run on every comment: at least two question markers (question marks, question
  words of the eight room languages). Nothing else below runs for a comment without them.
- :func:`split_clauses` — the comment cut at question marks, commas and full stops, at a space between two words of a
  script written without spaces (Chinese, Japanese, Thai), and at "and"-words between clauses (and, y, dan, và, 그리고,
  另外 …). Then every piece that does not ask a question of its own type (stock, count, price, what is left, restock, an
  attribute, size advice) is joined to the next question, or to the last one: "黑色 多少钱" stays one clause, "白色的呢"
  (what about the white one?) leans on the question before it and is never a question of its own.
- :func:`with_multi` — each clause is read by the structured path and its checks (bot/answer_checks.py
  ``with_structured``) as a comment of its own, about the comment's product. Only when **every** clause is a confident
  structured answer about the same product (two or three different ones) does the decision become one answer with the
  clauses' decisions as its parts (path ``multi``); the engine renders each part from live stock and joins them in the
  viewer's language. Otherwise the comment keeps its decision as before: one clause not understood ("黑色多少钱？包邮吗":
  the postage is no catalog data) leaves the matcher's decision, never half an answer presented as the whole one.

- :func:`faq_clauses` / :func:`with_faq_parts` (h/left17) — when not every clause is a structured answer, a clause may
  be a FAQ's ("多少钱 包邮吗"): the engine reads each clause as a comment of its own through the matcher and every check,
  and the comment gets one answer of those parts when each is confident (see :func:`combine_parts` for the cases where
  only one of them is).

Why not answer the understood part and pass the rest to staff: a comment has one outcome in this bot (answered, staff,
silent …); a hand-off posts nothing and puts the comment in the review queue, an answered comment leaves it. Half an
answer would leave the other question with nobody, or staff answering a comment the bot already replied to without
seeing which half. Keeping the single decision is what was measured until now.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from bot.answer_checks import with_structured
from bot.exchange_ask import EXCHANGE_ASKED
from bot.guards import OTHER_ATTRIBUTE, OTHER_THING
from bot.messages import Comment
from bot.normalize import normalize
from bot.pipeline import (
    ANSWER,
    EXACT_MATCH,
    NOT_ASKED,
    SILENT,
    STAFF,
    CatalogView,
    Decision,
    Understanding,
)
from bot.resolve import asked_variant, choose_product, mentioned_products
from bot.ship_abroad import SHIPS_ABROAD
from bot.sibling_kind import TWO_VALUES
from bot.size_advice import ADVICE
from bot.slots import question_type
from bot.structured import STRUCTURED
from catalog.text import fold

__all__ = [
    "MAX_QUESTIONS", "MULTI", "combine_parts", "confident_part", "faq_clauses", "may_ask_several", "split_clauses",
    "with_faq_parts", "with_multi",
]

MULTI = "multi"
MAX_QUESTIONS = 3  # more questions than this in one comment: left to the single decision
MAX_CHARS = 300  # as the decision checks (bot/answer_checks.py MAX_RECOGNISED_CHARS): the longest prefix read

# Question markers: a run of question marks counts once; question words and particles of the room languages. Generous
# (a gate, not a reading): "有没有XL吗？" has three, and is split into one clause.
_MARKERS = re.compile(
    r"[?？]+|吗|呢|多少|几|什么|啥|哪|有没有|能不能|是不是"
    r"|\b(?:how|what|which|when|any|do you|does|is it|are there|is there)\b"
    r"|か[?？]?(?=\s|$|[、。])|いくら|ありますか|何|どれ|どの"
    r"|까|나요|얼마|있어요|있나요|뭐|몇|어떤"
    r"|ไหม|มั้ย|เท่าไหร่|เท่าไร|อะไร|กี่|ไหน"
    r"|\b(?:không|khong|ko|bao nhiêu|bao nhieu|gì|nào|mấy|chưa)\b"
    r"|\b(?:berapa|brp|apa|gak|ga|nggak|kah|ada)\b"
    r"|¿|\b(?:cuánto|cuanto|qué|cuál|cual|hay|tienen)\b",
    re.I,
)

# Where a comment may be cut: question marks, full stops, commas (kept with the piece before them).
_PUNCT = re.compile(r"[?？!！。.;；,，、\n…~～]+")
# A space between two words of a script written without spaces is a clause boundary ("多少钱 有没有XL",
# "ราคาเท่าไหร่คะ มีไซส์ XL ไหม", "いくらですか XLありますか"); Korean, Vietnamese and the Latin-script languages space
# their words, so a space there is not one.
_NO_SPACE_SCRIPT = r"\u3040-\u30ff\u3400-\u9fff\u0e00-\u0e7f"
_SPACE = re.compile(rf"(?<=[{_NO_SPACE_SCRIPT}])\s+(?=\S)")
# "and"-words between two clauses ("how much and do you have it in black", "¿cuánto cuesta y hay en negro?"); a piece
# after one is a question of its own only if it asks one (the joining rule below), so "black and white" stays whole
_AND = re.compile(
    r"\s+(?:and|also|plus|&|y|además|tambi[eé]n|dan|terus|trus|sama|sekalian|và|với lại|với|thêm nữa|그리고|또)\s+"
    r"|另外|以及|然后|顺便问(?:一?下)?|还想问(?:一?下)?|それと|それから|แล้วก็",
    re.I,
)


def may_ask_several(text: str) -> bool:
    """Does ``text`` hold at least two question markers? (the gate: a comment without them is never split)"""
    markers = _MARKERS.finditer(text[:MAX_CHARS])
    return next(markers, None) is not None and next(markers, None) is not None


def _pieces(text: str) -> list[tuple[int, int]]:
    """``text`` cut at punctuation (kept with the piece before it), at spaces between words of scripts written without
    spaces and at "and"-words (dropped); (start, end) spans of the non-empty pieces, in order."""
    cuts: list[tuple[int, int]] = []  # (where the piece before ends, where the next one starts)
    cuts.extend((m.end(), m.end()) for m in _PUNCT.finditer(text))
    cuts.extend((m.start(), m.end()) for m in _SPACE.finditer(text))
    cuts.extend((m.start(), m.end()) for m in _AND.finditer(text))
    cuts.sort()
    spans: list[tuple[int, int]] = []
    start = 0
    for end, nxt in cuts:
        if end <= start:
            start = max(start, nxt)
            continue
        if text[start:end].strip(" ?？!！。.;；,，、…~～\n"):
            spans.append((start, end))
        start = max(start, nxt)
    if text[start:].strip(" ?？!！。.;；,，、…~～\n"):
        spans.append((start, len(text)))
    return spans


def _asks(piece: str, view: CatalogView) -> bool:
    """Does ``piece`` ask a question of its own type: a question word of a type (stock, count, what is left, price,
    restock), an attribute asked, a "how much" about a value, measurements asking for a size? A variant named with a
    question mark alone ("白色的呢？", "XXL?") leans on the question before it: no."""
    if question_type(unicodedata.normalize("NFKC", piece).casefold()) is not None:
        return True
    if view.recogniser is None:
        return False
    slots = view.recogniser.recognise(piece)
    return slots.size_question or slots.qtype in ("price", "attribute")


# A piece that asks something on its own: a question mark, a question word, a final question particle. Such a piece
# that asks no question of a type ("包邮吗", "白色的呢？", "where do you ship from") is a question the catalog data does
# not answer (or one that leans on another): the comment is then not split at all.
_ASKS_SOMETHING = re.compile(
    r"[?？¿]|(?:吗|呢|嘛|么)\s*$|什么|啥|哪|几|怎么|为什么|谁|多久|是不是|能不能|可不可以|有没有"
    r"|\b(?:what|where|when|why|who|how|which)\b|^\s*(?:do|does|did|can|could|is|are|will|would|should)\b"
    r"|か\s*$|何|どこ|いつ|なぜ|どう|誰|까\s*$|나요\s*$|뭐|어디|언제|왜|어떻게|누구|몇"
    r"|ไหม\s*$|มั้ย\s*$|อะไร|ที่ไหน|เมื่อไหร่|ทำไม|ยังไง|ใคร|กี่"
    r"|\b(?:gì|đâu|khi nào|bao giờ|sao|mấy)\b|\b(?:không|khong|ko|chưa|hả)\s*$"
    r"|\b(?:apa|mana|kapan|kenapa|gimana|siapa|berapa)\b|\b(?:gak|ga|nggak|kah)\s*$"
    r"|\b(?:qué|dónde|cuándo|por qué|cómo|quién|cuánto|cuánta)\b",
    re.I,
)


def split_clauses(text: str, view: CatalogView, *, faq_ok: bool = False) -> list[str]:
    """The questions of ``text``, each with the words before it that ask nothing of their own ("黑色 多少钱") and the
    trailing words joined to the last one; [] when ``text`` is one piece, or when a piece asks something that is no
    question of a type ("黑色多少钱？包邮吗", "多少钱，白色的呢": not to be answered in part). Each clause is a slice of
    ``text``. ``faq_ok``: a piece that asks something of no type is a clause of its own too ("包邮吗": maybe a FAQ;
    the caller reads it through the matcher, :func:`with_faq_parts`)."""
    text = text[:MAX_CHARS]
    spans = _pieces(text)
    if len(spans) < 2:
        return []
    clauses: list[tuple[int, int]] = []
    pending: int | None = None  # start of words that ask nothing yet, waiting for the question they belong to
    for start, end in spans:
        begin = start if pending is None else pending
        if _asks(text[begin:end], view):  # the words waiting and this piece ask a question ("มีไซส์" + "XL ไหม")
            clauses.append((begin, end))
            pending = None
        elif _ASKS_SOMETHING.search(text[start:end]):
            if not faq_ok:
                return []  # a question the catalog data does not answer, or one that leans on another
            clauses.append((begin, end))
            pending = None
        else:
            pending = begin
    if pending is not None and clauses:
        clauses[-1] = (clauses[-1][0], spans[-1][1])  # trailing words: part of the last question
    return [text[s:e].strip() for s, e in clauses]


# The decisions a comment's clauses may replace: the matcher unsure or answering (it read one question of two), a
# structured answer (it read one of them), and "two values named" (one per question: "白色XL还有吗，黑色M多少钱").
# Never an intent's decision (a complaint, chit-chat), a guard's hand-off, a reroute, a recommendation.
_REPLACEABLE = frozenset({
    "below threshold", "low confidence", "ambiguous between two FAQs", "no FAQ candidates", "match", EXACT_MATCH,
    NOT_ASKED, TWO_VALUES,
})


def _replaceable(d: Decision) -> bool:
    if d.band not in (ANSWER, STAFF, SILENT):
        return False
    return d.reason in _REPLACEABLE or (d.path == STRUCTURED and d.reason.startswith("structured "))


def with_multi(c: Comment, u: Understanding, d: Decision, view: CatalogView) -> Decision:
    """``d``, or one answer to each of the two or three questions of ``c`` when the structured path answers every one
    of them confidently about one product (path ``multi``, the clauses' decisions as ``parts``)."""
    if u.empty or view.recogniser is None or not may_ask_several(c.text) or not _replaceable(d):
        return d
    clauses = split_clauses(c.text, view)
    if not 2 <= len(clauses) <= MAX_QUESTIONS:
        return d
    parts: list[Decision] = []
    seen: set[tuple] = set()
    for clause in clauses:
        part = _clause_decision(c, clause, u, d, view)
        if part is None:
            return d  # one question not understood: never half an answer
        # "多少钱？多少钱？", "สีขาวบางไหมคะ มองทะลุไหม" (is the white thin? see-through?): one question asked twice; an
        # attribute's answer is the same whatever variant was named
        values = () if part.qtype == "attribute" else tuple(sorted(part.asked.items()))
        key = (part.qtype, part.attribute, part.product_id, values)
        if key not in seen:
            seen.add(key)
            parts.append(part)
    if len(parts) < 2 or len({p.product_id for p in parts}) != 1:
        return d  # one question after all, or questions about different products (each reply names no product)
    if sum(p.qtype == ADVICE for p in parts) > 1:
        return d  # "i'm 5'7 and 130 lbs, what size?": the measurements of one size question, cut apart
    why = " | ".join(p.reason for p in parts)
    return replace(
        d, band=ANSWER, path=MULTI, parts=tuple(parts), product_id=parts[0].product_id, asked=dict(parts[0].asked),
        faq_id=None, qtype=None, attribute=None, reason=f"{len(parts)} questions: {why}",
    )


def _clause_decision(c: Comment, clause: str, u: Understanding, d: Decision, view: CatalogView) -> Decision | None:
    """The structured decision of one clause read as a comment of its own (its product: the one it names, else the
    comment's), with every check of the structured path; None when it is not a confident structured answer."""
    folded = fold(normalize(clause))
    named = tuple(mentioned_products(folded, view.terms))
    products = view.snapshot.products
    if named:
        product_id, how = choose_product(named, None, None, products)
    else:
        product_id, how = u.product_id, u.product_how
    product = products.get(product_id) if product_id else None
    asked = asked_variant(folded, product, view.variant_terms.get(product.id)) if product is not None else {}
    uc = replace(u, text=normalize(clause), mentioned=named or u.mentioned, product_id=product_id, product_how=how,
                 asked=asked)
    # the clause alone: no FAQ matched it (a plain "多少钱" gets the product's price), no intent guessed
    base = Decision(comment_id=d.comment_id, band=SILENT, reason="below threshold", lang=d.lang, product_id=product_id,
                    asked=asked, mentioned=uc.mentioned)
    part = with_structured(replace(c, text=clause), uc, base, view)
    if part.band != ANSWER or part.path != STRUCTURED:
        return None
    return part




# --- a clause may be a FAQ (h/left17): "多少钱 包邮吗", "送料はいくらですか?日本に送れますか", "anakku baru 2 bulan, udah bisa
# pake belum kak? sama ada warna apa aja". The engine reads each clause of such a comment as a comment of its own, through
# the matcher, the structured path and every check a single comment gets (bot/engine.py), then :func:`with_faq_parts`
# decides from those decisions.

FIRST_ONLY = "the first of several questions: the only one understood"
LATER_ONLY = "several questions, the first one not understood: an answer to a later one would answer the wrong one"


def faq_clauses(c: Comment, u: Understanding, d: Decision, view: CatalogView) -> list[tuple[str, bool]]:
    """The two or three clauses of ``c`` to read one by one when one of them may be a FAQ, each with whether it asks a
    question of a structured type (a clause that does not may only be a FAQ's: "包邮吗", never "白色的呢" read as a
    stock question); [] when ``d`` already answers several questions or may not be replaced, or when ``c`` asks one
    question."""
    if d.path == MULTI or u.empty or view.recogniser is None or not may_ask_several(c.text):
        return []
    # a guard that read the words of one question as another thing's ("giá bao nhiêu, có freeship không?": "freeship"
    # is no word of the product) reads each clause again below
    # and a FAQ of a kind chosen for the words of one question ("送料はいくらですか?日本に送れますか" → shipping abroad, "do
    # you have it in white? can I return it …" → returns): each clause is read again with the same reroutes
    if not (_replaceable(d) or (d.band == STAFF and d.reason in (OTHER_THING, OTHER_ATTRIBUTE))
            or (d.band == ANSWER and d.reason in (SHIPS_ABROAD, EXCHANGE_ASKED))):
        return []
    clauses = split_clauses(c.text, view, faq_ok=True)
    return [(clause, _asks(clause, view)) for clause in clauses] if 2 <= len(clauses) <= MAX_QUESTIONS else []


def confident_part(part: Decision, lang: str, view: CatalogView) -> bool:
    """Is ``part`` (one clause's decision) a confident answer that can be said in ``lang`` without another script: a
    structured answer, or a FAQ answer whose FAQ has a template written for ``lang``?"""
    if part.band != ANSWER or part.parts:
        return False
    if part.path == STRUCTURED:
        return True
    if part.path != "faq" or part.faq_id is None:
        return False
    faq = view.snapshot.faqs.get(part.faq_id)
    return faq is not None and faq.answer_tag(lang) is not None


def _same_answer(a: Decision, b: Decision) -> bool:
    return (a.faq_id, a.qtype, a.attribute, a.product_id) == (b.faq_id, b.qtype, b.attribute, b.product_id)


def with_faq_parts(
    c: Comment, u: Understanding, d: Decision, view: CatalogView, clauses: list[tuple[str, bool]], matched: list[Decision]
) -> Decision:
    """``d``, given the clauses of ``c`` (:func:`faq_clauses`) and each one's decision read as a comment of its own
    (``matched``: the matcher, the structured path and their checks): a clause of a structured type is read by the
    structured path first, as :func:`with_multi` reads it ("多少钱" is the price from live data), then
    :func:`combine_parts`."""
    parts = [
        (_clause_decision(c, clause, u, d, view) if typed else None) or m
        for (clause, typed), m in zip(clauses, matched, strict=True)
    ]
    return combine_parts(d, parts, view, [typed for _clause, typed in clauses])


def combine_parts(d: Decision, parts: list[Decision], view: CatalogView, typed: list[bool] | None = None) -> Decision:
    """``d``, given the decisions of its comment's clauses (:func:`faq_clauses`, each read as a comment of its own):

    - every clause a confident answer (:func:`confident_part`), about one product (a shop-wide FAQ fits any), two or
      three different answers → one answer of those parts, in the comment's order (path ``multi``);
    - ``d`` silent, the first clause confident and the later ones silent as no shop question (chit-chat) → the first
      clause's answer (a shop question left unsure may be what the first one only led to);
      ``d`` for staff stays (staff answers the whole comment);
    - the first clause not confident and ``d`` a structured list of live data read from a later clause (the colours in
      stock) → staff (the comment's main question would get the answer to another one);
    - otherwise ``d``."""
    if len(parts) < 2:
        return d
    typed = typed if typed is not None else [True] * len(parts)
    # a clause that asks no question of a structured type is confident only as a FAQ's answer: "白色的呢", "and the
    # white one?" lean on the question before them, and read alone they would be a stock question
    ok = [confident_part(p, d.lang, view) and (t or p.path == "faq") for p, t in zip(parts, typed, strict=True)]
    unique: list[Decision] = []
    for p in parts:
        if not any(_same_answer(p, q) for q in unique):
            unique.append(p)
    products = {p.product_id for p in unique if not (p.path == "faq" and _global_faq(p, view))}
    if all(ok) and len(unique) >= 2 and len(products) <= 1 and sum(p.qtype == ADVICE for p in unique) <= 1:
        product_id = next(iter(products), d.product_id)
        why = " | ".join(p.reason for p in unique)
        return replace(
            d, band=ANSWER, path=MULTI, parts=tuple(replace(p, lang=d.lang) for p in unique), product_id=product_id,
            asked=dict(unique[0].asked), faq_id=None, qtype=None, attribute=None,
            reason=f"{len(unique)} questions: {why}",
        )
    first = parts[0]
    if d.band == STAFF:
        return d  # staff answers the whole comment; half an answer would take it from their queue
    # silent: the first question, understood, is answered when the others are no shop question (an intent's silence:
    # "多少钱？主播今天几点下播", chit-chat about the host); a later shop question the matcher was unsure of may be what
    # the first one only led to ("dino sold out?? when is it back": when it comes back), so the comment stays silent
    if d.band != ANSWER:
        if ok[0] and all(p.band == SILENT and p.reason.startswith("intent ") for p in parts[1:]):
            return replace(first, comment_id=d.comment_id, lang=d.lang, reason=f"{first.reason}; {FIRST_ONLY}")
        return d
    if ok[0]:
        return d  # the answer read from the whole comment ("XL卖完了?那L能穿吗 我182": the first clause led to the size)
    # only a list of live data read from one clause (the colours in stock, a price, a stock count): a FAQ or an attribute
    # may answer the whole comment ("氷水入れても大丈夫？何時間冷たい？" → the heat FAQ, "外面什么面料 防水吗" → the shell)
    if d.path == STRUCTURED and d.qtype in _DATA_QTYPES and any(_same_answer(p, d) for p in parts[1:]):
        return replace(d, band=STAFF, reason=LATER_ONLY)
    return d


_DATA_QTYPES = frozenset({"which", "stock", "count", "price", "restock"})


def _global_faq(p: Decision, view: CatalogView) -> bool:
    faq = view.snapshot.faqs.get(p.faq_id) if p.faq_id else None
    return faq is not None and faq.product_id is None
