"""The terminal's language (bot/cli_i18n.py): `livereply demo` / `run` print Chinese on a Chinese locale (or with
--ui-lang zh / LIVEREPLY_UI_LANG=zh) and English otherwise; --json output is never translated; every string the
terminal shows has its Chinese in bot/locale/zh_CN/LC_MESSAGES/cli.po, compiled.

The locale-choice, catalog and transcript checks are plain functions (fast tier); the demo runs with the real model,
once per language as a new user runs it (a subprocess), the other ways of choosing the language through the same
entry point in this process (tests/cli_inprocess.py).
"""

from __future__ import annotations

import gettext
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from bot import cli_i18n
from bot.cli import duplicates_line, main
from tests.cli_inprocess import run_livereply

ROOT = Path(__file__).resolve().parents[1]
PO = cli_i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "cli.po"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")  # CJK punctuation, ideographs, full-width forms


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A test that switches the terminal to Chinese leaves it English for the next one (one process, one language)."""
    yield
    cli_i18n.use(cli_i18n.ENGLISH)


# ------------------------------------------------------------------------------------------- which language (fast)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "en"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "zh_TW.Big5"}, "zh_CN"),  # the only Chinese catalog
        ({"LANG": "zh_CN.GB18030@stroke"}, "zh_CN"),
        ({"LANG": "ja_JP.UTF-8"}, "en"),
        ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),  # LC_ALL first
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),  # then LC_MESSAGES
        ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"}, "zh_CN"),  # an empty variable is not set
        ({"LANG": "en_US.UTF-8", "LANGUAGE": "zh_CN:en"}, "zh_CN"),  # LANGUAGE's first entry, as gettext
        ({"LANG": "zh_CN.UTF-8", "LANGUAGE": "en_US:zh_CN"}, "en"),
        ({"LANG": "C", "LANGUAGE": "zh_CN"}, "en"),  # ... except with the C locale (GNU gettext ignores it then)
    ],
)
def test_auto_follows_the_locale_as_gettext_reads_it(env: dict[str, str], expected: str) -> None:
    assert cli_i18n.resolve("auto", env) == expected


def test_the_setting_overrides_the_locale() -> None:
    chinese, english = {"LANG": "zh_CN.UTF-8"}, {"LANG": "C"}
    assert cli_i18n.resolve("en", chinese) == "en" and cli_i18n.resolve("zh", english) == "zh_CN"
    assert cli_i18n.resolve(" ZH ", english) == "zh_CN"
    with pytest.raises(ValueError, match="auto, zh or en"):
        cli_i18n.resolve("fr", english)


def test_a_bad_ui_lang_is_one_clear_line(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVEREPLY_UI_LANG", "chinese")
    assert main(["config"]) == 2
    assert "--ui-lang must be auto, zh or en, got 'chinese'" in capsys.readouterr().err
    monkeypatch.delenv("LIVEREPLY_UI_LANG")
    assert main(["config", "--ui-lang", "zh"]) == 0
    assert "LIVEREPLY_UI_LANG" in capsys.readouterr().out


# ------------------------------------------------------------------------------------------- the catalog (fast)


def _catalog():  # type: ignore[no-untyped-def]
    with PO.open("rb") as f:
        return read_po(f)


def test_every_string_the_terminal_shows_has_its_chinese() -> None:
    """What extraction finds in the code (babel-cli.cfg, the keywords bot/cli_i18n.py names) is in cli.po, translated
    into Chinese (not left empty, fuzzy or English), with the same placeholders; cli.mo is compiled from it."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "babel-cli.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "setting": (3,)}
    found = {
        msg for _file, _line, msg, _comments, _context in extract_from_dir(str(ROOT), method_map, options_map, keywords)
    }
    assert len(found) > 90 and "session summary" in found and ("%(n)d restock", "%(n)d restocks") in found
    catalog = _catalog()
    missing = sorted(str(m) for m in found if catalog.get(m) is None)
    assert not missing, f"not in cli.po (extract + update, bot/cli_i18n.py): {missing[:8]}"
    messages = [m for m in catalog if m.id]
    strings = {m.id: m.string if isinstance(m.string, tuple) else (m.string,) for m in messages}
    untranslated = [m.id for m in messages if m.fuzzy or not all(strings[m.id])]
    assert not untranslated, f"untranslated or fuzzy: {untranslated[:5]}"
    english = [m.id for m in messages if not all(CJK.search(s) for s in strings[m.id])]
    assert not english, f"no Chinese in the translation: {english[:5]}"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not problems, f"placeholders differ from the source: {problems[:5]}"
    with (PO.parent / "cli.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = [
        m.id for m in messages
        if (compiled.ngettext(m.id[0], m.id[1], 2) if isinstance(m.id, tuple) else compiled.gettext(m.id))
        != (m.string[0] if isinstance(m.string, tuple) else m.string)
    ]
    assert not stale, f"cli.mo is older than cli.po (pybabel compile -d bot/locale -D cli): {stale[:5]}"


