"""When a sold-out variant comes back, in the shop's words (bot/restock_note.py): the restock answer about a sold-out
variant ends with the shop's restock FAQ's answer in the reply's language. Data, not code: the FAQ staff edit says it;
a product's own restock FAQ wins over the shop's global one; no restock FAQ, or none in the reply's language, leaves the
answer as before; a variant in stock gets no note. Pure: the demo catalog; no model, no database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.pipeline import ANSWER, CatalogView, Decision
from bot.restock_note import restock_faq, restock_note
from bot.structured import render_structured
from catalog.snapshot import CatalogSnapshot, FaqInfo
from tests.demo_view import SNAPSHOT, VIEW

TEE = SNAPSHOT.products["tee-classic"]
CURRENCY = {"zh": "元", "en": "CNY"}
BLACK_XL = {"colour": "黑色", "size": "XL"}  # sold out in the demo catalog
WHITE_XL = {"colour": "白色", "size": "XL"}  # 6 left


def _restock(asked: dict[str, str], lang: str, view: CatalogView = VIEW) -> str | None:
    d = Decision(comment_id="t", band=ANSWER, reason="structured restock", lang=lang, product_id="tee-classic",
                 path="structured", qtype="restock", asked=asked)
    sold_out = any(v.stock <= 0 for v in TEE.variants if all(str(v.attrs.get(a)) == x for a, x in asked.items()))
    note = restock_note(view, TEE, lang, asked) if sold_out else None
    return render_structured(d, TEE, currency=CURRENCY, restock_note=note)


def test_the_demo_catalogs_restock_faq_is_found_by_its_examples() -> None:
    faq = restock_faq(VIEW, "tee-classic")
    assert faq is not None and faq.id == "restock" and faq.intent == "ask_stock"


@pytest.mark.parametrize(
    ("lang", "sold", "when"),
    [("zh", "黑色XL码刚售罄", "3-5天内补货"), ("en", "Sorry, sold out: black, size XL", "within 3–5 days"),
     ("ja", "売り切れました", "3〜5日で再入荷"), ("ko", "품절이에요", "3~5일 안에 재입고"),
     ("th", "หมดแล้ว", "ภายใน 3–5 วัน"), ("vi", "đã hết hàng", "trong 3–5 ngày"),
     ("id", "sudah habis", "dalam 3–5 hari"), ("es", "agotado", "en 3 a 5 días")],
)
def test_a_sold_out_variant_is_told_when_it_comes_back(lang: str, sold: str, when: str) -> None:
    text = _restock(BLACK_XL, lang)
    assert text is not None and sold in text and when in text, text
    assert text.index(sold) < text.index(when)


def test_a_variant_in_stock_gets_no_note() -> None:
    assert _restock(WHITE_XL, "zh") == "白色XL码一直有货,现在还有6件"
    assert _restock({"colour": "白色"}, "en") == "In stock: white, 66 left"


def test_several_variants_some_sold_out_say_which_and_when() -> None:
    """"XL补货了吗" with the black XL sold out: not "XL码一直有货" — which are left, which are not, and when."""
    zh = _restock({"size": "XL"}, "zh")
    assert zh == "XL码目前有货:白色6件,黑色已售罄。售罄的款一般3-5天内补货,在商品页点「到货提醒」,补货第一时间通知你。"
    en = _restock({"size": "L"}, "en")
    assert en is not None and en.startswith("size L in stock: white 12; sold out: black. Sold-out items usually")


def _with_faqs(*faqs: FaqInfo, drop: tuple[str, ...] = ()) -> CatalogView:
    kept = {fid: f for fid, f in SNAPSHOT.faqs.items() if fid not in drop}
    kept.update({f.id: f for f in faqs})
    return CatalogView.build(CatalogSnapshot(version=2, products=SNAPSHOT.products, faqs=kept, synonyms=SNAPSHOT.synonyms))


def test_staff_edit_of_the_restock_faq_is_what_is_said() -> None:
    edited = replace(SNAPSHOT.faqs["restock"], answers={**SNAPSHOT.faqs["restock"].answers, "zh": "下周一统一补货。"})
    text = _restock(BLACK_XL, "zh", _with_faqs(edited))
    assert text is not None and text.endswith("下周一统一补货。") and "3-5天" not in text


def test_a_products_own_restock_faq_wins() -> None:
    own = FaqInfo(id="tee-no-restock", product_id="tee-classic", intent="ask_stock",
                  questions=("什么时候补货", "还会补吗", "when will it be restocked"),
                  answers={"zh": "这款是限量款,售完不补。", "en": "Limited run: no restock."})
    view = _with_faqs(own)
    assert restock_faq(view, "tee-classic").id == "tee-no-restock"  # type: ignore[union-attr]
    assert restock_faq(view, "running-shoes").id == "restock"  # type: ignore[union-attr]
    assert _restock(BLACK_XL, "zh", view).endswith("这款是限量款,售完不补。")  # type: ignore[union-attr]


def test_an_ask_restock_faq_counts_whatever_its_examples() -> None:
    labelled = FaqInfo(id="when-back", product_id=None, intent="ask_restock", questions=("到货提醒怎么设置",),
                       answers={"zh": "一般一周内到货。"})
    assert restock_faq(_with_faqs(labelled, drop=("restock",)), "tee-classic").id == "when-back"  # type: ignore[union-attr]


def test_no_restock_faq_or_none_in_the_language_leaves_the_answer_as_before() -> None:
    bare = _with_faqs(drop=("restock",))
    assert restock_faq(bare, "tee-classic") is None
    assert _restock(BLACK_XL, "zh", bare) == "黑色XL码刚售罄,白色XL码还有6件,黑色XXL码还有2件"
    zh_only = replace(SNAPSHOT.faqs["restock"], answers={"zh": SNAPSHOT.faqs["restock"].answers["zh"]})
    ko = _restock(BLACK_XL, "ko", _with_faqs(zh_only))
    assert ko == "죄송해요, 블랙 XL 사이즈 품절이에요. 화이트 XL 사이즈 6개 남았어요, 블랙 XXL 사이즈 2개 남았어요"


def test_a_restock_that_happened_is_still_said_so() -> None:
    """After a restock event ("T恤XL补货了吗" once the white XL is back), the answer says it was restocked, as before."""
    d = Decision(comment_id="t", band=ANSWER, reason="structured restock", lang="zh", product_id="tee-classic",
                 path="structured", qtype="restock", asked={"size": "XL"})
    note = restock_note(VIEW, TEE, "zh", {"size": "XL"})
    assert render_structured(d, TEE, currency=CURRENCY, last_restock=1.0, restock_note=note) == "XL码已经补货了,现在有6件"
