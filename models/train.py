"""Fine-tune a sentence-transformers model on the catalog's own example questions (``livereply train``).

Training data: every two example questions of the same FAQ form an (anchor, positive) pair — catalog examples and
the staff-approved comment → FAQ rows (``source="staff"``) alike. The loss is sentence-transformers'
``MultipleNegativesRankingLoss``: in a batch, each anchor must be closer to its own positive than to the other
positives, so the other FAQs in the batch are the negatives. Batches never hold two pairs of the same FAQ (they would
be false negatives).

The loop is a plain torch loop over ``model.preprocess`` + the loss module (no ``datasets``/``accelerate`` needed):
AdamW, linear warm-up then decay, the word-embedding table frozen by default (on e5 it is 96 M of the 118 M
weights: freezing it keeps the vocabulary of unseen words intact and makes a CPU step several times cheaper).
Texts get the model's default prompt (``query: `` for the assembled e5), exactly as the ``st:`` embedder encodes them.

Measured before and after, on the same catalog:

* ``loo_top1`` — leave-one-out top-1: each example question, matched against all the others, must land on its FAQ.
  After training this is *in-sample* (the model has seen the example), so it is optimistic;
* ``heldout_top1`` — the honest number: ``holdout_per_faq`` catalog examples per FAQ (never staff rows) are kept out
  of training and matched against the training examples. ``holdout_per_faq=0`` trains on everything.

torch and sentence-transformers are imported lazily (optional dependencies). Runs on CPU, offline.
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models.errors import ModelError
from models.staging import staged_directory

log = logging.getLogger(__name__)

__all__ = [
    "INFO_NAME",
    "FitStats",
    "Pair",
    "TrainingError",
    "batches_without_duplicates",
    "build_pairs",
    "catalog_examples",
    "fine_tune",
    "load_model",
    "pair_loss",
    "resolve_base",
    "split_holdout",
    "top1_accuracy",
    "train_from_store",
]

INFO_NAME = ".livereply-train.json"


class TrainingError(ModelError, RuntimeError):
    """Not enough data, a bad base model, or a missing optional dependency."""


@dataclass(frozen=True)
class FitStats:
    epoch_losses: tuple[float, ...]  # mean training loss (train mode, with dropout) of each epoch
    steps: int


@dataclass(frozen=True)
class Pair:
    """One training pair; ``group`` (a FAQ id) marks pairs that must not share a batch."""

    group: str
    anchor: str
    positive: str


# -------------------------------------------------------------------------------------------------- data
def catalog_examples(store: Any) -> dict[str, list[tuple[str, str]]]:
    """faq_id -> [(text, source)] for every FAQ of the catalog, in snapshot order (sources: catalog, staff, ...)."""
    snapshot = store.snapshot()
    sources = store.faq_examples()
    out: dict[str, list[tuple[str, str]]] = {}
    for faq_id, faq in snapshot.faqs.items():
        by_text = {text: source for text, _lang, source in sources.get(faq_id, [])}
        seen: set[str] = set()
        items: list[tuple[str, str]] = []
        for text in faq.questions:
            t = text.strip()
            if t and t not in seen:
                seen.add(t)
                items.append((t, by_text.get(text, "catalog")))
        out[faq_id] = items
    return out


def split_holdout(
    examples: Mapping[str, Sequence[tuple[str, str]]], per_faq: int, seed: int
) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """(train texts per FAQ, held-out (faq_id, text)). Only non-staff examples are held out, and only from FAQs
    that keep at least 2 training examples (a pair) afterwards."""
    rng = random.Random(seed)
    train: dict[str, list[str]] = {}
    held: list[tuple[str, str]] = []
    for faq_id, items in examples.items():
        texts = [t for t, _ in items]
        candidates = [t for t, src in items if src != "staff"]
        k = min(per_faq, len(candidates), max(0, len(texts) - 2)) if per_faq > 0 else 0
        out = set(rng.sample(candidates, k)) if k else set()
        held.extend((faq_id, t) for t in texts if t in out)
        train[faq_id] = [t for t in texts if t not in out]
    return train, held


def build_pairs(
    examples: Mapping[str, Sequence[str]], *, seed: int = 13, max_pairs_per_faq: int | None = 60
) -> list[Pair]:
    """Every unordered pair of examples of the same FAQ, in a random orientation; FAQs with more than
    ``max_pairs_per_faq`` pairs are subsampled so a FAQ with many staff rows does not dominate."""
    rng = random.Random(seed)
    pairs: list[Pair] = []
    for faq_id, texts in examples.items():
        uniq = list(dict.fromkeys(texts))
        combos = [(a, b) for i, a in enumerate(uniq) for b in uniq[i + 1 :]]
        if max_pairs_per_faq is not None and len(combos) > max_pairs_per_faq:
            combos = rng.sample(combos, max_pairs_per_faq)
        for a, b in combos:
            pairs.append(Pair(faq_id, a, b) if rng.random() < 0.5 else Pair(faq_id, b, a))
    return pairs


def batches_without_duplicates(pairs: Sequence[Pair], batch_size: int, rng: random.Random) -> list[list[Pair]]:
    """Shuffle and cut into batches in which no group and no text occurs twice (in-batch negatives must be true
    negatives). Batches of fewer than 2 pairs are dropped: they carry no contrastive signal."""
    if batch_size < 2:
        raise ValueError(f"batch_size must be >= 2 for in-batch negatives, got {batch_size}")
    pending = list(pairs)
    rng.shuffle(pending)
    batches: list[list[Pair]] = []
    while pending:
        batch: list[Pair] = []
        groups: set[str] = set()
        texts: set[str] = set()
        rest: list[Pair] = []
        for p in pending:
            if len(batch) < batch_size and p.group not in groups and p.anchor not in texts and p.positive not in texts:
                batch.append(p)
                groups.add(p.group)
                texts.update((p.anchor, p.positive))
            else:
                rest.append(p)
        if len(batch) < 2:
            break  # only one group left: nothing to contrast it with
        batches.append(batch)
        pending = rest
    return batches


# ------------------------------------------------------------------------------------------------- model
def resolve_base(base: str | os.PathLike[str] | None) -> Path:
    """The base model directory: None/``e5-st`` = the assembled e5 (models/e5_st.py), ``minilm`` = the bundled
    MiniLM, ``st:<dir>`` or a plain path = that directory."""
    if base is None or str(base) in ("e5-st", "e5"):
        from models.e5_st import assemble_e5

        return assemble_e5()
    raw = str(base)
    if raw == "minilm":
        from models.embedders import minilm_path

        return minilm_path()
    raw = raw.removeprefix("st:")
    path = Path(raw).expanduser().resolve()
    if not path.is_dir() or not (path / "modules.json").is_file():
        raise TrainingError(f"base model {path} is not a sentence-transformers directory (no modules.json)")
    return path


def load_model(path: str | os.PathLike[str], *, max_seq_length: int | None = 64, threads: int | None = None) -> Any:
    """A SentenceTransformer from a local directory, CPU, strictly offline."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise TrainingError("training needs torch and sentence-transformers (pip install 'livereply[st]')") from exc
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except Exception:  # noqa: BLE001  # pragma: no cover - cosmetic only: a progress bar must not stop a model load
        pass
    if threads:
        torch.set_num_threads(int(threads))
    model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    if max_seq_length:
        model.max_seq_length = int(max_seq_length)
    return model


