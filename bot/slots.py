"""Catalog-derived recognisers: which product, which variant values, which attribute and what kind of question.

Pure and built once per catalog snapshot (kept in ``CatalogView``, rebuilt on hot reload). One Aho–Corasick automaton
(`pyahocorasick`) holds every product name and alias, every variant value with its labels and the catalog's synonyms
(`synonyms.values`), every attribute word (`synonyms.attributes`) and the model codes in product names that name
one product ("A1" of "轻便婴儿推车A1", bot/resolve.py `model_codes`); a comment is scanned once, in linear time,
whatever the size of the catalog. The question type comes from a small set of phrase patterns per language.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import ahocorasick

from bot.attribute_words import attribute_words as builtin_attribute_words
from bot.attribute_words import ranked
from bot.colour_words import colour_aliases, is_latin
from bot.context_words import asks_load, order_attributes, states_value
from bot.measures import Body, is_size_question, parse_body
from bot.quantity_words import counted_number
from bot.question_words import intl_counts_items, intl_how_much, intl_question, intl_question_type, intl_which_attribute
from bot.resolve import model_codes
from bot.value_property import property_kinds
from bot.value_words import ShadeNumbers, derived_words, shade_stems
from catalog.size_chart import SIZE_ATTR
from catalog.snapshot import CatalogSnapshot
from catalog.text import HAN_RE, fold

__all__ = ["QTYPES", "Recogniser", "Slots", "question_type"]

log = logging.getLogger(__name__)

# What a comment can ask that the catalog itself answers, strongest signal first.
# Chinese classifiers of goods counted one by one, after 几 / 多少 ("还有几台", "还剩几瓶"); never a size (几号), an age
# (几岁), a weight (几斤), a price (几块) or a time (几天, 几点)
COUNT_CLASSIFIERS_ZH = (
    r"(?:几|幾|多少)\s*(?:件|双|雙|个(?![月小钟星礼])|個|台|辆|輛|瓶|盒|条|條|支|套|包|只|隻|罐|袋|副|张|張|桶|份|箱|顶|頂)"
)
QTYPES = ("restock", "count", "which", "price", "stock", "attribute")

_QTYPE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "restock",
        re.compile(
            r"补货|补了|补上|到货|再补|回货|还补|会补|什么时候补|啥时候补|什么时候有|啥时候有|restock|back in stock"
            r"|come back|coming back|be back|back\?|back\s*$"
        ),
    ),
    (
        "count",
        re.compile(
            r"还剩多少|剩多少|还有多少|剩几|还剩几|几件|几双|几个(?![月小钟星礼])|多少件|多少双|多少个|how many|how much stock"
            # how many are left counted with the goods' own classifier: "粉色还有几台" (a stroller), "还有几瓶", "还有几盒"
            # (after 还有 / 还剩 only: "一盒有几包" asks what one box holds, bot/contents_count.py)
            r"|(?:还有|還有|还剩|還剩)\s*(?:" + COUNT_CLASSIFIERS_ZH + r")"
        ),
    ),
    (
        "which",
        re.compile(
            r"哪些|哪几|什么码|啥码|什么尺码|什么颜色|啥颜色|几种颜色|什么色|啥色|哪个颜色|哪个码"
            r"|(有|都有|还有)(什么|啥)(码|尺码|颜色|色|配色|色号|款)|(什么|啥|几种|几个)(配色|色号)"
            r"|what (sizes|colou?rs)|which (sizes|colou?rs)|sizes? (are )?(left|available)|colou?rs? (are )?(left|available)"
        ),
    ),
    # "怎么卖" / "咋卖" (how is it sold: the price), "hw much" (typed short)
    ("price", re.compile(r"多少钱|多钱|什么价|啥价|价格|价钱|几块|几元|怎么卖|咋卖|how much|\bhw much\b|price|cost")),
    (
        "stock",
        re.compile(
            r"有吗|有没有|没有了|没了|还有|有货|没货|有木有|有么|有嘛|有不|卖完|卖光|抢光|售罄|断货|有的卖|能买|还能拍|能拍|拍得到"
            r"|有.{1,10}[吗么嘛]"
            r"|in stock|available|left\b|do you have|have you got|sold out|still have|any .* left"
            # "do you sell the cream one in M?" asks for that variant as "do you have" does (bot/sells_question.py
            # keeps a stock answer to it; a FAQ or attribute of the product still goes to staff)
            r"|\b(?:do|does|d) (?:you|u|ya)(?: guys| all)? (?:also |even )?(?:sell|carry)\b"
        ),
    ),
)
_WHICH_ATTR = (
    ("colour", re.compile(r"色号|配色")),  # before size: the 号 of 色号 is not a size
    ("size", re.compile(r"码|尺码|尺寸|号|size", re.I)),
    ("colour", re.compile(r"颜色|色|colou?r", re.I)),
    ("spec", re.compile(r"款|规格|口味|味|flavou?r|version", re.I)),
)
_QUESTION_HINT = re.compile(
    r"[?？吗呢嘛么]|多少|多[重大长宽久高]|几|什么|啥|哪|怎么|咋|能不能|能|可以|会不会|是不是"
    r"|([\u4e00-\u9fff])不\1"  # A-not-A: 沉不沉, 厚不厚, 防不防水
    r"|how|what|which|is it|does it|can i|do you"
    r"|^\s*(?:is|are|does|do|did|can|could|will|would|should|has|have)\b",  # "is this jacket warm enough"
    re.I,
)
# Asking for advice without a question word: "推荐一个送女朋友的", "anything cheaper", "castle or dinosaur set".
_REQUEST = re.compile(r"推荐|建议|求|还是|recommend|suggest|ideas?\b|\bany|something|\bbest\b|\bbetter\b|\bor\b", re.I)
# A variant named as a question with no other question words ("黑色44码呢", "black 43?"), or a bare variant ("黑色L码",
# "白的") — bare only when nothing but the variant and filler is there: "红色警戒。" / "乐府还没s啊" are chatter.
_FOLLOW_UP = re.compile(r"[?？呢吗]\s*$")
_ASKING = re.compile(r"[?？呢吗]")
_BARE_FILLER = re.compile(r"[\s的码号色款个件双呀啊哦嘛么~～.。,，!！…]+")
# Questions about the host, not the goods ("主播穿的是什么码"): never answered from the catalog.
# Sale events named with a colour or a number: "black friday" is not the colour black, "双十一" / "618" not a size.
_SALE_EVENT = re.compile(
    r"black\s*friday|cyber\s*monday|黑色星期五|黑五|双十一|双11|双十二|双12|(?<![0-9])618(?![0-9])(?=\s*(?:大促|活动|会|的时候|期间))"
    r"|ブラックフライデー|블랙\s*프라이데이|แบล็กฟรายเดย์",
    re.I,
)
_ABOUT_HOST = re.compile(r"主播|你穿|你的|you wear|are you wearing|your (size|height|weight)", re.I)
# Words that ask about availability itself (not a yes/no frame): with them a stock question stays a stock question
# even when an attribute word is named ("轻的那款还有货吗", "còn hàng không").
_AVAILABILITY = re.compile(
    r"有货|没货|库存|卖完|卖光|售罄|断货|in stock|sold out|\bleft\b|available"
    r"|在庫|売り切れ|品切れ|完売|재고|품절|매진|남아|남았|สต็อก|สต๊อก|หมด|เหลือ"
    r"|còn|\bcon\b|hết|\bhet\b|stok|stock|habis|kosong|ready|agotad|queda|disponible"
)
# Words that ask how many are *left* (beside _AVAILABILITY): a count with them is a stock count, whatever else it names.
_LEFT = re.compile(r"剩|残り|あと何|remaining|\bsisa\b|\btinggal\b|quedan|quedar|\bcon\b|còn|남아|남았|남은")
_SINGLE_OK_AFTER = ("码", "号", "的", "色", "款", "size", "サイズ", " サイズ", "사이즈", " 사이즈")
_SINGLE_OK_BEFORE = ("size", "ไซส์", "ไซด์", "talla", "ukuran", "サイズ", "사이즈")


def question_type(text: str) -> str | None:
    """The first matching question type of (folded) ``text``, or None."""
    for name, pattern in _QTYPE_PATTERNS:
        if pattern.search(text):
            return name
    return intl_question_type(text)  # ja, ko, th, vi, id, es (bot/question_words.py)


# Question and request words the recogniser's lists do not need (they carry no question type) but that make a
# comment ask something: "when will it ship", "any coupons", "ukurannya pas ga", "có size L hả", "¿hay envío?",
# "link pls", "xin link", "tolong cek". Only for ``reads_as_question``.
_ASKS_TOO = re.compile(
    r"\b(?:when|where|who|why|whose|any|anything|is there|are there|pls|plz|please|tell me|wondering|or)\b"
    r"|\b(?:ga|gk|kah|apakah|mana|kapan|bisa|boleh|tolong|minta|atau)\b"
    r"|\b(?:hả|hông|ko|k|đâu|chưa|nào|sao|xin|cho xin|hay|bao lâu|bao lau)\b"
    r"|\b(?:dónde|donde|cuándo|cuando|por qué|quién|hay|se puede|puedo|o)\b"
    r"|[かの][?？]?$|ください|教えて|주세요|ไหน|บ้าง|ขอ|หรือ|ยัง"
    r"|还是|求|请|麻烦|吗|呢|嘛|么|谁"
)


def reads_as_question(text: str, *, types_count: bool = True) -> bool:
    """Does ``text`` ask something in any room language (a question type, a question or request word, a question
    mark)? Generous: it decides only that a statement is not answered by a FAQ whose examples all ask.
    ``types_count=False``: a question type's words alone ("giá", price) do not make it a question."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return bool(
        (types_count and question_type(folded)) or _QUESTION_HINT.search(folded) or intl_question(folded)
        or _ASKS_TOO.search(folded)
    )


