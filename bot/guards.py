"""Guards against confident answers to a question of another kind (答非所问): the answer is right for some question,
but not for the one asked. Each guard only hands an ANSWER to staff; it never answers.

- :func:`asks_about_person`: the comment asks about a person — the host's size, height, age, what they wear ("主播穿
  多大码", "what size is the host wearing", "chị mặc size gì", "qué talla lleva la chica") — which no product attribute,
  stock list or FAQ of the catalog answers, however close the words ("size") bring it to "sizes in stock".
- :func:`names_only`: a plain price question ("cup price?", "水筒いくら", "el termo cuánto vale") whose other words are
  not the words of the product on stage (its names, aliases, descriptions, its FAQs' example questions): maybe
  another product, or one the shop does not sell — not answered with the stage product's price.
- :func:`about_own_product`: an attribute question ("什么成分", "多重", "what is it made of") whose subject is not
  among the stage product's own words (its names, aliases, descriptions, FAQs' example questions, attribute texts and
  attribute words; words for its kind of goods: 衣服 for apparel): "舰长都什么成分啊", "what is your mic made of",
  "你家猫几斤" — not answered with the tee's material or the stroller's weight.
- :func:`names_destination`: the comment names a country or region abroad ("free shipping to Canada?", "寄到美国包邮吗")
  and the shipping FAQ that matched names none in its example questions: a domestic shipping answer (free shipping
  in mainland China, 2–4 days) is not an answer about shipping there. A FAQ whose examples name places (the catalog's
  international-shipping FAQ: "do you ship to Canada") is unaffected, and so is every FAQ that is not about shipping
  ("good for a Canadian winter?").

Pure functions of the text (and the catalog's FAQ examples); the engine applies them last (`bot.answer_checks.with_structured`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from bot.product_words import attribute_texts, per_snapshot, texts_by_product

if TYPE_CHECKING:
    from catalog.snapshot import CatalogSnapshot

__all__ = [
    "DESTINATION", "OTHER_ATTRIBUTE", "OTHER_THING", "PERSON", "about_own_product", "asks_about_person",
    "examples_name_place", "names_destination", "names_only", "names_place", "one_faq",
]

PERSON = "asks about a person (the host), not the product"
DESTINATION = "names a destination abroad, and its shipping FAQ names none"
OTHER_THING = "a price asked for something the product's own words do not name"
OTHER_ATTRIBUTE = "an attribute asked of something the product's own words do not name"

# ------------------------------------------------------------------------------------------------ a person

# Who: the host / the model / the seller, as viewers call them. Forms of address that also start ordinary questions
# ("chị ơi còn size L không", "kak ready?") only count right next to a person word below.
_HOST_CJK = (
    r"(?:主播|小姐姐|小哥哥|主持人|模特|你(?![们們家好])|配信者|ライバー|店長|店員|お姉さん|おねえさん|モデル|あなた"
    r"|호스트|쇼호스트|진행자|언니|누나|오빠|모델|사장님|แม่ค้า|แอดมิน|นางแบบ|คนขาย|พี่)"
)
_CJK_SUFFIX = r"(?:さん|ちゃん|様|님|씨)?(?:的|が|は|の|이|가|은|는|의|\s)?"
# What about them: wearing, body height, age, marriage, foot size — never an attribute of the goods.
_PERSON_CJK = (
    r"(?:穿|身高|几岁|多大了|多大年纪|年龄|岁数|几号脚|多大的脚|结婚|哪里人|着て|履いて|身長|何歳|年齢|結婚"
    r"|입은|입고|신은|신고|키가|키는|나이|몇 ?살|결혼|ใส่|สูง|อายุ|แต่งงาน"
    # what they have on their lips or face right now: the make-up verbs (涂, 塗る / つける, 바르다, ทา + shade / now)
    r"|涂的|涂了|涂着|嘴上|塗って|塗ってる|つけて|付けて|바른|바르신|발랐|바르고 ?있|ทา(?:เบอร์|สี|ลิป|อยู่))"
)
# "now" between the host word and what they wear ("お姉さん今塗ってる", "언니 지금 바르신")
_NOW_CJK = r"(?:现在|現在|今|いま|지금\s?)?"
_PERSON_PATTERNS = (
    re.compile(_HOST_CJK + _CJK_SUFFIX + _NOW_CJK + r".{0,2}?" + _PERSON_CJK),
    # body height asked without a number: only people have one (身高 / 身長 / 키 is never a product's height)
    re.compile(r"^(?!.*\d).*(?:身高多少|身高多高|身長(?:は|何|いくつ)|키가? ?(?:몇|어떻게))"),
    # what someone is wearing said with an honorific, which a viewer never uses of themselves: ja "今塗っていらっしゃる色",
    # "着ておられる", "お召しになっている"; ko "바르신", "바르고 계신", "입으신", "입고 계신" (the host, with no word for them)
    re.compile(r"(?:塗って|ぬって|つけて|付けて|着て|履いて|穿いて|使って|かぶって|被って)(?:いらっしゃ|らっしゃ|おられ)|お召しにな"),
    re.compile(r"(?:바르|입|신|쓰|착용하)(?:으)?신|(?:바르|입|신|쓰|착용하)고 ?계신|(?:바르|입|신)고 ?계시"),
    # English
    re.compile(r"\b(?:host|streamer|presenter|model|she|he|girl|lady|guy)\s+(?:is\s+)?(?:wearing|wears|wear)\b"),
    re.compile(r"\bhow (?:tall|old) (?:is|are) (?:the |that |this |our |your )?(?:host|streamer|presenter|model|she|he|girl"
               r"|lady|guy|you|u)\b"),
    re.compile(r"\b(?:host|streamer|presenter|model)(?:'s|s)? (?:size|height|weight|age)\b"),
    re.compile(r"\b(?:are (?:you|u) wearing|what (?:size|colou?r) (?:do|are) (?:you|u) (?:wear|wearing)|your (?:height|age))\b"),
    # Vietnamese (with and without diacritics): "chị mặc size gì", "chủ shop bao nhiêu tuổi", "chị cao bao nhiêu"
    re.compile(r"\b(?:chị|chi|anh|shop|bạn|ban|mẫu|mau)\s+(?:ơi\s+)?(?:mặc|mac)\s+(?:size|sz|sai|cỡ|co|số|so|màu|mau)\b"),
    # ("c", "a": chat for chị, anh — "c ơi c cao bao nhiêu mặc size gì vậy")
    re.compile(
        r"\b(?:chị|chi|anh|shop|bạn|ban|mẫu|mau|c|a)\s+(?:ơi\s+)?(?:cao|nặng|nang)\s+(?:bao nhiêu|bao nhieu|bn|mấy|may)\b"
    ),
    re.compile(r"\b(?:c|a)\s+(?:ơi\s+)?(?:mặc|mac)\s+(?:size|sz|sai|cỡ|số|màu)\b"),
    re.compile(r"\b(?:chị|chi|anh|shop|bạn|ban|mẫu|mau)\s+(?:ơi\s+)?(?:bao nhiêu|bao nhieu|bn|mấy|may)\s+(?:tuổi|tuoi)\b"),
    re.compile(r"\b(?:chị|chi|anh|shop|bạn|ban)\s+(?:ơi\s+)?(?:có chồng|co chong|lấy chồng|lay chong|có vợ|co vo)\b"),
    # what they have on now, with "đang": "chị đang tô son màu gì", "anh đang mặc size gì" (never "shop đang dùng ship …")
    re.compile(r"\b(?:chị|chi|anh|bạn|ban|mẫu)\s+(?:ơi\s+)?(?:đang|dang)\s+(?:mặc|mac|tô|to|đánh|danh|xài|xai|dùng|dung)\b"),
    # Indonesian: "kakak pake size apa", "kakak lagi pake warna apa", "kakaknya umur berapa", "tinggi kakak berapa"
    re.compile(r"\b(?:kak|kakak|kakaknya|ka|mimin|min|admin|sis|mbak|mba|mas|cici|modelnya|host|hostnya)\s+"
               r"(?:(?:lagi|lg|sedang|skrg|sekarang)\s+)?(?:pake|pakai|pakainya|pakenya)\s+"
               r"(?:size|ukuran|uk|warna|yg|yang|no|nomor|lipstik|lipstick|lip|liptint|shade)\b"),
    re.compile(r"\b(?:kak|kakak|kakaknya|ka|mimin|min|admin|sis|mbak|mba|mas|cici|modelnya|host|hostnya)\s+"
               r"(?:tinggi|tingginya|umur|umurnya|usia|usianya|tb|bb|berat badan|berat badannya)\s+(?:berapa|brp)\b"),
    re.compile(r"\b(?:tinggi|tingginya|umur|umurnya|usia|usianya)\s+(?:kak|kakak|kakaknya|mimin|min|admin|sis|mbak|mba"
               r"|mas|cici|modelnya|host|hostnya)\s+(?:berapa|brp)\b"),
    # Spanish: "qué talla lleva la chica", "cuánto mide la presentadora", "cuántos años tiene el presentador"
    re.compile(r"\b(?:lleva|usa|viste|trae|mide|pesa)\s+(?:la |el )?(?:presentadora|presentador|chica|chico|modelo"
               r"|muchacha|muchacho|vendedora|vendedor|conductora|conductor)\b"),
    re.compile(r"\b(?:años|edad)\s+(?:tiene\s+)?(?:la |el )?(?:presentadora|presentador|chica|chico|modelo|muchacha"
               r"|muchacho|vendedora|vendedor|conductora|conductor)\b"),
    re.compile(r"\b(?:la |el )(?:presentadora|presentador|chica|chico|modelo|muchacha|muchacho|vendedora|vendedor"
               r"|conductora|conductor)\s+(?:lleva|usa|viste|trae|mide|pesa|tiene .{0,3}años)\b"),
    # "qué labial llevas puesto", "qué color traes puesto hoy": what the host has on (tú: the viewer talks to the host)
    re.compile(r"\b(?:llevas|traes|tienes|usas)\s+puest[oa]s?\b"),
    # the host asked as tú: "¿cuánto mides?", "¿cuánto pesas tú?", "¿qué talla usas tú?"
    re.compile(r"\bcu[aá]nto (?:mides|pesas)\b|\bqu[eé] talla (?:usas|llevas|traes|tienes) (?:t[uú]|puesta)\b"),
    # where the host is or streams from ("where are you streaming from", "主播哪里人", "どこから配信", "chị ở đâu"), not
    # where the goods ship from ("where do you ship from", "发货地", "kirim dari mana": a shipping FAQ's question)
    re.compile(
        r"^(?!.*(?:ship|deliver|发货|寄|快递|発送|배송|ส่ง|giao|gửi|kirim|ongkir|env[ií]))(?:.*(?:"
        r"\bwhere (?:are|r) (?:you|u|y'all|you guys) (?:streaming|live|broadcasting|from)\b"
        r"|\bwhere(?:'s| is) (?:the )?(?:host|streamer|presenter)(?: from)?\b"
        r"|主播(?:是)?哪里人|主播在哪|在哪[里儿]?直播|你是哪里人|どこから(?:配信|ライブ)|どこで配信|ご?出身は?どこ"
        r"|어디서 ?(?:방송|라이브)|어디에서 ?(?:방송|라이브)|고향이 ?어디|ไลฟ์(?:จาก|อยู่)ที่ไหน|อยู่จังหวัดไหน"
        r"|\b(?:chị|chi|anh|bạn|ban)\s+(?:ơi\s+)?(?:ở|o)\s+(?:đâu|dau)\b|\blive (?:ở|o) (?:đâu|dau)\b|\bquê (?:ở )?đâu\b"
        r"|\b(?:kak|kakak|mimin|sis|mbak|mas)\s+(?:asli\s+)?(?:dari|orang)\s+mana\b|\blive (?:dari|di) mana\b"
        r"|\bde d[oó]nde eres\b|\bdesde d[oó]nde (?:transmites|transmiten|est[aá]s)\b))"
    ),
)


def asks_about_person(text: str) -> bool:
    """Does ``text`` ask about the host (or the model, the seller) as a person: what they wear, their height, age …?"""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return any(p.search(folded) for p in _PERSON_PATTERNS)


# ------------------------------------------------------------------------------------------------ a destination

# Countries and regions abroad that the room languages' viewers name when they ask about shipping, in the eight room
# languages, plus the words for "abroad". China itself, its provinces and cities are not here (a domestic FAQ answers
# them); nor are words that are also common words ("Anh" = England / "you" in Vietnamese, タイ = Thai / tie).
_PLACES = (
    # English / Spanish / Indonesian / Vietnamese in Latin script (whole words)
    r"\b(?:usa|u\.s\.a?|us|united states|america|amerika|estados unidos|ee\.? ?uu|eeuu|mỹ|my|canada|canadá|kanada"
    r"|uk|england|britain|inggris|reino unido|australia|úc|uc|japan|jepang|japón|japon|nhật|nhat|korea|corea|hàn quốc"
    r"|han quoc|thailand|tailandia|thái lan|thai lan|vietnam|việt nam|viet nam|vn|indonesia|indo|spain|españa|spanyol"
    r"|tây ban nha|tay ban nha|mexico|méxico|meksiko|chile|colombia|argentina|peru|perú|malaysia|malasia|singapore"
    r"|singapura|singapur|philippines|filipina|filipinas|germany|alemania|jerman|đức|france|francia|prancis|pháp"
    r"|europe|europa|eropa|châu âu|chau au|taiwan|đài loan|dai loan|hong kong|hongkong|hồng kông|macau|macao"
    r"|overseas|abroad|internationally|international|luar negeri|nước ngoài|nuoc ngoai|extranjero|internacional"
    # the largest cities of those countries, as viewers name them ("ship ra Hà Nội", "sampai ke Jakarta"); names that
    # are also common words are left out (Lima, Medan, Santiago alone)
    r"|hà nội|ha noi|hanoi|sài gòn|sai gon|saigon|hồ chí minh|ho chi minh|tphcm|tp hcm|hcm|đà nẵng|da nang"
    r"|jakarta|surabaya|bandung|bali|yogyakarta|jogja|bangkok|chiang mai|phuket|tokyo|osaka|kyoto|seoul|busan"
    r"|kuala lumpur|penang|johor|manila|new york|nyc|los angeles|california|texas|vancouver|toronto|montreal|london"
    r"|sydney|melbourne|madrid|barcelona|buenos aires|bogotá|bogota|medellín|medellin|santiago de chile"
    r"|ciudad de méxico|ciudad de mexico|cdmx|guadalajara|monterrey|quito|caracas|paris|berlin)\b"
    # Chinese / Japanese / Korean / Thai (no word boundaries)
    r"|美国|美國|加拿大|英国|英國|澳洲|澳大利亚|日本|韩国|韓國|泰国|越南|印尼|印度尼西亚|西班牙|墨西哥|智利|哥伦比亚"
    r"|阿根廷|马来西亚|新加坡|菲律宾|德国|法国|欧洲|台湾|臺灣|香港|澳门|澳門|海外|国外|國外|境外"
    r"|东京|東京|大阪|首尔|首爾|曼谷|河内|胡志明|雅加达|吉隆坡|马尼拉|悉尼|墨尔本|伦敦|纽约|洛杉矶|温哥华|多伦多|巴黎"
    r"|アメリカ|米国|カナダ|イギリス|英国|オーストラリア|韓国|ベトナム|インドネシア|スペイン|メキシコ|チリ|マレーシア"
    r"|シンガポール|フィリピン|ドイツ|フランス|ヨーロッパ|台湾|香港|海外"
    r"|ソウル|バンコク|ハノイ|ジャカルタ|ニューヨーク|ロンドン|シドニー|パリ"
    r"|미국|캐나다|영국|호주|일본|베트남|인도네시아|스페인|멕시코|칠레|말레이시아|싱가포르|필리핀|독일|프랑스|유럽|대만|홍콩|해외"
    r"|서울|부산|도쿄|오사카|방콕|하노이|호치민|자카르타|뉴욕|런던|시드니|파리"
    r"|อเมริกา|สหรัฐ|แคนาดา|อังกฤษ|ออสเตรเลีย|ญี่ปุ่น|เกาหลี|เวียดนาม|อินโดนีเซีย|สเปน|เม็กซิโก|มาเลเซีย|สิงคโปร์"
    r"|ฟิลิปปินส์|เยอรมัน|ฝรั่งเศส|ยุโรป|ไต้หวัน|ฮ่องกง|ต่างประเทศ"
    r"|กรุงเทพ|เชียงใหม่|ภูเก็ต|โตเกียว|โอซาก้า|โซล|ฮานอย|โฮจิมินห์|จาการ์ตา|กัวลาลัมเปอร์|นิวยอร์ก|ลอนดอน|ซิดนีย์|ปารีส"
)
_PLACE = re.compile(_PLACES)
# "us" is also the pronoun: a place only after to / from / in / ship, or written US / U.S.
_US_PRONOUN = re.compile(r"\bus\b")
_US_PLACE = re.compile(r"\b(?:to|from|in|into|ship|ships|shipping|deliver|the)\s+us\b")
_US_CAPITALS = re.compile(r"\bUS\b")


def names_place(text: str) -> bool:
    """Does ``text`` name a country or region abroad (or "abroad" itself)?"""
    typed = unicodedata.normalize("NFKC", text or "")
    folded = typed.casefold()
    for m in _PLACE.finditer(folded):
        if m.group(0) == "us" and not (_US_CAPITALS.search(typed) or _US_PLACE.search(folded)):
            continue  # (the capitals are looked for in the typed text: casefold may change offsets, "ß" → "ss")
        if m.group(0) in ("my", "uc", "nhat", "han quoc") and not _LATIN_VI_CONTEXT.search(folded):
            continue  # "my", "uc", "nhat" without diacritics: Vietnamese only next to a shipping word
        return True
    return False


_LATIN_VI_CONTEXT = re.compile(r"\b(?:ship|gửi|gui|giao|qua|sang|đi|di|về|ve)\s+(?:qua\s+|sang\s+|đi\s+|di\s+)?"
                               r"(?:my|uc|nhat|han quoc)\b")


@functools.lru_cache(maxsize=1024)
def examples_name_place(examples: tuple[str, ...]) -> bool:
    return any(names_place(q) for q in examples)


def one_faq(
    snapshot: CatalogSnapshot, product_id: str | None, intent: str, fits: Callable[[tuple[str, ...]], bool]
) -> str | None:
    """The catalog's one FAQ of ``intent`` whose example questions ``fits`` — the product's own (of ``product_id``) or,
    when it has none, one for every product; None when there is none, or more than one and nothing tells them apart.
    The reroutes' lookup (bot/ship_abroad.abroad_faq, bot/order_report.thanks_faq)."""
    own: list[str] = []
    shared: list[str] = []
    for faq in snapshot.faqs.values():
        if faq.intent == intent and faq.product_id in (None, product_id) and fits(tuple(faq.questions)):
            (shared if faq.product_id is None else own).append(faq.id)
    for found in (own, shared):
        if found:
            return found[0] if len(found) == 1 else None
    return None


