"""Review-queue grouping per language: purity and how much is grouped, before / after the language rules.

    PYTHONPATH=. .venv/bin/python bench/bench_review_groups.py [--grid] [--json]

Replays the development log data/demo_multilingual.jsonl (never the hold-out) through the real bot (USE-m3) in the
8-language cross-border room (zh,en,ja,ko,th,vi,id,es) into a fresh SQLite file, then groups as the console does
(bot/console/review.py: the engine's vectors, its slot recogniser, the logged closest FAQ) two sets of comments:

* **queue**: what the review page shows (silent / handed-to-staff comments);
* **log**: every comment of the log (answered ones too): more pairs per language for choosing the rule.

Before: one comment language for all (comments of any language can share a group) and cosine alone (0.45);
languages apart: no group across languages, cosine alone; after: `EMBED_PARAMS` (no group across languages; cosine
blended with bigram overlap, and at least `lexical_min` of it, in `LEXICAL_LANGS`).
Per language of the comments: comments, groups holding them, comments per group, multi-comment groups and the
share of those whose comments all carry one label of the log (`expect`: an FAQ, "@staff", … or none) — "purity".
A group mixing languages counts for each of its languages. Folded lanes (spam, chit-chat) are left out.
`--grid` prints purity and comments per group of the lexical languages for other weights and `lexical_min`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.bootstrap import build_runtime, ensure_catalog, open_store  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.console.review import (  # noqa: E402
    EMBED_PARAMS,
    LEXICAL_LANGS,
    SKIP_REASONS,
    QueuedComment,
    ReviewGroup,
    group_comments,
    normalise,
    queued_comments,
)
from bot.replay import replay  # noqa: E402
from bot.room import load_expectations  # noqa: E402
from catalog.reports import review_candidates  # noqa: E402
from models.grouping import GroupParams  # noqa: E402

log = logging.getLogger("bench.review_groups")
DEV_LOG = ROOT / "data" / "demo_multilingual.jsonl"
ROOM = "zh,en,ja,ko,th,vi,id,es"
BEFORE_PARAMS = GroupParams(threshold=0.45, lane_thresholds={"chit-chat": 0.40}, whole_lanes=frozenset({"spam"}))
LOGGED_STATUSES = ("silent", "staff", "answered")


@dataclass(frozen=True, slots=True)
class LangFigures:
    comments: int
    groups: int
    multi: int  # groups of two comments or more
    pure: int  # of those, the ones whose comments carry one label

    @property
    def per_group(self) -> float:
        return self.comments / self.groups if self.groups else 0.0

    @property
    def purity(self) -> float | None:
        return self.pure / self.multi if self.multi else None


@dataclass
class Replayed:
    queue: list[QueuedComment]
    logged: list[QueuedComment]
    labels: dict[str, str]
    group: Callable[..., list[ReviewGroup]]


def replayed(log_path: Path, tmp: Path) -> Replayed:
    settings = Settings(db=f"sqlite:///{tmp / 'replay.db'}", catalog=str(ROOT / "data" / "catalog.yaml"),
                        intents=str(ROOT / "data" / "intents.yaml"), index_dir=str(tmp / "index"), threads=2,
                        room_languages=ROOM)
    store = open_store(settings)
    ensure_catalog(store, settings)
    runtime = build_runtime(settings, store=store, embedder=None)
    asyncio.run(replay(runtime, log_path, speed=0))
    queue = queued_comments(store, set())
    logged = [
        QueuedComment(room=r.room, comment_id=r.comment_id, user=r.user, text=r.text, received_at=r.received_at,
                      status=r.status, reason=r.reason, faq_id=r.faq_id, score=r.score, product_id=r.product_id,
                      lang=r.lang, intent=r.intent)
        for r in review_candidates(store, LOGGED_STATUSES)
        if r.reason not in SKIP_REASONS and normalise(r.text)
    ]
    recogniser = runtime.engine.state.view.recogniser

    def group(comments: Sequence[QueuedComment], params: GroupParams) -> list[ReviewGroup]:
        return group_comments(comments, runtime.engine.encode, params=params,
                              recognise=recogniser.recognise if recogniser is not None else None)

    labels = {cid: str(x) if x else "none" for cid, x in load_expectations(log_path).items()}
    return Replayed(queue=queue, logged=logged, labels=labels, group=group)


def figures(groups: Sequence[ReviewGroup], lang_of: dict[str, str], labels: dict[str, str]) -> dict[str, LangFigures]:
    """Per language (and "all"), over the unfolded groups; `lang_of`: comment id -> its detected language."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for g in groups:
        if g.folded:
            continue
        pure = len({labels.get(c.comment_id, "none") for c in g.comments}) == 1
        for lang in {lang_of[c.comment_id] for c in g.comments} | {"all"}:
            row = counts[lang]
            row[0] += sum(1 for c in g.comments if lang in ("all", lang_of[c.comment_id]))
            row[1] += 1
            row[2] += g.count > 1
            row[3] += g.count > 1 and pure
    return {lang: LangFigures(*row) for lang, row in sorted(counts.items())}


