"""What the matcher's decision becomes once the comment's own words are read (pure; applied to every decision by the
engine): the structured answer (bot/structured.py) when the comment is a variant / attribute / size question the
catalog answers exactly; the reroutes of questions the matcher was unsure of to the FAQ that answers their kind
(shipping abroad: bot/ship_abroad.py; order reports: bot/order_report.py); and the guards that hand an answer of
another kind to staff (bot/guards.py: a person, a destination, another thing's price or attribute; bot/sibling_kind.py:
a usual size, return postage, several items, two variants compared, a guide or advice; bot/uncovered_topic.py: a topic —
halal, warranty, dishwasher, best seller … — that nothing the answer comes from speaks of; another product's own FAQ
when the comment names no product; bot/compare_point.py: which option has more of something;
bot/earlier_product.py: a product shown earlier, not named; bot/order_request.py: an order typed into the chat) — and a
problem with goods received (bot/after_sales.py) to staff whatever the matcher made of it. Before the structured
reading: a discount asked for several items is the multi-buy FAQ's (bot/multi_buy.py), how many pieces / packs / pairs
a set holds its counted attribute (bot/contents_count.py); when there is none, a bare "how much" about the product is
its price (bot/how_much.py); last, an exchange or a return asked is the exchange / returns FAQ's, never a size, fit or
stock answer (bot/exchange_ask.py).
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.absent_value import absent_decision
from bot.after_sales import AFTER_SALES, reports_received_problem
from bot.answer_fit import (
    WHICH_TO_GET,
    answer_texts,
    freshness_decision,
    one_products_answer,
    property_of_a_thing_attribute,
    speaks_of_property,
    stock_reading,
)
from bot.attribute_subject import about_another_thing
from bot.compare_other import OTHER_SIDE, compares_with_another
from bot.compare_point import COMPARISON_POINT, asks_comparison_point, faq_answers_a_choice
from bot.contents_count import contents_decision
from bot.earlier_product import EARLIER_PRODUCT, refers_to_earlier_product
from bot.exchange_ask import exchange_decision
from bot.exchange_words import EXCHANGE, asks_if_exchangeable
from bot.faq_kinds import (
    EXCHANGE_REASON,
    MULTI_BUY,
    MULTI_BUY_KIND,
    SIZE_ADVICE,
    SIZE_ADVICE_KIND,
    kind_faq,
    kind_intent,
)
from bot.fresh_words import names_freshness
from bot.guards import (
    DESTINATION,
    OTHER_ATTRIBUTE,
    OTHER_THING,
    PERSON,
    about_own_product,
    asks_about_person,
    names_destination,
    names_only,
    names_place,
)
from bot.how_much import bare_price
from bot.messages import Comment
from bot.multi_buy import discount_read_as_stock, multi_buy
from bot.multi_buy_words import asks_discount_for_several
from bot.order_report import (
    BOUGHT_BEFORE,
    NOT_A_REPORT,
    ORDER_REPORTED,
    asks_without_report,
    bought_before,
    reports_order,
    thanks_faq,
)
from bot.order_request import ORDER_REQUEST, is_order_request
from bot.pipeline import (
    ANSWER,
    EXACT_MATCH,
    NOT_ASKED,
    RECOMMEND,
    SILENT,
    STAFF,
    CatalogView,
    Decision,
    Understanding,
)
from bot.recommend_ask import FREEBIE, STATEMENT, asks_what_to_get, not_a_request
from bot.remark import REMARK, is_remark
from bot.sells_question import ASKS_IF_SOLD, asks_if_sold
from bot.ship_abroad import SHIPPING_INTENT, SHIPS_ABROAD, abroad_faq, asks_shipping_abroad
from bot.sibling_kind import (
    GUIDE_OR_ADVICE,
    PRICE_COMPARISON,
    RETURN_POSTAGE,
    SEVERAL,
    TWO_VALUES,
    USUAL_SIZE,
    asks_for_several,
    asks_guide_or_advice,
    asks_price_comparison,
    asks_size_advice,
    names_return,
    names_two_values,
)
from bot.slots import Slots, reads_as_question
from bot.staff_only import ASKS_FOR_PERSON, ORDER_PROBLEM, answer_written_for, staff_only
from bot.structured import STRUCTURED, structured_decision
from bot.uncovered_topic import UNCOVERED_TOPIC, uncovered_topics
from bot.value_property import VALUE_PROPERTY, tells_of_own_goods
from bot.variant_advice import CHOICE_ASKED, MEASURES_GIVEN, asks_choice, variant_advice
from catalog.langs import foreign_script
from catalog.snapshot import CatalogSnapshot, FaqInfo
from catalog.text import fold_text, has_han

MAX_RECOGNISED_CHARS = 300  # longest comment prefix the slot recogniser scans
COMPLAINT = "complaint"  # the intent of after-sales complaints (data/intents.yaml)
OTHER_PRODUCT_FAQ = "another product's own FAQ, and the comment names no product: it asks about the one on stage"


def with_structured(c: Comment, u: Understanding, d: Decision, view: CatalogView) -> Decision:
    """:func:`_with_structured`, then a remark stays silent: "¡Ese rojo se ve precioso!" → the red's price,
    "양말까지팔아ㅋㅋㅋ" → the socks' material: admiration, regret or laughter with no question cue asks nothing
    (bot/remark.py)."""
    decided = _with_structured(c, u, d, view)
    if decided.band in (ANSWER, RECOMMEND) and is_remark(c.text[:MAX_RECOGNISED_CHARS]):
        return replace(decided, band=SILENT, reason=f"{decided.reason}; {REMARK}")
    return decided


def _with_structured(c: Comment, u: Understanding, d: Decision, view: CatalogView) -> Decision:
    """The FAQ decision, or the structured one when the comment is a variant/attribute question the catalog answers
    exactly and no staff FAQ for that product matched (bot/structured.py). The recogniser reads the comment as
    typed (capped), not the normalised form, which always ends in "?"."""
    if view.recogniser is None:
        return d
    if len(c.text) > MAX_RECOGNISED_CHARS:
        # every check below reads at most this prefix: the guards scan the text word by word, and a 5,000-character
        # comment cost ~0.8 s in them (h/review8); the matcher itself reads only max_embed_chars
        c = replace(c, text=c.text[:MAX_RECOGNISED_CHARS])
    slots = view.recogniser.recognise(c.text)
    if (
        d.band == STAFF and d.reason.startswith("intent ") and d.intent == COMPLAINT and not d.intent_keyword
        and slots.qtype == "attribute" and slots.property_asked and not tells_of_own_goods(c.text)
        and not reports_received_problem(c.text)
    ):
        # "does the white one shrink after washing" → a complaint by similarity to "洗了一次就缩水了": a question about a
        # property of a variant asked before buying (a predicate of the closed list, bot/property_words.py), which the
        # product's attribute answers (its care); nobody tells of goods they have. Answered as if no intent had been
        # guessed, else it stays with staff as it was
        asked = with_structured(c, u, replace(d, band=SILENT, reason="below threshold"), view)
        return asked if asked.band == ANSWER and asked.path == STRUCTURED else d
    decided = _with_slots(c, u, d, view, slots)
    policy = exchange_decision(c.text, u, decided, slots, view)
    if policy is not None:
        # "kak bisa tuker ukuran kalo kekecilan?" → the shoes' fit: an exchange or a return asked about a size is the
        # exchange / returns FAQ's (bot/exchange_ask.py), never a size, fit or stock answer
        return policy if policy.band == STAFF else other_kind(c, u, policy, view, slots)
    return discount_read_as_stock(c.text, decided) or decided


def _with_slots(c: Comment, u: Understanding, d: Decision, view: CatalogView, slots: Slots) -> Decision:
    """``with_structured`` once the comment's slots are read (before the exchange / returns reading)."""
    rerouted = multi_buy(c.text, u, d, slots, view)
    if rerouted is not None:
        # "buat parsel kantor 40 box ada diskon?" → size 40's stock, "kalo beli 2 set (kastil + dino) ada potongan?" →
        # the castle's stock: a discount asked for several items is the multi-buy FAQ's (bot/multi_buy.py)
        return other_kind(c, u, rerouted, view, slots)
    contents = contents_decision(c.text, u, d, view)
    if contents is not None:
        # "ชุดปราสาทมีกี่ชิ้นคะ" → "castle: 24 left": how many pieces / packs / pairs a set holds is the product's
        # attribute that counts them (bot/contents_count.py), not the stock
        return contents if contents.band == STAFF else other_kind(c, u, contents, view, slots)
    structured = structured_decision(u, d, slots, view)
    if structured is None:
        # "kak strollernya brp?" → the stroller's weight FAQ, "xe day nay bn vay" → staff: a bare "how much" about the
        # product is its price (bot/how_much.py)
        structured = bare_price(u, d, slots, view)
    if structured is None or (
        u.product_how == "stage" and structured.product_id != u.product_id and structured.qtype in _STOCK_READINGS
    ):
        # "¿Tienen la chamarra en color rojo?", "这个没有黑色的吗" (the stroller), "I'm a 45 EU, do you have anything that
        # big?": a colour, size or flavour the product lacks, which the recogniser (the catalog's own values) does not
        # read → "not offered" and what is in stock (bot/absent_value.py); "¿La tienen en talla S?" with the jacket (M–XXL)
        # on stage is about the jacket, not the tee that has an S
        structured = absent_decision(c.text, u, d, slots, view) or structured
    if (
        structured is not None and structured.qtype == "price" and not structured.asked
        and prices_another_thing(u, slots, structured.product_id, view)
    ):
        # a plain price question that names something the product's own words do not ("cup price?", "el termo",
        # "水筒いくら", shoes on stage): maybe another product or one the shop does not sell, not the stage product's price
        return replace(d, band=STAFF, reason=OTHER_THING) if d.band in (SILENT, STAFF) else other_kind(c, u, d, view, slots)
    if (
        structured is not None and structured.qtype in ("attribute", "which")
        and attribute_of_another_thing(c, u, slots, structured.product_id, view)
    ):
        # "舰长都什么成分啊", "what is your mic made of", "你家猫几斤" (the tee / the stroller on stage): the attribute of
        # something the product's own words do not name, not the stage product's material or weight; "tóc chị màu gì"
        # (the host's hair) is not a question about the colours in stock
        return replace(d, band=STAFF, reason=OTHER_ATTRIBUTE) if d.band in (SILENT, STAFF) else other_kind(c, u, d, view, slots)
    if structured is not None and structured.qtype in _STOCK_OR_PRICE and asks_size_advice(c.text):
        # "calzo 40, cuál pido?", "biasa pakai 42, ambil berapa" (the shoes): the size the viewer usually wears, asking
        # which to take — size advice, not size 40's stock or price; the FAQ decision (a size-advice FAQ) may answer,
        # and an unsure one becomes the product's own size FAQ when it advises
        if d.band in (SILENT, STAFF):
            return size_advice(c, u, d, view) or replace(d, band=STAFF, reason=USUAL_SIZE)
        return other_kind(c, u, d, view, slots)
    if slots.property_asked and _reads_value_stock(d, structured, view):
        # "白色的能用漂白剂吗" → "白色目前有货…", "is the L big?" → "size L: 12 left", "네이비 XL 작게 나와요?" → the stock
        # FAQ: a property of the value (a predicate of the closed list, bot/property_words.py), not its stock; a FAQ of
        # the product that matched (care, size advice) still answers
        return _property_asked(c, u, d, view, slots)
    if structured is not None and structured.qtype in _STOCK_OR_PRICE and names_two_values(slots.values, structured.product_id):
        # "LとXLはどれくらい違う？" → "L: 12 left" (0.89), "白色和黑色价格一样吗" → "白色79元": two variants compared,
        # one answered
        return replace(d, band=STAFF, reason=TWO_VALUES) if d.band in (SILENT, STAFF) else other_kind(c, u, d, view, slots)
    if structured is not None and structured.qtype in _STOCK_READINGS and asks_price_comparison(c.text):
        # "핑크만 더 비싸요?", "yang pink lebih mahal ya?" → "pink: 5 left": whether it costs more, not whether it is left
        return replace(d, band=STAFF, reason=PRICE_COMPARISON) if d.band in (SILENT, STAFF) else other_kind(c, u, d, view, slots)
    if structured is not None and structured.qtype == "which" and asks_guide_or_advice(c.text):
        # "どの色が細く見える？" → "colours in stock: black, cream, navy" (0.83): advice asked, not what is left
        return replace(d, band=STAFF, reason=GUIDE_OR_ADVICE) if d.band in (SILENT, STAFF) else other_kind(c, u, d, view, slots)
    if structured is not None and structured.qtype in _STOCK_OR_PRICE:
        advice = variant_advice(c.text)
        if advice is not None:
            # "castle or dino?" → "castle: 24 left", "처음 써보는데 30ml부터 사는 게 나을까요?" → "30ml in stock", "05 rosewood
            # 웜톤한테 괜찮아요?" → "#05 in stock", "da ngam nen chon mau nao shop" → the shades left: a choice, a skin
            # tone's shade or a colour's look in real life asked (bot/variant_advice.py); the product's comparison or
            # advice FAQ still answers
            return _advice_asked(c, u, d, view, slots, advice)
        if slots.body and not slots.stock_asked and structured.qtype in _STOCK_READINGS:
            # "여자 235 신는데 여성용 맞죠?" → "women's: 120 left" (the socks, no size chart): measurements ask whether it
            # fits, unless a stock word asks the stock ("size L màu navy còn ko, mình 1m70 65kg …")
            return replace(d, band=STAFF, reason=MEASURES_GIVEN) if d.band in (SILENT, STAFF) else other_kind(
                c, u, d, view, slots)
    if names_freshness(c.text) and stock_reading(structured or d, view):
        # "is it fresh stock?" → the stock FAQ: whether the goods are fresh (when they were made), which the product's
        # shelf-life FAQ answers (bot/fresh_words.py, bot/faq_kinds.py), else staff
        return freshness_decision(u, d, view)
    if (
        asks_what_to_get(c.text) and not slots.values and not asks_size_advice(c.text)
        and one_products_answer(structured or d, view)
    ):
        # "乾燥肌にはどれがおすすめ？" → the serum's skin-type FAQ, "지성 피부는 어떤 거 추천해요?" → its skin_type: which of
        # the shop's products to take, which one product's own answer does not choose (the intent route recommends
        # when it is sure, bot/pipeline.py)
        return replace(d, band=STAFF, reason=WHICH_TO_GET)
    if property_of_a_thing_attribute(slots, structured or d, view):
        # "包装袋是什么材质的" → the tee's fabric FAQ, "túi xách … chất liệu gì" → the tee's material: the material of the
        # packaging (an attribute that is a thing), which the product's own material does not answer
        return replace(d, band=STAFF, reason=OTHER_ATTRIBUTE)
    if slots.property_asked and not speaks_of_property(structured or d, slots.property_asked, view):
        # "白灰色的鞋底会发黄吗" → the sole's material, "흰색 입으면 누래지나요?" → the tee's fabric: a property of a variant
        # (a predicate of the closed list, bot/property_words.py) that the answer about to be given does not speak of
        return replace(d, band=STAFF, reason=VALUE_PROPERTY)
    if structured is not None:
        return other_kind(c, u, structured, view, slots)
    if d.band == RECOMMEND and not slots.request and _zh_or_en(c.text):
        # "好可爱 我家宝宝也要": a statement, not a request for advice — recommending would answer what nobody asked
        return replace(d, band=SILENT, reason=f"{d.reason}; a statement, not a request")
    d = other_kind(c, u, d, view, slots)
    refused = not_a_request(c.text) if d.band == RECOMMEND else None
    if refused is not None:
        # "trời ơi rẻ thế" (a statement) stays silent; "送妈妈 有礼盒吗", "선물 포장 돼요?" (yes/no questions about the
        # product or the shop) go to staff: a recommendation answers only a request for one (bot/recommend_ask.py).
        # After the other checks: "e mới đặt 1 chai 30ml rồi nha" is an order report, thanked by its FAQ
        # A free gift asked for ("mua xe đẩy có tặng kèm gì ko shop") stays silent too: no FAQ answered it confidently
        return replace(d, band=SILENT if refused in (STATEMENT, FREEBIE) else STAFF, reason=f"{d.reason}; {refused}")
    return d


