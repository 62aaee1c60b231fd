"""Two questions that sit next to a sibling the catalog answers, and must not get the sibling's answer (答非所问):

- :func:`reports_usual_size`: the viewer states the size they usually wear — "平时穿41 这双拍多大", "normally I wear
  M", "いつもMだけど", "평소 270 신는데", "ปกติใส่ 42", "bình thường mặc size M", "biasa pakai 42", "calzo 40" — and
  asks which to take. That is size advice; the stock, the sizes left or the price of the size they named ("41码还有
  12双", "ukuran 42 harganya 399") answer another question. The product's own size-advice answer still may.
- :func:`describes_feet`: the viewer describes their feet ("脚宽", "wide feet", "足幅が広い", "발볼 넓은데", "chân
  bè") — the same request for advice, which "sizes in stock: 38–44" does not answer.
- :func:`names_two_values`: two values of one attribute named ("M和L差别大吗", "灰色跟粉色价钱一样不", "MとLで迷って
  ます"): a comparison or two questions, which the stock or the price of one of them only half answers.
- :func:`asks_guide_or_advice`: a size chart ("尺码表", "サイズ表", "tabla de tallas") or advice on what suits ("哪个
  颜色显瘦", "which colour is most flattering", "どの色が似合う") — not the list of sizes or colours in stock.
- :func:`asks_price_comparison`: whether a variant costs more or less ("핑크는 더 비싼가요?", "la rosa es más cara?"):
  a price question with no "how much" in it, which the variant's stock ("pink: 5 left") does not answer.
- :func:`names_return`: the comment names a return or an exchange ("返品送料は無料ですか", "退货运费谁出", "who pays
  shipping if I send it back"). A delivery FAQ (free shipping in mainland China, 2–4 days) says nothing about the
  postage of a parcel sent back.

Pure functions of the text, in the room languages zh, en, ja, ko, th, vi, id, es; the engine applies them last
(`bot.answer_checks.with_structured` / `other_kind`), and they only ever hand an answer to staff.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from catalog.text import fold_text, strip_latin_marks

__all__ = [
    "GUIDE_OR_ADVICE", "PRICE_COMPARISON", "RETURN_POSTAGE", "SEVERAL", "TWO_VALUES", "USUAL_SIZE", "asks_for_several",
    "asks_guide_or_advice", "asks_price_comparison",
    "asks_size_advice", "describes_feet",
    "names_return", "names_two_values", "reports_usual_size",
]

USUAL_SIZE = "gives the viewer's usual size or foot shape: asks for size advice, not a size's stock or price"
RETURN_POSTAGE = "names a return or an exchange: a delivery FAQ does not answer it"
SEVERAL = "asks the price of several: the multi-buy discount applies, not the unit price"
GUIDE_OR_ADVICE = "asks for a size chart or advice on what suits: what is in stock does not answer it"
TWO_VALUES = "names two values of one attribute: an answer about one variant answers half"
PRICE_COMPARISON = "asks whether it costs more or less: a price question, not the variant's stock"

# a size as typed: a letter size or a 2–3 digit number (EU shoe size, cm, Korean mm), optionally with its unit
_SIZE = r"(?:\d{2,3}(?:\.5)?|(?:x{0,3}[sml]|\d?xl|xs)(?![a-z]))"

_USUAL_PATTERNS = (
    # Chinese: a habit word, then wear / buy: "平时穿41", "我一般穿L", "平常买41的鞋", "别的牌子都穿M"
    re.compile(r"(?:平时|平常|一般|通常|日常|向来|一直|其他牌子|别的牌子|别家)(?:都|就|是|也)?(?:穿|买|拍|选)(?:的是)?\s*"
               r"(?:" + _SIZE + r"|[一二三四五六七八九十]{2,3})"),
    # English: "usually wear M", "normally I wear L", "i'm a 42 in adidas", "my usual size is", "I take L in other brands"
    re.compile(r"\b(?:usually|normally|typically|always|generally)\s+(?:i\s+)?(?:wear|get|buy|take|order|am|'m)?\s*"
               r"(?:an? |size |a size )?" + _SIZE + r"\b"),
    re.compile(r"\bi(?:'m| am)\s+(?:usually |normally |always )?(?:an? |size )?" + _SIZE + r"\s+(?:in|at|with|for)\s+[a-z]"),
    re.compile(r"\bmy (?:usual|normal|regular) size\b"),
    re.compile(r"\b(?:wear|take)\s+(?:an? |size )?" + _SIZE + r"\s+in (?:other|most) brands\b"),
    # Japanese: "いつもMだけど", "普段はLサイズです", "普段27cmです"
    re.compile(r"(?:いつも|普段|ふだん|普通は|通常)(?:は)?\s*(?:" + _SIZE + r")"),
    re.compile(r"(?:いつも|普段|ふだん)(?:は)?.{0,6}?(?:サイズ|cm|センチ)"),
    # Korean: "평소 L 입어요", "평소에 270 신는데", "보통 M 사이즈 입는데"
    re.compile(r"(?:평소|보통|원래)(?:에|엔|에는|는)?\s*(?:" + _SIZE + r")\s*(?:사이즈|호|mm)?\s*(?:입|신|사|써)"),
    # Thai: "ปกติใส่ M", "ปกติใส่ไซส์ 42"
    re.compile(r"(?:ปกติ|ปกติแล้ว|ส่วนใหญ่|ประจำ)\s*(?:จะ)?\s*(?:ใส่|ใช้|ซื้อ)\s*(?:ไซส์|ไซซ์|เบอร์|size)?\s*" + _SIZE),
    # Vietnamese: "bình thường mặc size M", "thường đi giày 42", "hay mặc L"
    re.compile(r"\b(?:bình thường|binh thuong|thường|thuong|hay|mọi khi|moi khi)\s+(?:em\s+|mình\s+|minh\s+|tôi\s+|toi\s+)?"
               r"(?:mặc|mac|đi|di|mang|xài|xai|lấy|lay)\s+(?:giày\s+|giay\s+)?(?:size\s+|sz\s+|cỡ\s+|co\s+|số\s+|so\s+)?"
               + _SIZE + r"\b"),
    # Indonesian: "biasa pakai 42", "biasanya pakai ukuran L", "biasa pake size M"
    re.compile(r"\b(?:biasa|biasanya|bisanya|biasa nya)\s+(?:aku\s+|saya\s+|sy\s+|ak\s+)?(?:pakai|pake|pakainya|ambil|beli)"
               r"\s+(?:ukuran\s+|size\s+|uk\s+|nomor\s+|no\s+)?" + _SIZE + r"\b"),
    # Spanish: "calzo 40", "normalmente uso M", "suelo usar talla L", "uso 42 en nike"
    re.compile(r"\bcalzo\s+(?:un |el |talla |número |numero )?\d{2}"),
    re.compile(r"\b(?:normalmente|usualmente|siempre|generalmente|por lo general|suelo)\s+(?:uso|usar|llevo|llevar|compro"
               r"|comprar|visto|pido|soy|calzo)\s+(?:la |el |una |un )?(?:talla |número |numero |size )?" + _SIZE),
    re.compile(r"\buso (?:la |el )?(?:talla |número |numero )?" + _SIZE + r"\s+en\s+[a-z]"),
    # the size someone else wears, or the size worn in another brand: "mi esposo calza 42", "usa la 40 en adidas",
    # "my husband wears a 44 in adidas", "chồng em đi giày nike size 42", "ใส่ nike 42", "老公nike穿42", "穿耐克的42码"
    re.compile(r"\b(?:calza|calzas|calzan|calzamos)\s+(?:un |el |la |talla |número |numero )?\d{2}\b"),
    re.compile(r"\b(?:usa|usas|usan|lleva|llevas|llevan|llevo)\s+(?:la |el )?(?:talla |número |numero )?" + _SIZE
               + r"\s+en\s+[a-z]"),
    re.compile(r"\b(?:wears?|wore)\s+(?:an? |size |a size )?" + _SIZE + r"\s+(?:in|at)\s+(?!(?:winter|summer|spring|fall"
               r"|autumn|the|a|an|my|this|these|that|it|black|white|grey|gray|navy|cream|red|pink|blue|green)\b)[a-z]"),
    re.compile(r"\b(?:đi|di|mang)\s+(?:giày|giay)\s+(?:[a-z]+\s+)?(?:size\s+|sz\s+|số\s+|so\s+|cỡ\s+|co\s+)?\d{2}\b"),
    re.compile(r"ใส่\s*(?:รองเท้า\s*)?(?!size|sz)[a-z]{3,}\s*(?:ไซส์|เบอร์|size)?\s*\d{2}(?!\d)"),
    re.compile(r"(?:耐克|阿迪|[a-z]{3,})(?:的鞋)?(?:都|一般|平时)?穿\s*\d{2}(?!\d)|穿(?:耐克|阿迪|[a-z]{3,})的?\s*\d{2}(?!\d)"),
    # the viewer's foot size or length: "chân mình size 40", "kaki aku 42", "my foot is 26 cm", "mi pie mide 25",
    # "我脚42", "足は25cm", "발 270", "เท้ายาว 25"
    re.compile(r"\b(?:chân|chan|bàn chân|ban chan)\s+(?:(?:của\s+)?(?:mình|minh|em|tôi|toi|tớ|anh|chị|chi)\s+)?"
               r"(?:size\s+|sz\s+|số\s+|so\s+|cỡ\s+|dài\s+|dai\s+)?\d{2,3}(?:[.,]5)?\s*(?:cm|mm)?\b"),
    re.compile(r"\bkaki\s+(?:aku|saya|ku|sy|ak|gue|gw)\s+(?:ukuran\s+|size\s+|nomor\s+|panjang\s+|uk\s+)?\d{2,3}\s*(?:cm)?\b"),
    re.compile(r"\bmy (?:foot|feet) (?:is|are|measures?)\s+(?:a |size |about |around )?\d{2,3}\b"),
    re.compile(r"\bmi pie\s+(?:mide\s+|es\s+(?:de\s+|del\s+|un\s+)?)?(?:talla |número |numero )?\d{2}\b"),
    re.compile(r"我?的?脚(?:长|是|码|的码数?是?)?\s*\d{2,3}(?:\.5)?(?:码|cm|厘米|公分)?(?!\d)"),
    re.compile(r"足(?:は|の?サイズは?|が)?\s*\d{2}(?:\.5)?\s*(?:cm|センチ)"),
    # not the 발 of 신발 (shoes): "신발 235 있어요?" asks for a size
    re.compile(r"(?<!신)발(?:\s*사이즈)?(?:가|는|이)?\s*\d{3}(?!\d)"),
    re.compile(r"เท้า(?:ยาว|ไซส์|ขนาด)?\s*\d{2}(?!\d)"),
    # the size worn said with the shoes (a Korean size is the foot length in mm, a Japanese one in cm): "235 신는데",
    # "250mm 신어요", "24cmの靴を履いてます", "26.5センチの靴" — as "평소 270 신는데", which size to take
    re.compile(r"(?<![\d.])2\d\d\s*(?:mm|미리)?\s*(?:을|를)?\s*신(?:어|는|고|으|을|습|었|던|네|지|다)"),
    re.compile(r"(?<![\d.])2\d(?:\.5)?\s*(?:cm|センチ)\s*(?:の(?:靴|くつ|スニーカー|シューズ)|を?履|はいて)"),
    # a US / UK shoe size, which the shop's EU sizes do not name: "usually a US 9", "i wear a US 7 women's", "美码9",
    # "USサイズ9", "미국 사이즈 9", "ไซส์ US 8", "size US 9", "ukuran US 9", "un 9 de EE.UU." (not "give us 2": "us" is
    # a size only after a size or wearing word, or before men's / women's)
    re.compile(r"(?:\bsize\s+|\ba\s+|\bwear\s+|\bam\s+|'m\s+|\bin\s+|\bukuran\s+|\bsz\s+|ไซส์\s*|美码|穿)"
               r"(?:us|uk)\s?\d{1,2}(?:\.5)?\b"),
    re.compile(r"\b(?:us|uk)\s?\d{1,2}(?:\.5)?\s*(?:men'?s|women'?s|mens|womens|ladies|nam|nữ|nu|pria|wanita|hombre|mujer)\b"),
    re.compile(r"(?:美码|英码|美国码)\s*\d{1,2}(?:\.5)?|(?:us|uk|アメリカ)\s*サイズ\s*\d{1,2}|(?:미국|us)\s*사이즈\s*\d{1,2}"),
    re.compile(r"\b(?:talla|número|numero|un|una|el|la)\s+\d{1,2}(?:\.5)?\s+(?:de\s+)?(?:ee\.?\s?uu\.?|usa|us"
               r"|estados unidos|american[oa])"),
)


def reports_usual_size(text: str) -> bool:
    """Does ``text`` state a size the viewer usually wears ("平时穿41", "normally I wear M", "calzo 40")?"""
    folded = fold_text(text)
    return any(p.search(folded) for p in _USUAL_PATTERNS)


# the shape of the viewer's feet: wide, a high instep — said only to ask which size to take
_FEET = re.compile(
    r"脚(?:比较|有点|很|偏|太|特别)?(?:宽|肥)|宽脚|脚背(?:比较|有点|很|偏)?高|脚面高"
    r"|\bwide (?:feet|foot)\b|\bhigh (?:instep|arches?)\b|\bbetween (?:two )?sizes\b"
    r"|足幅|甲高|幅広|발볼|발등이? ?높|เท้ากว้าง|หน้าเท้ากว้าง|หลังเท้าสูง|\bchân bè\b|\bchan be\b|\bmu bàn chân cao\b"
    r"|\bkaki (?:saya |aku )?lebar\b|\bpunggung kaki tinggi\b|\bpies? anchos?\b|\bempeine alto\b"
)


def describes_feet(text: str) -> bool:
    """Does ``text`` describe the viewer's feet (wide, a high instep), as one asking which size to take does?"""
    return bool(_FEET.search(fold_text(text)))


