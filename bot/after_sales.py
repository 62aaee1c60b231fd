"""A viewer reporting a problem with goods they received is after-sales, for staff — never an answer, never silence:
"신발 받았는데 한쪽이 더러워요" got the shoes' weight FAQ at 0.95, "nhan binh bi mop 1 goc shop oi" and "昨日届いたベビー
カー、タイヤが壊れてました" stayed silent. The complaint keywords of the intent set (data/intents.yaml) catch the
unmistakable phrases ("llegó roto", "ของแตก"); this reads the common shape they miss: a word for *having received*
the goods (收到, received, 届いた, 받았는데, ได้ของ, nhận hàng, udah sampai, me llegó) together with a word for *what is
wrong* with them (broken, dirty, leaking, dented, missing, wrong, different, smells). Both must be there; a
conditional ("if it arrives broken, can I return it?": 如果, if, もし / 届いたら, ถ้า, nếu, kalau, si me llega) asks a
policy question the returns FAQ answers, and is left alone; so is "收到!" / "got it!" (roger, to the host) before a
question of what the goods will do ("收到!会不会坏").

Pure functions of the text in the room languages zh, en, ja, ko, th, vi, id, es (matched without Latin diacritics).
"""

from __future__ import annotations

import re

from bot.uncovered_topic import fold_words

__all__ = ["AFTER_SALES", "reports_received_problem"]

AFTER_SALES = "reports a problem with goods received: after-sales, for staff"

# having received the goods (past tense or a result: "I got it and …"), as viewers write it
_RECEIVED = re.compile(
    # not "几天能收到" (how soon will it come), a delivery question before buying
    r"(?<![能会以才就候久])收到(?![吗嘛])|到货了|拿到了|到手(?:了|的)|拆开"
    r"|\breceived\b|\bgot (?:my|the|it|them|mine)\b|\b(?:it|they|mine|my order|the package|the parcel) (?:arrived|came)\b"
    r"|\bcame (?:with|in) (?:a|an)\b|(?<!\bbe )(?<!\bget )(?<!\bis )\bdelivered\b"
    r"|届いた(?!ら)|届きました|届いて(?:み|から)|受け取った|受け取りました|開けたら|開封したら"
    r"|받았는데|받았어요|받은 ?(?:거|게|제품|상품|물건)|받아 ?보니|도착했는데|(?:택배|물건|상품|제품) ?왔는데"
    r"|ได้ของ(?:แล้ว)?|ได้รับ(?:ของ|สินค้า)|ของมาถึง|ของมาแล้ว|แกะกล่อง"
    r"|\bnhan\b|\bhang (?:ve|toi|den) |\bmo hop\b"
    r"|\b(?:udah|sudah|dah) (?:sampai|nyampe|dateng|datang|terima|diterima)\b|\b(?:aku|saya|sy) terima\b"
    # "paketnya sampai jakarta berapa hari": sampai is "to" / "until" before a place or a time, not "arrived"
    r"|\byang (?:aku|saya|sy) terima\b|\bpaket(?:nya)? (?:sampai|nyampe|dateng|datang)\b(?! (?:ke|di|kapan|berapa))"
    r"|\bbarang(?:nya)? (?:sampai|dateng|datang)\b(?! (?:ke|di|kapan|berapa))"
    r"|\bme (?:llego|llegaron)\b|\brecibi\b|\bal abrir(?:lo|la)?\b|\bya (?:me )?lleg[oó]\b"
)