def other_kind(c: Comment, u: Understanding, d: Decision, view: CatalogView, slots: Slots) -> Decision:
    """An answer to a question of another kind goes to staff (bot/guards.py): the comment asks about the host as a
    person ("what size is the host wearing": not the sizes in stock), names a destination abroad that the matched
    shipping FAQ does not cover ("free shipping to Canada?": not the domestic free-shipping answer), or asks the
    price or an attribute of something the stage product's own words do not name ("카시트 가격", the stroller on stage;
    "窗帘什么材质", the tee on stage)."""
    if d.band != STAFF and not u.empty and reports_received_problem(c.text):
        # "신발 받았는데 한쪽이 더러워요" → the shoes' weight (0.95), "nhan binh bi mop 1 goc" → silent: a problem with
        # goods received is after-sales, which only staff can handle
        return replace(d, band=STAFF, reason=AFTER_SALES)
    staff_kind = only_staff_handles(c, u, d, view)
    if staff_kind is not None:
        # "我付了两次钱 扣了1598 怎么退一笔", "can you hold the burgundy one for me till friday?" (silent, or the
        # burgundy's stock): an order problem, a person asked for, a request only staff can grant (bot/staff_only.py)
        return replace(d, band=STAFF, reason=staff_kind)
    person = asks_about_person(c.text) and not slots.body  # "主播 身高170体重120斤穿什么码" gives the viewer's own measures
    # a question about the host beside a shipping one ("主播穿多大码 寄美国吗") is not answered with where the shop ships
    rerouted = (
        (None if person else shipping_abroad(c, d, view)) or order_reported(c, d, view) or faq_of_kind(c, d, view)
        or (None if person else size_advice(c, u, d, view))
    )
    if rerouted is not None:
        return _topic_checked(c, rerouted, view)
    if d.band == RECOMMEND and asks_comparison_point(c.text):
        # "which is thicker, black or white?" → "You might like: the tee (the one on stage)": a comparison point asked
        return replace(d, band=STAFF, reason=COMPARISON_POINT)
    if d.band == RECOMMEND and d.product_id is not None and compares_with_another(c.text, d.product_id, view.snapshot):
        # "优衣库的跟这个比哪个好" → "You might like: …": a comparison with another brand's product, for a person
        return replace(d, band=STAFF, reason=OTHER_SIDE)
    if d.band == RECOMMEND and names_two_values(slots.values, d.product_id):
        # "camel or oatmeal, which goes better with a grey coat" → "You might like: the scarf (on stage)": a choice
        # between two of the product's variants, which recommending the product does not make
        return replace(d, band=STAFF, reason=TWO_VALUES)
    if d.band == RECOMMEND and any(pid == u.product_id for pid, _a, _v in slots.values):
        # "nên mua chai 50ml không shop" → "You might like: the serum (on stage)": whether to take one of the product's
        # variants, a choice or advice that recommending the product does not make
        advice = variant_advice(c.text)
        if advice is not None:
            return replace(d, band=STAFF, reason=advice)
    if d.band == RECOMMEND and u.product_how != "named" and refers_to_earlier_product(c.text):
        return replace(d, band=STAFF, reason=EARLIER_PRODUCT)
    if d.band != ANSWER:
        return d
    if person:
        return replace(d, band=STAFF, reason=PERSON)
    faq = view.snapshot.faqs.get(d.faq_id) if d.path != STRUCTURED and d.faq_id else None
    if faq is not None and _another_products_faq(faq, u):
        # "能机洗吗" (the down jacket on stage) → the tee's care FAQ, "선물 포장 돼요?" (the tee) → the lipstick's gift
        # box: no product named, so the FAQ of a product that is not the one asked about answers another question
        return replace(d, band=STAFF, reason=OTHER_PRODUCT_FAQ)
    if uncovered_topics(c.text, answer_texts(d, faq, view.snapshot)):
        # "kacangnya halal kak?" → the nuts' allergy FAQ (0.86), "哪个颜色卖得最好" → the colours in stock (0.95): the
        # comment names a topic (halal, best seller, warranty …) that nothing the answer comes from speaks of
        return replace(d, band=STAFF, reason=UNCOVERED_TOPIC)
    if u.product_how != "named" and refers_to_earlier_product(c.text) and _about_the_product(d, faq):
        # "上一个还有货吗" → the tee's stock list at 0.98 (the tee on stage, the stroller shown before it): the product
        # shown earlier, which the comment does not name, is not the one the answer speaks of
        return replace(d, band=STAFF, reason=EARLIER_PRODUCT)
    if asks_comparison_point(c.text) and not (
        faq is not None and (faq.intent == "compare" or faq_answers_a_choice(faq.questions))
    ):
        # "どっちが軽い？" → the shoes' weight, "42和43哪个库存多" → one size's stock: which option has more of something,
        # not one option's value (a FAQ written for the choice, the thermos's 350-vs-500, still answers)
        return replace(d, band=STAFF, reason=COMPARISON_POINT)
    if asks_if_sold(c.text) and (
        (faq is not None and faq.product_id is not None) or (d.path == STRUCTURED and d.qtype == "attribute")
    ):
        # "有卖防晒霜吗" → the serum's usage FAQ ("use sunscreen by day"), "do u guys sell basketball shoes too" → the
        # shoes' use ("not for basketball"): whether the shop sells a thing, which a product's FAQ or attribute does not say
        return replace(d, band=STAFF, reason=ASKS_IF_SOLD)
    if (
        faq is not None and d.product_id is not None and (faq.intent == "compare" or faq_answers_a_choice(faq.questions))
        and compares_with_another(c.text, d.product_id, view.snapshot)
    ):
        # "这个和小棕瓶比哪个好用" → the serum's 30-vs-50 ml FAQ: a FAQ for a choice between the product's own options
        # does not answer a comparison with another brand's product ("how thick is it compared to a normal tee?" →
        # the tee's fabric FAQ, not a choice, still answers)
        return replace(d, band=STAFF, reason=OTHER_SIDE)
    if faq is not None and asks_without_report(c.text) and thanks_faq(view.snapshot, d.product_id) == faq.id:
        # "kak checkoutnya gimana, aku baru pertama" → "thanks for your order, it ships in 48 h" (0.95, "udah checkout
        # kak"): a question that reports no order is not thanked for one
        return replace(d, band=STAFF, reason=NOT_A_REPORT)
    if faq is not None and bought_before(c.text) and thanks_faq(view.snapshot, d.product_id) == faq.id:
        # "ya lo compré antes, muy ricos" → "thanks for your order, it ships in 48 h" (the example "ya lo compré"):
        # bought before is a past experience, a remark, not an order to thank for
        return replace(d, band=SILENT, reason=BOUGHT_BEFORE)
    if is_order_request(c.text) and _about_stock_or_price(d, faq):
        # "给我来两件黑色M" → "有的,黑色M码现货充足": an order typed into the chat, answered as if it were taken
        return replace(d, band=STAFF, reason=ORDER_REQUEST)
    if asks_size_advice(c.text) and not _advises_size(d, faq):
        return replace(d, band=STAFF, reason=USUAL_SIZE)
    if faq is not None and _stock_price_or_list(faq):
        # "캐멀 색상 실물이 더 진해요?" → the colours-in-stock FAQ (0.82), "which colour should I get?" → the colours left:
        # a choice, a skin tone or a colour's look in real life asked, which a stock, price or list FAQ does not answer
        advice = variant_advice(c.text)
        if advice is not None:
            return replace(d, band=STAFF, reason=advice)
        if slots.body and not slots.stock_asked and faq.intent != "ask_price":
            return replace(d, band=STAFF, reason=MEASURES_GIVEN)
    if (
        faq is not None and faq.product_id is not None and d.product_id is not None
        and names_two_values(slots.values, d.product_id) and asks_choice(c.text)
        and not (faq.intent in ("compare", "ask_size") or faq_answers_a_choice(faq.questions))
    ):
        # "anakku 4 tahun, bagusnya ambil yang kastil atau dinosaurus?" → the blocks' age FAQ (the age is context): a
        # choice between two of the product's variants, which a FAQ of another question does not make
        return replace(d, band=STAFF, reason=CHOICE_ASKED)
    if faq is not None and names_destination(c.text, faq.intent, faq.questions):
        return replace(d, band=STAFF, reason=DESTINATION)
    if (
        faq is not None and faq.intent == SHIPPING_INTENT and names_return(c.text)
        and not any(names_return(q) for q in faq.questions)
    ):
        # "返品送料は無料ですか" → the free-shipping FAQ at 0.97: the postage of a parcel sent back, not of the delivery
        return replace(d, band=STAFF, reason=RETURN_POSTAGE)
    if (
        faq is not None and faq.product_id is None and faq.intent in _ONE_VARIANT_INTENTS
        and names_two_values(slots.values, d.product_id)
    ):
        return replace(d, band=STAFF, reason=TWO_VALUES)
    if faq is not None and faq.product_id is None and _lists_what_is_left(faq) and asks_guide_or_advice(c.text):
        # "有尺码表吗" → the sizes-in-stock FAQ at 0.89: a size chart asked for, not the sizes left
        return replace(d, band=STAFF, reason=GUIDE_OR_ADVICE)
    if _unit_price(d, faq) and asks_for_several(c.text, _own_numbers(d.product_id, view.snapshot)):
        # "two of them how much" → "79 CNY" (the price FAQ at 0.97): the multi-buy discount makes the unit price the
        # wrong sum; the multi-buy FAQ (or staff) answers it
        return replace(d, band=STAFF, reason=SEVERAL)
    if faq is not None and faq.product_id is None and faq.intent == "ask_price" and prices_another_thing(
        u, slots, d.product_id, view
    ):
        return replace(d, band=STAFF, reason=OTHER_THING)
    if (
        faq is not None and faq.product_id is not None and faq.product_id == d.product_id
        and attribute_of_another_thing(c, u, slots, d.product_id, view)
    ):
        # the stage product's own FAQ matched an attribute question about something else ("主播身后那个沙发什么面料"
        # → the tee's fabric FAQ at 0.96): the words "面料", "made of" brought it, not the thing asked about
        return replace(d, band=STAFF, reason=OTHER_ATTRIBUTE)
    return d


