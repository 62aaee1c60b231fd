"""Words of a remark (bot/remark.py): admiration, regret, exclamation and written laughter, and the question cues that
keep a comment a question, in the eight room languages (zh, en, ja, ko, th, vi, id, es). Data, written for this
project; one place. Texts are matched folded (NFKC + casefold); Vietnamese is listed with and without diacritics.

A reaction word never makes a comment a remark on its own: only with no question cue at all (bot/remark.py). The cue
list is generous on purpose — a cue missed would silence a question, a cue too many only leaves a comment as it was
read before.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["QUESTION_CUES", "REACTIONS"]

# Admiration, exclamation, regret and laughter. Latin words stand alone (\b): "love" not in "glove", "lind" as a stem.
_REACTION_WORDS = (
    # zh
    (
        r"好看|好美|真美|太美|美哭|绝美|漂亮|可爱|好帅|太帅|绝了|爱了|爱死|心动|种草|好喜欢|太喜欢|绝绝子|yyds|可惜|遗憾|好气"
        r"|哈哈|呵呵|嘻嘻|笑死|\bh{3,}\b"
        # a sigh: 唉, or sold out said with a sigh particle ("奶茶色卖完了啊")
        r"|唉|哎呀|(?:卖完|賣完|售罄|没货|沒貨|断货|斷貨|抢光|搶光)了?[啊呀哎]"
    ),
    # en
    (
        r"\b(?:love|loving|lovely|gorgeous|beautiful|pretty|cute|stunning|obsessed|adorable|amazing|awesome|omg|wow|slay"
        r"|slays|fire|too bad|what a shame|such a shame|so sad|aw+|bummer|oh no+|lol|lmao|rofl|haha\w*|hehe\w*)\b"
        r"|\blooks? (?:so |really |sooo? )?(?:good|great|amazing|nice|fire|cute)\b"
    ),
    # ja
    (
        r"かわいい|可愛い|カワイイ|かわいすぎ|素敵|すてき|ステキ|綺麗|きれい|キレイ|似合|最高|残念|惜しい|すごい|凄い|美しい"
        # 草 (laughter) alone, not inside a Han word: 草莓 (strawberry), 草绿色, 薰衣草
        r"|大好き|いいね|(?<![\u4e00-\u9fff])草(?![\u4e00-\u9fff])|草生え|w{2,}$|笑$"
        # a sigh ending ("売り切れかぁ", "品切れなんだなぁ"); "あるかなぁ" (I wonder) is a question cue below
        r"|(?:かぁ|かあ|かー|なぁ|なー)[。.!！~〜…\s]*$"
    ),
    # ko
    r"예쁘|이쁘|예뻐|이뻐|예쁜|이쁜|귀엽|귀여|멋지|멋있|대박|최고|아쉽|아쉬워|짱|좋다|좋네|미쳤|찰떡|ㅋㅋ|ㅎㅎ|ㅠㅠ|ㅜㅜ",
    # th
    r"สวย|น่ารัก|ปัง|เริ่ด|เลิศ|ว้าว|หล่อ|เก๋|ดีงาม|เสียดาย|555|ฮ่า ?ฮ่า|ฮ่าๆ",
    # vi
    (
        r"đẹp|\bdep\b|\bxinh\b|dễ thương|de thuong|\bmê\b|tiếc|\btiec\b|\bghê\b|\bghe qua\b|quá trời|qua troi|\bxỉu\b"
        r"|\bk{3,}\b|\bhihi\w*\b|\bhu(?:hu)+\b|=\)\)+"
    ),
    # id
    r"\b(?:cantik|bagus|keren|lucu|gemes|gemas|cakep|kece|mantap|mantul|sayang banget|sayangnya|yah|wk(?:wk)+\w*|kwkw\w*)\b",
    # es
    (
        r"\b(?:precios[oa]s?|bonit[oa]s?|lind[oa]s?|hermos[oa]s?|divin[oa]s?|guap[oa]s?|bell[oa]s?|chul[oa]s?|padr[ií]sim[oa]"
        r"|me encanta\w*|encant[oó]|buen[ií]sim[oa]|espectacular|l[aá]stima|qu[eé] pena|ja(?:ja)+j?|je(?:je)+j?)\b"
        r"|\bqu[eé] bien\b"
    ),
)
# matched on NFKC text, where "ㅋㅋ" is conjoining jamo: the patterns are normalised the same way
REACTIONS = re.compile(unicodedata.normalize("NFKC", "|".join(_REACTION_WORDS)))

# What makes a comment ask something: a question mark, a question word, an asking particle, a word asking for stock
# or the price, a request (a size named is no cue: "M码卖完了 好可惜" asks nothing; a bare "黑色M" has no reaction
# word). "le queda bien" (it suits him) is no "¿queda?" (is there any left); the exclamative "¡qué bonita!" is no
# "¿qué talla?".
_CUES = (
    r"[?？¿]",
    # zh
    (
        r"[吗嗎呢么麼嘛]|几|幾|多少|什么|什麼|啥|哪|怎么|怎麼|咋|有没有|有沒有|有木有|有冇|冇|还有|還有|还剩|剩|能不能|可不可以|可以"
        r"|能|会不会|是不是|([\u4e00-\u9fff])不\1|价|價|钱|錢|求|请|請|麻烦|链接"
    ),
    # en
    (
        r"(?:^|[.!,;]\s*)(?:is|are|does|do|did|can|could|will|would|should|has|have|any)\b"
        r"|\b(?:how|what|which|when|where|why|who|whose|left|available|stock|price|cost|pls|plz|please|tell me|wondering"
        r"|link)\b"
    ),
    # ja
    (
        r"か[なね]?[。.!！\s]*$|かな[ぁあー]*[。.!！\s]*$|ですか|ますか|何|どう|どれ|どの|どんな|いくら|ある[?？の]|ありますか|在庫(?:あり|ある|は)|教えて"
        r"|ください|下さい|まだ(?:ある|あり)"
    ),
    # ko
    (
        r"까(?!지)|나요|[니냐]\s*$|뭐|몇|어떤|어때|무슨|어떻게|얼마|언제|어디|주세요|알려|있(?:어요|나|음|니|냐|을까|어)\s*$|되나|돼요"
        r"|될까|가능|재고 ?(?:있|없|남)|남았(?:어요|나|니)"
    ),
    # th
    r"ไหม|มั้ย|มั๊ย|มัย|ป่าว|รึเปล่า|หรือเปล่า|อะไร|ไหน|กี่|เท่าไหร|เท่าไร|ยัง|บ้าง|ขอ|หรือ|ราคา|เหลือ",
    # vi
    (
        r"\b(?:không|khong|ko|k|hông|hong)\b(?!\s+(?:có|co)\s+\w)"
        r"|\b(?:hem|chưa|chua|gì|gi|j|nào|nao|bao nhiêu|bao nhieu|bn|mấy|sao|hả|ha|ạ|còn|con|giá"
        r"|gia|xin|ib|inbox|đâu|dau)\b"
    ),
    # id
    (
        r"\b(?:ga|gak|gk|nggak|ngga|enggak)\b(?!\s+ada\s+\w)"
        r"|(?<!\bga )(?<!\bgak )(?<!\bgk )(?<!\bnggak )(?<!\bngga )(?<!\benggak )(?<!\btidak )\bada\b"
        r"|\b(?:kah|apa|apakah|berapa|brp|brapa|gimana|bagaimana|mana|kapan|bisa|boleh|masih"
        r"|ready|sisa|stok|stock|harga|hrg|atau|minta|tolong|cek)\b"
    ),
    # es; "qué" asks unless it exclaims ("¡qué bonita!", "qué pena"); unaccented "que" asks only first ("que talla
    # hay"): elsewhere it is the conjunction ("qué lástima que se agotó")
    (
        r"\b(?:cu[aá]nt[oa]s?|cu[aá]l(?:es)?|d[oó]nde|cu[aá]ndo|c[oó]mo|hay|tienen|tienes|quedan|precio|vale|cuesta|disponible"
        r"|se puede|puedo|pueden|env[ií]o|envian|env[ií]an)\b"
        r"|(?<!\bme )(?<!\bte )(?<!\ble )(?<!\bles )(?<!\bnos )\bqueda\b"
        r"|(?:(?:^|¿)\s*que|\bqué)\b(?! (?:bien|bonit|lind|hermos|precios|guap|chul|padr|divin|bell|ric|maravill|pena"
        r"|l[aá]stima|mon[oa]|incre|elegante))"
    ),
)
QUESTION_CUES = re.compile(unicodedata.normalize("NFKC", "|".join(_CUES)))
