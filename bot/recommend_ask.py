"""Does a comment ask for a suggestion? A recommendation answers only a request for one.

The recommendation intent is guessed by similarity to its examples, and a yes/no question about the product or the
shop ("送妈妈 有礼盒吗", "선물 포장 돼요?", "can you gift wrap it?") or an exclamation ("trời ơi rẻ thế") lands near
them. A request for a suggestion names what to choose or how: a suggestion word (推荐, recommend, おすすめ, 추천,
แนะนำ, gợi ý, rekomendasi, recomienda), a "what / which" to buy, an open object ("something", "anything", "有…的吗",
"cheaper"), or two options to compare ("A or B", "A和B"). Without any of these the comment is not a request for a
suggestion: ``not_a_request`` says whether it is a yes/no question (the FAQ or staff decide) or a statement (silent).

Pure: the comment's text only. Data, written for this project; one place.
"""

from __future__ import annotations

import re
import unicodedata

from bot.slots import reads_as_question
from bot.uncovered_topic import named_topics

__all__ = ["FREEBIE", "STATEMENT", "YES_NO", "asks_for_suggestion", "asks_what_to_get", "not_a_request"]

YES_NO = "a yes/no question, not a request for a suggestion"
STATEMENT = "a statement, not a request for a suggestion"
# "mua xe đẩy có tặng kèm gì ko shop", "买推车送什么赠品吗", "おまけは付きますか": what comes free with the purchase
# (the topic "free gift" of bot/uncovered_topic.py), not what to buy — whatever "what" it says
FREEBIE = "a free gift with the purchase asked, not a request for a suggestion"

_SUGGESTION = re.compile(unicodedata.normalize("NFKC",  # matched on NFKC text: Thai ำ is decomposed there
    # zh
    r"推荐|介绍|买什么|买啥|买哪|什么好|啥好|哪个|哪款|哪种|哪一|选哪|送什么|送啥|什么|啥|便宜|平价|划算|性价比|适合|的吗|的呢|的么"
    r"|还是|和.{1,12}(?:比|哪)|跟.{1,12}(?:比|哪)|区别"
    # en
    r"|recommend|suggest|\bideas?\b|\bwhat\b|\bwhich\b|\bsomething\b|\banything\b|\bbest\b|cheaper|\bbetter\b"
    r"|\bgood for\b|\bor\b|\bvs\.?\b|differen|\bsuitable\b|should i"
    # ja
    r"|おすすめ|オススメ|お勧め|お薦め|何が|何を|なにが|なにを|どれ|どっち|どちら|どの|違い|安い|向け|ような"
    # ko
    r"|추천|뭐가|뭘|무엇|뭐 사|어떤|어느|좋을까|나을까|차이|싼|저렴|또는|아니면|랑.{0,10}중"
    # th
    r"|แนะนำ|อะไรดี|อะไร|ไหนดี|อันไหน|ตัวไหน|แบบไหน|ถูกกว่า|ต่างกัน|หรือ"
    # vi
    r"|gợi ý|goi y|tư vấn|tu van|nên mua|nen mua|nên chọn|nen chon|\bnào\b|\bnao\b|\bgì\b|\bgi\b|rẻ hơn|re hon"
    r"|khác nhau|khac nhau|\bhoặc\b|phù hợp|phu hop"
    # id
    r"|rekomendasi|rekomen|saran|\bmana\b|\bapa\b|mending|lebih murah|bedanya|\batau\b|cocok"
    # es
    r"|recomiend|recomend|sugier|suger|\bcuál|\bcual|\balgo\b|más barat|mas barat|diferencia|\bo\b"
    r"|\bqu[ée]\b(?!\s+(?:barat|bonit|lind|car[oa]|buen|guap|padre|chul|ric[oa]|maravill|bell|hermos|precios))"
    r"|\bpara\b.{0,20}\?"
))


# Vietnamese "hay" (or: "đen hay trắng") is Spanish "hay" (there is): an option word only in Vietnamese text
_VI_OR = re.compile(r"\bhay\b")
_VI_LETTERS = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")