SPAM_INTENT = "intent spam"  # "代购大牌 私聊": an advertisement read by the intent route, not a reseller asking


def only_staff_handles(c: Comment, u: Understanding, d: Decision, view: CatalogView) -> str | None:
    """Why only staff can handle the comment (bot/staff_only.py), when ``d`` leaves it to nobody or answers it with
    something not written for it; None to keep ``d``. Silence and an unsure staff decision take the kind (its reason
    tells staff what is asked). An answer stays when its FAQ was written for the kind ("how do I cancel my order", a
    shop's cancellation FAQ; "可以刻字吗", the lipstick's engraving). Otherwise an order problem or a person asked for is
    never answered ("¿me pueden llamar? … mi pedido" → the thank-you FAQ); a request only staff grant, or an order that
    has not come, is not answered with a stock, price or list of what is left ("can you hold the burgundy one?" →
    "burgundy: 5 left" reads as held) nor with a recommendation, while another FAQ that matched confidently (the
    multi-buy discount for "kalau ambil 50 set ada harga grosir?", the delivery time for a late parcel) stays."""
    if u.empty or d.reason == SPAM_INTENT:
        return None
    kind = staff_only(c.text)
    if kind is None:
        return None
    if d.band == SILENT:
        return kind
    if d.band == STAFF:
        return kind if d.reason in _UNSURE | {NOT_ASKED} else None
    faq = view.snapshot.faqs.get(d.faq_id) if d.path != STRUCTURED and d.faq_id else None
    if faq is not None and answer_written_for(kind, faq.questions):
        return None
    if kind in (ORDER_PROBLEM, ASKS_FOR_PERSON) or d.band == RECOMMEND or _about_stock_or_price(d, faq):
        return kind
    return None