def asks_size_advice(text: str) -> bool:
    """A viewer's usual size or foot shape: whatever else the comment asks, it asks which size to take."""
    return reports_usual_size(text) or describes_feet(text)


# a return or an exchange, as viewers name one; a bare "change" / "đổi" / "cambio" only next to what is changed
_RETURN = re.compile(
    r"退货|退回|寄回|退换|换货|换码|换尺码|换个码|换颜色|退款|退掉|退的话"
    r"|\b(?:return|returns|returning|returned|refund|refunds|exchange|exchanges|exchanging|swap|swapping)\b"
    r"|\bsend (?:it |them |the \w+ )?back\b|\bship (?:it |them )?back\b"
    r"|返品|返送|交換|返金"
    r"|반품|교환|환불"
    r"|คืนสินค้า|คืนของ|ส่งคืน|ส่งกลับ|เปลี่ยนสินค้า|เปลี่ยนไซส์|เปลี่ยนไซซ์|เปลี่ยนสี|คืนเงิน"
    r"|\b(?:trả hàng|tra hang|trả lại|tra lai|hoàn hàng|hoan hang|đổi hàng|doi hang|đổi trả|doi tra|đổi size|doi size"
    r"|đổi màu|doi mau|hoàn tiền|hoan tien)\b"
    r"|\b(?:retur|refund|tukar|tuker|nukar|balikin|pengembalian|dikembalikan)\b"
    r"|devoluci|\bdevolver|\bdevuelv|\breembols|\bcambio de (?:talla|color|número|numero)\b|\bcambiar (?:la|el|de)\b"
)


