"""Catalog texts in any BCP-47 language (issue 15): tags, scripts, answer templates and names per language in the
catalog file and the store; unknown language codes are refused with file:line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from catalog.errors import Invalid
from catalog.io import CatalogFileError, export_catalog, import_catalog, load_catalog_file
from catalog.langs import canonical_tag, foreign_script, is_code, lang_script, pick_tag, usable_in
from catalog.snapshot import FaqInfo
from catalog.store import CatalogStore

CATALOG = textwrap.dedent(
    """\
    version: 1
    currency: {zh: 元, en: CNY}
    products:
      - id: stroller
        name: {zh: 轻便婴儿推车, en: Light Stroller, ja: 軽量ベビーカー, th: รถเข็นเด็กน้ำหนักเบา}
        description: {zh: 一键收车, en: One-hand fold, es: Se pliega con una mano}
        price: 899
        attributes:
          max_load: {zh: 25公斤, en: 25 kg, ja: 25キロ}
        variants:
          - sku: A1-GREY
            attrs: {colour: {zh: 灰色, en: grey, ja: グレー}}
            stock: 30
    faqs:
      - id: max-load
        product: stroller
        intent: ask_spec
        questions: [推车承重多少, 最多能坐多重的宝宝, how much weight can it take]
        answer:
          zh: "{product}承重{attr:max_load}"
          en: "{product} takes up to {attr:max_load}"
          ja: "{product}の耐荷重は{attr:max_load}です"
          pt-BR: "{product} aguenta até {attr:max_load}"
          ANSWER_LANG: "x"
    """
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def good_catalog() -> str:
    return CATALOG.replace('      ANSWER_LANG: "x"\n', "")


def test_language_tags_are_checked_and_canonical() -> None:
    assert canonical_tag("ja") == "ja" and canonical_tag("pt-br") == "pt-BR" and canonical_tag("zh-hant") == "zh-Hant"
    assert canonical_tag("es-419") == "es-419"
    for bad in ("xx", "jp", "cn", "zh-", "", "japanese", "e"):
        assert canonical_tag(bad) is None, bad
    assert pick_tag(["zh", "pt-BR"], "pt") == "pt-BR" and pick_tag(["zh", "en"], "ja") is None


def test_scripts_of_languages_and_borrowable_names() -> None:
    assert lang_script("ja") == "japanese" and lang_script("vi") == "latin" and lang_script("ar") == "arabic"
    assert foreign_script("有的,XL码现货充足", "th") == "han"
    assert foreign_script("มีไซส์ XL ค่ะ", "th") is None  # a size code is no foreign script
    assert foreign_script("Sí, talla XL", "es") is None and foreign_script("Sí, 黑色", "es") == "han"
    assert foreign_script("在庫あります", "ja") is None and foreign_script("재고 있어요", "ja") == "hangul"
    assert all(is_code(c) for c in ("XL", "42", "500ml", "M/L", "2XL", "EU 42"))
    assert not any(is_code(c) for c in ("oat", "black", "灰色", "グレー"))
    assert usable_in("Light Stroller", "es") and not usable_in("Light Stroller", "ja")
    assert not usable_in("轻便婴儿推车", "ja")  # simplified Chinese is never borrowed for Japanese


def test_unknown_answer_language_is_refused_with_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, CATALOG)
    with pytest.raises(CatalogFileError) as info:
        load_catalog_file(path)
    text = str(info.value)
    line = CATALOG.splitlines().index('      ANSWER_LANG: "x"') + 1
    assert f"{path}:{line}:" in text and "ANSWER_LANG" in text and "language" in text


@pytest.mark.parametrize(
    ("bad", "why"),
    [("xx", "not a known language code"), ("jp", "not a known language code"), ("JA", "write 'ja'")],
)
def test_unknown_language_codes_in_names_questions_and_answers(tmp_path: Path, bad: str, why: str) -> None:
    for old in ("ja: 軽量ベビーカー", "ja: グレー", '      ja: "{product}の耐荷重は{attr:max_load}です"'):
        text = good_catalog().replace(old, old.replace("ja:", f"{bad}:"))
        assert text != good_catalog()
        with pytest.raises(CatalogFileError) as info:
            load_catalog_file(write(tmp_path, text))
        (line, message), *_ = info.value.errors
        assert line == text.splitlines().index(next(x for x in text.splitlines() if f"{bad}:" in x)) + 1 or line
        assert why in message, message


def test_answers_and_names_in_any_language_survive_the_store_and_export(tmp_path: Path) -> None:
    path = write(tmp_path, good_catalog())
    faq = load_catalog_file(path).faqs[0]
    assert set(faq.answers) == {"zh", "en", "ja", "pt-BR"}
    store = CatalogStore(f"sqlite:///{tmp_path / 'lr.db'}")
    import_catalog(store, path)
    snap = store.snapshot()
    stroller = snap.products["stroller"]
    assert stroller.name["ja"] == "軽量ベビーカー" and stroller.name["th"] == "รถเข็นเด็กน้ำหนักเบา"
    assert stroller.description["es"] == "Se pliega con una mano"
    assert snap.faqs["max-load"].answers == faq.answers
    assert snap.faqs["max-load"].answer_tag("pt") == "pt-BR" and snap.faqs["max-load"].answer_tag("ko") is None
    # strict lookups: a Japanese reply gets the Japanese texts, a Korean one nothing (no Korean version)
    assert stroller.name_in("ja") == "軽量ベビーカー" and stroller.name_in("ko") is None
    assert stroller.name_in("es") == "Light Stroller"  # borrowed: same (Latin) script
    assert stroller.variants[0].label_in("colour", "ja") == "グレー" and stroller.variants[0].label_in("colour", "th") is None
    assert stroller.attribute_in("max_load", "ja") == "25キロ"
    assert stroller.attribute_in("max_load", "ko") == "25 kg"  # a measure reads the same in every language
    assert stroller.display_name("zh") == "轻便婴儿推车" and stroller.display_name("en") == "Light Stroller"
    # export → load gives the same texts back
    out = tmp_path / "out.yaml"
    export_catalog(store, out)
    again = load_catalog_file(out)
    assert again.faqs[0].answers == faq.answers and again.products[0].name == stroller.name
    store.close()


def test_store_refuses_an_unknown_answer_language(tmp_path: Path) -> None:
    store = CatalogStore(f"sqlite:///{tmp_path / 'lr.db'}")
    import_catalog(store, write(tmp_path, good_catalog()))
    faq = FaqInfo(id="max-load", product_id="stroller", intent="ask_spec",
                  questions=("推车承重多少", "最多能坐多重", "max load?"), answers={"zh": "25公斤", "xx": "?"})
    with pytest.raises(Invalid, match="unknown answer language 'xx'"):
        store.upsert_faq(faq)
    assert store.snapshot().faqs["max-load"].answers["ja"].startswith("{product}")
    store.close()


def test_example_questions_keep_their_language_through_the_store(tmp_path: Path) -> None:
    text = good_catalog().replace(
        "    questions: [推车承重多少, 最多能坐多重的宝宝, how much weight can it take]",
        "    questions:\n      zh: [推车承重多少, 最多能坐多重的宝宝]\n      en: [how much weight can it take]\n"
        "      ja: [耐荷重は何キロですか]",
    )
    assert text != good_catalog()
    path = write(tmp_path, text)
    faq = load_catalog_file(path).faqs[0]
    assert dict(zip(faq.questions, faq.question_langs, strict=True))["耐荷重は何キロですか"] == "ja"
    store = CatalogStore(f"sqlite:///{tmp_path / 'lr.db'}")
    import_catalog(store, path)
    stored = store.snapshot().faqs["max-load"]
    assert dict(zip(stored.questions, stored.question_langs, strict=True)) == dict(
        zip(faq.questions, faq.question_langs, strict=True)
    )
    store.close()


def test_an_attribute_text_in_english_is_not_borrowed_for_another_latin_language() -> None:
    """A product *name* in English may appear in a Spanish or Vietnamese reply (a brand reads the same); an attribute
    *description* in English may not: "Cotton Tee: 100% cotton" to a Vietnamese viewer is an English reply. Only a
    code (25 kg, XL, 42) is borrowed; the room's fallback policy decides the rest (staff, en or main)."""
    from decimal import Decimal

    from catalog.snapshot import ProductInfo

    tee = ProductInfo(
        id="tee", name={"zh": "纯棉T恤", "en": "Cotton Tee"}, aliases=(), category="", description={}, price=Decimal("79"),
        tags=(), variants=(),
        attributes={"material": {"zh": "100%纯棉", "en": "100% cotton"}, "weight": {"zh": "200克", "en": "200 g"},
                    "fit": {"zh": "宽松", "en": "loose", "vi": "form rộng"}},
    )
    assert tee.name_in("vi") == "Cotton Tee"  # a name: borrowed as before
    assert tee.attribute_in("material", "vi") is None and tee.attribute_in("material", "es") is None
    assert tee.attribute_in("weight", "vi") == "200 g"  # a measure: a code
    assert tee.attribute_in("fit", "vi") == "form rộng"  # its own version
    assert tee.attribute_in("material", "en") == "100% cotton"
