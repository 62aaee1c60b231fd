"""`livereply catalog import` refuses an answer template filed under a language code the bot never identifies in
comments ("kr" is ISO 639-1 for Kanuri; Korean is "ko"): the file's line, "did you mean ko (Korean)?", the supported
codes, and nothing written. Identifiable codes (ko, pt-BR, zh-Hant …) are imported as before."""

from __future__ import annotations

from pathlib import Path

from bot.cli import main as cli_main
from catalog.store import CatalogStore
from tests.test_catalog_io import CATALOG

KR = CATALOG.replace(
    '      en: "The {product} holds up to {attr:max_load}."\n',
    '      en: "The {product} holds up to {attr:max_load}."\n      kr: "{product} 최대 하중 {attr:max_load}"\n',
    1,
)


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_catalog_import_refuses_a_template_under_kr_and_writes_nothing(tmp_path: Path, capsys) -> None:
    assert KR != CATALOG
    path = tmp_path / "catalog.yaml"
    path.write_text(KR, encoding="utf-8")
    db = f"sqlite:///{tmp_path}/c.db"
    code = cli_main(["catalog", "import", str(path), "--db", db, "--banned-words", "", "--moderation", ""])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"{path}:{_line_of(KR, '- id: stroller-max-load')}: FAQ 'stroller-max-load' answer (kr)" in err
    assert "'kr' (Kanuri) is not a language the bot recognises in comments; did you mean ko (Korean)?" in err
    assert "Supported: af, ar, " in err and ", ko, " in err
    store = CatalogStore(db)
    try:
        assert not store.snapshot().products and not store.snapshot().faqs  # refused as a whole
    finally:
        store.close()


def test_catalog_import_keeps_identifiable_codes(tmp_path: Path, capsys) -> None:
    good = KR.replace("      kr: ", "      ko: ", 1).replace(
        '      zh: "全国包邮', '      pt-BR: "Frete grátis"\n      zh-Hant: "全國包郵"\n      zh: "全国包邮', 1)
    path = tmp_path / "catalog.yaml"
    path.write_text(good, encoding="utf-8")
    db = f"sqlite:///{tmp_path}/c.db"
    code = cli_main(["catalog", "import", str(path), "--db", db, "--banned-words", "", "--moderation", ""])
    assert code == 0, capsys.readouterr().err
    store = CatalogStore(db)
    try:
        faqs = store.snapshot().faqs
        assert set(faqs["stroller-max-load"].answers) == {"zh", "en", "ko"}
        assert set(faqs["shipping"].answers) == {"zh", "pt-BR", "zh-Hant"}
    finally:
        store.close()


def test_the_catalog_a_bot_imports_at_start_is_checked_too(tmp_path: Path) -> None:
    """`run`/`demo` import the catalog file into an empty database (`ensure_catalog`): the same check, nothing written."""
    import pytest

    from bot.bootstrap import ensure_catalog
    from bot.config import Settings
    from catalog.io import CatalogFileError

    path = tmp_path / "catalog.yaml"
    path.write_text(KR, encoding="utf-8")
    db = f"sqlite:///{tmp_path}/c.db"
    settings = Settings.load({"db": db, "catalog": str(path), "banned_words": ""})
    store = CatalogStore(db)
    try:
        with pytest.raises(CatalogFileError, match=r"did you mean ko \(Korean\)"):
            ensure_catalog(store, settings)
        assert not store.snapshot().products
        path.write_text(KR.replace("      kr: ", "      ko: ", 1), encoding="utf-8")
        assert ensure_catalog(store, settings)
        assert "ko" in store.snapshot().faqs["stroller-max-load"].answers
    finally:
        store.close()
