"""A comparison point between options: "which one is lighter, the white or the black?", "哪个更耐脏", "どっちが軽い？",
"블랙이랑 화이트 중에 뭐가 더 두꺼워요?", "cuál es más ligera", "42和43哪个库存多". The viewer asks which of two or more
options has more of something (weight, thickness, warmth, stock …). A recommendation of the product on stage
("You might like: …", the compare intent), one product's weight or fit, or one variant's stock answers none of that:
it answers a question nobody asked. Only a FAQ written for the choice itself ("350ml or 500ml which one" → the
thermos's 350-vs-500 FAQ, which gives both weights) answers it.

Pure functions of the text in the room languages (zh, en, ja, ko, th, vi, id, es); the engine applies them in
`bot.answer_checks` and they only ever hand an answer or a recommendation to staff. Price comparisons ("哪个更便宜",
"cheaper") are left to `bot.sibling_kind.asks_price_comparison`, and "which is better / best" (advice) is not read:
it is what the compare intent's recommendation is for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from catalog.text import fold_text, strip_latin_marks

__all__ = ["COMPARISON_POINT", "asks_comparison_point", "faq_answers_a_choice"]

COMPARISON_POINT = "asks which option has more of something: one product's answer does not compare them"

# the properties a viewer compares options on, per language (price words left out: see the docstring)
_ZH_PROP = r"(?:轻|重|厚|薄|暖和|保暖|暖|凉快|透气|软|硬|耐脏|耐穿|耐磨|宽松|修身|显瘦|长|短|大|小|多|少|舒服)"
_EN_PROP = (
    r"(?:lighter|heavier|thicker|thinner|warmer|cooler|softer|harder|bigger|larger|smaller|longer|shorter|looser"
    r"|tighter|comfier|more comfortable|more stock|more left|more durable|less heavy|weighs less|weighs more)"
)
_JA_PROP = (
    r"(?:軽い|重い|厚い|薄い|暖かい|温かい|あったかい|涼しい|柔らかい|大きい|小さい|長い|短い|多い|少ない|ゆったり"
    r"|汚れにくい|丈夫)"
)
_PATTERNS = (
    # zh: 哪个/哪款/哪双 … 更/比较 …; "哪个库存多", "哪个更轻"
    re.compile(r"哪[一]?[个款件双种支台瓶色码]?[^，,。？?！!]{0,8}?(?:更|比较)" + _ZH_PROP),
    re.compile(r"哪[一]?[个款件双种支台瓶色码][^，,。？?！!]{0,4}?(?:库存|存货|货)" + r"(?:多|少)"),
    re.compile(r"哪[一]?[个款件双种支台瓶色码](?:会)?" + _ZH_PROP + r"(?:一点|一些|些)?(?:呀|啊|呢|吗)?\s*[?？]?\s*$"),
    # zh: A 比 B 厚吗 ("比较" is "fairly", not a comparison)
    re.compile(r"比(?!较)[^，,。？?！!]{1,8}?(?:更|还)?" + _ZH_PROP + r"(?:一点|一些|些)?(?:吗|么|嘛|不|没|呀|呢|\s*[?？])"),
    # en: which (one / colour / size …) … lighter / has more stock
    re.compile(r"\bwhich\b[^?.!]{0,30}?\b" + _EN_PROP + r"\b"),
    re.compile(r"\bwhich\b[^?.!]{0,20}?\bha(?:s|ve) more\b"),
    # ja: どっち / どちら / どれ … 軽い
    re.compile(r"(?:どっち|どちら|どれ)[^？?。!！]{0,10}?" + _JA_PROP),
    # ko: 뭐가 / 어느 게 / 어떤 게 … 더 …
    re.compile(r"(?:뭐가|뭐이|어느 ?게|어떤 ?게|어느 ?쪽이|어떤 ?쪽이|어느 ?것이|어떤 ?것이)\s*더\s*\S"),
    # th: อันไหน / ตัวไหน / สีไหน … กว่า
    re.compile(r"(?:อันไหน|ตัวไหน|สีไหน|แบบไหน|ไซส์ไหน|คู่ไหน|ขนาดไหน)\S{0,12}กว่า"),
    re.compile(r"\S{1,12}กว่า(?:กัน)?\s*(?:อันไหน|ตัวไหน|สีไหน|แบบไหน|ไซส์ไหน|คู่ไหน)"),
    # vi (marks stripped): cái nào / màu nào … nhẹ hơn; "nhẹ hơn" … cái nào
    re.compile(r"\b(?:cai|mau|size|loai|doi|chiec|em|bo) nao\b[^?.!]{0,20}?\bhon\b"),
    re.compile(r"\bhon\b[^?.!]{0,12}?\b(?:cai|mau|size|loai|doi|chiec) nao\b"),
    # id: mana / yang mana … lebih …; lebih … yang mana
    re.compile(r"\b(?:mana|yg mana|yang mana)\b[^?.!]{0,20}?\blebih\b"),
    re.compile(r"\blebih \w+(?: \w+)? (?:yang |yg )?mana\b"),
    # es: cuál / qué … más / menos …
    re.compile(r"\bcual(?:es)?\b[^?.!]{0,25}?\b(?:mas|menos) (?!barat|car)\w+"),
    re.compile(r"\bcual(?:es)?\b[^?.!]{0,15}?\b(?:pesa|abriga|dura) (?:mas|menos)\b"),
)
# a FAQ written for a choice between options: its example questions ask which one ("350和500选哪个", "350ml or 500ml
# which one", "30ml 50ml どっちがいい")
_CHOICE = re.compile(
    r"选哪|哪个|哪款|还是|\bwhich\b|\bor\b|\bvs\b|どっち|どちら|どれ|뭐가|어느|어떤|อันไหน|หรือ|\bnao\b|\bhay\b|\bmana\b"
    r"|\batau\b|\bcual\b|\bo\b"
)


def _fold(text: str) -> str:
    return strip_latin_marks(fold_text(text))


def asks_comparison_point(text: str) -> bool:
    """Does ``text`` ask which of several options has more of a property ("which one is lighter", "哪个更耐脏")?"""
    folded = _fold(text)
    return any(p.search(folded) for p in _PATTERNS)


def faq_answers_a_choice(questions: Iterable[str]) -> bool:
    """Is a FAQ with these example questions written for a choice between options (the thermos's 350-vs-500)?"""
    return any(_CHOICE.search(_fold(q)) for q in questions)
