"""Comments only a person can handle, read from their own words, for staff — never silence, never an answer that was
not written for them: "我付了两次钱 扣了1598 怎么退一笔", "ordered the white L last week and got a black M",
"注文キャンセルしたいです", "¿me pueden llamar?", "can you hold the burgundy one for me till friday?", "kak mau ambil 100
pack buat dijual lagi, bisa jadi agen ga?" stayed silent, below the matcher's threshold (or were answered with the
stock). Three kinds, each a closed list of phrases per room language (zh, en, ja, ko, th, vi, id, es; Latin matched
without diacritics, so "huy don" = "hủy đơn"):

1. **A problem with an order already placed** (:data:`ORDER_PROBLEM`): goods bought or received earlier *and* a word
   for what is wrong with them ("上周买的推车前轮一推就响", "まえに かった くつ … はがれました": a past purchase plus a
   defect; bot/after_sales.py reads "received + problem"); an order and what came instead ("拍的黑色 发来的是白色",
   "pesen 41 yang datang 39", "me llegaron 4 pares en vez de 5"); a double charge, a payment the order does not show,
   a refund not received; cancelling or changing an order or its address; marked delivered and not there. An order
   placed a while ago that has not come is :data:`ORDER_LATE` (the delivery-time FAQ may still answer it). A viewer's
   *own* slip asked as a policy
   question ("ordered the wrong size, can I swap it?", "颜色拍错了能换吗") is the exchange FAQ's, and a conditional
   ("if it arrives broken …") the returns FAQ's: neither is read here.
2. **A person asked for** (:data:`ASKS_FOR_PERSON`): to be called, to talk to someone, or that nobody replied
   ("¿me pueden llamar?", "担当の方と話したい", "chat admin ga dibales").
3. **What only staff can grant** (:data:`STAFF_REQUEST`): holding an item for the viewer, wholesale / reselling /
   becoming an agent, custom printing or a logo, a handwritten card or message.

Never single common words: a past purchase alone ("I bought this last year and love it", "去年买过 很好用") or an
order report ("已拍", "just ordered!") is not a problem, "hold" needs someone to hold it for ("how long does it hold
heat" is the thermos), "call" a request to be called ("call me obsessed" is not), "card" a card to write on (not a
credit card, "tarjeta", "카드 결제"). Pure functions of the text; the decision checks (bot/answer_checks.other_kind)
send such a comment to staff when it was left silent or unsure, or answered by something not written for its kind
(:func:`answer_written_for`).
"""

from __future__ import annotations

import functools
import re

from bot.after_sales import _CONDITIONAL, _PROBLEM, _RECEIVED
from bot.uncovered_topic import fold_words

__all__ = ["ASKS_FOR_PERSON", "ORDER_LATE", "ORDER_PROBLEM", "STAFF_REQUEST", "answer_written_for", "staff_only"]

ORDER_PROBLEM = "a problem with an order already placed (wrong or missing goods, a defect, payment, refund, cancel or change)"
ORDER_LATE = "an order placed a while ago has not arrived"
ASKS_FOR_PERSON = "asks for a person: to be called, to talk to someone, or nobody replied"
STAFF_REQUEST = "asks for what only staff can grant: holding an item, wholesale or reselling, custom printing, a card"


def _words(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts))


# ---- 1. a problem with an order already placed ------------------------------------------------------------------

# goods the viewer bought or ordered earlier (a time before now, or "the one I bought"), beside after_sales' *received*
_PAST_OWNED = _words(
    r"(?:上周|上週|上次|上个月|上個月|之前|前几天|前幾天|前天|昨天|去年|上回|以前|那次|前阵子|前陣子|年前|月初)"
    r"[^,，。!！?？]{0,10}?(?:买|買|拍|下单|下單|订|訂|收到|到)",
    r"我(?:买|買|拍|订|訂)的|买回来|買回來|买回家|(?:买|拍|订)的[^,，。!！?？]{0,8}?(?:才|就|刚|一)(?:用|穿|洗|戴|喝|装|推|玩)",
    # en
    r"\b(?:i|we) (?:bought|ordered|purchased)\b|\bmy (?:last |recent |previous )?(?:order|purchase|parcel|package|delivery)\b",
    r"\bthe (?:\w+ )?(?:one|ones|pair|box|bottle|set) i (?:got|bought|ordered)\b|\b(?:from|since) last (?:week|month|time)\b",
    r"\bmy \w+ from (?:last|a) (?:week|month|couple)\b",
    # ja ("まえに かった", kana only, after a time word)
    r"買った|買いました|購入した|購入しました|注文した|注文しました|頼んだ|頼みました"
    r"|(?:まえに|前に|先月|せんげつ|先週|せんしゅう|このまえ|この前|このあいだ|この間|きのう|昨日|去年|きょねん|前回|ぜんかい)"
    r" ?(?:かった|かいました|買|注文|ちゅうもん|購入|届|とどいた)",
    # ko
    r"(?:지난|저번|전에|어제|작년|예전에|얼마 전)[^.?!]{0,10}?(?:산|샀|주문|구매|시킨|시켰|받)",
    r"샀는데|주문했는데|시켰는데|구매했는데|주문한 ?(?:게|거|것|상품|물건|제품)|산 ?(?:거|게|건|것)",
    # th
    r"ที่ซื้อไป|ซื้อไป(?:เมื่อ|ตั้งแต่)|ที่สั่งไป|สั่ง\S{0,20}ไป|ที่ได้มา|ได้\S{0,16}มา",
    # vi (marks stripped)
    r"\bmua (?:\w+ )?(?:thang|tuan|lan|hom|bua) (?:truoc|roi)\b|\bda mua\b|\bmua ve\b|\bnhan (?:ve|duoc|hang)\b"
    r"|\b(?:mua|dat|nhan) (?:hom qua|hom kia|tuan truoc|thang truoc)\b|\bdon (?:hang )?cua (?:minh|em|toi)\b",
    # id
    r"\b(?:yg|yang) (?:aku |saya |sy |ku )?(?:beli|pesen|pesan|order|dateng|datang|sampai|nyampe)\b"
    r"|\bbeli (?:kemarin|kemaren|minggu lalu|bulan lalu|kmrn)\b|\b(?:yg|yang) (?:kemarin|kemaren|kmrn)\b"
    r"|\bpesanan(?:ku| aku| saya)\b",
    # es
    r"\b(?:que|lo|la|los|las) compre\b|\bcompre (?:hace|el|la|ayer|la semana|el mes)\b|\bmi (?:ultimo )?pedido\b"
    r"|\bme (?:llego|llegaron)\b|\brecibi\b",
)