def which_attribute(text: str) -> str | None:
    for attr, pattern in _WHICH_ATTR:
        if pattern.search(text):
            return attr
    return intl_which_attribute(text)


_NO_BODY = Body()


@dataclass(frozen=True, slots=True)
class Slots:
    """What a comment names and asks. ``values`` are (product id, attribute, canonical value) in text order."""

    products: tuple[str, ...] = ()
    values: tuple[tuple[str, str, str], ...] = ()
    attributes: tuple[str, ...] = ()
    qtype: str | None = None
    which: str | None = None  # for qtype "which": the attribute asked about (size / colour / spec)
    question: bool = False  # the text reads like a question
    body: Body = _NO_BODY  # height / weight / foot length the comment gives (bot/measures.py)
    size_question: bool = False  # it asks which size to take, with measurements ("175 120斤穿什么码")
    request: bool = False  # a question, or a request for advice ("推荐一个", "anything cheaper"): not a statement
    # a price question the product's own price answers: no other cost named (shipping, tax, a coupon), no quantity
    # ("两件多少钱"), no attribute ("how much does it weigh")
    plain_price: bool = False
    # the stock reading comes from a variant named in a question ("… 43?") with other words the recogniser did not
    # read, and no question word asked for stock ("es original?"): weak evidence of which product is meant
    loose: bool = False
    # a price question naming a cost that is not the goods' (shipping, tax, a coupon: "送料はいくら")
    other_cost: bool = False
    # the words of a plain price question the recogniser did not read, besides price words and filler ("cup price?"
    # → ("cup",), "水筒いくら" → ("水筒",)): maybe another product, or one the shop does not sell
    price_rest: tuple[str, ...] = ()
    # the words of an attribute question the recogniser did not read, besides asking words and filler ("舰长什么成分"
    # → ("舰长",), "what is your mic made of" → ("mic",)): maybe the attribute of something else than the product
    attribute_rest: tuple[str, ...] = ()
    # the kinds of property predicate (a closed list, bot/property_words.py) said in the clause that names a variant
    # value ("白色的能用漂白剂吗" → ("bleach",), "is the L big?" → ("fit",), "白色的还有吗" → ()): a property of the value
    # asked, not its stock (bot/value_property.py)
    property_asked: tuple[str, ...] = ()
    # a bare "how much" in a room language ("kak strollernya brp?", "xe day nay bn vay", "เท่าไหร่คะ"): no question
    # type, value, attribute or number besides it; the words left once the catalog's terms, price words and filler are
    # removed (maybe the product's own: bot/how_much.py decides). None when the comment is not such a question.
    how_much_rest: tuple[str, ...] | None = None
    # the stock or count reading comes from a stock word ("有吗", "còn ko", "in stock", "ありますか"), not from a value
    # named as a question ("Tシャツ、170cm 65kgの男だとLですか?", "여자 235 신는데 여성용 맞죠?")
    stock_asked: bool = False
    # a value was named by its shade code ("#21", "màu 21", "色号21"): a code names one product's value, not a colour
    # many products come in
    by_code: bool = False

    def asked_for(self, product_id: str) -> dict[str, str]:
        """The variant values named for ``product_id`` (first mention of each attribute wins)."""
        out: dict[str, str] = {}
        for pid, attr, value in self.values:
            if pid == product_id:
                out.setdefault(attr, value)
        return out


