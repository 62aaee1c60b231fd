"""Room rules in the console over HTTP (TestClient, real SQLite): keyword rules, scheduled messages and word lists
are created, edited and deleted through the pages' own forms, refused with the file loader's reasons (in the staff
member's language) with nothing written, audited with before/after, and safe against stale saves."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from catalog.accounts import Accounts
from catalog.room_rules import RoomRules
from catalog.room_rules import WordEntry as RoomRulesEntry
from catalog.store import CatalogStore
from tests import test_console
from tests.console_forms import page_form
from tests.test_console import login

pytestmark = pytest.mark.console

app = test_console.app
store = test_console.store
template_db = test_console.template_db


def submit(client: TestClient, page: str, form_id: str, **changes: str):  # type: ignore[no-untyped-def]
    """Post the page's own form with `changes` typed into it, as a browser would."""
    r = client.get(page)
    assert r.status_code == 200, r.text
    action, fields = page_form(r.text, form_id)
    fields.update(changes)
    return client.post(action, data=fields, follow_redirects=False)


def test_create_edit_and_delete_a_rule_through_the_form(app, store: CatalogStore) -> None:  # type: ignore[no-untyped-def]
    ed = login(app, "ed")
    r = submit(ed, "/rules/new", "rule-form", id="how-to-buy", contains="怎么买\nhow to buy",
               reply_zh="点下方小黄车,{product}{stock_summary}", reply_en="Tap the cart.", stage="tee-classic",
               between_start="19:00", between_end="23:30", cooldown_s="20")
    assert r.status_code == 303, r.text
    stored = RoomRules(store).rule("how-to-buy")
    assert stored is not None
    assert stored.spec.contains == ("怎么买", "how to buy") and stored.spec.stage == "tee-classic"
    assert stored.spec.between == ("19:00", "23:30") and stored.spec.cooldown_s == 20
    assert "how-to-buy" in ed.get("/rules").text
    r = submit(ed, "/rules/how-to-buy", "rule-form", reply_zh="点屏幕下方小黄车下单")
    assert r.status_code == 303
    after = RoomRules(store).rule("how-to-buy")
    assert after is not None and after.spec.reply["zh"] == "点屏幕下方小黄车下单" and after.edit_version > stored.edit_version
    entries = Accounts(store).audit_entries(target_type="keyword_rule", target_id="how-to-buy")
    assert [e.action for e in entries] == ["rule.update", "rule.create"]
    assert entries[0].before["reply"]["zh"].startswith("点下方小黄车")
    assert entries[0].after["reply"]["zh"] == "点屏幕下方小黄车下单"
    assert entries[1].before is None
    r = submit(ed, "/rules/how-to-buy", "rule-form")  # the delete form needs the box ticked, checked on the server
    token = test_console.token_of(ed.get("/rules/how-to-buy").text)
    assert ed.post("/rules/how-to-buy/delete", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert RoomRules(store).rule("how-to-buy") is not None
    ed.post("/rules/how-to-buy/delete", data={"csrf_token": token, "confirm": "yes"}, follow_redirects=False)
    assert RoomRules(store).rule("how-to-buy") is None
    assert Accounts(store).audit_entries(target_type="keyword_rule", target_id="how-to-buy")[0].action == "rule.delete"


@pytest.mark.parametrize(
    ("changes", "english", "chinese"),
    [
        ({"regex": "(a+)+$"}, "nested quantifier", "嵌套"),
        ({"regex": ".*"}, "matches every comment", "匹配所有评论"),
        ({"contains": ""}, "match needs at least one word or a regex", "至少"),
        ({"reply_zh": "这是最好的选择"}, "banned word 「最好」 at character 3; write 「很好」 instead", "违禁词「最好」"),
        ({"reply_zh": "{prise}"}, "unknown placeholder {prise}", "不认识的占位符 {prise}"),
        ({"cooldown_s": "-1"}, "cooldowns between 0 and 86400 s", "冷却"),
        ({"between_start": "19:00", "between_end": ""}, "two times like 19:00 and 23:30", "19:00"),
    ],
)
def test_a_refused_rule_says_why_in_the_staff_language_and_writes_nothing(  # type: ignore[no-untyped-def]
    app, store: CatalogStore, changes: dict[str, str], english: str, chinese: str
) -> None:
    RoomRules(store).import_words({"banned": [RoomRulesEntry("最好", "很好")]}, kind="test")
    version = RoomRules(store).version()
    audit = len(Accounts(store).audit_entries())
    base = {"id": "r1", "contains": "怎么买", "reply_zh": "点下方小黄车"}
    for lang, expected in (("en", english), ("zh-CN", chinese)):
        ed = login(app, "ed")
        ed.headers["Accept-Language"] = lang
        r = submit(ed, "/rules/new", "rule-form", **{**base, **changes})
        assert r.status_code == 400
        assert expected in r.text, r.text[:3000]
        assert 'id="form-error"' in r.text
    assert RoomRules(store).version() == version and RoomRules(store).rules() == []
    assert len(Accounts(store).audit_entries()) == audit


def test_schedules_zero_minutes_refused_and_an_edit_saved(app, store: CatalogStore) -> None:  # type: ignore[no-untyped-def]
    ed = login(app, "ed")
    r = submit(ed, "/schedules/new", "schedule-form", id="on-stage", every_min="0", message1_zh="现在上架的是{product}")
    assert r.status_code == 400 and "a schedule of 0 minutes would flood the room" in r.text
    assert RoomRules(store).schedules() == []
    r = submit(ed, "/schedules/new", "schedule-form", id="on-stage", every_min="5", min_comments="30",
               message1_zh="现在上架的是{product}", message2_zh="{product}到手价{price}元", message2_en="{product}: {price}")
    assert r.status_code == 303, r.text
    r = submit(ed, "/schedules/on-stage", "schedule-form", every_min="10", message1_zh="", message3_zh="点关注不迷路")
    assert r.status_code == 303
    spec = RoomRules(store).schedule("on-stage").spec  # type: ignore[union-attr]
    assert spec.every_min == 10 and spec.min_comments == 30
    assert [m.get("zh") for m in spec.messages] == ["{product}到手价{price}元", "点关注不迷路"]
    entries = Accounts(store).audit_entries(target_type="schedule", target_id="on-stage")
    assert entries[0].before["every_min"] == 5 and entries[0].after["every_min"] == 10


def test_a_stale_save_is_refused_with_both_sides(app, store: CatalogStore) -> None:  # type: ignore[no-untyped-def]
    ed, admin = login(app, "ed"), login(app, "admin1")
    assert submit(ed, "/rules/new", "rule-form", id="r1", contains="抽奖", reply_zh="每半小时开一次").status_code == 303
    opened = ed.get("/rules/r1").text  # ed opens the editor …
    assert submit(admin, "/rules/r1", "rule-form", reply_zh="每小时开一次").status_code == 303  # … admin saves first
    action, fields = page_form(opened, "rule-form")
    fields["reply_zh"] = "福袋十分钟后开"
    r = ed.post(action, data=fields, follow_redirects=False)
    assert r.status_code == 409 and 'id="edit-conflict"' in r.text and "每小时开一次" in r.text
    assert RoomRules(store).rule("r1").spec.reply["zh"] == "每小时开一次"  # type: ignore[union-attr]


def test_word_lists_add_edit_delete_and_a_huge_paste_is_refused(app, store: CatalogStore) -> None:  # type: ignore[no-untyped-def]
    ed = login(app, "ed")
    r = submit(ed, "/words/banned", "add-words", word_1="最好", suggest_1="很好", word_2="顶级", bulk="第一 | 领先\n绝对")
    assert r.status_code == 303, r.text
    words = {w.word: w for w in RoomRules(store).words("banned")}
    assert set(words) == {"最好", "顶级", "第一", "绝对"} and words["第一"].suggest == "领先"
    r = submit(ed, "/words/banned", "add-words", word_1="最好")
    assert r.status_code == 400 and "「最好」 is already in the list" in r.text
    huge = "\n".join(f"w{i}" for i in range(100_000))
    r = submit(ed, "/words/banned", "add-words", bulk=huge)
    assert r.status_code == 400 and "at most 20000 are allowed" in r.text
    assert RoomRules(store).word_counts()["banned"] == 4  # nothing of the refused adds was written
    page = ed.get("/words/banned").text
    action, fields = page_form(page, f"w-{words['顶级'].id}")
    fields.update(word="顶级", suggest="高品质")
    assert ed.post(action, data=fields, follow_redirects=False).status_code == 303
    assert RoomRules(store).word("banned", words["顶级"].id).suggest == "高品质"  # type: ignore[union-attr]
    token = test_console.token_of(page)
    r = ed.post(f"/words/banned/{words['绝对'].id}/delete", data={"csrf_token": token, "confirm": "yes"},
                follow_redirects=False)
    assert r.status_code == 303 and "绝对" not in {w.word for w in RoomRules(store).words("banned")}
    actions = [e.action for e in Accounts(store).audit_entries(target_type="word_list", target_id="banned")]
    assert actions == ["word.delete", "word.update", "words.add"]
    assert submit(ed, "/words/blocked", "add-words", word_1="刷单").status_code == 303
    assert [w.word for w in RoomRules(store).words("blocked")] == ["刷单"]


def test_viewers_see_the_rules_but_cannot_change_them(app, store: CatalogStore) -> None:  # type: ignore[no-untyped-def]
    ed, vi = login(app, "ed"), login(app, "vi")
    assert submit(ed, "/rules/new", "rule-form", id="r1", contains="抽奖", reply_zh="每半小时开一次").status_code == 303
    page = vi.get("/rules/r1")
    assert page.status_code == 200 and "每半小时开一次" in page.text and 'id="save-rule"' not in page.text
    token = test_console.token_of(page.text)
    r = vi.post("/rules/r1", data={"csrf_token": token, "contains": "x", "reply_zh": "y"}, follow_redirects=False)
    assert r.status_code == 403
    r = ed.post("/rules/new", data={"id": "r2", "contains": "x", "reply_zh": "y"}, follow_redirects=False)
    assert r.status_code == 403  # no CSRF token
    for path in ("/rules", "/schedules", "/words/banned", "/words/allow", "/words/blocked"):
        assert vi.get(path).status_code == 200
    assert vi.get("/words/nope").status_code == 404


def test_the_console_nav_links_the_rules_in_chinese(app) -> None:  # type: ignore[no-untyped-def]
    ed = login(app, "ed")
    ed.headers["Accept-Language"] = "zh-CN"
    page = ed.get("/rules").text
    assert 'href="/rules"' in page and "直播间规则" in page and "关键词回复" in page and "定时发言" in page




def test_a_faq_answer_with_a_banned_word_is_refused_on_save(app, store: CatalogStore) -> None:  # type: ignore[no-untyped-def]
    ed = login(app, "ed")
    assert submit(ed, "/words/banned", "add-words", word_1="最好", suggest_1="很好").status_code == 303
    faq = next(f for f in store.snapshot().faqs.values() if f.answers.get("zh"))
    page = ed.get(f"/faqs/{faq.id}").text
    action, fields = page_form(page, "faq-form")
    [answer_field] = [k for k, v in fields.items() if v == faq.answers["zh"]]  # whatever the editor names it
    fields[answer_field] = "这是最好的" + faq.answers["zh"]
    r = ed.post(action, data=fields, follow_redirects=False)
    assert r.status_code == 400 and "banned word 「最好」 at character 3; write 「很好」 instead" in r.text
    assert store.snapshot().faqs[faq.id].answers["zh"] == faq.answers["zh"]


def test_a_scheduled_message_in_a_language_the_bot_never_identifies_is_refused(app, store: CatalogStore) -> None:  # type: ignore[no-untyped-def]
    """"kr" is ISO 639-1 for Kanuri (typed for Korean): a message under it would never be sent to anyone. The
    schedule editor refuses it as the keyword rule and FAQ editors do, naming the message, "did you mean ko?" and
    the supported codes; nothing is written (was: saved). Under ko it is saved."""
    version = RoomRules(store).version()
    fields = {"id": "follow", "every_min": "5", "message1_zh": "点关注不迷路", "message2_zh": "下单备注直播间",
              "message2_kr": "주문 시 라이브 방송을 메모해 주세요"}
    english = "Message 2 (kr): 'kr' (Kanuri) is not a language the bot recognises in comments; did you mean ko (Korean)?"
    chinese = "消息 2 (kr)：「kr」（卡努里语）不是机器人能识别的评论语言；是不是要填 ko（韩语）？"
    for accept, expected in (("en", english), ("zh-CN", chinese)):
        ed = login(app, "ed")
        ed.headers["Accept-Language"] = accept
        r = submit(ed, "/schedules/new", "schedule-form", **fields)
        assert r.status_code == 400, r.text[:2000]
        assert 'id="form-error"' in r.text
        assert expected in r.text.replace("&#39;", "'"), r.text[:3000]
        assert ", ko, " in r.text
    assert RoomRules(store).schedules() == [] and RoomRules(store).version() == version
    fields["message2_ko"] = fields.pop("message2_kr")
    assert submit(ed, "/schedules/new", "schedule-form", **fields).status_code == 303
    saved = RoomRules(store).schedule("follow")
    assert saved is not None and dict(saved.spec.messages[1]) == {"zh": "下单备注直播间", "ko": fields["message2_ko"]}