# bought from another shop ("去年在别家买了件白T, 洗了两次领口就松了 … 这次拍M还是L"): a story, not our order
_ELSEWHERE = _words(
    r"别家|別家|别人家|别的店|其他家|其他店|淘宝|拼多多|京东|外面买",
    r"\belsewhere\b|\b(?:another|other|a different) (?:shop|store|brand|seller)s?\b",
    r"他の店|よその店|別の店|他のショップ",
    r"다른 ?(?:곳|데|가게|브랜드|쇼핑몰|매장)에서",
    r"ร้านอื่น|ที่อื่น",
    r"\b(?:shop|cho|noi|cua hang) khac\b",
    r"\b(?:toko|tempat|olshop|seller) lain\b",
    r"\b(?:otra tienda|otro lado|otra marca|otro sitio)\b",
)

# what is wrong with goods, beside after_sales' problem words: sounds, wobbles, peeling, loose lids, down leaking,
# no longer keeping heat, stuck wheels, brakes that do not hold
_MORE_PROBLEM = _words(
    r"响|异响|松了|松动|晃|歪|跑毛|跑绒|掉毛|钻绒|不保温|拧不紧|关不紧|盖不紧|刹不住|刹车(?:坏|失灵|不)|卡住|起球严重|脱线|断了|断的|是断",
    r"\bsqueak\w*|\bwobbl\w*|\bloose\b|\bstopped working\b|\bdoesn'?t (?:work|close|fold|lock|keep|stay|brake)\b"
    r"|\bwon'?t (?:work|close|fold|lock|keep)\b|\bbusted\b|\bfell (?:apart|off)\b|\bcame off\b|\bpeel\w*|\bfaded\b"
    r"|\blost (?:its |the |some )?(?:feathers|down)\b|\b(?:feathers|down) (?:coming|falling) out\b|\bshrunk\b",
    r"はがれ|剥がれ|取れ(?:た|ちゃ|まし)|効かな|ゆるい|緩い|ガタガタ|羽が出|羽根が出|保温でき(?:な|ませ)|閉まらな|動かな|壊れ",
    r"(?:털|실밥|보풀|깃털)[^.?!]{0,6}빠|흔들|안 ?닫혀|안 ?잠겨|안 ?접혀|접히지|털 ?빠|털이 ?빠"
    r"|보온이 ?안|떨어졌|벗겨|헐거|삐걱|소리가 ?나",
    r"หลุด|ร่วง|ไม่สนิท|(?:เก็บ|รักษา)(?:ความ)?(?:ร้อน|เย็น)ไม่อยู่|ไม่เย็น|ไม่ร้อน|โยก|เบรกไม่|คลอน|ดังเอี๊ยด",
    r"\bkhong (?:con )?giu nhiet\b|\bbi ket\b|\bra long\b|\brung long\b|\bbung (?:chi|duong may|keo)\b|\blong leo\b"
    r"|\bbi lung lay\b|\bkhong (?:dong|khoa|gap) duoc\b",
    # a reaction of the skin to what was bought and used
    r"过敏|红疹|起疹|疹子|爆痘|\brash\b|\bbroke ?out\b|\bbreakouts?\b|\ballergic\b|\birritat\w*|かぶれ|湿疹|肌荒れ|ブツブツ"
    r"|트러블|뒤집어|발진|알레르기|แพ้|ผื่น|สิวขึ้น|\bdi ung\b|\bnoi (?:mun|man|me day)\b|\balergi\w*|\bbruntusan\b|\bgatal\b"
    r"|\bgranitos\b|\balergia\b|\bsarpullido\b|\bronchas\b",
    r"\bmacet\b|\brontok\b|\blepas\b|\blonggar\b|\bgoyang\b|\b(?:ga|gak|nggak|tidak|ngga|udah ga) bisa (?:nahan|nutup|dilipat"
    r"|dipake|dipakai|ngerem)\b",
    r"\bya no (?:frena|funciona|mantiene|cierra|calienta|enfria|sirve|dobla)\b|\bno (?:funciona|cierra|frena)\b"
    r"|\b(?:suelta|pierde|sueltan|pierden) plumas\b|\bse (?:rompio|despego|descosio|cayo|solto|desarmo)\b|\bflojo\b",
)

# the viewer's own slip, asked as a policy question: the exchange FAQ answers it ("ordered the wrong size can I swap
# it", "颜色拍错了能换吗", "サイズ間違えた", "색상 잘못 주문했는데", "สั่งสีผิด", "dat nham mau", "salah pilih warna",
# "pedí el color equivocado")
_OWN_SLIP = _words(
    r"拍错|选错|买错|下错|订错|拍成了",
    r"\b(?:i|i've|i have) (?:ordered|picked|chose|chosen|selected|bought|clicked) (?:the |a )?wrong\b|\bordered the wrong\b",
    r"間違えて(?:注文|頼|買|選)|(?:色|サイズ|カラー)(?:を)?間違え",
    r"잘못 ?(?:주문|시켰|골랐|샀|선택)",
    r"สั่ง(?:สี|ไซส์|ไซซ์)?ผิด|กดผิด|เลือกผิด",
    r"\b(?:dat|mua|chon|bam) nham\b",
    r"\bsalah (?:pilih|pesan|pesen|order|beli|klik|checkout)\b",
    r"\b(?:pedi|elegi|compre) (?:el|la) (?:\w+ )?equivocad[oa]\b|\bme equivoque de (?:talla|color|modelo|numero)\b",
)

