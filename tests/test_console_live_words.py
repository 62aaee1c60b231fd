"""The live page in staff words: the slots chip (bot/console/slot_words.py: the catalog's attribute keys named in the
UI language, the values as the catalog writes them) and a room no bot runs (room_langs.py `saved_room_languages`)."""

from __future__ import annotations

from bot.console.slot_words import slots_words


def test_variant_keys_are_named_in_chinese_and_english() -> None:
    assert slots_words("colour:黑色,size:L", "zh_CN") == "颜色：黑色，尺码：L"
    assert slots_words("colour:黑色,size:L", "en") == "colour: 黑色, size: L"


def test_what_was_asked_and_an_unknown_key() -> None:
    assert slots_words("attribute:weight", "zh_CN") == "问的属性：weight"
    assert slots_words("which:size,flavour:原味", "en") == "options asked: size, flavour: 原味"
    assert slots_words("which:size", "zh_CN") == "问的选项：尺码"  # the key asked about is named too
    assert slots_words("which:colour", "zh_CN") == "问的选项：颜色"
    assert slots_words("fabric:棉", "zh_CN") == "fabric：棉"  # a key nobody names stays as the catalog has it


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
