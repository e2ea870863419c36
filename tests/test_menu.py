"""`gwgk menu` (and `gwgk` alone at a console): a clerk answers questions, the menu runs the command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gwgk_cli.cli.menu import CHOICES, pick, shown, typed_path


def menu(*answers: str, cwd: Path, args: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """The menu as a process, its answers typed one per line (the commands it runs share its stdin and stdout)."""
    return subprocess.run([sys.executable, "-m", "gwgk_cli", *args, "menu"], input="".join(a + "\n" for a in answers),
                          capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=cwd,
                          env=dict(os.environ), check=False)


def entries(journal: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()] if journal.exists() else []


@pytest.mark.parametrize(("typed", "path"), [
    ("C:\\Users\\王芳\\Desktop\\行财科.xlsx", "C:\\Users\\王芳\\Desktop\\行财科.xlsx"),
    ('"C:\\Users\\王芳\\Desktop\\填报 表.xlsx"', "C:\\Users\\王芳\\Desktop\\填报 表.xlsx"),  # cmd: dragged, quoted
    ("& 'C:\\Users\\王芳\\填报 表.xlsx'", "C:\\Users\\王芳\\填报 表.xlsx"),  # PowerShell
    ("  '/home/wf/填报 表.xlsx' ", "/home/wf/填报 表.xlsx"),
    ("'", "'"),
    ("", ""),
])
def test_a_path_typed_or_dragged_into_the_window(typed: str, path: str) -> None:
    assert typed_path(typed) == path


@pytest.mark.skipif(os.sep != "/", reason="backslash-escaped spaces are what POSIX terminals paste")
def test_a_dragged_path_with_escaped_spaces_on_posix() -> None:
    assert typed_path("/home/wf/填报\\ 表.xlsx") == "/home/wf/填报 表.xlsx"


@pytest.mark.parametrize(("typed", "number"), [("1", 1), ("１", 1), (" 12 ", 12), ("3。", 3), ("13", 13)])
def test_a_choice_by_its_number(typed: str, number: int) -> None:
    assert pick(typed) is CHOICES[number - 1][1]


@pytest.mark.parametrize("typed", ["0", "０", "q", "退出", "exit"])
def test_leaving(typed: str) -> None:
    assert pick(typed) is None


@pytest.mark.parametrize("typed", ["14", "-1", "一", "list", "1.5", ""])
def test_what_is_no_choice(typed: str) -> None:
    with pytest.raises(ValueError):
        pick(typed)


@pytest.mark.parametrize(("argv", "text"), [
    (["list", "--unit", "指导办"], "gwgk list --unit 指导办"),
    (["note", "--percent=50", "--", "4", "已完成 初稿"], 'gwgk note --percent=50 -- 4 "已完成 初稿"'),
    (["block", "4", "--note", '等"批复"'], 'gwgk block 4 --note "等\\"批复\\""'),
    (["note", "4", "a\x1b[31mb"], "gwgk note 4 a\\x1b[31mb"),  # shown through the one sanitiser
])
def test_the_command_a_choice_stands_for(argv: list[str], text: str) -> None:
    assert shown(argv) == text


def test_list_by_unit_shows_the_command_and_its_output(table: Path, tmp_path: Path) -> None:
    out = menu("1", "指导办", "", "0", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "   1  查看任务清单（可按单位）\n" in out.stdout and "   0  退出\n" in out.stdout
    assert ("编号：1\n单位（全称、简称或拼音首字母；直接回车看全部任务）：指导办\n"  # piped: the answers echoed
            "相当于输入：gwgk list --unit 指导办\n") in out.stdout
    assert "\t建设政策综合信息服务专栏\t" in out.stdout  # task 10, the list as piped (TSV)
    assert out.stdout.rstrip().endswith("已退出。")


def test_a_note_is_recorded_as_gwgk_note_would(table: Path, journal: Path, tmp_path: Path) -> None:
    out = menu("3", "已完成初稿", "４", "已完成初稿", "５０％", "", "0", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "“已完成初稿”不是任务序号：请输入数字，如 4（直接回车返回菜单）。" in out.stdout
    assert "相当于输入：gwgk note --percent=５０％ -- ４ 已完成初稿\n" in out.stdout
    assert out.stdout.startswith("进展记录：tasks_2021.progress.jsonl（任务表 tasks_2021.yaml）\n")
    assert [(e["task"], e["op"], e["note"], e["percent"], e["by"]) for e in entries(journal)] == [
        (4, "note", "已完成初稿", 50, "测试员")]
    assert out.stderr == "已记入 tasks_2021.progress.jsonl（任务表 tasks_2021.yaml）\n"


def test_enter_where_an_answer_is_needed_goes_back_and_nothing_is_run(table: Path, journal: Path,
                                                                    tmp_path: Path) -> None:
    out = menu("5", "4", "", "7。", "", "0", cwd=tmp_path)  # 标记受阻 without a reason: back; then 预警
    assert out.returncode == 0, out.stderr
    assert "相当于输入：gwgk block" not in out.stdout
    assert "相当于输入：gwgk warn\n" in out.stdout
    assert entries(journal) == []


def test_a_report_is_saved_and_an_existing_one_kept_unless_the_clerk_agrees(table: Path, tmp_path: Path) -> None:
    saved = tmp_path / "周报-2021-W47.docx"
    out = menu("8", "", "", "0", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert f"相当于输入：gwgk report -o {saved}\n" in out.stdout
    assert saved.read_bytes()[:2] == b"PK"
    saved.write_bytes(b"keep")
    out = menu("8", "", "否", "0", cwd=tmp_path)
    assert "周报-2021-W47.docx 已存在，覆盖它吗？ [是/否]" in out.stdout and "未覆盖；可换一个文件名再试。" in out.stdout
    assert saved.read_bytes() == b"keep"
    out = menu("8", "本周", "", "0", cwd=tmp_path)  # a name without .docx gets it
    assert "相当于输入：gwgk report -o 本周.docx\n" in out.stdout and (tmp_path / "本周.docx").exists()


def test_sheets_out_and_a_dragged_sheet_back_in(table: Path, journal: Path, tmp_path: Path) -> None:
    import openpyxl

    out = menu("11", "", "", "0", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    folder = tmp_path / "填报表-2021-W47"
    sheet = folder / "行财科-推进情况填报表-2021-W47.xlsx"
    wb = openpyxl.load_workbook(sheet)
    wb.active["I6"] = "预算已公开"  # task 4, 行财科's own
    wb.save(sheet)
    out = menu("12", f'"{sheet}"', "", "0", cwd=tmp_path)  # piped: sheet in previews, records nothing
    assert f"相当于输入：gwgk sheet in {sheet}\n" in out.stdout
    assert "  任务 4 公开办公室预算决算：进展“预算已公开”" in out.stdout
    assert entries(journal) == []
    again = menu("11", "", "0", cwd=tmp_path)  # the folder holds what units sent back: never written over
    assert f"文件夹 {folder} 里已有文件（可能是各单位发回的填报表），未生成；请换一个文件夹再试。" in again.stdout
    assert openpyxl.load_workbook(sheet).active["I6"].value == "预算已公开"


def test_global_options_reach_every_command(table: Path, tmp_path: Path) -> None:
    out = menu("7", "", "0", cwd=tmp_path, args=("--today", "2022-01-05"))
    assert out.returncode == 0, out.stderr
    assert "相当于输入：gwgk warn\n" in out.stdout and "\t红\t逾期 5 天\n" in out.stdout  # as of 2022-01-05


def test_end_of_input_and_unknown_numbers(table: Path, tmp_path: Path) -> None:
    out = menu("99", cwd=tmp_path)  # then the input ends (Ctrl-D, Ctrl-Z)
    assert out.returncode == 0, out.stderr
    assert "没有编号“99”：请输入 0–13 之间的编号。" in out.stdout
    assert out.stdout.rstrip().endswith("已退出。")


def test_the_first_time_it_asks_the_clerks_name_once(table: Path, journal: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GWGK_USER")
    monkeypatch.setenv("PATH", "")  # no git: the login name would sign the changes
    out = menu("王芳", "3", "4", "已启动", "", "", "0", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "第一次使用：登记进展时要写明登记人。" in out.stdout
    assert [e["by"] for e in entries(journal)] == ["王芳"]
    out = menu("0", cwd=tmp_path)
    assert "第一次使用" not in out.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX only")
def test_gwgk_alone_opens_the_menu_at_a_console_and_prints_the_help_when_piped(table: Path) -> None:
    import pty

    from pty_helpers import read_pty

    exe = str(Path(sys.executable).with_name("gwgk"))
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(exe, [exe])

    def leave(out: bytes) -> bool:
        if "编号：".encode() in out:
            os.write(fd, b"0\n")
            return True
        return False

    out = read_pty(fd, until=leave).decode("utf-8")
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert "查看任务清单（可按单位）" in out and "已退出。" in out
    piped = subprocess.run([exe], capture_output=True, text=True, encoding="utf-8", timeout=60, check=False)
    assert piped.returncode == 2 and "用法：gwgk [选项] 命令 [参数]..." in piped.stderr
    assert "menu      菜单" in piped.stderr


def test_a_note_or_reason_starting_with_a_dash_is_text(table: Path, journal: Path, tmp_path: Path) -> None:
    """Found in review: a 进展情况 of “-已启动调研” was taken for an option (错误：没有选项 -已) and lost."""
    out = menu("3", "4", "-已启动调研", "", "", "5", "7", "-h", "", "0", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert [(e["task"], e["op"], e["note"]) for e in entries(journal)] == [(4, "note", "-已启动调研"), (7, "status", "-h")]
    assert "错误" not in out.stderr


def test_started_in_the_programs_own_folder_it_works_in_the_tables(table: Path, tmp_path: Path) -> None:
    """Found in review: gwgk.exe double-clicked starts in the Scripts folder, where no table is found (the
    bundled one was used, its journal in the data folder) and files would be written among the programs."""
    import shutil

    config = gwgk_config("config", "set", "table.file", str(table))
    assert config.returncode == 0, config.stderr
    out = menu("0", cwd=Path(sys.executable).parent)
    assert out.stdout.splitlines()[:2] == [
        f"当前文件夹：{table.parent}（在程序所在的文件夹中打开，已改到这里）",
        "进展记录：tasks_2021.progress.jsonl（任务表 tasks_2021.yaml）"]
    assert shutil.which("gwgk")  # the installed script is beside the interpreter


def gwgk_config(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gwgk_cli", *args], capture_output=True, text=True, encoding="utf-8",
                          timeout=60, env=dict(os.environ), check=False)
