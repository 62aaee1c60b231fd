"""Replay a real (non-shopping) chat stream against the catalog: how often does the bot speak when it should not?

Input: a TSV with one header row whose text column is named ``text``, ``message``, ``review`` or ``comment``
(the files in ``shared/data/streams``). Every row becomes a ``Comment``; the catalog's first product is on stage
(a live show always has something on stage, so global FAQs like "多少钱" are answerable). Nothing is written to
the comment log (``record=False``).

Reports the share answered / recommended / handed to staff / silent, the engine cost per comment, and the answers
given (for review: on a non-shopping stream every answer is a false positive unless the viewer really asked a
shop question).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.eval import EvalFileError, _open_lines
from bot.messages import Comment

log = logging.getLogger(__name__)

TEXT_COLUMNS = ("text", "message", "review", "comment")
BATCH = 32


def read_stream(path: str | Path, limit: int | None = None) -> list[str]:
    lines = _open_lines(path)
    if not lines:
        raise EvalFileError(path, 1, "empty file")
    header = lines[0].split("\t")
    col = next((header.index(c) for c in TEXT_COLUMNS if c in header), None)
    if col is None:
        raise EvalFileError(path, 1, f"no text column (one of {', '.join(TEXT_COLUMNS)}) in header {header!r}")
    out: list[str] = []
    for no, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != len(header):
            raise EvalFileError(path, no, f"expected {len(header)} tab-separated fields, got {len(parts)}")
        out.append(parts[col])
        if limit and len(out) >= limit:
            break
    if not out:
        raise EvalFileError(path, None, "no rows")
    return out


def eval_silence(stream_path: str | Path, settings: Settings, limit: int | None = None, *, show: int = 50) -> dict[str, Any]:
    from bot.bootstrap import build_runtime, ensure_catalog, open_store

    wall0 = time.perf_counter()
    texts = read_stream(stream_path, limit)
    store = open_store(settings)
    ensure_catalog(store, settings)
    runtime = build_runtime(settings, store=store)
    engine = runtime.engine
    products = list(engine.state.view.snapshot.products)
    engine.stage_product_id = products[0] if products else None
    bands: Counter[str] = Counter()
    answers: list[dict[str, Any]] = []
    t = time.perf_counter()
    for start in range(0, len(texts), BATCH):
        batch = [
            Comment(id=f"s{start + i}", user=f"viewer{(start + i) % 997}", text=text, ts=float(start + i))
            for i, text in enumerate(texts[start : start + BATCH])
        ]
        for o in engine.process(batch, record=False):
            d = o.decision
            bands[d.band] += 1
            if d.band in ("answer", "recommend") and len(answers) < show:
                answers.append(
                    {"text": o.comment.text, "band": d.band, "faq_id": d.faq_id, "score": round(d.score, 3), "reply": o.text}
                )
    seconds = time.perf_counter() - t
    n = len(texts)
    point = runtime.operating_point
    result = {
        "stream": str(stream_path),
        "model": runtime.embedder.model_id,
        "n_comments": n,
        "answered_share": round(bands["answer"] / n, 4),
        "recommended_share": round(bands["recommend"] / n, 4),
        "spoke_share": round((bands["answer"] + bands["recommend"]) / n, 4),
        "staff_share": round(bands["staff"] / n, 4),
        "silent_share": round(bands["silent"] / n, 4),
        "answer_threshold": round(engine.base_settings.answer_threshold, 4),
        "calibrated": point.as_dict() if point is not None else None,
        "ms_per_comment": round(1000 * seconds / n, 3),
        "answers": answers,
        "wall_seconds": round(time.perf_counter() - wall0, 2),
    }
    log.info("eval_silence %s", {k: v for k, v in result.items() if k != "answers"})
    return result
