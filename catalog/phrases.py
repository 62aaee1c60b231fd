"""The built-in wording of the bot's own sentences (structured answers, recommendations, stock words), per language.

One place for all of it: every phrase is a template with named fields (`{label}`, `{total}` …) filled by
:func:`phrase`; the fields are the bot's own values (names, numbers), never re-parsed. Written for this project in
zh, en, ja, ko, th, vi, id and es; a language without a phrase is not answered in by built-in sentences (the room's
fallback policy applies: English, the room's main language, or staff).

Style: short chat replies, polite but not stiff (です/ます in Japanese, 해요체 in Korean, no gendered particles in
Thai, "ạ" in Vietnamese answers, everyday Indonesian, neutral Latin-American/European Spanish). Korean sentences avoid
은/는 after a name (the particle depends on the name's last sound). For the same reason English and Spanish sentences
never put a verb right after a name ("CloudLite Running Shoes: 399 CNY", "Yes, in stock: …", never "… is 399 CNY"):
whether a name is plural cannot be told from the name ("Socks (5 pairs)", "Lens", "Glasses Case"), and the colon
form reads right for both; a shop that wants a full sentence rewords it per product (`wording:`).
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from catalog.errors import CatalogError
from catalog.langs import primary

__all__ = ["LANGS", "OVERRIDABLE", "PHRASES", "MissingText", "attr_name", "has_phrases", "override_problem", "phrase"]


class MissingText(CatalogError):
    """A reply in `lang` needs a text the catalog or the phrasebook does not have in that language (or its script).

    `what` says which ("no ja name for product 'tee'"); the bot then applies the room's fallback policy and records
    this on the comment.
    """

    def __init__(self, lang: str, what: str) -> None:
        super().__init__(what)
        self.lang = lang
        self.what = what


_T = dict[str, str]

PHRASES: Mapping[str, _T] = {
    # ---------------------------------------------------------------- joining words
    "list_sep": {"zh": "、", "en": ", ", "ja": "、", "ko": ", ", "th": ", ", "vi": ", ", "id": ", ", "es": ", "},
    "sentence_sep": {"zh": "", "en": " ", "ja": "", "ko": " ", "th": " ", "vi": " ", "id": " ", "es": " "},
    # a sentence ended, then another: a sold-out answer and when it comes back (the shop's restock FAQ)
    "then": {
        "zh": "{first}。{then}", "en": "{first}. {then}", "ja": "{first}。{then}", "ko": "{first}. {then}",
        "th": "{first} {then}", "vi": "{first}. {then}", "id": "{first}. {then}", "es": "{first}. {then}",
    },
    # the answers to two or three questions of one comment, in one reply (bot/multi_question.py)
    "answers_sep": {"zh": "；", "en": "; ", "ja": "。", "ko": ". ", "th": " / ", "vi": "; ", "id": "; ", "es": "; "},
    # a variant as a viewer says it: "黑色L码" / "black, size L" / "ブラックのLサイズ"
    "variant.parts_sep": {"zh": "", "en": ", ", "ja": "・", "ko": " ", "th": " ", "vi": ", ", "id": ", ", "es": ", "},
    # the parts of one variant inside a list of variants ({variants_in_stock}): never the list's own separator, or
    # "blanco, M, blanco, L" cannot be read as two variants
    "variant.list_parts_sep": {"zh": "", "en": " ", "ja": "・", "ko": " ", "th": " ", "vi": " ", "id": " ", "es": " "},
    "variant.size": {
        "zh": "{size}码", "en": "size {size}", "ja": "{size}サイズ", "ko": "{size} 사이즈", "th": "ไซส์ {size}",
        "vi": "size {size}", "id": "ukuran {size}", "es": "talla {size}",
    },
    "variant.with_size": {
        "zh": "{parts}{size}", "en": "{parts}, {size}", "ja": "{parts}の{size}", "ko": "{parts} {size}",
        "th": "{parts} {size}", "vi": "{parts}, {size}", "id": "{parts}, {size}", "es": "{parts}, {size}",
    },
    "sold_out_word": {
        "zh": "已售罄", "en": "sold out", "ja": "売り切れ", "ko": "품절", "th": "หมดแล้ว", "vi": "hết hàng",
        "id": "habis", "es": "agotado",
    },
    # ---------------------------------------------------------------- structured answers (catalog/answer_text.py)
    "not_offered": {
        "zh": "这款没有{label}哦", "en": "This one doesn't come in {label}", "ja": "こちらは{label}の取り扱いがありません",
        "ko": "이 상품은 {label} 옵션이 없어요", "th": "ตัวนี้ไม่มี{label}", "vi": "Mẫu này không có {label}",
        "id": "Produk ini tidak ada {label}", "es": "Este no viene en {label}",
    },
    "not_offered.left": {
        "zh": ",目前有货的是:{left}", "en": "; in stock: {left}", "ja": "。在庫があるのは{left}です",
        "ko": ". 재고 있는 옵션: {left}", "th": " ที่มีของตอนนี้: {left}", "vi": "; còn hàng: {left}",
        "id": "; yang tersedia: {left}", "es": "; disponibles: {left}",
    },
    "price": {
        "zh": "{label}{price}{unit}", "en": "{label}: {price} {unit}", "ja": "{label}は{price} {unit}です",
        "ko": "{label} 가격은 {price} {unit}입니다", "th": "{label} ราคา {price} {unit}", "vi": "{label} giá {price} {unit}",
        "id": "{label} harganya {price} {unit}", "es": "{label}: {price} {unit}",
    },
    # the whole product's price (no variant named): its price, or the range of its variants' prices
    "price.product": {
        "zh": "{label}价格{price}{unit}", "en": "{label}: {price} {unit}", "ja": "{label}は{price} {unit}です",
        "ko": "{label} 가격은 {price} {unit}입니다", "th": "{label} ราคา {price} {unit}", "vi": "{label} giá {price} {unit}",
        "id": "{label} harganya {price} {unit}", "es": "{label}: {price} {unit}",
    },
    "sold_out.alts": {
        "zh": "{label}刚售罄,{alts}", "en": "Sorry, sold out: {label}; {alts}",
        "ja": "申し訳ありません、{label}は売り切れました。{alts}", "ko": "죄송해요, {label} 품절이에요. {alts}",
        "th": "ขออภัย {label} หมดแล้ว {alts}", "vi": "Xin lỗi, {label} đã hết hàng; {alts}",
        "id": "Maaf, {label} sudah habis; {alts}", "es": "Lo siento, agotado: {label}; {alts}",
    },
    "sold_out.none": {
        "zh": "{label}刚售罄,这款其他规格也暂时没货了",
        "en": "Sorry, sold out: {label}, and nothing else of this one is in stock right now",
        "ja": "申し訳ありません、{label}は売り切れました。ほかの種類も今は在庫がありません",
        "ko": "죄송해요, {label} 품절이에요. 다른 옵션도 지금은 재고가 없어요",
        "th": "ขออภัย {label} หมดแล้ว และแบบอื่นของสินค้านี้ก็หมดชั่วคราว",
        "vi": "Xin lỗi, {label} đã hết hàng, các loại khác của mẫu này hiện cũng hết",
        "id": "Maaf, {label} sudah habis, varian lain produk ini juga sedang kosong",
        "es": "Lo siento, agotado: {label}, y por ahora no queda nada más de este producto",
    },
    "alt": {
        "zh": "{name}还有{n}件", "en": "{name}: {n} left", "ja": "{name}は残り{n}点", "ko": "{name} {n}개 남았어요",
        "th": "{name} เหลือ {n} ชิ้น", "vi": "{name} còn {n} cái", "id": "{name} masih ada {n}", "es": "de {name} quedan {n}",
    },
    "alt_sep": {"zh": ",", "en": ", ", "ja": "、", "ko": ", ", "th": ", ", "vi": ", ", "id": ", ", "es": ", "},
    "count": {
        "zh": "{label}还剩{total}件", "en": "{label}: {total} left", "ja": "{label}は残り{total}点です",
        "ko": "{label} {total}개 남았어요", "th": "{label} เหลือ {total} ชิ้น", "vi": "{label} còn {total} cái",
        "id": "{label} sisa {total}", "es": "De {label} quedan {total}",
    },
    "count.breakdown": {
        "zh": "{label}还剩{total}件:{breakdown}", "en": "{label}: {total} left ({breakdown})",
        "ja": "{label}は残り{total}点です({breakdown})", "ko": "{label} {total}개 남았어요 ({breakdown})",
        "th": "{label} เหลือ {total} ชิ้น ({breakdown})", "vi": "{label} còn {total} cái: {breakdown}",
        "id": "{label} sisa {total}: {breakdown}", "es": "De {label} quedan {total}: {breakdown}",
    },
    "restock.done": {
        "zh": "{label}已经补货了,现在有{total}件", "en": "Restocked: {label}, {total} left now",
        "ja": "{label}は再入荷しました。現在{total}点あります", "ko": "{label} 재입고됐어요. 지금 {total}개 있어요",
        "th": "{label} เติมสต็อกแล้ว ตอนนี้มี {total} ชิ้น", "vi": "{label} đã về hàng, hiện còn {total} cái",
        "id": "{label} sudah restock, sekarang ada {total}", "es": "Ya hay stock de {label}: ahora quedan {total}",
    },
    "restock.in_stock": {
        "zh": "{label}一直有货,现在还有{total}件", "en": "In stock: {label}, {total} left",
        "ja": "{label}は在庫があります。残り{total}点です", "ko": "{label} 재고 있어요. {total}개 남았어요",
        "th": "{label} มีของอยู่ เหลือ {total} ชิ้น", "vi": "{label} vẫn còn hàng, còn {total} cái",
        "id": "{label} masih ada, sisa {total}", "es": "Hay stock de {label}: quedan {total}",
    },
    "stock.breakdown": {
        "zh": "{label}目前有货:{breakdown}", "en": "{label} in stock: {breakdown}", "ja": "{label}の在庫:{breakdown}",
        "ko": "{label} 재고: {breakdown}", "th": "{label} มีของ: {breakdown}", "vi": "{label} còn hàng: {breakdown}",
        "id": "Stok {label}: {breakdown}", "es": "Disponible en {label}: {breakdown}",
    },
    "stock.plenty": {
        "zh": "有的,{label}现货充足", "en": "Yes, in stock: {label}", "ja": "はい、{label}は在庫が十分あります",
        "ko": "네, {label} 재고 충분해요", "th": "{label} มีของพร้อมส่งเลย", "vi": "Còn ạ, {label} còn nhiều hàng",
        "id": "Ada, {label} stoknya banyak", "es": "Sí, hay stock de {label}",
    },
    "stock.few": {
        "zh": "有的,{label}还有{total}件", "en": "Yes, {label}: {total} left", "ja": "はい、{label}は残り{total}点です",
        "ko": "네, {label} {total}개 남았어요", "th": "มี {label} เหลือ {total} ชิ้น", "vi": "Còn ạ, {label} còn {total} cái",
        "id": "Ada, {label} sisa {total}", "es": "Sí, de {label} quedan {total}",
    },
    "breakdown.item": {
        "zh": "{name}{n}件", "en": "{name} {n}", "ja": "{name} {n}点", "ko": "{name} {n}개", "th": "{name} {n} ชิ้น",
        "vi": "{name} ({n})", "id": "{name} ({n})", "es": "{name} ({n})",
    },
    "breakdown.sep": {"zh": "、", "en": ", ", "ja": "、", "ko": ", ", "th": ", ", "vi": ", ", "id": ", ", "es": ", "},
    "breakdown.gone": {
        "zh": ",{names}已售罄", "en": "; sold out: {names}", "ja": "。売り切れ:{names}", "ko": ". 품절: {names}",
        "th": " หมดแล้ว: {names}", "vi": "; hết hàng: {names}", "id": "; habis: {names}", "es": "; agotado: {names}",
    },
    "which.some": {
        "zh": "目前有货的{name}:{values}", "en": "{Name} in stock now: {values}", "ja": "在庫のある{name}:{values}",
        "ko": "재고 있는 {name}: {values}", "th": "{name}ที่มีของตอนนี้: {values}", "vi": "{Name} còn hàng: {values}",
        "id": "{Name} yang tersedia: {values}", "es": "{Name} disponibles: {values}",
    },
    "which.some_for": {
        "zh": "{prefix}目前有货的{name}:{values}", "en": "For {prefix}, {name} in stock now: {values}",
        "ja": "{prefix}で在庫のある{name}:{values}", "ko": "{prefix} 재고 있는 {name}: {values}",
        "th": "{prefix} {name}ที่มีของ: {values}", "vi": "{prefix}: {name} còn hàng: {values}",
        "id": "Untuk {prefix}, {name} yang tersedia: {values}", "es": "En {prefix}, {name} disponibles: {values}",
    },
    "which.none": {
        "zh": "目前都售罄了", "en": "all sold out right now", "ja": "現在すべて売り切れです", "ko": "지금은 모두 품절이에요",
        "th": "ตอนนี้หมดทุกแบบแล้ว", "vi": "Hiện đã hết hàng tất cả", "id": "Saat ini semuanya habis",
        "es": "Por ahora está todo agotado",
    },
    "which.none_for": {
        "zh": "{prefix}目前都售罄了", "en": "{prefix}: all sold out right now", "ja": "{prefix}は現在すべて売り切れです",
        "ko": "{prefix} 지금은 모두 품절이에요", "th": "{prefix} ตอนนี้หมดทุกแบบแล้ว", "vi": "{prefix}: hiện đã hết hàng tất cả",
        "id": "{prefix}: saat ini semuanya habis", "es": "{prefix}: por ahora está todo agotado",
    },
    "attribute": {
        "zh": "{name}:{value}", "en": "{name}: {value}", "ja": "{name}:{value}", "ko": "{name}: {value}",
        "th": "{name}: {value}", "vi": "{name}: {value}", "id": "{name}: {value}", "es": "{name}: {value}",
    },
    # size advice (bot/size_advice.py): the size the chart gives for the viewer's measurements ("165cm / 55kg"),
    # followed by the stock answer for that size; zh/en keep their own one-sentence wording
    "advice.size": {
        "zh": "{said}建议{size}码", "en": "For {said}, size {size} should fit", "ja": "{said}なら{size}サイズがおすすめです",
        "ko": "{said}이면 {size} 사이즈를 추천해요", "th": "{said} แนะนำไซส์ {size}", "vi": "{said} thì nên chọn size {size}",
        "id": "Untuk {said}, cocoknya ukuran {size}", "es": "Para {said}, te recomendamos la talla {size}",
    },
    "advice.sep": {"zh": ",", "en": "; ", "ja": "。", "ko": ". ", "th": " ", "vi": ". ", "id": ". ", "es": ". "},
    # ---------------------------------------------------------------- recommendations (bot/recommend.py)
    "rec.picks": {
        "zh": "推荐你看看:{picks}。", "en": "You might like: {picks}.", "ja": "おすすめ:{picks}", "ko": "추천 상품: {picks}",
        "th": "แนะนำ: {picks}", "vi": "Gợi ý cho bạn: {picks}.", "id": "Rekomendasi: {picks}.", "es": "Te puede gustar: {picks}.",
    },
    "rec.pick": {
        "zh": "{name}({price}元,{why})", "en": "{name} (¥{price}, {why})", "ja": "{name}(¥{price}、{why})",
        "ko": "{name} (¥{price}, {why})", "th": "{name} (¥{price}, {why})", "vi": "{name} (¥{price}, {why})",
        "id": "{name} (¥{price}, {why})", "es": "{name} (¥{price}, {why})",
    },
    "rec.sep": {"zh": ";", "en": "; ", "ja": "、", "ko": "; ", "th": "; ", "vi": "; ", "id": "; ", "es": "; "},
    "why.audience": {"zh": "适合{tag}", "en": "a good fit for {tag}"},  # tags are zh/en words of the catalog
    "why.audience_any": {
        "zh": "适合你的需求", "en": "a good fit for what you need", "ja": "ご希望にぴったり", "ko": "찾으시는 분께 딱이에요",
        "th": "เหมาะกับที่คุณหา", "vi": "hợp với nhu cầu của bạn", "id": "cocok buat kebutuhanmu", "es": "ideal para lo que buscas",
    },
    "why.price_cap": {
        "zh": "在预算内", "en": "within your budget", "ja": "ご予算内", "ko": "예산 안이에요", "th": "อยู่ในงบ",
        "vi": "trong ngân sách", "id": "sesuai budget", "es": "dentro de tu presupuesto",
    },
    "why.cheaper": {
        "zh": "更实惠", "en": "the cheaper pick", "ja": "よりお手頃", "ko": "더 저렴해요", "th": "ถูกกว่า", "vi": "rẻ hơn",
        "id": "lebih murah", "es": "la opción más barata",
    },
    "why.on_stage": {
        "zh": "就是现在讲的这款", "en": "the one on stage now", "ja": "今ご紹介中の商品", "ko": "지금 소개 중인 상품",
        "th": "ตัวที่กำลังไลฟ์อยู่", "vi": "đang giới thiệu trên live", "id": "yang lagi dibahas di live",
        "es": "el que estamos mostrando ahora",
    },
    "why.asked_before": {
        "zh": "你刚才问过它", "en": "you asked about it earlier", "ja": "先ほどご質問の商品", "ko": "아까 문의하신 상품",
        "th": "ที่คุณถามไว้ก่อนหน้านี้", "vi": "bạn vừa hỏi về mẫu này", "id": "tadi kamu tanya ini", "es": "preguntaste por él antes",
    },
    "why.clicked": {
        "zh": "你点开看过它", "en": "you opened it earlier", "ja": "先ほどご覧になった商品", "ko": "아까 보신 상품",
        "th": "ที่คุณเปิดดูไว้", "vi": "bạn đã xem mẫu này", "id": "tadi kamu buka produk ini", "es": "lo abriste antes",
    },
    "why.watched": {
        "zh": "你刚才看了它的讲解", "en": "you watched it being presented", "ja": "紹介をご覧になった商品",
        "ko": "소개를 보신 상품", "th": "ที่คุณดูตอนแนะนำไปแล้ว", "vi": "bạn đã xem phần giới thiệu",
        "id": "kamu sudah nonton penjelasannya", "es": "viste su presentación",
    },
    "why.default": {
        "zh": "现货充足", "en": "popular and in stock", "ja": "人気で在庫あり", "ko": "인기 상품, 재고 있어요",
        "th": "ขายดีและมีของ", "vi": "bán chạy, còn hàng", "id": "laris dan ada stok", "es": "popular y disponible",
    },
}

# What a "which sizes/colours are left" answer calls the attribute.
ATTR_NAMES: Mapping[str, Mapping[str, str]] = {
    "zh": {"size": "尺码", "colour": "颜色", "spec": "款式", "flavour": "口味"},
    "en": {"size": "sizes", "colour": "colours", "spec": "versions", "flavour": "flavours"},
    "ja": {"size": "サイズ", "colour": "カラー", "spec": "タイプ", "flavour": "味"},
    "ko": {"size": "사이즈", "colour": "색상", "spec": "옵션", "flavour": "맛"},
    "th": {"size": "ไซส์", "colour": "สี", "spec": "แบบ", "flavour": "รส"},
    "vi": {"size": "size", "colour": "màu", "spec": "mẫu", "flavour": "vị"},
    "id": {"size": "ukuran", "colour": "warna", "spec": "varian", "flavour": "rasa"},
    "es": {"size": "tallas", "colour": "colores", "spec": "versiones", "flavour": "sabores"},
}

LANGS: tuple[str, ...] = tuple(PHRASES["stock.plenty"])
"""Languages with the whole phrasebook (every phrase except the zh/en-only `why.audience`)."""


def has_phrases(lang: str) -> bool:
    return primary(lang) in LANGS


# The whole-sentence answers a shop may reword per product (`wording:` in the catalog file, catalog/io.py): the
# fields stay the bot's, only the sentence around them is the shop's.
OVERRIDABLE: tuple[str, ...] = (
    "stock.plenty", "stock.few", "stock.breakdown", "count", "count.breakdown", "price", "price.product", "sold_out.alts",
    "sold_out.none", "not_offered", "restock.done", "restock.in_stock", "which.some", "which.none", "attribute",
)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def override_problem(key: str, template: str) -> str | None:
    """Why a shop's wording for `key` cannot be used (None when it can): an unknown key, a field the built-in
    sentence does not fill, a format error. Checked on import and on every store write."""
    if key not in OVERRIDABLE:
        return f"unknown wording '{key}' (these can be reworded: {', '.join(OVERRIDABLE)})"
    try:
        used = _fields(template)
    except ValueError as exc:  # "{label" / "}"
        return f"wording '{key}': {exc} (write a literal brace as {{{{ or }}}})"
    available = set().union(*(_fields(t) for t in PHRASES[key].values()))
    unknown = sorted(name for name in used if name not in available or not name.isidentifier())
    if unknown:
        fields = ", ".join("{" + name + "}" for name in sorted(available)) or "none"
        return f"wording '{key}': {{{unknown[0]}}} is not filled here (available: {fields})"
    return None


def phrase(key: str, lang: str, overrides: Mapping[str, Mapping[str, str]] | None = None, **fields: object) -> str:
    """Phrase `key` in `lang` (its primary language) with `fields` filled; `MissingText` when there is none.
    `overrides` (a product's `wording`) replace the built-in sentence for the languages they have."""
    texts = PHRASES[key]
    own = overrides.get(key) if overrides else None
    template = (own.get(lang) or own.get(primary(lang))) if own else None
    template = template or texts.get(lang) or texts.get(primary(lang))
    if template is None:
        raise MissingText(lang, f"no built-in {primary(lang)} wording for '{key}'")
    return template.format_map(fields) if fields else template


def attr_name(attr: str, lang: str) -> str | None:
    """The word for a variant attribute ("sizes", "カラー"), None for an attribute the phrasebook does not name."""
    return ATTR_NAMES.get(primary(lang), {}).get(attr)
