"""红黄绿灯: the signal rules around every boundary, then warn/check through the real CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from gwgk_cli.deadlines import parse_deadline
from gwgk_cli.model import Status, Task
from gwgk_cli.signals import Thresholds, expected_percent, signal_for
from gwgk_cli.state import Extension, TaskState

PUBLISHED = dt.date(2021, 9, 10)
D = dt.date


def task(deadline: str = "年底前") -> Task:
    return Task(id=1, section=1, subsection=1, title="t", requirement="r", units=("甲",), units_written=("甲",),
                leads=("甲",), deadline=parse_deadline(deadline, 2021))


def state(status: Status = Status.TODO, percent: int | None = None, updated: dt.date | None = None,
          done_on: dt.date | None = None, note: str = "") -> TaskState:
    return TaskState(status=status, percent=percent, updated=updated, done_on=done_on, last_note=note,
                     blocked_reason=note if status is Status.BLOCKED else "")


def extended(to: dt.date, approved_by: str) -> TaskState:
    """Extended on 2021-12-20 to `to`, approved by `approved_by` ("" for not approved)."""
    return TaskState(due=to, extensions=(Extension(D(2021, 12, 20), to, approved_by, "等待"),))


CASES = [
    # (why, deadline, state, today, signal, reason)
    ("due today", "年底前", state(), D(2021, 12, 31), "yellow", "今天到期"),
    ("due tomorrow", "年底前", state(), D(2021, 12, 30), "yellow", "还剩 1 天"),
    ("exactly 30 days", "年底前", state(), D(2021, 12, 1), "yellow", "还剩 30 天"),
    ("31 days", "年底前", state(), D(2021, 11, 30), "green", "还剩 31 天"),
    ("overdue one day", "年底前", state(), D(2022, 1, 1), "red", "逾期 1 天"),
    ("overdue twelve days", "年底前", state(Status.DOING), D(2022, 1, 12), "red", "逾期 12 天"),
    ("overdue and blocked: red, the reason kept", "年底前", state(Status.BLOCKED, note="缺经费"), D(2022, 1, 2), "red",
     "逾期 2 天；受阻：缺经费"),
    ("overdue and blocked without a reason", "年底前", state(Status.BLOCKED), D(2022, 1, 2), "red", "逾期 2 天；受阻"),
    ("done on time", "年底前", state(Status.DONE, done_on=D(2021, 12, 1)), D(2022, 3, 1), "done", "已完成"),
    ("done after the due date", "年底前", state(Status.DONE, done_on=D(2022, 1, 3)), D(2022, 3, 1), "done",
     "已完成（逾期 3 天完成）"),
    ("done, due today", "年底前", state(Status.DONE, done_on=D(2021, 12, 31)), D(2021, 12, 31), "done", "已完成"),
    ("blocked, far from due", "年底前", state(Status.BLOCKED, note="等待上级文件"), D(2021, 10, 1), "yellow",
     "受阻：等待上级文件"),
    ("behind schedule", "年底前", state(Status.DOING, percent=10), D(2021, 11, 20), "yellow",
     "进度落后（时间已过 63%，完成 10%）"),
    ("within the margin", "年底前", state(Status.DOING, percent=40), D(2021, 11, 20), "green", "还剩 41 天"),
    ("ongoing, never updated, 29 days", "持续推进", state(), D(2021, 10, 9), "green", "持续推进"),
    ("ongoing, never updated, 30 days", "持续推进", state(), D(2021, 10, 10), "yellow", "30 天未更新"),
    ("ongoing, 45 days since the last note", "持续推进", state(Status.DOING, updated=D(2021, 10, 8)),
     D(2021, 11, 22), "yellow", "45 天未更新"),
    ("ongoing, a recent note", "持续推进", state(Status.DOING, updated=D(2021, 11, 20)), D(2021, 11, 22),
     "green", "持续推进"),
    ("ongoing is never red", "持续推进", state(), D(2023, 1, 1), "yellow", "478 天未更新"),
    ("today before the notice", "年底前", state(), D(2021, 9, 1), "green", "还剩 121 天"),
    ("ongoing, today before the notice", "持续推进", state(), D(2021, 9, 1), "green", "持续推进"),
    ("unreadable deadline, updated lately", "视情况而定", state(Status.DOING, updated=D(2021, 11, 20)), D(2021, 11, 22),
     "green", "时限未识别"),
    # Found by the deadlines work: a deadline not understood stayed green for ever, however long nothing was heard.
    ("unreadable deadline, never updated", "视情况而定", state(), D(2021, 11, 22), "yellow", "73 天未更新（时限未识别）"),
    ("unreadable deadline, 29 days", "尽快", state(), D(2021, 10, 9), "green", "时限未识别"),
    ("due soon and blocked", "年底前", state(Status.BLOCKED, note="缺经费"), D(2021, 12, 22), "yellow",
     "还剩 9 天；受阻：缺经费"),
    # Found by a reader and in review: the 周报 said 还剩 8 天 of a task the 通报 counted 逾期 12 天 (its 延期 not
    # approved). Late is judged by the date a 延期 nobody approved did not move.
    ("extended, not approved, the date before it passed", "年底前", extended(D(2022, 1, 20), ""), D(2022, 1, 12), "red",
     "逾期 12 天（延期至 2022-01-20 未经批准）"),
    ("extended and approved", "年底前", extended(D(2022, 1, 20), "王主任"), D(2022, 1, 12), "yellow", "还剩 8 天"),
    ("extended, not approved, before the original date", "年底前", extended(D(2022, 3, 31), ""), D(2021, 11, 1), "green",
     "还剩 60 天（延期至 2022-03-31 未经批准）"),
    # Found by a review of the 台账: the days left were counted to the date nobody approved (还剩 100 天, green, of a
    # task red in 10 days).
    ("extended, not approved, the original date near", "年底前", extended(D(2022, 3, 31), ""), D(2021, 12, 21), "yellow",
     "还剩 10 天（延期至 2022-03-31 未经批准）"),
    ("extended, not approved, due today", "年底前", extended(D(2022, 3, 31), ""), D(2021, 12, 31), "yellow",
     "今天到期（延期至 2022-03-31 未经批准）"),
    ("extended and approved, the original date near", "年底前", extended(D(2022, 3, 31), "王主任"), D(2021, 12, 21),
     "green", "还剩 100 天"),
    ("extended, not approved, past the new date too", "年底前", extended(D(2022, 1, 20), ""), D(2022, 1, 21), "red",
     "逾期 21 天（延期至 2022-01-20 未经批准）"),
    ("extended and approved, past the new date", "年底前", extended(D(2022, 1, 20), "王主任"), D(2022, 1, 21), "red",
     "逾期 1 天"),
    # Found in review: a hand-written approved 延期 on an ongoing task gave it a date (the 通报 counted it overdue).
    ("ongoing, an approved 延期 line written by hand", "持续推进", extended(D(2021, 11, 30), "王"), D(2021, 12, 5),
     "yellow", "86 天未更新"),
    ("done after the original date, extension not approved", "年底前",
     TaskState(status=Status.DONE, done_on=D(2022, 1, 5), due=D(2022, 1, 20),
               extensions=(Extension(D(2021, 12, 20), D(2022, 1, 20), "", "等待"),)), D(2022, 1, 12), "done",
     "已完成（逾期 5 天完成；延期至 2022-01-20 未经批准）"),  # why it is late (found by a tester)
]


@pytest.mark.parametrize(("why", "deadline", "st", "today", "signal", "reason"), CASES, ids=[c[0] for c in CASES])
def test_signal_rules(why: str, deadline: str, st: TaskState, today: dt.date, signal: str, reason: str) -> None:
    got = signal_for(task(deadline), st, today, PUBLISHED, Thresholds())
    assert (got.signal, got.reason) == (signal, reason)


@pytest.mark.parametrize(
    ("warn_days", "today", "signal"),
    [(7, D(2021, 12, 24), "yellow"), (7, D(2021, 12, 23), "green"), (0, D(2021, 12, 31), "yellow"),
     (0, D(2021, 12, 30), "green")],
)
def test_warning_window(warn_days: int, today: dt.date, signal: str) -> None:
    assert signal_for(task(), state(), today, PUBLISHED, Thresholds(warn_days=warn_days)).signal == signal


def test_expected_percent() -> None:
    assert expected_percent(PUBLISHED, D(2021, 12, 31), PUBLISHED) == 0
    assert expected_percent(PUBLISHED, D(2021, 12, 31), D(2021, 12, 31)) == 100
    assert expected_percent(PUBLISHED, D(2021, 12, 31), D(2022, 6, 1)) == 100
    assert expected_percent(PUBLISHED, D(2021, 12, 31), D(2021, 9, 1)) is None


# ------------------------------------------------------------------------------------------- the CLI


def signals_of(gwgk, *args: str) -> dict[int, tuple[str, str]]:  # type: ignore[no-untyped-def]
    result = gwgk(*args, "list", "--format", "json")
    assert result.exit_code == 0, result.output
    return {r["id"]: (r["signal"], r["signal_reason"]) for r in json.loads(result.stdout)}


def test_list_json_has_signals(table: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    sig = signals_of(gwgk, "--today", "2021-11-22")
    assert sig[1] == ("green", "还剩 39 天")
    assert sig[24] == ("yellow", "73 天未更新")
    late = signals_of(gwgk, "--today", "2022-01-12")
    assert late[1] == ("red", "逾期 12 天")
    assert late[24] == ("yellow", "124 天未更新")


def test_settings_block_and_options(table: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    text = table.read_text(encoding="utf-8").replace("warn_days: 30", "warn_days: 45")
    table.write_text(text, encoding="utf-8")
    assert signals_of(gwgk, "--today", "2021-11-22")[1][0] == "yellow"  # 39 days left, window 45
    result = gwgk("--today", "2021-11-22", "list", "--warn-days", "10", "--format", "json")
    assert {r["id"]: r["signal"] for r in json.loads(result.stdout)}[1] == "green"  # the option wins


def test_list_footer_counts_warnings(table: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    result = gwgk("--today", "2022-01-05", "list", "--unit", "行财科")
    assert result.exit_code == 0
    assert ("预警：红灯 1 项，黄灯 0 项；逾期任务：4；未列出的集体单位任务另有红灯 9 项、黄灯 1 项（gwgk warn 查看详情）"
            in result.stderr)


@pytest.mark.parametrize("today", ["2021-09-15", "2021-11-22", "2021-12-20", "2021-12-31"])
@pytest.mark.parametrize("unit", ["政务公开指导办", "行财科", "政府网站"])
def test_list_footer_adds_up_to_warn(table: Path, gwgk, today: str, unit: str) -> None:  # type: ignore[no-untyped-def]
    """The list's warning counts, the listed and the collective tasks left out, add up to `warn --unit`'s."""
    import re

    listed = gwgk("--today", today, "list", "--unit", unit)
    assert listed.exit_code == 0
    warned = gwgk("--today", today, "warn", "--unit", unit, "--format", "json")
    signals = [r["signal"] for r in json.loads(warned.stdout or "[]")]
    line = next((x for x in listed.stderr.splitlines() if x.startswith("预警：")), "")
    for name, signal in (("红灯", "red"), ("黄灯", "yellow")):
        counts = [int(n) for n in re.findall(name + r" (\d+) 项", line)]
        assert sum(counts) == signals.count(signal), (name, line)


def test_list_signal_filter_applies_to_the_tasks_left_out(table: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    """`--signal red` does not say collective tasks were left out when none of them is red; its 预警 line counts
    every signal, as warn does (found by a tester: `list --signal red` said 黄灯 0 项 beside warn's 黄灯 5 项)."""
    result = gwgk("--today", "2021-12-20", "list", "--unit", "政务公开指导办", "--signal", "red")
    assert result.exit_code == 0
    assert not any(line.startswith("另有") for line in result.stderr.splitlines())
    assert "预警：红灯 0 项，黄灯 15 项；未列出的集体单位任务另有黄灯 8 项（gwgk warn 查看详情）" in result.stderr
    warned = gwgk("--today", "2021-12-20", "warn", "--unit", "政务公开指导办").stdout
    assert warned.count("\t黄\t") == 15 + 8
    result = gwgk("--today", "2021-12-20", "list", "--unit", "政务公开指导办", "--signal", "yellow")
    assert "另有 8 项任务只写明“各相关科室”等集体单位" in result.stderr


@pytest.mark.parametrize(
    ("today", "args", "exit_code", "stdout_empty"),
    [
        ("2021-09-15", [], 0, True),  # all green: silent
        ("2021-09-15", ["--verbose"], 0, False),
        ("2021-11-22", [], 0, False),  # yellow only: printed, exit 0
        ("2021-11-22", ["--strict"], 1, False),
        ("2022-01-05", [], 1, False),  # red
    ],
)
def test_check_exit_codes(table: Path, gwgk, today: str, args: list[str], exit_code: int,  # type: ignore[no-untyped-def]
                          stdout_empty: bool) -> None:
    result = gwgk("--today", today, "check", *args)
    assert result.exit_code == exit_code, result.output
    assert (result.stdout == "") is stdout_empty


def test_check_verbose_summary(table: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    result = gwgk("--today", "2021-09-15", "check", "--verbose")
    assert result.stdout == "检查 28 项任务：红灯 0 项，黄灯 0 项。\n"


def test_done_task_never_warns(table: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    assert gwgk("done", "4", "--date", "2021-11-20").exit_code == 0
    sig = signals_of(gwgk, "--today", "2022-02-01")
    assert sig[4] == ("done", "已完成")


def test_warn_groups_worst_first(table: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    assert gwgk("block", "4", "--note", "缺经费").exit_code == 0
    result = gwgk("--today", "2021-11-22", "warn", "--format", "json")
    recs = json.loads(result.stdout)
    assert [r["signal"] for r in recs] == sorted((r["signal"] for r in recs), key=["red", "yellow"].index)
    assert {r["id"] for r in recs} == {4, 5, 24, 25, 26, 27}
    text = gwgk("--today", "2021-11-22", "warn", "--format", "table").stdout
    assert "行财科（1 项）" in text and "受阻：缺经费" in text


def test_the_blocking_reason_stays_until_unblocked(table: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    """A later note used to replace why the task is blocked in warn and the report."""
    assert gwgk("block", "4", "--note", "缺经费", "--date", "2021-11-20").exit_code == 0
    assert gwgk("note", "4", "已向财政局报告").exit_code == 0
    warned = {r["id"]: r for r in json.loads(gwgk("warn", "--format", "json").stdout)}
    assert warned[4]["signal_reason"] == "受阻：缺经费"
    assert (warned[4]["blocked_reason"], warned[4]["last_note"]) == ("缺经费", "已向财政局报告")
    shown = json.loads(gwgk("show", "4", "--format", "json").stdout)
    assert (shown["signal_reason"], shown["blocked_reason"]) == ("受阻：缺经费", "缺经费")
    assert "受阻：缺经费" in gwgk("report", "--format", "md").stdout  # the report is in full-width punctuation
    assert gwgk("reopen", "4", "--note", "经费已落实").exit_code == 0
    shown = json.loads(gwgk("show", "4", "--format", "json").stdout)
    assert (shown["status"], shown["blocked_reason"]) == ("doing", None)
    assert 4 not in {r["id"] for r in json.loads(gwgk("warn", "--format", "json").stdout)}


def test_no_color_when_piped_or_no_color(table: Path, gwgk, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    for fmt in ("table", "tsv"):
        out = gwgk("--today", "2022-01-05", "list", "--format", fmt).stdout
        assert "\x1b[" not in out
        assert "● 红" in out or "\t红\t" in out
