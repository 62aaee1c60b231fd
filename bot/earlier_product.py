"""The product shown earlier, not the one on stage: "上一个还有货吗", "the previous one, is it still available?",
"さっきのやつまだありますか", "아까 그거 아직 있어요?", "cái lúc nãy còn hàng không", "yang tadi masih ada kak?", "el de
antes todavía hay?". Without a product name the resolver takes the product on stage, so "上一个还有货吗" got the tee's
stock list at 0.98 while the viewer asked about the stroller shown before it. Which product was shown before is the
host's to say (the room may have shown several): staff.

When the comment names the earlier product ("刚才那个推车还有吗", "the stroller from before") the resolver finds it by
name and nothing here applies. Pure functions of the text in the room languages; the engine hands an answer or a
recommendation to staff with them (`bot.answer_checks`).
"""

from __future__ import annotations

import re

from catalog.text import fold_text, strip_latin_marks

__all__ = ["EARLIER_PRODUCT", "refers_to_earlier_product"]

EARLIER_PRODUCT = "asks about a product shown earlier, not named: the one on stage is not it"

# "that one from just now / the previous one", per language (matched on the folded text, Latin marks stripped)
_EARLIER = re.compile(
    # zh: 刚才 / 之前 open the clause ("洗之前能漂白吗", "下单之前可以改吗": before washing / ordering); 前面 is also "the
    # front" ("前面是什么图案"), read only with 那个 / 的那款 …
    r"(?:^|(?<=[\s,，。.!！?？~、]))(?:刚才|刚刚|之前|先前)"
    r"(?:的|介绍的|讲的|说的|播的|那|那个|那款|那件|这|这个|这款)?"
    r"(?:个|款|件|双|支|台|套|瓶|盒)?(?:商品|宝贝|东西|链接)?(?:还有|有货|多少|多重|怎么|什么|能|可以|是|呢|吗)"
    r"|(?:上一?个|上一款|上一件|上一双|上款)(?:的|介绍的|讲的|说的|播的|那|那个|那款|那件|这|这个|这款)?"
    r"(?:个|款|件|双|支|台|套|瓶|盒)?(?:商品|宝贝|东西|链接)?(?:还有|有货|多少|多重|怎么|什么|能|可以|是|呢|吗)"
    r"|(?:刚才|刚刚|之前|前面|上一?个)(?:那个|那款|那件|那双|那支|那台|那套|那瓶|的那个|的那款)"
    # en: "the previous one", "the one from before"; not "the last one" (the last one left in stock)
    r"|\b(?:the )?(?:previous|earlier) (?:one|item|product)\b(?! (?:of|in) )|\bthe last (?:item|product) you showed\b"
    r"|\b(?:the )?one (?:from )?(?:before|earlier)\b|\bfrom (?:before|earlier)\b|\byou showed (?:before|earlier)\b"
    r"|さっき|先ほど|前の(?:商品|やつ|もの|物)|さきほど"
    # ko: not 아까부터 (since a while ago)
    r"|아까(?!부터)|이전 ?(?:상품|거|꺼|제품)|앞에 ?(?:거|꺼|상품|제품)|전에 ?(?:보여준|소개한|나온)"
    r"|เมื่อกี้|เมื่อกี๊|อันก่อน|ตัวก่อน|ตัวที่แล้ว|อันที่แล้ว|ชิ้นที่แล้ว|ก่อนหน้า"
    # vi, read before the marks are stripped: "lúc nãy" (a while ago), never "lúc này" (now) or "bản này" (this
    # version), which lose their difference without the marks; unmarked only after a word for the goods
    r"|\b(?:lúc|hồi|ban|bữa|khi) nãy\b|\b(?:cái|món|sản phẩm|mẫu|mau|cai|mon|san pham) (?:trước|vừa nãy|hồi nãy)\b"
    r"|\b(?:cai|mon|san pham|mau) (?:truoc|vua nay|hoi nay|luc nay)\b"
    r"|\b(?:yang|yg) (?:tadi|sebelumnya|sebelum ini)\b|\b(?:barang|produk) (?:tadi|sebelumnya)\b"
    r"|\b(?:el|la|lo) (?:de antes|anterior|que mostraste|que mostraron)\b|\bhace un rato\b"
)
# "I ordered earlier", "之前买过" (the viewer's own order, an order report or after-sales), "刚才说的优惠券" (what the host
# said, not a product), "I asked earlier" (the viewer's own question, about the product on stage)
_NOT_PRODUCT = re.compile(
    r"(?:之前|刚才|刚刚|上次)(?:买|拍|下单|付|说|讲|问)"
    r"|\b(?:ordered|bought|paid|said|mentioned|asked|commented) (?:it |this )?(?:before|earlier)\b"
    r"|さっき(?:注文|買|言|話|聞|質問)|아까 ?(?:주문|샀|말씀|말한|물어|질문|문의)|เมื่อกี้(?:สั่ง|ซื้อ|บอก|พูด|ถาม)"
    r"|\b(?:luc nay|hoi nay) (?:dat|mua|noi|hoi)\b|\btadi (?:pesan|beli|bilang|ngomong|tanya|nanya)\b"
    r"|\bantes (?:compre|pedi|dijiste|pregunte)\b|\bhace un rato (?:pregunte|pedi|compre|escribi|dije)\b"
)


def refers_to_earlier_product(text: str) -> bool:
    """Does ``text`` ask about a product shown before the one on stage ("上一个还有货吗", "the previous one")?"""
    folded = fold_text(text)
    stripped = strip_latin_marks(folded)
    earlier = _EARLIER.search(folded) or (stripped != folded and _EARLIER.search(stripped))  # the marks, then without
    return bool(earlier) and not _NOT_PRODUCT.search(stripped)