@dataclass(frozen=True)
class Recogniser:
    """One automaton over the catalog's vocabulary. Build with :meth:`build`, scan with :meth:`recognise`."""

    automaton: Any
    attribute_keys: Mapping[str, frozenset[str]] = field(default_factory=dict)  # product id -> its attribute keys
    empty: bool = True
    # numbers said for the catalog's shade codes ("màu 21" → "#21", bot/value_words.py), rewritten before the scan
    shades: ShadeNumbers = field(default_factory=ShadeNumbers)

    @classmethod
    def build(cls, snapshot: CatalogSnapshot) -> Recogniser:
        entries: dict[str, set[tuple[str, ...]]] = {}

        def add(term: str, payload: tuple[str, ...]) -> None:
            folded = fold(term)
            if folded:
                entries.setdefault(folded, set()).add(payload)

        synonyms = snapshot.synonyms or {}
        value_words: Mapping[str, Mapping[str, list[str]]] = synonyms.get("values", {}) or {}
        attribute_words: Mapping[str, list[str]] = synonyms.get("attributes", {}) or {}
        keys: dict[str, frozenset[str]] = {}
        shade_codes: set[str] = set()
        numbers: set[float] = set()  # every number the catalog uses as a value or a price (not a shade's)
        for product in snapshot.products.values():
            names = [fold(name) for name in [*product.name.values(), *product.aliases]]
            for folded in names:
                if len(folded) >= 2 or folded.isascii():
                    add(folded, ("product", product.id))
            own: dict[tuple[str, str], set[str]] = {}
            labels: dict[tuple[str, str], Mapping[str, str]] = {}
            prices = {float(product.price)} if product.price is not None else set()
            for variant in product.variants:
                if variant.price is not None:
                    prices.add(float(variant.price))
                for attr, value in variant.attrs.items():
                    canonical = str(value)
                    labels.setdefault((attr, canonical), variant.labels.get(attr, {}) or {})
                    words = {canonical, *(str(v) for v in (variant.labels.get(attr, {}) or {}).values())}
                    words.update(value_words.get(attr, {}).get(canonical, ()))
                    words.update(_stems(words))
                    own.setdefault((attr, canonical), set()).update(w for w in map(fold, words) if w)
                    amount = _NUMBER.match(fold(canonical))
                    if amount is not None:
                        numbers.add(float(amount.group(1)))
            shade_codes.update(w for ws in own.values() for w in ws if _SHADE_CODE.fullmatch(w))
            numbers.update(prices)
            # words the catalog does not spell out: a basic colour, "白T", "大瓶", "màu kem", "loại 500"
            # (bot/value_words.py)
            for word, named in derived_words(own, names, labels, prices).items():
                for attr, canonical in named:
                    own[(attr, canonical)].add(word)
            for (attr, canonical), words in own.items():
                for word in words:
                    add(word, ("value", product.id, attr, canonical))
            keys[product.id] = frozenset(product.attributes)
            for key in product.attributes:
                for word in [key.replace("_", " "), *attribute_words.get(key, ())]:
                    add(word, ("attribute", key))
        _add_model_codes(snapshot, entries)
        _add_builtin_words(snapshot, entries)
        automaton = ahocorasick.Automaton()
        for term, payloads in entries.items():
            automaton.add_word(term, (term, tuple(sorted(payloads))))
        if entries:
            automaton.make_automaton()
        return cls(automaton=automaton, attribute_keys=keys, empty=not entries,
                   shades=ShadeNumbers.of(shade_codes, numbers))

    def recognise(self, text: str) -> Slots:
        """Scan (normalised) ``text`` once. Longest non-overlapping matches win; Latin words and numbers must
        stand alone ("xl" not inside "xxl", "4" not inside "44"); a one-character term needs a size/colour context."""
        typed = unicodedata.normalize("NFKC", text or "")
        body = parse_body(typed)
        if body.spans and len(typed.casefold()) == len(typed):  # "一百四十斤" is a weight, never a size 40
            chars = list(typed)
            for start, end in body.spans:
                chars[start:end] = " " * (end - start)
            typed = "".join(chars)
        events = [m.span() for m in _SALE_EVENT.finditer(typed)]
        if events:  # "black friday" names a sale, not the colour black: blanked before any value is read
            typed = _blank(typed, events)
        original = self.shades.rewrite(canonical_numbers(typed).strip())
        folded = original.casefold()
        if len(folded) != len(original):  # casefold changed lengths (ß → ss): no case information to rely on
            original = folded
        qtype = None if _ABOUT_HOST.search(folded) else question_type(folded)
        asks_stock = qtype in ("stock", "count")  # said with a stock word ("有吗", "còn ko", "in stock"), not a bare value
        question = bool(qtype) or bool(_QUESTION_HINT.search(folded)) or intl_question(folded)
        sizing = bool(body) and not _ABOUT_HOST.search(folded) and is_size_question(text or "", body)
        request = question or bool(_REQUEST.search(folded))
        if self.empty or not folded:
            return Slots(qtype=qtype, question=question, which=which_attribute(folded) if qtype == "which" else None,
                         body=body, size_question=sizing, request=request)
        matches: list[tuple[int, int, str, tuple[tuple[str, ...], ...]]] = []
        for end, (term, payloads) in self.automaton.iter(folded):
            start = end - len(term) + 1
            if _acceptable(folded, start, end + 1, term, original):
                matches.append((start, end + 1, term, payloads))
        matches.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        taken: list[tuple[int, int]] = []
        chosen: list[tuple[int, int, tuple[tuple[str, ...], ...]]] = []
        for start, end, _term, payloads in matches:
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            chosen.append((start, end, payloads))
        chosen.sort()
        by_code = any(_SHADE_CODE.fullmatch(folded[start:end]) for start, end, _payloads in chosen)
        products: list[str] = []
        values: list[tuple[str, str, str]] = []
        attributes: list[str] = []
        read: list[tuple[str, bool]] = []  # (attribute key, whether its word only states the viewer's value)
        weak: list[str] = []  # attribute words that are also part of a product's name: after the others
        value_starts: list[int] = []
        attr_start = next((start for start, _end, payloads in chosen if any(p[0] == "attribute" for p in payloads)), None)
        for start, end, payloads in chosen:
            for payload in payloads:
                kind = payload[0]
                if kind == "product" and payload[1] not in products:
                    products.append(payload[1])
                elif kind == "value" and (
                    _NEGATED.search(folded[max(0, start - 20):start]) or _NEGATED_AFTER.search(folded[end:end + 12])
                ):
                    continue  # "不要黑色 有别的颜色吗", "not the black one", "핑크 말고": the value is the one NOT wanted
                elif kind == "value" and counted_number(folded, start, end):
                    continue  # "40 box", "2 set", "3 hộp": a number of items (bot/quantity_words.py), not size 40
                elif kind == "value":
                    values.append((payload[1], payload[2], payload[3]))
                    value_starts.append(start)
                elif kind == "attribute" and payload[2:] == (WEAK,):
                    weak.append(payload[1])
                elif kind == "attribute":
                    read.append((payload[1], states_value(folded, start, end, payload[1])))
        # a context clause states the viewer's value ("our 8-month-old", "I have oily skin"): the attribute the
        # comment asks comes first; a person's weight with "still fit / 还能坐 / muat" asks the load (bot/context_words.py)
        load = asks_load(folded, body.weight_kg is not None and not _ABOUT_HOST.search(folded))
        attributes = order_attributes(read, load)
        strong = bool(attributes)
        attributes = ranked(list(dict.fromkeys([*attributes, *weak])), folded)  # "safe for a 2-year-old": the safety
        which = which_attribute(folded) if qtype == "which" else None
        explicit_price = qtype == "price"
        loose = False
        if qtype is None and values and not attributes and intl_how_much(folded) and not intl_counts_items(folded):
            qtype = "price"  # "XL bao nhiêu", "size M berapa": a "how much" about a named variant asks its price
        if qtype == "price" and events:
            qtype = None  # "will the price drop on black friday": a future price, which only staff can say
        other_cost = qtype == "price" and bool(_OTHER_COST.search(folded))
        whole_price = (
            explicit_price and not attributes and not other_cost
            and not _QUANTITY.search(_GLUED_DIGITS.sub(" ", _blank(folded, taken)))
        )
        price_rest = _content_words(_blank(folded, taken)) if whole_price else ()
        counted = intl_counts_items(folded) and not _LEFT.search(folded)
        if counted and qtype in ("count", "stock"):
            # "set dinosaurusnya berapa pcs isinya?", "bộ lâu đài có mấy chi tiết?": how many pieces a set holds, not how
            # many are left (the product's pieces FAQ or attribute answers)
            qtype = None
        if (
            qtype is None and values and not attributes and not _ABOUT_HOST.search(folded) and not counted
            and (_FOLLOW_UP.search(folded) or _bare_variant(folded, taken))
        ):
            qtype = "stock"  # "黑色44码呢" / "black 43?": naming a variant as a question asks whether it is there
            loose = bool(_ASKING.sub("", _BARE_FILLER.sub("", _blank(folded, taken))).strip())
        if qtype is None and attributes and question and not _ABOUT_HOST.search(folded):
            qtype = "attribute"  # "推车多重" is a question even without a question mark ("多重" asks)
        elif qtype == "stock" and strong and not _AVAILABILITY.search(folded):
            # a yes/no frame ("có … không", "ada … gak", "有…吗") around an attribute word asks about the attribute, not
            # availability, also with a variant named: "áo phao này có ấm không" (is it warm), "size L có giữ ấm không"
            qtype = "attribute"
        elif qtype == "count" and strong and not _AVAILABILITY.search(folded) and not _LEFT.search(folded):
            # "how many pieces are inside the castle set?": a count of the product's own (its attribute "how many
            # pieces"), not of what is left ("how many pieces left?", "还剩几块")
            qtype = "attribute"
        # also when the attribute reading was refused ("主播身后那个沙发什么面料": 主播 asks about the host): a FAQ may still
        # have matched the attribute word, and the subject says whether it answers
        asks_attribute = qtype == "attribute" or (qtype is None and attributes and question)
        # a load asked: the rest names the person carried ("my son … can he ride in it"), not another thing's attribute
        attribute_rest = _subject_words(_blank(folded, taken), attr_start) if asks_attribute and not load else ()
        # a predicate inside a product's name or a value is that name; an attribute word may be one ("작게 나와": fit)
        named = [(start, end) for start, end, payloads in chosen if any(p[0] in ("product", "value") for p in payloads)]
        asked = property_kinds(folded, value_starts, named) if value_starts else ()
        sizes = [value for _pid, attr, value in values if attr == SIZE_ATTR]
        if body and sizes and not _ABOUT_HOST.search(folded):
            # "Tシャツ、170cm 65kgの男だとLですか?", "발 250인데 42 사면 될까요?": measurements with a size named ask whether
            # that size fits (the chart decides, bot/size_advice.py); the size is no unread number. Asked with a stock
            # word ("size L màu navy còn ko, mình 1m70 65kg mặc L ok ko") the size's stock is asked first and answers
            body = replace(body, unread=tuple(n for n in body.unread if n not in sizes))
            sizing = sizing or (not asks_stock and qtype in (None, "stock") and (question or qtype is not None))
            # "tinggi 165 berat 60, pengen oversize banget, ambil L atau XL?": with measurements given, two sizes named
            # ask which to take; a fit word there is the fit wished for (context), not the fit asked
            sizing = sizing or (
                not asks_stock and qtype == "attribute" and len(set(sizes)) >= 2 and set(attributes) <= _FIT_KEYS
            )
        how_much_rest = None
        if (
            qtype is None and not values and not attributes and not _ABOUT_HOST.search(folded)
            and intl_how_much(folded) and not intl_counts_items(folded)
        ):
            rest = _blank(folded, taken)
            if not _DIGIT.search(rest):  # "bn 2 cái", "berapa 3": a quantity or a number asked about, not the price
                how_much_rest = tuple(_WORD.findall(_PRICE_FILLER.sub(" ", _PRICE_WORDS.sub(" ", rest))))
        return Slots(
            tuple(products), tuple(values), tuple(attributes), qtype, which, question, body, sizing,
            request=request, plain_price=whole_price, loose=loose, other_cost=other_cost, price_rest=price_rest,
            attribute_rest=attribute_rest, property_asked=asked, how_much_rest=how_much_rest, stock_asked=asks_stock,
            by_code=by_code,
        )