def names_return(text: str) -> bool:
    """Does ``text`` name a return or an exchange (退货, send it back, 返品, 반품, ส่งคืน, trả hàng, retur, devolución)?"""
    return bool(_RETURN.search(fold_text(text)))


# several of the thing: a count of 2–9 (digits or number words) with a classifier or a buying verb. A count the
# product's own name carries ("5双装", "(5 pairs)") is the product itself, not several of it (``own_numbers``).
_N = r"(?:[2-9])"
_SEVERAL_PATTERNS = (
    re.compile(r"(?:(?P<n>[2-9])|两|俩|二|三|四|五)\s*(?:件|个|双|盒|瓶|支|条|套|只|份|罐|袋|箱)"),
    re.compile(r"\b(?:(?P<n>" + _N + r")|two|three|four|five)\s+(?:of (?:them|these|those|it)|pcs|pieces|pairs|boxes"
               r"|bottles|units|items|tees|shirts|sets|packs)\b"),
    re.compile(r"\b(?:for|buy|buying|get|order|take)\s+(?:(?P<n>" + _N + r")|two|three|four|five)\b(?!\s*(?:cm|kg|ml|days?))"),
    re.compile(r"(?:(?P<n>" + _N + r")|二|三|四|五)\s*(?:枚|個|本|足|箱|つ|点|セット)"),
    re.compile(r"(?:(?P<n>" + _N + r")|두|세|네|다섯)\s*(?:개|장|켤레|박스|병|벌|세트|통)"),
    re.compile(r"(?:(?P<n>" + _N + r")|สอง|สาม|สี่|ห้า)\s*(?:ตัว|ชิ้น|อัน|คู่|กล่อง|ขวด|แท่ง|ผืน|ใบ|ชุด)"),
    re.compile(r"\b(?:(?P<n>" + _N + r")|hai|ba)\s+(?:cái|cai|chiếc|chiec|đôi|doi|hộp|hop|chai|cây|cay|bình|binh|bộ|bo"
               r"|áo|ao|thỏi|thoi|món|mon)\b"
               r"|\bmua\s+(?:(?P<m>" + _N + r")|hai|ba)\b(?!\s*(?:cm|kg|ml|ngày|tháng|năm|tiếng|giờ))"),
    re.compile(r"\b(?:beli|ambil|order|checkout|co)\s+(?:(?P<n>" + _N + r")|dua|tiga|empat|lima)\b"
               r"|\b(?:(?P<m>" + _N + r")|dua|tiga)\s+(?:pcs|biji|buah|pasang|kotak|botol|potong|set)\b"),
    re.compile(r"\b(?:por|compro|llevo|pido|comprar|llevar)\s+(?:(?P<n>" + _N + r")|dos|tres|cuatro|cinco)\b"
               r"|\b(?:(?P<m>" + _N + r")|dos|tres)\s+(?:piezas|unidades|pares|cajas|botellas|camisetas|termos|juegos)\b"),
)


