"""The rules file (``--rules``, data/rules.yaml) refuses a keyword rule reply or a scheduled message filed under a
language code the bot never identifies in comments ("kr" is ISO 639-1 for Kanuri; Korean is "ko"), as the catalog
import refuses such a FAQ answer: the file's line, "did you mean ko (Korean)?", the supported codes, and nothing
imported (was: imported, and never sent). Real SQLite; the command line stops before the model loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main as cli_main
from bot.config import Settings
from bot.errors import InputFileError
from bot.keyword_rules import load_rules
from bot.room_rules_seed import ensure_room_rules
from catalog.room_rules import RoomRules
from catalog.store import CatalogStore

RULES = """\
rules:
  - id: how-to-buy
    match: {contains: [怎么买, how to buy]}
    reply:
      zh: "点下方小黄车就能下单哦"
      en: "Tap the cart below to order."
      LANG_RULE: "아래 장바구니에서 주문하세요."
schedules:
  - id: follow
    every_min: 5
    messages:
      - {zh: 点个关注不迷路, en: Follow us for more deals}
      - zh: 下单备注直播间
        LANG_SCHEDULE: "주문 시 라이브 방송을 메모해 주세요"
"""
WHY = "'kr' (Kanuri) is not a language the bot recognises in comments; did you mean ko (Korean)? Supported: af, ar, "


def _file(tmp_path: Path, rule_lang: str, schedule_lang: str) -> tuple[Path, str]:
    text = RULES.replace("LANG_RULE", rule_lang).replace("LANG_SCHEDULE", schedule_lang)
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.fixture()
def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = CatalogStore(f"sqlite:///{tmp_path / 'rules.db'}")
    yield store
    store.close()


def _settings(db: CatalogStore, path: Path) -> Settings:
    return Settings(db=str(db.engine.url), rules=str(path), banned_words="", moderation="")


def test_a_rule_reply_under_kr_is_refused_with_its_line_and_nothing_is_imported(db: CatalogStore, tmp_path: Path) -> None:
    path, text = _file(tmp_path, "kr", "ko")
    with pytest.raises(InputFileError) as caught:
        ensure_room_rules(db, _settings(db, path))
    line = _line_of(text, "kr: ")
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: rule 'how-to-buy' reply (kr): {WHY}")
    assert ", ko, " in str(caught.value) and "more like it" not in str(caught.value)
    assert RoomRules(db).rules() == [] and RoomRules(db).schedules() == [] and RoomRules(db).seeded("rules") is None


def test_a_scheduled_message_under_kr_is_refused_with_its_line(db: CatalogStore, tmp_path: Path) -> None:
    path, text = _file(tmp_path, "ja", "kr")
    with pytest.raises(InputFileError) as caught:
        ensure_room_rules(db, _settings(db, path))
    line = _line_of(text, "kr: ")
    assert str(caught.value).startswith(f"{path}:{line}: schedule 'follow' message 2 (kr): {WHY}")
    assert RoomRules(db).schedules() == [] and RoomRules(db).seeded("rules") is None
    with pytest.raises(InputFileError, match=r"schedule 'follow' message 2 \(kr\)"):  # the file loader: the same check
        load_rules(path)


def test_every_problem_is_counted_and_the_first_named(tmp_path: Path) -> None:
    path, text = _file(tmp_path, "kr", "jp")
    with pytest.raises(InputFileError) as caught:
        load_rules(path)
    assert caught.value.line == _line_of(text, "kr: ")
    assert str(caught.value).endswith(" (and 1 more like it)")


def test_identifiable_codes_are_imported(db: CatalogStore, tmp_path: Path) -> None:
    path, _text = _file(tmp_path, "ko", "ko")
    assert ensure_room_rules(db, _settings(db, path)) == [str(path)]
    rule = RoomRules(db).rule("how-to-buy")
    schedule = RoomRules(db).schedule("follow")
    assert rule is not None and set(rule.spec.reply) == {"zh", "en", "ko"}
    assert schedule is not None and set(schedule.spec.messages[1]) == {"zh", "ko"}
    shipped = Path(__file__).resolve().parents[1] / "data" / "rules.yaml"
    assert load_rules(shipped).rules  # the shipped file passes the check


def test_livereply_run_stops_on_the_rules_file_with_its_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Before the model loads, one line naming the rules file (not "catalog file error"), exit code 2."""
    path, text = _file(tmp_path, "kr", "ko")
    db = f"sqlite:///{tmp_path}/run.db"
    code = cli_main(["run", "--rules", str(path), "--db", db, "--banned-words", "", "--moderation", ""])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"livereply: error: {path}:{_line_of(text, 'kr: ')}: rule 'how-to-buy' reply (kr): {WHY}" in err
    assert "catalog file error" not in err