# an order placed, then what came instead or short: "拍的黑色 发来的是白色", "买了3盒只到了2盒", "ordered 3 boxes, only 2
# showed up", "Mサイズ頼んだのにLが来ました", "블랙 시켰는데 화이트가 왔어요", "สั่ง 3 กล่องได้มาแค่ 2", "dat mau den ma giao
# mau trang", "pesen 41 yang datang 39", "pedí dos cajas y solo me llegó una", "me llegaron 4 pares en vez de 5"
_ORDERED = _words(
    r"拍的|拍了|买了|買了|买的|订的|訂的|订了|下单的|下单了|付了",
    r"\b(?:i |we )?(?:ordered|paid for|bought)\b",
    r"頼んだ|注文した|注文しました|買った",
    r"시켰|주문했|주문한|샀는데",
    r"สั่ง",
    r"\b(?:dat|mua|order)\b",
    r"\b(?:pesen|pesan|order|beli|checkout)\b",
    r"\b(?:pedi|compre|ordene)\b|\bme (?:llego|llegaron)\b",
)
_CAME_INSTEAD = _words(
    r"(?:发|寄)(?:来|过来)的(?:是|却是)|发成|寄成|(?:收到|到手|来)的(?:是|却是)(?!什么|啥|哪)|只(?:到了|收到|发了|来了|寄了)|少(?:发|寄)|却(?:是|发|来)",
    r"\bonly (?:\d+|one|two|three|four|half) (?:\w+ )?(?:came|arrived|showed up|was in|were in|in the)\b|\bonly (?:got"
    r"|received)\b"
    r"|\binstead of\b|\b(?:and|but) (?:i )?(?:got|received) (?:a|an|\d+)\b(?! (?:coupon|discount|gift|free|day|week))"
    r"|\b(?:you|they|u) sent (?:me )?(?:a|an|the)\b(?! (?:link|tracking|code|invoice|receipt|email|message|confirmation))"
    r"|\bgot (?:\d+|a|an) \w+(?: \w+)? instead\b|\bordered \d+ got \d+\b",
    r"のに.{0,12}?(?:が|を)?(?:来|届|入って)|しか(?:届|来|入って)",
    r"(?<!택배)(?<!상품)(?<!물건)(?<!제품)(?<!주문)(?:이|가|만) ?(?:왔|와요|들어)|대신",
    r"(?:แต่|กลับ|ดัน)(?:ส่ง|ได้)|ได้มาแค่|มาแค่|ส่งมาผิด|ได้รับแค่",
    r"\bma (?:shop )?(?:giao|gui|nhan(?: duoc)?)(?: (?:toi|cho minh|cho em|den|ve|lai))? (?:mau|size|sz|sai|nham|cai|chiec|doi"
    r"|hop|chai|\d)"
    r"|\bchi (?:nhan|giao|gui|toi|den)\b|\bthay vi\b",
    r"\b(?:kok|tapi|malah) (?:di)?kirim(?:nya|in)?\b|\b(?:yg|yang) (?:dateng|datang|nyampe|sampai|sampe|dikirim|diterima)\b"
    r"|\b(?:dateng|datang|nyampe|sampai|sampe|dikirim|diterima)(?:nya)? (?:cuma|hanya|cuman)\b",
    r"\bsolo (?:me )?(?:llego|llegaron|vino|vinieron|venia|venian|mandaron|enviaron)\b|\ben (?:vez|lugar) de\b"
    r"|\bme (?:mandaron|enviaron) (?:la|el|los|las|otr[oa]s?|un[oa]?)\b",
)

# a double charge, a payment the order does not show, a refund not received
_PAYMENT = _words(
    r"(?:扣|付|交|支付)了?(?:两|2|二)次|重复扣款|多扣了|扣了?两次|(?:付|交)了?两次钱",
    r"付(?:了)?款[^,，。!！?？]{0,8}(?:显示|状态|还是|却)[^,，。!！?？]{0,4}(?:未|待|没)付|钱(?:扣|付)了[^,，。!！?？]{0,8}(?:没有|没|不)(?:订单|显示)",
    r"退款[^,，。!！?？]{0,10}(?:还没|没到|没收到|未到|没退|一直没|还不到)|(?:还没|一直没|没有?)(?:收到)?退款|钱(?:还)?没(?:退|到账|回来)"
    r"|退一笔|(?:取消|退货|退了|寄回)[^,，。!！?？]{0,12}(?:钱|款)(?:还)?没(?:退|到)",
    r"\bcharged (?:me )?(?:twice|two times|double)\b|\bdouble[- ]charged\b|\bpaid twice\b"
    r"|\bpaid (?:already )?but\b|\bmoney (?:left|was taken|came out|got deducted|was deducted)\b|\bcharged but\b"
    r"|\b(?:order|status) (?:still )?(?:says|shows) (?:pending|unpaid|awaiting|not paid)\b|\bno order showing\b"
    r"|\b(?:waiting|waiting on|waiting for) (?:my |the |a )?refund\b|\brefund (?:still )?(?:hasn'?t|has not|not|never|didn'?t)\b"
    r"|\bhaven'?t (?:got|gotten|received|seen) (?:my |the |a |any )?(?:refund|money back)\b|\bno refund\b|\bwhere(?:'s"
    r"| is) my refund\b",
    r"二重(?:に)?(?:引き落と|決済|請求|課金)|(?:2|二)回(?:引き落と|決済|請求)|(?:支払|払)(?:った|いした|いました)のに|引き落とされたのに"
    r"|未払いのまま|注文履歴にない|返金(?:が|は)?(?:まだ|されな|されていな|来な|振り込まれ)|返金まだ",
    r"(?:두|2) ?번 ?(?:결제|빠져|출금|청구)|(?:결제|출금)(?:가|이|를)? ?(?:두|2) ?번|(?:이중|중복) ?결제"
    r"|(?:입금|결제)했는데[^.?!]{0,12}(?:안|없|대기|미결제)|입금 ?대기"
    r"|환불(?:이|은)? ?(?:아직|안 ?(?:들어|됐|되|왔)|언제)|환불 ?(?:받지|못 ?받)|아직 ?환불",
    r"ตัดเงิน\S{0,6}(?:สอง|2) ?(?:รอบ|ครั้ง)|(?:โดน|ถูก)(?:ตัด|หัก)\S{0,6}(?:สอง|2) ?(?:รอบ|ครั้ง)|จ่าย(?:ซ้ำ|สองรอบ|2 ?รอบ)"
    r"|(?:โอน|จ่าย)(?:เงิน)?(?:ไป)?แล้ว ?แต่|เงิน(?:ถูก|โดน)(?:หัก|ตัด)|สถานะ(?:ออเดอร์)?ยังไม่|ออเดอร์(?:ยัง)?ไม่ขึ้น"
    r"|ยังไม่ได้(?:รับ)?เงินคืน|เงินคืนยังไม่|ยังไม่คืนเงิน|ไม่ได้เงินคืน",
    r"\b(?:bi )?tru (?:tien )?(?:2|hai) lan\b|\bthanh toan (?:2|hai) lan\b|\b(?:chuyen khoan|thanh toan|tru tien|ck) roi ma\b"
    r"|\bdon (?:van )?chua (?:xac nhan|cap nhat|len)\b|\bkhong thay don\b"
    r"|\bchua (?:nhan duoc |nhan |thay |duoc )?(?:tien )?hoan(?: tien)?\b|\bhoan tien chua\b",
    r"\b(?:kepotong|terpotong|kedebet|bayar) (?:dua|2) ?(?:kali|x)\b|\b(?:udah|sudah|dah|udh) (?:transfer|bayar|tf)\w* (?:tapi"
    r"|kok)\b"
    r"|\bstatus(?:nya)? (?:pesanan |order )?(?:masih|belum)\b|\b(?:saldo|uang)(?:nya|ku)? (?:udah |sudah )?(?:kepotong"
    r"|terpotong)\b"
    r"|\brefund ?(?:nya|ku)? (?:belum|blm|gak|ga|nggak|tidak) (?:masuk|cair|balik|diproses)\b"
    r"|\b(?:dana|uang)(?:nya|ku)? (?:belum|blm) (?:kembali|balik|masuk|dikembalikan)\b",
    r"\bcobraron (?:dos|2) veces\b|\bcobro doble\b|\bdoble cargo\b|\bpague dos veces\b|\bme cobraron doble\b"
    r"|\bya pague (?:pero|y)\b|\bpague pero\b|\bpendiente de pago\b|\bno aparece (?:mi|el) pedido\b|\bel pedido no aparece\b"
    r"|\b(?:todavia|aun) no (?:me )?(?:devuelven|han devuelto|llega el reembolso|veo el reembolso)\b"
    r"|\bno (?:me )?(?:han )?(?:devuelto|reembolsado) (?:el|mi) dinero\b|\bno veo el reembolso\b"
    r"|\bno (?:me )?llega el reembolso\b",
)

