"""The live page in staff words: the slots chip (bot/console/slot_words.py: the catalog's attribute keys named in the
UI language, the values as the catalog writes them) and a room no bot runs (room_langs.py `saved_room_languages`)."""

from __future__ import annotations

from bot.console.slot_words import slots_words


def test_variant_keys_are_named_in_chinese_and_english() -> None:
    assert slots_words("colour:黑色,size:L", "zh_CN") == "颜色：黑色，尺码：L"
    assert slots_words("colour:黑色,size:L", "en") == "colour: 黑色, size: L"


def test_what_was_asked_and_the_attribute_keys_in_staff_words() -> None:
    assert slots_words("attribute:weight", "zh_CN") == "问的属性：重量"
    assert slots_words("attribute:max_load", "zh_CN") == "问的属性：承重"
    assert slots_words("attribute:max_load", "en") == "attribute asked: max load"
    assert slots_words("which:size,flavour:原味", "en") == "options asked: size, flavour: 原味"
    assert slots_words("which:size", "zh_CN") == "问的选项：尺码"  # the key asked about is named too
    assert slots_words("which:colour", "zh_CN") == "问的选项：颜色"
    assert slots_words("capacity:500ml", "zh_CN") == "容量：500ml"  # a variant key other than colour / size
    assert slots_words("spec:50ml", "zh_CN") == "规格：50ml"  # 30ml / 50ml, 恐龙款: the shop's 规格, not 款式 (style)
    assert slots_words("style:复古,size:M", "en") == "style: 复古, size: M"


def test_a_key_the_console_does_not_know_takes_the_shops_word_else_a_generic_label() -> None:
    shop = {"battery_life": ["续航", "能用多久", "battery life"], "tea": ["能泡茶"]}
    # the catalog's synonyms.attributes: the shop's first word in the UI's script
    assert slots_words("attribute:battery_life", "zh_CN", shop) == "问的属性：续航"
    assert slots_words("attribute:battery_life", "en", shop) == "attribute asked: battery life"
    assert slots_words("attribute:tea", "en", shop) == "attribute asked: attribute “tea”"  # no English word: generic
    # nothing anywhere: a generic label naming the key in words, never the bare identifier
    assert slots_words("attribute:gift_wrap", "zh_CN") == "问的属性：属性“gift wrap”"
    assert slots_words("fabric:棉", "zh_CN") == "属性“fabric”：棉"
    assert slots_words("容量:500ml", "en") == "容量: 500ml"  # a key written in words is a word already


def test_every_key_the_console_names_is_translated_in_chinese() -> None:
    from bot.console.slot_words import ATTRIBUTE_KEY_WORDS, KEY_WORDS, key_word

    for key in (*KEY_WORDS, *ATTRIBUTE_KEY_WORDS):
        zh = key_word(key, "zh_CN")
        assert zh and not any("a" <= ch.lower() <= "z" for ch in zh), (key, zh)


def test_every_attribute_key_of_the_demo_catalog_has_a_chinese_word() -> None:
    """The demo catalog's attribute and variant keys, with its synonyms: none shown as a code on a Chinese console."""
    from pathlib import Path

    import yaml

    from bot.console.slot_words import key_word

    data = yaml.safe_load((Path(__file__).resolve().parents[1] / "data" / "catalog.yaml").read_text(encoding="utf-8"))
    shop = (data.get("synonyms") or {}).get("attributes") or {}
    keys = {k for p in data["products"] for k in (p.get("attributes") or {})}
    keys |= {k for p in data["products"] for v in p["variants"] for k in v["attrs"]}
    for key in sorted(keys):
        zh = key_word(key, "zh_CN", shop)
        assert "“" not in zh and key not in zh, (key, zh)


def test_a_part_without_a_key_stays_as_it_is() -> None:
    assert slots_words("L", "zh_CN") == "L"
    assert slots_words("", "en") == ""


def test_saved_room_uses_the_saved_values_that_fit_the_room() -> None:
    from bot.console import i18n
    from bot.console.room_langs import saved_room_languages
    from catalog.room_settings import RoomLangSettings, StoredSetting

    kept = RoomLangSettings("local", StoredSetting("staff", "ann", 1.0), StoredSetting("ja", "ann", 1.0))
    with i18n.language("zh_CN"):
        room = saved_room_languages("local", ("zh", "en", "ja"), kept, default_main="zh", default_policy="en")
        assert (room.main_lang, room.policy, dict(room.sources)) == (
            "ja", "staff", {"main_lang": "console", "lang_fallback": "console"})
        # a saved main language the room's languages no longer have is not used (as at the start): the default is
        other = saved_room_languages("local", ("zh", "en"), kept, default_main="zh", default_policy="en")
        assert (other.main_lang, other.policy, other.source("main_lang")) == ("zh", "staff", "default")
        # nothing saved, a default main language outside the room: its first language
        fresh = saved_room_languages("shop", ("vi", "en"), None, default_main="zh", default_policy="main")
        assert (fresh.main_lang, fresh.policy) == ("vi", "main")
        assert fresh.fallback == "没有该语言的回答时：用直播间主语言（越南语）回答"


def test_a_kept_main_policy_names_the_main_language() -> None:
    from bot.console import i18n
    from bot.console.room_langs import policy_words

    with i18n.language("zh_CN"):
        assert policy_words("main", "zh") == "用直播间主语言（中文）回答"
        assert policy_words("main") == "用直播间主语言回答"  # no language known: not guessed
        assert policy_words("staff", "zh") == "转人工"
    with i18n.language("en"):
        assert policy_words("main", "vi") == "answer in the room's main language (Vietnamese)"
