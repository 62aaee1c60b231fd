"""A shop's own wording of the structured answers, per product (`wording:` in the catalog file): read and checked
with file:line errors, stored and exported unchanged, used by the renderer for its languages only."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.answer_text import render_text
from catalog.errors import Invalid
from catalog.io import CatalogFileError, check_banned_words, dump_catalog, import_catalog, load_catalog_file
from catalog.phrases import OVERRIDABLE, override_problem
from catalog.store import CatalogStore
from catalog.wordfilter import load_word_filter

ROOT = Path(__file__).resolve().parents[1]
ANCHOR = "  - id: tee-classic\n"


def _catalog_with(tmp_path: Path, wording: str) -> Path:
    text = (ROOT / "data/catalog.yaml").read_text(encoding="utf-8")
    assert ANCHOR in text, "the demo catalog's tee entry moved: update this test"
    path = tmp_path / "catalog.yaml"
    path.write_text(text.replace(ANCHOR, ANCHOR + "    wording:\n" + wording, 1), encoding="utf-8")
    return path


WORDING = (
    '      stock.few: {zh: "{label}只剩{total}件啦,喜欢的宝宝抓紧"}\n'
    '      sold_out.alts: {zh: "{label}被抢光了!{alts}", en: "{label} just sold out - {alts}"}\n'
)


def _tee(path: Path):
    return next(p for p in load_catalog_file(path).products if p.id == "tee-classic")


def test_the_shop_wording_is_used_for_its_languages_and_the_built_in_one_for_the_others(tmp_path: Path) -> None:
    tee = _tee(_catalog_with(tmp_path, WORDING))
    asked = {"colour": "白色", "size": "XL"}  # TEE-WHT-XL: 6 in the demo catalog
    assert render_text("stock", None, asked, tee, "zh", currency={}) == "白色XL码只剩6件啦,喜欢的宝宝抓紧"
    assert render_text("stock", None, asked, tee, "en", currency={}) == "Yes, white, size XL: 6 left"  # built in
    black_l = {"colour": "黑色", "size": "L"}  # TEE-BLK-L: sold out
    sold_out = render_text("stock", None, black_l, tee, "zh", currency={})
    assert sold_out is not None and sold_out.startswith("黑色L码被抢光了!") and "还有" in sold_out


@pytest.mark.parametrize(
    ("wording", "expected"),
    [
        ('      stock.lots: {zh: "有很多"}\n', r"unknown wording 'stock.lots'"),
        ('      stock.few: {zh: "{label}还有{count}件"}\n', r"\{count\} is not filled here \(available: \{label\}, \{total\}\)"),
        ('      price: {zh: "{label只要{price}"}\n', r"wording 'price': .*brace"),
        ('      price: {xx: "{label}{price}{unit}"}\n', r"wording 'price'.*xx"),
    ],
)
def test_bad_wording_is_a_file_line_error(tmp_path: Path, wording: str, expected: str) -> None:
    path = _catalog_with(tmp_path, wording)
    with pytest.raises(CatalogFileError, match=r"catalog.yaml:6[4-6]: .*" + expected):
        load_catalog_file(path)


def test_a_banned_word_in_the_wording_is_refused_on_import(tmp_path: Path) -> None:
    data = load_catalog_file(_catalog_with(tmp_path, '      stock.plenty: {zh: "{label}全网最低价,现货充足"}\n'))
    with pytest.raises(CatalogFileError, match=r"product 'tee-classic' wording 'stock.plenty' \(zh\): 含违禁词「全网最低」"):
        check_banned_words(data, load_word_filter(ROOT / "data/banned_words.yaml"))


def test_wording_is_stored_and_exported_unchanged(tmp_path: Path) -> None:
    store = CatalogStore(f"sqlite:///{tmp_path}/w.db")
    try:
        import_catalog(store, _catalog_with(tmp_path, WORDING))
        stored = store.product("tee-classic")
        assert stored is not None and stored.wording == _tee(_catalog_with(tmp_path, WORDING)).wording
        again = tmp_path / "again.yaml"
        again.write_text(dump_catalog(store), encoding="utf-8")
        assert _tee(again).wording == stored.wording
        with pytest.raises(Invalid, match="unknown wording"):
            store.upsert_product(stored.__class__(**{**stored.__dict__, "wording": {"nope": {"zh": "x"}}}))
    finally:
        store.close()


def test_every_overridable_key_accepts_its_own_built_in_sentence() -> None:
    from catalog.phrases import PHRASES

    for key in OVERRIDABLE:
        for template in PHRASES[key].values():
            assert override_problem(key, template) is None, (key, template)
