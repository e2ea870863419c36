"""Hand-written journal lines and several PCs' edge cases tell one truth: an undo that reverts nothing is
said to revert nothing by every view (list, show, log, export, report; the index and a no-cache read);
doctor names every line gwgk would have refused, a clock running ahead, and does not take a PC whose
host name ends in " (2)" for a sync client's conflict copy."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import Runner
from gwgk_cli.journal_clock import clock_problems
from gwgk_cli.journal_entry import Entry


def line(id_: str, date: str, task: int, op: str, *, at: str = "", by: str = "张三", **more: object) -> str:
    data: dict[str, object] = {"id": id_, "at": at or f"{date}T09:00:00+08:00", "date": date, "by": by, "task": task,
                               "op": op, **more}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def views(gwgk: Runner, task: int) -> dict[str, Any]:
    """What each view says about one task: status and percent from list, show and export; log's 已撤销 and
    void marks; the weekly report's text; through the index, and the same again read from the files."""
    out: dict[str, Any] = {}
    for cache in ("", "1"):
        os.environ["GWGK_NO_CACHE"] = cache
        try:
            shown = json.loads(gwgk("show", str(task), "--format", "json").stdout)
            listed = next(r for r in json.loads(gwgk("list", "--format", "json").stdout) if r["id"] == task)
            exported = next(r for r in json.loads(gwgk("export", "--format", "json").stdout) if r["id"] == task)
            log = json.loads(gwgk("log", str(task), "--format", "json").stdout)
            report = gwgk("report").stdout
        finally:
            del os.environ["GWGK_NO_CACHE"]
        got = {
            "show": (shown["status"], shown["percent"]),
            "list": (listed["status"], listed["percent"]),
            "export": (exported["status"], exported["percent"]),
            "log": [(r["id"], r["undone"], r["void"]) for r in log],
            "report": report,
        }
        out[cache or "index"] = got
    assert out["index"] == out["1"]
    return out["index"]


DONE4 = line("aaaa00000001", "2021-11-20", 4, "status", **{"from": "todo", "to": "done"})
DONE5 = line("bbbb00000001", "2021-11-20", 5, "status", **{"from": "todo", "to": "done"})
UNDO5 = line("bbbb00000002", "2021-11-21", 5, "undo", undoes="bbbb00000001")


@pytest.mark.parametrize(("lines", "task", "status", "log", "doctor"), [
    # An undo line of a task not in the table is ignored, as doctor says: the entry it names stays in force.
    ([DONE4, line("aaaa00000002", "2021-11-21", 999, "undo", undoes="aaaa00000001")], 4, ("done", 100),
     [("aaaa00000001", False, None)],
     ["2: 任务 999 不在任务表中，此行已忽略"]),
    # An undo whose task is not the named entry's reverts nothing either.
    ([DONE4, line("aaaa00000003", "2021-11-21", 6, "undo", undoes="aaaa00000001")], 4, ("done", 100),
     [("aaaa00000001", False, None)],
     ["2: 撤销行写的任务 6 与所撤销的记录 aaaa00000001（第 1 行，任务 4）不同，此撤销不生效；撤销行的 task 应为 4"]),
    # An undo of an undo reverts nothing (gwgk refuses to write one): the first undo stays in force, and log
    # does not mark it 已撤销.
    ([DONE5, UNDO5, line("bbbb00000003", "2021-11-21", 5, "undo", undoes="bbbb00000002")], 5, ("todo", None),
     [("bbbb00000003", False, "所撤销的记录 bbbb00000002 是撤销记录，不能撤销，此撤销不生效"),
      ("bbbb00000002", False, None), ("bbbb00000001", True, None)],
     ["3: 撤销的记录 bbbb00000002 本身是撤销记录，撤销不能撤销，此撤销不生效（gwgk 拒绝撤销撤销记录；如需恢复，请重新登记该变更）"]),
    # The undo as gwgk writes it, for comparison.
    ([DONE5, UNDO5], 5, ("todo", None), [("bbbb00000002", False, None), ("bbbb00000001", True, None)], []),
])
def test_an_undo_that_reverts_nothing_says_so_in_every_view(
        gwgk: Runner, journal: Path, lines: list[str], task: int, status: tuple[str, int | None],
        log: list[tuple[str, bool, str | None]], doctor: list[str]) -> None:
    journal.write_text("".join(lines), encoding="utf-8")
    got = views(gwgk, task)
    assert got["show"] == got["list"] == got["export"] == status
    assert got["log"] == log
    result = gwgk("doctor")
    assert result.stdout.splitlines()[2:-1] == [f"{journal}:{x}" for x in doctor]
    # A journal directory reads the same.
    assert gwgk("journal", "split").exit_code == 0
    again = views(gwgk, task)
    assert (again["show"], again["log"]) == (status, log)


