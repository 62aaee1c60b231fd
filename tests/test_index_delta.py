"""The FAQ index's base + delta + tombstones (models/index.py): after random sequences of edits, each applied the way a
hot reload does (copy the live index, sync the copy, swap), a search returns the hits of an index built from scratch
on the final catalog — single queries (the 8-bit path of a big base) and batches, per FAQ and raw — also across
compactions, a save_changes + read, and with the older copies left untouched."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

import models.index as index_module
from models.index import FaqIndex
from tests.test_index import Faq, SeededEmbedder, _exact, _same_hits


def _edit(rng: random.Random, faqs: dict[str, tuple[str, ...]], step: int) -> None:
    """One staff edit: add / remove / reword an example, delete a FAQ, add a FAQ (a product edit is an edit of no
    FAQ: the catalog's examples unchanged)."""
    kind = rng.choice(["add", "remove", "reword", "delete", "new", "none"])
    fid = rng.choice(sorted(faqs))
    qs = faqs[fid]
    if kind == "add":
        faqs[fid] = (*qs, f"added {step}")
    elif kind == "remove" and len(qs) > 1:
        faqs[fid] = tuple(q for q in qs if q != rng.choice(qs))
    elif kind == "reword":
        faqs[fid] = tuple(f"reworded {step}" if i == 0 else q for i, q in enumerate(qs))
    elif kind == "delete" and len(faqs) > 5:
        del faqs[fid]
    elif kind == "new":
        faqs[f"n{step}"] = tuple(f"new {step} {j}" for j in range(rng.randint(0, 3)))


def _check(live: FaqIndex, faqs: dict[str, tuple[str, ...]], emb: SeededEmbedder, seed: int) -> None:
    fresh = FaqIndex.build(emb, [Faq(fid, qs) for fid, qs in faqs.items()])
    assert len(live) == len(fresh) and live.faq_ids == fresh.faq_ids
    assert live.fingerprint == fresh.fingerprint
    rng = np.random.default_rng(seed)
    texts = [*[q for qs in list(faqs.values())[:6] for q in qs][:8], "added 3", "reworded 5", "new 7 0", "q1a"]
    stored = emb.encode(texts)
    queries = np.vstack([stored, stored + 0.05 * rng.standard_normal(stored.shape).astype(np.float32),
                         rng.standard_normal((4, emb.dim)).astype(np.float32)])
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    for per_faq in (True, False):
        want = _exact(fresh, queries, 12, per_faq)
        _same_hits(live.search(queries, k=12, per_faq=per_faq), want)  # a batch: the exact base + delta
        for row in range(0, len(queries), 3):  # single queries: the 8-bit copy of the base first
            _same_hits(live.search(queries[row : row + 1], k=12, per_faq=per_faq), want[row : row + 1])
    # a FAQ crowded by many examples of one FAQ: per-FAQ hits still fetch deeper
    _same_hits(live.search(queries[:2], k=len(faqs) + 3), _exact(fresh, queries[:2], len(faqs) + 3, True))
    some = [(fid, q) for fid, qs in list(faqs.items())[:20] for q in qs][:30]
    np.testing.assert_allclose(live.vectors(some), fresh.vectors(some), atol=1e-6)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_search_like_a_rebuild(monkeypatch, tmp_path: Path, seed: int) -> None:
    monkeypatch.setattr(index_module, "SCAN_FROM", 300)
    monkeypatch.setattr(index_module, "COMPACT_MIN", 25)  # a few compactions within the sequence
    rng = random.Random(seed)
    emb = SeededEmbedder()
    faqs = {f"f{i}": (f"q{i}a", f"q{i}b", f"q{i % 13}c") for i in range(150)}
    live = FaqIndex.build(emb, [Faq(fid, qs) for fid, qs in faqs.items()])
    live.save(tmp_path)
    history: list[tuple[FaqIndex, dict[str, tuple[str, ...]]]] = []
    compactions = 0
    for step in range(60):
        before = dict(faqs)
        for _ in range(rng.randint(1, 3)):
            _edit(rng, faqs, step)
        base = live._index
        copy = live.copy()
        if step % 2:  # as a reload does: told what changed
            changed = [Faq(fid, qs) for fid, qs in faqs.items() if before.get(fid) != qs]
            copy.sync_changes(changed, [fid for fid in before if fid not in faqs])
        else:
            copy.sync([Faq(fid, qs) for fid, qs in faqs.items()])
        compactions += copy._index is not base
        history.append((live, before))
        live = copy
        if step % 7 == 0:
            _check(live, faqs, emb, step)
        if step == 30:
            assert live.save_changes(tmp_path) in ("log", "full")
            read = FaqIndex.read(tmp_path, emb)
            _check(read, faqs, emb, 100 + step)
    _check(live, faqs, emb, 999)
    assert compactions >= 2 and (live._dead or live._delta.ntotal or compactions)
    # every older state still answers for its own catalog (a copy never changed the index it was copied from)
    for old, old_faqs in history[::15]:
        _check(old, old_faqs, emb, 7)


def test_a_one_faq_edit_shares_the_base_and_copies_nothing_big(monkeypatch) -> None:
    monkeypatch.setattr(index_module, "SCAN_FROM", 300)
    emb = SeededEmbedder()
    faqs = [Faq(f"f{i}", (f"q{i}a", f"q{i}b")) for i in range(400)]
    live = FaqIndex.build(emb, faqs)
    copy = live.copy()
    copy.sync([Faq("f0", ("q0a", "q0 new")), *faqs[1:]])
    assert copy._index is live._index and copy._scan is live._scan  # shared, not cloned
    assert copy._delta.ntotal == 1 and copy._dead == {live._rows["f0"]["q0b"]}
    assert live._rows["f0"] == {"q0a": 0, "q0b": 1}  # the original's per-FAQ rows untouched
    assert [h.faq_id for h in copy.search(emb.encode(["q0 new"]), k=1)[0]] == ["f0"]
    assert copy.search(emb.encode(["q0b"]), k=1, per_faq=False)[0][0].example != "q0b"