# cancelling or changing an order, or its address
_CANCEL_CHANGE = _words(
    r"取消(?:订单|訂單|这单|這單|那单|刚才的单|我的单|掉)|(?:订单|訂單|单子|這單|这单|刚下的单|刚拍的)[^,，。!！?？]{0,6}(?:取消|撤销|改|换|修改)"
    r"|(?:改|修改|更改|换)(?:一下)?(?:收货)?地址|地址[^,，。!！?？]{0,4}(?:填|写|寫|选|弄)错|改订单|修改订单",
    r"\bcancel (?:my|the|this|that|an?) (?:order|purchase)\b|\bcancel (?:it|my order)\b|\b(?:want|need|like) to cancel\b"
    r"|\b(?:change|modify|edit|update) (?:my|the) (?:order|shipping address|delivery address|address)\b"
    r"|\bwrong (?:shipping |delivery )?address\b",
    r"キャンセル(?:したい|して|でき|お願い|させ)|注文(?:を)?(?:取り消|取消|キャンセル)|取り消したい"
    r"|住所[^。!?]{0,6}(?:間違|変更|まちが)|注文(?:を|の)?(?:変更|内容を変え)",
    r"주문 ?취소|취소(?:하고 ?싶|해 ?주|할 ?수|하려|가능)|주문(?:을)? ?(?:변경|수정|바꾸|바꿀)"
    r"|(?:주소|배송지)[^.?!]{0,6}(?:잘못|변경|바꿀|바꾸|수정)",
    r"ยกเลิก(?:ออเดอร์|คำสั่งซื้อ|ได้|ให้|หน่อย)|ขอยกเลิก|(?:เปลี่ยน|แก้)(?:ออเดอร์|คำสั่งซื้อ)|(?:เปลี่ยน|แก้)ที่อยู่"
    r"|ที่อยู่\S{0,8}ผิด",
    r"\bhuy (?:don|giup|dum|cho)\b|\bmuon huy\b|\bcancel don\b|\b(?:doi|sua|thay doi) don\b"
    r"|\bdia chi\b.{0,12}\b(?:sai|nham)\b|\b(?:ghi|nhap|dien)? ?(?:sai|nham) dia chi\b|\b(?:doi|sua) (?:lai )?dia chi\b",
    r"\b(?:batal|batalin|batalkan|cancel)(?:in)? (?:pesanan|pesenan|orderan|order)\b|\bmau (?:batal|cancel|batalin)\b"
    r"|\bpesanan(?:nya)? (?:di ?batalkan|dibatalin|di ?cancel)\b|\b(?:ganti|ubah|rubah|edit) (?:pesanan|orderan|alamat)\b"
    r"|\balamat(?:nya|ku)? (?:salah|keliru|(?:mau |bisa |minta )?(?:di)?(?:ganti|ubah|rubah))\b"
    r"|\bsalah (?:tulis|isi|masukin) alamat\b",
    r"\b(?:cancelar|anular) (?:mi |el )?(?:pedido|compra|orden)\b|\b(?:cambiar|modificar) (?:mi|el) pedido\b"
    r"|\bme equivoque de direccion\b|\bdireccion (?:equivocada|incorrecta|mal)\b|\bcambiar (?:la|mi) direccion\b",
)

