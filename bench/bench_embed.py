"""Embedding and FAISS latency on this machine.

    .venv/bin/python bench/bench_embed.py [--models use-m3:1,use-m3:2,e5-small:2] [--repeats 200]

Prints, per model/thread count: p50/p99 latency of encoding one comment (each call a different comment, as
live traffic is), and the per-comment cost of a batch of 32; then FAISS search p50/p99 for one query against
1k and 10k indexed examples (k=20, per-FAQ dedup as the pipeline uses it), with FAISS OpenMP at 1 and 2 threads.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.embedders import get_embedder
from models.index import FaqIndex

_SUBJECTS = ["这件", "那个", "黑色的", "外套", "裤子", "鞋子", "包包", "主播身上这件", "3号链接", "the jacket"]
_ASKS = [
    "有XL码吗",
    "多少钱",
    "还有货吗",
    "什么时候发货",
    "可以退吗",
    "是纯棉的吗",
    "有优惠吗",
    "能便宜点吗",
    "do you ship to Canada?",
    "尺码偏大吗",
]


def comments(n: int, seed: int = 7) -> list[str]:
    rng = np.random.default_rng(seed)
    return [
        f"{_SUBJECTS[rng.integers(len(_SUBJECTS))]}{_ASKS[rng.integers(len(_ASKS))]}{'' if i % 3 else '？'}{i}" for i in range(n)
    ]


def pct(samples: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(samples), q))


@dataclass(frozen=True)
class _Faq:
    id: str
    questions: tuple[str, ...]


def bench_model(name: str, threads: int, repeats: int) -> str:
    t0 = time.perf_counter()
    emb = get_embedder(name, threads=threads)
    emb.warmup()
    load = time.perf_counter() - t0
    texts = comments(repeats + 32 * 10)
    for t in texts[:10]:
        emb.encode([t])
    single: list[float] = []
    for t in texts[:repeats]:
        s = time.perf_counter()
        emb.encode([t])
        single.append((time.perf_counter() - s) * 1e3)
    batched: list[float] = []
    for i in range(10):
        batch = texts[repeats + 32 * i : repeats + 32 * (i + 1)]
        s = time.perf_counter()
        emb.encode(batch)
        batched.append((time.perf_counter() - s) * 1e3 / len(batch))
    line = (
        f"| {emb.model_id} | {threads} | {load:.2f} s | {pct(single, 50):.2f} ms | {pct(single, 99):.2f} ms | "
        f"{statistics.median(batched):.3f} ms |"
    )
    print(line, flush=True)
    return line


class _RandomEmbedder:
    """Unit random vectors (FAISS latency does not depend on what the vectors mean)."""

    model_id = "random-512"
    dim = 512

    def __init__(self) -> None:
        self._rng = np.random.default_rng(1)

    def encode(self, texts: list[str]) -> np.ndarray:
        v = self._rng.standard_normal((len(texts), self.dim)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    def warmup(self) -> None:
        pass


def bench_faiss(n_examples: int, repeats: int, threads: int, per_faq_examples: int = 5) -> str:
    import models.index

    # FaqIndex runs small searches single-threaded; SMALL_SEARCH=0 forces FAISS' default thread count to compare.
    models.index.SMALL_SEARCH = 8 if threads == 1 else 0
    emb = _RandomEmbedder()
    faqs = [_Faq(f"f{i}", tuple(f"q{i}-{j}" for j in range(per_faq_examples))) for i in range(n_examples // per_faq_examples)]
    index = FaqIndex.build(emb, faqs)
    queries = emb.encode(["x"] * repeats)
    for q in queries[:20]:
        index.search(q, k=20)
    lat: list[float] = []
    for q in queries:
        s = time.perf_counter()
        index.search(q, k=20)
        lat.append((time.perf_counter() - s) * 1e3)
    line = f"| IndexIDMap2(FlatIP 512) | {len(index)} | {threads} | {pct(lat, 50):.3f} ms | {pct(lat, 99):.3f} ms |"
    print(line, flush=True)
    return line


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default="use-m3:1,use-m3:2,e5-small:1,e5-small:2", help="name:threads,...")
    ap.add_argument("--repeats", type=int, default=200)
    ap.add_argument("--no-write", action="store_true", help="do not rewrite the 'embed' section of bench/RESULTS.md")
    args = ap.parse_args(argv)
    print(f"cpu_count={os.cpu_count()}  numpy={np.__version__}", flush=True)
    models = [
        "| model | threads | load + warm-up | single p50 | single p99 | batch of 32, per comment |",
        "|---|---|---|---|---|---|",
    ]
    for spec in filter(None, args.models.split(",")):
        name, _, threads = spec.partition(":")
        models.append(bench_model(name, int(threads or 2), args.repeats))
    faiss_rows = ["| index | examples | threads | search k=20 p50 | p99 |", "|---|---|---|---|---|"]
    for n in (1_000, 10_000):
        for threads in (1, os.cpu_count() or 1):
            faiss_rows.append(bench_faiss(n, args.repeats, threads))
    if not args.no_write:
        from bench.results import machine_line, write_section

        body = machine_line() + "\n\n" + "\n".join(models) + "\n\n" + "\n".join(faiss_rows) + "\n"
        write_section(Path(__file__).resolve().parent / "RESULTS.md", "embed", body)
        print("wrote bench/RESULTS.md", flush=True)


if __name__ == "__main__":
    main()
