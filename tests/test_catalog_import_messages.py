"""What a catalog file's usual typing slips are reported as: the line of the slip itself (YAML often gives up a line
later) and what to type instead — a full-width colon or comma from a Chinese input method, an unquoted template that
YAML reads as a mapping, an unquoted ',' inside {…} that splits a text. Both YAML composers (libyaml and pure Python)
report them alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.io import CatalogFileError, load_catalog_file
from tests.test_catalog_io import CATALOG, write
from tests.test_catalog_io import yaml_path as yaml_path  # both composers (a fixture)

pytestmark = pytest.mark.usefixtures("yaml_path")


def problems(tmp_path: Path, old: str, new: str) -> tuple[Path, str, CatalogFileError]:
    """The one problem of CATALOG with `old` replaced by `new`: (path, broken text, error)."""
    assert old in CATALOG
    broken = CATALOG.replace(old, new, 1)
    path = write(tmp_path, broken)
    with pytest.raises(CatalogFileError) as err:
        load_catalog_file(path)
    assert len(err.value.errors) == 1, str(err.value)
    return path, broken, err.value


def number_of(text: str, needle: str) -> int:
    found = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("    price: 899\n", "    price：899\n", "price"),  # YAML gives up on the next line
        ("    category: baby\n", "    category： baby\n", "category"),
        ("        stock: 30\n", "        stock：30\n", "stock"),  # the last key of a variant: the next line is "- sku"
        ("products:\n", "products：\n", "products"),
        ("  - id: tee\n", "  - id：tee\n", "id"),
    ],
    ids=["price", "with-space", "last-key", "top-level", "list-item"],
)
def test_a_full_width_colon_is_named_on_its_own_line(tmp_path: Path, old: str, new: str, key: str) -> None:
    path, broken, err = problems(tmp_path, old, new)
    line = number_of(broken, new.strip())
    assert err.line == line
    message = err.errors[0][1]
    assert message.startswith(f"invalid YAML: full-width colon '：' after '{key}' — use ':' (YAML")
    assert str(err).startswith(f"{path}:{line}: invalid YAML: full-width colon '：'")


def test_the_line_yaml_gave_up_on_is_still_given_when_it_differs(tmp_path: Path) -> None:
    _path, broken, err = problems(tmp_path, "    price: 899\n", "    price：899\n")
    after = number_of(broken, "price：899") + 1
    assert f"(YAML, line {after}: " in err.errors[0][1] and "could not find expected ':'" in err.errors[0][1]


def test_a_full_width_comma_is_named(tmp_path: Path) -> None:
    old = "attrs: {colour: {zh: 灰色, en: grey}}"
    _path, broken, err = problems(tmp_path, old, "attrs: {colour: {zh: 灰色，en: grey}}")
    line = number_of(broken, "灰色，en")
    assert err.line == line
    assert err.errors[0][1].startswith("invalid YAML: full-width comma '，' before 'en' — use ','")
    _path, broken, err = problems(tmp_path, "    price: 899\n", "    price，899\n")  # typed for the colon
    assert err.line == number_of(broken, "price，899")
    assert err.errors[0][1].startswith("invalid YAML: full-width comma '，' after 'price' — use ':'")


def test_a_full_width_colon_inside_braces_is_named_with_the_language_error(tmp_path: Path) -> None:
    """{zh：灰色, en: grey} is valid YAML (one key "zh：灰色"): the language-code error says what happened."""
    _path, broken, err = problems(tmp_path, "{zh: 灰色, en: grey}", "{zh：灰色, en: grey}")
    assert err.line == number_of(broken, "zh：灰色")
    message = err.errors[0][1]
    assert "'zh：灰色' is not a known language code" in message
    assert message.endswith("— full-width colon '：': use ':'")


def test_full_width_punctuation_inside_text_is_left_alone(tmp_path: Path) -> None:
    """A colon or comma in a value is text: an unrelated YAML error near it is reported as before."""
    broken = CATALOG.replace("    price: 899\n", "    price: 899\n    tags: [宝宝：新手，baby\n", 1).replace(
        "    tags: [宝宝, baby]\n", "", 1
    )
    with pytest.raises(CatalogFileError) as err:
        load_catalog_file(write(tmp_path, broken))
    assert "full-width" not in str(err.value) and "invalid YAML" in str(err.value)


def test_an_unquoted_placeholder_says_to_quote_it(tmp_path: Path) -> None:
    """zh: {asked_stock} is a mapping to YAML: the error adds what the docs say."""
    path, broken, err = problems(tmp_path, 'zh: "{asked_stock}"', "zh: {asked_stock}")
    line = number_of(broken, "zh: {asked_stock}")
    assert err.line == line
    assert str(err) == (
        f"{path}:{line}: FAQ 'tee-sizes' answer (zh) must be non-empty text, not a mapping: "
        'templates with {placeholders} must be quoted: zh: "{asked_stock}"'
    )


def test_an_unquoted_placeholder_with_an_argument_says_to_quote_it(tmp_path: Path) -> None:
    _path, broken, err = problems(tmp_path, 'zh: "{asked_stock}"', "zh: {stock: XL}")
    assert err.line == number_of(broken, "zh: {stock: XL}")
    assert err.errors[0][1].endswith('must be quoted: zh: "{stock:XL}"')


def test_an_unquoted_template_with_text_after_the_placeholder_says_to_quote_it(tmp_path: Path) -> None:
    """zh: {product}最大承重{attr:max_load}。 is a YAML syntax error, at the template's line."""
    old = 'zh: "{product}最大承重{attr:max_load}。"'
    path, broken, err = problems(tmp_path, old, "zh: {product}最大承重{attr:max_load}。")
    line = number_of(broken, "zh: {product}最大承重")
    assert err.line == line
    assert str(err).startswith(
        f'{path}:{line}: invalid YAML: templates with {{placeholders}} must be quoted: zh: "{{product}}最大承重'
        '{attr:max_load}。" (YAML: '
    )