_COLOUR_ATTRS = ("colour", "color")
_FIT_KEYS = frozenset({"fit", "size_guide"})  # attributes a size choice with measurements may name as a wish
_SHADE_CODE = re.compile(r"#\d+")
_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)\s*[a-z毫升克千]*$")  # "42", "350ml", "2kg": a number the catalog uses
WEAK = "weak"  # third element of an attribute payload whose word is also part of a product's name


def _add_model_codes(snapshot: CatalogSnapshot, entries: dict[str, set[tuple[str, ...]]]) -> None:
    """A model code in a product's names ("A1", "X5", "K3Pro") names that product on its own: "推车A1多少钱",
    "A1推车什么价", "轻便推车A1" (a partial name: its code says which product). A code two products' names carry, or
    that the catalog already uses for another product or an attribute, names nothing."""
    codes = model_codes(snapshot)
    for code, pids in sorted(codes.shared.items()):
        log.info("model code %r is in the names of %s: it names none of them", code, ", ".join(pids))
    for code, pid in codes.codes.items():
        existing = entries.get(code, set())
        if any(payload[0] == "attribute" or payload[1] != pid for payload in existing):
            log.info("model code %r of %s is also another word of the catalog: not a name of its own", code, pid)
            continue
        entries.setdefault(code, set()).add(("product", pid))


