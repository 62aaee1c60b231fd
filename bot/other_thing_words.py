"""Words that say what an attribute question is about, in the room languages besides Chinese and English (es, vi, id,
ja, ko, th). Data, written for this project; read by bot/attribute_subject.py.

- ``OTHER_THINGS``: nouns naming things in a live room that are not the goods on sale — the host's microphone, camera,
  phone, lights, the background, the furniture, the host's hair or dress, a pet, the room itself. A viewer asks "¿de
  qué material es tu micrófono?" or "ผ้าม่านข้างหลังผ้าอะไร" of them, and the stage product's fabric does not answer.
  A word here still counts as the product's own when the product's own words use it (a phone case on stage).
- ``DETERMINERS``: Spanish names a thing in a noun phrase after an article, a demonstrative or a possessive ("tu
  micrófono", "la botella", "el reloj de la pared"), as English does (bot/slots.py); the noun is read unless it is in
  ``NOT_A_THING`` (colours and sizes said as nouns, "la misma", the attribute words themselves). Vietnamese and
  Indonesian put the owner after the noun: their noun phrase is read around the attribute word (``NP_BEFORE``,
  ``NP_AFTER``, below).
- ``HOST_WEARS``: "what the host is wearing" ("váy chị đang mặc", "baju yg kakak pake", "着てる服"): a garment on the
  host, which may or may not be the one on sale — a question for staff, like the host's size (bot/guards.py).
- ``HOST_GARMENT``: Spanish "tu chaqueta", "sus pantalones": a garment after the host's possessive is the host's own
  clothes unless the product's own words name that garment ("tu camiseta" with the tee on stage).
- ``OWN_KIND``: words for a kind of goods and its parts, by the catalog's category ("ropa", "áo", "baju", "服", "옷",
  "เสื้อ" for apparel …), and ``ANY_GOODS`` for any product: a noun after "tu" that is one of them names the goods.
- ``NOT_SUBJECT``: where a noun is not what the question is about — after a preposition ("con la luz", "untuk hp",
  "trong phòng") or before a particle of place or means ("照明で", "조명에서"): what for or where, not what.

Words are matched folded (NFKC + casefold); Latin words stand alone (an Indonesian "-nya" may follow: "kursinya"),
Korean ones start a word, katakana ones are not inside a longer katakana word ("ライト" is not in "クラウドライト").
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "ANY_GOODS", "CLITIC", "DETERMINERS", "GARMENT_KINDS", "HOST_GARMENT", "HOST_WEARS", "LANGS", "NOT_A_THING", "NOT_SUBJECT",
    "NP_ABORT", "NP_ADDRESS", "NP_AFTER", "NP_BEFORE", "NP_FILLER", "OTHER_THINGS", "OWN_KIND", "TH_ASK_COLOUR",
    "TH_THINGS", "TH_WORDS", "TOPIC_NOT_A_THING",
]

LANGS = ("es", "vi", "id", "ja", "ko", "th")

OTHER_THINGS: Mapping[str, tuple[str, ...]] = {
    "es": (
        # the host's gear
        "micrófono", "microfono", "micro", "mic", "cámara", "camara", "celular", "teléfono", "telefono", "móvil",
        "movil", "funda", "teclado", "laptop", "portátil", "portatil", "computadora", "ordenador", "audífonos",
        "audifonos", "auriculares", "trípode", "tripode", "aro de luz", "lámpara", "lampara", "foco", "focos", "luces",
        "luz",
        # the room
        "cortina", "cortinas", "pared", "paredes", "fondo", "mesa", "escritorio", "silla", "sillón", "sillon", "sofá",
        "sofa", "repisa", "estante", "estantería", "estanteria", "alfombra", "tapete", "cojín", "cojin", "almohada",
        "peluche", "cuadro", "estudio", "habitación", "habitacion", "calefacción", "calefaccion",
        # the host
        "pelo", "cabello", "uñas", "unas", "lentes", "gafas", "anteojos", "aretes", "pendientes", "collar", "vestido",
        "falda", "perro", "perrito", "gato", "gatito", "mascota",
        "taza", "vaso", "bolso", "manta", "cobija", "bicicleta",
    ),
    "vi": (
        "micro", "mic", "mích", "máy quay", "camera", "điện thoại", "dien thoai", "đt", "ốp lưng", "op lung",
        "bàn phím", "ban phim", "laptop", "máy tính", "may tinh", "tai nghe", "đèn", "den led", "chân máy",
        "rèm", "rem cua", "màn cửa", "tường", "phông nền", "phong nen", "cái bàn", "cai ban", "bàn làm việc",
        "ghế sofa", "ghe sofa", "sofa", "cái ghế", "cai ghe", "cái kệ", "kệ sách", "tấm thảm", "thảm trải sàn", "cái gối",
        "gối ôm", "gấu bông", "gau bong", "phòng live", "phong live", "phòng livestream", "căn phòng", "điều hòa",
        "dieu hoa", "máy lạnh", "may lanh", "chăn", "cái chăn", "mền", "xe đạp", "xe dap", "cái cốc", "cốc", "bình hoa",
        "túi xách", "tui xach", "cái túi", "balo",
        "tóc", "móng tay", "móng", "mắt kính", "kính mắt", "bông tai", "khuyên tai", "dây chuyền", "váy", "chân váy",
        "con chó", "con mèo", "chó", "mèo", "cún",
    ),
    "id": (
        "mic", "mik", "mikrofon", "kamera", "hp", "handphone", "ponsel", "casing", "case hp", "keyboard", "laptop",
        "headset", "earphone", "tripod", "ring light", "lampu", "gorden", "gordyn", "tirai", "dinding", "tembok",
        "background", "latar", "meja", "kursi", "sofa", "rak", "karpet", "bantal", "boneka", "kamar", "studio", "ac",
        "rambut", "kuku", "kacamata", "anting", "kalung", "rok", "dress", "gamis", "kucing", "anjing", "gelas", "cangkir",
        "selimut", "sepeda",
    ),
    "ja": (
        "マイク", "カメラ", "スマホ", "携帯", "ケータイ", "スマホケース", "キーボード", "パソコン", "ノートパソコン",
        "イヤホン", "ヘッドホン", "三脚", "照明", "ライト", "リングライト", "ランプ", "カーテン", "壁", "背景", "机",
        "テーブル", "デスク", "椅子", "イス", "ソファ", "ソファー", "棚", "ラグ", "カーペット", "クッション", "ぬいぐるみ",
        "部屋", "スタジオ", "エアコン", "暖房", "髪", "髪の毛", "ネイル", "爪", "メガネ", "眼鏡", "ピアス", "イヤリング",
        "ネックレス", "ワンピース", "スカート", "犬", "猫", "ワンちゃん", "猫ちゃん",
        "コップ", "マグカップ", "カバン", "鞄", "毛布", "自転車",
    ),
    "ko": (
        "마이크", "카메라", "핸드폰", "휴대폰", "폰", "폰케이스", "케이스", "키보드", "노트북", "컴퓨터", "이어폰", "헤드폰",
        "삼각대", "조명", "링라이트", "램프", "커튼", "벽", "배경", "책상", "테이블", "의자", "소파", "선반", "러그",
        "카펫", "쿠션", "인형", "방", "스튜디오", "에어컨", "히터", "머리카락", "헤어", "네일", "손톱", "안경", "귀걸이",
        "목걸이", "원피스", "치마", "강아지", "고양이", "컵", "머그컵", "가방", "담요", "이불", "자전거",
    ),
    "th": (
        "ไมค์", "ไมโครโฟน", "กล้อง", "มือถือ", "โทรศัพท์", "เคส", "คีย์บอร์ด", "โน้ตบุ๊ก", "โน๊ตบุ๊ค", "คอมพิวเตอร์", "หูฟัง",
        "ขาตั้ง", "โคมไฟ", "ไฟ", "ผ้าม่าน", "ม่าน", "ผนัง", "กำแพง", "ฉากหลัง", "พื้นหลัง", "โต๊ะ", "เก้าอี้", "โซฟา",
        "ชั้นวาง", "พรม", "หมอน", "ตุ๊กตา", "ห้อง", "สตูดิโอ", "แอร์", "ทรงผม", "เส้นผม", "สีผม", "ผมพี่", "เล็บ", "แว่น", "ต่างหู",
        "สร้อย", "กระโปรง", "หมา", "แมว", "น้องหมา", "น้องแมว", "แก้วน้ำ", "ผ้าห่ม", "จักรยาน",
    ),
}

# Thai and Japanese words that begin longer, ordinary words (what may not follow them): "ไฟ" (light) in "ไฟฟ้า", "ไฟล์"; "หมา"
# (dog) in "หมาย". Thai runs words together, so a short word may also straddle two ("คอม", a computer, in "ผ้าพันคอมี
# กี่สี", a scarf has how many colours): such words are left out. Japanese: "携帯" (a phone) is also "to carry"
# ("携帯しやすい", "携帯性").
NOT_A_WORD_AFTER: Mapping[str, str] = {"ไฟ": "ฟ|ล", "หมา": "ย", "携帯": "し|す|性|可能|でき|便利"}

DETERMINERS: Mapping[str, tuple[str, ...]] = {
    # not "esta" / "estas": typed without the accent they are "está" / "estás" ("de qué material esta hecho")
    "es": ("el", "la", "los", "las", "del", "este", "estos", "ese", "esa", "esos", "esas", "aquel",
           "aquella", "tu", "tus", "vuestro", "vuestra", "vuestros", "vuestras"),
}

# "la" / "lo" / "las" / "los" as a pronoun before a verb, not an article: after "si", "no", "me", "se", "ya" … ("¿se
# encoge si la meto a la secadora?", "no la lavo", "se la pongo"); the word after it is a verb.
CLITIC: Mapping[str, str] = {
    "es": r"(?<![^\W\d_])(?:si|no|me|te|se|nos|os|ya|que|y|cuando|lo|le)\s+(?:la|lo|las|los)\s+[^\W\d_]+$",
}

# Words after a determiner that do not name a thing: colours and sizes said as nouns ("la blanca", "la grande"),
# "the same / the other", what a question asks (the attribute words themselves), the shop, the stream, an opinion,
# a season or the washing machine (what for, not what), and verbs after a pronoun "la" / "lo".
NOT_A_THING: Mapping[str, tuple[str, ...]] = {
    "es": (
        "blanca", "blanco", "blancas", "blancos", "negra", "negro", "negras", "negros", "gris", "grises", "azul",
        "azules", "roja", "rojo", "rosa", "rosada", "verde", "amarilla", "amarillo", "beige", "crema", "marino", "morada",
        "morado", "café", "marrón", "marron", "grande", "grandes", "pequeña", "pequeño", "chica", "chico", "mediana",
        "mediano", "misma", "mismo", "mismas", "mismos", "otra", "otro", "otras", "otros", "primera", "primero",
        "segunda", "segundo", "última", "último", "de", "que", "qué", "más", "mas", "mejor", "única", "único",
        "material", "materiales", "tela", "telas", "peso", "color", "colores", "talla", "tallas", "tamaño", "medida",
        "medidas", "precio", "envío", "envio", "calidad", "marca", "composición", "composicion", "origen", "relleno",
        "grosor", "lavado", "foto", "fotos", "video", "imagen", "tienda", "canal", "live", "directo", "transmisión",
        "transmision", "opinión", "opinion", "recomendación", "recomendacion", "página", "pagina", "catálogo",
        "catalogo", "link", "enlace", "favor", "consejo", "ayuda", "verdad", "invierno", "verano", "frío", "frio",
        "calor", "lluvia", "agua", "máquina", "maquina", "lavadora", "secadora", "sol", "sombra", "mano",
        # a pronoun before a verb ("si no me queda la puedo devolver"), not an article
        "puedo", "puedes", "quiero", "tengo", "compro", "compré", "compre", "pido", "llevo", "uso", "lavo", "mando",
        "pongo", "veo", "cambio", "devuelvo", "un", "una", "unos", "unas",
        # a verb after "tu" typed for "tú" ("tu crees que la tela es buena?")
        "crees", "sabes", "tienes", "usas", "recomiendas", "puedes", "dices", "piensas", "llevas", "vendes",
        "prefieres", "opinas", "quieres",
    ),
}

HOST_WEARS: Mapping[str, tuple[str, ...]] = {
    "es": (r"\b(?:que\s+)?(?:llevas|traes|usas|tienes)\s+puest[oa]s?\b", r"\bque\s+(?:llevas|traes)\b"),
    "vi": (r"\b(?:chị|chi|anh|bạn|ban|em|shop)\s+(?:đang\s+|dang\s+)?(?:mặc|mac|đeo|deo)\b",),
    "id": (r"\b(?:yg|yang)\s+(?:kakak|kak|ka|mimin|min|sis|mbak|mba|kakaknya)\s+(?:pake|pakai|kenakan)\b",
           r"\b(?:dipake|dipakai)\s+(?:kakak|kak|ka|mimin|min|sis|mbak|mba)\b"),
    "ja": (r"着てる|着ている|着ていらっしゃる|着用中",),
    "ko": (r"입은|입고 ?있는|입으신",),
    "th": (r"ที่(?:พี่|แม่ค้า|คุณ)ใส่|(?:พี่|แม่ค้า)ใส่อยู่",),
}

# Spanish: a garment after the host's possessive ("tu chaqueta", "sus pantalones") is what the host wears; it is the
# goods only when the product's own words name that garment (the tee on stage is a "camiseta", and "tu camiseta" is
# the tee the host shows), not because any garment is apparel.
HOST_GARMENT: Mapping[str, tuple[str, str]] = {
    "es": (
        r"(?<![^\W\d_])(?:tu|tus|su|sus)\s+([^\W\d_]+)",
        "|".join((
            "camiseta", "camisetas", "camisa", "camisas", "playera", "playeras", "remera", "remeras", "polera", "poleras",
            "chaqueta", "chaquetas", "chamarra", "chamarras", "abrigo", "abrigos", "sudadera", "sudaderas", "suéter",
            "sueter", "jersey", "blusa", "blusas", "pantalón", "pantalon", "pantalones", "jeans", "vaqueros", "short",
            "shorts", "chaleco", "gorra", "gorro", "bufanda", "calcetines", "medias", "zapatos", "zapatillas", "tenis",
        )),
    ),
}

OWN_KIND: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "apparel": {
        # any garment and its parts; a word for one kind of garment (a jacket, a shirt) is in ``GARMENT_KINDS``
        "es": ("ropa", "prenda", "manga", "mangas", "cuello", "bolsillo", "bolsillos", "capucha", "cremallera", "cierre",
               "forro", "botones", "tela"),
        "vi": ("áo", "ao", "quần áo", "tay áo", "cổ áo", "túi", "khóa kéo", "mũ", "vải"),
        "id": ("baju", "lengan", "kerah", "saku", "kantong", "resleting", "tudung", "bahan"),
        "ja": ("服", "洋服", "トップス", "袖", "襟", "ポケット", "ファスナー", "フード", "裏地", "生地"),
        "ko": ("옷", "상의", "소매", "카라", "주머니", "지퍼", "후드", "안감", "원단"),
        "th": ("เสื้อ", "เสื้อผ้า", "แขน", "แขนเสื้อ", "คอเสื้อ", "ปกเสื้อ", "กระเป๋าเสื้อ", "ซิป", "ฮู้ด", "ซับใน", "ผ้า"),
    },
    "shoes": {
        "es": ("zapato", "zapatos", "zapatilla", "zapatillas", "tenis", "suela", "talón", "talon", "plantilla",
               "cordones", "par"),
        "vi": ("giày", "giay", "đế", "gót", "lót giày", "dây giày", "đôi"),
        "id": ("sepatu", "sol", "tumit", "insole", "tali", "pasang"),
        "ja": ("靴", "シューズ", "スニーカー", "ソール", "かかと", "インソール", "靴ひも"),
        "ko": ("신발", "운동화", "밑창", "굽", "깔창", "신발끈"),
        "th": ("รองเท้า", "พื้นรองเท้า", "ส้น", "แผ่นรอง", "เชือก"),
    },
    "baby": {
        "es": ("carriola", "carrito", "cochecito", "coche", "ruedas", "rueda", "manija", "asiento", "capota",
               "canasta", "freno"),
        "vi": ("xe", "xe đẩy", "bánh xe", "tay cầm", "ghế", "mái che", "giỏ", "phanh"),
        "id": ("stroller", "kereta", "roda", "pegangan", "dudukan", "kursi", "kanopi", "keranjang", "rem"),
        "ja": ("ベビーカー", "車輪", "タイヤ", "ハンドル", "シート", "幌", "カゴ", "ブレーキ"),
        "ko": ("유모차", "바퀴", "손잡이", "시트", "차양", "바구니", "브레이크"),
        "th": ("รถเข็น", "รถ", "ตัวรถ", "ล้อ", "ที่จับ", "เบาะ", "หลังคา", "ตะกร้า", "เบรก"),
    },
}

# Words for one kind of garment, each with what it is in Chinese and English. Unlike ``OWN_KIND`` they are not the
# goods' own because the goods are apparel: "แจ็คเก็ตตัวนี้ผ้าอะไร" or "la chaqueta de qué material es" with the tee on
# stage asks about a jacket, not the tee. Such a word is a product's own only when its own words name that kind — the
# word itself or a gloss in its names, aliases, tags or FAQ example questions (any language): "camiseta" is the tee's
# (its Spanish name), "แจ็คเก็ต" the down jacket's (its aliases "puffer jacket", "羽绒外套") — so the catalog decides,
# not the list (bot/attribute_subject.py, ``garment_kind`` and ``_garment_own``). Written for this project.
_TEE = ("t恤", "短袖", "tee", "t-shirt", "tshirt")
_SHIRT = ("衬衫", "shirt")
_JACKET = ("夹克", "外套", "羽绒服", "jacket", "puffer", "coat")
_COAT = ("外套", "大衣", "风衣", "羽绒服", "coat", "puffer", "jacket")
_PUFFER = ("羽绒服", "羽绒", "面包服", "puffer", "down")
_HOODIE = ("卫衣", "hoodie", "sweatshirt")
_SWEATER = ("毛衣", "针织", "sweater", "jumper", "knit")
_VEST = ("马甲", "背心", "vest", "gilet")
_TROUSERS = ("裤", "pants", "trousers", "jeans")
GARMENT_KINDS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "es": {"camiseta": _TEE, "camisetas": _TEE, "playera": _TEE, "remera": _TEE, "polera": _TEE, "camisa": _SHIRT,
           "camisas": _SHIRT, "chaqueta": _JACKET, "chaquetas": _JACKET, "chamarra": _JACKET, "cazadora": _JACKET,
           "abrigo": _COAT, "abrigos": _COAT, "plumífero": _PUFFER, "plumifero": _PUFFER, "sudadera": _HOODIE,
           "suéter": _SWEATER, "sueter": _SWEATER, "jersey": _SWEATER, "chaleco": _VEST, "pantalón": _TROUSERS,
           "pantalon": _TROUSERS, "pantalones": _TROUSERS},
    "vi": {"áo thun": _TEE, "ao thun": _TEE, "áo phông": _TEE, "ao phong": _TEE, "áo sơ mi": _SHIRT, "ao so mi": _SHIRT,
           "sơ mi": _SHIRT, "áo khoác": _JACKET, "ao khoac": _JACKET, "áo gió": _JACKET, "áo măng tô": _COAT,
           "áo phao": _PUFFER, "ao phao": _PUFFER, "áo lông vũ": _PUFFER, "áo hoodie": _HOODIE, "hoodie": _HOODIE,
           "áo nỉ": _HOODIE, "áo len": _SWEATER, "ao len": _SWEATER, "áo gile": _VEST},
    "id": {"kaos": _TEE, "kaus": _TEE, "kemeja": _SHIRT, "jaket": _JACKET, "jacket": _JACKET, "mantel": _COAT,
           "hoodie": _HOODIE, "sweater": _SWEATER, "rompi": _VEST, "celana": _TROUSERS},
    "ja": {"tシャツ": _TEE, "ティーシャツ": _TEE, "ティシャツ": _TEE, "シャツ": (*_SHIRT, *_TEE), "ジャケット": _JACKET,
           "アウター": _COAT, "コート": _COAT, "ダウン": _PUFFER, "パーカー": _HOODIE, "セーター": _SWEATER,
           "ニット": _SWEATER, "ベスト": _VEST, "ズボン": _TROUSERS, "パンツ": _TROUSERS},
    "ko": {"티셔츠": _TEE, "티": _TEE, "반팔": _TEE, "반팔티": _TEE, "셔츠": (*_SHIRT, *_TEE), "자켓": _JACKET,
           "재킷": _JACKET, "아우터": _COAT, "코트": _COAT, "패딩": _PUFFER, "후드티": _HOODIE, "니트": _SWEATER,
           "스웨터": _SWEATER, "조끼": _VEST, "바지": _TROUSERS},
    "th": {"เสื้อยืด": _TEE, "เสื้อเชิ้ต": _SHIRT, "เชิ้ต": _SHIRT, "แจ็คเก็ต": _JACKET, "แจ็กเก็ต": _JACKET,
           "เสื้อแจ็คเก็ต": _JACKET, "เสื้อแจ็กเก็ต": _JACKET, "เสื้อกันหนาว": _COAT, "เสื้อโค้ท": _COAT, "โค้ท": _COAT,
           "เสื้อคลุม": _COAT, "เสื้อขนเป็ด": _PUFFER, "เสื้อดาวน์": _PUFFER, "เสื้อฮู้ด": _HOODIE, "ฮู้ดดี้": _HOODIE,
           "สเวตเตอร์": _SWEATER, "เสื้อสเวตเตอร์": _SWEATER, "เสื้อไหมพรม": _SWEATER, "กางเกง": _TROUSERS},
}

ANY_GOODS: Mapping[str, tuple[str, ...]] = {
    "es": ("producto", "artículo", "articulo", "cosa", "modelo"),
    "vi": ("sản phẩm", "san pham", "sp", "hàng", "món"),
    "id": ("barang", "produk"),
    "ja": ("商品", "製品"),
    "ko": ("상품", "제품"),
    "th": ("สินค้า",),
}

# Japanese and Korean name the thing asked about as the topic right before the attribute word: "ポスターの素材は",
# "時計は何でできて", "시계 소재가 뭐예요", "언니 모자 소재 뭐예요" (bot/attribute_subject.py reads that word). Not a
# thing: these words, and a word right before an attribute word that is the predicate ("방수 소재예요?", is it a
# waterproof material; "綿素材ですか": no particle between them).
TOPIC_NOT_A_THING: Mapping[str, tuple[str, ...]] = {
    "ja": ("本体", "全体", "色", "白", "黒", "方", "中", "表", "裏", "前", "後ろ", "後", "横", "上", "下", "今", "実際",
           "普通", "一番", "全部", "商品", "製品", "サイズ", "カラー", "ホワイト", "ブラック"),
    "ko": ("이", "그", "저", "이거", "그거", "저거", "이건", "그건", "요거", "요건", "이것", "언니", "오빠", "누나", "형",
           "사장님", "님", "뒤에", "앞에", "혹시", "근데", "그럼", "진짜", "정말", "무슨", "어떤", "좋은", "색", "색상", "컬러",
           "흰색", "검은색", "검정", "하얀", "까만", "제품", "상품", "실제", "전체", "겉", "안", "겉감", "자체", "본체",
           "대략", "대충", "정확한", "정확히", "총", "대체"),
}

# A noun after these (and an article) says what for or where, not what is asked about: "¿se transparenta con la luz?",
# "cocok buat hp?", "mặc trong phòng lạnh"; in Japanese and Korean the particle follows the noun ("照明で透ける?").
NOT_SUBJECT: Mapping[str, str] = {
    "es": r"\b(?:con|en|para|sin|a|al|bajo|sobre|contra|entre|hacia|desde|hasta|como)\s+"
          r"(?:(?:el|la|los|las|un|una|mi|mis|tu|tus)\s+)?$",
    "vi": r"\b(?:cho|trong|với|voi|vào|vao|trên|tren|dưới|duoi|khi|lúc|luc|để|de|ở|o|như|nhu|bằng|bang)\s+$",
    "id": r"\b(?:untuk|buat|di|ke|dengan|dlm|dalam|pakai|pake|kayak|kaya|seperti|sama)\s+$",
    "ja": r"^(?:で|に|へ|と|より|用|みたい|っぽ|の中|の前|の下)",
    "ko": r"^(?:에서|에|으로|로|랑|이랑|하고|보다|처럼|같이|용)",
    "th": r"(?:ใน|กับ|ตอน|เวลา|สำหรับ|ใต้|โดน|เหมือน|แบบ)$",
}

# Vietnamese and Indonesian name the thing an attribute question is about in a noun phrase right before the attribute
# word ("cái đồng hồ chất liệu gì", "jamnya bahannya apa") or right after it ("chất liệu của cái ghế", "bahan dari
# lemari itu apa"). ``NP_BEFORE``: the attribute words a phrase may precede (material, weight); ``NP_AFTER``: the words
# a phrase follows, with its end (in Indonesian the question word, then only fillers to the end of the comment).
# The phrase is the first run of words that are not ``NP_FILLER`` (classifiers, pronouns, owners, places,
# demonstratives, particles, a part or the whole of the goods: "cái", "chị", "của", "phía sau", "kak", "itu", "di
# belakang", "phần", "isinya"); a clause holding one of
# ``NP_ABORT`` (question, colour and attribute words, verbs of use, the viewer's child, "for") or a non-letter is not
# read at all. Written for this project.
NP_BEFORE: Mapping[str, str] = {
    "vi": r"(?<![^\W\d_])(?:chất liệu|chat lieu|làm bằng|lam bang|làm từ|lam tu|nặng bao nhiêu|nang bao nhieu|nặng mấy"
          r"|nang may|trọng lượng|trong luong)(?![^\W\d_])",
    "id": r"(?<![^\W\d_])(?:bahannya|terbuat dari|dibuat dari|beratnya)(?![^\W\d_])",
}
NP_AFTER: Mapping[str, str] = {
    "vi": r"(?<![^\W\d_])(?:chất liệu|chat lieu|trọng lượng|trong luong)\s+(?:của|cua)\s+(?P<np>[^,.!?;:]+)",
    "id": r"(?<![^\W\d_])(?:bahan|berat)(?:nya)?\s+(?:dari\s+)?(?P<np>[^,.!?;:]+?)\s+(?:apa|berapa)"
          r"(?P<tail>(?:\s+[^\W\d_]+)*)\s*[?？!.]*\s*$",
}
NP_FILLER: Mapping[str, frozenset[str]] = {
    "vi": frozenset((
        "shop", "sốp", "sop", "ad", "admin", "chị", "chi", "anh", "em", "bạn", "ban", "mình", "minh", "ơi", "oi", "ạ",
        "a", "nha", "nhé", "nhe", "vậy", "vay", "thế", "the", "này", "nay", "đó", "do", "kia", "ấy", "ay", "của", "cua",
        "cái", "cai", "con", "chiếc", "chiec", "bức", "buc", "tấm", "quyển", "những", "các", "cac", "cho", "hỏi", "hoi",
        "xin", "là", "la", "thì", "thi", "có", "co", "phía", "phia", "sau", "lưng", "lung", "trước", "truoc", "bên",
        "ben", "cạnh", "canh", "đằng", "dang", "đang", "ở", "o", "đây", "day", "hả", "ha", "luôn", "với",
        # a part or the whole of the goods, not a thing ("phần thân", "lớp ngoài", "bo cổ", "tổng thể", "cả xe")
        "phần", "phan", "tổng", "tong", "thể", "cả", "ca", "một", "mot", "mỗi", "hai", "lớp", "lop", "mặt", "thân",
        "than", "ngoài", "ngoai", "lót", "ruột", "bo", "viền", "vien", "cổ",
        # the goods said as "it", "this model", "this set", and asking ("em muốn hỏi", "cho mình biết")
        "nó", "no", "mẫu", "mã", "kiểu", "kieu", "đồ", "bộ", "muốn", "muon", "biết", "biet", "hôm",
    )),
    "id": frozenset((
        "kak", "kakak", "ka", "kk", "kaka", "sis", "min", "mimin", "gan", "mbak", "mba", "bang", "bu", "pak", "ini",
        "itu", "ya", "yg", "yang", "dong", "deh", "sih", "nih", "tuh", "aja", "punya", "dari", "di", "belakang",
        "samping", "depan", "sebelah", "atas", "bawah", "tanya", "boleh", "mau", "kalau", "kalo", "klo", "tu", "nah",
        "halo", "hai", "permisi", "kakaknya", "lho", "kah", "ga", "gak", "nggak", "nya",
        # a part or the whole of the goods ("isinya", "bahan dalamnya", "lapisan luar", "sepasang", "totalnya")
        "isi", "isian", "dalam", "luar", "lapisan", "lapis", "total", "sepasang", "satu", "keseluruhan", "bagian",
        "badan", "semua",
        # the goods said as "this model", and asking ("mau nanya", "pengen tau")
        "model", "tipe", "nanya", "pengen", "ingin", "tau", "tahu", "mana",
    )),
}
# a clause that opens with one of these and one more word calls someone by name ("kak rina bahannya apa", "chị lan chất
# liệu gì"): not read; nor is anything before a Vietnamese "ơi" ("chị lan ơi").
NP_ADDRESS: Mapping[str, frozenset[str]] = {
    "vi": frozenset(("chị", "chi", "anh", "em", "shop", "bạn", "ban", "ad", "admin", "cô", "co")),
    "id": frozenset(("kak", "kakak", "ka", "kk", "sis", "min", "mimin", "mbak", "mba", "gan", "bang", "bu", "pak")),
}
NP_ABORT: Mapping[str, frozenset[str]] = {
    "vi": frozenset((
        "gì", "gi", "nào", "nao", "sao", "bao", "nhiêu", "mấy", "màu", "size", "sai", "cỡ", "loại", "loai", "vải", "vai",
        "chất", "chat", "mặc", "mac", "giặt", "giat", "mua", "dùng", "dung", "xài", "xai", "bé", "be", "trẻ", "mẹ",
        "người", "trong", "khi", "lúc", "để", "như", "bằng", "hang", "trắng", "trang", "đen", "đỏ", "xanh", "hồng", "xám",
        "vàng", "kem", "nâu", "tím", "hàng", "sản", "phẩm", "sp", "mùa", "đông", "hè", "không", "ko", "khong",
    )),
    "id": frozenset((
        "apa", "berapa", "warna", "ukuran", "size", "gimana", "bagaimana", "cuci", "dicuci", "pakai", "pake",
        "dipake", "dipakai", "anak", "bayi", "baby", "adek", "dedek", "saya", "aku", "gue", "untuk", "buat", "cocok",
        "putih", "hitam", "merah", "biru", "hijau", "abu", "krem", "coklat", "cokelat", "barang", "produk", "adem",
        "panas", "tipis", "tebal", "tebel", "lembut", "halus", "bagus", "nyaman", "ringan", "berat", "bahan", "katun",
        "musim", "dingin", "hangat",
    )),
}

# Thai (bot/thai_segment.py, bot/attribute_subject.py): Thai runs its words together, so a Thai comment is split into
# the words of a closed lexicon first, and the thing asked about is the noun that opens the clause of the attribute
# word ("แก้วที่พี่ถืออยู่ทำจากอะไร": แก้ว, a glass) or follows it after ของ ("น้ำหนักของจักรยาน"). ``TH_THINGS``: nouns for
# things in a room, on the host or around the house that are not the goods on sale (read where they open that clause;
# the words of ``OTHER_THINGS["th"]`` are also read anywhere, as before). A noun outside every list counts only when a
# noun phrase visibly goes on after it: an owner ("…ของพี่"), a place ("…ข้างหลัง", "…บนโต๊ะ"), "ที่" + a person or a
# verb of placing ("…ที่พี่ถือ", "…ที่จอดอยู่"), or a classifier + "that" ("…ใบนั้น"). Written for this project.
TH_THINGS: Mapping[str, tuple[str, ...]] = {
    # each with what it is in Chinese and English: a shop that sells one names it so in its catalog ("保温杯", "water
    # bottle", "suitcase"), and then the Thai word is that product's own (bot/attribute_subject.py, ``_own_th``)
    # drinkware and the kitchen
    "แก้ว": ("杯", "cup", "mug", "tumbler"), "แก้วน้ำ": ("杯", "cup", "tumbler"), "แก้วกาแฟ": ("杯", "cup", "mug"),
    "แก้วมัค": ("杯", "mug"), "มัค": ("杯", "mug"), "แก้วเยติ": ("杯", "tumbler"), "ถ้วย": ("杯", "碗", "cup", "bowl"),
    "ถ้วยกาแฟ": ("杯", "cup", "mug"), "ถ้วยชา": ("杯", "cup", "teacup"), "จาน": ("盘", "碟", "plate", "dish"),
    "ชาม": ("碗", "bowl"), "ช้อน": ("勺", "spoon"), "ส้อม": ("叉", "fork"), "ตะเกียบ": ("筷", "chopsticks"),
    "หม้อ": ("锅", "pot"), "กระทะ": ("锅", "pan", "wok"), "กาต้มน้ำ": ("水壶", "热水壶", "kettle"),
    "กาน้ำ": ("壶", "kettle", "jug"), "กาน้ำชา": ("壶", "teapot"), "ขวด": ("瓶", "bottle"),
    "ขวดน้ำ": ("瓶", "水杯", "bottle"), "กระบอกน้ำ": ("瓶", "水杯", "保温杯", "bottle", "flask"),
    "เหยือก": ("壶", "jug", "pitcher"), "ถาด": ("托盘", "tray"), "ตู้เย็น": ("冰箱", "fridge", "refrigerator"),
    "ไมโครเวฟ": ("微波炉", "microwave"), "เตา": ("炉", "stove", "oven"), "หม้อหุงข้าว": ("电饭煲", "rice cooker"),
    "เครื่องชงกาแฟ": ("咖啡机", "coffee machine", "coffee maker"), "ขวดน้ำหอม": ("香水", "perfume"),
    "น้ำหอม": ("香水", "perfume", "fragrance"),
    # furniture, decoration, the room
    "ตู้": ("柜", "cabinet", "wardrobe", "closet", "cupboard"), "ตู้เสื้อผ้า": ("衣柜", "wardrobe", "closet"),
    "ไม้แขวน": ("衣架", "hanger"), "ไม้แขวนเสื้อ": ("衣架", "hanger"), "ราวแขวน": ("衣架", "rack"),
    "ราวแขวนเสื้อ": ("衣架", "rack"), "ราวตากผ้า": ("晾衣架", "drying rack"), "เตียง": ("床", "bed"),
    "ที่นอน": ("床垫", "mattress"), "ผ้าปูที่นอน": ("床单", "sheet", "bedsheet"),
    "ผ้าห่ม": ("被子", "毯", "blanket", "duvet", "quilt"), "ผ้าปูโต๊ะ": ("桌布", "tablecloth"),
    "ผ้าเช็ดตัว": ("浴巾", "毛巾", "towel"), "ผ้าเช็ดหน้า": ("手帕", "毛巾", "handkerchief"),
    "พรมเช็ดเท้า": ("地垫", "doormat", "mat"), "หมอนอิง": ("抱枕", "靠垫", "cushion", "pillow"),
    "กระจก": ("镜", "mirror"), "นาฬิกา": ("钟", "表", "clock", "watch"), "นาฬิกาแขวน": ("挂钟", "clock"),
    "นาฬิกาข้อมือ": ("手表", "watch"), "รูปภาพ": ("画", "照片", "picture", "painting", "photo"),
    "ภาพวาด": ("画", "painting"), "ภาพถ่าย": ("照片", "photo"), "กรอบรูป": ("相框", "画框", "frame"),
    "โปสเตอร์": ("海报", "poster"), "แจกัน": ("花瓶", "vase"), "ดอกไม้": ("鲜花", "花束", "flower", "bouquet"),
    "ต้นไม้": ("绿植", "盆栽", "plant"), "กระถาง": ("花盆", "pot", "planter"), "กระถางต้นไม้": ("花盆", "planter"),
    "เทียน": ("蜡烛", "candle"), "ตะกร้า": ("篮", "筐", "basket"), "ประตู": ("门", "door"), "หน้าต่าง": ("窗", "window"),
    "เพดาน": ("天花板", "ceiling"), "ลิ้นชัก": ("抽屉", "drawer"), "หลอดไฟ": ("灯泡", "bulb"), "พัดลม": ("风扇", "fan"),
    "เครื่องฟอกอากาศ": ("净化器", "purifier"), "ทีวี": ("电视", "tv", "television"), "โทรทัศน์": ("电视", "television"),
    "ลำโพง": ("音箱", "音响", "speaker"), "จอ": ("显示器", "monitor", "screen"), "คอม": ("电脑", "computer", "laptop"),
    "เมาส์": ("鼠标", "mouse"), "ไอแพด": ("平板", "ipad", "tablet"), "แท็บเล็ต": ("平板", "tablet"),
    "ไอโฟน": ("手机", "iphone", "phone"), "ปากกา": ("笔", "pen"), "สมุด": ("笔记本", "本子", "notebook"),
    "หนังสือ": ("书", "book"), "ห้องแอร์": (),
    # on the host
    "กระเป๋า": ("包包", "背包", "手提包", "挎包", "钱包", "bag", "handbag", "backpack", "purse", "tote"),
    "กระเป๋าสะพาย": ("背包", "挎包", "单肩包", "bag", "backpack"), "กระเป๋าถือ": ("手提包", "handbag", "bag", "tote"),
    "กระเป๋าเดินทาง": ("行李箱", "拉杆箱", "suitcase", "luggage"), "กระเป๋าตังค์": ("钱包", "wallet", "purse"),
    "กระเป๋าสตางค์": ("钱包", "wallet", "purse"), "หมวก": ("帽", "hat", "cap", "beanie"), "กิ๊บ": ("发夹", "clip"),
    "ที่คาดผม": ("发箍", "headband"), "ยางรัดผม": ("发圈", "scrunchie"), "กำไล": ("手镯", "手链", "bracelet", "bangle"),
    "แหวน": ("戒指", "ring"), "สร้อยคอ": ("项链", "necklace"), "เข็มขัด": ("腰带", "皮带", "belt"),
    "แว่นตา": ("眼镜", "glasses", "eyeglasses"), "แว่นกันแดด": ("墨镜", "太阳镜", "sunglasses"),
    "ร่ม": ("雨伞", "遮阳伞", "umbrella"), "พัด": ("扇子", "fan"),
    # vehicles, sport, toys, pets
    "จักรยาน": ("自行车", "单车", "bicycle", "bike"), "รถจักรยาน": ("自行车", "单车", "bicycle", "bike"),
    "มอเตอร์ไซค์": ("摩托", "motorcycle", "motorbike"), "มอไซค์": ("摩托", "motorcycle", "motorbike"),
    "รถยนต์": ("汽车", "car"), "สกู๊ตเตอร์": ("滑板车", "scooter"), "คาร์ซีท": ("安全座椅", "car seat"),
    "ดัมเบล": ("哑铃", "dumbbell"), "ลู่วิ่ง": ("跑步机", "treadmill"), "เสื่อโยคะ": ("瑜伽垫", "yoga mat"),
    "ลูกบอล": ("皮球", "足球", "篮球", "ball"), "ไม้แบด": ("球拍", "racket"), "สเก็ตบอร์ด": ("滑板", "skateboard"),
    "ตุ๊กตาหมี": ("玩偶", "小熊", "teddy"), "ปลา": ("鱼", "fish"), "นก": ("鸟", "bird"), "กรงนก": ("鸟笼", "cage"),
    "ตู้ปลา": ("鱼缸", "aquarium"),
}

# The other words of the Thai lexicon, by what they do around a noun. ``skip``: words that may open a clause before
# its noun (calling the host, particles, asking, "and then"); ``person``: owners (also skipped); ``place``: where a thing
# is; ``mark``: ของ, ที่ and verbs of placing, which go on a noun phrase; ``classifier`` and ``that``: "ใบนั้น";
# ``this``: the goods pointed at ("ตัวนี้", "อันนี้"); ``stop``: words after which no noun is read (colours, sizes,
# verbs of use, prepositions, question words, people, numbers said in words) and ordinary words that hold a short
# noun of the lists ("คุณภาพ", quality, holds ภาพ; "ความหมาย", meaning, holds หมา; "ไฟฟ้า", electricity, holds ไฟ).
TH_WORDS: Mapping[str, tuple[str, ...]] = {
    "skip": (
        "คะ", "ค่ะ", "ค่า", "คับ", "ครับ", "ครัช", "ฮะ", "ฮับ", "จ้า", "จ้ะ", "จ๊ะ", "จ๋า", "ค้า", "ขา", "นะ", "น่ะ", "อ่ะ",
        "อะ", "อ่า", "ล่ะ", "ละ", "เนี่ย", "หน่อย", "ด้วย", "บ้าง", "เลย", "ขอถาม", "สอบถาม", "ถาม", "ถามหน่อย", "อยากรู้",
        "อยากทราบ", "ว่า", "ขอ", "รบกวน", "แล้ว", "แล้วก็", "ส่วน", "และ", "แต่", "ก็", "สวัสดี", "หวัดดี", "ฮัลโหล",
        "ตกลง", "จริงๆ", "ว้าว", "เอ่อ", "อ้อ",
    ),
    "person": (
        "พี่", "พี่ๆ", "พี่สาว", "แม่ค้า", "แม่ค้าคนสวย", "คุณ", "น้อง", "แอดมิน", "แอด", "เธอ", "เค้า", "เขา", "ท่าน",
        "หนู", "เรา", "ผม", "ฉัน", "ดิฉัน", "ไลฟ์", "ร้าน",
    ),
    "place": (
        "ข้างหลัง", "ด้านหลัง", "หลังพี่", "ข้างๆ", "ด้านข้าง", "ข้างบน", "ด้านบน", "บน", "ใต้", "ตรงนั้น", "ตรงนู้น",
        "ตรงโน้น", "ตรงมุม", "มุมห้อง", "มุม", "ในมือ", "ฝั่งซ้าย", "ฝั่งขวา", "ทางซ้าย", "ทางขวา", "ด้านซ้าย", "ด้านขวา",
        "บนโต๊ะ", "บนผนัง", "บนหัว", "บนชั้น", "ที่ผนัง", "ติดผนัง",
    ),
    "mark": ("ของ", "ที่", "ถือ", "ถืออยู่", "วาง", "วางอยู่", "แขวน", "แขวนอยู่", "จอด", "จอดอยู่", "ตั้ง", "ตั้งอยู่",
             "อยู่", "ห้อย", "ใช้อยู่"),
    "classifier": ("ตัว", "ใบ", "คัน", "อัน", "ชิ้น", "คู่", "เครื่อง", "ลูก", "เล่ม", "ผืน", "ต้น", "รุ่น", "ชุด", "เส้น",
                   "แผ่น", "หลัง", "ด้าม", "วง", "เรือน"),
    "that": ("นั้น", "โน้น", "นู้น", "นั่น", "โน่น"),
    "this": ("นี้", "นี่", "ตัวนี้", "อันนี้", "รุ่นนี้", "ชิ้นนี้", "แบบนี้", "ตัวนั้น", "อันนั้น"),
    "stop": (
        # colours, sizes, numbers in words
        "สี", "ขาว", "ดำ", "แดง", "ฟ้า", "เขียว", "เหลือง", "ชมพู", "เทา", "ครีม", "น้ำตาล", "กรม", "ม่วง", "ส้ม", "ไซส์",
        "ไซซ์", "ไซด์", "หนึ่ง", "สอง", "สาม",
        # verbs of use and buying, prepositions, comparing
        "ใส่", "ใช้", "ซัก", "ตาก", "รีด", "ทา", "กิน", "ทาน", "ดื่ม", "ชง", "พับ", "ยก", "เข็น", "นอน", "วิ่ง", "เดิน", "ไป",
        "ซื้อ", "สั่ง", "เอา", "มี", "เป็น", "คือ", "ได้", "ใน", "กับ", "สำหรับ", "ตอน", "เวลา", "ถ้า", "ให้", "เพื่อ", "กว่า",
        "เหมือน", "แบบ",
        # question words
        "อะไร", "ไหม", "มั้ย", "ป่าว", "เปล่า", "เท่าไหร่", "เท่าไร", "กี่", "ยังไง", "อย่างไร", "ไหน", "ใคร",
        # people who use the goods
        "เด็ก", "ลูก", "ทารก", "แม่", "ผู้ชาย", "ผู้หญิง", "คน", "แฟน",
        # ordinary words that hold a short noun of the lists
        "คุณภาพ", "ความหมาย", "ไฟฟ้า", "ไฟล์", "รูปทรง", "ทรง", "ที่ร่ม", "ร่มเงา", "แก้วตา", "จอง", "กระจาย",
        "นกหวีด", "ปลาย", "ตู้ไปรษณีย์", "เหมาะ", "เหมา", "สวย", "มาก", "ดี", "จริง", "แท้",
        # ... and words of the goods' own texts that hold one (review 2026-12-04): knitting yarn holds พรม, spin-dry
        # and a number hold หมา, a container's inner wall holds ผนัง
        "ไหมพรม", "หมาด", "หมาย", "หมายเลข", "ผนังด้านใน", "ผนังด้านนอก", "ผนังชั้นใน", "ผนังสองชั้น",
    ),
}

# "Which colour" asked in Thai, read like the attribute words of bot/attribute_words.py ("สีผมพี่สีอะไร").
TH_ASK_COLOUR: tuple[str, ...] = ("สีอะไร", "กี่สี", "สีไหน")
