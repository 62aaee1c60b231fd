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
_ZH_PROP = r"(?:轻|重|厚|薄|暖和|保暖|暖|凉快|透气|软|硬|耐脏|耐穿|耐磨|宽松|修身|显瘦|长|短|大|小|多|少|舒服|甜|咸|辣|酸|脆)"
_EN_PROP = (
    r"(?:lighter|heavier|thicker|thinner|warmer|cooler|softer|harder|bigger|larger|smaller|longer|shorter|looser"
    r"|tighter|comfier|more comfortable|more stock|more left|more durable|less heavy|weighs less|weighs more"
    r"|sweeter|saltier|spicier|crunchier|sweetest|saltiest|spiciest|crunchiest|more salty|more sweet)"
)
_JA_PROP = (
    r"(?:軽い|重い|厚い|薄い|暖かい|温かい|あったかい|涼しい|柔らかい|大きい|小さい|長い|短い|多い|少ない|ゆったり"
    r"|汚れにくい|丈夫|甘い|しょっぱい|塩辛い|辛い)"
)
# a comparative against the viewer or a number, not between options: "he's bigger than most", "longer than 27cm"
_NOT_A_REFERENCE_EN = r"(?! than (?:most|average|normal|usual|my|me|i|him|her|\d))"
# Thai: the span between "which" and กว่า holds no particle, "good" or question (a new clause: "ไซส์ไหนดีคะตัวเล็กกว่า…"),
# and กว่า is not against a reference ("กว่าปกติ", "กว่าคนทั่วไป", "กว่า 70")
_TH_SPAN = r"(?:(?!คะ|ค่ะ|ครับ|คับ|จ้า|นะ|ดี|ไหม|มั้ย)\S){0,12}"
_NOT_A_REFERENCE_TH = r"(?!ปกติ|คนทั่วไป|ทั่วไป|เดิม|\s*\d)"
# Indonesian "lebih cocok / bagus / baik" is advice (which is better), left to the compare intent
_NOT_ADVICE_ID = r"(?!cocok|bagus|baik|pas|oke|ok\b)"
_PATTERNS = (
    # zh: 哪个/哪款/哪双 … 更/比较 …; "哪个库存多", "哪个更轻"
    re.compile(r"哪(?!里|儿|天|年|时)[一]?[个款件双种支台瓶色码味]?[^，,。？?！!]{0,8}?(?:更|比较)" + _ZH_PROP + r"(?!人)"),
    # zh: 哪个口味最甜 (a taste, the most of it: not 哪个最大, the range of sizes)
    re.compile(r"哪(?!里|儿|天|年|时)[一]?[个款种]?[^，,。？?！!]{0,4}?最(?:甜|咸|辣|酸|脆)"),
    re.compile(r"哪[一]?[个款件双种支台瓶色码][^，,。？?！!]{0,4}?(?:库存|存货|货)" + r"(?:多|少)"),
    re.compile(r"哪[一]?[个款件双种支台瓶色码](?:会)?" + _ZH_PROP + r"(?:一点|一些|些)?(?:呀|啊|呢|吗)?\s*[?？]?\s*$"),
    # zh: A 比 B 厚吗 ("比较" is "fairly", not a comparison)
    # (not 比如 "for example", 比例, 对比, nor against the viewer's usual size: "比平时的偏大吗" is size advice)
    re.compile(
        r"(?<!对)比(?!较|如|方|例|赛|基尼|我?(?:平时|平常|正常|一般|标准|往常|以前|之前))[^，,。？?！!]{1,8}?(?:更|还)?"
        + _ZH_PROP + r"(?:一点|一些|些)?(?:吗|么|嘛|不|没|呀|呢|\s*[?？])"
    ),
    # en: which (one / colour / size …) … lighter / has more stock
    re.compile(r"\bwhich\b(?:(?!\bif\b)[^?.!]){0,30}?\b" + _EN_PROP + r"\b" + _NOT_A_REFERENCE_EN),
    re.compile(r"\bwhich\b[^?.!]{0,20}?\bha(?:s|ve) more\b"),
    # ja: どっち / どちら / どれ … 軽い
    re.compile(
        r"(?:どっち|どちら|どれ|どの[^？?。!！]{1,4}?が)(?!くらい|ぐらい|位|ほど|程|だけ|も)[^？?。!！]{0,10}?" + _JA_PROP
    ),
    # ko: 뭐가 / 어느 게 / 어떤 게 … 더 …
    # (not 뭐가 더 있어요 / 들어있어요: "what else is there"; nor 뭐가 더 남았어요: "what is still left", the sizes or
    # colours in stock — but 뭐가 더 많이 남았어요, "which has more left", compares)
    re.compile(
        r"(?:뭐가|뭐이|어느 ?게|어떤 ?게|어느 ?쪽이|어떤 ?쪽이|어느 ?것이|어떤 ?것이|어떤 ?맛이|어느 ?맛이)\s*(?:더|제일|가장)\s*"
        r"(?!있|들어|필요|나오|나와|추가|보여|주|받|남)\S"
    ),
    # th: อันไหน / ตัวไหน / สีไหน … กว่า
    re.compile(r"(?:อันไหน|ตัวไหน|สีไหน|แบบไหน|ไซส์ไหน|คู่ไหน|ขนาดไหน)" + _TH_SPAN + r"กว่า" + _NOT_A_REFERENCE_TH),
    re.compile(r"\S{1,12}กว่า" + _NOT_A_REFERENCE_TH + r"(?:กัน)?\s*(?:อันไหน|ตัวไหน|สีไหน|แบบไหน|ไซส์ไหน|คู่ไหน)"),
    # vi (marks stripped): cái nào / màu nào … nhẹ hơn; "nhẹ hơn" … cái nào
    re.compile(r"\b(?:cai|mau|size|loai|doi|chiec|em|bo) nao\b(?:(?!\bneu\b)[^?.!]){0,20}?\bhon\b(?!\s*\d| binh thuong)"),
    re.compile(r"\bhon\b(?!\s*\d| binh thuong)[^?.!]{0,12}?\b(?:cai|mau|size|loai|doi|chiec) nao\b"),
    re.compile(r"\b(?:vi|loai) nao\b[^?.!]{0,12}?\b(?:ngot|man|cay|gion)\b"),
    # id: mana / yang mana … lebih …; lebih … yang mana
    # (not "70 lebih", 70-odd, nor after "kalau", if)
    re.compile(
        r"\b(?:mana|yg mana|yang mana)\b(?:(?!\b(?:kalau|kalo|klo|kl|jika)\b)[^?.!]){0,20}?(?<!\d )\blebih\b"
        + _NOT_ADVICE_ID
    ),
    re.compile(r"(?<!\d )\blebih " + _NOT_ADVICE_ID + r"\w+(?: \w+)? (?:yang |yg )?mana\b"),
    re.compile(r"\b(?:rasa )?(?:mana|yg mana|yang mana)\b[^?.!]{0,12}?\b(?:paling|lebih) (?:manis|asin|pedas|gurih|renyah)\b"),
    # es: cuál / qué … más / menos …
    # (not "más de 80 kilos", more than; not "la talla más grande", the range of sizes; not after "si", if)
    re.compile(
        r"\bcual(?:es)?\b(?:(?!\bsi\b)[^?.!]){0,25}?(?<!talla )(?<!numero )(?<!tamano )(?<!medida )"
        r"\b(?:mas|menos) (?!barat|car|de\b)\w+"
    ),
    re.compile(r"\bcual(?:es)?\b[^?.!]{0,15}?\b(?:pesa|abriga|dura) (?:mas|menos)\b"),
)
# a FAQ written for a choice between options: one of its example questions asks which one ...
_WHICH = re.compile(r"哪|\bwhich\b|どっち|どちら|どれ|뭐가|어느|어떤|ไหน|\bnao\b|\bmana\b|\bcual\b")
# ... between two options named in the question ("350和500", "350ml or 500ml", "30mlと50ml", "30ml랑 50ml", "350 กับ 500")
_BETWEEN = re.compile(
    r"还是|和|跟|与|或|\bor\b|\bvs\.?|\band\b|と|랑|하고|이나|หรือ|กับ|\bhay\b|\bvoi\b|\bva\b|\batau\b|\bdan\b|\bo\b|\by\b"
)


def _fold(text: str) -> str:
    return strip_latin_marks(fold_text(text))


def asks_comparison_point(text: str) -> bool:
    """Does ``text`` ask which of several options has more of a property ("which one is lighter", "哪个更耐脏")?"""
    folded = _fold(text)
    return any(p.search(folded) for p in _PATTERNS)


def faq_answers_a_choice(questions: Iterable[str]) -> bool:
    """Is a FAQ with these example questions written for a choice between options (the thermos's 350-vs-500)?"""
    folded = [_fold(q) for q in questions]
    return any(_WHICH.search(q) and _BETWEEN.search(q) for q in folded)
