"""A sync client's conflict copy beside a single journal file: gwgk reads only the journal, so `doctor`
names a copy holding changes the journal lacks (found by a clerk test: a 坚果云 copy's entry was in no
view and doctor said nothing)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest


@pytest.mark.parametrize("name", ["tasks_2021.progress (1).jsonl", "tasks_2021.progress(冲突副本 2021-11-22).jsonl",
                                  "tasks_2021.progress-PC-XCK.jsonl", "tasks_2021.progress.jsonl (1)"])
def test_a_copy_with_changes_the_journal_lacks_is_a_problem(gwgk: Any, table: Path, journal: Path, name: str) -> None:
    assert gwgk("note", "3", "两台电脑都有").exit_code == 0
    assert gwgk("note", "4", "只在副本里", "--by", "王芳").exit_code == 0
    data = journal.read_bytes()
    copy = journal.with_name(name)
    copy.write_bytes(data)  # the copy holds both lines, the journal only the first
    journal.write_bytes(data.splitlines(keepends=True)[0])
    result = gwgk("doctor")
    assert result.exit_code == 1
    line = next(x for x in result.stdout.splitlines() if x.startswith(str(copy)))
    assert line == (f"{copy}: 是进展记录 tasks_2021.progress.jsonl 的同步冲突副本，其中 1 条记录不在进展记录中"
                    "（例如任务 4，王芳 2021-11-22），gwgk 不读取副本，这些变更在各视图中都看不到；"
                    "请核对后把这些行复制到进展记录末尾，再删除副本（多台电脑共用时可用 gwgk journal split 改为每台电脑一个文件）")


def test_a_copy_holding_nothing_new_is_a_hint(gwgk: Any, table: Path, journal: Path) -> None:
    assert gwgk("note", "3", "进展").exit_code == 0
    copy = journal.with_name("tasks_2021.progress (1).jsonl")
    shutil.copyfile(journal, copy)
    result = gwgk("doctor")
    assert result.exit_code == 0, result.output
    assert f"提示：{copy}: 是进展记录 tasks_2021.progress.jsonl 的同步冲突副本，其中的记录进展记录里都有，可以删除" in result.stdout


def test_other_files_beside_are_not_copies(gwgk: Any, table: Path, journal: Path) -> None:
    assert gwgk("note", "3", "进展").exit_code == 0
    for name in ("tasks_2021.remind-log.jsonl", "tasks_2022.progress.jsonl", "notes.jsonl"):
        journal.with_name(name).write_text('{"x": 1}\n', encoding="utf-8")
    result = gwgk("doctor")
    assert result.exit_code == 0, result.output
    assert "副本" not in result.stdout
