"""The review queue: comments the bot stayed silent on or handed to staff, grouped by question.

One group per underlying question ("XL还有吗" / "xl还有没有" / "有XL码吗" end up together), newest first.
Each comment goes to a lane by what the bot decided: spam (the spam intent or moderation), chit-chat, complaint,
question. Spam and chit-chat are shown folded away; lanes never share a group, nor do languages (the language the
bot identified for each comment, logged with it). Within a lane and language, distinct wordings
(after folding case, punctuation and repeats: "来了来了来了" = "来了") are clustered by `models.grouping`: the bot's
sentence vectors (through the engine's cache, so comments it already embedded cost nothing) plus the closest FAQ
and score it logged, the product, and the variant values named (its slot recogniser); without a runtime, by
character bigrams. Where the embedder is weak (`LEXICAL_LANGS`) wordings must share words too. Spam is one group
per language. Comments staff already handled are left out.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from bot.console.i18n import N_
from bot.normalize import normalize
from catalog.langs import pick_tag, primary
from catalog.reports import REVIEW_STATUSES, fallback_candidates, review_candidates
from models.grouping import GroupItem, GroupParams, group_items, lexical_tokens

Encode = Callable[[list[str]], np.ndarray]
Recognise = Callable[[str], Any]  # text -> bot.slots.Slots (its `values`: (product, attribute, value), …)

SKIP_REASONS = ("empty comment", "emoji only")  # nothing to answer there
LANES = ("question", N_("complaint"), N_("chit-chat"), N_("spam"))  # names shown through the `word` filter
FOLDED_LANES = frozenset({"chit-chat", "spam"})  # shown folded away
# Chosen on the replayed demo show (USE-m3): best pairwise F1 against its FAQ labels; docs/console.md.
# USE-m3 puts unrelated Vietnamese / Thai / Indonesian / Korean comments close together: there the similarity is
# half cosine, half character-bigram overlap (idf-weighted), and a pair overlapping less than 0.3 never groups.
# Chosen on the development log data/demo_multilingual.jsonl (bench/bench_review_groups.py; docs/console.md), never
# the hold-out.
LEXICAL_LANGS = frozenset({"vi", "th", "id", "ko"})
EMBED_PARAMS = GroupParams(threshold=0.45, lane_thresholds={"chit-chat": 0.40}, whole_lanes=frozenset({"spam"}),
                           lexical_langs=LEXICAL_LANGS, lexical_weight=0.5, lexical_min=0.3)
LEXICAL_PARAMS = GroupParams(threshold=0.6, whole_lanes=frozenset({"spam"}))
SORTS = ("handoff", "newest", "count")  # the review page's orders; "handoff" (hand-offs and complaints first) by default
DEFAULT_SORT = "handoff"
# intents the bot logs for comments that are no question to file under a FAQ (data/intents.yaml): "add as example"
# starts on no FAQ for them
NOT_QUESTION_INTENTS = frozenset({"chit_chat", "spam", "complaint"})
UNSURE_REASONS = ("low confidence", "ambiguous")  # handed to staff because the closest FAQ was not sure enough
# A comment the bot stayed silent on starts "add as example" on its closest FAQ only when the intent model took it for
# a question *and* that FAQ was at least as likely right as wrong (the confidence is a calibrated P(right)): a
# greeting in Thai whose closest FAQ scored 0.10 is no example of international shipping, one click must not teach it.
PRESELECT_MIN_SCORE = 0.5
# How sure the bot was about the closest FAQ, in the words the review queue shows staff (把握度 低/中/高) instead of the
# raw score: the score is a calibrated P(right), so "high" is where a bot usually answers on its own (the calibrated
# answer threshold of the demo catalog is ~0.86), "low" is below even odds. The raw score stays in the chip's title.
CONFIDENCE_BANDS = ((0.85, "high"), (PRESELECT_MIN_SCORE, "medium"))
_PUNCT_RE = re.compile(r"[\s\W_]+", re.UNICODE)
_REPEATED = re.compile(r"([^\x00-\x7f]{1,4}?)\1+")  # "哈哈哈" -> "哈", "来了来了" -> "来了"; not Latin/digits: "xxl" stays
MAX_RECOGNISED = 300


@dataclass(frozen=True, slots=True)
class QueuedComment:
    room: str
    comment_id: str
    user: str
    text: str
    received_at: float
    status: str
    reason: str | None
    faq_id: str | None
    score: float | None
    product_id: str | None
    lang: str | None
    intent: str | None = None

    @property
    def lane(self) -> str:
        return lane_of(self.reason, self.intent)


def lane_of(reason: str | None, intent: str | None) -> str:
    why = reason or ""
    if intent == "spam" or why.startswith("moderation") or why == "intent spam":
        return "spam"
    if why == "intent chit_chat":
        return "chit-chat"
    if intent == "complaint" or why.startswith("intent complaint"):
        return "complaint"
    return "question"


@dataclass
class ReviewGroup:
    key: str  # stable id of the group: room/comment id of its first comment
    text: str  # the most frequent wording
    comments: list[QueuedComment] = field(default_factory=list)
    lane: str = "question"

    @property
    def count(self) -> int:
        return len(self.comments)

    @property
    def folded(self) -> bool:
        return self.lane in FOLDED_LANES

    @property
    def texts(self) -> list[tuple[str, int]]:
        return Counter(c.text for c in self.comments).most_common()

    @property
    def suggested_faq(self) -> str | None:
        faqs = Counter(c.faq_id for c in self.comments if c.faq_id)
        return faqs.most_common(1)[0][0] if faqs else None

    @property
    def preselected_faq(self) -> str | None:
        """The FAQ "add as example" starts on: the closest one only for a real question the bot was unsure about (a
        hand-off for low confidence or ambiguity, or a comment the intent model took for a question whose closest FAQ
        is at least ``PRESELECT_MIN_SCORE`` likely right). None for
        chit-chat, spam, moderation and complaints, and for comments nothing recognised as a question (看我头像 ↑↑↑
        有福利 is no example of `invoice` because that was the closest FAQ): staff choose."""
        suggested = self.suggested_faq
        if suggested is None or self.lane != "question":
            return None
        for c in self.comments:
            if c.faq_id != suggested or c.intent in NOT_QUESTION_INTENTS:
                continue
            if (c.reason or "").startswith(UNSURE_REASONS):
                return suggested
            if c.intent is not None and (c.score or 0.0) >= PRESELECT_MIN_SCORE:
                return suggested
        return None

    @property
    def handoff(self) -> bool:
        """Waits for staff: a comment handed to staff, or a complaint."""
        return self.lane == "complaint" or any(c.status == "staff" for c in self.comments)

    @property
    def best_score(self) -> float:
        return max((c.score or 0.0 for c in self.comments), default=0.0)

    @property
    def confidence(self) -> str:
        """"low" / "medium" / "high": `best_score` in the words staff read (``CONFIDENCE_BANDS``)."""
        return next((level for floor, level in CONFIDENCE_BANDS if self.best_score >= floor), "low")

    @property
    def statuses(self) -> dict[str, int]:
        return dict(Counter(c.status for c in self.comments))

    @property
    def product_id(self) -> str | None:
        products = Counter(c.product_id for c in self.comments if c.product_id)
        return products.most_common(1)[0][0] if products else None

    @property
    def lang(self) -> str:
        langs = Counter(c.lang for c in self.comments if c.lang)
        return langs.most_common(1)[0][0] if langs else "zh"

    @property
    def langs(self) -> list[tuple[str, int]]:
        """The languages of its comments, most frequent first: [("ja", 3), ("en", 1)]."""
        return Counter(c.lang for c in self.comments if c.lang).most_common()

    def texts_in(self, lang: str) -> list[str]:
        """Its distinct wordings written in `lang` (same primary language; "送料無料ですか" and "送料無料ですか?" are one
        wording, see `wording_key`), most frequent first."""
        base = primary(lang)
        counts = Counter(c.text.strip() for c in self.comments if c.lang and primary(c.lang) == base and c.text.strip())
        seen: dict[str, str] = {}
        for text, _n in counts.most_common():
            seen.setdefault(wording_key(text), text)
        return list(seen.values())

    @property
    def last_seen(self) -> float:
        return max(c.received_at for c in self.comments)

    @property
    def newest(self) -> list[QueuedComment]:
        """The comments, newest first (who asked what, when)."""
        return sorted(self.comments, key=lambda c: -c.received_at)

    @property
    def users(self) -> list[str]:
        return list(dict.fromkeys(c.user for c in self.newest))

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return [(c.room, c.comment_id) for c in self.comments]


@dataclass(frozen=True, slots=True)
class TranslationOffer:
    """"Add translation" for a group: its comments are in `lang` and `faq_id` (the closest FAQ the bot logged) has
    no answer a viewer in `lang` would get; without one, staff pick among `choices` (the FAQs lacking `lang`)."""

    lang: str
    faq_id: str | None
    choices: tuple[str, ...]
    texts: tuple[str, ...]  # the group's wordings in `lang`: they become the FAQ's example questions in `lang`


MAX_TRANSLATION_EXAMPLES = 10


def translation_offer(group: ReviewGroup, faqs: Mapping[str, Any]) -> TranslationOffer | None:
    """What the group row offers to add a translation with, or None: folded lanes, no comment with a known
    language, or every FAQ answers that language already. `faq_id` is set when the closest FAQ the bot logged
    lacks the language (the form is shown right away); otherwise (no closest FAQ, or one that answers the language,
    i.e. the bot's guess was not the question asked) staff pick the FAQ among `choices`."""
    if group.folded or not group.langs:
        return None
    lang = group.lang
    texts = tuple(group.texts_in(lang)[:MAX_TRANSLATION_EXAMPLES])
    choices = tuple(fid for fid, faq in faqs.items() if pick_tag(faq.answers, lang) is None)
    if not texts or not choices:
        return None
    suggested = group.suggested_faq
    return TranslationOffer(lang=lang, faq_id=suggested if suggested in choices else None, choices=choices, texts=texts)


def normalise(text: str) -> str:
    return _PUNCT_RE.sub("", unicodedata.normalize("NFKC", text).casefold())


def wording_key(text: str) -> str:
    """Two comments with the same key are the same wording: case, width, punctuation and repeats folded."""
    folded = normalise(text)
    return _REPEATED.sub(r"\1", folded) or folded or text


def queued_comments(
    store: Any, handled: set[tuple[str, str]], *, limit: int = 5000, include_trivial: bool = False,
    fallback: bool = False,
) -> list[QueuedComment]:
    """Silent/staff comments not yet handled by staff, out of the newest `limit` of them; oldest first.
    `fallback=True`: instead, the comments answered in a fallback language (no template in the viewer's)."""
    out = []
    rows = fallback_candidates(store, limit=limit) if fallback else review_candidates(store, REVIEW_STATUSES, limit=limit)
    for r in rows:  # oldest first: the first comment names a group
        if (r.room, r.comment_id) in handled:
            continue
        if not include_trivial and (r.reason in SKIP_REASONS or not normalise(r.text)):
            continue
        out.append(
            QueuedComment(
                room=r.room,
                comment_id=r.comment_id,
                user=r.user,
                text=r.text,
                received_at=r.received_at,
                status=r.status,
                reason=r.reason,
                faq_id=r.faq_id,
                score=r.score,
                product_id=r.product_id,
                lang=r.lang,
                intent=r.intent,
            )
        )
    return out


def _bigram_vectors(texts: Sequence[str]) -> np.ndarray:
    vocab: dict[str, int] = {}
    rows: list[Counter[int]] = []
    for t in texts:
        grams = [t[i : i + 2] for i in range(len(t) - 1)] or [t]
        rows.append(Counter(vocab.setdefault(g, len(vocab)) for g in grams))
    mat = np.zeros((len(texts), max(1, len(vocab))), dtype=np.float32)
    for i, row in enumerate(rows):
        for j, n in row.items():
            mat[i, j] = n
    return mat


def _slots(recognise: Recognise | None, text: str) -> tuple[tuple[str, ...], Mapping[tuple[str, str], str]]:
    """The products a wording names and the variant values it names ((product, attribute) -> value)."""
    if recognise is None:
        return (), {}
    slots = recognise(text[:MAX_RECOGNISED])
    values: dict[tuple[str, str], str] = {}
    for product, attr, value in slots.values:
        values.setdefault((product, attr), value)
    return tuple(slots.products), values


def _item(key: tuple[str, str, str], members: Sequence[QueuedComment], recognise: Recognise | None) -> GroupItem:
    lane, lang, _wording = key
    named, values = _slots(recognise, members[0].text)
    # the products it can be about: the ones it names, else the owners of the variant values it names ("XL"), else
    # what the bot logged (often just the product on stage)
    products = set(named) or {product for product, _attr in values} or {c.product_id for c in members if c.product_id}
    best = max(members, key=lambda c: c.score or 0.0)
    return GroupItem(lane=lane, lang=lang, grams=lexical_tokens(members[0].text), products=frozenset(products), values=values,
                     topic=best.faq_id, topic_score=float(best.score or 0.0))


def sort_groups(groups: list[ReviewGroup], sort: str = "newest") -> list[ReviewGroup]:
    """Newest first (the latest comment of each group), the largest first ("count", ties: newest first), or the
    hand-offs and complaints first ("handoff", then newest first)."""
    if sort == "count":
        return sorted(groups, key=lambda g: (-g.count, -g.last_seen))
    if sort == "handoff":
        return sorted(groups, key=lambda g: (not g.handoff, -g.last_seen, -g.count))
    return sorted(groups, key=lambda g: (-g.last_seen, -g.count))


def group_comments(
    comments: Sequence[QueuedComment],
    encode: Encode | None = None,
    threshold: float | None = None,
    *,
    recognise: Recognise | None = None,
    params: GroupParams | None = None,
    sort: str = "newest",
) -> list[ReviewGroup]:
    """Group comments by meaning (see the module doc); newest group first, or largest first with sort="count"."""
    if not comments:
        return []
    by_key: dict[tuple[str, str, str], list[QueuedComment]] = {}
    for c in comments:  # one wording per lane and language
        by_key.setdefault((c.lane, primary(c.lang) if c.lang else "", wording_key(c.text)), []).append(c)
    # newest wordings first: past GroupParams.max_clustered per lane, older ones only join existing clusters
    keys = sorted(by_key, key=lambda k: -max(c.received_at for c in by_key[k]))
    firsts = [by_key[k][0].text for k in keys]
    if params is None:
        params = EMBED_PARAMS if encode is not None else LEXICAL_PARAMS
    if threshold is not None:
        params = replace(params, threshold=threshold, lane_thresholds={})
    if encode is not None:
        vectors = np.asarray(encode([normalize(t) or t for t in firsts]), dtype=np.float32)
    else:
        vectors = _bigram_vectors([k[2] for k in keys])
    items = [_item(k, by_key[k], recognise) for k in keys]

    groups = []
    for cluster in group_items(vectors, items, params):
        cs = sorted((c for i in cluster for c in by_key[keys[i]]), key=lambda c: c.received_at)
        group = ReviewGroup(key=f"{cs[0].room}/{cs[0].comment_id}", text="", comments=cs, lane=keys[cluster[0]][0])
        group.text = group.texts[0][0]
        groups.append(group)
    return sort_groups(groups, sort)
