"""A viewer reporting an order ("已拍 粉色", "just ordered the grey one!", "đã đặt 1 cái màu xám", "ya pedí los blancos").

Live rooms are full of these, and a shop answers them: the catalog's thank-you FAQ ("谢谢支持!您拍的{product}会在48
小时内发出"). The matcher often misses them: the colour, size or count the viewer adds pulls the comment towards the
stock and colour FAQs, and the report itself is a word or two. Here the comment's own words decide:

- it reports an order in a room language, by the words live rooms use for it (已拍 / 已下单 / 已付款, ordered /
  checked out / bought it, 注文しました, 주문했어요, สั่งแล้ว, đặt rồi, udah checkout, ya pedí …) — never by a plain
  "buy" ("我买了个键盘", "I bought a new GPU" are about something else);
- it does not ask anything (:func:`bot.slots.reads_as_question`) and says nothing went wrong or happened long ago
  (no "not / never / 没 / 还没", no "last week / 上次 / yesterday": those are after-sales, for staff);
- and the catalog has exactly one FAQ of the purchase intent whose example questions are mostly such reports, for
  the product on stage or for every product.

Only a decision the matcher left unsure is rerouted (bot/answer_checks.order_reported); the intent route's complaints, spam
and chit-chat, and confident answers, are never touched. Pure functions of the text and the catalog snapshot.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING

from bot.guards import one_faq
from bot.slots import reads_as_question

if TYPE_CHECKING:
    from catalog.snapshot import CatalogSnapshot

__all__ = [
    "BOUGHT_BEFORE",
    "NOT_A_REPORT",
    "ORDER_REPORTED",
    "asks_without_report",
    "bought_before",
    "names_order_report",
    "reports_order",
    "thanks_faq",
]

ORDER_REPORTED = "reports an order: the FAQ that thanks for orders"
NOT_A_REPORT = "a question that reports no order, answered by the FAQ that thanks for orders"
BOUGHT_BEFORE = "bought before (a past experience), not an order just placed: not thanked for one"

PURCHASE_INTENT = "purchase_intent"

_REPORT = re.compile(
    # Chinese: 拍 is the live-room word for placing an order ("已拍", "拍了两件")
    r"已拍|(?:^|[我已都也刚剛就先经經])拍了(?![拍照张張视視过過戏戲]|一[张張段下个個])|^拍了拍了|拍下了|已下单|下单了|已付款|付款了|已购|已買|已下單|下單了"
    # English: an order placed, never a bare "bought a …"
    r"|\b(?:just|already)\s+(?:ordered|bought|purchased|checked out|paid)\b|\bordered\b|\bchecked out\b|\bpurchased\b"
    r"|\bbought\s+(?:it|one|two|three|both|them|the|this|\d)\b"
    # Japanese, Korean, Thai
    r"|買いました|注文しました|注文した|購入しました|購入した|ポチりました|ポチった"
    r"|주문했|주문 했|구매했|결제했|샀어요|샀습니다"
    r"|สั่งแล้ว|สั่งซื้อแล้ว|ซื้อแล้ว|กดสั่ง|โอนแล้ว"
    # Vietnamese (with and without diacritics), Indonesian, Spanish
    r"|\b(?:đã|da)\s+(?:đặt|dat|mua|chốt|chot)\b|\b(?:đặt|dat|mua|chốt đơn|chot don)\s+(?:rồi|roi)\b|\bchốt đơn\b"
    # "just" ordered (mới / vừa đặt), and what was ordered between the verb and rồi ("đặt 1 chai 30ml rồi")
    r"|\b(?:mới|vừa|vua)\s+(?:mới\s+|moi\s+)?(?:đặt|dat|chốt|chot)\b|\b(?:đặt|chốt)(?:\s+[^\s?]+){1,4}\s+rồi\b"
    r"|\b(?:udah|sudah|udh|sdh)\s+(?:order|checkout|co|beli|bayar|transfer)\b"
    r"|\bbaru\s+(?:aja\s+|saja\s+)?(?:order|checkout|co|bayar|transfer)\b"
    r"|\bya\s+(?:lo |la |los |las )?(?:compré|compre|pedí|pedi|pagué|pague)\b|\bhice (?:el|mi) pedido\b"
    r"|\bacabo de (?:comprar|pedir|pagar|hacer (?:el|mi) pedido)\b"
)
# Someone else's order ("he ordered beef", "u ordered that"): not the viewer's own.
_SOMEONE_ELSE = re.compile(
    r"\b(?:he|she|they|you|u|ya|who|someone|everyone|nobody|bro|dad|mom)\s+(?:just\s+|already\s+)?"
    r"(?:ordered|bought|purchased|checked out|paid)\b"
)
# Something went wrong, did not happen, or happened long ago: after-sales, for staff.
_NOT_NOW = re.compile(
    r"\b(?:not|never|no|didn'?t|haven'?t|hasn'?t|wasn'?t|still|yet|last (?:week|month|year|time)|yesterday|ago"
    r"|refund|cancel|wrong|broken|broke|chưa|chua|không|khong|belum|gak|nggak|tidak|todavía|todavia|nunca|ayer"
    r"|hace)\b"
    r"|没|沒|未|还没|還沒|上次|上周|上个月|去年|昨天|退|坏|壊|まだ|昨日|先週|안 |아직|어제|ยัง|เมื่อวาน"
)
# Bought before, a past experience ("อร่อยมาก เคยซื้อแล้ว", "之前买过好几次", "ya lo compré antes, muy ricos"), not an
# order just placed: never thanked for one.
_BOUGHT_BEFORE = re.compile(
    r"\b(?:before|previously|used to|many times|several times|a few times|từng|tung|lần trước|lan truoc|hồi trước"
    r"|hoi truoc|trước đây|truoc day|pernah|dulu|sebelumnya|antes|varias veces)\b"
    r"|之前|以前|买过|買過|拍过|拍過|好几次|好幾次|前に|前回|何度も|전에|예전에|저번에|เคย"
)


# A report is short ("已拍 粉色L", "just ordered 2 white M"); a longer comment tells more (a review, a story): the
# matcher decides.
MAX_CHARS = 40


def reports_order(text: str) -> bool:
    """Does ``text`` report an order just placed (and ask nothing, complain of nothing)?"""
    if len(text or "") > MAX_CHARS:
        return False
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    if (
        not _REPORT.search(folded) or _NOT_NOW.search(folded) or _BOUGHT_BEFORE.search(folded)
        or _SOMEONE_ELSE.search(folded)
    ):
        return False
    return not reads_as_question(text)


def names_order_report(text: str) -> bool:
    """Do the words of ``text`` report an order ("已拍", "just ordered", "udah checkout"), whatever else it says?"""
    return _REPORT.search(unicodedata.normalize("NFKC", text or "").casefold()) is not None


def bought_before(text: str) -> bool:
    """Does ``text`` say the viewer bought before ("อร่อยมาก เคยซื้อแล้ว", "I've bought this before, so tasty"): a past
    experience, which the thank-you FAQ ("thanks for your order, it ships in 48 hours") does not answer?"""
    return _BOUGHT_BEFORE.search(unicodedata.normalize("NFKC", text or "").casefold()) is not None


def asks_without_report(text: str) -> bool:
    """A question that reports no order ("kak checkoutnya gimana, aku baru pertama": how to check out): the thank-you
    FAQ ("thanks for your order, it ships in 48 hours") does not answer it, however close its words ("checkout")."""
    return reads_as_question(text) and not names_order_report(text)


def thanks_faq(snapshot: CatalogSnapshot, product_id: str | None) -> str | None:
    """The catalog's one purchase FAQ whose example questions are mostly order reports, for ``product_id`` or for
    every product (a product's own wins); None when there is none, or more than one."""
    return one_faq(snapshot, product_id, PURCHASE_INTENT, _mostly_reports)


@functools.lru_cache(maxsize=1024)
def _mostly_reports(questions: tuple[str, ...]) -> bool:
    """Are most of a FAQ's example ``questions`` order reports? Cached per example tuple (asked on every unsure report)."""
    return sum(1 for q in questions if reports_order(q)) * 2 > len(questions)
