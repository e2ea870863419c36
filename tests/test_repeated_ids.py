"""One rule for an entry id found more than once, the same on every path (a single file, a journal directory,
the index and a no-cache read, split, join, doctor, undo): the same id with the same content is one entry (a
copy), counted once; the same id with different content is two entries, both in force, named by doctor and
refused by join and by `undo ID` (journal_entry: the rule)."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Runner
from gwgk_cli.journal import read_entries
from gwgk_cli.journal_split import split
from gwgk_cli.state import state_as_of

# The tester's journal: the id bbbbbbbbbbbb on two lines with different contents (a hand edit, a union merge).
A = '{"id":"aaaaaaaaaaaa","at":"2021-11-01T09:00:00+08:00","date":"2021-11-01","by":"甲","task":4,"op":"status","from":"todo","to":"doing"}'
B1 = ('{"id":"bbbbbbbbbbbb","at":"2021-11-02T09:00:00+08:00","date":"2021-11-02","by":"甲","task":4,"op":"status",'
      '"from":"doing","to":"done","note":"完成"}')
B2 = ('{"id":"bbbbbbbbbbbb","at":"2021-11-03T09:00:00+08:00","date":"2021-11-03","by":"乙","task":4,"op":"status",'
      '"from":"done","to":"doing","note":"等待"}')  # a reopen: a line gwgk would write (doctor: journal_audit)
# An extension: applied twice it would be two extensions (a copy must count once). Of a task with a due
# date (task 6, 年底前): gwgk refuses to extend an ongoing one, and doctor names such a line.
EXTEND = ('{"id":"cccccccccccc","at":"2021-11-05T09:00:00+08:00","date":"2021-11-05","by":"甲","task":6,"op":"extend",'
          '"due":"2022-01-31","note":"延"}')
REPEAT = "记录编号 bbbbbbbbbbbb 与{where}重复，内容不同：两条都计入；编号应唯一，请核对后改正其中一条的编号（撤销时无法区分它们）"


def seen(gwgk: Runner, *args: str) -> list[dict]:  # type: ignore[type-arg]
    """`show … --format json` through the index, then read from the files (GWGK_NO_CACHE): both must agree."""
    result = gwgk(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    os.environ["GWGK_NO_CACHE"] = "1"
    try:
        direct = gwgk(*args, "--format", "json")
    finally:
        del os.environ["GWGK_NO_CACHE"]
    assert direct.exit_code == 0, direct.output
    assert json.loads(result.stdout) == json.loads(direct.stdout)
    data = json.loads(result.stdout)
    return data if isinstance(data, list) else [data]


def status(gwgk: Runner, task: int) -> str:
    return str(seen(gwgk, "show", str(task))[0]["status"])


def problems(gwgk: Runner) -> list[str]:
    result = gwgk("doctor")
    return result.stdout.splitlines()[2:-1] if result.exit_code == 1 else []


# --------------------------------------------------------------------------- different contents: both in force


def test_an_id_with_two_contents_reads_the_same_before_and_after_split(gwgk: Runner, journal: Path) -> None:
    journal.write_text("\n".join([A, B1, B2]) + "\n", encoding="utf-8")
    assert status(gwgk, 4) == "doing"
    assert problems(gwgk) == [f"{journal}:3: " + REPEAT.format(where="第 2 行")]

    result = gwgk("journal", "split")
    assert result.exit_code == 0 and "3 条记录原样移入" in result.stdout
    folder = journal.with_name("tasks_2021.progress")
    moved = folder / journal.name
    assert status(gwgk, 4) == "doing"  # was 已完成: the directory reader dropped the second line
    assert problems(gwgk) == [f"{moved}:3: " + REPEAT.format(where=f"{journal.name} 第 2 行")]
    assert [r["id"] for r in seen(gwgk, "log")] == ["bbbbbbbbbbbb", "bbbbbbbbbbbb", "aaaaaaaaaaaa"]

    result = gwgk("journal", "join")  # README: join refuses when one id has two contents
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"错误：{moved}:3: 记录编号 bbbbbbbbbbbb 与 {journal.name} 第 2 行相同但内容不同（两条都计入），"
        "合成单个文件后无法区分，未合并；请核对后改正其中一条的编号（gwgk doctor 列出全部）")
    assert not journal.exists() and [p.name for p in folder.iterdir()] == [journal.name]
    assert moved.read_text(encoding="utf-8") == "\n".join([A, B1, B2]) + "\n"


def test_two_writers_files_with_one_id_in_two_contents(gwgk: Runner, journal: Path) -> None:
    folder = journal.with_name("tasks_2021.progress")
    folder.mkdir()
    (folder / "甲@PC-A.jsonl").write_text(A + "\n" + B1 + "\n", encoding="utf-8")
    (folder / "乙@PC-B.jsonl").write_text(B2 + "\n", encoding="utf-8")
    assert status(gwgk, 4) == "doing"
    assert problems(gwgk) == [f"{folder / '乙@PC-B.jsonl'}:1: " + REPEAT.format(where="甲@PC-A.jsonl 第 2 行")]


def test_a_conflict_copy_with_an_id_in_other_content_is_not_to_be_deleted(gwgk: Runner, journal: Path) -> None:
    folder = journal.with_name("tasks_2021.progress")
    folder.mkdir()
    (folder / "甲@PC-A.jsonl").write_text(A + "\n" + B1 + "\n", encoding="utf-8")
    copy = folder / "甲@PC-A (1).jsonl"
    copy.write_text(A + "\n" + B2 + "\n", encoding="utf-8")
    assert status(gwgk, 4) == "doing"
    assert sorted(problems(gwgk)) == [
        f"{copy}: 同步软件生成的甲@PC-A.jsonl 的冲突副本（2 条记录，已合并读取、不重复计）；"
        "其中 1 条不在原文件中，已一并读取，请勿删除",  # was: 其记录原文件都有，核对后可删除
        f"{copy}:2: " + REPEAT.format(where="甲@PC-A.jsonl 第 2 行"),
    ]


# --------------------------------------------------------------------------- the same content: one entry


@pytest.mark.parametrize("form", ["file", "directory"])
def test_a_copied_line_counts_once_everywhere(gwgk: Runner, journal: Path, form: str) -> None:
    journal.write_text(A + "\n" + EXTEND + "\n", encoding="utf-8")
    if form == "directory":
        assert gwgk("journal", "split").exit_code == 0
        path = journal.with_name("tasks_2021.progress") / journal.name
        where = f"{journal.name} 第 2 行"
    else:
        path, where = journal, "第 2 行"
    assert len(seen(gwgk, "show", "6")[0]["extensions"]) == 1  # indexed now
    with path.open("a", encoding="utf-8") as fh:  # a union merge's copy, appended: the index adds only it
        fh.write(EXTEND + "\n")
    assert len(seen(gwgk, "show", "6")[0]["extensions"]) == 1
    assert [r["id"] for r in seen(gwgk, "log")] == ["cccccccccccc", "aaaaaaaaaaaa"]
    assert problems(gwgk) == [
        f"{path}:3: 记录编号 cccccccccccc 与{where}完全相同（同一记录的副本），只计一次；核对后可删去此行"]
    if form == "file":
        assert gwgk("journal", "split").exit_code == 0
        assert len(seen(gwgk, "show", "6")[0]["extensions"]) == 1
    result = gwgk("journal", "join")
    assert result.exit_code == 0, result.output
    assert "冲突副本" not in result.stdout  # there is none: the repeat is in the moved file itself
    assert result.stdout.startswith(f"已合并：2 条记录写入 {journal}（编号和内容都相同的 1 行重复记录只保留一份）。\n")
    assert journal.read_text(encoding="utf-8") == A + "\n" + EXTEND + "\n"
    assert len(seen(gwgk, "show", "6")[0]["extensions"]) == 1


def test_undo_of_a_copied_line(gwgk: Runner, journal: Path) -> None:
    """An undo decides on what every view reads: a copied line is one entry, undone as any other (not refused
    as an id with two contents), and the history shows it once."""
    journal.write_text(A + "\n" + EXTEND + "\n" + EXTEND + "\n", encoding="utf-8")
    result = gwgk("undo", "cccccccccccc")
    assert result.exit_code == 0, result.output
    assert seen(gwgk, "show", "6")[0]["extensions"] == []
    undo = json.loads(journal.read_text(encoding="utf-8").splitlines()[-1])
    assert [r["id"] for r in seen(gwgk, "log")] == [undo["id"], "cccccccccccc", "aaaaaaaaaaaa"]


# --------------------------------------------------------------------------- undo names an id


DUP3 = [
    '{"id":"917c9e11e91b","at":"2021-11-01T09:00:00+08:00","date":"2021-11-01","by":"测试员","task":4,"op":"status","from":"todo","to":"doing"}',
    '{"id":"5fefdedf17e3","at":"2021-11-02T09:00:00+08:00","date":"2021-11-02","by":"测试员","task":4,"op":"status","from":"doing","to":"done"}',
    '{"id":"5fefdedf17e3","at":"2021-11-03T09:00:00+08:00","date":"2021-11-03","by":"乙","task":17,"op":"status","from":"todo","to":"blocked","note":"dup"}',
]


def test_undo_refuses_an_id_with_two_contents(gwgk: Runner, journal: Path) -> None:
    journal.write_text("\n".join(DUP3) + "\n", encoding="utf-8")
    before = journal.read_bytes()
    for args in (["undo", "5fefdedf17e3"], ["undo", "5fef"], ["undo"]):  # `undo`: the caller's latest is that id
        result = gwgk(*args)
        assert result.exit_code == 2, args
        assert result.stderr.strip() == (
            "错误：记录编号 5fefdedf17e3 有 2 条内容不同的记录（第 2 行：任务 4 登记为“已完成”（测试员 2021-11-02）；"
            "第 3 行：任务 17 登记为“受阻”（乙 2021-11-03）），撤销只会撤销其中一个任务的记录，无法确定是哪一条，未撤销；"
            "请先核对进展记录，改正其中一条的编号（gwgk doctor 列出）")
    assert journal.read_bytes() == before
    assert (status(gwgk, 4), status(gwgk, 17)) == ("done", "blocked")
    # Any other entry is undone as usual, by id or as the caller's latest.
    result = gwgk("undo", "--by", "乙")
    assert result.exit_code == 2  # 乙's latest is the ambiguous one too
    journal.write_text("\n".join([*DUP3, DUP3[0].replace("917c9e11e91b", "0123456789ab").replace('"task":4', '"task":6')])
                       + "\n", encoding="utf-8")
    result = gwgk("undo")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("已撤销：任务 6 ")
    assert status(gwgk, 6) == "todo"


def test_an_undo_of_an_id_with_two_contents_reverts_those_of_its_task_everywhere(gwgk: Runner, journal: Path
                                                                                  ) -> None:
    """An undo line already written reverts the entries with the id it names of its own task (state.undone_keys):
    here task 4's, not task 17's, in the file, the directory, the index and a no-cache read alike, and doctor
    says so at the undo line; two entries of its task with the id are both reverted."""
    undo = ('{"id":"9cf91f04d00e","at":"2021-11-22T09:00:00+08:00","date":"2021-11-22","by":"测试员","task":4,'
            '"op":"undo","from":"done","to":"doing","undoes":"5fefdedf17e3"}')
    journal.write_text("\n".join([*DUP3, undo]) + "\n", encoding="utf-8")
    assert (status(gwgk, 4), status(gwgk, 17)) == ("doing", "blocked")
    assert (f"{journal}:4: 撤销的记录编号 5fefdedf17e3 有 2 条内容不同的记录（第 2 行、第 3 行），此撤销只撤销其中任务 4 的"
            "（第 2 行）") in problems(gwgk)
    assert gwgk("journal", "split").exit_code == 0
    assert (status(gwgk, 4), status(gwgk, 17)) == ("doing", "blocked")
    name = journal.name
    moved = journal.with_name("tasks_2021.progress") / name
    assert (f"{moved}:4: 撤销的记录编号 5fefdedf17e3 有 2 条内容不同的记录（{name} 第 2 行、{name} 第 3 行），"
            f"此撤销只撤销其中任务 4 的（{name} 第 2 行）") in problems(gwgk)
    # Two entries of task 4 with the id: the undo reverts both.
    same_task = DUP3[2].replace('"task":17', '"task":4').replace('"from":"todo"', '"from":"doing"')
    journal.with_name("tasks_2021.progress").joinpath(name).write_text(
        "\n".join([*DUP3[:2], same_task, undo]) + "\n", encoding="utf-8")
    assert status(gwgk, 4) == "doing"
    assert (f"{moved}:4: 撤销的记录编号 5fefdedf17e3 有 2 条内容不同的记录（{name} 第 2 行、{name} 第 3 行），都被此撤销"
            in problems(gwgk))


# --------------------------------------------------------------------------- any journal: split reads the same


_LINE = st.fixed_dictionaries({
    "id": st.sampled_from(["a1", "a2", "a3", "a4"]),
    "at": st.sampled_from(["2021-11-22T09:00:00+08:00", "2021-11-22T10:00:00+08:00"]),
    "date": st.sampled_from(["2021-11-01", "2021-11-02", "2021-11-03"]),
    "by": st.just("甲"),
    "task": st.sampled_from([4, 5]),
    "op": st.just("status"),
    "from": st.sampled_from(["todo", "doing"]),
    "to": st.sampled_from(["doing", "done", "blocked"]),
})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_LINE, min_size=1, max_size=10), st.lists(st.integers(0, 9), max_size=4))
def test_split_reads_as_the_file_whatever_the_repeats(rows: list[dict], copies: list[int]) -> None:  # type: ignore[type-arg]
    """Few ids, so they repeat, with the same or other contents, and lines copied as they are: the directory
    split from the file replays exactly as the file."""
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    for n in copies:
        lines.insert(min(n + 1, len(lines)), lines[n % len(lines)])
    with tempfile.TemporaryDirectory() as tmp:
        journal = Path(tmp) / "tasks_2021.progress.jsonl"
        journal.write_text("\n".join(lines) + "\n", encoding="utf-8")
        day = dt.date(2021, 11, 22)
        before = read_entries(journal)[0]
        split(journal)
        after = read_entries(journal)[0]
        assert [(e.id, e.task, e.to_status) for e in after] == [(e.id, e.task, e.to_status) for e in before]
        assert state_as_of(after, [4, 5], day) == state_as_of(before, [4, 5], day)
