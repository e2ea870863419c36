"""The slips of a 科室 clerk who has never used a terminal (tester's report 6): each answer in Chinese, saying
what to do. -o's extension, 是/否, 80 columns, help, undo's wording, Chinese lists, full-width input, file errors,
misspelt options and commands, warn's TSV, info."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from gwgk_cli.cli import app
from gwgk_cli.render.cjkwrap import NO_LINE_START, text_width


def error_of(result: Any, code: int = 2) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# --------------------------------------------------------------------------- #4 -o's extension


REFUSED = [
    (["report"], "周报.doc", "错误：周报.doc：gwgk report 不能写 .doc 文件，未写入（请用 .docx；可写 .docx（Word/WPS 文字）、"
                            ".html（网页，可打印）、.md（Markdown）、.txt（纯文本））"),
    (["report"], "周报.wps", None),
    (["report"], "周报.pdf", "错误：周报.pdf：gwgk report 不能写 .pdf 文件，未写入（PDF 请先写 .html 再在浏览器中打印为 PDF；"
                            "可写 .docx（Word/WPS 文字）、.html（网页，可打印）、.md（Markdown）、.txt（纯文本））"),
    (["bulletin"], "通报.doc", None),
    (["export"], "台账.xls", "错误：台账.xls：gwgk export 不能写 .xls 文件，未写入（请用 .xlsx；可写 .xlsx（Excel/WPS 表格）、"
                            ".csv（Excel/WPS 可打开）、.json（JSON）、.yaml（YAML））"),
    (["export"], "台账.et", None),
    (["list"], "清单.xls", "错误：清单.xls：gwgk list 不能写 .xls 文件，未写入（请用 .xlsx；可写 .xlsx（Excel/WPS 表格）、"
                          ".csv（Excel/WPS 可打开）、.tsv（制表符分隔）、.txt（纯文本）、.json（JSON））"),
    (["list", "-F", "csv"], "清单.xlsx", "错误：--format csv 与输出文件 清单.xlsx 的扩展名不符，未写入（csv 请用 .csv 文件名，"
                                        "或去掉 --format 按扩展名写 xlsx）"),
    (["report", "-F", "docx"], "周报.html", None),
    (["sheet", "out", "--unit", "行财科"], "填报表.xls", None),
    (["import", "NOTICE"], "任务表.docx", None),
]


@pytest.mark.parametrize(("command", "name", "expected"), REFUSED, ids=[f"{c[0]}-{n}" for c, n, _ in REFUSED])
def test_an_extension_the_command_cannot_write_is_refused(table: Path, gwgk: Any, tmp_path: Path, command: list[str],
                                                         name: str, expected: str | None) -> None:
    """Found by a clerk: report -o 周报.doc wrote plain text, export -o 台账.xls JSON, list -o 清单.xls CSV."""
    from conftest import NOTICE_2021

    args = [str(NOTICE_2021) if a == "NOTICE" else a for a in command]
    line = error_of(gwgk(*args, "-o", str(tmp_path / name)))
    if expected is not None:
        assert line == expected
    else:
        assert "不能写" in line or "不符" in line, line
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize("command", [["report"], ["bulletin"], ["export"], ["list"], ["import", "NOTICE"]])
def test_an_output_ending_with_a_separator_is_a_folder_not_a_file_of_that_name(
        table: Path, gwgk: Any, tmp_path: Path, command: list[str]) -> None:
    """Found in a review: `report -o 周报/` wrote a text file named 周报 (Path drops the trailing slash) and said
    it had written 周报/; a folder is meant, so the file name is asked for and nothing written."""
    from conftest import NOTICE_2021

    args = [str(NOTICE_2021) if a == "NOTICE" else a for a in command]
    target = f"{tmp_path / '周报'}{os.sep}"
    assert error_of(gwgk(*args, "-o", target)) == f"错误：-o {target} 以“{os.sep}”结尾，指的是文件夹：请写出其中的文件名，未写入"
    assert not (tmp_path / "周报").exists()


@pytest.mark.parametrize(("command", "name"), [(["export"], ".xlsx"), (["report"], ".docx"), (["list"], ".CSV")])
def test_a_name_that_is_only_an_extension_is_refused(table: Path, gwgk: Any, tmp_path: Path, command: list[str],
                                                     name: str) -> None:
    """Found by a hostile tester: `export -o 文件夹/.xlsx` wrote JSON into a hidden file named .xlsx (its suffix is
    empty to Path), and the menu made such names from a folder."""
    target = str(tmp_path / name)
    assert error_of(gwgk(*command, "-o", target)) == (f"错误：-o {target}：只有扩展名，没有文件名，未写入（请写出文件名，"
                                                      f"如 {tmp_path / ('文件' + name)}）")
    assert not (tmp_path / name).exists()


def test_sheet_out_for_one_unit_into_a_folder_written_with_a_separator(table: Path, gwgk: Any, tmp_path: Path) -> None:
    """The same for `sheet out --unit 行财科 -o 填报表/`: the folder is made and the workbook written in it."""
    result = gwgk("sheet", "out", "--unit", "行财科", "-o", f"{tmp_path / '填报表'}{os.sep}")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "填报表").iterdir()] == ["行财科-推进情况填报表-2021-W47.xlsx"]


@pytest.mark.parametrize(("command", "name", "starts"), [
    (["list"], "清单.tsv", "序号\t部分\t任务"),
    (["list"], "清单.txt", "序号\t部分\t任务"),
    (["list"], "清单.json", "["),
    (["list"], "清单.csv", "\ufeff序号,部分,任务"),
    (["export"], "台账.yaml", "- id: 1"),
    (["report", "-F", "md"], "周报.txt", "第 12 期\n\n# "),
    (["report"], "周报.TXT", ""),
])
def test_the_extension_decides_what_is_written(table: Path, gwgk: Any, tmp_path: Path, command: list[str], name: str,
                                               starts: str) -> None:
    result = gwgk(*command, "-o", str(tmp_path / name))
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).read_text(encoding="utf-8").lstrip(" ").startswith(starts)


# --------------------------------------------------------------------------- #5 是/否


def _asker() -> typer.Typer:
    from gwgk_cli.cli.base import confirm

    asker = typer.Typer()

    @asker.command()
    def ask() -> None:
        typer.echo("答：是" if confirm("登记以上 3 条记录？") else "答：否")

    return asker


@pytest.mark.parametrize(("typed", "answer"), [
    ("是\n", "是"), ("好\n", "是"), ("对\n", "是"), ("y\n", "是"), ("Y\n", "是"), ("Ｙ\n", "是"), ("yes\n", "是"),
    ("是的。\n", "是"), ("否\n", "否"), ("不\n", "否"), ("n\n", "否"), ("Ｎ\n", "否"), ("\n", "否"),
])
def test_a_confirmation_takes_chinese_answers(typed: str, answer: str) -> None:
    """Found by a clerk: `sheet in`'s [y/N] answered 是 with English "Error: invalid input"."""
    result = CliRunner().invoke(_asker(), [], input=typed)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"答：{answer}\n")
    assert "登记以上 3 条记录？ [是/否] " in result.stdout


