"""An order typed into the chat, not a question: "给我来两件黑色M", "I'll take 2 in white L", "白のMを2つください",
"블랙 S 두 장 주세요", "lấy em 2 cái trắng size L", "aku ambil 1 putih XL", "me llevo dos negras talla M", "2개 살게요".
A stock answer ("有的,黑色M码现货充足", "Yes, white L: 12 left") reads as if the order were taken, and nothing is
ordered by typing in the chat: the host or staff tells the viewer to check out (or the how-to-order FAQ does).

Pure functions of the text in the room languages; the engine hands a stock / count / which answer (structured or a
stock FAQ's) to staff with them (`bot.answer_checks`). A question about the stock for an order ("白色L要三件,库存够吗",
"do you have 2 pieces of black XXL") is a question and still answered.
"""

from __future__ import annotations

import re

from catalog.text import fold_text, strip_latin_marks

__all__ = ["ORDER_REQUEST", "is_order_request"]

ORDER_REQUEST = "places an order in the chat: a stock answer would read as if it were taken"

_COUNT_ZH = r"(?:[一二两三四五六七八九十]|\d+)\s*(?:件|个|双|支|台|套|瓶|盒|条|份|只)"
_ORDER = re.compile(
    # zh: 给我来两件, 我要两件, 拍一件, 来三件, 要两台粉色的, 黑色L两件
    r"(?:给我|帮我|我)?(?:来|要|拍|下单|买|留)\s*" + _COUNT_ZH + r"|^[^?？吗]{0,12}?" + _COUNT_ZH + r"\s*[。.!！~～]*\s*$"
    r"|(?:给我|帮我)(?:来|留|拿|拍)"
    # en
    r"|\bi'?ll (?:take|get|have|buy|order)\b(?! a (?:look|pic|photo|picture|peek)| note| it into)"
    r"|\bi(?:'d| would) like (?:to order|to buy|\d|one|two|three)\b"
    r"|\bi want (?:to order|\d|one|two|three)\b|\bput me down for\b"
    r"|\b\d+ (?:(?!too|is|are|feels?|fits?|looks?|seems?|was|runs?|would)\w+ ){0,3}for me\b"
    # ja
    r"|(?:\d+|[一二三四五]|ひと|ふた|みっ)\s*(?:つ|個|枚|足|本|点|台|箱)\S{0,4}?(?:ください|下さい|お願いします|ちょうだい)"
    r"|買います|注文します|購入します"
    # ko
    r"|(?:\d+|하나|한|두|세|네)\s*(?:개|장|벌|켤레|병|박스|통|대)\S{0,3}?\s*(?:주세요|줘요|부탁해요)"
    r"|주문할게요|주문할께요|살게요|살께요|구매할게요|구매할께요"
    # th
    r"|^\s*(?:ขอ|เอา|รับ).{0,24}?\d+\s*(?:ตัว|ชิ้น|คู่|แท่ง|ใบ|อัน|กล่อง|คัน)|สั่ง\s*\d+"
    # vi (marks stripped)
    r"|\b(?:lay|chot|dat) (?:em |minh |cho em |cho minh |cho toi )?(?:\d+|mot|hai|ba|1|2|3)\b|\bchot don\b"
    # id
    r"|\b(?:aku|saya|sy|gw|gue)? ?(?:ambil|pesan|order|beli|mau) (?:\d+|satu|dua|tiga)\b|\b\d+ (?:pcs|biji|buah) ya\b"
    # es
    r"|\bme llevo\b|\bquiero (?:\d+|una?|dos|tres)\b|\bme (?:das|pones|apartas|guardas)\b|\bapart(?:a|ame)\b"
)
# a question after all: "库存够吗", "还有吗", "有没有", "ありますか", "있어요?", "มีไหม", "còn không ạ", "ada?", "hay?" — and
# a price asked ("i want one in white, how much", "quiero una blanca, cuánto cuesta", "me das el precio") or an order on a
# condition ("if you have L in black I'll take it", "블랙 M 있으면 살게요", "kalau ada L aku ambil 1"): that asks the stock
_QUESTION = re.compile(
    r"[?？]|吗|么|嘛|够不够|有没有|有吗|还有|多少|什么|怎么|哪|多大|如何|能不能|可不可以|是不是|没\s*$|的话|如果|价格|价钱|优惠"
    r"|ありますか|ある\?|(?:です|ます)か|いくら|値段|価格|なら|あれば"
    r"|있어요|있나요|있을까|있으면|얼마|가격|되나요|될까요|가능|할인"
    r"|ไหม|มั้ย|หรือเปล่า|กี่|เหลือ|ยังมี|บ้าง|ราคา|เท่าไหร่|เท่าไร|ถ้า"
    r"|几|何|몇|남았|남아|残り|残って|\bhow (?:many|much)\b|\bcon may\b|\bsisa\b|\bcuant[oa]s?\b"
    r"|\b(?:khong|ko|k|hong|hok|chua)\b(?:\s+(?:a|ah|ha|nha|nhe|vay|shop|sh|ban|chi|em|c|e))*\s*$"
    r"|\b(?:bao nhieu|bn|gia|nao|neu)\b"
    r"|\b(?:ada|masih|berapa|brp|harga|apa|apakah|bisa|gak|ga|nggak|ngga|gk|tidak|kah|gimana|kalau|kalo|klo|ready)\b"
    r"|\b(?:hay|tienen|queda|quedan|precio|cual|que|como|si)\b"
    r"|\b(?:is there|do you have|price|what|which|does|can|if|any left|in stock)\b"
)


# Vietnamese "màu" (colour) loses its mark in the folded text and would read as Indonesian "mau" (want): "màu 21 hết rồi
# hả" names shade 21, it orders nothing
_VI_COLOUR = re.compile(r"\bm[àầ]u\b")


def is_order_request(text: str) -> bool:
    """Is ``text`` an order placed in the chat ("给我来两件黑色M", "I'll take 2"), not a question about stock?"""
    folded = strip_latin_marks(_VI_COLOUR.sub("colour", fold_text(text))).strip()
    return bool(_ORDER.search(folded)) and not _QUESTION.search(folded)
