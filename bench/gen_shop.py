"""A synthetic shop for the catalog-at-scale benchmark: N products, ~10 product FAQs each, plus the demo's global FAQs.

    python bench/gen_shop.py [--products 1000] [--faqs 10000] [--seed 7] [--out var/shop-1000.yaml]

The file has the format of data/catalog.yaml (docs/catalog-format.md) and is checked with
`catalog.io.load_catalog_file` after writing. Everything is drawn from a seeded `random.Random`: the same
arguments give the same bytes. Each product has 3–12 variants (sizes × colours, stock, some with their own price)
and a handful of attributes; each product FAQ has 3 example questions (zh and en mixed) built from templates with
the product name, and an answer template per language using placeholders ({price}, {asked_stock},
{attr:material}…) that the loader validates against the product.

`test_questions(shop, n, seed)` gives viewer comments built from *other* templates than the examples (the
benchmark's engine workload), with the product named in each.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STYLES = [
    ("轻盈", "Airy"),
    ("经典", "Classic"),
    ("复古", "Retro"),
    ("简约", "Minimal"),
    ("加厚", "Thick"),
    ("宽松", "Relaxed"),
    ("修身", "Slim"),
    ("百搭", "Everyday"),
    ("高弹", "Stretch"),
    ("透气", "Breathable"),
    ("保暖", "Warm"),
    ("防水", "Waterproof"),
    ("户外", "Outdoor"),
    ("通勤", "Commuter"),
    ("日系", "Japanese-style"),
    ("韩版", "Korean-style"),
]
NOUNS = [
    ("衬衫", "Shirt", "apparel"),
    ("卫衣", "Hoodie", "apparel"),
    ("针织衫", "Knit Sweater", "apparel"),
    ("牛仔裤", "Jeans", "apparel"),
    ("休闲裤", "Chinos", "apparel"),
    ("连衣裙", "Dress", "apparel"),
    ("风衣", "Trench Coat", "apparel"),
    ("夹克", "Jacket", "apparel"),
    ("半身裙", "Skirt", "apparel"),
    ("运动裤", "Joggers", "apparel"),
    ("马甲", "Vest", "apparel"),
    ("睡衣", "Pyjamas", "apparel"),
    ("帆布鞋", "Canvas Shoes", "shoes"),
    ("板鞋", "Skate Shoes", "shoes"),
    ("拖鞋", "Slippers", "shoes"),
    ("徒步鞋", "Hiking Shoes", "shoes"),
    ("乐福鞋", "Loafers", "shoes"),
    ("凉鞋", "Sandals", "shoes"),
]
MATERIALS = [
    ({"zh": "100%棉", "en": "100% cotton"}, {"zh": "30度以下机洗,反面晾干", "en": "machine wash below 30 °C, dry inside out"}),
    ({"zh": "棉麻混纺", "en": "a cotton-linen blend"}, {"zh": "建议手洗,不要暴晒", "en": "hand wash, keep out of strong sun"}),
    ({"zh": "聚酯纤维", "en": "polyester"}, {"zh": "可以机洗,不需要熨烫", "en": "machine washable, no ironing needed"}),
    (
        {"zh": "羊毛混纺", "en": "a wool blend"},
        {"zh": "建议干洗或冷水手洗平铺晾干", "en": "dry clean, or hand wash cold and dry flat"},
    ),
    ({"zh": "天丝", "en": "lyocell"}, {"zh": "冷水轻柔手洗,阴凉处晾干", "en": "gentle cold hand wash, dry in the shade"}),
    ({"zh": "头层牛皮", "en": "full-grain leather"}, {"zh": "用软布擦拭,不要水洗", "en": "wipe with a soft cloth, do not wash"}),
    (
        {"zh": "网面+橡胶底", "en": "mesh with a rubber sole"},
        {"zh": "刷洗后自然晾干,不要机洗", "en": "brush clean and air dry, no machine wash"},
    ),
]
ORIGINS = [
    ("广东广州", "Guangzhou"),
    ("浙江杭州", "Hangzhou"),
    ("福建泉州", "Quanzhou"),
    ("江苏苏州", "Suzhou"),
    ("山东青岛", "Qingdao"),
]
COLOURS = [
    ("黑色", "black", "BLK"),
    ("白色", "white", "WHT"),
    ("灰色", "grey", "GRY"),
    ("藏青色", "navy", "NVY"),
    ("卡其色", "khaki", "KHK"),
    ("酒红色", "burgundy", "BRG"),
    ("军绿色", "olive", "OLV"),
    ("米白色", "cream", "CRM"),
    ("雾霾蓝", "haze blue", "HBL"),
]
CLOTHING_SIZES = ["S", "M", "L", "XL", "XXL"]
SHOE_SIZES = ["36", "37", "38", "39", "40", "41", "42", "43", "44"]

# kind -> (intent, example question templates zh, en, answer zh, answer en). {n} = product name.
FAQ_KINDS: dict[str, tuple[str, list[str], list[str], str, str]] = {
    "price": (
        "ask_price",
        ["{n}多少钱", "{n}什么价格", "{n}到手价多少", "{n}现在卖多少"],
        ["how much is the {n}", "what's the price of the {n}", "{n} price please"],
        "{product}直播间到手价{price}元。",
        "The {product} is {price} CNY in this live room.",
    ),
    "stock": (
        "ask_stock",
        ["{n}还有货吗", "{n}有{s}码吗", "{n}{s}还有没有", "{n}卖完了吗"],
        ["is the {n} in stock", "any {s} left in the {n}", "do you still have the {n} in {s}"],
        "{asked_stock}",
        "{asked_stock}",
    ),
    "sizes": (
        "ask_size",
        ["{n}有哪些码", "{n}还剩哪些尺码", "{n}码数全吗"],
        ["what sizes does the {n} come in", "which sizes of the {n} are left", "{n} sizes available"],
        "{product}现货尺码:{sizes_in_stock}。",
        "{product} sizes in stock: {sizes_in_stock}.",
    ),
    "colours": (
        "ask_stock",
        ["{n}有几个颜色", "{n}有什么颜色", "{n}还有哪些颜色"],
        ["what colours does the {n} come in", "which colors of the {n} are available", "{n} colour options"],
        "{product}现有颜色:{colours_in_stock}。",
        "{product} colours in stock: {colours_in_stock}.",
    ),
    "material": (
        "ask_spec",
        ["{n}是什么材质", "{n}什么面料", "{n}用的什么料子"],
        ["what is the {n} made of", "what material is the {n}", "{n} fabric"],
        "{product}的材质是{attr:material}。",
        "The {product} is made of {attr:material}.",
    ),
    "care": (
        "ask_spec",
        ["{n}怎么洗", "{n}能机洗吗", "{n}怎么保养"],
        ["how do I wash the {n}", "can the {n} go in the washing machine", "care instructions for the {n}"],
        "{product}:{attr:care}。",
        "For the {product}: {attr:care}.",
    ),
    "weight": (
        "ask_spec",
        ["{n}重不重", "{n}多重", "{n}有多少克"],
        ["how heavy is the {n}", "how much does the {n} weigh", "{n} weight"],
        "{product}重量{attr:weight}。",
        "The {product} weighs {attr:weight}.",
    ),
    "origin": (
        "ask_spec",
        ["{n}产地是哪里", "{n}哪里生产的", "{n}是哪产的"],
        ["where is the {n} made", "{n} country of origin", "where does the {n} come from"],
        "{product}产地{attr:origin}。",
        "The {product} is made in {attr:origin}.",
    ),
    "fit": (
        "ask_size",
        ["{n}偏大还是偏小", "{n}码数准吗", "{n}版型怎么样"],
        ["does the {n} run small", "is the {n} true to size", "how does the {n} fit"],
        "{product}{attr:fit}。",
        "The {product} {attr:fit}.",
    ),
    "size-guide": (
        "ask_size",
        ["{n}170穿什么码", "{n}怎么选码", "{n}一米六拍多大"],
        ["which size of the {n} for 175 cm", "size advice for the {n}", "{n} size chart"],
        "{product}选码参考:{attr:size_guide}。",
        "Size guide for the {product}: {attr:size_guide}.",
    ),
    "summary": (
        "ask_stock",
        ["{n}库存怎么样", "{n}还剩多少件", "{n}各个码还有多少"],
        ["how many {n} are left", "{n} stock levels", "how much stock of the {n}"],
        "{stock_summary}",
        "{stock_summary}",
    ),
}
# Viewer comments for the benchmark workload: other phrasings than the example questions.
TEST_TEMPLATES: dict[str, tuple[list[str], list[str]]] = {
    "price": (["{n}多少钱啊主播", "请问{n}啥价", "{n}价格"], ["{n} how much?", "price of {n} pls"]),
    "stock": (["{n}的{s}码还有吗", "{n}有货没", "{n} {s}有吗"], ["{n} in {s}?", "is {n} sold out"]),
    "sizes": (["{n}都有什么码", "{n}尺码有几个"], ["{n} what sizes"]),
    "colours": (["{n}有别的颜色吗", "{n}颜色有哪些"], ["other colours for {n}?"]),
    "material": (["{n}是纯棉的吗", "{n}啥材质"], ["{n} material?"]),
    "care": (["{n}可以水洗吗", "{n}洗了会缩水吗"], ["can I machine wash {n}"]),
    "weight": (["{n}重吗"], ["is {n} heavy"]),
    "origin": (["{n}在哪生产"], ["{n} made where"]),
    "fit": (["{n}尺码标准吗"], ["{n} fit true to size?"]),
    "size-guide": (["我165 110斤{n}穿什么码"], ["180cm 75kg what size {n}"]),
    "summary": (["{n}还剩几件"], ["{n} how many left"]),
}
KINDS = list(FAQ_KINDS)


@dataclass
class Shop:
    """The generated catalog document (``doc``, ready for YAML) and what the benchmark needs to know of it."""

    doc: dict[str, Any]
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # product id -> (zh name, en name)
    sizes: dict[str, list[str]] = field(default_factory=dict)  # product id -> its sizes
    faq_kind: dict[str, tuple[str, str]] = field(default_factory=dict)  # FAQ id -> (product id, kind)

    @property
    def n_variants(self) -> int:
        return sum(len(p["variants"]) for p in self.doc["products"])

    @property
    def n_examples(self) -> int:
        """Example questions over all FAQs and languages."""
        return sum(
            len(v)
            for f in self.doc["faqs"]
            for v in (f["questions"].values() if isinstance(f["questions"], dict) else [f["questions"]])
        )


class _NoAliases(yaml.SafeDumper):
    """The loader refuses anchors and aliases: never write one, even for repeated values."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _product(rng: random.Random, i: int) -> tuple[dict[str, Any], list[str]]:
    style_zh, style_en = STYLES[i % len(STYLES)]
    noun_zh, noun_en, category = NOUNS[(i // len(STYLES)) % len(NOUNS)]
    code = f"{chr(ord('A') + i % 26)}{i:04d}"
    pid = f"p{i:05d}"
    material, care = rng.choice(MATERIALS)
    origin_zh, origin_en = rng.choice(ORIGINS)
    pool = SHOE_SIZES if category == "shoes" else CLOTHING_SIZES
    n_sizes = rng.randint(3, 4)
    start = rng.randint(0, len(pool) - n_sizes)
    sizes = pool[start : start + n_sizes]
    colours = rng.sample(COLOURS, rng.randint(1, 3))
    price = rng.choice([39, 49, 59, 69, 79, 89, 99, 129, 159, 199, 259, 299, 399, 499, 699, 899])
    variants = []
    for c_zh, c_en, c_code in colours:
        for size in sizes:
            v: dict[str, Any] = {
                "sku": f"{code}-{c_code}-{size}",
                "attrs": {"size": size, "colour": {"zh": c_zh, "en": c_en}},
                "stock": rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 35, 60, 100]),
            }
            if rng.random() < 0.1:
                v["price"] = price + 10
            variants.append(v)
    grams = rng.randint(150, 1200)
    doc = {
        "id": pid,
        "name": {"zh": f"{style_zh}{noun_zh}{code}", "en": f"{style_en} {noun_en} {code}"},
        "aliases": [f"{noun_zh}{code}", code.lower()],
        "category": category,
        "price": price,
        "tags": [style_zh, noun_zh, style_en.lower(), noun_en.lower()],
        "description": {
            "zh": f"{style_zh}风格的{noun_zh},{material['zh']}。",
            "en": f"A {style_en.lower()} {noun_en.lower()} in {material['en']}.",
        },
        "attributes": {
            "material": dict(material),
            "care": dict(care),
            "weight": {"zh": f"约{grams}克", "en": f"about {grams} g"},
            "origin": {"zh": origin_zh, "en": origin_en},
            "fit": {
                "zh": rng.choice(["正常码", "偏小一码,建议拍大一码", "版型宽松,可以拍小一码"]),
                "en": rng.choice(["fits true to size", "runs small: take one size up", "runs large: take one size down"]),
            },
            "size_guide": {
                "zh": "、".join(f"{s}码{150 + 5 * k}-{155 + 5 * k}cm" for k, s in enumerate(sizes)),
                "en": ", ".join(f"{s} {150 + 5 * k}–{155 + 5 * k} cm" for k, s in enumerate(sizes)),
            },
        },
        "variants": variants,
    }
    return doc, sizes