def names_destination(text: str, faq_intent: str | None, faq_examples: Iterable[str]) -> bool:
    """A shipping question naming a destination abroad, matched to a shipping FAQ none of whose example questions
    names a place: that FAQ answers for the home market, not for the place asked about."""
    if faq_intent != "ask_shipping" or not names_place(text):
        return False
    return not examples_name_place(tuple(faq_examples))


# ------------------------------------------------------------------------------------------------ another product

@per_snapshot
def _vocabulary(snapshot: CatalogSnapshot) -> dict[str, str]:
    """Each product's own words, folded: names, aliases, descriptions, category, tags and the example questions of
    the FAQs written for it (where staff wrote "xe đẩy", "ベビーカー", "berat strollernya")."""
    return {pid: _plain("\n".join(texts)) for pid, texts in texts_by_product(snapshot).items()}


def _plain(text: str) -> str:
    """Folded, without diacritics ("giày" and "giay" are one word: Vietnamese viewers often type without them)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch) or not _latin_mark(ch)))


def _latin_mark(ch: str) -> bool:  # combining marks of Latin letters only: Thai and Korean keep theirs
    return "\u0300" <= ch <= "\u036f"


def _has_word(text: str, word: str) -> bool:
    if word.isascii() or any("a" <= ch <= "z" for ch in word):  # a Latin word stands alone ("cup" is not in "cupón")
        return re.search(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", text) is not None
    return word in text


def names_only(words: Iterable[str], product_id: str, snapshot: CatalogSnapshot) -> bool:
    """Are all ``words`` (left over in a plain price question) the product's own words? A word no product of the
    catalog uses ("cup", "水筒", "car seat") or one only another product uses ("termo") is not: the comment may ask
    the price of something else than the product on stage."""
    vocab = _vocabulary(snapshot)
    own = vocab.get(product_id, "")
    return all(_has_word(own, w) or _has_word(own, _without_nya(w)) for w in map(_plain, words))


def _without_nya(word: str) -> str:
    """The word without Indonesian "-nya" (the, its: "kaosnya" → "kaos"); a short word is kept ("punya")."""
    return word[:-3] if word.endswith("nya") and len(word) > 6 else word


# ------------------------------------------------------------------------------------------------ another thing's attribute

# Words for a kind of goods and its parts, by the catalog's category (lower case; a shop names its categories freely,
# so a few spellings): a viewer says "这件衣服什么面料" of the tee or the down jacket, "鞋子多重" / "后跟落差多少" of
# any shoe, "轮子什么材质" of a stroller. Not a word for one kind of garment ("外套", "夹克"): that is a product's own
# only when its own words name it (the down jacket's alias 羽绒外套), not because it is apparel.
_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "apparel": ("衣服", "衣裳", "衣衣", "上衣", "领口", "领子", "袖子", "袖口", "下摆", "口袋", "拉链", "帽子",
                "内衬", "里衬", "扣子", "clothes", "clothing", "garment", "top", "sleeve", "sleeves", "collar", "hem",
                "pocket", "pockets", "zipper", "zip", "hood", "lining", "buttons"),
    "shoes": ("鞋子", "鞋", "鞋跟", "后跟", "鞋头", "鞋舌", "鞋垫", "鞋带", "鞋底", "鞋面", "shoe", "shoes", "pair", "heel",
              "heels", "toe", "toe box", "tongue", "insole", "insoles", "laces", "outsole", "midsole"),
    "baby": ("车子", "车", "轮子", "车轮", "把手", "扶手", "座椅", "座位", "遮阳篷", "篮子", "刹车", "wheels", "wheel",
             "handle", "handlebar", "seat", "canopy", "basket", "brake", "brakes"),
}
_KIND_WORDS.update({"clothing": _KIND_WORDS["apparel"], "服装": _KIND_WORDS["apparel"], "fashion": _KIND_WORDS["apparel"],
                    "footwear": _KIND_WORDS["shoes"], "鞋类": _KIND_WORDS["shoes"]})
# Any product: "东西", "宝贝", "the item"
_ANY_GOODS = ("东西", "宝贝", "产品", "商品", "货", "item", "product", "thing", "stuff")

@per_snapshot
def _attribute_vocabulary(snapshot: CatalogSnapshot) -> dict[str, str]:
    """Each product's own words (:func:`_vocabulary`) with the texts of its attributes ("100%新疆长绒棉", "made for
    jogging … half-marathon training"), the shop's words for its attribute keys and the words for its kind of goods."""
    base = _vocabulary(snapshot)
    vocab: dict[str, str] = {}
    for pid, p in snapshot.products.items():
        texts = [base.get(pid, ""), *attribute_texts(p, snapshot)]
        texts.extend(_KIND_WORDS.get(p.category.casefold(), ()))
        texts.extend(_ANY_GOODS)
        vocab[pid] = _plain("\n".join(texts))
    return vocab


