"""A question about a topic the answer never speaks of (答非所问): "kacangnya halal kak?" → the nuts' allergy FAQ,
"糖尿病人能吃吗" → the same, "strollernya ada garansi ga?" → the stroller's weight, "哪个颜色卖得最好" → the colours in
stock, "インソールは取り外せますか" → the shoes' sole. The words of the comment bring a close FAQ or attribute, but the
viewer asks about something it does not say: whether it is halal, fit for a diabetic, vegan, tested on animals, under
warranty, payable on delivery, subject to customs, safe in a dishwasher or a microwave, can be ironed, needs
batteries, has a removable part, exists for twins, sells best; a delivery address to change; a manual, or the
language of a label ("설명서 한국어로 돼 있어요?" → the international-shipping FAQ at 0.98: 한국); a payment wallet the
payment FAQ does not name (MoMo, Dana, PayPal); a garment's measurements (length, chest width) rather than the size guide.

Each topic is a list of the words viewers use for it in the room languages (zh, en, ja, ko, th, vi, id, es). A topic
is *covered* by an answer when one of its words is in the texts the answer comes from — the FAQ's example questions
and answer templates in every language and the product attributes those templates quote (`{attr:care}`), or the
attribute a structured answer quotes. A topic's word that means something else there (``NOT_TOPIC``: "바퀴 잘 나가요", the
wheels roll well; "dana kembali", a refund; "manual or automatic") is not read as the topic. A stock, price or
list-of-what-is-left answer covers no topic. So the down
jacket's washing FAQ (its care text says "no ironing", 不能熨烫, アイロン, 다림질, รีด, ủi, disetrika, planchar) still
answers "can I iron it?", and the tee's care FAQ (which says nothing about ironing) does not.

Pure functions of the text; the engine applies them last (`bot.answer_checks.other_kind`), and they only ever hand an
answer to staff.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from catalog.text import fold_text, strip_latin_marks

__all__ = ["NOT_TOPIC", "TOPICS", "UNCOVERED_TOPIC", "fold_words", "named_topics", "uncovered_topics"]

UNCOVERED_TOPIC = "names a topic (halal, warranty, dishwasher, best seller …) the answer does not speak of"

# topic -> words as typed, matched on the text folded (NFKC, casefold) and stripped of Latin diacritics ("ủi" = "ui").
# Latin words are matched whole (\b; fold_words spaces them from Han, kana, hangul and Thai, which are word characters
# to \b: "能cod吗", "codได้ไหม"); words in Han, kana, hangul and Thai as substrings.
TOPICS: dict[str, str] = {
    "halal": r"清真|ハラール|할랄|ฮาลาล|\bhalal\w*",
    "diabetes": (
        r"糖尿|无糖|無糖|控糖|당뇨|무설탕|เบาหวาน|ไม่มีน้ำตาล|\bdiabet\w*|\bsugar[- ]free\b|\bno (?:added )?sugar\b"
        r"|\btieu duong\b|\bkhong duong\b|\bgula\b|\bdiabéticos?\b|\bdiabeticos?\b|\bazucar\b|\bazúcar\b"
    ),
    "vegan": (
        r"纯素|素食|ヴィーガン|ビーガン|菜食|비건|채식|วีแกน|มังสวิรัติ|\bvegan\w*|\bvegetarian\w*|\ban chay\b"
        r"|\bthuan chay\b|\bveganos?\b|\bveganas?\b"
    ),
    "animal testing": (
        r"动物实验|動物実験|동물 ?실험|ทดลอง(?:กับ|ใน)สัตว์|\bcruelty\b|\btested on animals\b|\banimal test\w*"
        r"|\bthu nghiem tren dong vat\b|\buji (?:pada |ke )?hewan\b|\bdiuji (?:pada|ke) hewan\b"
        r"|\bexperiment\w* (?:en|con) animales\b"
    ),
    "warranty": (
        r"保修|质保|保固|保証|보증|รับประกัน|\bwarrant(?:y|ies)\b|\bguarantee\b|\bbao hanh\b|\bgaransi\w*|\bgarantia\b"
    ),
    "cash on delivery": (
        r"货到付款|代引き|代金引換|착불|후불|เก็บเงินปลายทาง|จ่ายปลายทาง|\bcod\b|\bcash on delivery\b|\bpay on delivery\b"
        r"|\bthanh toan khi nhan\b|\bnhan hang (?:roi )?(?:moi )?tra tien\b|\bbayar di tempat\b|\bcontra ?entrega\b"
    ),
    "customs": (
        r"关税|海关|関税|税関|관세|통관|ภาษีนำเข้า|ศุลกากร|\bcustoms\b|\bimport (?:tax|duty|duties)\b|\bthue nhap khau\b"
        r"|\bhai quan\b|\bbea cukai\b|\bpajak impor\b|\baduana\b|\baranceles?\b"
    ),
    "dishwasher": (
        r"洗碗机|食洗機|食器洗い|식기세척기|เครื่องล้างจาน|\bdishwasher\b|\bmay rua (?:chen|bat)\b|\bmesin cuci piring\b"
        r"|\blavavajillas\b|\blavaplatos\b"
    ),
    # washing clothes (h/left17: "ถุงเท้าซักเครื่องได้ไหมคะ" → the socks' material FAQ, which says nothing of washing).
    # Not washing a face (a serum's use) or a cup; not Thai ซัก alone (also "about": "ซักตัว"), not 빨다 alone (to suck)
    "washing": (
        r"机洗|水洗|手洗|洗衣机|干洗|能洗吗|可以洗吗|能不能洗|怎么洗|洗涤|洗濯|洗え(?:ます|る)|洗っても|手洗い"
        r"|세탁|빨래|ซักเครื่อง|ซักมือ|ซักได้|ซักผ้า|เครื่องซัก|ซักแห้ง|ซักน้ำ"
        r"|\bmachine[- ]?wash\w*|\bhand[- ]?wash\w*|\bwashable\b|\bwashing machine\b|\bin the wash(?:er)?\b"
        r"|\bdry[- ]?clean\w*|\bwash (?:it|them|these|this|the)\b|\bgiat\b|\b(?:di)?cuci\b(?! (?:muka|wajah|tangan))"
        r"|\bnyuci\b|\blavar(?:los|las|la|lo)?\b|\blavadora\b|\blavables?\b"
    ),
    "microwave": r"微波炉|電子レンジ|전자레인지|ไมโครเวฟ|\bmicrowave\w*|\blo vi song\b|\bmicroondas\b",
    "ironing": (
        r"熨|アイロン|다림질|다리미|รีด|\biron(?:ing|ed)?\b"
        # ủi (to iron) loses its mark and is "ui", an exclamation too ("ui đẹp quá"): read it with a verb's company
        r"|\bui (?:do|ao|quan|vay|duoc|dc|khong|ko|k|hong|nhiet|hoi)\b|\b(?:la|ban|can|co the|duoc|dc|de) ui\b"
        r"|\bsetrika\b|\bdisetrika\b|\bnyetrika\b"
        r"|\bplanch\w*"
    ),
    "battery": r"电池|電池|건전지|배터리|ถ่าน|แบตเตอรี่|\bbatter(?:y|ies)\b|\bpin\b|\bbaterai\w*|\bbatre\w*|\bpilas?\b",
    "removable": (
        r"可拆|拆下|拆卸|取り外|外せ|분리|탈부착|빼서|ถอด|\bremovable\b|\bdetachable\b|\btake (?:it |them )?out\b"
        r"|\bthao (?:ra|roi|duoc)\b|\bdilepas\b|\bbisa lepas\b|\bdicopot\b|\bdesmontable\b"
        r"|\bse (?:puede|pueden) (?:sacar|quitar)\b"
    ),
    "twins": (
        r"双胞胎|双人(?:推车|座|婴儿车)|双子|二人乗り|쌍둥이|แฝด|\btwins?\b"
        r"|\bdouble stroller\b|\bsinh doi\b|\bsong sinh\b|\bcho (?:2|hai) be\b"
        r"|\bkembar\b|\bgemel(?:o|a|os|as)\b"
    ),
    # ที่อยู่ (an address), not ที่ + อยู่ (that is) before a place: "ตัวที่อยู่บนราว", the one on the rack
    "address": r"地址|住所|주소|ที่อยู่(?!ใน|บน|ข้าง|ตรง|หลัง|ด้าน|ใต้|หน้า|ตอนนี้)|\baddress\b|\bdia chi\b|\balamat\w*|\bdireccion\b",
    "garment measurements": (
        r"衣长|胸围|肩宽|袖长|裤长|着丈|身幅|肩幅|袖丈|총장|가슴 ?단면|어깨 ?너비|소매 ?길이|รอบอก|ความยาวเสื้อ|ความยาวแขน"
        r"|\bchest width\b|\bbody length\b|\bpit to pit\b|\bsleeve length\b|\bdai ao\b|\brong vai\b|\bvong nguc\b"
        r"|\blebar dada\b|\blingkar dada\b|\bpanjang (?:baju|lengan)\b|\bancho de (?:pecho|hombros)\b"
        r"|\blargo de (?:la|las|manga)\b"
    ),
    "manual": r"说明书|使用说明|説明書|取扱説明|取説|설명서|คู่มือ|\bhuong dan su dung\b|\bsach huong dan\b|\bmanual\b"
              r"|\bbuku panduan\w*|\binstructivo\b",
    "language": (
        r"中文|英文|日文|韩文|日本語|한국어|한글|영어|일본어|중국어|ภาษาไทย|ภาษาอังกฤษ|ภาษาจีน"
        r"|\btieng (?:viet|anh|trung|han|nhat)\b|\bbahasa (?:indonesia|inggris|mandarin)\b|\bespanol\b|\bidioma\b"
        r"|\benglish\b|\bchinese\b|\blanguage\b"
    ),
    # Latin names bounded by non-letters, not \b: "PayPayで払えますか" (kana count as word characters)
    "e-wallet": (
        r"카카오페이|네이버페이|토스페이|ペイペイ|(?<![a-z0-9])(?:paypal|momo|zalo ?pay|vnpay|shopee ?pay|gopay|ovo|dana|linkaja"
        r"|qris|promptpay|true ?money|line ?pay|kakao ?pay|paypay|apple ?pay|google ?pay|mercado ?pago|gcash|grab ?pay|venmo"
        r"|zelle)(?![a-z0-9])"
    ),
    "best seller": (
        r"卖得(?:最)?好|最好卖|卖得最多|卖的最好|最火|最受欢迎|爆款|销量|卖了多少|卖出多少|人気|売れ筋|売れ行き|売れてる|売れている|売れてます|(?:一番|いちばん|よく|最も)売れ"
        r"|인기|잘 ?나가|잘 ?팔|많이 ?팔|몇 ?(?:개|켤레|벌|병|박스)? ?팔렸|ขายดี|ยอดขาย|ยอดนิยม|ขาย(?:ไป|ได้)(?:แล้ว)?กี่"
        r"|\bbest ?sell\w*|\bsells? (?:the )?most\b|\bmost popular\b|\bhow many (?:have )?(?:you )?sold\b|\bsold so far\b"
        r"|\bban chay\b|\bban duoc (?:bao nhieu|may)\b"
        r"|\bda ban duoc\b|\blaris\b|\blaku\b|\bkejual\b|\bterjual\b|\bm[aá]s vendid[oa]s?\b|\bse venden? m[aá]s\b"
        r"|\bm[aá]s popular(?:es)?\b|\bllevan vendid[oa]s\b|\bhan vendido\b"
    ),
    # a lucky draw or giveaway in the room (round 7: "hay sorteo hoy?" → the delivery-time FAQ at 0.89)
    "lucky draw": (
        r"抽奖|抽獎|福袋|抽選|プレゼント企画|추첨|경품|จับรางวัล|ลุ้นรางวัล|แจกของ|\bgiveaways?\b|\blucky draw\b"
        r"|\braffles?\b|\bquay so\b|\bboc tham\b|\bundian\b|\bsorteos?\b|\brifas?\b"
    ),
    # a gift with the purchase (赠品), not a gift box or gift wrapping: "do I get a free gift with the lipstick"; not
    # "おまけに" (moreover), nor a gift the viewer buys ("送妈妈送什么", "tặng mẹ", "un regalo para mi madre": a
    # recommendation). bot/recommend_ask.py reads it too: a freebie asked for is not a request for a suggestion
    "free gift": (
        r"赠品|赠送|附赠|附送|有(?:没有)?送(?:东西|的|什么|啥|吗|么)|送不送|买.{0,12}送(?:什么|啥|东西)|买一送一|小礼品"
        r"|おまけ(?!に)|ノベルティ|사은품|증정|덤으로|ของแถม|แถม(?:อะไร|ไหม|มั้ย|ด้วย|ให้)"
        r"|\bfree gifts?\b|\bfreebies?\b|\b(?:anything|something) (?:for )?free\b|\bgift with purchase\b"
        r"|\b(?:get|come|comes|came) with (?:a |any |some )?(?:free|bonus|gift)\b|\bget (?:a |any |anything )?(?:free|bonus)\b"
        r"|\bhang tang\b|\bqua tang kem\b|\btang kem\b|\bco tang (?:gi|qua)\b|\bkhuyen mai kem\b|\bbonus\w*"
        r"|\bgratis apa\b|\b(?:dapet|dapat) (?:gratis|hadiah|bonus)\b"
        r"|\bregalo gratis\b|\bregalo incluido\b|\bobsequio\b|\b(?:viene|vienen|trae|traen) con (?:algun |un |algo de )?regalo\b"
        r"|\b(?:viene|vienen|trae|traen) (?:algun |algo de )regalo\b|\bregalan algo\b"
    ),
    # samples and trial sizes (小样)
    "samples": (
        r"小样|试用装|试用品|サンプル|샘플|\bfree samples?\b|\bsamples?\b|\bhang dung thu\b|\bsampel\b|\bmuestras? gratis\b"
    ),
    # a medical or efficacy claim: whether it treats, cures or removes a condition (melasma, acne, spots, eczema …) —
    # "serum này có trị nám ko" → the serum's usage FAQ, "能祛斑吗": only an answer that speaks of it (a claim the shop
    # wrote) answers; not a skin type ("痘痘肌能用吗", "acne-prone skin") nor "which is better" (낫다)
    "treatment": (
        r"治疗|治療|治好|治愈|根治|疗效|療效|药效|能治|可以治|祛斑|去斑|淡斑|消斑|祛痘|去痘|治痘|消痘|黄褐斑|雀斑|湿疹|皮炎"
        r"|抗皱|去皱|除皱|治る|治り|治せ|シミ(?:が|は|も)?(?:消え|取れ|薄く|なくな)|ニキビ(?:が|は|も)?(?:治|消え|なくな)"
        r"|肝斑|そばかす|アトピー|치료|기미|주근깨|잡티|여드름(?:이|가|도)? ?(?:없어|없애|사라)|없어져요|없어지나요|아토피|습진"
        r"|รักษา(?:สิว|ฝ้า|กระ|โรค|แผล|อาการ|รอย)|หายขาด|ฝ้า(?!ย)|กระแดด|กระลึก|ลดสิว|สิวหาย|แก้สิว|รอยสิว|จุดด่างดำ"
        r"|\b(?:tri|chua|dieu tri|het|mo|xoa) (?:nam|mun|tham|seo|ran|benh|viem|tan nhang)\b|\bdieu tri\b"
        r"|\bmengobati\b|\bmenyembuhkan\b|\bsembuh\w*|\b(?:ngilangin|menghilangkan|hilangin|hilangkan|ilangin)"
        r" (?:flek|jerawat|bekas|noda|kerutan|melasma)\w*|\bflek(?: hitam)?\b|\bjerawat(?:nya)? (?:hilang|sembuh|kempes)\b"
        r"|\b(?:quita|quitar|elimina|eliminar|borra|borrar|trata|tratar|cura|curar)(?:r)? (?:las |el |los |la )?"
        r"(?:manchas|acne|arrugas|pano|melasma|cicatrices|granos|rosacea|dermatitis)\b|\bmelasma\b|\beczema\b|\brosacea\b"
        r"|\bdermatitis\b|\bcur(?:e|es|ed|ing)\b|\bheal(?:s|ing)?\b|\btreat(?:s|ing|ment)?\b|\bget rid of\b"
        r"|\b(?:remove|removes|fade|fades|clear|clears) (?:up )?(?:my |the )?(?:dark spots|spots|acne|scars|wrinkles"
        r"|pigmentation|melasma|freckles)\b"
    ),
    # the special VAT invoice (专票) a company reclaims tax with, which the e-invoice FAQ does not promise
    "special VAT invoice": r"专票|专用发票|增值税",
}

# Where a topic's word means something else, blanked before the topic is read: "유모차 바퀴 잘 나가요" (do the wheels
# roll well; 잘 나가 sells well only without a thing that rolls or flows), Indonesian "dana kembali" / "pengembalian
# dana" (a refund, not the DANA wallet), an Indonesian or English "pin" (a pin, a PIN; "pin" is a battery in
# Vietnamese: "co can pin ko"), "manual or automatic" (how it works, not a manual).
NOT_TOPIC: dict[str, str] = {
    "best seller": r"(?:바퀴|휠|타이어|물|잉크|바람)(?:가|이|는|은|도)? ?잘 ?나가",
    "e-wallet": (
        r"\bdana(?:nya)? (?:kembali|balik|dikembalikan|refund)\b|\b(?:pengembalian|kembalikan|balikin|refund) dana\b"
    ),
    "battery": (
        r"\b(?:kode|nomor|pake|pakai|bros|jarum|ada) pin\b|\bpin ?nya\b"
        r"|\bpin (?:apa|berapa|atm|bros|kak|ka|kah|bisa|ada|gak|ga|nggak|enggak|tidak|code|number)\b"
    ),
    "manual": (
        r"\bmanual (?:or|atau|o|hay|hoac|/) ?(?:auto\w*|electric\w*|elektrik\w*|electrico)\b"
        r"|\b(?:auto\w*|electric\w*|elektrik\w*|electrico) (?:or|atau|o|hay|hoac|/) ?manual\b"
    ),
}

_PATTERNS = {topic: re.compile(words) for topic, words in TOPICS.items()}
_NOT_PATTERNS = {topic: re.compile(words) for topic, words in NOT_TOPIC.items()}


# where a Latin letter or digit meets a letter of another script ("能cod吗", "codได้ไหม", "COD対応", "dishwasher에")
_SCRIPT_EDGE = re.compile(r"(?<=[a-z0-9])(?=[^\W\d_a-z])|(?<=[^\W\d_a-z])(?=[a-z0-9])")


def fold_words(text: str) -> str:
    """``text`` folded as the topic words are matched: NFKC, casefold, Latin diacritics and đ stripped, a Latin word
    spaced from a letter of another script it is glued to."""
    return _SCRIPT_EDGE.sub(" ", strip_latin_marks(fold_text(text)))


def named_topics(text: str) -> frozenset[str]:
    """The topics ``text`` names ("kacangnya halal kak?" → {"halal"}, "哪个颜色卖得最好" → {"best seller"})."""
    folded = fold_words(text)
    return frozenset(topic for topic, pattern in _PATTERNS.items() if pattern.search(_blank(folded, topic)))


def _blank(folded: str, topic: str) -> str:
    """``folded`` with the words that mean something else than ``topic`` there blanked out (``NOT_TOPIC``)."""
    other = _NOT_PATTERNS.get(topic)
    return other.sub(" ", folded) if other is not None else folded


@functools.lru_cache(maxsize=512)
def _covered(texts: tuple[str, ...]) -> frozenset[str]:
    return named_topics("\n".join(texts))


def uncovered_topics(text: str, answer_texts: Iterable[str]) -> frozenset[str]:
    """The topics ``text`` names that none of ``answer_texts`` (what the answer comes from) names."""
    asked = named_topics(text)
    if not asked:
        return frozenset()
    return asked - _covered(tuple(answer_texts))
