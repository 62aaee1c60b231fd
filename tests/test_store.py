"""CatalogStore against a real SQLite file and the real PostgreSQL (fresh schema per test; unreachable = failure)."""

from __future__ import annotations

import logging
import math
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import event, text, update
from sqlalchemy.exc import IntegrityError

from bot.messages import Comment, Reply
from catalog.db import current_revision, head_revision, make_engine, migrate, schema_diff
from catalog.schema import Variant
from catalog.snapshot import FaqInfo, ProductInfo, VariantInfo
from catalog.store import CatalogError, CatalogStore, StaleEdit
from catalog.synonyms import SynonymError
from catalog.templates import TemplateError

PG_URL = os.environ.get("LIVEREPLY_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[CatalogStore]:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'store.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    s = CatalogStore(url)
    yield s
    s.close()


def stroller(grey: int = 30, pink: int = 5, **changes: object) -> ProductInfo:
    fields: dict[str, object] = dict(
        id="stroller-a1",
        name={"zh": "轻便婴儿推车A1", "en": "A1 Lightweight Stroller"},
        aliases=("推车", "stroller"),
        category="baby",
        description={"zh": "一键收车", "en": "one-hand fold"},
        price=Decimal("899"),
        tags=("宝宝", "baby"),
        attributes={"max_load": {"zh": "25公斤", "en": "25 kg"}},
        variants=(
            VariantInfo("A1-GREY", "stroller-a1", {"colour": "灰色"}, grey, None, {"colour": {"zh": "灰色", "en": "grey"}}),
            VariantInfo("A1-PINK", "stroller-a1", {"colour": "粉色"}, pink, Decimal("919.5"),
                        {"colour": {"zh": "粉色", "en": "pink"}}),
        ),
    )
    fields.update(changes)
    return ProductInfo(**fields)  # type: ignore[arg-type]


MAX_LOAD = FaqInfo(
    id="stroller-max-load", product_id="stroller-a1", intent="ask_spec",
    questions=("这款推车承重多少", "最大承重是多少", "what's the max weight"),
    answers={"zh": "{product}最大承重{attr:max_load}。", "en": "The {product} holds up to {attr:max_load}."},
)
SHIPPING = FaqInfo(
    id="shipping", product_id=None, intent="ask_shipping", questions=("包邮吗", "发货吗", "do you ship to Canada"),
    answers={"en": "We ship worldwide."},
)


# ------------------------------------------------------------------------------------------------- schema


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_migrations_create_exactly_the_orm_schema(request, tmp_path, backend) -> None:  # type: ignore[no-untyped-def]
    # an empty database migrated by the store (the `store` fixture's PostgreSQL schema is restored from a migrated one)
    url = f"sqlite:///{tmp_path / 'new.db'}" if backend == "sqlite" else request.getfixturevalue("postgres_empty_url")
    store = CatalogStore(url)
    try:
        assert current_revision(store.engine) == head_revision()
        assert schema_diff(store.engine) == []
        assert store.catalog_version() == 0
        migrate(store.engine)  # running again is a no-op
        assert store.catalog_version() == 0
    finally:
        store.close()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_review_actions_take_translate_from_migration_0017_and_keep_older_rows(request, tmp_path, backend) -> None:  # type: ignore[no-untyped-def]
    """A review-queue translation was recorded as `example` (the CHECK constraint knew no `translate`); after 0017
    it is recorded as `translate`, rows written before keep what they were recorded as."""
    from catalog.accounts import Accounts

    url = f"sqlite:///{tmp_path / 'old.db'}" if backend == "sqlite" else request.getfixturevalue("postgres_empty_url")
    engine = make_engine(url)
    insert = text("INSERT INTO review_actions (ts, username, room, comment_id, action, faq_id, text, posted) "
                  "VALUES (1, 'ed', 'local', :cid, :action, 'shipping', 'q', false)")
    try:
        migrate(engine, "0016")
        with engine.begin() as conn:
            conn.execute(insert, {"cid": "old", "action": "example"})
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(insert, {"cid": "new", "action": "translate"})
    finally:
        engine.dispose()
    s = CatalogStore(url)  # migrates to the head
    try:
        accounts = Accounts(s)
        assert accounts.record_review(username="ed", comments=[("local", "new")], action="translate",
                                      faq_id="shipping", text="送料無料です") == 1
        assert {r.comment_id: r.action for r in accounts.review_records()} == {"old": "example", "new": "translate"}
        with pytest.raises(IntegrityError), s.engine.begin() as conn:
            conn.execute(insert, {"cid": "bad", "action": "bogus"})  # still a known action only
    finally:
        s.close()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_console_channel_takes_room_settings_from_migration_0018_and_keeps_older_rows(request, tmp_path, backend) -> None:  # type: ignore[no-untyped-def]
    """0018: the heartbeat's `settings` column (the room's languages and fallback policy; a row a bot wrote before has
    none, the console says "unknown") and the `set_fallback` console command; both go again on a downgrade."""
    from alembic import command
    from sqlalchemy import inspect

    from catalog import control
    from catalog.control import BotStatusRecord, ConsoleChannel
    from catalog.db import alembic_config

    def columns(engine) -> set[str]:  # type: ignore[no-untyped-def]
        return {c["name"] for c in inspect(engine).get_columns("bot_status")}

    set_fallback = text("INSERT INTO console_commands (kind, room, payload, status, created_at, created_by) "
                        "VALUES ('set_fallback', 'r', '{}', 'pending', 1, 'ed')")
    url = f"sqlite:///{tmp_path / 'old.db'}" if backend == "sqlite" else request.getfixturevalue("postgres_empty_url")
    engine = make_engine(url)
    try:
        migrate(engine, "0017")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO bot_status (room, pid, connected, reloads, errors, paused, updated_at) "
                              "VALUES ('old', 1, true, 0, 0, false, 5.0)"))
        assert "settings" not in columns(engine)
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(set_fallback)
    finally:
        engine.dispose()
    s = CatalogStore(url)  # migrates to the head
    try:
        assert current_revision(s.engine) == head_revision()
        assert control.bot_statuses(s)[0].settings == {}
        ConsoleChannel(s).heartbeat(BotStatusRecord("new", 2, True, None, 0, 0, False, 9.0,
                                                    settings=control.room_settings(["zh", "th"], "zh", "en")))
        assert {r.room: dict(r.settings) for r in control.bot_statuses(s)} == {
            "new": {"room_languages": ["zh", "th"], "main_lang": "zh", "lang_fallback": "en"}, "old": {}}
        assert control.enqueue_command(s, "set_fallback", {"lang_fallback": "staff"}, room="new") >= 1
        with pytest.raises(IntegrityError), s.engine.begin() as conn:
            conn.execute(text("INSERT INTO console_commands (kind, room, payload, status, created_at, created_by) "
                              "VALUES ('bogus', 'r', '{}', 'pending', 1, 'ed')"))  # still a known kind only
    finally:
        s.close()
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0017")
        assert "settings" not in columns(engine)
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(set_fallback)
    finally:
        engine.dispose()


