"""Question words of the cross-border room languages (ja, ko, th, vi, id, es) for the structured-answer recogniser
(bot/slots.py), which has its zh/en words in its own patterns. Data, written for this project; one place.

They are consulted only when the zh/en patterns found nothing, so a zh/en comment is read exactly as before. Texts are
matched folded (NFKC + casefold). Vietnamese is listed with and without diacritics (both are common in chat). Latin
words stand alone (``\\b``): "hay" is not inside "hayden", "ada" not inside "canada".

Per language and question type, strongest type first (the order of ``bot.slots.QTYPES``): a restock question is not a
stock question, a count is not a price. "How much" words that also ask for a weight or a size ("หนักเท่าไหร่",
"nặng bao nhiêu", "berapa kg") are listed as ``_HOW_MUCH``: they make a price question only when no product attribute
was named (``bot.slots.Recogniser`` decides, it knows the attributes).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["INTL_WORDS", "intl_counts_items", "intl_how_much", "intl_question", "intl_question_type", "intl_which_attribute"]

_Words = Mapping[str, tuple[str, ...]]

INTL_WORDS: Mapping[str, _Words] = {
    "ja": {
        "restock": ("再入荷", "入荷", "再販", "再生産"),
        "count": ("何点", "何個", "何枚", "何足", "何着", "何本", "あと何", "残り何", "いくつ残", "何個残", "残りいくつ",
                  "あといくつ",
                  # counted with the goods' classifier: a stroller 何台, boxes 何箱, sets 何セット
                  "何台", "何箱", "何セット", "何缶", "何袋"),
        "which": ("何色", "何サイズ", "どの色", "どのサイズ", "どんな色", "どんなサイズ", "サイズは何", "色は何",
                  "何カラー", "カラーは何", "サイズ展開", "カラー展開", "色展開", "色違い"),
        "price": ("いくら", "値段", "価格", "何円", "何元", "お値段"),
        "stock": ("在庫", "ありますか", "あります\\?", "ありますか\\?", "ある\\?", "あるの", "まだある", "残って",
                  "売り切れ", "品切れ", "完売", "買えますか", "買える\\?", "ございますか",
                  # "42サイズ売ってますか": is that size sold (bot/sells_question.py keeps the stock answer)
                  "売って(?:ます|いま|る)", "販売して(?:ます|いま|る)"),
    },
    "ko": {
        "restock": ("재입고", "입고 예정", "언제 들어와", "다시 들어와", "재판매"),
        "count": ("몇 개", "몇개", "몇 장", "몇장", "몇 켤레", "몇켤레", "몇 벌", "몇벌", "몇 개 남", "얼마나 남",
                  # counted with the goods' classifier: a stroller 몇 대, bottles 몇 병, boxes 몇 박스 / 몇 상자, sets 몇 세트
                  "몇 ?(?:대|병|박스|상자|세트|통|봉지)\\s*(?:남|있|재고)"),
        "which": ("무슨 색", "어떤 색", "무슨 사이즈", "어떤 사이즈", "사이즈 뭐", "색상 뭐", "색 뭐", "무슨 컬러",
                  "어떤 컬러", "컬러 뭐", "몇 가지 색", "사이즈 어떻게 돼", "색상 어떻게 돼",
                  # "사이즈 아직 뭐 남아 있어요?", "사이즈는 뭐가 남았어요", "뭐가 더 남았나요 사이즈": what is left
                  "(?:사이즈|색상|컬러)(?:는|가|이|은)?\\s*(?:(?:아직|지금|혹시|더)\\s*)?(?:뭐|무엇|어떤)",
                  "(?:뭐가|뭐|어떤 ?게|어떤 ?거)\\s*(?:더|아직)?\\s*남.{0,8}(?:사이즈|색상|컬러)"),
        "price": ("얼마", "가격", "몇 원", "몇원"),
        "stock": ("있어요", "있나요", "있어\\?", "있을까요", "있습니까", "있죠", "있음\\?", "재고", "품절", "매진",
                  "남았", "남아 있", "남아있", "살 수 있", "구매 가능"),
    },
    "th": {
        "restock": ("เติมสต็อก", "เติมสต๊อก", "รีสต็อก", "ของเข้า", "เข้าอีก", "จะมีอีก", "มีอีกไหม", "มาเพิ่ม"),
        "count": ("เหลือกี่", "กี่ชิ้น", "กี่ตัว", "กี่คู่", "มีกี่ชิ้น", "เหลืออยู่กี่",
                  # "เหลือเท่าไหร่" (how much is left), also typed "เท่าไหร" / "เท่าไร"
                  "เหลือ(?:อยู่)?\\s*(?:เท่าไหร|เท่าไร)"),
        "which": ("สีอะไร", "ไซส์อะไร", "สีไหนบ้าง", "ไซส์ไหนบ้าง", "มีกี่สี", "มีกี่ไซส์", "มีสีไหน", "มีไซส์ไหน",
                  # "ไซส์ไหนยังมีอยู่บ้าง", "ไซส์ที่เหลือมีอะไรบ้าง": which sizes are still left
                  "(?:ไซส์|สี)ไหนยัง(?:มี|เหลือ)", "(?:ไซส์|สี)ที่(?:ยัง)?(?:เหลือ|มี)"),
        "price": ("ราคา", "กี่บาท", "กี่ตัง"),
        "stock": ("มี.{0,20}(?:ไหม|มั้ย|มั๊ย|ป่าว|ปะ|รึเปล่า|หรือเปล่า)", "เหลือ.{0,20}(?:ไหม|มั้ย|มั๊ย|ป่าว|ปะ)",
                  "ยังมี", "ยังเหลือ", "หมดแล้ว", "หมดยัง", "หมดหรือยัง", "หมดรึยัง", "มีของ", "สต็อก", "สต๊อก"),
    },
    "vi": {
        "restock": ("về hàng", "ve hang", "có lại", "co lai", "khi nào có", "khi nao co", "bao giờ có", "bao gio co",
                    "nhập thêm", "nhap them", "bao giờ về", "bao gio ve"),
        "count": ("còn mấy", "con may", "mấy cái", "may cai", "mấy đôi", "may doi", "bao nhiêu cái", "bao nhieu cai",
                  "còn bao nhiêu", "con bao nhieu", "còn bn", "con bn",
                  # chat spellings of "bao nhiêu": "còn bnhieu", "còn bao nhiu"
                  "\\b(?:còn|con)\\s+(?:bnhieu|bnhiêu|bao nhiu|bnhiu)\\b",
                  # counted with the goods' classifier, after còn (left): "còn mấy chiếc", "còn mấy chai", "còn mấy hộp"
                  ("\\b(?:còn|con)\\s+(?:mấy|may|bao nhiêu|bao nhieu|bn)\\s+"
                   "(?:chiếc|chiec|chai|hộp|hop|bộ|bo|cây|cay|thỏi|thoi)\\b")),
        "which": ("màu gì", "mau gi", "màu nào", "mau nao", "size nào", "size nao", "size gì", "size gi", "những màu",
                  "nhung mau", "những size", "nhung size", "mấy màu", "may mau", "mấy size", "may size",
                  # cỡ, the Vietnamese word for a size ("còn những cỡ nào"); not without its mark ("co" is "có")
                  "cỡ nào", "cỡ gì", "những cỡ", "mấy cỡ"),
        "price": ("giá", "gia bao nhieu", "gia bn", "\\bgia\\b(?! (?:đình|dinh|đinh|dình)\\b).{0,25}\\b(?:bao nhieu|bn)\\b",
                  "bao nhiêu tiền", "bao nhieu tien", "nhiêu tiền", "nhieu tien",
                  "bn tiền", "bn tien", "mấy tiền", "may tien"),
        "stock": ("\\bcòn\\b.{0,20}\\b(?:không|khong|ko|k|hông|hong|hem)\\b", "\\bcon\\b.{0,20}\\b(?:khong|ko|k|hong|hem)\\b",
                  "\\bcó\\b.{0,20}\\b(?:không|ko|k|hông)\\b", "\\bco\\b.{0,20}\\b(?:khong|ko|k|hong)\\b", "còn hàng", "con hang",
                  "hết hàng", "het hang", "hết chưa", "het chua", "có sẵn", "co san", "còn size", "con size",
                  "còn màu", "con mau",
                  # "màu kem size XXL hết r hả shop": sold out already?, asked ("hết rồi" alone is a statement)
                  "\\bhết (?:rồi|r)\\s*(?:hả|à|ạ|ư|hở|sao|không|ko|k|hông|hong)\\b",
                  "\\bhet (?:roi|r)\\s*(?:ha|a|u|sao|khong|ko|k|hong)\\b"),
    },
    "id": {
        "restock": ("kapan restock", "kapan restok", "kapan ada lagi", "bakal ada lagi", "ready lagi", "restok",
                    "stok lagi"),
        "count": ("sisa berapa", "tinggal berapa", "stok berapa", "stoknya berapa", "berapa pcs", "berapa biji",
                  "sisanya berapa",
                  # chat spellings of "berapa": "sisa brp", "tinggal brapa", "stoknya brpa"
                  "\\b(?:sisa|sisanya|tinggal|stok|stoknya|stock)\\s+(?:brp|brapa|brpa|brapaan)\\b",
                  "\\b(?:brp|brapa|brpa)\\s+(?:pcs|biji)\\b"),
        "which": ("warna apa", "ukuran apa", "size apa", "pilihan warna", "pilihan ukuran", "ada warna apa",
                  "ada ukuran apa", "ukuran berapa aja", "ukuran berapa saja"),
        "price": ("harga", "hrg", "berapaan", "brp harga", "berapa duit", "berapa rupiah"),
        "stock": ("\\bada\\b.{0,20}(?:\\?|\\bgak\\b|\\bnggak\\b|\\bngga\\b|\\bga\\b|\\bkah\\b|\\bnda\\b|\\btidak\\b|\\bkak\\b)",
                  "masih ada", "ada stok", "ada ukuran", "ada size", "ada warna", "stoknya", "\\bstok\\b", "habis",
                  "ready stok", "ready stock", "masih ready", "ready gak", "ready nggak", "ready ga\\b", "kosong"),
    },
    "es": {
        "restock": ("reponen", "reponer", "vuelve a haber", "volverá", "volvera", "cuándo llega", "cuando llega",
                    "cuándo vuelve", "cuando vuelve", "van a traer", "reposición", "reposicion"),
        "count": ("cuántos quedan", "cuántas quedan", "cuantos quedan", "cuantas quedan", "cuántas unidades",
                  "cuantas unidades", "cuántos hay", "cuantos hay", "cuántas hay", "cuantas hay",
                  "cu[aá]nt[oa]s\\s+(?:te|les|nos|me)\\s+quedan",
                  # counted with the goods' noun: "cuántas cajas quedan", "cuántos pares te quedan"
                  "cu[aá]nt[oa]s\\s+[a-záéíóúñ]+\\s+(?:(?:te|les|nos|me)\\s+)?quedan"),
        "which": ("qué colores", "qué tallas", "que colores", "que tallas", "cuáles colores", "cuáles tallas",
                  "cuales colores", "cuales tallas", "en qué colores", "en qué tallas", "colores disponibles",
                  "tallas disponibles", "qué talla hay", "que talla hay"),
        "price": ("precio", "cuánto cuesta", "cuanto cuesta", "cuánto vale", "cuanto vale", "cuánto sale",
                  "cuanto sale", "\\ba cuánto\\b", "\\ba cuanto\\b", "cuánto es\\b", "cuanto es\\b", "cuánto está",
                  "cuanto esta\\b",  # "a cuánto" but not "hast(a cuánto)s kilos"
                  "\\b(?:cnto|qnto|kuanto|cuant)\\s+(?:cuesta|vale|sale)\\b"),  # typed short
        "stock": ("\\bhay\\b", "tienen", "tienes", "\\bqueda\\b", "\\bquedan\\b", "disponible", "agotad", "en stock",
                  "hay stock", "les queda", "todavía hay", "todavia hay"),
    },
}

# "How much / how many" that also asks for a weight, a length or an age: a price question only when no attribute
# of the product was named ("ราคาเท่าไหร่" / "หนักเท่าไหร่", "bao nhiêu tiền" / "nặng bao nhiêu").
_HOW_MUCH_WORDS = (
    "เท่าไหร่", "เท่าไร", "bao nhiêu", "bao nhieu", "bn", "\\bberapa\\b", "\\bbrp\\b", "cuánto", "cuanto",
    # chat spellings (bot/question_words.py is their one place): th "เท่าไหร" (no tone mark), vi "bnhieu",
    # "bao nhiu", id "brapa", "brpa", es "cnto", "qnto", "kuanto"
    "เท่าไหร", "\\bbnhieu\\b", "\\bbnhiêu\\b", "\\bbao nhiu\\b", "\\bbrapa\\b", "\\bbrpa\\b", "\\bcnto\\b",
    "\\bqnto\\b", "\\bkuanto\\b",
)

# "How much" + a counted noun asks how many pieces/items a thing has, not its price: "bộ khủng long bao nhiêu chi tiết"
# (how many pieces is the dinosaur set), "isi berapa keping". Counted nouns only, never money words. Nor how many are
# left: "berapa pcs" alone asks the stock (how many units), with "isi" / "isinya" (the contents) the pieces in one
# set ("set dinosaurusnya berapa pcs isinya?", "isi set kastil berapa pcs?"); ja 何ピース, ko 몇 피스.
_COUNTED_WORDS = (
    "(?:bao nhiêu|bao nhieu|\\bbn\\b|mấy|\\bmay\\b)\\s*(?:chi tiết|chi tiet|miếng|mieng|mảnh|manh|viên|vien|món|mon)\\b",
    "\\bberapa\\s*(?:keping|potong|buah|butir)\\b",
    "\\bisi(?:nya)?\\s*berapa\\b",
    "\\bberapa\\s*(?:pcs|biji)\\s*(?:sih\\s*|ya\\s*|kak\\s*)?isi(?:nya)?\\b",
    "\\bisi(?:nya)?\\b[^?.!,]{0,25}\\bberapa\\s*(?:pcs|biji)\\b",
    "cuánt[oa]s\\s*(?:piezas|bloques)", "cuant[oa]s\\s*(?:piezas|bloques)",
    "何ピース", "ピース数", "몇 ?피스",
)
_COUNTED = re.compile("|".join(_COUNTED_WORDS))

_TYPES = ("restock", "count", "which", "price", "stock")
_QTYPE_PATTERNS = tuple(
    (name, re.compile("|".join(word for words in INTL_WORDS.values() for word in words.get(name, ()))))
    for name in _TYPES
)
_HOW_MUCH = re.compile("|".join(_HOW_MUCH_WORDS))
_WHICH = (
    ("size", re.compile("サイズ|사이즈|ไซส์|ขนาด|ukuran|\\bsize|talla|\\bcỡ\\b")),
    ("colour", re.compile("カラー|色|색|컬러|สี|màu|\\bmau\\b|warna|color")),
)
_QUESTION = re.compile(
    r"か[?？]?$|[?？¿]|何|どう|どれ|どの|どんな|ですか|ますか"  # ja
    r"|까|나요|뭐|몇|어떤|어때|무슨|어떻게|[요죠]\?"  # ko
    r"|ไหม|มั้ย|มั๊ย|ยัง|อะไร|ไหน|กี่|เท่าไหร่|เท่าไร|ป่าว|รึเปล่า|หรือเปล่า"  # th
    r"|không|khong|\bko\b|hông|\bgì\b|\bnào\b|bao nhiêu|bao nhieu|\bmấy\b|\bchưa\b|\bsao\b|\bbao lâu\b"  # vi
    r"|\bbn\b|\bbnhieu\b|\bbao nhiu\b"  # vi, typed short
    r"|\bkah\b|\bgak\b|\bnggak\b|\bapa\b|\bberapa\b|\bbrp\b|gimana|bagaimana|\bbrapa\b|\bbrpa\b"  # id
    r"|qué|cuál|cómo|cuánto|cuánta|dónde|\bcnto\b|\bqnto\b"  # es
)


def intl_question_type(folded: str) -> str | None:
    """The question type named by ja/ko/th/vi/id/es question words in ``folded``, or None."""
    for name, pattern in _QTYPE_PATTERNS:
        if pattern.search(folded):
            return name
    return None


def intl_how_much(folded: str) -> bool:
    """Does ``folded`` ask "how much" in a way that may be a price ("เท่าไหร่", "bao nhiêu", "berapa", "cuánto")?"""
    return _HOW_MUCH.search(folded) is not None


def intl_counts_items(folded: str) -> bool:
    """Does ``folded`` ask how many pieces/items something has ("bao nhiêu chi tiết", "berapa keping")? Not a price."""
    return _COUNTED.search(folded) is not None


def intl_which_attribute(folded: str) -> str | None:
    for attr, pattern in _WHICH:
        if pattern.search(folded):
            return attr
    return None


def intl_question(folded: str) -> bool:
    """Does ``folded`` read as a question in one of these languages?"""
    return _QUESTION.search(folded) is not None