def _another_products_faq(faq: FaqInfo, u: Understanding) -> bool:
    """Is ``faq`` the own FAQ of a product the comment does not name, while it asks about another (on stage, tagged)?"""
    return (
        faq.product_id is not None and u.product_id is not None and faq.product_id != u.product_id
        and faq.product_id not in u.mentioned
    )


def _about_the_product(d: Decision, faq: FaqInfo | None) -> bool:
    """Does the answer speak of one product (a structured answer, a product's own FAQ, a template naming its stock,
    price or attributes), rather than of the shop (coupons, delivery, returns)?"""
    if d.path == STRUCTURED:
        return True
    return faq is not None and (faq.product_id is not None or any("{" in t for t in faq.answers.values()))


_STOCK_OR_PRICE_INTENTS = frozenset({"ask_stock", "ask_size", "ask_price", "ask_restock"})


def _about_stock_or_price(d: Decision, faq: FaqInfo | None) -> bool:
    """Is the answer a variant's stock, count, price or what is left (structured, or a stock / sizes / price FAQ)?"""
    if d.path == STRUCTURED:
        return d.qtype in ("stock", "count", "which", "price", "restock")
    return faq is not None and faq.intent in _STOCK_OR_PRICE_INTENTS


def _topic_checked(c: Comment, d: Decision, view: CatalogView) -> Decision:
    """A rerouted answer (shipping abroad, an order report) that does not speak of a topic the comment names goes to
    staff too ("要交关税吗 寄到日本": the international FAQ says where the shop ships, not who pays customs)."""
    if d.band != ANSWER:
        return d
    faq = view.snapshot.faqs.get(d.faq_id) if d.faq_id else None
    if uncovered_topics(c.text, answer_texts(d, faq, view.snapshot)):
        return replace(d, band=STAFF, reason=UNCOVERED_TOPIC)
    return d


