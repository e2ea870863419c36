"""The command line itself: every parser message in Chinese (one `错误：…` line), global options after
the subcommand, strict dates, argv that is not UTF-8 text."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gwgk_cli.cli.base import parse_date
from gwgk_cli.cli.parsing import hoist_global_options
from gwgk_cli.errors import BadValue


def console_script() -> str:
    return str(Path(sys.executable).parent / ("gwgk.exe" if os.name == "nt" else "gwgk"))


def error_line(result) -> str:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# --------------------------------------------------------------------------- usage errors in Chinese


@pytest.mark.parametrize("args,expected", [
    (["list", "--foo"], "错误：没有选项 --foo（相近的选项：--force、--format）；运行 gwgk list -h 查看用法"),
    (["list", "extra", "more"], "错误：多余的参数：extra more；运行 gwgk list -h 查看用法"),
    (["show"], "错误：缺少参数 序号（任务序号，可写 4、4,15 或 14-16）；运行 gwgk show -h 查看用法"),
    (["note", "3"], "错误：缺少参数 进展情况；运行 gwgk note -h 查看用法"),
    (["list", "--format", "xx"],
     "错误：--format 的值无效：“xx” 不是可选的值（可选：table、tsv、json、csv、xlsx）；运行 gwgk list -h 查看用法"),
    (["list", "--warn-days", "x"], "错误：--warn-days 的值无效：应为整数；运行 gwgk list -h 查看用法"),
    (["list", "--warn-days", "-1"], "错误：--warn-days 的值无效：应为不小于 0 的整数；运行 gwgk list -h 查看用法"),
    (["list", "--stale-days", "0"], "错误：--stale-days 的值无效：应为不小于 1 的整数；运行 gwgk list -h 查看用法"),
    (["lst"], "错误：没有命令 “lst”（是否想用 list？）；运行 gwgk -h 查看用法"),
    (["frobnicate"], "错误：没有命令 “frobnicate”；运行 gwgk -h 查看用法"),
    (["list", "--unit"], "错误：选项 --unit 需要一个值；运行 gwgk -h 查看用法"),
    (["--today"], "错误：选项 --today 需要一个值；运行 gwgk -h 查看用法"),
    (["export", "--format", "xml"],
     "错误：--format 的值无效：“xml” 不是可选的值（可选：json、csv、yaml、xlsx）；运行 gwgk export -h 查看用法"),
], ids=lambda a: "-".join(a) if isinstance(a, list) else None)
def test_parser_messages_are_chinese(table: Path, gwgk, args: list[str], expected: str) -> None:
    assert error_line(gwgk(*args)) == expected


def test_parser_message_through_the_console_script(table: Path) -> None:
    result = subprocess.run([console_script(), "list", "--foo"], capture_output=True, text=True, encoding="utf-8",
                            timeout=60)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "错误：没有选项 --foo（相近的选项：--force、--format）；运行 gwgk list -h 查看用法\n"


def test_help_is_chinese(gwgk) -> None:
    out = gwgk("-h").stdout
    assert out.startswith("用法：gwgk [选项] 命令 [参数]...\n")
    assert "\n选项：\n" in out and "\n命令：\n" in out
    for english in ("Usage:", "Options:", "Commands:", "Show this message"):
        assert english not in out
    out = gwgk("show", "-h").stdout
    assert out.startswith("用法：gwgk show [选项] ")
    assert "\n参数：\n" in out
    out = gwgk("note", "-h").stdout
    assert out.startswith("用法：gwgk note [选项] 序号 进展情况\n")
    assert re.search(r"^  序号 +任务序号", out, re.M) and "<str>" not in out
    out = gwgk("list", "-h").stdout
    assert re.search(r"-u, --unit 单位", out) and "<list[str]>" not in out and "[x>=" not in out


def test_install_completion_speaks_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gwgk) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = gwgk("--install-completion", "bash")
    assert result.exit_code == 0, result.output
    path = tmp_path / ".bash_completions" / "gwgk.sh"
    assert result.stdout == f"已为 bash 安装命令补全：{path}\n重新打开终端后生效。\n"
    assert path.is_file()


# --------------------------------------------------------------------------- global options anywhere


@pytest.mark.parametrize("args", [
    ["list", "--unit", "政务公开指导办", "--today", "2021-11-22", "--format", "json"],
    ["list", "--today", "2021-11-22", "--unit", "政务公开指导办", "--format", "json"],
    ["list", "--unit", "政务公开指导办", "--today=2021-11-22", "--format", "json"],
    ["--today", "2021-11-22", "list", "--unit", "政务公开指导办", "--format", "json"],
])
def test_today_after_the_subcommand(table: Path, gwgk, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    monkeypatch.delenv("GWGK_TODAY")
    result = gwgk(*args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[-1]["days_left"] == 39  # task 28, due 2021-12-31
    assert [r["id"] for r in json.loads(result.stdout)] == [1, 2, 3, 6, 10, 14, 15, 16, 20, 23, 24, 25, 26, 27, 28]


@pytest.mark.parametrize("form", [["--file", "{}"], ["-f", "{}"], ["--file={}"], ["-f{}"]])
def test_file_after_the_subcommand(table: Path, gwgk, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                   form: list[str]) -> None:
    monkeypatch.setenv("GWGK_FILE", str(tmp_path / "not-there.yaml"))
    result = gwgk("show", "4", "--format", "json", *[f.format(table) for f in form])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == 4


def test_today_after_the_subcommand_through_the_console_script(table: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "GWGK_TODAY"}
    result = subprocess.run([console_script(), "list", "--unit", "政务公开指导办", "--today", "2021-11-22",
                             "--format", "json"], capture_output=True, text=True, encoding="utf-8", timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[-1]["days_left"] == 39


@pytest.mark.parametrize("argv,expected", [
    (["list", "--today", "D"], ["--today", "D", "list"]),
    (["list", "-q", "--today", "--format", "json"], ["list", "-q", "--today", "--format", "json"]),  # a search
    (["note", "3", "--", "--today", "x"], ["note", "3", "--", "--today", "x"]),
    (["-f", "t.yaml", "list", "--today", "D"], ["-f", "t.yaml", "--today", "D", "list"]),
    (["--help"], ["--help"]),
    (["nosuch", "--today", "D"], ["nosuch", "--today", "D"]),
    (["list", "--today"], ["--today", "list"]),
])
def test_hoisting_rules(argv: list[str], expected: list[str]) -> None:
    from typer.main import get_command

    from gwgk_cli.cli import app  # noqa: F401 - registers every command
    from gwgk_cli.cli.base import app as typer_app

    group = get_command(typer_app)
    assert hoist_global_options(argv, group.commands.get) == expected  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- strict dates


@pytest.mark.parametrize("value", ["2021-W46-7", "20211122", "1900-01-01", "2100-01-01", "1999-12-31",
                                   "21-11-22", "22/11/2021", "2021-11-22 星期五", "2021-11", "44522", ""])
@pytest.mark.parametrize("option", [["note", "3", "进展", "--date", "{}"], ["--today", "{}", "list"],
                                    ["list", "--today", "{}"], ["list", "--due-before", "{}"],
                                    ["report", "--to", "2021-11-30", "--from", "{}"], ["log", "--since", "{}"]],
                         ids=lambda a: "-".join(a))
def test_dates_are_exactly_yyyy_mm_dd(table: Path, gwgk, journal: Path, option: list[str], value: str) -> None:
    line = error_line(gwgk(*[value if a == "{}" else a for a in option]))
    assert line.startswith("错误：无效的日期"), line
    assert "YYYY-MM-DD" in line or "2000–2099" in line or "是星期一" in line
    assert not journal.exists()


@pytest.mark.parametrize("value", ["2021-11-22", " 2021-11-22 ", "2021.11.22", "2021/11/22", "2021年11月22日",
                                   "2021 年 11 月 22 日", "2021-11-22 星期一", "２０２１-11-22", "２０２１－１１－２２",
                                   "2021-11-22T00:00"])
def test_good_dates(table: Path, gwgk, value: str) -> None:
    """The forms a 填报表's date cell takes (sheets/values.py) with the year first, full-width digits too."""
    result = gwgk("--today", value, "list", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"days_left": 39' in result.stdout


@pytest.mark.parametrize(("value", "why"), [
    ("2021-11-31", "11月没有31日"),
    ("2021年11月31日", "11月没有31日"),
    ("2021-02-29", "2021年2月只有28天"),
    ("2021-13-01", "没有13月"),
    ("2021-11-00", "日应从 1 起"),
    ("2021-11-22 星期五", "2021-11-22 是星期一"),
])
def test_an_impossible_date_says_why(table: Path, gwgk, value: str, why: str) -> None:
    """Found by a clerk: `--today 2021-11-31` said （应为 YYYY-MM-DD…） though it is in that form."""
    assert error_line(gwgk("--today", value, "list")) == f"错误：无效的日期 --today “{value}”（{why}）"


def test_gwgk_today_takes_full_width_digits(table: Path, gwgk, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GWGK_TODAY", "２０２１-11-24")
    result = gwgk("list", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"days_left": 37' in result.stdout


# --------------------------------------------------------------------------- argv that is not text


@pytest.mark.skipif(sys.platform == "win32", reason="Windows passes argv as UTF-16, never as bytes")
@pytest.mark.parametrize("argv", [[b"note", b"3", b"abc\xff"], [b"list", b"--unit", b"\xe6\x94\xbf\xe5"],
                                  [b"note", b"3", b"ok", b"--by", b"\xff\xfe"]])
def test_invalid_utf8_argv_is_one_line(table: Path, journal: Path, argv: list[bytes]) -> None:
    result = subprocess.run([console_script().encode(), *argv], capture_output=True, timeout=60)
    assert result.returncode == 2
    assert result.stdout == b""
    stderr = result.stderr.decode("utf-8")
    assert stderr.startswith("错误：参数不是有效的 UTF-8 文本：“"), stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert not journal.exists()


def test_invalid_utf8_message_shows_the_bytes(table: Path, gwgk) -> None:
    result = gwgk("note", "3", "abc\udcff")
    assert error_line(result) == ("错误：参数不是有效的 UTF-8 文本：“abc\\xff”（可能是汉字被截断或终端编码不是 UTF-8）")


# --------------------------------------------------------------------------- the table's year has ended

ENDED = "任务表的年度（2021 年）已结束；查看当年情况请指定该年内的日期，例如 gwgk --today 2021-12-31 {}"


@pytest.mark.parametrize("command", ["list", "warn"])
@pytest.mark.parametrize("fmt", ["table", "tsv"])
def test_year_ended_said_once_in_the_footer(table: Path, gwgk, command: str, fmt: str) -> None:
    result = gwgk("--today", "2026-12-01", command, "--format", fmt)
    assert result.exit_code == 0, result.output
    text = result.stdout + result.stderr
    assert text.count(ENDED.format(command)) == 1
    if fmt == "tsv":  # the data stays data: the note goes to stderr
        assert ENDED.format(command) in result.stderr


@pytest.mark.parametrize("today", ["2021-12-31", "2021-11-22"])
@pytest.mark.parametrize("command", ["list", "warn"])
def test_no_year_note_within_the_year(table: Path, gwgk, command: str, today: str) -> None:
    result = gwgk("--today", today, command, "--format", "table")
    assert "已结束" not in result.stdout + result.stderr


def test_year_note_not_in_json(table: Path, gwgk) -> None:
    result = gwgk("--today", "2026-12-01", "list", "--format", "json")
    assert "已结束" not in result.stdout + result.stderr


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=14), st.dates().map(dt.date.isoformat),
                 st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True)))
