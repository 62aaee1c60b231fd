"""Built-in words that ask for a common product attribute, in the room languages (zh, en, ja, ko, th, vi, id, es).
Data, written for this project; one place.

The catalog's own ``synonyms.attributes`` (staff data) say which words ask for which attribute key of
the shop. Many shops use the same keys for the same facts (``weight``, ``material``, ``care`` …, see
docs/catalog-format.md "Attribute words"), so a viewer who asks "重さは？" or "ซักเครื่องได้ไหม" is understood without
staff writing those words: ``bot.slots.Recogniser`` adds the words below for every key some product has, unless the
catalog already uses the word (the shop's data wins) or it is part of a product's name ("ขนเป็ด", duck down, inside
"เสื้อขนเป็ด", a down jacket).

Words are matched folded (NFKC + casefold), the longest match wins ("รับน้ำหนัก" = max load before "น้ำหนัก" =
weight), and a word only counts in a question. Each is specific to its attribute: "重い" (heavy) is left out because
"重い子でも乗れますか" asks about the load, not the stroller's weight.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["ATTRIBUTE_WORDS", "OUTRANKS", "attribute_words", "ranked"]

ATTRIBUTE_WORDS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "weight": {
        "zh": ("多重", "重不重", "几斤", "多少斤", "多少克", "轻不轻", "重量", "沉不沉"),
        "en": ("how light", "is it light", "is it heavy", "how many grams", "how much does it weigh"),
        "ja": ("重さ", "重量", "本体の重さ", "何グラム", "軽いですか", "軽い?"),
        "ko": ("무게", "몇 그램", "가벼워요", "가볍나요", "무겁나요", "무거워요"),
        "th": ("หนักกี่", "หนักเท่าไหร่", "หนักเท่าไร", "หนักไหม", "หนักมั้ย", "เบาไหม", "เบามั้ย", "น้ำหนักเท่าไหร่",
               "น้ำหนักกี่"),
        "vi": ("nặng bao nhiêu", "nang bao nhieu", "nặng không", "nang khong", "nặng ko", "nhẹ không", "nhe khong",
               "nhẹ ko", "trọng lượng", "trong luong", "nặng mấy", "nang may"),
        "id": ("beratnya", "berat berapa", "berapa gram", "ringan gak", "ringan nggak", "ringan ga", "berat gak",
               "berat nggak"),
        "es": ("cuánto pesa", "cuanto pesa", "qué peso tiene", "que peso tiene", "es ligera", "es ligero", "pesa mucho",
               "es pesada", "es pesado", "cuánto pesan", "cuanto pesan", "pesan mucho", "son ligeros", "son ligeras",
               "son pesados", "son pesadas"),
    },
    "max_load": {
        "zh": ("承重", "最大承重", "能坐多重", "能承受多重", "承重多少", "多重的宝宝", "多重的孩子", "多重的娃"),
        "en": ("max weight", "maximum weight", "weight capacity", "how much weight", "how heavy a kid", "how heavy a child",
               "heavy kid", "heavy child", "heavy toddler"),
        "ja": ("耐荷重", "何キロまで", "何kgまで", "最大荷重"),
        "ko": ("최대 하중", "하중", "몇 kg까지", "몇 키로까지", "몇키로까지", "몇kg까지"),
        "th": ("รับน้ำหนัก", "รองรับน้ำหนัก", "น้ำหนักสูงสุด"),
        "vi": ("chịu được bao nhiêu", "chiu duoc bao nhieu", "chịu tải", "chiu tai", "tải trọng", "tai trong",
               "tối đa bao nhiêu kg", "toi da bao nhieu kg"),
        "id": ("kuat sampai", "kuat berapa", "beban maksimal", "beban maks", "maksimal berapa kg", "maks berapa kg"),
        "es": ("cuánto peso aguanta", "cuanto peso aguanta", "cuánto peso soporta", "cuanto peso soporta",
               "peso máximo", "peso maximo", "carga máxima", "carga maxima", "aguanta hasta", "kilos aguanta",
               "kilos soporta", "kg aguanta", "kg soporta"),
    },
    "material": {
        "zh": ("材质", "面料", "什么料", "什么材料", "啥材质", "啥面料"),
        "en": ("what material", "made of", "made from", "what fabric"),
        "ja": ("素材", "材質", "生地は何", "何でできて"),
        "ko": ("소재", "재질", "원단", "무슨 천"),
        "th": ("วัสดุ", "ทำจากอะไร", "ผ้าอะไร", "เนื้อผ้า"),
        "vi": ("chất liệu", "chat lieu", "chất gì", "chat gi", "vải gì", "vai gi", "làm bằng gì", "lam bang gi"),
        "id": ("bahannya", "bahan apa", "terbuat dari"),
        "es": ("material", "de qué está hecho", "de que esta hecho", "de qué tela", "qué tela", "que tela",
               # of things in the plural: "¿tus pulseras de qué son?"
               "de qué son", "de que son", "de qué están hech", "de que estan hech"),
    },
    "fabric_weight": {
        "zh": ("透不透", "会透吗", "透吗", "厚不厚", "薄不薄", "厚度", "透光"),
        "en": ("see through", "see-through", "sheer", "how thick", "is it thin", "thick or thin"),
        "ja": ("透け", "生地の厚さ", "生地は厚い", "生地薄い"),
        "ko": ("비치", "비쳐", "두께", "얇아요", "두꺼워요"),
        "th": ("มองทะลุ", "โป๊ไหม", "ผ้าบาง", "บางไหม", "ผ้าหนา", "หนาไหม"),
        "vi": ("bị lộ", "bi lo", "có lộ", "co lo", "mỏng không", "mong khong", "dày không", "day khong", "độ dày",
               "do day"),
        "id": ("menerawang", "nerawang", "tipis gak", "tipis nggak", "tebal gak", "tebal nggak", "tebel gak"),
        "es": ("transparenta", "se transparenta", "es fina", "es gruesa", "grosor"),
    },
    "care": {
        "zh": ("机洗", "手洗", "怎么洗", "缩水", "掉色", "洗衣机", "水洗"),
        "en": ("washing machine", "in the washer", "machine washable", "shrink", "tumble dry", "dryer"),
        "ja": ("洗濯", "洗えますか", "洗える", "手洗い", "縮みますか", "縮む", "お手入れ"),
        "ko": ("세탁", "빨아도", "줄어들", "물세탁", "손빨래"),
        "th": ("ซักเครื่อง", "ซักได้", "ซักยังไง", "หดไหม", "หดมั้ย", "ซักแล้วหด", "วิธีซัก"),
        "vi": ("giặt máy", "giat may", "giặt được", "giat duoc", "giặt như thế nào", "có bị co", "co bi co", "bị co",
               "bi co", "cách giặt", "cach giat"),
        "id": ("cuci mesin", "dicuci", "cara cuci", "menyusut", "nyusut", "cara mencuci"),
        "es": ("lavadora", "se lava", "lavar a máquina", "lavar a maquina", "encoge", "cómo se lava", "como se lava"),
    },
    "fit": {
        # 挤脚 / 夹脚 (pinches the foot) asked as a yes/no question ("42码挤脚吗", "会挤脚吗") is a fit question, as
        # 偏小; not the word alone: "鞋子挤脚能退吗", "挤脚怎么办" report a pair that pinches (returns, staff)
        "zh": ("偏大", "偏小", "码数准", "尺码准", "正码", "版型", "宽不宽松", "挤脚吗", "会挤脚", "挤不挤脚", "夹脚吗",
               "会夹脚", "夹不夹脚"),
        "en": ("run small", "run big", "runs large", "run large", "oversize", "oversized", "baggy", "size up", "size down"),
        "ja": ("サイズ感", "大きめ", "小さめ", "普段のサイズ", "普段通りのサイズ", "サイズ通り"),
        "ko": ("정사이즈", "사이즈감", "크게 나와", "작게 나와", "핏이 어때", "오버핏"),
        "th": ("ไซส์ตรง", "ไซส์ใหญ่", "ไซส์เล็ก", "ตรงไซส์", "ทรงใหญ่", "ทรงหลวม", "โอเวอร์ไซส์"),
        "vi": ("form rộng", "form rong", "đúng size", "dung size", "form chuẩn", "form chuan", "rộng không",
               "rong khong", "chật không", "chat khong"),
        "id": ("true size", "ukurannya pas", "kebesaran", "kekecilan", "ukuran normal", "modelnya longgar"),
        "es": ("talla normal", "talla grande", "talla pequeño", "talla pequeña", "tallan grande", "tallan pequeño",
               "queda grande", "queda pequeño", "es holgad", "corte holgado"),
    },
    "origin": {
        "zh": ("产地", "哪里产", "哪里生产", "哪产的", "哪里产的"),
        "en": ("where is it made", "country of origin", "where is this made", "where are they made"),
        "ja": ("どこ産", "原産国", "生産国", "どこで作", "産地"),
        "ko": ("원산지", "어디서 만들", "어느 나라", "생산지"),
        "th": ("ผลิตที่ไหน", "ผลิตจากประเทศ", "แหล่งผลิต", "มาจากไหน"),
        "vi": ("xuất xứ", "xuat xu", "sản xuất ở đâu", "san xuat o dau", "hàng nước nào", "hang nuoc nao"),
        "id": ("buatan mana", "produksi mana", "asal negara", "made in mana"),
        "es": ("dónde se fabrica", "donde se fabrica", "de dónde es", "de donde es", "origen", "hecho en"),
    },
    "fill": {
        "zh": ("鸭绒", "鹅绒", "充的什么", "什么绒"),
        "en": ("filling", "filled with", "duck or goose", "goose down", "what's inside"),
        "ja": ("中綿", "ダックダウン", "グースダウン", "ダウンの種類"),
        "ko": ("충전재", "오리털", "거위털", "구스다운", "덕다운"),
        "th": ("ขนเป็ด", "ขนห่าน", "บุด้วย", "ไส้ใน"),
        "vi": ("lông vịt", "long vit", "lông ngỗng", "long ngong", "ruột bông", "ruot bong", "lót gì", "lot gi"),
        "id": ("bulu bebek", "bulu angsa", "isinya apa", "isian"),
        "es": ("plumón de pato", "plumon de pato", "plumón de ganso", "plumon de ganso", "relleno"),
    },
    # the outer fabric of a garment: whether it keeps water out is the shell's, never the fill's ("เสื้อขนเป็ดกันน้ำได้ป่าว"
    # named the fill by the product's own noun, ขนเป็ด, and was answered "90% white duck down")
    "shell": {
        "zh": ("防水", "防泼水", "泼水", "外层", "外面料", "面料防水"),
        "en": ("waterproof", "water-repellent", "water repellent", "water resistant", "water-resistant", "rainproof",
               "outer fabric"),
        "ja": ("防水", "撥水", "はっ水", "表地", "雨に強"),
        "ko": ("방수", "발수", "겉감"),
        "th": ("กันน้ำ", "กันฝน", "ผ้าด้านนอก", "ผ้าชั้นนอก"),
        "vi": ("chống nước", "chong nuoc", "chống thấm", "chong tham", "kháng nước", "khang nuoc", "vỏ ngoài", "vo ngoai"),
        "id": ("tahan air", "anti air", "antiair", "kedap air", "bahan luar", "tahan hujan"),
        "es": ("impermeable", "repelente al agua", "resistente al agua", "aguanta la lluvia", "tela exterior"),
    },
    "fill_weight": {
        "zh": ("充绒量", "含绒量", "多少绒"),
        "en": ("fill power", "how much down", "down content"),
        "ja": ("充填量", "ダウン量", "ダウン率"),
        "ko": ("충전량", "다운 함량", "솜털 비율"),
        "th": ("ปริมาณขน", "เปอร์เซ็นต์ขน"),
        "vi": ("bao nhiêu gram lông", "ti le long", "tỉ lệ lông"),
        "id": ("kadar bulu", "berapa gram bulu", "persen bulu"),
        "es": ("cuánto plumón", "cuanto plumon", "gramos de plumón", "porcentaje de plumón"),
    },
    "warmth": {
        "zh": ("保暖", "暖和吗", "暖不暖", "冷不冷", "零下", "够暖"),
        "en": ("warm enough", "is it warm", "how warm", "below freezing", "below zero", "for winter", "cold enough"),
        "ja": ("暖かい", "あったかい", "温かい", "氷点下", "寒くない", "何度まで"),
        "ko": ("따뜻해", "따뜻한가", "보온", "영하", "안 추워", "겨울에", "몇 도"),
        "th": ("อุ่นไหม", "อุ่นมั้ย", "กันหนาว", "ติดลบ", "หนาวไหม", "หน้าหนาว", "อุ่นพอ", "อากาศหนาว", "กี่องศา"),
        "vi": ("ấm không", "am khong", "ấm ko", "có ấm", "co am", "giữ ấm", "giu am", "âm độ", "am do", "đủ ấm", "du am",
               "mùa đông", "mua dong", "mấy độ", "bao nhiêu độ"),
        "id": ("hangat gak", "hangat nggak", "hangat ga", "anget gak", "anget nggak", "musim dingin", "bawah nol",
               "berapa derajat"),
        "es": ("abriga", "es calient", "bajo cero", "para el frío", "para el frio", "para el invierno", "en invierno",
               "cuántos grados", "cuantos grados"),
    },
    "age_range": {
        # and a child's age given ("2 tháng tuổi", "a 3 month old", "3个月的宝宝", "2 ขวบ"): whether it suits that age
        "zh": ("几个月", "几岁", "多大的宝宝", "多大宝宝", "新生儿", "适合几岁", "多大能", "多大可以", "个月的宝宝",
               "个月宝宝", "个月大的", "岁的宝宝", "岁宝宝", "岁的孩子", "岁孩子", "岁的小孩",
               "个月能", "个月可以"),
        "en": ("what age", "how old", "newborn", "from birth", "how many months", "month old", "months old", "month-old",
               "year old", "years old", "year-old", "yr old", "yo kid", "yo son", "yo daughter"),
        "ja": ("何ヶ月から", "何か月から", "何歳から", "何歳まで", "対象年齢", "新生児", "ヶ月の赤ちゃん", "か月の赤ちゃん",
               "ヶ月の子", "か月の子", "歳の子", "歳児"),
        "ko": ("몇 개월부터", "몇개월부터", "몇 살부터", "몇살부터", "몇 살까지", "사용 연령", "신생아", "개월 아기",
               "개월 된", "개월된", "살 아이", "살 아기", "살짜리", "생후"),
        "th": ("กี่เดือน", "กี่ขวบ", "อายุเท่าไหร่", "เด็กแรกเกิด", "ช่วงอายุ", "ขวบ"),
        "vi": ("mấy tháng", "may thang", "mấy tuổi", "may tuoi", "sơ sinh", "so sinh", "độ tuổi", "do tuoi",
               "tháng tuổi", "thang tuoi", "tháng ngồi", "thang ngoi", "tháng nằm", "tháng dùng"),
        "id": ("umur berapa", "usia berapa", "bayi baru lahir", "dari umur", "dari usia", "untuk usia", "umur", "usia",
               "bulan udah bisa", "bulan sudah bisa", "bulan bisa pake", "bulan bisa pakai"),
        "es": ("qué edad", "que edad", "desde qué edad", "desde que edad", "recién nacido", "recien nacido",
               "cuántos meses", "cuantos meses", "meses de edad", "años de edad", "meses de nacido", "meses de nacida"),
    },
    "folded_size": {
        "zh": ("折叠", "收车", "登机", "上飞机"),
        "en": ("fold", "folded", "on a plane", "in the cabin", "carry-on", "carry on", "overhead bin"),
        "ja": ("折りたたみサイズ", "畳んだサイズ", "機内持ち込み", "飛行機に"),
        "ko": ("접었을 때", "접으면", "기내 반입", "비행기에"),
        "th": ("พับแล้ว", "ขนาดตอนพับ", "ขึ้นเครื่องบิน", "ถือขึ้นเครื่อง"),
        "vi": ("gấp lại", "gap lai", "khi gấp", "mang lên máy bay", "mang len may bay"),
        "id": ("dilipat", "ukuran lipat", "kabin pesawat", "bawa ke pesawat"),
        "es": ("plegad", "doblad", "cabe en el avión", "cabe en el avion", "cabina del avión", "cabina del avion"),
    },
    "recline": {
        "zh": ("平躺", "能躺", "可以躺", "靠背"),
        "en": ("recline", "lie flat", "lay flat", "nap in it", "sleep in it"),
        "ja": ("リクライニング", "フラットに", "寝かせ", "背もたれ"),
        "ko": ("등받이", "눕힐", "눕혀", "리클라이닝", "평평하게"),
        "th": ("ปรับนอน", "ปรับเอน", "พนักพิง", "นอนราบ"),
        "vi": ("ngả lưng", "nga lung", "nằm phẳng", "nam phang", "ngả được", "nga duoc", "lưng ghế", "lung ghe", "ngả nằm",
               "nga nam"),
        "id": ("direbahkan", "rebahan", "sandaran", "posisi tidur"),
        "es": ("reclina", "reclinar", "reclinable", "respaldo", "posición plana", "posicion plana"),
    },
    "dimensions": {
        "zh": ("多长", "多宽", "长宽", "尺寸多大"),
        "en": ("how long is", "how wide", "dimensions", "measurements"),
        "ja": ("寸法", "長さは", "幅は"),
        "ko": ("길이가", "치수"),
        "th": ("ยาวเท่าไหร่", "กว้างเท่าไหร่", "ขนาดเท่าไหร่"),
        "vi": ("kích thước", "kich thuoc", "dài bao nhiêu", "dai bao nhieu"),
        "id": ("dimensi", "panjangnya berapa", "ukurannya berapa cm"),
        "es": ("medidas", "dimensiones", "cuánto mide", "cuanto mide"),
    },
    "shelf_life": {
        "zh": ("保质期", "过期", "能放多久"),
        "en": ("shelf life", "expiry", "expiration", "best before", "how long does it last"),
        "ja": ("賞味期限", "消費期限", "使用期限", "日持ち"),
        "ko": ("유통기한", "사용기한", "보관 기간", "얼마나 보관"),
        "th": ("วันหมดอายุ", "อายุการใช้งาน", "เก็บได้นาน", "เก็บได้กี่วัน", "เก็บได้นานไหม"),
        "vi": ("hạn sử dụng", "han su dung", "hsd", "để được bao lâu", "de duoc bao lau", "bảo quản được bao lâu", "để được lâu"),
        "id": ("kedaluwarsa", "kadaluarsa", "expired", "tahan berapa lama", "awet berapa lama"),
        "es": ("caducidad", "fecha de vencimiento", "cuánto dura", "cuanto dura"),
    },
    "ingredients": {
        "zh": ("成分表", "成分", "含什么"),
        "en": ("ingredients", "what's in it"),
        "ja": ("成分", "配合"),
        "ko": ("성분", "전성분"),
        "th": ("ส่วนผสม", "ส่วนประกอบ"),
        "vi": ("thành phần", "thanh phan"),
        "id": ("komposisi", "kandungan"),
        "es": ("ingredientes", "componentes"),
    },
    "skin_type": {
        "zh": ("油皮", "干皮", "敏感肌", "肤质", "混油", "混干"),
        "en": ("oily skin", "dry skin", "skin type", "combination skin"),
        "ja": ("肌質", "脂性肌", "乾燥肌", "オイリー肌"),
        "ko": ("피부 타입", "지성 피부", "건성 피부", "지성", "건성"),
        "th": ("สภาพผิว", "ผิวมัน", "ผิวแห้ง"),
        "vi": ("loại da", "loai da", "da dầu", "da dau", "da khô", "da kho"),
        "id": ("jenis kulit", "kulit berminyak", "kulit kering"),
        "es": ("tipo de piel", "piel grasa", "piel seca"),
    },
    "usage": {
        # how much or how often to use it (the amount or the times, not "how to use a coupon")
        "zh": ("几滴", "用几滴", "一次用多少", "一天用几次", "一天几次", "每次用多少", "早上还是晚上"),
        "en": ("how many drops", "how much do i use", "how much should i use", "times a day", "morning or night"),
        "ja": ("何滴", "1日何回", "一日何回", "何回使", "朝と夜どっち", "朝か夜か"),
        "ko": ("몇 방울", "몇방울", "하루에 몇 번", "하루 몇 번", "하루에 몇번", "아침이랑 저녁 중"),
        "th": ("กี่หยด", "วันละกี่ครั้ง", "ใช้ครั้งละเท่าไหร่", "ตอนเช้าหรือตอนเย็น"),
        "vi": ("mấy giọt", "may giot", "bao nhiêu giọt", "bao nhieu giot", "ngày mấy lần", "ngay may lan", "sáng hay tối",
               "sang hay toi"),
        "id": ("berapa tetes", "brp tetes", "sehari berapa kali", "sehari brp kali", "pagi atau malam"),
        "es": ("cuántas gotas", "cuantas gotas", "cuántas veces al día", "cuantas veces al dia", "de día o de noche",
               "de dia o de noche"),
    },
    "heat_retention": {
        "zh": ("保温多久", "保温时间", "保温效果"),
        "en": ("keep hot", "keeps hot", "stay hot", "stays hot", "how many hours"),
        "ja": ("保温", "何時間温かい"),
        "ko": ("보온 시간", "보온력"),
        "th": ("เก็บความร้อน", "เก็บอุณหภูมิ"),
        "vi": ("giữ nhiệt", "giu nhiet"),
        "id": ("tahan panas", "menjaga suhu"),
        "es": ("mantiene el calor", "conserva el calor", "cuánto tiempo mantiene"),
    },
    "use": {
        # what the goods are for: a sport, a distance, everyday wear ("chạy bộ đường dài được không", "バスケで使え
        # ますか", "¿sirven para jugar baloncesto?"). A word inside the product's name ("running", "chạy bộ" of
        # "giày chạy bộ") is weak (bot/slots.py): it counts only when no other attribute is named
        "zh": ("跑马拉松", "马拉松", "半马", "全马", "长跑", "打篮球", "打球", "踢球", "健身房", "徒步", "爬山", "日常穿"),
        "en": ("marathon", "half marathon", "long distance", "long runs", "basketball", "tennis", "football", "soccer",
               "hiking", "for the gym", "at the gym", "for running", "for walking", "everyday wear"),
        "ja": ("マラソン", "ハーフマラソン", "長距離", "バスケ", "バスケットボール", "テニス", "サッカー", "ジム", "登山",
               "ハイキング", "ウォーキング", "普段履き"),
        "ko": ("마라톤", "하프 마라톤", "장거리", "농구", "테니스", "축구", "헬스", "등산", "러닝용", "걷기용", "평소에 신"),
        "th": ("มาราธอน", "วิ่งระยะไกล", "บาส", "บาสเกตบอล", "เทนนิส", "ฟุตบอล", "เข้ายิม", "เดินป่า", "ปีนเขา"),
        "vi": ("chạy bộ đường dài", "chạy đường dài", "chạy marathon", "chạy bộ được", "bóng rổ", "đá bóng",
               "tennis", "tập gym", "đi bộ đường dài", "leo núi", "đi hằng ngày", "đi hàng ngày"),
        "id": ("maraton", "marathon", "lari jarak jauh", "main basket", "futsal", "sepak bola", "tenis", "nge-gym", "ke gym",
               "hiking", "mendaki", "buat lari", "untuk lari", "sehari-hari"),
        "es": ("maratón", "maraton", "media maratón", "media maraton", "larga distancia", "baloncesto", "básquet",
               "basquet", "fútbol", "futbol", "tenis", "gimnasio", "senderismo", "para correr", "a diario"),
    },
    "packaging": {
        # how the goods come packed: a bag to carry them, a box
        "zh": ("包装", "手提袋", "礼品袋"),
        "en": ("packaging", "carry bag", "gift bag", "come with a bag", "comes with a bag"),
        "ja": ("手提げ", "紙袋", "包装"),
        "ko": ("쇼핑백", "포장"),
        "th": ("ถุงหิ้ว", "บรรจุภัณฑ์", "แพ็กเกจ"),
        "vi": ("túi xách", "tui xach", "túi giấy", "đóng gói", "bao bì"),
        "id": ("tas jinjing", "paper bag", "kemasan", "kemasannya"),
        "es": ("empaque", "embalaje", "bolsa de regalo"),
    },
    "gift_box": {
        "zh": ("礼盒", "礼品盒"),
        "en": ("gift box", "gift wrapped", "gift-wrapped", "gift wrap"),
        "ja": ("ギフトボックス", "ギフト包装", "ラッピング"),
        "ko": ("선물 상자", "선물상자", "선물 포장", "선물포장"),
        "th": ("กล่องของขวัญ", "ห่อของขวัญ"),
        "vi": ("hộp quà", "hop qua", "gói quà", "goi qua"),
        "id": ("kotak hadiah", "kotak kado", "bungkus kado", "dibungkus kado"),
        "es": ("caja de regalo", "envoltorio de regalo"),
    },
    "sensitive": {
        # sensitive skin, pregnancy and nursing: the serum's "sensitive" answer speaks of all three
        "zh": ("孕妇", "孕期", "哺乳期"),  # 敏感肌 is skin_type's word (zh and ja)
        "en": ("sensitive skin", "pregnant", "pregnancy", "breastfeeding", "nursing"),
        "ja": ("妊娠中", "妊婦", "授乳中"),
        "ko": ("민감성", "민감한 피부", "임산부", "임신 중", "수유 중"),
        "th": ("ผิวแพ้ง่าย", "ผิวบอบบาง", "คนท้อง", "ตั้งครรภ์", "ให้นมลูก"),
        "vi": ("da nhạy cảm", "da nhay cam", "bầu bí", "bau bi", "mẹ bầu", "me bau", "bà bầu", "có bầu", "đang bầu",
               "cho con bú"),
        "id": ("kulit sensitif", "ibu hamil", "hamil", "menyusui", "busui", "bumil"),
        "es": ("piel sensible", "embarazada", "embarazo", "lactancia", "dando el pecho"),
    },
    "allergens": {
        "zh": ("过敏", "花生", "芝麻"),
        "en": ("allergy", "allergic", "allergen", "peanut", "peanuts", "sesame"),
        "ja": ("アレルギー", "ピーナッツ", "落花生", "ごま"),
        "ko": ("알레르기", "알러지", "땅콩", "참깨"),
        "th": ("แพ้ถั่ว", "ถั่วลิสง", "สารก่อภูมิแพ้", "งา"),
        "vi": ("dị ứng", "di ung", "đậu phộng", "dau phong"),
        "id": ("alergi", "kacang tanah", "wijen"),
        "es": ("alergia", "alérgico", "alergico", "alérgica", "cacahuete", "cacahuetes", "maní", "sésamo"),
    },
    "sole": {
        "zh": ("鞋底", "中底", "大底", "减震"),
        "en": ("sole", "outsole", "midsole", "cushioning"),
        "ja": ("ソール", "靴底"),
        "ko": ("밑창", "아웃솔", "미드솔", "쿠션감"),
        "th": ("พื้นรองเท้า",),
        "vi": ("đế giày", "de giay", "đế êm", "đế có êm", "de co em", "êm chân", "em chan"),
        "id": ("sol sepatu", "solnya", "empuk"),
        "es": ("suela", "amortiguación", "amortiguacion"),
    },
    # whether a toy is safe: put in the mouth, chewed, swallowed, toxic. Named with a child's age ("두 살 아기가 입에 넣어도
    # 괜찮아요?") it is still the safety that is asked (OUTRANKS), not the age range
    "safety": {
        "zh": ("安全吗", "安全不", "有毒吗", "有没有毒", "会不会有毒", "放嘴里", "放进嘴", "塞嘴", "嘴里啃", "啃了", "会啃",
               "误食", "吞下去", "吞进去", "咽下去"),
        "en": ("is it safe", "are these safe", "are they safe", "is this safe", "safe for", "in her mouth",
               "in his mouth", "in their mouth", "in the mouth", "in my mouth", "chews", "chewing", "swallow", "choking",
               "choke", "toxic"),
        "ja": ("口に入れ", "口にいれ", "なめても", "舐めても", "かじって", "飲み込", "誤飲", "安全ですか", "安全でしょうか",
               "有害"),
        "ko": ("입에 넣", "입에 들어", "삼켜", "삼키", "안전해요", "안전한가요", "안전할까요", "독성", "유해"),
        "th": ("เข้าปาก", "ใส่ปาก", "อมเข้า", "กลืน", "ปลอดภัยไหม", "ปลอดภัยมั้ย", "สารพิษ", "มีพิษ"),
        "vi": ("vào miệng", "vao mieng", "cho vào mồm", "ngậm", "nuốt", "an toàn không", "an toan khong", "an toàn ko",
               "có độc", "co doc", "độc hại", "doc hai"),
        "id": ("ke mulut", "masuk mulut", "dimasukin ke mulut", "digigit", "gigit", "tertelan", "ketelen", "aman ga",
               "aman gak", "aman nggak", "aman buat", "aman untuk", "beracun"),
        "es": ("a la boca", "en la boca", "se lo mete", "se los mete", "muerde", "morder", "tragar", "trague",
               "atragant", "es seguro", "son seguros", "son seguras", "es segura", "tóxic", "toxic"),
    },
    # how many pieces a set holds (a building set, a puzzle): not how many are left ("sisa berapa pcs", "còn mấy cái")
    "pieces": {
        "zh": ("多少颗粒", "颗粒数", "多少片", "几片"),
        "en": ("how many pieces", "how many bricks", "piece count", "number of pieces"),
        "ja": ("何ピース", "ピース数"),
        "ko": ("몇 피스", "피스 수", "몇 조각", "블록 몇 개"),
        "th": ("ทั้งหมดกี่ชิ้น", "กี่ชิ้นในชุด", "มีกี่ชิ้นในชุด"),
        "vi": ("mấy chi tiết", "may chi tiet", "bao nhiêu chi tiết", "bao nhieu chi tiet", "bao nhiêu miếng ghép",
               "mấy miếng ghép"),
        "id": ("berapa keping", "jumlah keping", "isinya berapa", "isi berapa", "berapa pcs isinya"),
        "es": ("cuántas piezas", "cuantas piezas", "número de piezas", "numero de piezas", "cuántos bloques",
               "cuantos bloques"),
    },
}


# An attribute that, named in one question with another one, is the one asked: "is it safe for my 2 year old?" asks
# the toy's safety, the age only says for whom (bot/slots.py puts it first and drops the other).
OUTRANKS: Mapping[str, tuple[str, ...]] = {"safety": ("age_range",)}


# Small parts named ("怕他把小零件塞嘴里", "¿tiene piezas chiquitas?"): the worry is the age the set is for (its age range
# says "small parts, under-3s only with an adult"), so the safety is then not the attribute asked.
SMALL_PARTS = re.compile(
    r"小零件|小颗粒|小部件|小配件|零件太小|small parts?|tiny (?:parts|pieces)|小さい部品|小さな部品|細かい部品"
    r"|작은 부품|작은 조각|ชิ้นเล็ก|chi tiết nhỏ|chi tiet nho|linh kiện nhỏ|bagian kecil|keping kecil"
    r"|piezas (?:chiquitas|pequeñas|pequenas|chicas)"
)


def ranked(attributes: list[str], folded: str = "") -> list[str]:
    """``attributes`` (in the order named) without those outranked by another one named (:data:`OUTRANKS`); without
    the outranking ones when ``folded`` (the comment) names small parts."""
    beaten = {b for a in attributes for b in OUTRANKS.get(a, ())}
    if SMALL_PARTS.search(folded):  # the outranking ones are not asked (the matcher reads the age asked, or the parts)
        beaten = set(OUTRANKS)
    return [a for a in attributes if a not in beaten]


def attribute_words(key: str) -> tuple[str, ...]:
    """Every built-in word (all languages) that asks for attribute ``key``; () for a key the list does not know."""
    return tuple(word for words in ATTRIBUTE_WORDS.get(key, {}).values() for word in words)