# structured readings of a variant the viewer asked for: stock, count left, which values are left, its price
_STOCK_OR_PRICE = frozenset({"stock", "count", "which", "price"})
_STOCK_READINGS = frozenset({"stock", "count", "which"})


def _reads_value_stock(d: Decision, structured: Decision | None, view: CatalogView) -> bool:
    """Is the answer about to be given a variant's stock: the structured stock or count reading, or (no structured
    reading) a global stock / sizes / colours / price FAQ?"""
    if structured is not None:
        return structured.qtype in ("stock", "count")
    faq = view.snapshot.faqs.get(d.faq_id) if d.band == ANSWER and d.path != STRUCTURED and d.faq_id else None
    return faq is not None and faq.product_id is None and faq.intent in _ONE_VARIANT_INTENTS


def _property_asked(c: Comment, u: Understanding, d: Decision, view: CatalogView, slots: Slots) -> Decision:
    """The FAQ decision for a yes/no question about a property of a variant value when it is an answer that is not a
    stock list or one variant's stock or price (a FAQ of the product: care, fabric, size advice); else staff."""
    faq = view.snapshot.faqs.get(d.faq_id) if d.band == ANSWER and d.path != STRUCTURED and d.faq_id else None
    checked = other_kind(c, u, d, view, slots)
    if faq is not None and not (faq.product_id is None and faq.intent in _ONE_VARIANT_INTENTS):
        return checked
    if checked.band == STAFF and checked.reason != d.reason:
        return checked  # a more specific reason ("M 사이즈 가슴단면 몇이에요?": a garment measurement no answer speaks of)
    return replace(d, band=STAFF, reason=VALUE_PROPERTY)