def test_a_mapping_that_is_not_a_placeholder_gets_no_quoting_hint(tmp_path: Path) -> None:
    _path, _broken, err = problems(tmp_path, 'zh: "{asked_stock}"', "zh: {a: 1, b: 2}")
    assert err.errors[0][1] == "FAQ 'tee-sizes' answer (zh) must be non-empty text, not a mapping"


def test_an_unquoted_comma_inside_braces_says_it_split_the_text(tmp_path: Path) -> None:
    """{zh: UPF50+,防紫外线, en: …}: YAML reads '防紫外线' as a key of its own."""
    old = "max_load: {zh: 25公斤, en: 25 kg}"
    path, broken, err = problems(tmp_path, old, "max_load: {zh: UPF50+,防紫外线, en: UPF 50+}")
    line = number_of(broken, "UPF50+,防紫外线")
    assert err.line == line
    message = str(err)
    assert message.startswith(f"{path}:{line}: product 'stroller-a1' attribute 'max_load': '防紫外线' is not a known ")
    assert message.endswith(" — an unquoted ',' inside {…} splits the text: quote it, zh: \"UPF50+,防紫外线\"")


def test_the_comma_hint_also_covers_faq_answers(tmp_path: Path) -> None:
    old = 'answer:\n      zh: "全国包邮,{{48小时}}内发货"'
    _path, broken, err = problems(tmp_path, old, "answer: {zh: 全国包邮,48小时内发货}")
    assert err.line == number_of(broken, "answer: {zh: 全国包邮,48小时内发货}")
    assert err.errors[0][1].startswith("FAQ 'shipping' answer: '48小时内发货' is not a known language code")
    assert err.errors[0][1].endswith('quote it, zh: "全国包邮,48小时内发货"')


def test_a_key_that_is_not_a_language_and_no_slip_gets_no_hint(tmp_path: Path) -> None:
    _path, _broken, err = problems(tmp_path, "{zh: 灰色, en: grey}", "{zh: 灰色, xx: grey}")
    assert err.errors[0][1].endswith("(BCP-47 with an ISO 639-1 language: zh, en, ja, ko, th, vi, id, es …)")