# an order not shipped yet (said by the viewer, about their order), to be changed: "要黑色的拍成白色了,还没发货能改吗",
# "can you change my order to black before it ships?" — changing an order placed is staff's, not the exchange policy
# (which swaps goods received). With the viewer's own slip (:data:`_OWN_SLIP`) or a word for changing it.
_NOT_SHIPPED = _words(
    r"还没发货|還沒發貨|还没发|還沒發|未发货|未發貨|没发货|沒發貨|发货前|發貨前|还没寄|還沒寄|寄出前|出库前",
    r"\bbefore (?:it |you |they )?(?:ship|ships|shipped|send|sends|dispatch|dispatches)\b|\bbefore shipping\b"
    r"|\b(?:hasn'?t|has not|haven'?t|have not|not) (?:been )?(?:shipped|sent|dispatched)(?: yet)?\b|\bnot shipped yet\b",
    r"発送前|まだ発送(?:され|して)(?:てい)?(?:ない|ません)|出荷前|まだ出荷",
    r"(?:발송|배송|출고) ?전|아직 ?(?:발송|배송|출고) ?(?:안|전)",
    r"ยังไม่(?:ได้)?(?:จัด)?ส่ง|ก่อน(?:จัด)?ส่ง",
    r"\bchua (?:giao|gui|ship|dong goi|xuat kho)\b|\btruoc khi (?:giao|gui|ship)\b",
    r"\b(?:belum|blm|blom) (?:di ?kirim|dikirim|dipacking|dipack|diproses|ship)\b|\bsebelum (?:di ?kirim|dikirim)\b",
    r"\bantes de (?:enviar|que (?:lo|la|los|las|me lo|me la) (?:envien|manden)|mandarlo|mandarla|enviarlo|enviarla|el envio)\b"
    r"|\b(?:todavia|aun) no (?:lo|la|me lo|me la) (?:han )?(?:enviado|mandado)\b",
)
# an order placed recently (yesterday, today, just now) — not shipped, though the viewer does not say so — whose colour,
# size or address is to be changed: "昨日注文したダウン、色を変更できますか", "I ordered the jacket yesterday, can I change
# the size", "kemarin udah pesan jaket, bisa ganti warna hitam?". The order itself, staff's (an exchange swaps goods
# received: "颜色拍错了能换吗", "can I exchange if it doesn't fit?" keep the exchange FAQ). With :data:`_CHANGE` and
# :data:`_CHANGED_THING`; never with goods received or a conditional.
_RECENT_ORDER = _words(
    r"(?:昨天|今天|刚才|剛才|刚刚|剛剛|刚|剛|昨晚|今早|早上|上午|下午)[^,，。!！?？]{0,8}?(?:下单|下單|拍|订|訂|买|買)(?:的|了)",
    r"\b(?:ordered|bought|purchased|placed (?:an|my|the) order)\b.{0,30}?\b(?:yesterday|today|this morning|last night"
    r"|earlier|an hour ago)\b|\b(?:yesterday|today|this morning|last night|just)\b.{0,12}?\b(?:ordered|bought|purchased)\b",
    r"(?:昨日|今日|さっき|先ほど|今朝|昨夜|昨晩)[^。!?？]{0,8}?(?:注文|頼ん|買っ|購入|ポチ)",
    r"(?:어제|오늘|방금|아까)[^.?!]{0,8}?(?:주문|샀|구매|시킨|시켰)",
    r"(?:เมื่อวาน|วันนี้|เมื่อกี้|เมื่อเช้า)[^?]{0,12}?(?:สั่ง|ซื้อ)",
    r"\b(?:hom qua|hom nay|vua|sang nay|toi qua)\b.{0,20}?\b(?:dat|mua|chot)\b"
    r"|\b(?:dat|mua|chot)\b.{0,20}?\b(?:hom qua|hom nay|sang nay|toi qua)\b",
    r"\b(?:kemarin|tadi|barusan|hari ini)\b.{0,20}?\b(?:pesan|pesen|order|beli|checkout)\b"
    r"|\b(?:pesan|pesen|order|beli|checkout)\b.{0,20}?\b(?:kemarin|tadi|barusan|hari ini)\b",
    r"\b(?:ayer|hoy|esta manana|anoche|hace rato|recien)\b.{0,20}?\b(?:pedi|compre|ordene|hice (?:el|mi) pedido)\b"
    r"|\b(?:pedi|compre|ordene|hice (?:el|mi) pedido)\b.{0,20}?\b(?:ayer|hoy|esta manana|anoche|hace rato)\b"
    r"|\bacabo de (?:comprar|pedir|hacer (?:el|mi) pedido)\b",
)
_CHANGED_THING = _words(
    r"颜色|顏色|色|尺码|尺碼|码|碼|地址|型号|型號",
    r"\b(?:colou?rs?|size|address)\b",
    r"色|カラー|サイズ|住所",
    r"색|컬러|사이즈|주소",
    r"สี|ไซส์|ไซซ์|ที่อยู่",
    r"\b(?:mau|size|dia chi)\b",
    r"\b(?:warna|ukuran|size|alamat)\b",
    r"\b(?:color|talla|direccion|numero)\b",
)

# the order itself modified (改, not 换: an exchange swaps goods received): "拍错尺码了 M拍成了L 能帮我改一下吗"
_MODIFY_ORDER = _words(r"(?:帮|幫|给|給)(?:我|忙)?.{0,2}改|改(?:一下|下|成|掉|过来|過來)|(?:能|可以|可不可以)改")
_CHANGE = _words(
    r"改|修改|更改|换成|換成",
    r"\b(?:change|switch|swap|modify|edit|update|correct)\b",
    r"変更|変え|かえ|替え|直し",
    r"바꾸|바꿔|바꿀|변경|수정",
    r"เปลี่ยน|แก้",
    r"\b(?:doi|sua|thay)\b",
    r"\b(?:ganti|ubah|rubah|tukar|edit)\b",
    r"\b(?:cambiar|cambien|cambian|cambias|cambio|modificar|corregir)\b|\bme lo (?:pueden|puedes) cambiar\b",
)

# an order placed a while ago that has not come: the order (or its parcel), not yet, and the time since
# ("上周拍的T恤到现在还没到", "hàng đặt tuần trước chưa thấy giao", "주문한 게 일주일 넘었는데 아직 안 왔어요")
_ORDER_NOUN = _words(
    r"订单|訂單|包裹|快递|快遞|\b(?:order|package|parcel)\b|注文|荷物|주문|택배|ออเดอร์|พัสดุ|\b(?:don|hang)\b|\b(?:pesanan|paket|barang)(?:ku"
    r"|nya)?\b"
    r"|\b(?:pedido|paquete)\b",
)
_NOT_YET = _words(
    r"还没(?:到|收到|发货|发|寄|动)|還沒(?:到|收到|發)|没(?:收到|到货)|一直没(?:到|发|收到)|没发货|没动静|物流不动|不更新",
    r"\b(?:hasn'?t|has not|haven'?t|have not|didn'?t|did not|not|never) (?:yet )?(?:arrived|come|came|shipped|been shipped"
    r"|received|got(?:ten)? it)\b"
    r"|\bstill not (?:here|arrived|shipped)\b|\bnothing (?:at my door|arrived|came)\b|\bsays delivered but\b",
    r"まだ届(?:か|いてい)|届かない|届いてない|届いていない|発送されて(?:ない|いない)|まだ発送",
    r"아직 ?(?:안|못) ?(?:왔|와|받|오|발송|배송)|안 ?왔|못 ?받|(?:발송|배송)(?:이)? ?안 ?(?:됐|되)",
    r"ยังไม่(?:ได้(?:รับ)?ของ|ได้รับ|มา|ส่ง|ถึง)|ของยังไม่|ยังไม่จัดส่ง",
    r"\bchua (?:thay )?(?:giao|nhan|toi|den|ve|gui|ship)\b|\bvan chua (?:co|thay) hang\b",
    r"\b(?:belum|blm|blom|ga|gak|nggak) (?:juga )?(?:sampai|sampe|nyampe|dikirim|dateng|datang|diterima|dapet)\w*",
    r"\b(?:todavia|aun) no (?:me )?(?:llega|ha llegado|han enviado|lo envian|envian)\b|\bno (?:me )?ha llegado\b|\bnunca llego\b",
)
_ELAPSED = _words(
    r"上周|上週|上个月|上個月|\d+ ?天|几天|幾天|好几天|一周|一個?个?星期|半个月|很久|这么久|到现在|至今",
    r"\blast (?:week|month)\b|\b\d+ (?:days|weeks)\b|\b(?:a|one|two|three) weeks?\b|\bdays ago\b|\bforever\b|\bages\b",
    r"先週|先月|\d+日|一週間|二週間|ずっと",
    r"지난주|지난달|일주일|\d+ ?일|며칠|한참|넘었",
    r"สัปดาห์|อาทิตย์|\d+ ?วัน|หลายวัน|นานแล้ว|เดือน",
    r"\btuan truoc\b|\bthang truoc\b|\b\d+ ngay\b|\bmay ngay\b|\blau (?:roi|qua)\b|\bca tuan\b",
    r"\bkemarin\b|\bkemaren\b|\bkmrn\b|\bminggu\b|\b\d+ hari\b|\budah lama\b|\bseminggu\b|\bbulan\b",
    r"\bsemanas?\b|\b\d+ dias\b|\bhace\b|\bmes\b",
)