def test_any_other_answer_is_told_in_chinese_and_asked_again() -> None:
    result = CliRunner().invoke(_asker(), [], input="可以\n是\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("[是/否]") == 2
    assert "请回答“是”或“否”（也可输入 y 或 n）；“可以”不是其中之一。\n" in result.stdout
    assert "Error" not in result.output and result.stdout.endswith("答：是\n")


def test_every_confirmation_goes_through_the_one_helper() -> None:
    import gwgk_cli

    src = Path(gwgk_cli.__file__).parent
    users = [p.relative_to(src).as_posix() for p in src.rglob("*.py")
             if re.search(r"typer\.confirm|click\.confirm|\[y/N\]", p.read_text(encoding="utf-8"))]
    assert users == []


# --------------------------------------------------------------------------- #7 #11 80 columns


def terminal_list(columns: int, *args: str) -> list[str]:
    result = CliRunner().invoke(app, ["list", "--format", "table", *args], env={"COLUMNS": str(columns)},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


@pytest.mark.parametrize("columns", [80, 100, 120])
def test_a_yellow_reason_is_never_cut(table: Path, columns: int) -> None:
    """Found by a clerk: at 80 columns `● 黄 73 天…` / `更新` — 73 天未更新 read as "updated"."""
    out = "\n".join(terminal_list(columns, "--unit", "指导办"))
    assert "…" not in out
    assert out.count("73 天未更新") == 4
    assert all(text_width(line) <= columns for line in out.splitlines())


@pytest.mark.parametrize("columns", [80, 100, 120])
def test_far_past_the_deadline_the_days_are_said_once(table: Path, columns: int) -> None:
    """Found by a clerk: `逾期 1796 天` in the due column and in the signal column: 3 lines a task."""
    lines = terminal_list(columns, "--today", "2026-11-22", "--unit", "指导办")
    starts = [i for i, line in enumerate(lines) if line[:6].strip().isdigit()]
    for a, b in zip(starts, starts[1:], strict=False):
        block = "\n".join(lines[a:b])
        assert block.count("逾期") <= 1, block
        assert b - a <= 3, block
    assert all(text_width(line) <= columns for line in lines)


@pytest.mark.parametrize("columns", [80, 100])
def test_the_report_on_a_terminal_fits_the_window(table: Path, gwgk: Any, monkeypatch: pytest.MonkeyPatch,
                                                  columns: int) -> None:
    """Found by a clerk: report at 80 columns was ~85 wide (the unit table's bars wrapped) and a line began with 。."""
    monkeypatch.setattr("gwgk_cli.cli.report.stdout_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", str(columns))
    for args in (["note", "4", "预决算已在专栏公开，并对照国家正式版本更新行政法规文本 126 件", "--percent", "60"],
                 ["start", "6"]):
        assert gwgk(*args).exit_code == 0
    result = gwgk("report")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(text_width(line) <= columns for line in lines), max(lines, key=text_width)
    assert not [line for line in lines if line.strip()[:1] in NO_LINE_START and not line.strip()[:1].isascii()]
    plain = re.sub(r"\s+", "", result.stdout)
    assert "“放管服”改革和营商环境监督科" in plain  # wrapped in its column, not cut
    assert "纳入统计的重点任务共28项" in plain


def test_the_report_piped_keeps_its_lines_whole(table: Path, gwgk: Any) -> None:
    """Not on a terminal (a file, a pipe): the text as before, a table row on one line."""
    out = gwgk("report").stdout
    assert any(line.lstrip().startswith("“放管服”改革和营商环境监督科") and line.endswith("%") for line in out.splitlines())


# --------------------------------------------------------------------------- #8 help at 80 columns


def help_of(*command: str) -> str:
    result = CliRunner().invoke(app, [*command, "-h"], env={"COLUMNS": "80"}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


COMMANDS = ["list", "show", "units", "sections", "doctor", "info", "start", "done", "block", "reopen", "note", "undo",
            "log", "accept", "extend", "review", "remind", "warn", "check", "report", "bulletin", "export", "import",
            "sheet", "sheet out", "sheet in", "sheet status", "journal", "journal split", "journal join", "config",
            "config set", "config show"]


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_fits_80_columns_by_the_chinese_rules(command: str) -> None:
    """Found by a clerk: help lines 82–126 columns wide (wrapping counted characters), lines starting with ，
    or ）, descriptions cut with `...`, `gwgk list --help` broken mid-word."""
    out = help_of(*command.split())
    for line in out.splitlines():
        assert text_width(line) <= 80, line
        first = line.strip()[:1]
        assert not (first in NO_LINE_START and not first.isascii()), line
    assert not [x for x in out.splitlines() if not x.startswith("用法：") and x.rstrip().endswith("...")]  # none cut short
    for english in ("PATH", "TEXT", "INTEGER", "<int", "{", "[≥", "x>=", "FILE", "NAME", "YYYY-MM-DD ", "Usage", "[default"):
        assert english not in out, (english, out)


def test_the_command_list_keeps_whole_descriptions() -> None:
    out = re.sub(r"\s+", "", help_of())
    assert "审核单位报告完成的任务：--pass销号，--return退回（任务表settings中review:true时启用）。" in out


@pytest.mark.parametrize(("command", "line"), [
    ("list", "  --due-before 日期   只列出到期日早于该日期的任务（YYYY-MM-DD）。"),
    ("list", "  -u, --unit 单位     责任单位：全称、别名、拼音首字母或唯一的部分名称（可重复，"),
    ("note", "用法：gwgk note [选项] 序号 进展情况"),
    ("note", "  -p, --percent 进度  完成进度 0–100（可带 %）。"),
    ("log", "用法：gwgk log [选项] [序号...]"),
    ("sheet in", "用法：gwgk sheet in [选项] 文件..."),
    ("import", "  -o, --output 文件  写入的任务表文件（默认 tasks_<年度>.yaml；- 表示输出到屏"),
])
def test_help_has_chinese_placeholders(command: str, line: str) -> None:
    assert line in help_of(*command.split()).splitlines()


def test_a_range_is_said_in_words() -> None:
    out = re.sub(r"\s+", "", help_of("list"))
    assert "否则30）。取值不小于0。" in out and "[" + "≥" not in out


@pytest.mark.parametrize(("args", "expected"), [
    (["show"], "错误：缺少参数 序号（任务序号，可写 4、4,15 或 14-16）；运行 gwgk show -h 查看用法"),
    (["note", "3"], "错误：缺少参数 进展情况；运行 gwgk note -h 查看用法"),
])
def test_a_missing_argument_is_named_in_chinese(table: Path, gwgk: Any, args: list[str], expected: str) -> None:
    assert error_of(gwgk(*args)) == expected


# --------------------------------------------------------------------------- #12 undo after another's note


def test_undo_says_why_the_status_stays(table: Path, gwgk: Any, journal: Path) -> None:
    """Found by a clerk: 李明 start 16, 王芳 note 16, 李明 undo printed `未开始 → 推进中 …；现为“推进中”`, and
    log showed `撤销：推进中 → 推进中`: as if nothing was done."""
    import json

    assert gwgk("start", "16", "--by", "李明").exit_code == 0
    assert gwgk("note", "16", "已起草", "--by", "王芳").exit_code == 0
    start_id, note_id = (json.loads(line)["id"] for line in journal.read_text(encoding="utf-8").splitlines())
    result = gwgk("undo", "--by", "李明")
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"已撤销：任务 16 的“未开始 → 推进中”（李明 2021-11-22 登记，记录 {start_id}）；"
                             f"任务仍为“推进中”：之后王芳 2021-11-22 登记了进展（记录 {note_id}），有进展的任务即为推进中；"
                             "如确未开始，请再撤销该进展。\n")
    log = gwgk("log", "16", "--format", "tsv").stdout.splitlines()
    assert log[1].split("\t")[3] == f"撤销记录 {start_id}，状态仍为推进中"
    assert "推进中 → 推进中" not in "\n".join(log)


# --------------------------------------------------------------------------- #13 Chinese lists


@pytest.mark.parametrize("typed", ["指导办，行财科", "指导办、行财科", "指导办,行财科", "指导办；行财科", "指导办;行财科"])
@pytest.mark.parametrize("command", [["list", "--format", "json"], ["warn", "--format", "json"], ["remind"]])
def test_a_unit_list_in_one_value(table: Path, gwgk: Any, typed: str, command: list[str]) -> None:
    """Found by a clerk: `list --unit 指导办，行财科` gave 未知单位 “指导办，行财科”."""
    one = gwgk(*command, "--unit", typed)
    two = gwgk(*command, "--unit", "指导办", "--unit", "行财科")
    assert one.exit_code == two.exit_code == 0, one.output
    assert one.stdout == two.stdout


@pytest.mark.parametrize(("option", "typed", "separate"), [
    ("--status", "doing、blocked", ["doing", "blocked"]),
    ("--status", "未开始；推进中", ["未开始", "推进中"]),
    ("--signal", "红、黄", ["red", "yellow"]),
    ("--signal", "黄色", ["yellow"]),
    ("--signal", "红色，绿色", ["红", "绿"]),
])
def test_status_and_signal_lists(table: Path, gwgk: Any, option: str, typed: str, separate: list[str]) -> None:
    one = gwgk("list", option, typed, "--format", "json")
    two = gwgk("list", *[a for s in separate for a in (option, s)], "--format", "json")
    assert one.exit_code == two.exit_code == 0, one.output
    assert one.stdout == two.stdout


# --------------------------------------------------------------------------- #14 full-width input


def test_a_full_width_percent(table: Path, gwgk: Any, journal: Path) -> None:
    """Found by a clerk: `--percent １２` accepted, `--percent ５０％` refused."""
    result = gwgk("note", "３", "进展", "--percent", "５０％")
    assert result.stdout == "任务 3：已登记进展（进度 50%） 2021-11-22\n"


@pytest.mark.parametrize(("args", "same"), [
    (["show", "１４－１６", "--format", "json"], ["show", "14-16", "--format", "json"]),
    (["report", "--week", "２０２１-Ｗ47"], ["report", "--week", "2021-W47"]),
    (["bulletin", "--period", "２０２１-１１"], ["bulletin", "--period", "2021-11"]),
    (["list", "--warn-days", "１５", "--format", "json"], ["list", "--warn-days", "15", "--format", "json"]),
    (["list", "--due-before", "２０２１年１２月１日", "--format", "json"], ["list", "--due-before", "2021-12-01", "--format", "json"]),
])
def test_full_width_numbers_read_as_ascii(table: Path, gwgk: Any, args: list[str], same: list[str]) -> None:
    one, two = gwgk(*args), gwgk(*same)
    assert one.exit_code == two.exit_code == 0, one.output
    assert one.stdout == two.stdout


@given(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
       st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}.{m}.{d}", "{y}/{m:02d}/{d:02d}", "{y}年{m}月{d}日", "{y}年{m}月{d}号"]),
       st.booleans())
def test_every_form_of_a_date_is_that_date(day: dt.date, form: str, wide: bool) -> None:
    from gwgk_cli.cli.base import parse_date

    text = form.format(y=day.year, m=day.month, d=day.day)
    if wide:
        text = text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789-./"})
    assert parse_date(text) == day


# --------------------------------------------------------------------------- #16 file errors


def test_a_journal_that_cannot_be_written_is_said_in_chinese(table: Path, gwgk: Any,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a clerk: `无法写入进展记录：Operation not permitted` — English, no next step."""
    from gwgk_cli import journal as journal_module

    def refused(path: Path, *args: Any) -> None:
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), str(path))

    monkeypatch.setattr(journal_module, "_append", refused)
    line = error_of(gwgk("start", "4"))
    assert line.endswith("无法写入进展记录：没有权限（请检查文件的“只读”属性，或共享文件夹是否允许您写入）"), line
    assert os.strerror(errno.EPERM) not in line


@pytest.mark.parametrize(("code", "words"), [
    (errno.EACCES, "没有权限（请检查文件的“只读”属性，或共享文件夹是否允许您写入）"),
    (errno.EROFS, "所在磁盘或共享文件夹是只读的（请换到可写的位置，或请管理员开放写入权限）"),
    (errno.ENOSPC, "磁盘空间已满（请清理后重试）"),
])
def test_os_reasons_in_chinese(code: int, words: str) -> None:
    from gwgk_cli.safe_write import os_words

    assert os_words(f"x.jsonl: 无法写入进展记录：{os.strerror(code)}") == f"x.jsonl: 无法写入进展记录：{words}"


def test_a_refused_read_is_said_as_one() -> None:
    from gwgk_cli.safe_write import os_words

    assert os_words(f"无法读取配置文件 c.toml: {os.strerror(errno.EACCES)}") == (
        "无法读取配置文件 c.toml: 没有读取权限（请检查共享文件夹的访问权限，或请管理员开放）")


def test_a_new_file_in_a_folder_that_refuses_it(table: Path, gwgk: Any, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a clerk: `export -o 台账2.xlsx` into a read-only folder said 原文件未改动 — there was none."""
    import tempfile

    def no_room(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "mkstemp", no_room)
    target = tmp_path / "台账2.xlsx"
    line = error_of(gwgk("export", "-o", str(target)))
    assert line == f"错误：无法在文件夹 {tmp_path} 中新建 台账2.xlsx：没有写入权限（请换一个文件夹，或检查共享文件夹的权限）"


def _excel_owner(name: str) -> bytes:
    """An Excel/WPS owner file: a length byte, the name (ANSI), spaces to 54, the length and the name in UTF-16."""
    ansi = name.encode("gbk")
    data = bytes([len(name)]) + ansi + b" " * (53 - len(ansi)) + len(name).to_bytes(2, "little")
    return (data + name.encode("utf-16-le") + b" " * 162)[:162]


@pytest.mark.parametrize(("owner", "data", "who"), [
    ("~$台账.xlsx", _excel_owner("王芳"), "王芳"),
    ("~$台账.xlsx", b"", "有人"),
    (".~lock.台账.xlsx#", "李明,PC-7,/home/lm,02.12.2021 09:30,file:///home/lm/.config;".encode(), "李明"),
])
def test_a_workbook_open_in_excel_is_not_overwritten(table: Path, gwgk: Any, tmp_path: Path, owner: str,
                                                     data: bytes, who: str) -> None:
    """Found by a clerk: `export -o 台账.xlsx --force` overwrote a workbook a colleague had open."""
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"colleague's")
    (tmp_path / owner).write_bytes(data)
    line = error_of(gwgk("export", "-o", str(target), "--force"))
    assert line == (f"错误：{target}: {who}正在用 Excel/WPS 打开此文件（{owner}），未写入；请对方关闭后重试，或另选文件名"
                    f"（若确无人打开，删除 {owner} 后重试）")
    assert target.read_bytes() == b"colleague's"
    (tmp_path / owner).unlink()
    assert gwgk("export", "-o", str(target), "--force").exit_code == 0


# --------------------------------------------------------------------------- #18 misspelt options and commands


@pytest.mark.parametrize(("args", "expected"), [
    (["list", "-unit", "行财科"], "错误：选项 -unit 应写作 --unit（长选项要两个短横 --）"),
    (["list", "-status", "doing"], "错误：选项 -status 应写作 --status（长选项要两个短横 --）"),
    (["-today", "2021-11-22", "list"], "错误：选项 -today 应写作 --today（长选项要两个短横 --）"),
    (["list", "行财科"], "错误：多余的参数：行财科（按单位筛选请写 --unit 行财科）；运行 gwgk list -h 查看用法"),
    (["list", "doing"], "错误：多余的参数：doing（按状态筛选请写 --status doing）；运行 gwgk list -h 查看用法"),
    (["list", "黄灯"], "错误：多余的参数：黄灯（按信号筛选请写 --signal 黄灯）；运行 gwgk list -h 查看用法"),
    (["列表"], "错误：没有命令 “列表”（是否想用 gwgk list？）；运行 gwgk -h 查看用法"),
    (["预警"], "错误：没有命令 “预警”（是否想用 gwgk warn？）；运行 gwgk -h 查看用法"),
    (["周报"], "错误：没有命令 “周报”（是否想用 gwgk report？）；运行 gwgk -h 查看用法"),
    (["撤销"], "错误：没有命令 “撤销”（是否想用 gwgk undo？）；运行 gwgk -h 查看用法"),
    (["导出"], "错误：没有命令 “导出”（是否想用 gwgk export？）；运行 gwgk -h 查看用法"),
    (["查看", "3"], "错误：没有命令 “查看”（是否想用 gwgk show？）；运行 gwgk -h 查看用法"),
])
def test_slips_get_a_suggestion(table: Path, gwgk: Any, args: list[str], expected: str) -> None:
    """Found by a clerk: `list -unit 行财科` → 多余的参数：行财科 (read as -u nit); `list 行财科` no hint; `gwgk 列表`
    no suggestion."""
    assert error_of(gwgk(*args)) == expected


def test_a_search_for_a_dash_word_is_not_a_slip(table: Path, gwgk: Any) -> None:
    assert gwgk("list", "-q", "-unit", "--format", "json").exit_code == 0


# --------------------------------------------------------------------------- #20 warn's TSV, info


def test_warn_tsv_names_the_lead_unit_once(table: Path, gwgk: Any) -> None:
    """Found by a clerk: warn's TSV header had 牵头单位 twice."""
    from test_cli_read import TSV_HEADER

    out = gwgk("warn", "--format", "tsv").stdout.splitlines()
    assert out[0] == TSV_HEADER
    assert all(len(line.split("\t")) == len(TSV_HEADER.split("\t")) for line in out)


def test_info_says_entries_are_signed_with_the_name(table: Path, gwgk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a clerk: `来自git 的 user.name`; nothing said what the name is for or how to change it."""
    monkeypatch.delenv("GWGK_USER")
    monkeypatch.setattr("gwgk_cli.config.default_user", lambda: ("王芳", "git"))
    line = next(x for x in gwgk("info").stdout.splitlines() if x.startswith("登记人"))
    assert line.split(None, 1)[1] == ("王芳（取自 git 的 user.name，登记的进展都署此名；改用其他姓名：gwgk config set user.name 姓名）")


# --------------------------------------------------------------------------- terminal wrapping of plain lines

REASON = "等待专题栏目技术方案：政府网站集约化平台升级尚未完成，栏目模板、数据接口（含 RSS 与 API）均需供应商配合开发"


@pytest.mark.parametrize(("command", "hanging"), [(["remind", "--unit", "指导办"], "　　"), (["check"], " " * 6)])
def test_remind_and_check_wrap_by_the_chinese_rules_on_a_terminal(table: Path, gwgk: Any, monkeypatch: Any,
                                                                   command: list[str], hanging: str) -> None:
    """On an 80-column terminal `remind` (its dry run) and `check` printed lines a hundred and more columns
    wide: the terminal broke them anywhere (`完成 1` over `0%`) and at column 0. Now each line is broken by
    the Chinese rules, its pieces under its indent; piped, the text stays as it would be sent or logged."""
    assert gwgk("block", "2", "--note", REASON).exit_code == 0
    piped = gwgk(*command)
    monkeypatch.setattr("gwgk_cli.cli.base.stdout_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    shown = gwgk(*command)
    assert shown.exit_code == piped.exit_code
    lines = shown.stdout.splitlines()
    assert all(text_width(line) <= 80 for line in lines)
    assert any(len(line) > 80 for line in piped.stdout.splitlines())  # the same text, one line a paragraph
    first = next(i for i, line in enumerate(lines) if "任务 2" in line)
    assert lines[first + 1].startswith(hanging) and lines[first + 1][len(hanging)] not in NO_LINE_START
    assert "".join(line.lstrip(" \u3000") for line in shown.stdout.splitlines()).replace(" ", "") == \
        "".join(line.lstrip(" \u3000") for line in piped.stdout.splitlines()).replace(" ", "")


def test_sheet_status_says_none_without_a_colon_over_nothing(table: Path, gwgk: Any) -> None:
    result = gwgk("sheet", "status")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "已报送 0 个单位。"
    assert lines[2] == "未报送 8 个单位（催报）："
    assert not any(line.endswith("：") and (i + 1 == len(lines) or not lines[i + 1].startswith("  "))
                   for i, line in enumerate(lines))


def test_config_show_on_a_terminal_keeps_its_notes_in_a_column(gwgk: Any, monkeypatch: Any) -> None:
    """`config show` at 80 columns: `report.stale_days 未设置    # 持续推进事项…（--stale-days 的默` over `认值）`
    at column 0. On a terminal the notes stand in one column, wrapped under it; piped, one line a key."""
    piped = gwgk("config", "show").stdout.splitlines()
    monkeypatch.setattr("gwgk_cli.cli.base.stdout_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    lines = gwgk("config", "show").stdout.splitlines()
    assert all(text_width(line) <= 80 for line in lines)
    notes = [line for line in lines if not line.startswith("#")]
    column = {text_width(line[:line.index("# ")]) for line in notes if "# " in line}
    assert len(column) == 1
    hang = " " * (column.pop() + 2)
    more = [line for line in notes if "# " not in line]
    assert more and all(line.startswith(hang) and not line[len(hang)].isspace() for line in more)
    assert len(piped) == len(lines) - len(more)


def test_info_on_a_terminal_wraps_a_value_under_the_values(table: Path, gwgk: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr("gwgk_cli.cli.base.stdout_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    lines = gwgk("info").stdout.splitlines()
    assert all(text_width(line) <= 80 for line in lines)
    after = lines[next(i for i, line in enumerate(lines) if line.startswith("登记人")) + 1:]
    assert after and after[0].startswith(" " * 14) and after[0][14] != " "  # 登记人's note, under 李明
