"""An exchange or a return asked about a size is the exchange / returns question, never the size, fit or stock.

"kak bisa tuker ukuran kalo kekecilan?" (can I swap the size if it is too small?) was answered with the shoes' fit:
"kekecilan" (too small) is a fit word and "ukuran" a size word, and nothing read "tuker" (swap). A comment that says
exchange or return — 换货 / 换码 / 能换吗, 退货 / 能退吗, exchange / swap, return it, 交換, 返品, 교환, 반품, เปลี่ยนไซส์,
คืนสินค้า, đổi size, trả hàng, tuker / tukar, retur, cambiar, devolver — asks what the shop's policy is; the catalog's
exchange FAQ (for an exchange) or its returns FAQ (for a return) answers it: the FAQs of intent ``ask_return`` whose
example questions say exchange, or return, for the most part. A structured answer (stock, a size, the fit, the price)
or a stock / size / price FAQ or a product's own FAQ given to it is replaced by that FAQ; when the matcher was unsure
(silent, staff) the FAQ answers only a question that names a size, a colour or a variant ("사이즈 잘못 시켰는데 교환
돼요?"), the kind this module is about. An exchange or returns FAQ the matcher chose stays, and so do a complaint or
chit-chat the intent model named and a problem with goods received (bot/after_sales.py, applied after).

Words that look alike but are not an exchange are left out: 换季 (the season), "主播换个颜色看看" (show another
colour), "có bị đổi màu không" / "ซักแล้วเปลี่ยนสีไหม" / "¿cambia de color?" (does it fade), "주소 바꿀 수 있나요"
(change the address), "when will XL return" (restock). Data and pure functions; the engine applies
``exchange_decision`` in bot/answer_checks.py.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from bot.guards import one_faq
from bot.pipeline import ANSWER, RECOMMEND, SILENT, STAFF, CatalogView, Decision, Understanding
from bot.product_words import per_snapshot
from bot.slots import Slots, reads_as_question
from bot.structured import STRUCTURED
from catalog.snapshot import CatalogSnapshot
from catalog.text import strip_latin_marks

__all__ = ["EXCHANGE", "EXCHANGE_ASKED", "RETURN", "asks_exchange", "exchange_decision", "policy_faq"]

EXCHANGE = "exchange"
RETURN = "return"
EXCHANGE_ASKED = "an exchange or a return asked: the catalog's exchange / returns FAQ, not the size, fit or stock"
RETURN_INTENT = "ask_return"

# Matched on the folded text without Latin marks ("đổi" = "doi", "devolución" = "devolucion").
_EXCHANGE = re.compile(
    # zh
    r"换货|换码|换尺码|换个码|换一个码|换大|换小|换成|换颜色|换个颜色|换一个颜色|能换|可以换|能不能换|可不可以换|包换|退换|调换"
    r"|换吗|换一双|换一件|换43|换4\d|换[sml]码|换xl"
    # en
    r"|\bexchange\w*|\bswap (?:it|them|this|for|the size|sizes|size)\b|\btrade (?:it |them )?for\b"
    r"|\bchange (?:the |my )?size\b|\bchange it for\b|\bchange (?:it|them) to\b"
    # ja, ko
    r"|交換|取り替え|取替え|取り換え|サイズ変更|교환|(?:사이즈|색상|컬러|색|치수)(?:를|을|는|은)?\s*(?:바꿀|바꿔|바꾸)"
    # th
    r"|เปลี่ยนไซส์|เปลี่ยนไซด์|เปลี่ยนขนาด|เปลี่ยนได้|เปลี่ยนสินค้า|เปลี่ยนของ|ขอเปลี่ยน|เปลี่ยนเป็น|เปลี่ยนตัว|เปลี่ยนคู่"
    # vi
    r"|\bdoi (?:size|sang|hang|tra|duoc|dc|đc|co|so|lai|mau khac|cai khac|kich co)\b|\b(?:duoc|dc|cho|co) doi\b"
    # id
    r"|\btuker\w*|\btukar\w*|\bditukar\w*|\bdituker\w*|\bganti (?:ukuran|size|warna|nomor|yang)\b"
    # es
    r"|\bcambiar\w*|\bcambio de (?:talla|color|numero)\b|\bun cambio\b|\bhacer cambio\b|\bcambiarme\b"
)
_RETURN = re.compile(
    r"退货|退款|能退|可以退|退吗|退不退|退回|无理由|退换|包退|退了"
    r"|\b(?:can|could|may) (?:i|we|u|you) return\b|\breturn (?:it|them|this|the item|if)\b|\breturns? policy\b"
    r"|\breturnable\b|\bfree returns\b|\bsend (?:it|them) back\b|\brefund\w*"
    r"|返品|返金|返却|반품|환불|คืนสินค้า|คืนของ|คืนได้|ส่งคืน|ขอคืน|คืนเงิน"
    r"|\btra hang\b|\btra lai\b|\bhoan tien\b|\bdoi tra\b"
    r"|\bretur(?:nya|an)?\b|\bdiretur\w*|\bbisa (?:di)?return\b|\bbalikin\b|\bdikembalikan\b|\bkembalikan\b"
    r"|\bdevolver\w*|\bdevolucion\w*|\breembols\w*"
)
# ... not those: the season, showing another colour on stage, a colour that fades, an address
_NOT_EXCHANGE = re.compile(
    r"换季|换个角度|换.{0,6}(?:看看|试试|展示|给我们看)|主播换|\bdoi mau (?:khong|ko|k)\b|\bbi doi mau\b|ซัก.{0,12}เปลี่ยนสี"
    r"|สีเปลี่ยน|\bcambia de color\b|\bcambian de color\b|주소|\baddress\b|\bdireccion\b|\balamat\b|\bdia chi\b|ที่อยู่|住所|地址"
)
# a size, a fit or a colour said: what an exchange asked "about a size" names
_SIZE_OR_COLOUR = re.compile(
    r"码|尺码|尺寸|大小|小了|大了|合身|合适|合脚|颜色|サイズ|色|사이즈|작으|크면|크게|작게|색상|ไซส์|ไซด์|ขนาด|เล็ก|ใหญ่|สี"
    r"|\bsize\b|\bfit\b|too (?:small|big|tight|large)|\bcolou?r\b|\bchat\b(?! lieu)|\brong\b|\bvua\b|\bmau\b"
    r"|\bukuran\b|\bnomor\b|\bkekecilan\b|\bkebesaran\b|\bmuat\b|\bwarna\b|\btalla\b|\bnumero\b|\bchic[oa]\b|\bgrande\b"
    r"|\bqued[ae]\b|\bcolor\b"
)


def _folded(text: str) -> str:
    return strip_latin_marks(unicodedata.normalize("NFKC", text or "").casefold())


def asks_exchange(text: str) -> str | None:
    """``EXCHANGE`` or ``RETURN`` when ``text`` asks about exchanging or returning goods, else None (an exchange
    word wins: "退换" and "đổi trả" ask both)."""
    folded = _folded(text)
    kind = EXCHANGE if _EXCHANGE.search(folded) else RETURN if _RETURN.search(folded) else None
    return None if kind is None or _NOT_EXCHANGE.search(folded) else kind


def _share(questions: tuple[str, ...], kind: str) -> bool:
    return bool(questions) and 2 * sum(asks_exchange(q) == kind for q in questions) >= len(questions)


@per_snapshot
def _found(snapshot: CatalogSnapshot) -> dict[tuple[str | None, str], str | None]:
    """A memo per snapshot: (product id, kind) -> ``policy_faq`` (filled as asked: a shop may have many products)."""
    return {}


def policy_faq(snapshot: CatalogSnapshot, product_id: str | None, kind: str) -> str | None:
    """The catalog's one exchange FAQ (``kind`` EXCHANGE) or returns FAQ (RETURN), or None."""
    memo = _found(snapshot)
    key = (product_id, kind)
    if key not in memo:
        memo[key] = one_faq(snapshot, product_id, RETURN_INTENT, lambda qs: _share(qs, kind))
    return memo[key]