def _add_builtin_words(snapshot: CatalogSnapshot, entries: dict[str, set[tuple[str, ...]]]) -> None:
    """The built-in words of the room languages (bot/colour_words.py, bot/attribute_words.py) next to the catalog's
    own: basic colour words for the colours they name, attribute words for the keys products have. A word the
    catalog already uses for something else is left to the catalog."""

    summaries: dict[str, dict[str, set[tuple[str, ...]]] | None] = {}

    def free(term: str, payload: tuple[str, ...]) -> bool:
        if payload[0] == "attribute":
            return term not in entries
        # a colour word may name colours of several products, never a name, an attribute or another colour of this
        # one (what the catalog says of a word is summarised once per word: a word may name thousands of values)
        if term not in summaries:
            existing = entries.get(term, set())
            per_product: dict[str, set[tuple[str, ...]]] = {}
            for p in existing:
                per_product.setdefault(p[1], set()).add(p)
            summaries[term] = per_product if all(p[0] == "value" for p in existing) else None
        summary = summaries[term]
        return summary is not None and summary.get(payload[1], set()) <= {payload}

    # a word inside a product's name may name that product rather than ask for an attribute: "ขนเป็ด" (duck down)
    # asks for the fill, but "เสื้อขนเป็ด" is what Thai viewers call a down jacket. Such a word is weak: it counts
    # only when no other attribute is named ("เสื้อขนเป็ดตัวนี้อุ่นไหม" asks for the warmth)
    keys = {key for product in snapshot.products.values() for key in product.attributes}
    candidates = {fold(word): key for key in sorted(keys) for word in builtin_attribute_words(key) if fold(word)}
    weak_terms: set[str] = set()
    if candidates:  # one pass over every product name, whatever the size of the catalog
        scan = ahocorasick.Automaton()
        for term in candidates:
            scan.add_word(term, term)
        scan.make_automaton()
        every_name = "\n".join(fold(n) for p in snapshot.products.values() for n in [*p.name.values(), *p.aliases])
        weak_terms = {term for _, term in scan.iter(every_name)}
    added: dict[str, set[tuple[str, ...]]] = {}
    for term, key in candidates.items():
        if free(term, ("attribute", key)):
            added.setdefault(term, set()).add(("attribute", key, WEAK) if term in weak_terms else ("attribute", key))
    for product in snapshot.products.values():
        for attr in _COLOUR_ATTRS:
            names: dict[str, tuple[str | None, list[str]]] = {}
            for variant in product.variants:
                if attr in variant.attrs:
                    value = str(variant.attrs[attr])
                    labels = variant.labels.get(attr, {}) or {}
                    names.setdefault(value, (labels.get("en"), [value, *(str(x) for x in labels.values())]))
            for value, words in colour_aliases(names).items():
                for word in words:
                    term, payload = fold(word), ("value", product.id, attr, value)
                    if term and free(term, payload):
                        added.setdefault(term, set()).add(payload)
    for term, payloads in added.items():
        entries.setdefault(term, set()).update(payloads)