def _prompt(model: Any) -> str | None:
    name = getattr(model, "default_prompt_name", None)
    return model.prompts.get(name) if name else None


def _encode(model: Any, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    return model.encode(list(texts), batch_size=batch_size, convert_to_numpy=True, normalize_embeddings=True,
                        show_progress_bar=False)


def top1_accuracy(
    model: Any, index: Mapping[str, Sequence[str]], queries: Sequence[tuple[str, str]] | None = None
) -> float:
    """Share of queries whose nearest example (cosine) belongs to their FAQ.

    ``queries=None`` is leave-one-out over ``index`` itself: every example is a query and is excluded from its own
    candidates. Otherwise ``queries`` are (faq_id, text) matched against all of ``index``.
    """
    labels = [faq for faq, texts in index.items() for _ in texts]
    texts = [t for ts in index.values() for t in ts]
    if not texts:
        return float("nan")
    vecs = _encode(model, texts)
    if queries is None:
        if len(texts) < 2:
            return float("nan")
        sims = vecs @ vecs.T
        np.fill_diagonal(sims, -np.inf)
        q_labels = labels
    else:
        if not queries:
            return float("nan")
        sims = _encode(model, [t for _, t in queries]) @ vecs.T
        q_labels = [faq for faq, _ in queries]
    best = sims.argmax(axis=1)
    return float(np.mean([labels[j] == q for j, q in zip(best, q_labels, strict=True)]))


def _mnrl() -> Any:
    try:  # sentence-transformers >= 6
        from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss
    except ImportError:  # pragma: no cover - older releases
        from sentence_transformers.losses import MultipleNegativesRankingLoss as OlderLoss

        return OlderLoss
    return MultipleNegativesRankingLoss


def pair_loss(model: Any, batches: Sequence[Sequence[Pair]]) -> float:
    """Mean MultipleNegativesRankingLoss over fixed batches, eval mode (no dropout, no gradients)."""
    import torch

    MultipleNegativesRankingLoss = _mnrl()

    loss_fn = MultipleNegativesRankingLoss(model)
    prompt = _prompt(model)
    was_training = model.training
    model.eval()
    total, n = 0.0, 0
    with torch.no_grad():
        for batch in batches:
            fa = model.preprocess([p.anchor for p in batch], prompt=prompt)
            fp = model.preprocess([p.positive for p in batch], prompt=prompt)
            total += loss_fn([fa, fp], None).item() * len(batch)
            n += len(batch)
    model.train(was_training)
    return total / n if n else float("nan")


def fine_tune(
    model: Any,
    pairs: Sequence[Pair],
    *,
    epochs: int = 1,
    batch_size: int = 32,
    lr: float = 5e-5,
    warmup: float = 0.1,
    seed: int = 13,
    train_embeddings: bool = False,
    scale: float = 20.0,
) -> FitStats:
    """Train ``model`` in place with MNRL (batches from ``batches_without_duplicates``, reshuffled every epoch)."""
    import torch

    MultipleNegativesRankingLoss = _mnrl()

    if epochs < 1:
        raise ValueError(f"epochs must be >= 1, got {epochs}")
    rng = random.Random(seed)
    torch.manual_seed(seed)
    epoch_batches = [batches_without_duplicates(pairs, batch_size, rng) for _ in range(epochs)]
    steps = sum(len(b) for b in epoch_batches)
    if steps == 0:
        raise TrainingError("no training batch: need pairs from at least 2 different groups (FAQs)")

    frozen = set()
    if not train_embeddings:
        for name, param in model.named_parameters():
            if name.endswith("word_embeddings.weight"):
                param.requires_grad_(False)
                frozen.add(name)
    params = [p for p in model.parameters() if p.requires_grad]
    loss_fn = MultipleNegativesRankingLoss(model, scale=scale)
    optim = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    warm = max(1, math.ceil(steps * warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: (s + 1) / warm if s < warm else max(0.0, (steps - s) / max(1, steps - warm))
    )
    prompt = _prompt(model)
    model.train()
    epoch_losses: list[float] = []
    step = 0
    try:
        for epoch, batches in enumerate(epoch_batches):
            total = 0.0
            for batch in batches:
                fa = model.preprocess([p.anchor for p in batch], prompt=prompt)
                fp = model.preprocess([p.positive for p in batch], prompt=prompt)
                loss = loss_fn([fa, fp], None)
                optim.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, 1.0)
                optim.step()
                sched.step()
                total += loss.item()
                step += 1
                if step % 20 == 0:
                    log.info("train: step %d/%d loss %.4f", step, steps, loss.item())
            epoch_losses.append(total / max(1, len(batches)))
            log.info("train: epoch %d mean loss %.4f over %d batches", epoch + 1, epoch_losses[-1], len(batches))
    finally:
        model.eval()
        for name, param in model.named_parameters():
            if name in frozen:
                param.requires_grad_(True)
    return FitStats(tuple(epoch_losses), steps)


def _save(model: Any, out_dir: Path, info: Mapping[str, Any]) -> None:
    """Write next to out_dir, then swap in: a running bot never sees a half-written model."""
    with staged_directory(out_dir) as tmp:
        model.save(str(tmp), create_model_card=False)
        (tmp / INFO_NAME).write_text(json.dumps(dict(info), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# ------------------------------------------------------------------------------------------------ entry
def train_from_store(
    store: Any,
    base: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = "var/models/finetuned",
    epochs: int = 1,
    batch_size: int = 32,
    seed: int = 13,
    *,
    lr: float = 5e-5,
    holdout_per_faq: int = 1,
    max_pairs_per_faq: int | None = 60,
    max_seq_length: int = 64,
    train_embeddings: bool = False,
    threads: int | None = None,
) -> dict[str, Any]:
    """Fine-tune ``base`` on the catalog of ``store`` and save it to ``out_dir``; returns a JSON-able report.

    Keys: base, out_dir, model_arg (``st:<out_dir>``, for ``livereply demo --model``), faqs, examples,
    staff_examples, heldout, pairs, epochs, steps, batch_size, lr, seed, max_seq_length, loss_first/loss_last (MNRL
    on the training batches of the first epoch, eval mode, before/after), epoch_losses, loo_top1_before/after,
    heldout_top1_before/after, seconds.
    """
    t0 = time.perf_counter()
    base_path = resolve_base(base)
    out = Path(out_dir or "var/models/finetuned").expanduser().resolve()
    if out == base_path:
        raise TrainingError(f"out_dir {out} is the base model directory; choose another one")

    examples = catalog_examples(store)
    staff = sum(1 for items in examples.values() for _, src in items if src == "staff")
    train_texts, held = split_holdout(examples, holdout_per_faq, seed)
    pairs = build_pairs(train_texts, seed=seed, max_pairs_per_faq=max_pairs_per_faq)
    if len({p.group for p in pairs}) < 2:
        raise TrainingError(
            f"need example-question pairs in at least 2 FAQs to train; the catalog gives {len(pairs)} pair(s) "
            f"in {len({p.group for p in pairs})} FAQ(s)"
        )
    all_texts = {faq: [t for t, _ in items] for faq, items in examples.items()}

    model = load_model(base_path, max_seq_length=max_seq_length, threads=threads)
    loo_before = top1_accuracy(model, all_texts)
    held_before = top1_accuracy(model, train_texts, held) if held else float("nan")
    probe = batches_without_duplicates(pairs, batch_size, random.Random(seed))
    loss_first = pair_loss(model, probe)

    t_train = time.perf_counter()
    stats = fine_tune(model, pairs, epochs=epochs, batch_size=batch_size, lr=lr, seed=seed,
                             train_embeddings=train_embeddings)
    train_seconds = time.perf_counter() - t_train

    loss_last = pair_loss(model, probe)
    loo_after = top1_accuracy(model, all_texts)
    held_after = top1_accuracy(model, train_texts, held) if held else float("nan")

    def r(x: float) -> float | None:
        return None if math.isnan(x) else round(x, 4)

    result: dict[str, Any] = {
        "base": str(base_path),
        "out_dir": str(out),
        "model_arg": f"st:{out}",
        "faqs": sum(1 for items in examples.values() if items),
        "examples": sum(len(items) for items in examples.values()),
        "staff_examples": staff,
        "heldout": len(held),
        "pairs": len(pairs),
        "epochs": epochs,
        "steps": stats.steps,
        "batch_size": batch_size,
        "lr": lr,
        "seed": seed,
        "max_seq_length": max_seq_length,
        "loss_first": r(loss_first),
        "loss_last": r(loss_last),
        "epoch_losses": [round(x, 4) for x in stats.epoch_losses],
        "loo_top1_before": r(loo_before),
        "loo_top1_after": r(loo_after),
        "heldout_top1_before": r(held_before),
        "heldout_top1_after": r(held_after),
        "train_seconds": round(train_seconds, 1),
    }
    result["seconds"] = round(time.perf_counter() - t0, 1)
    _save(model, out, result)
    result["seconds"] = round(time.perf_counter() - t0, 1)
    log.info("train: %s", result)
    return result
