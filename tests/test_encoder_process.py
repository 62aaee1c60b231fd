"""The encoder process (models/encoder_process.py) and the prefetch of the next batch (bot/prefetch.py): the child's
vectors are the in-process ones, a bad batch or a dead child costs nothing but speed, and a live replay decides
exactly the same with and without it."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import numpy as np
import pytest

from bot.bootstrap import attach_encoder_process, encoder_process_wanted
from bot.config import Settings
from bot.messages import Comment
from bot.replay import replay
from models.embedders import get_embedder
from models.encoder_process import EncoderProcess
from tests.runtimes import live_runtime

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ["这款推车承重多少", "有XL码吗", "多少钱", "do you ship to Canada?", "いくらですか", "😀😀😀", ""]


@pytest.fixture(scope="module")
def child():
    encoder = EncoderProcess("use-m3", threads=1)
    assert encoder.wait_ready(), encoder.error
    yield encoder
    encoder.close()


def test_child_vectors_are_the_in_process_ones(child: EncoderProcess) -> None:
    local = get_embedder("use-m3", threads=1)
    assert child.model_id == local.model_id and child.dim == local.dim == 512
    remote = child.encode(TEXTS)
    assert remote.dtype == np.float32 and remote.shape == (len(TEXTS), 512)
    np.testing.assert_allclose(remote, local.encode(TEXTS), atol=1e-5)


def test_a_bad_batch_fails_alone(child: EncoderProcess) -> None:
    bad = child.submit(["fine", 42])  # type: ignore[list-item]
    assert child.wait(bad, 30)
    with pytest.raises(RuntimeError, match="TypeError"):
        bad.result(0)
    assert child.usable
    assert child.encode(["still fine"]).shape == (1, 512)


def test_a_killed_child_is_reported_and_refuses_work() -> None:
    encoder = EncoderProcess("use-m3", threads=1)
    try:
        assert encoder.wait_ready(), encoder.error
        pending = encoder.submit(["x"] * 2000)  # long enough to be in flight when the child dies
        os.kill(encoder.pid or 0, signal.SIGKILL)
        assert encoder.wait(pending, 30)
        with pytest.raises(RuntimeError):
            pending.result(0)
        assert not encoder.usable and "exited" in (encoder.error or "")
        with pytest.raises(RuntimeError):
            encoder.submit(["after"]).result(1)
    finally:
        encoder.close()
    encoder.close()  # twice is fine


def test_closing_a_child_that_is_still_loading_does_not_wait_for_its_model() -> None:
    """A failed start (`livereply run` with a missing intent file) or Ctrl-C while the child loads: close at once,
    not once the child has loaded and warmed up its model (it used to wait that long: 2.5 s in `livereply run`)."""
    encoder = EncoderProcess("use-m3", threads=1)
    t0 = time.monotonic()
    encoder.close()
    closing = time.monotonic() - t0
    assert not encoder._process.is_alive() and not encoder.usable and encoder.error == "closed"
    loaded = EncoderProcess("use-m3", threads=1)  # what the old close waited for, measured now on this box
    t0 = time.monotonic()
    try:
        assert loaded.wait_ready(), loaded.error
        loading = time.monotonic() - t0
    finally:
        loaded.close()
    assert closing < loading / 2, (closing, loading)


def test_auto_is_on_for_live_rooms_only_when_a_core_is_left() -> None:
    cores = len(os.sched_getaffinity(0))
    auto = Settings.load({"threads": 1}, env={})
    assert encoder_process_wanted(auto, live=False) is False
    assert encoder_process_wanted(auto, live=True) is (cores > 1)
    assert encoder_process_wanted(auto.with_(threads=cores), live=True) is False
    assert encoder_process_wanted(Settings.load({}, env={"LIVEREPLY_ENCODER_PROCESS": "1"}), live=False) is True
    assert encoder_process_wanted(Settings.load({}, env={"LIVEREPLY_ENCODER_PROCESS": "off"}), live=True) is False


def _decisions(outcomes: list) -> dict[str, tuple]:
    return {o.comment.id: (o.decision.band, o.decision.faq_id, o.text) for o in outcomes}


def test_engine_with_prefetch_decides_the_same_and_survives_the_child(tmp_path: Path, embedder) -> None:
    texts = ["多少钱", "有XL码吗", "推车承重多少", "怎么退货", "包邮吗", "hello", "do you ship to Canada"] * 6
    comments = [
        Comment(id=f"c{i}", user=f"u{i % 7}", text=f"{text} {i}", ts=float(i)) for i, text in enumerate(texts)
    ]
    batches = [comments[i : i + 8] for i in range(0, len(comments), 8)]
    plain = live_runtime(tmp_path / "plain", embedder)
    expected: list = []
    for batch in batches:
        expected += plain.engine.process(batch)

    ahead = live_runtime(tmp_path / "ahead", embedder)
    encoder = EncoderProcess("use-m3", threads=1)
    assert attach_encoder_process(ahead.engine, encoder)
    prefetcher = ahead.engine.prefetcher
    assert prefetcher is not None
    ahead.engine._cache_size = 12  # the vector cache stays bounded when its vectors come from the child
    got: list = []
    for n, batch in enumerate(batches):
        upcoming = batches[n + 1] if n + 1 < len(batches) else []
        got += ahead.engine.process(batch, upcoming=upcoming)
        if n == 0:  # a busy box may starve the child: let it finish, so the next batch has its vectors
            deadline = time.monotonic() + 30
            while prefetcher.pending() and time.monotonic() < deadline:
                time.sleep(0.01)
        if n == 1:
            assert prefetcher.taken > 0  # the second batch's vectors came from the child
            assert len(ahead.engine._vec_cache) <= 12  # trimmed although nothing was encoded in-process
            os.kill(encoder.pid or 0, signal.SIGKILL)  # from here on: in-process again, nothing lost
            deadline = time.monotonic() + 10
            while encoder.usable and time.monotonic() < deadline:
                encoder.poll(0.05)
    assert _decisions(got) == _decisions(expected)
    assert len(got) == len(comments)
    assert len(ahead.engine._vec_cache) <= 12
    assert not prefetcher.active
    prefetcher.close()


@pytest.mark.parametrize("speed", [0.0, 200.0], ids=["backlog", "paced-116-per-s"])
def test_live_replay_with_the_encoder_process_decides_the_same(tmp_path: Path, embedder, speed: float) -> None:
    """At full speed the worker's look-ahead feeds the child; paced, batches are small and mostly go without it."""
    log = ROOT / "data/demo_comments.jsonl"

    def run(runtime) -> dict[str, tuple]:
        outcomes: list = []
        asyncio.run(replay(runtime, log, speed=speed, on_outcome=outcomes.append))
        return _decisions(outcomes)

    expected = run(live_runtime(tmp_path / "plain", embedder))
    runtime = live_runtime(tmp_path / "ahead", embedder)
    assert attach_encoder_process(runtime.engine, EncoderProcess("use-m3", threads=1))
    assert runtime.engine.prefetcher is not None
    runtime.engine.prefetcher.wait_first_s = 1.0  # the vectors must come from the child even on a busy test box
    got = run(runtime)
    prefetcher = runtime.engine.prefetcher
    assert prefetcher is not None
    if speed == 0.0:
        assert prefetcher.taken > 0, "the replay at full speed never used the encoder process"
    prefetcher.close()
    assert got == expected


def test_a_late_child_never_holds_a_comment_longer_than_the_wait(child: EncoderProcess) -> None:
    from bot.prefetch import Prefetcher

    prefetcher = Prefetcher(child)
    busy = child.submit([f"占住编码进程 {i}" for i in range(3000)])  # ~1-2 s of work ahead of the next request
    assert prefetcher.submit(["有XL码吗"], known=lambda _t: False) == 1
    started = time.monotonic()
    got = prefetcher.take(["有XL码吗"], wait_s=0.01)
    assert time.monotonic() - started < 0.5 and got == {} and prefetcher.late == 1
    assert child.wait(busy, 60)
    deadline = time.monotonic() + 30
    while prefetcher.pending() and time.monotonic() < deadline:
        time.sleep(0.01)
    later = prefetcher.take(["有XL码吗"], wait_s=0.0)  # delivered meanwhile: taken now, and the table is empty
    assert set(later) == {"有XL码吗"} and later["有XL码吗"].shape == (512,) and prefetcher.in_flight == 0