# what is wrong with them; "different" / "other" not where a pleased buyer asks for another colour ("다른 색도 살게요",
# "do you have it in a different colour", "違う色も欲しい", "ada warna beda?", "có khác màu không")
_PROBLEM = re.compile(
    r"坏|破|脏|污渍|漏|裂|少了|缺了|不对|发错|不一样(?!的(?:颜色|色|款|尺码|码))|瑕疵|异味|变形|掉色|开胶|凹|划痕"
    r"|\bbroken\b|\bbroke\b|\bdamaged\b|\bdirty\b|\bstain\w*|\bleak\w*|\bcrack\w*|\bmissing\b|\bwrong\b"
    r"|(?<!\bin a )(?<!\bhave a )(?<!\bany )(?<!\bwant a )(?<!\bget a )(?<!\bbuy a )(?<!\bone )\bdifferent\b"
    r"|\bdefect\w*|\bsmells?\b|\bscratch\w*|\btorn\b|\bhole\b|\bdent\w*"
    r"|壊れ|汚れ|汚い|傷|割れ|漏れ|違う(?!(?:色|サイズ|カラー|柄|デザイン|の)(?:も|は|が)?(?:欲しい|ほしい|ある|あり|買))|違い|違って|足りない|欠け|破れ|におい|臭い|へこ|不良|剥がれ|取れて"
    r"|더러|얼룩|깨졌|깨져|고장|망가|찢어|구멍|새요|샜|새서|달라|다르"
    r"|다른 ?(?:게|거|걸|제품|상품|물건|색|색상|색깔|컬러|사이즈|옷|신발)(?:이|가|을|를|으로|로)? ?(?:왔|옴|보내|배송|들어)"
    r"|빠졌|누락|냄새|흠집|불량|찌그러|부러"
    # เสีย (broken), not เสียง (a sound) or เสียดาย (a pity); หาย as "went missing", not "the spots are gone"
    r"|เสีย(?!ง|ดาย)|แตก|พัง|สกปรก|เปื้อน|รั่ว|ผิด|ไม่ตรง|ขาด|หายไป|ของหาย|ไม่ครบ|กลิ่น|บุบ|รอย"
    # "có bị / dễ bị / sẽ bị / không bị xước": whether it gets scratched, asked before buying
    r"|(?<!\bco )(?<!\bde )(?<!\bse )(?<!\bkhong )\bbi (?:hong|loi|vo|be|ban|ri|mop|tray|rach|thung|moc|bong|bung|xuoc|do|gay)\b"
    r"|\bthieu\b|\bsai (?:mau|size|hang|sz)\b"
    r"|(?<!\bco )\bkhac (?:mau|hinh|size)\b|\bmui la\b|\bkhong giong\b|\bhong roi\b"
    r"|\brusak\b|\bpecah\b|\bkotor\b|\bnoda\b|\bbocor\b|\bretak\b|\bkurang\b(?! lebih)|\bsalah\b"
    r"|(?<!\bada warna )(?<!\bada ukuran )(?<!\bada size )(?<!\bada yang )(?<!\bada yg )\bbeda\b|\bcacat\b|\bbau\b"
    r"|\bpenyok\b|\blecet\b|\bsobek\b|\bbolong\b|\bcopot\b"
    r"|\brot[oa]s?\b|\bdanad\w*|\bsuci[oa]s?\b|\bmanch\w*|\bgotea\w*|\bagrietad\w*|\bfalta\w*|\bequivocad\w*|\bdistint\w*"
    r"|\bdiferente\b|\bdefectuos\w*|\bolor\b|\babollad\w*|\brayad\w*|\bdescosid\w*|\bderramad\w*|\babiert[oa]\b"
)

# a conditional asks a policy question ("if it arrives broken, can I return it?")
_CONDITIONAL = re.compile(
    r"如果|要是|万一|假如|的话|\bif\b|\bwhat if\b|もし|場合|ถ้า|หาก|\bneu\b|\bkalau\b|\bkalo\b|\bklo\b|\bjika\b|\bapabila\b"
    r"|\bsi (?:me |te |le |nos )?(?:llega|llegan|viene|vienen|sale|salen)\b|\ben caso de\b"
)


# "收到!" / "got it!" alone is "roger, understood", a chat reply to the host; followed by a question of what the goods
# will do ("收到!会不会起球", "got it! will it stain?") it asks before buying, it does not report
_ACKNOWLEDGED = re.compile(
    r"(?<![能会以才就候久])收到(?:啦|啊|哈|嗯)?(?:\s|[!！~～。.,，]|$)|\bgot it\b\s*(?:[!.,~]|thanks?\b|thx\b|$)"
)
_WILL_IT = re.compile(
    r"会不会|会[^,，。!！?？]{0,8}[吗嘛么]|容易|能不能|可不可以"
    r"|\b(?:will|would|does|do|can|could) (?:it|they|this|these|the)\b|\beasily\b"
)


def reports_received_problem(text: str) -> bool:
    """Does ``text`` report a problem with goods the viewer received ("받았는데 더러워요", "me llegó manchada")?"""
    folded = fold_words(text)
    received = _RECEIVED.search(folded)
    if received is None or not _PROBLEM.search(folded) or _CONDITIONAL.search(folded):
        return False
    return not _acknowledges_then_asks(folded)


def _acknowledges_then_asks(folded: str) -> bool:
    """Is every word for *received* in ``folded`` an acknowledgement ("收到!", "got it,"), and does it ask what the
    goods will do ("会不会坏", "will it stain?")?"""
    acks = [m.start() for m in _ACKNOWLEDGED.finditer(folded)]
    received = [m.start() for m in _RECEIVED.finditer(folded)]
    return bool(acks) and all(start in acks for start in received) and bool(_WILL_IT.search(folded))