_WRONG_KIND_INTENTS = frozenset({"ask_stock", "ask_size", "ask_price"})


def exchange_decision(text: str, u: Understanding, d: Decision, slots: Slots, view: CatalogView) -> Decision | None:
    """The exchange / returns FAQ for an exchange or a return asked, or None (``d`` stands)."""
    if u.empty or d.band == RECOMMEND or d.reason.startswith("intent "):
        return None
    kind = asks_exchange(text)
    if kind is None:
        return None
    faq = view.snapshot.faqs.get(d.faq_id) if d.band == ANSWER and d.path == "faq" and d.faq_id else None
    if faq is not None and faq.intent == RETURN_INTENT:
        return None  # the matcher chose an exchange or returns FAQ
    if d.band == ANSWER:
        wrong_kind = d.path == STRUCTURED or (
            faq is not None and (faq.intent in _WRONG_KIND_INTENTS or faq.product_id is not None)
        )
    else:
        wrong_kind = False
    unsure = d.band in (SILENT, STAFF) and reads_as_question(text) and (
        bool(slots.values) or _SIZE_OR_COLOUR.search(_folded(text)) is not None
    )
    if not (wrong_kind or unsure):
        return None
    product_id = d.product_id or u.product_id
    other = RETURN if kind == EXCHANGE else EXCHANGE
    target = policy_faq(view.snapshot, product_id, kind) or policy_faq(view.snapshot, product_id, other)
    if target is None:
        return replace(d, band=STAFF, reason=EXCHANGE_ASKED) if wrong_kind else None
    return replace(
        d, band=ANSWER, path="faq", faq_id=target, reason=EXCHANGE_ASKED, qtype=None, attribute=None, asked={},
        product_id=product_id,
    )