def _stock_price_or_list(faq: FaqInfo) -> bool:
    """Is ``faq`` a global FAQ that answers for one variant or lists what is left (price, stock, sizes / colours /
    options in stock, restock)?"""
    return faq.product_id is None and (faq.intent in _ONE_VARIANT_INTENTS or _lists_what_is_left(faq))


def _advice_asked(c: Comment, u: Understanding, d: Decision, view: CatalogView, slots: Slots, reason: str) -> Decision:
    """The FAQ decision for a choice or advice between variants when it answers with a FAQ that is not a stock, price
    or list FAQ (the product's comparison or advice FAQ: the serum's 30-vs-50, the lipstick's shade advice); else
    staff."""
    faq = view.snapshot.faqs.get(d.faq_id) if d.band == ANSWER and d.path != STRUCTURED and d.faq_id else None
    if faq is not None and not _stock_price_or_list(faq):
        return other_kind(c, u, d, view, slots)
    return replace(d, band=STAFF, reason=reason)


def _advises_size(d: Decision, faq: FaqInfo | None) -> bool:
    """Is ``d`` an answer that may advise a size: the structured size advice or fit, or one of the product's own FAQs
    (its size-advice FAQ; a global FAQ — sizes in stock, price — answers for the size named, not for the viewer)."""
    if d.path == STRUCTURED:
        return d.qtype == "size_advice" or (d.qtype == "attribute" and d.attribute in ("fit", "size_guide"))
    return faq is not None and faq.product_id is not None


