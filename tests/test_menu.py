"""`gwgk menu` (and `gwgk` alone at a console): a clerk answers questions, the menu runs the command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
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


@pytest.mark.parametrize("typed", ["21", "-1", "一", "list", "1.5", ""])
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
            "相当于输入：gwgk list --unit 政务公开指导办 --collective\n") in out.stdout  # with 各相关科室's tasks
    assert "\t建设政策综合信息服务专栏\t" in out.stdout  # task 10, the list as piped (TSV)
    assert out.stdout.rstrip().endswith("已退出。")


def test_a_note_is_recorded_as_gwgk_note_would(table: Path, journal: Path, tmp_path: Path) -> None:
    out = menu("3", "已完成初稿", "４", "五成", "５０％", "已完成初稿", "", "0", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "“已完成初稿”不是任务序号：请输入数字，如 4（直接回车返回菜单）。" in out.stdout
    assert "“五成”不是 0–100 的整数，请重新输入（不填直接回车）。" in out.stdout  # asked before the note is typed
    assert "相当于输入：gwgk note --percent=50 -- 4 已完成初稿\n" in out.stdout
    assert out.stdout.startswith("进展记录：tasks_2021.progress.jsonl（任务表 tasks_2021.yaml）\n")
    assert [(e["task"], e["op"], e["note"], e["percent"], e["by"]) for e in entries(journal)] == [
        (4, "note", "已完成初稿", 50, "测试员")]
    assert out.stderr == "已记入 tasks_2021.progress.jsonl（任务表 tasks_2021.yaml）\n"


def test_enter_where_an_answer_is_needed_goes_back_and_nothing_is_run(table: Path, journal: Path,
                                                                    tmp_path: Path) -> None:
    out = menu("5", "4", "", "8。", "", "0", cwd=tmp_path)  # 标记受阻 without a reason: back; then 预警
    assert out.returncode == 0, out.stderr
    assert "相当于输入：gwgk block" not in out.stdout and "已返回菜单，未做任何事。" in out.stdout
    assert "相当于输入：gwgk warn\n" in out.stdout
    assert entries(journal) == []


def test_a_report_is_saved_and_an_existing_one_kept_unless_the_clerk_agrees(table: Path, tmp_path: Path) -> None:
    saved = tmp_path / "周报-2021-W47.docx"
    out = menu("9", "", "", "0", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert f"相当于输入：gwgk report -o {saved}\n" in out.stdout
    assert saved.read_bytes()[:2] == b"PK"
    saved.write_bytes(b"keep")
    out = menu("9", "", "否", "0", cwd=tmp_path)
    assert "周报-2021-W47.docx 已存在，覆盖它吗？ [是/否]" in out.stdout and "未覆盖；可换一个文件名再试。" in out.stdout
    assert saved.read_bytes() == b"keep"
    out = menu("9", "本周", "", "0", cwd=tmp_path)  # a name without .docx gets it
    assert "相当于输入：gwgk report -o 本周.docx\n" in out.stdout and (tmp_path / "本周.docx").exists()
    (tmp_path / "桌面").mkdir()
    out = menu("9", f'"{tmp_path / "桌面"}"', "", "0", cwd=tmp_path)  # a folder dragged in: the file goes into it
    assert f"相当于输入：gwgk report -o {tmp_path / '桌面' / '周报-2021-W47.docx'}\n" in out.stdout
    assert (tmp_path / "桌面" / "周报-2021-W47.docx").exists()


def test_sheets_out_and_a_dragged_sheet_back_in(table: Path, journal: Path, tmp_path: Path) -> None:
    import openpyxl

    out = menu("12", "", "", "0", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    folder = tmp_path / "填报表-2021-W47"
    sheet = folder / "行财科-推进情况填报表-2021-W47.xlsx"
    wb = openpyxl.load_workbook(sheet)
    wb.active["I6"] = "预算已公开"  # task 4, 行财科's own
    wb.save(sheet)
    out = menu("13", f'"{sheet}"', "", "0", cwd=tmp_path)  # piped: sheet in previews, records nothing
    assert f"相当于输入：gwgk sheet in {sheet}\n" in out.stdout
    assert "  任务 4 公开办公室预算决算：进展“预算已公开”" in out.stdout
    assert entries(journal) == []
    again = menu("12", "", "0", cwd=tmp_path)  # the folder holds what units sent back: never written over
    assert f"文件夹 {folder} 里已有文件（可能是各单位发回的填报表），未生成；请换一个文件夹再试。" in again.stdout
    assert openpyxl.load_workbook(sheet).active["I6"].value == "预算已公开"


def test_global_options_reach_every_command(table: Path, tmp_path: Path) -> None:
    out = menu("8", "", "0", cwd=tmp_path, args=("--today", "2022-01-05"))
    assert out.returncode == 0, out.stderr
    assert "相当于输入：gwgk warn\n" in out.stdout and "\t红\t逾期 5 天\n" in out.stdout  # as of 2022-01-05


def test_end_of_input_and_unknown_numbers(table: Path, tmp_path: Path) -> None:
    out = menu("99", cwd=tmp_path)  # then the input ends (Ctrl-D, Ctrl-Z)
    assert out.returncode == 0, out.stderr
    assert "没有编号“99”：请输入 0–20 之间的编号。" in out.stdout
    assert out.stdout.rstrip().endswith("已退出。")


def test_the_first_time_it_asks_the_clerks_name_once(table: Path, journal: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GWGK_USER")
    monkeypatch.setenv("PATH", "")  # no git: the login name would sign the changes
    out = menu("王芳", "", "3", "4", "", "已启动", "", "0", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "第一次使用：登记进展时要写明登记人。" in out.stdout
    assert [e["by"] for e in entries(journal)] == ["王芳"]
    out = menu("0", cwd=tmp_path)
    assert "第一次使用" not in out.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX only")
def test_gwgk_alone_opens_the_menu_at_a_console_and_prints_the_help_when_piped(table: Path) -> None:
    exe = str(Path(sys.executable).with_name("gwgk"))
    out, code = gwgk_alone_at_a_console("编号：", b"0\n")
    assert code == 0
    assert "查看任务清单（可按单位）" in out and "已退出。" in out
    piped = subprocess.run([exe], capture_output=True, text=True, encoding="utf-8", timeout=60, check=False)
    assert piped.returncode == 2 and "用法：gwgk [选项] 命令 [参数]..." in piped.stderr
    assert "menu      菜单" in piped.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX only")
def test_a_shortcut_with_the_table_opens_the_menu(table: Path, tmp_path: Path) -> None:
    """Found by a Windows review: a desktop shortcut `gwgk.exe -f Z:\\…\\tasks_2022.yaml` flashed 缺少命令 and closed."""
    other = tmp_path / "另一张表.yaml"
    other.write_bytes(table.read_bytes())
    env = {k: v for k, v in os.environ.items() if k != "GWGK_FILE"}
    out, code = gwgk_alone_at_a_console("编号：", b"0\n", env, ("-f", str(other)))
    assert code == 0
    assert "查看任务清单（可按单位）" in out and "已退出。" in out and "缺少命令" not in out


def test_a_note_or_reason_starting_with_a_dash_is_text(table: Path, journal: Path, tmp_path: Path) -> None:
    """Found in review: a 进展情况 of “-已启动调研” was taken for an option (错误：没有选项 -已) and lost."""
    out = menu("3", "4", "", "-已启动调研", "", "5", "7", "-h", "", "0", cwd=tmp_path)
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


# --------------------------------------------------------------------------- a month as a 科室 clerk (found by a tester)


def test_a_unit_the_table_does_not_name_is_pointed_to_the_collective_unit(table: Path, tmp_path: Path) -> None:
    """Found by a tester: a 法制科 clerk typing 法制 got only “未知单位”; the table's 科室 share 各相关科室."""
    out = menu("1", "法制。", "", "0", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "未知单位 “法制”。最接近的单位：" in out.stdout
    assert "任务表没有单独列出的科室，其任务写作“各相关科室”：可输入 各相关科室 查看，或直接回车看全部任务。" in out.stdout
    assert "相当于输入" not in out.stdout


@pytest.mark.parametrize("unit", ["行财科", "法制科"])  # named by the table; one of 各相关科室 only (found in review)
@pytest.mark.parametrize(("answers", "note"), [
    (("3", "9", "80", "本科室答复咨询 4 件"), "本科室答复咨询 4 件（{}：80%）"),  # 登记进展
    (("4", "9", "已全部答复"), "已全部答复（{}：已完成）"),  # 标记完成
    (("5", "9", "等待财政局口径"), "等待财政局口径（{}：受阻）"),  # 标记受阻
    (("6", "9", "口径已明确"), "口径已明确（{}：恢复推进）"),  # 恢复推进 (found in review)
])
def test_a_units_word_on_a_shared_task_is_its_note_not_the_tasks_status(
        table: Path, journal: Path, tmp_path: Path, answers: tuple[str, ...], note: str, unit: str) -> None:
    """Found by a tester: 行财科's 80% on a 各相关科室 task (9) set the task's percent for every 科室, its 完成
    marked it done for all. As with a 填报表, it is recorded as the unit's note; 指导办 decides the status."""
    assert gwgk_config("config", "set", "user.unit", unit).returncode == 0
    out = menu(*answers, "", "0", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert (f"任务 9 由“各相关科室”共同承担：本科室的情况记入进展说明（注明{unit}），任务的状态和进度由政务公开指导办确定。"
            in out.stdout)
    assert [(e["task"], e["op"], e["note"], e.get("percent")) for e in entries(journal)] == [
        (9, "note", note.format(unit), None)]


def test_own_and_shared_tasks_together_are_recorded_one_kind_at_a_time(table: Path, journal: Path,
                                                                       tmp_path: Path) -> None:
    """Found in review: 4,5 at 标记完成 noted both (行财科：已完成), leaving 行财科's own task 4 未开始."""
    assert gwgk_config("config", "set", "user.unit", "行财科").returncode == 0
    out = menu("4", "4,5", "", "0", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "任务 4 是本单位的任务，任务 5 由“各相关科室”共同承担，登记方式不同：请分两次登记。" in out.stdout
    assert entries(journal) == []


def test_done_asks_the_date_and_a_note_and_100_percent_offers_done(table: Path, journal: Path, tmp_path: Path) -> None:
    """Found by a tester: 标记完成 dated every completion today (a late entry looked 逾期 in the 通报) and took
    no note; a 100% note left the task 推进中."""
    out = menu("4", "4", "12月1日", "2020-11-20", "11月20日", "已在网站公开", "", "", "3", "6", "100", "全部完成", "是", "",
               "0", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "2021-12-01 晚于今天，请重新输入。" in out.stdout
    assert "2020-11-20 早于任务表的年度（2021 年），请重新输入。" in out.stdout
    assert "相当于输入：gwgk done --date=2021-11-20 --note=已在网站公开 -- 4\n" in out.stdout
    assert "相当于输入：gwgk done --note=全部完成 -- 6\n" in out.stdout
    assert [(e["task"], e["date"], e.get("to"), e["note"]) for e in entries(journal)] == [
        (4, "2021-11-20", "done", "已在网站公开"), (6, "2021-11-22", "done", "全部完成")]


def test_reopen_and_settings_from_the_menu(table: Path, journal: Path, tmp_path: Path) -> None:
    """Found by a tester: a blocked task could not be brought back, nor the table, name or unit set."""
    menu("5", "4", "等批复", "", "0", cwd=tmp_path)
    out = menu("6", "4", "批复已下达", "", "15", f'"{table}"', "张敏", "行财科", "", "0", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "相当于输入：gwgk reopen --note=批复已下达 -- 4\n" in out.stdout
    assert [(e["task"], e.get("to")) for e in entries(journal)] == [(4, "blocked"), (4, "doing")]
    shown = gwgk_config("config", "show").stdout
    assert f"table.file = “{table}”" in shown and "user.name = “张敏”" in shown and "user.unit = “行财科”" in shown


def test_a_broken_settings_file_is_said_and_the_menu_still_opens(table: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a tester: a settings file with `name = 张敏` (no quotes) ended the menu before it opened."""
    monkeypatch.delenv("GWGK_USER")  # the name is looked up in the settings
    config = Path(os.environ["GWGK_CONFIG_DIR"]) / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[user]\nname = 张敏\n", encoding="utf-8")
    out = menu("0", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert f"错误：配置文件 {config} 格式有误：" in out.stdout and out.stdout.rstrip().endswith("已退出。")


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX only")
def test_at_a_console_pasted_lines_ctrl_c_and_errors_before_the_menu(table: Path, journal: Path) -> None:
    """Found by a tester, at a real console: a note pasted from Word with its line breaks spilled into the next
    questions (and the menu numbers); Ctrl-C at a question closed the menu; an error before the menu closed
    a double-clicked window before it could be read."""
    import pty

    from pty_helpers import read_pty

    exe = str(Path(sys.executable).with_name("gwgk"))
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(exe, [exe])
    steps = [("编号：", b"3\n"), ("任务序号：", b"4\n"), ("完成进度", b"\n"),
             ("进展情况", "预算已公开；\n三公经费待审；\n下周上传。\n".encode()), ("请按回车键）", b"\n"),
             ("按回车键返回菜单", b"\n"),
             # found in review: a paste without a line break after its last line (as copied from Word)
             ("编号：", b"3\n"), ("任务序号：", b"6\n"), ("完成进度", b"\n"), ("进展情况", "甲\r乙\r丙".encode()),
             ("请按回车键）", b"\r"), ("按回车键返回菜单", b"\x03"),  # Ctrl-C there: the menu (found in review)
             ("编号：", b"5\n"), ("任务序号：", b"4\n"), ("受阻原因：", b"\x03"), ("编号：", b"0\n")]

    def answer(out: bytes) -> bool:
        text = out.decode("utf-8", "replace")
        while steps and text.count(steps[0][0]) > sum(1 for s in done if s == steps[0][0]):
            prompt, keys = steps.pop(0)
            done.append(prompt)
            if keys == b"\x03":
                # A Ctrl-C sent the instant a prompt shows can land between CPython's last look at its signals
                # and readline's wait for a key, and is seen only at the next key (a flaky CI run): a clerk's
                # Ctrl-C comes later than that.
                time.sleep(0.3)
            os.write(fd, keys)
        return not steps

    done: list[str] = []
    out = read_pty(fd, until=answer).decode("utf-8")
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, out
    assert [(e["task"], e["op"], e["note"]) for e in entries(journal)] == [(4, "note", "预算已公开； 三公经费待审； 下周上传。"),
                                                                        (6, "note", "甲 乙 丙")]
    assert "已返回菜单，未做任何事。" in out and "已退出。" in out

    out, code = gwgk_alone_at_a_console("按回车键关闭窗口", b"\n", {**os.environ, "GWGK_TODAY": "2021-13-01"})
    assert code != 0
    assert "错误：无效的日期 --today “2021-13-01”" in out


def gwgk_alone_at_a_console(prompt: str, keys: bytes, env: dict[str, str] | None = None,
                            args: tuple[str, ...] = ()) -> tuple[str, int]:
    """`gwgk` with no command (only `args`, global options) on a pseudo-terminal, `keys` typed once `prompt` shows:
    what it wrote, its exit code."""
    import pty

    from pty_helpers import read_pty

    exe = str(Path(sys.executable).with_name("gwgk"))
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(exe, [exe, *args], env if env is not None else dict(os.environ))

    def answer(out: bytes) -> bool:
        if prompt.encode() in out:
            os.write(fd, keys)
            return True
        return False

    out = read_pty(fd, until=answer).decode("utf-8")
    _, status = os.waitpid(pid, 0)
    return out, os.waitstatus_to_exitcode(status)


def test_the_clerks_guide_names_the_choices_by_their_numbers() -> None:
    """docs/科室使用说明.md tells a clerk which number does what: it stays true when the menu changes."""
    import re

    guide = (Path(__file__).resolve().parent.parent / "docs" / "科室使用说明.md").read_text(encoding="utf-8")
    named = {int(n): words for words, n in re.findall(r"^\| ([^|]+?) \| (\d+) \|", guide, flags=re.M)}
    named |= {int(n): words for n, words in re.findall(r"(\d+) (红黄绿灯预警|本周周报|台账|通报|生成各单位填报表|导入各单位发回的填报表)",
                                                      guide)}
    named |= {int(n): "设置" for n in re.findall(r"选 \*\*(\d+) 设置\*\*", guide)}
    named |= {int(n): words for n, words in re.findall(r"(\d+) (延期|审核销号|催办)（", guide)}
    expected = {1: "任务清单", 2: "详情", 3: "登记进展", 4: "标记完成", 5: "标记受阻", 6: "恢复推进", 7: "撤销",
                8: "红黄绿灯预警", 9: "周报", 10: "台账", 11: "通报", 12: "生成各单位填报表", 13: "导入各单位发回的填报表",
                15: "设置", 16: "签收", 17: "进展历史", 18: "延期", 19: "审核销号", 20: "催办"}
    assert set(named) == set(expected), named
    for number, word in expected.items():
        assert word in CHOICES[number - 1][0], (number, CHOICES[number - 1][0])


def test_the_supervision_steps_from_the_menu(table: Path, journal: Path, tmp_path: Path) -> None:
    """Found by a clerk tester: 签收, 延期, 审核销号, 催办 and the history were commands only."""
    assert gwgk_config("config", "set", "user.unit", "行财科").returncode == 0
    text = table.read_text(encoding="utf-8")  # 审核销号 in use
    table.write_text(text.replace("settings:\n", "settings:\n  review: true\n", 1), encoding="utf-8")
    out = menu("16", "4", "", "已收到", "",  # 签收 by the clerk's own unit (Enter)
               "18", "4", "2021-11-01", "2022-01-31", "等待年度决算", "李局长", "",  # 延期: a past date asked again
               "4", "4", "", "", "", "",  # 标记完成 today
               "19", "4", "3", "1", "材料齐全", "",  # 审核: 3 is no result, asked again
               "17", "", "", "20", "", "0", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "  —— 督办 ——\n  16  签收任务\n" in out.stdout
    assert "相当于输入：gwgk accept --unit 行财科 --note=已收到 -- 4\n" in out.stdout
    assert "2021-11-01 不晚于今天，请重新输入。" in out.stdout and "请输入 1 或 2。" in out.stdout
    assert "相当于输入：gwgk extend --to=2022-01-31 --note=等待年度决算 --approved-by=李局长 -- 4\n" in out.stdout
    assert "相当于输入：gwgk review --pass --note=材料齐全 -- 4\n" in out.stdout
    assert "相当于输入：gwgk log --unit 行财科\n" in out.stdout and "相当于输入：gwgk remind\n" in out.stdout
    assert [e["op"] for e in entries(journal)] == ["accept", "extend", "status", "review"]


def test_what_the_command_would_refuse_is_asked_again_and_nothing_breaks_the_menu(table: Path, journal: Path,
                                                                                   tmp_path: Path) -> None:
    """Found by a hostile tester: a 10,000-character note was typed, then refused by the command and lost; a
    NUL byte in an answer ended the menu with a traceback; 保存为 ~/ or a folder not made yet became a file
    named .docx; a notice set as the table file was taken, and 设置已保存 said after an error."""
    long = "长" * 6000
    out = menu("3", "4", "", long, "短一些的说明", "", "9", "a\x00b", "", "9", f"{tmp_path / '新文件夹'}/", "",
               "15", str(tmp_path / "通知.docx"), "", "", "", "0", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "内容过长（6000 字，上限 5000 字）；较长的材料请作为佐证材料附上，请重新输入（直接回车返回菜单）。" in out.stdout
    assert [(e["task"], e["note"]) for e in entries(journal)] == [(4, "短一些的说明")]
    assert "相当于输入：gwgk report -o ab.docx\n" in out.stdout and "Traceback" not in out.stderr
    assert f"相当于输入：gwgk report -o {tmp_path / '新文件夹' / '周报-2021-W47.docx'}\n" in out.stdout
    assert f"错误：{tmp_path / '通知.docx'} 不是可用的任务表（" in out.stdout
    assert "设置已保存" not in out.stdout and "table.file 未设置" in gwgk_config("config", "show").stdout


@pytest.mark.parametrize(("platform", "late_interrupt", "interrupt"), [
    ("win32", True, True), ("win32", False, False), ("linux", True, False)])
def test_an_empty_read_at_a_windows_console_may_be_a_ctrl_c(monkeypatch: pytest.MonkeyPatch, platform: str,
                                                            late_interrupt: bool, interrupt: bool) -> None:
    """Found by a Windows review: Windows' console reads a Ctrl-C as an empty read, Python raises EOFError when the
    interrupt comes late, and the menu ended (a double-clicked window closed). A KeyboardInterrupt arriving
    within a moment makes it a Ctrl-C (back to the menu)."""
    import time

    from gwgk_cli.cli import menu_ask

    def sleep(_: float) -> None:
        if late_interrupt:
            raise KeyboardInterrupt

    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(time, "sleep", sleep)
    assert menu_ask.console_interrupt() is interrupt


def test_several_returned_sheets_dragged_in_at_once(tmp_path: Path) -> None:
    """Found by a Windows review: Explorer drops several files as "a" "b"; they were taken for one path."""
    from gwgk_cli.cli.menu_ask import typed_paths

    (tmp_path / "回收 11月").mkdir()
    one, two = tmp_path / "回收 11月" / "行财科.xlsx", tmp_path / "法制科.xlsx"
    one.write_bytes(b"")
    two.write_bytes(b"")
    assert typed_paths(f'"{one}" "{two}"') == [str(one), str(two)]
    assert typed_paths(f"& '{one}' '{two}'") == [str(one), str(two)]  # PowerShell
    assert typed_paths(f'"{one}"') == [str(one)]
    assert typed_paths(f"{two} {two}") == [str(two), str(two)]
    assert typed_paths(f"{tmp_path}/不存在 的.xlsx") == [f"{tmp_path}/不存在 的.xlsx"]  # one path with a space
    assert typed_paths('"C:\\\\x\\\\a.xlsx" "C:\\\\x\\\\b.xlsx"') == ["C:\\\\x\\\\a.xlsx", "C:\\\\x\\\\b.xlsx"]