# marked delivered, and nothing came
_DELIVERED_NOT_RECEIVED = _words(
    r"(?:显示|顯示)(?:已)?(?:签收|簽收|送达)[^。!！?？]{0,8}(?:没|沒|但)|已签收[^。!！?？]{0,6}没收到",
    r"\b(?:says|shows|marked(?: as)?) delivered but\b",
    r"配達完了(?:に|と)なって(?:いる|る)のに|配達済みなのに",
    r"배송 ?완료(?:로|라고)? ?(?:뜨|나오|되어 ?있)[^.?!]{0,6}(?:는데|데)",
    r"(?:ขึ้นว่า|สถานะ)(?:จัดส่ง|ส่ง)(?:สำเร็จ|แล้ว)\S{0,6}แต่",
    r"\bbao (?:da )?giao (?:thanh cong|roi) ma\b",
    r"\b(?:status(?:nya)? )?(?:udah |sudah )?(?:terkirim|diterima) (?:tapi|kok)\b",
    r"\b(?:dice|aparece como|marca) entregado (?:pero|y)\b",
)

# ---- 2. a person asked for --------------------------------------------------------------------------------------

_PERSON = _words(
    # to be called
    r"(?:给我|跟我|和我)打(?:个)?电话|打(?:个)?电话给我|(?:能|可以|麻烦|请)[^,，。]{0,4}(?:打|回)(?:个)?电话|回(?:个)?电话|电话联系",
    r"\b(?:can|could|would|will|pls|please|plz)\b[^.?!]{0,20}\b(?:call|phone|ring) me\b|\bcall me (?:back|please|pls|asap|about"
    r"|regarding)\b"
    r"|\bgive me a (?:call|ring)\b",
    r"電話(?:して|ください|ほしい|もらえ|いただけ|で(?:相談|話したい|問い合わせ))|折り返し(?:電話|ください|お願い)",
    r"전화 ?(?:주세요|주실|줄 ?수|좀|부탁|가능|해 ?주|해 ?줄|드려도)|통화 ?(?:하고 ?싶|할 ?수|가능)",
    r"โทรหา(?:หน่อย|ได้|ด้วย|เรา|ฉัน|หนู|ผม|ที)|โทรกลับ|ติดต่อกลับ",
    r"\bgoi (?:dien )?(?:lai )?cho (?:minh|em|toi|chi|anh|e)\b",
    r"\b(?:telpon|telepon|telfon|tlp) (?:aku|saya|sy|balik)\b|\bbisa (?:di)?telpon\b",
    r"\bllam(?:enme|ame|arme|arnos)\b|\bme (?:pueden|puede|puedes|podrian|podria) llamar\b",
    # to talk to someone
    r"人工客服|转人工|(?:找|要)真人|真人客服|找客服|客服在吗|客服呢|联系客服|找谁(?:处理|解决|退|负责|说)|(?:跟|和)(?:客服|人)(?:说|聊|沟通)",
    r"\b(?:talk|speak) (?:to|with) (?:a |an |the )?(?:real )?(?:person|human|someone|somebody|agent|staff|manager|owner"
    r"|customer service)\b"
    r"|\bhuman agent\b|\bwho (?:do|should|can) i (?:talk|speak|contact|message|reach|write)\b|\bwho fixes\b",
    r"担当(?:の方|者)|(?:人|スタッフ|店長|オペレーター|担当)と(?:直接)?(?:話|相談)|どこに連絡|誰に(?:連絡|言え|相談)|電話で相談",
    r"상담원|상담사|사람(?:이랑|과|하고) ?(?:얘기|이야기|통화|대화)|(?:누구|어디)(?:한테|에|로) ?(?:연락|문의|말)|고객센터",
    r"คุยกับ(?:แอดมิน|พนักงาน|คน|เจ้าของ|ร้าน)|ติดต่อ(?:ใคร|แอดมิน)|ขอสาย",
    r"\bnoi chuyen voi (?:nhan vien|nguoi|admin|shop|chu shop)\b|\bgap (?:nhan vien|admin|chu shop)\b|\btu van vien\b|\bcskh\b",
    r"\b(?:ngobrol|bicara|ngomong) (?:sama|dengan) (?:admin|cs|orang|manusia)\b|\badmin(?:nya)? (?:kemana|kmn)\b"
    r"|\bhubungi siapa\b",
    r"\bhablar con (?:alguien|una persona|un humano|un asesor|el encargado|atencion al cliente|soporte)\b"
    r"|\ba quien (?:le )?(?:escribo|contacto|llamo|reclamo)\b|\bcon quien hablo\b|\batencion al cliente\b",
    # nobody replied
    r"(?:客服|私信|消息|留言|问了|發了|发了|咨询|联系)[^。!！?？]{0,10}(?:没人|没有人|都不|一直没|还没|不)(?:回|理|回复|搭理)",
    r"\b(?:no|not a|still no) (?:reply|answer|response)\b|\b(?:nobody|no one|noone) (?:answers|replies|responds|is answering"
    r"|answered|replied)\b"
    r"|\b(?:haven'?t|didn'?t|never) (?:heard back|get a reply|got a reply|got an answer)\b"
    r"|\b(?:dm|dms|dmed|messaged|message|messages|inbox|chat)\b[^.?!]{0,24}\bignor\w*",
    r"返事(?:が)?(?:ない|ありません|来ない|こない)|返信(?:が)?(?:ない|ありません|来ない)|無視され",
    r"(?:문의|연락|메시지|톡|댓글|질문|dm|디엠)[^.?!]{0,12}(?:답(?:이|장이|변이)? ?없|답(?:을|장을)? ?(?:안|못) ?(?:해|주|와|받))"
    r"|연락(?:이)? ?없|읽씹",
    r"(?:ไม่มี(?:ใคร|คน))ตอบ|ทัก\S{0,12}ไม่(?:มีใคร)?ตอบ|แอดมินไม่ตอบ|ไม่ตอบ(?:แชท|ข้อความ)",
    r"\b(?:ko|khong|k|chang|cha|chua) (?:ai |thay )?(?:tra loi|rep|phan hoi)\b",
    r"\b(?:ga|gak|nggak|ngga|tidak|blm|belum|ndak|gk) (?:di ?bales|dibalas|dibales|direspon|dijawab)\w*|\bdicuekin\b"
    r"|\b(?:nanya|tanya|chat)\b.{0,20}\b(?:ga|gak|nggak|ngga|tidak|blm|belum|gk) (?:dijawab|dibales|dibalas|direspon)\w*",
    r"\b(?:nadie|ninguno) (?:me )?(?:contesta|responde|atiende)\b|\bno (?:me )?(?:contestan|responden|atienden|han contestado"
    r"|han respondido)\b"
    r"|\bsin respuesta\b",
)