def _questions(rng: random.Random, kind: str, name_zh: str, name_en: str, sizes: list[str], j: int) -> dict[str, list[str]]:
    _, zh_t, en_t, _, _ = FAQ_KINDS[kind]
    n_zh = 2 if j % 2 == 0 else 1  # 3 examples in all: 2 zh + 1 en, or 1 zh + 2 en
    zh = [t.format(n=name_zh, s=rng.choice(sizes)) for t in rng.sample(zh_t, n_zh)]
    en = [t.format(n=name_en, s=rng.choice(sizes)) for t in rng.sample(en_t, 3 - n_zh)]
    return {"zh": zh, "en": en}


def make_shop(products: int = 1000, faqs: int = 10_000, seed: int = 7, demo_catalog: Path = ROOT / "data/catalog.yaml") -> Shop:
    """``products`` products and ``faqs`` product FAQs spread evenly over them (at most one per kind and product:
    up to 11 per product), plus the global FAQs of ``demo_catalog``."""
    if faqs > products * len(KINDS):
        raise ValueError(f"at most {len(KINDS)} FAQs per product: {faqs} FAQs need {-(-faqs // len(KINDS))} products")
    rng = random.Random(seed)
    shop = Shop(doc={})
    product_docs = []
    for i in range(products):
        doc, sizes = _product(rng, i)
        product_docs.append(doc)
        shop.names[doc["id"]] = (doc["name"]["zh"], doc["name"]["en"])
        shop.sizes[doc["id"]] = sizes
    demo = yaml.safe_load(demo_catalog.read_text(encoding="utf-8"))
    faq_docs = [f for f in demo["faqs"] if not f.get("product")]
    # FAQ j goes to product j % products, kind = the (j // products)-th kind in a per-product shuffled order
    orders = [rng.sample(KINDS, len(KINDS)) for _ in range(products)]
    for j in range(faqs):
        p = product_docs[j % products]
        kind = orders[j % products][j // products]
        intent, _, _, ans_zh, ans_en = FAQ_KINDS[kind]
        fid = f"{p['id']}-{kind}"
        faq_docs.append(
            {
                "id": fid,
                "product": p["id"],
                "intent": intent,
                "questions": _questions(rng, kind, p["name"]["zh"], p["name"]["en"], shop.sizes[p["id"]], j),
                "answer": {"zh": ans_zh, "en": ans_en},
            }
        )
        shop.faq_kind[fid] = (p["id"], kind)
    shop.doc = {
        "version": 1,
        "currency": dict(demo.get("currency") or {"zh": "元", "en": "CNY"}),
        "products": product_docs,
        "faqs": faq_docs,
    }
    return shop


def dump(shop: Shop, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(shop.doc, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(
        "# Synthetic shop written by bench/gen_shop.py (seeded; regenerate rather than edit).\n" + text, encoding="utf-8"
    )


def test_questions(shop: Shop, n: int = 2000, seed: int = 11) -> list[tuple[str, str, str]]:
    """``n`` viewer comments ``(text, FAQ id it is about, lang)`` built from the test templates."""
    rng = random.Random(seed)
    ids = sorted(shop.faq_kind)
    out = []
    for _ in range(n):
        fid = rng.choice(ids)
        pid, kind = shop.faq_kind[fid]
        zh_t, en_t = TEST_TEMPLATES[kind]
        lang = "zh" if rng.random() < 0.6 else "en"
        name = shop.names[pid][0 if lang == "zh" else 1]
        text = rng.choice(zh_t if lang == "zh" else en_t).format(n=name, s=rng.choice(shop.sizes[pid]))
        out.append((text, fid, lang))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--products", type=int, default=1000)
    ap.add_argument("--faqs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=ROOT / "var/shop-1000.yaml")
    ap.add_argument("--no-check", action="store_true", help="do not validate the file with catalog.io.load_catalog_file")
    args = ap.parse_args(argv)
    shop = make_shop(args.products, args.faqs, args.seed)
    dump(shop, args.out)
    print(
        f"wrote {args.out}: {len(shop.doc['products'])} products, {shop.n_variants} variants, {len(shop.doc['faqs'])} "
        f"FAQs, {shop.n_examples} example questions, {args.out.stat().st_size / 1e6:.1f} MB"
    )
    if not args.no_check:
        from catalog.io import load_catalog_file

        data = load_catalog_file(args.out)
        print(f"valid: {len(data.products)} products, {len(data.faqs)} FAQs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
