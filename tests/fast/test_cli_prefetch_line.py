"""The closing summary's line about the encoder process reads as a sentence when it had nothing to do."""

from types import SimpleNamespace

from bot.cli import _close_prefetcher


class _Prefetcher:
    def __init__(self, submitted: int, taken: int) -> None:
        self.submitted, self.taken, self.closed = submitted, taken, False

    def close(self) -> None:
        self.closed = True


def _runtime(p: _Prefetcher | None) -> SimpleNamespace:
    return SimpleNamespace(engine=SimpleNamespace(prefetcher=p))


def test_an_idle_encoder_process_is_said_to_be_not_needed_not_zero_of_zero():
    p = _Prefetcher(submitted=0, taken=0)
    rt = _runtime(p)
    line = _close_prefetcher(rt)
    assert p.closed and rt.engine.prefetcher is None
    assert "0 of" not in line and "not needed" in line


def test_a_busy_encoder_process_reports_its_counts():
    line = _close_prefetcher(_runtime(_Prefetcher(submitted=120, taken=96)))
    assert "96" in line and "120" in line


def test_no_encoder_process_no_line():
    assert _close_prefetcher(_runtime(None)) == ""
