"""Which task table and journal gwgk uses when none is named: a clerk's folder with tasks_2021.yaml in it,
a checkout's data/, a year's table, several tables (refused), the bundled one (with a warning when a table
with another name sits there), the config key table.file; every write says where it went."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from tests.conftest import TABLE_2021, Runner


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder, the current directory; no GWGK_FILE."""
    work = tmp_path / "政务公开"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("GWGK_TODAY", "2021-11-22")
    return work


def with_review(target: Path) -> Path:
    """A copy of the 2021 table with review: true in its settings."""
    target.parent.mkdir(parents=True, exist_ok=True)
    text = TABLE_2021.read_text(encoding="utf-8").replace("settings:\n", "settings:\n  review: true\n", 1)
    assert "review: true" in text
    target.write_text(text, encoding="utf-8")
    return target


def table_line(gwgk: Runner) -> str:
    """gwgk info's 任务表 line."""
    result = gwgk("info")
    assert result.exit_code == 0, result.output
    return next(line for line in result.stdout.splitlines() if line.startswith("任务表"))


def bundled_journal() -> Path:
    return Path(os.environ["GWGK_DATA_DIR"]) / "tasks_2021.progress.jsonl"


@pytest.mark.parametrize(("place", "how"), [
    ("tasks_2021.yaml", "当前文件夹"),
    ("data/tasks_2021.yaml", "项目目录"),
    ("data/tasks_2022.yaml", "项目目录"),
    ("TASKS_2021.YAML", "当前文件夹"),
])
def test_the_folders_own_table_is_used_and_written_beside(folder: Path, gwgk: Runner, place: str, how: str) -> None:
    table = with_review(folder / place)
    assert table_line(gwgk) == f"任务表        {table}（{how}）"
    done = gwgk("done", "4")
    assert done.exit_code == 0, done.output
    journal = table.with_name(table.stem + ".progress.jsonl")
    assert done.stderr == f"已记入 {Path(place).with_name(journal.name)}（任务表 {place}）\n"
    assert [json.loads(line)["task"] for line in journal.read_text(encoding="utf-8").splitlines()] == [4]
    assert not bundled_journal().exists()
    passed = gwgk("review", "4", "--pass")  # the table's review: true is seen
    assert passed.exit_code == 0, passed.output


def test_a_subfolder_finds_the_table_in_the_folder_above(folder: Path, gwgk: Runner,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The scheduler's layout (起始于 the table's folder) and a clerk in a subfolder of returned sheets."""
    table = with_review(folder / "tasks_2021.yaml")
    (folder / "回收").mkdir()
    monkeypatch.chdir(folder / "回收")
    assert table_line(gwgk) == f"任务表        {table}（上级文件夹）"
    note = gwgk("note", "5", "已发文")
    assert note.exit_code == 0, note.output
    assert note.stderr == f"已记入 {folder / 'tasks_2021.progress.jsonl'}（任务表 {table}）\n"


def test_several_tables_are_refused_and_listed(folder: Path, gwgk: Runner) -> None:
    with_review(folder / "tasks_2021.yaml")
    with_review(folder / "data" / "tasks_2022.yaml")
    result = gwgk("note", "4", "x")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (f"错误：{folder} 中有多个任务表：tasks_2021.yaml、data/tasks_2022.yaml；不知道该用哪一个"
                             "（进展记录随任务表而定），请用 --file 指定，或 gwgk config set table.file 路径 设为默认\n")
    assert sorted(p.name for p in folder.rglob("*")) == ["data", "tasks_2021.yaml", "tasks_2022.yaml"]
    assert not bundled_journal().exists()
    chosen = gwgk("--file", "data/tasks_2022.yaml", "note", "4", "x")
    assert chosen.exit_code == 0, chosen.output


@pytest.mark.parametrize("name", ["tasks_2021(1).yaml", "data/tasks_2021 - 副本.yaml", "tasks.yml"])
def test_the_bundled_table_beside_another_tasks_file_is_warned_about(folder: Path, gwgk: Runner, name: str) -> None:
    (folder / name).parent.mkdir(exist_ok=True)
    shutil.copyfile(TABLE_2021, folder / name)
    result = gwgk("note", "4", "x")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        f"警告：正在使用内置 2021 任务表（进展记入 ~/data/tasks_2021.progress.jsonl），而当前文件夹有 {name}："
        "只有名为 tasks_<年份>.yaml 的任务表才会自动采用，请改名，或用 --file 指定")
    assert result.stderr.splitlines()[1] == "已记入 ~/data/tasks_2021.progress.jsonl（任务表 内置 2021 任务表）"
    assert bundled_journal().is_file()  # the GWGK_DATA_DIR of the tests is below their HOME: shown with ~


def test_the_bundled_table_alone_is_not_warned_about(folder: Path, gwgk: Runner) -> None:
    result = gwgk("note", "4", "x")
    assert result.exit_code == 0 and result.stderr == "已记入 ~/data/tasks_2021.progress.jsonl（任务表 内置 2021 任务表）\n"


def test_the_config_key_table_file(folder: Path, gwgk: Runner, monkeypatch: pytest.MonkeyPatch,
                                   tmp_path: Path) -> None:
    table = with_review(folder / "tasks_2021.yaml")
    refused = gwgk("config", "set", "table.file", "没有.yaml")
    assert refused.exit_code == 2 and refused.stderr == f"错误：配置项 table.file：文件 {folder / '没有.yaml'} 不存在\n"
    assert gwgk("config", "set", "table.file", "tasks_2021.yaml").exit_code == 0  # stored in full
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert table_line(gwgk) == f"任务表        {table}（配置 table.file）"
    done = gwgk("accept", "4")
    assert done.exit_code == 0, done.output
    assert done.stderr == f"已记入 {folder / 'tasks_2021.progress.jsonl'}（任务表 {table}）\n"
    monkeypatch.setenv("GWGK_FILE", str(TABLE_2021))  # the environment still wins over the config file
    assert table_line(gwgk) == f"任务表        {TABLE_2021}（GWGK_FILE）"


def test_nothing_written_says_nothing(folder: Path, gwgk: Runner) -> None:
    with_review(folder / "tasks_2021.yaml")
    assert gwgk("start", "4").exit_code == 0
    again = gwgk("start", "4")
    assert again.exit_code == 0 and again.stderr == "", again.output