# ---- 3. what only staff can grant -------------------------------------------------------------------------------

_REQUEST = _words(
    # holding an item for the viewer
    # 留 with an item or for the viewer ("帮我留到周五", "能留一件吗"), not 留言 / 留然然直播 (to stay on)
    r"(?:帮|给|替)我(?:先)?留(?!意|言|下联系|个联系)|留给我|(?:能不能|可不可以|可以|能)(?:先)?留(?:[一1两2三3]?(?:件|条|條|双|盒|瓶|支|套|份|个|台))"
    r"|预留|留到(?:周|星期|礼拜|明天|下周|月底|发工资|\d)"
    r"|先留(?!言)",
    r"\b(?:hold|save|reserve|keep|put aside|set aside)\b(?: (?:one|it|this|that|them|\d+|a|an|the"
    r"|one of)\b)?[^.?!]{0,24}\bfor me\b"
    r"|\bsave me (?:one|a|an|the)\b"
    r"|\b(?:hold|reserve|save|keep) (?:it|one|this|that|the|a)\b[^.?!]{0,30}\b(?:till|until|til|tilll)\b",
    r"取り置き|取っておいて|とっておいて|キープ(?:して|でき|お願い)",
    r"킵 ?(?:가능|해 ?(?:주|두실|둘 ?수))|찜해 ?(?:두실|둘 ?수|주세요|주실|줄 ?수)|빼 ?(?:두|놔) ?(?:주|줄)|홀드",
    r"จอง(?:ไว้|ให้|ก่อน)|เก็บไว้ให้|กันไว้ให้|ล็อค(?:ไว้)?ให้",
    r"\bgiu (?:lai )?(?:cho|giup|dum) (?:minh|em|toi|chi|anh|e|m)\b|\bde (?:danh|lai) cho (?:minh|em|toi|e)\b",
    r"\b(?:keep|kip|tahanin|sisihin|sisihkan|booking|book)(?:in)? (?:dulu|buat (?:aku|saya)|untuk (?:aku|saya))\b"
    r"|\bbisa (?:di ?)?keep\b|\b(?:keep|kip) (?:sampai|sampe)\b",
    r"\bapart(?:a|e|ar)(?:me|melo|mela|melos|melas)\b|\bme (?:lo|la|los|las) (?:pueden|puedes|podrian|puede)? ?(?:guardar|apartar"
    r"|reservar)\b"
    r"|\b(?:guardar|apartar|reservar)(?:me)?(?:lo|la)? hasta\b",
    # wholesale, reselling, becoming an agent
    r"批发|批發|代理|代购|代購|拿货|拿貨|分销|经销|加盟|进货|進貨",
    r"\bwholesale\b|\bresell\w*|\bresale\b|\bdistributor\w*|\bstockist\b|\bbecome an? (?:agent|reseller|distributor)\b"
    r"|\b(?:carry|sell|stock) (?:it|them|these|this) in my (?:shop|store|boutique)\b",
    r"卸売|卸値|卸し|仕入れ|代理店|転売|業者(?:価格|向け)|(?:店|ショップ)で(?:売り|扱い)たい|(?:売り|扱い)たいので",
    r"도매|대리점|재판매|되팔|납품|총판|입점",
    r"ราคาส่ง|ตัวแทน(?:จำหน่าย)?|ขายต่อ|รับไปขาย|ดีลเลอร์",
    r"\b(?:ban|lay|gia|buon) si\b|\bdai ly\b|\bctv\b|\bcong tac vien\b|\blay ve ban\b",
    r"\breseller\w*|\bdropship\w*|\bjadi (?:agen|reseller|distributor)\b|\bgrosir\b|\bdi ?jual (?:lagi|kembali)\b"
    r"|\bbuat (?:dijual|jualan|jual lagi)\b|\bharga (?:reseller|agen|grosir)\b",
    r"\bal por mayor\b|\bmayoreo\b|\bmayorista\w*|\brevender\b|\breventa\b|\bdistribuidor\w*",
    # custom printing, a logo, engraving
    # 定制 of goods, not "定制语音" (a streamer's custom voice message)
    r"印(?:上|个|我们|公司|logo|字|名|图|园)|(?:可以|能|能不能|可不可以|接受|支持|有没有)(?:私人)?(?:定制|订制)"
    r"|(?:定制|订制)(?:logo|印|刻|字|名|图|款|t恤|衣服|杯子|礼盒|包装)|刻(?:字|名)|绣(?:字|名|logo)",
    r"\b(?:print|add|engrave|emboss|embroider|stitch)\w* (?:on )?(?:our|my|a|the|your)? ?(?:school'?s? |company'?s? |team'?s? )?"
    r"(?:logo|name|team name|company name|school name|initials)\b|\bcustom (?:logo|print|printing|name|design|text)\b"
    r"|\bpersonali[sz](?:e|ed|ation|ing)\b|\bcustomi[sz](?:e|ed|ation|ing)\b",
    r"ロゴ(?:入れ|を入れ|印刷|プリント)|名入れ|刺繍(?:入れ|してもら|でき|可能)|オーダーメイド|カスタム",
    r"로고 ?(?:인쇄|프린트|넣|박|새기)|각인|인쇄 ?(?:가능|돼|되)|주문 ?제작|커스텀|이름 ?(?:새기|넣|인쇄)",
    r"สกรีน(?:โลโก้|ชื่อ|ได้|ให้|เพิ่ม)|(?:พิมพ์|ปัก|ใส่|ติด|ทำ)(?:โลโก้|ชื่อ)|สลัก",
    r"\bin (?:logo|ten|chu|hinh)\b|\btheu (?:logo|ten)\b|\bkhac (?:ten|chu|logo)\b|\bcustom\b",
    r"\bsablon\w*|\bcustom (?:logo|nama|desain)\b|\bcetak (?:logo|nama)\b|\bbordir\w*|\bgrafir\w*|\bstiker logo\b"
    r"|\b(?:kasih|pakai|pake|tambah) logo\b",
    r"\bestampar\b|\bgrabar (?:un |el |mi )?(?:nombre|logo)\b|\bpersonaliza\w*|\bbordar\b"
    r"|\bimprimir (?:el |un |mi )?(?:logo|nombre)\b|\bcon (?:el |mi |nuestro )logo\b",
    # a handwritten card or message sent with the goods
    r"(?:写|寫|手写|附|加|放)(?:一)?(?:张|個|个|段)?(?:贺卡|賀卡|卡片|小卡|祝福卡|留言卡|纸条)|贺卡|賀卡|手写",
    r"\bhand ?written\b|\b(?:write|add|include|put|slip) (?:in )?(?:a |my |the )?(?:little |short |small )?"
    r"(?:note|card|message|gift message|gift note|birthday message)\b|\bgift (?:note|message)\b|\b(?:greeting|birthday"
    r"|message) card\b",
    r"メッセージカード|手書き|(?:一言|メッセージ)(?:を)?(?:書い|添え|入れ)|カード(?:を)?(?:付け|入れ|添え)",
    r"카드에 ?(?:메시지|글|편지|써|쓰)|메시지 ?카드|(?:축하|생일|감사) ?카드|손편지|편지 ?(?:써|넣)",
    r"การ์ด(?:อวยพร|ขอบคุณ|วันเกิด)|(?:เขียน|ใส่)(?:การ์ด|ข้อความ|โน้ต)",
    r"\b(?:viet|kem|gui) (?:thiep|loi chuc|loi nhan|the chuc|card)\b|\bthiep (?:chuc|mung)\b",
    r"\bkartu ucapan\b|\b(?:tulis|tulisin|tuliskan|selipin|selipkan) (?:kartu|ucapan|pesan|surat)\b",
    r"\btarjeta (?:con (?:un )?mensaje|de (?:regalo|felicitacion|cumpleanos|dedicatoria)|escrita)\b"
    r"|\b(?:incluir|poner|agregar|anadir|meter) (?:una )?(?:tarjeta|nota|dedicatoria)\b|\bdedicatoria\b",
)


