"""The live page's messages join sentences the way their language writes them (bot/console/views/live.py)."""

from bot.console.views.live import sentences


def test_chinese_sentences_join_without_a_space() -> None:
    assert sentences(["主语言：英语。", "没有该语言的回答时：转人工。"]) == "主语言：英语。没有该语言的回答时：转人工。"


def test_latin_sentences_join_with_one_space() -> None:
    assert sentences(["Main language: English.", "No answer in that language: staff."]) == (
        "Main language: English. No answer in that language: staff.")


def test_mixed_and_edge_cases() -> None:
    assert sentences([]) == ""
    assert sentences(["只有一句。"]) == "只有一句。"
    assert sentences(["机器人没有接受这个更改。", "Already changed."]) == "机器人没有接受这个更改。Already changed."
    assert sentences(["Sent.", "已保存。"]) == "Sent. 已保存。"
