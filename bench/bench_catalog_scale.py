"""Catalog at scale (issue "Fast at any size", item 2): a synthetic shop of 1,000 products and 10,000 FAQs.

    python bench/bench_catalog_scale.py [--products 1000] [--faqs 10000] [--comments 2000] [--calibration-timeout 600]
                                        [--paced-rates 100,200] [--paced-seconds 20] [--paced-edit-every 2]
                                        [--workdir var/bench-catalog-scale] [--no-write]

Measures, each step in a fresh process where memory matters:

(a) `livereply catalog import` of the generated file into a fresh SQLite database (wall time, peak RSS);
(b) first start: `bot.bootstrap.build_runtime` with a fixed `--answer-threshold 0.6 --staff-threshold 0.5`, threads 1,
    use-m3, an empty index_dir (the FAISS index of every example question is built);
(c) second start with the same index_dir (the index is loaded, not built);
(d) RSS after each start;
(e) engine.process on generated viewer comments in batches of 64, with the real (SQLite) store;
(f) edit-to-live: a BotService-like loop (one asyncio work lock; batches of 64 run in a worker thread under it; a
    reload task every reload_interval_s runs `engine.reload_if_changed` + `drain_spool` under the same lock, as
    bot/service.py `_reload_loop` does today) while another thread edits a FAQ with `store.upsert_faq`: time until
    `engine.state.version` has the edit, and the longest batch (lock wait + processing) around the reload;
    paced: `livereply run`'s own loop (BotService) serving a room where comments arrive at each of --paced-rates per
    second while a FAQ is edited every --paced-edit-every s: comment → decision latency inside and outside reloads,
    the longest stall of a probe thread, full garbage collections;
(g) calibration: `build_runtime` without a fixed threshold (the calibration step timed), under a timeout.

Writes the "Catalog at scale" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import dataclasses
import gc
import io
import json
import logging
import os
import pstats
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.results import machine_line, write_section  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
EXE = str(Path(sys.executable).parent / "livereply")
FIXED = {"answer_threshold": 0.6, "staff_threshold": 0.5}
STEPS = ("import", "first", "warm", "calibration")
TARGETS = {"warm_start_s": 3.0, "rss_mb": 400.0, "edit_to_live_s": 1.0, "batch_during_reload_ms": 50.0}


_RUN = f"{time.time() * 1000:.0f}"  # in every edit: a run on an earlier run's database (--steps) edits something new


def _edited(faq, mark: str, kind: str = "examples"):
    """The FAQ with ``mark`` in every answer and (kind "examples") one more example question: an edit that re-embeds
    one FAQ; kind "answers": the answers only (what staff edit most while live)."""
    # the same mark again would re-add an example the FAQ has (no change to its examples); "@…" would not do: the
    # normalisation drops it as a mention
    mark = f"{mark} run {_RUN}"
    answers = {lang: f"{text} ({mark})" for lang, text in faq.answers.items()}
    if kind == "answers":
        return dataclasses.replace(faq, answers=answers)
    return dataclasses.replace(faq, answers=answers, questions=(*faq.questions, f"{faq.questions[0]} 请问 {mark}"))


def _rss_mb() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MB."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            out[line.split(":")[0]] = int(line.split()[1]) / 1024
    return out.get("VmRSS", float("nan")), out.get("VmHWM", float("nan"))


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))]


# ------------------------------------------------------------------------------------------ child process


def _settings(args: argparse.Namespace, fixed: bool) -> Any:
    from bot.config import Settings

    overrides: dict[str, Any] = {
        "db": args.db,
        "catalog": args.catalog,
        "index_dir": args.index_dir,
        "threads": 1,
        "model": "use-m3",
        "intents": str(ROOT / "data/intents.yaml"),
    }
    if fixed:
        overrides.update(FIXED)
    return Settings.load(overrides, env={})


def child_start(args: argparse.Namespace) -> dict[str, Any]:
    """Start like `livereply run` does (catalog already in the database): build_runtime; then the optional workloads."""
    import bot.bootstrap as bootstrap

    result: dict[str, Any] = {"python_and_imports_s": time.time() - args.t0}
    calib: dict[str, float] = {}
    if not args.fixed:
        real = bootstrap.calibrate_catalog

        def timed(*a: Any, **kw: Any) -> Any:
            t = time.perf_counter()
            try:
                return real(*a, **kw)
            finally:
                calib["s"] = time.perf_counter() - t

        bootstrap.calibrate_catalog = timed  # type: ignore[assignment]
    settings = _settings(args, args.fixed)
    t = time.perf_counter()
    runtime = bootstrap.build_runtime(settings)
    result["build_runtime_s"] = time.perf_counter() - t
    result["since_exec_s"] = time.time() - args.t0
    result["imports_s"] = result["python_and_imports_s"]
    result["rss_mb"], result["hwm_mb"] = _rss_mb()
    engine = runtime.engine
    result["faqs"] = len(engine.state.view.faq_ids)
    result["indexed_examples"] = len(engine.state.index)
    if calib:
        result["calibration_s"] = calib["s"]
        point = runtime.operating_point
        if point is not None:
            result["point"] = {k: getattr(point, k) for k in ("threshold", "wrong_rate", "coverage", "n_positive", "n_negative")}
    if args.workload:
        result["workload"] = _workload(runtime, args)
        result["rss_after_workload_mb"], result["hwm_after_workload_mb"] = _rss_mb()
    if args.edit:
        result["edit"] = _edit_to_live(runtime, args, locked=True)
        result["edit_unlocked"] = _edit_to_live(runtime, args, locked=False)
    if args.paced:
        rates = [float(r) for r in args.paced_rates.split(",") if r]
        if args.encoder_process:  # as `livereply run` on 2 cores: the child embeds what arrives (bot/prefetch.py)
            from bot.bootstrap import attach_encoder_process, start_encoder_process

            result["encoder_process"] = attach_encoder_process(runtime.engine, start_encoder_process(runtime.settings))
        result["paced"] = [_paced(runtime, args, rate) for rate in rates]
        if args.paced_answer_edits:  # the same rooms while staff edit answers only (no example question)
            result["paced_answers"] = [_paced(runtime, args, rate, edit_kind="answers") for rate in rates]
        if args.paced_baseline:  # the same rooms with no edit: what the reloads add
            quiet = argparse.Namespace(**{**vars(args), "paced_edit_every": 0.0})
            result["paced_baseline"] = [_paced(runtime, quiet, rate) for rate in rates]
        result["rss_after_edit_mb"], result["hwm_after_edit_mb"] = _rss_mb()
    return result


def _comments(args: argparse.Namespace, prefix: str, n: int) -> list[Any]:
    from bench.gen_shop import make_shop, test_questions
    from bot.messages import Comment

    shop = make_shop(args.products, args.faqs, args.seed)
    qs = test_questions(shop, n)
    now = time.time()
    return [
        (Comment(id=f"{prefix}-{i}", user=f"u{i % 97}", text=text, ts=now, room="scale"), fid)
        for i, (text, fid, _lang) in enumerate(qs)
    ]


def _workload(runtime: Any, args: argparse.Namespace) -> dict[str, Any]:
    engine = runtime.engine
    items = _comments(args, f"w{int(time.time() * 1000)}", args.comments)
    batch_s: list[float] = []
    per_comment: list[float] = []
    bands: dict[str, int] = {}
    right = answered = 0
    for start in range(0, len(items), 64):
        chunk = items[start : start + 64]
        comments = [c for c, _ in chunk]
        t = time.perf_counter()
        outcomes = engine.process(comments, received_at=[time.time()] * len(comments))
        batch_s.append(time.perf_counter() - t)
        want = {c.id: fid for c, fid in chunk}
        for o in outcomes:
            per_comment.append(o.seconds)
            d = o.decision
            bands[d.band] = bands.get(d.band, 0) + 1
            if d.band == "answer":
                answered += 1
                right += d.faq_id == want[o.comment.id] or (
                    d.path == "structured" and d.product_id == want[o.comment.id].rsplit("-", 1)[0]
                )
    # three more batches under cProfile (new ids): where a batch's time goes
    extra = [dataclasses.replace(c, id=f"{c.id}-prof") for c, _ in items[: 3 * 64]]
    prof = cProfile.Profile()
    prof.enable()
    for start in range(0, len(extra), 64):
        engine.process(extra[start : start + 64], received_at=[time.time()] * 64)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(30)
    return {
        "profile": buf.getvalue(),
        "comments": len(items),
        "batches": len(batch_s),
        "batch_p50_ms": _pct(batch_s, 50) * 1000,
        "batch_p99_ms": _pct(batch_s, 99) * 1000,
        "batch_max_ms": max(batch_s) * 1000,
        "per_comment_p50_ms": _pct(per_comment, 50) * 1000,
        "per_comment_p99_ms": _pct(per_comment, 99) * 1000,
        "comments_per_s": len(items) / sum(batch_s),
        "bands": bands,
        "answered": answered,
        "answered_right": right,
    }


def _edit_to_live(runtime: Any, args: argparse.Namespace, *, locked: bool) -> dict[str, Any]:
    """The live loop of bot/service.py reduced to what matters here: one work lock, batches of up to 64 comments in a
    worker thread under it, and the reload task (`reload_if_changed` + `drain_spool` under the same lock every
    reload_interval_s). Another thread edits a FAQ through the store."""
    engine, store = runtime.engine, runtime.store
    interval = runtime.settings.reload_interval_s
    tag = "locked " if locked else "unlocked "
    items = [c for c, _ in _comments(args, f"e{int(time.time() * 1000)}", 4096)]
    lock = asyncio.Lock()
    batches: list[tuple[float, float, float]] = []  # (start, end, lock wait) perf_counter
    reloads: list[tuple[float, float, bool]] = []  # (start of lock wait, end, changed)
    edits: list[dict[str, float]] = []
    stop = threading.Event()
    snap = store.snapshot()  # read once: a console edit loads one FAQ, not the whole catalog
    faq_ids = sorted(f for f in snap.faqs if f.startswith("p0"))[: args.edits]
    originals = {fid: snap.faqs[fid] for fid in faq_ids}
    del snap

    def editor() -> None:
        time.sleep(2.0)
        for k, fid in enumerate(faq_ids):
            faq = originals[fid]
            changed = _edited(faq, f"edit {tag}{k}")
            t0 = time.perf_counter()
            version = store.upsert_faq(changed)
            t1 = time.perf_counter()
            while engine.state.version < version:
                time.sleep(0.001)
            t2 = time.perf_counter()
            edits.append({"at": t0, "write_s": t1 - t0, "edit_to_live_s": t2 - t0, "version": version})
            time.sleep(2.0)
        stop.set()

    async def worker() -> None:
        i = 0
        while not stop.is_set():
            chunk = [dataclasses.replace(c, id=f"{c.id}-{i}") for c in items[(i * 64) % len(items) :][:64]]
            i += 1
            t0 = time.perf_counter()
            async with lock:
                t1 = time.perf_counter()
                await asyncio.to_thread(engine.process, chunk, received_at=[time.time()] * len(chunk))
            batches.append((t0, time.perf_counter(), t1 - t0))
            await asyncio.sleep(0)

    async def reloader() -> None:
        while not stop.is_set():
            await asyncio.sleep(interval)
            t0 = time.perf_counter()
            if locked:  # bot/service.py before fc5d803: the reload held the work lock
                async with lock:
                    changed = await asyncio.to_thread(engine.reload_if_changed)
                    await asyncio.to_thread(engine.drain_spool)
            else:  # bot/service.py since fc5d803: built beside the old state, batches keep being decided
                changed = await asyncio.to_thread(engine.reload_if_changed)
                await asyncio.to_thread(engine.drain_spool)
            reloads.append((t0, time.perf_counter(), changed))

    async def main() -> None:
        th = threading.Thread(target=editor, daemon=True)
        th.start()
        await asyncio.gather(worker(), reloader())
        th.join()

    asyncio.run(main())
    real_reloads = [(a, b) for a, b, changed in reloads if changed]
    during = [(s, e, w) for s, e, w in batches if any(s < rb and e > ra for ra, rb in real_reloads)]
    outside = [e - s for s, e, w in batches if not any(s < rb and e > ra for ra, rb in real_reloads)]
    # one reload profiled on its own (same engine, nothing else running)
    faq = originals[faq_ids[0]]
    store.upsert_faq(dataclasses.replace(faq, answers={k: f"{v} (profiled {tag})" for k, v in faq.answers.items()}))
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    engine.reload_if_changed()
    prof.disable()
    profiled_s = time.perf_counter() - t
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
    return {
        "reload_interval_s": interval,
        "edits": edits,
        "reload_s": [b - a for a, b in real_reloads],
        "batches": len(batches),
        "batch_p50_ms": _pct(outside, 50) * 1000,
        "batch_max_outside_ms": max(outside, default=float("nan")) * 1000,
        "batch_max_during_reload_ms": max((e - s for s, e, _ in during), default=float("nan")) * 1000,
        "lock_wait_max_ms": max((w for _, _, w in during), default=float("nan")) * 1000,
        "profiled_reload_s": profiled_s,
        "profile": buf.getvalue(),
    }


class _PacedRoom:
    """A room whose viewers comment at a fixed rate (``rate`` per second, evenly spaced), then end. ``arrived`` maps each
    comment id to the moment (perf_counter) it was due: when its bytes would reach the bot's socket."""

    def __init__(self, comments: list[Any], rate: float) -> None:
        self.room = "scale"
        self._comments = comments
        self._rate = rate
        self.arrived: dict[str, float] = {}

    async def events(self) -> Any:
        from bot.messages import EndOfStream

        t0 = time.perf_counter()
        for i, c in enumerate(self._comments):
            due = t0 + i / self._rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            self.arrived[c.id] = due
            yield dataclasses.replace(c, ts=time.time())
        yield EndOfStream(ts=time.time(), room=self.room)

    async def send(self, reply: Any) -> None:
        return None

    async def close(self) -> None:
        return None


