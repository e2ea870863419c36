"""Issue 12, the storage half: concurrent commands behave as if run one after another, a failed append
leaves the journal as it was, only regular files are read or appended to, damaged lines are skipped and
reported (never a crash later), and `gwgk doctor` lists every problem with its line number."""

from __future__ import annotations

import errno
import json
import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gwgk_cli import journal as journal_mod
from gwgk_cli.journal import parse_line


def console_script() -> str:
    """The installed gwgk console script (beside this Python, else on PATH)."""
    import shutil
    import sys

    beside = Path(sys.executable).parent / ("gwgk.exe" if os.name == "nt" else "gwgk")
    found = str(beside) if beside.is_file() else shutil.which("gwgk")
    if found is None:
        pytest.fail("the gwgk console script is not installed (pip install -e .)")
    return found


def run_ok(gwgk, *args: str):  # type: ignore[no-untyped-def]
    result = gwgk(*args)
    assert result.exit_code == 0, result.output
    return result


def lines(journal: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(x) for x in journal.read_text(encoding="utf-8").splitlines() if x.strip()]


def many_at_once(argv: list[str], n: int, by: str = "测试员") -> list[subprocess.CompletedProcess[str]]:
    """n real processes of the installed gwgk, started together."""
    env = {**os.environ, "GWGK_USER": by}
    procs = [subprocess.Popen([console_script(), *argv], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, encoding="utf-8") for _ in range(n)]
    out = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=120)
        out.append(subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr))
    return out


# --------------------------------------------------------------------------- one lock for read, decide, append


def test_twenty_concurrent_done_write_one_line(table: Path, journal: Path) -> None:
    results = many_at_once(["done", "20"], 20)
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    written = [r.stdout for r in results if "→" in r.stdout]
    assert written == ["任务 20：未开始 → 已完成\n"]
    assert sum(r.stderr.startswith("已记入 ") for r in results) == 1  # the one that wrote says where, no other
    assert sum(r.stdout == "任务 20 已经是“已完成”，未重复登记。\n" for r in results) == 19
    assert [(x["task"], x["from"], x["to"]) for x in lines(journal)] == [(20, "todo", "done")]


def test_ten_concurrent_undo_undo_ten_different_entries(table: Path, journal: Path, gwgk) -> None:
    for task in range(1, 9):
        run_ok(gwgk, "note", str(task), f"进展 {task}")
    run_ok(gwgk, "note", "9", "李明的进展", "--by", "李明")  # not the caller's: never undone by default
    results = many_at_once(["undo"], 10)
    assert sorted(r.returncode for r in results) == [0] * 8 + [1] * 2, [r.stderr for r in results]
    where = f"已记入 {journal}（任务表 {table}）\n"  # said by each that wrote, by no other
    assert sorted(r.stderr for r in results) == [""] * 2 + [where] * 8, [r.stderr for r in results]
    undos = [x for x in lines(journal) if x["op"] == "undo"]
    notes = {x["id"]: x for x in lines(journal) if x["op"] == "note"}
    assert sorted(notes[u["undoes"]]["task"] for u in undos) == list(range(1, 9))  # each once
    assert all("李明" not in r.stdout for r in results)


# --------------------------------------------------------------------------- a failed append


@pytest.mark.parametrize("cut", [0, 1, 30])
def test_a_full_disk_leaves_the_journal_exactly_as_it_was(table: Path, journal: Path, gwgk,
                                                          monkeypatch: pytest.MonkeyPatch, cut: int) -> None:
    run_ok(gwgk, "start", "4")
    before = journal.read_bytes()

    def disk_full(fd: int, data: bytes) -> None:
        os.write(fd, data[:cut])  # part of the line reaches the file, then the disk is full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(journal_mod, "_write_all", disk_full)
    result = gwgk("done", "4", "--note", "已公开")
    assert result.exit_code == 2
    assert result.stderr == f"错误：{journal}: 无法写入进展记录：磁盘空间已满（请清理后重试）；记录未改动\n"
    assert journal.read_bytes() == before
    monkeypatch.undo()
    run_ok(gwgk, "doctor")