# An open request for what to get, narrower than a request word: what to buy / give, what is good ("엄마 선물로 뭐가
# 좋아요?", "¿qué le regalo a mi abuela?", "送妈妈买什么好"). A FAQ whose example questions ask something of the product
# ("명절 선물로 괜찮을까요?": is it fine as a holiday gift, "送礼有手提袋吗") does not answer it; a recommendation does.
_WHAT_TO_GET = re.compile(unicodedata.normalize("NFKC",
    r"买什么|买啥|送什么|送啥|什么好|啥好|选什么|推荐什么|推荐个|推荐一下|有什么推荐"
    r"|what (?:should|can|could|do) (?:i|we) (?:get|buy|give)|what (?:do|would) you (?:recommend|suggest)"
    r"|what(?:'s| is) (?:good|best|nice) (?:for|as)|what to (?:get|buy|give)|gift ideas?|any (?:ideas|suggestions)"
    r"|何がいい|なにがいい|何を買|何をあげ|何を贈|何にしよう|おすすめは"
    r"|뭐가 좋|뭘 사|뭐 사|뭐 살|뭐가 나을|어떤 게 좋|어떤 걸 사|뭘 선물|뭐 선물|추천해"
    r"|อะไรดี|ซื้ออะไร|ให้อะไร|แนะนำอะไร"
    r"|mua gì|mua gi\b|tặng gì|tang gi\b|nên chọn gì|cái gì tốt|gì thì tốt|nên mua cái nào"
    r"|beli apa|kado apa|hadiah apa|apa yang bagus|bagusnya apa|enaknya beli apa"
    r"|qu[ée] (?:le |les |me |te )?(?:regal|compr|recomiend)|qu[ée] es bueno|qu[ée] me sugier|recomi[ée]ndame"
    # which one to take, asked of the shop's products ("油皮用哪个", "推荐买哪个", "which one should I get", "どれがおすすめ",
    # "어떤 거 추천", "ใช้ตัวไหนดี", "nên dùng cái nào", "cocoknya yang mana", "cuál me recomiendas"): a FAQ of one product
    # that says whom it suits does not choose among them
    r"|[用买选挑入拿]哪[个款种一]|推荐哪|哪[个款种]好|哪[个款种]合适|哪[个款种]比较好|有推荐的"
    r"|which (?:one|product|of these|of them) (?:should|would|do you|to|is best|is better)|which (?:one|product) for\b"
    r"|どれが(?:おすすめ|いい|良い)|どれを(?:買|選)|どっちが(?:おすすめ|いい)"
    r"|어떤 ?(?:거|걸|게|제품) ?(?:추천|좋|써야|사야)|뭐 ?써야|뭘 ?써야"
    r"|(?:ใช้|ซื้อ|เลือก)?(?:ตัว|อัน|แบบ)ไหนดี|ควรใช้(?:ตัว|อัน)ไหน|ควรซื้อ(?:ตัว|อัน)ไหน"
    r"|nên (?:dùng|mua|chọn|lấy) (?:cái|loại|sp|sản phẩm) nào|nen (?:dung|mua|chon|lay) (?:cai|loai|sp|san pham) nao"
    r"|(?:cocok|cocoknya|bagus|bagusnya|pilih|ambil|beli) (?:yang )?mana|yang mana (?:yang )?(?:cocok|bagus)"
    r"|cu[áa]l (?:me )?(?:recomiend|compr|elij|escoj|llev)|cu[áa]l (?:es )?(?:mejor|el mejor|la mejor) para"
))


def asks_what_to_get(text: str) -> bool:
    """Does ``text`` ask openly what to get or what is good (not about a product: "뭐가 좋아요?", "qué le regalo")?"""
    return _WHAT_TO_GET.search(unicodedata.normalize("NFKC", text or "").casefold()) is not None


def asks_for_suggestion(text: str) -> bool:
    """Does ``text`` ask for a suggestion (a suggestion word, what/which to buy, an open object, two options)?"""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    if _VI_OR.search(folded) and _VI_LETTERS.search(folded):
        return True
    return _SUGGESTION.search(folded) is not None


def not_a_request(text: str) -> str | None:
    """``FREEBIE``, ``YES_NO`` or ``STATEMENT`` when ``text`` does not ask for a suggestion, else None."""
    if "free gift" in named_topics(text):
        return FREEBIE
    if asks_for_suggestion(text):
        return None
    return YES_NO if reads_as_question(text) else STATEMENT
