"""Review queue: each comment's language as a badge, and "add translation" in one step, through the real forms
(Starlette TestClient on a real SQLite store; every post is the form as rendered, `tests/console_forms.py`)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bot.config import Settings
from bot.console.auth import add_staff
from bot.console.review import queued_comments
from bot.console.server import create_app
from bot.messages import Comment
from catalog.accounts import Accounts
from catalog.io import import_catalog
from catalog.room_rules import RoomRules, WordEntry
from catalog.store import CatalogStore
from tests import test_console
from tests.console_forms import page_form, signed_in_client
from tests.factories import keep_only_languages

pytestmark = [pytest.mark.console]

CATALOG = Path(__file__).resolve().parents[1] / "data" / "catalog.yaml"
PASSWORD = "editor-pw-9"
FAQ = "shipping-free"  # cut to zh + en answers and examples by the fixture: a FAQ that lacks ja and ko
JA_ANSWER = "中国本土は送料無料です。新疆・チベット・青海は10元かかります。"
JA_REASON = "no answer in the viewer's language (ja)"


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("translate") / "template.db"
    s = CatalogStore(f"sqlite:///{path}")
    import_catalog(s, CATALOG)
    keep_only_languages(s, FAQ)
    add_staff(s, "ed", PASSWORD, "editor")
    s.close()
    return path


store = test_console.store  # a copy of this module's template_db per test


@pytest.fixture()
def app(store: CatalogStore):  # type: ignore[no-untyped-def]
    # banned_words set: the console's editor checks answers against the database's banned list
    return create_app(store, Settings(db=str(store.engine.url), banned_words="on"))


def login(app, language: str = "en") -> TestClient:  # type: ignore[no-untyped-def]
    return signed_in_client(app, "ed", PASSWORD, language=language)


def log(store: CatalogStore, items: list[tuple[str, str, str, str | None, str]]) -> None:
    """(id, text, lang, closest FAQ, reason): handed to staff."""
    now = time.time()
    for i, (cid, text, lang, faq, reason) in enumerate(items):
        store.record_comment(Comment(id=cid, user=f"v{i}", text=text, ts=now + i), received_at=now + i * 0.01)
        store.set_comment_outcome(cid, status="staff", faq_id=faq, score=0.46 if faq else None, lang=lang,
                                  reason=reason)


JA_LOG = [
    ("j1", "送料無料ですか", "ja", FAQ, JA_REASON),
    ("j2", "送料無料ですか?", "ja", FAQ, JA_REASON),  # the same wording: one group
    ("z1", "主播身高多少", "zh", None, "low confidence"),
]


def test_badges_name_each_comments_language_in_the_staff_members_language(app, store: CatalogStore) -> None:
    log(store, JA_LOG)
    en = login(app, "en").get("/review").text
    zh = login(app, "zh-CN").get("/review").text
    assert 'class="chip lang" data-lang="ja"' in en
    assert ">Japanese<" in en and ">Chinese<" in en
    assert ">日语<" in zh and ">中文<" in zh
    # the zh comment's group offers no translation (no FAQ lacks a zh answer); the ja group does, for its FAQ
    assert 'id="translate-local-z1"' not in en and 'id="translate-pick-local-z1"' not in en
    assert 'id="translate-local-j1"' in en


def test_add_translation_in_one_step(app, store: CatalogStore) -> None:
    log(store, JA_LOG)
    client = login(app)
    page = client.get("/review").text
    action, form = page_form(page, "translate-local-j1")
    assert action == "/review/translate"
    assert form["faq_id"] == FAQ and form["lang"] == "ja" and form["answer"] == ""
    assert "中国大陆全场包邮" in page  # the FAQ's zh answer, shown for reference
    version = store.catalog_version()
    form["answer"] = JA_ANSWER
    r = client.post(action, data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert "ok=" in r.headers["location"]

    faq = store.snapshot().faqs[FAQ]
    assert faq.answers["ja"] == JA_ANSWER and faq.answers["zh"].startswith("中国大陆全场包邮")
    examples = store.faq_examples()[FAQ]
    assert ("送料無料ですか", "ja", "staff") in examples  # the group's wording, once ("…ですか?" is the same)
    assert not any(text == "送料無料ですか?" for text, _lang, _source in examples)
    assert store.catalog_version() > version  # the running bot reloads on this
    # the group is handled: gone from the queue, recorded as a translation
    left = {c.comment_id for c in queued_comments(store, Accounts(store).reviewed())}
    assert left == {"z1"}
    records = {r.comment_id: r for r in Accounts(store).review_records()}
    assert records["j1"].action == "translate" and records["j1"].faq_id == FAQ  # was "example" (加为例句)
    assert records["j2"].action == "translate"
    # audited with the FAQ before and after
    entry = next(e for e in Accounts(store).audit_entries(target_type="faq", target_id=FAQ)
                 if e.action == "faq.translate")
    assert "ja" not in entry.before["answers"] and entry.after["answers"]["ja"] == JA_ANSWER
    assert "送料無料ですか" in entry.after["questions"] and "送料無料ですか" not in entry.before["questions"]


def test_stale_translation_is_refused_and_the_form_comes_back_current(app, store: CatalogStore) -> None:
    log(store, JA_LOG)
    client = login(app)
    action, form = page_form(client.get("/review").text, "translate-local-j1")
    store.add_example(FAQ, "运费包吗", "zh")  # someone edits the FAQ meanwhile (its edit_version moves)
    form["answer"] = JA_ANSWER
    r = client.post(action, data=form)
    assert r.status_code == 409
    assert "ja" not in store.snapshot().faqs[FAQ].answers  # nothing written
    assert {c.comment_id for c in queued_comments(store, Accounts(store).reviewed())} == {"j1", "j2", "z1"}
    # the form comes back with the staff member's answer and the FAQ's current version: saving again goes through
    action2, again = page_form(r.text, "translate-form")
    assert again["answer"] == JA_ANSWER and again["edit_version"] != form["edit_version"]
    r = client.post(action2, data=again, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert store.snapshot().faqs[FAQ].answers["ja"] == JA_ANSWER


@pytest.mark.parametrize(
    ("answer", "lang", "message"),
    [
        ("{nosuch}の送料は無料です", "ja", "nosuch"),  # placeholder check, as in the FAQ editor
        ("送料は무료입니다", "ja", "hangul"),  # letters a Japanese reply never carries
        ("最高の送料無料", "ja", "最高"),  # a banned word
        ("Frete grátis", "jp", "is not a language code"),
        ("배송비 무료예요", "kr", "(Kanuri) is not a language the bot recognises in comments; did you mean ko (Korean)?"),
    ],
)
def test_bad_translations_are_refused_with_the_reason(app, store: CatalogStore, answer: str, lang: str,
                                                      message: str) -> None:
    RoomRules(store).add_words("banned", [WordEntry("最高", "很好")])
    log(store, JA_LOG)
    client = login(app)
    action, form = page_form(client.get("/review").text, "translate-local-j1")
    form["answer"], form["lang"] = answer, lang
    r = client.post(action, data=form)
    assert r.status_code == 400, r.text
    assert message in r.text and 'id="form-error"' in r.text
    _action, shown = page_form(r.text, "translate-form")
    assert shown["answer"] == answer  # what staff wrote is kept
    assert set(store.snapshot().faqs[FAQ].answers) == {"zh", "en"}
    assert len(queued_comments(store, Accounts(store).reviewed())) == 3


@pytest.mark.parametrize("closest", [None, "price"])  # none logged, or one that answers ko already (a wrong guess)
def test_staff_pick_the_faq_when_the_closest_one_does_not_lack_the_language(app, store: CatalogStore,
                                                                            closest: str | None) -> None:
    assert closest is None or "ko" in store.snapshot().faqs[closest].answers
    log(store, [("k1", "배송비 무료인가요", "ko", closest, "ambiguous between two FAQs")])
    client = login(app)
    page = client.get("/review").text
    assert 'id="translate-local-k1"' not in page  # no form for a FAQ chosen for them
    action, pick = page_form(page, "translate-pick-local-k1")
    choices = page.split('id="translate-pick-local-k1"')[1].split("</select>")[0]
    assert 'value="shipping-free"' in choices and 'value="price"' not in choices  # only FAQs lacking ko
    assert action == "/review/translate/pick" and pick["lang"] == "ko"
    pick["faq_id"] = FAQ
    page = client.post(action, data=pick)
    assert page.status_code == 200
    action, form = page_form(page.text, "translate-form")
    assert form["faq_id"] == FAQ and form["lang"] == "ko" and json.loads(form["examples"]) == ["배송비 무료인가요"]
    form["answer"] = "중국 본토는 무료 배송입니다."
    r = client.post(action, data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert store.snapshot().faqs[FAQ].answers["ko"] == "중국 본토는 무료 배송입니다."
    assert ("배송비 무료인가요", "ko", "staff") in store.faq_examples()[FAQ]
    assert queued_comments(store, Accounts(store).reviewed()) == []


def test_comments_answered_in_a_fallback_language_can_get_their_translation(app, store: CatalogStore) -> None:
    now = time.time()
    for i, (cid, text, lang, reason) in enumerate([
        ("f1", "送料無料ですか", "ja", "match; in en: no ja answer"),  # answered in English: no ja template
        ("f2", "包邮吗", "zh", "match"),  # answered in the viewer's language: nothing to do
    ]):
        store.record_comment(Comment(id=cid, user=f"w{i}", text=text, ts=now + i), received_at=now + i * 0.01)
        store.set_comment_outcome(cid, status="answered", faq_id=FAQ, score=0.9, lang=lang, reason=reason,
                                  reply_text="Shipping is free anywhere in mainland China")
    client = login(app)
    page = client.get("/review").text
    assert 'id="fallback"' in page and 'data-group="local/f1"' in page and 'data-group="local/f2"' not in page
    card = page.split('data-group="local/f1"')[1].split("</section>")[0]
    assert 'action="/review/answer"' not in card  # answered already: no second answer from here
    action, form = page_form(page, "translate-local-f1")
    form["answer"] = JA_ANSWER
    r = client.post(action, data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert store.snapshot().faqs[FAQ].answers["ja"] == JA_ANSWER
    assert 'id="fallback"' not in client.get("/review").text  # handled: the section is gone
