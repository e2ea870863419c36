"""Paths too long for Windows (over MAX_PATH, 260 characters, where long paths are not enabled): one line
naming the path and saying to use a shorter folder, for output files, the journal, the table and the cache.

Linux takes paths of 4,096 bytes, so Windows is simulated: gwgk_cli.paths.on_windows() is True (os.name
cannot be "nt": pathlib would make WindowsPaths) and the OS calls fail on a long path as Windows' do (FileNotFoundError, ERROR_PATH_NOT_FOUND: 260 characters and more, 248 for a new
folder). Found by a hostile test: each of these was a bare “系统找不到指定的路径”, a “目录不存在” for a folder
that exists, or — for a journal just past the limit beside a table just under it — no error at all: every
task shown as 未开始.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import TABLE_2021, Runner
from gwgk_cli.paths import MAX_DIR, MAX_PATH, long_path_advice, too_long

SHEET = "行财科-推进情况填报表-2021-W47.xlsx"


def deep_folder(base: Path, length: int) -> Path:
    """A folder (made, on Linux) whose absolute path is exactly `length` characters long."""
    folder = base.absolute()
    need = length - len(str(folder))  # each part takes its length plus a separator
    assert need >= 3
    parts = []
    while need > 0:
        size = min(60, need - 1)
        if need - (size + 1) == 1:  # never leave one character: a part needs two (separator and name)
            size -= 1
        parts.append(size)
        need -= size + 1
    for size in parts:
        folder = folder / ("政务公开重点工作任务分工" * 10)[:size]
    folder.mkdir(parents=True, exist_ok=True)
    assert len(str(folder)) == length
    return folder


@pytest.fixture
def windows_limits(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call the returned function to act as Windows without long paths from then on."""
    def long(path: Any, limit: int = MAX_PATH) -> bool:
        return isinstance(path, (str, bytes, os.PathLike)) and len(os.path.abspath(os.fsdecode(path))) >= limit

    def refuse(path: Any, limit: int = MAX_PATH) -> None:
        if long(path, limit):
            raise FileNotFoundError(errno.ENOENT, "系统找不到指定的路径。", os.fsdecode(path))

    def one(real: Callable[..., Any], limit: int = MAX_PATH) -> Callable[..., Any]:
        def call(path: Any = ".", *args: Any, **kwargs: Any) -> Any:
            refuse(path, limit)
            return real(path, *args, **kwargs)
        return call

    def two(real: Callable[..., Any]) -> Callable[..., Any]:
        def call(source: Any, target: Any, *args: Any, **kwargs: Any) -> Any:
            refuse(source)
            refuse(target)
            return real(source, target, *args, **kwargs)
        return call

    def act() -> None:
        monkeypatch.setattr("gwgk_cli.paths.on_windows", lambda: True)
        for name in ("open", "stat", "lstat", "listdir", "scandir", "unlink", "chmod"):
            monkeypatch.setattr(os, name, one(getattr(os, name)))
        monkeypatch.setattr(os, "mkdir", one(os.mkdir, MAX_DIR))
        for name in ("replace", "rename", "link"):
            monkeypatch.setattr(os, name, two(getattr(os, name)))

    return act


def test_a_sheet_whose_temp_file_goes_past_the_limit_is_one_line_naming_it(
        table: Path, gwgk: Runner, tmp_path: Path, windows_limits: Callable[[], None]) -> None:
    folder = deep_folder(tmp_path, MAX_PATH - len(SHEET) - 4)  # the sheet just fits; its temp file does not
    target = folder / SHEET
    windows_limits()
    result = gwgk("sheet", "out", "--unit", "行财科", "-o", str(target))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"错误：无法写入 {target}: {long_path_advice(target)}\n"
    assert "路径过长（257 个字符；" in result.stderr and "请改用层级少、名称短的文件夹（例如 D:\\gwgk）" in result.stderr
    assert os.listdir(folder) == []


@pytest.mark.parametrize("command", [("sheet", "out", "--unit", "行财科", "-o"), ("export", "--format", "csv", "-o"),
                                     ("report", "--week", "2021-W47", "-o")])
def test_an_output_folder_past_the_limit_is_not_called_missing(
        table: Path, gwgk: Runner, tmp_path: Path, windows_limits: Callable[[], None], command: tuple[str, ...]) -> None:
    folder = deep_folder(tmp_path, MAX_PATH + 5)  # there, but Windows says it is not
    target = folder / "输出.xlsx"
    windows_limits()
    result = gwgk(*command, str(target))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"错误：无法写入 {target}: {long_path_advice(target)}\n"