def test_the_cli_domain_is_its_own() -> None:
    """The console's catalogs (domain messages) are not where the terminal's strings live, nor the reverse."""
    console = cli_i18n.LOCALE_DIR.parent / "console" / "locale" / "zh_CN" / "LC_MESSAGES"
    assert not (console / "cli.po").exists() and not (cli_i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "messages.po").exists()
    cli_i18n.use(cli_i18n.CHINESE)
    assert cli_i18n.gettext("session summary") == "本场小结"
    assert cli_i18n.ngettext("%(n)d restock", "%(n)d restocks", 3) % {"n": 3} == "补货 3 次"
    cli_i18n.use(cli_i18n.ENGLISH)
    assert cli_i18n.gettext("session summary") == "session summary"
    assert cli_i18n.ngettext("%(n)d restock", "%(n)d restocks", 1) % {"n": 1} == "1 restock"


# ------------------------------------------------------------------------------------------- the transcript (fast)


def _outcome(band: str, reason: str, text: str | None, **decision):  # type: ignore[no-untyped-def]
    from bot.engine import Outcome
    from bot.messages import Comment
    from bot.pipeline import Decision

    c = Comment(id="c1", user="小王", text="这款推车承重多少", ts=0.0)
    d = Decision(comment_id="c1", band=band, reason=reason, lang="zh", **decision)
    return Outcome(c, d, text, "k" if text else None, 0.0, viewer_lang="zh")


def test_the_transcript_in_chinese_names_bands_reasons_and_events_as_the_console_does() -> None:
    from bot.console.reasons import explain
    from bot.pipeline import ANSWER, SILENT, STAFF
    from bot.replay import event_line, outcome_line

    answer = _outcome(ANSWER, "match", "承重25公斤。", faq_id="stroller-max-load", score=0.91)
    silent = _outcome(SILENT, "below threshold", None, faq_id="price", score=0.42)
    staff = _outcome(STAFF, "intent complaint: never auto-answered", None)
    assert outcome_line(answer) == "[ANSWER   ] 小王: 这款推车承重多少  →  承重25公斤。   (faq stroller-max-load, 0.91)"
    assert outcome_line(silent) == "[SILENT   ] 小王: 这款推车承重多少  (below threshold price 0.42)"
    assert event_line("order o1: 6× TEE-WHT-XL, 0 left") == "[EVENT    ] order o1: 6× TEE-WHT-XL, 0 left"

    cli_i18n.use(cli_i18n.CHINESE)
    assert outcome_line(answer) == "[回答  ] 小王: 这款推车承重多少  →  承重25公斤。   (问答 stroller-max-load，0.91)"
    # the reasons in the console's words (bot/console/reasons.py), which say them in Chinese
    below, complaint = (explain(r, ui="zh_CN") for r in ("below threshold", "intent complaint: never auto-answered"))
    assert CJK.search(below) and CJK.search(complaint)
    assert outcome_line(silent) == f"[不回复] 小王: 这款推车承重多少  ({below} price 0.42)"
    assert outcome_line(staff) == f"[转人工] 小王: 这款推车承重多少  ({complaint})"
    assert event_line("order o1: 6× TEE-WHT-XL, 0 left") == "[事件  ] 订单 o1：TEE-WHT-XL × 6，剩余 0"
    assert event_line("stage → tee-classic") == "[事件  ] 讲解商品 → tee-classic"
    assert event_line("something new") == "[事件  ] something new"  # an unknown event text stays as it is
    # the tags take the same columns, CJK characters counting two
    widths = {cli_i18n.width(line.split("]")[0]) for line in (outcome_line(answer), outcome_line(silent), event_line("x"))}
    assert len(widths) == 1