def test_default_url_is_a_sqlite_file_under_var_in_the_cwd(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    engine = make_engine()
    migrate(engine)
    assert (tmp_path / "var" / "livereply.db").is_file()
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() == 10_000
    engine.dispose()


# ------------------------------------------------------------------------------------------------ catalog


def test_catalog_writes_bump_the_version_and_stock_changes_do_not(store: CatalogStore) -> None:
    assert store.upsert_product(stroller()) == 1
    assert store.upsert_faq(MAX_LOAD) == 2
    assert store.upsert_faq(SHIPPING) == 3
    assert store.set_currency({"zh": "元", "en": "CNY"}) == 4
    store.set_stock("A1-GREY", 10)
    store.apply_order("o-1", "A1-GREY", 2)
    assert store.catalog_version() == 4

    snap = store.snapshot()
    assert snap.version == 4 and snap.currency == {"zh": "元", "en": "CNY"}
    assert list(snap.products) == ["stroller-a1"] and list(snap.faqs) == ["stroller-max-load", "shipping"]
    assert snap.products["stroller-a1"] == stroller(grey=8)
    assert snap.faqs["stroller-max-load"] == MAX_LOAD and snap.faqs["shipping"] == SHIPPING
    assert snap.products["stroller-a1"].variant("A1-PINK").price == Decimal("919.5")  # type: ignore[union-attr]

    store.set_stock("A1-PINK", 0)
    live = store.product("stroller-a1")
    assert live is not None and live.variant("A1-PINK").stock == 0  # type: ignore[union-attr]
    assert snap.products["stroller-a1"].variant("A1-PINK").stock == 5  # type: ignore[union-attr]  # frozen
    assert store.product("nope") is None


def test_upsert_product_replaces_variants_and_can_keep_live_stock(store: CatalogStore) -> None:
    store.upsert_product(stroller())
    store.apply_order("o-1", "A1-GREY", 4)
    renamed = stroller(name={"zh": "推车A1", "en": "Stroller A1"}, grey=30)
    store.upsert_product(renamed, keep_stock=True)
    assert store.product("stroller-a1").variant("A1-GREY").stock == 26  # type: ignore[union-attr]
    assert store.product("stroller-a1").name["en"] == "Stroller A1"  # type: ignore[union-attr]
    store.upsert_product(stroller(variants=stroller().variants[:1]))
    product = store.product("stroller-a1")
    assert product is not None and [v.sku for v in product.variants] == ["A1-GREY"]
    assert product.variants[0].stock == 30
    other = stroller(id="stroller-b2", variants=(VariantInfo("A1-GREY", "stroller-b2", {}, 1),))
    with pytest.raises(CatalogError, match="already belongs to product 'stroller-a1'"):
        store.upsert_product(other)
    with pytest.raises(CatalogError, match="stock must be a whole number"):
        store.upsert_product(stroller(grey=-1))


def test_saving_an_unchanged_product_writes_nothing(store: CatalogStore) -> None:
    assert store.upsert_product(stroller()) == 1
    edit = store.edit_version("product", "stroller-a1")
    assert store.upsert_product(stroller()) == 1  # the same product again: no version bump, no reload anywhere
    store.apply_order("o-1", "A1-GREY", 4)
    assert store.upsert_product(stroller(), keep_stock=True) == 1  # stock differs but is kept: still unchanged
    assert store.product("stroller-a1").variant("A1-GREY").stock == 26  # type: ignore[union-attr]
    assert store.edit_version("product", "stroller-a1") == edit
    assert store.upsert_product(stroller()) == 2  # without keep_stock the stock (30 again) is a change
    assert store.upsert_product(stroller(name={"zh": "推车", "en": "Stroller"})) == 3
    assert store.edit_version("product", "stroller-a1") == edit + 2


def test_products_reads_every_product_with_live_stock(store: CatalogStore) -> None:
    store.upsert_product(stroller())
    store.upsert_product(stroller(id="stroller-b2", variants=(VariantInfo("B2-GREY", "stroller-b2", {}, 3),)))
    store.apply_order("o-live", "A1-PINK", 5)
    live = store.products()
    assert sorted(live) == ["stroller-a1", "stroller-b2"]
    assert live["stroller-a1"].variant("A1-PINK").stock == 0  # type: ignore[union-attr]
    assert live == dict(store.snapshot().products)


def test_edits_that_would_break_templates_are_rejected_and_change_nothing(store: CatalogStore) -> None:
    store.upsert_product(stroller())
    store.upsert_faq(MAX_LOAD)
    version = store.catalog_version()

    bad = FaqInfo("bad", "stroller-a1", "ask_spec", ("a", "b", "c"), {"zh": "还有{stock:XXL}件", "en": "{prodcut}"})
    with pytest.raises(TemplateError) as err:
        store.upsert_faq(bad)
    assert "FAQ 'bad' answer (zh)" in err.value.message and err.value.position == 2
    with pytest.raises(CatalogError, match="unknown product 'ghost'"):
        store.upsert_faq(FaqInfo("ghost-faq", "ghost", "ask_spec", ("a",), {"en": "hi"}))
    with pytest.raises(CatalogError, match=r"FAQ 'stroller-max-load' answer \(zh\).*max_load"):
        store.upsert_product(stroller(attributes={}, price=Decimal("1")))
    with pytest.raises(CatalogError, match="used by FAQs: stroller-max-load"):
        store.delete_product("stroller-a1")

    # a global FAQ (no product) is rendered for any product: a value or attribute no product has is a typo
    typo = FaqInfo("global-typo", None, "ask_stock", ("a", "b", "c"), {"zh": "有的", "en": "{stock:XXXL} left"})
    with pytest.raises(TemplateError, match=r"FAQ 'global-typo' answer \(en\).*no product .* variant value 'XXXL'"):
        store.upsert_faq(typo)
    with pytest.raises(TemplateError, match="no product in the catalog has the attribute 'nope'"):
        store.upsert_faq(FaqInfo("global-typo", None, "ask_spec", ("a", "b", "c"), {"zh": "{attr:nope}"}))

    assert store.catalog_version() == version
    snap = store.snapshot()
    assert snap.products["stroller-a1"].price == Decimal("899") and "bad" not in snap.faqs
    assert "global-typo" not in snap.faqs
    store.upsert_faq(FaqInfo("global-load", None, "ask_spec", ("a", "b", "c"), {"zh": "最大承重{attr:max_load}"}))


def test_examples_and_faq_deletion(store: CatalogStore) -> None:
    store.upsert_product(stroller())
    store.upsert_faq(MAX_LOAD)
    v = store.catalog_version()
    assert store.add_example("stroller-max-load", "  能坐多重的宝宝 ") is True
    assert store.add_example("stroller-max-load", "能坐多重的宝宝") is False
    assert store.catalog_version() == v + 1
    assert store.faq_examples()["stroller-max-load"][-2] == ("能坐多重的宝宝", "zh", "staff")
    with pytest.raises(KeyError):
        store.add_example("nope", "x")
    # re-upserting the snapshot's FaqInfo neither duplicates nor loses the staff example
    store.upsert_faq(store.snapshot().faqs["stroller-max-load"])
    assert len(store.snapshot().faqs["stroller-max-load"].questions) == 4
    assert store.delete_faq("stroller-max-load") is True
    assert store.delete_faq("stroller-max-load") is False
    assert store.snapshot().faqs == {} and store.faq_examples() == {}
    assert store.delete_product("stroller-a1") is True


def test_snapshot_query_count_does_not_grow_with_the_catalog(store: CatalogStore) -> None:
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    def count() -> int:
        statements.clear()
        store.snapshot()
        return len(statements)

    store.upsert_product(stroller())
    small = count()

    def grow(lo: int, hi: int) -> None:
        for i in range(lo, hi):
            skus = (VariantInfo(f"P{i}-A", f"p{i}", {"size": "S"}, i), VariantInfo(f"P{i}-B", f"p{i}", {"size": "M"}, 1))
            store.upsert_product(stroller(id=f"p{i}", variants=skus))
            store.upsert_faq(FaqInfo(f"f{i}", f"p{i}", "ask_price", ("q1", "q2", "q3"), {"zh": "{price}元"}))

    # Products and FAQs changed since the store's last read are read by id (two queries per 500) or, above that,
    # all at once; unchanged ones are not read again: bounded whatever the catalog size.
    grow(0, 30)
    after_30 = count()
    grow(30, 90)
    assert count() == after_30 <= 10
    assert count() <= small  # nothing changed: ids, versions and stock only


# --------------------------------------------------------------------------------------------------- stock


def test_orders_are_all_or_nothing_idempotent_and_never_negative(store: CatalogStore) -> None:
    store.upsert_product(stroller(grey=3))
    big = store.apply_order("o-big", "A1-GREY", 4)
    assert (big.ok, big.remaining, big.reason) == (False, 3, "insufficient stock")
    exact = store.apply_order("o-exact", "A1-GREY", 3)
    assert (exact.ok, exact.remaining, exact.duplicate) == (True, 0, False)
    again = store.apply_order("o-exact", "A1-GREY", 3)
    assert (again.ok, again.remaining, again.duplicate) == (True, 0, True)
    store.set_stock("A1-GREY", 5)
    assert store.apply_order("o-exact", "A1-GREY", 3).duplicate  # still not applied twice
    assert store.variant("A1-GREY").stock == 5  # type: ignore[union-attr]
    assert store.apply_order("o-big", "A1-GREY", 4).ok is False  # replaying a refused order stays refused
    assert store.apply_order("o-ghost", "NOPE", 1).reason == "unknown sku"
    for i, qty in enumerate([0, -2, True, 1.5]):
        result = store.apply_order(f"o-bad-{i}", "A1-GREY", qty)  # type: ignore[arg-type]
        assert (result.ok, result.reason) == (False, "invalid quantity")
    assert store.variant("A1-GREY").stock == 5  # type: ignore[union-attr]
    assert [o[0] for o in store.orders() if o[3]] == ["o-exact"]

    with pytest.raises(ValueError):
        store.set_stock("A1-GREY", -1)
    with pytest.raises(KeyError):
        store.set_stock("NOPE", 1)
    with pytest.raises(IntegrityError), store.engine.begin() as conn:  # the database itself refuses negative stock
        conn.execute(update(Variant).where(Variant.sku == "A1-GREY").values(stock=Variant.stock - 6))
    assert store.variant("A1-GREY").stock == 5  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------------------------- logs


def test_record_comment_stores_odd_input_as_is(store: CatalogStore) -> None:
    long_text = ("有XL码吗😀" * 2000)[:10_240]
    odd = {
        "long": long_text,
        "emoji": "👍🏽👨‍👩‍👧 有货吗?🔥",
        "control": "line1\nline2\r\t\x07\x1b[31mred\x7f",
        "rtl": "\u202eevil\u202c مرحبا",
        "empty": "",
    }
    for cid, body in odd.items():
        assert store.record_comment(Comment(id=cid, user="用户😀", text=body, ts=1000.5, lang="zh"))
    stored = {c.comment_id: c for c in store.comments()}
    for cid, body in odd.items():
        assert stored[cid].text == body and stored[cid].user == "用户😀" and stored[cid].status == "received"
    assert len(stored["long"].text) == 10_240

    # values no database can hold as they are are kept visibly and the reason says what changed
    assert store.record_comment(Comment(id="nul", user="u", text="a\x00b", ts=1.0))
    assert store.record_comment(Comment(id="surrogate", user="u", text="bad \ud800 half", ts=1.0))
    assert store.record_comment(Comment(id="nan", user="u", text="t", ts=math.nan))
    assert store.record_comment(Comment(id=7, user=None, text=None, ts="soon"))  # type: ignore[arg-type]
    stored = {c.comment_id: c for c in store.comments()}
    if store.engine.dialect.name == "sqlite":
        assert stored["nul"].text == "a\x00b" and stored["nul"].reason is None
    else:
        assert stored["nul"].text == "a\ufffdb" and "NUL" in (stored["nul"].reason or "")
    assert stored["surrogate"].text == "bad \\ud800 half" and "escaped" in (stored["surrogate"].reason or "")
    assert math.isfinite(stored["nan"].ts) and "bad timestamp" in (stored["nan"].reason or "")
    assert stored["7"].text == "" and stored["7"].user == ""

    # the same comment again (a reconnect replay) is not stored twice; another room may reuse the id
    assert store.record_comment(Comment(id="emoji", user="x", text="again", ts=2.0)) is False
    assert store.record_comment(Comment(id="emoji", user="x", text="other room", ts=2.0, room="r2")) is True
    assert store.comment_counts() == {"received": len(odd) + 5}


def test_outcomes_replies_and_counts(store: CatalogStore) -> None:
    for i in range(4):
        store.record_comment(Comment(id=f"c{i}", user=f"u{i}", text="多少钱", ts=10.0 + i, product_id="stroller-a1"))
    assert store.set_comment_outcome("c0", "answered", "price", 0.91, "ask_price", "899元", product_id="stroller-a1")
    assert store.set_comment_outcome("c1", "merged", "price", 0.88)
    assert store.set_comment_outcome("c2", "staff", reason="low margin")
    assert store.set_comment_outcome("missing", "silent") is False
    with pytest.raises(ValueError, match="unknown comment status"):
        store.set_comment_outcome("c3", "shrug")
    assert store.comment_counts() == {"answered": 1, "merged": 1, "staff": 1, "received": 1}
    first = store.comments(status="answered")[0]
    assert (first.faq_id, first.score, first.intent, first.reply_text) == ("price", 0.91, "ask_price", "899元")
    assert [c.comment_id for c in store.comments(limit=2)] == ["c2", "c3"]

    assert store.record_reply(Reply(reply_to=("c0", "c1"), text="899元 😀", lang="zh", ts=11.0, users=("u0", "u1")))
    assert store.record_reply(Reply(reply_to=("c9",), text="hi", lang="en", room="r2", ts=12.0))
    replies = store.replies()
    assert [(r.reply_to, r.users, r.text, r.room) for r in replies] == [
        (("c0", "c1"), ("u0", "u1"), "899元 😀", "local"),
        (("c9",), (), "hi", "r2"),
    ]
    assert [r.text for r in store.replies(room="r2")] == ["hi"]


def test_sales_summary_and_session_reset(store: CatalogStore) -> None:
    store.upsert_product(stroller(grey=10, pink=10))
    store.upsert_product(stroller(id="other", variants=(VariantInfo("O-1", "other", {}, 0),)))
    store.apply_order("o1", "A1-GREY", 3, ts=100.0)
    store.apply_order("o2", "A1-PINK", 2, ts=200.0)
    store.apply_order("o3", "A1-PINK", 50, ts=200.0)  # refused, not counted
    store.record_comment(Comment(id="c1", user="u", text="承重?", ts=150.0, product_id="stroller-a1"))
    store.record_comment(Comment(id="c2", user="u", text="hi", ts=150.0))
    summary = {s.product_id: s for s in store.sales_summary()}
    a1 = summary["stroller-a1"]
    assert (a1.units_sold, a1.orders, a1.stock_start, a1.stock_now, a1.questions) == (5, 2, 20, 15, 1)
    assert a1.sell_through == pytest.approx(0.25)
    assert summary["other"].sell_through is None and summary["other"].units_sold == 0
    assert {s.product_id: s.units_sold for s in store.sales_summary(since=150.0)}["stroller-a1"] == 2

    store.reset_session()
    after = {s.product_id: s for s in store.sales_summary()}["stroller-a1"]
    assert (after.units_sold, after.stock_start, after.stock_now, after.questions) == (0, 15, 15, 0)
    assert store.comments() == [] and store.replies() == [] and store.orders() == []


def test_sales_summary_counts_restocks_apart_from_corrections_and_catalog_loads(store: CatalogStore) -> None:
    store.upsert_product(stroller(grey=10, pink=10))
    store.reset_session()  # the session starts here (what `livereply demo` does after loading the catalog)
    assert store.apply_order("o1", "A1-GREY", 3).ok  # 10 -> 7
    store.set_stock("A1-GREY", 20)  # a restock: +13
    store.set_stock("A1-PINK", 4)  # a count correction: -6
    store.upsert_product(stroller(grey=25, pink=4))  # the catalog loaded again: +5, no restock
    a1 = {s.product_id: s for s in store.sales_summary()}["stroller-a1"]
    assert (a1.stock_start, a1.units_sold, a1.stock_now) == (20, 3, 29)
    assert (a1.restocked, a1.restocks) == (13, 1)
    assert a1.other_changes == -6 + 5  # start - sold + restocked + other = now
    assert {s.product_id: s.restocked for s in store.sales_summary(since=time.time() + 60)}["stroller-a1"] == 0
    store.reset_session()
    assert {s.product_id: s.restocked for s in store.sales_summary()}["stroller-a1"] == 0


# ----------------------------------------------------------------------------------------------- hiccups


def test_writes_are_retried_while_the_database_is_locked(tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "locked.db"
    store = CatalogStore(f"sqlite:///{path}", busy_timeout_ms=50, retries=6, retry_delay=0.1)
    store.upsert_product(stroller())
    blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock for a while
    releaser = threading.Timer(0.4, blocker.execute, args=("COMMIT",))
    releaser.start()
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="catalog.store"):
        result = store.apply_order("o-1", "A1-GREY", 1)
    releaser.join()
    blocker.close()
    assert result.ok and result.remaining == 29
    assert time.monotonic() - started >= 0.35
    assert any("apply_order failed (attempt 1/6), retrying" in rec.getMessage() for rec in caplog.records)
    store.close()


def test_record_comment_never_raises_even_when_the_database_fails(tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    store = CatalogStore(f"sqlite:///{tmp_path / 'broken.db'}", retries=2, retry_delay=0.01)
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE comment_log"))
    with caplog.at_level(logging.ERROR, logger="catalog.store"):
        assert store.record_comment(Comment(id="c1", user="u", text="hello", ts=1.0)) is False
    assert any("could not record comment 'c1'" in rec.getMessage() for rec in caplog.records)
    assert store.upsert_product(stroller()) == 1  # the rest of the store keeps working
    store.close()


def test_migrations_have_one_head() -> None:
    """Parallel branches of migrations are fine while work is under way (migrate applies every head), but what lands
    must be joined again: one head, so `catalog.db check` and the console see one schema revision."""
    from alembic.script import ScriptDirectory

    from catalog.db import alembic_config

    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


# ------------------------------------------------------------------------------------------------- synonyms


def test_synonyms_are_checked_against_the_stored_products_and_versioned(store: CatalogStore) -> None:
    """`set_synonyms` applies the catalog file's rules (catalog/synonyms.py) to the products in the database, in the
    same transaction, bumps the catalog version (the bot reloads) and refuses a save from a stale version."""
    store.upsert_product(stroller())
    version = store.edit_version("synonyms", "")
    catalog = store.catalog_version()
    assert version is not None
    refused = [
        ({"values": {"colour": {"灰色": ["灰", "pink"]}}}, [("value_clash", "pink", "粉色")]),  # pink: 粉色's label
        ({"values": {"colour": {"灰色": ["灰"], "粉色": ["灰"]}}}, [("value_clash", "灰", "灰色")]),
        ({"values": {"colour": {"紫色": ["紫"]}}}, [("unknown_value", None, None)]),
        ({"values": {"size": {"XL": ["加大"]}}}, [("unknown_attr", None, None)]),
        ({"attributes": {"weight": ["多重"]}}, [("unknown_key", None, None)]),
        ({"attributes": {"max_load": ["x" * 65]}}, [("words", None, None)]),
    ]
    for synonyms, problems in refused:
        with pytest.raises(SynonymError) as error:
            store.set_synonyms(synonyms)
        assert [(p.code, p.word, p.other) for p in error.value.problems] == problems, synonyms
    assert store.catalog_version() == catalog and store.snapshot().synonyms == {}  # nothing written

    saved = store.set_synonyms({"values": {"colour": {"灰色": [" 灰 ", "灰", "grey"]}}, "attributes": {"max_load": ["承重"]}},
                               expected_version=version)
    assert saved == catalog + 1 == store.catalog_version()
    assert store.snapshot().synonyms == {"values": {"colour": {"灰色": ["灰", "grey"]}}, "attributes": {"max_load": ["承重"]}}
    assert store.edit_version("synonyms", "") == version + 1
    with pytest.raises(StaleEdit):
        store.set_synonyms({"values": {}, "attributes": {}}, expected_version=version)
    assert store.snapshot().synonyms["attributes"] == {"max_load": ["承重"]}
    store.load_catalog([stroller()], [], synonyms={"values": {}, "attributes": {}})  # an import moves it too
    assert store.edit_version("synonyms", "") == version + 2


def test_a_product_edit_carries_the_synonyms_of_a_renamed_value_and_drops_those_of_a_removed_one(
    store: CatalogStore,
) -> None:
    """Synonyms name variant values: renaming 灰色 (same SKU) moves its words to the new name, deleting the only 粉色
    variant drops 粉色's words, each change said in `synonym_changes`; the synonyms version moves (a console form
    opened before is stale) and what is left still passes the rules (an export → import is not refused over it)."""
    from catalog.synonyms import Vocabulary, clean, synonym_problems

    store.upsert_product(stroller())
    store.set_synonyms({"values": {"colour": {"灰色": ["灰", "grey"], "粉色": ["粉", "pink"]}},
                        "attributes": {"max_load": ["承重"]}})
    before = store.edit_version("synonyms", "")
    product = store.product("stroller-a1")
    assert product is not None
    grey, pink = product.variants
    renamed = replace(grey, attrs={"colour": "雾霾灰"}, labels={"colour": {"zh": "雾霾灰", "en": "haze grey"}})
    changes: list = []
    store.upsert_product(replace(product, variants=(renamed, pink)), keep_stock=True, synonym_changes=changes)
    assert [(c.value, c.words, c.to) for c in changes] == [("灰色", ("灰", "grey"), "雾霾灰")]
    assert store.snapshot().synonyms["values"] == {"colour": {"雾霾灰": ["灰", "grey"], "粉色": ["粉", "pink"]}}
    assert store.edit_version("synonyms", "") == before + 1

    changes = []
    product = store.product("stroller-a1")
    assert product is not None
    store.upsert_product(replace(product, variants=product.variants[:1]), keep_stock=True, synonym_changes=changes)
    assert [(c.value, c.words, c.to) for c in changes] == [("粉色", ("粉", "pink"), None)]
    snap = store.snapshot()
    assert snap.synonyms["values"] == {"colour": {"雾霾灰": ["灰", "grey"]}}
    assert synonym_problems(clean(snap.synonyms), Vocabulary.of_products(snap.products.values())) == []

    changes = []
    assert store.delete_product("stroller-a1", synonym_changes=changes)
    assert {(c.section, c.name, c.to) for c in changes} == {("values", "colour", None), ("attributes", "max_load", None)}
    assert store.snapshot().synonyms == {"values": {}, "attributes": {}}


def test_a_product_edit_that_makes_a_synonym_mean_two_of_its_values_is_refused(store: CatalogStore) -> None:
    """灰 is a synonym of 灰色: adding a variant whose value is 灰 would leave the bot unable to tell which one a
    viewer means. Refused as the synonym editor refuses it (`SynonymError`), nothing written; another product may
    have 灰 (a clash is within one product)."""
    store.upsert_product(stroller())
    store.set_synonyms({"values": {"colour": {"灰色": ["灰", "grey"]}}})
    version = store.catalog_version()
    product = store.product("stroller-a1")
    assert product is not None
    clash = VariantInfo("A1-ASH", "stroller-a1", {"colour": "灰"}, 3, None, {})
    with pytest.raises(SynonymError) as error:
        store.upsert_product(replace(product, variants=(*product.variants, clash)), keep_stock=True)
    assert [(p.code, p.value, p.word, p.other, p.product) for p in error.value.problems] == [
        ("value_clash", "灰色", "灰", "灰", "stroller-a1")]
    assert store.catalog_version() == version and store.product("stroller-a1") == product  # nothing written
    other = stroller(id="stroller-b2", name={"zh": "推车B2"}, aliases=(), variants=(
        VariantInfo("B2-ASH", "stroller-b2", {"colour": "灰"}, 3, None, {}),))
    store.upsert_product(other)  # another product: its own 灰, no clash
    assert store.product("stroller-b2") is not None