@functools.lru_cache(maxsize=4096)
def staff_only(text: str) -> str | None:
    """Why only a person can handle ``text`` (:data:`ORDER_PROBLEM`, :data:`ASKS_FOR_PERSON`, :data:`STAFF_REQUEST`),
    or None."""
    folded = fold_words(text or "")[:300]
    if not folded.strip():
        return None
    if _order_problem(folded):
        return ORDER_PROBLEM
    if _order_late(folded):
        return ORDER_LATE
    if _PERSON.search(folded):
        return ASKS_FOR_PERSON
    if _REQUEST.search(folded):
        return STAFF_REQUEST
    return None


def _order_problem(folded: str) -> bool:
    """A problem with an order the viewer placed (``folded`` by :func:`fold_words`)."""
    if _PAYMENT.search(folded) or _CANCEL_CHANGE.search(folded) or _DELIVERED_NOT_RECEIVED.search(folded):
        return True
    if _CONDITIONAL.search(folded):
        return False
    if (_NOT_SHIPPED.search(folded) and (_OWN_SLIP.search(folded) or _CHANGE.search(folded))) or (
        _OWN_SLIP.search(folded) and _MODIFY_ORDER.search(folded)
    ):
        # an order not shipped yet, to be changed ("颜色选错了 … 还没发货能改吗"): the order itself, before it ships
        return True
    if _OWN_SLIP.search(folded):
        return False
    if (
        _RECENT_ORDER.search(folded) and _CHANGED_THING.search(folded)
        # unaccented "thay" is also "thấy" (to see): "hom nay mua thay dep mau den"
        and any(m.group() != "thay" for m in _CHANGE.finditer(folded))
        and not _RECEIVED.search(folded)
    ):
        # an order placed yesterday or today, its colour, size or address to change: the order itself
        return True
    owned = (_PAST_OWNED.search(folded) or _RECEIVED.search(folded)) and not _ELSEWHERE.search(folded)
    if owned and _names_a_defect(folded):
        return True
    ordered = _ORDERED.search(folded)
    return ordered is not None and _CAME_INSTEAD.search(folded, ordered.end()) is not None


# a defect word said not to have happened: praise of an earlier purchase ("上次买的洗了也没变形", "it never broke",
# "全然壊れない", "ga rusak sama sekali", "no se rompió nada")
_NEGATED_BEFORE = re.compile(
    r"(?:没有?|沒有?|不|无|無|未|从没|從沒)(?:怎么|太|再)?$|(?:안|ไม่) ?$"
    r"|\b(?:never|not|no|n't|didnt|doesnt|wasnt|khong|ko|chua|chang|ga|gak|nggak|ngga|gk|tidak|ndak|nunca|ni)\b(?: \w+)? ?$"
)
_NEGATED_AFTER = re.compile(r"^(?:ない|なかった|ません|ず|나지 ?않|지 ?않)")


def _names_a_defect(folded: str) -> bool:
    """Does ``folded`` name a defect (the after-sales problem words or :data:`_MORE_PROBLEM`) that is not negated?"""
    for pattern in (_PROBLEM, _MORE_PROBLEM):
        for m in pattern.finditer(folded):
            before, after = folded[max(0, m.start() - 12):m.start()], folded[m.end():m.end() + 4]
            if not (_NEGATED_BEFORE.search(before) or _NEGATED_AFTER.search(after)):
                return True
    return False


def _order_late(folded: str) -> bool:
    """An order (or its parcel) placed a while ago that has not come (``folded`` by :func:`fold_words`)."""
    if _CONDITIONAL.search(folded) or not (_ORDERED.search(folded) or _ORDER_NOUN.search(folded)):
        return False
    return bool(_NOT_YET.search(folded) and _ELAPSED.search(folded))


def answer_written_for(reason: str, faq_questions: tuple[str, ...]) -> bool:
    """Was a FAQ with these example questions written for comments of this kind ("how do I cancel my order" for a
    shop's cancellation FAQ, "可以刻字吗" for the lipstick's engraving): one of them is read as ``reason`` too."""
    return any(staff_only(q) == reason for q in faq_questions)
