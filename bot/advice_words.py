"""Words that ask for a choice or advice between a product's variants, and words that name a skin tone, per room
language (data only; matched by bot/variant_advice.py).

"my nephew turns 6 next week, castle or dino?", "처음 써보는데 30ml부터 사는 게 나을까요?", "da ngam nen chon mau nao
shop", "¿conviene más el de 50ml que el de 30?", "05 rosewood 웜톤한테 괜찮아요?": a value of the product is named, or a
kind of value is asked for, so the recogniser reads a stock or list question ("30ml: 40 left", "colours: #01, #05 …").
The viewer asks which to take, whether one is worth it, or whether a shade suits their skin. The stock of the value,
its price or the list of what is left answers none of that.

Each entry is a regular-expression fragment, matched in the folded comment (NFKC, case-folded) and, for Latin
scripts, in the same text with the marks of Latin letters stripped (Vietnamese and Spanish are often typed without
them): an entry written without marks ("nen chon", "conviene") matches both spellings; one written with marks
("hợp", not "hộp", a box) only the marked one. Entries with a Latin letter match as whole words.

- ``CHOICE``: a choice or advice asked, strong enough alone ("哪个好", "should I get", "worth it", "どっちがいい",
  "나을까요", "อันไหนดี", "nên chọn", "mending", "conviene").
- ``OR_WORDS``: "or" between two options ("castle or dino?", "城堡款还是恐龙款", "lâu đài hay khủng long"). It asks a
  choice only when the comment has no stock word (``STOCK_WORDS``): "any M or L left?", "黑色还是白色有货" ask stock.
- ``SKIN_TONE``: a skin tone or undertone (黄皮, warm undertone, イエベ, 웜톤, ผิวสองสี, da ngăm, sawo matang, piel
  morena): a shade's suitability for it is advice.

Left out as ambiguous: 肤色 / 肌色 alone (also a colour, "nude"), "da trắng" / "kulit putih" / "piel negra" alone (da,
kulit and piel are also leather: white leather shoes), Chinese 哪个 alone ("哪个有货": which is in stock), Indonesian
"yang mana" alone ("yg mana yg ready?"), Japanese どう alone ("在庫はどうですか"), Korean 괜찮아요 alone, Indonesian
"asli" (original, genuine), Thai ของจริง (genuine), Vietnamese "hộp"/"hợp" without marks (a box / suits).
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["CHOICE", "OR_WORDS", "SKIN_TONE", "STOCK_WORDS"]

CHOICE: Mapping[str, tuple[str, ...]] = {
    "zh": ("哪个好", "哪个更好", "哪个比较好", "哪款好", "哪个划算", "哪个更划算", "哪个值", "哪个适合", "哪个合适",
           "选哪", "买哪", "拍哪", "入哪", "挑哪", "要哪个", "推荐哪", "值不值", "值得买", "值得入", "划算吗",
           "比较好吧", "好一点吗", "更好吗", "更适合", "更划算", "合适吗", "合不合适", "适合吗", "适不适合", "适合我",
           "先买", "先拍", "先入", "建议买", "建议拍", "纠结"),
    "en": ("should i (?:get|buy|go|take|pick|choose|order|grab|start)",
           ("which (?:one |colou?r |size |shade |flavou?r |set |bottle |pack )?"
            "(?:should|would you|do you recommend|is better|is best|is good|suits)"),
           "worth it", "worth the (?:money|price|extra)", "(?:is|are) (?:it|they|the \\S+) worth", "better",
           "recommend", "go for", "go with", "suits? me", "good choice", "(?:should|would) (?:i|you) (?:get|buy|pick)"),
    "ja": ("どっちがいい", "どちらがいい", "どれがいい", "どっちが良い", "どちらが良い", "どれが良い", "どっちがおすすめ",
           "の方がいい", "のほうがいい", "の方が良い", "のほうが良い", "方がいいですか", "ほうがいいですか", "おすすめ",
           "オススメ", "お勧め", "迷って", "迷う", "迷い中", "にすべき", "買うべき", "どっちにし", "どれにし",
           "(?:って|は)どうですか", "似合"),
    "ko": ("뭐가 (?:나아|나을|낫|좋)", "어떤 ?게 (?:나아|나을|낫|좋)", "어느 ?게 (?:나아|나을|낫|좋)", "나을까", "낫나요",
           "낫겠", "좋을까요", "살까요", "사는 ?게 (?:나|좋|낫)", "사야 (?:할까|하나|될까|돼|해)", "고를까", "골라 주",
           "추천", "괜찮을까", "중에 (?:뭐|어떤|어느)", "뭘로 (?:할까|살까)", "어울"),
    "th": ("(?:อัน|ตัว|สี|แบบ|ไซส์|ขวด|รส|เบอร์|ชุด)ไหนดี", "เอา(?:อัน|ตัว|สี|แบบ|ไซส์|ขวด|รส|เบอร์|ชุด)ไหน",
           "ควร(?:เลือก|ซื้อ|เอา|ใช้)", "เลือก(?:อะไร|อันไหน|สีไหน|ไซส์ไหน|แบบไหน|เบอร์ไหน)", "ดีไหม", "ดีมั้ย",
           "ดีกว่า", "คุ้มกว่า", "คุ้มไหม", "คุ้มมั้ย", "แนะนำ", "เหมาะกับ"),
    "vi": ("nen (?:chon|lay|mua|dung|xai|thu|lua)", "(?:chon|lay|mua|xai) (?:cai|mau|size|loai|chai|binh|bo) nao",
           "(?:cai|mau|loai|size|chai|binh|bo) nao (?:tot|dep|hop|ok|on|xin|ngon|loi)", "co dang", "dang (?:mua|tien)",
           "tot hon", "dep hon", "hợp hơn", "loi hon", "on hon", "hay hon", "tu van", "hợp với", "hợp da", "có hợp",
           "hợp không", "hợp ko"),
    "id": ("mending", "bagusan", "bagus(?:an)? (?:yang|yg) mana", "pilih (?:yang |yg )?mana", "ambil (?:yang |yg )?mana",
           "enak(?:nya|an) (?:yang |yg )?mana", "worth it", "lebih (?:bagus|baik|cocok|worth|oke|enak)", "sebaiknya",
           "rekomen\\w*", "saranin", "cocok(?:an)? (?:yang|yg) mana",
           "cocok (?:ga |gak |nggak |gk |ngga )?(?:buat|untuk|sama|di|dengan) (?:aku|saya|kulit|muka|wajah|bibir|kulitku)"),
    "es": ("conviene", "convendria", "recomienda(?:s|n)?", "recomendarias", "recomendas",
           "cual (?:me )?(?:compro|elijo|llevo|pido|escojo|agarro)", "que me llevo", "vale la pena", "merece la pena",
           "(?:es|sera|seria) mejor", "cual.{0,20}mejor", "mejor (?:el|la|los|las|opcion|compra)", "favorece"),
}

# "or" between two options; a choice only with no stock word in the comment
OR_WORDS: Mapping[str, tuple[str, ...]] = {
    "zh": ("(?<=\\S)还是(?=\\S)",),
    "en": ("or(?! not| no\\b| nah| what)",),
    "ja": ("それとも", "(?<=\\S)か(?:\\S{1,12})か(?:な|\\?|$)"),
    "ko": ("아니면",),
    "th": ("หรือ(?!เปล่า|ไม่|ยัง|ป่าว|ป่ะ|ปล่าว|เป่า)",),
    "vi": ("hay(?! (?:khong|ko|k|hong|chua|sao|qua|lam|that|ghe|nhi)\\b)(?= \\S)",),
    "id": ("atau(?! (?:tidak|nggak|gak|ga|enggak|belum)\\b)",),
    # and "o" between two bare nouns at the end of a question: "¿castillo o dinosaurios?"
    "es": ("o(?= (?:el|la|los|las|un|una|\\d|talla|color|tono|de) )",
           "(?<=[a-z\u00e1\u00e9\u00ed\u00f3\u00fa\u00f1]{4} )o(?= [a-z\u00e1\u00e9\u00ed\u00f3\u00fa\u00f1]{4,}\\s*\\?)"),
}

# what asks whether something is in stock, per language: with one of these, "or" lists the values asked about
STOCK_WORDS: Mapping[str, tuple[str, ...]] = {
    "zh": ("有货", "还有", "有吗", "有没有", "有木有", "库存", "没货", "卖完", "售罄", "缺货", "到货", "补货", "现货", "有的"),
    "en": ("have", "has", "any", "left", "stock", "available", "sold", "still", "carry", "sell", "restock", "in store"),
    "ja": ("在庫", "あります", "ある\\?", "ある？", "残って", "売り切", "品切", "完売", "入荷", "買え"),
    "ko": ("있어", "있나", "있을", "있는", "재고", "품절", "매진", "남았", "남아", "입고"),
    "th": ("มีไหม", "มีมั้ย", "มีอยู่", "ยังมี", "เหลือ", "หมด", "สต็อก", "สต๊อก", "มีของ"),
    "vi": ("con hang", "còn", "het hang", "hết", "co khong", "co ko", "có không", "có ko", "có hàng"),
    "id": ("ada", "masih", "ready", "stok", "stock", "habis", "sisa", "kosong"),
    "es": ("hay", "queda", "quedan", "tienen", "tienes", "stock", "agotad\\w*", "disponible\\w*"),
}

SKIN_TONE: Mapping[str, tuple[str, ...]] = {
    "zh": ("黄皮", "黄黑皮", "黑黄皮", "白皮", "黑皮", "暖皮", "冷皮", "暖调皮", "冷调皮", "暖白皮", "冷白皮",
           "肤色(?:偏)?(?:黄|黑|白|暗)", "皮肤(?:偏|比较|有点)?(?:黄|黑|白|暗)", "显白", "显黑"),
    "en": ("undertones?", "skin ?tones?",
           "(?:warm|cool|neutral|olive|fair|pale|light|medium|tan|tanned|dark|brown|black|yellow) skin(?:ned)?",
           "(?:warm|cool)[- ]toned"),
    "ja": ("イエベ", "ブルベ", "イエローベース", "ブルーベース", "色白", "色黒", "地黒", "黄み肌", "黄色い肌", "肌の色",
           "パーソナルカラー"),
    "ko": ("웜톤", "쿨톤", "뉴트럴톤", "봄웜", "여쿨", "가을웜", "겨울쿨", "피부톤", "피부 톤",
           "피부가 (?:하얀|까만|어두|노란|하얘|까매)", "(?:하얀|까만|어두운|노란) 피부"),
    "th": ("ผิวสองสี", "ผิวคล้ำ", "ผิวขาว", "ผิวเหลือง", "ผิวแทน", "ผิวเข้ม", "ผิวดำ", "โทนผิว", "ผิวโทน", "อันเดอร์โทน"),
    "vi": ("da ngam", "da ngăm", "da vàng", "da tối", "da sạm", "da bánh mật", "da banh mat", "tông da", "tong da",
           "tone da", "màu da", "mau da"),
    "id": ("sawo matang", "kuning langsat", "kulit (?:gelap|eksotis|kuning)",
           "kulit(?:ku| aku| saya| gue| gw) (?:gelap|putih|kuning|coklat|cokelat|hitam|terang|sawo|eksotis)", "undertone",
           "skin ?tone", "warna kulit"),
    "es": ("piel (?:morena|clara|oscura|trigueña|triguena|canela|palida|cálida|calida|fria)",
           "(?:tengo la|mi) piel (?:es )?(?:blanca|negra|morena|clara|oscura)", "subtono", "tono de piel", "morenita"),
}
