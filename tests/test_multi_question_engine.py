"""Two questions in one comment through the real engine and a replayed show (bot/multi_question.py): one reply answers
both, in the viewer's language, from live stock, and the transcript and the console say which paths answered; a
comment with one question that is a FAQ gets that FAQ's answer as a part (h/left17); a restock question
about a sold-out variant is told when it comes back (the shop's restock FAQ)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot.console.reasons import explain
from bot.engine import Outcome
from bot.multi_question import MULTI
from bot.replay import outcome_line, replay
from tests.runtimes import live_runtime

SHOW = [
    {"ts": 0.0, "type": "stage", "product_id": "tee-classic"},
    {"ts": 0.1, "id": "two-zh", "user": "u1", "text": "黑色多少钱？有XL吗", "expect": "@price+@stock"},
    {"ts": 0.2, "id": "two-vi", "user": "u2", "text": "giá bao nhiêu, còn size L không?", "expect": "@price+@stock"},
    {"ts": 0.3, "id": "two-en", "user": "u3", "text": "how much and do you have it in black?", "expect": "@price+@stock"},
    {"ts": 0.4, "id": "half", "user": "u4", "text": "黑色多少钱？包邮吗", "expect": "@price+shipping-free"},
    {"ts": 0.5, "id": "restock", "user": "u5", "text": "黑色XL什么时候补货", "expect": "@restock"},
    {"ts": 0.6, "type": "order", "order_id": "o1", "sku": "TEE-WHT-XL", "qty": 6, "user": "u9"},
    {"ts": 0.7, "id": "after-order", "user": "u6", "text": "XL还有吗？多少钱？", "expect": "@stock+@price"},
]


def test_two_questions_get_one_reply_each_answered(tmp_path: Path, embedder) -> None:
    runtime = live_runtime(tmp_path, embedder, room_languages="zh,en,ja,ko,th,vi,id,es")
    log = tmp_path / "show.jsonl"
    log.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in SHOW) + "\n", encoding="utf-8")
    outcomes: list[Outcome] = []
    report = asyncio.run(replay(runtime, log, speed=20.0, on_outcome=outcomes.append))
    by_id = {o.comment.id: o for o in outcomes}
    replies = {cid: r.text for r in runtime.store.replies() for cid in r.reply_to}
    stored = {c.comment_id: c for c in runtime.store.comments(limit=None)}

    # one reply, both answers, in the viewer's language, from live stock
    assert replies["two-zh"] == "黑色79元；XL码目前有货:白色6件,黑色已售罄"
    assert "79" in replies["two-vi"] and "size L còn hàng" in replies["two-vi"]
    assert replies["two-en"].startswith("Heavyweight Cotton Oversized Tee: 79 CNY; black in stock:")
    # white XL sold out in between: the stock part is read live
    assert replies["after-order"].startswith("XL码刚售罄") and "价格79元" in replies["after-order"]
    for cid in ("two-zh", "two-vi", "two-en", "after-order"):
        d = by_id[cid].decision
        assert d.path == MULTI and len(d.parts) == 2, (cid, d.reason)
        assert stored[cid].reason.startswith("2 questions: structured ")  # why, kept on the comment

    # a question of no structured type that is a FAQ (h/left17): the FAQ's answer is a part, in the viewer's language
    assert by_id["half"].decision.path == MULTI and stored["half"].reason.startswith("2 questions: structured price")
    assert replies["half"] == "黑色79元；中国大陆全场包邮;新疆、西藏、青海补10元运费。"

    # a restock question about a sold-out variant: when, from the shop's restock FAQ
    assert replies["restock"].startswith("黑色XL码刚售罄") and "3-5天内补货" in replies["restock"]

    # the transcript and the console say which paths answered
    line = outcome_line(by_id["two-zh"])
    assert "2 questions: structured price tee-classic colour=黑色 + structured stock tee-classic size=XL" in line
    zh = explain(stored["two-zh"].reason, ui="zh_CN")
    assert zh.startswith("一条评论里有 2 个问题，逐个回答：") and "价格" in zh and "库存" in zh

    accuracy = report.accuracy
    assert accuracy["correct"] == 6 and accuracy["wrong"] == 0, accuracy