def _han_own(word: str, own: str) -> bool:
    """A Chinese word (no spaces between words) is the product's when pieces of two characters or more of it are in
    its words and at most one character is left, or each character left is one its words use: "车子本身" (车子 +
    本身), "一次挤" (一次 + a verb), but not "舰长", "你家猫" or "手机支架"."""
    # a piece of Han characters only is in ``own`` iff it is in one of its runs of Han characters: looked up in the set
    # of those runs' pieces (a search of the whole vocabulary text per piece cost 6 ms for a 300-character comment)
    pieces = _han_pieces(own) if _ALL_HAN.fullmatch(word) else own
    covered = [False] * len(word)
    for size in range(min(len(word), _MAX_PIECE), 1, -1):  # pieces of up to six characters: linear in a long run of text
        for i in range(len(word) - size + 1):
            if not all(covered[i:i + size]) and word[i:i + size] in pieces:
                covered[i:i + size] = [True] * size
    left = [ch for c, ch in zip(covered, word, strict=True) if not c]
    return any(covered) and (len(left) <= 1 or all(ch in own for ch in left))


_MAX_PIECE = 6
_ALL_HAN = re.compile(r"[\u4e00-\u9fff]+")


@functools.lru_cache(maxsize=64)
def _han_pieces(own: str) -> frozenset[str]:
    """Every piece of two to six characters of ``own``'s runs of Han characters (one product's vocabulary)."""
    return frozenset(
        run[i:i + size]
        for run in _ALL_HAN.findall(own)
        for size in range(2, _MAX_PIECE + 1)
        for i in range(len(run) - size + 1)
    )


def about_own_product(words: Iterable[str], product_id: str, snapshot: CatalogSnapshot) -> bool:
    """Are all ``words`` (the subject of an attribute question, bot/slots.py ``attribute_rest``) the product's own
    words? "舰长" (什么成分), "mic" (made of), "猫" (几斤) are not: the question is about something else."""
    own = _attribute_vocabulary(snapshot).get(product_id, "")
    for w in words:
        plain = _plain(w)
        if _has_word(own, plain):
            continue
        if plain.isascii() or not _han_own(plain, own):
            return False
    return True