def test_size_advice_and_held_reasons_in_the_transcript_name_no_internal_keys() -> None:
    """A staff member reads "height (cm) 200" / "身高（厘米） 200", never "height_cm"; an English terminal gets no
    Chinese sentence for a reply held for a banned word (only the word)."""
    from bot.pipeline import ANSWER, STAFF
    from bot.replay import outcome_line

    outside = _outcome(STAFF, "size advice: height_cm 200 is outside the size chart", None)
    held = _outcome(STAFF, "held: banned word 「最好」 at character 5; suggested 「很好」", None)
    advised = _outcome(ANSWER, "structured size_advice height_cm 175 → L: L", "175cm建议L码", path="structured",
                       qtype="size_advice", attribute="size", product_id="tee", asked={"height_cm": "175", "size": "L"})
    cli_i18n.use(cli_i18n.ENGLISH)
    lines = [outcome_line(o) for o in (outside, held, advised)]
    assert "height (cm) 200 is outside the size chart" in lines[0]
    assert "banned word 「最好」" in lines[1] and "含违禁词" not in lines[1]
    assert "height=175cm size=L" in lines[2]
    assert not any("height_cm" in line for line in lines), lines
    cli_i18n.use(cli_i18n.CHINESE)
    lines = [outcome_line(o) for o in (outside, held, advised)]
    assert "身高（厘米） 200 超出了尺码表的范围" in lines[0]
    assert "回复含违禁词「最好」" in lines[1] and "可改为「很好」" in lines[1]
    assert "身高=175cm size=L" in lines[2]
    assert not any("height_cm" in line or "banned word" in line for line in lines), lines


def test_the_duplicates_line_in_chinese() -> None:
    cli_i18n.use(cli_i18n.CHINESE)
    line = duplicates_line(3, "local", platform=False)
    assert line.startswith("其中 3 条已跳过") and "'local'" in line and "--room-name" in line and "skipped" not in line


# ------------------------------------------------------------------------------------------- the demo (real model)

SHOW = [
    {"ts": 0.0, "type": "stage", "product_id": "tee-classic"},
    {"ts": 0.1, "id": "r1", "user": "u1", "text": "这个多少钱"},
    {"ts": 0.2, "type": "order", "order_id": "o1", "sku": "TEE-WHT-XL", "qty": 6, "user": "u9"},
    {"ts": 0.3, "type": "stock", "sku": "TEE-WHT-XL", "stock": 10},
    {"ts": 0.4, "type": "stock", "sku": "SERUM-50ML", "stock": 20},
    {"ts": 0.5, "id": "r2", "user": "u2", "text": "XL补货了吗"},
    {"ts": 0.6, "id": "r3", "user": "u3", "text": "晚上好呀主播", "expect": None},
]
LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def _demo_argv(tmp_path: Path, *flags: str) -> list[str]:
    log = tmp_path / "show.jsonl"
    log.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in SHOW), encoding="utf-8")
    return ["demo", "--log", str(log), "--db", f"sqlite:///{tmp_path}/demo.db", "--speed", "0", "--no-console",
            "--no-encoder-process", *flags]


@pytest.fixture
def demo(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd):  # type: ignore[no-untyped-def]
    """`livereply demo` over SHOW: a real subprocess for the cases marked `subprocess` (a new user's terminal, the
    model loaded by the command), else `main(argv)` in this process with the session's model (tests/cli_inprocess.py)
    — the same entry point, environment and output, without ~3-4 s of process start and model load each."""

    def run(*flags: str, env: dict[str, str], subprocess_: bool) -> Any:
        if subprocess_:
            return _cli(*_demo_argv(tmp_path, *flags), cwd=tmp_path, env=env)
        embedder = request.getfixturevalue("embedder")
        return run_livereply(*_demo_argv(tmp_path, *flags), cwd=tmp_path, env={"OPENBLAS_NUM_THREADS": "1", **env},
                             embedder=embedder, monkeypatch=monkeypatch, capfd=capfd)

    return run


def _cli(*argv: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "livereply"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LIVEREPLY_") and k not in LOCALE_VARS}
    return subprocess.run(
        [str(exe), *argv], capture_output=True, text=True, timeout=240, cwd=cwd,
        env={**clean, "HF_HUB_OFFLINE": "1", "OPENBLAS_NUM_THREADS": "1", **env},
    )


def _summary(out: str) -> list[str]:
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("══════════"))
    return lines[start + 1:]


def _ends(line: str) -> list[int]:
    """The terminal column where each word of ``line`` ends (CJK characters are two columns)."""
    return [cli_i18n.width(line[: m.end()]) for m in re.finditer(r"\S+", line)]