# global FAQs that answer for one variant or list what is left: price, stock, sizes / colours / options in stock
_ONE_VARIANT_INTENTS = frozenset({"ask_price", "ask_stock", "ask_size"})


def _lists_what_is_left(faq: FaqInfo) -> bool:
    """Does the FAQ answer with a list of what is in stock ({sizes_in_stock}, {colours_in_stock}, {variants_in_stock})?"""
    return any("_in_stock}" in t for t in faq.answers.values())


def _unit_price(d: Decision, faq: FaqInfo | None) -> bool:
    """Is ``d`` the price of one item: the structured price or a global price FAQ?"""
    if d.path == STRUCTURED:
        return d.qtype == "price"
    return faq is not None and faq.product_id is None and faq.intent == "ask_price"


def _own_numbers(product_id: str | None, snapshot: CatalogSnapshot) -> frozenset[str]:
    """The digits 2–9 standing alone in the product's names and aliases ("5" of "精梳棉中筒袜5双装"; not "316")."""
    product = snapshot.products.get(product_id) if product_id else None
    if product is None:
        return frozenset()
    words = " ".join([*product.name.values(), *product.aliases])
    return frozenset(re.findall(r"(?<!\d)([2-9])(?!\d)", words))


# the matcher's reasons a shipping-abroad reading may overrule: unsure, or answered (another FAQ is checked below)
_UNSURE = frozenset({"below threshold", "low confidence", "ambiguous between two FAQs", "match", EXACT_MATCH})


def shipping_abroad(c: Comment, d: Decision, view: CatalogView) -> Decision | None:
    """The catalog's international-shipping FAQ for a question about shipping to a place abroad that the matcher
    left unsure or answered with another shipping FAQ ("envían a Colombia?" at 0.51, "free shipping to US?" → the
    domestic free-shipping FAQ); None to keep ``d`` (bot/ship_abroad.py)."""
    if d.path != "faq" or d.reason not in _UNSURE or d.band not in (ANSWER, STAFF, SILENT):
        return None
    current = view.snapshot.faqs.get(d.faq_id) if d.faq_id else None
    if d.band == ANSWER and (current is None or current.intent != SHIPPING_INTENT):
        return None  # a confident answer of another kind ("good for a Canadian winter?") stays
    if not asks_shipping_abroad(c.text):
        return None
    faq_id = abroad_faq(view.snapshot, d.product_id)
    if faq_id is None or (faq_id == d.faq_id and d.band == ANSWER):
        return None
    if names_return(c.text) and not any(names_return(q) for q in view.snapshot.faqs[faq_id].questions):
        return None  # "退货寄回日本运费谁出": the postage of a parcel sent back, not where the shop delivers (other_kind)
    return replace(d, band=ANSWER, faq_id=faq_id, reason=SHIPS_ABROAD, qtype=None, attribute=None)