def asks_for_several(text: str, own_numbers: frozenset[str] = frozenset()) -> bool:
    """Does ``text`` ask about buying several ("买三件", "how much for 3 of them", "3個買うと", "cuánto por dos")? A
    count among ``own_numbers`` (the digits of the product's own names, "5" of "5双装") does not count."""
    folded = fold_text(text)
    for p in _SEVERAL_PATTERNS:
        for m in p.finditer(folded):
            digit = next((g for g in m.groupdict().values() if g), None)
            if digit is None or digit not in own_numbers:
                return True
    return False


def names_two_values(values: Iterable[tuple[str, str, str]], product_id: str | None) -> bool:
    """Do the recognised variant ``values`` ((product, attribute, value), bot/slots.py) name two different values of one
    attribute of ``product_id`` — "M和L差别大吗", "灰色跟粉色价钱一样不": a comparison (or two questions), which an
    answer about one variant (its stock, its price) only half answers?"""
    seen: dict[str, set[str]] = {}
    for pid, attr, value in values:
        if pid == product_id:
            seen.setdefault(attr, set()).add(value)
    return any(len(v) > 1 for v in seen.values())


# a size chart asked for, or advice on which colour / size suits ("哪个颜色显瘦", "どの色が似合う"): a list of what is
# in stock ("sizes in stock: S–XXL", "colours: black, cream, navy") answers neither
_GUIDE_OR_ADVICE = re.compile(
    r"尺码表|尺码对照|码数表|尺寸表|显瘦|显白|显黑|显高|显胖|好看|百搭|适合我"
    r"|\bsize (?:chart|guide)\b|\bsizing (?:chart|guide)\b|\bslimm(?:er|ing)\b|\bflattering\b|\bsuits? me\b"
    r"|\blooks? (?:better|best|good|nicer)\b"
    r"|サイズ表|サイズチャート|サイズ早見|細く見え|似合|着やせ|着痩せ"
    r"|사이즈 ?표|사이즈 ?차트|날씬|어울|ตารางไซส์|ตารางไซซ์|ตารางขนาด|ดูผอม|ดูดี|เหมาะกับ"
    r"|\bbảng size\b|\bbang size\b|\bbảng kích|\bgầy hơn\b|\bhợp với\b|\bđẹp hơn\b|\bdep hon\b"
    r"|\btabel ukuran\b|\bsize chart\b|\blangsing\b|\bcocok (?:buat|untuk|sama) (?:aku|saya|kulit|badan)\b|\bpaling bagus\b"
    r"|\btabla de tallas\b|\bguía de tallas\b|\bguia de tallas\b|\bdelgad[ao]\b|\bfavorec|\bqueda mejor\b|\bse ve mejor\b"
)