def _blank(folded: str, spans: list[tuple[int, int]]) -> str:
    """``folded`` with the recognised terms blanked out (what else the comment says)."""
    chars = list(folded)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _bare_variant(folded: str, spans: list[tuple[int, int]]) -> bool:
    """The comment is only the recognised terms plus filler ("黑色l码", "白的~"): a short ask for that variant."""
    if len(folded) > 12 or len(folded.strip()) < 2:  # a lone "s" / "L" is chat noise as often as an ask
        return False
    return not _BARE_FILLER.sub("", _blank(folded, spans))


# Costs that are not the goods' price, and quantities: "运费多少钱" / "送料いくら" / "两件多少钱" are not answered with
# the product's price.
_OTHER_COST = re.compile(
    r"运费|邮费|快递费|关税|税费|定金|订金|押金|手续费|优惠|折扣|券|满减|包邮|批发"
    r"|shipping|postage|delivery|\btax|duty|deposit|\bfees?\b|coupon|discount|voucher|wholesale"
    r"|送料|配送料|手数料|関税|税込|税抜|クーポン|割引|配送"
    r"|배송비|택배비|관세|수수료|쿠폰|할인|배송"
    r"|ค่าส่ง|ค่าจัดส่ง|ภาษี|ค่าธรรมเนียม|คูปอง|ส่วนลด|โปร"
    r"|\bship\b|phí|\bphi\b|thuế|\bthue\b|\bcọc\b|giảm giá|giam gia|\bmã\b|vận chuyển|van chuyen"
    r"|ongkir|ongkos|pajak|biaya|diskon|\bpromo|potongan|grosir"
    r"|envío|envio|impuesto|aduana|comisión|comision|descuento|cupón|cupon|mayoreo",
)
# What a plain price question says besides the price: asking words, "this", particles and forms of address in the room
# languages. Anything else left after the catalog's own terms are blanked names a thing the recogniser did not read.
_PRICE_WORDS = re.compile(
    r"多少钱|多钱|什么价|啥价|价格|价钱|几块|几元|[钱块元价]|how much|price|prices|cost|costs"
    r"|いくら|値段|価格|何円|お値段|얼마|가격|몇 ?원|ราคา|กี่บาท|กี่ตัง|เท่าไหร่|เท่าไหร|เท่าไร"
    r"|giá|gia|bao nhiêu|bao nhieu|bao nhiu|bnhieu|bnhiêu|tiền|tien|bn|harga|harganya|hrg|berapa|brapa|brpa|brp|berapaan"
    r"|duit|precio|cuánto|cuanto|cnto|qnto|kuanto|cuesta|vale|sale|está|esta"
)
_PRICE_FILLER = re.compile(
    r"[\s\d?？!！.。,，~～…、:：()（）'\"¿¡@#*+-]+"
    r"|这个|这款|这件|这双|这|那个|那款|那|的|呢|吗|啊|呀|哈|嘛|么|请问|问下|问一下|主播|宝贝|亲|现在|今天|一下|直播间|要|想问"
    r"|\b(?:is|the|this|that|it|its|it's|whats|what's|what|for|of|a|an|one|these|those|item|here|now|today|pls|please"
    r"|plz|hey|hi|so|and|much|how|does|do|s|u|you|guys|again|total)\b"
    r"|この|これ|それ|その|あれ|って|は|の|です|ですか|でしょう|ますか|か|ね|よ|今日|すみません|ちなみに"
    r"|이거|이건|이|그거|저거|은|는|요|예요|에요|이에요|인가요|해요|지금|오늘|혹시"
    r"|(?:คัน|ตัว|คู่|ใบ|อัน|ชิ้น|ขวด|เส้น|กล่อง|ชุด)?(?:นี้|นี่)|คะ|ค่ะ|ครับ|จ้า|จ้ะ|นะ|ล่ะ|ละ|ตอนนี้|แม่ค้า|คุณ|อยู่|หรอ|เหรอ"
    r"|\b(?:này|nay|cái|cai|đôi|doi|chiếc|chiec|bộ|cặp)\b"
    r"|\b(?:vậy|vay|shop|ơi|oi|ạ|à|nhé|nha|thế|the|sp|sản phẩm|chị|chi|anh|em|hả|ha|mẫu|mau|z|v)\b"
    r"|\b(?:ini|itu|pasang|buah|kak|ka|kakak|sis|min|ya|yg|yang|nya|dong|sih|deh|gan|nih|skrg|sekarang)\b"
    r"|\b(?:el|la|los|las|este|esta|esto|ese|esa|eso|qué|que|es|de|y|por|favor|tiene|ahora|hoy|me|lo|le|en|un|una|par|pares)\b"
    # "earlier" and a past "was": the thing shown before, asked again ("아까 그 티셔츠 얼마였죠?", "刚才那件T恤多少钱")
    r"|刚才|刚刚|之前|上一个|さっき|先ほど|でした|아까|였죠|였어요|였나요|이었죠|이었어요|เมื่อกี้|ตะกี้|เมื่อกี๊"
    r"|\b(?:earlier|before|was|lúc nãy|luc nay|hồi nãy|hoi nay|ban nãy|tadi|antes|era)\b"
)
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])+")  # Thai vowel / tone marks inside words
_CONTENT = re.compile(r"[a-zà-ÿđ\u0100-\u024f\u1e00-\u1eff]{3,}|[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]{2,}")


