"""A yes/no question about a property of a variant value is not a question about that value's stock.

"白色的能用漂白剂吗" (can the white one be bleached), "L码会大吗" (is L big), "is the pink one see-through?",
"블랙은 물 빠져요?", "màu trắng có bị ố không", "la negra destiñe?": a value is named inside a yes/no frame ("…吗",
"có … không", "…?"), so the recogniser reads a stock question about that value, and the structured path answered
"白色还有N件". The buyer asked about care, fit, fading, transparency or feel; the right answer is the FAQ or attribute
that speaks of it, or staff — never the stock line.

Structural, not a list of properties: once the catalog's own terms are blanked, :func:`property_words` strips the words
that frame a stock question in the room languages (有/还有/吗, have/any/still, ありますか, 있어요, มี…ไหม, có/còn …
không, ada/masih … gak, hay/queda …) and filler (particles, pronouns, forms of address); whatever content words remain
say what else is asked about the value. A comment with an availability word (còn, 在庫, in stock …) is a stock question
whatever else it says: the recogniser checks that first (bot/slots.py). Pure functions of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["VALUE_PROPERTY", "clauses_with", "property_words"]

VALUE_PROPERTY = "asks a yes/no question about a property of a variant (care, fit, colour fastness …), not its stock"

# Words that frame "is there / do you have" in the room languages, and what goes with them (counts, units, "size",
# "colour", politeness). Longer forms first: the alternation takes the first that matches.
_STOCK_FRAME = re.compile(
    # another value turned down ("不要黑色 白色有吗", "no quiero la rosa, la gris hay?", "블랙 말고 화이트 M 있어요?")
    r"不要|不想要|除了|不是|以外|\b(?:not|no|except|besides|other|than|without|quiero|menos|excepto|sin|bukan|selain"
    r"|jangan|trừ|tru|ngoài|ngoai)\b|ไม่เอา|ไม่ใช่|ยกเว้น|じゃなくて|じゃなく|ではなく|말고|빼고|아니고"
    # this / that one, earlier, a count: "红色那条没了吗", "刚才那个推车有灰色吗", "화이트 L 3개 있어요?", "is this the last one"
    r"|刚才|刚刚|那条|这条|那个|这个|那款|这款|那件|这件|那双|这双|那|这|条|\b(?:last|only|pair|pairs|left over)\b"
    r"|개|벌|켤레|เบอร์|ชิ้น|คู่|じゃあ|じゃ|それじゃ|では|それ|この|その|あの"
    # zh
    r"|有没有|有木有|还有没有|还有|有货|现货|没有了|没有|没了|还剩|剩下|剩余|卖完|能买|还能拍|能拍|拍得到|想要|要|想"
    r"|多少|几件|几个|几双|几|有|还|没|剩|不|吗|么|嘛|呢|啊|呀|吧|了|的|码|号|色|款|货|件|个|双|颜色|尺码|一下|请问"
    # en
    r"|\b(?:have|has|had|got|get|any|anymore|still|there|left|in|stock|do|does|did|you|is|are|one|ones|size|sizes"
    r"|colou?rs?|also|more|some|it|them|please|pls|plz|can|could|i|me|my|we|buy|order|yes|of|or|and|for|a|an|the"
    r"|this|that|these|those|how|many|much|to|with|want|need|like|would|pick|take|lol|ok|okay|guys|again|too)\b"
    # ja
    r"|ありますか|あります|ありません|ある|あり|まだ|在庫|残って|います|いますか|欲しい|ほしい|ください|サイズ|カラー|色"
    r"|です|ですか|でしょうか|は|の|が|も|を|で|か|ね|よ"
    # ko (particles only as whole words: a predicate like 커요 keeps its stem)
    r"|있어요|있나요|있을까요|있습니까|있어|있죠|있음|없어요|없나요|재고|아직|혹시|사이즈|색상|색깔|컬러|주세요"
    r"|(?<![\uac00-\ud7af])(?:은|는|이|가|도|요|을|를|로|으로|색|거|건|것)(?![\uac00-\ud7af])"
    # th
    r"|ยังมี|มี|ไหม|มั้ย|มั๊ย|ป่าว|ปะ|รึเปล่า|หรือเปล่า|เหลือ|ยัง|อยู่|อีก|บ้าง|ไซส์|ไซด์|สี|ของ|ตัว|ค่ะ|คะ|ครับ"
    r"|นะ|จ้า|จ้ะ|แม่ค้า|เอา|ขอ"
    # vi
    r"|\b(?:có|co|không|khong|ko|k|hông|hong|hem|hả|ha|size|sai|màu|mau|shop|ạ|a|nhé|nha|ơi|oi|vậy|vay|cho|em|chị|chi"
    r"|anh|hỏi|hoi|nữa|nua|loại|loai|cái|cai|này|nay|mẫu|mau|lấy|lay|mua|với|voi|được|duoc|đc|dc|nào|nao|thì|thi)\b"
    # id
    r"|\b(?:yang|yg|masih|ada|kak|ka|kakak|gak|ga|gk|nggak|ngga|enggak|tidak|ya|ukuran|warna|dong|nya|sis|min|gan|sih"
    r"|deh|nih|kah|apa|mau|ini|itu|juga|lagi|untuk|buat|saya|aku)\b"
    # es
    r"|\b(?:la|el|los|las|lo|en|de|del|talla|tallas|color|colores|hay|tienen|tienes|tiene|queda|quedan|todavía|todavia"
    r"|aún|aun|un|una|unos|unas|es|son|está|esta|y|o|con|me|por|favor|para|también|tambien|qué|que|quiero)\b",
    re.I,
)
_PUNCT = re.compile(r"[\s\d?？!！.。,，~～…、:：;；()（）'\"¿¡@#*+/\\-]+")
# a content word: two Han / kana characters ("漂白", "大きい"), one Hangul syllable or Thai run of two ("커", "ตก"),
# two Latin letters ("bị", "big")
_CONTENT = re.compile(
    r"[\u3040-\u30ff\u4e00-\u9fff]{2,}|[\uac00-\ud7af]+|[\u0e00-\u0e7f]{2,}|[a-zà-ÿđ\u0100-\u024f\u1e00-\u1eff]{2,}"
)


# where a clause ends: punctuation, or a sentence-final question particle ("黑色XL还有吗，另外包邮吗", "สีดำไซส์ L มีไหม
# ส่งฟรีไหม", "hitam L ada? ongkir gratis ga"): a second question is not a property of the value the first one names
_CLAUSE_END = re.compile(
    r"[,，。.!！?？;；\n]|(?:吗|么|呢|ไหม|มั้ย|มั๊ย|ですか|ますか|(?<![a-zà-ỹ])(?:không|khong|gak|ga|nggak)(?![a-zà-ỹ]))"
)


def clauses_with(rest: str, anchors: Iterable[int]) -> str:
    """The clauses of ``rest`` that hold one of the ``anchors`` (character offsets of the values named), the others
    blanked: "  xl还有吗，另外包邮吗" with the XL at 0 → "  xl还有吗" and spaces."""
    marks = sorted(set(anchors))
    if not marks:
        return rest
    chars = list(rest)
    start = 0
    for end in [*(m.end() for m in _CLAUSE_END.finditer(rest)), len(rest)]:
        if end <= start:
            continue
        if not any(start <= a < end for a in marks):
            chars[start:end] = " " * (end - start)
        start = end
    return "".join(chars)


def property_words(rest: str, anchors: Iterable[int] = ()) -> tuple[str, ...]:
    """The content words a stock reading leaves, in the clauses that name a value (``anchors``), once the catalog's
    terms (already blanked in the folded ``rest``), the stock frame and filler are removed: "  的能用漂白剂吗" →
    ("能用漂白剂",), "is the   one see-through?" → ("see", "through"), "  的还有吗" → (), "yang       masih ada kak?"
    → ()."""
    stripped = _STOCK_FRAME.sub(" ", _PUNCT.sub(" ", clauses_with(rest.casefold(), anchors)))
    return tuple(_CONTENT.findall(stripped))
