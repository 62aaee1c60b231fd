"""The PostgreSQL fixtures of tests/conftest.py: `postgres_url` hands each test a schema restored from one migrated
once per test process; it must be the same as a schema just migrated, and nothing one test writes may reach the next."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from catalog.db import current_revision, head_revision, make_engine, migrate, schema_diff
from catalog.io import import_catalog
from catalog.store import CatalogStore

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.postgres


def _schema(url: str) -> str:
    options = str(make_url(url).query["options"])
    assert options.startswith("-csearch_path=")
    return options.removeprefix("-csearch_path=")


def _same_check(line: str) -> str:
    """A CHECK constraint's text without casts, parentheses and spaces. PostgreSQL keeps `col IN ('a', 'b')` on a
    varchar column as `(col)::text = ANY ((ARRAY['a'::varchar, ...])::text[])`, and the same constraint re-created
    from that text as `... ANY (ARRAY[('a'::varchar)::text, ...])`: one expression, two spellings (any database
    restored from a dump has the second)."""
    return re.sub(r"::(character varying|text)(\[\])?|[()\s]", "", line) if " CHECK " in line else line


def _row_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars()
            return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in sorted(tables)}
    finally:
        engine.dispose()


def test_a_restored_schema_is_the_same_as_one_just_migrated(postgres_url, postgres_empty_url, _pg_schemas) -> None:
    assert _row_counts(postgres_empty_url) == {}  # the empty fixture: nothing migrated
    engine = make_engine(postgres_empty_url)
    try:
        migrate(engine)
    finally:
        engine.dispose()
    # every table, column, default, constraint, index, function, trigger, sequence and row (alembic_version, the
    # clock's row ...), as pg_dump writes them, with each schema's own name replaced by the same placeholder
    restored, migrated = _pg_schemas.dump(_schema(postgres_url)), _pg_schemas.dump(_schema(postgres_empty_url))
    assert "CREATE TABLE" in restored and "CREATE TRIGGER" in restored and "INSERT INTO" in restored
    assert [_same_check(line) for line in restored.splitlines()] == [_same_check(line) for line in migrated.splitlines()]
    assert restored.count(" CHECK ") == migrated.count(" CHECK ") > 5
    engine = make_engine(postgres_url)
    try:
        assert current_revision(engine) == head_revision()
        assert schema_diff(engine) == []
    finally:
        engine.dispose()


def test_rows_written_in_one_schema_do_not_reach_the_next(_pg_schemas) -> None:
    """What `postgres_url` does for two tests in a row: restore, write (catalog rows, comments, the clock's triggers,
    sequences), drop; restore again."""
    first = _pg_schemas.create_migrated()
    url = _pg_schemas.schema_url(first)
    fresh = _row_counts(url)
    store = CatalogStore(url)
    try:
        import_catalog(store, ROOT / "data/catalog.yaml")
        assert store.catalog_version() > 0 and store.stock_clock() > 0
    finally:
        store.close()
    written = _row_counts(url)
    assert written["products"] > 0 and written["faqs"] > 0 and written != fresh
    _pg_schemas.drop(first)
    with _pg_schemas.admin.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM pg_namespace WHERE nspname = :s"), {"s": first}).scalar_one() == 0

    second = _pg_schemas.create_migrated()
    try:
        url = _pg_schemas.schema_url(second)
        assert second != first
        assert _row_counts(url) == fresh
        store = CatalogStore(url)
        try:
            assert store.catalog_version() == 0 and store.stock_clock() == 0 and store.products() == {}
            import_catalog(store, ROOT / "data/catalog.yaml")  # the sequences start again too: same rows, same ids
            assert _row_counts(url) == written
        finally:
            store.close()
    finally:
        _pg_schemas.drop(second)