def _stall_probe(stop: threading.Event, out: list[tuple[float, float]], period: float = 0.002) -> None:
    """How long a Python thread that asks for the CPU every ``period`` waits beyond it: (woke, overshoot) pairs over
    1 ms. What the GIL (or a busy core) makes any thread of the process wait, the batch worker included."""
    while not stop.is_set():
        t = time.perf_counter()
        time.sleep(period)
        late = time.perf_counter() - t - period
        if late > 0.001:
            out.append((time.perf_counter(), late))


def _paced(runtime: Any, args: argparse.Namespace, rate: float, *, edit_kind: str = "examples") -> dict[str, Any]:
    """`livereply run`'s own loop (bot.service.BotService with the bootstrap's scheduler and options: reader, worker
    batches under the work lock, the reload task, the console channel) serving a room where comments arrive at
    ``rate`` per second while another thread edits FAQs every ``args.paced_edit_every`` s. Per comment: due → decided
    (`on_outcome`, after its batch); a comment is "during a reload" when that interval overlaps a reload that
    changed the state."""
    from bot.bootstrap import make_scheduler, service_options
    from bot.service import BotService

    engine, store = runtime.engine, runtime.store
    n = int(rate * args.paced_seconds)
    base = [c for c, _ in _comments(args, f"p{int(rate)}-{int(time.time() * 1000)}", min(n, 4096))]
    comments = [dataclasses.replace(base[i % len(base)], id=f"{base[i % len(base)].id}-{i}") for i in range(n)]
    room = _PacedRoom(comments, rate)
    decided: dict[str, float] = {}
    reloads: list[tuple[float, float, bool]] = []
    edits: list[dict[str, float]] = []
    stalls: list[tuple[float, float]] = []
    stop = threading.Event()
    real_reload = engine.reload_if_changed

    def timed_reload() -> bool:
        t = time.perf_counter()
        changed = real_reload()
        reloads.append((t, time.perf_counter(), changed))
        return changed

    engine.reload_if_changed = timed_reload  # type: ignore[method-assign]
    # --paced-edit-every 0: no edits (the same room with no reload: a baseline)
    n_edits = max(1, int((args.paced_seconds - 2.0) / args.paced_edit_every)) if args.paced_edit_every > 0 else 0
    snap = store.snapshot()
    faq_ids = sorted(f for f in snap.faqs if f.startswith("p0"))[-n_edits:] if n_edits else []  # not (f)'s edited ones
    originals = {fid: snap.faqs[fid] for fid in faq_ids}
    del snap

    def editor() -> None:
        time.sleep(1.5)
        for k, fid in enumerate(faq_ids):
            if stop.is_set():
                break
            faq = originals[fid]
            changed = _edited(faq, f"paced {rate:g}/s {k}", edit_kind)
            t0 = time.perf_counter()
            version = store.upsert_faq(changed)
            while engine.state.version < version and not stop.is_set():
                time.sleep(0.001)
            edits.append({"at": t0, "edit_to_live_s": time.perf_counter() - t0})
            stop.wait(max(0.0, args.paced_edit_every - (time.perf_counter() - t0)))

    settings = runtime.settings
    service = BotService(
        engine,
        make_scheduler(settings),
        **service_options(settings),
        on_outcome=lambda o: decided.setdefault(o.comment.id, time.perf_counter()),
    )
    threads = [
        threading.Thread(target=editor, daemon=True),
        threading.Thread(target=_stall_probe, args=(stop, stalls), daemon=True),
    ]
    for th in threads:
        th.start()
    collections: list[tuple[float, float]] = []  # (end, seconds) of each full (generation 2) garbage collection
    gc_started = [0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            gc_started[0] = time.perf_counter()
        else:
            collections.append((time.perf_counter(), time.perf_counter() - gc_started[0]))

    gc.callbacks.append(on_gc)
    quiet = [logging.getLogger(name) for name in ("bot.replies", "bot.service")]
    levels = [lg.level for lg in quiet]
    for lg in quiet:  # every comment is a question: the room's reply rate limit overflows the reply queue (logged)
        lg.setLevel(logging.ERROR)
    t_start = time.perf_counter()
    try:
        stats = asyncio.run(service.run(room))  # type: ignore[arg-type]
    finally:
        for lg, level in zip(quiet, levels, strict=True):
            lg.setLevel(level)
        stop.set()
        for th in threads:
            th.join()
        engine.reload_if_changed = real_reload  # type: ignore[method-assign]
        gc.callbacks.remove(on_gc)
    wall = time.perf_counter() - t_start
    windows = [(a, b) for a, b, changed in reloads if changed]

    def overlaps(a: float, b: float) -> bool:
        return any(a < wb and b > wa for wa, wb in windows)

    inside: list[float] = []
    outside: list[float] = []
    for cid, due in room.arrived.items():
        done = decided.get(cid)
        if done is not None:
            (inside if overlaps(due, done) else outside).append(done - due)
    stall_in = [late for at, late in stalls if overlaps(at - late, at)]
    stall_out = [late for at, late in stalls if not overlaps(at - late, at)]
    ms = 1000.0
    return {
        "rate": rate,
        "encoder_process": engine.prefetcher is not None,
        "edit_kind": edit_kind if n_edits else "none",
        "comments": n,
        "decided": len(decided),
        "wall_s": wall,
        "batches_shed": stats.shed,
        "reload_s": [b - a for a, b in windows],
        "edits": edits,
        "inside_n": len(inside),
        "inside_p50_ms": _pct(inside, 50) * ms,
        "inside_p99_ms": _pct(inside, 99) * ms,
        "inside_max_ms": max(inside, default=float("nan")) * ms,
        "outside_n": len(outside),
        "outside_p50_ms": _pct(outside, 50) * ms,
        "outside_p99_ms": _pct(outside, 99) * ms,
        "outside_max_ms": max(outside, default=float("nan")) * ms,
        "stall_inside_max_ms": max(stall_in, default=0.0) * ms,
        "stall_outside_max_ms": max(stall_out, default=0.0) * ms,
        "full_gc_n": len(collections),
        "full_gc_max_ms": max((d for _, d in collections), default=0.0) * ms,
    }


# ------------------------------------------------------------------------------------------ parent


def _run_child(workdir: Path, args: argparse.Namespace, *extra: str, timeout: float | None = None) -> dict[str, Any]:
    cmd = [
        sys.executable,
        __file__,
        "--child",
        "--db",
        f"sqlite:///{workdir / 'shop.db'}",
        "--catalog",
        str(workdir / "shop.yaml"),
        "--index-dir",
        str(workdir / "index"),
        "--products",
        str(args.products),
        "--faqs",
        str(args.faqs),
        "--comments",
        str(args.comments),
        "--edits",
        str(args.edits),
        "--paced-rates",
        args.paced_rates,
        "--paced-seconds",
        repr(args.paced_seconds),
        "--paced-edit-every",
        repr(args.paced_edit_every),
        *(["--paced-baseline"] if args.paced_baseline else []),
        *(["--paced-answer-edits"] if args.paced_answer_edits else []),
        *(["--encoder-process"] if args.encoder_process else []),
        "--t0",
        repr(time.time()),
        *extra,
    ]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return {"timeout": True, "wall_s": time.perf_counter() - t}
    if proc.returncode != 0:
        raise RuntimeError(f"child failed ({proc.returncode}): {err[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - t
    return result


def _import(workdir: Path) -> dict[str, Any]:
    db = workdir / "shop.db"
    for p in (db, workdir / "shop.db-wal", workdir / "shop.db-shm"):
        p.unlink(missing_ok=True)
    t = time.perf_counter()
    proc = subprocess.Popen(
        [EXE, "catalog", "import", str(workdir / "shop.yaml"), "--db", f"sqlite:///{db}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    out, err = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    if status != 0:
        raise RuntimeError(f"import failed: {err[-3000:]}")
    return {"wall_s": wall, "peak_rss_mb": usage.ru_maxrss / 1024, "cpu_s": usage.ru_utime + usage.ru_stime, "out": out.strip()}


def _profile_import(workdir: Path) -> str:
    """Where the import's time goes (cProfile, in process, on a scratch database)."""
    from catalog.io import import_catalog
    from catalog.store import CatalogStore

    db = workdir / "profile.db"
    db.unlink(missing_ok=True)
    store = CatalogStore(f"sqlite:///{db}")
    prof = cProfile.Profile()
    prof.enable()
    import_catalog(store, workdir / "shop.yaml")
    prof.disable()
    store.close()
    db.unlink(missing_ok=True)
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(18)
    return buf.getvalue()


def _mark(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _top_lines(profile: str, n: int) -> str:
    lines = profile.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), 0)
    return "\n".join(line.rstrip() for line in lines[start : start + n + 1])


def _nan(d: dict[str, Any], key: str) -> float:
    return float(d.get(key, float("nan")))


def _calibration_text(calib: dict[str, Any] | None, timeout: float) -> str:
    if calib is None:
        return "not measured in this run (--steps)"
    if calib.get("timeout"):
        return f"> {timeout:.0f} s, did not finish (killed after {calib['wall_s']:.0f} s)"
    p = calib.get("point") or {}
    return (
        f"{calib['calibration_s']:.1f} s (whole start {calib['since_exec_s']:.1f} s; "
        f"answer ≥ {_nan(p, 'threshold'):.3f}, held-out wrong {_nan(p, 'wrong_rate'):.1%}, "
        f"coverage {_nan(p, 'coverage'):.1%}, {p.get('n_positive')} + {p.get('n_negative')} examples)"
    )


def _edit_rows(ed: dict[str, Any], how: str) -> list[tuple[str, str, str, str]]:
    edits = ed.get("edits", [])
    e2l = max((e["edit_to_live_s"] for e in edits), default=float("nan"))
    during = _nan(ed, "batch_max_during_reload_ms")
    e2l_txt = f"max {e2l:.2f} s over {len(edits)} edits (" + ", ".join(f"{e['edit_to_live_s']:.2f}" for e in edits) + " s)"
    during_txt = (
        f"{during:.0f} ms (lock wait up to {_nan(ed, 'lock_wait_max_ms'):.0f} ms; "
        f"batch p50 outside reloads {_nan(ed, 'batch_p50_ms'):.0f} ms); reloads took "
        + ", ".join(f"{x:.2f}" for x in ed.get("reload_s", []))
        + " s"
    )
    return [
        (
            f"(f) edit-to-live, {how}",
            f"≤ {TARGETS['edit_to_live_s']:.0f} s",
            e2l_txt,
            _mark(e2l <= TARGETS["edit_to_live_s"]),
        ),
        (
            # batches of 64 back to back (a backlog, max speed): a batch takes ~100 ms with or without a reload, so
            # issue 12's "decision latency during a reload ≤ 50 ms" is read on the paced rows below; this row shows
            # what a reload adds to a batch (lock wait, and the batch beside the build)
            f"(f) longest batch of 64 at max speed (lock wait + decide) around a reload, {how}",
            "— (max speed)",
            during_txt,
            "—",
        ),
    ]


def _paced_rows(p: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    e2l = max((e["edit_to_live_s"] for e in p.get("edits", [])), default=float("nan"))
    worst = _nan(p, "inside_max_ms")
    inside = (
        f"max {worst:.0f} ms, p99 {_nan(p, 'inside_p99_ms'):.0f}, p50 {_nan(p, 'inside_p50_ms'):.0f} over {p.get('inside_n')} "
        f"comments (outside reloads: max {_nan(p, 'outside_max_ms'):.0f}, p99 {_nan(p, 'outside_p99_ms'):.0f}, "
        f"p50 {_nan(p, 'outside_p50_ms'):.0f} over {p.get('outside_n')}); longest thread stall "
        f"{_nan(p, 'stall_inside_max_ms'):.0f} ms in reloads, {_nan(p, 'stall_outside_max_ms'):.0f} outside; "
        f"{p.get('full_gc_n', 0)} full GC collections (longest {_nan(p, 'full_gc_max_ms'):.0f} ms)"
    )
    reloads = p.get("reload_s", [])
    e2l_txt = (
        f"max {e2l:.2f} s over {len(p.get('edits', []))} edits; reloads took "
        f"{min(reloads, default=float('nan')):.2f}-{max(reloads, default=float('nan')):.2f} s"
    )
    kind = p.get("edit_kind", "examples")
    how = f"{p['rate']:g} comments/s through BotService" + (", answer-only edits" if kind == "answers" else "")
    how += ", encoder process" if p.get("encoder_process") else ""
    return [
        (f"(f) comment → decision during a reload, {how}", f"≤ {TARGETS['batch_during_reload_ms']:.0f} ms", inside,
         _mark(worst <= TARGETS["batch_during_reload_ms"])),
        (f"(f) edit-to-live, {how}", f"≤ {TARGETS['edit_to_live_s']:.0f} s", e2l_txt, _mark(e2l <= TARGETS["edit_to_live_s"])),
    ]


def report(r: dict[str, Any], args: argparse.Namespace) -> str:
    imp, first, warm = r["import"], r["first"], r["warm"]
    wl = warm.get("workload", {})
    rss = max(first["rss_mb"], warm["rss_mb"])
    imp_txt = f"{imp['wall_s']:.1f} s wall, {imp['cpu_s']:.1f} s CPU, peak RSS {imp['peak_rss_mb']:.0f} MB"
    first_txt = f"{first['since_exec_s']:.1f} s from exec (build_runtime {first['build_runtime_s']:.1f} s)"
    warm_txt = (
        f"{warm['since_exec_s']:.1f} s from exec (imports {warm['imports_s']:.1f} s, "
        f"build_runtime {warm['build_runtime_s']:.1f} s)"
    )
    rss_txt = (
        f"first {first['rss_mb']:.0f} MB (peak {first['hwm_mb']:.0f}), warm {warm['rss_mb']:.0f} MB (peak {warm['hwm_mb']:.0f})"
    )
    engine_txt = (
        f"per comment p50 {_nan(wl, 'per_comment_p50_ms'):.1f} ms / p99 {_nan(wl, 'per_comment_p99_ms'):.1f} ms; "
        f"per batch p50 {_nan(wl, 'batch_p50_ms'):.0f} ms / p99 {_nan(wl, 'batch_p99_ms'):.0f} ms; "
        f"{_nan(wl, 'comments_per_s'):.0f} comments/s"
    )
    calib_txt = _calibration_text(r.get("calibration"), args.calibration_timeout)
    rows = [
        ("(a) `livereply catalog import` (fresh SQLite)", "—", imp_txt, "—"),
        ("(b) first start, index built (fixed thresholds)", "—", first_txt, "—"),
        ("(b) calibration (no fixed threshold, warm index)", "—", calib_txt, "—"),
        (
            "(c) second start, warm index cache",
            f"≤ {TARGETS['warm_start_s']:.0f} s",
            warm_txt,
            _mark(warm["since_exec_s"] <= TARGETS["warm_start_s"]),
        ),
        ("(d) RSS after start", f"≤ {TARGETS['rss_mb']:.0f} MB", rss_txt, _mark(rss <= TARGETS["rss_mb"])),
        ("(e) engine.process, batches of 64", "—", engine_txt, "—"),
    ]
    for key, how in (
        ("edit", "reload under the work lock (service before fc5d803)"),
        ("edit_unlocked", "reload beside (since fc5d803)"),
    ):
        if key in warm:
            rows += _edit_rows(warm[key], how)
    for paced in warm.get("paced", []) + warm.get("paced_answers", []):
        rows += _paced_rows(paced)
    for base in warm.get("paced_baseline", []):
        rows.append((
            f"(f) comment → decision with no edit (no reload), {base['rate']:g} comments/s through BotService",
            "—",
            (
                f"max {_nan(base, 'outside_max_ms'):.0f} ms, p99 {_nan(base, 'outside_p99_ms'):.0f}, "
                f"p50 {_nan(base, 'outside_p50_ms'):.0f} over {base.get('outside_n')} comments"
            ),
            "—",
        ))
    intro = (
        f"Written by `bench/bench_catalog_scale.py` on a shop from `bench/gen_shop.py` (seed {args.seed}): "
        f"{args.products:,} products, {r['shop']}. use-m3, threads 1, SQLite, `data/intents.yaml`; every start is a "
        "fresh Python process (`build_runtime`, as `livereply run` does once the catalog is in the database); "
        '"from exec" includes the interpreter and imports. '
        f"Load average at the end of the run: {r.get('load_end', os.getloadavg()[0]):.2f} (2 shared cores, other jobs running)."
    )
    if getattr(args, "note", None):
        intro += " " + args.note
    if r.get("steps_rerun"):
        intro += f" Steps rerun on their own after the full run (the others kept from it): {', '.join(r['steps_rerun'])}."
    workload = (
        f"(e) {wl.get('comments', 0):,} generated comments (other phrasings than the example questions, "
        f"product named in each): bands {wl.get('bands')}; {wl.get('answered_right', 0)} of {wl.get('answered', 0)} "
        "answers on the intended FAQ/product."
    )
    ed = warm.get("edit_unlocked") or warm.get("edit", {})
    reload_txt = (
        f"(f) reload_interval_s {ed.get('reload_interval_s')}; batches of 64 back to back in a worker thread, one asyncio "
        "work lock; `reload_if_changed` + `drain_spool` every reload_interval_s, under the lock or not. "
        f"One reload profiled alone: {_nan(ed, 'profiled_reload_s'):.2f} s. Where a reload's time goes (cProfile, cumulative):"
    )
    paced_txt = (
        "(f) paced: `livereply run`'s loop (bot.service.BotService with the bootstrap's scheduler and options: reader, "
        "batches under the work lock, the reload task every reload_interval_s, the console channel) serving a room "
        f"where comments arrive evenly at the rate shown for {getattr(args, 'paced_seconds', 20):g} s while a FAQ is "
        f"edited every {getattr(args, 'paced_edit_every', 2):g} s. Latency = when a comment was due → when its batch "
        "was decided; \"during a reload\" = that interval overlaps a reload that changed the state. Thread stall = "
        "the longest a probe thread (sleep 2 ms, repeat) waited beyond its sleep: what the GIL or a busy core made "
        "any thread wait."
    )
    findings = getattr(args, "findings", None)
    lines = [
        r.get("machine") or machine_line(),
        "",
        intro,
        "",
        "| step | target | measured | |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
        "",
        workload,
        "",
        *([paced_txt, ""] if warm.get("paced") else []),
        reload_txt,
        "",
        "```",
        _top_lines(ed.get("profile", ""), 16),
        "```",
        "",
        "Where an engine.process batch's time goes (3 batches of 64 under cProfile, cumulative):",
        "",
        "```",
        _top_lines(wl.get("profile", ""), 22),
        "```",
        "",
        "Where the import's time goes (cProfile, cumulative):",
        "",
        "```",
        _top_lines(r.get("import_profile", ""), 14),
        "```",
    ]
    if findings:
        lines += ["", findings.read_text(encoding="utf-8").strip()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--products", type=int, default=1000)
    ap.add_argument("--faqs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--comments", type=int, default=2000)
    ap.add_argument("--edits", type=int, default=3)
    ap.add_argument("--calibration-timeout", type=float, default=600.0)
    ap.add_argument("--paced-rates", default="100,200", help="(f) comments/s of the paced runs through BotService")
    ap.add_argument("--paced-seconds", type=float, default=20.0, help="(f) length of each paced run")
    ap.add_argument(
        "--paced-edit-every", type=float, default=2.0, help="(f) seconds between FAQ edits in a paced run (0: no edits)"
    )
    ap.add_argument("--paced-baseline", action="store_true", help="(f) each paced rate also with no edit (no reload)")
    ap.add_argument(
        "--paced-answer-edits",
        action="store_true",
        help="(f) each paced rate also while the edits change answers only (the default edit adds an example question)",
    )
    ap.add_argument(
        "--encoder-process",
        action="store_true",
        help="(f) the paced runs with the encoder process `livereply run` starts on 2 cores (bot/prefetch.py)",
    )
    ap.add_argument("--workdir", type=Path, default=ROOT / "var/bench-catalog-scale")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--results", type=Path, default=RESULTS)
    ap.add_argument("--findings", type=Path, help="a markdown file appended to the section (what the figures say)")
    ap.add_argument("--note", help="a sentence added to the section's introduction (e.g. which code was measured)")
    ap.add_argument(
        "--steps", default=",".join(STEPS), help="comma-separated steps to run; the others are kept from WORKDIR/results.json"
    )
    ap.add_argument("--from-json", type=Path, help="only write the section again from a results.json of an earlier run")
    # child process
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("--catalog", help=argparse.SUPPRESS)
    ap.add_argument("--index-dir", help=argparse.SUPPRESS)
    ap.add_argument("--t0", type=float, help=argparse.SUPPRESS)
    ap.add_argument("--fixed", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--workload", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--edit", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--paced", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        logging.basicConfig(level=logging.WARNING)
        print(json.dumps(child_start(args), default=str))
        return 0

    from bench.gen_shop import dump, make_shop

    if args.from_json:
        write_section(args.results, "Catalog at scale", report(json.loads(args.from_json.read_text(encoding="utf-8")), args))
        return 0

    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    steps = set(args.steps.split(","))
    previous = work / "results.json"
    r: dict[str, Any] = json.loads(previous.read_text(encoding="utf-8")) if steps != set(STEPS) and previous.exists() else {}
    r["machine"] = machine_line()
    print(r["machine"], flush=True)
    if "import" in steps or not (work / "shop.yaml").exists():
        shop = make_shop(args.products, args.faqs, args.seed)
        dump(shop, work / "shop.yaml")
        r["shop"] = (
            f"{shop.n_variants:,} variants, {len(shop.doc['faqs']):,} FAQs ({args.faqs:,} product FAQs + the demo's "
            f"global ones), {shop.n_examples:,} example questions, {(work / 'shop.yaml').stat().st_size / 1e6:.1f} MB of YAML"
        )
        print(r["shop"], flush=True)
        r["import"] = _import(work)
        print("import", r["import"], flush=True)
    if "first" in steps:
        shutil.rmtree(work / "index", ignore_errors=True)
        r["first"] = _run_child(work, args, "--fixed")
        print("first start", r["first"], flush=True)
    if "warm" in steps:
        r["warm"] = _run_child(work, args, "--fixed", "--workload", "--edit", "--paced")
        print("warm start", {k: v for k, v in r["warm"].items() if not k.startswith("edit")}, flush=True)
        print(r["warm"]["workload"]["profile"], flush=True)
        for key in ("edit", "edit_unlocked"):
            print(key, {k: v for k, v in r["warm"][key].items() if k != "profile"}, flush=True)
        print(r["warm"]["edit_unlocked"]["profile"], flush=True)
    if "import" in steps:
        r["import_profile"] = _profile_import(work)
        print(r["import_profile"], flush=True)
    if "calibration" in steps:
        r["calibration"] = _run_child(work, args, timeout=args.calibration_timeout)
        print("calibration", r["calibration"], flush=True)
    r["steps_rerun"] = sorted(steps) if steps != set(STEPS) else []
    r["load_end"] = os.getloadavg()[0]
    (work / "results.json").write_text(json.dumps(r, default=str, indent=1), encoding="utf-8")
    body = report(r, args)
    print(body)
    if not args.no_write:
        write_section(args.results, "Catalog at scale", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