def test_log_text_marks_the_void_undo(gwgk: Runner, journal: Path) -> None:
    journal.write_text("".join([DONE5, UNDO5, line("bbbb00000003", "2021-11-21", 5, "undo", undoes="bbbb00000002")]),
                       encoding="utf-8")
    assert gwgk("log", "5").stdout.splitlines() == [
        "日期\t登记人\t任务\t变更\t进度\t说明\t记录",
        "2021-11-21\t张三\t5\t撤销记录\t\t（所撤销的记录 bbbb00000002 是撤销记录，不能撤销，此撤销不生效）\tbbbb00000003",
        "2021-11-21\t张三\t5\t撤销状态变更\t\t\tbbbb00000002",
        "2021-11-20\t张三\t5\t未开始 → 已完成\t\t（已撤销）\tbbbb00000001",
    ]


def test_a_report_does_not_count_a_void_undo_as_taken_back(gwgk: Runner, journal: Path) -> None:
    """A week's report lists an undo that takes back an earlier change; an undo of an undo takes back nothing."""
    journal.write_text("".join([DONE5, UNDO5]), encoding="utf-8")
    week = gwgk("--today", "2021-11-30", "report", "--by", "测试员").stdout
    assert "本周无进展登记" in week
    journal.write_text("".join([DONE5, UNDO5, line("bbbb00000003", "2021-11-29", 5, "undo", undoes="bbbb00000002")]),
                       encoding="utf-8")
    for cache in ("", "1"):
        os.environ["GWGK_NO_CACHE"] = cache
        try:
            assert gwgk("--today", "2021-11-30", "report", "--by", "测试员").stdout == week
        finally:
            del os.environ["GWGK_NO_CACHE"]


# --------------------------------------------------------------------------- lines gwgk would refuse

REFUSED = "（手写或改过的记录，或两台电脑互不知情时各自登记）；请核对，如不对：gwgk undo "
START4 = line("c0000000001a", "2021-11-10", 4, "status", **{"from": "todo", "to": "doing"})
DONE6 = line("c0000000002a", "2021-11-15", 6, "status", **{"from": "todo", "to": "done"})
ACCEPT4 = line("c0000000003a", "2021-11-12", 4, "accept", unit="行财科")


