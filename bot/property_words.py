"""The closed list of property predicates of a variant value, per kind and language (data only; matched by
bot/value_property.py).

A yes/no question about a colour or size that says one of these words ("白色的能用漂白剂吗", "is the L big?",
"블랙은 물 빠져요?", "màu trắng có bị ố không", "la negra destiñe?") asks about that property, not whether the value is
in stock. Only these words count: a word that is not here leaves the stock reading as it is (the open rule of h/yesno,
"any word left over is a property", sent stock questions worded in unknown ways to staff; docs/EVAL.md).

Each entry is a regular-expression fragment, matched in the case-folded, NFKC-normalised comment with the catalog's
own terms (product names, variant values, attribute words) blanked:

- an entry with a Latin letter matches as a whole word or phrase ("pill" is not in "pillow", "pica" not in "picante");
- in an entry without one (Han, kana, Hangul, Thai) a space matches any run of spaces or none ("물 빠져" = "물빠져");
- a final ``$`` means at the end of the clause, before its punctuation: "is the L big?" asks the fit, "any big L?" not;
- Chinese 太大 / 太小 followed by 了 is a statement ("L码太大了 有M吗" asks M's stock), not asked.

Ambiguous words are left out rather than risk a stock answer: Spanish "queda" alone (also "is there any left"),
Thai "คับ" alone (also the casual spelling of the particle ครับ), "คัน" alone (also the classifier of a stroller),
"บาง" (also "some"), Indonesian "kuning" / Spanish "amarilla" / English "yellow" alone (colours), "kecil gak" /
"nhỏ không" / "size to" (also "is there a small one"), Korean 넉넉 (also "plenty of stock"), Chinese 透 alone (透气),
热 alone (热卖), 紧 alone (赶紧), 大 / 小 alone (大码, 小码).
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["ANSWERED_BY_ATTRIBUTE", "PROPERTY_PREDICATES"]

# the product attribute whose answer speaks of these kinds of property (the washing instructions: whether it fades,
# shrinks, pills or may be bleached); a yellowing sole or a see-through fabric is not a care instruction
ANSWERED_BY_ATTRIBUTE: dict[str, frozenset[str]] = {
    "care": frozenset({"fade", "bleach", "shrink", "pilling", "wrinkles", "stains", "loses_shape"}),
}

# "es / viene / queda / sale (muy) grande, pequeña, justa …": a verb of fit and a size adjective together ("queda" alone
# also asks whether any is left: "¿queda la blanca en M?")
_ES_FIT = (
    "(?:es|son|viene|vienen|queda|quedan|sale|salen|calza|calzan|horma)(?: muy| un poco| algo| bastante)? "
    "(?:grandes?|pequeñ[oa]s?|chic[oa]s?|justa?s?|justos|ajustad[oa]s?|apretad[oa]s?|holgad[oa]s?|anch[oa]s?"
    "|estrech[oa]s?)"
)

# "is the L big?", "is the white one small?": big / small / large asked of what "is" names, at the end of the clause —
# not "is the black in large?" nor "any white in small?" (a size)
_EN_IS_BIG = r"(?:is|are) (?:the |this |that |it |they )?(?:(?!in |a |an |extra |x )\S+ ){0,2}(?:big|small|large)$"

# kind -> language -> fragments. Languages: zh, en, ja, ko, th, vi, id, es (the room languages of issue 15).
PROPERTY_PREDICATES: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "fade": {
        "zh": ("掉色", "褪色", "退色", "串色", "脱色", "染色", "色牢度"),
        "en": ("fade", "fades", "fading", "faded", "bleed", "bleeds", "bleeding", "colou?rs? runs?",
               "lose (?:its |their |the )?colou?r", "loses (?:its |their |the )?colou?r", r"discolou?r\w*"),
        "ja": ("色落ち", "色移り", "色あせ", "色褪せ", "退色"),
        "ko": ("물 빠[지져짐질]", "색 빠[지져짐질]", "이염", "탈색", "변색"),
        "th": ("สีตก", "ตกสี", "สีซีด", "สีลอก"),
        "vi": ("phai màu", "phai mau", "bay màu", "bay mau", "ra màu", "lem màu", "loang màu", "bạc màu", "phai"),
        "id": ("luntur", "pudar", "lunturan"),
        "es": ("destiñe", "destiñen", "destiña", "destiñan", "despinta", "despintan", "decolora", "decoloran",
               "pierden? (?:el )?color", "sueltan? (?:el )?(?:color|tinte)", "se desti\\w*"),
    },
    "bleach": {
        "zh": ("漂白", "84消毒", "消毒液"),
        "en": ("bleach", "bleached", "bleachable", "bleaching"),
        "ja": ("漂白", "ハイター"),
        "ko": ("락스", "표백"),
        "th": ("ไฮเตอร์", "ฟอกขาว", "น้ำยาฟอก"),
        "vi": ("tẩy trắng", "thuốc tẩy", "chất tẩy"),
        "id": ("pemutih", "bayclin", "diputihkan"),
        "es": ("lejía", "lejia", "blanqueador", "cloro", "blanquear"),
    },
    "shrink": {
        "zh": ("缩水", "会缩", "缩不缩", "缩吗", "变小"),
        "en": ("shrink", "shrinks", "shrinking", "shrank", "shrunk", "shrinkage"),
        "ja": ("縮む", "縮み", "縮ま"),
        "ko": ("줄어[들드요]", "수축"),
        "th": ("หด",),
        "vi": ("co rút", "co rut", "bị co", "co lại", "bị rút"),
        "id": ("menyusut", "nyusut", "susut", "mengkerut", "mengecil"),
        "es": ("encoge", "encogen", "encoger", "encogió", "encogerse", "achica", "achican"),
    },
    "see_through": {
        "zh": ("透不透", "会透", "透吗", "透明", "透肉", "露肉", "走光", "透光"),
        "en": ("see-through", "see through", "see-thru", "sheer", "transparent", "shows? through"),
        "ja": ("透け", "透ける"),
        "ko": ("비치", "비쳐", "비침", "비칠"),
        "th": ("โป๊", "มองทะลุ", "ซีทรู", "เห็นด้านใน"),
        "vi": ("bị lộ", "lộ không", "có lộ", "xuyên thấu", "thấu", "bị soi"),
        "id": ("nerawang", "menerawang", "terawang", "transparan", "tembus pandang"),
        "es": ("transparenta", "transparentan", "transparente", "transparentes", "se ve a través", "trasluce",
               "se trasluce"),
    },
    "yellowing": {
        "zh": ("发黄", "变黄", "泛黄", "黄掉"),
        "en": ("yellowing", "yellowed", "turns? yellow", "go(?:es)? yellow", "gets? yellow", "yellow over time", "yellow after",
               r"yellow with (?:time|age|wear|washing)"),
        "ja": ("黄ばみ", "黄ばむ", "黄ば", "黄色くな"),
        "ko": ("누렇", "누래", "누레", "황변"),
        "th": ("ขึ้นเหลือง", "เหลืองง่าย", "เหลืองไว", "กลายเป็นสีเหลือง", "จะเหลือง"),
        "vi": ("ố vàng", "bị ố", "ố không", "ngả vàng", "bị vàng", "ố"),
        "id": ("menguning", "jadi kuning", "gampang kuning", "mudah kuning", "cepat kuning", "kekuningan"),
        "es": ("amarillea", "amarillean", "amarillenta", "amarillento", r"se pone amarill\w*",
               r"se ponen amarill\w*"),
    },
    "pilling": {
        "zh": ("起球", "起毛", "掉毛", "粘毛", "沾毛"),
        "en": ("pill", "pills", "pilling", "bobble", "bobbles", "bobbling", "fuzz"),
        "ja": ("毛玉",),
        "ko": ("보풀",),
        "th": ("ขุย", "เป็นขน"),
        "vi": ("xù lông", "bị xù", "xù", "vón cục", "nổi lông"),
        "id": ("berbulu", "ngebulu", "berbintil"),
        "es": ("bolitas", "pelotitas", "motas"),
    },
    "itchy": {
        "zh": ("扎人", "扎脖子", "扎不扎", "扎吗", "会扎", "扎肉", "扎皮肤", "刺挠", "刺痒", "痒不痒", "会痒", "发痒"),
        "en": ("itch", "itchy", "itches", "scratchy", "prickly"),
        "ja": ("チクチク", "ちくちく", "かゆい", "かゆく", "かゆみ", "痒"),
        "ko": ("까끌", "따가", "가려워", "가렵", "가려운", "간지러", "따끔"),
        "th": ("คันไหม", "คันมั้ย", "คันคอ", "คันผิว", "ระคายเคือง"),
        "vi": ("ngứa", "cấn"),
        "id": ("gatal", "gatel"),
        "es": ("pica", "pican", "picor", "comezón", "rasca", "raspa"),
    },
    "wrinkles": {
        "zh": ("起皱", "皱吗", "易皱", "容易皱", "会皱", "皱不皱", "起褶"),
        "en": ("wrinkle", "wrinkles", "wrinkly", "crease", "creases", "creasing"),
        "ja": ("シワ", "しわ", "皺"),
        "ko": ("구김", "구겨", "주름"),
        "th": ("ยับ",),
        "vi": ("nhăn", "nhàu"),
        "id": ("kusut", "lecek"),
        "es": ("arruga", "arrugan", "arrugas"),
    },
    "stains": {
        "zh": ("耐脏", "易脏", "脏不脏", "显脏", "容易脏", "会脏", "沾灰"),
        "en": ("gets? dirty", "shows? (?:the )?dirt", "dirty easily", "stain", "stains", "staining"),
        "ja": ("汚れやす", "汚れが目立", "汚れ目立"),
        "ko": ("때 타", "때 잘", "잘 더러워", "오염"),
        "th": ("เลอะง่าย", "สกปรกง่าย", "เปื้อนง่าย", "เลอะไหม"),
        "vi": ("dễ bẩn", "dễ dơ", "bám bẩn", "bẩn"),
        "id": ("gampang kotor", "mudah kotor", "cepat kotor", "cepet kotor", "kotor"),
        "es": ("ensucia", "ensucian", "se mancha", "se manchan", "mancha", "manchan"),
    },
    "hot": {
        "zh": ("闷热", "闷不闷", "热不热", "透气", "捂汗", "会热", "穿着热", "很热", "热吗", "会闷"),
        "en": ("breathable", "breathe", "breathes", "stuffy", "sweaty", "too hot", "gets? hot", "hot to wear",
               "runs? hot"),
        "ja": ("暑い", "暑く", "蒸れ", "通気性"),
        "ko": ("더워", "덥나", "덥지", "더운가", "통풍", "땀 차"),
        "th": ("ร้อนไหม", "ร้อนมั้ย", "ร้อนไป", "ใส่ร้อน", "ใส่แล้วร้อน", "อบร้อน", "ระบายอากาศ", "อบไหม"),
        "vi": ("nóng không", "có nóng", "mặc nóng", "bị bí", "bí không", "thoáng", "hầm"),
        "id": ("panas", "gerah", "adem"),
        "es": ("calurosa", "caluroso", "da calor", "dan calor", "transpira", "transpiran"),
    },
    "fit": {
        "zh": ("偏大", "偏小", "会大", "会小", "大不大", "小不小", "太大(?!了)", "太小(?!了)", "大吗", "小吗", "偏紧", "偏松",
               "紧不紧", "会紧", "太紧", "挤脚", "夹脚", "磨脚", "顶脚", "宽不宽", "会宽", "太宽", "太窄", "偏窄",
               "窄不窄", "偏长", "偏短", "偏码", "正码吗", "标准吗"),
        "en": ("runs? (?:big|small|large|narrow|wide|tight|true to size)", "running (?:big|small|large|narrow)",
               "too (?:big|small|tight|loose|long|short|wide|narrow)", "true to size", "tight", "loose", "baggy",
               "roomy", "snug", "narrow", _EN_IS_BIG),
        "ja": ("大きめ(?:です|でしょう|か|$)", "小さめ(?:です|でしょう|か|$)", "大きいですか", "小さいですか",
               "大きいかな", "小さいかな", "きつい", "きつめ", "ゆるい", "ゆるめ", "大きく感じ", "小さく感じ", "窮屈"),
        "ko": ("커요", "큰가요", "크나요", "큰 편", "크게 나와", "작아요", "작나요", "작은가요", "작은 편",
               "작게 나와", "끼나요", "껴요", "타이트", "헐렁", "정사이즈"),
        "th": ("คับไหม", "คับมั้ย", "คับไป", "คับเท้า", "หลวม", "ใหญ่ไป", "เล็กไป", "ใหญ่ไหม", "เล็กไหม", "ตรงไซส์",
               "บีบเท้า"),
        "vi": ("chật", "bị bó", "bó không", "bó sát", "rộng quá", "quá rộng", "bị rộng", "form nhỏ", "form to"),
        "id": ("kebesaran", "kekecilan", "kegedean", "kesempitan", "sempit", "longgar", "ketat"),
        "es": (_ES_FIT, "ajustada", "apretada", "apretado", "holgada", "holgado", "estrecha", "estrecho"),
    },
    "smell": {
        "zh": ("异味", "有味道", "有没有味道", "味道大", "臭味", "有味吗", "甲醛"),
        "en": ("smell", "smells", "smelly", "odou?rs?"),
        "ja": ("匂い", "におい", "臭い", "ニオイ"),
        "ko": ("냄새",),
        "th": ("กลิ่น", "เหม็น"),
        "vi": ("mùi", "hôi"),
        "id": ("bau",),
        "es": ("olor", "huele", "huelen"),
    },
    # the colour as it looks in real life against the photos: "驼色实物有色差吗", "does the burgundy look the same irl?",
    # "캐멀 색상 실물이 더 진해요?" — not whether the colour is left (not ของจริง / "asli" alone: genuine, authenticity)
    "true_colour": {
        "zh": ("实物", "色差", "真实颜色", "真实的颜色", "实际颜色", "实际的颜色", "颜色正不正", "颜色正吗", "偏色", "实拍",
               "(?:和|跟|与)(?:图片|图|照片|视频|直播)(?:上|里)?(?:的)?(?:一样|颜色一样|有差|差别|不一样)", "图片(?:上)?颜色"),
        "en": ("in real life", "irl", "true to colou?r", "colou?r accurate", "accurate colou?r", "real colou?r",
               "actual colou?r", "looks? the same", "same as (?:in )?(?:the )?(?:pics?|pictures?|photos?|images?|screen|video)",
               "in person", "on (?:my|the) screen", "(?:than|as|like) (?:in )?(?:the )?(?:pics?|pictures?|photos?)"),
        "ja": ("実物", "色味", "色合い", "写真(?:と|通り|どおり|より)", "画像(?:と|通り|どおり|より)", "実際の色", "本当の色",
               "色の差", "色違って見"),
        "ko": ("실물", "색감", "실제 색", "실제로 보면", "사진(?:이랑|과|하고|보다|처럼)", "화면(?:이랑|과|하고|보다|처럼)"),
        "th": ("สีจริง", "ตรงปก", "สีเพี้ยน", "เหมือนในรูป", "ต่างจากรูป", "ตรงรูป", "สีตรงกับรูป", "กับในรูป"),
        "vi": ("màu thực tế", "mau thuc te", "ngoài đời", "ngoai doi", "màu thật", "mau that", "giống hình", "giong hinh",
               "giống ảnh", "giong anh", "lệch màu", "lech mau", "so với hình", "so voi hinh", "so với ảnh", "so voi anh"),
        "id": ("warna asli", "warna aslinya", "aslinya",
               "sama (?:kayak|kaya|kyk|dengan|dgn|kek|seperti) (?:di )?(?:foto|gambar|video)",
               "beda warna", "warnanya beda", "real pict?"),
        "es": ("en persona", "se ve igual", "en la vida real", "color real", "color verdadero", "colores reales",
               "(?:igual|como|que) en (?:la |las )?(?:fotos?|imagen|imágenes|pantalla)"),
    },
    "loses_shape": {
        "zh": ("变形", "松垮"),
        "en": ("stretch(?:es)? out", "lose (?:its )?shape", "loses (?:its )?shape", "sag", "sags", "saggy"),
        "ja": ("伸びる", "伸びま", "ヨレ", "型崩れ"),
        "ko": ("늘어[나져짐]",),
        "th": ("ย้วย", "เสียทรง"),
        "vi": ("giãn", "dão", "bai nhão"),
        "id": ("melar",),
        "es": ("se estira", "se deforma", "deforma", "da de sí"),
    },
}
