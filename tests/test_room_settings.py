"""A room's language settings kept from the console (catalog/room_settings.py, migration 0019), on SQLite and
PostgreSQL: stored per room with who changed each setting and when, one setting never overwriting the other; the
migration adds the table and the ``set_main_lang`` console command, and takes both away again on a downgrade."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from catalog import control
from catalog.db import alembic_config, current_revision, head_revision, make_engine, migrate, schema_diff
from catalog.room_settings import RoomLangSettings, StoredSetting, room_lang_settings, save_room_setting
from catalog.store import CatalogStore

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _url(request: pytest.FixtureRequest, tmp_path, backend: str, pg_fixture: str = "postgres_url") -> str:  # type: ignore[no-untyped-def]
    return f"sqlite:///{tmp_path / 'rooms.db'}" if backend == "sqlite" else str(request.getfixturevalue(pg_fixture))


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[CatalogStore]:  # type: ignore[no-untyped-def]
    s = CatalogStore(_url(request, tmp_path, request.param))
    yield s
    s.close()


def test_the_table_matches_the_orm(store: CatalogStore) -> None:
    assert [d for d in schema_diff(store.engine) if "room_settings" in str(d) or "console_commands" in str(d)] == []


def test_each_setting_is_kept_per_room_with_who_and_when(store: CatalogStore) -> None:
    assert room_lang_settings(store, "local") == RoomLangSettings("local")  # nothing set: the start configuration
    save_room_setting(store, "local", "lang_fallback", "staff", changed_by="alice", at=1000.0)
    save_room_setting(store, "local", "main_lang", "en", changed_by="bob", at=2000.0)
    save_room_setting(store, "other", "main_lang", "ja", changed_by="carol", at=3000.0)
    assert room_lang_settings(store, "local") == RoomLangSettings(
        "local", lang_fallback=StoredSetting("staff", "alice", 1000.0), main_lang=StoredSetting("en", "bob", 2000.0))
    save_room_setting(store, "local", "lang_fallback", "main", changed_by="dora", at=4000.0)  # replaced, main kept
    kept = room_lang_settings(store, "local")
    assert kept.lang_fallback == StoredSetting("main", "dora", 4000.0) and kept.main_lang == StoredSetting("en", "bob", 2000.0)
    assert room_lang_settings(store, "other") == RoomLangSettings("other", main_lang=StoredSetting("ja", "carol", 3000.0))


def test_bad_values_are_refused_by_the_store_and_by_the_database(store: CatalogStore) -> None:
    with pytest.raises(ValueError, match="lang_fallback must be one of en, main, staff"):
        save_room_setting(store, "local", "lang_fallback", "fr", changed_by="alice")
    with pytest.raises(ValueError, match="unknown room setting"):
        save_room_setting(store, "local", "room_languages", "zh,en", changed_by="alice")
    with pytest.raises(ValueError, match="main_lang must be a language code"):
        save_room_setting(store, "local", "main_lang", " ", changed_by="alice")
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(text("INSERT INTO room_settings (room, lang_fallback) VALUES ('x', 'always')"))
    assert room_lang_settings(store, "x") == RoomLangSettings("x")


def test_set_main_lang_is_a_console_command_for_one_room(store: CatalogStore) -> None:
    command_id = control.enqueue_command(store, "set_main_lang", {"main_lang": "en"}, room="local", created_by="ed")
    record = control.command(store, command_id)
    assert record is not None and (record.kind, dict(record.payload)) == ("set_main_lang", {"main_lang": "en"})
    with pytest.raises(ValueError, match="needs main_lang"):
        control.enqueue_command(store, "set_main_lang", {}, room="local")
    with pytest.raises(ValueError, match="needs the room"):
        control.enqueue_command(store, "set_main_lang", {"main_lang": "en"})


@pytest.mark.parametrize("backend", BACKENDS)
def test_migration_0019_up_and_down(request: pytest.FixtureRequest, tmp_path, backend: str) -> None:  # type: ignore[no-untyped-def]
    """0019 adds `room_settings` and the `set_main_lang` command kind; a downgrade to 0018 drops the table and the
    commands of that kind (0018's check constraint would refuse them) and refuses the kind again."""
    from alembic import command

    set_main_lang = text("INSERT INTO console_commands (kind, room, payload, status, created_at, created_by) "
                         "VALUES ('set_main_lang', 'r', '{}', 'pending', 1, 'ed')")
    url = _url(request, tmp_path, backend, "postgres_empty_url")
    engine = make_engine(url)
    try:
        migrate(engine, "0018")
        assert "room_settings" not in inspect(engine).get_table_names()
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(set_main_lang)
    finally:
        engine.dispose()
    s = CatalogStore(url)  # migrates to the head
    try:
        assert current_revision(s.engine) == head_revision()
        save_room_setting(s, "local", "main_lang", "en", changed_by="alice", at=5.0)
        assert room_lang_settings(s, "local").main_lang == StoredSetting("en", "alice", 5.0)
        control.enqueue_command(s, "set_main_lang", {"main_lang": "en"}, room="local")
        control.enqueue_command(s, "set_fallback", {"lang_fallback": "staff"}, room="local")
    finally:
        s.close()
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0018")
        assert "room_settings" not in inspect(engine).get_table_names()
        with engine.connect() as conn:
            kinds = [row[0] for row in conn.execute(text("SELECT kind FROM console_commands"))]
        assert kinds == ["set_fallback"]  # 0018's own command stays
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(set_main_lang)
    finally:
        engine.dispose()
