"""Words for variant values the catalog does not spell out (bot/value_words.py): pure, on small made-up products."""

from __future__ import annotations

from bot.value_words import derived_words, hues_of, shade_stems


def _words(**values: set[str]) -> dict[tuple[str, str], set[str]]:
    return {("colour", k): v for k, v in values.items()}


def test_hues_of_a_value_come_from_its_chinese_and_english_words():
    assert hues_of({"白灰", "white-grey"}) == {"white", "grey"}
    assert hues_of({"奶白色", "cream"}) == {"white"}
    assert hues_of({"驼色", "camel"}) == set()
    assert hues_of({"xl"}) == set()  # a size has no hue


def test_a_basic_colour_names_the_only_value_of_that_hue():
    words = _words(白灰={"白灰", "white-grey"}, 黑色={"黑色", "black"})
    derived = derived_words(words, aliases=())
    for word in ("白色", "白的", "白", "white", "灰色", "grey", "gray"):
        assert derived[word] == {("colour", "白灰")}, word


def test_a_basic_colour_shared_by_two_values_names_neither():
    words = _words(白色={"白色", "white"}, 白灰={"白灰", "white-grey"}, 黑色={"黑色"})
    derived = derived_words(words, aliases=())
    assert ("colour", "白灰") not in derived.get("白色", set())  # 白色 is its own value: never the grey-white one
    assert "white" not in derived  # two white values: the word stays the one the catalog gave it
    assert derived["灰色"] == {("colour", "白灰")}  # grey is still unique


def test_an_alias_that_starts_with_a_value_names_it():
    words = _words(白色={"白色", "白"}, 黑色={"黑色", "黑"})
    derived = derived_words(words, aliases=("白t", "t恤", "黑t"))
    assert derived["白t"] == {("colour", "白色")}
    assert derived["黑t"] == {("colour", "黑色")}
    assert "t恤" not in derived


def test_relative_capacity_names_the_largest_and_smallest_amount():
    words = {("spec", "30ml"): {"30ml"}, ("spec", "50ml"): {"50ml"}}
    derived = derived_words(words, aliases=())
    assert derived["大瓶"] == {("spec", "50ml")}
    assert derived["小瓶"] == {("spec", "30ml")}
    assert derived["bigger one"] == {("spec", "50ml")}


def test_relative_capacity_needs_amounts_of_one_unit():
    mixed = {("spec", "30ml"): {"30ml"}, ("spec", "50g"): {"50g"}}
    assert "大瓶" not in derived_words(mixed, aliases=())
    named = {("spec", "城堡款"): {"城堡款"}, ("spec", "恐龙款"): {"恐龙款"}}
    assert "大瓶" not in derived_words(named, aliases=())
    single = {("spec", "30ml"): {"30ml"}}
    assert "大瓶" not in derived_words(single, aliases=())


def test_shade_codes_are_also_said_by_their_name():
    assert shade_stems("#21奶茶") == {"#21", "奶茶", "奶茶色"}
    assert shade_stems("#01 true red") == {"#01", "true red"}
    assert shade_stems("奶白色") == set()