def _value_column(line: str) -> int:
    """The terminal column where a summary row's value starts (after its label and the padding)."""
    label = re.match(r"\S+(?: \S+)*?(?=  )", line)
    assert label, line
    rest = line[label.end():]
    return cli_i18n.width(label.group(0)) + len(rest) - len(rest.lstrip(" "))


@pytest.mark.slow  # the demo command with the real model
@pytest.mark.parametrize(
    ("flags", "env", "subprocess_"),
    [((), {"LANG": "zh_CN.UTF-8"}, True), (("--ui-lang", "zh"), {"LANG": "C"}, False)],
    ids=["LANG=zh_CN", "flag-over-LANG=C"],
)
def test_demo_speaks_chinese_on_a_chinese_locale(
    demo, flags: tuple[str, ...], env: dict[str, str], subprocess_: bool  # type: ignore[no-untyped-def]
) -> None:
    result = demo(*flags, env=env, subprocess_=subprocess_)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # start lines
    assert "• 数据库     sqlite:///" in out and "• 模型       use-m3（threads=1）— 加载中…" in out
    assert re.search(r"• 自动校准   回答阈值 ≥ 0\.\d{3}，转人工阈值 ≥ 0\.\d{3}（留出样本错答率 [\d.]+%", out), out
    assert "• 直播间     以最快速度回放 " in out and "• 准备就绪，用时 " in out
    # transcript: tags, the answer's path, the silent one's reason (the console's words), events
    assert "[回答  ] u1: 这个多少钱  →  " in out and "[事件  ] 订单 o1：TEE-WHT-XL × 6，剩余 0" in out
    assert "[不回复] u3: 晚上好呀主播  (闲聊" in out, out
    assert "按商品数据回答 补货 tee-classic size=XL" in out
    # the summary
    assert "══════════ 本场小结 ══════════" in out
    rows = {line.split()[0]: line for line in _summary(out) if line and not line.startswith(("（", " "))}
    for label in ("收到评论", "处理结果", "已发回复", "评论→回复", "单条评论耗时", "对照标注", "错答率", "已存入数据库", "订单"):
        assert label in rows, (label, out)
    assert rows["处理结果"].split(None, 1)[1] == "回答 2 · 推荐 0 · 转人工 0 · 不回复 1 · 出错 0"
    assert "成交 1 单，拒绝 0 单（库存不足），补货 1 次，库存修正 1 次" in rows["订单"]
    assert "评论 3 条（已回答 2 · 不回复 1；“已回答”含推荐），回复 2 条" in rows["已存入数据库"]
    labels = ("收到评论", "处理结果", "已发回复", "评论→回复", "单条评论耗时", "对照标注", "错答率", "已存入数据库", "订单")
    labelled = [rows[k] for k in labels]
    assert len({_value_column(line) for line in labelled}) == 1, labelled  # one value column, CJK counted as two
    header = rows["商品"]
    assert header.split() == ["商品", "售出", "开场库存", "补货", "其他变动", "现库存", "售罄率", "咨询"]
    # right-aligned under CJK headers: every number ends in the column where its header ends
    ends = _ends(header)[1:]
    for name in ("重磅纯棉宽松T恤", "烟酰胺控油焕亮精华", "轻便婴儿推车A1"):
        assert _ends(rows[name])[-7:] == ends, (rows[name], header)
    assert rows["重磅纯棉宽松T恤"].split()[1:5] == ["6", rows["重磅纯棉宽松T恤"].split()[2], "+10", "+0"]
    assert "总用时 " in out and "（补货 = 直播中调高的库存" in out
    english = ("session summary", "comments received", "decisions ", "replies posted", "wall time", "[ANSWER", "[EVENT",
               "• database", "sell-through", "loading…")
    assert not [word for word in english if word in out], out