def test_a_returned_sheet_past_the_limit_is_not_called_missing(
        table: Path, gwgk: Runner, tmp_path: Path, windows_limits: Callable[[], None]) -> None:
    folder = deep_folder(tmp_path, MAX_PATH - len(SHEET) + 3)
    assert gwgk("sheet", "out", "--unit", "行财科", "-o", str(folder)).exit_code == 0
    returned = folder / SHEET
    windows_limits()
    result = gwgk("sheet", "in", str(returned))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"问题：{returned}: 无法读取此文件: {long_path_advice(returned)}"


def test_a_folder_for_every_units_sheet_past_the_limit(table: Path, gwgk: Runner, tmp_path: Path,
                                                        windows_limits: Callable[[], None]) -> None:
    parent = deep_folder(tmp_path, MAX_DIR - 6)
    folder = parent / "第47周填报表"
    windows_limits()
    result = gwgk("sheet", "out", "--all-units", "-o", str(folder))
    assert result.exit_code == 1
    assert result.stderr == f"错误：无法读写 {folder}：{long_path_advice(folder)}\n"
    assert not folder.exists()


def test_a_journal_past_the_limit_beside_a_table_under_it_is_not_an_empty_journal(
        tmp_path: Path, gwgk: Runner, monkeypatch: pytest.MonkeyPatch, windows_limits: Callable[[], None]) -> None:
    folder = deep_folder(tmp_path, MAX_PATH - len("tasks_2021.progress.jsonl") + 2)
    table = folder / "tasks_2021.yaml"
    shutil.copyfile(TABLE_2021, table)
    journal = folder / "tasks_2021.progress.jsonl"
    monkeypatch.setenv("GWGK_FILE", str(table))
    monkeypatch.setenv("GWGK_TODAY", "2021-11-22")
    assert gwgk("start", "4", "--note", "已启动").exit_code == 0
    before = journal.read_bytes()
    windows_limits()
    for args, what in ((("list",), "读取"), (("show", "4"), "读取"), (("note", "4", "又一条"), "写入")):
        result = gwgk(*args)
        assert (result.exit_code, result.stdout) == (2, ""), args
        assert result.stderr == f"错误：{journal}: 无法{what}进展记录：{long_path_advice(journal)}\n"
    monkeypatch.undo()
    assert journal.read_bytes() == before


def test_a_table_past_the_limit_is_not_called_missing(tmp_path: Path, gwgk: Runner, windows_limits: Callable[[], None]
                                                      ) -> None:
    folder = deep_folder(tmp_path, MAX_PATH - 10)
    table = folder / "tasks_2021.yaml"
    shutil.copyfile(TABLE_2021, table)
    windows_limits()
    result = gwgk("--file", str(table), "list")
    assert result.exit_code == 2
    assert result.stderr == f"错误：{table}: 无法读取：{long_path_advice(table)}\n"
    missing = gwgk("--file", str(tmp_path / "nowhere.yaml"), "list")  # a short path really missing: as before
    assert missing.stderr.startswith("错误：找不到任务表文件 ")


def test_a_cache_folder_past_the_limit_is_named_with_the_variable(
        table: Path, journal: Path, gwgk: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        windows_limits: Callable[[], None]) -> None:
    journal.with_name("tasks_2021.progress").mkdir()  # a journal directory: its write lock is in the cache
    cache = deep_folder(tmp_path / "c", MAX_DIR - 3) / "gwgk-cache"
    monkeypatch.setenv("GWGK_CACHE_DIR", str(cache))
    windows_limits()
    result = gwgk("note", "4", "x")
    assert result.exit_code == 2
    assert result.stderr == (f"错误：{cache}: 无法在缓存目录中建立写入锁：{long_path_advice(cache)}；未写入"
                             "（可用环境变量 GWGK_CACHE_DIR 改用其他目录）\n")


def test_a_name_too_long_for_the_file_system_is_said_so(table: Path, gwgk: Runner, tmp_path: Path) -> None:
    """Not simulated: Linux refuses a name over 255 bytes with ENAMETOOLONG."""
    target = tmp_path / ("推进情况" * 30 + ".csv")
    result = gwgk("export", "--format", "csv", "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == f"错误：无法写入 {target}: 文件名或文件夹名过长（“推进情况推进情况推进情况推进情况推进情况…”124 个字符），请改用较短的名称\n"


def test_windows_error_206_is_too_long_whatever_the_length() -> None:
    exc = OSError(errno.ENOENT, "文件名或扩展名太长。", "C:\\a.xlsx")
    exc.winerror = 206  # type: ignore[attr-defined]  # set by Windows only
    assert too_long(exc)
    assert not too_long(FileNotFoundError(errno.ENOENT, "x", "C:\\a.xlsx"))  # not Windows, short: really missing