@pytest.mark.parametrize(("lines", "expected"), [
    ([START4, line("c00000000011", "2021-11-11", 4, "review", by="督办", result="pass", **{"from": "done"})],
     "2: 任务 4 的审核销号（2021-11-11，督办，记录 c00000000011）gwgk 会拒绝：审核日期 2021-11-11 时任务尚未完成（当时：推进中）"),
    ([line("c00000000012", "2021-11-11", 4, "accept", unit="政务公开指导办")],
     "1: 任务 4 的签收（政务公开指导办）（2021-11-11，张三，记录 c00000000012）gwgk 会拒绝：任务的责任单位是 行财科，"
     "“政务公开指导办”不在其中"),
    ([line("c00000000013", "2021-11-11", 4, "accept", unit="不存在科")],
     "1: 任务 4 的签收（不存在科）（2021-11-11，张三，记录 c00000000013）gwgk 会拒绝：“不存在科”不是任务表登记的单位"),
    ([ACCEPT4, line("c00000000014", "2021-11-05", 4, "accept", unit="行财科", at="2021-11-13T09:00:00+08:00")],
     "2: 任务 4 的签收（行财科）（2021-11-05，张三，记录 c00000000014）gwgk 会拒绝：行财科 已于 2021-11-12 签收"
     "（第 1 行，记录 c0000000003a），补记更早的签收须先撤销那次签收"),
    ([line("c00000000015", "2021-11-14", 4, "extend", due="2021-11-01", note="审计")],
     "1: 任务 4 的延期至 2021-11-01（2021-11-14，张三，记录 c00000000015）gwgk 会拒绝：延期后的日期 2021-11-01 不晚于当时的到期日 "
     "2021-12-31"),
    ([line("c00000000016", "2021-11-14", 5, "extend", due="2022-11-01", note="审计")],
     "1: 任务 5 的延期至 2022-11-01（2021-11-14，张三，记录 c00000000016）gwgk 会拒绝：任务是持续推进事项，没有到期日，不能延期"),
    ([line("c00000000017", "2021-12-20", 4, "extend", due="2022-01-31", note="审计"),
      line("c00000000018", "2021-12-10", 4, "extend", due="2022-01-15", note="审计", at="2021-12-21T09:00:00+08:00")],
     "2: 任务 4 的延期至 2022-01-15（2021-12-10，张三，记录 c00000000018）gwgk 会拒绝：第 1 行 已有日期更晚（2021-12-20）的延期至 "
     "2022-01-31（记录 c00000000017），这次延期会被它覆盖"),
    ([line("c0000000001e", "2021-12-20", 4, "extend", due="2022-02-28", note="技术方案", approved_by="王主任"),
      line("c0000000001f", "2021-12-15", 4, "status", note="早已完成", at="2021-12-21T09:00:00+08:00",
           **{"from": "todo", "to": "done"})],
     "2: 任务 4 的状态变更“已完成”（2021-12-15，张三，记录 c0000000001f）gwgk 会拒绝：第 1 行 已有日期更晚（2021-12-20）的延期至 "
     "2022-02-28（记录 c0000000001e），完成日期不能早于它"),  # found by a tester: done backdated under a 延期
    ([DONE6, line("c00000000019", "2021-11-16", 6, "note", percent=40, note="x")],
     "2: 任务 6 的进度 40%（2021-11-16，张三，记录 c00000000019）gwgk 会拒绝：当时任务已完成（2021-11-15），进度不能记为 40%"),
    ([DONE6, line("c0000000001b", "2021-11-16", 6, "status", note="等", **{"from": "done", "to": "blocked"})],
     "2: 任务 6 的状态变更“受阻”（2021-11-16，张三，记录 c0000000001b）gwgk 会拒绝：当时任务已完成（2021-11-15），"
     "须先 gwgk reopen 才能标记受阻"),
    ([line("c0000000001c", "2021-11-20", 6, "note", percent=60, note="x"),
      line("c0000000001d", "2021-11-10", 6, "note", percent=30, note="x", at="2021-11-21T09:00:00+08:00")],
     "2: 任务 6 的进度 30%（2021-11-10，张三，记录 c0000000001d）gwgk 会拒绝：第 1 行 已有日期更晚（2021-11-20）的进度或完成记录"
     "（记录 c0000000001c），这条补记的进度被它覆盖而不生效"),
])
def test_doctor_names_a_line_gwgk_would_refuse(gwgk: Runner, journal: Path, table: Path, lines: list[str],
                                               expected: str) -> None:
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("settings:\n  warn_days: 30\n", "settings:\n  review: true\n  warn_days: 30\n"),
                     encoding="utf-8")
    journal.write_text("".join(lines), encoding="utf-8")
    result = gwgk("--today", "2021-12-31", "doctor")
    ident = expected.split("记录 ", 1)[1].split("）", 1)[0]
    assert result.stdout.splitlines()[2:] == [f"{journal}:{expected}{REFUSED}{ident}", "发现 1 处问题。"]
    # Undone, it is no longer in force: nothing to say.
    undone = gwgk("--today", "2021-12-31", "undo", ident)
    assert undone.exit_code == 0, undone.output
    assert gwgk("--today", "2021-12-31", "doctor").stdout.splitlines()[2:] == ["未发现问题（28 项任务）。"]


def test_doctor_finds_nothing_to_refuse_in_what_gwgk_wrote(gwgk: Runner, journal: Path, table: Path) -> None:
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("settings:\n  warn_days: 30\n", "settings:\n  review: true\n  warn_days: 30\n"),
                     encoding="utf-8")
    steps = [("2021-11-01", "accept", "4"), ("2021-11-02", "start", "4"), ("2021-11-03", "note", "4", "过半", "--percent", "50"),
             ("2021-11-04", "extend", "4", "--to", "2022-01-31", "--note", "审计"), ("2021-11-05", "done", "4"),
             ("2021-11-06", "review", "4", "--return", "--note", "补材料"), ("2021-11-07", "done", "4"),
             ("2021-11-08", "review", "4", "--pass"), ("2021-11-09", "block", "6", "--note", "等"),
             ("2021-11-10", "reopen", "6"), ("2021-11-11", "done", "6"), ("2021-11-12", "undo"),
             ("2021-11-13", "note", "6", "补记", "--percent", "70", "--date", "2021-11-10"),
             ("2021-11-14", "accept", "5", "--unit", "行财科")]
    for day, *args in steps:
        result = gwgk("--today", day, *args)
        assert result.exit_code == 0, (args, result.output)
    assert gwgk("--today", "2021-11-14", "doctor").stdout.splitlines()[2:] == ["未发现问题（28 项任务）。"]