@pytest.mark.slow  # the demo command with the real model
@pytest.mark.parametrize(
    ("flags", "env", "subprocess_"),
    [
        ((), {"LANG": "C"}, True),
        ((), {}, False),
        (("--ui-lang", "en"), {"LANG": "zh_CN.UTF-8"}, False),
        ((), {"LANG": "zh_CN.UTF-8", "LIVEREPLY_UI_LANG": "en"}, False),
    ],
    ids=["LANG=C", "no-locale", "flag-over-chinese-LANG", "env-over-chinese-LANG"],
)
def test_demo_speaks_english_otherwise(
    demo, flags: tuple[str, ...], env: dict[str, str], subprocess_: bool  # type: ignore[no-untyped-def]
) -> None:
    result = demo(*flags, env=env, subprocess_=subprocess_)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "══════════ session summary ══════════" in out and "• database   sqlite:///" in out
    assert "[ANSWER   ] u1: 这个多少钱" in out and "[EVENT    ] order o1: 6× TEE-WHT-XL, 0 left" in out
    assert "decisions           answered 2 · recommended 0 · handed to staff 0 · silent 1 · errors 0" in out
    assert "1 filled, 0 rejected (not enough stock), 1 restock, 1 stock correction" in out
    start_lines = out.split("\n\n")[0]
    assert "• model      use-m3 (threads=1) — loading…" in start_lines and not CJK.search(start_lines), start_lines
    assert not [word for word in ("本场小结", "收到评论", "[回答", "[事件", "总用时") if word in out], out


def _shape(value: object, path: str = "") -> set[str]:
    """Every key path of a JSON value with its strings and booleans (numbers left out: timings differ run to run)."""
    if isinstance(value, dict):
        return {path + "/" + str(k) for k in value} | {p for k, v in value.items() for p in _shape(v, f"{path}/{k}")}
    if isinstance(value, list):
        return {p for i, v in enumerate(value) for p in _shape(v, f"{path}[{i}]")}
    return {f"{path}={value!r}"} if isinstance(value, (str, bool)) or value is None else set()


@pytest.mark.slow  # eval replay with the real model, twice: in a subprocess (Chinese) and in this process (English)
def test_json_output_is_never_translated(
    tmp_path: Path, embedder, monkeypatch: pytest.MonkeyPatch, capfd  # type: ignore[no-untyped-def]
) -> None:
    log = tmp_path / "show.jsonl"
    log.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in SHOW), encoding="utf-8")
    chinese = _cli("eval", "replay", "--log", str(log), "--json", cwd=tmp_path, env={"LANG": "zh_CN.UTF-8"})
    english = run_livereply("eval", "replay", "--log", str(log), "--json", cwd=tmp_path,
                            env={"LANG": "C", "OPENBLAS_NUM_THREADS": "1"}, embedder=embedder, monkeypatch=monkeypatch,
                            capfd=capfd)
    assert chinese.returncode == 0 and english.returncode == 0, chinese.stderr + english.stderr
    report = json.loads(chinese.stdout)  # stdout holds only the JSON
    assert report["comments"] == 3 and {"answered", "latency_ms", "accuracy", "calibrated"} <= set(report)
    assert _shape(report) == _shape(json.loads(english.stdout))  # the same keys and words whatever the locale
    assert "• 数据库" in chinese.stderr and "• 临时库" in chinese.stderr  # the progress lines (stderr) follow the locale
    assert "• database" in english.stderr and not CJK.search(english.stderr)


def test_east_asian_width_padding() -> None:
    assert cli_i18n.width("转人工") == 6 and cli_i18n.width("ANSWER") == 6 and cli_i18n.width("ｘ") == 2
    assert cli_i18n.ljust("回答", 6) == "回答  " and cli_i18n.rjust("补货", 6) == "  补货"
    assert cli_i18n.ljust("单条评论耗时", 5) == "单条 " and cli_i18n.rjust("+10", 2) == "+10"
    assert unicodedata.east_asian_width("→") not in "WF"  # the arrow of 评论→回复 is one column


@pytest.mark.parametrize(("ui", "chinese_only"), [("zh", True), ("en", False)])
def test_the_shop_console_lines_are_chinese_alone_on_a_chinese_terminal(
    ui: str, chinese_only: bool, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The browser platforms' lines were Chinese-first bilingual ("<中文> / <English>"): so they stay on an English
    terminal; a Chinese one gets the Chinese alone."""
    monkeypatch.chdir(tmp_path)
    assert main(["run", "--platform", "douyin-web", "--ui-lang", ui]) == 2
    err = capsys.readouterr().err
    assert "--platform douyin-web 需要 --profile 目录" in err
    assert ("needs --profile DIR" in err) is not chinese_only, err
    missing = str(tmp_path / "no-such-profile")
    assert main(["run", "--platform", "douyin-web", "--profile", missing, "--ui-lang", ui]) == 2
    err = capsys.readouterr().err
    assert f"浏览器资料目录 {missing} 不存在" in err and ("does not exist" in err) is not chinese_only, err
    assert not (tmp_path / "var").exists()  # refused before anything was opened