def asks_guide_or_advice(text: str) -> bool:
    """Does ``text`` ask for a size chart or for advice on what suits ("尺码表", "size guide", "どの色が似合う", "màu nào
    mặc đẹp hơn", "qué color favorece")? What is in stock does not answer it."""
    return bool(_GUIDE_OR_ADVICE.search(fold_text(text)))


# whether a variant costs more or less than another ("핑크는 더 비싼가요?", "la rosa es más cara?"): a price question,
# though it has no "how much" — the variant's stock ("pink: 5 left") does not answer it
_PRICE_COMPARISON = re.compile(
    r"贵一点|贵一些|贵点|更贵|贵吗|贵不贵|比较贵|便宜一点|便宜一些|更便宜|便宜吗|价格一样|价钱一样|一个价"
    r"|\bpricier\b|\bmore expensive\b|\bcheaper\b|\bcosts? (?:more|less)\b|\bsame price\b|\bexpensive\b"
    # 高い is also "tall" (背が高い, 身長が高い) and "high" (a heel)
    r"|(?<!背[がの])(?<!身長[がの])(?<!ヒール[がはの])高(?:いん|いです|いの|い[?？])|安いん|安いです|安いの|安い[?？]|値段(?:が|は)?違|同じ値段"
    r"|비싸|비싼|더 싸|싼가요|저렴|가격(?:이|은)? ?(?:같|달라|차이)"
    r"|แพง|ถูกกว่า|ราคาเท่ากัน|ราคาต่างกัน|ราคาไม่เท่ากัน"
    r"|\bdat hon\b|\bre hon\b|\bgia (?:cao hon|khac|dat|re)\b|\bcung gia\b"
    r"|\bmahal\b|\bmurah\b|\bharga(?:nya)? (?:beda|sama)\b"
    r"|\bm[aá]s car[oa]s?\b|\bm[aá]s barat[oa]s?\b|\bcuesta (?:m[aá]s|menos)\b|\bvale (?:m[aá]s|menos)\b|\bmismo precio\b"
)


def asks_price_comparison(text: str) -> bool:
    """Does ``text`` ask whether something costs more or less ("粉色贵一点吗", "is the pink one pricier", "ピンクは高い
    んですか", "핑크는 더 비싼가요?", "แพงกว่าไหม", "đắt hơn", "lebih mahal", "es más cara")?"""
    folded = fold_text(text)
    return bool(_PRICE_COMPARISON.search(folded) or _PRICE_COMPARISON.search(strip_latin_marks(folded)))