# --------------------------------------------------------------------------- clocks

NOW = dt.datetime(2021, 11, 22, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def entry(id_: str, at: str, origin: str, lineno: int) -> Entry:
    return Entry(id=id_, at=at, date=dt.date(2021, 11, 22), by="张三", task=4, op="note", note="x", lineno=lineno,
                 origin=origin, origin_line=lineno)


def test_an_entry_recorded_in_the_future_is_named_with_its_file(gwgk: Runner, journal: Path) -> None:
    journal.write_text(line("d00000000001", "2021-11-20", 4, "note", note="x")
                       + line("d00000000002", "2021-11-21", 4, "note", note="x", at="2099-01-01T09:00:00+08:00"),
                       encoding="utf-8")
    lines = gwgk("doctor").stdout.splitlines()[2:-1]
    assert len(lines) == 1
    assert lines[0].startswith(f"{journal}:2: 登记时间 2099-01-01T09:00:00+08:00 晚于现在（")
    assert lines[0].endswith("），写入此文件的电脑时钟快了（此文件共 1 条记录的登记时间在未来）；此后各电脑的新记录都排在它之后，"
                             "登记时间被顺延；请校准该电脑的时钟")


def test_a_pc_whose_clock_is_ahead_is_named_and_the_files_pushed_after_it_are_not_blamed(
        gwgk: Runner, journal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PC-B's clock is a year ahead: PC-A's changes decided on its line are recorded after it (pushed to its
    time plus a second each): doctor names PC-B's file as the one to fix, and PC-A's as pushed."""
    folder = journal.with_name("tasks_2021.progress")
    folder.mkdir()
    ahead = folder / "王芳@PC-B.jsonl"
    ahead.write_text(line("e00000000001", "2021-11-20", 4, "status", at="2031-11-20T09:00:00+08:00", by="王芳",
                          **{"from": "todo", "to": "doing"}), encoding="utf-8")
    monkeypatch.setenv("GWGK_USER", "李明")
    monkeypatch.setenv("GWGK_HOST", "PC-A")
    assert gwgk("done", "4").exit_code == 0
    assert gwgk("note", "5", "进展").exit_code == 0
    mine = folder / "李明@PC-A.jsonl"
    assert [json.loads(x)["at"][:19] for x in mine.read_text(encoding="utf-8").splitlines()] == [
        "2031-11-20T01:00:01", "2031-11-20T01:00:02"]  # in UTC: PC-B's 09:00+08:00 plus one second, two
    lines = gwgk("doctor").stdout.splitlines()[2:-1]
    assert len(lines) == 2
    assert lines[0].startswith(f"{ahead}:1: 登记时间 2031-11-20T09:00:00+08:00 晚于现在（")
    assert lines[1].startswith(f"{mine}:1: 2 条记录的登记时间在未来（晚于现在 ")
    assert lines[1].endswith("），是排在 王芳@PC-B.jsonl 的未来时间记录之后被顺延的，不是本机时钟的问题")


@pytest.mark.parametrize(("own_clock", "pushes", "named"), [
    ("09:00:00", 1, False), ("09:00:00", 2, True), ("09:00:00", 5, True),
    ("11:59:30", 5, False),  # PC-A's clock agrees (30 s before): clerks recording within the same seconds
])
def test_a_file_other_pcs_were_pushed_past_runs_ahead(own_clock: str, pushes: int, named: bool) -> None:
    """Past entries (not in the future now): PC-B recorded at 12:00 when PC-A's clock said 09:00; PC-A's lines
    are pushed one second past it, one after another. Twice or more names PC-B's file; not when PC-A's own
    clock was within a minute of PC-B's (two PCs on a share recording within the same seconds)."""
    a = entry("f00000000000", f"2021-11-20T{own_clock}+08:00", "/j/李明@PC-A.jsonl", 1)
    b = entry("f00000000001", "2021-11-20T12:00:00+08:00", "/j/王芳@PC-B.jsonl", 1)
    merged = [a, b] + [entry(f"f0000000010{i}", f"2021-11-20T12:00:{i + 1:02d}+08:00", "/j/李明@PC-A.jsonl", i + 2)
                       for i in range(pushes)]
    merged.append(entry("f00000000200", "2021-11-20T13:00:00+08:00", "/j/李明@PC-A.jsonl", pushes + 2))
    lines = clock_problems(merged, "/j", NOW)
    if not named:
        assert lines == []
        return
    assert lines == [f"/j/王芳@PC-B.jsonl:1: 此文件的登记时间比其他电脑快：李明@PC-A.jsonl 有 {pushes} 条记录在它之后登记、"
                     "本机时间却更早，已顺延排在其后（首个：登记时间 2021-11-20T12:00:00+08:00）；请核对写入此文件的电脑的时钟"]


def test_one_pcs_own_quick_commands_are_not_a_clock_ahead() -> None:
    """Two commands of one PC in one second: the second is pushed past the first, its own; nothing to say."""
    merged = [entry(f"f0000000030{i}", f"2021-11-20T12:00:{i:02d}+08:00", "/j/李明@PC-A.jsonl", i + 1) for i in range(5)]
    assert clock_problems(merged, "/j", NOW) == []


# --------------------------------------------------------------------------- a host named "PC (2)"


def test_a_pc_named_like_a_conflict_copy_is_a_writer(gwgk: Runner, journal: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """李明 on "PC" and on "PC (2)" (Windows names a second PC so): "李明@PC (2).jsonl" is a writer's file,
    not a sync client's copy of "李明@PC.jsonl", since it does not begin as that file does; a real copy does."""
    folder = journal.with_name("tasks_2021.progress")
    folder.mkdir()
    monkeypatch.setenv("GWGK_USER", "李明")
    monkeypatch.setenv("GWGK_HOST", "PC")
    assert gwgk("start", "4").exit_code == 0
    monkeypatch.setenv("GWGK_HOST", "PC (2)")
    assert gwgk("start", "5").exit_code == 0
    second = folder / "李明@PC (2).jsonl"
    assert second.is_file()
    result = gwgk("doctor")
    assert result.stdout.splitlines()[2:] == ["未发现问题（28 项任务）。"], result.stdout
    info = gwgk("info").stdout
    assert "李明@PC (2).jsonl（1 行，本机写入）" in info
    monkeypatch.setenv("GWGK_HOST", "PC-C")
    assert "李明@PC (2).jsonl（1 行）" in gwgk("info").stdout
    # A real conflict copy of either begins as it does, and is named as one.
    copy = folder / "李明@PC (2) (1).jsonl"
    copy.write_bytes(second.read_bytes())
    assert gwgk("doctor").stdout.splitlines()[2:] == [
        f"{copy}: 同步软件生成的李明@PC (2).jsonl 的冲突副本（1 条记录，已合并读取、不重复计）；其记录原文件都有，核对后可删除",
        "发现 1 处问题。"]
    assert "李明@PC (2) (1).jsonl（1 行，同步软件的冲突副本）" in gwgk("info").stdout
    # Without its original beside it, a file named like a copy is a writer's: read, not reported.
    (folder / "李明@PC.jsonl").rename(folder / "李明@PC-X.jsonl")
    copy.unlink()
    assert gwgk("doctor").stdout.splitlines()[2:] == ["未发现问题（28 项任务）。"]


def test_log_says_an_undo_names_an_entry_that_does_not_exist(gwgk: Runner, table: Path, journal: Path) -> None:
    """Found in review: `log` said the named record was another task's when it was nowhere (doctor said
    不存在). Over every task it is known; over one task's lines it may be elsewhere, and log says so."""
    journal.write_text(line("a00000000001", "2021-11-20", 7, "status", **{"from": "todo", "to": "doing"}) + "\n"
                       + line("a00000000002", "2021-11-21", 7, "undo", undoes="zzzzzzzzzzzz") + "\n", encoding="utf-8")
    every = gwgk("log", "--format", "json")
    assert [r.get("void") for r in json.loads(every.stdout) if r["op"] == "undo"] == [
        "所撤销的记录 zzzzzzzzzzzz 不存在，此撤销不生效"]
    one = gwgk("log", "7", "--format", "json")
    assert [r.get("void") for r in json.loads(one.stdout) if r["op"] == "undo"] == [
        "所撤销的记录 zzzzzzzzzzzz 不是任务 7 的记录（或不存在），此撤销不生效"]