def faq_of_kind(c: Comment, d: Decision, view: CatalogView) -> Decision | None:
    """The catalog's multi-buy discount FAQ for "mua 2 đôi có giảm ko", its exchange FAQ for "đổi size được không"
    (bot/faq_kinds.py), when the matcher left the question unsure or answered it with another FAQ of that intent (the
    coupon FAQ); None to keep ``d``."""
    if d.path != "faq" or d.reason not in _UNSURE or d.band not in (ANSWER, STAFF, SILENT):
        return None
    if asks_discount_for_several(c.text, _own_numbers(d.product_id, view.snapshot)):
        kind, reason = MULTI_BUY_KIND, MULTI_BUY
    elif asks_if_exchangeable(c.text) and not names_place(c.text):
        # (not "can I exchange it if I'm in Canada, ship back?": the postage of a parcel sent back from abroad)
        kind, reason = EXCHANGE, EXCHANGE_REASON
    else:
        return None
    intent = kind_intent(kind)
    current = view.snapshot.faqs.get(d.faq_id) if d.faq_id else None
    if d.band == ANSWER and (current is None or current.intent != intent):
        return None  # a confident answer of another kind stays (the checks below still read it)
    faq_id = kind_faq(view.snapshot, d.product_id, kind)
    if faq_id is None or (faq_id == d.faq_id and d.band == ANSWER):
        return None
    return replace(d, band=ANSWER, faq_id=faq_id, reason=reason, qtype=None, attribute=None)


# the viewer's feet, in the room languages: a size given with them is a shoe size
_FEET_WORDS = re.compile(
    r"脚|足|발|เท้า|\b(?:foot|feet|chân|chan|kaki|pie|pies|calzo)\b"
)
_FOOTWEAR = frozenset({"shoes", "footwear", "鞋类", "鞋"})


def size_advice(c: Comment, u: Understanding, d: Decision, view: CatalogView) -> Decision | None:
    """The product's own size FAQ that advises ("runs small, take one size up") for a viewer who gives their usual size
    or feet and asks which to take ("chân mình size 40 thì lấy size nào"), when the matcher left it unsure; None to
    keep ``d``. Only for the product the comment is about (named, tagged or on stage)."""
    if d.path != "faq" or d.reason not in _UNSURE or d.band not in (STAFF, SILENT) or u.product_id is None:
        return None
    if not asks_size_advice(c.text) or not reads_as_question(c.text, types_count=False):
        return None
    product = view.snapshot.products.get(u.product_id)
    if product is None or (_FEET_WORDS.search(fold_text(c.text)) and product.category.casefold() not in _FOOTWEAR):
        return None  # a foot size with the tee on stage: not the tee's size guide
    faq_id = kind_faq(view.snapshot, u.product_id, SIZE_ADVICE_KIND, own_only=True)
    if faq_id is None:
        return None
    return replace(d, band=ANSWER, faq_id=faq_id, product_id=u.product_id, reason=SIZE_ADVICE, qtype=None,
                   attribute=None, path="faq")


def order_reported(c: Comment, d: Decision, view: CatalogView) -> Decision | None:
    """The catalog's thank-you FAQ for a viewer reporting an order ("已拍 粉色", "ya pedí los blancos") that the
    matcher left unsure, sent to staff as a statement, or answered with a recommendation ("e mới đặt 1 chai 30ml rồi
    nha" → the intent route's "compare": a report asks for no advice); None to keep ``d`` (bot/order_report.py)."""
    recommended = d.band == RECOMMEND
    if d.path != "faq" or (not recommended and (d.band not in (STAFF, SILENT) or d.reason not in _UNSURE | {NOT_ASKED})):
        return None
    if not reports_order(c.text):
        return None
    faq_id = thanks_faq(view.snapshot, d.product_id)
    if faq_id is None:
        return None
    return replace(d, band=ANSWER, faq_id=faq_id, reason=ORDER_REPORTED, qtype=None, attribute=None)


def attribute_of_another_thing(c: Comment, u: Understanding, slots: Slots, product_id: str | None, view: CatalogView) -> bool:
    """An attribute question whose subject is not ``product_id``'s own words, the product not named but taken from the
    stage: "舰长都什么成分啊" with the tee on stage asks about the 舰长, not the tee's material; "¿de qué material es tu
    micrófono?" about the mic (es, vi, id, ja, ko, th: bot/attribute_subject.py)."""
    if u.product_how == "named" or product_id is None:
        return False
    if (
        slots.attribute_rest and _zh_or_en(c.text)
        and not about_own_product(slots.attribute_rest, product_id, view.snapshot)
    ):
        return True
    # a question about the host as a person ("chị mặc size gì") keeps its own reason (other_kind)
    return not asks_about_person(c.text) and about_another_thing(c.text, u.lang, product_id, view.snapshot)


def prices_another_thing(u: Understanding, slots: Slots, product_id: str | None, view: CatalogView) -> bool:
    """A plain price question whose leftover words are not ``product_id``'s own words: "cup price?" with the shoes on
    stage asks about something else, and so does "유모차 컵홀더 얼마예요?" / "ベビーカーの日よけだけ買えますか？いくら？"
    with the stroller named (a part or an accessory of it, which the product's price is not)."""
    return (
        bool(slots.price_rest) and product_id is not None
        and not names_only(slots.price_rest, product_id, view.snapshot)
    )


def _zh_or_en(text: str) -> bool:
    """Written in Chinese or plain English, the languages whose request words the recogniser knows."""
    return foreign_script(text, "zh") is None and (has_han(text) or text.isascii())