def test_a_full_disk_on_the_first_append_leaves_no_journal(table: Path, journal: Path, gwgk,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(fd: int, data: bytes) -> None:
        os.write(fd, data[:5])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(journal_mod, "_write_all", disk_full)
    assert gwgk("note", "4", "第一条").exit_code == 2
    assert not journal.exists()


# --------------------------------------------------------------------------- only regular files


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
posix_only = pytest.mark.skipif(os.name == "nt", reason="symlinks and POSIX absolute paths")


@needs_fifo
@pytest.mark.parametrize("command", [["list"], ["doctor"], ["note", "4", "x"], ["show", "4"]])
def test_a_fifo_as_the_table_errors_at_once(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / "tasks.yaml"
    os.mkfifo(fifo)
    result = subprocess.run([console_script(), "--file", str(fifo), *command], capture_output=True, text=True,
                            encoding="utf-8", timeout=30)
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"错误：{fifo}: 任务表不是普通文件（设备、管道或目录），不能读取\n"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_as_the_table_errors_at_once() -> None:
    result = subprocess.run([console_script(), "--file", "/dev/zero", "list"], capture_output=True, text=True,
                            encoding="utf-8", timeout=30)
    assert result.returncode == 2
    assert result.stderr == "错误：/dev/zero: 任务表不是普通文件（设备、管道或目录），不能读取\n"


@needs_fifo
@pytest.mark.parametrize("how", ["fifo", "symlink to a fifo"])
@pytest.mark.parametrize("command", [["list"], ["note", "4", "x"], ["undo"], ["log"]])
def test_a_fifo_as_the_journal_errors_at_once(table: Path, journal: Path, how: str, command: list[str]) -> None:
    if how == "fifo":
        os.mkfifo(journal)
    else:
        os.mkfifo(table.parent / "pipe")
        journal.symlink_to(table.parent / "pipe")
    result = subprocess.run([console_script(), *command], capture_output=True, text=True, encoding="utf-8",
                            timeout=30)
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"错误：{journal}: 进展记录不是普通文件（设备、管道或目录），不能读取\n"


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_a_device_as_the_journal_is_never_written(table: Path, journal: Path, gwgk) -> None:
    journal.symlink_to("/dev/null")
    result = gwgk("note", "4", "x")
    assert result.exit_code == 2
    assert "不是普通文件" in result.stderr
    assert journal.is_symlink()


def test_a_journal_past_the_size_cap_is_refused(table: Path, journal: Path, gwgk,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal_mod, "MAX_JOURNAL_BYTES", 1000)
    journal.write_text(("x" * 99 + "\n") * 11, encoding="utf-8")
    for command in (["list"], ["note", "4", "x"]):
        result = gwgk(*command)
        assert result.exit_code == 2
        assert result.stderr == f"错误：{journal}: 进展记录过大（1100 字节，上限 1000 字节）\n"


def test_a_table_past_the_size_cap_is_refused(table: Path, gwgk, monkeypatch: pytest.MonkeyPatch) -> None:
    from gwgk_cli import table as table_mod

    monkeypatch.setattr(table_mod, "MAX_TABLE_BYTES", 1000)
    result = gwgk("list")
    assert result.exit_code == 2
    assert result.stderr == f"错误：{table}: 任务表过大（{table.stat().st_size} 字节，上限 1000 字节）\n"


@posix_only
@pytest.mark.parametrize("content", ["name: 不是进展记录\nvalue: 1\n", "#!/bin/sh\necho hi\n", "{\n  \"a\": 1\n}\n"])
def test_append_only_to_a_journal(table: Path, journal: Path, gwgk, content: str) -> None:
    other = table.parent / "notes.txt"
    other.write_text(content, encoding="utf-8")
    journal.symlink_to(other)
    result = gwgk("note", "4", "写进去了吗")
    assert result.exit_code == 2
    assert result.stderr == f"错误：{journal}: 不是进展记录（没有一行有效的记录），未写入；请检查 --file 或该文件\n"
    assert other.read_text(encoding="utf-8") == content


@posix_only
def test_a_symlink_to_a_journal_is_followed(table: Path, journal: Path, gwgk) -> None:
    real = table.parent / "real.progress.jsonl"
    real.write_bytes(b"")
    journal.symlink_to(real)
    run_ok(gwgk, "start", "4")
    assert journal.is_symlink() and [x["task"] for x in lines(real)] == [4]


@posix_only
def test_a_dangling_symlink_is_not_created(table: Path, journal: Path, gwgk) -> None:
    target = table.parent / "gone" / "x.jsonl"
    journal.symlink_to(target)
    result = gwgk("note", "4", "x")
    assert result.exit_code == 2
    assert not target.exists()


# --------------------------------------------------------------------------- damaged lines


GOOD = {"id": "a00000000004", "at": "2021-11-20T09:00:00+08:00", "date": "2021-11-20", "by": "李明", "task": 4,
        "op": "status", "from": "todo", "to": "doing"}


def good(**changes: object) -> str:
    return json.dumps({**GOOD, **changes}, ensure_ascii=False)


# (line as written, what the warning says)
BAD_LINES = {
    "NUL in a note": (good(note="a\x00b"), "NUL"),
    "raw NUL byte": (good(note="ab").replace("ab", "a\x00b"), "不是完整的 JSON 行"),
    "lone surrogate": (good(note="x").replace('"x"', '"\\ud800"'), "代理字符"),
    "nested brackets": ("[" * 100_000 + "]" * 100_000, "嵌套过深"),
    "note is a list": (good(note=["a", "b"]), "note 应为文本"),
    "by is null": (good(by=None), "by 应为文本"),
    "id is a number": (good(id=12), "id 应为文本"),
    "date 20211122": (good(date="20211122"), "日期应为 YYYY-MM-DD"),
    "date 2021-W46-7": (good(date="2021-W46-7"), "日期应为 YYYY-MM-DD"),
    "task is a string": (good(task="4"), "task 应为整数"),
}


@pytest.mark.parametrize("kind", list(BAD_LINES))
def test_parse_line_rejects_each_bad_line(kind: str) -> None:
    line, words = BAD_LINES[kind]
    with pytest.raises(ValueError, match=words):
        parse_line(line)


@pytest.mark.parametrize("kind", list(BAD_LINES))
def test_a_bad_line_is_skipped_and_reported_everywhere(table: Path, journal: Path, gwgk, kind: str) -> None:
    line, words = BAD_LINES[kind]
    ok = good(id="a00000000006", task=6, to="done")
    journal.write_text(f"{line}\n{ok}\n", encoding="utf-8")
    for command in (["list", "--format", "json"], ["show", "4"], ["show", "4", "--format", "json"], ["log"],
                    ["log", "--format", "csv"], ["export"], ["export", "--format", "csv"], ["report"],
                    ["report", "--format", "html"], ["warn"], ["units"]):
        result = gwgk(*command)
        assert result.exit_code == 0, (command, result.output)
        assert f"警告：{journal}:1: " in result.stderr and words in result.stderr, (command, result.stderr)
        assert "\x00" not in result.stdout
    doctor = gwgk("doctor")
    assert doctor.exit_code == 1
    assert f"{journal}:1: " in doctor.stdout and words in doctor.stdout
    assert json.loads(run_ok(gwgk, "list", "--format", "json").stdout)[5]["status"] == "done"


def test_many_damaged_lines_are_one_warning(table: Path, journal: Path, gwgk) -> None:
    journal.write_text(good() + "\n" + "garbage\n" * 50 + good(id="a00000000006", task=6) + "\n", encoding="utf-8")
    result = run_ok(gwgk, "list", "--format", "json")
    warnings = [x for x in result.stderr.splitlines() if x.startswith("警告：")]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"警告：{journal}:2: 50 行损坏或无效，首个在第 2 行（此行无效：")
    assert warnings[0].endswith("；gwgk doctor 列出全部")
    doctor = gwgk("doctor")
    assert doctor.exit_code == 1
    assert [x.split(": ")[0] for x in doctor.stdout.splitlines()[2:-1]] == [f"{journal}:{n}" for n in range(2, 52)]
    assert doctor.stdout.endswith("发现 50 处问题。\n")


def test_doctor_reports_what_replay_would_hide(table: Path, journal: Path, gwgk) -> None:
    journal.write_text("\n".join([
        good(),
        good(id="a00000000006", task=6, date="2021-11-30"),  # after --today 2021-11-22: not in force
        good(id="a00000000004", task=5),  # the same id again
        json.dumps({"id": "b1", "at": "", "date": "2021-11-21", "by": "李明", "task": 4, "op": "undo",
                    "undoes": "ffffffffffff"}),
    ]) + "\n", encoding="utf-8")
    doctor = gwgk("doctor")
    assert doctor.exit_code == 1
    assert doctor.stdout.splitlines()[2:] == [
        f"{journal}:2: 日期 2021-11-30 晚于参照日期 2021-11-22，尚未生效",
        f"{journal}:3: 记录编号 a00000000004 与第 1 行重复，内容不同：两条都计入；编号应唯一，请核对后改正其中一条的编号"
        "（撤销时无法区分它们）",
        f"{journal}:4: 撤销的记录 ffffffffffff 不存在",
        "发现 3 处问题。",
    ]
    # Not in force on 11-22; in force from 11-30.
    assert json.loads(run_ok(gwgk, "show", "6", "--format", "json").stdout)["status"] == "todo"
    assert json.loads(run_ok(gwgk, "--today", "2021-11-30", "show", "6", "--format", "json").stdout)["status"] == "doing"
    assert gwgk("--today", "2021-11-30", "doctor").stdout.count("尚未生效") == 0


# --------------------------------------------------------------------------- undo: whose, which, what depends on it


def test_undo_a_named_entry_by_prefix(table: Path, journal: Path, gwgk) -> None:
    run_ok(gwgk, "note", "6", "李明的进展", "--by", "李明")
    run_ok(gwgk, "note", "7", "我的进展")
    target = lines(journal)[0]["id"]
    out = run_ok(gwgk, "undo", target[:6]).stdout
    assert out == f"已撤销：任务 6 的进展“李明的进展”（李明 2021-11-22 登记，记录 {target}）。\n"
    undo = lines(journal)[-1]
    assert (undo["op"], undo["undoes"], undo["by"]) == ("undo", target, "测试员")
    again = gwgk("undo", target)
    assert again.exit_code == 2 and f"记录 {target} 已于 2021-11-22 被撤销" in again.stderr


@pytest.mark.parametrize(("ref", "message"), [
    ("abc", "太短"),
    ("ffff", "没有编号为 ffff 的记录"),
])
def test_undo_a_bad_entry_reference(table: Path, journal: Path, gwgk, ref: str, message: str) -> None:
    run_ok(gwgk, "note", "6", "x")
    before = journal.read_bytes()
    result = gwgk("undo", ref)
    assert result.exit_code == 2 and message in result.stderr
    assert journal.read_bytes() == before


def test_undo_an_ambiguous_prefix(table: Path, journal: Path, gwgk) -> None:
    journal.write_text(good(id="abcd00000001") + "\n" + good(id="abcd00000002", task=5) + "\n", encoding="utf-8")
    result = gwgk("undo", "abcd")
    assert result.exit_code == 2 and "不唯一" in result.stderr


def test_undo_of_a_status_change_a_later_one_builds_on_is_refused(table: Path, journal: Path, gwgk) -> None:
    run_ok(gwgk, "start", "4", "--date", "2021-11-20")
    run_ok(gwgk, "done", "4", "--by", "李明")
    first, second = (x["id"] for x in lines(journal))
    result = gwgk("undo", first)
    assert result.exit_code == 2
    assert result.stderr == (f"错误：任务 4 在此之后还有状态变更 2021-11-22 推进中 → 已完成（记录 {second}，李明），"
                             f"它以记录 {first} 为前提；请先撤销它：gwgk undo {second}\n")
    run_ok(gwgk, "undo", second)
    run_ok(gwgk, "undo", first)
    assert json.loads(run_ok(gwgk, "show", "4", "--format", "json").stdout)["status"] == "todo"


def test_an_undo_is_in_force_from_its_date(table: Path, journal: Path, gwgk) -> None:
    run_ok(gwgk, "done", "4", "--date", "2021-11-10")
    run_ok(gwgk, "undo")  # dated 2021-11-22
    on = {d: json.loads(run_ok(gwgk, "--today", d, "show", "4", "--format", "json").stdout)["status"]
          for d in ("2021-11-09", "2021-11-15", "2021-11-22")}
    assert on == {"2021-11-09": "todo", "2021-11-15": "done", "2021-11-22": "todo"}


# --------------------------------------------------------------------------- evidence


@posix_only
def test_evidence_paths(table: Path, journal: Path, gwgk, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (table.parent / "佐证").mkdir()
    (table.parent / "佐证" / "台账.docx").write_bytes(b"x")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(table.parent / "佐证")
    result = run_ok(gwgk, "done", "4", "--evidence", "台账.docx")
    assert result.stderr == f"已记入 {journal}（任务表 {table}）\n"
    monkeypatch.chdir(elsewhere)
    result = run_ok(gwgk, "done", "5", "--evidence", "/nonexistent/台账.docx")
    assert result.stderr == ("警告：佐证材料 /nonexistent/台账.docx 不存在（仍已登记；请核对路径）\n"
                             f"已记入 {journal}（任务表 {table}）\n")
    run_ok(gwgk, "done", "6", "--evidence", "https://example.org/a b?x=1")
    run_ok(gwgk, "done", "7", "--evidence", "../x.pdf")  # the table's folder is tmp_path
    outside = table.parent.parent / "gwgk-outside.pdf"
    outside.write_bytes(b"x")
    result = run_ok(gwgk, "done", "8", "--evidence", "../../gwgk-outside.pdf")  # found by a clerk tester: C:\Users\…
    assert result.stderr == (f"提示：佐证材料 {outside} 不在任务表所在的文件夹中，其他电脑可能打不开（可先复制到任务表所在的"
                             f"共用文件夹，或登记网址）\n已记入 {journal}（任务表 {table}）\n")
    # A web address without its scheme is one, kept as written (found by a tester: www…//ysjs became a file path).
    web = run_ok(gwgk, "done", "9", "--evidence", "www.huainan.gov.cn/xxgk//ysjs")
    assert web.stderr == f"已记入 {journal}（任务表 {table}）\n"
    run_ok(gwgk, "done", "10", "--evidence", "huainan.gov.cn/xxgk/ysjs.html")
    stored = {x["task"]: x["evidence"] for x in lines(journal)}
    assert stored == {4: "佐证/台账.docx", 5: "/nonexistent/台账.docx", 6: "https://example.org/a b?x=1",
                      7: "x.pdf", 8: str(outside), 9: "www.huainan.gov.cn/xxgk//ysjs", 10: "huainan.gov.cn/xxgk/ysjs.html"}


def test_evidence_is_relative_to_the_table_not_the_working_directory(table: Path, journal: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (table.parent / "docs").mkdir()
    (table.parent / "docs" / "a.pdf").write_bytes(b"%PDF")
    monkeypatch.chdir(table.parent / "docs")
    result = subprocess.run([console_script(), "done", "4", "--evidence", "a.pdf"], capture_output=True, text=True,
                            encoding="utf-8", timeout=60)
    assert result.returncode == 0, result.stderr
    assert lines(journal)[0]["evidence"] == "docs/a.pdf"


# --------------------------------------------------------------------------- the task table


def _task_block(text: str, task_id: int) -> tuple[int, int]:
    """(start, end) offsets of one task's block in the table text."""
    start = text.index(f"  - id: {task_id}\n")
    end = text.index("  - id: ", start + 5)
    return start, end


def test_a_yaml_alias_bomb_is_refused_quickly(table: Path, gwgk) -> None:
    text = table.read_text(encoding="utf-8")
    bomb = "".join(f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 12))
    table.write_text("x0: &a0 [\"lol\"]\n" + bomb + text, encoding="utf-8")
    result = subprocess.run([console_script(), "--file", str(table), "list"], capture_output=True, text=True,
                            encoding="utf-8", timeout=60)
    assert result.returncode == 2
    assert result.stderr == f"错误：{table}:1:5: YAML 格式错误：不支持 YAML 别名（*）：请把内容直接写出\n"


def test_an_alias_inside_a_task_field_is_refused(table: Path, gwgk) -> None:
    text = table.read_text(encoding="utf-8")
    start, end = _task_block(text, 5)
    block = text[start:end].replace("    title: ", "    title: &t ", 1) + "    notice_progress: *t\n"
    table.write_text(text[:start] + block + text[end:], encoding="utf-8")
    result = gwgk("list")
    assert result.exit_code == 2
    assert "不支持 YAML 别名" in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("key", ["id", "deadline", "title"])
def test_a_duplicate_key_is_an_error_with_its_line(table: Path, gwgk, key: str) -> None:
    text = table.read_text(encoding="utf-8")
    start, end = _task_block(text, 7)
    line = text[:end].count("\n") + 1  # the line the repeated key is added on
    table.write_text(text[:end] + f"    {key}: 99\n" + text[end:], encoding="utf-8")
    first = text[:start].count("\n") + 1 + [x.split(":")[0].strip() for x in text[start:end].splitlines()].index(
        "- id" if key == "id" else key)
    for command in (["list"], ["doctor"]):
        result = gwgk(*command)
        message = f"{table}:{line}:5: YAML 格式错误：重复的键 '{key}'（第 {first} 行已有）"
        if command == ["doctor"]:
            assert result.exit_code == 1 and message in result.stdout.splitlines()
        else:
            assert result.exit_code == 2 and result.stderr == f"错误：{message}\n"


def test_a_long_bad_value_is_quoted_short(table: Path, gwgk) -> None:
    text = table.read_text(encoding="utf-8")
    start, end = _task_block(text, 3)
    table.write_text(text[:end] + "    extra: " + "很长" * 5000 + "\n" + text[end:], encoding="utf-8")
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("  - id: 3\n", "  - id: [" + ", ".join(["1"] * 5000) + "]\n", 1), encoding="utf-8")
    result = gwgk("doctor")
    assert result.exit_code == 1
    assert all(len(x) < 200 for x in result.stdout.splitlines()), result.stdout


@pytest.mark.parametrize("published", ["20210910", "2021-W36-5"])
def test_a_table_date_must_be_yyyy_mm_dd(table: Path, gwgk, published: str) -> None:
    text = table.read_text(encoding="utf-8")
    import re

    table.write_text(re.sub(r"published: .*", f'published: "{published}"', text, count=1), encoding="utf-8")
    result = gwgk("list")
    assert result.exit_code == 2 and "应为日期 YYYY-MM-DD" in result.stderr


# --------------------------------------------------------------------------- a write reads only its tasks' lines


_entry_line = st.builds(
    lambda task, op, spaced, day: (json.dumps if not spaced else (lambda d, **_: json.dumps(d, indent=None)))(
        {"id": f"{task:04x}{day:08x}", "date": f"2021-11-{day:02d}", "by": "甲", "task": task, "op": op,
         **({"to": "doing"} if op == "status" else {"note": '"task":4 in a note'})},
        **({} if spaced else {"separators": (",", ":")})),
    st.integers(1, 45), st.sampled_from(["status", "note"]), st.booleans(), st.integers(1, 30))
_junk_line = st.sampled_from(["", "garbage", '{"task":4', '{"task": 4, "op": "delete"}', "[[[]]]", '{"task":40}'])


@settings(max_examples=60, deadline=None)
@given(lines_=st.lists(st.one_of(_entry_line, _junk_line), max_size=30), ids=st.sets(st.integers(1, 45), max_size=3),
       bom=st.booleans())
def test_parse_task_lines_is_the_full_parse_filtered(lines_: list[str], ids: set[int], bom: bool) -> None:
    data = ("\ufeff" if bom else "") + "\n".join(lines_)
    raw = data.encode("utf-8")
    full, _ = journal_mod.parse_entries(raw, "j")
    assert journal_mod.parse_task_lines(raw, "j", ids) == [e for e in full if e.task in ids]


@pytest.mark.parametrize("cache", ["on", "off"])
def test_a_journal_that_cannot_be_read_is_an_error_not_empty(table: Path, journal: Path, gwgk,
                                                               monkeypatch: pytest.MonkeyPatch, cache: str) -> None:
    from gwgk_cli import reading

    if cache == "off":
        monkeypatch.setenv("GWGK_NO_CACHE", "1")
    run_ok(gwgk, "done", "4")
    run_ok(gwgk, "list")  # cached
    real = reading.read_regular

    def no_permission(path: Path, limit: int) -> bytes:
        if path.name.endswith(".jsonl"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real(path, limit)

    monkeypatch.setattr(reading, "read_regular", no_permission)
    journal.touch()  # a new stamp: the cache cannot answer
    for command in (["list"], ["show", "4"], ["note", "4", "x"], ["undo"]):
        result = gwgk(*command)
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr == (f"错误：{journal}: 无法读取进展记录：没有读取权限（请检查共享文件夹的访问权限，"
                                 "或请管理员开放）\n"), command


def test_evidence_from_the_core_defaults_to_the_journals_folder(table: Path, journal: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """change_status called by other code (gwgk sheet in) stores paths as the CLI does."""
    import datetime as dt

    from gwgk_cli.actions import change_status

    (table.parent / "a.pdf").write_bytes(b"%PDF")
    monkeypatch.chdir(table.parent)
    outcome = change_status(journal, None, [4, 5], "done", by="甲", when=dt.date(2021, 11, 22), evidence="a.pdf")
    assert [e.evidence for e in outcome.written] == ["a.pdf", "a.pdf"] and outcome.evidence_missing == ""


_json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.floats(allow_nan=False) | st.text(max_size=8)
    | st.sampled_from(["todo", "doing", "done", "blocked", "status", "note", "undo", "2021-11-22", "\ud800"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8)
_fields = ["id", "at", "date", "by", "task", "op", "from", "to", "percent", "note", "evidence", "undoes"]


@settings(max_examples=300, deadline=None)
@given(record_=st.dictionaries(st.sampled_from(_fields), _json_value, max_size=12), raw=st.text(max_size=60))
def test_parse_line_only_ever_raises_value_error(record_: dict, raw: str) -> None:  # type: ignore[type-arg]
    """Any JSON object or text: an Entry whose fields have their types, or a ValueError (a skipped line)."""
    for line in (json.dumps(record_), json.dumps(record_, ensure_ascii=False), raw):
        try:
            entry = parse_line(line)
        except ValueError:
            continue
        assert isinstance(entry.task, int) and isinstance(entry.by, str) and isinstance(entry.note, str)
        assert "\x00" not in entry.note + entry.by + entry.evidence + entry.id
        entry.to_json().encode("utf-8")  # writable back, no lone surrogate


_yaml_leaf = st.none() | st.booleans() | st.integers(-3, 40) | st.text(max_size=6) | st.sampled_from(
    ["年底前", "2021-09-10", "各相关科室", "*a", "&a x", "{", "- x", "a: b", "1", "0x10", "2021-13-40"])
_yaml_value = st.recursive(_yaml_leaf, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(["id", "no", "title", "units", "name", "aliases", "deadline", "section", "subsection",
                     "requirement", "leads", "tasks", "sections", "meta", "x"]), inner, max_size=4), max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(top=st.dictionaries(st.sampled_from(["schema_version", "meta", "units", "sections", "tasks", "settings",
                                            "source", "repairs", "extra"]), _yaml_value, max_size=9),
       tail=st.text(max_size=30))
def test_any_table_is_a_table_or_one_table_error(top: dict, tail: str) -> None:  # type: ignore[type-arg]
    import tempfile

    import yaml

    from gwgk_cli.errors import TableError
    from gwgk_cli.table import check_table

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.yaml"
        for text in (yaml.safe_dump(top, allow_unicode=True), yaml.safe_dump(top) + tail):
            path.write_text(text, encoding="utf-8")
            try:
                check_table(path)
            except TableError as exc:  # one line, of bounded length (excerpts are cut short)
                assert "\n" not in str(exc) and len(str(exc)) <= len(str(path)) + 300, str(exc)


def test_a_control_character_in_the_table_is_one_line_with_its_place(table: Path, gwgk) -> None:
    text = table.read_text(encoding="utf-8")
    line = text[: text.index("  - id: 9\n")].count("\n") + 2  # the line after "- id: 9"
    start = text.index("  - id: 9\n") + len("  - id: 9\n")
    table.write_text(text[:start] + "    \x1b" + text[start + 4:], encoding="utf-8")
    result = gwgk("list")
    assert result.exit_code == 2
    assert result.stderr == f"错误：{table}:{line}:5: YAML 格式错误：不允许的控制字符 #x001b\n"


def test_doctor_finds_a_backdated_change_that_never_took_effect(table: Path, journal: Path, gwgk) -> None:
    """The issue's journal, as an older gwgk wrote it: done 28 --date 12-01 recorded after start 12-17."""
    journal.write_text(good(id="a00000000001", task=28, date="2021-12-17") + "\n"
                       + good(id="a00000000002", task=28, date="2021-12-01", **{"from": "todo", "to": "done"}) + "\n",
                       encoding="utf-8")
    doctor = gwgk("--today", "2021-12-31", "doctor")
    assert doctor.exit_code == 1
    assert doctor.stdout.splitlines()[2:] == [
        f"{journal}:2: 任务 28 的“已完成”（2021-12-01）补记在第 1 行 2021-12-17 的“推进中”之后，被它覆盖而未生效；"
        "请 gwgk undo a00000000002 后以 --date 2021-12-17 或更晚重新登记",
        "发现 1 处问题。",
    ]
    run_ok(gwgk, "--today", "2021-12-31", "undo", "a00000000002")  # the fix it names works
    run_ok(gwgk, "--today", "2021-12-31", "done", "28", "--date", "2021-12-17")
    assert gwgk("--today", "2021-12-31", "doctor").exit_code == 0
    assert json.loads(run_ok(gwgk, "--today", "2021-12-31", "show", "28", "--format", "json").stdout)["status"] == "done"


GBK_HINT = "不是 UTF-8 编码的文本，看起来是 GBK/GB18030（“ANSI”）编码：请用记事本或 WPS 另存为 UTF-8 编码后再试"


@pytest.mark.parametrize("data,message", [
    ("a: 1\ntitle: 政务公开重点工作\n".encode("gb18030"), "2: " + GBK_HINT),
    ("标题: 政务公开\n".encode("gbk"), "1: " + GBK_HINT),
    ("a: 1\nb: 政务公开".encode() + b"\xe6\x96\n", "2: 不是有效的 UTF-8 文本（第 21 字节起：字符损坏或被截断）"),
    (b"a: \xff\n", "1: 不是有效的 UTF-8 文本（第 4 字节起：字符损坏或被截断）"),
])
def test_a_table_not_in_utf8_is_refused_saying_where_and_how_to_fix(tmp_path: Path, data: bytes, message: str) -> None:
    """GBK/GB18030 ("ANSI", what old Notepad and some WPS versions save) is named with the fix; damaged
    UTF-8 is not mistaken for it. Never read under a guessed encoding: the table is the truth."""
    table = tmp_path / "tasks.yaml"
    table.write_bytes(data)
    result = subprocess.run([console_script(), "--file", str(table), "list"], capture_output=True, text=True,
                            encoding="utf-8", timeout=30)
    assert result.returncode == 2
    assert result.stderr == f"错误：{table}:{message}\n"


@pytest.mark.parametrize("cache", ["index", "files"])
def test_hand_written_lines_the_cli_would_refuse_read_the_same_in_every_view(
        gwgk, journal: Path, cache: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A "done at 40%" line is 100% done in list, JSON and the 周报 alike; an extension written by hand on a
    持续推进 task does not make it red (ongoing tasks are never red; `extend` refuses them)."""
    if cache == "files":
        monkeypatch.setenv("GWGK_NO_CACHE", "1")
    journal.write_text(
        '{"id":"d1","at":"2021-11-01T09:00:00+08:00","date":"2021-11-01","by":"甲","task":1,"op":"status",'
        '"from":"todo","to":"done","percent":40}\n'
        '{"id":"e1","at":"2021-11-01T09:00:00+08:00","date":"2021-11-01","by":"甲","task":24,"op":"extend",'
        '"due":"2021-11-10","note":"手写"}\n', encoding="utf-8")
    recs = {r["id"]: r for r in json.loads(gwgk("--today", "2021-11-22", "list", "--collective", "--format",
                                                 "json").stdout)}
    assert (recs[1]["status"], recs[1]["percent"]) == ("done", 100)
    assert recs[24]["signal"] != "red" and recs[24]["due"] is None
    warned = gwgk("--today", "2021-11-22", "warn").stdout
    assert "\t24\t" not in warned or "逾期" not in warned.split("\t24\t")[1].split("\n")[0]
