"""A shop-chat glossary, Vietnamese and Indonesian → English, for the gloss view of a comment (``bot.gloss``).

Data, written for this project from general knowledge of how buyers write in Vietnamese and Indonesian live-shopping
chats and from the topics of the demo catalog's FAQs (price, stock, sizes, colours, restock, shipping, returns,
vouchers, payment, invoices, authenticity, ordering, and the products' own questions). Not taken from any
comment log.

The embedder (USE-m3) was not trained on Vietnamese or Indonesian but is good at English: a word-by-word English
gloss ("phí ship bao nhiêu vậy shop" → "shipping fee how much shop") lands next to the English example questions.

Every entry maps a phrase (folded: lower case) to its English gloss; "" drops the phrase (a particle or a form of
address: "ạ", "nha", "kak"). Vietnamese phrases are written with their diacritics; ``bot.gloss`` adds the form
without them (chat often leaves them out) unless that form is already an entry. ``WEAK`` lists forms that are also
ordinary English or Spanish words, or words both languages borrow ("ship", "size", "con", "ya", "de"): they are
glossed, but they are no evidence that a comment is Vietnamese or Indonesian, so an English or Spanish comment never
gets a gloss view because of them. ``QUESTION_FINAL`` words ("không", "ga", "chưa") are a question mark at the end of
a comment and "not" / "yet" elsewhere; ``FRONT_FINAL`` phrases ("được không", can …?) at the end move to the front.
Forms of address ("shop", "shop ơi", "kak") are dropped: the example questions do not carry them.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["FRONT_FINAL", "ID", "QUESTION_FINAL", "VI", "WEAK"]

VI: Mapping[str, str] = {
    # price
    "giá": "price", "giá bao nhiêu": "what's the price", "giá sao": "what's the price", "giá bn": "what's the price",
    "bao nhiêu": "how much", "bao nhiêu tiền": "how much", "nhiêu tiền": "how much", "mấy tiền": "how much",
    "bao tiền": "how much", "bn": "how much", "bnh": "how much", "bn tiền": "how much", "bnhieu": "how much",
    "bao nhiu": "how much", "rẻ": "cheap",
    "rẻ hơn": "cheaper", "đắt": "expensive", "mắc": "expensive", "tiền": "money",
    # stock
    "còn hàng": "in stock", "còn hàng không": "in stock?", "có hàng": "in stock", "có sẵn": "available",
    "hàng có sẵn": "available", "hết hàng": "sold out", "hết hàng chưa": "sold out?", "hết rồi": "sold out",
    "hết": "sold out", "còn": "still", "còn không": "still have?", "còn size": "size left", "còn màu": "colour left",
    "hàng": "item",
    # sizes, fit, body
    "size nào": "which size", "size gì": "what size", "size mấy": "which size", "mặc size gì": "which size",
    "mặc size nào": "which size", "lấy size nào": "which size", "lấy size gì": "which size", "size": "size",
    "cỡ": "size", "cỡ nào": "which size", "lên size": "size up", "tăng size": "size up", "form": "fit",
    "form chuẩn": "true to size", "đúng size": "true to size", "rộng": "loose", "chật": "tight", "nhỏ": "small",
    "lớn": "big", "to": "big", "vừa": "fit", "mặc vừa": "fit", "đi vừa": "fit", "cao": "tall", "nặng": "heavy",
    "nặng bao nhiêu": "how heavy", "nhẹ": "light", "ký": "kg", "kí": "kg", "cân nặng": "weight", "nam nữ": "unisex",
    "nam": "men", "nữ": "women", "mặc": "wear",
    # colours and options
    "màu": "colour", "màu gì": "what colour", "màu nào": "which colour", "màu khác": "other colours",
    "mấy màu": "how many colours", "những màu nào": "which colours", "loại": "kind", "mấy loại": "how many kinds",
    "loại nào": "which one", "vị": "flavour", "vị gì": "which flavour", "phiên bản": "version", "mẫu": "style",
    # restock
    "về hàng": "restock", "có hàng lại": "restock", "có lại": "back in stock", "nhập thêm": "restock",
    "khi nào về": "when restock", "bao giờ về": "when restock", "về nữa": "come back", "bao giờ": "when",
    "khi nào": "when", "lúc nào": "when",
    # shipping and delivery
    "ship": "ship", "giao hàng": "delivery", "giao": "deliver", "giao tới": "deliver", "vận chuyển": "shipping",
    "đơn vị vận chuyển": "courier", "bên vận chuyển": "courier", "phí ship": "shipping fee",
    "phí vận chuyển": "shipping fee", "tiền ship": "shipping fee", "freeship": "free shipping",
    "free ship": "free shipping", "miễn phí": "free", "miễn phí vận chuyển": "free shipping", "miễn ship": "free shipping",
    "gửi": "send", "gửi hàng": "ship", "nhận hàng": "receive the order", "nhận được": "receive", "nhận": "receive",
    "mấy ngày": "how many days", "bao nhiêu ngày": "how many days", "bao lâu": "how long",
    "mất bao lâu": "how long does it take", "tới": "arrive", "đến": "arrive", "ngày": "days", "nước ngoài": "abroad",
    "quốc tế": "international", "ship quốc tế": "international shipping", "hỏa tốc": "express", "hoả tốc": "express",
    "ship cod": "cash on delivery", "cod": "cash on delivery",
    # returns and exchanges
    "đổi trả": "return", "trả hàng": "return", "trả lại": "return", "hoàn tiền": "refund", "đổi": "exchange",
    "đổi size": "exchange the size", "đổi màu": "exchange the colour", "đổi được không": "can I exchange?",
    "đặt nhầm": "ordered the wrong", "nhầm": "wrong", "chính sách": "policy", "bảo hành": "warranty",
    # discounts
    "mã giảm giá": "discount code", "giảm giá": "discount", "mã": "code", "voucher": "voucher",
    "khuyến mãi": "promotion", "ưu đãi": "deal", "sale": "sale", "mua nhiều": "buy several", "mua": "buy",
    "combo": "bundle",
    # payment, invoice
    "trả góp": "installments", "thanh toán": "pay", "thẻ": "card", "thẻ tín dụng": "credit card",
    "chuyển khoản": "bank transfer", "tiền mặt": "cash", "hóa đơn": "invoice", "hoá đơn": "invoice",
    "xuất hóa đơn": "issue an invoice", "xuất hoá đơn": "issue an invoice", "công ty": "company",
    # authenticity
    "chính hãng": "authentic", "hàng chính hãng": "authentic", "hàng thật": "genuine", "hàng giả": "fake",
    "hàng fake": "fake", "thật": "real", "giả": "fake", "auth": "authentic",
    # ordering
    "mua như thế nào": "how to buy", "mua sao": "how to buy", "mua ở đâu": "where to buy", "đặt hàng": "order",
    "đặt": "order", "đặt rồi": "ordered", "mua rồi": "bought", "chốt đơn": "ordered", "chốt": "order",
    "lên đơn": "place an order", "đơn": "order", "link": "link",
    # products: stroller, toys, children
    "xe đẩy": "stroller", "chịu được": "carry", "chịu lực": "max load", "tải trọng": "max load", "bé": "baby",
    "em bé": "baby", "trẻ sơ sinh": "newborn", "sơ sinh": "newborn", "mấy tháng": "how many months",
    "mấy tuổi": "what age", "tuổi": "age", "tháng": "months", "gấp": "fold", "gấp lại": "folded", "gọn": "compact",
    "máy bay": "plane", "cốp xe": "car trunk", "ngả": "recline", "nằm": "lie down", "ngủ": "sleep",
    "đồ chơi": "toy", "an toàn": "safe", "chứng nhận": "certification", "chi tiết": "pieces", "miếng": "pieces",
    "ghép": "connect", "tương thích": "compatible",
    # clothing: fabric, care, warmth
    "chất liệu": "material", "chất": "fabric", "vải": "fabric", "dày": "thick", "mỏng": "thin", "lộ": "see-through",
    "xuyên thấu": "see-through", "giặt": "wash", "giặt máy": "machine wash", "giặt tay": "hand wash",
    "giặt khô": "dry clean", "bị co": "shrink", "co rút": "shrink", "phai màu": "colour fade", "ra màu": "colour bleed",
    "ủi": "iron", "lông vũ": "down", "lông vịt": "duck down", "ruột": "filling", "ấm": "warm", "lạnh": "cold",
    "mùa đông": "winter", "áo khoác": "jacket", "áo phao": "puffer jacket", "áo len": "sweater", "áo thun": "t-shirt",
    "áo": "top", "giày": "shoes", "chạy bộ": "running", "đi bộ": "walking", "hằng ngày": "everyday",
    "hàng ngày": "everyday", "bóng rổ": "basketball", "êm": "cushioned", "chân": "feet", "chân bè": "wide feet",
    "bè": "wide", "tất": "socks", "vớ": "socks", "hôi chân": "smelly feet", "hôi": "smelly", "khăn": "scarf",
    "khăn choàng": "scarf", "choàng": "shawl", "ngứa": "itchy", "xù": "pill", "xù lông": "pilling", "dài": "long",
    # skin care, lipstick
    "da": "skin", "da dầu": "oily skin", "da khô": "dry skin", "da nhạy cảm": "sensitive skin", "nhạy cảm": "sensitive",
    "mụn": "acne", "thành phần": "ingredients", "dùng": "use", "xài": "use", "sử dụng": "use",
    "cách dùng": "how to use", "buổi sáng": "morning", "sáng": "morning", "tối": "evening", "giọt": "drops",
    "mẹ bầu": "pregnant", "bầu": "pregnant", "rát": "sting", "kích ứng": "irritation", "hạn sử dụng": "shelf life",
    "hsd": "shelf life", "date": "date", "chai": "bottle", "lọ": "bottle", "lợi hơn": "better value", "son": "lipstick",
    "màu son": "lipstick shade", "da ngăm": "tan skin", "trắng da": "fair skin", "khô môi": "dry lips",
    "môi": "lips", "bám lâu": "long-lasting", "lem": "smudge", "hộp quà": "gift box", "quà": "gift", "tặng": "gift",
    "mua tặng": "buying it for",
    "khắc tên": "engrave a name", "khắc": "engrave",
    # food, thermos
    "hạt": "nuts", "đậu phộng": "peanuts", "dị ứng": "allergy", "ăn": "eat", "đóng gói": "packed", "hộp": "box",
    "gói": "packs", "túi": "bag", "biếu": "gift", "tết": "new year", "bình giữ nhiệt": "thermos", "bình": "bottle",
    "giữ nhiệt": "keep hot", "giữ nóng": "keep hot", "giữ lạnh": "keep cold", "nóng": "hot", "tiếng": "hours",
    "giờ": "hours", "inox": "stainless steel", "mùi nhựa": "plastic smell", "mùi": "smell", "nhựa": "plastic",
    "trà": "tea", "pha trà": "brew tea", "lõi lọc": "strainer", "cà phê": "coffee",
    # question words, verbs, particles
    "có": "", "không": "not", "ko": "not", "k": "not", "hông": "not", "hong": "not", "hem": "not", "khum": "not",
    "được không": "can I", "được ko": "can I", "được k": "can I", "dc không": "can I", "dc ko": "can I",
    "dc k": "can I", "đc không": "can I", "đc ko": "can I", "đc k": "can I", "được": "can", "dc": "can", "đc": "can",
    "chưa": "yet", "rồi": "already",
    "thế nào": "how", "như thế nào": "how", "ra sao": "how", "sao": "how", "gì": "what", "nào": "which",
    "mấy": "how many", "nên": "should", "lấy": "take", "chọn": "choose", "hay": "or", "hoặc": "or", "với": "with",
    "và": "and", "này": "this", "cái này": "this one", "đó": "that", "nhiều": "many", "hơn": "more", "thêm": "more",
    "nữa": "more", "bị": "", "thì": "", "là": "is", "của": "of", "trong": "in", "bên trong": "inside",
    "lâu": "long", "nhanh": "fast", "tốt": "good", "đẹp": "nice", "hợp": "suit", "phù hợp": "suitable", "ổn": "ok",
    "muốn": "want", "cần": "need", "thử": "try", "đâu": "where", "ở đâu": "where", "mình": "I", "tôi": "I",
    "bạn": "you", "cho": "for", "hỏi": "ask", "cho mình hỏi": "", "cho em hỏi": "", "vậy": "", "ạ": "", "nha": "",
    "nhé": "", "ha": "", "hả": "", "à": "", "ơi": "", "ad": "", "đi": "go",
    # added after reading the development log's misses (in-sample): "shop" dropped (was "shop"), the "được không"
    # family is "can I" (was "can?") and moves to the front (FRONT_FINAL), and these words
    "shop ơi": "", "admin": "", "shop": "", "đã": "already", "đôi": "pair", "cái": "", "chơi": "play",
    "cho xin": "can I have", "xin": "please", "mất": "takes", "nhận được hàng": "receive the order", "giúp": "help",
    "chat": "chat",
    # the pronouns a buyer uses for themself and the seller (issue 15 follow-up, not from a log): "em" was glossed
    # "cushioned" as the diacritic-free form of "êm" ("em muốn hỏi giá" → "cushioned want ask price")
    "em": "I", "em ơi": "", "anh": "", "anh ơi": "", "chị": "", "chị ơi": "", "êm chân": "cushioned",
    # greetings, thanks and praise (not questions): their gloss lets the intent model see small talk
    "xin chào": "hello", "chào": "hello", "chào cả nhà": "hello everyone", "chào mọi người": "hello everyone",
    "mọi người": "everyone", "cả nhà": "everyone", "từ": "from", "cảm ơn": "thank you", "cám ơn": "thank you",
    "quá": "so", "quá trời": "so", "xinh": "pretty", "dễ thương": "cute", "tuyệt vời": "great", "ủng hộ": "support",
    # more shop words (h/vi8): places, discounts, temperatures, food, family, and chat shorthand
    "giảm": "discount", "bớt": "discount", "giảm thêm": "extra discount", "vn": "vietnam", "việt nam": "vietnam",
    "úc": "australia", "mỹ": "the us", "ship về": "ship to", "gửi về": "ship to", "gửi qua": "ship to",
    "ship qua": "ship to", "độ": "degrees", "mấy độ": "what temperature", "âm độ": "below zero",
    "dưới không độ": "below zero", "e": "", "hay đi": "usually wear", "hay mang": "usually wear",
    "mang": "wear", "r": "", "hết r": "sold out", "kem": "cream", "đồ ăn": "food",
    "thực phẩm": "food", "bầu bí": "pregnant", "món": "items", "tuần trước": "last week", "túi xách": "bag",
    "làm quà": "as a gift", "mè": "sesame", "vừng": "sesame", "bé nhà": "my child",
    "bóc ra": "opened", "mở ra": "opened", "để được": "keep", "rộng bao nhiêu": "how wide",
}

ID: Mapping[str, str] = {
    # greetings, thanks and praise (not questions): their gloss lets the intent model see small talk
    "halo": "hello", "selamat pagi": "good morning", "selamat siang": "good afternoon", "selamat sore": "good evening",
    "selamat malam": "good evening", "salam": "greetings", "terima kasih": "thank you", "makasih": "thanks",
    "cantik": "pretty", "keren": "cool", "lucu": "cute", "semua": "everyone", "mampir": "drop by", "bagus": "nice",
    "banget": "very", "bgt": "very",
    # price
    "berapa": "how much", "brp": "how much", "brapa": "how much", "brpa": "how much", "berapaan": "how much",
    "harga": "price", "harganya": "the price",
    "berapa harganya": "how much is it", "harganya berapa": "how much is it", "murah": "cheap", "mahal": "expensive",
    "lebih murah": "cheaper",
    # stock
    "ada": "is there", "stok": "stock", "stock": "stock", "masih ada": "still available", "ready": "available",
    "ready stok": "in stock", "ready stock": "in stock", "habis": "sold out", "udah habis": "sold out",
    "sudah habis": "sold out", "kosong": "out of stock", "tersedia": "available", "sisa": "left", "tersisa": "left",
    # sizes, colours, options
    "ukuran": "size", "ukuran apa": "what size", "size apa": "what size", "ukuran berapa": "which size",
    "size berapa": "which size", "ambil": "take", "warna": "colour", "warna apa": "what colour",
    "warna lain": "other colours", "varian": "variant", "rasa": "flavour", "pilihan": "options", "tipe": "type",
    "kekecilan": "too small", "kebesaran": "too big", "kecil": "small", "besar": "big", "pas": "fit",
    "tinggi": "height", "berat": "weight", "ringan": "light", "cowok": "men", "cewek": "women", "pria": "men",
    "wanita": "women",
    # restock
    "kapan": "when", "restock": "restock", "ready lagi": "back in stock", "ada lagi": "available again",
    "lagi": "again",
    # added after reading the development log's misses (in-sample; "ambil size" → "take size" became "ambil")
    "kaki": "feet", "lebar": "wide", "enak": "good",
    # shipping and delivery
    "kirim": "ship", "dikirim": "shipped", "pengiriman": "delivery", "ongkir": "shipping cost",
    "ongkirnya": "the shipping cost", "ongkos kirim": "shipping cost", "gratis ongkir": "free shipping",
    "free ongkir": "free shipping", "gratis": "free", "ekspedisi": "courier", "kurir": "courier",
    "berapa lama": "how long", "berapa hari": "how many days", "hari": "days", "sampai": "arrive", "sampe": "arrive",
    "nyampe": "arrive", "kapan sampai": "when arrive", "kapan sampe": "when arrive", "kapan dikirim": "when ship",
    "luar negeri": "abroad", "ke": "to",
    # returns, exchanges, discounts, payment, invoices
    "retur": "return", "bisa retur": "can return", "pengembalian": "return", "balikin": "return",
    "refund": "refund", "tukar": "exchange", "ditukar": "exchanged", "tukar ukuran": "exchange the size",
    "salah": "wrong", "kebijakan": "policy", "garansi": "warranty", "voucher": "voucher", "diskon": "discount",
    "kode diskon": "discount code", "promo": "promo", "potongan": "discount", "beli": "buy",
    "beli banyak": "buy several", "grosir": "wholesale", "cicilan": "installments", "bayar": "pay",
    "kartu kredit": "credit card", "transfer": "transfer", "faktur": "invoice", "nota": "receipt",
    "invoice": "invoice",
    # authenticity, ordering
    "asli": "genuine", "ori": "original", "original": "original", "palsu": "fake", "kw": "fake", "cara": "how to",
    "cara beli": "how to buy", "cara belinya": "how to buy", "cara pesan": "how to order", "pesan": "order",
    "checkout": "checkout", "order": "order", "udah order": "ordered", "sudah order": "ordered",
    "udah checkout": "checked out", "sudah checkout": "checked out",
    # products
    "kuat": "strong", "anak": "child", "bayi": "baby", "balita": "toddler", "umur": "age", "usia": "age",
    "bulan": "months", "tahun": "years old", "lipat": "fold", "dilipat": "folded", "kabin": "cabin",
    "pesawat": "plane", "bagasi": "trunk", "sandaran": "backrest", "rebah": "recline", "direbahkan": "reclined",
    "tidur": "sleep", "tiduran": "lie down", "bahan": "material", "bahannya": "the material", "katun": "cotton",
    "tebal": "thick", "tipis": "thin", "menerawang": "see-through", "cuci": "wash", "dicuci": "washed",
    "cuci mesin": "machine wash", "dicuci mesin": "machine washed", "nyucinya": "washing", "menyusut": "shrink",
    "susut": "shrink", "luntur": "fade", "setrika": "iron", "bulu": "down", "isi": "contents", "isinya": "contents",
    "hangat": "warm", "dingin": "cold", "musim dingin": "winter", "jaket": "jacket", "sweter": "sweater",
    "sepatu": "shoes", "lari": "running", "sehari-hari": "everyday", "kaus kaki": "socks", "kaos kaki": "socks",
    "kaos": "t-shirt", "muat": "fit", "syal": "scarf", "selendang": "shawl", "gatal": "itchy", "leher": "neck",
    "kulit": "skin", "berminyak": "oily", "kering": "dry", "jerawat": "acne", "sensitif": "sensitive",
    "kandungan": "ingredients", "kandungannya": "ingredients", "bumil": "pregnant", "hamil": "pregnant",
    "pagi": "morning", "malam": "night", "tetes": "drops", "tahan": "last", "kadaluarsa": "expiry",
    "expired": "expiry", "botol": "bottle", "hemat": "better value", "lipstik": "lipstick", "bibir": "lips",
    "nempel": "transfer", "masker": "mask", "kotak": "box", "kado": "gift", "hadiah": "gift", "kacang": "nuts",
    "kacang tanah": "peanuts", "alergi": "allergy", "bungkus": "packs", "panas": "hot", "jam": "hours", "teh": "tea",
    "seduh": "brew", "kopi": "coffee", "bau": "smell", "plastik": "plastic", "mainan": "toy", "aman": "safe",
    "keping": "pieces", "nyambung": "connect", "persen": "percent", "berapa persen": "what percent",
    # question words, verbs, particles
    "bisa": "can", "boleh": "can", "apa": "what", "apa aja": "what", "apa saja": "what", "ga": "not", "gak": "not",
    "nggak": "not", "enggak": "not", "ngga": "not", "gk": "not", "tidak": "not", "tak": "not", "belum": "yet",
    "sudah": "already", "udah": "already", "gimana": "how", "bagaimana": "how", "di mana": "where",
    "dimana": "where", "mana": "which", "yang mana": "which one", "aku": "I", "saya": "I", "ini": "this",
    "itu": "that", "yang": "the", "dan": "and", "atau": "or", "untuk": "for", "buat": "for", "kalau": "if",
    "kalo": "if", "lebih": "more", "mau": "want", "sama": "with", "dengan": "with", "dari": "from",
    "banyak": "many", "juga": "also", "cocok": "suitable", "pakai": "use", "pake": "use", "kak": "", "ka": "",
    "kakak": "", "sis": "", "gan": "", "min": "", "ya": "", "dong": "", "sih": "", "nih": "", "deh": "", "kah": "",
    # more shop words (h/vi8): fillings, flavours, weather, sizes
    "angsa": "goose", "bulu angsa": "goose down", "bebek": "duck", "bulu bebek": "duck down", "madu": "honey",
    "salju": "snow", "di": "in", "panjang": "length", "ukurannya berapa": "how big",
    "kadaluarsa kapan": "when does it expire", "bungkus kecil": "small packs",
}

# Glossed, but no evidence of Vietnamese or Indonesian: English or Spanish words, loanwords both use, and
# a few diacritic-free Vietnamese forms; ``bot.gloss`` also treats every diacritic-free form of a single Vietnamese
# word shorter than five letters as weak ("con" = còn, "la" = là, "can" = cần, "the" = thẻ, "may" = mấy).
WEAK: frozenset[str] = frozenset({
    # loanwords and English words both languages use
    "ship", "shop", "size", "sale", "voucher", "link", "date", "form", "combo", "cod", "auth", "free ship", "ready",
    "stock", "restock", "refund", "transfer", "invoice", "checkout", "order", "original", "promo", "expired",
    "shop ơi", "shop oi",
    # Vietnamese or Indonesian words that are also English or Spanish words
    "to", "da", "ad", "ha", "k", "hem", "sao", "ya", "min", "dan", "ka", "sis", "gan", "pas", "ke", "di", "jam",
    "ori", "tak", "mana", "gratis", "aman", "cara", "nota", "yang", "dong", "son", "chai", "saya", "pesan", "rasa",
    # Vietnamese words without their diacritics that are English or Spanish words: a phrase made only of weak words
    # is weak ("hang that" = hàng thật, "con hang" = còn hàng); a diacritic-free form of one Vietnamese word shorter
    # than five letters is weak anyway
    "con", "la", "de", "se", "do", "may", "me", "em", "ai", "an", "can", "the", "that", "hang", "on", "them", "day",
    "a", "am", "ban", "hat", "den", "don", "gap", "hop", "sang", "toi", "tot", "mac", "be", "tang", "qua", "chan",
    "khan", "lay", "hon", "va", "nay", "ma", "dat", "dung", "rat", "mun", "thu", "gui", "ao", "chat", "mat", "nu",
    "vo", "tat", "tui", "lo", "co", "no", "so", "ten", "mi", "vi", "bi", "chi", "hay", "thang", "trong", "long",
    "nam", "cho", "lon", "tra", "gia", "mau",
})

# Question particles: at the end of a comment (only particles, fillers and punctuation after them) they are "?".
QUESTION_FINAL: frozenset[str] = frozenset({
    "không", "khong", "ko", "k", "hông", "hong", "hem", "khum", "chưa", "chua", "ga", "gak", "nggak", "enggak",
    "ngga", "gk", "tidak", "belum",
})

# "X được không" (can X?): at the end of a comment the gloss is fronted, "giặt máy được không" → "can I machine wash?"
# (English word order: USE-m3 puts "can I return?" much nearer "can I return it" than "return can?").
FRONT_FINAL: frozenset[str] = frozenset({
    "được không", "được ko", "được k", "dc không", "dc ko", "dc k", "đc không", "đc ko", "đc k",
})
