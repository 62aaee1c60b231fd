"""The terminal's language beyond the demo (bot/cli_i18n.py): on a Chinese terminal (LIVEREPLY_UI_LANG=zh) the
`config` table, the one-line errors (a missing file, a bad flag or variable, a bad log line, a database that cannot
be opened, argparse's own complaints) and the start lines of the platform runs and of moderation are Chinese; with
LIVEREPLY_UI_LANG=en they are the English they were. Each command runs at least once as a user runs it: `livereply`
in a subprocess, offline (every platform run here stops at a missing intent file, before anything connects); the
other checks of the same command call main(argv) in this process (tests/cli_inprocess.py).

The scale-out's closing lines (gateway, worker) need Redis to be reached: they are checked as functions.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot import cli_i18n
from bot.cli import gateway_line, worker_line
from tests.cli_inprocess import CliResult, run_livereply

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    cli_i18n.use(cli_i18n.ENGLISH)


def livereply(*argv: str, cwd: Path, ui: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`livereply ARGV` with LIVEREPLY_UI_LANG=ui on a C locale; no LIVEREPLY_* of the developer's."""
    exe = Path(sys.executable).parent / "livereply"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LIVEREPLY_") and k not in LOCALE_VARS}
    return subprocess.run(
        [str(exe), *argv], capture_output=True, text=True, timeout=120, cwd=cwd,
        env={**clean, "LANG": "C.UTF-8", "HF_HUB_OFFLINE": "1", "OPENBLAS_NUM_THREADS": "1",
             "LIVEREPLY_UI_LANG": ui, **(env or {})},
    )


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch, capfd):  # type: ignore[no-untyped-def]
    """As `livereply` above, through main(argv) in this process (tests/cli_inprocess.py): for the Chinese checks of
    commands that stop before loading a model; the English ones below run the same commands as subprocesses."""

    def run(*argv: str, cwd: Path, ui: str, env: dict[str, str] | None = None) -> CliResult:
        return run_livereply(
            *argv, cwd=cwd, env={"LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1", "LIVEREPLY_UI_LANG": ui, **(env or {})},
            embedder=None, monkeypatch=monkeypatch, capfd=capfd,
        )

    return run


@pytest.fixture
def in_process_with_model(monkeypatch: pytest.MonkeyPatch, capfd, embedder):  # type: ignore[no-untyped-def]
    """As `in_process`, for commands that load the model: the session's (tests/conftest.py), not a new one."""

    def run(*argv: str, cwd: Path, ui: str, env: dict[str, str] | None = None) -> CliResult:
        return run_livereply(
            *argv, cwd=cwd, env={"LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1", "LIVEREPLY_UI_LANG": ui, **(env or {})},
            embedder=embedder, monkeypatch=monkeypatch, capfd=capfd,
        )

    return run


def _error_line(result: subprocess.CompletedProcess[str] | CliResult) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    return result.stderr.strip().splitlines()[-1]


# ------------------------------------------------------------------------------------------- livereply config


