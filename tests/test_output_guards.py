"""`report -o` and `export -o`: never over the table or journal in use, never over a device, a FIFO or
a dangling link, an existing file only with --force, no folder created; each refusal is one line and
changes nothing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

COMMANDS = [["report", "--week", "2021-W47"], ["export", "--format", "csv"]]
IDS = ["report", "export"]


def refused(result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == f"错误：{message}\n"


def folder_state(folder: Path) -> dict[str, bytes | str]:
    state: dict[str, bytes | str] = {}
    for p in sorted(folder.iterdir()):
        state[p.name] = f"-> {os.readlink(p)}" if p.is_symlink() else (p.read_bytes() if p.is_file() else "dir")
    return state


@pytest.fixture
def with_progress(table: Path, gwgk, journal: Path) -> Path:
    assert gwgk("start", "4", "--note", "开始").exit_code == 0
    return journal


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
def test_never_over_the_table_in_use(gwgk, table: Path, with_progress: Path, command: list[str],
                                     force: list[str]) -> None:
    before = folder_state(table.parent)
    refused(gwgk(*command, "-o", str(table), *force), f"{table}: 是正在使用的任务表，不能覆盖（请另选输出文件名）")
    assert folder_state(table.parent) == before


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
def test_never_over_the_journal_in_use(gwgk, table: Path, with_progress: Path, command: list[str],
                                       force: list[str]) -> None:
    before = folder_state(table.parent)
    refused(gwgk(*command, "-o", str(with_progress), *force),
            f"{with_progress}: 是正在使用的进展记录，不能覆盖（请另选输出文件名）")
    assert folder_state(table.parent) == before


@pytest.mark.parametrize("command", COMMANDS + [["list", "--format", "json"]], ids=IDS + ["list"])
@pytest.mark.parametrize(("name", "role"), [
    ("tasks_2021.progress.jsonl.lock", "写入锁文件"),  # replaced, the next writer would lock a new file
    ("tasks_2021.remind-log.jsonl", "催办发送记录"),
    ("tasks_2021.remind-log.jsonl.lock", "写入锁文件"),
])
def test_never_over_the_files_gwgk_keeps_beside_the_journal(gwgk, table: Path, with_progress: Path,
                                                           command: list[str], name: str, role: str) -> None:
    target = table.with_name(name)
    target.write_bytes(b"")
    before = folder_state(table.parent)
    refused(gwgk(*command, "-o", str(target), "--force"), f"{target}: 是正在使用的{role}，不能覆盖（请另选输出文件名）")
    assert folder_state(table.parent) == before


def test_never_into_the_send_log_directory(gwgk, table: Path, with_progress: Path) -> None:
    folder = table.with_name("tasks_2021.remind-log")
    folder.mkdir()
    refused(gwgk("export", "--format", "csv", "-o", str(folder / "x.csv")),
            f"{folder / 'x.csv'}: 在正在使用的催办发送记录目录 {folder} 中，不能写入（请另选位置）")


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_never_creates_the_journal_in_use(gwgk, table: Path, journal: Path, command: list[str]) -> None:
    assert not journal.exists()
    refused(gwgk(*command, "-o", str(journal), "--force"), f"{journal}: 是正在使用的进展记录，不能覆盖（请另选输出文件名）")
    assert not journal.exists()


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_not_through_another_name_for_the_table(gwgk, table: Path, command: list[str], tmp_path: Path) -> None:
    link = tmp_path / "link.yaml"
    link.symlink_to(table)
    before = table.read_bytes()
    refused(gwgk(*command, "-o", str(link), "--force"), f"{link}: 是正在使用的任务表，不能覆盖（请另选输出文件名）")
    assert table.read_bytes() == before and link.is_symlink()


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_existing_file_needs_force(gwgk, table: Path, command: list[str], tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("旧内容", encoding="utf-8")
    refused(gwgk(*command, "-o", str(target)), f"{target} 已存在，未覆盖（确认覆盖请加 --force）")
    assert target.read_text(encoding="utf-8") == "旧内容"
    result = gwgk(*command, "-o", str(target), "--force")
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") != "旧内容"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_never_over_a_fifo(gwgk, table: Path, command: list[str], tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    refused(gwgk(*command, "-o", str(fifo), "--force"), f"{fifo}: 不是普通文件（设备、管道或目录），未写入")
    import stat

    assert stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.skipif(sys.platform == "win32", reason="/dev/null is POSIX")
@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_never_over_a_device(gwgk, table: Path, command: list[str]) -> None:
    before = os.stat("/dev/null")
    refused(gwgk(*command, "-o", "/dev/null", "--force"), "/dev/null: 不是普通文件（设备、管道或目录），未写入")
    after = os.stat("/dev/null")
    assert (after.st_mode, after.st_rdev) == (before.st_mode, before.st_rdev)


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_symlink_to_a_file_is_followed_and_kept(gwgk, table: Path, command: list[str], tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("旧", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    refused(gwgk(*command, "-o", str(link)), f"{link} 已存在，未覆盖（确认覆盖请加 --force）")
    result = gwgk(*command, "-o", str(link), "--force")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8") != "旧"


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_dangling_symlink_is_refused(gwgk, table: Path, command: list[str], tmp_path: Path) -> None:
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "nowhere" / "x.txt")
    refused(gwgk(*command, "-o", str(link), "--force"), f"{link}: 是指向不存在文件的符号链接，未写入")
    assert link.is_symlink() and not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_missing_parent_is_an_error(gwgk, table: Path, command: list[str], tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "out.txt"
    refused(gwgk(*command, "-o", str(target)), f"{target}: 目录 {target.parent} 不存在（请先创建）")
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_a_new_file_is_written(gwgk, table: Path, command: list[str], tmp_path: Path) -> None:
    target = tmp_path / "new.txt"
    result = gwgk(*command, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("已将") and str(target) in result.stdout
    assert target.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp file left


# --------------------------------------------------------------------------- report --notes: read only a regular file


@pytest.mark.skipif(sys.platform == "win32", reason="/dev/zero and FIFOs are POSIX")
@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
def test_notes_must_be_a_regular_file(gwgk, table: Path, tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        path = tmp_path / "notes.md"
        os.mkfifo(path)
    elif kind == "device":
        path = Path("/dev/zero")
    else:
        path = tmp_path
    refused(gwgk("report", "--week", "2021-W47", "--notes", str(path)),
            f"备注文件 {path} 不是普通文件（设备、管道或目录），未读取")


def test_notes_size_is_capped(gwgk, table: Path, tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_bytes(b"## \xe5\xad\x98\xe5\x9c\xa8\xe9\x97\xae\xe9\xa2\x98\n" + b"x" * (1024 * 1024))
    size = path.stat().st_size
    refused(gwgk("report", "--week", "2021-W47", "--notes", str(path)),
            f"备注文件 {path} 过大（{size} 字节，上限 1 MiB）")


@pytest.mark.parametrize(("name", "why"), [
    ("周报:11月.docx", "含有字符 :"), ("周报?.xlsx", "含有字符 ?"), ('a"b|c.csv', '含有字符 " |'),
    ("周报.", "以点或空格结尾"), ("周报 ", "以点或空格结尾"), ("NUL.docx", "是设备名 NUL"), ("com1.txt", "是设备名 com1"),
])
def test_a_name_windows_cannot_make_is_refused(gwgk, table: Path, tmp_path: Path, name: str, why: str) -> None:
    """Found by a Windows review: -o 周报:11月.docx would write an NTFS stream and fail with a puzzling 参数错误,
    leaving a stray file; the folder is shared with Windows PCs, so the rule holds everywhere."""
    before = folder_state(tmp_path)
    refused(gwgk("report", "--week", "2021-W47", "-o", str(tmp_path / name)),
            f"{tmp_path / name}: 文件名{why}，Windows 不能用（请另取文件名）")
    assert folder_state(tmp_path) == before