def mixed_groups(groups: Sequence[ReviewGroup], lang_of: dict[str, str]) -> int:
    return sum(1 for g in groups if not g.folded and len({lang_of[c.comment_id] for c in g.comments}) > 1)


def before_after(data: Replayed, comments: Sequence[QueuedComment], params: GroupParams = EMBED_PARAMS) -> dict[str, Any]:
    lang_of = {c.comment_id: c.lang or "" for c in comments}
    before = data.group([replace(c, lang=None) for c in comments], BEFORE_PARAMS)
    split = data.group(comments, replace(params, lexical_langs=frozenset()))
    after = data.group(comments, params)
    return {"before": figures(before, lang_of, data.labels), "split": figures(split, lang_of, data.labels),
            "after": figures(after, lang_of, data.labels),
            "mixed_before": mixed_groups(before, lang_of), "mixed_after": mixed_groups(after, lang_of)}


def _cell(f: LangFigures | None) -> str:
    if f is None:
        return "–"
    purity = f"{f.purity:.2f} ({f.pure}/{f.multi})" if f.purity is not None else "– (0/0)"
    return f"{purity} · {f.per_group:.2f}"


def table(name: str, result: dict[str, Any]) -> str:
    langs = sorted(set(result["before"]) | set(result["after"]), key=lambda x: (x == "all", x))
    lines = [f"{name}: purity (pure / multi-comment groups) · comments per group",
             "| language | comments | before | languages apart, cosine alone | after |", "|---|---|---|---|---|"]
    for lang in langs:
        n = (result["after"].get(lang) or result["before"][lang]).comments
        cells = " | ".join(_cell(result[k].get(lang)) for k in ("before", "split", "after"))
        lines.append(f"| {lang} | {n} | {cells} |")
    lines.append(f"groups mixing languages: {result['mixed_before']} before, {result['mixed_after']} after")
    return "\n".join(lines)


def grid(data: Replayed) -> str:
    lines = ["weight lexical_min | " + " | ".join(f"{lang} queue / log" for lang in sorted(LEXICAL_LANGS))]
    for weight in (0.0, 0.5):
        for threshold in (0.0, 0.2, 0.3, 0.4):
            params = replace(EMBED_PARAMS, lexical_weight=weight, lexical_min=threshold)
            cells = []
            q = before_after(data, data.queue, params)["after"]
            a = before_after(data, data.logged, params)["after"]
            for lang in sorted(LEXICAL_LANGS):
                cells.append(f"{_cell(q.get(lang))} / {_cell(a.get(lang))}")
            lines.append(f"{weight:.1f} {threshold:.2f} | " + " | ".join(cells))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--grid", action="store_true", help="scan the lexical weight and threshold")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        data = replayed(DEV_LOG, Path(tmp))
        if args.grid:
            print(grid(data))
            return 0
        results = {"queue": before_after(data, data.queue), "log": before_after(data, data.logged)}
    if args.json:
        out = {name: {k: ({lang: {"comments": f.comments, "groups": f.groups, "multi": f.multi, "pure": f.pure}
                                for lang, f in v.items()} if isinstance(v, dict) else v) for k, v in r.items()}
               for name, r in results.items()}
        print(json.dumps(out, indent=1))
    else:
        print(table(f"queue ({len(data.queue)} comments)", results["queue"]))
        print()
        print(table(f"log ({len(data.logged)} comments)", results["log"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