def _content_words(rest: str) -> tuple[str, ...]:
    """The content words left in a price question once the catalog's terms (already blanked), the price words and
    the filler are removed ("cup price?" → ("cup",); "这个多少钱" → ())."""
    rest = _PRICE_FILLER.sub(" ", _PRICE_WORDS.sub(" ", rest))
    return tuple(_CONTENT.findall(rest))


# What an attribute question is about, in Chinese and English: its subject (the catalog's own terms are already blanked).
# Chinese puts the topic first ("舰长都什么成分", "主播身后那个沙发什么面料", "你家猫几斤"): the Han words before the
# attribute word, less asking words, particles, pronouns, parts and positions ("外面", "本身", "里面") and quantities
# ("单只", "一盒"). English names it in a noun phrase after a determiner or possessive ("what is your mic made of",
# "how heavy is the host's backpack", "is the sofa machine washable"), not in a prepositional phrase ("fold small
# enough for a plane", "throw it in the washer", "warm enough for Chicago winters"): those say what for, not what.
_ZH_FILLER = re.compile(
    r"什么|甚么|啥|多少|多大|几|哪里|哪儿|哪|怎么样|怎么|咋样|咋|如何|是不是|是|都|做的|做|的|吗|呢|啊|呀|吧|嘛|么|哦|噢"
    r"|喔|嗯|诶|欸|啦|了|还|也|就|挺|很|会|能|可以|有没有|有|没|不|它|他|她|们|这个|那个|这款|那款|这件|那件|这双|那双"
    r"|这|那|个|款|件|想知道|知道|问问|问下|问一下|问|请问|请|求|哈+|嘿|呵+|233+|家人们|姐妹们|宝宝们|大家|主播|宝贝|亲"
    r"|外面|里面|外层|里层|上面|下面|表面|整体|本身|自身|本体|单只|单个|一只|一双|一件|一个|一盒|一包|一瓶|每只|每个|每件"
    r"|直接|平时|一般|一直|到底|究竟|具体|大概|假如|如果|要是|真的|真|请教|现在|今天|那种|这种|这些|那些|一下|主要"
)
_EN_DETERMINER = re.compile(
    r"(?<![\w'])(?P<prep>(?:for|in|into|to|on|at|after|before|with|without|during|than|like|from|under|below|above"
    r"|over|inside|outside|near|behind|onto|through)\s+)?"
    r"(?:the|your|ur|yours|this|that|these|those|my|our|his|her|their|its"
    r"|(?!(?:what|it|that|there|here|who|how|where|he|she|let|when|why)'s\b)[a-z]+'s) (?=[a-z])"
)
# the noun phrase after a determiner: the run of letters, spaces, apostrophes and hyphens it starts
_EN_NP_RUN = re.compile(r"[a-z' -]+")
# where a noun phrase ends: a space before a verb, a preposition, a conjunction or an adjective (the phrase is cut there)
_EN_NP_END = re.compile(
    r" (?:is|are|was|were|be|made|make|does|do|did|can|could|will|would|should|has|have|had|of|for|in|into|to|on|at"
    r"|after|with|without|from|behind|than|like|and|or|but|if|right|lol|lmao|haha\w*|xd|pls|please|really|actually"
    r"|enough|weigh|weighs|wash|washed|washable|shrink|warm|heavy|light|thick|thin|big|small|good|nice|ok)(?![a-z])"
)
_EN_NOT_SUBJECT = frozenset({
    "one", "ones", "thing", "things", "stuff", "item", "items", "product", "products", "same", "other", "others",
    "new", "old", "whole", "first", "second", "last", "way", "bottom", "top", "inside", "outside", "size", "sizes",
})
_HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")
_LATIN_WORD = re.compile(r"[a-z][a-z'-]*[a-z]")


def _subject_words(rest: str, attr_start: int | None) -> tuple[str, ...]:
    """The words naming what an attribute question asks about, besides the catalog's terms (already blanked in
    ``rest``) and filler: "舰长都什么成分啊" → ("舰长",), "what is your mic made of" → ("mic",), "这件什么面料" → ().
    A determiner followed by a blanked term ("the t-shirt", "the weight") introduces the catalog's own word."""
    head = rest[:attr_start] if attr_start is not None else rest
    words = _HAN_WORD.findall(_ZH_FILLER.sub(" ", head))
    # Linear in the comment ("the the the …" was quadratic): the runs a noun phrase can span and the places a phrase
    # is cut are found once; each phrase reads at most three words from its start.
    runs: list[tuple[int, int]] | None = None
    cuts: list[int] = []
    for m in _EN_DETERMINER.finditer(rest):
        if m.group("prep"):
            continue
        if runs is None:
            runs = [r.span() for r in _EN_NP_RUN.finditer(rest)]
            cuts = [c.start() for c in _EN_NP_END.finditer(rest)]
        start = m.end()  # the phrase's first letter; the determiner's space before it may start a cut
        run_end = runs[bisect.bisect_right(runs, (start, len(rest) + 1)) - 1][1]
        i = bisect.bisect_left(cuts, start - 1)
        end = min(cuts[i], run_end) if i < len(cuts) else run_end
        found = itertools.islice(_LATIN_WORD.finditer(rest, start, end), 3)
        words.extend(w.removesuffix("'s") for w in (f.group() for f in found) if w not in _EN_NOT_SUBJECT)
    return tuple(dict.fromkeys(words))