def test_config_table_in_chinese(tmp_path: Path) -> None:
    result = livereply("config", "--greetings", "yes", cwd=tmp_path, ui="zh", env={"LIVEREPLY_THREADS": "2"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["环境变量", "命令行参数", "当前值", "来源", "说明"], lines[0]
    table = [line for line in lines[1:] if line.startswith("LIVEREPLY_")]
    rows = {line.split()[0]: line for line in table}
    threads = rows["LIVEREPLY_THREADS"]
    assert "环境变量" in threads and "CPU 线程数" in threads and threads.endswith("（默认 1）"), threads
    greetings = rows["LIVEREPLY_GREETINGS"]
    assert "命令行参数" in greetings and "欢迎进入直播间的观众" in greetings and greetings.endswith("（默认 False）")
    assert "默认" in rows["LIVEREPLY_DB"] and "任意 SQLAlchemy 数据库地址" in rows["LIVEREPLY_DB"]
    # every setting's meaning is Chinese, and the columns line up (CJK characters are two columns wide)
    assert len(rows) == len(table) >= 40 and all(CJK.search(line.split(None, 4)[4]) for line in rows.values())
    # below the table: the room settings kept from the console (none: no database here), in Chinese too
    assert lines[len(table) + 1:] == ["控制台保存的直播间设置：无，数据库 sqlite:///var/livereply.db 还不存在"]
    short = [line for line in table if len(line.split(None, 4)[2]) <= 28]  # a longer value pushes its row right
    meaning = {cli_i18n.width(line[: line.index(line.split(None, 4)[4])]) for line in short}
    assert len(short) >= 30 and len(meaning) == 1, meaning
    assert "meaning" not in result.stdout and "default" not in result.stdout.replace("(default", "")


def test_config_table_stays_english_and_markdown_is_the_readme_s(tmp_path: Path) -> None:
    english = livereply("config", cwd=tmp_path, ui="en", env={"LIVEREPLY_THREADS": "2"})
    assert english.returncode == 0, english.stderr
    assert english.stdout.splitlines()[0].split() == ["env", "var", "flag", "value", "from", "meaning"]
    assert "env          CPU threads for BLAS" in english.stdout and "(default 1)" in english.stdout  # "console-kept" wide
    markdown = livereply("config", "--markdown", cwd=tmp_path, ui="zh")  # the README's table: English
    assert markdown.stdout.startswith("| env var | flag | default | meaning |") and "| CPU threads" in markdown.stdout


# ------------------------------------------------------------------------------------------- errors


def test_errors_in_chinese(tmp_path: Path, in_process) -> None:  # type: ignore[no-untyped-def]
    missing = in_process("catalog", "import", "nope.yaml", cwd=tmp_path, ui="zh")
    assert _error_line(missing) == "livereply：错误：找不到商品目录文件：nope.yaml（请用 FILE 指定，或在项目目录下运行）"

    bad_flag = in_process("config", "--threads", "many", cwd=tmp_path, ui="zh")
    assert _error_line(bad_flag) == "livereply config：错误：参数 --threads：无效的整数：'many'"
    bad_bool = in_process("config", "--greetings", "maybe", cwd=tmp_path, ui="zh")
    assert _error_line(bad_bool) == (
        "livereply config：错误：参数 --greetings：'maybe' 不是是/否取值（可用 1/0、true/false、yes/no、on/off）"
    )
    bad_choice = in_process("run", "--platform", "weibo", cwd=tmp_path, ui="zh")
    assert _error_line(bad_choice).startswith("livereply run：错误：参数 --platform：无效的选项：'weibo'（可选：'generic'")
    bad_variable = in_process("config", cwd=tmp_path, ui="zh", env={"LIVEREPLY_RATE_PER_S": "fast"})
    assert _error_line(bad_variable) == "livereply：错误：LIVEREPLY_RATE_PER_S='fast'：应为数字"
    bad_language = in_process("config", "--room-languages", "zh,jp", cwd=tmp_path, ui="zh")
    assert _error_line(bad_language).startswith(
        "livereply：错误：--room-languages：'jp' 不是机器人能识别的语言代码；是不是想写 'ja'？支持的代码：af, ar,"
    )
    bad_value = in_process("config", "--moderation-action", "ban", cwd=tmp_path, ui="zh")
    assert _error_line(bad_value) == "livereply：错误：--moderation-action 只能是 off、delete 或 timeout，收到的是 'ban'"

    nowhere = in_process("staff", "list", "--db", "sqlite:///no-such-dir/x.db", cwd=tmp_path, ui="zh")
    assert _error_line(nowhere) == "livereply：错误：--db sqlite:///no-such-dir/x.db：目录 no-such-dir 不存在（请先创建）"

    log = tmp_path / "show.jsonl"
    log.write_text('{"ts": 0, "id": "c1", "user": "u", "text": "多少钱"}\n{"id": "c2", "text": \n', encoding="utf-8")
    bad_line = in_process("demo", "--log", str(log), "--no-console", cwd=tmp_path, ui="zh")
    assert re.fullmatch(rf"livereply：错误：{re.escape(str(log))} 第 2 行：不是有效的 JSON：第 \d+ 列 .+", _error_line(bad_line))
    log.write_text('{"ts": 0, "id": "c1", "text": "多少钱"}\n', encoding="utf-8")
    no_user = in_process("demo", "--log", str(log), "--no-console", cwd=tmp_path, ui="zh")
    assert _error_line(no_user) == f"livereply：错误：{log} 第 1 行：缺少字段 'user'"
    log.write_text('{"ts": 0, "type": "stage", "product_id": "p"}\n', encoding="utf-8")
    no_comments = in_process("demo", "--log", str(log), "--no-console", cwd=tmp_path, ui="zh")
    assert _error_line(no_comments).startswith(f"livereply：错误：{log} 里没有评论（回放记录是 JSONL 格式")
    assert not (tmp_path / "var").exists()  # refused before anything was opened


def test_errors_stay_english(tmp_path: Path, in_process) -> None:  # type: ignore[no-untyped-def]
    missing = livereply("catalog", "import", "nope.yaml", cwd=tmp_path, ui="en")
    assert _error_line(missing) == (
        "livereply: error: catalog file not found: nope.yaml (set FILE or run from the project directory)"
    )
    bad_flag = in_process("config", "--threads", "many", cwd=tmp_path, ui="en")
    assert _error_line(bad_flag) == "livereply config: error: argument --threads: invalid int value: 'many'"
    bad_variable = in_process("config", cwd=tmp_path, ui="en", env={"LIVEREPLY_RATE_PER_S": "fast"})
    assert _error_line(bad_variable) == "livereply: error: LIVEREPLY_RATE_PER_S='fast': expected float"
    log = tmp_path / "show.jsonl"
    log.write_text('{"ts": 0, "id": "c1", "user": "u", "text": "hi"}\n[1]\n', encoding="utf-8")
    bad_line = livereply("demo", "--log", str(log), "--no-console", cwd=tmp_path, ui="en")
    assert _error_line(bad_line) == f"livereply: error: {log}:2: each line must be a JSON object"


def test_the_ui_lang_flag_is_read_before_argparse_complains(tmp_path: Path) -> None:
    result = livereply("config", "--ui-lang", "zh", "--threads", "many", cwd=tmp_path, ui="en")
    assert _error_line(result) == "livereply config：错误：参数 --threads：无效的整数：'many'"


# ------------------------------------------------------------------------------------------- platform start lines

BILI = ["--platform", "bilibili", "--room", "wss://broadcastlv.chat.bilibili.com/sub", "--room-id", "21452505"]


def _start(tmp_path: Path, ui: str, *argv: str, env: dict[str, str] | None = None, run=livereply) -> tuple[list[str], str]:  # type: ignore[no-untyped-def]
    """`livereply run ARGV` up to its first loading step: the intent file is missing, so nothing connects."""
    result = run("run", *argv, "--intents", "no-intents.yaml", cwd=tmp_path, ui=ui, env=env)
    return result.stdout.splitlines(), _error_line(result)


def test_platform_start_lines_in_chinese(tmp_path: Path, in_process) -> None:  # type: ignore[no-untyped-def]
    out, error = _start(tmp_path, "zh", *BILI, "--moderation-action", "delete", run=in_process)
    assert error == "livereply：错误：找不到意图文件：no-intents.yaml（请用 --intents 指定，或在项目目录下运行）"
    assert out[0] == "• bilibili   只读：回复只记录、不发送（要发送请加 --bili-post 并提供凭据）", out
    assert "• 直播间     wss://broadcastlv.chat.bilibili.com/sub" in out
    assert "• 内容审核 delete 不会执行：B 站当前为只读模式，执行内容审核操作需要 --bili-post" in out[2], out
    assert out[-1].startswith("• 数据库     ")

    out, _error = _start(tmp_path, "zh", *BILI, "--bili-post", "--moderation-action", "timeout",
                         env={"LIVEREPLY_BILI_SESSDATA": "s", "LIVEREPLY_BILI_JCT": "j"}, run=in_process)
    assert out[0] == "• bilibili   用已登录账号发送，每条 ≤ 20 字，每秒 ≤ 1 条", out
    assert out[2].startswith("• 内容审核 timeout：用已登录账号将被标记评论的发送者禁言 1 小时（B 站按整小时计）"), out

    twitch = ["--platform", "twitch", "--room", "wss://irc-ws.chat.twitch.tv:443", "--twitch-channel", "shop",
              "--twitch-nick", "shopbot"]
    out, _error = _start(tmp_path, "zh", *twitch, env={"LIVEREPLY_TWITCH_TOKEN": "t"}, run=in_process)
    assert out[0] == "• twitch     频道 #shop，账号 shopbot，每 30 秒最多发 20 条", out

    youtube = ["--platform", "youtube", "--youtube-chat", "chat-1", "--moderation-action", "timeout",
               "--moderation-timeout-s", "60"]
    out, _error = _start(tmp_path, "zh", *youtube, env={"LIVEREPLY_YOUTUBE_TOKEN": "t"}, run=in_process)
    assert out[0] == "• youtube    直播聊天 chat-1，每日配额 10000 单位", out
    assert out[1] == (
        "• 内容审核 timeout：将被标记评论的发送者禁言 60 秒，通过 Data API 执行（每次调用消耗配额；"
        "令牌所属频道必须是该聊天的管理员）"
    ), out

    out, _error = _start(tmp_path, "zh", "--room", "ws://127.0.0.1:9", "--moderation-action", "delete", run=in_process)
    assert "• 内容审核 delete：直播间在 hello 中声明支持 `moderate` 时，删除被标记的评论；不支持的直播间只记录下来" in out[1], out

    error = _error_line(in_process("run", "--platform", "youtube", "--youtube-chat", "c", cwd=tmp_path, ui="zh"))
    assert error == (
        "livereply：错误：YouTube：YouTube OAuth 2.0 访问令牌（权限范围 youtube.force-ssl）：未设置 LIVEREPLY_YOUTUBE_TOKEN"
        "（已查找环境变量）"
    )
    error = _error_line(in_process("run", "--platform", "bilibili", cwd=tmp_path, ui="zh"))
    assert error == (
        "livereply：错误：--platform bilibili 需要 --room wss://broadcastlv.chat.bilibili.com/sub（或设置 LIVEREPLY_ROOM_URL）"
        "和 --room-id N（直播间房间号）"
    )


def test_platform_start_lines_stay_english(tmp_path: Path) -> None:
    out, error = _start(tmp_path, "en", *BILI, "--moderation-action", "delete")
    assert error == "livereply: error: intent file not found: no-intents.yaml (set --intents or run from the project directory)"
    assert out[0] == "• bilibili   reading only: replies are recorded, not posted (add --bili-post and credentials to post)"
    assert out[2].startswith("• moderation delete will NOT happen: Bilibili reading only: moderating needs --bili-post")
    twitch = ["--platform", "twitch", "--room", "wss://irc-ws.chat.twitch.tv:443", "--twitch-channel", "shop",
              "--twitch-nick", "shopbot"]
    out, _error = _start(tmp_path, "en", *twitch, env={"LIVEREPLY_TWITCH_TOKEN": "t"})
    assert out[0] == "• twitch     #shop as shopbot, at most 20 messages per 30 s", out
    assert not [line for line in out if CJK.search(line)], out


# ------------------------------------------------------------------------------------------- scale-out closing lines


def test_gateway_and_worker_closing_lines() -> None:
    from bot.scale.gateway import GatewayStats
    from bot.service import SessionStats

    gateway = GatewayStats(received=12, streamed=10, spooled=2, drained=2, replies_posted=5, stale_replies=1,
                           already_posted=1, partly_posted=1, max_lag_s=1.25)
    worker = SessionStats(received=12, replies_sent=5, recovered=1)
    english_gateway, english_worker = gateway_line("shop", gateway), worker_line("w1", "lr:shop", worker)
    assert english_gateway.startswith("gateway shop: 12 events from the room (10 straight to Redis, 2 through the spool")
    assert english_worker == "worker w1 lr:shop: received 12, replies 5, recovered 1, errors 0"
    assert not CJK.search(english_gateway + english_worker)
    cli_i18n.use(cli_i18n.CHINESE)
    assert gateway_line("shop", gateway).startswith(
        "网关 shop：从直播间收到事件 12 个（直接写入 Redis 10 个，经本地缓存 2 个，其中事后补写 2 个，最多延迟 1.2 秒）；"
        "已发回复 5 条"
    )
    assert worker_line("w1", "lr:shop", worker) == "处理进程 w1 lr:shop：收到 12 条，回复 5 条，接手恢复 1 条，出错 0 次"


# ------------------------------------------------------------------------------------------- staff accounts


def test_staff_commands_in_chinese(tmp_path: Path, in_process) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "var").mkdir()
    db = ["--db", "sqlite:///var/shop.db"]
    missing = in_process("staff", "list", *db, cwd=tmp_path, ui="zh")  # a list does not create the database
    assert missing.stdout.strip() == (
        "数据库 sqlite:///var/shop.db 还不存在：没有员工账号（livereply staff add 用户名 --role admin 会创建它）"
    )
    assert not (tmp_path / "var" / "shop.db").exists()
    added = in_process("staff", "add", "小李", "--role", "admin", "--password", "a-long-password-1", *db, cwd=tmp_path, ui="zh")
    assert added.stdout.strip() == "员工账号 '小李'（管理员）已保存在 sqlite:///var/shop.db 中", added.stderr
    listed = in_process("staff", "list", *db, cwd=tmp_path, ui="zh").stdout.splitlines()
    assert listed[0].split() == ["用户名", "角色", "启用", "上次登录"]
    assert listed[1].split() == ["小李", "管理员", "是", "从未登录"]  # the console's word for the role
    last = in_process("staff", "deactivate", "小李", *db, cwd=tmp_path, ui="zh")
    assert _error_line(last) == "livereply：错误：'小李' 是最后一个启用中的管理员：请先设置另一个管理员"


@pytest.mark.parametrize(
    ("ui", "expected"),
    [
        ("zh", "livereply：错误：密码至少需要 8 个字符"),
        ("en", "livereply: error: the password must have at least 8 characters"),
    ],
)
def test_a_refused_staff_password_is_said_in_the_terminal_s_language(tmp_path: Path, in_process, ui: str,  # type: ignore[no-untyped-def]
                                                                     expected: str) -> None:
    """`staff add` / `reset-password` with a short password: the account rules' message came out in English in a
    Chinese terminal (the console's gettext, outside a console request)."""
    (tmp_path / "var").mkdir()
    db = ["--db", "sqlite:///var/shop.db"]
    short = in_process("staff", "add", "小李", "--role", "editor", "--password", "abc", *db, cwd=tmp_path, ui=ui)
    assert _error_line(short) == expected
    added = in_process("staff", "add", "小李", "--role", "editor", "--password", "a-long-password-1", *db, cwd=tmp_path,
                       ui=ui)
    assert added.returncode == 0, added.stderr
    again = in_process("staff", "reset-password", "小李", "--password", "abc", *db, cwd=tmp_path, ui=ui)
    assert _error_line(again) == expected


def test_a_stock_csv_given_to_catalog_import_or_export_is_named_as_such(tmp_path: Path, in_process) -> None:  # type: ignore[no-untyped-def]
    """The console exports a stock CSV; `catalog import` of it said "catalog file must be a mapping (key: value), not
    a single value", and `catalog export x.csv` wrote YAML into the .csv."""
    (tmp_path / "stock.csv").write_text("product_id,sku,stock\nstroller-a1,A1-GREY,3\n", encoding="utf-8")
    db = ["--db", "sqlite:///shop.db"]
    zh = in_process("catalog", "import", "stock.csv", *db, cwd=tmp_path, ui="zh")
    assert _error_line(zh) == (
        "livereply：错误：stock.csv 是 CSV 文件：catalog import 只读取 YAML 格式的商品目录（docs/catalog-format.md）；"
        "库存 CSV（sku, stock）请在员工后台的「导入 / 导出」页导入"
    )
    en = livereply("catalog", "import", "stock.csv", *db, cwd=tmp_path, ui="en")
    assert _error_line(en) == (
        "livereply: error: stock.csv is a CSV file: `catalog import` reads a YAML catalog (docs/catalog-format.md); "
        "a stock CSV (sku, stock) is imported on the staff console's Import / export page"
    )
    export = in_process("catalog", "export", "out.CSV", *db, cwd=tmp_path, ui="zh")
    assert _error_line(export) == (
        "livereply：错误：catalog export 写出的是 YAML 格式的商品目录：文件名请用 .yaml，不要用 out.CSV；"
        "商品和库存 CSV 请在员工后台的「导入 / 导出」页导出"
    )
    assert not (tmp_path / "out.CSV").exists() and not (tmp_path / "shop.db").exists()


def test_a_database_password_is_never_printed(tmp_path: Path) -> None:
    """`run`'s start line and the cannot-open error printed a PostgreSQL URL with its password (`config` hid it)."""
    db = "postgresql+psycopg://shop:s3cret-pw@127.0.0.1:1/shop"  # nothing listens on port 1
    run = livereply("run", "--db", db, cwd=tmp_path, ui="zh")
    staff = livereply("staff", "list", "--db", db, cwd=tmp_path, ui="en")
    assert "• 数据库     postgresql+psycopg://shop:***@127.0.0.1:1/shop" in run.stdout.splitlines()
    assert _error_line(run).startswith("livereply：错误：无法打开数据库 postgresql+psycopg://shop:***@127.0.0.1:1/shop：")
    assert _error_line(staff).startswith("livereply: error: cannot open the database postgresql+psycopg://shop:***@127.0.0.1")
    assert all("s3cret-pw" not in out for out in (run.stdout, run.stderr, staff.stdout, staff.stderr))


# ------------------------------------------------------------------------------------------- livereply console


@pytest.mark.parametrize(
    ("ui", "expected"),
    [
        ("zh", "• 数据库     sqlite:///var/shop.db\n• 员工后台   {url}  (登录：staff / console-start-pw-1)"),
        ("en", "• database   sqlite:///var/shop.db\n• console    {url}  (login: staff / console-start-pw-1)"),
    ],
)
def test_the_console_says_where_it_listens_in_the_terminal_s_language(tmp_path: Path, ui: str, expected: str) -> None:
    """`livereply console` on a Chinese terminal: its only start line (address and first login) was English, and
    it did not say which database it shows (`--db` forgotten: the demo's data and login are not there)."""
    from tests.live_bot import free_port

    (tmp_path / "var").mkdir()
    port = free_port()
    exe = Path(sys.executable).parent / "livereply"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LIVEREPLY_") and k not in LOCALE_VARS}
    env = {**clean, "LANG": "C.UTF-8", "HF_HUB_OFFLINE": "1", "OPENBLAS_NUM_THREADS": "1", "LIVEREPLY_UI_LANG": ui,
           "LIVEREPLY_STAFF_PASSWORD": "console-start-pw-1"}
    proc = subprocess.Popen([str(exe), "console", "--db", "sqlite:///var/shop.db", "--port", str(port)], cwd=tmp_path,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(3)]
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    # the new database's catalog import is said in between (test_the_console_says_it_imported_the_catalog_file…)
    line = "".join(x for x in lines if "sqlite:" in x or "http:" in x).rstrip("\n")
    assert line == expected.format(url=f"http://127.0.0.1:{port}"), (lines, err)


@pytest.mark.parametrize(
    ("ui", "expected"),
    [
        ("zh", "livereply：错误：地址已被占用（127.0.0.1:{port}）；请换一个 --port"),
        ("en", "livereply: error: address already in use (127.0.0.1:{port}); choose another --port"),
    ],
)
def test_a_port_in_use_is_said_without_the_os_s_english(tmp_path: Path, ui: str, expected: str) -> None:
    """The room's and the console's port taken: the address in brackets, not asyncio's English sentence ("error
    while attempting to bind on address ('127.0.0.1', 8765): address already in use") or the console's own."""
    log = Path(__file__).resolve().parents[1] / "data" / "demo_comments.jsonl"
    (tmp_path / "var").mkdir()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        room = livereply("room", "--log", str(log), "--port", str(port), cwd=tmp_path, ui=ui)
        console = livereply("console", "--db", "sqlite:///var/shop.db", "--port", str(port), cwd=tmp_path, ui=ui)
    assert _error_line(room) == expected.format(port=port)
    assert _error_line(console) == expected.format(port=port)


def test_the_fake_console_s_port_in_use_in_chinese(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = livereply("fake-console", "--port", str(port), cwd=tmp_path, ui="zh")
    assert _error_line(result) == f"livereply：错误：端口 {port} 已被占用,请换一个 --port"


def test_the_demo_says_its_console_port_is_taken_in_chinese(tmp_path: Path, in_process_with_model) -> None:  # type: ignore[no-untyped-def]
    """The demo goes on without its console: the line said so in English inside the Chinese one, with the hint twice
    ("未启动：cannot start the console: 127.0.0.1:8080 is already in use (use --console-port)（换个端口：…）")."""
    log = tmp_path / "show.jsonl"
    log.write_text('{"ts": 0, "id": "c1", "user": "u", "text": "多少钱"}\n', encoding="utf-8")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = in_process_with_model("demo", "--log", str(log), "--speed", "0", "--quiet", "--console-port",
                                       str(port), cwd=tmp_path, ui="zh")
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stdout.splitlines() if line.startswith("• 员工后台")]
    assert said == [f"• 员工后台   未启动：127.0.0.1:{port} 已被占用（换个端口：--console-port N）"], result.stdout


# ------------------------------------------------------------------------------------------- extraction


def test_no_message_is_marked_inside_an_f_string() -> None:
    """pybabel does not look inside f-strings: a ``_("…")`` there is never extracted, so never translated."""
    import configparser
    import io
    import tokenize

    config = configparser.ConfigParser()
    config.read(Path(__file__).resolve().parents[1] / "babel-cli.cfg")
    files = [section.split(":", 1)[1].strip() for section in config.sections()]
    assert "bot/cli.py" in files and "bot/config.py" in files
    marked = re.compile(r"\b(?:_|N_|gettext|ngettext)\(\s*['\"]")
    hidden = []
    for name in files:
        source = (Path(__file__).resolve().parents[1] / name).read_text(encoding="utf-8")
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            prefix = re.match(r"[a-zA-Z]*", token.string).group(0).lower()  # type: ignore[union-attr]
            if token.type == tokenize.STRING and "f" in prefix and marked.search(token.string):
                hidden.append(f"{name}:{token.start[0]}")
    assert not hidden, hidden


def test_the_stock_lines_of_an_import_are_chinese_alone_on_a_chinese_terminal() -> None:
    """`catalog import` lists the variants whose live stock it kept: Chinese-first bilingual on an English terminal (as
    before), the Chinese alone on a Chinese one."""
    from bot.cli import STOCK_LINES_SHOWN, stock_report_lines
    from catalog.io import CatalogImport
    from catalog.store.records import StockDifference

    kept = CatalogImport(version=2, keep_stock=True, stock_differences=(StockDifference("TEE-S", "tee", 2, 3),))
    many = CatalogImport(
        version=2, keep_stock=False,
        stock_differences=tuple(StockDifference(f"S{i}", "p", i, i + 1) for i in range(STOCK_LINES_SHOWN + 2)),
    )
    assert stock_report_lines(kept) == [
        "保留了 1 个规格的实时库存，没有用文件里的库存 (kept the live stock of 1 variant, not the file's):",
        "  TEE-S 2 (文件 file: 3)",
        "  要用文件里的库存，加 --stock-from-file (use --stock-from-file to take the file's stock)",
    ]
    assert stock_report_lines(many)[-1] == "  … 还有 2 个 (and 2 more)"
    cli_i18n.use(cli_i18n.CHINESE)
    assert stock_report_lines(kept) == [
        "保留了 1 个规格的实时库存，没有用文件里的库存：", "  TEE-S 2（文件：3）", "  要用文件里的库存，加 --stock-from-file",
    ]
    assert stock_report_lines(many)[0] == f"按文件改了 {STOCK_LINES_SHOWN + 2} 个规格的库存："
    assert stock_report_lines(many)[-1] == "  … 还有 2 个"


# ------------------------------------------------------------------------------------------- catalog export


def test_catalog_export_of_a_database_without_a_catalog_writes_nothing(tmp_path: Path, in_process) -> None:  # type: ignore[no-untyped-def]
    """A new user after `livereply demo`: `catalog export my.yaml` read the shop's database (none yet), created it,
    wrote a catalog with no products and said "exported catalog to my.yaml" — `catalog export data/catalog.yaml`
    emptied the shipped catalog file that way."""
    target = tmp_path / "my.yaml"
    target.write_text("products: [the staff's own file]\n", encoding="utf-8")
    before = target.read_text(encoding="utf-8")
    missing = in_process("catalog", "export", "my.yaml", cwd=tmp_path, ui="zh")
    assert _error_line(missing) == (
        "livereply：错误：数据库 sqlite:///var/livereply.db 还不存在，没有可导出的商品目录；my.yaml 未改动"
    )
    assert not (tmp_path / "var").exists() and target.read_text(encoding="utf-8") == before
    # a database that exists but holds no catalog (the console never imported one): the same, and the demo's is named
    from catalog.store import CatalogStore

    (tmp_path / "var" / "demo").mkdir(parents=True)
    CatalogStore(f"sqlite:///{tmp_path}/var/demo/demo.db").close()
    CatalogStore(f"sqlite:///{tmp_path}/var/livereply.db").close()
    empty = in_process("catalog", "export", "my.yaml", cwd=tmp_path, ui="en")
    assert _error_line(empty) == (
        "livereply: error: the database sqlite:///var/livereply.db has no products or FAQs: nothing to export, my.yaml "
        "left as it was (the demo's catalog is in sqlite:///var/demo/demo.db: add --db sqlite:///var/demo/demo.db)"
    )
    assert target.read_text(encoding="utf-8") == before


def test_catalog_export_says_what_it_wrote(tmp_path: Path, in_process) -> None:  # type: ignore[no-untyped-def]
    db = ["--db", f"sqlite:///{tmp_path}/shop.db"]
    catalog = str(Path(__file__).resolve().parents[1] / "data" / "catalog.yaml")
    assert in_process("catalog", "import", catalog, *db, cwd=tmp_path, ui="en").returncode == 0
    exported = in_process("catalog", "export", "out.yaml", *db, cwd=tmp_path, ui="zh")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.strip() == "商品目录已导出到 out.yaml：商品 11 个，问答 59 条"
    assert "stroller-a1" in (tmp_path / "out.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("ui", "expected"),
    [
        ("zh", "• 商品目录   新数据库里还没有商品：已导入 {file}：商品 {products} 个，问答 {faqs} 条（商品目录 v1）"),
        ("en", ("• catalog    the new database had no products: imported {file}: {products} products, {faqs} FAQs "
                "(catalog v1)")),
    ],
)
def test_the_console_says_it_imported_the_catalog_file_into_a_new_database(tmp_path: Path, ui: str, expected: str) -> None:
    """`livereply console` on a new database fills it from the catalog file (data/catalog.yaml): said in one line in
    the terminal's language, not done silently; a database that has products is left alone, without the line."""
    from tests.factories import demo_catalog
    from tests.live_bot import free_port

    (tmp_path / "var").mkdir()
    demo = demo_catalog()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LIVEREPLY_") and k not in LOCALE_VARS}
    env = {**clean, "LANG": "C.UTF-8", "HF_HUB_OFFLINE": "1", "OPENBLAS_NUM_THREADS": "1", "LIVEREPLY_UI_LANG": ui,
           "LIVEREPLY_STAFF_PASSWORD": "console-start-pw-1"}
    exe = Path(sys.executable).parent / "livereply"

    def first_lines() -> list[str]:
        port = free_port()
        proc = subprocess.Popen([str(exe), "console", "--db", "sqlite:///var/shop.db", "--port", str(port)], cwd=tmp_path,
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert proc.stdout is not None
            lines = []
            while not any(line.startswith(("• 员工后台", "• console")) for line in lines):
                line = proc.stdout.readline()
                assert line, proc.stderr.read() if proc.stderr else ""
                lines.append(line.rstrip("\n"))
        finally:
            proc.terminate()
            proc.communicate(timeout=30)
        return lines

    lines = first_lines()
    head, tail = expected.format(file="{file}", products=len(demo.products), faqs=len(demo.faqs)).split("{file}")
    said = lines[1]  # after the database line, before the address
    assert said.startswith(head) and said.endswith(tail), lines
    assert said[len(head):-len(tail)].endswith(str(Path("data") / "catalog.yaml"))  # the default: the shipped file
    assert len(first_lines()) == 2  # the second start: nothing imported, nothing said