def test_parse_date_takes_exactly_the_documented_form(text: str) -> None:
    try:
        day = parse_date(text)
    except BadValue as exc:
        assert str(exc).startswith("无效的日期")
        return
    assert day.isoformat() == text.strip()
    assert 2000 <= day.year <= 2099


def test_config_through_the_console_script(tmp_path: Path) -> None:
    env = {**os.environ, "GWGK_CONFIG_DIR": str(tmp_path)}
    result = subprocess.run([console_script(), "config", "set", "user.name", "李明"], capture_output=True, text=True,
                            encoding="utf-8", timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    result = subprocess.run([console_script(), "config", "path"], capture_output=True, text=True, encoding="utf-8",
                            timeout=60, env=env)
    assert result.stdout == f"{tmp_path / 'config.toml'}\n"


# --------------------------------------------------------------------------- examples in --help


def _leaf_commands() -> list[str]:
    import typer

    from gwgk_cli.cli import app

    out = []
    for name, cmd in typer.main.get_command(app).commands.items():  # type: ignore[attr-defined]
        subs = getattr(cmd, "commands", None)
        out += [f"{name} {sub}" for sub in subs] if subs else [name]
    return sorted(out)


@pytest.mark.parametrize("command", _leaf_commands())
def test_every_command_help_ends_with_examples_that_parse(command: str) -> None:
    """Each command's --help ends with 示例: command lines within 80 columns, each of which the parser takes
    (options and arguments as written, no usage error): an example cannot go stale unseen."""
    import shlex

    import typer
    from typer.testing import CliRunner

    from gwgk_cli.cli import app
    from gwgk_cli.cli.examples import EXAMPLES
    from gwgk_cli.render.cjkwrap import text_width

    result = CliRunner().invoke(app, [*command.split(), "-h"], env={"COLUMNS": "80"}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    shown = result.stdout.split("\n示例：\n", 1)[1].splitlines()
    assert shown and all(line.startswith("  ") and text_width(line) <= 80 for line in shown)
    assert command in EXAMPLES
    for line, _ in EXAMPLES[command]:
        args = shlex.split(re.split(r" \|\| | > ", line)[0])[1:]  # without the shell's || and >
        assert args[:len(command.split())] == command.split(), line
        assert any(line in s for s in shown), line
        leaf = typer.main.get_command(app)
        for word in command.split():
            leaf = leaf.commands[word]  # type: ignore[attr-defined]
        try:
            leaf.make_context(command, list(args[len(command.split()):]))
        except Exception as error:  # a usage error (typer's parser), or a callback refusing a value
            pytest.fail(f"{line}: {error!r}")