# A value right after these is excluded, not asked for ("不要黑色", "除了白色", "not the black", "no black please",
# "trừ màu đen", "selain hitam", "menos el negro", "黒以外" comes after the value and is not read).
_NEGATED = re.compile(
    r"(?:不要|不想要|不喜欢|除了|别要|别发|不是|不需要)\s*$"
    r"|\b(?:not|no|except|without|besides|other than)\s+(?:the\s+|a\s+|an\s+|in\s+)?$"
    r"|\b(?:không|khong|ko|trừ|tru|ngoài|ngoai)\s+(?:lấy\s+|lay\s+|màu\s+|mau\s+)?$"
    r"|\b(?:bukan|selain|jangan|gak mau|ga mau|nggak mau|tidak mau)\s+(?:yang\s+|yg\s+|warna\s+)?$"
    r"|\b(?:menos|excepto|sin|no quiero)\s+(?:el\s+|la\s+|los\s+|las\s+|color\s+)?$"
    r"|(?:ไม่เอา|ไม่ใช่|ยกเว้น)\s*(?:สี)?$"
)
# ... and a value right before these ("핑크 말고 그레이", "블랙 빼고", "黒じゃなくて白", "黒以外で", "黑色以外", "黑色的不要"):
# Korean and Japanese put the negation after the value, so "말고" before a value does not negate it
_NEGATED_AFTER = re.compile(
    r"^\s*(?:색|색상|컬러)?\s*(?:은|는)?\s*(?:말고|빼고|말구|아니고|아니라)"
    r"|^\s*(?:色|カラー)?\s*(?:じゃなくて|じゃなく|ではなく|は要らない|はいらない)"
    # (not 不要紧 "never mind", 不要太… "not too …", 不要机洗 "don't machine-wash": they do not turn the value down)
    r"|^\s*(?:的)?\s*(?:不要了|不要(?!紧|太|钱|担心|急|怕|忘|错过|犹豫|洗|机洗|手洗|烘|熨|烫|漂白|暴晒|晒|泡)|就算了)"
)


# Latin letters with digits glued to them are a model or a code, not a quantity: "a1", "iphone15", "k3pro" (but
# "x2" is "two of them", and "xl2件" is two XL)
_GLUED_DIGITS = re.compile(r"(?<![0-9a-z])(?!x\d+(?![0-9a-z]))[a-z][0-9a-z]*\d[0-9a-z]*(?![0-9a-z]|\s*[件个双套条只台瓶盒包支])")
_QUANTITY = re.compile(
    r"\d|两件|两个|两双|两套|一起|一套|二つ|두 ?개|두 ?벌|둘|สอง|\bhai\b|\bdua\b|\bdos\b|\btwo\b|\bboth\b|\bpairs?\b"
    r"|\beach\b|together|\bset\b"
)


_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = re.compile(
    r"([一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九])(?=码|号|双|件|个|斤|公斤|岁|毫升|克)"
)
_UNITS = ((re.compile(r"(\d+)\s*毫升"), r"\1ml"), (re.compile(r"(\d+)\s*(公斤|千克)"), r"\1kg"))


def canonical_numbers(text: str) -> str:
    """"四十二码" → "42码", "50毫升" → "50ml": numbers and units the way the catalog writes them."""

    def to_int(m: re.Match[str]) -> str:
        word = m.group(1)
        if "十" in word:
            tens, _, ones = word.partition("十")
            return str((_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0))
        return str(_CN_DIGITS[word])

    text = _CN_NUMBER.sub(to_int, text)
    for pattern, repl in _UNITS:
        text = pattern.sub(repl, text)
    return text


def _stems(words: set[str]) -> set[str]:
    """Colours and versions are said without their 色 / 款 ("恐龙款" → "恐龙", "奶白色" → "奶白"); two characters
    at least, so a one-character stem ("黑") comes only from the catalog's own synonyms."""
    out = set()
    for word in words:
        if len(word) >= 3 and word[-1] in "色款":
            out.add(word[:-1])
        out.update(shade_stems(word))  # "#21奶茶" is also "奶茶色"
    return out


def _enclitic(text: str, end: int) -> bool:
    """An Indonesian/Malay "-nya" ("the …") glued to the word ending at ``end``: "hitamnya", "xlnya"."""
    tail = end + 3
    return text[end:tail] == "nya" and (tail == len(text) or not text[tail].isalnum())


def _acceptable(text: str, start: int, end: int, term: str, original: str = "") -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if is_latin(term):
        # a Latin word, size code or number stands alone: not inside a longer word or number ("đen" not in "đến")
        glued_before = bool(before) and ((before.isalnum() and is_latin(before)) or before in "'’")
        glued_after = bool(after) and after.isalnum() and is_latin(after) and not _enclitic(text, end)
        if glued_before or glued_after:
            return False
        if len(term) == 1 and term.isalpha():
            # a lone "s" / "m" / "l": only as a size — before 码/号/的, in Chinese text, after "size", written as a
            # capital ("white M"), or alone; never the "m" of "I'm" or a lower-case "s"
            capital = len(original) == len(text) and original[start].isupper() and term != "i"
            return bool(after.startswith(_SINGLE_OK_AFTER) or HAN_RE.search(text)
                        or text[:start].rstrip().endswith(_SINGLE_OK_BEFORE) or capital or text.strip(" ?？!！.") == term)
        return True
    if (term[0].isdigit() and before.isdigit()) or (term[-1].isdigit() and after.isdigit()):
        return False  # "500的" is not in "1500的"
    if len(term) == 1:
        # a one-character word ("黑", "粉", "黒") only counts as a value: followed by 的/色/款/码 (Japanese の/い/は/が),
        # a size code, or at the end
        return bool(not after or after in "的色款码号のいはがも" or (after.isascii() and after.isalnum())
                    or after in "?？吗呢,，")
    return True
