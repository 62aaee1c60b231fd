"""Small hand-built catalog snapshots for pure-function tests (no database needed)."""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from catalog.snapshot import CatalogSnapshot, FaqInfo, ProductInfo, VariantInfo

if TYPE_CHECKING:
    from catalog.io import CatalogData


def tee(xl_stock: int = 6, l_stock: int = 12) -> ProductInfo:
    sizes = {"S": 3, "M": 10, "L": l_stock, "XL": xl_stock, "XXL": 4}
    variants = tuple(
        VariantInfo(sku=f"TEE-{s}", product_id="tee", attrs={"size": s}, stock=n, price=None) for s, n in sizes.items()
    )
    return ProductInfo(
        id="tee",
        name={"zh": "纯棉T恤", "en": "Cotton T-shirt"},
        aliases=("T恤", "短袖", "t-shirt", "tee"),
        category="clothing",
        description={"zh": "纯棉圆领短袖", "en": "crew-neck cotton tee"},
        price=Decimal("79"),
        tags=("男士", "学生", "平价", "men", "budget"),
        attributes={"material": {"zh": "100%新疆棉", "en": "100% cotton"}},
        variants=variants,
    )


def stroller(stock: int = 30) -> ProductInfo:
    return ProductInfo(
        id="stroller",
        name={"zh": "轻便婴儿推车", "en": "Lightweight Stroller"},
        aliases=("推车", "婴儿车", "stroller"),
        category="baby",
        description={"zh": "一键收车的轻便推车", "en": "a one-hand fold stroller"},
        price=Decimal("899"),
        tags=("宝宝", "送礼", "baby", "gift"),
        attributes={"max_load": {"zh": "25公斤", "en": "25 kg"}, "age_range": {"zh": "0-36个月", "en": "0–36 months"}},
        variants=(
            VariantInfo(
                sku="ST-GREY",
                product_id="stroller",
                attrs={"colour": "灰色"},
                stock=stock,
                labels={"colour": {"zh": "灰色", "en": "grey"}},
            ),
            VariantInfo(
                sku="ST-PINK",
                product_id="stroller",
                attrs={"colour": "粉色"},
                stock=0,
                labels={"colour": {"zh": "粉色", "en": "pink"}},
            ),
        ),
    )


def cream() -> ProductInfo:
    return ProductInfo(
        id="cream",
        name={"zh": "控油保湿面霜", "en": "Oil-control Moisturiser"},
        aliases=("面霜", "cream"),
        category="beauty",
        description={"zh": "适合油皮的清爽面霜", "en": "a light cream for oily skin"},
        price=Decimal("129"),
        tags=("油皮", "女朋友", "送礼", "oily skin", "gift"),
        attributes={},
        variants=(VariantInfo(sku="CR-50", product_id="cream", attrs={"spec": "50ml"}, stock=20),),
    )


def faqs() -> dict[str, FaqInfo]:
    items = [
        FaqInfo(
            "price",
            None,
            "ask_price",
            ("多少钱", "这个多少钱", "价格是多少", "how much is it", "what's the price"),
            {"zh": "{product}直播间到手价{price}元", "en": "The {product} is {price} yuan"},
        ),
        FaqInfo(
            "stock",
            None,
            "ask_stock",
            ("有货吗", "还有吗", "有XL码吗", "is it in stock", "do you have size L"),
            {"zh": "{asked_stock}", "en": "{asked_stock}"},
        ),
        FaqInfo(
            "shipping",
            None,
            "ask_shipping",
            ("发什么快递", "包邮吗", "几天能到", "do you ship to canada", "is shipping free"),
            {"zh": "默认顺丰包邮,48小时内发货", "en": "Free shipping with SF Express, dispatched within 48 hours"},
        ),
        FaqInfo(
            "stroller-load",
            "stroller",
            "ask_spec",
            ("这款推车承重多少", "最大承重是多少", "能承受多重的宝宝", "max weight?"),
            {"zh": "{product}最大承重{attr:max_load}", "en": "The {product} holds up to {attr:max_load}"},
        ),
        FaqInfo(
            "stroller-age",
            "stroller",
            "ask_spec",
            ("宝宝多大可以坐", "适合几个月的宝宝", "新生儿能用吗", "what age is it for"),
            {"zh": "适用年龄{attr:age_range}", "en": "Suitable for {attr:age_range}"},
        ),
        FaqInfo(
            "tee-material",
            "tee",
            "ask_spec",
            ("T恤是什么面料", "纯棉的吗", "会起球吗", "what material is it"),
            {"zh": "面料是{attr:material}", "en": "It is {attr:material}"},
        ),
    ]
    return {f.id: f for f in items}


def snapshot(version: int = 1, **products: ProductInfo) -> CatalogSnapshot:
    prods = products or {"tee": tee(), "stroller": stroller(), "cream": cream()}
    return CatalogSnapshot(version=version, products=dict(prods), faqs=faqs())


@functools.cache
def demo_catalog() -> CatalogData:
    """`data/catalog.yaml`, parsed once per test process and shared (its values are frozen): several test modules
    build snapshots from it at import, and parsing it costs ~0.3 s of CPU each time."""
    from catalog.io import load_catalog_file

    return load_catalog_file(Path(__file__).resolve().parents[1] / "data" / "catalog.yaml")


def keep_only_languages(store: Any, faq_id: str, langs: tuple[str, ...] = ("zh", "en")) -> None:
    """Leave the stored FAQ with answers and example questions in ``langs`` only: the precondition of the tests of a
    FAQ that lacks the viewer's language (the demo catalog's staff data translates more FAQs over time)."""
    import dataclasses

    faq = store.snapshot().faqs[faq_id]
    assert len(faq.question_langs) == len(faq.questions)
    kept = [(q, lang) for q, lang in zip(faq.questions, faq.question_langs, strict=True) if lang in langs]
    store.upsert_faq(
        dataclasses.replace(
            faq,
            answers={k: v for k, v in faq.answers.items() if k in langs},
            questions=tuple(q for q, _ in kept),
            question_langs=tuple(lang for _, lang in kept),
        )
    )
